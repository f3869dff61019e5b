using System.Net;
using Dapper;
using ZeroPark.Application;
using ZeroPark.Application.Users;
using ZeroPark.Tests.Api;
using ZeroPark.Tests.EnergyManagement;

namespace ZeroPark.Tests.Reports;

/// <summary>The reports REST API on SQLite and PostgreSQL over <see cref="EnergyTestPark"/> (grid 6,480 kWh × 0.5306 kgCO2/kWh =
/// 3.438288 t location-based scope 2 in January–February 2025).</summary>
public abstract class ReportApiTests(ApiServer server) : ApiTestBase(server)
{
    private Task<string> SeedAsync() => SeedParkAsync((store, park) => EnergyTestPark.SeedAsync(store, park));

    [Fact]
    public async Task A_carbon_accountant_generates_reports_and_sets_schedules_through_the_api_like_on_the_page_a_viewer_may_not()
    {
        var park = await SeedAsync();
        const string pw = "report-access-password";
        async Task<HttpClient> UserAsync(UserRole role)
        {
            var name = "u" + Guid.NewGuid().ToString("N")[..8];
            await Server.Store.Users.CreateUserAsync(name, pw, role, [park], "test");
            return await Server.SignedInClientAsync(name, pw);
        }
        using var accountant = await UserAsync(UserRole.CarbonAccountant);
        var saved = await (await accountant.PostJsonAsync($"/api/parks/{park}/carbon/inventories", """{"from":"2025-01-01","to":"2025-02-28"}""")).ExpectAsync(HttpStatusCode.OK);
        var id = saved.GetProperty("inventory").GetProperty("inventory_id").GetInt64();
        var r = await (await accountant.PostJsonAsync($"/api/parks/{park}/reports", $$"""{"kind":"ghg_inventory","lang":"en","inventory":{{id}},"pdf":false}"""))
            .ExpectAsync(HttpStatusCode.OK);
        var reportId = r.GetProperty("id").GetInt64();
        // 6,480 kWh × 0.5306 kgCO2/kWh = 3,438.288 kg = 3.438 t location-based scope 2.
        var html = await accountant.GetStringAsync($"/api/parks/{park}/reports/{reportId}/file?format=html");
        Assert.Contains("<td>Scope 2 purchased energy (location-based)</td><td class=\"num\">3.438</td>", html, StringComparison.Ordinal);
        await (await accountant.PostJsonAsync($"/api/parks/{park}/reports", """{"kind":"monthly_energy","lang":"zh","month":"2025-02","pdf":false}""")).ExpectAsync(HttpStatusCode.OK);
        await (await accountant.PutJsonAsync($"/api/parks/{park}/reports/templates/ghg_inventory", """{"title":"碳盘查报告","sections":["emissions"]}""")).ExpectAsync(HttpStatusCode.OK);
        await (await accountant.PostJsonAsync($"/api/parks/{park}/reports/schedules", """{"kind":"ghg_inventory","every":"year","recipients":["cfo@example.com"]}"""))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, (await accountant.GetJsonAsync($"/api/parks/{park}/reports")).Items().Count);
        // The scheduler runs every park's due reports: not a carbon accountant's call (as before: administrator, energy manager).
        await (await accountant.PostAsync($"/api/parks/{park}/reports/schedules/run", null)).ExpectProblemAsync(HttpStatusCode.Forbidden);

        using var viewer = await UserAsync(UserRole.Viewer);
        Assert.Equal(2, (await viewer.GetJsonAsync($"/api/parks/{park}/reports")).Items().Count);
        await (await viewer.PostJsonAsync($"/api/parks/{park}/reports", """{"kind":"monthly_energy","lang":"zh","month":"2025-02","pdf":false}""")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        using var entry = await UserAsync(UserRole.DataEntry);
        await (await entry.PostJsonAsync($"/api/parks/{park}/reports/schedules", """{"kind":"monthly_energy","every":"month"}""")).ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Finalize_seals_the_seals_route_verifies_and_names_a_tampered_result()
    {
        var park = await SeedAsync();
        var saved = await (await Client.PostJsonAsync($"/api/parks/{park}/carbon/inventories", """{"from":"2025-01-01","to":"2025-02-28"}""")).ExpectAsync(HttpStatusCode.OK);
        var id = saved.GetProperty("inventory").GetProperty("inventory_id").GetInt64();
        await (await Client.PostAsync($"/api/parks/{park}/carbon/inventories/{id}/finalize", null)).ExpectAsync(HttpStatusCode.OK);
        var ok = await Client.GetJsonAsync($"/api/parks/{park}/seals");
        Assert.True(ok.GetProperty("all_hold").GetBoolean());
        var head = ok.Str("chain_head");
        Assert.Equal(64, head.Length);

        await using (var c = await Server.Store.OpenConnectionAsync())
            Assert.Equal(1, await c.ExecuteAsync("UPDATE carbon_inventories SET scope1_t = 1 WHERE id = @id", new { id }));
        var bad = await Client.GetJsonAsync($"/api/parks/{park}/seals");
        Assert.False(bad.GetProperty("all_hold").GetBoolean());
        var inv = Assert.Single(bad.Items("inventories"));
        Assert.Equal("changed", inv.Str("status"));
        // Scope 1 was 0 t (no combustion in the test park), 1 t now.
        Assert.Contains("result totals: scope1_t 0 → 1", inv.Items("changes").Select(x => x.GetString()));
    }

    [Fact]
    public async Task Generate_list_download_template_schedule_and_disclosure()
    {
        var park = await SeedAsync();
        var saved = await (await Client.PostJsonAsync($"/api/parks/{park}/carbon/inventories", """{"from":"2025-01-01","to":"2025-02-28"}""")).ExpectAsync(HttpStatusCode.OK);
        var id = saved.GetProperty("inventory").GetProperty("inventory_id").GetInt64();
        var tpl = await (await Client.PutJsonAsync($"/api/parks/{park}/reports/templates/ghg_inventory", """{"title":"Carbon 2025","sections":["emissions","factors"]}"""))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Carbon 2025", tpl.Str("title"));
        await (await Client.PutJsonAsync($"/api/parks/{park}/reports/templates/ghg_inventory", """{"sections":["nope"]}""")).ExpectValidationProblemAsync("sections");

        var r = await (await Client.PostJsonAsync($"/api/parks/{park}/reports", $$"""{"kind":"ghg_inventory","lang":"en","inventory":{{id}},"pdf":false}"""))
            .ExpectAsync(HttpStatusCode.OK);
        var reportId = r.GetProperty("id").GetInt64();
        Assert.Equal("Carbon 2025", r.Str("title"));
        Assert.Null(r.GetProperty("seal_hash").GetString());   // a draft version: not sealed
        var list = (await Client.GetJsonAsync($"/api/parks/{park}/reports")).Items();
        Assert.Equal(reportId, Assert.Single(list).GetProperty("id").GetInt64());
        var html = await Client.GetStringAsync($"/api/parks/{park}/reports/{reportId}/file?format=html");
        Assert.Contains("<td>Scope 2 purchased energy (location-based)</td><td class=\"num\">3.438</td>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-section=\"trace\"", html, StringComparison.Ordinal);
        var xlsx = await Client.GetByteArrayAsync($"/api/parks/{park}/reports/{reportId}/file?format=xlsx");
        Assert.Contains(ReportSuite.Sheet(xlsx, "factors"), row => row.Contains("0.5306"));
        await (await Client.GetAsync($"/api/parks/{park}/reports/{reportId}/file?format=pdf")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await Client.PostJsonAsync($"/api/parks/{park}/reports", """{"kind":"weekly","lang":"en"}""")).ExpectValidationProblemAsync("kind");

        var s = await (await Client.PostJsonAsync($"/api/parks/{park}/reports/schedules", """{"kind":"monthly_energy","every":"month","recipients":["ops@example.com"]}"""))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("month", s.Str("every"));
        await (await Client.PostJsonAsync($"/api/parks/{park}/reports/schedules", """{"kind":"monthly_energy","every":"month"}""")).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Single((await Client.GetJsonAsync($"/api/parks/{park}/reports/schedules")).Items());

        var pack = await Client.GetJsonAsync($"/api/parks/{park}/disclosure?year=2025");
        var gri = pack.Items("frameworks").Single(f => f.Str("code") == "gri");
        // No saved inventory covers 2025 as a year: the pack computes it (a note says so), 3.438288 t location-based.
        Assert.Equal(3.438288, gri.Items("metrics").Single(m => m.Str("code") == "305-2-lb").Num("value")!.Value, 1e-6);
        Assert.Contains(pack.Items("notes"), n => n.GetString()!.StartsWith("no saved 2025 inventory", StringComparison.Ordinal));
        var packXlsx = await Client.GetByteArrayAsync($"/api/parks/{park}/disclosure?year=2025&format=xlsx");
        Assert.Contains(ReportSuite.Sheet(packXlsx, "completeness"), row => row[0] == "gri");
    }
}

public sealed class SqliteReportApiTests(SqliteApiServer server) : ReportApiTests(server), IClassFixture<SqliteApiServer>;

public sealed class PostgresReportApiTests(PostgresApiServer server) : ReportApiTests(server), IClassFixture<PostgresApiServer>;
