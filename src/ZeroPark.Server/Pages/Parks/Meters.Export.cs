using ZeroPark.Domain;
using ZeroPark.Server.Web;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>The meter list as shown (same search, filters and limit) as an export (<see cref="TableExport"/>).</summary>
public sealed partial class MetersModel : IExportsTables
{
    public IEnumerable<ExportTable> ExportTables()
    {
        yield return new ExportTable("meters",
            [T("data.meter"), T("parks.name"), FieldLabel("carrier"), FieldLabel("unit"), FieldLabel("kind"), FieldLabel("multiplier"), FieldLabel("role"),
             FieldLabel("space"), FieldLabel("system"), FieldLabel("formula"), T("overview.lastreading"), T("overview.lastreading") + " (" + T("audit.at") + ")"],
            Shown.Select(m =>
            {
                var latest = Latest.TryGetValue(m.Code, out var l) ? l : null;
                return new object?[]
                {
                    m.Code, m.Name, Codes.Of(m.Carrier), m.Unit, Codes.Of(m.Kind), m.Multiplier, Codes.Of(m.Role), SpaceName(m.SpaceId), m.SystemCode, m.Formula,
                    latest?.Value, latest is null ? null : Park.Clock.ToLocalOffset(latest.At.ToUnixTimeSeconds()),
                };
            }).ToList());
    }
}
