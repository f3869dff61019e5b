using System.Diagnostics;
using System.Net.Sockets;
using ZeroPark.Application;
using ZeroPark.Application.Alerts;
using ZeroPark.Application.Carbon;
using ZeroPark.Application.EnergyManagement;
using ZeroPark.Tests.EnergyManagement;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.Alerts;

/// <summary>A real SMTP server on loopback: Debian's python3-aiosmtpd (SMTPUTF8 on, for addresses such as 值班@…) with its Mailbox handler (one file per message in a maildir),
/// started by the test and stopped at its end (scripts/test.sh installs the package).</summary>
public sealed class SmtpServerFixture : IAsyncLifetime
{
    private Process? _process;
    public int Port { get; private set; }
    public string Maildir { get; } = Path.Combine(Path.GetTempPath(), "zeropark-tests", "smtp-" + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        Port = LocalHttpListener.FreePort();
        Directory.CreateDirectory(Maildir);
        var psi = new ProcessStartInfo("/usr/bin/python3", ["-m", "aiosmtpd", "-n", "-u", "-l", $"127.0.0.1:{Port}", "-c", "aiosmtpd.handlers.Mailbox", Path.Combine(Maildir, "box")])
            { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        _process = Process.Start(psi) ?? throw new InvalidOperationException("python3 -m aiosmtpd did not start (apt-get install python3-aiosmtpd)");
        // Wait until it accepts connections: at most 30 s, in steps of 100 ms.
        for (var i = 0; i < 300; i++)
        {
            if (_process.HasExited) throw new InvalidOperationException("aiosmtpd exited: " + await _process.StandardError.ReadToEndAsync());
            try
            {
                using var c = new TcpClient();
                await c.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException("aiosmtpd did not listen within 30 s");
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false }) _process.Kill(entireProcessTree: true);
        _process?.WaitForExit(10_000);
        _process?.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>An alert reaches a mailbox through MailKit and a real SMTP server; a server that is down is a recorded, retried failure.</summary>
public sealed class EmailChannelTests(SmtpServerFixture smtp) : IClassFixture<SmtpServerFixture>
{
    [Fact]
    public async Task The_email_arrives_at_the_smtp_server()
    {
        var clock = new FakeClock(new DateTimeOffset(2025, 7, 1, 10, 0, 0, TimeSpan.FromHours(8)));
        await using var store = await ZeroParkStore.OpenAsync(TestDatabases.NewSqlitePath(), clock);
        await PlanTestPark.SeedAsync(store);
        var config = new Dictionary<string, string> { ["host"] = "127.0.0.1", ["port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), ["from"] = "zeropark@park.example" };
        await store.Alerts.SetChannelAsync(PlanTestPark.Park, new AlertChannelDraft("mail", "email", "ops@park.example, 值班@park.example", config), "tester");
        // A second channel to a port nobody listens on: its failure is recorded and does not stop the first.
        await store.Alerts.SetChannelAsync(PlanTestPark.Park, new AlertChannelDraft("dead", "email", "ops@park.example",
            new Dictionary<string, string>(config) { ["port"] = LocalHttpListener.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture) }), "tester");
        var engine = new AlertEngine(store, new EnergyService(store), new EnergyPlanService(store), new CarbonService(store), new Wc33Targets());
        var raised = await engine.EvaluateAsync(PlanTestPark.Park, clock.Now, ["deviation"]);
        Assert.Equal("meter:b1_chiller", Assert.Single(raised).Subject);

        var (sent, failed) = await new AlertSender(store, clock).SendDueAsync();
        Assert.True((sent, failed) == (1, 1), string.Join(" | ", (await store.Alerts.ChannelsAsync(PlanTestPark.Park)).Select(c => c.Code + ": " + c.LastError)));
        var files = Directory.GetFiles(Path.Combine(smtp.Maildir, "box", "new"));
        var mail = await File.ReadAllTextAsync(Assert.Single(files));
        Assert.Contains("Subject: [ZeroPark p1] warning: meter-deviation meter:b1_chiller 2025-06", mail);
        Assert.Contains("From: zeropark@park.example", mail);
        Assert.Contains("ops@park.example", mail);
        Assert.Contains("+50 %", mail);
        var dead = (await store.Alerts.ChannelsAsync(PlanTestPark.Park)).Single(c => c.Code == "dead");
        Assert.Equal(1, dead.Pending);
        Assert.NotNull(dead.LastError);
        Assert.Equal("sent", (await store.Alerts.OutboxAsync(PlanTestPark.Park)).Single(o => o.Channel == "mail").Status);
    }
}
