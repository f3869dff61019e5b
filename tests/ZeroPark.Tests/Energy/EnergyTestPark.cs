using System.Globalization;
using ZeroPark.Metering;
using ZeroPark.Application;

namespace ZeroPark.Tests.EnergyManagement;

/// <summary>
/// A small park whose energies can be worked out by hand, used by the service, CLI and API tests. Asia/Shanghai (UTC+8).
/// Every meter reports hourly (interval 60 min); data covers the local days 2025-01-31 and 2025-02-01 (a month boundary).
/// <code>
///   grid    facility_input, cumulative, b1          +130 kWh/h on Jan 31, +140 on Feb 1
///   tx_lv   check (transformer LV), cumulative, b1  +127 / +137         → virtual tx_loss = grid − tx_lv = 3 kWh/h (power.loss)
///   ups_in  check, interval, b1                     105
///   ups_out check, interval, b1                     100                 → virtual ups_loss = ups_in − ups_out = 5 kWh/h (power.loss)
///   pdu1    it_load, cumulative, room b1-r1         +60
///   pdu2    it_load, cumulative, room b1-r1         +40                 → IT 100 kWh/h
///   chiller cooling.chiller, interval, b1           20 on Jan 31, 30 on Feb 1
///   crah    cooling.crah, interval, room b1-r1      5
///   light   aux.lighting, interval, b1              2
///   water   water_input, cumulative m³, b1          +0.15 m³/h (150 L)
///   pv      renewable_onsite, interval, park level  5 (feeds b1's LV bus behind the transformer)
///   heat    reused_heat, exported_heat, cumulative GJ, park level  +0.036 GJ/h = 10 kWh/h
/// </code>
/// LV bus: tx_lv + pv = ups_in + cooling + light, i.e. 127 + 5 = 105 + 25 + 2 on Jan 31 and 137 + 5 = 105 + 35 + 2 on Feb 1.
/// Park per hour: E_DC = grid + pv = 135 (Jan 31) / 145 (Feb 1) = IT 100 + cooling 25/35 + power 8 + aux 2: the balance closes.
/// A register's first reading (Jan 31 00:00) is its baseline; each later reading closes the hour before it, so the reading at
/// Feb 1 00:00 belongs to January.
/// </summary>
internal static class EnergyTestPark
{
    public static readonly DateOnly Jan31 = new(2025, 1, 31);
    public static readonly DateOnly Feb1 = new(2025, 2, 1);
    public static readonly DateTimeOffset T0 = new(2025, 1, 31, 0, 0, 0, TimeSpan.FromHours(8));

    public static async Task CreateAsync(ZeroParkStore store, string park)
    {
        await store.Registry.CreateParkAsync(new ParkDraft(park, "Energy test park") { DesignItKw = 200, RacksTotal = 12, RacksInUse = 9 });
        await store.Registry.CreateSpaceAsync(park, new SpaceDraft("b1", "Building 1", null));
        await store.Registry.CreateSpaceAsync(park, new SpaceDraft("b1-f1", "Floor 1", "b1"));
        await store.Registry.CreateSpaceAsync(park, new SpaceDraft("b1-r1", "Room 1", "b1-f1"));
        static MeterDraft M(string code, string kind, string system, string role = "submeter", string? space = "b1", string carrier = "electricity", string unit = "kWh") =>
            new(code, code, carrier, kind, unit) { IntervalMinutes = 60, SystemCode = system, Role = role, SpaceCode = space };
        await store.Registry.CreateMetersAsync(park,
        [
            M("grid", "cumulative", "power.distribution", "facility_input"),
            M("tx_lv", "cumulative", "power.transformer", "check"),
            M("ups_in", "interval", "power.ups", "check"),
            M("ups_out", "interval", "power.ups", "check"),
            M("pdu1", "cumulative", "it.server", "it_load", "b1-r1"),
            M("pdu2", "cumulative", "it.server", "it_load", "b1-r1"),
            M("chiller", "interval", "cooling.chiller"),
            M("crah", "interval", "cooling.crah", space: "b1-r1"),
            M("light", "interval", "aux.lighting"),
            M("water", "cumulative", "cooling.tower", "water_input", carrier: "water", unit: "m3"),
            M("pv", "interval", "energy.pv", "renewable_onsite", space: null),
            M("heat", "cumulative", "energy.heat_export", "reused_heat", space: null, carrier: "exported_heat", unit: "GJ"),
        ]);
        await store.Registry.CreateMetersAsync(park,
        [
            M("ups_loss", "interval", "power.loss") with { Formula = "ups_in - ups_out" },
            M("tx_loss", "interval", "power.loss") with { Formula = "grid - tx_lv" },
        ]);
    }

    /// <summary>The readings of both days; <paramref name="skip"/> leaves out (meter, hour) pairs, hour h = 1…48 being the
    /// reading at T0 + h hours (it closes the hour before it).</summary>
    public static List<RawPoint> Readings(Func<string, int, bool>? skip = null)
    {
        var points = new List<RawPoint>();
        var line = 0;
        var reg = new Dictionary<string, double> { ["grid"] = 1000, ["tx_lv"] = 500, ["pdu1"] = 10, ["pdu2"] = 20, ["water"] = 100, ["heat"] = 50 };
        foreach (var (code, v) in reg) points.Add(new RawPoint(code, T0, v, ++line));   // register baselines
        for (var h = 1; h <= 48; h++)
        {
            var t = T0.AddHours(h);
            var jan = h <= 24;
            reg["grid"] += jan ? 130 : 140;
            reg["tx_lv"] += jan ? 127 : 137;
            reg["pdu1"] += 60;
            reg["pdu2"] += 40;
            reg["water"] += 0.15;
            reg["heat"] += 0.036;
            var values = new Dictionary<string, double>(reg)
            {
                ["ups_in"] = 105, ["ups_out"] = 100, ["chiller"] = jan ? 20 : 30, ["crah"] = 5, ["light"] = 2, ["pv"] = 5,
            };
            foreach (var (code, v) in values)
            {
                if (skip?.Invoke(code, h) == true) continue;
                points.Add(new RawPoint(code, t, Math.Round(v, 6), ++line));
            }
        }
        return points;
    }

    public static async Task SeedAsync(ZeroParkStore store, string park, Func<string, int, bool>? skip = null)
    {
        await CreateAsync(store, park);
        var s = await store.Readings.IngestAsync(park, Readings(skip), new IngestSource("test", "tester"));
        Assert.Empty(s.Rejected);
    }

    public static string NewParkCode() => "e" + Guid.NewGuid().ToString("N")[..10].ToString(CultureInfo.InvariantCulture);
}
