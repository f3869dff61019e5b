using Dapper;
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
        await Store.Registry.CreateParkAsync(new ParkDraft("p1", "Park One"));
        await Store.Registry.CreateMetersAsync("p1",
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

    private Task<IngestSummary> Ingest(IReadOnlyList<RawPoint> points) => Store.Readings.IngestAsync("p1", points, new IngestSource("test", "tester"));

    private async Task<(double Sum, int Flagged)> Day(string meter)
    {
        var b = (await Store.Queries.SeriesAsync("p1", SeriesTarget.Meter(meter), Jan1, Jan1, Granularity.Day)).Buckets[0];
        return (b.Value ?? 0, b.Quality.Flagged);
    }

    private async Task<double> Month(string meter) =>
        (await Store.Queries.SeriesAsync("p1", SeriesTarget.Meter(meter), Jan1, Jan1, Granularity.Month)).Buckets[0].Value ?? 0;

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
        var suspects = await Store.Readings.ResetSuspectsAsync("p1");
        // Both listed at 01:15 (reading 5): 130 → 50.
        Assert.Equal([("m1", At(5), 50.0, (double?)130), ("m2", At(5), 50.0, 130)], suspects.Select(s => (s.Meter, s.At, s.Value, s.PreviousValue)));
        Assert.Single(await Store.Readings.ResetSuspectsAsync("p1", "m2"));
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
        await Store.Readings.ConfirmResetAsync("p1", "m1", At(5), ResetResolution.Reset, null, "alice", "register cleared by the vendor");
        // 60 + 50 (the reset from zero: 0 → 50) = 110, nothing flagged any more. Hour 01:00–02:00 holds readings 01:15–02:00:
        // 50 + 10 + 10 + 10 = 80.
        Assert.Equal((110.0, 0), await Day("m1"));
        Assert.Equal(110.0, await Month("m1"));
        var hours = await Store.Queries.SeriesAsync("p1", SeriesTarget.Meter("m1"), Jan1, Jan1, Granularity.Hour);
        Assert.Equal(80.0, hours.Buckets[1].Value);
        Assert.Empty(await Store.Readings.ResetSuspectsAsync("p1"));
        var audit = Assert.Single(await Store.Audit.AuditLogAsync("p1"), a => a.Action == "confirm_reset");
        Assert.Equal(("alice", "register cleared by the vendor", "suspected_reset", "reset"), (audit.User, audit.Reason, audit.OldValue, audit.NewValue));
        Assert.StartsWith("m1@2025-01-01T01:15:00", audit.EntityKey);
        var r = (await Store.Readings.MeterReadingsAsync("p1", "m1", Jan1, Jan1))[4];
        Assert.Equal((ReadingFlags.Reset | ReadingFlags.ResetConfirmed, 50.0), (r.Flags, r.Delta));
        // Replaying the readings keeps the confirmation (they are duplicates).
        await Ingest(Series("m1", Eight));
        Assert.Equal((110.0, 0), await Day("m1"));
    }

    [Fact]
    public async Task Confirming_a_bad_reading_measures_the_next_one_from_the_reading_before()
    {
        // 110, 120, 5 (a glitch), 130, 140: the next reading after the drop, 130, is back above 120 (no rate set): 5 is a
        // suspected bad reading already, 130 − 120 = 10: 0 + 10 + 0 + 10 + 10 = 30, one flagged, listed as a bad reading.
        await Ingest(Series("m1", 110, 120, 5, 130, 140));
        Assert.Equal((30.0, 1), await Day("m1"));
        Assert.Equal("bad_reading", Assert.Single(await Store.Readings.ResetSuspectsAsync("p1")).Suspected);
        await Store.Readings.ConfirmResetAsync("p1", "m1", At(3), ResetResolution.BadReading, null, "alice", null);
        // 5 is bad (not summed, still counted as flagged), 130 − 120 = 10: 0 + 10 + 0 + 10 + 10 = 30.
        Assert.Equal((30.0, 1), await Day("m1"));
        Assert.Empty(await Store.Readings.ResetSuspectsAsync("p1"));
    }

    private async Task<ReadingFlags> FlagsAt(string meter, int i) =>
        (await Store.Readings.MeterReadingsAsync("p1", meter, Jan1, Jan1)).Single(r => r.Ts == At(i).ToUnixTimeSeconds()).Flags;

    [Fact]
    public async Task A_one_off_glitch_is_a_suspected_bad_reading_in_any_arrival_order()
    {
        await Store.Registry.CreateMetersAsync("p1", [new MeterDraft("m3", "M3", "electricity", "cumulative", "kWh")]);
        // 110 → 5 → 112: the reading after the drop is back at 112 ≥ 110, so 5 is a suspected bad reading (Δ 0, flagged, not a
        // base) and 112 counts from 110: 0 + 0 + 2 = 2 kWh, one flagged (the drop rule alone counted 112 − 5 = 107).
        // m1 in one batch; m2 with the drop stored first (its fate decided when 112 comes); m3 with 5 arriving last.
        await Ingest(Series("m1", 110, 5, 112));
        await Ingest(Series("m2", 110, 5));
        Assert.Equal((0.0, 1), await Day("m2"));                       // 110 then a suspected reset (Δ 0)
        Assert.Equal("reset", Assert.Single(await Store.Readings.ResetSuspectsAsync("p1", "m2")).Suspected);
        await Ingest(Series("m2", 110, 5, 112)[2..]);
        var m3 = Series("m3", 110, 5, 112);
        await Ingest([m3[0], m3[2]]);
        Assert.Equal((2.0, 0), await Day("m3"));                       // 110 → 112 without the glitch
        await Ingest([m3[1]]);
        foreach (var m in new[] { "m1", "m2", "m3" })
        {
            Assert.Equal((2.0, 1), await Day(m));
            Assert.Equal(2.0, await Month(m));
            Assert.Equal(ReadingFlags.SuspectedBadReading, await FlagsAt(m, 2));
            var r3 = (await Store.Readings.MeterReadingsAsync("p1", m, Jan1, Jan1))[2];
            Assert.Equal((ReadingFlags.None, 2.0), (r3.Flags, r3.Delta));
        }
        // Still listed, as a suspected bad reading, with the value before the drop.
        Assert.Equal([("m1", 5.0, (double?)110, "bad_reading"), ("m2", 5, 110, "bad_reading"), ("m3", 5, 110, "bad_reading")],
            (await Store.Readings.ResetSuspectsAsync("p1")).Select(x => (x.Meter, x.Value, x.PreviousValue, x.Suspected)));
        // A person overrides: it was a reset after all. 5 counts from zero (Δ 5) and 112 from 5 (Δ 107): 112, nothing flagged.
        await Store.Readings.ConfirmResetAsync("p1", "m1", At(2), ResetResolution.Reset, null, "alice", "vendor cleared it");
        Assert.Equal((112.0, 0), await Day("m1"));
        Assert.DoesNotContain(await Store.Readings.ResetSuspectsAsync("p1"), x => x.Meter == "m1");
    }

    [Fact]
    public async Task A_drop_that_stays_low_or_comes_back_too_fast_keeps_the_reset_rule()
    {
        await Store.Registry.CreateMetersAsync("p1", [new MeterDraft("rated", "Rated", "electricity", "cumulative", "kWh") { MaxRatePerHour = 40 }]);
        // m1: 110 → 5 → 60: 60 < 110, a real reset: 60 − 5 = 55, the drop flagged.
        await Ingest(Series("m1", 110, 5, 60));
        Assert.Equal((55.0, 1), await Day("m1"));
        Assert.Equal(ReadingFlags.SuspectedReset, await FlagsAt("m1", 2));
        // rated (40 kWh/h): 110 → 5 → 125 at 00:15, 00:30, 00:45: from 110, 15 kWh in 30 min = 30 kWh/h ≤ 40: a glitch, Δ 15.
        await Ingest(Series("rated", 110, 5, 125));
        Assert.Equal((15.0, 1), await Day("rated"));
        // Then 5 at 01:00 (another drop) and 131 at 01:15 (a later batch): from 125, 6 kWh in 30 min = 12 kWh/h ≤ 40: a glitch
        // again: 15 + 6 = 21, two flagged.
        var more = Series("rated", 110, 5, 125, 5, 131);
        await Ingest(more[3..]);
        Assert.Equal((21.0, 2), await Day("rated"));
        // m2: 110 → 5 → 131 on a 40 kWh/h meter would be 21 kWh in 30 min = 42 kWh/h > 40 from 110: not a glitch (the drop stays
        // a suspected reset) and 131 − 5 = 126 in 15 min is a jump: 0 kWh, two flagged.
        await Store.Registry.UpdateMeterAsync("p1", "m2", new MeterDraft("m2", "M2", "electricity", "cumulative", "kWh") { MaxRatePerHour = 40 }, "alice");
        await Ingest(Series("m2", 110, 5, 131));
        Assert.Equal((0.0, 2), await Day("m2"));
        Assert.Equal(ReadingFlags.SuspectedReset, await FlagsAt("m2", 2));
        Assert.Equal(ReadingFlags.Jump, await FlagsAt("m2", 3));
    }

    [Fact]
    public async Task Voiding_the_return_makes_the_glitch_a_suspected_reset_again()
    {
        await Ingest(Series("m1", 110, 5, 112));
        Assert.Equal((2.0, 1), await Day("m1"));
        await Store.Readings.VoidReadingsAsync("p1", "m1", At(3), At(3), "alice", "test");
        // 110 → 5 and nothing after it: the drop is a suspected reset (Δ 0), listed as such.
        Assert.Equal((0.0, 1), await Day("m1"));
        Assert.Equal(ReadingFlags.SuspectedReset, await FlagsAt("m1", 2));
        Assert.Equal("reset", Assert.Single(await Store.Readings.ResetSuspectsAsync("p1")).Suspected);
        // Voiding the glitch itself: 110 → 112 at 30 minutes (gap flag), Δ 2; nothing left to confirm.
        await Ingest(Series("m2", 110, 5, 112));
        await Store.Readings.VoidReadingsAsync("p1", "m2", At(2), At(2), "alice", "glitch");
        Assert.Equal((2.0, 0), await Day("m2"));
        Assert.DoesNotContain(await Store.Readings.ResetSuspectsAsync("p1"), x => x.Meter == "m2");
    }

    [Fact]
    public async Task Recompute_turns_a_history_stored_under_the_old_drop_rule_into_the_new_rule_state()
    {
        await Store.Registry.CreateMetersAsync("p1",
        [
            new MeterDraft("old", "Old", "electricity", "cumulative", "kWh") { MaxRatePerHour = 100 },
            new MeterDraft("ref", "Ref", "electricity", "cumulative", "kWh") { MaxRatePerHour = 100 },
        ]);
        // The history 110, 120, 50, 60 as the old rule stored it: 50 and 60 both below the base 120, both flagged negative (Δ 0,
        // counted as flagged): 10 kWh, two flagged. Built by storing 110, 120, 5000, 6000 (5000 and 6000 are jumps on a
        // 100 kWh/h meter: the same rollup contributions, Δ 0 and flagged) and rewriting the chunk and state as the old rule had them.
        await Ingest(Series("old", 110, 120, 5_000, 6_000));
        var id = (await Store.Registry.GetRegistryAsync("p1")).Meter("old").Id.Value;
        await using (var c = await Store.OpenConnectionAsync())
        {
            var (day, data) = await c.QuerySingleAsync<(long Day, byte[] Data)>("SELECT day, data FROM readings WHERE meter_id = @id", new { id });
            var old = ReadingChunk.Decode(data).Select(r => r.Ts == At(3).ToUnixTimeSeconds() ? r with { Value = 50, Delta = 0, Flags = ReadingFlags.Negative }
                : r.Ts == At(4).ToUnixTimeSeconds() ? r with { Value = 60, Delta = 0, Flags = ReadingFlags.Negative } : r).ToList();
            await c.ExecuteAsync("UPDATE readings SET data = @data WHERE meter_id = @id AND day = @day", new { data = ReadingChunk.Encode(old), id, day });
            await c.ExecuteAsync("UPDATE meter_state SET last_value = 60, last_flags = 2 WHERE meter_id = @id", new { id });
        }
        Assert.Equal((10.0, 2), await Day("old"));
        Assert.Empty(await Store.Readings.ResetSuspectsAsync("p1"));
        // The same readings under the current rule: 50 a suspected reset (Δ 0), 60 − 50 = 10 (40 kWh/h): 20 kWh, one flagged.
        await Ingest(Series("ref", 110, 120, 50, 60));
        Assert.Equal((20.0, 1), await Day("ref"));

        var done = await Store.Readings.RecomputeReadingsAsync("p1", "old", "admin");
        Assert.Equal([("old", 2)], done.Select(d => (d.Meter, d.Changed)));
        // Now old is in ref's state: readings, hours, day, month, suspects, latest reading.
        Assert.Equal((await Store.Readings.MeterReadingsAsync("p1", "ref", Jan1, Jan1)).Select(r => (r.Ts, r.Value, r.Delta, r.Flags)),
            (await Store.Readings.MeterReadingsAsync("p1", "old", Jan1, Jan1)).Select(r => (r.Ts, r.Value, r.Delta, r.Flags)));
        Assert.Equal((20.0, 1), await Day("old"));
        Assert.Equal(20.0, await Month("old"));
        var hours = await Store.Queries.SeriesAsync("p1", SeriesTarget.Meter("old"), Jan1, Jan1, Granularity.Hour);
        // All four readings (00:15 … 01:00) close intervals in the hour 00:00–01:00: 10 + 10, one flagged.
        Assert.Equal((20.0, 4, 1), (hours.Buckets[0].Value!.Value, hours.Buckets[0].Quality.Received, hours.Buckets[0].Quality.Flagged));
        Assert.Equal([("old", 50.0, (double?)120), ("ref", 50, 120)], (await Store.Readings.ResetSuspectsAsync("p1")).Select(x => (x.Meter, x.Value, x.PreviousValue)));
        Assert.Equal(60.0, (await Store.Queries.LatestReadingsAsync("p1")).Single(l => l.Meter == "old").Value);
        // The park's total follows: 20 + 20.
        Assert.Equal(40.0, (await Store.Queries.SeriesAsync("p1", SeriesTarget.Node(), Jan1, Jan1, Granularity.Day)).Buckets[0].Value);
        var audit = Assert.Single(await Store.Audit.AuditLogAsync("p1"), a => a.Action == "recompute");
        Assert.Equal(("admin", "old", "2 readings changed"), (audit.User, audit.EntityKey, audit.NewValue));
        // Every meter again: nothing changes any more; the meters with readings are audited.
        Assert.All(await Store.Readings.RecomputeReadingsAsync("p1", null, "admin"), d => Assert.Equal(0, d.Changed));
        Assert.Equal(3, (await Store.Audit.AuditLogAsync("p1")).Count(a => a.Action == "recompute"));
    }

    [Fact]
    public async Task Confirming_a_replacement_counts_the_old_meter_up_to_its_final_value()
    {
        // 100, 110, 120, 130, 50, 60. A swap at 01:15: old meter's final 135 → Δ 135 − 130 = 5; the new one 50 → 60: 10.
        // 10 + 10 + 10 + 5 + 10 = 45.
        await Ingest(Series("m1", 100, 110, 120, 130, 50, 60));
        await Store.Readings.ConfirmResetAsync("p1", "m1", At(5), ResetResolution.Replacement, 135, "alice", null);
        Assert.Equal((45.0, 0), await Day("m1"));
        var audit = Assert.Single(await Store.Audit.AuditLogAsync("p1"), a => a.Action == "confirm_reset");
        Assert.Equal("replacement old_final=135", audit.NewValue);
        var r = (await Store.Readings.MeterReadingsAsync("p1", "m1", Jan1, Jan1))[4];
        Assert.Equal((ReadingFlags.Replacement | ReadingFlags.Manual, 5.0, (double?)135), (r.Flags, r.Delta, r.OldFinal));
        // Without the old final value, the previous reading's (130) is taken: no energy for the old meter: 40.
        await Ingest(Series("m2", 100, 110, 120, 130, 50, 60));
        await Store.Readings.ConfirmResetAsync("p1", "m2", At(5), ResetResolution.Replacement, null, "alice", null);
        Assert.Equal((40.0, 0), await Day("m2"));
        Assert.Empty(await Store.Readings.ResetSuspectsAsync("p1"));
    }

    [Fact]
    public async Task Only_a_drop_can_be_confirmed()
    {
        await Ingest(Series("m1", 100, 110));
        await Assert.ThrowsAsync<ConflictException>(() => Store.Readings.ConfirmResetAsync("p1", "m1", At(2), ResetResolution.Reset, null, "alice", null));
        await Assert.ThrowsAsync<NotFoundException>(() => Store.Readings.ConfirmResetAsync("p1", "m1", At(9), ResetResolution.Reset, null, "alice", null));
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
        await Store.Registry.UpdateMeterAsync("p1", "m1", new MeterDraft("m1", "M1", "electricity", "cumulative", "kWh") { ResetsNormal = true }, "alice");
        Assert.True((await Store.Registry.GetRegistryAsync("p1")).Meter("m1").ResetsNormal);
        Assert.Equal((90.0, 0), await Day("m1"));
        Assert.Equal(90.0, await Month("m1"));
        Assert.Empty(await Store.Readings.ResetSuspectsAsync("p1"));
        Assert.Contains(await Store.Audit.AuditLogAsync("p1"), a => a.Action == "update" && a.NewValue!.Contains("resets_normal=True"));
        // And off again: 40, the suspect is back.
        await Store.Registry.UpdateMeterAsync("p1", "m1", new MeterDraft("m1", "M1", "electricity", "cumulative", "kWh"), "alice");
        Assert.Equal((40.0, 1), await Day("m1"));
        Assert.Single(await Store.Readings.ResetSuspectsAsync("p1"));
    }

    [Fact]
    public async Task Resets_normal_applies_to_cumulative_meters_only()
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() => Store.Registry.CreateMetersAsync("p1",
            [new MeterDraft("iv", "IV", "electricity", "interval", "kWh") { ResetsNormal = true }]));
        Assert.Contains("resets_normal", e.Message);
    }

    [Fact]
    public async Task Daily_interval_meters_in_a_daylight_saving_zone_fit_23_and_25_hour_days_and_are_counted_to_the_nearest_interval()
    {
        await Store.Registry.CreateParkAsync(new ParkDraft("de", "Berlin", "Europe/Berlin"));
        await Store.Registry.CreateMetersAsync("de",
        [
            new MeterDraft("d", "Daily", "electricity", "interval", "kWh") { IntervalMinutes = 1440 },
            new MeterDraft("h", "Hourly", "electricity", "interval", "kWh") { IntervalMinutes = 60 },
        ]);
        // Daily readings closing Mar 29, Mar 30 (23 h: clocks go forward at 02:00) and Mar 31, each from local midnight to
        // local midnight (+01:00 before the change, +02:00 after).
        RawPoint Daily(string start, string end, double v, int line) =>
            new("d", DateTimeOffset.Parse(end, CultureInfo.InvariantCulture), v, line) { IntervalStart = DateTimeOffset.Parse(start, CultureInfo.InvariantCulture) };
        var s = await Store.Readings.IngestAsync("de",
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
        var q = await Store.Queries.DataQualityAsync("de", null, from, to);
        Assert.Equal((3, 3, 100.0), q.Where(x => x.Meter == "d").Select(x => (x.Expected, x.Received, x.CompletenessPercent)).Single());
        Assert.Equal(71, q.Single(x => x.Meter == "h").Expected);
        // The series' day buckets agree: one expected reading each, the 23-hour day included.
        var days = await Store.Queries.SeriesAsync("de", SeriesTarget.Meter("d"), from, to, Granularity.Day);
        Assert.Equal([1, 1, 1], days.Buckets.Select(b => b.Quality.Expected));
        Assert.Equal([24.0, 23.0, 24.0], days.Buckets.Select(b => b.Value!.Value));
        // Oct 25..27: 24 + 25 + 24 = 73 h: 73 / 24 = 3.04 → 3.
        Assert.Equal(3, (await Store.Queries.DataQualityAsync("de", "d", new DateOnly(2025, 10, 25), new DateOnly(2025, 10, 27))).Single().Expected);
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
