using System.Text.Json;
using System.Text.Json.Serialization;
using ZeroPark.Domain;
using ZeroPark.Metering;
using ZeroPark.Application;

namespace ZeroPark.Server.Endpoints;

// Wire shapes of the API (snake_case through the host's JSON options). Request bodies use nullable members so that a
// missing field reaches the store's validation and comes back as a 400 naming it.

/// <summary>A park, as sent and returned. <c>timezone</c> is an IANA id (default Asia/Shanghai); <c>climate_zone</c> is
/// severe_cold, cold or other.</summary>
public sealed record ParkDto
{
    public string? Code { get; init; }
    public string? Name { get; init; }
    public string? Timezone { get; init; }
    public string? ClimateZone { get; init; }
    public string? GridRegion { get; init; }
    public string? Province { get; init; }
    public DateOnly? CommissioningDate { get; init; }
    public double? DesignItKw { get; init; }
    public int? RacksTotal { get; init; }
    public int? RacksInUse { get; init; }

    public static ParkDto From(Park p) => new()
    {
        Code = p.Code, Name = p.Name, Timezone = p.TimeZoneId, ClimateZone = Park.ClimateZoneCode(p.ClimateZone), GridRegion = p.GridRegion,
        Province = p.Province, CommissioningDate = p.CommissioningDate, DesignItKw = p.DesignItCapacity?.Kilowatts, RacksTotal = p.RacksTotal,
        RacksInUse = p.RacksInUse,
    };

    public ParkDraft ToDraft(string code) => new(code, Name ?? "", Timezone ?? "Asia/Shanghai")
    {
        ClimateZone = ClimateZone ?? "other", GridRegion = GridRegion, Province = Province, CommissioningDate = CommissioningDate,
        DesignItKw = DesignItKw, RacksTotal = RacksTotal, RacksInUse = RacksInUse,
    };
}

/// <summary>A space node. <c>parent</c> null = a building; <c>level</c> is optional and checked against the parent.</summary>
public sealed record SpaceDto
{
    public string? Code { get; init; }
    public string? Name { get; init; }
    public string? Parent { get; init; }
    public string? Level { get; init; }

    public static SpaceDto From(Space s, ParkRegistry reg) => new()
    {
        Code = s.Code, Name = s.Name, Level = Space.LevelCode(s.Level),
        Parent = s.ParentId is { } p && reg.SpacesById.TryGetValue(p.Value, out var parent) ? parent.Code : null,
    };
}

/// <summary>A meter as sent (POST, PUT). <c>space</c> and <c>system</c> are codes; <c>formula</c> makes it virtual.</summary>
public sealed record MeterDto
{
    public string? Code { get; init; }
    public string? Name { get; init; }
    public string? Carrier { get; init; }
    public string? Kind { get; init; }
    public string? Unit { get; init; }
    public double? RegisterMax { get; init; }
    public double? Multiplier { get; init; }
    public int? IntervalMinutes { get; init; }
    public double? MaxRate { get; init; }
    public string? Space { get; init; }
    public string? System { get; init; }
    public string? Device { get; init; }
    public string? Role { get; init; }
    public string? Formula { get; init; }
    /// <summary>Cumulative meters: a drop is a normal reset from zero (counted as the new value), not a suspected reset.</summary>
    public bool? ResetsNormal { get; init; }

    public static MeterDto From(Meter m, ParkRegistry reg) => new()
    {
        Code = m.Code, Name = m.Name, Carrier = Codes.Of(m.Carrier), Kind = Codes.Of(m.Kind), Unit = m.Unit, RegisterMax = m.RegisterMax,
        Multiplier = m.Multiplier, IntervalMinutes = (int)m.Interval.TotalMinutes, MaxRate = m.MaxRatePerHour,
        Space = m.SpaceId is { } s && reg.SpacesById.TryGetValue(s.Value, out var space) ? space.Code : null,
        System = m.SystemCode, Device = m.Device, Role = Codes.Of(m.Role), Formula = m.Formula, ResetsNormal = m.ResetsNormal,
    };

    public MeterDraft ToDraft(string code) => new(code, Name ?? "", Carrier ?? "", Kind ?? "", Unit ?? "")
    {
        RegisterMax = RegisterMax, Multiplier = Multiplier ?? 1.0, IntervalMinutes = IntervalMinutes ?? 15, MaxRatePerHour = MaxRate,
        SpaceCode = Space, SystemCode = System, Device = Device, Role = string.IsNullOrWhiteSpace(Role) ? "submeter" : Role, Formula = Formula,
        ResetsNormal = ResetsNormal ?? false,
    };
}

/// <summary>A meter as returned: the stored fields plus the canonical unit its deltas and series are in.</summary>
public sealed record MeterView(
    string Code, string Name, string Carrier, string Kind, string Unit, double? RegisterMax, double Multiplier, int IntervalMinutes,
    double? MaxRate, string? Space, string? System, string? Device, string Role, string? Formula, string CanonicalUnit, bool Virtual, bool ResetsNormal)
{
    public static MeterView From(Meter m, ParkRegistry reg)
    {
        var d = MeterDto.From(m, reg);
        return new(m.Code, m.Name, d.Carrier!, d.Kind!, m.Unit, m.RegisterMax, m.Multiplier, d.IntervalMinutes!.Value, m.MaxRatePerHour, d.Space,
            m.SystemCode, m.Device, d.Role!, m.Formula, m.CanonicalUnit, m.IsVirtual, m.ResetsNormal);
    }
}

public sealed record ApiKeyRequest(string? Name);

/// <summary>A new API key. <c>key</c> is shown only in this response; only its hash is stored.</summary>
public sealed record ApiKeyCreated(string Park, string Name, string Key);

/// <summary>A gateway API key as listed (the key itself is shown once, when created).</summary>
public sealed record ApiKeyView(long Id, string Name, DateTimeOffset CreatedAt);

/// <summary>Manual entry of one reading by a person (API key required).</summary>
public sealed record ManualEntryRequest
{
    public string? Meter { get; init; }
    /// <summary>ISO 8601 with offset, or Unix seconds.</summary>
    public JsonElement? Ts { get; init; }
    public double? Value { get; init; }
    /// <summary>Ignored: the entry is recorded as made by the key (<c>key:&lt;name&gt;</c>); kept so gateways that send it are not refused.</summary>
    public string? User { get; init; }
    public string? Reason { get; init; }
}

/// <summary>A meter replacement: the old register's final value and the new register's initial value at <c>at</c>. The audit log
/// records the signed-in user (there is no <c>user</c> field).</summary>
/// <summary>POST …/meters/{code}/void: the readings with instants in [from, to] (one reading: <c>at</c>, or from = to), and why.</summary>
public sealed record VoidRequest
{
    public JsonElement? At { get; init; }
    public JsonElement? From { get; init; }
    public JsonElement? To { get; init; }
    public string? Reason { get; init; }
}

/// <summary>Confirms what a suspected reset was: <c>resolution</c> = reset, replacement (optional <c>old_final</c>) or bad_reading.</summary>
public sealed record ResetConfirmationRequest
{
    public JsonElement? At { get; init; }
    public string? Resolution { get; init; }
    public double? OldFinal { get; init; }
    public string? Reason { get; init; }
}

public sealed record ReplacementRequest
{
    public JsonElement? At { get; init; }
    public double? OldFinal { get; init; }
    public double? NewInitial { get; init; }
    public string? Reason { get; init; }
}

/// <summary>Outcome of one point: accepted, duplicate, corrected (with the previous value) or rejected (with the reason).</summary>
public sealed record PointView(int Line, string? Meter, DateTimeOffset? Ts, string Outcome, string? Reason, double? PreviousValue);

/// <summary>Result of an ingest: counts, every rejected line with its reason and, for gateway batches, each point's outcome.</summary>
public sealed record IngestResponse(int Accepted, int Duplicates, int Corrected, IReadOnlyList<RowError> Rejected)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<PointView>? Points { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? BatchId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? File { get; init; }

    /// <summary>Merges the store's summary with the rows the parser rejected (sorted by line).</summary>
    public static IngestResponse From(IngestSummary s, IReadOnlyList<RowError>? parseErrors = null, bool points = true)
    {
        parseErrors ??= [];
        var rejected = s.Rejected.Concat(parseErrors).OrderBy(e => e.Line).ToList();
        List<PointView>? list = null;
        if (points)
        {
            list = (s.Points ?? []).Select(p => new PointView(p.Line, p.Meter, p.Timestamp, p.Outcome, p.Reason, p.PreviousValue))
                .Concat(parseErrors.Select(e => new PointView(e.Line, null, null, "rejected", e.Reason, null)))
                .OrderBy(p => p.Line).ToList();
        }
        return new IngestResponse(s.Accepted, s.Duplicates, s.Corrected, rejected) { Points = list };
    }
}

/// <summary>The InfluxDB-compatible error body (<c>code</c>, <c>message</c>), plus what was stored and what was rejected.</summary>
public sealed record InfluxWriteError(string Code, string Message)
{
    /// <summary>InfluxDB 1.x clients read <c>error</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Accepted { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Duplicates { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Corrected { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<RowError>? Rejected { get; init; }
}

/// <summary>Documentation shape of the JSON batch accepted by <c>POST /api/parks/{park}/ingest</c>.</summary>
public sealed record JsonBatchDoc(string? BatchId, IReadOnlyList<JsonBatchPointDoc> Points);

/// <summary>One point of a JSON batch: <c>ts</c> is ISO 8601 with offset or Unix seconds; <c>start</c> (interval meters) is optional.</summary>
public sealed record JsonBatchPointDoc(string Meter, string Ts, double Value, string? Start);

public sealed record SystemView(string Code, string? Parent, string NameZh, string NameEn);

public sealed record CodesView(
    IReadOnlyList<string> Carriers, IReadOnlyList<string> Kinds, IReadOnlyList<string> Roles, IReadOnlyDictionary<string, string> CanonicalUnits,
    IReadOnlyList<string> ClimateZones, IReadOnlyList<string> SpaceLevels, IReadOnlyList<string> Granularities);

public sealed record QualityLabel(string Label, double Completeness, int Received, int Expected, int Flagged, int Estimated)
{
    public static QualityLabel From(BucketQuality q) => new(q.Label, q.Completeness, q.Received, q.Expected, q.Flagged, q.Estimated);
}

/// <summary>One bucket [start, end) in the park's local time; value null when no reading covers it.</summary>
public sealed record BucketView(DateTimeOffset Start, DateTimeOffset End, double? Value, string Unit, QualityLabel Quality);

public sealed record SeriesView(string Target, string Unit, string Granularity, IReadOnlyList<BucketView> Buckets, double Total);

public sealed record QualityView(string Park, DateOnly From, DateOnly To, IReadOnlyList<MeterQuality> Meters);
