using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ZeroPark.Application;
using ZeroPark.Application.EnergyManagement;
using ZeroPark.Application.Export;

namespace ZeroPark.Server.Endpoints;

/// <summary>Energy management queries (issue 3): KPIs, breakdown by subsystem and energy flow of the park or of a space node
/// over local dates from..to (inclusive), per local day, month, year or in total. Same parameters and JSON as the CLI's
/// <c>zeropark energy kpi|breakdown|flow --format json</c>.</summary>
internal static class EnergyEndpoints
{
    private const string Parameters =
        "node = space code (building, floor, room; default: the park); from/to = local dates YYYY-MM-DD, both inclusive; " +
        "by = day | month (default) | year | total. Ratios are fractions, energies kWh, water m³, completeness percent. " +
        "A value that cannot be computed is null and `notes` says why; a bucket with missing readings says so in `completeness` and `notes`. " +
        "format = json (default) | xlsx (the table as an Excel workbook).";

    public static void MapEnergyEndpoints(this IEndpointRouteBuilder api)
    {
        var g = api.MapGroup("/parks/{park}/energy").WithTags("Energy");

        g.MapGet("/kpi", Kpi)
            .WithSummary("Data-center KPIs per local-time bucket: PUE (GB 40879 R), CLF, PLF, ALF + unmetered remainder, WUE, ERF, ERE, REF, DCiE, pPUE, " +
                         "CER, CUE, IT load rate, rack utilisation, GB 40879 grade, with inputs, measurement boundary and completeness; by=month adds mom/yoy " +
                         "(previous month, same month a year earlier: earlier values and change %), by=year adds yoy")
            .WithDescription(Parameters)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        g.MapGet("/breakdown", Breakdown)
            .WithSummary("Energy per subsystem (IT, cooling, power losses, auxiliary) and the unmetered remainder per bucket; detail=true adds systems one level below; " +
                         "by=month adds mom/yoy (previous month, same month a year earlier) with change %")
            .WithDescription(Parameters)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        g.MapGet("/flow", Flow)
            .WithSummary("Energy-flow (Sankey) nodes and links per bucket: grid lines and on-site PV → power distribution → IT, cooling, auxiliary, " +
                         "transformer/UPS/HVDC losses, with the unmetered remainder as an explicit node; carrier=water (m³: water_input meters → site water → uses " +
                         "by system) or carrier=heat (kWh: cooling load → reused heat and heat rejected to the atmosphere)")
            .WithDescription(Parameters + " carrier = electricity (default) | water | heat.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        g.MapGet("/cost", Cost)
            .WithSummary("Electricity cost with time-of-use tariffs (尖峰/峰/平/谷): grid energy and cost per period, total cost, average price (CNY/kWh) and cost " +
                         "per subsystem per bucket; each local hour is priced by the tariff version in effect on its local date; by=month adds mom/yoy, by=year yoy")
            .WithDescription(Parameters)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        var tariffs = api.MapGroup("/parks/{park}/tariffs").WithTags("Energy");
        tariffs.MapPost("", AddTariffVersion)
            .Accepts<TariffDraft>("application/json")
            .WithSummary("Add a time-of-use tariff version: valid_from (local date), prices CNY/kWh per period (critical_peak, peak, flat, valley), " +
                         "schedule [{start, end, period, months?}] of local hours [start, end) covering 0–24 h; lines with months override the others in those months")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        tariffs.MapGet("", ListTariffVersions)
            .WithSummary("Tariff versions of the park, oldest valid_from first")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Results<Ok<List<KpiRowView>>, FileContentHttpResult>> Kpi(string park, [FromQuery] string? node,
        [FromQuery(Name = "from")] string? fromDate, [FromQuery(Name = "to")] string? toDate, [FromQuery] string? by,
        [FromQuery] string? format, ZeroParkStore store, EnergyService energyService, CancellationToken ct)
    {
        var (from, to, bucketing) = Parse(fromDate, toDate, by);
        var xlsx = IsXlsx(format);
        var rows = await PeriodComparison.KpiAsync(energyService, park, Node(node), from, to, bucketing, ct);
        return xlsx ? Xlsx("kpi", park, EnergyTables.Kpi(rows)) : TypedResults.Ok(rows);
    }

    private static async Task<Results<Ok<List<BreakdownCompareView>>, FileContentHttpResult>> Breakdown(string park,
        [FromQuery] string? node, [FromQuery(Name = "from")] string? fromDate, [FromQuery(Name = "to")] string? toDate,
        [FromQuery] string? by, [FromQuery] string? detail, [FromQuery] string? format, ZeroParkStore store, EnergyService energyService,
        CancellationToken ct)
    {
        var xlsx = IsXlsx(format);
        var (from, to, bucketing) = Parse(fromDate, toDate, by);
        var withDetail = detail?.Trim().ToLowerInvariant() switch
        {
            null or "" or "false" or "0" => false,
            "true" or "1" => true,
            _ => throw new ValidationException("detail", $"'detail': '{detail}' is not true or false"),
        };
        var rows = await BreakdownComparison.BreakdownAsync(energyService, park, Node(node), from, to, bucketing, withDetail, ct);
        return xlsx ? Xlsx("breakdown", park, EnergyTables.Breakdown(rows)) : TypedResults.Ok(rows);
    }

    private static async Task<Results<Ok<List<FlowView>>, FileContentHttpResult>> Flow(string park, [FromQuery] string? node,
        [FromQuery(Name = "from")] string? fromDate, [FromQuery(Name = "to")] string? toDate, [FromQuery] string? by,
        [FromQuery] string? carrier, [FromQuery] string? format, ZeroParkStore store, EnergyService energyService, CancellationToken ct)
    {
        var (from, to, bucketing) = Parse(fromDate, toDate, by);
        var xlsx = IsXlsx(format);
        var flows = await energyService.FlowViewsAsync(park, Node(node), from, to, bucketing, carrier, ct);
        return xlsx ? Xlsx("flow", park, EnergyTables.Flow(flows)) : TypedResults.Ok(flows);
    }

    private static async Task<Results<Ok<List<CostRowView>>, FileContentHttpResult>> Cost(string park, [FromQuery] string? node,
        [FromQuery(Name = "from")] string? fromDate, [FromQuery(Name = "to")] string? toDate, [FromQuery] string? by,
        [FromQuery] string? format, ZeroParkStore store, EnergyCostService energyCostService, CancellationToken ct)
    {
        var (from, to, bucketing) = Parse(fromDate, toDate, by);
        var xlsx = IsXlsx(format);
        var rows = await PeriodComparison.CostAsync(energyCostService, park, Node(node), from, to, bucketing, ct);
        return xlsx ? Xlsx("cost", park, EnergyTables.Cost(rows)) : TypedResults.Ok(rows);
    }

    private static async Task<Created<TariffVersionView>> AddTariffVersion(string park, HttpRequest request, ZeroParkStore store, ApiJson json,
        CancellationToken ct)
    {
        var body = await json.ReadAsync<TariffDraft>(request, ct);
        var v = await store.Tariffs.CreateTariffVersionAsync(park, body, UserAccess.Actor(request.HttpContext), ct);
        return TypedResults.Created($"/api/parks/{park}/tariffs", TariffVersionView.From(v));
    }

    private static async Task<Ok<List<TariffVersionView>>> ListTariffVersions(string park, ZeroParkStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.Tariffs.ListTariffVersionsAsync(park, ct)).Select(TariffVersionView.From).ToList());

    private static bool IsXlsx(string? format) => format?.Trim().ToLowerInvariant() switch
    {
        null or "" or "json" => false,
        "xlsx" => true,
        _ => throw new ValidationException("format", $"'format': '{format}' is not json or xlsx"),
    };

    private static FileContentHttpResult Xlsx(string table, string park, XlsxSheet[] sheets) =>
        TypedResults.File(XlsxWriter.ToBytes(sheets), XlsxWriter.ContentType, $"{park}-{table}.xlsx");

    private static (DateOnly From, DateOnly To, EnergyBucketing By) Parse(string? fromDate, string? toDate, string? by)
    {
        var from = Query.Date(fromDate, "from");
        var to = Query.Date(toDate, "to");
        var bucketing = string.IsNullOrWhiteSpace(by) ? EnergyBucketing.Month : EnergyBuckets.Parse(by);
        return (from, to, bucketing);
    }

    private static string? Node(string? node) => string.IsNullOrWhiteSpace(node) ? null : node.Trim();
}
