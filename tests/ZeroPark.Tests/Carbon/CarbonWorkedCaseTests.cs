using ZeroPark.Carbon;
using ZeroPark.Application.Carbon;

namespace ZeroPark.Tests.CarbonAccounting;

/// <summary>
/// The carbon worked cases WC-06, WC-10…WC-24 and WC-36 of the project's reference data (reference-data.md §9,
/// worked-cases.json), copied here with their sources and hand arithmetic so the suite stands alone. Expected values are the
/// written-out arithmetic of each case, never the code's output. Factors are given as records with the case's inputs; the
/// last tests check that the shipped library holds the same values.
/// </summary>
public sealed class CarbonWorkedCaseTests
{
    private static readonly DateOnly Day = new(2025, 6, 15);
    private static readonly Place Hebei = new("河北", "华北");

    private static FactorRecord F(string dataset, string material, string gas, double value, string unit, string methods = "*", FactorKind kind = FactorKind.Emission,
        string application = "", FactorLevel level = FactorLevel.Default, string region = "", double? cc = null, double? of = null, long id = 0,
        DateOnly? from = null, DateOnly? to = null, int? year = null) =>
        new()
        {
            Id = id, Dataset = dataset, Kind = kind, Material = material, Gas = gas, Value = value, Unit = unit, Methods = methods, Application = application,
            Level = level, Region = region, CarbonContent = cc, OxidationRate = of, ValidFrom = from ?? new DateOnly(2000, 1, 1), ValidTo = to, DataYear = year,
        };

    private static InventoryResult Run(IReadOnlyList<FactorRecord> factors, AccountingMethod method, GwpSet gwp, params Activity[] acts) =>
        Run(factors, method, gwp, [], acts);

    private static InventoryResult Run(IReadOnlyList<FactorRecord> factors, AccountingMethod method, GwpSet gwp, IReadOnlyList<Instrument> instruments, params Activity[] acts) =>
        InventoryCalculator.Compute(new InventoryRequest
        {
            Boundary = "p", From = new DateOnly(2025, 1, 1), To = new DateOnly(2025, 12, 31), Method = method, Gwp = gwp, Place = Hebei, Activities = acts,
            Library = new FactorLibrary(factors.Select((f, i) => f.Id == 0 ? f with { Id = i + 1 } : f).ToList()), Instruments = instruments,
        });

    private static Activity A(string source, string material, double amount, string unit, DateOnly? date = null) =>
        new() { Date = date ?? Day, Source = source, Material = material, Amount = amount, Unit = unit };

    // GB/T 32150 diesel as in WC-10: NCV 42.652 GJ/t, CC 0.0202 tC/GJ, OF 98 %; density 0.84 kg/L is an input.
    private static readonly FactorRecord[] CnDiesel =
    [
        F("GBT32150", "diesel", "", 42.652, "GJ/t", "cn-guideline", FactorKind.Ncv),
        F("GBT32150", "diesel", "CO2", 0.0202 * 0.98 * 44 / 12, "tCO2/GJ", "cn-guideline", cc: 0.0202, of: 0.98),
        F("D", "diesel", "", 0.84, "kg/L", kind: FactorKind.Density),
    ];

    [Fact]
    public void WC10_diesel_china_guideline_method()
    {
        // m = 20,000 L × 0.84 kg/L = 16.8 t; E = 16.8 × 42.652 = 716.5536 GJ; C = 716.5536 × 0.0202 = 14.474383 tC;
        // CO2 = 14.474383 × 0.98 × 44/12 = 52.0113 t (EF = 3.095910 tCO2/t). Tolerance 0.01 t.
        var r = Run(CnDiesel, AccountingMethod.CnGuideline, GwpSet.SAR, A("diesel_generator", "diesel", 20_000, "L"));
        var line = Assert.Single(r.Lines);
        Assert.Equal(52.0113, line.Co2eTonnes, 0.01);
        Assert.Equal(52.0113, r.Totals.Scope1T, 0.01);
        Assert.Equal(GhgScope.Scope1, line.Scope);
        Assert.Contains(line.Trace, s => s.Contains("= 16,800 kg = 16.8 t", StringComparison.Ordinal));
        Assert.Contains(line.Trace, s => s.Contains("= 716.5536 GJ", StringComparison.Ordinal));
        Assert.Contains(line.Trace, s => s.Contains("716.5536 GJ × 0.0202 tC/GJ × 0.98 (oxidation) × 44/12", StringComparison.Ordinal));
        Assert.Equal(3, line.Factors.Count);   // density, NCV, CO2 factor — each traceable
        Assert.Equal(3.09591, line.Co2eTonnes / 16.8, 0.00001);
    }

    [Fact]
    public void WC11_diesel_ipcc_with_ch4_and_n2o_for_each_gwp_set()
    {
        // TJ = 0.0168 Gg × 43.0 = 0.7224 TJ; CO2 = 0.7224 × 74,100 = 53,529.84 kg; CH4 = 0.7224 × 10 = 7.224 kg;
        // N2O = 0.7224 × 0.6 = 0.43344 kg. AR4: 53.52984 + 7.224×25/1000 + 0.43344×298/1000 = 53.8396;
        // AR5: 53.52984 + 7.224×28/1000 + 0.43344×265/1000 = 53.8470; AR6 (fossil CH4 29.8): + 7.224×29.8/1000 + 0.43344×273/1000 = 53.8634.
        FactorRecord[] ipcc =
        [
            F("IPCC2006", "diesel", "", 43.0, "GJ/t", "ghgp,iso14064", FactorKind.Ncv),
            F("IPCC2006", "diesel", "CO2", 74_100, "kgCO2/TJ", "ghgp,iso14064"),
            F("IPCC2006", "diesel", "CH4-fossil", 10, "kgCH4/TJ", "ghgp,iso14064", application: "stationary"),
            F("IPCC2006", "diesel", "N2O", 0.6, "kgN2O/TJ", "ghgp,iso14064", application: "stationary"),
            F("IPCC2006", "diesel", "CH4-fossil", 3.9, "kgCH4/TJ", "ghgp,iso14064", application: "mobile"),
        ];
        foreach (var (gwp, expected) in new[] { (GwpSet.AR4, 53.8396), (GwpSet.AR5, 53.8470), (GwpSet.AR6, 53.8634) })
        {
            var line = Assert.Single(Run(ipcc, AccountingMethod.Ghgp, gwp, A("diesel_generator", "diesel", 16.8, "t")).Lines);
            Assert.Equal(expected, line.Co2eTonnes, 0.01);
            Assert.Equal(53_529.84, line.Gases.Single(g => g.Gas == "CO2").Kilograms, 0.01);
            Assert.Equal(7.224, line.Gases.Single(g => g.Gas == "CH4-fossil").Kilograms, 0.0001);   // the stationary factor, not the mobile one
            Assert.Equal(0.43344, line.Gases.Single(g => g.Gas == "N2O").Kilograms, 0.00001);
        }
        // The same fuel burnt in a vehicle takes the mobile CH4 factor: 0.7224 × 3.9 = 2.81736 kg CH4 (and no stationary N2O).
        var mobile = Assert.Single(Run(ipcc, AccountingMethod.Ghgp, GwpSet.AR5, A("vehicle", "diesel", 16.8, "t")).Lines);
        Assert.Equal(2.81736, mobile.Gases.Single(g => g.Gas == "CH4-fossil").Kilograms, 0.00001);
        Assert.DoesNotContain(mobile.Gases, g => g.Gas == "N2O");
    }

    [Fact]
    public void WC12_WC13_WC14_natural_gas_gasoline_lpg_china_guideline()
    {
        FactorRecord[] cn =
        [
            F("GBT32150", "natural_gas", "", 389.31, "GJ/10^4Nm3", "cn-guideline", FactorKind.Ncv),
            F("GBT32150", "natural_gas", "CO2", 0.0153 * 0.99 * 44 / 12, "tCO2/GJ", "cn-guideline", cc: 0.0153, of: 0.99),
            F("GBT32150", "gasoline", "", 43.070, "GJ/t", "cn-guideline", FactorKind.Ncv),
            F("GBT32150", "gasoline", "CO2", 0.0189 * 0.98 * 44 / 12, "tCO2/GJ", "cn-guideline", cc: 0.0189, of: 0.98),
            F("D", "gasoline", "", 0.73, "kg/L", kind: FactorKind.Density),
            F("GBT32150", "lpg", "", 50.179, "GJ/t", "cn-guideline", FactorKind.Ncv),
            F("GBT32150", "lpg", "CO2", 0.0172 * 0.98 * 44 / 12, "tCO2/GJ", "cn-guideline", cc: 0.0172, of: 0.98),
        ];
        // WC-12: E = 10 (×10^4 Nm3) × 389.31 = 3893.1 GJ; CO2 = 3893.1 × 0.0153 × 0.99 × 44/12 = 216.2189 t.
        var ng = Assert.Single(Run(cn, AccountingMethod.CnGuideline, GwpSet.SAR, A("boiler", "natural_gas", 100_000, "Nm3")).Lines);
        Assert.Equal(216.2189, ng.Co2eTonnes, 0.01);
        Assert.Contains(ng.Trace, s => s.Contains("= 3,893.1 GJ", StringComparison.Ordinal));
        // WC-13: m = 5,000 × 0.73 / 1000 = 3.65 t; CO2 = 3.65 × 43.070 × 0.0189 × 0.98 × 44/12 = 10.6765 t.
        Assert.Equal(10.6765, Assert.Single(Run(cn, AccountingMethod.CnGuideline, GwpSet.SAR, A("vehicle", "gasoline", 5_000, "L")).Lines).Co2eTonnes, 0.01);
        // WC-14: CO2 = 2 × 50.179 × 0.0172 × 0.98 × 44/12 = 6.2027 t.
        Assert.Equal(6.2027, Assert.Single(Run(cn, AccountingMethod.CnGuideline, GwpSet.SAR, A("canteen", "lpg", 2, "t")).Lines).Co2eTonnes, 0.01);
    }

    [Theory]
    // WC-15 R410A 50 kg: AR4 0.5×675+0.5×3500 = 2087.5 → 104.375 t; AR5 1923.5 → 96.175 t; AR6 0.5×771+0.5×3740 = 2255.5 → 112.775 t.
    [InlineData("refrigerant_leak", "R410A", 50, GwpSet.AR4, 104.375)]
    [InlineData("refrigerant_leak", "R410A", 50, GwpSet.AR5, 96.175)]
    [InlineData("refrigerant_leak", "R410A", 50, GwpSet.AR6, 112.775)]
    // WC-16 R32 20 kg: AR4 20×675/1000 = 13.5; AR5 20×677/1000 = 13.54; AR6 20×771/1000 = 15.42.
    [InlineData("refrigerant_leak", "R32", 20, GwpSet.AR4, 13.5)]
    [InlineData("refrigerant_leak", "R32", 20, GwpSet.AR5, 13.54)]
    [InlineData("refrigerant_leak", "R32", 20, GwpSet.AR6, 15.42)]
    // WC-18 HFC-227ea 120 kg: AR4 120×3220/1000 = 386.4; AR5 402.0; AR6 432.0.
    [InlineData("fire_suppressant", "HFC-227ea", 120, GwpSet.AR4, 386.4)]
    [InlineData("fire_suppressant", "HFC-227ea", 120, GwpSet.AR5, 402.0)]
    [InlineData("fire_suppressant", "HFC-227ea", 120, GwpSet.AR6, 432.0)]
    // WC-19 SF6 3 kg: AR4 3×22,800/1000 = 68.4; AR5 70.5; AR6 75.6.
    [InlineData("sf6_leak", "SF6", 3, GwpSet.AR4, 68.4)]
    [InlineData("sf6_leak", "SF6", 3, GwpSet.AR5, 70.5)]
    [InlineData("sf6_leak", "SF6", 3, GwpSet.AR6, 75.6)]
    public void WC15_WC16_WC18_WC19_released_gases(string source, string material, double kg, GwpSet gwp, double expectedT)
    {
        var r = Run([], AccountingMethod.Ghgp, gwp, A(source, material, kg, "kg"));
        var line = Assert.Single(r.Lines);
        Assert.Equal(expectedT, line.Co2eTonnes, 0.001);
        Assert.Equal(GhgScope.Scope1, line.Scope);
        Assert.Equal(expectedT, r.Totals.Scope1T, 0.001);
    }

    [Fact]
    public void WC17_R22_is_a_memo_item_with_its_ozone_depletion()
    {
        // AR4 30×1810/1000 = 54.3 t; AR5 30×1760/1000 = 52.8 t; AR6 30×1960/1000 = 58.8 t (memo, outside scopes);
        // ODS = 30 × 0.055 = 1.65 kg CFC-11-eq.
        foreach (var (gwp, t) in new[] { (GwpSet.AR4, 54.3), (GwpSet.AR5, 52.8), (GwpSet.AR6, 58.8) })
        {
            var r = Run([], AccountingMethod.Ghgp, gwp, A("refrigerant_leak", "R22", 30, "kg"));
            var line = Assert.Single(r.Lines);
            Assert.Equal(GhgScope.Memo, line.Scope);
            Assert.Equal(t, line.Co2eTonnes, 0.001);
            Assert.Equal(0, r.Totals.Scope1T);   // included_in_scope1_GHG_Protocol: false
            Assert.Equal(t, r.Totals.MemoT, 0.001);
            Assert.Equal(1.65, line.OdsKgCfc11!.Value, 0.0001);
        }
    }

    [Fact]
    public void WC20_refrigerant_mass_balance()
    {
        // E = (PN − CN) + PS + (CD − RD) = (0 − 0) + 60 + (40 − 35) = 65 kg; CO2e = 65 × 1923.5 / 1000 = 125.0275 t (AR5).
        var r = Run([], AccountingMethod.Ghgp, GwpSet.AR5,
            A("refrigerant_purchased", "R410A", 60, "kg"), A("refrigerant_new_charge", "R410A", 0, "kg"),
            A("refrigerant_retired_charge", "R410A", 40, "kg"), A("refrigerant_recovered", "R410A", 35, "kg"));
        var line = Assert.Single(r.Lines);
        Assert.Equal(65, line.Activity, 1e-9);
        Assert.Equal(125.0275, line.Co2eTonnes, 0.001);
        Assert.Contains(line.Trace, s => s.Contains("= 65 kg released", StringComparison.Ordinal));
        // The form: start stock + purchases − disposals − end stock = 100 + 60 − 20 − 120 = 20 kg → 20 × 1923.5 / 1000 = 38.47 t.
        var stock = Run([], AccountingMethod.Ghgp, GwpSet.AR5,
            A("refrigerant_stock_start", "R410A", 100, "kg"), A("refrigerant_purchased", "R410A", 60, "kg"),
            A("refrigerant_disposed", "R410A", 20, "kg"), A("refrigerant_stock_end", "R410A", 120, "kg"));
        Assert.Equal(38.47, Assert.Single(stock.Lines).Co2eTonnes, 0.001);
    }

    [Fact]
    public void WC21_blend_gwps_are_computed_from_their_composition()
    {
        // R407C AR4 0.23×675+0.25×3500+0.52×1430 = 1773.85; AR5 1624.21; AR6 1907.93. R404A AR4 0.44×3500+0.52×4470+0.04×1430 = 3921.6;
        // AR5 3942.8; AR6 4728.0. R507A AR4 3985; AR5 3985; AR6 4775. R410A AR4 2087.5; AR5 1923.5; AR6 2255.5.
        (string Blend, GwpSet Set, double Gwp)[] expected =
        [
            ("R407C", GwpSet.AR4, 1773.85), ("R407C", GwpSet.AR5, 1624.21), ("R407C", GwpSet.AR6, 1907.93),
            ("R404A", GwpSet.AR4, 3921.6), ("R404A", GwpSet.AR5, 3942.8), ("R404A", GwpSet.AR6, 4728.0),
            ("R507A", GwpSet.AR4, 3985.0), ("R507A", GwpSet.AR5, 3985.0), ("R507A", GwpSet.AR6, 4775.0),
            ("R410A", GwpSet.AR4, 2087.5), ("R410A", GwpSet.AR5, 1923.5), ("R410A", GwpSet.AR6, 2255.5),
        ];
        foreach (var (blend, set, gwp) in expected) Assert.Equal(gwp, ReleasedMaterials.GwpOf(blend, set), 0.01);
    }

    private static readonly FactorRecord[] Grid2022 =
    [
        F("MEE-NBS", "electricity", "CO2", 0.5366, "kgCO2/kWh", level: FactorLevel.National, region: "CN", year: 2022),
        F("MEE-NBS-RESIDUAL", "electricity_residual", "CO2", 0.5856, "kgCO2/kWh", level: FactorLevel.National, region: "CN", year: 2022),
    ];

    [Fact]
    public void WC22_location_based_scope2_with_different_published_factors()
    {
        // 12,000,000 × 0.5366 / 1000 = 6,439.2 t; × 0.6776 = 8,131.2 t; × 0.5703 = 6,843.6 t; × 0.5306 = 6,367.2 t.
        (FactorRecord Factor, string Dataset, double T)[] cases =
        [
            (F("MEE-NBS", "electricity", "CO2", 0.5366, "kgCO2/kWh", level: FactorLevel.National, region: "CN"), "MEE-NBS", 6_439.2),
            (F("MEE-NBS", "electricity", "CO2", 0.6776, "kgCO2/kWh", level: FactorLevel.Regional, region: "华北"), "MEE-NBS", 8_131.2),
            (F("ETS", "electricity", "CO2", 0.5703, "kgCO2/kWh", level: FactorLevel.National, region: "CN"), "ETS", 6_843.6),
            (F("MEE-NBS", "electricity", "CO2", 0.5306, "kgCO2/kWh", level: FactorLevel.National, region: "CN"), "MEE-NBS", 6_367.2),
        ];
        foreach (var (factor, dataset, t) in cases)
        {
            var r = InventoryCalculator.Compute(new InventoryRequest
            {
                Boundary = "p", From = Day, To = Day, Method = AccountingMethod.Ghgp, Gwp = GwpSet.AR6, Place = Hebei, GridDataset = dataset,
                Activities = [A("purchased_electricity", "electricity", 12_000_000, "kWh")], Library = new FactorLibrary([factor with { Id = 1 }]),
            });
            Assert.Equal(t, r.Totals.Scope2LocationT, 0.01);
        }
    }

    [Fact]
    public void WC23_market_based_dual_reporting_with_pv_green_power_and_certificates()
    {
        // grid = 12,000,000 − 600,000 (on-site PV, not purchased) = 11,400,000 kWh; LB = 11,400,000 × 0.5366 / 1000 = 6,117.24 t;
        // instruments = 2,400,000 (green power) + 3,000 GEC × 1,000 = 5,400,000 kWh; uncovered = 6,000,000 kWh;
        // MB = 6,000,000 × 0.5856 / 1000 = 3,513.6 t (with the average factor 0.5366: 3,219.6 t).
        Instrument[] instruments =
        [
            new() { Id = 1, Kind = InstrumentKind.GreenPower, QuantityKwh = 2_400_000, CoverFrom = new(2025, 1, 1), CoverTo = new(2025, 12, 31), Reference = "GP-2025" },
            new() { Id = 2, Kind = InstrumentKind.Gec, QuantityKwh = 3_000 * 1_000, CoverFrom = new(2025, 1, 1), CoverTo = new(2025, 12, 31), Reference = "GEC-A" },
        ];
        var r = Run(Grid2022, AccountingMethod.Ghgp, GwpSet.AR6, instruments, A("purchased_electricity", "electricity", 11_400_000, "kWh"));
        Assert.Equal(11_400_000, r.Market.GridKwh, 1e-6);
        Assert.Equal(6_117.24, r.Totals.Scope2LocationT, 0.01);
        Assert.Equal(5_400_000, r.Market.InstrumentKwh, 1e-6);
        Assert.Equal(6_000_000, r.Market.UncoveredKwh, 1e-6);
        Assert.Equal(3_513.6, r.Totals.Scope2MarketT, 0.01);
        // Certificates come first in the hierarchy, then green power.
        Assert.Equal(["gec", "green_power"], r.Market.Instruments.Select(i => i.Kind));
        var avg = InventoryCalculator.Compute(new InventoryRequest
        {
            Boundary = "p", From = new(2025, 1, 1), To = new(2025, 12, 31), Method = AccountingMethod.Ghgp, Gwp = GwpSet.AR6, Place = Hebei,
            Activities = [A("purchased_electricity", "electricity", 11_400_000, "kWh")], Library = new FactorLibrary(Grid2022.Select((f, i) => f with { Id = i + 1 }).ToList()),
            Instruments = instruments, Residual = ResidualMode.Location,
        });
        Assert.Equal(3_219.6, avg.Totals.Scope2MarketT, 0.01);
    }

    [Fact]
    public void WC24_purchased_heat_is_scope2_in_both_bases_and_exports_are_not_netted()
    {
        // 5,000 GJ × 0.11 = 550 t; GHG Protocol scope 2 stays 550 (exported heat 2,000 GJ is not netted).
        var r = Run([F("GBT32150", "heat", "CO2", 0.11, "tCO2/GJ")], AccountingMethod.Ghgp, GwpSet.AR6, A("purchased_heat", "heat", 5_000, "GJ"));
        Assert.Equal(550, r.Totals.Scope2LocationT, 0.001);
        Assert.Equal(550, r.Totals.Scope2MarketT, 0.001);
    }

    [Fact]
    public void WC06_and_WC36_cue_and_annual_rollup()
    {
        // WC-06: CO2 = 12,000,000 × 0.5366 / 1000 = 6,439.2 t; CUE = 6,439,200 kg / 9,000,000 kWh = 0.715467;
        // with diesel 52.0113 t: (6,439.2 + 52.0113) × 1000 / 9,000,000 = 0.721246.
        // WC-36: scope 1 = 52.0113 (diesel, CN) + 10.6765 (gasoline, CN) + 96.175 (R410A 50 kg, AR5) = 158.8628;
        // total = 158.8628 + 6,439.2 = 6,598.0628; CUE = 6,598.0628 × 1000 / 9,000,000 = 0.733118 kgCO2e/kWh.
        FactorRecord[] factors =
        [
            .. CnDiesel,
            F("GBT32150", "gasoline", "", 43.070, "GJ/t", "cn-guideline", FactorKind.Ncv),
            F("GBT32150", "gasoline", "CO2", 0.0189 * 0.98 * 44 / 12, "tCO2/GJ", "cn-guideline", cc: 0.0189, of: 0.98),
            F("D", "gasoline", "", 0.73, "kg/L", kind: FactorKind.Density),
            F("MEE-NBS", "electricity", "CO2", 0.5366, "kgCO2/kWh", level: FactorLevel.National, region: "CN"),
        ];
        const double itKwh = 9_000_000;
        var grid = Run(factors, AccountingMethod.CnGuideline, GwpSet.AR5, A("purchased_electricity", "electricity", 12_000_000, "kWh"));
        Assert.Equal(6_439.2, grid.Totals.Scope2LocationT, 0.0001);
        Assert.Equal(0.715467, grid.Totals.Scope2LocationT * 1000 / itKwh, 0.0001);
        var withDiesel = Run(factors, AccountingMethod.CnGuideline, GwpSet.AR5,
            A("purchased_electricity", "electricity", 12_000_000, "kWh"), A("diesel_generator", "diesel", 20_000, "L"));
        Assert.Equal(0.721246, (withDiesel.Totals.Scope1T + withDiesel.Totals.Scope2LocationT) * 1000 / itKwh, 0.0001);
        var all = Run(factors, AccountingMethod.CnGuideline, GwpSet.AR5,
            A("purchased_electricity", "electricity", 12_000_000, "kWh"), A("diesel_generator", "diesel", 20_000, "L"),
            A("vehicle", "gasoline", 5_000, "L"), A("refrigerant_leak", "R410A", 50, "kg"));
        Assert.Equal(158.8628, all.Totals.Scope1T, 0.01);
        Assert.Equal(6_598.0628, all.Totals.TotalLocationT, 0.01);
        Assert.Equal(0.733118, all.Totals.TotalLocationT * 1000 / itKwh, 0.0001);
    }

    // ------------------------------------------------------------------ our own cases

    [Fact]
    public void Factor_validity_periods_pick_the_factor_of_each_activity_date_and_the_most_specific_level()
    {
        FactorRecord[] f =
        [
            F("MEE-NBS", "electricity", "CO2", 0.5366, "kgCO2/kWh", level: FactorLevel.National, region: "CN", from: new(2022, 1, 1), to: new(2022, 12, 31), year: 2022),
            F("MEE-NBS", "electricity", "CO2", 0.5306, "kgCO2/kWh", level: FactorLevel.National, region: "CN", from: new(2023, 1, 1), year: 2023),
            F("MEE-NBS", "electricity", "CO2", 0.6361, "kgCO2/kWh", level: FactorLevel.Regional, region: "华北", from: new(2023, 1, 1), year: 2023),
            F("MEE-NBS", "electricity", "CO2", 0.7252, "kgCO2/kWh", level: FactorLevel.Provincial, region: "河北", from: new(2022, 1, 1), to: new(2022, 12, 31), year: 2022),
            F("MEE-NBS", "electricity", "CO2", 0.5580, "kgCO2/kWh", level: FactorLevel.Provincial, region: "北京", from: new(2023, 1, 1), year: 2023),
        ];
        var r = InventoryCalculator.Compute(new InventoryRequest
        {
            Boundary = "p", From = new(2022, 12, 1), To = new(2023, 1, 31), Method = AccountingMethod.Ghgp, Gwp = GwpSet.AR6, Place = Hebei,
            Library = new FactorLibrary(f.Select((x, i) => x with { Id = i + 1 }).ToList()),
            Activities = [A("purchased_electricity", "electricity", 1_000, "kWh", new(2022, 12, 1)), A("purchased_electricity", "electricity", 2_000, "kWh", new(2023, 1, 1))],
        });
        var location = r.Lines.Where(l => l.Basis == Scope2Basis.Location).ToList();
        Assert.Equal(2, location.Count);
        // December 2022: the 河北 provincial 2022 factor (provincial beats national): 1,000 × 0.7252 = 725.2 kg.
        Assert.Equal(0.7252, location.Single(l => l.Activity == 1_000).Factors[0].Value);
        // January 2023: the 河北 factor has expired, 北京's is for another province: the 华北 regional 2023 factor, 2,000 × 0.6361 = 1,272.2 kg.
        var jan = location.Single(l => l.Activity == 2_000);
        Assert.Equal(0.6361, jan.Factors[0].Value);
        Assert.Contains("regional", jan.Factors[0].Reason, StringComparison.Ordinal);
        Assert.Equal((725.2 + 1_272.2) / 1000, r.Totals.Scope2LocationT, 1e-9);
    }

    [Fact]
    public void A_new_factor_version_replaces_the_old_for_new_results_but_both_stay_in_the_library()
    {
        var v1 = F("MY", "electricity", "CO2", 0.5, "kgCO2/kWh", level: FactorLevel.National, region: "CN", id: 1);
        var v2 = v1 with { Id = 2, Version = 2, Value = 0.6 };
        var lib = new FactorLibrary([v1, v2]);
        var c = lib.Choose(FactorKind.Emission, "electricity", "CO2", Day, AccountingMethod.Ghgp, Hebei, dataset: "MY");
        Assert.Equal(2, c!.Record.Id);
        Assert.Equal(0.6, c.Record.Value);
    }

    [Fact]
    public void Market_based_allocation_never_exceeds_consumption_and_prorates_coverage_periods()
    {
        // Consumption 1,000,000 kWh in H1 2025. A GEC batch of 3,000 MWh covering all of 2025 contributes 3,000,000 × 181/365
        // = 1,487,671.23 kWh to H1 (181 days) — more than consumed, so 1,000,000 kWh are applied, 487,671.23 are unused (never carried).
        // A supplier rate covering H1 gets nothing left. Market-based = 0 t.
        Instrument[] ins =
        [
            new() { Id = 1, Kind = InstrumentKind.Gec, QuantityKwh = 3_000_000, CoverFrom = new(2025, 1, 1), CoverTo = new(2025, 12, 31), Reference = "GEC" },
            new() { Id = 2, Kind = InstrumentKind.SupplierRate, QuantityKwh = 500_000, FactorKgPerKwh = 0.3, CoverFrom = new(2025, 1, 1), CoverTo = new(2025, 6, 30), Reference = "S" },
        ];
        var r = InventoryCalculator.Compute(new InventoryRequest
        {
            Boundary = "p", From = new(2025, 1, 1), To = new(2025, 6, 30), Method = AccountingMethod.Ghgp, Gwp = GwpSet.AR6, Place = Hebei,
            Library = new FactorLibrary(Grid2022.Select((f, i) => f with { Id = i + 1 }).ToList()), Instruments = ins,
            Activities = [A("purchased_electricity", "electricity", 1_000_000, "kWh", new(2025, 3, 1))],
        });
        var gec = r.Market.Instruments.Single(i => i.Kind == "gec");
        Assert.Equal(3_000_000.0 * 181 / 365, gec.AvailableKwh, 1e-6);
        Assert.Equal(1_000_000, gec.AppliedKwh, 1e-6);
        Assert.Equal(3_000_000.0 * 181 / 365 - 1_000_000, gec.UnusedKwh, 1e-6);
        Assert.Equal(0, r.Market.Instruments.Single(i => i.Kind == "supplier_rate").AppliedKwh);
        Assert.Equal(0, r.Totals.Scope2MarketT, 1e-12);
        Assert.Equal(536.6, r.Totals.Scope2LocationT, 1e-9);   // 1,000,000 × 0.5366 / 1000
        // A supplier rate alone: 500,000 kWh × 0.3 = 150 t, remainder 500,000 × 0.5856 = 292.8 t → 442.8 t.
        var s = InventoryCalculator.Compute(new InventoryRequest
        {
            Boundary = "p", From = new(2025, 1, 1), To = new(2025, 6, 30), Method = AccountingMethod.Ghgp, Gwp = GwpSet.AR6, Place = Hebei,
            Library = new FactorLibrary(Grid2022.Select((f, i) => f with { Id = i + 1 }).ToList()), Instruments = [ins[1]],
            Activities = [A("purchased_electricity", "electricity", 1_000_000, "kWh", new(2025, 3, 1))],
        });
        Assert.Equal(442.8, s.Totals.Scope2MarketT, 1e-9);
        // An instrument from another market is not applied.
        var other = InventoryCalculator.Compute(new InventoryRequest
        {
            Boundary = "p", From = new(2025, 1, 1), To = new(2025, 6, 30), Method = AccountingMethod.Ghgp, Gwp = GwpSet.AR6, Place = Hebei,
            Library = new FactorLibrary(Grid2022.Select((f, i) => f with { Id = i + 1 }).ToList()), Instruments = [ins[0] with { Region = "云南" }],
            Activities = [A("purchased_electricity", "electricity", 1_000_000, "kWh", new(2025, 3, 1))],
        });
        Assert.Equal(585.6, other.Totals.Scope2MarketT, 1e-9);
        Assert.Contains("not applied", other.Market.Instruments[0].Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Activities_without_a_factor_are_listed_as_unresolved_and_the_inventory_says_it_is_incomplete()
    {
        var r = Run([], AccountingMethod.Ghgp, GwpSet.AR6, A("business_travel", "air_economy", 10_000, "pkm"), A("sf6_leak", "SF6", 1, "kg"));
        var u = Assert.Single(r.Unresolved);
        Assert.Contains("no emission factor for material 'air_economy'", u.Reason, StringComparison.Ordinal);
        Assert.False(r.Complete);
        Assert.Contains(r.Notes, n => n.StartsWith("incomplete", StringComparison.Ordinal));
        Assert.Equal(25.2, r.Totals.Scope1T, 1e-9);   // SF6 1 kg × 25,200 (AR6) / 1000 = 25.2 t
    }

    [Fact]
    public void Scope3_factor_and_the_undivisible_equipment_rule()
    {
        // Business travel 10,000 pkm × 0.15 kgCO2e/pkm = 1,500 kg = 1.5 t (category 6).
        // Equipment 12 t without its own factor: 1.1 × 12 = 13.2 t of cold-rolled steel × 2.5 tCO2e/t = 33 t (category 2, T/CA 301).
        FactorRecord[] f =
        [
            F("MY-LCA", "air_economy", "CO2e", 0.15, "kgCO2e/pkm"),
            F("MY-LCA", "cold_rolled_steel", "CO2e", 2.5, "tCO2e/t"),
        ];
        var r = Run(f, AccountingMethod.Iso14064, GwpSet.AR6, A("business_travel", "air_economy", 10_000, "pkm"), A("equipment", "UPS cabinet", 12, "t"));
        Assert.Equal(1.5 + 33, r.Totals.Scope3T, 1e-9);
        var eq = r.Lines.Single(l => l.Source == "equipment");
        Assert.Equal(2, eq.Scope3Category);
        Assert.Equal(4, eq.IsoCategory);   // ISO 14064-1 category 4 (products used by the organization)
        Assert.Contains(eq.Trace, s => s.Contains("12 t × 1.1 = 13.2 t of cold-rolled steel", StringComparison.Ordinal));
        Assert.Equal(3, r.Lines.Single(l => l.Source == "business_travel").IsoCategory);
    }

    // ------------------------------------------------------------------ the shipped library

    [Fact]
    public void Shipped_library_reproduces_the_worked_cases()
    {
        var lib = FactorCsv.Builtin();
        // WC-10 with the shipped GB/T 32150 diesel defaults and density: 52.0113 t.
        Assert.Equal(52.0113, Run(lib, AccountingMethod.CnGuideline, GwpSet.SAR, A("diesel_generator", "diesel", 20_000, "L")).Totals.Scope1T, 0.01);
        // WC-11 AR5 with the shipped IPCC 2006 defaults: 16.8 t of diesel → 53.8470 t.
        Assert.Equal(53.8470, Run(lib, AccountingMethod.Ghgp, GwpSet.AR5, A("diesel_generator", "diesel", 16.8, "t")).Totals.Scope1T, 0.01);
        // WC-12 natural gas 100,000 Nm3: 216.2189 t; WC-14 LPG 2 t: 6.2027 t.
        Assert.Equal(216.2189, Run(lib, AccountingMethod.CnGuideline, GwpSet.SAR, A("boiler", "natural_gas", 100_000, "Nm3")).Totals.Scope1T, 0.01);
        Assert.Equal(6.2027, Run(lib, AccountingMethod.CnGuideline, GwpSet.SAR, A("canteen", "lpg", 2, "t")).Totals.Scope1T, 0.01);
        // WC-22: the 2022 national factor (MEE/NBS 2022, valid 2022): 12,000,000 × 0.5366 = 6,439.2 t; 2023 华北: × 0.6361 = 7,633.2 t.
        var national2022 = lib.Single(r => r.Dataset == "MEE-NBS" && r.DataYear == 2022 && r.Level == FactorLevel.National);
        Assert.Equal(0.5366, national2022.Value);
        Assert.Equal(new DateOnly(2022, 12, 31), national2022.ValidTo);
        var r2025 = Run(lib, AccountingMethod.Ghgp, GwpSet.AR6, A("purchased_electricity", "electricity", 12_000_000, "kWh"));
        Assert.Equal(12_000_000 * 0.6361 / 1000, r2025.Totals.Scope2LocationT, 0.01);
        // Residual 2023 (latest, open-ended): 12,000,000 × 0.6096 / 1000 = 7,315.2 t market-based without instruments.
        Assert.Equal(7_315.2, r2025.Totals.Scope2MarketT, 0.01);
        // WC-24 heat 0.11 tCO2/GJ.
        Assert.Equal(550, Run(lib, AccountingMethod.Ghgp, GwpSet.AR6, A("purchased_heat", "heat", 5_000, "GJ")).Totals.Scope2LocationT, 0.001);
        // ETS 0.5703 (WC-22) by dataset.
        Assert.Contains(lib, r => r.Dataset == "ETS" && r.Value == 0.5703);
    }
}
