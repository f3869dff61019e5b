using System.Globalization;
using ZeroPark.Domain;

namespace ZeroPark.Metering;

/// <summary>
/// A pre-aggregated series maintained on ingest so dashboards never scan meters: the sum over all meters of one
/// carrier attached to a park (<see cref="SpaceId"/> null) or a building, restricted to a system subtree or to a
/// KPI role. System sums include only summable meters (<see cref="Meter.IsSummable"/>); role sums include every
/// meter with that role.
/// </summary>
public sealed record AggregateSpec(SpaceId? SpaceId, string? SystemCode, MeterRole? Role, Carrier Carrier)
{
    public string Key => string.Create(CultureInfo.InvariantCulture,
        $"{(SystemCode is null ? "role:" + Codes.Of(Role!.Value) : "sys:" + SystemCode)}|sp:{SpaceId?.Value.ToString(CultureInfo.InvariantCulture) ?? "park"}|c:{Codes.Of(Carrier)}");
}

public static class AggregateRules
{
    /// <summary>System code of the aggregate over every summable meter, whatever its system.</summary>
    public const string AllSystems = "*";

    /// <summary>The aggregates a meter contributes to. <paramref name="building"/> is the building that contains the
    /// meter's space, if any. Virtual and power meters contribute to none (virtual meters are added at query time;
    /// power is not additive over time).</summary>
    public static IReadOnlyList<AggregateSpec> For(Meter meter, SpaceId? building)
    {
        if (meter.IsVirtual || meter.IsInstantaneous) return [];
        var list = new List<AggregateSpec>();
        SpaceId?[] spaces = building is null ? [null] : [null, building];
        foreach (var s in spaces)
        {
            if (meter.IsSummable && meter.SystemCode is { } sys)
            {
                foreach (var node in SystemTaxonomy.SelfAndAncestors(sys))
                    list.Add(new AggregateSpec(s, node, null, meter.Carrier));
            }
            if (meter.IsSummable)
                list.Add(new AggregateSpec(s, AllSystems, null, meter.Carrier));
            if (meter.Role != MeterRole.Submeter)
                list.Add(new AggregateSpec(s, null, meter.Role, meter.Carrier));
        }
        return list;
    }
}
