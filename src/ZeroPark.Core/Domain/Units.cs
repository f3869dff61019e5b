using System.Globalization;

namespace ZeroPark.Domain;

/// <summary>Physical dimension of a unit. Conversions inside a dimension are exact scales; across dimensions they need a
/// parameter (density L→kg, NCV kg→GJ or Nm³→GJ) that is itself a factor record shown in the trace.</summary>
public enum UnitDimension
{
    Energy,
    Mass,
    LiquidVolume,
    GasVolume,
    PassengerDistance,
    Distance,
    FreightDistance,
    Money,
    Count,
    Power,
    /// <summary>A gauge's temperature (°C): a value at an instant, never summed.</summary>
    Temperature,
    /// <summary>A gauge's relative humidity (%): a value at an instant, never summed.</summary>
    RelativeHumidity,
    /// <summary>Energy attribute certificates counted by the piece (a GEC, 绿证, stands for 1 MWh of renewable electricity).</summary>
    Certificate,
}

/// <summary>A parsed unit: its symbol as ZeroPark writes it, its dimension and how many canonical units one of it is.
/// Canonical units: kWh, kg, L, Nm3, pkm, km, tkm, CNY, item, kW, °C, %, certificate.</summary>
public sealed record Unit(string Symbol, UnitDimension Dimension, double ToCanonical)
{
    public override string ToString() => Symbol;
}

/// <summary>
/// The one unit table of ZeroPark: meter units (gauges' °C and % too), activity units, the bases of factor units and the
/// quantity units of contractual instruments (MWh, kWh, certificates) are all spelled here, with their aliases (Chinese
/// names, other cases). <see cref="Parse"/> turns a spelling into a <see cref="Unit"/>.
/// </summary>
public static class Units
{
    private static readonly Dictionary<string, Unit> Table = new[]
    {
        new Unit("Wh", UnitDimension.Energy, 0.001),
        new Unit("kWh", UnitDimension.Energy, 1),
        new Unit("MWh", UnitDimension.Energy, 1000),
        new Unit("GWh", UnitDimension.Energy, 1_000_000),
        new Unit("MJ", UnitDimension.Energy, Energy.KilowattHoursPerGigajoule / 1000),
        new Unit("GJ", UnitDimension.Energy, Energy.KilowattHoursPerGigajoule),
        new Unit("TJ", UnitDimension.Energy, Energy.KilowattHoursPerGigajoule * 1000),
        new Unit("g", UnitDimension.Mass, 0.001),
        new Unit("kg", UnitDimension.Mass, 1),
        new Unit("t", UnitDimension.Mass, 1000),
        new Unit("Gg", UnitDimension.Mass, 1_000_000),
        new Unit("L", UnitDimension.LiquidVolume, 1),
        new Unit("m3", UnitDimension.LiquidVolume, 1000),
        new Unit("Nm3", UnitDimension.GasVolume, 1),
        new Unit("10^4Nm3", UnitDimension.GasVolume, 10_000),
        new Unit("pkm", UnitDimension.PassengerDistance, 1),
        new Unit("km", UnitDimension.Distance, 1),
        new Unit("tkm", UnitDimension.FreightDistance, 1),
        new Unit("CNY", UnitDimension.Money, 1),
        new Unit("10^4CNY", UnitDimension.Money, 10_000),
        new Unit("item", UnitDimension.Count, 1),
        new Unit("W", UnitDimension.Power, 0.001),
        new Unit("kW", UnitDimension.Power, 1),
        new Unit("MW", UnitDimension.Power, 1000),
        new Unit("°C", UnitDimension.Temperature, 1),
        new Unit("%", UnitDimension.RelativeHumidity, 1),
        new Unit("certificate", UnitDimension.Certificate, 1),
    }.ToDictionary(u => u.Symbol, StringComparer.Ordinal);

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["wh"] = "Wh", ["kwh"] = "kWh", ["千瓦时"] = "kWh", ["度"] = "kWh", ["mwh"] = "MWh", ["兆瓦时"] = "MWh", ["gwh"] = "GWh",
        ["mj"] = "MJ", ["gj"] = "GJ", ["吉焦"] = "GJ", ["tj"] = "TJ",
        ["千克"] = "kg", ["公斤"] = "kg", ["吨"] = "t", ["tonne"] = "t", ["tonnes"] = "t",
        ["l"] = "L", ["升"] = "L", ["m³"] = "m3", ["立方米"] = "m3", ["方"] = "m3",
        ["nm³"] = "Nm3", ["nm3"] = "Nm3", ["标方"] = "Nm3", ["万nm3"] = "10^4Nm3", ["万标方"] = "10^4Nm3", ["10^4nm3"] = "10^4Nm3", ["1e4nm3"] = "10^4Nm3",
        ["p.km"] = "pkm", ["人公里"] = "pkm", ["公里"] = "km", ["t.km"] = "tkm", ["吨公里"] = "tkm",
        ["元"] = "CNY", ["rmb"] = "CNY", ["cny"] = "CNY", ["万元"] = "10^4CNY",
        ["个"] = "item", ["台"] = "item", ["pcs"] = "item", ["unit"] = "item",
        ["w"] = "W", ["kw"] = "kW", ["mw"] = "MW",
        ["℃"] = "°C", ["degc"] = "°C", ["c"] = "°C", ["%rh"] = "%", ["rh"] = "%",
        ["certificates"] = "certificate", ["gec"] = "certificate", ["张"] = "certificate",
    };

    /// <summary>Every unit of the table.</summary>
    public static IEnumerable<Unit> All => Table.Values;

    /// <summary>The table's symbol for a spelling (trimmed; aliases resolved), or the trimmed spelling when unknown.</summary>
    public static string Normalize(string spelling)
    {
        var u = spelling.Trim();
        if (Table.ContainsKey(u)) return u;
        if (Aliases.TryGetValue(u, out var a)) return a;
        // Exact symbols differing in case only where no two symbols clash (kwh, KWH → kWh; but MW ≠ mW is not an issue here).
        return u;
    }

    public static bool TryParse(string? spelling, out Unit unit)
    {
        unit = null!;
        if (spelling is null) return false;
        return Table.TryGetValue(Normalize(spelling), out unit!);
    }

    /// <summary>Parses a spelling; throws <see cref="FormatException"/> naming it when it is not in the table.</summary>
    public static Unit Parse(string spelling) => TryParse(spelling, out var u) ? u
        : throw new FormatException($"unknown unit '{spelling}'");

    public static Unit KilowattHour => Table["kWh"];
    public static Unit Kilogram => Table["kg"];
    public static Unit Litre => Table["L"];
}

/// <summary>An amount in a parsed unit (activity data keeps the unit it came in; conversions are exact inside a dimension).</summary>
public readonly record struct Quantity(double Value, Unit Unit)
{
    public UnitDimension Dimension => Unit.Dimension;

    /// <summary>The amount in the dimension's canonical unit (kWh, kg, L, Nm3, …).</summary>
    public double Canonical => Value * Unit.ToCanonical;

    /// <summary>The amount in <paramref name="target"/>, which must have the same dimension.</summary>
    public double In(Unit target) => target.Dimension == Unit.Dimension ? Value * Unit.ToCanonical / target.ToCanonical
        : throw new InvalidOperationException($"cannot convert {Unit.Symbol} to {target.Symbol} without a parameter");

    public override string ToString() => Value.ToString("#,0.####", CultureInfo.InvariantCulture) + " " + Unit.Symbol;
}
