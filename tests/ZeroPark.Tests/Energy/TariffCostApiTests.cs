using System.Net;
using ZeroPark.Application;
using ZeroPark.Tests.Api;

namespace ZeroPark.Tests.EnergyManagement;

/// <summary>POST/GET /api/parks/{park}/tariffs, GET /api/parks/{park}/energy/cost and <c>?format=xlsx</c> of the energy tables,
/// through the in-memory server on SQLite and PostgreSQL, over the hand-worked park of <see cref="EnergyTestPark"/>.</summary>
public abstract class TariffCostApiTests(ApiServer server) : ApiTestBase(server)
{
    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private Task<string> SeedAsync() => SeedParkAsync((store, park) => EnergyTestPark.SeedAsync(store, park));

    private static string WithValidFrom(string json, string validFrom) => """{"valid_from": """ + "\"" + validFrom + "\", " + json.TrimStart()[1..];

    [Fact]
    public async Task Tariffs_are_created_listed_and_price_the_cost()
    {
        var park = await SeedAsync();
        var created = await (await Client.PostJsonAsync($"/api/parks/{park}/tariffs", WithValidFrom(TariffTestData.JsonA, "2025-01-01"))).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("2025-01-01", created.Str("valid_from"));
        Assert.Equal(ZeroPark.Tests.Api.ApiServer.UserName, created.Str("created_by"));   // the signed-in user
        // Version B from Feb 1 (a change between the two days): Σ of the 24 hourly prices in February = 8 × 0.28 + 9 × 0.62 + 7 × 1.00 = 14.82.
        await (await Client.PostJsonAsync($"/api/parks/{park}/tariffs", WithValidFrom(TariffTestData.JsonB, "2025-02-01"))).ExpectAsync(HttpStatusCode.Created);
        await (await Client.PostJsonAsync($"/api/parks/{park}/tariffs", WithValidFrom(TariffTestData.JsonB, "2025-02-01"))).ExpectProblemAsync(HttpStatusCode.Conflict);
        var list = (await Client.GetJsonAsync($"/api/parks/{park}/tariffs")).Items();
        Assert.Equal(["2025-01-01", "2025-02-01"], list.Select(v => v.Str("valid_from")));
        Assert.Equal([7, 8], list[0].Items("schedule")[6].Items("months").Select(m => m.GetInt32()));

        // Jan 31 (A): 130 × 15.60 = 2,028.00; Feb 1 (B): 140 × 14.82 = 2,074.80; total 4,102.80 for 6,480 kWh.
        // IT: 100 × 15.60 + 100 × 14.82 = 3,042.00.
        var total = (await Client.GetJsonAsync($"/api/parks/{park}/energy/cost?from=2025-01-31&to=2025-02-01&by=total")).Items().Single();
        Assert.Equal(6480, total.Num("energy_kwh")!.Value, 6);
        Assert.Equal(4102.8, total.Num("cost_cny")!.Value, 6);
        Assert.Equal(3042.0, total.Num("it_cost_cny")!.Value, 6);
        Assert.Equal(["2025-01-01", "2025-02-01"], total.Items("tariff_versions").Select(v => v.GetString()));
        var days = (await Client.GetJsonAsync($"/api/parks/{park}/energy/cost?from=2025-01-31&to=2025-02-01&by=day")).Items();
        Assert.Equal(2074.8, days[1].Num("cost_cny")!.Value, 6);
    }

    [Fact]
    public async Task Bad_tariffs_and_parameters_are_a_400_naming_the_field()
    {
        var park = await SeedAsync();
        var url = $"/api/parks/{park}/tariffs";
        await (await Client.PostJsonAsync(url, TariffTestData.JsonA)).ExpectValidationProblemAsync("valid_from");
        await (await Client.PostJsonAsync(url, """{"valid_from": "2025-01-01", "prices": {"peak": 1, "flat": 0.5}, "schedule": [{"start": 0, "end": 12, "period": "peak"}, {"start": 11, "end": 24, "period": "flat"}]}"""))
            .ExpectValidationProblemAsync("schedule[1]");
        await (await Client.PostJsonAsync(url, """{"valid_from": "2025-01-01", "prices": {"peak": 1}, "schedule": [{"start": 0, "end": 24, "period": "peak"}], "colour": "red"}"""))
            .ExpectAsync(HttpStatusCode.BadRequest);
        await (await Client.PostJsonAsync("/api/parks/nowhere/tariffs", WithValidFrom(TariffTestData.JsonA, "2025-01-01"))).ExpectProblemAsync(HttpStatusCode.NotFound);
        var cost = $"/api/parks/{park}/energy/cost";
        await (await Client.GetAsync($"{cost}?to=2025-02-01")).ExpectValidationProblemAsync("from");
        await (await Client.GetAsync($"{cost}?from=2025-01-31&to=2025-02-01&format=pdf")).ExpectValidationProblemAsync("format");
        await (await Client.GetAsync($"{cost}?from=2025-01-31&to=2025-02-01&node=b9")).ExpectProblemAsync(HttpStatusCode.NotFound);
        // No tariff yet: the cost is null and the note says why.
        var row = (await Client.GetJsonAsync($"{cost}?from=2025-01-31&to=2025-02-01&by=total")).Items().Single();
        Assert.Null(row.Num("cost_cny"));
        Assert.Contains(row.Items("notes"), n => n.GetString()!.Contains("no tariff version", StringComparison.Ordinal));
        var doc = await (await Client.GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync();
        Assert.Contains("/api/parks/{park}/energy/cost", doc, StringComparison.Ordinal);
        Assert.Contains("/api/parks/{park}/tariffs", doc, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_energy_table_is_available_as_xlsx()
    {
        var park = await SeedAsync();
        await (await Client.PostJsonAsync($"/api/parks/{park}/tariffs", WithValidFrom(TariffTestData.JsonA, "2025-01-01"))).ExpectAsync(HttpStatusCode.Created);
        foreach (var (table, sheet) in new[] { ("kpi", "kpi"), ("breakdown", "breakdown"), ("flow", "links"), ("cost", "cost") })
        {
            var r = await Client.GetAsync($"/api/parks/{park}/energy/{table}?from=2025-01-31&to=2025-02-01&by=month&format=xlsx");
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Equal(Xlsx, r.Content.Headers.ContentType?.MediaType);
            Assert.Contains($"{park}-{table}.xlsx", r.Content.Headers.ContentDisposition?.ToString() ?? "", StringComparison.Ordinal);
            var rows = TariffTestData.ReadSheet(await r.Content.ReadAsByteArrayAsync(), sheet);
            Assert.Equal("start", rows[0][0].Text);
            Assert.Equal((false, "2025-01-31T00:00:00+08:00"), rows[1][0]);
            if (table == "kpi") Assert.Equal(1.35, TariffTestData.Number(rows, 1, "pue"), 6);
            if (table == "cost") Assert.Equal(2028, TariffTestData.Number(rows, 1, "cost_cny"), 6);
            if (table == "breakdown") Assert.Equal(3240, TariffTestData.Number(rows, 1, "total_kwh"), 6);
        }
        // JSON stays the default.
        var json = (await Client.GetJsonAsync($"/api/parks/{park}/energy/breakdown?from=2025-01-31&to=2025-02-01&by=month")).Items();
        Assert.Equal("previous_month", json[1].GetProperty("mom").Str("basis"));
    }
}

public sealed class SqliteTariffCostApiTests(SqliteApiServer server) : TariffCostApiTests(server), IClassFixture<SqliteApiServer>;

public sealed class PostgresTariffCostApiTests(PostgresApiServer server) : TariffCostApiTests(server), IClassFixture<PostgresApiServer>;
