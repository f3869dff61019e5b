using System.Globalization;

namespace ZeroPark.SupplyChain;

/// <summary>
/// One indicator of the park's supplier green-grade system: a weight and the values that earn full and no points. The points
/// are linear between them and clipped: (value − worst) ÷ (best − worst) × 100, so a "lower is better" indicator (scope 1+2
/// intensity) simply has best &lt; worst. Yes/no indicators are 1/0 with best 1, worst 0.
/// </summary>
public sealed record Indicator(string Code, string Name, double Weight, double Best, double Worst, string Unit = "");

/// <summary>Score thresholds of the grades 优秀 / 良好 / 合格 (below 合格: 差), on the 0–100 weighted score.</summary>
public sealed record GradeThresholds(double Excellent = 85, double Good = 70, double Pass = 60)
{
    public void Validate()
    {
        if (!(Pass >= 0 && Pass <= Good && Good <= Excellent && Excellent <= 100))
            throw new ArgumentException("thresholds must satisfy 0 ≤ 合格 ≤ 良好 ≤ 优秀 ≤ 100");
    }
}

/// <summary>An indicator's part of a grade.</summary>
public sealed record IndicatorScore(string Code, string Name, double Weight, double? Value, double Points, double Weighted, string Note);

/// <summary>A supplier's grade: weighted score 0–100, the grade and each indicator's part.</summary>
public sealed record GradeResult(double Score, string Grade, IReadOnlyList<IndicatorScore> Parts);

public static class SupplierGrading
{
    public const string Excellent = "优秀";
    public const string Good = "良好";
    public const string Pass = "合格";
    public const string Poor = "差";

    /// <summary>Computed from the footprint library, not answered: share (0–1) of the supplier's valid footprints that are third-party verified.</summary>
    public const string VerifiedFootprints = "verified_footprints";

    /// <summary>The indicator system a park starts with (editable): the whitepaper's list (§五(四)).</summary>
    public static readonly IReadOnlyList<Indicator> DefaultIndicators =
    [
        new("env_compliance", "环境合规（无处罚=1）", 15, 1, 0, "yes/no"),
        new("clean_production", "清洁生产审核等级（0–3）", 15, 3, 0, "level"),
        new("waste_recycling", "废弃物回收利用率", 15, 100, 0, "%"),
        new("ems_iso14001", "环境管理体系 ISO 14001", 10, 1, 0, "yes/no"),
        new(VerifiedFootprints, "经核查的产品碳足迹占比", 20, 1, 0, "share"),
        new("sbti", "科学碳目标（0 无 / 1 承诺 / 2 已验证）", 10, 2, 0, "level"),
        new("scope12_intensity", "范围一+二排放强度", 15, 0.1, 1.0, "tCO2e/10^4CNY"),
    ];

    public static string GradeOf(double score, GradeThresholds t) =>
        score >= t.Excellent ? Excellent : score >= t.Good ? Good : score >= t.Pass ? Pass : Poor;

    /// <summary>Weighted score Σ wᵢ·pointsᵢ ÷ Σ wᵢ; an indicator without an answer earns 0 points (and says so).</summary>
    public static GradeResult Grade(IReadOnlyList<Indicator> indicators, IReadOnlyDictionary<string, double> answers, GradeThresholds thresholds)
    {
        if (indicators.Count == 0) throw new ArgumentException("the park has no indicators");
        var totalWeight = indicators.Sum(i => i.Weight);
        if (!(totalWeight > 0)) throw new ArgumentException("the indicators' weights add up to 0");
        var parts = new List<IndicatorScore>();
        foreach (var i in indicators)
        {
            if (!answers.TryGetValue(i.Code, out var v))
            {
                parts.Add(new IndicatorScore(i.Code, i.Name, i.Weight, null, 0, 0, "no answer: 0 points"));
                continue;
            }
            var points = i.Best == i.Worst ? (v == i.Best ? 100 : 0) : Math.Clamp((v - i.Worst) / (i.Best - i.Worst), 0, 1) * 100;
            var weighted = points * i.Weight / totalWeight;
            parts.Add(new IndicatorScore(i.Code, i.Name, i.Weight, v, points, weighted,
                $"({N(v)} − {N(i.Worst)}) ÷ ({N(i.Best)} − {N(i.Worst)}) × 100 = {N(points)} points × {N(i.Weight)}/{N(totalWeight)}"));
        }
        var score = Math.Round(parts.Sum(p => p.Weighted), 6);
        return new GradeResult(score, GradeOf(score, thresholds), parts);
    }

    private static string N(double v) => v.ToString("#,0.######", CultureInfo.InvariantCulture);
}
