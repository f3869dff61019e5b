using ZeroPark.Application;
using ZeroPark.Application.EnergyManagement;
using ZeroPark.Metering;
using ZeroPark.Tests.EnergyManagement;

namespace ZeroPark.Tests.Optimisation;

/// <summary>
/// Two rooms of one building, one over-cooled and one in range, for the over-cooled-rooms rule: 30 local days 2025-06-01 … 2025-06-30
/// of hourly interval meters (the reading at t closes the hour [t − 1 h, t)) and hourly gauges (one reading at :30), Asia/Shanghai,
/// grid region 华北 (0.6361 kgCO2/kWh), the tariff A of <see cref="TariffTestData"/> from 2025-01-01 (June, no critical peak: valley
/// 0.30 CNY/kWh 00–08, flat 0.65 08–10, 12–17, 22–24, peak 1.05 10–12, 17–22).
/// <code>
///   b1 (building) → b1-f1 (floor) → b1-f1-r1, b1-f1-r2 (rooms)
///   r1_it   it_load, room r1           60 kWh every hour
///   r2_it   it_load, room r2           40 kWh every hour
///   crah    cooling.crah, building b1  30 kWh every hour        → r1's share 30 × 60 / 100 = 18 kWh/h, r2's 12 kWh/h
///   r1_inlet_a   room_air gauge °C, r1: 18 °C in hours 0–11, 20 °C in hours 12–23    (the warmer cold aisle of r1)
///   r1_inlet_b   room_air gauge °C, r1: 17 °C / 19 °C                               (cooler: the warmest aisle governs)
///   r1_return    room_air gauge °C, r1, "return air": 30 °C                          (not an inlet: left out)
///   r2_inlet     room_air gauge °C, r2: 23 °C in hours 0–11, 25 °C in hours 12–23    (in range)
///   r2_rh        room_air gauge %, r2: 45 %                                          (humidity: left out)
/// </code>
/// </summary>
internal static class RoomTestPark
{
    public static readonly DateOnly First = new(2025, 6, 1);
    public const int Days = 30;

    public static async Task SeedAsync(ZeroParkStore store, string park)
    {
        await store.Registry.CreateParkAsync(new ParkDraft(park, "Room test park") { GridRegion = "华北" });
        await store.Registry.CreateSpaceAsync(park, new SpaceDraft("b1", "building 1", null));
        await store.Registry.CreateSpaceAsync(park, new SpaceDraft("b1-f1", "floor 1", "b1"));
        await store.Registry.CreateSpaceAsync(park, new SpaceDraft("b1-f1-r1", "room 1", "b1-f1"));
        await store.Registry.CreateSpaceAsync(park, new SpaceDraft("b1-f1-r2", "room 2", "b1-f1"));
        static MeterDraft E(string code, string system, string role, string space) =>
            new(code, code, "electricity", "interval", "kWh") { IntervalMinutes = 60, SystemCode = system, Role = role, SpaceCode = space };
        static MeterDraft G(string code, string name, string unit, string space) =>
            new(code, name, "room_air", "gauge", unit) { IntervalMinutes = 60, SpaceCode = space };
        await store.Registry.CreateMetersAsync(park,
        [
            E("r1_it", "it.server", "it_load", "b1-f1-r1"), E("r2_it", "it.server", "it_load", "b1-f1-r2"), E("crah", "cooling.crah", "submeter", "b1"),
            G("r1_inlet_a", "room 1 cold aisle A", "°C", "b1-f1-r1"), G("r1_inlet_b", "room 1 cold aisle B", "℃", "b1-f1-r1"),
            G("r1_return", "room 1 return air", "°C", "b1-f1-r1"), G("r2_inlet", "room 2 cold aisle", "°C", "b1-f1-r2"), G("r2_rh", "room 2 humidity", "%RH", "b1-f1-r2"),
        ]);
        await store.Tariffs.CreateTariffVersionAsync(park, TariffTestData.Draft(TariffTestData.JsonA, "2025-01-01"));
        var points = new List<RawPoint>();
        var line = 0;
        for (var d = 0; d < Days; d++)
            for (var h = 0; h < 24; h++)
            {
                var start = new DateTimeOffset(First.AddDays(d).ToDateTime(new TimeOnly(h, 0)), TimeSpan.FromHours(8));
                var end = start.AddHours(1);
                var mid = start.AddMinutes(30);
                points.Add(new RawPoint("r1_it", end, 60, ++line));
                points.Add(new RawPoint("r2_it", end, 40, ++line));
                points.Add(new RawPoint("crah", end, 30, ++line));
                points.Add(new RawPoint("r1_inlet_a", mid, h < 12 ? 18 : 20, ++line));
                points.Add(new RawPoint("r1_inlet_b", mid, h < 12 ? 17 : 19, ++line));
                points.Add(new RawPoint("r1_return", mid, 30, ++line));
                points.Add(new RawPoint("r2_inlet", mid, h < 12 ? 23 : 25, ++line));
                points.Add(new RawPoint("r2_rh", mid, 45, ++line));
            }
        var s = await store.Readings.IngestAsync(park, points, new IngestSource("test", "tester"));
        Assert.Empty(s.Rejected);
    }
}
