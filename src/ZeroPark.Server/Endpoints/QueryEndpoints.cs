using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ZeroPark.Application;

namespace ZeroPark.Server.Endpoints;

/// <summary>Read-only queries. No key needed for now (sign-in comes in a later issue; the server binds loopback only).
/// Dates are the park's local dates, ranges from..to are inclusive; bad parameters are a 400 naming the parameter.</summary>
internal static class QueryEndpoints
{
    public static void MapQueryEndpoints(this IEndpointRouteBuilder api)
    {
        var g = api.MapGroup("/parks/{park}").WithTags("Queries");

        g.MapGet("/series", Series)
            .WithSummary("Series of a meter, or of a node (space, system subtree or KPI role, one carrier), in local-time buckets")
            .WithDescription("meter=CODE, or space=&system=&role=&carrier= (carrier defaults to electricity; the park when no space); " +
                             "from/to = local dates YYYY-MM-DD, both inclusive; by = 15min|hour|day (default)|month|year. " +
                             "A reading at local midnight closes the previous day's last interval and counts for the previous day.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        g.MapGet("/quality", Quality)
            .WithSummary("Data quality: expected vs received readings, completeness, flagged/estimated readings; gaps for one meter")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        g.MapGet("/latest", Latest)
            .WithSummary("Latest reading of every meter that has readings")
            .ProducesProblem(StatusCodes.Status404NotFound);

        g.MapGet("/top", TopMeters)
            .WithSummary("The n summable meters with the largest totals over local dates from..to (inclusive)")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        g.MapGet("/audit", AuditLog)
            .WithSummary("The park's audit log, newest first (registry changes, corrections with old and new value, manual entries)")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Ok<SeriesView>> Series(string park, [FromQuery] string? meter, [FromQuery] string? space,
        [FromQuery] string? system, [FromQuery] string? role, [FromQuery] string? carrier, [FromQuery(Name = "from")] string? fromDate,
        [FromQuery(Name = "to")] string? toDate, [FromQuery] string? by, ZeroParkStore store, CancellationToken ct)
    {
        var from = Query.Date(fromDate, "from");
        var to = Query.Date(toDate, "to");
        var granularity = Query.Granularity(by);
        var carrierCode = Query.Carrier(carrier);
        var roleCode = Query.Role(role);
        SeriesTarget target;
        if (!string.IsNullOrWhiteSpace(meter))
        {
            if (!string.IsNullOrWhiteSpace(space) || !string.IsNullOrWhiteSpace(system) || roleCode is not null || carrierCode is not null)
                throw new ValidationException("meter", "ask for a meter, or for a node (space, system, role, carrier), not both");
            target = SeriesTarget.Meter(meter.Trim());
        }
        else
        {
            target = SeriesTarget.Node(string.IsNullOrWhiteSpace(space) ? null : space.Trim(), string.IsNullOrWhiteSpace(system) ? null : system.Trim(),
                roleCode, carrierCode ?? Domain.Carrier.Electricity);
        }
        var s = await store.Queries.SeriesAsync(park, target, from, to, granularity, ct);
        var buckets = s.Buckets.Select(b => new BucketView(b.Start, b.End, b.Value, s.Unit, QualityLabel.From(b.Quality))).ToList();
        return TypedResults.Ok(new SeriesView(s.Target, s.Unit, Query.Name(s.Granularity), buckets, s.Total));
    }

    private static async Task<Ok<QualityView>> Quality(string park, [FromQuery] string? meter, [FromQuery(Name = "from")] string? fromDate,
        [FromQuery(Name = "to")] string? toDate, ZeroParkStore store, CancellationToken ct)
    {
        var from = Query.Date(fromDate, "from");
        var to = Query.Date(toDate, "to");
        var report = await store.Queries.DataQualityAsync(park, string.IsNullOrWhiteSpace(meter) ? null : meter.Trim(), from, to, ct);
        return TypedResults.Ok(new QualityView(park, from, to, report));
    }

    private static async Task<Ok<List<LatestReading>>> Latest(string park, ZeroParkStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.Queries.LatestReadingsAsync(park, ct)).OrderBy(r => r.Meter, StringComparer.Ordinal).ToList());

    private static async Task<Ok<IReadOnlyList<MeterTotal>>> TopMeters(string park, [FromQuery(Name = "from")] string? fromDate,
        [FromQuery(Name = "to")] string? toDate, [FromQuery] string? n, [FromQuery] string? carrier, [FromQuery] string? system,
        ZeroParkStore store, CancellationToken ct)
    {
        var from = Query.Date(fromDate, "from");
        var to = Query.Date(toDate, "to");
        var count = Query.Int(n, "n", 10, 1, 1000);
        var c = Query.Carrier(carrier) ?? Domain.Carrier.Electricity;
        var sys = Query.SystemCode(system);
        return TypedResults.Ok(await store.Queries.TopMetersAsync(park, from, to, count, c, sys, ct));
    }

    private static async Task<Ok<IReadOnlyList<AuditEntry>>> AuditLog(string park, [FromQuery] string? limit, ZeroParkStore store,
        CancellationToken ct)
    {
        var max = Query.Int(limit, "limit", 200, 1, 10_000);
        await store.Registry.GetParkAsync(park, ct);
        return TypedResults.Ok(await store.Audit.AuditLogAsync(park, max, ct));
    }
}
