using ZeroPark.Domain;
using ZeroPark.Metering;

namespace ZeroPark.Cli.Demo;

/// <summary>A meter replacement to record (old register final value, new register initial value) at an instant.</summary>
public sealed record DemoReplacement(string Meter, DateTimeOffset At, double OldFinal, double NewInitial);

/// <summary>One local day of readings for every physical meter, time-major (all meters at 00:15, then 00:30, …).
/// <see cref="Replacement"/>, if set, must be recorded before the day's points are ingested.</summary>
public sealed record DemoDay(DateOnly Date, RawPoint[] Points, DemoReplacement? Replacement);

public static class DemoReadings
{
    /// <summary>The PDU whose register reads 0 once (day 26, 12:00): a suspected reset the demo confirms as a bad reading.</summary>
    public const string GlitchMeter = "b4_f2_r2_rack020";

    /// <summary>The CRAH meter whose gateway stops 8 hours before the end of a demo of 30 days or more (from 16:00 local on the last
    /// day): the demo's alert evaluation at the end of its data finds it offline.</summary>
    public const string OfflineMeter = "b3_crah2";
    private const long Step = 900;

    /// <summary>Generates <see cref="DemoOptions.Days"/> days from <see cref="DemoOptions.StartDate"/>, lazily, one day at a time.
    /// The first reading of each meter is at the start instant (register baseline; interval meters' first value
    /// covers the quarter hour before).</summary>
    public static IEnumerable<DemoDay> Generate(DemoPark park)
    {
        var o = park.Options;
        var clock = ParkClock.For(park.ParkDraft.TimeZone);
        var physical = park.MeterDrafts.Select((d, i) => (d, i)).Where(x => x.d.Formula is null).Select(x => x.d).ToList();
        var meters = physical.Select(d => park.Meta(d.Code)).ToArray();
        var register = meters.Select(m => m.Register0).ToArray();
        var rng = new XorShift((ulong)o.Seed * 2654435761UL + 1);
        var start = clock.StartOfDay(o.StartDate);
        var buildingsIt = new double[5];
        var lvLoad = new double[5];
        var pv = new double[5];
        var vals = new double[meters.Length];
        var replacementDay = o.StartDate.AddDays(Math.Min(180, o.Days / 2));
        var replacementAt = clock.StartOfDay(replacementDay) + 10 * 3600;   // 10:00 local, on the 15-minute grid
        var replaced = false;

        for (var day = 0; day < o.Days; day++)
        {
            var date = o.StartDate.AddDays(day);
            var dayStart = clock.StartOfDay(date);
            var dayEnd = clock.StartOfDay(date.AddDays(1));
            var steps = (int)((dayEnd - dayStart) / Step) + (day == 0 ? 1 : 0);
            var points = new RawPoint[steps * meters.Length];
            var n = 0;
            DemoReplacement? replacement = null;
            for (var t = day == 0 ? dayStart : dayStart + Step; t <= dayEnd; t += Step)
            {
                var local = clock.ToLocal(t - Step / 2);       // middle of the interval that ends at t
                var (doy, hour, tempC, itFactor, clf, daylight, office, heating) = Conditions(local, t - start);
                var firstMondayTest = local.Day <= 7 && local.DayOfWeek == DayOfWeek.Monday && hour is >= 10 and < 10.5;
                Array.Clear(buildingsIt);
                var ts = DateTimeOffset.FromUnixTimeSeconds(t);
                var onHour = t % 3600 == 0;
                var baseline = day == 0 && t == dayStart;

                // 1. Racks: IT load per building.
                for (var i = 0; i < meters.Length; i++)
                {
                    var m = meters[i];
                    if (m.Shape != DemoShape.Rack) continue;
                    var kwh = m.Scale * itFactor * (1 + 0.03 * rng.Gaussian()) * 0.25;
                    buildingsIt[m.Building] += kwh;
                    register[i] += baseline ? 0 : kwh;
                }
                // 2. Interval meters; the low-voltage load of each building is the sum of what its meters show, and rooftop PV
                //    (connected on the LV side) supplies part of it, so the metered balance closes exactly.
                Array.Clear(lvLoad);
                Array.Clear(pv);
                for (var i = 0; i < meters.Length; i++)
                {
                    var m = meters[i];
                    var it = buildingsIt[m.Building];
                    var upsOut = it / 4;
                    var cooling = it * clf;
                    var v = m.Shape switch
                    {
                        DemoShape.UpsOut => upsOut,
                        DemoShape.UpsIn => upsOut / (0.955 + 0.01 * itFactor),
                        DemoShape.Chiller => cooling * m.Scale * (1 + 0.05 * rng.Gaussian()),
                        DemoShape.PrimaryPump or DemoShape.SecondaryPump or DemoShape.CoolingPump or DemoShape.Tower or DemoShape.Crah => cooling * m.Scale * (1 + 0.02 * rng.Gaussian()),
                        DemoShape.Lighting => it * m.Scale * (daylight > 0 ? 1.0 : 0.4),
                        DemoShape.Fire or DemoShape.LowVoltage => it * m.Scale,
                        DemoShape.Office => it * m.Scale * (office ? 1.6 : 0.4),
                        DemoShape.Diesel => firstMondayTest ? 55 + 5 * rng.NextDouble() : 0,
                        DemoShape.CoolingLoad => it * (1.04 + 0.01 * rng.Gaussian()),
                        DemoShape.Pv => m.Scale * 0.25 * daylight * (0.6 + 0.4 * Math.Sin(2 * Math.PI * (doy - 80) / 365.0)) * (0.7 + 0.3 * rng.NextDouble()),
                        DemoShape.OutdoorTemperature => tempC + 0.8 * rng.Gaussian(),
                        DemoShape.OutdoorHumidity => Humidity(doy, hour) + 3 * rng.Gaussian(),
                        DemoShape.RoomInlet or DemoShape.RoomInletOvercooledLate or DemoShape.RoomInletOvercooledSummer or DemoShape.RoomHumidity when onHour =>
                            RoomCondition(m.Shape, m.Scale, doy, hour, day >= o.Days - 100, local.Month is 7 or 8) + (m.Shape == DemoShape.RoomHumidity ? 2 : 0.3) * rng.Gaussian(),
                        _ => 0,
                    };
                    vals[i] = m.Shape is DemoShape.OutdoorHumidity or DemoShape.RoomHumidity ? Math.Round(Math.Clamp(v, 5, 100), 1)
                        : m.Shape is DemoShape.OutdoorTemperature or DemoShape.RoomInlet or DemoShape.RoomInletOvercooledLate or DemoShape.RoomInletOvercooledSummer ? Math.Round(v, 1)
                        : Math.Round(v, 3);
                    if (m.Shape is not (DemoShape.UpsOut or DemoShape.Diesel or DemoShape.Pv or DemoShape.Rack or DemoShape.CoolingLoad
                        or DemoShape.OutdoorTemperature or DemoShape.OutdoorHumidity or DemoShape.RoomInlet or DemoShape.RoomInletOvercooledLate
                        or DemoShape.RoomInletOvercooledSummer or DemoShape.RoomHumidity)) lvLoad[m.Building] += vals[i];
                    if (m.Shape == DemoShape.Pv) pv[m.Building] += vals[i];
                }
                // 3. Registers: transformer LV output = LV load − the building's PV; incoming lines = transformer output / 0.99.
                for (var i = 0; i < meters.Length; i++)
                {
                    var m = meters[i];
                    var it = buildingsIt[m.Building];
                    var tx = lvLoad[m.Building] - pv[m.Building];
                    var inc = baseline ? 0 : 1.0;
                    switch (m.Shape)
                    {
                        case DemoShape.TransformerLv: register[i] += inc * tx / 2 / 200; break;
                        case DemoShape.Incoming: register[i] += inc * tx / 0.99 / 2 / 400; break;
                        case DemoShape.Water: register[i] += inc * (it + it * clf) * 0.0016 * (tempC > 10 ? 1.0 : 0.35); break;
                        case DemoShape.HeatExport: register[i] += inc * (heating ? SumIt(buildingsIt) * 0.1 * 0.0036 : 0); break;
                    }
                    if (m.Shape is DemoShape.Rack or DemoShape.TransformerLv or DemoShape.Incoming && register[i] >= 1_000_000)
                        register[i] -= 1_000_000;      // 6-digit registers wrap
                    var v = m.Shape is DemoShape.Rack or DemoShape.TransformerLv or DemoShape.Incoming or DemoShape.Water or DemoShape.HeatExport
                        ? register[i] : vals[i];
                    var code = physical[i].Code;
                    if (code == DemoPark.ReplacedMeter && !replaced && t == replacementAt)
                    {
                        // The old meter is read at the swap (its final value); the new one starts at 0 and counts what follows.
                        replacement = new DemoReplacement(code, ts, Math.Round(register[i], 3), 0);
                        register[i] = 0;
                        replaced = true;
                        continue;                                   // the replacement stands for this instant's reading
                    }
                    if (Missing(code, day, t - dayStart, o.Days - 1)) continue;
                    // Room conditions are logged hourly by the BMS (a quarter of the readings of a 15-minute meter).
                    if (!onHour && m.Shape is DemoShape.RoomInlet or DemoShape.RoomInletOvercooledLate or DemoShape.RoomInletOvercooledSummer or DemoShape.RoomHumidity) continue;
                    if (code == GlitchMeter && day == 25 && t - dayStart == 12 * 3600) v = 0;   // a glitch: a suspected reset, confirmed as a bad reading
                    points[n++] = new RawPoint(code, ts, Math.Round(v, 3), n);
                }
            }
            Array.Resize(ref points, n);
            yield return new DemoDay(date, points, replacement);
        }
    }

    /// <summary>The model's conditions at a local time (the middle of an interval), <paramref name="sinceStart"/> seconds after the
    /// demo's start: outdoor temperature, IT load factor (daily and weekly pattern, 5 % growth a year), cooling load factor, daylight,
    /// office hours and the heating season. Shared with <see cref="DemoPlans"/>.</summary>
    internal static (int Doy, double Hour, double TempC, double ItFactor, double Clf, double Daylight, bool Office, bool Heating) Conditions(DateTime local, long sinceStart)
    {
        var doy = local.DayOfYear;
        var hour = local.Hour + local.Minute / 60.0;
        var tempC = 12 - 16 * Math.Cos(2 * Math.PI * (doy - 15) / 365.0) + 5 * Math.Sin(2 * Math.PI * (hour - 9) / 24.0);
        var weekend = local.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
        var itFactor = (1 + 0.06 * Math.Sin(2 * Math.PI * (hour - 8) / 24.0)) * (weekend ? 0.96 : 1.0) * (1 + 0.05 * sinceStart / (365.0 * 86400));
        var clf = 0.13 + 0.24 * Math.Clamp(tempC / 28.0, 0, 1);   // cooling load factor: ~0.13 in winter (free cooling) to ~0.37 in summer
        var daylight = Math.Max(0, Math.Sin(Math.PI * (hour - 6) / 12.0));
        var office = !weekend && hour is >= 8 and < 19;
        var heating = doy <= 74 || doy >= 319;
        return (doy, hour, tempC, itFactor, clf, daylight, office, heating);
    }

    /// <summary>A room's condition without noise. Cold aisle (°C): its in-range level <paramref name="level"/> (22.5–24.5), 0.4 K warmer at the
    /// afternoon IT peak and 0.3 K in summer; an over-cooled room runs at 18.8 °C (the last 100 days) or 19.6 °C (July and August) instead.
    /// Humidity (%): 45 ± 5 over the year (humidified in winter, dehumidified in summer).</summary>
    internal static double RoomCondition(DemoShape shape, double level, int doy, double hour, bool late, bool summer)
    {
        var diurnal = 0.4 * Math.Sin(2 * Math.PI * (hour - 8) / 24.0);
        var season = Math.Sin(2 * Math.PI * (doy - 105) / 365.0);
        return shape switch
        {
            DemoShape.RoomHumidity => 45 + 5 * season,
            DemoShape.RoomInletOvercooledLate when late => 18.8 + diurnal,
            DemoShape.RoomInletOvercooledSummer when summer => 19.6 + diurnal,
            _ => level + diurnal + 0.3 * season,
        };
    }

    private static double SumIt(double[] b) => b[1] + b[2] + b[3] + b[4];

    /// <summary>Outdoor relative humidity (%) of the model, without noise: a continental-monsoon year (dry winters ~35 %, humid summers
    /// ~70 %), lowest in the afternoon when it is warmest.</summary>
    internal static double Humidity(int doy, double hour) =>
        52 - 18 * Math.Cos(2 * Math.PI * (doy - 15) / 365.0) - 12 * Math.Sin(2 * Math.PI * (hour - 9) / 24.0);

    /// <summary>A few realistic outages, early so that even a 30-day demo shows them: a PDU offline 6 hours on day 4, a chiller
    /// meter offline on days 11–12, an incoming line one hour on day 21 (and a register glitch on day 26); in a demo of 30 days or
    /// more, a CRAH meter silent from 16:00 of the last day (<see cref="OfflineMeter"/>).</summary>
    private static bool Missing(string code, int day, long secondOfDay, int lastDay) => code switch
    {
        OfflineMeter => lastDay >= 29 && day == lastDay && secondOfDay > 16 * 3600,
        "b3_f2_r1_rack010" => day == 3 && secondOfDay is > 8 * 3600 and <= 14 * 3600,
        "b2_chiller1" => day is 10 or 11,
        "b4_in2" => day == 20 && secondOfDay is > 3 * 3600 and <= 4 * 3600,
        _ => false,
    };

    /// <summary>Small fast deterministic PRNG (xorshift64*), so generation stays far cheaper than ingestion.</summary>
    private sealed class XorShift(ulong seed)
    {
        private ulong _s = seed == 0 ? 88172645463325252UL : seed;

        public double NextDouble()
        {
            _s ^= _s >> 12;
            _s ^= _s << 25;
            _s ^= _s >> 27;
            return ((_s * 2685821657736338717UL) >> 11) * (1.0 / (1UL << 53));
        }

        /// <summary>Approximately standard normal (sum of 4 uniforms, rescaled).</summary>
        public double Gaussian() => (NextDouble() + NextDouble() + NextDouble() + NextDouble() - 2.0) * 1.7320508;
    }
}
