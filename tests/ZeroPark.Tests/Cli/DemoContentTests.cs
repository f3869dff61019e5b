using System.Text.Json;
using ZeroPark.Application;
using ZeroPark.Tests.EnergyManagement;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.Cli;

/// <summary>What <c>zeropark demo</c> puts beside the meter readings: a time-of-use tariff, a weather station (gauge meters), scope 1
/// and 3 activity data with illustrative factors, and fresh planner statistics. A small demo (80 meters, 40 days from 2025-01-01),
/// run in-process on SQLite and PostgreSQL; figures worked out by hand from DemoCarbon, DemoTariff and the demo's weather model.</summary>
public abstract class DemoContentSuite
{
    protected abstract string NewDatabase();

    private static Task<JsonElement> Json(params string[] args) => InProcessCli.JsonAsync(args);

    [Fact]
    public async Task The_demo_has_a_tariff_weather_scope_1_and_3_data_and_analyzed_tables()
    {
        var db = NewDatabase();
        var r = await InProcessCli.DemoAsync(db, meters: 80, days: 40);

        // Tariff: one version (40 days stay in 2025). January has no critical peak; each day is 8 h valley (0.245), 8 h flat (0.62)
        // and 8 h peak (0.99 CNY/kWh), so a nearly flat data-center load pays about (0.245 + 0.62 + 0.99) / 3 = 0.618 CNY/kWh (the
        // IT load peaks in the afternoon, ±6 %, a little above that).
        var tariffs = await Json("energy", "tariff", "list", "--db", db, "--park", "demo", "--format", "json");
        Assert.Equal("2025-01-01", Assert.Single(tariffs.EnumerateArray()).GetProperty("valid_from").GetString());
        var cost = (await Json("energy", "cost", "--db", db, "--park", "demo", "--from", "2025-01-01", "--to", "2025-01-31", "--by", "month", "--format", "json"))[0];
        Assert.InRange(cost.GetProperty("average_price_cny_per_kwh").GetDouble(), 0.60, 0.645);
        Assert.Equal(0, cost.GetProperty("critical_peak_kwh").GetDouble());
        Assert.True(cost.GetProperty("valley_kwh").GetDouble() > 0 && cost.GetProperty("peak_kwh").GetDouble() > 0);

        // Weather: the model's daily mean on 1 January is 12 − 16 cos(2π (1 − 15) / 365) = 12 − 16 × 0.9711 = −3.54 °C and the
        // humidity 52 − 18 × 0.9711 = 34.5 % (the diurnal terms average out; the noise of 96 readings is ±0.1–0.3).
        var t = (await Json("series", "--db", db, "--park", "demo", "--meter", "weather_temp", "--from", "2025-01-01", "--to", "2025-01-01", "--format", "json"))[0];
        Assert.Equal("°C", t.GetProperty("unit").GetString());
        Assert.InRange(t.GetProperty("value").GetDouble(), -4.5, -2.5);
        var rh = (await Json("series", "--db", db, "--park", "demo", "--meter", "weather_rh", "--from", "2025-01-01", "--to", "2025-01-01", "--format", "json"))[0];
        Assert.InRange(rh.GetProperty("value").GetDouble(), 33, 36);

        // Scope 3 in January (month 1), from DemoCarbon: spare parts 180,000 + 20,000 × (1 mod 3) = 200,000 CNY × 0.42 = 84 t;
        // servers 40 + 8 × (1 mod 2) = 48 × 1,300 kg = 62.4 t; general waste 2.4 + 0.1 × (1 mod 4) = 2.5 t × 520 kg = 1.3 t;
        // air 18,000 + 1,500 × (1 mod 5) = 19,500 pkm × 0.15 kg = 2.925 t; rail 25,000 + 2,000 × (1 mod 4) = 27,000 pkm × 0.04 kg
        // = 1.08 t; sum 151.705 t — plus T&D losses (category 3) of January's billed grid electricity (the load model's, without
        // noise: within a few % of the metered grid electricity) × 0.028 kg/kWh.
        var inv = await Json("carbon", "inventory", "--db", db, "--park", "demo", "--from", "2025-01-01", "--to", "2025-01-31", "--format", "json");
        var lines = inv.GetProperty("lines").EnumerateArray().ToList();
        double Sum(Func<JsonElement, bool> where) => lines.Where(where).Sum(l => l.GetProperty("co2e_t").GetDouble());
        var gridKwh = lines.Where(l => l.GetProperty("source").GetString() == "purchased_electricity" && l.GetProperty("basis").GetString() == "location")
            .Sum(l => l.GetProperty("activity").GetDouble());
        Assert.True(gridKwh > 0);
        var td = Assert.Single(lines, l => l.GetProperty("material").GetString() == "grid_td_losses");
        Assert.Equal(3, td.GetProperty("scope3_category").GetInt32());
        var billedKwh = td.GetProperty("activity").GetDouble();
        Assert.InRange(billedKwh / gridKwh, 0.97, 1.03);
        Assert.Equal(billedKwh * 0.028 / 1000, td.GetProperty("co2e_t").GetDouble(), 6);
        Assert.Equal(151.705, Sum(l => l.GetProperty("scope").GetString() == "scope3" && l.GetProperty("material").GetString() != "grid_td_losses"), 6);
        Assert.Equal(151.705 + billedKwh * 0.028 / 1000, inv.GetProperty("scope3_t").GetDouble(), 6);
        // Scope 1: the generators' metered diesel (the first-Monday load test) is there.
        Assert.True(Sum(l => l.GetProperty("source").GetString() == "diesel_generator") > 0);
        Assert.True(inv.GetProperty("complete").GetBoolean());

        // The demo refreshed the planner statistics of the tables it filled.
        await using var store = await ZeroParkStore.OpenAsync(db);
        Assert.All(await store.IngestTablesAnalyzedAsync(), kv => Assert.True(kv.Value, kv.Key));
    }

    [Fact]
    public async Task The_demo_has_alerts_of_several_kinds_raised_by_the_engine_and_handled_by_the_operator()
    {
        var db = NewDatabase();
        var r = await InProcessCli.DemoAsync(db, meters: 80, days: 40);
        var alerts = (await Json("alerts", "list", "--db", db, "--park", "demo", "--format", "json")).EnumerateArray().ToList();
        JsonElement One(string rule, string subject, string period) => Assert.Single(alerts, a => a.GetProperty("rule").GetString() == rule
            && a.GetProperty("subject").GetString() == subject && a.GetProperty("period").GetString() == period);
        string? S(JsonElement a, string field) => a.GetProperty(field).ValueKind == JsonValueKind.Null ? null : a.GetProperty(field).GetString();

        // Data gaps: DemoReadings leaves b2_chiller1 silent on days 10 and 11 (2025-01-11 and 01-12: 0 of 96 readings each, below the
        // default 90 %). The morning round of the next day raises each (08:00); the operator's round two days later (the first round
        // at or after raised + 2 days) resolves it with the note.
        foreach (var (day, raised, resolved) in new[] { ("2025-01-11", "2025-01-12T08:00:00+08:00", "2025-01-14T08:00:00+08:00"),
                                                          ("2025-01-12", "2025-01-13T08:00:00+08:00", "2025-01-15T08:00:00+08:00") })
        {
            var gap = One("data-completeness", "meter:b2_chiller1", day);
            Assert.Equal("resolved", S(gap, "status"));
            Assert.Equal(raised, S(gap, "raised_at"));
            Assert.Equal(resolved, S(gap, "resolved_at"));
            Assert.Equal("demo", S(gap, "resolved_by"));
            Assert.Contains("数据缺口已核实", S(gap, "comment"));
            Assert.Equal(0, gap.GetProperty("value").GetDouble());
        }

        // Plan overrun: the demo's monthly plans are the model's consumption less 3 %, so January 2025's electricity (≈ model) exceeds its
        // plan by ≈ 1/0.97 − 1 = 3.1 %. The check is due on February's first working day: 2025-02-05 (Spring Festival 01-28 … 02-04),
        // 09:30; the operator acknowledges it on 02-08 08:00 (02-07 08:00 is less than two days after 02-05 09:30).
        var plan = One("monthly-targets", "target:energy_plan", "2025-01");
        Assert.Equal("acknowledged", S(plan, "status"));
        Assert.Equal("2025-02-05T09:30:00+08:00", S(plan, "raised_at"));
        Assert.Equal("2025-02-08T08:00:00+08:00", S(plan, "acknowledged_at"));
        Assert.Equal("demo", S(plan, "acknowledged_by"));
        Assert.Contains("月度目标未达成", S(plan, "comment"));
        Assert.InRange(plan.GetProperty("value").GetDouble() / plan.GetProperty("normal").GetDouble(), 1 / 0.97 * 0.98, 1 / 0.97 * 1.02);

        // Offline meter: b3_crah2 reports last at 16:00 of the last day (2025-02-09, day 39); the evaluation at the end of the data
        // (2025-02-10 00:00) finds it 8 h silent (> 4 × 15 min): open and critical. The same day is 64 of 96 readings (00:15 … 16:00) =
        // 66.7 % complete: an open data-gap alert as well.
        var offline = One("meter-offline", "meter:b3_crah2", "2025-02-09T16:00+08:00");
        Assert.Equal(("open", "critical"), (S(offline, "status"), S(offline, "severity")));
        Assert.Equal("2025-02-10T00:00:00+08:00", S(offline, "raised_at"));
        Assert.Equal(8, offline.GetProperty("value").GetDouble(), 6);
        var lastDay = One("data-completeness", "meter:b3_crah2", "2025-02-09");
        Assert.Equal("open", S(lastDay, "status"));
        Assert.Equal(64.0 / 96, lastDay.GetProperty("value").GetDouble(), 4);
        // No other meter went silent: one offline alert only.
        Assert.Single(alerts, a => S(a, "rule") == "meter-offline");
        // The demo is a recorded history: the server's alert loop evaluates it at its end (2025-02-10 00:00), not at today's date.
        var asOf = await InProcessCli.RunAsync("alerts", "as-of", "--db", db, "--park", "demo");
        Assert.True(asOf.ExitCode == 0, asOf.Err);
        Assert.Contains("demo: alerts evaluated as of 2025-02-10", asOf.Out);

        // The default rules are installed; the meter deviation rule compares with the same month of the year before (seasonal cooling).
        var rules = (await Json("alerts", "rules", "list", "--db", db, "--park", "demo", "--format", "json")).EnumerateArray().ToList();
        Assert.Contains(rules, x => x.GetProperty("code").GetString() == "pue-daily");
        var deviation = Assert.Single(rules, x => x.GetProperty("code").GetString() == "meter-deviation");
        Assert.Equal("last_year", deviation.GetProperty("params").GetProperty("baseline").GetString());
    }
}

[Collection(EnergyCliConsoleCollection.Name)]
public sealed class SqliteDemoContentTests : DemoContentSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

[Collection(EnergyCliConsoleCollection.Name)]
public sealed class PostgresDemoContentTests : DemoContentSuite
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL demo tests need ZEROPARK_TEST_PG; run ./scripts/test.sh (it starts a server on 127.0.0.1)")
        : TestDatabases.NewPostgresDatabase();
}
