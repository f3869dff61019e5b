using System.Text;
using ZeroPark.Application;
using ZeroPark.Application.Carbon;
using ZeroPark.Application.Neutrality;
using ZeroPark.Carbon;
using ZeroPark.Neutrality;
using ZeroPark.Tests.EnergyManagement;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.NeutralityModule;

/// <summary>
/// The instruments ledger and the neutrality service on SQLite and on a real PostgreSQL, over the hand-worked park of
/// <see cref="EnergyTestPark"/> (code c1): grid 3,120 kWh on 2025-01-31 and 3,360 kWh on 2025-02-01 (6,480 kWh), no province, so the
/// 2023 national MEE/NBS factor 0.5306 kgCO2/kWh applies (location-based scope 2 = 6,480 × 0.5306 / 1000 = 3.438288 t; residual 0.6096);
/// the PV meter (renewable_onsite) adds 5 kWh every hour of both days = 240 kWh. Every guard of the ledger has its test here.
/// </summary>
public abstract class NeutralityStoreSuite : IAsyncLifetime
{
    private const string Park = "c1";
    private const string Other = "p2";
    private static readonly DateOnly Jan31 = EnergyTestPark.Jan31;
    private static readonly DateOnly Feb1 = EnergyTestPark.Feb1;

    protected ZeroParkStore Store { get; private set; } = null!;
    private NeutralityService Service => new(Store, new CarbonService(Store));

    protected abstract string NewDatabase();

    public async Task InitializeAsync()
    {
        Store = await ZeroParkStore.OpenAsync(NewDatabase());
        await EnergyTestPark.SeedAsync(Store, Park);
        await Store.Registry.CreateParkAsync(new ParkDraft(Other, "Other park"));
    }

    public async Task DisposeAsync() => await Store.DisposeAsync();

    private static LedgerDraft Gec(double mwh, string? from = null, string? to = null, ClaimDraft? claim = null, DateOnly? expires = null) =>
        new() { Kind = OffsetKind.Gec, Quantity = mwh, SerialFrom = from, SerialTo = to, Claim = claim, Expires = expires };

    private Task<LedgerImportResult> ImportAsync(string park, string csv)
    {
        var (rows, errors) = LedgerCsv.Parse(new MemoryStream(Encoding.UTF8.GetBytes(csv)));
        return Store.Neutrality.ImportAsync(park, rows, errors, "alice");
    }

    [Fact]
    public async Task WC23_market_based_scope2_takes_the_ledgers_certificates_and_green_power()
    {
        // WC-23: grid 11,400,000 kWh (12,000,000 − 600,000 self-consumed PV); green power 2,400 MWh (bundled GECs) + 3,000 unbundled GECs
        // = 5,400,000 kWh of instruments; uncovered 6,000,000 kWh × 0.5856 (residual proxy 2022) = 3,513.6 t; LB = 11,400,000 × 0.5366 = 6,117.24 t.
        var year = new ClaimDraft(null, new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 31));
        await Store.Neutrality.AddInstrumentAsync(Other, Gec(3_000, "GEC2025A000001", "GEC2025A003000", year), "alice");
        await Store.Neutrality.AddInstrumentAsync(Other, new LedgerDraft
        {
            Kind = OffsetKind.GreenPower, Quantity = 2_400, BundledFrom = "GEC2025B000001", BundledTo = "GEC2025B002400", Counterparty = "风电场", Claim = year,
        }, "alice");
        // A CCER is an offset only: it never enters market-based scope 2.
        await Store.Neutrality.AddInstrumentAsync(Other, new LedgerDraft { Kind = OffsetKind.Ccer, Quantity = 100, Claim = year }, "alice");
        var instruments = await Store.Carbon.InstrumentsAsync(Other);
        Assert.Equal(2, instruments.Count);
        FactorRecord[] grid2022 =
        [
            new() { Id = 1, Dataset = "MEE-NBS", Kind = FactorKind.Emission, Material = "electricity", Gas = "CO2", Value = 0.5366, Unit = "kgCO2/kWh", Methods = "*",
                Level = FactorLevel.National, Region = "CN", ValidFrom = new DateOnly(2000, 1, 1), DataYear = 2022 },
            new() { Id = 2, Dataset = "MEE-NBS-RESIDUAL", Kind = FactorKind.Emission, Material = "electricity_residual", Gas = "CO2", Value = 0.5856, Unit = "kgCO2/kWh",
                Methods = "*", Level = FactorLevel.National, Region = "CN", ValidFrom = new DateOnly(2000, 1, 1), DataYear = 2022 },
        ];
        var r = InventoryCalculator.Compute(new InventoryRequest
        {
            Boundary = Other, From = new DateOnly(2025, 1, 1), To = new DateOnly(2025, 12, 31), Method = AccountingMethod.Ghgp, Gwp = GwpSet.AR6, Place = new Place("河北", "华北"),
            Activities = [new Activity { Date = new DateOnly(2025, 6, 15), Source = "purchased_electricity", Material = "electricity", Amount = 11_400_000, Unit = "kWh" }],
            Library = new FactorLibrary(grid2022), Instruments = instruments,
        });
        Assert.Equal(6_117.24, r.Totals.Scope2LocationT, 0.01);
        Assert.Equal(5_400_000, r.Market.InstrumentKwh, 1e-6);
        Assert.Equal(6_000_000, r.Market.UncoveredKwh, 1e-6);
        Assert.Equal(3_513.6, r.Totals.Scope2MarketT, 0.01);
    }

    [Fact]
    public async Task Neutrality_of_a_period_converts_MWh_with_the_inventorys_factor_and_counts_retired_claims_pro_rata()
    {
        var period = new ClaimDraft(null, Jan31, Feb1);
        await Store.Neutrality.AddInstrumentAsync(Park, Gec(3, "G-1", "G-3", period), "alice");
        await Store.Neutrality.AddInstrumentAsync(Park, new LedgerDraft { Kind = OffsetKind.Ccer, Quantity = 0.5, Claim = period }, "alice");
        // A sink retired for all of January (31 days): 1 day of it falls in the period → 1/31 t.
        await Store.Neutrality.AddInstrumentAsync(Park, new LedgerDraft { Kind = OffsetKind.Sink, Quantity = 1, Claim = new ClaimDraft(null, new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 31)) }, "alice");
        // Used for market-based scope 2 only: lowers scope 2 (market), never counts as an offset.
        await Store.Neutrality.AddInstrumentAsync(Park, Gec(2, "G-4", "G-5", period with { Use = "scope2" }), "alice");
        // Allocated, not retired: a plan, not a neutralisation.
        await Store.Neutrality.AddInstrumentAsync(Park, new LedgerDraft { Kind = OffsetKind.Ccer, Quantity = 5, Claim = period with { Retire = false } }, "alice");

        var r = await Service.ComputeAsync(Park, Jan31, Feb1);
        // C_yw = 0 (scope 1) + 3.438288 (location-based scope 2).
        Assert.Equal(3.438288, r.EmissionsT, 1e-9);
        Assert.Equal(0, r.Scope1T, 1e-12);
        // GEC 3 MWh × 0.5306 = 1.5918 t; CCER 0.5 t; PV 0.24 MWh × 0.5306 = 0.127344 t; sink 1/31 = 0.032258 t → 2.251402 t.
        Assert.Equal(1.5918 + 0.5 + 0.127344 + 1 / 31.0, r.NeutralisedT, 1e-9);
        // Rate = 2.251402 / 3.438288 = 0.654803.
        Assert.Equal(0.6548032, r.NeutralityRate!.Value, 1e-6);
        Assert.Equal(0.24, r.ByKind.Single(k => k.Kind == OffsetKind.RooftopPv).Quantity, 1e-9);
        Assert.Equal(0.5306, r.GridFactorTPerMwh!.Value, 1e-12);
        // T/CA305: 1.5918 × 1 + 0.5 × 2 + 0.127344 × 1.5 + (1/31) × 2 = 2.847332 t; S_DC = 2.847332 / 3.438288 = 0.828125; score 33.125.
        Assert.Equal(2.8473321, r.Tca305WeightedT, 1e-6);
        Assert.Equal(0.8281250, r.Tca305OffsetRatio!.Value, 1e-6);
        Assert.Equal(33.1249986, r.Tca305OffsetScore!.Value, 1e-5);
        Assert.True(r.Tca305Admission);
        Assert.Equal(0, r.Scope1UncoveredT);
        Assert.Contains(r.ByInstrument, c => c.Kind == "sink" && Math.Abs(c.Quantity - 1 / 31.0) < 1e-12);
        Assert.DoesNotContain(r.ByInstrument, c => c.Use == "scope2");
        // Market-based scope 2 from the same ledger: instruments 3 + 2 MWh = 5,000 kWh; uncovered 1,480 kWh × 0.6096 = 0.902208 t.
        Assert.Equal(0.902208, r.Scope2MarketT, 1e-9);
    }

    [Fact]
    public async Task A_serial_range_is_claimed_once_in_any_park()
    {
        var a = await Store.Neutrality.AddInstrumentAsync(Park, Gec(1_000, "GEC-A-000001", "GEC-A-001000"), "alice");
        var e = await Assert.ThrowsAsync<ConflictException>(() => Store.Neutrality.AddInstrumentAsync(Other, Gec(101, "GEC-A-000900", "GEC-A-001000"), "bob"));
        Assert.Contains($"gec GEC-A-000900…GEC-A-001000: serials already claimed by gec GEC-A-000001…GEC-A-001000 (#{a.Id} in park 'c1')", e.Message);
        // Adjacent ranges are fine.
        await Store.Neutrality.AddInstrumentAsync(Other, Gec(10, "GEC-A-001001", "GEC-A-001010"), "bob");
    }

    [Fact]
    public async Task Bundled_certificates_of_a_green_power_trade_are_not_claimed_again_as_GECs()
    {
        var trade = await Store.Neutrality.AddInstrumentAsync(Park, new LedgerDraft { Kind = OffsetKind.GreenPower, Quantity = 500, BundledFrom = "B0001", BundledTo = "B0500" }, "alice");
        var e = await Assert.ThrowsAsync<ConflictException>(() => Store.Neutrality.AddInstrumentAsync(Other, Gec(100, "B0401", "B0500"), "bob"));
        Assert.Contains($"bundled with green power trade #{trade.Id} in park 'c1'", e.Message);
        Assert.Contains("never again as separate GECs", e.Message);
        // And the other way round: GECs first, then a trade claiming them as its bundle.
        await Store.Neutrality.AddInstrumentAsync(Park, Gec(10, "C0001", "C0010"), "alice");
        var e2 = await Assert.ThrowsAsync<ConflictException>(() => Store.Neutrality.AddInstrumentAsync(Park,
            new LedgerDraft { Kind = OffsetKind.GreenPower, Quantity = 10, BundledFrom = "C0005", BundledTo = "C0014" }, "alice"));
        Assert.Contains("already recorded as separate GECs", e2.Message);
    }

    [Fact]
    public async Task Certificates_used_for_market_based_scope2_are_not_offset_again_elsewhere()
    {
        var g = await Store.Neutrality.AddInstrumentAsync(Park, Gec(10, "D01", "D10", new ClaimDraft(null, new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 31))), "alice");
        var e = await Assert.ThrowsAsync<ConflictException>(() => Store.Neutrality.ClaimAsync(Park, g.Id, new ClaimDraft(null, new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31), 5, "offset"), "alice"));
        Assert.Contains($"gec #{g.Id} D01…D10", e.Message);
        Assert.Contains("already used for market-based scope 2 of c1 2025-01-01…2025-12-31", e.Message);
        // The use must fit the kind: a CCER cannot lower market-based scope 2.
        var c = await Store.Neutrality.AddInstrumentAsync(Park, new LedgerDraft { Kind = OffsetKind.Ccer, Quantity = 5 }, "alice");
        var v = await Assert.ThrowsAsync<ValidationException>(() => Store.Neutrality.ClaimAsync(Park, c.Id, new ClaimDraft(null, Jan31, Feb1, null, "scope2_offset"), "alice"));
        Assert.Contains("ccer cannot lower market-based scope 2", v.Message);
    }

    [Fact]
    public async Task Retiring_an_expired_certificate_is_refused_naming_it()
    {
        // Expired 2025-06-30 (the store's clock is today's date, later than that).
        var imported = await ImportAsync(Park, "kind,quantity,unit,serial_from,serial_to,vintage,claim_from,claim_to,expires\ngec,5,MWh,E01,E05,2023,2025-01-01,2025-01-31,2025-06-30\n");
        var err = Assert.Single(imported.Rejected);
        Assert.Equal(2, err.Line);
        Assert.Equal("gec E01…E05: expired on 2025-06-30 (expired certificates are cancelled): it cannot be retired", err.Reason);
        // Allocated while valid, retired after expiry: refused too.
        var g = await Store.Neutrality.AddInstrumentAsync(Park, Gec(5, "E01", "E05", new ClaimDraft(null, Jan31, Feb1, Retire: false), new DateOnly(2025, 6, 30)), "alice");
        var claim = Assert.Single(g.Claims);
        Assert.Equal("allocated", claim.State);
        var e = await Assert.ThrowsAsync<ValidationException>(() => Store.Neutrality.RetireAsync(Park, claim.Id, "alice"));
        Assert.Contains($"gec #{g.Id} E01…E05: expired on 2025-06-30", e.Message);
    }

    [Fact]
    public async Task Allocating_more_than_was_bought_is_refused()
    {
        var c = await Store.Neutrality.AddInstrumentAsync(Park, new LedgerDraft { Kind = OffsetKind.Ccer, Quantity = 100, SerialFrom = "CCER-1", SerialTo = "CCER-100" }, "alice");
        Assert.Equal("purchased", c.State);
        var first = await Store.Neutrality.ClaimAsync(Park, c.Id, new ClaimDraft("b1", Jan31, Feb1, 60, Retire: false), "alice");
        var e = await Assert.ThrowsAsync<ConflictException>(() => Store.Neutrality.ClaimAsync(Park, c.Id, new ClaimDraft("tenant:ACME", Jan31, Feb1, 50), "alice"));
        Assert.Equal($"ccer #{c.Id} CCER-1…CCER-100: allocating 50 tCO2e is more than was bought: 100 bought, 60 already allocated or retired (#{first.Id} 60 allocated)", e.Message);
        // 40 fit; retiring the first claim makes the instrument retired as a whole (100 of 100).
        await Store.Neutrality.ClaimAsync(Park, c.Id, new ClaimDraft("tenant:ACME", Jan31, Feb1, 40), "alice");
        await Store.Neutrality.RetireAsync(Park, first.Id, "bob");
        var after = await Store.Neutrality.InstrumentAsync(Park, c.Id);
        Assert.Equal("retired", after.State);
        Assert.Equal(100, after.RetiredQuantity, 1e-12);
        // Every change is audited: purchase, allocate, allocate (retire at once), retire.
        var audit = (await Store.Audit.AuditLogAsync(Park)).Where(a => a.Entity == "instrument" && a.EntityKey.StartsWith($"ccer #{c.Id}", StringComparison.Ordinal)).ToList();
        Assert.Equal(["purchase", "allocate", "retire", "retire"], audit.OrderBy(a => a.Id).Select(a => a.Action));
        Assert.Contains(audit, a => a.User == "bob" && a.OldValue == "allocated" && a.NewValue == "retired");
    }

    [Fact]
    public async Task Rooftop_pv_is_measured_not_typed_where_pv_meters_exist_and_serial_counts_must_match()
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() => Store.Neutrality.AddInstrumentAsync(Park, new LedgerDraft { Kind = OffsetKind.RooftopPv, Quantity = 10 }, "alice"));
        Assert.Equal("kind", e.Field);
        Assert.Contains("rooftop_pv of park 'c1' is measured from its PV meters (pv", e.Message);
        // A park without PV meters may type it in; neutrality flags it.
        await Store.Neutrality.AddInstrumentAsync(Other, new LedgerDraft { Kind = OffsetKind.RooftopPv, Quantity = 10, Claim = new ClaimDraft(null, Jan31, Feb1) }, "alice");
        var s = await Assert.ThrowsAsync<ValidationException>(() => Store.Neutrality.AddInstrumentAsync(Park, Gec(10, "S01", "S20"), "alice"));
        Assert.Contains("holds 20 serials but the quantity is 10 (1 GEC = 1 MWh)", s.Message);
    }

    [Fact]
    public async Task The_contract_import_keeps_valid_rows_and_names_each_refused_line()
    {
        const string csv = """
            kind,quantity,unit,serial_from,serial_to,vintage,claim_from,claim_to
            gec,1000,MWh,GEC25X0001,GEC25X1000,2025,2025-01-01,2025-12-31
            ccer,abc,tCO2e,,,,,
            teleport,5,t,,,,,
            gec,10,MWh,GEC25X0991,GEC25X1000,2025,,
            sink,50,tCO2e,,,2024,2025-01-01,2025-12-31
            green_power,2400,MWh,,,,2025-01-01,
            allowance,100,tCO2e,,,2025,,
            ccer,5,MWh,,,,,
            gec,3,certificates,GEC25Y1,GEC25Y3,,2025-03-01,2025-02-01
            """;
        var r = await ImportAsync(Park, csv);
        Assert.Equal(3, r.Accepted);
        Assert.Equal([3, 4, 5, 7, 9, 10], r.Rejected.Select(x => x.Line));
        Assert.Equal("quantity: 'abc' is not a number", r.Rejected[0].Reason);
        Assert.StartsWith("kind: 'teleport' is unknown (expected gec, green_power, ccer, cer, sink, ccus, rooftop_pv, voucher, allowance", r.Rejected[1].Reason);
        Assert.StartsWith("gec GEC25X0991…GEC25X1000: serials already claimed by gec GEC25X0001…GEC25X1000 (line 2 of this file)", r.Rejected[2].Reason);
        Assert.Equal("claim_to: missing (claim_from is given)", r.Rejected[3].Reason);
        Assert.StartsWith("unit: unit 'MWh' does not fit ccer", r.Rejected[4].Reason);
        Assert.Equal("claim_to: 2025-02-01 is before claim_from 2025-03-01", r.Rejected[5].Reason);
        var ledger = await Store.Neutrality.InstrumentsAsync(Park);
        Assert.Equal(["allowance", "sink", "gec"], ledger.Select(i => i.Kind));
        Assert.Equal("retired", ledger.Single(i => i.Kind == "gec").State);
        Assert.Equal("purchased", ledger.Single(i => i.Kind == "allowance").State);
        // Export and re-import into another park: the serials are taken, so the GEC row is refused there; the others are kept.
        var export = LedgerCsv.Write(ledger);
        Assert.StartsWith("id,kind,quantity,unit,serial_from,serial_to,vintage,claim_from,claim_to,", export);
        var again = await ImportAsync(Other, string.Join('\n', export.Split('\n').Select(l => string.Join(',', l.Split(',').Skip(1).Take(8)))));
        Assert.Equal(2, again.Accepted);
        Assert.Contains("serials already claimed", Assert.Single(again.Rejected).Reason);
    }

    [Fact]
    public async Task Evidence_files_are_stored_and_downloaded_byte_for_byte()
    {
        var g = await Store.Neutrality.AddInstrumentAsync(Park, Gec(1, "F1", null), "alice");
        var bytes = Enumerable.Range(0, 70_000).Select(i => (byte)(i * 7)).ToArray();
        var info = await Store.Neutrality.AddEvidenceAsync(Park, g.Id, "证书.pdf", "application/pdf", bytes, "alice");
        Assert.Equal(70_000, info.Size);
        var (got, content) = await Store.Neutrality.EvidenceAsync(Park, info.Id);
        Assert.Equal(bytes, content);
        Assert.Equal("证书.pdf", got.FileName);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), got.Sha256);
        Assert.Single((await Store.Neutrality.InstrumentAsync(Park, g.Id)).Evidence);
        await Assert.ThrowsAsync<NotFoundException>(() => Store.Neutrality.EvidenceAsync(Other, info.Id));
        Assert.Equal("file", (await Assert.ThrowsAsync<ValidationException>(() => Store.Neutrality.AddEvidenceAsync(Park, g.Id, "empty.pdf", "application/pdf", [], "alice"))).Field);
    }

    [Fact]
    public async Task Prices_value_the_holdings()
    {
        // Holdings: CCER 100 t bought at 60, 30 retired → 70 held; GEC 10 MWh bought at 5 (none retired).
        var c = await Store.Neutrality.AddInstrumentAsync(Park, new LedgerDraft { Kind = OffsetKind.Ccer, Quantity = 100, UnitPriceCny = 60 }, "alice");
        await Store.Neutrality.ClaimAsync(Park, c.Id, new ClaimDraft(null, Jan31, Feb1, 30), "alice");
        await Store.Neutrality.AddInstrumentAsync(Park, new LedgerDraft { Kind = OffsetKind.Gec, Quantity = 10, UnitPriceCny = 5 }, "alice");
        var (rows, errors) = LedgerCsv.ParsePrices(new MemoryStream(Encoding.UTF8.GetBytes(
            "kind,date,price_cny,available,source\nccer,2025-01-15,80,1000,exchange\nccer,2025-02-15,90,,exchange\ngec,2025-01-20,8,,platform\nxyz,2025-01-01,1,,\n")));
        var imported = await Store.Neutrality.ImportPricesAsync(Park, rows, errors, "alice");
        Assert.Equal(3, imported.Accepted);
        Assert.Equal(5, Assert.Single(imported.Rejected).Line);
        // As of 2025-02-01: CCER at 80 (the 2025-02-15 quote is later) × 70 = 5,600; GEC 8 × 10 = 80 → 5,680; paid 70 × 60 + 10 × 5 = 4,250.
        var v = await Store.Neutrality.HoldingsAsync(Park, Feb1);
        Assert.Equal(5_680, v.ValueCny, 1e-9);
        Assert.Equal(4_250, v.BookValueCny, 1e-9);
        Assert.Equal(70, v.Lines.Single(l => l.Kind == "ccer").HeldQuantity, 1e-9);
    }

    [Fact]
    public async Task Targets_are_validated_replaced_and_listed()
    {
        var t = await Store.Neutrality.SetTargetAsync(Park, "neutrality_rate", "month", 0.75, "2025-01", null, "", "alice");
        Assert.Equal("2025-01", t.From);
        await Store.Neutrality.SetTargetAsync(Park, "neutrality_rate", "month", 0.8, "2025-01", null, "raised", "alice");
        var all = await Store.Neutrality.TargetsAsync(Park);
        Assert.Equal(0.8, Assert.Single(all).Value);
        Assert.Equal("kind", (await Assert.ThrowsAsync<ValidationException>(() => Store.Neutrality.SetTargetAsync(Park, "happiness", "month", 1, null, null, "", "a"))).Field);
        Assert.Equal("every", (await Assert.ThrowsAsync<ValidationException>(() => Store.Neutrality.SetTargetAsync(Park, "cue", "week", 1, null, null, "", "a"))).Field);
        Assert.Equal("value", (await Assert.ThrowsAsync<ValidationException>(() => Store.Neutrality.SetTargetAsync(Park, "neutrality_rate", "year", 75, null, null, "", "a"))).Field);
        Assert.Equal("from", (await Assert.ThrowsAsync<ValidationException>(() => Store.Neutrality.SetTargetAsync(Park, "cue", "year", 1, "2025-13", null, "", "a"))).Field);
        Assert.Equal(0.8, NeutralityStore.TargetFor(all, "neutrality_rate", "month", 2025, 2)!.Value);
        Assert.Null(NeutralityStore.TargetFor(all, "neutrality_rate", "month", 2024, 12));
    }
}

public sealed class SqliteNeutralityStoreTests : NeutralityStoreSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

public sealed class PostgresNeutralityStoreTests : NeutralityStoreSuite
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL neutrality tests need ZEROPARK_TEST_PG; run ./scripts/test.sh (it starts a server on 127.0.0.1)")
        : TestDatabases.NewPostgresDatabase();
}
