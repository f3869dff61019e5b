namespace ZeroPark.Optimisation;

/// <summary>The two forecast horizons: <see cref="Day"/> = the next 24 hours, hourly (origin at local midnight); <see cref="Week"/> =
/// the next 7 days, daily (origin at the start of a local day).</summary>
public enum ForecastHorizon
{
    Day,
    Week,
}

/// <summary>One scored or forecast value: the bucket index <see cref="Target"/>, the index of the first bucket forecast from the
/// same origin (<see cref="Origin"/>; buckets before it were known), the lead (1 = the first bucket after the origin), the actual
/// value (null when not known yet), the model's forecast and the seasonal-naive baseline.</summary>
public sealed record ForecastPoint(int Target, int Origin, int Lead, double? Actual, double? Model, double? Baseline);

/// <summary>What a model sees: the target series (one value per bucket, null where not metered) and the weather of the same buckets
/// (outdoor dry-bulb °C and relative humidity %, averages of gauge meters; null where not measured), with each bucket's local
/// start. <see cref="Local"/> may be longer than <see cref="Values"/>: the extra buckets are the future to forecast.</summary>
public sealed record ModelInput(IReadOnlyList<DateTime> Local, IReadOnlyList<double?> Values, IReadOnlyList<double?>? Temperature = null,
    IReadOnlyList<double?>? Humidity = null)
{
    public int Known => Values.Count;
}

/// <summary>
/// The forecast models (pure, deterministic): the seasonal-naive baseline plus a ridge regression of the change against it, fitted by
/// <see cref="NormalEquations"/> (MathNet.Numerics) on a sliding window of the last <see cref="WindowDays"/> days before the origin
/// (so the model follows the season), with calendar, history and weather features. When the changes are not predictable the ridge
/// shrinks towards 0 and the model stays close to the baseline; the backtest decides which of the two is shown.
/// <para><b>Day</b> (hourly, 24 leads from local midnight): baseline y(t−168 h) (the same hour a week earlier). The change
/// y(t) − y(t−168) is regressed on the same change one day earlier, y(t−24) − y(t−192), on the change of the weather of the same hour
/// (dry-bulb, humidity: the day before against a week before that — no weather forecast is stored, so only what was known at the
/// origin), and on hour-of-day group dummies (night, morning, afternoon, evening).</para>
/// <para><b>Week</b> (daily, 7 leads): baseline y(d−7). The change y(d) − y(d−7) is regressed on the last known day's change
/// y(o−1) − y(o−8), its weather change, and the lead.</para>
/// </summary>
public static class Forecaster
{
    /// <summary>Ridge penalty per row on scaled features.</summary>
    public const double Lambda = 1e-3;

    /// <summary>The training window: the last 8 weeks before the origin.</summary>
    public const int WindowDays = 56;

    public static int Leads(ForecastHorizon h) => h == ForecastHorizon.Day ? 24 : 7;
    public static int Season(ForecastHorizon h) => h == ForecastHorizon.Day ? 168 : 7;
    private static int PerDay(ForecastHorizon h) => h == ForecastHorizon.Day ? 24 : 1;

    private sealed class Spec
    {
        public required int P { get; init; }
        public required double[] Scale { get; init; }
        public required bool OriginDependent { get; init; }
        public required Func<int, int, double[], bool> Features { get; init; }
    }

    private static Spec Build(ForecastHorizon h, ModelInput x)
    {
        var y = x.Values;
        var temp = x.Temperature;
        var rh = x.Humidity;
        var hasTemp = temp is not null && temp.Any(v => v is not null);
        var hasRh = rh is not null && rh.Any(v => v is not null);
        var level = Math.Max(1e-9, y.Where(v => v is not null).Select(v => Math.Abs(v!.Value)).DefaultIfEmpty(1).Average());
        var season = Season(h);
        double? Y(int i) => i >= 0 && i < y.Count ? y[i] : null;
        double? W(IReadOnlyList<double?>? s, int i) => s is not null && i >= 0 && i < s.Count ? s[i] : null;
        double? Change(int i) => Y(i) is { } a && Y(i - season) is { } b ? a - b : null;
        double? WeatherChange(IReadOnlyList<double?>? s, int i) => W(s, i) is { } a && W(s, i - season) is { } b ? a - b : null;
        var extra = (hasTemp ? 1 : 0) + (hasRh ? 1 : 0);
        if (h == ForecastHorizon.Day)
        {
            var p = 1 + 3 + 1 + extra;
            var scale = new double[p];
            Array.Fill(scale, 1.0);
            scale[4] = level * 0.01;
            if (hasTemp) scale[5] = 1;
            if (hasRh) scale[p - 1] = 5;
            return new Spec
            {
                P = p, Scale = scale, OriginDependent = false,
                Features = (t, _, row) =>
                {
                    if (Change(t - 24) is not { } d1) return false;
                    Array.Clear(row);
                    row[0] = 1;
                    var group = x.Local[t].Hour / 6;
                    if (group > 0) row[group] = 1;
                    row[4] = d1;
                    var k = 5;
                    if (hasTemp)
                    {
                        if (WeatherChange(temp, t - 24) is not { } dt) return false;
                        row[k++] = dt;
                    }
                    if (hasRh)
                    {
                        if (WeatherChange(rh, t - 24) is not { } dr) return false;
                        row[k] = dr;
                    }
                    return true;
                },
            };
        }
        else
        {
            var p = 1 + 1 + 1 + extra;
            var scale = new double[p];
            Array.Fill(scale, 1.0);
            scale[1] = level * 0.01;
            scale[2] = 7;
            if (hasTemp) scale[3] = 1;
            if (hasRh) scale[p - 1] = 5;
            return new Spec
            {
                P = p, Scale = scale, OriginDependent = true,
                Features = (t, origin, row) =>
                {
                    if (Change(origin - 1) is not { } d1) return false;
                    Array.Clear(row);
                    row[0] = 1;
                    row[1] = d1;
                    row[2] = t - origin + 1;
                    var k = 3;
                    if (hasTemp)
                    {
                        if (WeatherChange(temp, origin - 1) is not { } dt) return false;
                        row[k++] = dt;
                    }
                    if (hasRh)
                    {
                        if (WeatherChange(rh, origin - 1) is not { } dr) return false;
                        row[k] = dr;
                    }
                    return true;
                },
            };
        }
    }

    /// <summary>Whether the bucket starting at <paramref name="local"/> is a forecast origin: local midnight for <see cref="ForecastHorizon.Day"/>,
    /// every day for <see cref="ForecastHorizon.Week"/>.</summary>
    public static bool IsOrigin(ForecastHorizon h, DateTime local) => h == ForecastHorizon.Week || local.Hour == 0;

    /// <summary>Rolling-origin backtest: for every origin o in [<paramref name="firstOrigin"/>, Known) the model is fitted on the window
    /// before o only and forecasts leads 1…<see cref="Leads"/> (within the known data); the baseline is the value one season earlier.
    /// Each point carries the actual, so every forecast is scored on history the model had not seen.</summary>
    public static IReadOnlyList<ForecastPoint> Backtest(ForecastHorizon h, ModelInput x, int firstOrigin)
    {
        var spec = Build(h, x);
        var n = x.Known;
        var leads = Leads(h);
        var window = WindowDays * PerDay(h);
        var eq = new NormalEquations(spec.P, spec.Scale);
        var row = new double[spec.P];
        var points = new List<ForecastPoint>();
        int added = Math.Max(0, firstOrigin - window), removed = added;
        for (var o = Math.Max(firstOrigin, 1); o < n; o++)
        {
            if (!IsOrigin(h, x.Local[o])) continue;
            for (; added < o; added++) Train(spec, x, h, added, eq, row, +1);
            for (; removed < o - window; removed++) Train(spec, x, h, removed, eq, row, -1);
            var beta = eq.Solve(Lambda);
            for (var lead = 1; lead <= leads && o + lead - 1 < n; lead++)
            {
                var t = o + lead - 1;
                points.Add(new ForecastPoint(t, o, lead, x.Values[t], Predict(spec, x, h, beta, t, o, row), Baseline(h, x, t)));
            }
        }
        return points;
    }

    /// <summary>The forecast from the end of the known data (origin = <see cref="ModelInput.Known"/>, which must be an origin): fitted on the
    /// window before it, for the future buckets listed in <see cref="ModelInput.Local"/> (up to <see cref="Leads"/>).</summary>
    public static IReadOnlyList<ForecastPoint> Forecast(ForecastHorizon h, ModelInput x)
    {
        var spec = Build(h, x);
        var n = x.Known;
        var eq = new NormalEquations(spec.P, spec.Scale);
        var row = new double[spec.P];
        for (var t = Math.Max(0, n - WindowDays * PerDay(h)); t < n; t++) Train(spec, x, h, t, eq, row, +1);
        var beta = eq.Solve(Lambda);
        var points = new List<ForecastPoint>();
        for (var lead = 1; lead <= Leads(h) && n + lead - 1 < x.Local.Count; lead++)
        {
            var t = n + lead - 1;
            points.Add(new ForecastPoint(t, n, lead, null, Predict(spec, x, h, beta, t, n, row), Baseline(h, x, t)));
        }
        return points;
    }

    private static double? Baseline(ForecastHorizon h, ModelInput x, int t) => t - Season(h) is var i && i >= 0 && i < x.Known ? x.Values[i] : null;

    private static double? Predict(Spec spec, ModelInput x, ForecastHorizon h, double[]? beta, int t, int origin, double[] row) =>
        beta is not null && Baseline(h, x, t) is { } b && spec.Features(t, origin, row) ? b + NormalEquations.Dot(beta, row) : null;

    /// <summary>Adds (sign +1) or removes (−1) the training rows whose target is bucket t: the change against the baseline.</summary>
    private static void Train(Spec spec, ModelInput x, ForecastHorizon h, int t, NormalEquations eq, double[] row, int sign)
    {
        if (x.Values[t] is not { } y || Baseline(h, x, t) is not { } b) return;
        var leads = spec.OriginDependent ? Leads(h) : 1;
        for (var lead = 1; lead <= leads; lead++)
        {
            if (!spec.Features(t, t - lead + 1, row)) continue;
            if (sign > 0) eq.Add(row, y - b);
            else eq.Remove(row, y - b);
        }
    }
}

/// <summary>Accuracy of forecasts against actuals: MAPE (mean of |actual − forecast| ÷ |actual|, in %) and MAE (mean of
/// |actual − forecast|, in the target's unit) over the pairs where both are known; MAPE skips actuals of zero (counted in
/// <see cref="ZeroActuals"/>).</summary>
public sealed record Accuracy(double? Mape, double? Mae, int Points, int ZeroActuals)
{
    public static Accuracy Of(IEnumerable<(double? Actual, double? Forecast)> pairs)
    {
        double ape = 0, ae = 0;
        int n = 0, nPct = 0, zero = 0;
        foreach (var (a, f) in pairs)
        {
            if (a is not { } av || f is not { } fv) continue;
            n++;
            ae += Math.Abs(av - fv);
            if (Math.Abs(av) < 1e-12) { zero++; continue; }
            nPct++;
            ape += Math.Abs(av - fv) / Math.Abs(av);
        }
        return new Accuracy(nPct == 0 ? null : 100 * ape / nPct, n == 0 ? null : ae / n, n, zero);
    }
}
