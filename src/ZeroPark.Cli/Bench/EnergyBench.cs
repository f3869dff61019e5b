using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ZeroPark.Storage;
using ZeroPark.Storage.EnergyManagement;

namespace ZeroPark.Cli.Bench;

/// <summary>
/// Energy-management timings (issue 3's target: ≤ 100 ms per KPI or breakdown call, warm): KPIs (with month-on-month and
/// year-on-year, as the CLI and API serve them), the breakdown, the cost, the flows of every carrier and the losses by voltage
/// level. Part of <c>zeropark bench</c>, and on its own as <c>zeropark bench energy --db PATH --park CODE --from … --to …</c> over an
/// existing store (e.g. one built by <c>zeropark demo</c>). Every call builds fresh services (the registry cache stays warm).
/// </summary>
internal static class EnergyBench
{
    public static Command Create()
    {
        var db = new Option<string>("--db") { Required = true, Description = "SQLite file path or PostgreSQL connection string" };
        var park = new Option<string>("--park") { DefaultValueFactory = _ => "demo" };
        var from = new Option<string>("--from") { DefaultValueFactory = _ => "2025-01-01" };
        var to = new Option<string>("--to") { DefaultValueFactory = _ => "2025-12-31" };
        var runs = new Option<int>("--runs") { DefaultValueFactory = _ => 9 };
        var cmd = new Command("energy", "time energy KPIs (with MoM/YoY), breakdown, cost, flows and voltage levels over an existing store (warm medians)")
            { db, park, from, to, runs };
        cmd.SetAction(async (pr, ct) =>
        {
            await using var store = await ZeroParkStore.OpenAsync(pr.GetValue(db)!, null, ct);
            var f = DateOnly.ParseExact(pr.GetValue(from)!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var t = DateOnly.ParseExact(pr.GetValue(to)!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var figures = await RunAsync(store, pr.GetValue(park)!, f, t, Math.Max(1, pr.GetValue(runs)), Console.Error, ct);
            foreach (var (name, ms) in figures) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"energy {name}: {ms:0.0} ms"));
            return 0;
        });
        return cmd;
    }

    public static async Task<Dictionary<string, double>> RunAsync(ZeroParkStore store, string park, DateOnly from, DateOnly to, int runs, TextWriter log, CancellationToken ct)
    {
        EnergyService E() => new(store);
        var calls = new Dictionary<string, Func<Task>>
        {
            ["kpi_park_by_month"] = () => E().KpiAsync(park, null, from, to, EnergyBucketing.Month, ct),
            ["kpi_park_by_month_mom_yoy"] = () => PeriodComparison.KpiAsync(E(), park, null, from, to, EnergyBucketing.Month, ct),
            ["kpi_park_by_day"] = () => E().KpiAsync(park, null, from, to, EnergyBucketing.Day, ct),
            ["kpi_building_total"] = () => E().KpiAsync(park, "b1", from, to, EnergyBucketing.Total, ct),
            ["breakdown_park_by_month_mom_yoy"] = () => BreakdownComparison.BreakdownAsync(E(), park, null, from, to, EnergyBucketing.Month, false, ct),
            ["cost_park_by_month"] = () => new EnergyCostService(store).CostAsync(park, null, from, to, EnergyBucketing.Month, ct),
            ["cost_park_by_month_mom_yoy"] = () => PeriodComparison.CostAsync(new EnergyCostService(store), park, null, from, to, EnergyBucketing.Month, ct),
            ["flow_park_total"] = () => E().FlowAsync(park, null, from, to, EnergyBucketing.Total, ct),
            ["flow_water_park_total"] = () => E().WaterFlowAsync(park, null, from, to, EnergyBucketing.Total, ct),
            ["flow_heat_park_total"] = () => E().HeatFlowAsync(park, null, from, to, EnergyBucketing.Total, ct),
            ["power_losses_by_voltage_level"] = () => new DeviceAnalysisService(store).EquipmentAsync(park, null, "power", from, to, AnalysisBucketing.Month, ct),
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
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"energy {name}: {result[name]:0.0} ms"));
        }
        return result;
    }
}
