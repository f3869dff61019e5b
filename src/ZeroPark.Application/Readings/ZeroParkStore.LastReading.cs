using Dapper;

namespace ZeroPark.Application;

public abstract partial class ZeroParkStore
{
    /// <summary>The instant of the newest reading of any meter of the park (from the per-meter state), or null when it has none.</summary>
    public async Task<DateTimeOffset?> LastReadingAtAsync(string parkCode, CancellationToken ct = default)
    {
        var park = await GetParkAsync(parkCode, ct);
        await using var c = await OpenConnectionAsync(ct);
        var last = await c.ExecuteScalarAsync<long?>(
            "SELECT MAX(s.last_ts) FROM meter_state s JOIN meters m ON m.id = s.meter_id WHERE m.park_id = @id", new { id = park.Id.Value });
        return last is { } t ? park.Clock.ToLocalOffset(t) : null;
    }
}
