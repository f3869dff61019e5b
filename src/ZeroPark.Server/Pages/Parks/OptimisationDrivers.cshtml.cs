using Microsoft.AspNetCore.Mvc;
using ZeroPark.Application;
using ZeroPark.Application.Optimisation;
using ZeroPark.Domain;
using ZeroPark.Optimisation;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>What drives PUE and cooling (the same analysis as <c>GET …/pue/drivers</c>): weights with standard errors and 95 % intervals,
/// the expected value at a chosen outdoor temperature and load, and the normalised value per month.</summary>
public sealed class OptimisationDriversModel(ZeroParkStore store, DriverService drivers) : ZpPageModel(store)
{
    public string Analysed { get; private set; } = "pue";
    public string? Node { get; private set; }
    public double? AtTemp { get; private set; }
    public double? AtLoad { get; private set; }
    public IReadOnlyList<Space> Buildings { get; private set; } = [];
    public DriverResult? Result { get; private set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string park, string? response, string? node, double? temp, double? load, CancellationToken ct)
    {
        CurrentPark = await ParkIfVisibleAsync(park, ct);
        if (CurrentPark is null) return NotFound();
        Buildings = (await Store.Registry.ListSpacesAsync(park, ct)).Where(s => s.Level == SpaceLevel.Building).ToList();
        Analysed = response == "clf" ? "clf" : "pue";
        Node = Buildings.Any(b => b.Code == node) ? node : null;
        AtTemp = temp is { } t && double.IsFinite(t) ? t : 25;
        AtLoad = load is { } l && double.IsFinite(l) ? l : null;
        var at = new Dictionary<string, double> { [Drivers.OutdoorTemperature] = AtTemp.Value };
        if (AtLoad is { } al) at[Drivers.ItLoadRate] = al;
        try { Result = await drivers.AnalyseAsync(park, Node, Analysed, null, null, at, ct); }
        catch (ValidationException e) { Error = ZeroPark.Server.Web.UiText.M(e.Message); }
        return Page();
    }
}
