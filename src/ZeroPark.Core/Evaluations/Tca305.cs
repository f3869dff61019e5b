using ZeroPark.Domain;

namespace ZeroPark.Evaluations;

/// <summary>What a T/CA305-2023 evaluation of one year is computed from. <see cref="Pue"/>, <see cref="Wue"/> and
/// <see cref="ItLoadRate"/> are the year's measured values (null when the park has no data for them); <see cref="OffsetRatio"/> is
/// S_DC as a fraction (0.436748 = 43.6748 %), with where it came from; <see cref="Entries"/> are the evaluator's entries by item or
/// requirement code.</summary>
public sealed record Tca305Input
{
    public required int Year { get; init; }
    public ClimateZone ClimateZone { get; init; } = ClimateZone.Other;
    public DateOnly? Commissioned { get; init; }
    public decimal? Pue { get; init; }
    public decimal? Wue { get; init; }
    public decimal? ItLoadRate { get; init; }
    public decimal? OffsetRatio { get; init; }
    /// <summary>"neutrality" (the neutrality module's ledger) or "declared" (entered with evidence); null when unknown.</summary>
    public string? OffsetSource { get; init; }
    /// <summary>Whether scope-1 emissions are covered by sinks/CCUS/CER only (§6); null when the offset source does not say.</summary>
    public bool? Scope1Covered { get; init; }
    public IReadOnlyDictionary<string, ItemEntry> Entries { get; init; } = new Dictionary<string, ItemEntry>();
}

/// <summary>A way to reach the next grade: change <see cref="Kind"/> (pue, offset_ratio, item, requirement) to <see cref="Value"/>.</summary>
public sealed record WhatIf(string Kind, string Subject, decimal? Value, string TargetGrade, string Text);

/// <summary>The result of a T/CA305-2023 evaluation. When a requirement fails (<see cref="Vetoed"/>), the grade is 不合格 and
/// scoring stops: the points are still shown (<see cref="Total"/>) for information and for the what-ifs.</summary>
public sealed record Tca305Result
{
    public required int Year { get; init; }
    public required bool Existing { get; init; }
    public required bool AgeAssumed { get; init; }
    public required decimal PueLimit { get; init; }
    public required decimal WueLimit { get; init; }
    public decimal? Pue { get; init; }
    public required decimal PueScore { get; init; }
    public decimal? Wue { get; init; }
    public decimal? ItLoadRate { get; init; }
    public decimal? OffsetRatio { get; init; }
    public string? OffsetSource { get; init; }
    public required decimal OffsetScore { get; init; }
    public required IReadOnlyList<RequirementResult> Requirements { get; init; }
    public required bool Vetoed { get; init; }
    public required IReadOnlyList<ItemScore> Items { get; init; }
    /// <summary>Σ of the 附录C items (of 60).</summary>
    public required decimal TechnologyScore { get; init; }
    public required decimal Total { get; init; }
    /// <summary>leading | excellent | good | qualified | none | failed.</summary>
    public required string GradeCode { get; init; }
    public required string Grade { get; init; }
    public required IReadOnlyList<WhatIf> WhatIfs { get; init; }
    public required IReadOnlyList<string> Notes { get; init; }
}

/// <summary>T/CA305-2023 scoring (pure). Choices where the standard is silent or inconsistent are documented in
/// docs/evaluations.md and repeated in <see cref="Tca305Result.Notes"/>.</summary>
public static class Tca305
{
    /// <summary>"In operation for more than three years" at the end of the evaluated year: commissioned + 3 years is before
    /// 31 December of that year (exactly three years counts as "within three years", the stricter limit).</summary>
    public static bool IsExisting(DateOnly commissioned, int year) => commissioned.AddYears(3) < new DateOnly(year, 12, 31);

    /// <summary>附录C 高效用电: 30 − 10 × PUE, at most 20 (PUE 1.0), never below 0; 0 when the PUE limit is not met.</summary>
    public static decimal PueScore(decimal pue, decimal limit) => pue > limit ? 0m : Scoring.Norm(Math.Clamp(30m - 10m * pue, 0m, 20m));

    /// <summary>附录C IT 负载率: ≥ 60 % → 2, 40 % ≤ rate &lt; 60 % → 1, below 40 % → 0 (the source's "70% &gt; 使用率 ≥ 40%" overlaps
    /// the first band; read as 60 %, as in worked case WC-29).</summary>
    public static decimal ItLoadScore(decimal rate) => rate >= 0.60m ? 2m : rate >= 0.40m ? 1m : 0m;

    /// <summary>附表F/G: S_DC × 40, at most 40 (S_DC ≥ 100 %), never below 0.</summary>
    public static decimal OffsetScore(decimal ratio) => Scoring.Norm(Math.Clamp(ratio * Tca305Catalogue.OffsetPoints, 0m, Tca305Catalogue.OffsetPoints));

    /// <summary>§7 bands; below 60 → none (不达标(无等级)).</summary>
    public static (string Code, string Zh) Grade(decimal total)
    {
        foreach (var g in Tca305Catalogue.Grades)
            if (total >= g.Min) return (g.Code, g.Zh);
        return ("none", Tca305Catalogue.NoGradeZh);
    }

    public static Tca305Result Evaluate(Tca305Input x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Scoring.CheckCodes(x.Entries, Tca305Catalogue.Items.Select(i => i.Code).Concat(Tca305Catalogue.Requirements.Select(r => r.Code)));
        var notes = new List<string>();
        var ageAssumed = x.Commissioned is null;
        var existing = x.Commissioned is { } c && IsExisting(c, x.Year);
        if (ageAssumed) notes.Add("commissioning date not recorded: the stricter limits of a data center built within three years apply (set it with `zeropark parks update --commissioned`)");
        var pueLimit = Tca305Catalogue.PueLimit(x.ClimateZone, existing);
        var wueLimit = Tca305Catalogue.WueLimit(existing);

        var reqs = new List<RequirementResult>();
        foreach (var r in Tca305Catalogue.Requirements)
        {
            var e = x.Entries.GetValueOrDefault(r.Code);
            switch (r.Code)
            {
                case "pue":
                    reqs.Add(x.Pue is { } p
                        ? Verdict(r, p <= pueLimit, Fmt(p), $"12-month PUE {Fmt(p)} ≤ {Fmt(pueLimit)} ({Age(existing)}, {Park.ClimateZoneCode(x.ClimateZone)})")
                        : new RequirementResult(r, false, "failed", null, "no 12-month measured PUE (facility_input and it_load meters with a year of data are needed)"));
                    break;
                case "wue":
                    reqs.Add(x.Wue is { } w
                        ? Verdict(r, w <= wueLimit, Fmt(w), $"WUE {Fmt(w)} L/kWh ≤ {Fmt(wueLimit)} ({Age(existing)})")
                        : Declared(r, e, "no metered WUE (water_input and it_load meters): declare it with evidence"));
                    break;
                case "offset_ratio":
                    reqs.Add(x.OffsetRatio is { } s
                        ? Verdict(r, s > Tca305Catalogue.OffsetAdmission, Fmt(s), $"S_DC {Fmt(s * 100m)} % > 20 % ({x.OffsetSource ?? "unknown source"})")
                        : new RequirementResult(r, false, "failed", null, "no offset ratio for the year (neither from the neutrality ledger nor declared)"));
                    break;
                case "scope1_offset":
                    if (x.Scope1Covered is { } cov) reqs.Add(Verdict(r, cov, cov ? "covered" : "uncovered", "scope 1 offset by sinks, CCUS or CER only"));
                    break;
                default:
                    reqs.Add(Declared(r, e, null));
                    break;
            }
        }
        var vetoed = reqs.Any(r => !r.Passed);

        var pueReqPassed = reqs.First(r => r.Requirement.Code == "pue").Passed;
        var items = new List<ItemScore>();
        foreach (var it in Tca305Catalogue.Items)
        {
            var e = x.Entries.GetValueOrDefault(it.Code);
            var ticked = e?.Checked ?? [];
            switch (it.Code)
            {
                case "pue_score":
                    items.Add(x.Pue is { } p
                        ? new ItemScore(it, pueReqPassed ? PueScore(p, pueLimit) : 0m, CriterionSource.Computed,
                            pueReqPassed ? $"30 − 10 × {Fmt(p)} = {Fmt(30m - 10m * p)}{(30m - 10m * p > 20m ? " → 20 (cap)" : "")}" : $"PUE {Fmt(p)} above the limit {Fmt(pueLimit)}: 0", [])
                        : new ItemScore(it, 0m, CriterionSource.Computed, "no measured PUE: 0", []));
                    break;
                case "it_load":
                    items.Add(x.ItLoadRate is { } rate
                        ? new ItemScore(it, ItLoadScore(rate), CriterionSource.Computed, $"IT load rate {Fmt(rate * 100m)} %", [])
                        : new ItemScore(it, Scoring.EvaluatorScore(it, e), CriterionSource.Evaluator, "no metered IT load rate (design IT capacity and it_load meters): evaluator", ticked));
                    break;
                case "water":
                    if (x.Wue is { } w && w < Tca305Catalogue.WaterFullScoreBelow)
                        items.Add(new ItemScore(it, 5m, CriterionSource.Computed, $"WUE {Fmt(w)} L/kWh < 1.4", []));
                    else
                    {
                        var s = Scoring.EvaluatorScore(it, e);
                        if (x.Wue is { } w2 && s > Tca305Catalogue.WaterEvaluatorMax)
                            throw new ArgumentException($"water: WUE {Fmt(w2)} ≥ 1.4 L/kWh allows 0–2 points, not {Fmt(s.Value)}");
                        items.Add(new ItemScore(it, s, CriterionSource.Evaluator,
                            x.Wue is { } w3 ? $"WUE {Fmt(w3)} L/kWh ≥ 1.4: evaluator 0–2 (water-saving measures, local water resources)" : "no metered WUE: evaluator", ticked));
                    }
                    break;
                default:
                    items.Add(new ItemScore(it, Scoring.EvaluatorScore(it, e), CriterionSource.Evaluator,
                        e is { EvidenceCount: 0 } && Scoring.EvaluatorScore(it, e) > 0 ? "no evidence attached" : null, ticked));
                    break;
            }
        }
        var tech = Scoring.Norm(items.Sum(i => i.Points));
        var offsetScore = x.OffsetRatio is { } sdc ? OffsetScore(sdc) : 0m;
        var total = Scoring.Norm(offsetScore + tech);
        var (code, zh) = vetoed ? ("failed", Tca305Catalogue.FailedZh) : Grade(total);
        if (x.Wue is { } ww && ww == Tca305Catalogue.WaterFullScoreBelow)
            notes.Add("WUE exactly 1.4 L/kWh: the standard defines < 1.4 (5 points) and > 1.4 (0–2); exactly 1.4 is scored as > 1.4");

        var pueScore = items[0].Points;
        var result = new Tca305Result
        {
            Year = x.Year, Existing = existing, AgeAssumed = ageAssumed, PueLimit = pueLimit, WueLimit = wueLimit, Pue = x.Pue, PueScore = pueScore,
            Wue = x.Wue, ItLoadRate = x.ItLoadRate, OffsetRatio = x.OffsetRatio, OffsetSource = x.OffsetSource, OffsetScore = offsetScore,
            Requirements = reqs, Vetoed = vetoed, Items = items, TechnologyScore = tech, Total = total, GradeCode = code, Grade = zh,
            WhatIfs = [], Notes = notes,
        };
        return result with { WhatIfs = WhatIfs(result) };
    }

    /// <summary>What reaches the next grade, one change at a time: a lower PUE, a higher offset ratio, or the points of one
    /// evaluator item; when a requirement fails, meeting it comes first.</summary>
    public static IReadOnlyList<WhatIf> WhatIfs(Tca305Result r)
    {
        var list = new List<WhatIf>();
        if (r.Vetoed)
        {
            foreach (var f in r.Requirements.Where(q => !q.Passed))
            {
                var q = f.Requirement;
                list.Add(q.Code switch
                {
                    "pue" => new WhatIf("requirement", "pue", r.PueLimit, "scored", $"PUE ≤ {Fmt(r.PueLimit)} over 12 months"),
                    "wue" when r.Wue is not null => new WhatIf("requirement", "wue", r.WueLimit, "scored", $"WUE ≤ {Fmt(r.WueLimit)} L/kWh"),
                    "offset_ratio" => new WhatIf("requirement", "offset_ratio", Tca305Catalogue.OffsetAdmission, "scored", "offset ratio above 20 %"),
                    _ => new WhatIf("requirement", q.Code, null, "scored", $"declare '{q.NameZh}' with evidence"),
                });
            }
            return list;
        }
        var next = Tca305Catalogue.Grades.Reverse().FirstOrDefault(g => g.Min > r.Total);
        if (next.Code is null) return list;
        var gap = next.Min - r.Total;
        if (r.Pue is not null)
        {
            var needed = r.PueScore + gap;
            if (needed <= 20m)
            {
                // score ≥ needed ⇔ PUE ≤ (30 − needed) / 10; rounded down to 4 decimals so the figure shown is enough.
                var pue = Math.Min(Math.Floor((30m - needed) / 10m * 10000m) / 10000m, r.PueLimit);
                list.Add(new WhatIf("pue", "pue", pue, next.Code, $"PUE ≤ {Fmt(pue)} → {next.Zh}"));
            }
        }
        var neededOffset = r.OffsetScore + gap;
        if (neededOffset <= Tca305Catalogue.OffsetPoints)
        {
            var ratio = Math.Max(Math.Ceiling(neededOffset / Tca305Catalogue.OffsetPoints * 1_000_000m) / 1_000_000m, Tca305Catalogue.OffsetAdmission);
            list.Add(new WhatIf("offset_ratio", "offset_ratio", ratio, next.Code, $"offset ratio ≥ {Fmt(ratio * 100m)} % → {next.Zh}"));
        }
        foreach (var i in r.Items.Where(i => i.Source == CriterionSource.Evaluator))
        {
            var headroom = i.Item.MaxPoints - i.Points;
            if (headroom >= gap && headroom > 0)
                list.Add(new WhatIf("item", i.Item.Code, i.Item.MaxPoints, next.Code, $"{i.Item.NameZh}: {Fmt(i.Points)} → {Fmt(i.Item.MaxPoints)} → {next.Zh}"));
        }
        return list;
    }

    private static RequirementResult Verdict(Requirement r, bool ok, string? value, string detail) => new(r, ok, ok ? "passed" : "failed", value, detail);

    private static RequirementResult Declared(Requirement r, ItemEntry? e, string? why) => e switch
    {
        { Declared: true, EvidenceCount: > 0 } => new RequirementResult(r, true, "passed", "declared", why),
        { Declared: true } => new RequirementResult(r, false, "failed", "declared", "declared without evidence: attach a file"),
        { Declared: false } => new RequirementResult(r, false, "failed", "not met", why),
        _ => new RequirementResult(r, false, "undeclared", null, why ?? "not declared yet"),
    };

    private static string Age(bool existing) => existing ? "in operation more than 3 years" : "within 3 years";

    internal static string Fmt(decimal v) => Scoring.Fmt(v);
}
