using Microsoft.Extensions.DependencyInjection;

namespace ZeroPark.Application.Reports;

/// <summary>The services of the reports module, registered by <see cref="ZeroParkApplication.AddZeroParkApplication"/> in one call.</summary>
public static class ReportsModule
{
    public static void Register(IServiceCollection services)
    {
        services.AddSingleton(sp => sp.GetRequiredService<ZeroParkStore>().Reports);
        services.AddSingleton<SealService>();
        services.AddSingleton<ReportService>();
        services.AddSingleton<DisclosureService>();
        // The working-day calendar and the e-mail channel belong to the alerts module: these defaults stand in until it lands.
        services.AddSingleton<IReportCalendar, WeekdayCalendar>();
        services.AddSingleton<IReportDelivery, ArchiveOnlyDelivery>();
        services.AddSingleton<ReportScheduler>();
    }
}
