using ZeroPark.Domain;
using ZeroPark.Metering;
using ZeroPark.Application;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.Storage;

/// <summary>The storage suite: every test runs on SQLite and on a real PostgreSQL (see the two subclasses).
/// Expected values are worked out by hand in comments.</summary>
public abstract class StorageSuite : IAsyncLifetime
{
    protected ZeroParkStore Store { get; private set; } = null!;
    protected string Database { get; private set; } = null!;
    protected abstract string NewDatabase();

    public async Task InitializeAsync()
    {
        Database = NewDatabase();
        Store = await ZeroParkStore.OpenAsync(Database);
        await Store.Registry.CreateParkAsync(new ParkDraft("p1", "Park One") { RacksTotal = 100, RacksInUse = 80, DesignItKw = 2000 });
        await Store.Registry.CreateSpaceAsync("p1", new SpaceDraft("b1", "Building 1", null));
        await Store.Registry.CreateSpaceAsync("p1", new SpaceDraft("b1-f1", "Floor 1", "b1"));
        await Store.Registry.CreateSpaceAsync("p1", new SpaceDraft("b1-r1", "Room 1", "b1-f1"));
        await Store.Registry.CreateSpaceAsync("p1", new SpaceDraft("b2", "Building 2", null));
        await Store.Registry.CreateMetersAsync("p1",
        [
            new MeterDraft("main", "Incoming line", "electricity", "cumulative", "kWh") { Role = "facility_input", SpaceCode = "b1", RegisterMax = 1_000_000 },
            new MeterDraft("pdu1", "PDU 1", "electricity", "cumulative", "kWh") { Role = "it_load", SystemCode = "it", SpaceCode = "b1-r1" },
            new MeterDraft("pdu2", "PDU 2", "electricity", "cumulative", "kWh") { Role = "it_load", SystemCode = "it", SpaceCode = "b1-r1" },
            new MeterDraft("chiller1", "Chiller 1", "electricity", "interval", "kWh") { SystemCode = "cooling.chiller", SpaceCode = "b1" },
            new MeterDraft("crah2", "CRAH B2", "electricity", "interval", "kWh") { SystemCode = "cooling.crah", SpaceCode = "b2" },
            new MeterDraft("ups_in", "UPS in", "electricity", "interval", "kWh") { Role = "check", SystemCode = "power.ups", SpaceCode = "b1" },
            new MeterDraft("ups_out", "UPS out", "electricity", "interval", "kWh") { Role = "check", SystemCode = "power.ups", SpaceCode = "b1" },
            new MeterDraft("ups_loss", "UPS loss", "electricity", "interval", "kWh") { SystemCode = "power.loss", SpaceCode = "b1", Formula = "ups_in - ups_out" },
            new MeterDraft("it_total", "IT total", "electricity", "interval", "kWh") { SystemCode = "it", Formula = "pdu1 + pdu2" },
            new MeterDraft("water", "Make-up water", "water", "cumulative", "m3") { Role = "water_input", SpaceCode = "b1" },
        ]);
    }

    public async Task DisposeAsync() => await Store.DisposeAsync();

    private static RawPoint P(string meter, string ts, double v, int line = 0) => new(meter, DateTimeOffset.Parse(ts, System.Globalization.CultureInfo.InvariantCulture), v, line);

    private Task<IngestSummary> Ingest(params RawPoint[] points) => Store.Readings.IngestAsync("p1", points, new IngestSource("test", "tester"));

    private static readonly DateOnly Jan1 = new(2025, 1, 1);

    [Fact]
    public async Task Migrations_are_versioned_and_idempotent()
    {
        // 001_initial … 011_reset_suspects, then each module's own range (012–019, 020–029, …, 080–089): the highest
        // embedded migration is applied, and a second run changes nothing.
        var latest = LatestMigration(Store.Kind);
        Assert.True(latest >= 11, $"latest migration {latest}");
        Assert.Equal(latest, await Store.SchemaVersionAsync());
        await Store.MigrateAsync();
        Assert.Equal(latest, await Store.SchemaVersionAsync());
    }

    /// <summary>The highest migration number embedded for the database kind (<c>…Migrations.{sqlite|postgres}.NNN_name.sql</c>).</summary>
    internal static int LatestMigration(StoreKind kind)
    {
        var prefix = $"ZeroPark.Application.Database.Migrations.{(kind == StoreKind.Sqlite ? "sqlite" : "postgres")}.";
        return typeof(ZeroParkStore).Assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .Select(n => int.Parse(n[prefix.Length..].Split('_')[0], System.Globalization.CultureInfo.InvariantCulture)).Max();
    }

    [Fact]
    public async Task Reading_at_local_midnight_belongs_to_the_previous_local_day()
    {
        // pdu1 register: 23:45 → 100, 00:00 → 110, 00:15 → 125 (Asia/Shanghai, UTC+8).
        // Δ at 00:00 = 10 covers [23:45, 00:00) of Dec 31; Δ at 00:15 = 15 covers [00:00, 00:15) of Jan 1.
        var s = await Ingest(P("pdu1", "2024-12-31T23:45:00+08:00", 100), P("pdu1", "2025-01-01T00:00:00+08:00", 110), P("pdu1", "2025-01-01T00:15:00+08:00", 125));
        Assert.Equal(3, s.Accepted);
        var days = await Store.Queries.SeriesAsync("p1", SeriesTarget.Meter("pdu1"), new DateOnly(2024, 12, 31), Jan1, Granularity.Day);
        Assert.Equal([10.0, 15.0], days.Buckets.Select(b => b.Value!.Value));
        Assert.Equal(DateTimeOffset.Parse("2025-01-01T00:00:00+08:00"), days.Buckets[1].Start);
        Assert.Equal("kWh", days.Unit);
    }

    [Fact]
    public async Task Same_batch_replayed_changes_nothing_and_a_different_value_is_an_audited_correction()
    {
        RawPoint[] batch = [P("pdu1", "2025-01-01T00:00:00+08:00", 100), P("pdu1", "2025-01-01T00:15:00+08:00", 110), P("pdu1", "2025-01-01T00:30:00+08:00", 120)];
        Assert.Equal(3, (await Ingest(batch)).Accepted);
        var replay = await Ingest(batch);
        Assert.Equal((0, 3, 0), (replay.Accepted, replay.Duplicates, replay.Corrected));
        var day = await Store.Queries.SeriesAsync("p1", SeriesTarget.Meter("pdu1"), Jan1, Jan1, Granularity.Day);
        Assert.Equal(20, day.Buckets[0].Value);                     // 120 − 100, not doubled by the replay
        var corr = await Ingest(P("pdu1", "2025-01-01T00:15:00+08:00", 112));
        Assert.Equal(1, corr.Corrected);
        var hours = await Store.Queries.SeriesAsync("p1", SeriesTarget.Meter("pdu1"), Jan1, Jan1, Granularity.QuarterHour);
        Assert.Equal(12, hours.Buckets[0].Value);                   // [00:00, 00:15): 112 − 100
        Assert.Equal(8, hours.Buckets[1].Value);                    // [00:15, 00:30): 120 − 112
        day = await Store.Queries.SeriesAsync("p1", SeriesTarget.Meter("pdu1"), Jan1, Jan1, Granularity.Day);
        Assert.Equal(20, day.Buckets[0].Value);
        var audit = await Store.Audit.AuditLogAsync("p1");
        var entry = Assert.Single(audit, a => a.Action == "correct");
        Assert.Equal(("110", "112", "tester"), (entry.OldValue, entry.NewValue, entry.User));
    }

    [Fact]
    public async Task Out_of_order_data_gives_the_same_rollups_as_in_order_data()
    {
        // 00:00 100, 00:15 104, 00:30 109, 00:45 115, 01:00 122 sent as 01:00, 00:00, 00:30 then 00:15, 00:45.
        await Ingest(P("pdu2", "2025-01-01T01:00:00+08:00", 122), P("pdu2", "2025-01-01T00:00:00+08:00", 100));
        await Ingest(P("pdu2", "2025-01-01T00:30:00+08:00", 109));
        await Ingest(P("pdu2", "2025-01-01T00:15:00+08:00", 104), P("pdu2", "2025-01-01T00:45:00+08:00", 115));
        var q = await Store.Queries.SeriesAsync("p1", SeriesTarget.Meter("pdu2"), Jan1, Jan1, Granularity.QuarterHour);
        Assert.Equal([4.0, 5.0, 6.0, 7.0], q.Buckets.Take(4).Select(b => b.Value!.Value));
        var h = await Store.Queries.SeriesAsync("p1", SeriesTarget.Meter("pdu2"), Jan1, Jan1, Granularity.Hour);
        Assert.Equal(22, h.Buckets[0].Value);                       // 122 − 100
        Assert.Equal(4, h.Buckets[0].Quality.Received);
        Assert.Equal(0, h.Buckets[0].Quality.Flagged);
    }

    [Fact]
    public async Task Rollover_and_replacement_are_counted_and_a_drop_is_a_suspected_reset()
    {
        // main (6-digit): 999,990 → 10 (rollover, Δ20) → 5 (drop: suspected reset, Δ0, flagged) → 9 (stays below 10, so the
        // drop stays a suspected reset: Δ4 from 5)
        await Ingest(P("main", "2025-01-01T00:00:00+08:00", 999_990), P("main", "2025-01-01T00:15:00+08:00", 10),
            P("main", "2025-01-01T00:30:00+08:00", 5), P("main", "2025-01-01T00:45:00+08:00", 9));
        // replacement at 01:00: old meter final 50 (Δ 50 − 9 = 41), new meter starts at 0; 01:15 → 7 (Δ7)
        await Store.Readings.ReplaceMeterAsync("p1", "main", DateTimeOffset.Parse("2025-01-01T01:00:00+08:00"), 50, 0, "tech", "meter swap");
        await Ingest(P("main", "2025-01-01T01:15:00+08:00", 7));
        var day = await Store.Queries.SeriesAsync("p1", SeriesTarget.Meter("main"), Jan1, Jan1, Granularity.Day);
        Assert.Equal(20 + 4 + 41 + 7, day.Buckets[0].Value);
        Assert.Equal(1, day.Buckets[0].Quality.Flagged);
        var q = (await Store.Queries.DataQualityAsync("p1", "main", Jan1, Jan1)).Single();
        Assert.Contains(q.FlaggedReadings!, f => f.Flags.Contains("suspected_reset"));
        Assert.Contains(q.FlaggedReadings!, f => f.Flags.Contains("rollover"));
        Assert.Contains(q.FlaggedReadings!, f => f.Flags.Contains("replacement"));
        Assert.Contains(await Store.Audit.AuditLogAsync("p1"), a => a.Action == "replace" && a.Reason == "meter swap");
    }

    [Fact]
    public async Task Unknown_meters_and_bad_values_are_rejected_by_line_and_the_rest_kept()
    {
        var s = await Ingest(P("pdu1", "2025-01-01T00:00:00+08:00", 1, 2), P("nope", "2025-01-01T00:00:00+08:00", 1, 3),
            P("pdu1", "2025-01-01T00:15:00+08:00", -5, 4), P("pdu1", "2025-01-01T00:30:00+08:00", 3, 5));
        Assert.Equal(2, s.Accepted);
        Assert.Equal([3, 4], s.Rejected.Select(r => r.Line));
        Assert.Contains("nope", s.Rejected[0].Reason);
        Assert.Contains("negative", s.Rejected[1].Reason);
    }

    [Fact]
    public async Task Node_sums_use_aggregates_and_include_virtual_meters()
    {
        // Interval meters, one hour 00:00–01:00 local on Jan 1 (4 × 15 min each).
        var pts = new List<RawPoint>();
        for (var i = 1; i <= 4; i++)
        {
            var ts = $"2025-01-01T{(i * 15) / 60:00}:{(i * 15) % 60:00}:00+08:00";
            pts.Add(P("chiller1", ts, 10));   // 40 kWh in the hour
            pts.Add(P("crah2", ts, 2));       // 8 kWh (building 2)
            pts.Add(P("ups_in", ts, 105));    // 420
            pts.Add(P("ups_out", ts, 100));   // 400 → loss 20
        }
        await Ingest([.. pts]);
        await Ingest(P("pdu1", "2025-01-01T00:00:00+08:00", 0), P("pdu1", "2025-01-01T01:00:00+08:00", 380));
        var cooling = await Store.Queries.SeriesAsync("p1", SeriesTarget.Node(system: "cooling"), Jan1, Jan1, Granularity.Day);
        Assert.Equal(48, cooling.Total);                                                   // 40 + 8
        var coolingB1 = await Store.Queries.SeriesAsync("p1", SeriesTarget.Node(space: "b1", system: "cooling"), Jan1, Jan1, Granularity.Hour);
        Assert.Equal(40, coolingB1.Buckets[0].Value);
        var power = await Store.Queries.SeriesAsync("p1", SeriesTarget.Node(system: "power"), Jan1, Jan1, Granularity.Day);
        Assert.Equal(20, power.Total);                                                     // only the virtual loss; check meters excluded
        var loss = await Store.Queries.SeriesAsync("p1", SeriesTarget.Meter("ups_loss"), Jan1, Jan1, Granularity.Hour);
        Assert.Equal(20, loss.Buckets[0].Value);
        var it = await Store.Queries.SeriesAsync("p1", SeriesTarget.Node(role: MeterRole.ItLoad), Jan1, Jan1, Granularity.Month);
        Assert.Equal(380, it.Total);
        var all = await Store.Queries.SeriesAsync("p1", SeriesTarget.Node(space: "b1"), Jan1, Jan1, Granularity.Day);
        Assert.Equal(40 + 20 + 380, all.Total);                                            // chiller + UPS loss + pdu1
        var itSystem = await Store.Queries.SeriesAsync("p1", SeriesTarget.Node(system: "it"), Jan1, Jan1, Granularity.Day);
        Assert.Equal(380, itSystem.Total);   // not 760: the virtual IT total (pdu1 + pdu2) is not added on top of the PDUs
        var itVirtual = await Store.Queries.SeriesAsync("p1", SeriesTarget.Meter("it_total"), Jan1, Jan1, Granularity.Day);
        Assert.Equal(380, itVirtual.Total);
    }

    [Fact]
    public async Task Gaps_are_reported_and_filled_only_when_asked_with_the_fill_marked_estimated()
    {
        // pdu1 every 15 min on Jan 1 except 02:15..02:45 missing (3 readings), register +10 per interval.
        var pts = new List<RawPoint>();
        var t0 = DateTimeOffset.Parse("2025-01-01T00:00:00+08:00");
        for (var i = 0; i <= 96; i++)
        {
            if (i is >= 9 and <= 11) continue;
            pts.Add(new RawPoint("pdu1", t0.AddMinutes(15 * i), 1000 + 10 * i, i + 1));
        }
        await Ingest([.. pts]);
        var q = (await Store.Queries.DataQualityAsync("p1", "pdu1", Jan1, Jan1)).Single();
        // readings with ts in (00:00, 24:00]: 96 − 3 = 93 of 96 expected
        Assert.Equal((96, 93), (q.Expected, q.Received));
        var gap = Assert.Single(q.Gaps!);
        Assert.Equal((t0.AddMinutes(120), t0.AddMinutes(165)), (gap.Start, gap.End));   // [02:00, 02:45) has no readings closing it
        var before = await Store.Queries.SeriesAsync("p1", SeriesTarget.Meter("pdu1"), Jan1, Jan1, Granularity.Hour);
        Assert.Equal(40, before.Buckets[2].Value);   // 02:00–03:00: the 03:00 reading closes the gap, Δ = 40 all in this hour
        Assert.Equal("partial", before.Buckets[2].Quality.Label);
        var fill = await Store.Readings.FillGapsAsync("p1", "pdu1", Jan1, Jan1, "tester");
        Assert.Equal(3, fill.Accepted);
        var after = await Store.Queries.SeriesAsync("p1", SeriesTarget.Meter("pdu1"), Jan1, Jan1, Granularity.QuarterHour);
        Assert.Equal([10.0, 10.0, 10.0, 10.0], after.Buckets.Skip(8).Take(4).Select(b => b.Value!.Value));
        Assert.Equal("estimated", after.Buckets[9].Quality.Label);
        var day = await Store.Queries.SeriesAsync("p1", SeriesTarget.Meter("pdu1"), Jan1, Jan1, Granularity.Day);
        Assert.Equal(960, day.Buckets[0].Value);     // unchanged by filling: 96 × 10
    }

    [Fact]
    public async Task Latest_readings_and_top_meters_come_from_state_and_rollups()
    {
        await Ingest(P("pdu1", "2025-01-01T00:00:00+08:00", 0), P("pdu1", "2025-01-02T00:00:00+08:00", 500),
            P("pdu2", "2025-01-01T00:00:00+08:00", 0), P("pdu2", "2025-01-02T00:00:00+08:00", 700));
        var latest = await Store.Queries.LatestReadingsAsync("p1");
        Assert.Equal(700, latest.Single(l => l.Meter == "pdu2").Value);
        var top = await Store.Queries.TopMetersAsync("p1", new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 31), 10);
        Assert.Equal(["pdu2", "pdu1"], top.Select(t => t.Meter));
    }

    [Fact]
    public async Task Manual_entry_requires_a_reason_and_is_audited()
    {
        await Assert.ThrowsAsync<ValidationException>(() => Store.Readings.ManualEntryAsync("p1", "water", DateTimeOffset.Parse("2025-01-01T08:00:00+08:00"), 12, "ann", ""));
        await Store.Readings.ManualEntryAsync("p1", "water", DateTimeOffset.Parse("2025-01-01T08:00:00+08:00"), 12, "ann", "monthly hand reading");
        var e = Assert.Single(await Store.Audit.AuditLogAsync("p1"), a => a.Action == "manual_entry");
        Assert.Equal(("ann", "monthly hand reading", "12"), (e.User, e.Reason, e.NewValue));
    }

    [Fact]
    public async Task Registry_rejects_bad_input_naming_the_field()
    {
        var ex = await Assert.ThrowsAsync<ValidationException>(() => Store.Registry.CreateMetersAsync("p1", [new MeterDraft("w2", "W", "water", "cumulative", "kWh")]));
        Assert.Equal("unit", ex.Field);
        ex = await Assert.ThrowsAsync<ValidationException>(() => Store.Registry.CreateMetersAsync("p1", [new MeterDraft("x", "X", "electricity", "cumulative", "kWh") { SpaceCode = "nowhere" }]));
        Assert.Equal("space", ex.Field);
        await Assert.ThrowsAsync<ConflictException>(() => Store.Registry.CreateMetersAsync("p1", [new MeterDraft("pdu1", "dup", "electricity", "cumulative", "kWh")]));
        ex = await Assert.ThrowsAsync<ValidationException>(() => Store.Registry.CreateSpaceAsync("p1", new SpaceDraft("r9", "Rack", "b1-r1", "building")));
        Assert.Equal("level", ex.Field);
    }

    [Fact]
    public async Task Reattaching_a_meter_rebuilds_the_aggregates()
    {
        await Ingest(P("chiller1", "2025-01-01T00:15:00+08:00", 10));
        var b2Before = await Store.Queries.SeriesAsync("p1", SeriesTarget.Node(space: "b2", system: "cooling"), Jan1, Jan1, Granularity.Day);
        Assert.Null(b2Before.Buckets[0].Value);
        await Store.Registry.UpdateMeterAsync("p1", "chiller1", new MeterDraft("chiller1", "Chiller 1", "electricity", "interval", "kWh") { SystemCode = "cooling.chiller", SpaceCode = "b2" });
        var b2 = await Store.Queries.SeriesAsync("p1", SeriesTarget.Node(space: "b2", system: "cooling"), Jan1, Jan1, Granularity.Day);
        Assert.Equal(10, b2.Total);
        var b1 = await Store.Queries.SeriesAsync("p1", SeriesTarget.Node(space: "b1", system: "cooling"), Jan1, Jan1, Granularity.Day);
        Assert.Equal(0, b1.Total);
    }
    [Fact]
    public async Task A_second_process_sees_registry_changes_without_restarting()
    {
        // Two store instances on one database stand for the server and the CLI.
        await using var other = await ZeroParkStore.OpenAsync(Database);
        Assert.False((await other.Registry.GetRegistryAsync("p1")).MetersByCode.ContainsKey("late"));
        await Store.Registry.CreateMetersAsync("p1", [new MeterDraft("late", "Late meter", "electricity", "interval", "kWh") { SystemCode = "aux.lighting" }]);
        var s = await other.Readings.IngestAsync("p1", [P("late", "2025-01-01T00:15:00+08:00", 3)], new IngestSource("test", "t"));
        Assert.Equal(1, s.Accepted);
    }

    [Fact]
    public async Task Onsite_generation_is_not_counted_as_consumption_and_virtual_role_meters_count_once()
    {
        await Store.Registry.CreateMetersAsync("p1",
        [
            new MeterDraft("pv", "Rooftop PV", "electricity", "interval", "kWh") { Role = "renewable_onsite", SystemCode = "energy.pv" },
            new MeterDraft("srv1", "Server feed 1", "electricity", "interval", "kWh") { SystemCode = "it.server", SpaceCode = "b2" },
            new MeterDraft("srv2", "Server feed 2", "electricity", "interval", "kWh") { SystemCode = "it.server", SpaceCode = "b2" },
        ]);
        await Store.Registry.CreateMetersAsync("p1", [new MeterDraft("b2_it", "B2 IT load", "electricity", "interval", "kWh") { Role = "it_load", SpaceCode = "b2", Formula = "srv1 + srv2" }]);
        await Ingest(P("pv", "2025-01-01T12:15:00+08:00", 50), P("srv1", "2025-01-01T12:15:00+08:00", 7), P("srv2", "2025-01-01T12:15:00+08:00", 5));
        var all = await Store.Queries.SeriesAsync("p1", SeriesTarget.Node(), Jan1, Jan1, Granularity.Day);
        Assert.Equal(12, all.Total);                  // 7 + 5; the 50 kWh generated are not consumption
        var pv = await Store.Queries.SeriesAsync("p1", SeriesTarget.Node(role: MeterRole.RenewableOnsite), Jan1, Jan1, Granularity.Day);
        Assert.Equal(50, pv.Total);
        var itB2 = await Store.Queries.SeriesAsync("p1", SeriesTarget.Node(space: "b2", role: MeterRole.ItLoad), Jan1, Jan1, Granularity.Day);
        Assert.Equal(12, itB2.Total);                 // the virtual IT meter over two sub-meters, counted once
    }

    [Fact]
    public async Task Formulas_are_checked_on_create_and_update()
    {
        var ex = await Assert.ThrowsAsync<ValidationException>(() => Store.Registry.CreateMetersAsync("p1", [new MeterDraft("mix", "Mix", "electricity", "interval", "kWh") { Formula = "pdu1 + water" }]));
        Assert.Contains("water", ex.Message);
        ex = await Assert.ThrowsAsync<ValidationException>(() => Store.Registry.UpdateMeterAsync("p1", "ups_loss",
            new MeterDraft("ups_loss", "UPS loss", "electricity", "interval", "kWh") { SystemCode = "power.loss", Formula = "ups_in - ghost" }));
        Assert.Equal("formula", ex.Field);
        ex = await Assert.ThrowsAsync<ValidationException>(() => Store.Registry.UpdateMeterAsync("p1", "ups_loss",
            new MeterDraft("ups_loss", "UPS loss", "electricity", "interval", "kWh") { SystemCode = "power.loss", Formula = "ups_in - ups_loss" }));
        Assert.Contains("cycle", ex.Message);
    }
}

public sealed class SqliteStorageTests : StorageSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

public sealed class PostgresStorageTests : StorageSuite
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL storage tests need ZEROPARK_TEST_PG; run ./scripts/test.sh (it starts a server on 127.0.0.1)")
        : TestDatabases.NewPostgresDatabase();
}
