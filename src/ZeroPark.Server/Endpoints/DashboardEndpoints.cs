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
    public static void MapDashboardEndpoints(this IEndpointRouteBuilder api, ApiJson json)
    {
        var g = api.MapGroup("/parks/{park}/dashboards").WithTags("Dashboards");
        static long Me(HttpContext ctx) => ctx.CurrentUser()!.Id;

        g.MapGet("", async Task<Ok<List<DashboardView>>> (string park, HttpContext ctx, ZeroParkStore store, CancellationToken ct) =>
                TypedResults.Ok((await store.Dashboards.ListDashboardsAsync(Me(ctx), park, ct)).Select(DashboardView.From).ToList()))
            .WithSummary("The signed-in user's dashboards of the park, in their order, with their cards")
            .ProducesProblem(StatusCodes.Status404NotFound);

        g.MapGet("/templates", Ok<List<DashboardTemplateView>> (string park) =>
                TypedResults.Ok(Dashboards.Templates.Select(t => new DashboardTemplateView(t.Code, t.NameZh, t.NameEn, t.Cards)).ToList()))
            .WithSummary("The shipped dashboard templates (energy_overview 能耗总览, cooling 制冷监控, pue PUE 跟踪) and their cards");

        g.MapPost("", async Task<Created<DashboardView>> (string park, HttpRequest request, ZeroParkStore store, CancellationToken ct) =>
            {
                var body = await json.ReadAsync<NewDashboardBody>(request, ct);
                var d = await store.Dashboards.CreateDashboardAsync(Me(request.HttpContext), park, body.Name, body.Template, ct);
                return TypedResults.Created($"/api/parks/{park}/dashboards/{d.Id}", DashboardView.From(d));
            })
            .Accepts<NewDashboardBody>("application/json")
            .WithSummary("Create a dashboard: {\"name\": …} (blank) or {\"template\": \"energy_overview\" | \"cooling\" | \"pue\", \"name\"?: …}")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        g.MapGet("/{id:long}", async Task<Ok<DashboardView>> (string park, long id, HttpContext ctx, ZeroParkStore store, CancellationToken ct) =>
                TypedResults.Ok(DashboardView.From(await store.Dashboards.GetDashboardAsync(Me(ctx), park, id, ct))))
            .WithSummary("One of the signed-in user's dashboards")
            .ProducesProblem(StatusCodes.Status404NotFound);

        g.MapPut("/{id:long}", async Task<Ok<DashboardView>> (string park, long id, HttpRequest request, ZeroParkStore store, CancellationToken ct) =>
            {
                var body = await json.ReadAsync<SaveDashboardBody>(request, ct);
                return TypedResults.Ok(DashboardView.From(await store.Dashboards.SaveDashboardAsync(Me(request.HttpContext), park, id, body.Name, body.Cards, ct)));
            })
            .Accepts<SaveDashboardBody>("application/json")
            .WithSummary("Replace the dashboard's cards (in order: add, remove and reorder by saving the whole list) and optionally its name; " +
                         "a bad card is a 400 naming it (cards[3].node …)")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        g.MapDelete("/{id:long}", async Task<NoContent> (string park, long id, HttpContext ctx, ZeroParkStore store, CancellationToken ct) =>
            {
                await store.Dashboards.DeleteDashboardAsync(Me(ctx), park, id, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Delete one of the signed-in user's dashboards")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}

public sealed record NewDashboardBody(string? Name, string? Template);

public sealed record SaveDashboardBody(string? Name, List<DashboardCard?>? Cards);

public sealed record DashboardTemplateView(string Code, string NameZh, string NameEn, IReadOnlyList<DashboardCard> Cards);

public sealed record DashboardView(long Id, string Park, string Name, string? Template, int Position, IReadOnlyList<DashboardCard> Cards, DateTimeOffset UpdatedAt)
{
    public static DashboardView From(Dashboard d) => new(d.Id, d.Park, d.Name, d.Template, d.Position, d.Cards, d.UpdatedAt);
}
