using System.Globalization;
using MimeKit;
using ZeroPark.Application;
using ZeroPark.Application.Alerts;
using ZeroPark.Application.Carbon;
using ZeroPark.Application.EnergyManagement;
using ZeroPark.Server.Web;
using ZeroPark.Tests.EnergyManagement;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.Alerts;

/// <summary>A channel's language (zh default, en): the e-mail a real SMTP server (aiosmtpd) receives has a Chinese subject and body for
/// a zh channel and stays English for an en channel.</summary>
public sealed class EmailLanguageTests(SmtpServerFixture smtp) : IClassFixture<SmtpServerFixture>
{
    [Fact]
    public async Task A_zh_channel_mails_in_Chinese_and_an_en_channel_in_English()
    {
        var clock = new FakeClock(new DateTimeOffset(2025, 7, 1, 10, 0, 0, TimeSpan.FromHours(8)));
        await using var store = await ZeroParkStore.OpenAsync(TestDatabases.NewSqlitePath(), clock);
        await PlanTestPark.SeedAsync(store);
        var config = new Dictionary<string, string> { ["host"] = "127.0.0.1", ["port"] = smtp.Port.ToString(CultureInfo.InvariantCulture), ["from"] = "zeropark@park.example" };
        var zh = await store.Alerts.SetChannelAsync(PlanTestPark.Park, new AlertChannelDraft("mail-zh", "email", "zh@park.example", config), "tester");
        Assert.Equal("zh", zh.Language);   // the default
        await store.Alerts.SetChannelAsync(PlanTestPark.Park, new AlertChannelDraft("mail-en", "email", "en@park.example", config, Language: "en"), "tester");
        var engine = new AlertEngine(store, new EnergyService(store), new EnergyPlanService(store), new CarbonService(store), new Wc33Targets());
        Assert.Single(await engine.EvaluateAsync(PlanTestPark.Park, clock.Now, ["deviation"]));

        Assert.Equal((2, 0), await new AlertSender(store, clock, new CatalogMessageLocalizer()).SendDueAsync());
        var mails = Directory.GetFiles(Path.Combine(smtp.Maildir, "box", "new")).Select(f => MimeMessage.Load(f)).ToList();
        Assert.Equal(2, mails.Count);
        var zhMail = mails.Single(m => m.To.Mailboxes.Single().Address == "zh@park.example");
        var enMail = mails.Single(m => m.To.Mailboxes.Single().Address == "en@park.example");
        // Severity warning → 警告 (al.sev.warning); the b1_chiller June energy is 50 % above its normal value (see EmailChannelTests).
        Assert.Equal("【ZeroPark p1】警告：meter-deviation meter:b1_chiller 2025-06", zhMail.Subject);
        var zhBody = zhMail.TextBody;
        // June 300 kWh/day against the normal 200 kWh/day (three complete months of 200): (300 − 200) / 200 = +50 %, threshold ±10 %.
        Assert.Contains("2025-06：300 kWh/day，较正常值 200 kWh/day 偏离 +50 %（阈值 ±10 %）", zhBody);
        Assert.Contains("状态：未处理", zhBody);
        Assert.Contains("告警时间 2025-07-01 10:00 +08:00，状态：未处理，告警编号 #1", zhBody);
        Assert.DoesNotContain("from its normal value", zhBody);
        Assert.Equal("[ZeroPark p1] warning: meter-deviation meter:b1_chiller 2025-06", enMail.Subject);
        Assert.Contains("+50 % from its normal value", enMail.TextBody);
        Assert.Contains("status open, alert #", enMail.TextBody);
        Assert.DoesNotContain("较正常值", enMail.TextBody);
    }
}

/// <summary>The language of a channel on both databases: stored and validated, and the robot and webhook bodies follow it.</summary>
public abstract class AlertLanguageSuite : IAsyncLifetime
{
    private const string Park = PlanTestPark.Park;
    private ZeroParkStore Store { get; set; } = null!;
    private readonly FakeClock _clock = new(new DateTimeOffset(2025, 7, 1, 10, 0, 0, TimeSpan.FromHours(8)));

    protected abstract string NewDatabase();

    public async Task InitializeAsync()
    {
        Store = await ZeroParkStore.OpenAsync(NewDatabase(), _clock);
        await PlanTestPark.SeedAsync(Store);
    }

    public async Task DisposeAsync() => await Store.DisposeAsync();

    [Fact]
    public async Task Robot_and_webhook_bodies_follow_the_channel_language()
    {
        var ex = await Assert.ThrowsAsync<ValidationException>(() => Store.Alerts.SetChannelAsync(Park, new AlertChannelDraft("x", "wecom", "http://127.0.0.1:9/x", Language: "fr"), "t"));
        Assert.Equal("language", ex.Field);
        using var hook = new LocalHttpListener { Answer = "{\"errcode\":0,\"errmsg\":\"ok\"}" };
        await Store.Alerts.SetChannelAsync(Park, new AlertChannelDraft("wecom", "wecom", hook.Url + "cgi-bin/webhook/send?key=k1"), "tester");
        await Store.Alerts.SetChannelAsync(Park, new AlertChannelDraft("hook-en", "webhook", hook.Url + "hook", Language: "en"), "tester");
        await Store.Alerts.SetChannelAsync(Park, new AlertChannelDraft("hook-zh", "webhook", hook.Url + "hookzh", Language: "ZH"), "tester");
        var channels = (await Store.Alerts.ChannelsAsync(Park)).ToDictionary(c => c.Code, c => c.Language);
        Assert.Equal(("zh", "en", "zh"), (channels["wecom"], channels["hook-en"], channels["hook-zh"]));
        // Replacing a channel without a language keeps the stored one.
        await Store.Alerts.SetChannelAsync(Park, new AlertChannelDraft("hook-en", "webhook", hook.Url + "hook"), "tester");
        Assert.Equal("en", (await Store.Alerts.ChannelsAsync(Park)).Single(c => c.Code == "hook-en").Language);

        var engine = new AlertEngine(Store, new EnergyService(Store), new EnergyPlanService(Store), new CarbonService(Store), new Wc33Targets());
        Assert.Single(await engine.EvaluateAsync(Park, _clock.Now, ["deviation"]));   // one alert: b1_chiller 2025-06, +50 %
        Assert.Equal((3, 0), await new AlertSender(Store, _clock, new CatalogMessageLocalizer()).SendDueAsync());
        using var robot = System.Text.Json.JsonDocument.Parse(hook.Requests.Single(r => r.Path == "/cgi-bin/webhook/send").Body);
        var content = robot.RootElement.GetProperty("text").GetProperty("content").GetString()!;
        Assert.StartsWith("【ZeroPark p1】警告：meter-deviation meter:b1_chiller 2025-06\n", content, StringComparison.Ordinal);
        Assert.Contains("较正常值 200 kWh/day 偏离 +50 %（阈值 ±10 %）", content);
        Assert.Contains("状态：未处理", content);
        using var en = System.Text.Json.JsonDocument.Parse(hook.Requests.Single(r => r.Path == "/hook").Body);
        Assert.Contains("+50 % from its normal value", en.RootElement.GetProperty("message").GetString());
        Assert.Equal("warning", en.RootElement.GetProperty("severity").GetString());   // codes stay codes
        using var zhHook = System.Text.Json.JsonDocument.Parse(hook.Requests.Single(r => r.Path == "/hookzh").Body);
        Assert.Contains("较正常值 200 kWh/day 偏离 +50 %", zhHook.RootElement.GetProperty("message").GetString());
        Assert.Equal("zh", zhHook.RootElement.GetProperty("language").GetString());
    }
}

public sealed class SqliteAlertLanguageTests : AlertLanguageSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

public sealed class PostgresAlertLanguageTests : AlertLanguageSuite
{
    protected override string NewDatabase() => TestDatabases.NewPostgresDatabase();
}
