using Microsoft.Extensions.DependencyInjection;
using System.CommandLine;
using ZeroPark.Application;
using ZeroPark.Application.Export;
using ZeroPark.Application.Neutrality;
using ZeroPark.Neutrality;

namespace ZeroPark.Cli.NeutralityCli;

internal static partial class NeutralityCommands
{
    private static Command Targets()
    {
        var kind = new Option<string>("--kind") { Description = "neutrality_rate (share, 0.75 = 75 %) | emission_budget (tCO2e per period) | cue (kgCO2e/kWh)", Required = true };
        var every = new Option<string>("--every") { Description = "month | year", Required = true };
        var value = new Option<string>("--value") { Description = "the target value", Required = true };
        var from = new Option<string?>("--from") { Description = "first month it applies, YYYY-MM (default: this month)" };
        var to = new Option<string?>("--to") { Description = "last month it applies, YYYY-MM (default: open-ended)" };
        var note = new Option<string?>("--note");
        var add = new Command("add", "set a target (replaces one of the same kind, period and start month); audited") { Db, Park, kind, every, value, from, to, note, User };
        add.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var t = await store.Neutrality.SetTargetAsync(pr.GetValue(Park)!, pr.GetValue(kind)!, pr.GetValue(every)!, Number(pr.GetValue(value), "value")!.Value,
                pr.GetValue(from), pr.GetValue(to), pr.GetValue(note) ?? "", pr.GetValue(User)!, ct);
            Console.WriteLine($"target #{t.Id}: {t.Kind} every {t.Every} = {Output.Format(t.Value)} from {t.From}{(t.To is null ? "" : " to " + t.To)}");
            return 0;
        }));
        var listFormat = FormatOption();
        var list = new Command("list", "the park's targets") { Db, Park, listFormat, OutputFile };
        list.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var t = await store.Neutrality.TargetsAsync(pr.GetValue(Park)!, ct);
            return Emit(pr, listFormat, t, [new XlsxSheet("targets", ["id", "kind", "every", "value", "from", "to", "note", "created_by"],
                t.Select(x => new object?[] { x.Id, x.Kind, x.Every, x.Value, x.From, x.To, x.Note, x.CreatedBy }).ToList())], []);
        }));
        var id = new Option<long>("--id") { Required = true };
        var delete = new Command("delete", "delete a target; audited") { Db, Park, id, User };
        delete.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            await store.Neutrality.DeleteTargetAsync(pr.GetValue(Park)!, pr.GetValue(id), pr.GetValue(User)!, ct);
            Console.WriteLine($"target #{pr.GetValue(id)} deleted");
            return 0;
        }));
        var year = new Option<int>("--year") { Required = true };
        var asOf = new Option<string?>("--as-of") { Description = "last local date counted as actual (default today)" };
        var progressFormat = FormatOption();
        var progress = new Command("progress", "each month against its targets, to date, and the projected year end (last year's monthly shape, else the run rate)")
            { Db, Park, year, asOf, progressFormat, OutputFile };
        progress.SetAction((pr, ct) => WithStore(pr, async (store, services) =>
        {
            var p = await services.GetRequiredService<TargetService>().ProgressAsync(pr.GetValue(Park)!, pr.GetValue(year), OptionalDate(pr.GetValue(asOf), "as-of"), ct);
            return Emit(pr, progressFormat, p, [new XlsxSheet("progress",
                ["month", "status", "emissions_t", "neutralised_t", "rate", "rate_target", "rate_met", "budget_t", "budget_met", "cue", "cue_target", "cue_met"],
                p.Months.Select(m => new object?[] { m.Month, m.Status, m.EmissionsT, m.NeutralisedT, m.NeutralityRate, m.RateTarget, m.RateMet, m.BudgetT, m.BudgetMet, m.CueKgPerKwh, m.CueTarget, m.CueMet }).ToList())],
                [$"{p.Year} as of {p.AsOf:yyyy-MM-dd}: rate to date {Pct(p.RateToDate)}; projected year end emissions {Output.Format(p.ProjectedEmissionsT)} t, neutralised {Output.Format(p.ProjectedNeutralisedT)} t, " +
                 $"rate {Pct(p.ProjectedRate)} (target {Pct(p.AnnualRateTarget)}); basis {p.ProjectionBasis}", .. p.Notes]);
        }));
        var rate = new Option<string?>("--rate") { Description = "target rate (default: the annual neutrality_rate target)" };
        var mixFormat = FormatOption();
        var mix = new Command("mix", "the cheapest instruments from the imported prices that bring the projected year to a neutrality-rate target (scope-1 rule respected)")
            { Db, Park, year, rate, asOf, mixFormat, OutputFile };
        mix.SetAction((pr, ct) => WithStore(pr, async (store, services) =>
        {
            var m = await services.GetRequiredService<TargetService>().MixAsync(pr.GetValue(Park)!, pr.GetValue(year), Number(pr.GetValue(rate), "rate"), OptionalDate(pr.GetValue(asOf), "as-of"), ct);
            return Emit(pr, mixFormat, m, [new XlsxSheet("mix", ["kind", "units", "unit", "tCO2e", "price_cny", "cost_cny", "purpose", "source"],
                m.Mix.Lines.Select(l => new object?[] { OffsetKinds.Code(l.Kind), l.Units, l.Unit, l.Tonnes, l.PricePerUnit, l.CostCny, l.Purpose, l.Source }).ToList())],
                [$"need {Output.Format(m.Mix.NeededT)} t (scope 1 gap {Output.Format(m.Mix.Scope1NeededT)} t); cost {Output.Format(m.Mix.CostCny)} CNY; {(m.Mix.Reached ? "reaches" : "does not reach")} {Pct(m.TargetRate)}", .. m.Notes]);
        }));
        return new Command("targets", "neutrality-rate targets, emission budgets and CUE targets: progress, projection, cheapest instrument mix") { add, list, delete, progress, mix };
    }

    private static Command Matching()
    {
        var from = new Option<string>("--from") { Required = true, Description = "first local date" };
        var to = new Option<string>("--to") { Required = true, Description = "last local date (inclusive)" };
        var format = FormatOption();
        var cmd = new Command("matching", "24×7: hour by hour, green supply (rooftop PV, green power trades) against the park's load; matched share and uncovered hours")
            { Db, Park, from, to, format, OutputFile };
        cmd.SetAction((pr, ct) => WithStore(pr, async (store, services) =>
        {
            var r = await services.GetRequiredService<MatchingService>().MatchAsync(pr.GetValue(Park)!, CliApp.Date(pr, from), CliApp.Date(pr, to), ct);
            var f = r.Figures;
            return Emit(pr, format, r, [new XlsxSheet("days", ["day", "load_kwh", "supply_kwh", "matched_kwh", "matched_share", "uncovered_hours"],
                r.Days.Select(d => new object?[] { d.Day.ToString("yyyy-MM-dd", Inv), d.LoadKwh, d.SupplyKwh, d.MatchedKwh, d.MatchedShare, d.UncoveredHours }).ToList())],
                [$"load {Output.Format(f.LoadKwh)} kWh, green supply {Output.Format(f.SupplyKwh)} kWh ({Pct(f.AnnualShare)} by volume), matched hour by hour {Output.Format(f.MatchedKwh)} kWh = {Pct(f.MatchedShare)}; " +
                 $"{f.UncoveredHours} of {f.Hours} hours not covered", .. r.Sources, .. r.Notes]);
        }));
        return cmd;
    }

    private static Command Measures()
    {
        var code = new Option<string>("--code") { Required = true };
        var name = new Option<string>("--name") { Required = true };
        var category = new Option<string>("--category") { Required = true, Description = string.Join(" | ", NeutralityStore.MeasureCategories) };
        var boundary = new Option<string>("--boundary") { Required = true, Description = "meter or node (space) codes, comma-separated" };
        var baselineFrom = new Option<string>("--baseline-from") { Required = true };
        var baselineTo = new Option<string>("--baseline-to") { Required = true };
        var start = new Option<string>("--start") { Required = true, Description = "first day the measure is in effect" };
        var price = new Option<string?>("--price") { Description = "CNY per kWh saved" };
        var noTemp = new Option<bool>("--no-temperature") { Description = "normalise by IT energy only" };
        var note = new Option<string?>("--note");
        var add = new Command("add", "register a reduction measure; audited") { Db, Park, code, name, category, boundary, baselineFrom, baselineTo, start, price, noTemp, note, User };
        add.SetAction((pr, ct) => WithStore(pr, async (store, services) =>
        {
            var m = await services.GetRequiredService<MeasureService>().CreateAsync(pr.GetValue(Park)!, new MeasureDraft(pr.GetValue(code)!, pr.GetValue(name)!, pr.GetValue(category)!,
                pr.GetValue(boundary)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), CliApp.Date(pr, baselineFrom), CliApp.Date(pr, baselineTo),
                CliApp.Date(pr, start), Number(pr.GetValue(price), "price"), !pr.GetValue(noTemp), "cli", pr.GetValue(note) ?? ""), pr.GetValue(User)!, ct);
            Console.WriteLine($"measure {m.Code} (#{m.Id}): {m.Name}, {m.Category}, boundary {string.Join(",", m.Boundary)}, baseline {m.BaselineFrom:yyyy-MM-dd}…{m.BaselineTo:yyyy-MM-dd}, from {m.Start:yyyy-MM-dd}");
            return 0;
        }));
        var listFormat = FormatOption();
        var list = new Command("list", "the register of reduction measures") { Db, Park, listFormat, OutputFile };
        list.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var ms = await store.Neutrality.MeasuresAsync(pr.GetValue(Park)!, ct);
            return Emit(pr, listFormat, ms, [new XlsxSheet("measures", ["code", "name", "category", "boundary", "baseline_from", "baseline_to", "start", "price_cny_per_kwh", "status", "source"],
                ms.Select(m => new object?[] { m.Code, m.Name, m.Category, string.Join(",", m.Boundary), m.BaselineFrom.ToString("yyyy-MM-dd", Inv), m.BaselineTo.ToString("yyyy-MM-dd", Inv),
                    m.Start.ToString("yyyy-MM-dd", Inv), m.PriceCnyPerKwh, m.Status, m.Source }).ToList())], []);
        }));
        var asOf = new Option<string?>("--as-of") { Description = "last day counted (default today)" };
        var only = new Option<string?>("--code") { Description = "one measure" };
        var reportFormat = FormatOption();
        var report = new Command("report", "reduction report: baseline model, measured saving to date (kWh, tCO2e, CNY), next year's forecast") { Db, Park, only, asOf, reportFormat, OutputFile };
        report.SetAction((pr, ct) => WithStore(pr, async (store, services) =>
        {
            var reg = await store.Registry.GetRegistryAsync(pr.GetValue(Park)!, ct);
            var r = await services.GetRequiredService<MeasureService>().ReportAsync(pr.GetValue(Park)!, OptionalDate(pr.GetValue(asOf), "as-of") ?? store.Neutrality.LocalToday(reg.Park), pr.GetValue(only), ct);
            return Emit(pr, reportFormat, r, [new XlsxSheet("reduction", ["code", "name", "r2", "baseline_days", "reporting_days", "baseline_kwh", "actual_kwh", "saving_kwh", "saving_pct", "saving_t", "saving_cny", "forecast_kwh", "forecast_t", "forecast_cny"],
                r.Select(x => new object?[] { x.Measure.Code, x.Measure.Name, x.Model?.RSquared, x.BaselineDays, x.ReportingDays, x.BaselineToDateKwh, x.ActualKwh, x.SavingKwh, x.SavingPct, x.SavingT, x.SavingCny, x.ForecastKwh, x.ForecastT, x.ForecastCny }).ToList())],
                r.SelectMany(x => x.Notes.Select(n => $"{x.Measure.Code}: {n}")).ToList());
        }));
        return new Command("measures", "reduction measures: register, measured savings against a normalised baseline, reduction report") { add, list, report };
    }
}
