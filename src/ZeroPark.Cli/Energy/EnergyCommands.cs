using Microsoft.Extensions.DependencyInjection;
using System.CommandLine;
using System.Globalization;
using ZeroPark.Application;
using ZeroPark.Application.EnergyManagement;
using ZeroPark.Application.Export;
using ParseResult = System.CommandLine.ParseResult;

namespace ZeroPark.Cli.EnergyManagement;

/// <summary>
/// <c>zeropark energy kpi | breakdown | flow --db PATH --park CODE [--node CODE] --from YYYY-MM-DD --to YYYY-MM-DD
/// --by day|month|year|total --format table|json|csv</c>. Dates are the park's local dates, <c>--to</c> inclusive; one
/// row (or diagram) per local-time bucket. <c>--format json</c> prints a JSON array (snake_case). Bad input prints one line
/// to standard error and exits 2. Also <c>zeropark energy cost</c> (same options) and <c>zeropark energy tariff add|list</c>;
/// every table command takes <c>--format xlsx --output FILE</c>.
/// </summary>
internal static partial class EnergyCommands
{
    private static readonly Option<string> Db = new("--db") { Description = "SQLite file path or PostgreSQL connection string (Host=…;Database=…)", Required = true };
    private static readonly Option<string> Park = new("--park") { Description = "park code", Required = true };
    private static readonly Option<string?> Node = new("--node") { Description = "space code (building, floor, room); default: the whole park" };
    private static readonly Option<string> From = new("--from") { Description = "first local date, YYYY-MM-DD", Required = true };
    private static readonly Option<string> To = new("--to") { Description = "last local date (inclusive), YYYY-MM-DD", Required = true };
    private static readonly Option<string> By = new("--by") { Description = "day | month | year | total", DefaultValueFactory = _ => "month" };
    private static readonly Option<string> Format = new("--format") { Description = "table | json | csv | xlsx (xlsx needs --output)", DefaultValueFactory = _ => "table" };
    private static readonly Option<string?> OutputFile = new("--output") { Description = "file to write with --format xlsx" };

    public static Command Create()
    {
        var energy = new Command("energy", "energy management: KPIs (PUE, CLF, PLF, ALF, WUE, ERF, ERE, REF, …), breakdown by subsystem, energy flow, " +
                                           "time-of-use electricity cost and tariffs");
        energy.Subcommands.Add(Kpi());
        energy.Subcommands.Add(Breakdown());
        energy.Subcommands.Add(Flow());
        energy.Subcommands.Add(Cost());
        energy.Subcommands.Add(Tariff());
        energy.Subcommands.Add(Plan());
        AddAnalysisCommands(energy);
        return energy;
    }

    private static Command Kpi()
    {
        var cmd = new Command("kpi",
            "KPIs per local-time bucket: PUE (GB 40879 R), CLF, PLF, ALF and the unmetered remainder, WUE (L/kWh), ERF, ERE, REF, DCiE, pPUE, " +
            "IT load rate, rack utilisation, GB 40879 grade; each with its inputs, data completeness (%) and notes (why a value is null)")
            { Db, Park, Node, From, To, By, Format, OutputFile };
        cmd.SetAction((pr, ct) => Run(pr, async (service, q) =>
        {
            // --by month adds mom / yoy (previous month, same month a year earlier), --by year adds yoy (PeriodComparison).
            var rows = await PeriodComparison.KpiAsync(service, q.Park, q.Node, q.From, q.To, q.By, ct);
            if (q.Format == "json") { Output.WriteJson(rows); return 0; }
            if (q.Format == "xlsx") return Xlsx(q, rows.Count, EnergyTables.Kpi(rows));
            if (q.Format == "table")
            {
                // The terminal is narrow: the main KPIs only; --format csv or json has every field.
                Output.Write(q.Format, ["period", "pue", "clf", "plf", "alf", "unmetered", "wue", "erf", "ere", "ref", "cer", "grade", "complete_%"],
                    rows.Select(r => new object?[] { Period(r.Start, r.End), r.Pue, r.Clf, r.Plf, r.Alf, r.UnmeteredFactor, r.Wue, r.Erf, r.Ere, r.Ref, r.Cer, r.Gb40879Grade, r.Completeness }));
                if (rows.Any(r => r.Mom is not null || r.Yoy is not null))
                    Output.Write(q.Format, ["period", "pue", "prev_month_pue", "pue_mom_%", "prev_year_pue", "pue_yoy_%", "total_kwh", "total_mom_%", "total_yoy_%", "wue_mom_%", "wue_yoy_%"],
                        rows.Select(r => new object?[]
                        {
                            Period(r.Start, r.End), r.Pue, r.Mom?.Values["pue"], r.Mom?.ChangePct["pue"], r.Yoy?.Values["pue"], r.Yoy?.ChangePct["pue"], r.Inputs.TotalKwh,
                            r.Mom?.ChangePct["total_kwh"], r.Yoy?.ChangePct["total_kwh"], r.Mom?.ChangePct["wue"], r.Yoy?.ChangePct["wue"],
                        }));
                PrintNotes(rows.Select(r => (r.Start, r.Notes)));
                return 0;
            }
            var table = EnergyTables.Kpi(rows)[0];
            Output.Write(q.Format, table.Columns, table.Rows);
            return 0;
        }));
        return cmd;
    }

    private static Command Breakdown()
    {
        var detail = new Option<bool>("--detail") { Description = "also every system one level below (cooling.chiller, aux.lighting, …)" };
        var cmd = new Command("breakdown", "energy per subsystem (IT, cooling, power losses, auxiliary) and the unmetered remainder, kWh and share of the total input")
            { Db, Park, Node, From, To, By, detail, Format, OutputFile };
        cmd.SetAction((pr, ct) => Run(pr, async (service, q) =>
        {
            // --by month adds mom / yoy: the previous month and the same month a year earlier, with change % (BreakdownComparison).
            var rows = await BreakdownComparison.BreakdownAsync(service, q.Park, q.Node, q.From, q.To, q.By, pr.GetValue(detail), ct);
            if (q.Format == "json") { Output.WriteJson(rows); return 0; }
            if (q.Format == "xlsx") return Xlsx(q, rows.Count, EnergyTables.Breakdown(rows));
            if (q.Format == "table")
            {
                // The terminal is narrow: kWh per subsystem, then (with --detail) one line per system and period.
                Output.Write(q.Format, ["period", "total_kwh", "it_kwh", "cooling_kwh", "power_kwh", "aux_kwh", "unmetered_kwh", "complete_%"],
                    rows.Select(r => new object?[] { Period(r.Start, r.End), r.TotalKwh, r.ItKwh, r.CoolingKwh, r.PowerKwh, r.AuxKwh, r.UnmeteredKwh, r.Completeness }));
                if (rows.Any(r => r.Systems.Any(s => s.Parent is not null)))
                    Output.Write(q.Format, ["period", "system", "name", "kwh"], rows.SelectMany(r => r.Systems.Where(s => s.Parent is not null)
                        .Select(s => new object?[] { Period(r.Start, r.End), s.Code, s.NameZh, s.Kwh })));
                if (q.By == EnergyBucketing.Month)
                    Output.Write(q.Format, ["period", "total_kwh", "prev_month_kwh", "mom_%", "prev_year_kwh", "yoy_%", "it_mom_%", "it_yoy_%", "cooling_mom_%", "cooling_yoy_%"],
                        rows.Select(r => new object?[]
                        {
                            Period(r.Start, r.End), r.TotalKwh, r.Mom?.TotalKwh, r.Mom?.ChangePct["total"], r.Yoy?.TotalKwh, r.Yoy?.ChangePct["total"],
                            r.Mom?.ChangePct["it"], r.Yoy?.ChangePct["it"], r.Mom?.ChangePct["cooling"], r.Yoy?.ChangePct["cooling"],
                        }));
                PrintNotes(rows.Select(r => (r.Start, r.Notes)));
                return 0;
            }
            var children = rows.SelectMany(r => r.Systems).Where(s => s.Parent is not null).Select(s => s.Code).Distinct().ToList();
            List<string> columns = ["start", "end", "total_kwh", "it_kwh", "cooling_kwh", "power_kwh", "aux_kwh", "unmetered_kwh", "it_share", "cooling_share", "power_share", "aux_share", "unmetered_share"];
            columns.AddRange(children.Select(c => c + "_kwh"));
            var compare = q.By == EnergyBucketing.Month;
            if (compare) columns.AddRange(["mom_total_kwh", "mom_total_change_pct", "yoy_total_kwh", "yoy_total_change_pct"]);
            columns.Add("completeness");
            Output.Write(q.Format, columns, rows.Select(r =>
            {
                var values = new List<object?>
                {
                    r.Start, r.End, r.TotalKwh, r.ItKwh, r.CoolingKwh, r.PowerKwh, r.AuxKwh, r.UnmeteredKwh,
                    r.Shares["it"], r.Shares["cooling"], r.Shares["power"], r.Shares["aux"], r.Shares["unmetered"],
                };
                values.AddRange(children.Select(c => (object?)r.Systems.FirstOrDefault(s => s.Code == c)?.Kwh));
                if (compare) values.AddRange([r.Mom?.TotalKwh, r.Mom?.ChangePct["total"], r.Yoy?.TotalKwh, r.Yoy?.ChangePct["total"]]);
                values.Add(r.Completeness);
                return values.ToArray();
            }));
            return 0;
        }));
        return cmd;
    }

    private static Command Flow()
    {
        var carrier = new Option<string>("--carrier") { Description = "electricity (default) | water (m³: water_input meters → uses by system) | heat (kWh: cooling load → reused heat, rejected)", DefaultValueFactory = _ => "electricity" };
        var cmd = new Command("flow", "energy flow (Sankey) data: grid incoming lines and on-site PV → power distribution → IT / cooling / auxiliary / " +
                                      "transformer and UPS losses (or --carrier water | heat), with the unmetered remainder explicit; json gives nodes and links per bucket")
            { Db, Park, Node, From, To, By, carrier, Format, OutputFile };
        cmd.SetAction((pr, ct) => Run(pr, async (service, q) =>
        {
            var flows = await service.FlowViewsAsync(q.Park, q.Node, q.From, q.To, q.By, pr.GetValue(carrier), ct);
            if (q.Format == "json") { Output.WriteJson(flows); return 0; }
            if (q.Format == "xlsx") return Xlsx(q, flows.Sum(f => f.Links.Count), EnergyTables.Flow(flows));
            var unit = flows.FirstOrDefault()?.Unit ?? "kWh";
            var valueColumn = unit == "kWh" ? "kwh" : unit;
            if (q.Format == "table")
                Output.Write(q.Format, ["period", "source", "target", valueColumn], flows.SelectMany(f => f.Links.Select(l => new object?[] { Period(f.Start, f.End), l.Source, l.Target, l.Value })));
            else
                Output.Write(q.Format, ["start", "end", "source", "target", valueColumn], flows.SelectMany(f => f.Links.Select(l => new object?[] { f.Start, f.End, l.Source, l.Target, l.Value })));
            if (q.Format == "table")
            {
                foreach (var f in flows)
                {
                    var state = f.Balanced is { } b ? (b ? " (balanced)" : " (does not balance)") : "";
                    Console.WriteLine($"{Period(f.Start, f.End)}: input {Output.Format(f.Input)} {f.Unit}, metered {Output.Format(f.Metered)} {f.Unit}, unmetered {Output.Format(f.Unmetered)} {f.Unit}{state}");
                }
                PrintNotes(flows.Select(f => (f.Start, f.Notes)));
            }
            return 0;
        }));
        return cmd;
    }

    private static Command Cost()
    {
        var cmd = new Command("cost",
            "electricity cost with time-of-use tariffs (尖峰/峰/平/谷): per bucket the grid energy and cost per period, total cost, average price and the " +
            "cost per subsystem (IT, cooling, power losses, auxiliary), each hour priced by the tariff version in effect on its local date")
            { Db, Park, Node, From, To, By, Format, OutputFile };
        cmd.SetAction((pr, ct) => Run(pr, async (_, q) =>
        {
            // --by month adds mom / yoy, --by year adds yoy (PeriodComparison).
            var rows = await PeriodComparison.CostAsync(q.Services.GetRequiredService<EnergyCostService>(), q.Park, q.Node, q.From, q.To, q.By, ct);
            if (q.Format == "json") { Output.WriteJson(rows); return 0; }
            if (q.Format == "xlsx") return Xlsx(q, rows.Count, EnergyTables.Cost(rows));
            if (q.Format == "csv") { var (columns, data) = EnergyTables.CostTable(rows); Output.Write(q.Format, columns, data); return 0; }
            // The terminal is narrow: totals, then one line per bucket and time-of-use period; csv, json and xlsx have every field.
            Output.Write(q.Format, ["period", "energy_kwh", "cost_cny", "avg_cny_per_kwh", "complete_%"],
                rows.Select(r => new object?[] { Period(r.Start, r.End), r.EnergyKwh, r.CostCny, r.AveragePriceCnyPerKwh, r.Completeness }));
            Output.Write(q.Format, ["period", "tou", "kwh", "cost_cny"], rows.SelectMany(r => new (string Tou, double Kwh, double? Cny)[]
                {
                    ("critical_peak", r.CriticalPeakKwh, r.CriticalPeakCostCny), ("peak", r.PeakKwh, r.PeakCostCny),
                    ("flat", r.FlatKwh, r.FlatCostCny), ("valley", r.ValleyKwh, r.ValleyCostCny),
                }.Select(t => new object?[] { Period(r.Start, r.End), t.Tou, t.Kwh, t.Cny })));
            Output.Write(q.Format, ["period", "it_cny", "cooling_cny", "power_cny", "aux_cny", "unallocated_cny", "tariff_versions"],
                rows.Select(r => new object?[] { Period(r.Start, r.End), r.ItCostCny, r.CoolingCostCny, r.PowerCostCny, r.AuxCostCny, r.UnallocatedCostCny, string.Join(", ", r.TariffVersions) }));
            if (rows.Any(r => r.Mom is not null || r.Yoy is not null))
                Output.Write(q.Format, ["period", "cost_cny", "prev_month_cny", "cost_mom_%", "prev_year_cny", "cost_yoy_%", "energy_mom_%", "energy_yoy_%"],
                    rows.Select(r => new object?[]
                    {
                        Period(r.Start, r.End), r.CostCny, r.Mom?.Values["cost_cny"], r.Mom?.ChangePct["cost_cny"], r.Yoy?.Values["cost_cny"], r.Yoy?.ChangePct["cost_cny"],
                        r.Mom?.ChangePct["energy_kwh"], r.Yoy?.ChangePct["energy_kwh"],
                    }));
            PrintNotes(rows.Select(r => (r.Start, r.Notes)));
            return 0;
        }));
        return cmd;
    }

    /// <summary><c>zeropark energy tariff add|list</c>. The file of <c>add</c> is JSON (see README "Electricity cost"):
    /// <c>{"name": "…", "prices": {"critical_peak": 1.3, "peak": 1.05, "flat": 0.65, "valley": 0.3},
    /// "schedule": [{"start": 0, "end": 8, "period": "valley"}, …, {"start": 20, "end": 22, "period": "critical_peak", "months": [7, 8]}]}</c>.</summary>
    private static Command Tariff()
    {
        var tariff = new Command("tariff", "time-of-use electricity tariffs: effective-dated versions per park (prices CNY/kWh per period, daily schedule of local hours)");
        var validFrom = new Option<string>("--from") { Description = "local date from which the version applies, YYYY-MM-DD", Required = true };
        var file = new Option<string>("--file") { Description = "tariff JSON: {name, prices: {critical_peak, peak, flat, valley}, schedule: [{start, end, period, months?}]}", Required = true };
        var user = new Option<string>("--user") { Description = "user recorded in the audit log", DefaultValueFactory = _ => Environment.UserName };
        var add = new Command("add", "add a tariff version valid from --from (versions are never overwritten; a later version replaces it from its own date)")
            { Db, Park, validFrom, file, user };
        add.SetAction((pr, ct) => RunStore(pr, async store =>
        {
            var path = pr.GetValue(file)!;
            string text;
            try { text = await File.ReadAllTextAsync(path, ct); }
            catch (IOException e) { throw new ValidationException("file", $"'file': cannot read '{path}': {e.Message}"); }
            catch (UnauthorizedAccessException e) { throw new ValidationException("file", $"'file': cannot read '{path}': {e.Message}"); }
            var draft = TariffDraft.FromJson(text);
            var from = pr.GetValue(validFrom)!.Trim();
            if (draft.ValidFrom is { } inFile && !string.Equals(inFile.Trim(), from, StringComparison.Ordinal))
                throw new ValidationException("from", $"'from': {from} differs from valid_from {inFile} in the file");
            try
            {
                var v = await store.Tariffs.CreateTariffVersionAsync(pr.GetValue(Park)!, draft with { ValidFrom = from }, pr.GetValue(user)!, ct);
                Console.WriteLine($"tariff version valid from {v.ValidFrom:yyyy-MM-dd} added to park '{pr.GetValue(Park)}' ({v.Schedule.Count} schedule lines)");
                return 0;
            }
            catch (ValidationException e) when (e.Field == "valid_from")
            {
                throw new ValidationException("from", e.Message.Replace("'valid_from'", "'from'", StringComparison.Ordinal));
            }
        }));
        var listFormat = new Option<string>("--format") { Description = "table | json | csv", DefaultValueFactory = _ => "table" };
        var list = new Command("list", "tariff versions of the park, oldest first") { Db, Park, listFormat };
        list.SetAction((pr, ct) => RunStore(pr, async store =>
        {
            var format = pr.GetValue(listFormat)!.Trim().ToLowerInvariant();
            if (format is not ("table" or "json" or "csv")) throw new ValidationException("format", $"'{format}' is not one of table, json, csv");
            var versions = (await store.Tariffs.ListTariffVersionsAsync(pr.GetValue(Park)!, ct)).Select(TariffVersionView.From).ToList();
            if (format == "json") { Output.WriteJson(versions); return 0; }
            static string Schedule(TariffVersionView v) => string.Join("; ", v.Schedule.Select(e =>
                $"{e.Start:00}-{e.End:00} {e.Period}" + (e.Months is null ? "" : " (months " + string.Join(",", e.Months) + ")")));
            Output.Write(format, ["valid_from", "name", "critical_peak", "peak", "flat", "valley", "schedule", "created_by"],
                versions.Select(v => new object?[]
                {
                    v.ValidFrom, v.Name, v.Prices.GetValueOrDefault("critical_peak"), v.Prices.GetValueOrDefault("peak"), v.Prices.GetValueOrDefault("flat"),
                    v.Prices.GetValueOrDefault("valley"), Schedule(v), v.CreatedBy,
                }));
            return 0;
        }));
        tariff.Subcommands.Add(add);
        tariff.Subcommands.Add(list);
        return tariff;
    }

    /// <summary>Writes the sheets to --output and says so on standard output.</summary>
    private static int Xlsx(Query q, int rows, XlsxSheet[] sheets)
    {
        XlsxWriter.WriteFile(q.Output!, sheets);
        Console.WriteLine($"wrote {rows} row{(rows == 1 ? "" : "s")} to {q.Output}");
        return 0;
    }

    /// <summary>Opens the store and runs the body, with the error mapping of <see cref="Run"/>.</summary>
    private static Task<int> RunStore(ParseResult pr, Func<ZeroParkStore, Task<int>> body) => CliApp.WithStore(pr, body, Db);
    private static Task<int> RunStore(ParseResult pr, Func<ZeroParkStore, IServiceProvider, Task<int>> body) => CliApp.WithStore(pr, body, Db);

    private sealed record Query(string Park, string? Node, DateOnly From, DateOnly To, EnergyBucketing By, string Format, string? Output)
    {
        public ZeroParkStore Store { get; init; } = null!;
        public IServiceProvider Services { get; init; } = null!;
    }

    /// <summary>Opens the store, parses the common options and runs the body; ZeroPark's exceptions become one line on standard
    /// error and exit code 2 (as <c>CliApp.WithStore</c> does for the other commands).</summary>
    private static async Task<int> Run(ParseResult pr, Func<EnergyService, Query, Task<int>> body)
    {
        try
        {
            var format = pr.GetValue(Format)!.Trim().ToLowerInvariant();
            if (format is not ("table" or "json" or "csv" or "xlsx")) throw new ValidationException("format", $"'{format}' is not one of table, json, csv, xlsx");
            var output = pr.GetValue(OutputFile);
            if (format == "xlsx" && string.IsNullOrWhiteSpace(output)) throw new ValidationException("output", "--format xlsx needs --output FILE");
            var q = new Query(pr.GetValue(Park)!, pr.GetValue(Node), CliApp.Date(pr, From), CliApp.Date(pr, To), EnergyBuckets.Parse(pr.GetValue(By)), format, output);
            await using var services = CliApp.BuildServices(pr.GetValue(Db)!);
            return await body(services.GetRequiredService<EnergyService>(), q with { Store = services.GetRequiredService<ZeroParkStore>(), Services = services });
        }
        catch (Exception e) when (e is ValidationException or NotFoundException or ConflictException or ArgumentException or FormatException or System.Data.Common.DbException)
        {
            await Console.Error.WriteLineAsync("error: " + (e is ValidationException v ? $"{v.Field}: {v.Message}" : e.Message));
            return 2;
        }
    }

    /// <summary>Local dates of a bucket [start, end): "2025-01-01" for a day, "2025-01-01..2025-01-31" otherwise.</summary>
    private static string Period(DateTimeOffset start, DateTimeOffset end)
    {
        var first = DateOnly.FromDateTime(start.DateTime);
        var last = DateOnly.FromDateTime(end.DateTime).AddDays(-1);
        return last <= first ? first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : $"{first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}..{last.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
    }

    private static void PrintNotes(IEnumerable<(DateTimeOffset Start, IReadOnlyList<string> Notes)> rows)
    {
        foreach (var (start, notes) in rows)
            foreach (var n in notes)
                Console.WriteLine($"{DateOnly.FromDateTime(start.DateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}  {n}");
    }
}
