using ZeroPark.Alerts;

namespace ZeroPark.Tests.Alerts;

/// <summary>The pure checks of the alert rules: deviation from normal (WC-34), the normal value, thresholds with duration and
/// hysteresis, and the monthly neutrality target (WC-33).</summary>
public sealed class AlertChecksTests
{
    [Theory]
    // WC-34: baseline 10 t, threshold 10 %, |actual − baseline| / baseline ≥ 10 % (inclusive).
    [InlineData(11.2, 0.12, true)]
    [InlineData(10.9, 0.09, false)]
    [InlineData(8.9, -0.11, true)]
    [InlineData(11.0, 0.10, true)]
    [InlineData(9.0, -0.10, true)]
    public void Deviation_matches_WC34(double actual, double deviation, bool alert)
    {
        var r = Deviation.Check(actual, 10.0, 0.1);
        Assert.Equal((decimal)deviation, r.Deviation);
        Assert.Equal(alert, r.Alert);
    }

    [Fact]
    public void Direction_limits_which_side_alerts()
    {
        // A PV meter producing 12 % more than normal: not an alert when only drops count.
        Assert.False(Deviation.Check(11.2, 10, 0.1, DeviationDirection.Low).Alert);
        Assert.True(Deviation.Check(8.9, 10, 0.1, DeviationDirection.Low).Alert);
        Assert.False(Deviation.Check(8.9, 10, 0.1, DeviationDirection.High).Alert);
    }

    [Fact]
    public void Normal_skips_periods_without_data_incomplete_ones_and_those_before_metering()
    {
        var history = new List<PeriodValue>
        {
            new("2024-09", null, 0, BeforeStart: true),
            new("2024-10", 100, 1),
            new("2024-11", 5, 0.0003),     // 0.03 % complete: never a baseline
            new("2024-12", null, 0),        // no data: never zero
            new("2025-01", 110, 0.99),
            new("2025-02", 120, 1),
        };
        var n = Deviation.Normal(history, 3, 0.95)!;
        // The last 3 complete periods: 2025-02, 2025-01, 2024-10 → (120 + 110 + 100) / 3 = 110.
        Assert.Equal(110, n.Mean, 9);
        Assert.Equal(["2024-10", "2025-01", "2025-02"], n.Used);
        Assert.Equal(["2024-12 (no data)", "2024-11 (data 0.03 % complete)"], n.Skipped);
        Assert.Contains("last 3 periods", n.Definition);
        // Nothing complete: no normal value at all.
        Assert.Null(Deviation.Normal([new("2024-12", null, 0), new("2024-11", 3, 0.1)], 3, 0.95));
    }

    private static ThresholdPoint P(int day, double? v) =>
        new(new DateTimeOffset(2025, 6, day, 0, 0, 0, TimeSpan.FromHours(8)), new DateTimeOffset(2025, 6, day + 1, 0, 0, 0, TimeSpan.FromHours(8)), v);

    [Fact]
    public void Threshold_needs_the_duration_and_clears_only_past_the_clear_level()
    {
        // Daily PUE: limit 1.4 for 3 days, clear at ≤ 1.35.
        var points = new[] { P(1, 1.45), P(2, 1.46), P(3, 1.30), P(4, 1.41), P(5, 1.42), P(6, 1.43), P(7, 1.38), P(8, 1.39), P(9, 1.34), P(10, 1.5) };
        var e = Threshold.Episodes(points, above: true, limit: 1.4, clear: 1.35, duration: 3);
        // 06-01..02 is only two days. 06-04..06 is three: raised at the end of 06-06; 06-07 and 06-08 (1.38, 1.39) are below the limit but
        // above the clear level, so it stays; 06-09 (1.34) clears it at the end of that day. 06-10 alone does not raise.
        var only = Assert.Single(e);
        Assert.Equal(P(4, null).Start, only.From);
        Assert.Equal(P(6, null).End, only.RaisedAt);
        Assert.Equal(P(9, null).End, only.ClearedAt);
        Assert.Equal(1.43, only.Peak);
        Assert.Equal(5, only.Buckets);   // 06-04 .. 06-08
        // Without hysteresis (clear = limit) the same data ends the episode on 06-07.
        Assert.Equal(P(7, null).End, Assert.Single(Threshold.Episodes(points, true, 1.4, 1.4, 3)).ClearedAt);
        // Below a limit (a temperature floor): raise at < 18 for 2 buckets.
        var low = Threshold.Episodes([P(1, 17), P(2, 16), P(3, 19)], above: false, limit: 18, clear: 18, duration: 2);
        Assert.Equal(P(3, null).End, Assert.Single(low).ClearedAt);
        Assert.Throws<ArgumentOutOfRangeException>(() => Threshold.Episodes(points, true, 1.4, 1.45, 3));
    }

    [Fact]
    public void Neutrality_target_matches_WC33()
    {
        // WC-33: 700 MWh GEC × 0.5366 t/MWh = 375.62 t; + 50 t CCER = 425.62 t; 425.62 / 600 = 0.709367 < 0.75 → alert.
        var neutralised = 700 * 0.5366 + 50.0;
        Assert.Equal(425.62, neutralised, 9);
        var c = Targets.Neutrality("2025-09", 600, neutralised, 0.75)!;
        Assert.Equal(0.709367, c.Actual, 6);
        Assert.False(c.Met);
        Assert.True(Targets.Neutrality("2025-09", 600, 450, 0.75)!.Met);   // exactly 75 % meets it
        Assert.Null(Targets.Neutrality("2025-09", 0, 10, 0.75));
        Assert.False(Targets.Ceiling("energy_plan", "2025-05", 117_056, 100_000).Met);
    }
}
