using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ZeroPark.Application;
using ZeroPark.Application.Export;
using ZeroPark.Application.Optimisation;
using ZeroPark.Optimisation;

namespace ZeroPark.Server.Endpoints;

/// <summary>Body of <c>POST /api/parks/{park}/forecasts</c>.</summary>
public sealed record ForecastRequest(string? Target, string? Horizon, string? Node);

/// <summary>Body of <c>POST …/suggestions/analyse</c>.</summary>
public sealed record AnalyseRequest(string? From, string? To);

/// <summary>Body of <c>POST …/suggestions/{id}/accept|reject|snooze|reopen</c>.</summary>
public sealed record SuggestionAction(string? Measure = null, string? Reason = null, string? Until = null);

/// <summary>Body of <c>PUT …/suggestions/settings</c>: the park's assumptions of the over-cooled-rooms rule (null or absent: unchanged).</summary>
public sealed record OptimisationSettingsRequest(double? RoomTargetC = null, double? RoomMarginK = null, double? RoomSavingPerK = null);

/// <summary>Energy optimisation (issue 18), with the same parameters and JSON as the CLI's <c>zeropark forecast|pue|suggestions|efficiency</c>:
/// forecasts and their backtests, stored forecasts against actuals, next year's outlook, PUE drivers, saving suggestions and the
/// efficiency report (<c>format=xlsx</c> for the workbook).</summary>
internal static class OptimisationEndpoints
{
    public static void MapOptimisationEndpoints(this IEndpointRouteBuilder api)
    {
        var g = api.MapGroup("/parks/{park}").WithTags("Optimisation");
        g.MapGet("/forecast/backtest", Backtest)
            .WithSummary("Rolling-origin backtest of a target (it_load, facility_energy, cooling_energy, pue) and horizon (day: 24 h hourly; week: 7 days daily): " +
                         "mape, mae, baseline_mape, baseline_mae (seasonal naive), points, per lead, and what is shown")
            .WithDescription("node = park or building code; from, to = local dates of the origins (default: the last 60 complete days).")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        g.MapGet("/forecast", Preview)
            .WithSummary("The forecast from the end of the last complete day with its backtest (not stored; POST …/forecasts stores one)")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        g.MapPost("/forecasts", Create)
            .Accepts<ForecastRequest>("application/json")
            .WithSummary("Make and store a forecast {target, horizon, node}; it is compared with the actuals later (GET …/forecasts/{id}/compare)")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        g.MapGet("/forecasts", List).WithSummary("Stored forecasts, newest first (node, target, horizon filter)").ProducesValidationProblem();
        g.MapGet("/forecasts/{id:long}/compare", Compare).WithSummary("A stored forecast against the actuals known now").ProducesProblem(StatusCodes.Status404NotFound);
        g.MapGet("/forecast/outlook", Outlook)
            .WithSummary("Next year's electricity by month and its location-based emissions (for the plans and the neutrality targets), with the electricity plan")
            .ProducesValidationProblem();
        g.MapGet("/pue/drivers", PueDrivers)
            .WithSummary("Driver weights of the daily PUE or CLF (response) with standard errors and 95 % intervals, the expected value at at_temp/at_load/at_chw, " +
                         "and the normalised value per month")
            .ProducesValidationProblem();
        g.MapGet("/suggestions", Suggestions).WithSummary("Saving suggestions, largest saving first (status = open | accepted | rejected | snoozed)");
        g.MapPost("/suggestions/analyse", Analyse)
            .Accepts<AnalyseRequest>("application/json")
            .WithSummary("Run the saving rules over {from, to} (default: the last 30 complete days) and store what they find")
            .ProducesValidationProblem();
        g.MapGet("/suggestions/settings", Settings)
            .WithSummary("The park's assumptions of the over-cooled-rooms rule: room_target_c (inlet set-point, °C, 18–27), room_margin_k, room_saving_per_k");
        g.MapPut("/suggestions/settings", SetSettings)
            .Accepts<OptimisationSettingsRequest>("application/json")
            .WithSummary("Change the over-cooled-rooms assumptions {room_target_c, room_margin_k, room_saving_per_k} (absent: unchanged); audited")
            .ProducesValidationProblem();
        foreach (var action in new[] { "accept", "reject", "snooze", "reopen" })
            g.MapPost("/suggestions/{id:long}/" + action, action switch { "accept" => Accept, "reject" => Reject, "snooze" => (Delegate)Snooze, _ => Reopen })
                .Accepts<SuggestionAction>("application/json")
                .WithSummary(action switch
                {
                    "accept" => "Accept: the suggestion becomes a reduction measure {measure}",
                    "reject" => "Reject with {reason}",
                    "snooze" => "Snooze {until: YYYY-MM-DD}",
                    _ => "Open again",
                })
                .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        g.MapGet("/efficiency", Efficiency)
            .WithSummary("The efficiency report of a year: monthly and yearly PUE and drivers, normalised PUE, forecasts vs actuals, suggestions and savings; format = json | xlsx")
            .ProducesValidationProblem();
    }

    private static async Task<Ok<BacktestResult>> Backtest(string park, [FromQuery] string? target, [FromQuery] string? horizon, [FromQuery] string? node,
        [FromQuery] string? from, [FromQuery] string? to, ForecastService service, CancellationToken ct) =>
        TypedResults.Ok(await service.BacktestAsync(park, Blank(node), Required(target, "target"), ForecastService.ParseHorizon(horizon ?? "day"),
            OptionalDate(from, "from"), OptionalDate(to, "to"), ct));

    private static async Task<Ok<ForecastRun>> Preview(string park, [FromQuery] string? target, [FromQuery] string? horizon, [FromQuery] string? node,
        HttpContext ctx, ForecastService service, CancellationToken ct) =>
        TypedResults.Ok(await service.ForecastAsync(park, Blank(node), Required(target, "target"), ForecastService.ParseHorizon(horizon ?? "day"), false,
            UserAccess.Actor(ctx), ct));

    private static async Task<Ok<ForecastRun>> Create(string park, HttpRequest request, ForecastService service, ApiJson json, CancellationToken ct)
    {
        var body = await json.ReadAsync<ForecastRequest>(request, ct);
        return TypedResults.Ok(await service.ForecastAsync(park, Blank(body.Node), Required(body.Target, "target"), ForecastService.ParseHorizon(body.Horizon ?? "day"), true,
            UserAccess.Actor(request.HttpContext), ct));
    }

    private static async Task<Ok<IReadOnlyList<StoredForecast>>> List(string park, [FromQuery] string? node, [FromQuery] string? target, [FromQuery] string? horizon,
        ZeroParkStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.Optimisation.ListForecastsAsync(park, Blank(node), Blank(target) is { } t ? ForecastTargets.Parse(t) : null,
            Blank(horizon) is { } h ? ForecastService.Code(ForecastService.ParseHorizon(h)) : null, 50, ct));

    private static async Task<Ok<ForecastComparisonView>> Compare(string park, long id, ForecastService service, CancellationToken ct) =>
        TypedResults.Ok(ForecastComparisonView.From(await service.CompareAsync(park, id, ct)));

    private static async Task<Ok<Outlook>> Outlook(string park, [FromQuery] string? node, [FromQuery] string? year, OutlookService service, CancellationToken ct) =>
        TypedResults.Ok(await service.OutlookAsync(park, Blank(node), Blank(year) is { } y ? Query.Int(y, "year", 0, 2000, 2100) : null, ct));

    private static async Task<Ok<DriverResult>> PueDrivers(string park, [FromQuery] string? node, [FromQuery] string? response, [FromQuery] string? from,
        [FromQuery] string? to, [FromQuery(Name = "at_temp")] string? atTemp, [FromQuery(Name = "at_load")] string? atLoad, [FromQuery(Name = "at_chw")] string? atChw,
        DriverService service, CancellationToken ct)
    {
        var at = new Dictionary<string, double>();
        if (Number(atTemp, "at_temp") is { } t) at[Drivers.OutdoorTemperature] = t;
        if (Number(atLoad, "at_load") is { } l) at[Drivers.ItLoadRate] = l;
        if (Number(atChw, "at_chw") is { } c) at[Drivers.ChilledWaterSupply] = c;
        return TypedResults.Ok(await service.AnalyseAsync(park, Blank(node), response, OptionalDate(from, "from"), OptionalDate(to, "to"), at, ct));
    }

    private static async Task<Ok<IReadOnlyList<Suggestion>>> Suggestions(string park, [FromQuery] string? status, ZeroParkStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.Optimisation.ListSuggestionsAsync(park, Blank(status) is { } s ? Status(s) : null, ct));

    private static async Task<Ok<SuggestionAnalysis>> Analyse(string park, HttpRequest request, ApiJson json, SuggestionService service, CancellationToken ct)
    {
        var body = request.ContentLength is null or 0 ? new AnalyseRequest(null, null) : await json.ReadAsync<AnalyseRequest>(request, ct);
        return TypedResults.Ok(await service.AnalyseAsync(park, OptionalDate(body.From, "from"), OptionalDate(body.To, "to"), UserAccess.Actor(request.HttpContext), ct));
    }

    private static async Task<Ok<OptimisationSettings>> Settings(string park, ZeroParkStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.Optimisation.SettingsAsync(park, ct));

    private static async Task<Ok<OptimisationSettings>> SetSettings(string park, HttpRequest request, ApiJson json, ZeroParkStore store, CancellationToken ct)
    {
        var body = await json.ReadAsync<OptimisationSettingsRequest>(request, ct);
        return TypedResults.Ok(await store.Optimisation.SetSettingsAsync(park, body.RoomTargetC, body.RoomMarginK, body.RoomSavingPerK, UserAccess.Actor(request.HttpContext), ct));
    }

    private static Task<Ok<Suggestion>> Accept(string park, long id, HttpRequest request, ApiJson json, SuggestionService service, CancellationToken ct) =>
        Act(park, id, "accept", request, json, service, ct);

    private static Task<Ok<Suggestion>> Reject(string park, long id, HttpRequest request, ApiJson json, SuggestionService service, CancellationToken ct) =>
        Act(park, id, "reject", request, json, service, ct);

    private static Task<Ok<Suggestion>> Snooze(string park, long id, HttpRequest request, ApiJson json, SuggestionService service, CancellationToken ct) =>
        Act(park, id, "snooze", request, json, service, ct);

    private static Task<Ok<Suggestion>> Reopen(string park, long id, HttpRequest request, ApiJson json, SuggestionService service, CancellationToken ct) =>
        Act(park, id, "reopen", request, json, service, ct);

    private static async Task<Ok<Suggestion>> Act(string park, long id, string action, HttpRequest request, ApiJson json, SuggestionService service, CancellationToken ct)
    {
        var body = request.ContentLength is null or 0 ? new SuggestionAction() : await json.ReadAsync<SuggestionAction>(request, ct);
        var user = UserAccess.Actor(request.HttpContext);
        return TypedResults.Ok(action switch
        {
            "accept" => await service.AcceptAsync(park, id, body.Measure, user, ct),
            "reject" => await service.RejectAsync(park, id, body.Reason, user, ct),
            "snooze" => await service.SnoozeAsync(park, id, OptionalDate(body.Until, "until"), user, ct),
            _ => await service.ReopenAsync(park, id, user, ct),
        });
    }

    private static async Task<Results<Ok<EfficiencyReport>, FileContentHttpResult>> Efficiency(string park, [FromQuery] string? node, [FromQuery] string? year,
        [FromQuery] string? format, EfficiencyReportService service, CancellationToken ct)
    {
        var xlsx = format?.Trim().ToLowerInvariant() switch
        {
            null or "" or "json" => false,
            "xlsx" => true,
            _ => throw new ValidationException("format", $"'format': '{format}' is not json or xlsx"),
        };
        var r = await service.ReportAsync(park, Blank(node), Blank(year) is { } y ? Query.Int(y, "year", 0, 2000, 2100) : null, ct);
        return xlsx
            ? TypedResults.File(XlsxWriter.ToBytes(EfficiencyReportService.Sheets(r)), XlsxWriter.ContentType, $"{park}-efficiency-{r.Year}.xlsx")
            : TypedResults.Ok(r);
    }

    internal static string Status(string s) => s.Trim().ToLowerInvariant() is var v && v is SuggestionStatus.Open or SuggestionStatus.Accepted or SuggestionStatus.Rejected or SuggestionStatus.Snoozed
        ? v : throw new ValidationException("status", $"'{s}' is not open, accepted, rejected or snoozed");

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static string Required(string? s, string name) => Blank(s) ?? throw new ValidationException(name, $"'{name}' is required");

    private static DateOnly? OptionalDate(string? s, string name) => Blank(s) is { } v ? Query.Date(v, name) : null;

    private static double? Number(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        return double.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n)
            ? n : throw new ValidationException(name, $"'{name}': '{value}' is not a number");
    }
}
