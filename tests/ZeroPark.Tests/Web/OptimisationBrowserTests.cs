using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using ZeroPark.Tests.Optimisation;
using static ZeroPark.Tests.Web.BrowserSteps;
using static ZeroPark.Tests.Web.WebTestPark;

namespace ZeroPark.Tests.Web;

/// <summary>The optimisation pages in Debian's Chromium over a copy of <see cref="OptTestPark"/> (known PUE drivers) added to the browser
/// fixture's store: the forecast chart with its measured accuracy (the API's figures), the drivers, suggestions accepted and rejected, the
/// efficiency report. Screenshots go to artifacts/screenshots/.</summary>
[Collection(BrowserCollection.Name)]
public sealed class OptimisationBrowserTests(BrowserFixture fx)
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _park;

    private async Task<string> ParkAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_park is null)
            {
                var code = "opt" + Guid.NewGuid().ToString("N")[..6];
                await OptTestPark.SeedAsync(fx.Store, code);
                _park = code;
            }
            return _park;
        }
        finally { Gate.Release(); }
    }

    private static async Task<JsonElement> ApiAsync(IPage page, string url)
    {
        var r = await page.Context.APIRequest.GetAsync(url);
        Assert.Equal(200, r.Status);
        return JsonDocument.Parse(await r.TextAsync()).RootElement;
    }

    [Fact]
    public async Task The_forecast_page_shows_the_chart_and_the_measured_accuracy_of_the_api()
    {
        var park = await ParkAsync();
        var page = await fx.NewPageAsync();
        await SignInAsync(page, Admin);
        await page.GotoAsync($"/parks/{park}");
        await page.GetByTestId("nav-optimisation").ClickAsync();
        await page.WaitForURLAsync($"**/parks/{park}/optimisation");
        await page.WaitForSelectorAsync("#forecast-chart[data-ready=true] canvas");
        await ShotAsync(page, "60-optimisation-forecast-zh");
        var api = await ApiAsync(page, $"/api/parks/{park}/forecast/backtest?target=facility_energy&horizon=day");
        var zh = CultureInfo.GetCultureInfo("zh-CN");
        Assert.Equal(api.GetProperty("mape").GetDouble().ToString("N2", zh) + " %", await page.GetByTestId("fc-mape").InnerTextAsync());
        Assert.Equal(api.GetProperty("baseline_mape").GetDouble().ToString("N2", zh) + " %", await page.GetByTestId("fc-baseline-mape").InnerTextAsync());
        Assert.Equal("1440", await page.GetByTestId("fc-points").InnerTextAsync());
        Assert.Equal(4, await page.Locator("[data-testid=fc-accuracy] tbody tr").CountAsync());
        // Store the forecast: it appears among the stored forecasts, with no actuals yet.
        await page.GetByTestId("forecast-save").Locator("button").ClickAsync();
        await page.WaitForSelectorAsync("[data-testid=opt-message]");
        Assert.Equal(1, await page.Locator("[data-testid=fc-stored] tbody tr").CountAsync());
        // PUE, week: the form switches target and horizon.
        await page.GotoAsync($"/parks/{park}/optimisation?target=pue&horizon=week");
        await page.WaitForSelectorAsync("#forecast-chart[data-ready=true] canvas");
        Assert.Equal("399", await page.GetByTestId("fc-points").InnerTextAsync());
    }

    [Fact]
    public async Task Drivers_suggestions_and_the_report()
    {
        var park = await ParkAsync();
        var page = await fx.NewPageAsync();
        await SignInAsync(page, Admin);
        await page.GotoAsync($"/parks/{park}/optimisation/drivers?temp=20&load=0.7");
        await page.WaitForSelectorAsync("[data-testid=drivers-table]");
        var drivers = await page.Locator("[data-testid=drivers-table] tbody tr").EvaluateAllAsync<string[]>("rs => rs.map(r => r.dataset.driver)");
        Assert.Equal(["intercept", "outdoor_temp_c", "it_load_rate"], drivers);
        // Expected PUE at 20 °C and load 0.7: 1.10 + 0.16 + 0.105 = 1.365 (the fit is within ±0.005).
        var expected = double.Parse(await page.GetByTestId("drivers-expected").InnerTextAsync(), CultureInfo.GetCultureInfo("zh-CN"));
        Assert.InRange(expected, 1.360, 1.370);
        await ShotAsync(page, "61-optimisation-drivers-zh");

        await page.GotoAsync($"/parks/{park}/optimisation/suggestions");
        await page.GetByTestId("sg-analyse").Locator("button").ClickAsync();
        await page.WaitForSelectorAsync("[data-testid=opt-message]");
        var night = page.Locator("[data-testid=sg-table] tr[data-kind=night_base_load]");
        var id = await night.GetAttributeAsync("data-id");
        // Rejecting without a reason is refused with a message; with one it is recorded.
        await page.GetByTestId($"sg-reject-{id}").ClickAsync();
        await page.WaitForSelectorAsync("[data-testid=opt-error]");
        await page.GetByTestId($"sg-reason-{id}").FillAsync("needed for night patrols");
        await page.GetByTestId($"sg-reject-{id}").ClickAsync();
        await page.WaitForSelectorAsync($"[data-testid=sg-table] tr[data-id='{id}'][data-status=rejected]");
        var fc = await page.Locator("[data-testid=sg-table] tr[data-kind=free_cooling_unused]").GetAttributeAsync("data-id");
        await page.GetByTestId($"sg-accept-{fc}").ClickAsync();
        await page.WaitForSelectorAsync($"[data-testid=sg-table] tr[data-id='{fc}'][data-status=accepted]");
        await ShotAsync(page, "62-optimisation-suggestions-zh");

        await page.GotoAsync($"/parks/{park}/optimisation/report?year=2025");
        await page.WaitForSelectorAsync("[data-testid=report-months]");
        Assert.Equal(4, await page.Locator("[data-testid=report-months] tbody tr").CountAsync());
        var href = await page.GetByTestId("report-xlsx").GetAttributeAsync("href");
        var x = await page.Context.APIRequest.GetAsync(href!);
        Assert.Equal(200, x.Status);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", x.Headers["content-type"]);
        await ShotAsync(page, "63-optimisation-report-zh");
    }

    [Fact]
    public async Task An_over_cooled_room_is_suggested_in_chinese_and_english_and_its_assumptions_can_change()
    {
        // RoomTestPark: room b1-f1-r1's cold aisle at 18/20 °C (P90 20 °C < 22 °C), room b1-f1-r2 at 23/25 °C.
        var park = "rooms" + Guid.NewGuid().ToString("N")[..6];
        await RoomTestPark.SeedAsync(fx.Store, park);
        var page = await fx.NewPageAsync();
        await SignInAsync(page, Admin);
        await page.GotoAsync($"/parks/{park}/optimisation/suggestions");
        await page.GetByTestId("sg-analyse").Locator("button").ClickAsync();
        await page.WaitForSelectorAsync("[data-testid=opt-message]");
        var rows = page.Locator("[data-testid=sg-table] tr[data-kind=over_cooled_room]");
        Assert.Equal(1, await rows.CountAsync());
        var row = await rows.InnerTextAsync();
        // 4 K × 3 % of 18 kWh/h × 720 h × 365 / 30 = 18,921.6 kWh a year.
        Assert.Contains("b1-f1-r1", row, StringComparison.Ordinal);
        Assert.Contains("包间过度制冷", row, StringComparison.Ordinal);
        Assert.Contains("18,922", row, StringComparison.Ordinal);
        Assert.Contains("冷通道进风温度（r1_inlet_a, r1_inlet_b）在 720 小时内平均 19.0 °C", row, StringComparison.Ordinal);
        Assert.Equal("24", await page.GetByTestId("room-target").InputValueAsync());
        await ShotAsync(page, "64-optimisation-over-cooled-room-zh");

        // A margin above 9 K is refused by the server with the reason (the target field itself only takes 18–27 °C); a target of 23 °C is
        // kept: raise 3 K → 9 % → 14,191.2 kWh a year after a new analysis.
        await page.GetByTestId("room-margin").FillAsync("12");
        await page.GetByTestId("room-save").ClickAsync();
        await page.WaitForSelectorAsync("[data-testid=opt-error]");
        Assert.Equal("判定裕度 12 K 须大于 0 且不超过 9", await page.GetByTestId("opt-error").InnerTextAsync());
        Assert.Equal("2", await page.GetByTestId("room-margin").InputValueAsync());
        await page.GetByTestId("room-target").FillAsync("23");
        await page.GetByTestId("room-save").ClickAsync();
        await page.WaitForSelectorAsync("[data-testid=opt-message]");
        Assert.Equal("23", await page.GetByTestId("room-target").InputValueAsync());
        await page.GetByTestId("sg-analyse").Locator("button").ClickAsync();
        await page.WaitForSelectorAsync("[data-testid=sg-table] tr[data-kind=over_cooled_room] >> text=14,191");

        // In English: the kind, the evidence as the API writes it.
        await page.GetByTestId("lang-switch").ClickAsync();
        await page.WaitForSelectorAsync("html[lang=en]");
        var en = await page.Locator("[data-testid=sg-table] tr[data-kind=over_cooled_room]").InnerTextAsync();
        Assert.Contains("Over-cooled room", en, StringComparison.Ordinal);
        Assert.Contains("cold-aisle inlet (r1_inlet_a, r1_inlet_b) averaged 19.0 °C over 720 hours", en, StringComparison.Ordinal);
        Assert.Contains("Over-cooled rooms (cold-aisle temperature)", await page.GetByTestId("room-settings").InnerTextAsync(), StringComparison.Ordinal);
        await ShotAsync(page, "65-optimisation-over-cooled-room-en");
    }
}
