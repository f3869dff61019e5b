using ZeroPark.Domain;
using ZeroPark.EnergyManagement;

namespace ZeroPark.Application.EnergyManagement;


/// <summary>How KPI, breakdown and flow periods are cut: local days, local months, local years (each cut by the range), or
/// one bucket for the whole range.</summary>
public enum EnergyBucketing
{
    Day,
    Month,
    Year,
    Total,
}

public static class EnergyBuckets
{
    /// <summary>Parses day | month | year | total; anything else is a <see cref="ValidationException"/> on <paramref name="field"/>.</summary>
    public static EnergyBucketing Parse(string? value, string field = "by") => (value ?? "").Trim().ToLowerInvariant() switch
    {
        "day" => EnergyBucketing.Day,
        "month" => EnergyBucketing.Month,
        "year" => EnergyBucketing.Year,
        "total" => EnergyBucketing.Total,
        _ => throw new ValidationException(field, $"'{field}': '{value}' is not one of day, month, year, total"),
    };

    public static string Name(EnergyBucketing b) => b.ToString().ToLowerInvariant();
}

/// <summary>Readings received vs expected for one input of a bucket (all meters of the input together).</summary>
public sealed record InputQuality(string Input, int Received, int Expected)
{
    /// <summary>Received ÷ expected, 0–1, capped at 1; 1 when nothing is expected.</summary>
    public double Completeness => Expected == 0 ? 1 : Math.Min(1.0, (double)Received / Expected);
}

/// <summary>The measurement boundary of the KPIs: which meters define E_DC and E_IT (ISO/IEC 30134-2 asks for it to be stated).</summary>
public sealed record KpiBoundary(string Total, string It, IReadOnlyList<string> FacilityInputMeters, IReadOnlyList<string> RenewableOnsiteMeters,
    IReadOnlyList<string> ExportMeters, int ItMeters);

/// <summary>The KPIs of one node over one local-time bucket [Start, End).</summary>
/// <param name="Completeness">The smallest completeness (0–1) among the inputs the KPIs use.</param>
/// <param name="Quality">Completeness of each input that has meters.</param>
/// <param name="Notes">Why a KPI is null, what is doubtful about a value (data gaps, an open balance, …), as "kpi: message".</param>
public sealed record KpiRow(DateTimeOffset Start, DateTimeOffset End, string Node, KpiResult Kpis, double Completeness,
    IReadOnlyList<InputQuality> Quality, IReadOnlyList<string> Notes, KpiBoundary Boundary);

/// <summary>Energy of one system node (top level or one level below) in a bucket; null when it has no reading.</summary>
public sealed record SystemEnergy(string Code, string NameZh, string NameEn, string? Parent, Energy? Energy);

/// <summary>The split of a node's energy into IT, cooling, power losses, auxiliary and the unmetered remainder for one bucket.
/// Total is E_DC (grid + on-site renewable − export); the remainder is Total − IT − cooling − power − aux.</summary>
public sealed record BreakdownRow(DateTimeOffset Start, DateTimeOffset End, string Node, Energy? Total, Energy? It, Energy? Cooling, Energy? Power,
    Energy? Aux, Energy? Unmetered, IReadOnlyList<SystemEnergy> Systems, double Completeness, IReadOnlyList<string> Notes);

/// <summary>A node of the energy-flow (Sankey) diagram. Kind: source, hub, load, loss, export or unmetered.</summary>
public sealed record FlowNode(string Id, string NameZh, string NameEn, string Kind, Energy Energy);

public sealed record FlowLink(string Source, string Target, Energy Energy);

/// <summary>Energy flow of a node over one bucket: grid incoming lines and on-site renewable → power distribution → IT,
/// cooling, auxiliary, power losses (transformer, UPS, HVDC, other), export; cooling and auxiliary split by equipment type.
/// Every hub balances: what the meters do not explain is an explicit <c>unmetered</c> sink (or an <c>unmetered_supply</c>
/// source when the loads add up to more than the inputs).</summary>
public sealed record EnergyFlow(DateTimeOffset Start, DateTimeOffset End, string Node, IReadOnlyList<FlowNode> Nodes, IReadOnlyList<FlowLink> Links,
    Energy? Input, Energy? Metered, Energy? Unmetered, bool? Balanced, double Completeness, IReadOnlyList<string> Notes)
{
    /// <summary><c>electricity</c> or <c>heat</c> (kWh thermal; <see cref="EnergyService.HeatFlowAsync"/>).</summary>
    public string Carrier { get; init; } = "electricity";
}

/// <summary>A node of the water-flow diagram (m³). Kind: source, hub, load or unmetered.</summary>
public sealed record WaterFlowNode(string Id, string NameZh, string NameEn, string Kind, Volume Volume);

public sealed record WaterFlowLink(string Source, string Target, Volume Volume);

/// <summary>Water flow of a node over one bucket (<see cref="EnergyService.WaterFlowAsync"/>): water_input meters → site water →
/// uses by system, balanced by an explicit unmetered remainder.</summary>
public sealed record WaterFlow(DateTimeOffset Start, DateTimeOffset End, string Node, IReadOnlyList<WaterFlowNode> Nodes, IReadOnlyList<WaterFlowLink> Links,
    Volume? Input, Volume? Metered, Volume? Unmetered, bool? Balanced, double Completeness, IReadOnlyList<string> Notes);
