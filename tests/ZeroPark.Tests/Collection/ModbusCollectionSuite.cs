using Microsoft.Extensions.Logging.Abstractions;
using ZeroPark.Application;
using ZeroPark.Application.Collection;
using ZeroPark.Collection;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.Collection;

/// <summary>Modbus TCP collection against the pymodbus simulator (Debian's python3-pymodbus), on SQLite and PostgreSQL
/// (subclasses at the end): register maps decoded into readings through ingest, idempotent polls, an illegal address, and a
/// device that stops answering (the simulator frozen with SIGSTOP) going offline and coming back.</summary>
public abstract class ModbusCollectionSuite : IAsyncLifetime
{
    private const string Park = CollectionPark.Park;
    protected ZeroParkStore Store { get; private set; } = null!;

    protected abstract string NewDatabase();

    public async Task InitializeAsync()
    {
        Store = await ZeroParkStore.OpenAsync(NewDatabase());
        await CollectionPark.SeedAsync(Store);
    }

    public async Task DisposeAsync() => await Store.DisposeAsync();

    /// <summary>Unit 1: holding 0–1 uint32 123456 (0x0001E240); holding 20 uint16 655; holding 30–33 float64 230.25
    /// (0x406CC80000000000); input 10–11 float32 23.5 with the low word first (0x0000, 0x41BC).</summary>
    private static Task<ModbusSimulator> SimulatorAsync() => ModbusSimulator.StartAsync(new()
    {
        [1] = (new() { [0] = [0x0001, 0xE240], [20] = [655], [30] = [0x406C, 0xC800, 0, 0] }, new() { [10] = [0x0000, 0x41BC] }),
    });

    private const string Map = """
        meter,table,address,type,word_order,byte_order,scale,unit
        m1,holding,0,uint32,big,big,0.1,kWh
        h1,holding,20,uint16,big,big,0.1,%
        kw1,holding,30,float64,big,big,1,kW
        t1,input,10,float32,little,big,1,°C
        nope,holding,40,int16,big,big,1,
        """;

    [Fact]
    public async Task A_register_map_is_polled_decoded_and_stored_once_per_instant()
    {
        await using var sim = await SimulatorAsync();
        await Store.Collection.AddModbusDeviceAsync(Park, new ModbusDeviceDraft("pdu1", "127.0.0.1", sim.Port, 1) { IntervalSeconds = 15, TimeoutMs = 2000, Retries = 1 });
        var (device, rejected) = await Store.Collection.ImportModbusMapAsync(Park, "pdu1", Map);
        // The row of an unknown meter is rejected by name; the four others are the map.
        Assert.Contains("meter nope", rejected.Single().Reason);
        Assert.Equal(["m1", "h1", "kw1", "t1"], device.Map.Select(p => p.Meter));
        Assert.Equal(Map.Split('\n')[0].Trim() + "\n", ModbusMapFile.ToCsv([]));

        var poller = new ModbusPoller(device, Store, NullLogger.Instance);
        await using var client = new ModbusTcpClient("127.0.0.1", sim.Port, TimeSpan.FromSeconds(2));
        var at = DateTimeOffset.UtcNow.AddHours(-3);
        at = DateTimeOffset.FromUnixTimeSeconds(at.ToUnixTimeSeconds() / 15 * 15);
        Assert.Equal((4, 0), await poller.PollAsync(client, ModbusPoller.PlanReads(device.Map), at, default));
        var latest = (await Store.Queries.LatestReadingsAsync(Park)).ToDictionary(l => l.Meter);
        // 123456 × 0.1 = 12345.6 kWh; 655 × 0.1 = 65.5 %; 230.25 kW; 23.5 °C.
        Assert.Equal(12345.6, latest["m1"].Value, 9);
        Assert.Equal(65.5, latest["h1"].Value, 9);
        Assert.Equal(230.25, latest["kw1"].Value);
        Assert.Equal(23.5, latest["t1"].Value);
        Assert.Equal(at, latest["m1"].At);
        // Polling the same instant again stores nothing new (duplicates).
        Assert.Equal((4, 0), await poller.PollAsync(client, ModbusPoller.PlanReads(device.Map), at, default));
        var day = DateOnly.FromDateTime(at.ToOffset(TimeSpan.FromHours(8)).DateTime);
        Assert.Equal(1, (await CollectionPark.CountAsync(Store, "m1", day, day)).Received);
        var health = (await new CollectionHealthService(Store).HealthAsync(Park)).Single(h => h.Kind == "modbus");
        Assert.Equal(("pdu1", 8L, 0L, 15), (health.Name, health.Readings, health.Errors, health.IntervalSeconds));
    }

    [Fact]
    public async Task An_illegal_address_is_an_error_of_that_point_and_the_others_are_stored()
    {
        await using var sim = await SimulatorAsync();
        await Store.Collection.AddModbusDeviceAsync(Park, new ModbusDeviceDraft("pdu2", "127.0.0.1", sim.Port, 1) { Retries = 2 });
        var device = await Store.Collection.SetModbusMapAsync(Park, "pdu2",
        [
            new ModbusPoint("m1", RegisterTable.Holding, 0, RegisterType.UInt32, WordOrder.Big, WordOrder.Big, 0.1, "kWh"),
            // The simulator holds 1100 registers: 5000 is an illegal data address (exception 2), asked once (no retry: same answer).
            new ModbusPoint("t1", RegisterTable.Input, 5000, RegisterType.Float32, WordOrder.Big, WordOrder.Big, 1, null),
        ]);
        var poller = new ModbusPoller(device, Store, NullLogger.Instance);
        await using var client = new ModbusTcpClient("127.0.0.1", sim.Port, TimeSpan.FromSeconds(2));
        var at = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeSeconds() / 60 * 60);
        Assert.Equal((1, 1), await poller.PollAsync(client, ModbusPoller.PlanReads(device.Map), at, default));
        var health = (await new CollectionHealthService(Store).HealthAsync(Park)).Single(h => h.Kind == "modbus");
        Assert.Contains("illegal data address", health.LastError);
        Assert.Contains("input registers 5000..5001", health.LastError);
        Assert.Contains("(after 3 attempt(s))", health.LastError);
        await Assert.ThrowsAsync<ValidationException>(() => Store.Collection.SetModbusMapAsync(Park, "pdu2",
            [new ModbusPoint("m1", RegisterTable.Holding, 0, RegisterType.UInt32, WordOrder.Big, WordOrder.Big, 1, "MWh")]));
    }

    [Fact]
    public async Task A_device_that_stops_answering_goes_offline_with_its_timeout_and_comes_back()
    {
        await using var sim = await SimulatorAsync();
        await Store.Collection.AddModbusDeviceAsync(Park, new ModbusDeviceDraft("pdu3", "127.0.0.1", sim.Port, 1) { IntervalSeconds = 1, TimeoutMs = 300, Retries = 1 });
        await Store.Collection.SetModbusMapAsync(Park, "pdu3", [new ModbusPoint("kw1", RegisterTable.Holding, 30, RegisterType.Float64, WordOrder.Big, WordOrder.Big, 1, null)]);
        var health = new CollectionHealthService(Store);
        async Task<SourceHealthView> Pdu3() => (await health.HealthAsync(Park, missedIntervals: 3)).Single(h => h.Name == "pdu3");

        using var stop = new CancellationTokenSource();
        var run = new CollectionRunner(Store) { RefreshInterval = TimeSpan.FromSeconds(1) }.RunAsync(stop.Token);
        try
        {
            await Peers.WaitForAsync(async () => (await Pdu3()) is { State: "online", Readings: >= 2 }, TimeSpan.FromSeconds(60), "pdu3 online");
            sim.Freeze();
            // No answer within 300 ms, twice (1 retry): an error naming the timeout; after 3 s without a reading: offline.
            await Peers.WaitForAsync(async () => (await Pdu3()) is { State: "offline", Errors: >= 1 }, TimeSpan.FromSeconds(60), "pdu3 offline");
            var off = await Pdu3();
            Assert.Contains("no answer from 127.0.0.1", off.LastError);
            Assert.Contains("within 300 ms", off.LastError);
            Assert.Contains(await health.OfflineSourcesAsync(Park), h => h.Source == off.Source && h.State == "offline");
            sim.Thaw();
            await Peers.WaitForAsync(async () => (await Pdu3()).State == "online", TimeSpan.FromSeconds(60), "pdu3 back online");
        }
        finally
        {
            sim.Thaw();
            await stop.CancelAsync();
            await run;
        }
    }
}

public sealed class SqliteModbusCollectionTests : ModbusCollectionSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

public sealed class PostgresModbusCollectionTests : ModbusCollectionSuite
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL collection tests need ZEROPARK_TEST_PG; run ./scripts/test.sh (it starts a server on 127.0.0.1)")
        : TestDatabases.NewPostgresDatabase();
}
