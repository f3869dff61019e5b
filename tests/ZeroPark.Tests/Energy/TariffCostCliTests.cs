using System.Globalization;
using System.Text.Json;
using ZeroPark.Application;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.EnergyManagement;

/// <summary><c>zeropark energy tariff add|list</c>, <c>zeropark energy cost</c> and <c>--format xlsx --output FILE</c> of every energy
/// table, in-process through <see cref="ZeroPark.Cli.CliApp.RunAsync"/> (in the console collection: Console.SetOut is process-wide),
/// on SQLite and PostgreSQL, over the hand-worked park of <see cref="EnergyTestPark"/> (grid 130 kWh/h on Jan 31, 140 on Feb 1, IT 100).</summary>
public abstract class TariffCostCliSuite
{
    private const string Park = "e1";

    protected abstract string NewDatabase();


    private static Task<InProcessCli.Run> CliAsync(params string[] args) => InProcessCli.RunAsync(args);

    private static List<JsonElement> JsonArray(InProcessCli.Run r)
    {
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.Err}");
        using var doc = JsonDocument.Parse(r.Out);
        return doc.RootElement.EnumerateArray().Select(x => x.Clone()).ToList();
    }

    private static string TempFile(string ext, string? content = null)
    {
        var path = Path.Combine(Path.GetTempPath(), "zeropark-tests", Guid.NewGuid().ToString("N") + ext);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (content is not null) File.WriteAllText(path, content);
        return path;
    }

    private async Task<string> SeededDatabaseAsync()
    {
        var db = NewDatabase();
        await using var store = await ZeroParkStore.OpenAsync(db);
        await EnergyTestPark.SeedAsync(store, Park);
        return db;
    }

    [Fact]
    public async Task Tariff_add_list_and_cost_json_csv()
    {
        var db = await SeededDatabaseAsync();
        var file = TempFile(".json", TariffTestData.JsonA);
        var r = await CliAsync("energy", "tariff", "add", "--db", db, "--park", Park, "--from", "2025-01-01", "--file", file, "--user", "alice");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("valid from 2025-01-01", r.Out, StringComparison.Ordinal);
        // Same date again: a conflict, exit 2.
        r = await CliAsync("energy", "tariff", "add", "--db", db, "--park", Park, "--from", "2025-01-01", "--file", file);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("already has a tariff version valid from 2025-01-01", r.Err, StringComparison.Ordinal);
        var versions = JsonArray(await CliAsync("energy", "tariff", "list", "--db", db, "--park", Park, "--format", "json"));
        var v = Assert.Single(versions);
        Assert.Equal("2025-01-01", v.GetProperty("valid_from").GetString());
        Assert.Equal(1.05, v.GetProperty("prices").GetProperty("peak").GetDouble());
        Assert.Equal("alice", v.GetProperty("created_by").GetString());
        Assert.Equal(7, v.GetProperty("schedule").GetArrayLength());

        // January has no critical peak (July–August only): Σ of the 24 hourly prices = 8 × 0.30 + 9 × 0.65 + 7 × 1.05 = 15.60.
        // Jan 31: grid 24 × 130 = 3,120 kWh → 130 × 15.60 = 2,028.00 CNY; IT 100 × 15.60 = 1,560.00.
        // Feb 1: grid 140/h → 140 × 15.60 = 2,184.00. Peak energy Jan 31: 7 × 130 = 910 kWh → 955.50 CNY.
        var rows = JsonArray(await CliAsync("energy", "cost", "--db", db, "--park", Park, "--from", "2025-01-31", "--to", "2025-02-01", "--by", "day", "--format", "json"));
        Assert.Equal(2, rows.Count);
        Assert.Equal(3120, rows[0].GetProperty("energy_kwh").GetDouble(), 6);
        Assert.Equal(2028.0, rows[0].GetProperty("cost_cny").GetDouble(), 6);
        Assert.Equal(0.65, rows[0].GetProperty("average_price_cny_per_kwh").GetDouble(), 6);   // 15.60 / 24
        Assert.Equal(0, rows[0].GetProperty("critical_peak_kwh").GetDouble());
        Assert.Equal(910, rows[0].GetProperty("peak_kwh").GetDouble(), 6);
        Assert.Equal(955.5, rows[0].GetProperty("peak_cost_cny").GetDouble(), 6);
        Assert.Equal(1560.0, rows[0].GetProperty("it_cost_cny").GetDouble(), 6);
        Assert.Equal(2184.0, rows[1].GetProperty("cost_cny").GetDouble(), 6);
        Assert.Equal("CNY", rows[0].GetProperty("currency").GetString());

        r = await CliAsync("energy", "cost", "--db", db, "--park", Park, "--from", "2025-01-31", "--to", "2025-02-01", "--by", "total", "--format", "csv");
        Assert.True(r.ExitCode == 0, r.Err);
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        var header = lines[0].Split(',');
        var cells = lines[1].Split(',');
        Assert.Equal("4212", cells[Array.IndexOf(header, "cost_cny")]);   // 2,028 + 2,184
    }

    [Fact]
    public async Task Tariff_errors_name_the_option_or_field()
    {
        var db = await SeededDatabaseAsync();
        var bad = TempFile(".json", """{"prices": {"peak": 1}, "schedule": [{"start": 0, "end": 20, "period": "peak"}]}""");
        var r = await CliAsync("energy", "tariff", "add", "--db", db, "--park", Park, "--from", "2025-01-01", "--file", bad);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: schedule:", r.Err, StringComparison.Ordinal);
        r = await CliAsync("energy", "tariff", "add", "--db", db, "--park", Park, "--from", "2025-13-01", "--file", TempFile(".json", TariffTestData.JsonA));
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: from:", r.Err, StringComparison.Ordinal);
        r = await CliAsync("energy", "tariff", "add", "--db", db, "--park", Park, "--from", "2025-01-01", "--file", TempFile(".json"));
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: file:", r.Err, StringComparison.Ordinal);
        r = await CliAsync("energy", "kpi", "--db", db, "--park", Park, "--from", "2025-01-31", "--to", "2025-02-01", "--format", "xlsx");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: output:", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_energy_table_exports_to_xlsx_with_numeric_cells_and_iso_text_dates()
    {
        var db = await SeededDatabaseAsync();
        Assert.Equal(0, (await CliAsync("energy", "tariff", "add", "--db", db, "--park", Park, "--from", "2025-01-01", "--file", TempFile(".json", TariffTestData.JsonA))).ExitCode);
        string[] range = ["--db", db, "--park", Park, "--from", "2025-01-31", "--to", "2025-02-01", "--format", "xlsx"];

        var kpi = TempFile(".xlsx");
        var r = await CliAsync(["energy", "kpi", .. range, "--by", "month", "--output", kpi]);
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("wrote 2 rows", r.Out, StringComparison.Ordinal);
        var sheet = TariffTestData.ReadSheet(await File.ReadAllBytesAsync(kpi), "kpi");
        Assert.Equal(3, sheet.Count);                                                   // header + January + February
        Assert.Equal("start", sheet[0][0].Text);
        Assert.Equal((false, "2025-01-31T00:00:00+08:00"), TariffTestData.Cell(sheet, 1, "start"));
        Assert.Equal(1.35, TariffTestData.Number(sheet, 1, "pue"), 6);                  // 3,240 / 2,400
        Assert.Equal(1.45, TariffTestData.Number(sheet, 2, "pue"), 6);
        Assert.Equal(100, TariffTestData.Number(sheet, 1, "completeness"));

        var breakdown = TempFile(".xlsx");
        r = await CliAsync(["energy", "breakdown", .. range, "--by", "month", "--detail", "--output", breakdown]);
        Assert.True(r.ExitCode == 0, r.Err);
        sheet = TariffTestData.ReadSheet(await File.ReadAllBytesAsync(breakdown), "breakdown");
        Assert.Equal(600, TariffTestData.Number(sheet, 1, "cooling_kwh"), 6);           // 24 × (20 + 5)
        Assert.Equal(480, TariffTestData.Number(sheet, 1, "cooling.chiller_kwh"), 6);
        // February 1 vs the same cut of January (Jan 1): no data → the change is an empty cell, the note says why.
        Assert.Equal((false, null), TariffTestData.Cell(sheet, 2, "mom_total_change_pct"));
        Assert.Contains("mom: no data for 2025-01-01..2025-01-01", TariffTestData.Cell(sheet, 2, "notes").Text, StringComparison.Ordinal);

        var flow = TempFile(".xlsx");
        r = await CliAsync(["energy", "flow", .. range, "--by", "total", "--output", flow]);
        Assert.True(r.ExitCode == 0, r.Err);
        var bytes = await File.ReadAllBytesAsync(flow);
        var links = TariffTestData.ReadSheet(bytes, "links");
        // The carrier columns (water flows have value and unit but no kwh) follow the electricity columns.
        Assert.Equal(["start", "end", "node", "source", "target", "kwh", "carrier", "value", "unit"], links[0].Select(c => c.Text));
        var it = links.Skip(1).Single(l => l[4].Text == "it");
        Assert.True(it[5].Numeric);
        Assert.Equal(4800, double.Parse(it[5].Text!, CultureInfo.InvariantCulture), 6);   // 48 × 100
        Assert.True(TariffTestData.ReadSheet(bytes, "nodes").Count > 1);
        Assert.Equal((false, "1"), (TariffTestData.ReadSheet(bytes, "balance")[1][6].Numeric, TariffTestData.ReadSheet(bytes, "balance")[1][6].Text));  // balanced: boolean cell

        var cost = TempFile(".xlsx");
        r = await CliAsync(["energy", "cost", .. range, "--by", "day", "--output", cost]);
        Assert.True(r.ExitCode == 0, r.Err);
        sheet = TariffTestData.ReadSheet(await File.ReadAllBytesAsync(cost), "cost");
        Assert.Equal(2028, TariffTestData.Number(sheet, 1, "cost_cny"), 6);
        Assert.Equal(2184, TariffTestData.Number(sheet, 2, "cost_cny"), 6);
        Assert.Equal((false, "2025-01-01"), TariffTestData.Cell(sheet, 1, "tariff_versions"));
    }
}

[Collection(EnergyCliConsoleCollection.Name)]
public sealed class SqliteTariffCostCliTests : TariffCostCliSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

[Collection(EnergyCliConsoleCollection.Name)]
public sealed class PostgresTariffCostCliTests : TariffCostCliSuite
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL tariff CLI tests need ZEROPARK_TEST_PG; run ./scripts/test.sh (it starts a server on 127.0.0.1)")
        : TestDatabases.NewPostgresDatabase();
}
