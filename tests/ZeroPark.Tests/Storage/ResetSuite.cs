using System.Globalization;
using ZeroPark.Domain;
using ZeroPark.Metering;
using ZeroPark.Application;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.Storage;

/// <summary>
/// Drops of cumulative registers (suspected resets, their confirmation, meters whose resets are normal) and the expected
/// reading counts of the quality report in a daylight-saving zone, on SQLite and PostgreSQL. Park p1 is Asia/Shanghai
/// (UTC+8), readings every 15 minutes from 2025-01-01 00:15; every figure is worked out by hand in the comments.
/// </summary>
public abstract class ResetSuite : IAsyncLifetime
{
    protected ZeroParkStore Store { get; private set; } = null!;
    protected abstract string NewDatabase();

    private static readonly DateOnly Jan1 = new(2025, 1, 1);

    public async Task InitializeAsync()
    {
        Store = await ZeroParkStore.OpenAsync(NewDatabase());
        await Store.CreateParkAsync(new ParkDraft("p1", "Park One"));
        await Store.CreateMetersAsync("p1",
        [
            new MeterDraft("m1", "M1", "electricity", "cumulative", "kWh"),
            new MeterDraft("m2", "M2", "electricity", "cumulative", "kWh"),
            new MeterDraft("auto", "Auto", "electricity", "cumulative", "kWh") { ResetsNormal = true },
        ]);
    }

    public async Task DisposeAsync() => await Store.DisposeAsync();

    /// <summary>Reading i (1-based) at 00:00 + i × 15 min local.</summary>
    private static DateTimeOffset At(int i) => new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.FromHours(8)).AddMinutes(15 * i);

    private static List<RawPoint> Series(string meter, params double[] values) =>
        [.. values.Select((v, k) => new RawPoint(meter, At(k + 1), v, k + 1))];

    private Task<IngestSummary> Ingest(IReadOnlyList<RawPoint> points) => Store.IngestAsync("p1", points, new IngestSource("test", "tester"));

    private async Task<(double Sum, int Flagged)> Day(string meter)
    {
        var b = (await Store.SeriesAsync("p1", SeriesTarget.Meter(meter), Jan1, Jan1, Granularity.Day)).Buckets[0];
        return (b.Value ?? 0, b.Quality.Flagged);
    }

    private async Task<double> Month(string meter) =>
        (await Store.SeriesAsync("p1", SeriesTarget.Meter(meter), Jan1, Jan1, Granularity.Month)).Buckets[0].Value ?? 0;

    private static readonly double[] Eight = [100, 110, 120, 130, 50, 60, 70, 80];

    [Fact]
    public async Task The_same_eight_readings_give_the_same_total_in_either_order()
    {
        // 100, 110, 120, 130, then the register drops to 50 and climbs 60, 70, 80. Deltas: 0 (first), 10, 10, 10, 0 (suspected
        // reset: energy unknown), 10, 10, 10 (from 50 on) = 60 kWh, one reading flagged. The old rule measured 60, 70, 80
        // against 130 (all flagged) and stored 30 in time order, 60 with the later half first.
        await Ingest(Series("m1", Eight));
        var later = Series("m2", Eight);
        await Ingest(later[4..]);
        await Ingest(later[..4]);
        Assert.Equal((60.0, 1), await Day("m1"));
        Assert.Equal((60.0, 1), await Day("m2"));
        var suspects = await Store.ResetSuspectsAsync("p1");
        // Both listed at 01:15 (reading 5): 130 → 50.
        Assert.Equal([("m1", At(5), 50.0, (double?)130), ("m2", At(5), 50.0, 130)], suspects.Select(s => (s.Meter, s.At, s.Value, s.PreviousValue)));
        Assert.Single(await Store.ResetSuspectsAsync("p1", "m2"));
    }

    [Fact]
    public async Task A_drop_does_not_swallow_the_energy_after_it()
    {
        // 1,000 → 1,200 (200), drop to 5, then 60 and 317: 55 + 257 = 312 kWh after the drop are counted. Total 512.
        await Ingest(Series("m1", 1_000, 1_200, 5, 60, 317));
        Assert.Equal((512.0, 1), await Day("m1"));
        Assert.Equal(512.0, await Month("m1"));
    }

    [Fact]
    public async Task Confirming_a_reset_counts_the_new_value_and_corrects_the_rollups()
    {
        await Ingest(Series("m1", Eight));
        await Store.ConfirmResetAsync("p1", "m1", At(5), ResetResolution.Reset, null, "alice", "register cleared by the vendor");
        // 60 + 50 (the reset from zero: 0 → 50) = 110, nothing flagged any more. Hour 01:00–02:00 holds readings 01:15–02:00:
        // 50 + 10 + 10 + 10 = 80.
        Assert.Equal((110.0, 0), await Day("m1"));
        Assert.Equal(110.0, await Month("m1"));
        var hours = await Store.SeriesAsync("p1", SeriesTarget.Meter("m1"), Jan1, Jan1, Granularity.Hour);
        Assert.Equal(80.0, hours.Buckets[1].Value);
        Assert.Empty(await Store.ResetSuspectsAsync("p1"));
        var audit = Assert.Single(await Store.AuditLogAsync("p1"), a => a.Action == "confirm_reset");
        Assert.Equal(("alice", "register cleared by the vendor", "suspected_reset", "reset"), (audit.User, audit.Reason, audit.OldValue, audit.NewValue));
        Assert.StartsWith("m1@2025-01-01T01:15:00", audit.EntityKey);
        var r = (await Store.MeterReadingsAsync("p1", "m1", Jan1, Jan1))[4];
        Assert.Equal((ReadingFlags.Reset | ReadingFlags.ResetConfirmed, 50.0), (r.Flags, r.Delta));
        // Replaying the readings keeps the confirmation (they are duplicates).
        await Ingest(Series("m1", Eight));
        Assert.Equal((110.0, 0), await Day("m1"));
    }

    [Fact]
    public async Task Confirming_a_bad_reading_measures_the_next_one_from_the_reading_before()
    {
        // 110, 120, 5 (a glitch), 130, 140: suspected at 5, then 130 − 5 = 125: 0 + 10 + 0 + 125 + 10 = 145.
        await Ingest(Series("m1", 110, 120, 5, 130, 140));
        Assert.Equal((145.0, 1), await Day("m1"));
        await Store.ConfirmResetAsync("p1", "m1", At(3), ResetResolution.BadReading, null, "alice", null);
        // 5 is bad (not summed, still counted as flagged), 130 − 120 = 10: 0 + 10 + 0 + 10 + 10 = 30.
        Assert.Equal((30.0, 1), await Day("m1"));
        Assert.Empty(await Store.ResetSuspectsAsync("p1"));
    }

    [Fact]
    public async Task Confirming_a_replacement_counts_the_old_meter_up_to_its_final_value()
    {
        // 100, 110, 120, 130, 50, 60. A swap at 01:15: old meter's final 135 → Δ 135 − 130 = 5; the new one 50 → 60: 10.
        // 10 + 10 + 10 + 5 + 10 = 45.
        await Ingest(Series("m1", 100, 110, 120, 130, 50, 60));
        await Store.ConfirmResetAsync("p1", "m1", At(5), ResetResolution.Replacement, 135, "alice", null);
        Assert.Equal((45.0, 0), await Day("m1"));
        var audit = Assert.Single(await Store.AuditLogAsync("p1"), a => a.Action == "confirm_reset");
        Assert.Equal("replacement old_final=135", audit.NewValue);
        var r = (await Store.MeterReadingsAsync("p1", "m1", Jan1, Jan1))[4];
        Assert.Equal((ReadingFlags.Replacement | ReadingFlags.Manual, 5.0, (double?)135), (r.Flags, r.Delta, r.OldFinal));
        // Without the old final value, the previous reading's (130) is taken: no energy for the old meter: 40.
        await Ingest(Series("m2", 100, 110, 120, 130, 50, 60));
        await Store.ConfirmResetAsync("p1", "m2", At(5), ResetResolution.Replacement, null, "alice", null);
        Assert.Equal((40.0, 0), await Day("m2"));
        Assert.Empty(await Store.ResetSuspectsAsync("p1"));
    }

    [Fact]
    public async Task Only_a_drop_can_be_confirmed()
    {
        await Ingest(Series("m1", 100, 110));
        await Assert.ThrowsAsync<ConflictException>(() => Store.ConfirmResetAsync("p1", "m1", At(2), ResetResolution.Reset, null, "alice", null));
        await Assert.ThrowsAsync<NotFoundException>(() => Store.ConfirmResetAsync("p1", "m1", At(9), ResetResolution.Reset, null, "alice", null));
    }

    [Fact]
    public async Task On_a_meter_whose_resets_are_normal_a_drop_counts_from_zero_and_switching_it_on_recounts_history()
    {
        // auto: 100, 110, 120, 130, 50, 60: 30 + 50 (reset from zero) + 10 = 90, nothing flagged, nothing to confirm.
        await Ingest(Series("auto", 100, 110, 120, 130, 50, 60));
        Assert.Equal((90.0, 0), await Day("auto"));
        // m1, same readings, resets not normal: 30 + 0 + 10 = 40, one suspect. Switching the setting on recounts: 90.
        await Ingest(Series("m1", 100, 110, 120, 130, 50, 60));
        Assert.Equal((40.0, 1), await Day("m1"));
        await Store.UpdateMeterAsync("p1", "m1", new MeterDraft("m1", "M1", "electricity", "cumulative", "kWh") { ResetsNormal = true }, "alice");
        Assert.True((await Store.GetRegistryAsync("p1")).Meter("m1").ResetsNormal);
        Assert.Equal((90.0, 0), await Day("m1"));
        Assert.Equal(90.0, await Month("m1"));
        Assert.Empty(await Store.ResetSuspectsAsync("p1"));
        Assert.Contains(await Store.AuditLogAsync("p1"), a => a.Action == "update" && a.NewValue!.Contains("resets_normal=True"));
        // And off again: 40, the suspect is back.
        await Store.UpdateMeterAsync("p1", "m1", new MeterDraft("m1", "M1", "electricity", "cumulative", "kWh"), "alice");
        Assert.Equal((40.0, 1), await Day("m1"));
        Assert.Single(await Store.ResetSuspectsAsync("p1"));
    }

    [Fact]
    public async Task Resets_normal_applies_to_cumulative_meters_only()
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() => Store.CreateMetersAsync("p1",
            [new MeterDraft("iv", "IV", "electricity", "interval", "kWh") { ResetsNormal = true }]));
        Assert.Contains("resets_normal", e.Message);
    }

    [Fact]
    public async Task Daily_interval_meters_in_a_daylight_saving_zone_fit_23_and_25_hour_days_and_are_counted_to_the_nearest_interval()
    {
        await Store.CreateParkAsync(new ParkDraft("de", "Berlin", "Europe/Berlin"));
        await Store.CreateMetersAsync("de",
        [
            new MeterDraft("d", "Daily", "electricity", "interval", "kWh") { IntervalMinutes = 1440 },
            new MeterDraft("h", "Hourly", "electricity", "interval", "kWh") { IntervalMinutes = 60 },
        ]);
        // Daily readings closing Mar 29, Mar 30 (23 h: clocks go forward at 02:00) and Mar 31, each from local midnight to
        // local midnight (+01:00 before the change, +02:00 after).
        RawPoint Daily(string start, string end, double v, int line) =>
            new("d", DateTimeOffset.Parse(end, CultureInfo.InvariantCulture), v, line) { IntervalStart = DateTimeOffset.Parse(start, CultureInfo.InvariantCulture) };
        var s = await Store.IngestAsync("de",
        [
            Daily("2025-03-29T00:00:00+01:00", "2025-03-30T00:00:00+01:00", 24, 1),
            Daily("2025-03-30T00:00:00+01:00", "2025-03-31T00:00:00+02:00", 23, 2),   // 23 h
            Daily("2025-03-31T00:02:00+02:00", "2025-04-01T00:00:00+02:00", 24, 3),   // 1,438 min: within 2 min of 1,440
            Daily("2025-10-26T00:00:00+02:00", "2025-10-27T00:00:00+01:00", 25, 4),   // 25 h: clocks go back
            Daily("2025-04-01T00:10:00+02:00", "2025-04-02T00:00:00+02:00", 9, 5),    // 1,430 min: 10 min short
        ], new IngestSource("test", "tester"));
        Assert.Equal(4, s.Accepted);
        var rejected = Assert.Single(s.Rejected);
        Assert.Equal(5, rejected.Line);
        Assert.Contains("1430 min", rejected.Reason);
        // Mar 29..31 is 24 + 23 + 24 = 71 h: 71 / 24 = 2.96 daily intervals, 3 to the nearest (rounding down said 2, and
        // 3 received then read as 150 %, capped); 71 hourly intervals.
        var from = new DateOnly(2025, 3, 29);
        var to = new DateOnly(2025, 3, 31);
        var q = await Store.DataQualityAsync("de", null, from, to);
        Assert.Equal((3, 3, 100.0), q.Where(x => x.Meter == "d").Select(x => (x.Expected, x.Received, x.CompletenessPercent)).Single());
        Assert.Equal(71, q.Single(x => x.Meter == "h").Expected);
        // The series' day buckets agree: one expected reading each, the 23-hour day included.
        var days = await Store.SeriesAsync("de", SeriesTarget.Meter("d"), from, to, Granularity.Day);
        Assert.Equal([1, 1, 1], days.Buckets.Select(b => b.Quality.Expected));
        Assert.Equal([24.0, 23.0, 24.0], days.Buckets.Select(b => b.Value!.Value));
        // Oct 25..27: 24 + 25 + 24 = 73 h: 73 / 24 = 3.04 → 3.
        Assert.Equal(3, (await Store.DataQualityAsync("de", "d", new DateOnly(2025, 10, 25), new DateOnly(2025, 10, 27))).Single().Expected);
    }
}

public sealed class SqliteResetTests : ResetSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

public sealed class PostgresResetTests : ResetSuite
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL storage tests need ZEROPARK_TEST_PG; run ./scripts/test.sh (it starts a server on 127.0.0.1)")
        : TestDatabases.NewPostgresDatabase();
}
