// Takes the README's screenshots (docs/img/*.png) of a running ZeroPark with the demo park, in Debian's Chromium.
//   PORT=5391 ZEROPARK_DB=/tmp/shots.db ./scripts/run.sh      # in another terminal; note the one-time admin password, then
//   printf '%s\n' 'A-Long-Password-1' | src/ZeroPark.Cli/bin/Release/net10.0/zeropark users passwd --db /tmp/shots.db --user admin
//   dotnet run scripts/screenshots.cs -- http://127.0.0.1:5391 admin 'A-Long-Password-1' docs/img
// Keep each PNG under 200 KB (the Sankey is clipped to its card for that reason).
#:package Microsoft.Playwright
#:property PublishAot=false
#:property JsonSerializerIsReflectionEnabledByDefault=true
using Microsoft.Playwright;

if (args.Length != 4) { Console.Error.WriteLine("usage: dotnet run scripts/screenshots.cs -- BASE_URL USER PASSWORD OUT_DIR"); return 2; }
var (baseUrl, user, password, outDir) = (args[0], args[1], args[2], args[3]);
using var pw = await Playwright.CreateAsync();
await using var browser = await pw.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true,
    Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
var ctx = await browser.NewContextAsync(new() { BaseURL = baseUrl, ViewportSize = new() { Width = 1280, Height = 800 }, Locale = "zh-CN" });
var page = await ctx.NewPageAsync();
await page.GotoAsync("/account/login");
await page.GetByTestId("login-user").FillAsync(user);
await page.GetByTestId("login-password").FillAsync(password);
await page.GetByTestId("login-submit").ClickAsync();
await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
foreach (var (url, name, width, clip) in new (string, string, int, Clip?)[]
{
    ("/parks/demo", "overview", 1280, null),
    ("/parks/demo/energy?by=day", "energy-flow", 1280, new Clip { X = 236, Y = 250, Width = 1030, Height = 550 }),
    ("/parks/demo/carbon", "carbon-inventory", 1440, null),
})
{
    await page.SetViewportSizeAsync(width, 800);
    await page.GotoAsync(url);
    await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    await page.WaitForTimeoutAsync(1500); // chart animations
    var path = Path.Combine(outDir, name + ".png");
    await page.ScreenshotAsync(new() { Path = path, Clip = clip });
    Console.WriteLine($"{path}: {new FileInfo(path).Length / 1024} KB");
}
return 0;
