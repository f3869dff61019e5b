// Row classes below are filled by Dapper through reflection.
#pragma warning disable CS0649
using System.Data.Common;
using System.Globalization;
using Dapper;
using ZeroPark.Domain;
using ZeroPark.Metering;
using BlobRow = ZeroPark.Application.ZeroParkStore.BlobRow;
using BlobTable = ZeroPark.Application.ZeroParkStore.BlobTable;
using RollupRows = ZeroPark.Application.ZeroParkStore.RollupRows;

namespace ZeroPark.Application.Readings;

/// <summary>The write side of readings (module <c>Readings</c>): ingest with incremental rollups, meter replacement, manual
/// entry and gap filling, suspected resets, voiding and recomputation, over the shared database object (whose dialect writes
/// the blocks, rollups and meter states in bulk).</summary>
public sealed partial class ReadingStore(ZeroParkStore db) : IDisposable
{
    private Task<DbConnection> OpenConnectionAsync(CancellationToken ct = default) => db.OpenConnectionAsync(ct);
    private TimeProvider Clock => db.Clock;
    private StoreKind Kind => db.Kind;
    private Task<ParkRegistry> GetRegistryAsync(string parkCode, CancellationToken ct = default) => db.Registry.GetRegistryAsync(parkCode, ct);

    private readonly SemaphoreSlim _writeGate = new(1, 1);

    /// <summary>Releases the write gate (the database object disposes its readings store).</summary>
    public void Dispose() => _writeGate.Dispose();

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
        var statuses = detail ? new PointStatus?[points.Count] : null;
        var (byMeter, rejected) = ResolveAll(reg, points, source.Flags, statuses, FutureLimit());
        IngestTimings.Mark("resolve");
        var (accepted, duplicates, corrected) = await ApplyAsync(reg, byMeter, source, rejected.Count, (index, r) =>
        {
            if (r.Outcome == PointOutcome.Rejected) rejected.Add(new RowError(points[index].Line, r.Reason!));
            if (statuses is not null)
            {
                var p = points[index];
                statuses[index] = new PointStatus(p.Line, p.MeterCode, p.Timestamp, r.Outcome.ToString().ToLowerInvariant(), r.Reason, r.PreviousValue);
            }
        }, reportAccepted: statuses is not null, ct);
        rejected.Sort((a, b) => a.Line.CompareTo(b.Line));
        return new IngestSummary(accepted, duplicates, corrected, rejected) { Points = statuses?.Select(s => s!).ToList() };
    }

    /// <summary>Records a meter replacement at <paramref name="at"/>: the old meter's final register value and the new
    /// meter's initial value. Consumption up to the swap is old final − previous reading; later deltas start from the
    /// new initial value.</summary>
    public async Task<IngestSummary> ReplaceMeterAsync(string parkCode, string meterCode, DateTimeOffset at, double oldFinal, double newInitial,
        string user, string? reason, CancellationToken ct = default)
    {
        TextLimits.Check("reason", reason, TextLimits.Text);
        var reg = await GetRegistryAsync(parkCode, ct);
        var m = reg.Meter(meterCode);
        if (m.Kind != MeterKind.Cumulative) throw new ValidationException("meter", $"meter '{meterCode}' is not a cumulative register");
        if (oldFinal < 0 || double.IsNaN(oldFinal)) throw new ValidationException("old_final", "must be a non-negative number");
        if (at > FutureLimit()) throw new ValidationException("at", $"{at:yyyy-MM-dd'T'HH:mm:sszzz} is later than the server clock allows (now + the future tolerance)");
        if (ReadingInstants.Problem(at) is { } early) throw new ValidationException("at", early);
        var byMeter = new Dictionary<long, List<MeterPoint>>
        {
            [m.Id.Value] = [new MeterPoint(at.ToUnixTimeSeconds(), newInitial, 0, ReadingFlags.Replacement | ReadingFlags.Manual, oldFinal)],
        };
        var rejected = new List<RowError>();
        var (a, d, c) = await ApplyAsync(reg, byMeter, new IngestSource("replacement", user) { Reason = reason }, 0,
            (_, r) => { if (r.Outcome == PointOutcome.Rejected) rejected.Add(new RowError(1, r.Reason!)); }, reportAccepted: false, ct);
        return new IngestSummary(a, d, c, rejected);
    }

    /// <summary>Resolves the points' meter codes and groups them per meter, in batch order; rejected points are reported
    /// (and their status set). Large batches are split into as many ranges as there are cores, resolved in parallel,
    /// whose per-meter lists are then joined in range order.</summary>
    private static (Dictionary<long, List<MeterPoint>> ByMeter, List<RowError> Rejected) ResolveAll(ParkRegistry reg, IReadOnlyList<RawPoint> points,
        ReadingFlags flags, PointStatus?[]? statuses, DateTimeOffset futureLimit)
    {
        var slots = reg.Slots;
        var count = points.Count;
        var parts = count >= 20_000 ? Environment.ProcessorCount : 1;
        // The points are read in place (no copy of each 56-byte point through the interface indexer).
        var array = points as RawPoint[];
        var list = points as List<RawPoint>;
        if (array is null && list is null) array = [.. points];
        // Per meter, the first range's list is sized for the whole batch spread evenly over the park's meters (a day of
        // 15-minute readings: 96 each), so joining the other ranges' lists into it does not grow it.
        var perMeter = Math.Clamp(count / Math.Max(1, slots.Meters.Length) + 1, 4, 1024);
        var lists = new List<MeterPoint>?[parts][];
        var errors = new List<RowError>[parts];
        Parallel.For(0, parts, part =>
        {
            ReadOnlySpan<RawPoint> span = array ?? System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list);
            var mine = new List<MeterPoint>?[slots.Meters.Length];
            var errs = new List<RowError>();
            var capacity = part == 0 ? perMeter : perMeter / parts + 1;
            string? lastCode = null;
            List<MeterPoint>? current = null;
            for (int i = (int)((long)count * part / parts), end = (int)((long)count * (part + 1) / parts); i < end; i++)
            {
                ref readonly var p = ref span[i];
                // Instants before 2000 cannot be encoded (chunks and hour blocks count up from 1970): refused here for every
                // source, so that one such point never fails its batch.
                if (p.Timestamp < ReadingInstants.Earliest)
                {
                    var early = "timestamp: " + ReadingInstants.Problem(p.Timestamp);
                    errs.Add(new RowError(p.Line, early));
                    if (statuses is not null) statuses[i] = new PointStatus(p.Line, p.MeterCode, p.Timestamp, "rejected", early, null);
                    continue;
                }
                // Files and gateways often send a meter's points one after another: skip the lookup when the code repeats.
                if (!ReferenceEquals(p.MeterCode, lastCode) || p.IntervalStart is not null)
                {
                    var reason = slots.ByCode.TryGetValue(p.MeterCode, out var slot) ? Check(reg.Clock, slots.Meters[slot], p) : UnknownMeter(reg, p);
                    reason ??= TooFarAhead(p, futureLimit);
                    if (reason is not null)
                    {
                        errs.Add(new RowError(p.Line, reason));
                        if (statuses is not null) statuses[i] = new PointStatus(p.Line, p.MeterCode, p.Timestamp, "rejected", reason, null);
                        lastCode = null;
                        continue;
                    }
                    current = mine[slot] ??= new List<MeterPoint>(capacity);
                    lastCode = p.IntervalStart is null ? p.MeterCode : null;
                }
                else if (TooFarAhead(p, futureLimit) is { } ahead)
                {
                    errs.Add(new RowError(p.Line, ahead));
                    if (statuses is not null) statuses[i] = new PointStatus(p.Line, p.MeterCode, p.Timestamp, "rejected", ahead, null);
                    continue;
                }
                current!.Add(new MeterPoint(p.Timestamp.ToUnixTimeSeconds(), p.Value, i, flags));
            }
            lists[part] = mine;
            errors[part] = errs;
        });
        var byMeter = new Dictionary<long, List<MeterPoint>>();
        for (var slot = 0; slot < slots.Meters.Length; slot++)
        {
            List<MeterPoint>? joined = null;
            for (var part = 0; part < parts; part++)
            {
                if (lists[part][slot] is not { } l) continue;
                if (joined is null) joined = l;
                else joined.AddRange(l);
            }
            if (joined is not null) byMeter[slots.Meters[slot].Id.Value] = joined;
        }
        return (byMeter, parts == 1 ? errors[0] : [.. errors.SelectMany(e => e)]);
    }

    private static string UnknownMeter(ParkRegistry reg, in RawPoint p) => $"meter: unknown meter code '{p.MeterCode}' in park '{reg.Park.Code}'";

    /// <summary>Why a point of a known meter cannot be taken as it stands (its explicit interval start), or null.</summary>
    private static string? Check(ParkClock clock, Meter meter, in RawPoint p)
    {
        if (p.IntervalStart is { } start)
        {
            if (meter.Kind != MeterKind.Interval) return $"start: meter '{meter.Code}' is {Codes.Of(meter.Kind)}; only interval meters take an interval start";
            var len = p.Timestamp - start;
            if (!RegisterEngine.IntervalFits(meter, clock, start.ToUnixTimeSeconds(), p.Timestamp.ToUnixTimeSeconds()))
                return string.Create(CultureInfo.InvariantCulture, $"start: interval of {len.TotalMinutes} min does not match meter '{meter.Code}' interval of {meter.Interval.TotalMinutes} min");
        }
        return null;
    }

    private async Task<(int Accepted, int Duplicates, int Corrected)> ApplyAsync(ParkRegistry reg, Dictionary<long, List<MeterPoint>> byMeter,
        IngestSource source, int rejectedBefore, Action<int, PointResult> onResult, bool reportAccepted, CancellationToken ct, bool wholeHistory = false,
        System.Runtime.CompilerServices.StrongBox<int>? changed = null)
    {
        if (byMeter.Count == 0 && rejectedBefore == 0) return (0, 0, 0);
        var isSqlite = Kind == StoreKind.Sqlite;
        if (isSqlite) await _writeGate.WaitAsync(ct);
        try
        {
            await using var c = await OpenConnectionAsync(ct);
            await using var tx = await c.BeginTransactionAsync(ct);
            await db.LockParkAsync(c, tx, reg.Park.Id.Value, ct);
            IngestTimings.Mark("open");
            // All of the park's meter states: the batch's meters need theirs, and aggregates need their members' last buckets.
            var states = await LoadStatesAsync(c, tx, reg.Park.Id.Value);
            IngestTimings.Mark("states");
            var batch = await PrepareAsync(c, tx, reg, byMeter, source, states, rejectedBefore, onResult, reportAccepted, ct, wholeHistory);
            await WriteAsync(c, tx, batch, states, ct);
            await tx.CommitAsync(ct);
            if (changed is not null) changed.Value = batch.Changed;
            IngestTimings.Mark("log+commit");
            return (batch.Accepted, batch.Duplicates, batch.Corrected);
        }
        finally
        {
            if (isSqlite) _writeGate.Release();
        }
    }

    /// <summary>A batch run through the engine and ready to be written: each meter's work, the outcome counts, the audit
    /// entries, the new meter states and the rollup changes.</summary>
    private sealed class PreparedBatch(ParkRegistry registry, IngestSource source, MeterWork[] work)
    {
        public ParkRegistry Registry { get; } = registry;
        public IngestSource Source { get; } = source;
        public MeterWork[] Work { get; } = work;
        public int Accepted, Duplicates, Corrected, Rejected;
        /// <summary>Stored readings whose value, delta or flags changed.</summary>
        public int Changed;
        public List<(string Action, string Target, string? Old, string New)> Audits { get; } = [];
        /// <summary>States of meters whose batch was newer than everything stored (known without reading back).</summary>
        public List<MeterState> NewStates { get; } = [];
        /// <summary>Meters whose stored history changed: their states are read back after the write.</summary>
        public List<long> SlowMeters { get; } = [];
        public Dictionary<(long Series, int Day), List<HourSlot>> Hours { get; set; } = [];
        public Dictionary<(long, long), RollupAcc> Month { get; set; } = [];
    }

    /// <summary>
    /// Runs a batch through the engine against the meter <paramref name="states"/>: contexts, deltas and flags, outcomes
    /// (reported through <paramref name="onResult"/>; accepted points only when <paramref name="reportAccepted"/>), audit
    /// entries and rollup changes. Meters whose batch reaches into stored history have their stored readings read.
    /// </summary>
    private static async Task<PreparedBatch> PrepareAsync(DbConnection c, DbTransaction tx, ParkRegistry reg, Dictionary<long, List<MeterPoint>> byMeter,
        IngestSource source, Dictionary<long, MeterState> states, int rejectedBefore, Action<int, PointResult> onResult, bool reportAccepted, CancellationToken ct,
        bool wholeHistory = false)
    {
        var clock = reg.Clock;
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
            // Whole history (a meter's reset rule changed): every stored reading is recomputed.
            if (wholeHistory) (minTs, maxTs) = (1, long.MaxValue);
            // A drop as the latest reading waits for the next one (the glitch rule): it is recomputed with the batch.
            var fast = !wholeHistory && (state.MeterId == 0 || (minTs > state.Last.Ts && !IsOpenDrop(state.Last)));
            var ctx = fast
                ? (state.MeterId == 0 ? MeterContext.Empty : new MeterContext(state.Last, state.Base, [], true))
                : await LoadContextAsync(c, tx, clock, meterId, minTs, maxTs, 8, ct);
            work[w++] = new MeterWork(meterId, reg.MetersById[meterId], pts, state, fast, minTs, maxTs, ctx);
        }
        IngestTimings.Mark("ctx");
        // The engine is pure, and so is sorting its output into local days and hours: meters are processed in parallel.
        Parallel.For(0, work.Length, new ParallelOptions { CancellationToken = ct }, k => work[k].Run(clock));
        IngestTimings.Mark("engine");
        // Where recomputation changed a reading past the loaded context, load a longer tail and run again (rare).
        foreach (var item in work)
        {
            for (var tail = 64; item.Result!.NeedsMoreTail; tail *= 4)
            {
                item.Context = await LoadContextAsync(c, tx, clock, item.MeterId, item.MinTs, item.MaxTs, tail, ct);
                item.Run(clock);
            }
        }
        var batch = new PreparedBatch(reg, source, work) { Rejected = rejectedBefore };
        foreach (var item in work)
        {
            var meter = item.Meter;
            var result = item.Result!;
            if (result.AcceptedPoints is { } all)
            {
                // The engine's append path: every point accepted.
                batch.Accepted += all.Count;
                if (reportAccepted)
                    foreach (var p in all) onResult(p.Index, new PointResult(p.Index, PointOutcome.Accepted));
            }
            else
            {
                foreach (var r in result.Results)
                {
                    switch (r.Outcome)
                    {
                        case PointOutcome.Accepted: batch.Accepted++; break;
                        case PointOutcome.Duplicate: batch.Duplicates++; break;
                        case PointOutcome.Corrected: batch.Corrected++; break;
                        default: batch.Rejected++; break;
                    }
                    if (reportAccepted || r.Outcome != PointOutcome.Accepted) onResult(r.Index, r);
                }
            }
            if (item.Fast)
            {
                if (result.Inserts.Count > 0) batch.NewStates.Add(StateAfter(item.MeterId, item.State, result.Inserts));
            }
            else if (result.Inserts.Count + result.Updates.Count > 0)
            {
                batch.SlowMeters.Add(item.MeterId);
            }
            // A confirmation keeps the value: it is audited as such (below), not as a correction.
            foreach (var (ts, old, @new) in source.Kind.StartsWith("confirm:", StringComparison.Ordinal) ? [] : result.Corrections)
                batch.Audits.Add(("correct", $"{meter.Code}@{Iso(clock, ts)}", old.ToString("R", CultureInfo.InvariantCulture), @new.ToString("R", CultureInfo.InvariantCulture)));
            if (source.Kind.StartsWith("confirm:", StringComparison.Ordinal) && result.Updates.Count > 0)
            {
                var resolution = source.Kind["confirm:".Length..];
                if (result.Updates.Find(u => u.Ts == item.MinTs) is { OldFinal: { } final })
                    resolution += " old_final=" + final.ToString("R", CultureInfo.InvariantCulture);
                batch.Audits.Add(("confirm_reset", $"{meter.Code}@{Iso(clock, item.MinTs)}", "suspected_reset", resolution));
            }
            batch.Changed += result.Updates.Count;
            // A recomputation of a meter's whole history (its reset rule changed, or readings stored under older rules).
            if (source.Kind == "recompute" && item.State.MeterId != 0)
                batch.Audits.Add(("recompute", meter.Code, null, $"{result.Updates.Count} readings changed"));
            if (source.Kind is "manual" or "replacement")
            {
                foreach (var r in result.Inserts)
                    batch.Audits.Add((source.Kind == "manual" ? "manual_entry" : "replace", $"{meter.Code}@{Iso(clock, r.Ts)}",
                        r.OldFinal?.ToString("R", CultureInfo.InvariantCulture), r.Value.ToString("R", CultureInfo.InvariantCulture)));
            }
        }
        (batch.Hours, batch.Month) = AccumulateAll(reg, work);
        IngestTimings.Mark("accumulate");
        return batch;
    }

    /// <summary>Writes a prepared batch (its readings, audit entries, rollups, meter states and the ingest log entry) in
    /// the caller's transaction; <paramref name="states"/> are the meter states it was prepared against.</summary>
    private async Task WriteAsync(DbConnection c, DbTransaction tx, PreparedBatch batch, Dictionary<long, MeterState> states, CancellationToken ct)
    {
        var reg = batch.Registry;
        var source = batch.Source;
        await WriteChunksAsync(c, tx, batch.Work, ct);
        await WriteResetSuspectsAsync(c, tx, batch.Work);
        foreach (var (action, target, old, @new) in batch.Audits)
            await db.AuditAsync(c, tx, reg.Park.Id.Value, source.User, action, "reading", target, source.Reason, old, @new);
        IngestTimings.Mark("chunk-write");
        // No rollup row of a series exists after the bucket of its last stored reading (for an aggregate: the latest of its
        // members'), so rows beyond it are appended; only the others need an upsert.
        var last = LastBuckets(reg, reg.Clock, states);
        await WriteHourBlocksAsync(c, tx, batch.Hours, last, ct);
        IngestTimings.Mark("hour+day-rollups");
        await db.UpsertRollupsAsync(c, tx, "rollup_month", ToRows(batch.Month, last, 2), ct);
        IngestTimings.Mark("month-rollups");
        var newStates = batch.NewStates;
        foreach (var m in batch.SlowMeters)
        {
            if (await ReadStateAsync(c, tx, m, ct) is { } s) newStates.Add(s);
        }
        if (newStates.Count > 0) await db.UpsertStatesAsync(c, tx, newStates, states, ct);
        IngestTimings.Mark("state-write");
        await c.ExecuteAsync(
            "INSERT INTO ingest_log (park_id, at, source, user_name, batch_key, accepted, duplicates, corrected, rejected) VALUES (@p, @at, @s, @u, @k, @a, @d, @c, @r)",
            new { p = reg.Park.Id.Value, at = Clock.GetUtcNow().ToUnixTimeSeconds(), s = source.Kind, u = source.User, k = source.BatchKey, a = batch.Accepted, d = batch.Duplicates, c = batch.Corrected, r = batch.Rejected }, tx);
    }

    /// <summary>Keeps <c>reset_suspects</c> in step with the readings: a written reading flagged as a suspected reset is listed,
    /// an updated one that no longer is (confirmed, or no drop any more) is removed.</summary>
    private static async Task WriteResetSuspectsAsync(DbConnection c, DbTransaction tx, MeterWork[] work)
    {
        foreach (var m in work)
            if (m.Meter.Kind == MeterKind.Cumulative) await WriteResetSuspectsAsync(c, tx, m.MeterId, m.Result!.Inserts, m.Result.Updates);
    }

    private static async Task WriteResetSuspectsAsync(DbConnection c, DbTransaction tx, long meterId, List<StoredReading> inserts, List<StoredReading> updates)
    {
        var add = new List<object>();
        var remove = new List<object>();
        foreach (var r in inserts)
            if ((r.Flags & ReadingFlags.Suspect) != 0) add.Add(new { meter = meterId, ts = r.Ts, value = r.Value });
        foreach (var r in updates)
            ((r.Flags & ReadingFlags.Suspect) != 0 ? add : remove).Add(new { meter = meterId, ts = r.Ts, value = r.Value });
        if (remove.Count > 0) await c.ExecuteAsync("DELETE FROM reset_suspects WHERE meter_id = @meter AND ts = @ts", remove, tx);
        if (add.Count > 0)
            await c.ExecuteAsync("INSERT INTO reset_suspects (meter_id, ts, value) VALUES (@meter, @ts, @value) ON CONFLICT (meter_id, ts) DO UPDATE SET value = excluded.value", add, tx);
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
        /// <summary>Per entry of <see cref="Days"/>: the encoded chunk when it is new (the batch is newer than everything
        /// stored and the day after the last stored reading's), else null (the stored chunk may exist and is merged).</summary>
        public byte[]?[] NewChunks { get; private set; } = [];

        public void Run(ParkClock clock)
        {
            Result = RegisterEngine.Process(Meter, Context, points);
            Hours = HourRuns(clock, Result.Rollups);
            Days = DayGroups(clock, Result.Inserts, Result.Updates);
            var lastDay = State.MeterId == 0 ? int.MinValue : clock.BucketKeys(State.Last.Ts - 1).Day;
            NewChunks = new byte[]?[Days.Count];
            for (var i = 0; i < Days.Count; i++)
                if (Fast && Days[i].Day > lastDay) NewChunks[i] = ReadingChunk.Encode(Days[i].Readings);
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

    /// <summary>The hour and month rollup changes of every series the batch touches (a day's total is its hours'). Large
    /// batches are summed in parallel, each core taking a share of the series (the shares are disjoint, so joining them only
    /// moves entries).</summary>
    private static (Dictionary<(long Series, int Day), List<HourSlot>> Hours, Dictionary<(long, long), RollupAcc> Month) AccumulateAll(ParkRegistry reg, MeterWork[] work)
    {
        var parts = work.Length >= 256 ? Environment.ProcessorCount : 1;
        var results = new (Dictionary<(long, int), List<HourSlot>> Hours, Dictionary<(long, long), RollupAcc> Month)[parts];
        Parallel.For(0, parts, part =>
        {
            var r = (new Dictionary<(long, int), List<HourSlot>>(), new Dictionary<(long, long), RollupAcc>());
            foreach (var item in work) Accumulate(reg.SeriesOfMeter[item.MeterId], item.Hours, r.Item1, r.Item2, parts, part);
            results[part] = r;
        });
        var all = results[0];
        for (var k = 1; k < parts; k++)
        {
            foreach (var (key, v) in results[k].Hours) all.Hours.Add(key, v);
            foreach (var (key, v) in results[k].Month) all.Month.Add(key, v);
        }
        return all;
    }

    /// <summary>
    /// Adds a meter's hourly runs to the hour and month maps of the meter and of every aggregate it feeds, one local day of
    /// runs at a time: a few dictionary updates per series-day instead of per reading.
    /// </summary>
    private static void Accumulate(long[] series, List<HourRun> runs, Dictionary<(long Series, int Day), List<HourSlot>> hours,
        Dictionary<(long, long), RollupAcc> month, int parts, int part)
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
                if (parts > 1 && (int)((ulong)s % (ulong)parts) != part) continue;
                ref var slots = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(hours, (s, d), out _);
                slots ??= new List<HourSlot>(24);
                var cursor = 0;
                for (var k = i; k < j; k++)
                {
                    var r = runs[k];
                    HourBlock.Add(slots, new HourSlot(r.Hour, r.Sum, r.N, r.NFlag, r.NEst), ref cursor);
                }
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
    private async Task WriteChunksAsync(DbConnection c, DbTransaction tx, MeterWork[] work, CancellationToken ct)
    {
        var rows = new List<BlobRow>();
        var merge = new List<(long Meter, int Day, List<StoredReading> Readings)>();
        foreach (var m in work)
        {
            for (var i = 0; i < m.Days.Count; i++)
            {
                var (d, readings) = m.Days[i];
                if (m.NewChunks[i] is { } data) rows.Add(new BlobRow(m.MeterId, d, readings.Count, data));
                else merge.Add((m.MeterId, d, readings));
            }
        }
        Dictionary<(long Key, int Day), byte[]> existing = [];
        if (merge.Count > 0)
        {
            existing = await db.LoadBlobsAsync(c, tx, BlobTable.Readings, [.. merge.Select(g => (g.Meter, g.Day))], ct);
            foreach (var (meter, d, list) in merge)
            {
                var merged = existing.TryGetValue((meter, d), out var data) ? ReadingChunk.Merge(ReadingChunk.Decode(data), list) : list;
                rows.Add(new BlobRow(meter, d, merged.Count, ReadingChunk.Encode(merged)));
            }
        }
        if (rows.Count > 0) await WriteBlobsAsync(c, tx, BlobTable.Readings, [.. rows], existing, ct);
    }

    /// <summary>Adds the batch's hourly rollups into the series' day blocks: blocks after the series' last stored day are new;
    /// the others are looked up, and those found are decoded, added to and replaced. Each block is written with its day's
    /// totals, which are the daily rollup.</summary>
    private async Task WriteHourBlocksAsync(DbConnection c, DbTransaction tx, Dictionary<(long Series, int Day), List<HourSlot>> hours,
        Dictionary<long, long[]> last, CancellationToken ct)
    {
        if (hours.Count == 0) return;
        var mayExist = new List<(long Key, int Day)>();
        foreach (var (s, d) in hours.Keys)
            if (last.TryGetValue(s, out var l) && d <= l[1]) mayExist.Add((s, d));
        var existing = mayExist.Count == 0 ? [] : await db.LoadBlobsAsync(c, tx, BlobTable.HourRollups, mayExist, ct);
        var entries = hours.ToArray();
        var rows = new BlobRow[entries.Length];
        Parallel.For(0, entries.Length, i =>
        {
            var ((s, d), slots) = entries[i];
            var merged = slots;
            if (existing.TryGetValue((s, d), out var data))
            {
                merged = HourBlock.Decode(data);
                foreach (var slot in slots) HourBlock.Add(merged, slot);
            }
            var total = HourBlock.Total(merged);
            rows[i] = new BlobRow(s, d, total.N, HourBlock.Encode(merged), total.Sum, total.NFlag, total.NEst);
        });
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
        return db.WriteBlobsAsync(c, tx, table, inserts, replaces, ct);
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
                    // The first load stops at the first valid base after the batch; a longer one (the engine asked for more:
                    // that base did not stay one, or a run of readings that are no base went on) takes the whole tail.
                    if (r.IsValidBase && tail <= 8) { reachesEnd = false; done = true; break; }
                }
                if (done) break;
            }
        }
        // Stopping at the first valid base after the batch leaves ReachesEnd false (conservative): if that reading's validity
        // changes, the engine asks for a longer tail and this runs again.
        // A drop just before the batch is decided by the reading after it (the glitch rule): it is recomputed with the batch.
        if (before is { } b && IsOpenDrop(b)) return await LoadContextAsync(c, tx, clock, meterId, b.Ts, maxTs, tail, ct);
        return new MeterContext(before, baseBefore, existing, reachesEnd);
    }

    /// <summary>A drop that no person confirmed: whether it stays a suspected (or automatic) reset or is a suspected bad
    /// reading depends on the reading after it.</summary>
    private static bool IsOpenDrop(in StoredReading r) =>
        (r.Flags & (ReadingFlags.SuspectedReset | ReadingFlags.SuspectedBadReading | ReadingFlags.Reset)) != 0 && (r.Flags & RegisterEngine.ConfirmFlags) == 0;
}
