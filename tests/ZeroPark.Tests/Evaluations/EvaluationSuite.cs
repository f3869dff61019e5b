using System.Text;
using ZeroPark.Application;
using ZeroPark.Application.EnergyManagement;
using ZeroPark.Application.Evaluations;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.Evaluations;

/// <summary>The evaluations over the park's data (<see cref="EvalTestPark"/>: PUE 1.3, WUE 1.2, IT load 0.6 in 2025), with evidence,
/// saving, history and the offset-ratio source, on SQLite and PostgreSQL (subclasses at the end).</summary>
public abstract class EvaluationSuite : IAsyncLifetime
{
    private const string Park = EvalTestPark.Park;
    protected ZeroParkStore Store { get; private set; } = null!;

    protected abstract string NewDatabase();

    public async Task InitializeAsync()
    {
        Store = await ZeroParkStore.OpenAsync(NewDatabase());
        await EvalTestPark.CreateAsync(Store);
    }

    public async Task DisposeAsync() => await Store.DisposeAsync();

    private EvaluationService Service(IOffsetRatioSource? source = null) => new(Store, new EnergyService(Store), source ?? new NoOffsetRatioSource());

    private sealed class FixedSource(decimal ratio, bool? scope1) : IOffsetRatioSource
    {
        public Task<OffsetRatioFact?> OffsetRatioAsync(string parkCode, DateOnly from, DateOnly to, CancellationToken ct = default) =>
            Task.FromResult<OffsetRatioFact?>(from.Year == 2025 ? new OffsetRatioFact(ratio, scope1, "neutrality", ["test ledger"]) : null);
    }

    private static readonly string[] Declared = ["boundary", "operating", "scope", "construction_compliance", "environment_compliance", "carbon_system",
        "zero_carbon_plan", "continuity", "pue_local"];

    private async Task<EvaluationInputs> DeclareAllAsync(int year)
    {
        foreach (var code in Declared.Append("offset_ratio"))
            await Store.Evaluations.AddEvidenceAsync(Park, "tca305", year, code, $"{code}.pdf", "application/pdf", Encoding.UTF8.GetBytes("evidence " + code), "auditor");
        var items = Declared.ToDictionary(c => c, _ => new ItemInput { Declared = true });
        items["zero_carbon_plan"] = new ItemInput { Declared = true, Note = "2030 年实现运营零碳" };
        // Evaluator items: 2 + 3 + 3 + 2 + 2 + 3 = 15.
        items["pue_auto"] = new ItemInput { Score = 2 };
        items["refrigerant"] = new ItemInput { Checked = ["a"] };
        items["cooling_control"] = new ItemInput { Score = 3 };
        items["capacity"] = new ItemInput { Score = 2 };
        items["ai_tuning"] = new ItemInput { Score = 2 };
        items["third_party"] = new ItemInput { Score = 3 };
        return new EvaluationInputs { Items = items, DeclaredOffsetRatio = 0.5m };
    }

    [Fact]
    public async Task Tca305_from_the_parks_data_vetoes_until_the_requirements_are_declared()
    {
        var v = await Service().Tca305Async(Park, 2025);
        // PUE = 78/60 = 1.3 ≤ 1.35 (cold, in operation since 2020) → 30 − 13 = 17; IT load 60/100 → 2; WUE 72/60 = 1.2 < 1.4 → 5.
        Assert.Equal(1.3m, Math.Round(v.Pue!.Value, 9));
        Assert.Equal((1.35m, 1.6m, "existing", "cold"), (v.PueLimit, v.WueLimit, v.Age, v.ClimateZone));
        Assert.Equal(17m, Math.Round(v.PueScore, 9));
        Assert.Equal(1.2m, Math.Round(v.Wue!.Value, 9));
        Assert.Equal(0.6m, Math.Round(v.ItLoadRate!.Value, 9));
        Assert.Equal(2m, v.Items.Single(i => i.Code == "it_load").Score);
        Assert.Equal(5m, v.Items.Single(i => i.Code == "water").Score);
        Assert.True(v.Constraints.Single(c => c.Name == "pue").Passed);
        Assert.True(v.Constraints.Single(c => c.Name == "wue").Passed);
        // Nothing declared, no offset ratio: 不合格.
        Assert.False(v.Constraints.Single(c => c.Name == "offset_ratio").Passed);
        Assert.Equal("undeclared", v.Constraints.Single(c => c.Name == "boundary").Status);
        Assert.True(v.Vetoed);
        Assert.Equal("不合格", v.Grade);
    }

    [Fact]
    public async Task Tca305_declared_saved_compared_year_over_year()
    {
        var inputs = await DeclareAllAsync(2025);
        var s = Service();
        var v = await s.Tca305Async(Park, 2025, inputs);
        // Offset 0.5 declared with evidence → 20; technology 17 + 2 + 5 + 15 = 39; total 59 → below 60, no grade.
        Assert.False(v.Vetoed);
        Assert.Equal(("declared", 0.5m, 20m), (v.OffsetSource, v.OffsetRatio, v.OffsetScore));
        Assert.Equal(39m, Math.Round(v.TechnologyScore, 9));
        Assert.Equal(59m, Math.Round(v.Total, 9));
        Assert.Equal("不达标(无等级)", v.Grade);
        // 1 point short of 达标级: PUE score 18 → PUE ≤ 1.2; S_DC ≥ 21/40 = 0.525.
        Assert.Equal(1.2m, v.WhatIf.Single(w => w.Kind == "pue").Value);
        Assert.Equal(0.525m, v.WhatIf.Single(w => w.Kind == "offset_ratio").Value);
        Assert.Equal(7m, v.Groups.Single(g => g.Name == "基础设施管理").Score);   // cooling_control 3 + capacity 2 + ai_tuning 2 of 11
        Assert.Single(v.Constraints.Single(c => c.Name == "boundary").Evidence);

        var saved = (Tca305View)await s.SaveAsync(Park, "tca305", 2025, inputs, "张三", "auditor");
        Assert.Equal(("张三", 59m), (saved.Evaluator, Math.Round(saved.Total, 9)));
        // The saved inputs are used when none are given.
        Assert.Equal(59m, Math.Round((await s.Tca305Async(Park, 2025)).Total, 9));

        // 2024: no readings (no PUE → fails, 0 points), no evidence for 2024 (declarations fail, the declared ratio is ignored):
        // total = the 15 evaluator points; 不合格.
        var y24 = (Tca305View)await s.SaveAsync(Park, "tca305", 2024, inputs, "李四", "auditor");
        Assert.True(y24.Vetoed);
        Assert.Equal(15m, y24.Total);
        Assert.Contains(y24.Notes, n => n.Contains("without evidence", StringComparison.Ordinal));

        var h = await s.HistoryAsync(Park, "tca305");
        Assert.Equal([2024, 2025], h.Select(r => r.Year));
        Assert.Equal([15.0, 59.0], h.Select(r => Math.Round(r.Total!.Value, 9)));
        Assert.Equal(["不合格", "不达标(无等级)"], h.Select(r => r.Grade));
        Assert.Null(h[0].TotalChange);
        Assert.Equal(44.0, h[1].TotalChange!.Value, 9);
        Assert.Equal(1.3m, Math.Round(h[1].KeyFigure!.Value, 9));
        Assert.Equal(5, h[1].Groups.Count);   // offsets + the four groups of 附录C

        var audit = (await Store.Audit.AuditLogAsync(Park)).Where(a => a.Entity.StartsWith("evaluation", StringComparison.Ordinal)).ToList();
        Assert.Contains(audit, a => a.Entity == "evaluation" && a.EntityKey == "tca305/2025" && a.User == "auditor");
        Assert.Contains(audit, a => a.Entity == "evaluation_evidence" && a.EntityKey == "tca305/2025/boundary");
    }

    [Fact]
    public async Task Tca305_takes_the_offset_ratio_from_the_neutrality_source()
    {
        var inputs = await DeclareAllAsync(2025);
        // The ledger's 0.6 wins over the declared 0.5: 0.6 × 40 = 24; scope 1 not covered → the §6 requirement fails.
        var v = await Service(new FixedSource(0.6m, true)).Tca305Async(Park, 2025, inputs);
        Assert.Equal(("neutrality", 0.6m, 24m), (v.OffsetSource, v.OffsetRatio, v.OffsetScore));
        Assert.True(v.Constraints.Single(c => c.Name == "scope1_offset").Passed);
        Assert.Equal(63m, Math.Round(v.Total, 9));   // 24 + 39
        Assert.Equal("达标级", v.Grade);
        var bad = await Service(new FixedSource(0.6m, false)).Tca305Async(Park, 2025, inputs);
        Assert.True(bad.Vetoed);
    }

    [Fact]
    public async Task Tca305_takes_S_DC_from_the_neutrality_ledger()
    {
        // 100 t CCER retired for 2025: 附表F coefficient 2 → 200 t weighted; the park has no scope 1 (no fuel), so S_DC = 200 / C_yw,
        // C_yw being the location-based emissions of the year's 683,280 kWh that the neutrality report states.
        await Store.Neutrality.AddInstrumentAsync(Park, new ZeroPark.Application.Neutrality.LedgerDraft
        {
            Kind = ZeroPark.Neutrality.OffsetKind.Ccer, Quantity = 100, Claim = new ZeroPark.Application.Neutrality.ClaimDraft(null, new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 31)),
        }, "alice");
        var neutrality = new ZeroPark.Application.Neutrality.NeutralityService(Store, new ZeroPark.Application.Carbon.CarbonService(Store));
        var report = await neutrality.ComputeAsync(Park, new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 31));
        Assert.True(report.EmissionsT > 0);
        var inputs = await DeclareAllAsync(2025);
        var v = await Service(new NeutralityOffsetRatioSource(neutrality)).Tca305Async(Park, 2025, inputs);
        Assert.Equal("neutrality", v.OffsetSource);
        Assert.Equal(200 / report.EmissionsT, (double)v.OffsetRatio!.Value, 9);
        Assert.Equal(Math.Min(40, 200 / report.EmissionsT * 40), (double)v.OffsetScore, 9);
        Assert.True(v.Constraints.Single(c => c.Name == "scope1_offset").Passed);
        // 2024 has no claims: the ledger answers "unknown" and the declared ratio (no 2024 evidence) does not count either.
        var y24 = await Service(new NeutralityOffsetRatioSource(neutrality)).Tca305Async(Park, 2024, inputs);
        Assert.Null(y24.OffsetRatio);
    }

    [Fact]
    public async Task Bfia043_scores_R_and_checks_the_registry()
    {
        var s = Service();
        var v = await s.Bfia043Async(Park, 2025, new EvaluationInputs
        {
            Items = new() { ["metering_documents"] = new ItemInput { Checked = ["a", "b", "c"] }, ["cold_source"] = new ItemInput { Checked = ["a", "b", "c", "d", "e", "f", "g", "h", "i"] } },
        });
        // R = 1.3 → 35 − 13 = 22; metering structure complete → 1; documents 3 × 0.5 = 1.5; cold source 4.5 → 4: total 28.5.
        Assert.Equal(1.3m, Math.Round(v.R!.Value, 9));
        Assert.Equal(22m, Math.Round(v.RatioScore, 9));
        Assert.Equal(1m, v.Items.Single(i => i.Code == "metering_structure").Score);
        Assert.Equal("registry", v.Items.Single(i => i.Code == "metering_structure").Source);
        Assert.Equal(28.5m, Math.Round(v.Total, 9));
        Assert.Equal(("无星级", "2"), (v.Star, v.Gb40879Grade));
        Assert.Equal(3, v.Choices.Count);

        // Without the UPS meter the 分级 check fails.
        await Store.Registry.DeleteMeterAsync(Park, "ups");
        var m = await s.MeteringCheckAsync(Park);
        Assert.False(m.Passed);
        Assert.Contains("UPS (power.ups)", m.MissingLevels);
    }

    [Fact]
    public async Task Green_computing_indicators_and_eu_kpis()
    {
        // Compute capacity 39 TFLOPS over the average facility power 78 kW = 0.5 TFLOPS/kW → 50 of 100.
        var v = await Service().GreenComputingAsync(Park, 2025, new EvaluationInputs { ComputeCapacityTflops = 39m });
        var eff = v.Indicators.Single(i => i.Code == "compute_efficiency");
        Assert.Equal(0.5m, Math.Round(eff.Value!.Value, 9));
        Assert.Equal(50m, eff.Score);
        Assert.Equal(80m, v.Indicators.Single(i => i.Code == "rack_utilisation").Score);   // 8/10
        Assert.Equal(("2", true), (v.Gb40879Grade, v.NationalGreenPue));
        // EU 2024/1364: E_DC = 78 × 8,760 = 683,280 kWh; E_IT = 60 × 8,760 = 525,600 kWh; W_IN = 0.072 × 8,760 = 630.72 m³.
        Assert.Equal(683_280, v.Eu.EDcKwh!.Value, 6);
        Assert.Equal(525_600, v.Eu.EItKwh!.Value, 6);
        Assert.Equal(630.72, v.Eu.WInM3!.Value, 6);
        Assert.Equal(100, v.Eu.PdItKw);
        await Assert.ThrowsAsync<ValidationException>(() => Service().GreenComputingAsync(Park, 2025, new EvaluationInputs { Weights = new() { ["speed"] = 1 } }));
    }

    [Fact]
    public async Task Evidence_is_stored_listed_and_refused_when_bad()
    {
        var bytes = Encoding.UTF8.GetBytes("third-party PUE test report");
        var e = await Store.Evaluations.AddEvidenceAsync(Park, "bfia043", 2025, "metering_documents", "dir/report.pdf", "application/pdf", bytes, "auditor");
        Assert.Equal(("report.pdf", (long)bytes.Length), (e.FileName, e.Size));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), e.Sha256);
        var list = await Store.Evaluations.ListEvidenceAsync(Park, "bfia043", 2025);
        Assert.Equal("metering_documents", Assert.Single(list).Item);
        var (file, content) = await Store.Evaluations.GetEvidenceAsync(Park, e.Id);
        Assert.Equal(bytes, content);
        Assert.Equal("application/pdf", file.ContentType);
        Assert.Equal("file", (await Assert.ThrowsAsync<ValidationException>(() => Store.Evaluations.AddEvidenceAsync(Park, "bfia043", 2025, "x", "a.pdf", null, [], "u"))).Field);
        Assert.Equal("standard", (await Assert.ThrowsAsync<ValidationException>(() => Store.Evaluations.AddEvidenceAsync(Park, "leed", 2025, "x", "a.pdf", null, [1], "u"))).Field);
        await Assert.ThrowsAsync<NotFoundException>(() => Store.Evaluations.GetEvidenceAsync(Park, e.Id + 1000));
        // The evidence makes the evaluator's entry count as evidenced.
        var v = await Service().Bfia043Async(Park, 2025, new EvaluationInputs { Items = new() { ["metering_documents"] = new ItemInput { Checked = ["a"] } } });
        Assert.Single(v.Items.Single(i => i.Code == "metering_documents").Evidence);
        Assert.Null(v.Items.Single(i => i.Code == "metering_documents").Detail);
    }

    [Fact]
    public async Task Park_attributes_update_changes_the_limits()
    {
        // Commissioned 2023-06-01 → within three years at the end of 2025 (cold: PUE 1.25) → PUE 1.3 fails.
        var p = await Store.Registry.GetParkAsync(Park);
        await Store.Registry.UpdateParkAsync(Park, new ParkDraft(Park, p.Name) { ClimateZone = "cold", CommissioningDate = new DateOnly(2023, 6, 1), DesignItKw = 100, RacksTotal = 10, RacksInUse = 8 });
        var v = await Service().Tca305Async(Park, 2025);
        Assert.Equal(("new", 1.25m, 1.4m), (v.Age, v.PueLimit, v.WueLimit));
        Assert.False(v.Constraints.Single(c => c.Name == "pue").Passed);
        Assert.Equal(0m, v.PueScore);
    }
}

public sealed class SqliteEvaluationTests : EvaluationSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

public sealed class PostgresEvaluationTests : EvaluationSuite
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL evaluation tests need ZEROPARK_TEST_PG; run ./scripts/test.sh (it starts a server on 127.0.0.1)")
        : TestDatabases.NewPostgresDatabase();
}
