using Microsoft.Extensions.DependencyInjection;
using System.CommandLine;
using ZeroPark.Domain;
using ZeroPark.Application;
using ZeroPark.Application.EnergyManagement;
using ZeroPark.Application.Export;

namespace ZeroPark.Cli.EnergyManagement;

/// <summary><c>zeropark energy assess | top | warnings | racks | equipment | balance</c>: comprehensive assessment and the device
/// dimension of energy analysis.</summary>
internal static partial class EnergyCommands
{
    private static void AddAnalysisCommands(Command energy)
    {
        energy.Subcommands.Add(Assess());
        energy.Subcommands.Add(Top());
        energy.Subcommands.Add(Warnings());
        energy.Subcommands.Add(Racks());
        energy.Subcommands.Add(Equipment());
        energy.Subcommands.Add(Balance());
        energy.Subcommands.Add(BalanceGroup());
    }

    private static Option<string> AnalysisBy() => new("--by") { Description = "day | week (ISO, Monday–Sunday) | month | total", DefaultValueFactory = _ => "total" };

    private static Command Assess()
    {
        var year = new Option<string>("--year") { Description = "assessed year (1 January .. --as-of)", Required = true };
        var asOf = new Option<string?>("--as-of") { Description = "last local date of the assessment, YYYY-MM-DD (default: today)" };
        var k = new Option<string?>("--k") { Description = "own-history anomaly: at least this many standard deviations (default 2; skipped when σ = 0)" };
        var pct = new Option<string?>("--deviation-pct") { Description = "own-history anomaly: at least this % from the mean of the previous months (default 10)" };
        var peer = new Option<string?>("--peer-deviation-pct") { Description = "peer anomaly: at least this % from the median of all buildings that month (default 10)" };
        var history = new Option<string?>("--history-months") { Description = "trailing months of a building's own history (default 12, at least 3 with a value)" };
        var format = FormatOption();
        var park = new Option<string?>("--park") { Description = "park code: rank its buildings" };
        var allParks = new Option<bool>("--all-parks") { Description = "rank every park of the database against each other instead (park totals)" };
        var cmd = new Command("assess",
            "comprehensive assessment of the park's buildings (1 January .. as-of): PUE, WUE, energy intensity (kWh per rack in use), actual vs plan and vs " +
            "last year (energy saved) with rankings; anomalous buildings whose monthly PUE or WUE deviates from their own history or from their peers; " +
            "--all-parks does the same with every park as one node")
            { Db, park, allParks, year, asOf, k, pct, peer, history, format, OutputFile };
        cmd.SetAction((pr, ct) => RunStore(pr, async (store, services) =>
        {
            var d = new AnomalyOptions();
            var options = new AnomalyOptions(Number(pr.GetValue(k), "k") ?? d.K, Number(pr.GetValue(pct), "deviation-pct") ?? d.DeviationPct,
                Number(pr.GetValue(peer), "peer-deviation-pct") ?? d.PeerDeviationPct, Int(pr.GetValue(history), "history-months") ?? d.HistoryMonths);
            var code = pr.GetValue(park);
            var all = pr.GetValue(allParks);
            if (all == !string.IsNullOrWhiteSpace(code)) throw new ValidationException("park", "give either --park CODE or --all-parks");
            var service = services.GetRequiredService<AssessmentService>();
            var y = Int(pr.GetValue(year), "year");
            var at = OptionalDate(pr.GetValue(asOf), "as-of");
            var a = AssessmentView.From(all ? await service.AssessParksAsync(y, at, options, ct: ct) : await service.AssessAsync(code!, y, at, options, ct));
            var f = CheckFormat(pr, format);
            if (f != "table") return Emit(pr, format, a, EnergyTables.Assessment(a), a.Notes);
            Console.WriteLine($"{a.Park ?? "all parks"} {a.PeriodFrom}..{a.AsOf}");
            Output.Write(f, [a.Level, "energy_kwh", "pue", "wue", "racks", "kwh_per_rack", "plan_to_date", "saved_vs_plan", "saved_vs_plan_%", "saved_vs_last_year",
                    "rank_pue", "rank_wue", "rank_intensity", "rank_plan"],
                a.Nodes.Select(b => new object?[]
                {
                    b.Node, b.EnergyKwh, b.Pue, b.Wue, b.RacksInUse, b.IntensityKwhPerRack, b.PlanToDateKwh, b.SavedVsPlanKwh, b.SavedVsPlanPct, b.SavedVsLastYearKwh,
                    b.RankPue, b.RankWue, b.RankIntensity, b.RankPlan,
                }));
            Console.WriteLine(a.Anomalies.Count == 0 ? "no anomalies" : $"{a.Anomalies.Count} anomal{(a.Anomalies.Count == 1 ? "y" : "ies")}:");
            foreach (var x in a.Anomalies) Console.WriteLine($"  {x.Node} {x.Month} {x.Kpi} ({x.Basis}): {x.Reason}");
            foreach (var b in a.Nodes) foreach (var n in b.Notes) Console.WriteLine($"{b.Node}  {n}");
            foreach (var n in a.Notes) Console.WriteLine(n);
            return 0;
        }));
        return cmd;
    }

    private static readonly Option<string?> Carrier = new("--carrier") { Description = "carrier (default electricity)" };
    private static readonly Option<string?> SystemOption = new("--system") { Description = "system subtree, e.g. cooling or cooling.chiller" };

    private static Carrier CarrierOf(System.CommandLine.ParseResult pr) => pr.GetValue(Carrier) is { Length: > 0 } c
        ? (Codes.TryCarrier(c.Trim(), out var x) ? x : throw new ValidationException("carrier", $"'carrier': unknown carrier '{c}'"))
        : Domain.Carrier.Electricity;

    private static Command Top()
    {
        var n = new Option<string?>("--n") { Description = "how many meters per group (default 10)" };
        var group = new Option<string?>("--group") { Description = "none (one ranking, default) | system (per system one level below the top) | building" };
        var format = FormatOption();
        var cmd = new Command("top", "top-N meters (devices) by energy over the period, under a node and system, ranked per group, with their share of the group")
            { Db, Park, Node, SystemOption, Carrier, From, To, n, group, format, OutputFile };
        cmd.SetAction((pr, ct) => RunStore(pr, async (store, services) =>
        {
            var rows = (await services.GetRequiredService<DeviceAnalysisService>().TopAsync(pr.GetValue(Park)!, pr.GetValue(Node), pr.GetValue(SystemOption), CarrierOf(pr),
                CliApp.Date(pr, From), CliApp.Date(pr, To), Int(pr.GetValue(n), "n") ?? 10, pr.GetValue(group), ct)).Select(RankedDeviceView.From).ToList();
            return Emit(pr, format, rows, EnergyTables.Top(rows), []);
        }));
        return cmd;
    }

    private static Command Warnings()
    {
        var baseline = new Option<string?>("--baseline-days") { Description = "days before --from that form the baseline (default 28)" };
        var threshold = new Option<string?>("--threshold") { Description = "warn when the period's daily average exceeds the baseline's by at least this % (default 20)" };
        var format = FormatOption();
        var cmd = new Command("warnings", "high-consumption warnings: meters whose average daily energy over the period exceeds their own trailing baseline by the threshold")
            { Db, Park, Node, SystemOption, Carrier, From, To, baseline, threshold, format, OutputFile };
        cmd.SetAction((pr, ct) => RunStore(pr, async (store, services) =>
        {
            var rows = (await services.GetRequiredService<DeviceAnalysisService>().WarningsAsync(pr.GetValue(Park)!, pr.GetValue(Node), pr.GetValue(SystemOption), CarrierOf(pr),
                CliApp.Date(pr, From), CliApp.Date(pr, To), Int(pr.GetValue(baseline), "baseline-days") ?? 28, Number(pr.GetValue(threshold), "threshold") ?? 20, ct))
                .Select(WarningView.From).ToList();
            var code = Emit(pr, format, rows, EnergyTables.Warnings(rows), []);
            if (CheckFormat(pr, format) == "table") Console.WriteLine(rows.Count == 0 ? "no warnings" : string.Join(Environment.NewLine, rows.Select(r => r.Reason)));
            return code;
        }));
        return cmd;
    }

    private static Command Racks()
    {
        var by = AnalysisBy();
        var format = FormatOption();
        var cmd = new Command("racks", "IT energy per rack (a rack space, or an it_load meter outside rack spaces) per day, ISO week, month or in total")
            { Db, Park, Node, From, To, by, format, OutputFile };
        cmd.SetAction((pr, ct) => RunStore(pr, async (store, services) =>
        {
            var rows = (await services.GetRequiredService<DeviceAnalysisService>().RacksAsync(pr.GetValue(Park)!, pr.GetValue(Node), CliApp.Date(pr, From), CliApp.Date(pr, To),
                AnalysisBuckets.Parse(pr.GetValue(by)), ct)).Select(RackEnergyView.From).ToList();
            return Emit(pr, format, rows, EnergyTables.Racks(rows), []);
        }));
        return cmd;
    }

    private static Command Equipment()
    {
        var system = new Option<string>("--system") { Description = "cooling (by equipment type: chillers, pumps, towers, CRAH, in-row) | power (losses by device type)", Required = true };
        var by = AnalysisBy();
        var format = FormatOption();
        var cmd = new Command("equipment",
            "cooling energy by equipment type or power-system losses by device type (transformer, UPS, HVDC) and by voltage level (10 kV, 0.4 kV) per bucket " +
            "with rankings; devices ranked within each type")
            { Db, Park, Node, system, From, To, by, format, OutputFile };
        cmd.SetAction((pr, ct) => RunStore(pr, async (store, services) =>
        {
            var e = EquipmentView.From(await services.GetRequiredService<DeviceAnalysisService>().EquipmentAsync(pr.GetValue(Park)!, pr.GetValue(Node), pr.GetValue(system)!,
                CliApp.Date(pr, From), CliApp.Date(pr, To), AnalysisBuckets.Parse(pr.GetValue(by)), ct));
            var sheets = EnergyTables.Equipment(e);
            var code = Emit(pr, format, e, sheets, []);
            var f = CheckFormat(pr, format);
            if (f is "table" or "csv") Output.Write(f, sheets[1].Columns, sheets[1].Rows);
            if (f is "table" or "csv" && sheets.Length > 2) Output.Write(f, sheets[2].Columns, sheets[2].Rows);
            if (f == "table") foreach (var n in e.Notes) Console.WriteLine(n);
            return code;
        }));
        return cmd;
    }

    private static Command Balance()
    {
        var master = new Option<string?>("--master") { Description = "ad hoc: master meter(s) as a formula of meter codes, e.g. 'b1_in1 + b1_in2' (with --sub)" };
        var sub = new Option<string?>("--sub") { Description = "ad hoc: downstream meters as a formula, e.g. 'b1_tx1 + b1_tx2' (with --master)" };
        var group = new Option<string?>("--group") { Description = "a stored balance group (default without --master: every stored group)" };
        var tolerance = new Option<string?>("--tolerance") { Description = "ad hoc: flag when |imbalance| exceeds this % of the master (default 2)" };
        var by = AnalysisBy();
        var format = FormatOption();
        var cmd = new Command("balance", "master/sub-meter balance check (data quality): master − Σ sub meters, kWh and % of the master per bucket, flagged above " +
                                         "the tolerance; for the stored balance groups (energy balance-group) or ad hoc with --master and --sub")
            { Db, Park, master, sub, group, From, To, by, tolerance, format, OutputFile };
        cmd.SetAction((pr, ct) => RunStore(pr, async (store, services) =>
        {
            var service = services.GetRequiredService<DeviceAnalysisService>();
            var (from, to, bucketing) = (CliApp.Date(pr, From), CliApp.Date(pr, To), AnalysisBuckets.Parse(pr.GetValue(by)));
            var reports = await service.BalanceChecksAsync(pr.GetValue(Park)!, pr.GetValue(master), pr.GetValue(sub), pr.GetValue(group),
                Number(pr.GetValue(tolerance), "tolerance"), from, to, bucketing, ct);
            var views = reports.Select(BalanceView.From).ToList();
            var code = Emit(pr, format, views, EnergyTables.Balance(views),
                views.SelectMany(b => b.Rows.SelectMany(r => r.Notes.Select(n => $"{b.Group ?? "ad hoc"} {r.Start:yyyy-MM-dd}  {n}"))).ToList());
            if (views.Count == 0 && CheckFormat(pr, format) == "table")
                Console.WriteLine("no balance groups: add one with 'zeropark energy balance-group set', or give --master and --sub");
            return code;
        }));
        return cmd;
    }

    private static Command BalanceGroup()
    {
        var group = new Command("balance-group", "stored master/sub-meter balance groups, checked by 'zeropark energy balance'");
        var code = new Option<string>("--code") { Description = "group code, e.g. b1-transformers", Required = true };
        var name = new Option<string?>("--name") { Description = "display name" };
        var master = new Option<string>("--master") { Description = "master meter(s), e.g. 'b1_in1 + b1_in2'", Required = true };
        var sub = new Option<string>("--sub") { Description = "downstream meters, e.g. 'b1_tx1 + b1_tx2'", Required = true };
        var tolerance = new Option<string?>("--tolerance") { Description = "flag when |imbalance| exceeds this % of the master (default 2)" };
        var set = new Command("set", "add or replace a balance group (audited)") { Db, Park, code, name, master, sub, tolerance, User };
        set.SetAction((pr, ct) => RunStore(pr, async store =>
        {
            var g = await store.BalanceGroups.SetBalanceGroupAsync(pr.GetValue(Park)!, new BalanceGroupDraft(pr.GetValue(code), pr.GetValue(master), pr.GetValue(sub),
                Number(pr.GetValue(tolerance), "tolerance"), pr.GetValue(name)), pr.GetValue(User)!, ct);
            Console.WriteLine($"balance group {g.Code}: {g.Master} vs {g.Sub}, tolerance {Output.Format(g.TolerancePct)} %");
            return 0;
        }));
        var format = FormatOption();
        var list = new Command("list", "the park's balance groups") { Db, Park, format, OutputFile };
        list.SetAction((pr, ct) => RunStore(pr, async store =>
        {
            var groups = (await store.BalanceGroups.ListBalanceGroupsAsync(pr.GetValue(Park)!, ct)).Select(BalanceGroupView.From).ToList();
            return Emit(pr, format, groups, EnergyTables.BalanceGroups(groups), []);
        }));
        group.Subcommands.Add(set);
        group.Subcommands.Add(list);
        return group;
    }
}
