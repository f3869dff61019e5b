using ZeroPark.Domain;

namespace ZeroPark.Collection;

/// <summary>One bucket [Start, End) of a measurement series: the readings counted, and their mean, minimum, maximum and sum
/// (canonical unit). For a non-additive series (power, gauge) the bucket's value is <see cref="Mean"/>; for an energy series it is
/// <see cref="Sum"/> and min/max are the smallest and largest single interval.</summary>
public sealed record StatBucket(long Start, long End, int Count, double? Mean, double? Min, double? Max, double? Sum);

/// <summary>Pure statistics of non-additive measurements (issue 13): per-bucket mean/min/max, week buckets, the day × hour heat map.</summary>
public static class Measurements
{
    /// <summary>Aggregates readings (instant, canonical value, excluded flag) into the buckets. A reading belongs to the bucket
    /// that contains ts − 1 s (the rule of every series). Excluded readings are not counted.</summary>
    public static List<StatBucket> Aggregate(IReadOnlyList<(long Start, long End)> buckets, IEnumerable<(long Ts, double Value, bool Excluded)> readings)
    {
        var n = new int[buckets.Count];
        var sum = new double[buckets.Count];
        var min = new double[buckets.Count];
        var max = new double[buckets.Count];
        Array.Fill(min, double.PositiveInfinity);
        Array.Fill(max, double.NegativeInfinity);
        var starts = buckets.Select(b => b.Start).ToArray();
        foreach (var (ts, v, excluded) in readings)
        {
            if (excluded) continue;
            var t = ts - 1;
            var i = Array.BinarySearch(starts, t);
            if (i < 0) i = ~i - 1;
            if (i < 0 || t >= buckets[i].End) continue;
            n[i]++;
            sum[i] += v;
            if (v < min[i]) min[i] = v;
            if (v > max[i]) max[i] = v;
        }
        var list = new List<StatBucket>(buckets.Count);
        for (var i = 0; i < buckets.Count; i++)
            list.Add(n[i] == 0
                ? new StatBucket(buckets[i].Start, buckets[i].End, 0, null, null, null, null)
                : new StatBucket(buckets[i].Start, buckets[i].End, n[i], sum[i] / n[i], min[i], max[i], sum[i]));
        return list;
    }

    /// <summary>Local calendar weeks (Monday 00:00 to the next Monday 00:00, ISO 8601) covering from..to (inclusive), the first and
    /// last cut by the range.</summary>
    public static List<(long Start, long End)> WeekBuckets(ParkClock clock, DateOnly from, DateOnly to)
    {
        var list = new List<(long, long)>();
        var monday = from.AddDays(-(((int)from.DayOfWeek + 6) % 7));
        for (var w = monday; w <= to; w = w.AddDays(7))
        {
            var s = w < from ? from : w;
            var e = w.AddDays(7) > to.AddDays(1) ? to.AddDays(1) : w.AddDays(7);
            list.Add((clock.StartOfDay(s), clock.StartOfDay(e)));
        }
        return list;
    }

    /// <summary>Buckets of a granularity name: hour, day, week, month (local calendar, from..to inclusive).</summary>
    public static List<(long Start, long End)> Buckets(ParkClock clock, DateOnly from, DateOnly to, string by) => by switch
    {
        "week" => WeekBuckets(clock, from, to),
        "hour" => clock.Buckets(from, to, Granularity.Hour).Select(b => (b.Start, b.End)).ToList(),
        "day" => clock.Buckets(from, to, Granularity.Day).Select(b => (b.Start, b.End)).ToList(),
        "month" => clock.Buckets(from, to, Granularity.Month).Select(b => (b.Start, b.End)).ToList(),
        _ => throw new ArgumentException($"by: '{by}' is not hour, day, week or month"),
    };

    /// <summary>Hour values (local hour start → value) as a day × hour matrix: one row per local date from..to, 24 columns for the
    /// local hours 0–23 (a repeated hour at a DST change keeps its first value; a skipped hour stays empty).</summary>
    public static double?[][] HeatMap(ParkClock clock, DateOnly from, DateOnly to, IEnumerable<(long HourStart, double? Value)> hours)
    {
        var days = to.DayNumber - from.DayNumber + 1;
        var m = new double?[days][];
        for (var d = 0; d < days; d++) m[d] = new double?[24];
        foreach (var (start, v) in hours)
        {
            var local = clock.ToLocal(start);
            var d = DateOnly.FromDateTime(local).DayNumber - from.DayNumber;
            if (d < 0 || d >= days || v is null) continue;
            m[d][local.Hour] ??= v;
        }
        return m;
    }
}
