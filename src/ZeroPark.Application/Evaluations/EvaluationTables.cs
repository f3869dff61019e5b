using System.Globalization;
using ZeroPark.Application.Export;

namespace ZeroPark.Application.Evaluations;

/// <summary>The evaluations as XLSX sheets (JSON field names as headers). The T/CA305 workbook follows the self-evaluation report's
/// sections (see <see cref="Tca305Report"/>).</summary>
public static class EvaluationTables
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static string Ev(IReadOnlyList<EvidenceFile> e) => string.Join("; ", e.Select(f => $"{f.FileName} (sha256:{f.Sha256[..12]})"));

    private static XlsxSheet Items(IReadOnlyList<ItemView> items) =>
        new("items", ["code", "clause", "group", "name", "max", "score", "source", "detail", "sub_items", "note", "evidence"],
            items.Select(i => new object?[]
            {
                i.Code, i.Clause, i.Group, i.Name, i.Max, i.Score, i.Source, i.Detail,
                string.Join("; ", i.Subs.Select(s => $"{(s.Checked ? "☑" : "☐")} {s.Code}) {s.Text} ({s.Points.ToString("0.##", Inv)})")), i.Note, Ev(i.Evidence),
            }).ToList());

    private static XlsxSheet WhatIf(IReadOnlyList<WhatIfView> w) =>
        new("what_if", ["kind", "subject", "value", "target_grade", "text"], w.Select(x => new object?[] { x.Kind, x.Subject, x.Value, x.TargetGrade, x.Text }).ToList());

    private static XlsxSheet Groups(IReadOnlyList<GroupView> g) =>
        new("groups", ["name", "name_en", "max", "score"], g.Select(x => new object?[] { x.Name, x.NameEn, x.Max, x.Score }).ToList());

    /// <summary>The T/CA305-2023 self-evaluation report as a workbook: the report's sections (a–h) in the first sheet, then the
    /// constraints, the score table, the groups and the what-ifs.</summary>
    public static XlsxSheet[] Tca305(Tca305View v, Tca305ReportFacts facts) =>
    [
        new("report", ["section", "title", "content"], Tca305Report.Sections(v, facts).Select(s => new object?[] { s.Key, s.Title, s.Content }).ToList()),
        new("constraints", ["name", "clause", "name_zh", "passed", "status", "value", "detail", "source", "note", "evidence"],
            v.Constraints.Select(c => new object?[] { c.Name, c.Clause, c.NameZh, c.Passed, c.Status, c.Value, c.Detail, c.Source, c.Note, Ev(c.Evidence) }).ToList()),
        Items(v.Items),
        Groups(v.Groups),
        WhatIf(v.WhatIf),
        new("summary", ["park", "standard", "year", "climate_zone", "commissioned", "age", "pue", "pue_limit", "pue_score", "wue", "wue_limit", "it_load_rate",
                "offset_ratio", "offset_source", "offset_score", "technology_score", "total", "grade", "vetoed", "evaluator", "notes"],
            [[v.Park, v.Standard, v.Year, v.ClimateZone, v.Commissioned, v.Age, v.Pue, v.PueLimit, v.PueScore, v.Wue, v.WueLimit, v.ItLoadRate, v.OffsetRatio,
              v.OffsetSource, v.OffsetScore, v.TechnologyScore, v.Total, v.Grade, v.Vetoed, v.Evaluator, string.Join(" | ", v.Notes)]]),
    ];

    public static XlsxSheet[] Bfia043(Bfia043View v) =>
    [
        new("summary", ["park", "standard", "year", "r", "ratio_score", "gb40879_grade", "total", "max_total", "stars", "star", "evaluator", "notes"],
            [[v.Park, v.Standard, v.Year, v.R, v.RatioScore, v.Gb40879Grade, v.Total, v.MaxTotal, v.Stars, v.Star, v.Evaluator, string.Join(" | ", v.Notes)]]),
        Items(v.Items),
        Groups(v.Groups),
        new("choices", ["item", "choice", "choice_en"], v.Choices.Select(c => new object?[] { c.Item, c.Text, c.TextEn }).ToList()),
        WhatIf(v.WhatIf),
    ];

    /// <summary>The green computing indicators, the national green data-center threshold and GB 40879 grade, and the EU 2024/1364 KPIs.</summary>
    public static XlsxSheet[] GreenComputing(GreenComputingView v) =>
    [
        new("indicators", ["code", "name", "value", "unit", "score", "weight", "best", "worst", "note"],
            v.Indicators.Select(i => new object?[] { i.Code, i.Name, i.Value, i.Unit, i.Score, i.Weight, i.Best, i.Worst, i.Note }).ToList()),
        new("summary", ["park", "year", "index", "weight_covered", "weights_source", "gb40879_grade", "national_green_pue_limit", "national_green_pue", "notes"],
            [[v.Park, v.Year, v.Index, v.WeightCovered, v.WeightsSource, v.Gb40879Grade, v.NationalGreenPueLimit, v.NationalGreenPue, string.Join(" | ", v.Notes)]]),
        new("eu_2024_1364", ["kpi", "value", "unit", "definition"],
        [
            ["PD_IT", v.Eu.PdItKw, "kW", "installed IT power demand (design IT capacity)"],
            ["E_DC", v.Eu.EDcKwh, "kWh", "total energy consumption"],
            ["E_IT", v.Eu.EItKwh, "kWh", "IT equipment energy"],
            ["W_IN", v.Eu.WInM3, "m³", "total water input"],
            ["E_REUSE", v.Eu.EReuseKwh, "kWh", "waste heat reused"],
            ["E_RES-TOT", v.Eu.EResTotKwh, "kWh", "renewable energy (on-site, PPAs, certificates)"],
            ["PUE", v.Eu.Pue, "", "E_DC / E_IT"],
            ["WUE", v.Eu.Wue, "L/kWh", "W_IN / E_IT"],
            ["ERF", v.Eu.Erf, "", "E_REUSE / E_DC"],
            ["REF", v.Eu.Ref, "", "E_RES-TOT / E_DC"],
        ]),
    ];

    public static XlsxSheet[] History(IReadOnlyList<HistoryRow> rows) =>
    [
        new("history", ["standard", "year", "total", "total_change", "grade", "key_figure", "evaluator", "saved_at", "saved_by", "groups"],
            rows.Select(r => new object?[] { r.Standard, r.Year, r.Total, r.TotalChange, r.Grade, r.KeyFigure, r.Evaluator, r.SavedAt, r.SavedBy,
                string.Join("; ", r.Groups.Select(g => $"{g.Name} {g.Score.ToString("0.##", Inv)}/{g.Max.ToString("0.##", Inv)}")) }).ToList()),
    ];
}
