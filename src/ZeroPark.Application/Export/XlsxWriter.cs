using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace ZeroPark.Application.Export;

/// <summary>One worksheet: a header row of <see cref="Columns"/>, then one row per entry of <see cref="Rows"/>.</summary>
public sealed record XlsxSheet(string Name, IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows);

/// <summary>
/// A small XLSX (Office Open XML spreadsheet) writer for exported tables. Numbers (double, float, decimal, int, long) are numeric
/// cells; dates and times are ISO 8601 text (<c>2025-01-31T00:00:00+08:00</c>, <c>2025-01-31</c>) so no time zone is lost;
/// booleans are boolean cells; strings are inline strings; null, NaN and ±∞ are empty cells. The header row is bold and frozen.
/// </summary>
public static class XlsxWriter
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static byte[] ToBytes(params XlsxSheet[] sheets)
    {
        using var ms = new MemoryStream();
        Write(ms, sheets);
        return ms.ToArray();
    }

    public static void WriteFile(string path, params XlsxSheet[] sheets)
    {
        var full = Path.GetFullPath(path);
        if (Path.GetDirectoryName(full) is { } dir) Directory.CreateDirectory(dir);
        File.WriteAllBytes(full, ToBytes(sheets));
    }

    /// <summary>Writes the workbook to a seekable stream.</summary>
    public static void Write(Stream stream, IReadOnlyList<XlsxSheet> sheets)
    {
        if (sheets.Count == 0) throw new ArgumentException("at least one sheet is required", nameof(sheets));
        using var doc = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook);
        var wb = doc.AddWorkbookPart();
        wb.Workbook = new Workbook();
        var styles = wb.AddNewPart<WorkbookStylesPart>();
        styles.Stylesheet = new Stylesheet(
            new Fonts(new Font(), new Font(new Bold())) { Count = 2 },
            new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
            new Borders(new Border()) { Count = 1 },
            new CellStyleFormats(new CellFormat()) { Count = 1 },
            new CellFormats(new CellFormat(), new CellFormat { FontId = 1, ApplyFont = true }) { Count = 2 });
        var sheetList = wb.Workbook.AppendChild(new Sheets());
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        uint id = 1;
        foreach (var s in sheets)
        {
            var part = wb.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            var header = new Row { RowIndex = 1 };
            for (var c = 0; c < s.Columns.Count; c++)
                header.Append(new Cell { CellReference = Ref(c, 1), DataType = CellValues.InlineString, StyleIndex = 1, InlineString = new InlineString(new Text(s.Columns[c])) });
            data.Append(header);
            uint r = 2;
            foreach (var values in s.Rows)
            {
                var row = new Row { RowIndex = r };
                for (var c = 0; c < values.Length; c++)
                    if (CellOf(values[c], Ref(c, r)) is { } cell) row.Append(cell);
                data.Append(row);
                r++;
            }
            var pane = new SheetViews(new SheetView(new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen })
                { WorkbookViewId = 0 });
            part.Worksheet = new Worksheet(pane, data);
            sheetList.Append(new Sheet { Id = wb.GetIdOfPart(part), SheetId = id++, Name = SheetName(s.Name, used) });
        }
        wb.Workbook.Save();
    }

    private static Cell? CellOf(object? v, string reference)
    {
        switch (v)
        {
            case null:
                return null;
            case double d:
                return double.IsFinite(d) ? Number(d.ToString("R", CultureInfo.InvariantCulture), reference) : null;
            case float f:
                return float.IsFinite(f) ? Number(((double)f).ToString("R", CultureInfo.InvariantCulture), reference) : null;
            case decimal m:
                return Number(m.ToString(CultureInfo.InvariantCulture), reference);
            case int or long or short or uint or ulong or byte:
                return Number(Convert.ToString(v, CultureInfo.InvariantCulture)!, reference);
            case bool b:
                return new Cell { CellReference = reference, DataType = CellValues.Boolean, CellValue = new CellValue(b ? "1" : "0") };
            case DateTimeOffset t:
                return Text(t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture), reference);
            case DateTime t:
                return Text(t.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture), reference);
            case DateOnly d:
                return Text(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), reference);
            case IFormattable x:
                return Text(x.ToString(null, CultureInfo.InvariantCulture), reference);
            default:
                return Text(v.ToString() ?? "", reference);
        }
    }

    private static Cell Number(string text, string reference) => new() { CellReference = reference, DataType = CellValues.Number, CellValue = new CellValue(text) };

    private static Cell Text(string text, string reference) => new()
    {
        CellReference = reference,
        DataType = CellValues.InlineString,
        InlineString = new InlineString(new Text(Clean(text)) { Space = SpaceProcessingModeValues.Preserve }),
    };

    /// <summary>XML 1.0 cannot carry most control characters; a cell holds at most 32,767 characters.</summary>
    private static string Clean(string s)
    {
        var chars = s.Where(ch => ch is '\t' or '\n' or '\r' || ch >= ' ').ToArray();
        return new string(chars.Length > 32767 ? chars[..32767] : chars);
    }

    /// <summary>A1-style reference of zero-based column <paramref name="col"/> in one-based row <paramref name="row"/>.</summary>
    internal static string Ref(int col, uint row)
    {
        var name = "";
        for (var c = col + 1; c > 0; c = (c - 1) / 26) name = (char)('A' + (c - 1) % 26) + name;
        return name + row.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Excel sheet names: 1–31 characters, none of : \ / ? * [ ], unique (case-insensitive).</summary>
    private static string SheetName(string name, HashSet<string> used)
    {
        var clean = new string(name.Where(ch => ch is not (':' or '\\' or '/' or '?' or '*' or '[' or ']')).ToArray()).Trim('\'');
        if (clean.Length == 0) clean = "Sheet";
        if (clean.Length > 31) clean = clean[..31];
        var candidate = clean;
        for (var i = 2; !used.Add(candidate); i++)
        {
            var suffix = " (" + i.ToString(CultureInfo.InvariantCulture) + ")";
            candidate = (clean.Length + suffix.Length > 31 ? clean[..(31 - suffix.Length)] : clean) + suffix;
        }
        return candidate;
    }
}
