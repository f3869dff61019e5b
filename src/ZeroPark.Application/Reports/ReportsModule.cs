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
    }
}
