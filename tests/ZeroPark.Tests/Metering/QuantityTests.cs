using ZeroPark.Domain;

namespace ZeroPark.Tests.Metering;


public class QuantityTests
{
    [Fact]
    public void Energy_conversions_are_explicit_and_exact()
    {
        Assert.Equal(1500, Energy.FromMegawattHours(1.5).KilowattHours);
        Assert.Equal(1000, Energy.FromGigajoules(3.6).KilowattHours, 9);   // 3.6 GJ = 1 MWh
        Assert.Equal(3.6, Energy.FromMegawattHours(1).Gigajoules, 9);
    }

    [Fact]
    public void Energy_over_time_is_power_and_power_times_time_is_energy()
    {
        Assert.Equal(Power.FromKilowatts(40), Energy.FromKilowattHours(10) / TimeSpan.FromMinutes(15));
        Assert.Equal(Energy.FromKilowattHours(250), Power.FromKilowatts(1000) * TimeSpan.FromMinutes(15));
    }

    [Fact]
    public void Energy_times_factor_is_emissions()
    {
        // 1,000 kWh × 0.5366 kgCO2/kWh = 536.6 kgCO2e
        var e = Energy.FromKilowattHours(1000) * EnergyEmissionFactor.FromTonnesPerMegawattHour(0.5366);
        Assert.Equal(536.6, e.KilogramsCo2e, 9);
        Assert.Equal(0.5366, e.TonnesCo2e, 9);
    }

    [Fact]
    public void Pue_is_a_ratio_of_energies()
    {
        Assert.Equal(1.25, Energy.FromKilowattHours(1250) / Energy.FromKilowattHours(1000), 12);
    }

    [Fact]
    public void Meter_units_that_do_not_fit_the_carrier_are_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => MeterUnits.ToCanonicalFactor(Carrier.Water, "kWh"));
        Assert.Contains("water", ex.Message);
        Assert.Equal(0.001, MeterUnits.ToCanonicalFactor(Carrier.Water, "L"));
        Assert.Equal(1000, MeterUnits.ToCanonicalFactor(Carrier.Diesel, "m3"));
    }
}
