using ZeroPark.Evaluations;

namespace ZeroPark.Application.Evaluations;

/// <summary>A sub-item as shown and exported.</summary>
public sealed record SubItemView(string Code, string Text, string TextEn, decimal Points, bool Checked);

/// <summary>An item with its score, where the score came from (computed | registry | evaluator), the evaluator's note and the
/// evidence attached.</summary>
public sealed record ItemView(string Code, string Clause, string Group, string GroupEn, string Name, string NameEn, decimal Max, decimal? Score, string Source,
    string? Detail, string Rule, IReadOnlyList<SubItemView> Subs, string? Note, IReadOnlyList<EvidenceFile> Evidence, bool Additional)
{
    internal static ItemView From(ItemScore s, EvaluationInputs inputs, IReadOnlyList<EvidenceFile> evidence) => new(
        s.Item.Code, s.Item.Clause, s.Item.GroupZh, s.Item.GroupEn, s.Item.NameZh, s.Item.NameEn, s.Item.MaxPoints, s.Score, Src(s.Source), s.Detail, s.Item.RuleZh,
        s.Item.Subs.Select(x => new SubItemView(x.Code, x.TextZh, x.TextEn, x.Points, s.Checked.Contains(x.Code))).ToList(),
        inputs.Items.GetValueOrDefault(s.Item.Code)?.Note, evidence.Where(e => e.Item == s.Item.Code).ToList(), s.Item.Additional);

    internal static string Src(CriterionSource s) => s switch
    {
        CriterionSource.Computed => "computed",
        CriterionSource.Registry => "registry",
        _ => "evaluator",
    };
}

/// <summary>A basic requirement or constraint: <c>name</c> is its code (pue, wue, offset_ratio, …), <c>passed</c> its verdict.</summary>
public sealed record ConstraintView(string Name, string NameZh, string NameEn, string Clause, bool Passed, string Status, string? Value, string? Detail, string Source,
    string Rule, string? Note, IReadOnlyList<EvidenceFile> Evidence);

public sealed record GroupView(string Name, string NameEn, decimal Max, decimal Score);

public sealed record WhatIfView(string Kind, string Subject, decimal? Value, string TargetGrade, string Text);

/// <summary>The T/CA305-2023 evaluation of a park and year, as printed by <c>zeropark evaluate tca305 --format json</c> and
/// answered by <c>GET /api/parks/{park}/evaluations/tca305/{year}</c>.</summary>
public sealed record Tca305View
{
    public required string Park { get; init; }
    public string Standard { get; init; } = Tca305Catalogue.Standard;
    public required int Year { get; init; }
    public required string ClimateZone { get; init; }
    public string? Commissioned { get; init; }
    /// <summary>existing (in operation more than three years) | new (within three years).</summary>
    public required string Age { get; init; }
    public required bool AgeAssumed { get; init; }
    public decimal? Pue { get; init; }
    public required decimal PueLimit { get; init; }
    public required decimal PueScore { get; init; }
    public double? PueCompleteness { get; init; }
    public decimal? Wue { get; init; }
    public required decimal WueLimit { get; init; }
    public decimal? ItLoadRate { get; init; }
    public required IReadOnlyList<ConstraintView> Constraints { get; init; }
    public required bool Vetoed { get; init; }
    public decimal? OffsetRatio { get; init; }
    public string? OffsetSource { get; init; }
    public required decimal OffsetScore { get; init; }
    public required IReadOnlyList<ItemView> Items { get; init; }
    public required IReadOnlyList<GroupView> Groups { get; init; }
    public required decimal TechnologyScore { get; init; }
    public required decimal Total { get; init; }
    public required string Grade { get; init; }
    public required string GradeCode { get; init; }
    public required IReadOnlyList<WhatIfView> WhatIf { get; init; }
    public required IReadOnlyList<string> Notes { get; init; }
    public string? Evaluator { get; init; }
    public DateTimeOffset? SavedAt { get; init; }
}

public sealed record ChoiceView(string Item, string Text, string TextEn);

/// <summary>The T/BFIA 043-2024 evaluation of a park and year (<c>zeropark evaluate bfia043 --format json</c>).</summary>
public sealed record Bfia043View
{
    public required string Park { get; init; }
    public string Standard { get; init; } = Bfia043Catalogue.Standard;
    public required int Year { get; init; }
    /// <summary>R = E / E_IT of the year (GB 40879 §6.3.2.4 formula (5)).</summary>
    public decimal? R { get; init; }
    public double? RCompleteness { get; init; }
    public required decimal RatioScore { get; init; }
    public string? Gb40879Grade { get; init; }
    public required IReadOnlyList<ItemView> Items { get; init; }
    public required IReadOnlyList<GroupView> Groups { get; init; }
    public required decimal Total { get; init; }
    public decimal MaxTotal { get; init; } = 110m;
    public required int Stars { get; init; }
    public required string Star { get; init; }
    public required IReadOnlyList<ChoiceView> Choices { get; init; }
    public required IReadOnlyList<WhatIfView> WhatIf { get; init; }
    public required IReadOnlyList<string> Notes { get; init; }
    public string? Evaluator { get; init; }
    public DateTimeOffset? SavedAt { get; init; }
}

public sealed record IndicatorView(string Code, string Name, string NameEn, decimal? Value, string Unit, decimal? Score, decimal Weight, decimal Best, decimal Worst, string? Note);

/// <summary>The EU Delegated Regulation 2024/1364 reporting KPIs of the year (Annex II/III; reference data §4.3).</summary>
public sealed record EuKpiView(double? PdItKw, double? EDcKwh, double? EItKwh, double? WInM3, double? EReuseKwh, double? EResTotKwh, double? Pue, double? Wue,
    double? Erf, double? Ref);

/// <summary>The green computing power view of a park and year: the indicators the data supports with ZeroPark's default (or the
/// evaluator's) weights, the GB 40879 grade, the national green data-center PUE threshold and the EU KPIs.</summary>
public sealed record GreenComputingView
{
    public required string Park { get; init; }
    public required int Year { get; init; }
    public required IReadOnlyList<IndicatorView> Indicators { get; init; }
    public decimal? Index { get; init; }
    public required decimal WeightCovered { get; init; }
    public string WeightsSource { get; init; } = "ZeroPark defaults (not the whitepaper's: it gives no weights)";
    public string? Gb40879Grade { get; init; }
    public bool? NationalGreenPue { get; init; }
    public decimal NationalGreenPueLimit { get; init; } = GreenComputing.NationalGreenPue;
    public required EuKpiView Eu { get; init; }
    public required IReadOnlyList<string> Notes { get; init; }
    public string? Evaluator { get; init; }
}

/// <summary>One saved year of an evaluation, for the year-over-year comparison.</summary>
public sealed record HistoryRow(string Standard, int Year, double? Total, string? Grade, string Evaluator, DateTimeOffset SavedAt, string SavedBy,
    IReadOnlyList<GroupView> Groups, decimal? KeyFigure, double? TotalChange);
