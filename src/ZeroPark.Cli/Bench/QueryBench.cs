using Microsoft.Extensions.DependencyInjection;
using System.CommandLine;
using ZeroPark.Domain;
using ZeroPark.Application;

namespace ZeroPark.Cli.Bench;

/// <summary>
/// Issue 2's dashboard queries (target: each ≤ 50 ms warm on the full demo year): Q1 daily energy per subsystem over the
/// period, Q2 monthly PUE inputs, Q3 the top-10 meters of one month (the second month of a period of two months or more),
/// Q4 the latest reading of every meter, Q5 hourly cooling of building b1 for a week (from the period's middle). Part of
/// <c>zeropark bench</c>, and on its own as <c>zeropark bench queries --db PATH --park CODE --from … --to …</c> over an
/// existing store, to re-measure them without rebuilding the year.
/// </summary>
internal static class QueryBench
{
    public static Command Create() => ServiceBench.Create("queries", "time the dashboard queries Q1–Q5 over an existing store (warm medians)", Calls);

    public static IReadOnlyDictionary<string, Func<Task>> Calls(IServiceProvider services, string park, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var store = services.GetRequiredService<ZeroParkStore>();
        var (monthStart, monthEnd, weekStart, weekEnd) = Windows(from, to);
        string[] systems = ["it", "cooling", "power", "aux"];
        return new Dictionary<string, Func<Task>>
        {
            ["Q1"] = async () => { foreach (var sys in systems) await store.Queries.SeriesAsync(park, SeriesTarget.Node(system: sys), from, to, Granularity.Day, ct); },
            ["Q2"] = async () =>
            {
                await store.Queries.SeriesAsync(park, SeriesTarget.Node(role: MeterRole.FacilityInput), from, to, Granularity.Month, ct);
                await store.Queries.SeriesAsync(park, SeriesTarget.Node(role: MeterRole.ItLoad), from, to, Granularity.Month, ct);
            },
            ["Q3"] = async () => await store.Queries.TopMetersAsync(park, monthStart, monthEnd, 10, ct: ct),
            ["Q4"] = async () => await store.Queries.LatestReadingsAsync(park, ct),
            ["Q5"] = async () => await store.Queries.SeriesAsync(park, SeriesTarget.Node(space: "b1", system: "cooling"), weekStart, weekEnd, Granularity.Hour, ct),
        };
    }

    /// <summary>Q3's month and Q5's week within <paramref name="from"/>..<paramref name="to"/>.</summary>
    public static (DateOnly MonthStart, DateOnly MonthEnd, DateOnly WeekStart, DateOnly WeekEnd) Windows(DateOnly from, DateOnly to)
    {
        var days = to.DayNumber - from.DayNumber + 1;
        var monthStart = new DateOnly(from.Year, from.Month, 1).AddMonths(days >= 62 ? 1 : 0);
        var monthEnd = monthStart.AddMonths(1).AddDays(-1) > to ? to : monthStart.AddMonths(1).AddDays(-1);
        var weekStart = days > 14 ? from.AddDays(days / 2) : from;
        var weekEnd = weekStart.AddDays(6) > to ? to : weekStart.AddDays(6);
        return (monthStart, monthEnd, weekStart, weekEnd);
    }
}
