using System.Collections.Concurrent;

namespace ZeroPark.Domain;

/// <summary>Rollup granularities. Hour, day and month buckets are the park's local hours, dates and months.</summary>
public enum Granularity
{
    QuarterHour,
    Hour,
    Day,
    Month,
    Year,
}

/// <summary>
/// Converts between instants (Unix seconds, UTC) and the park's local calendar. Day, month and year
/// boundaries are local midnights in the park's IANA time zone, never UTC.
/// Bucket keys: hour = Unix seconds of the local hour's start; day = <see cref="DateOnly.DayNumber"/> of the
/// local date; month = year × 12 + (month − 1).
/// </summary>
public sealed class ParkClock
{
    private static readonly ConcurrentDictionary<string, ParkClock> Cache = new(StringComparer.Ordinal);
    private readonly TimeZoneInfo _zone;
    // Offset cache per UTC hour: offsets change at most at whole UTC hours... not everywhere (e.g. +5:45),
    // but a zone's offset only changes at its transitions, which are whole minutes; caching per UTC hour is
    // exact except in the hour containing a transition, which we detect and bypass.
    private readonly ConcurrentDictionary<long, (int Offset, bool Transition)> _hourOffsets = new();

    private ParkClock(TimeZoneInfo zone) => _zone = zone;

    public TimeZoneInfo Zone => _zone;

    public static ParkClock For(string ianaId)
    {
        return Cache.GetOrAdd(ianaId, id =>
        {
            try
            {
                return new ParkClock(TimeZoneInfo.FindSystemTimeZoneById(id));
            }
            catch (TimeZoneNotFoundException)
            {
                throw new ArgumentException($"unknown time zone '{id}' (expected an IANA id such as Asia/Shanghai)");
            }
        });
    }

    public static bool IsValidZone(string ianaId)
    {
        try { For(ianaId); return true; } catch (ArgumentException) { return false; }
    }

    /// <summary>UTC offset in seconds at the instant.</summary>
    public int OffsetSeconds(long unixSeconds)
    {
        var hour = Math.DivRem(unixSeconds, 3600, out var rem);
        if (rem < 0) hour--;
        var cached = _hourOffsets.GetOrAdd(hour, h =>
        {
            var a = (int)_zone.GetUtcOffset(DateTimeOffset.FromUnixTimeSeconds(h * 3600)).TotalSeconds;
            var b = (int)_zone.GetUtcOffset(DateTimeOffset.FromUnixTimeSeconds(h * 3600 + 3599)).TotalSeconds;
            return (a, a != b);
        });
        return cached.Transition
            ? (int)_zone.GetUtcOffset(DateTimeOffset.FromUnixTimeSeconds(unixSeconds)).TotalSeconds
            : cached.Offset;
    }

    /// <summary>Local wall-clock time of the instant.</summary>
    public DateTime ToLocal(long unixSeconds) =>
        DateTime.SpecifyKind(DateTime.UnixEpoch.AddSeconds(unixSeconds + OffsetSeconds(unixSeconds)), DateTimeKind.Unspecified);

    public DateTimeOffset ToLocalOffset(long unixSeconds) =>
        new(ToLocal(unixSeconds), TimeSpan.FromSeconds(OffsetSeconds(unixSeconds)));

    /// <summary>The instant of a local wall-clock time; in a DST gap the later offset is used, in an overlap
    /// the earlier instant.</summary>
    public long ToInstant(DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (_zone.IsInvalidTime(local)) local = local.AddHours(1);
        var offset = _zone.IsAmbiguousTime(local) ? _zone.GetAmbiguousTimeOffsets(local).Max() : _zone.GetUtcOffset(local);
        return (long)(local - DateTime.UnixEpoch - offset).TotalSeconds;
    }

    /// <summary>Instant of local midnight starting the date.</summary>
    public long StartOfDay(DateOnly date) => ToInstant(date.ToDateTime(TimeOnly.MinValue));

    /// <summary>Local date of the instant.</summary>
    public DateOnly LocalDate(long unixSeconds) => DateOnly.FromDateTime(ToLocal(unixSeconds));

    /// <summary>Key of the local hour containing the instant: the Unix seconds at which that local hour starts.</summary>
    public long HourKey(long unixSeconds)
    {
        var off = OffsetSeconds(unixSeconds);
        var local = unixSeconds + off;
        var localHourStart = local - Mod(local, 3600);
        return localHourStart - off;
    }

    public int DayKey(long unixSeconds) => LocalDate(unixSeconds).DayNumber;

    private static readonly int EpochDayNumber = new DateOnly(1970, 1, 1).DayNumber;
    private readonly ConcurrentDictionary<int, int> _monthOfDay = new();

    /// <summary>Hour, day and month keys of the instant in one pass (the hot path of rollup maintenance).</summary>
    public (long Hour, int Day, int Month) BucketKeys(long unixSeconds)
    {
        var off = OffsetSeconds(unixSeconds);
        var local = unixSeconds + off;
        var hour = local - Mod(local, 3600) - off;
        var day = (int)((local - Mod(local, 86400)) / 86400) + EpochDayNumber;
        var month = _monthOfDay.GetOrAdd(day, d => MonthKey(DateOnly.FromDayNumber(d)));
        return (hour, day, month);
    }

    public static int MonthKey(DateOnly d) => d.Year * 12 + d.Month - 1;
    public int MonthKey(long unixSeconds) => MonthKey(LocalDate(unixSeconds));

    public static DateOnly MonthKeyToDate(int key) => new(key / 12, key % 12 + 1, 1);

    /// <summary>
    /// The half-open instant range [start, end) covering local dates <paramref name="from"/> through
    /// <paramref name="toInclusive"/> (both inclusive).
    /// </summary>
    public (long Start, long End) Range(DateOnly from, DateOnly toInclusive)
    {
        if (toInclusive < from) throw new ArgumentException($"range end {toInclusive:yyyy-MM-dd} is before its start {from:yyyy-MM-dd}");
        return (StartOfDay(from), StartOfDay(toInclusive.AddDays(1)));
    }

    /// <summary>Buckets [start, end) of the given granularity that cover the local dates from..to (inclusive).</summary>
    public IReadOnlyList<(long Start, long End, long Key)> Buckets(DateOnly from, DateOnly toInclusive, Granularity g)
    {
        var (start, end) = Range(from, toInclusive);
        var list = new List<(long, long, long)>();
        switch (g)
        {
            case Granularity.QuarterHour:
            case Granularity.Hour:
                {
                    var step = g == Granularity.Hour ? 3600 : 900;
                    for (var t = start; t < end;)
                    {
                        var key = g == Granularity.Hour ? HourKey(t) : t;
                        var next = key + step;
                        list.Add((t, Math.Min(next, end), key));
                        t = next;
                    }
                    break;
                }
            case Granularity.Day:
                for (var d = from; d <= toInclusive; d = d.AddDays(1))
                    list.Add((StartOfDay(d), StartOfDay(d.AddDays(1)), d.DayNumber));
                break;
            case Granularity.Month:
                {
                    var m = new DateOnly(from.Year, from.Month, 1);
                    while (m <= toInclusive)
                    {
                        var next = m.AddMonths(1);
                        var s = m < from ? from : m;
                        var e = next.AddDays(-1) > toInclusive ? toInclusive : next.AddDays(-1);
                        list.Add((StartOfDay(s), StartOfDay(e.AddDays(1)), MonthKey(m)));
                        m = next;
                    }
                    break;
                }
            case Granularity.Year:
                {
                    for (var y = from.Year; y <= toInclusive.Year; y++)
                    {
                        var s = new DateOnly(y, 1, 1);
                        var e = new DateOnly(y, 12, 31);
                        if (s < from) s = from;
                        if (e > toInclusive) e = toInclusive;
                        list.Add((StartOfDay(s), StartOfDay(e.AddDays(1)), y));
                    }
                    break;
                }
        }
        return list;
    }

    private static long Mod(long a, long m) => ((a % m) + m) % m;
}
