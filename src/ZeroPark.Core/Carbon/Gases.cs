using System.Globalization;

namespace ZeroPark.Carbon;

/// <summary>GWP-100 sets. SAR is what the Chinese 24-industry guidelines use; AR6 is the latest (IFRS S2 asks for the latest).</summary>
public enum GwpSet
{
    SAR,
    AR4,
    AR5,
    AR6,
}

/// <summary>A greenhouse gas (or an ozone-depleting substance reported as a memo item). <c>Code</c>: CO2, CH4, N2O, HFC-32, …,
/// SF6, NF3, HCFC-22. <c>Kyoto</c>: in the Kyoto / GHG Protocol basket (CO2, CH4, N2O, HFCs, PFCs, SF6, NF3); other gases
/// (HCFC-22) are memo items outside the scopes. <c>Odp</c>: ozone depletion potential (kg CFC-11-eq per kg), 0 for non-ODS.
/// <c>Gwp</c>: GWP-100 per set; null where the assessment report gives none (NF3 in SAR).</summary>
public sealed record Gas(string Code, string NameZh, bool Kyoto, double Odp, IReadOnlyDictionary<GwpSet, double?> Gwp)
{
    public double GwpOf(GwpSet set) => Gwp.TryGetValue(set, out var v) && v is { } g ? g
        : throw new CarbonException($"no {set} GWP-100 for {Code}: the {set} assessment report gives none; choose another GWP set");
}

/// <summary>
/// The gases a data-center park emits and their GWP-100 values. Source: openclimatedata/globalwarmingpotentials
/// (SAR/AR4/AR5 from the GHG Protocol "Global Warming Potential Values", Feb 2016; AR6 from IPCC AR6 WGI Ch.7 SM Table
/// 7.SM.7), cross-checked with openscm-units; AR6 fossil CH4 29.8 from AR6 Table 7.15. HCFC-22 ODP 0.055 (Montreal Protocol
/// Annex C). Copied from the project's reference data §3.
/// </summary>
public static class Gases
{
    public const string GwpSource = "IPCC SAR/AR4/AR5 via GHG Protocol GWP table (2016); AR6 WGI Ch.7 Table 7.SM.7";

    private static Gas G(string code, string zh, double? sar, double? ar4, double? ar5, double? ar6, bool kyoto = true, double odp = 0) =>
        new(code, zh, kyoto, odp, new Dictionary<GwpSet, double?> { [GwpSet.SAR] = sar, [GwpSet.AR4] = ar4, [GwpSet.AR5] = ar5, [GwpSet.AR6] = ar6 });

    public static readonly Gas Co2 = G("CO2", "二氧化碳", 1, 1, 1, 1);
    public static readonly Gas Ch4 = G("CH4", "甲烷", 21, 25, 28, 27.9);
    /// <summary>AR6 distinguishes fossil CH4 (29.8); the older sets have one CH4 value.</summary>
    public static readonly Gas Ch4Fossil = G("CH4-fossil", "甲烷（化石）", 21, 25, 28, 29.8);
    public static readonly Gas N2o = G("N2O", "氧化亚氮", 310, 298, 265, 273);
    public static readonly Gas Hfc23 = G("HFC-23", "三氟甲烷", 11_700, 14_800, 12_400, 14_600);
    public static readonly Gas Hfc32 = G("HFC-32", "二氟甲烷 (R32)", 650, 675, 677, 771);
    public static readonly Gas Hfc125 = G("HFC-125", "五氟乙烷 (R125)", 2_800, 3_500, 3_170, 3_740);
    public static readonly Gas Hfc134a = G("HFC-134a", "四氟乙烷 (R134a)", 1_300, 1_430, 1_300, 1_530);
    public static readonly Gas Hfc143a = G("HFC-143a", "三氟乙烷 (R143a)", 3_800, 4_470, 4_800, 5_810);
    public static readonly Gas Hfc227ea = G("HFC-227ea", "七氟丙烷 (FM-200)", 2_900, 3_220, 3_350, 3_600);
    public static readonly Gas Sf6 = G("SF6", "六氟化硫", 23_900, 22_800, 23_500, 25_200);
    public static readonly Gas Nf3 = G("NF3", "三氟化氮", null, 17_200, 16_100, 17_400);
    public static readonly Gas Hcfc22 = G("HCFC-22", "二氟一氯甲烷 (R22)", 1_500, 1_810, 1_760, 1_960, kyoto: false, odp: 0.055);

    public static readonly IReadOnlyList<Gas> All = [Co2, Ch4, Ch4Fossil, N2o, Hfc23, Hfc32, Hfc125, Hfc134a, Hfc143a, Hfc227ea, Sf6, Nf3, Hcfc22];

    private static readonly Dictionary<string, Gas> ByCode = All.ToDictionary(g => g.Code, StringComparer.OrdinalIgnoreCase);

    public static bool TryGet(string code, out Gas gas) => ByCode.TryGetValue(code.Trim(), out gas!);

    public static Gas Get(string code) => TryGet(code, out var g) ? g
        : throw new CarbonException($"unknown gas '{code}' (expected one of {string.Join(", ", All.Select(x => x.Code))}, or CO2e for factors already in CO2-equivalent)");

    public static GwpSet ParseSet(string s) => s.Trim().ToUpperInvariant() switch
    {
        "SAR" or "AR2" => GwpSet.SAR,
        "AR4" => GwpSet.AR4,
        "AR5" => GwpSet.AR5,
        "AR6" => GwpSet.AR6,
        _ => throw new CarbonException($"unknown GWP set '{s}' (expected SAR, AR4, AR5 or AR6)"),
    };
}

/// <summary>One component of a material released as such (a refrigerant blend is several gases by mass fraction).</summary>
public sealed record GasShare(Gas Gas, double MassFraction);

/// <summary>
/// Materials released directly (refrigerants, fire suppressants, insulating gas) with their composition. Blend compositions are
/// mass fractions from ASHRAE 34-2019 (via openscm-units mixtures.yaml); a blend's GWP is Σ wᵢ·GWPᵢ, computed, never typed in.
/// </summary>
public static class ReleasedMaterials
{
    private static readonly Dictionary<string, GasShare[]> Compositions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["R410A"] = [new(Gases.Hfc32, 0.5), new(Gases.Hfc125, 0.5)],
        ["R407C"] = [new(Gases.Hfc32, 0.23), new(Gases.Hfc125, 0.25), new(Gases.Hfc134a, 0.52)],
        ["R404A"] = [new(Gases.Hfc125, 0.44), new(Gases.Hfc143a, 0.52), new(Gases.Hfc134a, 0.04)],
        ["R507A"] = [new(Gases.Hfc125, 0.5), new(Gases.Hfc143a, 0.5)],
        ["R32"] = [new(Gases.Hfc32, 1)],
        ["R125"] = [new(Gases.Hfc125, 1)],
        ["R134a"] = [new(Gases.Hfc134a, 1)],
        ["R143a"] = [new(Gases.Hfc143a, 1)],
        ["R23"] = [new(Gases.Hfc23, 1)],
        ["R22"] = [new(Gases.Hcfc22, 1)],
        ["R227ea"] = [new(Gases.Hfc227ea, 1)],
        ["FM-200"] = [new(Gases.Hfc227ea, 1)],
        ["七氟丙烷"] = [new(Gases.Hfc227ea, 1)],
        ["六氟化硫"] = [new(Gases.Sf6, 1)],
    };

    /// <summary>The composition of a released material: a blend or alias above, or a gas code (HFC-227ea, SF6, CO2, …).</summary>
    public static IReadOnlyList<GasShare> CompositionOf(string material)
    {
        var m = material.Trim();
        if (Compositions.TryGetValue(m, out var shares)) return shares;
        if (Gases.TryGet(m, out var gas)) return [new GasShare(gas, 1)];
        throw new CarbonException($"unknown released material '{material}' (expected a gas code such as HFC-227ea, SF6, CO2, HCFC-22 or a refrigerant " +
                                  $"such as {string.Join(", ", Compositions.Keys.Where(k => k.StartsWith('R')))})");
    }

    public static bool IsKnown(string material) => Compositions.ContainsKey(material.Trim()) || Gases.TryGet(material, out _);

    /// <summary>GWP-100 of the material: Σ mass fraction × GWP of each component.</summary>
    public static double GwpOf(string material, GwpSet set) => CompositionOf(material).Sum(s => s.MassFraction * s.Gas.GwpOf(set));

    /// <summary>A material is a memo item (outside the scopes) when any component is outside the Kyoto basket.</summary>
    public static bool IsMemo(string material) => CompositionOf(material).Any(s => !s.Gas.Kyoto);

    /// <summary>"0.5 × 677 (HFC-32) + 0.5 × 3170 (HFC-125)" for the trace.</summary>
    public static string GwpFormula(string material, GwpSet set) => string.Join(" + ",
        CompositionOf(material).Select(s => s.MassFraction == 1
            ? $"{N(s.Gas.GwpOf(set))} ({s.Gas.Code})"
            : $"{N(s.MassFraction)} × {N(s.Gas.GwpOf(set))} ({s.Gas.Code})"));

    private static string N(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);
}

/// <summary>An error in carbon input or configuration, with a message a user can act on.</summary>
public sealed class CarbonException(string message) : Exception(message);
