using Microsoft.AspNetCore.Mvc;
using ZeroPark.Server.Web;
using ZeroPark.Application;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages.Account;

/// <summary>The user's own password change: needs the current password; renews the session (other sessions end).</summary>
public sealed class PasswordModel(ZeroParkStore store) : ZpPageModel(store)
{
    [BindProperty] public string? Current { get; set; }
    [BindProperty] public string? New { get; set; }
    [BindProperty] public string? Repeat { get; set; }
    /// <summary>Where to go once the password is changed (a local URL; else the start page).</summary>
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    [TempData] public string? Flash { get; set; }
    public string? Error { get; private set; }

    public Task OnGetAsync(CancellationToken ct) => LoadParksAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadParksAsync(ct);
        var me = Me;
        if (string.IsNullOrEmpty(Current) || !await Store.Users.VerifyPasswordAsync(me.Name, Current, ct)) Error = T("password.wrong");
        else if (!string.Equals(New, Repeat, StringComparison.Ordinal)) Error = T("password.mismatch");
        else if (string.Equals(New, Current, StringComparison.Ordinal)) Error = T("password.same");
        else if (New is null || New.Length < PasswordHashing.MinimumLength) Error = T("password.short");
        if (Error is not null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        await Store.Users.SetPasswordAsync(me.Name, New!, me.Name, mustChangePassword: false, ct);
        var renewed = (await Store.Users.GetUserAsync(me.Name, ct))!;
        await WebUi.SignInAsync(HttpContext, renewed);
        // On to where the user was going, with a confirmation shown there (the layout shows TempData's Flash once).
        Flash = T("password.done");
        return Redirect(WebUi.IsLocalUrl(ReturnUrl) && !ReturnUrl!.StartsWith("/account/", StringComparison.OrdinalIgnoreCase) ? ReturnUrl : "/");
    }
}
