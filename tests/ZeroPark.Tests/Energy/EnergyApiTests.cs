using System.Net;
using ZeroPark.Application;
using ZeroPark.Tests.Api;

namespace ZeroPark.Tests.EnergyManagement;

/// <summary>GET /api/parks/{park}/energy/kpi|breakdown|flow through the in-memory server (<see cref="ApiServer"/>), on SQLite and
/// PostgreSQL. Each test seeds its own copy of the hand-worked park (<see cref="EnergyTestPark"/>) into the server's database.</summary>
public abstract class EnergyApiTests(ApiServer server)
{
    private HttpClient Client => server.Client;

    private async Task<string> SeedAsync(Func<string, int, bool>? skip = null)
    {
        var park = EnergyTestPark.NewParkCode();
        await using var store = await ZeroParkStore.OpenAsync(server.Database);
        await EnergyTestPark.SeedAsync(store, park, skip);
        return park;
    }

    [Fact]
    public async Task Kpi_rows_per_local_month()
    {
        var park = await SeedAsync();
        var rows = (await Client.GetJsonAsync($"/api/parks/{park}/energy/kpi?from=2025-01-31&to=2025-02-01&by=month")).Items();
        Assert.Equal(2, rows.Count);
        Assert.Equal(DateTimeOffset.Parse("2025-01-31T00:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture), rows[0].Time("start"));
        // Jan 31: PUE 3,240 / 2,400 = 1.35; CLF 600 / 2,400; PLF 192 / 2,400; ALF 48 / 2,400; WUE 3,600 L / 2,400 kWh.
        Assert.Equal(1.35, rows[0].Num("pue")!.Value, 6);
        Assert.Equal(0.25, rows[0].Num("clf")!.Value, 6);
        Assert.Equal(0.08, rows[0].Num("plf")!.Value, 6);
        Assert.Equal(0.02, rows[0].Num("alf")!.Value, 6);
        Assert.Equal(1.5, rows[0].Num("wue")!.Value, 6);
        Assert.Equal(100, rows[0].Num("completeness"));
        // Feb 1: 3,480 / 2,400 = 1.45.
        Assert.Equal(1.45, rows[1].Num("pue")!.Value, 6);
        // A building node (default bucketing: month): E_DC = grid only 3,120 → 1.30 and the −120 kWh remainder.
        var b1 = (await Client.GetJsonAsync($"/api/parks/{park}/energy/kpi?node=b1&from=2025-01-31&to=2025-01-31")).Items().Single();
        Assert.Equal(1.3, b1.Num("pue")!.Value, 6);
        Assert.Equal(-120, b1.GetProperty("inputs").Num("unmetered_kwh")!.Value, 6);
        Assert.Equal("2", b1.Str("gb40879_grade"));
    }

    [Fact]
    public async Task Breakdown_and_flow()
    {
        var park = await SeedAsync((m, h) => m == "chiller" && h == 5);
        // Jan 31 with one chiller reading (20 kWh) missing: cooling 580, remainder 20 kWh; completeness of cooling 47/48.
        var row = (await Client.GetJsonAsync($"/api/parks/{park}/energy/breakdown?from=2025-01-31&to=2025-01-31&by=day&detail=true")).Items().Single();
        Assert.Equal(580, row.Num("cooling_kwh")!.Value, 6);
        Assert.Equal(20, row.Num("unmetered_kwh")!.Value, 6);
        Assert.Equal(460, row.Items("systems").Single(s => s.Str("code") == "cooling.chiller").Num("kwh")!.Value, 6);   // 23 × 20
        Assert.Equal(97.92, row.Num("completeness"));                                                                  // 47 / 48
        var flow = (await Client.GetJsonAsync($"/api/parks/{park}/energy/flow?from=2025-01-31&to=2025-01-31&by=total")).Items().Single();
        Assert.False(flow.GetProperty("balanced").GetBoolean());
        Assert.Equal(20, flow.Items("links").Single(l => l.Str("target") == "unmetered").Num("kwh")!.Value, 6);
        Assert.Contains(flow.Items("nodes"), n => n.Str("id") == "loss.ups" && n.Str("kind") == "loss");
    }

    [Fact]
    public async Task Bad_parameters_are_a_400_naming_the_parameter_and_unknown_names_a_404()
    {
        var park = await SeedAsync();
        var kpi = $"/api/parks/{park}/energy/kpi";
        await (await Client.GetAsync($"{kpi}?to=2025-02-01")).ExpectValidationProblemAsync("from");
        await (await Client.GetAsync($"{kpi}?from=2025-02-02&to=2025-02-01")).ExpectValidationProblemAsync("to");
        await (await Client.GetAsync($"{kpi}?from=2025-01-31&to=2025-02-01&by=week")).ExpectValidationProblemAsync("by");
        await (await Client.GetAsync($"/api/parks/{park}/energy/breakdown?from=2025-01-31&to=2025-02-01&detail=maybe")).ExpectValidationProblemAsync("detail");
        await (await Client.GetAsync($"{kpi}?from=2025-01-31&to=2025-02-01&node=b9")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await Client.GetAsync("/api/parks/nowhere/energy/flow?from=2025-01-31&to=2025-02-01")).ExpectProblemAsync(HttpStatusCode.NotFound);
        // The routes are documented.
        var doc = await (await Client.GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync();
        Assert.Contains("/api/parks/{park}/energy/kpi", doc, StringComparison.Ordinal);
        Assert.Contains("/api/parks/{park}/energy/flow", doc, StringComparison.Ordinal);
    }
}

public sealed class SqliteEnergyApiTests(SqliteApiServer server) : EnergyApiTests(server), IClassFixture<SqliteApiServer>;

public sealed class PostgresEnergyApiTests(PostgresApiServer server) : EnergyApiTests(server), IClassFixture<PostgresApiServer>;
