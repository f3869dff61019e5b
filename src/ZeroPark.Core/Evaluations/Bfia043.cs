namespace ZeroPark.Evaluations;

/// <summary>The registry check of §6.2.2.1: 分类 (carriers: electricity and water metered separately, plus oil and gas when the
/// park uses them), 分级 (levels: grid incoming → transformer → UPS) and 分项 (uses: IT, air conditioning, auxiliary/生活).
/// Each list names what is missing; the item scores its point only when nothing is missing.</summary>
public sealed record MeteringCheck(IReadOnlyList<string> MissingCarriers, IReadOnlyList<string> MissingLevels, IReadOnlyList<string> MissingUses)
{
    public bool Passed => MissingCarriers.Count == 0 && MissingLevels.Count == 0 && MissingUses.Count == 0;

    public string Describe() => Passed ? "分类/分级/分项 all metered"
        : string.Join("; ", new[]
        {
            MissingCarriers.Count > 0 ? "分类 missing: " + string.Join(", ", MissingCarriers) : null,
            MissingLevels.Count > 0 ? "分级 missing: " + string.Join(", ", MissingLevels) : null,
            MissingUses.Count > 0 ? "分项 missing: " + string.Join(", ", MissingUses) : null,
        }.Where(s => s is not null));
}

public sealed record Bfia043Input
{
    public required int Year { get; init; }
    /// <summary>R = E / E_IT over the year (GB 40879 §6.3.2.4 formula (5)); null when not metered.</summary>
    public decimal? R { get; init; }
    public MeteringCheck? Metering { get; init; }
    public IReadOnlyDictionary<string, ItemEntry> Entries { get; init; } = new Dictionary<string, ItemEntry>();
}

public sealed record Bfia043Result
{
    public required int Year { get; init; }
    public decimal? R { get; init; }
    public required decimal RatioScore { get; init; }
    public required IReadOnlyList<ItemScore> Items { get; init; }
    public required IReadOnlyList<(string Zh, string En, decimal Max, decimal Score)> Groups { get; init; }
    public required decimal Total { get; init; }
    /// <summary>1…5, 0 below 60.</summary>
    public required int Stars { get; init; }
    public required string Star { get; init; }
    public required IReadOnlyList<WhatIf> WhatIfs { get; init; }
    public required IReadOnlyList<string> Notes { get; init; }
}

/// <summary>T/BFIA 043-2024 scoring (pure).</summary>
public static class Bfia043
{
    /// <summary>§6.1.2 formula (1): S = 35 − 10 × R, clamped to [0, 25] (表A.1 gives 25 points; the clamp is this project's
    /// reading, as in worked case WC-31: R = 3.6 → 0).</summary>
    public static decimal RatioScore(decimal r) => Scoring.Norm(Math.Clamp(35m - 10m * r, 0m, 25m));

    /// <summary>表B.2 bands, lower bound inclusive.</summary>
    public static (int Stars, string Zh) Star(decimal total)
    {
        foreach (var s in Bfia043Catalogue.Stars)
            if (total >= s.Min) return (s.Stars, s.Zh);
        return (0, Bfia043Catalogue.NoStarZh);
    }

    public static Bfia043Result Evaluate(Bfia043Input x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Scoring.CheckCodes(x.Entries, Bfia043Catalogue.Items.Select(i => i.Code));
        var notes = new List<string>();
        var items = new List<ItemScore>();
        foreach (var it in Bfia043Catalogue.Items)
        {
            var e = x.Entries.GetValueOrDefault(it.Code);
            switch (it.Code)
            {
                case "ratio":
                    items.Add(x.R is { } r
                        ? new ItemScore(it, RatioScore(r), CriterionSource.Computed, $"S = 35 − 10 × {Scoring.Fmt(r)} = {Scoring.Fmt(35m - 10m * r)}" +
                            (35m - 10m * r is var raw && (raw < 0 || raw > 25) ? $" → {Scoring.Fmt(RatioScore(r))} (clamped to 0–25)" : ""), [])
                        : new ItemScore(it, 0m, CriterionSource.Computed, "no metered R (facility_input and it_load meters): 0", []));
                    break;
                case "metering_structure":
                    items.Add(x.Metering is { } m
                        ? new ItemScore(it, m.Passed ? it.MaxPoints : 0m, CriterionSource.Registry, m.Describe(), [])
                        : new ItemScore(it, 0m, CriterionSource.Registry, "registry not checked", []));
                    break;
                default:
                    var s = Scoring.EvaluatorScore(it, e);
                    var sumTicked = it.Subs.Where(sub => e?.Checked?.Contains(sub.Code) == true).Sum(sub => sub.Points);
                    var detail = sumTicked > it.MaxPoints ? $"sub-items {Scoring.Fmt(sumTicked)} capped at {Scoring.Fmt(it.MaxPoints)}"
                        : e is { EvidenceCount: 0 } && s > 0 ? "no evidence attached" : null;
                    items.Add(new ItemScore(it, s, CriterionSource.Evaluator, detail, e?.Checked ?? []));
                    break;
            }
        }
        var groups = Bfia043Catalogue.Groups.Select(g => (g.Zh, g.En, g.Max, items.Where(i => i.Item.GroupZh == g.Zh).Sum(i => i.Points))).ToList();
        var total = Scoring.Norm(items.Sum(i => i.Points));
        var (stars, star) = Star(total);
        var ratioScore = items[0].Points;
        var whatIfs = new List<WhatIf>();
        var next = Bfia043Catalogue.Stars.Reverse().FirstOrDefault(s => s.Min > total);
        if (next.Zh is not null)
        {
            var gap = next.Min - total;
            var needed = ratioScore + gap;
            if (x.R is not null && needed <= 25m)
            {
                var r = Math.Floor((35m - needed) / 10m * 10000m) / 10000m;
                whatIfs.Add(new WhatIf("r", "r", r, next.Zh, $"R ≤ {Scoring.Fmt(r)} → {next.Zh}"));
            }
            foreach (var i in items.Where(i => i.Source == CriterionSource.Evaluator && i.Item.MaxPoints - i.Points >= gap))
                whatIfs.Add(new WhatIf("item", i.Item.Code, i.Item.MaxPoints, next.Zh, $"{i.Item.NameZh}: {Scoring.Fmt(i.Points)} → {Scoring.Fmt(i.Item.MaxPoints)} → {next.Zh}"));
        }
        return new Bfia043Result
        {
            Year = x.Year, R = x.R, RatioScore = ratioScore, Items = items, Groups = groups, Total = total, Stars = stars, Star = star,
            WhatIfs = whatIfs, Notes = notes,
        };
    }
}
