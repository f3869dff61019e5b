using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace ZeroPark.Tests.Api;

/// <summary>
/// The HTTP API suite, run against SQLite and against a real PostgreSQL (the two subclasses at the end). One in-memory
/// server per class; every test seeds a park of its own, so tests never see each other's data. Expected values are
/// worked out by hand in comments. Parks are in Asia/Shanghai (UTC+8, no daylight saving).
/// </summary>
public abstract class ApiTests(ApiServer server)
{
    protected HttpClient Client => server.Client;

    /// <summary>A seeded park: its code and a gateway API key named <c>gateway-1</c>.</summary>
    protected sealed record TestPark(string Code, string Key)
    {
        public string Url => $"/api/parks/{Code}";
    }

    protected async Task<TestPark> NewParkAsync(string timezone = "Asia/Shanghai")
    {
        var code = "p" + Guid.NewGuid().ToString("N")[..10];
        await (await Client.PostJsonAsync("/api/parks", $$"""{"code": "{{code}}", "name": "Park {{code}}", "timezone": "{{timezone}}"}"""))
            .ExpectAsync(HttpStatusCode.Created);
        var key = await (await Client.PostJsonAsync($"/api/parks/{code}/api-keys", """{"name": "gateway-1"}""")).ExpectAsync(HttpStatusCode.Created);
        return new TestPark(code, key.Str("key"));
    }

    protected async Task CreateMeterAsync(TestPark park, string code, string kind = "cumulative", string carrier = "electricity", string unit = "kWh",
        string extra = "")
    {
        await (await Client.PostJsonAsync($"{park.Url}/meters",
                $$"""{"code": "{{code}}", "name": "Meter {{code}}", "carrier": "{{carrier}}", "kind": "{{kind}}", "unit": "{{unit}}"{{extra}}}"""))
            .ExpectAsync(HttpStatusCode.Created);
    }

    /// <summary>A JSON batch of (meter, local ISO time, value) points.</summary>
    protected static string Batch(params (string Meter, string Ts, object Value)[] points) =>
        JsonSerializer.Serialize(new { points = points.Select(p => new { meter = p.Meter, ts = p.Ts, value = p.Value }) });

    protected Task<HttpResponseMessage> IngestAsync(TestPark park, string json, string? key = null) =>
        Client.PostJsonAsync($"{park.Url}/ingest", json, key ?? park.Key);

    private static long Unix(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture).ToUnixTimeSeconds();

    private static DateTimeOffset T(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);

    private static HttpRequestMessage LineProtocol(string url, string body) =>
        Http.Request(HttpMethod.Post, url, new StringContent(body, Encoding.UTF8, "text/plain"));

    // ------------------------------------------------------------------ service

    [Fact]
    public async Task Health_reports_the_store_and_OpenAPI_lists_the_ingest_routes()
    {
        var health = await Client.GetJsonAsync("/health");
        Assert.Equal("ok", health.Str("status"));
        Assert.Equal(server.Kind, health.Str("store"));
        Assert.True(health.GetProperty("schema").GetInt32() >= 1);

        var doc = await Client.GetJsonAsync("/openapi/v1.json");
        var paths = doc.GetProperty("paths");
        var ingest = paths.GetProperty("/api/parks/{park}/ingest").GetProperty("post");
        Assert.Contains("Ingest", ingest.Items("tags").Select(t => t.GetString()));
        Assert.True(ingest.GetProperty("responses").TryGetProperty("401", out _));
        Assert.True(ingest.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(paths.TryGetProperty("/api/v2/write", out _));
        Assert.True(paths.TryGetProperty("/write", out _));
        Assert.True(paths.TryGetProperty("/api/parks/{park}/series", out _));
    }

    [Fact]
    public async Task Reference_lists_the_system_taxonomy_and_codes()
    {
        var systems = (await Client.GetJsonAsync("/api/systems")).Items();
        var chiller = Assert.Single(systems, s => s.Str("code") == "cooling.chiller");
        Assert.Equal("cooling", chiller.Str("parent"));
        Assert.Equal("冷水机组", chiller.Str("name_zh"));
        Assert.Equal("Chillers", chiller.Str("name_en"));
        Assert.Equal(JsonValueKind.Null, systems.Single(s => s.Str("code") == "it").GetProperty("parent").ValueKind);

        var codes = await Client.GetJsonAsync("/api/codes");
        Assert.Contains("natural_gas", codes.Items("carriers").Select(c => c.GetString()));
        Assert.Equal(["cumulative", "interval", "power", "gauge"], codes.Items("kinds").Select(c => c.GetString()));
        Assert.Contains("ambient", codes.Items("carriers").Select(c => c.GetString()));
        Assert.Contains("it_load", codes.Items("roles").Select(c => c.GetString()));
        Assert.Equal("m3", codes.GetProperty("canonical_units").Str("water"));
    }

    // ------------------------------------------------------------------ registry

    [Fact]
    public async Task Parks_can_be_created_read_listed_and_updated()
    {
        var code = "p" + Guid.NewGuid().ToString("N")[..10];
        var created = await Client.PostJsonAsync("/api/parks",
            $$"""
            {"code": "{{code}}", "name": "上海一号园区", "timezone": "Asia/Shanghai", "climate_zone": "cold", "grid_region": "华东", "province": "上海",
             "commissioning_date": "2021-06-30", "design_it_kw": 12000, "racks_total": 2000, "racks_in_use": 1500}
            """);
        var park = await created.ExpectAsync(HttpStatusCode.Created);
        Assert.Equal($"/api/parks/{code}", created.Headers.Location?.OriginalString);
        Assert.Equal("cold", park.Str("climate_zone"));
        Assert.Equal("2021-06-30", park.Str("commissioning_date"));
        Assert.Equal(12000, park.Num("design_it_kw"));

        var got = await Client.GetJsonAsync($"/api/parks/{code}");
        Assert.Equal("上海一号园区", got.Str("name"));
        Assert.Equal("Asia/Shanghai", got.Str("timezone"));
        Assert.Contains(code, (await Client.GetJsonAsync("/api/parks")).Items().Select(p => p.Str("code")));

        // PUT: properties left out keep their value, null clears.
        var updated = await (await Client.PutJsonAsync($"/api/parks/{code}", """{"name": "Renamed", "racks_in_use": 1600, "province": null}"""))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Renamed", updated.Str("name"));
        Assert.Equal(1600, updated.Num("racks_in_use"));
        Assert.Equal(2000, updated.Num("racks_total"));
        Assert.Equal(JsonValueKind.Null, updated.GetProperty("province").ValueKind);
        Assert.Equal("Renamed", (await Client.GetJsonAsync($"/api/parks/{code}")).Str("name"));

        await (await Client.PutJsonAsync($"/api/parks/{code}", """{"racks_in_use": 2500}""")).ExpectValidationProblemAsync("racks_in_use");
        await (await Client.PutJsonAsync($"/api/parks/{code}", """{"code": "other"}""")).ExpectValidationProblemAsync("code");
        await (await Client.PutJsonAsync("/api/parks/nowhere", """{"name": "x"}""")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await Client.GetAsync("/api/parks/nowhere")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Bad_park_input_is_a_400_naming_the_field_and_a_duplicate_is_a_409()
    {
        var code = "p" + Guid.NewGuid().ToString("N")[..10];
        await (await Client.PostJsonAsync("/api/parks", """{"code": "Not A Code", "name": "x"}""")).ExpectValidationProblemAsync("code");
        await (await Client.PostJsonAsync("/api/parks", $$"""{"code": "{{code}}"}""")).ExpectValidationProblemAsync("name");
        await (await Client.PostJsonAsync("/api/parks", $$"""{"code": "{{code}}", "name": "x", "timezone": "Mars/Olympus_Mons"}"""))
            .ExpectValidationProblemAsync("timezone");
        await (await Client.PostJsonAsync("/api/parks", $$"""{"code": "{{code}}", "name": "x", "climate_zone": "tropical"}"""))
            .ExpectValidationProblemAsync("climate_zone");
        // Wrong JSON type: named by its JSON path.
        await (await Client.PostJsonAsync("/api/parks", $$"""{"code": "{{code}}", "name": "x", "design_it_kw": "lots"}"""))
            .ExpectValidationProblemAsync("design_it_kw");
        await (await Client.PostJsonAsync("/api/parks", $$"""{"code": "{{code}}", "name": "x", "commissioning_date": "30/06/2021"}"""))
            .ExpectValidationProblemAsync("commissioning_date");
        // A misspelt property is refused rather than ignored (it would silently create the park in the default zone).
        var typo = await (await Client.PostJsonAsync("/api/parks", $$"""{"code": "{{code}}", "name": "x", "time_zone": "Europe/Berlin"}"""))
            .ExpectValidationProblemAsync("time_zone");
        Assert.Contains("unknown property", typo);
        await (await Client.PostJsonAsync("/api/parks", """{"code": """)).ExpectValidationProblemAsync("body");
        await (await Client.GetAsync($"/api/parks/{code}")).ExpectProblemAsync(HttpStatusCode.NotFound);   // nothing was created

        await (await Client.PostJsonAsync("/api/parks", $$"""{"code": "{{code}}", "name": "x"}""")).ExpectAsync(HttpStatusCode.Created);
        var conflict = await (await Client.PostJsonAsync("/api/parks", $$"""{"code": "{{code}}", "name": "again"}"""))
            .ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("already exists", conflict.Str("detail"));
    }

    [Fact]
    public async Task A_park_asked_for_before_it_exists_is_usable_as_soon_as_it_is_created()
    {
        var code = "p" + Guid.NewGuid().ToString("N")[..10];
        await (await Client.GetAsync($"/api/parks/{code}/meters")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await Client.PostJsonAsync("/api/parks", $$"""{"code": "{{code}}", "name": "Late"}""")).ExpectAsync(HttpStatusCode.Created);
        Assert.Empty((await Client.GetJsonAsync($"/api/parks/{code}/meters")).Items());
        await (await Client.PostJsonAsync($"/api/parks/{code}/spaces", """{"code": "b1", "name": "Building 1"}""")).ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Spaces_can_be_created_listed_and_deleted()
    {
        var park = await NewParkAsync();
        var b1 = await Client.PostJsonAsync($"{park.Url}/spaces", """{"code": "b1", "name": "Building 1"}""");
        var building = await b1.ExpectAsync(HttpStatusCode.Created);
        Assert.Equal($"{park.Url}/spaces/b1", b1.Headers.Location?.OriginalString);
        Assert.Equal("building", building.Str("level"));
        Assert.Equal(JsonValueKind.Null, building.GetProperty("parent").ValueKind);
        var floor = await (await Client.PostJsonAsync($"{park.Url}/spaces", """{"code": "b1-f1", "name": "Floor 1", "parent": "b1", "level": "floor"}"""))
            .ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("b1", floor.Str("parent"));

        await (await Client.PostJsonAsync($"{park.Url}/spaces", """{"code": "r1", "name": "Room", "parent": "nope"}""")).ExpectValidationProblemAsync("parent");
        await (await Client.PostJsonAsync($"{park.Url}/spaces", """{"code": "r1", "name": "Rack", "level": "rack"}""")).ExpectValidationProblemAsync("level");
        await (await Client.PostJsonAsync($"{park.Url}/spaces", """{"code": "r 1", "name": "Room"}""")).ExpectValidationProblemAsync("code");
        await (await Client.PostJsonAsync($"{park.Url}/spaces", """{"code": "b1", "name": "Again"}""")).ExpectProblemAsync(HttpStatusCode.Conflict);

        var spaces = await Client.GetJsonAsync($"{park.Url}/spaces");
        Assert.Equal(["b1", "b1-f1"], spaces.Items().Select(s => s.Str("code")));
        Assert.Equal("Floor 1", (await Client.GetJsonAsync($"{park.Url}/spaces/b1-f1")).Str("name"));

        await (await Client.DeleteAsync($"{park.Url}/spaces/b1")).ExpectProblemAsync(HttpStatusCode.Conflict);   // has a child
        await (await Client.DeleteAsync($"{park.Url}/spaces/b1-f1")).ExpectAsync(HttpStatusCode.NoContent);
        await (await Client.DeleteAsync($"{park.Url}/spaces/b1-f1")).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(["b1"], (await Client.GetJsonAsync($"{park.Url}/spaces")).Items().Select(s => s.Str("code")));
        await (await Client.GetAsync("/api/parks/nowhere/spaces")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Meters_can_be_created_one_or_many_read_updated_and_deleted()
    {
        var park = await NewParkAsync();
        await (await Client.PostJsonAsync($"{park.Url}/spaces", """{"code": "b1", "name": "Building 1"}""")).ExpectAsync(HttpStatusCode.Created);

        var one = await Client.PostJsonAsync($"{park.Url}/meters",
            """{"code": "ch1", "name": "Chiller 1", "carrier": "electricity", "kind": "interval", "unit": "MWh", "space": "b1", "system": "cooling.chiller", "multiplier": 2}""");
        var chiller = await one.ExpectAsync(HttpStatusCode.Created);
        Assert.Equal($"{park.Url}/meters/ch1", one.Headers.Location?.OriginalString);
        Assert.Equal("kWh", chiller.Str("canonical_unit"));
        Assert.Equal("b1", chiller.Str("space"));
        Assert.Equal(15, chiller.Num("interval_minutes"));
        Assert.Equal("submeter", chiller.Str("role"));

        var many = await (await Client.PostJsonAsync($"{park.Url}/meters",
            """
            [{"code": "w1", "name": "Make-up water", "carrier": "water", "kind": "cumulative", "unit": "m3", "role": "water_input"},
             {"code": "pdu1", "name": "PDU 1", "carrier": "electricity", "kind": "cumulative", "unit": "kWh", "role": "it_load", "system": "it"}]
            """)).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(["w1", "pdu1"], many.Items().Select(m => m.Str("code")));
        Assert.Equal("m3", many.Items()[0].Str("canonical_unit"));

        // Bad input names the field.
        const string ok = """ "name": "x", "carrier": "electricity", "kind": "cumulative", "unit": "kWh" """;
        await (await Client.PostJsonAsync($"{park.Url}/meters", """{"code": "m9", "name": "x", "carrier": "plasma", "kind": "cumulative", "unit": "kWh"}"""))
            .ExpectValidationProblemAsync("carrier");
        await (await Client.PostJsonAsync($"{park.Url}/meters", """{"code": "m9", "name": "x", "carrier": "electricity", "kind": "sometimes", "unit": "kWh"}"""))
            .ExpectValidationProblemAsync("kind");
        await (await Client.PostJsonAsync($"{park.Url}/meters", """{"code": "m9", "name": "x", "carrier": "electricity", "kind": "cumulative", "unit": "L"}"""))
            .ExpectValidationProblemAsync("unit");
        await (await Client.PostJsonAsync($"{park.Url}/meters", $$"""{"code": "m9", {{ok}}, "system": "cooling.nope"}""")).ExpectValidationProblemAsync("system");
        await (await Client.PostJsonAsync($"{park.Url}/meters", $$"""{"code": "m9", {{ok}}, "space": "b9"}""")).ExpectValidationProblemAsync("space");
        await (await Client.PostJsonAsync($"{park.Url}/meters", $$"""{"code": "m9", {{ok}}, "interval_minutes": "fifteen"}"""))
            .ExpectValidationProblemAsync("interval_minutes");
        // Duplicates are a 409, and a batch is all or nothing.
        await (await Client.PostJsonAsync($"{park.Url}/meters", $$"""{"code": "ch1", {{ok}}}""")).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await Client.PostJsonAsync($"{park.Url}/meters", $$"""[{"code": "m9", {{ok}}}, {"code": "pdu1", {{ok}}}]"""))
            .ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await Client.GetAsync($"{park.Url}/meters/m9")).ExpectProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(["ch1", "pdu1", "w1"], (await Client.GetJsonAsync($"{park.Url}/meters")).Items().Select(m => m.Str("code")));
        Assert.Equal("cooling.chiller", (await Client.GetJsonAsync($"{park.Url}/meters/ch1")).Str("system"));

        var updated = await (await Client.PutJsonAsync($"{park.Url}/meters/ch1", """{"name": "Chiller one", "role": "check"}""")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(("Chiller one", "check", "cooling.chiller", "MWh"), (updated.Str("name"), updated.Str("role"), updated.Str("system"), updated.Str("unit")));
        await (await Client.PutJsonAsync($"{park.Url}/meters/ch1", """{"role": "boss"}""")).ExpectValidationProblemAsync("role");

        await (await Client.DeleteAsync($"{park.Url}/meters/w1")).ExpectAsync(HttpStatusCode.NoContent);
        await (await Client.GetAsync($"{park.Url}/meters/w1")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await Client.DeleteAsync($"{park.Url}/meters/w1")).ExpectProblemAsync(HttpStatusCode.NotFound);

        // Once a meter has readings it cannot be deleted, and its unit is fixed.
        await (await IngestAsync(park, Batch(("pdu1", "2025-03-10T00:15:00+08:00", 100)))).ExpectAsync(HttpStatusCode.OK);
        await (await Client.DeleteAsync($"{park.Url}/meters/pdu1")).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await Client.PutJsonAsync($"{park.Url}/meters/pdu1", """{"unit": "MWh"}""")).ExpectProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Api_keys_are_returned_once_and_need_a_name()
    {
        var park = await NewParkAsync();
        var key = await (await Client.PostJsonAsync($"{park.Url}/api-keys", """{"name": "node-red"}""")).ExpectAsync(HttpStatusCode.Created);
        Assert.StartsWith("zp_", key.Str("key"), StringComparison.Ordinal);
        Assert.Equal("node-red", key.Str("name"));
        Assert.NotEqual(park.Key, key.Str("key"));
        await (await Client.PostJsonAsync($"{park.Url}/api-keys", "{}")).ExpectValidationProblemAsync("name");
        await (await Client.PostJsonAsync("/api/parks/nowhere/api-keys", """{"name": "x"}""")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Api_keys_are_listed_without_the_key_and_a_revoked_key_gets_401()
    {
        var park = await NewParkAsync();
        await CreateMeterAsync(park, "m1");
        var gw = (await (await Client.PostJsonAsync($"{park.Url}/api-keys", """{"name": "gw-b1"}""")).ExpectAsync(HttpStatusCode.Created)).Str("key");
        var keys = (await Client.GetJsonAsync($"{park.Url}/api-keys")).Items();
        // The park's first key (from its creation) and gw-b1, oldest first; no key or hash in the listing.
        Assert.Equal("gw-b1", keys[^1].Str("name"));
        Assert.DoesNotContain(gw, (await Client.GetStringAsync($"{park.Url}/api-keys")), StringComparison.Ordinal);
        Assert.True(keys[^1].TryGetProperty("created_at", out _));
        var id = keys[^1].GetProperty("id").GetInt64();
        var batch = Batch(("m1", "2025-03-10T00:15:00+08:00", 100));
        await (await IngestAsync(park, batch, key: gw)).ExpectAsync(HttpStatusCode.OK);
        await (await Client.DeleteAsync($"{park.Url}/api-keys/{id}")).ExpectAsync(HttpStatusCode.NoContent);
        await (await IngestAsync(park, Batch(("m1", "2025-03-10T00:30:00+08:00", 110)), key: gw)).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        await (await IngestAsync(park, Batch(("m1", "2025-03-10T00:30:00+08:00", 110)))).ExpectAsync(HttpStatusCode.OK);   // the park's other key
        Assert.DoesNotContain((await Client.GetJsonAsync($"{park.Url}/api-keys")).Items(), k => k.GetProperty("id").GetInt64() == id);
        Assert.Contains((await Client.GetJsonAsync($"{park.Url}/audit")).Items(), a => a.Str("action") == "revoke" && a.Str("entity_key") == $"gw-b1 (id {id})");
        await (await Client.DeleteAsync($"{park.Url}/api-keys/{id}")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    // ------------------------------------------------------------------ ingest

    [Fact]
    public async Task Ingest_without_a_valid_key_is_a_401_and_stores_nothing()
    {
        var park = await NewParkAsync();
        var other = await NewParkAsync();
        await CreateMeterAsync(park, "m1");
        var batch = Batch(("m1", "2025-03-10T00:15:00+08:00", 100), ("m1", "2025-03-10T00:30:00+08:00", 110));

        var missing = await (await Client.SendAsync(Http.Request(HttpMethod.Post, $"{park.Url}/ingest", Http.JsonBody(batch))))
            .ExpectProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("API key is required", missing.Str("detail"));
        await (await IngestAsync(park, batch, key: "zp_wrong")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        await (await IngestAsync(park, batch, key: other.Key)).ExpectProblemAsync(HttpStatusCode.Unauthorized);   // another park's key
        await (await Client.SendAsync(Http.Request(HttpMethod.Post, $"{park.Url}/ingest", Http.JsonBody(batch)).WithAuthorization("Basic", "eDp5")))
            .ExpectProblemAsync(HttpStatusCode.Unauthorized);
        await (await Client.SendAsync(LineProtocol($"{park.Url}/ingest/line-protocol?precision=s", $"e,meter=m1 value=1 {Unix("2025-03-10T00:45:00+08:00")}")))
            .ExpectProblemAsync(HttpStatusCode.Unauthorized);
        await (await Client.SendAsync(LineProtocol($"/api/v2/write?bucket={park.Code}&precision=s", $"e,meter=m1 value=1 {Unix("2025-03-10T00:45:00+08:00")}")
                .WithAuthorization("Token", "zp_wrong")))
            .ExpectProblemAsync(HttpStatusCode.Unauthorized);
        await (await Client.SendAsync(LineProtocol($"/write?db={park.Code}&precision=s&p=zp_wrong", $"e,meter=m1 value=1 {Unix("2025-03-10T00:45:00+08:00")}")))
            .ExpectProblemAsync(HttpStatusCode.Unauthorized);
        await (await Client.PostJsonAsync($"{park.Url}/readings/manual",
                """{"meter": "m1", "ts": "2025-03-10T00:15:00+08:00", "value": 100, "user": "alice", "reason": "photo"}"""))
            .ExpectProblemAsync(HttpStatusCode.Unauthorized);
        using (var upload = new MultipartFormDataContent())
        {
            upload.Add(new StringContent("meter,timestamp,value\nm1,2025-03-10T00:15:00+08:00,100\n"), "file", "readings.csv");
            await (await Client.PostAsync($"{park.Url}/import", upload)).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        }

        // Nothing stored: no latest reading, no series value, no reading in the audit log.
        Assert.Empty((await Client.GetJsonAsync($"{park.Url}/latest")).Items());
        var day = await Client.GetJsonAsync($"{park.Url}/series?meter=m1&from=2025-03-10&to=2025-03-10");
        Assert.Equal(JsonValueKind.Null, day.Items("buckets")[0].GetProperty("value").ValueKind);
        Assert.DoesNotContain((await Client.GetJsonAsync($"{park.Url}/audit")).Items(), a => a.Str("entity") == "reading");

        // The right key works through each header form.
        await (await IngestAsync(park, batch)).ExpectAsync(HttpStatusCode.OK);
        await (await Client.SendAsync(Http.Request(HttpMethod.Post, $"{park.Url}/ingest", Http.JsonBody(batch)).WithAuthorization("Token", park.Key)))
            .ExpectAsync(HttpStatusCode.OK);
        await (await Client.SendAsync(Http.Request(HttpMethod.Post, $"{park.Url}/ingest", Http.JsonBody(batch)).WithAuthorization("Bearer", park.Key)))
            .ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Json_batch_reports_each_point_as_accepted_duplicate_corrected_or_rejected()
    {
        var park = await NewParkAsync();
        await CreateMeterAsync(park, "m1");
        var first = await (await IngestAsync(park, Batch(("m1", "2025-03-10T00:15:00+08:00", 100), ("m1", "2025-03-10T00:30:00+08:00", 110))))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, first.GetProperty("accepted").GetInt32());

        var json = """
            {"batch_id": "gw-42",
             "points": [
               {"meter": "m1", "ts": "2025-03-10T00:15:00+08:00", "value": 100},
               {"meter": "m1", "ts": "2025-03-10T00:30:00+08:00", "value": 112},
               {"meter": "m1", "ts": 1741538700, "value": 120},
               {"meter": "nope", "ts": "2025-03-10T00:45:00+08:00", "value": 1},
               {"meter": "m1", "ts": "2025-03-10T01:00:00+08:00", "value": "abc"},
               {"meter": "m1", "ts": "2025-03-10T01:00:00+08:00", "value": -5},
               {"meter": "m1", "ts": "2025-03-10T01:15:00", "value": 130}
             ]}
            """;
        // 1741538700 = 2025-03-09T16:45:00Z = 2025-03-10T00:45:00+08:00.
        Assert.Equal(1741538700, Unix("2025-03-10T00:45:00+08:00"));
        var r = await (await IngestAsync(park, json)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((1, 1, 1), (r.GetProperty("accepted").GetInt32(), r.GetProperty("duplicates").GetInt32(), r.GetProperty("corrected").GetInt32()));
        Assert.Equal("gw-42", r.Str("batch_id"));
        Assert.Equal([4, 5, 6, 7], r.Items("rejected").Select(e => e.GetProperty("line").GetInt32()));

        var points = r.Items("points");
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], points.Select(p => p.GetProperty("line").GetInt32()));
        Assert.Equal(["duplicate", "corrected", "accepted", "rejected", "rejected", "rejected", "rejected"], points.Select(p => p.Str("outcome")));
        Assert.Equal(110, points[1].Num("previous_value"));
        Assert.Equal("m1", points[1].Str("meter"));
        Assert.Equal(T("2025-03-10T00:30:00+08:00"), points[1].Time("ts"));
        Assert.Contains("unknown meter code 'nope'", points[3].Str("reason"));
        Assert.Contains("points[4].value", points[4].Str("reason"));
        Assert.Contains("negative", points[5].Str("reason"));
        Assert.Contains("no UTC offset", points[6].Str("reason"));

        // Stored: 00:15 → 100 (first reading), 00:30 → 112, 00:45 → 120: the day is 120 − 100 = 20.
        var day = await Client.GetJsonAsync($"{park.Url}/series?meter=m1&from=2025-03-10&to=2025-03-10");
        Assert.Equal(20, day.Num("total"));
        var latest = Assert.Single((await Client.GetJsonAsync($"{park.Url}/latest")).Items());
        Assert.Equal((120.0, T("2025-03-10T00:45:00+08:00")), (latest.Num("value")!.Value, latest.Time("at")));
    }

    [Fact]
    public async Task Malformed_json_is_a_400_and_stores_nothing()
    {
        var park = await NewParkAsync();
        await CreateMeterAsync(park, "m1");
        await (await IngestAsync(park, """{"points": [{"meter": "m1", "ts": "2025-03-10T00:15:00+08:00", "value": 1}""")).ExpectValidationProblemAsync("body");
        await (await IngestAsync(park, """[{"meter": "m1", "ts": "2025-03-10T00:15:00+08:00", "value": 1}]""")).ExpectValidationProblemAsync("body");
        await (await IngestAsync(park, """{"readings": []}""")).ExpectValidationProblemAsync("body");
        await (await IngestAsync(park, "")).ExpectValidationProblemAsync("body");
        Assert.Empty((await Client.GetJsonAsync($"{park.Url}/latest")).Items());
    }

    [Fact]
    public async Task Replaying_the_same_batch_changes_nothing()
    {
        var park = await NewParkAsync();
        await CreateMeterAsync(park, "m1");
        var batch = Batch(("m1", "2025-03-10T00:15:00+08:00", 100), ("m1", "2025-03-10T00:30:00+08:00", 104.5),
            ("m1", "2025-03-10T00:45:00+08:00", 110), ("m1", "2025-03-10T01:00:00+08:00", 117.25));
        var first = await (await IngestAsync(park, batch)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(4, first.GetProperty("accepted").GetInt32());
        var series = $"{park.Url}/series?meter=m1&from=2025-03-10&to=2025-03-10&by=hour";
        var before = await Client.GetJsonAsync(series);
        var auditBefore = (await Client.GetJsonAsync($"{park.Url}/audit")).Items().Count;

        var replay = await (await IngestAsync(park, batch)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((0, 4, 0), (replay.GetProperty("accepted").GetInt32(), replay.GetProperty("duplicates").GetInt32(), replay.GetProperty("corrected").GetInt32()));
        Assert.All(replay.Items("points"), p => Assert.Equal("duplicate", p.Str("outcome")));

        var after = await Client.GetJsonAsync(series);
        Assert.Equal(before.ToString(), after.ToString());
        // Hour 00:00–01:00 holds 00:15 (first, 0), 00:30 (4.5), 00:45 (5.5), 01:00 (7.25) = 17.25, not doubled.
        Assert.Equal(17.25, after.Items("buckets")[0].Num("value"));
        Assert.Equal(auditBefore, (await Client.GetJsonAsync($"{park.Url}/audit")).Items().Count);
    }

    [Fact]
    public async Task A_correction_shows_up_in_the_audit_log_with_old_and_new_value()
    {
        var park = await NewParkAsync();
        await CreateMeterAsync(park, "m1");
        await (await IngestAsync(park, Batch(("m1", "2025-03-10T00:15:00+08:00", 100), ("m1", "2025-03-10T00:30:00+08:00", 110))))
            .ExpectAsync(HttpStatusCode.OK);
        var fix = await (await IngestAsync(park, Batch(("m1", "2025-03-10T00:30:00+08:00", 112.5)))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, fix.GetProperty("corrected").GetInt32());

        var audit = (await Client.GetJsonAsync($"{park.Url}/audit?limit=5")).Items();
        var entry = audit.First(a => a.Str("action") == "correct");
        Assert.Equal("reading", entry.Str("entity"));
        Assert.Equal("m1@2025-03-10T00:30:00+08:00", entry.Str("entity_key"));
        Assert.Equal(("110", "112.5"), (entry.Str("old_value"), entry.Str("new_value")));
        Assert.Equal("key:gateway-1", entry.Str("user"));
        Assert.Equal(park.Code, entry.Str("park"));
        Assert.Equal(entry.GetProperty("id").GetInt64(), audit[0].GetProperty("id").GetInt64());   // newest first
        Assert.Single((await Client.GetJsonAsync($"{park.Url}/audit?limit=1")).Items());
        // The series follows the corrected value: 112.5 − 100.
        Assert.Equal(12.5, (await Client.GetJsonAsync($"{park.Url}/series?meter=m1&from=2025-03-10&to=2025-03-10")).Num("total"));
    }

    [Fact]
    public async Task Influx_v2_write_with_a_token_stores_line_protocol_and_reports_rejected_lines()
    {
        var park = await NewParkAsync();
        await CreateMeterAsync(park, "lp1");
        var url = $"/api/v2/write?org=ignored&bucket={park.Code}&precision=s";
        var body = string.Join('\n',
            $"energy,meter=lp1,site=sh value=1000 {Unix("2025-03-10T00:15:00+08:00")}",
            $"energy,meter=lp1 value=1012.5 {Unix("2025-03-10T00:30:00+08:00")}",
            $"lp1 value=1020i {Unix("2025-03-10T00:45:00+08:00")}");
        var ok = await Client.SendAsync(LineProtocol(url, body).WithAuthorization("Token", park.Key));
        Assert.Equal(HttpStatusCode.NoContent, ok.StatusCode);

        // Some lines rejected: 400 {"code":"invalid","message":…} naming them; the valid line IS stored.
        var partial = string.Join('\n',
            $"energy,meter=lp1 value=1031 {Unix("2025-03-10T01:00:00+08:00")}",
            "this is not line protocol",
            $"energy,meter=ghost value=5 {Unix("2025-03-10T01:00:00+08:00")}");
        var bad = await Client.SendAsync(LineProtocol(url, partial).WithAuthorization("Token", park.Key));
        var error = await bad.ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal("application/json", bad.Content.Headers.ContentType?.MediaType);
        Assert.Equal("invalid", error.Str("code"));
        Assert.Contains("line 2", error.Str("message"));
        Assert.Contains("line 3: meter: unknown meter code 'ghost'", error.Str("message"));
        Assert.Equal([2, 3], error.Items("rejected").Select(e => e.GetProperty("line").GetInt32()));

        // Telegraf's influxdb_v2 output gzips by default; the default precision is ns.
        var gz = new MemoryStream();
        await using (var zip = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true))
            await zip.WriteAsync(Encoding.UTF8.GetBytes($"energy,meter=lp1 value=1040 {Unix("2025-03-10T01:15:00+08:00")}000000000\n"));
        var zipped = new ByteArrayContent(gz.ToArray());
        zipped.Headers.ContentEncoding.Add("gzip");
        zipped.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
        var gzipped = await Client.SendAsync(Http.Request(HttpMethod.Post, $"/api/v2/write?bucket={park.Code}", zipped).WithAuthorization("Token", park.Key));
        Assert.Equal(HttpStatusCode.NoContent, gzipped.StatusCode);

        // InfluxDB 1.x: db = park, key as p.
        var v1 = await Client.SendAsync(LineProtocol($"/write?db={park.Code}&u=telegraf&p={park.Key}&precision=ms",
            $"energy,meter=lp1 value=1052 {Unix("2025-03-10T01:30:00+08:00")}000"));
        Assert.Equal(HttpStatusCode.NoContent, v1.StatusCode);
        // Telegraf's influxdb (1.x) output sends username/password as HTTP Basic: the password is the key.
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"telegraf:{park.Key}"));
        var v1Basic = await Client.SendAsync(LineProtocol($"/write?db={park.Code}&precision=s", $"energy,meter=lp1 value=1052 {Unix("2025-03-10T01:30:00+08:00")}")
            .WithAuthorization("Basic", basic));
        Assert.Equal(HttpStatusCode.NoContent, v1Basic.StatusCode);   // same value again: a duplicate, still a success
        var missingBucket = await Client.SendAsync(LineProtocol("/api/v2/write?precision=s", "lp1 value=1 1").WithAuthorization("Token", park.Key));
        Assert.Equal("invalid", (await missingBucket.ExpectAsync(HttpStatusCode.BadRequest)).Str("code"));

        // 00:15 → 1000 is the first reading; the day sums 1012.5 − 1000 + 7.5 + 11 + 9 + 12 = 1052 − 1000 = 52.
        var day = await Client.GetJsonAsync($"{park.Url}/series?meter=lp1&from=2025-03-10&to=2025-03-10");
        Assert.Equal(52, day.Num("total"));
        var latest = Assert.Single((await Client.GetJsonAsync($"{park.Url}/latest")).Items());
        Assert.Equal(T("2025-03-10T01:30:00+08:00"), latest.Time("at"));
        Assert.Contains((await Client.GetJsonAsync($"{park.Url}/audit")).Items(), a => a.Str("entity") == "api_key");
    }

    [Fact]
    public async Task Line_protocol_route_returns_point_outcomes_and_dates_points_without_timestamp_now()
    {
        var park = await NewParkAsync();
        await CreateMeterAsync(park, "lp1");
        server.Clock.Now = T("2025-03-10T01:15:00+08:00");
        var url = $"{park.Url}/ingest/line-protocol?precision=s";
        var body = $"energy,meter=lp1 value=100 {Unix("2025-03-10T01:00:00+08:00")}\n# a comment\nenergy,meter=lp1 value=104\nenergy value=\n";
        var r = await (await Client.SendAsync(LineProtocol(url, body).WithAuthorization("Token", park.Key))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, r.GetProperty("accepted").GetInt32());
        var points = r.Items("points");
        Assert.Equal([1, 3, 4], points.Select(p => p.GetProperty("line").GetInt32()));
        Assert.Equal(T("2025-03-10T01:15:00+08:00"), points[1].Time("ts"));   // no timestamp: the server's clock
        Assert.Equal("rejected", points[2].Str("outcome"));
        var latest = Assert.Single((await Client.GetJsonAsync($"{park.Url}/latest")).Items());
        Assert.Equal((104.0, T("2025-03-10T01:15:00+08:00")), (latest.Num("value")!.Value, latest.Time("at")));

        await (await Client.SendAsync(LineProtocol($"{park.Url}/ingest/line-protocol?precision=minutes", "lp1 value=1 1").WithAuthorization("Token", park.Key)))
            .ExpectValidationProblemAsync("precision");
    }

    [Fact]
    public async Task Manual_entry_needs_a_key_and_a_reason_and_corrections_report_the_previous_value()
    {
        var park = await NewParkAsync();
        await CreateMeterAsync(park, "m1");
        var url = $"{park.Url}/readings/manual";
        await (await Client.PostJsonAsync(url, """{"meter": "m1", "ts": "2025-03-10T00:15:00+08:00", "value": 100, "user": "alice"}""", park.Key))
            .ExpectValidationProblemAsync("reason");
        await (await Client.PostJsonAsync(url, """{"meter": "m1", "ts": "2025-03-10T00:15:00+08:00", "value": 100, "user": "alice", "reason": " "}""", park.Key))
            .ExpectValidationProblemAsync("reason");
        await (await Client.PostJsonAsync(url, """{"meter": "m1", "ts": "2025-03-10T00:15:00", "value": 100, "user": "alice", "reason": "photo"}""", park.Key))
            .ExpectValidationProblemAsync("ts");
        await (await Client.PostJsonAsync(url, """{"meter": "m1", "ts": "2025-03-10T00:15:00+08:00", "user": "alice", "reason": "photo"}""", park.Key))
            .ExpectValidationProblemAsync("value");
        await (await Client.PostJsonAsync(url, """{"meter": "nope", "ts": "2025-03-10T00:15:00+08:00", "value": 1, "user": "alice", "reason": "photo"}""", park.Key))
            .ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty((await Client.GetJsonAsync($"{park.Url}/latest")).Items());

        var entry = await (await Client.PostJsonAsync(url,
                """{"meter": "m1", "ts": "2025-03-10T00:15:00+08:00", "value": 100, "user": "alice", "reason": "read off the display"}""", park.Key))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("accepted", Assert.Single(entry.Items("points")).Str("outcome"));

        var fix = await (await Client.PostJsonAsync(url,
                """{"meter": "m1", "ts": "2025-03-10T00:15:00+08:00", "value": 101, "user": "bob", "reason": "misread digit"}""", park.Key))
            .ExpectAsync(HttpStatusCode.OK);
        var point = Assert.Single(fix.Items("points"));
        Assert.Equal(("corrected", 100.0), (point.Str("outcome"), point.Num("previous_value")!.Value));
        Assert.Equal(1, fix.GetProperty("corrected").GetInt32());

        var audit = (await Client.GetJsonAsync($"{park.Url}/audit")).Items();
        var manual = Assert.Single(audit, a => a.Str("action") == "manual_entry");
        // The key writes as the key: the "user" of the body is not believed (issue 11).
        Assert.Equal(("key:gateway-1", "read off the display", "100"), (manual.Str("user"), manual.Str("reason"), manual.Str("new_value")));
        var correction = Assert.Single(audit, a => a.Str("action") == "correct");
        Assert.Equal(("key:gateway-1", "misread digit", "100", "101"), (correction.Str("user"), correction.Str("reason"), correction.Str("old_value"), correction.Str("new_value")));
    }

    [Fact]
    public async Task Import_takes_a_csv_upload_with_the_key_and_a_mapping_reads_offsetless_times_in_the_park_zone()
    {
        var park = await NewParkAsync();
        await CreateMeterAsync(park, "m1");
        const string csv = "表计编号,采集时间,读数\nm1,2025-03-10 00:15,100\nm1,2025-03-10 00:30,110\nm1,2025-03-10 00:45,oops\nghost,2025-03-10 00:45,1\n";
        using var upload = new MultipartFormDataContent();
        upload.Add(new StringContent(csv, Encoding.UTF8), "file", "readings.csv");
        upload.Add(new StringContent("{}"), "mapping");   // a mapping without time_zone: local times are the park's
        var request = Http.Request(HttpMethod.Post, $"{park.Url}/import", upload, park.Key);
        var r = await (await Client.SendAsync(request)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, r.GetProperty("accepted").GetInt32());
        Assert.Equal("readings.csv", r.Str("file"));
        var rejected = r.Items("rejected");
        Assert.Equal([4, 5], rejected.Select(e => e.GetProperty("line").GetInt32()));
        Assert.Contains("value", rejected[0].Str("reason"));
        Assert.Contains("unknown meter code 'ghost'", rejected[1].Str("reason"));
        // "2025-03-10 00:30" is local time of the park (Asia/Shanghai).
        var latest = Assert.Single((await Client.GetJsonAsync($"{park.Url}/latest")).Items());
        Assert.Equal(T("2025-03-10T00:30:00+08:00"), latest.Time("at"));
        Assert.Equal(DateTimeOffset.Parse("2025-03-09T16:30:00Z", CultureInfo.InvariantCulture), latest.Time("at"));

        using var badMapping = new MultipartFormDataContent();
        badMapping.Add(new StringContent(csv, Encoding.UTF8), "file", "readings.csv");
        badMapping.Add(new StringContent("""{"colour": "blue"}"""), "mapping");
        await (await Client.SendAsync(Http.Request(HttpMethod.Post, $"{park.Url}/import", badMapping, park.Key))).ExpectValidationProblemAsync("mapping");

        using var mapped = new MultipartFormDataContent();
        mapped.Add(new StringContent("id;when;kwh\nX-1;10.03.2025 00:45;120,5\n", Encoding.UTF8), "file", "export.csv");
        mapped.Add(new StringContent("""{"meter": "id", "timestamp": "when", "value": "kwh", "timestamp_format": "dd.MM.yyyy HH:mm", "decimal_comma": true, "meter_code_map": {"X-1": "m1"}}"""), "mapping");
        var m = await (await Client.SendAsync(Http.Request(HttpMethod.Post, $"{park.Url}/import", mapped, park.Key))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, m.GetProperty("accepted").GetInt32());
        // 00:15 → 100, 00:30 → 110, 00:45 → 120.5: the day is 20.5.
        Assert.Equal(20.5, (await Client.GetJsonAsync($"{park.Url}/series?meter=m1&from=2025-03-10&to=2025-03-10")).Num("total"));

        using var plain = new MultipartFormDataContent();
        plain.Add(new StringContent("meter,timestamp,value\nm1,2025-03-10 01:00,130\n", Encoding.UTF8), "file", "plain.csv");
        var p = await (await Client.SendAsync(Http.Request(HttpMethod.Post, $"{park.Url}/import", plain, park.Key))).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains("offset", Assert.Single(p.Items("rejected")).Str("reason"));   // without a mapping, offsets are required

        using var text = new MultipartFormDataContent();
        text.Add(new StringContent("hello"), "file", "notes.pdf");
        await (await Client.SendAsync(Http.Request(HttpMethod.Post, $"{park.Url}/import", text, park.Key))).ExpectValidationProblemAsync("file");
    }

    // ------------------------------------------------------------------ queries

    [Fact]
    public async Task Day_series_of_a_cumulative_meter_follows_local_midnight()
    {
        var park = await NewParkAsync();
        await CreateMeterAsync(park, "m1", extra: """, "system": "it" """);
        // Register every 15 min in Asia/Shanghai (UTC+8) from 2025-03-01 23:00 to 2025-03-02 01:00 local:
        //   23:00 1000 (first reading: baseline, no delta)
        //   23:15 1010 (Δ10)  23:30 1025 (Δ15)  23:45 1045 (Δ20)
        //   00:00 1070 (Δ25: covers 23:45–00:00, so it belongs to March 1)
        //   00:15 1100 (Δ30)  00:30 1135 (Δ35)  00:45 1175 (Δ40)  01:00 1220 (Δ45)
        // March 1 = 10 + 15 + 20 + 25 = 70; March 2 = 30 + 35 + 40 + 45 = 150; total 220.
        // (Bucketed by UTC dates, all nine readings — 15:00Z to 17:00Z on March 1 — would fall on March 1.)
        var registers = new[] { 1000, 1010, 1025, 1045, 1070, 1100, 1135, 1175, 1220 };
        var start = T("2025-03-01T23:00:00+08:00");
        var batch = Batch(registers.Select((v, i) => ("m1", start.AddMinutes(15 * i).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture), (object)v)).ToArray());
        Assert.Equal(9, (await (await IngestAsync(park, batch)).ExpectAsync(HttpStatusCode.OK)).GetProperty("accepted").GetInt32());

        var s = await Client.GetJsonAsync($"{park.Url}/series?meter=m1&from=2025-03-01&to=2025-03-02&by=day");
        Assert.Equal(("m1", "kWh", "day"), (s.Str("target"), s.Str("unit"), s.Str("granularity")));
        var buckets = s.Items("buckets");
        Assert.Equal([70.0, 150.0], buckets.Select(b => b.Num("value")!.Value));
        Assert.Equal(220, s.Num("total"));
        Assert.Equal(T("2025-03-01T00:00:00+08:00"), buckets[0].Time("start"));
        Assert.Equal(T("2025-03-02T00:00:00+08:00"), buckets[0].Time("end"));
        Assert.Equal("+08:00", buckets[1].Str("start")[^6..]);
        Assert.Equal("kWh", buckets[0].Str("unit"));
        // Quality: 96 readings expected a day. March 1 received 23:00, 23:15, 23:30, 23:45 and 00:00 (5); March 2 the other 4.
        var q1 = buckets[0].GetProperty("quality");
        Assert.Equal(("partial", 5, 96), (q1.Str("label"), q1.GetProperty("received").GetInt32(), q1.GetProperty("expected").GetInt32()));
        Assert.Equal(5.0 / 96, q1.Num("completeness")!.Value, 9);
        Assert.Equal(4, buckets[1].GetProperty("quality").GetProperty("received").GetInt32());

        // One day only: March 2 alone is 150 (the 00:00 reading is not in it).
        Assert.Equal(150, (await Client.GetJsonAsync($"{park.Url}/series?meter=m1&from=2025-03-02&to=2025-03-02")).Num("total"));
        // Hours: 23:00–24:00 on March 1 = 70, 00:00–01:00 on March 2 = 150.
        var hours = (await Client.GetJsonAsync($"{park.Url}/series?meter=m1&from=2025-03-01&to=2025-03-02&by=hour")).Items("buckets");
        Assert.Equal(48, hours.Count);
        Assert.Equal(70, hours[23].Num("value"));
        Assert.Equal(150, hours[24].Num("value"));
        Assert.Equal(T("2025-03-02T00:00:00+08:00"), hours[24].Time("start"));
        // The node "system it" of the park sums the same meter: same days.
        var node = await Client.GetJsonAsync($"{park.Url}/series?system=it&carrier=electricity&from=2025-03-01&to=2025-03-02");
        Assert.Equal([70.0, 150.0], node.Items("buckets").Select(b => b.Num("value")!.Value));
        // A month bucket cut by the range sums its days: March 1–2 = 220.
        Assert.Equal(220, (await Client.GetJsonAsync($"{park.Url}/series?meter=m1&from=2025-03-01&to=2025-03-02&by=month")).Num("total"));
    }

    [Fact]
    public async Task Quality_reports_completeness_and_the_gaps_of_a_meter()
    {
        var park = await NewParkAsync();
        await CreateMeterAsync(park, "m1");
        // 2025-03-05 local: readings 00:15 … 02:00 (8) and 03:00 … 04:00 (5), 13 of 96.
        // Missing: 02:15, 02:30, 02:45 → gap [02:00, 02:45); and everything after 04:00 → gap [04:00, 24:00).
        var times = Enumerable.Range(1, 8).Select(i => i * 15).Concat(Enumerable.Range(12, 5).Select(i => i * 15));
        var day = T("2025-03-05T00:00:00+08:00");
        var batch = Batch(times.Select(m => ("m1", day.AddMinutes(m).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture), (object)(1000 + m))).ToArray());
        Assert.Equal(13, (await (await IngestAsync(park, batch)).ExpectAsync(HttpStatusCode.OK)).GetProperty("accepted").GetInt32());

        var q = await Client.GetJsonAsync($"{park.Url}/quality?meter=m1&from=2025-03-05&to=2025-03-05");
        var m1 = Assert.Single(q.Items("meters"));
        Assert.Equal((96, 13), (m1.GetProperty("expected").GetInt32(), m1.GetProperty("received").GetInt32()));
        Assert.Equal(13.54, m1.Num("completeness_percent"));   // 13 / 96 = 13.541…%
        var gaps = m1.Items("gaps");
        Assert.Equal(2, gaps.Count);
        Assert.Equal((T("2025-03-05T02:00:00+08:00"), T("2025-03-05T02:45:00+08:00")), (gaps[0].Time("start"), gaps[0].Time("end")));
        Assert.Equal((T("2025-03-05T04:00:00+08:00"), T("2025-03-06T00:00:00+08:00")), (gaps[1].Time("start"), gaps[1].Time("end")));
        Assert.Equal(T("2025-03-05T04:00:00+08:00"), m1.Time("last_reading_at"));
        Assert.Equal(1240, m1.Num("last_value"));

        // Park-wide report: every physical meter, no gap detail.
        var all = await Client.GetJsonAsync($"{park.Url}/quality?from=2025-03-05&to=2025-03-05");
        Assert.Equal(JsonValueKind.Null, Assert.Single(all.Items("meters")).GetProperty("gaps").ValueKind);
    }

    [Fact]
    public async Task Suspected_resets_are_listed_confirmed_and_a_meter_can_have_normal_resets()
    {
        var park = await NewParkAsync();
        await CreateMeterAsync(park, "m1");
        await CreateMeterAsync(park, "m2", extra: ", \"resets_normal\": true");
        await CreateMeterAsync(park, "iv", kind: "interval");
        // m1 and m2: 100, 130, drop to 50, 60 at 00:15..01:00. m1: 30 + 0 (suspected) + 10 = 40; m2 (resets normal):
        // 30 + 50 + 10 = 90.
        await (await IngestAsync(park, Batch(("m1", "2025-03-10T00:15:00+08:00", 100), ("m1", "2025-03-10T00:30:00+08:00", 130),
            ("m1", "2025-03-10T00:45:00+08:00", 50), ("m1", "2025-03-10T01:00:00+08:00", 60),
            ("m2", "2025-03-10T00:15:00+08:00", 100), ("m2", "2025-03-10T00:30:00+08:00", 130),
            ("m2", "2025-03-10T00:45:00+08:00", 50), ("m2", "2025-03-10T01:00:00+08:00", 60)))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(40, (await Client.GetJsonAsync($"{park.Url}/series?meter=m1&from=2025-03-10&to=2025-03-10")).Num("total"));
        Assert.Equal(90, (await Client.GetJsonAsync($"{park.Url}/series?meter=m2&from=2025-03-10&to=2025-03-10")).Num("total"));
        Assert.True((await Client.GetJsonAsync($"{park.Url}/meters/m2")).GetProperty("resets_normal").GetBoolean());

        var suspect = Assert.Single((await Client.GetJsonAsync($"{park.Url}/reset-suspects")).Items());
        Assert.Equal(("m1", T("2025-03-10T00:45:00+08:00"), 50.0, 130.0), (suspect.Str("meter"), suspect.Time("at"), suspect.Num("value")!.Value, suspect.Num("previous_value")!.Value));
        Assert.Empty((await Client.GetJsonAsync($"{park.Url}/reset-suspects?meter=m2")).Items());

        var url = $"{park.Url}/meters/m1/reset-confirmation";
        await (await Client.PostJsonAsync(url, """{"at": "2025-03-10T00:45:00+08:00", "resolution": "maybe"}""")).ExpectValidationProblemAsync("resolution");
        await (await Client.PostJsonAsync(url, """{"at": "2025-03-10T00:45:00+08:00", "resolution": "reset", "old_final": 3}""")).ExpectValidationProblemAsync("old_final");
        await (await Client.PostJsonAsync(url, """{"at": "2025-03-10T00:30:00+08:00", "resolution": "reset"}""")).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await Client.PostJsonAsync(url, """{"at": "2025-03-11T00:30:00+08:00", "resolution": "reset"}""")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await Client.PostJsonAsync(url, """{"at": "2025-03-10T00:45:00+08:00", "resolution": "reset", "reason": "vendor cleared it"}""")).ExpectAsync(HttpStatusCode.NoContent);
        // 30 + 50 (from zero) + 10 = 90; nothing left to confirm; audited as the signed-in user.
        Assert.Equal(90, (await Client.GetJsonAsync($"{park.Url}/series?meter=m1&from=2025-03-10&to=2025-03-10")).Num("total"));
        Assert.Empty((await Client.GetJsonAsync($"{park.Url}/reset-suspects")).Items());
        var audit = Assert.Single((await Client.GetJsonAsync($"{park.Url}/audit")).Items(), a => a.Str("action") == "confirm_reset");
        Assert.Equal((ApiServer.UserName, "vendor cleared it"), (audit.Str("user"), audit.Str("reason")));

        // Switching m2's setting off recounts it: 40, and its drop is listed.
        await (await Client.PutJsonAsync($"{park.Url}/meters/m2", """{"resets_normal": false}""")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(40, (await Client.GetJsonAsync($"{park.Url}/series?meter=m2&from=2025-03-10&to=2025-03-10")).Num("total"));
        Assert.Equal("m2", Assert.Single((await Client.GetJsonAsync($"{park.Url}/reset-suspects")).Items()).Str("meter"));
        await (await Client.PutJsonAsync($"{park.Url}/meters/iv", """{"resets_normal": true}""")).ExpectValidationProblemAsync("resets_normal");
    }

    [Fact]
    public async Task Replacement_fill_gaps_and_top_meters()
    {
        var park = await NewParkAsync();
        await CreateMeterAsync(park, "m1");
        await CreateMeterAsync(park, "m2");
        await (await IngestAsync(park, Batch(("m1", "2025-03-10T00:15:00+08:00", 100), ("m1", "2025-03-10T00:30:00+08:00", 110),
            ("m2", "2025-03-10T00:15:00+08:00", 0), ("m2", "2025-03-10T01:15:00+08:00", 40)))).ExpectAsync(HttpStatusCode.OK);

        // m1 replaced at 00:45: the old register ended at 118, the new one starts at 0, then reads 5 at 01:00.
        // Day = (110 − 100) + (118 − 110) + (5 − 0) = 23.
        await (await Client.PostJsonAsync($"{park.Url}/meters/m1/replacement", """{"at": "2025-03-10T00:45:00+08:00", "old_final": 118}"""))
            .ExpectValidationProblemAsync("new_initial");
        await (await Client.PostJsonAsync($"{park.Url}/meters/m1/replacement", """{"at": "2025-03-10T00:45:00+08:00", "old_final": 118, "new_initial": -1}"""))
            .ExpectValidationProblemAsync("new_initial");
        await (await Client.PostJsonAsync($"{park.Url}/meters/m1/replacement", """{"at": "2025-03-10 00:45", "old_final": 118, "new_initial": 0}"""))
            .ExpectValidationProblemAsync("at");
        // The audit log records the signed-in user: a "user" field is refused (nothing stored), not written to the log.
        Assert.Contains("unknown property 'user'", await (await Client.PostJsonAsync($"{park.Url}/meters/m1/replacement",
            """{"at": "2025-03-10T00:45:00+08:00", "old_final": 118, "new_initial": 0, "user": "tech", "reason": "meter swap"}""")).ExpectValidationProblemAsync("user"),
            StringComparison.Ordinal);
        var rep = await (await Client.PostJsonAsync($"{park.Url}/meters/m1/replacement",
            """{"at": "2025-03-10T00:45:00+08:00", "old_final": 118, "new_initial": 0, "reason": "meter swap"}""")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, rep.GetProperty("accepted").GetInt32());
        await (await IngestAsync(park, Batch(("m1", "2025-03-10T01:00:00+08:00", 5)))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(23, (await Client.GetJsonAsync($"{park.Url}/series?meter=m1&from=2025-03-10&to=2025-03-10")).Num("total"));
        var replaced = Assert.Single((await Client.GetJsonAsync($"{park.Url}/audit")).Items(), a => a.Str("action") == "replace");
        Assert.Equal((ApiServer.UserName, "meter swap"), (replaced.Str("user"), replaced.Str("reason")));

        // m2: 00:15 → 0, 01:15 → 40; filling writes estimates at 00:30, 00:45, 01:00 (10, 20, 30); the day stays 40.
        await (await Client.PostAsync($"{park.Url}/meters/m2/fill-gaps?from=2025-03-10&to=bad", null)).ExpectValidationProblemAsync("to");
        await (await Client.PostAsync($"{park.Url}/meters/m2/fill-gaps?from=2025-03-10&to=2025-03-10&user=ops", null)).ExpectValidationProblemAsync("user");
        var fill = await (await Client.PostAsync($"{park.Url}/meters/m2/fill-gaps?from=2025-03-10&to=2025-03-10", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(3, fill.GetProperty("accepted").GetInt32());
        var m2 = (await Client.GetJsonAsync($"{park.Url}/series?meter=m2&from=2025-03-10&to=2025-03-10")).Items("buckets")[0];
        Assert.Equal(40, m2.Num("value"));
        Assert.Equal(3, m2.GetProperty("quality").GetProperty("estimated").GetInt32());

        var top = (await Client.GetJsonAsync($"{park.Url}/top?from=2025-03-10&to=2025-03-10")).Items();
        Assert.Equal([("m2", 40.0), ("m1", 23.0)], top.Select(t => (t.Str("meter"), t.Num("value")!.Value)));
        Assert.Equal("kWh", top[0].Str("unit"));
        Assert.Single((await Client.GetJsonAsync($"{park.Url}/top?from=2025-03-10&to=2025-03-10&n=1")).Items());
        Assert.Empty((await Client.GetJsonAsync($"{park.Url}/top?from=2025-03-10&to=2025-03-10&carrier=water")).Items());
        Assert.Equal(["m1", "m2"], (await Client.GetJsonAsync($"{park.Url}/latest")).Items().Select(l => l.Str("meter")));
    }

    [Fact]
    public async Task Bad_query_parameters_are_a_400_naming_the_parameter()
    {
        var park = await NewParkAsync();
        await CreateMeterAsync(park, "m1");
        var s = $"{park.Url}/series";
        await (await Client.GetAsync($"{s}?meter=m1&to=2025-03-01")).ExpectValidationProblemAsync("from");
        await (await Client.GetAsync($"{s}?meter=m1&from=2025-02-30&to=2025-03-01")).ExpectValidationProblemAsync("from");
        await (await Client.GetAsync($"{s}?meter=m1&from=2025-03-01&to=tomorrow")).ExpectValidationProblemAsync("to");
        await (await Client.GetAsync($"{s}?meter=m1&from=2025-03-02&to=2025-03-01")).ExpectValidationProblemAsync("to");
        await (await Client.GetAsync($"{s}?meter=m1&from=2025-03-01&to=2025-03-01&by=week")).ExpectValidationProblemAsync("by");
        await (await Client.GetAsync($"{s}?carrier=plasma&from=2025-03-01&to=2025-03-01")).ExpectValidationProblemAsync("carrier");
        await (await Client.GetAsync($"{s}?role=boss&from=2025-03-01&to=2025-03-01")).ExpectValidationProblemAsync("role");
        await (await Client.GetAsync($"{s}?system=cooling.nope&from=2025-03-01&to=2025-03-01")).ExpectValidationProblemAsync("system");
        await (await Client.GetAsync($"{s}?meter=m1&carrier=water&from=2025-03-01&to=2025-03-01")).ExpectValidationProblemAsync("meter");
        await (await Client.GetAsync($"{s}?meter=m1&from=2025-01-01&to=2025-03-01&by=15min")).ExpectValidationProblemAsync("by");
        await (await Client.GetAsync($"{s}?meter=nope&from=2025-03-01&to=2025-03-01")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await Client.GetAsync($"{park.Url}/quality?from=2025-03-01&to=2025/03/01")).ExpectValidationProblemAsync("to");
        await (await Client.GetAsync($"{park.Url}/top?from=2025-03-01&to=2025-03-01&n=0")).ExpectValidationProblemAsync("n");
        await (await Client.GetAsync($"{park.Url}/top?from=2025-03-01&to=2025-03-01&carrier=plasma")).ExpectValidationProblemAsync("carrier");
        await (await Client.GetAsync($"{park.Url}/audit?limit=lots")).ExpectValidationProblemAsync("limit");
        await (await Client.GetAsync("/api/parks/nowhere/audit")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await Client.GetAsync("/api/parks/nowhere/series?meter=m1&from=2025-03-01&to=2025-03-01")).ExpectProblemAsync(HttpStatusCode.NotFound);

        // 15-minute buckets are served from raw readings.
        var q = (await Client.GetJsonAsync($"{s}?meter=m1&from=2025-03-01&to=2025-03-01&by=15min")).Items("buckets");
        Assert.Equal(96, q.Count);
    }
}

/// <summary>The API suite on the embedded SQLite store.</summary>
public sealed class SqliteApiTests(SqliteApiServer server) : ApiTests(server), IClassFixture<SqliteApiServer>;

/// <summary>The API suite on PostgreSQL. Never skipped: without ZEROPARK_TEST_PG every test fails, saying how to get a server.</summary>
public sealed class PostgresApiTests(PostgresApiServer server) : ApiTests(server), IClassFixture<PostgresApiServer>;
