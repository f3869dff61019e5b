using System.Text.Json;
using System.Text.Json.Serialization;
using ZeroPark.Domain;

namespace ZeroPark.Carbon;

/// <summary>What the remainder of grid electricity not covered by instruments is multiplied by in the market-based method.</summary>
public enum ResidualMode
{
    /// <summary>The residual-mix proxy (material <c>electricity_residual</c>; shipped: MEE/NBS national average excluding
    /// market-traded non-fossil electricity).</summary>
    Residual,
    /// <summary>The location-based grid average (some Chinese guides do this; GHG Protocol asks to disclose it).</summary>
    Location,
}

/// <summary>The basis of a scope 2 line (GHG Protocol Scope 2 Guidance): location-based, market-based, or both (purchased heat,
/// steam and cooling, whose one figure counts in both totals); <see cref="None"/> outside scope 2.</summary>
public enum Scope2Basis
{
    None,
    Location,
    Market,
    Both,
}

public static class Scope2Bases
{
    /// <summary>The code results show: "", location, market, both.</summary>
    public static string Code(this Scope2Basis b) => b switch
    {
        Scope2Basis.Location => "location",
        Scope2Basis.Market => "market",
        Scope2Basis.Both => "both",
        _ => "",
    };

    public static Scope2Basis Parse(string? code) => (code ?? "").Trim().ToLowerInvariant() switch
    {
        "" => Scope2Basis.None,
        "location" => Scope2Basis.Location,
        "market" => Scope2Basis.Market,
        "both" => Scope2Basis.Both,
        _ => throw new CarbonException($"unknown scope 2 basis '{code}' (expected location, market or both)"),
    };

    /// <summary>JSON as the code string (saved inventories keep their form).</summary>
    public sealed class JsonConverter : JsonConverter<Scope2Basis>
    {
        public override Scope2Basis Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Parse(reader.GetString());
        public override void Write(Utf8JsonWriter writer, Scope2Basis value, JsonSerializerOptions options) => writer.WriteStringValue(value.Code());
    }
}

/// <summary>Everything an inventory calculation needs; the calculation itself does no I/O.</summary>
public sealed record InventoryRequest
{
    /// <summary>Organisational boundary: the park code or a building code.</summary>
    public required string Boundary { get; init; }
    public required DateOnly From { get; init; }
    public required DateOnly To { get; init; }
    public required AccountingMethod Method { get; init; }
    public required GwpSet Gwp { get; init; }
    public required Place Place { get; init; }
    public required IReadOnlyList<Activity> Activities { get; init; }
    public required FactorLibrary Library { get; init; }
    public IReadOnlyList<Instrument> Instruments { get; init; } = [];
    /// <summary>Share of the park's instruments available to this boundary (a building gets its share of the park's grid
    /// consumption; 1 for the park).</summary>
    public double InstrumentShare { get; init; } = 1;
    /// <summary>Dataset of location-based electricity factors (MEE-NBS, ETS, or a user dataset).</summary>
    public string GridDataset { get; init; } = "MEE-NBS";
    public ResidualMode Residual { get; init; } = ResidualMode.Residual;
}

/// <summary>The mass of one gas in a result and its CO2-equivalent.</summary>
public sealed record GasAmount(string Gas, double Kilograms, double Gwp, double Co2eTonnes);

/// <summary>A factor record as used by a result (the record id pins the version).</summary>
public sealed record FactorUse(long Id, int Version, string Role, string Dataset, string Material, string Gas, double Value, string Unit, string Level,
    string Region, string Publisher, string Document, int? DataYear, DateOnly ValidFrom, DateOnly? ValidTo, string Citation, string Reason,
    IReadOnlyList<string> PassedOver)
{
    public static FactorUse Of(FactorChoice c, string role) => new(c.Record.Id, c.Record.Version, role, c.Record.Dataset, c.Record.Material, c.Record.Gas,
        c.Record.Value, c.Record.Unit, FactorLibrary.LevelName(c.Record.Level), c.Record.Region, c.Record.Publisher, c.Record.Document, c.Record.DataYear,
        c.Record.ValidFrom, c.Record.ValidTo, c.Record.Citation, c.Reason, c.PassedOver);

    public static FactorUse Given(string role, double value, string unit, string source) =>
        new(0, 0, role, "record", "", "", value, unit, "record", "", "", source, null, DateOnly.MinValue, null, source, "given with the activity record", []);
}

/// <summary>
/// One result line: one source × material × place × factor set over the period, with its activity total, the factors
/// used and the arithmetic that turns the one into the other — enough for an auditor to redo it by hand.
/// </summary>
public sealed record InventoryLine
{
    public required string Id { get; init; }
    public required GhgScope Scope { get; init; }
    /// <summary>Scope 2 basis: location, market, or both (heat, steam, cooling); none outside scope 2. JSON: the code string.</summary>
    [JsonConverter(typeof(Scope2Bases.JsonConverter))]
    public Scope2Basis Basis { get; init; }
    public int IsoCategory { get; init; }
    public int? Scope3Category { get; init; }
    public required string Source { get; init; }
    public required string Material { get; init; }
    public required double Activity { get; init; }
    public required string Unit { get; init; }
    /// <summary>CO2e of the line in tonnes: the figure results store and show (saved inventories and their fingerprints keep it).</summary>
    public required double Co2eTonnes { get; init; }

    /// <summary>CO2e of the line as a quantity.</summary>
    [JsonIgnore]
    public Emissions Co2e => Emissions.FromTonnesCo2e(Co2eTonnes);

    public required IReadOnlyList<GasAmount> Gases { get; init; }
    public required IReadOnlyList<FactorUse> Factors { get; init; }
    /// <summary>The main factor in words: "0.5366 kgCO2/kWh" or "GWP 1923.5 (AR5)".</summary>
    public required string Factor { get; init; }
    public required string FactorSource { get; init; }
    public required string Formula { get; init; }
    public required IReadOnlyList<string> Trace { get; init; }
    public string? Space { get; init; }
    public string? System { get; init; }
    /// <summary>Where the activity came from: meters (with months) and record ids (with who/when/evidence).</summary>
    public required IReadOnlyList<string> Origins { get; init; }
    /// <summary>The supplier of what the line's activity records bought (scope 3), when the records name one; not written when null
    /// (saved inventories without suppliers keep their form).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Supplier { get; init; }
    /// <summary>Ozone depletion (kg CFC-11-eq) of memo items such as R22.</summary>
    public double? OdsKgCfc11 { get; init; }
}

/// <summary>How instruments were applied to grid consumption in the market-based method.</summary>
public sealed record InstrumentAllocation(long InstrumentId, string Kind, string Reference, double AvailableKwh, double AppliedKwh, double UnusedKwh,
    double FactorKgPerKwh, string Note);

public sealed record MarketBasedDetail(double GridKwh, double InstrumentKwh, double UncoveredKwh, string Residual, IReadOnlyList<InstrumentAllocation> Instruments);

/// <summary>An activity that could not be turned into emissions, with the reason (the inventory says it is incomplete).</summary>
public sealed record UnresolvedActivity(string Source, string Material, double Amount, string Unit, DateOnly Date, string Origin, string Reason);

/// <summary>Totals in tonnes CO2e (the stored and shown figures) and as <see cref="Emissions"/> quantities.</summary>
public sealed record InventoryTotals(double Scope1T, double Scope2LocationT, double Scope2MarketT, double Scope3T, double MemoT)
{
    public double TotalLocationT => Scope1T + Scope2LocationT + Scope3T;
    public double TotalMarketT => Scope1T + Scope2MarketT + Scope3T;

    [JsonIgnore] public Emissions Scope1 => Emissions.FromTonnesCo2e(Scope1T);
    [JsonIgnore] public Emissions Scope2Location => Emissions.FromTonnesCo2e(Scope2LocationT);
    [JsonIgnore] public Emissions Scope2Market => Emissions.FromTonnesCo2e(Scope2MarketT);
    [JsonIgnore] public Emissions Scope3 => Emissions.FromTonnesCo2e(Scope3T);
    [JsonIgnore] public Emissions Memo => Emissions.FromTonnesCo2e(MemoT);
    [JsonIgnore] public Emissions TotalLocation => Emissions.FromTonnesCo2e(TotalLocationT);
    [JsonIgnore] public Emissions TotalMarket => Emissions.FromTonnesCo2e(TotalMarketT);
}

/// <summary>A CO2e sum per key of one dimension (scope, category, source, gas, space, system).</summary>
public sealed record Subtotal(string Key, double Co2eTonnes, double? Kilograms = null);

public sealed record InventoryResult
{
    public required string Boundary { get; init; }
    public required DateOnly From { get; init; }
    public required DateOnly To { get; init; }
    public required AccountingMethod Method { get; init; }
    public required GwpSet Gwp { get; init; }
    public required InventoryTotals Totals { get; init; }
    public required IReadOnlyList<InventoryLine> Lines { get; init; }
    public required MarketBasedDetail Market { get; init; }
    public required IReadOnlyList<UnresolvedActivity> Unresolved { get; init; }
    public required IReadOnlyList<string> Notes { get; init; }

    public bool Complete => Unresolved.Count == 0;

    /// <summary>Subtotals per dimension; scope 2 counts location-based (market-based lines are in <c>scope</c> as scope2_market).</summary>
    public IReadOnlyList<Subtotal> By(string dimension)
    {
        // Market-based scope 2 lines would double count scope 2 in every dimension but 'scope'; memo items (R22) are never part
        // of a scope, so they are left out of every dimension but 'scope' (key memo) too.
        var lines = Lines.Where(l => l.Basis != Scope2Basis.Market && l.Scope != GhgScope.Memo);
        IEnumerable<IGrouping<string, InventoryLine>> groups = dimension switch
        {
            "scope" => Lines.GroupBy(ScopeKey),
            "iso_category" => lines.Where(l => l.Scope != GhgScope.Memo).GroupBy(l => "category " + l.IsoCategory),
            "scope3_category" => lines.Where(l => l.Scope == GhgScope.Scope3).GroupBy(l => $"{l.Scope3Category}. {Sources.Scope3Categories[(l.Scope3Category ?? 1) - 1]}"),
            "source" => lines.GroupBy(l => l.Source),
            "space" => lines.GroupBy(l => l.Space ?? Boundary),
            "system" => lines.GroupBy(l => l.System ?? "(none)"),
            "material" => lines.GroupBy(l => l.Material),
            "gas" => [],
            _ => throw new CarbonException($"unknown dimension '{dimension}' (expected scope, iso_category, scope3_category, source, space, system, material or gas)"),
        };
        if (dimension == "gas")
            return lines.Where(l => l.Scope != GhgScope.Memo).SelectMany(l => l.Gases).GroupBy(g => g.Gas)
                .Select(g => new Subtotal(g.Key, g.Sum(x => x.Co2eTonnes), g.Sum(x => x.Kilograms))).OrderByDescending(s => s.Co2eTonnes).ToList();
        return groups.Select(g => new Subtotal(g.Key, g.Sum(l => l.Co2eTonnes))).OrderBy(s => s.Key, StringComparer.Ordinal).ToList();
    }

    private static string ScopeKey(InventoryLine l) => l.Scope switch
    {
        GhgScope.Scope1 => "scope1",
        GhgScope.Scope2 when l.Basis == Scope2Basis.Market => "scope2_market",
        GhgScope.Scope2 when l.Basis == Scope2Basis.Location => "scope2_location",
        GhgScope.Scope2 => "scope2_location_and_market",
        GhgScope.Scope3 => "scope3",
        _ => "memo",
    };
}
