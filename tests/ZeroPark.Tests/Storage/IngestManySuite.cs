using System.Globalization;
using ZeroPark.Domain;
using ZeroPark.Metering;
using ZeroPark.Storage;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.Storage;

/// <summary>
/// The pipelined bulk path (<see cref="ZeroParkStore.IngestManyAsync"/>): batch N+1 is prepared against the states batch N
/// leaves behind while N is written. It must store exactly what one-at-a-time ingest stores, notice a write by anyone
/// else in between, run "before" steps only once the earlier batches are stored, and stop at the first failure.
/// Every test runs on SQLite and on a real PostgreSQL. Park time zone Asia/Shanghai (UTC+8); figures worked by hand.
/// </summary>
public abstract class IngestManySuite : IAsyncLifetime
{
    private readonly List<ZeroParkStore> _stores = [];
    protected abstract string NewDatabase();

    private static readonly DateOnly Jan1 = new(2025, 1, 1);
    private static readonly DateOnly Jan2 = new(2025, 1, 2);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var s in _stores) await s.DisposeAsync();
    }

    private async Task<ZeroParkStore> NewPark()
    {
        var store = await ZeroParkStore.OpenAsync(NewDatabase());
        _stores.Add(store);
        await store.CreateParkAsync(new ParkDraft("p1", "Park One"));
        await store.CreateSpaceAsync("p1", new SpaceDraft("b1", "Building 1", null));
        await store.CreateMetersAsync("p1",
        [
            new MeterDraft("pdu1", "PDU 1", "electricity", "cumulative", "kWh") { SystemCode = "it", SpaceCode = "b1", RegisterMax = 1000 },
            new MeterDraft("water", "Make-up water", "water", "interval", "m3") { SpaceCode = "b1" },
        ]);
        return store;
    }

    private static RawPoint P(string meter, string ts, double v, int line) => new(meter, DateTimeOffset.Parse(ts, CultureInfo.InvariantCulture), v, line);

    private static readonly IngestSource Source = new("test", "tester");

    // Four batches. 1: Jan 1 00:15–00:45, with an unknown meter (line 4). 2: Jan 1 23:45 → 800 and Jan 2 00:15 → 5 (the
    // register wraps at 1000), and a negative register value (line 3, rejected by the engine). 3: late data — pdu1 Jan 1
    // 01:00 → 400, between batch 1 and batch 2 (it reaches into stored history: 800 − 30 was a jump above half the register
    // until it arrived). 4: a replay of batch 2's good points.
    private static readonly RawPoint[][] Batches =
    [
        [P("pdu1", "2025-01-01T00:15:00+08:00", 10, 1), P("water", "2025-01-01T00:15:00+08:00", 1.5, 2), P("pdu1", "2025-01-01T00:30:00+08:00", 20, 3),
         P("nope", "2025-01-01T00:30:00+08:00", 1, 4), P("pdu1", "2025-01-01T00:45:00+08:00", 30, 5), P("water", "2025-01-01T00:30:00+08:00", 2.5, 6)],
        [P("pdu1", "2025-01-01T23:45:00+08:00", 800, 1), P("water", "2025-01-01T23:45:00+08:00", 4, 2), P("pdu1", "2025-01-02T00:10:00+08:00", -1, 3),
         P("pdu1", "2025-01-02T00:15:00+08:00", 5, 4)],
        [P("pdu1", "2025-01-01T01:00:00+08:00", 400, 1)],
        [P("pdu1", "2025-01-01T23:45:00+08:00", 800, 1), P("pdu1", "2025-01-02T00:15:00+08:00", 5, 2)],
    ];

    private static async Task<double?[]> Values(ZeroParkStore s, SeriesTarget target, DateOnly from, DateOnly to, Granularity g) =>
        (await s.SeriesAsync("p1", target, from, to, g)).Buckets.Select(b => b.Value).ToArray();

    [Fact]
    public async Task Pipelined_batches_store_exactly_what_one_at_a_time_ingest_stores()
    {
        var one = await NewPark();
        var many = await NewPark();
        var expected = new List<IngestSummary>();
        foreach (var b in Batches) expected.Add(await one.IngestAsync("p1", b, Source));
        var got = new List<IngestSummary>();
        await many.IngestManyAsync("p1", Batches.Select(b => new IngestBatch(b, Source)), got.Add);

        Assert.Equal(expected.Select(Describe), got.Select(Describe));
        // By hand: batch 1 accepts 5 (line 4 unknown meter); batch 2 accepts 3 (line 3: negative register); batch 3 accepts
        // 1; batch 4 is two duplicates.
        Assert.Equal(["5/0/0 rejected 4", "3/0/0 rejected 3", "1/0/0 rejected ", "0/2/0 rejected "], got.Select(Describe));
        foreach (var g in new[] { Granularity.QuarterHour, Granularity.Hour, Granularity.Day, Granularity.Month })
        {
            Assert.Equal(await Values(one, SeriesTarget.Meter("pdu1"), Jan1, Jan2, g), await Values(many, SeriesTarget.Meter("pdu1"), Jan1, Jan2, g));
            Assert.Equal(await Values(one, SeriesTarget.Node(system: "it"), Jan1, Jan2, g), await Values(many, SeriesTarget.Node(system: "it"), Jan1, Jan2, g));
            Assert.Equal(await Values(one, SeriesTarget.Meter("water"), Jan1, Jan2, g), await Values(many, SeriesTarget.Meter("water"), Jan1, Jan2, g));
        }
        // pdu1 by hand: Jan 1 = (20 − 10) + (30 − 20) + (400 − 30) + (800 − 400) = 790; Jan 2 = 1000 − 800 + 5 = 205 (rollover).
        Assert.Equal([790.0, 205.0], await Values(many, SeriesTarget.Meter("pdu1"), Jan1, Jan2, Granularity.Day));
        // Water (interval meter): Jan 1 = 1.5 + 2.5 + 4 = 8 m³.
        Assert.Equal(8.0, (await Values(many, SeriesTarget.Meter("water"), Jan1, Jan1, Granularity.Day))[0]);
    }

    private static string Describe(IngestSummary s) =>
        $"{s.Accepted}/{s.Duplicates}/{s.Corrected} rejected {string.Join(",", s.Rejected.Select(r => r.Line))}";

    [Fact]
    public async Task A_write_by_someone_else_between_batches_is_seen_and_the_batch_prepared_again()
    {
        var store = await NewPark();
        IEnumerable<IngestBatch> Feed()
        {
            yield return new IngestBatch([P("pdu1", "2025-01-01T00:15:00+08:00", 10, 1), P("pdu1", "2025-01-01T00:30:00+08:00", 20, 2)], Source);
            // Batch 1 is prepared (as the meter's first readings) but not yet written: someone else stores a later reading.
            store.IngestAsync("p1", [P("pdu1", "2025-01-01T00:45:00+08:00", 30, 1)], new IngestSource("manual", "someone")).GetAwaiter().GetResult();
            yield return new IngestBatch([P("pdu1", "2025-01-01T01:00:00+08:00", 42, 1)], Source);
        }
        var got = new List<IngestSummary>();
        await store.IngestManyAsync("p1", Feed(), got.Add);
        Assert.Equal(["2/0/0 rejected ", "1/0/0 rejected "], got.Select(Describe));
        // By hand, as if ingested in the order it was stored: 00:15 is the first reading (Δ 0), 00:30 → 10, 00:45 → 10,
        // 01:00 → 12. Had batch 1 been written as prepared, 00:45 would stay a "first reading" and 01:00 would be 42 − 20.
        var q = await Values(store, SeriesTarget.Meter("pdu1"), Jan1, Jan1, Granularity.QuarterHour);
        Assert.Equal([10.0, 10.0, 12.0], q[1..4]);   // the quarter hours ending 00:30, 00:45 and 01:00
        Assert.Equal(32.0, (await Values(store, SeriesTarget.Meter("pdu1"), Jan1, Jan1, Granularity.Day))[0]);
        Assert.Equal(32.0, (await Values(store, SeriesTarget.Node(system: "it"), Jan1, Jan1, Granularity.Month))[0]);
    }

    [Fact]
    public async Task A_before_step_sees_the_earlier_batches_stored_and_runs_before_its_batch()
    {
        var store = await NewPark();
        double? seen = null;
        var batches = new[]
        {
            new IngestBatch([P("pdu1", "2025-01-01T00:15:00+08:00", 100, 1), P("pdu1", "2025-01-01T00:30:00+08:00", 110, 2)], Source),
            new IngestBatch([P("pdu1", "2025-01-01T01:00:00+08:00", 8, 1)], Source)
            {
                // The meter is swapped at 00:45: the old register ends at 118, the new one starts at 0.
                Before = async ct =>
                {
                    seen = (await Values(store, SeriesTarget.Meter("pdu1"), Jan1, Jan1, Granularity.Day))[0];
                    await store.ReplaceMeterAsync("p1", "pdu1", DateTimeOffset.Parse("2025-01-01T00:45:00+08:00", CultureInfo.InvariantCulture), 118, 0, "tech", "swap", ct);
                },
            },
        };
        await store.IngestManyAsync("p1", batches);
        Assert.Equal(10.0, seen);   // 110 − 100: batch 1 was stored before the step ran
        // Day: 10 + (118 − 110) + (8 − 0) = 26.
        Assert.Equal(26.0, (await Values(store, SeriesTarget.Meter("pdu1"), Jan1, Jan1, Granularity.Day))[0]);
    }

    [Fact]
    public async Task A_failure_stops_the_batches_after_it_and_keeps_the_ones_reported_committed()
    {
        var store = await NewPark();
        var committed = new List<IngestSummary>();
        var batches = new[]
        {
            new IngestBatch([P("pdu1", "2025-01-01T00:15:00+08:00", 100, 1)], Source),
            new IngestBatch([P("pdu1", "2025-01-01T00:30:00+08:00", 110, 1)], Source),
            new IngestBatch([P("pdu1", "2025-01-01T00:45:00+08:00", 125, 1)], Source) { Before = _ => throw new InvalidOperationException("step failed") },
            new IngestBatch([P("pdu1", "2025-01-01T01:00:00+08:00", 130, 1)], Source),
        };
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => store.IngestManyAsync("p1", batches, committed.Add));
        Assert.Equal("step failed", ex.Message);
        Assert.Equal(2, committed.Count);
        // Only the two reported batches are stored: 110 − 100 = 10.
        Assert.Equal(10.0, (await Values(store, SeriesTarget.Meter("pdu1"), Jan1, Jan1, Granularity.Day))[0]);
        var latest = await store.LatestReadingsAsync("p1");
        Assert.Equal(110.0, latest.Single(r => r.Meter == "pdu1").Value);
    }
}

public sealed class SqliteIngestManyTests : IngestManySuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

public sealed class PostgresIngestManyTests : IngestManySuite
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL ingest tests need ZEROPARK_TEST_PG; run ./scripts/test.sh (it starts a server on 127.0.0.1)")
        : TestDatabases.NewPostgresDatabase();
}
