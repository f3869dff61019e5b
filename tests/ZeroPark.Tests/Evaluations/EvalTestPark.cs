using ZeroPark.Metering;
using ZeroPark.Application;

namespace ZeroPark.Tests.Evaluations;

/// <summary>
/// A park with one whole year (2025) of hourly readings whose evaluation figures are worked out by hand. Asia/Shanghai, climate
/// zone 寒冷 (cold), commissioned 2020-01-01 (more than three years at the end of 2025: limits PUE 1.35, WUE 1.6), design IT
/// capacity 100 kW, racks 8 of 10 in use.
/// <code>
///   grid   facility_input, cumulative kWh   +78 kWh per hour
///   it     it_load, cumulative kWh          +60 kWh per hour    → PUE = 78 / 60 = 1.3; IT load = 60 kW / 100 kW = 0.6
///   water  water_input, cumulative m³       +0.072 m³ per hour  → WUE = 72 L / 60 kWh = 1.2 L/kWh
///   tx, ups (check, power.transformer / power.ups), chiller (cooling.chiller), light (aux.lighting): registered, no readings
/// </code>
/// Readings run from 2025-01-01 00:00 to 2026-01-01 00:00 local (the first is each register's baseline): 8,760 hours.
/// T/CA305 (cold, existing): PUE 1.3 ≤ 1.35 → 30 − 13 = 17; IT load 0.6 ≥ 60 % → 2; WUE 1.2 &lt; 1.4 → 5, and ≤ 1.6 passes.
/// T/BFIA 043: R = 1.3 → 35 − 13 = 22; the registry meters electricity and water (分类), grid/transformer/UPS (分级) and
/// IT/cooling/aux (分项) → 1.
/// </summary>
internal static class EvalTestPark
{
    public const string Park = "ev";

    public static async Task CreateAsync(ZeroParkStore store, string? code = null, int hours = 8760)
    {
        var Park = code ?? EvalTestPark.Park;
        await store.Registry.CreateParkAsync(new ParkDraft(Park, "Evaluation park")
        {
            ClimateZone = "cold", CommissioningDate = new DateOnly(2020, 1, 1), DesignItKw = 100, RacksTotal = 10, RacksInUse = 8, Province = "河北",
        });
        await store.Registry.CreateSpaceAsync(Park, new SpaceDraft("b1", "Building 1", null));
        static MeterDraft M(string code, string kind, string system, string role = "submeter", string carrier = "electricity", string unit = "kWh") =>
            new(code, code, carrier, kind, unit) { IntervalMinutes = 60, SystemCode = system, Role = role, SpaceCode = "b1" };
        await store.Registry.CreateMetersAsync(Park,
        [
            M("grid", "cumulative", "power.distribution", "facility_input"),
            M("it", "cumulative", "it.server", "it_load"),
            M("water", "cumulative", "cooling.tower", "water_input", "water", "m3"),
            M("tx", "interval", "power.transformer", "check"),
            M("ups", "interval", "power.ups", "check"),
            M("chiller", "interval", "cooling.chiller"),
            M("light", "interval", "aux.lighting"),
        ]);
        var t0 = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));
        var points = new List<RawPoint>(3 * (hours + 1));
        var line = 0;
        for (var h = 0; h <= hours; h++)
        {
            var t = t0.AddHours(h);
            points.Add(new RawPoint("grid", t, 1000 + 78.0 * h, ++line));
            points.Add(new RawPoint("it", t, 500 + 60.0 * h, ++line));
            points.Add(new RawPoint("water", t, Math.Round(10 + 0.072 * h, 6), ++line));
        }
        var s = await store.Readings.IngestAsync(Park, points, new IngestSource("test", "tester"));
        Assert.Empty(s.Rejected);
    }
}
