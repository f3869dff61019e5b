using ZeroPark.Optimisation;

namespace ZeroPark.Tests.Optimisation;

/// <summary>Each saving rule on a small hand-worked case.</summary>
public sealed class SuggestionRuleTests
{
    private static readonly DateTime Mon = new(2025, 3, 3);   // a Monday

    private static List<HourSample> H(params (int Hour, double? V)[] xs) => xs.Select(x => new HourSample(Mon.AddHours(x.Hour), x.V)).ToList();

    [Fact]
    public void Free_cooling_counts_full_and_partial_hours()
    {
        // 2 °C: full (10 kWh); 7.5 °C: partial share (10 − 7.5) / (10 − 5) = 0.5 → 5 kWh; 12 °C: none; chiller off at 1 °C: nothing to save.
        var f = SuggestionRules.FreeCoolingUnused("b1", H((0, 2), (1, 7.5), (2, 12), (3, 1)), H((0, 10), (1, 10), (2, 10), (3, 0)))!;
        Assert.Equal(15, f.SavingKwh, 9);
        Assert.Equal((2.0, 1.0, 20.0), (f.Figures["hours"], f.Figures["full_hours"], f.Figures["chiller_kwh"]));
        Assert.Equal("chillers used 20 kWh in 2 hours at or below 10 °C outdoors (1 of them at or below 5 °C): a water-side economiser could carry 15 kWh of that", f.Evidence);
        Assert.Null(SuggestionRules.FreeCoolingUnused("b1", H((0, 12)), H((0, 10))));
    }

    [Fact]
    public void Night_base_load_above_a_quarter_of_the_day()
    {
        // Monday: 4 kWh in hours 0–5, 10 kWh in 9–17, 6 kWh otherwise. Ratio 4 / 10 = 40 % > 25 %; limit 2.5 → 1.5 × 6 h = 9 kWh.
        var hours = Enumerable.Range(0, 24).Select(h => (h, (double?)(h < 6 ? 4 : h is >= 9 and < 18 ? 10 : 6))).ToArray();
        var f = SuggestionRules.NightBaseLoad("b1/aux.lighting", H(hours))!;
        Assert.Equal(9, f.SavingKwh, 9);
        Assert.Equal(0.4, f.Figures["ratio"], 9);
        Assert.Equal(6, f.Saving.Count);
        var low = Enumerable.Range(0, 24).Select(h => (h, (double?)(h < 6 ? 2 : 10))).ToArray();
        Assert.Null(SuggestionRules.NightBaseLoad("x", H(low)));     // 20 %: fine
    }

    [Fact]
    public void Ups_below_the_target_efficiency()
    {
        // 10 hours at 105 kWh in, 100 out: η = 100 / 105 = 95.238 %; saving per hour 105 − 100 / 0.97 = 1.907216 → 19.07216 kWh.
        var input = H(Enumerable.Range(0, 10).Select(h => (h, (double?)105)).ToArray());
        var output = H(Enumerable.Range(0, 10).Select(h => (h, (double?)100)).ToArray());
        var f = SuggestionRules.UpsLowEfficiency("ups1_loss", input, output)!;
        Assert.Equal(19.07216, f.SavingKwh, 4);
        Assert.Equal(100 / 105.0, f.Figures["efficiency"], 9);
        Assert.Equal(1, f.Figures["load_band"], 9);
        Assert.Null(SuggestionRules.UpsLowEfficiency("ups2", H((0, 100)), H((0, 98))));     // 98 %
    }

    [Fact]
    public void Idle_racks_against_the_median_rack()
    {
        // Mean kW 5, 5, 5, 0.2: median (the 3rd of 4 sorted) 5 → threshold max(0.3, 0.1 × 5) = 0.5 → r4 idle. 3 hours × 0.2 × PUE 1.5 = 0.9 kWh.
        IReadOnlyList<HourSample> R(double kw) => H((0, kw), (1, kw), (2, kw));
        var f = SuggestionRules.IdleRacks("p", [("r1", R(5)), ("r2", R(5)), ("r3", R(5)), ("r4", R(0.2))], 1.5)!;
        Assert.Equal(0.9, f.SavingKwh, 9);
        Assert.Equal((1.0, 4.0, 5.0), (f.Figures["idle_racks"], f.Figures["racks"], f.Figures["median_kw"]));
        Assert.EndsWith(": r4", f.Evidence);
    }

    [Fact]
    public void Chilled_water_set_point_below_12_degrees()
    {
        // Mean supply 9 °C → (12 − 9) × 3 %/K = 9 % of the chillers' 100 + 100 kWh = 18 kWh.
        var f = SuggestionRules.ChilledWaterSetpoint("b1", H((0, 8), (1, 10)), H((0, 100), (1, 100)))!;
        Assert.Equal(18, f.SavingKwh, 9);
        Assert.Equal(0.09, f.Figures["saving_share"], 9);
        Assert.Null(SuggestionRules.ChilledWaterSetpoint("b1", H((0, 14)), H((0, 100))));
    }

    [Fact]
    public void Cooling_out_of_line_sums_the_excess_of_outlying_days()
    {
        // σ 40 kWh: 1,100 vs 1,000 (+100 > 80) twice → 200 kWh; 1,050 (+50) is within 2σ.
        var d = new DateOnly(2025, 3, 3);
        var f = SuggestionRules.CoolingOutOfLine("b1", [(d, 1100, 1000, 40), (d.AddDays(1), 1100, 1000, 40), (d.AddDays(2), 1050, 1000, 40)])!;
        Assert.Equal(200, f.SavingKwh, 9);
        Assert.Equal(2, f.Figures["days"]);
        Assert.Equal(48, f.Saving.Count);
        Assert.Null(SuggestionRules.CoolingOutOfLine("b1", [(d, 1100, 1000, 40)]));     // one day is not a pattern
    }

    [Fact]
    public void Over_cooled_room_by_the_90th_percentile_of_its_inlet()
    {
        // 10 hours: 19 °C nine times, 23 °C once. P90 by nearest rank ⌈0.9 × 10⌉ = 9th value = 19 °C < 24 − 2 = 22 °C → over-cooled;
        // mean (9 × 19 + 23) / 10 = 19.4 °C. Raise 24 − 19 = 5 K × 3 %/K = 15 % of the room's 10 kWh/h × 10 h → 15 kWh.
        var inlet = H(Enumerable.Range(0, 10).Select(h => (h, (double?)(h == 9 ? 23 : 19))).ToArray());
        var cooling = H(Enumerable.Range(0, 10).Select(h => (h, (double?)10)).ToArray());
        var f = SuggestionRules.OverCooledRoom("b1-f1-r1", "t1", inlet, cooling)!;
        Assert.Equal(15, f.SavingKwh, 9);
        Assert.Equal((19.4, 19.0, 9.0, 5.0, 0.15), (Math.Round(f.Figures["mean_c"], 9), f.Figures["p90_c"], f.Figures["hours_below_threshold"], f.Figures["raise_k"], f.Figures["saving_share"]));
        // An hour of cooling without an inlet reading is not counted; a room whose P90 reaches 22 °C is in range.
        Assert.Equal(15, SuggestionRules.OverCooledRoom("r", "t1", inlet, [.. cooling, new HourSample(Mon.AddHours(20), 10)])!.SavingKwh, 9);
        Assert.Null(SuggestionRules.OverCooledRoom("r", "t1", H((0, 21), (1, 22)), H((0, 10), (1, 10))));
        // A park's own assumptions: target 21 °C, margin 1 K → threshold 20 °C; 2 K × 4 %/K = 8 % → 8 kWh.
        Assert.Equal(8, SuggestionRules.OverCooledRoom("r", "t1", inlet, cooling, targetC: 21, marginK: 1, savingPerK: 0.04)!.SavingKwh, 9);
        Assert.Equal(3, SuggestionRules.Percentile([5, 1, 3, 2, 4], 0.5));      // ⌈2.5⌉ = 3rd of 1…5
        Assert.Equal(5, SuggestionRules.Percentile([5, 1, 3, 2, 4], 0.9));      // ⌈4.5⌉ = 5th
    }
}
