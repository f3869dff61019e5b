using Microsoft.Extensions.DependencyInjection;
using System.CommandLine;
using ZeroPark.Carbon;
using ZeroPark.Domain;
using ZeroPark.Application;
using ZeroPark.Application.Carbon;

namespace ZeroPark.Cli.Bench;

/// <summary>
/// Carbon accounting timings (issue 4's target: a full-year inventory of the 2,000-meter demo park in ≤ 1 s): the inventory
/// computed from scratch (rollups + records + factor library, every call a fresh service), a second method, emissions per day,
/// and the analysis. Part of <c>zeropark bench</c>, and on its own as <c>zeropark bench carbon --db PATH --park CODE</c>
/// over an existing store (e.g. one built by <c>zeropark demo</c>).
/// </summary>
internal static class CarbonBench
{
    public static Command Create() => ServiceBench.Create("carbon", "time carbon inventory, emissions series and analysis over an existing store (warm medians)", Calls);

    public static Task<Dictionary<string, double>> RunAsync(IServiceProvider services, string park, DateOnly from, DateOnly to, int runs, TextWriter log, CancellationToken ct) =>
        ServiceBench.TimeAsync("carbon", Calls(services, park, from, to, ct), runs, log);

    private static IReadOnlyDictionary<string, Func<Task>> Calls(IServiceProvider services, string park, DateOnly from, DateOnly to, CancellationToken ct)
    {
        return new Dictionary<string, Func<Task>>
        {
            ["inventory_ghgp_ar6"] = () => services.GetRequiredService<CarbonService>().ComputeAsync(park, null, from, to, AccountingMethod.Ghgp, GwpSet.AR6, null, ct),
            ["inventory_cn_guideline_sar"] = () => services.GetRequiredService<CarbonService>().ComputeAsync(park, null, from, to, AccountingMethod.CnGuideline, GwpSet.SAR, null, ct),
            ["inventory_building"] = () => services.GetRequiredService<CarbonService>().ComputeAsync(park, "b1", from, to, AccountingMethod.Ghgp, GwpSet.AR6, null, ct),
            ["emissions_by_day"] = () => services.GetRequiredService<CarbonService>().SeriesAsync(park, null, from, to, Granularity.Day, AccountingMethod.Ghgp, GwpSet.AR6, ct),
            ["analysis"] = () => services.GetRequiredService<CarbonAnalysisService>().AnalyseAsync(park, null, from, to, AccountingMethod.Ghgp, GwpSet.AR6, null, ct: ct),
        };
    }
}
