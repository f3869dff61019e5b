using Microsoft.Extensions.DependencyInjection;
using ZeroPark.Application;
using ZeroPark.Application.Reports;

namespace ZeroPark.Tests.Reports;

/// <summary>The application's services (<see cref="ZeroParkApplication.AddZeroParkApplication"/>, so every registered report kind)
/// over a store a test opened itself.</summary>
internal static class ReportTestServices
{
    public static IServiceProvider For(ZeroParkStore store, TimeProvider clock) =>
        new ServiceCollection().AddZeroParkApplication("unused-by-tests.db").AddSingleton(store).AddSingleton(clock)
            // The message catalogue, as the web server and the CLI register it: reports' machine-written notes in the report's language.
            .AddSingleton<ZeroPark.Application.Alerts.IMessageLocalizer, ZeroPark.Server.Web.CatalogMessageLocalizer>().BuildServiceProvider();

    public static ReportService Reports(ZeroParkStore store, TimeProvider clock) => For(store, clock).GetRequiredService<ReportService>();
}
