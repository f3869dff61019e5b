using Microsoft.Playwright;

namespace ZeroPark.Tests.Web;

/// <summary>Steps every browser test takes: sign in through the login form, and save a screenshot to artifacts/screenshots/.</summary>
internal static class BrowserSteps
{
    public static async Task SignInAsync(IPage page, string user, string password = WebTestPark.Password)
    {
        await page.GotoAsync("/account/login");
        await page.GetByTestId("login-user").FillAsync(user);
        await page.GetByTestId("login-password").FillAsync(password);
        await page.GetByTestId("login-submit").ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
    }

    public static Task ShotAsync(IPage page, string name, bool fullPage = true) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDir, name + ".png"), FullPage = fullPage });
}
