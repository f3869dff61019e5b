using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using ZeroPark.Application;

namespace ZeroPark.Server.Endpoints;

/// <summary>
/// Per-park API keys for gateways. The key is read from <c>X-Api-Key: &lt;key&gt;</c>, <c>Authorization: Token &lt;key&gt;</c>
/// or <c>Authorization: Bearer &lt;key&gt;</c>; the InfluxDB 1.x route also takes the <c>p</c> query parameter and HTTP Basic
/// (the password is the key). A missing or wrong key is a 401 before the body is read, so nothing is stored.
/// </summary>
internal static class ApiKeyAuth
{
    private const string UserItem = "zeropark.ingest_user";

    /// <summary>The user recorded for writes made with the request's key: <c>key:&lt;key name&gt;</c>.</summary>
    public static string User(HttpContext ctx) =>
        ctx.Items[UserItem] as string ?? throw new InvalidOperationException("the endpoint has no API key filter");

    /// <summary>Requires a valid API key of the park named by <paramref name="park"/> (null when the request names none).</summary>
    public static RouteHandlerBuilder RequireApiKey(this RouteHandlerBuilder builder, Func<HttpContext, string?> park, bool influxV1 = false) =>
        builder
            .AddEndpointFilter(async (ic, next) =>
            {
                var ctx = ic.HttpContext;
                var code = park(ctx);
                if (string.IsNullOrWhiteSpace(code))
                    return Influx.Error(StatusCodes.Status400BadRequest, "invalid", influxV1 ? "database is required (?db=<park>)" : "bucket is required (?bucket=<park>)", influxV1);
                var key = Extract(ctx.Request, influxV1);
                if (key is null)
                    return Unauthorized(ctx, code, "an API key is required: send 'X-Api-Key: <key>' or 'Authorization: Token <key>'");
                var store = ctx.RequestServices.GetRequiredService<ZeroParkStore>();
                var name = await store.ApiKeys.VerifyApiKeyAsync(code, key, ctx.RequestAborted);
                if (name is null)
                    return Unauthorized(ctx, code, $"the API key is not valid for park '{code}'");
                ctx.Items[UserItem] = "key:" + name;
                return await next(ic);
            })
            .ProducesProblem(StatusCodes.Status401Unauthorized);

    public static string? RoutePark(HttpContext ctx) => ctx.Request.RouteValues["park"] as string;

    private static ProblemHttpResult Unauthorized(HttpContext ctx, string park, string detail)
    {
        ctx.Response.Headers.WWWAuthenticate = "Token realm=\"zeropark\"";
        // code/message make the body readable by InfluxDB clients too.
        return TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
            extensions: new Dictionary<string, object?> { ["park"] = park, ["code"] = "unauthorized", ["message"] = detail });
    }

    internal static string? Extract(HttpRequest request, bool influxV1)
    {
        if (request.Headers["X-Api-Key"].ToString().Trim() is { Length: > 0 } header) return header;
        var auth = request.Headers.Authorization.ToString().Trim();
        if (auth.Length > 0)
        {
            var space = auth.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0)
            {
                var scheme = auth[..space];
                var credential = auth[(space + 1)..].Trim();
                if (credential.Length > 0)
                {
                    if (scheme.Equals("Token", StringComparison.OrdinalIgnoreCase) || scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
                        return credential;
                    if (influxV1 && scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) && Password(credential) is { Length: > 0 } password)
                        return password;
                }
            }
        }
        if (influxV1 && request.Query["p"].ToString() is { Length: > 0 } p) return p;
        return null;
    }

    private static string? Password(string basic)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(basic));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : text[(colon + 1)..];
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
