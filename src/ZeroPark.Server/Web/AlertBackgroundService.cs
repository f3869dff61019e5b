using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ZeroPark.Application.Alerts;

namespace ZeroPark.Server.Web;

/// <summary>
/// Runs <see cref="AlertWorker.StepAsync"/> in the server every <c>ZeroPark:Alerts:StepSeconds</c> (default 30) on the app's
/// <see cref="TimeProvider"/>, after <c>ZeroPark:Alerts:StartDelaySeconds</c> (default 20); <c>ZeroPark:Alerts:Enabled=false</c> turns it off.
/// </summary>
public sealed class AlertBackgroundService(AlertWorker worker, TimeProvider clock, IConfiguration configuration, ILogger<AlertBackgroundService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (configuration["ZeroPark:Alerts:Enabled"] is "false" or "False" or "0") return;
        var step = TimeSpan.FromSeconds(Seconds("StepSeconds", 30));
        if (configuration["ZeroPark:Alerts:FullEveryMinutes"] is { } m && double.TryParse(m, System.Globalization.CultureInfo.InvariantCulture, out var minutes) && minutes > 0)
            worker.FullEvery = TimeSpan.FromMinutes(minutes);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(Seconds("StartDelaySeconds", 20)), clock, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var r = await worker.StepAsync(stoppingToken);
                    foreach (var e in r.Errors) log.LogWarning("alert evaluation: {Error}", e);
                    if (r.Raised > 0 || r.Failed > 0) log.LogInformation("alerts: {Raised} raised, {Sent} notifications sent, {Failed} failed", r.Raised, r.Sent, r.Failed);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogWarning(e, "alert step failed");
                }
                await Task.Delay(step, clock, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private double Seconds(string key, double fallback) =>
        configuration["ZeroPark:Alerts:" + key] is { } s && double.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out var v) && v >= 0 ? v : fallback;
}
