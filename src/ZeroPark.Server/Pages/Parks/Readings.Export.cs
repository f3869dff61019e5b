using ZeroPark.Server.Web;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>The chosen meter's stored readings of the day and the park's latest manual entries and corrections, as shown.</summary>
public sealed partial class ReadingsModel : IExportsTables
{
    public IEnumerable<ExportTable> ExportTables()
    {
        var unit = Selected?.Unit ?? "";
        yield return new ExportTable("day-readings",
            [T("audit.at"), $"{T("data.value")} ({unit})", T("rd.oldfinal"), T("data.flags")],
            DayReadings.Select(r => new object?[] { Park.Clock.ToLocalOffset(r.Ts), r.Value, r.OldFinal, string.Join(" ", FlagTags(r.Flags)) }).ToList());
        yield return new ExportTable("recent",
            [T("audit.at"), T("audit.user"), T("audit.action"), T("audit.key"), T("audit.old"), T("audit.new"), T("audit.reason")],
            Recent.Select(e => new object?[] { e.At, e.User, TOr("audit.a." + e.Action, e.Action), e.EntityKey, e.OldValue, e.NewValue, e.Reason }).ToList());
    }
}
