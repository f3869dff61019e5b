using System.Net;
using ZeroPark.Application;
using ZeroPark.Tests.Api;

namespace ZeroPark.Tests.EnergyManagement;

/// <summary>The plan, assessment and device routes under <c>/api/parks/{park}/energy/</c> through the in-memory server on SQLite and
/// PostgreSQL, each test over its own copy of <see cref="PlanTestPark"/> (daily figures in its summary).</summary>
public abstract class PlanApiTests(ApiServer server) : ApiTestBase(server)
{
    private Task<string> SeedAsync() => SeedParkAsync((store, park) => PlanTestPark.SeedAsync(store, park));

    [Fact]
    public async Task Plans_are_set_listed_decomposed_and_tracked()
    {
        var park = await SeedAsync();
        var url = $"/api/parks/{park}/energy/plans";
        var set = await (await Client.PutJsonAsync(url, """{"carrier": "electricity", "year": 2025, "amount": 1460, "unit": "MWh"}""")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((park, "2025", 1_460_000.0, "kWh", "api.tester"), (set.Str("node"), set.Str("period"), set.Num("amount")!.Value, set.Str("unit"), set.Str("updated_by")));   // the signed-in API test user
        await (await Client.PutJsonAsync(url, """{"node": "b1", "carrier": "electricity", "year": 2025, "month": 1, "amount": 45000}""")).ExpectAsync(HttpStatusCode.OK);
        var list = (await Client.GetJsonAsync($"{url}?year=2025&carrier=electricity")).Items();
        Assert.Equal([("2025", park), ("2025-01", "b1")], list.Select(p => (p.Str("period"), p.Str("node"))));

        // Decompose 1,460,000 by 2024 actuals: b1 and b2 1,400 × 366 each, b3 700 × 366 → 584,000, 584,000, 292,000.
        var d = await (await Client.PostJsonAsync($"{url}/decompose", """{"carrier": "electricity", "year": 2025}""")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(d.GetProperty("applied").GetBoolean());
        Assert.Equal([584_000.0, 584_000, 292_000], d.Items("buildings").Select(b => b.Num("plan")!.Value));
        // b1 keeps its January plan 45,000; the other months share 584,000 − 45,000 = 539,000 by days (334).
        // As of 2025-01-31: actual 1,300 × 31 = 40,300 = 6.90 % of the annual plan 584,000.
        var p = await Client.GetJsonAsync($"{url}/progress?node=b1&carrier=electricity&year=2025&as_of=2025-01-31");
        Assert.Equal(45_000, p.Items("months")[0].Num("plan")!.Value, 6);
        Assert.Equal(40_300, p.Num("actual_to_date")!.Value, 6);
        Assert.Equal(Math.Round(40_300 / 584_000.0 * 100, 2), p.Num("progress_pct")!.Value, 6);
        Assert.Equal(Math.Round(539_000.0 * 28 / 334, 3), p.Items("months")[1].Num("plan")!.Value, 6);

        await (await Client.PutJsonAsync(url, """{"carrier": "steam", "year": 2025, "amount": 1}""")).ExpectValidationProblemAsync("carrier");
        await (await Client.PutJsonAsync(url, """{"carrier": "water", "year": 2025, "amount": 1, "colour": "red"}""")).ExpectAsync(HttpStatusCode.BadRequest);
        await (await Client.PutJsonAsync(url, """{"node": "b9", "carrier": "water", "year": 2025, "amount": 1}""")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await Client.GetAsync($"{url}/progress?carrier=water&year=2025&as_of=2025-13-01")).ExpectValidationProblemAsync("as_of");
        var doc = await (await Client.GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync();
        foreach (var route in new[] { "plans", "plans/progress", "plans/decompose", "assess", "top", "warnings", "racks", "equipment", "balance", "balance-groups" })
            Assert.Contains($"/api/parks/{{park}}/energy/{route}\"", doc, StringComparison.Ordinal);
        Assert.Contains("\"/api/energy/assess\"", doc, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assessment_and_device_routes()
    {
        var park = await SeedAsync();
        var e = $"/api/parks/{park}/energy";
        var a = await Client.GetJsonAsync($"{e}/assess?year=2025&as_of=2025-06-30");
        // PUE b1 1,300 / 1,000 = 1.3; b2 265,800 / 181,000 = 1.468508; b3 676 / 520 = 1.3 → ranks 1, 3, 1.
        Assert.Equal([1, 3, 1], a.Items("nodes").Select(b => b.GetProperty("rank_pue").GetInt32()));
        Assert.Equal(1.468508, a.Items("nodes")[1].Num("pue")!.Value, 6);
        // b2's May PUE 1.8: own history (mean 1.4) and peers (median 1.3).
        Assert.Equal([("b2", "2025-05", "own_history"), ("b2", "2025-05", "peers")],
            a.Items("anomalies").Select(x => (x.Str("node"), x.Str("month"), x.Str("basis"))).OrderBy(x => x.Item3));
        var top = (await Client.GetJsonAsync($"{e}/top?from=2025-06-01&to=2025-06-30&n=1&system=cooling")).Items();
        Assert.Equal(("b1_chiller", 9_000.0), (top.Single().Str("meter"), top.Single().Num("value")!.Value));   // 300 × 30
        var w = (await Client.GetJsonAsync($"{e}/warnings?from=2025-06-01&to=2025-06-30&threshold=20")).Items().Single();
        Assert.Equal(50, w.Num("excess_pct")!.Value, 6);                                                          // 300 vs 200 a day
        var racks = (await Client.GetJsonAsync($"{e}/racks?from=2025-06-01&to=2025-06-30&node=b1&by=month")).Items();
        Assert.Equal([18_000.0, 12_000], racks.Select(r => r.Num("it_kwh")!.Value));                             // 30 × 600, 30 × 400
        var eq = await Client.GetJsonAsync($"{e}/equipment?system=power&from=2025-06-01&to=2025-06-30");
        Assert.Equal(1_500, eq.Items("types").Single(t => t.Str("type") == "ups").Num("kwh")!.Value, 6);          // 50 × 30
        var b = (await Client.GetJsonAsync($"{e}/balance?master=b1_in&sub=b1_tx&from=2025-06-01&to=2025-06-30&tolerance=2")).Items().Single();
        var row = b.Items("rows").Single();
        Assert.Equal(900, row.Num("imbalance_kwh")!.Value, 6);                                                   // (1,300 − 1,270) × 30
        Assert.True(row.GetProperty("flagged").GetBoolean());
        var x = await Client.GetAsync($"{e}/assess?year=2025&as_of=2025-06-30&format=xlsx");
        Assert.Equal(HttpStatusCode.OK, x.StatusCode);
        var sheet = TariffTestData.ReadSheet(await x.Content.ReadAsByteArrayAsync(), "nodes");
        Assert.Equal(235_300, TariffTestData.Number(sheet, 1, "energy_kwh"), 6);                                  // 1,300 × 181
        var group = await (await Client.PutJsonAsync($"{e}/balance-groups", """{"code": "b1-ups", "master": "b1_ups_in", "sub": "b1_ups_out", "tolerance_pct": 5}"""))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(("b1-ups", 5.0, "api.tester"), (group.Str("code"), group.Num("tolerance_pct")!.Value, group.Str("updated_by")));
        Assert.Equal("b1-ups", (await Client.GetJsonAsync($"{e}/balance-groups")).Items().Single().Str("code"));
        // (1,050 − 1,000) / 1,050 = 4.761905 % ≤ 5 → not flagged.
        var ups = (await Client.GetJsonAsync($"{e}/balance?from=2025-06-01&to=2025-06-30")).Items().Single();
        Assert.False(ups.Items("rows").Single().GetProperty("flagged").GetBoolean());
        await (await Client.PutJsonAsync($"{e}/balance-groups", """{"code": "x", "master": "nope", "sub": "b1_tx"}""")).ExpectValidationProblemAsync("master");
        var parks = await Client.GetJsonAsync("/api/energy/assess?year=2025&as_of=2025-06-30");
        Assert.Equal("park", parks.Str("level"));
        Assert.Contains(parks.Items("nodes"), n => n.Str("node") == park && n.Num("energy_kwh") == 623_456);   // 235,300 + 265,800 + 122,356
        await (await Client.GetAsync($"{e}/balance?master=b1_in&from=2025-06-01&to=2025-06-30")).ExpectValidationProblemAsync("sub");
        await (await Client.GetAsync($"{e}/racks?from=2025-06-01&to=2025-06-30&by=hour")).ExpectValidationProblemAsync("by");
        await (await Client.GetAsync($"{e}/top?from=2025-06-01&to=2025-06-30&node=b9")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }
}

public sealed class SqlitePlanApiTests(SqliteApiServer server) : PlanApiTests(server), IClassFixture<SqliteApiServer>;

public sealed class PostgresPlanApiTests(PostgresApiServer server) : PlanApiTests(server), IClassFixture<PostgresApiServer>;
