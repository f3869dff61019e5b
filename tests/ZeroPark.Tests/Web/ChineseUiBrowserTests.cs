using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ZeroPark.Application.Governance;
using static ZeroPark.Tests.Web.BrowserSteps;
using static ZeroPark.Tests.Web.WebTestPark;

namespace ZeroPark.Tests.Web;

/// <summary>
/// With the UI in Chinese, every page shows Chinese: one browser visits every page (each <c>@page</c> route, with park A's data,
/// so that KPI notes, a carbon trace, carbon analysis notes, an import with rejected rows and an audit log with entries
/// appear), opens every <c>&lt;details&gt;</c>, and collects the visible text nodes (and titles) that hold an English sentence:
/// two or more consecutive English words of three letters or more that are not units, codes or proper names
/// (<see cref="EnglishProse.Allowed"/>). The test fails listing every such text with its page.
/// </summary>
[Collection(ChineseUiBrowserCollection.Name)]
public sealed partial class ChineseUiBrowserTests(BrowserFixture fx)
{
    /// <summary>Every route template of src/ZeroPark.Server/Pages → the URL visited for it (park A, Feb 2025).</summary>
    private static readonly Dictionary<string, string[]> Routes = new()
    {
        ["/"] = ["/"],
        ["/users"] = ["/users"],
        ["/audit"] = ["/audit", "/audit?park=" + ParkA],
        ["/carbon/factors"] = ["/carbon/factors?park=" + ParkA],
        ["/parks/{park}"] = ["/parks/" + ParkA],
        ["/parks/{park}/energy"] = [$"/parks/{ParkA}/energy?from=2025-01-31&to=2025-02-01&by=day", $"/parks/{ParkA}/energy?from=2025-01-31&to=2025-02-01&carrier=water"],
        ["/parks/{park}/energy/cost"] = [$"/parks/{ParkA}/energy/cost?month=2025-02"],
        ["/parks/{park}/energy/dimensions"] = [$"/parks/{ParkA}/energy/dimensions?month=2025-02"],
        ["/parks/{park}/energy/plans"] = [$"/parks/{ParkA}/energy/plans"],
        ["/parks/{park}/evaluations"] = [$"/parks/{ParkA}/evaluations?standard=tca305&year=2025", $"/parks/{ParkA}/evaluations?standard=bfia043&year=2025", $"/parks/{ParkA}/evaluations?standard=gcp&year=2025"],
        ["/parks/{park}/evaluations/report"] = [$"/parks/{ParkA}/evaluations/report?year=2025"],
        ["/parks/{park}/carbon"] = [$"/parks/{ParkA}/carbon?year=2025&method=ghgp&gwp=AR6"],
        ["/parks/{park}/carbon/analysis"] = [$"/parks/{ParkA}/carbon/analysis?from=2025-01-31&to=2025-02-01&by=hour"],
        ["/parks/{park}/carbon/activities"] = [$"/parks/{ParkA}/carbon/activities"],
        ["/parks/{park}/registry"] = [$"/parks/{ParkA}/registry"],
        ["/parks/{park}/dashboards/{id:long?}"] = [$"/parks/{ParkA}/dashboards"],
        ["/parks/{park}/data"] = [$"/parks/{ParkA}/data"],
        ["/parks/{park}/meters"] = [$"/parks/{ParkA}/meters"],
        ["/parks/{park}/meters/{code}"] = [$"/parks/{ParkA}/meters/chiller", $"/parks/{ParkA}/meters/pdu1"],
        ["/parks/{park}/readings"] = [$"/parks/{ParkA}/readings?meter=chiller&day=2025-02-01"],
        ["/parks/{park}/import"] = [$"/parks/{ParkA}/import"],
        ["/parks/{park}/neutrality"] = [$"/parks/{ParkA}/neutrality?year=2025"],
        ["/parks/{park}/neutrality/ledger"] = [$"/parks/{ParkA}/neutrality/ledger"],
        ["/parks/{park}/neutrality/targets"] = [$"/parks/{ParkA}/neutrality/targets?year=2025"],
        ["/parks/{park}/neutrality/measures"] = [$"/parks/{ParkA}/neutrality/measures"],
        ["/parks/{park}/supply-chain"] = [$"/parks/{ParkA}/supply-chain"],
        ["/parks/{park}/governance"] = [$"/parks/{ParkA}/governance"],
        ["/parks/{park}/governance/people/{code}"] = [],   // visited below, once the person exists
        ["/parks/{park}/collection"] = [$"/parks/{ParkA}/collection"],
        ["/parks/{park}/collection/measurements"] = [$"/parks/{ParkA}/collection/measurements?from=2025-01-31&to=2025-02-01&by=hour", $"/parks/{ParkA}/collection/measurements?meter=chiller&from=2025-01-31&to=2025-02-01&by=hour"],
        ["/parks/{park}/collection/settings"] = [$"/parks/{ParkA}/collection/settings"],
        ["/parks/{park}/reports"] = [$"/parks/{ParkA}/reports"],
        ["/parks/{park}/reports/disclosure"] = [$"/parks/{ParkA}/reports/disclosure?year=2025"],
        ["/supplier-form/{token}"] = ["/supplier-form/not-a-token"],
        ["/carbon-account/{token}"] = ["/carbon-account/not-a-token"],
        ["/parks/{park}/alerts"] = [$"/parks/{ParkA}/alerts?status=all"],
        ["/parks/{park}/alerts/rules"] = [$"/parks/{ParkA}/alerts/rules?year=2025"],
        ["/parks/{park}/alerts/channels"] = [$"/parks/{ParkA}/alerts/channels"],
        ["/parks/{park}/optimisation"] = [$"/parks/{ParkA}/optimisation"],
        ["/parks/{park}/optimisation/drivers"] = [$"/parks/{ParkA}/optimisation/drivers"],
        ["/parks/{park}/optimisation/report"] = [$"/parks/{ParkA}/optimisation/report?year=2025"],
        ["/parks/{park}/optimisation/suggestions"] = [$"/parks/{ParkA}/optimisation/suggestions"],
        ["/error/{code:int}"] = ["/error/404"],
        ["/account/denied"] = ["/account/denied"],
        ["/account/password"] = ["/account/password"],
        ["/account/login"] = [],   // visited before signing in
        ["/account/logout"] = [],  // visited last (it signs out)
    };

    /// <summary>snake_case identifiers that may be shown as they are: field names a user types into an import file's header
    /// or the API (quoted in hints), and seeded user data.</summary>
    private static readonly HashSet<string> AllowedCodes = new(StringComparer.Ordinal)
    {
        // column, mapping and setting names a user types (import and factor file headers, --mapping keys, carbon settings)
        "time_zone", "meter_code_map", "valid_from", "computing_pflops", "revenue_cny",
        "base_year", "target_t", "compute_capacity_tflops",
        // the neutrality ledger file's columns and the instrument kinds a user types into its kind column (an import's reason lists them)
        "serial_from", "serial_to", "claim_from", "claim_to", "unit_price_cny", "price_cny", "green_power", "rooftop_pv", "supplier_rate",
        // a target kind a user types (zeropark targets add --kind neutrality_rate)
        "neutrality_rate",
        // a carrier and a factor material as written in a meter file or the factor library, quoted in notes
        "chilled_water", "electricity_residual",
        // the test park's (and the demo's) meter codes
        "tx_loss", "tx_lv", "ups_in", "ups_out", "ups_loss", "weather_temp",
    };

    /// <summary>Seeded user data (notes, reasons, names) that is English because a user typed it.</summary>
    private static readonly string[] SeedData = ["park vehicles", "CRAH top-up", "legacy split unit", "re-read on site", "operator.wang", "chiller",
        "Energy test park", "Building 1", "Floor 1", "Room 1", "input assumption"];

    [Fact]
    public async Task Every_page_is_chinese_in_the_chinese_ui()
    {
        var pagesDir = Path.Combine(BrowserFixture.ScreenshotDir, "..", "..", "src", "ZeroPark.Server", "Pages");
        var templates = Directory.EnumerateFiles(pagesDir, "*.cshtml", SearchOption.AllDirectories)
            .Select(f => PageDirective().Match(File.ReadAllText(f))).Where(m => m.Success).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Empty(templates.Except(Routes.Keys));       // a new page must be added to the tour

        var page = await fx.NewPageAsync();
        var found = new List<string>();
        await CheckAsync(page, "/account/login", found);
        await SignInAsync(page, Admin);

        // An import with rejected rows (bad value, unknown meter, no offset), so the rejection reasons are on the page.
        await page.GotoAsync($"/parks/{ParkA}/import");
        var csv = "meter,timestamp,value\nchiller,2025-02-02T02:00:00+08:00,abc\nnosuch,2025-02-02T02:00:00+08:00,1\nlight,2025-02-02 02:00,2\n";
        await page.GetByTestId("import-file").SetInputFilesAsync(new FilePayload { Name = "bad.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await page.GetByTestId("import-submit").ClickAsync();
        await page.GetByTestId("import-result").WaitForAsync();
        await CheckCurrentAsync(page, "import result", found);

        // A neutrality ledger import with a rejected row (an unknown kind), so the ledger, the dashboard and the reason show.
        await page.GotoAsync($"/parks/{ParkA}/neutrality/ledger");
        var ledger = "kind,quantity,unit,serial_from,serial_to,vintage,claim_from,claim_to\n" +
                     "ccer,2,tCO2e,ZH-CCER-1,ZH-CCER-2,2024,2025-01-31,2025-02-01\nsink,1,tCO2e,,,2024,2025-01-31,2025-02-01\nteleport,1,t,,,,,\n";
        await page.GetByTestId("ledger-file").SetInputFilesAsync(new FilePayload { Name = "ledger.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(ledger) });
        await page.GetByTestId("ledger-import").ClickAsync();
        await page.GetByTestId("nz-rejected").WaitForAsync();
        await CheckCurrentAsync(page, "ledger import result", found);

        // A footprint import with a rejected row (no supplier), so the library and the reason show.
        await page.GotoAsync($"/parks/{ParkA}/supply-chain");
        var footprints = "product,supplier,functional_unit,kgco2e_per_unit,stages,verified\n冷水机组,约克,台,52000,raw_materials;production,true\nbad,,t,1,,true\n";
        await page.GetByTestId("sc-import-file").SetInputFilesAsync(new FilePayload { Name = "fp.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(footprints) });
        await page.GetByTestId("sc-import-submit").ClickAsync();
        await page.GetByTestId("sc-imported").WaitForAsync();
        await CheckCurrentAsync(page, "footprint import result", found);

        foreach (var url in Routes.Values.SelectMany(u => u))
            await CheckAsync(page, url, found);

        // The pages reached by link: a person's carbon account and a supplier's questionnaire, each with a valid token.
        await fx.Store.Governance.SetPersonAsync(ParkA, new Person("zh-tour", "钱进", null, "运维", "", ["pue", "data_quality"], false), "test");
        await CheckAsync(page, $"/parks/{ParkA}/governance/people/zh-tour", found);
        await CheckAsync(page, "/carbon-account/" + await fx.Store.Governance.IssueTokenAsync(ParkA, "zh-tour", "test"), found);
        await fx.Store.SupplyChain.AddSupplierAsync(ParkA, "华东冷链设备", "", "test");
        await CheckAsync(page, "/supplier-form/" + await fx.Store.SupplyChain.IssueTokenAsync(ParkA, "华东冷链设备", "test"), found);

        // A carbon trace: the first line's formula and steps.
        await page.GotoAsync($"/parks/{ParkA}/carbon?year=2025&method=ghgp&gwp=AR6");
        await page.Locator("a[data-testid^='trace-']").First.ClickAsync();
        await page.GetByTestId("trace").WaitForAsync();
        await CheckCurrentAsync(page, "carbon trace", found);

        await CheckAsync(page, "/account/logout", found);
        Assert.True(found.Count == 0, "English texts in the Chinese UI:\n" + string.Join("\n", found.Distinct()));
    }

    private static async Task CheckAsync(IPage page, string url, List<string> found)
    {
        await page.GotoAsync(url);
        await CheckCurrentAsync(page, url, found);
    }

    private static async Task CheckCurrentAsync(IPage page, string where, List<string> found)
    {
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var texts = await page.EvaluateAsync<string[]>("""
            () => {
              document.querySelectorAll('details').forEach(d => d.open = true);
              const out = [];
              const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
              for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                const el = n.parentElement;
                if (!el || el.closest('script,style,noscript,textarea,[hidden],[translate=no]')) continue;
                if (!el.checkVisibility()) continue;
                const t = n.textContent.trim();
                if (t) out.push(t);
              }
              // Tooltips (marked with a leading \u0001): checked for English sentences, and they may show a raw code.
              document.querySelectorAll('[title]').forEach(e => { if (e.title) out.push('\u0001' + e.title); });
              return out;
            }
            """);
        foreach (var text in texts)
        {
            var tooltip = text.StartsWith('\u0001');
            var t = tooltip ? text[1..] : text;
            // A raw snake_case code (cooling_load, suspected_reset) in visible text: codes are shown by their display name
            // (UiText.Code), the identifier itself only inside translate="no" (a monospace suffix) or a tooltip.
            if (!tooltip)
                foreach (Match c in SnakeCode().Matches(Command().Replace(t, " ")))
                    if (!AllowedCodes.Contains(c.Value)) found.Add($"{where}: raw code '{c.Value}' in: {t}");
            var rest = Command().Replace(SeedData.Aggregate(t, (s, d) => s.Replace(d, " ", StringComparison.Ordinal)), " ");
            // Chinese text (and its punctuation) separates runs: "dataset、material" lists codes, it is not an English sentence.
            if (EnglishProse.NonAscii().Split(rest).Any(EnglishProse.IsEnglishSentence)) found.Add($"{where}: {t}");
        }
    }

    /// <summary>A snake_case code: lower-case words joined by '_' (not part of a dotted or hyphenated name, a path or an e-mail).</summary>
    [GeneratedRegex(@"(?<![\w.@/-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w@/-]|\.\w)")]
    private static partial Regex SnakeCode();

    /// <summary>A CLI command quoted in a hint (zeropark energy plan set).</summary>
    [GeneratedRegex(@"zeropark( [a-z][a-z-]*)+")]
    private static partial Regex Command();

    [GeneratedRegex("^@page\\s+\"([^\"]+)\"", RegexOptions.Multiline)]
    private static partial Regex PageDirective();
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ChineseUiBrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "chinese-ui-browser";
}
