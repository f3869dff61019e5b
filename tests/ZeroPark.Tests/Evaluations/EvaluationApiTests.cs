using System.Net;
using System.Net.Http.Headers;
using ZeroPark.Application;
using ZeroPark.Tests.Api;

namespace ZeroPark.Tests.Evaluations;

/// <summary>The evaluation routes under <c>/api/parks/{park}/evaluations/</c> through the in-memory server on SQLite and PostgreSQL,
/// over a copy of <see cref="EvalTestPark"/> (PUE 1.3, WUE 1.2, IT load 0.6 in 2025).</summary>
public abstract class EvaluationApiTests(ApiServer server)
{
    private HttpClient Client => server.Client;

    private async Task<string> SeedAsync()
    {
        var park = "ev" + Guid.NewGuid().ToString("N")[..8];
        await using var store = await ZeroParkStore.OpenAsync(server.Database);
        await EvalTestPark.CreateAsync(store, park);
        return park;
    }

    [Fact]
    public async Task Evaluate_preview_save_evidence_history_and_export()
    {
        var park = await SeedAsync();
        var url = $"/api/parks/{park}/evaluations";
        var t = await Client.GetJsonAsync($"{url}/tca305/2025");
        // PUE 1.3 ≤ 1.35 → 17; nothing declared → 不合格.
        Assert.Equal(1.3, t.Num("pue")!.Value, 9);
        Assert.Equal(1.35, t.Num("pue_limit")!.Value);
        Assert.Equal(17, t.Num("pue_score")!.Value, 9);
        Assert.Equal("不合格", t.Str("grade"));
        Assert.True(t.Items("constraints").Single(c => c.Str("name") == "pue").GetProperty("passed").GetBoolean());

        // Evidence for the declared offset ratio: multipart 'item' + 'file'.
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent("offset_ratio"), "item");
        var file = new ByteArrayContent("GEC certificates"u8.ToArray());
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", "gec.pdf");
        var ev = await (await Client.PostAsync($"{url}/tca305/2025/evidence", form)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(("gec.pdf", "offset_ratio", "api.tester"), (ev.Str("file_name"), ev.Str("item"), ev.Str("uploaded_by")));
        var download = await Client.GetAsync($"{url}/evidence/{ev.GetProperty("id").GetInt64()}");
        Assert.Equal("GEC certificates", await download.Content.ReadAsStringAsync());

        // Preview: S_DC 0.5 declared with evidence → 20, third_party 3 → technology 17 + 2 + 5 + 3 = 27, total 47 (still 不合格: requirements).
        var p = await (await Client.PostJsonAsync($"{url}/tca305/2025/preview", """{"items": {"third_party": {"score": 3}}, "declared_offset_ratio": 0.5}""")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((20.0, 47.0), (p.Num("offset_score")!.Value, Math.Round(p.Num("total")!.Value, 9)));
        // Not saved by the preview.
        Assert.Equal(0, (await Client.GetJsonAsync($"{url}/tca305/2025")).Num("offset_score"));

        var saved = await (await Client.PutJsonAsync($"{url}/bfia043/2025", """{"evaluator": "王五", "inputs": {"items": {"servers": {"score": 4}}}}""")).ExpectAsync(HttpStatusCode.OK);
        // R 1.3 → 22, metering 1, servers 4 → 27.
        Assert.Equal((27.0, "王五", "无星级"), (Math.Round(saved.Num("total")!.Value, 9), saved.Str("evaluator"), saved.Str("star")));
        Assert.Equal(22, saved.Num("ratio_score")!.Value, 9);
        var h = (await Client.GetJsonAsync($"{url}/bfia043/history")).Items();
        Assert.Equal(2025, Assert.Single(h).GetProperty("year").GetInt32());

        var x = await Client.GetAsync($"{url}/tca305/2025?format=xlsx");
        Assert.Equal(HttpStatusCode.OK, x.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", x.Content.Headers.ContentType?.MediaType);
        var g = await Client.GetJsonAsync($"{url}/gcp/2025");
        Assert.Equal(683_280, g.GetProperty("eu").Num("e_dc_kwh")!.Value, 6);

        await (await Client.PutJsonAsync($"{url}/tca305/2025", """{"inputs": {}}""")).ExpectValidationProblemAsync("evaluator");
        await (await Client.PostJsonAsync($"{url}/tca305/2025/preview", """{"items": {"cooling_control": {"score": 9}}}""")).ExpectValidationProblemAsync("items");
        await (await Client.GetAsync($"{url}/leed/2025")).ExpectValidationProblemAsync("standard");
        await (await Client.GetAsync($"{url}/tca305/1990")).ExpectValidationProblemAsync("year");
        await (await Client.GetAsync($"/api/parks/nope/evaluations/tca305/2025")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }
}

public sealed class SqliteEvaluationApiTests(SqliteApiServer server) : EvaluationApiTests(server), IClassFixture<SqliteApiServer>;

public sealed class PostgresEvaluationApiTests(PostgresApiServer server) : EvaluationApiTests(server), IClassFixture<PostgresApiServer>;
