using ZeroPark.Metering;

namespace ZeroPark.Storage.Import;

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
