using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using ZeroPark.Tests.EnergyManagement;
using static ZeroPark.Tests.Web.BrowserSteps;
using static ZeroPark.Tests.Web.WebTestPark;

namespace ZeroPark.Tests.Web;

/// <summary>The carbon pages, the factor library and table export in Debian's Chromium, on the web test park (park A has the
/// demo's kinds of carbon data: <see cref="WebTestPark"/>). Screenshots go to artifacts/screenshots/.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CarbonBrowserTests(BrowserFixture fx)
{
    private static double Value(string? raw) => double.Parse(raw!, CultureInfo.InvariantCulture);

    private static async Task<JsonElement> ApiAsync(IPage page, string url)
    {
        var r = await page.Context.APIRequest.GetAsync(url);
        Assert.Equal(200, r.Status);
        return JsonDocument.Parse(await r.TextAsync()).RootElement;
    }

    private const string Inventory = "/parks/" + ParkA + "/carbon?year=2025&method=ghgp&gwp=AR6";

    [Fact]
    public async Task The_inventory_page_shows_the_apis_totals_and_a_line_drills_down_to_its_factor_source()
    {
        var page = await fx.NewPageAsync();
        await SignInAsync(page, ViewerA);
        await page.GotoAsync("/parks/" + ParkA);
        await page.GetByTestId("nav-carbon").ClickAsync();
        await page.WaitForURLAsync($"**/parks/{ParkA}/carbon");
        await page.GotoAsync(Inventory);
        await page.WaitForSelectorAsync("html[data-charts=ready]");
        await page.WaitForSelectorAsync("#carbon-donut svg");
        await ShotAsync(page, "10-carbon-inventory-zh");

        var api = await ApiAsync(page, $"/api/parks/{ParkA}/carbon/inventory?year=2025&method=ghgp&gwp=AR6");
        foreach (var (tile, field) in new[]
                 {
                     ("scope1", "scope1_t"), ("scope2-location", "scope2_location_t"), ("scope2-market", "scope2_market_t"), ("scope3", "scope3_t"),
                     ("total-location", "total_location_t"), ("total-market", "total_market_t"),
                 })
        {
            var el = page.GetByTestId("total-" + tile);
            var expected = api.GetProperty(field).GetDouble();
            Assert.Equal(expected, Value(await el.GetAttributeAsync("data-value")));
            Assert.Equal(expected.ToString("N3", CultureInfo.GetCultureInfo("zh-CN")) + " tCO2e", await el.InnerTextAsync());
        }
        // By hand: the grid meter's 24 h × 130 kWh (Jan 31) + 24 h × 140 kWh (Feb 1) = 6,480 kWh at the 华东 regional 2023 factor
        // 0.55 kgCO2/kWh (MEE-NBS, valid from 2023-01-01, open) = 3.564 t.
        Assert.Equal(6480 * 0.55 / 1000, api.GetProperty("scope2_location_t").GetDouble(), 9);
        // Market-based: 2 GEC cover 2,000 kWh at 0; the other 4,480 kWh at the residual mix 0.6096 kgCO2/kWh = 2.730 t.
        Assert.Equal(4480 * 0.6096 / 1000, api.GetProperty("scope2_market_t").GetDouble(), 9);

        // Drill-down from a figure: scope 2 (location-based) → the lines it sums.
        await page.GetByTestId("tile-scope2-location").ClickAsync();
        await page.GetByTestId("lines-filter").WaitForAsync();
        var rows = page.GetByTestId("lines-table").Locator("tbody tr");
        var sum = 0.0;
        foreach (var v in await rows.Locator("[data-col=co2e]").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.value)")) sum += Value(v);
        Assert.Equal(api.GetProperty("scope2_location_t").GetDouble(), sum, 9);

        // … and from a line to its trace: activity, factor record with publisher, document, region and validity, GWP, method, formula.
        var line = api.GetProperty("lines").EnumerateArray().First(l => l.GetProperty("source").GetString() == "purchased_electricity" && l.GetProperty("basis").GetString() == "location");
        var id = line.GetProperty("id").GetString()!;
        await page.GetByTestId("trace-" + id).ClickAsync();
        await page.GetByTestId("trace").WaitForAsync();
        var explain = await ApiAsync(page, $"/api/parks/{ParkA}/carbon/explain?year=2025&method=ghgp&gwp=AR6&line={id}");
        var factor = explain.GetProperty("factors")[0];
        var trace = await page.GetByTestId("trace").InnerTextAsync();
        Assert.Contains(factor.GetProperty("publisher").GetString()!, trace, StringComparison.Ordinal);   // 生态环境部 国家统计局
        Assert.Contains("生态环境部", trace, StringComparison.Ordinal);
        Assert.Contains(factor.GetProperty("document").GetString()!, trace, StringComparison.Ordinal);
        Assert.Contains("2023-01-01", trace, StringComparison.Ordinal);                                   // validity from
        // The API's English reason ("regional factor for 华东, valid 2023-01-01…") in Chinese: {0}因子{1}，有效期 {2}.
        Assert.StartsWith("regional factor for 华东, valid 2023-01-01", factor.GetProperty("reason").GetString()!, StringComparison.Ordinal);
        Assert.Contains("区域因子（华东），有效期 2023-01-01", trace, StringComparison.Ordinal);
        var formula = await page.GetByTestId("trace-formula").InnerTextAsync();
        Assert.Equal(ZeroPark.Server.Web.MessageCatalog.ToChinese(explain.GetProperty("formula").GetString()!, 0), formula);
        Assert.StartsWith("E_CO2 = ", formula, StringComparison.Ordinal);
        Assert.Contains("电网", formula, StringComparison.Ordinal);
        Assert.Equal("AR6", await page.GetByTestId("trace-gwp").InnerTextAsync());
        Assert.Equal("GHG Protocol", await page.GetByTestId("trace-method").InnerTextAsync());
        Assert.Equal("6,480 kWh", await page.GetByTestId("trace-activity").InnerTextAsync());
        Assert.Equal(explain.GetProperty("co2e_t").GetDouble(), Value(await page.GetByTestId("trace-co2e").GetAttributeAsync("data-value")));
        await ShotAsync(page, "11-carbon-trace-zh");

        // A subtotal drills down too: the source "refrigerant leak" → its lines only.
        await page.GotoAsync(Inventory);
        var sourceRow = page.GetByTestId("by-source").Locator("a[data-key=refrigerant_leak]");
        await sourceRow.ClickAsync();
        await page.GetByTestId("lines-filter").WaitForAsync();
        Assert.All(await page.GetByTestId("lines-table").Locator("tbody tr td:nth-child(3)").AllInnerTextsAsync(),
            t => Assert.StartsWith("制冷剂泄漏", t, StringComparison.Ordinal));

        // In English: the same figures, English labels and number formats.
        await page.GetByTestId("lang-switch").ClickAsync();
        await page.WaitForSelectorAsync("html[lang=en]");
        await page.WaitForSelectorAsync("html[data-charts=ready]");
        Assert.Contains("Scope 2 (market-based)", await page.GetByTestId("tile-scope2-market").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(api.GetProperty("scope2_market_t").GetDouble().ToString("N3", CultureInfo.GetCultureInfo("en")) + " tCO2e",
            await page.GetByTestId("total-scope2-market").InnerTextAsync());
        await ShotAsync(page, "16-carbon-inventory-en");
    }

    [Fact]
    public async Task A_viewer_can_neither_save_an_inventory_nor_add_a_factor_and_a_forged_post_is_refused()
    {
        var page = await fx.NewPageAsync();
        await SignInAsync(page, ViewerA);
        await page.GotoAsync(Inventory);
        Assert.True(await page.GetByTestId("save-version").IsDisabledAsync());
        Assert.Equal(1, await page.GetByTestId("readonly-hint").CountAsync());

        await page.GetByTestId("nav-factors").ClickAsync();
        await page.WaitForURLAsync("**/carbon/factors?park=" + ParkA);
        Assert.True(await page.GetByTestId("factors-table").Locator("tbody tr").CountAsync() > 50);   // the shipped library
        Assert.Equal(0, await page.GetByTestId("factor-add-form").CountAsync());                       // no form …
        Assert.Equal(0, await page.GetByTestId("factor-import-form").CountAsync());
        Assert.Equal(1, await page.GetByTestId("factors-readonly").CountAsync());

        // … and a forged POST with a valid antiforgery token of this session (taken from the sign-out form) is refused by the server.
        var token = await page.Locator("input[name=__RequestVerificationToken]").First.GetAttributeAsync("value");
        var before = (await fx.Store.Carbon.FactorsAsync()).Count;
        var form = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token!, ["Form.Dataset"] = "FORGED", ["Form.Material"] = "electricity", ["Form.Gas"] = "CO2", ["Form.Value"] = "0.1",
            ["Form.Unit"] = "kgCO2/kWh", ["Form.Level"] = "national", ["Form.Region"] = "CN", ["Form.ValidFrom"] = "2025-01-01",
        };
        var forged = await page.Context.APIRequest.PostAsync("/carbon/factors?handler=Add", new APIRequestContextOptions { Form = FormOf(page, form) });
        Assert.Equal(403, forged.Status);
        var save = await page.Context.APIRequest.PostAsync($"/parks/{ParkA}/carbon?handler=Save",
            new APIRequestContextOptions { Form = FormOf(page, new() { ["__RequestVerificationToken"] = token!, ["year"] = "2025" }) });
        Assert.Equal(403, save.Status);
        // Without the token the antiforgery check answers first.
        var noToken = await page.Context.APIRequest.PostAsync("/carbon/factors?handler=Add",
            new APIRequestContextOptions { Form = FormOf(page, form.Where(kv => kv.Key != "__RequestVerificationToken").ToDictionary()) });
        Assert.Equal(400, noToken.Status);
        Assert.Equal(before, (await fx.Store.Carbon.FactorsAsync()).Count);
        Assert.DoesNotContain(await fx.Store.Carbon.InventoriesAsync(ParkA), i => i.CreatedBy == ViewerA);
    }

    private static IFormData FormOf(IPage page, Dictionary<string, string> fields)
    {
        var f = page.Context.APIRequest.CreateFormData();
        foreach (var (k, v) in fields) f.Set(k, v);
        return f;
    }

    [Fact]
    public async Task An_accountant_adds_and_imports_factors_saves_and_finalizes_a_version_and_it_is_all_in_the_audit_log()
    {
        var page = await fx.NewPageAsync();
        await SignInAsync(page, Accountant);
        await page.GotoAsync("/carbon/factors?park=" + ParkA);
        await ShotAsync(page, "12-factors-zh", fullPage: false);                // the library first; the forms behind a button
        await page.GetByTestId("factor-write-open").ClickAsync();
        await page.GetByTestId("f-dataset").FillAsync("SUPPLIER-UI");
        await page.GetByTestId("f-material").FillAsync("electricity");
        await page.GetByTestId("f-gas").FillAsync("CO2");
        await page.GetByTestId("f-value").FillAsync("0.4321");
        await page.GetByTestId("f-unit").FillAsync("kgCO2/kWh");
        await page.GetByTestId("f-level").SelectOptionAsync("supplier");
        await page.GetByTestId("f-region").FillAsync("华东绿能售电");
        await page.GetByTestId("f-publisher").FillAsync("华东绿能售电有限公司");
        await page.GetByTestId("f-document").FillAsync("2025 年供电排放因子声明");
        await page.GetByTestId("f-year").FillAsync("2024");
        await page.GetByTestId("f-from").FillAsync("2025-01-01");
        await page.GetByTestId("f-submit").ClickAsync();
        Assert.Contains("新增", await page.GetByTestId("factors-message").InnerTextAsync(), StringComparison.Ordinal);
        var added = (await fx.Store.Carbon.FactorsAsync()).Single(r => r.Dataset == "SUPPLIER-UI");
        Assert.Equal(0.4321, added.Value);
        Assert.Equal(Accountant, added.CreatedBy);
        await page.GetByTestId("factor-search").FillAsync("SUPPLIER-UI");
        await page.GetByTestId("factor-search").PressAsync("Enter");
        await page.WaitForURLAsync("**q=SUPPLIER-UI*");
        Assert.Equal(["electricity"], await page.GetByTestId("factors-table").Locator("tbody tr td:nth-child(2)").AllInnerTextsAsync());

        // A bad form names the field and the reason; nothing is stored.
        await page.GetByTestId("factor-write-open").ClickAsync();
        await page.GetByTestId("f-dataset").FillAsync("SUPPLIER-UI-2");
        await page.GetByTestId("f-material").FillAsync("electricity");
        await page.GetByTestId("f-gas").FillAsync("CO2");
        await page.GetByTestId("f-value").FillAsync("zero point four");
        await page.GetByTestId("f-unit").FillAsync("kgCO2/kWh");
        await page.GetByTestId("f-from").FillAsync("2025-01-01");
        await page.GetByTestId("f-submit").ClickAsync();
        Assert.Contains("value: 'zero point four' is not a number", await page.GetByTestId("factors-error").InnerTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(await fx.Store.Carbon.FactorsAsync(), r => r.Dataset == "SUPPLIER-UI-2");

        // CSV import: the good row is kept, each bad row is listed with its line and reason.
        var csv = "dataset,kind,material,gas,value,unit,level,region,valid_from,publisher\n" +
                  "SUPPLIER-CSV,emission,diesel,CO2,2.7,kgCO2/L,default,,2025-01-01,测试供应商\n" +
                  "SUPPLIER-CSV,emission,diesel,XYZ,2.7,kgCO2/L,default,,2025-01-01,测试供应商\n" +
                  "SUPPLIER-CSV,emission,petrol,CO2,-1,kgCO2/L,default,,2025-13-01,测试供应商\n";
        await page.GetByTestId("import-file").SetInputFilesAsync(new FilePayload { Name = "factors.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await page.GetByTestId("import-submit").ClickAsync();
        var errors = page.GetByTestId("import-errors");
        await errors.WaitForAsync();
        Assert.Equal(["3", "4"], await errors.Locator("tbody tr td:first-child").AllInnerTextsAsync());
        var reasons = await errors.Locator("tbody tr td:nth-child(2)").AllInnerTextsAsync();
        Assert.StartsWith("气体：未知“XYZ”", reasons[0], StringComparison.Ordinal);   // gas: unknown 'XYZ' (…), in Chinese
        Assert.Contains("value：为负", reasons[1], StringComparison.Ordinal);   // value: negative
        Assert.Contains("valid_from：“2025-13-01”不是日期", reasons[1], StringComparison.Ordinal);   // valid_from: '2025-13-01' is not a date
        Assert.Contains("新增 1", await page.GetByTestId("factors-message").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Single(await fx.Store.Carbon.FactorsAsync(), r => r.Dataset == "SUPPLIER-CSV");
        await ShotAsync(page, "12b-factors-import-zh", fullPage: false);

        // Versions: save the inventory, then finalize it.
        await page.GotoAsync(Inventory);
        await page.GetByTestId("save-reason").FillAsync("2025 年度盘查（界面测试）");
        await page.GetByTestId("save-version").ClickAsync();
        await page.GetByTestId("version-banner").WaitForAsync();
        var saved = (await fx.Store.Carbon.InventoriesAsync(ParkA)).Where(i => i.CreatedBy == Accountant).MaxBy(i => i.Id)!;
        Assert.Equal("draft", saved.Status);
        await page.GetByTestId($"finalize-{saved.Id}").ClickAsync();
        Assert.Contains("已定稿", await page.GetByTestId("version-banner").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("final", (await fx.Store.Carbon.InventoriesAsync(ParkA, saved.Id)).Single().Status);
        await ShotAsync(page, "13-carbon-version-zh");

        // The accountant's own audit log shows the factor changes (the library belongs to no park) …
        await page.GotoAsync("/audit");
        var own = await page.GetByTestId("audit-table").InnerTextAsync();
        Assert.Contains("SUPPLIER-UI|", own, StringComparison.Ordinal);
        Assert.DoesNotContain(ViewerA, own, StringComparison.Ordinal);                    // … but not user changes (administrators only)

        // The administrator's audit log names the accountant for the factor added with the form and the one imported.
        var admin = await fx.NewPageAsync();
        await SignInAsync(admin, Admin);
        await admin.GotoAsync("/audit");
        var rows = admin.GetByTestId("audit-table").Locator("tbody tr");
        var factorRows = new List<string>();
        for (var i = 0; i < await rows.CountAsync(); i++)
        {
            var text = await rows.Nth(i).InnerTextAsync();
            if (text.Contains("排放因子", StringComparison.Ordinal)) factorRows.Add(text);
        }
        Assert.Contains(factorRows, r => r.Contains(Accountant, StringComparison.Ordinal) && r.Contains("SUPPLIER-UI|", StringComparison.Ordinal));
        Assert.Contains(factorRows, r => r.Contains(Accountant, StringComparison.Ordinal) && r.Contains("SUPPLIER-CSV|", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_analysis_page_shows_the_apis_figures_with_trend_and_cue_charts()
    {
        var page = await fx.NewPageAsync();
        await SignInAsync(page, ViewerA);
        await page.GotoAsync("/parks/" + ParkA);
        var watch = Stopwatch.StartNew();
        await page.GetByTestId("nav-carbon-analysis").ClickAsync();
        await page.WaitForSelectorAsync("html[data-charts=ready]");
        await page.WaitForSelectorAsync("#series-chart svg path", new() { State = WaitForSelectorState.Attached });
        watch.Stop();
        Assert.True(watch.ElapsedMilliseconds < 3000, $"analysis page took {watch.ElapsedMilliseconds} ms");
        Assert.True(await page.Locator("#trend-chart svg path").CountAsync() > 5);
        Assert.True(await page.Locator("#series-chart svg path").CountAsync() > 10);
        await ShotAsync(page, "14-carbon-analysis-zh");

        // Default period: the year to date of the newest reading (2025-01-01 … 2025-02-01).
        var api = await ApiAsync(page, $"/api/parks/{ParkA}/carbon/analysis?from=2025-01-01&to=2025-02-01");
        Assert.Equal(api.GetProperty("total_location_t").GetDouble(), Value(await page.GetByTestId("analysis-total").GetAttributeAsync("data-value")));
        var cue = api.GetProperty("intensity").EnumerateArray().Single(i => i.GetProperty("metric").GetString() == "cue").GetProperty("value").GetDouble();
        Assert.Equal(cue, Value(await page.GetByTestId("analysis-cue").GetAttributeAsync("data-value")));
        Assert.Equal(api.GetProperty("trend").GetArrayLength(), await page.GetByTestId("trend-table").Locator("tbody tr").CountAsync());

        // The daily series is the API's: 32 days, emissions on Jan 31 and Feb 1 only.
        var series = await ApiAsync(page, $"/api/parks/{ParkA}/carbon/series?from=2025-01-01&to=2025-02-01&by=day");
        var shown = await page.GetByTestId("series-table").Locator("tbody tr td:nth-child(4)").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.value)");
        Assert.Equal(series.EnumerateArray().Select(b => b.GetProperty("total_t").GetDouble()).ToList(), shown.Select(Value).ToList());
        Assert.Equal(130 * 24 * 0.55 / 1000, Value(shown[^2]), 9);   // Jan 31: 3,120 kWh × 0.55 kgCO2/kWh (华东 2023)

        // Hourly: 48 hours of the two days, the CUE line over the bars.
        await page.GotoAsync($"/parks/{ParkA}/carbon/analysis?from=2025-01-31&to=2025-02-01&by=hour");
        await page.WaitForSelectorAsync("#series-chart svg path", new() { State = WaitForSelectorState.Attached });
        Assert.Equal(48, await page.GetByTestId("series-table").Locator("tbody tr").CountAsync());
        Assert.Equal(400, (await page.GotoAsync($"/parks/{ParkA}/carbon/analysis?from=2025-01-01&to=2025-03-01&by=hour"))!.Status);
        Assert.Equal(404, (await page.GotoAsync($"/parks/{ParkB}/carbon/analysis"))!.Status);
    }

    [Fact]
    public async Task Tables_download_as_xlsx_and_csv_with_the_rows_on_screen_and_the_pages_access_rules()
    {
        var page = await fx.NewPageAsync();
        await SignInAsync(page, Admin);
        await page.GotoAsync(Inventory);
        var onScreen = await page.GetByTestId("lines-table").Locator("tbody tr td:first-child").AllInnerTextsAsync();
        Assert.True(onScreen.Count >= 5);

        var xlsx = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("export-lines-xlsx").ClickAsync());
        Assert.Equal($"{ParkA}-lines.xlsx", xlsx.SuggestedFilename);
        var bytes = await File.ReadAllBytesAsync((await xlsx.PathAsync())!);
        Assert.Equal("PK"u8.ToArray(), bytes[..2]);                                          // a zip …
        var sheet = TariffTestData.ReadSheet(bytes, "lines");                                  // … with the sheet the project's writer makes
        Assert.Equal("行", sheet[0][0].Text);
        Assert.Equal(onScreen, sheet.Skip(1).Select(r => r[0].Text!).ToList());
        var co2eColumn = sheet[0].FindIndex(c => c.Text == "排放量 (tCO2e)");
        var screenCo2e = await page.GetByTestId("lines-table").Locator("[data-col=co2e]").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.value)");
        Assert.Equal(screenCo2e.Select(Value).ToList(), sheet.Skip(1).Select(r => { Assert.True(r[co2eColumn].Numeric); return Value(r[co2eColumn].Text); }).ToList());

        var csv = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("export-lines-csv").ClickAsync());
        var csvBytes = await File.ReadAllBytesAsync((await csv.PathAsync())!);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, csvBytes[..3]);                           // UTF-8 with BOM for Excel
        var lines = Encoding.UTF8.GetString(csvBytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("行,范围,排放源,", lines[0], StringComparison.Ordinal);
        Assert.Equal(onScreen, lines.Skip(1).Select(l => l.Split(',')[0]).ToList());
        await ShotAsync(page, "15-carbon-export-zh");

        // Existing pages export their tables the same way: the audit log …
        await page.GotoAsync("/audit?park=" + ParkA);
        var auditRows = await page.GetByTestId("audit-table").Locator("tbody tr").CountAsync();
        var auditCsv = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("export-audit-csv").ClickAsync());
        var auditLines = Encoding.UTF8.GetString(await File.ReadAllBytesAsync((await auditCsv.PathAsync())!)).TrimStart('\uFEFF');
        Assert.Equal(auditRows, CsvRecords(auditLines) - 1);
        // … the energy KPI rows …
        await page.GotoAsync($"/parks/{ParkA}/energy?from=2025-01-31&to=2025-02-01&by=day");
        var kpi = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("export-kpi-xlsx").ClickAsync());
        var kpiSheet = TariffTestData.ReadSheet(await File.ReadAllBytesAsync((await kpi.PathAsync())!), "kpi");
        Assert.Equal(3, kpiSheet.Count);
        Assert.Equal([1.35, 1.45], kpiSheet.Skip(1).Select(r => Value(r[4].Text)).ToList());   // PUE 135/100 and 145/100
        // … and the overview's split by subsystem.
        await page.GotoAsync("/parks/" + ParkA);
        var split = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("export-split-csv").ClickAsync());
        var splitText = Encoding.UTF8.GetString(await File.ReadAllBytesAsync((await split.PathAsync())!));
        Assert.Contains("IT 设备,2400,", splitText, StringComparison.Ordinal);                   // 24 h × 100 kWh on the reporting day (Feb 1)

        // The export follows the page's access rules: a viewer of park A gets 404 for park B, 403 for the users table.
        var viewer = await fx.NewPageAsync();
        await SignInAsync(viewer, ViewerA);
        Assert.Equal(404, (await viewer.Context.APIRequest.GetAsync($"/parks/{ParkB}/carbon?year=2025&export=lines&format=csv")).Status);
        Assert.Equal(403, (await viewer.Context.APIRequest.GetAsync("/users?export=users&format=csv")).Status);
        Assert.Equal(200, (await viewer.Context.APIRequest.GetAsync($"/parks/{ParkA}/carbon?year=2025&export=lines&format=csv")).Status);
        Assert.Equal(404, (await viewer.Context.APIRequest.GetAsync($"/parks/{ParkA}/carbon?year=2025&export=nope")).Status);
        Assert.Equal(400, (await viewer.Context.APIRequest.GetAsync($"/parks/{ParkA}/carbon?year=2025&export=lines&format=pdf")).Status);
    }

    /// <summary>The number of CSV records (quoted fields may hold line breaks).</summary>
    private static int CsvRecords(string text)
    {
        var n = 0;
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '"') quoted = !quoted;
            else if (!quoted && text[i] == '\n') n++;
        }
        return n;
    }
}
