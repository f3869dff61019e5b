using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ZeroPark.Application;

namespace ZeroPark.Server.Web;

/// <summary>The limits of <see cref="Security"/>; configuration section <c>ZeroPark:Security</c> (see docs/security.md).</summary>
public sealed class SecurityOptions
{
    /// <summary>Requests of one client (IP address) per <see cref="WindowSeconds"/>, every route.</summary>
    public int ClientRequests { get; set; } = 1000;

    /// <summary>Sign-in attempts (POST /api/session, POST /account/login) of one client per <see cref="SignInWindowSeconds"/>.</summary>
    public int ClientSignIns { get; set; } = 120;

    /// <summary>Sign-in attempts for one account name per <see cref="SignInWindowSeconds"/>, from any client.</summary>
    public int AccountSignIns { get; set; } = 20;

    public int WindowSeconds { get; set; } = 10;
    public int SignInWindowSeconds { get; set; } = 60;

    /// <summary>Addresses of reverse proxies whose X-Forwarded-For/-Proto are believed. Default: none.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Further origins (<c>https://host[:port]</c>) a cookie-authenticated write may come from, besides the request's host.</summary>
    public string[] AllowedOrigins { get; set; } = [];
}

/// <summary>
/// The server's protections that are not about one route: forwarded headers from configured proxies only, rate limits per client
/// and per account (429 with Retry-After), the origin check of cookie-authenticated writes, data-protection keys encrypted with
/// an operator's certificate, and the Argon2id cost. See docs/security.md.
/// </summary>
public static class Security
{
    public const string Section = "ZeroPark:Security";

    public static IServiceCollection AddZeroParkSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        var options = new SecurityOptions();
        configuration.GetSection(Section).Bind(options);
        // A comma-separated string is accepted too (environment variables: ZeroPark__Security__KnownProxies=10.0.0.2,10.0.0.3).
        if (configuration[$"{Section}:KnownProxies"] is { Length: > 0 } list)
            options.KnownProxies = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (configuration[$"{Section}:AllowedOrigins"] is { Length: > 0 } origins)
            options.AllowedOrigins = origins.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        services.AddSingleton(options);
        services.AddSingleton<SignInThrottle>();

        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The framework trusts loopback by default; here nothing is trusted unless configured.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var p in options.KnownProxies)
                o.KnownProxies.Add(IPAddress.TryParse(p, out var ip) ? ip
                    : throw new InvalidOperationException($"{Section}:KnownProxies: '{p}' is not an IP address"));
        });

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(ctx => RateLimitPartition.GetFixedWindowLimiter(Client(ctx),
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = options.ClientRequests, Window = TimeSpan.FromSeconds(options.WindowSeconds), QueueLimit = 0 })),
                PartitionedRateLimiter.Create<HttpContext, string>(ctx => IsSignIn(ctx.Request)
                    ? RateLimitPartition.GetFixedWindowLimiter("signin:" + Client(ctx),
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = options.ClientSignIns, Window = TimeSpan.FromSeconds(options.SignInWindowSeconds), QueueLimit = 0 })
                    : RateLimitPartition.GetNoLimiter("")));
            o.OnRejected = (ctx, _) =>
            {
                var seconds = ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var ra) ? Math.Max(1, (int)Math.Ceiling(ra.TotalSeconds)) : options.WindowSeconds;
                return new ValueTask(TooManyAsync(ctx.HttpContext, seconds));
            };
        });

        var cost = PasswordHashing.Cost;
        if (configuration["ZeroPark:Passwords:Argon2:MemoryKiB"] is { Length: > 0 } m) cost = cost with { MemoryKiB = int.Parse(m, CultureInfo.InvariantCulture) };
        if (configuration["ZeroPark:Passwords:Argon2:Iterations"] is { Length: > 0 } t) cost = cost with { Iterations = int.Parse(t, CultureInfo.InvariantCulture) };
        if (configuration["ZeroPark:Passwords:Argon2:Parallelism"] is { Length: > 0 } p) cost = cost with { Parallelism = int.Parse(p, CultureInfo.InvariantCulture) };
        PasswordHashing.Cost = cost;

        var dp = services.AddDataProtection().SetApplicationName("ZeroPark");
        if (configuration["ZeroPark:DataProtection:KeysPath"] is { Length: > 0 } keys)
            dp.PersistKeysToFileSystem(new DirectoryInfo(keys));
        if (configuration["ZeroPark:DataProtection:CertificatePath"] is { Length: > 0 } certPath)
        {
            var cert = X509CertificateLoader.LoadPkcs12FromFile(certPath, configuration["ZeroPark:DataProtection:CertificatePassword"]);
            if (!cert.HasPrivateKey) throw new InvalidOperationException($"ZeroPark:DataProtection:CertificatePath: '{certPath}' has no private key");
            dp.ProtectKeysWithCertificate(cert);
        }
        return services;
    }

    /// <summary>Forwarded headers (first, so that the scheme and client address are right for everything after).</summary>
    public static WebApplication UseZeroParkForwardedHeaders(this WebApplication app)
    {
        // With no known proxy the middleware is left out: with empty lists it would believe every sender.
        if (app.Services.GetRequiredService<SecurityOptions>().KnownProxies.Length > 0)
            app.UseForwardedHeaders();
        var config = app.Configuration;
        if (string.IsNullOrEmpty(config["ZeroPark:DataProtection:CertificatePath"]))
            app.Logger.LogWarning(
                "ZeroPark: data-protection keys (they sign the session cookies) are stored without encryption at rest{Where}: set " +
                "ZeroPark:DataProtection:CertificatePath (a PFX with private key) to encrypt them; see docs/security.md",
                config["ZeroPark:DataProtection:KeysPath"] is { Length: > 0 } k ? $" in {k}" : " in the default key folder");
        return app;
    }

    /// <summary>Rate limits and the origin check; after request localization (answers in the request's language), before authentication.</summary>
    public static WebApplication UseZeroParkRequestGuards(this WebApplication app)
    {
        app.UseRateLimiter();
        var options = app.Services.GetRequiredService<SecurityOptions>();
        app.Use(async (ctx, next) =>
        {
            if (!IsForeignCookieWrite(ctx.Request, options))
            {
                await next();
                return;
            }
            ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
            if (IsApi(ctx.Request))
                await Results.Problem("the request comes from another origin (Origin/Referer does not match this server); cookie-authenticated " +
                                      "writes must come from the web UI itself", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden").ExecuteAsync(ctx);
            else
            {
                ctx.Response.ContentType = "text/plain; charset=utf-8";
                await ctx.Response.WriteAsync(UiText.T("security.origin"));
            }
        });
        return app;
    }

    /// <summary>A state-changing request (POST, PUT, PATCH, DELETE) that carries the session cookie and no API key, whose
    /// <c>Origin</c> (else <c>Referer</c>) names another host than the request's, or whose <c>Sec-Fetch-Site</c> is
    /// <c>cross-site</c>. A request with neither header (curl, scripts, the CLI's HTTP clients) is not a browser's cross-site
    /// request and passes; browsers send <c>Origin</c> with every cross-origin POST.</summary>
    internal static bool IsForeignCookieWrite(HttpRequest r, SecurityOptions options)
    {
        if (HttpMethods.IsGet(r.Method) || HttpMethods.IsHead(r.Method) || HttpMethods.IsOptions(r.Method) || HttpMethods.IsTrace(r.Method)) return false;
        if (!r.Cookies.ContainsKey(WebUi.CookieName)) return false;
        if (r.Headers.ContainsKey("X-Api-Key") || r.Headers.Authorization.Count > 0) return false;   // a browser cannot add these cross-origin without CORS
        if (string.Equals(r.Headers["Sec-Fetch-Site"], "cross-site", StringComparison.OrdinalIgnoreCase)) return true;
        var source = r.Headers.Origin.ToString();
        if (source.Length == 0) source = r.Headers.Referer.ToString();
        if (source.Length == 0) return false;
        if (!Uri.TryCreate(source, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) return true;   // "null" and the like
        var origin = uri.GetLeftPart(UriPartial.Authority);
        if (options.AllowedOrigins.Any(a => string.Equals(a.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase))) return false;
        // The host (with port) must be the request's: behind a TLS proxy that is not configured as known, the scheme seen here is
        // http while the browser's is https, so the scheme is not compared.
        return !string.Equals(uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}", r.Host.Value, StringComparison.OrdinalIgnoreCase)
               && !string.Equals(uri.Authority, r.Host.Value, StringComparison.OrdinalIgnoreCase);
    }

    internal static string Client(HttpContext ctx) => ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static bool IsApi(HttpRequest r) => r.Path.StartsWithSegments("/api") || r.Path.StartsWithSegments("/write");

    private static bool IsSignIn(HttpRequest r) => (HttpMethods.IsPost(r.Method) &&
        (r.Path.Equals("/api/session", StringComparison.OrdinalIgnoreCase) || r.Path.Equals("/account/login", StringComparison.OrdinalIgnoreCase))) || IsTokenRoute(r.Path);

    /// <summary>The link-with-a-token routes (supplier questionnaire, personal carbon account): the token is the credential, so every
    /// request to them counts against the sign-in limit (guessing tokens is as slow as guessing passwords).</summary>
    private static bool IsTokenRoute(PathString p) =>
        p.StartsWithSegments("/supplier-form", StringComparison.OrdinalIgnoreCase) || p.StartsWithSegments("/carbon-account", StringComparison.OrdinalIgnoreCase) ||
        p.StartsWithSegments("/api/supplier-form", StringComparison.OrdinalIgnoreCase) || p.StartsWithSegments("/api/carbon-account", StringComparison.OrdinalIgnoreCase);

    internal static async Task TooManyAsync(HttpContext ctx, int retryAfterSeconds)
    {
        ctx.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        ctx.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        if (IsApi(ctx.Request))
            await Results.Problem($"too many requests: try again in {retryAfterSeconds} s", statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
                extensions: new Dictionary<string, object?> { ["retry_after"] = retryAfterSeconds }).ExecuteAsync(ctx);
        else
        {
            ctx.Response.ContentType = "text/plain; charset=utf-8";
            await ctx.Response.WriteAsync(UiText.T("security.toomany", retryAfterSeconds));
        }
    }
}

/// <summary>Sign-in attempts per account name (any client): <see cref="SecurityOptions.AccountSignIns"/> per
/// <see cref="SecurityOptions.SignInWindowSeconds"/>. Checked by both sign-in routes before the password is looked at.</summary>
public sealed class SignInThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public SignInThrottle(SecurityOptions options) =>
        _limiter = PartitionedRateLimiter.Create<string, string>(name => RateLimitPartition.GetFixedWindowLimiter(name,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = options.AccountSignIns, Window = TimeSpan.FromSeconds(options.SignInWindowSeconds), QueueLimit = 0 }));

    /// <summary>Null when the attempt may go on; else the seconds to wait.</summary>
    public int? Acquire(string userName)
    {
        using var lease = _limiter.AttemptAcquire(userName.Trim().ToLowerInvariant());
        if (lease.IsAcquired) return null;
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var ra) ? Math.Max(1, (int)Math.Ceiling(ra.TotalSeconds)) : 60;
    }

    public void Dispose() => _limiter.Dispose();
}
