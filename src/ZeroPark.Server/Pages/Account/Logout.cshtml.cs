using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ZeroPark.Server.Web;

namespace ZeroPark.Server.Pages.Account;

/// <summary>Sign-out is a POST with the antiforgery token (the layout's button); a GET only leads back.</summary>
public sealed class LogoutModel : PageModel
{
    public IActionResult OnGet() => Redirect("/");

    public async Task<IActionResult> OnPostAsync()
    {
        await WebUi.SignOutAsync(HttpContext);
        return Redirect("/account/login");
    }
}
