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
        IngestTimings.Start();
        var reg = await GetRegistryAsync(parkCode, ct);
        var rejected = new List<RowError>();
        var statuses = detail ? new PointStatus?[points.Count] : null;
        var byMeter = new Dictionary<long, List<MeterPoint>>();
        // Lists sized for an even spread of the batch over the park's meters (a day of 15-minute readings: 96 each).
        var perMeter = Math.Clamp(points.Count / Math.Max(1, reg.MetersById.Count) + 1, 4, 1024);
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
            ref var list = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(byMeter, meter!.Id.Value, out _);
            list ??= new List<MeterPoint>(perMeter);
            list.Add(new MeterPoint(p.Timestamp.ToUnixTimeSeconds(), p.Value, i, source.Flags));
        }
        IngestTimings.Mark("resolve");
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
            IngestTimings.Mark("open");
            var states = await LoadStatesAsync(c, tx, reg.Park.Id.Value);
            IngestTimings.Mark("states");

            var newStates = new List<MeterState>();
            var slowMeters = new List<long>();
            // Contexts: from the per-meter state when the batch is newer than everything stored (the common case),
            // else from stored readings around the batch.
            var work = new MeterWork[byMeter.Count];
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
                work[w++] = new MeterWork(meterId, reg.MetersById[meterId], pts, state, fast, minTs, maxTs, ctx);
            }
            IngestTimings.Mark("ctx");
            // The engine is pure, and so is sorting its output into local days and hours: meters are processed in parallel.
            Parallel.For(0, work.Length, new ParallelOptions { CancellationToken = ct }, k => work[k].Run(clock));
            IngestTimings.Mark("engine");
            var hours = new Dictionary<(long Series, int Day), List<HourSlot>>();
            var day = new Dictionary<(long, long), RollupAcc>();
            var month = new Dictionary<(long, long), RollupAcc>();
            foreach (var item in work)
            {
                var meter = item.Meter;
                for (var tail = 64; item.Result!.NeedsMoreTail; tail *= 4)
                {
                    item.Context = await LoadContextAsync(c, tx, clock, item.MeterId, item.MinTs, item.MaxTs, tail, ct);
                    item.Run(clock);
                }
                var result = item.Result;
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
                Accumulate(reg.SeriesOfMeter[item.MeterId], item.Hours, hours, day, month);
                if (item.Fast)
                {
                    if (result.Inserts.Count > 0) newStates.Add(StateAfter(item.MeterId, item.State, result.Inserts));
                }
                else if (result.Inserts.Count + result.Updates.Count > 0)
                {
                    slowMeters.Add(item.MeterId);
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

            IngestTimings.Mark("accumulate");
            await WriteChunksAsync(c, tx, clock, work, ct);
            IngestTimings.Mark("chunk-write");
            // No rollup row of a series exists after the bucket of its last stored reading (for an aggregate: the latest of its
            // members'), so rows beyond it are appended; only the others need an upsert.
            var last = LastBuckets(reg, clock, states);
            await WriteHourBlocksAsync(c, tx, hours, last, ct);
            IngestTimings.Mark("hour-blocks");
            await UpsertRollupsAsync(c, tx, "rollup_day", ToRows(day, last, 1), ct);
            await UpsertRollupsAsync(c, tx, "rollup_month", ToRows(month, last, 2), ct);
            IngestTimings.Mark("day+month-rollups");
            foreach (var m in slowMeters)
            {
                if (await ReadStateAsync(c, tx, m, ct) is { } s) newStates.Add(s);
            }
            if (newStates.Count > 0) await UpsertStatesAsync(c, tx, newStates, ct);
            IngestTimings.Mark("state-write");
            await c.ExecuteAsync(
                "INSERT INTO ingest_log (park_id, at, source, user_name, batch_key, accepted, duplicates, corrected, rejected) VALUES (@p, @at, @s, @u, @k, @a, @d, @c, @r)",
                new { p = reg.Park.Id.Value, at = Clock.GetUtcNow().ToUnixTimeSeconds(), s = source.Kind, u = source.User, k = source.BatchKey, a = accepted, d = duplicates, c = corrected, r = rejected }, tx);
            await tx.CommitAsync(ct);
            IngestTimings.Mark("log+commit");
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

    /// <summary>A meter's batch on its way through the engine. <see cref="Run"/> is pure (no I/O), so meters run in parallel:
    /// it applies the engine, then sums the rollup changes per local hour and groups the changed readings by local day.</summary>
    private sealed class MeterWork(long meterId, Meter meter, List<MeterPoint> points, MeterState state, bool fast, long minTs, long maxTs, MeterContext context)
    {
        public long MeterId { get; } = meterId;
        public Meter Meter { get; } = meter;
        public MeterState State { get; } = state;
        /// <summary>The batch is newer than everything stored for the meter.</summary>
        public bool Fast { get; } = fast;
        public long MinTs { get; } = minTs;
        public long MaxTs { get; } = maxTs;
        public MeterContext Context { get; set; } = context;
        public MeterBatchResult? Result { get; private set; }
        /// <summary>Rollup changes summed per local hour, in the order they came (mostly time order).</summary>
        public List<HourRun> Hours { get; private set; } = [];
        /// <summary>Inserted and updated readings by local day, each day's readings in time order.</summary>
        public List<(int Day, List<StoredReading> Readings)> Days { get; private set; } = [];

        public void Run(ParkClock clock)
        {
            Result = RegisterEngine.Process(Meter, Context, points);
            Hours = HourRuns(clock, Result.Rollups);
            Days = DayGroups(clock, Result.Inserts, Result.Updates);
        }
    }

    /// <summary>Rollup changes of one meter within one local hour (which never straddles a local day).</summary>
    private struct HourRun
    {
        public long Hour;
        public int Day, Month;
        public double Sum;
        public int N, NFlag, NEst;
    }

    /// <summary>Sums consecutive changes of the same local hour: one bucket computation per hour instead of per reading.</summary>
    private static List<HourRun> HourRuns(ParkClock clock, List<RollupChange> changes)
    {
        var runs = new List<HourRun>(changes.Count / 4 + 1);
        var cur = new HourRun { Hour = long.MinValue };
        var any = false;
        foreach (var ch in changes)
        {
            var t = ch.Ts - 1;
            if (!any || t < cur.Hour || t >= cur.Hour + 3600)
            {
                if (any) runs.Add(cur);
                var (h, d, m) = clock.BucketKeys(t);
                cur = new HourRun { Hour = h, Day = d, Month = m };
                any = true;
            }
            cur.Sum += ch.Sum;
            cur.N += ch.Count;
            cur.NFlag += ch.Flagged;
            cur.NEst += ch.Estimated;
        }
        if (any) runs.Add(cur);
        return runs;
    }

    /// <summary>Changed readings (inserts and updates) grouped by local day (the day containing ts − 1 s), in time order.</summary>
    private static List<(int Day, List<StoredReading> Readings)> DayGroups(ParkClock clock, List<StoredReading> inserts, List<StoredReading> updates)
    {
        var groups = new List<(int Day, List<StoredReading> Readings)>();
        if (inserts.Count + updates.Count == 0) return groups;
        List<StoredReading> all;
        if (updates.Count == 0) all = inserts;
        else
        {
            all = [.. inserts, .. updates];
            all.Sort((a, b) => a.Ts.CompareTo(b.Ts));
        }
        // Where each local day starts in the time-ordered readings (one bucket computation per local hour).
        var starts = new List<(int Index, int Day)>();
        long hour = long.MinValue;
        for (var i = 0; i < all.Count; i++)
        {
            var t = all[i].Ts - 1;
            if (i > 0 && t >= hour && t < hour + 3600) continue;
            var (h, d, _) = clock.BucketKeys(t);
            hour = h;
            if (starts.Count == 0 || starts[^1].Day != d) starts.Add((i, d));
        }
        // The common case, a batch within one local day, keeps the list as it is.
        if (starts.Count == 1) groups.Add((starts[0].Day, all));
        else
            for (var k = 0; k < starts.Count; k++)
                groups.Add((starts[k].Day, all.GetRange(starts[k].Index, (k + 1 < starts.Count ? starts[k + 1].Index : all.Count) - starts[k].Index)));
        return groups;
    }

    /// <summary>
    /// Adds a meter's hourly runs to the hour/day/month maps of the meter and of every aggregate it feeds, one local day of
    /// runs at a time: a few dictionary updates per series-day instead of per reading.
    /// </summary>
    private static void Accumulate(long[] series, List<HourRun> runs, Dictionary<(long Series, int Day), List<HourSlot>> hours,
        Dictionary<(long, long), RollupAcc> day, Dictionary<(long, long), RollupAcc> month)
    {
        for (var i = 0; i < runs.Count;)
        {
            var d = runs[i].Day;
            var mo = runs[i].Month;
            var total = new RollupAcc();
            var j = i;
            for (; j < runs.Count && runs[j].Day == d; j++)
            {
                total.Sum += runs[j].Sum;
                total.N += runs[j].N;
                total.NFlag += runs[j].NFlag;
                total.NEst += runs[j].NEst;
            }
            foreach (var s in series)
            {
                ref var slots = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(hours, (s, d), out _);
                slots ??= new List<HourSlot>(24);
                for (var k = i; k < j; k++)
                {
                    var r = runs[k];
                    HourBlock.Add(slots, new HourSlot(r.Hour, r.Sum, r.N, r.NFlag, r.NEst));
                }
                Add(day, (s, d), total);
                Add(month, (s, mo), total);
            }
            i = j;
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
    /// fast path never reads); the others are looked up with one set-based query, and those found are merged and replaced.
    /// New chunks are inserted outright (on PostgreSQL: binary COPY straight into the table), found ones replaced.
    /// </summary>
    private async Task WriteChunksAsync(DbConnection c, DbTransaction tx, ParkClock clock, MeterWork[] work, CancellationToken ct)
    {
        var groups = new List<(long Meter, int Day, List<StoredReading> Readings)>();
        var mayExist = new List<(long Key, int Day)>();
        foreach (var m in work)
        {
            if (m.Days.Count == 0) continue;
            var lastDay = m.State.MeterId == 0 ? int.MinValue : clock.BucketKeys(m.State.Last.Ts - 1).Day;
            foreach (var (d, readings) in m.Days)
            {
                groups.Add((m.MeterId, d, readings));
                if (!m.Fast || d <= lastDay) mayExist.Add((m.MeterId, d));
            }
        }
        if (groups.Count == 0) return;
        IngestTimings.Mark("chunk-group");
        var existing = mayExist.Count == 0 ? [] : await LoadBlobsAsync(c, tx, BlobTable.Readings, mayExist, ct);
        IngestTimings.Mark("chunk-load");
        var rows = new BlobRow[groups.Count];
        Parallel.For(0, groups.Count, i =>
        {
            var (meter, d, list) = groups[i];
            var merged = existing.TryGetValue((meter, d), out var data) ? ReadingChunk.Merge(ReadingChunk.Decode(data), list) : list;
            rows[i] = new BlobRow(meter, d, merged.Count, ReadingChunk.Encode(merged));
        });
        IngestTimings.Mark("chunk-encode");
        await WriteBlobsAsync(c, tx, BlobTable.Readings, rows, existing, ct);
    }

    /// <summary>Adds the batch's hourly rollups into the series' day blocks: blocks after the series' last stored day are new;
    /// the others are looked up, and those found are decoded, added to and replaced.</summary>
    private async Task WriteHourBlocksAsync(DbConnection c, DbTransaction tx, Dictionary<(long Series, int Day), List<HourSlot>> hours,
        Dictionary<long, long[]> last, CancellationToken ct)
    {
        if (hours.Count == 0) return;
        var mayExist = new List<(long Key, int Day)>();
        foreach (var (s, d) in hours.Keys)
            if (last.TryGetValue(s, out var l) && d <= l[1]) mayExist.Add((s, d));
        var existing = mayExist.Count == 0 ? [] : await LoadBlobsAsync(c, tx, BlobTable.HourRollups, mayExist, ct);
        var rows = new BlobRow[hours.Count];
        var i = 0;
        foreach (var ((s, d), slots) in hours)
        {
            var merged = slots;
            if (existing.TryGetValue((s, d), out var data))
            {
                merged = HourBlock.Decode(data);
                foreach (var slot in slots) HourBlock.Add(merged, slot);
            }
            rows[i++] = new BlobRow(s, d, merged.Count, HourBlock.Encode(merged));
        }
        await WriteBlobsAsync(c, tx, BlobTable.HourRollups, rows, existing, ct);
    }

    /// <summary>Writes <paramref name="rows"/> (sorted by key and day for index locality): the keys in
    /// <paramref name="existing"/> replace their rows, the others are new rows.</summary>
    private Task WriteBlobsAsync(DbConnection c, DbTransaction tx, BlobTable table, BlobRow[] rows, Dictionary<(long Key, int Day), byte[]> existing, CancellationToken ct)
    {
        Array.Sort(rows, (a, b) => a.Key != b.Key ? a.Key.CompareTo(b.Key) : a.Day.CompareTo(b.Day));
        var inserts = new List<BlobRow>(rows.Length);
        var replaces = new List<BlobRow>();
        foreach (var r in rows) (existing.ContainsKey((r.Key, r.Day)) ? replaces : inserts).Add(r);
        return WriteBlobsAsync(c, tx, table, inserts, replaces, ct);
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

    /// <summary>A table of encoded day blocks keyed by (key, local day): meter-day reading chunks (<see cref="ReadingChunk"/>)
    /// or series-day hourly rollups (<see cref="HourBlock"/>).</summary>
    protected internal sealed record BlobTable(string Name, string KeyColumn, bool HasCount)
    {
        public static readonly BlobTable Readings = new("readings", "meter_id", true);
        public static readonly BlobTable HourRollups = new("rollup_hours", "series_id", false);
    }

    /// <summary>One block to write; <see cref="N"/> (readings in the chunk) is stored only where the table has a count.</summary>
    protected internal readonly record struct BlobRow(long Key, int Day, int N, byte[] Data);

    /// <summary>Inserts <paramref name="inserts"/> (keys known to be absent: checked under the park's write lock) and replaces
    /// the blocks of <paramref name="replaces"/>.</summary>
    protected abstract Task WriteBlobsAsync(DbConnection c, DbTransaction tx, BlobTable table, List<BlobRow> inserts, List<BlobRow> replaces, CancellationToken ct);

    /// <summary>Reads the blocks that exist among <paramref name="keys"/>.</summary>
    protected abstract Task<Dictionary<(long Key, int Day), byte[]>> LoadBlobsAsync(DbConnection c, DbTransaction tx, BlobTable table, List<(long Key, int Day)> keys, CancellationToken ct);

    /// <summary>Adds the changes to the rollup table, creating rows as needed.</summary>
    protected abstract Task UpsertRollupsAsync(DbConnection c, DbTransaction tx, string table, RollupRows rows, CancellationToken ct);

    protected abstract Task UpsertStatesAsync(DbConnection c, DbTransaction tx, List<MeterState> states, CancellationToken ct);
}
