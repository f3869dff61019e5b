using ZeroPark.Application.EnergyManagement;

namespace ZeroPark.Application.Export;

/// <summary>Plan tables as sheets (XLSX, and the CLI's csv/table output uses the first sheet): JSON field names as headers.</summary>
public static partial class EnergyTables
{
    public static XlsxSheet[] Plans(IReadOnlyList<EnergyPlanView> plans) =>
    [
        new("plans", ["node", "carrier", "year", "month", "period", "amount", "unit", "basis", "updated_at", "updated_by"],
            plans.Select(p => new object?[] { p.Node, p.Carrier, p.Year, p.Month, p.Period, p.Amount, p.Unit, p.Basis, p.UpdatedAt, p.UpdatedBy }).ToList()),
    ];

    public static XlsxSheet[] PlanProgress(PlanProgressView p) =>
    [
        new("months", ["node", "carrier", "unit", "year", "month", "start", "end", "status", "plan", "plan_source", "actual", "deviation", "deviation_pct",
                "cumulative_plan", "cumulative_actual", "projected_remaining", "projection_basis", "completeness"],
            p.Months.Select(m => new object?[]
            {
                p.Node, p.Carrier, p.Unit, p.Year, m.Month, m.Start, m.End, m.Status, m.Plan, m.PlanSource, m.Actual, m.Deviation, m.DeviationPct,
                m.CumulativePlan, m.CumulativeActual, m.ProjectedRemaining, m.ProjectionBasis, m.Completeness,
            }).ToList()),
        new("summary", ["node", "carrier", "unit", "year", "as_of", "annual_plan", "annual_plan_source", "plan_to_date", "actual_to_date", "deviation_to_date",
                "deviation_to_date_pct", "progress_pct", "projected_year_end", "projected_vs_plan_pct", "projected_over_plan", "actual", "projection_method", "notes"],
            [[
                p.Node, p.Carrier, p.Unit, p.Year, p.AsOf, p.AnnualPlan, p.AnnualPlanSource, p.PlanToDate, p.ActualToDate, p.DeviationToDate, p.DeviationToDatePct,
                p.ProgressPct, p.ProjectedYearEnd, p.ProjectedVsPlanPct, p.ProjectedOverPlan, p.Actual, p.ProjectionMethod, string.Join(" | ", p.Notes),
            ]]),
    ];

    public static XlsxSheet[] GroupPlanDecomposition(GroupPlanDecompositionView d) =>
    [
        new("group_decomposition", ["carrier", "unit", "year", "group_plan", "basis", "applied", "park", "weight", "share", "plan"],
            d.Parks.Select(p => new object?[] { d.Carrier, d.Unit, d.Year, d.GroupPlan, d.Basis, d.Applied, p.Node, p.Weight, p.Share, p.Plan }).ToList()),
    ];

    public static XlsxSheet[] PlanDecomposition(PlanDecompositionView d) =>
    [
        new("decomposition", ["park", "carrier", "unit", "year", "park_plan", "basis", "applied", "node", "weight", "share", "plan"],
            d.Buildings.Select(b => new object?[] { d.Park, d.Carrier, d.Unit, d.Year, d.ParkPlan, d.Basis, d.Applied, b.Node, b.Weight, b.Share, b.Plan }).ToList()),
    ];
}
