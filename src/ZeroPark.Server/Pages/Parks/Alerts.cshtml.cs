using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using ZeroPark.Application;
using ZeroPark.Application.Alerts;
using ZeroPark.Server.Endpoints;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>The park's alerts with filters (status, severity, rule, dates), acknowledge and resolve (with a comment), and
/// "evaluate now" (the same <see cref="AlertEngine"/> as <c>POST …/alerts/evaluate</c>).</summary>
public sealed class AlertsModel(ZeroParkStore store, AlertEngine engine, TimeProvider clock) : DataPageModel(store)
{
    public IReadOnlyList<Alert> Alerts { get; private set; } = [];
    public IReadOnlyList<AlertRule> Rules { get; private set; } = [];
    public string? Status { get; private set; }
    public string? Severity { get; private set; }
    public string? Rule { get; private set; }
    public string? From { get; private set; }
    public string? To { get; private set; }
    /// <summary>The instant the alert loop evaluates this park at when its data is a recorded history (the demo); null when live.</summary>
    public DateTimeOffset? AsOf { get; private set; }
    public bool CanAct => UserAccess.Allows(Me.Role, UserAccess.Access.RegistryWrite);

    public async Task<IActionResult> OnGetAsync(string park, string? status, string? severity, string? rule, string? from, string? to, CancellationToken ct)
    {
        if (!await LoadAsync(park, ct)) return NotFound();
        await ListAsync(status ?? "open", severity, rule, from, to, ct);
        return Page();
    }

    private async Task ListAsync(string? status, string? severity, string? rule, string? from, string? to, CancellationToken ct)
    {
        Status = AlertCodes.Statuses.Contains(status) ? status : null;
        Severity = AlertCodes.Severities.Contains(severity) ? severity : null;
        Rules = await Store.Alerts.RulesAsync(Park.Code, ct);
        Rule = Rules.Any(r => r.Code == rule) ? rule : null;
        DateOnly? D(string? s) => DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
        From = D(from)?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        To = D(to)?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Alerts = await Store.Alerts.AlertsAsync(Park.Code, new AlertFilter(Status, Rule, Severity, null, D(from), D(to)), ct);
        AsOf = await Store.Alerts.EvaluateAsOfAsync(Park.Code, ct);
    }

    public async Task<IActionResult> OnPostAckAsync(string park, long id, string? comment, CancellationToken ct) =>
        await ActAsync(park, async () => { await Store.Alerts.AcknowledgeAsync(park, id, Me.Name, comment, ct); Message = T("al.done.ack", id); }, ct);

    public async Task<IActionResult> OnPostResolveAsync(string park, long id, string? comment, CancellationToken ct) =>
        await ActAsync(park, async () => { await Store.Alerts.ResolveAsync(park, id, Me.Name, comment, ct); Message = T("al.done.resolve", id); }, ct);

    public async Task<IActionResult> OnPostEvaluateAsync(string park, CancellationToken ct) =>
        await ActAsync(park, async () =>
        {
            var at = await Store.Alerts.EvaluateAsOfAsync(park, ct) ?? clock.GetUtcNow();
            Message = T("al.done.evaluate", (await engine.EvaluateAsync(park, at, null, ct)).Count);
        }, ct);

    public async Task<IActionResult> OnPostLiveAsync(string park, CancellationToken ct) =>
        await ActAsync(park, async () => { await Store.Alerts.SetEvaluateAsOfAsync(park, null, Me.Name, ct); Message = T("al.asof.done.live"); }, ct);

    private async Task<IActionResult> ActAsync(string park, Func<Task> action, CancellationToken ct)
    {
        if (!await LoadAsync(park, ct)) return NotFound();
        if (!CanAct) return Forbidden();
        try { await action(); }
        catch (Exception e) when (e is ValidationException or ConflictException or NotFoundException) { Show(e); }
        await ListAsync(Request.Query["status"], Request.Query["severity"], Request.Query["rule"], Request.Query["from"], Request.Query["to"], ct);
        return Page();
    }

    /// <summary>The display name of a rule: the UI's own text for an unchanged default rule, else the name a user gave it.</summary>
    public static string RuleName(string code, string name) =>
        AlertRuleKinds.Defaults().Any(d => d.Code == code && d.Name == name) ? TOr("al.rule." + code, name) : name;
}
