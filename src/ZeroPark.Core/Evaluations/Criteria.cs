using System.Globalization;

namespace ZeroPark.Evaluations;

/// <summary>Where an item's score or a requirement's verdict comes from.</summary>
public enum CriterionSource
{
    /// <summary>Computed from the park's metered data by a formula the standard gives (PUE score, IT load rate, water).</summary>
    Computed,
    /// <summary>Checked against the park's registry (meters, their carriers, roles and systems).</summary>
    Registry,
    /// <summary>Entered by an evaluator, with evidence files.</summary>
    Evaluator,
}

/// <summary>A scored part of an item: the evaluator ticks it and the item gets its points (T/BFIA 043 表A.1 "a) … (0.5分)").</summary>
public sealed record SubCriterion(string Code, string TextZh, string TextEn, decimal Points);

/// <summary>One scored item of a standard, copied with its clause and points. <see cref="Subs"/> non-empty: the item's score is
/// the sum of the ticked sub-items, capped at <see cref="MaxPoints"/>; otherwise the evaluator (or the formula) gives 0 … max.</summary>
public sealed record Criterion(string Code, string Clause, string GroupZh, string GroupEn, string NameZh, string NameEn, decimal MaxPoints,
    CriterionSource Source, string RuleZh, IReadOnlyList<SubCriterion> Subs)
{
    /// <summary>T/BFIA 043 附加项 (additional items, 10 points above the base 100).</summary>
    public bool Additional { get; init; }

    public Criterion(string code, string clause, string groupZh, string groupEn, string nameZh, string nameEn, decimal max, CriterionSource source, string ruleZh)
        : this(code, clause, groupZh, groupEn, nameZh, nameEn, max, source, ruleZh, []) { }
}

/// <summary>A basic requirement or constraint (T/CA305-2023 §4 and 附录A): met or not; any failure ends the evaluation (不合格).</summary>
public sealed record Requirement(string Code, string Clause, string NameZh, string NameEn, CriterionSource Source, string RuleZh);

/// <summary>What an evaluator entered for one item or requirement: a score (items without sub-items), the ticked sub-items, a
/// declaration (requirements) and a note. Evidence files are attached separately and counted in <see cref="EvidenceCount"/>.</summary>
public sealed record ItemEntry
{
    public decimal? Score { get; init; }
    public IReadOnlyList<string>? Checked { get; init; }
    public bool? Declared { get; init; }
    public string? Note { get; init; }
    public int EvidenceCount { get; init; }
}

/// <summary>The score of one item in a result.</summary>
public sealed record ItemScore(Criterion Item, decimal? Score, CriterionSource Source, string? Detail, IReadOnlyList<string> Checked)
{
    public decimal Points => Score ?? 0m;
}

/// <summary>The verdict on one requirement: <see cref="Status"/> is passed, failed or undeclared (an evaluator requirement nobody
/// declared yet: not met, so it fails the evaluation too).</summary>
public sealed record RequirementResult(Requirement Requirement, bool Passed, string Status, string? Value, string? Detail);

/// <summary>Shared arithmetic of the evaluations.</summary>
public static class Scoring
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>A double KPI as a decimal for boundary comparisons: rounded to 15 significant digits first, as
    /// <see cref="EnergyManagement.Gb40879"/> does, so 1.3000000000000003 compares as 1.30.</summary>
    public static decimal Dec(double v)
    {
        if (double.IsNaN(v) || double.IsInfinity(v)) throw new ArgumentOutOfRangeException(nameof(v), v, "must be a finite number");
        return Math.Abs(v) > 1e15 ? (v > 0 ? 1e15m : -1e15m) : decimal.Parse(v.ToString("G15", Inv), NumberStyles.Float, Inv);
    }

    public static decimal? Dec(double? v) => v is { } x ? Dec(x) : null;

    /// <summary>The evaluator's score of an item: the ticked sub-items' points (unknown codes refused), capped at the item's
    /// maximum; or the entered score, which must lie in 0 … max. Null when nothing was entered.</summary>
    public static decimal? EvaluatorScore(Criterion c, ItemEntry? e)
    {
        if (e is null) return null;
        if (c.Subs.Count > 0 && e.Checked is { } ticked)
        {
            decimal sum = 0;
            foreach (var code in ticked.Distinct(StringComparer.Ordinal))
            {
                var sub = c.Subs.FirstOrDefault(s => s.Code == code)
                          ?? throw new ArgumentException($"{c.Code}: unknown sub-item '{code}' (expected {string.Join(", ", c.Subs.Select(s => s.Code))})");
                sum += sub.Points;
            }
            return Math.Min(sum, c.MaxPoints);
        }
        if (e.Score is { } s)
        {
            if (s < 0 || s > c.MaxPoints) throw new ArgumentException($"{c.Code}: score {s.ToString(Inv)} is not between 0 and {c.MaxPoints.ToString(Inv)}");
            return s;
        }
        return null;
    }

    /// <summary>Checks that every entry names a known item or requirement (so a typo is not silently ignored).</summary>
    public static void CheckCodes(IReadOnlyDictionary<string, ItemEntry> entries, IEnumerable<string> known)
    {
        var set = known.ToHashSet(StringComparer.Ordinal);
        foreach (var k in entries.Keys)
            if (!set.Contains(k)) throw new ArgumentException($"unknown item '{k}'");
    }

    public static string Fmt(decimal v) => v.ToString("0.####", Inv);

    /// <summary>The value without trailing zeros (30 − 13.0 is 17, not 17.0, in JSON and on the page).</summary>
    public static decimal Norm(decimal v) => v / 1.000000000000000000000000000000000m;
}
