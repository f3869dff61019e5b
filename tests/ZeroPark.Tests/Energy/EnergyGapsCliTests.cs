using System.Text.Json;
using ZeroPark.Metering;
using ZeroPark.Application;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.EnergyManagement;

/// <summary><c>zeropark energy kpi|cost</c> with month-on-month / year-on-year, <c>energy flow --carrier water|heat</c>, <c>energy
/// equipment --system power</c> (voltage levels), <c>energy plan decompose-group</c> and the demo's plans, run in-process on SQLite
/// and PostgreSQL. Figures are worked out in <see cref="EnergyGapsSuite"/> and the test parks' summaries.</summary>
public abstract class EnergyGapsCliSuite
{
    protected abstract string NewDatabase();

    private static Task<InProcessCli.Run> CliAsync(params string[] args) => InProcessCli.RunAsync(args);

    private static List<JsonElement> JsonArray(InProcessCli.Run r)
    {
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.Err}");
        using var doc = JsonDocument.Parse(r.Out);
        return doc.RootElement.EnumerateArray().Select(x => x.Clone()).ToList();
    }

    private static JsonElement JsonObject(InProcessCli.Run r)
    {
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.Err}");
        using var doc = JsonDocument.Parse(r.Out);
        return doc.RootElement.Clone();
    }

    /// <summary>CSV output as header → value of data row <paramref name="row"/> (1 = the first data row).</summary>
    private static Func<string, string> Csv(InProcessCli.Run r, int row = 1)
    {
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.Err}");
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].TrimEnd('\r').Split(',');
        var values = lines[row].TrimEnd('\r').Split(',');
        return name =>
        {
            var i = Array.IndexOf(header, name);
            Assert.True(i >= 0, $"no column '{name}' in {lines[0]}");
            return values[i];
        };
    }

    [Fact]
    public async Task Kpi_and_cost_with_month_on_month_and_year_on_year()
    {
        var db = NewDatabase();
        await using (var store = await ZeroParkStore.OpenAsync(db)) await PlanTestPark.SeedAsync(store);
        // b1, March 2025: total 40,300 against February 36,400 (+10.71 %) and March 2024 43,400 (−7.14 %); PUE 1.3 against 1.4 a year earlier.
        var args = new[] { "energy", "kpi", "--db", db, "--park", PlanTestPark.Park, "--node", "b1", "--from", "2025-03-01", "--to", "2025-03-31", "--by", "month" };
        var row = Assert.Single(JsonArray(await CliAsync([.. args, "--format", "json"])));
        Assert.Equal(JsonValueKind.Null, row.GetProperty("cer").ValueKind);
        Assert.Equal(10.71, row.GetProperty("mom").GetProperty("change_pct").GetProperty("total_kwh").GetDouble());
        Assert.Equal(1.4, row.GetProperty("yoy").GetProperty("values").GetProperty("pue").GetDouble());
        Assert.Equal("previous_year", row.GetProperty("yoy").GetProperty("basis").GetString());
        var csv = Csv(await CliAsync([.. args, "--format", "csv"]));
        Assert.Equal("10.71", csv("mom_total_kwh_change_pct"));
        Assert.Equal("-7.14", csv("yoy_pue_change_pct"));
        Assert.Equal("", csv("cer"));
        var table = await CliAsync([.. args, "--format", "table"]);
        Assert.Contains("pue_yoy_%", table.Out, StringComparison.Ordinal);
        Assert.Contains("-7.14", table.Out, StringComparison.Ordinal);

        // Cost: August (2 days, version B: 3,495.86 CNY) against July (2 days, version A: 3,672.50 CNY): −4.81 %.
        const string park = "c1";
        await using (var store = await ZeroParkStore.OpenAsync(db))
        {
            await TariffTestData.CreateCostParkAsync(store, park);
            await store.Tariffs.CreateTariffVersionAsync(park, TariffTestData.Draft(TariffTestData.JsonA, "2025-07-01"), "tester");
            await store.Tariffs.CreateTariffVersionAsync(park, TariffTestData.Draft(TariffTestData.JsonB, "2025-07-15"), "tester");
            await TariffTestData.SeedDaysAsync(store, park, [new DateOnly(2025, 7, 1), new DateOnly(2025, 7, 2), new DateOnly(2025, 8, 1), new DateOnly(2025, 8, 2)]);
        }
        var cost = Csv(await CliAsync("energy", "cost", "--db", db, "--park", park, "--from", "2025-08-01", "--to", "2025-08-31", "--by", "month", "--format", "csv"));
        Assert.Equal("3495.86", cost("cost_cny"));
        Assert.Equal("3672.5", cost("mom_cost_cny"));
        Assert.Equal("-4.81", cost("mom_cost_cny_change_pct"));
        Assert.Equal("", cost("yoy_cost_cny_change_pct"));
    }

    [Fact]
    public async Task Flow_by_carrier_and_power_losses_by_voltage_level()
    {
        var db = NewDatabase();
        await using (var store = await ZeroParkStore.OpenAsync(db)) await EnergyTestPark.SeedAsync(store, "e1");
        var common = new[] { "--db", db, "--park", "e1", "--from", "2025-01-31", "--to", "2025-01-31", "--by", "total" };
        // Water: 3.6 m³ from the make-up meter to the cooling towers (balanced).
        var water = await CliAsync(["energy", "flow", .. common, "--carrier", "water", "--format", "csv"]);
        Assert.StartsWith("start,end,source,target,m3", water.Out, StringComparison.Ordinal);
        Assert.Contains("water,use:cooling.tower,3.6", water.Out, StringComparison.Ordinal);
        var w = Assert.Single(JsonArray(await CliAsync(["energy", "flow", .. common, "--carrier", "water", "--format", "json"])));
        Assert.Equal(("water", "m3", 3.6, true), (w.GetProperty("carrier").GetString(), w.GetProperty("unit").GetString(), w.GetProperty("input").GetDouble(),
            w.GetProperty("balanced").GetBoolean()));
        // Heat: IT 2,400 kWh → reused 240, rejected 2,160.
        var heat = Assert.Single(JsonArray(await CliAsync(["energy", "flow", .. common, "--carrier", "heat", "--format", "json"])));
        var rejected = heat.GetProperty("links").EnumerateArray().Single(l => l.GetProperty("target").GetString() == "rejected");
        Assert.Equal(2160, rejected.GetProperty("kwh").GetDouble(), 6);
        var bad = await CliAsync(["energy", "flow", .. common, "--carrier", "steam"]);
        Assert.Equal(2, bad.ExitCode);
        Assert.StartsWith("error: carrier:", bad.Err, StringComparison.Ordinal);

        // Losses by voltage level: 10 kV 72 kWh (37.5 %), 0.4 kV 120 kWh (62.5 %).
        var eq = JsonObject(await CliAsync("energy", "equipment", "--db", db, "--park", "e1", "--system", "power", "--from", "2025-01-31", "--to", "2025-01-31",
            "--by", "total", "--format", "json"));
        var levels = eq.GetProperty("voltage_levels").EnumerateArray().ToList();
        Assert.Equal([("10kv", 72.0, 37.5), ("0.4kv", 120.0, 62.5)],
            levels.Select(l => (l.GetProperty("level").GetString(), l.GetProperty("kwh").GetDouble(), l.GetProperty("share_pct").GetDouble())));
        var csv = await CliAsync("energy", "equipment", "--db", db, "--park", "e1", "--system", "power", "--from", "2025-01-31", "--to", "2025-01-31",
            "--by", "total", "--format", "csv");
        Assert.Contains("level,name_zh,name_en,types,meters,kwh,share_pct", csv.Out, StringComparison.Ordinal);
        var xlsx = Path.Combine(Path.GetTempPath(), $"zp-eq-{Guid.NewGuid():N}.xlsx");
        try
        {
            var r = await CliAsync("energy", "equipment", "--db", db, "--park", "e1", "--system", "power", "--from", "2025-01-31", "--to", "2025-01-31",
                "--by", "total", "--format", "xlsx", "--output", xlsx);
            Assert.True(r.ExitCode == 0, r.Err);
            var sheet = TariffTestData.ReadSheet(await File.ReadAllBytesAsync(xlsx), "voltage_levels");
            Assert.Equal(72, TariffTestData.Number(sheet, 1, "kwh"));
        }
        finally
        {
            File.Delete(xlsx);
        }
    }

    [Fact]
    public async Task Group_plan_decomposition()
    {
        var db = NewDatabase();
        await using (var store = await ZeroParkStore.OpenAsync(db))
        {
            await PlanTestPark.SeedAsync(store);
            await store.Registry.CreateParkAsync(new ParkDraft("g2", "Second data center"));
            await store.Registry.CreateMetersAsync("g2", [new MeterDraft("in", "in", "electricity", "interval", "kWh") { IntervalMinutes = 1440, Role = "facility_input" }]);
            await store.Readings.IngestAsync("g2", [new RawPoint("in", new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.FromHours(8)), 427_000, 1)], new IngestSource("test", "tester"));
        }
        // 2,000 MWh by 2024 consumption: p1 1,281,000 kWh, g2 427,000 → 1,500,000 and 500,000 kWh.
        var d = JsonObject(await CliAsync("energy", "plan", "decompose-group", "--db", db, "--carrier", "electricity", "--year", "2025", "--amount", "2000",
            "--unit", "MWh", "--parks", "p1,g2", "--format", "json"));
        Assert.Equal([("p1", 1_500_000.0), ("g2", 500_000.0)], d.GetProperty("parks").EnumerateArray().Select(p => (p.GetProperty("node").GetString(), p.GetProperty("plan").GetDouble())));
        Assert.True(d.GetProperty("applied").GetBoolean());
        var list = JsonArray(await CliAsync("energy", "plan", "list", "--db", db, "--park", "g2", "--year", "2025", "--format", "json"));
        Assert.Equal(500_000, Assert.Single(list).GetProperty("amount").GetDouble());
        var bad = await CliAsync("energy", "plan", "decompose-group", "--db", db, "--carrier", "electricity", "--year", "2025", "--amount", "lots");
        Assert.Equal(2, bad.ExitCode);
        Assert.StartsWith("error: amount:", bad.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_demo_has_plans_that_fit_its_consumption()
    {
        var db = NewDatabase();
        var r = await CliAsync("demo", "--db", db, "--meters", "80", "--days", "2");
        Assert.True(r.ExitCode == 0, r.Err);
        var plans = JsonArray(await CliAsync("energy", "plan", "list", "--db", db, "--park", "demo", "--year", "2025", "--format", "json"));
        // Park + 4 buildings × electricity and water × (annual + 12 months).
        Assert.Equal(5 * 2 * 13, plans.Count);
        double Plan(string node, string carrier, int? month) => plans.Single(p => p.GetProperty("node").GetString() == node
            && p.GetProperty("carrier").GetString() == carrier && (p.GetProperty("month").ValueKind == JsonValueKind.Null ? null : p.GetProperty("month").GetInt32()) == month)
            .GetProperty("amount").GetDouble();
        foreach (var carrier in new[] { "electricity", "water" })
        {
            // The park's plan is the sum of its buildings'; the annual plan the sum of the months.
            Assert.Equal(Plan("demo", carrier, null), Enumerable.Range(1, 4).Sum(b => Plan($"b{b}", carrier, null)), 3);
            Assert.Equal(Plan("demo", carrier, null), Enumerable.Range(1, 12).Sum(m => Plan("demo", carrier, m)), 3);
            // Summer needs more than winter (cooling): July's daily plan is above January's.
            Assert.True(Plan("demo", carrier, 7) / 31 > Plan("demo", carrier, 1) / 31, carrier);
            // The plan is the model's consumption less 3 %: the 2 days measured run at 1 / 0.97 of the plan's daily rate, within 5 %.
            var p = JsonObject(await CliAsync("energy", "plan", "progress", "--db", db, "--park", "demo", "--carrier", carrier, "--year", "2025",
                "--as-of", "2025-01-02", "--format", "json"));
            var ratio = p.GetProperty("actual_to_date").GetDouble() / p.GetProperty("plan_to_date").GetDouble();
            Assert.InRange(ratio, 1 / 0.97 * 0.95, 1 / 0.97 * 1.05);
        }
        // The demo's cooling-load meters give CER.
        var kpi = Assert.Single(JsonArray(await CliAsync("energy", "kpi", "--db", db, "--park", "demo", "--from", "2025-01-01", "--to", "2025-01-01", "--by", "day", "--format", "json")));
        Assert.InRange(kpi.GetProperty("cer").GetDouble(), 3, 10);
    }
}

[Collection(EnergyCliConsoleCollection.Name)]
public sealed class SqliteEnergyGapsCliTests : EnergyGapsCliSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

[Collection(EnergyCliConsoleCollection.Name)]
public sealed class PostgresEnergyGapsCliTests : EnergyGapsCliSuite
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL energy CLI tests need ZEROPARK_TEST_PG; run ./scripts/test.sh (it starts a server on 127.0.0.1)")
        : TestDatabases.NewPostgresDatabase();
}
