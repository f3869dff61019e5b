using System.Globalization;
using ZeroPark.Server.Web;

namespace ZeroPark.Tests.Reports;

/// <summary>The reports module's machine-written texts shown in the UI (disclosure reasons, seal changes) have Chinese formats.</summary>
public sealed class ReportMessagesTests
{
    private static string Zh(string english)
    {
        var (ui, c) = (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture);
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("zh-CN");
        try { return UiText.M(english); }
        finally { (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture) = (ui, c); }
    }

    [Fact]
    public void Disclosure_reasons_and_seal_changes_read_in_chinese()
    {
        Assert.Equal("台账中没有排水计量表", Zh("no discharge meters in the registry"));
        Assert.Equal("基准年 2024 没有定稿的盘查", Zh("no final inventory of the base year 2024"));
        Assert.Equal("结果合计：scope1_t 205.7 → 1", Zh("result totals: scope1_t 205.7 → 1"));
        Assert.Equal("2025 年没有保存的盘查：排放量为即时计算，未封存", Zh("no saved 2025 inventory: emissions computed now, not sealed"));
    }
}
