using ZeroPark.Carbon;
using ZeroPark.Domain;

namespace ZeroPark.EnergyManagement;


/// <summary>
/// The one definition of CUE (carbon usage effectiveness, ISO/IEC 30134-8:2022; T/BFIA 043 §3.8) in ZeroPark, in kgCO2e/kWh:
/// <code>
/// CUE = (Σ over the local days d of the period: E_grid(d) × EF_location(d)  +  E_combustion) / E_IT
/// </code>
/// <list type="bullet">
/// <item>E_grid(d): grid electricity imported on day d (Σ facility_input electricity meters of the node), times the
/// location-based grid factor the carbon inventory uses on that day (MEE/NBS by default, the park's grid dataset setting). An
/// hour takes the factor of its day; a longer bucket is the sum of its days, so every period gives the same figure whichever
/// bucketing asked for it.</item>
/// <item>E_combustion: CO2e of fuel burnt on site for the data centre's energy, scope 1 stationary combustion of the sources
/// <see cref="CombustionSources"/> (diesel generators, boilers, CCHP, other stationary combustion), from fuel_input meters (at the
/// inventory's per-unit rate of the period) and from entered activity records (on the record's date), with the inventory's
/// method and GWP set. Park vehicles and canteen fuel are not data-centre energy and are left out.</item>
/// <item>E_IT: IT equipment energy (Σ it_load electricity meters).</item>
/// </list>
/// Not in the numerator: market-based scope 2 (green power, certificates and residual mix are reported in the inventory's
/// market-based total, and renewable purchases in REF; CUE stays location-based so parks on the same grid compare and no
/// instrument is counted twice); purchased heat, steam and cooling (outside E_DC, which ZeroPark meters as electricity);
/// refrigerant and SF6 releases (not energy); scope 3.
/// </summary>
public static class Cue
{
    /// <summary>Scope 1 sources whose fuel is burnt for the data centre's energy.</summary>
    public static readonly IReadOnlySet<string> CombustionSources =
        new HashSet<string>(["diesel_generator", "boiler", "cchp", "stationary_combustion"], StringComparer.Ordinal);

    /// <summary>True when emissions of <paramref name="source"/> count as on-site combustion in CUE's numerator.</summary>
    public static bool CountsCombustion(string source) => CombustionSources.Contains(source);

    /// <summary>The numerator: grid electricity's location-based emissions plus on-site combustion.</summary>
    public static Emissions EnergyRelated(Emissions gridElectricity, Emissions combustion) => gridElectricity + combustion;

    /// <summary>The numerator of one day (or one hour of it): grid electricity × the day's location-based factor + combustion.</summary>
    public static Emissions EnergyRelated(Energy grid, EnergyEmissionFactor locationFactor, Emissions combustion) => grid * locationFactor + combustion;

    /// <summary>CUE in kgCO2e/kWh, or null when IT energy is not positive.</summary>
    public static double? KilogramsPerKilowattHour(Emissions energyRelated, Energy it) =>
        it.KilowattHours > 0 ? energyRelated.KilogramsCo2e / it.KilowattHours : null;

    public const string Formula = "CUE = (grid electricity × location-based factor of each day + on-site stationary combustion) / IT energy (ISO/IEC 30134-8)";
}
