using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using ZeroPark.Application;
using ZeroPark.Tests.Api;
using ZeroPark.Tests.EnergyManagement;

namespace ZeroPark.Tests.Web;

/// <summary>The meter list's and the registry's exports hold the rows the page shows (same filter), as CSV and XLSX, under the page's access rules.</summary>
public abstract partial class MeterExportTests(ApiServer server)
{
    [GeneratedRegex("<tr data-meter=\"(?<code>[^\"]+)\"")]
    private static partial Regex RowPattern();

    [GeneratedRegex("<tr data-space=\"(?<code>[^\"]+)\"")]
    private static partial Regex SpacePattern();

    [GeneratedRegex("<tr data-ts=\"")]
    private static partial Regex TsPattern();

    [Fact]
    public async Task The_meter_list_exports_what_it_shows()
    {
        var park = EnergyTestPark.NewParkCode();
        await EnergyTestPark.SeedAsync(server.Store, park);
        var viewer = "mv" + Guid.NewGuid().ToString("N")[..8];
        await server.Store.Users.CreateUserAsync(viewer, "meter-export-password", UserRole.Viewer, [park], "test");
        using var c = await server.SignedInClientAsync(viewer, "meter-export-password");

        var url = $"/parks/{park}/meters?carrier=electricity";
        var html = await (await c.GetAsync(url)).Content.ReadAsStringAsync();
        var shown = RowPattern().Matches(html).Select(m => m.Groups["code"].Value).ToList();
        Assert.NotEmpty(shown);
        Assert.Contains("data-testid=\"export-meters-xlsx\"", html, StringComparison.Ordinal);

        var csv = await c.GetAsync(url + "&export=meters&format=csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        var bytes = await csv.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var rows = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(shown, rows.Skip(1).Select(r => r.Split(',')[0]).ToList());
        Assert.All(rows.Skip(1), r => Assert.Equal("electricity", r.Split(',')[2]));

        var sheet = TariffTestData.ReadSheet(await (await c.GetAsync(url + "&export=meters&format=xlsx")).Content.ReadAsByteArrayAsync(), "meters");
        Assert.Equal(shown.Count, sheet.Count - 1);
        // The registry's space tree exports in tree order; the systems table lists the taxonomy with the park's meters.
        var registry = await (await c.GetAsync($"/parks/{park}/registry")).Content.ReadAsStringAsync();
        var spaces = SpacePattern().Matches(registry).Select(m => m.Groups["code"].Value).ToList();
        Assert.NotEmpty(spaces);
        var spaceCsv = Encoding.UTF8.GetString((await (await c.GetAsync($"/parks/{park}/registry?export=spaces&format=csv")).Content.ReadAsByteArrayAsync())[3..]);
        Assert.Equal(spaces, spaceCsv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(r => r.Split(',')[0]).ToList());
        var systems = TariffTestData.ReadSheet(await (await c.GetAsync($"/parks/{park}/registry?export=systems&format=xlsx")).Content.ReadAsByteArrayAsync(), "systems");
        Assert.Equal(ZeroPark.Domain.SystemTaxonomy.All.Count, systems.Count - 1);

        // The manual-entry page's stored readings of a meter's day export with the same instants.
        var day = await (await c.GetAsync($"/parks/{park}/readings?meter=grid&day=2025-01-31")).Content.ReadAsStringAsync();
        var shownTs = TsPattern().Count(day);
        Assert.True(shownTs > 0);
        var dayCsv = Encoding.UTF8.GetString((await (await c.GetAsync($"/parks/{park}/readings?meter=grid&day=2025-01-31&export=day-readings&format=csv")).Content.ReadAsByteArrayAsync())[3..]);
        Assert.Equal(shownTs, dayCsv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length - 1);

        // A park not granted: the export is refused like the page.
        Assert.Equal(HttpStatusCode.NotFound, (await c.GetAsync($"/parks/nowhere-{park}/meters?export=meters&format=csv")).StatusCode);
    }
}

public sealed class SqliteMeterExportTests(SqliteApiServer server) : MeterExportTests(server), IClassFixture<SqliteApiServer>;

public sealed class PostgresMeterExportTests(PostgresApiServer server) : MeterExportTests(server), IClassFixture<PostgresApiServer>;
