using System.Globalization;
using ZeroPark.Carbon;
using ZeroPark.Domain;
using ZeroPark.EnergyManagement;
using ZeroPark.Metering;

namespace ZeroPark.Application.Carbon;

public sealed record SourceStatistics(string Key, double TotalT, double SharePct, double MeanT, double MinT, double MaxT, int Months);

public sealed record TrendPoint(string Month, double TotalT, double? PreviousYearT, double? YoyPct);

public sealed record IntensityMetric(string Metric, double? Value, string Unit, string Basis);

public sealed record BenchmarkResult(string Against, double? Reference, double? Actual, string Unit, double? DeviationPct, string Note);

public sealed record SensitivityItem(string Line, string Driver, double EffectT, double EffectPctOfTotal);

public sealed record RegressionResult(double Intercept, double Slope, double RSquared, int N, string X, string Y);

public sealed record AnomalyItem(string Source, string Month, double ActualT, double BaselineT, double DeviationPct);

/// <summary>The whitepaper's carbon analysis kinds over one period: statistics (horizontal: sources compared), trend with YoY,
/// intensity, benchmark, sensitivity, regression against IT load, and vertical anomalies (one source month by month).</summary>
public sealed record CarbonAnalysis(string Park, string Boundary, DateOnly From, DateOnly To, string Method, string Gwp, double TotalLocationT,
    IReadOnlyList<SourceStatistics> Statistics, IReadOnlyList<TrendPoint> Trend, IReadOnlyList<IntensityMetric> Intensity, IReadOnlyList<BenchmarkResult> Benchmarks,
    double SensitivityPct, IReadOnlyList<SensitivityItem> Sensitivity, RegressionResult? Regression, double AnomalyPct, IReadOnlyList<AnomalyItem> Anomalies,
    IReadOnlyList<string> Notes);

/// <summary>Carbon analysis from monthly inventories (location-based scope 2; market-based lines are left out so nothing counts
/// twice). Every figure is a sum of inventory lines, so it can be traced back with <c>carbon explain</c>.</summary>
public sealed class CarbonAnalysisService(ZeroParkStore store, CarbonService carbon)
{
    /// <summary>Without dependency injection (tests, tools): its own <see cref="CarbonService"/> over the same store.</summary>
    public CarbonAnalysisService(ZeroParkStore store) : this(store, new CarbonService(store)) { }

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Share of the expected readings a source-month needs to be checked for anomalies or to be part of a baseline.</summary>
    public const double AnomalyMinCompleteness = 0.95;

    public async Task<CarbonAnalysis> AnalyseAsync(string park, string? node, DateOnly from, DateOnly to, AccountingMethod method, GwpSet gwp, InventoryOptions? options,
        double sensitivityPct = 10, double anomalyPct = 10, CancellationToken ct = default)
    {
        if (sensitivityPct is <= 0 or > 100) throw new ValidationException("sensitivity-pct", "must be in (0, 100]");
        if (anomalyPct is <= 0 or > 1000) throw new ValidationException("anomaly-pct", "must be in (0, 1000]");
        var service = carbon;
        // Monthly rollups are dated by the first day of their month inside the range asked for, so the year before gets its own context.
        var ctx = await service.ContextAsync(park, node, from, to, options, ct);
        var prev = await service.ContextAsync(park, node, from.AddYears(-1), to.AddYears(-1), options, ct);
        var notes = new List<string>();
        InventoryResult Run(DateOnly a, DateOnly b) => RunWith(a < from ? prev : ctx, a, b);
        InventoryResult RunWith(CarbonService.Ctx ctx, DateOnly a, DateOnly b) => InventoryCalculator.Compute(new InventoryRequest
        {
            Boundary = ctx.Boundary, From = a, To = b, Method = method, Gwp = gwp, Place = ctx.Place, Activities = ctx.Activities, Library = ctx.Library,
            Instruments = ctx.Instruments, InstrumentShare = ctx.InstrumentShare, GridDataset = ctx.GridDataset, Residual = ctx.Residual,
        });
        var whole = Run(from, to);
        var total = whole.Totals.TotalLocationT;
        if (!whole.Complete) notes.Add($"{whole.Unresolved.Count} activities could not be converted (see carbon inventory); they are left out here too");

        // Monthly inventories of the period and of the year before.
        var months = new List<(DateOnly Start, DateOnly End)>();
        for (var m = new DateOnly(from.Year, from.Month, 1); m <= to; m = m.AddMonths(1))
            months.Add((m < from ? from : m, m.AddMonths(1).AddDays(-1) > to ? to : m.AddMonths(1).AddDays(-1)));
        var monthly = months.Select(m => (m.Start, Result: Run(m.Start, m.End))).ToList();
        static IEnumerable<InventoryLine> Counted(InventoryResult r) => r.Lines.Where(l => l.Basis != Scope2Basis.Market && l.Scope != GhgScope.Memo);

        // Statistics per source (horizontal view).
        var statistics = Counted(whole).GroupBy(l => l.Source).Select(g =>
        {
            var per = monthly.Select(m => Counted(m.Result).Where(l => l.Source == g.Key).SumTonnes(l => l.Co2e).TonnesCo2e).ToList();
            var sum = g.SumTonnes(l => l.Co2e).TonnesCo2e;
            return new SourceStatistics(g.Key, sum, total > 0 ? sum / total * 100 : 0, per.Average(), per.Min(), per.Max(), per.Count);
        }).OrderByDescending(s => s.TotalT).ToList();

        // Trend with year-on-year.
        var hasPrevious = prev.Activities.Count > 0;
        var trend = monthly.Select(m =>
        {
            var t = m.Result.Totals.TotalLocationT;
            var pm = months.First(x => x.Start == m.Start);
            double? prev = hasPrevious ? Run(pm.Start.AddYears(-1), pm.End.AddYears(-1)).Totals.TotalLocationT : null;
            return new TrendPoint(m.Start.ToString("yyyy-MM", Inv), t, prev, prev is > 0 ? (t - prev.Value) / prev.Value * 100 : null);
        }).ToList();
        if (!hasPrevious) notes.Add("trend: no activity data in the year before the period, so no year-on-year comparison");

        // Intensity.
        var settings = await store.Carbon.CarbonSettingsAsync(park, ct);
        double? Setting(string k) => settings.TryGetValue(k, out var v) && double.TryParse(v, NumberStyles.Float, Inv, out var d) ? d : null;
        var itSeries = await store.Queries.SeriesAsync(park, SeriesTarget.Node(ctx.SpaceCode, role: MeterRole.ItLoad, carrier: Carrier.Electricity), from, to, Granularity.Year, ct);
        var itKwh = itSeries.Total;
        // CUE: the one definition (Cue), from the energy-related emission series of the same period, summed over its days.
        var days = await service.SeriesAsync(park, node, from, to, Granularity.Day, method, gwp, options, ct);
        var energyT = days.Sum(d => d.TotalT);
        double? cue = Cue.KilogramsPerKilowattHour(Emissions.FromTonnesCo2e(energyT), Energy.FromKilowattHours(days.Sum(d => d.ItKwh ?? 0)));
        var racks = ctx.SpaceCode is null ? ctx.Registry.Park.RacksInUse : null;
        var pflops = Setting(CarbonService.SettingPflops);
        var revenue = Setting(CarbonService.SettingRevenue);
        var intensity = new List<IntensityMetric>
        {
            new("per_it_kwh", itKwh > 0 ? total * 1000 / itKwh : null, "kgCO2e/kWh", $"all scopes (location-based) / IT energy {itKwh.ToString("#,0", Inv)} kWh"),
            new("cue", cue, "kgCO2e/kWh", Cue.Formula),
            new("per_rack", racks is > 0 ? total / racks.Value : null, "tCO2e/rack", racks is > 0 ? $"{racks} racks in use" : "racks in use are recorded for the park only"),
            new("per_pflops", pflops is > 0 ? total / pflops.Value : null, "tCO2e/PFLOPS", pflops is > 0 ? $"computing capacity {pflops.Value.ToString(Inv)} PFLOPS (setting {CarbonService.SettingPflops})" : $"set {CarbonService.SettingPflops} to compute"),
            new("per_revenue", revenue is > 0 ? total / (revenue.Value / 10_000) : null, "tCO2e/10^4 CNY", revenue is > 0 ? $"revenue {revenue.Value.ToString("#,0", Inv)} CNY (setting {CarbonService.SettingRevenue})" : $"set {CarbonService.SettingRevenue} to compute"),
        };

        // Benchmarks: history, target, industry.
        var benchmarks = new List<BenchmarkResult>();
        var prevTotal = hasPrevious ? Run(from.AddYears(-1), to.AddYears(-1)).Totals.TotalLocationT : (double?)null;
        benchmarks.Add(new BenchmarkResult("previous_year", prevTotal, total, "tCO2e", prevTotal is > 0 ? (total - prevTotal.Value) / prevTotal.Value * 100 : null,
            prevTotal is null ? "no data for the same period a year earlier" : $"{from.AddYears(-1):yyyy-MM-dd}..{to.AddYears(-1):yyyy-MM-dd}"));
        if (Setting(CarbonService.SettingTarget) is { } target)
        {
            var periodDays = to.DayNumber - from.DayNumber + 1;
            var prorated = target * periodDays / (DateTime.IsLeapYear(from.Year) ? 366.0 : 365.0);
            benchmarks.Add(new BenchmarkResult("target", prorated, total, "tCO2e", prorated > 0 ? (total - prorated) / prorated * 100 : null,
                $"annual target {target.ToString("#,0.##", Inv)} t × {periodDays} days / year"));
        }
        if (Setting(CarbonService.SettingBenchmarkCue) is { } bcue)
        {
            benchmarks.Add(new BenchmarkResult("industry_cue", bcue, cue, "kgCO2e/kWh", cue is { } c ? (c - bcue) / bcue * 100 : null, "configured industry CUE value"));
        }

        // Sensitivity: which line's factor or activity moves the total most.
        var sensitivity = Counted(whole).Select(l => new SensitivityItem(l.Id, $"{l.Source} {l.Material}{(l.Space is null ? "" : " " + l.Space)}: activity or factor " +
                (l.Factors.FirstOrDefault(f => f.Role == "emission") is { } f ? $"#{f.Id} ({f.Value.ToString(Inv)} {f.Unit})" : l.Factor),
            l.Co2eTonnes * sensitivityPct / 100, total > 0 ? l.Co2eTonnes * sensitivityPct / total : 0))
            .OrderByDescending(s => Math.Abs(s.EffectT)).ToList();

        // Regression of daily emissions on daily IT energy.
        RegressionResult? regression = null;
        var points = days.Where(d => d.ItKwh is > 0 && d.GridKwh is not null).Select(d => (X: d.ItKwh!.Value, Y: d.TotalT)).ToList();
        if (points.Count >= 3)
        {
            double mx = points.Average(p => p.X), my = points.Average(p => p.Y);
            double sxx = points.Sum(p => (p.X - mx) * (p.X - mx)), sxy = points.Sum(p => (p.X - mx) * (p.Y - my)), syy = points.Sum(p => (p.Y - my) * (p.Y - my));
            if (sxx > 0)
            {
                var slope = sxy / sxx;
                regression = new RegressionResult(my - slope * mx, slope, syy > 0 ? sxy * sxy / (sxx * syy) : 1, points.Count, "IT energy kWh/day", "metered emissions tCO2e/day");
            }
        }
        else notes.Add("regression: fewer than 3 days with both IT energy and grid electricity");
        notes.Add("regression against outdoor temperature: not computed yet (an outdoor temperature series can be recorded with a gauge meter of carrier ambient, as the demo's weather_temp)");

        // Vertical view: each source month by month against the mean of its other months — only months with data that is complete
        // (≥ AnomalyMinCompleteness of the expected readings): a month without activity (before metering started, or simply not
        // recorded) or with incomplete metering is neither checked nor part of a baseline, so it can never show as −100 % or make a
        // full month look like +300,000 %.
        var anomalies = new List<AnomalyItem>();
        var sourceMonths = CarbonService.SourceMonths(ctx, new DateOnly(from.Year, from.Month, 1), to, method, gwp);
        var skipped = 0;
        foreach (var group in sourceMonths.GroupBy(x => x.Source))
        {
            var usable = group.Where(x => x.Tonnes is not null && x.Completeness >= AnomalyMinCompleteness).ToList();
            skipped += group.Count() - usable.Count;
            if (usable.Count < 3) continue;
            foreach (var m in usable)
            {
                var baseline = usable.Where(x => x.Month != m.Month).Average(x => x.Tonnes!.Value);
                if (baseline <= 0) continue;
                // Decimal at the boundary: exactly ±threshold counts (as the deviation-alert rule WC-34 does).
                var d = ZeroPark.Alerts.Deviation.Check(m.Tonnes!.Value, baseline, anomalyPct / 100);
                if (d.Alert) anomalies.Add(new AnomalyItem(group.Key, m.Month.ToString("yyyy-MM", Inv), m.Tonnes.Value, baseline, (double)d.Deviation * 100));
            }
        }
        if (skipped > 0)
            notes.Add($"anomalies: {skipped} source-month(s) without data or with data less than {AnomalyMinCompleteness * 100:0} % complete are neither checked nor used as a baseline");
        return new CarbonAnalysis(park, ctx.Boundary, from, to, AccountingMethods.Code(method), gwp.ToString(), total, statistics, trend, intensity, benchmarks,
            sensitivityPct, sensitivity, regression, anomalyPct, anomalies, notes);
    }
}
