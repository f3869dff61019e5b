using ZeroPark.Domain;
using ZeroPark.Evaluations;

namespace ZeroPark.Tests.Evaluations;

/// <summary>
/// The pure scoring of T/CA305-2023, T/BFIA 043-2024 and the green computing view, against the reference worked cases WC-25…WC-32
/// (copied here with their hand arithmetic; reference-data.md §9) and this project's own cases at every band edge.
/// </summary>
public sealed class ScoringTests
{
    private static Dictionary<string, ItemEntry> AllDeclared() =>
        Tca305Catalogue.Requirements.Where(r => r.Source == CriterionSource.Evaluator)
            .ToDictionary(r => r.Code, _ => new ItemEntry { Declared = true, EvidenceCount = 1 });

    private static Tca305Input Passing(decimal pue = 1.30m, decimal offset = 0.5m, Dictionary<string, ItemEntry>? extra = null)
    {
        var e = AllDeclared();
        foreach (var (k, v) in extra ?? []) e[k] = v;
        return new Tca305Input
        {
            Year = 2025, ClimateZone = ClimateZone.Other, Commissioned = new DateOnly(2015, 1, 1), Pue = pue, Wue = 1.2m, ItLoadRate = 0.65m,
            OffsetRatio = offset, OffsetSource = "declared", Entries = e,
        };
    }

    // ---------------------------------------------------------------- catalogues

    [Fact]
    public void Catalogues_add_up_to_the_standards_maxima()
    {
        // T/CA305 附录C: 29 + 5 + 11 + 15 = 60; each group's items add up to the group's points.
        Assert.Equal(60m, Tca305Catalogue.Items.Sum(i => i.MaxPoints));
        foreach (var g in Tca305Catalogue.Groups)
            Assert.Equal(g.Max, Tca305Catalogue.Items.Where(i => i.GroupZh == g.Zh).Sum(i => i.MaxPoints));
        // T/BFIA 表B.1: 25 + 20 + 40 + 15 + 10 = 110 (additional items 10).
        Assert.Equal(110m, Bfia043Catalogue.Items.Sum(i => i.MaxPoints));
        Assert.Equal(10m, Bfia043Catalogue.Items.Where(i => i.Additional).Sum(i => i.MaxPoints));
        foreach (var g in Bfia043Catalogue.Groups)
            Assert.Equal(g.Max, Bfia043Catalogue.Items.Where(i => i.GroupZh == g.Zh).Sum(i => i.MaxPoints));
        // Every item with sub-items: the sub-items add up to the item's maximum, except 冷源子系统 (4.5 vs 4, the source's own).
        foreach (var i in Bfia043Catalogue.Items.Concat(Tca305Catalogue.Items).Where(i => i.Subs.Count > 0))
            Assert.Equal(i.Code == "cold_source" ? 4.5m : i.MaxPoints, i.Subs.Sum(s => s.Points));
        Assert.Equal(3, Bfia043Catalogue.Choices.Count);
        Assert.Equal(3m, Bfia043Catalogue.Items.Single(i => i.Code == "green_review").MaxPoints);       // 表A.1 chosen over 表B.1's 2
        Assert.Equal(1m, Bfia043Catalogue.Items.Single(i => i.Code == "carbon_verification").MaxPoints); // 表A.1 chosen over 表B.1's 2
    }

    // ---------------------------------------------------------------- T/CA305

    /// <summary>WC-25: S_DC = 2,795.19 / 6,400 = 0.436748 → score 0.436748 × 40 = 17.4699, admission > 20 % ✓.
    /// WC-26: S_DC = 1,273.2 / 10,000 = 0.12732 → 5.0928, admission fails (≤ 20 %).</summary>
    [Fact]
    public void WC25_WC26_offset_score_and_admission()
    {
        var wc25 = 2795.19m / 6400m;
        Assert.Equal(0.436748m, Math.Round(wc25, 6));
        Assert.Equal(17.4699m, Math.Round(Tca305.OffsetScore(wc25), 4));
        Assert.True(Tca305.Evaluate(Passing(offset: wc25)).Requirements.Single(r => r.Requirement.Code == "offset_ratio").Passed);

        var wc26 = 1273.2m / 10000m;
        Assert.Equal(5.0928m, Tca305.OffsetScore(wc26));
        var r = Tca305.Evaluate(Passing(offset: wc26));
        Assert.False(r.Requirements.Single(q => q.Requirement.Code == "offset_ratio").Passed);
        Assert.True(r.Vetoed);
        Assert.Equal(("failed", "不合格"), (r.GradeCode, r.Grade));
    }

    /// <summary>WC-27's capped S_DC 0.84 → 33.6; the offset score is capped at 40 (S_DC ≥ 100 %).</summary>
    [Theory]
    [InlineData("0.84", "33.6")]
    [InlineData("1", "40")]
    [InlineData("1.7", "40")]
    [InlineData("0.2", "8")]
    public void Offset_score_is_S_DC_times_40_capped(string ratio, string score) =>
        Assert.Equal(decimal.Parse(score, System.Globalization.CultureInfo.InvariantCulture), Tca305.OffsetScore(decimal.Parse(ratio, System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Admission is strictly above 20 %: 0.20 fails, 0.2000001 passes (附表F "准入值 > 20%").</summary>
    [Theory]
    [InlineData("0.2", false)]
    [InlineData("0.2000001", true)]
    [InlineData("0.1999999", false)]
    public void Offset_admission_edge(string ratio, bool passes)
    {
        var r = Tca305.Evaluate(Passing(offset: decimal.Parse(ratio, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(passes, r.Requirements.Single(q => q.Requirement.Code == "offset_ratio").Passed);
        Assert.Equal(!passes, r.Vetoed);
    }

    /// <summary>WC-28: new/severe-cold 1.25 > 1.20 → fail, 0; new/cold 1.25 ≤ 1.25 → 30 − 12.5 = 17.5; existing/other 1.38 ≤ 1.40 →
    /// 30 − 13.8 = 16.2; PUE 1.0 → 20 (cap).</summary>
    [Theory]
    [InlineData(false, ClimateZone.SevereCold, "1.25", "1.2", false, "0")]
    [InlineData(false, ClimateZone.Cold, "1.25", "1.25", true, "17.5")]
    [InlineData(true, ClimateZone.Other, "1.38", "1.4", true, "16.2")]
    [InlineData(true, ClimateZone.Other, "1.0", "1.4", true, "20")]
    // Own edges: each of the six limits exactly (passes) and 0.0001 above (fails, 0 points).
    [InlineData(true, ClimateZone.SevereCold, "1.3", "1.3", true, "17")]
    [InlineData(true, ClimateZone.SevereCold, "1.3001", "1.3", false, "0")]
    [InlineData(true, ClimateZone.Cold, "1.35", "1.35", true, "16.5")]
    [InlineData(true, ClimateZone.Cold, "1.3501", "1.35", false, "0")]
    [InlineData(true, ClimateZone.Other, "1.4", "1.4", true, "16")]
    [InlineData(true, ClimateZone.Other, "1.4001", "1.4", false, "0")]
    [InlineData(false, ClimateZone.SevereCold, "1.2", "1.2", true, "18")]
    [InlineData(false, ClimateZone.Cold, "1.2501", "1.25", false, "0")]
    [InlineData(false, ClimateZone.Other, "1.3", "1.3", true, "17")]
    [InlineData(false, ClimateZone.Other, "1.3001", "1.3", false, "0")]
    public void WC28_pue_limit_and_score(bool existing, ClimateZone zone, string pue, string limit, bool passes, string score)
    {
        var p = decimal.Parse(pue, System.Globalization.CultureInfo.InvariantCulture);
        var lim = decimal.Parse(limit, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(lim, Tca305Catalogue.PueLimit(zone, existing));
        Assert.Equal(decimal.Parse(score, System.Globalization.CultureInfo.InvariantCulture), Tca305.PueScore(p, lim));
        var r = Tca305.Evaluate(Passing(pue: p) with { ClimateZone = zone, Commissioned = existing ? new DateOnly(2015, 1, 1) : new DateOnly(2024, 1, 1) });
        Assert.Equal(passes, r.Requirements.Single(q => q.Requirement.Code == "pue").Passed);
        Assert.Equal(lim, r.PueLimit);
        Assert.Equal(r.PueScore, r.Items.Single(i => i.Item.Code == "pue_score").Score);
    }

    /// <summary>More than three years at the end of the evaluated year: commissioned 2022-12-30 + 3 y = 2025-12-30 &lt; 2025-12-31 →
    /// existing; 2022-12-31 + 3 y = 2025-12-31 (exactly three years) → within three years (new). No date → new (stricter), noted.</summary>
    [Fact]
    public void Age_edge_and_unknown_commissioning_date()
    {
        Assert.True(Tca305.IsExisting(new DateOnly(2022, 12, 30), 2025));
        Assert.False(Tca305.IsExisting(new DateOnly(2022, 12, 31), 2025));
        var r = Tca305.Evaluate(Passing() with { Commissioned = null, ClimateZone = ClimateZone.Cold });
        Assert.True(r.AgeAssumed);
        Assert.False(r.Existing);
        Assert.Equal(1.25m, r.PueLimit);
        Assert.Contains(r.Notes, n => n.Contains("commissioning date", StringComparison.Ordinal));
    }

    /// <summary>WC-29: WUE 1.55 existing ≤ 1.6 passes, > 1.4 → evaluator 0–2; new 1.38 ≤ 1.4 passes and &lt; 1.4 → 5; IT load
    /// 65 % → 2, 60 % → 2, 50 % → 1, 40 % → 1, 35 % → 0. Own edges: 59.99 % → 1, 39.99 % → 0, WUE 1.3999 → 5, exactly 1.4 → evaluator.</summary>
    [Fact]
    public void WC29_wue_admission_water_score_and_it_load()
    {
        var existing = Tca305.Evaluate(Passing() with { Wue = 1.55m });
        Assert.True(existing.Requirements.Single(q => q.Requirement.Code == "wue").Passed);
        var water = existing.Items.Single(i => i.Item.Code == "water");
        Assert.Equal((CriterionSource.Evaluator, (decimal?)null), (water.Source, water.Score));
        var withExpert = Tca305.Evaluate(Passing(extra: new() { ["water"] = new ItemEntry { Score = 1.5m, EvidenceCount = 1 } }) with { Wue = 1.55m });
        Assert.Equal(1.5m, withExpert.Items.Single(i => i.Item.Code == "water").Score);
        Assert.Throws<ArgumentException>(() => Tca305.Evaluate(Passing(extra: new() { ["water"] = new ItemEntry { Score = 3m } }) with { Wue = 1.55m }));

        var fresh = Tca305.Evaluate(Passing() with { Wue = 1.38m, Commissioned = new DateOnly(2024, 6, 1) });
        Assert.True(fresh.Requirements.Single(q => q.Requirement.Code == "wue").Passed);
        Assert.Equal(5m, fresh.Items.Single(i => i.Item.Code == "water").Score);
        Assert.False(Tca305.Evaluate(Passing() with { Wue = 1.41m, Commissioned = new DateOnly(2024, 6, 1) }).Requirements.Single(q => q.Requirement.Code == "wue").Passed);
        Assert.False(Tca305.Evaluate(Passing() with { Wue = 1.6001m }).Requirements.Single(q => q.Requirement.Code == "wue").Passed);
        Assert.True(Tca305.Evaluate(Passing() with { Wue = 1.6m }).Requirements.Single(q => q.Requirement.Code == "wue").Passed);

        Assert.Equal(5m, Tca305.Evaluate(Passing() with { Wue = 1.3999m }).Items.Single(i => i.Item.Code == "water").Score);
        var exact = Tca305.Evaluate(Passing() with { Wue = 1.4m });
        Assert.Null(exact.Items.Single(i => i.Item.Code == "water").Score);
        Assert.Contains(exact.Notes, n => n.Contains("exactly 1.4", StringComparison.Ordinal));

        foreach (var (rate, pts) in new[] { (0.65m, 2m), (0.60m, 2m), (0.50m, 1m), (0.40m, 1m), (0.35m, 0m), (0.5999m, 1m), (0.3999m, 0m) })
            Assert.Equal(pts, Tca305.ItLoadScore(rate));
    }

    /// <summary>WC-30: 17.4699 + 55 = 72.4699 → 良好级; 40 + 52 = 92 → 引领级; 30 + 50 = 80 → 优秀级 (80 inclusive); 8.4 + 51 = 59.4 →
    /// no grade. Own edges at every band: 59.9999/60/69.9999/70/79.9999/80/89.9999/90/100.</summary>
    [Theory]
    [InlineData("72.4699", "good", "良好级")]
    [InlineData("92", "leading", "引领级")]
    [InlineData("80", "excellent", "优秀级")]
    [InlineData("59.4", "none", "不达标(无等级)")]
    [InlineData("59.9999", "none", "不达标(无等级)")]
    [InlineData("60", "qualified", "达标级")]
    [InlineData("69.9999", "qualified", "达标级")]
    [InlineData("70", "good", "良好级")]
    [InlineData("79.9999", "good", "良好级")]
    [InlineData("89.9999", "excellent", "优秀级")]
    [InlineData("90", "leading", "引领级")]
    [InlineData("100", "leading", "引领级")]
    public void WC30_grade_bands(string total, string code, string zh) =>
        Assert.Equal((code, zh), Tca305.Grade(decimal.Parse(total, System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>A whole evaluation: PUE 1.30 (other, existing: limit 1.4) → 30 − 13 = 17; IT load 65 % → 2; WUE 1.2 &lt; 1.4 → 5;
    /// S_DC 0.5 → 20. Evaluator: pue_auto 2, diesel_oil a+b 1, refrigerant 3, third_party 2.5 → technology 17+2+2+5+1+3+2.5 = 32.5;
    /// total 20 + 32.5 = 52.5 → no grade; 7.5 short of 达标级: PUE score would need 24.5 > 20 (no PUE what-if), offset score 27.5 →
    /// S_DC ≥ 0.6875, and no single evaluator item has 7.5 points of headroom.</summary>
    [Fact]
    public void Whole_evaluation_with_what_ifs()
    {
        var r = Tca305.Evaluate(Passing(extra: new()
        {
            ["pue_auto"] = new ItemEntry { Score = 2m, EvidenceCount = 1 },
            ["diesel_oil"] = new ItemEntry { Checked = ["a", "b"], EvidenceCount = 1 },
            ["refrigerant"] = new ItemEntry { Checked = ["a"], EvidenceCount = 1 },
            ["third_party"] = new ItemEntry { Score = 2.5m, EvidenceCount = 1 },
        }));
        Assert.False(r.Vetoed);
        Assert.Equal(17m, r.PueScore);
        Assert.Equal(32.5m, r.TechnologyScore);
        Assert.Equal(20m, r.OffsetScore);
        Assert.Equal(52.5m, r.Total);
        Assert.Equal("none", r.GradeCode);
        Assert.DoesNotContain(r.WhatIfs, w => w.Kind == "pue");
        var off = Assert.Single(r.WhatIfs, w => w.Kind == "offset_ratio");
        Assert.Equal((0.6875m, "qualified"), (off.Value, off.TargetGrade));
        Assert.DoesNotContain(r.WhatIfs, w => w.Kind == "item");

        // With S_DC 0.7 (28 points) the total is 60.5 → 达标级; 9.5 short of 良好级: PUE score 26.5 > 20 — none; S_DC ≥ 37.5/40 =
        // 0.9375; evaluator items with ≥ 9.5 points of headroom: none.
        var q = Tca305.Evaluate(Passing(offset: 0.7m, extra: new()
        {
            ["pue_auto"] = new ItemEntry { Score = 2m, EvidenceCount = 1 },
            ["diesel_oil"] = new ItemEntry { Checked = ["a", "b"], EvidenceCount = 1 },
            ["refrigerant"] = new ItemEntry { Checked = ["a"], EvidenceCount = 1 },
            ["third_party"] = new ItemEntry { Score = 2.5m, EvidenceCount = 1 },
        }));
        Assert.Equal((60.5m, "qualified"), (q.Total, q.GradeCode));
        Assert.Equal(0.9375m, Assert.Single(q.WhatIfs, w => w.Kind == "offset_ratio").Value);

        // PUE what-if: total 69 with PUE 1.3 (17 points) needs 1 more → PUE score 18 → PUE ≤ 1.2.
        var p = Tca305.Evaluate(Passing(offset: 0.9125m, extra: new()
        {
            ["pue_auto"] = new ItemEntry { Score = 2m, EvidenceCount = 1 },
            ["diesel_oil"] = new ItemEntry { Checked = ["a", "b"], EvidenceCount = 1 },
            ["refrigerant"] = new ItemEntry { Checked = ["a"], EvidenceCount = 1 },
            ["third_party"] = new ItemEntry { Score = 2.5m, EvidenceCount = 1 },
        }));
        Assert.Equal(69m, p.Total);     // 36.5 + 32.5
        Assert.Equal(1.2m, Assert.Single(p.WhatIfs, w => w.Kind == "pue").Value);
        Assert.Contains(p.WhatIfs, w => w.Kind == "item" && w.Subject == "cooling_control");   // 0 → 3 covers the 1 point
    }

    [Fact]
    public void Requirements_need_a_declaration_with_evidence_and_any_failure_vetoes()
    {
        var none = Tca305.Evaluate(Passing() with { Entries = new Dictionary<string, ItemEntry>() });
        Assert.True(none.Vetoed);
        Assert.Equal("不合格", none.Grade);
        Assert.Equal("undeclared", none.Requirements.Single(q => q.Requirement.Code == "boundary").Status);
        Assert.Contains(none.WhatIfs, w => w.Kind == "requirement" && w.Subject == "boundary");

        var noEvidence = AllDeclared();
        noEvidence["continuity"] = new ItemEntry { Declared = true, EvidenceCount = 0 };
        var r = Tca305.Evaluate(Passing() with { Entries = noEvidence });
        Assert.Equal(("failed", false), (r.Requirements.Single(q => q.Requirement.Code == "continuity").Status, r.Requirements.Single(q => q.Requirement.Code == "continuity").Passed));
        Assert.True(r.Vetoed);

        // §6: scope 1 not covered by sinks → fails when the offset source says so; omitted when it does not.
        Assert.True(Tca305.Evaluate(Passing() with { Scope1Covered = false }).Vetoed);
        Assert.DoesNotContain(Tca305.Evaluate(Passing()).Requirements, q => q.Requirement.Code == "scope1_offset");
        // Unknown item codes and out-of-range scores are refused.
        Assert.Throws<ArgumentException>(() => Tca305.Evaluate(Passing(extra: new() { ["nonsense"] = new ItemEntry { Score = 1m } })));
        Assert.Throws<ArgumentException>(() => Tca305.Evaluate(Passing(extra: new() { ["cooling_control"] = new ItemEntry { Score = 3.5m } })));
        Assert.Throws<ArgumentException>(() => Tca305.Evaluate(Passing(extra: new() { ["diesel_oil"] = new ItemEntry { Checked = ["z"] } })));
    }

    // ---------------------------------------------------------------- T/BFIA 043

    /// <summary>WC-31: R = 1.0 → 25; 1.25 → 22.5; 1.5 → 20; 1.8 → 17; 3.6 → −1 → 0 (clamped). Own edges: 0.9 → 26 → 25; 3.5 → 0.</summary>
    [Theory]
    [InlineData("1.0", "25")]
    [InlineData("1.25", "22.5")]
    [InlineData("1.5", "20")]
    [InlineData("1.8", "17")]
    [InlineData("3.6", "0")]
    [InlineData("0.9", "25")]
    [InlineData("3.5", "0")]
    public void WC31_ratio_score(string r, string s) =>
        Assert.Equal(decimal.Parse(s, System.Globalization.CultureInfo.InvariantCulture), Bfia043.RatioScore(decimal.Parse(r, System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>WC-32: 22.5 + 18 + 35 + 12 + 9 = 96.5 → 绿色四星; 100 → 五星; 89.99 → 三星; 60 → 一星; 59.5 → 无星级. Own edges at
    /// 69.99/70/79.99/80/90/99.99/110.</summary>
    [Theory]
    [InlineData("96.5", 4, "绿色四星")]
    [InlineData("100", 5, "绿色五星")]
    [InlineData("89.99", 3, "绿色三星")]
    [InlineData("60", 1, "绿色一星")]
    [InlineData("59.5", 0, "无星级")]
    [InlineData("69.99", 1, "绿色一星")]
    [InlineData("70", 2, "绿色二星")]
    [InlineData("79.99", 2, "绿色二星")]
    [InlineData("80", 3, "绿色三星")]
    [InlineData("90", 4, "绿色四星")]
    [InlineData("99.99", 4, "绿色四星")]
    [InlineData("110", 5, "绿色五星")]
    public void WC32_star_bands(string total, int stars, string zh) =>
        Assert.Equal((stars, zh), Bfia043.Star(decimal.Parse(total, System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>A whole T/BFIA evaluation: R 1.25 → 22.5; metering structure complete → 1; documents a–f 6 × 0.5 = 3; cold source
    /// all nine sub-items 4.5 → capped 4; green review a+b 3; CUE a+b 3 (additional) → 22.5 + 1 + 3 + 4 + 3 + 3 = 36.5, no star;
    /// 23.5 short of 一星: R would need S = 46 > 25 (none), and no item has 23.5 of headroom.</summary>
    [Fact]
    public void Whole_bfia_evaluation_with_cap_and_registry_check()
    {
        var r = Bfia043.Evaluate(new Bfia043Input
        {
            Year = 2025, R = 1.25m, Metering = new MeteringCheck([], [], []),
            Entries = new Dictionary<string, ItemEntry>
            {
                ["metering_documents"] = new() { Checked = ["a", "b", "c", "d", "e", "f"], EvidenceCount = 1 },
                ["cold_source"] = new() { Checked = ["a", "b", "c", "d", "e", "f", "g", "h", "i"], EvidenceCount = 1 },
                ["green_review"] = new() { Checked = ["a", "b"], EvidenceCount = 1 },
                ["cue"] = new() { Checked = ["a", "b"], EvidenceCount = 1 },
            },
        });
        Assert.Equal(22.5m, r.RatioScore);
        Assert.Equal(4m, r.Items.Single(i => i.Item.Code == "cold_source").Score);
        Assert.Contains("capped", r.Items.Single(i => i.Item.Code == "cold_source").Detail, StringComparison.Ordinal);
        Assert.Equal(36.5m, r.Total);
        Assert.Equal((0, "无星级"), (r.Stars, r.Star));
        Assert.Equal(3m, r.Groups.Single(g => g.Zh == "附加项").Score);
        Assert.Empty(r.WhatIfs);

        var missing = Bfia043.Evaluate(new Bfia043Input { Year = 2025, R = 1.25m, Metering = new MeteringCheck(["water"], [], ["aux"]) });
        Assert.Equal(0m, missing.Items.Single(i => i.Item.Code == "metering_structure").Score);
        Assert.Contains("water", missing.Items.Single(i => i.Item.Code == "metering_structure").Detail, StringComparison.Ordinal);
    }

    // ---------------------------------------------------------------- green computing

    /// <summary>Defaults: PUE 1.3 → (1.3 − 2)/(1 − 2) × 100 = 70; WUE 1.0 → (1 − 2.5)/(0 − 2.5) × 100 = 60; REF 0.5 → 50; IT load 0.6 → 60.
    /// CUE, compute efficiency, racks absent → left out; index = (70×0.25 + 60×0.10 + 50×0.20 + 60×0.10) / 0.65 = 39.5/0.65 = 60.77.
    /// GB 40879: 1.3 → grade 2; national green (≤ 1.30) → true.</summary>
    [Fact]
    public void Green_computing_index_with_default_and_custom_weights()
    {
        var values = new Dictionary<string, decimal?> { ["pue"] = 1.3m, ["wue"] = 1.0m, ["renewable_share"] = 0.5m, ["it_load_rate"] = 0.6m };
        var r = GreenComputing.Evaluate(GreenComputing.Defaults, values);
        Assert.Equal(70m, r.Indicators.Single(i => i.Indicator.Code == "pue").Score);
        Assert.Equal(60m, r.Indicators.Single(i => i.Indicator.Code == "wue").Score);
        Assert.Equal(60.77m, r.Index);
        Assert.Equal(0.65m, r.WeightCovered);
        Assert.Equal(("2", true), (r.Gb40879Grade, r.NationalGreenPue));
        Assert.False(GreenComputing.Evaluate(GreenComputing.Defaults, new Dictionary<string, decimal?> { ["pue"] = 1.3001m }).NationalGreenPue);

        // Only PUE weighted: index = PUE score 70.
        var only = GreenComputing.WithWeights(GreenComputing.Defaults.ToDictionary(d => d.Code, d => d.Code == "pue" ? 1m : 0m));
        Assert.Equal(70m, GreenComputing.Evaluate(only, values).Index);
        Assert.Throws<ArgumentException>(() => GreenComputing.WithWeights(new Dictionary<string, decimal> { ["speed"] = 1m }));
        Assert.Throws<ArgumentException>(() => GreenComputing.WithWeights(new Dictionary<string, decimal> { ["pue"] = -1m }));
    }
}
