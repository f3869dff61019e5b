using ZeroPark.Server.Web;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages;

/// <summary>The audit log as shown (same park filter and limit) as an export (<see cref="TableExport"/>).</summary>
public sealed partial class AuditModel : IExportsTables
{
    public IEnumerable<ExportTable> ExportTables()
    {
        yield return new ExportTable("audit",
            [T("audit.at"), T("audit.park"), T("audit.user"), T("audit.action"), T("audit.entity"), T("audit.key"), T("audit.reason"), T("audit.old"), T("audit.new")],
            Entries.Select(e => new object?[] { e.At, e.Park, e.User, TOr("audit.a." + e.Action, e.Action), TOr("audit.e." + e.Entity, e.Entity), e.EntityKey, e.Reason, e.OldValue, e.NewValue })
                .ToList());
    }
}
