using System.Data.Common;
using System.Globalization;
using Dapper;
using ZeroPark.Domain;
using ZeroPark.Metering;

namespace ZeroPark.Application.Readings;

/// <summary>The read side of readings (module <c>Readings</c>): series of meters and nodes from rollups or raw readings,
/// the series of many meters at once, top meters, latest readings, data quality and the park's newest reading.</summary>
public sealed class ReadingQueries(ZeroParkStore db)
{
    /// <summary>A resolved series: rollup series ids with coefficients, and the expected reading rate per second.</summary>
    private sealed record Plan(string Description, string Unit, List<(long Series, double Coef)> Terms, double ExpectedPerSecond,
        bool Average, List<(long Meter, double Coef)> Physical);

    private static Plan PlanFor(ParkRegistry reg, SeriesTarget target)
    {
        switch (target)
        {
            case SeriesTarget.MeterTarget mt:
                {
                    var m = reg.Meter(mt.Code);
                    var phys = ExpandMeter(reg, m, 1.0, []);
                    var terms = phys.Select(p => (p.Meter, p.Coef)).ToList();
                    return new Plan(m.Code, m.CanonicalUnit, terms, phys.Select(p => p.Meter).Distinct().Sum(id => 1.0 / reg.MetersById[id].Interval.TotalSeconds),
                        m.IsInstantaneous, phys);
                }
            case SeriesTarget.NodeTarget n:
                {
                    Space? space = null;
                    if (n.SpaceCode is { Length: > 0 } sc && !reg.SpacesByCode.TryGetValue(sc, out space))
                        throw new NotFoundException($"space '{sc}' not found in park '{reg.Park.Code}'");
                    if (n.SystemCode is { Length: > 0 } sys && sys != AggregateRules.AllSystems && !SystemTaxonomy.IsKnown(sys))
                        throw new ValidationException("system", $"unknown system '{sys}'");
                    if (n.SystemCode is { Length: > 0 } && n.Role is not null)
                        throw new ValidationException("role", "ask for a system or a role, not both");
                    var system = string.IsNullOrEmpty(n.SystemCode) && n.Role is null ? AggregateRules.AllSystems : n.SystemCode;
                    var members = reg.MetersById.Values.Where(m => m.Carrier == n.Carrier && !m.IsInstantaneous
                        && (space is null || reg.IsUnder(m.SpaceId, space.Id))
                        && (n.Role is { } r ? m.Role == r : m.IsSummable && (system == AggregateRules.AllSystems || (m.SystemCode is { } ms && SystemTaxonomy.IsUnder(ms, system!)))))
                        .ToList();
                    var desc = $"{space?.Code ?? reg.Park.Code}/{(n.Role is { } rr ? "role:" + Codes.Of(rr) : "system:" + system)}/{Codes.Of(n.Carrier)}";
                    var unit = MeterUnits.CanonicalUnit(n.Carrier);
                    var physical = new List<(long, double)>();
                    // A virtual meter adds to a node only when built from meters the node leaves out: for a system node, meters
                    // that are not summed (UPS loss = in − out over check meters; IT = Σ PDUs would count the PDUs twice); for a
                    // role node, meters without that role (IT load = Σ PDU sub-meters).
                    var virtuals = members.Where(m => m.IsVirtual && ExpandMeter(reg, m, 1.0, []).All(p => n.Role is { } vr
                        ? reg.MetersById[p.Meter].Role != vr
                        : !reg.MetersById[p.Meter].IsSummable)).ToList();
                    foreach (var v in virtuals) physical.AddRange(ExpandMeter(reg, v, 1.0, []));
                    var direct = members.Where(m => !m.IsVirtual).ToList();
                    var spec = new AggregateSpec(space is { Level: SpaceLevel.Building } ? space.Id : null, n.Role is null ? system : null, n.Role, n.Carrier);
                    var terms = new List<(long, double)>();
                    if ((space is null || space.Level == SpaceLevel.Building) && reg.AggregateIds.TryGetValue(spec.Key, out var aggId))
                    {
                        terms.Add((-aggId, 1.0));
                    }
                    else
                    {
                        terms.AddRange(direct.Select(m => (m.Id.Value, 1.0)));
                    }
                    foreach (var p in physical) terms.Add(p);
                    physical.AddRange(direct.Select(m => (m.Id.Value, 1.0)));
                    // Readings expected per second: each physical meter once, however many virtual meters use it.
                    var expected = physical.Select(p => p.Item1).Distinct().Sum(id => 1.0 / reg.MetersById[id].Interval.TotalSeconds);
                    return new Plan(desc, unit, terms, expected, false, physical);
                }
            default:
                throw new ArgumentOutOfRangeException(nameof(target));
        }
    }

    /// <summary>Expands a (virtual) meter into physical meters with coefficients; detects formula cycles.</summary>
    private static List<(long Meter, double Coef)> ExpandMeter(ParkRegistry reg, Meter m, double coef, HashSet<string> path)
    {
        if (!m.IsVirtual) return [(m.Id.Value, coef)];
        if (!path.Add(m.Code)) throw new ValidationException("formula", $"virtual meter '{m.Code}' refers to itself through its formula");
        var list = new List<(long, double)>();
        foreach (var (code, c) in LinearFormula.Parse(m.Formula!).Terms)
        {
            var inner = reg.MetersByCode.TryGetValue(code, out var x) ? x : throw new ValidationException("formula", $"virtual meter '{m.Code}' refers to unknown meter '{code}'");
            list.AddRange(ExpandMeter(reg, inner, coef * c, path));
        }
        path.Remove(m.Code);
        return list;
    }

    /// <summary>
    /// The series of a meter or node over local dates <paramref name="from"/>..<paramref name="to"/> (both inclusive).
    /// Hour, day and month buckets come from rollups (a month bucket cut by the range is summed from days); quarter-hour
    /// buckets come from raw readings and are limited to 31 days.
    /// </summary>
    public async Task<SeriesResult> SeriesAsync(string parkCode, SeriesTarget target, DateOnly from, DateOnly to, Granularity g, CancellationToken ct = default)
    {
        if (to < from) throw new ValidationException("to", $"'to' ({to:yyyy-MM-dd}) is before 'from' ({from:yyyy-MM-dd})");
        if (g == Granularity.QuarterHour && to.DayNumber - from.DayNumber > 31) throw new ValidationException("by", "15-minute series are limited to 31 days; use hour or day");
        if (to.DayNumber - from.DayNumber > 366 * 20) throw new ValidationException("to", "range is longer than 20 years");
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        var plan = PlanFor(reg, target);
        var clock = reg.Clock;
        var buckets = clock.Buckets(from, to, g);
        var values = new double[buckets.Count];
        var received = new int[buckets.Count];
        var flagged = new int[buckets.Count];
        var estimated = new int[buckets.Count];
        var has = new bool[buckets.Count];
        await using var c = await db.OpenConnectionAsync(ct);
        if (g == Granularity.QuarterHour)
        {
            var (start, end) = clock.Range(from, to);
            var index = new Dictionary<long, int>();
            for (var i = 0; i < buckets.Count; i++) index[buckets[i].Start] = i;
            foreach (var (meter, coef) in plan.Physical)
            {
                foreach (var (ts, _, delta, f, _) in await ReadingStore.ReadRangeAsync(c, null, clock, meter, start, end))
                {
                    var key = (ts - 1) - Mod(ts - 1, 900);
                    if (!index.TryGetValue(key, out var i)) continue;
                    values[i] += coef * ((f & ReadingFlags.Excluded) != 0 ? 0 : delta);
                    received[i]++;
                    if ((f & ReadingFlags.Excluded) != 0) flagged[i]++;
                    if ((f & ReadingFlags.Estimated) != 0) estimated[i]++;
                    has[i] = true;
                }
            }
        }
        else
        {
            var (hourKeys, dayKeys, monthKeys) = RollupKeys(clock, buckets, g);
            if (hourKeys.Count > 0 && plan.Terms.Count > 0)
            {
                var coefs = new Dictionary<long, double>();
                foreach (var (s, coef) in plan.Terms) coefs[s] = coefs.GetValueOrDefault(s) + coef;
                await ReadHourRollupsAsync(c, clock, hourKeys, coefs.Keys, (s, i, slot) =>
                {
                    values[i] += coefs[s] * slot.Sum;
                    received[i] += slot.N;
                    flagged[i] += slot.NFlag;
                    estimated[i] += slot.NEst;
                    has[i] = true;
                }, ct);
            }
            await Accumulate(c, "rollup_day", dayKeys, plan, values, received, flagged, estimated, has, ct);
            await Accumulate(c, "rollup_month", monthKeys, plan, values, received, flagged, estimated, has, ct);
        }
        var list = new List<SeriesBucket>(buckets.Count);
        for (var i = 0; i < buckets.Count; i++)
        {
            var b = buckets[i];
            var expected = (int)Math.Round((b.End - b.Start) * plan.ExpectedPerSecond);
            double? v = has[i] ? (plan.Average ? (received[i] - flagged[i] > 0 ? values[i] / (received[i] - flagged[i]) : null) : values[i]) : null;
            list.Add(new SeriesBucket(clock.ToLocalOffset(b.Start), clock.ToLocalOffset(b.End), v, new BucketQuality(received[i], expected, flagged[i], estimated[i])));
        }
        return new SeriesResult(plan.Description, plan.Unit, g, list) { IsAverage = plan.Average };
    }

    /// <summary>Which rollup table serves each bucket: hour → hour; day → day; month/year → month rows for whole months, day rows
    /// for months cut by the bucket.</summary>
    private static (List<(long Key, int Index)> Hours, List<(long Key, int Index)> Days, List<(long Key, int Index)> Months) RollupKeys(
        ParkClock clock, IReadOnlyList<(long Start, long End, long Key)> buckets, Granularity g)
    {
        var hourKeys = new List<(long Key, int Index)>();
        var dayKeys = new List<(long Key, int Index)>();
        var monthKeys = new List<(long Key, int Index)>();
        for (var i = 0; i < buckets.Count; i++)
        {
            var b = buckets[i];
            switch (g)
            {
                case Granularity.Hour: hourKeys.Add((b.Key, i)); break;
                case Granularity.Day: dayKeys.Add((b.Key, i)); break;
                default:
                    {
                        var first = clock.LocalDate(b.Start);
                        var last = clock.LocalDate(b.End - 1);
                        for (var m = new DateOnly(first.Year, first.Month, 1); m <= last; m = m.AddMonths(1))
                        {
                            var ms = m < first ? first : m;
                            var me = m.AddMonths(1).AddDays(-1) > last ? last : m.AddMonths(1).AddDays(-1);
                            if (ms == m && me == m.AddMonths(1).AddDays(-1)) monthKeys.Add((ParkClock.MonthKey(m), i));
                            else for (var d = ms; d <= me; d = d.AddDays(1)) dayKeys.Add((d.DayNumber, i));
                        }
                        break;
                    }
            }
        }
        return (hourKeys, dayKeys, monthKeys);
    }

    private static async Task Accumulate(DbConnection c, string table, List<(long Key, int Index)> keys, Plan plan,
        double[] values, int[] received, int[] flagged, int[] estimated, bool[] has, CancellationToken ct)
    {
        if (keys.Count == 0 || plan.Terms.Count == 0) return;
        var index = new Dictionary<long, int>(keys.Count);
        foreach (var (k, i) in keys) index[k] = i;
        var coefs = new Dictionary<long, double>();
        foreach (var (s, coef) in plan.Terms) coefs[s] = coefs.GetValueOrDefault(s) + coef;
        var lo = keys.Min(k => k.Key);
        var hi = keys.Max(k => k.Key);
        var ids = string.Join(",", coefs.Keys.Select(k => k.ToString(CultureInfo.InvariantCulture)));
        var sql = $"SELECT series_id, bucket, sum, n, nflag, nest FROM {table} WHERE series_id IN ({ids}) AND bucket >= @lo AND bucket <= @hi";
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        var p1 = cmd.CreateParameter(); p1.ParameterName = "lo"; p1.Value = lo; cmd.Parameters.Add(p1);
        var p2 = cmd.CreateParameter(); p2.ParameterName = "hi"; p2.Value = hi; cmd.Parameters.Add(p2);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var bucket = r.GetInt64(1);
            if (!index.TryGetValue(bucket, out var i)) continue;
            var coef = coefs[r.GetInt64(0)];
            values[i] += coef * r.GetDouble(2);
            received[i] += (int)r.GetInt64(3);
            flagged[i] += (int)r.GetInt64(4);
            estimated[i] += (int)r.GetInt64(5);
            has[i] = true;
        }
    }

    /// <summary>Reads the hourly rollups of <paramref name="series"/> for the hour buckets <paramref name="keys"/> (local hour
    /// starts) from their series-day blocks (<c>rollup_hours</c>, one query), calling <paramref name="add"/> with the series,
    /// the bucket index and the hour's rollup for every stored hour among the keys.</summary>
    internal static async Task ReadHourRollupsAsync(DbConnection c, ParkClock clock, List<(long Key, int Index)> keys, IEnumerable<long> series,
        Action<long, int, HourSlot> add, CancellationToken ct)
    {
        var ids = string.Join(",", series.Select(k => k.ToString(CultureInfo.InvariantCulture)));
        if (keys.Count == 0 || ids.Length == 0) return;
        var index = new Dictionary<long, int>(keys.Count);
        foreach (var (k, i) in keys) index[k] = i;
        await using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT series_id, data FROM rollup_hours WHERE series_id IN ({ids}) AND day >= @lo AND day <= @hi";
        var p1 = cmd.CreateParameter(); p1.ParameterName = "lo"; p1.Value = clock.BucketKeys(keys.Min(k => k.Key)).Day; cmd.Parameters.Add(p1);
        var p2 = cmd.CreateParameter(); p2.ParameterName = "hi"; p2.Value = clock.BucketKeys(keys.Max(k => k.Key)).Day; cmd.Parameters.Add(p2);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var slots = new List<HourSlot>(25);
        while (await r.ReadAsync(ct))
        {
            var s = r.GetInt64(0);
            slots.Clear();
            HourBlock.Decode((byte[])r.GetValue(1), slots);
            foreach (var slot in slots)
                if (index.TryGetValue(slot.Hour, out var i)) add(s, i, slot);
        }
    }

    private static long Mod(long a, long m) => ((a % m) + m) % m;

    /// <summary>Latest reading of every physical meter of the park (from the per-meter state, no reading scan).</summary>
    public async Task<IReadOnlyList<LatestReading>> LatestReadingsAsync(string parkCode, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(long meter_id, long last_ts, double last_value)>(
            "SELECT s.meter_id, s.last_ts, s.last_value FROM meter_state s JOIN meters m ON m.id = s.meter_id WHERE m.park_id = @p", new { p = reg.Park.Id.Value });
        return rows.Select(r => new LatestReading(reg.MetersById[r.meter_id].Code, reg.Clock.ToLocalOffset(r.last_ts), r.last_value)).ToList();
    }

    /// <summary>The <paramref name="n"/> physical meters of a carrier with the largest totals over local dates from..to (inclusive).
    /// Only summable meters are ranked (master/check meters would dominate every ranking).</summary>
    public async Task<IReadOnlyList<MeterTotal>> TopMetersAsync(string parkCode, DateOnly from, DateOnly to, int n = 10, Carrier carrier = Carrier.Electricity,
        string? system = null, CancellationToken ct = default)
    {
        if (to < from) throw new ValidationException("to", "'to' is before 'from'");
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        var ids = reg.MetersById.Values.Where(m => !m.IsVirtual && m.Carrier == carrier && !m.IsInstantaneous && m.IsSummable
                && (system is null || (m.SystemCode is { } s && SystemTaxonomy.IsUnder(s, system))))
            .Select(m => m.Id.Value).ToList();
        if (ids.Count == 0) return [];
        var wholeMonths = from.Day == 1 && to == new DateOnly(to.Year, to.Month, 1).AddMonths(1).AddDays(-1);
        var (table, lo, hi) = wholeMonths
            ? ("rollup_month", (long)ParkClock.MonthKey(from), (long)ParkClock.MonthKey(to))
            : ("rollup_day", (long)from.DayNumber, (long)to.DayNumber);
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(long series_id, double total)>(
            $"SELECT series_id, SUM(sum) AS total FROM {table} WHERE series_id IN ({string.Join(",", ids)}) AND bucket >= @lo AND bucket <= @hi GROUP BY series_id ORDER BY total DESC LIMIT @n",
            new { lo, hi, n });
        return rows.Select(r => { var m = reg.MetersById[r.series_id]; return new MeterTotal(m.Code, m.Name, r.total, m.CanonicalUnit); }).ToList();
    }

    /// <summary>
    /// Data-quality report over local dates from..to (inclusive): expected vs received readings, completeness %, flagged and
    /// estimated readings, last reading. For a single meter, also the exact gaps and the flagged readings.
    /// </summary>
    public async Task<IReadOnlyList<MeterQuality>> DataQualityAsync(string parkCode, string? meterCode, DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        if (to < from) throw new ValidationException("to", "'to' is before 'from'");
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        var meters = meterCode is null
            ? reg.MetersById.Values.Where(m => !m.IsVirtual).OrderBy(m => m.Code, StringComparer.Ordinal).ToList()
            : [reg.Meter(meterCode)];
        if (meters.Any(m => m.IsVirtual)) throw new ValidationException("meter", $"meter '{meterCode}' is virtual; ask for its components");
        var clock = reg.Clock;
        var (start, end) = clock.Range(from, to);
        await using var c = await db.OpenConnectionAsync(ct);
        var counts = new Dictionary<long, (long n, long nflag, long nest)>();
        var idList = string.Join(",", meters.Select(m => m.Id.Value));
        // Whole months from the month rollup, the cut months' days from the day rollup.
        var days = new List<long>();
        var months = new List<long>();
        for (var m = new DateOnly(from.Year, from.Month, 1); m <= to; m = m.AddMonths(1))
        {
            var me = m.AddMonths(1).AddDays(-1);
            if (m >= from && me <= to) months.Add(ParkClock.MonthKey(m));
            else for (var d = m < from ? from : m; d <= (me > to ? to : me); d = d.AddDays(1)) days.Add(d.DayNumber);
        }
        foreach (var (table, keys) in new[] { ("rollup_month", months), ("rollup_day", days) })
        {
            if (keys.Count == 0) continue;
            var rows = await c.QueryAsync<(long series_id, long n, long nflag, long nest)>(
                $"SELECT series_id, SUM(n), SUM(nflag), SUM(nest) FROM {table} WHERE series_id IN ({idList}) AND bucket >= @lo AND bucket <= @hi GROUP BY series_id",
                new { lo = keys.Min(), hi = keys.Max() });
            foreach (var r in rows)
            {
                var old = counts.GetValueOrDefault(r.series_id);
                counts[r.series_id] = (old.n + r.n, old.nflag + r.nflag, old.nest + r.nest);
            }
        }
        var states = (await c.QueryAsync<(long meter_id, long last_ts, double last_value)>(
            $"SELECT meter_id, last_ts, last_value FROM meter_state WHERE meter_id IN ({idList})")).ToDictionary(s => s.meter_id);
        var list = new List<MeterQuality>();
        foreach (var m in meters)
        {
            var (n, nflag, nest) = counts.GetValueOrDefault(m.Id.Value);
            // Rounded to the nearest whole interval, as series buckets are: a range with a 23-hour DST day holds as many
            // daily readings as days (e.g. 71 h of 1,440-min intervals: 2.96 → 3, where rounding down said 2).
            var expected = (int)Math.Round((end - start) / m.Interval.TotalSeconds);
            IReadOnlyList<Gap>? gaps = null;
            IReadOnlyList<FlaggedReading>? flaggedReadings = null;
            if (meterCode is not null)
            {
                var readings = await ReadingStore.ReadRangeAsync(c, null, clock, m.Id.Value, start, end);
                gaps = Gaps(m, clock, start, end, readings);
                const ReadingFlags notable = ReadingFlags.Excluded | ReadingFlags.Rollover | ReadingFlags.Replacement | ReadingFlags.Estimated | ReadingFlags.Reset;
                flaggedReadings = readings.Where(r => (r.Flags & notable) != 0).Take(1000)
                    .Select(r => new FlaggedReading(clock.ToLocalOffset(r.Ts), r.Value, FlagNames(r.Flags))).ToList();
            }
            var st = states.TryGetValue(m.Id.Value, out var s) ? s : default;
            list.Add(new MeterQuality(m.Code, m.Name, expected, (int)n, expected == 0 ? 100 : Math.Round(Math.Min(1.0, (double)n / expected) * 100, 2), (int)nflag, (int)nest,
                gaps, flaggedReadings, st.meter_id == 0 ? null : clock.ToLocalOffset(st.last_ts), st.meter_id == 0 ? null : st.last_value));
        }
        return list;
    }

    public static string FlagNames(ReadingFlags f) =>
        f == ReadingFlags.None ? "" : string.Join(",", Enum.GetValues<ReadingFlags>()
            .Where(x => x != ReadingFlags.None && x != ReadingFlags.Excluded && x != ReadingFlags.NotABase && x != ReadingFlags.Suspect && (f & x) == x).Select(FlagName));

    /// <summary>A flag's name in reports and the API: <c>suspected_reset</c>, <c>reset_confirmed</c>, <c>bad_reading</c>, <c>negative</c>…</summary>
    public static string FlagName(ReadingFlags x) => x switch
    {
        ReadingFlags.SuspectedReset => "suspected_reset",
        ReadingFlags.ResetConfirmed => "reset_confirmed",
        ReadingFlags.BadReading => "bad_reading",
        ReadingFlags.SuspectedBadReading => "suspected_bad_reading",
        _ => x.ToString().ToLowerInvariant(),
    };

    /// <summary>Intervals [start, end) in (start, end] where readings are missing: between consecutive readings more than 1.5
    /// nominal intervals apart, and at the range edges.</summary>
    private static IReadOnlyList<Gap> Gaps(Meter m, ParkClock clock, long start, long end, List<StoredReading> readings)
    {
        var step = (long)m.Interval.TotalSeconds;
        var ts = readings.Select(r => r.Ts);
        var gaps = new List<Gap>();
        var prev = start; // the first reading of the range closes the interval that starts at the range start
        foreach (var t in ts)
        {
            if (t - prev > step * 3 / 2) gaps.Add(new Gap(clock.ToLocalOffset(prev), clock.ToLocalOffset(t - step)));
            prev = t;
        }
        if (end - prev >= step) gaps.Add(new Gap(clock.ToLocalOffset(prev), clock.ToLocalOffset(end)));
        return gaps;
    }

    /// <summary>
    /// The series of many meters at once (physical or virtual; energy and volume meters, not power meters) over local dates
    /// from..to (inclusive) by hour, day, month or year: the same buckets and values as <see cref="SeriesAsync"/> per meter, read
    /// with one query per rollup table for all of them (device rankings, warnings, per-rack energy, balance checks).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, SeriesResult>> MeterSeriesAsync(string parkCode, IReadOnlyCollection<string> meterCodes, DateOnly from,
        DateOnly to, Granularity g, CancellationToken ct = default)
    {
        if (to < from) throw new ValidationException("to", $"'to' ({to:yyyy-MM-dd}) is before 'from' ({from:yyyy-MM-dd})");
        if (g == Granularity.QuarterHour) throw new ValidationException("by", "meter series in bulk are by hour, day, month or year");
        if (to.DayNumber - from.DayNumber > 366 * 20) throw new ValidationException("to", "range is longer than 20 years");
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        var clock = reg.Clock;
        var buckets = clock.Buckets(from, to, g);
        var codes = meterCodes.Distinct(StringComparer.Ordinal).ToList();
        var plans = codes.Select(code =>
        {
            var p = PlanFor(reg, SeriesTarget.Meter(code));
            if (p.Average) throw new ValidationException("meter", $"meter '{code}' measures {p.Unit} at instants (a power or gauge meter); ask for energy meters");
            return p;
        }).ToList();
        // series id → (meter index, coefficient)
        var users = new Dictionary<long, List<(int Meter, double Coef)>>();
        for (var k = 0; k < plans.Count; k++)
            foreach (var (s, coef) in plans[k].Terms)
            {
                if (!users.TryGetValue(s, out var l)) users[s] = l = [];
                l.Add((k, coef));
            }
        var n = buckets.Count;
        var values = new double[codes.Count, n];
        var received = new int[codes.Count, n];
        var flagged = new int[codes.Count, n];
        var estimated = new int[codes.Count, n];
        var has = new bool[codes.Count, n];
        var (hourKeys, dayKeys, monthKeys) = RollupKeys(clock, buckets, g);
        if (users.Count > 0)
        {
            await using var c = await db.OpenConnectionAsync(ct);
            await ReadHourRollupsAsync(c, clock, hourKeys, users.Keys, (s, i, slot) =>
            {
                foreach (var (k, coef) in users[s])
                {
                    values[k, i] += coef * slot.Sum;
                    received[k, i] += slot.N;
                    flagged[k, i] += slot.NFlag;
                    estimated[k, i] += slot.NEst;
                    has[k, i] = true;
                }
            }, ct);
            foreach (var (table, keys) in new[] { ("rollup_day", dayKeys), ("rollup_month", monthKeys) })
            {
                if (keys.Count == 0) continue;
                var index = new Dictionary<long, int>(keys.Count);
                foreach (var (key, i) in keys) index[key] = i;
                await using var cmd = c.CreateCommand();
                cmd.CommandText = $"SELECT series_id, bucket, sum, n, nflag, nest FROM {table} WHERE series_id IN ({string.Join(",", users.Keys.Select(k => k.ToString(CultureInfo.InvariantCulture)))}) " +
                                  "AND bucket >= @lo AND bucket <= @hi";
                var p1 = cmd.CreateParameter(); p1.ParameterName = "lo"; p1.Value = keys.Min(k => k.Key); cmd.Parameters.Add(p1);
                var p2 = cmd.CreateParameter(); p2.ParameterName = "hi"; p2.Value = keys.Max(k => k.Key); cmd.Parameters.Add(p2);
                await using var r = await cmd.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct))
                {
                    if (!index.TryGetValue(r.GetInt64(1), out var i)) continue;
                    foreach (var (k, coef) in users[r.GetInt64(0)])
                    {
                        values[k, i] += coef * r.GetDouble(2);
                        received[k, i] += (int)r.GetInt64(3);
                        flagged[k, i] += (int)r.GetInt64(4);
                        estimated[k, i] += (int)r.GetInt64(5);
                        has[k, i] = true;
                    }
                }
            }
        }
        var result = new Dictionary<string, SeriesResult>(StringComparer.Ordinal);
        for (var k = 0; k < codes.Count; k++)
        {
            var list = new List<SeriesBucket>(n);
            for (var i = 0; i < n; i++)
            {
                var b = buckets[i];
                var expected = (int)Math.Round((b.End - b.Start) * plans[k].ExpectedPerSecond);
                list.Add(new SeriesBucket(clock.ToLocalOffset(b.Start), clock.ToLocalOffset(b.End), has[k, i] ? values[k, i] : null,
                    new BucketQuality(received[k, i], expected, flagged[k, i], estimated[k, i])));
            }
            result[codes[k]] = new SeriesResult(plans[k].Description, plans[k].Unit, g, list);
        }
        return result;
    }

    /// <summary>The instant of the newest reading of any meter of the park (from the per-meter state), or null when it has none.</summary>
    public async Task<DateTimeOffset?> LastReadingAtAsync(string parkCode, CancellationToken ct = default)
    {
        var park = await db.Registry.GetParkAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        var last = await c.ExecuteScalarAsync<long?>(
            "SELECT MAX(s.last_ts) FROM meter_state s JOIN meters m ON m.id = s.meter_id WHERE m.park_id = @id", new { id = park.Id.Value });
        return last is { } t ? park.Clock.ToLocalOffset(t) : null;
    }
}
