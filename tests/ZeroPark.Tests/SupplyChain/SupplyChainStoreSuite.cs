using System.Text;
using ZeroPark.Application;
using ZeroPark.Application.Governance;
using ZeroPark.Application.SupplyChain;
using ZeroPark.Carbon;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.SupplyChain;

/// <summary>Supplier grades (re-graded when a footprint or an answer changes, with history), supplier tokens, low-carbon
/// activities and personal carbon accounts over the store, on SQLite and PostgreSQL, with hand-worked figures.</summary>
public abstract class SupplyChainStoreSuite : IAsyncLifetime
{
    private const string Park = "g1";
    protected ZeroParkStore Store { get; private set; } = null!;

    protected abstract string NewDatabase();

    public async Task InitializeAsync()
    {
        Store = await ZeroParkStore.OpenAsync(NewDatabase());
        await Store.Registry.CreateParkAsync(new ParkDraft(Park, "G1", "Asia/Shanghai") { Province = "北京", GridRegion = "华北" }, "test");
    }

    public async Task DisposeAsync() => await Store.DisposeAsync();

    private async Task ImportFootprintsAsync(string csv)
    {
        var (rows, errors) = FootprintFiles.Parse(new MemoryStream(Encoding.UTF8.GetBytes(csv)), await Store.SupplyChain.TodayAsync(Park));
        Assert.Empty(errors);
        await Store.SupplyChain.ImportFootprintsAsync(Park, rows, errors, "alice");
    }

    [Fact]
    public async Task A_verified_footprint_lifts_a_supplier_across_a_grade_threshold_with_history()
    {
        await Store.SupplyChain.AddSupplierAsync(Park, "科华数据", "张工", "alice");
        // 15 + 10 + 12 + 10 + 0 (no footprints) + 5 + 12 = 64 → 合格 (see FootprintTests for the arithmetic).
        var g = await Store.SupplyChain.SetAnswersAsync(Park, "科华数据", new Dictionary<string, double>
        {
            ["env_compliance"] = 1, ["clean_production"] = 2, ["waste_recycling"] = 80, ["ems_iso14001"] = 1, ["sbti"] = 1, ["scope12_intensity"] = 0.28,
        }, "import", "alice");
        Assert.Equal(64, g.Score, 6);
        Assert.Equal("合格", g.Grade);
        // A third-party verified footprint: 1 of 1 verified → +20 → 84 → 良好, re-graded automatically.
        await ImportFootprintsAsync("product,supplier,functional_unit,kgco2e_per_unit,stages,verified\nups_500kva,科华数据,item,7200,raw_materials;production,true\n");
        var now = Assert.Single(await Store.SupplyChain.GradesAsync(Park));
        Assert.Equal(84, now.Score, 6);
        Assert.Equal("良好", now.Grade);
        Assert.Equal("footprint library changed", now.Reason);
        // An unverified one halves the share: 0.5 × 20 = 10 → 74, still 良好.
        await ImportFootprintsAsync("product,supplier,functional_unit,kgco2e_per_unit,stages,verified\nbattery_cabinet,科华数据,item,3100,raw_materials;production,false\n");
        var history = await Store.SupplyChain.GradeHistoryAsync(Park, "科华数据");
        Assert.Equal(new[] { 74.0, 84.0, 64.0 }, history.Select(h => Math.Round(h.Score, 6)).ToArray());
        // Raising 优秀 to 74 (park-defined thresholds) re-grades: 74 ≥ 74 → 优秀.
        await Store.SupplyChain.SetThresholdsAsync(Park, new ZeroPark.SupplyChain.GradeThresholds(74, 70, 60), "alice");
        Assert.Equal("优秀", Assert.Single(await Store.SupplyChain.GradesAsync(Park)).Grade);
        // The footprint itself feeds the factor source of the park, as a supplier-level record.
        var factors = await Store.SupplyChain.ParkFactorsAsync(Park, default);
        Assert.Contains(factors, f => f.Material == "ups_500kva" && f.Level == FactorLevel.Supplier && f.Region == "科华数据" && f.Value == 7200 && f.Unit == "kgCO2e/item");
    }

    [Fact]
    public async Task A_supplier_token_is_stored_hashed_and_finds_only_its_supplier()
    {
        await Store.SupplyChain.AddSupplierAsync(Park, "A", "", "alice");
        await Store.SupplyChain.AddSupplierAsync(Park, "B", "", "alice");
        var token = await Store.SupplyChain.IssueTokenAsync(Park, "A", "alice");
        Assert.Equal((Park, "A"), await Store.SupplyChain.SupplierByTokenAsync(token));
        Assert.Null(await Store.SupplyChain.SupplierByTokenAsync(token + "x"));
        await using var c = await Store.OpenConnectionAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT token_hash FROM supply_suppliers WHERE name = 'A'";
        var stored = (string)(await cmd.ExecuteScalarAsync())!;
        Assert.NotEqual(token, stored);
        Assert.Equal(SupplyChainStore.HashToken(token), stored);
        // A new link invalidates the old one.
        var second = await Store.SupplyChain.IssueTokenAsync(Park, "A", "alice");
        Assert.Null(await Store.SupplyChain.SupplierByTokenAsync(token));
        Assert.NotNull(await Store.SupplyChain.SupplierByTokenAsync(second));
    }

    [Fact]
    public async Task Personal_accounts_add_points_limit_one_report_of_a_kind_a_day_and_rank()
    {
        await Store.Governance.SetUnitAsync(Park, new OrgUnit("esg", "ESG 委员会", null), "alice");
        await Store.Governance.SetPersonAsync(Park, new Person("p1", "王磊", "esg", "运维工程师", "", ["pue"], false), "alice");
        await Store.Governance.SetPersonAsync(Park, new Person("p2", "李娜", "esg", "能源经理", "", ["cue", "neutrality_rate"], false), "alice");
        await Store.Governance.SetRewardsAsync(Park, new ZeroPark.Governance.RewardThresholds(30, 100, 200), "alice");
        // p1: transit 12 km → 15 points, cycling 8 km → 14, paper 100 sheets → 4: 33 points, 1.507536 + 1.434304 + 0.49896 = 3.4408 kg.
        Assert.Equal(15, (await Store.Governance.ReportAsync(Park, "p1", null, "transit_commute", 12)).Points);
        await Store.Governance.ReportAsync(Park, "p1", null, "cycling", 8);
        await Store.Governance.ReportAsync(Park, "p1", null, "paper_saved", 100);
        var dup = await Assert.ThrowsAsync<ConflictException>(() => Store.Governance.ReportAsync(Park, "p1", null, "transit_commute", 5));
        Assert.Contains("one report of a kind per day", dup.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ValidationException>(() => Store.Governance.ReportAsync(Park, "p1", null, "walking", 31));
        // p2: cycling 5 km → 0.89644 kg → 8 points.
        Assert.Equal(8, (await Store.Governance.ReportAsync(Park, "p2", null, "cycling", 5)).Points);
        var a = await Store.Governance.AccountAsync(Park, "p1");
        Assert.Equal(33, a.Points);
        Assert.Equal(3.4408, a.KgAvoided, 9);
        Assert.Equal("bronze", a.Reward);   // 33 ≥ 30
        Assert.Equal(100, a.NextRewardAt);
        Assert.Equal(1, a.Rank);
        // 李娜 is accountable for cue and neutrality_rate: the neutrality module's targets of those kinds are shown with her.
        var target = await Store.Neutrality.SetTargetAsync(Park, "cue", "year", 0.35, "2025-01", null, "", "alice");
        var targets = await Store.Governance.AccountableTargetsAsync(Park);
        Assert.Equal($"cue: 0.35 per year from 2025-01 (target #{target.Id})", Assert.Single(targets["p2"]));
        Assert.Empty(targets["p1"]);
        var board = await Store.Governance.LeaderboardAsync(Park);
        Assert.Equal(new[] { "p1", "p2" }, board.Select(b => b.Person).ToArray());
        Assert.Equal(2, board[1].Rank);
    }

    [Fact]
    public async Task A_low_carbon_activity_has_its_own_emissions_from_its_activity_data()
    {
        await Store.Carbon.AddFactorsAsync([new FactorRecord { Dataset = "T", Material = "rail_travel", Gas = "CO2e", Value = 0.04, Unit = "kgCO2e/pkm", ValidFrom = new DateOnly(2020, 1, 1) }], "alice");
        var id = await Store.Governance.AddEventAsync(Park, new EventDraft(new DateOnly(2026, 4, 12), "tree_planting", "植树节活动", 40,
            [new EventLine("business_travel", "rail_travel", 1200, "pkm"), new EventLine("purchased_electricity", "electricity", 300, "kWh")],
            "碳汇林 0.5 t", "SINK-2026-001", 0.5, "种植 200 棵树"), "alice");
        var e = Assert.Single(await Store.Governance.EventsAsync(Park));
        Assert.Equal(id, e.Id);
        // Rail 1,200 pkm × 0.04 = 48 kg; electricity 300 kWh × 0.6361 (MEE-NBS 2023 华北, the park's grid region, open-ended) =
        // 190.83 kg; 238.83 kg = 0.23883 t. Neutralised 0.5 t ≥ that: net 0.
        Assert.Equal(0.23883, e.EmissionsT, 9);
        Assert.Equal(0, e.NetT, 9);
        Assert.Empty(e.Unresolved);
        Assert.Contains(e.Trace, t => t.Contains("1,200 pkm × 0.04 kgCO2e/pkm = 48 kgCO2e", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_activitys_neutralisation_links_to_retired_claims_of_the_neutrality_ledger_once()
    {
        await Store.Carbon.AddFactorsAsync([new FactorRecord { Dataset = "T", Material = "rail_travel", Gas = "CO2e", Value = 0.04, Unit = "kgCO2e/pkm", ValidFrom = new DateOnly(2020, 1, 1) }], "alice");
        var sink = await Store.Neutrality.AddInstrumentAsync(Park, new ZeroPark.Application.Neutrality.LedgerDraft
        {
            Kind = ZeroPark.Neutrality.OffsetKind.Sink, Quantity = 1, Project = "园区碳汇林", Reference = "SINK-1",
            Claim = new ZeroPark.Application.Neutrality.ClaimDraft(null, new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31), 0.4),
        }, "alice");
        var claim = Assert.Single((await Store.Neutrality.InstrumentAsync(Park, sink.Id)).Claims);
        EventDraft Draft(string refs, double neutralised = 0) => new(new DateOnly(2026, 4, 12), "tree_planting", "植树", 10,
            [new EventLine("business_travel", "rail_travel", 1200, "pkm")], "碳汇林", refs, neutralised, "");
        // Rail 1,200 pkm × 0.04 = 48 kg = 0.048 t; the claim retired 0.4 t: neutralised 0.4 (from the ledger), net 0.
        var id = await Store.Governance.AddEventAsync(Park, Draft($"claim:{claim.Id}"), "alice");
        var e = Assert.Single(await Store.Governance.EventsAsync(Park));
        Assert.Equal(id, e.Id);
        Assert.Equal(0.048, e.EmissionsT, 9);
        Assert.Equal(0.4, e.Draft.NeutralisedT, 9);
        Assert.Equal(0, e.NetT, 9);
        Assert.StartsWith($"claim:{claim.Id} sink #{sink.Id}", Assert.Single(e.LinkedClaims));
        // The same claim again is refused; more than the claim retired is refused; an unknown claim is refused.
        await Assert.ThrowsAsync<ConflictException>(() => Store.Governance.AddEventAsync(Park, Draft($"claim:{claim.Id}"), "alice"));
        await Assert.ThrowsAsync<ValidationException>(() => Store.Governance.AddEventAsync(Park, Draft($"claim:{claim.Id}", 0.5), "alice"));
        await Assert.ThrowsAsync<ValidationException>(() => Store.Governance.AddEventAsync(Park, Draft("claim:999999"), "alice"));
    }
}

public sealed class SqliteSupplyChainStoreTests : SupplyChainStoreSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

public sealed class PostgresSupplyChainStoreTests : SupplyChainStoreSuite
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL supply chain tests need ZEROPARK_TEST_PG; run ./scripts/test.sh")
        : TestDatabases.NewPostgresDatabase();
}
