using Microsoft.Extensions.DependencyInjection;
using System.CommandLine;
using ZeroPark.Application;
using ZeroPark.Application.EnergyManagement;

namespace ZeroPark.Cli.Bench;

/// <summary>
/// Energy-management timings (issue 3's target: ≤ 100 ms per KPI or breakdown call, warm): KPIs (with month-on-month and
/// year-on-year, as the CLI and API serve them), the breakdown, the cost, the flows of every carrier and the losses by voltage
/// level. Part of <c>zeropark bench</c>, and on its own as <c>zeropark bench energy --db PATH --park CODE --from … --to …</c> over an
/// existing store (e.g. one built by <c>zeropark demo</c>). Every call builds fresh services (the registry cache stays warm).
/// </summary>
internal static class EnergyBench
{
    public static Command Create() => ServiceBench.Create("energy", "time energy KPIs (with MoM/YoY), breakdown, cost, flows and voltage levels over an existing store (warm medians)", Calls);

    public static Task<Dictionary<string, double>> RunAsync(IServiceProvider services, string park, DateOnly from, DateOnly to, int runs, TextWriter log, CancellationToken ct) =>
        ServiceBench.TimeAsync("energy", Calls(services, park, from, to, ct), runs, log);

    private static IReadOnlyDictionary<string, Func<Task>> Calls(IServiceProvider services, string park, DateOnly from, DateOnly to, CancellationToken ct)
    {
        EnergyService E() => services.GetRequiredService<EnergyService>();
        return new Dictionary<string, Func<Task>>
        {
            ["kpi_park_by_month"] = () => E().KpiAsync(park, null, from, to, EnergyBucketing.Month, ct),
            ["kpi_park_by_month_mom_yoy"] = () => PeriodComparison.KpiAsync(E(), park, null, from, to, EnergyBucketing.Month, ct),
            ["kpi_park_by_day"] = () => E().KpiAsync(park, null, from, to, EnergyBucketing.Day, ct),
            ["kpi_building_total"] = () => E().KpiAsync(park, "b1", from, to, EnergyBucketing.Total, ct),
            ["breakdown_park_by_month_mom_yoy"] = () => BreakdownComparison.BreakdownAsync(E(), park, null, from, to, EnergyBucketing.Month, false, ct),
            ["cost_park_by_month"] = () => services.GetRequiredService<EnergyCostService>().CostAsync(park, null, from, to, EnergyBucketing.Month, ct),
            ["cost_park_by_month_mom_yoy"] = () => PeriodComparison.CostAsync(services.GetRequiredService<EnergyCostService>(), park, null, from, to, EnergyBucketing.Month, ct),
            ["flow_park_total"] = () => E().FlowAsync(park, null, from, to, EnergyBucketing.Total, ct),
            ["flow_water_park_total"] = () => E().WaterFlowAsync(park, null, from, to, EnergyBucketing.Total, ct),
            ["flow_heat_park_total"] = () => E().HeatFlowAsync(park, null, from, to, EnergyBucketing.Total, ct),
            ["power_losses_by_voltage_level"] = () => services.GetRequiredService<DeviceAnalysisService>().EquipmentAsync(park, null, "power", from, to, AnalysisBucketing.Month, ct),
        };
    }
}
