using System.IO.Compression;
using System.Text;
using ZeroPark.Metering;
using ZeroPark.Application.Readings.Import;

namespace ZeroPark.Tests.Import;

/// <summary>
/// Issue 11, "a bad row takes down only itself": every malicious input is built here (nothing binary is committed), and each
/// test checks that the bad row is reported with its line and reason, that every other row is kept, and that whole-file
/// refusals (XLSX bombs, DTDs) are clean reasons within bounded time and memory.
/// </summary>
public class BadRowIsolationTests
{
    private static ParseResult Csv(string text, string name = "r.csv") => ReadingFileParser.Parse(new MemoryStream(new UTF8Encoding(false).GetBytes(text)), name);

    // ---------------------------------------------------------------- instants at or before 1970

    [Fact]
    public void Csv_rows_at_or_before_1970_are_refused_with_their_line_and_the_others_kept()
    {
        var r = Csv("meter,timestamp,value\nm1,2025-01-01T00:15:00Z,1\nm1,1970-01-01T00:00:00Z,2\nm1,1969-12-31T23:59:59Z,3\n"
                    + "m1,0001-01-01T00:00:00Z,4\nm1,1999-12-31T23:59:59-00:01,5\nm1,2000-01-01T00:00:00Z,6\n");

        // 1999-12-31T23:59:59-00:01 is 2000-01-01T00:00:59Z: kept, as is 2000-01-01T00:00:00Z exactly.
        Assert.Equal([2, 6, 7], r.Points.Select(p => p.Line));
        Assert.Equal([3, 4, 5], r.Errors.Select(e => e.Line));
        Assert.Equal("timestamp: '1970-01-01T00:00:00Z' is before 2000-01-01T00:00:00Z, the earliest instant ZeroPark stores", r.Errors[0].Reason);
    }

    [Fact]
    public void Json_batch_points_before_2000_are_refused_per_point()
    {
        var (_, r) = JsonBatchParser.Parse("""
            {"points": [
              {"meter": "m1", "ts": 0, "value": 1},
              {"meter": "m1", "ts": -1, "value": 1},
              {"meter": "m1", "ts": "1969-07-20T20:17:00Z", "value": 1},
              {"meter": "m1", "ts": 1735690500, "value": 1}
            ]}
            """);

        Assert.Equal(4, Assert.Single(r.Points).Line);
        Assert.Equal([1, 2, 3], r.Errors.Select(e => e.Line));
        Assert.Equal("points[0].ts: 0 (Unix seconds) is before 2000-01-01T00:00:00Z, the earliest instant ZeroPark stores", r.Errors[0].Reason);
        Assert.StartsWith("points[2].ts: '1969-07-20T20:17:00Z' is before 2000", r.Errors[2].Reason);
    }

    [Fact]
    public void Line_protocol_lines_with_epoch_or_negative_timestamps_are_refused_per_line()
    {
        // 946684800 s = 2000-01-01T00:00:00Z (10957 days × 86400 s): the first instant kept; one second earlier is refused.
        var r = LineProtocolParser.Parse("m1 value=1 0\nm1 value=1 -86400\nm1 value=1 946684799\nm1 value=1 946684800\n", "s");

        Assert.Equal(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero), Assert.Single(r.Points).Timestamp);
        Assert.Equal([1, 2, 3], r.Errors.Select(e => e.Line));
        Assert.Equal("timestamp: '0' is before 2000-01-01T00:00:00Z, the earliest instant ZeroPark stores", r.Errors[0].Reason);
    }

    [Fact]
    public void Xlsx_excel_serial_dates_before_2000_are_refused_per_row()
    {
        // Serial 1 = 1900-01-01 (Excel's day 1); 45658 = 2025-01-01 (45658 days after 1899-12-30).
        var xlsx = Xlsx.Build(sheetRows:
        [
            Xlsx.Row(1, Xlsx.Inline("A1", "meter"), Xlsx.Inline("B1", "timestamp"), Xlsx.Inline("C1", "value")),
            Xlsx.Row(2, Xlsx.Inline("A2", "m1"), Xlsx.Number("B2", "1"), Xlsx.Number("C2", "5")),
            Xlsx.Row(3, Xlsx.Inline("A3", "m1"), Xlsx.Number("B3", "45658"), Xlsx.Number("C3", "6")),
        ]);
        var r = ReadingFileParser.Parse(new MemoryStream(xlsx), "r.xlsx", new ColumnMapping { TimeZone = "UTC" });

        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), Assert.Single(r.Points).Timestamp);
        var e = Assert.Single(r.Errors);
        Assert.Equal(2, e.Line);
        Assert.Contains("is before 2000-01-01T00:00:00Z", e.Reason);
    }

    // ---------------------------------------------------------------- stray quotes

    [Fact]
    public void A_stray_quote_on_line_3_of_1000_rows_costs_only_line_3()
    {
        var sb = new StringBuilder("meter,timestamp,value\n");
        var t0 = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (int line = 2; line <= 1000; line++)
        {
            var ts = t0.AddMinutes(15 * line).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
            sb.Append(line == 3 ? $"m1,\"{ts},{line}\n" : $"m1,{ts},{line}\n");
        }

        var r = Csv(sb.ToString());

        // 999 data rows (lines 2..1000): 998 stored, line 3 reported.
        Assert.Equal(998, r.Points.Count);
        var e = Assert.Single(r.Errors);
        Assert.Equal(3, e.Line);
        Assert.Contains("stray '\"'", e.Reason);
        Assert.Equal(1000, r.Points[^1].Line);
    }

    [Fact]
    public void Two_stray_quotes_a_few_lines_apart_cost_only_their_own_lines()
    {
        // Line 3 opens a quote that line 5 closes at its end: one "record" over lines 3-5 that is not a valid row. Lines 3 and 5
        // are reported, line 4 (between them) is stored.
        var r = Csv("meter,timestamp,value\nm1,2025-01-01T00:15:00Z,1\nm1,\"2025-01-01T00:30:00Z,2\nm1,2025-01-01T00:45:00Z,3\n"
                    + "m1,2025-01-01T01:00:00Z,4\"\nm1,2025-01-01T01:15:00Z,5\n");

        Assert.Equal([2, 4, 6], r.Points.Select(p => p.Line));
        Assert.Equal([3, 5], r.Errors.Select(e => e.Line));
    }

    [Fact]
    public void A_quoted_field_with_a_line_break_in_an_extra_column_still_makes_one_row()
    {
        var r = Csv("meter,timestamp,value,note\nm1,2025-01-01T00:15:00Z,1,\"two\nlines\"\nm1,2025-01-01T00:30:00Z,2,x\n");

        Assert.Empty(r.Errors);
        Assert.Equal([2, 4], r.Points.Select(p => p.Line));
    }

    // ---------------------------------------------------------------- encodings

    [Fact]
    public void One_invalid_byte_in_a_utf8_file_with_chinese_headers_is_an_error_on_its_line_only()
    {
        var utf8 = new UTF8Encoding(false);
        var bytes = new List<byte>(utf8.GetBytes("表计编号,时间,读数\nm1,2025-01-01T00:15:00Z,1\nm1,2025-01-01T00:30:00Z,2"));
        bytes.Add(0xFF);
        bytes.AddRange(utf8.GetBytes("\nm1,2025-01-01T00:45:00Z,3\n"));

        var r = ReadingFileParser.Parse(new MemoryStream([.. bytes]), "r.csv");

        Assert.Equal([2, 4], r.Points.Select(p => p.Line));
        var e = Assert.Single(r.Errors);
        Assert.Equal(3, e.Line);
        Assert.StartsWith("row: bytes that are not valid UTF-8", e.Reason);
    }

    [Fact]
    public void A_gbk_file_with_chinese_headers_and_meter_names_is_still_read_as_gbk()
    {
        var gbk = CodePagesGbk();
        var r = ReadingFileParser.Parse(new MemoryStream(gbk.GetBytes("表计编号,时间,读数\n冷机一,2025-01-01T00:15:00Z,1\n冷机二,2025-01-01T00:30:00Z,2\n")), "r.csv");

        Assert.Empty(r.Errors);
        Assert.Equal(["冷机一", "冷机二"], r.Points.Select(p => p.MeterCode));
    }

    private static Encoding CodePagesGbk()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(936);
    }

    // ---------------------------------------------------------------- extra fields

    [Fact]
    public void A_row_with_a_non_empty_field_beyond_the_header_is_rejected_and_says_what_the_field_was()
    {
        // A trailing empty field (m1,…,2,) is harmless and kept; 'x' in a fourth column has no header and is reported.
        var r = Csv("meter,timestamp,value\nm1,2025-01-01T00:15:00Z,1,x\nm1,2025-01-01T00:30:00Z,2,\n");

        Assert.Equal(3, Assert.Single(r.Points).Line);
        var e = Assert.Single(r.Errors);
        Assert.Equal(2, e.Line);
        Assert.Equal("row has 4 fields, the header has 3: field 4 ('x') has no column; the row is not stored (add a header for it or remove it)", e.Reason);
    }

    [Fact]
    public void An_xlsx_row_with_a_cell_beyond_the_header_is_rejected()
    {
        var xlsx = Xlsx.Build(sheetRows:
        [
            Xlsx.Row(1, Xlsx.Inline("A1", "meter"), Xlsx.Inline("B1", "timestamp"), Xlsx.Inline("C1", "value")),
            Xlsx.Row(2, Xlsx.Inline("A2", "m1"), Xlsx.Inline("B2", "2025-01-01T00:15:00Z"), Xlsx.Number("C2", "5"), Xlsx.Inline("D2", "note")),
            Xlsx.Row(3, Xlsx.Inline("A3", "m1"), Xlsx.Inline("B3", "2025-01-01T00:30:00Z"), Xlsx.Number("C3", "6")),
        ]);
        var r = ReadingFileParser.Parse(new MemoryStream(xlsx), "r.xlsx");

        Assert.Equal(3, Assert.Single(r.Points).Line);
        Assert.Equal(new RowError(2, "row has 4 fields, the header has 3: field 4 ('note') has no column; the row is not stored (add a header for it or remove it)"),
            Assert.Single(r.Errors));
    }

    // ---------------------------------------------------------------- XLSX bombs and DTDs

    [Fact]
    public void An_xlsx_whose_shared_strings_expand_past_the_limit_is_refused_quickly_without_reading_them_all()
    {
        // 400 MB of one repeated character compresses to well under 1 MB; the default limit is 256 MiB of XML.
        var xlsx = Xlsx.Build(sheetRows: [Xlsx.Row(1, Xlsx.Shared("A1", 0))], sharedStrings: w =>
        {
            w.Write("<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><si><t>");
            var block = new string('a', 1 << 20);
            for (int i = 0; i < 400; i++) w.Write(block);
            w.Write("</t></si></sst>");
        });
        Assert.True(xlsx.Length < 2_000_000, $"{xlsx.Length} bytes");
        long before = GC.GetAllocatedBytesForCurrentThread();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var r = ReadingFileParser.Parse(new MemoryStream(xlsx), "bomb.xlsx");

        Assert.Empty(r.Points);
        var e = Assert.Single(r.Errors);
        Assert.Equal(0, e.Line);
        Assert.StartsWith("xlsx: too large: ", e.Reason);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"{clock.Elapsed}");
        // The cell limit (32,767 characters) stops the one huge string long before it is built: everything the parse
        // allocated (not just its peak) stays far below the 800 MB that 400 M characters would take.
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 100_000_000, $"{allocated:N0} bytes allocated");
    }

    [Fact]
    public void An_xlsx_with_a_sheet_of_too_many_rows_or_cells_is_refused_with_the_limit_named()
    {
        var xlsx = Xlsx.Build(sheetWriter: w =>
        {
            w.Write("<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>");
            w.Write(Xlsx.Row(1, Xlsx.Inline("A1", "meter"), Xlsx.Inline("B1", "timestamp"), Xlsx.Inline("C1", "value")));
            // 1 header row + 1,999 data rows of 3 cells: 2,000 rows, 6,000 cells.
            for (int i = 2; i <= 2_000; i++) w.Write($"<row r=\"{i}\"><c t=\"inlineStr\"><is><t>m1</t></is></c><c><v>45658</v></c><c><v>2</v></c></row>");
            w.Write("</sheetData></worksheet>");
        });

        var rows = ReadingFileParser.Parse(new MemoryStream(xlsx), "r.xlsx", limits: new ImportLimits { XlsxMaxRows = 1_000 });
        var cells = ReadingFileParser.Parse(new MemoryStream(xlsx), "r.xlsx", limits: new ImportLimits { XlsxMaxCells = 3_000 });
        var bytes = ReadingFileParser.Parse(new MemoryStream(xlsx), "r.xlsx", limits: new ImportLimits { XlsxMaxExpandedBytes = 10_000 });

        Assert.Equal("xlsx: too large: the worksheet has more than 1,000 rows (limit ZeroPark:Import:XlsxMaxRows)", Assert.Single(rows.Errors).Reason);
        Assert.Equal("xlsx: too large: the worksheet has more than 3,000 cells (limit ZeroPark:Import:XlsxMaxCells)", Assert.Single(cells.Errors).Reason);
        Assert.StartsWith("xlsx: too large: the workbook expands to more than 10,000 bytes", Assert.Single(bytes.Errors).Reason);
    }

    [Fact]
    public void An_xlsx_with_a_dtd_is_refused_cleanly()
    {
        var xlsx = Xlsx.Build(sheetWriter: w => w.Write(
            "<?xml version=\"1.0\"?><!DOCTYPE lol [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
            + "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>&b;</t></is></c></row></sheetData></worksheet>"));

        var r = ReadingFileParser.Parse(new MemoryStream(xlsx), "dtd.xlsx");

        Assert.Empty(r.Points);
        var e = Assert.Single(r.Errors);
        Assert.Equal(0, e.Line);
        Assert.StartsWith("xlsx: the workbook contains a DTD", e.Reason);
    }
}

/// <summary>Builds minimal XLSX packages in memory (workbook, relationships, one sheet, optional shared strings).</summary>
internal static class Xlsx
{
    public static string Row(int r, params string[] cells) => $"<row r=\"{r}\">{string.Concat(cells)}</row>";
    public static string Inline(string cell, string text) => $"<c r=\"{cell}\" t=\"inlineStr\"><is><t>{System.Security.SecurityElement.Escape(text)}</t></is></c>";
    public static string Number(string cell, string value) => $"<c r=\"{cell}\"><v>{value}</v></c>";
    public static string Shared(string cell, int index) => $"<c r=\"{cell}\" t=\"s\"><v>{index}</v></c>";

    public static byte[] Build(string[]? sheetRows = null, Action<TextWriter>? sheetWriter = null, Action<TextWriter>? sharedStrings = null)
    {
        var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Part(string name, Action<TextWriter> write)
            {
                using var w = new StreamWriter(zip.CreateEntry(name, CompressionLevel.SmallestSize).Open(), new UTF8Encoding(false));
                write(w);
            }
            const string main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
            const string rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
            Part("[Content_Types].xml", w => w.Write("<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"));
            Part("_rels/.rels", w => w.Write($"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"r1\" Type=\"{rel}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"));
            Part("xl/workbook.xml", w => w.Write($"<workbook xmlns=\"{main}\" xmlns:r=\"{rel}\"><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"));
            Part("xl/_rels/workbook.xml.rels", w => w.Write(
                $"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"{rel}/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
                + (sharedStrings is null ? "" : $"<Relationship Id=\"rId2\" Type=\"{rel}/sharedStrings\" Target=\"sharedStrings.xml\"/>") + "</Relationships>"));
            Part("xl/worksheets/sheet1.xml", sheetWriter ?? (w => w.Write($"<worksheet xmlns=\"{main}\"><sheetData>{string.Concat(sheetRows ?? [])}</sheetData></worksheet>")));
            if (sharedStrings is not null)
                Part("xl/sharedStrings.xml", sharedStrings);
        }
        return ms.ToArray();
    }
}
