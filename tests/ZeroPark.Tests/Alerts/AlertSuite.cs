using System.Net;
using System.Text;
using ZeroPark.Application;
using ZeroPark.Application.Alerts;
using ZeroPark.Application.Carbon;
using ZeroPark.Application.EnergyManagement;
using ZeroPark.Metering;
using ZeroPark.Tests.EnergyManagement;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.Alerts;

/// <summary>A clock the test moves by hand (the store, the engine and the sender read it).</summary>
internal sealed class FakeClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;
    public override DateTimeOffset GetUtcNow() => Now.ToUniversalTime();
}

/// <summary>Targets as the neutrality module will give them: WC-33's month (600 t emitted, 700 MWh GEC × 0.5366 + 50 t CCER
/// neutralised) and a 0.75 monthly neutrality-rate target.</summary>
internal sealed class Wc33Targets : IAlertTargets
{
    public Task<double?> MonthlyTargetAsync(string park, string kind, int year, int month, CancellationToken ct) =>
        Task.FromResult<double?>(kind == "neutrality_rate" ? 0.75 : null);

    public Task<(double EmittedT, double NeutralisedT)?> NeutralityAsync(string park, DateOnly from, DateOnly to, CancellationToken ct) =>
        Task.FromResult<(double, double)?>((600.0, 700 * 0.5366 + 50.0));
}

/// <summary>
/// Alert rules, lifecycle and notifications over <see cref="PlanTestPark"/> (daily meters 2024-01-01 .. 2025-06-30; b2_in 1,800 kWh/day
/// in May 2025 instead of 1,400; b1_chiller 300 instead of 200 in June 2025; gas from 2025 only), on SQLite and PostgreSQL.
/// </summary>
public abstract class AlertSuite : IAsyncLifetime
{
    private const string Park = PlanTestPark.Park;
    private static readonly TimeSpan Cst = TimeSpan.FromHours(8);

    protected ZeroParkStore Store { get; private set; } = null!;
    private readonly FakeClock _clock = new(new DateTimeOffset(2025, 7, 1, 12, 0, 0, TimeSpan.FromHours(8)));
    private AlertEngine Engine { get; set; } = null!;

    protected abstract string NewDatabase();

    public async Task InitializeAsync()
    {
        Store = await ZeroParkStore.OpenAsync(NewDatabase(), _clock);
        await PlanTestPark.SeedAsync(Store);
        Engine = new AlertEngine(Store, new EnergyService(Store), new EnergyPlanService(Store), new CarbonService(Store), new Wc33Targets());
    }

    public async Task DisposeAsync() => await Store.DisposeAsync();

    private static DateTimeOffset T(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) => new(y, mo, d, h, mi, s, Cst);

    private async Task<IReadOnlyList<Alert>> EvalAsync(DateTimeOffset at, params string[] kinds)
    {
        _clock.Now = at;
        return await Engine.EvaluateAsync(Park, at, kinds.Length == 0 ? null : kinds);
    }

    [Fact]
    public async Task A_new_park_gets_the_default_rules_once()
    {
        var rules = await Store.Alerts.RulesAsync(Park);
        Assert.Equal(AlertRuleKinds.Defaults().Count, rules.Count);
        Assert.Contains(rules, r => r.Code == "monthly-targets" && r.Kind == "monthly_target");
        await Store.Alerts.DeleteRuleAsync(Park, "pue-daily", "tester");
        Assert.Equal(rules.Count - 1, (await Store.Alerts.RulesAsync(Park)).Count);   // not re-installed
        var ex = await Assert.ThrowsAsync<ValidationException>(() => Store.Alerts.CreateRuleAsync(Park, new AlertRuleDraft("x", "kpi", Params: new Dictionary<string, string> { ["kpi"] = "pue" }), "t"));
        Assert.Equal("params.limit", ex.Field);
        ex = await Assert.ThrowsAsync<ValidationException>(() => Store.Alerts.CreateRuleAsync(Park,
            new AlertRuleDraft("x", "kpi", Params: new Dictionary<string, string> { ["limit"] = "1.4", ["clear"] = "1.5" }), "t"));
        Assert.Equal("params.clear", ex.Field);
        await Assert.ThrowsAsync<ConflictException>(() => Store.Alerts.CreateRuleAsync(Park, new AlertRuleDraft("meter-offline", "offline"), "t"));
    }

    [Fact]
    public async Task Deviation_from_normal_alerts_once_and_never_compares_missing_months_as_zero()
    {
        // Evaluated on 2025-06-01: May 2025 against the mean of Feb–Apr 2025 (daily averages).
        // b2_in: 1,800 kWh/day vs normal (1,400 + 1,400 + 1,400) / 3 = 1,400 → (1,800 − 1,400) / 1,400 = +28.57 % ≥ 10 % → alert.
        // Grid electricity as an emission source: facility_input b1 1,300 + b2 1,800 + b3 676 = 3,776 kWh/day vs 3,376 in Feb–Apr
        // → (3,776 − 3,376) / 3,376 = +11.85 % → alert (the factor cancels out of the ratio).
        // Gas (boiler): 10 m³/day every month since 2025-01 → 0 %; its months of 2024 have no data and are not zeros.
        var raised = await EvalAsync(T(2025, 6, 1, 10), "deviation");
        Assert.Equal(["meter:b2_in", "source:purchased_electricity"], raised.Select(a => a.Subject).Order(StringComparer.Ordinal));
        var b2 = raised.Single(a => a.Subject == "meter:b2_in");
        Assert.Equal(("meter-deviation", "2025-05", "open", "warning"), (b2.Rule, b2.Period, b2.Status, b2.Severity));
        Assert.Equal(1800, b2.Value!.Value, 6);
        Assert.Equal(1400, b2.Normal!.Value, 6);
        Assert.Contains("+28.57 %", b2.Message);
        Assert.Contains("mean of the same period over the last 3 periods", b2.Details);
        var grid = raised.Single(a => a.Subject == "source:purchased_electricity");
        Assert.Equal((3776 - 3376) / 3376.0, grid.Value!.Value / grid.Normal!.Value - 1, 6);
        Assert.Contains("+11.85 %", grid.Message);

        // Again at the same instant, and later the same month: nothing new.
        Assert.Empty(await EvalAsync(T(2025, 6, 1, 10), "deviation"));
        Assert.Empty(await EvalAsync(T(2025, 6, 20, 10), "deviation"));

        // 2025-02-01 checks January: gas starts in January (no earlier month with data → no normal value → no alert, not "+∞ %").
        Assert.Empty(await EvalAsync(T(2025, 2, 1, 10), "deviation"));
        // 2025-08-01 checks July: no readings at all → not compared, never "−100 %".
        Assert.Empty(await EvalAsync(T(2025, 8, 1, 10), "deviation"));
        // 2025-07-01 checks June: b1_chiller 300 vs 200 kWh/day → +50 %; b2_in 1,400 vs (1,400 + 1,400 + 1,800) / 3 = 1,533.33 → −8.7 %: no alert.
        var july = await EvalAsync(T(2025, 7, 1, 10), "deviation");
        Assert.Equal(["meter:b1_chiller"], july.Select(a => a.Subject));
        Assert.Contains("+50 %", july[0].Message);
    }

    [Fact]
    public async Task A_seasonal_rule_compares_the_same_month_of_the_year_before()
    {
        // May 2025 vs May 2024 (n = 1): b1_in 1,300 vs 1,400 = −7.14 %, b3_in 676 vs 700 = −3.43 %, b1_tx 1,270 vs 1,370 = −7.3 %: no alert;
        // b2_in 1,800 vs 1,400 = +28.57 % → alert; gas has no May 2024 (before metering) → not compared.
        await Store.Alerts.CreateRuleAsync(Park, new AlertRuleDraft("yoy", "deviation", "same month last year",
            new Dictionary<string, string> { ["scope"] = "meters", ["baseline"] = "last_year", ["n"] = "1" }), "tester");
        var raised = (await EvalAsync(T(2025, 6, 1, 10), "deviation")).Where(a => a.Rule == "yoy").ToList();
        var b2 = Assert.Single(raised);
        Assert.Equal(("meter:b2_in", "2025-05"), (b2.Subject, b2.Period));
        Assert.Contains("2024-05=1400", b2.Details);
        var ex = await Assert.ThrowsAsync<ValidationException>(() => Store.Alerts.CreateRuleAsync(Park, new AlertRuleDraft("yoy-day", "deviation",
            Params: new Dictionary<string, string> { ["period"] = "day", ["baseline"] = "last_year" }), "tester"));
        Assert.Equal("params.baseline", ex.Field);
    }

    [Fact]
    public async Task Kpi_threshold_waits_for_the_duration_and_clears_with_hysteresis()
    {
        // b2 PUE = b2_in / (b2_it1 + b2_it2) = 1,400 / 1,000 = 1.4 (not above 1.4) until April, 1,800 / 1,000 = 1.8 in May.
        await Store.Alerts.CreateRuleAsync(Park, new AlertRuleDraft("b2-pue", "kpi", "b2 PUE", new Dictionary<string, string>
            { ["kpi"] = "pue", ["node"] = "b2", ["limit"] = "1.4", ["clear"] = "1.35", ["for"] = "3" }), "tester");
        await Store.Alerts.CreateRuleAsync(Park, new AlertRuleDraft("b2-pue-nohyst", "kpi", "b2 PUE, no hysteresis", new Dictionary<string, string>
            { ["kpi"] = "pue", ["node"] = "b2", ["limit"] = "1.4", ["for"] = "3" }), "tester");
        // 2025-05-03 10:00: only 05-01 and 05-02 are complete days → 2 < 3 days → nothing.
        Assert.DoesNotContain(await EvalAsync(T(2025, 5, 3, 10), "kpi"), a => a.Rule.StartsWith("b2-", StringComparison.Ordinal));
        // 2025-05-04: 05-01..05-03 above 1.4 → raised by both rules, period = the episode's first day.
        var raised = (await EvalAsync(T(2025, 5, 4, 10), "kpi")).Where(a => a.Rule.StartsWith("b2-", StringComparison.Ordinal)).ToList();
        Assert.Equal([("b2-pue", "kpi:pue@b2", "2025-05-01"), ("b2-pue-nohyst", "kpi:pue@b2", "2025-05-01")],
            raised.Select(a => (a.Rule, a.Subject, a.Period)).Order());
        Assert.Equal(1.8, raised[0].Value!.Value, 9);
        // Two weeks later the 14-day window starts after 05-01: still the same episode, no second alert.
        Assert.DoesNotContain(await EvalAsync(T(2025, 5, 25, 10), "kpi"), a => a.Rule.StartsWith("b2-", StringComparison.Ordinal));
        // 2025-06-05: June is back to 1.4 — cleared without hysteresis (≤ 1.4), still open with it (1.4 > 1.35).
        await EvalAsync(T(2025, 6, 5, 10), "kpi");
        var alerts = (await Store.Alerts.AlertsAsync(Park, new AlertFilter(Kind: "kpi"))).Where(a => a.Rule.StartsWith("b2-", StringComparison.Ordinal)).ToDictionary(a => a.Rule);
        Assert.Equal(("resolved", "system", "condition cleared"), (alerts["b2-pue-nohyst"].Status, alerts["b2-pue-nohyst"].ResolvedBy, alerts["b2-pue-nohyst"].Comment));
        Assert.Equal("open", alerts["b2-pue"].Status);
        Assert.Equal(2, alerts.Count);
    }

    [Fact]
    public async Task Offline_meters_alert_once_and_resolve_when_readings_come_back()
    {
        var only = new[] { "offline" };
        // Daily meters, last reading 2025-07-01 00:00 (+08); offline after 4 intervals = 4 days, i.e. after 2025-07-05 00:00.
        Assert.Empty(await EvalAsync(T(2025, 7, 5, 0, 0, 0), only));
        var raised = await EvalAsync(T(2025, 7, 5, 0, 0, 1), only);
        Assert.Equal(17, raised.Count);   // the 17 physical meters; the 2 virtual ones never are
        var b1 = raised.Single(a => a.Subject == "meter:b1_in");
        Assert.Equal(("meter-offline", "2025-07-01T00:00+08:00", "critical"), (b1.Rule, b1.Period, b1.Severity));
        Assert.Empty(await EvalAsync(T(2025, 7, 5, 1), only));
        // b1_in reports again (the day 07-01): its alert resolves at the next evaluation; the others stay open, nothing is raised twice.
        var s = await Store.Readings.IngestAsync(Park, [new RawPoint("b1_in", T(2025, 7, 2), 1300, 1)], new IngestSource("test", "tester"));
        Assert.Equal(1, s.Accepted);
        Assert.Empty(await EvalAsync(T(2025, 7, 5, 2), only));
        var all = await Store.Alerts.AlertsAsync(Park, new AlertFilter(Rule: "meter-offline"));
        Assert.Equal(("resolved", "system"), (all.Single(a => a.Subject == "meter:b1_in").Status, all.Single(a => a.Subject == "meter:b1_in").ResolvedBy));
        Assert.Equal(16, all.Count(a => a.Status == "open"));
        var (open, _) = await Store.Alerts.CountsAsync(Park);
        Assert.Equal(16, open);
    }

    [Fact]
    public async Task Monthly_targets_are_checked_on_the_first_working_day()
    {
        // Monthly electricity plan of May 2025: 100,000 kWh; actual (1,300 + 1,800 + 676) × 31 = 117,056 kWh > plan → not met.
        await Store.Plans.SetEnergyPlanAsync(Park, new PlanDraft(null, "electricity", 2025, 5, 100_000));
        // June 2025: 05-31..06-02 端午节 (06-01 a Sunday) → first working day Tuesday 06-03; due from 09:00.
        Assert.Empty(await EvalAsync(T(2025, 6, 2, 12), "monthly_target"));
        Assert.Empty(await EvalAsync(T(2025, 6, 3, 8, 59), "monthly_target"));
        var raised = await EvalAsync(T(2025, 6, 3, 9), "monthly_target");
        Assert.Equal(["target:energy_plan", "target:neutrality_rate"], raised.Select(a => a.Subject).Order(StringComparer.Ordinal));
        var plan = raised.Single(a => a.Subject == "target:energy_plan");
        Assert.Equal(("2025-05", 117_056.0, 100_000.0), (plan.Period, Math.Round(plan.Value!.Value, 6), plan.Normal!.Value));
        // WC-33: (700 × 0.5366 + 50) / 600 = 0.709367 < 0.75.
        var rate = raised.Single(a => a.Subject == "target:neutrality_rate");
        Assert.Equal(0.709367, rate.Value!.Value, 6);
        Assert.Contains("70.9367 %", rate.Message);
        Assert.Contains("first working day 2025-06-03", rate.Message);
        Assert.Empty(await EvalAsync(T(2025, 6, 10, 9), "monthly_target"));

        // October 2025: 10-01..10-08 holidays → the September check waits for Thursday 10-09.
        Assert.Empty(await EvalAsync(T(2025, 10, 8, 10), "monthly_target"));
        var oct = await EvalAsync(T(2025, 10, 9, 9, 30), "monthly_target");
        Assert.Equal([("target:neutrality_rate", "2025-09")], oct.Select(a => (a.Subject, a.Period)));
    }

    [Fact]
    public async Task Targets_neutrality_and_expiring_instruments_come_from_the_neutrality_module()
    {
        // The application's own wiring: t14's targets (zeropark targets add … --kind neutrality_rate --every month --value 0.75) and
        // NeutralityService (the one neutrality-rate definition).
        var carbon = new CarbonService(Store);
        var engine = new AlertEngine(Store, new EnergyService(Store), new EnergyPlanService(Store), carbon,
            new NeutralityAlertTargets(Store, new ZeroPark.Application.Neutrality.NeutralityService(Store, carbon)));
        await Store.Neutrality.SetTargetAsync(Park, "neutrality_rate", "month", 0.75, "2025-01", null, "", "tester");
        // A CCER batch of 50 t expiring 2025-06-20, nothing retired.
        var ccer = await Store.Neutrality.AddInstrumentAsync(Park, new ZeroPark.Application.Neutrality.LedgerDraft
            { Kind = ZeroPark.Neutrality.OffsetKind.Ccer, Quantity = 50, Expires = new DateOnly(2025, 6, 20), Reference = "CCER-2025-001" }, "tester");
        _clock.Now = T(2025, 6, 3, 9);
        var raised = await engine.EvaluateAsync(Park, _clock.Now, ["monthly_target", "instrument_expiry"]);
        // May 2025: emissions from 117,056 kWh of grid electricity, nothing neutralised (the CCER is not retired) → rate 0 < 0.75.
        var rate = raised.Single(a => a.Subject == "target:neutrality_rate");
        Assert.Equal(("2025-05", 0.0, 0.75), (rate.Period, rate.Value!.Value, rate.Normal!.Value));
        // 2025-06-03 → 06-20 is 17 days ≤ 30.
        var exp = raised.Single(a => a.Rule == "instrument-expiry");
        Assert.Equal(($"instrument:{ccer.Id}", "2025-06-20", 50.0), (exp.Subject, exp.Period, exp.Value!.Value));
        Assert.Contains("in 17 day(s)", exp.Message);
    }

    [Fact]
    public async Task Alerts_are_acknowledged_and_resolved_with_who_and_when()
    {
        var a = (await EvalAsync(T(2025, 6, 1, 10), "deviation")).Single(x => x.Subject == "meter:b2_in");
        _clock.Now = T(2025, 6, 1, 11);
        var acked = await Store.Alerts.AcknowledgeAsync(Park, a.Id, "operator", "looking at b2");
        Assert.Equal(("acknowledged", "operator", T(2025, 6, 1, 11), "looking at b2"), (acked.Status, acked.AcknowledgedBy, acked.AcknowledgedAt, acked.Comment));
        await Assert.ThrowsAsync<ConflictException>(() => Store.Alerts.AcknowledgeAsync(Park, a.Id, "operator", null));
        var ex = await Assert.ThrowsAsync<ValidationException>(() => Store.Alerts.ResolveAsync(Park, a.Id, "operator", " "));
        Assert.Equal("comment", ex.Field);
        _clock.Now = T(2025, 6, 2, 9);
        var done = await Store.Alerts.ResolveAsync(Park, a.Id, "manager", "load moved from b1 on purpose");
        Assert.Equal(("resolved", "manager", T(2025, 6, 2, 9)), (done.Status, done.ResolvedBy, done.ResolvedAt));
        var audit = (await Store.Audit.AuditLogAsync(Park)).Where(x => x.Entity == "alert").Select(x => (x.Action, x.User)).ToList();
        Assert.Equal([("resolve", "manager"), ("acknowledge", "operator")], audit);
        // A resolved alert is not raised again for the same rule, subject and period.
        Assert.Empty(await EvalAsync(T(2025, 6, 1, 10), "deviation"));
        Assert.Single(await Store.Alerts.AlertsAsync(Park, new AlertFilter(Status: "resolved")));
    }

    [Fact]
    public async Task The_worker_evaluates_on_its_clock_and_data_rules_after_an_ingest()
    {
        var worker = new AlertWorker(Store, Engine, new AlertSender(Store, _clock), _clock) { FullEvery = TimeSpan.FromMinutes(15) };
        // 2025-07-05 00:00:01: the first step evaluates everything (17 meters offline, June's deviations, …).
        _clock.Now = T(2025, 7, 5, 0, 0, 1);
        var first = await worker.StepAsync();
        Assert.Equal((1, 0), (first.FullEvaluations, first.DataEvaluations));
        Assert.Empty(first.Errors);
        Assert.Equal(17, (await Store.Alerts.AlertsAsync(Park, new AlertFilter(Rule: "meter-offline"))).Count);
        // Five minutes later, nothing ingested: nothing evaluated.
        _clock.Now = T(2025, 7, 5, 0, 5);
        Assert.Equal((0, 0, 0), ((await worker.StepAsync()) is var s1 ? (s1.FullEvaluations, s1.DataEvaluations, s1.Raised) : default));
        // b1_in reports: the next step runs the data rules only (the ingest itself just wrote its log row), which resolves b1_in's alert.
        await Store.Readings.IngestAsync(Park, [new RawPoint("b1_in", T(2025, 7, 2), 1300, 1)], new IngestSource("test", "tester"));
        _clock.Now = T(2025, 7, 5, 0, 6);
        var s2 = await worker.StepAsync();
        Assert.Equal((0, 1), (s2.FullEvaluations, s2.DataEvaluations));
        Assert.Equal("resolved", (await Store.Alerts.AlertsAsync(Park, new AlertFilter(Rule: "meter-offline"))).Single(a => a.Subject == "meter:b1_in").Status);
        // 15 minutes after the first full evaluation, the next one.
        _clock.Now = T(2025, 7, 5, 0, 15, 1);
        Assert.Equal(1, (await worker.StepAsync()).FullEvaluations);
    }

    [Fact]
    public async Task A_recorded_history_is_evaluated_as_of_its_end_by_the_worker_until_it_is_switched_to_live()
    {
        var worker = new AlertWorker(Store, Engine, new AlertSender(Store, _clock), _clock) { FullEvery = TimeSpan.FromMinutes(15) };
        // The server runs months after the park's data ends (as it does on the demo); the park is marked as a history ending 07-05.
        var asOf = T(2025, 7, 5, 0, 0, 1);
        _clock.Now = T(2026, 3, 1, 9);
        Assert.Null(await Store.Alerts.EvaluateAsOfAsync(Park));
        await Store.Alerts.SetEvaluateAsOfAsync(Park, asOf, "admin");
        Assert.Equal(asOf, await Store.Alerts.EvaluateAsOfAsync(Park));
        var first = await worker.StepAsync();
        Assert.Equal(1, first.FullEvaluations);
        // The same 17 offline meters as a live evaluation at 07-05 00:00:01 finds (the worker test above), and nothing raised later.
        var alerts = await Store.Alerts.AlertsAsync(Park, new AlertFilter(Limit: 5000));
        Assert.Equal(17, alerts.Count(a => a.Rule == "meter-offline"));
        Assert.All(alerts, a => Assert.True(a.RaisedAt <= asOf, $"{a.Rule} {a.Subject} raised at {a.RaisedAt}"));
        Assert.Contains(await Store.Audit.AuditLogAsync(Park), x => x.Entity == "alert_evaluation" && x.User == "admin");
        // Live again: the next full evaluation runs at the server's time and finds what happened (nothing) since.
        await Store.Alerts.SetEvaluateAsOfAsync(Park, null, "admin");
        Assert.Null(await Store.Alerts.EvaluateAsOfAsync(Park));
        _clock.Now = T(2026, 3, 1, 9, 16);
        Assert.True((await worker.StepAsync()).Raised > 0);
        Assert.Contains(await Store.Alerts.AlertsAsync(Park, new AlertFilter(Limit: 5000)), a => a.RaisedAt > asOf);
    }

    [Fact]
    public async Task A_rule_is_tested_against_history_without_recording()
    {
        var rule = await Store.Alerts.RuleAsync(Park, "meter-deviation");
        var (found, _) = await Engine.TestAsync(Park, rule, new DateOnly(2025, 5, 1), new DateOnly(2025, 7, 31));
        // May's check runs at the end of 05-31 (= 06-01 00:00), June's at the end of 06-30.
        Assert.Equal([(T(2025, 6, 1), "meter:b2_in", "2025-05"), (T(2025, 7, 1), "meter:b1_chiller", "2025-06")],
            found.Select(f => (f.At, f.Finding.Subject, f.Finding.Period)));
        Assert.Empty(await Store.Alerts.AlertsAsync(Park));
    }

    [Fact]
    public async Task Webhooks_are_signed_retried_after_a_failure_and_kept_quiet_at_night()
    {
        using var hook = new LocalHttpListener();
        await Store.Alerts.SetChannelAsync(Park, new AlertChannelDraft("ops-hook", "webhook", hook.Url + "hook", Secret: "s3cret"), "tester");
        await Store.Alerts.SetChannelAsync(Park, new AlertChannelDraft("night", "webhook", hook.Url + "night", QuietFrom: 22, QuietTo: 7, MinSeverity: "warning"), "tester");
        var sender = new AlertSender(Store, _clock);
        // The first delivery fails (HTTP 500): the failure is recorded and retried a minute later.
        hook.Status = 500;
        var raised = await EvalAsync(T(2025, 6, 1, 23), "deviation");
        Assert.Equal(2, raised.Count);
        var (sent, failed) = await sender.SendDueAsync();
        Assert.Equal((0, 2), (sent, failed));   // two alerts to ops-hook; "night" waits for 07:00
        var ch = (await Store.Alerts.ChannelsAsync(Park)).ToDictionary(c => c.Code);
        Assert.Equal((2, 0, "HttpRequestException: HTTP 500 from the webhook"), (ch["ops-hook"].Pending, ch["ops-hook"].Failed, ch["ops-hook"].LastError));
        Assert.Equal(2, ch["night"].Pending);
        hook.Status = 200;
        _clock.Now = T(2025, 6, 1, 23, 0, 59);
        Assert.Equal((0, 0), await sender.SendDueAsync());   // back-off: not before a minute
        _clock.Now = T(2025, 6, 1, 23, 1);
        Assert.Equal((2, 0), await sender.SendDueAsync());
        var received = hook.Requests.Where(r => r.Path == "/hook" && r.Status == 200).ToList();
        Assert.Equal(2, received.Count);
        foreach (var r in received)
        {
            // sha256 = HMAC-SHA256("s3cret", timestamp + "." + body), recomputed here from the raw request.
            var expected = "sha256=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes("s3cret"),
                Encoding.UTF8.GetBytes(r.Headers["X-ZeroPark-Timestamp"] + "." + r.Body)));
            Assert.Equal(expected, r.Headers["X-ZeroPark-Signature"]);
            Assert.Matches("\"rule\":\"(meter|source)-deviation\"", r.Body);
        }
        // Quiet hours 22–7 (park time): the "night" channel gets its messages at 07:00.
        _clock.Now = T(2025, 6, 2, 6, 59);
        Assert.Equal((0, 0), await sender.SendDueAsync());
        _clock.Now = T(2025, 6, 2, 7);
        Assert.Equal((2, 0), await sender.SendDueAsync());
        Assert.Equal(2, hook.Requests.Count(r => r.Path == "/night"));
        Assert.All((await Store.Alerts.AlertsAsync(Park)), a => Assert.Equal(2, a.NotifyCount));
    }

    [Fact]
    public async Task DingTalk_and_WeCom_robots_get_their_message_format()
    {
        using var hook = new LocalHttpListener { Answer = "{\"errcode\":0,\"errmsg\":\"ok\"}" };
        await Store.Alerts.SetChannelAsync(Park, new AlertChannelDraft("ding", "dingtalk", hook.Url + "robot/send?access_token=abc", Secret: "SECxyz"), "tester");
        await Store.Alerts.SetChannelAsync(Park, new AlertChannelDraft("wecom", "wecom", hook.Url + "cgi-bin/webhook/send?key=k1"), "tester");
        await EvalAsync(T(2025, 7, 1, 10), "deviation");   // one alert: b1_chiller 2025-06
        var sender = new AlertSender(Store, _clock);
        Assert.Equal((2, 0), await sender.SendDueAsync());
        var ding = hook.Requests.Single(r => r.Path == "/robot/send");
        // 加签: sign = Base64(HMAC-SHA256(secret, timestamp_ms + "\n" + secret)), URL-encoded.
        var q = System.Web.HttpUtility.ParseQueryString(ding.Query);
        Assert.Equal(_clock.Now.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), q["timestamp"]);
        Assert.Equal(Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes("SECxyz"), Encoding.UTF8.GetBytes(q["timestamp"] + "\nSECxyz"))), q["sign"]);
        using var doc = System.Text.Json.JsonDocument.Parse(ding.Body);
        Assert.Equal("text", doc.RootElement.GetProperty("msgtype").GetString());
        Assert.Contains("meter:b1_chiller", doc.RootElement.GetProperty("text").GetProperty("content").GetString());
        var wecom = hook.Requests.Single(r => r.Path == "/cgi-bin/webhook/send");
        Assert.Equal("?key=k1", wecom.Query);
        Assert.Contains("\"msgtype\":\"text\"", wecom.Body, StringComparison.Ordinal);
        // A robot that refuses (errcode ≠ 0, e.g. a wrong signature) is a failure, retried later.
        using var refusing = new LocalHttpListener { Answer = "{\"errcode\":310000,\"errmsg\":\"sign not match\"}" };
        await Store.Alerts.SetChannelAsync(Park, new AlertChannelDraft("ding2", "dingtalk", refusing.Url + "robot/send?access_token=zzz"), "tester");
        await Store.Alerts.UpdateRuleAsync(Park, "meter-deviation", new AlertRuleDraft(null, null, RenotifyMinutes: 60), "tester");
        _clock.Now = T(2025, 7, 1, 11, 1);
        await EvalAsync(_clock.Now, "deviation");   // 61 min open and unacknowledged → re-notified on every channel
        var (_, failed) = await sender.SendDueAsync();
        Assert.Equal(1, failed);
        Assert.Contains("sign not match", (await Store.Alerts.ChannelsAsync(Park)).Single(c => c.Code == "ding2").LastError);
        Assert.Equal(["raised", "raised", "renotify", "renotify", "renotify"], (await Store.Alerts.OutboxAsync(Park)).Select(o => o.Event).Order());
    }
}

public sealed class SqliteAlertSuite : AlertSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

public sealed class PostgresAlertSuite : AlertSuite
{
    protected override string NewDatabase() => TestDatabases.NewPostgresDatabase();
}

/// <summary>An HTTP listener on 127.0.0.1 (a free port) that records every request and answers with <see cref="Status"/> and <see cref="Answer"/>.</summary>
internal sealed class LocalHttpListener : IDisposable
{
    public sealed record Request(string Path, string Query, string Body, Dictionary<string, string> Headers, int Status);

    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly List<Request> _requests = [];

    public int Status { get; set; } = 200;
    public string Answer { get; set; } = "{}";
    public string Url { get; }

    public IReadOnlyList<Request> Requests { get { lock (_requests) return _requests.ToList(); } }

    public LocalHttpListener()
    {
        var port = FreePort();
        Url = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    internal static int FreePort()
    {
        using var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync(); }
            catch (Exception) when (_stop.IsCancellationRequested) { return; }
            catch (HttpListenerException) { return; }
            catch (ObjectDisposedException) { return; }
            using var reader = new StreamReader(ctx.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var status = Status;
            lock (_requests)
                _requests.Add(new Request(ctx.Request.Url!.AbsolutePath, ctx.Request.Url.Query, body,
                    ctx.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => ctx.Request.Headers[k]!), status));
            ctx.Response.StatusCode = status;
            var bytes = Encoding.UTF8.GetBytes(Answer);
            ctx.Response.ContentType = "application/json";
            await ctx.Response.OutputStream.WriteAsync(bytes);
            ctx.Response.Close();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        _stop.Dispose();
    }
}
