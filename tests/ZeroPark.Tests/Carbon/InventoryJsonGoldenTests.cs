using System.Text.Json;
using System.Text.Json.Serialization;
using ZeroPark.Application.Carbon;
using ZeroPark.Carbon;

namespace ZeroPark.Tests.CarbonAccounting;

/// <summary>
/// The JSON of inventory results is a contract: saved inventories are stored as this JSON and sealed with its SHA-256
/// (CarbonService.SaveAsync, SealService.FinalizeAsync recompute and compare), and the REST API returns it. The golden files in
/// Carbon/Golden/ were written by the code as it was BEFORE inventory lines and totals held typed quantities (Emissions, Quantity)
/// — commit "Golden JSON of two worked inventories" — and every later version must write the very same bytes for the same inputs,
/// read them back and write them again unchanged. The inputs exercise each kind of line: China-guideline and IPCC combustion
/// (density, NCV, CO2/CH4/N2O), blends and pure gases released, a refrigerant mass balance, an R22 memo item, location- and
/// market-based electricity with every instrument kind (one pro rata, one from another market), purchased heat/steam/cooling,
/// scope 3 by mass, money, distance and count (with a supplier-level factor and the equipment rule) and unresolved activities.
/// </summary>
public sealed class InventoryJsonGoldenTests
{
    private static readonly DateOnly From = new(2025, 1, 1);
    private static readonly DateOnly To = new(2025, 12, 31);

    private static FactorRecord F(string dataset, string material, string gas, double value, string unit, string methods = "*", FactorKind kind = FactorKind.Emission,
        string application = "", FactorLevel level = FactorLevel.Default, string region = "", double? cc = null, double? of = null, int? year = null) =>
        new()
        {
            Dataset = dataset, Kind = kind, Material = material, Gas = gas, Value = value, Unit = unit, Methods = methods, Application = application,
            Level = level, Region = region, CarbonContent = cc, OxidationRate = of, ValidFrom = new DateOnly(2000, 1, 1), DataYear = year,
            Publisher = dataset == "MEE-NBS" ? "生态环境部 国家统计局" : "", Document = dataset == "MEE-NBS" ? "公告2024年第33号" : "",
        };

    private static readonly FactorRecord[] Factors =
    [
        // China guideline (GB/T 32150) fuels.
        F("GBT32150", "diesel", "", 42.652, "GJ/t", "cn-guideline", FactorKind.Ncv),
        F("GBT32150", "diesel", "CO2", 0.0202 * 0.98 * 44 / 12, "tCO2/GJ", "cn-guideline", cc: 0.0202, of: 0.98),
        F("GBT32150", "natural_gas", "", 389.31, "GJ/10^4Nm3", "cn-guideline", FactorKind.Ncv),
        F("GBT32150", "natural_gas", "CO2", 0.0153 * 0.99 * 44 / 12, "tCO2/GJ", "cn-guideline", cc: 0.0153, of: 0.99),
        F("GBT32150", "gasoline", "", 43.070, "GJ/t", "cn-guideline", FactorKind.Ncv),
        F("GBT32150", "gasoline", "CO2", 0.0189 * 0.98 * 44 / 12, "tCO2/GJ", "cn-guideline", cc: 0.0189, of: 0.98),
        F("D", "gasoline", "", 0.73, "kg/L", kind: FactorKind.Density),
        F("D", "diesel", "", 0.84, "kg/L", kind: FactorKind.Density),
        // IPCC 2006 fuels (GHG Protocol, ISO 14064).
        F("IPCC2006", "diesel", "", 43.0, "GJ/t", "ghgp,iso14064", FactorKind.Ncv),
        F("IPCC2006", "diesel", "CO2", 74_100, "kgCO2/TJ", "ghgp,iso14064"),
        F("IPCC2006", "diesel", "CH4-fossil", 10, "kgCH4/TJ", "ghgp,iso14064", application: "stationary"),
        F("IPCC2006", "diesel", "N2O", 0.6, "kgN2O/TJ", "ghgp,iso14064", application: "stationary"),
        F("IPCC2006", "diesel", "CH4-fossil", 3.9, "kgCH4/TJ", "ghgp,iso14064", application: "mobile"),
        F("IPCC2006", "diesel", "N2O", 3.9, "kgN2O/TJ", "ghgp,iso14064", application: "mobile"),
        F("IPCC2006", "natural_gas", "", 48.0, "GJ/t", "ghgp,iso14064", FactorKind.Ncv),
        F("IPCC2006", "natural_gas", "", 389.31, "GJ/10^4Nm3", "ghgp,iso14064", FactorKind.Ncv),
        F("IPCC2006", "natural_gas", "CO2", 56_100, "kgCO2/TJ", "ghgp,iso14064"),
        F("IPCC2006", "natural_gas", "CH4-fossil", 1, "kgCH4/TJ", "ghgp,iso14064", application: "stationary"),
        F("IPCC2006", "natural_gas", "N2O", 0.1, "kgN2O/TJ", "ghgp,iso14064", application: "stationary"),
        // Electricity: grid average and residual mix.
        F("MEE-NBS", "electricity", "CO2", 0.5366, "kgCO2/kWh", level: FactorLevel.National, region: "CN", year: 2022),
        F("MEE-NBS", "electricity", "CO2", 0.6776, "kgCO2/kWh", level: FactorLevel.Regional, region: "华北", year: 2022),
        F("MEE-NBS-RESIDUAL", "electricity_residual", "CO2", 0.5856, "kgCO2/kWh", level: FactorLevel.National, region: "CN", year: 2022),
        // Purchased heat (steam falls back to it) and cooling.
        F("GBT32150", "heat", "CO2", 0.11, "tCO2/GJ"),
        F("USER", "cooling", "CO2e", 0.173, "kgCO2e/kWh"),
        // Scope 3.
        F("CPCD", "server", "CO2e", 1_318.7, "kgCO2e/item"),
        F("SUP", "server", "CO2e", 987.65, "kgCO2e/item", level: FactorLevel.Supplier, region: "华为"),
        F("DEFRA", "flight_domestic", "CO2e", 0.14677, "kgCO2e/pkm"),
        F("DEFRA", "car_petrol", "CO2e", 0.16844, "kgCO2e/km"),
        F("DEFRA", "truck", "CO2e", 0.10713, "kgCO2e/tkm"),
        F("CPCD", "waste_landfill", "CO2e", 0.5867, "tCO2e/t"),
        F("CPCD", "cold_rolled_steel", "CO2e", 2.53, "tCO2e/t"),
        F("EEIO", "it_services", "CO2e", 0.613, "tCO2e/10^4CNY"),
        F("CPCD", "diesel_upstream", "CO2e", 0.617, "kgCO2e/L"),
    ];

    private static Activity A(string source, string material, double amount, string unit, int month = 6, string? space = null, string? system = null,
        int? cat = null, string? supplier = null, double? density = null, double? ncv = null, string origin = "", string? meter = null) =>
        new()
        {
            Date = new DateOnly(2025, month, month == 2 ? 28 : 15), Source = source, Material = material, Amount = amount, Unit = unit, Space = space, System = system,
            Scope3Category = cat, Supplier = supplier, Density = density, Ncv = ncv, Origin = origin, Meter = meter,
        };

    private static readonly Activity[] Activities =
    [
        A("diesel_generator", "diesel", 20_000, "L", 1, "B1", "power", origin: "record #1 (by alice, 2025-01-20, evidence INV-1)"),
        A("diesel_generator", "diesel", 7_333.3, "L", 7, "B1", "power", origin: "record #2"),
        A("diesel_generator", "diesel", 1.234, "t", 8, "B2", "power", origin: "record #3"),
        A("vehicle", "diesel", 3_210.75, "升", 3, origin: "record #4"),
        A("vehicle", "gasoline", 5_000, "L", 4, origin: "record #5"),
        A("boiler", "natural_gas", 12.3456, "10^4Nm3", 2, "B1", "heating", origin: "record #6"),
        A("canteen", "natural_gas", 8_765.4, "Nm3", 5, ncv: 385.2, origin: "record #7"),
        A("refrigerant_leak", "R410A", 12.5, "kg", 3, "B1", "cooling", origin: "record #8"),
        A("refrigerant_leak", "R407C", 7.25, "kg", 9, "B2", "cooling", origin: "record #9"),
        A("fire_suppressant", "HFC-227ea", 33.3, "kg", 10, "B2", origin: "record #10"),
        A("sf6_leak", "SF6", 0.8, "kg", 11, origin: "record #11"),
        A("refrigerant_leak", "R22", 4.4, "kg", 6, "B1", origin: "record #12"),
        A("refrigerant_stock_start", "R134a", 100, "kg", 1, origin: "record #13"),
        A("refrigerant_purchased", "R134a", 15.75, "kg", 6, origin: "record #14"),
        A("refrigerant_recovered", "R134a", 5.2, "kg", 9, origin: "record #15"),
        A("refrigerant_stock_end", "R134a", 80.1, "kg", 12, origin: "record #16"),
        A("purchased_electricity", "electricity", 1_234_567.89, "kWh", 1, "B1", meter: "GRID-1", origin: "meter GRID-1 (rollup 2025-01)"),
        A("purchased_electricity", "electricity", 1_198_765.43, "kWh", 2, "B1", meter: "GRID-1", origin: "meter GRID-1 (rollup 2025-02)"),
        A("purchased_electricity", "electricity", 987.654321, "MWh", 3, "B2", meter: "GRID-2", origin: "meter GRID-2 (rollup 2025-03)"),
        A("purchased_electricity", "electricity", 2.1, "GWh", 7, "B2", meter: "GRID-2", origin: "meter GRID-2 (rollup 2025-07)"),
        A("purchased_heat", "heat", 1_500.5, "GJ", 1, "B1", origin: "record #17"),
        A("purchased_steam", "steam", 333.3, "GJ", 2, "B2", origin: "record #18"),
        A("purchased_cooling", "cooling", 45_678.9, "kWh", 8, "B2", origin: "record #19"),
        A("purchased_goods", "server", 120, "item", 4, supplier: "华为", origin: "record #20"),
        A("purchased_goods", "server", 37, "台", 5, supplier: "浪潮", origin: "record #21"),
        A("business_travel", "flight_domestic", 253_421.7, "pkm", 6, origin: "record #22"),
        A("commuting", "car_petrol", 98_765.4, "km", 7, origin: "record #23"),
        A("upstream_transport", "truck", 12_345.6, "tkm", 8, origin: "record #24"),
        A("waste", "waste_landfill", 12.34, "t", 9, origin: "record #25"),
        A("equipment", "chiller", 8.7, "t", 10, origin: "record #26"),
        A("scope3", "it_services", 45.6, "10^4CNY", 11, cat: 1, origin: "record #27"),
        A("fuel_energy_upstream", "diesel_upstream", 27_333.3, "L", 12, origin: "record #28"),
        // Unresolved: an unknown unit, a material without a factor.
        A("vehicle", "diesel", 12, "barrel", 5, origin: "record #29"),
        A("purchased_goods", "unobtainium", 3, "kg", 6, origin: "record #30"),
        // Outside the period: left out.
        new() { Date = new DateOnly(2026, 1, 1), Source = "diesel_generator", Material = "diesel", Amount = 1, Unit = "t" },
    ];

    private static readonly Instrument[] Instruments =
    [
        new() { Id = 1, Kind = InstrumentKind.GreenPower, QuantityKwh = 1_111_111.1, CoverFrom = new(2025, 1, 1), CoverTo = new(2025, 12, 31), Reference = "GP-2025", Region = "河北" },
        new() { Id = 2, Kind = InstrumentKind.Gec, QuantityKwh = 777 * 1_000, CoverFrom = new(2024, 7, 1), CoverTo = new(2025, 6, 30), Reference = "GEC-A" },
        new() { Id = 3, Kind = InstrumentKind.SupplierRate, QuantityKwh = 654_321, FactorKgPerKwh = 0.3187, CoverFrom = new(2025, 3, 1), CoverTo = new(2025, 9, 30), Reference = "SUP-7" },
        new() { Id = 4, Kind = InstrumentKind.Gec, QuantityKwh = 100_000, CoverFrom = new(2025, 1, 1), CoverTo = new(2025, 12, 31), Reference = "GEC-YN", Region = "云南" },
    ];

    private static InventoryRequest Request(AccountingMethod method, GwpSet gwp, double share = 1) => new()
    {
        Boundary = "P1", From = From, To = To, Method = method, Gwp = gwp, Place = new Place("河北", "华北"), Activities = Activities,
        Library = new FactorLibrary(Factors.Select((f, i) => f with { Id = i + 1 }).ToList()), Instruments = Instruments, InstrumentShare = share,
    };

    /// <summary>The golden cases: file name and the result it holds.</summary>
    public static readonly IReadOnlyList<(string File, Func<InventoryResult> Compute)> Cases =
    [
        ("inventory-ghgp-ar5.json", () => InventoryCalculator.Compute(Request(AccountingMethod.Ghgp, GwpSet.AR5))),
        ("inventory-cn-guideline-ar6.json", () => InventoryCalculator.Compute(Request(AccountingMethod.CnGuideline, GwpSet.AR6, share: 0.37))),
        ("inventory-iso14064-ar4-location-residual.json", () => InventoryCalculator.Compute(Request(AccountingMethod.Iso14064, GwpSet.AR4) with { Residual = ResidualMode.Location })),
    ];

    /// <summary>The REST API's JSON options (ZeroParkServer: web defaults, snake_case names, enums as snake_case strings).</summary>
    private static readonly JsonSerializerOptions Api = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    private static string Golden(string file)
    {
        var path = Path.Combine(GoldenDirectory(), file);
        // The files end with the one newline the editor settings ask for; the JSON itself is the bytes before it.
        var text = File.ReadAllText(path);
        return text.EndsWith('\n') ? text[..^1] : text;
    }

    /// <summary>The golden files as copied next to the test assembly (ZeroPark.Tests.csproj).</summary>
    private static string GoldenDirectory() => Path.Combine(AppContext.BaseDirectory, "Carbon", "Golden");

    /// <summary>The stored form (CarbonJson.Options), the API's inventory view and one line's explanation, for each case.</summary>
    private static IEnumerable<(string File, string Json)> Written()
    {
        foreach (var (file, compute) in Cases)
        {
            var r = compute();
            yield return (file, JsonSerializer.Serialize(r, CarbonJson.Options));
            yield return ("view-" + file, JsonSerializer.Serialize(InventoryView.Of("P1", r), Api));
            yield return ("explain-" + file, JsonSerializer.Serialize(r.Lines.Select(l => ExplainView.Of("P1", 7, r, l)).ToList(), Api));
        }
    }

    [Fact]
    public void Results_serialise_to_the_golden_bytes()
    {
        if (Environment.GetEnvironmentVariable("ZEROPARK_WRITE_GOLDEN") == "1")
        {
            // Only for recording the golden files from a version known to be right; never set in CI.
            var dir = Path.Combine(Path.GetDirectoryName(SourceFile())!, "Golden");
            Directory.CreateDirectory(dir);
            foreach (var (file, json) in Written()) File.WriteAllText(Path.Combine(dir, file), json + "\n");
        }
        foreach (var (file, json) in Written())
            Assert.True(Golden(file) == json, $"{file}: the JSON differs from the golden file at byte {FirstDifference(Golden(file), json)}");
    }

    [Fact]
    public void Stored_results_read_back_and_write_the_same_bytes()
    {
        foreach (var (file, _) in Cases)
        {
            var golden = Golden(file);
            var read = JsonSerializer.Deserialize<InventoryResult>(golden, CarbonJson.Options)!;
            Assert.Equal(golden, JsonSerializer.Serialize(read, CarbonJson.Options));
        }
    }

    [Fact]
    public void The_golden_cases_cover_every_kind_of_line()
    {
        var r = Cases[0].Compute();
        Assert.Equal(3, r.Unresolved.Count);   // gasoline has no IPCC factor here, barrel is no unit, unobtainium has no factor
        foreach (var source in (string[])["diesel_generator", "vehicle", "boiler", "canteen", "refrigerant_leak", "fire_suppressant", "sf6_leak",
                     "refrigerant_mass_balance", "purchased_electricity", "purchased_heat", "purchased_steam", "purchased_cooling", "purchased_goods",
                     "business_travel", "commuting", "upstream_transport", "waste", "equipment", "scope3", "fuel_energy_upstream"])
            Assert.Contains(r.Lines, l => l.Source == source);
        Assert.Contains(r.Lines, l => l.Scope == GhgScope.Memo);
        Assert.Contains(r.Lines, l => l.Basis == Scope2Basis.Market && l.Material == "electricity (gec)");
        Assert.Contains(r.Lines, l => l.Basis == Scope2Basis.Market && l.Material == "electricity (supplier_rate)");
        Assert.Contains(r.Lines, l => l.Gases.Count == 3);
        Assert.Contains(r.Market.Instruments, i => i.AppliedKwh == 0 && i.Note.StartsWith("not applied", StringComparison.Ordinal));
    }

    private static string SourceFile([System.Runtime.CompilerServices.CallerFilePath] string source = "") => source;

    private static int FirstDifference(string a, string b)
    {
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
            if (a[i] != b[i]) return i;
        return n;
    }
}
