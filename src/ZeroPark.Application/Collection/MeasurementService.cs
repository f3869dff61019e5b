using ZeroPark.Collection;
using ZeroPark.Domain;
using ZeroPark.Metering;
using ZeroPark.Application.Readings;

namespace ZeroPark.Application.Collection;

/// <summary>A meter's statistics per bucket (<see cref="MeasurementService.StatsAsync"/>).</summary>
public sealed record MeasurementStats(string Meter, string Unit, string Kind, bool IsAverage, string By, IReadOnlyList<MeasurementBucket> Buckets);

/// <summary>One bucket: <see cref="Value"/> is the mean (non-additive series) or the sum (energy); min/max are the extreme readings
/// (energy: the extreme single intervals).</summary>
public sealed record MeasurementBucket(DateTimeOffset Start, DateTimeOffset End, int Count, double? Value, double? Mean, double? Min, double? Max);

/// <summary>A day × hour heat map: one row per local date, 24 hourly values (averages for power and gauges, sums for energy).</summary>
public sealed record HeatMapResult(string Meter, string Unit, bool IsAverage, IReadOnlyList<DateOnly> Days, IReadOnlyList<IReadOnlyList<double?>> Values);

/// <summary>
/// Measurements that are not energy (issue 13): outdoor temperature and humidity, supply/return temperatures, set-points, IT load in
/// kW. They are stored like every reading, and rolled up as averages, never sums (<see cref="SeriesResult.IsAverage"/>); this service
/// adds min/max per bucket and week buckets (<see cref="StatsAsync"/>), the day × hour heat map of any meter (<see cref="HeatMapAsync"/>)
/// and the instantaneous power of a group of kW meters (<see cref="PowerAsync"/>: Σ of each meter's average per bucket, not a sum of readings).
/// </summary>
public sealed class MeasurementService(ZeroParkStore store)
{
    public static readonly string[] Granularities = ["hour", "day", "week", "month"];

    /// <summary>Mean, min, max and count per bucket (hour, day, week, month) of one physical meter over local dates from..to (at most
    /// 400 days), from the stored readings.</summary>
    public async Task<MeasurementStats> StatsAsync(string parkCode, string meterCode, DateOnly from, DateOnly to, string by, CancellationToken ct = default)
    {
        if (!Granularities.Contains(by)) throw new ValidationException("by", $"'{by}' is not hour, day, week or month");
        if (to < from) throw new ValidationException("to", $"'to' ({to:yyyy-MM-dd}) is before 'from' ({from:yyyy-MM-dd})");
        if (to.DayNumber - from.DayNumber > 400) throw new ValidationException("to", "statistics are limited to 400 days");
        var reg = await store.Registry.GetRegistryAsync(parkCode, ct);
        var m = reg.Meter(meterCode);
        if (m.IsVirtual) throw new ValidationException("meter", $"meter '{m.Code}' is virtual: statistics are of physical meters' readings");
        var clock = reg.Clock;
        var buckets = Measurements.Buckets(clock, from, to, by);
        var (start, end) = clock.Range(from, to);
        List<StoredReading> readings;
        await using (var c = await store.OpenConnectionAsync(ct))
            readings = await ReadingStore.ReadRangeAsync(c, null, clock, m.Id.Value, start, end);
        // The canonical value of a power or gauge reading is its delta (value × scale); of an energy reading, its interval's energy.
        var stats = Measurements.Aggregate(buckets, readings.Where(r => m.IsInstantaneous || (r.Flags & ReadingFlags.First) == 0).Select(r => (r.Ts, r.Delta, r.IsExcluded)));
        return new MeasurementStats(m.Code, m.CanonicalUnit, Codes.Of(m.Kind), m.IsInstantaneous, by, stats.Select(s => new MeasurementBucket(
            clock.ToLocalOffset(s.Start), clock.ToLocalOffset(s.End), s.Count, m.IsInstantaneous ? s.Mean : s.Sum, s.Mean, s.Min, s.Max)).ToList());
    }

    /// <summary>The day × hour heat map of a meter (physical or virtual) over local dates from..to (at most 92 days), from the hourly
    /// rollups: hourly averages for power and gauge meters, hourly sums for energy.</summary>
    public async Task<HeatMapResult> HeatMapAsync(string parkCode, string meterCode, DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        if (to < from) throw new ValidationException("to", $"'to' ({to:yyyy-MM-dd}) is before 'from' ({from:yyyy-MM-dd})");
        if (to.DayNumber - from.DayNumber > 92) throw new ValidationException("to", "a heat map covers at most 92 days");
        var reg = await store.Registry.GetRegistryAsync(parkCode, ct);
        var s = await store.Queries.SeriesAsync(parkCode, SeriesTarget.Meter(meterCode), from, to, Granularity.Hour, ct);
        var matrix = Measurements.HeatMap(reg.Clock, from, to, s.Buckets.Select(b => (b.Start.ToUnixTimeSeconds(), b.Value)));
        var days = Enumerable.Range(0, to.DayNumber - from.DayNumber + 1).Select(from.AddDays).ToList();
        return new HeatMapResult(s.Target, s.Unit, s.IsAverage, days, matrix.Select(r => (IReadOnlyList<double?>)r).ToList());
    }

    /// <summary>Instantaneous electric power of a group: the power meters (kind power, electricity) under a space (default the park),
    /// each averaged per bucket (hour, day, month), the averages summed across meters: the group's mean kW. Buckets where a meter has no
    /// reading leave it out (the bucket's count says how many meters answered).</summary>
    public async Task<MeasurementStats> PowerAsync(string parkCode, string? spaceCode, DateOnly from, DateOnly to, string by, CancellationToken ct = default)
    {
        if (by is not ("hour" or "day" or "month")) throw new ValidationException("by", $"'{by}' is not hour, day or month");
        var reg = await store.Registry.GetRegistryAsync(parkCode, ct);
        Space? space = null;
        if (!string.IsNullOrEmpty(spaceCode) && !reg.SpacesByCode.TryGetValue(spaceCode, out space))
            throw new NotFoundException($"space '{spaceCode}' not found in park '{reg.Park.Code}'");
        var meters = reg.MetersById.Values.Where(m => m.Kind == MeterKind.Power && m.Carrier == Carrier.Electricity && !m.IsVirtual
            && (space is null || reg.IsUnder(m.SpaceId, space.Id))).OrderBy(m => m.Code, StringComparer.Ordinal).ToList();
        var g = by switch { "hour" => Granularity.Hour, "day" => Granularity.Day, _ => Granularity.Month };
        var buckets = reg.Clock.Buckets(from, to, g);
        var sum = new double?[buckets.Count];
        var count = new int[buckets.Count];
        foreach (var m in meters)
        {
            var s = await store.Queries.SeriesAsync(parkCode, SeriesTarget.Meter(m.Code), from, to, g, ct);
            for (var i = 0; i < s.Buckets.Count; i++)
                if (s.Buckets[i].Value is { } v) { sum[i] = (sum[i] ?? 0) + v; count[i]++; }
        }
        return new MeasurementStats(space?.Code ?? reg.Park.Code, "kW", "power", true, by, buckets.Select((b, i) => new MeasurementBucket(
            reg.Clock.ToLocalOffset(b.Start), reg.Clock.ToLocalOffset(b.End), count[i], sum[i], sum[i], null, null)).ToList());
    }
}
