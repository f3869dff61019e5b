using Dapper;
using ZeroPark.Application.Carbon;
using ZeroPark.Application.Reports;
using ZeroPark.Carbon;
using ZeroPark.Tests.EnergyManagement;
using ZeroPark.Tests.Web;
using static ZeroPark.Tests.Web.BrowserSteps;
using static ZeroPark.Tests.Web.WebTestPark;

namespace ZeroPark.Tests.Reports;

/// <summary>The report centre, the disclosure page and the seal badge of the inventory page in Debian's Chromium, on a park of its
/// own (<see cref="EnergyTestPark"/>, code rp17) in the shared web fixture.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ReportBrowserTests(BrowserFixture fx)
{
    private const string Park = "rp17";

    [Fact]
    public async Task The_seal_badge_the_report_centre_and_the_disclosure_page_work_in_chromium()
    {
        await EnergyTestPark.SeedAsync(fx.Store, Park);
        var carbon = new CarbonService(fx.Store);
        var (saved, _, _) = await carbon.SaveAsync(Park, null, new DateOnly(2025, 1, 1), new DateOnly(2025, 2, 28), AccountingMethod.Ghgp, GwpSet.AR6, null, "", "test");
        await new SealService(fx.Store, carbon).FinalizeAsync(Park, saved.Id, "test");

        var page = await fx.NewPageAsync();
        await SignInAsync(page, Admin);
        await page.GotoAsync($"/parks/{Park}/carbon?version={saved.Id}");
        var badge = page.GetByTestId("seal-badge");
        await badge.WaitForAsync();
        Assert.Equal("true", await badge.GetAttributeAsync("data-all-hold"));
        await ShotAsync(page, "17-seal-badge-zh");

        // The report centre: February's energy report, without PDF, is generated and listed with its files.
        await page.GetByTestId("nav-reports").ClickAsync();
        await page.WaitForURLAsync($"**/parks/{Park}/reports");
        await page.GetByTestId("gen-kind").SelectOptionAsync("monthly_energy");
        await page.GetByTestId("gen-month").FillAsync("2025-02");
        await page.Locator("input[name=pdf]").UncheckAsync();
        await page.GetByTestId("generate").ClickAsync();
        await page.GetByTestId("reports-message").WaitForAsync();
        var row = page.GetByTestId("reports-table").Locator("tbody tr[data-report]");
        Assert.Equal(1, await row.CountAsync());
        Assert.Contains("2025-02-01", await row.InnerTextAsync(), StringComparison.Ordinal);
        var href = await page.Locator("[data-testid$='-html']").First.GetAttributeAsync("href");
        var html = await page.Context.APIRequest.GetAsync(href!);
        Assert.Equal(200, html.Status);
        Assert.Contains("月度能源报告", await html.TextAsync(), StringComparison.Ordinal);
        await ShotAsync(page, "17-report-centre-zh");

        // A new kind through the same form: the 2025 carbon neutrality report. Without a ledger only the PV meters neutralise:
        // 240 kWh of 6,480 kWh grid (the same grid factor) → 240 / 6,480 = 3.7037 % → "3.7 %".
        await page.GetByTestId("gen-kind").SelectOptionAsync("carbon_neutrality");
        await page.GetByTestId("gen-year").FillAsync("2025");
        await page.Locator("input[name=pdf]").UncheckAsync();
        await page.GetByTestId("generate").ClickAsync();
        await page.GetByTestId("reports-message").WaitForAsync();
        Assert.Equal(2, await row.CountAsync());
        Assert.Contains("碳中和报告", await row.First.InnerTextAsync(), StringComparison.Ordinal);
        var nhref = await page.Locator("[data-testid$='-html']").First.GetAttributeAsync("href");
        var nhtml = await (await page.Context.APIRequest.GetAsync(nhref!)).TextAsync();
        Assert.Contains("碳中和率 3.7 %", nhtml, StringComparison.Ordinal);
        await ShotAsync(page, "17-report-centre-neutrality-zh");

        // Disclosure completeness: the location-based scope 2 of 2025 is there, water discharge is missing.
        await page.GetByTestId("disclosure-link").ClickAsync();
        var summary = page.GetByTestId("disclosure-summary");
        await summary.WaitForAsync();
        Assert.True(int.Parse(await summary.GetAttributeAsync("data-total") ?? "0", System.Globalization.CultureInfo.InvariantCulture) > 40);
        Assert.Equal("true", await page.Locator("[data-framework=gri] tr[data-metric='305-2-lb']").GetAttributeAsync("data-complete"));
        Assert.Equal("false", await page.Locator("[data-framework=gri] tr[data-metric='303-4']").GetAttributeAsync("data-complete"));
        await ShotAsync(page, "17-disclosure-zh");

        // Tampered: the badge turns red and names what changed.
        await using (var c = await fx.Store.OpenConnectionAsync())
            Assert.Equal(1, await c.ExecuteAsync("UPDATE carbon_inventories SET scope2_location_t = 1 WHERE id = @id", new { id = saved.Id }));
        await page.GotoAsync($"/parks/{Park}/carbon?version={saved.Id}");
        await badge.WaitForAsync();
        Assert.Equal("false", await badge.GetAttributeAsync("data-all-hold"));
        Assert.Contains("scope2_location_t", await badge.InnerTextAsync(), StringComparison.Ordinal);
        await ShotAsync(page, "17-seal-broken-zh");
    }
}
