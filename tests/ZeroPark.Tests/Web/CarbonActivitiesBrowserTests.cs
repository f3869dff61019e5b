using System.Text;
using Microsoft.Playwright;
using static ZeroPark.Tests.Web.BrowserSteps;
using static ZeroPark.Tests.Web.WebTestPark;

namespace ZeroPark.Tests.Web;

/// <summary>The activity data page in Chromium as the carbon accountant: enter a record, import a file with one bad row (the
/// refusal names the line, the good rows are kept), correct a record (the amount shown is the corrected one).</summary>
[Collection(BrowserCollection.Name)]
public sealed class CarbonActivitiesBrowserTests(BrowserFixture fx)
{
    private static ILocator Row(IPage page, string note) => page.GetByTestId("ca-records").Locator("tbody tr", new() { HasText = note });

    [Fact]
    public async Task The_accountant_enters_imports_and_corrects_activity_records()
    {
        var page = await fx.NewPageAsync();
        await SignInAsync(page, Accountant);
        await page.GotoAsync("/parks/" + ParkA);
        await page.GetByTestId("nav-carbon-activities").ClickAsync();
        await page.WaitForURLAsync($"**/parks/{ParkA}/carbon/activities");

        // Enter one record.
        await page.GetByTestId("ca-date").FillAsync("2024-03-05");
        await page.GetByTestId("ca-source").SelectOptionAsync("diesel_generator");
        await page.GetByTestId("ca-material").FillAsync("diesel");
        await page.GetByTestId("ca-amount-input").FillAsync("150");
        await page.GetByTestId("ca-unit").SelectOptionAsync("L");
        await page.GetByTestId("ca-note").FillAsync("t21-entered");
        await page.GetByTestId("ca-submit").ClickAsync();
        await page.GetByTestId("ca-message").WaitForAsync();
        Assert.Equal("已录入一条活动数据。", await page.GetByTestId("ca-message").InnerTextAsync());
        Assert.Equal("150", await Row(page, "t21-entered").GetByTestId("ca-amount").InnerTextAsync());

        // Import a file whose line 3 has no number: line 3 is refused by name, lines 2 and 4 are kept.
        const string csv = "date,source,material,amount,unit,scope3_category,note\n2024-03-06,diesel_generator,diesel,200,L,,t21-good-a\n" +
                           "2024-03-06,diesel_generator,diesel,abc,L,,t21-bad\n2024-03-07,refrigerant_leak,R410A,2,kg,,t21-good-b\n";
        await page.GetByTestId("ca-file").SetInputFilesAsync(new FilePayload { Name = "activities.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await page.GetByTestId("ca-import-submit").ClickAsync();
        await page.GetByTestId("ca-refused").WaitForAsync();
        var refused = page.GetByTestId("ca-refused").Locator("li");
        Assert.Equal(1, await refused.CountAsync());
        Assert.Equal("3", await refused.GetAttributeAsync("data-line"));
        var reason = await refused.InnerTextAsync();
        Assert.StartsWith("第 3 行：", reason, StringComparison.Ordinal);
        Assert.Contains("abc", reason, StringComparison.Ordinal);
        Assert.Equal("已导入：新增 2，重复 0，更正 0，拒绝 1", await page.GetByTestId("ca-message").InnerTextAsync());
        Assert.Equal(1, await Row(page, "t21-good-a").CountAsync());
        Assert.Equal(1, await Row(page, "t21-good-b").CountAsync());
        Assert.Equal(0, await Row(page, "t21-bad").CountAsync());

        // Correct the entered record: 150 L → 175 L.
        await Row(page, "t21-entered").GetByTestId("ca-edit").ClickAsync();
        await page.GetByTestId("ca-reason").WaitForAsync();
        Assert.Equal("150", await page.GetByTestId("ca-amount-input").InputValueAsync());
        await page.GetByTestId("ca-amount-input").FillAsync("175");
        await page.GetByTestId("ca-reason").FillAsync("发票复核");
        await page.GetByTestId("ca-submit").ClickAsync();
        await page.GetByTestId("ca-message").Filter(new() { HasText = "已更正" }).WaitForAsync();
        Assert.Equal("175", await Row(page, "t21-entered").GetByTestId("ca-amount").InnerTextAsync());
        Assert.Contains(Accountant, await Row(page, "t21-entered").InnerTextAsync(), StringComparison.Ordinal);
        await ShotAsync(page, "70-carbon-activities-zh");
    }
}
