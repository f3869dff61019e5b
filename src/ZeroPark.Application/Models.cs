using ZeroPark.Domain;
using ZeroPark.Metering;

namespace ZeroPark.Application;

/// <summary>Fields to create or update a park.</summary>
public sealed record ParkDraft(string Code, string Name, string TimeZone = "Asia/Shanghai")
{
    public string ClimateZone { get; init; } = "other";
    public string? GridRegion { get; init; }
    public string? Province { get; init; }
    public DateOnly? CommissioningDate { get; init; }
    public double? DesignItKw { get; init; }
    public int? RacksTotal { get; init; }
    public int? RacksInUse { get; init; }
}

/// <summary>Fields to create a space node; <see cref="ParentCode"/> null creates a building.</summary>
public sealed record SpaceDraft(string Code, string Name, string? ParentCode, string? Level = null);

/// <summary>Fields to create or update a meter. Codes name the space and system nodes.</summary>
public sealed record MeterDraft(string Code, string Name, string Carrier, string Kind, string Unit)
{
    public double? RegisterMax { get; init; }
    public double Multiplier { get; init; } = 1.0;
    public int IntervalMinutes { get; init; } = 15;
    public double? MaxRatePerHour { get; init; }
    public string? SpaceCode { get; init; }
    public string? SystemCode { get; init; }
    public string? Device { get; init; }
    public string Role { get; init; } = "submeter";
    public string? Formula { get; init; }
    /// <summary>Cumulative meters: a drop is a normal reset from zero, counted as the new value (no confirmation asked).</summary>
    public bool ResetsNormal { get; init; }
}

/// <summary>Where a batch comes from, for the ingest log and the audit trail of corrections.</summary>
public sealed record IngestSource(string Kind, string User)
{
    public string? Reason { get; init; }
    public string? BatchKey { get; init; }
    /// <summary>Flags given to every point of the batch (Manual for manual entry, Estimated for fills).</summary>
    public ReadingFlags Flags { get; init; }

    public static IngestSource File(string path, string user) => new("file", user) { BatchKey = path };
}

/// <summary>Outcome of one point of a batch, named by its source line (or index + 1).</summary>
public sealed record PointStatus(int Line, string Meter, DateTimeOffset? Timestamp, string Outcome, string? Reason, double? PreviousValue);

/// <summary>Summary of an ingest: counts, and every rejected row with its line and reason.</summary>
public sealed record IngestSummary(int Accepted, int Duplicates, int Corrected, IReadOnlyList<RowError> Rejected)
{
    /// <summary>Per-point outcomes (filled when the caller asks for them; files report only rejections).</summary>
    public IReadOnlyList<PointStatus>? Points { get; init; }
    public static IngestSummary Empty => new(0, 0, 0, []);
}

/// <summary>An audit log entry.</summary>
/// <summary>A gateway API key of a park as listed: the key itself is shown once, when created, and never stored.</summary>
public sealed record ApiKeyInfo(long Id, string Name, DateTimeOffset CreatedAt);

public sealed record AuditEntry(long Id, DateTimeOffset At, string? Park, string User, string Action, string Entity, string EntityKey, string? Reason, string? OldValue, string? NewValue);
