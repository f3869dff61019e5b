using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;
using ZeroPark.Application;
using ZeroPark.Domain;

namespace ZeroPark.Tests.Collection;

/// <summary>The real peers of the collection tests, each started on a free 127.0.0.1 port and stopped (by its own process id) at
/// dispose: Debian's Mosquitto with a generated configuration, and a Modbus TCP simulator (modbus_sim.py over Debian's
/// python3-pymodbus). scripts/test.sh installs both (scripts/lib/install.sh).</summary>
internal static class Peers
{
    public const string Mosquitto = "/usr/sbin/mosquitto";
    public const string Python = "/usr/bin/python3";

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>Waits (at most <paramref name="timeout"/>) until <paramref name="condition"/> holds; fails with <paramref name="what"/>.</summary>
    public static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            if (await condition()) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"waited {timeout.TotalSeconds:0} s for {what}");
    }

    public static async Task WaitForPortAsync(int port, Process p, string what)
    {
        await WaitForAsync(async () =>
        {
            if (p.HasExited) throw new InvalidOperationException($"{what} exited with code {p.ExitCode}");
            try
            {
                using var c = new TcpClient();
                await c.ConnectAsync(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException) { return false; }
        }, TimeSpan.FromSeconds(30), $"{what} on port {port}");
    }
}

/// <summary>A Mosquitto broker on a free loopback port, no persistence (sessions live in its memory while it runs), anonymous
/// access, an unbounded queue for offline persistent sessions.</summary>
internal sealed class MosquittoBroker : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dir;
    public int Port { get; }
    public string Url => $"mqtt://127.0.0.1:{Port}";

    private MosquittoBroker(Process process, string dir, int port) { _process = process; _dir = dir; Port = port; }

    public static async Task<MosquittoBroker> StartAsync()
    {
        var port = Peers.FreePort();
        var dir = Path.Combine(Path.GetTempPath(), "zeropark-tests", "mosquitto-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var conf = Path.Combine(dir, "mosquitto.conf");
        await File.WriteAllTextAsync(conf, $"""
            listener {port} 127.0.0.1
            allow_anonymous true
            persistence false
            max_queued_messages 0
            max_inflight_messages 0
            log_dest stderr
            log_type error
            log_type warning
            """ + "\n");
        var psi = new ProcessStartInfo(Peers.Mosquitto) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(conf);
        var p = Process.Start(psi)!;
        p.ErrorDataReceived += (_, _) => { };
        p.OutputDataReceived += (_, _) => { };
        p.BeginErrorReadLine();
        p.BeginOutputReadLine();
        await Peers.WaitForPortAsync(port, p, "mosquitto");
        return new MosquittoBroker(p, dir, port);
    }

    /// <summary>A publishing client (QoS 1: each publish waits for the broker's PUBACK).</summary>
    public async Task<IMqttClient> PublisherAsync()
    {
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", Port).WithClientId("pub-" + Guid.NewGuid().ToString("N")[..8]).Build());
        return client;
    }

    public static Task PublishAsync(IMqttClient client, string topic, string payload) =>
        client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(Encoding.UTF8.GetBytes(payload))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

    public async ValueTask DisposeAsync()
    {
        try { if (!_process.HasExited) { _process.Kill(); await _process.WaitForExitAsync(); } } catch (InvalidOperationException) { }
        _process.Dispose();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}

/// <summary>The pymodbus simulator (tests/ZeroPark.Tests/Collection/modbus_sim.py) on a free loopback port, serving the given
/// registers per unit. <see cref="Freeze"/> stops the process (SIGSTOP): the kernel still accepts connections, nothing answers —
/// a device that stops answering; <see cref="Thaw"/> resumes it.</summary>
internal sealed class ModbusSimulator : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dir;
    public int Port { get; }

    private ModbusSimulator(Process process, string dir, int port) { _process = process; _dir = dir; Port = port; }

    /// <summary><paramref name="units"/>: unit id → (holding: address → registers, input: address → registers).</summary>
    public static async Task<ModbusSimulator> StartAsync(Dictionary<int, (Dictionary<int, ushort[]> Holding, Dictionary<int, ushort[]> Input)> units)
    {
        var port = Peers.FreePort();
        var dir = Path.Combine(Path.GetTempPath(), "zeropark-tests", "modbus-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var spec = Path.Combine(dir, "spec.json");
        var json = new Dictionary<string, object>
        {
            ["units"] = units.ToDictionary(u => u.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), u => new Dictionary<string, object>
            {
                ["holding"] = u.Value.Holding.Select(h => new object[] { h.Key, h.Value.Select(v => (int)v).ToArray() }).ToArray(),
                ["input"] = u.Value.Input.Select(h => new object[] { h.Key, h.Value.Select(v => (int)v).ToArray() }).ToArray(),
            }),
        };
        await File.WriteAllTextAsync(spec, JsonSerializer.Serialize(json));
        var script = Path.Combine(AppContext.BaseDirectory, "Collection", "modbus_sim.py");
        var psi = new ProcessStartInfo(Peers.Python) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        psi.ArgumentList.Add(spec);
        var p = Process.Start(psi)!;
        p.ErrorDataReceived += (_, _) => { };
        p.OutputDataReceived += (_, _) => { };
        p.BeginErrorReadLine();
        p.BeginOutputReadLine();
        await Peers.WaitForPortAsync(port, p, "modbus simulator");
        return new ModbusSimulator(p, dir, port);
    }

    public void Freeze() => Signal("STOP");
    public void Thaw() => Signal("CONT");

    private void Signal(string sig)
    {
        using var k = Process.Start("kill", ["-" + sig, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        k.WaitForExit(10_000);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                Thaw();
                _process.Kill();
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}

/// <summary>A small park for the collection tests: p1 (Asia/Shanghai) with a cumulative electricity meter m1 (kWh), an interval
/// meter m2 (kWh, 15 min), a power meter kw1 (kW), an outdoor temperature gauge t1 (°C) and a humidity gauge h1 (%).</summary>
internal static class CollectionPark
{
    public const string Park = "p1";

    public static async Task SeedAsync(ZeroParkStore store)
    {
        await store.Registry.CreateParkAsync(new ParkDraft(Park, "Collection park", "Asia/Shanghai"));
        await store.Registry.CreateMetersAsync(Park,
        [
            new MeterDraft("m1", "Main meter", "electricity", "cumulative", "kWh"),
            new MeterDraft("m2", "Interval meter", "electricity", "interval", "kWh"),
            new MeterDraft("kw1", "IT power", "electricity", "power", "kW"),
            new MeterDraft("t1", "Outdoor temperature", "ambient", "gauge", "°C"),
            new MeterDraft("h1", "Outdoor humidity", "ambient", "gauge", "%"),
        ]);
    }

    /// <summary>Readings stored for a meter over all local dates from..to, and the series total (sum of deltas, or mean for gauges).</summary>
    public static async Task<(int Received, double Total)> CountAsync(ZeroParkStore store, string meter, DateOnly from, DateOnly to)
    {
        var s = await store.Queries.SeriesAsync(Park, ZeroPark.Application.SeriesTarget.Meter(meter), from, to, Granularity.Day);
        return (s.Buckets.Sum(b => b.Quality.Received), s.Total);
    }
}
