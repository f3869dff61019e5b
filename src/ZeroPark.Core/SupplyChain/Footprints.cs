using System.Globalization;
using ZeroPark.Carbon;
using ZeroPark.Domain;

namespace ZeroPark.SupplyChain;

/// <summary>Life-cycle stages of a product footprint (ISO 14067 / GHG Protocol Product Standard): raw material acquisition,
/// production, transport (distribution), use, end of life.</summary>
public enum LifecycleStage
{
    RawMaterials,
    Production,
    Transport,
    Use,
    EndOfLife,
}

/// <summary>Where a footprint's figures come from.</summary>
public enum FootprintDataSource
{
    Internal,
    Supplier,
    Database,
    Literature,
}

/// <summary>Verification status of a footprint.</summary>
public enum Verification
{
    Unverified,
    SelfDeclared,
    ThirdParty,
}

/// <summary>A stage of a footprint, with its share in kgCO2e per functional unit when the source breaks the figure down.</summary>
public sealed record StageAmount(LifecycleStage Stage, double? KgCo2e);

/// <summary>
/// One product carbon footprint of the park's library: a product bought from a supplier, kgCO2e per functional unit (a unit of
/// the one unit table: t, kg, item, kWh, m3, …), its boundary and stages, data source, verification and validity.
/// </summary>
public sealed record Footprint
{
    public long Id { get; init; }
    public required string Product { get; init; }
    public required string Supplier { get; init; }
    /// <summary>What kind of purchase: building_material, construction, equipment, it_equipment, office, service, waste, other.</summary>
    public string Category { get; init; } = "other";
    /// <summary>The functional unit's symbol in the unit table (kg, t, item, kWh, m3 …).</summary>
    public required string Unit { get; init; }
    public required double KgCo2ePerUnit { get; init; }
    /// <summary>cradle-to-gate, cradle-to-grave, gate-to-gate (from the stages when not given).</summary>
    public string Boundary { get; init; } = "";
    public IReadOnlyList<StageAmount> Stages { get; init; } = [];
    public FootprintDataSource DataSource { get; init; } = FootprintDataSource.Supplier;
    public Verification Verification { get; init; } = Verification.Unverified;
    public string Verifier { get; init; } = "";
    public required DateOnly ValidFrom { get; init; }
    public DateOnly? ValidTo { get; init; }
    /// <summary>When the footprint is to be reviewed or re-assessed.</summary>
    public DateOnly? ReviewOn { get; init; }
    /// <summary>The stage-by-stage model the figure was computed from, when it was built in ZeroPark.</summary>
    public LcaModel? Model { get; init; }
    /// <summary>How it came in: csv, xlsx, pact, model, api.</summary>
    public string Origin { get; init; } = "";
    public string Note { get; init; } = "";

    public bool ValidOn(DateOnly d) => d >= ValidFrom && (ValidTo is not { } to || d <= to);

    public string StagesText => string.Join(";", Stages.Select(s => Footprints.Code(s.Stage) +
        (s.KgCo2e is { } k ? "=" + k.ToString("R", CultureInfo.InvariantCulture) : "")));
}

/// <summary>The grade the library gives a footprint, and why.</summary>
public sealed record LibraryGrade(string Grade, string Reason);

/// <summary>Parsing, normalisation, grading and the factor record of a footprint.</summary>
public static class Footprints
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static readonly IReadOnlyList<string> Categories =
        ["building_material", "construction", "equipment", "it_equipment", "office", "living", "service", "waste", "other"];

    public static string Code(LifecycleStage s) => s switch
    {
        LifecycleStage.RawMaterials => "raw_materials",
        LifecycleStage.Production => "production",
        LifecycleStage.Transport => "transport",
        LifecycleStage.Use => "use",
        _ => "end_of_life",
    };

    public static bool TryParseStage(string text, out LifecycleStage stage)
    {
        stage = default;
        switch (text.Trim().ToLowerInvariant().Replace('-', '_').Replace(' ', '_'))
        {
            case "raw_materials" or "raw_material" or "materials" or "a1" or "原材料" or "原材料获取": stage = LifecycleStage.RawMaterials; return true;
            case "production" or "manufacturing" or "a3" or "生产" or "生产制造": stage = LifecycleStage.Production; return true;
            case "transport" or "distribution" or "a2" or "a4" or "运输": stage = LifecycleStage.Transport; return true;
            case "use" or "b" or "使用": stage = LifecycleStage.Use; return true;
            case "end_of_life" or "eol" or "c" or "废弃" or "回收处置" or "报废": stage = LifecycleStage.EndOfLife; return true;
            default: return false;
        }
    }

    /// <summary>Parses <c>raw_materials;production;transport</c> or with amounts <c>raw_materials=800;production=300</c> (kgCO2e per
    /// functional unit; then they must add up to the footprint's total within 0.5 %). Separators: ; | + or space.</summary>
    public static IReadOnlyList<StageAmount> ParseStages(string text, double? total, List<string> problems)
    {
        var list = new List<StageAmount>();
        foreach (var part in text.Split([';', '|', '+', ' ', '、'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var kv = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (!TryParseStage(kv[0], out var stage))
            {
                problems.Add($"stages: unknown stage '{kv[0]}' (expected raw_materials, production, transport, use, end_of_life)");
                continue;
            }
            if (list.Any(s => s.Stage == stage))
            {
                problems.Add($"stages: '{Code(stage)}' appears twice");
                continue;
            }
            double? kg = null;
            if (kv.Length == 2)
            {
                if (double.TryParse(kv[1], NumberStyles.Float, Inv, out var v) && double.IsFinite(v) && v >= 0) kg = v;
                else problems.Add($"stages: '{kv[1]}' of {Code(stage)} is not a non-negative number");
            }
            list.Add(new StageAmount(stage, kg));
        }
        if (list.Count > 0 && list.All(s => s.KgCo2e is not null) && total is { } t)
        {
            var sum = list.Sum(s => s.KgCo2e!.Value);
            if (Math.Abs(sum - t) > 0.005 * Math.Max(Math.Abs(t), 1e-9))
                problems.Add($"stages: the stages add up to {sum.ToString("R", Inv)} kgCO2e, not the footprint's {t.ToString("R", Inv)}");
        }
        else if (list.Any(s => s.KgCo2e is not null) && list.Any(s => s.KgCo2e is null))
            problems.Add("stages: give an amount for every stage or for none");
        return list.OrderBy(s => s.Stage).ToList();
    }

    /// <summary>The boundary the stages describe.</summary>
    public static string BoundaryOf(IReadOnlyList<StageAmount> stages)
    {
        var set = stages.Select(s => s.Stage).ToHashSet();
        if (set.Contains(LifecycleStage.RawMaterials) && set.Contains(LifecycleStage.EndOfLife)) return "cradle-to-grave";
        if (set.Contains(LifecycleStage.RawMaterials)) return "cradle-to-gate";
        return set.Count > 0 ? "gate-to-gate" : "";
    }

    /// <summary>
    /// Normalises a functional unit to a unit of the one unit table: <c>t</c>, <c>吨</c>, <c>1 t</c>, <c>1000 kg</c>, <c>台</c>,
    /// <c>per 100 kWh</c>. A leading amount divides the figure: 250 kgCO2e per "1000 kg" is 0.25 kgCO2e per kg. Returns the unit
    /// and the kgCO2e per one of it. Power is refused (a footprint is per product or per energy, not per kW).
    /// </summary>
    public static (Unit Unit, double KgPerUnit) NormaliseUnit(string functionalUnit, double kgPerFunctionalUnit)
    {
        var text = functionalUnit.Trim();
        if (text.StartsWith("per ", StringComparison.OrdinalIgnoreCase)) text = text[4..].Trim();
        if (text.StartsWith('每')) text = text[1..].Trim();
        var i = 0;
        while (i < text.Length && (char.IsDigit(text[i]) || text[i] is '.' or ',' or '_')) i++;
        var amount = 1.0;
        if (i > 0)
        {
            if (!double.TryParse(text[..i].Replace(",", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, Inv, out amount) || amount <= 0)
                throw new CarbonException($"functional_unit: '{functionalUnit}' has no positive amount before its unit");
            text = text[i..].Trim();
        }
        if (!Units.TryParse(text, out var unit) || unit.Dimension == UnitDimension.Power || unit.Symbol == "Wh")
            throw new CarbonException($"functional_unit: unknown unit '{text}' (expected a unit of the unit table: {string.Join(", ", ActivityUnits.All)})");
        return (unit, kgPerFunctionalUnit / amount);
    }

    /// <summary>
    /// The library's grade: A — third-party verified supplier or internal primary data covering at least cradle to gate, valid
    /// and not overdue for review; B — supplier or internal data, self-declared or unverified, or verified but narrower;
    /// C — database or literature (secondary) data; D — expired, overdue for review, or without a boundary.
    /// </summary>
    public static LibraryGrade Grade(Footprint f, DateOnly today)
    {
        if (f.ValidTo is { } to && to < today) return new("D", $"expired on {to:yyyy-MM-dd}");
        if (f.ReviewOn is { } r && r < today) return new("D", $"review was due on {r:yyyy-MM-dd}");
        if (f.Stages.Count == 0) return new("D", "no boundary or stages given");
        var gate = f.Stages.Any(s => s.Stage == LifecycleStage.RawMaterials) && f.Stages.Any(s => s.Stage == LifecycleStage.Production);
        if (f.DataSource is FootprintDataSource.Database or FootprintDataSource.Literature)
            return new("C", $"secondary data ({f.DataSource.ToString().ToLowerInvariant()})");
        if (f.Verification == Verification.ThirdParty && gate)
            return new("A", $"primary data verified by {(f.Verifier.Length > 0 ? f.Verifier : "a third party")}, {BoundaryOf(f.Stages)}");
        return new("B", f.Verification == Verification.ThirdParty ? "verified, but does not cover raw materials and production"
            : $"primary data, {(f.Verification == Verification.SelfDeclared ? "self-declared" : "not verified")}");
    }

    /// <summary>The footprint as a supplier-level factor record (dataset <see cref="InventoryCalculator.FootprintDataset"/>, region =
    /// supplier, id = −footprint id), so the inventory's factor chooser prefers it for that supplier's records of the product.</summary>
    public static FactorRecord ToFactor(Footprint f, string? grade = null) => new()
    {
        Id = -f.Id, Dataset = InventoryCalculator.FootprintDataset, Kind = FactorKind.Emission, Material = f.Product, Gas = "CO2e", Value = f.KgCo2ePerUnit,
        Unit = "kgCO2e/" + f.Unit, Level = FactorLevel.Supplier, Region = f.Supplier, Publisher = f.Supplier,
        Document = f.Verification == Verification.ThirdParty ? "verified by " + (f.Verifier.Length > 0 ? f.Verifier : "a third party") : Describe(f.Verification),
        ValidFrom = f.ValidFrom, ValidTo = f.ValidTo, Methods = "*",
        Note = $"{N(f.KgCo2ePerUnit)} kgCO2e per {f.Unit}, {(f.Boundary.Length > 0 ? f.Boundary : BoundaryOf(f.Stages))}" +
               $"{(f.Stages.Count > 0 ? " (" + f.StagesText + ")" : "")}, {f.DataSource.ToString().ToLowerInvariant()} data, {Describe(f.Verification)}" +
               $"{(f.Verifier.Length > 0 ? " by " + f.Verifier : "")}{(grade is null ? "" : ", library grade " + grade)}",
        CreatedBy = "footprint library",
    };

    public static string Describe(Verification v) => v switch
    {
        Verification.ThirdParty => "third-party verified",
        Verification.SelfDeclared => "self-declared",
        _ => "not verified",
    };

    public static string Code(Verification v) => v switch
    {
        Verification.ThirdParty => "third_party",
        Verification.SelfDeclared => "self_declared",
        _ => "unverified",
    };

    public static string Code(FootprintDataSource s) => s.ToString().ToLowerInvariant();

    public static bool TryParseSource(string s, out FootprintDataSource source)
    {
        source = FootprintDataSource.Supplier;
        switch (s.Trim().ToLowerInvariant())
        {
            case "" or "supplier" or "供应商": return true;
            case "internal" or "内部": source = FootprintDataSource.Internal; return true;
            case "database" or "db" or "数据库": source = FootprintDataSource.Database; return true;
            case "literature" or "文献": source = FootprintDataSource.Literature; return true;
            default: return false;
        }
    }

    /// <summary>The <c>verified</c> column: true/yes/1/是/third_party → third-party; self/self_declared/自声明 → self-declared;
    /// false/no/0/否/unverified/empty → unverified.</summary>
    public static bool TryParseVerification(string s, out Verification v)
    {
        v = Verification.Unverified;
        switch (s.Trim().ToLowerInvariant())
        {
            case "true" or "yes" or "y" or "1" or "是" or "third_party" or "verified" or "已核查": v = Verification.ThirdParty; return true;
            case "self" or "self_declared" or "自声明": v = Verification.SelfDeclared; return true;
            case "" or "false" or "no" or "n" or "0" or "否" or "unverified" or "未核查": return true;
            default: return false;
        }
    }

    public static bool TryParseVerificationCode(string s, out Verification v) => TryParseVerification(s, out v);

    private static string N(double v) => v.ToString("#,0.#########", Inv);
}
