using Microsoft.AspNetCore.Mvc;
using ZeroPark.Carbon;
using ZeroPark.Application;
using ZeroPark.Application.Carbon;

namespace ZeroPark.Server.Web;

/// <summary>The overview's carbon card: scope 1, scope 2 location- and market-based, scope 3 and both totals of the year to date
/// of the reporting day (GHG Protocol, AR6, the park's settings) — the same inventory as <c>GET …/carbon/inventory?from=&amp;to=</c>,
/// linked to the inventory page for the drill-down.</summary>
public sealed class CarbonScopesViewComponent(CarbonService carbonService) : ViewComponent
{
    public sealed record Model(string Park, DateOnly From, DateOnly To, InventoryView Inventory);

    public async Task<IViewComponentResult> InvokeAsync(string park, DateOnly asOf)
    {
        var from = new DateOnly(asOf.Year, 1, 1);
        var r = await carbonService.ComputeAsync(park, null, from, asOf, AccountingMethod.Ghgp, GwpSet.AR6, null, HttpContext.RequestAborted);
        return View(new Model(park, from, asOf, InventoryView.Of(park, r)));
    }
}
