using System.Text.Json;
using ZeroPark.Application;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.EnergyManagement;

/// <summary><c>zeropark energy plan set|list|progress|decompose</c>, <c>assess</c>, <c>top</c>, <c>warnings</c>, <c>racks</c>,
/// <c>equipment</c> and <c>balance</c> in-process (console collection) on SQLite and PostgreSQL, over <see cref="PlanTestPark"/>.</summary>
public abstract class PlanCliSuite
{
    private const string Park = PlanTestPark.Park;

    protected abstract string NewDatabase();

    private static Task<InProcessCli.Run> CliAsync(params string[] args) => InProcessCli.RunAsync(args);

    private static JsonElement Json(InProcessCli.Run r)
    {
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.Err}");
        using var doc = JsonDocument.Parse(r.Out);
        return doc.RootElement.Clone();
    }

    private static void Ok(InProcessCli.Run r) => Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.Err}");

    private async Task<string> SeededDatabaseAsync()
    {
        var db = NewDatabase();
        await using var store = await ZeroParkStore.OpenAsync(db);
        await PlanTestPark.SeedAsync(store);
        return db;
    }

    [Fact]
    public async Task Plan_set_list_decompose_and_progress()
    {
        var db = await SeededDatabaseAsync();
        string[] at = ["--db", db, "--park", Park];
        var r = await CliAsync(["energy", "plan", "set", .. at, "--carrier", "electricity", "--year", "2025", "--amount", "1460000", "--user", "alice"]);
        Ok(r);
        Assert.Contains($"plan {Park} electricity 2025: 1460000 kWh", r.Out, StringComparison.Ordinal);
        Ok(await CliAsync(["energy", "plan", "set", .. at, "--node", "b2", "--carrier", "water", "--year", "2025", "--month", "3", "--amount", "70"]));
        // Decompose by 2024 actuals: b1 = b2 = 1,400 × 366, b3 = 700 × 366 → 0.4, 0.4, 0.2 of 1,460,000.
        var d = Json(await CliAsync(["energy", "plan", "decompose", .. at, "--carrier", "electricity", "--year", "2025", "--format", "json", "--user", "alice"]));
        Assert.Equal([0.4, 0.4, 0.2], d.GetProperty("buildings").EnumerateArray().Select(b => b.GetProperty("share").GetDouble()));
        var list = Json(await CliAsync(["energy", "plan", "list", .. at, "--year", "2025", "--format", "json"])).EnumerateArray().ToList();
        Assert.Equal([$"{Park}/electricity/2025", "b1/electricity/2025", "b2/electricity/2025", "b2/water/2025-03", "b3/electricity/2025"],
            list.Select(p => $"{p.GetProperty("node").GetString()}/{p.GetProperty("carrier").GetString()}/{p.GetProperty("period").GetString()}"));
        Assert.Equal("alice", list[1].GetProperty("updated_by").GetString());
        Assert.Equal("decomposed:last_year", list[1].GetProperty("basis").GetString());

        // b2 water in March: plan 70 m³, actual 2.1 × 31 = 65.1 → −4.9 (−7 %).
        var p = Json(await CliAsync(["energy", "plan", "progress", .. at, "--node", "b2", "--carrier", "water", "--year", "2025", "--as-of", "2025-03-31", "--format", "json"]));
        var march = p.GetProperty("months")[2];
        Assert.Equal(65.1, march.GetProperty("actual").GetDouble(), 6);
        Assert.Equal(-4.9, march.GetProperty("deviation").GetDouble(), 6);
        Assert.Equal(-7, march.GetProperty("deviation_pct").GetDouble(), 6);
        Assert.Equal("monthly", march.GetProperty("plan_source").GetString());
        r = await CliAsync(["energy", "plan", "progress", .. at, "--node", "b1", "--carrier", "electricity", "--year", "2025", "--as-of", "2025-06-30", "--format", "csv"]);
        Ok(r);
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(13, lines.Length);                                        // header + 12 months
        Assert.StartsWith("node,carrier,unit,year,month,start,end,status,plan,", lines[0], StringComparison.Ordinal);
        r = await CliAsync(["energy", "plan", "progress", .. at, "--node", "b1", "--carrier", "electricity", "--year", "2025", "--as-of", "2025-06-30"]);
        Ok(r);
        Assert.Contains("projected year-end", r.Out, StringComparison.Ordinal);

        r = await CliAsync(["energy", "plan", "set", .. at, "--carrier", "steam", "--year", "2025", "--amount", "1"]);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: carrier:", r.Err, StringComparison.Ordinal);
        r = await CliAsync(["energy", "plan", "set", .. at, "--carrier", "water", "--year", "twenty", "--amount", "1"]);
        Assert.StartsWith("error: year:", r.Err, StringComparison.Ordinal);
        r = await CliAsync(["energy", "plan", "set", .. at, "--node", "b1-r1", "--carrier", "water", "--year", "2025", "--amount", "1"]);
        Assert.StartsWith("error: node:", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assess_and_device_commands()
    {
        var db = await SeededDatabaseAsync();
        string[] at = ["--db", db, "--park", Park];
        string[] june = ["--from", "2025-06-01", "--to", "2025-06-30"];
        var r = await CliAsync(["energy", "assess", .. at, "--year", "2025", "--as-of", "2025-06-30"]);
        Ok(r);
        Assert.Contains("2 anomalies", r.Out, StringComparison.Ordinal);
        Assert.Contains("b2 2025-05 pue (peers)", r.Out, StringComparison.Ordinal);
        var a = Json(await CliAsync(["energy", "assess", .. at, "--year", "2025", "--as-of", "2025-06-30", "--peer-deviation-pct", "50", "--format", "json"]));
        Assert.Equal("own_history", a.GetProperty("anomalies").EnumerateArray().Single().GetProperty("basis").GetString());   // +38 % < 50 %
        Assert.Equal(117_650, a.GetProperty("nodes")[0].GetProperty("intensity_kwh_per_rack").GetDouble(), 6);          // 1,300 × 181 / 2 racks

        var parks = Json(await CliAsync(["energy", "assess", "--db", db, "--all-parks", "--year", "2025", "--as-of", "2025-06-30", "--format", "json"]));
        Assert.Equal(623_456, parks.GetProperty("nodes")[0].GetProperty("energy_kwh").GetDouble(), 6);                     // the park's total
        r = await CliAsync(["energy", "assess", .. at, "--all-parks", "--year", "2025"]);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: park: give either --park CODE or --all-parks", r.Err, StringComparison.Ordinal);

        r = await CliAsync(["energy", "top", .. at, .. june, "--n", "2", "--format", "csv"]);
        Ok(r);
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("group,rank,meter,name,device,system,space,building,value,unit,share_pct,completeness", lines[0]);
        Assert.StartsWith("all,1,b1_it1,", lines[1], StringComparison.Ordinal);                                              // 600 × 30 = 18,000
        Assert.StartsWith("all,2,b3_it1,", lines[2], StringComparison.Ordinal);                                              // 520 × 30 = 15,600
        var w = Json(await CliAsync(["energy", "warnings", .. at, .. june, "--threshold", "40", "--format", "json"])).EnumerateArray().Single();
        Assert.Equal("b1_chiller", w.GetProperty("meter").GetString());
        var racks = Json(await CliAsync(["energy", "racks", .. at, .. june, "--node", "b3", "--format", "json"])).EnumerateArray().Single();
        Assert.Equal(15_600, racks.GetProperty("it_kwh").GetDouble(), 6);
        r = await CliAsync(["energy", "equipment", .. at, .. june, "--system", "cooling"]);
        Ok(r);
        Assert.Contains("cooling.chiller", r.Out, StringComparison.Ordinal);
        var file = Path.Combine(Path.GetTempPath(), "zeropark-tests", Guid.NewGuid().ToString("N") + ".xlsx");
        r = await CliAsync(["energy", "balance", .. at, .. june, "--master", "b1_in", "--sub", "b1_tx", "--by", "day", "--format", "xlsx", "--output", file]);
        Ok(r);
        Assert.Contains("wrote 30 rows", r.Out, StringComparison.Ordinal);
        var sheet = TariffTestData.ReadSheet(await File.ReadAllBytesAsync(file), "balance");
        Assert.Equal(30, TariffTestData.Number(sheet, 1, "imbalance_kwh"), 6);                                                // 1,300 − 1,270
        r = await CliAsync(["energy", "balance-group", "set", .. at, "--code", "b1-tx", "--master", "b1_in", "--sub", "b1_tx", "--tolerance", "2.5"]);
        Ok(r);
        Assert.Contains("balance group b1-tx: b1_in vs b1_tx, tolerance 2.5 %", r.Out, StringComparison.Ordinal);
        Assert.Equal("b1-tx", Json(await CliAsync(["energy", "balance-group", "list", .. at, "--format", "json"]))[0].GetProperty("code").GetString());
        // The stored group: 900 / 39,000 = 2.31 % ≤ 2.5 % → not flagged.
        var g = Json(await CliAsync(["energy", "balance", .. at, .. june, "--format", "json"]))[0];
        Assert.False(g.GetProperty("rows")[0].GetProperty("flagged").GetBoolean());
        r = await CliAsync(["energy", "balance", .. at, .. june, "--master", "b1_in", "--sub", "b1_zz"]);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: sub:", r.Err, StringComparison.Ordinal);
        r = await CliAsync(["energy", "racks", .. at, .. june, "--by", "year"]);
        Assert.StartsWith("error: by:", r.Err, StringComparison.Ordinal);
    }
}

[Collection(EnergyCliConsoleCollection.Name)]
public sealed class SqlitePlanCliTests : PlanCliSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

[Collection(EnergyCliConsoleCollection.Name)]
public sealed class PostgresPlanCliTests : PlanCliSuite
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL plan CLI tests need ZEROPARK_TEST_PG; run ./scripts/test.sh (it starts a server on 127.0.0.1)")
        : TestDatabases.NewPostgresDatabase();
}
