using System.Net;
using System.Text;
using ZeroPark.Application;
using ZeroPark.Tests.Api;
using ZeroPark.Tests.EnergyManagement;

namespace ZeroPark.Tests.CarbonAccounting;

/// <summary>The carbon REST API through the in-memory server on SQLite and PostgreSQL, over the hand-worked park of
/// <see cref="EnergyTestPark"/> (grid 6,480 kWh over 2025-01-31..02-01; national 2023 factor 0.5306).</summary>
public abstract class CarbonApiTests(ApiServer server)
{
    private HttpClient Client => server.Client;

    private async Task<string> SeedAsync()
    {
        var park = EnergyTestPark.NewParkCode();
        await using var store = await ZeroParkStore.OpenAsync(server.Database);
        await EnergyTestPark.SeedAsync(store, park);
        return park;
    }

    private const string Period = "from=2025-01-31&to=2025-02-01";

    [Fact]
    public async Task Activities_inventory_explain_save_and_finalize()
    {
        var park = await SeedAsync();
        var csv = "date,source,material,amount,unit,scope3_category,note\n2025-02-01,sf6_leak,SF6,3,kg,,GIS\n2025-02-01,sf6_leak,SF6,-1,kg,,bad\n";
        var imp = await (await Client.PostAsync($"/api/parks/{park}/carbon/activities", new StringContent(csv, Encoding.UTF8, "text/csv"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, imp.Num("accepted"));
        var rejected = Assert.Single(imp.Items("rejected"));
        Assert.Equal(3, rejected.Num("line"));
        Assert.Contains("amount: negative", rejected.Str("reason"), StringComparison.Ordinal);

        var inv = await Client.GetJsonAsync($"/api/parks/{park}/carbon/inventory?{Period}&gwp=AR5");
        // SF6 3 kg × 23,500 (AR5) / 1000 = 70.5 t; grid 6,480 × 0.5306 / 1000 = 3.438288 t.
        Assert.Equal(70.5, inv.Num("scope1_t")!.Value, 1e-9);
        Assert.Equal(3.438288, inv.Num("scope2_location_t")!.Value, 1e-9);
        var sf6 = inv.Items("lines").Single(l => l.Str("source") == "sf6_leak");
        var explain = await Client.GetJsonAsync($"/api/parks/{park}/carbon/explain?line={sf6.Str("id")}&{Period}&gwp=AR5");
        Assert.Contains(explain.Items("trace"), s => s.GetString()!.Contains("CO2e = 3 kg × 23,500 / 1000 = 70.5 tCO2e", StringComparison.Ordinal));

        var saved = await (await Client.PostJsonAsync($"/api/parks/{park}/carbon/inventories", $$"""{"from":"2025-01-31","to":"2025-02-01","gwp":"AR5"}"""))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.True(saved.GetProperty("created").GetBoolean());
        var id = saved.GetProperty("inventory").GetProperty("inventory_id").GetInt64();
        var fin = await (await Client.PostAsync($"/api/parks/{park}/carbon/inventories/{id}/finalize", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("final", fin.Str("status"));
        await (await Client.PostAsync($"/api/parks/{park}/carbon/inventories/{id}/finalize", null)).ExpectProblemAsync(HttpStatusCode.Conflict);
        var line = await Client.GetJsonAsync($"/api/parks/{park}/carbon/inventories/{id}/explain/{sf6.Str("id")}");
        Assert.Equal(70.5, line.Num("co2e_t")!.Value, 1e-9);
        var list = (await Client.GetJsonAsync($"/api/parks/{park}/carbon/inventories")).Items();
        Assert.Equal("final", Assert.Single(list).Str("status"));
    }

    [Fact]
    public async Task Instruments_series_analysis_factors_and_errors()
    {
        var park = await SeedAsync();
        await (await Client.PostJsonAsync($"/api/parks/{park}/carbon/instruments",
            """{"kind":"green_power","quantity":1.48,"cover_from":"2025-01-31","cover_to":"2025-02-01","reference":"GP-7"}""")).ExpectAsync(HttpStatusCode.OK);
        var inv = await Client.GetJsonAsync($"/api/parks/{park}/carbon/inventory?{Period}");
        // 1.48 MWh green power covers 1,480 kWh; (6,480 − 1,480) × 0.6096 / 1000 = 3.048 t.
        Assert.Equal(3.048, inv.Num("scope2_market_t")!.Value, 1e-9);

        var series = (await Client.GetJsonAsync($"/api/parks/{park}/carbon/series?from=2025-01-31&to=2025-01-31&by=hour")).Items();
        Assert.Equal(24, series.Count);
        Assert.Equal(0.68978, series[0].Num("cue_kg_per_kwh")!.Value, 1e-9);   // 130 kWh × 0.5306 / 100 kWh IT

        var analysis = await Client.GetJsonAsync($"/api/parks/{park}/carbon/analysis?{Period}");
        Assert.Equal("purchased_electricity", analysis.Items("statistics")[0].Str("key"));

        var factors = (await Client.GetJsonAsync("/api/carbon/factors?material=electricity_residual&valid_on=2025-06-01")).Items();
        Assert.Equal(0.6096, Assert.Single(factors).Num("value"));
        var csv = await Client.GetStringAsync("/api/carbon/factors?dataset=ETS&format=csv");
        Assert.Contains("0.5703", csv, StringComparison.Ordinal);
        var post = await (await Client.PostAsync("/api/carbon/factors", new StringContent(
            "dataset,material,gas,value,unit,valid_from\nMY-LCA,air_economy,CO2e,0.15,kgCO2e/pkm,2020-01-01\nMY-LCA,x,CO2e,abc,kgCO2e/pkm,2020-01-01\n", Encoding.UTF8, "text/csv")))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("added", Assert.Single(post.Items("stored")).Str("outcome"));
        Assert.Equal(3, Assert.Single(post.Items("rejected")).Num("line"));

        await (await Client.GetAsync($"/api/parks/{park}/carbon/inventory?{Period}&method=magic")).ExpectValidationProblemAsync("carbon");
        await (await Client.GetAsync($"/api/parks/{park}/carbon/inventory?from=2025-01-31")).ExpectValidationProblemAsync("to");
        await (await Client.GetAsync($"/api/parks/nowhere/carbon/inventory?{Period}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        var doc = await (await Client.GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync();
        Assert.Contains("/api/parks/{park}/carbon/inventory", doc, StringComparison.Ordinal);
        Assert.Contains("/api/carbon/factors", doc, StringComparison.Ordinal);
    }
}

/// <summary>Who may do what on the carbon routes: a data-entry operator may import activity records but not change factors or save
/// inventories; a carbon accountant may; a viewer reads only; a park not granted answers 404; the audit log names the signed-in user.</summary>
public abstract class CarbonAccessTests(ApiServer server)
{
    private const string Pw = "carbon-access-password";

    private string _last = "";

    private async Task<HttpClient> UserAsync(ZeroPark.Application.Users.UserRole role, params string[] parks)
    {
        _last = "c" + Guid.NewGuid().ToString("N")[..8];
        await server.Store.Users.CreateUserAsync(_last, Pw, role, parks, "test");
        return await server.SignedInClientAsync(_last, Pw);
    }

    [Fact]
    public async Task Roles_and_parks_govern_the_carbon_routes()
    {
        var park = EnergyTestPark.NewParkCode();
        await using (var store = await ZeroParkStore.OpenAsync(server.Database)) await EnergyTestPark.SeedAsync(store, park);
        const string csv = "date,source,material,amount,unit,scope3_category,note\n2025-02-01,sf6_leak,SF6,1,kg,,GIS\n";
        var factor = "dataset,material,gas,value,unit,valid_from\nMY,steel,CO2e,2,tCO2e/t,2020-01-01\n";

        using var entry = await UserAsync(ZeroPark.Application.Users.UserRole.DataEntry, park);
        await (await entry.PostAsync($"/api/parks/{park}/carbon/activities", new StringContent(csv, Encoding.UTF8, "text/csv"))).ExpectAsync(HttpStatusCode.OK);
        await (await entry.PostAsync("/api/carbon/factors", new StringContent(factor, Encoding.UTF8, "text/csv"))).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await entry.PostJsonAsync($"/api/parks/{park}/carbon/inventories", """{"year":"2025"}""")).ExpectProblemAsync(HttpStatusCode.Forbidden);

        using var viewer = await UserAsync(ZeroPark.Application.Users.UserRole.Viewer, park);
        await viewer.GetJsonAsync($"/api/parks/{park}/carbon/inventory?year=2025");
        await (await viewer.PostAsync($"/api/parks/{park}/carbon/activities", new StringContent(csv, Encoding.UTF8, "text/csv"))).ExpectProblemAsync(HttpStatusCode.Forbidden);

        using var accountant = await UserAsync(ZeroPark.Application.Users.UserRole.CarbonAccountant, park);
        var accountantName = _last;
        await (await accountant.PostAsync("/api/carbon/factors", new StringContent(factor, Encoding.UTF8, "text/csv"))).ExpectAsync(HttpStatusCode.OK);
        var saved = await (await accountant.PostJsonAsync($"/api/parks/{park}/carbon/inventories", """{"year":"2025"}""")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(saved.GetProperty("created").GetBoolean());
        var audit = (await server.Client.GetJsonAsync($"/api/parks/{park}/audit")).Items();
        Assert.Contains(audit, a => a.Str("entity") == "inventory" && a.Str("user") == accountantName);

        var otherPark = EnergyTestPark.NewParkCode();
        await using (var store = await ZeroParkStore.OpenAsync(server.Database)) await EnergyTestPark.SeedAsync(store, otherPark);
        using var other = await UserAsync(ZeroPark.Application.Users.UserRole.CarbonAccountant, otherPark);
        await (await other.GetAsync($"/api/parks/{park}/carbon/inventory?year=2025")).ExpectProblemAsync(HttpStatusCode.NotFound);
        using var anonymous = server.NewClient();
        await (await anonymous.GetAsync($"/api/parks/{park}/carbon/inventory?year=2025")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        await (await anonymous.GetAsync("/api/carbon/factors")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }
}

public sealed class SqliteCarbonAccessTests(SqliteApiServer server) : CarbonAccessTests(server), IClassFixture<SqliteApiServer>;

public sealed class PostgresCarbonAccessTests(PostgresApiServer server) : CarbonAccessTests(server), IClassFixture<PostgresApiServer>;

public sealed class SqliteCarbonApiTests(SqliteApiServer server) : CarbonApiTests(server), IClassFixture<SqliteApiServer>;

public sealed class PostgresCarbonApiTests(PostgresApiServer server) : CarbonApiTests(server), IClassFixture<PostgresApiServer>;
