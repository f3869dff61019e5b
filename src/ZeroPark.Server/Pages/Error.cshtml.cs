using Microsoft.AspNetCore.Mvc.RazorPages;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages;

/// <summary>The page shown for a 4xx answer of a page (re-executed by the status-code middleware; the status stays).</summary>
[Microsoft.AspNetCore.Mvc.IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    /// <summary>A refused form (403, 404 …) is re-executed as a POST: the same page.</summary>
    public void OnPost([Microsoft.AspNetCore.Mvc.FromRoute] int code) => OnGet(code);

    public string Title { get; private set; } = "";
    public string Text { get; private set; } = "";

    public void OnGet([Microsoft.AspNetCore.Mvc.FromRoute] int code)
    {
        (Title, Text) = code switch
        {
            404 => (T("error.404.title"), T("error.404.text")),
            403 => (T("denied.title"), T("denied.text")),
            _ => (T("common.error"), T("error.other")),
        };
    }
}
