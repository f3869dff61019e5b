using System.Globalization;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using MimeKit;
using ZeroPark.Application;
using ZeroPark.Application.Alerts;
using ZeroPark.Application.Carbon;
using ZeroPark.Application.EnergyManagement;
using ZeroPark.Application.Reports;
using ZeroPark.Calendar;
using ZeroPark.Reports;
using ZeroPark.Tests.Alerts;
using ZeroPark.Tests.Api;
using ZeroPark.Tests.EnergyManagement;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.Reports;

/// <summary>
/// The scheduler with the implementations <see cref="ReportsModule"/> registers: the China working-day calendar of the alerts module
/// (<see cref="ChinaReportCalendar"/>) and e-mail delivery through the park's alert e-mail channel (<see cref="EmailReportDelivery"/>)
/// to the real aiosmtpd server the alert e-mail tests start (<see cref="SmtpServerFixture"/>), on SQLite and PostgreSQL.
/// </summary>
public abstract class ReportDeliverySuite(SmtpServerFixture smtp) : IAsyncLifetime
{
    private const string Park = "r1";
    private ZeroParkStore Store { get; set; } = null!;
    // Monday 2025-03-03 10:00 in Shanghai (02:00 UTC).
    private readonly TestClock _clock = new() { Now = new DateTimeOffset(2025, 3, 3, 2, 0, 0, TimeSpan.Zero) };

    protected abstract string NewDatabase();

    private CarbonService Carbon => new(Store);
    private EnergyService Energy => new(Store, Carbon);
    private ReportService Reports => ReportTestServices.Reports(Store, _clock);

    public async Task InitializeAsync()
    {
        Store = await ZeroParkStore.OpenAsync(NewDatabase(), _clock);
        await EnergyTestPark.SeedAsync(Store, Park);
    }

    public async Task DisposeAsync() => await Store.DisposeAsync();

    private static IEnumerable<List<string?>> AllRows(byte[] xlsx)
    {
        using var ms = new MemoryStream(xlsx);
        using var doc = SpreadsheetDocument.Open(ms, false);
        var wb = doc.WorkbookPart!;
        var rows = new List<List<string?>>();
        foreach (var sheet in wb.Workbook.Sheets!.Elements<Sheet>())
            rows.AddRange(((WorksheetPart)wb.GetPartById(sheet.Id!)).Worksheet.GetFirstChild<SheetData>()!.Elements<Row>()
                .Select(r => r.Elements<Cell>().Select(c => c.DataType?.Value == CellValues.InlineString ? c.InlineString!.Text!.Text : c.CellValue?.Text).ToList()));
        return rows;
    }

    [Fact]
    public async Task A_scheduled_report_arrives_by_email_with_its_pdf_and_xlsx_on_the_first_working_day()
    {
        var config = new Dictionary<string, string> { ["host"] = "127.0.0.1", ["port"] = smtp.Port.ToString(CultureInfo.InvariantCulture), ["from"] = "zeropark@park.example" };
        await Store.Alerts.SetChannelAsync(Park, new AlertChannelDraft("mail", "email", "ops@park.example", config), "tester");
        var s = await Store.Reports.AddScheduleAsync(Park, "monthly_energy", "month", "en", ["energy@example.com", "cfo@example.com"], "alice");
        var scheduler = new ReportScheduler(Store, Reports, new ChinaReportCalendar(Store), new EmailReportDelivery(Store));

        // 2025-03-01/02 are a weekend and the 2025 notice has no entry in early March: Monday the 3rd is the first working day, February is due.
        var run = Assert.Single(await scheduler.RunDueAsync());
        Assert.Equal("2025-02-01..2025-02-28", run.Period);
        Assert.Equal("sent to energy@example.com, cfo@example.com by e-mail (channel mail)", run.Outcome);
        Assert.Empty(await scheduler.RunDueAsync());

        var file = Assert.Single(Directory.GetFiles(Path.Combine(smtp.Maildir, "box", "new")), f => File.ReadAllText(f).Contains("cfo@example.com", StringComparison.Ordinal));
        using var mail = await MimeMessage.LoadAsync(file);
        Assert.Equal("zeropark@park.example", mail.From.Mailboxes.Single().Address);
        Assert.Equal(["energy@example.com", "cfo@example.com"], mail.To.Mailboxes.Select(m => m.Address));
        Assert.Contains("2025-02-01…2025-02-28", mail.Subject, StringComparison.Ordinal);
        var attachments = mail.Attachments.OfType<MimePart>().ToDictionary(a => a.FileName ?? "");
        Assert.Equal(["monthly_energy-2025-02-01-2025-02-28-en.pdf", "monthly_energy-2025-02-01-2025-02-28-en.xlsx"], attachments.Keys.Order(StringComparer.Ordinal));
        byte[] Bytes(MimePart p)
        {
            using var ms = new MemoryStream();
            p.Content!.DecodeTo(ms);
            return ms.ToArray();
        }
        var pdf = Bytes(attachments["monthly_energy-2025-02-01-2025-02-28-en.pdf"]);
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(pdf, 0, 4));
        // The attachment is the archived report's file, byte for byte.
        var archived = Assert.Single(await Store.Reports.ReportsAsync(Park));
        Assert.Equal(s.Id, archived.ScheduleId);
        Assert.Equal(await Store.Reports.ReportFileAsync(Park, archived.Id, "pdf"), pdf);
        // February 2025 (Feb 1 only): E_DC = 24 h × 145 kWh = 3,480 kWh, IT 24 × 100 = 2,400 kWh: PUE = 3,480 / 2,400 = 1.45.
        var rows = AllRows(Bytes(attachments["monthly_energy-2025-02-01-2025-02-28-en.xlsx"])).ToList();
        Assert.Contains(rows, r => r.Count > 1 && r[0] == "PUE" && r[1] == "1.45");
        Assert.Contains(rows, r => r.Count > 1 && r[0] == "Total energy" && r[1] == "3480");
    }

    [Fact]
    public async Task Without_an_email_channel_or_with_the_server_down_the_report_stays_archived_and_the_run_says_why()
    {
        await Store.Reports.AddScheduleAsync(Park, "monthly_energy", "month", "en", ["energy@example.com"], "alice");
        var scheduler = new ReportScheduler(Store, Reports, new ChinaReportCalendar(Store), new EmailReportDelivery(Store));
        var run = Assert.Single(await scheduler.RunDueAsync());
        Assert.Equal("archived; not sent to energy@example.com: park 'r1' has no enabled e-mail channel (zeropark alerts channels)", run.Outcome);
        Assert.NotNull(run.ReportId);

        var archived = Assert.Single(await Store.Reports.ReportsAsync(Park));
        await Store.Alerts.SetChannelAsync(Park, new AlertChannelDraft("mail", "email", "ops@park.example",
            new Dictionary<string, string> { ["host"] = "127.0.0.1", ["port"] = LocalHttpListener.FreePort().ToString(CultureInfo.InvariantCulture), ["from"] = "zeropark@park.example" }), "tester");
        var outcome = await new EmailReportDelivery(Store).DeliverAsync(archived, ["energy@example.com"], null, null, CancellationToken.None);
        Assert.StartsWith("archived; sending to energy@example.com failed (channel mail): ", outcome, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_china_calendar_moves_the_due_day_over_holidays_and_onto_adjusted_working_days()
    {
        var isWorkingDay = await new ChinaReportCalendar(Store).WorkingDaysAsync(CancellationToken.None);
        (DateOnly, DateOnly, DateOnly) Due(string today) => ReportSchedule.LatestDue(ReportEvery.Month, DateOnly.Parse(today, CultureInfo.InvariantCulture), isWorkingDay);
        // 国庆节、中秋节 2025: 10-01…10-08 off, so September is due on Thursday 2025-10-09; on the 8th August (due Monday 09-01) is the latest.
        Assert.Equal((new DateOnly(2025, 8, 1), new DateOnly(2025, 8, 31), new DateOnly(2025, 9, 1)), Due("2025-10-08"));
        Assert.Equal((new DateOnly(2025, 9, 1), new DateOnly(2025, 9, 30), new DateOnly(2025, 10, 9)), Due("2025-10-09"));
        // 元旦 2026: 01-01…01-03 off and Sunday 01-04 is a 调休 working day, so December 2025 is due on a Sunday.
        Assert.Equal(new DateOnly(2025, 11, 1), Due("2026-01-03").Item1);
        Assert.Equal((new DateOnly(2025, 12, 1), new DateOnly(2025, 12, 31), new DateOnly(2026, 1, 4)), Due("2026-01-04"));
        // Quarterly: Q3 2025 is due on 2025-10-09 too.
        Assert.Equal(new DateOnly(2025, 10, 9), ReportSchedule.LatestDue(ReportEvery.Quarter, new DateOnly(2025, 10, 9), isWorkingDay).Due);

        // A user's calendar entry (stored) is honoured: Monday 2025-03-03 made a holiday moves February to Tuesday the 4th.
        await Store.Alerts.SetCalendarDaysAsync([new CalendarDay(new DateOnly(2025, 3, 3), CalendarDayKind.Holiday, "test closure")], "tester");
        await Store.Reports.AddScheduleAsync(Park, "monthly_energy", "month", "en", [], "alice");
        var scheduler = new ReportScheduler(Store, Reports, new ChinaReportCalendar(Store), new EmailReportDelivery(Store));
        // On 2025-03-03 the latest due month is January (due 2025-02-05: 春节 01-28…02-04 off), not February.
        var run = Assert.Single(await scheduler.RunDueAsync());
        Assert.Equal("2025-01-01..2025-01-31", run.Period);
        Assert.Equal("archived (no recipients)", run.Outcome);
        _clock.Now = new DateTimeOffset(2025, 3, 4, 2, 0, 0, TimeSpan.Zero);
        Assert.Equal("2025-02-01..2025-02-28", Assert.Single(await scheduler.RunDueAsync()).Period);
    }
}

public sealed class SqliteReportDeliveryTests(SmtpServerFixture smtp) : ReportDeliverySuite(smtp), IClassFixture<SmtpServerFixture>
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

public sealed class PostgresReportDeliveryTests(SmtpServerFixture smtp) : ReportDeliverySuite(smtp), IClassFixture<SmtpServerFixture>
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL report tests need ZEROPARK_TEST_PG; run ./scripts/test.sh (it starts a server on 127.0.0.1)")
        : TestDatabases.NewPostgresDatabase();
}
