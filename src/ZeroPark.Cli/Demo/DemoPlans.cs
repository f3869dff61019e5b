using ZeroPark.Domain;
using ZeroPark.Application;
using ZeroPark.Application.EnergyManagement;

namespace ZeroPark.Cli.Demo;

/// <summary>
/// Energy plans of the demo park, so that plan progress and the assessment show data out of the box: for every calendar year the
/// demo touches, an annual and 12 monthly plans of electricity (kWh, E_DC) and water (m³, make-up water) for the park and for each building.
/// Each monthly plan is the consumption the demo's own model gives for that month (<see cref="DemoReadings.Conditions"/> integrated
/// hourly without noise: IT load of the racks, UPS losses, seasonal cooling, auxiliary loads, rooftop PV, transformer losses, water
/// make-up), less a 3 % saving target, rounded (100 kWh, 1 m³); the annual plan is the sum of the months and the park's the sum of
/// the buildings'. Deterministic; basis <c>demo</c>.
/// </summary>
internal static class DemoPlans
{
    /// <summary>Saving target built into the plans (plan = expected × (1 − this)).</summary>
    public const double SavingTarget = 0.03;

    public static async Task SeedAsync(ZeroParkStore store, DemoPark demo, CancellationToken ct)
    {
        var lastYear = demo.Options.StartDate.AddDays(demo.Options.Days - 1).Year;
        for (var year = demo.Options.StartDate.Year; year <= lastYear; year++) await SeedYearAsync(store, demo, year, ct);
    }

    private static async Task SeedYearAsync(ZeroParkStore store, DemoPark demo, int year, CancellationToken ct)
    {
        var reg = await store.Registry.GetRegistryAsync(demo.Options.ParkCode, ct);
        var (electricity, water, _) = Expected(demo, year);
        var writes = new List<PlanWrite>();
        var buildings = electricity.Keys.Order().ToList();
        void Add(Space? space, Carrier carrier, double[] months, double step)
        {
            var rounded = months.Select(v => Math.Round(v * (1 - SavingTarget) / step) * step).ToArray();
            for (var m = 1; m <= 12; m++) writes.Add(new PlanWrite(space, carrier, year, m, rounded[m - 1], "demo"));
            writes.Add(new PlanWrite(space, carrier, year, 0, rounded.Sum(), "demo"));
        }
        foreach (var b in buildings)
        {
            var space = reg.SpacesByCode[$"b{b}"];
            Add(space, Carrier.Electricity, electricity[b], 100);
            Add(space, Carrier.Water, water[b], 1);
        }
        // The park's plan is the sum of its buildings' (rounded the same way, month by month).
        var parkWrites = writes.Where(w => w.Month > 0).GroupBy(w => (w.Carrier, w.Month))
            .Select(g => new PlanWrite(null, g.Key.Carrier, year, g.Key.Month, g.Sum(w => w.Amount), "demo")).ToList();
        parkWrites.AddRange(parkWrites.GroupBy(w => w.Carrier).Select(g => new PlanWrite(null, g.Key, year, 0, g.Sum(w => w.Amount), "demo")).ToList());
        writes.AddRange(parkWrites);
        await store.Plans.SetEnergyPlansAsync(demo.Options.ParkCode, writes, "demo", ct);
    }

    /// <summary>Expected electricity (E_DC, kWh), make-up water (m³) and grid electricity (the incoming lines, kWh) per building (1–4)
    /// and month of <paramref name="year"/>.</summary>
    internal static (Dictionary<int, double[]> Electricity, Dictionary<int, double[]> Water, Dictionary<int, double[]> Grid) Expected(DemoPark demo, int year)
    {
        var clock = ParkClock.For(demo.ParkDraft.TimeZone);
        var start = clock.StartOfDay(demo.Options.StartDate);
        var meters = demo.AllMeters.Where(m => m.Draft.Formula is null).ToList();
        var buildings = meters.Where(m => m.Building > 0).Select(m => m.Building).Distinct().Order().ToList();
        var electricity = buildings.ToDictionary(b => b, _ => new double[12]);
        var water = buildings.ToDictionary(b => b, _ => new double[12]);
        var grid = buildings.ToDictionary(b => b, _ => new double[12]);
        foreach (var b in buildings)
        {
            var rackKw = meters.Where(m => m.Building == b && m.Shape == DemoShape.Rack).Sum(m => m.Scale);
            double Share(DemoShape s) => meters.Where(m => m.Building == b && m.Shape == s).Sum(m => m.Scale);
            var cooling = Share(DemoShape.Chiller) + Share(DemoShape.PrimaryPump) + Share(DemoShape.SecondaryPump) + Share(DemoShape.CoolingPump)
                          + Share(DemoShape.Tower) + Share(DemoShape.Crah);
            var (lighting, fireLv, office) = (Share(DemoShape.Lighting), Share(DemoShape.Fire) + Share(DemoShape.LowVoltage), Share(DemoShape.Office));
            var pvKw = Share(DemoShape.Pv);
            for (var t = clock.StartOfDay(new DateOnly(year, 1, 1)); t < clock.StartOfDay(new DateOnly(year + 1, 1, 1)); t += 3600)
            {
                var local = clock.ToLocal(t + 1800);          // the middle of the hour
                var c = DemoReadings.Conditions(local, t + 1800 - start);
                var it = rackKw * c.ItFactor;                  // kWh in this hour
                var upsIn = it / (0.955 + 0.01 * c.ItFactor);
                var aux = it * (lighting * (c.Daylight > 0 ? 1.0 : 0.4) + fireLv + office * (c.Office ? 1.6 : 0.4));
                var lv = upsIn + it * c.Clf * cooling + aux;
                var pv = pvKw * c.Daylight * (0.6 + 0.4 * Math.Sin(2 * Math.PI * (c.Doy - 80) / 365.0)) * 0.85;
                var m = local.Month - 1;
                electricity[b][m] += (lv - pv) / 0.99 + pv;    // incoming lines (transformer output / 0.99) + rooftop PV
                grid[b][m] += (lv - pv) / 0.99;
                water[b][m] += it * (1 + c.Clf) * 0.0016 * (c.TempC > 10 ? 1.0 : 0.35);
            }
        }
        return (electricity, water, grid);
    }
}
