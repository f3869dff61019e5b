using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ZeroPark.Application;
using ZeroPark.Application.Alerts;
using ZeroPark.Calendar;

namespace ZeroPark.Server.Endpoints;

/// <summary>Body of <c>POST …/alerts/evaluate</c>: the instant (ISO 8601 with offset; default now).</summary>
public sealed record EvaluateRequest(DateTimeOffset? At = null, IReadOnlyList<string>? Kinds = null);

/// <summary>When the server's alert loop evaluates a park: <c>at</c> (the end of a recorded history such as the demo) or null (live).</summary>
public sealed record EvaluateAsOfBody(DateTimeOffset? At = null);

/// <summary>Body of <c>POST …/alerts/{id}/ack</c> and <c>…/resolve</c>.</summary>
public sealed record AlertActionRequest(string? Comment = null);

/// <summary>Body of <c>POST …/alerts/rules/{code}/test</c>: local dates, inclusive.</summary>
public sealed record RuleTestRequest(DateOnly? From, DateOnly? To);

/// <summary>Body of <c>PUT …/alerts/rules/{code}</c>: fields to change; <c>unmute</c> clears a mute.</summary>
public sealed record RuleUpdateRequest(string? Name = null, IReadOnlyDictionary<string, string>? Params = null, string? Severity = null, bool? Enabled = null,
    DateTimeOffset? MutedUntil = null, int? RenotifyMinutes = null, bool? Unmute = null);

/// <summary>Body of <c>PUT /api/calendar/{date}</c>.</summary>
public sealed record CalendarDayRequest(string? Kind, string? Name = null, string? Source = null);

public sealed record CalendarDayView(string Date, string Weekday, string Kind, string Name, string Source)
{
    public static CalendarDayView From(CalendarDay d) => new(d.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), d.Date.DayOfWeek.ToString(),
        WorkingDayCalendar.Code(d.Kind), d.Name, d.Source);
}

public sealed record HistoryFindingView(DateTimeOffset At, string Rule, string Subject, string Period, string Message, double? Value, double? Normal, string Details);

public sealed record RuleTestView(string Rule, IReadOnlyList<HistoryFindingView> Findings, IReadOnlyList<string> Notes);

/// <summary>Alerts (issue 15): <c>/api/parks/{park}/alerts…</c> (alerts, lifecycle, evaluation, rules, channels, outbox),
/// <c>/api/alerts/rule-kinds</c> and the working-day calendar <c>/api/calendar</c>; the same services as <c>zeropark alerts</c>.</summary>
internal static class AlertEndpoints
{
    public static void MapAlertEndpoints(this IEndpointRouteBuilder api)
    {
        var g = api.MapGroup("/parks/{park}/alerts").WithTags("Alerts");
        g.MapGet("", ListAsync).WithSummary("Alerts of the park, newest first, each with its KPIs and accountable people; filters status, rule, severity, kind, from, to (local dates), person (accountable person code)");
        g.MapGet("/count", CountAsync).WithSummary("Open and acknowledged alerts (the bell)");
        g.MapPost("/evaluate", (string park, HttpRequest r, AlertEngine e, TimeProvider clock, ApiJson json, CancellationToken ct) => EvaluateAsync(park, r, json, e, clock, ct))
            .Accepts<EvaluateRequest>("application/json").WithSummary("Evaluate the park's rules as of {at} (default now); answers the alerts this evaluation raised");
        g.MapGet("/as-of", AsOfAsync).WithSummary("When the server's alert loop evaluates the park: {at} for a recorded history such as the demo, null when live");
        g.MapPut("/as-of", (string park, HttpRequest r, AlertStore s, ApiJson json, CancellationToken ct) => SetAsOfAsync(park, r, json, s, ct))
            .Accepts<EvaluateAsOfBody>("application/json").WithSummary("Evaluate the park at {at} (the end of a recorded history), or live again with {at: null}");
        g.MapPost("/{id:long}/ack", (string park, long id, HttpRequest r, AlertStore s, ApiJson json, CancellationToken ct) => AckAsync(park, id, r, json, s, ct))
            .Accepts<AlertActionRequest>("application/json").WithSummary("Acknowledge an open alert {comment}");
        g.MapPost("/{id:long}/resolve", (string park, long id, HttpRequest r, AlertStore s, ApiJson json, CancellationToken ct) => ResolveAsync(park, id, r, json, s, ct))
            .Accepts<AlertActionRequest>("application/json").WithSummary("Resolve an alert by hand {comment (required)}");
        g.MapGet("/rules", (string park, AlertStore s, CancellationToken ct) => s.RulesAsync(park, ct)).WithSummary("The park's rules (defaults installed for a new park)");
        g.MapPost("/rules", (string park, HttpRequest r, AlertStore s, ApiJson json, CancellationToken ct) => CreateRuleAsync(park, r, json, s, ct))
            .Accepts<AlertRuleDraft>("application/json").WithSummary("Create a rule {code, kind, name, params, severity, renotify_minutes}");
        g.MapPut("/rules/{code}", (string park, string code, HttpRequest r, AlertStore s, ApiJson json, CancellationToken ct) => UpdateRuleAsync(park, code, r, json, s, ct))
            .Accepts<RuleUpdateRequest>("application/json").WithSummary("Edit, mute (muted_until), unmute, enable or disable a rule");
        g.MapDelete("/rules/{code}", DeleteRuleAsync).WithSummary("Delete a rule and its alerts");
        g.MapPost("/rules/{code}/test", (string park, string code, HttpRequest r, AlertStore s, AlertEngine e, ApiJson json, CancellationToken ct) => TestRuleAsync(park, code, r, json, s, e, ct))
            .Accepts<RuleTestRequest>("application/json").WithSummary("What the rule would have raised between {from} and {to} (nothing recorded)");
        g.MapGet("/channels", (string park, AlertStore s, CancellationToken ct) => s.ChannelsAsync(park, ct)).WithSummary("Channels with pending and failed deliveries and the last error");
        g.MapPut("/channels/{code}", (string park, string code, HttpRequest r, AlertStore s, ApiJson json, CancellationToken ct) => SetChannelAsync(park, code, r, json, s, ct))
            .Accepts<AlertChannelDraft>("application/json").WithSummary("Create or replace a channel {kind: email|webhook|dingtalk|wecom, target, config, secret, min_severity, quiet_from, quiet_to, language: zh (default) | en}");
        g.MapDelete("/channels/{code}", DeleteChannelAsync).WithSummary("Delete a channel and its deliveries");
        g.MapGet("/outbox", (string park, AlertStore s, CancellationToken ct) => s.OutboxAsync(park, 200, ct)).WithSummary("Notification deliveries: pending, sent, failed with the last error");

        api.MapGet("/alerts/rule-kinds", () => AlertRuleKinds.All).WithTags("Alerts").WithSummary("Rule kinds and their parameters");
        var cal = api.MapGroup("/calendar").WithTags("Alerts");
        cal.MapGet("", CalendarAsync).WithSummary("China's working-day calendar: holidays and adjusted working days (shipped + your entries), optionally of one year");
        cal.MapGet("/first-working-day", FirstWorkingDayAsync).WithSummary("The first working day of month=YYYY-MM");
        cal.MapPut("/{date}", (string date, HttpRequest r, AlertStore s, ApiJson json, CancellationToken ct) => SetCalendarDayAsync(date, r, json, s, ct))
            .Accepts<CalendarDayRequest>("application/json").WithSummary("Set a date: {kind: holiday|workday|normal, name, source}");
    }

    private static async Task<Ok<IReadOnlyList<Alert>>> ListAsync(string park, [FromQuery] string? status, [FromQuery] string? rule, [FromQuery] string? severity,
        [FromQuery] string? kind, [FromQuery] string? from, [FromQuery] string? to, [FromQuery] string? person, AlertStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.AlertsAsync(park, new AlertFilter(Blank(status), Blank(rule), Blank(severity), Blank(kind),
            Blank(from) is { } f ? Query.Date(f, "from") : null, Blank(to) is { } t ? Query.Date(t, "to") : null) { Person = Blank(person) }, ct));

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static async Task<Ok<object>> CountAsync(string park, AlertStore store, CancellationToken ct)
    {
        var (open, ack) = await store.CountsAsync(park, ct);
        return TypedResults.Ok<object>(new { open, acknowledged = ack });
    }

    private static async Task<Ok<IReadOnlyList<Alert>>> EvaluateAsync(string park, HttpRequest request, ApiJson json, AlertEngine engine, TimeProvider clock, CancellationToken ct)
    {
        var body = request.ContentLength is > 0 ? await json.ReadAsync<EvaluateRequest>(request, ct) : new EvaluateRequest();
        return TypedResults.Ok(await engine.EvaluateAsync(park, body.At ?? clock.GetUtcNow(), body.Kinds, ct));
    }

    private static async Task<Ok<EvaluateAsOfBody>> AsOfAsync(string park, AlertStore store, CancellationToken ct) =>
        TypedResults.Ok(new EvaluateAsOfBody(await store.EvaluateAsOfAsync(park, ct)));

    private static async Task<Ok<EvaluateAsOfBody>> SetAsOfAsync(string park, HttpRequest request, ApiJson json, AlertStore store, CancellationToken ct)
    {
        var body = await json.ReadAsync<EvaluateAsOfBody>(request, ct);
        await store.SetEvaluateAsOfAsync(park, body.At, UserAccess.Actor(request.HttpContext), ct);
        return TypedResults.Ok(new EvaluateAsOfBody(await store.EvaluateAsOfAsync(park, ct)));
    }

    private static async Task<Ok<Alert>> AckAsync(string park, long id, HttpRequest request, ApiJson json, AlertStore store, CancellationToken ct)
    {
        var body = request.ContentLength is > 0 ? await json.ReadAsync<AlertActionRequest>(request, ct) : new AlertActionRequest();
        return TypedResults.Ok(await store.AcknowledgeAsync(park, id, UserAccess.Actor(request.HttpContext), body.Comment, ct));
    }

    private static async Task<Ok<Alert>> ResolveAsync(string park, long id, HttpRequest request, ApiJson json, AlertStore store, CancellationToken ct)
    {
        var body = request.ContentLength is > 0 ? await json.ReadAsync<AlertActionRequest>(request, ct) : new AlertActionRequest();
        return TypedResults.Ok(await store.ResolveAsync(park, id, UserAccess.Actor(request.HttpContext), body.Comment, ct));
    }

    private static async Task<Created<AlertRule>> CreateRuleAsync(string park, HttpRequest request, ApiJson json, AlertStore store, CancellationToken ct)
    {
        var body = await json.ReadAsync<AlertRuleDraft>(request, ct);
        var rule = await store.CreateRuleAsync(park, body, UserAccess.Actor(request.HttpContext), ct);
        return TypedResults.Created($"/api/parks/{park}/alerts/rules/{rule.Code}", rule);
    }

    private static async Task<Ok<AlertRule>> UpdateRuleAsync(string park, string code, HttpRequest request, ApiJson json, AlertStore store, CancellationToken ct)
    {
        var b = await json.ReadAsync<RuleUpdateRequest>(request, ct);
        return TypedResults.Ok(await store.UpdateRuleAsync(park, code, new AlertRuleDraft(null, null, b.Name, b.Params, b.Severity, b.Enabled, b.MutedUntil, b.RenotifyMinutes),
            UserAccess.Actor(request.HttpContext), b.Unmute ?? false, ct));
    }

    private static async Task<NoContent> DeleteRuleAsync(string park, string code, HttpContext ctx, AlertStore store, CancellationToken ct)
    {
        await store.DeleteRuleAsync(park, code, UserAccess.Actor(ctx), ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<RuleTestView>> TestRuleAsync(string park, string code, HttpRequest request, ApiJson json, AlertStore store, AlertEngine engine, CancellationToken ct)
    {
        var b = await json.ReadAsync<RuleTestRequest>(request, ct);
        if (b.From is not { } from) throw new ValidationException("from", "a local date is required");
        if (b.To is not { } to) throw new ValidationException("to", "a local date is required");
        var rule = await store.RuleAsync(park, code, ct);
        var (found, notes) = await engine.TestAsync(park, rule, from, to, ct);
        return TypedResults.Ok(new RuleTestView(rule.Code, found.Select(f => new HistoryFindingView(f.At, rule.Code, f.Finding.Subject, f.Finding.Period, f.Finding.Message,
            f.Finding.Value, f.Finding.Normal, f.Finding.Details)).ToList(), notes));
    }

    private static async Task<Ok<AlertChannel>> SetChannelAsync(string park, string code, HttpRequest request, ApiJson json, AlertStore store, CancellationToken ct)
    {
        var b = await json.ReadAsync<AlertChannelDraft>(request, ct);
        return TypedResults.Ok(await store.SetChannelAsync(park, b with { Code = code }, UserAccess.Actor(request.HttpContext), ct));
    }

    private static async Task<NoContent> DeleteChannelAsync(string park, string code, HttpContext ctx, AlertStore store, CancellationToken ct)
    {
        await store.DeleteChannelAsync(park, code, UserAccess.Actor(ctx), ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<List<CalendarDayView>>> CalendarAsync([FromQuery] int? year, AlertStore store, CancellationToken ct)
    {
        var cal = await store.CalendarAsync(ct);
        return TypedResults.Ok(cal.Entries.Where(d => year is null || d.Date.Year == year).OrderBy(d => d.Date).Select(CalendarDayView.From).ToList());
    }

    private static async Task<Ok<object>> FirstWorkingDayAsync([FromQuery] string? month, AlertStore store, CancellationToken ct)
    {
        if (!DateOnly.TryParseExact((month ?? "") + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            throw new ValidationException("month", $"'{month}' is not YYYY-MM");
        var cal = await store.CalendarAsync(ct);
        return TypedResults.Ok<object>(new { month, first_working_day = cal.FirstWorkingDay(d.Year, d.Month).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) });
    }

    private static async Task<Ok<CalendarDayView>> SetCalendarDayAsync(string date, HttpRequest request, ApiJson json, AlertStore store, CancellationToken ct)
    {
        var d = Query.Date(date, "date");
        var b = await json.ReadAsync<CalendarDayRequest>(request, ct);
        CalendarDayKind kind;
        try { kind = WorkingDayCalendar.ParseKind(b.Kind); }
        catch (FormatException e) { throw new ValidationException("kind", e.Message); }
        var day = new CalendarDay(d, kind, b.Name ?? "", b.Source ?? "");
        await store.SetCalendarDaysAsync([day], UserAccess.Actor(request.HttpContext), ct);
        return TypedResults.Ok(CalendarDayView.From(day));
    }
}
