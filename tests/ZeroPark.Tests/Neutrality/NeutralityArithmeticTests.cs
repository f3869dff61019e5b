using ZeroPark.Neutrality;

namespace ZeroPark.Tests.NeutralityModule;

/// <summary>The pure pieces of the neutrality module: serial ranges, the seasonal projection, the cheapest mix, 24×7 matching and the
/// baseline model, each against hand-worked figures.</summary>
public sealed class NeutralityArithmeticTests
{
    [Fact]
    public void Serial_ranges_parse_count_and_overlap()
    {
        var (a, e1) = SerialRange.Parse("GEC2025A000001", "GEC2025A001000");
        Assert.Null(e1);
        Assert.Equal(1_000, (int)a!.Count);
        var (b, _) = SerialRange.Parse("gec2025a001000", "GEC2025A001500");   // prefixes compare without case
        Assert.True(a.Overlaps(b!));
        var (c, _) = SerialRange.Parse("GEC2025A001001", null);
        Assert.False(a.Overlaps(c!));
        Assert.Equal("GEC2025A001001", c!.ToString());
        Assert.Contains("before", SerialRange.Parse("X10", "X9").Error);
        Assert.Contains("different prefixes", SerialRange.Parse("A1", "B2").Error);
        Assert.Contains("does not end in digits", SerialRange.Parse("ABC", null).Error);
        // Twenty-digit serials do not overflow.
        var (big, _) = SerialRange.Parse("C12345678901234567890", "C12345678901234567899");
        Assert.Equal(10, (int)big!.Count);
    }

    [Fact]
    public void Projection_follows_last_years_shape_not_the_run_rate()
    {
        // Last year: 100 t a month in Jan–Mar, 200 t in Apr–Dec (a summer-heavy year): 300 + 1,800 = 2,100 t.
        // This year Jan–Mar: 103 t each = 309 t, k = 309 / 300 = 1.03; projection = 309 + 1,800 × 1.03 = 309 + 1,854 = 2,163 t (+3.0 % on last year).
        // A straight run rate would say 309 / 3 × 12 = 1,236 t (−41 %): the flaw of a run rate in a seasonal year.
        double?[] last = [100, 100, 100, 200, 200, 200, 200, 200, 200, 200, 200, 200];
        double?[] now = [103, 103, 103, null, null, null, null, null, null, null, null, null];
        var p = SeasonalProjection.Project(now, last, 3);
        Assert.Equal(SeasonalProjection.BasisSeasonal, p.Basis);
        Assert.Equal(2_163, p.YearEnd, 1e-9);
        Assert.Equal(206, p.Months[3]!.Value, 1e-9);
        var run = SeasonalProjection.Project(now, null, 3);
        Assert.Equal(SeasonalProjection.BasisRunRate, run.Basis);
        Assert.Equal(1_236, run.YearEnd, 1e-9);
        Assert.Equal(SeasonalProjection.BasisComplete, SeasonalProjection.Project(last, null, 12).Basis);
    }

    [Fact]
    public void Cheapest_mix_covers_scope1_with_eligible_kinds_first_then_the_cheapest()
    {
        // Need 1,000 t; scope 1 gap 300 t; non-scope-1 room 500 t.
        // Offers (CNY per t): GEC 50 CNY/MWh at 0.5 t/MWh = 100 CNY/t; allowance 60 CNY/t (2,000 t); CCER 80 CNY/t (unlimited); sink 120 CNY/t.
        // 1. scope 1: 300 t CCER (cheapest eligible) = 24,000 CNY.
        // 2. rest 700 t: allowance 60 → 500 t (room), then CCER 80 → 200 t; GEC (100) not needed.
        // Cost = 300 × 80 + 500 × 60 + 200 × 80 = 24,000 + 30,000 + 16,000 = 70,000 CNY.
        var r = OffsetMix.Cheapest(1_000, 300, 500,
        [
            new MixOption(OffsetKind.Gec, 50, 0.5, null, "p"), new MixOption(OffsetKind.Allowance, 60, 1, 2_000, "p"),
            new MixOption(OffsetKind.Ccer, 80, 1, null, "p"), new MixOption(OffsetKind.Sink, 120, 1, null, "p"),
        ]);
        Assert.True(r.Reached);
        Assert.Equal(70_000, r.CostCny, 1e-6);
        Assert.Equal(500, r.Lines.Single(l => l.Kind == OffsetKind.Allowance).Tonnes, 1e-9);
        Assert.Equal(500, r.Lines.Single(l => l.Kind == OffsetKind.Ccer).Tonnes, 1e-9);
        Assert.DoesNotContain(r.Lines, l => l.Kind == OffsetKind.Gec);
        // Without any eligible kind on offer the scope-1 gap is reported and the need is not reached.
        var none = OffsetMix.Cheapest(100, 50, 500, [new MixOption(OffsetKind.Gec, 50, 0.5, null, "p")]);
        Assert.False(none.Reached);
        Assert.Contains(none.Notes, n => n.StartsWith("scope 1 gap: 50", StringComparison.Ordinal));
        // The rest of the need (100 t, within the room of 500 t) comes from GEC: 100 t / 0.5 t/MWh = 200 MWh at 50 CNY = 10,000 CNY.
        Assert.Equal(200, none.Lines.Single().Units, 1e-9);
        Assert.Equal(10_000, none.CostCny, 1e-9);
    }

    [Fact]
    public void Hourly_matching_counts_matched_energy_hour_by_hour()
    {
        // 4 hours: load 100, 100, 100, 100; supply 0, 150, 100, 50 → matched 0 + 100 + 100 + 50 = 250 of 400 = 62.5 %;
        // supply 300 = 75 % on a volume basis; uncovered hours 0 and 3 (2), fully covered 2; surplus 50 in hour 1.
        var m = HourlyMatching.Match([100, 100, 100, 100], [0, 150, 100, 50], [0, 1, 2, 3]);
        Assert.Equal(0.625, m.MatchedShare!.Value, 1e-12);
        Assert.Equal(0.75, m.AnnualShare!.Value, 1e-12);
        Assert.Equal(2, m.UncoveredHours);
        Assert.Equal(2, m.FullyCoveredHours);
        Assert.Equal(50, m.SurplusKwh, 1e-12);
        // A 30 kWh contract spread flat over 3 contract hours of 4 = 10 each; daytime only over 08–17.
        Assert.Equal([10, 10, 10, 0], HourlyMatching.Spread(30, [true, true, true, false], [7, 8, 9, 10], "flat"));
        Assert.Equal([0, 15, 15, 0], HourlyMatching.Spread(30, [true, true, true, false], [7, 8, 9, 10], "daytime"));
    }

    [Fact]
    public void Baseline_model_recovers_a_known_line_and_handles_a_constant_driver()
    {
        // y = 50 + 1.2 x exactly for x = 100, 110, 120, 130 → intercept 50, slope 1.2, R² = 1.
        var fit = BaselineModel.Fit([170, 182, 194, 206], [[100], [110], [120], [130]], ["it_kwh"]);
        Assert.NotNull(fit);
        Assert.Equal(50, fit!.Intercept, 1e-9);
        Assert.Equal(1.2, fit.Coefficients[0], 1e-9);
        Assert.Equal(1, fit.RSquared, 1e-12);
        // Two drivers: y = 10 + 2 a + 3 b on five points.
        var two = BaselineModel.Fit([10 + 2 + 3, 10 + 4 + 0, 10 + 0 + 9, 10 + 6 + 6, 10 + 2 + 12], [[1, 1], [2, 0], [0, 3], [3, 2], [1, 4]], ["a", "b"]);
        Assert.Equal(10, two!.Intercept, 1e-9);
        Assert.Equal(2, two.Coefficients[0], 1e-9);
        Assert.Equal(3, two.Coefficients[1], 1e-9);
        // A constant driver cannot be separated from the intercept: the model falls back to the mean (coefficient 0).
        var flat = BaselineModel.Fit([10, 12, 14], [[5], [5], [5]], ["it_kwh"]);
        Assert.Equal(12, flat!.Intercept, 1e-9);
        Assert.Equal(0, flat.Coefficients[0], 1e-12);
    }
}
