using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ZeroPark.Application.Readings.Import;
using ZeroPark.Metering;

namespace ZeroPark.Application.Collection;

/// <summary>
/// Reads the payload of one MQTT message into readings, through the same parsers as the HTTP gateway routes:
/// <list type="bullet">
/// <item>a bare number (<c>1234.5</c>): one reading of the topic's meter at the arrival time (whole seconds);</item>
/// <item>a JSON object with <c>value</c> (<c>{"ts": "2025-01-01T00:15:00+08:00", "value": 12.5}</c>; <c>meter</c> optional): one reading;</item>
/// <item>a JSON batch (<c>{"points": [...]}</c>, as <c>POST …/ingest</c>) or a JSON array of such objects;</item>
/// <item>anything else is InfluxDB line protocol (as <c>POST …/ingest/line-protocol</c>; nanosecond timestamps, a line without one takes the arrival time).</item>
/// </list>
/// JSON points without <c>meter</c> take the topic's meter. Pure: no clock (the arrival time is given), never throws on bad data:
/// a malformed message is one error at line 0 with the reason.
/// </summary>
public static class MqttPayload
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <summary>Parses <paramref name="payload"/>; <paramref name="meter"/> is the meter the topic binds (null: the payload must name it).</summary>
    public static ParseResult Parse(ReadOnlySpan<byte> payload, string? meter, DateTimeOffset arrived)
    {
        string text;
        try { text = StrictUtf8.GetString(payload); }
        catch (DecoderFallbackException) { return Fail("payload is not UTF-8 text"); }
        text = text.Trim().TrimStart('\uFEFF');
        if (text.Length == 0) return Fail("empty payload");
        if (text[0] is '{' or '[') return ParseJson(text, meter);
        if (ImportText.TryNumber(text, decimalComma: false, out var v))
        {
            if (!double.IsFinite(v)) return Fail($"'{ImportText.Show(text)}' is not a finite number");
            if (meter is null) return Fail("a bare number needs a topic bound to a meter ({meter} level or the subscription's meter)");
            var at = DateTimeOffset.FromUnixTimeSeconds(arrived.ToUnixTimeSeconds());
            return new ParseResult([new RawPoint(meter, at, v, 1)], []);
        }
        return LineProtocolParser.Parse(text, "ns", arrived);
    }

    private static ParseResult ParseJson(string text, string? meter)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 32 }); }
        catch (JsonException e) { return Fail($"malformed JSON: {e.Message}"); }
        JsonArray points;
        switch (node)
        {
            case JsonObject o when o.ContainsKey("points"):
                if (o["points"] is not JsonArray a) return Fail("points: expected an array");
                points = a;
                break;
            case JsonObject o:
                points = [o.DeepClone()];
                break;
            case JsonArray list:
                points = list;
                break;
            default:
                return Fail("expected a JSON object or array");
        }
        if (meter is not null)
            foreach (var p in points)
                if (p is JsonObject po && !po.ContainsKey("meter")) po["meter"] = meter;
        var batch = new JsonObject { ["points"] = points.DeepClone() };
        var (_, result) = JsonBatchParser.Parse(batch.ToJsonString());
        return result;
    }

    private static ParseResult Fail(string reason) => new([], [new RowError(0, reason)]);

    /// <summary>The payload shown in a log line: at most 200 characters, control characters escaped.</summary>
    public static string Show(ReadOnlySpan<byte> payload)
    {
        var s = Encoding.UTF8.GetString(payload[..Math.Min(payload.Length, 200)]);
        var b = new StringBuilder(s.Length);
        foreach (var ch in s) b.Append(char.IsControl(ch) ? $"\\u{(int)ch:x4}" : ch.ToString(CultureInfo.InvariantCulture));
        return b.ToString() + (payload.Length > 200 ? "…" : "");
    }
}
