using Microsoft.Extensions.DependencyInjection;

namespace ZeroPark.Application.Reports;

/// <summary>The services of the reports module, registered by <see cref="ZeroParkApplication.AddZeroParkApplication"/> in one call.</summary>
public static class ReportsModule
{
    public static void Register(IServiceCollection services)
    {
        services.AddSingleton(sp => sp.GetRequiredService<ZeroParkStore>().Reports);
        services.AddSingleton<SealService>();
        // Each report kind is a builder (IReportKind) from the one table of kinds.
        foreach (var (_, builder) in ReportKinds.Registered) services.AddSingleton(typeof(IReportKind), builder);
        services.AddSingleton<ReportService>();
        services.AddSingleton<DisclosureService>();
        // The working-day calendar (China, with 调休) and the e-mail channel come from the alerts module.
        services.AddSingleton<IReportCalendar, ChinaReportCalendar>();
        services.AddSingleton<IReportDelivery, EmailReportDelivery>();
        services.AddSingleton<ReportScheduler>();
    }
}
