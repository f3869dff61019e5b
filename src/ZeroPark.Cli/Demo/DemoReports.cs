using ZeroPark.Application;
using ZeroPark.Application.Carbon;
using ZeroPark.Application.Reports;
using ZeroPark.Carbon;

namespace ZeroPark.Cli.Demo;

/// <summary>
/// The demo park's reports: the first whole year's park inventory (GHG Protocol, AR6) saved and finalized, so it is sealed and
/// <c>zeropark verify</c> has something to check, and two schedules (the monthly energy report in Chinese, the yearly GHG report
/// in English; no recipients). No report is generated here (printing PDFs would slow the demo down): the report centre does that.
/// </summary>
internal static class DemoReports
{
    public static async Task SeedAsync(ZeroParkStore store, DemoPark demo, CancellationToken ct)
    {
        var park = demo.Options.ParkCode;
        var first = demo.Options.StartDate;
        var last = first.AddDays(demo.Options.Days - 1);
        var year = first.Month == 1 && first.Day == 1 ? first.Year : first.Year + 1;
        if (new DateOnly(year, 12, 31) <= last)
        {
            var carbon = new CarbonService(store);
            var (saved, _, _) = await carbon.SaveAsync(park, null, new DateOnly(year, 1, 1), new DateOnly(year, 12, 31), AccountingMethod.Ghgp, GwpSet.AR6, null,
                $"{year} annual inventory (demo)", "demo", ct);
            if (saved.Status != "final") await new SealService(store, carbon).FinalizeAsync(park, saved.Id, "demo", ct);
        }
        await store.Reports.AddScheduleAsync(park, ReportKinds.MonthlyEnergy, "month", "zh", [], "demo", ct);
        await store.Reports.AddScheduleAsync(park, ReportKinds.GhgInventory, "year", "en", [], "demo", ct);
    }
}
