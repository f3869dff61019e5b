// Row classes below are filled by Dapper through reflection.
#pragma warning disable CS0649
using System.Data.Common;
using System.Globalization;
using Dapper;
using ZeroPark.Domain;
using ZeroPark.Metering;

namespace ZeroPark.Storage;

/// <summary>One additive change to a rollup row.</summary>
public readonly record struct RollupRow(long Series, long Bucket, double Sum, int N, int NFlag, int NEst);

/// <summary>What the store keeps per meter so that in-order data needs no reading lookups.</summary>
public readonly record struct MeterState(long MeterId, StoredReading Last, StoredReading? Base);

public abstract partial class ZeroParkStore
{
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    /// <summary>
    /// Ingests a batch: resolves meter codes, merges with stored readings (duplicates change nothing, different values
    /// are audited corrections), computes deltas and flags, and updates hourly/daily/monthly rollups of each meter
    /// and of the aggregates it feeds — all in one transaction, so a crash never leaves half a batch.
    /// Rejected points are reported with their line and reason; the others are stored.
    /// </summary>
    public async Task<IngestSummary> IngestAsync(string parkCode, IReadOnlyList<RawPoint> points, IngestSource source,
        bool detail = false, CancellationToken ct = default)
    {
        var reg = await GetRegistryAsync(parkCode, ct);
        var rejected = new List<RowError>();
        var statuses = detail ? new PointStatus?[points.Count] : null;
        var byMeter = new Dictionary<long, List<MeterPoint>>();
        for (var i = 0; i < points.Count; i++)
        {
            var p = points[i];
            var reason = Resolve(reg, p, out var meter);
            if (reason is not null)
            {
                rejected.Add(new RowError(p.Line, reason));
                if (statuses is not null) statuses[i] = new PointStatus(p.Line, p.MeterCode, p.Timestamp, "rejected", reason, null);
                continue;
            }
            if (!byMeter.TryGetValue(meter!.Id.Value, out var list)) byMeter[meter.Id.Value] = list = [];
            list.Add(new MeterPoint(p.Timestamp.ToUnixTimeSeconds(), p.Value, i, source.Flags));
        }
        var (accepted, duplicates, corrected) = await ApplyAsync(reg, byMeter, source, rejected.Count, (index, r) =>
        {
            if (r.Outcome == PointOutcome.Rejected) rejected.Add(new RowError(points[index].Line, r.Reason!));
            if (statuses is not null)
            {
                var p = points[index];
                statuses[index] = new PointStatus(p.Line, p.MeterCode, p.Timestamp, r.Outcome.ToString().ToLowerInvariant(), r.Reason, r.PreviousValue);
            }
        }, ct);
        rejected.Sort((a, b) => a.Line.CompareTo(b.Line));
        return new IngestSummary(accepted, duplicates, corrected, rejected) { Points = statuses?.Select(s => s!).ToList() };
    }

    /// <summary>Records a meter replacement at <paramref name="at"/>: the old meter's final register value and the new
    /// meter's initial value. Consumption up to the swap is old final − previous reading; later deltas start from the
    /// new initial value.</summary>
    public async Task<IngestSummary> ReplaceMeterAsync(string parkCode, string meterCode, DateTimeOffset at, double oldFinal, double newInitial,
        string user, string? reason, CancellationToken ct = default)
    {
        var reg = await GetRegistryAsync(parkCode, ct);
        var m = reg.Meter(meterCode);
        if (m.Kind != MeterKind.Cumulative) throw new ValidationException("meter", $"meter '{meterCode}' is not a cumulative register");
        if (oldFinal < 0 || double.IsNaN(oldFinal)) throw new ValidationException("old_final", "must be a non-negative number");
        var byMeter = new Dictionary<long, List<MeterPoint>>
        {
            [m.Id.Value] = [new MeterPoint(at.ToUnixTimeSeconds(), newInitial, 0, ReadingFlags.Replacement | ReadingFlags.Manual, oldFinal)],
        };
        var rejected = new List<RowError>();
        var (a, d, c) = await ApplyAsync(reg, byMeter, new IngestSource("replacement", user) { Reason = reason }, 0,
            (_, r) => { if (r.Outcome == PointOutcome.Rejected) rejected.Add(new RowError(1, r.Reason!)); }, ct);
        return new IngestSummary(a, d, c, rejected);
    }

    private static string? Resolve(ParkRegistry reg, RawPoint p, out Meter? meter)
    {
        if (!reg.MetersByCode.TryGetValue(p.MeterCode, out meter)) return $"meter: unknown meter code '{p.MeterCode}' in park '{reg.Park.Code}'";
        if (p.IntervalStart is { } start)
        {
            if (meter.Kind != MeterKind.Interval) return $"start: meter '{meter.Code}' is {Codes.Of(meter.Kind)}; only interval meters take an interval start";
            var len = p.Timestamp - start;
            if (len != meter.Interval)
                return string.Create(CultureInfo.InvariantCulture, $"start: interval of {len.TotalMinutes} min does not match meter '{meter.Code}' interval of {meter.Interval.TotalMinutes} min");
        }
        return null;
    }

    private async Task<(int Accepted, int Duplicates, int Corrected)> ApplyAsync(ParkRegistry reg, Dictionary<long, List<MeterPoint>> byMeter,
        IngestSource source, int rejectedBefore, Action<int, PointResult> onResult, CancellationToken ct)
    {
        int accepted = 0, duplicates = 0, corrected = 0, rejected = rejectedBefore;
        if (byMeter.Count == 0 && rejectedBefore == 0) return (0, 0, 0);
        var clock = reg.Clock;
        var isSqlite = Kind == StoreKind.Sqlite;
        if (isSqlite) await _writeGate.WaitAsync(ct);
        try
        {
            await using var c = await OpenConnectionAsync(ct);
            await using var tx = await c.BeginTransactionAsync(ct);
            await LockParkAsync(c, tx, reg.Park.Id.Value, ct);
            var states = await LoadStatesAsync(c, tx, reg.Park.Id.Value, byMeter.Keys, ct);

            var inserts = new List<(long Meter, StoredReading R)>();
            var updates = new List<(long Meter, StoredReading R)>();
            var newStates = new List<MeterState>();
            var slowMeters = new List<long>();
            var hour = new Dictionary<(long, long), RollupAcc>();
            var day = new Dictionary<(long, long), RollupAcc>();
            var month = new Dictionary<(long, long), RollupAcc>();
            // Contexts: from the per-meter state when the batch is newer than everything stored (the common case),
            // else from stored readings around the batch.
            var work = new (long MeterId, Meter Meter, List<MeterPoint> Points, MeterState State, bool Fast, long Min, long Max, MeterContext Ctx, MeterBatchResult? Result)[byMeter.Count];
            var w = 0;
            foreach (var (meterId, pts) in byMeter)
            {
                states.TryGetValue(meterId, out var state);
                var minTs = long.MaxValue;
                var maxTs = long.MinValue;
                foreach (var p in pts) { minTs = Math.Min(minTs, p.Ts); maxTs = Math.Max(maxTs, p.Ts); }
                var fast = state.MeterId == 0 || minTs > state.Last.Ts;
                var ctx = fast
                    ? (state.MeterId == 0 ? MeterContext.Empty : new MeterContext(state.Last, state.Base, [], true))
                    : await LoadContextAsync(c, tx, meterId, minTs, maxTs, 8, ct);
                work[w++] = (meterId, reg.MetersById[meterId], pts, state, fast, minTs, maxTs, ctx, null);
            }
            // The engine is pure: meters are processed in parallel.
            Parallel.For(0, work.Length, new ParallelOptions { CancellationToken = ct }, k =>
                work[k].Result = RegisterEngine.Process(work[k].Meter, work[k].Ctx, work[k].Points));
            foreach (var item in work)
            {
                var (meterId, meter, pts, state, fast, minTs, maxTs, ctx, result) = item;
                for (var tail = 64; result!.NeedsMoreTail; tail *= 4)
                {
                    ctx = await LoadContextAsync(c, tx, meterId, minTs, maxTs, tail, ct);
                    result = RegisterEngine.Process(meter, ctx, pts);
                }
                foreach (var r in result.Results)
                {
                    switch (r.Outcome)
                    {
                        case PointOutcome.Accepted: accepted++; break;
                        case PointOutcome.Duplicate: duplicates++; break;
                        case PointOutcome.Corrected: corrected++; break;
                        default: rejected++; break;
                    }
                    onResult(r.Index, r);
                }
                foreach (var r in result.Inserts) inserts.Add((meterId, r));
                foreach (var r in result.Updates) updates.Add((meterId, r));
                Accumulate(clock, reg.SeriesOfMeter[meterId], result.Rollups, hour, day, month);
                if (fast)
                {
                    if (result.Inserts.Count > 0) newStates.Add(StateAfter(meterId, state, result.Inserts));
                }
                else if (result.Inserts.Count + result.Updates.Count > 0)
                {
                    slowMeters.Add(meterId);
                }
                foreach (var (ts, old, @new) in result.Corrections)
                {
                    await AuditAsync(c, tx, reg.Park.Id.Value, source.User, "correct", "reading", $"{meter.Code}@{Iso(clock, ts)}", source.Reason,
                        old.ToString("R", CultureInfo.InvariantCulture), @new.ToString("R", CultureInfo.InvariantCulture));
                }
                if (source.Kind is "manual" or "replacement" && result.Inserts.Count > 0)
                {
                    foreach (var r in result.Inserts)
                        await AuditAsync(c, tx, reg.Park.Id.Value, source.User, source.Kind == "manual" ? "manual_entry" : "replace", "reading",
                            $"{meter.Code}@{Iso(clock, r.Ts)}", source.Reason, r.OldFinal?.ToString("R", CultureInfo.InvariantCulture),
                            r.Value.ToString("R", CultureInfo.InvariantCulture));
                }
            }

            if (inserts.Count > 0) await InsertReadingsAsync(c, tx, inserts, ct);
            foreach (var (m, r) in updates)
            {
                await c.ExecuteAsync("UPDATE readings SET value = @v, delta = @d, flags = @f, old_final = @o WHERE meter_id = @m AND ts = @t",
                    new { v = r.Value, d = r.Delta, f = (int)r.Flags, o = r.OldFinal, m, t = r.Ts }, tx);
            }
            await UpsertRollupsAsync(c, tx, "rollup_hour", ToRows(hour), ct);
            await UpsertRollupsAsync(c, tx, "rollup_day", ToRows(day), ct);
            await UpsertRollupsAsync(c, tx, "rollup_month", ToRows(month), ct);
            foreach (var m in slowMeters)
            {
                if (await ReadStateAsync(c, tx, m, ct) is { } s) newStates.Add(s);
            }
            if (newStates.Count > 0) await UpsertStatesAsync(c, tx, newStates, ct);
            await c.ExecuteAsync(
                "INSERT INTO ingest_log (park_id, at, source, user_name, batch_key, accepted, duplicates, corrected, rejected) VALUES (@p, @at, @s, @u, @k, @a, @d, @c, @r)",
                new { p = reg.Park.Id.Value, at = Clock.GetUtcNow().ToUnixTimeSeconds(), s = source.Kind, u = source.User, k = source.BatchKey, a = accepted, d = duplicates, c = corrected, r = rejected }, tx);
            await tx.CommitAsync(ct);
        }
        finally
        {
            if (isSqlite) _writeGate.Release();
        }
        return (accepted, duplicates, corrected);
    }

    private static string Iso(ParkClock clock, long ts) => clock.ToLocalOffset(ts).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static MeterState StateAfter(long meterId, MeterState old, List<StoredReading> inserts)
    {
        var last = inserts[^1];
        StoredReading? b = old.MeterId == 0 ? null : old.Base;
        for (var i = inserts.Count - 1; i >= 0; i--)
        {
            if (inserts[i].IsValidBase) { b = inserts[i]; break; }
        }
        return new MeterState(meterId, last, b);
    }

    private sealed class RollupAcc
    {
        public double Sum;
        public int N, NFlag, NEst;
    }

    /// <summary>
    /// Adds a meter's rollup changes to the hour/day/month maps of the meter and of every aggregate it feeds. Changes come
    /// mostly in time order, so they are first summed per local hour (a local hour never straddles a local day), and only
    /// the hourly sums are fanned out to the series: a few dictionary updates per meter-hour instead of per reading.
    /// </summary>
    private static void Accumulate(ParkClock clock, long[] series, List<RollupChange> changes,
        Dictionary<(long, long), RollupAcc> hour, Dictionary<(long, long), RollupAcc> day, Dictionary<(long, long), RollupAcc> month)
    {
        long curHour = long.MinValue;
        int curDay = 0, curMonth = 0;
        var run = new RollupAcc();
        var any = false;
        foreach (var ch in changes)
        {
            var t = ch.Ts - 1;
            if (!any || t < curHour || t >= curHour + 3600)
            {
                if (any) Flush(series, curHour, curDay, curMonth, run, hour, day, month);
                (curHour, curDay, curMonth) = clock.BucketKeys(t);
                run = new RollupAcc();
                any = true;
            }
            run.Sum += ch.Sum;
            run.N += ch.Count;
            run.NFlag += ch.Flagged;
            run.NEst += ch.Estimated;
        }
        if (any) Flush(series, curHour, curDay, curMonth, run, hour, day, month);
    }

    private static void Flush(long[] series, long h, int d, int mo, RollupAcc run,
        Dictionary<(long, long), RollupAcc> hour, Dictionary<(long, long), RollupAcc> day, Dictionary<(long, long), RollupAcc> month)
    {
        foreach (var s in series)
        {
            Add(hour, (s, h), run);
            Add(day, (s, d), run);
            Add(month, (s, mo), run);
        }
    }

    private static void Add(Dictionary<(long, long), RollupAcc> map, (long, long) key, RollupAcc run)
    {
        ref var acc = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(map, key, out _);
        acc ??= new RollupAcc();
        acc.Sum += run.Sum;
        acc.N += run.N;
        acc.NFlag += run.NFlag;
        acc.NEst += run.NEst;
    }

    private static List<RollupRow> ToRows(Dictionary<(long, long), RollupAcc> map)
    {
        var list = new List<RollupRow>(map.Count);
        foreach (var ((s, b), a) in map) list.Add(new RollupRow(s, b, a.Sum, a.N, a.NFlag, a.NEst));
        return list;
    }

    private sealed class StateRow
    {
        public long meter_id; public long last_ts; public double last_value; public long last_flags;
        public long? base_ts; public double? base_value; public long? base_flags;
        public MeterState ToState() => new(meter_id, new StoredReading(last_ts, last_value, 0, (ReadingFlags)last_flags),
            base_ts is { } bt ? new StoredReading(bt, base_value ?? 0, 0, (ReadingFlags)(base_flags ?? 0)) : null);
    }

    private static async Task<Dictionary<long, MeterState>> LoadStatesAsync(DbConnection c, DbTransaction tx, long parkId, IEnumerable<long> meters, CancellationToken ct)
    {
        var rows = await c.QueryAsync<StateRow>(
            "SELECT s.* FROM meter_state s JOIN meters m ON m.id = s.meter_id WHERE m.park_id = @parkId", new { parkId }, tx);
        return rows.ToDictionary(r => r.meter_id, r => r.ToState());
    }

    private static async Task<MeterState?> ReadStateAsync(DbConnection c, DbTransaction tx, long meterId, CancellationToken ct)
    {
        var last = await c.QuerySingleOrDefaultAsync<ReadingRow>("SELECT ts, value, delta, flags, old_final FROM readings WHERE meter_id = @meterId ORDER BY ts DESC LIMIT 1", new { meterId }, tx);
        if (last is null) return null;
        var b = await c.QuerySingleOrDefaultAsync<ReadingRow>(
            $"SELECT ts, value, delta, flags, old_final FROM readings WHERE meter_id = @meterId AND (flags & {(int)ReadingFlags.Excluded}) = 0 ORDER BY ts DESC LIMIT 1", new { meterId }, tx);
        return new MeterState(meterId, last.ToReading(), b?.ToReading());
    }

    internal sealed class ReadingRow
    {
        public long ts; public double value; public double delta; public long flags; public double? old_final;
        public StoredReading ToReading() => new(ts, value, delta, (ReadingFlags)flags, old_final);
    }

    /// <summary>Loads what the engine needs for a batch that touches stored history: the readings before it, the stored
    /// readings inside it, and a tail after it up to the first valid base (at most <paramref name="tail"/> rows).</summary>
    private static async Task<MeterContext> LoadContextAsync(DbConnection c, DbTransaction tx, long meterId, long minTs, long maxTs, int tail, CancellationToken ct)
    {
        var excluded = (int)ReadingFlags.Excluded;
        var before = await c.QuerySingleOrDefaultAsync<ReadingRow>(
            "SELECT ts, value, delta, flags, old_final FROM readings WHERE meter_id = @meterId AND ts < @minTs ORDER BY ts DESC LIMIT 1", new { meterId, minTs }, tx);
        var baseBefore = before is null || ((int)before.flags & excluded) == 0 ? before : await c.QuerySingleOrDefaultAsync<ReadingRow>(
            $"SELECT ts, value, delta, flags, old_final FROM readings WHERE meter_id = @meterId AND ts < @minTs AND (flags & {excluded}) = 0 ORDER BY ts DESC LIMIT 1", new { meterId, minTs }, tx);
        var inside = (await c.QueryAsync<ReadingRow>(
            "SELECT ts, value, delta, flags, old_final FROM readings WHERE meter_id = @meterId AND ts >= @minTs AND ts <= @maxTs ORDER BY ts", new { meterId, minTs, maxTs }, tx)).ToList();
        var after = (await c.QueryAsync<ReadingRow>(
            "SELECT ts, value, delta, flags, old_final FROM readings WHERE meter_id = @meterId AND ts > @maxTs ORDER BY ts LIMIT @n", new { meterId, maxTs, n = tail + 1 }, tx)).ToList();
        var existing = inside.Select(r => r.ToReading()).ToList();
        var reachesEnd = true;
        for (var i = 0; i < after.Count; i++)
        {
            if (i == tail) { reachesEnd = false; break; }
            var r = after[i].ToReading();
            existing.Add(r);
            if (r.IsValidBase)
            {
                reachesEnd = i == after.Count - 1;
                break;
            }
        }
        return new MeterContext(before?.ToReading(), baseBefore?.ToReading(), existing, reachesEnd);
    }

    /// <summary>Appends new readings (no stored row exists at their instants; the engine guarantees it).</summary>
    protected abstract Task InsertReadingsAsync(DbConnection c, DbTransaction tx, List<(long Meter, StoredReading R)> rows, CancellationToken ct);

    /// <summary>Adds the changes to the rollup table, creating rows as needed.</summary>
    protected abstract Task UpsertRollupsAsync(DbConnection c, DbTransaction tx, string table, List<RollupRow> rows, CancellationToken ct);

    protected abstract Task UpsertStatesAsync(DbConnection c, DbTransaction tx, List<MeterState> states, CancellationToken ct);
}
