using Microsoft.Extensions.DependencyInjection;
using System.CommandLine;
using System.Globalization;
using ZeroPark.Application;
using ZeroPark.Application.Alerts;
using ZeroPark.Calendar;
using ParseResult = System.CommandLine.ParseResult;

namespace ZeroPark.Cli.Alerts;

/// <summary>
/// <c>zeropark alerts evaluate|list|ack|resolve|send|outbox</c>, <c>zeropark alerts rules list|add|edit|mute|unmute|delete|test|kinds</c>,
/// <c>zeropark alerts channels list|set|delete</c> and <c>zeropark calendar list|set|import|first-working-day</c> (docs/alerts.md).
/// The contract the team's checks use: <c>zeropark alerts evaluate --db D --park P --at ISO-INSTANT --format json</c> prints the alerts
/// that evaluation raised (rule, period, message, …); evaluating again at the same instant raises nothing new.
/// </summary>
internal static class AlertCommands
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly Option<string> Db = new("--db") { Description = "SQLite file path or PostgreSQL connection string (Host=…;Database=…)", Required = true };
    private static readonly Option<string> Park = new("--park") { Description = "park code", Required = true };
    private static readonly Option<string> User = new("--user") { Description = "who does this (recorded in the audit log)", DefaultValueFactory = _ => Environment.UserName };

    private static Option<string> Format() => new("--format") { Description = "table | json", DefaultValueFactory = _ => "table" };

    public static IEnumerable<Command> Create() => [AlertsCommand(), CalendarCommand()];

    private static Task<int> WithStore(ParseResult pr, Func<ZeroParkStore, IServiceProvider, Task<int>> body) => CliApp.WithStore(pr, body, Db);

    private static DateTimeOffset Instant(string field, string? s) =>
        s is not null && DateTimeOffset.TryParse(s, Inv, DateTimeStyles.None, out var t) && (s.EndsWith('Z') || s.Contains('+', StringComparison.Ordinal) || s.LastIndexOf('-') > 9)
            ? t : throw new ValidationException(field, $"'{s}' is not an ISO 8601 instant with an offset (e.g. 2025-10-09T09:30:00+08:00)");

    private static DateOnly Date(string field, string? s) =>
        DateOnly.TryParseExact(s, "yyyy-MM-dd", Inv, DateTimeStyles.None, out var d) ? d : throw new ValidationException(field, $"'{s}' is not a date (YYYY-MM-DD)");

    private static string CheckFormat(string? f) => f is "table" or "json" ? f : throw new ValidationException("format", $"'{f}' is not table or json");

    private static Dictionary<string, string> Params(IEnumerable<string>? list)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var s in list ?? [])
        {
            var i = s.IndexOf('=', StringComparison.Ordinal);
            if (i <= 0) throw new ValidationException("param", $"'{s}' is not name=value");
            d[s[..i].Trim()] = s[(i + 1)..].Trim();
        }
        return d;
    }

    private static void WriteAlerts(string format, IReadOnlyList<Alert> alerts)
    {
        if (format == "json") { Output.WriteJson(alerts); return; }
        Output.Write("table", ["id", "rule", "subject", "period", "severity", "status", "raised_at", "message", "kpis", "accountable"],
            alerts.Select(a => new object?[] { a.Id, a.Rule, a.Subject, a.Period, a.Severity, a.Status, a.RaisedAt, a.Message, string.Join(",", a.Kpis),
                string.Join(",", a.Accountable.Select(o => o.Code)) }));
    }

    private static Command AlertsCommand()
    {
        var alerts = new Command("alerts", "alerts and notifications: evaluate the park's rules, list, acknowledge and resolve alerts, deliver notifications; rules and channels");

        var at = new Option<string>("--at") { Description = "the instant to evaluate at, ISO 8601 with offset (default: now)" };
        var kinds = new Option<string?>("--kinds") { Description = "only these rule kinds, comma-separated (e.g. offline,completeness)" };
        var evalFormat = Format();
        var evaluate = new Command("evaluate", "evaluate every enabled rule as of --at and print the alerts this evaluation raised (none again at the same instant)") { Db, Park, at, kinds, evalFormat };
        evaluate.SetAction((pr, ct) => WithStore(pr, async (store, sp) =>
        {
            var format = CheckFormat(pr.GetValue(evalFormat));
            var instant = pr.GetValue(at) is { } s ? Instant("at", s) : sp.GetRequiredService<TimeProvider>().GetUtcNow();
            var k = pr.GetValue(kinds)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var raised = await sp.GetRequiredService<AlertEngine>().EvaluateAsync(pr.GetValue(Park)!, instant, k, ct);
            WriteAlerts(format, raised);
            return 0;
        }));

        var asOfAt = new Option<string?>("--at") { Description = "evaluate the park at this instant (ISO 8601 with offset): the end of a recorded history" };
        var live = new Option<bool>("--live") { Description = "evaluate the park at the current time again" };
        var asOf = new Command("as-of", "when the server's alert loop evaluates the park: live (now), or at the end of a recorded history such as the demo; without options prints it") { Db, Park, asOfAt, live, User };
        asOf.SetAction((pr, ct) => WithStore(pr, async (store, _) =>
        {
            var parkCode = pr.GetValue(Park)!;
            if (pr.GetValue(asOfAt) is not null && pr.GetValue(live)) throw new ValidationException("at", "at: give --at or --live, not both");
            if (pr.GetValue(asOfAt) is { } a) await store.Alerts.SetEvaluateAsOfAsync(parkCode, Instant("at", a), pr.GetValue(User)!, ct);
            else if (pr.GetValue(live)) await store.Alerts.SetEvaluateAsOfAsync(parkCode, null, pr.GetValue(User)!, ct);
            var now = await store.Alerts.EvaluateAsOfAsync(parkCode, ct);
            Console.WriteLine(now is { } n ? $"{parkCode}: alerts evaluated as of {Output.Format(n)}" : $"{parkCode}: alerts evaluated live");
            return 0;
        }));

        var status = new Option<string?>("--status") { Description = "open | acknowledged | resolved" };
        var rule = new Option<string?>("--rule") { Description = "rule code" };
        var severity = new Option<string?>("--severity") { Description = "info | warning | critical" };
        var from = new Option<string?>("--from") { Description = "raised on or after this local date" };
        var to = new Option<string?>("--to") { Description = "raised on or before this local date" };
        var listFormat = Format();
        var person = new Option<string?>("--person") { Description = "only the alerts this person (code) of the governance organisation is accountable for" };
        var list = new Command("list", "alerts of the park, newest first, with their KPIs and accountable people") { Db, Park, status, rule, severity, from, to, person, listFormat };
        list.SetAction((pr, ct) => WithStore(pr, async (store, _) =>
        {
            var f = new AlertFilter(pr.GetValue(status), pr.GetValue(rule), pr.GetValue(severity), null,
                pr.GetValue(from) is { } a ? Date("from", a) : null, pr.GetValue(to) is { } b ? Date("to", b) : null) { Person = pr.GetValue(person) };
            WriteAlerts(CheckFormat(pr.GetValue(listFormat)), await store.Alerts.AlertsAsync(pr.GetValue(Park)!, f, ct));
            return 0;
        }));

        var id = new Option<long>("--id") { Description = "alert id", Required = true };
        var comment = new Option<string?>("--comment") { Description = "comment (required to resolve)" };
        var ack = new Command("ack", "acknowledge an open alert") { Db, Park, id, comment, User };
        ack.SetAction((pr, ct) => WithStore(pr, async (store, _) =>
        {
            var a = await store.Alerts.AcknowledgeAsync(pr.GetValue(Park)!, pr.GetValue(id), pr.GetValue(User)!, pr.GetValue(comment), ct);
            Console.WriteLine($"alert {a.Id} acknowledged by {a.AcknowledgedBy} at {Output.Format(a.AcknowledgedAt)}");
            return 0;
        }));
        var resolve = new Command("resolve", "resolve an alert by hand, with a comment") { Db, Park, id, comment, User };
        resolve.SetAction((pr, ct) => WithStore(pr, async (store, _) =>
        {
            var a = await store.Alerts.ResolveAsync(pr.GetValue(Park)!, pr.GetValue(id), pr.GetValue(User)!, pr.GetValue(comment), ct);
            Console.WriteLine($"alert {a.Id} resolved by {a.ResolvedBy} at {Output.Format(a.ResolvedAt)}: {a.Comment}");
            return 0;
        }));

        var send = new Command("send", "deliver the notifications that are due now (the server does this in the background)") { Db };
        send.SetAction((pr, ct) => WithStore(pr, async (store, sp) =>
        {
            var (sent, failed) = await sp.GetRequiredService<AlertSender>().SendDueAsync(1000, ct);
            Console.WriteLine($"sent {sent}, failed {failed} (failed deliveries are retried with back-off)");
            return failed > 0 ? 1 : 0;
        }));

        var outboxFormat = Format();
        var outbox = new Command("outbox", "the park's notification deliveries: pending, sent, failed with the last error") { Db, Park, outboxFormat };
        outbox.SetAction((pr, ct) => WithStore(pr, async (store, _) =>
        {
            var items = await store.Alerts.OutboxAsync(pr.GetValue(Park)!, 200, ct);
            if (CheckFormat(pr.GetValue(outboxFormat)) == "json") Output.WriteJson(items);
            else Output.Write("table", ["id", "alert", "channel", "event", "status", "attempts", "next_at", "sent_at", "last_error"],
                items.Select(i => new object?[] { i.Id, i.AlertId, i.Channel, i.Event, i.Status, i.Attempts, i.NextAt, i.SentAt, i.LastError }));
            return 0;
        }));

        foreach (var c in new[] { evaluate, list, ack, resolve, send, outbox, asOf }) alerts.Subcommands.Add(c);
        alerts.Subcommands.Add(RulesCommand());
        alerts.Subcommands.Add(ChannelsCommand());
        return alerts;
    }

    private static void WriteRules(string format, IReadOnlyList<AlertRule> rules)
    {
        if (format == "json") { Output.WriteJson(rules); return; }
        Output.Write("table", ["code", "kind", "severity", "enabled", "muted_until", "renotify_min", "params", "name"],
            rules.Select(r => new object?[] { r.Code, r.Kind, r.Severity, r.Enabled, r.MutedUntil, r.RenotifyMinutes,
                string.Join(" ", r.Params.Select(p => $"{p.Key}={p.Value}")), r.Name }));
    }

    private static Command RulesCommand()
    {
        var rules = new Command("rules", "alert rules as data: list, add, edit, mute, delete, test against history; a new park starts with default rules");
        var code = new Option<string>("--code") { Description = "rule code", Required = true };
        var kind = new Option<string>("--kind") { Description = "deviation | kpi | series | offline | completeness | reset_suspect | import_refused | instrument_expiry | plan_projection | monthly_target", Required = true };
        var name = new Option<string?>("--name") { Description = "what the rule is for" };
        var param = new Option<string[]>("--param") { Description = "a parameter name=value (repeat); see `zeropark alerts rules kinds`", AllowMultipleArgumentsPerToken = false };
        var severity = new Option<string?>("--severity") { Description = "info | warning (default) | critical" };
        var renotify = new Option<int?>("--renotify-minutes") { Description = "re-notify an open, unacknowledged alert every N minutes (0: off)" };
        var enabled = new Option<bool?>("--enabled") { Description = "true | false" };

        var listFormat = Format();
        var list = new Command("list", "the park's rules") { Db, Park, listFormat };
        list.SetAction((pr, ct) => WithStore(pr, async (store, _) => { WriteRules(CheckFormat(pr.GetValue(listFormat)), await store.Alerts.RulesAsync(pr.GetValue(Park)!, ct)); return 0; }));

        var kindsCmd = new Command("kinds", "the rule kinds and their parameters");
        kindsCmd.SetAction(_ =>
        {
            foreach (var k in AlertRuleKinds.All)
            {
                Console.WriteLine($"{k.Code}: {k.Description}");
                foreach (var p in k.Params) Console.WriteLine($"  {p.Name}{(p.Default is null ? "" : " (default " + p.Default + ")")}: {p.Accepts}");
            }
            return 0;
        });

        var add = new Command("add", "create a rule") { Db, Park, code, kind, name, param, severity, renotify, User };
        add.SetAction((pr, ct) => WithStore(pr, async (store, _) =>
        {
            var r = await store.Alerts.CreateRuleAsync(pr.GetValue(Park)!, new AlertRuleDraft(pr.GetValue(code), pr.GetValue(kind), pr.GetValue(name), Params(pr.GetValue(param)),
                pr.GetValue(severity), null, null, pr.GetValue(renotify)), pr.GetValue(User)!, ct);
            WriteRules("table", [r]);
            return 0;
        }));

        var edit = new Command("edit", "change a rule (given fields only; --param replaces all parameters)") { Db, Park, code, name, param, severity, renotify, enabled, User };
        edit.SetAction((pr, ct) => WithStore(pr, async (store, _) =>
        {
            var ps = pr.GetValue(param) is { Length: > 0 } p ? Params(p) : null;
            var r = await store.Alerts.UpdateRuleAsync(pr.GetValue(Park)!, pr.GetValue(code)!, new AlertRuleDraft(null, null, pr.GetValue(name), ps, pr.GetValue(severity),
                pr.GetValue(enabled), null, pr.GetValue(renotify)), pr.GetValue(User)!, false, ct);
            WriteRules("table", [r]);
            return 0;
        }));

        var until = new Option<string>("--until") { Description = "muted until this instant (ISO 8601 with offset)", Required = true };
        var mute = new Command("mute", "mute a rule until an instant: it still records alerts, but notifies nobody") { Db, Park, code, until, User };
        mute.SetAction((pr, ct) => WithStore(pr, async (store, _) =>
        {
            var r = await store.Alerts.UpdateRuleAsync(pr.GetValue(Park)!, pr.GetValue(code)!, new AlertRuleDraft(null, null, MutedUntil: Instant("until", pr.GetValue(until))), pr.GetValue(User)!, false, ct);
            Console.WriteLine($"rule {r.Code} muted until {Output.Format(r.MutedUntil)}");
            return 0;
        }));
        var unmute = new Command("unmute", "unmute a rule") { Db, Park, code, User };
        unmute.SetAction((pr, ct) => WithStore(pr, async (store, _) =>
        {
            var r = await store.Alerts.UpdateRuleAsync(pr.GetValue(Park)!, pr.GetValue(code)!, new AlertRuleDraft(null, null), pr.GetValue(User)!, true, ct);
            Console.WriteLine($"rule {r.Code} unmuted");
            return 0;
        }));
        var delete = new Command("delete", "delete a rule and its alerts") { Db, Park, code, User };
        delete.SetAction((pr, ct) => WithStore(pr, async (store, _) =>
        {
            await store.Alerts.DeleteRuleAsync(pr.GetValue(Park)!, pr.GetValue(code)!, pr.GetValue(User)!, ct);
            Console.WriteLine($"rule {pr.GetValue(code)} deleted");
            return 0;
        }));

        var from = new Option<string>("--from") { Description = "first local date", Required = true };
        var to = new Option<string>("--to") { Description = "last local date (inclusive)", Required = true };
        var testFormat = Format();
        var test = new Command("test", "what the rule would have raised between two dates (nothing is recorded)") { Db, Park, code, from, to, testFormat };
        test.SetAction((pr, ct) => WithStore(pr, async (store, sp) =>
        {
            var r = await store.Alerts.RuleAsync(pr.GetValue(Park)!, pr.GetValue(code)!, ct);
            var (found, notes) = await sp.GetRequiredService<AlertEngine>().TestAsync(pr.GetValue(Park)!, r, Date("from", pr.GetValue(from)), Date("to", pr.GetValue(to)), ct);
            if (CheckFormat(pr.GetValue(testFormat)) == "json")
                Output.WriteJson(new { rule = r.Code, findings = found.Select(f => new { at = f.At, rule = r.Code, f.Finding.Subject, f.Finding.Period, f.Finding.Message, f.Finding.Value, f.Finding.Normal, f.Finding.Details }), notes });
            else
            {
                Output.Write("table", ["at", "subject", "period", "message"], found.Select(f => new object?[] { f.At, f.Finding.Subject, f.Finding.Period, f.Finding.Message }));
                foreach (var n in notes) Console.WriteLine(n);
            }
            return 0;
        }));

        foreach (var c in new[] { list, kindsCmd, add, edit, mute, unmute, delete, test }) rules.Subcommands.Add(c);
        return rules;
    }

    private static Command ChannelsCommand()
    {
        var channels = new Command("channels", "notification channels: email (SMTP via MailKit), webhook (HMAC-signed JSON), dingtalk and wecom robots");
        var listFormat = Format();
        var list = new Command("list", "channels with their pending and failed deliveries and the last error") { Db, Park, listFormat };
        list.SetAction((pr, ct) => WithStore(pr, async (store, _) =>
        {
            var cs = await store.Alerts.ChannelsAsync(pr.GetValue(Park)!, ct);
            if (CheckFormat(pr.GetValue(listFormat)) == "json") Output.WriteJson(cs);
            else Output.Write("table", ["code", "kind", "target", "enabled", "min_severity", "quiet", "pending", "failed", "last_error", "language"],
                cs.Select(c => new object?[] { c.Code, c.Kind, c.Target, c.Enabled, c.MinSeverity, c.QuietFrom is null ? "" : $"{c.QuietFrom}-{c.QuietTo}", c.Pending, c.Failed, c.LastError, c.Language }));
            return 0;
        }));
        var code = new Option<string>("--code") { Description = "channel code", Required = true };
        var kind = new Option<string>("--kind") { Description = "email | webhook | dingtalk | wecom", Required = true };
        var target = new Option<string>("--target") { Description = "e-mail recipients (comma-separated) or the URL", Required = true };
        var config = new Option<string[]>("--config") { Description = "name=value (repeat): email host, port, from, tls (none|starttls|ssl), user" };
        var secret = new Option<string?>("--secret") { Description = "HMAC key (webhook), signing secret (DingTalk) or SMTP password" };
        var minSeverity = new Option<string?>("--min-severity") { Description = "info (default) | warning | critical" };
        var quiet = new Option<string?>("--quiet") { Description = "quiet hours, park-local, e.g. 22-7 (critical alerts still go out)" };
        var disabled = new Option<bool>("--disabled") { Description = "store the channel switched off" };
        var language = new Option<string?>("--language") { Description = "language of the notifications: zh (default) | en" };
        var set = new Command("set", "create or replace a channel") { Db, Park, code, kind, target, config, secret, minSeverity, quiet, disabled, language, User };
        set.SetAction((pr, ct) => WithStore(pr, async (store, _) =>
        {
            int? qf = null, qt = null;
            if (pr.GetValue(quiet) is { Length: > 0 } q)
            {
                var parts = q.Split('-');
                if (parts.Length != 2 || !int.TryParse(parts[0], Inv, out var a) || !int.TryParse(parts[1], Inv, out var b))
                    throw new ValidationException("quiet", $"'{q}' is not FROM-TO hours, e.g. 22-7");
                (qf, qt) = (a, b);
            }
            var c = await store.Alerts.SetChannelAsync(pr.GetValue(Park)!, new AlertChannelDraft(pr.GetValue(code), pr.GetValue(kind), pr.GetValue(target), Params(pr.GetValue(config)),
                pr.GetValue(secret), !pr.GetValue(disabled), pr.GetValue(minSeverity), qf, qt, pr.GetValue(language)), pr.GetValue(User)!, ct);
            Console.WriteLine($"channel {c.Code}: {c.Kind} {c.Target} ({c.Language})");
            return 0;
        }));
        var delete = new Command("delete", "delete a channel and its deliveries") { Db, Park, code, User };
        delete.SetAction((pr, ct) => WithStore(pr, async (store, _) =>
        {
            await store.Alerts.DeleteChannelAsync(pr.GetValue(Park)!, pr.GetValue(code)!, pr.GetValue(User)!, ct);
            Console.WriteLine($"channel {pr.GetValue(code)} deleted");
            return 0;
        }));
        foreach (var c in new[] { list, set, delete }) channels.Subcommands.Add(c);
        return channels;
    }

    private static Command CalendarCommand()
    {
        var calendar = new Command("calendar", "China's working-day calendar (statutory holidays and adjusted working days 调休): shipped 2025 and 2026, updatable");
        var year = new Option<int?>("--year") { Description = "only this year" };
        var listFormat = Format();
        var list = new Command("list", "holidays and adjusted working days (shipped, with your entries over them)") { Db, year, listFormat };
        list.SetAction((pr, ct) => WithStore(pr, async (store, _) =>
        {
            var cal = await store.Alerts.CalendarAsync(ct);
            var days = cal.Entries.Where(d => pr.GetValue(year) is not { } y || d.Date.Year == y).OrderBy(d => d.Date).ToList();
            if (CheckFormat(pr.GetValue(listFormat)) == "json")
                Output.WriteJson(days.Select(d => new { date = d.Date.ToString("yyyy-MM-dd", Inv), kind = WorkingDayCalendar.Code(d.Kind), d.Name, d.Source }));
            else Output.Write("table", ["date", "weekday", "kind", "name", "source"],
                days.Select(d => new object?[] { d.Date.ToString("yyyy-MM-dd", Inv), d.Date.DayOfWeek.ToString()[..3], WorkingDayCalendar.Code(d.Kind), d.Name, d.Source }));
            return 0;
        }));
        var date = new Option<string>("--date") { Description = "YYYY-MM-DD", Required = true };
        var kind = new Option<string>("--kind") { Description = "holiday | workday | normal (an ordinary day again)", Required = true };
        var name = new Option<string?>("--name") { Description = "e.g. 春节" };
        var source = new Option<string?>("--source") { Description = "where the date comes from (e.g. the notice's number)" };
        var set = new Command("set", "set one date (overrides the shipped calendar)") { Db, date, kind, name, source, User };
        set.SetAction((pr, ct) => WithStore(pr, async (store, _) =>
        {
            CalendarDayKind k;
            try { k = WorkingDayCalendar.ParseKind(pr.GetValue(kind)); }
            catch (FormatException e) { throw new ValidationException("kind", e.Message); }
            var d = new CalendarDay(Date("date", pr.GetValue(date)), k, pr.GetValue(name) ?? "", pr.GetValue(source) ?? "");
            await store.Alerts.SetCalendarDaysAsync([d], pr.GetValue(User)!, ct);
            Console.WriteLine($"{d.Date:yyyy-MM-dd}: {WorkingDayCalendar.Code(k)}");
            return 0;
        }));
        var file = new Argument<FileInfo>("file") { Description = "CSV date,kind,name,source (as src/ZeroPark.Application/Alerts/china-calendar.csv)" };
        var import = new Command("import", "import a year's notice as CSV; bad lines are reported with their line number, good ones kept") { Db, file, User };
        import.SetAction((pr, ct) => WithStore(pr, async (store, _) =>
        {
            var f = pr.GetValue(file)!;
            if (!f.Exists) throw new FileNotFoundException($"file '{f.FullName}' not found");
            using var reader = f.OpenText();
            var (days, errors) = WorkingDayCalendar.ParseCsv(reader);
            await store.Alerts.SetCalendarDaysAsync(days, pr.GetValue(User)!, ct);
            Console.WriteLine($"accepted {days.Count}, rejected {errors.Count}");
            foreach (var (line, reason) in errors) Console.WriteLine($"line {line}: {reason}");
            return errors.Count > 0 ? 1 : 0;
        }));
        var month = new Option<string>("--month") { Description = "YYYY-MM", Required = true };
        var first = new Command("first-working-day", "the first working day of a month (when the monthly target check runs)") { Db, month };
        first.SetAction((pr, ct) => WithStore(pr, async (store, _) =>
        {
            var m = pr.GetValue(month)!;
            if (!DateOnly.TryParseExact(m + "-01", "yyyy-MM-dd", Inv, DateTimeStyles.None, out var d)) throw new ValidationException("month", $"'{m}' is not YYYY-MM");
            var cal = await store.Alerts.CalendarAsync(ct);
            Console.WriteLine(cal.FirstWorkingDay(d.Year, d.Month).ToString("yyyy-MM-dd", Inv));
            return 0;
        }));
        foreach (var c in new[] { list, set, import, first }) calendar.Subcommands.Add(c);
        return calendar;
    }
}
