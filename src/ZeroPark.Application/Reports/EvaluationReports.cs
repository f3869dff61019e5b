using System.Globalization;
using ZeroPark.Application.Evaluations;
using ZeroPark.Evaluations;
using ZeroPark.Reports;

namespace ZeroPark.Application.Reports;

/// <summary>Shared by the evaluation self-assessment kinds: the evaluated calendar year of a request (the standards score 12 measured
/// months of a calendar year, so a request's period must be one).</summary>
internal static class EvaluationPeriod
{
    public static int Year(ReportContext x)
    {
        var (from, to) = x.YearOrPeriod();
        if (from != new DateOnly(from.Year, 1, 1) || to != new DateOnly(from.Year, 12, 31))
            throw new ValidationException("year", $"year: the {x.Request.Kind} report evaluates a calendar year (YYYY), not {from:yyyy-MM-dd}..{to:yyyy-MM-dd}");
        return from.Year;
    }

    public static double? D(decimal? v) => v is { } d ? (double)d : null;

    /// <summary>The seal section of a report that states no sealed inventory of its own: the park's data fingerprint and the chain head.</summary>
    public static async Task<(ReportSection Section, Dictionary<string, string> Versions, string? ChainHead)> SealAsync(ZeroParkStore store, ReportContext x, CancellationToken ct)
    {
        var seals = await store.Reports.SealsAsync(x.Park, ct);
        var head = seals.Count > 0 ? seals[^1].Hash : null;
        var fingerprint = await store.DataFingerprintAsync(x.Park, ct);
        var zh = x.Lang == "zh";
        var section = ReportSection.Of("seal", ReportText.Get("s.seal", x.Lang),
            [zh ? $"生成时的园区数据指纹 {fingerprint}；已封存盘查链头 {head ?? "（无）"}。" : $"Park data fingerprint at generation {fingerprint}; sealed inventory chain head {head ?? "(none)"}."]);
        var versions = new Dictionary<string, string>(StringComparer.Ordinal) { ["data_fingerprint"] = fingerprint };
        if (head is not null) versions["seal_chain_head"] = head;
        return (section, versions, head);
    }
}

/// <summary>
/// The T/CA305-2023 self-assessment report (附录H 零碳数据中心评价自查报告模板): the sections a) to h) the standard requires of the
/// evaluation report (§8: 基本情况, 核算边界及范围、排放量、数据要求及来源, 规划目标和减排策略, 阶段性减排目标或零碳实现情况, 抵消方式及抵消量,
/// 创新绿色低碳技术应用及节能管理措施, 评价结论, 打分表) as <see cref="Tca305Report.Sections"/> writes them from
/// <see cref="EvaluationService.Tca305ReportAsync"/>, with the basic requirements, the group and item score tables and the notes.
/// </summary>
public sealed class Tca305SelfAssessmentKind(ZeroParkStore store, EvaluationService evaluations) : IReportKind
{
    public const string Code = "tca305_self_assessment";

    public static readonly ReportKindInfo Definition = new(Code, ["tca305", "t_ca305", "zero_carbon"],
        ["a", "b", "c", "d", "e", "f", "g", "h", "constraints", "notes", "seal"], [ReportEvery.Year]);

    public ReportKindInfo Info => Definition;

    public async Task<ReportDocument> BuildAsync(ReportContext x, CancellationToken ct)
    {
        var year = EvaluationPeriod.Year(x);
        var (v, facts) = await evaluations.Tca305ReportAsync(x.Park, year, ct);
        var lang = x.Lang;
        var zh = lang == "zh";
        string T(string k) => ReportText.Get(k, lang);
        var sections = new List<ReportSection>();
        foreach (var s in Tca305Report.Sections(v, facts, english: !zh))
        {
            var tables = new List<ReportTable>();
            var charts = new List<ReportChart>();
            if (s.Key == "d")
                tables.Add(new ReportTable("tca305_kpis", s.Title, [T("c.kpi"), T("c.value"), T("c.limit"), T("c.points")],
                [
                    ["PUE", EvaluationPeriod.D(v.Pue), (double)v.PueLimit, (double)v.PueScore],
                    ["WUE (L/kWh)", EvaluationPeriod.D(v.Wue), (double)v.WueLimit, null],
                    [T("k.it_load_rate"), EvaluationPeriod.D(v.ItLoadRate), null, null],
                ]));
            if (s.Key == "e")
                tables.Add(new ReportTable("tca305_offsets", s.Title, [T("c.item"), T("c.value")],
                [
                    [T("k.offset_ratio"), EvaluationPeriod.D(v.OffsetRatio)], [T("k.offset_source"), v.OffsetSource ?? "—"], [T("k.offset_score"), (double)v.OffsetScore],
                ]));
            if (s.Key == "g")
                tables.Add(new ReportTable("tca305_result", s.Title, [T("c.item"), T("c.value")],
                [
                    [T("k.total"), (double)v.Total], [T("k.technology_score"), (double)v.TechnologyScore], [T("k.offset_score"), (double)v.OffsetScore],
                    [T("k.grade"), zh ? v.Grade : GradeEn(v)], [T("k.grade_code"), v.GradeCode],
                ]));
            if (s.Key == "h")
            {
                tables.Add(new ReportTable("tca305_groups", T("c.group"), [T("c.group"), T("c.max"), T("c.points")],
                    v.Groups.Select(g => new object?[] { zh ? g.Name : g.NameEn, (double)g.Max, (double)g.Score }).ToList()));
                tables.Add(new ReportTable("tca305_items", s.Title, [T("c.clause"), T("c.group"), T("c.item"), T("c.max"), T("c.points"), T("c.source")],
                    v.Items.Select(i => new object?[] { i.Clause, zh ? i.Group : i.GroupEn, zh ? i.Name : i.NameEn, (double)i.Max, EvaluationPeriod.D(i.Score), T("src." + i.Source) }).ToList()));
                charts.Add(new ReportChart(T("c.group"), T("c.points"), v.Groups.Select(g => new ChartPoint(zh ? g.Name : g.NameEn, (double)g.Score)).ToList()));
            }
            sections.Add(ReportSection.Of(s.Key, $"{s.Key}) {s.Title}", [s.Content], tables, charts));
        }
        sections.Add(ReportSection.Of("constraints", T("s.constraints"), [],
            [new ReportTable("tca305_constraints", T("s.constraints"), [T("c.clause"), T("c.item"), T("c.status"), T("c.value")],
                v.Constraints.Select(c => new object?[] { c.Clause, zh ? c.NameZh : c.NameEn, Word("cst.", c.Status, lang), c.Value is { } cv ? Word("cv.", cv, lang) : "—" }).ToList())]));
        sections.Add(ReportSection.Of("notes", T("s.notes"), v.Notes.Count == 0 ? [T("notes.none")] : v.Notes.Select(x.Translate)));
        var (seal, versions, head) = await EvaluationPeriod.SealAsync(store, x, ct);
        sections.Add(seal);
        versions["evaluation"] = v.SavedAt is { } at ? $"tca305/{year}/saved/{at:yyyy-MM-ddTHH:mm}/{v.Evaluator}" : $"tca305/{year}/computed";
        return new ReportDocument(Code, lang, $"{x.Registry.Park.Name} {T("tca305.title")}", $"{year}", x.Park, x.Registry.Park.Name,
            new DateOnly(year, 1, 1), new DateOnly(year, 12, 31), sections, versions, null, head, x.Now, x.User);
    }

    /// <summary>A status or value code of a requirement (passed, undeclared, covered, …) in the report's language; a figure as it is.</summary>
    private static string Word(string family, string code, string lang) => ReportText.Has(family + code) ? ReportText.Get(family + code, lang) : code;

    private static string GradeEn(Tca305View v) =>
        Tca305Catalogue.Grades.Where(g => g.Code == v.GradeCode).Select(g => g.En).FirstOrDefault() ?? (v.Vetoed ? "Failed" : "Below 60 (no grade)");
}

/// <summary>
/// The T/BFIA 043-2024 self-assessment report (绿色数据中心评价 of the financial sector): the energy ratio R (GB 40879 formula (5))
/// and its score, the groups and items with their points, the total and the star level (≥ 60 one star … ≥ 100 five stars), what it
/// takes to reach the next star, and the notes — the figures of <see cref="EvaluationService.Bfia043Async"/>.
/// </summary>
public sealed class Bfia043SelfAssessmentKind(ZeroParkStore store, EvaluationService evaluations) : IReportKind
{
    public const string Code = "bfia043_self_assessment";

    public static readonly ReportKindInfo Definition = new(Code, ["bfia043", "t_bfia043", "green_dc"],
        ["summary", "ratio", "groups", "items", "whatif", "notes", "seal"], [ReportEvery.Year]);

    public ReportKindInfo Info => Definition;

    public async Task<ReportDocument> BuildAsync(ReportContext x, CancellationToken ct)
    {
        var year = EvaluationPeriod.Year(x);
        var v = await evaluations.Bfia043Async(x.Park, year, null, ct);
        var lang = x.Lang;
        var zh = lang == "zh";
        string T(string k) => ReportText.Get(k, lang);
        var starEn = Bfia043Catalogue.Stars.Where(s => s.Stars == v.Stars).Select(s => s.En).FirstOrDefault() ?? "No star";
        var star = zh ? v.Star : starEn;
        string F(decimal d) => d.ToString("0.##", CultureInfo.InvariantCulture);
        var sections = new List<ReportSection>
        {
            ReportSection.Of("summary", T("s.summary"),
                [zh ? $"{x.Registry.Park.Name}（{x.Park}）{year} 年按 T/BFIA 043-2024 自评：总分 {F(v.Total)} / {F(v.MaxTotal)}，星级 {star}（{v.Stars} 星）。电能比 R {ReportHtml.Cell(EvaluationPeriod.D(v.R))}，得分 {F(v.RatioScore)}；GB 40879 能效等级 {v.Gb40879Grade ?? "—"}。" : $"{x.Registry.Park.Name} ({x.Park}), {year}, self-assessed against T/BFIA 043-2024: total {F(v.Total)} / {F(v.MaxTotal)}, star level {star} ({v.Stars} stars). Energy ratio R {ReportHtml.Cell(EvaluationPeriod.D(v.R))}, score {F(v.RatioScore)}; GB 40879 grade {v.Gb40879Grade ?? "—"}."],
                [new ReportTable("bfia043_result", T("s.summary"), [T("c.item"), T("c.value")],
                [
                    [T("k.total"), (double)v.Total], [T("k.max_total"), (double)v.MaxTotal], [T("k.stars"), v.Stars], [T("k.star"), star],
                ])]),
            ReportSection.Of("ratio", T("s.ratio"),
                [zh ? $"R = 数据中心总耗电量 ÷ IT 设备耗电量（GB 40879-2021 式 (5)），全年数据完整度 {(v.RCompleteness is { } c ? c.ToString("P1", CultureInfo.InvariantCulture) : "—")}。" : $"R = the data center's total electricity ÷ the IT equipment's (GB 40879-2021 formula (5)); the year's data is {(v.RCompleteness is { } c2 ? c2.ToString("P1", CultureInfo.InvariantCulture) : "—")} complete."],
                [new ReportTable("bfia043_ratio", T("s.ratio"), [T("c.kpi"), T("c.value"), T("c.points")], [["R", EvaluationPeriod.D(v.R), (double)v.RatioScore]])]),
            ReportSection.Of("groups", T("s.groups"), [],
                [new ReportTable("bfia043_groups", T("s.groups"), [T("c.group"), T("c.max"), T("c.points")],
                    v.Groups.Select(g => new object?[] { zh ? g.Name : g.NameEn, (double)g.Max, (double)g.Score }).ToList())],
                [new ReportChart(T("s.groups"), T("c.points"), v.Groups.Select(g => new ChartPoint(zh ? g.Name : g.NameEn, (double)g.Score)).ToList())]),
            ReportSection.Of("items", T("s.items"), [],
                [new ReportTable("bfia043_items", T("s.items"), [T("c.clause"), T("c.group"), T("c.item"), T("c.max"), T("c.points"), T("c.source")],
                    v.Items.Select(i => new object?[] { i.Clause, zh ? i.Group : i.GroupEn, zh ? i.Name : i.NameEn, (double)i.Max, EvaluationPeriod.D(i.Score), T("src." + i.Source) }).ToList())]),
            ReportSection.Of("whatif", T("s.whatif"), v.WhatIf.Count == 0 ? [T("notes.none")] : v.WhatIf.Select(w => zh ? w.Text : WhatIfEn(w, v))),
            ReportSection.Of("notes", T("s.notes"), v.Notes.Count == 0 ? [T("notes.none")] : v.Notes.Select(x.Translate)),
        };
        var (seal, versions, head) = await EvaluationPeriod.SealAsync(store, x, ct);
        sections.Add(seal);
        versions["evaluation"] = v.SavedAt is { } at ? $"bfia043/{year}/saved/{at:yyyy-MM-ddTHH:mm}/{v.Evaluator}" : $"bfia043/{year}/computed";
        return new ReportDocument(Code, lang, $"{x.Registry.Park.Name} {T("bfia043.title")}", $"{year}", x.Park, x.Registry.Park.Name,
            new DateOnly(year, 1, 1), new DateOnly(year, 12, 31), sections, versions, null, head, x.Now, x.User);
    }

    /// <summary>The English of a what-if (the core writes the Chinese star names): "R ≤ 1.2 → Green 4 stars", "item: 3 points → Green 4 stars".</summary>
    private static string WhatIfEn(WhatIfView w, Bfia043View v)
    {
        var target = Bfia043Catalogue.Stars.Where(s => s.Zh == w.TargetGrade).Select(s => s.En).FirstOrDefault() ?? w.TargetGrade;
        var value = w.Value is { } d ? d.ToString("0.####", CultureInfo.InvariantCulture) : "—";
        return w.Kind == "r" ? $"R ≤ {value} → {target}"
            : $"{v.Items.FirstOrDefault(i => i.Code == w.Subject)?.NameEn ?? w.Subject}: {value} points → {target}";
    }
}
