using ZeroPark.Domain;
using ZeroPark.Application;
using ZeroPark.Application.EnergyManagement;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.EnergyManagement;

/// <summary>Energy plans (set, list, audit), progress with the projected year-end and the decomposition of the park plan across
/// buildings, on SQLite and PostgreSQL (subclasses at the end), over <see cref="PlanTestPark"/> (daily figures in its summary).</summary>
public abstract class PlanSuite : IAsyncLifetime
{
    private const string Park = PlanTestPark.Park;

    protected ZeroParkStore Store { get; private set; } = null!;
    private EnergyPlanService Plans => new(Store);

    protected abstract string NewDatabase();

    public async Task InitializeAsync()
    {
        Store = await ZeroParkStore.OpenAsync(NewDatabase());
        await PlanTestPark.SeedAsync(Store);
    }

    public async Task DisposeAsync() => await Store.DisposeAsync();

    private static void Near(double expected, double? actual, double tolerance = 1e-6) => EnergyAssert.Near(expected, actual, tolerance);

    private Task<EnergyPlan> SetAsync(string? node, string carrier, int? month, double amount, string? unit = null, string user = "planner") =>
        Store.Plans.SetEnergyPlanAsync(Park, new PlanDraft(node, carrier, 2025, month, amount, unit), user);

    [Fact]
    public async Task Plans_are_set_replaced_listed_and_audited()
    {
        var p = await SetAsync(null, "electricity", null, 1_460_000);
        Assert.Equal((Park, true, Carrier.Electricity, 2025, (int?)null, 1_460_000.0, "kWh", "manual", "planner"),
            (p.Node, p.IsPark, p.Carrier, p.Year, p.Month, p.Amount, p.Unit, p.Basis, p.UpdatedBy));
        // 45 MWh = 45,000 kWh (units convert to the canonical unit).
        var jan = await SetAsync("b1", "electricity", 1, 45, "MWh");
        Near(45_000, jan.Amount);
        await SetAsync("b1", "water", null, 800);
        // Setting the same node, carrier, year and month again replaces the amount.
        var again = await SetAsync("b1", "electricity", 1, 44_000, user: "boss");
        Assert.Equal(jan.Id, again.Id);
        Near(44_000, again.Amount);

        var all = await Store.Plans.ListEnergyPlansAsync(Park);
        Assert.Equal(3, all.Count);
        Assert.Equal([(Park, "electricity", (int?)null), ("b1", "electricity", 1), ("b1", "water", null)],
            all.Select(x => (x.Node, Codes.Of(x.Carrier), x.Month)));
        Assert.Single(await Store.Plans.ListEnergyPlansAsync(Park, 2025, Carrier.Water));
        Assert.Equal(2, (await Store.Plans.ListEnergyPlansAsync(Park, node: "b1")).Count);
        Assert.Empty(await Store.Plans.ListEnergyPlansAsync(Park, 2024));

        var audit = (await Store.Audit.AuditLogAsync(Park)).Where(a => a.Entity == "energy_plan").ToList();
        Assert.Equal(4, audit.Count);
        var update = audit.First();   // newest first
        Assert.Equal(("update", "b1/electricity/2025-01", "boss", "45000 kWh (manual)", "44000 kWh (manual)"),
            (update.Action, update.EntityKey, update.User, update.OldValue, update.NewValue));
        Assert.Contains(audit, a => a.Action == "create" && a.EntityKey == $"{Park}/electricity/2025" && a.User == "planner");
    }

    [Theory]
    [InlineData(null, "steam", 2025, null, 1.0, null, "carrier")]
    [InlineData(null, null, 2025, null, 1.0, null, "carrier")]
    [InlineData(null, "electricity", 1999, null, 1.0, null, "year")]
    [InlineData(null, "electricity", null, null, 1.0, null, "year")]
    [InlineData(null, "electricity", 2025, 13, 1.0, null, "month")]
    [InlineData(null, "electricity", 2025, null, -1.0, null, "amount")]
    [InlineData(null, "electricity", 2025, null, null, null, "amount")]
    [InlineData(null, "water", 2025, null, 1.0, "GJ", "unit")]
    [InlineData("b1-f1", "electricity", 2025, null, 1.0, null, "node")]
    public async Task Invalid_plans_name_the_field(string? node, string? carrier, int? year, int? month, double? amount, string? unit, string field)
    {
        var ex = await Assert.ThrowsAsync<ValidationException>(() => Store.Plans.SetEnergyPlanAsync(Park, new PlanDraft(node, carrier, year, month, amount, unit)));
        Assert.Equal(field, ex.Field);
        await Assert.ThrowsAsync<NotFoundException>(() => Store.Plans.SetEnergyPlanAsync(Park, new PlanDraft("b9", "electricity", 2025, null, 1)));
        Assert.Empty(await Store.Plans.ListEnergyPlansAsync(Park));
    }

    [Fact]
    public async Task Progress_compares_months_and_projects_the_year_end_from_last_years_months()
    {
        await SetAsync("b1", "electricity", null, 480_000);
        await SetAsync("b1", "electricity", 1, 45_000);
        var p = await Plans.ProgressAsync(Park, "b1", "electricity", 2025, new DateOnly(2025, 6, 15));
        Assert.Equal(("b1", "electricity", "kWh", new DateOnly(2025, 6, 15)), (p.Node, p.Carrier, p.Unit, p.AsOf));
        Near(480_000, p.AnnualPlan);
        Assert.Equal("annual", p.AnnualPlanSource);
        Assert.Equal(12, p.Months.Count);
        // January: its own plan 45,000; actual 1,300 × 31 = 40,300 → −4,700 (−10.444 %).
        var jan = p.Months[0];
        Assert.Equal(("complete", "monthly"), (jan.Status, jan.PlanSource));
        Near(45_000, jan.Plan);
        Near(40_300, jan.Actual);
        Near(-4_700, jan.Deviation);
        Near(-4_700 / 45_000.0 * 100, jan.DeviationPct);
        // The other months share 480,000 − 45,000 = 435,000 by days (365 − 31 = 334): February 435,000 × 28 / 334.
        Near(435_000.0 * 28 / 334, p.Months[1].Plan);
        Assert.Equal("annual_by_days", p.Months[1].PlanSource);
        Near(36_400, p.Months[1].Actual);                                  // 1,300 × 28
        Near(480_000, p.Months[11].CumulativePlan);
        // June is partial: 15 days → 19,500; plan to date = 45,000 + 435,000 × (28 + 31 + 30 + 31 + 15) / 334.
        var jun = p.Months[5];
        Assert.Equal("partial", jun.Status);
        Near(19_500, jun.Actual);
        Assert.Null(jun.Deviation);
        Near(45_000 + 435_000.0 * 135 / 334, p.PlanToDate);
        // Actual to date: 1,300 × (31 + 28 + 31 + 30 + 31 + 15 = 166) = 215,800.
        Near(215_800, p.ActualToDate);
        Near(215_800 - (45_000 + 435_000.0 * 135 / 334), p.DeviationToDate);
        Near(215_800 / 480_000.0 * 100, p.ProgressPct);                    // 44.958 %
        Assert.Equal(215_800, p.Months[5].CumulativeActual!.Value, 6);
        // Projection: the rest of June = last June (1,400 × 30 = 42,000) × 15 / 30 = 21,000; July–December = last year's
        // 1,400 × 184 days = 257,600 → 215,800 + 21,000 + 257,600 = 494,400, +3 % over the plan.
        Near(21_000, jun.ProjectedRemaining);
        Assert.Equal("last_year", jun.ProjectionBasis);
        Near(43_400, p.Months[6].ProjectedRemaining);                     // July 2024: 1,400 × 31
        Assert.Null(p.Months[6].Actual);
        Near(494_400, p.ProjectedYearEnd);
        Near(3.0, p.ProjectedVsPlanPct);
        Assert.True(p.ProjectedOverPlan);
        EnergyAssert.HasNote(p.Notes, "projection: last year's same-month actuals");
    }

    [Fact]
    public async Task Without_last_years_data_the_projection_uses_the_run_rate()
    {
        // Gas is metered from 2025-01-01 only: 10 m³ a day.
        await SetAsync(null, "natural_gas", null, 3_000);
        var p = await Plans.ProgressAsync(Park, null, "natural_gas", 2025, new DateOnly(2025, 6, 15));
        Assert.Equal("m3", p.Unit);
        Near(1_660, p.ActualToDate);                                       // 10 × 166 days
        // Run rate 1,660 / 166 = 10 a day; 365 − 166 = 199 days remain → 1,660 + 1,990 = 3,650 (+21.667 % over 3,000).
        Near(150, p.Months[5].ProjectedRemaining);
        Assert.Equal("run_rate", p.Months[5].ProjectionBasis);
        Near(310, p.Months[6].ProjectedRemaining);
        Near(3_650, p.ProjectedYearEnd);
        Near(650 / 3_000.0 * 100, p.ProjectedVsPlanPct);
        EnergyAssert.HasNote(p.Notes, "projection: the run rate");
        // A node without a plan: actuals still, plan figures null, a note.
        var water = await Plans.ProgressAsync(Park, "b2", "water", 2025, new DateOnly(2025, 3, 31));
        Near(2.1 * 90, water.ActualToDate);                                // 2.1 m³ × (31 + 28 + 31)
        Assert.Null(water.AnnualPlan);
        Assert.Null(water.ProgressPct);
        EnergyAssert.HasNote(water.Notes, "plan: no water plan for 2025 under 'b2'");
        await Assert.ThrowsAsync<ValidationException>(() => Plans.ProgressAsync(Park, null, "heat", 2025, null));
    }

    [Fact]
    public async Task The_park_plan_is_decomposed_across_buildings_by_last_years_actuals()
    {
        Assert.Equal("year", (await Assert.ThrowsAsync<ValidationException>(() => Plans.DecomposeAsync(Park, "electricity", 2025, false, "planner"))).Field);
        await SetAsync(null, "electricity", null, 1_460_000);
        // 2024: b1 1,400 × 366 = 512,400; b2 512,400; b3 700 × 366 = 256,200 → shares 0.4, 0.4, 0.2 of 1,460,000.
        var preview = await Plans.DecomposeAsync(Park, "electricity", 2025, true, "planner");
        Assert.False(preview.Applied);
        Assert.Equal(["b1", "b2", "b3"], preview.Buildings.Select(b => b.Node));
        Near(512_400, preview.Buildings[0].Weight);
        Near(0.4, preview.Buildings[1].Share);
        Near(584_000, preview.Buildings[0].Plan);
        Near(292_000, preview.Buildings[2].Plan);
        Assert.Single(await Store.Plans.ListEnergyPlansAsync(Park));            // a dry run stores nothing
        var applied = await Plans.DecomposeAsync(Park, "electricity", 2025, false, "planner");
        Assert.True(applied.Applied);
        var b3 = Assert.Single(await Store.Plans.ListEnergyPlansAsync(Park, 2025, Carrier.Electricity, "b3"));
        Near(292_000, b3.Amount);
        Assert.Equal("decomposed:last_year", b3.Basis);
        // Gas has no building meters: no basis to share it, the error names the building.
        await SetAsync(null, "natural_gas", null, 3_000);
        var ex = await Assert.ThrowsAsync<ValidationException>(() => Plans.DecomposeAsync(Park, "natural_gas", 2025, false, "planner"));
        Assert.Equal("basis", ex.Field);
        Assert.Contains("building 'b1' has no natural_gas consumption in 2024", ex.Message, StringComparison.Ordinal);
        // By racks instead (b1: rack spaces b1-k1, b1-k2; b2: two it_load meters in a room; b3: one) → 2 : 2 : 1 of 3,000 m³.
        var racks = await Plans.DecomposeAsync(Park, "natural_gas", 2025, false, "planner", "racks");
        Assert.Equal([1_200.0, 1_200, 600], racks.Buildings.Select(b => b.Plan));
        Assert.Equal([2.0, 2, 1], racks.Buildings.Select(b => b.Weight));
        Assert.Equal("decomposed:racks", Assert.Single(await Store.Plans.ListEnergyPlansAsync(Park, 2025, Carrier.NaturalGas, "b2")).Basis);
        Assert.Equal("basis", (await Assert.ThrowsAsync<ValidationException>(() => Plans.DecomposeAsync(Park, "natural_gas", 2025, true, "planner", "area"))).Field);
    }

    [Fact]
    public async Task A_building_with_plans_cannot_be_deleted()
    {
        await Store.Registry.CreateSpaceAsync(Park, new SpaceDraft("b9", "empty building", null));
        await SetAsync("b9", "water", null, 10);
        await Assert.ThrowsAsync<ConflictException>(() => Store.Registry.DeleteSpaceAsync(Park, "b9"));
        Assert.Single(await Store.Plans.ListEnergyPlansAsync(Park, node: "b9"));
    }
}

public sealed class SqlitePlanTests : PlanSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

public sealed class PostgresPlanTests : PlanSuite
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL plan tests need ZEROPARK_TEST_PG; run ./scripts/test.sh (it starts a server on 127.0.0.1)")
        : TestDatabases.NewPostgresDatabase();
}
