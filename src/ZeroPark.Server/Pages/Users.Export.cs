using ZeroPark.Server.Web;
using ZeroPark.Application;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages;

/// <summary>The user list as an export (<see cref="TableExport"/>; the page is for administrators only, so is the export).</summary>
public sealed partial class UsersModel : IExportsTables
{
    public IEnumerable<ExportTable> ExportTables()
    {
        yield return new ExportTable("users",
            [T("users.name"), T("users.role"), T("users.parks"), T("users.status"), T("users.mustchange"), T("users.lastsignin")],
            Users.Select(u => new object?[]
            {
                u.Name, UiText.Role(u.Role), u.SeesAllParks ? T("users.allparks") : string.Join(", ", u.Parks),
                u.Disabled ? T("users.disabled") : u.LockedUntil is { } l && l > DateTimeOffset.UtcNow ? T("users.locked", UiText.DateTime(l.ToLocalTime())) : T("users.active"),
                u.MustChangePassword, u.LastSignIn,
            }).ToList());
    }
}
