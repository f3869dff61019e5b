using ZeroPark.Server.Web;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>The overview's tables as exports (<see cref="TableExport"/>): the split by subsystem, the completeness per KPI input
/// and the 30-day trend behind the chart.</summary>
public sealed partial class OverviewModel : IExportsTables
{
    public IEnumerable<ExportTable> ExportTables()
    {
        var d = Data;
        yield return new ExportTable("split", [T("overview.subsystem"), T("overview.energy") + " (kWh)", T("overview.share") + " (%)"],
            d.Split.Select(s => new object?[] { T("sub." + s.Code), s.Kwh, s.Share * 100 })
                .Append([T("overview.total"), d.SplitTotalKwh, d.SplitTotalKwh is null ? null : 100.0]).ToList());
        yield return new ExportTable("quality", [T("overview.input"), T("overview.completeness") + " (%)"],
            d.Month.CompletenessByInput.OrderBy(x => x.Key, StringComparer.Ordinal)
                .Select(x => new object?[] { TOr("input." + x.Key, x.Key), x.Value }).ToList());
        yield return new ExportTable("trend", [T("audit.at"), T("chart.energy"), T("chart.pue")],
            d.Trend.Select(t => new object?[] { t.Day, t.TotalKwh, t.Pue }).ToList());
    }
}
