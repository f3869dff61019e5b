using System.Diagnostics;
using System.Globalization;
using System.Text;
using Dapper;
using ZeroPark.Application;
using ZeroPark.Application.Collection;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.Collection;

/// <summary>MQTT collection against a real Mosquitto (Debian's package, started on a free loopback port per test), on SQLite and
/// PostgreSQL (subclasses at the end): every payload form through the ingest path, bad messages counted without stopping the
/// subscription, the persistent session across a restart, and the kill -9 drill of <c>zeropark collect</c>.</summary>
public abstract class MqttCollectionSuite : IAsyncLifetime
{
    private const string Park = CollectionPark.Park;
    protected ZeroParkStore Store { get; private set; } = null!;
    private string _db = "";

    protected abstract string NewDatabase();

    public async Task InitializeAsync()
    {
        _db = NewDatabase();
        Store = await ZeroParkStore.OpenAsync(_db);
        await CollectionPark.SeedAsync(Store);
    }

    public async Task DisposeAsync() => await Store.DisposeAsync();

    /// <summary>The day the test readings lie on: two days ago in UTC+8 (inside the future tolerance, clear of "today").</summary>
    private static readonly DateOnly Day = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8).AddDays(-2));
    private static string Ts(int minutes) => $"{Day.ToDateTime(TimeOnly.MinValue).AddMinutes(minutes):yyyy-MM-dd'T'HH:mm:ss}+08:00";

    private async Task<(CancellationTokenSource Stop, Task Run)> StartRunnerAsync(MqttSubscription sub)
    {
        var stop = new CancellationTokenSource();
        var run = new CollectionRunner(Store) { RefreshInterval = TimeSpan.FromSeconds(1) }.RunAsync(stop.Token);
        var park = await Store.Registry.GetParkAsync(Park);
        // Subscribed = the collector recorded its connection in the source's health.
        await Peers.WaitForAsync(async () => (await Store.Collection.HealthRowsAsync(park.Id.Value, 10, default)).Any(r => r.Source == sub.SourceKey),
            TimeSpan.FromSeconds(60), "the MQTT subscription");
        return (stop, run);
    }

    private async Task WaitForReadingsAsync(string meter, int n, TimeSpan? timeout = null) =>
        await Peers.WaitForAsync(async () => (await CollectionPark.CountAsync(Store, meter, Day, Day.AddDays(1))).Received >= n,
            timeout ?? TimeSpan.FromSeconds(60), $"{n} readings of {meter}");

    [Fact]
    public async Task Every_payload_form_is_stored_through_ingest_and_bad_messages_are_counted_without_stopping_the_subscription()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var sub = await Store.Collection.AddMqttAsync(Park, new MqttDraft(broker.Url, "zp/{park}/{meter}") { Name = "gw1" });
        Assert.Equal(("127.0.0.1", broker.Port, "zp/+/+", $"zeropark-{Park}-{sub.Id}"), (sub.Host, sub.Port, sub.Template.Filter, sub.ClientId));
        var (stop, run) = await StartRunnerAsync(sub);
        using var pub = await broker.PublisherAsync();
        // m1 (cumulative kWh): one JSON reading, a JSON batch of two, a JSON array of one.
        await MosquittoBroker.PublishAsync(pub, "zp/p1/m1", $$"""{"ts": "{{Ts(15)}}", "value": 1000}""");
        await MosquittoBroker.PublishAsync(pub, "zp/p1/m1", $$"""{"points": [{"ts": "{{Ts(30)}}", "value": 1010}, {"ts": "{{Ts(45)}}", "value": 1025}]}""");
        await MosquittoBroker.PublishAsync(pub, "zp/p1/m1", $$"""[{"ts": "{{Ts(60)}}", "value": 1030}]""");
        // t1 (gauge °C): InfluxDB line protocol naming the meter by its measurement, nanosecond timestamp.
        var ns = (new DateTimeOffset(Day.ToDateTime(new TimeOnly(0, 15)), TimeSpan.FromHours(8)).ToUnixTimeSeconds() * 1_000_000_000L).ToString(CultureInfo.InvariantCulture);
        await MosquittoBroker.PublishAsync(pub, "zp/p1/t1", $"t1 value=21.5 {ns}");
        // Three bad messages: malformed JSON, an unknown meter, another park's topic.
        await MosquittoBroker.PublishAsync(pub, "zp/p1/m1", """{"ts": """);
        await MosquittoBroker.PublishAsync(pub, "zp/p1/nope", $$"""{"ts": "{{Ts(15)}}", "value": 5}""");
        await MosquittoBroker.PublishAsync(pub, "zp/p2/m1", $$"""{"ts": "{{Ts(15)}}", "value": 5}""");
        // The subscription goes on: a good reading after them is stored.
        await MosquittoBroker.PublishAsync(pub, "zp/p1/m1", $$"""{"ts": "{{Ts(75)}}", "value": 1040}""");
        // h1 (gauge %): a bare number, stamped with its arrival.
        await MosquittoBroker.PublishAsync(pub, "zp/p1/h1", "55");
        await WaitForReadingsAsync("m1", 5);
        var park = await Store.Registry.GetParkAsync(Park);
        await Peers.WaitForAsync(async () => (await Store.Collection.HealthRowsAsync(park.Id.Value, 10, default)).Single(r => r.Source == sub.SourceKey) is { Readings: 7, Errors: 3 },
            TimeSpan.FromSeconds(60), "7 readings and 3 errors in the health");
        await stop.CancelAsync();
        await run;

        // m1: 5 readings 1000 → 1040: the day's energy is 1040 − 1000 = 40 kWh.
        var m1 = await CollectionPark.CountAsync(Store, "m1", Day, Day);
        Assert.Equal((5, 40.0), (m1.Received, Math.Round(m1.Total, 9)));
        // t1: one gauge reading, 21.5 °C: the day's average is 21.5.
        var t1 = await Store.Queries.SeriesAsync(Park, SeriesTarget.Meter("t1"), Day, Day, ZeroPark.Domain.Granularity.Day);
        Assert.Equal(21.5, t1.Buckets[0].Value);
        var h1 = (await Store.Queries.LatestReadingsAsync(Park)).Single(l => l.Meter == "h1");
        Assert.Equal(55, h1.Value);
        // The same ingest path as every source: the ingest log names the subscription.
        await using (var c = await Store.OpenConnectionAsync())
            Assert.True(await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ingest_log WHERE source = 'mqtt' AND user_name = 'mqtt:gw1'") >= 1);
        var health = (await new CollectionHealthService(Store).HealthAsync(Park)).Single(h => h.Source == sub.SourceKey);
        Assert.Equal(("mqtt", "gw1", "online", 7L, 3L), (health.Kind, health.Name, health.State, health.Readings, health.Errors));
        Assert.NotNull(health.LastError);
        Assert.StartsWith("zp/p", health.LastError);   // the topic of the last bad message comes first
    }

    [Fact]
    public async Task Readings_published_while_collection_is_down_arrive_after_it_restarts()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var sub = await Store.Collection.AddMqttAsync(Park, new MqttDraft(broker.Url, "site/{meter}/energy") { Name = "site" });
        var (stop, run) = await StartRunnerAsync(sub);
        await stop.CancelAsync();
        await run;
        using var pub = await broker.PublisherAsync();
        for (var i = 0; i < 20; i++)
            await MosquittoBroker.PublishAsync(pub, "site/m1/energy", $$"""{"ts": "{{Ts(15 * (i + 1))}}", "value": {{500 + 3 * i}}}""");
        (stop, run) = await StartRunnerAsync(sub);
        await WaitForReadingsAsync("m1", 20);
        await stop.CancelAsync();
        await run;
        // 20 readings 500, 503, …, 557: 19 steps of 3 kWh = 57 kWh.
        var m1 = await CollectionPark.CountAsync(Store, "m1", Day, Day.AddDays(1));
        Assert.Equal((20, 57.0), (m1.Received, Math.Round(m1.Total, 9)));
    }

    [Fact]
    public async Task Kill_9_in_the_middle_of_a_stream_loses_nothing_and_counts_nothing_twice()
    {
        const int n = 600;
        await using var broker = await MosquittoBroker.StartAsync();
        // The contract command, as the team's checks run it.
        var add = await ZeroPark.Tests.Cli.CliRunner.RunAsync("mqtt", "add", "--db", _db, "--park", Park, "--broker", broker.Url, "--topic", "zp/{park}/{meter}");
        Assert.True(add.ExitCode == 0, add.Err);
        Assert.Contains("filter zp/+/+", add.Out);
        using var pub = await broker.PublisherAsync();

        var first = await CollectProcess.StartAsync(_db);
        // The publisher streams n readings of m1, one a minute of park time, 1000 + 2.5 i kWh, while the collector runs and dies.
        var publishing = Task.Run(async () =>
        {
            for (var i = 0; i < n; i++)
            {
                await MosquittoBroker.PublishAsync(pub, "zp/p1/m1", $$"""{"ts": "{{Ts(i + 1)}}", "value": {{(1000 + 2.5 * i).ToString(CultureInfo.InvariantCulture)}}}""");
                if (i % 20 == 19) await Task.Delay(15);
            }
        });
        await Peers.WaitForAsync(async () => (await CollectionPark.CountAsync(Store, "m1", Day, Day.AddDays(1))).Received >= n / 5,
            TimeSpan.FromSeconds(120), "a fifth of the stream stored before the kill");
        first.Kill9();
        var atKill = (await CollectionPark.CountAsync(Store, "m1", Day, Day.AddDays(1))).Received;
        await publishing;
        Assert.True(atKill < n, $"the collector was killed after the whole stream ({atKill} readings): no drill");

        var second = await CollectProcess.StartAsync(_db);
        try
        {
            await WaitForReadingsAsync("m1", n, TimeSpan.FromSeconds(180));
            // Settled: whatever the broker still redelivers is a duplicate.
            await Task.Delay(1500);
        }
        finally
        {
            await second.StopAsync();
        }
        // n readings 1000, 1002.5, …: (n − 1) steps of 2.5 kWh = 599 × 2.5 = 1497.5 kWh.
        var m1 = await CollectionPark.CountAsync(Store, "m1", Day, Day.AddDays(1));
        Assert.Equal((n, 1497.5), (m1.Received, Math.Round(m1.Total, 9)));
    }
}

/// <summary><c>zeropark collect</c> as a child process (the built CLI), started and waited for until its subscription is up.</summary>
internal sealed class CollectProcess
{
    private readonly Process _p;
    private readonly StringBuilder _out = new();
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private CollectProcess(Process p) => _p = p;

    public static async Task<CollectProcess> StartAsync(string db)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "zeropark.dll"));
        foreach (var a in new[] { "collect", "--db", db, "--refresh", "1" }) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var p = new CollectProcess(Process.Start(psi)!);
        p._p.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (p._out) p._out.AppendLine(e.Data);
            if (e.Data.Contains("subscribed to", StringComparison.Ordinal)) p._subscribed.TrySetResult();
        };
        p._p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (p._out) p._out.AppendLine(e.Data); };
        p._p.BeginOutputReadLine();
        p._p.BeginErrorReadLine();
        var done = await Task.WhenAny(p._subscribed.Task, p._p.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(90)));
        if (done != p._subscribed.Task)
        {
            p.Kill9();
            throw new TimeoutException("zeropark collect did not subscribe: " + p.Output);
        }
        return p;
    }

    public string Output { get { lock (_out) return _out.ToString(); } }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public void Kill9()
    {
        try { _p.Kill(entireProcessTree: true); _p.WaitForExit(30_000); } catch (InvalidOperationException) { }
    }

    public async Task StopAsync()
    {
        Kill9();
        await Task.CompletedTask;
        _p.Dispose();
    }
}

public sealed class SqliteMqttCollectionTests : MqttCollectionSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

public sealed class PostgresMqttCollectionTests : MqttCollectionSuite
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL collection tests need ZEROPARK_TEST_PG; run ./scripts/test.sh (it starts a server on 127.0.0.1)")
        : TestDatabases.NewPostgresDatabase();
}
