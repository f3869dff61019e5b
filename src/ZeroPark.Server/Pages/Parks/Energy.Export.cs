using ZeroPark.Server.Web;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>The energy page's KPI table as an export (<see cref="TableExport"/>): the rows on screen, raw values.</summary>
public sealed partial class EnergyModel : IExportsTables
{
    public IEnumerable<ExportTable> ExportTables()
    {
        yield return new ExportTable("kpi",
            [T("energy.period"), T("energy.total") + " (kWh)", T("input.it") + " (kWh)", T("input.cooling") + " (kWh)", "PUE", "CLF", "PLF", "WUE (L/kWh)", T("overview.completeness") + " (%)"],
            Rows.Select(r => new object?[] { Period(r), r.Inputs.TotalKwh, r.Inputs.ItKwh, r.Inputs.CoolingKwh, r.Pue, r.Clf, r.Plf, r.Wue, r.Completeness }).ToList());
    }
}
