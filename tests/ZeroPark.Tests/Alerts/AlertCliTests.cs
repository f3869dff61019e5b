using System.Text.Json;
using ZeroPark.Application;
using ZeroPark.Tests.EnergyManagement;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.Alerts;

/// <summary>The contract the team's checks use: <c>zeropark alerts evaluate --db D --park P --at ISO-INSTANT --format json</c> prints the
/// alerts that evaluation raised (rule, period, message); again at the same instant, nothing. Plus the calendar and rule commands.</summary>
[Collection(EnergyCliConsoleCollection.Name)]
public abstract class AlertCliSuite
{
    protected abstract string NewDatabase();

    private async Task<string> SeededAsync()
    {
        var db = NewDatabase();
        await using var store = await ZeroParkStore.OpenAsync(db);
        await PlanTestPark.SeedAsync(store);
        return db;
    }

    private static List<JsonElement> Json(InProcessCli.Run r)
    {
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.Err}");
        using var doc = JsonDocument.Parse(r.Out);
        return doc.RootElement.EnumerateArray().Select(x => x.Clone()).ToList();
    }

    [Fact]
    public async Task Evaluate_prints_the_raised_alerts_once()
    {
        var db = await SeededAsync();
        // 2025-07-05 00:00:01 (+08): the daily meters' last reading was 07-01 00:00, more than 4 intervals ago → 17 meters offline;
        // June checked against Mar–May: b1_chiller 300 vs 200 kWh/day = +50 %.
        var first = Json(await InProcessCli.RunAsync("alerts", "evaluate", "--db", db, "--park", "p1", "--at", "2025-07-05T00:00:01+08:00", "--kinds", "offline,deviation", "--format", "json"));
        Assert.Equal(18, first.Count);
        var chiller = first.Single(a => a.GetProperty("subject").GetString() == "meter:b1_chiller" && a.GetProperty("rule").GetString() == "meter-deviation");
        Assert.Equal(("meter-deviation", "2025-06"), (chiller.GetProperty("rule").GetString(), chiller.GetProperty("period").GetString()));
        Assert.Contains("+50 %", chiller.GetProperty("message").GetString());
        Assert.All(first, a => Assert.False(string.IsNullOrEmpty(a.GetProperty("message").GetString())));
        var again = await InProcessCli.RunAsync("alerts", "evaluate", "--db", db, "--park", "p1", "--at", "2025-07-05T00:00:01+08:00", "--kinds", "offline,deviation", "--format", "json");
        Assert.Empty(Json(again));
        Assert.Equal("[]", again.Out.Trim());

        var bad = await InProcessCli.RunAsync("alerts", "evaluate", "--db", db, "--park", "p1", "--at", "2025-07-05 00:00", "--format", "json");
        Assert.Equal((2, "error: at: '2025-07-05 00:00' is not an ISO 8601 instant with an offset (e.g. 2025-10-09T09:30:00+08:00)"), (bad.ExitCode, bad.Err.Trim()));

        var id = chiller.GetProperty("id").GetInt64();
        var ack = await InProcessCli.RunAsync("alerts", "ack", "--db", db, "--park", "p1", "--id", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--user", "op");
        Assert.Equal(0, ack.ExitCode);
        var listed = Json(await InProcessCli.RunAsync("alerts", "list", "--db", db, "--park", "p1", "--status", "acknowledged", "--format", "json"));
        Assert.Equal(("op", "acknowledged"), (Assert.Single(listed).GetProperty("acknowledged_by").GetString(), listed[0].GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Rules_and_the_calendar_from_the_command_line()
    {
        var db = await SeededAsync();
        var add = await InProcessCli.RunAsync("alerts", "rules", "add", "--db", db, "--park", "p1", "--code", "b2-pue", "--kind", "kpi", "--param", "node=b2", "--param", "limit=1.4",
            "--param", "for=3", "--user", "t");
        Assert.True(add.ExitCode == 0, add.Err);
        var test = await InProcessCli.RunAsync("alerts", "rules", "test", "--db", db, "--park", "p1", "--code", "b2-pue", "--from", "2025-05-01", "--to", "2025-05-31", "--format", "json");
        Assert.True(test.ExitCode == 0, test.Err);
        using (var doc = JsonDocument.Parse(test.Out))
        {
            // b2 PUE 1.8 from 05-01: three days above 1.4 → one episode from 05-01, still active on 05-31.
            var f = Assert.Single(doc.RootElement.GetProperty("findings").EnumerateArray());
            Assert.Equal(("kpi:pue@b2", "2025-05-01"), (f.GetProperty("subject").GetString(), f.GetProperty("period").GetString()));
        }
        var badParam = await InProcessCli.RunAsync("alerts", "rules", "add", "--db", db, "--park", "p1", "--code", "x", "--kind", "offline", "--param", "intervals=-3");
        Assert.Equal((2, "error: params.intervals: '-3' is not a number between 1 and 10000"), (badParam.ExitCode, badParam.Err.Trim()));

        var first = await InProcessCli.RunAsync("calendar", "first-working-day", "--db", db, "--month", "2025-10");
        Assert.Equal("2025-10-09", first.Out.Trim());
        Assert.Equal(0, (await InProcessCli.RunAsync("calendar", "set", "--db", db, "--date", "2025-10-09", "--kind", "holiday", "--name", "site shutdown", "--user", "t")).ExitCode);
        Assert.Equal("2025-10-10", (await InProcessCli.RunAsync("calendar", "first-working-day", "--db", db, "--month", "2025-10")).Out.Trim());
        var list = JsonDocument.Parse((await InProcessCli.RunAsync("calendar", "list", "--db", db, "--year", "2026", "--format", "json")).Out);
        Assert.Equal(39, list.RootElement.GetArrayLength());   // 33 holidays + 6 adjusted working days
    }
}

public sealed class SqliteAlertCliTests : AlertCliSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

public sealed class PostgresAlertCliTests : AlertCliSuite
{
    protected override string NewDatabase() => TestDatabases.NewPostgresDatabase();
}
