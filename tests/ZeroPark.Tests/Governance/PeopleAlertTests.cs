using System.Globalization;
using MimeKit;
using ZeroPark.Application;
using ZeroPark.Application.Alerts;
using ZeroPark.Application.Carbon;
using ZeroPark.Application.EnergyManagement;
using ZeroPark.Application.Governance;
using ZeroPark.Governance;
using ZeroPark.Server.Web;
using ZeroPark.Tests.Alerts;
using ZeroPark.Tests.EnergyManagement;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.Governance;

/// <summary>The one table from alert rule kinds to the governance KPI codes.</summary>
public sealed class AlertKpiTableTests
{
    [Fact]
    public void Every_rule_kind_concerns_a_kpi_code_of_the_governance_module()
    {
        foreach (var kind in AlertRuleKinds.All)
        {
            Assert.Contains(AlertKpis.Table, r => r.RuleKind == kind.Code);
            var kpis = AlertKpis.Of(kind.Code, AlertRuleKinds.Normalise(kind.Code, kind.Code switch
            {
                "kpi" => new Dictionary<string, string> { ["limit"] = "1" },
                "series" => new Dictionary<string, string> { ["limit"] = "1", ["meter"] = "m" },
                _ => null,
            }));
            Assert.NotEmpty(kpis);
            Assert.All(kpis, k => Assert.Contains(k, GovernanceStore.KpiCodes));
        }
        Assert.All(AlertKpis.Table.SelectMany(r => r.Kpi.Split(" | ")), k => Assert.Contains(k, GovernanceStore.KpiCodes));
    }

    [Fact]
    public void The_parameters_and_the_subject_choose_the_kpi()
    {
        Dictionary<string, string> P(params (string K, string V)[] kv) => kv.ToDictionary(x => x.K, x => x.V);
        Assert.Equal(["pue"], AlertKpis.Of("kpi", P(("kpi", "clf"))));
        Assert.Equal(["wue"], AlertKpis.Of("kpi", P(("kpi", "wue"))));
        Assert.Equal(["cue"], AlertKpis.Of("kpi", P(("kpi", "cue"))));
        // A source's deviation is its scope's: purchased electricity is scope 2, diesel generators scope 1.
        Assert.Equal(["scope2_t"], AlertKpis.Of("deviation", P(("scope", "sources")), "source:purchased_electricity"));
        Assert.Equal(["scope1_t"], AlertKpis.Of("deviation", P(("scope", "source:diesel_generator"))));
        Assert.Equal(["scope1_t", "scope2_t", "scope3_t"], AlertKpis.Of("deviation", P(("scope", "sources"))));
        Assert.Equal(["energy_plan"], AlertKpis.Of("deviation", P(("scope", "meters")), "meter:b1_chiller"));
        // The monthly target rule: the alert's subject names the check; the rule as a whole concerns all its checks.
        Assert.Equal(["emission_budget"], AlertKpis.Of("monthly_target", P(("checks", "neutrality_rate,emission_budget")), "target:emission_budget"));
        Assert.Equal(["neutrality_rate", "emission_budget"], AlertKpis.Of("monthly_target", P(("checks", "neutrality_rate,emission_budget"))));
        Assert.Equal(["data_quality"], AlertKpis.Of("offline", P()));
        Assert.Empty(AlertKpis.Of("no_such_kind", P()));
    }
}

/// <summary>
/// People's KPIs linked to alerts, on SQLite and PostgreSQL, with a real SMTP server (aiosmtpd): a PUE rule breach of
/// <see cref="PlanTestPark"/> raises an alert whose accountable people are those holding the KPI pue, and the e-mail goes to the one
/// of them who has an address, in the channel's language.
/// </summary>
public abstract class PeopleAlertSuite(SmtpServerFixture smtp) : IAsyncLifetime
{
    private const string Park = PlanTestPark.Park;
    private ZeroParkStore Store { get; set; } = null!;
    // Seeded as of 2025-07-01 (the readings reach June); evaluated at 2025-05-04 10:00 (+08:00), when 05-01..05-03 are complete
    // days of May, with b2_in at 1,800 kWh/day.
    private readonly FakeClock _clock = new(new DateTimeOffset(2025, 7, 1, 12, 0, 0, TimeSpan.FromHours(8)));

    protected abstract string NewDatabase();

    public async Task InitializeAsync()
    {
        Store = await ZeroParkStore.OpenAsync(NewDatabase(), _clock);
        await PlanTestPark.SeedAsync(Store);
    }

    public async Task DisposeAsync() => await Store.DisposeAsync();

    [Fact]
    public async Task A_pue_breach_is_the_alert_of_the_person_holding_pue_and_mails_them()
    {
        var config = new Dictionary<string, string> { ["host"] = "127.0.0.1", ["port"] = smtp.Port.ToString(CultureInfo.InvariantCulture), ["from"] = "zeropark@park.example" };
        await Store.Alerts.SetChannelAsync(Park, new AlertChannelDraft("mail", "email", "duty@park.example", config), "tester");   // language zh (the default)
        foreach (var r in await Store.Alerts.RulesAsync(Park)) await Store.Alerts.DeleteRuleAsync(Park, r.Code, "tester");
        await Store.Alerts.CreateRuleAsync(Park, new AlertRuleDraft("b2-pue", "kpi", "b2 PUE", new Dictionary<string, string>
            { ["kpi"] = "pue", ["node"] = "b2", ["limit"] = "1.4", ["clear"] = "1.35", ["for"] = "3" }), "tester");
        await Store.Governance.SetUnitAsync(Park, new OrgUnit("ops", "运维部", null), "tester");
        await Store.Governance.SetPersonAsync(Park, new Person("li.wei", "李伟", "ops", "能效主管", "", ["pue", "cue"], false, "liwei@park.example"), "tester");
        await Store.Governance.SetPersonAsync(Park, new Person("wang.fang", "王芳", "ops", "碳管理员", "", ["neutrality_rate", "wue"], false, "wangfang@park.example"), "tester");
        await Store.Governance.SetPersonAsync(Park, new Person("zhao.lei", "赵磊", "ops", "值班长", "", ["pue"], false), "tester");   // no address
        var bad = await Assert.ThrowsAsync<ValidationException>(() => Store.Governance.SetPersonAsync(Park, new Person("x", "X", null, "", "", [], false, "not-an-address"), "tester"));
        Assert.Equal("email", bad.Field);
        Assert.Equal("liwei@park.example", (await Store.Governance.PeopleAsync(Park)).Single(p => p.Code == "li.wei").Email);

        _clock.Now = new DateTimeOffset(2025, 5, 4, 10, 0, 0, TimeSpan.FromHours(8));
        var engine = new AlertEngine(Store, new EnergyService(Store), new EnergyPlanService(Store), new CarbonService(Store), new Wc33Targets());
        var alert = Assert.Single(await engine.EvaluateAsync(Park, _clock.Now, ["kpi"]));
        // b2 PUE = b2_in / (b2_it1 + b2_it2) = 1,800 / (500 + 500) = 1.8 on 05-01..05-03: 3 days above 1.4 → raised, period 05-01.
        Assert.Equal(("kpi:pue@b2", "2025-05-01"), (alert.Subject, alert.Period));
        Assert.Equal(1.8, alert.Value!.Value, 9);
        Assert.Equal(["pue"], alert.Kpis);
        Assert.Equal(["li.wei", "zhao.lei"], alert.Accountable.Select(o => o.Code));
        Assert.Equal(["pue"], alert.Accountable[0].Kpis);

        // The channel's own target and li.wei's address (zhao.lei has none; wang.fang does not hold pue): two deliveries.
        var outbox = await Store.Alerts.OutboxAsync(Park);
        Assert.Equal([null, "liwei@park.example"], outbox.OrderBy(o => o.Id).Select(o => o.Recipient));
        Assert.Equal((2, 0), await new AlertSender(Store, _clock, new CatalogMessageLocalizer()).SendDueAsync());
        var mails = Directory.GetFiles(Path.Combine(smtp.Maildir, "box", "new")).Select(f => MimeMessage.Load(f)).ToList();
        var mine = Assert.Single(mails, m => m.To.Mailboxes.Any(x => x.Address == "liwei@park.example"));
        Assert.Single(mine.To.Mailboxes);   // only the person: the duty address has its own mail
        Assert.Single(mails, m => m.To.Mailboxes.Single().Address == "duty@park.example");
        Assert.DoesNotContain(mails, m => m.To.Mailboxes.Any(x => x.Address == "wangfang@park.example"));
        // In the channel's language (zh): severity warning → 警告.
        Assert.Equal("【ZeroPark p1】警告：b2-pue kpi:pue@b2 2025-05-01", mine.Subject);
        Assert.Equal("sent", (await Store.Alerts.OutboxAsync(Park)).Single(o => o.Recipient == "liwei@park.example").Status);

        // The person's view: the alert with counts; the filter by person; the org chart's counts.
        var liwei = await Store.Governance.PersonAlertsAsync(Park, "li.wei");
        Assert.Equal((1, 0), (liwei.Open, liwei.Acknowledged));
        Assert.Equal(alert.Id, Assert.Single(liwei.Alerts).Id);
        Assert.Empty((await Store.Governance.PersonAlertsAsync(Park, "wang.fang")).Alerts);
        Assert.Single(await Store.Alerts.AlertsAsync(Park, new AlertFilter { Person = "zhao.lei" }));
        Assert.Empty(await Store.Alerts.AlertsAsync(Park, new AlertFilter { Person = "wang.fang" }));
        await Assert.ThrowsAsync<NotFoundException>(() => Store.Alerts.AlertsAsync(Park, new AlertFilter { Person = "nobody" }));
        await Store.Alerts.AcknowledgeAsync(Park, alert.Id, "李伟", "checking the b2 chillers");
        var counts = await Store.Governance.AlertCountsAsync(Park);
        Assert.Equal((0, 1), counts["li.wei"]);
        Assert.Equal((0, 1), counts["zhao.lei"]);
        Assert.Equal((0, 0), counts["wang.fang"]);
        // KPIs move to another person: the alert's accountable people follow the organisation as it is now.
        await Store.Governance.SetPersonAsync(Park, new Person("wang.fang", "王芳", "ops", "碳管理员", "", ["neutrality_rate", "wue", "pue"], false, "wangfang@park.example"), "tester");
        Assert.Equal(["li.wei", "wang.fang", "zhao.lei"], (await Store.Alerts.AlertAsync(Park, alert.Id)).Accountable.Select(o => o.Code));
    }
}

public sealed class SqlitePeopleAlertTests(SmtpServerFixture smtp) : PeopleAlertSuite(smtp), IClassFixture<SmtpServerFixture>
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

public sealed class PostgresPeopleAlertTests(SmtpServerFixture smtp) : PeopleAlertSuite(smtp), IClassFixture<SmtpServerFixture>
{
    protected override string NewDatabase() => TestDatabases.NewPostgresDatabase();
}
