using System.Net;
using System.Text.RegularExpressions;
using ZeroPark.Application;
using ZeroPark.Tests.Api;

namespace ZeroPark.Tests.Web;

/// <summary>The web UI at the HTTP level (in-memory server): antiforgery, cookie flags, security headers, the language switch,
/// the first administrator.</summary>
public sealed partial class WebSessionTests(SqliteApiServer server) : IClassFixture<SqliteApiServer>
{
    private const string Pw = "web-session-password";

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    private static async Task<string> TokenAsync(HttpClient c, string url)
    {
        var html = await (await c.GetAsync(url)).Content.ReadAsStringAsync();
        return TokenPattern().Match(html) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("no antiforgery token in " + url);
    }

    private static Task<HttpResponseMessage> PostFormAsync(HttpClient c, string url, params (string, string)[] fields) =>
        c.PostAsync(url, new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2))));

    private async Task<string> NewUserAsync(UserRole role = UserRole.Viewer)
    {
        var name = "w" + Guid.NewGuid().ToString("N")[..8];
        await server.Store.Users.CreateUserAsync(name, Pw, role, [], "test");
        return name;
    }

    [Fact]
    public async Task The_first_start_without_users_created_an_administrator_who_must_change_the_one_time_password()
    {
        var admin = await server.Store.Users.GetUserAsync(UserStore.FirstAdministratorName);
        Assert.NotNull(admin);
        Assert.Equal(UserRole.Administrator, admin!.Role);
        Assert.True(admin.MustChangePassword);
        Assert.Contains(await server.Store.Audit.AuditLogAsync(null), a => a.Action == "create" && a.EntityKey == UserStore.FirstAdministratorName && a.User == "system");
    }

    [Fact]
    public async Task A_sign_in_form_without_the_antiforgery_token_is_refused()
    {
        var name = await NewUserAsync();
        using var c = server.NewClient();
        var r = await PostFormAsync(c, "/account/login", ("UserName", name), ("Password", Pw));
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.DoesNotContain(r.Headers.TryGetValues("Set-Cookie", out var v) ? v : [], h => h.StartsWith("zp_session=", StringComparison.Ordinal));
        Assert.Null((await server.Store.Users.GetUserAsync(name))!.LastSignIn);
    }

    [Fact]
    public async Task The_session_cookie_is_http_only_lax_and_secure_over_https()
    {
        var name = await NewUserAsync();
        foreach (var (baseUrl, secure) in new[] { ("http://localhost", false), ("https://localhost", true) })
        {
            using var c = server.NewClient(new Uri(baseUrl));
            var token = await TokenAsync(c, "/account/login");
            var r = await PostFormAsync(c, "/account/login", ("UserName", name), ("Password", Pw), ("__RequestVerificationToken", token));
            Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
            Assert.Equal("/", r.Headers.Location?.ToString());
            var cookie = Assert.Single(r.Headers.GetValues("Set-Cookie"), h => h.StartsWith("zp_session=", StringComparison.Ordinal)).ToLowerInvariant();
            Assert.Contains("httponly", cookie);
            Assert.Contains("samesite=lax", cookie);
            Assert.Equal(secure, cookie.Contains("secure", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Pages_send_security_headers_and_ask_for_sign_in()
    {
        using var c = server.NewClient();
        var r = await c.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.StartsWith("/account/login", r.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        var login = await c.GetAsync("/account/login");
        Assert.Contains("script-src 'self'", login.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("DENY", login.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("nosniff", login.Headers.GetValues("X-Content-Type-Options").Single());
        var html = await login.Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"zh-CN\">", html, StringComparison.Ordinal);
        Assert.Contains("用户名", html, StringComparison.Ordinal);                   // Chinese by default, written as text
        var echarts = await c.GetAsync("/lib/echarts.min.js");                        // served from the assembly, not a CDN
        Assert.Equal(HttpStatusCode.OK, echarts.StatusCode);
        Assert.True((await echarts.Content.ReadAsByteArrayAsync()).Length > 500_000);
    }

    [Fact]
    public async Task The_language_switch_sets_a_cookie_and_only_returns_to_local_pages()
    {
        using var c = server.NewClient();
        var r = await c.GetAsync("/lang/en?returnUrl=/account/login");
        Assert.Equal("/account/login", r.Headers.Location?.ToString());
        Assert.Contains(r.Headers.GetValues("Set-Cookie"), h => h.StartsWith(".AspNetCore.Culture=c%3Den", StringComparison.Ordinal));
        var html = await (await c.GetAsync("/account/login")).Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.Contains("User name", html, StringComparison.Ordinal);
        Assert.Equal("/", (await c.GetAsync("/lang/zh-CN?returnUrl=//evil.example/x")).Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, (await c.GetAsync("/lang/fr")).StatusCode);
    }

    private async Task<HttpClient> FormSignedInAsync(string name)
    {
        var c = server.NewClient();
        var token = await TokenAsync(c, "/account/login");
        var r = await PostFormAsync(c, "/account/login", ("UserName", name), ("Password", Pw), ("__RequestVerificationToken", token));
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        return c;
    }

    [Fact]
    public async Task The_users_page_changes_roles_grants_passwords_and_lockouts_for_administrators_only()
    {
        var park = "u" + Guid.NewGuid().ToString("N")[..8];
        await server.Store.Registry.CreateParkAsync(new ParkDraft(park, "Users page park"));
        var admin = await NewUserAsync(UserRole.Administrator);
        var target = await NewUserAsync(UserRole.Viewer);
        using var c = await FormSignedInAsync(admin);

        var token = await TokenAsync(c, "/users");
        var r = await PostFormAsync(c, "/users?handler=Update", ("Name", target), ("Role", "auditor"), ("Parks", park), ("__RequestVerificationToken", token));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var u = (await server.Store.Users.GetUserAsync(target))!;
        Assert.Equal((UserRole.Auditor, park), (u.Role, u.Parks.Single()));

        for (var i = 0; i < UserStore.MaxFailedSignIns; i++) await server.Store.Users.SignInAsync(target, "wrong password");
        Assert.NotNull((await server.Store.Users.GetUserAsync(target))!.LockedUntil);
        r = await PostFormAsync(c, "/users?handler=Unlock", ("Name", target), ("__RequestVerificationToken", token));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Null((await server.Store.Users.GetUserAsync(target))!.LockedUntil);

        r = await PostFormAsync(c, "/users?handler=Reset", ("Name", target), ("Password", "reset by admin 1"), ("__RequestVerificationToken", token));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var reset = await server.Store.Users.SignInAsync(target, "reset by admin 1");
        Assert.True(reset.User!.MustChangePassword);

        r = await PostFormAsync(c, "/users?handler=Create", ("Name", "bad name"), ("Role", "viewer"), ("Password", "long enough pw"), ("__RequestVerificationToken", token));
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Contains("data-testid=\"users-error\"", await r.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var log = (await server.Store.Audit.AuditLogAsync(null)).Where(a => a.EntityKey == target && a.User == admin).Select(a => a.Action).ToList();
        Assert.Equal(["password", "unlock", "update"], log);

        // A non-administrator gets 403 for the page and for its forms.
        var viewer = await NewUserAsync(UserRole.Viewer);
        using var v = await FormSignedInAsync(viewer);
        var denied = await v.GetAsync("/users");
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.StartsWith("/account/denied", denied.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await v.GetAsync(denied.Headers.Location)).StatusCode);
        var vt = await TokenAsync(v, "/");
        r = await PostFormAsync(v, "/users?handler=Create", ("Name", "sneaky"), ("Role", "administrator"), ("Password", "long enough pw"), ("__RequestVerificationToken", vt));
        Assert.StartsWith("/account/denied", r.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Null(await server.Store.Users.GetUserAsync("sneaky"));
    }

    [Fact]
    public async Task Every_ui_text_exists_in_chinese_and_english()
    {
        foreach (var key in ZeroPark.Server.Web.UiText.Keys)
        {
            var (zh, en) = ZeroPark.Server.Web.UiText.Both(key);
            Assert.False(string.IsNullOrWhiteSpace(zh), key);
            Assert.False(string.IsNullOrWhiteSpace(en), key);
        }
        Assert.Throws<KeyNotFoundException>(() => ZeroPark.Server.Web.UiText.T("no.such.key"));
        await Task.CompletedTask;
    }
}
