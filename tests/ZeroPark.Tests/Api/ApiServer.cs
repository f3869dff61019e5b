using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using ZeroPark.Application;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.Api;

/// <summary>A settable clock: the server's <see cref="TimeProvider"/> (line-protocol points without timestamp, audit times).</summary>
public sealed class TestClock : TimeProvider
{
    public DateTimeOffset Now { get; set; } = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => Now.ToUniversalTime();
}

/// <summary>The ZeroPark server in memory (<see cref="WebApplicationFactory{TEntryPoint}"/> of the server assembly: its <c>Program</c>, not
/// named directly because the CLI assembly has a top-level <c>Program</c> too) on a database of its own.</summary>
public sealed class ZeroParkApiFactory(string db, TestClock clock, IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<ZeroPark.Server.ZeroParkServerEntryPoint>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ZeroPark:Db", db);
        // Every test client of the in-memory server is the same client to the rate limiter: lift the per-client limit (the
        // limiter's own tests set theirs).
        builder.UseSetting("ZeroPark:Security:ClientRequests", "1000000");
        // The alert loop would evaluate every test park in the background; API tests evaluate through POST …/alerts/evaluate.
        builder.UseSetting("ZeroPark:Alerts:Enabled", "false");
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) builder.UseSetting(k, v);
        builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock));
    }
}

/// <summary>One server per test class and database kind; each test seeds its own park (see <see cref="ApiTests.NewParkAsync"/>).</summary>
#pragma warning disable CA1001 // the factory is disposed by IAsyncLifetime.DisposeAsync, as xUnit fixtures are
public abstract class ApiServer : IAsyncLifetime
#pragma warning restore CA1001
{
    private ZeroParkApiFactory? _factory;

    public TestClock Clock { get; } = new();
    public HttpClient Client { get; private set; } = null!;
    public string Database { get; private set; } = "";

    /// <summary>The store kind the server must report at /health.</summary>
    public abstract string Kind { get; }

    protected abstract string NewDatabase();

    /// <summary>Configuration of the server beyond the database (e.g. the limits under test).</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>The in-memory server (for requests with a chosen remote address: <c>Factory.Server.SendAsync</c>).</summary>
    public ZeroParkApiFactory Factory => _factory!;

    /// <summary>The administrator <see cref="Client"/> is signed in as (the registry, query and energy routes need a user).</summary>
    public const string UserName = "api.tester";
    public const string Password = "api-tester-password";

    /// <summary>The server's store (to add users with other roles).</summary>
    public ZeroParkStore Store => _factory!.Services.GetRequiredService<ZeroParkStore>();

    public async Task InitializeAsync()
    {
        Database = NewDatabase();
        _factory = new ZeroParkApiFactory(Database, Clock, Settings);
        Client = _factory.CreateClient();
        await Store.Users.CreateUserAsync(UserName, Password, UserRole.Administrator, [], "test");
        Client = await SignedInClientAsync(UserName, Password);
    }

    /// <summary>A new client of the server with no session (cookies are kept per client).</summary>
    public HttpClient NewClient(Uri? baseAddress = null) =>
        _factory!.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = baseAddress ?? new Uri("http://localhost"), AllowAutoRedirect = false });

    /// <summary>A new client signed in through <c>POST /api/session</c> (its session cookie is sent with every request).</summary>
    public async Task<HttpClient> SignedInClientAsync(string user, string password)
    {
        var c = NewClient();
        var r = await c.PostJsonAsync("/api/session", JsonSerializer.Serialize(new { user, password }));
        await r.ExpectAsync(HttpStatusCode.OK);
        return c;
    }

    public virtual async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_factory is not null) await _factory.DisposeAsync();
    }
}

public class SqliteApiServer : ApiServer
{
    public override string Kind => "sqlite";

    protected override string NewDatabase() => TestDatabases.NewSqlitePath();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            try { File.Delete(Database + suffix); } catch (IOException) { /* best effort: it is a temp file */ }
        }
    }
}

public sealed class PostgresApiServer : ApiServer
{
    public override string Kind => "postgres";

    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException(
            "The PostgreSQL API tests need a server: ZEROPARK_TEST_PG is not set. Run ./scripts/test.sh (it starts a throwaway PostgreSQL 15 " +
            "on 127.0.0.1 and sets it), e.g. ./scripts/test.sh --filter FullyQualifiedName~ZeroPark.Tests.Api, or source scripts/lib/pg.sh, " +
            "run zp_pg_start and export ZEROPARK_TEST_PG=\"$ZP_PG_CONN\".")
        : TestDatabases.NewPostgresDatabase();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (TestDatabases.PostgresConnectionString is not { } cs || Database.Length == 0) return;
        try
        {
            var name = new NpgsqlConnectionStringBuilder(Database).Database;
            NpgsqlConnection.ClearAllPools();
            await using var c = new NpgsqlConnection(cs);
            await c.OpenAsync();
            await using var cmd = c.CreateCommand();
            cmd.CommandText = $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)";
            await cmd.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException)
        {
            // best effort: the test server is thrown away anyway
        }
    }
}

/// <summary>HTTP helpers: every assertion on a status shows the body when it fails.</summary>
internal static class Http
{
    public static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    public static HttpRequestMessage Request(HttpMethod method, string url, HttpContent? content = null, string? apiKey = null)
    {
        var r = new HttpRequestMessage(method, url) { Content = content };
        if (apiKey is not null) r.Headers.Add("X-Api-Key", apiKey);
        return r;
    }

    public static HttpRequestMessage WithAuthorization(this HttpRequestMessage r, string scheme, string value)
    {
        r.Headers.Authorization = new AuthenticationHeaderValue(scheme, value);
        return r;
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient c, string url, string json, string? apiKey = null) =>
        c.SendAsync(Request(HttpMethod.Post, url, JsonBody(json), apiKey));

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient c, string url, string json) =>
        c.SendAsync(Request(HttpMethod.Put, url, JsonBody(json)));

    /// <summary>Asserts the status and returns the JSON body (default when the body is empty).</summary>
    public static async Task<JsonElement> ExpectAsync(this HttpResponseMessage r, HttpStatusCode status)
    {
        var text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == status, $"{r.RequestMessage?.Method} {r.RequestMessage?.RequestUri}: expected {(int)status} {status}, got {(int)r.StatusCode} {r.StatusCode}: {text}");
        if (text.Length == 0) return default;
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient c, string url, HttpStatusCode status = HttpStatusCode.OK) =>
        await (await c.GetAsync(url)).ExpectAsync(status);

    /// <summary>Asserts a 400 ValidationProblem whose <c>errors</c> name <paramref name="field"/>; returns the field's messages.</summary>
    public static async Task<string> ExpectValidationProblemAsync(this HttpResponseMessage r, string field)
    {
        var body = await r.ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(400, body.GetProperty("status").GetInt32());
        var found = body.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _);
        Assert.True(found, $"expected errors['{field}'] in {body}");
        return string.Join(" | ", errors.GetProperty(field).EnumerateArray().Select(m => m.GetString()));
    }

    /// <summary>Asserts a ProblemDetails response with the status.</summary>
    public static async Task<JsonElement> ExpectProblemAsync(this HttpResponseMessage r, HttpStatusCode status)
    {
        var body = await r.ExpectAsync(status);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        return body;
    }

    public static string Str(this JsonElement e, string property) => e.GetProperty(property).GetString()!;

    public static double? Num(this JsonElement e, string property) =>
        e.GetProperty(property).ValueKind == JsonValueKind.Null ? null : e.GetProperty(property).GetDouble();

    public static DateTimeOffset Time(this JsonElement e, string property) =>
        DateTimeOffset.Parse(e.Str(property), System.Globalization.CultureInfo.InvariantCulture);

    public static List<JsonElement> Items(this JsonElement e) => e.EnumerateArray().ToList();

    public static List<JsonElement> Items(this JsonElement e, string property) => e.GetProperty(property).EnumerateArray().ToList();
}
