using Dapper;
using ZeroPark.Domain;
using ZeroPark.Metering;

namespace ZeroPark.Application.Readings;

public sealed partial class ReadingStore
{
    public static ResetResolution ParseResolution(string? s) => s?.Trim().ToLowerInvariant() switch
    {
        "reset" => ResetResolution.Reset,
        "replacement" => ResetResolution.Replacement,
        "bad" or "bad_reading" or "bad-reading" => ResetResolution.BadReading,
        _ => throw new ValidationException("resolution", $"unknown resolution '{s}' (expected reset, replacement or bad_reading)"),
    };

    public static string Code(ResetResolution r) => r switch
    {
        ResetResolution.Reset => "reset",
        ResetResolution.Replacement => "replacement",
        _ => "bad_reading",
    };

    /// <summary>The park's suspected resets awaiting confirmation (optionally of one meter), oldest first.</summary>
    public async Task<IReadOnlyList<ResetSuspect>> ResetSuspectsAsync(string parkCode, string? meterCode = null, CancellationToken ct = default)
    {
        var reg = await GetRegistryAsync(parkCode, ct);
        var meterId = meterCode is null ? (long?)null : reg.Meter(meterCode).Id.Value;
        await using var c = await OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(long meter_id, long ts, double value)>(
            "SELECT s.meter_id, s.ts, s.value FROM reset_suspects s JOIN meters m ON m.id = s.meter_id WHERE m.park_id = @park AND (@meter IS NULL OR s.meter_id = @meter) ORDER BY s.ts, m.code LIMIT 1000",
            new { park = reg.Park.Id.Value, meter = meterId });
        var list = new List<ResetSuspect>();
        foreach (var (id, ts, value) in rows)
        {
            var m = reg.MetersById[id];
            var before = await ReadRangeAsync(c, null, reg.Clock, id, ts - 7 * 86400, ts);
            var bad = before.Count > 0 && before[^1].Ts == ts && (before[^1].Flags & ReadingFlags.SuspectedBadReading) != 0;
            double? prev = null;
            for (var k = before.Count - 1; k >= 0; k--)
                if (before[k].Ts < ts && before[k].IsValidBase) { prev = before[k].Value; break; }
            list.Add(new ResetSuspect(m.Code, m.Name, reg.Clock.ToLocalOffset(ts), value, prev, bad ? "bad_reading" : "reset"));
        }
        return list;
    }

    /// <summary>
    /// Confirms what a drop of a cumulative register was: a reset from zero, a replacement (with the old meter's final value;
    /// without one, the previous reading's value, i.e. no energy counted for the old meter's last interval) or a bad reading.
    /// The reading's delta, the deltas after it and the rollups are recomputed and the confirmation is audited, in one transaction.
    /// </summary>
    public async Task ConfirmResetAsync(string parkCode, string meterCode, DateTimeOffset at, ResetResolution resolution, double? oldFinal,
        string user, string? reason, CancellationToken ct = default)
    {
        var reg = await GetRegistryAsync(parkCode, ct);
        var m = reg.Meter(meterCode);
        if (m.Kind != MeterKind.Cumulative) throw new ValidationException("meter", $"meter '{meterCode}' is not a cumulative register");
        var ts = at.ToUnixTimeSeconds();
        StoredReading reading;
        double? previous = null;
        await using (var c = await OpenConnectionAsync(ct))
        {
            var found = await ReadRangeAsync(c, null, reg.Clock, m.Id.Value, ts - 1, ts);
            if (found.Count == 0) throw new NotFoundException($"meter '{meterCode}' has no reading at {at:yyyy-MM-dd'T'HH:mm:sszzz}");
            reading = found[0];
            var before = await ReadRangeAsync(c, null, reg.Clock, m.Id.Value, ts - 7 * 86400, ts - 1);
            for (var k = before.Count - 1; k >= 0; k--)
                if (before[k].IsValidBase) { previous = before[k].Value; break; }
        }
        const ReadingFlags drop = ReadingFlags.SuspectedReset | ReadingFlags.SuspectedBadReading | ReadingFlags.Reset | ReadingFlags.BadReading;
        if ((reading.Flags & drop) == 0)
            throw new ConflictException($"the reading of meter '{meterCode}' at {at:yyyy-MM-dd'T'HH:mm:sszzz} is not a suspected reset");
        if (resolution == ResetResolution.Replacement)
        {
            oldFinal ??= previous ?? throw new ValidationException("old_final", "no earlier reading within 7 days: give the old meter's final value");
            if (oldFinal < 0 || double.IsNaN(oldFinal.Value)) throw new ValidationException("old_final", "must be a non-negative number");
        }
        else if (oldFinal is not null) throw new ValidationException("old_final", "applies to the replacement resolution only");
        // A replacement row: the value stays (the new register's), the old register's final value closes the old one.
        var point = resolution switch
        {
            ResetResolution.Reset => new MeterPoint(ts, reading.Value, 0, ReadingFlags.ResetConfirmed),
            ResetResolution.BadReading => new MeterPoint(ts, reading.Value, 0, ReadingFlags.BadReading),
            _ => new MeterPoint(ts, reading.Value, 0, ReadingFlags.Replacement | ReadingFlags.Manual, oldFinal),
        };
        var byMeter = new Dictionary<long, List<MeterPoint>> { [m.Id.Value] = [point] };
        string? error = null;
        await ApplyAsync(reg, byMeter, new IngestSource("confirm:" + Code(resolution), user) { Reason = reason }, 0,
            (_, r) => { if (r.Outcome == PointOutcome.Rejected) error = r.Reason; }, reportAccepted: false, ct);
        if (error is not null) throw new ValidationException("at", error);
    }

    /// <summary>Sets whether a cumulative meter's drops are normal resets (counted from zero) and recounts its history.</summary>
    public async Task<Meter> SetResetsNormalAsync(string parkCode, string meterCode, bool resetsNormal, string user, CancellationToken ct = default)
    {
        var reg = await GetRegistryAsync(parkCode, ct);
        var m = reg.Meter(meterCode);
        var draft = new MeterDraft(m.Code, m.Name, Codes.Of(m.Carrier), Codes.Of(m.Kind), m.Unit)
        {
            RegisterMax = m.RegisterMax, Multiplier = m.Multiplier, IntervalMinutes = (int)m.Interval.TotalMinutes, MaxRatePerHour = m.MaxRatePerHour,
            SpaceCode = m.SpaceId is { } s ? reg.SpacesById[s.Value].Code : null, SystemCode = m.SystemCode, Device = m.Device,
            Role = Codes.Of(m.Role), Formula = m.Formula, ResetsNormal = resetsNormal,
        };
        return await db.Registry.UpdateMeterAsync(parkCode, meterCode, draft, user, ct);
    }

    /// <summary>Recomputes every stored reading of a meter (its reset rule changed), with the rollups, in one transaction.</summary>
    public async Task RecomputeMeterAsync(string parkCode, string meterCode, string user, CancellationToken ct = default) =>
        await RecomputeReadingsAsync(parkCode, meterCode, user, ct);

    /// <summary>
    /// Runs the engine again over the stored history of one meter (or every physical meter of the park), in time order: deltas,
    /// flags, rollups (by difference), meter state and the suspected-reset list are rewritten under the current rules, e.g. for
    /// readings stored before drops became suspected resets (old <c>negative</c> flags). One transaction per meter, each audited
    /// as <c>recompute</c> (key: the meter code; new value: how many readings changed). Confirmations are kept.
    /// </summary>
    public async Task<IReadOnlyList<RecomputeResult>> RecomputeReadingsAsync(string parkCode, string? meterCode, string user, CancellationToken ct = default)
    {
        var reg = await GetRegistryAsync(parkCode, ct);
        IEnumerable<Meter> meters;
        if (meterCode is null) meters = reg.MetersByCode.Values.Where(m => !m.IsVirtual).OrderBy(m => m.Code, StringComparer.Ordinal).ToList();
        else
        {
            var one = reg.Meter(meterCode);
            if (one.IsVirtual) throw new ValidationException("meter", $"meter '{one.Code}' is virtual (computed by formula); it has no readings");
            meters = [one];
        }
        var list = new List<RecomputeResult>();
        foreach (var m in meters)
        {
            var changed = new System.Runtime.CompilerServices.StrongBox<int>();
            var byMeter = new Dictionary<long, List<MeterPoint>> { [m.Id.Value] = [] };
            await ApplyAsync(reg, byMeter, new IngestSource("recompute", user), 0, (_, _) => { }, reportAccepted: false, ct, wholeHistory: true, changed);
            list.Add(new RecomputeResult(m.Code, changed.Value));
        }
        return list;
    }
}
