using Microsoft.Extensions.DependencyInjection;
using System.CommandLine;
using System.Globalization;
using ZeroPark.Application;
using ZeroPark.Application.Optimisation;
using ParseResult = System.CommandLine.ParseResult;

namespace ZeroPark.Cli.Optimisation;

/// <summary>
/// Energy optimisation on the command line: <c>zeropark forecast backtest|run|list|compare|outlook</c>, <c>zeropark pue drivers</c>,
/// <c>zeropark suggestions analyse|list|accept|reject|snooze|reopen</c> and <c>zeropark efficiency report</c>. Errors: one line on
/// standard error, exit code 2.
/// </summary>
internal static partial class OptimisationCommands
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly Option<string> Db = new("--db") { Description = "SQLite file path or PostgreSQL connection string (Host=…;Database=…)", Required = true };
    private static readonly Option<string> Park = new("--park") { Description = "park code", Required = true };
    private static readonly Option<string?> Node = new("--node") { Description = "building (or other space) code; default: the whole park" };
    private static readonly Option<string> Format = new("--format") { Description = "table | json", DefaultValueFactory = _ => "table" };
    private static readonly Option<string> User = new("--user") { Description = "who does this (recorded in the audit log)", DefaultValueFactory = _ => Environment.UserName };
    private static readonly Option<string?> From = new("--from") { Description = "first local date, YYYY-MM-DD" };
    private static readonly Option<string?> To = new("--to") { Description = "last local date (inclusive), YYYY-MM-DD" };

    public static IEnumerable<Command> Create() => [Forecast(), Pue(), Suggestions(), Efficiency()];

    private static Task<int> WithStore(ParseResult pr, Func<ZeroParkStore, IServiceProvider, Task<int>> body) => CliApp.WithStore(pr, body, Db);

    private static string CheckFormat(ParseResult pr, params string[] allowed)
    {
        var f = pr.GetValue(Format)!.Trim().ToLowerInvariant();
        return allowed.Contains(f) ? f : throw new ValidationException("format", $"'{f}' is not one of {string.Join(", ", allowed)}");
    }

    private static DateOnly? OptionalDate(ParseResult pr, Option<string?> o)
    {
        var s = pr.GetValue(o);
        if (string.IsNullOrWhiteSpace(s)) return null;
        return DateOnly.TryParseExact(s.Trim(), "yyyy-MM-dd", Inv, DateTimeStyles.None, out var d)
            ? d : throw new ValidationException(o.Name.TrimStart('-'), $"'{s}' is not a date (YYYY-MM-DD)");
    }

    private static string V(double? v, string f = "0.###") => v is { } x ? x.ToString(f, Inv) : "n/a";

    // ------------------------------------------------------------------ forecast

    private static Command Forecast()
    {
        var cmd = new Command("forecast", "forecasts of IT load, facility energy, cooling energy and PUE (24 hours by hour, 7 days by day) with their measured accuracy");
        var target = new Option<string>("--target") { Description = "it_load | facility_energy | cooling_energy | pue", Required = true };
        var horizon = new Option<string>("--horizon") { Description = "day (the next 24 hours, hourly) | week (the next 7 days, daily)", DefaultValueFactory = _ => "day" };

        var backtest = new Command("backtest",
            "rolling-origin backtest on the store's history: every origin in --from..--to (default: the last 60 complete days) is forecast by a model fitted on " +
            "the history before it; prints mape, mae, baseline_mape (seasonal naive), baseline_mae, points (forecasts scored) and the accuracy per lead")
            { Db, Park, Node, target, horizon, From, To, Format };
        backtest.SetAction((pr, ct) => WithStore(pr, async (_, services) =>
        {
            var format = CheckFormat(pr, "table", "json");
            var r = await services.GetRequiredService<ForecastService>().BacktestAsync(pr.GetValue(Park)!, pr.GetValue(Node), pr.GetValue(target)!,
                ForecastService.ParseHorizon(pr.GetValue(horizon)), OptionalDate(pr, From), OptionalDate(pr, To), ct);
            if (format == "json") { Output.WriteJson(r); return 0; }
            Console.WriteLine($"{r.Node} {r.Target} horizon {r.Horizon}, origins {r.From}..{r.To}: {r.Origins} origins, {r.Points} points scored");
            Console.WriteLine($"model    MAPE {V(r.Mape, "0.00")} %  MAE {V(r.Mae)} {r.Unit}   ({r.Model})");
            Console.WriteLine($"baseline MAPE {V(r.BaselineMape, "0.00")} %  MAE {V(r.BaselineMae)} {r.Unit}   ({r.Baseline})");
            Console.WriteLine($"shown: {r.Shown}");
            Output.Write("table", ["lead", "mape_%", "baseline_mape_%", "points"], r.ByLead.Select(l => new object?[] { l.Lead, l.Mape, l.BaselineMape, l.Points }));
            foreach (var n in r.Notes) Console.WriteLine(n);
            return 0;
        }));

        var noSave = new Option<bool>("--no-save") { Description = "do not store the forecast" };
        var run = new Command("run", "forecast from the end of the last complete day and store it (the model's values only when it beat the seasonal-naive baseline in the backtest)")
            { Db, Park, Node, target, horizon, noSave, User, Format };
        run.SetAction((pr, ct) => WithStore(pr, async (_, services) =>
        {
            var format = CheckFormat(pr, "table", "json");
            var r = await services.GetRequiredService<ForecastService>().ForecastAsync(pr.GetValue(Park)!, pr.GetValue(Node), pr.GetValue(target)!,
                ForecastService.ParseHorizon(pr.GetValue(horizon)), !pr.GetValue(noSave), pr.GetValue(User)!, ct);
            if (format == "json") { Output.WriteJson(r); return 0; }
            var f = r.Forecast;
            Console.WriteLine($"forecast {(f.Id > 0 ? f.Id.ToString(Inv) : "(not stored)")}: {f.Node} {f.Target} {f.Horizon} from {f.Origin:yyyy-MM-dd HH:mm}; shown: {f.Shown} " +
                              $"(backtest MAPE {V(r.Backtest.Mape, "0.00")} % vs baseline {V(r.Backtest.BaselineMape, "0.00")} %, {r.Backtest.Points} points)");
            Output.Write("table", ["start", "value", "model", "baseline"], f.Points.Select(p => new object?[] { p.Start.ToString("yyyy-MM-dd HH:mm", Inv), p.Value, p.Model, p.Baseline }));
            return 0;
        }));

        var listTarget = new Option<string?>("--target") { Description = "only this target" };
        var listHorizon = new Option<string?>("--horizon") { Description = "only this horizon" };
        var list = new Command("list", "stored forecasts, newest first") { Db, Park, Node, listTarget, listHorizon, Format };
        list.SetAction((pr, ct) => WithStore(pr, async (store, _) =>
        {
            var format = CheckFormat(pr, "table", "json");
            var t = pr.GetValue(listTarget) is { Length: > 0 } tt ? ForecastTargets.Parse(tt) : null;
            var h = pr.GetValue(listHorizon) is { Length: > 0 } hh ? ForecastService.Code(ForecastService.ParseHorizon(hh)) : null;
            var list = await store.Optimisation.ListForecastsAsync(pr.GetValue(Park)!, pr.GetValue(Node), t, h, 50, ct);
            if (format == "json") { Output.WriteJson(list); return 0; }
            Output.Write("table", ["id", "node", "target", "horizon", "origin", "shown", "backtest_mape_%", "baseline_mape_%", "created"],
                list.Select(f => new object?[] { f.Id, f.Node, f.Target, f.Horizon, f.Origin.ToString("yyyy-MM-dd HH:mm", Inv), f.Shown, f.BacktestMape, f.BaselineMape,
                    f.CreatedAt.ToString("yyyy-MM-dd HH:mm", Inv) }));
            return 0;
        }));

        var id = new Option<long>("--id") { Description = "stored forecast id", Required = true };
        var compare = new Command("compare", "a stored forecast against the actuals known now: MAPE and MAE of the value shown, the model and the baseline") { Db, Park, id, Format };
        compare.SetAction((pr, ct) => WithStore(pr, async (_, services) =>
        {
            var format = CheckFormat(pr, "table", "json");
            var c = await services.GetRequiredService<ForecastService>().CompareAsync(pr.GetValue(Park)!, pr.GetValue(id), ct);
            var view = ForecastComparisonView.From(c);
            if (format == "json") { Output.WriteJson(view); return 0; }
            Console.WriteLine($"forecast {c.Forecast.Id} ({c.Forecast.Target} {c.Forecast.Horizon}): shown MAPE {V(view.Mape, "0.00")} % over {view.Points} point(s) known; " +
                              $"model {V(view.ModelMape, "0.00")} %, baseline {V(view.BaselineMape, "0.00")} %");
            Output.Write("table", ["start", "forecast", "actual"], view.Rows.Select(r => new object?[] { r.Start, r.Forecast, r.Actual }));
            return 0;
        }));

        var year = new Option<int?>("--year") { Description = "the year to forecast (default: next year in the park's time zone)" };
        var outlook = new Command("outlook", "next year's electricity by month and its location-based emissions, from the last 12 months and the IT growth; with the electricity plan")
            { Db, Park, Node, year, Format };
        outlook.SetAction((pr, ct) => WithStore(pr, async (_, services) =>
        {
            var format = CheckFormat(pr, "table", "json");
            var o = await services.GetRequiredService<OutlookService>().OutlookAsync(pr.GetValue(Park)!, pr.GetValue(Node), pr.GetValue(year), ct);
            if (format == "json") { Output.WriteJson(o); return 0; }
            Output.Write("table", ["month", "facility_kwh", "grid_kwh", "tco2e", "basis_month"], o.Months.Select(m => new object?[] { m.Month, m.FacilityKwh, m.GridKwh, m.Tco2e, m.BasisMonth }));
            Console.WriteLine($"{o.Node} {o.Year}: {V(o.FacilityKwh, "#,0")} kWh, grid {V(o.GridKwh, "#,0")} kWh, {V(o.Tco2e, "#,0.0")} tCO2e (IT growth {V(o.Growth * 100, "0.0")} %/year); " +
                              $"plan {V(o.PlanKwh, "#,0")} kWh");
            foreach (var n in o.Notes) Console.WriteLine(n);
            return 0;
        }));

        cmd.Subcommands.Add(backtest);
        cmd.Subcommands.Add(run);
        cmd.Subcommands.Add(list);
        cmd.Subcommands.Add(compare);
        cmd.Subcommands.Add(outlook);
        return cmd;
    }
}
