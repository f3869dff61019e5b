using System.Text.Json;
using ZeroPark.Application;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.EnergyManagement;

/// <summary>Console.SetOut is process-wide: the in-process CLI tests run alone, after the parallel collections.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EnergyCliConsoleCollection
{
    public const string Name = "energy-cli-console";
}

/// <summary>The command-line contract of <c>zeropark energy kpi|breakdown|flow</c>, run in-process through
/// <see cref="ZeroPark.Cli.CliApp.RunAsync"/> with standard output and error captured, on SQLite and PostgreSQL, over the
/// hand-worked park of <see cref="EnergyTestPark"/>.</summary>
public abstract class EnergyCliSuite
{
    private const string Park = "e1";

    protected abstract string NewDatabase();


    private static Task<InProcessCli.Run> CliAsync(params string[] args) => InProcessCli.RunAsync(args);

    private async Task<string> SeededDatabaseAsync(Func<string, int, bool>? skip = null)
    {
        var db = NewDatabase();
        await using var store = await ZeroParkStore.OpenAsync(db);
        await EnergyTestPark.SeedAsync(store, Park, skip);
        return db;
    }

    private static List<JsonElement> JsonArray(InProcessCli.Run r)
    {
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.Err}");
        using var doc = JsonDocument.Parse(r.Out);
        Assert.Equal(JsonValueKind.Array, doc.RootElement.ValueKind);
        return doc.RootElement.EnumerateArray().Select(x => x.Clone()).ToList();
    }

    private static double Num(JsonElement e, string p) => e.GetProperty(p).GetDouble();

    [Fact]
    public async Task Kpi_json_has_one_object_per_local_month_with_the_contract_fields()
    {
        var db = await SeededDatabaseAsync();
        var rows = JsonArray(await CliAsync("energy", "kpi", "--db", db, "--park", Park, "--from", "2025-01-31", "--to", "2025-02-01", "--by", "month", "--format", "json"));
        Assert.Equal(2, rows.Count);
        foreach (var field in new[] { "start", "end", "pue", "clf", "plf", "alf", "wue", "erf", "ere", "ref", "completeness", "notes" })
            Assert.True(rows[0].TryGetProperty(field, out _), $"missing '{field}' in {rows[0]}");
        var jan = rows[0];
        Assert.Equal("2025-01-31T00:00:00+08:00", jan.GetProperty("start").GetString());
        Assert.Equal("2025-02-01T00:00:00+08:00", jan.GetProperty("end").GetString());
        // January (Jan 31 only, the reading at Feb 1 00:00 included): E_DC 3,240, IT 2,400, cooling 600, power 192, aux 48,
        // water 3.6 m³, reused 240, PV 120 (see EnergyTestPark).
        Assert.Equal(1.35, Num(jan, "pue"), 6);                 // 3,240 / 2,400
        Assert.Equal(0.25, Num(jan, "clf"), 6);                 // 600 / 2,400
        Assert.Equal(0.08, Num(jan, "plf"), 6);                 // 192 / 2,400
        Assert.Equal(0.02, Num(jan, "alf"), 6);                 // 48 / 2,400
        Assert.Equal(1.5, Num(jan, "wue"), 6);                  // 3,600 L / 2,400 kWh
        Assert.Equal(0.074074, Num(jan, "erf"), 6);             // 240 / 3,240
        Assert.Equal(1.25, Num(jan, "ere"), 6);                 // (3,240 − 240) / 2,400
        Assert.Equal(0.037037, Num(jan, "ref"), 6);             // 120 / 3,240
        Assert.Equal(100, Num(jan, "completeness"));
        Assert.Equal("3", jan.GetProperty("gb40879_grade").GetString());
        Assert.Equal(2400, Num(jan.GetProperty("inputs"), "it_kwh"), 6);
        Assert.Equal(JsonValueKind.Array, jan.GetProperty("notes").ValueKind);
        Assert.Equal("grid", jan.GetProperty("boundary").GetProperty("facility_input_meters")[0].GetString());
        // February 1: chiller 30 instead of 20 → E_DC 3,480 → PUE 1.45, CLF 840 / 2,400 = 0.35.
        Assert.Equal(1.45, Num(rows[1], "pue"), 6);
        Assert.Equal(0.35, Num(rows[1], "clf"), 6);
    }

    [Fact]
    public async Task To_is_inclusive_and_a_node_without_facility_input_gives_null_with_notes()
    {
        var db = await SeededDatabaseAsync();
        var day = Assert.Single(JsonArray(await CliAsync("energy", "kpi", "--db", db, "--park", Park, "--from", "2025-02-01", "--to", "2025-02-01", "--by", "day", "--format", "json")));
        Assert.Equal(1.45, Num(day, "pue"), 6);
        Assert.Equal("2025-02-02T00:00:00+08:00", day.GetProperty("end").GetString());
        var room = Assert.Single(JsonArray(await CliAsync("energy", "kpi", "--db", db, "--park", Park, "--node", "b1-r1", "--from", "2025-01-31", "--to", "2025-01-31", "--by", "total", "--format", "json")));
        Assert.Equal(JsonValueKind.Null, room.GetProperty("pue").ValueKind);
        Assert.Equal(JsonValueKind.Null, room.GetProperty("plf").ValueKind);
        Assert.Equal(1.05, Num(room, "ppue"), 6);               // (2,400 + CRAH 120) / 2,400
        var notes = room.GetProperty("notes").EnumerateArray().Select(n => n.GetString()!).ToList();
        Assert.Contains(notes, n => n.StartsWith("pue: ", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.StartsWith("plf: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Partial_data_says_so_in_completeness_and_notes()
    {
        // Six chiller readings missing on Feb 1 → cooling 42 of 48 readings = 87.5 %.
        var db = await SeededDatabaseAsync((m, h) => m == "chiller" && h is >= 34 and <= 39);
        var rows = JsonArray(await CliAsync("energy", "kpi", "--db", db, "--park", Park, "--from", "2025-01-31", "--to", "2025-02-01", "--by", "day", "--format", "json"));
        Assert.Equal(100, Num(rows[0], "completeness"));
        Assert.Equal(87.5, Num(rows[1], "completeness"));
        Assert.Contains(rows[1].GetProperty("notes").EnumerateArray(), n => n.GetString()!.StartsWith("completeness: 87.5 %", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Breakdown_and_flow_share_the_options()
    {
        var db = await SeededDatabaseAsync();
        var csv = await CliAsync("energy", "breakdown", "--db", db, "--park", Park, "--from", "2025-01-31", "--to", "2025-01-31", "--by", "day", "--format", "csv", "--detail");
        Assert.True(csv.ExitCode == 0, csv.Err);
        var lines = csv.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        var values = lines[1].Split(',');
        string Col(string name) => values[Array.IndexOf(header, name)];
        Assert.Equal("3240", Col("total_kwh"));
        Assert.Equal("2400", Col("it_kwh"));
        Assert.Equal("480", Col("cooling.chiller_kwh"));        // 24 × 20
        Assert.Equal("0", Col("unmetered_kwh"));
        var flow = Assert.Single(JsonArray(await CliAsync("energy", "flow", "--db", db, "--park", Park, "--from", "2025-01-31", "--to", "2025-01-31", "--by", "total", "--format", "json")));
        Assert.True(flow.GetProperty("balanced").GetBoolean());
        var toIt = flow.GetProperty("links").EnumerateArray().Single(l => l.GetProperty("target").GetString() == "it");
        Assert.Equal(2400, Num(toIt, "kwh"), 6);
    }

    [Fact]
    public async Task Bad_options_print_one_error_line_and_exit_2()
    {
        var db = await SeededDatabaseAsync();
        var r = await CliAsync("energy", "kpi", "--db", db, "--park", Park, "--from", "2025-01-31", "--to", "2025-02-01", "--by", "week", "--format", "json");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: by:", r.Err, StringComparison.Ordinal);
        Assert.Equal("", r.Out);
        r = await CliAsync("energy", "kpi", "--db", db, "--park", Park, "--from", "2025-02-30", "--to", "2025-03-01", "--format", "json");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: from:", r.Err, StringComparison.Ordinal);
        r = await CliAsync("energy", "flow", "--db", db, "--park", "nopark", "--from", "2025-01-31", "--to", "2025-02-01", "--format", "json");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("nopark", r.Err, StringComparison.Ordinal);
        r = await CliAsync("energy", "breakdown", "--db", db, "--park", Park, "--node", "b9", "--from", "2025-01-31", "--to", "2025-02-01");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("node 'b9' not found", r.Err, StringComparison.Ordinal);
    }
}

[Collection(EnergyCliConsoleCollection.Name)]
public sealed class SqliteEnergyCliTests : EnergyCliSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

[Collection(EnergyCliConsoleCollection.Name)]
public sealed class PostgresEnergyCliTests : EnergyCliSuite
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL energy CLI tests need ZEROPARK_TEST_PG; run ./scripts/test.sh (it starts a server on 127.0.0.1)")
        : TestDatabases.NewPostgresDatabase();
}
