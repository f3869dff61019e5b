using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ZeroPark.Server.Web;
using ZeroPark.Application;

namespace ZeroPark.Server.Endpoints;

/// <summary>
/// Who may call the registry, query, energy and carbon routes: a signed-in user (the web UI's session cookie <c>zp_session</c>, also
/// obtained with <c>POST /api/session</c>) who sees the park named by the route (an administrator sees every park; a park not
/// granted answers 404 like an unknown one). What the role may do follows from the method and the route:
/// <list type="table">
/// <item><term>GET (except …/audit)</term><description>every role</description></item>
/// <item><term>GET …/audit</term><description>administrator, auditor, energy_manager, carbon_accountant</description></item>
/// <item><term>POST …/meters/{code}/replacement, …/fill-gaps</term><description>administrator, energy_manager, data_entry</description></item>
/// <item><term>POST /api/parks</term><description>administrator</description></item>
/// <item><term>POST, PUT, DELETE …/dashboards (the user's own)</term><description>every role</description></item>
/// <item><term>POST …/carbon/activities</term><description>administrator, carbon_accountant, data_entry</description></item>
/// <item><term>other POST, PUT under …/carbon/ and /api/carbon/factors</term><description>administrator, carbon_accountant</description></item>
/// <item><term>POST, PUT, DELETE under …/reports (generate, templates, schedules; not …/reports/schedules/run)</term><description>administrator, energy_manager, carbon_accountant (as on the report centre page)</description></item>
/// <item><term>other POST, PUT, DELETE</term><description>administrator, energy_manager</description></item>
/// </list>
/// Gateway ingest (<c>/ingest</c>, <c>/readings/manual</c>, <c>/import</c>, InfluxDB writes) keeps its per-park API keys.
/// </summary>
internal static class UserAccess
{
    /// <summary>The name recorded in the audit log for a change made through the API.</summary>
    public static string Actor(HttpContext ctx) => ctx.CurrentUser()?.Name ?? throw new InvalidOperationException("the endpoint has no user filter");

    public static TBuilder RequireUser<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (ic, next) =>
        {
            var ctx = ic.HttpContext;
            if (ctx.CurrentUser() is not { } user)
                return Problem(StatusCodes.Status401Unauthorized, "Unauthorized", "sign in first: POST /api/session {\"user\": …, \"password\": …} or the web UI's session cookie");
            if (user.MustChangePassword)
                return Problem(StatusCodes.Status403Forbidden, "Forbidden", "choose a new password first (web UI: /account/password)");
            if (ApiKeyAuth.RoutePark(ctx) is { } park && !user.CanSee(park))
                return Problem(StatusCodes.Status404NotFound, "Not found", $"park '{park}' not found");
            var needed = Needed(ctx);
            if (!Allows(user.Role, needed))
                return Problem(StatusCodes.Status403Forbidden, "Forbidden", $"the role {UserRoles.Code(user.Role)} may not do this ({needed})");
            return await next(ic);
        });

    internal enum Access
    {
        Read,
        Audit,
        DataWrite,
        RegistryWrite,
        CarbonData,
        CarbonWrite,
        ReportWrite,
        Admin,
    }

    private static Access Needed(HttpContext ctx)
    {
        var pattern = (ctx.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText?.TrimEnd('/') ?? "";
        // Who holds which gateway key is registry business: listing keys needs the right to create them.
        if (pattern.Contains("/api-keys", StringComparison.Ordinal)) return Access.RegistryWrite;
        if (HttpMethods.IsGet(ctx.Request.Method) || HttpMethods.IsHead(ctx.Request.Method))
            return pattern.EndsWith("/audit", StringComparison.Ordinal) ? Access.Audit : Access.Read;
        if (pattern.EndsWith("/replacement", StringComparison.Ordinal) || pattern.EndsWith("/fill-gaps", StringComparison.Ordinal)) return Access.DataWrite;
        if (pattern is "/api/parks" && HttpMethods.IsPost(ctx.Request.Method)) return Access.Admin;
        // Rewriting a park's whole stored history under the current rules is an administrator's decision.
        if (pattern.EndsWith("/recompute", StringComparison.Ordinal)) return Access.Admin;
        // A user's own dashboards are the user's view, not park data: every role keeps its own.
        if (pattern.Contains("/dashboards", StringComparison.Ordinal)) return Access.Read;
        if (pattern.EndsWith("/carbon/activities", StringComparison.Ordinal)) return Access.CarbonData;
        // Reports are energy management's and carbon accounting's output; running the scheduler (every park's due reports) is not.
        if (pattern.Contains("/parks/{park}/reports", StringComparison.Ordinal) && !pattern.EndsWith("/reports/schedules/run", StringComparison.Ordinal)) return Access.ReportWrite;
        // Footprints, supplier grades and green governance are carbon accounting's business.
        if (pattern.Contains("/supply-chain/", StringComparison.Ordinal) || pattern.Contains("/governance/", StringComparison.Ordinal)) return Access.CarbonWrite;
        if (pattern.Contains("/carbon/", StringComparison.Ordinal)) return Access.CarbonWrite;
        return Access.RegistryWrite;
    }

    /// <summary>The role rights, shared by the API and the web UI's pages (which check them again on every POST).</summary>
    internal static bool Allows(UserRole role, Access a) => a switch
    {
        Access.Read => true,
        Access.Audit => UserRoles.ReadsAudit(role),
        Access.DataWrite => role is UserRole.Administrator or UserRole.EnergyManager or UserRole.DataEntry,
        Access.RegistryWrite => role is UserRole.Administrator or UserRole.EnergyManager,
        Access.CarbonData => role is UserRole.Administrator or UserRole.CarbonAccountant or UserRole.DataEntry,
        Access.CarbonWrite => role is UserRole.Administrator or UserRole.CarbonAccountant,
        Access.ReportWrite => role is UserRole.Administrator or UserRole.EnergyManager or UserRole.CarbonAccountant,
        Access.Admin => role is UserRole.Administrator,
        _ => false,
    };

    private static ProblemHttpResult Problem(int status, string title, string detail) => TypedResults.Problem(detail, statusCode: status, title: title);

    /// <summary><c>POST /api/session</c> (sign in; JSON <c>{"user", "password"}</c>; sets the session cookie), <c>GET /api/session</c>
    /// (who am I), <c>DELETE /api/session</c> (sign out). Same lockout as the sign-in page.</summary>
    public static void MapSessionEndpoints(this IEndpointRouteBuilder api)
    {
        var g = api.MapGroup("/session").WithTags("Session");
        g.MapPost("", SignIn)
            .Accepts<SignInBody>("application/json")
            .WithSummary("Sign in with user name and password; sets the session cookie (HttpOnly, SameSite=Lax) used by the web UI and the API")
            .ProducesValidationProblem();
        g.MapGet("", CurrentSession)
            .WithSummary("The signed-in user, role and granted parks");
        // As a Delegate: a method of HttpContext returning a Task would otherwise bind as a RequestDelegate and lose its result type.
        g.MapDelete("", (Delegate)SignOut)
            .WithSummary("Sign out: ends every session of the user (a new security stamp), copied cookies included");
    }

    private static async Task<Results<Ok<SessionView>, ProblemHttpResult>> SignIn(HttpRequest request, ZeroParkStore store,
        SignInThrottle throttle, ApiJson json, CancellationToken ct)
    {
        var body = await json.ReadAsync<SignInBody>(request, ct);
        if (string.IsNullOrWhiteSpace(body.User) || string.IsNullOrEmpty(body.Password))
            throw new ValidationException("user", "user and password are required");
        if (throttle.Acquire(body.User) is { } wait)
        {
            request.HttpContext.Response.Headers.RetryAfter = wait.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem($"too many sign-in attempts for this account: try again in {wait} s", statusCode: StatusCodes.Status429TooManyRequests,
                title: "Too many requests", extensions: new Dictionary<string, object?> { ["retry_after"] = wait });
        }
        var r = await store.Users.SignInAsync(body.User.Trim(), body.Password, ct);
        switch (r.Status)
        {
            case SignInStatus.Success:
                await WebUi.SignInAsync(request.HttpContext, r.User!);
                return TypedResults.Ok(SessionView.From(r.User!));
            case SignInStatus.LockedOut:
                return TypedResults.Problem($"too many failed sign-ins: locked until {r.LockedUntil:yyyy-MM-ddTHH:mm:ssZ}", statusCode: StatusCodes.Status401Unauthorized,
                    title: "Locked out", extensions: new Dictionary<string, object?> { ["locked_until"] = r.LockedUntil });
            case SignInStatus.Disabled:
                return Problem(StatusCodes.Status401Unauthorized, "Disabled", "the account is disabled");
            default:
                return Problem(StatusCodes.Status401Unauthorized, "Unauthorized", "wrong user name or password");
        }
    }

    private static Results<Ok<SessionView>, ProblemHttpResult> CurrentSession(HttpContext ctx) =>
        ctx.CurrentUser() is { } u ? TypedResults.Ok(SessionView.From(u)) : Problem(StatusCodes.Status401Unauthorized, "Unauthorized", "not signed in");

    private static async Task<NoContent> SignOut(HttpContext ctx)
    {
        await WebUi.SignOutAsync(ctx);
        return TypedResults.NoContent();
    }
}

public sealed record SignInBody(string? User, string? Password);

public sealed record SessionView(string User, string Role, IReadOnlyList<string> Parks, bool AllParks, bool MustChangePassword)
{
    public static SessionView From(User u) => new(u.Name, UserRoles.Code(u.Role), u.Parks, u.SeesAllParks, u.MustChangePassword);
}
