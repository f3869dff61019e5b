using ZeroPark.Metering;

namespace ZeroPark.Storage;

/// <summary>One batch of <see cref="ZeroParkStore.IngestManyAsync"/>.</summary>
public sealed record IngestBatch(IReadOnlyList<RawPoint> Points, IngestSource Source)
{
    /// <summary>A step that must see every earlier batch stored and must happen before this batch (e.g. recording a meter
    /// replacement): the pipeline is drained, the step runs, then this batch is ingested.</summary>
    public Func<CancellationToken, Task>? Before { get; init; }
}

public abstract partial class ZeroParkStore
{
    /// <summary>
    /// Ingests batches in order, each exactly as <see cref="IngestAsync"/> would — its own transaction, the same outcomes —
    /// but pipelined: while batch N is written and committed, batch N+1 is resolved and run through the engine against the
    /// meter states batch N leaves behind. Bulk loads (file imports, the demo, the benchmark) keep both the cores and the
    /// database busy instead of taking turns.
    /// <para>Safety: when batch N+1 is written, its meters' stored states are read under the park's write lock and compared
    /// with the states it was prepared against; if anything else wrote to those meters in between (another process, a
    /// manual entry), the batch is prepared again from what is stored, inside that transaction. A batch that reaches into
    /// stored history is not prepared ahead at all. If a write fails, the batches after it are not written and the error
    /// propagates: every batch reported to <paramref name="committed"/> is stored, no other one is.</para>
    /// </summary>
    public async Task IngestManyAsync(string parkCode, IEnumerable<IngestBatch> batches, Action<IngestSummary>? committed = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        Pending? pending = null;
        Dictionary<long, MeterState>? expected = null;
        // (Not `committed?.Invoke(await …)`: without a callback that would skip the write itself.)
        void Report(IngestSummary summary) => committed?.Invoke(summary);
        // The enumerator is advanced only while nothing is in flight, so a caller may time its own production of batches.
        foreach (var batch in batches)
        {
            if (batch.Before is { } before)
            {
                if (pending is not null) Report(await WritePendingAsync(pending, ct));
                pending = null;
                expected = null;
                await before(ct);
            }
            if (expected is null && pending is not null)
            {
                // The previous batch could not be prepared ahead: its outcome decides the states this one starts from.
                Report(await WritePendingAsync(pending, ct));
                pending = null;
            }
            var write = pending is null ? null : Task.Run(() => WritePendingAsync(pending, ct), ct);
            Pending next;
            try
            {
                var reg = await GetRegistryAsync(parkCode, ct);
                expected ??= await LoadStatesAsync(reg, ct);
                next = Prepare(reg, batch, expected);
                expected = next.Prepared is { } p ? StatesAfter(expected, p) : null;
            }
            catch
            {
                if (write is not null) await Task.WhenAny(write);
                throw;
            }
            if (write is not null) Report(await write);
            pending = next;
        }
        if (pending is not null) Report(await WritePendingAsync(pending, ct));
    }

    /// <summary>A batch waiting to be written: resolved, and prepared against <see cref="Expected"/> unless it reaches into
    /// stored history (<see cref="Prepared"/> null: it then goes through <see cref="IngestAsync"/>'s path when written).
    /// <see cref="Rejected"/> holds the resolver's rejections (the first <see cref="ResolverRejected"/>), then the engine's.</summary>
    private sealed record Pending(ParkRegistry Registry, IngestBatch Batch, Dictionary<long, List<MeterPoint>> ByMeter, List<RowError> Rejected,
        int ResolverRejected, PreparedBatch? Prepared, Dictionary<long, MeterState> Expected);

    private static Pending Prepare(ParkRegistry reg, IngestBatch batch, Dictionary<long, MeterState> expected)
    {
        var (byMeter, rejected) = ResolveAll(reg, batch.Points, batch.Source.Flags, null);
        var resolverRejected = rejected.Count;
        var engineRejected = new List<RowError>();
        var prepared = PrepareAsync(null, null, reg, byMeter, batch.Source, expected, rejected.Count, Collect(batch.Points, engineRejected), reportAccepted: false, CancellationToken.None)
            .GetAwaiter().GetResult();   // without a connection the preparation never awaits: it completes synchronously
        if (prepared is not null) rejected.AddRange(engineRejected);
        return new Pending(reg, batch, byMeter, rejected, resolverRejected, prepared, expected);
    }

    private static Action<int, PointResult> Collect(IReadOnlyList<RawPoint> points, List<RowError> into) => (index, r) =>
    {
        if (r.Outcome == PointOutcome.Rejected) into.Add(new RowError(points[index].Line, r.Reason!));
    };

    private async Task<IngestSummary> WritePendingAsync(Pending pending, CancellationToken ct)
    {
        var reg = pending.Registry;
        var rejected = pending.Rejected;
        if (pending.Prepared is null)
        {
            // Reaches into stored history: the ordinary path, which reads what it needs inside its transaction.
            var (a, d, c0) = await ApplyAsync(reg, pending.ByMeter, pending.Batch.Source, rejected.Count, Collect(pending.Batch.Points, rejected), reportAccepted: false, ct);
            return Summary(a, d, c0, rejected);
        }
        var isSqlite = Kind == StoreKind.Sqlite;
        if (isSqlite) await _writeGate.WaitAsync(ct);
        try
        {
            await using var c = await OpenConnectionAsync(ct);
            await using var tx = await c.BeginTransactionAsync(ct);
            await LockParkAsync(c, tx, reg.Park.Id.Value, ct);
            var states = await LoadStatesAsync(c, tx, reg.Park.Id.Value);
            var batch = pending.Prepared;
            var unchanged = pending.ByMeter.Keys.All(m =>
                states.TryGetValue(m, out var s) == pending.Expected.TryGetValue(m, out var e) && s == e);
            if (!unchanged)
            {
                // Something else wrote to these meters since the batch was prepared: prepare it again from what is stored.
                var engineRejected = new List<RowError>();
                batch = (await PrepareAsync(c, tx, reg, pending.ByMeter, pending.Batch.Source, states, pending.ResolverRejected,
                    Collect(pending.Batch.Points, engineRejected), reportAccepted: false, ct))!;
                rejected = [.. rejected.Take(pending.ResolverRejected), .. engineRejected];
            }
            await WriteAsync(c, tx, batch, states, ct);
            await tx.CommitAsync(ct);
            return Summary(batch.Accepted, batch.Duplicates, batch.Corrected, rejected);
        }
        finally
        {
            if (isSqlite) _writeGate.Release();
        }
    }

    private static IngestSummary Summary(int accepted, int duplicates, int corrected, List<RowError> rejected)
    {
        rejected.Sort((a, b) => a.Line.CompareTo(b.Line));
        return new IngestSummary(accepted, duplicates, corrected, rejected);
    }

    /// <summary>The park's meter states as stored now (outside any write).</summary>
    private async Task<Dictionary<long, MeterState>> LoadStatesAsync(ParkRegistry reg, CancellationToken ct)
    {
        await using var c = await OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        return await LoadStatesAsync(c, tx, reg.Park.Id.Value);
    }

    /// <summary>The states after <paramref name="batch"/> is written, in the form they are stored (no delta, no old final value),
    /// so that they compare equal to what is read back.</summary>
    private static Dictionary<long, MeterState> StatesAfter(Dictionary<long, MeterState> before, PreparedBatch batch)
    {
        var after = new Dictionary<long, MeterState>(before);
        foreach (var s in batch.NewStates)
        {
            after[s.MeterId] = new MeterState(s.MeterId, new StoredReading(s.Last.Ts, s.Last.Value, 0, s.Last.Flags),
                s.Base is { } b ? new StoredReading(b.Ts, b.Value, 0, b.Flags) : null);
        }
        return after;
    }
}
