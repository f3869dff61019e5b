using System.Diagnostics;
using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using ZeroPark.Metering;
using ZeroPark.Application.Readings.Import;

namespace ZeroPark.Tests.Import;

public class ReadingFileParserTests
{
    private static readonly DateTimeOffset Jan1At0015Shanghai = new(2025, 1, 1, 0, 15, 0, TimeSpan.FromHours(8));

    private static Encoding Gbk
    {
        get
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return Encoding.GetEncoding(936);
        }
    }

    private static ParseResult ParseCsv(string text, ColumnMapping? mapping = null, string fileName = "readings.csv") =>
        ReadingFileParser.Parse(new MemoryStream(Encoding.UTF8.GetBytes(text)), fileName, mapping);

    [Fact]
    public void Plain_file_yields_points_with_instants_values_and_line_numbers()
    {
        var r = ParseCsv("meter,timestamp,value\nups1_in,2025-01-01T00:15:00+08:00,1234.5\nups1_in,2025-01-01T00:30:00Z,-2e3\n");

        Assert.Empty(r.Errors);
        Assert.Equal(2, r.Points.Count);
        Assert.Equal(new RawPoint("ups1_in", Jan1At0015Shanghai, 1234.5, 2), r.Points[0]);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 30, 0, TimeSpan.Zero), r.Points[1].Timestamp);
        Assert.Equal(-2000, r.Points[1].Value);
        Assert.Equal(3, r.Points[1].Line);
        Assert.Null(r.Points[0].IntervalStart);
    }

    [Fact]
    public void Utf8_file_with_bom_and_crlf_line_ends_is_read()
    {
        var bytes = Encoding.UTF8.GetPreamble()
            .Concat(Encoding.UTF8.GetBytes("Meter , TIMESTAMP,Value\r\n配电房_1,2025-01-01T00:15:00+08:00,1\r\n"))
            .ToArray();

        var r = ReadingFileParser.Parse(new MemoryStream(bytes), "x.CSV");

        Assert.Empty(r.Errors);
        var p = Assert.Single(r.Points);
        Assert.Equal("配电房_1", p.MeterCode);
        Assert.Equal(2, p.Line);
    }

    [Fact]
    public void Row_without_offset_is_rejected_with_its_line_number()
    {
        var r = ParseCsv("meter,timestamp,value\nm1,2025-01-01T00:15:00+08:00,1\nm1,2025-01-01 00:15,2\n");

        Assert.Single(r.Points);
        var e = Assert.Single(r.Errors);
        Assert.Equal(3, e.Line);
        Assert.StartsWith("timestamp: '2025-01-01 00:15' has no UTC offset", e.Reason);
    }

    [Fact]
    public void Offset_less_timestamp_is_placed_in_the_mapping_time_zone()
    {
        var r = ParseCsv("meter,timestamp,value\nm1,2025-01-01 00:15,2\nm1,2025-01-01T00:30:00Z,3\n",
            new ColumnMapping { TimeZone = "Asia/Shanghai" });

        Assert.Empty(r.Errors);
        Assert.Equal(new DateTimeOffset(2024, 12, 31, 16, 15, 0, TimeSpan.Zero), r.Points[0].Timestamp);
        Assert.Equal(TimeSpan.FromHours(8), r.Points[0].Timestamp.Offset);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 30, 0, TimeSpan.Zero), r.Points[1].Timestamp); // explicit offset wins
    }

    [Fact]
    public void Bad_rows_are_reported_by_field_and_good_rows_are_kept()
    {
        var csv = string.Join('\n',
            "meter,timestamp,value",
            "m1,2025-01-01T00:15:00+08:00,1",
            "m1,2025-01-01T00:30:00+08:00,abc",
            "",
            ",2025-01-01T00:45:00+08:00,3",
            "m1,2025-01-01T01:00:00+08:00",
            "m1,2025-01-01T01:15:00+08:00,NaN",
            "m1,2025-01-01T01:30:00+08:00,Infinity",
            "m1,not-a-date,4",
            "m1,2025-01-01T01:45:00+08:00,",
            "   ",
            "m2,2025-02-30T00:00:00Z,5",
            "m1,2025-01-01T02:00:00+08:00,6",
            "");

        var r = ParseCsv(csv);

        Assert.Equal(new[] { 2, 13 }, r.Points.Select(p => p.Line));
        Assert.Equal(6, r.Points[1].Value);
        Assert.Collection(r.Errors,
            e => Assert.Equal(new RowError(3, "value: 'abc' is not a number"), e),
            e => Assert.Equal(new RowError(5, "meter: empty"), e),
            e => Assert.Equal(new RowError(6, "row has 2 fields, expected at least 3"), e),
            e => Assert.Equal(new RowError(7, "value: 'NaN' is not a finite number"), e),
            e => Assert.Equal(new RowError(8, "value: 'Infinity' is not a finite number"), e),
            e => Assert.Equal(new RowError(9, "timestamp: 'not-a-date' is not an ISO 8601 timestamp"), e),
            e => Assert.Equal(new RowError(10, "value: empty"), e),
            e => Assert.Equal(new RowError(12, "timestamp: '2025-02-30T00:00:00Z' is not an ISO 8601 timestamp"), e));
    }

    [Fact]
    public void All_problems_of_a_row_are_named_in_one_error()
    {
        var r = ParseCsv("meter,timestamp,value\n ,2025-01-01 00:15,x\n");

        var e = Assert.Single(r.Errors);
        Assert.Equal(2, e.Line);
        Assert.Contains("meter: empty", e.Reason);
        Assert.Contains("timestamp: '2025-01-01 00:15' has no UTC offset", e.Reason);
        Assert.Contains("value: 'x' is not a number", e.Reason);
    }

    [Fact]
    public void Missing_required_column_is_one_error_at_line_1_and_no_points()
    {
        var r = ParseCsv("meter,timestamp,amount\nm1,2025-01-01T00:15:00Z,1\n");

        Assert.Empty(r.Points);
        var e = Assert.Single(r.Errors);
        Assert.Equal(1, e.Line);
        Assert.StartsWith("header: missing value column", e.Reason);
    }

    [Fact]
    public void Mapped_column_that_is_absent_is_named_in_the_header_error()
    {
        var r = ParseCsv("meter,timestamp,value\n", new ColumnMapping { Value = "Zählerstand" });

        var e = Assert.Single(r.Errors);
        Assert.Equal(new RowError(1, "header: missing column 'Zählerstand' for value"), e);
    }

    [Fact]
    public void Empty_file_is_reported()
    {
        var r = ParseCsv("");

        Assert.Empty(r.Points);
        Assert.Equal(1, Assert.Single(r.Errors).Line);
    }

    [Fact]
    public void Gbk_file_with_chinese_headers_is_detected_and_recognised()
    {
        var text = "表计编号,采集时间,读数(kWh)\n冷机1号,2025-01-01 00:15:00,100.5\n冷机1号,2025-01-01 00:30:00,101\n";
        var bytes = Gbk.GetBytes(text);
        Assert.ThrowsAny<DecoderFallbackException>(() => new UTF8Encoding(false, true).GetString(bytes));

        var r = ReadingFileParser.Parse(new MemoryStream(bytes), "抄表.csv", new ColumnMapping { TimeZone = "Asia/Shanghai" });

        Assert.Empty(r.Errors);
        Assert.Equal(2, r.Points.Count);
        Assert.Equal("冷机1号", r.Points[0].MeterCode);
        Assert.Equal(new DateTimeOffset(2024, 12, 31, 16, 15, 0, TimeSpan.Zero), r.Points[0].Timestamp);
        Assert.Equal(100.5, r.Points[0].Value);
    }

    [Fact]
    public void Gbk_is_detected_on_a_non_seekable_stream_even_when_the_first_chinese_text_is_far_into_the_file()
    {
        var sb = new StringBuilder("meter,timestamp,value\n");
        for (int i = 0; i < 5000; i++)
            sb.Append(CultureInfo.InvariantCulture, $"m{i},2025-01-01T00:15:00+08:00,{i}\n");
        sb.Append("水表,2025-01-01T00:15:00+08:00,7\n");
        var bytes = Gbk.GetBytes(sb.ToString());

        var r = ReadingFileParser.Parse(new NonSeekableStream(bytes), "big.csv");

        Assert.Empty(r.Errors);
        Assert.Equal(5001, r.Points.Count);
        Assert.Equal("水表", r.Points[^1].MeterCode);
        Assert.Equal(5002, r.Points[^1].Line);
    }

    [Fact]
    public void Explicit_encoding_in_the_mapping_is_used()
    {
        var bytes = Gbk.GetBytes("设备编号,时间,电量\n变压器A,2025-01-01T00:15:00+08:00,3\n");

        var r = ReadingFileParser.Parse(new MemoryStream(bytes), "a.txt", new ColumnMapping { Encoding = "gbk" });

        Assert.Empty(r.Errors);
        Assert.Equal("变压器A", Assert.Single(r.Points).MeterCode);
    }

    [Fact]
    public void Mapping_json_with_format_time_zone_decimal_comma_and_code_map_reads_a_foreign_export()
    {
        var mapping = ColumnMapping.FromJson("""
            {
              "meter": "Zähler",
              "timestamp": "Ende",
              "start": "Beginn",
              "value": "Verbrauch",
              "timestamp_format": "yyyy/MM/dd HH:mm",
              "time_zone": "Asia/Shanghai",
              "decimal_comma": true,
              "meter_code_map": { "4711": "chiller1", "4712": "chiller2" }
            }
            """);
        var csv = "Zähler;Beginn;Ende;Verbrauch\n4711;2025/01/01 00:00;2025/01/01 00:15;1234,5\n9999;2025/01/01 00:00;2025/01/01 00:15;7\n4712;;2025/01/01 00:15;1.5\n";

        var r = ParseCsv(csv, mapping);

        Assert.Equal("yyyy/MM/dd HH:mm", mapping.TimestampFormat);
        Assert.True(mapping.DecimalComma);
        Assert.Equal(2, r.Points.Count);
        var p = r.Points[0];
        Assert.Equal("chiller1", p.MeterCode);
        Assert.Equal(DateTimeOffset.Parse("2024-12-31T16:15:00Z", CultureInfo.InvariantCulture), p.Timestamp);
        Assert.Equal(DateTimeOffset.Parse("2024-12-31T16:00:00Z", CultureInfo.InvariantCulture), p.IntervalStart);
        Assert.Equal(1234.5, p.Value);
        Assert.Equal("9999", r.Points[1].MeterCode); // unmapped ids are kept as they are
        var e = Assert.Single(r.Errors);
        Assert.Equal(new RowError(4, "value: '1.5' is not a number"), e);
    }

    [Fact]
    public void Decimal_comma_in_a_comma_delimited_file_needs_quotes()
    {
        var r = ParseCsv("meter,timestamp,value\nm1,2025-01-01T00:15:00Z,\"1234,5\"\nm1,2025-01-01T00:30:00Z,1234,5\n",
            new ColumnMapping { DecimalComma = true });

        Assert.Equal(1234.5, Assert.Single(r.Points).Value);
        var e = Assert.Single(r.Errors);
        Assert.Equal(3, e.Line);
        Assert.StartsWith("row has 4 fields, the header has 3", e.Reason);
    }

    [Theory]
    [InlineData("r.csv")]
    [InlineData("r.xlsx")]
    public void The_callers_stream_is_left_open(string fileName)
    {
        var bytes = fileName.EndsWith(".csv", StringComparison.Ordinal)
            ? Encoding.UTF8.GetBytes("meter,timestamp,value\nm1,2025-01-01T00:15:00Z,1\n")
            : Xlsx([S("meter"), S("timestamp"), S("value")], [S("m1"), S("2025-01-01T00:15:00Z"), N(1)]);
        var stream = new MemoryStream(bytes);

        var r = ReadingFileParser.Parse(stream, fileName);

        Assert.Single(r.Points);
        Assert.True(stream.CanRead);
    }

    [Fact]
    public void Mapping_json_with_an_unknown_key_is_rejected()
    {
        var ex = Assert.Throws<FormatException>(() => ColumnMapping.FromJson("""{"timezone": "Asia/Shanghai"}"""));
        Assert.Contains("timezone", ex.Message);
    }

    [Fact]
    public void Unknown_time_zone_or_encoding_in_the_mapping_is_one_error_at_line_0()
    {
        var tz = ParseCsv("meter,timestamp,value\n", new ColumnMapping { TimeZone = "Mars/Olympus" });
        var enc = ParseCsv("meter,timestamp,value\n", new ColumnMapping { Encoding = "klingon" });

        Assert.Equal(new RowError(0, "mapping.time_zone: unknown time zone 'Mars/Olympus'"), Assert.Single(tz.Errors));
        Assert.Equal(new RowError(0, "mapping.encoding: unknown encoding 'klingon'"), Assert.Single(enc.Errors));
    }

    [Fact]
    public void Unsupported_extension_is_one_error_at_line_0()
    {
        var r = ParseCsv("meter,timestamp,value\n", fileName: "readings.pdf");

        var e = Assert.Single(r.Errors);
        Assert.Equal(0, e.Line);
        Assert.Contains(".pdf", e.Reason);
    }

    [Theory]
    [InlineData("meter;timestamp;value\nm1;2025-01-01T00:15:00+08:00;1.5\n")]
    [InlineData("meter\ttimestamp\tvalue\nm1\t2025-01-01T00:15:00+08:00\t1.5\n")]
    [InlineData("\"meter\",\"timestamp\",\"value\"\n\"m1\",\"2025-01-01T00:15:00+08:00\",\"1.5\"\n")]
    public void Semicolon_tab_and_quoted_files_are_read(string csv)
    {
        var r = ParseCsv(csv);

        Assert.Empty(r.Errors);
        var p = Assert.Single(r.Points);
        Assert.Equal(new RawPoint("m1", Jan1At0015Shanghai, 1.5, 2), p);
    }

    [Fact]
    public void Quoted_fields_with_delimiters_and_line_breaks_keep_physical_line_numbers()
    {
        var csv = "meter,timestamp,value,note\n\"a,b\",2025-01-01T00:15:00+08:00,1,\"two\nlines \"\"quoted\"\"\"\nm2,2025-01-01T00:15:00+08:00,x,\n";

        var r = ParseCsv(csv);

        var p = Assert.Single(r.Points);
        Assert.Equal("a,b", p.MeterCode);
        Assert.Equal(2, p.Line);
        Assert.Equal(4, Assert.Single(r.Errors).Line);
    }

    [Fact]
    public void Start_column_fills_the_interval_start_and_must_precede_the_timestamp()
    {
        var csv = "meter,start,end,value\nm1,2025-01-01T00:00:00+08:00,2025-01-01T00:15:00+08:00,1\nm1,2025-01-01T00:15:00+08:00,2025-01-01T00:15:00+08:00,1\n";

        var r = ParseCsv(csv);

        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.FromHours(8)), Assert.Single(r.Points).IntervalStart);
        Assert.Equal(Jan1At0015Shanghai, r.Points[0].Timestamp);
        var e = Assert.Single(r.Errors);
        Assert.Equal(3, e.Line);
        Assert.StartsWith("start: ", e.Reason);
    }

    [Fact]
    public void Chinese_start_and_end_headers_are_recognised()
    {
        var csv = "仪表编号,开始时间,结束时间,用量\nw1,2025-01-01T00:00:00+08:00,2025-01-01T01:00:00+08:00,3\n";

        var p = Assert.Single(ParseCsv(csv).Points);

        Assert.Equal(new DateTimeOffset(2025, 1, 1, 1, 0, 0, TimeSpan.FromHours(8)), p.Timestamp);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.FromHours(8)), p.IntervalStart);
    }

    [Theory]
    [InlineData("2025-01-01T24:00:00+08:00", "2025-01-02T00:00:00+08:00")]
    [InlineData("2025-01-01T00:15+0800", "2025-01-01T00:15:00+08:00")]
    [InlineData("2025/1/1 0:15:00.5 +08:00", "2025-01-01T00:15:00.5+08:00")]
    [InlineData("2025-01-01t00:15:00.1234567z", "2025-01-01T00:15:00.1234567Z")]
    [InlineData("2025-01-01T00:15:00-05", "2025-01-01T00:15:00-05:00")]
    public void Iso_timestamp_variants_are_accepted(string text, string expected)
    {
        var r = ParseCsv($"meter,timestamp,value\nm1,{text},1\n");

        Assert.Empty(r.Errors);
        Assert.Equal(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture), Assert.Single(r.Points).Timestamp);
    }

    [Fact]
    public void Local_time_in_a_daylight_saving_gap_is_rejected()
    {
        var r = ParseCsv("meter,timestamp,value\nm1,2025-03-30 02:30,1\nm1,2025-07-01 12:00,2\n",
            new ColumnMapping { TimeZone = "Europe/Berlin" });

        Assert.Equal(new DateTimeOffset(2025, 7, 1, 10, 0, 0, TimeSpan.Zero), Assert.Single(r.Points).Timestamp);
        var e = Assert.Single(r.Errors);
        Assert.Equal(2, e.Line);
        Assert.Contains("does not exist in time zone", e.Reason);
    }

    [Fact]
    public void Progress_is_reported_in_bytes_up_to_the_file_size()
    {
        var sb = new StringBuilder("meter,timestamp,value\n");
        for (int i = 0; i < 20_000; i++)
            sb.Append("m1,2025-01-01T00:15:00+08:00,1\n");
        var bytes = Encoding.UTF8.GetBytes(sb.ToString());
        var reports = new List<long>();

        ReadingFileParser.Parse(new MemoryStream(bytes), "p.csv", bytesRead: new SyncProgress(reports.Add));

        Assert.True(reports.Count >= bytes.Length / 65536, $"{reports.Count} reports");
        Assert.Equal(bytes.Length, reports[^1]);
        Assert.Equal(reports.Order(), reports);
    }

    [Fact]
    public void A_million_plain_rows_parse_in_a_few_seconds()
    {
        const int n = 1_000_000;
        var ms = new MemoryStream();
        using (var w = new StreamWriter(ms, new UTF8Encoding(false), 1 << 16, leaveOpen: true))
        {
            w.Write("meter,timestamp,value\n");
            var t0 = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));
            for (int i = 0; i < n; i++)
            {
                w.Write("meter_");
                w.Write(i % 500);
                w.Write(',');
                w.Write(t0.AddMinutes(15 * (i / 500)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
                w.Write(',');
                w.Write((i * 0.25).ToString(CultureInfo.InvariantCulture));
                w.Write('\n');
            }
        }
        ms.Position = 0;

        var sw = Stopwatch.StartNew();
        var r = ReadingFileParser.Parse(ms, "big.csv");
        sw.Stop();

        Assert.Empty(r.Errors);
        Assert.Equal(n, r.Points.Count);
        Assert.Equal(n + 1, r.Points[^1].Line);
        Assert.Equal((n - 1) * 0.25, r.Points[^1].Value);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(15), $"took {sw.Elapsed}");
    }

    [Fact]
    public void Xlsx_with_shared_strings_numbers_and_excel_dates_is_read_with_row_numbers()
    {
        var serial = new DateTime(2025, 1, 1, 0, 15, 0).ToOADate();
        var bytes = Xlsx(
            [S("表号"), S("抄表时间"), S("示数")],
            [S("m1"), N(serial), N(1234.5)],
            [S("m1"), S("2025-01-01T00:30:00+08:00"), S("1300")],
            [],
            [S("m2"), S("2025-01-01T00:45:00+08:00"), S("abc")],
            [Inline("m3"), S("2025-01-01T01:00:00+08:00"), N(7)]);

        var r = ReadingFileParser.Parse(new MemoryStream(bytes), "export.xlsx", new ColumnMapping { TimeZone = "Asia/Shanghai" });

        Assert.Equal(3, r.Points.Count);
        Assert.Equal(new RawPoint("m1", Jan1At0015Shanghai, 1234.5, 2), r.Points[0]);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 30, 0, TimeSpan.FromHours(8)), r.Points[1].Timestamp);
        Assert.Equal(1300, r.Points[1].Value);
        Assert.Equal(new RawPoint("m3", new DateTimeOffset(2025, 1, 1, 1, 0, 0, TimeSpan.FromHours(8)), 7, 6), r.Points[2]);
        Assert.Equal(new RowError(5, "value: 'abc' is not a number"), Assert.Single(r.Errors));
    }

    [Fact]
    public void Xlsx_excel_date_without_a_mapping_time_zone_is_rejected_for_lacking_an_offset()
    {
        var bytes = Xlsx(
            [S("meter"), S("timestamp"), S("value")],
            [S("m1"), N(new DateTime(2025, 1, 1, 0, 15, 0).ToOADate()), N(1)],
            [S("m1"), S("2025-01-01T00:30:00+08:00"), N(2)]);

        var r = ReadingFileParser.Parse(new NonSeekableStream(bytes), "e.xlsx");

        Assert.Single(r.Points);
        var e = Assert.Single(r.Errors);
        Assert.Equal(2, e.Line);
        Assert.StartsWith("timestamp: '2025-01-01 00:15:00' has no UTC offset", e.Reason);
    }

    [Fact]
    public void Xlsx_missing_header_column_is_reported_at_the_header_row()
    {
        var bytes = Xlsx([S("meter"), S("value")], [S("m1"), N(1)]);

        var r = ReadingFileParser.Parse(new MemoryStream(bytes), "e.xlsx");

        Assert.Empty(r.Points);
        var e = Assert.Single(r.Errors);
        Assert.Equal(1, e.Line);
        Assert.Contains("timestamp", e.Reason);
    }

    [Fact]
    public void Corrupt_xlsx_is_one_error_at_line_0()
    {
        var r = ReadingFileParser.Parse(new MemoryStream(Encoding.UTF8.GetBytes("not a zip")), "e.xlsx");

        var e = Assert.Single(r.Errors);
        Assert.Equal(0, e.Line);
        Assert.StartsWith("xlsx:", e.Reason);
    }

    // ---- helpers ----

    private sealed record XCell(string? Shared, string? InlineText, double? Number);

    private static XCell S(string s) => new(s, null, null);
    private static XCell Inline(string s) => new(null, s, null);
    private static XCell N(double d) => new(null, null, d);

    /// <summary>Builds a one-sheet workbook; shared strings go to the shared string table.</summary>
    private static byte[] Xlsx(params XCell[][] rows)
    {
        var ms = new MemoryStream();
        using (var doc = SpreadsheetDocument.Create(ms, SpreadsheetDocumentType.Workbook))
        {
            var wb = doc.AddWorkbookPart();
            wb.Workbook = new Workbook();
            var sheetPart = wb.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            sheetPart.Worksheet = new Worksheet(data);
            var sst = new SharedStringTable();
            var index = new Dictionary<string, int>();

            for (int r = 0; r < rows.Length; r++)
            {
                if (rows[r].Length == 0)
                    continue; // a missing row, as Excel writes an empty one
                var row = new Row { RowIndex = (uint)(r + 1) };
                for (int c = 0; c < rows[r].Length; c++)
                {
                    var x = rows[r][c];
                    var cell = new Cell { CellReference = $"{(char)('A' + c)}{r + 1}" };
                    if (x.Shared is { } s)
                    {
                        if (!index.TryGetValue(s, out var i))
                        {
                            i = index[s] = index.Count;
                            sst.AppendChild(new SharedStringItem(new Text(s)));
                        }
                        cell.DataType = CellValues.SharedString;
                        cell.CellValue = new CellValue(i.ToString(CultureInfo.InvariantCulture));
                    }
                    else if (x.InlineText is { } t)
                    {
                        cell.DataType = CellValues.InlineString;
                        cell.InlineString = new InlineString(new Text(t));
                    }
                    else
                    {
                        cell.CellValue = new CellValue(x.Number!.Value.ToString("R", CultureInfo.InvariantCulture));
                    }
                    row.AppendChild(cell);
                }
                data.AppendChild(row);
            }
            var sstPart = wb.AddNewPart<SharedStringTablePart>();
            sstPart.SharedStringTable = sst;
            wb.Workbook.AppendChild(new Sheets(new Sheet { Id = wb.GetIdOfPart(sheetPart), SheetId = 1, Name = "Sheet1" }));
        }
        return ms.ToArray();
    }

    private sealed class SyncProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }

    /// <summary>A read-only stream that cannot seek, like an HTTP request body.</summary>
    private sealed class NonSeekableStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 1000));
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
