using System.Text.Json;
using ZeroPark.Application;
using ZeroPark.Tests.EnergyManagement;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.Optimisation;

/// <summary>The command-line contract of <c>zeropark forecast backtest</c> (the team's checks: <c>mape</c>, <c>baseline_mape</c>, <c>points</c>) and
/// the other optimisation commands, in-process on SQLite and PostgreSQL over <see cref="OptTestPark"/>.</summary>
public abstract class OptimisationCliSuite
{
    protected abstract string NewDatabase();

    private static JsonElement Json(InProcessCli.Run r)
    {
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.Err}");
        using var doc = JsonDocument.Parse(r.Out);
        return doc.RootElement.Clone();
    }

    private async Task<string> SeededAsync()
    {
        var db = NewDatabase();
        await using var store = await ZeroParkStore.OpenAsync(db);
        await OptTestPark.SeedAsync(store);
        return db;
    }

    [Fact]
    public async Task Forecast_backtest_prints_the_contract_fields()
    {
        var db = await SeededAsync();
        foreach (var target in new[] { "facility_energy", "pue" })
        {
            var j = Json(await InProcessCli.RunAsync("forecast", "backtest", "--db", db, "--park", OptTestPark.Park, "--target", target, "--horizon", "day", "--format", "json"));
            // 60 held-out days (2025-03-02 … 2025-04-30) × 24 hours.
            Assert.Equal(1440, j.GetProperty("points").GetInt32());
            Assert.True(j.GetProperty("mape").GetDouble() >= 0);
            Assert.True(j.GetProperty("baseline_mape").GetDouble() >= 0);
            Assert.Equal(target, j.GetProperty("target").GetString());
        }
        var w = Json(await InProcessCli.RunAsync("forecast", "backtest", "--db", db, "--park", OptTestPark.Park, "--target", "cooling_energy", "--horizon", "week", "--format", "json"));
        Assert.Equal(399, w.GetProperty("points").GetInt32());
        var bad = await InProcessCli.RunAsync("forecast", "backtest", "--db", db, "--park", OptTestPark.Park, "--target", "steam", "--format", "json");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("target", bad.Err, StringComparison.Ordinal);
        var run = Json(await InProcessCli.RunAsync("forecast", "run", "--db", db, "--park", OptTestPark.Park, "--target", "it_load", "--horizon", "week", "--format", "json"));
        Assert.Equal(7, run.GetProperty("forecast").GetProperty("points").GetArrayLength());
        var list = Json(await InProcessCli.RunAsync("forecast", "list", "--db", db, "--park", OptTestPark.Park, "--format", "json"));
        Assert.Equal(run.GetProperty("forecast").GetProperty("id").GetInt64(), list[0].GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Drivers_suggestions_and_the_report_on_the_command_line()
    {
        var db = await SeededAsync();
        var d = Json(await InProcessCli.RunAsync("pue", "drivers", "--db", db, "--park", OptTestPark.Park, "--at-temp", "20", "--at-load", "0.7", "--format", "json"));
        var temp = d.GetProperty("coefficients").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "outdoor_temp_c");
        Assert.InRange(temp.GetProperty("estimate").GetDouble(), 0.0075, 0.0085);
        var a = Json(await InProcessCli.RunAsync("suggestions", "analyse", "--db", db, "--park", OptTestPark.Park, "--format", "json"));
        Assert.Contains(a.GetProperty("found").EnumerateArray(), f => f.GetProperty("kind").GetString() == "night_base_load" && f.GetProperty("saving_kwh").GetDouble() == 3285);
        var list = Json(await InProcessCli.RunAsync("suggestions", "list", "--db", db, "--park", OptTestPark.Park, "--format", "json"));
        var id = list.EnumerateArray().First(s => s.GetProperty("kind").GetString() == "free_cooling_unused").GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var noReason = await InProcessCli.RunAsync("suggestions", "reject", "--db", db, "--park", OptTestPark.Park, "--id", id);
        Assert.Equal(2, noReason.ExitCode);
        Assert.Contains("reason", noReason.Err, StringComparison.Ordinal);
        var acc = Json(await InProcessCli.RunAsync("suggestions", "accept", "--db", db, "--park", OptTestPark.Park, "--id", id, "--format", "json"));
        Assert.Equal(("accepted", "SG-" + id), (acc.GetProperty("status").GetString(), acc.GetProperty("measure").GetString()));
        var file = Path.Combine(Path.GetTempPath(), $"eff-{Guid.NewGuid():N}.xlsx");
        var x = await InProcessCli.RunAsync("efficiency", "report", "--db", db, "--park", OptTestPark.Park, "--year", "2025", "--format", "xlsx", "--output", file);
        Assert.True(x.ExitCode == 0, x.Err);
        Assert.True(new FileInfo(file).Length > 1000);
        var rep = Json(await InProcessCli.RunAsync("efficiency", "report", "--db", db, "--park", OptTestPark.Park, "--year", "2025", "--format", "json"));
        Assert.Equal(4, rep.GetProperty("months").GetArrayLength());
        Assert.True(rep.GetProperty("accepted_saving_kwh").GetDouble() > 0);
        File.Delete(file);
    }

    [Fact]
    public async Task Room_settings_on_the_command_line()
    {
        var db = NewDatabase();
        await using (var store = await ZeroParkStore.OpenAsync(db)) await RoomTestPark.SeedAsync(store, "rooms");
        var s = Json(await InProcessCli.RunAsync("suggestions", "settings", "--db", db, "--park", "rooms", "--format", "json"));
        Assert.Equal(24, s.GetProperty("room_target_c").GetDouble());
        var bad = await InProcessCli.RunAsync("suggestions", "settings", "--db", db, "--park", "rooms", "--room-margin-k", "0");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("room_margin_k", bad.Err, StringComparison.Ordinal);
        var set = Json(await InProcessCli.RunAsync("suggestions", "settings", "--db", db, "--park", "rooms", "--room-target-c", "23", "--format", "json"));
        Assert.Equal((23.0, 2.0, 0.03), (set.GetProperty("room_target_c").GetDouble(), set.GetProperty("room_margin_k").GetDouble(), set.GetProperty("room_saving_per_k").GetDouble()));
        // Target 23 °C: room 1's P90 20 °C → 3 K × 3 % of 18 kWh/h × 720 h × 365 / 30 = 14,191.2 kWh a year.
        var a = Json(await InProcessCli.RunAsync("suggestions", "analyse", "--db", db, "--park", "rooms", "--format", "json"));
        Assert.Contains(a.GetProperty("found").EnumerateArray(), f => f.GetProperty("kind").GetString() == "over_cooled_room" && f.GetProperty("saving_kwh").GetDouble() == 14191.2);
    }
}

[Collection(EnergyCliConsoleCollection.Name)]
public sealed class SqliteOptimisationCliTests : OptimisationCliSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

[Collection(EnergyCliConsoleCollection.Name)]
public sealed class PostgresOptimisationCliTests : OptimisationCliSuite
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL tests need ZEROPARK_TEST_PG; run ./scripts/test.sh")
        : TestDatabases.NewPostgresDatabase();
}
