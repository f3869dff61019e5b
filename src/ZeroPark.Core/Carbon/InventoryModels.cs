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

/// <summary>The mass of one gas in a result and its CO2-equivalent (mass × GWP, stated in tCO2e). JSON: gas, kilograms, gwp,
/// co2e_tonnes — the typed <see cref="Mass"/> and <see cref="Co2e"/> are written as those numbers (saved inventories keep their form).</summary>
public sealed record GasAmount
{
    /// <summary>A gas amount from its figures (JSON, saved results): kilograms of the gas and tCO2e.</summary>
    [JsonConstructor]
    public GasAmount(string gas, double kilograms, double gwp, double co2eTonnes)
        : this(gas, Mass.FromKilograms(kilograms), gwp, Emissions.FromTonnesCo2e(co2eTonnes))
    {
    }

    public GasAmount(string gas, Mass mass, double gwp, Emissions co2e)
    {
        Gas = gas;
        Mass = mass;
        Gwp = gwp;
        Co2e = co2e;
    }

    /// <summary>A released or emitted mass of a gas at a GWP: CO2e = kg × GWP, stated in tonnes (kg × GWP / 1000).</summary>
    public static GasAmount Of(string gas, Mass mass, double gwp) => new(gas, mass, gwp, Emissions.FromKilogramsCo2e(mass.Kilograms * gwp).ToTonnes());

    public string Gas { get; init; }

    [JsonIgnore]
    public Mass Mass { get; init; }

    /// <summary>JSON: <see cref="Mass"/> in kg.</summary>
    public double Kilograms => Mass.Kilograms;

    public double Gwp { get; init; }

    [JsonIgnore]
    public Emissions Co2e { get; init; }

    /// <summary>JSON: <see cref="Co2e"/> in tCO2e.</summary>
    public double Co2eTonnes => Co2e.TonnesCo2e;
}

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

    /// <summary>The line's activity total in its unit, a unit of the one unit table (<see cref="Units"/>). Set it, or
    /// <see cref="Activity"/> and <see cref="Unit"/> (as JSON does); not <c>required</c> so that either form initialises a line.</summary>
    [JsonIgnore]
    public Quantity Quantity { get; init; }

    /// <summary>JSON "activity" (and what displays and SQL read): the amount of <see cref="Quantity"/> in its unit.</summary>
    public double Activity
    {
        get => Quantity.Value;
        init => Quantity = Quantity with { Value = value };
    }

    /// <summary>JSON "unit": the symbol of <see cref="Quantity"/>'s unit; read back through the unit table.</summary>
    public string Unit
    {
        get => Quantity.Unit?.Symbol ?? "";
        init => Quantity = Quantity with
        {
            Unit = Units.TryParse(value, out var u) ? u : throw new JsonException($"unit '{value}' of an inventory line is not in the unit table"),
        };
    }

    /// <summary>CO2e of the line, stated in tCO2e as computed (the lines of a result add up to its totals in tonnes). Set it or
    /// <see cref="Co2eTonnes"/> (as JSON does).</summary>
    [JsonIgnore]
    public Emissions Co2e { get; init; }

    /// <summary>JSON "co2e_tonnes" (and what displays and SQL read): <see cref="Co2e"/> in tonnes — the figure results store and
    /// show (saved inventories and their fingerprints keep it).</summary>
    public double Co2eTonnes
    {
        get => Co2e.TonnesCo2e;
        init => Co2e = Emissions.FromTonnesCo2e(value);
    }

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

/// <summary>Totals of an inventory as <see cref="Emissions"/> (sums of its lines, stated in tCO2e). JSON: scope1_t, scope2_location_t,
/// scope2_market_t, scope3_t, memo_t, total_location_t, total_market_t — the tonnes accessors (saved inventories keep their form).</summary>
public sealed record InventoryTotals(
    [property: JsonIgnore] Emissions Scope1,
    [property: JsonIgnore] Emissions Scope2Location,
    [property: JsonIgnore] Emissions Scope2Market,
    [property: JsonIgnore] Emissions Scope3,
    [property: JsonIgnore] Emissions Memo)
{
    /// <summary>Totals from their figures in tCO2e (JSON, saved results).</summary>
    [JsonConstructor]
    public InventoryTotals(double scope1T, double scope2LocationT, double scope2MarketT, double scope3T, double memoT)
        : this(Emissions.FromTonnesCo2e(scope1T), Emissions.FromTonnesCo2e(scope2LocationT), Emissions.FromTonnesCo2e(scope2MarketT),
            Emissions.FromTonnesCo2e(scope3T), Emissions.FromTonnesCo2e(memoT))
    {
    }

    /// <summary>Scope 1 + scope 2 (location-based) + scope 3.</summary>
    [JsonIgnore] public Emissions TotalLocation => Scope1 + Scope2Location + Scope3;
    /// <summary>Scope 1 + scope 2 (market-based) + scope 3.</summary>
    [JsonIgnore] public Emissions TotalMarket => Scope1 + Scope2Market + Scope3;

    // The figures in tonnes: what the JSON holds and displays and SQL read.
    public double Scope1T => Scope1.TonnesCo2e;
    public double Scope2LocationT => Scope2Location.TonnesCo2e;
    public double Scope2MarketT => Scope2Market.TonnesCo2e;
    public double Scope3T => Scope3.TonnesCo2e;
    public double MemoT => Memo.TonnesCo2e;
    public double TotalLocationT => TotalLocation.TonnesCo2e;
    public double TotalMarketT => TotalMarket.TonnesCo2e;
}

/// <summary>A CO2e sum per key of one dimension (scope, category, source, gas, space, system), with the gas mass for the gas
/// dimension. JSON: key, co2e_tonnes, kilograms.</summary>
public sealed record Subtotal
{
    /// <summary>A subtotal from its figures (JSON): tCO2e and kilograms of the gas.</summary>
    [JsonConstructor]
    public Subtotal(string key, double co2eTonnes, double? kilograms = null)
        : this(key, Emissions.FromTonnesCo2e(co2eTonnes), kilograms is { } kg ? Domain.Mass.FromKilograms(kg) : null)
    {
    }

    public Subtotal(string key, Emissions co2e, Mass? mass = null)
    {
        Key = key;
        Co2e = co2e;
        Mass = mass;
    }

    public string Key { get; init; }

    [JsonIgnore]
    public Emissions Co2e { get; init; }

    /// <summary>JSON: <see cref="Co2e"/> in tCO2e.</summary>
    public double Co2eTonnes => Co2e.TonnesCo2e;

    [JsonIgnore]
    public Mass? Mass { get; init; }

    /// <summary>JSON: <see cref="Mass"/> in kg (gas dimension only).</summary>
    public double? Kilograms => Mass?.Kilograms;
}

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
                .Select(g => new Subtotal(g.Key, g.SumTonnes(x => x.Co2e), g.Aggregate(Mass.FromKilograms(0), (m, x) => m + x.Mass)))
                .OrderByDescending(s => s.Co2e).ToList();
        return groups.Select(g => new Subtotal(g.Key, g.SumTonnes(l => l.Co2e))).OrderBy(s => s.Key, StringComparer.Ordinal).ToList();
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
