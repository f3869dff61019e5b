namespace ZeroPark.Domain;

/// <summary>One node of the system taxonomy of the ODCC energy-carbon management whitepaper (§五(一)):
/// production systems (IT, cooling, power, auxiliary) and park systems. Codes are dotted paths,
/// e.g. <c>cooling.chiller</c> under <c>cooling</c>.</summary>
public sealed record SystemNode(string Code, string NameZh, string NameEn)
{
    /// <summary>The parent code, or null for a top-level system.</summary>
    public string? ParentCode => Code.Contains('.', StringComparison.Ordinal) ? Code[..Code.LastIndexOf('.')] : null;
    public string TopLevel => Code.Split('.')[0];
}

/// <summary>The fixed system taxonomy. Meters attach to any node; sums over a node include its descendants.</summary>
public static class SystemTaxonomy
{
    public static readonly IReadOnlyList<SystemNode> All =
    [
        new("it", "IT系统", "IT"),
        new("it.server", "服务器", "Servers"),
        new("it.storage", "存储", "Storage"),
        new("it.network", "网络", "Network"),
        new("cooling", "制冷系统", "Cooling"),
        new("cooling.chiller", "冷水机组", "Chillers"),
        new("cooling.primary_pump", "一次泵", "Primary pumps"),
        new("cooling.secondary_pump", "二次泵", "Secondary pumps"),
        new("cooling.cooling_pump", "冷却泵", "Condenser pumps"),
        new("cooling.tower", "冷却塔", "Cooling towers"),
        new("cooling.crah", "精密空调(CRAH/CRAC)", "CRAH/CRAC"),
        new("cooling.inrow", "列间空调", "In-row coolers"),
        new("power", "供配电系统", "Power"),
        new("power.transformer", "变压器", "Transformers"),
        new("power.ups", "UPS", "UPS"),
        new("power.hvdc", "高压直流(HVDC)", "HVDC"),
        new("power.distribution", "配电", "Distribution"),
        new("power.loss", "供配电损耗", "Power losses"),
        new("aux", "辅助系统", "Auxiliary"),
        new("aux.lighting", "照明", "Lighting"),
        new("aux.fire", "消防", "Fire protection"),
        new("aux.low_voltage", "弱电", "Low-voltage / weak current"),
        new("aux.office", "办公", "Office"),
        new("aux.other", "其他", "Other"),
        new("park", "园区系统", "Park systems"),
        new("park.transport", "交通", "Transport"),
        new("park.infrastructure", "基础设施", "Infrastructure"),
        new("park.waste", "废弃物处理", "Waste treatment"),
        new("energy", "能源系统", "Energy system"),
        new("energy.pv", "光伏", "PV"),
        new("energy.storage", "储能", "Storage"),
        new("energy.substation", "变电站", "Substation"),
        new("energy.generator", "柴油发电机", "Diesel generators"),
        new("energy.heat_export", "余热回收", "Heat reuse"),
    ];

    private static readonly Dictionary<string, SystemNode> ByCode = All.ToDictionary(n => n.Code, StringComparer.Ordinal);

    public static bool IsKnown(string code) => ByCode.ContainsKey(code);

    public static SystemNode Get(string code) =>
        ByCode.TryGetValue(code, out var n) ? n : throw new ArgumentException($"unknown system '{code}'");

    /// <summary>True when <paramref name="code"/> is <paramref name="ancestor"/> or below it.</summary>
    public static bool IsUnder(string code, string ancestor) =>
        code == ancestor || code.StartsWith(ancestor + ".", StringComparison.Ordinal);

    /// <summary>The node itself and its ancestors, nearest first.</summary>
    public static IEnumerable<string> SelfAndAncestors(string code)
    {
        for (string? c = code; c is not null; c = Get(c).ParentCode)
            yield return c;
    }
}
