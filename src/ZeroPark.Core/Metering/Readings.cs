namespace ZeroPark.Metering;

/// <summary>Quality flags of a stored reading. Readings flagged <see cref="Excluded"/> keep their raw value but
/// contribute nothing to sums; they are reported in data-quality results.</summary>
[Flags]
public enum ReadingFlags
{
    None = 0,
    /// <summary>The register wrapped at its maximum; the delta includes the wrap.</summary>
    Rollover = 1,
    /// <summary>The register went backwards (or an interval value was negative): not summed.</summary>
    Negative = 2,
    /// <summary>The delta exceeds the meter's plausible rate: not summed.</summary>
    Jump = 4,
    /// <summary>The interval before this reading is longer than the meter's nominal interval (data missing).</summary>
    Gap = 8,
    /// <summary>Meter replacement: the delta is old meter's final reading − base; later deltas use the new meter.</summary>
    Replacement = 16,
    /// <summary>Not measured: written by gap filling (linear). Superseded by a real reading for the same instant.</summary>
    Estimated = 32,
    /// <summary>Entered by a person through manual entry.</summary>
    Manual = 64,
    /// <summary>First reading of a cumulative register: the baseline, no delta.</summary>
    First = 128,
    /// <summary>The cumulative register dropped (no rollover, no recorded replacement): the energy of this interval is
    /// unknown (delta 0, not summed) until a person confirms what happened; later deltas count from this value.</summary>
    SuspectedReset = 256,
    /// <summary>A drop counted as a reset from zero: the delta is the new value (confirmed by a person, or automatic on
    /// a meter whose resets are normal). Later deltas count from this value.</summary>
    Reset = 512,
    /// <summary>Source flag: a person confirmed this drop as a reset from zero.</summary>
    ResetConfirmed = 1024,
    /// <summary>Source flag: a person confirmed this reading as bad: not summed and never a base.</summary>
    BadReading = 2048,
    /// <summary>A drop that the very next reading undid: the register came back to at least the value before the drop at a
    /// plausible rate (a one-off glitch). Not summed, never a base (the next reading counts from the value before the drop),
    /// listed for confirmation like a suspected reset.</summary>
    SuspectedBadReading = 4096,

    /// <summary>Not summed (delta 0) and counted as flagged.</summary>
    Excluded = Negative | Jump | SuspectedReset | BadReading | SuspectedBadReading,
    /// <summary>Never the base of a later delta.</summary>
    NotABase = Negative | Jump | BadReading | SuspectedBadReading,
    /// <summary>Listed for a person's confirmation.</summary>
    Suspect = SuspectedReset | SuspectedBadReading,
}

/// <summary>
/// A reading as stored. <see cref="Ts"/> is Unix seconds (UTC). <see cref="Value"/> is the raw value as the meter
/// reported it (register value, interval quantity or power) in the meter's unit before the multiplier.
/// <see cref="Delta"/> is the quantity attributed to the interval ending at <see cref="Ts"/> in the carrier's
/// canonical unit (kW for power meters); zero when <see cref="ReadingFlags.Excluded"/> or <see cref="ReadingFlags.First"/>.
/// <see cref="OldFinal"/> is set only on a replacement: the old meter's final register value.
/// </summary>
public readonly record struct StoredReading(long Ts, double Value, double Delta, ReadingFlags Flags, double? OldFinal = null)
{
    public bool IsExcluded => (Flags & ReadingFlags.Excluded) != 0;

    /// <summary>A reading whose register value can be the base of the next delta (a suspected reset is one: later
    /// deltas count from the value the register dropped to).</summary>
    public bool IsValidBase => (Flags & ReadingFlags.NotABase) == 0;
}

/// <summary>An incoming point for a resolved meter. <see cref="Flags"/> carries source flags (Manual, Estimated).</summary>
public readonly record struct MeterPoint(long Ts, double Value, int Index, ReadingFlags Flags = ReadingFlags.None, double? OldFinal = null);

/// <summary>What happened to one incoming point.</summary>
public enum PointOutcome
{
    Accepted,
    Duplicate,
    Corrected,
    Rejected,
}

/// <summary>Outcome of one incoming point; <see cref="Index"/> is the point's index in its batch.</summary>
public readonly record struct PointResult(int Index, PointOutcome Outcome, string? Reason = null, double? PreviousValue = null);

/// <summary>What the store knows about a meter around the instants of a batch.</summary>
/// <param name="Before">The last reading before the batch's first instant (any quality), or null.</param>
/// <param name="BaseBefore">The last reading before the batch's first instant that can serve as a register base.</param>
/// <param name="Existing">Stored readings from the batch's first instant on, in time order: every stored reading up
/// to the batch's last instant, then at least the readings after it up to and including the first valid base.</param>
/// <param name="ReachesEnd">True when <paramref name="Existing"/> includes the meter's last stored reading.</param>
public sealed record MeterContext(StoredReading? Before, StoredReading? BaseBefore, IReadOnlyList<StoredReading> Existing, bool ReachesEnd)
{
    public static readonly MeterContext Empty = new(null, null, [], true);
}

/// <summary>One change to a rollup caused by a reading: <see cref="Ts"/> is the reading's instant (its interval
/// ends there; the bucket is the one containing Ts − 1 s).</summary>
public readonly record struct RollupChange(long Ts, double Sum, int Count, int Flagged, int Estimated);

/// <summary>The writes one meter's batch produces.</summary>
public sealed class MeterBatchResult(int capacity = 0)
{
    private List<PointResult>? _results;
    private IReadOnlyList<MeterPoint>? _allAccepted;

    /// <summary>The outcome of every point, in the order the points were processed.</summary>
    public List<PointResult> Results => _results ??= _allAccepted is { } pts
        ? [.. pts.Select(p => new PointResult(p.Index, PointOutcome.Accepted))]
        : new List<PointResult>(capacity);

    /// <summary>Set when every point of the batch was accepted (the engine's append path): then <see cref="Results"/> is
    /// built only when asked for, and callers that only count can use <see cref="AcceptedPoints"/>.</summary>
    public IReadOnlyList<MeterPoint>? AcceptedPoints => _results is null ? _allAccepted : null;

    internal void AcceptAll(IReadOnlyList<MeterPoint> points) => _allAccepted = points;
    /// <summary>New readings (no stored row at that instant).</summary>
    public List<StoredReading> Inserts { get; } = new(capacity);
    /// <summary>Stored readings whose value, delta or flags changed.</summary>
    public List<StoredReading> Updates { get; } = [];
    public List<RollupChange> Rollups { get; } = new(capacity);
    /// <summary>Corrections: (ts, previous value, new value) for the audit log.</summary>
    public List<(long Ts, double Old, double New)> Corrections { get; } = [];
    /// <summary>True when recomputation changed the validity of the last loaded reading and the context did not
    /// reach the end: the caller must load more readings after it and run again.</summary>
    public bool NeedsMoreTail { get; set; }
}
