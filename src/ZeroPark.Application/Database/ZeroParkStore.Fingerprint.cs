using Dapper;

namespace ZeroPark.Application;

public abstract partial class ZeroParkStore
{
    /// <summary>A cheap signature of a park's data for caches of derived figures: the registry version, the sum and maximum of the
    /// meters' latest reading times (any meter receiving a newer reading changes it) and the newest audit entry (manual entries,
    /// corrections, replacements, gap fills, tariffs, plans and registry changes are all audited). It does not see a late
    /// reading older than its meter's latest one arriving through ingest; caches bound their age for that (see CardCache).</summary>
    public async Task<string> DataFingerprintAsync(string parkCode, CancellationToken ct = default)
    {
        var park = await Registry.GetParkAsync(parkCode, ct);
        await using var c = await OpenConnectionAsync(ct);
        var r = await c.QueryFirstAsync<(long?, long?, long?, long?)>(
            "SELECT (SELECT registry_version FROM parks WHERE id = @id), " +
            "(SELECT SUM(s.last_ts) FROM meter_state s JOIN meters m ON m.id = s.meter_id WHERE m.park_id = @id), " +
            "(SELECT MAX(s.last_ts) FROM meter_state s JOIN meters m ON m.id = s.meter_id WHERE m.park_id = @id), " +
            "(SELECT MAX(id) FROM audit_log)", new { id = park.Id.Value });
        return $"{r.Item1}:{r.Item2}:{r.Item3}:{r.Item4}";
    }
}
