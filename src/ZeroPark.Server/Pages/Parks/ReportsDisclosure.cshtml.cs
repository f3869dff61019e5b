using Microsoft.AspNetCore.Mvc;
using ZeroPark.Application;
using ZeroPark.Application.Reports;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>Disclosure completeness (issue 17): which metrics of each framework have data for the year and which miss it, with
/// value, unit, method and source; exports as XLSX and JSON (the API).</summary>
public sealed class ReportsDisclosureModel(ZeroParkStore store, DisclosureService disclosure) : ZpPageModel(store)
{
    public DisclosurePack Pack { get; private set; } = null!;
    public int Year { get; private set; }

    public async Task<IActionResult> OnGetAsync(string park, int? year, CancellationToken ct)
    {
        CurrentPark = await ParkIfVisibleAsync(park, ct);
        if (CurrentPark is null) return NotFound();
        var last = await Store.Queries.LastReadingAtAsync(park, ct);
        Year = year is >= 2000 and <= 2100 ? year.Value : (last is { } l ? l.AddSeconds(-1).Year - (l.AddSeconds(-1).Month == 12 && l.AddSeconds(-1).Day == 31 ? 0 : 1) : DateTime.UtcNow.Year - 1);
        Pack = await disclosure.PackAsync(park, Year, ct);
        return Page();
    }
}
