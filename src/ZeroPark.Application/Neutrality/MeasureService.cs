using System.Globalization;
using ZeroPark.Application.Carbon;
using ZeroPark.Domain;
using ZeroPark.Metering;
using ZeroPark.Neutrality;

namespace ZeroPark.Application.Neutrality;

public sealed record MeasureMonth(string Month, double BaselineKwh, double ActualKwh, double SavingKwh, double SavingT);

/// <summary>The measured saving of a reduction measure: the baseline model, the saving to date (kWh, tCO2e, CNY), the next year's forecast.</summary>
public sealed record MeasureReport(ReductionMeasure Measure, BaselineFit? Model, int BaselineDays, int ReportingDays, double BaselineToDateKwh, double ActualKwh,
    double SavingKwh, double SavingT, double? SavingCny, double? SavingPct, double? ForecastKwh, double? ForecastT, double? ForecastCny, IReadOnlyList<MeasureMonth> Months,
    IReadOnlyList<string> Notes);

/// <summary>
/// Reduction measures (ODCC whitepaper §五(二)5 碳减排): each measure's boundary energy per day is modelled over its baseline period as
/// intercept + a × IT energy (+ b × the daily mean outdoor temperature where the park has a temperature gauge: a data center cools all year, so
/// its cooling energy follows the temperature over the whole range, not only above a degree-day base); after the measure starts,
/// the model's prediction from the same day's drivers minus what was measured is the saving (avoided energy, IPMVP style). tCO2e with
/// the location-based grid factor of each day, CNY at the measure's price per kWh. The next year's forecast is the mean daily saving so
/// far × 365.
/// </summary>
public sealed class MeasureService(ZeroParkStore store, CarbonService carbon)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Creates a measure (the one call the optimisation module's accepted suggestions use).</summary>
    public Task<ReductionMeasure> CreateAsync(string park, MeasureDraft draft, string user, CancellationToken ct = default) =>
        store.Neutrality.AddMeasureAsync(park, draft, user, ct);

    public async Task<IReadOnlyList<MeasureReport>> ReportAsync(string park, DateOnly asOf, string? code = null, CancellationToken ct = default)
    {
        var measures = (await store.Neutrality.MeasuresAsync(park, ct)).Where(m => code is null || m.Code == code).ToList();
        if (code is not null && measures.Count == 0) throw new NotFoundException($"measure '{code}' not found in park '{park}'");
        var result = new List<MeasureReport>();
        foreach (var m in measures) result.Add(await ReportOneAsync(park, m, asOf, ct));
        return result;
    }

    private async Task<MeasureReport> ReportOneAsync(string park, ReductionMeasure m, DateOnly asOf, CancellationToken ct)
    {
        var reg = await store.Registry.GetRegistryAsync(park, ct);
        var notes = new List<string>();
        var end = asOf < m.Start ? m.BaselineTo : asOf;
        var from = m.BaselineFrom;
        var days = end.DayNumber - from.DayNumber + 1;
        var energy = new double?[days];
        foreach (var b in m.Boundary)
        {
            var target = reg.MetersByCode.ContainsKey(b) ? SeriesTarget.Meter(b) : b == reg.Park.Code
                ? SeriesTarget.Node(null, role: MeterRole.FacilityInput) : SeriesTarget.Node(b);
            var s = await store.Queries.SeriesAsync(park, target, from, end, Granularity.Day, ct);
            for (var i = 0; i < days && i < s.Buckets.Count; i++)
                if (s.Buckets[i].Value is { } v) energy[i] = (energy[i] ?? 0) + v;
        }
        var it = await store.Queries.SeriesAsync(park, SeriesTarget.Node(null, role: MeterRole.ItLoad), from, end, Granularity.Day, ct);
        var gauge = m.UseTemperature ? reg.MetersById.Values.FirstOrDefault(x => x.IsInstantaneous && x.Unit is "°C" or "℃" or "degC") : null;
        double?[]? temp = null;
        if (gauge is not null)
        {
            var ts = await store.Queries.SeriesAsync(park, SeriesTarget.Meter(gauge.Code), from, end, Granularity.Day, ct);
            temp = ts.Buckets.Select(x => x.Value).ToArray();
            notes.Add($"outdoor temperature from gauge {gauge.Code} (daily mean °C)");
        }
        else notes.Add(m.UseTemperature ? "no outdoor temperature gauge in the park: the baseline is normalised by IT energy only" : "baseline normalised by IT energy only (temperature off)");
        var drivers = temp is null ? new[] { "it_kwh" } : ["it_kwh", "outdoor_temp_c"];
        IReadOnlyList<double>? X(int i)
        {
            if (i >= it.Buckets.Count || it.Buckets[i].Value is not { } itv) return null;
            if (temp is null) return [itv];
            return i < temp.Length && temp[i] is { } t ? [itv, t] : null;
        }
        var baseDays = m.BaselineTo.DayNumber - from.DayNumber + 1;
        var ys = new List<double>();
        var xs = new List<IReadOnlyList<double>>();
        for (var i = 0; i < baseDays && i < days; i++)
            if (energy[i] is { } y && X(i) is { } x) { ys.Add(y); xs.Add(x); }
        var fit = BaselineModel.Fit(ys, xs, drivers);
        if (fit is null)
        {
            notes.Add($"baseline: {ys.Count} day(s) with energy and drivers — too few to fit the model");
            return new MeasureReport(m, null, ys.Count, 0, 0, 0, 0, 0, null, null, null, null, null, [], notes);
        }
        if (fit.RSquared < 0.5) notes.Add($"baseline model R² = {fit.RSquared.ToString("0.###", Inv)}: weak; read the saving with care");
        var factors = await carbon.GridFactorsAsync(park, ct);
        var months = new SortedDictionary<string, (double B, double A, double S, double T)>(StringComparer.Ordinal);
        double baseline = 0, actual = 0, tonnes = 0;
        var reporting = 0;
        var startIndex = m.Start.DayNumber - from.DayNumber;
        for (var i = startIndex; i < days; i++)
        {
            if (energy[i] is not { } y || X(i) is not { } x) continue;
            var day = DateOnly.FromDayNumber(from.DayNumber + i);
            var predicted = fit.Predict(x);
            var saving = predicted - y;
            var f = factors(day)?.EnergyFactor;
            var t = f is { } ff ? (Energy.FromKilowattHours(saving) * ff).TonnesCo2e : 0;
            baseline += predicted; actual += y; tonnes += t; reporting++;
            var key = day.ToString("yyyy-MM", Inv);
            var cur = months.GetValueOrDefault(key);
            months[key] = (cur.B + predicted, cur.A + y, cur.S + saving, cur.T + t);
        }
        var savingKwh = baseline - actual;
        double? cny = m.PriceCnyPerKwh is { } p ? savingKwh * p : null;
        if (m.PriceCnyPerKwh is null) notes.Add("no price per kWh recorded for the measure: CNY not computed");
        double? fk = reporting >= 7 ? savingKwh / reporting * 365 : null;
        if (fk is null) notes.Add($"{reporting} reporting day(s): at least 7 are needed for a forecast");
        var latest = factors(end)?.EnergyFactor;
        return new MeasureReport(m, fit, ys.Count, reporting, baseline, actual, savingKwh, tonnes, cny, baseline > 0 ? savingKwh / baseline * 100 : null, fk,
            fk is { } k && latest is { } lf ? (Energy.FromKilowattHours(k) * lf).TonnesCo2e : null, fk is { } k2 && m.PriceCnyPerKwh is { } p2 ? k2 * p2 : null,
            months.Select(x => new MeasureMonth(x.Key, x.Value.B, x.Value.A, x.Value.S, x.Value.T)).ToList(), notes);
    }
}
