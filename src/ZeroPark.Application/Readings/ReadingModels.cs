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
    public double Total => Buckets.Sum(b => b.Value ?? 0);
}

public sealed record Gap(DateTimeOffset Start, DateTimeOffset End);

public sealed record FlaggedReading(DateTimeOffset Timestamp, double Value, string Flags);

/// <summary>Data-quality report of one meter over a local-date range.</summary>
public sealed record MeterQuality(string Meter, string Name, int Expected, int Received, double CompletenessPercent, int Flagged, int Estimated,
    IReadOnlyList<Gap>? Gaps, IReadOnlyList<FlaggedReading>? FlaggedReadings, DateTimeOffset? LastReadingAt, double? LastValue);

public sealed record LatestReading(string Meter, DateTimeOffset At, double Value);

public sealed record MeterTotal(string Meter, string Name, double Value, string Unit);

