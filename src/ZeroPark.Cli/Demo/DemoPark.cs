using System.Globalization;
using ZeroPark.Metering;
using ZeroPark.Application;

namespace ZeroPark.Cli.Demo;

/// <summary>Options of the demo park. <see cref="Meters"/> is approximate: the rack count is scaled to reach it.</summary>
public sealed record DemoOptions(string ParkCode = "demo", int Meters = 2000, DateOnly? Start = null, int Days = 365, int Seed = 42)
{
    public DateOnly StartDate => Start ?? new DateOnly(2025, 1, 1);
}

/// <summary>One generated meter: its registry draft and how its values are made.</summary>
internal sealed record DemoMeter(MeterDraft Draft, int Index, int Building, DemoShape Shape, double Scale, double Register0);

internal enum DemoShape
{
    Rack, UpsIn, UpsOut, Incoming, TransformerLv, Chiller, PrimaryPump, SecondaryPump, CoolingPump, Tower, Crah,
    Lighting, Fire, LowVoltage, Office, Water, Diesel, Pv, HeatExport, CoolingLoad, OutdoorTemperature, OutdoorHumidity,
    /// <summary>A room's cold-aisle temperature (°C; hourly): in range; over-cooled in the last 100 days; over-cooled in July and August.</summary>
    RoomInlet, RoomInletOvercooledLate, RoomInletOvercooledSummer,
    /// <summary>A room's relative humidity (%; hourly).</summary>
    RoomHumidity,
}

/// <summary>
/// A realistic data center park for demos, tests and the benchmark: 4 buildings × 2 floors × 2 rooms of racks, each rack
/// with a cumulative PDU meter; per building incoming lines (facility input, with CT ratio), transformer LV meters, UPS
/// input/output meters with virtual loss meters, chillers, pumps, cooling towers, CRAHs, lighting, fire, low-voltage and
/// office meters, a chilled-water cooling-load (heat) meter, a make-up water meter, diesel generator fuel meters and rooftop PV (on the LV side); exported heat for the park;
/// a weather station (outdoor temperature °C and relative humidity %, gauge meters: averaged, never summed); in every room a
/// cold-aisle temperature gauge (carrier room_air, °C, read hourly by the BMS: 22–25 °C, but room <see cref="OvercooledRoom"/> at
/// 18–20 °C in the last 100 days of the data and room <see cref="SummerOvercooledRoom"/> at 19–20.5 °C in July and August), and in the
/// first room of each building a humidity gauge (%).
/// Values follow a daily and weekly IT pattern and seasonal cooling (cooling load factor ~0.12 in winter to ~0.33 in
/// summer, so monthly PUE runs ~1.2–1.45), at 15-minute resolution, with a few gaps, one register rollover and one meter
/// replacement. Deterministic for a given seed.
/// </summary>
public sealed class DemoPark
{
    private const int Buildings = 4;
    private const int FloorsPerBuilding = 2;
    private const int RoomsPerFloor = 2;
    private const int InfraPerBuilding = 44;
    private const long Step = 900;

    private readonly List<DemoMeter> _meters = [];
    private readonly int _racksPerRoom;

    public DemoPark(DemoOptions options)
    {
        Options = options;
        _racksPerRoom = Math.Max(1, (options.Meters - Buildings * InfraPerBuilding - 1) / (Buildings * FloorsPerBuilding * RoomsPerFloor));
        Build();
    }

    public DemoOptions Options { get; }
    public int PhysicalMeters => _meters.Count(m => m.Draft.Formula is null);
    public int RacksTotal => Buildings * FloorsPerBuilding * RoomsPerFloor * _racksPerRoom;
    public IReadOnlyList<MeterDraft> MeterDrafts => _meters.Select(m => m.Draft).ToList();

    internal IReadOnlyList<DemoMeter> AllMeters => _meters;

    internal DemoMeter Meta(string code) => ByCode.TryGetValue(code, out var m) ? m : throw new ArgumentException($"no demo meter '{code}'");

    private Dictionary<string, DemoMeter> ByCode => _byCodeCache ??= _meters.ToDictionary(m => m.Draft.Code, StringComparer.Ordinal);
    private Dictionary<string, DemoMeter>? _byCodeCache;

    /// <summary>The meter replaced mid-period and when (old final reading, new initial 0).</summary>
    internal const string ReplacedMeter = "b2_f1_r1_rack007";
    internal const string RolloverMeter = "b1_f1_r1_rack003";
    public const string OutdoorTemperatureMeter = "weather_temp";
    public const string OutdoorHumidityMeter = "weather_rh";
    /// <summary>The room whose CRAH set-point was lowered after a hot-spot complaint and never raised back: over-cooled (18–20 °C cold
    /// aisle) in the last 100 days of the data — the over-cooled-rooms suggestion of the default analysis window.</summary>
    public const string OvercooledRoom = "b3-f2-r1";
    /// <summary>The room over-cooled (19–20.5 °C) in July and August only: found when the analysis window covers the summer.</summary>
    public const string SummerOvercooledRoom = "b2-f1-r2";

    /// <summary>The code of a room's cold-aisle temperature gauge.</summary>
    public static string RoomInletMeter(string room) => room.Replace('-', '_') + "_t_inlet";

    public ParkDraft ParkDraft => new(Options.ParkCode, "零碳数据中心园区（演示）", "Asia/Shanghai")
    {
        ClimateZone = "cold",
        GridRegion = "华北",
        Province = "河北",
        CommissioningDate = new DateOnly(2021, 6, 30),
        DesignItKw = RacksTotal * 8.0,
        RacksTotal = RacksTotal + RacksTotal / 10,
        RacksInUse = RacksTotal,
    };

    public IEnumerable<SpaceDraft> SpaceDrafts()
    {
        for (var b = 1; b <= Buildings; b++)
        {
            yield return new SpaceDraft($"b{b}", $"{b}号楼", null);
            for (var f = 1; f <= FloorsPerBuilding; f++)
            {
                yield return new SpaceDraft($"b{b}-f{f}", $"{b}号楼{f}层", $"b{b}");
                for (var r = 1; r <= RoomsPerFloor; r++)
                    yield return new SpaceDraft($"b{b}-f{f}-r{r}", $"{b}号楼{f}层{r}号包间", $"b{b}-f{f}");
            }
        }
    }

    /// <summary>Creates the park, its spaces and meters in the store.</summary>
    public async Task CreateRegistryAsync(ZeroParkStore store, CancellationToken ct = default)
    {
        await store.Registry.CreateParkAsync(ParkDraft, "demo", ct);
        foreach (var s in SpaceDrafts()) await store.Registry.CreateSpaceAsync(Options.ParkCode, s, "demo", ct);
        var physical = _meters.Where(m => m.Draft.Formula is null).Select(m => m.Draft).ToList();
        await store.Registry.CreateMetersAsync(Options.ParkCode, physical, "demo", ct);
        await store.Registry.CreateMetersAsync(Options.ParkCode, _meters.Where(m => m.Draft.Formula is not null).Select(m => m.Draft).ToList(), "demo", ct);
    }

    private void Add(MeterDraft d, int building, DemoShape shape, double scale, double register0 = 0) =>
        _meters.Add(new DemoMeter(d, _meters.Count, building, shape, scale, register0));

    private void AddVirtual(MeterDraft d, int building) => _meters.Add(new DemoMeter(d, _meters.Count, building, DemoShape.Rack, 0, 0));

    private void Build()
    {
        var rng = new Random(Options.Seed);
        for (var b = 1; b <= Buildings; b++)
        {
            var bc = $"b{b}";
            for (var f = 1; f <= FloorsPerBuilding; f++)
                for (var r = 1; r <= RoomsPerFloor; r++)
                    for (var k = 1; k <= _racksPerRoom; k++)
                    {
                        var code = string.Create(CultureInfo.InvariantCulture, $"b{b}_f{f}_r{r}_rack{k:000}");
                        var kw = 4.0 + rng.NextDouble() * 3.5;             // 4–7.5 kW per rack
                        var reg0 = code == RolloverMeter ? 999_000 - 100 : Math.Round(rng.NextDouble() * 400_000, 1);
                        Add(new MeterDraft(code, $"{b}号楼{f}层{r}号包间 机柜{k:000} PDU", "electricity", "cumulative", "kWh")
                        { RegisterMax = 1_000_000, SpaceCode = $"b{b}-f{f}-r{r}", SystemCode = "it.server", Role = "it_load", Device = "PDU" },
                            b, DemoShape.Rack, kw, reg0);
                    }
            // Room conditions: a cold-aisle temperature gauge in every room (its in-range level 22.5–24.5 °C), humidity in the first room.
            for (var f = 1; f <= FloorsPerBuilding; f++)
                for (var r = 1; r <= RoomsPerFloor; r++)
                {
                    var room = $"b{b}-f{f}-r{r}";
                    var shape = room == OvercooledRoom ? DemoShape.RoomInletOvercooledLate : room == SummerOvercooledRoom ? DemoShape.RoomInletOvercooledSummer : DemoShape.RoomInlet;
                    Add(new MeterDraft(RoomInletMeter(room), $"{b}号楼{f}层{r}号包间 冷通道温度", "room_air", "gauge", "°C") { SpaceCode = room, IntervalMinutes = 60, Device = "温湿度传感器" },
                        b, shape, 22.5 + 2.0 * ((b * 7 + f * 3 + r * 5) % 8) / 7.0);
                    if (f == 1 && r == 1)
                        Add(new MeterDraft(room.Replace('-', '_') + "_rh", $"{b}号楼{f}层{r}号包间 相对湿度", "room_air", "gauge", "%") { SpaceCode = room, IntervalMinutes = 60, Device = "温湿度传感器" },
                            b, DemoShape.RoomHumidity, 45);
                }
            for (var i = 1; i <= 2; i++)
            {
                Add(new MeterDraft($"{bc}_in{i}", $"{b}号楼 10kV进线{i}", "electricity", "cumulative", "kWh") { Multiplier = 400, RegisterMax = 1_000_000, SpaceCode = bc, SystemCode = "power.distribution", Role = "facility_input", Device = "进线柜" }, b, DemoShape.Incoming, 0.5, rng.Next(1000, 90_000));
                Add(new MeterDraft($"{bc}_tx{i}", $"{b}号楼 变压器{i}低压侧", "electricity", "cumulative", "kWh") { Multiplier = 200, RegisterMax = 1_000_000, SpaceCode = bc, SystemCode = "power.transformer", Role = "check", Device = "变压器" }, b, DemoShape.TransformerLv, 0.5, rng.Next(1000, 90_000));
            }
            for (var u = 1; u <= 4; u++)
            {
                Add(new MeterDraft($"{bc}_ups{u}_in", $"{b}号楼 UPS{u}输入", "electricity", "interval", "kWh") { SpaceCode = bc, SystemCode = "power.ups", Role = "check", Device = "UPS" }, b, DemoShape.UpsIn, 0.25);
                Add(new MeterDraft($"{bc}_ups{u}_out", $"{b}号楼 UPS{u}输出", "electricity", "interval", "kWh") { SpaceCode = bc, SystemCode = "power.ups", Role = "check", Device = "UPS" }, b, DemoShape.UpsOut, 0.25);
            }
            void Many(int n, string kind, string name, string system, DemoShape shape, double share, string unit = "kWh", string role = "submeter", string carrier = "electricity")
            {
                for (var i = 1; i <= n; i++)
                    Add(new MeterDraft($"{bc}_{kind}{i}", $"{b}号楼 {name}{i}", carrier, "interval", unit) { SpaceCode = bc, SystemCode = system, Role = role }, b, shape, share / n);
            }
            Many(3, "chiller", "冷水机组", "cooling.chiller", DemoShape.Chiller, 0.55);
            Many(3, "ppump", "一次泵", "cooling.primary_pump", DemoShape.PrimaryPump, 0.07);
            Many(3, "spump", "二次泵", "cooling.secondary_pump", DemoShape.SecondaryPump, 0.07);
            Many(3, "cpump", "冷却泵", "cooling.cooling_pump", DemoShape.CoolingPump, 0.06);
            Many(3, "tower", "冷却塔", "cooling.tower", DemoShape.Tower, 0.08);
            Many(8, "crah", "精密空调", "cooling.crah", DemoShape.Crah, 0.17);
            Many(2, "light", "照明", "aux.lighting", DemoShape.Lighting, 0.008);
            Many(1, "fire", "消防", "aux.fire", DemoShape.Fire, 0.002);
            Many(1, "lv", "弱电", "aux.low_voltage", DemoShape.LowVoltage, 0.004);
            Many(1, "office", "办公", "aux.office", DemoShape.Office, 0.006);
            // Cooling load (heat meter on the chilled-water main, kWh thermal): the heat the cooling system removes, for CER.
            Add(new MeterDraft($"{bc}_cload", $"{b}号楼 冷冻水冷量表", "chilled_water", "interval", "kWh") { SpaceCode = bc, SystemCode = "cooling", Device = "冷量表" },
                b, DemoShape.CoolingLoad, 1);
            Add(new MeterDraft($"{bc}_water", $"{b}号楼 冷却塔补水", "water", "cumulative", "m3") { SpaceCode = bc, SystemCode = "cooling.tower", Role = "water_input" }, b, DemoShape.Water, 1, rng.Next(1000, 50_000));
            Many(2, "dg", "柴油发电机", "energy.generator", DemoShape.Diesel, 1, "L", "fuel_input", "diesel");
            // Rooftop PV, connected on the building's low-voltage side.
            Add(new MeterDraft($"{bc}_pv", $"{b}号楼 屋顶光伏", "electricity", "interval", "kWh") { SpaceCode = bc, SystemCode = "energy.pv", Role = "renewable_onsite" },
                b, DemoShape.Pv, RacksTotal * 0.15 / Buildings);
            // Virtual meters: UPS and transformer losses (differences of check/input meters, so node sums add them once).
            for (var u = 1; u <= 4; u++)
                AddVirtual(new MeterDraft($"{bc}_ups{u}_loss", $"{b}号楼 UPS{u}损耗", "electricity", "interval", "kWh")
                { SpaceCode = bc, SystemCode = "power.loss", Formula = $"{bc}_ups{u}_in - {bc}_ups{u}_out" }, b);
            AddVirtual(new MeterDraft($"{bc}_tx_loss", $"{b}号楼 变压器损耗", "electricity", "interval", "kWh")
            { SpaceCode = bc, SystemCode = "power.loss", Formula = $"{bc}_in1 + {bc}_in2 - {bc}_tx1 - {bc}_tx2" }, b);
        }
        Add(new MeterDraft("heat_export", "余热回收供暖", "exported_heat", "cumulative", "GJ") { SystemCode = "energy.heat_export", Role = "reused_heat" }, 0, DemoShape.HeatExport, 1, 1200);
        // The park's weather station: instantaneous outdoor conditions (gauge meters of the carrier 'ambient').
        Add(new MeterDraft(OutdoorTemperatureMeter, "气象站 室外温度", "ambient", "gauge", "°C") { Device = "气象站" }, 0, DemoShape.OutdoorTemperature, 1);
        Add(new MeterDraft(OutdoorHumidityMeter, "气象站 室外相对湿度", "ambient", "gauge", "%") { Device = "气象站" }, 0, DemoShape.OutdoorHumidity, 1);
    }
}
