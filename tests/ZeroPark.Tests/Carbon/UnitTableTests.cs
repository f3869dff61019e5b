using ZeroPark.Carbon;
using ZeroPark.Domain;

namespace ZeroPark.Tests.CarbonAccounting;

/// <summary>The one unit table: meter units, activity units and factor bases are parsed by <see cref="Units"/>.</summary>
public sealed class UnitTableTests
{
    [Theory]
    [InlineData("kWh", "kWh")]
    [InlineData(" 千瓦时 ", "kWh")]
    [InlineData("度", "kWh")]
    [InlineData("mwh", "MWh")]
    [InlineData("吨", "t")]
    [InlineData("升", "L")]
    [InlineData("m³", "m3")]
    [InlineData("万标方", "10^4Nm3")]
    [InlineData("kw", "kW")]
    public void Spellings_parse_to_one_unit(string spelling, string symbol) => Assert.Equal(symbol, Units.Parse(spelling).Symbol);

    [Fact]
    public void Meters_activities_and_factor_bases_share_the_table()
    {
        // 1 GJ = 1000 / 3.6 = 277.777… kWh for a heat meter and for an activity alike.
        Assert.Equal(1000 / 3.6, MeterUnits.ToCanonicalFactor(Carrier.Heat, "GJ"), 12);
        Assert.Equal(1000 / 3.6, ActivityUnits.Scale("GJ"), 12);
        // A water meter in litres: 1 L = 0.001 m³; a diesel meter in m³: 1 m³ = 1,000 L; LPG in t: 1,000 kg; power in MW: 1,000 kW.
        Assert.Equal(0.001, MeterUnits.ToCanonicalFactor(Carrier.Water, "升"), 12);
        Assert.Equal(1000, MeterUnits.ToCanonicalFactor(Carrier.Diesel, "m3"), 12);
        Assert.Equal(1000, MeterUnits.ToCanonicalFactor(Carrier.Lpg, "吨"), 12);
        Assert.Equal(1000, MeterUnits.ToKilowattsFactor("MW"), 12);
        Assert.Throws<ArgumentException>(() => MeterUnits.ToCanonicalFactor(Carrier.Water, "kWh"));
        // Power units are not activity units.
        Assert.Throws<CarbonException>(() => ActivityUnits.Parse("kW"));
        // A factor basis is a parsed unit: kgCO2/MWh → basis MWh (energy, 1,000 kWh).
        var fu = FactorUnit.Parse("kgCO2/MWh");
        Assert.Equal((1.0, "CO2", "MWh", UnitDimension.Energy), (fu.KilogramsPerNumeratorUnit, fu.NumeratorGas, fu.Basis.Symbol, fu.Basis.Dimension));
    }

    [Fact]
    public void Activity_amounts_are_quantities_and_factor_units_are_parsed_when_the_library_loads()
    {
        var a = new Activity { Date = new DateOnly(2025, 1, 1), Source = "diesel_generator", Material = "diesel", Amount = 2.5, Unit = "吨" };
        // 2.5 t = 2,500 kg.
        Assert.Equal(2_500, ActivityUnits.Convert(a.Quantity, Units.Kilogram), 12);
        Assert.Throws<CarbonException>(() => (a with { Unit = "barrel" }).Quantity);

        var good = new FactorRecord { Dataset = "X", Material = "electricity", Gas = "CO2", Value = 530.6, Unit = "kgCO2/MWh", ValidFrom = new DateOnly(2020, 1, 1) };
        var bad = good with { Material = "steam", Unit = "kgCO2/barrel" };
        var ncv = new FactorRecord { Dataset = "X", Kind = FactorKind.Ncv, Material = "diesel", Value = 43, Unit = "GJ/t", ValidFrom = new DateOnly(2020, 1, 1) };
        _ = new FactorLibrary([good, bad, ncv]);   // a bad unit does not stop the library; it is reported where the record is used
        Assert.Equal("MWh", good.EmissionUnit.Basis.Symbol);
        // 530.6 kgCO2/MWh = 0.5306 kgCO2/kWh.
        Assert.Equal(0.5306, new FactorChoice(good, "", []).EnergyFactor.KilogramsCo2ePerKilowattHour, 12);
        Assert.Contains("unknown basis 'barrel'", Assert.Throws<CarbonException>(() => bad.EmissionUnit).Message, StringComparison.Ordinal);
        Assert.Equal(("GJ", "t"), (ncv.ParameterUnit.Numerator.Symbol, ncv.ParameterUnit.Per.Symbol));
    }

    [Fact]
    public void Scope2_basis_is_an_enum_written_as_its_code()
    {
        Assert.Equal(["", "location", "market", "both"], new[] { Scope2Basis.None, Scope2Basis.Location, Scope2Basis.Market, Scope2Basis.Both }.Select(b => b.Code()));
        Assert.Equal(Scope2Basis.Market, Scope2Bases.Parse("market"));
        // Saved inventories keep their JSON: the basis is the code string, and the typed emissions are not written.
        var line = new InventoryLine
        {
            Id = "L1", Scope = GhgScope.Scope2, Basis = Scope2Basis.Location, Source = "purchased_electricity", Material = "electricity", Activity = 1, Unit = "kWh",
            Co2eTonnes = 0.0005306, Gases = [], Factors = [], Factor = "", FactorSource = "", Formula = "", Trace = [], Origins = [],
        };
        var json = System.Text.Json.JsonSerializer.Serialize(line, ZeroPark.Application.Carbon.CarbonJson.Options);
        Assert.Contains("\"basis\":\"location\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"co2e\":", json, StringComparison.Ordinal);
        Assert.Equal(Scope2Basis.Location, System.Text.Json.JsonSerializer.Deserialize<InventoryLine>(json, ZeroPark.Application.Carbon.CarbonJson.Options)!.Basis);
        // 0.0005306 t = 0.5306 kg.
        Assert.Equal(0.5306, line.Co2e.KilogramsCo2e, 12);
    }

    [Theory]
    [InlineData("°C", "°C", UnitDimension.Temperature)]
    [InlineData("℃", "°C", UnitDimension.Temperature)]
    [InlineData("degC", "°C", UnitDimension.Temperature)]
    [InlineData("%RH", "%", UnitDimension.RelativeHumidity)]
    [InlineData("RH", "%", UnitDimension.RelativeHumidity)]
    [InlineData("certificates", "certificate", UnitDimension.Certificate)]
    [InlineData("张", "certificate", UnitDimension.Certificate)]
    public void Gauge_and_certificate_units_are_in_the_one_table(string spelling, string symbol, UnitDimension dimension)
    {
        var u = Units.Parse(spelling);
        Assert.Equal((symbol, dimension), (u.Symbol, u.Dimension));
        // A gauge unit is its own canonical unit; an energy or volume unit is not a gauge unit.
        Assert.Equal(dimension != UnitDimension.Certificate, MeterUnits.IsGaugeUnit(spelling));
    }

    [Fact]
    public void Gauge_meters_read_their_unit_from_the_table()
    {
        Assert.Equal("°C", MeterUnits.GaugeCanonical(" ℃ "));
        Assert.Equal(1.0, MeterUnits.GaugeFactor("%RH"));
        Assert.False(MeterUnits.IsGaugeUnit("kWh"));
        Assert.Throws<ArgumentException>(() => MeterUnits.GaugeCanonical("kWh"));
    }

    [Fact]
    public void Instrument_quantities_convert_through_the_table()
    {
        // 3 GECs = 3 MWh = 3 × 1000 = 3000 kWh (certificates are the GEC default); 2.5 MWh of green power = 2500 kWh (MWh is the
        // default otherwise); 1.2 GWh = 1,200,000 kWh; 750 千瓦时 = 750 kWh.
        Assert.Equal(3000, InstrumentQuantity.ToKilowattHours(InstrumentKind.Gec, 3, null));
        Assert.Equal(2500, InstrumentQuantity.ToKilowattHours(InstrumentKind.GreenPower, 2.5, null));
        Assert.Equal(1_200_000, InstrumentQuantity.ToKilowattHours(InstrumentKind.GreenPower, 1.2, "GWh"));
        Assert.Equal(750, InstrumentQuantity.ToKilowattHours(InstrumentKind.Gec, 750, "千瓦时"));
        // Certificates only for GECs; a volume or an unknown unit is no quantity of energy.
        Assert.Null(InstrumentQuantity.ToKilowattHours(InstrumentKind.GreenPower, 3, "certificates"));
        Assert.Null(InstrumentQuantity.ToKilowattHours(InstrumentKind.Gec, 3, "m3"));
        Assert.Null(InstrumentQuantity.ToKilowattHours(InstrumentKind.Gec, 3, "bananas"));
    }
}
