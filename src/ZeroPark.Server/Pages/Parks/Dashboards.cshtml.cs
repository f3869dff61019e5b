using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using ZeroPark.Domain;
using ZeroPark.Server.Web;
using ZeroPark.Application;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>The signed-in user's dashboards of a park: tabs of dashboards, the cards of the one shown (drawn by wwwroot/js/dashboard.js
/// from the energy REST routes), adding, removing and reordering cards (saved with <c>PUT /api/parks/{park}/dashboards/{id}</c>),
/// new dashboards blank or from a template, deleting one.</summary>
public sealed class DashboardsModel(ZeroParkStore store) : ZpPageModel(store)
{
    public IReadOnlyList<Dashboard> All { get; private set; } = [];
    public Dashboard? Current { get; private set; }
    public DateOnly AsOf { get; private set; }
    public string ConfigJson { get; private set; } = "{}";
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string park, long? id, CancellationToken ct)
    {
        CurrentPark = await ParkIfVisibleAsync(park, ct);
        if (CurrentPark is null) return NotFound();
        All = await Store.Dashboards.ListDashboardsAsync(Me.Id, park, ct);
        Current = id is { } i ? All.FirstOrDefault(d => d.Id == i) : All.Count > 0 ? All[0] : null;
        if (id is not null && Current is null) return NotFound();
        if (Current is not null) await BuildConfigAsync(park, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostCreateAsync(string park, string? name, string? template, CancellationToken ct)
    {
        CurrentPark = await ParkIfVisibleAsync(park, ct);
        if (CurrentPark is null) return NotFound();
        try
        {
            var d = await Store.Dashboards.CreateDashboardAsync(Me.Id, park, name, template, ct);
            return Redirect($"/parks/{park}/dashboards/{d.Id}");
        }
        catch (ValidationException e)
        {
            Error = UiText.M(e.Message);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            All = await Store.Dashboards.ListDashboardsAsync(Me.Id, park, ct);
            Current = All.Count > 0 ? All[0] : null;
            if (Current is not null) await BuildConfigAsync(park, ct);
            return Page();
        }
    }

    public async Task<IActionResult> OnPostDeleteAsync(string park, long id, CancellationToken ct)
    {
        CurrentPark = await ParkIfVisibleAsync(park, ct);
        if (CurrentPark is null) return NotFound();
        await Store.Dashboards.DeleteDashboardAsync(Me.Id, park, id, ct);
        return Redirect($"/parks/{park}/dashboards");
    }

    private async Task BuildConfigAsync(string park, CancellationToken ct)
    {
        var last = await Store.Queries.LastReadingAtAsync(park, ct);
        AsOf = last is { } l ? DateOnly.FromDateTime(l.AddSeconds(-1).DateTime) : DateOnly.FromDateTime(CurrentPark!.Clock.ToLocal(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        var spaces = await Store.Registry.ListSpacesAsync(park, ct);
        ConfigJson = JsonSerializer.Serialize(new
        {
            park,
            lang = Lang,
            asOf = AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            dashboard = new { id = Current!.Id, name = Current.Name, cards = Current.Cards },
            spaces = spaces.Select(s => new { code = s.Code, name = s.Name, level = s.Level.ToString().ToLowerInvariant() }).ToList(),
            systems = SystemTaxonomy.All.Where(s => s.TopLevel is "it" or "cooling" or "power" or "aux").Select(s => new { code = s.Code, name = IsChinese ? s.NameZh : s.NameEn }).ToList(),
            texts = DashboardTexts(),
        }, Dashboards.Json);
    }

    /// <summary>The texts the script needs, in the request's language.</summary>
    private static Dictionary<string, string> DashboardTexts() =>
        UiText.Keys.Where(k => k.StartsWith("dash.", StringComparison.Ordinal) || k.StartsWith("sub.", StringComparison.Ordinal)).ToDictionary(k => k, k => T(k));
}
