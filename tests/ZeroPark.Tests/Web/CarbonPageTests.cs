using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using ZeroPark.Application;
using ZeroPark.Tests.Api;
using ZeroPark.Tests.EnergyManagement;

namespace ZeroPark.Tests.Web;

/// <summary>The carbon pages over HTTP on SQLite and PostgreSQL: the inventory's figures are the API's, the table export is the
/// page's rows, the factor library and inventory versions change only for administrators and carbon accountants (server-side,
/// with antiforgery), and every change is audited with the signed-in user. The browser tests cover the same pages in Chromium.</summary>
public abstract partial class CarbonPageTests(ApiServer server)
{
    private const string Pw = "carbon-page-password";

    [GeneratedRegex("data-testid=\"total-(?<id>[a-z0-9\\-]+)\" data-value=\"(?<v>[^\"]*)\"")]
    private static partial Regex TotalPattern();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("<tr data-line=\"(?<id>L[0-9]+)\"")]
    private static partial Regex LinePattern();

    private async Task<(string Park, HttpClient Viewer, HttpClient Accountant)> SetUpAsync()
    {
        var park = EnergyTestPark.NewParkCode();
        await EnergyTestPark.SeedAsync(server.Store, park);
        await WebTestPark.SeedCarbonAsync(server.Store, park);
        var viewer = "cv" + Guid.NewGuid().ToString("N")[..8];
        var accountant = "ca" + Guid.NewGuid().ToString("N")[..8];
        await server.Store.Users.CreateUserAsync(viewer, Pw, UserRole.Viewer, [park], "test");
        await server.Store.Users.CreateUserAsync(accountant, Pw, UserRole.CarbonAccountant, [park], "test");
        return (park, await server.SignedInClientAsync(viewer, Pw), await server.SignedInClientAsync(accountant, Pw));
    }

    private static async Task<string> TokenAsync(HttpClient c, string url)
    {
        var html = await (await c.GetAsync(url)).Content.ReadAsStringAsync();
        return TokenPattern().Match(html) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("no antiforgery token in " + url);
    }

    private static Task<HttpResponseMessage> PostFormAsync(HttpClient c, string url, params (string, string)[] fields) =>
        c.PostAsync(url, new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2))));

    [Fact]
    public async Task The_inventory_page_shows_the_apis_totals_and_exports_the_lines_it_shows()
    {
        var (park, viewer, _) = await SetUpAsync();
        using var c = viewer;
        var page = await c.GetAsync($"/parks/{park}/carbon?year=2025");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        var totals = TotalPattern().Matches(html).ToDictionary(m => m.Groups["id"].Value, m => double.Parse(m.Groups["v"].Value, CultureInfo.InvariantCulture));
        var api = await c.GetJsonAsync($"/api/parks/{park}/carbon/inventory?year=2025");
        Assert.Equal(api.GetProperty("scope1_t").GetDouble(), totals["scope1"]);
        Assert.Equal(api.GetProperty("scope2_location_t").GetDouble(), totals["scope2-location"]);
        Assert.Equal(api.GetProperty("scope2_market_t").GetDouble(), totals["scope2-market"]);
        Assert.Equal(api.GetProperty("scope3_t").GetDouble(), totals["scope3"]);
        Assert.Equal(api.GetProperty("total_location_t").GetDouble(), totals["total-location"]);
        Assert.Equal(api.GetProperty("total_market_t").GetDouble(), totals["total-market"]);
        // Subtotals add up to the total: memo items (R22, 1 kg) are in no subtotal but 'scope'.
        Assert.Equal(api.GetProperty("total_location_t").GetDouble(), api.GetProperty("by").GetProperty("source").Items().Sum(x => x.GetProperty("co2e_tonnes").GetDouble()), 9);
        Assert.Equal(api.GetProperty("total_location_t").GetDouble(), api.GetProperty("by").GetProperty("space").Items().Sum(x => x.GetProperty("co2e_tonnes").GetDouble()), 9);
        // By hand: 6,480 kWh of grid electricity × 0.5306 kgCO2/kWh (national 2023, the park has no region) = 3.438288 t.
        Assert.Equal(6480 * 0.5306 / 1000, totals["scope2-location"], 9);

        var lines = LinePattern().Matches(html).Select(m => m.Groups["id"].Value).ToList();
        Assert.Equal(api.GetProperty("lines").Items().Select(l => l.Str("id")).ToList(), lines);
        var csv = await c.GetAsync($"/parks/{park}/carbon?year=2025&export=lines&format=csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var bytes = await csv.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var rows = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(lines, rows.Skip(1).Select(r => r.Split(',')[0]).ToList());
        var xlsx = await c.GetAsync($"/parks/{park}/carbon?year=2025&export=by-source");
        var sheet = TariffTestData.ReadSheet(await xlsx.Content.ReadAsByteArrayAsync(), "by-source");
        Assert.Equal(api.GetProperty("by").GetProperty("source").Items().Count, sheet.Count - 1);

        // Drill-down and trace: the electricity line's factor source, as the API explains it.
        var line = api.GetProperty("lines").Items().First(l => l.Str("source") == "purchased_electricity" && l.Str("basis") == "location").Str("id");
        var trace = await (await c.GetAsync($"/parks/{park}/carbon?year=2025&dim=source&key=purchased_electricity&line={line}")).Content.ReadAsStringAsync();
        var explain = await c.GetJsonAsync($"/api/parks/{park}/carbon/explain?year=2025&line={line}");
        Assert.Contains(explain.GetProperty("factors").Items()[0].Str("publisher"), trace, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"trace-formula\"", trace, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await c.GetAsync($"/parks/{park}/carbon?year=2025&line=L999")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await c.GetAsync($"/parks/{park}/carbon?year=20x5")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await c.GetAsync($"/parks/{park}/carbon?year=2025&method=nope")).StatusCode);

        var analysis = await c.GetAsync($"/parks/{park}/carbon/analysis?from=2025-01-01&to=2025-02-01");
        Assert.Equal(HttpStatusCode.OK, analysis.StatusCode);
        var apiAnalysis = await c.GetJsonAsync($"/api/parks/{park}/carbon/analysis?from=2025-01-01&to=2025-02-01");
        Assert.Contains($"data-testid=\"analysis-total\" data-value=\"{apiAnalysis.GetProperty("total_location_t").GetDouble().ToString("R", CultureInfo.InvariantCulture)}\"",
            await analysis.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_administrators_and_carbon_accountants_change_factors_and_versions_and_each_change_is_audited()
    {
        var (park, viewer, accountant) = await SetUpAsync();
        using var v = viewer;
        using var a = accountant;
        var dataset = "PAGE-" + Guid.NewGuid().ToString("N")[..6];
        (string, string)[] Factor(string token, string value) =>
        [
            ("__RequestVerificationToken", token), ("Form.Dataset", dataset), ("Form.Kind", "emission"), ("Form.Material", "electricity"), ("Form.Gas", "CO2"),
            ("Form.Value", value), ("Form.Unit", "kgCO2/kWh"), ("Form.Level", "national"), ("Form.Region", "CN"), ("Form.ValidFrom", "2025-01-01"),
        ];

        var viewerPage = await (await v.GetAsync("/carbon/factors")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("factor-add-form", viewerPage, StringComparison.Ordinal);
        var vt = await TokenAsync(v, "/carbon/factors");                                      // the sign-out form's token
        Assert.Equal(HttpStatusCode.Forbidden, (await PostFormAsync(v, "/carbon/factors?handler=Add", Factor(vt, "0.5"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostFormAsync(v, $"/parks/{park}/carbon?handler=Save", ("__RequestVerificationToken", vt), ("year", "2025"))).StatusCode);
        Assert.DoesNotContain(await server.Store.Carbon.FactorsAsync(), r => r.Dataset == dataset);

        var at = await TokenAsync(a, "/carbon/factors");
        Assert.Equal(HttpStatusCode.BadRequest, (await PostFormAsync(a, "/carbon/factors?handler=Add", Factor(at, "abc"))).StatusCode);
        var ok = await PostFormAsync(a, "/carbon/factors?handler=Add", Factor(at, "0.5"));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Contains("data-testid=\"factors-message\"", await ok.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var stored = Assert.Single(await server.Store.Carbon.FactorsAsync(), r => r.Dataset == dataset);
        Assert.Equal(0.5, stored.Value);
        var again = await PostFormAsync(a, "/carbon/factors?handler=Add", Factor(at, "0.45"));       // same key: a new version
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal([1, 2], (await server.Store.Carbon.FactorsAsync()).Where(r => r.Dataset == dataset).Select(r => r.Version).Order().ToList());
        var audit = await server.Store.Audit.AuditLogAsync(null, 1000);
        Assert.Contains(audit, e => e.Entity == "factor" && e.Action == "create" && e.EntityKey.StartsWith(dataset + "|", StringComparison.Ordinal) && e.User != "" && e.NewValue!.Contains("0.5", StringComparison.Ordinal));
        Assert.Contains(audit, e => e.Entity == "factor" && e.Action == "update" && e.EntityKey.StartsWith(dataset + "|", StringComparison.Ordinal));
        Assert.All(audit.Where(e => e.Entity == "factor" && e.EntityKey.StartsWith(dataset + "|", StringComparison.Ordinal)), e => Assert.StartsWith("ca", e.User, StringComparison.Ordinal));
        var versions = await (await v.GetAsync($"/carbon/factors?key={Uri.EscapeDataString(stored.Key)}")).Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"factor-versions\"", versions, StringComparison.Ordinal);    // everyone reads the versions

        var save = await PostFormAsync(a, $"/parks/{park}/carbon?handler=Save", ("__RequestVerificationToken", at), ("year", "2025"), ("Reason", "annual"));
        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        var inventory = Assert.Single(await server.Store.Carbon.InventoriesAsync(park));
        Assert.Equal("draft", inventory.Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostFormAsync(v, $"/parks/{park}/carbon?handler=Finalize&id={inventory.Id}", ("__RequestVerificationToken", vt))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await PostFormAsync(a, $"/parks/{park}/carbon?handler=Finalize&id={inventory.Id}", ("__RequestVerificationToken", at))).StatusCode);
        Assert.Equal("final", (await server.Store.Carbon.InventoriesAsync(park, inventory.Id)).Single().Status);
        var shown = await (await v.GetAsync($"/parks/{park}/carbon?version={inventory.Id}")).Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"version-banner\"", shown, StringComparison.Ordinal);

        // Late data: another petrol delivery of 100 L → saving again makes v2 with the diff against v1.
        var (rows, errors) = ZeroPark.Application.Carbon.ActivityCsv.Parse(new MemoryStream(Encoding.UTF8.GetBytes(
            "date,source,material,amount,unit,scope3_category,note,evidence,space\n2025-02-01,vehicle,gasoline,100,L,,late delivery,FUEL-LATE,b1\n")));
        Assert.Empty(errors);
        await server.Store.Carbon.ImportActivitiesAsync(park, rows, [], "test");
        Assert.Equal(HttpStatusCode.Redirect, (await PostFormAsync(a, $"/parks/{park}/carbon?handler=Save", ("__RequestVerificationToken", at), ("year", "2025"))).StatusCode);
        var v2 = (await server.Store.Carbon.InventoriesAsync(park)).Single(i => i.Version == 2);
        var diffPage = await (await v.GetAsync($"/parks/{park}/carbon?version={v2.Id}")).Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"diff-table\"", diffPage, StringComparison.Ordinal);
        Assert.Contains("activity 120 → 220 L", diffPage, StringComparison.Ordinal);       // the vehicle line: 120 L + 100 L
        Assert.Equal(HttpStatusCode.NotFound, (await v.GetAsync($"/parks/{park}/carbon?version=999999")).StatusCode);
    }
}

public sealed class SqliteCarbonPageTests(SqliteApiServer server) : CarbonPageTests(server), IClassFixture<SqliteApiServer>;

public sealed class PostgresCarbonPageTests(PostgresApiServer server) : CarbonPageTests(server), IClassFixture<PostgresApiServer>;
