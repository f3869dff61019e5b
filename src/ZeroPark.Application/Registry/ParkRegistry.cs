using ZeroPark.Domain;

namespace ZeroPark.Application;

/// <summary>Meters numbered densely: <see cref="Meters"/>[i] has code <c>c</c> where <see cref="ByCode"/>[c] = i.</summary>
internal sealed class MeterSlots(Meter[] meters)
{
    public Meter[] Meters { get; } = meters;
    public Dictionary<string, int> ByCode { get; } = meters.Select((m, i) => (m.Code, i)).ToDictionary(x => x.Code, x => x.i, StringComparer.OrdinalIgnoreCase);
}

/// <summary>A park's registry as loaded in memory: spaces, meters and the aggregate series of each meter.</summary>
public sealed class ParkRegistry
{
    /// <summary>The park's registry version when this was loaded.</summary>
    public required long Version { get; init; }
    public required Park Park { get; init; }
    public required IReadOnlyDictionary<long, Space> SpacesById { get; init; }
    public required IReadOnlyDictionary<string, Space> SpacesByCode { get; init; }
    public required IReadOnlyDictionary<string, Meter> MetersByCode { get; init; }
    public required IReadOnlyDictionary<long, Meter> MetersById { get; init; }
    /// <summary>Aggregate id (positive) by aggregate key.</summary>
    public required IReadOnlyDictionary<string, long> AggregateIds { get; init; }
    /// <summary>For each physical meter, the rollup series ids it feeds: its own id, then −aggregate id for each aggregate.</summary>
    public required IReadOnlyDictionary<long, long[]> SeriesOfMeter { get; init; }
    public ParkClock Clock => Park.Clock;

    private MeterSlots? _slots;

    /// <summary>The park's meters numbered 0..n−1 (for per-batch arrays indexed by meter), and each code's number.
    /// Built on first use; two threads racing build equal tables, either may win.</summary>
    internal MeterSlots Slots => _slots ??= new MeterSlots([.. MetersByCode.Values]);

    /// <summary>The building containing the space (or the space itself if it is a building).</summary>
    public Space? BuildingOf(SpaceId? id)
    {
        for (var s = id is { } v && SpacesById.TryGetValue(v.Value, out var x) ? x : null; s is not null;
             s = s.ParentId is { } p && SpacesById.TryGetValue(p.Value, out var y) ? y : null)
        {
            if (s.Level == SpaceLevel.Building) return s;
        }
        return null;
    }

    /// <summary>True when space <paramref name="id"/> is <paramref name="ancestor"/> or below it.</summary>
    public bool IsUnder(SpaceId? id, SpaceId ancestor)
    {
        for (var s = id is { } v && SpacesById.TryGetValue(v.Value, out var x) ? x : null; s is not null;
             s = s.ParentId is { } p && SpacesById.TryGetValue(p.Value, out var y) ? y : null)
        {
            if (s.Id == ancestor) return true;
        }
        return false;
    }

    public Meter Meter(string code) =>
        MetersByCode.TryGetValue(code, out var m) ? m : throw new NotFoundException($"meter '{code}' not found in park '{Park.Code}'");
}
