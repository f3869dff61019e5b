using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ZeroPark.Storage;
using ZeroPark.Storage.EnergyManagement;

namespace ZeroPark.Server.Endpoints;

/// <summary>Energy management queries (issue 3): KPIs, breakdown by subsystem and energy flow of the park or of a space node
/// over local dates from..to (inclusive), per local day, month, year or in total. Same parameters and JSON as the CLI's
/// <c>zeropark energy kpi|breakdown|flow --format json</c>.</summary>
internal static class EnergyEndpoints
{
    private const string Parameters =
        "node = space code (building, floor, room; default: the park); from/to = local dates YYYY-MM-DD, both inclusive; " +
        "by = day | month (default) | year | total. Ratios are fractions, energies kWh, water m³, completeness percent. " +
        "A value that cannot be computed is null and `notes` says why; a bucket with missing readings says so in `completeness` and `notes`.";

    public static void MapEnergyEndpoints(this IEndpointRouteBuilder api)
    {
        var g = api.MapGroup("/parks/{park}/energy").WithTags("Energy");

        g.MapGet("/kpi", async Task<Ok<List<KpiRowView>>> (string park, [FromQuery] string? node, [FromQuery(Name = "from")] string? fromDate,
                [FromQuery(Name = "to")] string? toDate, [FromQuery] string? by, ZeroParkStore store, CancellationToken ct) =>
            {
                var (from, to, bucketing) = Parse(fromDate, toDate, by);
                var rows = await new EnergyService(store).KpiAsync(park, Node(node), from, to, bucketing, ct);
                return TypedResults.Ok(rows.Select(KpiRowView.From).ToList());
            })
            .WithSummary("Data-center KPIs per local-time bucket: PUE (GB 40879 R), CLF, PLF, ALF + unmetered remainder, WUE, ERF, ERE, REF, DCiE, pPUE, " +
                         "IT load rate, rack utilisation, GB 40879 grade, with inputs, measurement boundary and completeness")
            .WithDescription(Parameters)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        g.MapGet("/breakdown", async Task<Ok<List<BreakdownRowView>>> (string park, [FromQuery] string? node, [FromQuery(Name = "from")] string? fromDate,
                [FromQuery(Name = "to")] string? toDate, [FromQuery] string? by, [FromQuery] string? detail, ZeroParkStore store, CancellationToken ct) =>
            {
                var (from, to, bucketing) = Parse(fromDate, toDate, by);
                var withDetail = detail?.Trim().ToLowerInvariant() switch
                {
                    null or "" or "false" or "0" => false,
                    "true" or "1" => true,
                    _ => throw new ValidationException("detail", $"'detail': '{detail}' is not true or false"),
                };
                var rows = await new EnergyService(store).BreakdownAsync(park, Node(node), from, to, bucketing, withDetail, ct);
                return TypedResults.Ok(rows.Select(BreakdownRowView.From).ToList());
            })
            .WithSummary("Energy per subsystem (IT, cooling, power losses, auxiliary) and the unmetered remainder per bucket; detail=true adds systems one level below")
            .WithDescription(Parameters)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        g.MapGet("/flow", async Task<Ok<List<FlowView>>> (string park, [FromQuery] string? node, [FromQuery(Name = "from")] string? fromDate,
                [FromQuery(Name = "to")] string? toDate, [FromQuery] string? by, ZeroParkStore store, CancellationToken ct) =>
            {
                var (from, to, bucketing) = Parse(fromDate, toDate, by);
                var flows = await new EnergyService(store).FlowAsync(park, Node(node), from, to, bucketing, ct);
                return TypedResults.Ok(flows.Select(FlowView.From).ToList());
            })
            .WithSummary("Energy-flow (Sankey) nodes and links per bucket: grid lines and on-site PV → power distribution → IT, cooling, auxiliary, " +
                         "transformer/UPS/HVDC losses, with the unmetered remainder as an explicit node")
            .WithDescription(Parameters)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static (DateOnly From, DateOnly To, EnergyBucketing By) Parse(string? fromDate, string? toDate, string? by)
    {
        var from = Query.Date(fromDate, "from");
        var to = Query.Date(toDate, "to");
        var bucketing = string.IsNullOrWhiteSpace(by) ? EnergyBucketing.Month : EnergyBuckets.Parse(by);
        return (from, to, bucketing);
    }

    private static string? Node(string? node) => string.IsNullOrWhiteSpace(node) ? null : node.Trim();
}
