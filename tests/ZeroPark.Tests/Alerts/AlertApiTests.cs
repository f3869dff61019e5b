using System.Net;
using System.Text.Json;
using ZeroPark.Application;
using ZeroPark.Tests.Api;
using ZeroPark.Tests.EnergyManagement;

namespace ZeroPark.Tests.Alerts;

/// <summary>The alert routes through the in-memory server on SQLite and PostgreSQL, over <see cref="PlanTestPark"/>.</summary>
public abstract class AlertApiTests(ApiServer server) : ApiTestBase(server)
{
    private Task<string> SeedAsync() => SeedParkAsync((store, park) => PlanTestPark.SeedAsync(store, park));

    [Fact]
    public async Task Evaluate_count_acknowledge_resolve_rules_channels_and_calendar()
    {
        var park = await SeedAsync();
        var a = $"/api/parks/{park}/alerts";
        // 2025-07-01 10:00 (+08): June vs Mar–May → b1_chiller 300 vs 200 kWh/day = +50 %.
        var raised = (await (await Client.PostJsonAsync($"{a}/evaluate", """{"at": "2025-07-01T10:00:00+08:00", "kinds": ["deviation"]}""")).ExpectAsync(HttpStatusCode.OK)).Items();
        var chiller = Assert.Single(raised);
        Assert.Equal(("meter-deviation", "meter:b1_chiller", "2025-06"), (chiller.Str("rule"), chiller.Str("subject"), chiller.Str("period")));
        Assert.Empty((await (await Client.PostJsonAsync($"{a}/evaluate", """{"at": "2025-07-01T10:00:00+08:00", "kinds": ["deviation"]}""")).ExpectAsync(HttpStatusCode.OK)).Items());
        var count = await Client.GetJsonAsync($"{a}/count");
        Assert.Equal(1, count.GetProperty("open").GetInt32());
        var id = chiller.GetProperty("id").GetInt64();
        var ack = await (await Client.PostJsonAsync($"{a}/{id}/ack", """{"comment": "on it"}""")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(("acknowledged", "api.tester"), (ack.Str("status"), ack.Str("acknowledged_by")));
        await (await Client.PostJsonAsync($"{a}/{id}/resolve", "{}")).ExpectValidationProblemAsync("comment");
        var done = await (await Client.PostJsonAsync($"{a}/{id}/resolve", """{"comment": "chiller serviced"}""")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("resolved", done.Str("status"));
        Assert.Single((await Client.GetJsonAsync($"{a}?status=resolved")).Items());

        var rule = await (await Client.PostJsonAsync($"{a}/rules", """{"code": "hot", "kind": "series", "params": {"meter": "b1_chiller", "granularity": "day", "limit": "250"}}""")).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("series", rule.Str("kind"));
        await (await Client.PostJsonAsync($"{a}/rules", """{"code": "bad", "kind": "kpi", "params": {"limit": "x"}}""")).ExpectValidationProblemAsync("params.limit");
        var muted = await (await Client.PutJsonAsync($"{a}/rules/hot", """{"muted_until": "2025-07-02T00:00:00+08:00"}""")).ExpectAsync(HttpStatusCode.OK);
        Assert.StartsWith("2025-07-02T00:00:00", muted.Str("muted_until"), StringComparison.Ordinal);
        // June: 300 kWh/day > 250 from 06-01 → one episode, still active on 06-30.
        var test = await (await Client.PostJsonAsync($"{a}/rules/hot/test", """{"from": "2025-06-01", "to": "2025-06-30"}""")).ExpectAsync(HttpStatusCode.OK);
        var f = Assert.Single(test.Items("findings"));
        Assert.Equal(("meter:b1_chiller", "2025-06-01"), (f.Str("subject"), f.Str("period")));

        await (await Client.PutJsonAsync($"{a}/channels/hook", """{"kind": "webhook", "target": "ftp://x"}""")).ExpectValidationProblemAsync("target");
        var ch = await (await Client.PutJsonAsync($"{a}/channels/hook", """{"kind": "wecom", "target": "http://127.0.0.1:9/cgi-bin/webhook/send?key=k", "quiet_from": 22, "quiet_to": 7}""")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(("wecom", 22), (ch.Str("kind"), ch.GetProperty("quiet_from").GetInt32()));
        Assert.Single((await Client.GetJsonAsync($"{a}/channels")).Items());

        Assert.Equal("2025-10-09", (await Client.GetJsonAsync("/api/calendar/first-working-day?month=2025-10")).Str("first_working_day"));
        Assert.Equal(39, (await Client.GetJsonAsync("/api/calendar?year=2026")).Items().Count);
        await (await Client.PutJsonAsync("/api/calendar/2025-10-09", """{"kind": "sometimes"}""")).ExpectValidationProblemAsync("kind");
    }

    [Fact]
    public async Task A_recorded_history_is_evaluated_as_of_its_end_and_switched_back_to_live()
    {
        var park = await SeedAsync();
        var a = $"/api/parks/{park}/alerts";
        Assert.Equal(JsonValueKind.Null, (await Client.GetJsonAsync($"{a}/as-of")).GetProperty("at").ValueKind);
        var set = await (await Client.PutJsonAsync($"{a}/as-of", """{"at": "2025-07-05T00:00:00+08:00"}""")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(new DateTimeOffset(2025, 7, 5, 0, 0, 0, TimeSpan.FromHours(8)), set.GetProperty("at").GetDateTimeOffset());
        Assert.Equal(set.GetProperty("at").GetDateTimeOffset(), (await Client.GetJsonAsync($"{a}/as-of")).GetProperty("at").GetDateTimeOffset());
        var live = await (await Client.PutJsonAsync($"{a}/as-of", """{"at": null}""")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, live.GetProperty("at").ValueKind);
    }
}

public sealed class SqliteAlertApiTests(SqliteApiServer server) : AlertApiTests(server), IClassFixture<SqliteApiServer>;

public sealed class PostgresAlertApiTests(PostgresApiServer server) : AlertApiTests(server), IClassFixture<PostgresApiServer>;
