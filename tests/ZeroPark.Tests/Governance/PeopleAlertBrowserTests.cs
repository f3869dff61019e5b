using System.Globalization;
using ZeroPark.Application.Alerts;
using ZeroPark.Application.Governance;
using ZeroPark.Tests.Alerts;
using ZeroPark.Tests.Web;
using static ZeroPark.Tests.Web.BrowserSteps;
using static ZeroPark.Tests.Web.WebTestPark;

namespace ZeroPark.Tests.Governance;

/// <summary>The org chart in Debian's Chromium shows each person's open alerts of the KPIs they are accountable for, and the person's
/// page lists them; the alerts page names the accountable person. WebTestPark's meters last reported in February 2025, so "now"
/// finds them offline: offline alerts concern data_quality. Runs on the alert pages' own server (alerts written here stay there).</summary>
[Collection(AlertBrowserCollection.Name)]
public sealed class PeopleAlertBrowserTests(BrowserFixture fx)
{
    [Fact]
    public async Task The_org_page_shows_a_persons_alert_count_and_the_person_page_lists_them()
    {
        var code = "dq-" + Guid.NewGuid().ToString("N")[..6];
        await fx.Store.Governance.SetPersonAsync(ParkA, new Person(code, "周琳", null, "数据质量负责人", "", ["data_quality"], false, "zhoulin@park.example"), "test");
        var page = await fx.NewPageAsync();
        await SignInAsync(page, Admin);
        await page.GotoAsync($"/parks/{ParkA}/alerts");
        await page.GetByTestId("alerts-evaluate").ClickAsync();
        await page.GetByTestId("alerts-message").WaitForAsync();
        // Every offline meter's alert names the person (data_quality is theirs).
        var offline = page.Locator("[data-testid=alerts-table] tbody tr[data-rule=meter-offline][data-status=open]");
        await offline.First.WaitForAsync();
        Assert.Contains("周琳", await offline.First.Locator("[data-col=accountable]").InnerTextAsync(), StringComparison.Ordinal);

        // The store's open alerts of the KPI data_quality: what the org chart must count for this person.
        var expected = (await fx.Store.Alerts.AlertsAsync(ParkA, new AlertFilter("open", Limit: 5000))).Count(a => a.Kpis.Contains("data_quality"));
        Assert.True(expected >= await offline.CountAsync());
        await page.GotoAsync($"/parks/{ParkA}/governance");
        var cell = page.GetByTestId("gv-alerts-" + code);
        await cell.WaitForAsync();
        Assert.Equal(expected.ToString(CultureInfo.InvariantCulture), await cell.GetAttributeAsync("data-open"));
        Assert.Contains($"{expected} 条未处理", await cell.InnerTextAsync(), StringComparison.Ordinal);
        await ShotAsync(page, "19-governance-alert-counts-zh");

        await page.GetByTestId("gv-person-" + code).ClickAsync();
        await page.GetByTestId("gvp-alerts").WaitForAsync();
        Assert.Equal("周琳", (await page.GetByTestId("gvp-name").InnerTextAsync()).Trim());
        Assert.Equal(expected.ToString(CultureInfo.InvariantCulture), await page.GetByTestId("gvp-counts").GetAttributeAsync("data-open"));
        Assert.Equal(expected, await page.Locator("[data-testid=gvp-alerts] tbody tr[data-status=open]").CountAsync());
        Assert.Equal("zhoulin@park.example", await page.GetByTestId("gvp-email").InnerTextAsync());
        await ShotAsync(page, "19-governance-person-alerts-zh");
    }
}
