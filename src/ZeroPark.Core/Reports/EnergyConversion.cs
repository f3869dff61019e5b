using ZeroPark.Domain;

namespace ZeroPark.Reports;

/// <summary>
/// Energy conversions the disclosure packs need. Pure.
/// <list type="bullet">
/// <item>Fuel energy (GJ) of a combustion line from its own activity, density and NCV factor records, the same figures the
/// inventory's trace multiplies (mass in t × NCV in GJ/t; gases: volume in 10⁴ Nm³ × NCV in GJ/10⁴Nm³).</item>
/// <item>Standard coal equivalent (tce, 吨标准煤) for the China 重点用能单位 fields: 1 kgce = 29,307.6 kJ (7,000 kcal × 4.1868, GB/T 2589-2020
/// §3.3); electricity at its calorific equivalent (当量值) 3,600 kJ/kWh ÷ 29,307.6 kJ/kgce = 0.12284 kgce/kWh (GB/T 2589 tabulates
/// 0.1229); fuels from their energy in GJ the same way (1 GJ = 10⁶ kJ ÷ 29,307.6 = 34.121 kgce).</item>
/// </list>
/// </summary>
public static class EnergyConversion
{
    /// <summary>kJ per kg of standard coal (GB/T 2589-2020: 7,000 kcal/kgce, 1 kcal = 4.1868 kJ).</summary>
    public const double KilojoulesPerKgce = 7000 * 4.1868;

    public static double TceOfKwh(double kwh) => kwh * 3600 / KilojoulesPerKgce / 1000;

    public static double TceOfGj(double gj) => gj * 1_000_000 / KilojoulesPerKgce / 1000;

    public static double GjOfKwh(double kwh) => Energy.FromKilowattHours(kwh).Gigajoules;

    /// <summary>The energy (GJ) of burnt fuel: <paramref name="amount"/> in <paramref name="unit"/>, NCV <paramref name="ncv"/> in
    /// <paramref name="ncvUnit"/> (GJ/t or GJ/10^4Nm3), density (kg/L) for liquids given by volume. Null when the units do not fit.</summary>
    public static double? FuelGj(double amount, string unit, double? densityKgPerL, double ncv, string ncvUnit)
    {
        if (!Units.TryParse(unit, out var u)) return null;
        var basis = ncvUnit.Split('/', 2) is [_, var b] ? b : "";
        if (!Units.TryParse(basis, out var nb)) return null;
        double inBasis;
        if (nb.Dimension == UnitDimension.Mass)
        {
            var kg = u.Dimension switch
            {
                UnitDimension.Mass => amount * u.ToCanonical,
                UnitDimension.LiquidVolume when densityKgPerL is { } d => amount * u.ToCanonical * d,
                _ => (double?)null,
            };
            if (kg is null) return null;
            inBasis = kg.Value / nb.ToCanonical;
        }
        else if (nb.Dimension == u.Dimension) inBasis = amount * u.ToCanonical / nb.ToCanonical;
        else return null;
        return inBasis * ncv;
    }
}
