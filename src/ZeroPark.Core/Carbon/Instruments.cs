namespace ZeroPark.Carbon;

/// <summary>Contractual instruments for market-based scope 2, in the GHG Protocol Scope 2 hierarchy order.</summary>
public enum InstrumentKind
{
    /// <summary>Unbundled green electricity certificate (绿证, GEC): 1 certificate = 1 MWh (发改能源〔2023〕1044号).</summary>
    Gec = 1,
    /// <summary>Green power trade (绿电交易): energy with its certificate ("证电合一"), counted once, here.</summary>
    GreenPower = 2,
    /// <summary>Supplier-specific emission rate for a delivered quantity.</summary>
    SupplierRate = 3,
}

/// <summary>
/// A contractual instrument held for the park: a quantity (kWh) of consumption it covers within its coverage period, at an
/// emission rate (0 for certificates and green power). Instruments never cover more than the grid consumption of the period
/// they are applied to, and each kWh of an instrument is applied once (the part of its coverage period outside an inventory's
/// period is not available to that inventory).
/// </summary>
public sealed record Instrument
{
    public long Id { get; init; }
    public required InstrumentKind Kind { get; init; }
    /// <summary>Covered consumption in kWh (a GEC count × 1,000).</summary>
    public required double QuantityKwh { get; init; }
    /// <summary>kgCO2e/kWh of the covered consumption (0 for GEC and green power).</summary>
    public double FactorKgPerKwh { get; init; }
    public required DateOnly CoverFrom { get; init; }
    public required DateOnly CoverTo { get; init; }
    /// <summary>Market (province, grid region or CN) the instrument comes from; empty = national.</summary>
    public string Region { get; init; } = "";
    public string Reference { get; init; } = "";
    public string Note { get; init; } = "";

    public static string Code(InstrumentKind k) => k switch
    {
        InstrumentKind.Gec => "gec",
        InstrumentKind.GreenPower => "green_power",
        InstrumentKind.SupplierRate => "supplier_rate",
        _ => throw new ArgumentOutOfRangeException(nameof(k)),
    };

    public static InstrumentKind ParseKind(string s) => s.Trim().ToLowerInvariant() switch
    {
        "gec" or "绿证" => InstrumentKind.Gec,
        "green_power" or "绿电" or "ppa" => InstrumentKind.GreenPower,
        "supplier_rate" or "supplier" => InstrumentKind.SupplierRate,
        _ => throw new CarbonException($"unknown instrument kind '{s}' (expected gec, green_power or supplier_rate)"),
    };

    public int CoverDays => CoverTo.DayNumber - CoverFrom.DayNumber + 1;

    /// <summary>The part of the quantity that falls in [from, to], pro rata by days of the coverage period.</summary>
    public double AvailableKwh(DateOnly from, DateOnly to)
    {
        var a = Math.Max(from.DayNumber, CoverFrom.DayNumber);
        var b = Math.Min(to.DayNumber, CoverTo.DayNumber);
        if (b < a) return 0;
        var days = b - a + 1;
        return days == CoverDays ? QuantityKwh : QuantityKwh * days / CoverDays;
    }
}
