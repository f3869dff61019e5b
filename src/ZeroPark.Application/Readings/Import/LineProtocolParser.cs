using System.Globalization;
using System.Text;
using ZeroPark.Metering;

namespace ZeroPark.Application.Readings.Import;

/// <summary>
/// Reads InfluxDB line protocol (<c>measurement[,tag=v…] field=v[,field=v…] [timestamp]</c>) into
/// <see cref="RawPoint"/>s.
/// <para>Meter code: tag <c>meter</c>, else <c>meter_code</c>, else <c>id</c>, else the measurement name.
/// Value: field <c>value</c>, else the only numeric field (strings and booleans are not numbers); a line with
/// several numeric fields and none named <c>value</c> is rejected. Integer (<c>12i</c>) and unsigned
/// (<c>12u</c>) fields are accepted as numbers.</para>
/// <para>Timestamps are integers in <c>precision</c> units (ns, us, ms, s) since the Unix epoch; a line
/// without one takes <c>now</c>, or is rejected when <c>now</c> is null. Blank lines and <c>#</c> comments are
/// skipped. Bad lines become <see cref="RowError"/>s with their 1-based line number; an unknown precision is
/// one error at line 0.</para>
/// </summary>
public static class LineProtocolParser
{
    private enum FieldKind
    {
        Number,
        Boolean,
        String,
    }

    public static ParseResult Parse(string body, string precision = "ns", DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (!TryPrecision(precision, out var unit))
            return ReadingFileParser.Fail(0, $"precision: '{precision}' is not one of ns, us, ms, s");

        var points = new List<RawPoint>();
        var errors = new List<RowError>();
        var text = body.AsSpan();
        int pos = 0, lineNo = 0;
        while (pos <= text.Length)
        {
            var rest = text[pos..];
            int nl = rest.IndexOf('\n');
            var line = nl < 0 ? rest : rest[..nl];
            pos = nl < 0 ? text.Length + 1 : pos + nl + 1;
            lineNo++;

            line = line.Trim();
            if (line.IsEmpty || line[0] == '#')
                continue;
            var error = ParseLine(line, lineNo, unit, now, out var point);
            if (error is not null)
                errors.Add(new RowError(lineNo, error));
            else
                points.Add(point!.Value);
        }
        return new ParseResult(points, errors);
    }

    private static bool TryPrecision(string? precision, out long ticksPerUnit)
    {
        ticksPerUnit = (precision ?? "").Trim().ToLowerInvariant() switch
        {
            "ns" or "n" => 0, // 100 ns per tick: handled by division
            "us" or "u" or "µs" => 10,
            "ms" => TimeSpan.TicksPerMillisecond,
            "s" => TimeSpan.TicksPerSecond,
            _ => -1,
        };
        return ticksPerUnit >= 0;
    }

    private static string? ParseLine(ReadOnlySpan<char> s, int lineNo, long unit, DateTimeOffset? now, out RawPoint? point)
    {
        point = null;
        int p = 0;

        var measurement = ReadKey(s, ref p, stopAtEquals: false);
        if (measurement.Length == 0)
            return "measurement: empty";

        string? meter = null, meterCode = null, id = null;
        while (p < s.Length && s[p] == ',')
        {
            p++;
            var key = ReadKey(s, ref p, stopAtEquals: true);
            if (p >= s.Length || s[p] != '=')
                return $"tag '{key}': missing '='";
            p++;
            var value = ReadKey(s, ref p, stopAtEquals: false);
            if (key.Length == 0)
                return "tag: empty key";
            if (value.Length == 0)
                return $"tag '{key}': empty value";
            switch (key)
            {
                case "meter": meter ??= value; break;
                case "meter_code": meterCode ??= value; break;
                case "id": id ??= value; break;
            }
        }
        if (p >= s.Length || s[p] != ' ')
            return "fields: missing (expected a space and field=value after the measurement and tags)";
        while (p < s.Length && s[p] == ' ')
            p++;

        var fields = new List<(string Key, FieldKind Kind, double Value)>(2);
        while (true)
        {
            var key = ReadKey(s, ref p, stopAtEquals: true);
            if (key.Length == 0)
                return "field: empty key";
            if (p >= s.Length || s[p] != '=')
                return $"field '{key}': missing '='";
            p++;
            if (p < s.Length && s[p] == '"')
            {
                p++;
                if (!SkipString(s, ref p))
                    return $"field '{key}': unterminated string";
                fields.Add((key, FieldKind.String, 0));
            }
            else
            {
                int start = p;
                while (p < s.Length && s[p] != ',' && s[p] != ' ')
                    p++;
                var token = s[start..p];
                var error = ReadFieldValue(key, token, out var kind, out var number);
                if (error is not null)
                    return error;
                fields.Add((key, kind, number));
            }
            if (p < s.Length && s[p] == ',')
            {
                p++;
                continue;
            }
            break;
        }

        DateTimeOffset timestamp;
        while (p < s.Length && s[p] == ' ')
            p++;
        if (p < s.Length)
        {
            int start = p;
            while (p < s.Length && s[p] != ' ')
                p++;
            var token = s[start..p];
            while (p < s.Length && s[p] == ' ')
                p++;
            if (p < s.Length)
                return $"unexpected text after the timestamp: '{ImportText.Show(s[p..])}'";
            var error = ReadTimestamp(token, unit, out timestamp);
            if (error is not null)
                return error;
        }
        else if (now is { } n)
        {
            timestamp = n;
        }
        else
        {
            return "timestamp missing";
        }

        double v;
        int valueIndex = fields.FindIndex(f => f.Key == "value");
        if (valueIndex >= 0)
        {
            var f = fields[valueIndex];
            if (f.Kind != FieldKind.Number)
                return $"field 'value': {(f.Kind == FieldKind.Boolean ? "a boolean" : "a string")} is not a number";
            v = f.Value;
        }
        else
        {
            var numeric = fields.FindAll(f => f.Kind == FieldKind.Number);
            if (numeric.Count == 0)
                return "fields: no numeric field (strings and booleans are not readings)";
            if (numeric.Count > 1)
                return $"several fields, none named value ({string.Join(", ", numeric.Select(f => f.Key))})";
            v = numeric[0].Value;
        }

        point = new RawPoint(meter ?? meterCode ?? id ?? measurement, timestamp, v, lineNo);
        return null;
    }

    private static string? ReadFieldValue(string key, ReadOnlySpan<char> token, out FieldKind kind, out double value)
    {
        kind = FieldKind.Number;
        value = 0;
        if (token.IsEmpty)
            return $"field '{key}': empty value";
        if (token is "t" or "T" or "true" or "True" or "TRUE" or "f" or "F" or "false" or "False" or "FALSE")
        {
            kind = FieldKind.Boolean;
            return null;
        }
        char last = token[^1];
        if (last == 'i')
        {
            if (!long.TryParse(token[..^1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
                return $"field '{key}': '{ImportText.Show(token)}' is not an integer";
            value = l;
            return null;
        }
        if (last == 'u')
        {
            if (!ulong.TryParse(token[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var u))
                return $"field '{key}': '{ImportText.Show(token)}' is not an unsigned integer";
            value = u;
            return null;
        }
        char first = token[0];
        if (!(char.IsAsciiDigit(first) || first is '-' or '+' or '.')
            || !double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
            return $"field '{key}': '{ImportText.Show(token)}' is not a number";
        if (!double.IsFinite(value))
            return $"field '{key}': '{ImportText.Show(token)}' is not a finite number";
        return null;
    }

    private static string? ReadTimestamp(ReadOnlySpan<char> token, long ticksPerUnit, out DateTimeOffset timestamp)
    {
        timestamp = default;
        if (!long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
            return $"timestamp: '{ImportText.Show(token)}' is not an integer";
        long ticks;
        try
        {
            ticks = ticksPerUnit == 0 ? n / 100 : checked(n * ticksPerUnit);
            ticks = checked(ticks + DateTimeOffset.UnixEpoch.Ticks);
        }
        catch (OverflowException)
        {
            return $"timestamp: '{ImportText.Show(token)}' is out of range";
        }
        if (ticks < 0 || ticks > DateTimeOffset.MaxValue.Ticks)
            return $"timestamp: '{ImportText.Show(token)}' is out of range";
        timestamp = new DateTimeOffset(ticks, TimeSpan.Zero);
        return timestamp < ReadingInstants.Earliest ? $"timestamp: '{ImportText.Show(token)}' {ReadingInstants.TooEarly}" : null;
    }

    /// <summary>Reads a measurement, tag key/value or field key up to an unescaped comma or space (and equals
    /// sign when <paramref name="stopAtEquals"/>). A backslash escapes a following comma, space, equals sign or
    /// backslash; before any other character it is literal.</summary>
    private static string ReadKey(ReadOnlySpan<char> s, ref int p, bool stopAtEquals)
    {
        int start = p;
        StringBuilder? sb = null;
        while (p < s.Length)
        {
            char c = s[p];
            if (c == ',' || c == ' ' || (stopAtEquals && c == '='))
                break;
            if (c == '\\' && p + 1 < s.Length && s[p + 1] is ',' or ' ' or '=' or '\\')
            {
                sb ??= new StringBuilder().Append(s[start..p]);
                sb.Append(s[p + 1]);
                p += 2;
                continue;
            }
            sb?.Append(c);
            p++;
        }
        return sb?.ToString() ?? s[start..p].ToString();
    }

    /// <summary>Skips a double-quoted string field after its opening quote (<c>\"</c> and <c>\\</c> escaped).</summary>
    private static bool SkipString(ReadOnlySpan<char> s, ref int p)
    {
        while (p < s.Length)
        {
            char c = s[p++];
            if (c == '\\' && p < s.Length)
                p++;
            else if (c == '"')
                return true;
        }
        return false;
    }
}
