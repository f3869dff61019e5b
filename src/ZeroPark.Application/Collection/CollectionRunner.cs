using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ZeroPark.Application.Collection;

/// <summary>
/// Runs every configured collection source (MQTT subscriptions, Modbus devices, folders and URLs) until stopped: the body of
/// <c>zeropark collect</c> and of the hosted service in <c>zeropark serve</c>. The configuration is re-read every
/// <see cref="RefreshInterval"/>: a source added, changed or removed (CLI, API, web UI; any process) is started, restarted or stopped
/// without restarting the process.
/// </summary>
public sealed class CollectionRunner(ZeroParkStore store, ILoggerFactory? loggers = null)
{
    private readonly ILoggerFactory _loggers = loggers ?? NullLoggerFactory.Instance;

    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromSeconds(10);

    private sealed record Running(object Config, CancellationTokenSource Stop, Task Task);

    public async Task RunAsync(CancellationToken ct)
    {
        var log = _loggers.CreateLogger("ZeroPark.Collection");
        var running = new Dictionary<string, Running>();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    var wanted = new Dictionary<string, (object Config, Func<CancellationToken, Task> Run)>();
                    foreach (var s in await store.Collection.ListMqttAsync(null, ct))
                        if (s.Enabled) wanted[s.SourceKey] = (s, t => new MqttCollector(s, store, log).RunAsync(t));
                    foreach (var d in await store.Collection.ListModbusDevicesAsync(null, ct))
                        if (d.Enabled && d.Map.Count > 0) wanted[d.SourceKey] = (d with { Map = d.Map.ToList() }, t => new ModbusPoller(d, store, log).RunAsync(t));
                    foreach (var f in await store.Collection.ListFoldersAsync(null, ct))
                        if (f.Enabled) wanted[f.SourceKey] = (f, t => new FolderCollector(f, store, log).RunAsync(t));
                    foreach (var (key, r) in running.ToList())
                        if (!wanted.TryGetValue(key, out var w) || !SameConfig(w.Config, r.Config))
                        {
                            await r.Stop.CancelAsync();
                            await r.Task;
                            r.Stop.Dispose();
                            running.Remove(key);
                            log.LogInformation("collection: stopped {Source}", key);
                        }
                    foreach (var (key, w) in wanted)
                        if (!running.ContainsKey(key))
                        {
                            var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
                            var run = w.Run;
                            running[key] = new Running(w.Config, stop, Task.Run(async () =>
                            {
                                try { await run(stop.Token); }
                                catch (OperationCanceledException) { }
                                catch (Exception e) { log.LogError("collection: {Source} ended: {Reason}", key, e.Message); }
                            }, CancellationToken.None));
                            log.LogInformation("collection: started {Source}", key);
                        }
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested) { break; }
                catch (Exception e)
                {
                    log.LogWarning("collection: configuration not read: {Reason}", e.Message);
                }
                try { await Task.Delay(RefreshInterval, ct); }
                catch (OperationCanceledException) { break; }
            }
        }
        finally
        {
            foreach (var r in running.Values) await r.Stop.CancelAsync();
            await Task.WhenAll(running.Values.Select(r => r.Task));
            foreach (var r in running.Values) r.Stop.Dispose();
        }
    }

    private static bool SameConfig(object a, object b) => a switch
    {
        ModbusDevice x when b is ModbusDevice y => x with { Map = [] } == y with { Map = [] } && x.Map.SequenceEqual(y.Map),
        _ => a.Equals(b),
    };
}
