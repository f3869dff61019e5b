using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using ZeroPark.Domain;
using ZeroPark.Server.Web;
using ZeroPark.Application;
using ZeroPark.Application.Carbon;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>
/// Carbon analysis of a period (the same <see cref="CarbonAnalysis"/> as <c>GET …/carbon/analysis</c>): the monthly trend with
/// year-on-year, emissions and CUE per day or hour (<see cref="CarbonService.SeriesAsync"/>, as <c>GET …/carbon/series</c>),
/// intensity, benchmarks, sensitivity, statistics per source and anomalies. Without a period: the year to date of the newest
/// reading.
/// </summary>
public sealed class CarbonAnalysisModel(ZeroParkStore store, CarbonService carbonService, CarbonAnalysisService carbonAnalysisService) : ZpPageModel(store), IExportsTables
{
    /// <summary>Hourly series at most this many days (744 buckets).</summary>
    public const int MaxHourDays = 31;

    public CarbonQuery? Query { get; private set; }
    public string By { get; private set; } = "day";
    public string? Error { get; private set; }
    public CarbonAnalysis? Analysis { get; private set; }
    public IReadOnlyList<EmissionBucket> Series { get; private set; } = [];
    public string ChartJson { get; private set; } = "{}";

    public async Task<IActionResult> OnGetAsync(string park, string? year, string? from, string? to, string? method, string? gwp, string? by, CancellationToken ct)
    {
        CurrentPark = await ParkIfVisibleAsync(park, ct);
        if (CurrentPark is null) return NotFound();
        (Query, Error) = await CarbonQuery.ReadAsync(Store, CurrentPark, year, from, to, method, gwp, ct);
        By = by is "hour" ? "hour" : "day";
        if (Query is not null && string.IsNullOrWhiteSpace(year) && string.IsNullOrWhiteSpace(from) && string.IsNullOrWhiteSpace(to))
        {
            // The year to date: up to the day of the newest reading.
            var last = await Store.Queries.LastReadingAtAsync(park, ct);
            if (last is { } l) Query = Query with { Year = null, To = DateOnly.FromDateTime(l.AddSeconds(-1).DateTime) };
        }
        if (Query is not null && By == "hour" && Query.To.DayNumber - Query.From.DayNumber + 1 > MaxHourDays) Error = T("carbon.hourrange", MaxHourDays);
        if (Error is not null || Query is null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        try
        {
            Analysis = await carbonAnalysisService.AnalyseAsync(park, null, Query.From, Query.To, Query.Method, Query.Gwp, null, 10, 10, ct);
            Series = await carbonService.SeriesAsync(park, null, Query.From, Query.To, By == "hour" ? Granularity.Hour : Granularity.Day, Query.Method, Query.Gwp, ct);
        }
        catch (ValidationException e)
        {
            Error = UiText.M(e.Message);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        ChartJson = JsonSerializer.Serialize(new
        {
            lang = Lang,
            labels = new
            {
                total = T("carbon.chart.total"), previous = T("carbon.chart.previous"), yoy = T("carbon.chart.yoy"), scope2 = T("carbon.chart.scope2"),
                scope1 = T("carbon.chart.scope1"), cue = "CUE (kgCO2e/kWh)",
            },
            trend = new
            {
                months = Analysis.Trend.Select(p => p.Month).ToList(),
                total = Analysis.Trend.Select(p => Math.Round(p.TotalT, 4)).ToList(),
                previous = Analysis.Trend.Select(p => p.PreviousYearT is { } x ? Math.Round(x, 4) : (double?)null).ToList(),
                yoy = Analysis.Trend.Select(p => p.YoyPct is { } x ? Math.Round(x, 2) : (double?)null).ToList(),
            },
            series = new
            {
                labels = Series.Select(b => By == "hour" ? b.Start.ToString("MM-dd HH:mm", CultureInfo.InvariantCulture) : b.Start.ToString("MM-dd", CultureInfo.InvariantCulture)).ToList(),
                scope2 = Series.Select(b => b.GridKwh is null ? (double?)null : Math.Round(b.Scope2LocationT, 5)).ToList(),
                scope1 = Series.Select(b => Math.Round(b.Scope1MeteredT, 5)).ToList(),
                cue = Series.Select(b => b.CueKgPerKwh is { } c ? Math.Round(c, 4) : (double?)null).ToList(),
            },
        });
        return Page();
    }

    public string IntensityLabel(string metric) => TOr("carbon.int." + metric, metric);

    public string BenchmarkLabel(string against) => TOr("carbon.bench." + against, against);

    public string BucketLabel(EmissionBucket b) => By == "hour"
        ? b.Start.ToString(IsChinese ? "M月d日 HH:mm" : "d MMM HH:mm", CultureInfo.CurrentCulture)
        : Date(DateOnly.FromDateTime(b.Start.DateTime));

    public IEnumerable<ExportTable> ExportTables()
    {
        if (Analysis is not { } a) yield break;
        yield return new ExportTable("trend", [T("carbon.month"), T("carbon.chart.total") + " (tCO2e)", T("carbon.chart.previous") + " (tCO2e)", T("carbon.chart.yoy") + " (%)"],
            a.Trend.Select(p => new object?[] { p.Month, p.TotalT, p.PreviousYearT, p.YoyPct }).ToList());
        yield return new ExportTable("series", [T("carbon.bucket"), T("carbon.gridkwh") + " (kWh)", T("input.it") + " (kWh)", T("carbon.chart.scope2") + " (tCO2e)",
                T("carbon.chart.scope1") + " (tCO2e)", T("carbon.chart.total") + " (tCO2e)", "CUE (kgCO2e/kWh)"],
            Series.Select(b => new object?[] { b.Start, b.GridKwh, b.ItKwh, b.Scope2LocationT, b.Scope1MeteredT, b.TotalT, b.CueKgPerKwh }).ToList());
        yield return new ExportTable("intensity", [T("carbon.metric"), T("carbon.value"), T("carbon.unit"), T("carbon.basis")],
            a.Intensity.Select(i => new object?[] { IntensityLabel(i.Metric), i.Value, i.Unit, i.Basis }).ToList());
        yield return new ExportTable("benchmarks", [T("carbon.against"), T("carbon.reference"), T("carbon.actual"), T("carbon.unit"), T("carbon.deviation") + " (%)", T("carbon.note")],
            a.Benchmarks.Select(b => new object?[] { BenchmarkLabel(b.Against), b.Reference, b.Actual, b.Unit, b.DeviationPct, b.Note }).ToList());
        yield return new ExportTable("sensitivity", [T("carbon.line"), T("carbon.driver"), T("carbon.effect") + " (tCO2e)", T("carbon.effectpct") + " (%)"],
            a.Sensitivity.Select(s => new object?[] { s.Line, s.Driver, s.EffectT, s.EffectPctOfTotal }).ToList());
        yield return new ExportTable("statistics", [T("carbon.source"), T("carbon.chart.total") + " (tCO2e)", T("overview.share") + " (%)", T("carbon.mean") + " (tCO2e)",
                T("carbon.min") + " (tCO2e)", T("carbon.max") + " (tCO2e)", T("carbon.months")],
            a.Statistics.Select(s => new object?[] { CarbonText.Source(s.Key), s.TotalT, s.SharePct, s.MeanT, s.MinT, s.MaxT, s.Months }).ToList());
        yield return new ExportTable("anomalies", [T("carbon.source"), T("carbon.month"), T("carbon.actual") + " (tCO2e)", T("carbon.baseline") + " (tCO2e)", T("carbon.deviation") + " (%)"],
            a.Anomalies.Select(x => new object?[] { CarbonText.Source(x.Source), x.Month, x.ActualT, x.BaselineT, x.DeviationPct }).ToList());
    }
}
