namespace ZeroPark.Neutrality;

/// <summary>The hour-by-hour (24×7) match of green supply against load.</summary>
public sealed record MatchingFigures(double LoadKwh, double SupplyKwh, double MatchedKwh, double? MatchedShare, double? AnnualShare, int Hours, int UncoveredHours,
    int FullyCoveredHours, double SurplusKwh, IReadOnlyList<double> MatchedByHourOfDay, IReadOnlyList<double> LoadByHourOfDay);

/// <summary>
/// 24×7 carbon-free energy matching: each hour, matched = min(load, green supply); the matched share = Σ matched ÷ Σ load (the
/// hourly CFE score), beside the volumetric ("annual") share Σ supply ÷ Σ load that certificates alone would claim. An hour with load
/// and supply below it is uncovered; supply above the load of its hour is surplus and is not carried to another hour.
/// </summary>
public static class HourlyMatching
{
    /// <param name="loadKwh">load of each hour (kWh).</param>
    /// <param name="supplyKwh">green supply of each hour (kWh).</param>
    /// <param name="hourOfDay">local hour of day (0–23) of each hour, for the daily profile.</param>
    public static MatchingFigures Match(IReadOnlyList<double> loadKwh, IReadOnlyList<double> supplyKwh, IReadOnlyList<int> hourOfDay)
    {
        if (loadKwh.Count != supplyKwh.Count || loadKwh.Count != hourOfDay.Count) throw new ArgumentException("load, supply and hours must have the same length");
        double load = 0, supply = 0, matched = 0, surplus = 0;
        int uncovered = 0, full = 0;
        var byHour = new double[24];
        var loadByHour = new double[24];
        for (var i = 0; i < loadKwh.Count; i++)
        {
            var l = Math.Max(0, loadKwh[i]);
            var s = Math.Max(0, supplyKwh[i]);
            var m = Math.Min(l, s);
            load += l; supply += s; matched += m; surplus += s - m;
            if (l > 0 && s + 1e-9 < l) uncovered++;
            if (l > 0 && s + 1e-9 >= l) full++;
            byHour[hourOfDay[i]] += m;
            loadByHour[hourOfDay[i]] += l;
        }
        return new MatchingFigures(load, supply, matched, load > 0 ? matched / load : null, load > 0 ? supply / load : null, loadKwh.Count, uncovered, full, surplus,
            byHour, loadByHour);
    }

    /// <summary>Spreads a contract's energy over its hours: <c>flat</c> evenly over every hour, <c>daytime</c> evenly over the
    /// hours 08:00–17:59 local (a solar contract). Hours outside the contract get 0.</summary>
    public static double[] Spread(double kwh, IReadOnlyList<bool> inContract, IReadOnlyList<int> hourOfDay, string shape)
    {
        var take = new bool[inContract.Count];
        for (var i = 0; i < take.Length; i++)
            take[i] = inContract[i] && (shape != "daytime" || hourOfDay[i] is >= 8 and < 18);
        var n = take.Count(x => x);
        var r = new double[take.Length];
        if (n == 0) return r;
        for (var i = 0; i < take.Length; i++) if (take[i]) r[i] = kwh / n;
        return r;
    }
}
