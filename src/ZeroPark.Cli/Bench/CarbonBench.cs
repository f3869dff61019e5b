using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ZeroPark.Carbon;
using ZeroPark.Domain;
using ZeroPark.Storage;
using ZeroPark.Storage.Carbon;

namespace ZeroPark.Cli.Bench;

/// <summary>
/// Carbon accounting timings (issue 4's target: a full-year inventory of the 2,000-meter demo park in ≤ 1 s): the inventory
/// computed from scratch (rollups + records + factor library, every call a fresh service), a second method, emissions per day,
/// and the analysis. Part of <c>zeropark bench</c>, and on its own as <c>zeropark bench carbon --db PATH --park CODE</c>
/// over an existing store (e.g. one built by <c>zeropark demo</c>).
/// </summary>
internal static class CarbonBench
{
    public static Command Create()
    {
        var db = new Option<string>("--db") { Required = true, Description = "SQLite file path or PostgreSQL connection string" };
        var park = new Option<string>("--park") { DefaultValueFactory = _ => "demo" };
        var from = new Option<string>("--from") { DefaultValueFactory = _ => "2025-01-01" };
        var to = new Option<string>("--to") { DefaultValueFactory = _ => "2025-12-31" };
        var runs = new Option<int>("--runs") { DefaultValueFactory = _ => 9 };
        var cmd = new Command("carbon", "time carbon inventory, emissions series and analysis over an existing store (warm medians)") { db, park, from, to, runs };
        cmd.SetAction(async (pr, ct) =>
        {
            await using var store = await ZeroParkStore.OpenAsync(pr.GetValue(db)!, null, ct);
            var f = DateOnly.ParseExact(pr.GetValue(from)!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var t = DateOnly.ParseExact(pr.GetValue(to)!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var figures = await RunAsync(store, pr.GetValue(park)!, f, t, Math.Max(1, pr.GetValue(runs)), Console.Error, ct);
            foreach (var (name, ms) in figures) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"carbon {name}: {ms:0.0} ms"));
            return 0;
        });
        return cmd;
    }

    public static async Task<Dictionary<string, double>> RunAsync(ZeroParkStore store, string park, DateOnly from, DateOnly to, int runs, TextWriter log, CancellationToken ct)
    {
        var calls = new Dictionary<string, Func<Task>>
        {
            ["inventory_ghgp_ar6"] = () => new CarbonService(store).ComputeAsync(park, null, from, to, AccountingMethod.Ghgp, GwpSet.AR6, null, ct),
            ["inventory_cn_guideline_sar"] = () => new CarbonService(store).ComputeAsync(park, null, from, to, AccountingMethod.CnGuideline, GwpSet.SAR, null, ct),
            ["inventory_building"] = () => new CarbonService(store).ComputeAsync(park, "b1", from, to, AccountingMethod.Ghgp, GwpSet.AR6, null, ct),
            ["emissions_by_day"] = () => new CarbonService(store).SeriesAsync(park, null, from, to, Granularity.Day, AccountingMethod.Ghgp, GwpSet.AR6, ct),
            ["analysis"] = () => new CarbonAnalysisService(store).AnalyseAsync(park, null, from, to, AccountingMethod.Ghgp, GwpSet.AR6, null, ct: ct),
        };
        var result = new Dictionary<string, double>();
        foreach (var (name, f) in calls)
        {
            await f();   // warm-up
            var times = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                var sw = Stopwatch.StartNew();
                await f();
                times.Add(sw.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            result[name] = Math.Round(times[times.Count / 2], 2);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"carbon {name}: {result[name]:0.0} ms"));
        }
        return result;
    }
}
