using System.Globalization;
using System.Text;
using ZeroPark.Domain;
using ZeroPark.Application;
using ZeroPark.Application.Readings.Import;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.Import;

/// <summary>
/// Issue 12 (import speed), on both stores: with <c>wholeDays</c> (what <c>zeropark import</c>, the import page, the API and the
/// folder collector use) a batch goes on past its size to the end of its last reading's local day, at most twice its size, so
/// that a file in time order is stored a day per transaction and no meter-day chunk or hourly block is written by two batches.
/// The outcome must be exactly that of fixed-size batches: counts, rejected lines, register deltas and rollups.
/// </summary>
public abstract class WholeDayBatchSuite : IAsyncLifetime
{
    protected ZeroParkStore Store { get; private set; } = null!;
    protected abstract string NewDatabase();

    public async Task InitializeAsync()
    {
        Store = await ZeroParkStore.OpenAsync(NewDatabase());
        foreach (var park in new[] { "p1", "p2" })
        {
            await Store.Registry.CreateParkAsync(new ParkDraft(park, "Park " + park));   // Asia/Shanghai, +08:00
            await Store.Registry.CreateMetersAsync(park, [
                new MeterDraft("m1", "M1", "electricity", "cumulative", "kWh"),
                new MeterDraft("m2", "M2", "electricity", "cumulative", "kWh"),
            ]);
        }
    }

    public async Task DisposeAsync() => await Store.DisposeAsync();

    /// <summary>Time order, all meters at each instant (as SCADA exports and the benchmark's file): quarter-hour k = 0 … 288
    /// from 2025-01-01T00:00+08:00 (k = 288 is 2025-01-04T00:00), m1 = k kWh and m2 = 2k kWh; data rows on lines 2 … 579
    /// (k on lines 2k + 2 and 2k + 3). Then one bad row on line 580 (value 'x').</summary>
    private static MemoryStream TimeOrderedFile()
    {
        var sb = new StringBuilder("meter,timestamp,value\n");
        var t0 = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));
        for (var k = 0; k <= 288; k++)
        {
            var ts = t0.AddMinutes(15 * k).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
            sb.Append(CultureInfo.InvariantCulture, $"m1,{ts},{k}\nm2,{ts},{2 * k}\n");
        }
        sb.Append("m2,2025-01-04T00:15:00+08:00,x\n");
        return new MemoryStream(Encoding.UTF8.GetBytes(sb.ToString()));
    }

    [Fact]
    public async Task A_time_ordered_file_is_stored_a_local_day_per_batch_with_the_same_outcome_as_fixed_batches()
    {
        var whole = new List<int>();
        var fixedSize = new List<int>();

        var a = await FileImport.ImportReadingsAsync(Store, "p1", TimeOrderedFile(), "r.csv", null, "tester", batchSize: 100,
            stored: (done, _) => whole.Add(done), wholeDays: true);
        var b = await FileImport.ImportReadingsAsync(Store, "p2", TimeOrderedFile(), "r.csv", null, "tester", batchSize: 100,
            stored: (done, _) => fixedSize.Add(done));

        // A reading counts to the local day holding ts − 1 s: k = 0 (01-01 00:00) to 2024-12-31, k = 1 … 96 to 01-01 (192 rows),
        // k = 97 … 192 to 01-02, k = 193 … 288 to 01-03. Batch 1 passes 100 rows at k = 49 and goes on to the end of 01-01:
        // 2 + 192 = 194 rows; batch 2 is 01-02 (192 rows, done 386); batch 3 is 01-03 (192 rows, done 578).
        Assert.Equal([194, 386, 578], whole);
        Assert.Equal([100, 200, 300, 400, 500, 578], fixedSize);
        // The same outcome: 578 accepted, the bad row on line 580 rejected with the same reason.
        foreach (var r in new[] { a, b })
        {
            Assert.Null(r.FileError);
            Assert.Equal((578, 0, 0), (r.Accepted, r.Duplicates, r.Corrected));
            var bad = Assert.Single(r.Rejected);
            Assert.Equal(580, bad.Line);
            Assert.Contains("value: 'x' is not a number", bad.Reason);
        }
        // Register deltas and rollups: m1's day 01-01 = 96 − 0 = 96 kWh, 01-02 = 192 − 96 = 96, 01-03 = 288 − 192 = 96; m2 twice
        // that; the park's total 288 kWh a day. Hour 01-01 13:00–14:00 = quarter-hours k = 53 … 56 = 56 − 52 = 4 kWh for m1.
        var from = new DateOnly(2025, 1, 1);
        var to = new DateOnly(2025, 1, 3);
        foreach (var park in new[] { "p1", "p2" })
        {
            var m1 = await Store.Queries.SeriesAsync(park, SeriesTarget.Meter("m1"), from, to, Granularity.Day);
            var m2 = await Store.Queries.SeriesAsync(park, SeriesTarget.Meter("m2"), from, to, Granularity.Day);
            var all = await Store.Queries.SeriesAsync(park, SeriesTarget.Node(), from, to, Granularity.Day);
            Assert.Equal([96.0, 96.0, 96.0], m1.Buckets.Select(x => x.Value));
            Assert.Equal([192.0, 192.0, 192.0], m2.Buckets.Select(x => x.Value));
            Assert.Equal([288.0, 288.0, 288.0], all.Buckets.Select(x => x.Value));
            Assert.All(m1.Buckets, x => Assert.Equal(96, x.Quality.Received));
            var hours = await Store.Queries.SeriesAsync(park, SeriesTarget.Meter("m1"), from, from, Granularity.Hour);
            Assert.Equal(24, hours.Buckets.Count);
            Assert.Equal(4.0, hours.Buckets[13].Value);
            var month = await Store.Queries.SeriesAsync(park, SeriesTarget.Node(), from, new DateOnly(2025, 1, 31), Granularity.Month);
            Assert.Equal(3 * 288.0, Assert.Single(month.Buckets).Value);
        }
        // Both parks hold the same hourly rollups, hour by hour, over the three days.
        var h1 = await Store.Queries.SeriesAsync("p1", SeriesTarget.Node(), from, to, Granularity.Hour);
        var h2 = await Store.Queries.SeriesAsync("p2", SeriesTarget.Node(), from, to, Granularity.Hour);
        Assert.Equal(h2.Buckets.Select(x => (x.Start, x.Value, x.Quality)), h1.Buckets.Select(x => (x.Start, x.Value, x.Quality)));
    }

    [Fact]
    public async Task A_day_longer_than_twice_the_batch_size_is_cut_at_twice_the_size()
    {
        var done = new List<int>();

        var r = await FileImport.ImportReadingsAsync(Store, "p1", TimeOrderedFile(), "r.csv", null, "tester", batchSize: 60,
            stored: (n, _) => done.Add(n), wholeDays: true);

        // Batch size 60, a day of 192 rows: batch 1 = k = 0 … 59 (2 + 118 = 120 rows, twice the size: cut); batch 2 = k = 60 … 96,
        // the rest of 01-01 (37 × 2 = 74, done 194); batch 3 = k = 97 … 156 (120, done 314); batch 4 = k = 157 … 192 (72, done 386);
        // batch 5 = k = 193 … 252 (120, done 506); batch 6 = k = 253 … 288 (72, done 578).
        Assert.Equal([120, 194, 314, 386, 506, 578], done);
        Assert.Equal(578, r.Accepted);
        var m1 = await Store.Queries.SeriesAsync("p1", SeriesTarget.Meter("m1"), new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 3), Granularity.Day);
        Assert.Equal([96.0, 96.0, 96.0], m1.Buckets.Select(x => x.Value));
    }
}

public sealed class SqliteWholeDayBatchTests : WholeDayBatchSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

public sealed class PostgresWholeDayBatchTests : WholeDayBatchSuite
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL tests need ZEROPARK_TEST_PG; run ./scripts/test.sh (it starts a server on 127.0.0.1)")
        : TestDatabases.NewPostgresDatabase();
}
