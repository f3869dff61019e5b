// Row classes below are filled by Dapper through reflection.
#pragma warning disable CS0649
using System.Data.Common;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Dapper;
using ZeroPark.Calendar;
using ZeroPark.Domain;

namespace ZeroPark.Application.Alerts;

/// <summary>
/// Alerts of a park (module <c>Alerts</c>, migration 040_alerts): rules as data (with the defaults a new park starts with), alerts
/// and their lifecycle (raised once per rule, subject and period; open → acknowledged → resolved, with who/when), notification
/// channels, the outbox the background sender delivers from, and the user's entries of the working-day calendar.
/// </summary>
public sealed class AlertStore(ZeroParkStore db)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    internal ZeroParkStore Db => db;
    internal TimeProvider Clock => db.Clock;

    // ------------------------------------------------------------------ rules

    private sealed class RuleRow
    {
        public long id; public string code = ""; public string kind = ""; public string name = ""; public string @params = "{}"; public string severity = "";
        public long enabled; public long? muted_until; public long? renotify_minutes; public long updated_at; public string updated_by = "";
    }

    private const string RuleCols = "id, code, kind, name, params, severity, enabled, muted_until, renotify_minutes, updated_at, updated_by";

    private static AlertRule ToRule(ParkRegistry reg, RuleRow r) => new(r.id, reg.Park.Code, r.code, r.kind, r.name,
        JsonSerializer.Deserialize<Dictionary<string, string>>(r.@params) ?? [], r.severity, r.enabled != 0,
        r.muted_until is { } m ? reg.Clock.ToLocalOffset(m) : null, r.renotify_minutes is { } n ? (int)n : null, reg.Clock.ToLocalOffset(r.updated_at), r.updated_by);

    /// <summary>Installs the default rules of a park once (a park that deleted them does not get them back).</summary>
    public async Task EnsureDefaultRulesAsync(string parkCode, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM alert_defaults WHERE park_id = @p", new { p = reg.Park.Id.Value }) > 0) return;
        await using var tx = await c.BeginTransactionAsync(ct);
        var now = db.Clock.GetUtcNow().ToUnixTimeSeconds();
        var inserted = await c.ExecuteAsync(db.Kind == StoreKind.Sqlite
            ? "INSERT OR IGNORE INTO alert_defaults (park_id, installed_at) VALUES (@p, @now)"
            : "INSERT INTO alert_defaults (park_id, installed_at) VALUES (@p, @now) ON CONFLICT DO NOTHING", new { p = reg.Park.Id.Value, now }, tx);
        if (inserted == 0) return;   // another process installed them meanwhile
        foreach (var d in AlertRuleKinds.Defaults())
            await InsertRuleAsync(c, tx, reg, d, "system", now, audit: false);   // the shipped defaults: not a person's change
        await tx.CommitAsync(ct);
    }

    public async Task<IReadOnlyList<AlertRule>> RulesAsync(string parkCode, CancellationToken ct = default)
    {
        await EnsureDefaultRulesAsync(parkCode, ct);
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<RuleRow>($"SELECT {RuleCols} FROM alert_rules WHERE park_id = @p ORDER BY code", new { p = reg.Park.Id.Value });
        return rows.Select(r => ToRule(reg, r)).ToList();
    }

    public async Task<AlertRule> RuleAsync(string parkCode, string code, CancellationToken ct = default) =>
        (await RulesAsync(parkCode, ct)).FirstOrDefault(r => r.Code == code) ?? throw new NotFoundException($"rule '{code}' not found in park '{parkCode}'");

    private static string CheckCode(string? code, string field = "code")
    {
        var c = (code ?? "").Trim();
        if (c.Length is 0 or > 64 || !c.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.'))
            throw new ValidationException(field, $"'{code}' is not a code (1–64 letters, digits, '-', '_', '.')");
        return c;
    }

    private async Task<long> InsertRuleAsync(DbConnection c, DbTransaction tx, ParkRegistry reg, AlertRuleDraft d, string user, long now, bool audit = true)
    {
        var code = CheckCode(d.Code);
        var kind = AlertRuleKinds.Kind(d.Kind).Code;
        var p = AlertRuleKinds.Normalise(kind, d.Params);
        var name = string.IsNullOrWhiteSpace(d.Name) ? code : d.Name.Trim();
        if (name.Length > TextLimits.Name) throw new ValidationException("name", $"longer than {TextLimits.Name} characters");
        var severity = AlertCodes.Severity(d.Severity ?? "warning");
        if (d.RenotifyMinutes is < 1 or > 100_000) throw new ValidationException("renotify_minutes", "must be between 1 and 100000 minutes");
        if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM alert_rules WHERE park_id = @p AND code = @code", new { p = reg.Park.Id.Value, code }, tx) > 0)
            throw new ConflictException($"rule '{code}' already exists in park '{reg.Park.Code}'");
        var id = await c.ExecuteScalarAsync<long>(
            "INSERT INTO alert_rules (park_id, code, kind, name, params, severity, enabled, muted_until, renotify_minutes, updated_at, updated_by) " +
            "VALUES (@park, @code, @kind, @name, @params, @severity, @enabled, @muted, @renotify, @now, @user) RETURNING id",
            new { park = reg.Park.Id.Value, code, kind, name, @params = JsonSerializer.Serialize(p), severity, enabled = d.Enabled ?? true ? 1 : 0,
                muted = d.MutedUntil?.ToUnixTimeSeconds(), renotify = d.RenotifyMinutes, now, user }, tx);
        if (audit) await db.AuditAsync(c, tx, reg.Park.Id.Value, user, "create", "alert_rule", code, null, null, $"{kind} {JsonSerializer.Serialize(p)} {severity}");
        return id;
    }

    public async Task<AlertRule> CreateRuleAsync(string parkCode, AlertRuleDraft d, string user, CancellationToken ct = default)
    {
        await EnsureDefaultRulesAsync(parkCode, ct);
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await InsertRuleAsync(c, tx, reg, d, user, db.Clock.GetUtcNow().ToUnixTimeSeconds());
        await tx.CommitAsync(ct);
        return await RuleAsync(parkCode, CheckCode(d.Code), ct);
    }

    /// <summary>Edits a rule: the given fields replace the stored ones (params as a whole, validated for the kind). <paramref name="unmute"/>
    /// clears a mute.</summary>
    public async Task<AlertRule> UpdateRuleAsync(string parkCode, string code, AlertRuleDraft d, string user, bool unmute = false, CancellationToken ct = default)
    {
        var old = await RuleAsync(parkCode, code, ct);
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        if (d.Kind is { } k && AlertRuleKinds.Kind(k).Code != old.Kind) throw new ValidationException("kind", "a rule's kind cannot change; create a new rule");
        var p = d.Params is null ? old.Params : AlertRuleKinds.Normalise(old.Kind, d.Params);
        var name = string.IsNullOrWhiteSpace(d.Name) ? old.Name : d.Name.Trim();
        var severity = d.Severity is null ? old.Severity : AlertCodes.Severity(d.Severity);
        if (d.RenotifyMinutes is < 0 or > 100_000) throw new ValidationException("renotify_minutes", "must be between 0 (off) and 100000 minutes");
        var renotify = d.RenotifyMinutes is null ? old.RenotifyMinutes : d.RenotifyMinutes == 0 ? null : d.RenotifyMinutes;
        var muted = unmute ? null : d.MutedUntil ?? old.MutedUntil;
        var enabled = d.Enabled ?? old.Enabled;
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var now = db.Clock.GetUtcNow().ToUnixTimeSeconds();
        await c.ExecuteAsync("UPDATE alert_rules SET name = @name, params = @params, severity = @severity, enabled = @enabled, muted_until = @muted, " +
                             "renotify_minutes = @renotify, updated_at = @now, updated_by = @user WHERE id = @id",
            new { id = old.Id, name, @params = JsonSerializer.Serialize(p), severity, enabled = enabled ? 1 : 0, muted = muted?.ToUnixTimeSeconds(), renotify, now, user }, tx);
        await db.AuditAsync(c, tx, reg.Park.Id.Value, user, "update", "alert_rule", code, null,
            $"{JsonSerializer.Serialize(old.Params)} {old.Severity} enabled={old.Enabled} muted={old.MutedUntil?.ToString("o", Inv) ?? "-"}",
            $"{JsonSerializer.Serialize(p)} {severity} enabled={enabled} muted={muted?.ToString("o", Inv) ?? "-"}");
        await tx.CommitAsync(ct);
        return await RuleAsync(parkCode, code, ct);
    }

    /// <summary>Deletes a rule and its alerts (and their outbox rows).</summary>
    public async Task DeleteRuleAsync(string parkCode, string code, string user, CancellationToken ct = default)
    {
        var rule = await RuleAsync(parkCode, code, ct);
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await c.ExecuteAsync("DELETE FROM alert_outbox WHERE alert_id IN (SELECT id FROM alerts WHERE rule_id = @id)", new { id = rule.Id }, tx);
        await c.ExecuteAsync("DELETE FROM alerts WHERE rule_id = @id", new { id = rule.Id }, tx);
        await c.ExecuteAsync("DELETE FROM alert_rules WHERE id = @id", new { id = rule.Id }, tx);
        await db.AuditAsync(c, tx, reg.Park.Id.Value, user, "delete", "alert_rule", code, null, rule.Kind, null);
        await tx.CommitAsync(ct);
    }

    // ------------------------------------------------------------------ alerts

    private sealed class AlertRow
    {
        public long id; public string rule = ""; public string kind = ""; public string subject = ""; public string period = ""; public string severity = "";
        public string status = ""; public string message = ""; public double? value; public double? normal; public string details = ""; public long raised_at;
        public long? ack_at; public string? ack_by; public long? resolved_at; public string? resolved_by; public string? comment; public long? last_notified_at;
        public long notify_count; public string rule_params = "{}";
    }

    private const string AlertCols = "a.id, r.code AS rule, r.kind, a.subject, a.period, a.severity, a.status, a.message, a.value, a.normal, a.details, a.raised_at, " +
                                     "a.ack_at, a.ack_by, a.resolved_at, a.resolved_by, a.comment, a.last_notified_at, a.notify_count, r.params AS rule_params";

    private static Alert ToAlert(ParkRegistry reg, AlertRow r)
    {
        DateTimeOffset? T(long? s) => s is { } v ? reg.Clock.ToLocalOffset(v) : null;
        return new Alert(r.id, reg.Park.Code, r.rule, r.kind, r.subject, r.period, r.severity, r.status, r.message, r.value, r.normal, r.details,
            reg.Clock.ToLocalOffset(r.raised_at), T(r.ack_at), r.ack_by, T(r.resolved_at), r.resolved_by, r.comment, T(r.last_notified_at), (int)r.notify_count);
    }

    /// <summary>The alert with its KPIs (<see cref="ZeroPark.Governance.AlertKpis"/>: rule kind, parameters, subject) and the people of
    /// the governance organisation accountable for one of them.</summary>
    private static Alert WithOwners(ParkRegistry reg, AlertRow r, IReadOnlyList<Governance.Person> people)
    {
        var a = ToAlert(reg, r);
        var kpis = ZeroPark.Governance.AlertKpis.Of(r.kind, JsonSerializer.Deserialize<Dictionary<string, string>>(r.rule_params) ?? [], r.subject);
        return a with { Kpis = kpis, Accountable = Owners(kpis, people) };
    }

    /// <summary>The people accountable for any of <paramref name="kpis"/>, by code, each with the KPIs of theirs among them.</summary>
    internal static IReadOnlyList<AlertOwner> Owners(IReadOnlyList<string> kpis, IReadOnlyList<Governance.Person> people) =>
        people.Select(p => new AlertOwner(p.Code, p.Name, kpis.Where(k => p.Kpis.Contains(k)).ToList())).Where(o => o.Kpis.Count > 0).ToList();

    public async Task<IReadOnlyList<Alert>> AlertsAsync(string parkCode, AlertFilter? filter = null, CancellationToken ct = default)
    {
        var f = filter ?? new AlertFilter();
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        var status = f.Status is { Length: > 0 } s ? AlertCodes.Status(s) : null;
        var severity = f.Severity is { Length: > 0 } sv ? AlertCodes.Severity(sv) : null;
        long? from = f.From is { } fd ? reg.Clock.StartOfDay(fd) : null;
        long? to = f.To is { } td ? reg.Clock.StartOfDay(td.AddDays(1)) : null;
        var people = await db.Governance.PeopleAsync(parkCode, ct);
        var person = f.Person is { Length: > 0 } pc ? pc.Trim() : null;
        if (person is not null && people.All(p => p.Code != person)) throw new NotFoundException($"person '{person}' not found in park '{parkCode}'");
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<AlertRow>(
            $"SELECT {AlertCols} FROM alerts a JOIN alert_rules r ON r.id = a.rule_id WHERE a.park_id = @p " +
            (status is null ? "" : "AND a.status = @status ") + (f.Rule is { Length: > 0 } ? "AND r.code = @rule " : "") + (severity is null ? "" : "AND a.severity = @severity ") +
            (f.Kind is { Length: > 0 } ? "AND r.kind = @kind " : "") + (from is null ? "" : "AND a.raised_at >= @from ") + (to is null ? "" : "AND a.raised_at < @to ") +
            "ORDER BY a.raised_at DESC, a.id DESC LIMIT @limit",
            new { p = reg.Park.Id.Value, status, rule = f.Rule, severity, kind = f.Kind, from, to, limit = person is null ? Math.Clamp(f.Limit, 1, 5000) : 5000 });
        var list = rows.Select(r => WithOwners(reg, r, people));
        if (person is not null) list = list.Where(a => a.Accountable.Any(o => o.Code == person)).Take(Math.Clamp(f.Limit, 1, 5000));
        return list.ToList();
    }

    public async Task<Alert> AlertAsync(string parkCode, long id, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        var people = await db.Governance.PeopleAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        var row = await c.QueryFirstOrDefaultAsync<AlertRow>($"SELECT {AlertCols} FROM alerts a JOIN alert_rules r ON r.id = a.rule_id WHERE a.park_id = @p AND a.id = @id",
            new { p = reg.Park.Id.Value, id });
        return row is null ? throw new NotFoundException($"alert {id} not found in park '{parkCode}'") : WithOwners(reg, row, people);
    }

    /// <summary>Open and acknowledged alerts per severity (the bell's count is open ones).</summary>
    public async Task<(int Open, int Acknowledged)> CountsAsync(string parkCode, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = (await c.QueryAsync<(string status, long n)>("SELECT status, COUNT(*) FROM alerts WHERE park_id = @p AND status <> 'resolved' GROUP BY status",
            new { p = reg.Park.Id.Value })).ToDictionary(x => x.status, x => (int)x.n);
        return (rows.GetValueOrDefault("open"), rows.GetValueOrDefault("acknowledged"));
    }

    public async Task<Alert> AcknowledgeAsync(string parkCode, long id, string user, string? comment, CancellationToken ct = default)
    {
        var a = await AlertAsync(parkCode, id, ct);
        if (a.Status != "open") throw new ConflictException($"alert {id} is {a.Status}, not open");
        await TransitionAsync(parkCode, a, "acknowledged", user, comment, ct);
        return await AlertAsync(parkCode, id, ct);
    }

    /// <summary>Resolves an alert by hand; a comment is required (why it is done).</summary>
    public async Task<Alert> ResolveAsync(string parkCode, long id, string user, string? comment, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(comment)) throw new ValidationException("comment", "say why the alert is resolved");
        if (comment.Length > TextLimits.Text) throw new ValidationException("comment", $"longer than {TextLimits.Text} characters");
        var a = await AlertAsync(parkCode, id, ct);
        if (a.Status == "resolved") throw new ConflictException($"alert {id} is already resolved");
        await TransitionAsync(parkCode, a, "resolved", user, comment, ct);
        return await AlertAsync(parkCode, id, ct);
    }

    private async Task TransitionAsync(string parkCode, Alert a, string to, string user, string? comment, CancellationToken ct)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        var now = db.Clock.GetUtcNow().ToUnixTimeSeconds();
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var sql = to == "acknowledged"
            ? "UPDATE alerts SET status = 'acknowledged', ack_at = @now, ack_by = @user, comment = COALESCE(@comment, comment) WHERE id = @id AND status = 'open'"
            : "UPDATE alerts SET status = 'resolved', resolved_at = @now, resolved_by = @user, comment = @comment WHERE id = @id AND status <> 'resolved'";
        if (await c.ExecuteAsync(sql, new { id = a.Id, now, user, comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim() }, tx) == 0)
            throw new ConflictException($"alert {a.Id} changed meanwhile");
        await db.AuditAsync(c, tx, reg.Park.Id.Value, user, to == "acknowledged" ? "acknowledge" : "resolve", "alert", $"{a.Rule}/{a.Subject}/{a.Period}", comment, a.Status, to);
        await tx.CommitAsync(ct);
    }

    /// <summary>Records one rule's outcome at <paramref name="at"/>: inserts the findings that are new (the unique key rule + subject +
    /// period makes this idempotent), queues their notifications, resolves open alerts whose condition cleared, and queues re-notifications
    /// that are due. Returns the alerts this call raised.</summary>
    internal async Task<IReadOnlyList<Alert>> RecordAsync(ParkRegistry reg, AlertRule rule, RuleOutcome outcome, DateTimeOffset at, CancellationToken ct)
    {
        var now = at.ToUnixTimeSeconds();
        var raised = new List<long>();
        // The accountable people with an e-mail address: each alert of a KPI they hold also goes to them (Recipients below).
        var mailable = (await db.Governance.PeopleAsync(reg.Park.Code, ct)).Where(p => p.Email is { Length: > 0 }).ToList();
        IReadOnlyList<string> Recipients(string subject) =>
            Owners(ZeroPark.Governance.AlertKpis.Of(rule.Kind, rule.Params, subject), mailable).Select(o => mailable.First(p => p.Code == o.Code).Email!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var channels = (await ChannelRowsAsync(c, tx, reg.Park.Id.Value)).Where(ch => ch.enabled != 0).ToList();
        var notify = !rule.IsMutedAt(at);
        var open = (await c.QueryAsync<(long id, string subject, string period)>(
            "SELECT id, subject, period FROM alerts WHERE rule_id = @rule AND status <> 'resolved'", new { rule = rule.Id }, tx)).ToList();
        var openSubjects = open.Select(o => o.subject).ToHashSet();
        foreach (var f in outcome.Findings)
        {
            // An episode already alerted on (under the period it had when first seen) is the same alert.
            if (outcome.OnePerSubject && openSubjects.Contains(Cut(f.Subject, 200))) continue;
            var id = await c.ExecuteScalarAsync<long?>(
                "INSERT INTO alerts (park_id, rule_id, subject, period, severity, status, message, value, normal, details, raised_at, notify_count) " +
                "VALUES (@p, @rule, @subject, @period, @severity, 'open', @message, @value, @normal, @details, @now, 0) " +
                "ON CONFLICT (park_id, rule_id, subject, period) DO NOTHING RETURNING id",
                new { p = reg.Park.Id.Value, rule = rule.Id, subject = Cut(f.Subject, 200), period = Cut(f.Period, 64), severity = rule.Severity, message = Cut(f.Message, 2000),
                    value = Finite(f.Value), normal = Finite(f.Normal), details = Cut(f.Details, 4000), now }, tx);
            if (id is not { } newId) continue;
            raised.Add(newId);
            if (notify) await QueueAsync(c, tx, reg, channels, newId, rule.Severity, "raised", now, Recipients(f.Subject));
        }
        // Conditions that cleared: resolved by the system.
        var active = outcome.Findings.Select(f => (Cut(f.Subject, 200), Cut(f.Period, 64))).ToHashSet();
        var activeSubjects = active.Select(a => a.Item1).ToHashSet();
        var checkedKeys = outcome.Checked.ToHashSet();
        var checkedSubjects = checkedKeys.Select(k => k.Subject).ToHashSet();
        foreach (var (id, subject, period) in open)
        {
            if (outcome.OnePerSubject ? activeSubjects.Contains(subject) : active.Contains((subject, period))) continue;
            if (!outcome.ClearsAll && !(outcome.OnePerSubject ? checkedSubjects.Contains(subject) : checkedKeys.Contains((subject, period)))) continue;
            await c.ExecuteAsync("UPDATE alerts SET status = 'resolved', resolved_at = @now, resolved_by = 'system', comment = @comment WHERE id = @id",
                new { id, now, comment = "condition cleared" }, tx);
            if (notify) await QueueAsync(c, tx, reg, channels, id, rule.Severity, "resolved", now, Recipients(subject));
        }
        // Re-notification of alerts nobody acknowledged.
        if (notify && rule.RenotifyMinutes is { } every)
        {
            var due = await c.QueryAsync<(long id, string subject)>("SELECT id, subject FROM alerts WHERE rule_id = @rule AND status = 'open' AND raised_at <= @limit " +
                                               "AND COALESCE(last_notified_at, raised_at) <= @limit", new { rule = rule.Id, limit = now - every * 60L }, tx);
            foreach (var (id, subject) in due.Where(d => !raised.Contains(d.id)))
            {
                await QueueAsync(c, tx, reg, channels, id, rule.Severity, "renotify", now, Recipients(subject));
                await c.ExecuteAsync("UPDATE alerts SET last_notified_at = @now WHERE id = @id", new { id, now }, tx);
            }
        }
        await tx.CommitAsync(ct);
        if (raised.Count == 0) return [];
        var list = new List<Alert>();
        foreach (var id in raised) list.Add(await AlertAsync(reg.Park.Code, id, ct));
        return list;
    }

    private static string Cut(string s, int n) => s.Length <= n ? s : s[..n];
    private static double? Finite(double? v) => v is { } x && double.IsFinite(x) ? x : null;

    // ------------------------------------------------------------------ channels

    private sealed class ChannelRow
    {
        public long id; public string code = ""; public string kind = ""; public string target = ""; public string config = "{}"; public string? secret; public long enabled;
        public string min_severity = ""; public long? quiet_from; public long? quiet_to; public string language = "zh";
    }

    private static async Task<List<ChannelRow>> ChannelRowsAsync(DbConnection c, DbTransaction? tx, long park) =>
        (await c.QueryAsync<ChannelRow>("SELECT id, code, kind, target, config, secret, enabled, min_severity, quiet_from, quiet_to, language FROM alert_channels WHERE park_id = @park ORDER BY code",
            new { park }, tx)).ToList();

    /// <summary>Queues one event of an alert for every channel that takes its severity; inside quiet hours (park-local) the delivery
    /// waits for their end, except for critical alerts. The accountable people's addresses (<paramref name="people"/>) get one
    /// delivery each through the park's first enabled e-mail channel (by code: its server, language, minimum severity and quiet
    /// hours), unless that channel's own target already names them.</summary>
    private static async Task QueueAsync(DbConnection c, DbTransaction tx, ParkRegistry reg, IReadOnlyList<ChannelRow> channels, long alertId, string severity, string ev, long now,
        IReadOnlyList<string> people)
    {
        async Task Insert(ChannelRow ch, string? recipient)
        {
            var next = severity == "critical" ? now : QuietHours.NextAllowed(reg.Clock, now, (int?)ch.quiet_from, (int?)ch.quiet_to);
            await c.ExecuteAsync("INSERT INTO alert_outbox (park_id, alert_id, channel_id, event, status, attempts, next_at, created_at, recipient) " +
                                 "VALUES (@park, @alertId, @ch, @ev, 'pending', 0, @next, @now, @recipient)",
                new { park = reg.Park.Id.Value, alertId, ch = ch.id, ev, next, now, recipient }, tx);
        }
        var taking = channels.Where(ch => AlertCodes.Rank(severity) >= AlertCodes.Rank(ch.min_severity)).ToList();
        foreach (var ch in taking) await Insert(ch, null);
        if (people.Count == 0 || channels.FirstOrDefault(ch => ch.kind == "email") is not { } mail || !taking.Contains(mail)) return;
        var named = mail.target.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var to in people.Where(p => !named.Contains(p))) await Insert(mail, to);
    }

    /// <summary>The park's first enabled e-mail channel (by code) with its configuration and secret, for senders outside the alert
    /// outbox (scheduled reports); null when the park has none.</summary>
    public async Task<(string Code, IReadOnlyDictionary<string, string> Config, string? Secret)?> EmailChannelAsync(string parkCode, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        var row = (await ChannelRowsAsync(c, null, reg.Park.Id.Value)).FirstOrDefault(r => r.kind == "email" && r.enabled != 0);
        return row is null ? null : (row.code, JsonSerializer.Deserialize<Dictionary<string, string>>(row.config) ?? [], row.secret);
    }

    public async Task<IReadOnlyList<AlertChannel>> ChannelsAsync(string parkCode, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await ChannelRowsAsync(c, null, reg.Park.Id.Value);
        var stats = (await c.QueryAsync<(long channel_id, string status, long n, string? err, long? sent)>(
                "SELECT channel_id, status, COUNT(*), MAX(last_error), MAX(sent_at) FROM alert_outbox WHERE park_id = @p GROUP BY channel_id, status", new { p = reg.Park.Id.Value }))
            .ToList();
        var lastError = (await c.QueryAsync<(long channel_id, string? last_error)>(
            "SELECT channel_id, last_error FROM alert_outbox o WHERE park_id = @p AND last_error IS NOT NULL AND id = (SELECT MAX(id) FROM alert_outbox x WHERE x.channel_id = o.channel_id AND x.last_error IS NOT NULL)",
            new { p = reg.Park.Id.Value })).ToDictionary(x => x.channel_id, x => x.last_error);
        return rows.Select(r =>
        {
            var s = stats.Where(x => x.channel_id == r.id).ToList();
            var sent = s.Where(x => x.status == "sent").Select(x => x.sent).FirstOrDefault();
            return new AlertChannel(r.id, reg.Park.Code, r.code, r.kind, r.target, JsonSerializer.Deserialize<Dictionary<string, string>>(r.config) ?? [], r.secret is { Length: > 0 },
                r.enabled != 0, r.min_severity, (int?)r.quiet_from, (int?)r.quiet_to, (int)s.Where(x => x.status == "pending").Sum(x => x.n),
                (int)s.Where(x => x.status == "failed").Sum(x => x.n), lastError.GetValueOrDefault(r.id), sent is { } t ? reg.Clock.ToLocalOffset(t) : null, r.language);
        }).ToList();
    }

    /// <summary>Creates or replaces a channel (by code). Email: target = recipients (comma-separated), config host, port, from,
    /// tls (none | starttls | ssl), user; secret = the SMTP password. Webhook/DingTalk/WeCom: target = the URL; secret = the HMAC key
    /// (webhook) or the robot's signing secret (DingTalk).</summary>
    public async Task<AlertChannel> SetChannelAsync(string parkCode, AlertChannelDraft d, string user, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        var code = CheckCode(d.Code);
        var kind = (d.Kind ?? "").Trim().ToLowerInvariant();
        if (!AlertCodes.ChannelKinds.Contains(kind)) throw new ValidationException("kind", $"'{d.Kind}' is not one of {string.Join(", ", AlertCodes.ChannelKinds)}");
        var target = (d.Target ?? "").Trim();
        var config = new Dictionary<string, string>(d.Config ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        if (kind == "email")
        {
            var to = target.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (to.Length == 0 || to.Any(a => !MimeKit.MailboxAddress.TryParse(a, out _) || !a.Contains('@')))
                throw new ValidationException("target", $"'{target}' is not a comma-separated list of e-mail addresses");
            if (!config.TryGetValue("host", out var host) || string.IsNullOrWhiteSpace(host)) throw new ValidationException("config.host", "the SMTP host is required");
            if (!int.TryParse(config.GetValueOrDefault("port", "25"), NumberStyles.None, Inv, out var port) || port is < 1 or > 65535)
                throw new ValidationException("config.port", $"'{config.GetValueOrDefault("port")}' is not a port");
            if (!config.TryGetValue("from", out var from) || !MimeKit.MailboxAddress.TryParse(from, out _))
                throw new ValidationException("config.from", "the sender address is required");
            if (config.GetValueOrDefault("tls", "none") is not ("none" or "starttls" or "ssl")) throw new ValidationException("config.tls", "none | starttls | ssl");
        }
        else
        {
            if (!Uri.TryCreate(target, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https"))
                throw new ValidationException("target", $"'{target}' is not an http(s) URL");
        }
        var minSeverity = AlertCodes.Severity(d.MinSeverity ?? "info", "min_severity");
        var language = d.Language is null ? null : d.Language.Trim().ToLowerInvariant();
        if (language is not (null or "zh" or "en")) throw new ValidationException("language", $"'{d.Language}' is not one of zh, en");
        if (d.QuietFrom is < 0 or > 23) throw new ValidationException("quiet_from", "an hour 0–23");
        if (d.QuietTo is < 0 or > 23) throw new ValidationException("quiet_to", "an hour 0–23");
        if ((d.QuietFrom is null) != (d.QuietTo is null)) throw new ValidationException("quiet_to", "quiet hours need both a start and an end hour");
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var now = db.Clock.GetUtcNow().ToUnixTimeSeconds();
        var existing = await c.QueryFirstOrDefaultAsync<ChannelRow>("SELECT id, code, kind, target, config, secret, enabled, min_severity, quiet_from, quiet_to, language FROM alert_channels WHERE park_id = @p AND code = @code",
            new { p = reg.Park.Id.Value, code }, tx);
        var args = new { p = reg.Park.Id.Value, code, kind, target, config = JsonSerializer.Serialize(config), secret = d.Secret ?? existing?.secret,
            enabled = d.Enabled ?? true ? 1 : 0, min = minSeverity, qf = d.QuietFrom, qt = d.QuietTo, lang = language ?? existing?.language ?? "zh", now, user };
        if (existing is null)
            await c.ExecuteAsync("INSERT INTO alert_channels (park_id, code, kind, target, config, secret, enabled, min_severity, quiet_from, quiet_to, language, updated_at, updated_by) " +
                                 "VALUES (@p, @code, @kind, @target, @config, @secret, @enabled, @min, @qf, @qt, @lang, @now, @user)", args, tx);
        else
            await c.ExecuteAsync("UPDATE alert_channels SET kind = @kind, target = @target, config = @config, secret = @secret, enabled = @enabled, min_severity = @min, " +
                                 "quiet_from = @qf, quiet_to = @qt, language = @lang, updated_at = @now, updated_by = @user WHERE park_id = @p AND code = @code", args, tx);
        await db.AuditAsync(c, tx, reg.Park.Id.Value, user, existing is null ? "create" : "update", "alert_channel", code, null,
            existing is null ? null : $"{existing.kind} {existing.target}", $"{kind} {target}");
        await tx.CommitAsync(ct);
        return (await ChannelsAsync(parkCode, ct)).Single(x => x.Code == code);
    }

    public async Task DeleteChannelAsync(string parkCode, string code, string user, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var id = await c.ExecuteScalarAsync<long?>("SELECT id FROM alert_channels WHERE park_id = @p AND code = @code", new { p = reg.Park.Id.Value, code }, tx)
                 ?? throw new NotFoundException($"channel '{code}' not found in park '{parkCode}'");
        await c.ExecuteAsync("DELETE FROM alert_outbox WHERE channel_id = @id", new { id }, tx);
        await c.ExecuteAsync("DELETE FROM alert_channels WHERE id = @id", new { id }, tx);
        await db.AuditAsync(c, tx, reg.Park.Id.Value, user, "delete", "alert_channel", code, null, null, null);
        await tx.CommitAsync(ct);
    }

    // ------------------------------------------------------------------ outbox

    internal sealed class DueRow
    {
        public long id; public long park_id; public long alert_id; public long channel_id; public string @event = ""; public long attempts; public string? recipient;
    }

    /// <summary>A delivery due: <see cref="Recipient"/> set when it goes to one accountable person instead of the channel's target.</summary>
    internal sealed record Delivery(long Id, string Park, Alert Alert, string Event, int Attempts, string ChannelKind, string Target,
        IReadOnlyDictionary<string, string> Config, string? Secret, string Language = "zh", string? Recipient = null);

    /// <summary>Outbox rows due at <paramref name="now"/> (all parks), oldest first, at most <paramref name="max"/>.</summary>
    internal async Task<IReadOnlyList<Delivery>> DueAsync(DateTimeOffset now, int max, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = (await c.QueryAsync<DueRow>("SELECT id, park_id, alert_id, channel_id, event, attempts, recipient FROM alert_outbox WHERE status = 'pending' AND next_at <= @now ORDER BY next_at, id LIMIT @max",
            new { now = now.ToUnixTimeSeconds(), max })).ToList();
        var parks = (await c.QueryAsync<(long id, string code)>("SELECT id, code FROM parks")).ToDictionary(x => x.id, x => x.code);
        var list = new List<Delivery>();
        foreach (var r in rows)
        {
            var ch = await c.QueryFirstAsync<ChannelRow>("SELECT id, code, kind, target, config, secret, enabled, min_severity, quiet_from, quiet_to, language FROM alert_channels WHERE id = @id", new { id = r.channel_id });
            var park = parks[r.park_id];
            list.Add(new Delivery(r.id, park, await AlertAsync(park, r.alert_id, ct), r.@event, (int)r.attempts, ch.kind, ch.target,
                JsonSerializer.Deserialize<Dictionary<string, string>>(ch.config) ?? [], ch.secret, ch.language, r.recipient));
        }
        return list;
    }

    /// <summary>Back-off of failed deliveries: 1, 5, 15, 60, 240 minutes, then the delivery is marked failed (shown on the channels page).</summary>
    public static readonly int[] RetryMinutes = [1, 5, 15, 60, 240];

    internal async Task MarkAsync(Delivery d, DateTimeOffset now, string? error, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var t = now.ToUnixTimeSeconds();
        if (error is null)
        {
            await c.ExecuteAsync("UPDATE alert_outbox SET status = 'sent', attempts = attempts + 1, sent_at = @t, last_error = NULL WHERE id = @id", new { id = d.Id, t });
            await c.ExecuteAsync("UPDATE alerts SET last_notified_at = @t, notify_count = notify_count + 1 WHERE id = @id", new { id = d.Alert.Id, t });
            return;
        }
        var attempts = d.Attempts + 1;
        var failed = attempts > RetryMinutes.Length;
        await c.ExecuteAsync("UPDATE alert_outbox SET status = @status, attempts = @attempts, next_at = @next, last_error = @error WHERE id = @id",
            new { id = d.Id, status = failed ? "failed" : "pending", attempts, next = failed ? t : t + RetryMinutes[attempts - 1] * 60L, error = Cut(error, 1000) });
    }

    public async Task<IReadOnlyList<OutboxItem>> OutboxAsync(string parkCode, int limit = 200, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(long id, long alert_id, string code, string ev, string status, long attempts, long next_at, string? last_error, long? sent_at, string? recipient)>(
            "SELECT o.id, o.alert_id, ch.code, o.event, o.status, o.attempts, o.next_at, o.last_error, o.sent_at, o.recipient FROM alert_outbox o JOIN alert_channels ch ON ch.id = o.channel_id " +
            "WHERE o.park_id = @p ORDER BY o.id DESC LIMIT @limit", new { p = reg.Park.Id.Value, limit });
        return rows.Select(r => new OutboxItem(r.id, r.alert_id, r.code, r.ev, r.status, (int)r.attempts, reg.Clock.ToLocalOffset(r.next_at), r.last_error,
            r.sent_at is { } s ? reg.Clock.ToLocalOffset(s) : null) { Recipient = r.recipient }).ToList();
    }

    // ------------------------------------------------------------------ marks (the evaluator's per-park progress)

    internal async Task<long?> MarkValueAsync(long parkId, string mark, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<long?>("SELECT value FROM alert_marks WHERE park_id = @parkId AND mark = @mark", new { parkId, mark });
    }

    internal async Task SetMarkAsync(long parkId, string mark, long value, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await c.ExecuteAsync("INSERT INTO alert_marks (park_id, mark, value) VALUES (@parkId, @mark, @value) ON CONFLICT (park_id, mark) DO UPDATE SET value = excluded.value",
            new { parkId, mark, value });
    }

    /// <summary>
    /// The instant the server's alert loop evaluates a park at, when it is not now: a park whose data is a recorded history (the demo,
    /// or a park loaded from an archive) is evaluated at the end of that history instead of finding every meter offline at today's
    /// date. Null: the park is evaluated live. Set by <c>zeropark alerts as-of</c> and by the demo.
    /// </summary>
    public async Task<DateTimeOffset?> EvaluateAsOfAsync(string parkCode, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        return await MarkValueAsync(reg.Park.Id.Value, AsOfMark, ct) is { } s ? reg.Clock.ToLocalOffset(s) : null;
    }

    /// <summary>Sets (or, with null, clears) the instant the alert loop evaluates the park at; audited.</summary>
    public async Task SetEvaluateAsOfAsync(string parkCode, DateTimeOffset? at, string user, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        if (at is { } a)
            await c.ExecuteAsync("INSERT INTO alert_marks (park_id, mark, value) VALUES (@p, @m, @v) ON CONFLICT (park_id, mark) DO UPDATE SET value = excluded.value",
                new { p = reg.Park.Id.Value, m = AsOfMark, v = a.ToUnixTimeSeconds() }, tx);
        else
            await c.ExecuteAsync("DELETE FROM alert_marks WHERE park_id = @p AND mark = @m", new { p = reg.Park.Id.Value, m = AsOfMark }, tx);
        await db.AuditAsync(c, tx, reg.Park.Id.Value, user, "update", "alert_evaluation", parkCode, null, null,
            at is { } x ? "as of " + x.ToString("yyyy-MM-dd'T'HH:mmzzz", System.Globalization.CultureInfo.InvariantCulture) : "live");
        await tx.CommitAsync(ct);
    }

    internal const string AsOfMark = "evaluate_as_of";

    // ------------------------------------------------------------------ working-day calendar

    /// <summary>The shipped calendar lines (State Council notices 2025 and 2026), from the embedded china-calendar.csv.</summary>
    public static IReadOnlyList<CalendarDay> ShippedCalendar { get; } = LoadShipped();

    private static List<CalendarDay> LoadShipped()
    {
        var asm = typeof(AlertStore).Assembly;
        var name = asm.GetManifestResourceNames().Single(n => n.EndsWith("china-calendar.csv", StringComparison.Ordinal));
        using var s = asm.GetManifestResourceStream(name)!;
        using var r = new StreamReader(s);
        var (days, errors) = WorkingDayCalendar.ParseCsv(r);
        if (errors.Count > 0) throw new InvalidOperationException($"china-calendar.csv line {errors[0].Line}: {errors[0].Reason}");
        return days;
    }

    /// <summary>The user's calendar entries (they override the shipped ones).</summary>
    public async Task<IReadOnlyList<CalendarDay>> CalendarOverridesAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(string date, string kind, string name, string source)>("SELECT date, kind, name, source FROM calendar_days ORDER BY date");
        return rows.Select(r => new CalendarDay(DateOnly.ParseExact(r.date, "yyyy-MM-dd", Inv), WorkingDayCalendar.ParseKind(r.kind), r.name, r.source)).ToList();
    }

    public async Task<WorkingDayCalendar> CalendarAsync(CancellationToken ct = default) =>
        new(ShippedCalendar.Concat(await CalendarOverridesAsync(ct)));

    /// <summary>Sets the user's entry of a date (holiday, workday, or normal = an ordinary day whatever the shipped file says); audited.</summary>
    public async Task SetCalendarDaysAsync(IReadOnlyList<CalendarDay> days, string user, CancellationToken ct = default)
    {
        foreach (var d in days)
            if (d.Date.Year is < 2000 or > 2100) throw new ValidationException("date", $"{d.Date:yyyy-MM-dd} is outside 2000–2100");
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var now = db.Clock.GetUtcNow().ToUnixTimeSeconds();
        foreach (var d in days)
        {
            var date = d.Date.ToString("yyyy-MM-dd", Inv);
            await c.ExecuteAsync("INSERT INTO calendar_days (date, kind, name, source, updated_at, updated_by) VALUES (@date, @kind, @name, @source, @now, @user) " +
                                 "ON CONFLICT (date) DO UPDATE SET kind = excluded.kind, name = excluded.name, source = excluded.source, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                new { date, kind = WorkingDayCalendar.Code(d.Kind), name = Cut(d.Name, 100), source = Cut(d.Source.Length == 0 ? "user" : d.Source, 200), now, user }, tx);
            await db.AuditAsync(c, tx, null, user, "update", "calendar_day", date, null, null, $"{WorkingDayCalendar.Code(d.Kind)} {d.Name}");
        }
        await tx.CommitAsync(ct);
    }
}

/// <summary>Quiet hours of a channel in park-local time: [from, to) hours, wrapping midnight when from &gt; to (22 → 7).</summary>
public static class QuietHours
{
    public static bool IsQuiet(int hour, int? from, int? to) => from is { } f && to is { } t && f != t && (f < t ? hour >= f && hour < t : hour >= f || hour < t);

    /// <summary>The first instant at or after <paramref name="now"/> outside the quiet hours.</summary>
    public static long NextAllowed(ParkClock clock, long now, int? from, int? to)
    {
        if (from is null || to is null) return now;
        var local = clock.ToLocal(now);
        if (!IsQuiet(local.Hour, from, to)) return now;
        var end = local.Date.AddHours(to.Value);
        if (end <= local) end = end.AddDays(1);
        return clock.ToInstant(end);
    }
}
