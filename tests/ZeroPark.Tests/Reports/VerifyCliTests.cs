using Dapper;
using ZeroPark.Application;
using ZeroPark.Tests.EnergyManagement;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.Reports;

/// <summary>The contract the team's checks use: <c>zeropark carbon finalize</c> seals; <c>zeropark verify --db D --park P</c> exits 0
/// when every sealed inventory holds, non-zero with a line naming each inventory and what changed otherwise.</summary>
public abstract class VerifyCliSuite
{
    private const string Park = "v1";

    protected abstract string NewDatabase();

    private static Task<InProcessCli.Run> Cli(params string[] args) => InProcessCli.RunAsync(args);

    [Fact]
    public async Task Finalize_seals_and_verify_names_the_changed_inventory_after_raw_sql_tampering()
    {
        var db = NewDatabase();
        await using (var store = await ZeroParkStore.OpenAsync(db)) await EnergyTestPark.SeedAsync(store, Park);
        var save = await Cli("carbon", "inventory", "--db", db, "--park", Park, "--from", "2025-01-01", "--to", "2025-02-28", "--save", "--format", "json");
        Assert.True(save.ExitCode == 0, save.Err);
        var id = System.Text.Json.JsonDocument.Parse(save.Out).RootElement.GetProperty("inventory_id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var fin = await Cli("carbon", "finalize", "--db", db, "--park", Park, "--inventory", id);
        Assert.True(fin.ExitCode == 0, fin.Err);
        Assert.Matches($"^inventory #{id} version 1 is final; sealed [0-9a-f]{{64}} ", fin.Out);

        var ok = await Cli("verify", "--db", db, "--park", Park);
        Assert.Equal(0, ok.ExitCode);
        Assert.Contains($"inventory #{id} v1 {Park} 2025-01-01…2025-02-28 ghgp AR6: ok", ok.Out, StringComparison.Ordinal);

        await using (var store = await ZeroParkStore.OpenAsync(db))
        await using (var c = await store.OpenConnectionAsync())
            Assert.Equal(1, await c.ExecuteAsync("UPDATE carbon_inventories SET scope2_location_t = 1 WHERE id = @id", new { id = long.Parse(id, System.Globalization.CultureInfo.InvariantCulture) }));
        var bad = await Cli("verify", "--db", db, "--park", Park);
        Assert.NotEqual(0, bad.ExitCode);
        // 3.438288 t stored at sealing, 1 t now.
        Assert.Matches($"inventory #{id} v1 {Park} 2025-01-01…2025-02-28 ghgp AR6: CHANGED: result totals: scope2_location_t 3\\.43828\\d* → 1", bad.Out);
    }
}

[Collection(EnergyCliConsoleCollection.Name)]
public sealed class SqliteVerifyCliTests : VerifyCliSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

[Collection(EnergyCliConsoleCollection.Name)]
public sealed class PostgresVerifyCliTests : VerifyCliSuite
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL CLI tests need ZEROPARK_TEST_PG; run ./scripts/test.sh")
        : TestDatabases.NewPostgresDatabase();
}
