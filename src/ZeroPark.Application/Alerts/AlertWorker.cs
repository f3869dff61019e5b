using Dapper;

namespace ZeroPark.Application.Alerts;

/// <summary>
/// One step of the server's alert loop, on the store's clock (a <see cref="TimeProvider"/>, so tests drive it with a fake clock):
/// data rules of parks that ingested since the last step (ingest only ever appends its <c>ingest_log</c> row: nothing waits for
/// alerts), a full evaluation of each park when the last one is older than <see cref="FullEvery"/>, then the due notifications.
/// </summary>
public sealed class AlertWorker(ZeroParkStore store, AlertEngine engine, AlertSender sender, TimeProvider clock)
{
    public TimeSpan FullEvery { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>What a step did.</summary>
    public sealed record StepResult(int Raised, int DataEvaluations, int FullEvaluations, int Sent, int Failed, IReadOnlyList<string> Errors);

    public async Task<StepResult> StepAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var raised = 0;
        int data = 0, full = 0;
        var errors = new List<string>();
        IReadOnlyList<(long Id, string Code, long LastIngest)> parks;
        await using (var c = await store.OpenConnectionAsync(ct))
            parks = (await c.QueryAsync<(long, string, long)>("SELECT p.id, p.code, COALESCE((SELECT MAX(l.id) FROM ingest_log l WHERE l.park_id = p.id), 0) FROM parks p ORDER BY p.code")).ToList();
        foreach (var (id, code, lastIngest) in parks)
        {
            try
            {
                // A park whose data is a recorded history is evaluated at the end of it (AlertStore.EvaluateAsOfAsync), not now.
                var at = await store.Alerts.MarkValueAsync(id, AlertStore.AsOfMark, ct) is { } asOf && asOf < now.ToUnixTimeSeconds()
                    ? DateTimeOffset.FromUnixTimeSeconds(asOf) : now;
                var lastFull = await store.Alerts.MarkValueAsync(id, "full_evaluation", ct);
                if (lastFull is null || now.ToUnixTimeSeconds() - lastFull.Value >= FullEvery.TotalSeconds)
                {
                    raised += (await engine.EvaluateAsync(code, at, null, ct)).Count;
                    await store.Alerts.SetMarkAsync(id, "full_evaluation", now.ToUnixTimeSeconds(), ct);
                    await store.Alerts.SetMarkAsync(id, "ingest_seen", lastIngest, ct);
                    full++;
                    continue;
                }
                var seen = await store.Alerts.MarkValueAsync(id, "ingest_seen", ct) ?? 0;
                if (lastIngest > seen)
                {
                    raised += (await engine.EvaluateAsync(code, at, AlertEngine.DataKinds, ct)).Count;
                    await store.Alerts.SetMarkAsync(id, "ingest_seen", lastIngest, ct);
                    data++;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One park's failure (e.g. a rule whose meter was deleted) must not stop the others.
                errors.Add($"{code}: {e.GetType().Name}: {e.Message}");
            }
        }
        var (sent, failed) = await sender.SendDueAsync(100, ct);
        return new StepResult(raised, data, full, sent, failed, errors);
    }
}
