using System.Text;
using ZeroPark.Application.SupplyChain;
using ZeroPark.Carbon;
using ZeroPark.Governance;
using ZeroPark.SupplyChain;

namespace ZeroPark.Tests.SupplyChain;

/// <summary>The pure parts: functional unit normalisation, stages, library grades, the LCA model and its sensitivity, PACT v2
/// JSON, supplier grading and personal action points — each with hand-worked figures.</summary>
public sealed class FootprintTests
{
    private static readonly DateOnly Today = new(2026, 12, 6);

    [Theory]
    [InlineData("t", 2100, "t", 2100)]
    [InlineData("吨", 2100, "t", 2100)]
    [InlineData("1000 kg", 250, "kg", 0.25)]      // 250 ÷ 1,000
    [InlineData("per 100 kWh", 62.05, "kWh", 0.6205)]  // 62.05 ÷ 100
    [InlineData("台", 1150, "item", 1150)]
    public void Functional_units_normalise_through_the_unit_table(string fu, double value, string unit, double per)
    {
        var (u, v) = Footprints.NormaliseUnit(fu, value);
        Assert.Equal(unit, u.Symbol);
        Assert.Equal(per, v, 12);
    }

    [Fact]
    public void A_power_unit_or_unknown_unit_is_refused_naming_the_field()
    {
        Assert.StartsWith("functional_unit: unknown unit 'kW'", Assert.Throws<CarbonException>(() => Footprints.NormaliseUnit("kW", 1)).Message);
        Assert.StartsWith("functional_unit: unknown unit 'm2'", Assert.Throws<CarbonException>(() => Footprints.NormaliseUnit("m2", 1)).Message);
    }

    [Fact]
    public void Stage_amounts_must_add_up_to_the_footprint()
    {
        var problems = new List<string>();
        var ok = Footprints.ParseStages("raw_materials=240;production=45;transport=15", 300, problems);
        Assert.Empty(problems);
        Assert.Equal(3, ok.Count);
        Assert.Equal("cradle-to-gate", Footprints.BoundaryOf(ok));
        Footprints.ParseStages("raw_materials=240;production=45", 300, problems);   // 285 ≠ 300
        Assert.Contains(problems, p => p.Contains("add up to 285", StringComparison.Ordinal));
    }

    [Fact]
    public void Library_grades_follow_source_verification_and_validity()
    {
        Footprint F(Verification v, FootprintDataSource s, DateOnly? to = null, params LifecycleStage[] stages) => new()
        {
            Product = "p", Supplier = "s", Unit = "t", KgCo2ePerUnit = 1, ValidFrom = new DateOnly(2024, 1, 1), ValidTo = to, Verification = v, DataSource = s,
            Stages = stages.Select(x => new StageAmount(x, null)).ToList(), Verifier = "CQC",
        };
        var gate = new[] { LifecycleStage.RawMaterials, LifecycleStage.Production };
        Assert.Equal("A", Footprints.Grade(F(Verification.ThirdParty, FootprintDataSource.Supplier, null, gate), Today).Grade);
        Assert.Equal("B", Footprints.Grade(F(Verification.SelfDeclared, FootprintDataSource.Supplier, null, gate), Today).Grade);
        Assert.Equal("B", Footprints.Grade(F(Verification.ThirdParty, FootprintDataSource.Supplier, null, LifecycleStage.Production), Today).Grade);
        Assert.Equal("C", Footprints.Grade(F(Verification.ThirdParty, FootprintDataSource.Database, null, gate), Today).Grade);
        Assert.Equal("D", Footprints.Grade(F(Verification.ThirdParty, FootprintDataSource.Supplier, new DateOnly(2025, 12, 31), gate), Today).Grade);
    }

    private static LcaModel Ups() => new(1, "item",
    [
        // One 500 kVA UPS cabinet: 800 kg steel × 2.1 kgCO2e/kg = 1,680; 0.12 t copper × 4,500 kgCO2e/t = 540;
        // assembly 1,500 kWh × 0.5366 = 804.9; transport 1.2 t × 800 km = 960 tkm × 0.05 = 48. Σ = 3,072.9 kgCO2e per item.
        new(LifecycleStage.RawMaterials, "steel", 800, "kg", 2.1, "kg"),
        new(LifecycleStage.RawMaterials, "copper", 0.12, "t", 4500, "t"),
        new(LifecycleStage.Production, "assembly electricity", 1500, "kWh", 0.5366, "kWh"),
        new(LifecycleStage.Transport, "road freight", 960, "tkm", 0.05, "tkm"),
    ]);

    [Fact]
    public void The_stage_by_stage_model_is_quantities_times_factors()
    {
        var r = LcaCalculator.Compute(Ups());
        Assert.Equal(3072.9, r.KgPerUnit, 9);
        Assert.Equal("item", r.Unit);
        Assert.Equal(2220, r.Stages.Single(s => s.Stage == LifecycleStage.RawMaterials).KgPerUnit, 9);   // 1,680 + 540
        Assert.Equal(804.9 / 3072.9, r.Stages.Single(s => s.Stage == LifecycleStage.Production).Share, 9);
        // Two units out of the same inputs halve the footprint.
        Assert.Equal(1536.45, LcaCalculator.Compute(Ups() with { Output = 2 }).KgPerUnit, 9);
    }

    [Fact]
    public void Sensitivity_ranks_the_inputs_by_their_effect()
    {
        var s = LcaCalculator.Sensitivities(Ups(), 10);
        // Steel carries the most: ±10 % of 1,680 = ±168 → 2,904.9 … 3,240.9; elasticity 1,680 / 3,072.9 = 0.546715…
        Assert.Equal("steel", s[0].Name);
        Assert.Equal(2904.9, s[0].KgLow, 9);
        Assert.Equal(3240.9, s[0].KgHigh, 9);
        Assert.Equal(1680 / 3072.9, s[0].Elasticity, 9);
        Assert.Equal("road freight", s[^1].Name);
    }

    [Fact]
    public void A_footprint_csv_keeps_good_rows_and_names_the_bad_ones()
    {
        var csv = """
            product,supplier,functional_unit,kgco2e_per_unit,stages,verified
            server_r740,华为技术,台,1150,raw_materials;production,true
            ready_mix_c30,北京建工,m3,abc,,false
            rebar,首钢,1000 kg,2300,raw_materials;production,maybe
            """;
        var (rows, errors) = FootprintFiles.Parse(new MemoryStream(Encoding.UTF8.GetBytes(csv)), Today);
        Assert.Equal("server_r740", Assert.Single(rows).Footprint.Product);
        Assert.Equal(2, errors.Count);
        Assert.Equal(3, errors[0].Line);
        Assert.StartsWith("kgco2e_per_unit: 'abc'", errors[0].Reason);
        Assert.Equal(4, errors[1].Line);
        Assert.Contains("verified: 'maybe'", errors[1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_xlsx_footprint_workbook_is_read_like_the_csv()
    {
        var sheet = new ZeroPark.Application.Export.XlsxSheet("footprints", ["product", "supplier", "functional_unit", "kgco2e_per_unit", "stages", "verified", "valid_from"],
        [
            ["ups_500kva", "科华数据", "台", 7200.0, "raw_materials=5600;production=1300;transport=300", "true", "2024-06-01"],
            ["rebar", "首钢", "1000 kg", "x", "", "true", ""],
        ]);
        var (rows, errors) = FootprintFiles.Parse(new MemoryStream(ZeroPark.Application.Export.XlsxWriter.ToBytes(sheet)), Today);
        var f = Assert.Single(rows).Footprint;
        Assert.Equal(("ups_500kva", "item", 7200.0, new DateOnly(2024, 6, 1)), (f.Product, f.Unit, f.KgCo2ePerUnit, f.ValidFrom));
        Assert.Equal(3, f.Stages.Count);
        Assert.Equal(3, Assert.Single(errors).Line);   // the sheet's row 3
    }

    [Fact]
    public void The_weighted_grade_crosses_a_threshold()
    {
        var answers = new Dictionary<string, double>
        {
            // 15×100 + 15×66.67 + 15×80 + 10×100 + 20×0 + 10×50 + 15×80 (0.28: (0.28−1)/(0.1−1) = 0.8) over 100 = 15+10+12+10+0+5+12 = 64.
            ["env_compliance"] = 1, ["clean_production"] = 2, ["waste_recycling"] = 80, ["ems_iso14001"] = 1, ["verified_footprints"] = 0, ["sbti"] = 1, ["scope12_intensity"] = 0.28,
        };
        var g = SupplierGrading.Grade(SupplierGrading.DefaultIndicators, answers, new GradeThresholds());
        Assert.Equal(64, g.Score, 6);
        Assert.Equal("合格", g.Grade);
        answers["verified_footprints"] = 1;   // + 20 → 84
        Assert.Equal("良好", SupplierGrading.Grade(SupplierGrading.DefaultIndicators, answers, new GradeThresholds()).Grade);
        Assert.Equal("优秀", SupplierGrading.Grade(SupplierGrading.DefaultIndicators, answers, new GradeThresholds(Excellent: 84)).Grade);
        answers.Remove("env_compliance");     // no answer = 0 points: 84 − 15 = 69 → 合格
        var missing = SupplierGrading.Grade(SupplierGrading.DefaultIndicators, answers, new GradeThresholds());
        Assert.Equal(69, missing.Score, 6);
        Assert.Equal("合格", missing.Grade);
        Assert.Equal("差", SupplierGrading.GradeOf(59.99, new GradeThresholds()));
    }

    [Fact]
    public void Personal_actions_score_with_documented_factors()
    {
        // Car 0.08 L/km × 0.73 kg/L × 3.07 kgCO2/kg = 0.179288; metro 0.1 kWh × 0.5366 = 0.05366; avoided 0.125628 kg/km.
        var (kg, points) = PersonalActions.Score(PersonalActions.Get("transit_commute"), 12);
        Assert.Equal(1.507536, kg, 9);   // 12 × 0.125628
        Assert.Equal(15, points);        // ⌊15.07536⌋
        Assert.Equal(14, PersonalActions.Score(PersonalActions.Get("cycling"), 8).Points);          // 8 × 0.179288 = 1.434304 → 14
        Assert.Equal(4, PersonalActions.Score(PersonalActions.Get("paper_saved"), 100).Points);     // 100 × 0.0049896 = 0.49896 → 4
        Assert.Throws<ArgumentException>(() => PersonalActions.Score(PersonalActions.Get("cycling"), 61));
    }
}
