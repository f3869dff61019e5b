using System.Globalization;
using System.Text;
using ZeroPark.Domain;
using ZeroPark.Metering;
using ZeroPark.Application;
using ZeroPark.Application.Readings.Import;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.Storage;

/// <summary>Gauge meters (instantaneous, non-additive: outdoor temperature °C, relative humidity %) average in every rollup and never
/// reach node sums; <see cref="ZeroParkStore.AnalyzeAfterBulkLoadAsync"/> refreshes the planner statistics of the ingest tables. On
/// SQLite and PostgreSQL. Figures worked out by hand in comments.</summary>
public abstract class GaugeAndAnalyzeSuite : IAsyncLifetime
{
    private ZeroParkStore _store = null!;
    protected abstract string NewDatabase();

    public async Task InitializeAsync()
    {
        _store = await ZeroParkStore.OpenAsync(NewDatabase());
        await _store.Registry.CreateParkAsync(new ParkDraft("g1", "Gauge park"));
        await _store.Registry.CreateMetersAsync("g1",
        [
            new MeterDraft("t_out", "Outdoor temperature", "ambient", "gauge", "℃"),
            new MeterDraft("rh_out", "Outdoor humidity", "ambient", "gauge", "%RH"),
            new MeterDraft("it1", "IT 1", "electricity", "interval", "kWh") { Role = "it_load", SystemCode = "it" },
        ]);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private static RawPoint P(string meter, string ts, double v) => new(meter, DateTimeOffset.Parse(ts, CultureInfo.InvariantCulture), v, 0);

    private static readonly DateOnly Jan1 = new(2025, 1, 1);

    [Fact]
    public async Task Gauge_meters_average_in_every_rollup_and_stay_out_of_node_sums()
    {
        var s = await _store.Readings.IngestAsync("g1",
        [
            P("t_out", "2025-01-01T00:15:00+08:00", -2), P("t_out", "2025-01-01T00:30:00+08:00", 1), P("t_out", "2025-01-01T00:45:00+08:00", 4),
            P("t_out", "2025-01-01T01:15:00+08:00", 10), P("t_out", "2025-01-01T01:30:00+08:00", 20),
            P("rh_out", "2025-01-01T00:15:00+08:00", 40), P("rh_out", "2025-01-01T00:30:00+08:00", 50),
            P("it1", "2025-01-01T00:15:00+08:00", 5), P("it1", "2025-01-01T00:30:00+08:00", 5),
        ], new IngestSource("test", "tester"));
        Assert.Equal(9, s.Accepted);

        var reg = await _store.Registry.GetRegistryAsync("g1");
        Assert.Equal("°C", reg.Meter("t_out").CanonicalUnit);     // ℃ is stored as °C
        Assert.Equal("%", reg.Meter("rh_out").CanonicalUnit);

        // Hours: 00–01 = (−2 + 1 + 4) / 3 = 1; 01–02 = (10 + 20) / 2 = 15; 02–03 has no reading.
        var hours = await _store.Queries.SeriesAsync("g1", SeriesTarget.Meter("t_out"), Jan1, Jan1, Granularity.Hour);
        Assert.Equal("°C", hours.Unit);
        Assert.Equal(1, hours.Buckets[0].Value!.Value, 9);
        Assert.Equal(15, hours.Buckets[1].Value!.Value, 9);
        Assert.Null(hours.Buckets[2].Value);
        // Day, month and year: the mean of all five readings, (−2 + 1 + 4 + 10 + 20) / 5 = 33 / 5 = 6.6 — not the sum 33, and not
        // the mean of the hourly means (1 + 15) / 2 = 8.
        foreach (var g in new[] { Granularity.Day, Granularity.Month, Granularity.Year })
        {
            var from = g == Granularity.Day ? Jan1 : g == Granularity.Month ? new DateOnly(2025, 1, 1) : new DateOnly(2025, 1, 1);
            var to = g == Granularity.Day ? Jan1 : g == Granularity.Month ? new DateOnly(2025, 1, 31) : new DateOnly(2025, 12, 31);
            var series = await _store.Queries.SeriesAsync("g1", SeriesTarget.Meter("t_out"), from, to, g);
            Assert.Equal(6.6, series.Buckets[0].Value!.Value, 9);
        }
        // Humidity: (40 + 50) / 2 = 45 %.
        var rh = await _store.Queries.SeriesAsync("g1", SeriesTarget.Meter("rh_out"), Jan1, Jan1, Granularity.Day);
        Assert.Equal(45, rh.Buckets[0].Value!.Value, 9);

        // Node sums: the park's electricity is the IT meter's 5 + 5 = 10 kWh; an 'ambient' node has no quantity to sum.
        var park = await _store.Queries.SeriesAsync("g1", SeriesTarget.Node(), Jan1, Jan1, Granularity.Day);
        Assert.Equal(10, park.Total, 9);
        var ambient = await _store.Queries.SeriesAsync("g1", SeriesTarget.Node(carrier: Carrier.Ambient), Jan1, Jan1, Granularity.Day);
        Assert.Null(ambient.Buckets[0].Value);
    }

    [Fact]
    public async Task Gauge_meters_are_validated_and_cannot_enter_formulas()
    {
        // Ambient air has no quantity: an interval meter of it is refused, naming the unit field.
        var e = await Assert.ThrowsAsync<ValidationException>(() => _store.Registry.CreateMetersAsync("g1",
            [new MeterDraft("t2", "Temperature as interval", "ambient", "interval", "°C")]));
        Assert.Equal("unit", e.Field);
        Assert.Contains("gauge", e.Message);
        // A gauge measures °C or %, not energy.
        e = await Assert.ThrowsAsync<ValidationException>(() => _store.Registry.CreateMetersAsync("g1",
            [new MeterDraft("t3", "Gauge in kWh", "ambient", "gauge", "kWh")]));
        Assert.Equal("unit", e.Field);
        Assert.Contains("°C or %", e.Message);
        // Formulas sum quantities over time; a temperature is not one.
        e = await Assert.ThrowsAsync<ValidationException>(() => _store.Registry.CreateMetersAsync("g1",
            [new MeterDraft("v1", "Virtual", "ambient", "gauge", "°C") { Formula = "t_out + t_out" }]));
        Assert.Equal("formula", e.Field);
        Assert.Contains("gauge meter", e.Message);
    }

    [Fact]
    public async Task Meters_file_accepts_gauge_meters_and_names_a_bad_unit()
    {
        var csv = "code,name,carrier,kind,unit\nt_a,Outdoor temperature,ambient,gauge,°C\nt_b,Bad,ambient,gauge,kWh\n";
        var (rows, errors) = MeterFileParser.Parse(new MemoryStream(Encoding.UTF8.GetBytes(csv)));
        Assert.Equal("t_a", Assert.Single(rows).Code);
        var err = Assert.Single(errors);
        Assert.Equal(3, err.Line);
        Assert.Contains("unit: 'kWh' is not a gauge unit (°C or %)", err.Reason);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Analyze_after_a_bulk_load_refreshes_the_statistics_of_the_ingest_tables()
    {
        var points = Enumerable.Range(1, 200).Select(i => P("it1", DateTimeOffset.Parse("2025-01-01T00:00:00+08:00", CultureInfo.InvariantCulture)
            .AddMinutes(15 * i).ToString("o", CultureInfo.InvariantCulture), 5)).ToList();
        await _store.Readings.IngestAsync("g1", points, new IngestSource("test", "tester"));
        if (_store.Kind == StoreKind.Sqlite)
            Assert.All((await _store.IngestTablesAnalyzedAsync()).Values, Assert.False);   // no ANALYZE has ever run: no sqlite_stat1
        await _store.AnalyzeAfterBulkLoadAsync();
        var analyzed = await _store.IngestTablesAnalyzedAsync();
        Assert.Equal(["readings", "rollup_hours", "rollup_month", "meter_state", "ingest_log"], analyzed.Keys);
        Assert.All(analyzed, kv => Assert.True(kv.Value, kv.Key));
    }

    [Fact]
    public async Task A_file_import_over_the_threshold_analyzes_and_a_small_one_does_not()
    {
        // 10 readings: under the threshold (50,000), no ANALYZE.
        static string Csv(int n) => "meter,timestamp,value\n" + string.Concat(Enumerable.Range(1, n).Select(i =>
            $"it1,{DateTimeOffset.Parse("2024-01-01T00:00:00+08:00", CultureInfo.InvariantCulture).AddMinutes(15 * i):yyyy-MM-ddTHH:mm:sszzz},5\n"));
        var small = await FileImport.ImportReadingsAsync(_store, "g1", new MemoryStream(Encoding.UTF8.GetBytes(Csv(10))), "small.csv", null, "tester");
        Assert.Equal(10, small.Accepted);
        if (_store.Kind == StoreKind.Sqlite) Assert.All((await _store.IngestTablesAnalyzedAsync()).Values, Assert.False);
        // 50,010 rows, of which the first 10 are the readings above (duplicates): 50,000 accepted = the threshold, so analyzed.
        // (15-minute steps from 2024-01-01: 50,010 / 96 ≈ 521 days, all in the past.)
        var big = await FileImport.ImportReadingsAsync(_store, "g1", new MemoryStream(Encoding.UTF8.GetBytes(Csv(50_010))), "big.csv", null, "tester");
        Assert.Equal(ZeroParkStore.BulkLoadAnalyzeThreshold, big.Accepted);
        Assert.Equal(10, big.Duplicates);
        Assert.All(await _store.IngestTablesAnalyzedAsync(), kv => Assert.True(kv.Value, kv.Key));
    }
}

public sealed class SqliteGaugeAndAnalyzeTests : GaugeAndAnalyzeSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

public sealed class PostgresGaugeAndAnalyzeTests : GaugeAndAnalyzeSuite
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL storage tests need ZEROPARK_TEST_PG; run ./scripts/test.sh (it starts a server on 127.0.0.1)")
        : TestDatabases.NewPostgresDatabase();
}
