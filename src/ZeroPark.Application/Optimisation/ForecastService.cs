using System.Diagnostics;
using System.Globalization;
using ZeroPark.Domain;
using ZeroPark.EnergyManagement;
using ZeroPark.Optimisation;

namespace ZeroPark.Application.Optimisation;

/// <summary>Accuracy of one lead (1 = the first hour or day after the origin).</summary>
public sealed record LeadAccuracy(int Lead, double? Mape, double? BaselineMape, int Points);

/// <summary>A rolling-origin backtest of one node, target and horizon: MAPE and MAE of the model and of the seasonal-naive baseline
/// over the same scored points, per lead, and which of the two is shown as the forecast (the model only when its MAPE is lower).</summary>
public sealed record BacktestResult(string Park, string Node, string Target, string Horizon, string Unit, string From, string To, int Origins, int Points,
    double? Mape, double? Mae, double? BaselineMape, double? BaselineMae, bool ModelBeatsBaseline, string Shown, string Model, string Baseline,
    IReadOnlyList<LeadAccuracy> ByLead, double TrainingSeconds, IReadOnlyList<string> Notes);

/// <summary>A forecast made now (and stored), with the backtest that decided what is shown.</summary>
public sealed record ForecastRun(StoredForecast Forecast, BacktestResult Backtest);

/// <summary>A stored forecast against what happened: the points with their actuals and the accuracy of the value shown, the model and
/// the baseline over the buckets known so far.</summary>
public sealed record ForecastComparison(StoredForecast Forecast, IReadOnlyList<(StoredForecastPoint Point, double? Actual)> Points, Accuracy Shown, Accuracy Model,
    Accuracy Baseline);

/// <summary>
/// Forecasts (24 hours hourly, 7 days daily) of IT load, facility energy, cooling energy and PUE for the park or a building, their
/// rolling-origin backtests on held-out history, stored forecasts and their comparison with actuals. The models are
/// <see cref="Forecaster"/>'s; PUE forecasts are the KPI definition (<see cref="KpiCalculator"/>) applied to the forecast facility
/// and IT energies, and actual PUE the same definition applied to the metered ones.
/// </summary>
public sealed class ForecastService(ZeroParkStore store)
{
    /// <summary>History the models learn from: this many days before the origin.</summary>
    public const int HistoryDays = 400;

    /// <summary>Default held-out window of a backtest: the last 60 complete days.</summary>
    public const int DefaultTestDays = 60;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private readonly OptimisationData _data = new(store);

    public static ForecastHorizon ParseHorizon(string? s) => (s ?? "").Trim().ToLowerInvariant() switch
    {
        "day" or "24h" or "hour" => ForecastHorizon.Day,
        "week" or "7d" => ForecastHorizon.Week,
        _ => throw new ValidationException("horizon", $"'{s}' is not a horizon (day: the next 24 hours by hour; week: the next 7 days by day)"),
    };

    public static string Code(ForecastHorizon h) => h == ForecastHorizon.Day ? "day" : "week";

    private static Granularity GranularityOf(ForecastHorizon h) => h == ForecastHorizon.Day ? Granularity.Hour : Granularity.Day;

    /// <summary>The rolling-origin backtest over local dates <paramref name="from"/>..<paramref name="to"/> (default: the last
    /// <see cref="DefaultTestDays"/> complete days): every origin in the window is forecast by a model fitted on the history before it.</summary>
    public async Task<BacktestResult> BacktestAsync(string parkCode, string? node, string target, ForecastHorizon h, DateOnly? from = null, DateOnly? to = null,
        CancellationToken ct = default)
    {
        target = ForecastTargets.Parse(target);
        var last = await _data.LastCompleteDayAsync(parkCode, ct) ?? throw new ValidationException("park", $"park '{parkCode}' has no readings to backtest on");
        var testTo = to ?? last;
        if (testTo > last) testTo = last;
        var testFrom = from ?? testTo.AddDays(-(DefaultTestDays - 1));
        if (testFrom > testTo) throw new ValidationException("from", $"'from' ({testFrom:yyyy-MM-dd}) is after the last complete day {testTo:yyyy-MM-dd}");
        var hist = await _data.LoadAsync(parkCode, node, testFrom.AddDays(-HistoryDays), testTo, GranularityOf(h), ct);
        var firstOrigin = Array.FindIndex(hist.Local, l => DateOnly.FromDateTime(l) >= testFrom);
        var sw = Stopwatch.StartNew();
        var points = Points(hist, target, h, x => Forecaster.Backtest(h, x, firstOrigin));
        sw.Stop();
        return Score(hist, target, h, testFrom, testTo, points, sw.Elapsed.TotalSeconds);
    }

    /// <summary>The forecast from the end of the last complete day, for the next 24 hours or 7 days; the backtest of the last
    /// <see cref="DefaultTestDays"/> days decides whether the model or the baseline is shown. Stored when <paramref name="save"/>.</summary>
    public async Task<ForecastRun> ForecastAsync(string parkCode, string? node, string target, ForecastHorizon h, bool save, string user, CancellationToken ct = default)
    {
        target = ForecastTargets.Parse(target);
        var last = await _data.LastCompleteDayAsync(parkCode, ct) ?? throw new ValidationException("park", $"park '{parkCode}' has no readings to forecast from");
        var testFrom = last.AddDays(-(DefaultTestDays - 1));
        var g = GranularityOf(h);
        var hist = await _data.LoadAsync(parkCode, node, testFrom.AddDays(-HistoryDays), last, g, ct);
        var clock = hist.Registry.Clock;
        var future = clock.Buckets(last.AddDays(1), last.AddDays(h == ForecastHorizon.Day ? 1 : 7), g)
            .Select(b => (Start: clock.ToLocalOffset(b.Start), End: clock.ToLocalOffset(b.End))).ToList();
        var firstOrigin = Array.FindIndex(hist.Local, l => DateOnly.FromDateTime(l) >= testFrom);
        var sw = Stopwatch.StartNew();
        var backtest = Score(hist, target, h, testFrom, last, Points(hist, target, h, x => Forecaster.Backtest(h, x, firstOrigin)), 0);
        var fc = Points(hist, target, h, x => Forecaster.Forecast(h, x), future.Select(f => f.Start.DateTime).ToList());
        sw.Stop();
        backtest = backtest with { TrainingSeconds = sw.Elapsed.TotalSeconds };
        var n = hist.Local.Length;
        var stored = new StoredForecast(0, hist.Node, target, Code(h), future[0].Start, ForecastTargets.Unit(target), backtest.Shown, backtest.Mape, backtest.BaselineMape,
            backtest.Points, clock.ToLocalOffset(store.Optimisation.Now), user,
            fc.Select(p => new StoredForecastPoint(future[p.Target - n].Start, future[p.Target - n].End, backtest.ModelBeatsBaseline ? p.Model : p.Baseline, p.Model, p.Baseline))
                .ToList());
        if (save) stored = stored with { Id = await store.Optimisation.SaveForecastAsync(parkCode, stored, ct) };
        return new ForecastRun(stored, backtest);
    }

    /// <summary>A stored forecast against the actuals known now.</summary>
    public async Task<ForecastComparison> CompareAsync(string parkCode, long id, CancellationToken ct = default)
    {
        var f = (await store.Optimisation.ListForecastsAsync(parkCode, null, null, null, int.MaxValue, ct)).FirstOrDefault(x => x.Id == id)
                ?? throw new NotFoundException($"forecast {id} not found in park '{parkCode}'");
        var h = ParseHorizon(f.Horizon);
        var from = DateOnly.FromDateTime(f.Points[0].Start.DateTime);
        var to = DateOnly.FromDateTime(f.Points[^1].Start.DateTime);
        var hist = await _data.LoadAsync(parkCode, f.Node, from, to, GranularityOf(h), ct);
        var actual = hist.Of(f.Target);
        var index = hist.Buckets.Select((b, i) => (b.Start.ToUnixTimeSeconds(), i)).ToDictionary(x => x.Item1, x => x.i);
        var pts = f.Points.Select(p => (p, index.TryGetValue(p.Start.ToUnixTimeSeconds(), out var i) ? actual[i] : null)).ToList();
        return new ForecastComparison(f, pts, Accuracy.Of(pts.Select(x => (x.Item2, x.p.Value))), Accuracy.Of(pts.Select(x => (x.Item2, x.p.Model))),
            Accuracy.Of(pts.Select(x => (x.Item2, x.p.Baseline))));
    }

    /// <summary>Runs the models for one target; PUE runs facility energy and IT energy and applies the KPI definition to each pair.</summary>
    private static List<ForecastPoint> Points(NodeHistory hist, string target, ForecastHorizon h, Func<ModelInput, IReadOnlyList<ForecastPoint>> run,
        IReadOnlyList<DateTime>? future = null)
    {
        IReadOnlyList<DateTime> local = future is null ? hist.Local : [.. hist.Local, .. future];
        ModelInput Input(double?[] y) => new(local, y, hist.Temperature, hist.Humidity);
        if (target != ForecastTargets.Pue) return [.. run(Input(hist.Of(target)))];
        var total = run(Input(hist.Facility));
        var it = run(Input(hist.It)).ToDictionary(p => (p.Target, p.Origin));
        var period = h == ForecastHorizon.Day ? TimeSpan.FromHours(1) : TimeSpan.FromDays(1);
        var list = new List<ForecastPoint>(total.Count);
        foreach (var p in total)
        {
            if (!it.TryGetValue((p.Target, p.Origin), out var q)) continue;
            list.Add(new ForecastPoint(p.Target, p.Origin, p.Lead, p.Target < hist.Pue.Length ? hist.Pue[p.Target] : null,
                Pue(p.Model, q.Model, period), Pue(p.Baseline, q.Baseline, period)));
        }
        return list;
    }

    /// <summary>PUE of a forecast pair by the one KPI definition (E_DC as the facility input, E_IT).</summary>
    internal static double? Pue(double? total, double? it, TimeSpan period) =>
        total is { } t && it is { } i
            ? KpiCalculator.Compute(new KpiInputs { Period = period, FacilityInput = Energy.FromKilowattHours(t), It = Energy.FromKilowattHours(i) }).Pue
            : null;

    private static BacktestResult Score(NodeHistory hist, string target, ForecastHorizon h, DateOnly from, DateOnly to, IReadOnlyList<ForecastPoint> points, double seconds)
    {
        var scored = points.Where(p => p.Actual is not null && p.Model is not null && p.Baseline is not null).ToList();
        var model = Accuracy.Of(scored.Select(p => (p.Actual, p.Model)));
        var baseline = Accuracy.Of(scored.Select(p => (p.Actual, p.Baseline)));
        var beats = model.Mape is { } m && baseline.Mape is { } b && m < b;
        var byLead = scored.GroupBy(p => p.Lead).OrderBy(g => g.Key)
            .Select(g => new LeadAccuracy(g.Key, Accuracy.Of(g.Select(p => (p.Actual, p.Model))).Mape, Accuracy.Of(g.Select(p => (p.Actual, p.Baseline))).Mape, g.Count()))
            .ToList();
        var notes = new List<string>(hist.Notes);
        if (scored.Count == 0) notes.Add("backtest: no forecast could be scored (too little history before the window, or no readings in it)");
        if (model.ZeroActuals > 0) notes.Add($"mape: {model.ZeroActuals} point(s) with an actual of 0 are left out of MAPE (kept in MAE)");
        var lag = h == ForecastHorizon.Day ? "the same hour a week earlier (lag 168 h)" : "the same weekday a week earlier (lag 7 days)";
        return new BacktestResult(hist.Registry.Park.Code, hist.Node, target, Code(h), ForecastTargets.Unit(target), from.ToString("yyyy-MM-dd", Inv),
            to.ToString("yyyy-MM-dd", Inv), points.Select(p => p.Origin).Distinct().Count(), scored.Count, Round(model.Mape), Round(model.Mae), Round(baseline.Mape),
            Round(baseline.Mae), beats, beats ? "model" : "baseline",
            h == ForecastHorizon.Day
                ? "ridge regression on hour of day, day of week, the value 24 h and 168 h earlier and the weather of the same hour the day before"
                : "ridge regression on day of week, the value 7 days earlier, the last known day's value and weather, and the lead",
            "seasonal naive: " + lag, byLead, seconds, notes);
    }

    private static double? Round(double? v) => v is { } x ? Math.Round(x, 4) : null;
}
