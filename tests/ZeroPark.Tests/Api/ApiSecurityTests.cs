using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http;
using ZeroPark.Application;

namespace ZeroPark.Tests.Api;

/// <summary>The security fixes of issue 11 through the REST API, on SQLite and PostgreSQL: a key writes as the key, sign-out ends
/// copied sessions, the lockout holds under parallel guesses, old hashes are upgraded, weak passwords and oversized names are
/// refused, foreign-origin cookie writes get 403, forwarded headers only from known proxies.</summary>
public abstract class ApiSecurityTests(ApiServer server)
{
    private const string Pw = "security-test-password";

    private static string NewName(string prefix) => prefix + Guid.NewGuid().ToString("N")[..8];

    private async Task<(string Park, string Key)> ParkAsync()
    {
        var a = NewName("s");
        await (await server.Client.PostJsonAsync("/api/parks", $$"""{"code": "{{a}}", "name": "Park {{a}}"}""")).ExpectAsync(HttpStatusCode.Created);
        await (await server.Client.PostJsonAsync($"/api/parks/{a}/meters",
            """{"code": "m1", "name": "Meter 1", "carrier": "electricity", "kind": "cumulative", "unit": "kWh", "role": "facility_input"}""")).ExpectAsync(HttpStatusCode.Created);
        var key = (await (await server.Client.PostJsonAsync($"/api/parks/{a}/api-keys", """{"name": "gw"}""")).ExpectAsync(HttpStatusCode.Created)).Str("key");
        return (a, key);
    }

    [Fact]
    public async Task A_key_writes_a_manual_entry_as_the_key_even_when_the_body_names_an_administrator()
    {
        var (a, key) = await ParkAsync();
        await server.Store.Users.CreateUserAsync(NewName("root"), Pw, UserRole.Administrator, [], "test");
        using var gateway = server.NewClient();
        var r = await gateway.PostJsonAsync($"/api/parks/{a}/readings/manual",
            """{"meter": "m1", "ts": "2025-01-01T00:00:00+08:00", "value": 10, "user": "root1", "reason": "read on site"}""", key);
        await r.ExpectAsync(HttpStatusCode.OK);
        var audit = (await server.Client.GetJsonAsync($"/api/parks/{a}/audit")).Items();
        var manual = Assert.Single(audit, e => e.Str("action") == "manual_entry");
        Assert.Equal("key:gw", manual.Str("user"));
        Assert.DoesNotContain(audit, e => e.Str("user") == "root1");
    }

    [Fact]
    public async Task Sign_out_ends_a_copied_session_cookie_and_so_do_password_and_role_changes()
    {
        var name = NewName("u");
        await server.Store.Users.CreateUserAsync(name, Pw, UserRole.Viewer, [], "test");

        async Task<string> CookieAsync()
        {
            using var c = server.NewClient();
            var ok = await c.PostJsonAsync("/api/session", JsonSerializer.Serialize(new { user = name, password = Pw }));
            await ok.ExpectAsync(HttpStatusCode.OK);
            return ok.Headers.GetValues("Set-Cookie").Single(h => h.StartsWith("zp_session=", StringComparison.Ordinal)).Split(';')[0];
        }

        async Task<HttpStatusCode> WithCookieAsync(HttpMethod method, string cookie)
        {
            using var c = server.NewClient();
            var req = new HttpRequestMessage(method, "/api/session");
            req.Headers.Add("Cookie", cookie);
            return (await c.SendAsync(req)).StatusCode;
        }

        // Sign-out from one copy ends the other copy too.
        var cookie = await CookieAsync();
        Assert.Equal(HttpStatusCode.OK, await WithCookieAsync(HttpMethod.Get, cookie));
        Assert.Equal(HttpStatusCode.NoContent, await WithCookieAsync(HttpMethod.Delete, cookie));
        Assert.Equal(HttpStatusCode.Unauthorized, await WithCookieAsync(HttpMethod.Get, cookie));

        // A password change ends it.
        cookie = await CookieAsync();
        await server.Store.Users.SetPasswordAsync(name, Pw, "test");
        Assert.Equal(HttpStatusCode.Unauthorized, await WithCookieAsync(HttpMethod.Get, cookie));

        // A role change ends it.
        cookie = await CookieAsync();
        await server.Store.Users.UpdateUserAsync(name, UserRole.Auditor, [], false, "test");
        Assert.Equal(HttpStatusCode.Unauthorized, await WithCookieAsync(HttpMethod.Get, cookie));
    }

    [Fact]
    public async Task Thirty_parallel_wrong_passwords_check_exactly_five_and_lock_once_and_the_right_password_stays_out()
    {
        var name = NewName("l");
        await server.Store.Users.CreateUserAsync(name, Pw, UserRole.Viewer, [], "test");
        var results = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => Task.Run(() => server.Store.Users.SignInAsync(name, "wrong password " + i))));
        // 5 guesses are checked: the first 4 answer "invalid", the 5th locks; the other 25 find the lock: 4 + 26 = 30.
        Assert.Equal(4, results.Count(r => r.Status == SignInStatus.Invalid));
        Assert.Equal(26, results.Count(r => r.Status == SignInStatus.LockedOut));
        Assert.Single(await server.Store.Audit.AuditLogAsync(null, 1000), e => e.Action == "lock" && e.EntityKey == name);
        Assert.Equal(SignInStatus.LockedOut, (await server.Store.Users.SignInAsync(name, Pw)).Status);
    }

    [Fact]
    public async Task An_old_pbkdf2_hash_signs_in_and_is_replaced_by_argon2id()
    {
        var name = NewName("h");
        await server.Store.Users.CreateUserAsync(name, Pw, UserRole.Viewer, [], "test");
        await using (var c = await server.Store.OpenConnectionAsync())
            await c.ExecuteAsync("UPDATE users SET password_hash = @h WHERE name = @name", new { h = PasswordHashing.HashPbkdf2(Pw), name });
        using var client = await server.SignedInClientAsync(name, Pw);
        await using (var c = await server.Store.OpenConnectionAsync())
        {
            var hash = await c.ExecuteScalarAsync<string>("SELECT password_hash FROM users WHERE name = @name", new { name });
            Assert.StartsWith("$argon2id$v=19$", hash);
        }
        using var again = await server.SignedInClientAsync(name, Pw);
        Assert.Equal(SignInStatus.Invalid, (await server.Store.Users.SignInAsync(name, "not the password")).Status);
    }

    [Theory]
    [InlineData("1234567890", "common")]            // first in the common list of 10+ characters
    [InlineData("password123", "common")]
    [InlineData("aaaaaaaaaaaa", "fewer than 4")]
    [InlineData("abcdabcdabcd", "repeated")]
    [InlineData("zyxwvutsrqpo", "consecutive")]
    [InlineData("5678901234", "consecutive")]       // '0' after '9' continues the run
    public async Task Common_and_trivial_passwords_are_refused(string password, string why)
    {
        var ex = await Assert.ThrowsAsync<ValidationException>(() => server.Store.Users.CreateUserAsync(NewName("p"), password, UserRole.Viewer, [], "test"));
        Assert.Equal("password", ex.Field);
        Assert.Contains(why, ex.Message, StringComparison.Ordinal);
        await server.Store.Users.CreateUserAsync(NewName("p"), "correct horse battery", UserRole.Viewer, [], "test");
    }

    [Fact]
    public async Task Names_longer_than_200_characters_are_refused_naming_the_field()
    {
        var (a, _) = await ParkAsync();
        var n200 = new string('名', 200);
        var n201 = new string('名', 201);
        Assert.Contains("201 characters; at most 200", await (await server.Client.PostJsonAsync("/api/parks", $$"""{"code": "{{NewName("x")}}", "name": "{{n201}}"}"""))
            .ExpectValidationProblemAsync("name"));
        await (await server.Client.PostJsonAsync("/api/parks", $$"""{"code": "{{NewName("x")}}", "name": "{{n200}}"}""")).ExpectAsync(HttpStatusCode.Created);
        await (await server.Client.PostJsonAsync($"/api/parks/{a}/spaces", $$"""{"code": "b1", "name": "{{n201}}"}""")).ExpectValidationProblemAsync("name");
        await (await server.Client.PostJsonAsync($"/api/parks/{a}/meters",
            $$"""{"code": "m2", "name": "{{n201}}", "carrier": "electricity", "kind": "cumulative", "unit": "kWh"}""")).ExpectValidationProblemAsync("name");
        await (await server.Client.PostJsonAsync($"/api/parks/{a}/api-keys", $$"""{"name": "{{n201}}"}""")).ExpectValidationProblemAsync("name");
        // A 25 MB name never reaches the store: the limit answers first.
        var huge = new string('x', 2_000_001);
        await (await server.Client.PostJsonAsync($"/api/parks/{a}/spaces", $$"""{"code": "b2", "name": "{{huge}}"}""")).ExpectValidationProblemAsync("name");
    }

    [Fact]
    public async Task Cookie_writes_from_a_foreign_origin_get_403_on_every_method_including_bodyless_posts()
    {
        var (a, key) = await ParkAsync();
        var routes = new (HttpMethod Method, string Url, string? Body)[]
        {
            (HttpMethod.Post, "/api/parks", """{"code": "evil1", "name": "Evil"}"""),
            (HttpMethod.Post, $"/api/parks/{a}/meters/m1/fill-gaps?from=2025-01-01&to=2025-01-02", null),
            (HttpMethod.Post, $"/api/parks/{a}/carbon/inventories/1/finalize", null),
            (HttpMethod.Put, $"/api/parks/{a}", """{"name": "Evil"}"""),
            (HttpMethod.Delete, $"/api/parks/{a}/meters/m1", null),
            (HttpMethod.Delete, "/api/session", null),
        };
        foreach (var (method, url, body) in routes)
        {
            foreach (var (header, value) in new[] { ("Origin", "https://evil.example"), ("Referer", "https://evil.example/page"), ("Origin", "null"), ("Sec-Fetch-Site", "cross-site") })
            {
                var req = Http.Request(method, url, body is null ? null : Http.JsonBody(body));
                req.Headers.TryAddWithoutValidation(header, value);
                await (await server.Client.SendAsync(req)).ExpectProblemAsync(HttpStatusCode.Forbidden);
            }
        }
        // Nothing was changed: the meter is still there and the park keeps its name.
        Assert.Equal($"Park {a}", (await server.Client.GetJsonAsync($"/api/parks/{a}")).Str("name"));
        await server.Client.GetJsonAsync($"/api/parks/{a}/meters/m1");

        // The server's own origin passes.
        var own = Http.Request(HttpMethod.Post, "/api/parks", Http.JsonBody($$"""{"code": "{{NewName("o")}}", "name": "Own"}"""));
        own.Headers.Add("Origin", "http://localhost");
        await (await server.Client.SendAsync(own)).ExpectAsync(HttpStatusCode.Created);
        // A gateway key is not a cookie: exempt, even with a foreign Origin and a session cookie on the same client.
        var gw = Http.Request(HttpMethod.Post, $"/api/parks/{a}/ingest", Http.JsonBody("""{"points": [{"meter": "m1", "ts": "2025-01-01T00:00:00+08:00", "value": 1}]}"""), key);
        gw.Headers.Add("Origin", "https://evil.example");
        await (await server.Client.SendAsync(gw)).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task X_forwarded_proto_from_an_unconfigured_proxy_is_ignored_by_default()
    {
        var name = NewName("f");
        await server.Store.Users.CreateUserAsync(name, Pw, UserRole.Viewer, [], "test");
        var ctx = await Raw.SignInAsync(server, "127.0.0.1", name, Pw, forwardedProto: "https");
        Assert.Equal(200, ctx.Response.StatusCode);
        Assert.DoesNotContain("secure", Raw.SessionCookie(ctx), StringComparison.OrdinalIgnoreCase);
    }
}

public sealed class SqliteApiSecurityTests(SqliteApiServer server) : ApiSecurityTests(server), IClassFixture<SqliteApiServer>;

public sealed class PostgresApiSecurityTests(PostgresApiServer server) : ApiSecurityTests(server), IClassFixture<PostgresApiServer>;

/// <summary>Requests with a chosen remote address (TestServer lets the test set the connection).</summary>
internal static class Raw
{
    public static Task<HttpContext> SendAsync(ApiServer server, string remote, string method, string path, string? json = null, Action<HttpRequest>? more = null) =>
        server.Factory.Server.SendAsync(c =>
        {
            c.Connection.RemoteIpAddress = IPAddress.Parse(remote);
            c.Request.Method = method;
            c.Request.Path = path;
            if (json is not null)
            {
                var bytes = Encoding.UTF8.GetBytes(json);
                c.Request.Body = new MemoryStream(bytes);
                c.Request.ContentType = "application/json";
                c.Request.ContentLength = bytes.Length;
            }
            more?.Invoke(c.Request);
        });

    public static Task<HttpContext> SignInAsync(ApiServer server, string remote, string user, string password, string? forwardedProto = null) =>
        SendAsync(server, remote, "POST", "/api/session", JsonSerializer.Serialize(new { user, password }), r =>
        {
            if (forwardedProto is not null)
            {
                r.Headers["X-Forwarded-Proto"] = forwardedProto;
                r.Headers["X-Forwarded-For"] = "203.0.113.7";
            }
        });

    public static string SessionCookie(HttpContext ctx) =>
        ctx.Response.Headers.SetCookie.Single(h => h!.StartsWith("zp_session=", StringComparison.Ordinal))!;
}

/// <summary>A server with small limits and a trusted proxy (SQLite: the limiter and the proxy rules keep no state in the store).</summary>
public sealed class LimitedApiServer : SqliteApiServer
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["ZeroPark:Security:ClientRequests"] = "5",
        ["ZeroPark:Security:WindowSeconds"] = "60",
        ["ZeroPark:Security:ClientSignIns"] = "4",
        ["ZeroPark:Security:AccountSignIns"] = "3",
        ["ZeroPark:Security:SignInWindowSeconds"] = "60",
        ["ZeroPark:Security:KnownProxies"] = "10.9.9.9",
    };
}

public sealed class ApiRateLimitAndProxyTests(LimitedApiServer server) : IClassFixture<LimitedApiServer>
{
    private const string Pw = "limited-test-password";

    [Fact]
    public async Task A_client_over_its_request_limit_gets_429_with_retry_after_and_other_clients_go_on()
    {
        for (var i = 0; i < 5; i++)
            Assert.Equal(200, (await Raw.SendAsync(server, "10.1.1.1", "GET", "/health")).Response.StatusCode);
        var sixth = await Raw.SendAsync(server, "10.1.1.1", "GET", "/api/systems");
        Assert.Equal(429, sixth.Response.StatusCode);
        var retry = int.Parse(sixth.Response.Headers.RetryAfter.ToString(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retry, 1, 60);                                        // within the 60 s window
        Assert.Equal(200, (await Raw.SendAsync(server, "10.1.1.2", "GET", "/health")).Response.StatusCode);
    }

    [Fact]
    public async Task An_account_over_its_sign_in_limit_gets_429_from_any_client_even_with_the_right_password()
    {
        var name = "v" + Guid.NewGuid().ToString("N")[..8];
        var other = "o" + Guid.NewGuid().ToString("N")[..8];
        await server.Store.Users.CreateUserAsync(name, Pw, UserRole.Viewer, [], "test");
        await server.Store.Users.CreateUserAsync(other, Pw, UserRole.Viewer, [], "test");
        // 3 attempts per account per minute, each from another address (so the per-client limit of 4 is not what stops them).
        for (var i = 0; i < 3; i++)
            Assert.Equal(401, (await Raw.SignInAsync(server, $"10.3.0.{i + 1}", name, "wrong password " + i)).Response.StatusCode);
        var fourth = await Raw.SignInAsync(server, "10.3.0.9", name, Pw);
        Assert.Equal(429, fourth.Response.StatusCode);
        Assert.InRange(int.Parse(fourth.Response.Headers.RetryAfter.ToString(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Equal(200, (await Raw.SignInAsync(server, "10.3.0.10", other, Pw)).Response.StatusCode);
    }

    [Fact]
    public async Task A_client_over_its_sign_in_limit_gets_429_across_accounts()
    {
        for (var i = 0; i < 4; i++)
            Assert.Equal(401, (await Raw.SignInAsync(server, "10.4.4.4", $"nobody{i}.{Guid.NewGuid():N}", "wrong password")).Response.StatusCode);
        var fifth = await Raw.SignInAsync(server, "10.4.4.4", "nobody.else", "wrong password");
        Assert.Equal(429, fifth.Response.StatusCode);
        Assert.True(fifth.Response.Headers.ContainsKey("Retry-After"));
    }

    [Fact]
    public async Task The_session_cookie_is_secure_behind_a_configured_tls_proxy_only()
    {
        var name = "p" + Guid.NewGuid().ToString("N")[..8];
        await server.Store.Users.CreateUserAsync(name, Pw, UserRole.Viewer, [], "test");
        var trusted = await Raw.SignInAsync(server, "10.9.9.9", name, Pw, forwardedProto: "https");
        Assert.Equal(200, trusted.Response.StatusCode);
        Assert.Contains("secure", Raw.SessionCookie(trusted), StringComparison.OrdinalIgnoreCase);
        var untrusted = await Raw.SignInAsync(server, "10.9.9.8", name, Pw, forwardedProto: "https");
        Assert.Equal(200, untrusted.Response.StatusCode);
        Assert.DoesNotContain("secure", Raw.SessionCookie(untrusted), StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>A server whose data-protection keys are encrypted with a certificate the operator supplies.</summary>
public sealed class CertificateApiServer : SqliteApiServer
{
    public string KeysPath { get; } = Path.Combine(Path.GetTempPath(), "zeropark-tests", "dp-" + Guid.NewGuid().ToString("N"));

    protected override IReadOnlyDictionary<string, string?> Settings
    {
        get
        {
            Directory.CreateDirectory(KeysPath);
            using var rsa = RSA.Create(2048);
            var req = new CertificateRequest("CN=zeropark-test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var cert = req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            var pfx = Path.Combine(KeysPath, "..", Path.GetFileName(KeysPath) + ".pfx");
            File.WriteAllBytes(pfx, cert.Export(X509ContentType.Pfx, "pfx-password"));
            return new Dictionary<string, string?>
            {
                ["ZeroPark:DataProtection:KeysPath"] = KeysPath,
                ["ZeroPark:DataProtection:CertificatePath"] = pfx,
                ["ZeroPark:DataProtection:CertificatePassword"] = "pfx-password",
            };
        }
    }
}

public sealed class DataProtectionKeyTests(CertificateApiServer server) : IClassFixture<CertificateApiServer>
{
    [Fact]
    public async Task With_a_certificate_configured_the_key_ring_on_disk_is_encrypted_and_sessions_work()
    {
        // The fixture signed in (a session cookie needs a key): the key file exists and holds only an encrypted secret.
        var file = Assert.Single(Directory.GetFiles(server.KeysPath, "key-*.xml"));
        var xml = await File.ReadAllTextAsync(file);
        Assert.Contains("encryptedSecret", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
        Assert.Equal(ApiServer.UserName, (await server.Client.GetJsonAsync("/api/session")).Str("user"));
    }
}
