using System.Globalization;
using System.Text;
using ZeroPark.Domain;
using ZeroPark.Metering;
using ZeroPark.Application;
using ZeroPark.Application.Readings.Import;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.Storage;

/// <summary>
/// Issue 11 on both stores: a row the store cannot take (an instant at or before 1970, which reading chunks and hour blocks
/// cannot encode) is refused with its line like any other bad row, and every other row of the file or batch is stored. It
/// used to throw inside the ingest transaction: the CLI lost every batch from the failing one on, the API answered 500.
/// </summary>
public abstract class BadRowStorageSuite : IAsyncLifetime
{
    protected ZeroParkStore Store { get; private set; } = null!;
    protected abstract string NewDatabase();

    public async Task InitializeAsync()
    {
        Store = await ZeroParkStore.OpenAsync(NewDatabase());
        await Store.Registry.CreateParkAsync(new ParkDraft("p1", "Park One"));
        await Store.Registry.CreateMetersAsync("p1", [new MeterDraft("m1", "M1", "electricity", "cumulative", "kWh")]);
    }

    public async Task DisposeAsync() => await Store.DisposeAsync();

    [Fact]
    public async Task A_file_with_1970_and_stray_quote_rows_stores_every_good_row_across_batches()
    {
        // Batches of 2 readings; the 1969/1970 rows sit in the middle. Good rows: lines 2, 3, 6, 8 (readings 100, 110, 130, 140 at
        // 00:15, 00:30, 01:00, 01:15 +08:00). Line 4 (1970), line 5 (1969) and line 7 (stray quote) are reported.
        const string csv = "meter,timestamp,value\n"
            + "m1,2025-01-01T00:15:00+08:00,100\nm1,2025-01-01T00:30:00+08:00,110\n"
            + "m1,1970-01-01T00:00:00Z,120\nm1,1969-12-31T00:00:00Z,125\n"
            + "m1,2025-01-01T01:00:00+08:00,130\nm1,\"2025-01-01T01:10:00+08:00,135\nm1,2025-01-01T01:15:00+08:00,140\n";

        var r = await FileImport.ImportReadingsAsync(Store, "p1", new MemoryStream(Encoding.UTF8.GetBytes(csv)), "r.csv", null, "tester", batchSize: 2);

        Assert.Null(r.FileError);
        Assert.Equal(4, r.Accepted);
        Assert.Equal([4, 5, 7], r.Rejected.Select(e => e.Line));
        Assert.Contains("before 2000-01-01T00:00:00Z", r.Rejected[0].Reason);
        // Day total: 140 − 100 = 40 kWh.
        var day = await Store.Queries.SeriesAsync("p1", SeriesTarget.Meter("m1"), new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 1), Granularity.Day);
        Assert.Equal(40, Assert.Single(day.Buckets).Value);
    }

    /// <summary>Issue 12: 10,000 readings of m1 every 15 minutes from 2025-01-01 00:15 +08:00 (data line k holds the value k), the
    /// data line 5,000 opening a quote that never closes.</summary>
    private static MemoryStream LargeFile()
    {
        var sb = new StringBuilder("meter,timestamp,value\n");
        var t0 = DateTimeOffset.Parse("2025-01-01T00:00:00+08:00", CultureInfo.InvariantCulture);
        for (int k = 1; k <= 10_000; k++)
            sb.Append(k == 5_000 ? "m1,\"" : "m1,").Append(t0.AddMinutes(15 * k).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture))
              .Append(',').Append(k).Append('\n');
        return new MemoryStream(Encoding.UTF8.GetBytes(sb.ToString()));
    }

    [Fact]
    public async Task A_large_file_is_stored_in_batches_while_it_is_read_and_a_stray_quote_costs_only_its_line()
    {
        var progress = new List<int>();

        var r = await FileImport.ImportReadingsAsync(Store, "p1", LargeFile(), "big.csv", null, "tester", batchSize: 1_000, stored: (done, _) => progress.Add(done));

        Assert.Null(r.FileError);
        Assert.Equal(9_999, r.Accepted);
        Assert.Equal(5_001, Assert.Single(r.Rejected).Line);
        // 9,999 readings in batches of 1,000: stored after 1,000, 2,000, … 9,000 and 9,999.
        Assert.Equal([.. Enumerable.Range(1, 9).Select(i => i * 1_000), 9_999], progress);
        // Day 1 holds the readings 1 (00:15) … 96 (24:00): 96 − 1 = 95 kWh. Day 53 (2025-02-22) holds 4,993 … 5,088 (4,992 = 52 × 96),
        // without 5,000: still 5,088 − 4,992 = 96 kWh, the register delta from the previous day's last reading.
        var days = await Store.Queries.SeriesAsync("p1", SeriesTarget.Meter("m1"), new DateOnly(2025, 1, 1), new DateOnly(2025, 2, 22), Granularity.Day);
        Assert.Equal(95, days.Buckets[0].Value);
        Assert.Equal(96, days.Buckets[^1].Value);
    }

    [Fact]
    public async Task Cancelling_a_file_import_stops_the_reading_and_the_storing()
    {
        using var cts = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => FileImport.ImportReadingsAsync(Store, "p1", LargeFile(), "big.csv", null, "tester",
            batchSize: 1_000, stored: (done, _) => { if (done == 2_000) cts.Cancel(); }, ct: cts.Token));

        // The two batches stored before the cancellation stay: readings 1 … 2,000.
        var latest = await Store.Queries.SeriesAsync("p1", SeriesTarget.Meter("m1"), new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 31), Granularity.Month);
        Assert.Equal(2_000 - 1, latest.Buckets.Sum(b => b.Value ?? 0));
    }

    [Fact]
    public async Task The_store_itself_refuses_points_before_2000_from_any_caller_and_stores_the_rest()
    {
        var good = new RawPoint("m1", DateTimeOffset.Parse("2025-01-01T00:15:00+08:00", CultureInfo.InvariantCulture), 100, 1);
        var epoch = new RawPoint("m1", DateTimeOffset.UnixEpoch, 5, 2);
        var ancient = new RawPoint("m1", DateTimeOffset.MinValue, 5, 3);

        var s = await Store.Readings.IngestAsync("p1", [good, epoch, ancient], new IngestSource("test", "tester"), detail: true);

        Assert.Equal(1, s.Accepted);
        Assert.Equal([2, 3], s.Rejected.Select(e => e.Line));
        Assert.Equal("timestamp: 1970-01-01T00:00:00+00:00 is before 2000-01-01T00:00:00Z, the earliest instant ZeroPark stores", s.Rejected[0].Reason);
        Assert.Equal(100, Assert.Single(await Store.Queries.LatestReadingsAsync("p1")).Value);

        var manual = await Assert.ThrowsAsync<ValidationException>(() => Store.Readings.ManualEntryAsync("p1", "m1", DateTimeOffset.UnixEpoch, 1, "tester", "typo"));
        Assert.Equal("ts", manual.Field);
        var replace = await Assert.ThrowsAsync<ValidationException>(() => Store.Readings.ReplaceMeterAsync("p1", "m1", new DateTimeOffset(1999, 12, 31, 0, 0, 0, TimeSpan.Zero), 1, 0, "tester", "swap"));
        Assert.Equal("at", replace.Field);
    }
}

public sealed class SqliteBadRowStorageTests : BadRowStorageSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

public sealed class PostgresBadRowStorageTests : BadRowStorageSuite
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL tests need ZEROPARK_TEST_PG; run ./scripts/test.sh (it starts a server on 127.0.0.1)")
        : TestDatabases.NewPostgresDatabase();
}
