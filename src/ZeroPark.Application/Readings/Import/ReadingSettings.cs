using System.Text;

namespace ZeroPark.Application.Readings.Import;

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
