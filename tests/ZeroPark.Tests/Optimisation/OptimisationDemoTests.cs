using System.Text.Json;
using ZeroPark.Application;
using ZeroPark.Application.Readings;
using ZeroPark.Cli.Demo;
using ZeroPark.Domain;
using ZeroPark.Tests.EnergyManagement;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.Optimisation;

/// <summary>The demo's room temperature gauges and the over-cooled-rooms suggestion its load stores: a small demo (80 meters, 40 days
/// from 2025-01-01) run in-process, on SQLite and PostgreSQL.</summary>
public abstract class OptimisationDemoSuite
{
    protected abstract string NewDatabase();

    private static Task<JsonElement> Json(params string[] args) => InProcessCli.JsonAsync(args);

    [Fact]
    public async Task The_demo_records_room_temperatures_and_suggests_raising_the_over_cooled_room()
    {
        var db = NewDatabase();
        var r = await InProcessCli.DemoAsync(db, meters: 80, days: 40);

        // Every room has a cold-aisle gauge (room_air, °C, hourly): an in-range room at its level 22.5 + 2 × ((3·7 + 1·3 + 1·5) mod 8) / 7 =
        // 22.5 + 2 × 5 / 7 = 23.93 °C, 0.3 K × sin(2π (1 − 105) / 365) = −0.29 K in January: ≈ 23.6 °C on 1 January (diurnal term averages out).
        var meters = await Json("meters", "list", "--db", db, "--park", "demo", "--format", "json");
        var rooms = meters.EnumerateArray().Where(m => m.GetProperty("carrier").GetString() == "room_air").ToList();
        Assert.Equal(16 + 4, rooms.Count);                                   // 16 rooms' temperatures, 4 rooms' humidity
        var normal = (await Json("series", "--db", db, "--park", "demo", "--meter", "b3_f1_r1_t_inlet", "--from", "2025-01-01", "--to", "2025-01-01", "--format", "json"))[0];
        Assert.Equal("°C", normal.GetProperty("unit").GetString());
        Assert.InRange(normal.GetProperty("value").GetDouble(), 23.4, 23.9);
        // The over-cooled room runs at 18.8 °C over the last 100 days (all 40 here).
        var cold = (await Json("series", "--db", db, "--park", "demo", "--meter", DemoPark.RoomInletMeter(DemoPark.OvercooledRoom), "--from", "2025-01-01", "--to", "2025-01-01", "--format", "json"))[0];
        Assert.InRange(cold.GetProperty("value").GetDouble(), 18.6, 19.0);

        // The demo's analysis (the last 30 complete days) found exactly that room.
        var list = await Json("suggestions", "list", "--db", db, "--park", "demo", "--format", "json");
        var room = Assert.Single(list.EnumerateArray(), s => s.GetProperty("kind").GetString() == "over_cooled_room");
        Assert.Equal(DemoPark.OvercooledRoom, room.GetProperty("subject").GetString());
        var fig = room.GetProperty("figures");
        // P90 of 18.8 + 0.4 sin(…) + noise (σ 0.3): about 18.8 + 0.37 + 0.2 ≈ 19.4 °C; raise 24 − P90 at 3 %/K.
        var p90 = fig.GetProperty("p90_c").GetDouble();
        Assert.InRange(p90, 19.0, 19.8);
        Assert.Equal((24 - p90) * 0.03, fig.GetProperty("saving_share").GetDouble(), 4);
        Assert.Equal(720, fig.GetProperty("hours").GetDouble());
        // The room's cooling is its IT share of building 3's cooling (4 rooms with random racks: about a quarter).
        await using (var store = await ZeroParkStore.OpenAsync(db))
        {
            var from = DateOnly.Parse(room.GetProperty("window_from").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            var to = DateOnly.Parse(room.GetProperty("window_to").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            var b3 = await store.Queries.SeriesAsync("demo", SeriesTarget.Node("b3", system: "cooling"), from, to, Granularity.Month);
            var b3It = await store.Queries.SeriesAsync("demo", SeriesTarget.Node("b3", role: MeterRole.ItLoad), from, to, Granularity.Month);
            var roomIt = await store.Queries.SeriesAsync("demo", SeriesTarget.Node(DemoPark.OvercooledRoom, role: MeterRole.ItLoad), from, to, Granularity.Month);
            var expected = b3.Total * roomIt.Total / b3It.Total;      // the IT share is nearly constant hour to hour
            Assert.Equal(expected, fig.GetProperty("room_cooling_kwh").GetDouble(), expected * 0.01);
            Assert.Equal(fig.GetProperty("room_cooling_kwh").GetDouble() * fig.GetProperty("saving_share").GetDouble() * 365 / 30, room.GetProperty("saving_kwh").GetDouble(), 1);
        }
        Assert.True(room.GetProperty("saving_cny").GetDouble() > 0 && room.GetProperty("saving_tco2e").GetDouble() > 0);
        Assert.Contains(DemoPark.RoomInletMeter(DemoPark.OvercooledRoom), room.GetProperty("evidence").GetString(), StringComparison.Ordinal);
    }
}

[Collection(EnergyCliConsoleCollection.Name)]
public sealed class SqliteOptimisationDemoTests : OptimisationDemoSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

[Collection(EnergyCliConsoleCollection.Name)]
public sealed class PostgresOptimisationDemoTests : OptimisationDemoSuite
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL tests need ZEROPARK_TEST_PG; run ./scripts/test.sh")
        : TestDatabases.NewPostgresDatabase();
}
