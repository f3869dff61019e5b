using System.Globalization;
using ZeroPark.Metering;

namespace ZeroPark.Application.Readings.Import;

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
