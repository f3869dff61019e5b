using System.Globalization;

namespace ZeroPark.Application.Alerts;

/// <summary>A parameter of a rule kind: name, default (null: required or optional without default), what it accepts.</summary>
public sealed record RuleParam(string Name, string? Default, string Accepts);

/// <summary>A rule kind: what it watches and its parameters (docs/alerts.md lists them with examples).</summary>
public sealed record RuleKind(string Code, string Description, IReadOnlyList<RuleParam> Params);

/// <summary>The rule kinds and the validation of their parameters.</summary>
public static class AlertRuleKinds
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static readonly IReadOnlyList<RuleKind> All =
    [
        new("deviation", "a meter, node or emission source deviates from its normal value (mean of the same period over the last n periods with complete data)",
        [
            new("scope", "meters", "meters (every physical energy or water meter) | meter:<code> | node:<space or park code>[:<role or system>] | sources (every emission source) | source:<source>"),
            new("period", "month", "month | day"),
            new("n", "3", "number of earlier periods in the normal value, 1–24"),
            new("baseline", "previous", "previous (the n periods before) | last_year (the same month of the n years before; seasonal loads such as chillers; month only)"),
            new("threshold", "0.1", "share, e.g. 0.1 = ±10 % (WC-34: the boundary counts)"),
            new("min_completeness", "0.95", "share of expected readings a period needs to be compared or used, 0–1"),
            new("direction", "both", "both | high | low (producers such as PV and export meters are checked low only: more generation is not high consumption)"),
        ]),
        new("kpi", "a KPI of the park or a building beyond a limit for a duration, with hysteresis (e.g. daily PUE > 1.4 for 3 days, clear at ≤ 1.35)",
        [
            new("kpi", "pue", "pue | wue | clf | plf | alf | cue | cooling_share (E_cooling / E_DC)"),
            new("node", null, "building or park code (default: the park)"),
            new("by", "day", "day | month"),
            new("op", ">", "> | <"),
            new("limit", null, "the limit (required)"),
            new("clear", null, "level at which an alert clears (default: the limit)"),
            new("for", "1", "number of consecutive buckets beyond the limit before raising, 1–96"),
            new("lookback", "14", "buckets evaluated before the instant, 1–400"),
        ]),
        new("series", "a meter's series (e.g. a temperature gauge, a 15-minute load) beyond a limit for a duration, with hysteresis",
        [
            new("meter", null, "meter code (required)"),
            new("granularity", "hour", "15min | hour | day"),
            new("op", ">", "> | <"),
            new("limit", null, "the limit (required), in the meter's canonical unit"),
            new("clear", null, "level at which an alert clears (default: the limit)"),
            new("for", "1", "consecutive buckets beyond the limit before raising (e.g. 15min × 1, day × 3)"),
            new("lookback", "96", "buckets evaluated before the instant"),
        ]),
        new("offline", "a meter sends no reading within n of its intervals", [new("intervals", "4", "n, 1–10000"), new("meter", null, "one meter (default: every physical meter)")]),
        new("completeness", "a meter's data of the last full local day is less complete than a share", [new("share", "0.9", "0–1")]),
        new("reset_suspect", "a cumulative register dropped without a recorded replacement (the store's suspected resets)", []),
        new("import_refused", "an import or gateway batch had refused readings", []),
        new("instrument_expiry", "an instrument of the neutrality ledger (GEC, green power, CCER …) expires within a number of days with a quantity not yet retired", [new("days", "30", "1–366")]),
        new("plan_projection", "the projected year-end consumption exceeds the annual energy plan", [new("carrier", "electricity", "electricity | water | natural_gas"), new("margin", "0", "share above the plan tolerated")]),
        new("monthly_target", "on the first working day of each month (China's calendar with 调休): last month's neutrality rate, emission budget and energy plan against their targets",
        [
            new("checks", "neutrality_rate,emission_budget,energy_plan", "comma-separated: neutrality_rate | emission_budget | energy_plan"),
            new("hour", "9", "local hour of the first working day from which the check is due, 0–23"),
        ]),
    ];

    public static RuleKind Kind(string? code) => All.FirstOrDefault(k => k.Code == (code ?? "").Trim().ToLowerInvariant())
        ?? throw new ValidationException("kind", $"'{code}' is not a rule kind ({string.Join(", ", All.Select(k => k.Code))})");

    /// <summary>The parameters with defaults filled in, validated; unknown names and bad values are a <see cref="ValidationException"/>
    /// naming <c>params.&lt;name&gt;</c>.</summary>
    public static Dictionary<string, string> Normalise(string kind, IReadOnlyDictionary<string, string>? given)
    {
        var k = Kind(kind);
        var p = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in given ?? new Dictionary<string, string>())
        {
            if (k.Params.All(x => x.Name != name))
                throw new ValidationException($"params.{name}", $"rule kind {k.Code} has no parameter '{name}' (it has: {string.Join(", ", k.Params.Select(x => x.Name))})");
            if (!string.IsNullOrWhiteSpace(value)) p[name] = value.Trim();
        }
        foreach (var d in k.Params.Where(x => x.Default is not null && !p.ContainsKey(x.Name))) p[d.Name] = d.Default!;
        void Num(string name, double min, double max)
        {
            if (!p.TryGetValue(name, out var s)) return;
            if (!double.TryParse(s, NumberStyles.Float, Inv, out var v) || !double.IsFinite(v) || v < min || v > max)
                throw new ValidationException($"params.{name}", $"'{s}' is not a number between {min.ToString(Inv)} and {max.ToString(Inv)}");
        }
        void OneOf(string name, params string[] values)
        {
            if (p.TryGetValue(name, out var s) && !values.Contains(s))
                throw new ValidationException($"params.{name}", $"'{s}' is not one of {string.Join(", ", values)}");
        }
        void Required(string name)
        {
            if (!p.ContainsKey(name)) throw new ValidationException($"params.{name}", $"rule kind {k.Code} needs '{name}'");
        }
        switch (k.Code)
        {
            case "deviation":
                OneOf("period", "month", "day");
                Num("n", 1, 24);
                Num("threshold", 0.0001, 100);
                Num("min_completeness", 0, 1);
                OneOf("direction", "both", "high", "low");
                OneOf("baseline", "previous", "last_year");
                if (p["baseline"] == "last_year" && p["period"] != "month") throw new ValidationException("params.baseline", "last_year compares months only (period=month)");
                var scope = p["scope"];
                if (scope is not ("meters" or "sources") && !scope.StartsWith("meter:", StringComparison.Ordinal) && !scope.StartsWith("node:", StringComparison.Ordinal)
                    && !scope.StartsWith("source:", StringComparison.Ordinal))
                    throw new ValidationException("params.scope", $"'{scope}' is not meters, meter:<code>, node:<space>[:<role or system>], sources or source:<source>");
                break;
            case "kpi":
                OneOf("kpi", "pue", "wue", "clf", "plf", "alf", "cue", "cooling_share");
                OneOf("by", "day", "month");
                OneOf("op", ">", "<");
                Required("limit");
                Num("limit", -1e12, 1e12);
                Num("clear", -1e12, 1e12);
                Num("for", 1, 96);
                Num("lookback", 1, 400);
                CheckClear(p);
                break;
            case "series":
                Required("meter");
                OneOf("granularity", "15min", "hour", "day");
                OneOf("op", ">", "<");
                Required("limit");
                Num("limit", -1e12, 1e12);
                Num("clear", -1e12, 1e12);
                Num("for", 1, 2976);
                Num("lookback", 1, 2976);
                CheckClear(p);
                break;
            case "offline":
                Num("intervals", 1, 10000);
                break;
            case "completeness":
                Num("share", 0, 1);
                break;
            case "instrument_expiry":
                Num("days", 1, 366);
                break;
            case "plan_projection":
                OneOf("carrier", "electricity", "water", "natural_gas");
                Num("margin", 0, 10);
                break;
            case "monthly_target":
                foreach (var c in p["checks"].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                    if (c is not ("neutrality_rate" or "emission_budget" or "energy_plan"))
                        throw new ValidationException("params.checks", $"'{c}' is not one of neutrality_rate, emission_budget, energy_plan");
                Num("hour", 0, 23);
                break;
        }
        return p;
    }

    private static void CheckClear(Dictionary<string, string> p)
    {
        if (!p.TryGetValue("clear", out var c)) return;
        var limit = double.Parse(p["limit"], Inv);
        var clear = double.Parse(c, Inv);
        if (p["op"] == ">" ? clear > limit : clear < limit)
            throw new ValidationException("params.clear", $"the clear level {c} must be on the safe side of the limit {p["limit"]} (hysteresis)");
    }

    public static double Number(IReadOnlyDictionary<string, string> p, string name, double fallback = 0) =>
        p.TryGetValue(name, out var s) && double.TryParse(s, NumberStyles.Float, Inv, out var v) ? v : fallback;

    /// <summary>The rules a new park starts with (installed once; deleting them later does not bring them back).</summary>
    public static IReadOnlyList<AlertRuleDraft> Defaults() =>
    [
        new("meter-deviation", "deviation", "Meter deviates ±10 % from its normal month", new Dictionary<string, string> { ["scope"] = "meters" }, "warning"),
        new("source-deviation", "deviation", "Emission source deviates ±10 % from its normal month (碳排放异常预警)", new Dictionary<string, string> { ["scope"] = "sources" }, "warning"),
        new("pue-daily", "kpi", "Daily PUE above 1.4", new Dictionary<string, string> { ["kpi"] = "pue", ["limit"] = "1.4", ["clear"] = "1.35", ["for"] = "1" }, "warning"),
        new("meter-offline", "offline", "Meter offline (no reading within 4 intervals)", new Dictionary<string, string> { ["intervals"] = "4" }, "critical", RenotifyMinutes: 240),
        new("data-completeness", "completeness", "Yesterday's data below 90 % complete", new Dictionary<string, string> { ["share"] = "0.9" }, "info"),
        new("register-reset", "reset_suspect", "Suspected register reset awaiting confirmation", null, "warning"),
        new("import-refused", "import_refused", "Readings refused in an import", null, "info"),
        new("instrument-expiry", "instrument_expiry", "Instrument not retired expires within 30 days", new Dictionary<string, string> { ["days"] = "30" }, "info"),
        new("plan-projection", "plan_projection", "Projected year-end above the annual energy plan", null, "warning"),
        new("monthly-targets", "monthly_target", "Monthly targets (first working day): neutrality rate, emission budget, energy plan", null, "warning"),
    ];
}
