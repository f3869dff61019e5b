using System.Text.Json;
using ZeroPark.Application;
using ZeroPark.Tests.EnergyManagement;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.Evaluations;

/// <summary>The command-line contract of issue 16 in-process on SQLite and PostgreSQL: <c>zeropark init --commissioned</c>,
/// <c>parks update</c>, <c>evaluate tca305|bfia043 --format json</c> (the fields the team's checks use), <c>save</c>, <c>evidence</c>,
/// <c>history</c> and <c>export</c>, over <see cref="EvalTestPark"/> (PUE 1.3, WUE 1.2, IT load 0.6 in 2025).</summary>
public abstract class EvaluationCliSuite
{
    private const string Park = EvalTestPark.Park;

    protected abstract string NewDatabase();

    private static Task<InProcessCli.Run> CliAsync(params string[] args) => InProcessCli.RunAsync(args);

    private static JsonElement Json(InProcessCli.Run r)
    {
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.Err}");
        using var doc = JsonDocument.Parse(r.Out);
        return doc.RootElement.Clone();
    }

    [Fact]
    public async Task Init_with_commissioned_and_parks_update()
    {
        var db = NewDatabase();
        var r = await CliAsync("init", "--db", db, "--park", "p1", "--name", "P1", "--climate-zone", "severe_cold", "--commissioned", "2021-03-15");
        Assert.True(r.ExitCode == 0, r.Err);
        var list = Json(await CliAsync("parks", "list", "--db", db, "--format", "json"));
        Assert.Equal("2021-03-15", list[0].GetProperty("commissioned").GetString());
        var u = Json(await CliAsync("parks", "update", "--db", db, "--park", "p1", "--commissioned", "2019-01-01", "--climate-zone", "cold", "--name", "园区一",
            "--design-it-kw", "2000", "--racks-total", "300", "--racks-in-use", "250", "--province", "河北", "--format", "json"));
        Assert.Equal(("2019-01-01", "cold", "园区一", 2000.0, 300, 250, "河北"),
            (u[0].GetProperty("commissioned").GetString(), u[0].GetProperty("climate_zone").GetString(), u[0].GetProperty("name").GetString(),
             u[0].GetProperty("design_it_kw").GetDouble(), u[0].GetProperty("racks_total").GetInt32(), u[0].GetProperty("racks_in_use").GetInt32(),
             u[0].GetProperty("province").GetString()));
        // Unchanged attributes stay; "" clears an optional one.
        u = Json(await CliAsync("parks", "update", "--db", db, "--park", "p1", "--province", "", "--format", "json"));
        Assert.Equal(("2019-01-01", JsonValueKind.Null, 300), (u[0].GetProperty("commissioned").GetString(), u[0].GetProperty("province").ValueKind, u[0].GetProperty("racks_total").GetInt32()));
        r = await CliAsync("parks", "update", "--db", db, "--park", "p1", "--commissioned", "2019-13-01");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: commissioned:", r.Err, StringComparison.Ordinal);
        r = await CliAsync("parks", "update", "--db", db, "--park", "p1", "--climate-zone", "tropical");
        Assert.StartsWith("error: climate_zone:", r.Err, StringComparison.Ordinal);
        r = await CliAsync("parks", "update", "--db", db, "--park", "nope", "--name", "x");
        Assert.Equal(2, r.ExitCode);
        r = await CliAsync("init", "--db", db, "--park", "p2", "--name", "P2", "--commissioned", "yesterday");
        Assert.StartsWith("error: commissioned:", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_tca305_and_bfia043_json_contract()
    {
        var db = NewDatabase();
        await using (var store = await ZeroParkStore.OpenAsync(db)) await EvalTestPark.CreateAsync(store);
        string[] at = ["--db", db, "--park", Park, "--year", "2025"];

        var t = Json(await CliAsync(["evaluate", "tca305", .. at, "--format", "json"]));
        // PUE 78/60 = 1.3, limit 1.35 (cold, existing), score 30 − 13 = 17; nothing declared, no offsets → 不合格.
        Assert.Equal(1.3, t.GetProperty("pue").GetDouble(), 9);
        Assert.Equal(1.35, t.GetProperty("pue_limit").GetDouble());
        Assert.Equal(17, t.GetProperty("pue_score").GetDouble(), 9);
        var constraints = t.GetProperty("constraints").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("passed").GetBoolean());
        Assert.True(constraints["pue"]);
        Assert.True(constraints["wue"]);
        Assert.False(constraints["offset_ratio"]);
        Assert.Equal(JsonValueKind.Null, t.GetProperty("offset_ratio").ValueKind);
        Assert.Equal(0, t.GetProperty("offset_score").GetDouble());
        Assert.Equal(JsonValueKind.Number, t.GetProperty("total").ValueKind);
        Assert.Equal("不合格", t.GetProperty("grade").GetString());

        // Declare everything with evidence and save: offset 0.5 → 20; 17 + 2 + 5 + pue_auto 2 + refrigerant 3 + third_party 3 = 32 → total 52.
        var dir = Directory.CreateTempSubdirectory("zp-eval");
        var evidence = Path.Combine(dir.FullName, "proof.pdf");
        await File.WriteAllTextAsync(evidence, "proof");
        string[] declared = ["boundary", "operating", "scope", "construction_compliance", "environment_compliance", "carbon_system", "zero_carbon_plan", "continuity", "pue_local"];
        foreach (var code in declared.Append("offset_ratio"))
        {
            var ev = await CliAsync(["evaluate", "evidence", "add", .. at, "--standard", "tca305", "--item", code, "--file", evidence, "--user", "auditor"]);
            Assert.True(ev.ExitCode == 0, ev.Err);
        }
        var inputs = Path.Combine(dir.FullName, "inputs.json");
        await File.WriteAllTextAsync(inputs, JsonSerializer.Serialize(new
        {
            items = declared.ToDictionary(c => c, _ => (object)new { declared = true })
                .Concat(new Dictionary<string, object> { ["pue_auto"] = new { score = 2 }, ["refrigerant"] = new { @checked = new[] { "a" } }, ["third_party"] = new { score = 3 } })
                .ToDictionary(kv => kv.Key, kv => kv.Value),
            declared_offset_ratio = 0.5,
        }));
        var s = Json(await CliAsync(["evaluate", "save", .. at, "--standard", "tca305", "--inputs", inputs, "--evaluator", "张三", "--format", "json"]));
        Assert.Equal(0.5, s.GetProperty("offset_ratio").GetDouble());
        Assert.Equal(20, s.GetProperty("offset_score").GetDouble());
        Assert.Equal(52, s.GetProperty("total").GetDouble(), 9);
        Assert.Equal("不达标(无等级)", s.GetProperty("grade").GetString());
        Assert.Equal("张三", s.GetProperty("evaluator").GetString());
        Assert.All(s.GetProperty("constraints").EnumerateArray(), c => Assert.True(c.GetProperty("passed").GetBoolean(), c.GetProperty("name").GetString()));
        var h = Json(await CliAsync("evaluate", "history", "--db", db, "--park", Park, "--standard", "tca305", "--format", "json"));
        Assert.Equal(2025, h[0].GetProperty("year").GetInt32());

        var b = Json(await CliAsync(["evaluate", "bfia043", .. at, "--format", "json"]));
        // R = 1.3 → 35 − 13 = 22; the registry check adds 1 → 23, no star.
        Assert.Equal(1.3, b.GetProperty("r").GetDouble(), 9);
        Assert.Equal(22, b.GetProperty("ratio_score").GetDouble(), 9);
        Assert.Equal(23, b.GetProperty("total").GetDouble(), 9);
        Assert.Equal("无星级", b.GetProperty("star").GetString());

        var xlsx = Path.Combine(dir.FullName, "tca305.xlsx");
        var x = await CliAsync(["evaluate", "export", .. at, "--standard", "tca305", "--output", xlsx]);
        Assert.True(x.ExitCode == 0, x.Err);
        Assert.True(new FileInfo(xlsx).Length > 1000);
        var g = Json(await CliAsync(["evaluate", "gcp", .. at, "--format", "json"]));
        Assert.Equal("2", g.GetProperty("gb40879_grade").GetString());

        var bad = await CliAsync(["evaluate", "tca305", "--db", db, "--park", Park, "--year", "1999", "--format", "json"]);
        Assert.Equal(2, bad.ExitCode);
        Assert.StartsWith("error: year:", bad.Err, StringComparison.Ordinal);
        dir.Delete(true);
    }
}

[Collection(EnergyCliConsoleCollection.Name)]
public sealed class SqliteEvaluationCliTests : EvaluationCliSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

[Collection(EnergyCliConsoleCollection.Name)]
public sealed class PostgresEvaluationCliTests : EvaluationCliSuite
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL evaluation CLI tests need ZEROPARK_TEST_PG; run ./scripts/test.sh (it starts a server on 127.0.0.1)")
        : TestDatabases.NewPostgresDatabase();
}
