using Microsoft.AspNetCore.Mvc;
using ZeroPark.Application;
using ZeroPark.Application.Neutrality;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>Targets (neutrality rate, emission budget, CUE; monthly and annual): the list, adding and deleting, the year's progress month by
/// month with the projected year end (last year's monthly shape), and the cheapest instrument mix reaching the annual rate target.</summary>
public sealed class NeutralityTargetsModel(ZeroParkStore store, TargetService targets) : NeutralityPageModel(store)
{
    public int Year { get; private set; }
    public IReadOnlyList<NeutralityTarget> Targets { get; private set; } = [];
    public TargetProgress? Progress { get; private set; }
    public MixPlan? Mix { get; private set; }
    public string? MixError { get; private set; }
    public static readonly string[] Fields = ["kind", "every", "value", "from", "to", "note"];

    public async Task<IActionResult> OnGetAsync(string park, int? year, CancellationToken ct)
    {
        if (!await LoadAsync(park, ct)) return NotFound();
        await LoadAllAsync(year, ct);
        return Page();
    }

    private async Task LoadAllAsync(int? year, CancellationToken ct)
    {
        var asOf = await AsOfAsync(Park.Code, ct);
        Year = year is >= 2000 and <= 2100 ? year.Value : asOf.Year;
        var day = asOf.Year == Year ? asOf : new DateOnly(Year, 12, 31);
        Targets = await Store.Neutrality.TargetsAsync(Park.Code, ct);
        Progress = await targets.ProgressAsync(Park.Code, Year, day, ct);
        try { Mix = await targets.MixAsync(Park.Code, Year, null, day, ct); }
        catch (ValidationException e) { MixError = M(e.Message); }
    }

    public async Task<IActionResult> OnPostAddAsync(string park, CancellationToken ct)
    {
        if (!await LoadAsync(park, ct)) return NotFound();
        if (!CanEditLedger) return Forbidden();
        Keep(Fields);
        if (Num(V("value")) is not { } v) Invalid("value", T("nz.err.number"));
        else
        {
            try
            {
                var t = await Store.Neutrality.SetTargetAsync(park, V("kind"), V("every"), v, V("from"), V("to") is { Length: > 0 } to ? to : null, V("note"), Me.Name, ct);
                Message = T("nz.target.set", TOr("nz.tk." + t.Kind, t.Kind), N(t.Value), t.From);
                Form.Clear();
            }
            catch (Exception e) when (e is ValidationException or ConflictException or NotFoundException) { Show(e); }
        }
        await LoadAllAsync(null, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(string park, long id, CancellationToken ct)
    {
        if (!await LoadAsync(park, ct)) return NotFound();
        if (!CanEditLedger) return Forbidden();
        try { await Store.Neutrality.DeleteTargetAsync(park, id, Me.Name, ct); Message = T("nz.target.deleted", id); }
        catch (NotFoundException e) { Show(e); }
        await LoadAllAsync(null, ct);
        return Page();
    }
}
