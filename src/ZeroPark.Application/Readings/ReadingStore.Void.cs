using System.Data.Common;
using System.Globalization;
using Dapper;
using ZeroPark.Domain;
using ZeroPark.Metering;
using BlobRow = ZeroPark.Application.ZeroParkStore.BlobRow;
using BlobTable = ZeroPark.Application.ZeroParkStore.BlobTable;

namespace ZeroPark.Application.Readings;

public sealed partial class ReadingStore
{
    /// <summary>How far past the server clock a reading may lie (default one day): later readings are refused, each with
    /// its reason. Configured by <c>ZeroPark:FutureToleranceHours</c> (server) or <c>--future-tolerance-hours</c> (CLI).</summary>
    public TimeSpan FutureTolerance { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The latest instant a reading may have now.</summary>
    public DateTimeOffset FutureLimit() => Clock.GetUtcNow() + FutureTolerance;

    private static string? TooFarAhead(in RawPoint p, DateTimeOffset limit) =>
        p.Timestamp > limit
            ? $"timestamp: {p.Timestamp.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)} is later than the server clock allows (latest {limit.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}: now + the future tolerance)"
            : null;

    /// <summary>
    /// Voids the readings of a meter with instants in [<paramref name="from"/>, <paramref name="to"/>] (one reading: from = to):
    /// they are removed from the readings store, their rollup contributions are taken out of the meter's and its aggregates'
    /// hour, day and month rollups, every later reading's delta and flags are recomputed against the base before the range
    /// (the rollups follow), the meter's state is re-read, and one audit entry records who voided what and why — all in one
    /// transaction. The voided values are kept in the audit entry.
    /// </summary>
    public async Task<VoidResult> VoidReadingsAsync(string parkCode, string meterCode, DateTimeOffset from, DateTimeOffset to, string user, string reason,
        CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(reason)) throw new ValidationException("reason", "a reason is required to void readings");
        if (to < from) throw new ValidationException("to", "'to' is before 'from'");
        var reg = await GetRegistryAsync(parkCode, ct);
        var m = reg.Meter(meterCode);
        if (m.IsVirtual) throw new ValidationException("meter", $"meter '{m.Code}' is virtual (computed by formula); it has no readings");
        var clock = reg.Clock;
        long fromTs = from.ToUnixTimeSeconds(), toTs = to.ToUnixTimeSeconds(), id = m.Id.Value;
        var isSqlite = Kind == StoreKind.Sqlite;
        if (isSqlite) await _writeGate.WaitAsync(ct);
        try
        {
            await using var c = await OpenConnectionAsync(ct);
            await using var tx = await c.BeginTransactionAsync(ct);
            await db.LockParkAsync(c, tx, reg.Park.Id.Value, ct);
            var states = await LoadStatesAsync(c, tx, reg.Park.Id.Value);
            if (!states.ContainsKey(id)) return new VoidResult(m.Code, 0, null, null, 0);
            // The reading and the valid base before the range (the tail is read below, whole).
            var ctx = await LoadContextAsync(c, tx, clock, id, fromTs, toTs, 0, ct);
            // A drop just before the range is decided by the reading after it (the glitch rule): it is run again with the tail.
            var redoFrom = ctx.Existing.Count > 0 && ctx.Existing[0].Ts < fromTs ? ctx.Existing[0].Ts : fromTs;
            var firstDay = clock.BucketKeys(redoFrom - 1).Day;
            var days = new SortedDictionary<int, List<StoredReading>>();
            foreach (var (day, data) in await c.QueryAsync<(int Day, byte[] Data)>(
                         "SELECT day, data FROM readings WHERE meter_id = @id AND day >= @firstDay ORDER BY day", new { id, firstDay }, tx))
                days[day] = ReadingChunk.Decode(data);
            var voided = new List<StoredReading>();
            var tail = new List<StoredReading>();
            foreach (var rs in days.Values)
                foreach (var r in rs)
                {
                    if (r.Ts < redoFrom) continue;
                    (r.Ts >= fromTs && r.Ts <= toTs ? voided : tail).Add(r);
                }
            if (voided.Count == 0) return new VoidResult(m.Code, 0, null, null, 0);

            // Every later reading (and a drop just before the range), run again through the engine from the reading before,
            // with its source flags and confirmations: the engine reports the readings that change and their rollup difference.
            var result = RegisterEngine.Process(m, new MeterContext(ctx.Before, ctx.BaseBefore, tail, true), []);
            var now = result.Updates;

            // Rollups: out with the voided readings, and each changed later reading's difference.
            var changes = new List<RollupChange>();
            foreach (var r in voided) changes.Add(RegisterEngine.Contribution(r, -1));
            changes.AddRange(result.Rollups);
            var recomputed = now.Count;
            changes.Sort((a, b) => a.Ts.CompareTo(b.Ts));
            var hours = new Dictionary<(long Series, int Day), List<HourSlot>>();
            var month = new Dictionary<(long, long), RollupAcc>();
            Accumulate(reg.SeriesOfMeter[id], HourRuns(clock, changes), hours, month, 1, 0);
            var last = LastBuckets(reg, clock, states);
            await WriteHourBlocksAsync(c, tx, hours, last, ct);
            await db.UpsertRollupsAsync(c, tx, "rollup_month", ToRows(month, last, 2), ct);

            // Chunks: each changed day rewritten without the voided readings and with the recomputed ones; emptied days deleted.
            var byTs = new Dictionary<long, StoredReading>(now.Count);
            foreach (var r in now) byTs[r.Ts] = r;
            var rewrite = new List<BlobRow>();
            foreach (var (day, rs) in days)
            {
                var kept = new List<StoredReading>(rs.Count);
                var changed = false;
                foreach (var r in rs)
                {
                    if (r.Ts >= fromTs && r.Ts <= toTs) { changed = true; continue; }
                    var n = byTs.TryGetValue(r.Ts, out var x) ? x : r;
                    changed |= n != r;
                    kept.Add(n);
                }
                if (!changed) continue;
                if (kept.Count == 0) await c.ExecuteAsync("DELETE FROM readings WHERE meter_id = @id AND day = @day", new { id, day }, tx);
                else rewrite.Add(new BlobRow(id, day, kept.Count, ReadingChunk.Encode(kept)));
            }
            if (rewrite.Count > 0) await db.WriteBlobsAsync(c, tx, BlobTable.Readings, [], rewrite, ct);

            await c.ExecuteAsync("DELETE FROM reset_suspects WHERE meter_id = @id AND ts >= @fromTs AND ts <= @toTs", new { id, fromTs, toTs }, tx);
            if (m.Kind == MeterKind.Cumulative) await WriteResetSuspectsAsync(c, tx, id, [], now);
            if (await ReadStateAsync(c, tx, id, ct) is { } state) await db.UpsertStatesAsync(c, tx, [state], states, ct);
            else await c.ExecuteAsync("DELETE FROM meter_state WHERE meter_id = @id", new { id }, tx);

            var shown = string.Join(", ", voided.Take(20).Select(r => $"{Iso(clock, r.Ts)}={r.Value.ToString("R", CultureInfo.InvariantCulture)}"));
            var target = fromTs == toTs ? $"{m.Code}@{Iso(clock, fromTs)}" : $"{m.Code}@{Iso(clock, fromTs)}..{Iso(clock, toTs)}";
            await db.AuditAsync(c, tx, reg.Park.Id.Value, user, "void", "reading", target, reason.Trim(),
                voided.Count > 20 ? $"{voided.Count} readings: {shown}, …" : $"{voided.Count} readings: {shown}", null);
            await tx.CommitAsync(ct);
            return new VoidResult(m.Code, voided.Count, clock.ToLocalOffset(voided[0].Ts), clock.ToLocalOffset(voided[^1].Ts), recomputed);
        }
        finally
        {
            if (isSqlite) _writeGate.Release();
        }
    }
}
