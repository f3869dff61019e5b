using ZeroPark.Carbon;
using ZeroPark.Domain;

namespace ZeroPark.Tests.CarbonAccounting;

/// <summary>
/// Inventory lines and totals hold typed quantities: a line's activity is a <see cref="Quantity"/> in a parsed unit, its CO2e and
/// the totals are <see cref="Emissions"/>, and the lines add up to the totals with the quantities' own arithmetic. Figures are the
/// worked cases WC-36 (annual roll-up) and WC-23 (market-based scope 2) of the project's reference data, copied here with their
/// arithmetic.
/// </summary>
public sealed class InventoryQuantityTests
{
    private static readonly DateOnly Day = new(2025, 6, 15);

    private static FactorRecord F(long id, string dataset, string material, string gas, double value, string unit, string methods = "*",
        FactorKind kind = FactorKind.Emission, double? cc = null, double? of = null, FactorLevel level = FactorLevel.Default, string region = "") =>
        new()
        {
            Id = id, Dataset = dataset, Kind = kind, Material = material, Gas = gas, Value = value, Unit = unit, Methods = methods, CarbonContent = cc, OxidationRate = of,
            Level = level, Region = region, ValidFrom = new DateOnly(2000, 1, 1),
        };

    private static Activity A(string source, string material, double amount, string unit) =>
        new() { Date = Day, Source = source, Material = material, Amount = amount, Unit = unit };

    private static InventoryResult Run(AccountingMethod method, GwpSet gwp, IReadOnlyList<FactorRecord> factors, IReadOnlyList<Instrument> instruments, params Activity[] acts) =>
        InventoryCalculator.Compute(new InventoryRequest
        {
            Boundary = "p", From = new(2025, 1, 1), To = new(2025, 12, 31), Method = method, Gwp = gwp, Place = new Place("河北", "华北"), Activities = acts,
            Library = new FactorLibrary(factors), Instruments = instruments,
        });

    // WC-10/WC-12/WC-36 inputs: GB/T 32150 diesel NCV 42.652 GJ/t, CC 0.0202 tC/GJ, OF 0.98, density 0.84 kg/L; gasoline NCV 43.070 GJ/t,
    // CC 0.0189 tC/GJ, OF 0.98, density 0.73 kg/L; MEE-NBS 2022 national grid 0.5366 kgCO2/kWh.
    private static readonly FactorRecord[] Wc36Factors =
    [
        F(1, "GBT32150", "diesel", "", 42.652, "GJ/t", "cn-guideline", FactorKind.Ncv),
        F(2, "GBT32150", "diesel", "CO2", 0.0202 * 0.98 * 44 / 12, "tCO2/GJ", "cn-guideline", cc: 0.0202, of: 0.98),
        F(3, "D", "diesel", "", 0.84, "kg/L", kind: FactorKind.Density),
        F(4, "GBT32150", "gasoline", "", 43.070, "GJ/t", "cn-guideline", FactorKind.Ncv),
        F(5, "GBT32150", "gasoline", "CO2", 0.0189 * 0.98 * 44 / 12, "tCO2/GJ", "cn-guideline", cc: 0.0189, of: 0.98),
        F(6, "D", "gasoline", "", 0.73, "kg/L", kind: FactorKind.Density),
        F(7, "MEE-NBS", "electricity", "CO2", 0.5366, "kgCO2/kWh", level: FactorLevel.National, region: "CN"),
    ];

    [Fact]
    public void WC36_lines_add_up_to_the_totals_as_emissions()
    {
        // WC-36: diesel 20,000 L → 52.0113 t; gasoline 5,000 L → 10.6765 t; R410A 50 kg × 1923.5 (AR5) / 1000 = 96.175 t;
        // scope 1 = 52.0113 + 10.6765 + 96.175 = 158.8628 t; scope 2 (location) = 12,000,000 kWh × 0.5366 / 1000 = 6,439.2 t;
        // total = 158.8628 + 6,439.2 = 6,598.0628 t (tolerance 0.01 t).
        var r = Run(AccountingMethod.CnGuideline, GwpSet.AR5, Wc36Factors, [],
            A("purchased_electricity", "electricity", 12_000_000, "kWh"), A("diesel_generator", "diesel", 20_000, "L"),
            A("vehicle", "gasoline", 5_000, "升"), A("refrigerant_leak", "R410A", 50, "kg"));

        var scope1 = r.Lines.Where(l => l.Scope == GhgScope.Scope1).Select(l => l.Co2e).ToList();
        Assert.Equal(3, scope1.Count);
        var sum = scope1[0] + scope1[1] + scope1[2];
        Assert.Equal(r.Totals.Scope1, sum);
        Assert.Equal(158.8628, r.Totals.Scope1.TonnesCo2e, 0.01);
        Assert.Equal(158_862.8, r.Totals.Scope1.KilogramsCo2e, 10.0);   // the same 0.01 t, in kg
        Assert.Equal(6_439.2, r.Totals.Scope2Location.TonnesCo2e, 0.01);
        Assert.Equal(r.Totals.Scope1 + r.Totals.Scope2Location + r.Totals.Scope3, r.Totals.TotalLocation);
        Assert.Equal(6_598.0628, r.Totals.TotalLocation.TonnesCo2e, 0.01);
        // The figures the JSON and SQL read are the same amounts in tonnes.
        Assert.Equal(r.Totals.TotalLocation.TonnesCo2e, r.Totals.TotalLocationT);

        // Each line's activity is a quantity in its parsed unit: 20,000 L of diesel; 5,000 升 is 5,000 L; 12,000,000 kWh.
        var diesel = r.Lines.Single(l => l.Material == "diesel");
        Assert.Equal(new Quantity(20_000, Units.Litre), diesel.Quantity);
        Assert.Equal(UnitDimension.LiquidVolume, diesel.Quantity.Dimension);
        Assert.Equal((20_000.0, "L"), (diesel.Activity, diesel.Unit));
        Assert.Equal(new Quantity(5_000, Units.Litre), r.Lines.Single(l => l.Material == "gasoline").Quantity);
        Assert.Equal(12_000_000, r.Lines.Single(l => l.Basis == Scope2Basis.Location).Quantity.In(Units.Parse("MWh")) * 1000, 6);

        // R410A: 50 kg = 25 kg HFC-32 + 25 kg HFC-125; 25 × 677 + 25 × 3,170 = 96,175 kgCO2e = 96.175 t (AR5).
        var r410a = r.Lines.Single(l => l.Material == "R410A");
        Assert.Equal(Mass.FromKilograms(50), r410a.Gases[0].Mass + r410a.Gases[1].Mass);
        Assert.Equal(r410a.Co2e.KilogramsCo2e, (r410a.Gases[0].Co2e + r410a.Gases[1].Co2e).KilogramsCo2e, 9);
        Assert.Equal(96_175, r410a.Co2e.KilogramsCo2e, 9);
    }

    [Fact]
    public void WC23_market_based_lines_add_up_to_the_market_total()
    {
        // WC-23: grid 11,400,000 kWh; green power 2,400,000 kWh and 3,000 GEC × 1,000 kWh at 0 kgCO2/kWh; uncovered 6,000,000 kWh ×
        // 0.5856 (residual mix) / 1000 = 3,513.6 t; location-based 11,400,000 × 0.5366 / 1000 = 6,117.24 t.
        Instrument[] instruments =
        [
            new() { Id = 1, Kind = InstrumentKind.GreenPower, QuantityKwh = 2_400_000, CoverFrom = new(2025, 1, 1), CoverTo = new(2025, 12, 31), Reference = "GP-2025" },
            new() { Id = 2, Kind = InstrumentKind.Gec, QuantityKwh = 3_000 * 1_000, CoverFrom = new(2025, 1, 1), CoverTo = new(2025, 12, 31), Reference = "GEC-A" },
        ];
        FactorRecord[] grid =
        [
            F(1, "MEE-NBS", "electricity", "CO2", 0.5366, "kgCO2/kWh", level: FactorLevel.National, region: "CN"),
            F(2, "MEE-NBS-RESIDUAL", "electricity_residual", "CO2", 0.5856, "kgCO2/kWh", level: FactorLevel.National, region: "CN"),
        ];
        var r = Run(AccountingMethod.Ghgp, GwpSet.AR6, grid, instruments, A("purchased_electricity", "electricity", 11_400_000, "kWh"));
        var market = r.Lines.Where(l => l.Basis == Scope2Basis.Market).ToList();
        Assert.Equal(3, market.Count);   // GEC, green power, residual
        Assert.Equal(r.Totals.Scope2Market, market.SumTonnes(l => l.Co2e));
        Assert.Equal(3_513.6, r.Totals.Scope2Market.TonnesCo2e, 0.01);
        Assert.Equal(6_117.24, r.Totals.Scope2Location.TonnesCo2e, 0.01);
        // The residual line: 6,000,000 kWh.
        Assert.Equal(6_000_000, market.Single(l => l.Material == "electricity (residual)").Quantity.In(Units.KilowattHour), 6);
        Assert.All(market.Where(l => l.Material != "electricity (residual)"), l => Assert.Equal(Emissions.Zero, l.Co2e));
    }

    [Fact]
    public void Emissions_keep_the_unit_they_are_stated_in()
    {
        // 13.150677272838076 × 1000 / 1000 is not 13.150677272838076 in binary floating point: a figure stated in tonnes is read back
        // in tonnes unchanged, and in kg as × 1000.
        const double t = 13.150677272838076;
        Assert.NotEqual(t, t * 1000 / 1000);
        Assert.Equal(t, Emissions.FromTonnesCo2e(t).TonnesCo2e);
        Assert.Equal(t * 1000, Emissions.FromTonnesCo2e(t).KilogramsCo2e);
        // Tonnes add in tonnes: 0.1 t + 0.2 t is the double 0.1 + 0.2; kg add in kg.
        Assert.Equal(0.1 + 0.2, (Emissions.FromTonnesCo2e(0.1) + Emissions.FromTonnesCo2e(0.2)).TonnesCo2e);
        Assert.Equal(1_674.192 + 1_782.816, (Emissions.FromKilogramsCo2e(1_674.192) + Emissions.FromKilogramsCo2e(1_782.816)).KilogramsCo2e);
        // Mixed units add in kg: 1 t + 500 kg = 1,500 kg = 1.5 t.
        Assert.Equal(1_500, (Emissions.FromTonnesCo2e(1) + Emissions.FromKilogramsCo2e(500)).KilogramsCo2e);
        // Equal amounts are equal whatever their unit; 96,175 kg stated in tonnes is 96.175 t.
        Assert.Equal(Emissions.FromTonnesCo2e(2), Emissions.FromKilogramsCo2e(2_000));
        Assert.True(Emissions.FromTonnesCo2e(2) > Emissions.FromKilogramsCo2e(1_999));
        Assert.Equal(96.175, Emissions.FromKilogramsCo2e(96_175).ToTonnes().TonnesCo2e);
        // A sum in tonnes from 0 t: 52.0113 + 10.6765 + 96.175, added left to right as doubles would be.
        Assert.Equal(0 + 52.0113 + 10.6765 + 96.175,
            new[] { Emissions.FromTonnesCo2e(52.0113), Emissions.FromTonnesCo2e(10.6765), Emissions.FromTonnesCo2e(96.175) }.SumTonnes().TonnesCo2e);
        Assert.Equal(0, Array.Empty<Emissions>().SumTonnes().TonnesCo2e);
    }

    [Fact]
    public void Activity_units_are_parsed_once_when_given()
    {
        var a = new Activity { Date = Day, Source = "vehicle", Material = "diesel", Amount = 2.5, Unit = "吨" };
        // 吨 is the table's t: 2.5 t = 2,500 kg; the same parsed unit each time.
        Assert.Same(Units.Parse("t"), a.Quantity.Unit);
        Assert.Same(a.Quantity.Unit, a.Quantity.Unit);
        Assert.Equal(2_500, a.Quantity.In(Units.Kilogram), 12);
        // A changed amount keeps the parsed unit; a changed unit is parsed anew; an unknown one is an error where it is used.
        Assert.Equal(new Quantity(4, Units.Parse("t")), (a with { Amount = 4 }).Quantity);
        Assert.Equal(new Quantity(2.5, Units.Litre), (a with { Unit = "升" }).Quantity);
        Assert.Contains("unknown unit 'barrel'", Assert.Throws<CarbonException>(() => (a with { Unit = "barrel" }).Quantity).Message, StringComparison.Ordinal);
    }
}
