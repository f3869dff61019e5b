using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using ZeroPark.Application;
using ZeroPark.Tests.EnergyManagement;
using static ZeroPark.Tests.Web.BrowserSteps;
using static ZeroPark.Tests.Web.WebTestPark;

namespace ZeroPark.Tests.Web;

/// <summary>Dashboards of cards and the energy analysis pages in Debian's Chromium: a dashboard from a template, a card added and
/// found after a reload, reordering and removal persisted, the Sankey card drawn, the analysis pages' figures equal the API's, and
/// park-level access to dashboards (pages and API). Screenshots go to artifacts/screenshots/ (2x-*.png).</summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardBrowserTests(BrowserFixture fx)
{
    /// <summary>Collects page errors and console errors (a card that fails to draw is a test failure).</summary>
    private static List<string> Errors(IPage page)
    {
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        page.Console += (_, m) => { if (m.Type == "error" && !m.Text.StartsWith("Failed to load resource", StringComparison.Ordinal)) errors.Add(m.Text); };
        return errors;
    }

    private static async Task ReadyAsync(IPage page)
    {
        await page.WaitForSelectorAsync("html[data-charts=ready]");
        Assert.Equal(0, await page.Locator("[data-testid=card][data-ready=error]").CountAsync());
    }

    private static async Task<long> UserIdAsync(ZeroParkStore store, string name) => (await store.Users.GetUserAsync(name))!.Id;

    [Fact]
    public async Task A_dashboard_from_a_template_gets_a_new_card_that_is_there_after_a_reload_and_reordering_and_removal_persist()
    {
        var me = await UserIdAsync(fx.Store, ViewerA);
        foreach (var old in await fx.Store.Dashboards.ListDashboardsAsync(me, ParkA)) await fx.Store.Dashboards.DeleteDashboardAsync(me, ParkA, old.Id);
        var page = await fx.NewPageAsync();
        var errors = Errors(page);
        await SignInAsync(page, ViewerA);                                  // every role keeps its own dashboards
        await page.GotoAsync($"/parks/{ParkA}");
        await page.GetByTestId("nav-dashboards").ClickAsync();
        await page.GetByTestId("no-dashboard").WaitForAsync();
        await ShotAsync(page, "20-dashboards-empty-zh");
        await page.GetByTestId("start-energy_overview").ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex($"/parks/{ParkA}/dashboards/\\d+$"));
        await ReadyAsync(page);
        var cards = page.GetByTestId("card");
        Assert.Equal(8, await cards.CountAsync());
        Assert.Equal("能耗总览", await page.GetByTestId("dashboard-tabs").Locator("a.active").InnerTextAsync());

        // The energy tile (month to date = 1 Feb 2025, the park's latest day) shows the API's total: 3,480 kWh.
        var energyTile = page.Locator("[data-card-id=c1]").GetByTestId("kpi-value");
        Assert.Equal(3480, double.Parse((await energyTile.GetAttributeAsync("data-value"))!, CultureInfo.InvariantCulture), 6);
        Assert.StartsWith("3,480", await energyTile.InnerTextAsync(), StringComparison.Ordinal);
        // PUE of 1 Feb: 145/100.
        Assert.Equal("1.450", (await page.Locator("[data-card-id=c2]").GetByTestId("kpi-value").InnerTextAsync()).Trim());
        await ShotAsync(page, "21-dashboard-overview-zh");

        // Add a card: the cooling trend of building 1 over 7 days.
        await page.GetByTestId("add-card-open").ClickAsync();
        await page.GetByTestId("card-type").SelectOptionAsync("trend");
        await page.GetByTestId("card-node").SelectOptionAsync("b1");
        await page.GetByTestId("card-system").SelectOptionAsync("cooling");
        await page.GetByTestId("card-period").SelectOptionAsync("7d");
        await page.GetByTestId("card-title-input").FillAsync("1号楼制冷趋势");
        await ShotAsync(page, "22-dashboard-add-card-zh");
        await page.GetByTestId("add-card-submit").ClickAsync();
        await page.Locator("#dash-grid > section:nth-child(9)").WaitForAsync();
        await ReadyAsync(page);

        await page.ReloadAsync();
        await ReadyAsync(page);
        Assert.Equal(9, await cards.CountAsync());
        Assert.Equal("1号楼制冷趋势", await cards.Nth(8).GetByTestId("card-title").InnerTextAsync());
        Assert.Equal(1, await cards.Nth(8).Locator(".dchart svg").CountAsync());
        var stored = Assert.Single(await fx.Store.Dashboards.ListDashboardsAsync(me, ParkA));
        var added = stored.Cards[^1];
        Assert.Equal(("trend", "b1", "cooling", "7d", "1号楼制冷趋势"), (added.Type, added.Node, added.System, added.Period, added.Title));

        // Move it up one place, remove the first card; both survive a reload.
        await cards.Nth(8).GetByTestId("card-up").ClickAsync();
        await page.Locator($"#dash-grid > section:nth-child(8)[data-card-id='{added.Id}']").WaitForAsync();
        await cards.Nth(0).GetByTestId("card-remove").ClickAsync();
        await page.Locator("#dash-grid > section:nth-child(9)").WaitForAsync(new() { State = WaitForSelectorState.Detached });
        await page.ReloadAsync();
        await ReadyAsync(page);
        var ids = new List<string>();
        for (var i = 0; i < await cards.CountAsync(); i++) ids.Add((await cards.Nth(i).GetAttributeAsync("data-card-id"))!);
        Assert.Equal(["c2", "c3", "c4", "c5", "c6", "c7", added.Id, "c8"], ids);
        Assert.Equal(ids, (await fx.Store.Dashboards.GetDashboardAsync(me, ParkA, stored.Id)).Cards.Select(c => c.Id));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_sankey_card_and_the_energy_pages_show_the_apis_figures_without_script_errors()
    {
        var page = await fx.NewPageAsync();
        var errors = Errors(page);
        await SignInAsync(page, Admin);
        var me = await UserIdAsync(fx.Store, Admin);
        var d = await fx.Store.Dashboards.CreateDashboardAsync(me, ParkA, "制冷", "cooling");
        await fx.Store.Dashboards.SaveDashboardAsync(me, ParkA, d.Id, null, [.. d.Cards, new DashboardCard("s1", "sankey", Period: "7d")]);
        await page.GotoAsync($"/parks/{ParkA}/dashboards/{d.Id}");
        await ReadyAsync(page);
        var sankey = page.Locator("[data-card-id=s1]");
        var flowApi = await page.Context.APIRequest.GetAsync($"/api/parks/{ParkA}/energy/flow?from=2025-01-26&to=2025-02-01&by=total");
        using var flow = JsonDocument.Parse(await flowApi.TextAsync());
        var svgText = await sankey.Locator("svg").TextContentAsync() ?? "";
        var drawn = flow.RootElement[0].GetProperty("links").EnumerateArray().Where(k => k.GetProperty("kwh").GetDouble() > 0).ToList();
        Assert.NotEmpty(drawn);
        foreach (var node in flow.RootElement[0].GetProperty("nodes").EnumerateArray().Where(n => drawn.Any(k => k.GetProperty("target").GetString() == n.GetProperty("id").GetString())))
            Assert.Contains(node.GetProperty("name_zh").GetString()!, svgText, StringComparison.Ordinal);
        Assert.True(await sankey.Locator("svg path").CountAsync() >= drawn.Count);
        await ShotAsync(page, "23-dashboard-cooling-zh");

        // Subsystem dimension of February 2025 (1 Feb only): the API's breakdown, and January 31 as the previous month's same date.
        await page.GotoAsync($"/parks/{ParkA}/energy/dimensions?month=2025-02");
        await page.WaitForSelectorAsync("#compare-chart svg");
        using (var b = JsonDocument.Parse(await (await page.Context.APIRequest.GetAsync($"/api/parks/{ParkA}/energy/breakdown?from=2025-02-01&to=2025-02-01&by=month")).TextAsync()))
        {
            var row = b.RootElement[0];
            var table = page.GetByTestId("dimension-table");
            Assert.Equal(4, await table.Locator("tbody tr").CountAsync());
            foreach (var (key, field) in new[] { ("it", "it_kwh"), ("cooling", "cooling_kwh"), ("power", "power_kwh"), ("aux", "aux_kwh") })
            {
                var tr = table.Locator($"tr[data-key={key}]");
                Assert.Equal(row.GetProperty(field).GetDouble(), double.Parse((await tr.Locator("[data-col=current]").GetAttributeAsync("data-value"))!, CultureInfo.InvariantCulture), 6);
                Assert.Equal(row.GetProperty("yoy").GetProperty(field).ValueKind == JsonValueKind.Null ? "" : "x",
                    (await tr.Locator("[data-col=yoy]").GetAttributeAsync("data-value")) is { Length: > 0 } ? "x" : "");
            }
            // IT on 1 Feb: pdu1 + pdu2 = 24 × (60 + 40) = 2,400 kWh, the first line of the ranking.
            Assert.Equal("2400", await table.Locator("tbody tr").First.Locator("[data-col=current]").GetAttributeAsync("data-value"));
            // The export link gives the same four lines in the same order, IT's 2,400 kWh first.
            var csv = await page.Context.APIRequest.GetAsync($"/parks/{ParkA}/energy/dimensions?month=2025-02&export=dimension&format=csv");
            Assert.Equal(200, csv.Status);
            var lines = System.Text.Encoding.UTF8.GetString((await csv.BodyAsync())[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(5, lines.Length);
            Assert.Equal(["aux", "cooling", "it", "power"], lines.Skip(1).Select(l => l.Split(',')[2]).Order(StringComparer.Ordinal).ToArray());
            Assert.Equal("2400", lines[1].Split(',')[3]);
        }
        await ShotAsync(page, "24-energy-dimensions-zh");
        await page.GetByTestId("dim-device").ClickAsync();
        await page.WaitForSelectorAsync("#compare-chart svg");
        Assert.True(await page.GetByTestId("dimension-table").Locator("tbody tr").CountAsync() >= 5);
        await page.GetByTestId("dim-space").ClickAsync();
        await page.WaitForSelectorAsync("#compare-chart svg");
        Assert.Equal("b1", await page.GetByTestId("dimension-table").Locator("tbody tr").First.GetAttributeAsync("data-key"));

        // Plans vs actual: twelve months; February's actual is the park's input of 1 Feb.
        await page.GetByTestId("tab-plans").ClickAsync();
        await page.WaitForSelectorAsync("#plan-chart svg");
        Assert.Equal(12, await page.GetByTestId("plan-months").Locator("tbody tr").CountAsync());
        var planSheet = TariffTestData.ReadSheet(await (await page.Context.APIRequest.GetAsync(
            new Uri(page.Url).PathAndQuery + (page.Url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "export=plan-months&format=xlsx")).BodyAsync(), "plan-months");
        Assert.Equal(13, planSheet.Count);
        await ShotAsync(page, "25-energy-plans-zh");

        // Cost: park B gets a tariff; the page's total equals the API's.
        await fx.Store.Tariffs.CreateTariffVersionAsync(ParkB, TariffTestData.Draft(TariffTestData.JsonA, "2025-01-01"), "setup");
        await page.GotoAsync($"/parks/{ParkB}/energy/cost?from=2025-01-31&to=2025-02-01&by=day");
        await page.WaitForSelectorAsync("#cost-chart svg");
        using (var cost = JsonDocument.Parse(await (await page.Context.APIRequest.GetAsync($"/api/parks/{ParkB}/energy/cost?from=2025-01-31&to=2025-02-01&by=total")).TextAsync()))
            Assert.Equal(cost.RootElement[0].GetProperty("cost_cny").GetDouble(), double.Parse((await page.GetByTestId("cost-total").GetAttributeAsync("data-value"))!, CultureInfo.InvariantCulture), 6);
        Assert.Equal(2, await page.GetByTestId("cost-table").Locator("tbody tr").CountAsync());
        var costSheet = TariffTestData.ReadSheet(await (await page.Context.APIRequest.GetAsync($"/parks/{ParkB}/energy/cost?from=2025-01-31&to=2025-02-01&by=day&export=cost&format=xlsx")).BodyAsync(), "cost");
        Assert.Equal(3, costSheet.Count);
        var subSheet = TariffTestData.ReadSheet(await (await page.Context.APIRequest.GetAsync($"/parks/{ParkB}/energy/cost?from=2025-01-31&to=2025-02-01&by=day&export=cost-subsystems&format=xlsx")).BodyAsync(), "cost-subsystems");
        Assert.Equal(7, subSheet.Count); // header + IT, cooling, power, auxiliary, unallocated, total
        await ShotAsync(page, "26-energy-cost-zh");

        // The flow page switches to water: park input → building 1.
        await page.GotoAsync($"/parks/{ParkA}/energy?from=2025-01-31&to=2025-02-01&carrier=water");
        await page.WaitForSelectorAsync("#flow-chart svg path");
        Assert.Contains("m³", await page.Locator("#flow-chart svg").TextContentAsync() ?? "", StringComparison.Ordinal);
        await ShotAsync(page, "27-energy-water-flow-zh");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_viewer_of_park_a_cannot_open_park_b_dashboards_nor_another_users_dashboard_in_pages_or_api()
    {
        var admin = await UserIdAsync(fx.Store, Admin);
        var bDash = await fx.Store.Dashboards.CreateDashboardAsync(admin, ParkB, "B", "pue");
        var aDash = await fx.Store.Dashboards.CreateDashboardAsync(admin, ParkA, "A admin", "pue");
        var page = await fx.NewPageAsync();
        await SignInAsync(page, ViewerA);
        Assert.Equal(200, (await page.GotoAsync($"/parks/{ParkA}/dashboards"))!.Status);
        Assert.Equal(404, (await page.GotoAsync($"/parks/{ParkB}/dashboards"))!.Status);
        Assert.Equal(404, (await page.GotoAsync($"/parks/{ParkB}/dashboards/{bDash.Id}"))!.Status);
        Assert.Equal(404, (await page.GotoAsync($"/parks/{ParkA}/dashboards/{aDash.Id}"))!.Status);     // the administrator's own
        var api = page.Context.APIRequest;
        Assert.Equal(404, (await api.GetAsync($"/api/parks/{ParkB}/dashboards")).Status);
        Assert.Equal(404, (await api.GetAsync($"/api/parks/{ParkB}/dashboards/{bDash.Id}")).Status);
        Assert.Equal(404, (await api.GetAsync($"/api/parks/{ParkA}/dashboards/{aDash.Id}")).Status);
        Assert.Equal(404, (await api.PutAsync($"/api/parks/{ParkA}/dashboards/{aDash.Id}", new() { DataObject = new { cards = Array.Empty<object>() } })).Status);
        Assert.Equal(404, (await api.DeleteAsync($"/api/parks/{ParkA}/dashboards/{aDash.Id}")).Status);
        Assert.Equal(404, (await api.PostAsync($"/api/parks/{ParkB}/dashboards", new() { DataObject = new { template = "pue" } })).Status);
        Assert.Equal(404, (await api.GetAsync($"/api/parks/{ParkB}/energy/flow?from=2025-02-01&to=2025-02-01&by=total")).Status);
        Assert.Equal(7, (await fx.Store.Dashboards.GetDashboardAsync(admin, ParkA, aDash.Id)).Cards.Count);    // untouched

        // Its own through the API: created, a bad card refused naming it, listed.
        var created = await api.PostAsync($"/api/parks/{ParkA}/dashboards", new() { DataObject = new { name = "API" } });
        Assert.Equal(201, created.Status);
        using var json = JsonDocument.Parse(await created.TextAsync());
        var id = json.RootElement.GetProperty("id").GetInt64();
        var bad = await api.PutAsync($"/api/parks/{ParkA}/dashboards/{id}", new() { DataObject = new { cards = new object[] { new { type = "kpi", metric = "pue" }, new { type = "sankey", node = "b9" } } } });
        Assert.Equal(400, bad.Status);
        Assert.Contains("cards[2].node", await bad.TextAsync(), StringComparison.Ordinal);
        var list = await api.GetAsync($"/api/parks/{ParkA}/dashboards");
        Assert.Contains("\"API\"", await list.TextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("A admin", await list.TextAsync(), StringComparison.Ordinal);
    }
}
