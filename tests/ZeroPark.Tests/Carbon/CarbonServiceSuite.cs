using System.Text;
using ZeroPark.Carbon;
using ZeroPark.Domain;
using ZeroPark.Metering;
using ZeroPark.Application;
using ZeroPark.Application.Carbon;
using ZeroPark.Tests.EnergyManagement;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.CarbonAccounting;

/// <summary>
/// Carbon accounting over the store on SQLite and on a real PostgreSQL, over the hand-worked park of <see cref="EnergyTestPark"/>
/// (no province or grid region recorded, so the national MEE/NBS factor applies): the grid meter adds 130 kWh/h on 2025-01-31
/// and 140 kWh/h on 2025-02-01, i.e. 3,120 kWh in January (the Feb 1 00:00 reading closes Jan 31) and 3,360 kWh in February.
/// The 2023 national factor 0.5306 kgCO2/kWh is the latest published (open-ended), the 2023 residual proxy 0.6096.
/// </summary>
public abstract class CarbonServiceSuite : IAsyncLifetime
{
    private const string Park = "c1";
    private static readonly DateOnly Jan31 = EnergyTestPark.Jan31;
    private static readonly DateOnly Feb1 = EnergyTestPark.Feb1;

    protected ZeroParkStore Store { get; private set; } = null!;
    private CarbonService Service => new(Store);

    protected abstract string NewDatabase();

    public async Task InitializeAsync()
    {
        Store = await ZeroParkStore.OpenAsync(NewDatabase());
        await EnergyTestPark.SeedAsync(Store, Park);
    }

    public async Task DisposeAsync() => await Store.DisposeAsync();

    private async Task<ActivityImportResult> ImportAsync(string csv, string user = "alice")
    {
        var (rows, errors) = ActivityCsv.Parse(new MemoryStream(Encoding.UTF8.GetBytes(csv)));
        return await Store.Carbon.ImportActivitiesAsync(Park, rows, errors, user);
    }

    private Task<InventoryResult> InventoryAsync(AccountingMethod method = AccountingMethod.Ghgp, GwpSet gwp = GwpSet.AR6, string? node = null) =>
        Service.ComputeAsync(Park, node, Jan31, Feb1, method, gwp);

    [Fact]
    public async Task Over_long_carbon_texts_are_refused_naming_the_field_and_only_their_row()
    {
        // Line 2 is fine; line 3's note has 2,001 characters (the limit is 2,000): only line 3 is refused.
        var longNote = new string('x', 2001);
        var r = await ImportAsync($"date,source,material,amount,unit,scope3_category,note\n2025-01-31,diesel_generator,diesel,10,L,,ok\n2025-01-31,diesel_generator,diesel,20,L,,{longNote}\n");
        Assert.Equal(1, r.Accepted);
        var e = Assert.Single(r.Rejected);
        Assert.Equal(3, e.Line);
        Assert.StartsWith("note: 2001 characters; at most 2000", e.Reason);
        // An instrument's note, a setting and a factor's material are checked the same way.
        var ex = await Assert.ThrowsAsync<ValidationException>(() => Store.Carbon.AddInstrumentAsync(Park, new Instrument
        {
            Kind = InstrumentKind.Gec, QuantityKwh = 1000, CoverFrom = Jan31, CoverTo = Feb1, Note = longNote,
        }, "alice"));
        Assert.Equal("note", ex.Field);
        Assert.Equal("target_t", (await Assert.ThrowsAsync<ValidationException>(() => Store.Carbon.SetCarbonSettingAsync(Park, "target_t", new string('9', 201), "alice"))).Field);
    }

    [Fact]
    public async Task Stores_seeding_the_shipped_factors_at_once_add_each_record_once()
    {
        // Server and CLI starting on a fresh database at the same moment: each seeds the shipped library; the library's
        // write lock makes the later ones find the records instead of inserting version 1 again (a unique-key failure).
        var db = NewDatabase();
        var stores = new List<ZeroParkStore>();
        for (var i = 0; i < 3; i++) stores.Add(await ZeroParkStore.OpenAsync(db));
        try
        {
            await Task.WhenAll(stores.Select(s => Task.Run(() => s.Carbon.EnsureBuiltinFactorsAsync())));
            var factors = await stores[0].Carbon.FactorsAsync();
            Assert.Equal(ZeroPark.Application.Carbon.FactorCsv.Builtin().Count, factors.Count);
            Assert.All(factors, f => Assert.Equal(1, f.Version));
        }
        finally
        {
            foreach (var s in stores) await s.DisposeAsync();
        }
    }

    [Fact]
    public async Task Scope2_comes_from_the_grid_meter_rollups_with_the_latest_national_factor()
    {
        var r = await InventoryAsync();
        // Location-based: (3,120 + 3,360) kWh × 0.5306 / 1000 = 6,480 × 0.5306 / 1000 = 3.438288 t.
        Assert.Equal(3.438288, r.Totals.Scope2LocationT, 1e-9);
        var line = Assert.Single(r.Lines, l => l.Basis == Scope2Basis.Location);
        Assert.Equal(6_480, line.Activity, 1e-9);
        Assert.Equal("b1", line.Space);
        Assert.Contains(line.Origins, o => o.StartsWith("meter grid: 2 monthly rollups 2025-01…2025-02", StringComparison.Ordinal));
        Assert.Equal(2023, line.Factors[0].DataYear);
        Assert.Equal("MEE-NBS", line.Factors[0].Dataset);
        // Market-based without instruments: 6,480 × 0.6096 (2023 residual proxy) / 1000 = 3.950208 t.
        Assert.Equal(3.950208, r.Totals.Scope2MarketT, 1e-9);
        Assert.True(r.Complete);
    }

    [Fact]
    public async Task Activity_import_keeps_valid_rows_reports_bad_ones_and_is_idempotent_with_audited_corrections()
    {
        const string csv = """
            date,source,material,amount,unit,scope3_category,note,evidence
            2025-01-31,diesel_generator,diesel,1000,L,,test run,INV-1
            2025-02-01,refrigerant_leak,R410A,5,kg,,CRAC-3 top-up,WO-7
            2025-02-01,refrigerant_leak,R22,2,kg,,old unit,
            2025-02-01,fire_suppressant,HFC-227ea,abc,kg,,,
            2025-02-30,sf6_leak,SF6,1,kg,,,
            2025-02-01,sf6_leak,SF6,1,L,,,
            2025-02-01,teleport,diesel,1,L,,,
            2025-02-01,business_travel,air_economy,100,pkm,7,,
            """;
        var r = await ImportAsync(csv);
        Assert.Equal(3, r.Accepted);
        Assert.Equal(5, r.Rejected.Count);
        Assert.Equal([5, 6, 7, 8, 9], r.Rejected.Select(e => e.Line));
        Assert.Contains("amount: 'abc' is not a number", r.Rejected[0].Reason, StringComparison.Ordinal);
        Assert.Contains("date", r.Rejected[1].Reason, StringComparison.Ordinal);
        Assert.Contains("by mass", r.Rejected[2].Reason, StringComparison.Ordinal);
        Assert.Contains("source: unknown 'teleport'", r.Rejected[3].Reason, StringComparison.Ordinal);
        Assert.Contains("scope3_category: 7 contradicts source business_travel (category 6)", r.Rejected[4].Reason, StringComparison.Ordinal);

        // The same file again: nothing new, nothing double counted.
        var again = await ImportAsync(csv);
        Assert.Equal((0, 3, 0), (again.Accepted, again.Duplicates, again.Corrected));
        // A corrected amount is a correction, audited with the old value.
        var fix = await ImportAsync("date,source,material,amount,unit,scope3_category,note,evidence\n2025-01-31,diesel_generator,diesel,1200,L,,test run,INV-1b\n", "bob");
        Assert.Equal((0, 0, 1), (fix.Accepted, fix.Duplicates, fix.Corrected));
        var audit = await Store.Audit.AuditLogAsync(Park);
        Assert.Contains(audit, a => a.Action == "correct" && a.Entity == "activity" && a.OldValue == "1000 L" && a.NewValue == "1200 L" && a.User == "bob");

        var inv = await InventoryAsync(AccountingMethod.CnGuideline, GwpSet.SAR);
        // Diesel (China guideline): 1,200 L × 0.84 kg/L = 1,008 kg = 1.008 t × 42.652 GJ/t = 42.993216 GJ × 0.0202 × 0.98 × 44/12
        // = 42.993216 × 0.072585333 = 3.120677 t. R410A 5 kg × SAR GWP (0.5 × 650 + 0.5 × 2,800 = 1,725) / 1000 = 8.625 t.
        Assert.Equal(3.120677 + 8.625, inv.Totals.Scope1T, 1e-5);
        var diesel = inv.Lines.Single(l => l.Source == "diesel_generator");
        Assert.Contains(diesel.Origins, o => o.Contains("by alice, corrected by bob, evidence INV-1b", StringComparison.Ordinal));
        // R22 2 kg is a memo item: SAR 1,500 × 2 / 1000 = 3 t, ODS 2 × 0.055 = 0.11 kg CFC-11-eq.
        var memo = inv.Lines.Single(l => l.Scope == GhgScope.Memo);
        Assert.Equal(3, memo.Co2eTonnes, 1e-9);
        Assert.Equal(0.11, memo.OdsKgCfc11!.Value, 1e-9);
        // Business travel had no factor: the row was rejected at import (wrong category), so nothing is unresolved.
        Assert.True(inv.Complete);
    }

    [Fact]
    public async Task Saved_inventories_are_versions_a_changed_factor_makes_a_restatement_with_a_diff_and_final_versions_never_change()
    {
        var (v1, created1, diff1) = await Service.SaveAsync(Park, null, Jan31, Feb1, AccountingMethod.Ghgp, GwpSet.AR6, null, "", "alice");
        Assert.True(created1);
        Assert.Null(diff1);
        Assert.Equal(1, v1.Version);
        var final = await Store.Carbon.FinalizeInventoryAsync(Park, v1.Id, "alice");
        Assert.Equal("final", final.Status);
        await Assert.ThrowsAsync<ConflictException>(() => Store.Carbon.FinalizeInventoryAsync(Park, v1.Id, "alice"));

        // Nothing changed: no new version.
        var (same, createdSame, _) = await Service.SaveAsync(Park, null, Jan31, Feb1, AccountingMethod.Ghgp, GwpSet.AR6, null, "", "alice");
        Assert.False(createdSame);
        Assert.Equal(v1.Id, same.Id);

        // The national 2023 factor is revised to 0.5400: a new version of the same record (the old one stays).
        var old = (await Store.Carbon.FactorsAsync()).Single(f => f.Dataset == "MEE-NBS" && f.DataYear == 2023 && f.Level == FactorLevel.National);
        var added = await Store.Carbon.AddFactorsAsync([old with { Id = 0, Value = 0.5400, Note = "revised" }], "carol");
        Assert.Equal(("new_version", 2), (added[0].Outcome, added[0].Record.Version));
        Assert.Contains(await Store.Carbon.FactorsAsync(), f => f.Id == old.Id);

        await Store.Carbon.SetCarbonSettingAsync(Park, CarbonService.SettingBaseYear, "2025", "alice");
        var (v2, created2, diff) = await Service.SaveAsync(Park, null, Jan31, Feb1, AccountingMethod.Ghgp, GwpSet.AR6, null, "", "alice");
        Assert.True(created2);
        Assert.Equal(2, v2.Version);
        Assert.NotNull(diff);
        // Location-based: 6,480 × (0.5400 − 0.5306) / 1000 = 0.060912 t more; +1.7716 % of 3.438288 t, below the 5 % threshold.
        Assert.Equal(0.060912, diff!.Scope2LocationDeltaT, 1e-9);
        var change = Assert.Single(diff.Changes, c => c.Key.StartsWith("scope2 location", StringComparison.Ordinal));
        Assert.Contains($"#{old.Id} v1 0.5306 kgCO2/kWh → #{added[0].Record.Id} v2 0.54 kgCO2/kWh", change.What, StringComparison.Ordinal);
        Assert.False(diff.BaseYearRecalculation);
        Assert.Contains("below the 5 % recalculation threshold", diff.BaseYearNote, StringComparison.Ordinal);

        // The finalized version still holds what was reported.
        var (storedV1, resultV1) = await Service.LoadAsync(Park, v1.Id);
        Assert.Equal("final", storedV1.Status);
        Assert.Equal(3.438288, resultV1.Totals.Scope2LocationT, 1e-9);
        Assert.Equal(0.5306, resultV1.Lines.Single(l => l.Basis == Scope2Basis.Location).Factors[0].Value);

        // Late data: a diesel delivery recorded afterwards gives version 3; its diff names the new line. With a threshold of 1 %
        // the base year (2025) must be recalculated.
        await Store.Carbon.SetCarbonSettingAsync(Park, CarbonService.SettingThreshold, "1", "alice");
        await ImportAsync("date,source,material,amount,unit,scope3_category,note\n2025-02-01,diesel_generator,diesel,10,t,,late invoice\n");
        var (v3, _, diff3) = await Service.SaveAsync(Park, null, Jan31, Feb1, AccountingMethod.Ghgp, GwpSet.AR6, null, "late diesel invoice", "alice");
        Assert.Equal(3, v3.Version);
        Assert.Equal("late diesel invoice", v3.Reason);
        Assert.Contains(diff3!.Changes, c => c.Key.Contains("diesel_generator", StringComparison.Ordinal) && c.What.Contains("new line", StringComparison.Ordinal));
        Assert.True(diff3.BaseYearRecalculation);
        Assert.Equal(3, (await Store.Carbon.InventoriesAsync(Park)).Count);
    }

    [Fact]
    public async Task The_diff_compares_a_lines_activity_in_one_unit()
    {
        // 10 t of diesel, then 500 kg more in another unit: the lines (one per unit) are compared in the unit of the first line now
        // (kg sorts before t): 10 t = 10,000 kg → 10,000 + 500 = 10,500 kg (adding the numbers would say 10 → 510).
        await ImportAsync("date,source,material,amount,unit,scope3_category,note\n2025-01-31,diesel_generator,diesel,10,t,,invoice 1\n");
        var (v1, _, _) = await Service.SaveAsync(Park, null, Jan31, Feb1, AccountingMethod.Ghgp, GwpSet.AR6, null, "", "alice");
        await ImportAsync("date,source,material,amount,unit,scope3_category,note\n2025-02-01,diesel_generator,diesel,500,kg,,invoice 2\n");
        var (v2, created, diff) = await Service.SaveAsync(Park, null, Jan31, Feb1, AccountingMethod.Ghgp, GwpSet.AR6, null, "late invoice", "alice");
        Assert.True(created);
        var change = Assert.Single(diff!.Changes, c => c.Key.Contains("diesel_generator", StringComparison.Ordinal));
        Assert.Contains("activity 10,000 → 10,500 kg", change.What, StringComparison.Ordinal);
        // The emissions grow by the 500 kg line's CO2e: 1/20 of the 10 t line's (same factors, 0.5 t against 10 t).
        var (_, r2) = await Service.LoadAsync(Park, v2.Id);
        var diesel = r2.Lines.Where(l => l.Source == "diesel_generator").ToList();
        Assert.Equal(2, diesel.Count);
        var tonne = diesel.Single(l => l.Unit == "t");
        var kilo = diesel.Single(l => l.Unit == "kg");
        Assert.Equal(new Quantity(500, Units.Kilogram), kilo.Quantity);
        Assert.Equal(tonne.Co2e.TonnesCo2e / 20, kilo.Co2e.TonnesCo2e, 9);
        Assert.Equal(kilo.Co2e.TonnesCo2e, change.DeltaT, 9);
        Assert.NotEqual(v1.Id, v2.Id);
    }

    [Fact]
    public async Task Market_based_uses_the_parks_instruments_and_a_building_gets_its_share()
    {
        await Store.Carbon.AddInstrumentAsync(Park, new Instrument
        {
            Kind = InstrumentKind.Gec, QuantityKwh = 2_000, CoverFrom = Jan31, CoverTo = Feb1, Reference = "GEC-0001…0002",
        }, "alice");
        await Assert.ThrowsAsync<ConflictException>(() => Store.Carbon.AddInstrumentAsync(Park, new Instrument
        {
            Kind = InstrumentKind.Gec, QuantityKwh = 2_000, CoverFrom = Jan31, CoverTo = Feb1, Reference = "GEC-0001…0002",
        }, "alice"));
        var r = await InventoryAsync();
        // 2 GEC = 2,000 kWh covered; 6,480 − 2,000 = 4,480 kWh × 0.6096 / 1000 = 2.730 t (2.731008).
        Assert.Equal(2_000, r.Market.InstrumentKwh, 1e-9);
        Assert.Equal(2.731008, r.Totals.Scope2MarketT, 1e-9);
        // Building b1 holds the only grid meter: share 6,480 / 6,480 = 1, the same result.
        var b1 = await InventoryAsync(node: "b1");
        Assert.Equal(2.731008, b1.Totals.Scope2MarketT, 1e-9);
    }

    [Fact]
    public async Task Correcting_an_activity_record_is_audited_and_the_inventory_follows_the_corrected_amount()
    {
        var r = await ImportAsync("date,source,material,amount,unit,scope3_category,note,evidence\n2025-02-01,refrigerant_leak,R410A,5,kg,,CRAC-3 top-up,WO-7\n" +
                                  "2025-02-01,refrigerant_leak,R410A,1,kg,,CRAC-4 top-up,WO-8\n");
        Assert.Equal(2, r.Accepted);
        // R410A SAR GWP 0.5 × 650 + 0.5 × 2,800 = 1,725: (5 + 1) kg × 1,725 / 1000 = 10.35 t scope 1 from refrigerant.
        var before = await InventoryAsync(AccountingMethod.CnGuideline, GwpSet.SAR);
        Assert.Equal(10.35, before.Lines.Where(l => l.Source == "refrigerant_leak").Sum(l => l.Co2eTonnes), 1e-9);
        var rec = (await Store.Carbon.ActivitiesAsync(Park, Jan31, Feb1)).Single(a => a.Note == "CRAC-3 top-up");
        var (row, error) = ActivityCsv.ParseOne(new Dictionary<string, string?>
        {
            ["date"] = "2025-02-01", ["source"] = "refrigerant_leak", ["material"] = "R410A", ["amount"] = "3", ["unit"] = "kg", ["note"] = "CRAC-3 top-up", ["evidence"] = "WO-7 rev",
        });
        Assert.Null(error);
        var updated = await Store.Carbon.UpdateActivityAsync(Park, rec.Id, row!, "weighed again", "bob");
        Assert.Equal((3.0, "bob", "WO-7 rev"), (updated.Amount, updated.UpdatedBy, updated.Evidence));
        var audit = await Store.Audit.AuditLogAsync(Park);
        var entry = Assert.Single(audit, a => a.Action == "correct" && a.Entity == "activity" && a.EntityKey == $"#{rec.Id}");
        Assert.Equal(("bob", "weighed again"), (entry.User, entry.Reason));
        Assert.Equal("2025-02-01 refrigerant_leak R410A 5 kg note=CRAC-3 top-up evidence=WO-7", entry.OldValue);
        Assert.Equal("2025-02-01 refrigerant_leak R410A 3 kg note=CRAC-3 top-up evidence=WO-7 rev", entry.NewValue);
        // (3 + 1) kg × 1,725 / 1000 = 6.9 t: the inventory drops by 2 kg × 1.725 = 3.45 t.
        var after = await InventoryAsync(AccountingMethod.CnGuideline, GwpSet.SAR);
        Assert.Equal(6.9, after.Lines.Where(l => l.Source == "refrigerant_leak").Sum(l => l.Co2eTonnes), 1e-9);
        Assert.Equal(before.Totals.Scope1T - 3.45, after.Totals.Scope1T, 1e-9);

        // Made the same record as the other one: refused, nothing changed. An unknown id: not found. A bad row: the parser's reason.
        var (clash, _) = ActivityCsv.ParseOne(new Dictionary<string, string?>
        {
            ["date"] = "2025-02-01", ["source"] = "refrigerant_leak", ["material"] = "R410A", ["amount"] = "9", ["unit"] = "kg", ["note"] = "CRAC-4 top-up",
        });
        await Assert.ThrowsAsync<ConflictException>(() => Store.Carbon.UpdateActivityAsync(Park, rec.Id, clash!, "", "bob"));
        await Assert.ThrowsAsync<NotFoundException>(() => Store.Carbon.UpdateActivityAsync(Park, 999_999, clash!, "", "bob"));
        Assert.Equal(6.9, (await InventoryAsync(AccountingMethod.CnGuideline, GwpSet.SAR)).Lines.Where(l => l.Source == "refrigerant_leak").Sum(l => l.Co2eTonnes), 1e-9);
        var (_, bad) = ActivityCsv.ParseOne(new Dictionary<string, string?> { ["date"] = "2025-02-01", ["source"] = "sf6_leak", ["material"] = "SF6", ["amount"] = "1", ["unit"] = "L" });
        Assert.Contains("sf6_leak is recorded by mass", bad, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scope3_category3_follows_metered_grid_electricity_once_a_factor_exists()
    {
        Assert.Equal(0, (await InventoryAsync()).Totals.Scope3T);
        await Store.Carbon.AddFactorsAsync([new FactorRecord
        {
            Dataset = "MY", Material = "electricity_td_loss", Gas = "CO2e", Value = 0.03, Unit = "kgCO2e/kWh", ValidFrom = new DateOnly(2020, 1, 1),
        }], "carol");
        // 6,480 kWh × 0.03 kgCO2e/kWh / 1000 = 0.1944 t, category 3, ISO category 4.
        var r = await InventoryAsync();
        Assert.Equal(0.1944, r.Totals.Scope3T, 1e-9);
        var line = Assert.Single(r.Lines, l => l.Scope == GhgScope.Scope3);
        Assert.Equal((3, 4), (line.Scope3Category!.Value, line.IsoCategory));
    }

    [Fact]
    public async Task Hourly_emissions_and_cue_from_metered_energy()
    {
        var hours = await Service.SeriesAsync(Park, null, Jan31, Jan31, Granularity.Hour, AccountingMethod.Ghgp, GwpSet.AR6);
        Assert.Equal(24, hours.Count);
        // Each hour of Jan 31: 130 kWh × 0.5306 = 68.978 kg; IT 100 kWh → CUE 0.68978 kgCO2/kWh.
        Assert.All(hours, h => Assert.Equal(0.068978, h.Scope2LocationT, 1e-9));
        Assert.All(hours, h => Assert.Equal(0.68978, h.CueKgPerKwh!.Value, 1e-9));
        var days = await Service.SeriesAsync(Park, null, Jan31, Feb1, Granularity.Day, AccountingMethod.Ghgp, GwpSet.AR6);
        // Feb 1: 3,360 × 0.5306 / 1000 = 1.782816 t over 2,400 kWh IT → 0.74284.
        Assert.Equal(1.782816, days[1].TotalT, 1e-9);
        Assert.Equal(0.74284, days[1].CueKgPerKwh!.Value, 1e-9);
    }

    [Fact]
    public async Task Analysis_gives_statistics_intensity_sensitivity_and_regression()
    {
        var a = await new CarbonAnalysisService(Store).AnalyseAsync(Park, null, Jan31, Feb1, AccountingMethod.Ghgp, GwpSet.AR6, null);
        var s = Assert.Single(a.Statistics);
        Assert.Equal("purchased_electricity", s.Key);
        // Jan (Jan 31 only): 3,120 × 0.5306 / 1000 = 1.655472 t; Feb: 1.782816 t.
        Assert.Equal(1.655472, s.MinT, 1e-9);
        Assert.Equal(1.782816, s.MaxT, 1e-9);
        Assert.Equal(100, s.SharePct, 1e-9);
        // Per IT kWh: 3.438288 t / 4,800 kWh = 0.716310 kg/kWh; per rack: 3.438288 / 9 racks in use.
        Assert.Equal(3.438288 * 1000 / 4_800, a.Intensity.Single(i => i.Metric == "per_it_kwh").Value!.Value, 1e-9);
        Assert.Equal(3.438288 / 9, a.Intensity.Single(i => i.Metric == "per_rack").Value!.Value, 1e-9);
        Assert.Null(a.Intensity.Single(i => i.Metric == "per_pflops").Value);
        // ±10 % of the only line moves the total by 0.3438288 t = 10 %.
        Assert.Equal(0.3438288, a.Sensitivity[0].EffectT, 1e-9);
        // Two days only: no regression (needs 3), and the notes say so.
        Assert.Null(a.Regression);
        Assert.Contains(a.Notes, n => n.StartsWith("regression: fewer than 3 days", StringComparison.Ordinal));
    }
}

public sealed class SqliteCarbonServiceTests : CarbonServiceSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

public sealed class PostgresCarbonServiceTests : CarbonServiceSuite
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL carbon tests need ZEROPARK_TEST_PG; run ./scripts/test.sh (it starts a server on 127.0.0.1)")
        : TestDatabases.NewPostgresDatabase();
}
