using System.Text.Json;
using ZeroPark.Tests.EnergyManagement;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.SupplyChain;

/// <summary>
/// The contract: <c>zeropark footprints import --db D --park P FILE.csv</c> (header product,supplier,functional_unit,kgco2e_per_unit,
/// stages,verified), then an activity record whose material names the product and whose supplier names the supplier is computed
/// with that footprint in scope 3, and its trace says so; others of the same material use the default factor. In-process CLI on
/// SQLite and PostgreSQL, hand-worked figures.
/// </summary>
public abstract class SupplyChainCliSuite
{
    protected abstract string NewDatabase();

    private static Task<InProcessCli.Run> Cli(params string[] args) => InProcessCli.RunAsync(args);

    private static string Temp(string content, string ext = "csv")
    {
        var path = Path.Combine(Path.GetTempPath(), $"zp-sc-{Guid.NewGuid():N}.{ext}");
        File.WriteAllText(path, content);
        return path;
    }

    private static JsonElement Json(InProcessCli.Run r)
    {
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.Err}");
        using var doc = JsonDocument.Parse(r.Out);
        return doc.RootElement.Clone();
    }

    [Fact]
    public async Task A_supplier_footprint_feeds_scope_3_and_the_trace_says_which()
    {
        var db = NewDatabase();
        Assert.Equal(0, (await Cli("init", "--db", db, "--park", "sc", "--name", "SC park", "--province", "北京", "--grid-region", "华北")).ExitCode);
        var fp = await Cli("footprints", "import", "--db", db, "--park", "sc", Temp("""
            product,supplier,functional_unit,kgco2e_per_unit,stages,verified
            server_r740,华为技术,台,1150,raw_materials;production;transport,true
            ready_mix_c30,北京建工,m3,300,raw_materials=240;production=45;transport=15,false
            rebar_hrb400,首钢,1000 kg,2300,raw_materials;production,true
            bad_row,,t,1,,true
            """));
        Assert.Equal(0, fp.ExitCode);
        Assert.Contains("accepted 3, updated 0, unchanged 0, rejected 1", fp.Out, StringComparison.Ordinal);
        Assert.Contains("line 5: supplier: empty", fp.Out, StringComparison.Ordinal);
        // Default (database) factors for the same materials.
        Assert.Equal(0, (await Cli("factors", "import", "--db", db, Temp("""
            dataset,kind,material,gas,value,unit,level,region,valid_from,note
            LCA-DB,emission,server_r740,CO2e,1300,kgCO2e/item,default,,2020-01-01,generic rack server
            LCA-DB,emission,ready_mix_c30,CO2e,350,kgCO2e/m3,default,,2020-01-01,generic C30 concrete
            """))).ExitCode);
        var acts = await Cli("activities", "import", "--db", db, "--park", "sc", Temp("""
            date,source,material,amount,unit,scope3_category,note,evidence,space,density,ncv,supplier
            2025-03-10,capital_goods,server_r740,20,item,,,PO-1,,,,华为技术
            2025-03-11,capital_goods,server_r740,5,item,,,PO-2,,,,联想
            2025-03-12,building_materials,ready_mix_c30,100,m3,,,PO-3,,,,北京建工
            2025-03-13,building_materials,rebar_hrb400,12,t,,,PO-4,,,,首钢
            2025-03-14,purchased_goods,server_r740,1,item,,,PO-5,,,,
            """));
        Assert.Contains("accepted 5, duplicates 0, corrected 0, rejected 0", acts.Out, StringComparison.Ordinal);

        var inv = Json(await Cli("carbon", "inventory", "--db", db, "--park", "sc", "--from", "2025-03-01", "--to", "2025-03-31", "--format", "json"));
        Assert.Empty(inv.GetProperty("unresolved").EnumerateArray());
        var lines = inv.GetProperty("lines").EnumerateArray().ToList();
        JsonElement Line(string material, string? supplier) => lines.Single(l => l.GetProperty("material").GetString() == material
            && (l.TryGetProperty("supplier", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null) == supplier);
        // 华为技术: 20 items × 1,150 kgCO2e = 23,000 kg = 23 t (footprint); 联想 5 × 1,300 = 6.5 t and no supplier 1 × 1,300 = 1.3 t (default).
        var huawei = Line("server_r740", "华为技术");
        Assert.Equal(23, huawei.GetProperty("co2e_t").GetDouble(), 9);
        Assert.Equal(2, huawei.GetProperty("scope3_category").GetInt32());
        Assert.StartsWith("supplier-specific product footprint F1 of 'server_r740' from 华为技术", huawei.GetProperty("factor_basis").GetString());
        Assert.Contains("product footprint F1", huawei.GetProperty("factor_source").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, Assert.Single(huawei.GetProperty("footprint_ids").EnumerateArray()).GetInt64());
        var lenovo = Line("server_r740", "联想");
        Assert.Equal(6.5, lenovo.GetProperty("co2e_t").GetDouble(), 9);
        Assert.StartsWith("default factor — no supplier-specific footprint", lenovo.GetProperty("factor_basis").GetString());
        Assert.Equal(1.3, Line("server_r740", null).GetProperty("co2e_t").GetDouble(), 9);
        Assert.Equal("default factor — the record names no supplier", Line("server_r740", null).GetProperty("factor_basis").GetString());
        // T/CA 301 Cjc (building_materials): concrete 100 m3 × 300 = 30 t; rebar 2,300 kgCO2e per 1,000 kg = 2.3 kg/kg, 12 t = 12,000 kg × 2.3 = 27.6 t.
        Assert.Equal(30, Line("ready_mix_c30", "北京建工").GetProperty("co2e_t").GetDouble(), 9);
        Assert.Equal(27.6, Line("rebar_hrb400", "首钢").GetProperty("co2e_t").GetDouble(), 9);
        // Scope 3: 23 + 6.5 + 1.3 + 30 + 27.6 = 88.4 t.
        Assert.Equal(88.4, inv.GetProperty("scope3_t").GetDouble(), 9);

        var explain = Json(await Cli("carbon", "explain", huawei.GetProperty("id").GetString()!, "--db", db, "--park", "sc", "--from", "2025-03-01", "--to", "2025-03-31", "--format", "json"));
        var trace = explain.GetProperty("trace").EnumerateArray().Select(t => t.GetString()!).ToList();
        Assert.Contains(trace, t => t.StartsWith("factor basis: supplier-specific product footprint F1", StringComparison.Ordinal) && t.Contains("third-party verified", StringComparison.Ordinal));
        Assert.Contains(trace, t => t.StartsWith("CO2e: 20 item × 1,150 kgCO2e/item = 23,000 kgCO2e", StringComparison.Ordinal));

        // A new footprint value is used at once (re-import updates it): 1,000 kgCO2e → 20 t.
        var upd = await Cli("footprints", "import", "--db", db, "--park", "sc", Temp("""
            product,supplier,functional_unit,kgco2e_per_unit,stages,verified
            server_r740,华为技术,item,1000,raw_materials;production;transport,true
            """));
        Assert.Contains("accepted 0, updated 1", upd.Out, StringComparison.Ordinal);
        var again = Json(await Cli("carbon", "inventory", "--db", db, "--park", "sc", "--from", "2025-03-01", "--to", "2025-03-31", "--format", "json"));
        Assert.Equal(85.4, again.GetProperty("scope3_t").GetDouble(), 9);   // 88.4 − 23 + 20

        var list = await Cli("footprints", "list", "--db", db, "--park", "sc", "--format", "csv");
        Assert.Contains("F1,server_r740,华为技术", list.Out, StringComparison.Ordinal);
        Assert.Contains("F3,rebar_hrb400,首钢,other,2.3,kg", list.Out, StringComparison.Ordinal);
    }
}

[Collection(EnergyCliConsoleCollection.Name)]
public sealed class SqliteSupplyChainCliTests : SupplyChainCliSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

[Collection(EnergyCliConsoleCollection.Name)]
public sealed class PostgresSupplyChainCliTests : SupplyChainCliSuite
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL supply chain CLI tests need ZEROPARK_TEST_PG; run ./scripts/test.sh")
        : TestDatabases.NewPostgresDatabase();
}
