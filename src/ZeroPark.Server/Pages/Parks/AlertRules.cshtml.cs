using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using ZeroPark.Application;
using ZeroPark.Application.Alerts;
using ZeroPark.Calendar;
using ZeroPark.Server.Endpoints;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>Alert rules as data: list, create (kind + parameters as name=value lines), mute for a day / unmute, switch on/off,
/// delete, test against history ("what would this rule have raised"), and the working-day calendar (holidays and 调休).</summary>
public sealed class AlertRulesModel(ZeroParkStore store, AlertEngine engine, TimeProvider clock) : DataPageModel(store)
{
    public IReadOnlyList<AlertRule> Rules { get; private set; } = [];
    public bool CanEdit => UserAccess.Allows(Me.Role, UserAccess.Access.RegistryWrite);
    public string? TestedRule { get; private set; }
    public IReadOnlyList<HistoryFinding>? Tested { get; private set; }
    public IReadOnlyList<string> TestNotes { get; private set; } = [];
    public int CalendarYear { get; private set; }
    public IReadOnlyList<CalendarDay> CalendarDays { get; private set; } = [];
    public IReadOnlyList<(int Month, DateOnly First)> FirstWorkingDays { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string park, int? year, CancellationToken ct)
    {
        if (!await LoadAsync(park, ct)) return NotFound();
        await FillAsync(year, ct);
        return Page();
    }

    private async Task FillAsync(int? year, CancellationToken ct)
    {
        Rules = await Store.Alerts.RulesAsync(Park.Code, ct);
        var today = Park.Clock.LocalDate(clock.GetUtcNow().ToUnixTimeSeconds());
        CalendarYear = year is >= 2000 and <= 2100 ? year.Value : today.Year is 2025 or 2026 ? today.Year : 2026;
        var cal = await Store.Alerts.CalendarAsync(ct);
        CalendarDays = cal.Entries.Where(d => d.Date.Year == CalendarYear).OrderBy(d => d.Date).ToList();
        FirstWorkingDays = Enumerable.Range(1, 12).Select(m => (m, cal.FirstWorkingDay(CalendarYear, m))).ToList();
    }

    private async Task<IActionResult> ActAsync(string park, Func<Task> action, CancellationToken ct)
    {
        if (!await LoadAsync(park, ct)) return NotFound();
        if (!CanEdit) return Forbidden();
        try { await action(); }
        catch (Exception e) when (e is ValidationException or ConflictException or NotFoundException) { Show(e); }
        await FillAsync(int.TryParse(Request.Query["year"], CultureInfo.InvariantCulture, out var y) ? y : null, ct);
        return Page();
    }

    public static Dictionary<string, string> ParseParams(string? text)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in (text ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var i = line.IndexOf('=', StringComparison.Ordinal);
            if (i <= 0) throw new ValidationException("params", $"'{line}' is not name=value");
            d[line[..i].Trim()] = line[(i + 1)..].Trim();
        }
        return d;
    }

    public Task<IActionResult> OnPostCreateAsync(string park, string? code, string? kind, string? name, string? parameters, string? severity, int? renotify, CancellationToken ct) =>
        ActAsync(park, async () =>
        {
            var r = await Store.Alerts.CreateRuleAsync(park, new AlertRuleDraft(code, kind, name, ParseParams(parameters), severity, null, null, renotify), Me.Name, ct);
            Message = T("al.done.created", r.Code);
        }, ct);

    public Task<IActionResult> OnPostMuteAsync(string park, string code, CancellationToken ct) =>
        ActAsync(park, async () =>
        {
            var r = await Store.Alerts.UpdateRuleAsync(park, code, new AlertRuleDraft(null, null, MutedUntil: clock.GetUtcNow().AddDays(1)), Me.Name, false, ct);
            Message = T("al.done.muted", r.Code, r.MutedUntil!.Value.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
        }, ct);

    public Task<IActionResult> OnPostUnmuteAsync(string park, string code, CancellationToken ct) =>
        ActAsync(park, async () => { await Store.Alerts.UpdateRuleAsync(park, code, new AlertRuleDraft(null, null), Me.Name, true, ct); Message = T("al.done.unmuted", code); }, ct);

    public Task<IActionResult> OnPostToggleAsync(string park, string code, CancellationToken ct) =>
        ActAsync(park, async () =>
        {
            var r = await Store.Alerts.RuleAsync(park, code, ct);
            await Store.Alerts.UpdateRuleAsync(park, code, new AlertRuleDraft(null, null, Enabled: !r.Enabled), Me.Name, false, ct);
            Message = T(r.Enabled ? "al.done.disabled" : "al.done.enabled", code);
        }, ct);

    public Task<IActionResult> OnPostDeleteAsync(string park, string code, CancellationToken ct) =>
        ActAsync(park, async () => { await Store.Alerts.DeleteRuleAsync(park, code, Me.Name, ct); Message = T("al.done.deleted", code); }, ct);

    public async Task<IActionResult> OnPostTestAsync(string park, string code, string? from, string? to, CancellationToken ct)
    {
        if (!await LoadAsync(park, ct)) return NotFound();
        try
        {
            var f = DateOnly.TryParseExact(from, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var a) ? a : throw new ValidationException("from", $"'{from}' is not a date (YYYY-MM-DD)");
            var t = DateOnly.TryParseExact(to, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var b) ? b : throw new ValidationException("to", $"'{to}' is not a date (YYYY-MM-DD)");
            var rule = await Store.Alerts.RuleAsync(park, code, ct);
            (Tested, TestNotes) = await engine.TestAsync(park, rule, f, t, ct);
            TestedRule = rule.Code;
        }
        catch (Exception e) when (e is ValidationException or NotFoundException) { Show(e); }
        await FillAsync(null, ct);
        return Page();
    }

    public Task<IActionResult> OnPostCalendarAsync(string park, string? date, string? kind, string? name, CancellationToken ct) =>
        ActAsync(park, async () =>
        {
            var d = DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var x) ? x : throw new ValidationException("date", $"'{date}' is not a date (YYYY-MM-DD)");
            CalendarDayKind k;
            try { k = WorkingDayCalendar.ParseKind(kind); }
            catch (FormatException e) { throw new ValidationException("kind", e.Message); }
            await Store.Alerts.SetCalendarDaysAsync([new CalendarDay(d, k, name ?? "", "user")], Me.Name, ct);
            Message = T("al.done.calendar", d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }, ct);
}
