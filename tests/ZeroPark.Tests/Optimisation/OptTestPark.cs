using ZeroPark.Application;
using ZeroPark.Application.EnergyManagement;
using ZeroPark.Metering;
using ZeroPark.Tests.EnergyManagement;

namespace ZeroPark.Tests.Optimisation;

/// <summary>
/// A one-building park whose PUE has KNOWN drivers: 120 local days from 2025-01-01 (to 2025-04-30) of hourly interval meters (the reading at
/// t closes the hour [t − 1 h, t)), Asia/Shanghai, design IT capacity 1,000 kW, grid region 华北 (location factor 0.6361 kgCO2/kWh, MEE/NBS 2023),
/// the tariff A of <see cref="TariffTestData"/> from 2025-01-01 (valley 0.30 CNY/kWh 00–08).
/// <code>
///   day d (0…119):  T_d = 5 + 10·sin(2π d / 120) + 2·g₁   (°C; gauge 'temp', one reading per hour at :30, the same all day)
///                   L_d = 0.55 + 0.3·u                    (IT load rate)
///                   PUE_d = 1.10 + 0.008·T_d + 0.15·L_d + 0.004·g₂      g ~ N(0, 1), u ~ U(0, 1): System.Random(18)
///   hour h:         it (it_load)           = 1,000·L_d·(1 + 0.05·sin(2π (h − 8) / 24)) kWh    (Σ over the day = 24,000·L_d)
///                   in (facility_input)    = it × PUE_d                                        (so the day's PUE is PUE_d exactly)
///                   chiller (cooling.chiller) = it × (PUE_d − 1.05)
///                   light (aux.lighting)   = 4 kWh at 00–05, 10 kWh at 08–17, 6 kWh otherwise
///                   ups_in / ups_out (power.ups, check) = 105 / 100 kWh → virtual ups_loss = ups_in − ups_out
/// </code>
/// </summary>
internal static class OptTestPark
{
    public const string Park = "opt";
    public const int Days = 120;
    public static readonly DateOnly First = new(2025, 1, 1);
    public static readonly DateOnly Last = First.AddDays(Days - 1);   // 2025-04-30

    public static readonly (double T, double L, double Pue)[] Day = Build();

    private static (double, double, double)[] Build()
    {
        var rng = new Random(18);
        double G() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var days = new (double, double, double)[Days];
        for (var d = 0; d < Days; d++)
        {
            var t = 5 + 10 * Math.Sin(2 * Math.PI * d / 120) + 2 * G();
            var l = 0.55 + 0.3 * rng.NextDouble();
            days[d] = (t, l, 1.10 + 0.008 * t + 0.15 * l + 0.004 * G());
        }
        return days;
    }

    public static double It(int d, int h) => 1000 * Day[d].L * (1 + 0.05 * Math.Sin(2 * Math.PI * (h - 8) / 24));
    public static double Chiller(int d, int h) => It(d, h) * (Day[d].Pue - 1.05);
    public static double Light(int h) => h < 6 ? 4 : h is >= 8 and < 18 ? 10 : 6;

    public static async Task SeedAsync(ZeroParkStore store, string park = Park)
    {
        await store.Registry.CreateParkAsync(new ParkDraft(park, "Optimisation test park") { DesignItKw = 1000, GridRegion = "华北" });
        await store.Registry.CreateSpaceAsync(park, new SpaceDraft("b1", "building 1", null));
        static MeterDraft M(string code, string system, string role) =>
            new(code, code, "electricity", "interval", "kWh") { IntervalMinutes = 60, SystemCode = system, Role = role, SpaceCode = "b1" };
        await store.Registry.CreateMetersAsync(park,
        [
            M("in", "power.distribution", "facility_input"), M("it", "it.server", "it_load"), M("chiller", "cooling.chiller", "submeter"),
            M("light", "aux.lighting", "submeter"), M("ups_in", "power.ups", "check"), M("ups_out", "power.ups", "check"),
            new MeterDraft("temp", "outdoor temperature", "ambient", "gauge", "°C"),
        ]);
        await store.Registry.CreateMetersAsync(park, [M("ups_loss", "power.loss", "submeter") with { Formula = "ups_in - ups_out" }]);
        await store.Tariffs.CreateTariffVersionAsync(park, TariffTestData.Draft(TariffTestData.JsonA, "2025-01-01"));
        var points = new List<RawPoint>();
        var line = 0;
        for (var d = 0; d < Days; d++)
            for (var h = 0; h < 24; h++)
            {
                var start = new DateTimeOffset(First.AddDays(d).ToDateTime(new TimeOnly(h, 0)), TimeSpan.FromHours(8));
                var end = start.AddHours(1);
                points.Add(new RawPoint("it", end, It(d, h), ++line));
                points.Add(new RawPoint("in", end, It(d, h) * Day[d].Pue, ++line));
                points.Add(new RawPoint("chiller", end, Chiller(d, h), ++line));
                points.Add(new RawPoint("light", end, Light(h), ++line));
                points.Add(new RawPoint("ups_in", end, 105, ++line));
                points.Add(new RawPoint("ups_out", end, 100, ++line));
                points.Add(new RawPoint("temp", start.AddMinutes(30), Day[d].T, ++line));
            }
        var s = await store.Readings.IngestAsync(park, points, new IngestSource("test", "tester"));
        Assert.Empty(s.Rejected);
    }
}
