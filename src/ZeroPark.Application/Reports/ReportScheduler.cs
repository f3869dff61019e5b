using ZeroPark.Carbon;
using ZeroPark.Reports;

namespace ZeroPark.Application.Reports;

/// <summary>The working-day calendar scheduled reports use. The China calendar with public holidays and 调休 belongs to the alerts
/// module (issue 15); until it is wired in, <see cref="WeekdayCalendar"/> (Monday to Friday) is registered.</summary>
public interface IReportCalendar
{
    bool IsWorkingDay(DateOnly day);
}

public sealed class WeekdayCalendar : IReportCalendar
{
    public bool IsWorkingDay(DateOnly day) => ReportSchedule.Weekday(day);
}

/// <summary>Delivery of a generated report to its schedule's recipients. The e-mail channel belongs to the alerts module (issue
/// 15); until it is wired in, <see cref="ArchiveOnlyDelivery"/> keeps the report in the archive and says it was not sent.</summary>
public interface IReportDelivery
{
    /// <summary>Sends the report; returns what happened ("sent to …" or why not).</summary>
    Task<string> DeliverAsync(ArchivedReport report, IReadOnlyList<string> recipients, byte[]? pdf, byte[]? xlsx, CancellationToken ct);
}

public sealed class ArchiveOnlyDelivery : IReportDelivery
{
    public Task<string> DeliverAsync(ArchivedReport report, IReadOnlyList<string> recipients, byte[]? pdf, byte[]? xlsx, CancellationToken ct) =>
        Task.FromResult(recipients.Count == 0 ? "archived (no recipients)" : $"archived; not sent to {string.Join(", ", recipients)}: no e-mail channel is configured");
}

/// <summary>What one scheduler round did for one schedule.</summary>
public sealed record ScheduleRun(string Park, long ScheduleId, string Kind, string Period, long? ReportId, string Outcome);

/// <summary>
/// Scheduled generation: each round, every schedule whose latest due period (<see cref="ReportSchedule.LatestDue"/>: the previous
/// month, quarter or year, due on the first working day after it) is newer than its last generated period gets its report generated,
/// archived and delivered. A GHG report of a quarter or year uses the period's final park inventory, else the latest saved one,
/// else saves a new version first. A period is claimed before generating, so two schedulers never generate it twice.
/// </summary>
public sealed class ReportScheduler(ZeroParkStore store, ReportService reports, Carbon.CarbonService carbon, IReportCalendar calendar, IReportDelivery delivery)
{
    public async Task<IReadOnlyList<ScheduleRun>> RunDueAsync(CancellationToken ct = default)
    {
        var runs = new List<ScheduleRun>();
        foreach (var park in await store.Reports.ParksWithSchedulesAsync(ct))
        {
            var reg = await store.Registry.GetRegistryAsync(park, ct);
            var today = reg.Clock.LocalDate(store.Clock.GetUtcNow().ToUnixTimeSeconds());
            foreach (var s in await store.Reports.SchedulesAsync(park, ct))
            {
                var every = ReportSchedule.Parse(s.Every);
                var (from, to, _) = ReportSchedule.LatestDue(every, today, calendar.IsWorkingDay);
                var period = ReportStore.PeriodKey(from, to);
                if (s.LastPeriod is not null && string.CompareOrdinal(s.LastPeriod, period) >= 0) continue;
                if (!await store.Reports.ClaimPeriodAsync(s.Id, s.LastPeriod, period, ct)) continue;
                try
                {
                    ReportRequest req;
                    if (s.Kind == ReportKinds.MonthlyEnergy) req = new ReportRequest(s.Kind, s.Lang, Month: from, ScheduleId: s.Id);
                    else
                    {
                        var inventories = (await store.Carbon.InventoriesAsync(park, null, ct)).Where(i => i.Boundary == park && i.From == from && i.To == to && i.Method == "ghgp").ToList();
                        var chosen = inventories.Where(i => i.Status == "final").MaxBy(i => i.Id) ?? inventories.MaxBy(i => i.Id)
                                     ?? (await carbon.SaveAsync(park, null, from, to, AccountingMethod.Ghgp, GwpSet.AR6, null, "scheduled report", "scheduler", ct)).Inventory;
                        req = new ReportRequest(s.Kind, s.Lang, Inventory: chosen.Id, ScheduleId: s.Id);
                    }
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
