using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using ZeroPark.Server.Web;
using ZeroPark.Application;

namespace ZeroPark.Server.Endpoints;

/// <summary>The signed-in user's own dashboards of a park (cards: KPI tile, trend, ranking, breakdown, Sankey). Every role may keep
/// dashboards (they are the user's view, not park data); a user never sees another user's dashboards (404), nor a park not
/// granted (404). The cards' data come from the energy and query routes, under the same access rules.</summary>
internal static class DashboardEndpoints
{
    public static void MapDashboardEndpoints(this IEndpointRouteBuilder api)
    {
        var g = api.MapGroup("/parks/{park}/dashboards").WithTags("Dashboards");

        g.MapGet("", ListDashboards)
            .WithSummary("The signed-in user's dashboards of the park, in their order, with their cards")
            .ProducesProblem(StatusCodes.Status404NotFound);

        g.MapGet("/templates", ListTemplates)
            .WithSummary("The shipped dashboard templates (energy_overview 能耗总览, cooling 制冷监控, pue PUE 跟踪) and their cards");

        g.MapPost("", CreateDashboard)
            .Accepts<NewDashboardBody>("application/json")
            .WithSummary("Create a dashboard: {\"name\": …} (blank) or {\"template\": \"energy_overview\" | \"cooling\" | \"pue\", \"name\"?: …}")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        g.MapGet("/{id:long}", GetDashboard)
            .WithSummary("One of the signed-in user's dashboards")
            .ProducesProblem(StatusCodes.Status404NotFound);

        g.MapPut("/{id:long}", UpdateDashboard)
            .Accepts<SaveDashboardBody>("application/json")
            .WithSummary("Replace the dashboard's cards (in order: add, remove and reorder by saving the whole list) and optionally its name; " +
                         "a bad card is a 400 naming it (cards[3].node …)")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        g.MapDelete("/{id:long}", DeleteDashboard)
            .WithSummary("Delete one of the signed-in user's dashboards")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Ok<List<DashboardView>>> ListDashboards(string park, HttpContext ctx, ZeroParkStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.Dashboards.ListDashboardsAsync(Me(ctx), park, ct)).Select(DashboardView.From).ToList());

    private static Ok<List<DashboardTemplateView>> ListTemplates(string park) =>
        TypedResults.Ok(Dashboards.Templates.Select(t => new DashboardTemplateView(t.Code, t.NameZh, t.NameEn, t.Cards)).ToList());

    private static async Task<Created<DashboardView>> CreateDashboard(string park, HttpRequest request, ZeroParkStore store,
        ApiJson json, CancellationToken ct)
    {
        var body = await json.ReadAsync<NewDashboardBody>(request, ct);
        var d = await store.Dashboards.CreateDashboardAsync(Me(request.HttpContext), park, body.Name, body.Template, ct);
        return TypedResults.Created($"/api/parks/{park}/dashboards/{d.Id}", DashboardView.From(d));
    }

    private static async Task<Ok<DashboardView>> GetDashboard(string park, long id, HttpContext ctx, ZeroParkStore store, CancellationToken ct) =>
        TypedResults.Ok(DashboardView.From(await store.Dashboards.GetDashboardAsync(Me(ctx), park, id, ct)));

    private static async Task<Ok<DashboardView>> UpdateDashboard(string park, long id, HttpRequest request, ZeroParkStore store,
        ApiJson json, CancellationToken ct)
    {
        var body = await json.ReadAsync<SaveDashboardBody>(request, ct);
        return TypedResults.Ok(DashboardView.From(await store.Dashboards.SaveDashboardAsync(Me(request.HttpContext), park, id, body.Name, body.Cards, ct)));
    }

    private static async Task<NoContent> DeleteDashboard(string park, long id, HttpContext ctx, ZeroParkStore store, CancellationToken ct)
    {
        await store.Dashboards.DeleteDashboardAsync(Me(ctx), park, id, ct);
        return TypedResults.NoContent();
    }

    /// <summary>The signed-in user's id (dashboards are per user).</summary>
    private static long Me(HttpContext ctx) => ctx.CurrentUser()!.Id;
}

public sealed record NewDashboardBody(string? Name, string? Template);

public sealed record SaveDashboardBody(string? Name, List<DashboardCard?>? Cards);

public sealed record DashboardTemplateView(string Code, string NameZh, string NameEn, IReadOnlyList<DashboardCard> Cards);

public sealed record DashboardView(long Id, string Park, string Name, string? Template, int Position, IReadOnlyList<DashboardCard> Cards, DateTimeOffset UpdatedAt)
{
    public static DashboardView From(Dashboard d) => new(d.Id, d.Park, d.Name, d.Template, d.Position, d.Cards, d.UpdatedAt);
}
