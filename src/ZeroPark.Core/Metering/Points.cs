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

/// <summary>
/// The instants ZeroPark stores readings at: from <see cref="Earliest"/> (2000-01-01T00:00:00Z) on. Reading chunks encode
/// instants as Unix seconds counted up from 0 and hour blocks as Unix hours, so nothing at or before 1970 can be stored; a
/// data center park has no meaningful readings before 2000, and the usual garbage instants (Unix 0, Excel serial 0/1,
/// 0001-01-01) are far before it. Every parser and the store refuse an earlier instant with a reason like any other bad row.
/// </summary>
public static class ReadingInstants
{
    public static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Why an instant before <see cref="Earliest"/> is refused.</summary>
    public const string TooEarly = "is before 2000-01-01T00:00:00Z, the earliest instant ZeroPark stores";

    /// <summary>Null when <paramref name="at"/> can be stored, else why not (without a field name).</summary>
    public static string? Problem(DateTimeOffset at) =>
        at < Earliest
            ? $"{at.ToString("yyyy-MM-dd'T'HH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture)} {TooEarly}"
            : null;
}
