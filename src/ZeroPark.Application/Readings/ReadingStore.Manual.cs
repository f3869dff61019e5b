using ZeroPark.Domain;
using ZeroPark.Metering;

namespace ZeroPark.Application.Readings;

public sealed partial class ReadingStore
{
    /// <summary>Manual entry of one reading by a person. A reason is required; the entry (or the correction, with the
    /// previous value) is written to the audit log with the user and time.</summary>
    public async Task<IngestSummary> ManualEntryAsync(string parkCode, string meterCode, DateTimeOffset at, double value, string user, string reason,
        CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(user)) throw new ValidationException("user", "the user making the entry is required");
        if (string.IsNullOrWhiteSpace(reason)) throw new ValidationException("reason", "a reason is required for manual entries and corrections");
        TextLimits.Check("reason", reason, TextLimits.Text);
        if (ReadingInstants.Problem(at) is { } early) throw new ValidationException("ts", early);
        var reg = await GetRegistryAsync(parkCode, ct);
        reg.Meter(meterCode);
        var summary = await IngestAsync(parkCode, [new RawPoint(meterCode, at, value, 1)],
            new IngestSource("manual", user) { Reason = reason, Flags = ReadingFlags.Manual }, detail: true, ct);
        if (summary.Rejected.Count > 0) throw new ValidationException("value", summary.Rejected[0].Reason);
        return summary;
    }

    /// <summary>
    /// Optional linear gap filling, never done unless asked: writes estimated readings (flag <see cref="ReadingFlags.Estimated"/>)
    /// at the missing instants of each gap between two measured readings inside local dates from..to. Cumulative registers are
    /// interpolated linearly between the readings around the gap, so the gap's consumption is spread, not changed; interval
    /// meters get values interpolated between the neighbouring intervals. Gaps closed by a flagged reading (rollover, jump,
    /// negative, replacement) are left alone. A measured reading that arrives later replaces an estimate.
    /// </summary>
    public async Task<IngestSummary> FillGapsAsync(string parkCode, string meterCode, DateOnly from, DateOnly to, string user, CancellationToken ct = default)
    {
        var reg = await GetRegistryAsync(parkCode, ct);
        var m = reg.Meter(meterCode);
        if (m.IsVirtual || m.IsInstantaneous) throw new ValidationException("meter", $"meter '{meterCode}' is {(m.IsVirtual ? "virtual" : $"a {Codes.Of(m.Kind)} meter")}; only cumulative and interval meters can be filled");
        var (start, end) = reg.Clock.Range(from, to);
        var step = (long)m.Interval.TotalSeconds;
        List<StoredReading> rows;
        await using (var c = await OpenConnectionAsync(ct))
        {
            rows = await ReadRangeAsync(c, null, reg.Clock, m.Id.Value, start - 1, end);
        }
        var points = new List<RawPoint>();
        var blocking = ReadingFlags.Excluded | ReadingFlags.Rollover | ReadingFlags.Replacement;
        for (var i = 1; i < rows.Count; i++)
        {
            var a = rows[i - 1];
            var b = rows[i];
            if (b.Ts - a.Ts <= step * 3 / 2) continue;
            if (((a.Flags | b.Flags) & blocking) != 0) continue;
            for (var t = a.Ts + step; t <= b.Ts - step; t += step)
            {
                var v = a.Value + (b.Value - a.Value) * (t - a.Ts) / (double)(b.Ts - a.Ts);
                points.Add(new RawPoint(meterCode, DateTimeOffset.FromUnixTimeSeconds(t), v, points.Count + 1));
            }
        }
        return await IngestAsync(parkCode, points, new IngestSource("fill", user) { Reason = "linear gap fill", Flags = ReadingFlags.Estimated }, ct: ct);
    }

    /// <summary>The stored readings of one physical meter on local dates <paramref name="from"/>..<paramref name="to"/> (inclusive; at most
    /// 31 days), in time order: raw value, flags and, for replacements, the old register's final value. Read from the day chunks
    /// (the manual-entry page shows what a correction changes).</summary>
    public async Task<IReadOnlyList<StoredReading>> MeterReadingsAsync(string parkCode, string meterCode, DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        if (to < from || to.DayNumber - from.DayNumber > 30) throw new ValidationException("to", "choose 1 to 31 days, the start not after the end");
        var reg = await GetRegistryAsync(parkCode, ct);
        var m = reg.Meter(meterCode);
        if (m.IsVirtual) throw new ValidationException("meter", $"meter '{meterCode}' is virtual: it has no readings of its own");
        var (start, end) = reg.Clock.Range(from, to);
        await using var c = await OpenConnectionAsync(ct);
        return await ReadRangeAsync(c, null, reg.Clock, m.Id.Value, start - 1, end - 1);
    }
}
