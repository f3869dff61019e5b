using System.Data.Common;
using System.Globalization;
using Dapper;
using ZeroPark.Domain;
using ZeroPark.Metering;

namespace ZeroPark.Application;

/// <summary>What a series query is about: one meter (physical or virtual), or a sum over a node — a space (park when
/// null), optionally narrowed to a system subtree or a KPI role, for one carrier.</summary>
public abstract record SeriesTarget
{
    public sealed record MeterTarget(string Code) : SeriesTarget;

    public sealed record NodeTarget(string? SpaceCode, string? SystemCode, MeterRole? Role, Carrier Carrier) : SeriesTarget;

    public static SeriesTarget Meter(string code) => new MeterTarget(code);

    public static SeriesTarget Node(string? space = null, string? system = null, MeterRole? role = null, Carrier carrier = Carrier.Electricity) =>
        new NodeTarget(space, system, role, carrier);
}

/// <summary>Data quality of a bucket: readings received vs expected, flagged (not summed) and estimated readings.
/// <see cref="Completeness"/> is received ÷ expected, capped at 1.</summary>
public sealed record BucketQuality(int Received, int Expected, int Flagged, int Estimated)
{
    public double Completeness => Expected == 0 ? 1 : Math.Min(1.0, (double)Received / Expected);

    /// <summary>good (complete, nothing flagged or estimated), estimated, flagged, partial or missing.</summary>
    public string Label => Received == 0 ? "missing"
        : Received < Expected ? "partial"
        : Flagged > 0 ? "flagged"
        : Estimated > 0 ? "estimated"
        : "good";
}

/// <summary>One bucket [Start, End) of a series in the park's local time. Value is null when no reading covers it.</summary>
public sealed record SeriesBucket(DateTimeOffset Start, DateTimeOffset End, double? Value, BucketQuality Quality);

public sealed record SeriesResult(string Target, string Unit, Granularity Granularity, IReadOnlyList<SeriesBucket> Buckets)
{
    /// <summary>A non-additive series (power and gauge meters: kW, °C, %): each bucket is an average, never a sum.</summary>
    public bool IsAverage { get; init; }

    /// <summary>The sum of the buckets; for an average series the mean over the range, weighted by the readings of each bucket
    /// (never a sum of averages).</summary>
    public double Total => IsAverage ? WeightedMean() : Buckets.Sum(b => b.Value ?? 0);

    private double WeightedMean()
    {
        double sum = 0, n = 0;
        foreach (var b in Buckets)
        {
            if (b.Value is not { } v) continue;
            var w = Math.Max(1, b.Quality.Received - b.Quality.Flagged);
            sum += v * w;
            n += w;
        }
        return n == 0 ? 0 : sum / n;
    }
}

public sealed record Gap(DateTimeOffset Start, DateTimeOffset End);

public sealed record FlaggedReading(DateTimeOffset Timestamp, double Value, string Flags);

/// <summary>Data-quality report of one meter over a local-date range.</summary>
public sealed record MeterQuality(string Meter, string Name, int Expected, int Received, double CompletenessPercent, int Flagged, int Estimated,
    IReadOnlyList<Gap>? Gaps, IReadOnlyList<FlaggedReading>? FlaggedReadings, DateTimeOffset? LastReadingAt, double? LastValue);

public sealed record LatestReading(string Meter, DateTimeOffset At, double Value);

public sealed record MeterTotal(string Meter, string Name, double Value, string Unit);

/// <summary>One additive change to a rollup row.</summary>
public readonly record struct RollupRow(long Series, long Bucket, double Sum, int N, int NFlag, int NEst);

/// <summary>What the store keeps per meter so that in-order data needs no reading lookups.</summary>
public readonly record struct MeterState(long MeterId, StoredReading Last, StoredReading? Base);

/// <summary>A cumulative register's drop awaiting confirmation: the reading at <see cref="At"/> (value <see cref="Value"/>)
/// is below <see cref="PreviousValue"/>, the last valid reading before it within 7 days (null when there is none).
/// <see cref="Suspected"/> is <c>reset</c> (the register stayed low) or <c>bad_reading</c> (the next reading came back to at
/// least <see cref="PreviousValue"/>: a one-off glitch, already left out of the sums).</summary>
public sealed record ResetSuspect(string Meter, string Name, DateTimeOffset At, double Value, double? PreviousValue, string Suspected = "reset");

/// <summary>How a person resolves a suspected reset.</summary>
public enum ResetResolution
{
    /// <summary>The register restarted from zero: the interval's energy is the new value.</summary>
    Reset,
    /// <summary>The meter was swapped: recorded as a replacement (old final value given, or the previous value: no energy).</summary>
    Replacement,
    /// <summary>The reading is wrong: not summed, never a base; later readings count from the reading before it.</summary>
    BadReading,
}

/// <summary>What <see cref="Readings.ReadingStore.RecomputeReadingsAsync"/> did to one meter: how many stored readings changed.</summary>
public sealed record RecomputeResult(string Meter, int Changed);

/// <summary>What <see cref="Readings.ReadingStore.VoidReadingsAsync"/> removed: the meter, how many readings and the first and last of them.</summary>
public sealed record VoidResult(string Meter, int Voided, DateTimeOffset? First, DateTimeOffset? Last, int Recomputed);
