using ZeroPark.Domain;
using ZeroPark.Server.Web;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>The space tree (in tree order, with its depth) and the system taxonomy with the park's meters, as shown.</summary>
public sealed partial class RegistryModel : IExportsTables
{
    public IEnumerable<ExportTable> ExportTables()
    {
        yield return new ExportTable("spaces",
            [T("reg.code"), T("reg.space"), T("reg.level"), "depth", T("reg.meters")],
            Tree.Select(t => new object?[] { t.Space.Code, t.Space.Name, Space.LevelCode(t.Space.Level), t.Depth, MetersIn(t.Space) }).ToList());
        yield return new ExportTable("systems",
            [T("reg.code"), T("reg.system"), "parent", T("reg.metersbelow")],
            SystemTaxonomy.All.Select(n => new object?[] { n.Code, IsChinese ? n.NameZh : n.NameEn, n.ParentCode, MetersUnder(n.Code) }).ToList());
    }
}
