using ZeroPark.Metering;
using ZeroPark.Application;

namespace ZeroPark.Tests.EnergyManagement;

/// <summary>
/// A three-building park with 18 months of DAILY interval meters (interval 1,440 min; the reading at local midnight closes the day
/// before it), for plans, assessment, device rankings, warnings, per-rack energy and balance checks. Asia/Shanghai.
/// Data: every local day from 2024-01-01 to 2025-06-30 (2024 is a leap year: 366 days; 2025 H1: 181 days).
/// <code>
///   meter          role / system                     space        kWh (m³) per day
///   b1_in          facility_input                    b1           1,400 in 2024, 1,300 in 2025
///   b2_in          facility_input                    b2           1,400; 1,800 in May 2025 (the anomaly)
///   b3_in          facility_input                    b3           700 in 2024, 676 in 2025
///   b1_it1, b1_it2 it_load                           racks b1-k1, b1-k2   600, 400
///   b2_it1, b2_it2 it_load                           room b2-r1 (no rack spaces)  500, 500
///   b3_it1         it_load                           room b3-r1   520
///   bN_water       water_input (m³)                  bN           b1 2, b2 2.1, b3 1
///   gas            fuel_input natural_gas (m³)       park         10 — from 2025-01-01 only
///   b1_chiller     cooling.chiller                   b1           200; 300 in June 2025 (the warning)
///   b1_pump        cooling.primary_pump              b1           50
///   b1_ups_in/out  check power.ups                   b1           1,050 / 1,000 → virtual b1_ups_loss = 50 (power.loss)
///   b1_tx          check power.transformer (LV side) b1           b1_in − 30 → virtual b1_tx_loss = b1_in − b1_tx = 30 (power.loss)
/// </code>
/// PUE 2025: b1 1,300 / 1,000 = 1.3; b2 1,400 / 1,000 = 1.4 (May: 1.8); b3 676 / 520 = 1.3. In 2024: 1.4, 1.4, 700 / 520.
/// </summary>
internal static class PlanTestPark
{
    public const string Park = "p1";
    public static readonly DateOnly First = new(2024, 1, 1);
    public static readonly DateOnly Last = new(2025, 6, 30);

    public static double Daily(string meter, DateOnly d)
    {
        var y25 = d.Year == 2025;
        return meter switch
        {
            "b1_in" => y25 ? 1300 : 1400,
            "b2_in" => y25 && d.Month == 5 ? 1800 : 1400,
            "b3_in" => y25 ? 676 : 700,
            "b1_it1" => 600,
            "b1_it2" => 400,
            "b2_it1" or "b2_it2" => 500,
            "b3_it1" => 520,
            "b1_water" => 2,
            "b2_water" => 2.1,
            "b3_water" => 1,
            "gas" => 10,
            "b1_chiller" => y25 && d.Month == 6 ? 300 : 200,
            "b1_pump" => 50,
            "b1_ups_in" => 1050,
            "b1_ups_out" => 1000,
            "b1_tx" => Daily("b1_in", d) - 30,
            _ => throw new ArgumentException(meter),
        };
    }

    private static readonly string[] Physical =
        ["b1_in", "b2_in", "b3_in", "b1_it1", "b1_it2", "b2_it1", "b2_it2", "b3_it1", "b1_water", "b2_water", "b3_water", "gas", "b1_chiller", "b1_pump", "b1_ups_in", "b1_ups_out", "b1_tx"];

    public static async Task SeedAsync(ZeroParkStore store, string park = Park)
    {
        await store.Registry.CreateParkAsync(new ParkDraft(park, "Plan test park"));
        foreach (var b in new[] { "b1", "b2", "b3" })
        {
            await store.Registry.CreateSpaceAsync(park, new SpaceDraft(b, b, null));
            await store.Registry.CreateSpaceAsync(park, new SpaceDraft($"{b}-f1", $"{b} floor 1", b));
            await store.Registry.CreateSpaceAsync(park, new SpaceDraft($"{b}-r1", $"{b} room 1", $"{b}-f1"));
        }
        await store.Registry.CreateSpaceAsync(park, new SpaceDraft("b1-k1", "rack 1", "b1-r1"));
        await store.Registry.CreateSpaceAsync(park, new SpaceDraft("b1-k2", "rack 2", "b1-r1"));
        static MeterDraft M(string code, string system, string role, string? space, string carrier = "electricity", string unit = "kWh", string? device = null) =>
            new(code, code, carrier, "interval", unit) { IntervalMinutes = 1440, SystemCode = system, Role = role, SpaceCode = space, Device = device };
        await store.Registry.CreateMetersAsync(park,
        [
            M("b1_in", "power.distribution", "facility_input", "b1"), M("b2_in", "power.distribution", "facility_input", "b2"),
            M("b3_in", "power.distribution", "facility_input", "b3"),
            M("b1_it1", "it.server", "it_load", "b1-k1", device: "PDU"), M("b1_it2", "it.server", "it_load", "b1-k2", device: "PDU"),
            M("b2_it1", "it.server", "it_load", "b2-r1", device: "PDU"), M("b2_it2", "it.server", "it_load", "b2-r1", device: "PDU"),
            M("b3_it1", "it.server", "it_load", "b3-r1", device: "PDU"),
            M("b1_water", "cooling.tower", "water_input", "b1", "water", "m3"), M("b2_water", "cooling.tower", "water_input", "b2", "water", "m3"),
            M("b3_water", "cooling.tower", "water_input", "b3", "water", "m3"),
            M("gas", "energy.generator", "fuel_input", null, "natural_gas", "m3"),
            M("b1_chiller", "cooling.chiller", "submeter", "b1", device: "chiller"), M("b1_pump", "cooling.primary_pump", "submeter", "b1", device: "pump"),
            M("b1_ups_in", "power.ups", "check", "b1", device: "UPS"), M("b1_ups_out", "power.ups", "check", "b1", device: "UPS"),
            M("b1_tx", "power.transformer", "check", "b1", device: "transformer"),
        ]);
        await store.Registry.CreateMetersAsync(park,
        [
            M("b1_ups_loss", "power.loss", "submeter", "b1") with { Formula = "b1_ups_in - b1_ups_out" },
            M("b1_tx_loss", "power.loss", "submeter", "b1") with { Formula = "b1_in - b1_tx" },
        ]);
        var points = new List<RawPoint>();
        var line = 0;
        for (var d = First; d <= Last; d = d.AddDays(1))
        {
            var t = new DateTimeOffset(d.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8));   // closes day d
            foreach (var m in Physical)
            {
                if (m == "gas" && d.Year < 2025) continue;
                points.Add(new RawPoint(m, t, Daily(m, d), ++line));
            }
        }
        var s = await store.Readings.IngestAsync(park, points, new IngestSource("test", "tester"));
        Assert.Empty(s.Rejected);
    }
}
