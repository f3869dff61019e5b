using System.Text.Json;
using System.Text.Json.Serialization;

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
