using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ZeroPark.Application;
using ZeroPark.Tests.Api;
using ZeroPark.Tests.EnergyManagement;

namespace ZeroPark.Tests.NeutralityModule;

/// <summary>The neutrality REST API through the in-memory server on SQLite and PostgreSQL, over <see cref="EnergyTestPark"/>
/// (C_yw = 6,480 kWh × 0.5306 / 1000 = 3.438288 t on 2025-01-31…02-01; PV 240 kWh).</summary>
public abstract class NeutralityApiTests(ApiServer server) : ApiTestBase(server)
{
    private Task<string> SeedAsync() => SeedParkAsync((store, park) => EnergyTestPark.SeedAsync(store, park));

    [Fact]
    public async Task Ledger_claims_evidence_neutrality_targets_and_measures_over_http()
    {
        var park = await SeedAsync();
        var serial = "API" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant() + "-";
        // Import: a CCER of 4 t (purchased, not claimed) and a refused row.
        var csv = $"kind,quantity,unit,serial_from,serial_to,vintage,claim_from,claim_to\nccer,4,tCO2e,{serial}1,{serial}4,2024,,\nsink,-1,tCO2e,,,,,\n";
        var imp = await (await Client.PostAsync($"/api/parks/{park}/carbon/offsets/import", new StringContent(csv, Encoding.UTF8, "text/csv"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, imp.Num("accepted"));
        Assert.Equal(3, Assert.Single(imp.Items("rejected")).Num("line"));
        var id = imp.Items("ids")[0].GetInt64();
        // Allocate 3 t to the two days and retire it; allocating 2 t more than the 1 t left is a 409 naming the instrument.
        var claim = await (await Client.PostJsonAsync($"/api/parks/{park}/carbon/offsets/{id}/claims", """{"from":"2025-01-31","to":"2025-02-01","quantity":3}"""))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("allocated", claim.Str("state"));
        var retired = await (await Client.PostAsync($"/api/parks/{park}/carbon/offsets/claims/{claim.Num("id")}/retire", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("retired", retired.Str("state"));
        var over = await (await Client.PostJsonAsync($"/api/parks/{park}/carbon/offsets/{id}/claims", """{"from":"2025-01-31","to":"2025-02-01","quantity":2}"""))
            .ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains($"ccer #{id} {serial}1…{serial}4: allocating 2 tCO2e is more than was bought: 4 bought, 3 already allocated or retired", over.Str("detail"));

        // Evidence: upload as multipart, download byte for byte.
        var bytes = Encoding.UTF8.GetBytes("注销证明 CCER 3 t");
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        form.Add(file, "file", "retirement.txt");
        var ev = await (await Client.PostAsync($"/api/parks/{park}/carbon/offsets/{id}/evidence", form)).ExpectAsync(HttpStatusCode.OK);
        var download = await Client.GetAsync($"/api/parks/{park}/carbon/offsets/evidence/{ev.Num("id")}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());

        // Neutrality: 3 t + PV 0.24 MWh × 0.5306 = 0.127344 t = 3.127344 t of 3.438288 t = 0.909565; T/CA305: 6 + 0.191016 = 6.191016 t →
        // S_DC = 6.191016 / 3.438288 = 1.800611; the score S_DC × 40 = 72.02 is capped at 40.
        var n = await Client.GetJsonAsync($"/api/parks/{park}/carbon/neutrality?from=2025-01-31&to=2025-02-01");
        Assert.Equal(3.438288, n.Num("emissions_t")!.Value, 1e-9);
        Assert.Equal(3.127344, n.Num("neutralised_t")!.Value, 1e-9);
        Assert.Equal(3.127344 / 3.438288, n.Num("neutrality_rate")!.Value, 1e-9);
        Assert.Equal(6.191016, n.Num("tca305_weighted_t")!.Value, 1e-9);
        Assert.Equal(40, n.Num("tca305_offset_score")!.Value, 1e-12);
        Assert.Contains(n.Items("flags"), f => f.GetString() == "tca305_score_capped");
        await Client.GetJsonAsync($"/api/parks/{park}/carbon/neutrality?from=2025-02-30&to=2025-02-01", HttpStatusCode.BadRequest);

        // Targets and measures.
        var t = await (await Client.PutAsync($"/api/parks/{park}/carbon/targets", ApiJsonBody("""{"kind":"neutrality_rate","every":"month","value":0.75,"from":"2025-01"}""")))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0.75, t.Num("value"));
        await (await Client.PutAsync($"/api/parks/{park}/carbon/targets", ApiJsonBody("""{"kind":"joy","every":"month","value":1}"""))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        var m = await (await Client.PostJsonAsync($"/api/parks/{park}/energy/measures",
            """{"code":"M1","name":"free cooling","category":"free_cooling","boundary":["chiller"],"baseline_from":"2025-01-01","baseline_to":"2025-01-20","start":"2025-01-31"}"""))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("M1", m.Str("code"));
        Assert.Single((await Client.GetJsonAsync($"/api/parks/{park}/energy/measures")).Items());
        var ledgerCsv = await Client.GetStringAsync($"/api/parks/{park}/carbon/offsets?format=csv");
        Assert.Contains($"ccer,4,tCO2e,{serial}1,{serial}4,2024", ledgerCsv, StringComparison.Ordinal);
    }

    private static StringContent ApiJsonBody(string json) => new(json, Encoding.UTF8, "application/json");
}

public sealed class SqliteNeutralityApiTests(SqliteApiServer server) : NeutralityApiTests(server), IClassFixture<SqliteApiServer>;

public sealed class PostgresNeutralityApiTests(PostgresApiServer server) : NeutralityApiTests(server), IClassFixture<PostgresApiServer>;
