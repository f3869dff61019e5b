using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using ZeroPark.Application;
using ZeroPark.Application.EnergyManagement;
using static ZeroPark.Tests.Web.BrowserSteps;
using static ZeroPark.Tests.Web.WebTestPark;

namespace ZeroPark.Tests.Web;

/// <summary>The web UI in Debian's Chromium: sign-in, lockout, the overview against the service and the API, the language switch,
/// park-level access. Screenshots of the main pages go to artifacts/screenshots/.</summary>
[Collection(BrowserCollection.Name)]
public sealed class BrowserTests(BrowserFixture fx)
{
    private static readonly CultureInfo Zh = CultureInfo.GetCultureInfo("zh-CN");

    private static double Value(string? raw) => double.Parse(raw!, CultureInfo.InvariantCulture);

    [Fact]
    public async Task Sign_in_shows_the_parks_and_sign_out_ends_the_session()
    {
        var page = await fx.NewPageAsync();
        await page.GotoAsync("/parks/" + ParkA);
        Assert.Contains("/account/login", page.Url, StringComparison.Ordinal);      // not signed in: to the sign-in page
        await ShotAsync(page, "01-login-zh");
        Assert.Equal("zh-CN", await page.Locator("html").GetAttributeAsync("lang"));
        await page.GetByTestId("login-user").FillAsync(Admin);
        await page.GetByTestId("login-password").FillAsync(Password);
        await page.GetByTestId("login-submit").ClickAsync();
        await page.WaitForURLAsync("**/parks/" + ParkA);                           // back to the page asked for
        Assert.Equal("上海一号数据中心园区", await page.GetByTestId("park-name").InnerTextAsync());

        var cookies = await page.Context.CookiesAsync();
        var session = Assert.Single(cookies, c => c.Name == "zp_session");
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Lax, session.SameSite);

        await page.GotoAsync("/");
        // Other browser suites share this server and add parks of their own: the two parks of the web test park, in this order.
        string[] ours = ["北京二号数据中心园区", "上海一号数据中心园区"];
        Assert.Equal(ours, (await page.Locator("a.park-card .park-name").AllInnerTextsAsync()).Where(ours.Contains));
        await ShotAsync(page, "02-parks-zh");
        await page.GetByTestId("sign-out").ClickAsync();
        await page.WaitForURLAsync("**/account/login");
        await page.GotoAsync("/");
        Assert.Contains("/account/login", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_with_a_message()
    {
        var page = await fx.NewPageAsync();
        await SignInAsync(page, ViewerA, "not the password");
        Assert.Contains("/account/login", page.Url, StringComparison.Ordinal);
        Assert.Equal("用户名或密码错误。", await page.GetByTestId("login-error").InnerTextAsync());
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "zp_session");
        await SignInAsync(page, "nobody.here", "not the password");                 // an unknown user gets the same answer
        Assert.Equal("用户名或密码错误。", await page.GetByTestId("login-error").InnerTextAsync());
    }

    [Fact]
    public async Task Five_failed_sign_ins_lock_the_account_even_for_the_right_password()
    {
        var page = await fx.NewPageAsync();
        for (var i = 1; i <= 4; i++)
        {
            await SignInAsync(page, LockMe, "wrong password " + i);
            Assert.Equal("用户名或密码错误。", await page.GetByTestId("login-error").InnerTextAsync());
        }
        await SignInAsync(page, LockMe, "wrong password 5");
        var locked = await page.GetByTestId("login-error").InnerTextAsync();
        Assert.Contains("账户已锁定", locked, StringComparison.Ordinal);
        Assert.Contains("15 分钟", locked, StringComparison.Ordinal);
        await ShotAsync(page, "03-login-locked-zh");
        await SignInAsync(page, LockMe, Password);
        Assert.Contains("账户已锁定", await page.GetByTestId("login-error").InnerTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "zp_session");
        Assert.Contains(await fx.Store.Audit.AuditLogAsync(null), a => a.Action == "lock" && a.EntityKey == LockMe);
    }

    [Fact]
    public async Task The_overview_shows_the_numbers_of_the_energy_service_and_of_the_api()
    {
        var page = await fx.NewPageAsync();
        await SignInAsync(page, ViewerA);
        await page.GotoAsync("/parks/" + ParkA);
        await page.WaitForSelectorAsync("html[data-charts=ready]");
        await page.WaitForSelectorAsync("#trend-chart svg");
        await ShotAsync(page, "04-overview-zh");

        Assert.Equal("2025-02-01", await page.GetByTestId("as-of").GetAttributeAsync("data-value"));
        var day = new DateOnly(2025, 2, 1);
        var service = new EnergyService(fx.Store);
        foreach (var (key, from) in new[] { ("day", day), ("month", new DateOnly(2025, 2, 1)), ("year", new DateOnly(2025, 1, 1)) })
        {
            // The service, as the API shapes it …
            var expected = KpiRowView.From((await service.KpiAsync(ParkA, null, from, day, EnergyBucketing.Total)).Single());
            // … and the REST API itself, with the browser's session.
            var api = await page.Context.APIRequest.GetAsync($"/api/parks/{ParkA}/energy/kpi?from={from:yyyy-MM-dd}&to={day:yyyy-MM-dd}&by=total");
            Assert.Equal(200, api.Status);
            using var doc = JsonDocument.Parse(await api.TextAsync());
            var row = doc.RootElement[0];
            var apiKwh = row.GetProperty("inputs").GetProperty("total_kwh").GetDouble();
            var apiPue = row.GetProperty("pue").GetDouble();
            Assert.Equal(expected.Inputs.TotalKwh, apiKwh);
            Assert.Equal(expected.Pue, apiPue);

            var energy = page.GetByTestId("energy-" + key);
            Assert.Equal(apiKwh, Value(await energy.GetAttributeAsync("data-value")));
            Assert.Equal(apiKwh.ToString(apiKwh >= 1000 ? "N0" : "N1", Zh) + " kWh", await energy.InnerTextAsync());
            var pue = page.GetByTestId("pue-" + key);
            Assert.Equal(apiPue, Value(await pue.GetAttributeAsync("data-value")));
            Assert.Equal(apiPue.ToString("N3", Zh), await pue.InnerTextAsync());
            Assert.Equal(expected.Completeness, Value(await page.GetByTestId("completeness-" + key).GetAttributeAsync("data-value")));
        }
        // By hand (EnergyTestPark): Feb 1 = 24 h × 145 kWh, PUE 145 / 100; the year to date adds Jan 31's 24 h × 135 kWh.
        Assert.Equal("3,480 kWh", await page.GetByTestId("energy-day").InnerTextAsync());
        Assert.Equal("6,720 kWh", await page.GetByTestId("energy-year").InnerTextAsync());
        Assert.Equal("1.450", await page.GetByTestId("pue-day").InnerTextAsync());

        var split = BreakdownRowView.From((await service.BreakdownAsync(ParkA, null, day, day, EnergyBucketing.Total)).Single());
        Assert.Equal(split.ItKwh, Value(await page.GetByTestId("split-it").GetAttributeAsync("data-value")));
        Assert.Equal(split.CoolingKwh, Value(await page.GetByTestId("split-cooling").GetAttributeAsync("data-value")));
        Assert.Equal(split.TotalKwh, Value(await page.GetByTestId("split-total").GetAttributeAsync("data-value")));
        Assert.Equal("2,400 kWh", await page.GetByTestId("split-it").InnerTextAsync());  // 24 h × 100 kWh
        // Carbon by scope, year to date: the API's inventory of 2025-01-01 … 2025-02-01.
        var carbon = await page.Context.APIRequest.GetAsync($"/api/parks/{ParkA}/carbon/inventory?from=2025-01-01&to=2025-02-01");
        using var carbonDoc = JsonDocument.Parse(await carbon.TextAsync());
        foreach (var (id, field) in new[] { ("scope1", "scope1_t"), ("scope2-location", "scope2_location_t"), ("scope2-market", "scope2_market_t"), ("total-location", "total_location_t") })
            Assert.Equal(carbonDoc.RootElement.GetProperty(field).GetDouble(), Value(await page.GetByTestId("carbon-" + id).GetAttributeAsync("data-value")));
        Assert.Equal("3.564 tCO2e", await page.GetByTestId("carbon-scope2-location").InnerTextAsync());   // 6,480 kWh × 0.55 kgCO2/kWh (华东 2023)
        // The trend chart: 30 days ending on the reporting day, the daily energies of the service.
        using var chart = JsonDocument.Parse(await page.Locator("#overview-data").TextContentAsync() ?? "");
        var kwh = chart.RootElement.GetProperty("trend").GetProperty("kwh").EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? (double?)null : v.GetDouble()).ToList();
        var daily = (await service.KpiAsync(ParkA, null, day.AddDays(-29), day, EnergyBucketing.Day)).Select(KpiRowView.From).Select(r => r.Inputs.TotalKwh).ToList();
        Assert.Equal(30, kwh.Count);
        Assert.Equal(daily, kwh);
        Assert.Equal([3240.0, 3480.0], kwh.TakeLast(2).Select(v => v!.Value));
        Assert.Equal(1, await page.Locator("#trend-chart svg").CountAsync());
    }

    [Fact]
    public async Task The_energy_page_shows_the_apis_kpi_rows_and_renders_the_energy_flow_sankey()
    {
        var page = await fx.NewPageAsync();
        await SignInAsync(page, ViewerA);
        await page.GotoAsync($"/parks/{ParkA}");
        await page.GetByTestId("nav-energy").ClickAsync();
        await page.WaitForURLAsync($"**/parks/{ParkA}/energy");
        await page.GotoAsync($"/parks/{ParkA}/energy?from=2025-01-31&to=2025-02-01&by=day");
        await page.WaitForSelectorAsync("html[data-charts=ready]");
        await page.WaitForSelectorAsync("#flow-chart svg path");
        await ShotAsync(page, "08-energy-zh");

        var api = await page.Context.APIRequest.GetAsync($"/api/parks/{ParkA}/energy/kpi?from=2025-01-31&to=2025-02-01&by=day");
        using var kpi = JsonDocument.Parse(await api.TextAsync());
        var rows = page.GetByTestId("kpi-table").Locator("tbody tr");
        Assert.Equal(2, await rows.CountAsync());
        for (var i = 0; i < 2; i++)
        {
            var row = kpi.RootElement[i];
            Assert.Equal(row.GetProperty("pue").GetDouble(), Value(await rows.Nth(i).Locator("[data-col=pue]").GetAttributeAsync("data-value")));
            Assert.Equal(row.GetProperty("inputs").GetProperty("total_kwh").GetDouble(), Value(await rows.Nth(i).Locator("[data-col=total]").GetAttributeAsync("data-value")));
        }
        Assert.Equal(["1.350", "1.450"], await rows.Locator("[data-col=pue]").AllInnerTextsAsync());   // 135/100 and 145/100

        // The Sankey: every node of the API's flow is drawn with its Chinese name.
        var flowApi = await page.Context.APIRequest.GetAsync($"/api/parks/{ParkA}/energy/flow?from=2025-01-31&to=2025-02-01&by=total");
        using var flow = JsonDocument.Parse(await flowApi.TextAsync());
        var svgText = await page.Locator("#flow-chart svg").TextContentAsync() ?? "";
        foreach (var node in flow.RootElement[0].GetProperty("nodes").EnumerateArray().Where(n => n.GetProperty("kwh").GetDouble() > 0))
            Assert.Contains(node.GetProperty("name_zh").GetString()!, svgText, StringComparison.Ordinal);
        Assert.True(await page.Locator("#flow-chart svg path").CountAsync() >= flow.RootElement[0].GetProperty("links").GetArrayLength());

        // Data management: the quality of every physical meter, and one meter's detail.
        await page.GetByTestId("nav-data").ClickAsync();
        await page.WaitForURLAsync($"**/parks/{ParkA}/data");
        Assert.Equal(12, await page.GetByTestId("quality-table").Locator("tbody tr").CountAsync());
        await page.GetByTestId("quality-table").Locator("a", new LocatorLocatorOptions { HasText = "chiller" }).ClickAsync();
        await page.GetByTestId("meter-detail").WaitForAsync();
        await ShotAsync(page, "09-data-zh");
    }

    [Fact]
    public async Task The_language_switch_turns_the_ui_to_english_and_back()
    {
        var page = await fx.NewPageAsync();
        await SignInAsync(page, Admin);
        await page.GotoAsync("/parks/" + ParkA);
        Assert.Contains("当日用电", await page.Locator(".tiles").InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByTestId("lang-switch").ClickAsync();
        await page.WaitForSelectorAsync("html[lang=en]");
        Assert.EndsWith("/parks/" + ParkA, page.Url, StringComparison.Ordinal);
        var tiles = await page.Locator(".tiles").InnerTextAsync();
        Assert.Contains("Energy, day", tiles, StringComparison.Ordinal);
        Assert.Contains("1 Feb 2025", tiles, StringComparison.Ordinal);
        Assert.Equal("3,480 kWh", await page.GetByTestId("energy-day").InnerTextAsync());
        await page.WaitForSelectorAsync("html[data-charts=ready]");
        await ShotAsync(page, "05-overview-en");
        await page.GetByTestId("lang-switch").ClickAsync();
        await page.WaitForSelectorAsync("html[lang=zh-CN]");
        Assert.Contains("当日用电", await page.Locator(".tiles").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_viewer_of_park_a_cannot_open_park_b_nor_the_admin_pages()
    {
        var page = await fx.NewPageAsync();
        await SignInAsync(page, ViewerA);
        Assert.Equal(200, (await page.GotoAsync("/parks/" + ParkA))!.Status);
        var menu = await page.GetByTestId("park-menu").InnerTextAsync();
        Assert.DoesNotContain("北京", menu, StringComparison.Ordinal);
        Assert.Equal(404, (await page.GotoAsync("/parks/" + ParkB))!.Status);
        Assert.Contains("页面不存在", await page.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);
        // … nor park B's API with the same session.
        Assert.Equal(404, (await page.Context.APIRequest.GetAsync($"/api/parks/{ParkB}/energy/kpi?from=2025-02-01&to=2025-02-01&by=total")).Status);
        Assert.Equal(200, (await page.Context.APIRequest.GetAsync($"/api/parks/{ParkA}/energy/kpi?from=2025-02-01&to=2025-02-01&by=total")).Status);
        await page.GotoAsync("/");
        Assert.Equal(0, await page.GetByTestId("park-" + ParkB).CountAsync());
        Assert.Equal(0, await page.GetByTestId("nav-users").CountAsync());
        Assert.Equal(0, await page.GetByTestId("nav-audit").CountAsync());          // a viewer does not read the audit log
        Assert.Equal(403, (await page.GotoAsync("/users"))!.Status);
        Assert.Equal(403, (await page.GotoAsync("/audit"))!.Status);
    }

    [Fact]
    public async Task The_audit_page_shows_who_changed_what_and_an_auditor_sees_only_granted_parks()
    {
        var page = await fx.NewPageAsync();
        await SignInAsync(page, Admin);
        await page.GotoAsync("/audit");
        var table = await page.GetByTestId("audit-table").InnerTextAsync();
        Assert.Contains("operator.wang", table, StringComparison.Ordinal);         // the manual correction …
        Assert.Contains("re-read on site", table, StringComparison.Ordinal);       // … with its reason
        Assert.Contains(ViewerA, table, StringComparison.Ordinal);                 // user changes (no park) for the administrator
        await ShotAsync(page, "06-audit-zh");

        var auditor = await fx.NewPageAsync();
        await SignInAsync(auditor, Auditor);
        await auditor.GotoAsync("/audit");
        var rows = auditor.GetByTestId("audit-table").Locator("tbody tr");
        Assert.True(await rows.CountAsync() > 0);
        var parks = await rows.Locator("td:nth-child(2)").AllInnerTextsAsync();
        var entities = await rows.Locator("td:nth-child(5)").AllInnerTextsAsync();
        // Park A's entries, and the changes of the factor library (no park) which every role reads.
        for (var i = 0; i < parks.Count; i++) Assert.True(parks[i] == ParkA || (parks[i] == "—" && entities[i] == "排放因子"), $"{parks[i]} {entities[i]}");
        Assert.Equal(404, (await auditor.GotoAsync("/audit?park=" + ParkB))!.Status);
        Assert.Equal(403, (await auditor.GotoAsync("/users"))!.Status);
    }

    [Fact]
    public async Task An_administrator_adds_a_user_who_must_choose_a_new_password_and_then_sees_only_the_granted_park()
    {
        var page = await fx.NewPageAsync();
        await SignInAsync(page, Admin);
        await page.GotoAsync("/users");
        await page.GetByTestId("new-user-name").FillAsync("zhao.min");
        await page.GetByTestId("new-user-role").SelectOptionAsync("energy_manager");
        await page.GetByTestId("new-user-park-" + ParkB).CheckAsync();
        await page.GetByTestId("new-user-password").FillAsync("initial password 1");
        await page.GetByTestId("new-user-submit").ClickAsync();
        Assert.Contains("zhao.min", await page.GetByTestId("users-message").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("能源管理员", await page.GetByTestId("user-zhao.min").InnerTextAsync(), StringComparison.Ordinal);
        await ShotAsync(page, "07-users-zh");
        Assert.Contains(await fx.Store.Audit.AuditLogAsync(null), a => a.Action == "create" && a.EntityKey == "zhao.min" && a.User == Admin);

        var user = await fx.NewPageAsync();
        await SignInAsync(user, "zhao.min", "initial password 1");
        await user.WaitForURLAsync("**/account/password");
        Assert.Equal(1, await user.GetByTestId("must-change").CountAsync());
        await user.GotoAsync("/parks/" + ParkB);
        Assert.EndsWith("/account/password?returnUrl=%2Fparks%2F" + ParkB, user.Url, StringComparison.Ordinal);   // every page leads here until changed, remembering where the user was going
        await user.GetByTestId("pw-current").FillAsync("initial password 1");
        await user.GetByTestId("pw-new").FillAsync("my own password 22");
        await user.GetByTestId("pw-repeat").FillAsync("my own password 22");
        await user.GetByTestId("pw-submit").ClickAsync();
        // Taken on to the page asked for (/parks/bj02, the return URL), with the confirmation there.
        await user.WaitForURLAsync("**/parks/" + ParkB);
        Assert.Equal(1, await user.GetByTestId("password-done").CountAsync());
        Assert.Equal(200, (await user.GotoAsync("/parks/" + ParkB))!.Status);
        Assert.Equal(404, (await user.GotoAsync("/parks/" + ParkA))!.Status);
    }
}
