using Microsoft.Extensions.DependencyInjection;
using ZeroPark.Application;
using ZeroPark.Application.Reports;

namespace ZeroPark.Tests.Reports;

/// <summary>The application's services (<see cref="ZeroParkApplication.AddZeroParkApplication"/>, so every registered report kind)
/// over a store a test opened itself.</summary>
internal static class ReportTestServices
{
    public static IServiceProvider For(ZeroParkStore store, TimeProvider clock) =>
        new ServiceCollection().AddZeroParkApplication("unused-by-tests.db").AddSingleton(store).AddSingleton(clock).BuildServiceProvider();

    public static ReportService Reports(ZeroParkStore store, TimeProvider clock) => For(store, clock).GetRequiredService<ReportService>();
}
