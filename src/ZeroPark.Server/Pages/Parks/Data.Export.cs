using ZeroPark.Server.Web;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>The data page's tables as exports (<see cref="TableExport"/>): the meters shown (same filter, order and limit), and
/// the selected meter's gaps and flagged readings.</summary>
public sealed partial class DataModel : IExportsTables
{
    public IEnumerable<ExportTable> ExportTables()
    {
        yield return new ExportTable("quality",
            [T("data.meter"), T("parks.name"), T("data.received"), T("overview.completeness") + " (%)", T("data.flagged"), T("data.estimated"), T("overview.lastreading"), T("data.value"), T("carbon.unit")],
            Shown.Select(m => new object?[]
            {
                m.Meter, m.Name, $"{m.Received}/{m.Expected}", m.CompletenessPercent, m.Flagged, m.Estimated, m.LastReadingAt, m.LastValue,
                Meters.TryGetValue(m.Meter, out var meter) ? meter.Unit : null,
            }).ToList());
        yield return new ExportTable("gaps", [T("data.from"), T("data.to")], (Detail?.Gaps ?? []).Select(g => new object?[] { g.Start, g.End }).ToList());
        yield return new ExportTable("flags", [T("audit.at"), T("data.value"), T("data.flags")],
            (Detail?.FlaggedReadings ?? []).Select(f => new object?[] { f.Timestamp, f.Value, f.Flags }).ToList());
    }
}
