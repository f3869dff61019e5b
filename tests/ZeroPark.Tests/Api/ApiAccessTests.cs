using System.Net;
using System.Text.Json;
using ZeroPark.Storage;

namespace ZeroPark.Tests.Api;

/// <summary>Who may call the REST API: sign-in through /api/session, park-level access, role rights, and gateway keys that keep
/// working without a user. On SQLite and PostgreSQL.</summary>
public abstract class ApiAccessTests(ApiServer server)
{
    private const string Pw = "access-test-password";

    private async Task<(string A, string B, string KeyA)> TwoParksAsync()
    {
        var a = "a" + Guid.NewGuid().ToString("N")[..8];
        var b = "b" + Guid.NewGuid().ToString("N")[..8];
        foreach (var p in new[] { a, b })
            await (await server.Client.PostJsonAsync("/api/parks", $$"""{"code": "{{p}}", "name": "Park {{p}}"}""")).ExpectAsync(HttpStatusCode.Created);
        await (await server.Client.PostJsonAsync($"/api/parks/{a}/meters",
            """{"code": "m1", "name": "Meter 1", "carrier": "electricity", "kind": "cumulative", "unit": "kWh", "role": "facility_input"}""")).ExpectAsync(HttpStatusCode.Created);
        var key = (await (await server.Client.PostJsonAsync($"/api/parks/{a}/api-keys", """{"name": "gw"}""")).ExpectAsync(HttpStatusCode.Created)).Str("key");
        return (a, b, key);
    }

    private async Task<HttpClient> UserAsync(UserRole role, params string[] parks)
    {
        var name = "u" + Guid.NewGuid().ToString("N")[..8];
        await server.Store.CreateUserAsync(name, Pw, role, parks, "test");
        return await server.SignedInClientAsync(name, Pw);
    }

    [Fact]
    public async Task Without_a_session_the_registry_query_and_energy_routes_answer_401_and_reference_data_stays_open()
    {
        var (a, _, _) = await TwoParksAsync();
        using var anonymous = server.NewClient();
        foreach (var url in new[] { "/api/parks", $"/api/parks/{a}", $"/api/parks/{a}/meters", $"/api/parks/{a}/latest",
                     $"/api/parks/{a}/energy/kpi?from=2025-01-01&to=2025-01-02", $"/api/parks/{a}/audit" })
            await (await anonymous.GetAsync(url)).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        await (await anonymous.PostJsonAsync("/api/parks", """{"code": "x1", "name": "X"}""")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        await anonymous.GetJsonAsync("/api/systems");
        await anonymous.GetJsonAsync("/health");
    }

    [Fact]
    public async Task Sign_in_sets_an_http_only_lax_cookie_and_wrong_passwords_lock_the_account()
    {
        var name = "s" + Guid.NewGuid().ToString("N")[..8];
        await server.Store.CreateUserAsync(name, Pw, UserRole.Viewer, [], "test");
        using var c = server.NewClient();
        var ok = await c.PostJsonAsync("/api/session", JsonSerializer.Serialize(new { user = name, password = Pw }));
        var body = await ok.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(("viewer", false), (body.Str("role"), body.GetProperty("all_parks").GetBoolean()));
        var cookie = Assert.Single(ok.Headers.GetValues("Set-Cookie"), h => h.StartsWith("zp_session=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("httponly", cookie);
        Assert.Contains("samesite=lax", cookie);
        Assert.Equal(name, (await c.GetJsonAsync("/api/session")).Str("user"));
        await (await c.DeleteAsync("/api/session")).ExpectAsync(HttpStatusCode.NoContent);
        await (await c.GetAsync("/api/parks")).ExpectProblemAsync(HttpStatusCode.Unauthorized);

        for (var i = 0; i < 4; i++)
            Assert.Equal("Unauthorized", (await (await c.PostJsonAsync("/api/session", JsonSerializer.Serialize(new { user = name, password = "wrong" })))
                .ExpectProblemAsync(HttpStatusCode.Unauthorized)).Str("title"));
        var locked = await (await c.PostJsonAsync("/api/session", JsonSerializer.Serialize(new { user = name, password = "wrong" }))).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Locked out", locked.Str("title"));
        Assert.Equal("Locked out", (await (await c.PostJsonAsync("/api/session", JsonSerializer.Serialize(new { user = name, password = Pw })))
            .ExpectProblemAsync(HttpStatusCode.Unauthorized)).Str("title"));
    }

    [Fact]
    public async Task A_viewer_of_park_a_reads_park_a_only_and_changes_nothing()
    {
        var (a, b, _) = await TwoParksAsync();
        using var viewer = await UserAsync(UserRole.Viewer, a);
        var parks = (await viewer.GetJsonAsync("/api/parks")).Items().Select(p => p.Str("code")).ToList();
        Assert.Equal([a], parks);
        await viewer.GetJsonAsync($"/api/parks/{a}/meters");
        await viewer.GetJsonAsync($"/api/parks/{a}/energy/kpi?from=2025-01-01&to=2025-01-02&by=total");
        // The assessment across parks ranks only the parks the user sees.
        var assessed = (await viewer.GetJsonAsync("/api/energy/assess?year=2025&as_of=2025-01-31")).GetProperty("nodes").EnumerateArray().Select(n => n.Str("node")).ToList();
        Assert.Equal([a], assessed);
        foreach (var url in new[] { $"/api/parks/{b}", $"/api/parks/{b}/meters", $"/api/parks/{b}/energy/kpi?from=2025-01-01&to=2025-01-02", $"/api/parks/{b}/series?from=2025-01-01&to=2025-01-02" })
            await (await viewer.GetAsync(url)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await viewer.GetAsync($"/api/parks/{a}/audit")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await viewer.PostJsonAsync($"/api/parks/{a}/spaces", """{"code": "b9", "name": "B9"}""")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await viewer.PostJsonAsync($"/api/parks/{a}/api-keys", """{"name": "mine"}""")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await viewer.GetAsync($"/api/parks/{a}/api-keys")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await viewer.DeleteAsync($"/api/parks/{a}/api-keys/1")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await viewer.PostJsonAsync("/api/parks", """{"code": "v1", "name": "V"}""")).ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Roles_have_their_rights_and_changes_are_audited_with_the_signed_in_user()
    {
        var (a, _, _) = await TwoParksAsync();
        using var auditor = await UserAsync(UserRole.Auditor, a);
        Assert.NotEmpty((await auditor.GetJsonAsync($"/api/parks/{a}/audit")).Items());
        await (await auditor.PutJsonAsync($"/api/parks/{a}", """{"name": "Renamed"}""")).ExpectProblemAsync(HttpStatusCode.Forbidden);

        using var entry = await UserAsync(UserRole.DataEntry, a);
        await (await entry.PostAsync($"/api/parks/{a}/meters/m1/fill-gaps?from=2025-01-01&to=2025-01-02", null)).ExpectAsync(HttpStatusCode.OK);
        await (await entry.PostJsonAsync($"/api/parks/{a}/spaces", """{"code": "b9", "name": "B9"}""")).ExpectProblemAsync(HttpStatusCode.Forbidden);

        var manager = "m" + Guid.NewGuid().ToString("N")[..8];
        await server.Store.CreateUserAsync(manager, Pw, UserRole.EnergyManager, [a], "test");
        using var mc = await server.SignedInClientAsync(manager, Pw);
        await (await mc.PostJsonAsync($"/api/parks/{a}/spaces", """{"code": "b9", "name": "B9"}""")).ExpectAsync(HttpStatusCode.Created);
        await (await mc.PostJsonAsync("/api/parks", """{"code": "m9", "name": "M9"}""")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        var audit = (await server.Client.GetJsonAsync($"/api/parks/{a}/audit")).Items();
        Assert.Contains(audit, e => e.Str("entity") == "space" && e.Str("entity_key") == "b9" && e.Str("user") == manager);
    }

    [Fact]
    public async Task Voiding_readings_needs_a_reason_and_a_registry_role_and_stays_in_its_park()
    {
        var (a, b, key) = await TwoParksAsync();
        using var gateway = server.NewClient();
        gateway.DefaultRequestHeaders.Add("X-Api-Key", key);
        // m1: 100, 1250 (a typo for 125), 135 at 00:15, 00:30, 00:45.
        await (await gateway.PostJsonAsync($"/api/parks/{a}/ingest", """
            {"points": [{"meter": "m1", "ts": "2025-01-01T00:15:00+08:00", "value": 100}, {"meter": "m1", "ts": "2025-01-01T00:30:00+08:00", "value": 1250},
                        {"meter": "m1", "ts": "2025-01-01T00:45:00+08:00", "value": 135}]}
            """)).ExpectAsync(HttpStatusCode.OK);
        var url = $"/api/parks/{a}/meters/m1/void";
        const string body = """{"at": "2025-01-01T00:30:00+08:00", "reason": "typo: 1250 for 125"}""";
        using var viewer = await UserAsync(UserRole.Viewer, a);
        await (await viewer.PostJsonAsync(url, body)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        using var entry = await UserAsync(UserRole.DataEntry, a);
        await (await entry.PostJsonAsync(url, body)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        using var manager = await UserAsync(UserRole.EnergyManager, a);
        await (await manager.PostJsonAsync(url, """{"at": "2025-01-01T00:30:00+08:00"}""")).ExpectValidationProblemAsync("reason");
        // Park b: not granted to the manager (404), and no meter m1 there for an administrator (404).
        await (await manager.PostJsonAsync($"/api/parks/{b}/meters/m1/void", body)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await server.Client.PostJsonAsync($"/api/parks/{b}/meters/m1/void", body)).ExpectProblemAsync(HttpStatusCode.NotFound);
        // Before: Δ 1150 (100 → 1250), then 135 a drop (suspected reset, Δ 0): 1150. After voiding 1250: 135 − 100 = 35.
        Assert.Equal(1150, (await server.Client.GetJsonAsync($"/api/parks/{a}/series?meter=m1&from=2025-01-01&to=2025-01-01")).Num("total"));
        var ok = await (await manager.PostJsonAsync(url, body)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((1, 1), (ok.GetProperty("voided").GetInt32(), ok.GetProperty("recomputed").GetInt32()));
        Assert.Equal(35, (await server.Client.GetJsonAsync($"/api/parks/{a}/series?meter=m1&from=2025-01-01&to=2025-01-01")).Num("total"));
        var audit = Assert.Single((await server.Client.GetJsonAsync($"/api/parks/{a}/audit")).Items(), e => e.Str("action") == "void");
        Assert.Equal(("typo: 1250 for 125", "m1@2025-01-01T00:30:00+08:00"), (audit.Str("reason"), audit.Str("entity_key")));
    }

    [Fact]
    public async Task Recomputing_stored_readings_is_for_administrators_and_audited()
    {
        var (a, _, key) = await TwoParksAsync();
        using var gateway = server.NewClient();
        gateway.DefaultRequestHeaders.Add("X-Api-Key", key);
        await (await gateway.PostJsonAsync($"/api/parks/{a}/ingest", """
            {"points": [{"meter": "m1", "ts": "2025-01-01T00:15:00+08:00", "value": 100}, {"meter": "m1", "ts": "2025-01-01T00:30:00+08:00", "value": 110}]}
            """)).ExpectAsync(HttpStatusCode.OK);
        using var manager = await UserAsync(UserRole.EnergyManager, a);
        await (await manager.PostAsync($"/api/parks/{a}/recompute?meter=m1", null)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await server.Client.PostAsync($"/api/parks/{a}/recompute?meter=nope", null)).ExpectProblemAsync(HttpStatusCode.NotFound);
        // Stored under the current rules already: nothing changes, and the run is audited.
        var one = Assert.Single((await (await server.Client.PostAsync($"/api/parks/{a}/recompute?meter=m1", null)).ExpectAsync(HttpStatusCode.OK)).EnumerateArray());
        Assert.Equal(("m1", 0), (one.Str("meter"), one.GetProperty("changed").GetInt32()));
        Assert.Contains((await server.Client.GetJsonAsync($"/api/parks/{a}/audit")).Items(), e => e.Str("action") == "recompute" && e.Str("entity_key") == "m1");
    }

    [Fact]
    public async Task A_session_ends_when_the_user_is_disabled_or_loses_the_grant()
    {
        var (a, _, _) = await TwoParksAsync();
        var name = "g" + Guid.NewGuid().ToString("N")[..8];
        await server.Store.CreateUserAsync(name, Pw, UserRole.Viewer, [a], "test");
        using var c = await server.SignedInClientAsync(name, Pw);
        await c.GetJsonAsync($"/api/parks/{a}/meters");
        await server.Store.UpdateUserAsync(name, UserRole.Viewer, [], disabled: false, "test");
        await (await c.GetAsync($"/api/parks/{a}/meters")).ExpectProblemAsync(HttpStatusCode.Unauthorized);   // the stamp changed
        using var again = await server.SignedInClientAsync(name, Pw);
        await (await again.GetAsync($"/api/parks/{a}/meters")).ExpectProblemAsync(HttpStatusCode.NotFound);     // no longer granted
    }

    [Fact]
    public async Task Gateway_ingest_keeps_its_per_park_api_keys_without_a_user()
    {
        var (a, b, key) = await TwoParksAsync();
        using var gateway = server.NewClient();
        var r = await gateway.PostJsonAsync($"/api/parks/{a}/ingest", """{"points": [{"meter": "m1", "ts": "2025-01-01T00:00:00+08:00", "value": 10}]}""", key);
        Assert.Equal(1, (await r.ExpectAsync(HttpStatusCode.OK)).GetProperty("accepted").GetInt32());
        await (await gateway.PostJsonAsync($"/api/parks/{b}/ingest", """{"points": []}""", key)).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        await (await gateway.GetAsync($"/api/parks/{a}/latest")).ExpectProblemAsync(HttpStatusCode.Unauthorized);   // a key is for ingest only
    }
}

public sealed class SqliteApiAccessTests(SqliteApiServer server) : ApiAccessTests(server), IClassFixture<SqliteApiServer>;

public sealed class PostgresApiAccessTests(PostgresApiServer server) : ApiAccessTests(server), IClassFixture<PostgresApiServer>;
