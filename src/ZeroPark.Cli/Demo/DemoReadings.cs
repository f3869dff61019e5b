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
                var doy = local.DayOfYear;
                var hour = local.Hour + local.Minute / 60.0;
                var tempC = 12 - 16 * Math.Cos(2 * Math.PI * (doy - 15) / 365.0) + 5 * Math.Sin(2 * Math.PI * (hour - 9) / 24.0);
                var weekend = local.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
                var itFactor = (1 + 0.06 * Math.Sin(2 * Math.PI * (hour - 8) / 24.0)) * (weekend ? 0.96 : 1.0) * (1 + 0.05 * (t - start) / (365.0 * 86400));
                var clf = 0.13 + 0.24 * Math.Clamp(tempC / 28.0, 0, 1);   // cooling load factor: ~0.13 in winter (free cooling) to ~0.37 in summer
                var daylight = Math.Max(0, Math.Sin(Math.PI * (hour - 6) / 12.0));
                var office = !weekend && hour is >= 8 and < 19;
                var firstMondayTest = local.Day <= 7 && local.DayOfWeek == DayOfWeek.Monday && hour is >= 10 and < 10.5;
                var heating = doy <= 74 || doy >= 319;
                Array.Clear(buildingsIt);
                var ts = DateTimeOffset.FromUnixTimeSeconds(t);
                var baseline = day == 0 && t == dayStart;

                for (var i = 0; i < meters.Length; i++)
                {
                    var m = meters[i];
                    double kwh;
                    switch (m.Shape)
                    {
                        case DemoShape.Rack:
                            kwh = m.Scale * itFactor * (1 + 0.03 * rng.Gaussian()) * 0.25;
                            buildingsIt[m.Building] += kwh;
                            break;
                        default:
                            kwh = 0;
                            break;
                    }
                    if (m.Shape == DemoShape.Rack) register[i] += baseline ? 0 : kwh;
                }
                for (var i = 0; i < meters.Length; i++)
                {
                    var m = meters[i];
                    var it = buildingsIt[m.Building];
                    var upsOut = it / 4;
                    var upsIn = upsOut / (0.955 + 0.01 * itFactor);
                    var cooling = it * clf;
                    var aux = it * 0.02;
                    var lv = 4 * upsIn + cooling + aux;
                    double v;
                    switch (m.Shape)
                    {
                        case DemoShape.Rack: v = register[i]; break;
                        case DemoShape.UpsOut: v = upsOut; break;
                        case DemoShape.UpsIn: v = upsIn; break;
                        case DemoShape.TransformerLv: register[i] += baseline ? 0 : lv / 2 / 200; v = register[i]; break;
                        case DemoShape.Incoming: register[i] += baseline ? 0 : lv / 0.99 / 2 / 400; v = register[i]; break;
                        case DemoShape.Chiller: v = cooling * m.Scale * (1 + 0.05 * rng.Gaussian()); break;
                        case DemoShape.PrimaryPump or DemoShape.SecondaryPump or DemoShape.CoolingPump or DemoShape.Tower or DemoShape.Crah:
                            v = cooling * m.Scale * (1 + 0.02 * rng.Gaussian()); break;
                        case DemoShape.Lighting: v = it * m.Scale * (daylight > 0 ? 1.0 : 0.4); break;
                        case DemoShape.Fire or DemoShape.LowVoltage: v = it * m.Scale; break;
                        case DemoShape.Office: v = it * m.Scale * (office ? 1.6 : 0.4); break;
                        case DemoShape.Water:
                            register[i] += baseline ? 0 : (it + cooling) * 0.0016 * (tempC > 10 ? 1.0 : 0.35);
                            v = register[i];
                            break;
                        case DemoShape.Diesel: v = firstMondayTest ? 55 + 5 * rng.NextDouble() : 0; break;
                        case DemoShape.Pv: v = m.Scale * 0.25 * daylight * (0.6 + 0.4 * Math.Sin(2 * Math.PI * (doy - 80) / 365.0)) * (0.7 + 0.3 * rng.NextDouble()); break;
                        case DemoShape.HeatExport:
                            register[i] += baseline ? 0 : heating ? SumIt(buildingsIt) * 0.1 * 0.0036 : 0;
                            v = register[i];
                            break;
                        default: v = 0; break;
                    }
                    if (m.Shape is DemoShape.Rack or DemoShape.TransformerLv or DemoShape.Incoming)
                    {
                        if (register[i] >= 1_000_000) register[i] -= 1_000_000;      // 6-digit registers wrap
                        v = register[i];
                    }
                    var code = physical[i].Code;
                    if (code == DemoPark.ReplacedMeter && !replaced && t == replacementAt)
                    {
                        // The old meter is read at the swap (its final value); the new one starts at 0 and counts what follows.
                        replacement = new DemoReplacement(code, ts, Math.Round(register[i], 3), 0);
                        register[i] = 0;
                        replaced = true;
                        continue;                                   // the replacement stands for this instant's reading
                    }
                    if (Missing(code, day, t - dayStart)) continue;
                    if (code == "b4_f2_r2_rack020" && day == 250 && t - dayStart == 12 * 3600) v = 0;   // a glitch: flagged, not summed
                    points[n++] = new RawPoint(code, ts, Math.Round(v, 3), n);
                }
            }
            Array.Resize(ref points, n);
            yield return new DemoDay(date, points, replacement);
        }
    }

    private static double SumIt(double[] b) => b[1] + b[2] + b[3] + b[4];

    /// <summary>A few realistic outages: a PDU offline 6 hours, a chiller meter offline two days, an incoming line one hour.</summary>
    private static bool Missing(string code, int day, long secondOfDay) => code switch
    {
        "b3_f2_r1_rack010" => day == 40 && secondOfDay is > 8 * 3600 and <= 14 * 3600,
        "b2_chiller1" => day is 100 or 101,
        "b4_in2" => day == 200 && secondOfDay is > 3 * 3600 and <= 4 * 3600,
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
