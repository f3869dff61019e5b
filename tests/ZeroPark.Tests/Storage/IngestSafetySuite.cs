using Dapper;
using ZeroPark.Domain;
using ZeroPark.Metering;
using ZeroPark.Application;
using ZeroPark.Tests.Api;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.Storage;

/// <summary>Issue 11: meter codes that keep their case, readings too far in the future, voided readings; on SQLite and
/// PostgreSQL. The clock is fixed at 2025-01-10T00:00Z. Figures are worked out by hand in comments.</summary>
public abstract class IngestSafetySuite : IAsyncLifetime
{
    protected ZeroParkStore Store { get; private set; } = null!;
    private readonly TestClock _clock = new() { Now = new DateTimeOffset(2025, 1, 10, 0, 0, 0, TimeSpan.Zero) };
    protected abstract string NewDatabase();

    public async Task InitializeAsync()
    {
        Store = await ZeroParkStore.OpenAsync(NewDatabase(), _clock);
        await Store.Registry.CreateParkAsync(new ParkDraft("p1", "Park One"));
        await Store.Registry.CreateSpaceAsync("p1", new SpaceDraft("b1", "Building 1", null));
        await Store.Registry.CreateMetersAsync("p1",
        [
            new MeterDraft("PDU-A1", "PDU A1", "electricity", "cumulative", "kWh") { Role = "it_load", SystemCode = "it", SpaceCode = "b1" },
            new MeterDraft("M1", "Main", "electricity", "cumulative", "kWh") { Role = "facility_input", SpaceCode = "b1" },
        ]);
    }

    public async Task DisposeAsync() => await Store.DisposeAsync();

    private static RawPoint P(string meter, string ts, double v, int line = 0) => new(meter, DateTimeOffset.Parse(ts, System.Globalization.CultureInfo.InvariantCulture), v, line);

    private Task<IngestSummary> Ingest(params RawPoint[] points) => Store.Readings.IngestAsync("p1", points, new IngestSource("test", "tester"));

    private static readonly DateOnly Jan1 = new(2025, 1, 1);

    [Fact]
    public async Task Meter_codes_keep_their_case_and_match_ignoring_case()
    {
        var reg = await Store.Registry.GetRegistryAsync("p1");
        Assert.Equal(["M1", "PDU-A1"], reg.MetersByCode.Values.Select(m => m.Code).Order(StringComparer.Ordinal));
        // A code that differs only by case is the same meter: refused as a duplicate, in one batch and against the registry.
        var dup = await Assert.ThrowsAsync<ConflictException>(() => Store.Registry.CreateMetersAsync("p1", [new MeterDraft("m1", "again", "electricity", "cumulative", "kWh")]));
        Assert.Contains("'M1'", dup.Message);
        await Assert.ThrowsAsync<ConflictException>(() => Store.Registry.CreateMetersAsync("p1",
            [new MeterDraft("X9", "x", "electricity", "cumulative", "kWh"), new MeterDraft("x9", "x", "electricity", "cumulative", "kWh")]));
        // The database refuses it too (migration 010: unique per park on lower(code)).
        await using (var c = await Store.OpenConnectionAsync())
        {
            var park = reg.Park.Id.Value;
            await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => c.ExecuteAsync(
                "INSERT INTO meters (park_id, code, name, carrier, kind, unit, multiplier, interval_s, role) VALUES (@park, 'pdu-a1', 'x', 'electricity', 'cumulative', 'kWh', 1, 900, 'submeter')",
                new { park }));
        }
        // Readings for m1, M1 and pdu-a1 land on the meters M1 and PDU-A1: 100 → 110 → 125 gives Δ 10 + 15 = 25 kWh.
        var s = await Ingest(P("m1", "2025-01-01T00:15:00+08:00", 100, 1), P("M1", "2025-01-01T00:30:00+08:00", 110, 2), P("m1", "2025-01-01T00:45:00+08:00", 125, 3),
            P("pdu-a1", "2025-01-01T00:15:00+08:00", 5, 4), P("nope", "2025-01-01T00:15:00+08:00", 5, 5));
        Assert.Equal(4, s.Accepted);
        Assert.Equal(5, Assert.Single(s.Rejected).Line);
        Assert.Equal(25, (await Store.Queries.SeriesAsync("p1", SeriesTarget.Meter("m1"), Jan1, Jan1, Granularity.Day)).Buckets[0].Value);
        Assert.Equal(25, (await Store.Queries.SeriesAsync("p1", SeriesTarget.Meter("M1"), Jan1, Jan1, Granularity.Day)).Buckets[0].Value);
        Assert.Contains(await Store.Queries.LatestReadingsAsync("p1"), l => l.Meter == "M1" && l.Value == 125);
        // Update through another spelling keeps the stored code.
        var updated = await Store.Registry.UpdateMeterAsync("p1", "pdu-a1", new MeterDraft("pdu-a1", "PDU A1 renamed", "electricity", "cumulative", "kWh") { Role = "it_load", SystemCode = "it", SpaceCode = "b1" });
        Assert.Equal("PDU-A1", updated.Code);
        Assert.Equal("PDU A1 renamed", updated.Name);
    }

    [Fact]
    public async Task Readings_beyond_the_future_tolerance_are_refused_per_row()
    {
        // Clock 2025-01-10T00:00Z, tolerance 1 day: the latest accepted instant is 2025-01-11T00:00Z (inclusive).
        var s = await Ingest(
            P("M1", "2025-01-10T08:00:00+08:00", 100, 1),   // = now: accepted
            P("M1", "2025-01-11T08:00:00+08:00", 110, 2),   // = now + 1 day exactly: accepted
            P("M1", "2025-01-11T08:00:01+08:00", 111, 3),   // 1 s past the limit: refused
            P("M1", "2031-01-11T08:00:00+08:00", 120, 4),   // a mistyped year: refused
            P("M1", "9999-12-31T00:00:00+00:00", 130, 5));  // refused
        Assert.Equal(2, s.Accepted);
        Assert.Equal([3, 4, 5], s.Rejected.Select(r => r.Line));
        Assert.All(s.Rejected, r => Assert.StartsWith("timestamp: ", r.Reason));
        Assert.Contains("2031-01-11T08:00:00+08:00", s.Rejected[1].Reason);
        Assert.Equal(new DateTimeOffset(2025, 1, 11, 0, 0, 0, TimeSpan.Zero), Assert.Single(await Store.Queries.LatestReadingsAsync("p1")).At);
        // The tolerance is configurable: with none, 1 s past the clock is refused.
        Store.Readings.FutureTolerance = TimeSpan.Zero;
        var z = await Ingest(P("PDU-A1", "2025-01-10T00:00:00Z", 1, 1), P("PDU-A1", "2025-01-10T00:00:01Z", 2, 2));
        Assert.Equal(1, z.Accepted);
        Assert.Equal(2, Assert.Single(z.Rejected).Line);
        await Assert.ThrowsAsync<ValidationException>(() => Store.Readings.ReplaceMeterAsync("p1", "M1", new DateTimeOffset(2025, 1, 10, 0, 0, 1, TimeSpan.Zero), 200, 0, "tester", "swap"));
    }

    [Fact]
    public async Task Voiding_a_reading_in_the_middle_recomputes_the_next_deltas_and_the_rollups()
    {
        // PDU-A1, cumulative kWh, 15-minute interval, Asia/Shanghai. 00:30 was mistyped 1250 instead of 125.
        await Ingest(P("PDU-A1", "2025-01-01T00:00:00+08:00", 100), P("PDU-A1", "2025-01-01T00:15:00+08:00", 110),
            P("PDU-A1", "2025-01-01T00:30:00+08:00", 1250), P("PDU-A1", "2025-01-01T00:45:00+08:00", 135),
            P("PDU-A1", "2025-01-01T01:00:00+08:00", 150), P("PDU-A1", "2025-01-01T01:15:00+08:00", 160));
        // Before: 00:00 is the first reading (baseline, Δ 0; it belongs to Dec 31, the day of ts − 1 s).
        // 00:15 Δ 10; 00:30 Δ 1250 − 110 = 1140; 00:45 drops below 1250: a suspected reset (Δ 0, flagged, not summed);
        // later readings count from the new value: 01:00 Δ 150 − 135 = 15, 01:15 Δ 10.
        // Hour 00 (00:00, 01:00]: 10 + 1140 + 15 = 1165 kWh, 4 readings, 1 flagged; hour 01: 10 kWh, 1 reading, none flagged.
        // Day Jan 1: 1175 kWh, 5 readings, 1 flagged. The IT load node (b1, it_load) sums the same.
        var hours = await Store.Queries.SeriesAsync("p1", SeriesTarget.Meter("PDU-A1"), Jan1, Jan1, Granularity.Hour);
        Assert.Equal([1165.0, 10.0], hours.Buckets.Take(2).Select(b => b.Value ?? 0));
        Assert.Equal([(4, 1), (1, 0)], hours.Buckets.Take(2).Select(b => (b.Quality.Received, b.Quality.Flagged)));
        var day = (await Store.Queries.SeriesAsync("p1", SeriesTarget.Meter("PDU-A1"), Jan1, Jan1, Granularity.Day)).Buckets[0];
        Assert.Equal((1175.0, 5, 1), (day.Value!.Value, day.Quality.Received, day.Quality.Flagged));

        var v = await Store.Readings.VoidReadingsAsync("p1", "pdu-a1", DateTimeOffset.Parse("2025-01-01T00:30:00+08:00"), DateTimeOffset.Parse("2025-01-01T00:30:00+08:00"),
            "alice", "typo: 1250 for 125");
        // Only 00:45 changes (suspected reset Δ 0 → Δ 25); 01:00 and 01:15 already counted from 135.
        Assert.Equal((1, 1), (v.Voided, v.Recomputed));
        // After: 00:45 Δ 135 − 110 = 25 (a 30-minute interval: gap flag, kept), 01:00 Δ 15, 01:15 Δ 10.
        // Hour 00: 10 + 25 + 15 = 50 kWh, 3 readings, none flagged; hour 01: 10 kWh, 1 reading. Day: 60 kWh, 4 readings.
        hours = await Store.Queries.SeriesAsync("p1", SeriesTarget.Meter("PDU-A1"), Jan1, Jan1, Granularity.Hour);
        Assert.Equal([50.0, 10.0], hours.Buckets.Take(2).Select(b => b.Value ?? 0));
        Assert.Equal([(3, 0), (1, 0)], hours.Buckets.Take(2).Select(b => (b.Quality.Received, b.Quality.Flagged)));
        day = (await Store.Queries.SeriesAsync("p1", SeriesTarget.Meter("PDU-A1"), Jan1, Jan1, Granularity.Day)).Buckets[0];
        Assert.Equal((60.0, 4, 0), (day.Value!.Value, day.Quality.Received, day.Quality.Flagged));
        var month = await Store.Queries.SeriesAsync("p1", SeriesTarget.Meter("PDU-A1"), Jan1, new DateOnly(2025, 1, 31), Granularity.Month);
        Assert.Equal(60, month.Buckets[0].Value);
        // The aggregate series the meter feeds (building b1, role it_load) follows.
        var node = await Store.Queries.SeriesAsync("p1", SeriesTarget.Node("b1", role: MeterRole.ItLoad), Jan1, Jan1, Granularity.Day);
        Assert.Equal(60, node.Buckets[0].Value);
        var readings = await Store.Readings.MeterReadingsAsync("p1", "PDU-A1", Jan1, Jan1);
        Assert.DoesNotContain(readings, r => r.Value == 1250);
        var r45 = readings.Single(r => r.Value == 135);
        Assert.Equal(25, r45.Delta);
        Assert.True((r45.Flags & ReadingFlags.Gap) != 0);
        var audit = (await Store.Audit.AuditLogAsync("p1")).First(a => a.Action == "void");
        Assert.Equal(("alice", "typo: 1250 for 125", "PDU-A1@2025-01-01T00:30:00+08:00"), (audit.User, audit.Reason, audit.EntityKey));
        Assert.Contains("2025-01-01T00:30:00+08:00=1250", audit.OldValue);
        // Voiding again finds nothing; a reason is required.
        Assert.Equal(0, (await Store.Readings.VoidReadingsAsync("p1", "PDU-A1", DateTimeOffset.Parse("2025-01-01T00:30:00+08:00"), DateTimeOffset.Parse("2025-01-01T00:30:00+08:00"), "alice", "again")).Voided);
        Assert.Equal("reason", (await Assert.ThrowsAsync<ValidationException>(() => Store.Readings.VoidReadingsAsync("p1", "PDU-A1", Jan1.ToDateTime(TimeOnly.MinValue), Jan1.ToDateTime(TimeOnly.MinValue), "alice", " "))).Field);
    }

    [Fact]
    public async Task A_far_future_reading_can_be_voided_by_range_and_the_latest_reading_moves_back()
    {
        // Accepted under a generous tolerance (10 years), then voided: the meter's latest goes back to 2025.
        Store.Readings.FutureTolerance = TimeSpan.FromDays(3650);
        await Ingest(P("M1", "2025-01-01T00:15:00+08:00", 100), P("M1", "2025-01-01T00:30:00+08:00", 110), P("M1", "2031-06-01T00:00:00+08:00", 130));
        Assert.Equal(2031, Assert.Single(await Store.Queries.LatestReadingsAsync("p1")).At.Year);
        var v = await Store.Readings.VoidReadingsAsync("p1", "M1", DateTimeOffset.Parse("2030-01-01T00:00:00+08:00"), DateTimeOffset.Parse("2031-12-31T00:00:00+08:00"), "bob", "mistyped year");
        Assert.Equal((1, 0), (v.Voided, v.Recomputed));
        var latest = Assert.Single(await Store.Queries.LatestReadingsAsync("p1"));
        Assert.Equal((DateTimeOffset.Parse("2025-01-01T00:30:00+08:00"), 110.0), (latest.At, latest.Value));
        // 2031-05 (the day of ts − 1 s is May 31): the voided Δ 130 − 110 = 20 is gone from the month.
        var may = await Store.Queries.SeriesAsync("p1", SeriesTarget.Meter("M1"), new DateOnly(2031, 5, 1), new DateOnly(2031, 5, 31), Granularity.Month);
        Assert.Equal(0, may.Buckets[0].Value ?? 0);
        // Jan 2025 keeps Δ 10.
        Assert.Equal(10, (await Store.Queries.SeriesAsync("p1", SeriesTarget.Meter("M1"), Jan1, Jan1, Granularity.Day)).Buckets[0].Value);
    }
}

public sealed class SqliteIngestSafetyTests : IngestSafetySuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();

    [Fact]
    public async Task Every_store_connection_runs_wal_with_synchronous_full()
    {
        // synchronous: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA. Two connections: the pool hands out more than one.
        await using var a = await Store.OpenConnectionAsync();
        await using var b = await Store.OpenConnectionAsync();
        foreach (var c in new[] { a, b })
        {
            Assert.Equal(2L, await c.ExecuteScalarAsync<long>("PRAGMA synchronous"));
            Assert.Equal("wal", await c.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
        }
    }
}

public sealed class PostgresIngestSafetyTests : IngestSafetySuite
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL tests need ZEROPARK_TEST_PG; run ./scripts/test.sh (it starts a server on 127.0.0.1)")
        : TestDatabases.NewPostgresDatabase();
}
