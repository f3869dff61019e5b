using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using ZeroPark.Application;
using ZeroPark.Application.Optimisation;
using ZeroPark.Domain;
using ZeroPark.Optimisation;
using ZeroPark.Server.Endpoints;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>Forecasts with their measured accuracy (the same services as <c>GET …/forecast</c> and <c>…/forecast/backtest</c>): the chart of the
/// recent actuals and the forecast shown (model or baseline), the backtest of every target for the chosen horizon, and the stored forecasts
/// against their actuals. POST stores the forecast shown.</summary>
public sealed class OptimisationModel(ZeroParkStore store, ForecastService forecasts) : ZpPageModel(store)
{
    public string Target { get; private set; } = ForecastTargets.FacilityEnergy;
    public string Horizon { get; private set; } = "day";
    public string? Node { get; private set; }
    public IReadOnlyList<Space> Buildings { get; private set; } = [];
    public ForecastRun? Run { get; private set; }
    public IReadOnlyList<BacktestResult> Accuracy { get; private set; } = [];
    public IReadOnlyList<(StoredForecast Forecast, ForecastComparison Comparison)> Stored { get; private set; } = [];
    public string ChartJson { get; private set; } = "{}";
    public string? Error { get; private set; }
    public string? Message { get; private set; }
    public bool CanSave => UserAccess.Allows(Me.Role, UserAccess.Access.RegistryWrite);

    public async Task<IActionResult> OnGetAsync(string park, string? target, string? horizon, string? node, CancellationToken ct)
    {
        CurrentPark = await ParkIfVisibleAsync(park, ct);
        if (CurrentPark is null) return NotFound();
        await LoadAsync(park, target, horizon, node, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string park, string? target, string? horizon, string? node, CancellationToken ct)
    {
        CurrentPark = await ParkIfVisibleAsync(park, ct);
        if (CurrentPark is null) return NotFound();
        if (!CanSave) return StatusCode(StatusCodes.Status403Forbidden);
        try
        {
            var r = await forecasts.ForecastAsync(park, Blank(node), target ?? ForecastTargets.FacilityEnergy, ForecastService.ParseHorizon(horizon), true, Me.Name, ct);
            Message = T("opt.fc.saved", r.Forecast.Id);
        }
        catch (ValidationException e) { Error = M(e.Message); }
        await LoadAsync(park, target, horizon, node, ct);
        return Page();
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private async Task LoadAsync(string park, string? target, string? horizon, string? node, CancellationToken ct)
    {
        Buildings = (await Store.Registry.ListSpacesAsync(park, ct)).Where(s => s.Level == SpaceLevel.Building).ToList();
        Target = ForecastTargets.All.Contains(target ?? "") ? target! : ForecastTargets.FacilityEnergy;
        Horizon = horizon is "week" ? "week" : "day";
        Node = Buildings.Any(b => b.Code == node) ? node : null;
        var h = ForecastService.ParseHorizon(Horizon);
        try
        {
            Run = await forecasts.ForecastAsync(park, Node, Target, h, false, Me.Name, ct);
            var list = new List<BacktestResult>();
            foreach (var t in ForecastTargets.All)
                list.Add(t == Target ? Run.Backtest : await forecasts.BacktestAsync(park, Node, t, h, null, null, ct));
            Accuracy = list;
            var stored = new List<(StoredForecast, ForecastComparison)>();
            foreach (var f in await Store.Optimisation.ListForecastsAsync(park, Node ?? park, null, null, 10, ct))
                stored.Add((f, await forecasts.CompareAsync(park, f.Id, ct)));
            Stored = stored;
            // The chart: the last week (day horizon) or four weeks (week horizon) of actuals, then the forecast shown and the baseline.
            var last = DateOnly.FromDateTime(Run.Forecast.Origin.DateTime).AddDays(-1);
            var hist = await new OptimisationData(Store).LoadAsync(park, Node, last.AddDays(h == ForecastHorizon.Day ? -6 : -27), last,
                h == ForecastHorizon.Day ? Granularity.Hour : Granularity.Day, ct);
            var actual = hist.Of(Target);
            string Label(DateTimeOffset t) => t.ToString(h == ForecastHorizon.Day ? "MM-dd HH:mm" : "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var labels = hist.Buckets.Select(b => Label(b.Start)).Concat(Run.Forecast.Points.Select(p => Label(p.Start))).ToList();
            var pad = Enumerable.Repeat<double?>(null, Run.Forecast.Points.Count);
            ChartJson = JsonSerializer.Serialize(new
            {
                labels,
                unit = Run.Forecast.Unit,
                actual = actual.Select(v => v is { } x ? Math.Round(x, 4) : (double?)null).Concat(pad).ToList(),
                forecast = Enumerable.Repeat<double?>(null, actual.Length).Concat(Run.Forecast.Points.Select(p => p.Value is { } x ? Math.Round(x, 4) : (double?)null)).ToList(),
                baseline = Enumerable.Repeat<double?>(null, actual.Length).Concat(Run.Forecast.Points.Select(p => p.Baseline is { } x ? Math.Round(x, 4) : (double?)null)).ToList(),
                names = new { actual = T("opt.fc.actual"), forecast = T("opt.fc.forecast"), baseline = T("opt.fc.baseline") },
            });
        }
        catch (ValidationException e) { Error = M(e.Message); }
    }
}
