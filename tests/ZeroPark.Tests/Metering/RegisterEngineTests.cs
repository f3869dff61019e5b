using ZeroPark.Domain;
using ZeroPark.Metering;

namespace ZeroPark.Tests.Metering;

// Every expected number below is worked out by hand in the comment next to it.
public class RegisterEngineTests
{
    private const long T0 = 1_735_660_800; // 2025-01-01T00:00:00+08:00 = 2024-12-31T16:00:00Z
    private const long Q = 900;             // 15 minutes

    private static Meter Register(double? max = null, double multiplier = 1, string unit = "kWh", double? maxRate = null) => new()
    {
        Id = new MeterId(1), ParkId = new ParkId(1), Code = "m1", Name = "m1", Carrier = Carrier.Electricity, Kind = MeterKind.Cumulative,
        Unit = unit, RegisterMax = max, Multiplier = multiplier, MaxRatePerHour = maxRate,
    };

    private static MeterPoint P(int i, long ts, double v) => new(ts, v, i);

    [Fact]
    public void First_reading_is_a_baseline_and_later_deltas_are_differences()
    {
        var r = RegisterEngine.Process(Register(), MeterContext.Empty, [P(0, T0, 100), P(1, T0 + Q, 110.5), P(2, T0 + 2 * Q, 121)]);
        Assert.Equal([0, 10.5, 10.5], r.Inserts.Select(x => x.Delta));   // 110.5−100, 121−110.5
        Assert.Equal(ReadingFlags.First, r.Inserts[0].Flags);
        Assert.All(r.Results, x => Assert.Equal(PointOutcome.Accepted, x.Outcome));
    }

    [Fact]
    public void Multiplier_and_unit_are_applied_to_deltas()
    {
        // CT ratio 200, register in MWh: (1.25 − 1.20) MWh × 200 × 1000 kWh/MWh = 10,000 kWh
        var r = RegisterEngine.Process(Register(multiplier: 200, unit: "MWh"), MeterContext.Empty, [P(0, T0, 1.20), P(1, T0 + Q, 1.25)]);
        Assert.Equal(10_000, r.Inserts[1].Delta, 6);
    }

    [Fact]
    public void Register_wrapping_at_its_maximum_is_a_rollover()
    {
        // 6-digit register: 999,990 → 15 wraps: 15 + 1,000,000 − 999,990 = 25
        var r = RegisterEngine.Process(Register(max: 1_000_000), MeterContext.Empty, [P(0, T0, 999_990), P(1, T0 + Q, 15)]);
        Assert.Equal(25, r.Inserts[1].Delta, 9);
        Assert.True(r.Inserts[1].Flags.HasFlag(ReadingFlags.Rollover));
    }

    [Fact]
    public void Backwards_step_that_is_no_plausible_rollover_is_a_suspected_reset_and_later_deltas_count_from_it()
    {
        // 500,000 → 3: wrapping would mean 500,003 kWh in 15 min (> half the register): a drop, a suspected reset (Δ 0,
        // flagged, not summed). The next reading 20 counts from the new value: 20 − 3 = 17.
        var r = RegisterEngine.Process(Register(max: 1_000_000), MeterContext.Empty, [P(0, T0, 500_000), P(1, T0 + Q, 3), P(2, T0 + 2 * Q, 20)]);
        Assert.Equal(ReadingFlags.SuspectedReset, r.Inserts[1].Flags);
        Assert.Equal(0, r.Inserts[1].Delta);
        Assert.Equal(17, r.Inserts[2].Delta, 9);
        Assert.Equal(1, r.Rollups.Sum(x => x.Flagged));
        Assert.Equal(17, r.Rollups.Sum(x => x.Sum), 9);
    }

    [Fact]
    public void A_drop_does_not_swallow_later_energy()
    {
        // 1,000 → 1,200 (Δ200), then an unannounced swap: 5, 60, 317. Later deltas count from 5: 55 + 257 = 312 kWh kept
        // (the old rule measured them against 1,200 and lost all 312). Total 200 + 312 = 512, one reading flagged.
        var r = RegisterEngine.Process(Register(), MeterContext.Empty,
            [P(0, T0, 1_000), P(1, T0 + Q, 1_200), P(2, T0 + 2 * Q, 5), P(3, T0 + 3 * Q, 60), P(4, T0 + 4 * Q, 317)]);
        Assert.Equal([0, 200, 0, 55, 257], r.Inserts.Select(x => x.Delta));
        Assert.Equal(ReadingFlags.SuspectedReset, r.Inserts[2].Flags);
        Assert.Equal(512, r.Rollups.Sum(x => x.Sum), 9);
        Assert.Equal(1, r.Rollups.Sum(x => x.Flagged));
    }

    [Fact]
    public void On_a_meter_whose_resets_are_normal_a_drop_counts_from_zero()
    {
        // 1,200 → 5: a reset from zero, Δ 5 (summed, not flagged); 60 − 5 = 55. Total 60.
        var m = Register() with { ResetsNormal = true };
        var r = RegisterEngine.Process(m, MeterContext.Empty, [P(0, T0, 1_200), P(1, T0 + Q, 5), P(2, T0 + 2 * Q, 60)]);
        Assert.Equal([0, 5, 55], r.Inserts.Select(x => x.Delta));
        Assert.Equal(ReadingFlags.Reset, r.Inserts[1].Flags);
        Assert.Equal(0, r.Rollups.Sum(x => x.Flagged));
    }

    [Fact]
    public void A_drop_undone_by_the_next_reading_is_a_suspected_bad_reading()
    {
        // 110 → 5 → 112: the next reading is back at ≥ 110 (no rate set): 5 is a suspected bad reading (Δ 0, flagged, no base),
        // 112 counts from 110: Δ 2. Then 120: Δ 8. Total 10, one flagged.
        var r = RegisterEngine.Process(Register(), MeterContext.Empty, [P(0, T0, 110), P(1, T0 + Q, 5), P(2, T0 + 2 * Q, 112), P(3, T0 + 3 * Q, 120)]);
        Assert.Equal([0, 0, 2, 8], r.Inserts.Select(x => x.Delta));
        Assert.Equal(ReadingFlags.SuspectedBadReading, r.Inserts[1].Flags);
        Assert.Equal((10.0, 1), (r.Rollups.Sum(x => x.Sum), r.Rollups.Sum(x => x.Flagged)));
        // The same on a meter whose resets are normal: 1,200 → 5 → 1,210 is no reset from zero (that would be 5 + 1,205).
        var n = RegisterEngine.Process(Register() with { ResetsNormal = true }, MeterContext.Empty, [P(0, T0, 1_200), P(1, T0 + Q, 5), P(2, T0 + 2 * Q, 1_210)]);
        Assert.Equal([0, 0, 10], n.Inserts.Select(x => x.Delta));
        Assert.Equal(ReadingFlags.SuspectedBadReading, n.Inserts[1].Flags);
        // Rate window (max 40 kWh/h): 125 is 15 kWh above 110 in 30 min = 30 kWh/h: a glitch; 131 is 42 kWh/h: not one, so
        // 5 stays a suspected reset and 131 − 5 = 126 in 15 min (504 kWh/h) is a jump.
        var ok = RegisterEngine.Process(Register(maxRate: 40), MeterContext.Empty, [P(0, T0, 110), P(1, T0 + Q, 5), P(2, T0 + 2 * Q, 125)]);
        Assert.Equal((ReadingFlags.SuspectedBadReading, 15.0), (ok.Inserts[1].Flags, ok.Inserts[2].Delta));
        var fast = RegisterEngine.Process(Register(maxRate: 40), MeterContext.Empty, [P(0, T0, 110), P(1, T0 + Q, 5), P(2, T0 + 2 * Q, 131)]);
        Assert.Equal([ReadingFlags.SuspectedReset, ReadingFlags.Jump], fast.Inserts.Skip(1).Select(x => x.Flags));
        // Only the very next reading decides: 110 → 5 → 60 → 115 keeps the reset (60 < 110): 55 + 55 = 110.
        var stay = RegisterEngine.Process(Register(), MeterContext.Empty, [P(0, T0, 110), P(1, T0 + Q, 5), P(2, T0 + 2 * Q, 60), P(3, T0 + 3 * Q, 115)]);
        Assert.Equal([0, 0, 55, 55], stay.Inserts.Select(x => x.Delta));
        Assert.Equal(ReadingFlags.SuspectedReset, stay.Inserts[1].Flags);
    }

    [Fact]
    public void Confirming_a_drop_as_reset_or_as_bad_reading_recomputes_it()
    {
        // 110 → 5 (suspected bad reading: the next is back) → 112 (Δ 2 from 110).
        var stored = RegisterEngine.Process(Register(), MeterContext.Empty, [P(0, T0, 110), P(1, T0 + Q, 5), P(2, T0 + 2 * Q, 112)]).Inserts;
        Assert.Equal([0, 0, 2], stored.Select(x => x.Delta));
        var ctx = new MeterContext(null, null, stored, true);
        // Overridden as a reset from zero: 5 counts as 5 (flags reset + the confirmation), 112 counts from 5: 107. 112 in all.
        var reset = RegisterEngine.Process(Register(), ctx, [new MeterPoint(T0 + Q, 5, 0, ReadingFlags.ResetConfirmed)]);
        Assert.Equal([ReadingFlags.Reset | ReadingFlags.ResetConfirmed, ReadingFlags.None], reset.Updates.Select(x => x.Flags));
        Assert.Equal([5.0, 107.0], reset.Updates.Select(x => x.Delta));
        // Rollups: +5 and 2 → 107 (+105) summed, one flagged fewer.
        Assert.Equal((110.0, -1), (reset.Rollups.Sum(x => x.Sum), reset.Rollups.Sum(x => x.Flagged)));
        // Confirmed bad: 5 is bad_reading instead of suspected bad; 112 stays Δ 2. Sums unchanged, still one flagged.
        var bad = RegisterEngine.Process(Register(), ctx, [new MeterPoint(T0 + Q, 5, 0, ReadingFlags.BadReading)]);
        Assert.Equal([ReadingFlags.BadReading], bad.Updates.Select(x => x.Flags));
        Assert.Equal((0.0, 0), (bad.Rollups.Sum(x => x.Sum), bad.Rollups.Sum(x => x.Flagged)));
        // A confirmation for an instant without a reading is rejected.
        var none = RegisterEngine.Process(Register(), ctx, [new MeterPoint(T0 + 5 * Q, 5, 0, ReadingFlags.BadReading)]);
        Assert.Equal(PointOutcome.Rejected, none.Results.Single().Outcome);
    }

    [Fact]
    public void Implausible_jump_is_flagged_and_not_summed()
    {
        // max rate 100 kWh/h; 15 min allows 25 kWh; +1000 kWh is a jump
        var r = RegisterEngine.Process(Register(maxRate: 100), MeterContext.Empty, [P(0, T0, 0), P(1, T0 + Q, 1000), P(2, T0 + 2 * Q, 20)]);
        Assert.Equal(ReadingFlags.Jump, r.Inserts[1].Flags);
        // next: 20 − 0 (base stays at the last valid reading) over 30 min = 40 kWh/h, plausible
        Assert.Equal(20, r.Inserts[2].Delta, 9);
    }

    [Fact]
    public void Replacement_counts_old_meter_up_to_its_final_value_then_continues_from_new_initial()
    {
        // old meter: 5,000 at T0; removed at T0+Q reading 5,012 (final); new meter starts at 0.
        // delta at swap = 5,012 − 5,000 = 12; next reading new meter 7 → 7 − 0 = 7
        var r = RegisterEngine.Process(Register(), MeterContext.Empty,
            [P(0, T0, 5000), new MeterPoint(T0 + Q, 0, 1, ReadingFlags.Replacement, 5012), P(2, T0 + 2 * Q, 7)]);
        Assert.Equal([0, 12, 7], r.Inserts.Select(x => x.Delta));
        Assert.True(r.Inserts[1].Flags.HasFlag(ReadingFlags.Replacement));
    }

    [Fact]
    public void Missing_intervals_are_flagged_as_a_gap_and_the_delta_is_kept()
    {
        // readings at T0 and T0+1h (3 readings missing): delta 40 kept, flagged gap
        var r = RegisterEngine.Process(Register(), MeterContext.Empty, [P(0, T0, 100), P(1, T0 + 4 * Q, 140)]);
        Assert.Equal(40, r.Inserts[1].Delta);
        Assert.True(r.Inserts[1].Flags.HasFlag(ReadingFlags.Gap));
    }

    [Fact]
    public void Same_value_again_is_a_duplicate_and_changes_nothing()
    {
        var stored = new StoredReading(T0 + Q, 110, 10, ReadingFlags.None);
        var ctx = new MeterContext(new StoredReading(T0, 100, 0, ReadingFlags.First), new StoredReading(T0, 100, 0, ReadingFlags.First), [stored], true);
        var r = RegisterEngine.Process(Register(), ctx, [P(0, T0 + Q, 110)]);
        Assert.Equal(PointOutcome.Duplicate, r.Results.Single().Outcome);
        Assert.Empty(r.Inserts);
        Assert.Empty(r.Updates);
        Assert.Empty(r.Rollups);
    }

    [Fact]
    public void Different_value_is_a_correction_that_moves_energy_between_intervals()
    {
        // stored: 100 @T0, 110 @T0+Q (Δ10), 120 @T0+2Q (Δ10). Correct T0+Q to 115: Δ becomes 15 and the next Δ 5.
        var ctx = new MeterContext(new StoredReading(T0, 100, 0, ReadingFlags.First), new StoredReading(T0, 100, 0, ReadingFlags.First),
            [new StoredReading(T0 + Q, 110, 10, ReadingFlags.None), new StoredReading(T0 + 2 * Q, 120, 10, ReadingFlags.None)], true);
        var r = RegisterEngine.Process(Register(), ctx, [P(0, T0 + Q, 115)]);
        var res = r.Results.Single();
        Assert.Equal(PointOutcome.Corrected, res.Outcome);
        Assert.Equal(110, res.PreviousValue);
        Assert.Equal([15, 5], r.Updates.Select(u => u.Delta));
        // rollup changes: +5 at T0+Q, −5 at T0+2Q, no new readings counted
        Assert.Equal([5, -5], r.Rollups.Select(x => x.Sum));
        Assert.Equal(0, r.Rollups.Sum(x => x.Count));
    }

    [Fact]
    public void Late_reading_inserted_between_stored_ones_splits_the_delta()
    {
        // stored 100 @T0 and 120 @T0+2Q (Δ20, gap). Late 112 @T0+Q: Δ12 new, next becomes 8 and loses its gap flag.
        var ctx = new MeterContext(new StoredReading(T0, 100, 0, ReadingFlags.First), new StoredReading(T0, 100, 0, ReadingFlags.First),
            [new StoredReading(T0 + 2 * Q, 120, 20, ReadingFlags.Gap)], true);
        var r = RegisterEngine.Process(Register(), ctx, [P(0, T0 + Q, 112)]);
        Assert.Equal(12, r.Inserts.Single().Delta);
        var u = r.Updates.Single();
        Assert.Equal(8, u.Delta);
        Assert.Equal(ReadingFlags.None, u.Flags);
        Assert.Equal(0, r.Rollups.Sum(x => x.Sum), 9); // rollup change: +12 (new) + (8 − 20) = 0, the 30 minutes still hold 20 kWh
    }

    [Fact]
    public void Negative_register_value_is_rejected_with_a_reason()
    {
        var r = RegisterEngine.Process(Register(), MeterContext.Empty, [P(0, T0, -1)]);
        Assert.Equal(PointOutcome.Rejected, r.Results.Single().Outcome);
        Assert.Contains("negative", r.Results.Single().Reason);
    }

    [Fact]
    public void Interval_meter_values_are_the_deltas_and_negative_ones_are_flagged()
    {
        var m = Register() with { Kind = MeterKind.Interval, Unit = "MWh" };
        var r = RegisterEngine.Process(m, MeterContext.Empty, [P(0, T0, 0.012), P(1, T0 + Q, -0.001)]);
        Assert.Equal(12, r.Inserts[0].Delta, 9);  // 0.012 MWh = 12 kWh
        Assert.Equal(ReadingFlags.Negative, r.Inserts[1].Flags);
    }

    [Fact]
    public void Estimate_never_overwrites_a_measurement_but_a_measurement_replaces_an_estimate()
    {
        var measured = new MeterContext(null, null, [new StoredReading(T0, 100, 0, ReadingFlags.First)], true);
        var r1 = RegisterEngine.Process(Register(), measured, [new MeterPoint(T0, 101, 0, ReadingFlags.Estimated)]);
        Assert.Equal(PointOutcome.Duplicate, r1.Results.Single().Outcome);
        var estimated = new MeterContext(null, null, [new StoredReading(T0, 100, 0, ReadingFlags.First | ReadingFlags.Estimated)], true);
        var r2 = RegisterEngine.Process(Register(), estimated, [P(0, T0, 101)]);
        Assert.Equal(PointOutcome.Accepted, r2.Results.Single().Outcome);
        Assert.Equal(ReadingFlags.First, r2.Updates.Single().Flags);
    }
}
