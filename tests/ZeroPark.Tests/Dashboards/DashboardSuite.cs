using ZeroPark.Application;
using ZeroPark.Tests.EnergyManagement;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.DashboardCards;

/// <summary>Dashboards of cards (migration 006): per user and per park, created blank or from a template, cards added, removed and
/// reordered by saving the list, validation naming the card and field; on SQLite and PostgreSQL (subclasses at the end).</summary>
public abstract class DashboardSuite : IAsyncLifetime
{
    protected ZeroParkStore Store { get; private set; } = null!;
    protected abstract string NewDatabase();
    private long _li, _wang;

    public async Task InitializeAsync()
    {
        Store = await ZeroParkStore.OpenAsync(NewDatabase());
        await EnergyTestPark.CreateAsync(Store, "pa");
        await Store.Registry.CreateParkAsync(new ParkDraft("pb", "Park B"));
        _li = (await Store.Users.CreateUserAsync("li", "correct horse battery", UserRole.EnergyManager, ["pa", "pb"], "root")).Id;
        _wang = (await Store.Users.CreateUserAsync("wang", "correct horse battery", UserRole.Viewer, ["pa"], "root")).Id;
    }

    public async Task DisposeAsync() => await Store.DisposeAsync();

    [Fact]
    public async Task Migration_006_is_applied()
    {
        Assert.True(await Store.SchemaVersionAsync() >= 6);                 // 006_dashboards (later migrations may follow)
        Assert.Empty(await Store.Dashboards.ListDashboardsAsync(_li, "pa"));
    }

    [Fact]
    public async Task A_template_is_instantiated_with_its_cards_and_each_user_sees_only_their_own_dashboards_of_the_park()
    {
        var d = await Store.Dashboards.CreateDashboardAsync(_li, "pa", null, "energy_overview");
        var template = Dashboards.Template("energy_overview");
        Assert.Equal("energy_overview", d.Template);
        Assert.Equal(8, d.Cards.Count);
        Assert.Equal(template.Cards.Select(c => (c.Id, c.Type, c.Metric, c.Period)), d.Cards.Select(c => (c.Id, c.Type, c.Metric, c.Period)));
        var blank = await Store.Dashboards.CreateDashboardAsync(_li, "pa", "  我的看板 ");
        Assert.Equal(("我的看板", 0, 2), (blank.Name, blank.Cards.Count, blank.Position));
        await Store.Dashboards.CreateDashboardAsync(_li, "pb", "B", "pue");

        Assert.Equal([d.Id, blank.Id], (await Store.Dashboards.ListDashboardsAsync(_li, "pa")).Select(x => x.Id));
        Assert.Single(await Store.Dashboards.ListDashboardsAsync(_li, "pb"));
        Assert.Empty(await Store.Dashboards.ListDashboardsAsync(_wang, "pa"));
        // Another user's dashboard, or this user's through another park, is not found.
        await Assert.ThrowsAsync<NotFoundException>(() => Store.Dashboards.GetDashboardAsync(_wang, "pa", d.Id));
        await Assert.ThrowsAsync<NotFoundException>(() => Store.Dashboards.GetDashboardAsync(_li, "pb", d.Id));
        await Assert.ThrowsAsync<NotFoundException>(() => Store.Dashboards.SaveDashboardAsync(_wang, "pa", d.Id, null, []));
        await Assert.ThrowsAsync<NotFoundException>(() => Store.Dashboards.DeleteDashboardAsync(_wang, "pa", d.Id));
        Assert.Equal(8, (await Store.Dashboards.GetDashboardAsync(_li, "pa", d.Id)).Cards.Count);
    }

    [Fact]
    public async Task Cards_are_added_removed_and_reordered_by_saving_the_list_and_read_back_in_order()
    {
        var d = await Store.Dashboards.CreateDashboardAsync(_li, "pa", "Ops");
        var kpi = new DashboardCard("k1", "kpi", Metric: "PUE", Period: "mtd");
        var trend = new DashboardCard("t1", "trend", Meter: " chiller ", Period: "7d");
        var rank = new DashboardCard("", "ranking", Node: "b1", System: "cooling", Period: "30d");
        var saved = await Store.Dashboards.SaveDashboardAsync(_li, "pa", d.Id, null, [kpi, trend, rank]);
        Assert.Equal(["k1", "t1", "c3"], saved.Cards.Select(c => c.Id));                    // a missing id is given one
        Assert.Equal("pue", saved.Cards[0].Metric);                                         // normalised
        Assert.Equal("chiller", saved.Cards[1].Meter);
        Assert.Equal((int?)10, saved.Cards[2].N);                                           // default top 10
        Assert.Equal(("Ops", "b1", "cooling"), (saved.Name, saved.Cards[2].Node, saved.Cards[2].System));

        // Reorder (ranking first) and remove the trend, rename.
        var again = await Store.Dashboards.SaveDashboardAsync(_li, "pa", d.Id, "Ops 2", [saved.Cards[2], saved.Cards[0]]);
        var read = await Store.Dashboards.GetDashboardAsync(_li, "pa", d.Id);
        Assert.Equal(["c3", "k1"], read.Cards.Select(c => c.Id));
        Assert.Equal("Ops 2", read.Name);
        Assert.Equal(again.Cards, read.Cards);

        await Store.Dashboards.DeleteDashboardAsync(_li, "pa", d.Id);
        Assert.Empty(await Store.Dashboards.ListDashboardsAsync(_li, "pa"));
    }

    [Fact]
    public async Task A_bad_card_is_refused_naming_the_card_and_the_field_and_nothing_is_saved()
    {
        var d = await Store.Dashboards.CreateDashboardAsync(_li, "pa", "Ops", "pue");
        async Task<ValidationException> Bad(params DashboardCard[] cards) =>
            await Assert.ThrowsAsync<ValidationException>(() => Store.Dashboards.SaveDashboardAsync(_li, "pa", d.Id, null, cards));
        var ok = new DashboardCard("a", "kpi", Metric: "pue");
        Assert.Equal("cards[2].type", (await Bad(ok, new DashboardCard("b", "gauge"))).Field);
        Assert.Equal("cards[1].metric", (await Bad(new DashboardCard("a", "kpi", Metric: "speed"))).Field);
        Assert.Equal("cards[2].node", (await Bad(ok, new DashboardCard("b", "sankey", Node: "b9"))).Field);
        var meter = await Bad(ok, ok with { Id = "b" }, new DashboardCard("c", "trend", Meter: "nope", Period: "7d"));
        Assert.Equal("cards[3].meter", meter.Field);
        Assert.Contains("'nope' is not a meter of park 'pa'", meter.Message, StringComparison.Ordinal);
        Assert.Equal("cards[1].period", (await Bad(new DashboardCard("a", "trend", Metric: "pue", Period: "day"))).Field);
        Assert.Equal("cards[1].period", (await Bad(new DashboardCard("a", "kpi", Metric: "pue", Period: "week"))).Field);
        Assert.Equal("cards[1].n", (await Bad(new DashboardCard("a", "ranking", N: 51))).Field);
        Assert.Equal("cards[1].system", (await Bad(new DashboardCard("a", "ranking", System: "coolng"))).Field);
        Assert.Equal("cards[1].chart", (await Bad(new DashboardCard("a", "breakdown", Chart: "donut"))).Field);
        Assert.Equal("cards", (await Bad(Enumerable.Range(0, 25).Select(i => ok with { Id = "k" + i }).ToArray())).Field);
        Assert.Equal("template", (await Assert.ThrowsAsync<ValidationException>(() => Store.Dashboards.CreateDashboardAsync(_li, "pa", null, "nope"))).Field);
        Assert.Equal("name", (await Assert.ThrowsAsync<ValidationException>(() => Store.Dashboards.CreateDashboardAsync(_li, "pa", " "))).Field);
        // Unchanged: the template's seven cards.
        Assert.Equal(7, (await Store.Dashboards.GetDashboardAsync(_li, "pa", d.Id)).Cards.Count);
    }

    [Fact]
    public async Task The_data_fingerprint_changes_with_a_new_reading_and_with_an_audited_correction()
    {
        var before = await Store.DataFingerprintAsync("pa");
        Assert.Equal(before, await Store.DataFingerprintAsync("pa"));
        var s = await Store.Readings.IngestAsync("pa", EnergyTestPark.Readings(), new IngestSource("test", "setup"));
        Assert.Empty(s.Rejected);
        var ingested = await Store.DataFingerprintAsync("pa");
        Assert.NotEqual(before, ingested);
        await Store.Readings.ManualEntryAsync("pa", "chiller", EnergyTestPark.T0.AddHours(30), 31, "operator.wang", "re-read on site");
        Assert.NotEqual(ingested, await Store.DataFingerprintAsync("pa"));
    }
}

public sealed class SqliteDashboardTests : DashboardSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

public sealed class PostgresDashboardTests : DashboardSuite
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL dashboard tests need ZEROPARK_TEST_PG; run ./scripts/test.sh (it starts a server on 127.0.0.1)")
        : TestDatabases.NewPostgresDatabase();
}
