using System.Globalization;

namespace ZeroPark.Governance;

/// <summary>
/// A kind of daily low-carbon action a person of the park reports, with the emissions one unit of it avoids and where that
/// figure comes from (derivations in docs/governance.md), and the most one may report in a day (a plausibility limit).
/// </summary>
public sealed record ActionKind(string Code, string NameZh, string NameEn, string Unit, double KgAvoidedPerUnit, double MaxPerDay, string Derivation);

/// <summary>One person's total and level.</summary>
public sealed record AccountStanding(string Person, string Name, double KgAvoided, int Points, string? Reward, int Rank);

/// <summary>Reward levels: points at which a reward is reached (park-defined, these are the defaults).</summary>
public sealed record RewardThresholds(int Bronze = 100, int Silver = 500, int Gold = 1000)
{
    public string? RewardOf(int points) => points >= Gold ? "gold" : points >= Silver ? "silver" : points >= Bronze ? "bronze" : null;
}

public static class PersonalActions
{
    /// <summary>Car commute displaced, per km: 8 L/100 km × 0.73 kg/L (gasoline density) × 3.0700 kgCO2/kg (IPCC 2006 gasoline per
    /// mass, as in the factor library) = 0.08 × 0.73 × 3.07 = 0.179288 kgCO2/km.</summary>
    public const double CarKgPerKm = 0.08 * 0.73 * 3.07;

    /// <summary>Urban rail per passenger-km: 0.1 kWh/pkm × 0.5366 kgCO2/kWh (MEE-NBS national grid factor 2022) = 0.05366.</summary>
    public const double TransitKgPerKm = 0.1 * 0.5366;

    /// <summary>One A4 sheet (80 g/m², 0.210 × 0.297 m = 0.06237 m² → 4.9896 g) × 1.0 kgCO2e per kg of office paper.</summary>
    public const double PaperKgPerSheet = 0.210 * 0.297 * 80 / 1000 * 1.0;

    /// <summary>Points: one point per 0.1 kgCO2e avoided, rounded down (so 2.5 kg is 25 points).</summary>
    public const double PointsPerKg = 10;

    public static readonly IReadOnlyList<ActionKind> Kinds =
    [
        new("transit_commute", "公交/地铁通勤", "commute by bus or metro", "km", CarKgPerKm - TransitKgPerKm, 120,
            "car 0.179288 − metro 0.05366 = 0.125628 kgCO2e per km"),
        new("cycling", "骑行通勤", "cycling commute", "km", CarKgPerKm, 60, "car 0.179288 kgCO2e per km, bicycle 0"),
        new("walking", "步行通勤", "walking commute", "km", CarKgPerKm, 30, "car 0.179288 kgCO2e per km, walking 0"),
        new("paper_saved", "节约用纸（双面/无纸化）", "paper saved (duplex, paperless)", "sheet", PaperKgPerSheet, 500,
            "A4 80 g/m² = 4.9896 g × 1.0 kgCO2e/kg = 0.0049896 kgCO2e per sheet"),
    ];

    public static ActionKind Get(string code) => Kinds.FirstOrDefault(k => string.Equals(k.Code, code.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"kind: unknown '{code}' (expected one of {string.Join(", ", Kinds.Select(k => k.Code))})");

    /// <summary>The avoided emissions and points of one report; refuses a non-positive quantity or one above the daily limit.</summary>
    public static (double Kg, int Points) Score(ActionKind kind, double quantity)
    {
        if (!(quantity > 0) || !double.IsFinite(quantity)) throw new ArgumentException("quantity: must be a positive number");
        if (quantity > kind.MaxPerDay)
            throw new ArgumentException($"quantity: {quantity.ToString(CultureInfo.InvariantCulture)} {kind.Unit} is more than one day's limit of {kind.MaxPerDay.ToString(CultureInfo.InvariantCulture)} {kind.Unit} for {kind.Code}");
        var kg = quantity * kind.KgAvoidedPerUnit;
        return (kg, (int)Math.Floor(Math.Round(kg * PointsPerKg, 9)));
    }

    /// <summary>The leaderboard: points descending, then kg, then name; equal points share a rank.</summary>
    public static IReadOnlyList<AccountStanding> Leaderboard(IEnumerable<(string Person, string Name, double Kg, int Points)> totals, RewardThresholds rewards)
    {
        var ordered = totals.OrderByDescending(t => t.Points).ThenByDescending(t => t.Kg).ThenBy(t => t.Name, StringComparer.Ordinal).ToList();
        var list = new List<AccountStanding>();
        for (var i = 0; i < ordered.Count; i++)
        {
            var rank = i > 0 && ordered[i].Points == ordered[i - 1].Points ? list[i - 1].Rank : i + 1;
            list.Add(new AccountStanding(ordered[i].Person, ordered[i].Name, ordered[i].Kg, ordered[i].Points, rewards.RewardOf(ordered[i].Points), rank));
        }
        return list;
    }
}
