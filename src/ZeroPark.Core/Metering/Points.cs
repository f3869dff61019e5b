namespace ZeroPark.Metering;

/// <summary>
/// One reading as it arrives from a file, a gateway or a person, before the meter code is resolved.
/// <para><see cref="Timestamp"/> is the instant of a cumulative register value, or the end of the interval an
/// interval value covers (the interval is [Timestamp − meter interval, Timestamp)).</para>
/// <para><see cref="Line"/> is the 1-based source line (file row, line-protocol line, or JSON array index + 1).</para>
/// </summary>
public readonly record struct RawPoint(string MeterCode, DateTimeOffset Timestamp, double Value, int Line)
{
    /// <summary>Optional explicit interval start (files with start and end columns); null = the meter's interval.</summary>
    public DateTimeOffset? IntervalStart { get; init; }
}

/// <summary>A row that could not be read, with the reason (naming the field). Other rows are unaffected.</summary>
public sealed record RowError(int Line, string Reason);

/// <summary>Result of parsing a source: the points read and the rows rejected while parsing.</summary>
public sealed record ParseResult(IReadOnlyList<RawPoint> Points, IReadOnlyList<RowError> Errors);
