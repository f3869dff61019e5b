using System.CommandLine;
using System.Globalization;
using ZeroPark.Storage;
using ZeroPark.Storage.EnergyManagement;
using ParseResult = System.CommandLine.ParseResult;

namespace ZeroPark.Cli.EnergyManagement;

/// <summary>
/// <c>zeropark energy kpi | breakdown | flow --db PATH --park CODE [--node CODE] --from YYYY-MM-DD --to YYYY-MM-DD
/// --by day|month|year|total --format table|json|csv</c>. Dates are the park's local dates, <c>--to</c> inclusive; one
/// row (or diagram) per local-time bucket. <c>--format json</c> prints a JSON array (snake_case). Bad input prints one line
/// to standard error and exits 2.
/// </summary>
internal static class EnergyCommands
{
    private static readonly Option<string> Db = new("--db") { Description = "SQLite file path or PostgreSQL connection string (Host=…;Database=…)", Required = true };
    private static readonly Option<string> Park = new("--park") { Description = "park code", Required = true };
    private static readonly Option<string?> Node = new("--node") { Description = "space code (building, floor, room); default: the whole park" };
    private static readonly Option<string> From = new("--from") { Description = "first local date, YYYY-MM-DD", Required = true };
    private static readonly Option<string> To = new("--to") { Description = "last local date (inclusive), YYYY-MM-DD", Required = true };
    private static readonly Option<string> By = new("--by") { Description = "day | month | year | total", DefaultValueFactory = _ => "month" };
    private static readonly Option<string> Format = new("--format") { Description = "table | json | csv", DefaultValueFactory = _ => "table" };

    public static Command Create()
    {
        var energy = new Command("energy", "energy management: KPIs (PUE, CLF, PLF, ALF, WUE, ERF, ERE, REF, …), breakdown by subsystem, energy flow");
        energy.Subcommands.Add(Kpi());
        energy.Subcommands.Add(Breakdown());
        energy.Subcommands.Add(Flow());
        return energy;
    }

    private static Command Kpi()
    {
        var cmd = new Command("kpi",
            "KPIs per local-time bucket: PUE (GB 40879 R), CLF, PLF, ALF and the unmetered remainder, WUE (L/kWh), ERF, ERE, REF, DCiE, pPUE, " +
            "IT load rate, rack utilisation, GB 40879 grade; each with its inputs, data completeness (%) and notes (why a value is null)")
            { Db, Park, Node, From, To, By, Format };
        cmd.SetAction((pr, ct) => Run(pr, async (service, q) =>
        {
            var rows = (await service.KpiAsync(q.Park, q.Node, q.From, q.To, q.By, ct)).Select(KpiRowView.From).ToList();
            if (q.Format == "json") { Output.WriteJson(rows); return 0; }
            if (q.Format == "table")
            {
                // The terminal is narrow: the main KPIs only; --format csv or json has every field.
                Output.Write(q.Format, ["period", "pue", "clf", "plf", "alf", "unmetered", "wue", "erf", "ere", "ref", "grade", "complete_%"],
                    rows.Select(r => new object?[] { Period(r.Start, r.End), r.Pue, r.Clf, r.Plf, r.Alf, r.UnmeteredFactor, r.Wue, r.Erf, r.Ere, r.Ref, r.Gb40879Grade, r.Completeness }));
                PrintNotes(rows.Select(r => (r.Start, r.Notes)));
                return 0;
            }
            Output.Write(q.Format, ["start", "end", "pue", "clf", "plf", "alf", "unmetered", "wue", "erf", "ere", "ref", "dcie", "it_load_rate", "rack_utilisation", "gb40879_grade", "completeness", "notes"],
                rows.Select(r => new object?[]
                {
                    r.Start, r.End, r.Pue, r.Clf, r.Plf, r.Alf, r.UnmeteredFactor, r.Wue, r.Erf, r.Ere, r.Ref, r.Dcie, r.ItLoadRate, r.RackUtilisation, r.Gb40879Grade,
                    r.Completeness, string.Join(" | ", r.Notes),
                }));
            return 0;
        }));
        return cmd;
    }

    private static Command Breakdown()
    {
        var detail = new Option<bool>("--detail") { Description = "also every system one level below (cooling.chiller, aux.lighting, …)" };
        var cmd = new Command("breakdown", "energy per subsystem (IT, cooling, power losses, auxiliary) and the unmetered remainder, kWh and share of the total input")
            { Db, Park, Node, From, To, By, detail, Format };
        cmd.SetAction((pr, ct) => Run(pr, async (service, q) =>
        {
            var rows = (await service.BreakdownAsync(q.Park, q.Node, q.From, q.To, q.By, pr.GetValue(detail), ct)).Select(BreakdownRowView.From).ToList();
            if (q.Format == "json") { Output.WriteJson(rows); return 0; }
            if (q.Format == "table")
            {
                // The terminal is narrow: kWh per subsystem, then (with --detail) one line per system and period.
                Output.Write(q.Format, ["period", "total_kwh", "it_kwh", "cooling_kwh", "power_kwh", "aux_kwh", "unmetered_kwh", "complete_%"],
                    rows.Select(r => new object?[] { Period(r.Start, r.End), r.TotalKwh, r.ItKwh, r.CoolingKwh, r.PowerKwh, r.AuxKwh, r.UnmeteredKwh, r.Completeness }));
                if (rows.Any(r => r.Systems.Any(s => s.Parent is not null)))
                    Output.Write(q.Format, ["period", "system", "name", "kwh"], rows.SelectMany(r => r.Systems.Where(s => s.Parent is not null)
                        .Select(s => new object?[] { Period(r.Start, r.End), s.Code, s.NameZh, s.Kwh })));
                PrintNotes(rows.Select(r => (r.Start, r.Notes)));
                return 0;
            }
            var children = rows.SelectMany(r => r.Systems).Where(s => s.Parent is not null).Select(s => s.Code).Distinct().ToList();
            List<string> columns = ["start", "end", "total_kwh", "it_kwh", "cooling_kwh", "power_kwh", "aux_kwh", "unmetered_kwh", "it_share", "cooling_share", "power_share", "aux_share", "unmetered_share"];
            columns.AddRange(children.Select(c => c + "_kwh"));
            columns.Add("completeness");
            Output.Write(q.Format, columns, rows.Select(r =>
            {
                var values = new List<object?>
                {
                    r.Start, r.End, r.TotalKwh, r.ItKwh, r.CoolingKwh, r.PowerKwh, r.AuxKwh, r.UnmeteredKwh,
                    r.Shares["it"], r.Shares["cooling"], r.Shares["power"], r.Shares["aux"], r.Shares["unmetered"],
                };
                values.AddRange(children.Select(c => (object?)r.Systems.FirstOrDefault(s => s.Code == c)?.Kwh));
                values.Add(r.Completeness);
                return values.ToArray();
            }));
            return 0;
        }));
        return cmd;
    }

    private static Command Flow()
    {
        var cmd = new Command("flow", "energy flow (Sankey) data: grid incoming lines and on-site PV → power distribution → IT / cooling / auxiliary / " +
                                      "transformer and UPS losses, with the unmetered remainder explicit; json gives nodes and links per bucket")
            { Db, Park, Node, From, To, By, Format };
        cmd.SetAction((pr, ct) => Run(pr, async (service, q) =>
        {
            var flows = (await service.FlowAsync(q.Park, q.Node, q.From, q.To, q.By, ct)).Select(FlowView.From).ToList();
            if (q.Format == "json") { Output.WriteJson(flows); return 0; }
            if (q.Format == "table")
                Output.Write(q.Format, ["period", "source", "target", "kwh"], flows.SelectMany(f => f.Links.Select(l => new object?[] { Period(f.Start, f.End), l.Source, l.Target, l.Kwh })));
            else
                Output.Write(q.Format, ["start", "end", "source", "target", "kwh"], flows.SelectMany(f => f.Links.Select(l => new object?[] { f.Start, f.End, l.Source, l.Target, l.Kwh })));
            if (q.Format == "table")
            {
                foreach (var f in flows)
                {
                    var state = f.Balanced is { } b ? (b ? " (balanced)" : " (does not balance)") : "";
                    Console.WriteLine($"{Period(f.Start, f.End)}: input {Output.Format(f.InputKwh)} kWh, metered {Output.Format(f.MeteredKwh)} kWh, unmetered {Output.Format(f.UnmeteredKwh)} kWh{state}");
                }
                PrintNotes(flows.Select(f => (f.Start, f.Notes)));
            }
            return 0;
        }));
        return cmd;
    }

    private sealed record Query(string Park, string? Node, DateOnly From, DateOnly To, EnergyBucketing By, string Format);

    /// <summary>Opens the store, parses the common options and runs the body; ZeroPark's exceptions become one line on standard
    /// error and exit code 2 (as <c>CliApp.WithStore</c> does for the other commands).</summary>
    private static async Task<int> Run(ParseResult pr, Func<EnergyService, Query, Task<int>> body)
    {
        try
        {
            var format = pr.GetValue(Format)!.Trim().ToLowerInvariant();
            if (format is not ("table" or "json" or "csv")) throw new ValidationException("format", $"'{format}' is not one of table, json, csv");
            var q = new Query(pr.GetValue(Park)!, pr.GetValue(Node), CliApp.Date(pr, From), CliApp.Date(pr, To), EnergyBuckets.Parse(pr.GetValue(By)), format);
            await using var store = await ZeroParkStore.OpenAsync(pr.GetValue(Db)!);
            return await body(new EnergyService(store), q);
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
