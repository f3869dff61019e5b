using System.Globalization;

namespace ZeroPark.Application.Alerts;

/// <summary>A rule of a park, stored as data: its kind (what it watches), parameters (string values, validated per kind by
/// <see cref="AlertRuleKinds"/>), severity, whether it is on, muted until when, and how often an open alert is re-notified.</summary>
public sealed record AlertRule(long Id, string Park, string Code, string Kind, string Name, IReadOnlyDictionary<string, string> Params, string Severity,
    bool Enabled, DateTimeOffset? MutedUntil, int? RenotifyMinutes, DateTimeOffset UpdatedAt, string UpdatedBy)
{
    public bool IsMutedAt(DateTimeOffset at) => MutedUntil is { } m && m > at;
}

/// <summary>What a user sends to create or edit a rule (null keeps the stored value on edit).</summary>
public sealed record AlertRuleDraft(string? Code, string? Kind, string? Name = null, IReadOnlyDictionary<string, string>? Params = null, string? Severity = null,
    bool? Enabled = null, DateTimeOffset? MutedUntil = null, int? RenotifyMinutes = null);

/// <summary>An alert: raised once per rule, subject and period; open → acknowledged → resolved, with who and when.</summary>
public sealed record Alert(long Id, string Park, string Rule, string Kind, string Subject, string Period, string Severity, string Status, string Message,
    double? Value, double? Normal, string Details, DateTimeOffset RaisedAt, DateTimeOffset? AcknowledgedAt, string? AcknowledgedBy,
    DateTimeOffset? ResolvedAt, string? ResolvedBy, string? Comment, DateTimeOffset? LastNotifiedAt, int NotifyCount)
{
    /// <summary>The governance KPI codes the alert concerns (<see cref="ZeroPark.Governance.AlertKpis"/>).</summary>
    public IReadOnlyList<string> Kpis { get; init; } = [];

    /// <summary>The people of the governance organisation accountable for one of those KPIs (as the organisation is now).</summary>
    public IReadOnlyList<AlertOwner> Accountable { get; init; } = [];
}

/// <summary>A person accountable for an alert: code, name and the KPIs of the alert they hold.</summary>
public sealed record AlertOwner(string Code, string Name, IReadOnlyList<string> Kpis);

/// <summary>What a rule found: a subject (meter, source, KPI node …) in a period with its message, value, normal value and the
/// definition/details shown with it.</summary>
public sealed record Finding(string Subject, string Period, string Message, double? Value = null, double? Normal = null, string Details = "");

/// <summary>The result of one rule's evaluation: what is in alarm, and which (subject, period) keys were checked and found fine
/// (their open alerts resolve). <see cref="ClearsAll"/>: the rule watches a current state (offline, suspected resets), so every
/// open alert of the rule not found again resolves.</summary>
/// <see cref="OnePerSubject"/>: the rule watches episodes (thresholds) whose start depends on the window looked at, so a subject has at
/// most one open alert, matched by subject alone.</summary>
public sealed record RuleOutcome(IReadOnlyList<Finding> Findings, IReadOnlyList<(string Subject, string Period)> Checked, bool ClearsAll = false, string? Note = null,
    bool OnePerSubject = false);

/// <summary>A notification channel of a park.</summary>
public sealed record AlertChannel(long Id, string Park, string Code, string Kind, string Target, IReadOnlyDictionary<string, string> Config, bool HasSecret,
    bool Enabled, string MinSeverity, int? QuietFrom, int? QuietTo, int Pending, int Failed, string? LastError, DateTimeOffset? LastSentAt, string Language = "zh");

public sealed record AlertChannelDraft(string? Code, string? Kind, string? Target, IReadOnlyDictionary<string, string>? Config = null, string? Secret = null,
    bool? Enabled = null, string? MinSeverity = null, int? QuietFrom = null, int? QuietTo = null, string? Language = null);

/// <summary>One delivery of the outbox; <see cref="Recipient"/>: the accountable person's address when the delivery goes to that
/// person through an e-mail channel (null: the channel's own target).</summary>
public sealed record OutboxItem(long Id, long AlertId, string Channel, string Event, string Status, int Attempts, DateTimeOffset NextAt, string? LastError,
    DateTimeOffset? SentAt)
{
    public string? Recipient { get; init; }
}

/// <summary>Filters of the alerts list.</summary>
public sealed record AlertFilter(string? Status = null, string? Rule = null, string? Severity = null, string? Kind = null, DateOnly? From = null, DateOnly? To = null,
    int Limit = 500)
{
    /// <summary>Only the alerts a person of the governance organisation is accountable for (by person code).</summary>
    public string? Person { get; init; }
}

public static class AlertCodes
{
    public static readonly string[] Severities = ["info", "warning", "critical"];
    public static readonly string[] Statuses = ["open", "acknowledged", "resolved"];
    public static readonly string[] ChannelKinds = ["email", "webhook", "dingtalk", "wecom"];

    public static int Rank(string severity) => Array.IndexOf(Severities, severity);

    public static string Severity(string? s, string field = "severity")
    {
        var v = (s ?? "").Trim().ToLowerInvariant();
        return Severities.Contains(v) ? v : throw new ValidationException(field, $"'{s}' is not one of {string.Join(", ", Severities)}");
    }

    public static string Status(string? s, string field = "status")
    {
        var v = (s ?? "").Trim().ToLowerInvariant();
        return Statuses.Contains(v) ? v : throw new ValidationException(field, $"'{s}' is not one of {string.Join(", ", Statuses)}");
    }

    internal static string F(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);
}
