using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ZeroPark.Domain;
using ZeroPark.Server.Web;
using ZeroPark.Application;
using ZeroPark.Application.EnergyManagement;
using ZeroPark.Application.Export;

namespace ZeroPark.Server.Endpoints;

/// <summary>Body of <c>POST /api/parks/{park}/energy/plans/decompose</c>.</summary>
public sealed record DecomposeRequest(string? Carrier, int? Year, bool? DryRun, string? Basis = null);

/// <summary>Body of <c>POST /api/energy/plans/decompose-group</c>: the group's annual plan split across parks.</summary>
public sealed record GroupDecomposeRequest(string? Carrier, int? Year, double? Amount, string? Unit = null, IReadOnlyList<string>? Parks = null, string? Basis = null,
    bool? DryRun = null);

/// <summary>Energy plans, assessment and the device dimension (issue 3), with the same parameters and JSON as the CLI's
/// <c>zeropark energy plan|assess|top|warnings|racks|equipment|balance --format json</c>; <c>format=xlsx</c> gives the workbook.</summary>
internal static class EnergyPlanEndpoints
{
    private const string Xlsx = "format = json (default) | xlsx (the table as an Excel workbook).";

    public static void MapEnergyPlanEndpoints(this IEndpointRouteBuilder api)
    {
        var g = api.MapGroup("/parks/{park}/energy").WithTags("Energy");

        g.MapGet("/plans", ListPlans)
            .WithSummary("Energy plans of the park and its buildings (annual: month null; monthly: 1–12), optionally for one year, carrier and node")
            .WithDescription("year = YYYY; carrier = electricity | water | natural_gas; node = park or building code. Amounts in kWh (electricity) or m³. " + Xlsx)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        g.MapPut("/plans", SetPlan)
            .Accepts<PlanDraft>("application/json")
            .WithSummary("Set (insert or replace) a plan: {node (park or building code; default the park), carrier, year, month (1–12; null or 0 = annual), " +
                         "amount, unit (default kWh or m³)}; audited as user 'api'")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        g.MapGet("/plans/progress", PlanProgress)
            .WithSummary("Actual vs plan per month, cumulative progress, plan to date and projected year-end of a node, carrier and year up to as_of " +
                         "(projection: actual to date + last year's same months where known, else the run rate)")
            .WithDescription("node = park or building code; carrier = electricity | water | natural_gas; year = YYYY; as_of = local date (default today). " + Xlsx)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        g.MapPost("/plans/decompose", DecomposePlan)
            .Accepts<DecomposeRequest>("application/json")
            .WithSummary("Split the park's annual plan {carrier, year} across its buildings in proportion to their actual consumption of the previous year " +
                         "(basis = last_year, default) or to their racks (basis = racks) and store the building plans (dry_run = true: only show the shares)")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/energy/plans/decompose-group", DecomposeGroupPlan)
            .WithTags("Energy")
            .Accepts<GroupDecomposeRequest>("application/json")
            .WithSummary("Split a group's annual plan {carrier, year, amount, unit} across data centers (parks; default: every park the user sees) in proportion to " +
                         "last year's consumption (basis = last_year, default), racks_total (racks) or design_it_kw (design_it) and store each park's annual plan " +
                         "(dry_run = true: only show the shares)")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        const string assessParameters = "year = YYYY; as_of = local date (default today); k (default 2), deviation_pct (10), peer_deviation_pct (10), history_months (12). ";

        g.MapGet("/assess", AssessPark)
            .WithSummary("Comprehensive assessment of the buildings (1 January .. as_of): PUE, WUE, kWh per rack in use, saved vs plan and vs last year, rankings; " +
                         "anomalous monthly PUE/WUE vs the building's own history (≥ deviation_pct % and ≥ k σ) or its peers' median (≥ peer_deviation_pct %)")
            .WithDescription(assessParameters + Xlsx)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/energy/assess", AssessAllParks)
            .WithTags("Energy")
            .WithSummary("The same assessment across every park the user sees (each park one node, its totals), parks ranked against each other")
            .WithDescription(assessParameters + Xlsx)
            .ProducesValidationProblem();

        g.MapGet("/top", TopDevices)
            .WithSummary("Top-N summable meters (devices) by energy over from..to under a node and system, ranked per group (none | system | building) with share %")
            .WithDescription("from/to = local dates (inclusive); node = space code; system = e.g. cooling; carrier (default electricity); n (default 10). " + Xlsx)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        g.MapGet("/warnings", Warnings)
            .WithSummary("High-consumption warnings: meters whose average daily energy over from..to exceeds their own average over the baseline_days before " +
                         "from by at least threshold %")
            .WithDescription("baseline_days (default 28), threshold % (default 20); node, system, carrier as for top. " + Xlsx)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        g.MapGet("/racks", Racks)
            .WithSummary("IT energy per rack (a rack space, or an it_load meter outside rack spaces) per day, ISO week, month or in total")
            .WithDescription("by = day | week | month | total (default). " + Xlsx)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        g.MapGet("/equipment", Equipment)
            .WithSummary("Cooling energy by equipment type (system=cooling) or power-system losses by device type: transformer, UPS, HVDC, and by voltage level (voltage_levels: 10kv, 0.4kv) (system=power), " +
                         "ranked per bucket; devices ranked within each type")
            .WithDescription("system = cooling | power; by = day | week | month | total (default). " + Xlsx)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        g.MapGet("/balance", Balance)
            .WithSummary("Master/sub-meter balance (data quality): master − sub per bucket in kWh and % of the master, flagged above the tolerance; " +
                         "for every stored balance group, one (group=), or ad hoc (master= and sub= formulas, tolerance % default 2)")
            .WithDescription("master, sub = formulas of meter codes ('b1_in1 + b1_in2'); by = day | week | month | total (default). " + Xlsx)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        g.MapGet("/balance-groups", ListBalanceGroups)
            .WithSummary("The park's stored master/sub-meter balance groups")
            .ProducesProblem(StatusCodes.Status404NotFound);

        g.MapPut("/balance-groups", SetBalanceGroup)
            .Accepts<BalanceGroupDraft>("application/json")
            .WithSummary("Add or replace a balance group {code, name, master, sub, tolerance_pct (default 2)}; audited as user 'api'")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Results<Ok<List<EnergyPlanView>>, FileContentHttpResult>> ListPlans(string park, [FromQuery] string? year,
        [FromQuery] string? carrier, [FromQuery] string? node, [FromQuery] string? format, ZeroParkStore store, CancellationToken ct)
    {
        var xlsx = IsXlsx(format);
        var c = string.IsNullOrWhiteSpace(carrier) ? (Carrier?)null : PlanRules.ParseCarrier(carrier);
        var plans = (await store.Plans.ListEnergyPlansAsync(park, OptionalInt(year, "year"), c, Blank(node), ct)).Select(EnergyPlanView.From).ToList();
        return xlsx ? File("plans", park, EnergyTables.Plans(plans)) : TypedResults.Ok(plans);
    }

    private static async Task<Ok<EnergyPlanView>> SetPlan(string park, HttpRequest request, ZeroParkStore store, ApiJson json, CancellationToken ct)
    {
        var body = await json.ReadAsync<PlanDraft>(request, ct);
        return TypedResults.Ok(EnergyPlanView.From(await store.Plans.SetEnergyPlanAsync(park, body, UserAccess.Actor(request.HttpContext), ct)));
    }

    private static async Task<Results<Ok<PlanProgressView>, FileContentHttpResult>> PlanProgress(string park, [FromQuery] string? node,
        [FromQuery] string? carrier, [FromQuery] string? year, [FromQuery(Name = "as_of")] string? asOf, [FromQuery] string? format,
        ZeroParkStore store, EnergyPlanService energyPlanService, CancellationToken ct)
    {
        var xlsx = IsXlsx(format);
        var p = PlanProgressView.From(await energyPlanService.ProgressAsync(park, Blank(node), carrier, OptionalInt(year, "year"),
            string.IsNullOrWhiteSpace(asOf) ? null : Query.Date(asOf, "as_of"), ct));
        return xlsx ? File("plan-progress", park, EnergyTables.PlanProgress(p)) : TypedResults.Ok(p);
    }

    private static async Task<Ok<PlanDecompositionView>> DecomposePlan(string park, HttpRequest request, ZeroParkStore store,
        EnergyPlanService energyPlanService, ApiJson json, CancellationToken ct)
    {
        var body = await json.ReadAsync<DecomposeRequest>(request, ct);
        return TypedResults.Ok(PlanDecompositionView.From(await energyPlanService.DecomposeAsync(park, body.Carrier, body.Year, body.DryRun ?? false, UserAccess.Actor(request.HttpContext), body.Basis, ct)));
    }

    private static async Task<Ok<GroupPlanDecompositionView>> DecomposeGroupPlan(HttpRequest request, ZeroParkStore store,
        EnergyPlanService energyPlanService, ApiJson json, CancellationToken ct)
    {
        var body = await json.ReadAsync<GroupDecomposeRequest>(request, ct);
        var user = request.HttpContext.CurrentUser()!;
        // A group spans parks: only parks the user sees (an unknown or hidden park is a 404, as on the park routes).
        var parks = body.Parks is { Count: > 0 } ? body.Parks.ToList()
            : (await store.Registry.ListParksAsync(ct)).Where(p => user.CanSee(p.Code)).Select(p => p.Code).ToList();
        foreach (var p in parks)
            if (!user.CanSee(p.Trim())) throw new NotFoundException($"park '{p.Trim()}' not found");
        return TypedResults.Ok(GroupPlanDecompositionView.From(await energyPlanService.DecomposeGroupAsync(parks, body.Carrier, body.Year, body.Amount,
            body.Unit, body.DryRun ?? false, UserAccess.Actor(request.HttpContext), body.Basis, ct)));
    }

    private static Task<Results<Ok<AssessmentView>, FileContentHttpResult>> AssessPark(string park, [FromQuery] string? year, [FromQuery(Name = "as_of")] string? asOf,
        [FromQuery] string? k, [FromQuery(Name = "deviation_pct")] string? deviationPct,
        [FromQuery(Name = "peer_deviation_pct")] string? peerPct, [FromQuery(Name = "history_months")] string? historyMonths,
        [FromQuery] string? format, HttpContext http, AssessmentService assessment, CancellationToken ct) =>
        Assess(park, year, asOf, k, deviationPct, peerPct, historyMonths, format, http, assessment, ct);

    private static Task<Results<Ok<AssessmentView>, FileContentHttpResult>> AssessAllParks([FromQuery] string? year, [FromQuery(Name = "as_of")] string? asOf, [FromQuery] string? k,
        [FromQuery(Name = "deviation_pct")] string? deviationPct, [FromQuery(Name = "peer_deviation_pct")] string? peerPct,
        [FromQuery(Name = "history_months")] string? historyMonths, [FromQuery] string? format, HttpContext http,
        AssessmentService assessment, CancellationToken ct) =>
        Assess(null, year, asOf, k, deviationPct, peerPct, historyMonths, format, http, assessment, ct);

    private static async Task<Results<Ok<List<RankedDeviceView>>, FileContentHttpResult>> TopDevices(string park,
        [FromQuery(Name = "from")] string? fromDate, [FromQuery(Name = "to")] string? toDate, [FromQuery] string? node,
        [FromQuery] string? system, [FromQuery] string? carrier, [FromQuery] string? n, [FromQuery] string? group,
        [FromQuery] string? format, ZeroParkStore store, DeviceAnalysisService deviceAnalysisService, CancellationToken ct)
    {
        var xlsx = IsXlsx(format);
        var rows = (await deviceAnalysisService.TopAsync(park, Blank(node), Blank(system), Query.Carrier(carrier) ?? Carrier.Electricity,
            Query.Date(fromDate, "from"), Query.Date(toDate, "to"), Query.Int(n, "n", 10, 1, 1000), group, ct)).Select(RankedDeviceView.From).ToList();
        return xlsx ? File("top", park, EnergyTables.Top(rows)) : TypedResults.Ok(rows);
    }

    private static async Task<Results<Ok<List<WarningView>>, FileContentHttpResult>> Warnings(string park,
        [FromQuery(Name = "from")] string? fromDate, [FromQuery(Name = "to")] string? toDate, [FromQuery] string? node,
        [FromQuery] string? system, [FromQuery] string? carrier, [FromQuery(Name = "baseline_days")] string? baselineDays,
        [FromQuery] string? threshold, [FromQuery] string? format, ZeroParkStore store, DeviceAnalysisService deviceAnalysisService,
        CancellationToken ct)
    {
        var xlsx = IsXlsx(format);
        var rows = (await deviceAnalysisService.WarningsAsync(park, Blank(node), Blank(system), Query.Carrier(carrier) ?? Carrier.Electricity,
            Query.Date(fromDate, "from"), Query.Date(toDate, "to"), Query.Int(baselineDays, "baseline_days", 28, 1, 366), Number(threshold, "threshold") ?? 20, ct))
            .Select(WarningView.From).ToList();
        return xlsx ? File("warnings", park, EnergyTables.Warnings(rows)) : TypedResults.Ok(rows);
    }

    private static async Task<Results<Ok<List<RackEnergyView>>, FileContentHttpResult>> Racks(string park,
        [FromQuery(Name = "from")] string? fromDate, [FromQuery(Name = "to")] string? toDate, [FromQuery] string? node,
        [FromQuery] string? by, [FromQuery] string? format, ZeroParkStore store, DeviceAnalysisService deviceAnalysisService,
        CancellationToken ct)
    {
        var xlsx = IsXlsx(format);
        var rows = (await deviceAnalysisService.RacksAsync(park, Blank(node), Query.Date(fromDate, "from"), Query.Date(toDate, "to"),
            AnalysisBuckets.Parse(by), ct)).Select(RackEnergyView.From).ToList();
        return xlsx ? File("racks", park, EnergyTables.Racks(rows)) : TypedResults.Ok(rows);
    }

    private static async Task<Results<Ok<EquipmentView>, FileContentHttpResult>> Equipment(string park, [FromQuery] string? system,
        [FromQuery(Name = "from")] string? fromDate, [FromQuery(Name = "to")] string? toDate, [FromQuery] string? node,
        [FromQuery] string? by, [FromQuery] string? format, ZeroParkStore store, DeviceAnalysisService deviceAnalysisService,
        CancellationToken ct)
    {
        var xlsx = IsXlsx(format);
        var e = EquipmentView.From(await deviceAnalysisService.EquipmentAsync(park, Blank(node), system ?? "", Query.Date(fromDate, "from"),
            Query.Date(toDate, "to"), AnalysisBuckets.Parse(by), ct));
        return xlsx ? File("equipment", park, EnergyTables.Equipment(e)) : TypedResults.Ok(e);
    }

    private static async Task<Results<Ok<List<BalanceView>>, FileContentHttpResult>> Balance(string park, [FromQuery] string? master,
        [FromQuery] string? sub, [FromQuery] string? group, [FromQuery(Name = "from")] string? fromDate,
        [FromQuery(Name = "to")] string? toDate, [FromQuery] string? by, [FromQuery] string? tolerance, [FromQuery] string? format,
        ZeroParkStore store, DeviceAnalysisService deviceAnalysisService, CancellationToken ct)
    {
        var xlsx = IsXlsx(format);
        var reports = await deviceAnalysisService.BalanceChecksAsync(park, master, sub, group, Number(tolerance, "tolerance"),
            Query.Date(fromDate, "from"), Query.Date(toDate, "to"), AnalysisBuckets.Parse(by), ct);
        var views = reports.Select(BalanceView.From).ToList();
        return xlsx ? File("balance", park, EnergyTables.Balance(views)) : TypedResults.Ok(views);
    }

    private static async Task<Ok<List<BalanceGroupView>>> ListBalanceGroups(string park, ZeroParkStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.BalanceGroups.ListBalanceGroupsAsync(park, ct)).Select(BalanceGroupView.From).ToList());

    private static async Task<Ok<BalanceGroupView>> SetBalanceGroup(string park, HttpRequest request, ZeroParkStore store,
        ApiJson json, CancellationToken ct)
    {
        var body = await json.ReadAsync<BalanceGroupDraft>(request, ct);
        return TypedResults.Ok(BalanceGroupView.From(await store.BalanceGroups.SetBalanceGroupAsync(park, body, UserAccess.Actor(request.HttpContext), ct)));
    }

    private static async Task<Results<Ok<AssessmentView>, FileContentHttpResult>> Assess(string? park, string? year, string? asOf, string? k, string? deviationPct,
        string? peerPct, string? historyMonths, string? format, HttpContext http, AssessmentService assessmentService, CancellationToken ct)
    {
        var xlsx = IsXlsx(format);
        var d = new AnomalyOptions();
        var options = new AnomalyOptions(Number(k, "k") ?? d.K, Number(deviationPct, "deviation_pct") ?? d.DeviationPct,
            Number(peerPct, "peer_deviation_pct") ?? d.PeerDeviationPct, OptionalInt(historyMonths, "history_months") ?? d.HistoryMonths);
        var at = string.IsNullOrWhiteSpace(asOf) ? (DateOnly?)null : Query.Date(asOf, "as_of");
        var service = assessmentService;
        var a = AssessmentView.From(park is null
            ? await service.AssessParksAsync(OptionalInt(year, "year"), at, options, http.CurrentUser()!.CanSee, ct)
            : await service.AssessAsync(park, OptionalInt(year, "year"), at, options, ct));
        return xlsx ? File("assess", park ?? "parks", EnergyTables.Assessment(a)) : TypedResults.Ok(a);
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static bool IsXlsx(string? format) => format?.Trim().ToLowerInvariant() switch
    {
        null or "" or "json" => false,
        "xlsx" => true,
        _ => throw new ValidationException("format", $"'format': '{format}' is not json or xlsx"),
    };

    private static FileContentHttpResult File(string table, string park, XlsxSheet[] sheets) =>
        TypedResults.File(XlsxWriter.ToBytes(sheets), XlsxWriter.ContentType, $"{park}-{table}.xlsx");

    private static int? OptionalInt(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        return int.TryParse(value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n : throw new ValidationException(name, $"'{name}': '{value}' is not an integer");
    }

    private static double? Number(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        return double.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n)
            ? n : throw new ValidationException(name, $"'{name}': '{value}' is not a number");
    }
}
