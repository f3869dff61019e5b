using Microsoft.Extensions.DependencyInjection;
using System.CommandLine;
using System.Globalization;
using ZeroPark.Application;
using ZeroPark.Application.EnergyManagement;
using ZeroPark.Application.Export;
using ParseResult = System.CommandLine.ParseResult;

namespace ZeroPark.Cli.EnergyManagement;

/// <summary><c>zeropark energy plan set|list|progress|decompose</c>: energy plans and quotas per park and building.</summary>
internal static partial class EnergyCommands
{
    private static readonly Option<string> User = new("--user") { Description = "user recorded in the audit log", DefaultValueFactory = _ => Environment.UserName };

    private static Option<string> FormatOption() =>
        new("--format") { Description = "table | json | csv | xlsx (xlsx needs --output)", DefaultValueFactory = _ => "table" };

    private static Command Plan()
    {
        var plan = new Command("plan", "energy plans and quotas: annual and monthly plans per park and building for electricity (kWh), water and natural gas (m³); " +
                                       "actual vs plan, cumulative progress, projected year-end; decomposition of the park plan across buildings");
        var node = new Option<string?>("--node") { Description = "building code; default: the park" };
        var carrier = new Option<string>("--carrier") { Description = "electricity | water | natural_gas", Required = true };
        var year = new Option<string>("--year") { Description = "plan year, e.g. 2025", Required = true };

        var month = new Option<string?>("--month") { Description = "1–12 for a monthly plan; omit for the annual plan" };
        var amount = new Option<string>("--amount") { Description = "planned consumption, in --unit", Required = true };
        var unit = new Option<string?>("--unit") { Description = "unit of --amount (default kWh for electricity, m3 for water and gas; also MWh, L, …)" };
        var set = new Command("set", "set (insert or replace) an annual or monthly plan of the park or a building; audited") { Db, Park, node, carrier, year, month, amount, unit, User };
        set.SetAction((pr, ct) => RunStore(pr, async store =>
        {
            var draft = new PlanDraft(pr.GetValue(node), pr.GetValue(carrier), Int(pr.GetValue(year), "year"), Int(pr.GetValue(month), "month"),
                Number(pr.GetValue(amount), "amount"), pr.GetValue(unit));
            var p = await store.Plans.SetEnergyPlanAsync(pr.GetValue(Park)!, draft, pr.GetValue(User)!, ct);
            Console.WriteLine($"plan {p.Node} {ZeroPark.Domain.Codes.Of(p.Carrier)} {PlanRules.PeriodCode(p.Year, p.Month)}: {Output.Format(Math.Round(p.Amount, 3))} {p.Unit}");
            return 0;
        }));

        var listYear = new Option<string?>("--year") { Description = "only this year" };
        var listCarrier = new Option<string?>("--carrier") { Description = "only this carrier" };
        var listFormat = FormatOption();
        var list = new Command("list", "plans of the park and its buildings") { Db, Park, node, listYear, listCarrier, listFormat, OutputFile };
        list.SetAction((pr, ct) => RunStore(pr, async store =>
        {
            var c = pr.GetValue(listCarrier) is { Length: > 0 } cc ? PlanRules.ParseCarrier(cc) : (ZeroPark.Domain.Carrier?)null;
            var plans = (await store.Plans.ListEnergyPlansAsync(pr.GetValue(Park)!, Int(pr.GetValue(listYear), "year"), c, pr.GetValue(node), ct))
                .Select(EnergyPlanView.From).ToList();
            return Emit(pr, listFormat, plans, EnergyTables.Plans(plans), []);
        }));

        var asOf = new Option<string?>("--as-of") { Description = "last local date counted as actual, YYYY-MM-DD (default: today in the park's time zone)" };
        var progressFormat = FormatOption();
        var progress = new Command("progress",
            "actual vs plan per month, cumulative progress, plan to date and the projected year-end (actual to date + last year's same months, else the run rate)")
            { Db, Park, node, carrier, year, asOf, progressFormat, OutputFile };
        progress.SetAction((pr, ct) => RunStore(pr, async (store, services) =>
        {
            var p = PlanProgressView.From(await services.GetRequiredService<EnergyPlanService>().ProgressAsync(pr.GetValue(Park)!, pr.GetValue(node), pr.GetValue(carrier),
                Int(pr.GetValue(year), "year"), OptionalDate(pr.GetValue(asOf), "as-of"), ct));
            var format = CheckFormat(pr, progressFormat);
            if (format == "table")
            {
                Output.Write(format, ["month", "status", "plan", "actual", "deviation", "deviation_%", "cum_plan", "cum_actual", "projected", "basis"],
                    p.Months.Select(m => new object?[]
                    {
                        m.Month, m.Status, m.Plan, m.Actual, m.Deviation, m.DeviationPct, m.CumulativePlan, m.CumulativeActual, m.ProjectedRemaining, m.ProjectionBasis,
                    }));
                static string V(double? v) => v is null ? "n/a" : Output.Format(v);
                Console.WriteLine($"{p.Node} {p.Carrier} {p.Year} as of {p.AsOf} ({p.Unit}): annual plan {V(p.AnnualPlan)}, plan to date {V(p.PlanToDate)}, " +
                                  $"actual to date {V(p.ActualToDate)} ({V(p.ProgressPct)} % of the annual plan), projected year-end " +
                                  $"{V(p.ProjectedYearEnd)} ({V(p.ProjectedVsPlanPct)} % vs plan)");
                foreach (var n in p.Notes) Console.WriteLine(n);
                return 0;
            }
            return Emit(pr, progressFormat, p, EnergyTables.PlanProgress(p), p.Notes);
        }));

        var dryRun = new Option<bool>("--dry-run") { Description = "show the shares without storing the building plans" };
        var basis = new Option<string?>("--basis") { Description = "last_year (default: each building's actual consumption of the previous year) | racks (racks per building)" };
        var decomposeFormat = FormatOption();
        var decompose = new Command("decompose",
            "split the park's annual plan across its buildings in proportion to each building's actual consumption of the previous year (or its racks) and store the building plans")
            { Db, Park, carrier, year, basis, dryRun, User, decomposeFormat, OutputFile };
        decompose.SetAction((pr, ct) => RunStore(pr, async (store, services) =>
        {
            var d = PlanDecompositionView.From(await services.GetRequiredService<EnergyPlanService>().DecomposeAsync(pr.GetValue(Park)!, pr.GetValue(carrier),
                Int(pr.GetValue(year), "year"), pr.GetValue(dryRun), pr.GetValue(User)!, pr.GetValue(basis), ct));
            var code = Emit(pr, decomposeFormat, d, EnergyTables.PlanDecomposition(d), d.Notes);
            if (CheckFormat(pr, decomposeFormat) == "table")
                Console.WriteLine(d.Applied ? $"stored {d.Buildings.Count} building plan(s)" : "dry run: nothing stored");
            return code;
        }));

        var groupAmount = new Option<string>("--amount") { Description = "the group's annual plan", Required = true };
        var groupUnit = new Option<string?>("--unit") { Description = "unit of --amount (e.g. MWh, m3, L); default kWh or m³" };
        var parks = new Option<string?>("--parks") { Description = "comma-separated park codes (default: every park of the database)" };
        var groupBasis = new Option<string?>("--basis") { Description = "last_year (default: each park's consumption of the previous year) | racks (racks_total) | design_it (design_it_kw)" };
        var groupFormat = FormatOption();
        var group = new Command("decompose-group",
            "split a group's annual plan across data centers (parks) in proportion to last year's consumption, racks or design IT capacity and store each park's annual plan")
            { Db, carrier, year, groupAmount, groupUnit, parks, groupBasis, dryRun, User, groupFormat, OutputFile };
        group.SetAction((pr, ct) => RunStore(pr, async (store, services) =>
        {
            var text = pr.GetValue(groupAmount)!.Trim();
            if (!double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var amount))
                throw new ValidationException("amount", $"'amount': '{text}' is not a number");
            var codes = pr.GetValue(parks)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
            var d = GroupPlanDecompositionView.From(await services.GetRequiredService<EnergyPlanService>().DecomposeGroupAsync(codes, pr.GetValue(carrier), Int(pr.GetValue(year), "year"),
                amount, pr.GetValue(groupUnit), pr.GetValue(dryRun), pr.GetValue(User)!, pr.GetValue(groupBasis), ct));
            var code = Emit(pr, groupFormat, d, EnergyTables.GroupPlanDecomposition(d), d.Notes);
            if (CheckFormat(pr, groupFormat) == "table")
                Console.WriteLine(d.Applied ? $"stored {d.Parks.Count} park plan(s)" : "dry run: nothing stored");
            return code;
        }));

        plan.Subcommands.Add(set);
        plan.Subcommands.Add(list);
        plan.Subcommands.Add(progress);
        plan.Subcommands.Add(decompose);
        plan.Subcommands.Add(group);
        return plan;
    }

    private static string CheckFormat(ParseResult pr, Option<string> format) => SheetOutput.Format(pr.GetValue(format), pr.GetValue(OutputFile));

    /// <summary>Prints or writes the result in the chosen format (<see cref="SheetOutput.Emit"/>).</summary>
    private static int Emit(ParseResult pr, Option<string> formatOption, object json, XlsxSheet[] sheets, IReadOnlyList<string> notes) =>
        SheetOutput.Emit(pr.GetValue(formatOption), pr.GetValue(OutputFile), json, sheets, notes);

    private static int? Int(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        return int.TryParse(value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n : throw new ValidationException(field, $"'{field}': '{value}' is not an integer");
    }

    private static double? Number(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        return double.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
            ? n : throw new ValidationException(field, $"'{field}': '{value}' is not a number");
    }

    private static DateOnly? OptionalDate(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        return DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d : throw new ValidationException(field, $"'{field}': '{value}' is not a date (YYYY-MM-DD)");
    }
}
