using Microsoft.AspNetCore.Mvc;
using ZeroPark.Application;
using ZeroPark.Application.Optimisation;
using ZeroPark.Domain;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>The efficiency report of a year (the same data as <c>GET …/efficiency</c>; the workbook from <c>…?format=xlsx</c>).</summary>
public sealed class OptimisationReportModel(ZeroParkStore store, EfficiencyReportService reports) : ZpPageModel(store)
{
    public EfficiencyReport? Report { get; private set; }
    public string? Node { get; private set; }
    public IReadOnlyList<Space> Buildings { get; private set; } = [];
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string park, int? year, string? node, CancellationToken ct)
    {
        CurrentPark = await ParkIfVisibleAsync(park, ct);
        if (CurrentPark is null) return NotFound();
        Buildings = (await Store.Registry.ListSpacesAsync(park, ct)).Where(s => s.Level == SpaceLevel.Building).ToList();
        Node = Buildings.Any(b => b.Code == node) ? node : null;
        try { Report = await reports.ReportAsync(park, Node, year is >= 2000 and <= 2100 ? year : null, ct); }
        catch (ValidationException e) { Error = ZeroPark.Server.Web.UiText.M(e.Message); }
        return Page();
    }
}
