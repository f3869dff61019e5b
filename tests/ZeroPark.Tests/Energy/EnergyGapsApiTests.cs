using System.Net;
using ZeroPark.Metering;
using ZeroPark.Application;
using ZeroPark.Tests.Api;

namespace ZeroPark.Tests.EnergyManagement;

/// <summary>The REST side of CER, MoM/YoY, flows by carrier, voltage levels and the group plan decomposition, through the in-memory
/// server on SQLite and PostgreSQL (figures worked out in <see cref="EnergyGapsSuite"/>).</summary>
public abstract class EnergyGapsApiTests(ApiServer server)
{
    private HttpClient Client => server.Client;

    [Fact]
    public async Task Kpi_mom_yoy_flow_carriers_and_voltage_levels()
    {
        var park = EnergyTestPark.NewParkCode();
        await using (var store = await ZeroParkStore.OpenAsync(server.Database)) await PlanTestPark.SeedAsync(store, park);
        // b1, March 2025 against February 2025 (+10.71 % energy) and March 2024 (PUE 1.4 → 1.3: −7.14 %).
        var row = (await Client.GetJsonAsync($"/api/parks/{park}/energy/kpi?node=b1&from=2025-03-01&to=2025-03-31&by=month")).Items().Single();
        Assert.Equal(10.71, row.GetProperty("mom").GetProperty("change_pct").Num("total_kwh"));
        Assert.Equal(-7.14, row.GetProperty("yoy").GetProperty("change_pct").Num("pue"));
        Assert.Null(row.Num("cer"));
        Assert.Contains(row.Items("notes"), n => n.GetString()!.StartsWith("cer: ", StringComparison.Ordinal));
        // Water flow of b1 in March 2025: 2 m³ a day × 31 = 62 m³ from b1_water to the cooling towers.
        var w = (await Client.GetJsonAsync($"/api/parks/{park}/energy/flow?node=b1&from=2025-03-01&to=2025-03-31&by=total&carrier=water")).Items().Single();
        Assert.Equal(("water", "m3"), (w.Str("carrier"), w.Str("unit")));
        Assert.Equal(62, w.Items("links").Single(l => l.Str("target") == "use:cooling.tower").Num("value"));
        // Heat flow: no reused-heat meter, IT 1,000 kWh a day → all 31,000 kWh rejected.
        var h = (await Client.GetJsonAsync($"/api/parks/{park}/energy/flow?node=b1&from=2025-03-01&to=2025-03-31&by=total&carrier=heat")).Items().Single();
        Assert.Equal(31_000, h.Items("links").Single(l => l.Str("target") == "rejected").Num("kwh"));
        await (await Client.GetAsync($"/api/parks/{park}/energy/flow?from=2025-03-01&to=2025-03-31&carrier=gas")).ExpectValidationProblemAsync("carrier");
        // Losses by voltage level of b1 in March: transformer 30 × 31 = 930 kWh (10 kV), UPS 50 × 31 = 1,550 kWh (0.4 kV).
        var eq = await Client.GetJsonAsync($"/api/parks/{park}/energy/equipment?system=power&from=2025-03-01&to=2025-03-31&by=total");
        Assert.Equal([("10kv", 930.0), ("0.4kv", 1550.0)], eq.Items("voltage_levels").Select(l => (l.Str("level"), l.Num("kwh")!.Value)));
        // Cost rows carry mom / yoy too (no tariff here: costs null, energies compared).
        var cost = (await Client.GetJsonAsync($"/api/parks/{park}/energy/cost?node=b1&from=2025-03-01&to=2025-03-31&by=month")).Items().Single();
        Assert.Equal(10.71, cost.GetProperty("mom").GetProperty("change_pct").Num("energy_kwh"));
        var doc = await (await Client.GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync();
        Assert.Contains("/api/energy/plans/decompose-group", doc, StringComparison.Ordinal);
        Assert.Contains("carrier = electricity (default) | water | heat", doc, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Group_plan_decomposition_across_parks()
    {
        var p1 = EnergyTestPark.NewParkCode();
        var g2 = EnergyTestPark.NewParkCode();
        await using (var store = await ZeroParkStore.OpenAsync(server.Database))
        {
            await PlanTestPark.SeedAsync(store, p1);
            await store.Registry.CreateParkAsync(new ParkDraft(g2, "Second data center"));
            await store.Registry.CreateMetersAsync(g2, [new MeterDraft("in", "in", "electricity", "interval", "kWh") { IntervalMinutes = 1440, Role = "facility_input" }]);
            await store.Readings.IngestAsync(g2, [new RawPoint("in", new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.FromHours(8)), 427_000, 1)], new IngestSource("test", "tester"));
        }
        // 2,000 MWh by 2024 consumption: 1,281,000 and 427,000 kWh → 1,500,000 and 500,000 kWh (dry run: nothing stored).
        var d = await (await Client.PostJsonAsync("/api/energy/plans/decompose-group",
            $$"""{"carrier": "electricity", "year": 2025, "amount": 2000, "unit": "MWh", "parks": ["{{p1}}", "{{g2}}"], "dry_run": true}""")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([1_500_000.0, 500_000], d.Items("parks").Select(p => p.Num("plan")!.Value));
        Assert.False(d.GetProperty("applied").GetBoolean());
        Assert.Empty((await Client.GetJsonAsync($"/api/parks/{g2}/energy/plans?year=2025")).Items());
        await (await Client.PostJsonAsync("/api/energy/plans/decompose-group", $$"""{"carrier": "electricity", "year": 2025, "amount": -1, "parks": ["{{p1}}"]}"""))
            .ExpectValidationProblemAsync("amount");
        await (await Client.PostJsonAsync("/api/energy/plans/decompose-group", """{"carrier": "electricity", "year": 2025, "amount": 1, "parks": ["nowhere"]}"""))
            .ExpectProblemAsync(HttpStatusCode.NotFound);
    }
}

public sealed class SqliteEnergyGapsApiTests(SqliteApiServer server) : EnergyGapsApiTests(server), IClassFixture<SqliteApiServer>;

public sealed class PostgresEnergyGapsApiTests(PostgresApiServer server) : EnergyGapsApiTests(server), IClassFixture<PostgresApiServer>;
