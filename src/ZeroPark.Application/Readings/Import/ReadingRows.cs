using ZeroPark.Metering;

namespace ZeroPark.Application.Readings.Import;

/// <summary>Turns rows into points and errors. Valid points are handed to <see cref="ReadingSink"/> in batches of
/// <see cref="ReadingSink.BatchSize"/> as soon as a batch is full (streaming); errors are kept.</summary>
internal sealed class ReadingRows(ReadingColumns cols, ReadingSettings settings, ReadingSink sink)
{
    private const int MaxCachedCodes = 100_000;

    private List<RawPoint> _points = [];
    public List<RowError> Errors { get; } = [];

    private readonly ReadingColumns _cols = cols;
    private readonly ReadingSettings _settings = settings;
    private readonly Dictionary<string, string> _codes = new(StringComparer.Ordinal);

    /// <summary>Fields of the header row: a row with a non-empty field beyond them is rejected (the field has no column,
    /// so it would silently be dropped; with a decimal comma it is usually the decimals of an unquoted value).</summary>
    public int HeaderFields { get; set; } = int.MaxValue;

    /// <summary>The file uses a decimal comma and the comma as delimiter (the error for extra fields says so).</summary>
    public bool DecimalCommaHint { get; set; }

    /// <summary>Hands over the last, partial batch; the errors.</summary>
    public List<RowError> Finish()
    {
        if (_points.Count > 0)
            sink.Batch(_points);
        _points = [];
        return Errors;
    }

    public void Process<T>(int line, T f) where T : IRowFields, allows ref struct
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
        {
            // With whole days (sink.DayOf), a full batch goes on up to the end of its last reading's local day (at most
            // another batch size): the next reading that starts a new day begins the next batch.
            if (sink.DayOf is not null && _points.Count >= sink.BatchSize && sink.EndsBatch(_points[^1].Timestamp, ts, _points.Count))
            {
                // The next batch is likely as long (a day of the same meters): sized at once, it is not grown by copying.
                var full = _points;
                _points = new List<RawPoint>(full.Count);
                sink.Batch(full);
            }
            _points.Add(new RawPoint(code!, ts, value, line) { IntervalStart = start });
            if (sink.DayOf is null && _points.Count >= sink.BatchSize)
            {
                var full = _points;
                _points = new List<RawPoint>(full.Count);
                sink.Batch(full);
            }
        }
    }

    private string Code(ReadOnlySpan<char> raw)
    {
        if (_codes.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(raw, out var cached))
            return cached;
        var s = raw.ToString();
        var code = _settings.CodeMap is { } map && map.TryGetValue(s, out var mapped) ? mapped : s;
        if (_codes.Count < MaxCachedCodes)
            _codes[s] = code;
        return code;
    }
}

/// <summary>Where a parse puts its valid points: <paramref name="batch"/> receives lists of <paramref name="batchSize"/> points
/// (the last one fewer) in file order (each list is the receiver's to keep). With <paramref name="dayOf"/> (the local day a
/// reading's instant counts to), a list goes on past <paramref name="batchSize"/> until a reading of another day comes, up to
/// twice <paramref name="batchSize"/>: a file in time order is then handed over in whole days.</summary>
internal sealed class ReadingSink(int batchSize, Action<List<RawPoint>> batch, Func<DateTimeOffset, int>? dayOf = null)
{
    private DateTimeOffset _lastTs = DateTimeOffset.MinValue;
    private int _lastDay;

    public int BatchSize { get; } = Math.Max(1, batchSize);
    public Func<DateTimeOffset, int>? DayOf { get; } = dayOf;
    public void Batch(List<RawPoint> points) => batch(points);

    /// <summary>Whether a full batch of <paramref name="count"/> points whose last reading is at <paramref name="last"/> ends
    /// before a reading at <paramref name="next"/>: it starts another local day, or the batch has reached twice the size.</summary>
    public bool EndsBatch(DateTimeOffset last, DateTimeOffset next, int count) =>
        count >= 2L * BatchSize || Day(last) != Day(next);

    /// <summary>The local day of an instant; files repeat instants (all meters at one time), so the last one is remembered.</summary>
    private int Day(DateTimeOffset ts)
    {
        if (ts.UtcTicks != _lastTs.UtcTicks)
        {
            _lastDay = DayOf!(ts);
            _lastTs = ts;
        }
        return _lastDay;
    }
}
