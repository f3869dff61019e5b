using Microsoft.Extensions.DependencyInjection;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ZeroPark.Application;

namespace ZeroPark.Cli.Bench;

/// <summary>
/// What the service benchmarks (<see cref="EnergyBench"/>, <see cref="CarbonBench"/>) share: the <c>zeropark bench NAME --db --park
/// --from --to --runs</c> command over an existing store, and the timing of named calls (warm-up, see <see cref="WarmUpAsync"/>,
/// then the median of <c>runs</c> calls).
/// </summary>
internal static class ServiceBench
{
    /// <summary>The calls of one benchmark over the application's services (store and services from the composition root), a park and
    /// a local-date range.</summary>
    public delegate IReadOnlyDictionary<string, Func<Task>> Calls(IServiceProvider services, string park, DateOnly from, DateOnly to, CancellationToken ct);

    public static Command Create(string name, string description, Calls calls)
    {
        var db = new Option<string>("--db") { Required = true, Description = "SQLite file path or PostgreSQL connection string" };
        var park = new Option<string>("--park") { DefaultValueFactory = _ => "demo" };
        var from = new Option<string>("--from") { DefaultValueFactory = _ => "2025-01-01" };
        var to = new Option<string>("--to") { DefaultValueFactory = _ => "2025-12-31" };
        var runs = new Option<int>("--runs") { DefaultValueFactory = _ => 9 };
        var cmd = new Command(name, description) { db, park, from, to, runs };
        cmd.SetAction(async (pr, ct) =>
        {
            await using var services = CliApp.BuildServices(pr.GetValue(db)!);
            services.GetRequiredService<ZeroParkStore>();   // open and migrate before timing, as before
            var f = DateOnly.ParseExact(pr.GetValue(from)!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var t = DateOnly.ParseExact(pr.GetValue(to)!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var figures = await TimeAsync(name, calls(services, pr.GetValue(park)!, f, t, ct), Math.Max(1, pr.GetValue(runs)), Console.Error);
            foreach (var (call, ms) in figures) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} {call}: {ms:0.0} ms"));
            return 0;
        });
        return cmd;
    }

    /// <summary>
    /// Calls <paramref name="f"/> until .NET's tiered JIT is done with it: at least 30 calls (the call count at which a method
    /// is recompiled optimised), then until the runtime has compiled no new method for 500 ms and 3 calls in a row
    /// (<see cref="System.Runtime.JitInfo.GetCompiledMethodCount"/>), or 20 s in all (bounded; the last calls are then timed
    /// as they are). A fixed 30 calls was not enough: the optimised code arrives in the background after a call-counting delay,
    /// and the first call timed (Q1) measured 69 ms where the same call timed after the others measured 21 ms.
    /// </summary>
    public static async Task WarmUpAsync(Func<Task> f)
    {
        var total = Stopwatch.StartNew();
        var quiet = Stopwatch.StartNew();
        var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
        var calls = 0;
        var quietCalls = 0;
        while (total.Elapsed.TotalSeconds < 20 || calls == 0)
        {
            await f();
            calls++;
            var now = System.Runtime.JitInfo.GetCompiledMethodCount();
            if (now != compiled)
            {
                compiled = now;
                quiet.Restart();
                quietCalls = 0;
            }
            else quietCalls++;
            if (calls >= 30 && quietCalls >= 3 && quiet.ElapsedMilliseconds >= 500) break;
        }
    }

    /// <summary>Warm median in milliseconds of each call (logged as it is measured).</summary>
    public static async Task<Dictionary<string, double>> TimeAsync(string name, IReadOnlyDictionary<string, Func<Task>> calls, int runs, TextWriter log)
    {
        var result = new Dictionary<string, double>();
        foreach (var (call, f) in calls)
        {
            await WarmUpAsync(f);
            var times = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                var sw = Stopwatch.StartNew();
                await f();
                times.Add(sw.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            result[call] = Math.Round(times[times.Count / 2], 2);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} {call}: {result[call]:0.0} ms"));
        }
        return result;
    }
}
