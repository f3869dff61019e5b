using System.Globalization;

namespace ZeroPark.Alerts;

/// <summary>One period of a subject's history for the "normal value": its value (null: no data at all), how complete its data is
/// (0–1), and whether it lies before metering (or the source) started.</summary>
public sealed record PeriodValue(string Period, double? Value, double Completeness, bool BeforeStart = false);

/// <summary>The normal value of a subject: the mean of <see cref="Used"/> (the same kind of period, the last N with complete data),
/// with the definition in words (shown with every alert), and the periods left out and why.</summary>
public sealed record NormalValue(double Mean, IReadOnlyList<string> Used, IReadOnlyList<string> Skipped, string Definition);

/// <summary>Which way a deviation counts.</summary>
public enum DeviationDirection
{
    Both,
    High,
    Low,
}

/// <summary>The result of comparing a period with its normal value.</summary>
public sealed record DeviationResult(double Actual, double Normal, decimal Deviation, bool Alert, string Direction);

/// <summary>
/// Deviation from normal (ODCC-2023-02006 §五(二)6: a source deviating 10 % from its normal emissions raises an alert).
/// <para>Normal = the mean of the same period over the last <c>n</c> earlier periods whose data is complete (completeness ≥ the
/// rule's share) and that lie after metering started. A period without data or with incomplete data is never taken as zero: it is
/// skipped, and a period under check that is itself incomplete is not checked at all.</para>
/// </summary>
public static class Deviation
{
    /// <summary>|actual − normal| / normal ≥ threshold, in decimal arithmetic so that the boundary counts exactly (WC-34: 11.0 against
    /// 10.0 is +10 % and alerts; 9.0 is −10 % and alerts). Inputs are rounded to 9 decimals first (meter sums carry binary noise).</summary>
    public static DeviationResult Check(double actual, double normal, double threshold, DeviationDirection direction = DeviationDirection.Both)
    {
        if (!(normal > 0)) throw new ArgumentOutOfRangeException(nameof(normal), "the normal value must be positive");
        var a = (decimal)Math.Round(actual, 9);
        var n = (decimal)Math.Round(normal, 9);
        var dev = Math.Round((a - n) / n, 9);
        var t = (decimal)Math.Round(threshold, 9);
        var alert = direction switch
        {
            DeviationDirection.High => dev >= t,
            DeviationDirection.Low => -dev >= t,
            _ => Math.Abs(dev) >= t,
        };
        return new DeviationResult(actual, normal, dev, alert, dev >= 0 ? "high" : "low");
    }

    /// <summary>The normal value from the periods before the one under check (<paramref name="history"/>, oldest first): the last
    /// <paramref name="n"/> complete periods after the start of metering. Null when fewer than <paramref name="minPeriods"/> qualify.</summary>
    public static NormalValue? Normal(IReadOnlyList<PeriodValue> history, int n, double minCompleteness, int minPeriods = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        var used = new List<PeriodValue>();
        var skipped = new List<string>();
        for (var i = history.Count - 1; i >= 0 && used.Count < n; i--)
        {
            var p = history[i];
            if (p.BeforeStart) skipped.Add($"{p.Period} (before metering started)");
            else if (p.Value is null) skipped.Add($"{p.Period} (no data)");
            else if (p.Completeness < minCompleteness) skipped.Add($"{p.Period} (data {Pct(p.Completeness)} complete)");
            else used.Add(p);
        }
        if (used.Count < Math.Max(1, minPeriods)) return null;
        used.Reverse();
        var mean = used.Average(p => p.Value!.Value);
        var def = $"normal = mean of the same period over the last {n} periods with data at least {Pct(minCompleteness)} complete: " +
                  string.Join(" ", used.Select(p => $"{p.Period}={p.Value!.Value.ToString("0.###", CultureInfo.InvariantCulture)}"));
        return new NormalValue(mean, used.Select(p => p.Period).ToList(), skipped, def);
    }

    internal static string Pct(double share) => (share * 100).ToString("0.##", CultureInfo.InvariantCulture) + " %";
}

/// <summary>A bucket of a KPI or series: [Start, End) and its value (null: not computable, e.g. no data).</summary>
public sealed record ThresholdPoint(DateTimeOffset Start, DateTimeOffset End, double? Value);

/// <summary>An episode of a threshold rule: the value stayed beyond the threshold for the required number of buckets from
/// <see cref="From"/>; <see cref="ClearedAt"/> is the end of the first bucket back inside the clear level (null: still active).</summary>
public sealed record ThresholdEpisode(DateTimeOffset From, DateTimeOffset RaisedAt, DateTimeOffset? ClearedAt, double Peak, int Buckets);

/// <summary>
/// Thresholds with duration and hysteresis: an episode starts when the value is beyond <c>limit</c> (above for <c>&gt;</c>, below for
/// <c>&lt;</c>) for <c>duration</c> consecutive buckets and ends only when the value comes back past the <c>clear</c> level (e.g. raise
/// at PUE &gt; 1.4 for 3 days, clear at ≤ 1.35), so a value hovering at the limit raises one alert, not a storm. A bucket without a
/// value neither starts nor ends an episode (it breaks a run that has not reached the duration yet).
/// </summary>
public static class Threshold
{
    public static IReadOnlyList<ThresholdEpisode> Episodes(IReadOnlyList<ThresholdPoint> points, bool above, double limit, double clear, int duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, 1);
        if (above ? clear > limit : clear < limit) throw new ArgumentOutOfRangeException(nameof(clear), "the clear level must be on the safe side of the limit");
        bool Beyond(double v) => above ? v > limit : v < limit;
        bool Cleared(double v) => above ? v <= clear : v >= clear;
        var episodes = new List<ThresholdEpisode>();
        var run = 0;
        DateTimeOffset runFrom = default, raisedAt = default;
        var active = false;
        double peak = 0;
        var count = 0;
        foreach (var p in points)
        {
            if (p.Value is not { } v) { if (!active) run = 0; continue; }
            if (active)
            {
                if (Cleared(v))
                {
                    episodes.Add(new ThresholdEpisode(runFrom, raisedAt, p.End, peak, count));
                    active = false;
                    run = 0;
                    continue;
                }
                count++;
                peak = above ? Math.Max(peak, v) : Math.Min(peak, v);
                continue;
            }
            if (Beyond(v))
            {
                if (run == 0) { runFrom = p.Start; peak = v; count = 0; }
                run++;
                count++;
                peak = above ? Math.Max(peak, v) : Math.Min(peak, v);
                if (run >= duration) { active = true; raisedAt = p.End; }
            }
            else run = 0;
        }
        if (active) episodes.Add(new ThresholdEpisode(runFrom, raisedAt, null, peak, count));
        return episodes;
    }
}

/// <summary>The monthly target check on the first working day (ODCC-2023-02006 §五(二)6): last month's figure against its target.</summary>
public sealed record TargetCheck(string Kind, string Period, double Actual, double Target, bool Met, string Comparison);

public static class Targets
{
    /// <summary>Neutrality rate = neutralised tCO2e ÷ emitted tCO2e (reference-data §8.3: implementation definition, unweighted);
    /// not met when below the target (WC-33: (700 × 0.5366 + 50) / 600 = 0.709367 &lt; 0.75 → alert). Null when nothing was emitted.</summary>
    public static TargetCheck? Neutrality(string period, double emittedT, double neutralisedT, double targetRate)
    {
        if (!(emittedT > 0)) return null;
        var rate = neutralisedT / emittedT;
        return new TargetCheck("neutrality_rate", period, rate, targetRate, Math.Round(rate, 9) >= Math.Round(targetRate, 9), "≥");
    }

    /// <summary>A ceiling (energy plan, emission budget): not met when the actual exceeds the target.</summary>
    public static TargetCheck Ceiling(string kind, string period, double actual, double target) =>
        new(kind, period, actual, target, Math.Round(actual, 9) <= Math.Round(target, 9), "≤");
}
