using System.Globalization;
using ZeroPark.Domain;

namespace ZeroPark.Application;

public abstract partial class ZeroParkStore
{
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
        var reg = await GetRegistryAsync(parkCode, ct);
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
            await using var c = await OpenConnectionAsync(ct);
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
}
