using ZeroPark.Server.Web;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>The park's months (plan, actual, deviation) and the buildings' progress as shown, raw amounts in the carrier's unit.</summary>
public sealed partial class EnergyPlansModel : IExportsTables
{
    public IEnumerable<ExportTable> ExportTables()
    {
        var u = Park.Unit;
        yield return new ExportTable("plan-months",
            [T("ea.plan.month"), T("ea.plan.status"), $"{T("ea.plan.plan")} ({u})", $"{T("ea.current")} ({u})", T("ea.plan.deviation") + " (%)", T("overview.completeness") + " (%)"],
            Park.Months.Select(m => new object?[] { m.Month, m.Status, m.Plan, m.Actual, m.DeviationPct, m.Completeness }).ToList());
        yield return new ExportTable("plan-buildings",
            [T("ea.name"), "code", $"{T("ea.plan.annual")} ({u})", $"{T("ea.plan.actual")} ({u})", T("ea.plan.deviation") + " (%)", $"{T("ea.plan.projected")} ({u})"],
            Buildings.Select(b => new object?[] { b.Name, b.Code, b.Progress.AnnualPlan, b.Progress.ActualToDate, b.Progress.DeviationToDatePct, b.Progress.ProjectedYearEnd }).ToList());
    }
}
