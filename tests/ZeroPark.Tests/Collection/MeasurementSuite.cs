using ZeroPark.Application;
using ZeroPark.Application.Collection;
using ZeroPark.Domain;
using ZeroPark.Metering;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.Collection;

/// <summary>Non-additive measurements on SQLite and PostgreSQL: gauges averaged (never summed) in series and totals, min/max per
/// bucket, week buckets, the day × hour heat map, and the instantaneous power of a group of kW meters. Figures worked by hand below.</summary>
public abstract class MeasurementSuite : IAsyncLifetime
{
    private const string Park = CollectionPark.Park;
    protected ZeroParkStore Store { get; private set; } = null!;
    private MeasurementService Measurements => new(Store);

    protected abstract string NewDatabase();

    private static readonly DateOnly Monday = new(2025, 3, 3);   // 2025-03-03 is a Monday

    private static RawPoint P(string meter, int day, int hour, int minute, double v) =>
        new(meter, new DateTimeOffset(2025, 3, day, hour, minute, 0, TimeSpan.FromHours(8)), v, 0);

    public async Task InitializeAsync()
    {
        Store = await ZeroParkStore.OpenAsync(NewDatabase());
        await CollectionPark.SeedAsync(Store);
        await Store.Registry.CreateMetersAsync(Park, [new MeterDraft("kw2", "IT power B", "electricity", "power", "kW")]);
        var s = await Store.Readings.IngestAsync(Park,
        [
            P("t1", 3, 0, 15, 10), P("t1", 3, 0, 30, 14), P("t1", 3, 1, 15, 20), P("t1", 5, 12, 0, -2), P("t1", 10, 0, 15, 5),
            P("m1", 3, 0, 15, 100), P("m1", 3, 0, 30, 110), P("m1", 3, 0, 45, 125),
            P("kw1", 3, 0, 15, 100), P("kw1", 3, 0, 30, 120), P("kw2", 3, 0, 15, 50), P("kw2", 3, 0, 45, 50),
        ], new IngestSource("test", "setup"));
        Assert.Empty(s.Rejected);
    }

    public async Task DisposeAsync() => await Store.DisposeAsync();

    [Fact]
    public async Task Gauges_are_averaged_never_summed_in_series_and_totals()
    {
        var s = await Store.Queries.SeriesAsync(Park, SeriesTarget.Meter("t1"), Monday, Monday.AddDays(7), Granularity.Day);
        Assert.True(s.IsAverage);
        // 3 March: (10 + 14 + 20) / 3 = 14.666…; 5 March: −2; 10 March: 5.
        Assert.Equal(44.0 / 3, s.Buckets[0].Value!.Value, 9);
        Assert.Equal(-2, s.Buckets[2].Value);
        Assert.Equal(5, s.Buckets[7].Value);
        // The range's figure is the mean of the 5 readings, (44 − 2 + 5) / 5 = 9.4, not the sum of the day averages (17.67).
        Assert.Equal(9.4, s.Total, 9);
        // An energy series still sums: 100 → 110 → 125 is 25 kWh.
        Assert.Equal(25, (await Store.Queries.SeriesAsync(Park, SeriesTarget.Meter("m1"), Monday, Monday, Granularity.Day)).Total, 9);
    }

    [Fact]
    public async Task Min_and_max_per_bucket_and_week_buckets()
    {
        var days = await Measurements.StatsAsync(Park, "t1", Monday, Monday.AddDays(7), "day");
        Assert.Equal((3, 44.0 / 3, 10.0, 20.0), (days.Buckets[0].Count, days.Buckets[0].Value!.Value, days.Buckets[0].Min!.Value, days.Buckets[0].Max!.Value));
        Assert.Equal((0, (double?)null), (days.Buckets[1].Count, days.Buckets[1].Value));
        // ISO weeks: 3–9 March holds 10, 14, 20, −2 (mean 42 / 4 = 10.5, min −2, max 20); 10 March starts the next week (5).
        var weeks = await Measurements.StatsAsync(Park, "t1", Monday, Monday.AddDays(7), "week");
        Assert.Equal(2, weeks.Buckets.Count);
        Assert.Equal((4, 10.5, -2.0, 20.0), (weeks.Buckets[0].Count, weeks.Buckets[0].Value!.Value, weeks.Buckets[0].Min!.Value, weeks.Buckets[0].Max!.Value));
        Assert.Equal(new DateTimeOffset(2025, 3, 10, 0, 0, 0, TimeSpan.FromHours(8)), weeks.Buckets[1].Start);
        Assert.Equal((1, 5.0), (weeks.Buckets[1].Count, weeks.Buckets[1].Value!.Value));
        // A cut week: 5 March (Wednesday) to 10 March gives 5–9 March and 10 March.
        var cut = await Measurements.StatsAsync(Park, "t1", Monday.AddDays(2), Monday.AddDays(7), "week");
        Assert.Equal([new DateTimeOffset(2025, 3, 5, 0, 0, 0, TimeSpan.FromHours(8)), new DateTimeOffset(2025, 3, 10, 0, 0, 0, TimeSpan.FromHours(8))], cut.Buckets.Select(b => b.Start));
        // Energy: the day's sum 25 kWh over 2 intervals (the first reading has no interval), smallest 10, largest 15.
        var energy = await Measurements.StatsAsync(Park, "m1", Monday, Monday, "day");
        Assert.Equal((false, 2, 25.0, 10.0, 15.0), (energy.IsAverage, energy.Buckets[0].Count, energy.Buckets[0].Value!.Value, energy.Buckets[0].Min!.Value, energy.Buckets[0].Max!.Value));
        Assert.Equal("by", (await Assert.ThrowsAsync<ValidationException>(() => Measurements.StatsAsync(Park, "t1", Monday, Monday, "year"))).Field);
    }

    [Fact]
    public async Task A_day_by_hour_heat_map_and_the_instantaneous_power_of_a_group()
    {
        var h = await Measurements.HeatMapAsync(Park, "t1", Monday, Monday.AddDays(1));
        Assert.Equal([Monday, Monday.AddDays(1)], h.Days);
        // Hour 00: (10 + 14) / 2 = 12; hour 01: 20 (the 01:15 reading belongs to 01:00–02:00); nothing else.
        Assert.Equal(12, h.Values[0][0]);
        Assert.Equal(20, h.Values[0][1]);
        Assert.Equal(2, h.Values.Sum(r => r.Count(v => v is not null)));
        // Power 00:00–01:00: kw1 averages (100 + 120) / 2 = 110 kW, kw2 (50 + 50) / 2 = 50 kW: the group draws 160 kW (2 meters).
        var p = await Measurements.PowerAsync(Park, null, Monday, Monday, "hour");
        Assert.Equal((2, 160.0), (p.Buckets[0].Count, p.Buckets[0].Value!.Value));
        Assert.Equal((0, (double?)null), (p.Buckets[1].Count, p.Buckets[1].Value));
        // By day the same two averages (the readings all fall in hour 00): 160 kW.
        Assert.Equal(160, (await Measurements.PowerAsync(Park, null, Monday, Monday, "day")).Buckets[0].Value);
    }
}

public sealed class SqliteMeasurementTests : MeasurementSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

public sealed class PostgresMeasurementTests : MeasurementSuite
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL measurement tests need ZEROPARK_TEST_PG; run ./scripts/test.sh (it starts a server on 127.0.0.1)")
        : TestDatabases.NewPostgresDatabase();
}
