using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ZeroPark.Server.Web;
using ZeroPark.Application;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages.Account;

public sealed class LoginModel(ZeroParkStore store, TimeProvider clock, SignInThrottle throttle) : PageModel
{
    [BindProperty] public string? UserName { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(UserName) || string.IsNullOrEmpty(Password))
        {
            Error = T("login.required");
            return Page();
        }
        if (throttle.Acquire(UserName) is { } wait)
        {
            Error = T("security.toomany", wait);
            Response.Headers.RetryAfter = wait.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return Page();
        }
        var result = await store.Users.SignInAsync(UserName.Trim(), Password, ct);
        switch (result.Status)
        {
            case SignInStatus.Success:
                await WebUi.SignInAsync(HttpContext, result.User!);
                if (result.User!.MustChangePassword)
                    return Redirect(WebUi.IsLocalUrl(ReturnUrl) ? "/account/password?returnUrl=" + Uri.EscapeDataString(ReturnUrl!) : "/account/password");
                return Redirect(WebUi.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
            case SignInStatus.LockedOut:
                var minutes = (int)Math.Ceiling(Math.Max(1, (result.LockedUntil!.Value - clock.GetUtcNow()).TotalMinutes));
                Error = T("login.locked", minutes);
                break;
            case SignInStatus.Disabled:
                Error = T("login.disabled");
                break;
            default:
                Error = T("login.invalid");
                break;
        }
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Page();
    }
}
