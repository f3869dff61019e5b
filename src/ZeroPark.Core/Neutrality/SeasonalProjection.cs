namespace ZeroPark.Neutrality;

/// <summary>A projected year end: the value, how it was projected, and each month (actual or projected).</summary>
public sealed record YearProjection(double ActualToDate, double YearEnd, string Basis, IReadOnlyList<double?> Months);

/// <summary>
/// Projects a year end that follows the year's own shape: the months still to come take last year's same months, scaled by how this
/// year so far compares with last year's same months (k = actual to date ÷ last year to date). A park that runs 3 % above last
/// year in a cold first quarter is projected 3 % above last year's whole year, not at a straight run rate that drags the hot summer
/// down to the winter average. Without a full last year the projection falls back to the run rate (and says so).
/// </summary>
public static class SeasonalProjection
{
    public const string BasisSeasonal = "last_year_shape";
    public const string BasisRunRate = "run_rate";
    public const string BasisComplete = "complete";

    /// <param name="thisYear">12 months of this year; the first <paramref name="elapsed"/> are actual (null = no data, counted 0).</param>
    /// <param name="lastYear">12 months of last year, or null.</param>
    /// <param name="elapsed">months completed, 0…12.</param>
    public static YearProjection Project(IReadOnlyList<double?> thisYear, IReadOnlyList<double?>? lastYear, int elapsed)
    {
        if (thisYear.Count != 12) throw new ArgumentException("12 months expected", nameof(thisYear));
        elapsed = Math.Clamp(elapsed, 0, 12);
        var actual = Enumerable.Range(0, elapsed).Sum(m => thisYear[m] ?? 0);
        var months = new double?[12];
        for (var m = 0; m < elapsed; m++) months[m] = thisYear[m] ?? 0;
        if (elapsed == 12) return new YearProjection(actual, actual, BasisComplete, months);
        if (lastYear is { Count: 12 } ly && ly.All(v => v is not null))
        {
            var lyToDate = Enumerable.Range(0, elapsed).Sum(m => ly[m]!.Value);
            var k = elapsed == 0 ? 1 : lyToDate > 0 ? actual / lyToDate : double.NaN;
            if (!double.IsNaN(k))
            {
                for (var m = elapsed; m < 12; m++) months[m] = ly[m]!.Value * k;
                return new YearProjection(actual, actual + Enumerable.Range(elapsed, 12 - elapsed).Sum(m => months[m]!.Value), BasisSeasonal, months);
            }
        }
        if (elapsed == 0) return new YearProjection(0, 0, BasisRunRate, months);
        var perMonth = actual / elapsed;
        for (var m = elapsed; m < 12; m++) months[m] = perMonth;
        return new YearProjection(actual, perMonth * 12, BasisRunRate, months);
    }
}
