using ZeroPark.Reports;

namespace ZeroPark.Application.Reports;

/// <summary>The working-day calendar scheduled reports use: a period is due on the first working day after it.</summary>
public interface IReportCalendar
{
    /// <summary>The calendar as of now (loaded once per scheduler round).</summary>
    Task<Func<DateOnly, bool>> WorkingDaysAsync(CancellationToken ct);
}

/// <summary>Monday to Friday, no holidays: only for tests of the period arithmetic.</summary>
public sealed class WeekdayCalendar : IReportCalendar
{
    public Task<Func<DateOnly, bool>> WorkingDaysAsync(CancellationToken ct) => Task.FromResult<Func<DateOnly, bool>>(ReportSchedule.Weekday);
}

/// <summary>The China working-day calendar of the alerts module (<see cref="Alerts.AlertStore.CalendarAsync"/>: the shipped
/// State Council notices with 放假 and 调休上班, plus the user's overrides). Registered by <see cref="ReportsModule"/>.</summary>
public sealed class ChinaReportCalendar(ZeroParkStore store) : IReportCalendar
{
    public async Task<Func<DateOnly, bool>> WorkingDaysAsync(CancellationToken ct) => (await store.Alerts.CalendarAsync(ct)).IsWorkingDay;
}

/// <summary>Delivery of a generated report to its schedule's recipients.</summary>
public interface IReportDelivery
{
    /// <summary>Sends the report; returns what happened ("sent to …" or why not).</summary>
    Task<string> DeliverAsync(ArchivedReport report, IReadOnlyList<string> recipients, byte[]? pdf, byte[]? xlsx, CancellationToken ct);
}

/// <summary>Keeps the report in the archive only (tests of generation that need no SMTP server).</summary>
public sealed class ArchiveOnlyDelivery : IReportDelivery
{
    public Task<string> DeliverAsync(ArchivedReport report, IReadOnlyList<string> recipients, byte[]? pdf, byte[]? xlsx, CancellationToken ct) =>
        Task.FromResult(recipients.Count == 0 ? "archived (no recipients)" : $"archived; not sent to {string.Join(", ", recipients)}: no e-mail channel is configured");
}

/// <summary>
/// E-mail delivery through the park's e-mail channel of the alerts module (its first enabled <c>email</c> channel by code: host,
/// port, from, tls, user + secret) and the alerts module's MailKit sender (<see cref="Alerts.AlertSender.SendMailAsync"/>): one
/// message to the schedule's recipients with the PDF and XLSX attached. A park without an e-mail channel, or a failed send, keeps the
/// report archived and says so in the run's outcome (the next period is sent again; a failed one is not retried).
/// </summary>
public sealed class EmailReportDelivery(ZeroParkStore store) : IReportDelivery
{
    public async Task<string> DeliverAsync(ArchivedReport report, IReadOnlyList<string> recipients, byte[]? pdf, byte[]? xlsx, CancellationToken ct)
    {
        if (recipients.Count == 0) return "archived (no recipients)";
        var to = string.Join(", ", recipients);
        var channel = await store.Alerts.EmailChannelAsync(report.Park, ct);
        if (channel is null) return $"archived; not sent to {to}: park '{report.Park}' has no enabled e-mail channel (zeropark alerts channels)";
        var name = $"{report.Kind}-{report.From:yyyy-MM-dd}-{report.To:yyyy-MM-dd}-{report.Lang}";
        var files = new List<Alerts.AlertSender.MailAttachment>();
        if (pdf is not null) files.Add(new(name + ".pdf", "application/pdf", pdf));
        if (xlsx is not null) files.Add(new(name + ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx));
        var subject = $"[ZeroPark {report.Park}] {report.Title} {report.From:yyyy-MM-dd}…{report.To:yyyy-MM-dd}";
        var text = $"{report.Title}\n{report.From:yyyy-MM-dd}…{report.To:yyyy-MM-dd}, report #{report.Id}" + (report.SealHash is { } h ? $", seal {h}" : "") +
                   $"\nattached: {string.Join(", ", files.Select(f => f.FileName))}";
        try
        {
            await Alerts.AlertSender.SendMailAsync(channel.Value.Config, channel.Value.Secret, recipients, subject, text, files, ct);
            return $"sent to {to} by e-mail (channel {channel.Value.Code})";
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return $"archived; sending to {to} failed (channel {channel.Value.Code}): {e.GetType().Name}: {e.Message}";
        }
    }
}

/// <summary>What one scheduler round did for one schedule.</summary>
public sealed record ScheduleRun(string Park, long ScheduleId, string Kind, string Period, long? ReportId, string Outcome);

/// <summary>
/// Scheduled generation: each round, every schedule whose latest due period (<see cref="ReportSchedule.LatestDue"/>: the previous
/// month, quarter or year, due on the first working day after it) is newer than its last generated period gets its report generated,
/// archived and delivered. A GHG report of a quarter or year uses the period's final park inventory, else the latest saved one,
/// else saves a new version first. A period is claimed before generating, so two schedulers never generate it twice.
/// </summary>
public sealed class ReportScheduler(ZeroParkStore store, ReportService reports, IReportCalendar calendar, IReportDelivery delivery)
{
    public async Task<IReadOnlyList<ScheduleRun>> RunDueAsync(CancellationToken ct = default)
    {
        var runs = new List<ScheduleRun>();
        foreach (var park in await store.Reports.ParksWithSchedulesAsync(ct))
        {
            var reg = await store.Registry.GetRegistryAsync(park, ct);
            var today = reg.Clock.LocalDate(store.Clock.GetUtcNow().ToUnixTimeSeconds());
            var isWorkingDay = await calendar.WorkingDaysAsync(ct);
            foreach (var s in await store.Reports.SchedulesAsync(park, ct))
            {
                var every = ReportSchedule.Parse(s.Every);
                var (from, to, _) = ReportSchedule.LatestDue(every, today, isWorkingDay);
                var period = ReportStore.PeriodKey(from, to);
                if (s.LastPeriod is not null && string.CompareOrdinal(s.LastPeriod, period) >= 0) continue;
                if (!await store.Reports.ClaimPeriodAsync(s.Id, s.LastPeriod, period, ct)) continue;
                try
                {
                    // Each kind reads its period from From/To (the GHG kind picks or saves the period's inventory).
                    var req = new ReportRequest(s.Kind, s.Lang, ScheduleId: s.Id, From: from, To: to);
                    var report = await reports.GenerateAsync(park, req, "scheduler", ct);
                    var outcome = await delivery.DeliverAsync(report, s.Recipients, await store.Reports.ReportFileAsync(park, report.Id, "pdf", ct),
                        await store.Reports.ReportFileAsync(park, report.Id, "xlsx", ct), ct);
                    runs.Add(new ScheduleRun(park, s.Id, s.Kind, period, report.Id, outcome));
                }
                catch (Exception e) when (e is ValidationException or NotFoundException or ConflictException or InvalidOperationException or TimeoutException)
                {
                    runs.Add(new ScheduleRun(park, s.Id, s.Kind, period, null, "failed: " + e.Message));
                }
            }
        }
        return runs;
    }
}
