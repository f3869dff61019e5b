namespace ZeroPark.Domain;

/// <summary>What a meter measures. Each carrier has one canonical unit in which ZeroPark stores deltas and
/// rollups; meter units are converted once, at ingestion.</summary>
public enum Carrier
{
    Electricity,
    Water,
    Diesel,
    Gasoline,
    NaturalGas,
    Lpg,
    Heat,
    Steam,
    ChilledWater,
    PvGeneration,
    ExportedElectricity,
    ExportedHeat,
    /// <summary>Outdoor (ambient) air: no quantity, only conditions measured by gauge meters (temperature, humidity).</summary>
    Ambient,
    /// <summary>The air of a room (white space, data hall): no quantity, only conditions measured by gauge meters linked to the room's
    /// space — cold-aisle (IT inlet) temperature °C by default, return/hot-aisle air when the code or name says so, relative humidity %.</summary>
    RoomAir,
}

/// <summary>Physical dimension of a carrier's canonical unit.</summary>
public enum Dimension
{
    Energy,
    Volume,
    Mass,
    /// <summary>No quantity (ambient conditions): only gauge meters.</summary>
    None,
}

/// <summary>How a meter reports. Cumulative: register value at an instant. Interval: quantity over the
/// interval that ends at the timestamp. Power: instantaneous power (kW) at the timestamp. Gauge: any other instantaneous,
/// non-additive measurement at the timestamp (temperature °C, relative humidity %); like power, averaged over a bucket, never summed.</summary>
public enum MeterKind
{
    Cumulative,
    Interval,
    Power,
    Gauge,
}

/// <summary>Where a meter sits in KPI boundaries and whether node sums include it.</summary>
public enum MeterRole
{
    /// <summary>An ordinary sub-meter: included in sums over its space/system nodes.</summary>
    Submeter,
    /// <summary>Energy entering the data center (PUE numerator boundary). Not summed into system nodes.</summary>
    FacilityInput,
    /// <summary>IT equipment energy (PUE denominator). Included in node sums.</summary>
    ItLoad,
    /// <summary>Water entering the data center (WUE).</summary>
    WaterInput,
    /// <summary>Energy reused outside the data center (ERF/ERE).</summary>
    ReusedHeat,
    /// <summary>On-site renewable generation (REF).</summary>
    RenewableOnsite,
    /// <summary>Energy exported to the grid or a third party.</summary>
    Export,
    /// <summary>A master or check meter (transformer, UPS input/output, incoming line) used for balance checks;
    /// not summed into nodes, so its energy is never counted twice with the meters below it.</summary>
    Check,
    /// <summary>Fuel delivered to generators/boilers/vehicles.</summary>
    FuelInput,
}

public static class Codes
{
    public static string Of(Carrier c) => c switch
    {
        Carrier.Electricity => "electricity",
        Carrier.Water => "water",
        Carrier.Diesel => "diesel",
        Carrier.Gasoline => "gasoline",
        Carrier.NaturalGas => "natural_gas",
        Carrier.Lpg => "lpg",
        Carrier.Heat => "heat",
        Carrier.Steam => "steam",
        Carrier.ChilledWater => "chilled_water",
        Carrier.PvGeneration => "pv_generation",
        Carrier.ExportedElectricity => "exported_electricity",
        Carrier.ExportedHeat => "exported_heat",
        Carrier.Ambient => "ambient",
        Carrier.RoomAir => "room_air",
        _ => throw new ArgumentOutOfRangeException(nameof(c)),
    };

    public static string Of(MeterKind k) => k switch
    {
        MeterKind.Cumulative => "cumulative",
        MeterKind.Interval => "interval",
        MeterKind.Power => "power",
        MeterKind.Gauge => "gauge",
        _ => throw new ArgumentOutOfRangeException(nameof(k)),
    };

    public static string Of(MeterRole r) => r switch
    {
        MeterRole.Submeter => "submeter",
        MeterRole.FacilityInput => "facility_input",
        MeterRole.ItLoad => "it_load",
        MeterRole.WaterInput => "water_input",
        MeterRole.ReusedHeat => "reused_heat",
        MeterRole.RenewableOnsite => "renewable_onsite",
        MeterRole.Export => "export",
        MeterRole.Check => "check",
        MeterRole.FuelInput => "fuel_input",
        _ => throw new ArgumentOutOfRangeException(nameof(r)),
    };

    public static readonly IReadOnlyList<Carrier> Carriers = Enum.GetValues<Carrier>();
    public static readonly IReadOnlyList<MeterRole> Roles = Enum.GetValues<MeterRole>();

    public static bool TryCarrier(string s, out Carrier c) => TryParse(s, Carriers, Of, out c);
    public static bool TryKind(string s, out MeterKind k) => TryParse(s, Enum.GetValues<MeterKind>(), Of, out k);
    public static bool TryRole(string s, out MeterRole r) => TryParse(s, Roles, Of, out r);

    public static Carrier ParseCarrier(string s) => TryCarrier(s, out var c) ? c
        : throw new ArgumentException($"unknown carrier '{s}' (expected one of {string.Join(", ", Carriers.Select(Of))})");
    public static MeterKind ParseKind(string s) => TryKind(s, out var k) ? k
        : throw new ArgumentException($"unknown kind '{s}' (expected cumulative, interval, power or gauge)");
    public static MeterRole ParseRole(string s) => TryRole(s, out var r) ? r
        : throw new ArgumentException($"unknown role '{s}' (expected one of {string.Join(", ", Roles.Select(Of))})");

    private static bool TryParse<T>(string s, IEnumerable<T> all, Func<T, string> code, out T value)
    {
        var key = s.Trim().ToLowerInvariant();
        foreach (var v in all)
        {
            if (code(v) == key) { value = v; return true; }
        }
        value = default!;
        return false;
    }
}

/// <summary>Units a meter may report in, and their conversion to the carrier's canonical unit
/// (kWh for energy carriers, m³ for water and gases, L for liquid fuels, kg for LPG).</summary>
public static class MeterUnits
{
    /// <summary>The canonical unit of a gauge (°C or %, from the unit table); throws <see cref="ArgumentException"/> naming the
    /// unit when it is not one.</summary>
    public static string GaugeCanonical(string unit) => IsGaugeUnit(unit) ? Units.Parse(unit).Symbol
        : throw new ArgumentException($"unit '{unit}' is not a gauge unit (°C or %)");

    /// <summary>Factor to the gauge's canonical unit (every accepted spelling is the canonical unit itself).</summary>
    public static double GaugeFactor(string unit) => Units.Parse(GaugeCanonical(unit)).ToCanonical;

    /// <summary>Whether the unit table reads <paramref name="unit"/> as a temperature or a relative humidity.</summary>
    public static bool IsGaugeUnit(string unit) =>
        Units.TryParse(unit, out var u) && u.Dimension is UnitDimension.Temperature or UnitDimension.RelativeHumidity;

    public static Dimension DimensionOf(Carrier c) => c switch
    {
        Carrier.Water or Carrier.NaturalGas or Carrier.Diesel or Carrier.Gasoline => Dimension.Volume,
        Carrier.Lpg => Dimension.Mass,
        Carrier.Ambient or Carrier.RoomAir => Dimension.None,
        _ => Dimension.Energy,
    };

    /// <summary>Canonical unit symbol in which deltas and rollups of this carrier are stored.</summary>
    public static string CanonicalUnit(Carrier c) => c switch
    {
        Carrier.Water or Carrier.NaturalGas => "m3",
        Carrier.Diesel or Carrier.Gasoline => "L",
        Carrier.Lpg => "kg",
        Carrier.Ambient or Carrier.RoomAir => "",
        _ => "kWh",
    };

    /// <summary>Factor that converts a value in <paramref name="unit"/> into the carrier's canonical unit (the spelling is parsed by
    /// the one unit table, <see cref="Units"/>). Water and gas meters take litres, m³ and Nm³ (a meter's m³ is not corrected to
    /// normal conditions, so 1 Nm³ counts as 1 m³). Throws <see cref="ArgumentException"/> naming the unit when it does not fit the carrier.</summary>
    public static double ToCanonicalFactor(Carrier c, string unit)
    {
        if (DimensionOf(c) == Dimension.None)
            throw new ArgumentException($"carrier {Codes.Of(c)} has no quantity: measure it with a gauge meter (kind gauge, unit °C or %)");
        double? f = !Units.TryParse(unit, out var u) ? null : (DimensionOf(c), u.Dimension) switch
        {
            (Dimension.Energy, UnitDimension.Energy) => u.ToCanonical,
            (Dimension.Volume, UnitDimension.LiquidVolume) when CanonicalUnit(c) == "m3" => u.ToCanonical / 1000.0,
            (Dimension.Volume, UnitDimension.GasVolume) when CanonicalUnit(c) == "m3" => u.ToCanonical,
            (Dimension.Volume, UnitDimension.LiquidVolume) => u.ToCanonical,
            (Dimension.Mass, UnitDimension.Mass) => u.ToCanonical,
            _ => null,
        };
        return f ?? throw new ArgumentException(
            $"unit '{unit}' does not fit carrier {Codes.Of(c)} (canonical unit {CanonicalUnit(c)})");
    }

    /// <summary>Factor that converts a power reading in <paramref name="unit"/> to kW.</summary>
    public static double ToKilowattsFactor(string unit) => Units.TryParse(unit, out var u) && u.Dimension == UnitDimension.Power ? u.ToCanonical
        : throw new ArgumentException($"unit '{unit}' is not a power unit (kW, MW, W)");
}

/// <summary>A meter, physical or virtual. Deltas are stored in the carrier's canonical unit: raw value ×
/// <see cref="Multiplier"/> × unit factor.</summary>
public sealed record Meter
{
    public required MeterId Id { get; init; }
    public required ParkId ParkId { get; init; }
    public required string Code { get; init; }
    public required string Name { get; init; }
    public required Carrier Carrier { get; init; }
    public required MeterKind Kind { get; init; }
    /// <summary>Unit of the raw values the meter reports (before the multiplier).</summary>
    public required string Unit { get; init; }
    /// <summary>Register value at which a cumulative register wraps to zero (e.g. 1,000,000 for 6 digits).</summary>
    public double? RegisterMax { get; init; }
    /// <summary>Multiplier / CT×PT ratio applied to raw values.</summary>
    public double Multiplier { get; init; } = 1.0;
    /// <summary>Nominal reporting interval (interval meters: the length each value covers).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(15);
    /// <summary>Largest plausible rate in canonical units per hour; larger deltas are flagged as jumps.</summary>
    public double? MaxRatePerHour { get; init; }
    /// <summary>Cumulative registers: a drop is a normal reset from zero (counted as the new value), not a suspected reset
    /// awaiting confirmation.</summary>
    public bool ResetsNormal { get; init; }
    public SpaceId? SpaceId { get; init; }
    public string? SystemCode { get; init; }
    public string? Device { get; init; }
    public MeterRole Role { get; init; } = MeterRole.Submeter;
    /// <summary>For a virtual meter: a linear formula over other meters' codes, e.g. <c>ups1_in - ups1_out</c>.</summary>
    public string? Formula { get; init; }

    public bool IsVirtual => Formula is not null;
    public string CanonicalUnit => Kind switch
    {
        MeterKind.Power => "kW",
        MeterKind.Gauge => MeterUnits.GaugeCanonical(Unit),
        _ => MeterUnits.CanonicalUnit(Carrier),
    };
    /// <summary>raw value × this = canonical value.</summary>
    public double ScaleToCanonical => Multiplier * Kind switch
    {
        MeterKind.Power => PowerFactor(Unit),
        MeterKind.Gauge => MeterUnits.GaugeFactor(Unit),
        _ => MeterUnits.ToCanonicalFactor(Carrier, Unit),
    };

    /// <summary>Power and gauge meters: a value at an instant, not a quantity over time. Their buckets are averages; they never
    /// feed node sums, aggregates, formulas, KPIs or carbon.</summary>
    public bool IsInstantaneous => Kind is MeterKind.Power or MeterKind.Gauge;

    /// <summary>Whether sums over space/system nodes include this meter: consumption meters only. Master/check meters and the
    /// facility input boundary are excluded so energy is never counted twice; generation (on-site renewables), exports and
    /// reused heat are not consumption.</summary>
    public bool IsSummable => Role is not (MeterRole.FacilityInput or MeterRole.Check or MeterRole.Export or MeterRole.RenewableOnsite or MeterRole.ReusedHeat);

    private static double PowerFactor(string unit) => MeterUnits.ToKilowattsFactor(unit);
}

/// <summary>Gauges of the carrier <c>room_air</c>, linked to the room (or floor, building) whose air they measure. A °C gauge is the
/// cold-aisle (IT inlet) temperature unless its code or name says it measures return or hot-aisle air (<c>return</c>, <c>hot</c>,
/// 回风, 热通道); a % gauge is the room's relative humidity.</summary>
public static class RoomAirGauges
{
    private static readonly string[] ReturnWords = ["return", "hot", "回风", "热通道"];

    public static bool IsTemperature(Meter m) => m.Kind == MeterKind.Gauge && m.Carrier == Carrier.RoomAir && m.CanonicalUnit == "°C";

    /// <summary>A room air temperature gauge that measures return or hot-aisle air (not the IT inlet).</summary>
    public static bool IsReturnAir(Meter m) =>
        IsTemperature(m) && ReturnWords.Any(w => m.Code.Contains(w, StringComparison.OrdinalIgnoreCase) || m.Name.Contains(w, StringComparison.OrdinalIgnoreCase));

    /// <summary>A cold-aisle (IT inlet) temperature gauge: the temperature ASHRAE TC9.9's envelope is about.</summary>
    public static bool IsInlet(Meter m) => IsTemperature(m) && !IsReturnAir(m);

    public static bool IsHumidity(Meter m) => m.Kind == MeterKind.Gauge && m.Carrier == Carrier.RoomAir && m.CanonicalUnit == "%";
}
