using System.Text;
using Microsoft.Playwright;
using ZeroPark.Tests.Evaluations;
using static ZeroPark.Tests.Web.BrowserSteps;
using static ZeroPark.Tests.Web.WebTestPark;

namespace ZeroPark.Tests.Web;

/// <summary>The evaluation pages in Debian's Chromium over a copy of <see cref="EvalTestPark"/> (PUE 1.3, WUE 1.2, IT load 0.6 in
/// 2025; cold, in operation since 2020): the T/CA305 tiles, the score chart, the evaluator's form saved and shown in the history,
/// the T/BFIA 043 choices and the self-evaluation report. Screenshots go to artifacts/screenshots/.</summary>
[Collection(BrowserCollection.Name)]
public sealed class EvaluationBrowserTests(BrowserFixture fx)
{
    private static readonly string[] Declared = ["boundary", "operating", "scope", "construction_compliance", "environment_compliance", "carbon_system",
        "zero_carbon_plan", "continuity", "pue_local"];

    [Fact]
    public async Task An_evaluator_declares_scores_and_saves_and_the_page_shows_grade_chart_history_and_report()
    {
        var park = "evw" + Guid.NewGuid().ToString("N")[..6];
        await EvalTestPark.CreateAsync(fx.Store, park);
        foreach (var code in Declared.Append("offset_ratio"))
            await fx.Store.Evaluations.AddEvidenceAsync(park, "tca305", 2025, code, code + ".pdf", "application/pdf", Encoding.UTF8.GetBytes(code), "setup");

        var page = await fx.NewPageAsync();
        await SignInAsync(page, Admin);
        await page.GotoAsync($"/parks/{park}");
        await page.GetByTestId("nav-evaluations").ClickAsync();
        await page.WaitForURLAsync($"**/parks/{park}/evaluations");
        await page.GotoAsync($"/parks/{park}/evaluations?standard=tca305&year=2025");
        await page.Locator("#eval-chart[data-drawn=true] svg").WaitForAsync(new() { Timeout = 60_000 });
        // PUE 78/60 = 1.3 under the cold, existing limit 1.35; nothing declared yet → 不合格.
        Assert.Equal("1.3", await page.GetByTestId("eval-pue").InnerTextAsync());
        Assert.Equal("不合格", await page.GetByTestId("eval-grade").InnerTextAsync());
        Assert.Equal("true", await page.Locator("[data-testid=eval-constraints] tr[data-name=pue]").GetAttributeAsync("data-passed"));
        Assert.Equal("17", await page.Locator("[data-testid=eval-items] tr[data-code=pue_score]").GetAttributeAsync("data-score"));

        // Declare the requirements (evidence is attached), the offset ratio 50 % and two items; save.
        foreach (var code in Declared) await page.Locator($"select[name='d.{code}']").SelectOptionAsync("yes");
        await page.Locator("input[name=declared_offset_ratio]").FillAsync("50");
        await page.Locator("input[name='s.third_party']").FillAsync("3");
        await page.Locator("input[name='c.refrigerant'][value=a]").CheckAsync();
        await page.GetByTestId("eval-evaluator").FillAsync("张三");
        await page.GetByTestId("eval-save").ClickAsync();
        await page.GetByTestId("eval-message").WaitForAsync(new() { Timeout = 60_000 });
        // 20 (S_DC 0.5 × 40) + 17 + 2 + 5 + 3 + 3 = 50 → 不达标(无等级).
        Assert.Equal("50", await page.GetByTestId("eval-total").InnerTextAsync());
        Assert.Equal("不达标(无等级)", await page.GetByTestId("eval-grade").InnerTextAsync());
        Assert.Equal("true", await page.Locator("[data-testid=eval-constraints] tr[data-name=boundary]").GetAttributeAsync("data-passed"));
        Assert.Contains("2025", await page.GetByTestId("eval-history").InnerTextAsync(), StringComparison.Ordinal);
        // 10 short of 达标级: S_DC ≥ 30/40 = 75 %.
        Assert.Contains("75 %", await page.GetByTestId("eval-whatif").InnerTextAsync(), StringComparison.Ordinal);
        await page.Locator("#eval-chart[data-drawn=true] svg").WaitForAsync(new() { Timeout = 60_000 });
        await ShotAsync(page, "40-evaluation-tca305-zh");

        await page.GetByTestId("eval-report-link").ClickAsync();
        await page.GetByTestId("report-sections").WaitForAsync(new() { Timeout = 60_000 });
        Assert.Equal(8, await page.Locator("[data-testid=report-sections] section").CountAsync());   // a) … h)
        Assert.Equal("50", await page.GetByTestId("report-total").InnerTextAsync());
        Assert.Contains("张三", await page.Locator("body").InnerTextAsync(), StringComparison.Ordinal);
        await ShotAsync(page, "41-evaluation-report-zh");

        await page.GotoAsync($"/parks/{park}/evaluations?standard=bfia043&year=2025");
        await page.Locator("#eval-chart[data-drawn=true] svg").WaitForAsync(new() { Timeout = 60_000 });
        // R 1.3 → 22, registry metering check → 1: 23.
        Assert.Equal("23", await page.GetByTestId("eval-total").InnerTextAsync());
        Assert.Contains("表A.1", await page.GetByTestId("eval-choices").InnerTextAsync(), StringComparison.Ordinal);
        await ShotAsync(page, "42-evaluation-bfia043-zh");
        await page.GotoAsync($"/parks/{park}/evaluations?standard=gcp&year=2025");
        await page.GetByTestId("eval-eu").WaitForAsync(new() { Timeout = 60_000 });
        Assert.Equal("2", await page.GetByTestId("eval-grade").InnerTextAsync());
        await ShotAsync(page, "43-evaluation-gcp-zh");

        // In English: the report's sections and the grade.
        await page.GotoAsync($"/parks/{park}/evaluations/report?year=2025");
        await page.GetByTestId("lang-switch").ClickAsync();
        await page.WaitForSelectorAsync("html[lang=en]");
        var report = await page.GetByTestId("report-sections").InnerTextAsync();
        Assert.Contains("Score table", report, StringComparison.Ordinal);
        Assert.Contains("Total 50, grade below 60 (no grade).", report, StringComparison.Ordinal);
        Assert.Equal("Below 60 (no grade)", await page.GetByTestId("report-grade").InnerTextAsync());
        await page.GotoAsync($"/parks/{park}/evaluations?standard=tca305&year=2025");
        Assert.Equal("Below 60 (no grade)", await page.GetByTestId("eval-grade").InnerTextAsync());
        await ShotAsync(page, "44-evaluation-tca305-en");
    }
}
