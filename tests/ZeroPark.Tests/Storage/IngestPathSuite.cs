using System.Globalization;
using ZeroPark.Domain;
using ZeroPark.Metering;
using ZeroPark.Application;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.Storage;

/// <summary>
/// The ingest write path: reading chunks and hourly rollup blocks that are new are inserted outright (PostgreSQL: binary
/// COPY straight into the table), existing ones are read, merged and replaced. Every test runs on SQLite and on a real
/// PostgreSQL. Park time zone Asia/Shanghai (UTC+8); expected values are worked out by hand in comments.
/// </summary>
public abstract class IngestPathSuite : IAsyncLifetime
{
    protected ZeroParkStore Store { get; private set; } = null!;
    protected abstract string NewDatabase();

    private static readonly DateOnly Jan1 = new(2025, 1, 1);
    private static readonly DateOnly Jan2 = new(2025, 1, 2);

    public async Task InitializeAsync()
    {
        Store = await ZeroParkStore.OpenAsync(NewDatabase());
        await Store.Registry.CreateParkAsync(new ParkDraft("p1", "Park One"));
        await Store.Registry.CreateSpaceAsync("p1", new SpaceDraft("b1", "Building 1", null));
        await Store.Registry.CreateMetersAsync("p1",
        [
            new MeterDraft("pdu1", "PDU 1", "electricity", "cumulative", "kWh") { SystemCode = "it", SpaceCode = "b1" },
            new MeterDraft("pdu2", "PDU 2", "electricity", "cumulative", "kWh") { SystemCode = "it", SpaceCode = "b1" },
        ]);
    }

    public async Task DisposeAsync() => await Store.DisposeAsync();

    private static RawPoint P(string meter, string ts, double v) => new(meter, DateTimeOffset.Parse(ts, CultureInfo.InvariantCulture), v, 0);

    private Task<IngestSummary> Ingest(params RawPoint[] points) => Store.Readings.IngestAsync("p1", points, new IngestSource("test", "tester"));

    private async Task<double?[]> Values(SeriesTarget target, DateOnly from, DateOnly to, Granularity g) =>
        (await Store.Queries.SeriesAsync("p1", target, from, to, g)).Buckets.Select(b => b.Value).ToArray();

    // Batch 1: pdu1 Jan 1 23:15 → 100, 23:30 → 110.
    // Batch 2 mixes an existing chunk and new ones: pdu1 23:45 → 115 and Jan 2 00:00 → 121 go into pdu1's Jan 1 chunk (a
    // reading at midnight closes the interval before it), pdu1 Jan 2 00:15 → 130 starts its Jan 2 chunk, and pdu2 (no
    // readings yet) sends Jan 2 00:15 → 50 and 00:30 → 58.
    private static readonly RawPoint[] Batch1 = [P("pdu1", "2025-01-01T23:15:00+08:00", 100), P("pdu1", "2025-01-01T23:30:00+08:00", 110)];
    private static readonly RawPoint[] Batch2 =
    [
        P("pdu1", "2025-01-01T23:45:00+08:00", 115), P("pdu1", "2025-01-02T00:00:00+08:00", 121), P("pdu1", "2025-01-02T00:15:00+08:00", 130),
        P("pdu2", "2025-01-02T00:15:00+08:00", 50), P("pdu2", "2025-01-02T00:30:00+08:00", 58),
    ];

    [Fact]
    public async Task A_batch_mixing_existing_and_new_chunks_keeps_every_reading_and_rollup()
    {
        Assert.Equal(2, (await Ingest(Batch1)).Accepted);
        Assert.Equal(5, (await Ingest(Batch2)).Accepted);
        // pdu1 quarter hours of Jan 1 from 23:00: 23:15 is the first reading (Δ 0), then 110 − 100, 115 − 110, 121 − 115.
        var q = await Values(SeriesTarget.Meter("pdu1"), Jan1, Jan1, Granularity.QuarterHour);
        Assert.Equal([0.0, 10.0, 5.0, 6.0], q[^4..]);
        // Hours: pdu1 Jan 1 23:00 = 10 + 5 + 6 = 21 from 4 readings; Jan 2 00:00 = 130 − 121 = 9.
        var h1 = await Store.Queries.SeriesAsync("p1", SeriesTarget.Meter("pdu1"), Jan1, Jan2, Granularity.Hour);
        Assert.Equal((21.0, 4), (h1.Buckets[23].Value!.Value, h1.Buckets[23].Quality.Received));
        Assert.Equal((9.0, 1), (h1.Buckets[24].Value!.Value, h1.Buckets[24].Quality.Received));
        // pdu2 Jan 2 00:00: 58 − 50 = 8 (00:15 is its first reading).
        Assert.Equal(8.0, (await Values(SeriesTarget.Meter("pdu2"), Jan2, Jan2, Granularity.Hour))[0]);
        // The IT aggregate: Jan 1 23:00 = 21 (pdu1 only); Jan 2 00:00 = 9 + 8 = 17. Days: Jan 1 = 21, Jan 2 = 17.
        var it = await Values(SeriesTarget.Node(system: "it"), Jan1, Jan2, Granularity.Hour);
        Assert.Equal((21.0, 17.0), (it[23], it[24]));
        Assert.Equal([21.0, 17.0], await Values(SeriesTarget.Node(system: "it"), Jan1, Jan2, Granularity.Day));
        Assert.Equal([38.0], await Values(SeriesTarget.Node(system: "it"), Jan1, Jan2, Granularity.Month));
    }

    [Fact]
    public async Task Replaying_the_mixed_batch_changes_nothing()
    {
        await Ingest(Batch1);
        await Ingest(Batch2);
        var replay = await Ingest(Batch2);
        Assert.Equal((0, 5, 0), (replay.Accepted, replay.Duplicates, replay.Corrected));
        // Same figures as after the first send (see the test above): nothing doubled.
        var it = await Values(SeriesTarget.Node(system: "it"), Jan1, Jan2, Granularity.Hour);
        Assert.Equal((21.0, 17.0), (it[23], it[24]));
        var h1 = await Store.Queries.SeriesAsync("p1", SeriesTarget.Meter("pdu1"), Jan1, Jan1, Granularity.Hour);
        Assert.Equal((21.0, 4), (h1.Buckets[23].Value!.Value, h1.Buckets[23].Quality.Received));
    }

    [Fact]
    public async Task Corrections_and_late_data_update_existing_hour_blocks()
    {
        await Ingest(Batch1);
        await Ingest(Batch2);
        // Correction together with new data: pdu1 23:30 110 → 112 and pdu1 Jan 2 00:30 → 134 (new, in its Jan 2 chunk).
        // pdu1 quarter hours of Jan 1 become 0, 112 − 100 = 12, 115 − 112 = 3, 6: the hour keeps 21. Jan 2 00:00 = 9 + 4 = 13.
        var s = await Ingest(P("pdu1", "2025-01-01T23:30:00+08:00", 112), P("pdu1", "2025-01-02T00:30:00+08:00", 134));
        Assert.Equal((1, 1), (s.Accepted, s.Corrected));
        Assert.Equal([0.0, 12.0, 3.0, 6.0], (await Values(SeriesTarget.Meter("pdu1"), Jan1, Jan1, Granularity.QuarterHour))[^4..]);
        var entry = Assert.Single(await Store.Audit.AuditLogAsync("p1"), a => a.Action == "correct");
        Assert.Equal(("110", "112"), (entry.OldValue, entry.NewValue));
        // Late data: pdu2 Jan 2 00:00 → 45, before its first reading. It belongs to Jan 1 (23:00 hour), a day pdu2 had no
        // block for, while the IT aggregate's Jan 1 block exists. 00:00 becomes pdu2's first reading (Δ 0) and 00:15 gets
        // 50 − 45 = 5: pdu2 Jan 2 00:00 hour = 5 + 8 = 13 from its 2 readings (00:15, 00:30).
        Assert.Equal(1, (await Ingest(P("pdu2", "2025-01-02T00:00:00+08:00", 45))).Accepted);
        var h2 = await Store.Queries.SeriesAsync("p1", SeriesTarget.Meter("pdu2"), Jan1, Jan2, Granularity.Hour);
        Assert.Equal((0.0, 1), (h2.Buckets[23].Value!.Value, h2.Buckets[23].Quality.Received));
        Assert.Equal((13.0, 2), (h2.Buckets[24].Value!.Value, h2.Buckets[24].Quality.Received));
        // IT: Jan 1 23:00 = 21 + 0 from 4 + 1 readings; Jan 2 00:00 = 13 + 13 = 26. Days 21 and 26; month 47.
        var it = await Store.Queries.SeriesAsync("p1", SeriesTarget.Node(system: "it"), Jan1, Jan2, Granularity.Hour);
        Assert.Equal((21.0, 5), (it.Buckets[23].Value!.Value, it.Buckets[23].Quality.Received));
        Assert.Equal(26.0, it.Buckets[24].Value);
        Assert.Equal([21.0, 26.0], await Values(SeriesTarget.Node(system: "it"), Jan1, Jan2, Granularity.Day));
        Assert.Equal([47.0], await Values(SeriesTarget.Node(system: "it"), Jan1, Jan2, Granularity.Month));
    }

    [Fact]
    public async Task Migrations_7_to_9_move_hourly_rows_into_local_day_blocks_and_daily_rows_beside_them()
    {
        // Put the store back to before migration 7: hourly rows in rollup_hour, daily rows in the rollup_day table. pdu1 has
        // two hourly rows, 2025-01-01 15:00 UTC (23:00 local, Jan 1) and 16:00 UTC (00:00 local, Jan 2): one UTC day, two
        // local days, so two blocks. Its daily rows are those two days' (21 from 4 readings, 1 flagged; 9 from 1) and a
        // Jan 3 row without hours (5 from 1 estimated reading), which migration 9 keeps as an empty block with its totals.
        var jan3 = new DateOnly(2025, 1, 3);
        await using (var c = await Store.OpenConnectionAsync())
        {
            var pdu1 = Convert.ToInt64(await Scalar(c, "SELECT id FROM meters WHERE code = 'pdu1'"), CultureInfo.InvariantCulture);
            await Exec(c, "DROP VIEW rollup_day");
            await Exec(c, "DROP TABLE rollup_hours");
            await Exec(c, "CREATE TABLE rollup_hour (series_id BIGINT NOT NULL, bucket BIGINT NOT NULL, sum DOUBLE PRECISION NOT NULL, n INTEGER NOT NULL, nflag INTEGER NOT NULL, nest INTEGER NOT NULL, PRIMARY KEY (series_id, bucket))");
            await Exec(c, $"INSERT INTO rollup_hour VALUES ({pdu1}, 1735743600, 21, 4, 1, 0), ({pdu1}, 1735747200, 9, 1, 0, 0)");
            await Exec(c, "CREATE TABLE rollup_day (series_id BIGINT NOT NULL, bucket BIGINT NOT NULL, sum DOUBLE PRECISION NOT NULL, n INTEGER NOT NULL, nflag INTEGER NOT NULL, nest INTEGER NOT NULL, PRIMARY KEY (series_id, bucket))");
            await Exec(c, $"INSERT INTO rollup_day VALUES ({pdu1}, {Jan1.DayNumber}, 21, 4, 1, 0), ({pdu1}, {Jan2.DayNumber}, 9, 1, 0, 0), ({pdu1}, {jan3.DayNumber}, 5, 1, 0, 1)");
            await Exec(c, "DELETE FROM schema_version WHERE version BETWEEN 7 AND 9");
        }
        await Store.MigrateAsync();
        Assert.Equal(StorageSuite.LatestMigration(Store.Kind), await Store.SchemaVersionAsync()); // 10 and later stayed applied
        var h = await Store.Queries.SeriesAsync("p1", SeriesTarget.Meter("pdu1"), Jan1, Jan2, Granularity.Hour);
        Assert.Equal((21.0, 4, 1), (h.Buckets[23].Value!.Value, h.Buckets[23].Quality.Received, h.Buckets[23].Quality.Flagged));
        Assert.Equal((9.0, 1), (h.Buckets[24].Value!.Value, h.Buckets[24].Quality.Received));
        var d = await Store.Queries.SeriesAsync("p1", SeriesTarget.Meter("pdu1"), Jan1, jan3, Granularity.Day);
        Assert.Equal([21.0, 9.0, 5.0], d.Buckets.Select(b => b.Value!.Value));
        Assert.Equal([(4, 1, 0), (1, 0, 0), (1, 0, 1)], d.Buckets.Select(b => (b.Quality.Received, b.Quality.Flagged, b.Quality.Estimated)));
        await using (var c = await Store.OpenConnectionAsync())
        {
            Assert.Equal(3L, Convert.ToInt64(await Scalar(c, "SELECT COUNT(*) FROM rollup_hours"), CultureInfo.InvariantCulture));
            Assert.Equal(3L, Convert.ToInt64(await Scalar(c, "SELECT COUNT(*) FROM rollup_day"), CultureInfo.InvariantCulture));
            await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => Scalar(c, "SELECT COUNT(*) FROM rollup_hour"));
        }
    }

    [Fact]
    public async Task A_days_total_is_the_sum_of_its_hours_after_late_data_and_corrections()
    {
        // pdu1 Jan 1, batch 1: 22:00 → 100 (first: Δ 0), 22:15 → 104 (Δ 4), 22:45 → 109 (Δ 5), 23:00 → 111 (Δ 2).
        // Batch 2, late: 22:30 → 106: Δ 2, and 22:45 becomes 109 − 106 = 3. Batch 3 corrects 22:45 to 108: Δ 2, and
        // 23:00 becomes 111 − 108 = 3. A reading closes the interval before it, so 22:00 is in the 21:00 hour (0 from 1
        // reading) and the others in the 22:00 hour: 4 + 2 + 2 + 3 = 11 from 4. The day: 11 from 5 readings.
        Assert.Equal(4, (await Ingest(P("pdu1", "2025-01-01T22:00:00+08:00", 100), P("pdu1", "2025-01-01T22:15:00+08:00", 104),
            P("pdu1", "2025-01-01T22:45:00+08:00", 109), P("pdu1", "2025-01-01T23:00:00+08:00", 111))).Accepted);
        Assert.Equal(1, (await Ingest(P("pdu1", "2025-01-01T22:30:00+08:00", 106))).Accepted);
        Assert.Equal(1, (await Ingest(P("pdu1", "2025-01-01T22:45:00+08:00", 108))).Corrected);
        var hours = await Store.Queries.SeriesAsync("p1", SeriesTarget.Meter("pdu1"), Jan1, Jan1, Granularity.Hour);
        Assert.Equal((0.0, 1), (hours.Buckets[21].Value!.Value, hours.Buckets[21].Quality.Received));
        Assert.Equal((11.0, 4), (hours.Buckets[22].Value!.Value, hours.Buckets[22].Quality.Received));
        var day = await Store.Queries.SeriesAsync("p1", SeriesTarget.Meter("pdu1"), Jan1, Jan1, Granularity.Day);
        Assert.Equal((11.0, 5), (day.Buckets[0].Value!.Value, day.Buckets[0].Quality.Received));
        // The same through the IT aggregate (pdu1 is its only member with readings), and in the stored row itself.
        Assert.Equal([11.0], await Values(SeriesTarget.Node(system: "it"), Jan1, Jan1, Granularity.Day));
        await using var c = await Store.OpenConnectionAsync();
        Assert.Equal(11.0, Convert.ToDouble(await Scalar(c,
            $"SELECT sum FROM rollup_hours WHERE series_id = (SELECT id FROM meters WHERE code = 'pdu1') AND day = {Jan1.DayNumber}"), CultureInfo.InvariantCulture));
    }

    private static async Task Exec(System.Data.Common.DbConnection c, string sql)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<object?> Scalar(System.Data.Common.DbConnection c, string sql)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return await cmd.ExecuteScalarAsync();
    }
}

public sealed class SqliteIngestPathTests : IngestPathSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

public sealed class PostgresIngestPathTests : IngestPathSuite
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL ingest tests need ZEROPARK_TEST_PG; run ./scripts/test.sh (it starts a server on 127.0.0.1)")
        : TestDatabases.NewPostgresDatabase();
}
