namespace ZeroPark.EnergyManagement;

/// <summary>Water family: WUE = site water (L) / E_IT (kWh) (ISO/IEC 30134-9, GB 50174-2017 §2.1.35).</summary>
public static partial class KpiCalculator
{
    private static double? WaterFamily(Period p)
    {
        if (p.X.Water is null) p.Note("wue", "site water input is not known (no water_input meter or no reading)");
        else if (p.ItWhy is not null) p.Note("wue", p.ItWhy);
        else return p.X.Water.Value.Litres / p.It!.Value.KilowattHours;
        return null;
    }
}
