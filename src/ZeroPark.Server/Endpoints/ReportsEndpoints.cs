using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ZeroPark.Application.Reports;

namespace ZeroPark.Server.Endpoints;

/// <summary>Reports (issue 17): seal verification, report generation and archive, templates, schedules, disclosure packs.</summary>
internal static partial class ReportsEndpoints
{
    public static void MapReportsEndpoints(this IEndpointRouteBuilder api)
    {
        var seals = api.MapGroup("/parks/{park}/seals").WithTags("Reports");
        seals.MapGet("", VerifySeals)
            .WithSummary("Verify every sealed inventory of the park: the seal chain, each seal's hash, and the live store against what each seal holds " +
                         "(stored results, activity records, readings' rollups, factors, instruments, settings); all_hold = false names what changed per inventory")
            .ProducesProblem(StatusCodes.Status404NotFound);
        MapReports(api);
    }

    private static async Task<IResult> VerifySeals(string park, SealService service, CancellationToken ct) =>
        TypedResults.Ok(await service.VerifyAsync(park, ct));

    static partial void MapReports(IEndpointRouteBuilder api);
}
