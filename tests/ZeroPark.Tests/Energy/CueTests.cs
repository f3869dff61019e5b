using ZeroPark.Domain;
using ZeroPark.EnergyManagement;

namespace ZeroPark.Tests.EnergyManagement;

/// <summary>The one CUE definition (ISO/IEC 30134-8) with hand-worked figures: grid electricity day by day at each day's
/// location-based factor, plus on-site stationary combustion, over IT energy.</summary>
public sealed class CueTests
{
    [Fact]
    public void Cue_sums_grid_electricity_day_by_day_at_each_days_factor_plus_on_site_combustion_over_it_energy()
    {
        // Day 1 (last day of a factor's validity): 3,120 kWh × 0.5366 kgCO2/kWh = 1,674.192 kg.
        // Day 2 (the next factor): 3,360 kWh × 0.5306 = 1,782.816 kg, plus a backup-diesel invoice of 1 t burnt that day:
        //   IPCC 2006 / AR6: 0.043 TJ × (74,100 + 10 × 29.8 + 0.6 × 273) kg/TJ = 3,186.3 + 12.814 + 7.0434 = 3,206.1574 kg.
        // Numerator 1,674.192 + 1,782.816 + 3,206.1574 = 6,663.1654 kg; IT 2 × 2,400 = 4,800 kWh → CUE 1.388159458 kgCO2e/kWh.
        var day1 = Cue.EnergyRelated(Energy.FromKilowattHours(3_120), new EnergyEmissionFactor(0.5366), Emissions.Zero);
        var day2 = Cue.EnergyRelated(Energy.FromKilowattHours(3_360), new EnergyEmissionFactor(0.5306), Emissions.FromKilogramsCo2e(3_206.1574));
        Assert.Equal(1_674.192, day1.KilogramsCo2e, 1e-9);
        Assert.Equal(4_988.9734, day2.KilogramsCo2e, 1e-9);
        Assert.Equal(1.388159458, Cue.KilogramsPerKilowattHour(day1 + day2, Energy.FromKilowattHours(4_800))!.Value, 1e-9);

        // The KPI calculator takes the same numerator: grid emissions summed by day and the combustion.
        var r = KpiCalculator.Compute(new KpiInputs
        {
            Period = TimeSpan.FromDays(2), FacilityInput = Energy.FromKilowattHours(6_480), It = Energy.FromKilowattHours(4_800),
            GridEmissionFactor = new EnergyEmissionFactor(0.5366), GridEmissions = Emissions.FromKilogramsCo2e(1_674.192 + 1_782.816),
            OtherEmissions = Emissions.FromKilogramsCo2e(3_206.1574),
        });
        Assert.Equal(1.388159458, r.Cue!.Value, 1e-9);

        // No IT energy: no CUE.
        Assert.Null(Cue.KilogramsPerKilowattHour(day1, Energy.Zero));
    }

    [Theory]
    [InlineData("diesel_generator", true)]
    [InlineData("boiler", true)]
    [InlineData("cchp", true)]
    [InlineData("stationary_combustion", true)]
    [InlineData("vehicle", false)]          // park vehicles: not data-centre energy
    [InlineData("canteen", false)]          // canteen fuel: not data-centre energy
    [InlineData("refrigerant_leak", false)] // a release, not energy
    public void Only_stationary_combustion_for_the_data_centre_counts(string source, bool counts) =>
        Assert.Equal(counts, Cue.CountsCombustion(source));
}
