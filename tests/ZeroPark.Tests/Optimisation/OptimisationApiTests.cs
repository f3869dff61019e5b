using System.Net;
using ZeroPark.Application;
using ZeroPark.Tests.Api;
using ZeroPark.Tests.EnergyManagement;

namespace ZeroPark.Tests.Optimisation;

/// <summary>The optimisation routes under <c>/api/parks/{park}/</c> through the in-memory server (clock 2025-06-01) on SQLite and PostgreSQL.</summary>
public abstract class OptimisationApiTests(ApiServer server) : ApiTestBase(server)
{
    private Task<string> SeedAsync() => SeedParkAsync((store, park) => OptTestPark.SeedAsync(store, park));

    [Fact]
    public async Task Forecasts_drivers_suggestions_and_report()
    {
        var park = await SeedAsync();
        var p = $"/api/parks/{park}";
        var b = await Client.GetJsonAsync($"{p}/forecast/backtest?target=pue&horizon=day");
        Assert.Equal(1440, b.Num("points"));
        Assert.NotNull(b.Num("mape"));
        Assert.NotNull(b.Num("baseline_mape"));
        await (await Client.GetAsync($"{p}/forecast/backtest?target=pue&horizon=month")).ExpectValidationProblemAsync("horizon");
        await (await Client.GetAsync($"{p}/forecast/backtest?horizon=day")).ExpectValidationProblemAsync("target");
        var created = await (await Client.PostJsonAsync($"{p}/forecasts", """{"target": "facility_energy", "horizon": "day"}""")).ExpectAsync(HttpStatusCode.OK);
        var id = created.GetProperty("forecast").GetProperty("id").GetInt64();
        Assert.Equal("api.tester", created.GetProperty("forecast").Str("created_by"));
        Assert.Single((await Client.GetJsonAsync($"{p}/forecasts")).Items());
        var cmp = await Client.GetJsonAsync($"{p}/forecasts/{id}/compare");
        Assert.Equal(0, cmp.Num("points"));
        await (await Client.GetAsync($"{p}/forecasts/999999/compare")).ExpectProblemAsync(HttpStatusCode.NotFound);
        var d = await Client.GetJsonAsync($"{p}/pue/drivers?at_temp=20&at_load=0.7");
        Assert.InRange(d.GetProperty("expected").Num("expected")!.Value, 1.36, 1.37);
        await (await Client.GetAsync($"{p}/pue/drivers?at_temp=warm")).ExpectValidationProblemAsync("at_temp");
        var o = await Client.GetJsonAsync($"{p}/forecast/outlook?year=2026");
        Assert.Equal(12, o.Items("months").Count);

        var a = await (await Client.PostJsonAsync($"{p}/suggestions/analyse", "{}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("2025-04-30", a.Str("to"));
        var list = (await Client.GetJsonAsync($"{p}/suggestions")).Items();
        var night = list.Single(s => s.Str("kind") == "night_base_load").GetProperty("id").GetInt64();
        var ups = list.Single(s => s.Str("kind") == "ups_low_efficiency").GetProperty("id").GetInt64();
        await (await Client.PostJsonAsync($"{p}/suggestions/{night}/reject", "{}")).ExpectValidationProblemAsync("reason");
        var r = await (await Client.PostJsonAsync($"{p}/suggestions/{night}/reject", """{"reason": "lights needed for night patrols"}""")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(("rejected", "lights needed for night patrols"), (r.Str("status"), r.Str("reason")));
        await (await Client.PostJsonAsync($"{p}/suggestions/{ups}/snooze", """{"until": "2025-05-01"}""")).ExpectValidationProblemAsync("until");   // before today (2025-06-01)
        var s = await (await Client.PostJsonAsync($"{p}/suggestions/{ups}/snooze", """{"until": "2025-09-01"}""")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(("snoozed", "2025-09-01"), (s.Str("status"), s.Str("snoozed_until")));
        var acc = await (await Client.PostJsonAsync($"{p}/suggestions/{night}/accept", """{"measure": "LIGHT-1"}""")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(("accepted", "LIGHT-1"), (acc.Str("status"), acc.Str("measure")));
        Assert.Single((await Client.GetJsonAsync($"{p}/suggestions?status=accepted")).Items());
        await (await Client.GetAsync($"{p}/suggestions?status=maybe")).ExpectValidationProblemAsync("status");

        var rep = await Client.GetJsonAsync($"{p}/efficiency?year=2025");
        Assert.Equal(4, rep.Items("months").Count);
        var x = await Client.GetAsync($"{p}/efficiency?year=2025&format=xlsx");
        Assert.Equal(HttpStatusCode.OK, x.StatusCode);
        var sheet = TariffTestData.ReadSheet(await x.Content.ReadAsByteArrayAsync(), "months");
        Assert.Equal(5, sheet.Count);                                          // header + Jan–Apr
        var doc = await (await Client.GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync();
        foreach (var route in new[] { "forecast/backtest", "forecasts", "pue/drivers", "suggestions", "suggestions/settings", "efficiency" })
            Assert.Contains($"/api/parks/{{park}}/{route}\"", doc, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Over_cooled_rooms_and_their_settings()
    {
        var park = await SeedParkAsync((store, code) => RoomTestPark.SeedAsync(store, code));
        var p = $"/api/parks/{park}";
        var set = await Client.GetJsonAsync($"{p}/suggestions/settings");
        Assert.Equal((24.0, 2.0, 0.03), (set.Num("room_target_c")!.Value, set.Num("room_margin_k")!.Value, set.Num("room_saving_per_k")!.Value));
        // RoomTestPark, worked in RoomTestPark's suite test: room 1 (P90 20 °C) only, 18,921.6 kWh a year at 24 °C.
        var a = await (await Client.PostJsonAsync($"{p}/suggestions/analyse", "{}")).ExpectAsync(HttpStatusCode.OK);
        var room = Assert.Single(a.Items("found"), f => f.Str("kind") == "over_cooled_room");
        Assert.Equal(("b1-f1-r1", 18921.6), (room.Str("subject"), room.Num("saving_kwh")!.Value));
        await (await Client.PutJsonAsync($"{p}/suggestions/settings", """{"room_target_c": 28}""")).ExpectValidationProblemAsync("room_target_c");
        await (await Client.PutJsonAsync($"{p}/suggestions/settings", """{"room_target": 23}""")).ExpectValidationProblemAsync("room_target");
        var changed = await (await Client.PutJsonAsync($"{p}/suggestions/settings", """{"room_target_c": 23, "room_saving_per_k": 0.04}""")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((23.0, 2.0, 0.04), (changed.Num("room_target_c")!.Value, changed.Num("room_margin_k")!.Value, changed.Num("room_saving_per_k")!.Value));
        // 23 − 20 = 3 K × 4 % = 12 % — the same share as 4 K × 3 %: 18,921.6 kWh a year again.
        var b = await (await Client.PostJsonAsync($"{p}/suggestions/analyse", "{}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(18921.6, b.Items("found").Single(f => f.Str("kind") == "over_cooled_room").Num("saving_kwh")!.Value, 6);
    }
}

public sealed class SqliteOptimisationApiTests(SqliteApiServer server) : OptimisationApiTests(server), IClassFixture<SqliteApiServer>;

public sealed class PostgresOptimisationApiTests(PostgresApiServer server) : OptimisationApiTests(server), IClassFixture<PostgresApiServer>;
