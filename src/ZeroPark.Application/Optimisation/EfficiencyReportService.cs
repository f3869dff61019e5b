using System.Globalization;
using ZeroPark.Application.Export;
using ZeroPark.Domain;
using ZeroPark.Optimisation;

namespace ZeroPark.Application.Optimisation;

/// <summary>One month of the efficiency report: energies, PUE and CLF by the KPI definition, the drivers' means and the normalised PUE.</summary>
public sealed record EfficiencyMonth(string Month, double? FacilityKwh, double? ItKwh, double? CoolingKwh, double? Pue, double? Clf, double? NormalisedPue,
    IReadOnlyDictionary<string, double> Drivers);

/// <summary>A stored forecast of the year with its backtest accuracy and its realised accuracy against the actuals.</summary>
public sealed record ForecastAccuracyRow(long Id, string Node, string Target, string Horizon, string Origin, string Shown, double? BacktestMape, double? BaselineMape,
    double? RealisedMape, int RealisedPoints);

/// <summary>The efficiency report of a node and year (monthly and yearly): PUE and its drivers, normalised PUE, forecasts against
/// actuals, suggestions and the savings of the accepted ones. The data of the report engine (issue 17) and of the page.</summary>
public sealed record EfficiencyReport(string Park, string Node, int Year, string From, string To, double? YearPue, double? YearNormalisedPue, IReadOnlyList<EfficiencyMonth> Months,
    IReadOnlyList<Coefficient> Drivers, double? RSquared, IReadOnlyDictionary<string, double> Reference, IReadOnlyList<ForecastAccuracyRow> Forecasts,
    IReadOnlyList<Suggestion> Suggestions, double AcceptedSavingKwh, double? AcceptedSavingTco2e, double? AcceptedSavingCny, IReadOnlyList<string> Notes);

/// <summary>Builds the efficiency report (see <see cref="EfficiencyReport"/>) and its workbook.</summary>
public sealed class EfficiencyReportService(ZeroParkStore store, DriverService drivers, ForecastService forecasts)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private readonly OptimisationData _data = new(store);

    public Task<EfficiencyReport> ReportAsync(string parkCode, string? node, int? year, CancellationToken ct = default) => ReportAsync(parkCode, node, year, null, ct);

    /// <summary>The report of the year up to <paramref name="through"/> (a monthly report reads the year to its month's end), else to
    /// the year's end or the last complete day of data.</summary>
    public async Task<EfficiencyReport> ReportAsync(string parkCode, string? node, int? year, DateOnly? through, CancellationToken ct = default)
    {
        var last = await _data.LastCompleteDayAsync(parkCode, ct) ?? throw new ValidationException("park", $"park '{parkCode}' has no readings");
        var y = year ?? last.Year;
        if (y < 2000 || y > 2100) throw new ValidationException("year", $"{y} is not a year between 2000 and 2100");
        var from = new DateOnly(y, 1, 1);
        var end = through is { } th && th < new DateOnly(y, 12, 31) ? th : new DateOnly(y, 12, 31);
        var to = end < last ? end : last;
        if (to < from) throw new ValidationException("year", $"no complete day of data in {y} (the last is {last:yyyy-MM-dd})");
        var months = await _data.LoadAsync(parkCode, node, from, to, Granularity.Month, ct);
        var notes = new List<string>(months.Notes);
        DriverResult? d = null;
        try { d = await drivers.AnalyseAsync(parkCode, node, "pue", from, to, null, ct); }
        catch (ValidationException e) { notes.Add("drivers: " + e.Message); }
        double? Normalise(double? pue, IReadOnlyDictionary<string, double> at) => pue is { } p && d is not null
            ? Math.Round(p - d.Coefficients.Skip(1).Where(c => at.ContainsKey(c.Name)).Sum(c => c.Estimate * (at[c.Name] - d.Reference[c.Name])), 4) : null;
        var list = new List<EfficiencyMonth>();
        for (var i = 0; i < months.Local.Length; i++)
        {
            var key = months.Local[i].ToString("yyyy-MM", Inv);
            var at = d?.Months.FirstOrDefault(m => m.Month == key)?.Drivers ?? new Dictionary<string, double>();
            var clf = months.Cooling[i] is { } c && months.It[i] is > 0 ? Math.Round(c / months.It[i]!.Value, 4) : (double?)null;
            list.Add(new EfficiencyMonth(key, R(months.Facility[i]), R(months.It[i]), R(months.Cooling[i]), R4(months.Pue[i]), clf, Normalise(months.Pue[i], at), at));
        }
        var yearly = await _data.LoadAsync(parkCode, node, from, to, Granularity.Year, ct);
        var yearPue = R4(yearly.Pue.FirstOrDefault());
        // The year's normalised PUE: the yearly PUE at the reference conditions, the drivers weighted by the days of each month.
        double? yearNormalised = null;
        if (d is not null && d.Months.Count > 0)
        {
            var days = d.Months.Sum(m => m.Days);
            var at = d.Reference.Keys.Where(k => d.Months.All(m => m.Drivers.ContainsKey(k)))
                .ToDictionary(k => k, k => d.Months.Sum(m => m.Drivers[k] * m.Days) / days, StringComparer.Ordinal);
            yearNormalised = Normalise(yearPue, at);
        }
        var fcRows = new List<ForecastAccuracyRow>();
        foreach (var f in (await store.Optimisation.ListForecastsAsync(parkCode, months.Node, null, null, 200, ct))
                 .Where(f => DateOnly.FromDateTime(f.Origin.DateTime) is var o && o >= from && o <= to.AddDays(1)))
        {
            var c = await forecasts.CompareAsync(parkCode, f.Id, ct);
            fcRows.Add(new ForecastAccuracyRow(f.Id, f.Node, f.Target, f.Horizon, f.Origin.ToString("yyyy-MM-dd HH:mm", Inv), f.Shown, f.BacktestMape, f.BaselineMape,
                c.Shown.Mape is { } m ? Math.Round(m, 4) : null, c.Shown.Points));
        }
        var suggestions = await store.Optimisation.ListSuggestionsAsync(parkCode, null, ct);
        var accepted = suggestions.Where(s => s.Status == SuggestionStatus.Accepted).ToList();
        return new EfficiencyReport(months.Registry.Park.Code, months.Node, y, from.ToString("yyyy-MM-dd", Inv), to.ToString("yyyy-MM-dd", Inv), yearPue, yearNormalised, list,
            d?.Coefficients ?? [], d?.RSquared, d?.Reference ?? new Dictionary<string, double>(), fcRows, suggestions, Math.Round(accepted.Sum(s => s.SavingKwh), 1),
            accepted.All(s => s.SavingTco2e is not null) ? Math.Round(accepted.Sum(s => s.SavingTco2e ?? 0), 3) : null,
            accepted.All(s => s.SavingCny is not null) ? Math.Round(accepted.Sum(s => s.SavingCny ?? 0), 0) : null, notes);
    }

    private static double? R(double? v) => v is { } x ? Math.Round(x, 1) : null;
    private static double? R4(double? v) => v is { } x ? Math.Round(x, 4) : null;

    /// <summary>The report as workbook sheets (JSON field names as headers).</summary>
    public static XlsxSheet[] Sheets(EfficiencyReport r) =>
    [
        new("months", ["node", "month", "facility_kwh", "it_kwh", "cooling_kwh", "pue", "clf", "normalised_pue", .. Drivers.All],
            r.Months.Select(m => new object?[] { r.Node, m.Month, m.FacilityKwh, m.ItKwh, m.CoolingKwh, m.Pue, m.Clf, m.NormalisedPue }
                .Concat(Drivers.All.Select(k => m.Drivers.TryGetValue(k, out var v) ? (object?)v : null)).ToArray()).ToList()),
        new("year", ["node", "year", "from", "to", "pue", "normalised_pue", "r_squared", "accepted_saving_kwh", "accepted_saving_tco2e", "accepted_saving_cny", "notes"],
            [[r.Node, r.Year, r.From, r.To, r.YearPue, r.YearNormalisedPue, r.RSquared, r.AcceptedSavingKwh, r.AcceptedSavingTco2e, r.AcceptedSavingCny, string.Join(" | ", r.Notes)]]),
        new("drivers", ["name", "estimate", "standard_error", "t", "low95", "high95", "reference"],
            r.Drivers.Select(c => new object?[] { c.Name, c.Estimate, c.StandardError, c.T, c.Low95, c.High95, r.Reference.TryGetValue(c.Name, out var v) ? v : null }).ToList()),
        new("forecasts", ["id", "node", "target", "horizon", "origin", "shown", "backtest_mape", "baseline_mape", "realised_mape", "realised_points"],
            r.Forecasts.Select(f => new object?[] { f.Id, f.Node, f.Target, f.Horizon, f.Origin, f.Shown, f.BacktestMape, f.BaselineMape, f.RealisedMape, f.RealisedPoints }).ToList()),
        new("suggestions", ["id", "kind", "subject", "status", "saving_kwh", "saving_tco2e", "saving_cny", "evidence", "reason", "measure"],
            r.Suggestions.Select(s => new object?[] { s.Id, s.Kind, s.Subject, s.Status, s.SavingKwh, s.SavingTco2e, s.SavingCny, s.Evidence, s.Reason, s.Measure }).ToList()),
    ];
}
