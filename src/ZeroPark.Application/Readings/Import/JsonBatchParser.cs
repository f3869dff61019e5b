using System.Globalization;
using System.Text.Json;
using ZeroPark.Metering;

namespace ZeroPark.Application.Readings.Import;

/// <summary>
/// Reads the JSON batch format of gateways:
/// <c>{"batch_id": "optional", "points": [{"meter": "code", "ts": "2025-01-01T00:15:00+08:00", "value": 123.4}, …]}</c>.
/// <para><c>ts</c> (alias <c>timestamp</c>) is an ISO 8601 string with a UTC offset or Z, or a number of Unix
/// seconds; an optional <c>start</c> of the same form sets the interval start. <c>value</c> is a JSON number (a
/// numeric string is accepted). <c>batch_id</c> may be a string or a number.</para>
/// <para>Malformed JSON, or a document that is not a batch, is one error at line 0. A bad point is an error with
/// Line = array index + 1 and a reason naming the field (<c>points[3].value: missing</c>); other points are kept.</para>
/// </summary>
public static class JsonBatchParser
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 32 };

    // Unix seconds of 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z.
    private const double MinUnixSeconds = -62_135_596_800;
    private const double MaxUnixSeconds = 253_402_300_799;

    public static (string? BatchId, ParseResult Result) Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, Options);
        }
        catch (JsonException ex)
        {
            return (null, ReadingFileParser.Fail(0, ex.Message));
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return (null, ReadingFileParser.Fail(0, $"batch: expected a JSON object, got {Kind(root)}"));

            string? batchId = null;
            if (root.TryGetProperty("batch_id", out var id))
            {
                switch (id.ValueKind)
                {
                    case JsonValueKind.String:
                        batchId = string.IsNullOrWhiteSpace(id.GetString()) ? null : id.GetString()!.Trim();
                        break;
                    case JsonValueKind.Number:
                        batchId = id.GetRawText();
                        break;
                    case JsonValueKind.Null:
                        break;
                    default:
                        return (null, ReadingFileParser.Fail(0, $"batch_id: expected a string, got {Kind(id)}"));
                }
            }

            if (!root.TryGetProperty("points", out var array))
                return (batchId, ReadingFileParser.Fail(0, "points: missing"));
            if (array.ValueKind != JsonValueKind.Array)
                return (batchId, ReadingFileParser.Fail(0, $"points: expected an array, got {Kind(array)}"));

            var points = new List<RawPoint>(array.GetArrayLength());
            var errors = new List<RowError>();
            int index = 0;
            foreach (var item in array.EnumerateArray())
            {
                var reason = ReadPoint(item, index, out var point);
                if (reason is not null)
                    errors.Add(new RowError(index + 1, reason));
                else
                    points.Add(point!.Value);
                index++;
            }
            return (batchId, new ParseResult(points, errors));
        }
    }

    private static string? ReadPoint(JsonElement item, int index, out RawPoint? point)
    {
        point = null;
        var at = $"points[{index}]";
        if (item.ValueKind != JsonValueKind.Object)
            return $"{at}: expected an object, got {Kind(item)}";

        string? reason = null;

        string? meter = null;
        if (!item.TryGetProperty("meter", out var m))
            ImportText.Add(ref reason, $"{at}.meter: missing");
        else if (m.ValueKind != JsonValueKind.String)
            ImportText.Add(ref reason, $"{at}.meter: expected a string, got {Kind(m)}");
        else if (string.IsNullOrWhiteSpace(meter = m.GetString()))
            ImportText.Add(ref reason, $"{at}.meter: empty");

        DateTimeOffset ts = default;
        string? tsError = $"{at}.ts: missing";
        if (item.TryGetProperty("ts", out var t) || item.TryGetProperty("timestamp", out t))
            tsError = ReadTime(t, $"{at}.ts", out ts);
        ImportText.Add(ref reason, tsError);

        DateTimeOffset? start = null;
        if (item.TryGetProperty("start", out var st) && st.ValueKind != JsonValueKind.Null)
        {
            var startError = ReadTime(st, $"{at}.start", out var s);
            if (startError is not null)
                ImportText.Add(ref reason, startError);
            else if (tsError is null && s >= ts)
                ImportText.Add(ref reason, $"{at}.start: not before ts");
            else
                start = s;
        }

        double value = 0;
        if (!item.TryGetProperty("value", out var v))
        {
            ImportText.Add(ref reason, $"{at}.value: missing");
        }
        else
        {
            switch (v.ValueKind)
            {
                case JsonValueKind.Number:
                    if (!v.TryGetDouble(out value) || !double.IsFinite(value))
                        ImportText.Add(ref reason, $"{at}.value: {ImportText.Show(v.GetRawText())} is not a finite number");
                    break;
                case JsonValueKind.String:
                    var text = v.GetString()!.Trim();
                    if (!ImportText.TryNumber(text, decimalComma: false, out value))
                        ImportText.Add(ref reason, $"{at}.value: '{ImportText.Show(text)}' is not a number");
                    else if (!double.IsFinite(value))
                        ImportText.Add(ref reason, $"{at}.value: '{ImportText.Show(text)}' is not a finite number");
                    break;
                case JsonValueKind.Null:
                    ImportText.Add(ref reason, $"{at}.value: null");
                    break;
                default:
                    ImportText.Add(ref reason, $"{at}.value: expected a number, got {Kind(v)}");
                    break;
            }
        }

        if (reason is not null)
            return reason;
        point = new RawPoint(meter!.Trim(), ts, value, index + 1) { IntervalStart = start };
        return null;
    }

    private static string? ReadTime(JsonElement e, string at, out DateTimeOffset value)
    {
        value = default;
        switch (e.ValueKind)
        {
            case JsonValueKind.String:
                var text = e.GetString()!.Trim();
                if (text.Length == 0)
                    return $"{at}: empty";
                if (!IsoTimestamp.TryParse(text, out var local, out var offset, out var hasOffset))
                    return $"{at}: '{ImportText.Show(text)}' is not an ISO 8601 timestamp";
                if (!hasOffset)
                    return $"{at}: '{ImportText.Show(text)}' has no UTC offset (write e.g. +08:00 or Z)";
                value = new DateTimeOffset(local, offset);
                return value < ReadingInstants.Earliest ? $"{at}: '{ImportText.Show(text)}' {ReadingInstants.TooEarly}" : null;
            case JsonValueKind.Number:
                if (!e.TryGetDouble(out var seconds) || !(seconds >= MinUnixSeconds && seconds <= MaxUnixSeconds))
                    return $"{at}: {ImportText.Show(e.GetRawText())} is out of range for Unix seconds";
                value = DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
                return value < ReadingInstants.Earliest ? $"{at}: {ImportText.Show(e.GetRawText())} (Unix seconds) {ReadingInstants.TooEarly}" : null;
            case JsonValueKind.Null:
                return $"{at}: null";
            default:
                return $"{at}: expected an ISO 8601 string or Unix seconds, got {Kind(e)}";
        }
    }

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => e.ValueKind.ToString().ToLower(CultureInfo.InvariantCulture),
    };
}
