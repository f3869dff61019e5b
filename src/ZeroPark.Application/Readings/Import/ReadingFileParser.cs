using nietras.SeparatedValues;
using ZeroPark.Metering;

namespace ZeroPark.Application.Readings.Import;

/// <summary>The errors of a streamed readings file (<see cref="ReadingFileParser.ParseStreaming"/>), in the order found, and,
/// when the file as a whole could not be read (unsupported type, invalid mapping, missing header columns, unreadable
/// workbook), that one reason (then no points were handed over).</summary>
public sealed record ReadingFileErrors(IReadOnlyList<RowError> Errors, string? FileError);

/// <summary>
/// Reads meter readings from CSV/TXT and XLSX files into <see cref="RawPoint"/>s. Pure parsing: no meter
/// resolution, no storage. Bad rows become <see cref="RowError"/>s (1-based physical line, reason naming the
/// field); valid rows are always kept. Problems with the file as a whole (unsupported extension, unreadable
/// workbook, invalid mapping) are reported as one error at line 0; missing header columns as one error at the
/// header line. The methods only throw for null arguments, I/O failures of the stream and exceptions of the batch callback.
/// <para>CSV files are streamed: the text is decoded in blocks (<see cref="TextDecoding"/>), runs of complete lines that hold
/// no quote and no undecodable byte are split by Sep (quote parsing off, so a line is exactly its fields), and every other line
/// goes through the careful <see cref="CsvRecordReader"/> (quoted fields, multi-line records, stray-quote resynchronisation,
/// per-line decode errors). Memory stays bounded by the batch size, whatever the file's size.</para>
/// </summary>
public static class ReadingFileParser
{
    internal static readonly string[] MeterAliases =
        ["meter", "meter_code", "meter_id", "表计编号", "表号", "仪表编号", "计量点编号", "设备编号"];
    internal static readonly string[] TimestampAliases =
        ["timestamp", "time", "ts", "datetime", "end", "end_time", "时间", "采集时间", "抄表时间", "读数时间", "结束时间"];
    internal static readonly string[] StartAliases = ["start", "start_time", "开始时间"];
    internal static readonly string[] ValueAliases = ["value", "reading", "读数", "示数", "表底", "数值", "用量", "电量"];

    /// <summary>The whole file at once: every valid point and every error.</summary>
    public static ParseResult Parse(Stream stream, string fileName, ColumnMapping? mapping = null, IProgress<long>? bytesRead = null, ImportLimits? limits = null)
    {
        var points = new List<RawPoint>();
        var result = ParseStreaming(stream, fileName, mapping, bytesRead, limits, int.MaxValue, points.AddRange);
        return new ParseResult(points, result.Errors);
    }

    /// <summary>Streams the file: <paramref name="batch"/> receives the valid points in file order, in lists of up to
    /// <paramref name="batchSize"/> (each list is the receiver's), as soon as a list is full — on the calling thread, so a
    /// slow receiver slows the reading down. XLSX workbooks (bounded by <see cref="ImportLimits"/>) are read whole first.
    /// With <paramref name="dayOf"/> (the local day an instant's reading counts to), a CSV list goes on past
    /// <paramref name="batchSize"/> until a reading of another day comes (at most twice <paramref name="batchSize"/>), so that a
    /// file in time order arrives in whole days and no day is written by two batches.</summary>
    public static ReadingFileErrors ParseStreaming(Stream stream, string fileName, ColumnMapping? mapping, IProgress<long>? bytesRead, ImportLimits? limits,
        int batchSize, Action<List<RawPoint>> batch, Func<DateTimeOffset, int>? dayOf = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(batch);

        var settings = ReadingSettings.Create(mapping, out var settingsError);
        if (settings is null)
            return FileFail(0, settingsError!);

        var sink = new ReadingSink(batchSize, batch, dayOf);
        var ext = Path.GetExtension(fileName).ToLowerInvariant();
        return ext switch
        {
            ".csv" or ".txt" or ".tsv" => ParseCsv(stream, settings, bytesRead, sink),
            ".xlsx" or ".xlsm" => ParseXlsx(stream, settings, bytesRead, limits ?? ImportLimits.Default, sink),
            ".xls" => FileFail(0, "file: legacy .xls workbooks are not supported; save the sheet as .xlsx or .csv"),
            _ => FileFail(0, $"file: unsupported extension '{ext}' (expected .csv, .txt or .xlsx)"),
        };
    }

    internal static ParseResult Fail(int line, string reason) => new([], [new RowError(line, reason)]);

    private static ReadingFileErrors FileFail(int line, string reason) => new([new RowError(line, reason)], reason);

    private static ReadingFileErrors ParseCsv(Stream stream, ReadingSettings settings, IProgress<long>? progress, ReadingSink sink) =>
        TextDecoding.Read(stream, settings.Encoding, progress, (reader, encodingName) =>
        {
            var csv = new CsvRecordReader(reader);
            csv.DetectDelimiter();
            if (!csv.ReadNonBlank())
                return FileFail(1, "header: file is empty");
            var headers = csv.ToStrings();
            var plan = ReadingColumns.Resolve(headers, settings.Mapping, out var headerError);
            if (plan is null)
                return FileFail(csv.Line, headerError! + (csv.HasInvalidText ? $" (the header has bytes that are not valid {encodingName}; set mapping.encoding)" : ""));

            var rows = new ReadingRows(plan, settings, sink) { HeaderFields = headers.Length };
            // With a decimal comma in a comma-delimited file an unquoted 1234,5 splits into two fields.
            rows.DecimalCommaHint = settings.DecimalComma && csv.Delimiter == ',';
            var sep = new SepReaderOptions(Sep.New(csv.Delimiter)) { HasHeader = false, DisableColCountCheck = true, DisableQuotesParsing = true };
            while (true)
            {
                // The fast path: lines without quotes and undecodable bytes, split by Sep exactly as the careful reader would.
                var clean = csv.TakeCleanLines(out int firstLine);
                if (!clean.IsEmpty)
                {
                    // Without quotes each row is one physical line, blank lines included (as rows without text).
                    using var lines = sep.From(new MemoryTextReader(clean));
                    int line = firstLine;
                    foreach (var row in lines)
                        rows.Process(line++, new SepRowFields(row));
                    continue;
                }
                // The careful path: one record (quotes, multi-line fields, stray quotes, bad bytes).
                if (!csv.Read())
                    break;
                if (csv.Malformed is { } malformed)
                {
                    rows.Errors.Add(new RowError(csv.Line, malformed));
                    continue;
                }
                if (csv.HasInvalidText)
                {
                    rows.Errors.Add(new RowError(csv.Line, $"row: bytes that are not valid {encodingName} (shown as \uFFFD); fix the line or set mapping.encoding"));
                    csv.Resync();
                    continue;
                }
                int errors = rows.Errors.Count;
                rows.Process(csv.Line, csv);
                if (csv.SpansLines && rows.Errors.Count > errors)
                {
                    // A quoted field with line breaks that does not make a valid row is most likely a stray quote: report the
                    // record's first line and read the lines after it again, each on its own.
                    var e = rows.Errors[^1];
                    rows.Errors[^1] = e with { Reason = $"row: a quoted field runs over several lines (a stray '\"'?) and the row is not valid: {e.Reason}; the lines after it are read on their own" };
                    csv.Resync();
                }
            }
            return new ReadingFileErrors(rows.Finish(), null);
        });

    private static ReadingFileErrors ParseXlsx(Stream stream, ReadingSettings settings, IProgress<long>? progress, ImportLimits limits, ReadingSink sink)
    {
        // A workbook error found late (too large, unreadable) refuses the whole file: keep the points until the end.
        var points = new List<RawPoint>();
        ReadingRows? rows = null;
        int headerLine = 0;
        string? headerError = null;
        var error = XlsxSheet.ReadFirstSheet(stream, progress, limits, (line, fields) =>
        {
            if (headerError is not null)
                return false;
            if (rows is null)
            {
                if (fields.IsBlank())
                    return true;
                headerLine = line;
                var headers = fields.ToStrings();
                var plan = ReadingColumns.Resolve(headers, settings.Mapping, out headerError);
                if (plan is null)
                    return false;
                rows = new ReadingRows(plan, settings, new ReadingSink(int.MaxValue, points.AddRange)) { HeaderFields = headers.Length };
                return true;
            }
            rows.Process(line, fields);
            return true;
        });
        if (error is not null)
            return FileFail(0, error);
        if (headerError is not null)
            return FileFail(headerLine, headerError);
        if (rows is null)
            return FileFail(1, "header: worksheet is empty");
        var errors = rows.Finish();
        for (int i = 0; i < points.Count;)
        {
            int n = Math.Min(sink.BatchSize, points.Count - i);
            sink.Batch(points.GetRange(i, n));
            i += n;
        }
        return new ReadingFileErrors(errors, null);
    }
}

/// <summary>A <see cref="TextReader"/> over characters in memory (a run of lines handed to Sep without copying them first).</summary>
internal sealed class MemoryTextReader(ReadOnlyMemory<char> text) : TextReader
{
    private int _pos;

    public override int Peek() => _pos < text.Length ? text.Span[_pos] : -1;

    public override int Read() => _pos < text.Length ? text.Span[_pos++] : -1;

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read(Span<char> buffer)
    {
        int n = Math.Min(buffer.Length, text.Length - _pos);
        text.Span.Slice(_pos, n).CopyTo(buffer);
        _pos += n;
        return n;
    }
}
