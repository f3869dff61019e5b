using System.Text.Json;
using ZeroPark.Application;
using ZeroPark.Tests.EnergyManagement;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.NeutralityModule;

/// <summary>The command-line contract of issue 14 (<c>zeropark offsets import</c>, <c>zeropark neutrality --format json</c>) and issue 15
/// (<c>zeropark targets add … --kind neutrality_rate --every month --value 0.75 --from YYYY-MM</c>), run in-process on SQLite and PostgreSQL
/// over <see cref="EnergyTestPark"/> (C_yw = 3.438288 t on 2025-01-31…02-01; PV 240 kWh; national factor 0.5306).</summary>
public abstract class NeutralityCliSuite
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

    private static string TempFile(string content, string ext = ".csv")
    {
        var path = Path.Combine(Path.GetTempPath(), $"zp-neutrality-{Guid.NewGuid():N}{ext}");
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task Offsets_import_and_neutrality_json_follow_the_contract()
    {
        var db = await SeededAsync();
        var csv = TempFile("""
            kind,quantity,unit,serial_from,serial_to,vintage,claim_from,claim_to
            gec,3,MWh,G-1,G-3,2025,2025-01-31,2025-02-01
            ccer,0.5,tCO2e,,,2024,2025-01-31,2025-02-01
            ccer,lots,tCO2e,,,,,
            gec,2,MWh,G-2,G-3,2025,,
            """);
        var import = await Cli("offsets", "import", "--db", db, "--park", Park, csv);
        Assert.Equal(0, import.ExitCode);
        Assert.Contains("accepted 2, rejected 2", import.Out);
        Assert.Contains("line 4: quantity: 'lots' is not a number", import.Out);
        Assert.Contains("line 5: gec G-2…G-3: serials already claimed by gec G-1…G-3 (line 2 of this file)", import.Out);
        var run = await Cli("neutrality", "--db", db, "--park", Park, "--from", "2025-01-31", "--to", "2025-02-01", "--method", "ghgp", "--gwp", "AR6", "--format", "json");
        Assert.True(run.ExitCode == 0, run.Err);
        using var doc = JsonDocument.Parse(run.Out);
        var r = doc.RootElement;
        // C_yw = 6,480 kWh × 0.5306 / 1000 = 3.438288 t (scope 1: none).
        Assert.Equal(3.438288, r.GetProperty("emissions_t").GetDouble(), 1e-9);
        Assert.Equal(0, r.GetProperty("scope1_t").GetDouble(), 1e-12);
        foreach (var f in new[] { "neutralised_t", "neutrality_rate", "tca305_weighted_t", "tca305_offset_ratio", "tca305_offset_score", "scope1_uncovered_t" })
            Assert.True(r.TryGetProperty(f, out _), f);
        Assert.Equal(JsonValueKind.Array, r.GetProperty("flags").ValueKind);
        // Neutralised: GEC 3 MWh × 0.5306 = 1.5918 t + CCER 0.5 t + PV 0.24 MWh × 0.5306 = 0.127344 t = 2.219144 t; rate = 2.219144 / 3.438288 = 0.645422; T/CA305 = 1.5918 + 1.0 + 0.191016 = 2.782816 → S_DC 0.809361, score 32.374.
        Assert.Equal(2.219144, r.GetProperty("neutralised_t").GetDouble(), 1e-9);
        Assert.Equal(2.219144 / 3.438288, r.GetProperty("neutrality_rate").GetDouble(), 1e-9);
        Assert.Equal(2.782816, r.GetProperty("tca305_weighted_t").GetDouble(), 1e-9);
        Assert.Equal(2.782816 / 3.438288, r.GetProperty("tca305_offset_ratio").GetDouble(), 1e-9);
        Assert.Equal(2.782816 / 3.438288 * 40, r.GetProperty("tca305_offset_score").GetDouble(), 1e-9);
        Assert.Equal(0, r.GetProperty("scope1_uncovered_t").GetDouble(), 1e-12);
    }

    [Fact]
    public async Task Targets_add_takes_the_issue_15_contract_and_bad_input_is_one_line()
    {
        var db = await SeededAsync();
        var add = await Cli("targets", "add", "--db", db, "--park", Park, "--kind", "neutrality_rate", "--every", "month", "--value", "0.75", "--from", "2025-01");
        Assert.True(add.ExitCode == 0, add.Err);
        Assert.Contains("neutrality_rate every month = 0.75 from 2025-01", add.Out);
        var list = await Cli("targets", "list", "--db", db, "--park", Park, "--format", "json");
        using (var doc = JsonDocument.Parse(list.Out))
        {
            var t = Assert.Single(doc.RootElement.EnumerateArray());
            Assert.Equal(0.75, t.GetProperty("value").GetDouble());
            Assert.Equal("2025-01", t.GetProperty("from").GetString());
        }
        var bad = await Cli("targets", "add", "--db", db, "--park", Park, "--kind", "neutrality_rate", "--every", "fortnight", "--value", "0.75");
        Assert.Equal(2, bad.ExitCode);
        Assert.Equal("error: every: 'fortnight' is not month or year", bad.Err.Trim());
        var unknown = await Cli("offsets", "add", "--db", db, "--park", Park, "--kind", "teleport", "--quantity", "1");
        Assert.Equal(2, unknown.ExitCode);
        Assert.StartsWith("error: kind: 'teleport' is unknown (expected gec, green_power, ccer", unknown.Err.Trim());
    }
}

[Collection(EnergyCliConsoleCollection.Name)]
public sealed class SqliteNeutralityCliTests : NeutralityCliSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

[Collection(EnergyCliConsoleCollection.Name)]
public sealed class PostgresNeutralityCliTests : NeutralityCliSuite
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL neutrality CLI tests need ZEROPARK_TEST_PG; run ./scripts/test.sh")
        : TestDatabases.NewPostgresDatabase();
}
