using System.Text.Json;
using ZeroPark.Application;
using ZeroPark.Tests.EnergyManagement;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.CarbonAccounting;

/// <summary>The command-line contract of <c>zeropark activities</c>, <c>zeropark factors</c> and <c>zeropark carbon</c>, run in-process
/// on SQLite and PostgreSQL over the hand-worked park of <see cref="EnergyTestPark"/> (grid 3,120 kWh on 2025-01-31 and 3,360 kWh
/// on 2025-02-01; no province, so the 2023 national MEE/NBS factor 0.5306 applies).</summary>
public abstract class CarbonCliSuite
{
    private const string Park = "c1";

    protected abstract string NewDatabase();

    private static Task<InProcessCli.Run> Cli(params string[] args) => InProcessCli.RunAsync(args);

    private async Task<string> SeededAsync()
    {
        var db = NewDatabase();
        await using var store = await ZeroParkStore.OpenAsync(db);
        await EnergyTestPark.SeedAsync(store, Park);
        return db;
    }

    private static JsonElement Json(InProcessCli.Run r)
    {
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.Err}");
        using var doc = JsonDocument.Parse(r.Out);
        return doc.RootElement.Clone();
    }

    private static string TempCsv(string content)
    {
        var path = Path.Combine(Path.GetTempPath(), $"zp-carbon-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task Activities_import_then_inventory_json_has_the_contract_fields()
    {
        var db = await SeededAsync();
        var file = TempCsv("""
            date,source,material,amount,unit,scope3_category,note
            2025-01-31,diesel_generator,diesel,20000,L,,monthly test runs
            2025-02-01,refrigerant_leak,R22,30,kg,,legacy CRAC
            2025-02-01,refrigerant_leak,R410A,fifty,kg,,
            2025-02-01,sf6_leak,SF6,3,kg,,110 kV GIS
            """);
        var imp = await Cli("activities", "import", "--db", db, "--park", Park, file);
        Assert.Equal(0, imp.ExitCode);
        Assert.Contains("accepted 3, duplicates 0, corrected 0, rejected 1", imp.Out, StringComparison.Ordinal);
        Assert.Contains("line 4: amount: 'fifty' is not a number", imp.Out, StringComparison.Ordinal);

        var inv = Json(await Cli("carbon", "inventory", "--db", db, "--park", Park, "--from", "2025-01-31", "--to", "2025-02-01",
            "--method", "cn-guideline", "--gwp", "AR5", "--format", "json"));
        foreach (var field in new[] { "scope1_t", "scope2_location_t", "scope2_market_t", "scope3_t", "memo_items", "lines" })
            Assert.True(inv.TryGetProperty(field, out _), $"missing {field}");
        // Scope 1: diesel 20,000 L (WC-10) 52.0113 t + SF6 3 kg × 23,500 (AR5) / 1000 = 70.5 t → 122.5113 t.
        Assert.Equal(122.5113, inv.GetProperty("scope1_t").GetDouble(), 0.01);
        // Scope 2 location: 6,480 kWh × 0.5306 / 1000 = 3.438288 t.
        Assert.Equal(3.438288, inv.GetProperty("scope2_location_t").GetDouble(), 1e-9);
        Assert.Equal(0, inv.GetProperty("scope3_t").GetDouble());
        // R22 30 kg (WC-17 AR5): 52.8 t as a memo item.
        var memo = Assert.Single(inv.GetProperty("memo_items").EnumerateArray());
        Assert.Equal(52.8, memo.GetProperty("co2e_t").GetDouble(), 1e-9);
        var lines = inv.GetProperty("lines").EnumerateArray().ToList();
        foreach (var l in lines)
            foreach (var field in new[] { "scope", "source", "activity", "unit", "factor", "factor_source", "co2e_t" })
                Assert.True(l.TryGetProperty(field, out _), $"line missing {field}");
        var diesel = lines.Single(l => l.GetProperty("source").GetString() == "diesel_generator");
        Assert.Equal("scope1", diesel.GetProperty("scope").GetString());
        Assert.Equal(20_000, diesel.GetProperty("activity").GetDouble());
        Assert.Equal("L", diesel.GetProperty("unit").GetString());
        Assert.Contains("GBT32150", diesel.GetProperty("factor_source").GetString(), StringComparison.Ordinal);
        var grid = lines.Single(l => l.GetProperty("basis").GetString() == "location");
        Assert.Equal("0.5306 kgCO2/kWh", grid.GetProperty("factor").GetString());
        Assert.Contains("MEE-NBS 2023", grid.GetProperty("factor_source").GetString(), StringComparison.Ordinal);

        // explain prints the trace of the diesel line.
        var id = diesel.GetProperty("id").GetString()!;
        var ex = await Cli("carbon", "explain", "--db", db, "--park", Park, id, "--from", "2025-01-31", "--to", "2025-02-01", "--method", "cn-guideline", "--gwp", "AR5");
        Assert.Equal(0, ex.ExitCode);
        Assert.Contains("20,000 L × 0.84 kg/L", ex.Out, StringComparison.Ordinal);
        Assert.Contains("= 16,800 kg = 16.8 t", ex.Out, StringComparison.Ordinal);
        Assert.Contains("716.5536 GJ × 0.0202 tC/GJ × 0.98 (oxidation) × 44/12", ex.Out, StringComparison.Ordinal);
        Assert.Contains("record #", ex.Out, StringComparison.Ordinal);
        Assert.Contains("formula: E_CO2 = AD (GJ) × CC (tC/GJ) × OF × 44/12", ex.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Save_restate_versions_finalize_and_xlsx()
    {
        var db = await SeededAsync();
        var add = await Cli("carbon", "instrument", "add", "--db", db, "--park", Park, "--kind", "gec", "--quantity", "2", "--cover-from", "2025-01-31",
            "--cover-to", "2025-02-01", "--reference", "GEC-1");
        Assert.True(add.ExitCode == 0, add.Err);
        var save1 = Json(await Cli("carbon", "inventory", "--db", db, "--park", Park, "--year", "2025", "--save", "--format", "json"));
        Assert.Equal(1, save1.GetProperty("version").GetInt32());
        // 2 GEC cover 2,000 kWh of 6,480; 4,480 × 0.6096 / 1000 = 2.731008 t market-based.
        Assert.Equal(2.731008, save1.GetProperty("scope2_market_t").GetDouble(), 1e-9);
        var id = save1.GetProperty("inventory_id").GetInt64();
        Assert.Equal(0, (await Cli("carbon", "finalize", "--db", db, "--park", Park, "--inventory", id.ToString(System.Globalization.CultureInfo.InvariantCulture))).ExitCode);

        // A user factor for the park's supplier region changes nothing (no region recorded), a new national version does.
        var f = TempCsv("dataset,kind,material,gas,value,unit,level,region,valid_from,data_year\nMEE-NBS,emission,electricity,CO2,0.6,kgCO2/kWh,national,CN,2023-01-01,2023\n");
        var fi = await Cli("factors", "import", "--db", db, f);
        Assert.Contains("added 0, new versions 1", fi.Out, StringComparison.Ordinal);
        var save2 = Json(await Cli("carbon", "inventory", "--db", db, "--park", Park, "--year", "2025", "--save", "--format", "json"));
        Assert.Equal(2, save2.GetProperty("inventory").GetProperty("version").GetInt32());
        // 6,480 × (0.6 − 0.5306) / 1000 = 0.449712 t more location-based.
        Assert.Equal(0.449712, save2.GetProperty("diff").GetProperty("scope2_location_delta_t").GetDouble(), 1e-9);

        var versions = Json(await Cli("carbon", "versions", "--db", db, "--park", Park, "--format", "json")).EnumerateArray().ToList();
        Assert.Equal(["final", "draft"], versions.Select(v => v.GetProperty("status").GetString()));
        // explain on the finalized version still shows the factor it used.
        var ex = await Cli("carbon", "explain", "--db", db, "--park", Park, $"{id}:L1");
        Assert.Contains("0.5306 kgCO2/kWh", ex.Out, StringComparison.Ordinal);

        var xlsx = Path.Combine(Path.GetTempPath(), $"zp-inv-{Guid.NewGuid():N}.xlsx");
        var x = await Cli("carbon", "inventory", "--db", db, "--park", Park, "--year", "2025", "--format", "xlsx", "--output", xlsx);
        Assert.True(x.ExitCode == 0, x.Err);
        Assert.True(new FileInfo(xlsx).Length > 1000);
    }

    [Fact]
    public async Task Factors_list_export_and_bad_input()
    {
        var db = await SeededAsync();
        var list = Json(await Cli("factors", "list", "--db", db, "--material", "electricity", "--dataset", "MEE-NBS", "--valid-on", "2022-06-30", "--format", "json"))
            .EnumerateArray().ToList();
        // 2022: national + 7 regions + 30 provinces.
        Assert.Equal(38, list.Count);
        Assert.Contains(list, r => r.GetProperty("region").GetString() == "河北" && r.GetProperty("value").GetDouble() == 0.7252);
        var export = await Cli("factors", "export", "--db", db, "--dataset", "GBT32150");
        Assert.StartsWith("id,version,dataset,kind,material,gas,value", export.Out, StringComparison.Ordinal);
        Assert.Contains("0.0202,0.98", export.Out, StringComparison.Ordinal);

        var bad = await Cli("carbon", "inventory", "--db", db, "--park", Park, "--year", "2025", "--method", "magic");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("unknown method 'magic'", bad.Err, StringComparison.Ordinal);
        var badGwp = await Cli("carbon", "inventory", "--db", db, "--park", Park, "--year", "2025", "--gwp", "AR9");
        Assert.Contains("unknown GWP set 'AR9'", badGwp.Err, StringComparison.Ordinal);
        var badFactor = await Cli("factors", "add", "--db", db, "--dataset", "X", "--material", "m", "--gas", "XYZ", "--value", "1", "--unit", "kgCO2/kWh", "--valid-from", "2025-01-01");
        Assert.Equal(2, badFactor.ExitCode);
        Assert.Contains("gas: unknown 'XYZ'", badFactor.Err, StringComparison.Ordinal);
    }
}

[Collection(EnergyCliConsoleCollection.Name)]
public sealed class SqliteCarbonCliTests : CarbonCliSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

[Collection(EnergyCliConsoleCollection.Name)]
public sealed class PostgresCarbonCliTests : CarbonCliSuite
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL carbon CLI tests need ZEROPARK_TEST_PG; run ./scripts/test.sh")
        : TestDatabases.NewPostgresDatabase();
}
