using ZeroPark.Domain;

namespace ZeroPark.Carbon;

/// <summary>The quantity of a contractual instrument in kWh, read through the one unit table (<see cref="Units"/>): any energy
/// unit (MWh by default, kWh, GWh, 兆瓦时, …), or certificates for a GEC (1 certificate = 1 MWh, the default for GECs).</summary>
public static class InstrumentQuantity
{
    /// <summary>The unit a quantity is in when none is given.</summary>
    public static string DefaultUnit(InstrumentKind kind) => kind == InstrumentKind.Gec ? "certificates" : "MWh";

    /// <summary><paramref name="quantity"/> in <paramref name="unit"/> as kWh, or null when the unit is not an energy unit of
    /// the table (or certificates for another kind than a GEC).</summary>
    public static double? ToKilowattHours(InstrumentKind kind, double quantity, string? unit)
    {
        if (!Units.TryParse(unit ?? DefaultUnit(kind), out var u)) return null;
        return u.Dimension switch
        {
            UnitDimension.Energy => quantity * u.ToCanonical,
            // 1 GEC (绿证) = 1 MWh = 1000 kWh of renewable electricity.
            UnitDimension.Certificate when kind == InstrumentKind.Gec => quantity * 1000,
            _ => null,
        };
    }
}
