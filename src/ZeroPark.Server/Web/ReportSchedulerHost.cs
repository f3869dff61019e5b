using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ZeroPark.Application.Reports;

namespace ZeroPark.Server.Web;

/// <summary>Runs the report scheduler (<see cref="ReportScheduler"/>) in the server: at start and every 15 minutes; a failed round
/// is logged and the next one runs. Off with <c>ZeroPark:Reports:Scheduler=false</c> (tests switch it off).</summary>
internal sealed class ReportSchedulerHost(IServiceProvider services, ILogger<ReportSchedulerHost> log) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                var runs = await services.GetRequiredService<ReportScheduler>().RunDueAsync(stoppingToken);
                foreach (var r in runs) log.LogInformation("scheduled report {Park} #{Schedule} {Kind} {Period}: report {Report} {Outcome}", r.Park, r.ScheduleId, r.Kind, r.Period, r.ReportId, r.Outcome);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "report scheduler round failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
