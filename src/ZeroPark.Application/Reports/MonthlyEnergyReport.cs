using System.Globalization;
using ZeroPark.Application.EnergyManagement;
using ZeroPark.Reports;

namespace ZeroPark.Application.Reports;

/// <summary>
/// The monthly energy report of a park: the month's KPIs with month-on-month and year-on-year changes (<see cref="PeriodComparison"/>
/// over <see cref="EnergyService"/>, the one KPI definition), the 12-month trends of energy and PUE, electricity plan vs actual
/// (<see cref="EnergyPlanService"/>), the tariff cost (<see cref="EnergyCostService"/>) and data quality per meter.
/// </summary>
public static class MonthlyEnergyReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public sealed record Input(ParkRegistry Registry, DateOnly Month, KpiRowView Kpi, IReadOnlyList<KpiRowView> Trend, PlanProgress? Plan, CostRowView? Cost,
        IReadOnlyList<MeterQuality> Quality, string? ChainHead, string DataFingerprint, string Lang, string User, DateTimeOffset Now)
    {
        /// <summary>The KPI notes (English, written by the KPI definition) in the report's language.</summary>
        public Func<string, string> Translate { get; init; } = s => s;
    }

    /// <summary>Reads the month's figures from the energy services and builds the report.</summary>
    public static async Task<Input> GatherAsync(ZeroParkStore store, EnergyService energy, EnergyCostService cost, EnergyPlanService plans, string park, DateOnly month,
        string lang, string user, DateTimeOffset now, CancellationToken ct)
    {
        var reg = await store.Registry.GetRegistryAsync(park, ct);
        var first = new DateOnly(month.Year, month.Month, 1);
        var last = first.AddMonths(1).AddDays(-1);
        var kpi = (await PeriodComparison.KpiAsync(energy, park, null, first, last, EnergyBucketing.Month, ct)).Single();
        var trend = (await energy.KpiAsync(park, null, first.AddMonths(-11), last, EnergyBucketing.Month, ct)).Select(KpiRowView.From).ToList();
        PlanProgress? plan = null;
        try { plan = await plans.ProgressAsync(park, null, "electricity", first.Year, last, ct); }
        catch (NotFoundException) { /* no plan: the section says so */ }
        CostRowView? costRow = null;
        try { costRow = (await PeriodComparison.CostAsync(cost, park, null, first, last, EnergyBucketing.Month, ct)).SingleOrDefault(); }
        catch (NotFoundException) { }
        var quality = await store.Queries.DataQualityAsync(park, null, first, last, ct);
        var seals = await store.Reports.SealsAsync(park, ct);
        return new Input(reg, first, kpi, trend, plan, costRow, quality, seals.Count > 0 ? seals[^1].Hash : null, await store.DataFingerprintAsync(park, ct), lang, user, now);
    }

    public static ReportDocument Build(Input x)
    {
        var lang = x.Lang;
        var zh = lang == "zh";
        string T(string k) => ReportText.Get(k, lang);
        var k = x.Kpi;
        var park = x.Registry.Park;
        var sections = new List<ReportSection>();
        var monthLabel = x.Month.ToString("yyyy-MM", Inv);

        sections.Add(ReportSection.Of("summary", T("s.summary"),
            [zh ? $"{monthLabel} 园区总能耗 {ReportHtml.Cell(k.Inputs.TotalKwh)} kWh，IT 能耗 {ReportHtml.Cell(k.Inputs.ItKwh)} kWh，PUE {ReportHtml.Cell(k.Pue)}，WUE {ReportHtml.Cell(k.Wue)} L/kWh，CUE {ReportHtml.Cell(k.Cue)} kgCO2/kWh；环比总能耗 {Pct(k.Mom, "total_kwh")}，同比 {Pct(k.Yoy, "total_kwh")}。数据完整率 {ReportHtml.Cell(Math.Round(k.Completeness, 2))}%。"
                : $"{monthLabel}: total energy {ReportHtml.Cell(k.Inputs.TotalKwh)} kWh, IT energy {ReportHtml.Cell(k.Inputs.ItKwh)} kWh, PUE {ReportHtml.Cell(k.Pue)}, WUE {ReportHtml.Cell(k.Wue)} L/kWh, CUE {ReportHtml.Cell(k.Cue)} kgCO2/kWh; total energy month-on-month {Pct(k.Mom, "total_kwh")}, year-on-year {Pct(k.Yoy, "total_kwh")}. Data completeness {ReportHtml.Cell(Math.Round(k.Completeness, 2))} %."]));

        var kpiRows = new List<object?[]>();
        void Row(string name, string key, double? value, string unit) =>
            kpiRows.Add([name, value, unit, k.Mom?.Values.GetValueOrDefault(key), k.Mom?.ChangePct.GetValueOrDefault(key), k.Yoy?.Values.GetValueOrDefault(key), k.Yoy?.ChangePct.GetValueOrDefault(key)]);
        Row("PUE", "pue", k.Pue, "");
        Row(zh ? "总能耗" : "Total energy", "total_kwh", k.Inputs.TotalKwh, "kWh");
        Row(zh ? "IT 能耗" : "IT energy", "it_kwh", k.Inputs.ItKwh, "kWh");
        Row(zh ? "用水量" : "Water", "water_m3", k.Inputs.WaterM3, "m³");
        Row("WUE", "wue", k.Wue, "L/kWh");
        Row("CLF", "clf", k.Clf, "");
        Row("PLF", "plf", k.Plf, "");
        Row("ALF", "alf", k.Alf, "");
        Row("REF", "ref", k.Ref, "");
        Row("ERF", "erf", k.Erf, "");
        Row("CER", "cer", k.Cer, "");
        kpiRows.Add(["CUE", k.Cue, "kgCO2/kWh", null, null, null, null]);
        sections.Add(ReportSection.Of("kpis", T("s.kpis"), k.Notes.Take(10).Select(x.Translate),
            [new ReportTable("kpis", T("s.kpis"), [T("c.kpi"), T("c.value"), T("c.unit"), T("c.previous_month"), T("c.mom"), T("c.previous_year"), T("c.yoy")], kpiRows)]));

        sections.Add(ReportSection.Of("trends", T("s.trends"), [],
            [new ReportTable("trend", T("s.trends"), [T("c.month"), "PUE", zh ? "总能耗 (kWh)" : "Total energy (kWh)", zh ? "IT 能耗 (kWh)" : "IT energy (kWh)", "WUE (L/kWh)"],
                x.Trend.Select(r => new object?[] { r.Start.ToString("yyyy-MM", Inv), r.Pue, r.Inputs.TotalKwh, r.Inputs.ItKwh, r.Wue }).ToList())],
            [
                new ReportChart(zh ? "月度总能耗" : "Total energy per month", "kWh", x.Trend.Select(r => new ChartPoint(r.Start.ToString("yy-MM", Inv), r.Inputs.TotalKwh)).ToList()),
                new ReportChart("PUE", "", x.Trend.Select(r => new ChartPoint(r.Start.ToString("yy-MM", Inv), r.Pue)).ToList(), "line"),
            ]));

        if (x.Plan is { } p)
            sections.Add(ReportSection.Of("plan", T("s.plan"),
                [zh ? $"{p.Year} 年电力计划 {ReportHtml.Cell(p.AnnualPlan)} {p.Unit}，截至 {p.AsOf:yyyy-MM-dd} 计划 {ReportHtml.Cell(p.PlanToDate)}、实际 {ReportHtml.Cell(p.ActualToDate)}（偏差 {ReportHtml.Cell(p.DeviationToDatePct is { } d ? Math.Round(d, 2) : null)}%），预计全年 {ReportHtml.Cell(p.ProjectedYearEnd)}。"
                    : $"{p.Year} electricity plan {ReportHtml.Cell(p.AnnualPlan)} {p.Unit}; to {p.AsOf:yyyy-MM-dd} plan {ReportHtml.Cell(p.PlanToDate)}, actual {ReportHtml.Cell(p.ActualToDate)} (deviation {ReportHtml.Cell(p.DeviationToDatePct is { } e ? Math.Round(e, 2) : null)} %), projected year-end {ReportHtml.Cell(p.ProjectedYearEnd)}."],
                [new ReportTable("plan", T("s.plan"), [T("c.month"), T("c.plan"), T("c.actual"), T("c.deviation")],
                    p.Months.Select(m => new object?[] { $"{p.Year}-{m.Month:00}", m.Plan, m.Actual, m.DeviationPct is { } d ? Math.Round(d, 2) : null }).ToList())]));
        else
            sections.Add(ReportSection.Of("plan", T("s.plan"), [zh ? "本年度未设定电力计划。" : "No electricity plan is set for the year."]));

        if (x.Cost is { } c && c.CostCny is not null)
            sections.Add(ReportSection.Of("cost", T("s.cost"),
                [zh ? $"本月电费 {ReportHtml.Cell(c.CostCny)} 元，平均电价 {ReportHtml.Cell(c.AveragePriceCnyPerKwh)} 元/kWh；环比 {Pct(c.Mom, "cost_cny")}，同比 {Pct(c.Yoy, "cost_cny")}。"
                    : $"Electricity cost {ReportHtml.Cell(c.CostCny)} CNY, average {ReportHtml.Cell(c.AveragePriceCnyPerKwh)} CNY/kWh; month-on-month {Pct(c.Mom, "cost_cny")}, year-on-year {Pct(c.Yoy, "cost_cny")}."],
                [new ReportTable("cost", T("s.cost"), [T("c.item"), "kWh", T("c.cost")],
                [
                    [zh ? "尖峰" : "Critical peak", c.CriticalPeakKwh, c.CriticalPeakCostCny], [zh ? "峰" : "Peak", c.PeakKwh, c.PeakCostCny],
                    [zh ? "平" : "Flat", c.FlatKwh, c.FlatCostCny], [zh ? "谷" : "Valley", c.ValleyKwh, c.ValleyCostCny],
                    [zh ? "合计" : "Total", c.EnergyKwh, c.CostCny], ["IT", c.ItKwh, c.ItCostCny], [zh ? "制冷" : "Cooling", c.CoolingKwh, c.CoolingCostCny],
                ])]));
        else
            sections.Add(ReportSection.Of("cost", T("s.cost"), [zh ? "未设定电价，无法计算费用。" : "No tariff is set: no cost."]));

        var q = x.Quality;
        var expected = q.Sum(m => (long)m.Expected);
        var received = q.Sum(m => (long)m.Received);
        sections.Add(ReportSection.Of("quality", T("s.quality"),
            [zh ? $"{q.Count} 个计量表，应有读数 {expected:#,0}，实有 {received:#,0}（{ReportHtml.Cell(expected > 0 ? Math.Round(100.0 * received / expected, 2) : null)}%）；标记 {q.Sum(m => m.Flagged):#,0}，估算 {q.Sum(m => m.Estimated):#,0}。下表列出完整率最低的计量表。"
                : $"{q.Count} meters, {expected:#,0} readings expected, {received:#,0} received ({ReportHtml.Cell(expected > 0 ? Math.Round(100.0 * received / expected, 2) : null)} %); {q.Sum(m => m.Flagged):#,0} flagged, {q.Sum(m => m.Estimated):#,0} estimated. The table lists the least complete meters."],
            [new ReportTable("quality", T("s.quality"), [T("c.meter"), T("c.expected"), T("c.received"), T("c.completeness"), T("c.flagged"), T("c.estimated")],
                q.OrderBy(m => m.CompletenessPercent).ThenBy(m => m.Meter, StringComparer.Ordinal).Take(15)
                    .Select(m => new object?[] { m.Meter, m.Expected, m.Received, Math.Round(m.CompletenessPercent, 2), m.Flagged, m.Estimated }).ToList())]));

        sections.Add(ReportSection.Of("seal", T("s.seal"),
            [zh ? $"生成时的园区数据指纹 {x.DataFingerprint}；已封存盘查链头 {x.ChainHead ?? "（无）"}。" : $"Park data fingerprint at generation {x.DataFingerprint}; sealed inventory chain head {x.ChainHead ?? "(none)"}."]));

        var versions = new Dictionary<string, string>(StringComparer.Ordinal) { ["data_fingerprint"] = x.DataFingerprint };
        if (x.ChainHead is not null) versions["seal_chain_head"] = x.ChainHead;
        if (x.Cost?.TariffVersions is { Count: > 0 } tv) versions["tariff_versions"] = string.Join(",", tv);
        return new ReportDocument(ReportKinds.MonthlyEnergy, lang, $"{park.Name} {T("energy.title")}", monthLabel, park.Code, park.Name, x.Month, x.Month.AddMonths(1).AddDays(-1),
            sections, versions, null, x.ChainHead, x.Now, x.User);
    }

    private static string Pct(PeriodChangeView? c, string key) =>
        c?.ChangePct.GetValueOrDefault(key) is { } v ? (v >= 0 ? "+" : "") + v.ToString("0.##", Inv) + " %" : "—";
}

/// <summary>The monthly energy report kind: one month (the request's month, or a schedule's month).</summary>
public sealed class MonthlyEnergyKind(ZeroParkStore store, EnergyService energy, EnergyCostService cost, EnergyPlanService plans) : IReportKind
{
    public static readonly ReportKindInfo Definition = new(ReportKinds.MonthlyEnergy, ["energy", "monthly"],
        ["summary", "kpis", "trends", "plan", "cost", "quality", "seal"], [ReportEvery.Month]);

    public ReportKindInfo Info => Definition;

    public async Task<ReportDocument> BuildAsync(ReportContext x, CancellationToken ct)
    {
        var month = x.Request.Month ?? x.Request.From
                    ?? throw new ValidationException("month", "month: the monthly energy report needs a month (YYYY-MM)");
        return MonthlyEnergyReport.Build(await MonthlyEnergyReport.GatherAsync(store, energy, cost, plans, x.Park, month, x.Lang, x.User, x.Now, ct) with { Translate = x.Translate });
    }
}
