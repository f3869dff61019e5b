using System.Net.Http.Headers;
using Microsoft.Playwright;
using ZeroPark.Application;
using ZeroPark.Tests.Web;
using static ZeroPark.Tests.Web.WebTestPark;

namespace ZeroPark.Tests.Collection;

/// <summary>The collection pages in Debian's Chromium, on a server and store of their own (SQLite): an energy manager adds an MQTT
/// subscription that the server's own hosted collection subscribes (a real Mosquitto) and sees it online after a reading; a Modbus
/// device with a map whose bad row is listed; field messages for bad input; a viewer without forms whose forged POSTs are refused;
/// gateway keys (shown once, working, revoked), a tariff version and an energy plan set in the UI.</summary>
[Collection(CollectionBrowserCollection.Name)]
public sealed class CollectionBrowserTests(BrowserFixture fx)
{
    private const string Pw = "collection-pages-password";

    private async Task<IPage> SignedInAsync(UserRole role)
    {
        var name = role.ToString().ToLowerInvariant() + "." + Guid.NewGuid().ToString("N")[..6];
        await fx.Store.Users.CreateUserAsync(name, Pw, role, [ParkA], "test");
        var page = await fx.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.GetByTestId("login-user").FillAsync(name);
        await page.GetByTestId("login-password").FillAsync(Pw);
        await page.GetByTestId("login-submit").ClickAsync();
        await page.WaitForURLAsync(u => !u.Contains("/account/login", StringComparison.Ordinal));
        return page;
    }

    private static Task ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDir, name + ".png"), FullPage = true });

    [Fact]
    public async Task An_energy_manager_adds_an_mqtt_subscription_that_the_server_collects_and_sees_it_online()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        if (!(await fx.Store.Registry.GetRegistryAsync(ParkA)).MetersByCode.ContainsKey("mqtt_temp"))
            await fx.Store.Registry.CreateMetersAsync(ParkA, [new MeterDraft("mqtt_temp", "送风温度", "ambient", "gauge", "°C")]);
        var page = await SignedInAsync(UserRole.EnergyManager);
        await page.GotoAsync($"/parks/{ParkA}/collection");
        await page.GetByTestId("nav-collection").WaitForAsync();

        // A broker that is not a URL: refused, the field named in Chinese.
        var form = page.GetByTestId("mqtt-form");
        await form.GetByTestId("f-broker").FillAsync("127.0.0.1:1883");
        await form.GetByTestId("f-topic").FillAsync("zp/{park}/{meter}");
        await form.GetByTestId("mqtt-add").ClickAsync();
        Assert.Contains("消息服务器", await page.GetByTestId("dm-error").InnerTextAsync());
        Assert.Equal(1, await page.GetByTestId("err-broker").CountAsync());

        form = page.GetByTestId("mqtt-form");
        await form.GetByTestId("f-broker").FillAsync(broker.Url);
        await form.GetByTestId("f-topic").FillAsync("zp/{park}/{meter}");
        await form.GetByTestId("f-name").FillAsync("ui-gw");
        await form.GetByTestId("mqtt-add").ClickAsync();
        Assert.Contains("ui-gw", await page.GetByTestId("dm-message").InnerTextAsync());
        var sub = (await fx.Store.Collection.ListMqttAsync(ParkA)).Single(s => s.Name == "ui-gw");
        var row = page.GetByTestId("health-" + sub.SourceKey);
        Assert.Equal("从未上报", await row.GetByTestId("state").InnerTextAsync());

        // The server's hosted collection picks the subscription up (configuration re-read every 10 s) and subscribes.
        var park = await fx.Store.Registry.GetParkAsync(ParkA);
        await Peers.WaitForAsync(async () => (await fx.Store.Collection.HealthRowsAsync(park.Id.Value, 10, default)).Any(r => r.Source == sub.SourceKey),
            TimeSpan.FromSeconds(90), "the server to subscribe");
        using (var pub = await broker.PublisherAsync())
            await MosquittoBroker.PublishAsync(pub, $"zp/{ParkA}/mqtt_temp", $$"""{"ts": "{{DateTimeOffset.UtcNow.AddMinutes(-1):yyyy-MM-dd'T'HH:mm:ss}}Z", "value": 18.5}""");
        await Peers.WaitForAsync(async () => (await fx.Store.Queries.LatestReadingsAsync(ParkA)).Any(l => l.Meter == "mqtt_temp"), TimeSpan.FromSeconds(60), "the MQTT reading");
        await page.GotoAsync($"/parks/{ParkA}/collection");
        row = page.GetByTestId("health-" + sub.SourceKey);
        Assert.Equal("在线", await row.GetByTestId("state").InnerTextAsync());
        Assert.Equal(18.5, (await fx.Store.Queries.LatestReadingsAsync(ParkA)).Single(l => l.Meter == "mqtt_temp").Value);

        // A Modbus device and its map: the row naming an unknown meter is listed, the good row kept.
        var device = page.GetByTestId("device-form");
        await device.GetByTestId("f-device").FillAsync("pdu-ui");
        await device.GetByTestId("f-host").FillAsync("127.0.0.1");
        await device.GetByTestId("f-port").FillAsync("15021");
        await device.GetByTestId("device-add").ClickAsync();
        Assert.Contains("pdu-ui", await page.GetByTestId("dm-message").InnerTextAsync());
        await page.GetByTestId("f-map").FillAsync("meter,table,address,type,scale\nmqtt_temp,input,10,float32,1\nnope,holding,0,uint16,1\nchiller,holding,x,int16,1\n");
        await page.GetByTestId("map-save").ClickAsync();
        Assert.Contains("1 个点位", await page.GetByTestId("dm-message").InnerTextAsync());
        var rejected = await page.GetByTestId("map-rejected").InnerTextAsync();
        Assert.Contains("第 4 行", rejected);
        Assert.Contains("nope", rejected);
        Assert.Equal("1", await page.GetByTestId("points-pdu-ui").InnerTextAsync());

        // A folder source with a relative path: refused on its field.
        var folder = page.GetByTestId("folder-form");
        await folder.GetByTestId("f-folder_name").FillAsync("exports");
        await folder.GetByTestId("f-location").FillAsync("relative/dir");
        await folder.GetByTestId("folder-add").ClickAsync();
        Assert.Equal(1, await page.GetByTestId("err-location").CountAsync());
        await ShotAsync(page, "collection-health");

        // Removing the subscription stops it being listed; audited as the manager.
        await page.GetByTestId($"remove-mqtt-{sub.Id}").ClickAsync();
        Assert.DoesNotContain(await fx.Store.Collection.ListMqttAsync(ParkA), s => s.Name == "ui-gw");
        Assert.Contains(await fx.Store.Audit.AuditLogAsync(ParkA), a => a.Entity == "mqtt_subscription" && a.Action == "delete" && a.EntityKey == "ui-gw");
    }

    [Fact]
    public async Task A_viewer_reads_collection_health_without_forms_and_a_forged_post_is_refused()
    {
        var page = await SignedInAsync(UserRole.Viewer);
        await page.GotoAsync($"/parks/{ParkA}/collection");
        Assert.Equal(1, await page.GetByTestId("read-only").CountAsync());
        Assert.Equal(1, await page.GetByTestId("health-table").CountAsync());
        Assert.Equal(0, await page.GetByTestId("mqtt-form").CountAsync());
        Assert.Equal(0, await page.GetByTestId("device-form").CountAsync());
        var token = await page.Locator("input[name=__RequestVerificationToken]").First.GetAttributeAsync("value");
        var data = page.Context.APIRequest.CreateFormData();
        data.Set("__RequestVerificationToken", token!);
        data.Set("broker", "mqtt://127.0.0.1:1883");
        data.Set("topic", "x/{meter}");
        var r = await page.Context.APIRequest.PostAsync($"/parks/{ParkA}/collection?handler=Mqtt", new APIRequestContextOptions { Form = data, MaxRedirects = 0 });
        Assert.Equal(403, r.Status);
        await page.GotoAsync($"/parks/{ParkA}/collection/settings");
        Assert.Equal(0, await page.GetByTestId("keys-table").CountAsync());   // who holds which key is registry business
        Assert.Equal(0, await page.GetByTestId("plan-form").CountAsync());
        Assert.Equal(1, await page.GetByTestId("plans-table").CountAsync());
    }

    [Fact]
    public async Task Gateway_keys_tariffs_and_plans_are_managed_in_the_ui()
    {
        var page = await SignedInAsync(UserRole.EnergyManager);
        await page.GotoAsync($"/parks/{ParkA}/collection");
        await page.GetByTestId("col-settings-link").ClickAsync();
        await page.GetByTestId("key-form").WaitForAsync();
        await page.GetByTestId("f-key_name").FillAsync("edge-gw-7");
        await page.GetByTestId("key-create").ClickAsync();
        var key = await page.GetByTestId("new-key-value").InnerTextAsync();
        Assert.StartsWith("zp_", key);
        // The key works on the ingest API (the same check as every gateway)…
        using var http = new HttpClient { BaseAddress = new Uri(fx.BaseUrl) };
        async Task<int> IngestAsync()
        {
            using var req = new HttpRequestMessage(HttpMethod.Post, $"/api/parks/{ParkA}/ingest") { Content = new StringContent("""{"points": []}""", System.Text.Encoding.UTF8, "application/json") };
            req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            return (int)(await http.SendAsync(req)).StatusCode;
        }
        Assert.Equal(200, await IngestAsync());
        // … and is shown once: after a reload only its name is listed.
        await page.GotoAsync($"/parks/{ParkA}/collection/settings");
        Assert.Equal(0, await page.GetByTestId("new-key").CountAsync());
        Assert.Contains("edge-gw-7", await page.GetByTestId("keys-table").InnerTextAsync());
        await page.GetByTestId("revoke-edge-gw-7").ClickAsync();
        Assert.Contains("已吊销", await page.GetByTestId("dm-message").InnerTextAsync());
        Assert.Equal(401, await IngestAsync());

        // A tariff version from the JSON of `zeropark energy tariff add`.
        await page.GetByTestId("f-valid_from").FillAsync("2026-01-01");
        await page.GetByTestId("f-tariff").FillAsync("""
            {"name": "UI 分时电价", "currency": "CNY", "prices": {"peak": 1.05, "flat": 0.65, "valley": 0.30},
             "schedule": [{"start": 0, "end": 8, "period": "valley"}, {"start": 8, "end": 18, "period": "peak"}, {"start": 18, "end": 24, "period": "flat"}]}
            """);
        await page.GetByTestId("tariff-add").ClickAsync();
        Assert.Contains("2026-01-01", await page.GetByTestId("dm-message").InnerTextAsync());
        Assert.Contains("UI 分时电价", await page.GetByTestId("tariffs-table").InnerTextAsync());
        Assert.Contains(await fx.Store.Tariffs.ListTariffVersionsAsync(ParkA), t => t.Name == "UI 分时电价" && t.ValidFrom == new DateOnly(2026, 1, 1));

        // A monthly plan: month 13 is refused on its field; 12 is set (45 MWh = 45,000 kWh).
        await page.GetByTestId("f-plan_year").FillAsync("2026");
        await page.GetByTestId("f-plan_month").FillAsync("13");
        await page.GetByTestId("f-plan_amount").FillAsync("45");
        await page.GetByTestId("f-plan_unit").FillAsync("MWh");
        await page.GetByTestId("plan-set").ClickAsync();
        Assert.Equal(1, await page.Locator("[data-testid=dm-error]").CountAsync());
        await page.GetByTestId("f-plan_year").FillAsync("2026");
        await page.GetByTestId("f-plan_month").FillAsync("12");
        await page.GetByTestId("f-plan_amount").FillAsync("45");
        await page.GetByTestId("f-plan_unit").FillAsync("MWh");
        await page.GetByTestId("plan-set").ClickAsync();
        Assert.Contains("2026-12", await page.GetByTestId("dm-message").InnerTextAsync());
        var plan = (await fx.Store.Plans.ListEnergyPlansAsync(ParkA, 2026)).Single(p => p.Month == 12);
        Assert.Equal(45_000, plan.Amount, 6);
        await ShotAsync(page, "collection-settings");
    }
    [Fact]
    public async Task A_gauge_is_shown_as_mean_min_max_and_a_day_by_hour_heat_map()
    {
        if (!(await fx.Store.Registry.GetRegistryAsync(ParkA)).MetersByCode.ContainsKey("cm_temp"))
        {
            await fx.Store.Registry.CreateMetersAsync(ParkA, [new MeterDraft("cm_temp", "回风温度", "ambient", "gauge", "°C")]);
            var at = (int h, int m) => new DateTimeOffset(2025, 3, 3, h, m, 0, TimeSpan.FromHours(8));
            await fx.Store.Readings.IngestAsync(ParkA, [new("cm_temp", at(0, 15), 10, 1), new("cm_temp", at(0, 30), 14, 2), new("cm_temp", at(1, 15), 20, 3)],
                new IngestSource("test", "setup"));
        }
        var page = await SignedInAsync(UserRole.Viewer);
        await page.GotoAsync($"/parks/{ParkA}/collection");
        await page.GetByTestId("col-measurements-link").ClickAsync();
        await page.GetByTestId("measure-form").WaitForAsync();
        await page.GotoAsync($"/parks/{ParkA}/collection/measurements?meter=cm_temp&from=2025-03-03&to=2025-03-03&by=day");
        // The day: mean (10 + 14 + 20) / 3 = 14.67 °C, min 10, max 20, 3 readings — an average, never the sum 44.
        var cells = await page.GetByTestId("stats-table").Locator("tbody tr").First.Locator("td").AllInnerTextsAsync();
        Assert.Equal(["3", "14.67", "10", "20"], cells.Skip(1));
        // Heat map: hour 00 = (10 + 14) / 2 = 12, hour 01 = 20.
        var hours = await page.GetByTestId("heatmap").Locator("tbody tr").First.Locator("td").AllInnerTextsAsync();
        Assert.Equal(("12", "20", "—"), (hours[0], hours[1], hours[2]));
        await ShotAsync(page, "collection-measurements");
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CollectionBrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser-collection";
}
