using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using ZeroPark.Application;
using ZeroPark.Tests.Api;
using ZeroPark.Tests.EnergyManagement;

namespace ZeroPark.Tests.Web;

/// <summary>The overview page's figures equal the REST API's, on SQLite and on PostgreSQL (the browser tests cover the page in
/// Chromium on SQLite).</summary>
public abstract partial class OverviewPageTests(ApiServer server)
{
    [GeneratedRegex("data-testid=\"(?<id>[a-z\\-]+)\" data-value=\"(?<v>[^\"]*)\"")]
    private static partial Regex ValuePattern();

    [Fact]
    public async Task The_overview_figures_are_the_apis_and_a_park_not_granted_is_404()
    {
        var park = EnergyTestPark.NewParkCode();
        await EnergyTestPark.SeedAsync(server.Store, park);
        var other = EnergyTestPark.NewParkCode();
        await EnergyTestPark.CreateAsync(server.Store, other);
        var viewer = "o" + Guid.NewGuid().ToString("N")[..8];
        await server.Store.Users.CreateUserAsync(viewer, "overview-password", UserRole.Viewer, [park], "test");
        using var c = await server.SignedInClientAsync(viewer, "overview-password");

        var page = await c.GetAsync($"/parks/{park}");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var values = ValuePattern().Matches(html).ToDictionary(m => m.Groups["id"].Value, m => m.Groups["v"].Value);
        Assert.Equal("2025-02-01", values["as-of"]);
        foreach (var (key, from) in new[] { ("day", "2025-02-01"), ("month", "2025-02-01"), ("year", "2025-01-01") })
        {
            var row = (await c.GetJsonAsync($"/api/parks/{park}/energy/kpi?from={from}&to=2025-02-01&by=total")).Items().Single();
            Assert.Equal(row.GetProperty("inputs").GetProperty("total_kwh").GetDouble(), double.Parse(values["energy-" + key], CultureInfo.InvariantCulture));
            Assert.Equal(row.GetProperty("pue").GetDouble(), double.Parse(values["pue-" + key], CultureInfo.InvariantCulture));
            Assert.Equal(row.GetProperty("completeness").GetDouble(), double.Parse(values["completeness-" + key], CultureInfo.InvariantCulture));
        }
        Assert.Equal(3480, double.Parse(values["energy-day"], CultureInfo.InvariantCulture));          // 24 h × 145 kWh
        var split = (await c.GetJsonAsync($"/api/parks/{park}/energy/breakdown?from=2025-02-01&to=2025-02-01&by=total")).Items().Single();
        Assert.Equal(split.GetProperty("it_kwh").GetDouble(), double.Parse(values["split-it"], CultureInfo.InvariantCulture));
        Assert.Equal(split.GetProperty("cooling_kwh").GetDouble(), double.Parse(values["split-cooling"], CultureInfo.InvariantCulture));

        Assert.Equal(HttpStatusCode.NotFound, (await c.GetAsync($"/parks/{other}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await c.GetAsync("/parks/no-such-park")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await c.GetAsync($"/parks/{park}?date=2025-13-01")).StatusCode);
        var earlier = await (await c.GetAsync($"/parks/{park}?date=2025-01-31")).Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"energy-day\" data-value=\"3240\"", earlier, StringComparison.Ordinal);   // 24 h × 135 kWh

        // The energy page: one KPI row per day, as the API computes them; bounded ranges; park access.
        var energy = await c.GetAsync($"/parks/{park}/energy?from=2025-01-31&to=2025-02-01&by=day");
        Assert.Equal(HttpStatusCode.OK, energy.StatusCode);
        var energyHtml = await energy.Content.ReadAsStringAsync();
        Assert.Contains("data-col=\"pue\" data-value=\"1.35\"", energyHtml, StringComparison.Ordinal);
        Assert.Contains("data-col=\"pue\" data-value=\"1.45\"", energyHtml, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"load\"", energyHtml, StringComparison.Ordinal);   // the Sankey's data block
        Assert.Equal(HttpStatusCode.BadRequest, (await c.GetAsync($"/parks/{park}/energy?from=2024-01-01&to=2025-02-01")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await c.GetAsync($"/parks/{park}/energy?from=2025-02-02&to=2025-02-01")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await c.GetAsync($"/parks/{other}/energy")).StatusCode);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    [Fact]
    public async Task The_data_page_lists_suspected_resets_and_an_energy_manager_confirms_one()
    {
        var park = EnergyTestPark.NewParkCode();
        await server.Store.Registry.CreateParkAsync(new ParkDraft(park, "Reset park"));
        await server.Store.Registry.CreateMetersAsync(park, [new MeterDraft("m1", "M1", "electricity", "cumulative", "kWh")]);
        // 100, 130, drop to 50, 60 at 00:15..01:00: 30 + 0 (suspected) + 10 = 40.
        var t = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));
        await server.Store.Readings.IngestAsync(park, [new("m1", t.AddMinutes(15), 100, 1), new("m1", t.AddMinutes(30), 130, 2), new("m1", t.AddMinutes(45), 50, 3), new("m1", t.AddMinutes(60), 60, 4)],
            new IngestSource("test", "tester"));
        var viewer = "v" + Guid.NewGuid().ToString("N")[..8];
        await server.Store.Users.CreateUserAsync(viewer, "reset-page-password", UserRole.Viewer, [park], "test");
        var manager = "e" + Guid.NewGuid().ToString("N")[..8];
        await server.Store.Users.CreateUserAsync(manager, "reset-page-password", UserRole.EnergyManager, [park], "test");
        var url = $"/parks/{park}/data?from=2025-01-01&to=2025-01-01";

        using (var v = await server.SignedInClientAsync(viewer, "reset-page-password"))
        {
            var html = await (await v.GetAsync(url)).Content.ReadAsStringAsync();
            Assert.Contains("data-meter=\"m1\" data-at=\"2025-01-01T00:45:00", html, StringComparison.Ordinal);
            Assert.DoesNotContain("data-testid=\"reset-form\"", html, StringComparison.Ordinal);   // a viewer sees, does not confirm
        }
        using var c = await server.SignedInClientAsync(manager, "reset-page-password");
        var page = await (await c.GetAsync(url)).Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"reset-form\"", page, StringComparison.Ordinal);
        var token = TokenPattern().Match(page).Groups[1].Value;
        FormUrlEncodedContent Form(string resolution, string oldFinal) => new(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["suspect_meter"] = "m1", ["at"] = "2025-01-01T00:45:00+08:00", ["from"] = "2025-01-01", ["to"] = "2025-01-01",
            ["resolution"] = resolution, ["old_final"] = oldFinal, ["reason"] = "swap found on site",
        });
        var bad = await c.PostAsync($"/parks/{park}/data?handler=Confirm&from=2025-01-01&to=2025-01-01", Form("replacement", "abc"));
        Assert.True(bad.StatusCode == HttpStatusCode.BadRequest, $"{bad.StatusCode} {bad.Headers.Location}");
        Assert.Contains("data-testid=\"reset-error\"", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var ok = await c.PostAsync($"/parks/{park}/data?handler=Confirm&from=2025-01-01&to=2025-01-01", Form("replacement", "136"));
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        var after = await (await c.GetAsync(ok.Headers.Location!.ToString())).Content.ReadAsStringAsync();
        Assert.DoesNotContain("data-testid=\"reset-table\"", after, StringComparison.Ordinal);
        // 30 + (136 − 130) + (60 − 50) = 46, audited as the manager.
        var day = await server.Store.Queries.SeriesAsync(park, SeriesTarget.Meter("m1"), new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 1), Domain.Granularity.Day);
        Assert.Equal(46.0, day.Buckets[0].Value);
        Assert.Contains(await server.Store.Audit.AuditLogAsync(park), a => a.Action == "confirm_reset" && a.User == manager && a.Reason == "swap found on site");
        // The meter page offers the "resets are normal" setting.
        var meterPage = await (await c.GetAsync($"/parks/{park}/meters/m1")).Content.ReadAsStringAsync();
        Assert.Contains("name=\"resets_normal\"", meterPage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_data_page_lists_the_worst_meters_first_with_the_quality_reports_figures_and_a_meters_gaps()
    {
        var park = EnergyTestPark.NewParkCode();
        await EnergyTestPark.SeedAsync(server.Store, park, skip: (meter, hour) => meter == "chiller" && hour is 10 or 11);
        var viewer = "d" + Guid.NewGuid().ToString("N")[..8];
        await server.Store.Users.CreateUserAsync(viewer, "data-page-password", UserRole.Viewer, [park], "test");
        using var c = await server.SignedInClientAsync(viewer, "data-page-password");

        var html = await (await c.GetAsync($"/parks/{park}/data?from=2025-01-31&to=2025-02-01")).Content.ReadAsStringAsync();
        var rows = MeterRowPattern().Matches(html).Select(m => (Meter: m.Groups["m"].Value, Pct: double.Parse(m.Groups["v"].Value, CultureInfo.InvariantCulture))).ToList();
        var api = (await c.GetJsonAsync($"/api/parks/{park}/quality?from=2025-01-31&to=2025-02-01")).GetProperty("meters").Items();
        Assert.Equal(api.Count, rows.Count);                                           // 12 physical meters, virtual ones left out
        Assert.Equal("chiller", rows[0].Meter);                                       // the worst first: 46 of 48 hourly readings
        Assert.Equal(api.Single(m => m.Str("meter") == "chiller").GetProperty("completeness_percent").GetDouble(), rows[0].Pct);
        Assert.True(rows[0].Pct < 100);
        Assert.All(rows.Skip(1), r => Assert.Equal(100, r.Pct));

        var detail = await (await c.GetAsync($"/parks/{park}/data?from=2025-01-31&to=2025-02-01&meter=chiller")).Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"gaps-table\"", detail, StringComparison.Ordinal);
        Assert.Contains("2025-01-31 09:00:00", detail, StringComparison.Ordinal);          // the gap after the 09:00 reading
        Assert.Equal(HttpStatusCode.NotFound, (await c.GetAsync($"/parks/{park}/data?meter=ups_loss")).StatusCode);   // virtual
        Assert.Equal(HttpStatusCode.BadRequest, (await c.GetAsync($"/parks/{park}/data?from=2024-01-01&to=2025-02-01")).StatusCode);
    }

    [GeneratedRegex("<tr data-meter=\"(?<m>[^\"]+)\">.*?data-value=\"(?<v>[^\"]+)\"", RegexOptions.Singleline)]
    private static partial Regex MeterRowPattern();
}

public sealed class SqliteOverviewPageTests(SqliteApiServer server) : OverviewPageTests(server), IClassFixture<SqliteApiServer>;

public sealed class PostgresOverviewPageTests(PostgresApiServer server) : OverviewPageTests(server), IClassFixture<PostgresApiServer>;
