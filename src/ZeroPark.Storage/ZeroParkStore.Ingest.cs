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
            // All of the park's meter states: the batch's meters need theirs, and aggregates need their members' last buckets.
            var states = await LoadStatesAsync(c, tx, reg.Park.Id.Value);

            var changed = new List<(long Meter, bool Fast, MeterState State, List<StoredReading> Readings)>();
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
                    : await LoadContextAsync(c, tx, clock, meterId, minTs, maxTs, 8, ct);
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
                    ctx = await LoadContextAsync(c, tx, clock, meterId, minTs, maxTs, tail, ct);
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
                if (result.Inserts.Count + result.Updates.Count > 0)
                    changed.Add((meterId, fast, state, [.. result.Inserts, .. result.Updates]));
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

            await WriteChunksAsync(c, tx, clock, changed, ct);
            // No rollup row of a series exists after the bucket of its last stored reading (for an aggregate: the latest of its
            // members'), so rows beyond it are appended; only the others need an upsert.
            var last = LastBuckets(reg, clock, states);
            await UpsertRollupsAsync(c, tx, "rollup_hour", ToRows(hour, last, 0), ct);
            await UpsertRollupsAsync(c, tx, "rollup_day", ToRows(day, last, 1), ct);
            await UpsertRollupsAsync(c, tx, "rollup_month", ToRows(month, last, 2), ct);
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

    /// <summary>Rollup rows split into appends (bucket after the series' last stored bucket) and merges.</summary>
    protected internal sealed record RollupRows(List<RollupRow> Appends, List<RollupRow> Merges)
    {
        public int Count => Appends.Count + Merges.Count;
    }

    private static RollupRows ToRows(Dictionary<(long, long), RollupAcc> map, Dictionary<long, long[]> last, int granularity)
    {
        var appends = new List<RollupRow>(map.Count);
        var merges = new List<RollupRow>();
        foreach (var ((s, b), a) in map)
        {
            var row = new RollupRow(s, b, a.Sum, a.N, a.NFlag, a.NEst);
            if (!last.TryGetValue(s, out var l) || b > l[granularity]) appends.Add(row);
            else merges.Add(row);
        }
        return new RollupRows(appends, merges);
    }

    /// <summary>Per series (meters and the aggregates they feed): hour, day and month key of the last stored reading.</summary>
    private static Dictionary<long, long[]> LastBuckets(ParkRegistry reg, ParkClock clock, Dictionary<long, MeterState> states)
    {
        var last = new Dictionary<long, long[]>();
        foreach (var (meter, state) in states)
        {
            if (!reg.SeriesOfMeter.TryGetValue(meter, out var series)) continue;
            var (h, d, m) = clock.BucketKeys(state.Last.Ts - 1);
            foreach (var s in series)
            {
                if (!last.TryGetValue(s, out var l)) last[s] = [h, d, m];
                else
                {
                    l[0] = Math.Max(l[0], h);
                    l[1] = Math.Max(l[1], d);
                    l[2] = Math.Max(l[2], m);
                }
            }
        }
        return last;
    }

    private sealed class StateRow
    {
        public long meter_id; public long last_ts; public double last_value; public long last_flags;
        public long? base_ts; public double? base_value; public long? base_flags;
        public MeterState ToState() => new(meter_id, new StoredReading(last_ts, last_value, 0, (ReadingFlags)last_flags),
            base_ts is { } bt ? new StoredReading(bt, base_value ?? 0, 0, (ReadingFlags)(base_flags ?? 0)) : null);
    }

    private static async Task<Dictionary<long, MeterState>> LoadStatesAsync(DbConnection c, DbTransaction tx, long parkId)
    {
        var rows = await c.QueryAsync<StateRow>(
            "SELECT s.* FROM meter_state s JOIN meters m ON m.id = s.meter_id WHERE m.park_id = @parkId", new { parkId }, tx);
        return rows.ToDictionary(r => r.meter_id, r => r.ToState());
    }

    /// <summary>
    /// Writes changed readings into their meter-day chunks. Chunks after the meter's last stored day are new (the in-order
    /// fast path never reads); other chunks are read, merged and rewritten.
    /// </summary>
    private async Task WriteChunksAsync(DbConnection c, DbTransaction tx, ParkClock clock,
        List<(long Meter, bool Fast, MeterState State, List<StoredReading> Readings)> changed, CancellationToken ct)
    {
        if (changed.Count == 0) return;
        var groups = new Dictionary<(long Meter, int Day), List<StoredReading>>();
        var mayExist = new List<(long Meter, int Day)>();
        foreach (var (meter, fast, state, readings) in changed)
        {
            var lastDay = state.MeterId == 0 ? int.MinValue : clock.BucketKeys(state.Last.Ts - 1).Day;
            foreach (var r in readings)
            {
                var key = (meter, clock.BucketKeys(r.Ts - 1).Day);
                if (!groups.TryGetValue(key, out var list))
                {
                    groups[key] = list = [];
                    if (!fast || key.Item2 <= lastDay) mayExist.Add(key);
                }
                list.Add(r);
            }
        }
        var existing = mayExist.Count == 0 ? [] : await LoadChunksAsync(c, tx, mayExist, ct);
        var rows = new List<ChunkRow>(groups.Count);
        foreach (var (key, list) in groups)
        {
            List<StoredReading> merged;
            if (existing.TryGetValue(key, out var data)) merged = ReadingChunk.Merge(ReadingChunk.Decode(data), list);
            else
            {
                list.Sort((a, b) => a.Ts.CompareTo(b.Ts));
                merged = list;
            }
            rows.Add(new ChunkRow(key.Meter, key.Day, merged.Count, ReadingChunk.Encode(merged)));
        }
        rows.Sort((a, b) => a.Meter != b.Meter ? a.Meter.CompareTo(b.Meter) : a.Day.CompareTo(b.Day));
        await UpsertChunksAsync(c, tx, rows, ct);
    }

    private static async Task<MeterState?> ReadStateAsync(DbConnection c, DbTransaction tx, long meterId, CancellationToken ct)
    {
        StoredReading? last = null;
        for (var offset = 0; ; offset += 8)
        {
            var chunks = (await c.QueryAsync<byte[]>("SELECT data FROM readings WHERE meter_id = @meterId ORDER BY day DESC LIMIT 8 OFFSET @offset", new { meterId, offset }, tx)).ToList();
            if (chunks.Count == 0) return last is { } l0 ? new MeterState(meterId, l0, null) : null;
            foreach (var data in chunks)
            {
                var rs = ReadingChunk.Decode(data);
                last ??= rs[^1];
                for (var k = rs.Count - 1; k >= 0; k--)
                    if (rs[k].IsValidBase) return new MeterState(meterId, last.Value, rs[k]);
            }
        }
    }

    /// <summary>Readings of a meter with instants in (<paramref name="after"/>, <paramref name="upTo"/>], in time order.</summary>
    internal static async Task<List<StoredReading>> ReadRangeAsync(DbConnection c, DbTransaction? tx, ParkClock clock, long meterId, long after, long upTo)
    {
        var list = new List<StoredReading>();
        if (upTo <= after) return list;
        var chunks = await c.QueryAsync<byte[]>("SELECT data FROM readings WHERE meter_id = @meterId AND day >= @a AND day <= @b ORDER BY day",
            new { meterId, a = clock.BucketKeys(after).Day, b = clock.BucketKeys(upTo - 1).Day }, tx);
        var all = new List<StoredReading>();
        foreach (var data in chunks) ReadingChunk.Decode(data, all);
        foreach (var r in all)
            if (r.Ts > after && r.Ts <= upTo) list.Add(r);
        return list;
    }

    /// <summary>Loads what the engine needs for a batch that touches stored history: the readings before it, the stored
    /// readings inside it, and a tail after it up to the first valid base (at most <paramref name="tail"/> readings).</summary>
    private static async Task<MeterContext> LoadContextAsync(DbConnection c, DbTransaction tx, ParkClock clock, long meterId, long minTs, long maxTs, int tail, CancellationToken ct)
    {
        // Before: walk chunks backwards from the batch's first day until the last reading and the last valid base before minTs are found.
        StoredReading? before = null, baseBefore = null;
        var firstDay = clock.BucketKeys(minTs - 1).Day;
        for (var offset = 0; baseBefore is null; offset += 8)
        {
            var chunks = (await c.QueryAsync<byte[]>("SELECT data FROM readings WHERE meter_id = @meterId AND day <= @firstDay ORDER BY day DESC LIMIT 8 OFFSET @offset",
                new { meterId, firstDay, offset }, tx)).ToList();
            if (chunks.Count == 0) break;
            foreach (var data in chunks)
            {
                var rs = ReadingChunk.Decode(data);
                for (var k = rs.Count - 1; k >= 0 && baseBefore is null; k--)
                {
                    if (rs[k].Ts >= minTs) continue;
                    before ??= rs[k];
                    if (rs[k].IsValidBase) baseBefore = rs[k];
                }
                if (baseBefore is not null) break;
            }
        }
        // Inside and tail: chunks from the batch's first day on.
        var existing = new List<StoredReading>();
        var reachesEnd = true;
        var afterCount = 0;
        var done = false;
        for (var offset = 0; !done; offset += 8)
        {
            var chunks = (await c.QueryAsync<(int Day, byte[] Data)>("SELECT day, data FROM readings WHERE meter_id = @meterId AND day >= @firstDay ORDER BY day LIMIT 8 OFFSET @offset",
                new { meterId, firstDay, offset }, tx)).ToList();
            if (chunks.Count == 0) break;
            foreach (var (_, data) in chunks)
            {
                foreach (var r in ReadingChunk.Decode(data))
                {
                    if (r.Ts < minTs) continue;
                    if (r.Ts <= maxTs) { existing.Add(r); continue; }
                    if (afterCount == tail) { reachesEnd = false; done = true; break; }
                    existing.Add(r);
                    afterCount++;
                    if (r.IsValidBase) { reachesEnd = false; done = true; break; }
                }
                if (done) break;
            }
        }
        // Stopping at the first valid base after the batch leaves ReachesEnd false (conservative): if that reading's validity
        // changes, the engine asks for a longer tail and this runs again.
        return new MeterContext(before, baseBefore, existing, reachesEnd);
    }

    /// <summary>One meter-day chunk to write: <see cref="Data"/> is <see cref="ReadingChunk"/>-encoded.</summary>
    protected internal readonly record struct ChunkRow(long Meter, int Day, int N, byte[] Data);

    /// <summary>Inserts or replaces meter-day chunks.</summary>
    protected abstract Task UpsertChunksAsync(DbConnection c, DbTransaction tx, List<ChunkRow> rows, CancellationToken ct);

    /// <summary>Reads the chunks that exist among <paramref name="keys"/>.</summary>
    protected abstract Task<Dictionary<(long Meter, int Day), byte[]>> LoadChunksAsync(DbConnection c, DbTransaction tx, List<(long Meter, int Day)> keys, CancellationToken ct);

    /// <summary>Adds the changes to the rollup table, creating rows as needed.</summary>
    protected abstract Task UpsertRollupsAsync(DbConnection c, DbTransaction tx, string table, RollupRows rows, CancellationToken ct);

    protected abstract Task UpsertStatesAsync(DbConnection c, DbTransaction tx, List<MeterState> states, CancellationToken ct);
}
