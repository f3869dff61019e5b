using ZeroPark.Optimisation;

namespace ZeroPark.Tests.Optimisation;

/// <summary>The pure models: least squares with its uncertainty, accuracy, the forecaster and the driver analysis on synthetic data
/// whose true coefficients are known.</summary>
public sealed class ModelTests
{
    [Fact]
    public void Ols_matches_a_hand_worked_fit_with_standard_errors()
    {
        // x = 0,1,2,3; y = 1,3,2,5. x̄ = 1.5, ȳ = 2.75, Sxx = 5, Sxy = 2.625 − 0.125 − 0.375 + 3.375 = 5.5 → b1 = 1.1, b0 = 2.75 − 1.65 = 1.1.
        // Fitted 1.1, 2.2, 3.3, 4.4 → residuals −0.1, 0.8, −1.3, 0.6 → RSS = 0.01 + 0.64 + 1.69 + 0.36 = 2.7; s² = 2.7 / (4 − 2) = 1.35.
        // SE(b1) = √(s² / Sxx) = √0.27 = 0.519615; SE(b0) = √(s² (1/n + x̄²/Sxx)) = √(1.35 × (0.25 + 0.45)) = √0.945 = 0.972111.
        // t(0.975, 2) = 4.302653 → b1 95 % interval 1.1 ± 2.235742. R² = 1 − 2.7 / TSS, TSS = 3.0625 + 0.0625 + 0.5625 + 5.0625 = 8.75 → 0.691429.
        var fit = LinearRegression.Ols([[0.0], [1.0], [2.0], [3.0]], [1.0, 3, 2, 5], ["x"]);
        Assert.Equal(1.1, fit.Coefficients[0].Estimate, 9);
        Assert.Equal(1.1, fit.Coefficients[1].Estimate, 9);
        Assert.Equal(0.519615, fit.Coefficients[1].StandardError, 5);
        Assert.Equal(0.972111, fit.Coefficients[0].StandardError, 5);
        Assert.Equal(1.1 - 2.235742, fit.Coefficients[1].Low95, 4);
        Assert.Equal(1.1 + 2.235742, fit.Coefficients[1].High95, 4);
        Assert.Equal(0.691429, fit.RSquared, 5);
        Assert.Equal(Math.Sqrt(1.35), fit.ResidualStdError, 9);
        // Mean response at x = 1.5 (x̄): ŷ = 2.75, half-width t·s·√(1/n) = 4.302653 × 1.161895 × 0.5 = 2.499618.
        var (lo, hi) = fit.MeanInterval95([1.5]);
        Assert.Equal(2.75 - 2.499618, lo, 4);
        Assert.Equal(2.75 + 2.499618, hi, 4);
    }

    [Fact]
    public void Ols_refuses_collinear_and_too_few_rows()
    {
        Assert.Throws<ArgumentException>(() => LinearRegression.Ols([[1.0, 2], [2.0, 4], [3.0, 6], [4.0, 8]], [1.0, 2, 3, 4], ["a", "b"]));
        Assert.Throws<ArgumentException>(() => LinearRegression.Ols([[1.0], [2.0]], [1.0, 2], ["a"]));
    }

    [Fact]
    public void Accuracy_is_mape_and_mae_over_known_pairs()
    {
        // |100 − 110| / 100 = 10 %, |200 − 190| / 200 = 5 % → MAPE 7.5 %; MAE (10 + 10) / 2 = 10. The null pair is not scored; the
        // zero actual is in MAE (|0 − 4| = 4 → (10 + 10 + 4) / 3 = 8) but not in MAPE.
        var a = Accuracy.Of([(100, 110), (200, 190), (null, 5)]);
        Assert.Equal(7.5, a.Mape!.Value, 9);
        Assert.Equal((10.0, 2, 0), (a.Mae!.Value, a.Points, a.ZeroActuals));
        var b = Accuracy.Of([(100, 110), (200, 190), (0, 4)]);
        Assert.Equal(7.5, b.Mape!.Value, 9);
        Assert.Equal((8.0, 3, 1), (b.Mae!.Value, b.Points, b.ZeroActuals));
    }

    private static (List<DateTime> Local, List<double?> Values) Hourly(int days, Func<int, DateTime, double> f)
    {
        var start = new DateTime(2025, 3, 3);     // a Monday
        var local = Enumerable.Range(0, days * 24).Select(i => start.AddHours(i)).ToList();
        return (local, local.Select((l, i) => (double?)f(i, l)).ToList());
    }

    [Fact]
    public void Backtest_scores_every_origin_and_lead_and_the_baseline_is_last_week()
    {
        // A weekly pattern only: the seasonal-naive baseline (168 h earlier) is exact, and so is the model (the change is 0).
        var (local, y) = Hourly(70, (_, l) => 100 + 10 * Math.Sin(2 * Math.PI * l.Hour / 24) + ((int)l.DayOfWeek == 0 ? -5 : 0));
        var firstOrigin = 60 * 24;
        var points = Forecaster.Backtest(ForecastHorizon.Day, new ModelInput(local, y), firstOrigin);
        Assert.Equal(10 * 24, points.Count);                                  // 10 origins (days 60..69) × 24 leads
        Assert.Equal(10, points.Select(p => p.Origin).Distinct().Count());
        Assert.All(points, p => Assert.Equal(y[p.Target - 168], p.Baseline));
        Assert.All(points, p => Assert.Equal(p.Actual!.Value, p.Model!.Value, 6));
    }

    [Fact]
    public void The_model_beats_the_baseline_when_the_level_drifts()
    {
        // y = pattern + 0.05·t (hours): the baseline is always 168 × 0.05 = 8.4 low; the model learns the weekly change 8.4 from the day before.
        var (local, y) = Hourly(90, (i, l) => 1000 + 50 * Math.Sin(2 * Math.PI * l.Hour / 24) + 0.05 * i);
        var points = Forecaster.Backtest(ForecastHorizon.Day, new ModelInput(local, y), 70 * 24);
        var model = Accuracy.Of(points.Select(p => (p.Actual, p.Model)));
        var baseline = Accuracy.Of(points.Select(p => (p.Actual, p.Baseline)));
        Assert.Equal(8.4, baseline.Mae!.Value, 6);
        Assert.True(model.Mae < 0.01, $"model MAE {model.Mae}");
        // Daily: the baseline is 7 days × 24 h × 0.05 = 8.4 low per hour, 201.6 per day; the model learns it too.
        var days = Enumerable.Range(0, 90).Select(d => local[d * 24]).ToList();
        var daily = Enumerable.Range(0, 90).Select(d => (double?)Enumerable.Range(0, 24).Sum(h => y[d * 24 + h]!.Value)).ToList();
        var w = Forecaster.Backtest(ForecastHorizon.Week, new ModelInput(days, daily), 70);
        Assert.Equal(14 * 7 + 6 + 5 + 4 + 3 + 2 + 1, w.Count);                // origins 70..83 forecast 7 days; 84..89 reach the end of the data
        Assert.Equal(201.6, Accuracy.Of(w.Select(p => (p.Actual, p.Baseline))).Mae!.Value, 6);
        Assert.True(Accuracy.Of(w.Select(p => (p.Actual, p.Model))).Mae < 0.01);
    }

    [Fact]
    public void Forecast_continues_from_the_end_of_the_data()
    {
        var (local, y) = Hourly(30, (i, l) => 500 + 0.1 * i);
        var future = Enumerable.Range(0, 24).Select(h => local[^1].AddHours(1 + h)).ToList();
        var f = Forecaster.Forecast(ForecastHorizon.Day, new ModelInput([.. local, .. future], y));
        Assert.Equal(24, f.Count);
        // Hour t = 720 + k: the truth 500 + 0.1 t; the baseline y(t − 168) = 500 + 0.1 (t − 168), 16.8 lower.
        for (var k = 0; k < 24; k++)
        {
            Assert.Equal(500 + 0.1 * (720 + k - 168), f[k].Baseline!.Value, 6);
            Assert.Equal(500 + 0.1 * (720 + k), f[k].Model!.Value, 3);
        }
    }

    [Fact]
    public void Driver_analysis_recovers_known_coefficients()
    {
        // PUE = 1.10 + 0.008·T + 0.15·L + ε, ε ~ N(0, 0.004²), 365 days: T seasonal −5…25 °C, L 0.55…0.85.
        var rng = new Random(20261206);
        double Gauss() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var days = new List<DriverObservation>();
        for (var d = 0; d < 365; d++)
        {
            var t = 10 - 15 * Math.Cos(2 * Math.PI * d / 365) + 2 * Gauss();
            var l = 0.55 + 0.3 * rng.NextDouble();
            days.Add(new DriverObservation(new DateOnly(2025, 1, 1).AddDays(d), 1.10 + 0.008 * t + 0.15 * l + 0.004 * Gauss(),
                new Dictionary<string, double?> { [Drivers.OutdoorTemperature] = t, [Drivers.ItLoadRate] = l }));
        }
        var m = DriverAnalysis.Fit("pue", days);
        Assert.Equal([Drivers.OutdoorTemperature, Drivers.ItLoadRate], m.Used);
        Assert.Equal("not recorded", m.LeftOut[Drivers.ChilledWaterSupply]);
        var temp = m.Fit.Coefficients[1];
        var load = m.Fit.Coefficients[2];
        // Stated tolerances: temperature within ±0.0003 /°C, load within ±0.02, intercept within ±0.01; each interval holds the truth.
        Assert.InRange(temp.Estimate, 0.0077, 0.0083);
        Assert.InRange(load.Estimate, 0.13, 0.17);
        Assert.InRange(m.Fit.Coefficients[0].Estimate, 1.09, 1.11);
        Assert.InRange(0.008, temp.Low95, temp.High95);
        Assert.InRange(0.15, load.Low95, load.High95);
        Assert.InRange(m.Fit.ResidualStdError, 0.0035, 0.0045);
        // Expected PUE at 25 °C and load 0.9: 1.10 + 0.2 + 0.135 = 1.435.
        var (e, lo, hi) = m.Expected(new Dictionary<string, double> { [Drivers.OutdoorTemperature] = 25, [Drivers.ItLoadRate] = 0.9 });
        Assert.Equal(1.435, e, 2);
        Assert.True(lo < e && e < hi);
        // Normalised: a month at T 5 °C above and L 0.1 above the reference loses 0.008·5 + 0.15·0.1 = 0.055 (by the fitted weights).
        var at = new Dictionary<string, double> { [Drivers.OutdoorTemperature] = m.Reference[Drivers.OutdoorTemperature] + 5, [Drivers.ItLoadRate] = m.Reference[Drivers.ItLoadRate] + 0.1 };
        Assert.Equal(1.5 - 5 * temp.Estimate - 0.1 * load.Estimate, m.Normalise(1.5, at), 9);
        Assert.Equal(1.5 - 0.055, m.Normalise(1.5, at), 2);
    }

    [Fact]
    public void Driver_analysis_leaves_out_constant_and_sparse_drivers()
    {
        var days = Enumerable.Range(0, 40).Select(d => new DriverObservation(new DateOnly(2025, 1, 1).AddDays(d), 1.2 + 0.01 * d,
            new Dictionary<string, double?> { [Drivers.OutdoorTemperature] = d, [Drivers.ChilledWaterSupply] = 12, [Drivers.FreeCoolingHours] = d < 10 ? 3 : null })).ToList();
        var m = DriverAnalysis.Fit("pue", days);
        Assert.Equal([Drivers.OutdoorTemperature], m.Used);
        Assert.StartsWith("constant", m.LeftOut[Drivers.ChilledWaterSupply]);
        Assert.StartsWith("recorded on 10 of 40 days", m.LeftOut[Drivers.FreeCoolingHours]);
        Assert.Equal(0.01, m.Fit.Coefficients[1].Estimate, 9);
    }
}
