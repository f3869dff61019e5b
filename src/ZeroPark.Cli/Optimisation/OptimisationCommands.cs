using Microsoft.Extensions.DependencyInjection;
using System.CommandLine;
using System.Globalization;
using ZeroPark.Application;
using ZeroPark.Application.Export;
using ZeroPark.Application.Optimisation;
using ZeroPark.Optimisation;

namespace ZeroPark.Cli.Optimisation;

/// <summary><c>zeropark pue drivers</c>, <c>zeropark suggestions …</c> and <c>zeropark efficiency report</c>.</summary>
internal static partial class OptimisationCommands
{
    private static Command Pue()
    {
        var cmd = new Command("pue", "what drives PUE and cooling: driver weights with uncertainty, expected and normalised PUE");
        var response = new Option<string>("--response") { Description = "pue | clf (cooling energy ÷ IT energy)", DefaultValueFactory = _ => "pue" };
        var atTemp = new Option<double?>("--at-temp") { Description = "outdoor temperature (°C) for the expected value" };
        var atLoad = new Option<double?>("--at-load") { Description = "IT load rate (0–1) for the expected value" };
        var atChw = new Option<double?>("--at-chw") { Description = "chilled-water supply temperature (°C) for the expected value" };
        var drivers = new Command("drivers",
            "OLS of the daily PUE (or CLF) on outdoor temperature, IT load rate, chilled-water supply temperature and free-cooling hours where recorded: " +
            "weights with standard errors and 95 % intervals, the expected value at --at-temp/--at-load, and the normalised value per month (default: the last 365 days)")
            { Db, Park, Node, response, From, To, atTemp, atLoad, atChw, Format };
        drivers.SetAction((pr, ct) => WithStore(pr, async (_, services) =>
        {
            var format = CheckFormat(pr, "table", "json");
            var at = new Dictionary<string, double>();
            if (pr.GetValue(atTemp) is { } t) at[Drivers.OutdoorTemperature] = t;
            if (pr.GetValue(atLoad) is { } l) at[Drivers.ItLoadRate] = l;
            if (pr.GetValue(atChw) is { } c) at[Drivers.ChilledWaterSupply] = c;
            var r = await services.GetRequiredService<DriverService>().AnalyseAsync(pr.GetValue(Park)!, pr.GetValue(Node), pr.GetValue(response), OptionalDate(pr, From),
                OptionalDate(pr, To), at, ct);
            if (format == "json") { Output.WriteJson(r); return 0; }
            Console.WriteLine($"{r.Node} {r.Response} {r.From}..{r.To}: {r.Days} days, R² {V(r.RSquared, "0.000")}, residual SE {V(r.ResidualStdError, "0.0000")}");
            Output.Write("table", ["driver", "weight", "std_error", "low95", "high95", "reference"],
                r.Coefficients.Select(x => new object?[] { x.Name, Math.Round(x.Estimate, 6), Math.Round(x.StandardError, 6), Math.Round(x.Low95, 6), Math.Round(x.High95, 6),
                    r.Reference.TryGetValue(x.Name, out var v) ? Math.Round(v, 4) : null }));
            foreach (var (k, why) in r.LeftOut) Console.WriteLine($"{k}: left out ({why})");
            if (r.Expected is { } e)
                Console.WriteLine($"expected {r.Response} at {string.Join(", ", e.At.Select(x => $"{x.Key} = {x.Value.ToString(Inv)}"))}: {V(e.Expected, "0.0000")} (95 % {V(e.Low95, "0.0000")}–{V(e.High95, "0.0000")})");
            Output.Write("table", ["month", "actual", "normalised", "days"], r.Months.Select(m => new object?[] { m.Month, m.Actual, m.Normalised, m.Days }));
            foreach (var n in r.Notes) Console.WriteLine(n);
            return 0;
        }));
        cmd.Subcommands.Add(drivers);
        return cmd;
    }

    private static Command Suggestions()
    {
        var cmd = new Command("suggestions", "saving suggestions with evidence and expected annual saving (kWh, tCO2e, CNY): analyse, list, accept, reject, snooze, reopen");
        var analyse = new Command("analyse", "run the rules over --from..--to (default: the last 30 complete days) and store what they find") { Db, Park, From, To, User, Format };
        analyse.SetAction((pr, ct) => WithStore(pr, async (_, services) =>
        {
            var format = CheckFormat(pr, "table", "json");
            var r = await services.GetRequiredService<SuggestionService>().AnalyseAsync(pr.GetValue(Park)!, OptionalDate(pr, From), OptionalDate(pr, To), pr.GetValue(User)!, ct);
            if (format == "json") { Output.WriteJson(r); return 0; }
            Console.WriteLine($"{r.Park} {r.From}..{r.To}: {r.Found.Count} finding(s)");
            Output.Write("table", ["kind", "subject", "saving_kwh_per_year", "tco2e", "cny"], r.Found.Select(s => new object?[] { s.Kind, s.Subject, s.SavingKwh, s.SavingTco2e, s.SavingCny }));
            foreach (var n in r.NotApplicable) Console.WriteLine(n);
            return 0;
        }));

        var status = new Option<string?>("--status") { Description = "open | accepted | rejected | snoozed" };
        var list = new Command("list", "the park's suggestions, largest saving first") { Db, Park, status, Format };
        list.SetAction((pr, ct) => WithStore(pr, async (store, _) =>
        {
            var format = CheckFormat(pr, "table", "json");
            var s = await store.Optimisation.ListSuggestionsAsync(pr.GetValue(Park)!, pr.GetValue(status), ct);
            if (format == "json") { Output.WriteJson(s); return 0; }
            Output.Write("table", ["id", "kind", "subject", "status", "saving_kwh_per_year", "tco2e", "cny", "evidence"],
                s.Select(x => new object?[] { x.Id, x.Kind, x.Subject, x.Status, x.SavingKwh, x.SavingTco2e, x.SavingCny, x.Evidence }));
            return 0;
        }));

        var id = new Option<long>("--id") { Description = "suggestion id", Required = true };
        var measure = new Option<string?>("--measure") { Description = "the reduction measure it becomes (reference; default suggestion-ID)" };
        var reason = new Option<string?>("--reason") { Description = "why it is rejected" };
        var until = new Option<string?>("--until") { Description = "snooze until this local date, YYYY-MM-DD" };
        Command Action(string name, string description, Func<SuggestionService, ParseResult, CancellationToken, Task<Suggestion>> run, params Option[] extra)
        {
            var c = new Command(name, description) { Db, Park, id, User, Format };
            foreach (var o in extra) c.Options.Add(o);
            c.SetAction((pr, ct) => WithStore(pr, async (_, services) =>
            {
                var format = CheckFormat(pr, "table", "json");
                var s = await run(services.GetRequiredService<SuggestionService>(), pr, ct);
                if (format == "json") Output.WriteJson(s);
                else Console.WriteLine($"suggestion {s.Id} ({s.Kind} {s.Subject}): {s.Status}" + (s.SnoozedUntil is { } u ? $" until {u:yyyy-MM-dd}" : "") +
                                       (s.Measure is { } m && s.Status == SuggestionStatus.Accepted ? $", measure {m}" : ""));
                return 0;
            }));
            return c;
        }
        var target = new Option<double?>("--room-target-c") { Description = "over-cooled rooms: the cold-aisle inlet set-point a room could run at, °C (18–27; default 24)" };
        var margin = new Option<double?>("--room-margin-k") { Description = "over-cooled rooms: how far below the target the 90th percentile must stay, K (default 2)" };
        var perK = new Option<double?>("--room-saving-per-k") { Description = "over-cooled rooms: share of the room's cooling energy saved per K raised (default 0.03)" };
        var settings = new Command("settings", "show or change the park's assumptions of the over-cooled-rooms rule (options given: changed, audited)")
            { Db, Park, target, margin, perK, User, Format };
        settings.SetAction((pr, ct) => WithStore(pr, async (store, _) =>
        {
            var format = CheckFormat(pr, "table", "json");
            var park = pr.GetValue(Park)!;
            var s = pr.GetValue(target) is null && pr.GetValue(margin) is null && pr.GetValue(perK) is null
                ? await store.Optimisation.SettingsAsync(park, ct)
                : await store.Optimisation.SetSettingsAsync(park, pr.GetValue(target), pr.GetValue(margin), pr.GetValue(perK), pr.GetValue(User)!, ct);
            if (format == "json") { Output.WriteJson(s); return 0; }
            Output.Write("table", ["room_target_c", "room_margin_k", "room_saving_per_k"], [[s.RoomTargetC, s.RoomMarginK, s.RoomSavingPerK]]);
            return 0;
        }));
        cmd.Subcommands.Add(analyse);
        cmd.Subcommands.Add(list);
        cmd.Subcommands.Add(settings);
        cmd.Subcommands.Add(Action("accept", "accept: the suggestion becomes a reduction measure",
            (s, pr, ct) => s.AcceptAsync(pr.GetValue(Park)!, pr.GetValue(id), pr.GetValue(measure), pr.GetValue(User)!, ct), measure));
        cmd.Subcommands.Add(Action("reject", "reject with a reason",
            (s, pr, ct) => s.RejectAsync(pr.GetValue(Park)!, pr.GetValue(id), pr.GetValue(reason), pr.GetValue(User)!, ct), reason));
        cmd.Subcommands.Add(Action("snooze", "snooze until a date (then it is open again)",
            (s, pr, ct) => s.SnoozeAsync(pr.GetValue(Park)!, pr.GetValue(id), OptionalDate(pr, until), pr.GetValue(User)!, ct), until));
        cmd.Subcommands.Add(Action("reopen", "open again",
            (s, pr, ct) => s.ReopenAsync(pr.GetValue(Park)!, pr.GetValue(id), pr.GetValue(User)!, ct)));
        return cmd;
    }

    private static Command Efficiency()
    {
        var cmd = new Command("efficiency", "the efficiency report: monthly and yearly PUE and drivers, normalised PUE, forecasts vs actuals, suggestions and savings");
        var year = new Option<int?>("--year") { Description = "report year (default: the year of the last complete day)" };
        var format = new Option<string>("--format") { Description = "table | json | xlsx (xlsx needs --output)", DefaultValueFactory = _ => "table" };
        var output = new Option<string?>("--output") { Description = "file to write with --format xlsx" };
        var report = new Command("report", "the report of the park or a building for a year") { Db, Park, Node, year, format, output };
        report.SetAction((pr, ct) => WithStore(pr, async (_, services) =>
        {
            var f = pr.GetValue(format)!.Trim().ToLowerInvariant();
            if (f is not ("table" or "json" or "xlsx")) throw new ValidationException("format", $"'{f}' is not one of table, json, xlsx");
            if (f == "xlsx" && string.IsNullOrWhiteSpace(pr.GetValue(output))) throw new ValidationException("output", "--format xlsx needs --output FILE");
            var r = await services.GetRequiredService<EfficiencyReportService>().ReportAsync(pr.GetValue(Park)!, pr.GetValue(Node), pr.GetValue(year), ct);
            switch (f)
            {
                case "json":
                    Output.WriteJson(r);
                    break;
                case "xlsx":
                    XlsxWriter.WriteFile(pr.GetValue(output)!, EfficiencyReportService.Sheets(r));
                    Console.WriteLine($"wrote the efficiency report {r.Node} {r.Year} to {pr.GetValue(output)}");
                    break;
                default:
                    Console.WriteLine($"{r.Node} {r.Year} ({r.From}..{r.To}): PUE {V(r.YearPue, "0.000")}, normalised {V(r.YearNormalisedPue, "0.000")}; " +
                                      $"accepted savings {V(r.AcceptedSavingKwh, "#,0")} kWh/year, {V(r.AcceptedSavingTco2e, "0.0")} tCO2e, {V(r.AcceptedSavingCny, "#,0")} CNY");
                    Output.Write("table", ["month", "pue", "normalised_pue", "clf", "outdoor_temp_c", "it_load_rate"],
                        r.Months.Select(m => new object?[] { m.Month, m.Pue, m.NormalisedPue, m.Clf, m.Drivers.GetValueOrDefault(Drivers.OutdoorTemperature), m.Drivers.GetValueOrDefault(Drivers.ItLoadRate) }));
                    foreach (var n in r.Notes) Console.WriteLine(n);
                    break;
            }
            return 0;
        }));
        cmd.Subcommands.Add(report);
        return cmd;
    }
}
