using Microsoft.Extensions.DependencyInjection;
using ZeroPark.Application;
using ZeroPark.Application.Alerts;

namespace ZeroPark.Cli.Demo;

/// <summary>
/// The demo park's alert history, as the server's alert loop and an operator would have left it: the default rules are installed
/// (the meter deviation rule switched to the seasonal baseline, as an operator of a park with seasonal cooling would do: comparing
/// every chiller with the month before would flag them all each spring and autumn), then the real <see cref="AlertEngine"/> runs over
/// the demo's data on a simulated clock: every morning yesterday's completeness (and once a week the daily PUE), on the first working
/// day of every month a full evaluation (deviations, plan projection, monthly targets …), and a full evaluation at the end of the data
/// (where the demo's silent CRAH meter, <see cref="DemoReadings.OfflineMeter"/>, is offline). Two days after an alert is raised the
/// operator deals with it through the store's own methods: data gaps are resolved with a note, other alerts acknowledged with a note;
/// threshold alerts resolve themselves when their condition clears. What the final evaluation raises stays open. No alert row is
/// written here: every one comes from the engine, every state change from <see cref="AlertStore"/>.
/// </summary>
internal static class DemoAlerts
{
    /// <summary>Who acknowledges and resolves the demo's alerts.</summary>
    public const string Operator = "demo";

    /// <summary>Days an alert waits before the operator deals with it.</summary>
    private const int HandledAfterDays = 2;

    /// <summary>The morning round: yesterday's completeness every day; the KPI rules (daily PUE, 14 days looked back) once a week,
    /// which sees every day of the week before and keeps the demo fast (a KPI evaluation computes the days' KPIs).</summary>
    private static readonly string[] DailyKinds = ["completeness"], WeeklyKinds = ["completeness", "kpi"];

    /// <summary>The operator's notes (what they wrote when acknowledging or resolving), by rule.</summary>
    internal static readonly IReadOnlyDictionary<string, string> Notes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["data-completeness"] = "数据缺口已核实：采集网关短时中断，缺失读数无法补传，已在数据质量记录中说明",
        ["pue-daily"] = "高温天气制冷负荷上升，已增开冷却塔并调高冷冻水供水温度，持续观察",
        ["plan-projection"] = "已通报能源管理小组，按月跟踪节能措施落实情况",
        ["monthly-targets"] = "月度目标未达成，已纳入月度能源分析会跟踪整改",
        ["source-deviation"] = "排放源月度变化已核实：季节性负荷与活动数据变化所致",
        ["meter-deviation"] = "与去年同月相比的变化已核实：负荷调整所致",
    };

    private const string DefaultNote = "已确认，跟踪处理中";

    /// <summary>A clock the demo moves forward: the store stamps acknowledgements, resolutions and audit entries with it.</summary>
    private sealed class DemoClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }
        public override DateTimeOffset GetUtcNow() => Now.ToUniversalTime();
    }

    /// <summary>What the demo's alert history holds: evaluations run, alerts raised, how many of them are still open, and the time taken.</summary>
    public sealed record Summary(int Evaluations, int Alerts, int Open, TimeSpan Elapsed);

    public static async Task<Summary> SeedAsync(string db, DemoPark demo, CancellationToken ct)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var park = demo.Options.ParkCode;
        var first = demo.Options.StartDate;
        var clock = new DemoClock();
        // The application as the server has it, on the demo's clock (the same composition root; the clock replaced as tests do).
        await using var services = new ServiceCollection().AddZeroParkApplication(db).AddSingleton<TimeProvider>(clock).BuildServiceProvider();
        var store = services.GetRequiredService<ZeroParkStore>();
        var engine = services.GetRequiredService<AlertEngine>();
        var parkClock = (await store.Registry.GetRegistryAsync(park, ct)).Clock;
        DateTimeOffset At(DateOnly d, int hour, int minute = 0) => parkClock.ToLocalOffset(parkClock.StartOfDay(d) + hour * 3600 + minute * 60);
        var end = parkClock.ToLocalOffset(parkClock.StartOfDay(first.AddDays(demo.Options.Days)));   // the instant of the last readings

        clock.Now = At(first, 0);
        await store.Alerts.EnsureDefaultRulesAsync(park, ct);
        var deviation = await store.Alerts.RuleAsync(park, "meter-deviation", ct);
        await store.Alerts.UpdateRuleAsync(park, deviation.Code,
            new AlertRuleDraft(null, null, Params: new Dictionary<string, string>(deviation.Params) { ["baseline"] = "last_year" }), Operator, ct: ct);

        // The evaluation instants: every morning (daily rules), the first working day of each month (everything).
        var calendar = await store.Alerts.CalendarAsync(ct);
        var instants = new List<(DateTimeOffset At, IReadOnlyCollection<string>? Kinds)>();
        for (var d = first.AddDays(1); At(d, 8) < end; d = d.AddDays(1))
            instants.Add((At(d, 8), (d.DayNumber - first.DayNumber) % 7 == 0 ? WeeklyKinds : DailyKinds));
        for (var m = new DateOnly(first.Year, first.Month, 1).AddMonths(1); ; m = m.AddMonths(1))
        {
            var due = At(calendar.FirstWorkingDay(m.Year, m.Month), 9, 30);
            if (due >= end) break;
            instants.Add((due, null));
        }
        foreach (var (at, kinds) in instants.OrderBy(i => i.At))
        {
            clock.Now = at;
            await engine.EvaluateAsync(park, at, kinds, ct);
            await HandleAsync(store, park, at, ct);
        }
        clock.Now = end;
        await engine.EvaluateAsync(park, end, null, ct);
        // The demo is a recorded history: the server's alert loop evaluates it at its end, not at today's date (when every meter
        // would be offline and every day since empty).
        await store.Alerts.SetEvaluateAsOfAsync(park, end, Operator, ct);
        var all = await store.Alerts.AlertsAsync(park, new AlertFilter(Limit: 5000), ct);
        return new Summary(instants.Count + 1, all.Count, all.Count(a => a.Status == "open"), sw.Elapsed);
    }

    /// <summary>The operator's round at <paramref name="now"/>: alerts open for <see cref="HandledAfterDays"/> days or more are resolved
    /// (data gaps: nothing left to do once explained) or acknowledged (the rest), each with the rule's note.</summary>
    private static async Task HandleAsync(ZeroParkStore store, string park, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var a in await store.Alerts.AlertsAsync(park, new AlertFilter(Status: "open", Limit: 5000), ct))
        {
            if (a.RaisedAt > now.AddDays(-HandledAfterDays) || a.Rule == "meter-offline") continue;
            var note = Notes.GetValueOrDefault(a.Rule, DefaultNote);
            if (a.Kind == "completeness") await store.Alerts.ResolveAsync(park, a.Id, Operator, note, ct);
            else await store.Alerts.AcknowledgeAsync(park, a.Id, Operator, note, ct);
        }
    }
}
