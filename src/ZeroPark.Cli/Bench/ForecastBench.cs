using Microsoft.Extensions.DependencyInjection;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ZeroPark.Application;
using ZeroPark.Application.Optimisation;
using ZeroPark.Optimisation;

namespace ZeroPark.Cli.Bench;

/// <summary>
/// <c>zeropark bench forecast --db PATH --park CODE [--node CODE] [--runs 3]</c> over an existing store (e.g. <c>zeropark demo --meters 2000</c>):
/// for every target and horizon the rolling-origin backtest on the last 60 complete days (MAPE and MAE of the model and of the seasonal-naive
/// baseline, points scored) and its time, the time to train and forecast from the end of the data, and the time of a driver analysis and of a
/// suggestions analysis. Times are the first (cold) call and the median of --runs warm calls, in milliseconds.
/// </summary>
internal static class ForecastBench
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Command Create()
    {
        var db = new Option<string>("--db") { Required = true, Description = "SQLite file path or PostgreSQL connection string" };
        var park = new Option<string>("--park") { DefaultValueFactory = _ => "demo" };
        var node = new Option<string?>("--node") { Description = "building code; default: the park" };
        var runs = new Option<int>("--runs") { DefaultValueFactory = _ => 3 };
        var cmd = new Command("forecast", "forecast accuracy (backtest MAPE vs the seasonal-naive baseline per target and horizon) and training/forecast times over an existing store")
            { db, park, node, runs };
        cmd.SetAction(async (pr, ct) =>
        {
            await using var services = CliApp.BuildServices(pr.GetValue(db)!);
            var store = services.GetRequiredService<ZeroParkStore>();
            var p = pr.GetValue(park)!;
            var n = pr.GetValue(node);
            var r = Math.Max(1, pr.GetValue(runs));
            var meters = (await store.Registry.GetRegistryAsync(p, ct)).MetersByCode.Count;
            Console.WriteLine($"bench forecast: park {p} ({meters} meters){(n is null ? "" : ", node " + n)}");
            var forecasts = services.GetRequiredService<ForecastService>();
            foreach (var h in new[] { ForecastHorizon.Day, ForecastHorizon.Week })
                foreach (var t in ForecastTargets.All)
                {
                    BacktestResult? last = null;
                    var (cold, warm) = await TimeAsync(async () => last = await forecasts.BacktestAsync(p, n, t, h, null, null, ct), r);
                    var b = last!;
                    Console.WriteLine(string.Create(Inv,
                        $"backtest {t} {ForecastService.Code(h)}: mape {b.Mape:0.###} % baseline_mape {b.BaselineMape:0.###} % mae {b.Mae:0.###} baseline_mae {b.BaselineMae:0.###} points {b.Points} shown {b.Shown} ({b.From}..{b.To}); cold {cold:0} ms, warm {warm:0} ms"));
                }
            foreach (var h in new[] { ForecastHorizon.Day, ForecastHorizon.Week })
            {
                var (cold, warm) = await TimeAsync(() => forecasts.ForecastAsync(p, n, ForecastTargets.FacilityEnergy, h, false, "bench", ct), r);
                Console.WriteLine(string.Create(Inv, $"train and forecast facility_energy {ForecastService.Code(h)} (history read, 60-day backtest, fit, forecast): cold {cold:0} ms, warm {warm:0} ms"));
            }
            var drivers = services.GetRequiredService<DriverService>();
            var (dc, dw) = await TimeAsync(() => drivers.AnalyseAsync(p, n, "pue", null, null, null, ct), r);
            Console.WriteLine(string.Create(Inv, $"pue drivers (365 days): cold {dc:0} ms, warm {dw:0} ms"));
            var suggestions = services.GetRequiredService<SuggestionService>();
            var (sc, sw) = await TimeAsync(() => suggestions.AnalyseAsync(p, null, null, "bench", ct), r);
            Console.WriteLine(string.Create(Inv, $"suggestions analyse (30 days, every rack meter): cold {sc:0} ms, warm {sw:0} ms"));
            return 0;
        });
        return cmd;
    }

    private static async Task<(double Cold, double Warm)> TimeAsync(Func<Task> f, int runs)
    {
        var sw = Stopwatch.StartNew();
        await f();
        var cold = sw.Elapsed.TotalMilliseconds;
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            sw.Restart();
            await f();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return (cold, times[times.Count / 2]);
    }
}
