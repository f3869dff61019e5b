using System.Globalization;
using System.Text;
using ZeroPark.Metering;
using ZeroPark.Application.Readings.Import;

namespace ZeroPark.Tests.Import;

/// <summary>
/// Issue 12: CSV files are streamed — quote-free runs of lines are split by Sep, every other line by the careful reader — so
/// the two paths must meet exactly: same line numbers, same rows, whatever the block boundaries of the decoded text (the text
/// arrives in blocks of up to 64 KiB), and the issue-11 guarantees (a stray quote or a bad byte costs only its line) hold in
/// the middle of a large file as at its start.
/// </summary>
public class StreamingCsvTests
{
    private const string Start = "2025-01-01T00:00:00+08:00";

    /// <summary>Data line k (1-based, physical line k + 1): meter m1, 00:00 +08:00 plus k quarter-hours, value k, as 6 digits.
    /// "m1," (3) + timestamp (25) + "," (1) + 6 digits = 35 characters before the line end.</summary>
    private static string Row(int k) =>
        "m1," + DateTimeOffset.Parse(Start, CultureInfo.InvariantCulture).AddMinutes(15 * k).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)
        + "," + k.ToString("D6", CultureInfo.InvariantCulture);

    private static ParseResult Parse(byte[] bytes, int batch = int.MaxValue, List<int>? sizes = null)
    {
        var points = new List<RawPoint>();
        var r = ReadingFileParser.ParseStreaming(new MemoryStream(bytes), "r.csv", null, null, null, batch, b =>
        {
            sizes?.Add(b.Count);
            points.AddRange(b);
        });
        Assert.Null(r.FileError);
        return new ParseResult(points, r.Errors);
    }

    [Fact]
    public void A_stray_quote_and_a_bad_byte_deep_in_a_large_crlf_file_cost_only_their_own_lines()
    {
        // 10,000 data lines of 37 characters with CRLF = 370,000 characters after the header: several decoded blocks.
        // Line 5,001 (data line 5,000) opens a quote that never closes; line 9,001 (data line 9,000) holds the byte 0xFF.
        var ms = new MemoryStream();
        void Write(string s) => ms.Write(Encoding.ASCII.GetBytes(s));
        Write("meter,timestamp,value\r\n");
        for (int k = 1; k <= 10_000; k++)
        {
            var row = Row(k);
            if (k == 5_000)
                row = row.Replace("m1,", "m1,\"", StringComparison.Ordinal);
            if (k == 9_000)
            {
                Write(row[..^1]);
                ms.WriteByte(0xFF);
                Write("\r\n");
                continue;
            }
            Write(row + "\r\n");
        }

        var r = Parse(ms.ToArray());

        // 10,000 − 2 rows are kept; the errors name exactly lines 5,001 and 9,001.
        Assert.Equal(9_998, r.Points.Count);
        Assert.Equal([5_001, 9_001], r.Errors.Select(e => e.Line));
        Assert.Contains("stray", r.Errors[0].Reason);
        Assert.Contains("not valid UTF-8", r.Errors[1].Reason);
        // Every kept point sits on line value + 1 (data line k holds the value k), in file order.
        Assert.All(r.Points, p => Assert.Equal(p.Line, (int)p.Value + 1));
        Assert.Equal(Enumerable.Range(2, 10_000).Where(l => l is not 5_001 and not 9_001), r.Points.Select(p => p.Line));
        // Data line 5,001 (physical line 5,002), right after the stray quote: 00:00 + 5,001 × 15 min = day 52 (5,001 = 52 × 96 + 9), 02:15.
        var after = r.Points.Single(p => p.Line == 5_002);
        Assert.Equal(DateTimeOffset.Parse("2025-02-22T02:15:00+08:00", CultureInfo.InvariantCulture), after.Timestamp);
    }

    [Fact]
    public void A_crlf_split_between_two_decoded_blocks_is_one_line_end()
    {
        // Header padded to 47 characters (21 + 24 spaces + CRLF; header names are trimmed): data line k's CR is then at
        // index 47 + 37k − 2, which for k = 1,770 is 65,535 — the last character of a 64 KiB block, its LF the first of the next.
        var sb = new StringBuilder("meter,timestamp,value" + new string(' ', 24) + "\r\n");
        for (int k = 1; k <= 3_000; k++)
            sb.Append(Row(k)).Append("\r\n");
        Assert.Equal('\r', sb[65_535]);

        var r = Parse(Encoding.ASCII.GetBytes(sb.ToString()));

        Assert.Empty(r.Errors);
        Assert.Equal(Enumerable.Range(2, 3_000), r.Points.Select(p => p.Line));
        Assert.All(r.Points, p => Assert.Equal(p.Line, (int)p.Value + 1));
    }

    [Fact]
    public void Cr_only_line_ends_blank_lines_and_tabs_are_read_by_the_fast_path_with_their_lines()
    {
        // Lines: 1 header, 2 row, 3 blank, 4 row, 5 whitespace only, 6 row with an empty value (an error), 7 row.
        var text = "meter\ttimestamp\tvalue\r" + Row(1).Replace(',', '\t') + "\r\r" + Row(3).Replace(',', '\t') + "\r \t \r"
                   + "m1\t2025-01-01T01:30:00+08:00\t\r" + Row(6).Replace(',', '\t') + "\r";

        var r = Parse(Encoding.ASCII.GetBytes(text));

        Assert.Equal([2, 4, 7], r.Points.Select(p => p.Line));
        Assert.Equal([1.0, 3.0, 6.0], r.Points.Select(p => p.Value));
        Assert.Equal("value: empty", Assert.Single(r.Errors, e => e.Line == 6).Reason);
    }

    [Fact]
    public void Batches_are_handed_over_in_file_order_and_never_exceed_the_batch_size()
    {
        var sb = new StringBuilder("meter,timestamp,value\n");
        for (int k = 1; k <= 10; k++)
            sb.Append(Row(k)).Append('\n');
        var sizes = new List<int>();

        var r = Parse(Encoding.ASCII.GetBytes(sb.ToString()), batch: 3, sizes);

        // 10 points in batches of 3: 3 + 3 + 3 + 1.
        Assert.Equal([3, 3, 3, 1], sizes);
        Assert.Equal(Enumerable.Range(2, 10), r.Points.Select(p => p.Line));
    }

    [Fact]
    public void A_large_gbk_file_with_chinese_headers_is_detected_and_streamed()
    {
        // The encoding is chosen from the first 4 MiB: the Chinese header is GBK (not valid UTF-8); 20,000 rows follow.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var gbk = Encoding.GetEncoding(936);
        var sb = new StringBuilder("表计编号,采集时间,读数\n");
        for (int k = 1; k <= 20_000; k++)
            sb.Append(Row(k)).Append('\n');

        var r = Parse(gbk.GetBytes(sb.ToString()), batch: 4_096);

        Assert.Empty(r.Errors);
        Assert.Equal(20_000, r.Points.Count);
        // Data line 20,000: 00:00 + 20,000 × 15 min = 208 days + 32 quarter-hours (20,000 = 208 × 96 + 32) = 2025-07-28 08:00.
        Assert.Equal(DateTimeOffset.Parse("2025-07-28T08:00:00+08:00", CultureInfo.InvariantCulture), r.Points[^1].Timestamp);
        Assert.Equal(20_001, r.Points[^1].Line);
    }
}
