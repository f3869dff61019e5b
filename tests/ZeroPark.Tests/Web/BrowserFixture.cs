using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using ZeroPark.Server;
using ZeroPark.Application;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.Web;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}

/// <summary>
/// The real server (Kestrel on 127.0.0.1, a free port) over a temp SQLite store seeded by <see cref="WebTestPark"/>, and Debian's
/// Chromium (<c>/usr/bin/chromium</c>, headless) driven by Playwright for .NET. Playwright's own browser download is never used:
/// <c>./scripts/test.sh</c> installs the <c>chromium</c> package.
/// </summary>
public class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    private WebApplication? _app;
    private IPlaywright? _playwright;

    public string BaseUrl { get; private set; } = "";
    /// <summary>The store: a temp SQLite file, or (subclasses) a PostgreSQL connection string.</summary>
    public string Database { get; }

    public BrowserFixture() : this(TestDatabases.NewSqlitePath())
    {
    }

    protected BrowserFixture(string database) => Database = database;
    public IBrowser Browser { get; private set; } = null!;
    public ZeroParkStore Store => _app!.Services.GetRequiredService<ZeroParkStore>();

    /// <summary>artifacts/screenshots/ at the repository root.</summary>
    public static string ScreenshotDir
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ZeroPark.sln"))) dir = dir.Parent;
            var path = Path.Combine(dir?.FullName ?? Path.GetTempPath(), "artifacts", "screenshots");
            Directory.CreateDirectory(path);
            return path;
        }
    }

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"the browser tests need Debian's Chromium at {ChromiumPath}: run ./scripts/test.sh (it installs the 'chromium' package) or apt-get install chromium");
        await using (var seed = await ZeroParkStore.OpenAsync(Database))
            await WebTestPark.SeedAsync(seed);

        _app = ZeroParkServer.Build(["--urls", "http://127.0.0.1:0", "--ZeroPark:Db", Database], b => b.Logging.SetMinimumLevel(LogLevel.Warning));
        await _app.StartAsync();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        Assert.StartsWith("http://127.0.0.1:", BaseUrl, StringComparison.Ordinal);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A fresh browser context (no cookies) and page. Timeouts are 60 s: short enough that a broken page fails the test
    /// in a minute, long enough for CI's two cores shared by parallel test collections (a sign-in's POST and redirect took over
    /// 15 s there, then over 30 s once every module had its browser suite, while the same test passes in 8–13 s alone).</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl, ViewportSize = new ViewportSize { Width = 1440, Height = 1000 }, Locale = "zh-CN" });
        context.SetDefaultTimeout(60_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        await DropDatabaseAsync();
    }

    /// <summary>Deletes the store (the SQLite files; PostgreSQL subclasses drop their database).</summary>
    protected virtual Task DropDatabaseAsync()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            try { File.Delete(Database + suffix); } catch (IOException) { /* a temp file */ }
        }
        return Task.CompletedTask;
    }
}
