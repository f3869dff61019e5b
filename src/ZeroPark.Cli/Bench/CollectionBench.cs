using System.Buffers.Binary;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Protocol;
using ZeroPark.Application;
using ZeroPark.Application.Collection;
using ZeroPark.Collection;

namespace ZeroPark.Cli.Bench;

/// <summary>
/// <c>zeropark bench mqtt --db D</c> (issue 13): (1) MQTT readings per second sustained into the store: a fresh park of
/// <c>--meters</c> cumulative meters, one subscription <c>zp/{park}/{meter}</c> collected in-process by the production
/// <see cref="MqttCollector"/> (QoS 1, batches acknowledged after commit), <c>--readings</c> JSON readings published at QoS 1 by 4
/// publishers to a broker on loopback (<c>--broker</c>, or Debian's mosquitto started on a free 127.0.0.1 port with a generated
/// configuration), timed from the first publish until every reading is committed; (2) the polling load of <c>--modbus-meters</c>
/// Modbus meters at <c>--modbus-interval</c> s: devices of 10 meters (uint32 registers) answered by a minimal in-process Modbus TCP
/// responder on loopback, polled by the production <see cref="ModbusPoller"/> (read, decode, ingest, health) for 20 cycles back to
/// back: the time one cycle takes, and that time as a share of the interval.
/// </summary>
internal static class CollectionBench
{
    public static Command Create()
    {
        var db = new Option<string>("--db") { Required = true, Description = "SQLite file path or PostgreSQL connection string (a bench park is added)" };
        var broker = new Option<string?>("--broker") { Description = "mqtt://127.0.0.1:PORT (default: start /usr/sbin/mosquitto on a free loopback port)" };
        var meters = new Option<int>("--meters") { DefaultValueFactory = _ => 200 };
        var readings = new Option<int>("--readings") { DefaultValueFactory = _ => 50_000 };
        var modbusMeters = new Option<int>("--modbus-meters") { DefaultValueFactory = _ => 200 };
        var modbusInterval = new Option<int>("--modbus-interval") { DefaultValueFactory = _ => 15 };
        var cmd = new Command("mqtt", "MQTT readings/s sustained into the store (broker on loopback) and the polling load of Modbus meters")
            { db, broker, meters, readings, modbusMeters, modbusInterval };
        cmd.SetAction(async (pr, ct) =>
        {
            await using var store = await ZeroParkStore.OpenAsync(pr.GetValue(db)!, ct: ct);
            var c = CultureInfo.InvariantCulture;
            Process? mosquitto = null;
            string? confDir = null;
            var url = pr.GetValue(broker);
            try
            {
                if (url is null)
                {
                    (mosquitto, confDir, url) = await StartMosquittoAsync(ct);
                }
                var (n, seconds, publishSeconds) = await MqttAsync(store, url, Math.Max(1, pr.GetValue(meters)), Math.Max(1, pr.GetValue(readings)), ct);
                Console.WriteLine(string.Create(c, $"mqtt: {n:N0} readings of {pr.GetValue(meters)} meters, QoS 1, {store.Kind.ToString().ToLowerInvariant()} store: " +
                                                   $"{n / seconds:N0} readings/s sustained ({seconds:0.00} s to the last commit; published in {publishSeconds:0.00} s)"));
            }
            finally
            {
                if (mosquitto is not null)
                {
                    try { mosquitto.Kill(); await mosquitto.WaitForExitAsync(CancellationToken.None); } catch (InvalidOperationException) { }
                    mosquitto.Dispose();
                }
                if (confDir is not null) Directory.Delete(confDir, true);
            }
            var (cycle, mm, interval, readingsPerS) = await ModbusAsync(store, Math.Max(10, pr.GetValue(modbusMeters)), Math.Max(1, pr.GetValue(modbusInterval)), ct);
            Console.WriteLine(string.Create(c, $"modbus: {mm} meters ({mm / 10} devices × 10) every {interval} s = {mm / (double)interval:0.0} readings/s; one poll cycle of all devices " +
                                               $"takes {cycle * 1000:0} ms (read + decode + ingest + health) = {cycle / interval:P1} of the interval; capacity ≈ {readingsPerS:N0} readings/s"));
            return 0;
        });
        return cmd;
    }

    private static async Task<(Process, string, string)> StartMosquittoAsync(CancellationToken ct)
    {
        const string exe = "/usr/sbin/mosquitto";
        if (!File.Exists(exe)) throw new ValidationException("broker", "no --broker and no /usr/sbin/mosquitto (apt-get install mosquitto)");
        int port;
        using (var l = new TcpListener(IPAddress.Loopback, 0)) { l.Start(); port = ((IPEndPoint)l.LocalEndpoint).Port; }
        var dir = Directory.CreateTempSubdirectory("zp-bench-mqtt-").FullName;
        var conf = Path.Combine(dir, "mosquitto.conf");
        await File.WriteAllTextAsync(conf, $"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 0\nmax_inflight_messages 0\n", ct);
        var p = Process.Start(new ProcessStartInfo(exe, ["-c", conf]) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true })!;
        for (var i = 0; i < 100; i++)
        {
            try { using var t = new TcpClient(); await t.ConnectAsync(IPAddress.Loopback, port, ct); break; }
            catch (SocketException) { await Task.Delay(100, ct); }
        }
        return (p, dir, $"mqtt://127.0.0.1:{port}");
    }

    private static async Task<string> BenchParkAsync(ZeroParkStore store, string prefix, int meters, string codePrefix)
    {
        var park = prefix + Guid.NewGuid().ToString("N")[..6];
        await store.Registry.CreateParkAsync(new ParkDraft(park, "bench " + prefix, "Asia/Shanghai"), "bench");
        await store.Registry.CreateMetersAsync(park, Enumerable.Range(0, meters)
            .Select(i => new MeterDraft($"{codePrefix}{i:0000}", $"{codePrefix} {i}", "electricity", "cumulative", "kWh")).ToList(), "bench");
        return park;
    }

    private static async Task<(long N, double Seconds, double PublishSeconds)> MqttAsync(ZeroParkStore store, string url, int meters, int readings, CancellationToken ct)
    {
        var park = await BenchParkAsync(store, "mqtt_", meters, "m");
        var sub = await store.Collection.AddMqttAsync(park, new MqttDraft(url, "zp/{park}/{meter}") { Name = "bench" }, "bench", ct);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var collector = new MqttCollector(sub, store, NullLogger.Instance).RunAsync(stop.Token);
        var parkId = (await store.Registry.GetParkAsync(park, ct)).Id.Value;
        async Task<long> StoredAsync()
        {
            await using var c = await store.OpenConnectionAsync(ct);
            return await c.ExecuteScalarAsync<long?>("SELECT SUM(accepted + duplicates + corrected) FROM ingest_log WHERE park_id = @parkId", new { parkId }) ?? 0;
        }
        // Subscribed: the collector records its connection in the health table.
        for (var i = 0; i < 300 && (await store.Collection.HealthRowsAsync(parkId, 10, ct)).Count == 0; i++) await Task.Delay(100, ct);
        var factory = new MqttClientFactory();
        var (host, port, _) = CollectionStore.ParseBroker(url);
        var t0 = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-20), TimeSpan.Zero);
        var perMeter = (readings + meters - 1) / meters;
        var total = (long)perMeter * meters;
        var sw = Stopwatch.StartNew();
        const int publishers = 4;
        await Task.WhenAll(Enumerable.Range(0, publishers).Select(async w =>
        {
            using var client = factory.CreateMqttClient();
            await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(host, port).WithClientId($"bench-pub-{w}-{Guid.NewGuid():N}"[..20]).Build(), ct);
            for (var k = 0; k < perMeter; k++)
            {
                var ts = t0.AddMinutes(k).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
                for (var m = w; m < meters; m += publishers)
                {
                    var payload = Encoding.UTF8.GetBytes($$"""{"ts": "{{ts}}", "value": {{(1000 + k * 1.5).ToString(CultureInfo.InvariantCulture)}}}""");
                    await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"zp/{park}/m{m:0000}").WithPayload(payload)
                        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), ct);
                }
            }
            await client.DisconnectAsync(cancellationToken: ct);
        }));
        var published = sw.Elapsed.TotalSeconds;
        var deadline = Stopwatch.StartNew();
        while (await StoredAsync() < total && deadline.Elapsed < TimeSpan.FromMinutes(10)) await Task.Delay(20, ct);
        var seconds = sw.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        await collector;
        return (await StoredAsync(), seconds, published);
    }

    private static async Task<(double CycleSeconds, int Meters, int Interval, double Capacity)> ModbusAsync(ZeroParkStore store, int meters, int interval, CancellationToken ct)
    {
        var devices = meters / 10;
        meters = devices * 10;
        var park = await BenchParkAsync(store, "modbus_", meters, "e");
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var server = ServeModbusAsync(listener, stop.Token);
        var pollers = new List<(ModbusPoller Poller, ModbusTcpClient Client, List<(RegisterTable, int, int, List<(ModbusPoint, int)>)> Reads)>();
        for (var d = 0; d < devices; d++)
        {
            await store.Collection.AddModbusDeviceAsync(park, new ModbusDeviceDraft($"dev{d:000}", "127.0.0.1", port, 1) { IntervalSeconds = interval }, "bench", ct);
            var map = Enumerable.Range(0, 10).Select(i => new ModbusPoint($"e{d * 10 + i:0000}", RegisterTable.Holding, i * 2, RegisterType.UInt32, WordOrder.Big, WordOrder.Big, 0.01, null)).ToList();
            var device = await store.Collection.SetModbusMapAsync(park, $"dev{d:000}", map, "bench", ct);
            pollers.Add((new ModbusPoller(device, store, NullLogger.Instance), new ModbusTcpClient("127.0.0.1", port, TimeSpan.FromSeconds(2)), ModbusPoller.PlanReads(device.Map)));
        }
        var t0 = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddDays(-5).ToUnixTimeSeconds() / interval * interval);
        const int cycles = 20;
        var times = new List<double>();
        for (var k = 0; k < cycles + 2; k++)
        {
            var sw = Stopwatch.StartNew();
            // The devices of one cycle are polled concurrently, as the collection runner does (one task per device).
            await Task.WhenAll(pollers.Select(p => p.Poller.PollAsync(p.Client, p.Reads, t0.AddSeconds(k * interval), ct)));
            if (k >= 2) times.Add(sw.Elapsed.TotalSeconds);   // the first two cycles warm up
        }
        await stop.CancelAsync();
        listener.Stop();
        try { await server; } catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { }
        foreach (var p in pollers) await p.Client.DisposeAsync();
        times.Sort();
        var median = times[times.Count / 2];
        return (median, meters, interval, meters / median);
    }

    /// <summary>A minimal Modbus TCP responder for the benchmark: answers 03/04 reads with registers that count up per request.</summary>
    private static async Task ServeModbusAsync(TcpListener listener, CancellationToken ct)
    {
        var connections = new List<Task>();
        uint counter = 0;
        while (!ct.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(ct);
            connections.Add(Task.Run(async () =>
            {
                using var c = client;
                var s = c.GetStream();
                var head = new byte[12];
                try
                {
                    while (!ct.IsCancellationRequested)
                    {
                        await s.ReadExactlyAsync(head, ct);
                        var count = BinaryPrimitives.ReadUInt16BigEndian(head.AsSpan(10));
                        var answer = new byte[9 + 2 * count];
                        head.AsSpan(0, 4).CopyTo(answer);
                        BinaryPrimitives.WriteUInt16BigEndian(answer.AsSpan(4), (ushort)(3 + 2 * count));
                        answer[6] = head[6];
                        answer[7] = head[7];
                        answer[8] = (byte)(2 * count);
                        var v = Interlocked.Increment(ref counter);
                        for (var i = 0; i + 1 < count; i += 2) BinaryPrimitives.WriteUInt32BigEndian(answer.AsSpan(9 + 2 * i), v * 100 + (uint)i);
                        await s.WriteAsync(answer, ct);
                    }
                }
                catch (Exception e) when (e is IOException or OperationCanceledException or EndOfStreamException) { }
            }, ct));
        }
        await Task.WhenAll(connections);
    }
}
