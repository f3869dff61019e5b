using System.Globalization;
using ZeroPark.Application.Neutrality;
using ZeroPark.Application.Optimisation;
using ZeroPark.Neutrality;
using ZeroPark.Reports;

namespace ZeroPark.Application.Reports;

/// <summary>
/// The carbon neutrality report of a year or quarter (<see cref="NeutralityService.ComputeAsync"/>, the one definition): emissions
/// C_yw (scope 1 + location-based scope 2), what the retired claims of the ledger neutralise by kind and by instrument, the neutrality
/// rate, the T/CA305 offset view (weighted offsets, S_DC, score, admission, scope 1 not covered), the year's targets month by month
/// with the projected year end (<see cref="TargetService.ProgressAsync"/>), and the flags and notes.
/// </summary>
public sealed class NeutralityReportKind(ZeroParkStore store, NeutralityService neutrality, TargetService targets) : IReportKind
{
    public const string Code = "carbon_neutrality";

    public static readonly ReportKindInfo Definition = new(Code, ["neutrality", "carbon_neutral"],
        ["summary", "emissions", "instruments", "tca305", "targets", "notes", "seal"], [ReportEvery.Quarter, ReportEvery.Year]);

    public ReportKindInfo Info => Definition;

    public async Task<ReportDocument> BuildAsync(ReportContext x, CancellationToken ct)
    {
        var (from, to) = x.YearOrPeriod();
        var n = await neutrality.ComputeAsync(x.Park, from, to, ct: ct);
        var lang = x.Lang;
        var zh = lang == "zh";
        string T(string k) => ReportText.Get(k, lang);
        string C(double? v) => ReportHtml.Cell(v);
        string Pct(double? v) => v is { } r ? (r * 100).ToString("0.##", CultureInfo.InvariantCulture) + " %" : "—";
        var period = $"{from:yyyy-MM-dd} … {to:yyyy-MM-dd}";
        var sections = new List<ReportSection>
        {
            ReportSection.Of("summary", T("s.summary"),
                [zh ? $"报告期 {period}：排放量 C_yw（范围一 + 基于位置的范围二）{C(n.EmissionsT)} tCO2e，已注销的抵消与绿色电力中和 {C(n.NeutralisedT)} tCO2e，碳中和率 {Pct(n.NeutralityRate)}。T/CA305 碳抵消比例 S_DC {Pct(n.Tca305OffsetRatio)}，得分 {C(n.Tca305OffsetScore)} / 40。" : $"Period {period}: emissions C_yw (scope 1 + location-based scope 2) {C(n.EmissionsT)} tCO2e, neutralised by retired offsets and green power {C(n.NeutralisedT)} tCO2e, neutrality rate {Pct(n.NeutralityRate)}. T/CA305 offset ratio S_DC {Pct(n.Tca305OffsetRatio)}, score {C(n.Tca305OffsetScore)} / 40."],
                [new ReportTable("neutrality", T("s.summary"), [T("c.item"), T("c.value"), T("c.unit")],
                [
                    [T("k.emissions_cyw"), n.EmissionsT, "tCO2e"], [T("k.neutralised"), n.NeutralisedT, "tCO2e"], [T("k.neutrality_rate"), n.NeutralityRate, ""],
                    [T("k.grid_factor"), n.GridFactorTPerMwh, "tCO2/MWh"],
                ])]),
            ReportSection.Of("emissions", T("s.emissions"), [],
                [new ReportTable("neutrality_emissions", T("s.emissions"), [T("c.scope"), T("c.tco2e")],
                [
                    [T("scope1"), n.Scope1T], [T("scope2_location"), n.Scope2LocationT], [T("scope2_market"), n.Scope2MarketT], [T("k.emissions_cyw"), n.EmissionsT],
                ])]),
            ReportSection.Of("instruments", T("s.instruments"),
                n.ByInstrument.Count == 0 ? [T("neutrality.none")] : [],
                [
                    new ReportTable("neutrality_kinds", T("c.kind"), [T("c.kind"), T("c.quantity"), T("c.unit"), T("c.tco2e"), T("c.coefficient"), T("c.weighted")],
                        n.ByKind.Select(k => new object?[] { T("ok." + k.Code), k.Quantity, k.Unit, k.Tonnes, k.Coefficient, k.CountedWeightedT }).ToList()),
                    new ReportTable("neutrality_instruments", T("s.instruments"), [T("c.instrument"), T("c.kind"), T("c.claim"), T("c.quantity"), T("c.unit"), T("c.tco2e")],
                        n.ByInstrument.Select(i => new object?[] { i.InstrumentId is null ? T("neutrality.pv_meters") : $"#{i.InstrumentId} {i.Label}", T("ok." + i.Kind),
                            i.ClaimFrom is { } cf ? $"{cf:yyyy-MM-dd}…{i.ClaimTo:yyyy-MM-dd}" : period, i.Quantity, i.Unit, i.Tonnes }).ToList()),
                ],
                [new ReportChart(T("s.instruments"), "tCO2e", n.ByKind.Select(k => new ChartPoint(T("ok." + k.Code), k.Tonnes)).ToList())]),
            ReportSection.Of("tca305", T("s.tca305_offsets"), [],
                [new ReportTable("neutrality_tca305", T("s.tca305_offsets"), [T("c.item"), T("c.value")],
                [
                    [T("k.weighted"), n.Tca305WeightedT], [T("k.weighted_raw"), n.Tca305WeightedRawT], [T("k.offset_ratio"), n.Tca305OffsetRatio],
                    [T("k.offset_score"), n.Tca305OffsetScore], [T("k.admission"), n.Tca305Admission is { } a ? T(a ? "status.passed" : "status.failed") : "—"],
                    [T("k.scope1_uncovered"), n.Scope1UncoveredT], [T("k.non_scope1_cap"), n.NonScope1CapT],
                ])]),
        };
        // Targets of the period's year, as of the period's end.
        var progress = await targets.ProgressAsync(x.Park, to.Year, to, ct);
        var rows = progress.Months.Select(m => new object?[] { $"{to.Year}-{m.Month:00}", T("status." + m.Status), m.EmissionsT, m.NeutralisedT, m.NeutralityRate, m.RateTarget,
            m.RateMet is { } met ? T(met ? "status.met" : "status.missed") : "—" }).ToList();
        sections.Add(ReportSection.Of("targets", T("s.targets"),
            [zh ? $"{to.Year} 年截至 {to:yyyy-MM-dd}：排放 {C(progress.EmissionsToDateT)} tCO2e，中和 {C(progress.NeutralisedToDateT)} tCO2e，中和率 {Pct(progress.RateToDate)}；年度中和率目标 {Pct(progress.AnnualRateTarget)}；预计全年排放 {C(progress.ProjectedEmissionsT)} tCO2e，中和率 {Pct(progress.ProjectedRate)}。" : $"{to.Year} to {to:yyyy-MM-dd}: emissions {C(progress.EmissionsToDateT)} tCO2e, neutralised {C(progress.NeutralisedToDateT)} tCO2e, rate {Pct(progress.RateToDate)}; annual rate target {Pct(progress.AnnualRateTarget)}; projected year {C(progress.ProjectedEmissionsT)} tCO2e at a rate of {Pct(progress.ProjectedRate)}."],
            [new ReportTable("neutrality_targets", T("s.targets"), [T("c.month"), T("c.status"), T("c.tco2e"), T("k.neutralised"), T("k.neutrality_rate"), T("c.target"), T("c.met")], rows)],
            [new ReportChart(T("k.neutrality_rate"), "%", progress.Months.Select(m => new ChartPoint($"{m.Month:00}", m.NeutralityRate is { } r ? r * 100 : null)).ToList(), "line")]));
        var notes = n.Flags.Select(f => T("k.flag") + ": " + f).Concat(n.Notes.Select(x.Translate)).Concat(progress.Notes.Select(x.Translate)).ToList();
        sections.Add(ReportSection.Of("notes", T("s.notes"), notes.Count == 0 ? [T("notes.none")] : notes));
        var (seal, versions, head) = await EvaluationPeriod.SealAsync(store, x, ct);
        sections.Add(seal);
        versions["ledger_claims"] = n.ByInstrument.Count(i => i.ClaimId is not null).ToString(CultureInfo.InvariantCulture);
        return new ReportDocument(Code, lang, $"{x.Registry.Park.Name} {T("neutrality.title")}", period, x.Park, x.Registry.Park.Name, from, to, sections, versions,
            null, head, x.Now, x.User);
    }
}

/// <summary>
/// The reduction report of a year or quarter: each reduction measure (<see cref="MeasureService.ReportAsync"/> as of the period's end)
/// with its baseline model, the saving measured in the period (its months) and to date in kWh, tCO2e and CNY, the forecast of a
/// year's saving, and — for measures that came from an accepted optimisation suggestion — the saving that suggestion expected.
/// </summary>
public sealed class ReductionReportKind(ZeroParkStore store, MeasureService measures) : IReportKind
{
    public const string Code = "carbon_reduction";

    public static readonly ReportKindInfo Definition = new(Code, ["reduction", "measures"],
        ["summary", "measures", "months", "notes", "seal"], [ReportEvery.Quarter, ReportEvery.Year]);

    public ReportKindInfo Info => Definition;

    public async Task<ReportDocument> BuildAsync(ReportContext x, CancellationToken ct)
    {
        var (from, to) = x.YearOrPeriod();
        var reports = await measures.ReportAsync(x.Park, to, null, ct);
        var suggestions = (await store.Optimisation.ListSuggestionsAsync(x.Park, null, ct)).Where(s => s.Measure is not null).ToList();
        var lang = x.Lang;
        var zh = lang == "zh";
        string T(string k) => ReportText.Get(k, lang);
        string C(double? v) => ReportHtml.Cell(v);
        var fromKey = from.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var toKey = to.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        bool InPeriod(MeasureMonth m) => string.CompareOrdinal(m.Month, fromKey) >= 0 && string.CompareOrdinal(m.Month, toKey) <= 0;
        var inPeriod = reports.Select(r => (r, kwh: r.Months.Where(InPeriod).Sum(m => m.SavingKwh), t: r.Months.Where(InPeriod).Sum(m => m.SavingT))).ToList();
        var totalKwh = inPeriod.Sum(p => p.kwh);
        var totalT = inPeriod.Sum(p => p.t);
        var period = $"{from:yyyy-MM-dd} … {to:yyyy-MM-dd}";
        var sections = new List<ReportSection>
        {
            ReportSection.Of("summary", T("s.summary"),
                [zh ? $"报告期 {period}：{reports.Count} 项减排措施，报告期内实测节能 {C(totalKwh)} kWh，减排 {C(totalT)} tCO2e（节能量 = 基线模型按当日驱动因素的预测值 − 实测值）。" : $"Period {period}: {reports.Count} reduction measures, measured saving in the period {C(totalKwh)} kWh, {C(totalT)} tCO2e (saving = the baseline model's prediction from the day's drivers − what was measured)."]),
            ReportSection.Of("measures", T("s.measures"), reports.Count == 0 ? [T("reduction.none")] : [],
                [new ReportTable("measures", T("s.measures"),
                    [T("c.code"), T("c.name"), T("c.start"), T("c.period_kwh"), T("c.period_t"), T("c.todate_kwh"), T("c.todate_t"), T("c.todate_cny"), T("c.saving_pct"),
                     T("c.forecast_kwh"), T("c.expected_kwh"), T("c.r2")],
                    inPeriod.Select(p => new object?[] { p.r.Measure.Code, p.r.Measure.Name, p.r.Measure.Start, p.kwh, p.t, p.r.SavingKwh, p.r.SavingT, p.r.SavingCny,
                        p.r.SavingPct, p.r.ForecastKwh, suggestions.Where(s => s.Measure == p.r.Measure.Code).Select(s => (double?)s.SavingKwh).FirstOrDefault(), p.r.Model?.RSquared }).ToList())],
                [new ReportChart(T("c.period_kwh"), "kWh", inPeriod.Select(p => new ChartPoint(p.r.Measure.Code, p.kwh)).ToList())]),
            ReportSection.Of("months", T("s.months"), [],
                [new ReportTable("measure_months", T("s.months"), [T("c.code"), T("c.month"), T("c.baseline_kwh"), T("c.actual_kwh"), T("c.saving_kwh"), T("c.tco2e")],
                    reports.SelectMany(r => r.Months.Where(InPeriod).Select(m => new object?[] { r.Measure.Code, m.Month, m.BaselineKwh, m.ActualKwh, m.SavingKwh, m.SavingT })).ToList())]),
        };
        var notes = reports.SelectMany(r => r.Notes.Select(n => $"{r.Measure.Code}: {x.Translate(n)}")).ToList();
        sections.Add(ReportSection.Of("notes", T("s.notes"), notes.Count == 0 ? [T("notes.none")] : notes));
        var (seal, versions, head) = await EvaluationPeriod.SealAsync(store, x, ct);
        sections.Add(seal);
        versions["measures"] = string.Join(",", reports.Select(r => r.Measure.Code));
        return new ReportDocument(Code, lang, $"{x.Registry.Park.Name} {T("reduction.title")}", period, x.Park, x.Registry.Park.Name, from, to, sections, versions,
            null, head, x.Now, x.User);
    }
}

/// <summary>
/// The efficiency report of a month or year (<see cref="EfficiencyReportService.ReportAsync"/>, the optimisation module's figures):
/// PUE per month with the normalised PUE, the drivers' weights with their 95 % intervals, stored forecasts against actuals,
/// the suggestions with their expected savings and the accepted ones' total. A monthly report reads the year to the month's end and
/// shows the month first.
/// </summary>
public sealed class EfficiencyReportKind(ZeroParkStore store, EfficiencyReportService efficiency) : IReportKind
{
    public const string Code = "efficiency";

    public static readonly ReportKindInfo Definition = new(Code, ["energy_efficiency", "optimisation"],
        ["summary", "pue", "drivers", "forecasts", "suggestions", "notes", "seal"], [ReportEvery.Month, ReportEvery.Year]);

    public ReportKindInfo Info => Definition;

    public async Task<ReportDocument> BuildAsync(ReportContext x, CancellationToken ct)
    {
        var (from, to) = x.MonthOrYear();
        var monthly = from.Day == 1 && to == from.AddMonths(1).AddDays(-1);
        if (!monthly && (from != new DateOnly(from.Year, 1, 1) || to != new DateOnly(from.Year, 12, 31)))
            throw new ValidationException("month", $"month: the efficiency report covers a month (YYYY-MM) or a calendar year, not {from:yyyy-MM-dd}..{to:yyyy-MM-dd}");
        var r = await efficiency.ReportAsync(x.Park, null, from.Year, to, ct);
        var lang = x.Lang;
        var zh = lang == "zh";
        string T(string k) => ReportText.Get(k, lang);
        string C(double? v) => ReportHtml.Cell(v);
        var key = from.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var month = monthly ? r.Months.FirstOrDefault(m => m.Month == key) : null;
        var label = monthly ? key : from.Year.ToString(CultureInfo.InvariantCulture);
        var (pue, normalised) = monthly ? (month?.Pue, month?.NormalisedPue) : (r.YearPue, r.YearNormalisedPue);
        var sections = new List<ReportSection>
        {
            ReportSection.Of("summary", T("s.summary"),
                [zh ? $"{label}：PUE {C(pue)}，标准化 PUE（参考室外温度与负载下）{C(normalised)}；{r.Year} 年 PUE {C(r.YearPue)}。节能建议 {r.Suggestions.Count} 条，已采纳建议预计年节能 {C(r.AcceptedSavingKwh)} kWh、{C(r.AcceptedSavingTco2e)} tCO2e、{C(r.AcceptedSavingCny)} 元。" : $"{label}: PUE {C(pue)}, normalised PUE (at the reference outdoor temperature and load) {C(normalised)}; {r.Year} PUE {C(r.YearPue)}. {r.Suggestions.Count} suggestions; the accepted ones are expected to save {C(r.AcceptedSavingKwh)} kWh, {C(r.AcceptedSavingTco2e)} tCO2e and {C(r.AcceptedSavingCny)} CNY a year."],
                [new ReportTable("efficiency", T("s.summary"), [T("c.item"), T("c.value")],
                [
                    [T("k.period"), label], ["PUE", pue], [T("k.normalised_pue"), normalised], [T("k.year_pue"), r.YearPue], [T("k.year_normalised_pue"), r.YearNormalisedPue],
                    [T("k.accepted_kwh"), r.AcceptedSavingKwh], [T("k.accepted_t"), r.AcceptedSavingTco2e], [T("k.accepted_cny"), r.AcceptedSavingCny],
                ])]),
            ReportSection.Of("pue", T("s.pue"), [],
                [new ReportTable("efficiency_months", T("s.pue"), [T("c.month"), T("c.facility_kwh"), T("c.it_kwh"), T("c.cooling_kwh"), "PUE", "CLF", T("k.normalised_pue")],
                    r.Months.Select(m => new object?[] { m.Month, m.FacilityKwh, m.ItKwh, m.CoolingKwh, m.Pue, m.Clf, m.NormalisedPue }).ToList())],
                [new ReportChart("PUE", "", r.Months.Select(m => new ChartPoint(m.Month[2..], m.Pue)).ToList(), "line"),
                 new ReportChart(T("k.normalised_pue"), "", r.Months.Select(m => new ChartPoint(m.Month[2..], m.NormalisedPue)).ToList(), "line")]),
            ReportSection.Of("drivers", T("s.drivers"),
                [zh ? $"PUE 驱动因素的线性模型（日数据），R² = {C(r.RSquared)}；每项给出系数与 95 % 置信区间。" : $"A linear model of daily PUE on its drivers, R² = {C(r.RSquared)}; each coefficient with its 95 % interval."],
                [new ReportTable("efficiency_drivers", T("s.drivers"), [T("c.driver"), T("c.estimate"), T("c.se"), T("c.low95"), T("c.high95"), T("c.reference")],
                    r.Drivers.Select(c => new object?[] { DriverName(c.Name, lang), c.Estimate, c.StandardError, c.Low95, c.High95, r.Reference.TryGetValue(c.Name, out var v) ? v : null }).ToList())]),
            ReportSection.Of("forecasts", T("s.forecasts"), r.Forecasts.Count == 0 ? [T("efficiency.noforecasts")] : [],
                [new ReportTable("efficiency_forecasts", T("s.forecasts"), [T("c.target"), T("c.horizon"), T("c.fc_origin"), T("c.model"), T("c.backtest_mape"), T("c.baseline_mape"), T("c.realised_mape")],
                    r.Forecasts.Select(f => new object?[] { f.Target, f.Horizon, f.Origin, f.Shown, f.BacktestMape, f.BaselineMape, f.RealisedMape }).ToList())]),
            ReportSection.Of("suggestions", T("s.suggestions"), r.Suggestions.Count == 0 ? [T("efficiency.nosuggestions")] : [],
                [new ReportTable("efficiency_suggestions", T("s.suggestions"), [T("c.kind"), T("c.subject"), T("c.status"), T("c.saving_kwh"), T("c.tco2e"), T("c.cost"), T("c.measure")],
                    r.Suggestions.Select(s => new object?[] { s.Kind, s.Subject, s.Status, s.SavingKwh, s.SavingTco2e, s.SavingCny, s.Measure ?? "—" }).ToList())]),
            ReportSection.Of("notes", T("s.notes"), r.Notes.Count == 0 ? [T("notes.none")] : r.Notes.Select(x.Translate)),
        };
        var (seal, versions, head) = await EvaluationPeriod.SealAsync(store, x, ct);
        sections.Add(seal);
        versions["efficiency_window"] = $"{r.From}..{r.To}";
        return new ReportDocument(Code, lang, $"{x.Registry.Park.Name} {T("efficiency.title")}", label, x.Park, x.Registry.Park.Name, from, to, sections, versions,
            null, head, x.Now, x.User);
    }

    private static string DriverName(string code, string lang) => ReportText.Has("drv." + code) ? ReportText.Get("drv." + code, lang) : code;
}
