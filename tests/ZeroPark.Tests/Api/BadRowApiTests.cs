using System.Net;
using System.Text;
using System.Text.Json;
using ZeroPark.Tests.Import;

namespace ZeroPark.Tests.Api;

/// <summary>
/// Issue 11 over HTTP, on SQLite and PostgreSQL: a timestamp at or before 1970 is one rejected point on every ingest route
/// (was a 500 for the whole batch); XLSX uploads with a DTD are a 400 naming the file, and XLSX bombs a 413 ProblemDetails
/// saying which limit; no answer carries a stack trace.
/// </summary>
public abstract class BadRowApiTests(ApiServer server)
{
    private HttpClient Client => server.Client;

    private async Task<(string Code, string Key)> NewParkAsync()
    {
        var code = "p" + Guid.NewGuid().ToString("N")[..10];
        await (await Client.PostJsonAsync("/api/parks", $$"""{"code": "{{code}}", "name": "Park {{code}}", "timezone": "Asia/Shanghai"}""")).ExpectAsync(HttpStatusCode.Created);
        var key = await (await Client.PostJsonAsync($"/api/parks/{code}/api-keys", """{"name": "gw"}""")).ExpectAsync(HttpStatusCode.Created);
        await (await Client.PostJsonAsync($"/api/parks/{code}/meters", """{"code": "m1", "name": "M1", "carrier": "electricity", "kind": "cumulative", "unit": "kWh"}"""))
            .ExpectAsync(HttpStatusCode.Created);
        return (code, key.Str("key"));
    }

    private Task<HttpResponseMessage> Upload((string Code, string Key) park, byte[] file, string name)
    {
        var upload = new MultipartFormDataContent { { new ByteArrayContent(file), "file", name } };
        return Client.SendAsync(Http.Request(HttpMethod.Post, $"/api/parks/{park.Code}/import", upload, park.Key));
    }

    [Fact]
    public async Task Instants_at_or_before_1970_are_one_rejected_point_on_every_ingest_route_and_the_rest_is_stored()
    {
        var park = await NewParkAsync();
        // 1735661700 = 2025-01-01T00:15:00+08:00; 1735662600 = 00:30; 1735663500 = 00:45.
        var json = await (await Client.PostJsonAsync($"/api/parks/{park.Code}/ingest",
                """{"points": [{"meter": "m1", "ts": 1735661700, "value": 100}, {"meter": "m1", "ts": 0, "value": 1}, {"meter": "m1", "ts": "1969-12-31T23:59:59Z", "value": 1}]}""",
                park.Key))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, json.GetProperty("accepted").GetInt32());
        Assert.Equal([2, 3], json.GetProperty("rejected").EnumerateArray().Select(e => e.GetProperty("line").GetInt32()));

        var lp = await (await Client.SendAsync(Http.Request(HttpMethod.Post, $"/api/parks/{park.Code}/ingest/line-protocol?precision=s",
                new StringContent("m1 value=110 1735662600\nm1 value=1 0\nm1 value=1 -1", Encoding.UTF8, "text/plain"), park.Key)))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, lp.GetProperty("accepted").GetInt32());
        Assert.Equal([2, 3], lp.GetProperty("rejected").EnumerateArray().Select(e => e.GetProperty("line").GetInt32()));

        var v2 = Http.Request(HttpMethod.Post, $"/api/v2/write?bucket={park.Code}&precision=s", new StringContent("m1 value=120 1735663500\nm1 value=1 0", Encoding.UTF8, "text/plain"))
            .WithAuthorization("Token", park.Key);
        var partial = await (await Client.SendAsync(v2)).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("line 2: timestamp: '0' is before 2000-01-01T00:00:00Z", partial.Str("message"));

        var csv = Encoding.UTF8.GetBytes("meter,timestamp,value\nm1,1970-01-01T00:00:00Z,1\nm1,2025-01-01T01:00:00+08:00,130\n");
        var file = await (await Upload(park, csv, "r.csv")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, file.GetProperty("accepted").GetInt32());
        Assert.Equal(2, Assert.Single(file.GetProperty("rejected").EnumerateArray()).GetProperty("line").GetInt32());

        var manual = await (await Client.PostJsonAsync($"/api/parks/{park.Code}/readings/manual", """{"meter": "m1", "ts": 0, "value": 1, "reason": "typo"}""", park.Key))
            .ExpectValidationProblemAsync("ts");
        Assert.Contains("before 2000-01-01T00:00:00Z", manual);

        // 100 → 110 → 120 → 130 from 00:15 to 01:00: 30 kWh on the day.
        var series = await Client.GetJsonAsync($"/api/parks/{park.Code}/series?meter=m1&from=2025-01-01&to=2025-01-01");
        Assert.Equal(30, series.Num("total"));
    }

    [Fact]
    public async Task An_xlsx_with_a_dtd_is_a_400_and_an_xlsx_bomb_a_413_without_stack_traces()
    {
        var park = await NewParkAsync();
        var dtd = Xlsx.Build(sheetWriter: w => w.Write("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"a\">]><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"/>"));
        var reason = await (await Upload(park, dtd, "dtd.xlsx")).ExpectValidationProblemAsync("file");
        Assert.StartsWith("xlsx: the workbook contains a DTD", reason);

        var bomb = Xlsx.Build(sheetWriter: w =>
        {
            w.Write("<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>");
            w.Write(Xlsx.Row(1, Xlsx.Inline("A1", "meter"), Xlsx.Inline("B1", "timestamp"), Xlsx.Inline("C1", "value")));
            for (int i = 0; i < 2_100_000; i++) w.Write("<row/>"); // 2.1 M rows > the default limit, Excel's 1,048,576
            w.Write("</sheetData></worksheet>");
        });
        var problem = await (await Upload(park, bomb, "bomb.xlsx")).ExpectProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.StartsWith("xlsx: too large: ", problem.Str("detail"));
        Assert.DoesNotContain(" at ZeroPark", problem.ToString());
    }
}

public sealed class SqliteBadRowApiTests(SqliteApiServer server) : BadRowApiTests(server), IClassFixture<SqliteApiServer>;

public sealed class PostgresBadRowApiTests(PostgresApiServer server) : BadRowApiTests(server), IClassFixture<PostgresApiServer>;
