using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using static ZeroPark.Tests.Web.BrowserSteps;
using static ZeroPark.Tests.Web.WebTestPark;

namespace ZeroPark.Tests.Web;

/// <summary>The neutrality pages (ledger, dashboard, targets, measures) in Debian's Chromium. Writes go to park B (no instruments
/// of its own, so park A's carbon figures that other tests check stay as they are); only CCER and sinks are imported (offsets only,
/// market-based scope 2 unchanged). Screenshots go to artifacts/screenshots/.</summary>
[Collection(BrowserCollection.Name)]
public sealed class NeutralityBrowserTests(BrowserFixture fx)
{
    private static async Task<JsonElement> ApiAsync(IPage page, string url)
    {
        var r = await page.Context.APIRequest.GetAsync(url);
        Assert.Equal(200, r.Status);
        return JsonDocument.Parse(await r.TextAsync()).RootElement;
    }

    [Fact]
    public async Task Ledger_import_feeds_the_dashboard_targets_are_set_and_measures_refuse_a_short_baseline()
    {
        var page = await fx.NewPageAsync();
        await SignInAsync(page, Admin);
        await page.GotoAsync("/parks/" + ParkB);
        await page.GetByTestId("nav-neutrality").ClickAsync();
        await page.WaitForURLAsync($"**/parks/{ParkB}/neutrality");
        await page.GetByTestId("tab-nz-ledger").ClickAsync();
        await page.WaitForURLAsync($"**/parks/{ParkB}/neutrality/ledger");

        // Import: two good rows (CCER 2 t, sink 1 t, both retired for the two days of data) and one with an unknown kind (line 4).
        const string csv = "kind,quantity,unit,serial_from,serial_to,vintage,claim_from,claim_to\n" +
                           "ccer,2,tCO2e,WEB-CCER-1,WEB-CCER-2,2024,2025-01-31,2025-02-01\n" +
                           "sink,1,tCO2e,,,2024,2025-01-31,2025-02-01\n" +
                           "teleport,1,t,,,,,\n";
        await page.GetByTestId("ledger-file").SetInputFilesAsync(new FilePayload { Name = "ledger.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await page.GetByTestId("ledger-import").ClickAsync();
        await page.GetByTestId("nz-message").WaitForAsync();
        Assert.Equal("导入 2 行，拒绝 1 行", (await page.GetByTestId("nz-message").InnerTextAsync()).Trim());
        var rejected = await page.GetByTestId("nz-rejected").InnerTextAsync();
        Assert.Contains("第 4 行", rejected, StringComparison.Ordinal);
        Assert.Contains("类型：未知的“teleport”", rejected, StringComparison.Ordinal);
        Assert.Equal(2, await page.GetByTestId("ledger").Locator("tbody tr").CountAsync());
        Assert.Equal(["已注销", "已注销"], (await page.GetByTestId("ledger").Locator("[data-col=state]").AllInnerTextsAsync()).Select(s => s.Trim()));
        await ShotAsync(page, "40-neutrality-ledger-zh");

        // Importing the same serials again is refused, naming the instrument and park.
        var again = "kind,quantity,unit,serial_from,serial_to,vintage,claim_from,claim_to\nccer,1,tCO2e,WEB-CCER-2,,2024,,\n";
        await page.GetByTestId("ledger-file").SetInputFilesAsync(new FilePayload { Name = "again.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(again) });
        await page.GetByTestId("ledger-import").ClickAsync();
        await page.GetByTestId("nz-rejected").WaitForAsync();
        Assert.Contains($"序列号已被 ccer WEB-CCER-1…WEB-CCER-2（#", await page.GetByTestId("nz-rejected").InnerTextAsync(), StringComparison.Ordinal);

        // The dashboard shows the API's figures: neutralised = 2 + 1 (+ the PV meters' 240 kWh × the grid factor).
        await page.GetByTestId("tab-nz-dashboard").ClickAsync();
        await page.WaitForURLAsync($"**/parks/{ParkB}/neutrality");
        await page.WaitForSelectorAsync("html[data-charts=ready]");
        await page.WaitForSelectorAsync("#nz-chart svg");
        var from = (await page.Locator("p.muted").First.InnerTextAsync()).Split('·')[1].Trim().Split(' ');
        var api = await ApiAsync(page, $"/api/parks/{ParkB}/carbon/neutrality?from={from[0]}&to={from[2]}");
        var pvT = api.GetProperty("by_kind").EnumerateArray().Single(k => k.GetProperty("kind").GetString() == "rooftop_pv").GetProperty("tonnes").GetDouble();
        // PV: 240 kWh × the factor the inventory used (the API's grid factor) = the PV line's tonnes.
        Assert.Equal(0.24 * api.GetProperty("grid_factor_t_per_mwh").GetDouble(), pvT, 9);
        Assert.Equal(3 + pvT, api.GetProperty("neutralised_t").GetDouble(), 9);
        var zh = CultureInfo.GetCultureInfo("zh-CN");
        Assert.Equal(api.GetProperty("neutralised_t").GetDouble().ToString("#,0.###", zh) + " t", (await page.GetByTestId("nz-neutralised").InnerTextAsync()).Trim());
        Assert.Equal((api.GetProperty("neutrality_rate").GetDouble() * 100).ToString("N1", zh) + " %", (await page.GetByTestId("nz-rate").InnerTextAsync()).Trim());
        // T/CA305: CCER 2 × 2 + sink 1 × 2 + PV × 1.5.
        Assert.Equal(4 + 2 + 1.5 * pvT, api.GetProperty("tca305_weighted_t").GetDouble(), 9);
        Assert.Equal(1, await page.GetByTestId("nz-bykind").Locator("tr[data-kind=ccer]").CountAsync());
        Assert.Contains("C_yw = 范围一 + 基于位置的范围二（总量口径）", await page.GetByTestId("nz-choices").InnerTextAsync(), StringComparison.Ordinal);
        await ShotAsync(page, "41-neutrality-dashboard-zh");

        // Targets: the issue-15 target through the form; January's rate is checked against it.
        await page.GetByTestId("tab-nz-targets").ClickAsync();
        await page.WaitForURLAsync($"**/parks/{ParkB}/neutrality/targets");
        await page.GetByTestId("f-value").FillAsync("0.75");
        await page.GetByTestId("f-from").FillAsync("2025-01");
        await page.GetByTestId("target-add").ClickAsync();
        await page.GetByTestId("nz-message").WaitForAsync();
        Assert.Contains("0.75", await page.GetByTestId("nz-message").InnerTextAsync(), StringComparison.Ordinal);
        var jan = await ApiAsync(page, $"/api/parks/{ParkB}/carbon/neutrality?from=2025-01-01&to=2025-01-31");
        var janMet = jan.GetProperty("neutrality_rate").GetDouble() >= 0.75 ? "是" : "否";
        Assert.Equal(janMet, (await page.GetByTestId("progress").Locator("tr[data-month='1'] [data-col=rate-met]").InnerTextAsync()).Trim());
        // A bad value is refused under its field.
        await page.GetByTestId("f-value").FillAsync("lots");
        await page.GetByTestId("target-add").ClickAsync();
        await page.GetByTestId("err-value").WaitForAsync();
        await ShotAsync(page, "42-neutrality-targets-zh");

        // Measures: a 5-day baseline is refused, naming the field.
        await page.GetByTestId("tab-nz-measures").ClickAsync();
        await page.WaitForURLAsync($"**/parks/{ParkB}/neutrality/measures");
        await page.GetByTestId("f-code").FillAsync("M-WEB");
        await page.GetByTestId("f-name").FillAsync("冷机群控");
        await page.GetByTestId("f-boundary").FillAsync("chiller");
        await page.GetByTestId("f-baseline_from").FillAsync("2025-01-01");
        await page.GetByTestId("f-baseline_to").FillAsync("2025-01-05");
        await page.GetByTestId("f-start").FillAsync("2025-01-31");
        await page.GetByTestId("measure-add").ClickAsync();
        await page.GetByTestId("err-baseline_to").WaitForAsync();
        // Then a valid one is registered and listed.
        await page.GetByTestId("f-baseline_to").FillAsync("2025-01-20");
        await page.GetByTestId("measure-add").ClickAsync();
        await page.GetByTestId("nz-message").WaitForAsync();
        Assert.Equal(1, await page.GetByTestId("measures").Locator("tr[data-measure=M-WEB]").CountAsync());
        await ShotAsync(page, "43-neutrality-measures-zh");
    }

    [Fact]
    public async Task A_viewer_sees_the_ledger_read_only_and_a_forged_post_is_forbidden()
    {
        var page = await fx.NewPageAsync();
        await SignInAsync(page, ViewerA);
        await page.GotoAsync($"/parks/{ParkA}/neutrality/ledger");
        await page.GetByTestId("read-only").WaitForAsync();
        Assert.Equal(0, await page.GetByTestId("ledger-import-form").CountAsync());
        // Park A's GEC (2 MWh for 2025, recorded through the carbon module) is in the one ledger, retired for scope 2 and as an offset.
        var row = page.GetByTestId("ledger").Locator("tr[data-kind=gec]");
        Assert.Equal(1, await row.CountAsync());
        Assert.Contains("市场法范围二 + 抵消", await row.InnerTextAsync(), StringComparison.Ordinal);
        var r = await page.Context.APIRequest.PostAsync($"/api/parks/{ParkA}/carbon/offsets", new APIRequestContextOptions
        {
            DataObject = new { kind = "ccer", quantity = 1 }, Headers = new Dictionary<string, string> { ["Origin"] = fx.BaseUrl },
        });
        Assert.Equal(403, r.Status);
        // In English: the same page, English labels.
        await page.GetByTestId("lang-switch").ClickAsync();
        await page.WaitForSelectorAsync("html[lang=en]");
        Assert.Contains("market-based scope 2 + offset", await page.GetByTestId("ledger").Locator("tr[data-kind=gec]").InnerTextAsync(), StringComparison.Ordinal);
        await ShotAsync(page, "44-neutrality-ledger-en");
    }
}
