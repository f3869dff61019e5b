using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using ZeroPark.Server.Web;
using ZeroPark.Application;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>The park overview: day / month-to-date / year-to-date energy and PUE, the 30-day trend, the split by subsystem and
/// data completeness — all from <see cref="ParkOverviewService"/>, i.e. the same EnergyService as the REST API.</summary>
public sealed partial class OverviewModel(ZeroParkStore store, ParkOverviewService overview) : ZpPageModel(store)
{
    public ParkOverview Data { get; private set; } = null!;

    /// <summary>The chart data for wwwroot/js/overview.js (a JSON block, not a script: the CSP allows only our own scripts).</summary>
    public string ChartJson { get; private set; } = "{}";

    public async Task<IActionResult> OnGetAsync(string park, string? date, CancellationToken ct)
    {
        CurrentPark = await ParkIfVisibleAsync(park, ct);
        if (CurrentPark is null) return NotFound();
        DateOnly? day = null;
        if (!string.IsNullOrWhiteSpace(date))
        {
            if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return BadRequest();
            day = d;
        }
        Data = await overview.BuildAsync(park, day, ct);
        ChartJson = JsonSerializer.Serialize(new
        {
            lang = Lang,
            labels = new { energy = T("chart.energy"), pue = T("chart.pue") },
            trend = new
            {
                days = Data.Trend.Select(t => t.Day.ToString(IsChinese ? "M月d日" : "d MMM", CultureInfo.CurrentCulture)).ToList(),
                kwh = Data.Trend.Select(t => t.TotalKwh).ToList(),
                pue = Data.Trend.Select(t => t.Pue).ToList(),
            },
            split = Data.Split.Where(s => s.Kwh is > 0).Select(s => new { name = T("sub." + s.Code), value = s.Kwh }).ToList(),
        });
        return Page();
    }
}
