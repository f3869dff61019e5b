using System.Globalization;
using ZeroPark.Domain;

namespace ZeroPark.Carbon;

/// <summary>The units activity data may come in: every unit of the one unit table (<see cref="Units"/>) but power and Wh.
/// Amounts are kept as given (<see cref="Activity.Quantity"/>) and converted only for the calculation.</summary>
public static class ActivityUnits
{
    private static bool ForActivities(Unit u) => u.Dimension != UnitDimension.Power && u.Symbol != "Wh";

    /// <summary>The activity units' symbols, in table order.</summary>
    public static IEnumerable<string> All => Units.All.Where(ForActivities).Select(u => u.Symbol);

    public static string Normalize(string unit) => Units.Normalize(unit);

    public static bool IsKnown(string unit) => Units.TryParse(unit, out var u) && ForActivities(u);

    /// <summary>Parses an activity unit; false when it is not in the table or not an activity unit (power, Wh).</summary>
    public static bool TryParse(string? unit, out Unit parsed) => Units.TryParse(unit, out parsed) && ForActivities(parsed);

    /// <summary>Parses an activity unit; an unknown one is a <see cref="CarbonException"/> listing the known ones.</summary>
    public static Unit Parse(string unit) => Units.TryParse(unit, out var u) && ForActivities(u) ? u
        : throw new CarbonException($"unknown unit '{unit}' (expected one of {string.Join(", ", All)})");

    public static UnitDimension DimensionOf(string unit) => Parse(unit).Dimension;

    /// <summary>Canonical units (kWh, kg, L, Nm3, …) per one <paramref name="unit"/>.</summary>
    public static double Scale(string unit) => Parse(unit).ToCanonical;

    /// <summary>Exact conversion between two units of one dimension.</summary>
    public static double Convert(double amount, string from, string to) => Convert(amount, Parse(from), Parse(to));

    /// <summary>An activity quantity in <paramref name="to"/> (same dimension).</summary>
    public static double Convert(Quantity q, Unit to) => Convert(q.Value, q.Unit, to);

    /// <summary>Exact conversion between two units of one dimension.</summary>
    public static double Convert(double amount, Unit from, Unit to) => from.Dimension == to.Dimension ? amount * from.ToCanonical / to.ToCanonical
        : throw new CarbonException($"cannot convert {from.Symbol} to {to.Symbol} without a parameter");
}

/// <summary>Scopes of the GHG Protocol; memo items are outside them (non-Kyoto gases, biogenic CO2).</summary>
public enum GhgScope
{
    Scope1 = 1,
    Scope2 = 2,
    Scope3 = 3,
    Memo = 9,
}

/// <summary>What kind of calculation a source needs.</summary>
public enum SourceCalc
{
    /// <summary>Fuel burnt: NCV × factors (China guideline: CC × OF × 44/12; IPCC: CO2, CH4, N2O per TJ).</summary>
    Combustion,
    /// <summary>A material released as such (refrigerant top-up = leak, fire suppressant discharge, SF6): mass × GWP.</summary>
    Release,
    /// <summary>Refrigerant mass-balance component (stock, purchase, disposal, charge, recovery): summed per material and period.</summary>
    MassBalance,
    /// <summary>Purchased electricity: location-based and market-based.</summary>
    Electricity,
    /// <summary>Purchased heat, steam or cooling: amount × factor.</summary>
    PurchasedEnergy,
    /// <summary>Amount × factor of the material (scope 3 categories).</summary>
    Factor,
}

/// <summary>One entry of the source vocabulary of non-metered activity records. <c>Sign</c>: for mass-balance components, +1
/// adds to emissions, −1 subtracts. <c>Scope3Category</c>: the GHG Protocol scope 3 category the source belongs to (null:
/// given per record, or not scope 3).</summary>
public sealed record SourceDef(string Code, GhgScope Scope, SourceCalc Calc, string NameZh, string NameEn, string Application = "stationary",
    int Sign = 1, int? Scope3Category = null);

/// <summary>
/// The source vocabulary of <c>zeropark activities import</c> (documented in docs/carbon.md). Metered activity uses the same
/// sources: grid electricity → purchased_electricity, heat/steam meters → purchased_heat/purchased_steam, fuel meters by carrier.
/// </summary>
public static class Sources
{
    public static readonly IReadOnlyList<SourceDef> All =
    [
        new("diesel_generator", GhgScope.Scope1, SourceCalc.Combustion, "柴油发电机", "diesel generators"),
        new("boiler", GhgScope.Scope1, SourceCalc.Combustion, "锅炉", "boilers"),
        new("cchp", GhgScope.Scope1, SourceCalc.Combustion, "冷热电三联供", "gas-fired CCHP"),
        new("canteen", GhgScope.Scope1, SourceCalc.Combustion, "食堂燃料", "canteen fuel"),
        new("stationary_combustion", GhgScope.Scope1, SourceCalc.Combustion, "其他固定燃烧", "other stationary combustion"),
        new("vehicle", GhgScope.Scope1, SourceCalc.Combustion, "园区车辆", "park vehicles", Application: "mobile"),
        new("refrigerant_leak", GhgScope.Scope1, SourceCalc.Release, "制冷剂泄漏（补充量）", "refrigerant leak (top-up)"),
        new("refrigerant_stock_start", GhgScope.Scope1, SourceCalc.MassBalance, "制冷剂期初库存", "refrigerant stock at start", Sign: 1),
        new("refrigerant_stock_end", GhgScope.Scope1, SourceCalc.MassBalance, "制冷剂期末库存", "refrigerant stock at end", Sign: -1),
        new("refrigerant_purchased", GhgScope.Scope1, SourceCalc.MassBalance, "制冷剂购入", "refrigerant purchased", Sign: 1),
        new("refrigerant_disposed", GhgScope.Scope1, SourceCalc.MassBalance, "制冷剂售出/送回收", "refrigerant sold or sent for recycling", Sign: -1),
        new("refrigerant_new_charge", GhgScope.Scope1, SourceCalc.MassBalance, "新设备充注量", "charge of new equipment", Sign: -1),
        new("refrigerant_retired_charge", GhgScope.Scope1, SourceCalc.MassBalance, "退役设备额定充注量", "charge of retired equipment", Sign: 1),
        new("refrigerant_recovered", GhgScope.Scope1, SourceCalc.MassBalance, "退役设备回收量", "recovered from retired equipment", Sign: -1),
        new("fire_suppressant", GhgScope.Scope1, SourceCalc.Release, "灭火剂释放", "fire suppressant release"),
        new("sf6_leak", GhgScope.Scope1, SourceCalc.Release, "SF6 泄漏", "SF6 leakage from switchgear"),
        new("purchased_electricity", GhgScope.Scope2, SourceCalc.Electricity, "外购电力", "purchased electricity"),
        new("purchased_heat", GhgScope.Scope2, SourceCalc.PurchasedEnergy, "外购热力", "purchased heat"),
        new("purchased_steam", GhgScope.Scope2, SourceCalc.PurchasedEnergy, "外购蒸汽", "purchased steam"),
        new("purchased_cooling", GhgScope.Scope2, SourceCalc.PurchasedEnergy, "外购冷量", "purchased cooling"),
        new("purchased_goods", GhgScope.Scope3, SourceCalc.Factor, "采购的商品和服务", "purchased goods and services", Scope3Category: 1),
        new("capital_goods", GhgScope.Scope3, SourceCalc.Factor, "资本货物", "capital goods", Scope3Category: 2),
        new("building_materials", GhgScope.Scope3, SourceCalc.Factor, "建材生产 (Cjc)", "building materials (T/CA 301 Cjc)", Scope3Category: 2),
        new("construction", GhgScope.Scope3, SourceCalc.Factor, "建造施工 (Cjs)", "construction (T/CA 301 Cjs)", Scope3Category: 2),
        new("equipment", GhgScope.Scope3, SourceCalc.Factor, "设备 (Csb)", "equipment (T/CA 301 Csb)", Scope3Category: 2),
        new("fuel_energy_upstream", GhgScope.Scope3, SourceCalc.Factor, "燃料和能源相关活动", "fuel- and energy-related activities", Scope3Category: 3),
        new("upstream_transport", GhgScope.Scope3, SourceCalc.Factor, "上游运输", "upstream transportation", Scope3Category: 4),
        new("waste", GhgScope.Scope3, SourceCalc.Factor, "运营废弃物", "waste generated in operations", Scope3Category: 5),
        new("business_travel", GhgScope.Scope3, SourceCalc.Factor, "商务差旅", "business travel", Scope3Category: 6),
        new("commuting", GhgScope.Scope3, SourceCalc.Factor, "员工通勤", "employee commuting", Scope3Category: 7),
        new("scope3", GhgScope.Scope3, SourceCalc.Factor, "其他范围三", "other scope 3 (category given per record)"),
    ];

    private static readonly Dictionary<string, SourceDef> ByCode = All.ToDictionary(s => s.Code, StringComparer.OrdinalIgnoreCase);

    public static bool TryGet(string code, out SourceDef def) => ByCode.TryGetValue(code.Trim(), out def!);

    public static SourceDef Get(string code) => TryGet(code, out var d) ? d
        : throw new CarbonException($"unknown source '{code}' (expected one of {string.Join(", ", All.Select(s => s.Code))})");

    /// <summary>GHG Protocol scope 3 category names (1–15).</summary>
    public static readonly IReadOnlyList<string> Scope3Categories =
    [
        "purchased goods and services", "capital goods", "fuel- and energy-related activities", "upstream transportation and distribution",
        "waste generated in operations", "business travel", "employee commuting", "upstream leased assets",
        "downstream transportation and distribution", "processing of sold products", "use of sold products",
        "end-of-life treatment of sold products", "downstream leased assets", "franchises", "investments",
    ];

    /// <summary>ISO 14064-1:2018 category (1–6) of a result.</summary>
    public static int IsoCategory(GhgScope scope, int? scope3Category) => scope switch
    {
        GhgScope.Scope1 => 1,
        GhgScope.Scope2 => 2,
        GhgScope.Scope3 => scope3Category switch
        {
            4 or 6 or 7 or 9 => 3,
            1 or 2 or 3 or 5 or 8 => 4,
            >= 10 and <= 15 => 5,
            _ => 6,
        },
        _ => 0,
    };

    /// <summary>Fuels that are burnt (combustion sources) and the carriers of metered fuel.</summary>
    public static readonly IReadOnlyList<string> Fuels = ["diesel", "gasoline", "lpg", "natural_gas"];
}

/// <summary>
/// One activity record: an amount in its native unit on a local date (or the month of a meter reading) with where it came
/// from. <see cref="Origin"/> is "record #12 (by alice, 2025-03-02, evidence INV-778)" or "meter GRID-1 (rollup 2025-03)".
/// </summary>
public sealed record Activity
{
    public long Id { get; init; }
    public required DateOnly Date { get; init; }
    public required string Source { get; init; }
    public required string Material { get; init; }
    public required double Amount { get; init; }

    /// <summary>The unit as given; parsed once, here, through the one unit table (<see cref="Quantity"/> holds the parsed unit).</summary>
    public required string Unit
    {
        get => _unit;
        init
        {
            _unit = value;
            _parsedUnit = ActivityUnits.TryParse(value, out var u) ? u : null;
        }
    }

    private readonly string _unit = "";
    private readonly Domain.Unit? _parsedUnit;

    public int? Scope3Category { get; init; }
    public string Note { get; init; } = "";
    public string Origin { get; init; } = "";
    /// <summary>Space code (building …) the activity belongs to, when known.</summary>
    public string? Space { get; init; }
    /// <summary>System code (cooling, power …) when known.</summary>
    public string? System { get; init; }
    /// <summary>Who supplied what the activity bought (scope 3): supplier-level factors and product footprints of this supplier
    /// apply to it (<see cref="Place.Supplier"/>); null when not known.</summary>
    public string? Supplier { get; init; }
    /// <summary>Meter code when the activity comes from a meter.</summary>
    public string? Meter { get; init; }
    /// <summary>Density (kg/L) given with the record; overrides the library default.</summary>
    public double? Density { get; init; }
    /// <summary>NCV (GJ per t, or per 10^4 Nm³ for gases) given with the record; overrides the library default.</summary>
    public double? Ncv { get; init; }

    /// <summary>The amount with its unit, parsed when the unit was given; an unknown unit is a <see cref="CarbonException"/> (the
    /// activity is then unresolved).</summary>
    public Quantity Quantity => new(Amount, _parsedUnit ?? ActivityUnits.Parse(Unit));

    public string Describe() => Amount.ToString("#,0.####", CultureInfo.InvariantCulture) + " " + Unit;
}
