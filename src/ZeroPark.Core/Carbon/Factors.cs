using System.Globalization;
using System.Text.Json.Serialization;
using ZeroPark.Domain;

namespace ZeroPark.Carbon;

/// <summary>What a factor record holds: an emission factor (gas per unit of activity) or a conversion parameter used on the way
/// from the activity's native unit to the factor's unit (net calorific value, density).</summary>
public enum FactorKind
{
    Emission,
    Ncv,
    Density,
}

/// <summary>How specific a factor is; the most specific valid one wins (supplier &gt; provincial &gt; regional &gt; national &gt;
/// default). A default is a generic value (fuel defaults, IPCC) that applies everywhere.</summary>
public enum FactorLevel
{
    Default = 0,
    National = 1,
    Regional = 2,
    Provincial = 3,
    Supplier = 4,
}

/// <summary>
/// One versioned, effective-dated factor record. Nothing is ever overwritten: a change is a new version of the same key
/// (dataset, kind, material, gas, level, region, application, valid-from) and results keep the id of the version they used.
/// <para>Units: an emission factor is <c>{kg|t}{gas}/{basis}</c> (e.g. <c>kgCO2/kWh</c>, <c>tCO2/GJ</c>, <c>kgCH4/TJ</c>,
/// <c>kgCO2e/pkm</c>); an NCV is <c>GJ/{t|kg|Nm3|10^4Nm3}</c>; a density is <c>kg/L</c>. China-guideline fuel factors may carry
/// their derivation (carbon content tC/GJ and oxidation rate): then value = CC × OF × 44/12 tCO2/GJ.</para>
/// </summary>
public sealed record FactorRecord
{
    public long Id { get; init; }
    public required string Dataset { get; init; }
    public FactorKind Kind { get; init; } = FactorKind.Emission;
    public required string Material { get; init; }
    /// <summary>Gas code (CO2, CH4, N2O, …) or <c>CO2e</c> when the value is already CO2-equivalent; empty for parameters.</summary>
    public string Gas { get; init; } = "";
    public required double Value { get; init; }

    /// <summary>The unit as written (<c>kgCO2/kWh</c>, <c>GJ/t</c>, …); parsed once per record (<see cref="EmissionUnit"/>,
    /// <see cref="ParameterUnit"/>), when the factor library loads.</summary>
    public required string Unit { get; init; }

    /// <summary>Parsed units by record instance (a <c>with</c> copy is a new instance and is parsed anew).</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<FactorRecord, object> Parsed = new();

    /// <summary>Parses <see cref="Unit"/> for the record's kind, once; a bad unit is kept as its error, thrown where the record is used.</summary>
    public void ParseUnit() => Parsed.GetValue(this, r => r.ParseNow());

    private object ParseNow()
    {
        try
        {
            return Kind == FactorKind.Emission ? FactorUnit.Parse(Unit) : Carbon.ParameterUnit.Parse(Unit);
        }
        catch (CarbonException e)
        {
            return e;
        }
    }

    private object ParsedUnit => Parsed.GetValue(this, r => r.ParseNow());

    /// <summary>The parsed unit of an emission factor.</summary>
    [JsonIgnore]
    public FactorUnit EmissionUnit
    {
        get
        {
            return ParsedUnit switch
            {
                FactorUnit fu => fu,
                CarbonException e => throw new CarbonException(e.Message),
                _ => FactorUnit.Parse(Unit),
            };
        }
    }

    /// <summary>The parsed unit of a parameter (NCV, density).</summary>
    [JsonIgnore]
    public ParameterUnit ParameterUnit
    {
        get
        {
            return ParsedUnit switch
            {
                ParameterUnit pu => pu,
                CarbonException e => throw new CarbonException(e.Message),
                _ => Carbon.ParameterUnit.Parse(Unit),
            };
        }
    }

    public FactorLevel Level { get; init; } = FactorLevel.Default;
    /// <summary>Province (北京), grid region (华北), CN for national, a supplier name for supplier-specific, empty for defaults.</summary>
    public string Region { get; init; } = "";
    /// <summary>Combustion context where factors differ (IPCC CH4/N2O): <c>stationary</c>, <c>mobile</c>; empty = any.</summary>
    public string Application { get; init; } = "";
    /// <summary>Accounting methods the record serves: <c>*</c> or a comma list of ghgp, iso14064, cn-guideline.</summary>
    public string Methods { get; init; } = "*";
    public string Publisher { get; init; } = "";
    public string Document { get; init; } = "";
    public int? DataYear { get; init; }
    public required DateOnly ValidFrom { get; init; }
    public DateOnly? ValidTo { get; init; }
    public double? CarbonContent { get; init; }
    public double? OxidationRate { get; init; }
    public string Note { get; init; } = "";
    public int Version { get; init; } = 1;
    public string CreatedBy { get; init; } = "";

    public bool ValidOn(DateOnly d) => d >= ValidFrom && (ValidTo is not { } to || d <= to);

    public bool Serves(AccountingMethod m) => Methods.Trim() == "*" ||
        Methods.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Any(x => x == AccountingMethods.Code(m));

    /// <summary>The identity shared by all versions of a record.</summary>
    public string Key => string.Join('|', Dataset, Kind, Material, Gas, Level, Region, Application, ValidFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    /// <summary>"MEE-NBS 2022 华北 (生态环境部 国家统计局 公告2024年第33号) #12 v1" — what a trace shows.</summary>
    public string Citation => Id < 0 ? $"{Dataset} {Region} ({string.Join(" ", new[] { Publisher, Document }.Where(s => s.Length > 0))}) product footprint F{(-Id).ToString(CultureInfo.InvariantCulture)} v{Version.ToString(CultureInfo.InvariantCulture)}"
        : $"{Dataset}{(DataYear is { } y ? " " + y.ToString(CultureInfo.InvariantCulture) : "")}" +
                              $"{(Region.Length > 0 ? " " + Region : "")}" +
                              $"{(Publisher.Length + Document.Length > 0 ? $" ({string.Join(" ", new[] { Publisher, Document }.Where(s => s.Length > 0))})" : "")}" +
                              $" #{Id.ToString(CultureInfo.InvariantCulture)} v{Version.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>Accounting methods of an inventory.</summary>
public enum AccountingMethod
{
    /// <summary>GHG Protocol Corporate Standard with Scope 2 Guidance (location- and market-based); IPCC 2006 fuel factors.</summary>
    Ghgp,
    /// <summary>ISO 14064-1:2018, categories 1–6; same calculations as GHG Protocol.</summary>
    Iso14064,
    /// <summary>China guidelines (GB/T 32150-2015, industry guidelines): fuel CO2 = NCV × CC × OF × 44/12.</summary>
    CnGuideline,
}

public static class AccountingMethods
{
    public static string Code(AccountingMethod m) => m switch
    {
        AccountingMethod.Ghgp => "ghgp",
        AccountingMethod.Iso14064 => "iso14064",
        AccountingMethod.CnGuideline => "cn-guideline",
        _ => throw new ArgumentOutOfRangeException(nameof(m)),
    };

    public static AccountingMethod Parse(string s) => s.Trim().ToLowerInvariant() switch
    {
        "ghgp" or "ghg-protocol" => AccountingMethod.Ghgp,
        "iso14064" or "iso-14064" or "iso14064-1" => AccountingMethod.Iso14064,
        "cn-guideline" or "cn" or "china" => AccountingMethod.CnGuideline,
        _ => throw new CarbonException($"unknown method '{s}' (expected ghgp, iso14064 or cn-guideline)"),
    };
}

/// <summary>A parsed emission factor unit: the numerator's mass scale and gas, and the basis (denominator) unit.</summary>
public readonly record struct FactorUnit(double KilogramsPerNumeratorUnit, string NumeratorGas, Unit Basis)
{
    /// <summary>Parses <c>kgCO2/kWh</c>, <c>tCO2/GJ</c>, <c>kgCH4/TJ</c>, <c>kgCO2e/pkm</c>, <c>t/t</c> …</summary>
    public static FactorUnit Parse(string unit)
    {
        var u = unit.Trim();
        var slash = u.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == u.Length - 1) throw new CarbonException($"unit '{unit}': expected <mass><gas>/<basis>, e.g. kgCO2/kWh or tCO2/GJ");
        var num = u[..slash];
        var basis = ActivityUnits.Normalize(u[(slash + 1)..]);
        var (scale, rest) = num.StartsWith("kg", StringComparison.Ordinal) ? (1.0, num[2..])
            : num.StartsWith('t') ? (1000.0, num[1..])
            : num.StartsWith('g') ? (0.001, num[1..])
            : throw new CarbonException($"unit '{unit}': the numerator must start with kg, t or g");
        if (!ActivityUnits.IsKnown(basis)) throw new CarbonException($"unit '{unit}': unknown basis '{basis}' (expected one of {string.Join(", ", ActivityUnits.All)})");
        return new FactorUnit(scale, rest, ActivityUnits.Parse(basis));
    }
}

/// <summary>A parsed parameter unit: <c>GJ/t</c> (NCV) → (GJ, t), <c>kg/L</c> (density) → (kg, L).</summary>
public readonly record struct ParameterUnit(Unit Numerator, Unit Per)
{
    public static ParameterUnit Parse(string unit)
    {
        var parts = unit.Split('/', 2, StringSplitOptions.TrimEntries);
        if (parts.Length != 2) throw new CarbonException($"parameter unit '{unit}': expected <unit>/<unit>, e.g. GJ/t or kg/L");
        return new ParameterUnit(ActivityUnits.Parse(parts[0]), ActivityUnits.Parse(parts[1]));
    }
}

/// <summary>
/// The factor chooser: for an activity's material, gas, date and place, the most specific valid record (supplier &gt;
/// provincial &gt; regional &gt; national &gt; default), then the latest data year, then the latest version. Every choice comes
/// with the reason and the candidates it beat, for the trace.
/// </summary>
public sealed class FactorLibrary
{
    /// <summary>Loads the records and parses every record's unit once.</summary>
    public FactorLibrary(IReadOnlyList<FactorRecord> records)
    {
        Records = records;
        foreach (var r in records) r.ParseUnit();
    }

    public IReadOnlyList<FactorRecord> Records { get; }

    /// <summary>Chooses a record. <paramref name="place"/> is where the park is (province, grid region, supplier);
    /// <paramref name="dataset"/> restricts to one dataset (e.g. MEE-NBS vs ETS for electricity).</summary>
    public FactorChoice? Choose(FactorKind kind, string material, string gas, DateOnly date, AccountingMethod method, Place place,
        string application = "", string? dataset = null, Func<FactorRecord, bool>? accept = null)
    {
        var candidates = Records.Where(r => r.Kind == kind
                                            && string.Equals(r.Material, material, StringComparison.OrdinalIgnoreCase)
                                            && (kind != FactorKind.Emission || string.Equals(r.Gas, gas, StringComparison.OrdinalIgnoreCase))
                                            && (dataset is null || string.Equals(r.Dataset, dataset, StringComparison.OrdinalIgnoreCase))
                                            && r.Serves(method)
                                            && (r.Application.Length == 0 || string.Equals(r.Application, application, StringComparison.OrdinalIgnoreCase))
                                            && (accept is null || accept(r)))
            .ToList();
        if (candidates.Count == 0) return null;
        var applicable = candidates.Where(r => r.ValidOn(date) && place.Matches(r)).ToList();
        if (applicable.Count == 0) return null;
        // Latest version of each key only: an older version stays for the records that used it.
        var latest = applicable.GroupBy(r => r.Key).Select(g => g.MaxBy(r => r.Version)!).ToList();
        var best = latest.OrderByDescending(r => r.Level).ThenByDescending(r => r.Application.Length)
            .ThenByDescending(r => r.DataYear ?? 0).ThenByDescending(r => r.ValidFrom).ThenByDescending(r => r.Id).First();
        // "Not used": the records for this park's own place (its province, grid region, supplier) that are more specific or newer
        // than the choice but not valid on the date. Records for other provinces, regions or suppliers never applied to this
        // park, so they are not listed (issue 14: the list used to name other provinces' factors).
        var passedOver = candidates.Where(r => r != best && r.Key != best.Key && (r.Level > best.Level || r.DataYear > best.DataYear)
                                               && place.Matches(r) && !r.ValidOn(date))
            .OrderByDescending(r => r.Level).ThenByDescending(r => r.DataYear ?? 0).ThenByDescending(r => r.ValidFrom)
            .Select(r => $"{r.Citation} not valid on {date:yyyy-MM-dd} (valid {Period(r)})")
            .Distinct().Take(4).ToList();
        var reason = $"{LevelName(best.Level)} factor{(best.Region.Length > 0 ? " for " + best.Region : "")}, valid {Period(best)}" +
                     (latest.Count > 1 ? $"; most specific of {latest.Count} valid records" : "");
        return new FactorChoice(best, reason, passedOver);
    }

    public static string Period(FactorRecord r) => $"{r.ValidFrom:yyyy-MM-dd}…{(r.ValidTo is { } t ? t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "open")}";

    public static string LevelName(FactorLevel l) => l switch
    {
        FactorLevel.Supplier => "supplier-specific",
        FactorLevel.Provincial => "provincial",
        FactorLevel.Regional => "regional",
        FactorLevel.National => "national",
        _ => "default",
    };
}

/// <summary>Where the park is, for matching factor regions.</summary>
public sealed record Place(string? Province, string? GridRegion, string? Supplier = null)
{
    public bool Matches(FactorRecord r) => r.Level switch
    {
        FactorLevel.Default => true,
        FactorLevel.National => true,
        FactorLevel.Regional => Same(r.Region, GridRegion),
        FactorLevel.Provincial => Same(r.Region, Province),
        FactorLevel.Supplier => Same(r.Region, Supplier),
        _ => false,
    };

    private static bool Same(string a, string? b) => b is { Length: > 0 } && string.Equals(Trim(a), Trim(b), StringComparison.OrdinalIgnoreCase);

    /// <summary>"北京市" and "北京", "华北区域" and "华北" name the same place.</summary>
    private static string Trim(string s)
    {
        var t = s.Trim();
        foreach (var suffix in (string[])["区域电网", "电网", "区域", "省", "市", "自治区"])
            if (t.Length > suffix.Length && t.EndsWith(suffix, StringComparison.Ordinal)) return t[..^suffix.Length];
        return t;
    }
}

/// <summary>A chosen factor with why it was chosen and what it beat.</summary>
public sealed record FactorChoice(FactorRecord Record, string Reason, IReadOnlyList<string> PassedOver)
{
    /// <summary>The record as an energy factor in kgCO2e per kWh (its basis must be an energy: kWh, MWh, GJ, …).</summary>
    public EnergyEmissionFactor EnergyFactor
    {
        get
        {
            var u = Record.EmissionUnit;
            if (u.Basis.Dimension != UnitDimension.Energy) throw new CarbonException($"unit '{Record.Unit}' of {Record.Citation} is not per energy");
            return new EnergyEmissionFactor(Record.Value * u.KilogramsPerNumeratorUnit / u.Basis.ToCanonical);
        }
    }
}
