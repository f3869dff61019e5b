namespace ZeroPark.Evaluations;

/// <summary>One indicator of the green computing power view: its value is mapped linearly onto 0–100 between
/// <see cref="Worst"/> (0) and <see cref="Best"/> (100), clamped, and weighed by <see cref="Weight"/>.</summary>
public sealed record GcpIndicator(string Code, string NameZh, string NameEn, string Unit, decimal Best, decimal Worst, decimal Weight);

/// <summary>The score of one indicator; <see cref="Value"/> null when the park's data does not support it (it is then left
/// out and the other weights are renormalised).</summary>
public sealed record GcpScore(GcpIndicator Indicator, decimal? Value, decimal? Score, string? Note);

public sealed record GcpResult(IReadOnlyList<GcpScore> Indicators, decimal? Index, decimal WeightCovered, string? Gb40879Grade, bool? NationalGreenPue,
    IReadOnlyList<string> Notes);

/// <summary>
/// The green computing power indicators of the ODCC 2024 whitepaper《全生命周期绿色算力指数白皮书》 (表2-1: 算力能效, IT 负载率,
/// 上架率, PUE, WUE, 可再生能源利用比例, CUE). The paper defines goals, criteria and indicators but gives NO weights and NO
/// grade thresholds: the weights and the 0–100 scales below are ZeroPark's own defaults, configurable per evaluation, and
/// never to be presented as the paper's. GB 40879 grading and the national green data-center PUE threshold (≤ 1.30, GB 40879
/// grade 2 or better; MIIT 2025 notice, reference data §4.2) are shown alongside.
/// </summary>
public static class GreenComputing
{
    /// <summary>ZeroPark's defaults (weights add up to 1). Scales: PUE 1.0 → 100, 2.0 → 0; WUE 0 → 100, 2.5 L/kWh → 0; CUE 0 → 100,
    /// 1.0 kgCO2e/kWh → 0; renewable share 100 % → 100; computing energy efficiency 1 TFLOPS per kW of average facility power →
    /// 100; IT load rate and rack utilisation 100 % → 100.</summary>
    public static readonly IReadOnlyList<GcpIndicator> Defaults =
    [
        new("pue", "电能利用效率 PUE", "PUE", "", 1.0m, 2.0m, 0.25m),
        new("wue", "水利用效率 WUE", "WUE", "L/kWh", 0m, 2.5m, 0.10m),
        new("cue", "碳利用效率 CUE", "CUE", "kgCO2e/kWh", 0m, 1.0m, 0.20m),
        new("renewable_share", "可再生能源利用比例", "Renewable share", "", 1m, 0m, 0.20m),
        new("compute_efficiency", "算力能效", "Computing energy efficiency", "TFLOPS/kW", 1m, 0m, 0.10m),
        new("it_load_rate", "IT 负载率", "IT load rate", "", 1m, 0m, 0.10m),
        new("rack_utilisation", "上架率", "Rack utilisation", "", 1m, 0m, 0.05m),
    ];

    /// <summary>National green data-center recommendation: PUE not above 1.30 (GB 40879 grade 2 or better).</summary>
    public const decimal NationalGreenPue = 1.30m;

    public static decimal Normalise(GcpIndicator i, decimal v)
    {
        if (i.Best == i.Worst) throw new ArgumentException($"{i.Code}: best and worst are equal");
        return Math.Clamp((v - i.Worst) / (i.Best - i.Worst) * 100m, 0m, 100m);
    }

    /// <summary>Replaces the default weights by <paramref name="weights"/> (code → weight ≥ 0); unknown codes are refused.</summary>
    public static IReadOnlyList<GcpIndicator> WithWeights(IReadOnlyDictionary<string, decimal>? weights)
    {
        if (weights is null || weights.Count == 0) return Defaults;
        foreach (var (k, w) in weights)
        {
            if (Defaults.All(d => d.Code != k)) throw new ArgumentException($"weights: unknown indicator '{k}' (expected {string.Join(", ", Defaults.Select(d => d.Code))})");
            if (w < 0) throw new ArgumentException($"weights: {k} must not be negative");
        }
        return Defaults.Select(d => weights.TryGetValue(d.Code, out var w) ? d with { Weight = w } : d).ToList();
    }

    public static GcpResult Evaluate(IReadOnlyList<GcpIndicator> indicators, IReadOnlyDictionary<string, decimal?> values)
    {
        var scores = indicators.Select(i =>
        {
            var v = values.GetValueOrDefault(i.Code);
            return new GcpScore(i, v, v is { } x ? Normalise(i, x) : null, v is null ? "not supported by the park's data" : null);
        }).ToList();
        var covered = scores.Where(s => s.Score is not null).Sum(s => s.Indicator.Weight);
        var total = indicators.Sum(i => i.Weight);
        decimal? index = covered > 0 ? scores.Where(s => s.Score is not null).Sum(s => s.Score!.Value * s.Indicator.Weight) / covered : null;
        var pue = values.GetValueOrDefault("pue");
        var notes = new List<string> { "weights and scales are ZeroPark's own defaults; the whitepaper gives none" };
        if (covered < total) notes.Add($"indicators without data left out; weights renormalised over {Scoring.Fmt(covered)} of {Scoring.Fmt(total)}");
        return new GcpResult(scores, index is { } ix ? Math.Round(ix, 2) : null, total == 0 ? 0 : covered / total,
            pue is { } p ? EnergyManagement.Gb40879.Code(EnergyManagement.Gb40879.Grade(p)) : null,
            pue is { } p2 ? p2 <= NationalGreenPue : null, notes);
    }
}
