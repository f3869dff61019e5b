using System.Globalization;
using Dapper;
using ZeroPark.Alerts;
using ZeroPark.Application.Carbon;
using ZeroPark.Application.EnergyManagement;
using ZeroPark.Carbon;
using ZeroPark.Domain;
using ZeroPark.Metering;
using static ZeroPark.Application.Alerts.AlertRuleKinds;

namespace ZeroPark.Application.Alerts;

/// <summary>A finding of a rule tested against history, with the instant the rule would have raised it.</summary>
public sealed record HistoryFinding(DateTimeOffset At, Finding Finding);

/// <summary>
/// Evaluates a park's rules as of an instant (the park's local calendar decides periods and the first working day) and records the
/// outcome through <see cref="AlertStore"/>: new alerts (once per rule, subject and period), automatic resolution, notifications in the
/// outbox. Also tests a rule against history without recording anything. The figures come from the existing services: series and
/// data quality from <c>store.Queries</c>, KPIs from <see cref="EnergyService"/> (one definition per KPI), plans from
/// <see cref="EnergyPlanService"/>, emissions from <see cref="CarbonService"/>, targets from <see cref="IAlertTargets"/>.
/// </summary>
public sealed class AlertEngine(ZeroParkStore store, EnergyService energy, EnergyPlanService plans, CarbonService carbon, IAlertTargets targets)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The rules kinds that watch data (evaluated again right after an ingest).</summary>
    public static readonly string[] DataKinds = ["offline", "completeness", "reset_suspect", "import_refused"];

    private AlertStore Alerts => store.Alerts;

    /// <summary>Evaluates every enabled rule of the park (or only those of <paramref name="kinds"/>) as of <paramref name="at"/> and
    /// returns the alerts this evaluation raised (none the second time at the same instant).</summary>
    public async Task<IReadOnlyList<Alert>> EvaluateAsync(string park, DateTimeOffset at, IReadOnlyCollection<string>? kinds = null, CancellationToken ct = default)
    {
        var rules = await Alerts.RulesAsync(park, ct);
        var reg = await store.Registry.GetRegistryAsync(park, ct);
        var calendar = await Alerts.CalendarAsync(ct);
        var raised = new List<Alert>();
        foreach (var rule in rules.Where(r => r.Enabled && (kinds is null || kinds.Contains(r.Kind))))
        {
            var outcome = await RunAsync(reg, rule, at, calendar, null, ct);
            raised.AddRange(await Alerts.RecordAsync(reg, rule, outcome, at, ct));
        }
        return raised;
    }

    /// <summary>What a rule would have raised between two local dates ("what would this rule have raised last month"): the rule is
    /// evaluated at the end of every day (threshold rules once, over the whole range) and nothing is recorded. Data rules that watch
    /// a current state (offline, suspected resets) are evaluated once, at the end of the range, over today's state.</summary>
    public async Task<(IReadOnlyList<HistoryFinding> Findings, IReadOnlyList<string> Notes)> TestAsync(string park, AlertRule rule, DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        if (to < from) throw new ValidationException("to", "'to' is before 'from'");
        if (to.DayNumber - from.DayNumber > 366) throw new ValidationException("to", "test at most one year at a time");
        var reg = await store.Registry.GetRegistryAsync(park, ct);
        var calendar = await Alerts.CalendarAsync(ct);
        var clock = reg.Clock;
        var seen = new HashSet<(string, string)>();
        var found = new List<HistoryFinding>();
        var notes = new List<string>();
        async Task At(DateTimeOffset at, int? lookback)
        {
            var o = await RunAsync(reg, rule, at, calendar, lookback, ct);
            if (o.Note is { } n && !notes.Contains(n)) notes.Add(n);
            foreach (var f in o.Findings.Where(f => seen.Add((f.Subject, f.Period)))) found.Add(new HistoryFinding(at, f));
        }
        var end = clock.ToLocalOffset(clock.StartOfDay(to.AddDays(1)));
        switch (rule.Kind)
        {
            case "kpi":
            case "series":
                {
                    var g = rule.Kind == "kpi" ? (rule.Params["by"] == "month" ? "month" : "day") : rule.Params["granularity"];
                    var buckets = g switch
                    {
                        "month" => (to.Year * 12 + to.Month) - (from.Year * 12 + from.Month) + 1,
                        "day" => to.DayNumber - from.DayNumber + 1,
                        "hour" => (to.DayNumber - from.DayNumber + 1) * 24,
                        _ => (to.DayNumber - from.DayNumber + 1) * 96,
                    };
                    await At(end, buckets);
                    break;
                }
            case "offline":
            case "reset_suspect":
                await At(end, null);
                notes.Add("offline and suspected resets are current states: tested once, over the data as it is now");
                break;
            default:
                for (var d = from; d <= to; d = d.AddDays(1))
                    await At(clock.ToLocalOffset(clock.StartOfDay(d.AddDays(1))), null);
                break;
        }
        return (found, notes);
    }

    private async Task<RuleOutcome> RunAsync(ParkRegistry reg, AlertRule rule, DateTimeOffset at, ZeroPark.Calendar.WorkingDayCalendar calendar, int? lookback, CancellationToken ct)
    {
        var p = rule.Params;
        return rule.Kind switch
        {
            "deviation" => await DeviationAsync(reg, p, at, ct),
            "kpi" => await KpiAsync(reg, p, at, lookback, ct),
            "series" => await SeriesAsync(reg, p, at, lookback, ct),
            "offline" => await OfflineAsync(reg, p, at, ct),
            "completeness" => await CompletenessAsync(reg, p, at, ct),
            "reset_suspect" => await ResetsAsync(reg, ct),
            "import_refused" => await RefusedAsync(reg, at, ct),
            "instrument_expiry" => await ExpiryAsync(reg, p, at, ct),
            "plan_projection" => await ProjectionAsync(reg, p, at, ct),
            "monthly_target" => await MonthlyTargetAsync(reg, p, at, calendar, ct),
            _ => new RuleOutcome([], [], Note: $"unknown rule kind {rule.Kind}"),
        };
    }

    private static DateOnly LocalDate(ParkRegistry reg, DateTimeOffset at) => reg.Clock.LocalDate(at.ToUnixTimeSeconds());

    // ------------------------------------------------------------------ deviation from normal

    private async Task<RuleOutcome> DeviationAsync(ParkRegistry reg, IReadOnlyDictionary<string, string> p, DateTimeOffset at, CancellationToken ct)
    {
        var monthly = p["period"] == "month";
        var n = (int)Number(p, "n", 3);
        var threshold = Number(p, "threshold", 0.1);
        var minComplete = Number(p, "min_completeness", 0.95);
        var direction = p["direction"] switch { "high" => DeviationDirection.High, "low" => DeviationDirection.Low, _ => DeviationDirection.Both };
        var today = LocalDate(reg, at);
        // The period under check is the last complete one before the instant; history = the 2n periods before it (the normal value takes
        // the last n of them that have complete data).
        var span = 2 * n + 1;
        var lastYear = p.GetValueOrDefault("baseline") == "last_year";
        DateOnly from, to;
        if (monthly)
        {
            var current = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
            from = lastYear ? current.AddYears(-n) : current.AddMonths(-(span - 1));
            to = current.AddMonths(1).AddDays(-1);
        }
        else
        {
            to = today.AddDays(-1);
            from = to.AddDays(-(span - 1));
        }
        string Label(DateOnly d) => monthly ? d.ToString("yyyy-MM", Inv) : d.ToString("yyyy-MM-dd", Inv);
        var findings = new List<Finding>();
        var checkedKeys = new List<(string, string)>();
        string? note = null;

        void Check(string subject, string unit, IReadOnlyList<PeriodValue> periods, bool producer)
        {
            // Seasonal baseline: only the same month of the years before (labels yyyy-MM end with the same month).
            if (lastYear && periods.Count > 0) periods = periods.Where(x => x.Period[^2..] == periods[^1].Period[^2..]).ToList();
            if (periods.Count == 0) return;
            var current = periods[^1];
            if (current.Value is null || current.Completeness < minComplete || current.BeforeStart) return;   // not comparable: never as zero
            var normal = Deviation.Normal(periods.Take(periods.Count - 1).ToList(), n, minComplete);
            if (normal is null || normal.Mean <= 0) return;
            var dir = direction;
            if (producer)
            {
                if (dir == DeviationDirection.High) return;
                dir = DeviationDirection.Low;
            }
            var d = Deviation.Check(current.Value.Value, normal.Mean, threshold, dir);
            checkedKeys.Add((subject, current.Period));
            if (!d.Alert) return;
            var pct = ((double)d.Deviation * 100).ToString("+0.##;-0.##", Inv);
            findings.Add(new Finding(subject, current.Period,
                $"{current.Period}: {AlertCodes.F(current.Value.Value)} {unit} is {pct} % from its normal value {AlertCodes.F(normal.Mean)} {unit} (threshold ±{AlertCodes.F(threshold * 100)} %)",
                current.Value, normal.Mean, normal.Definition + (normal.Skipped.Count > 0 ? "; not used: " + string.Join(", ", normal.Skipped) : "")));
        }

        // Months are compared as daily averages (the month's total ÷ its days), so that February is not 10 % "low" for having 28 days.
        double? PerDay(double? v, DateOnly start) => v is { } x && monthly ? x / DateTime.DaysInMonth(start.Year, start.Month) : v;

        List<PeriodValue> FromSeries(SeriesResult s, Func<DateOnly, string> label, ParkClock clock)
        {
            var list = new List<PeriodValue>();
            var started = false;
            foreach (var b in s.Buckets)
            {
                started |= b.Value is not null;
                list.Add(new PeriodValue(label(clock.LocalDate(b.Start.ToUnixTimeSeconds())), PerDay(b.Value, clock.LocalDate(b.Start.ToUnixTimeSeconds())),
                    b.Value is null ? 0 : b.Quality.Completeness, !started));
            }
            return list;
        }

        var scope = p["scope"];
        var g = monthly ? Granularity.Month : Granularity.Day;
        if (scope is "sources" || scope.StartsWith("source:", StringComparison.Ordinal))
        {
            if (!monthly) return new RuleOutcome([], [], Note: "emission sources are compared by month");
            var months = await carbon.SourceMonthsAsync(reg.Park.Code, null, from, to, AccountingMethod.Ghgp, GwpSet.AR6, null, ct);
            foreach (var group in months.GroupBy(m => m.Source).Where(gp => scope == "sources" || scope == "source:" + gp.Key))
            {
                var started = false;
                var periods = group.OrderBy(m => m.Month).Select(m =>
                {
                    started |= m.Tonnes is not null;
                    return new PeriodValue(Label(m.Month), PerDay(m.Tonnes, m.Month), m.Tonnes is null ? 0 : m.Completeness, !started);
                }).ToList();
                Check("source:" + group.Key, "tCO2e/day", periods, false);
            }
        }
        else if (scope == "meters")
        {
            var meters = reg.MetersById.Values.Where(m => !m.IsVirtual && !m.IsInstantaneous && m.Role != MeterRole.Check).OrderBy(m => m.Code, StringComparer.Ordinal).ToList();
            var series = await store.Queries.MeterSeriesAsync(reg.Park.Code, meters.Select(m => m.Code).ToList(), from, to, g, ct);
            foreach (var m in meters)
                Check("meter:" + m.Code, m.CanonicalUnit + (monthly ? "/day" : ""), FromSeries(series[m.Code], Label, reg.Clock), DeviceAnalysisService.IsProducer(m));
        }
        else if (scope.StartsWith("meter:", StringComparison.Ordinal))
        {
            var m = reg.Meter(scope["meter:".Length..]);
            var s = await store.Queries.SeriesAsync(reg.Park.Code, SeriesTarget.Meter(m.Code), from, to, g, ct);
            Check(scope, s.Unit + (monthly ? "/day" : ""), FromSeries(s, Label, reg.Clock), DeviceAnalysisService.IsProducer(m));
        }
        else
        {
            var parts = scope["node:".Length..].Split(':', 2);
            var space = parts[0] == reg.Park.Code || parts[0].Length == 0 ? null : parts[0];
            string? system = null;
            MeterRole? role = null;
            if (parts.Length > 1)
            {
                if (Codes.TryRole(parts[1], out var r)) role = r;
                else system = parts[1];
            }
            var s = await store.Queries.SeriesAsync(reg.Park.Code, SeriesTarget.Node(space, system, role), from, to, g, ct);
            Check(scope, s.Unit + (monthly ? "/day" : ""), FromSeries(s, Label, reg.Clock), role is MeterRole.RenewableOnsite or MeterRole.Export);
        }
        return new RuleOutcome(findings, checkedKeys, Note: note);
    }

    // ------------------------------------------------------------------ thresholds with duration and hysteresis

    private static RuleOutcome Episodes(string subject, string what, string unit, IReadOnlyDictionary<string, string> p, IReadOnlyList<ThresholdPoint> points, Func<DateTimeOffset, string> label,
        DateTimeOffset at)
    {
        var above = p["op"] == ">";
        var limit = Number(p, "limit");
        var clear = p.ContainsKey("clear") ? Number(p, "clear") : limit;
        var duration = (int)Number(p, "for", 1);
        var findings = new List<Finding>();
        var checkedKeys = new List<(string, string)>();
        foreach (var e in Threshold.Episodes(points.Where(x => x.End <= at).ToList(), above, limit, clear, duration))
        {
            var period = label(e.From);
            checkedKeys.Add((subject, period));
            if (e.ClearedAt is not null) continue;
            findings.Add(new Finding(subject, period,
                $"{what} {p["op"]} {AlertCodes.F(limit)}{unit} for {e.Buckets} bucket(s) since {period} (peak {AlertCodes.F(e.Peak)}{unit}, clears at {(above ? "≤" : "≥")} {AlertCodes.F(clear)}{unit})",
                e.Peak, limit, $"raised at {e.RaisedAt:yyyy-MM-dd'T'HH:mmzzz}; limit {AlertCodes.F(limit)}, clear {AlertCodes.F(clear)}, duration {duration} bucket(s)"));
        }
        // Every subject looked at is checked: an open alert of a subject with no active episode has cleared.
        if (points.Any(x => x.End <= at && x.Value is not null)) checkedKeys.Add((subject, ""));
        return new RuleOutcome(findings, checkedKeys, OnePerSubject: true);
    }

    private async Task<RuleOutcome> KpiAsync(ParkRegistry reg, IReadOnlyDictionary<string, string> p, DateTimeOffset at, int? lookback, CancellationToken ct)
    {
        var kpi = p["kpi"];
        var monthly = p["by"] == "month";
        var n = lookback ?? (int)Number(p, "lookback", 14);
        var today = LocalDate(reg, at);
        DateOnly from = monthly ? new DateOnly(today.Year, today.Month, 1).AddMonths(-n) : today.AddDays(-n);
        var to = today.AddDays(-1);
        if (to < from) return new RuleOutcome([], []);
        var node = p.GetValueOrDefault("node");
        var rows = await energy.KpiAsync(reg.Park.Code, node, from, to, monthly ? EnergyBucketing.Month : EnergyBucketing.Day, ct);
        double? Value(KpiRow r)
        {
            // A bucket with incomplete data is not judged (neither raises nor clears).
            if (r.Completeness < 0.9) return null;
            var k = r.Kpis;
            return kpi switch
            {
                "pue" => k.Pue,
                "wue" => k.Wue,
                "clf" => k.Clf,
                "plf" => k.Plf,
                "alf" => k.Alf,
                "cue" => k.Cue,
                // The breakdown's cooling share: E_cooling / E_DC (both from the same KPI inputs).
                _ => k.Inputs.Cooling is { } c && k.Total is { } t && t.KilowattHours > 0 ? c.KilowattHours / t.KilowattHours : null,
            };
        }
        var points = rows.Select(r => new ThresholdPoint(r.Start, r.End, Value(r))).ToList();
        var subject = $"kpi:{kpi}@{node ?? reg.Park.Code}";
        return Episodes(subject, kpi == "cooling_share" ? "E_cooling/E_DC" : kpi.ToUpperInvariant(), "", p, points,
            t => monthly ? t.ToString("yyyy-MM", Inv) : t.ToString("yyyy-MM-dd", Inv), at);
    }

    private async Task<RuleOutcome> SeriesAsync(ParkRegistry reg, IReadOnlyDictionary<string, string> p, DateTimeOffset at, int? lookback, CancellationToken ct)
    {
        var m = reg.Meter(p["meter"]);
        var g = p["granularity"] switch { "15min" => Granularity.QuarterHour, "day" => Granularity.Day, _ => Granularity.Hour };
        var n = lookback ?? (int)Number(p, "lookback", 96);
        var perDay = g switch { Granularity.QuarterHour => 96, Granularity.Hour => 24, _ => 1 };
        var today = LocalDate(reg, at);
        var from = today.AddDays(-(int)Math.Ceiling((double)n / perDay));
        if (g == Granularity.QuarterHour && today.DayNumber - from.DayNumber > 30) from = today.AddDays(-30);
        var s = await store.Queries.SeriesAsync(reg.Park.Code, SeriesTarget.Meter(m.Code), from, today, g, ct);
        var points = s.Buckets.Select(b => new ThresholdPoint(b.Start, b.End, b.Value)).ToList();
        return Episodes("meter:" + m.Code, m.Code, " " + s.Unit, p, points,
            t => g == Granularity.Day ? t.ToString("yyyy-MM-dd", Inv) : t.ToString("yyyy-MM-dd'T'HH:mm", Inv), at);
    }

    // ------------------------------------------------------------------ data rules

    private async Task<RuleOutcome> OfflineAsync(ParkRegistry reg, IReadOnlyDictionary<string, string> p, DateTimeOffset at, CancellationToken ct)
    {
        var n = Number(p, "intervals", 4);
        var only = p.GetValueOrDefault("meter");
        await using var c = await store.OpenConnectionAsync(ct);
        var last = (await c.QueryAsync<(long meter_id, long last_ts)>(
            "SELECT s.meter_id, s.last_ts FROM meter_state s JOIN meters m ON m.id = s.meter_id WHERE m.park_id = @p", new { p = reg.Park.Id.Value }))
            .ToDictionary(x => x.meter_id, x => x.last_ts);
        var now = at.ToUnixTimeSeconds();
        var findings = new List<Finding>();
        foreach (var m in reg.MetersById.Values.Where(m => !m.IsVirtual && (only is null || m.Code == only)).OrderBy(m => m.Code, StringComparer.Ordinal))
        {
            // A meter that never reported has not started metering: not offline.
            if (!last.TryGetValue(m.Id.Value, out var ts) || ts > now) continue;
            var allowed = n * m.Interval.TotalSeconds;
            if (now - ts <= allowed) continue;
            var since = reg.Clock.ToLocalOffset(ts);
            var hours = (now - ts) / 3600.0;
            findings.Add(new Finding("meter:" + m.Code, since.ToString("yyyy-MM-dd'T'HH:mmzzz", Inv),
                $"no reading for {hours.ToString("0.#", Inv)} h since {since:yyyy-MM-dd HH:mm} (allowed {AlertCodes.F(n)} × {m.Interval.TotalMinutes.ToString(Inv)} min)",
                hours, allowed / 3600.0, "last reading " + since.ToString("o", Inv)));
        }
        return new RuleOutcome(findings, [], ClearsAll: true);
    }

    private async Task<RuleOutcome> CompletenessAsync(ParkRegistry reg, IReadOnlyDictionary<string, string> p, DateTimeOffset at, CancellationToken ct)
    {
        var share = Number(p, "share", 0.9);
        var day = LocalDate(reg, at).AddDays(-1);
        var period = day.ToString("yyyy-MM-dd", Inv);
        var quality = await store.Queries.DataQualityAsync(reg.Park.Code, null, day, day, ct);
        var findings = new List<Finding>();
        var checkedKeys = new List<(string, string)>();
        foreach (var q in quality.Where(q => q.Expected > 0 && q.LastReadingAt is not null))
        {
            var subject = "meter:" + q.Meter;
            checkedKeys.Add((subject, period));
            if (q.CompletenessPercent / 100 >= share) continue;
            findings.Add(new Finding(subject, period,
                $"{period}: {q.Received} of {q.Expected} readings ({q.CompletenessPercent.ToString("0.#", Inv)} %), below {AlertCodes.F(share * 100)} %",
                q.CompletenessPercent / 100, share));
        }
        return new RuleOutcome(findings, checkedKeys);
    }

    private async Task<RuleOutcome> ResetsAsync(ParkRegistry reg, CancellationToken ct)
    {
        var suspects = await store.Readings.ResetSuspectsAsync(reg.Park.Code, null, ct);
        var findings = suspects.Select(s => new Finding("meter:" + s.Meter, s.At.ToString("yyyy-MM-dd'T'HH:mmzzz", Inv),
            (s.PreviousValue is { } pv ? $"register dropped from {AlertCodes.F(pv)} to {AlertCodes.F(s.Value)} at {s.At:yyyy-MM-dd HH:mm}" : $"register dropped to {AlertCodes.F(s.Value)} at {s.At:yyyy-MM-dd HH:mm}") +
            (s.Suspected == "bad_reading" ? "; the next reading came back: a bad reading?" : "; confirm it as a reset, a replacement or a bad reading"), s.Value, s.PreviousValue)).ToList();
        return new RuleOutcome(findings, [], ClearsAll: true);
    }

    private async Task<RuleOutcome> RefusedAsync(ParkRegistry reg, DateTimeOffset at, CancellationToken ct)
    {
        var now = at.ToUnixTimeSeconds();
        await using var c = await store.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(long id, long at, string source, string user_name, long accepted, long rejected)>(
            "SELECT id, at, source, user_name, accepted, rejected FROM ingest_log WHERE park_id = @p AND rejected > 0 AND at <= @now AND at > @since ORDER BY id",
            new { p = reg.Park.Id.Value, now, since = now - 7 * 86400 });
        var findings = rows.Select(r => new Finding("import:" + r.source, "ingest-" + r.id.ToString(Inv),
            $"{r.rejected} reading(s) refused and {r.accepted} accepted at {reg.Clock.ToLocalOffset(r.at):yyyy-MM-dd HH:mm} (source {r.source}, user {r.user_name})",
            r.rejected, null)).ToList();
        return new RuleOutcome(findings, []);
    }

    // ------------------------------------------------------------------ instruments and plans

    /// <summary>Instruments of the neutrality ledger (t14) with an expiry date within the next <c>days</c> and a quantity not yet retired
    /// (purchased or only allocated): use or retire them before they lapse.</summary>
    private async Task<RuleOutcome> ExpiryAsync(ParkRegistry reg, IReadOnlyDictionary<string, string> p, DateTimeOffset at, CancellationToken ct)
    {
        var days = (int)Number(p, "days", 30);
        var today = LocalDate(reg, at);
        var findings = new List<Finding>();
        var checkedKeys = new List<(string, string)>();
        foreach (var i in await store.Neutrality.InstrumentsAsync(reg.Park.Code, null, ct))
        {
            if (i.Expires is not { } expires || expires < today || expires.DayNumber - today.DayNumber > days) continue;
            var subject = $"instrument:{i.Id.ToString(Inv)}";
            var period = expires.ToString("yyyy-MM-dd", Inv);
            checkedKeys.Add((subject, period));
            var open = i.Quantity - i.RetiredQuantity;
            if (open <= 1e-9) continue;
            var left = expires.DayNumber - today.DayNumber;
            findings.Add(new Finding(subject, period,
                $"{i.Label}: {AlertCodes.F(open)} {i.Unit} of {AlertCodes.F(i.Quantity)} not retired, expires {expires:yyyy-MM-dd}, in {left} day(s)", open, i.Quantity, i.State));
        }
        return new RuleOutcome(findings, checkedKeys);
    }

    private async Task<RuleOutcome> ProjectionAsync(ParkRegistry reg, IReadOnlyDictionary<string, string> p, DateTimeOffset at, CancellationToken ct)
    {
        var asOf = LocalDate(reg, at).AddDays(-1);
        var carrier = p["carrier"];
        var margin = Number(p, "margin", 0);
        var progress = await plans.ProgressAsync(reg.Park.Code, null, carrier, asOf.Year, asOf, ct);
        var subject = $"plan:{reg.Park.Code}/{carrier}";
        var period = asOf.Year.ToString(Inv);
        if (progress.AnnualPlan is not { } plan || progress.ProjectedYearEnd is not { } projected || plan <= 0) return new RuleOutcome([], []);
        var key = new List<(string, string)> { (subject, period) };
        if (projected <= plan * (1 + margin)) return new RuleOutcome([], key);
        var pct = (projected - plan) / plan * 100;
        return new RuleOutcome([new Finding(subject, period,
            $"projected year-end {AlertCodes.F(Math.Round(projected, 1))} {progress.Unit} exceeds the annual plan {AlertCodes.F(plan)} {progress.Unit} by {pct.ToString("0.##", Inv)} % (as of {asOf:yyyy-MM-dd})",
            projected, plan, progress.ProjectionMethod)], key);
    }

    // ------------------------------------------------------------------ monthly targets on the first working day

    /// <summary>Due from <c>hour</c> o'clock of the month's first working day (China's calendar with 调休), for the month before; an
    /// evaluation later in the month catches up (the period key keeps it to one alert per check and month).</summary>
    private async Task<RuleOutcome> MonthlyTargetAsync(ParkRegistry reg, IReadOnlyDictionary<string, string> p, DateTimeOffset at, ZeroPark.Calendar.WorkingDayCalendar calendar, CancellationToken ct)
    {
        var local = reg.Clock.ToLocal(at.ToUnixTimeSeconds());
        var first = calendar.FirstWorkingDay(local.Year, local.Month);
        var due = first.ToDateTime(new TimeOnly((int)Number(p, "hour", 9), 0));
        var month = new DateOnly(local.Year, local.Month, 1).AddMonths(-1);
        var period = month.ToString("yyyy-MM", Inv);
        if (local < due) return new RuleOutcome([], [], Note: $"the check of {period} is due on {first:yyyy-MM-dd} (first working day) from {due:HH:mm}");
        var last = month.AddMonths(1).AddDays(-1);
        var findings = new List<Finding>();
        var checkedKeys = new List<(string, string)>();
        var notes = new List<string>();
        foreach (var check in p["checks"].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            TargetCheck? result = null;
            switch (check)
            {
                case "neutrality_rate":
                    {
                        var target = await targets.MonthlyTargetAsync(reg.Park.Code, check, month.Year, month.Month, ct);
                        var n = target is null ? null : await targets.NeutralityAsync(reg.Park.Code, month, last, ct);
                        if (target is null) notes.Add($"no neutrality_rate target for {period}");
                        else if (n is null) notes.Add($"no neutrality figures for {period}");
                        else result = Targets.Neutrality(period, n.Value.EmittedT, n.Value.NeutralisedT, target.Value);
                        break;
                    }
                case "emission_budget":
                    {
                        var target = await targets.MonthlyTargetAsync(reg.Park.Code, check, month.Year, month.Month, ct);
                        if (target is null) { notes.Add($"no emission_budget target for {period}"); break; }
                        var inv = await carbon.ComputeAsync(reg.Park.Code, null, month, last, AccountingMethod.Ghgp, GwpSet.AR6, null, ct);
                        result = Targets.Ceiling(check, period, inv.Totals.TotalLocationT, target.Value);
                        break;
                    }
                case "energy_plan":
                    {
                        var progress = await plans.ProgressAsync(reg.Park.Code, null, "electricity", month.Year, last, ct);
                        var row = progress.Months.FirstOrDefault(m => m.Month == month.Month);
                        if (row?.Plan is not { } plan || row.Actual is not { } actual) { notes.Add($"no monthly electricity plan or actual for {period}"); break; }
                        result = Targets.Ceiling(check, period, actual, plan);
                        break;
                    }
            }
            if (result is null) continue;
            var subject = "target:" + check;
            checkedKeys.Add((subject, period));
            if (result.Met) continue;
            var (a, t) = check == "neutrality_rate"
                ? ((result.Actual * 100).ToString("0.####", Inv) + " %", (result.Target * 100).ToString("0.####", Inv) + " %")
                : (AlertCodes.F(Math.Round(result.Actual, 3)) + (check == "energy_plan" ? " kWh" : " tCO2e"), AlertCodes.F(Math.Round(result.Target, 3)) + (check == "energy_plan" ? " kWh" : " tCO2e"));
            findings.Add(new Finding(subject, period, $"{a} against the target {result.Comparison} {t}: not met (checked on the first working day {first:yyyy-MM-dd})",
                result.Actual, result.Target));
        }
        return new RuleOutcome(findings, checkedKeys, Note: notes.Count == 0 ? null : string.Join("; ", notes));
    }
}
