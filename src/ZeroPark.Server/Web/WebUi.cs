using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using ZeroPark.Application;

namespace ZeroPark.Server.Web;

/// <summary>
/// The web UI (Razor Pages under <c>Pages/</c>): cookie sign-in (<c>zp_session</c>: HttpOnly, SameSite=Lax, Secure over HTTPS, 8 h
/// sliding), antiforgery on every form (Razor Pages' default), zh-CN by default with English by the <c>.AspNetCore.Culture</c>
/// cookie (<c>/lang/{culture}</c>), assets embedded in this assembly (<c>wwwroot/</c>, Apache ECharts from npm).
/// Every request with a session re-reads the user (<see cref="ValidateAsync"/>): a changed password, role, grant, a disabled
/// account or a sign-out (a new security stamp, <see cref="SignOutAsync"/>) ends every session of the user at once, copied cookies included.
/// </summary>
public static class WebUi
{
    public const string Scheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string CookieName = "zp_session";
    public const string StampClaim = "zp:stamp";
    private const string UserItem = "zeropark.user";
    public const string AdministratorPolicy = "administrator";
    public const string AuditPolicy = "audit";

    public static readonly CultureInfo[] Cultures = [CultureInfo.GetCultureInfo("zh-CN"), CultureInfo.GetCultureInfo("en")];

    public static IServiceCollection AddZeroParkWeb(this IServiceCollection services)
    {
        services.AddRazorPages(o =>
            {
                o.Conventions.AuthorizeFolder("/");
                o.Conventions.AllowAnonymousToPage("/Account/Login");
                o.Conventions.AllowAnonymousToPage("/Error");
                // Links with a token instead of an account (supply chain and governance, t19): the token is the credential.
                o.Conventions.AllowAnonymousToPage("/SupplierForm");
                o.Conventions.AllowAnonymousToPage("/CarbonAccount");
                o.Conventions.AuthorizePage("/Users", AdministratorPolicy);
                o.Conventions.AuthorizePage("/Audit", AuditPolicy);
                o.Conventions.ConfigureFilter(new MustChangePasswordFilter());
                o.Conventions.ConfigureFilter(new TableExport.Filter());
            })
            .ConfigureApplicationPartManager(apm =>
            {
                // zeropark serve hosts this assembly from the CLI: name it as the part that holds the pages.
                var asm = typeof(WebUi).Assembly;
                if (!apm.ApplicationParts.Any(p => p is AssemblyPart a && a.Assembly == asm))
                    foreach (var part in ApplicationPartFactory.GetApplicationPartFactory(asm).GetApplicationParts(asm))
                        apm.ApplicationParts.Add(part);
            });
        services.AddAuthentication(Scheme).AddCookie(Scheme, o =>
        {
            o.Cookie.Name = CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            o.LoginPath = "/account/login";
            o.LogoutPath = "/account/logout";
            o.AccessDeniedPath = "/account/denied";
            o.Events.OnValidatePrincipal = ValidateAsync;
            o.Events.OnRedirectToLogin = ctx => ApiAware(ctx, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = ctx => ApiAware(ctx, StatusCodes.Status403Forbidden);
        });
        services.AddAuthorization(o =>
        {
            o.AddPolicy(AdministratorPolicy, p => p.RequireRole(UserRoles.Code(UserRole.Administrator)));
            o.AddPolicy(AuditPolicy, p => p.RequireRole(UserRoles.All.Where(UserRoles.ReadsAudit).Select(UserRoles.Code)));
        });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "zp_csrf";
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        // Chinese text stays Chinese in the HTML (the default encoder would write every CJK character as an entity).
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddScoped<ParkOverviewService>();
        services.AddSingleton<CardCache>();
        services.AddHostedService<FirstAdministrator>();
        return services;
    }

    public static WebApplication UseZeroParkWeb(this WebApplication app)
    {
        app.Use(async (ctx, next) =>
        {
            var h = ctx.Response.Headers;
            h.XContentTypeOptions = "nosniff";
            h.XFrameOptions = "DENY";
            h["Referrer-Policy"] = "same-origin";
            if (!ctx.Request.Path.StartsWithSegments("/api") && !ctx.Request.Path.StartsWithSegments("/openapi"))
                h.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
            await next();
        });
        // A request that may have written data makes the card cache re-read the data fingerprints.
        app.Use(async (ctx, next) =>
        {
            try { await next(); }
            finally
            {
                if (!HttpMethods.IsGet(ctx.Request.Method) && !HttpMethods.IsHead(ctx.Request.Method))
                    ctx.RequestServices.GetRequiredService<CardCache>().Invalidate();
            }
        });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new EmbeddedFileProvider(typeof(WebUi).Assembly, "ZeroPark.Server.wwwroot"),
            OnPrepareResponse = c => c.Context.Response.Headers.CacheControl = "public, max-age=3600",
        });
        // Pages answer 404/403/400 with a readable page; the API keeps its ProblemDetails.
        app.UseWhen(ctx => !ctx.Request.Path.StartsWithSegments("/api") && !ctx.Request.Path.StartsWithSegments("/write"),
            b => b.UseStatusCodePagesWithReExecute("/error/{0}"));
        // Routing after the status-code pages, so that a re-executed request is routed to the error page.
        app.UseRouting();
        app.UseRequestLocalization(o =>
        {
            o.DefaultRequestCulture = new RequestCulture(Cultures[0]);
            o.SupportedCultures = Cultures;
            o.SupportedUICultures = Cultures;
            o.RequestCultureProviders = [new CookieRequestCultureProvider()];
        });
        app.UseZeroParkRequestGuards();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    public static WebApplication MapZeroParkWeb(this WebApplication app)
    {
        app.MapRazorPages();
        // The language switch: a preference cookie, then back to the page (only local URLs).
        app.MapGet("/lang/{culture}", (string culture, string? returnUrl, HttpContext ctx) =>
        {
            var c = Cultures.FirstOrDefault(x => string.Equals(x.Name, culture, StringComparison.OrdinalIgnoreCase));
            if (c is null) return Results.BadRequest();
            ctx.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName, CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(c)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true, Secure = ctx.Request.IsHttps });
            return Results.Redirect(IsLocalUrl(returnUrl) ? returnUrl! : "/");
        }).ExcludeFromDescription();
        return app;
    }

    public static bool IsLocalUrl(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Contains("://", StringComparison.Ordinal);

    /// <summary>The signed-in user as re-read for this request, or null.</summary>
    public static User? CurrentUser(this HttpContext ctx) => ctx.Items[UserItem] as User;

    public static ClaimsPrincipal Principal(User u) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, u.Name), new Claim(ClaimTypes.Role, UserRoles.Code(u.Role)), new Claim(StampClaim, u.SecurityStamp)], Scheme));

    public static Task SignInAsync(HttpContext ctx, User u)
    {
        ctx.Items[UserItem] = u;
        return ctx.SignInAsync(Scheme, Principal(u), new AuthenticationProperties { IsPersistent = false });
    }

    /// <summary>Signs out: a new security stamp ends this and every other session of the user (a copied cookie too), then the
    /// cookie is deleted.</summary>
    public static async Task SignOutAsync(HttpContext ctx)
    {
        var name = ctx.CurrentUser()?.Name;
        if (name is not null)
        {
            try { await ctx.RequestServices.GetRequiredService<UserStore>().EndSessionsAsync(name, ct: ctx.RequestAborted); }
            catch (NotFoundException) { /* removed meanwhile: nothing to end */ }
        }
        await ctx.SignOutAsync(Scheme);
    }

    private static async Task ValidateAsync(CookieValidatePrincipalContext ctx)
    {
        var name = ctx.Principal?.Identity?.Name;
        var store = ctx.HttpContext.RequestServices.GetRequiredService<ZeroParkStore>();
        var user = name is null ? null : await store.Users.GetUserAsync(name, ctx.HttpContext.RequestAborted);
        if (user is null || user.Disabled || user.SecurityStamp != ctx.Principal?.FindFirst(StampClaim)?.Value)
        {
            ctx.RejectPrincipal();
            await ctx.HttpContext.SignOutAsync(Scheme);
            return;
        }
        ctx.HttpContext.Items[UserItem] = user;
    }

    private static Task ApiAware(RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.Path.StartsWithSegments("/api"))
            ctx.Response.StatusCode = status;
        else
            ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>Until the user has chosen a new password (first administrator, or a reset with --must-change-password), every page
    /// leads to the password page.</summary>
    private sealed class MustChangePasswordFilter : IAsyncPageFilter
    {
        public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

        public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
        {
            var page = context.ActionDescriptor.ViewEnginePath;
            if (context.HttpContext.CurrentUser() is { MustChangePassword: true } && page is not ("/Account/Password" or "/Account/Logout" or "/Account/Login"))
            {
                var req = context.HttpContext.Request;
                var back = HttpMethods.IsGet(req.Method) ? "?returnUrl=" + Uri.EscapeDataString(req.PathBase + req.Path + req.QueryString) : "";
                context.Result = new Microsoft.AspNetCore.Mvc.RedirectResult("/account/password" + back);
                return;
            }
            await next();
        }
    }

    /// <summary>On start, a store without users gets the administrator <c>admin</c> with a one-time password printed to the console.</summary>
    private sealed class FirstAdministrator(ZeroParkStore store) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            if (await store.Users.EnsureFirstAdministratorAsync(cancellationToken) is not { } secret) return;
            Console.WriteLine("----------------------------------------------------------------------");
            Console.WriteLine($"ZeroPark: no users yet. First administrator created: user '{UserStore.FirstAdministratorName}',");
            Console.WriteLine($"one-time password: {secret}");
            Console.WriteLine("Sign in and choose a new password; this password is not shown again.");
            Console.WriteLine("----------------------------------------------------------------------");
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
