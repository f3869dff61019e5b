using System.Globalization;

namespace ZeroPark.Application.Evaluations;

/// <summary>Facts of the park and year the report states besides the evaluation itself.</summary>
public sealed record Tca305ReportFacts(string ParkName, string? Province, double? DesignItKw, int? RacksTotal, int? RacksInUse, double? EDcKwh, double? EItKwh,
    double? WaterM3, int Meters, double? Completeness);

/// <summary>
/// The self-evaluation report of T/CA305-2023 (附录H 零碳数据中心评价自查报告模板, informative). The seed copy of the standard lists
/// the template only by name; its sections here follow the contents the standard requires of the evaluation report (§8
/// 评价实施 "现场评价报告包括"): a) 基本情况, b) 核算边界及范围、排放量、数据要求及来源, c) 规划目标和减排策略, d) 阶段性减排目标或零碳
/// 实现情况, e) 抵消方式及抵消量, f) 创新绿色低碳技术应用及节能管理措施, g) 评价结论, h) 打分表. What the system knows is filled in;
/// the strategy sections take the evaluator's notes on the matching requirements.
/// </summary>
public static class Tca305Report
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public sealed record Section(string Key, string Title, string Content);

    private static string N(double? v, string unit, string f = "N0") => v is { } x ? x.ToString(f, Inv) + " " + unit : "—";
    private static string D(decimal? v, string f = "0.####") => v is { } x ? x.ToString(f, Inv) : "—";

    /// <summary>The sections in Chinese (the report's language) or, with <paramref name="english"/>, in English.</summary>
    public static IReadOnlyList<Section> Sections(Tca305View v, Tca305ReportFacts f, bool english) => english ? SectionsEn(v, f) : Sections(v, f);

    private static IReadOnlyList<Section> SectionsEn(Tca305View v, Tca305ReportFacts f)
    {
        string Note(string code) => v.Constraints.FirstOrDefault(c => c.Name == code)?.Note ?? "(not filled in by the evaluator)";
        return
        [
            new("a", "The data center",
                $"{f.ParkName} ({v.Park}); province {f.Province ?? "—"}; climate zone {v.ClimateZone}; in operation since {v.Commissioned ?? "not recorded"} " +
                $"({(v.Age == "existing" ? "more than three years" : "within three years")}{(v.AgeAssumed ? ", stricter limits" : "")}); design IT capacity {N(f.DesignItKw, "kW")}; " +
                $"racks {f.RacksInUse?.ToString(Inv) ?? "—"}/{f.RacksTotal?.ToString(Inv) ?? "—"}."),
            new("b", "GHG boundary and scope, emissions, data and sources",
                $"Year {v.Year}; total electricity E_DC {N(f.EDcKwh, "kWh")}, IT {N(f.EItKwh, "kWh")}, water {N(f.WaterM3, "m³", "N1")}; source: readings of {f.Meters} registered meters " +
                $"(year complete {(f.Completeness is { } c ? c.ToString("P1", Inv) : "—")}); emissions: see the carbon inventory. Scope: {Note("scope")}"),
            new("c", "Zero-carbon targets and reduction strategy", Note("zero_carbon_plan")),
            new("d", "Interim targets and progress",
                $"PUE {D(v.Pue)} (limit {D(v.PueLimit)}), WUE {D(v.Wue)} L/kWh (limit {D(v.WueLimit)}), IT load rate {(v.ItLoadRate is { } r ? (r * 100m).ToString("0.#", Inv) + " %" : "—")}."),
            new("e", "Offsets and their amounts",
                $"Offset ratio S_DC {(v.OffsetRatio is { } s ? (s * 100m).ToString("0.####", Inv) + " %" : "—")} (source: {v.OffsetSource ?? "none"}; admission > 20 %), score {D(v.OffsetScore)} / 40."),
            new("f", "Low-carbon technology and energy management",
                string.Join("; ", v.Groups.Skip(1).Select(g => $"{g.NameEn} {D(g.Score)}/{D(g.Max)}")) + $"; total {D(v.TechnologyScore)} / 60."),
            new("g", "Conclusion",
                v.Vetoed ? $"Failed: basic requirements or constraints not met ({string.Join(", ", v.Constraints.Where(c => !c.Passed).Select(c => c.NameEn))}); the evaluation ends."
                         : $"Total {D(v.Total)}, grade {ZeroPark.Evaluations.Tca305Catalogue.Grades.Where(g => g.Code == v.GradeCode).Select(g => g.En).FirstOrDefault() ?? "below 60 (no grade)"}."),
            new("h", "Score table", string.Join("; ", v.Items.Select(i => $"{i.NameEn} {D(i.Score ?? 0m)}/{D(i.Max)}"))),
        ];
    }

    public static IReadOnlyList<Section> Sections(Tca305View v, Tca305ReportFacts f)
    {
        string Note(string code) => v.Constraints.FirstOrDefault(c => c.Name == code)?.Note ?? "（评价人未填写）";
        return
        [
            new("a", "数据中心基本情况",
                $"{f.ParkName}（{v.Park}）；省份 {f.Province ?? "—"}；气候区 {v.ClimateZone}；投入运行 {v.Commissioned ?? "未登记"}（{(v.Age == "existing" ? "投入使用三年以上" : "近三年新建")}{(v.AgeAssumed ? "，按较严限值" : "")}）；" +
                $"设计IT容量 {N(f.DesignItKw, "kW")}；机柜 {f.RacksInUse?.ToString(Inv) ?? "—"}/{f.RacksTotal?.ToString(Inv) ?? "—"}。"),
            new("b", "温室气体核算边界及范围、排放量、数据要求及来源",
                $"评价年度 {v.Year}；数据中心总耗电 E_DC {N(f.EDcKwh, "kWh")}，IT 耗电 {N(f.EItKwh, "kWh")}，用水 {N(f.WaterM3, "m³", "N1")}；来源：{f.Meters} 块登记计量表的读数（全年数据完整度 " +
                $"{(f.Completeness is { } c ? c.ToString("P1", Inv) : "—")}），排放量见碳盘查页面。参评范围：{Note("scope")}"),
            new("c", "实现零碳排放的规划目标和减排策略", Note("zero_carbon_plan")),
            new("d", "温室气体阶段性减排目标或零碳实现情况",
                $"PUE {D(v.Pue)}（限值 {D(v.PueLimit)}），WUE {D(v.Wue)} L/kWh（限值 {D(v.WueLimit)}），IT 负载率 {(v.ItLoadRate is { } r ? (r * 100m).ToString("0.#", Inv) + " %" : "—")}。"),
            new("e", "温室气体的抵消方式及抵消量",
                $"碳抵消比例 S_DC {(v.OffsetRatio is { } s ? (s * 100m).ToString("0.####", Inv) + " %" : "—")}（来源：{v.OffsetSource ?? "无"}；准入值 > 20 %），得分 {D(v.OffsetScore)} / 40。"),
            new("f", "创新绿色低碳技术应用及节能管理措施",
                string.Join("；", v.Groups.Skip(1).Select(g => $"{g.Name} {D(g.Score)}/{D(g.Max)}")) + $"；合计 {D(v.TechnologyScore)} / 60。"),
            new("g", "评价结论",
                v.Vetoed ? $"不合格：基本要求或约束条件未满足（{string.Join("、", v.Constraints.Where(c => !c.Passed).Select(c => c.NameZh))}），评价终止。"
                         : $"总分 {D(v.Total)}，等级 {v.Grade}。"),
            new("h", "打分表", string.Join("；", v.Items.Select(i => $"{i.Name} {D(i.Score ?? 0m)}/{D(i.Max)}"))),
        ];
    }
}
