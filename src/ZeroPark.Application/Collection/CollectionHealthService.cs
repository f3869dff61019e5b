using ZeroPark.Collection;

namespace ZeroPark.Application.Collection;

/// <summary>
/// Collection health (采集监控) of a park: for every gateway API key, MQTT subscription, Modbus device and folder source, the
/// last reading, readings per minute (over the last <c>window</c> whole minutes), errors with the last message, and the
/// online/offline state (offline: no reading within <c>missed</c> × the source's interval; gateway keys are expected every
/// <see cref="GatewayKeyIntervalSeconds"/>). <see cref="OfflineSourcesAsync"/> is the question the alerts module asks.
/// </summary>
public sealed class CollectionHealthService(ZeroParkStore store)
{
    /// <summary>The interval a gateway key is expected to write at (15 minutes, the usual meter interval).</summary>
    public const int GatewayKeyIntervalSeconds = 900;

    public async Task<IReadOnlyList<SourceHealthView>> HealthAsync(string parkCode, int missedIntervals = SourceHealth.DefaultMissedIntervals, int windowMinutes = 10,
        CancellationToken ct = default)
    {
        if (missedIntervals is < 1 or > 1000) throw new ValidationException("missed", $"{missedIntervals} is not between 1 and 1000");
        if (windowMinutes is < 1 or > 120) throw new ValidationException("window", $"{windowMinutes} minutes is not between 1 and 120");
        var park = await store.Registry.GetParkAsync(parkCode, ct);
        var clock = park.Clock;
        var now = store.Clock.GetUtcNow().ToUnixTimeSeconds();
        DateTimeOffset? Local(long? t) => t is { } x ? clock.ToLocalOffset(x) : null;
        var list = new List<SourceHealthView>();
        foreach (var k in await store.Collection.GatewayKeyActivityAsync(park.Id.Value, windowMinutes, ct))
            list.Add(new SourceHealthView("key:" + k.Key, "gateway_key", k.Key, GatewayKeyIntervalSeconds,
                SourceHealth.State(k.Last, GatewayKeyIntervalSeconds, now, missedIntervals), Local(k.Last), SourceHealth.PerMinute(k.Window, windowMinutes),
                k.Total, k.Rejected, null, null));
        var rows = (await store.Collection.HealthRowsAsync(park.Id.Value, windowMinutes, ct)).ToDictionary(r => r.Source);
        void Add(string source, string kind, string name, int interval)
        {
            rows.TryGetValue(source, out var r);
            list.Add(new SourceHealthView(source, kind, name, interval, SourceHealth.State(r?.LastReadingAt, interval, now, missedIntervals), Local(r?.LastReadingAt),
                SourceHealth.PerMinute(r?.WindowReadings ?? 0, windowMinutes), r?.Readings ?? 0, r?.Errors ?? 0, r?.LastError, Local(r?.LastErrorAt)));
        }
        foreach (var s in await store.Collection.ListMqttAsync(park.Code, ct)) Add(s.SourceKey, "mqtt", s.Name, s.IntervalSeconds);
        foreach (var d in await store.Collection.ListModbusDevicesAsync(park.Code, ct)) Add(d.SourceKey, "modbus", d.Code, d.IntervalSeconds);
        foreach (var f in await store.Collection.ListFoldersAsync(park.Code, ct)) Add(f.SourceKey, "folder", f.Name, f.IntervalSeconds);
        return list;
    }

    /// <summary>The park's sources that are offline or never sent a reading (for the alerts module).</summary>
    public async Task<IReadOnlyList<SourceHealthView>> OfflineSourcesAsync(string parkCode, int missedIntervals = SourceHealth.DefaultMissedIntervals, CancellationToken ct = default) =>
        (await HealthAsync(parkCode, missedIntervals, 10, ct)).Where(h => h.State != "online").ToList();
}
