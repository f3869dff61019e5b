namespace ZeroPark.Domain;

/// <summary>Climate zone used by T/CA305-2023 (严寒 / 寒冷 / 其他).</summary>
public enum ClimateZone
{
    /// <summary>严寒地区 (severe cold).</summary>
    SevereCold,
    /// <summary>寒冷地区 (cold).</summary>
    Cold,
    /// <summary>其他地区 (other).</summary>
    Other,
}

/// <summary>A data center park. <see cref="TimeZoneId"/> is an IANA id; every day/month/year boundary of the
/// park is taken in that zone.</summary>
public sealed record Park
{
    public required ParkId Id { get; init; }
    public required string Code { get; init; }
    public required string Name { get; init; }
    public string TimeZoneId { get; init; } = "Asia/Shanghai";
    public ClimateZone ClimateZone { get; init; } = ClimateZone.Other;
    /// <summary>Grid region (e.g. 华东) used to choose electricity emission factors.</summary>
    public string? GridRegion { get; init; }
    /// <summary>Province (e.g. 上海) used to choose provincial electricity emission factors.</summary>
    public string? Province { get; init; }
    public DateOnly? CommissioningDate { get; init; }
    /// <summary>Design IT capacity in kW.</summary>
    public Power? DesignItCapacity { get; init; }
    public int? RacksTotal { get; init; }
    public int? RacksInUse { get; init; }

    public ParkClock Clock => ParkClock.For(TimeZoneId);

    public static string ClimateZoneCode(ClimateZone z) => z switch
    {
        ClimateZone.SevereCold => "severe_cold",
        ClimateZone.Cold => "cold",
        _ => "other",
    };

    public static ClimateZone ParseClimateZone(string? s) => (s ?? "").Trim() switch
    {
        "severe_cold" or "严寒" => ClimateZone.SevereCold,
        "cold" or "寒冷" => ClimateZone.Cold,
        "" or "other" or "其他" => ClimateZone.Other,
        var x => throw new ArgumentException($"unknown climate zone '{x}' (expected severe_cold|cold|other or 严寒|寒冷|其他)"),
    };
}

/// <summary>Level of a node in the space hierarchy park → building → floor → room (module/包间) → rack.</summary>
public enum SpaceLevel
{
    Building = 1,
    Floor = 2,
    Room = 3,
    Rack = 4,
}

/// <summary>A space node below the park. <see cref="ParentId"/> is null for buildings.</summary>
public sealed record Space
{
    public required SpaceId Id { get; init; }
    public required ParkId ParkId { get; init; }
    public SpaceId? ParentId { get; init; }
    public required SpaceLevel Level { get; init; }
    public required string Code { get; init; }
    public required string Name { get; init; }

    public static string LevelCode(SpaceLevel l) => l.ToString().ToLowerInvariant();

    public static SpaceLevel ParseLevel(string s) => s.Trim().ToLowerInvariant() switch
    {
        "building" or "楼栋" => SpaceLevel.Building,
        "floor" or "楼层" => SpaceLevel.Floor,
        "room" or "module" or "机房" or "包间" => SpaceLevel.Room,
        "rack" or "机柜" => SpaceLevel.Rack,
        var x => throw new ArgumentException($"unknown space level '{x}' (expected building|floor|room|rack)"),
    };

    /// <summary>The level a child of a node at <paramref name="parent"/> must have (null parent = building).</summary>
    public static SpaceLevel ChildLevel(SpaceLevel? parent) => parent switch
    {
        null => SpaceLevel.Building,
        SpaceLevel.Building => SpaceLevel.Floor,
        SpaceLevel.Floor => SpaceLevel.Room,
        SpaceLevel.Room => SpaceLevel.Rack,
        _ => throw new ArgumentException("a rack has no children"),
    };
}
