using System.Net;
using System.Text.Json;
using ZeroPark.Application;
using ZeroPark.Tests.Api;
using ZeroPark.Tests.EnergyManagement;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.Governance;

/// <summary>A person's alerts through the REST API on SQLite and PostgreSQL, over <see cref="PlanTestPark"/>: the meter deviation of
/// June 2025 (b1_chiller 300 vs 200 kWh/day) concerns the energy plan, so it is the alert of the person accountable for energy_plan.</summary>
public abstract class PeopleAlertApiTests(ApiServer server)
{
    private HttpClient Client => server.Client;

    [Fact]
    public async Task The_accountable_person_is_on_the_alert_and_the_person_sees_their_alerts_with_counts()
    {
        var park = EnergyTestPark.NewParkCode();
        await using (var store = await ZeroParkStore.OpenAsync(server.Database)) await PlanTestPark.SeedAsync(store, park);
        var g = $"/api/parks/{park}/governance";
        await (await Client.PutJsonAsync($"{g}/people", """{"code": "chen", "name": "陈静", "role": "能源经理", "kpis": ["energy_plan"], "email": "chen@"}""")).ExpectValidationProblemAsync("email");
        await (await Client.PutJsonAsync($"{g}/people", """{"code": "chen", "name": "陈静", "role": "能源经理", "kpis": ["energy_plan"], "email": "chen@park.example"}""")).ExpectAsync(HttpStatusCode.OK);
        await (await Client.PutJsonAsync($"{g}/people", """{"code": "sun", "name": "孙涛", "role": "碳管理员", "kpis": ["scope2_t"]}""")).ExpectAsync(HttpStatusCode.OK);
        // 2025-07-01 10:00 (+08): June vs Mar–May → b1_chiller (300 − 200) / 200 = +50 % > ±10 %.
        var raised = (await (await Client.PostJsonAsync($"/api/parks/{park}/alerts/evaluate", """{"at": "2025-07-01T10:00:00+08:00", "kinds": ["deviation"]}""")).ExpectAsync(HttpStatusCode.OK)).Items();
        var alert = Assert.Single(raised);
        Assert.Equal("meter:b1_chiller", alert.Str("subject"));

        var mine = Assert.Single((await Client.GetJsonAsync($"/api/parks/{park}/alerts?person=chen")).Items());
        Assert.Equal(["energy_plan"], mine.GetProperty("kpis").EnumerateArray().Select(x => x.GetString()));
        var owner = Assert.Single(mine.GetProperty("accountable").EnumerateArray());
        Assert.Equal(("chen", "陈静"), (owner.Str("code"), owner.Str("name")));
        Assert.Empty((await Client.GetJsonAsync($"/api/parks/{park}/alerts?person=sun")).Items());
        await (await Client.GetAsync($"/api/parks/{park}/alerts?person=nobody")).ExpectProblemAsync(HttpStatusCode.NotFound);

        var person = await Client.GetJsonAsync($"{g}/people/chen/alerts");
        Assert.Equal((1, 0), (person.GetProperty("open").GetInt32(), person.GetProperty("acknowledged").GetInt32()));
        Assert.Equal("chen@park.example", person.GetProperty("person").Str("email"));
        var org = await Client.GetJsonAsync($"{g}/org");
        Assert.Equal(1, org.GetProperty("alerts").GetProperty("chen").GetProperty("open").GetInt32());
        Assert.Equal(0, org.GetProperty("alerts").GetProperty("sun").GetProperty("open").GetInt32());
    }
}

public sealed class SqlitePeopleAlertApiTests(SqliteApiServer server) : PeopleAlertApiTests(server), IClassFixture<SqliteApiServer>;

public sealed class PostgresPeopleAlertApiTests(PostgresApiServer server) : PeopleAlertApiTests(server), IClassFixture<PostgresApiServer>;

/// <summary>The same from the command line: <c>governance person --email</c>, <c>governance alerts --person</c>, <c>alerts list --person</c>,
/// <c>governance org</c> with the counts.</summary>
[Collection(EnergyCliConsoleCollection.Name)]
public abstract class PeopleAlertCliSuite
{
    protected abstract string NewDatabase();

    private static JsonElement Json(InProcessCli.Run r)
    {
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.Err}");
        using var doc = JsonDocument.Parse(r.Out);
        return doc.RootElement.Clone();
    }

    [Fact]
    public async Task A_person_lists_the_alerts_of_their_kpis()
    {
        var db = NewDatabase();
        await using (var store = await ZeroParkStore.OpenAsync(db)) await PlanTestPark.SeedAsync(store);
        var bad = await InProcessCli.RunAsync("governance", "person", "--db", db, "--park", "p1", "--code", "chen", "--name", "陈静", "--kpis", "energy_plan", "--email", "nope");
        Assert.Equal((2, "error: email: 'nope' is not an e-mail address"), (bad.ExitCode, bad.Err.Trim()));
        Assert.Equal(0, (await InProcessCli.RunAsync("governance", "person", "--db", db, "--park", "p1", "--code", "chen", "--name", "陈静", "--kpis", "energy_plan,pue",
            "--email", "chen@park.example")).ExitCode);
        // June vs Mar–May: b1_chiller +50 % (meter-deviation, energy_plan).
        Json(await InProcessCli.RunAsync("alerts", "evaluate", "--db", db, "--park", "p1", "--at", "2025-07-01T10:00:00+08:00", "--kinds", "deviation", "--format", "json"));

        var mine = Json(await InProcessCli.RunAsync("governance", "alerts", "--db", db, "--park", "p1", "--person", "chen", "--format", "json"));
        Assert.Equal((1, 0), (mine.GetProperty("open").GetInt32(), mine.GetProperty("acknowledged").GetInt32()));
        Assert.Equal("meter:b1_chiller", Assert.Single(mine.GetProperty("alerts").EnumerateArray()).GetProperty("subject").GetString());
        var listed = Json(await InProcessCli.RunAsync("alerts", "list", "--db", db, "--park", "p1", "--person", "chen", "--format", "json"));
        Assert.Equal("chen", Assert.Single(Assert.Single(listed.EnumerateArray()).GetProperty("accountable").EnumerateArray()).GetProperty("code").GetString());
        var table = await InProcessCli.RunAsync("governance", "alerts", "--db", db, "--park", "p1", "--person", "chen");
        Assert.Contains("chen 陈静: kpis energy_plan,pue; 1 open, 0 acknowledged", table.Out, StringComparison.Ordinal);
        var org = await InProcessCli.RunAsync("governance", "org", "--db", db, "--park", "p1", "--format", "csv");
        Assert.Contains("open_alerts", org.Out, StringComparison.Ordinal);
        Assert.Contains("chen@park.example,1,0", org.Out, StringComparison.Ordinal);
        var unknown = await InProcessCli.RunAsync("governance", "alerts", "--db", db, "--park", "p1", "--person", "nobody");
        Assert.Equal(2, unknown.ExitCode);
    }
}

public sealed class SqlitePeopleAlertCliTests : PeopleAlertCliSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

public sealed class PostgresPeopleAlertCliTests : PeopleAlertCliSuite
{
    protected override string NewDatabase() => TestDatabases.NewPostgresDatabase();
}
