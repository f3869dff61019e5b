using System.Globalization;
using System.Text.Json;
using ZeroPark.Application.Carbon;
using ZeroPark.Carbon;
using ZeroPark.Domain;
using ZeroPark.Reports;

namespace ZeroPark.Application.Reports;

/// <summary>
/// The GHG inventory report of a saved inventory version (ISO 14064-1:2018 clause 9.3 contents; the Chinese edition in the order
/// of GB/T 32150-2015 and the national accounting guidelines): organisation, boundaries and period, base year and recalculation
/// policy, methods, emissions by scope, ISO category, gas, source and building, the factor table with sources, activity data
/// and origins, exclusions, uncertainty and data quality, restatements against the previous version, the seal, and the trace
/// appendix. Every figure is the stored version's (what was reported and sealed), never recomputed.
/// </summary>
public static class GhgInventoryReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public sealed record Input(ParkRegistry Registry, StoredInventory Inventory, InventoryResult Result, IReadOnlyDictionary<string, string> Settings,
        SealRecord? Seal, string? ChainHead, StoredInventory? Previous, string Lang, string User, DateTimeOffset Now)
    {
        /// <summary>Machine-written English (notes, formulas, origins, reasons) and codes in the report's language.</summary>
        public Func<string, string> Translate { get; init; } = s => s;

        public Func<string, string> Code { get; init; } = s => s;

        /// <summary>Neutrality of the same period (the neutrality module), when it could be computed.</summary>
        public ZeroPark.Application.Neutrality.NeutralityReport? Neutrality { get; init; }
    }

    public static ReportDocument Build(Input x)
    {
        var lang = x.Lang;
        string T(string k) => ReportText.Get(k, lang);
        bool zh = lang == "zh";
        var tr = x.Translate;
        var code = x.Code;
        var inv = x.Inventory;
        var r = x.Result;
        var park = x.Registry.Park;
        var sections = new List<ReportSection>();

        // 1 organisation
        var buildings = x.Registry.SpacesByCode.Values.Where(s => s.Level == SpaceLevel.Building).OrderBy(s => s.Code, StringComparer.Ordinal).ToList();
        sections.Add(ReportSection.Of("organisation", T("s.organisation"),
            [zh ? $"报告主体：{park.Name}（园区代码 {park.Code}），数据中心园区。所在省份：{park.Province ?? "未登记"}；所属电网区域：{park.GridRegion ?? "未登记"}。"
                : $"Reporting organisation: {park.Name} (park code {park.Code}), a data center park. Province: {park.Province ?? "not recorded"}; grid region: {park.GridRegion ?? "not recorded"}.",
             zh ? $"设计 IT 容量：{(park.DesignItCapacity is { } p ? p.Kilowatts.ToString("#,0", Inv) + " kW" : "未登记")}；机柜 {park.RacksTotal?.ToString(Inv) ?? "—"} 个。报告编制人：{x.User}。"
                : $"Design IT capacity: {(park.DesignItCapacity is { } q ? q.Kilowatts.ToString("#,0", Inv) + " kW" : "not recorded")}; racks: {park.RacksTotal?.ToString(Inv) ?? "—"}. Prepared by: {x.User}."],
            [new ReportTable("buildings", T("c.building"), [T("c.key"), T("c.building")], buildings.Select(b => new object?[] { b.Code, b.Name }).ToList())]));

        // 2 boundaries
        sections.Add(ReportSection.Of("boundaries", T("s.boundaries"),
            [zh ? $"组织边界：运行控制权法，边界为 {inv.Boundary}{(inv.Boundary == park.Code ? "（整个园区）" : "")}。报告期：{inv.From:yyyy-MM-dd} 至 {inv.To:yyyy-MM-dd}。"
                : $"Organisational boundary: operational control; boundary {inv.Boundary}{(inv.Boundary == park.Code ? " (the whole park)" : "")}. Reporting period: {inv.From:yyyy-MM-dd} to {inv.To:yyyy-MM-dd}.",
             zh ? "运行边界：范围一（固定燃烧、移动燃烧、制冷剂与 SF6 逸散）、范围二（外购电力、热力、蒸汽、冷量；基于位置与基于市场两种方法）、范围三（录入的其他间接排放类别）。"
                : "Operational boundary: scope 1 (stationary and mobile combustion, refrigerant and SF6 fugitives), scope 2 (purchased electricity, heat, steam and cooling; location- and market-based), scope 3 (the other indirect categories entered).",
             zh ? $"盘查版本：#{inv.Id} 第 {inv.Version} 版，状态 {(inv.Status == "final" ? "已定稿" : "草稿")}；原因：{tr(inv.Reason)}。"
                : $"Inventory version: #{inv.Id} v{inv.Version}, {inv.Status}; reason: {inv.Reason}."]));

        // 3 base year
        var baseYear = x.Settings.GetValueOrDefault(CarbonService.SettingBaseYear);
        var threshold = x.Settings.GetValueOrDefault(CarbonService.SettingThreshold) ?? "5";
        sections.Add(ReportSection.Of("base_year", T("s.base_year"),
            [zh ? $"基准年：{baseYear ?? "未设定"}。重新计算政策：边界、方法、因子变化或发现错误使基准年排放变化达到 {threshold}% 及以上时，重新计算基准年并重述以后各年（GHG Protocol 第 5 章；ISO 14064-1 第 6.4 条）。"
                : $"Base year: {baseYear ?? "not set"}. Recalculation policy: when changes of boundary, methods or factors, or errors found, change base-year emissions by {threshold} % or more, the base year is recalculated and later years restated (GHG Protocol ch. 5; ISO 14064-1 clause 6.4)."]));

        // 4 methods
        sections.Add(ReportSection.Of("methods", T("s.methods"),
            [zh ? $"核算方法：{MethodName(inv.Method, zh)}；全球增温潜势：IPCC {inv.Gwp}（100 年）；选项：{inv.Options.Replace(";", "；", StringComparison.Ordinal)}。排放量 = 活动数据 × 排放因子（燃料：消耗量 × 低位发热量 × 单位热值含碳量 × 碳氧化率 × 44/12）；逸散：质量 × GWP。"
                : $"Method: {MethodName(inv.Method, zh)}; global warming potentials: IPCC {inv.Gwp} (100-year); options: {inv.Options}. Emissions = activity data × emission factor (fuels: consumption × NCV × carbon content × oxidation × 44/12); fugitives: mass × GWP.",
             zh ? "计量数据来自计量表的月度汇总（读数 → 小时 → 日 → 月），录入数据来自发票、台账等凭证；每一行均可追溯到活动数据、因子记录与来源（见附录）。"
                : "Metered activity comes from the meters' monthly rollups (readings → hours → days → months); entered activity from invoices and logs; every line traces to its activity data, factor records and sources (see the appendix)."]));

        // 5 emissions
        var t = r.Totals;
        var totals = new List<object?[]>
        {
            new object?[] { T("scope1"), t.Scope1T },
            new object?[] { T("scope2_location"), t.Scope2LocationT },
            new object?[] { T("scope2_market"), t.Scope2MarketT },
            new object?[] { T("scope3"), t.Scope3T },
            new object?[] { T("total.location"), t.TotalLocationT },
            new object?[] { T("total.market"), t.TotalMarketT },
            new object?[] { T("memo"), t.MemoT },
        };
        string SourceName(string code) => Sources.All.FirstOrDefault(s => s.Code == code) is { } d ? (zh ? d.NameZh : d.NameEn) : code;
        var bySource = r.By("source");
        var total = t.TotalLocationT;
        double? Share(double v) => total != 0 ? Math.Round(v / total * 100, 2) : null;
        sections.Add(ReportSection.Of("emissions", T("s.emissions"),
            [zh ? $"报告期排放总量（基于位置）为 {ReportHtml.Cell(t.TotalLocationT)} tCO2e，（基于市场）为 {ReportHtml.Cell(t.TotalMarketT)} tCO2e；生物质 CO2 与清除量：无。"
                : $"Total emissions (location-based) {ReportHtml.Cell(t.TotalLocationT)} tCO2e, (market-based) {ReportHtml.Cell(t.TotalMarketT)} tCO2e; biogenic CO2 and removals: none."],
            [
                new ReportTable("totals", T("c.scope"), [T("c.scope"), T("c.tco2e")], totals),
                new ReportTable("by_category", T("c.category") + " (ISO 14064-1)", [T("c.category"), T("c.tco2e"), T("c.share")],
                    r.By("iso_category").Select(s => new object?[] { s.Key, s.Co2eTonnes, Share(s.Co2eTonnes) }).ToList()),
                new ReportTable("by_gas", T("c.gas"), [T("c.gas"), T("c.kg"), T("c.tco2e")], r.By("gas").Select(s => new object?[] { s.Key, s.Kilograms, s.Co2eTonnes }).ToList()),
                new ReportTable("by_source", T("c.source"), [T("c.source"), T("c.key"), T("c.tco2e"), T("c.share")],
                    bySource.Select(s => new object?[] { SourceName(s.Key), s.Key, s.Co2eTonnes, Share(s.Co2eTonnes) }).ToList()),
                new ReportTable("by_building", T("c.building"), [T("c.building"), T("c.tco2e"), T("c.share")],
                    r.By("space").Select(s => new object?[] { s.Key, s.Co2eTonnes, Share(s.Co2eTonnes) }).ToList()),
            ],
            [
                new ReportChart(T("chart.scope"), "tCO2e", [new(T("scope1"), t.Scope1T), new(T("scope2_location"), t.Scope2LocationT), new(T("scope3"), t.Scope3T)], "hbars"),
                new ReportChart(T("chart.source"), "tCO2e", bySource.OrderByDescending(s => s.Co2eTonnes).Take(10).Select(s => new ChartPoint(SourceName(s.Key), s.Co2eTonnes)).ToList(), "hbars"),
            ]));

        // 6 factors
        var factors = r.Lines.SelectMany(l => l.Factors).GroupBy(f => (f.Id, f.Role, f.Value, f.Unit)).Select(g => g.First())
            .OrderBy(f => f.Id).ThenBy(f => f.Role, StringComparer.Ordinal).ToList();
        sections.Add(ReportSection.Of("factors", T("s.factors"), [],
            [new ReportTable("factors", T("s.factors"), [T("c.factor_id"), T("c.item"), T("c.material"), T("c.gas"), T("c.value"), T("c.unit"), T("c.dataset"), T("c.level"),
                T("c.region"), T("c.year"), T("c.publisher"), T("c.document")],
                factors.Select(f => new object?[] { f.Id > 0 ? $"#{f.Id} v{f.Version}" : f.Dataset, code(f.Role), code(f.Material), f.Gas, f.Value, f.Unit, f.Dataset, code(f.Level), f.Region,
                    f.DataYear, f.Publisher, f.Document }).ToList())]));

        // 7 activity data
        sections.Add(ReportSection.Of("activity", T("s.activity"), [],
            [new ReportTable("lines", T("s.activity"), [T("c.line"), T("c.scope"), T("c.source"), T("c.material"), T("c.building"), T("c.activity"), T("c.unit"), T("c.factor"), T("c.tco2e")],
                r.Lines.Select(l => new object?[] { l.Id, LineView.ScopeCode(l.Scope) + (l.Basis.Code() is { Length: > 0 } b ? " " + b : ""), SourceName(l.Source), code(l.Material), l.Space,
                    l.Activity, l.Unit, l.Factor, l.Co2eTonnes }).ToList())]));

        // 8 exclusions
        sections.Add(ReportSection.Of("exclusions", T("s.exclusions"),
            r.Unresolved.Count == 0
                ? [zh ? "无未核算的活动数据。未纳入：生物质燃烧 CO2、温室气体清除量（园区无此类活动）；未录入数据的范围三类别。" : "No activity data left unquantified. Not included: biogenic CO2 and removals (the park has none); scope 3 categories with no data entered."]
                : [zh ? $"{r.Unresolved.Count} 条活动数据未能核算（缺少因子或单位不符），盘查不完整：" : $"{r.Unresolved.Count} activity records could not be quantified (no factor or a unit mismatch); the inventory is incomplete:"],
            r.Unresolved.Count == 0 ? [] : [new ReportTable("unresolved", T("s.exclusions"), [T("c.source"), T("c.material"), T("c.activity"), T("c.unit"), T("c.origin"), T("c.reason")],
                r.Unresolved.Select(u => new object?[] { u.Source, code(u.Material), u.Amount, u.Unit, tr(u.Origin), tr(u.Reason) }).ToList())]));

        // 9 uncertainty and data quality: what the data say (no invented percentages)
        var metered = r.Lines.Where(l => l.Origins.Any(o => o.StartsWith("meter ", StringComparison.Ordinal))).SumTonnes(l => l.Co2e).TonnesCo2e;
        var incomplete = r.Notes.Count(n => n.Contains("incomplete", StringComparison.Ordinal));
        sections.Add(ReportSection.Of("uncertainty", T("s.uncertainty"),
            [zh ? $"{ReportHtml.Cell(Share(metered) ?? 0)}% 的排放量（基于位置口径）来自计量数据，其余来自凭证录入数据；数据不完整的计量表-月份 {incomplete} 个（未外推）。定量不确定性未计算：本报告按 ISO 14064-1 第 8 条给出数据质量的定性评价。"
                : $"{ReportHtml.Cell(Share(metered) ?? 0)} % of the (location-based) emissions come from metered data, the rest from entered records with evidence; {incomplete} meter-months have incomplete readings (not extrapolated). Quantitative uncertainty is not computed: this report gives the qualitative data-quality assessment of ISO 14064-1 clause 8."],
            r.Notes.Count == 0 ? [] : [new ReportTable("notes", T("s.uncertainty"), [T("c.item")], r.Notes.Select(n => new object?[] { tr(n) }).ToList())]));

        // 10 restatements
        InventoryDiff? diff = inv.DiffJson is { Length: > 0 } dj ? JsonSerializer.Deserialize<InventoryDiff>(dj, CarbonJson.Options) : null;
        sections.Add(ReportSection.Of("restatements", T("s.restatements"),
            [diff is null ? (zh ? "这是该盘查的第一个版本，无重述。" : "This is the first version of the inventory: no restatement.")
                : (zh ? $"相对于 #{diff.PreviousId} 第 {diff.PreviousVersion} 版：总量（基于位置）变化 {ReportHtml.Cell(diff.TotalLocationDeltaT)} tCO2e（{ReportHtml.Cell(diff.TotalChangePct)}%）。{(diff.BaseYearNote is { } bn ? tr(bn) : "")}"
                    : $"Against #{diff.PreviousId} v{diff.PreviousVersion}: total (location-based) changed by {ReportHtml.Cell(diff.TotalLocationDeltaT)} tCO2e ({ReportHtml.Cell(diff.TotalChangePct)} %). {diff.BaseYearNote}")],
            diff is null ? [] : [new ReportTable("restatements", T("s.restatements"), [T("c.line"), T("c.before"), T("c.after"), T("c.delta"), T("c.what")],
                diff.Changes.Select(c => new object?[] { c.Key, c.BeforeT, c.AfterT, c.DeltaT, tr(c.What) }).ToList())]));

        // 11 neutrality (the neutrality module: ledger claims, neutrality rate, T/CA305 附表F offset ratio)
        if (x.Neutrality is { } n)
            sections.Add(ReportSection.Of("neutrality", T("s.neutrality"),
                [zh ? $"C_yw（范围一 + 基于位置的范围二）{ReportHtml.Cell(n.EmissionsT)} tCO2e，已中和 {ReportHtml.Cell(n.NeutralisedT)} tCO2e，碳中和率 {ReportHtml.Cell(n.NeutralityRate is { } nr ? Math.Round(nr * 100, 2) : null)}%；T/CA305 抵消率 S_DC {ReportHtml.Cell(n.Tca305OffsetRatio is { } or ? Math.Round(or * 100, 2) : null)}%，得分 {ReportHtml.Cell(n.Tca305OffsetScore)}，{(n.Tca305Admission == true ? "满足" : "未满足")}准入（> 20%）。"
                    : $"C_yw (scope 1 + location-based scope 2) {ReportHtml.Cell(n.EmissionsT)} tCO2e, neutralised {ReportHtml.Cell(n.NeutralisedT)} tCO2e, neutrality rate {ReportHtml.Cell(n.NeutralityRate is { } nr2 ? Math.Round(nr2 * 100, 2) : null)} %; T/CA305 offset ratio S_DC {ReportHtml.Cell(n.Tca305OffsetRatio is { } or2 ? Math.Round(or2 * 100, 2) : null)} %, score {ReportHtml.Cell(n.Tca305OffsetScore)}, admission (> 20 %) {(n.Tca305Admission == true ? "met" : "not met")}.",
                 .. n.Flags.Select(f => (zh ? "标记：" : "flag: ") + f)],
                [new ReportTable("neutrality", T("s.neutrality"), [T("c.item"), T("c.activity"), T("c.unit"), T("c.tco2e"), zh ? "系数" : "Coefficient", zh ? "加权 (tCO2e)" : "Weighted (tCO2e)"],
                    n.ByKind.Select(k => new object?[] { k.Code, k.Quantity, k.Unit, k.Tonnes, k.Coefficient, k.CountedWeightedT }).ToList())]));

        // 12 seal
        sections.Add(ReportSection.Of("seal", T("s.seal"),
            x.Seal is { } seal
                ? [zh ? $"本盘查版本于定稿时封存：SHA-256 {seal.Hash}（园区第 {seal.Seq} 个封存，前一封存 {seal.PrevHash}）。核验：zeropark verify --db … --park {park.Code}，或 GET /api/parks/{park.Code}/seals；报告中的数字应与数据库中封存的结果一致。"
                    : $"This inventory version was sealed when finalized: SHA-256 {seal.Hash} (seal {seal.Seq} of the park, after {seal.PrevHash}). Verify with zeropark verify --db … --park {park.Code} or GET /api/parks/{park.Code}/seals; the figures of this report must equal the sealed results in the store."]
                : [T("noseal")]));

        // 13 trace appendix
        sections.Add(ReportSection.Of("trace", T("s.trace"), [],
            [new ReportTable("trace", T("s.trace"), [T("c.line"), T("c.formula"), T("c.origin"), T("c.source")],
                r.Lines.Select(l => new object?[] { l.Id, tr(l.Formula), string.Join(zh ? "；" : "; ", l.Origins.Take(24).Select(tr)) + (l.Origins.Count > 24 ? $" … (+{l.Origins.Count - 24})" : ""), tr(l.FactorSource) }).ToList())]));

        var title = $"{park.Name} {T("ghg.title")}";
        var subtitle = zh ? $"{inv.From:yyyy-MM-dd} 至 {inv.To:yyyy-MM-dd} · {MethodName(inv.Method, zh)} · {inv.Gwp} · 版本 v{inv.Version}"
            : $"{inv.From:yyyy-MM-dd} to {inv.To:yyyy-MM-dd} · {MethodName(inv.Method, zh)} · {inv.Gwp} · version v{inv.Version}";
        var versions = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["inventory"] = $"#{inv.Id} v{inv.Version} {inv.Status}",
            ["inventory_fingerprint"] = inv.Fingerprint,
            ["factor_records"] = string.Join(",", factors.Where(f => f.Id > 0).Select(f => $"#{f.Id}v{f.Version}").Distinct()),
        };
        if (x.Seal is { } s2) versions["seal"] = s2.Hash;
        return new ReportDocument(ReportKinds.GhgInventory, lang, title, subtitle, park.Code, park.Name, inv.From, inv.To, sections, versions, x.Seal?.Hash, x.ChainHead, x.Now, x.User);
    }

    public static string MethodName(string code, bool zh) => code switch
    {
        "ghgp" => zh ? "温室气体核算体系（GHG Protocol）企业标准" : "GHG Protocol Corporate Standard",
        "iso14064" => "ISO 14064-1:2018",
        "cn-guideline" => zh ? "GB/T 32150-2015 与国家温室气体排放核算指南" : "GB/T 32150-2015 and the national accounting guidelines",
        _ => code,
    };
}

/// <summary>The GHG inventory report kind: a saved inventory version (by id, or the year's final else latest park inventory); a
/// schedule's quarter or year uses the period's final GHG Protocol inventory, else the latest saved one, else saves a new version.</summary>
public sealed class GhgInventoryKind(ZeroParkStore store, CarbonService carbon, SealService seals, ZeroPark.Application.Neutrality.NeutralityService? neutrality = null) : IReportKind
{
    public static readonly ReportKindInfo Definition = new(ReportKinds.GhgInventory, ["ghg", "inventory"],
        ["organisation", "boundaries", "base_year", "methods", "emissions", "factors", "activity", "exclusions", "uncertainty", "restatements", "neutrality", "seal", "trace"],
        [ZeroPark.Reports.ReportEvery.Quarter, ZeroPark.Reports.ReportEvery.Year]);

    public ReportKindInfo Info => Definition;

    public async Task<ReportDocument> BuildAsync(ReportContext x, CancellationToken ct)
    {
        var park = x.Park;
        var stored = await InventoryForAsync(park, x.Request, ct);
        var (inv, result) = await carbon.LoadAsync(park, stored.Id, ct);
        var seal = await seals.SealOfAsync(park, inv.Id, ct);
        var all = await store.Reports.SealsAsync(park, ct);
        var previous = (await store.Carbon.InventoriesAsync(park, null, ct))
            .Where(i => i.Boundary == inv.Boundary && i.From == inv.From && i.To == inv.To && i.Method == inv.Method && i.Gwp == inv.Gwp && i.Version < inv.Version)
            .MaxBy(i => i.Version);
        ZeroPark.Application.Neutrality.NeutralityReport? n = null;
        if (neutrality is not null && inv.Boundary == park)
            n = await neutrality.ComputeAsync(park, inv.From, inv.To, AccountingMethods.Parse(inv.Method), Enum.Parse<GwpSet>(inv.Gwp, true), ct);
        return GhgInventoryReport.Build(new GhgInventoryReport.Input(x.Registry, inv, result, await store.Carbon.CarbonSettingsAsync(park, ct), seal,
            all.Count > 0 ? all[^1].Hash : null, previous, x.Lang, x.User, x.Now) { Neutrality = n, Translate = x.Translate, Code = x.Code });
    }

    private async Task<StoredInventory> InventoryForAsync(string park, ReportRequest req, CancellationToken ct)
    {
        var all = await store.Carbon.InventoriesAsync(park, null, ct);
        if (req.Inventory is { } id)
            return all.SingleOrDefault(i => i.Id == id) ?? throw new NotFoundException($"inventory #{id} not found in park '{park}'");
        if (req.ScheduleId is not null && req.From is { } from && req.To is { } to)
        {
            var inventories = all.Where(i => i.Boundary == park && i.From == from && i.To == to && i.Method == "ghgp").ToList();
            return inventories.Where(i => i.Status == "final").MaxBy(i => i.Id) ?? inventories.MaxBy(i => i.Id)
                   ?? (await carbon.SaveAsync(park, null, from, to, AccountingMethod.Ghgp, GwpSet.AR6, null, "scheduled report", "scheduler", ct)).Inventory;
        }
        var (f, t) = req.Year is { } year ? (new DateOnly(year, 1, 1), new DateOnly(year, 12, 31))
            : req.From is { } f0 && req.To is { } t0 ? (f0, t0)
            : throw new ValidationException("inventory", "inventory: give an inventory id or a year");
        var ofPeriod = all.Where(i => i.Boundary == park && i.From == f && i.To == t).ToList();
        return ofPeriod.Where(i => i.Status == "final").MaxBy(i => i.Id) ?? ofPeriod.MaxBy(i => i.Id)
               ?? throw new NotFoundException(req.Year is { } y
                   ? $"no saved inventory of park '{park}' for {y}: save one first (zeropark carbon inventory --year {y} --save), and finalize it to seal it"
                   : $"no saved inventory of park '{park}' for {f:yyyy-MM-dd}..{t:yyyy-MM-dd}: save one first, and finalize it to seal it");
    }
}
