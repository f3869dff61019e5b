using Microsoft.AspNetCore.Mvc.RazorPages;
using ZeroPark.Domain;
using ZeroPark.Server.Web;
using ZeroPark.Application;

namespace ZeroPark.Server.Pages;

/// <summary>The base of the signed-in pages: the user re-read for this request and the parks it may see (for the layout).</summary>
public abstract class ZpPageModel(ZeroParkStore store) : PageModel
{
    protected ZeroParkStore Store { get; } = store;

    /// <summary>The signed-in user (pages under the authorize convention always have one).</summary>
    public User Me => HttpContext.CurrentUser() ?? throw new InvalidOperationException("no signed-in user");

    public IReadOnlyList<Park> VisibleParks { get; private set; } = [];

    /// <summary>The park the page is about, if any (highlighted in the navigation).</summary>
    public Park? CurrentPark { get; protected set; }

    /// <summary>An instant in the park's time, as every other time in the UI: the page's park, else the first park the user
    /// sees; UTC when there is none.</summary>
    public DateTimeOffset InParkTime(DateTimeOffset t) => (CurrentPark ?? (VisibleParks.Count > 0 ? VisibleParks[0] : null))?.Clock.ToLocalOffset(t.ToUnixTimeSeconds()) ?? t.ToUniversalTime();

    protected async Task LoadParksAsync(CancellationToken ct)
    {
        var me = Me;
        VisibleParks = (await Store.Registry.ListParksAsync(ct)).Where(p => me.CanSee(p.Code)).OrderBy(p => p.Code, StringComparer.Ordinal).ToList();
    }

    /// <summary>The park if the user may see it, else null (the page answers 404: a park not granted is not shown to exist).</summary>
    protected async Task<Park?> ParkIfVisibleAsync(string code, CancellationToken ct)
    {
        await LoadParksAsync(ct);
        return VisibleParks.FirstOrDefault(p => p.Code == code);
    }
}
