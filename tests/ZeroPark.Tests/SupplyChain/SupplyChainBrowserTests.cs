using System.Text;
using Microsoft.Playwright;
using ZeroPark.Application.Governance;
using ZeroPark.Tests.Web;
using static ZeroPark.Tests.Web.BrowserSteps;
using static ZeroPark.Tests.Web.WebTestPark;

namespace ZeroPark.Tests.SupplyChain;

/// <summary>The supply chain and governance pages in Debian's Chromium: the personal carbon account at a phone's width
/// (390 × 844) through its link, with points and the one-report-of-a-kind-a-day limit; the supplier questionnaire link; the
/// footprint import on the supply chain page.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SupplyChainBrowserTests(BrowserFixture fx)
{
    private async Task<IPage> PhoneAsync()
    {
        var context = await fx.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fx.BaseUrl, ViewportSize = new ViewportSize { Width = 390, Height = 844 }, Locale = "zh-CN", IsMobile = true, HasTouch = true, DeviceScaleFactor = 2,
        });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    private static Task<bool> FitsAsync(IPage page) => page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1");

    [Fact]
    public async Task The_personal_carbon_account_works_on_a_phone_and_allows_one_report_of_a_kind_a_day()
    {
        var person = "ph-" + Guid.NewGuid().ToString("N")[..6];
        await fx.Store.Governance.SetPersonAsync(ParkA, new Person(person, "赵敏", null, "运维", "", [], false), "test");
        var token = await fx.Store.Governance.IssueTokenAsync(ParkA, person, "test");

        var page = await PhoneAsync();
        await page.GotoAsync("/carbon-account/" + token);
        await page.GetByTestId("ca-form").WaitForAsync();
        Assert.Equal("赵敏", await page.GetByTestId("ca-who").InnerTextAsync());
        Assert.True(await FitsAsync(page), "the page is wider than the phone");
        Assert.Equal("0", await page.GetByTestId("ca-points").InnerTextAsync());

        // Metro 12 km: 12 × 0.125628 = 1.507536 kgCO2e → 15 points.
        await page.GetByTestId("ca-kind").SelectOptionAsync("transit_commute");
        await page.GetByTestId("ca-quantity").FillAsync("12");
        await page.GetByTestId("ca-submit").ClickAsync();
        await page.GetByTestId("ca-reported").WaitForAsync();
        Assert.Equal("15", await page.GetByTestId("ca-points").InnerTextAsync());
        Assert.Contains("1.508", await page.GetByTestId("ca-reported").InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await FitsAsync(page), "the page is wider than the phone after a report");
        await ShotAsync(page, "60-personal-carbon-account-phone-zh");

        // The same kind again on the same day is refused; the points stay.
        await page.GetByTestId("ca-kind").SelectOptionAsync("transit_commute");
        await page.GetByTestId("ca-quantity").FillAsync("5");
        await page.GetByTestId("ca-submit").ClickAsync();
        await page.GetByTestId("ca-error").WaitForAsync();
        Assert.Contains("每类行为每天限报一次", await page.GetByTestId("ca-error").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("15", await page.GetByTestId("ca-points").InnerTextAsync());

        // Cycling 8 km: 8 × 0.179288 = 1.434304 kg → 14 points; 29 in all.
        await page.GetByTestId("ca-kind").SelectOptionAsync("cycling");
        await page.GetByTestId("ca-quantity").FillAsync("8");
        await page.GetByTestId("ca-submit").ClickAsync();
        await page.GetByTestId("ca-reported").WaitForAsync();
        Assert.Equal("29", await page.GetByTestId("ca-points").InnerTextAsync());

        // A wrong link shows no account.
        await page.GotoAsync("/carbon-account/" + token + "x");
        await page.GetByTestId("ca-invalid").WaitForAsync();
    }

    [Fact]
    public async Task A_supplier_answers_its_own_questionnaire_by_link_and_is_graded()
    {
        var name = "供应商-" + Guid.NewGuid().ToString("N")[..6];
        await fx.Store.SupplyChain.AddSupplierAsync(ParkA, name, "", "test");
        var token = await fx.Store.SupplyChain.IssueTokenAsync(ParkA, name, "test");
        var page = await PhoneAsync();
        await page.GotoAsync("/supplier-form/" + token);
        Assert.Equal(name, await page.GetByTestId("sf-supplier").InnerTextAsync());
        // 15 + 10 + 12 + 10 + 0 + 5 + 12 = 64 → 合格 (hand-worked in FootprintTests).
        foreach (var (code, value) in new[] { ("env_compliance", "1"), ("clean_production", "2"), ("waste_recycling", "80"), ("ems_iso14001", "1"), ("sbti", "1"), ("scope12_intensity", "0.28") })
            await page.GetByTestId("sf-" + code).FillAsync(value);
        Assert.Equal(0, await page.GetByTestId("sf-verified_footprints").CountAsync());
        await page.GetByTestId("sf-submit").ClickAsync();
        await page.GetByTestId("sf-saved").WaitForAsync();
        Assert.Contains("合格", await page.GetByTestId("sf-grade").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("64", await page.GetByTestId("sf-grade").InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await FitsAsync(page));
    }

    [Fact]
    public async Task An_accountant_imports_footprints_on_the_supply_chain_page()
    {
        var page = await fx.NewPageAsync();
        await SignInAsync(page, Accountant);
        await page.GotoAsync($"/parks/{ParkA}/supply-chain");
        var product = "chiller_" + Guid.NewGuid().ToString("N")[..6];
        var csv = $"product,supplier,functional_unit,kgco2e_per_unit,stages,verified\n{product},约克,台,52000,raw_materials;production,true\nbad,,t,1,,true\n";
        await page.GetByTestId("sc-import-file").SetInputFilesAsync(new FilePayload { Name = "fp.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await page.GetByTestId("sc-import-submit").ClickAsync();
        await page.GetByTestId("sc-imported").WaitForAsync();
        var text = await page.GetByTestId("sc-imported").InnerTextAsync();
        Assert.Contains("新增 1", text, StringComparison.Ordinal);
        Assert.Contains("拒绝 1", text, StringComparison.Ordinal);
        Assert.Contains("供应商：为空", text, StringComparison.Ordinal);
        var row = page.GetByTestId("sc-footprints").Locator("tr", new() { HasText = product });
        Assert.Contains("52,000 kgCO2e/item", await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("第三方核查", await row.InnerTextAsync(), StringComparison.Ordinal);
        await ShotAsync(page, "61-supply-chain-zh");
    }
}
