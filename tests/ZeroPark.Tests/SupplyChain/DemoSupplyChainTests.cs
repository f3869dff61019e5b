using System.Text.Json;
using ZeroPark.Tests.EnergyManagement;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.SupplyChain;

/// <summary>What <c>zeropark demo</c> adds for supply chain and governance (a small demo: 80 meters, 60 days from 2025-01-01, so
/// February's supplier-named purchases are in), figures worked out by hand from DemoSupplyChain.</summary>
public abstract class DemoSupplyChainSuite
{
    protected abstract string NewDatabase();

    private static Task<JsonElement> Json(params string[] args) => InProcessCli.JsonAsync(args);

    [Fact]
    public async Task The_demo_has_a_footprint_library_feeding_scope_3_suppliers_grades_and_governance()
    {
        var db = NewDatabase();
        var r = await InProcessCli.DemoAsync(db, meters: 80, days: 60);
        var inv = await Json("carbon", "inventory", "--db", db, "--park", "demo", "--from", "2025-02-01", "--to", "2025-02-28", "--format", "json");
        var lines = inv.GetProperty("lines").EnumerateArray().ToList();
        JsonElement Line(string material, string supplier) => lines.Single(l => l.GetProperty("material").GetString() == material
            && l.TryGetProperty("supplier", out var s) && s.GetString() == supplier);
        // Concrete 850 m3 × 300 kgCO2e/m3 (北京金隅's footprint) = 255 t; rebar 120 t = 120,000 kg × 2.3 = 276 t;
        // servers from 浪潮信息 in February: 16 + 4 × (2 mod 3) = 24 × 1,150 = 27.6 t; from 华为技术 (February: 2 mod 4 = 2) 10 × 1,220 = 12.2 t.
        Assert.Equal(255, Line("ready_mix_c30", "北京金隅").GetProperty("co2e_t").GetDouble(), 9);
        Assert.Equal(276, Line("rebar_hrb400", "首钢").GetProperty("co2e_t").GetDouble(), 9);
        Assert.Equal(27.6, Line("server", "浪潮信息").GetProperty("co2e_t").GetDouble(), 9);
        Assert.Equal(12.2, Line("server", "华为技术").GetProperty("co2e_t").GetDouble(), 9);
        Assert.StartsWith("supplier-specific product footprint", Line("server", "浪潮信息").GetProperty("factor_basis").GetString());
        Assert.True(inv.GetProperty("complete").GetBoolean());

        var grades = await Json("suppliers", "grades", "--db", db, "--park", "demo", "--format", "json");
        Assert.Equal(8, grades.GetArrayLength());
        Assert.Contains(grades.EnumerateArray(), g => g.GetProperty("grade").GetString() == "优秀");
        Assert.Contains(grades.EnumerateArray(), g => g.GetProperty("grade").GetString() == "差");
        var org = await Json("governance", "org", "--db", db, "--park", "demo", "--format", "json");
        Assert.Equal(6, org.GetProperty("people").GetArrayLength());
        Assert.Equal(5, org.GetProperty("units").GetArrayLength());
        // The tree planting of 2025-03-12 is outside 60 days: no activity yet.
        Assert.Equal(0, (await Json("governance", "activities", "--db", db, "--park", "demo", "--format", "json")).GetArrayLength());
        var footprints = (await InProcessCli.RunAsync("footprints", "list", "--db", db, "--park", "demo", "--format", "csv")).Out;
        Assert.Equal(10, footprints.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1);
    }
}

[Collection(EnergyCliConsoleCollection.Name)]
public sealed class SqliteDemoSupplyChainTests : DemoSupplyChainSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

[Collection(EnergyCliConsoleCollection.Name)]
public sealed class PostgresDemoSupplyChainTests : DemoSupplyChainSuite
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL demo tests need ZEROPARK_TEST_PG; run ./scripts/test.sh")
        : TestDatabases.NewPostgresDatabase();
}
