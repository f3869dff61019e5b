using System.Globalization;
using ZeroPark.Application.Carbon;
using ZeroPark.Domain;
using ZeroPark.Optimisation;

namespace ZeroPark.Application.Optimisation;

/// <summary>One month of the outlook: facility energy E_DC, grid electricity and its location-based emissions, and the actual month it
/// was projected from.</summary>
public sealed record OutlookMonth(string Month, double? FacilityKwh, double? GridKwh, double? Tco2e, string? BasisMonth);

/// <summary>Next year's energy and emissions of a node, for the energy plans and the neutrality targets.</summary>
public sealed record Outlook(string Park, string Node, int Year, double Growth, IReadOnlyList<OutlookMonth> Months, double? FacilityKwh, double? GridKwh, double? Tco2e,
    double? PlanKwh, IReadOnlyList<string> Notes);

/// <summary>A comparison for the wire: per point the forecast shown and the actual; MAPE/MAE of shown, model and baseline.</summary>
public sealed record ForecastComparisonView(long Id, string Node, string Target, string Horizon, string Shown, int Points, double? Mape, double? Mae, double? ModelMape,
    double? BaselineMape, IReadOnlyList<ForecastComparisonRow> Rows)
{
    public static ForecastComparisonView From(ForecastComparison c) => new(c.Forecast.Id, c.Forecast.Node, c.Forecast.Target, c.Forecast.Horizon, c.Forecast.Shown,
        c.Shown.Points, c.Shown.Mape, c.Shown.Mae, c.Model.Mape, c.Baseline.Mape,
        c.Points.Select(p => new ForecastComparisonRow(p.Point.Start.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture), p.Point.Value, p.Actual)).ToList());
}

public sealed record ForecastComparisonRow(string Start, double? Forecast, double? Actual);

/// <summary>
/// Next year's electricity and emissions by month: each month of the year is the latest complete actual month of the same name ×
/// (1 + g)^years, where g is the IT energy growth of the last 3 complete months against the same months a year earlier (0 with a
/// note when there is no year-earlier data); emissions = grid electricity × the location-based grid factor the carbon module would use
/// (<see cref="CarbonService.GridFactorsAsync"/>; the newest factor known when the year has none yet).
/// </summary>
public sealed class OutlookService(ZeroParkStore store, CarbonService carbon)
{
    private readonly OptimisationData _data = new(store);

    public async Task<Outlook> OutlookAsync(string parkCode, string? node, int? year, CancellationToken ct = default)
    {
        var reg = await store.Registry.GetRegistryAsync(parkCode, ct);
        var last = await _data.LastCompleteDayAsync(parkCode, ct) ?? throw new ValidationException("park", $"park '{parkCode}' has no readings");
        var y = year ?? store.Optimisation.LocalToday(reg.Park).Year + 1;
        if (y < 2000 || y > 2100) throw new ValidationException("year", $"{y} is not a year between 2000 and 2100");
        // Complete months only: the month of the last complete day counts when that day is its last.
        var lastMonth = last.AddDays(1).Day == 1 ? new DateOnly(last.Year, last.Month, 1) : new DateOnly(last.Year, last.Month, 1).AddMonths(-1);
        var from = lastMonth.AddMonths(-23);
        var hist = await _data.LoadAsync(parkCode, node, from, lastMonth.AddMonths(1).AddDays(-1), Granularity.Month, ct);
        var notes = new List<string>(hist.Notes);
        var months = hist.Local.Select(l => new DateOnly(l.Year, l.Month, 1)).ToList();
        double? Sum(double?[] s, IEnumerable<int> idx) => idx.All(i => i >= 0 && s[i] is not null) ? idx.Sum(i => s[i]!.Value) : null;
        var n = months.Count;
        var recent = Enumerable.Range(n - 3, 3).ToList();
        var growth = 0.0;
        if (n >= 15 && Sum(hist.It, recent) is { } now && Sum(hist.It, recent.Select(i => i - 12)) is { } before && before > 0)
            growth = now / before - 1;
        else notes.Add("growth: no IT energy a year before the last 3 months; the outlook assumes no growth");
        var factors = await carbon.GridFactorsAsync(parkCode, ct);
        var list = new List<OutlookMonth>();
        for (var m = 1; m <= 12; m++)
        {
            var basis = Enumerable.Range(0, n).Reverse().FirstOrDefault(i => months[i].Month == m && hist.Facility[i] is not null, -1);
            if (basis < 0) { list.Add(new OutlookMonth($"{y:0000}-{m:00}", null, null, null, null)); continue; }
            var k = Math.Pow(1 + growth, y - months[basis].Year);
            var facility = hist.Facility[basis] * k;
            var grid = hist.Grid[basis] * k;
            var day = new DateOnly(y, m, 1);
            var f = factors(day) ?? factors(months[basis]);
            double? t = grid is { } g && f is not null ? (Energy.FromKilowattHours(g) * f.EnergyFactor).TonnesCo2e : null;
            list.Add(new OutlookMonth($"{y:0000}-{m:00}", Math.Round(facility ?? 0, 1), grid is null ? null : Math.Round(grid.Value, 1), t is null ? null : Math.Round(t.Value, 3),
                months[basis].ToString("yyyy-MM", CultureInfo.InvariantCulture)));
            if (m == 1 && f is not null) notes.Add($"emissions: grid electricity × {f.Record.Value.ToString(CultureInfo.InvariantCulture)} {f.Record.Unit} ({f.Record.Citation})");
        }
        if (list.Any(x => x.FacilityKwh is null)) notes.Add("months without an actual month of the same name are left empty");
        var plan = (await store.Plans.ListEnergyPlansAsync(parkCode, y, Carrier.Electricity, hist.IsPark ? null : hist.Node, ct)).FirstOrDefault(p => p.Month is null && p.Node == hist.Node);
        double? Total(Func<OutlookMonth, double?> f) => list.All(x => f(x) is not null) ? list.Sum(x => f(x)!.Value) : null;
        return new Outlook(reg.Park.Code, hist.Node, y, Math.Round(growth, 4), list, Total(x => x.FacilityKwh), Total(x => x.GridKwh), Total(x => x.Tco2e), plan?.Amount, notes);
    }
}
