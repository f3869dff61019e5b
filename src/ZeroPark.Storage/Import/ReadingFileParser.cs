using System.Text;
using ZeroPark.Metering;

namespace ZeroPark.Storage.Import;

/// <summary>
/// Reads meter readings from CSV/TXT and XLSX files into <see cref="RawPoint"/>s. Pure parsing: no meter
/// resolution, no storage. Bad rows become <see cref="RowError"/>s (1-based physical line, reason naming the
/// field); valid rows are always kept. Problems with the file as a whole (unsupported extension, unreadable
/// workbook, invalid mapping) are reported as one error at line 0; missing header columns as one error at the
/// header line. The method only throws for null arguments and I/O failures of the stream.
/// </summary>
public static class ReadingFileParser
{
    internal static readonly string[] MeterAliases =
        ["meter", "meter_code", "meter_id", "表计编号", "表号", "仪表编号", "计量点编号", "设备编号"];
    internal static readonly string[] TimestampAliases =
        ["timestamp", "time", "ts", "datetime", "end", "end_time", "时间", "采集时间", "抄表时间", "读数时间", "结束时间"];
    internal static readonly string[] StartAliases = ["start", "start_time", "开始时间"];
    internal static readonly string[] ValueAliases = ["value", "reading", "读数", "示数", "表底", "数值", "用量", "电量"];

    public static ParseResult Parse(Stream stream, string fileName, ColumnMapping? mapping = null, IProgress<long>? bytesRead = null, ImportLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);

        var settings = ReadingSettings.Create(mapping, out var settingsError);
        if (settings is null)
            return Fail(0, settingsError!);

        var ext = Path.GetExtension(fileName).ToLowerInvariant();
        return ext switch
        {
            ".csv" or ".txt" or ".tsv" => ParseCsv(stream, settings, bytesRead),
            ".xlsx" or ".xlsm" => ParseXlsx(stream, settings, bytesRead, limits ?? ImportLimits.Default),
            ".xls" => Fail(0, "file: legacy .xls workbooks are not supported; save the sheet as .xlsx or .csv"),
            _ => Fail(0, $"file: unsupported extension '{ext}' (expected .csv, .txt or .xlsx)"),
        };
    }

    internal static ParseResult Fail(int line, string reason) => new([], [new RowError(line, reason)]);

    private static ParseResult ParseCsv(Stream stream, ReadingSettings settings, IProgress<long>? progress) =>
        TextDecoding.Read(stream, settings.Encoding, progress, (reader, encodingName) =>
        {
            var csv = new CsvRecordReader(reader);
            csv.DetectDelimiter();
            if (!csv.ReadNonBlank())
                return Fail(1, "header: file is empty");
            var headers = csv.ToStrings();
            var plan = ReadingColumns.Resolve(headers, settings.Mapping, out var headerError);
            if (plan is null)
                return Fail(csv.Line, headerError! + (csv.HasInvalidText ? $" (the header has bytes that are not valid {encodingName}; set mapping.encoding)" : ""));

            var rows = new ReadingRows(plan, settings) { HeaderFields = headers.Length };
            // With a decimal comma in a comma-delimited file an unquoted 1234,5 splits into two fields.
            rows.DecimalCommaHint = settings.DecimalComma && csv.Delimiter == ',';
            while (csv.Read())
            {
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
            return rows.Result();
        });

    private static ParseResult ParseXlsx(Stream stream, ReadingSettings settings, IProgress<long>? progress, ImportLimits limits)
    {
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
                rows = new ReadingRows(plan, settings) { HeaderFields = headers.Length };
                return true;
            }
            rows.Process(line, fields);
            return true;
        });
        if (error is not null)
            return Fail(0, error);
        if (headerError is not null)
            return Fail(headerLine, headerError);
        return rows?.Result() ?? Fail(1, "header: worksheet is empty");
    }
}
