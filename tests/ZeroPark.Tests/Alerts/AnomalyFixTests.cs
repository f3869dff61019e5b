using ZeroPark.Application;
using ZeroPark.Application.Carbon;
using ZeroPark.Application.EnergyManagement;
using ZeroPark.Carbon;
using ZeroPark.Domain;
using ZeroPark.Metering;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.Alerts;

/// <summary>
/// The defects the issue names, gone: months without data flagged −100 %, a month compared with a 0.03 %-complete one flagged
/// +309,476 %, and solar panels flagged "high consumption" for producing more. Park: a 15-minute grid meter with ONE reading in
/// December 2024 (1 of 2,976 expected = 0.034 %), then every interval of January–March 2025 at 10 kWh (960 kWh/day); nothing in
/// October–November. A daily PV meter (renewable_onsite) 100 kWh/day in January–February, 150 in March.
/// </summary>
public abstract class AnomalyFixSuite : IAsyncLifetime
{
    private const string Park = "af";
    protected ZeroParkStore Store { get; private set; } = null!;
    protected abstract string NewDatabase();

    public async Task InitializeAsync()
    {
        Store = await ZeroParkStore.OpenAsync(NewDatabase());
        await Store.Registry.CreateParkAsync(new ParkDraft(Park, "anomaly park"));
        await Store.Registry.CreateMetersAsync(Park,
        [
            new MeterDraft("grid", "grid", "electricity", "interval", "kWh") { IntervalMinutes = 15, SystemCode = "power.distribution", Role = "facility_input" },
            new MeterDraft("pv", "pv", "electricity", "interval", "kWh") { IntervalMinutes = 1440, SystemCode = "energy.pv", Role = "renewable_onsite" },
        ]);
        var cst = TimeSpan.FromHours(8);
        var points = new List<RawPoint> { new("grid", new DateTimeOffset(2024, 12, 31, 23, 45, 0, cst), 10, 1) };
        var line = 1;
        for (var t = new DateTimeOffset(2025, 1, 1, 0, 15, 0, cst); t <= new DateTimeOffset(2025, 4, 1, 0, 0, 0, cst); t = t.AddMinutes(15))
            points.Add(new RawPoint("grid", t, 10, ++line));
        for (var d = new DateOnly(2025, 1, 1); d <= new DateOnly(2025, 3, 31); d = d.AddDays(1))
            points.Add(new RawPoint("pv", new DateTimeOffset(d.AddDays(1).ToDateTime(TimeOnly.MinValue), cst), d.Month == 3 ? 150 : 100, ++line));
        var s = await Store.Readings.IngestAsync(Park, points, new IngestSource("test", "tester"));
        Assert.Empty(s.Rejected);
    }

    public async Task DisposeAsync() => await Store.DisposeAsync();

    [Fact]
    public async Task Months_without_complete_data_are_never_anomalies()
    {
        var a = await new CarbonAnalysisService(Store).AnalyseAsync(Park, null, new DateOnly(2024, 10, 1), new DateOnly(2025, 3, 31), AccountingMethod.Ghgp, GwpSet.AR6, null);
        Assert.Contains(a.Statistics, x => x.Key == "purchased_electricity" && x.TotalT > 0);
        // January 29,760 kWh, February 26,880, March 29,760 (960 kWh/day × 31, 28, 31): Feb vs mean(Jan, Mar) = −9.68 %, Jan and Mar vs
        // mean(the other two) = +5.08 % — all inside ±10 %. Oct and Nov (no data) and Dec (0.034 % complete) are not compared.
        Assert.Empty(a.Anomalies);
        Assert.Contains(a.Notes, n => n.Contains("source-month(s) without data or with data less than 95 % complete", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pv_producing_more_is_not_high_consumption()
    {
        // March: PV 150 kWh/day against its February baseline of 100 (+50 %): a producer, so no warning; the grid meter is flat.
        var w = await new DeviceAnalysisService(Store).WarningsAsync(Park, null, null, Carrier.Electricity, new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 31), 28, 10);
        Assert.Empty(w);
    }
}

public sealed class SqliteAnomalyFixTests : AnomalyFixSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

public sealed class PostgresAnomalyFixTests : AnomalyFixSuite
{
    protected override string NewDatabase() => TestDatabases.NewPostgresDatabase();
}
