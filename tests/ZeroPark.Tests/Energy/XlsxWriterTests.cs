using ZeroPark.Application.Export;

namespace ZeroPark.Tests.EnergyManagement;

/// <summary>The shared XLSX writer, read back with the OpenXml SDK.</summary>
public sealed class XlsxWriterTests
{
    [Fact]
    public void Cells_keep_their_types_and_sheet_names_are_made_valid()
    {
        var t = new DateTimeOffset(2025, 1, 31, 0, 0, 0, TimeSpan.FromHours(8));
        var bytes = XlsxWriter.ToBytes(
            new XlsxSheet("a/b:c", ["text", "double", "int", "null", "date", "day", "bool", "nan"],
                [["尖峰 peak", 1.25, 42, null, t, new DateOnly(2025, 7, 1), true, double.NaN], ["  spaced  ", -0.5, 7L, null, null, null, false, 1e-7]]),
            new XlsxSheet("a/b:c", ["x"], []));
        var rows = TariffTestData.ReadSheet(bytes, "abc");
        Assert.Equal(["text", "double", "int", "null", "date", "day", "bool", "nan"], rows[0].Select(c => c.Text));
        Assert.Equal((false, "尖峰 peak"), rows[1][0]);
        Assert.Equal((true, "1.25"), rows[1][1]);
        Assert.Equal((true, "42"), rows[1][2]);
        Assert.Equal((false, "2025-01-31T00:00:00+08:00"), rows[1][4]);
        Assert.Equal((false, "2025-07-01"), rows[1][5]);
        Assert.Equal((false, "1"), rows[1][6]);       // a boolean cell
        Assert.Equal(7, rows[1].Count);               // null and NaN leave the cell out
        Assert.Equal((false, "  spaced  "), rows[2][0]);
        Assert.Equal((true, "1E-07"), rows[2][7]);
        Assert.Single(TariffTestData.ReadSheet(bytes, "abc (2)"));   // duplicate names get a suffix; an empty table is its header
        Assert.Equal("AA12", XlsxWriter.Ref(26, 12));
        Assert.Equal("A1", XlsxWriter.Ref(0, 1));
    }
}
