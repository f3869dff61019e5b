using System.Globalization;
using ZeroPark.Domain;

namespace ZeroPark.Application.EnergyManagement;

/// <summary>Fields to set an energy plan (CLI <c>zeropark energy plan set</c>, API <c>PUT /api/parks/{park}/energy/plans</c>).
/// <see cref="Node"/> is the park code or a building code (null/empty = the park); <see cref="Month"/> null or 0 = the annual plan,
/// 1–12 = a monthly plan; <see cref="Amount"/> is in <see cref="Unit"/> (default: the carrier's canonical unit, kWh or m³).</summary>
public sealed record PlanDraft(string? Node, string? Carrier, int? Year, int? Month, double? Amount, string? Unit = null);

/// <summary>A stored plan. <see cref="Month"/> null = annual. <see cref="Amount"/> is in <see cref="Unit"/>, the carrier's canonical
/// unit (kWh for electricity, m³ for water and natural gas). <see cref="Basis"/> says how it was set: <c>manual</c> or
/// <c>decomposed:last_year</c>.</summary>
public sealed record EnergyPlan(long Id, string Node, bool IsPark, Carrier Carrier, int Year, int? Month, double Amount, string Unit, string Basis,
    DateTimeOffset UpdatedAt, string UpdatedBy);

/// <summary>One plan to write (validated): node null = the park.</summary>
public sealed record PlanWrite(Space? Building, Carrier Carrier, int Year, int Month, double Amount, string Basis);

/// <summary>Validation and codes of energy plans.</summary>
public static class PlanRules
{
    /// <summary>The carriers a plan can be set for.</summary>
    public static readonly IReadOnlyList<Carrier> Carriers = [Carrier.Electricity, Carrier.Water, Carrier.NaturalGas];

    public static Carrier ParseCarrier(string? value, string field = "carrier")
    {
        if (string.IsNullOrWhiteSpace(value)) throw new ValidationException(field, $"'{field}' is required (electricity, water or natural_gas)");
        return Codes.TryCarrier(value.Trim(), out var c) && Carriers.Contains(c)
            ? c
            : throw new ValidationException(field, $"'{field}': '{value}' is not a plan carrier (expected electricity, water or natural_gas)");
    }

    public static int ParseYear(int? year, string field = "year") => year is >= 2000 and <= 2100
        ? year.Value
        : throw new ValidationException(field, year is null ? $"'{field}' is required (e.g. 2025)" : $"'{field}': {year} is not a year between 2000 and 2100");

    /// <summary>The building node of a plan: null for the park, else a building of the park; anything else is an error on
    /// <paramref name="field"/> (a floor or room has no plan) or a <see cref="NotFoundException"/>.</summary>
    public static Space? Building(ParkRegistry reg, string? node, string field = "node")
    {
        if (string.IsNullOrWhiteSpace(node) || node.Trim() == reg.Park.Code) return null;
        var code = node.Trim();
        if (!reg.SpacesByCode.TryGetValue(code, out var s))
            throw new NotFoundException($"node '{code}' not found in park '{reg.Park.Code}' (expected a building code or the park code)");
        if (s.Level != SpaceLevel.Building)
            throw new ValidationException(field, $"'{field}': '{code}' is a {Space.LevelCode(s.Level)}; plans are set for the park and its buildings");
        return s;
    }

    /// <summary>Validates a draft against the park's registry.</summary>
    public static PlanWrite Validate(ParkRegistry reg, PlanDraft d)
    {
        var building = Building(reg, d.Node);
        var carrier = ParseCarrier(d.Carrier);
        var year = ParseYear(d.Year);
        var month = d.Month ?? 0;
        if (month is < 0 or > 12) throw new ValidationException("month", $"'month': {month} is not a month (1–12, or 0 / empty for the annual plan)");
        if (d.Amount is not { } amount) throw new ValidationException("amount", "'amount' is required");
        if (!double.IsFinite(amount) || amount < 0) throw new ValidationException("amount", $"'amount': {amount.ToString(CultureInfo.InvariantCulture)} must be a number ≥ 0");
        var factor = 1.0;
        if (!string.IsNullOrWhiteSpace(d.Unit))
        {
            try { factor = MeterUnits.ToCanonicalFactor(carrier, d.Unit); }
            catch (ArgumentException e) { throw new ValidationException("unit", $"'unit': {e.Message}"); }
        }
        return new PlanWrite(building, carrier, year, month, amount * factor, "manual");
    }

    /// <summary>"2025" or "2025-03".</summary>
    public static string PeriodCode(int year, int? month) => month is { } m and > 0
        ? string.Create(CultureInfo.InvariantCulture, $"{year}-{m:00}")
        : year.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Wire shape of a plan (CLI json, API).</summary>
public sealed record EnergyPlanView(string Node, string Carrier, int Year, int? Month, string Period, double Amount, string Unit, string Basis,
    DateTimeOffset UpdatedAt, string UpdatedBy)
{
    public static EnergyPlanView From(EnergyPlan p) => new(p.Node, Codes.Of(p.Carrier), p.Year, p.Month, PlanRules.PeriodCode(p.Year, p.Month),
        Math.Round(p.Amount, 3), p.Unit, p.Basis, p.UpdatedAt, p.UpdatedBy);
}
