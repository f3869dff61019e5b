using ZeroPark.Carbon;

namespace ZeroPark.Governance;

/// <summary>One row of the table that links an alert rule kind (and, where it matters, one of its parameters or the alert's subject)
/// to the carbon-management KPI it concerns: <paramref name="When"/> is the condition in words, <paramref name="Why"/> the reason.</summary>
public sealed record AlertKpiLink(string RuleKind, string When, string Kpi, string Why);

/// <summary>
/// The one table from alert rule kinds to the governance KPI codes (<c>GovernanceStore.KpiCodes</c>): the person accountable for a
/// KPI is accountable for the alerts of rules that watch it (docs/governance.md, "KPIs and alerts"). Pure: the alerts module asks
/// <see cref="Of"/> for an alert's KPIs, the governance module for a person's alerts.
/// </summary>
public static class AlertKpis
{
    public static readonly IReadOnlyList<AlertKpiLink> Table =
    [
        new("kpi", "kpi = pue", "pue", "the rule watches the PUE itself"),
        new("kpi", "kpi = clf | plf | alf | cooling_share", "pue", "cooling, power and other load factors are the parts of the PUE (PUE = 1 + CLF + PLF + ALF)"),
        new("kpi", "kpi = wue", "wue", "the rule watches the WUE"),
        new("kpi", "kpi = cue", "cue", "the rule watches the CUE"),
        new("series", "any meter series", "pue", "a meter's series (room temperatures, loads) watches the operating conditions that drive the PUE"),
        new("deviation", "scope = sources | source:<source>", "scope1_t | scope2_t | scope3_t", "an emission source's deviation concerns the emissions of that source's scope (碳排放异常预警)"),
        new("deviation", "scope = meters | meter:<code> | node:<space>", "energy_plan", "a meter's or node's consumption deviating from its normal value concerns the energy plan"),
        new("plan_projection", "any carrier", "energy_plan", "the projected year-end consumption against the annual energy plan"),
        new("monthly_target", "check neutrality_rate", "neutrality_rate", "last month's neutrality rate against its target"),
        new("monthly_target", "check emission_budget", "emission_budget", "last month's emissions against the emission budget"),
        new("monthly_target", "check energy_plan", "energy_plan", "last month's electricity against the monthly plan"),
        new("instrument_expiry", "any instrument", "neutrality_rate", "an instrument of the neutrality ledger lapsing unretired lowers the neutrality rate"),
        new("offline", "any meter", "data_quality", "missing readings"),
        new("completeness", "any meter", "data_quality", "incomplete days"),
        new("reset_suspect", "any meter", "data_quality", "a register drop awaiting confirmation"),
        new("import_refused", "any import", "data_quality", "refused readings"),
    ];

    private static readonly string[] Scopes = ["scope1_t", "scope2_t", "scope3_t"];

    /// <summary>The KPI codes an alert (or, with <paramref name="subject"/> null, a rule as a whole) concerns, in the order of the
    /// table; none for an unknown kind.</summary>
    public static IReadOnlyList<string> Of(string kind, IReadOnlyDictionary<string, string> parameters, string? subject = null)
    {
        string P(string name) => parameters.TryGetValue(name, out var v) ? v : "";
        switch (kind)
        {
            case "kpi":
                return P("kpi") switch
                {
                    "wue" => ["wue"],
                    "cue" => ["cue"],
                    "" or "pue" or "clf" or "plf" or "alf" or "cooling_share" => ["pue"],
                    _ => [],
                };
            case "series":
                return ["pue"];
            case "deviation":
                {
                    var scope = P("scope");
                    if (scope != "sources" && !scope.StartsWith("source:", StringComparison.Ordinal)) return ["energy_plan"];
                    // The source of the alert (subject source:<code>), else the rule's one source, else every scope.
                    var source = subject is { } s && s.StartsWith("source:", StringComparison.Ordinal) ? s["source:".Length..]
                        : scope.StartsWith("source:", StringComparison.Ordinal) ? scope["source:".Length..] : null;
                    if (source is not null && Sources.TryGet(source, out var def))
                        return def.Scope switch
                        {
                            GhgScope.Scope1 => ["scope1_t"],
                            GhgScope.Scope2 => ["scope2_t"],
                            GhgScope.Scope3 => ["scope3_t"],
                            _ => [],
                        };
                    return Scopes;
                }
            case "plan_projection":
                return ["energy_plan"];
            case "monthly_target":
                {
                    string[] checks = subject is { } s && s.StartsWith("target:", StringComparison.Ordinal)
                        ? [s["target:".Length..]]
                        : P("checks").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                    return checks.Where(c => c is "neutrality_rate" or "emission_budget" or "energy_plan").Distinct().ToList();
                }
            case "instrument_expiry":
                return ["neutrality_rate"];
            case "offline" or "completeness" or "reset_suspect" or "import_refused":
                return ["data_quality"];
            default:
                return [];
        }
    }
}
