using ZeroPark.Domain;
using ZeroPark.Application;
using ZeroPark.Application.EnergyManagement;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.EnergyManagement;

/// <summary>Comprehensive assessment (rankings, energy saved, anomalies) and the device dimension (top-N, warnings, per-rack IT
/// energy, cooling by equipment type, power losses by device type, master/sub-meter balance) on SQLite and PostgreSQL, over
/// <see cref="PlanTestPark"/> (daily figures in its summary). June 2025 has 30 days.</summary>
public abstract class AnalysisSuite : IAsyncLifetime
{
    private const string Park = PlanTestPark.Park;
    private static readonly DateOnly Jun1 = new(2025, 6, 1);
    private static readonly DateOnly Jun30 = new(2025, 6, 30);

    protected ZeroParkStore Store { get; private set; } = null!;
    private DeviceAnalysisService Devices => new(Store);

    protected abstract string NewDatabase();

    public async Task InitializeAsync()
    {
        Store = await ZeroParkStore.OpenAsync(NewDatabase());
        await PlanTestPark.SeedAsync(Store);
    }

    public async Task DisposeAsync() => await Store.DisposeAsync();

    private static void Near(double expected, double? actual, double tolerance = 1e-6) => EnergyAssert.Near(expected, actual, tolerance);

    [Fact]
    public async Task Assessment_ranks_buildings_and_reports_energy_saved_vs_plan_and_last_year()
    {
        await Store.Plans.SetEnergyPlanAsync(Park, new PlanDraft(null, "electricity", 2025, null, 1_460_000));
        await new EnergyPlanService(Store).DecomposeAsync(Park, "electricity", 2025, false, "tester");   // b1, b2 584,000; b3 292,000
        var a = await new AssessmentService(Store).AssessAsync(Park, 2025, new DateOnly(2025, 6, 30));
        Assert.Equal((new DateOnly(2025, 1, 1), new DateOnly(2025, 6, 30)), (a.From, a.AsOf));
        Assert.Equal(["b1", "b2", "b3"], a.Nodes.Select(b => b.Node));
        var (b1, b2, b3) = (a.Nodes[0], a.Nodes[1], a.Nodes[2]);
        // 181 days (Jan 1 – Jun 30). b1: 1,300 × 181 = 235,300 kWh; IT 1,000 × 181 → PUE 1.3; water 2 × 181 = 362 m³ → WUE 362,000 L / 181,000 = 2.
        Near(235_300, b1.Energy?.KilowattHours);
        Near(1.3, b1.Pue);
        Near(362, b1.Water?.CubicMetres);
        Near(2.0, b1.Wue);
        // Two rack spaces in use → 117,650 kWh per rack.
        Assert.Equal(2, b1.RacksInUse);
        Near(117_650, b1.IntensityKwhPerRack);
        // Plan 584,000 shared by days (no monthly plans): to date 584,000 × 181 / 365 = 289,600 → saved 54,300 (18.75 %).
        Near(584_000, b1.AnnualPlan?.KilowattHours);
        Near(289_600, b1.PlanToDate?.KilowattHours);
        Near(54_300, b1.SavedVsPlan?.KilowattHours);
        Near(18.75, b1.SavedVsPlanPct);
        // Last year, same dates (2024 is a leap year: 182 days): 1,400 × 182 = 254,800 → saved 19,500.
        Near(254_800, b1.LastYear?.KilowattHours);
        Near(19_500, b1.SavedVsLastYear?.KilowattHours);
        // Carbon saved at the factor an inventory would use on 2025-06-30 (no province recorded: the 2023 national MEE/NBS factor
        // 0.5306 kgCO2/kWh): 54,300 × 0.5306 / 1000 = 28.81158 t vs plan; 19,500 × 0.5306 / 1000 = 10.3467 t vs last year.
        Near(28.81158, b1.CarbonSavedVsPlanT);
        Near(10.3467, b1.CarbonSavedVsLastYearT);
        Assert.StartsWith("0.5306 kgCO2/kWh, MEE-NBS 2023", b1.CarbonFactor, StringComparison.Ordinal);
        // b2: 1,400 × 150 + 1,800 × 31 (May) = 265,800 → PUE 1.468508; WUE 2.1; two meters in a room = two racks → 132,900;
        // saved 289,600 − 265,800 = 23,800; vs last year 254,800 − 265,800 = −11,000.
        Near(265_800, b2.Energy?.KilowattHours);
        Near(265_800 / 181_000.0, b2.Pue);
        Near(2.1, b2.Wue);
        Near(132_900, b2.IntensityKwhPerRack);
        Near(23_800, b2.SavedVsPlan?.KilowattHours);
        Near(-11_000, b2.SavedVsLastYear?.KilowattHours);
        // b3: 676 × 181 = 122,356; IT 520 × 181 = 94,120 → PUE 1.3; WUE 181,000 L / 94,120 = 1.923077; one rack → 122,356;
        // plan 292,000 × 181 / 365 = 144,800 → saved 22,444 (15.5 %); last year 700 × 182 = 127,400 → saved 5,044.
        Near(122_356, b3.Energy?.KilowattHours);
        Near(181_000 / 94_120.0, b3.Wue);
        Assert.Equal(1, b3.RacksInUse);
        Near(144_800, b3.PlanToDate?.KilowattHours);
        Near(15.5, b3.SavedVsPlanPct);
        Near(5_044, b3.SavedVsLastYear?.KilowattHours);
        // Ranks (1 = best, ties share): PUE b1 = b3 = 1.3 → 1, 1, 3; WUE b3 < b1 < b2; intensity b1 < b3 < b2; saved vs plan % b1 > b3 > b2.
        Assert.Equal([1, 3, 1], a.Nodes.Select(b => b.RankPue!.Value));
        Assert.Equal([2, 3, 1], a.Nodes.Select(b => b.RankWue!.Value));
        Assert.Equal([1, 3, 2], a.Nodes.Select(b => b.RankIntensity!.Value));
        Assert.Equal([1, 3, 2], a.Nodes.Select(b => b.RankPlan!.Value));
    }

    [Fact]
    public async Task Parks_are_ranked_against_each_other()
    {
        await EnergyTestPark.SeedAsync(Store, "e1");
        var a = await new AssessmentService(Store).AssessParksAsync(2025, new DateOnly(2025, 6, 30));
        Assert.Equal(("park", (string?)null), (a.Level, a.Park));
        Assert.Equal(["e1", Park], a.Nodes.Select(n => n.Node));
        var (e1, p1) = (a.Nodes[0], a.Nodes[1]);
        // e1 (EnergyTestPark): E_DC 3,240 + 3,480 = 6,720; IT 2 × 2,400 = 4,800 → PUE 1.4; water 0.15 × 48 = 7.2 m³ → WUE 1.5;
        // its two PDUs sit in a room: 2 racks → 3,360 kWh per rack.
        Near(6_720, e1.Energy?.KilowattHours);
        Near(1.4, e1.Pue);
        Near(1.5, e1.Wue);
        Near(3_360, e1.IntensityKwhPerRack);
        // p1: E_DC 235,300 + 265,800 + 122,356 = 623,456; IT 181,000 + 181,000 + 94,120 = 456,120 → PUE 1.366887;
        // water (2 + 2.1 + 1) × 181 = 923.1 m³ → WUE 923,100 / 456,120 = 2.023810; 5 racks → 124,691.2 kWh per rack.
        Near(623_456, p1.Energy?.KilowattHours);
        Near(623_456 / 456_120.0, p1.Pue);
        Near(923_100 / 456_120.0, p1.Wue);
        Near(124_691.2, p1.IntensityKwhPerRack);
        Assert.Equal([(2, 1, 1), (1, 2, 2)], a.Nodes.Select(n => (n.RankPue!.Value, n.RankWue!.Value, n.RankIntensity!.Value)));
        // Park level: p1's May PUE (1,300 + 1,800 + 676) / 2,520 = 1.498413 is 9.17 % above the mean of its previous 12 months
        // (8 × 3,500 / 2,520 and 4 × 3,376 / 2,520): under 10 %; two parks are too few for a peer median.
        Assert.Empty(a.Anomalies);
    }

    [Fact]
    public async Task Anomalies_flag_a_month_that_deviates_from_its_own_history_and_from_its_peers()
    {
        var a = await new AssessmentService(Store).AssessAsync(Park, 2025, new DateOnly(2025, 6, 30));
        // b2's May PUE is 1,800 / 1,000 = 1.8. Own history: the 12 months May 2024 – April 2025 are all 1.4 (σ 0, so only the %
        // test applies): +28.571 %. Peers: the median of {1.3, 1.8, 1.3} is 1.3: +38.462 %. Nothing else deviates by 10 %:
        // b1's January 1.3 vs 1.4 is −7.1 %, b2's 1.4 vs the median 1.3 is +7.7 %, WUE 2.1 vs the median 2.0 is +5 %.
        Assert.Equal(2, a.Anomalies.Count);
        var own = a.Anomalies.Single(x => x.Basis == "own_history");
        Assert.Equal(("b2", "2025-05", "pue", 12), (own.Node, own.Month, own.Kpi, own.Samples));
        Near(1.8, own.Value);
        Near(1.4, own.Reference);
        Near((1.8 - 1.4) / 1.4 * 100, own.DeviationPct);
        Near(0, own.StdDev);
        Assert.Null(own.Z);
        Assert.Contains("above its mean 1.4 over the 12 previous month(s)", own.Reason, StringComparison.Ordinal);
        var peer = a.Anomalies.Single(x => x.Basis == "peers");
        Assert.Equal(("b2", "2025-05", 3), (peer.Node, peer.Month, peer.Samples));
        Near(1.3, peer.Reference);
        Near(0.5 / 1.3 * 100, peer.DeviationPct);
        // Configurable: at 30 % the own-history test no longer fires, the peer test (10 %) still does.
        var strict = await new AssessmentService(Store).AssessAsync(Park, 2025, new DateOnly(2025, 6, 30), new AnomalyOptions(DeviationPct: 30));
        Assert.Equal("peers", Assert.Single(strict.Anomalies).Basis);
        Assert.Equal("history_months", (await Assert.ThrowsAsync<ValidationException>(() =>
            new AssessmentService(Store).AssessAsync(Park, 2025, null, new AnomalyOptions(HistoryMonths: 1)))).Field);
    }

    [Fact]
    public async Task Top_meters_are_ranked_per_group_with_their_share()
    {
        // June: b1_it1 600 × 30 = 18,000; b3_it1 15,600; b2_it1 = b2_it2 = 15,000 (ties by code); b1_it2 12,000; chiller 9,000; pump 1,500;
        // virtual UPS loss 50 × 30 = 1,500; transformer loss 30 × 30 = 900 → all summable meters 88,500. Facility and check meters are not ranked.
        var top = await Devices.TopAsync(Park, null, null, Carrier.Electricity, Jun1, Jun30, 3, null);
        Assert.Equal(["b1_it1", "b3_it1", "b2_it1"], top.Select(t => t.Energy.Meter));
        Assert.Equal([1, 2, 3], top.Select(t => t.Rank));
        Near(18_000, top[0].Energy.Value);
        Near(18_000 / 88_500.0 * 100, top[0].SharePct);
        Assert.Equal(("b1-k1", "b1", "PDU"), (top[0].Energy.Space, top[0].Energy.Building, top[0].Energy.Device));
        var cooling = await Devices.TopAsync(Park, "b1", "cooling", Carrier.Electricity, Jun1, Jun30, 10, "system");
        Assert.Equal([("cooling.chiller", "b1_chiller", 1), ("cooling.primary_pump", "b1_pump", 1)], cooling.Select(c => (c.Group, c.Energy.Meter, c.Rank)));
        Near(100, cooling[0].SharePct);
        Assert.Equal("n", (await Assert.ThrowsAsync<ValidationException>(() => Devices.TopAsync(Park, null, null, Carrier.Electricity, Jun1, Jun30, 0, null))).Field);
        Assert.Equal("system", (await Assert.ThrowsAsync<ValidationException>(() => Devices.TopAsync(Park, null, "cooling.nope", Carrier.Electricity, Jun1, Jun30, 5, null))).Field);
    }

    [Fact]
    public async Task High_consumption_warnings_compare_with_the_meters_own_trailing_baseline()
    {
        // June: the chiller runs 300 kWh/day against 200 in the 28 days before (May 4–31): +50 %, excess (300 − 200) × 30 = 3,000 kWh.
        var w = Assert.Single(await Devices.WarningsAsync(Park, null, null, Carrier.Electricity, Jun1, Jun30, 28, 20));
        Assert.Equal("b1_chiller", w.Energy.Meter);
        Near(9_000, w.Energy.Value);
        Near(300, w.PeriodPerDay);
        Near(200, w.BaselinePerDay);
        Assert.Equal((new DateOnly(2025, 5, 4), new DateOnly(2025, 5, 31), 28, 30), (w.BaselineFrom, w.BaselineTo, w.BaselineDays, w.PeriodDays));
        Near(50, w.ExcessPct);
        Near(3_000, w.Excess);
        Assert.Contains("50 % above its baseline 200 kWh/day", w.Reason, StringComparison.Ordinal);
        // May: b2's incoming line 1,800/day vs 1,400 in April 3–30: +28.571 % (any role is checked).
        var may = Assert.Single(await Devices.WarningsAsync(Park, null, null, Carrier.Electricity, new DateOnly(2025, 5, 1), new DateOnly(2025, 5, 31), 28, 20));
        Assert.Equal("b2_in", may.Energy.Meter);
        Near(400 / 14.0, may.ExcessPct);
        Assert.Empty(await Devices.WarningsAsync(Park, null, null, Carrier.Electricity, Jun1, Jun30, 28, 60));
    }

    [Fact]
    public async Task It_energy_per_rack_per_month_and_iso_week()
    {
        var month = await Devices.RacksAsync(Park, null, Jun1, Jun30, AnalysisBucketing.Month);
        // Rack spaces b1-k1, b1-k2; b2's and b3's it_load meters sit in rooms, so each meter is a rack.
        Assert.Equal(["b1-k1", "b1-k2", "b2_it1", "b2_it2", "b3_it1"], month.Select(r => r.Rack));
        Assert.Equal(["space", "space", "meter", "meter", "meter"], month.Select(r => r.Kind));
        Assert.Equal([18_000.0, 12_000, 15_000, 15_000, 15_600], month.Select(r => r.ItKwh!.Value));   // 30 × 600, 400, 500, 500, 520
        Assert.Equal(("b1-r1", "b1"), (month[0].Room, month[0].Building));
        // ISO weeks cut by the range: June 1 (a Sunday) alone, June 2–8, June 9–14 → 600, 4,200, 3,600 for b1-k1.
        var weeks = (await Devices.RacksAsync(Park, "b1", Jun1, new DateOnly(2025, 6, 14), AnalysisBucketing.Week)).Where(r => r.Rack == "b1-k1").ToList();
        Assert.Equal([600.0, 4_200, 3_600], weeks.Select(r => r.ItKwh!.Value));
        Assert.Equal(new DateTimeOffset(2025, 6, 2, 0, 0, 0, TimeSpan.FromHours(8)), weeks[1].Start);
        Assert.Equal(new DateTimeOffset(2025, 6, 9, 0, 0, 0, TimeSpan.FromHours(8)), weeks[1].End);
        Assert.Equal(1, weeks[0].Completeness);
    }

    [Fact]
    public async Task Cooling_by_equipment_type_and_power_losses_by_device_type()
    {
        // June cooling: chillers 9,000 (85.714 %), primary pumps 1,500 (14.286 %).
        var cooling = await Devices.EquipmentAsync(Park, null, "cooling", Jun1, Jun30, AnalysisBucketing.Total);
        Assert.Equal([("cooling.chiller", 1, 9_000.0), ("cooling.primary_pump", 2, 1_500.0)], cooling.Types.Select(t => (t.Type, t.Rank!.Value, t.Kwh!.Value)));
        Near(9_000 / 10_500.0 * 100, cooling.Types[0].SharePct);
        Assert.Equal("冷水机组", cooling.Types[0].NameZh);
        Assert.Equal(("cooling.chiller", "b1_chiller", 1), (cooling.Devices[0].Group, cooling.Devices[0].Energy.Meter, cooling.Devices[0].Rank));
        // Daily ranking: one row per type and day.
        Assert.Equal(60, (await Devices.EquipmentAsync(Park, null, "cooling", Jun1, Jun30, AnalysisBucketing.Day)).Types.Count);
        // Power losses: b1_ups_in − b1_ups_out = 50/day → UPS 1,500; b1_in − b1_tx = 30/day → transformer 900 (classed by the meter it subtracts).
        var power = await Devices.EquipmentAsync(Park, "b1", "power", Jun1, Jun30, AnalysisBucketing.Month);
        Assert.Equal([("transformer", 2, 900.0), ("ups", 1, 1_500.0)], power.Types.Select(t => (t.Type, t.Rank!.Value, t.Kwh!.Value)));
        Near(62.5, power.Types[1].SharePct);
        Assert.Equal(["b1_tx_loss", "b1_ups_loss"], power.Devices.Select(d => d.Energy.Meter));
        Assert.Equal("system", (await Assert.ThrowsAsync<ValidationException>(() => Devices.EquipmentAsync(Park, null, "aux", Jun1, Jun30, AnalysisBucketing.Total))).Field);
    }

    [Fact]
    public async Task Master_and_sub_meter_balance_is_flagged_above_the_tolerance()
    {
        // June: master b1_in 1,300 × 30 = 39,000; sub b1_tx 1,270 × 30 = 38,100 → 900 kWh, 900 / 39,000 = 2.307692 % > 2 %.
        var b = await Devices.BalanceAsync(Park, "b1_in", "b1_tx", Jun1, Jun30, AnalysisBucketing.Month, 2);
        var row = Assert.Single(b.Rows);
        Near(39_000, row.MasterKwh);
        Near(38_100, row.SubKwh);
        Near(900, row.ImbalanceKwh);
        Near(900 / 39_000.0 * 100, row.ImbalancePct);
        Assert.True(row.Flagged);
        EnergyAssert.HasNote(row.Notes, "more than the tolerance 2 %");
        Assert.False(Assert.Single((await Devices.BalanceAsync(Park, "b1_in", "b1_tx", Jun1, Jun30, AnalysisBucketing.Total, 3)).Rows).Flagged);
        // A formula on either side: the UPS output against its input leaves 50 of 1,050 per day (4.761905 %).
        var ups = Assert.Single((await Devices.BalanceAsync(Park, "b1_ups_in", "b1_ups_out", Jun1, Jun1, AnalysisBucketing.Day, 5)).Rows);
        Near(50 / 1050.0 * 100, ups.ImbalancePct);
        Assert.False(ups.Flagged);
        // After the data ends: nothing to compare, and a note says which meter is missing.
        var july = Assert.Single((await Devices.BalanceAsync(Park, "b1_in", "b1_tx", new DateOnly(2025, 7, 1), new DateOnly(2025, 7, 1), AnalysisBucketing.Day, 2)).Rows);
        Assert.Null(july.ImbalanceKwh);
        EnergyAssert.HasNote(july.Notes, "b1_in: no readings in this period");
        Assert.Equal("master", (await Assert.ThrowsAsync<ValidationException>(() => Devices.BalanceAsync(Park, "b1_in +", "b1_tx", Jun1, Jun30, AnalysisBucketing.Total, 2))).Field);
        Assert.Equal("sub", (await Assert.ThrowsAsync<ValidationException>(() => Devices.BalanceAsync(Park, "b1_in", "nope", Jun1, Jun30, AnalysisBucketing.Total, 2))).Field);
        Assert.Equal("sub", (await Assert.ThrowsAsync<ValidationException>(() => Devices.BalanceAsync(Park, "b1_in", "b1_water", Jun1, Jun30, AnalysisBucketing.Total, 2))).Field);
    }

    [Fact]
    public async Task Stored_balance_groups_are_checked_each_with_its_own_tolerance()
    {
        await Store.BalanceGroups.SetBalanceGroupAsync(Park, new BalanceGroupDraft("b1-ups", "b1_ups_in", "b1_ups_out", Name: "UPS"), "alice");   // default tolerance 2 %
        await Store.BalanceGroups.SetBalanceGroupAsync(Park, new BalanceGroupDraft("b1-tx", "b1_in", "b1_tx", 2.5), "alice");
        var groups = await Store.BalanceGroups.ListBalanceGroupsAsync(Park);
        Assert.Equal([("b1-tx", 2.5, "alice"), ("b1-ups", 2.0, "alice")], groups.Select(g => (g.Code, g.TolerancePct, g.UpdatedBy)));
        // June: transformer 900 / 39,000 = 2.307692 % ≤ 2.5 → not flagged; UPS (1,050 − 1,000) × 30 = 1,500 / 31,500 = 4.761905 % > 2 → flagged.
        var reports = await Devices.BalanceChecksAsync(Park, null, null, null, null, Jun1, Jun30, AnalysisBucketing.Month, default);
        Assert.Equal(["b1-tx", "b1-ups"], reports.Select(r => r.Group));
        Assert.False(reports[0].Rows.Single().Flagged);
        Near(900 / 39_000.0 * 100, reports[0].Rows.Single().ImbalancePct);
        Assert.True(reports[1].Rows.Single().Flagged);
        Near(1_500, reports[1].Rows.Single().ImbalanceKwh);
        Assert.Equal("UPS", reports[1].Name);
        Assert.Equal("b1-ups", Assert.Single(await Devices.BalanceChecksAsync(Park, null, null, "b1-ups", null, Jun1, Jun30, AnalysisBucketing.Total, default)).Group);
        await Assert.ThrowsAsync<NotFoundException>(() => Devices.BalanceChecksAsync(Park, null, null, "nope", null, Jun1, Jun30, AnalysisBucketing.Total, default));
        Assert.Equal("sub", (await Assert.ThrowsAsync<ValidationException>(() =>
            Devices.BalanceChecksAsync(Park, "b1_in", null, null, null, Jun1, Jun30, AnalysisBucketing.Total, default))).Field);
        // Replacing a group is audited with the old and new definition; bad formulas name the field.
        await Store.BalanceGroups.SetBalanceGroupAsync(Park, new BalanceGroupDraft("b1-tx", "b1_in", "b1_tx", 3), "bob");
        var audit = (await Store.Audit.AuditLogAsync(Park)).First(a => a.Entity == "balance_group");
        Assert.Equal(("update", "b1-tx", "bob", "b1_in vs b1_tx (tolerance 2.5 %)", "b1_in vs b1_tx (tolerance 3 %)"),
            (audit.Action, audit.EntityKey, audit.User, audit.OldValue, audit.NewValue));
        Assert.Equal("master", (await Assert.ThrowsAsync<ValidationException>(() => Store.BalanceGroups.SetBalanceGroupAsync(Park, new BalanceGroupDraft("x", "b1_in -", "b1_tx")))).Field);
        Assert.Equal("code", (await Assert.ThrowsAsync<ValidationException>(() => Store.BalanceGroups.SetBalanceGroupAsync(Park, new BalanceGroupDraft("a b", "b1_in", "b1_tx")))).Field);
    }
}

public sealed class SqliteAnalysisTests : AnalysisSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

public sealed class PostgresAnalysisTests : AnalysisSuite
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL analysis tests need ZEROPARK_TEST_PG; run ./scripts/test.sh (it starts a server on 127.0.0.1)")
        : TestDatabases.NewPostgresDatabase();
}
