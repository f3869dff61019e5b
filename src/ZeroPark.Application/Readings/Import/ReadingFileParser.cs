using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ZeroPark.Metering;

namespace ZeroPark.Application.Readings.Import;

/// <summary>
/// How the columns of a foreign export map onto readings. Every property is optional: a null column name
/// falls back to the built-in header recognition (English and common Chinese names).
/// </summary>
public sealed record ColumnMapping
{
    /// <summary>Header of the meter code column.</summary>
    public string? Meter { get; init; }
    /// <summary>Header of the timestamp column (reading instant, or interval end).</summary>
    public string? Timestamp { get; init; }
    /// <summary>Header of the optional interval start column.</summary>
    public string? Start { get; init; }
    /// <summary>Header of the value column.</summary>
    public string? Value { get; init; }
    /// <summary>.NET exact format of the timestamps, e.g. <c>yyyy/MM/dd HH:mm</c>; ISO 8601 is always accepted too.</summary>
    public string? TimestampFormat { get; init; }
    /// <summary>IANA time zone for timestamps that carry no UTC offset (and Excel date cells), e.g. <c>Asia/Shanghai</c>.</summary>
    public string? TimeZone { get; init; }
    /// <summary>Text encoding of CSV files (<c>utf-8</c>, <c>gbk</c>, a code page number…); null = detect UTF-8, else GBK.</summary>
    public string? Encoding { get; init; }
    /// <summary>Values use a decimal comma (<c>1234,5</c>).</summary>
    public bool DecimalComma { get; init; }
    /// <summary>Foreign meter id → ZeroPark meter code. Ids not in the map are kept as they are.</summary>
    public IReadOnlyDictionary<string, string>? MeterCodeMap { get; init; }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Reads a mapping from JSON with snake_case keys (<c>meter</c>, <c>timestamp</c>, <c>start</c>,
    /// <c>value</c>, <c>timestamp_format</c>, <c>time_zone</c>, <c>encoding</c>, <c>decimal_comma</c>,
    /// <c>meter_code_map</c>). Unknown keys are rejected. Throws <see cref="FormatException"/> on bad JSON.</summary>
    public static ColumnMapping FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize<ColumnMapping>(json, JsonOptions)
                ?? throw new FormatException("mapping: expected a JSON object, got null");
        }
        catch (JsonException ex)
        {
            throw new FormatException($"mapping: {ex.Message}", ex);
        }
    }
}

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

/// <summary>Mapping-derived settings, validated once per parse.</summary>
internal sealed class ReadingSettings
{
    public required ColumnMapping? Mapping { get; init; }
    public required Encoding? Encoding { get; init; }
    public required TimestampReader Time { get; init; }
    public required bool DecimalComma { get; init; }
    public required Dictionary<string, string>? CodeMap { get; init; }

    public static ReadingSettings? Create(ColumnMapping? mapping, out string? error)
    {
        error = null;
        Encoding? encoding = null;
        if (!string.IsNullOrWhiteSpace(mapping?.Encoding) && !TextDecoding.TryResolve(mapping.Encoding, out encoding))
        {
            error = $"mapping.encoding: unknown encoding '{mapping.Encoding}'";
            return null;
        }
        TimeZoneInfo? zone = null;
        if (!string.IsNullOrWhiteSpace(mapping?.TimeZone))
        {
            try
            {
                zone = TimeZoneInfo.FindSystemTimeZoneById(mapping.TimeZone.Trim());
            }
            catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
            {
                error = $"mapping.time_zone: unknown time zone '{mapping.TimeZone}'";
                return null;
            }
        }
        Dictionary<string, string>? codeMap = null;
        if (mapping?.MeterCodeMap is { Count: > 0 } map)
        {
            codeMap = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (k, v) in map)
            {
                if (string.IsNullOrWhiteSpace(v))
                {
                    error = $"mapping.meter_code_map: '{k}' maps to an empty code";
                    return null;
                }
                codeMap[k.Trim()] = v.Trim();
            }
        }
        var format = string.IsNullOrWhiteSpace(mapping?.TimestampFormat) ? null : mapping.TimestampFormat;
        return new ReadingSettings
        {
            Mapping = mapping,
            Encoding = encoding,
            Time = new TimestampReader(format, zone),
            DecimalComma = mapping?.DecimalComma ?? false,
            CodeMap = codeMap,
        };
    }
}

/// <summary>Column positions of a readings file.</summary>
internal sealed record ReadingColumns(int Meter, int Timestamp, int Start, int Value)
{
    /// <summary>Fields a data row needs at least (the start column is optional per row).</summary>
    public int MinFields { get; } = Math.Max(Meter, Math.Max(Timestamp, Value)) + 1;

    public static ReadingColumns? Resolve(IReadOnlyList<string> headers, ColumnMapping? mapping, out string? error)
    {
        var missing = new List<string>();
        int meter = Find(headers, mapping?.Meter, ReadingFileParser.MeterAliases, "meter", missing);
        int ts = Find(headers, mapping?.Timestamp, ReadingFileParser.TimestampAliases, "timestamp", missing);
        int value = Find(headers, mapping?.Value, ReadingFileParser.ValueAliases, "value", missing);
        int start = string.IsNullOrWhiteSpace(mapping?.Start)
            ? HeaderMatch.Find(headers, ReadingFileParser.StartAliases)
            : Find(headers, mapping.Start, ReadingFileParser.StartAliases, "start", missing);
        if (missing.Count > 0)
        {
            error = "header: " + string.Join("; ", missing);
            return null;
        }
        error = null;
        return new ReadingColumns(meter, ts, start, value);
    }

    private static int Find(IReadOnlyList<string> headers, string? name, string[] aliases, string field, List<string> missing)
    {
        if (!string.IsNullOrWhiteSpace(name))
        {
            int i = HeaderMatch.FindExact(headers, name);
            if (i < 0)
                missing.Add($"missing column '{name.Trim()}' for {field}");
            return i;
        }
        int j = HeaderMatch.Find(headers, aliases);
        if (j < 0)
            missing.Add($"missing {field} column (expected one of: {string.Join(", ", aliases)})");
        return j;
    }
}

/// <summary>Header name matching: case-insensitive, trimmed of whitespace and BOM; an alias also matches a
/// header with a trailing unit in brackets (<c>读数(kWh)</c>, <c>电量（度）</c>).</summary>
internal static class HeaderMatch
{
    public static string Normalize(string header) => header.Trim().Trim('\uFEFF').Trim();

    public static int FindExact(IReadOnlyList<string> headers, string name)
    {
        var n = Normalize(name);
        for (int i = 0; i < headers.Count; i++)
        {
            if (string.Equals(Normalize(headers[i]), n, StringComparison.OrdinalIgnoreCase))
                return i;
        }
        return -1;
    }

    public static int Find(IReadOnlyList<string> headers, string[] aliases)
    {
        foreach (var alias in aliases)
        {
            for (int i = 0; i < headers.Count; i++)
            {
                var h = Normalize(headers[i]);
                if (string.Equals(h, alias, StringComparison.OrdinalIgnoreCase)
                    || string.Equals(StripUnit(h), alias, StringComparison.OrdinalIgnoreCase))
                    return i;
            }
        }
        return -1;
    }

    private static string StripUnit(string h)
    {
        if (h.Length == 0 || (h[^1] != ')' && h[^1] != '）'))
            return h;
        int open = h.LastIndexOfAny(['(', '（']);
        return open > 0 ? h[..open].Trim() : h;
    }
}

/// <summary>The fields of one row, from a CSV record or a spreadsheet row.</summary>
internal interface IRowFields
{
    int Count { get; }
    ReadOnlySpan<char> Get(int index);
    /// <summary>True for a numeric spreadsheet cell (invariant number text; an Excel serial date in a date column).</summary>
    bool IsNumber(int index);
}

internal static class RowFieldsExtensions
{
    public static bool IsBlank(this IRowFields f)
    {
        for (int i = 0; i < f.Count; i++)
        {
            if (!f.Get(i).IsWhiteSpace())
                return false;
        }
        return true;
    }

    public static string[] ToStrings(this IRowFields f)
    {
        var a = new string[f.Count];
        for (int i = 0; i < a.Length; i++)
            a[i] = f.Get(i).ToString();
        return a;
    }

    /// <summary>The field, trimmed; empty when the row is shorter.</summary>
    public static ReadOnlySpan<char> Field(this IRowFields f, int index) =>
        index >= 0 && index < f.Count ? f.Get(index).Trim() : [];
}

/// <summary>Turns rows into points and errors.</summary>
internal sealed class ReadingRows
{
    private const int MaxCachedCodes = 100_000;

    public List<RawPoint> Points { get; } = [];
    public List<RowError> Errors { get; } = [];

    private readonly ReadingColumns _cols;
    private readonly ReadingSettings _settings;
    private readonly Dictionary<string, string> _codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _codeLookup;

    /// <summary>Fields of the header row: a row with a non-empty field beyond them is rejected (the field has no column,
    /// so it would silently be dropped; with a decimal comma it is usually the decimals of an unquoted value).</summary>
    public int HeaderFields { get; set; } = int.MaxValue;

    /// <summary>The file uses a decimal comma and the comma as delimiter (the error for extra fields says so).</summary>
    public bool DecimalCommaHint { get; set; }

    public ReadingRows(ReadingColumns cols, ReadingSettings settings)
    {
        _cols = cols;
        _settings = settings;
        _codeLookup = _codes.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public ParseResult Result() => new(Points, Errors);

    public void Process(int line, IRowFields f)
    {
        if (f.IsBlank())
            return;
        if (f.Count < _cols.MinFields)
        {
            Errors.Add(new RowError(line, $"row has {f.Count} field{(f.Count == 1 ? "" : "s")}, expected at least {_cols.MinFields}"));
            return;
        }
        if (f.Count > HeaderFields)
        {
            for (int i = HeaderFields; i < f.Count; i++)
            {
                if (f.Get(i).IsWhiteSpace())
                    continue;
                Errors.Add(new RowError(line, DecimalCommaHint
                    ? $"row has {f.Count} fields, the header has {HeaderFields} (with decimal_comma, quote the values or use ';' as the delimiter)"
                    : $"row has {f.Count} fields, the header has {HeaderFields}: field {i + 1} ('{ImportText.Show(f.Get(i).Trim())}') has no column; the row is not stored (add a header for it or remove it)"));
                return;
            }
        }

        string? reason = null;

        string? code = null;
        var meter = f.Field(_cols.Meter);
        if (meter.IsEmpty)
            ImportText.Add(ref reason, "meter: empty");
        else
            code = Code(meter);

        var time = _settings.Time;
        var tsText = f.Field(_cols.Timestamp);
        var tsError = f.IsNumber(_cols.Timestamp)
            ? time.FromExcelSerial(tsText, "timestamp", out var ts)
            : time.Read(tsText, "timestamp", out ts);
        tsError ??= TimestampReader.Early(ts, tsText, "timestamp");
        ImportText.Add(ref reason, tsError);

        DateTimeOffset? start = null;
        var startText = f.Field(_cols.Start);
        if (!startText.IsEmpty)
        {
            var startError = f.IsNumber(_cols.Start)
                ? time.FromExcelSerial(startText, "start", out var s)
                : time.Read(startText, "start", out s);
            startError ??= TimestampReader.Early(s, startText, "start");
            if (startError is not null)
                ImportText.Add(ref reason, startError);
            else if (tsError is null && s >= ts)
                ImportText.Add(ref reason, $"start: '{ImportText.Show(startText)}' is not before the timestamp '{ImportText.Show(tsText)}'");
            else
                start = s;
        }

        double value = 0;
        var valueText = f.Field(_cols.Value);
        if (valueText.IsEmpty)
            ImportText.Add(ref reason, "value: empty");
        else if (!ImportText.TryNumber(valueText, _settings.DecimalComma && !f.IsNumber(_cols.Value), out value))
            ImportText.Add(ref reason, $"value: '{ImportText.Show(valueText)}' is not a number");
        else if (!double.IsFinite(value))
            ImportText.Add(ref reason, $"value: '{ImportText.Show(valueText)}' is not a finite number");

        if (reason is not null)
            Errors.Add(new RowError(line, reason));
        else
            Points.Add(new RawPoint(code!, ts, value, line) { IntervalStart = start });
    }

    private string Code(ReadOnlySpan<char> raw)
    {
        if (_codeLookup.TryGetValue(raw, out var cached))
            return cached;
        var s = raw.ToString();
        var code = _settings.CodeMap is { } map && map.TryGetValue(s, out var mapped) ? mapped : s;
        if (_codes.Count < MaxCachedCodes)
            _codes[s] = code;
        return code;
    }
}

/// <summary>Small text helpers shared by the import parsers.</summary>
internal static class ImportText
{
    private static readonly NumberFormatInfo CommaDecimal = NumberFormatInfo.ReadOnly(new NumberFormatInfo
    {
        NumberDecimalSeparator = ",",
        NumberGroupSeparator = "\u202F",
    });

    public static void Add(ref string? reason, string? more)
    {
        if (more is not null)
            reason = reason is null ? more : reason + "; " + more;
    }

    /// <summary>A value for an error message, cut to a readable length.</summary>
    public static string Show(ReadOnlySpan<char> s) => s.Length <= 40 ? s.ToString() : string.Concat(s[..40], "…");

    /// <summary>Invariant float (no thousands separators); with <paramref name="decimalComma"/>, <c>1234,5</c>.</summary>
    public static bool TryNumber(ReadOnlySpan<char> s, bool decimalComma, out double value) =>
        double.TryParse(s, NumberStyles.Float, decimalComma ? CommaDecimal : NumberFormatInfo.InvariantInfo, out value);
}

/// <summary>Parses timestamp text: ISO 8601 (with or without offset), an optional exact format, and Excel serial
/// dates; offset-less values are placed in the mapping's time zone or rejected.</summary>
internal sealed class TimestampReader
{
    private readonly string? _format;
    private readonly TimeZoneInfo? _zone;
    private readonly bool _formatHasOffset;

    public TimestampReader(string? format, TimeZoneInfo? zone)
    {
        _format = format;
        _zone = zone;
        _formatHasOffset = format is not null && format.Contains('z', StringComparison.Ordinal);
    }

    /// <summary>Null when the instant can be stored (<see cref="ReadingInstants"/>), else a reason naming the field and the text.</summary>
    public static string? Early(DateTimeOffset value, ReadOnlySpan<char> text, string field) =>
        value < ReadingInstants.Earliest ? $"{field}: '{ImportText.Show(text)}' {ReadingInstants.TooEarly}" : null;

    /// <summary>Null on success, else a reason naming <paramref name="field"/>.</summary>
    public string? Read(ReadOnlySpan<char> text, string field, out DateTimeOffset value)
    {
        value = default;
        if (text.IsEmpty)
            return $"{field}: empty";

        DateTime local;
        if (_format is not null && TryFormat(text, out value, out local, out bool hasOffset))
        {
            if (hasOffset)
                return null;
        }
        else if (IsoTimestamp.TryParse(text, out local, out var offset, out hasOffset))
        {
            if (hasOffset)
            {
                value = new DateTimeOffset(local, offset);
                return null;
            }
        }
        else
        {
            return _format is null
                ? $"{field}: '{ImportText.Show(text)}' is not an ISO 8601 timestamp"
                : $"{field}: '{ImportText.Show(text)}' does not match format '{_format}'";
        }
        return Localize(local, text, field, out value);
    }

    /// <summary>A numeric spreadsheet cell holding an Excel serial date (local time).</summary>
    public string? FromExcelSerial(ReadOnlySpan<char> raw, string field, out DateTimeOffset value)
    {
        value = default;
        if (raw.IsEmpty)
            return $"{field}: empty";
        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial)
            || !(serial > 0 && serial < 2958466))
            return $"{field}: {ImportText.Show(raw)} is not an Excel date";
        var local = DateTime.FromOADate(serial);
        var shown = local.ToString(local.Millisecond == 0 ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);
        return Localize(local, shown, field, out value);
    }

    private string? Localize(DateTime local, ReadOnlySpan<char> text, string field, out DateTimeOffset value)
    {
        value = default;
        if (_zone is null)
            return $"{field}: '{ImportText.Show(text)}' has no UTC offset (write e.g. +08:00 or Z, or set time_zone in the mapping)";
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (_zone.IsInvalidTime(local))
            return $"{field}: '{ImportText.Show(text)}' does not exist in time zone {_zone.Id} (daylight-saving gap)";
        if (!IsoTimestamp.TryMake(local, _zone.GetUtcOffset(local), out value))
            return $"{field}: '{ImportText.Show(text)}' is out of range";
        return null;
    }

    private bool TryFormat(ReadOnlySpan<char> text, out DateTimeOffset value, out DateTime local, out bool hasOffset)
    {
        value = default;
        local = default;
        hasOffset = false;
        if (_formatHasOffset)
        {
            if (!DateTimeOffset.TryParseExact(text, _format, CultureInfo.InvariantCulture, DateTimeStyles.None, out value))
                return false;
            hasOffset = true;
            return true;
        }
        if (!DateTime.TryParseExact(text, _format, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out local))
            return false;
        switch (local.Kind)
        {
            case DateTimeKind.Utc:
                value = new DateTimeOffset(local, TimeSpan.Zero);
                hasOffset = true;
                break;
            case DateTimeKind.Local:
                value = new DateTimeOffset(local);
                hasOffset = true;
                break;
        }
        return true;
    }
}

/// <summary>Fast ISO 8601 parser: <c>yyyy-MM-dd[(T| )HH:mm[:ss[.fffffff]]][Z|±HH[:mm]]</c>; <c>/</c> is accepted as
/// the date separator and 24:00 as the end of a day.</summary>
internal static class IsoTimestamp
{
    public static bool TryParse(ReadOnlySpan<char> s, out DateTime local, out TimeSpan offset, out bool hasOffset)
    {
        local = default;
        offset = default;
        hasOffset = false;
        int p = 0;
        if (!Digits(s, ref p, 4, 4, out int year) || p >= s.Length || (s[p] != '-' && s[p] != '/'))
            return false;
        char sep = s[p++];
        if (!Digits(s, ref p, 1, 2, out int month) || p >= s.Length || s[p] != sep)
            return false;
        p++;
        if (!Digits(s, ref p, 1, 2, out int day))
            return false;
        if (year < 1 || month < 1 || month > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
            return false;

        int hour = 0, minute = 0, second = 0;
        long fraction = 0;
        if (p < s.Length)
        {
            if (s[p] != 'T' && s[p] != 't' && s[p] != ' ')
                return false;
            p++;
            while (p < s.Length && s[p] == ' ')
                p++;
            if (!Digits(s, ref p, 1, 2, out hour) || p >= s.Length || s[p] != ':')
                return false;
            p++;
            if (!Digits(s, ref p, 2, 2, out minute))
                return false;
            if (p < s.Length && s[p] == ':')
            {
                p++;
                if (!Digits(s, ref p, 2, 2, out second))
                    return false;
                if (p < s.Length && (s[p] == '.' || s[p] == ','))
                {
                    p++;
                    int first = p, n = 0;
                    while (p < s.Length && char.IsAsciiDigit(s[p]))
                    {
                        if (n < 7)
                        {
                            fraction = fraction * 10 + (s[p] - '0');
                            n++;
                        }
                        p++;
                    }
                    if (p == first)
                        return false;
                    for (; n < 7; n++)
                        fraction *= 10;
                }
            }
            if (p < s.Length && s[p] == ' ')
                p++;
            if (p < s.Length)
            {
                char c = s[p++];
                if (c is 'Z' or 'z')
                {
                    hasOffset = true;
                }
                else if (c is '+' or '-')
                {
                    if (!Digits(s, ref p, 2, 2, out int oh))
                        return false;
                    int om = 0;
                    if (p < s.Length && s[p] == ':')
                        p++;
                    if (p < s.Length && !Digits(s, ref p, 2, 2, out om))
                        return false;
                    if (oh > 14 || om > 59)
                        return false;
                    offset = new TimeSpan(oh, om, 0);
                    if (c == '-')
                        offset = -offset;
                    hasOffset = true;
                }
                else
                {
                    return false;
                }
                if (p != s.Length)
                    return false;
            }
        }

        if (hour > 24 || minute > 59 || second > 59)
            return false;
        bool endOfDay = hour == 24;
        if (endOfDay && (minute != 0 || second != 0 || fraction != 0))
            return false;
        local = new DateTime(year, month, day, endOfDay ? 0 : hour, minute, second).AddTicks(fraction);
        if (endOfDay)
        {
            if (local.Date == DateTime.MaxValue.Date)
                return false;
            local = local.AddDays(1);
        }
        return !hasOffset || TryMake(local, offset, out _);
    }

    /// <summary>A DateTimeOffset, false when the instant is outside the representable range.</summary>
    public static bool TryMake(DateTime local, TimeSpan offset, out DateTimeOffset value)
    {
        long utc = local.Ticks - offset.Ticks;
        if (utc < 0 || utc > DateTime.MaxValue.Ticks)
        {
            value = default;
            return false;
        }
        value = new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), offset);
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> s, ref int p, int min, int max, out int value)
    {
        value = 0;
        int n = 0;
        while (n < max && p < s.Length && char.IsAsciiDigit(s[p]))
        {
            value = value * 10 + (s[p] - '0');
            p++;
            n++;
        }
        return n >= min;
    }
}

/// <summary>Text decoding of uploaded files: an explicit encoding, or one chosen from the bytes. Bytes that are not
/// valid in the chosen encoding decode as U+FFFD, so that the parsers report the lines that hold them and keep the
/// others (one bad byte never makes a whole file unreadable).</summary>
internal static class TextDecoding
{
    private const int BufferSize = 1 << 16;
    /// <summary>Bytes looked at to choose the encoding.</summary>
    internal const int SampleBytes = 4 << 20;
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
    private static readonly Encoding Gbk = CreateGbk();

    private static Encoding CreateGbk()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(936, EncoderFallback.ReplacementFallback, new DecoderReplacementFallback("\uFFFD"));
    }

    public static bool TryResolve(string name, out Encoding? encoding)
    {
        _ = Gbk; // ensures the code-page provider is registered
        var n = name.Trim();
        try
        {
            encoding = n.ToLowerInvariant() switch
            {
                "utf-8" or "utf8" => Utf8,
                "gbk" or "cp936" or "936" or "gb2312" => Gbk,
                _ when int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var cp) =>
                    Encoding.GetEncoding(cp, EncoderFallback.ReplacementFallback, new DecoderReplacementFallback("\uFFFD")),
                _ => Encoding.GetEncoding(n, EncoderFallback.ReplacementFallback, new DecoderReplacementFallback("\uFFFD")),
            };
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            encoding = null;
            return false;
        }
    }

    /// <summary>
    /// Chooses UTF-8 or GBK from up to the first 4 MiB: UTF-8 when the bytes are valid UTF-8, or mostly so (at least four
    /// valid multi-byte sequences per invalid one: a UTF-8 file with a few bad bytes); else GBK when it has fewer invalid
    /// sequences than UTF-8 (GBK text is mostly invalid as UTF-8); else UTF-8.
    /// </summary>
    internal static Encoding Choose(ReadOnlySpan<byte> sample, bool complete)
    {
        if (sample.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            return Utf8;
        int valid = 0, invalid = 0, i = 0;
        while (i < sample.Length)
        {
            int ascii = sample[i..].IndexOfAnyExceptInRange((byte)0, (byte)0x7F);
            if (ascii < 0)
                break;
            i += ascii;
            var status = System.Text.Rune.DecodeFromUtf8(sample[i..], out _, out int consumed);
            if (status == System.Buffers.OperationStatus.NeedMoreData && !complete)
                break;
            if (status == System.Buffers.OperationStatus.Done)
                valid++;
            else
                invalid++;
            i += Math.Max(1, consumed);
        }
        if (invalid == 0 || valid >= 4 * invalid)
            return Utf8;
        int gbkInvalid = 0;
        for (i = 0; i < sample.Length; i++)
        {
            byte b = sample[i];
            if (b < 0x80)
                continue;
            if (b is 0x80 or 0xFF)
            {
                gbkInvalid++;
                continue;
            }
            if (i + 1 >= sample.Length)
                break;
            byte t = sample[i + 1];
            if (t is >= 0x40 and <= 0xFE and not 0x7F)
                i++;
            else
                gbkInvalid++;
        }
        return gbkInvalid < invalid ? Gbk : Utf8;
    }

    /// <summary>Runs <paramref name="body"/> over the decoded text, with the name of the encoding (for error messages).
    /// Without an explicit encoding, the encoding is chosen from the first bytes (see <see cref="Choose"/>); a byte order
    /// mark always wins.</summary>
    public static T Read<T>(Stream stream, Encoding? encoding, IProgress<long>? progress, Func<TextReader, string, T> body)
    {
        var counted = new ProgressStream(stream, progress);
        Stream source = counted;
        if (encoding is null)
        {
            var sample = new byte[SampleBytes];
            int n = 0, k;
            while (n < sample.Length && (k = counted.Read(sample, n, Math.Min(BufferSize, sample.Length - n))) > 0)
                n += k;
            encoding = Choose(sample.AsSpan(0, n), complete: n < sample.Length);
            source = new PrefixedStream(sample, n, counted);
        }
        using var reader = new StreamReader(source, encoding, detectEncodingFromByteOrderMarks: true, BufferSize, leaveOpen: true);
        var result = body(reader, encoding.CodePage == 936 ? "GBK" : encoding.WebName.ToUpperInvariant());
        counted.Complete();
        return result;
    }

    /// <summary>Bytes already read, then the rest of the stream.</summary>
    private sealed class PrefixedStream(byte[] prefix, int prefixLength, Stream rest) : Stream
    {
        private int _pos;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_pos < prefixLength)
            {
                int n = Math.Min(buffer.Length, prefixLength - _pos);
                prefix.AsSpan(_pos, n).CopyTo(buffer);
                _pos += n;
                return n;
            }
            return rest.Read(buffer);
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>A read-only pass-through stream that reports the bytes read so far every 64 KiB (never going back).</summary>
internal sealed class ProgressStream(Stream inner, IProgress<long>? progress) : Stream
{
    private const long Step = 1 << 16;
    private long _count;
    private long _reported;
    private long _next = Step;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position
    {
        get => _count;
        set => throw new NotSupportedException();
    }

    /// <summary>The source was rewound: count from zero again, reporting only beyond what was reported.</summary>
    public void Restart() => _count = 0;

    /// <summary>Reports the final count.</summary>
    public void Complete()
    {
        if (progress is not null && _count > _reported)
        {
            _reported = _count;
            progress.Report(_count);
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Advance(inner.Read(buffer, offset, count));
    public override int Read(Span<byte> buffer) => Advance(inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Advance(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Advance(int n)
    {
        _count += n;
        if (progress is not null && _count >= _next && _count > _reported)
        {
            _reported = _count;
            _next = _count + Step;
            progress.Report(_count);
        }
        return n;
    }
}

/// <summary>
/// RFC 4180 record reader over a <see cref="TextReader"/>: quoted fields (with doubled quotes and line breaks),
/// CRLF/LF/CR line ends, delimiter detected from the header line. <see cref="Line"/> is the physical line on
/// which the current record starts.
/// <para>A quoting error costs at most its line: a quoted field that reaches the end of the input, that runs over more
/// than <see cref="MaxRecordLines"/> lines, or whose closing quote (after a line break) is followed by anything but a
/// delimiter or a line end makes the record <see cref="Malformed"/>, and reading goes on at the line after the one
/// where the record started (<see cref="Resync"/>). The caller may also resynchronise after a multi-line record it
/// cannot use (<see cref="SpansLines"/>), so that every physical line ends up read or reported.</para>
/// </summary>
internal sealed class CsvRecordReader(TextReader reader) : IRowFields
{
    /// <summary>Physical lines one record may span (a quoted field with line breaks).</summary>
    public const int MaxRecordLines = 32;
    private const int MaxCapture = 1 << 20;

    private char[] _buf = new char[1 << 15];
    private int _pos;
    private int _len;
    private bool _eof;
    private char _delim = ',';
    private char[] _chars = new char[256];
    private int _charCount;
    private int[] _ends = new int[16];
    private int _fieldCount;
    private int _nextLine = 1;
    // The raw text after the first line break of a multi-line record, kept to read it again line by line.
    private bool _capturing;
    private int _captureFrom;
    private char[] _capture = new char[256];
    private int _captureLen;

    public int Line { get; private set; }
    /// <summary>Why the current record could not be read (it is not a row then), or null.</summary>
    public string? Malformed { get; private set; }
    /// <summary>True when the current record spans more than one physical line.</summary>
    public bool SpansLines { get; private set; }
    /// <summary>True when the decoded text of the record holds U+FFFD: bytes that are not valid in the file's encoding.</summary>
    public bool HasInvalidText => _chars.AsSpan(0, _charCount).Contains('\uFFFD');
    public char Delimiter => _delim;
    public int Count => _fieldCount;

    public ReadOnlySpan<char> Get(int index)
    {
        int start = index == 0 ? 0 : _ends[index - 1];
        return _chars.AsSpan(start, _ends[index] - start);
    }

    public bool IsNumber(int index) => false;

    /// <summary>Picks comma, semicolon or tab — whichever occurs most in the first line (outside quotes).</summary>
    public void DetectDelimiter()
    {
        if (_pos >= _len && !Fill())
            return;
        int comma = 0, semicolon = 0, tab = 0;
        bool quoted = false;
        for (int i = _pos; i < _len; i++)
        {
            char c = _buf[i];
            if (c == '"')
                quoted = !quoted;
            else if (quoted)
                continue;
            else if (c is '\n' or '\r')
                break;
            else if (c == ',')
                comma++;
            else if (c == ';')
                semicolon++;
            else if (c == '\t')
                tab++;
        }
        _delim = semicolon > comma && semicolon >= tab ? ';' : tab > comma && tab > semicolon ? '\t' : ',';
    }

    /// <summary>Reads records until one that is not blank (malformed records are skipped).</summary>
    public bool ReadNonBlank()
    {
        while (Read())
        {
            if (Malformed is null && !this.IsBlank())
                return true;
        }
        return false;
    }

    public bool Read()
    {
        _fieldCount = 0;
        _charCount = 0;
        Malformed = null;
        SpansLines = false;
        _capturing = false;
        _captureLen = 0;
        if (_pos >= _len && !Fill())
            return false;
        Line = _nextLine;
        while (true)
        {
            if (_pos >= _len && !Fill())
            {
                EndField();
                return EndRecord();
            }
            if (_buf[_pos] == '"')
            {
                _pos++;
                var problem = ReadQuoted();
                if (problem is null && _capturing && (_pos < _len || Fill()) && _buf[_pos] != _delim && _buf[_pos] is not ('\r' or '\n'))
                    problem = "a closing '\"' is followed by text, not by a delimiter or the line end";
                if (problem is not null)
                {
                    EndField();
                    Malformed = $"row: {problem} (a stray '\"'?); the row is skipped and reading goes on at line {Line + 1}";
                    EndRecord();
                    Resync();
                    return true;
                }
            }
            bool delimiter = ReadToTerminator();
            EndField();
            if (!delimiter)
                return EndRecord();
        }
    }

    /// <summary>Reads the text after the first line of the current record again, as new records (after a multi-line
    /// record that is malformed or unusable). Does nothing for a single-line record.</summary>
    public void Resync()
    {
        if (!SpansLines)
            return;
        SpansLines = false;
        int rest = _len - _pos;
        var combined = new char[Math.Max(1 << 15, _captureLen + rest)];
        _capture.AsSpan(0, _captureLen).CopyTo(combined);
        _buf.AsSpan(_pos, rest).CopyTo(combined.AsSpan(_captureLen));
        _buf = combined;
        _pos = 0;
        _len = _captureLen + rest;
        _captureLen = 0;
        _nextLine = Line + 1;
    }

    private bool EndRecord()
    {
        if (_capturing)
        {
            Capture(_buf.AsSpan(_captureFrom, _pos - _captureFrom));
            _capturing = false;
        }
        return true;
    }

    /// <summary>Appends up to the next delimiter or line end and consumes it; true when it was a delimiter.</summary>
    private bool ReadToTerminator()
    {
        while (true)
        {
            if (_pos >= _len && !Fill())
                return false;
            var span = _buf.AsSpan(_pos, _len - _pos);
            int k = span.IndexOfAny(_delim, '\r', '\n');
            if (k < 0)
            {
                Append(span);
                _pos = _len;
                continue;
            }
            Append(span[..k]);
            _pos += k;
            char c = _buf[_pos++];
            if (c == _delim)
                return true;
            if (c == '\r' && (_pos < _len || Fill()) && _buf[_pos] == '\n')
                _pos++;
            _nextLine++;
            return false;
        }
    }

    /// <summary>Reads a quoted section after its opening quote; null when it closed, else why not.</summary>
    private string? ReadQuoted()
    {
        while (true)
        {
            if (_pos >= _len && !Fill())
                return "a quoted field is not closed before the end of the file";
            var span = _buf.AsSpan(_pos, _len - _pos);
            int k = span.IndexOf('"');
            var chunk = k < 0 ? span : span[..k];
            int nl = chunk.IndexOf('\n');
            if (nl >= 0)
            {
                if (!_capturing && !SpansLines)
                {
                    _capturing = true;
                    SpansLines = true;
                    _captureFrom = _pos + nl + 1;
                }
                _nextLine += chunk.Count('\n');
            }
            Append(chunk);
            if (k < 0)
                _pos = _len;
            else
                _pos += k + 1;
            if (SpansLines && (_nextLine - Line >= MaxRecordLines || _captureLen + (_pos - _captureFrom) > MaxCapture))
                return $"a quoted field runs over more than {MaxRecordLines} lines";
            if (k < 0)
                continue;
            if (_pos >= _len && !Fill())
                return null;
            if (_buf[_pos] != '"')
                return null;
            Append("\"");
            _pos++;
        }
    }

    private bool Fill()
    {
        if (_capturing)
        {
            Capture(_buf.AsSpan(_captureFrom, _len - _captureFrom));
            _captureFrom = 0;
        }
        if (_eof)
            return false;
        _pos = 0;
        _len = reader.Read(_buf, 0, _buf.Length);
        if (_len > 0)
            return true;
        _eof = true;
        return false;
    }

    private void Capture(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty)
            return;
        if (_captureLen + s.Length > _capture.Length)
            Array.Resize(ref _capture, Math.Max(_capture.Length * 2, _captureLen + s.Length));
        s.CopyTo(_capture.AsSpan(_captureLen));
        _captureLen += s.Length;
    }

    private void Append(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty)
            return;
        if (_charCount + s.Length > _chars.Length)
            Array.Resize(ref _chars, Math.Max(_chars.Length * 2, _charCount + s.Length));
        s.CopyTo(_chars.AsSpan(_charCount));
        _charCount += s.Length;
    }

    private void EndField()
    {
        if (_fieldCount == _ends.Length)
            Array.Resize(ref _ends, _ends.Length * 2);
        _ends[_fieldCount++] = _charCount;
    }
}
