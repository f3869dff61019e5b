using ZeroPark.Server.Web;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>The ranked lines of the subsystem / space / device view as shown (same month and system), raw kWh and percent.</summary>
public sealed partial class EnergyDimensionsModel : IExportsTables
{
    public IEnumerable<ExportTable> ExportTables()
    {
        yield return new ExportTable("dimension",
            [T("ea.rank"), T("ea.name"), Dim == "subsystem" ? "key" : Dim == "device" ? T("ea.system") : T("parks.code"),
             T("ea.current") + " (kWh)", T("overview.share") + " (%)", T("ea.mom") + " (kWh)", T("ea.mom.pct") + " (%)", T("ea.yoy") + " (kWh)", T("ea.yoy.pct") + " (%)"],
            Lines.Select((l, i) => new object?[]
            {
                i + 1, Dim == "device" ? $"{l.Name} ({l.Key})" : l.Name, Dim == "subsystem" ? l.Key : l.Detail,
                l.Current, l.SharePct, l.Mom, l.MomPct, l.Yoy, l.YoyPct,
            }).ToList());
    }
}
