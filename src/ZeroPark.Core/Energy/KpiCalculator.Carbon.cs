using ZeroPark.Domain;

namespace ZeroPark.EnergyManagement;

/// <summary>Carbon family: CUE (kgCO2e/kWh, ISO/IEC 30134-8), by the one definition of <see cref="Cue"/>.</summary>
public static partial class KpiCalculator
{
    private static double? CarbonFamily(Period p)
    {
        var x = p.X;
        if (x.GridEmissionFactor is null && x.GridEmissions is null) p.Note("cue", "no grid emission factor given");
        else if (x.FacilityInput is null) p.Note("cue", "grid electricity is not known (no facility_input reading)");
        else if (p.ItWhy is not null) p.Note("cue", p.ItWhy);
        else
        {
            var grid = x.GridEmissions ?? x.FacilityInput.Value * x.GridEmissionFactor!.Value;
            return Cue.KilogramsPerKilowattHour(Cue.EnergyRelated(grid, x.OtherEmissions ?? Emissions.Zero), p.It!.Value);
        }
        return null;
    }
}
