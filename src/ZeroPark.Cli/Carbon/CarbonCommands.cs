using Microsoft.Extensions.DependencyInjection;
using System.CommandLine;
using System.Globalization;
using ZeroPark.Carbon;
using ZeroPark.Application;
using ZeroPark.Application.Carbon;
using ZeroPark.Application.Export;
using ParseResult = System.CommandLine.ParseResult;

namespace ZeroPark.Cli.CarbonAccounting;

/// <summary>
/// Carbon accounting on the command line: <c>zeropark activities import|list</c>, <c>zeropark factors list|add|import|export</c> and
/// <c>zeropark carbon inventory|explain|versions|finalize|series|instrument|settings|analysis</c>. Errors: one line on standard
/// error, exit code 2.
/// </summary>
internal static class CarbonCommands
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly Option<string> Db = new("--db") { Description = "SQLite file path or PostgreSQL connection string (Host=…;Database=…)", Required = true };
    private static readonly Option<string> Park = new("--park") { Description = "park code", Required = true };
    private static readonly Option<string?> Node = new("--node") { Description = "building (or other space) code; default: the whole park" };
    private static readonly Option<string> From = new("--from") { Description = "first local date, YYYY-MM-DD", Required = true };
    private static readonly Option<string> To = new("--to") { Description = "last local date (inclusive), YYYY-MM-DD", Required = true };
    private static readonly Option<string?> FromOpt = new("--from") { Description = "first local date, YYYY-MM-DD" };
    private static readonly Option<string?> ToOpt = new("--to") { Description = "last local date (inclusive), YYYY-MM-DD" };
    private static readonly Option<string?> Year = new("--year") { Description = "a calendar year (instead of --from/--to)" };
    private static readonly Option<string> Method = new("--method") { Description = "ghgp | iso14064 | cn-guideline", DefaultValueFactory = _ => "ghgp" };
    private static readonly Option<string> Gwp = new("--gwp") { Description = "SAR | AR4 | AR5 | AR6", DefaultValueFactory = _ => "AR6" };
    private static readonly Option<string?> GridDataset = new("--grid-dataset") { Description = "location-based electricity factors: MEE-NBS (default), ETS or a dataset of your own" };
    private static readonly Option<string?> Residual = new("--residual") { Description = "market-based remainder: residual (default, MEE/NBS ex-market non-fossil) | location" };
    private static readonly Option<string> Format = new("--format") { Description = "table | json | csv | xlsx (xlsx needs --output)", DefaultValueFactory = _ => "table" };
    private static readonly Option<string?> OutputFile = new("--output") { Description = "file to write (xlsx, or CSV export)" };
    private static readonly Option<string> User = new("--user") { Description = "who does this (recorded in the audit log)", DefaultValueFactory = _ => Environment.UserName };

    public static IEnumerable<Command> Create() => [Activities(), Factors(), Carbon()];

    private static Task<int> WithStore(ParseResult pr, Func<ZeroParkStore, Task<int>> body) => CliApp.WithStore(pr, body, Db);
    private static Task<int> WithStore(ParseResult pr, Func<ZeroParkStore, IServiceProvider, Task<int>> body) => CliApp.WithStore(pr, body, Db);

    // ------------------------------------------------------------------ activities

    private static Command Activities()
    {
        var file = new Argument<FileInfo>("file") { Description = "CSV: date,source,material,amount,unit,scope3_category,note[,evidence,space,density,ncv] (docs/carbon.md)" };
        var import = new Command("import", "import non-metered activity records (fuel deliveries, refrigerant top-ups, purchased heat, travel …); " +
                                           "prints accepted, duplicates, corrected and every rejected row with its line and reason") { Db, Park, file, Format, User };
        import.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var f = pr.GetValue(file)!;
            if (!f.Exists) throw new FileNotFoundException($"file '{f.FullName}' not found");
            IReadOnlyList<ActivityRow> rows;
            IReadOnlyList<ZeroPark.Metering.RowError> errors;
            await using (var s = f.OpenRead()) (rows, errors) = ActivityCsv.Parse(s);
            var r = await store.Carbon.ImportActivitiesAsync(pr.GetValue(Park)!, rows, errors, pr.GetValue(User)!, ct);
            if (pr.GetValue(Format) == "json")
                Output.WriteJson(new { accepted = r.Accepted, duplicates = r.Duplicates, corrected = r.Corrected, rejected = r.Rejected.Select(e => new { line = e.Line, reason = e.Reason }) });
            else
            {
                Console.WriteLine($"accepted {r.Accepted}, duplicates {r.Duplicates}, corrected {r.Corrected}, rejected {r.Rejected.Count}");
                foreach (var e in r.Rejected) Console.WriteLine($"  line {e.Line}: {e.Reason}");
            }
            return 0;
        }));
        var list = new Command("list", "activity records of a period") { Db, Park, From, To, Format };
        list.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var rows = await store.Carbon.ActivitiesAsync(pr.GetValue(Park)!, CliApp.Date(pr, From), CliApp.Date(pr, To), ct);
            Output.Write(pr.GetValue(Format)!, ["id", "date", "source", "material", "amount", "unit", "scope3_category", "space", "note", "evidence", "by"],
                rows.Select(a => new object?[] { a.Id, a.Date.ToString("yyyy-MM-dd", Inv), a.Source, a.Material, a.Amount, a.Unit, a.Scope3Category, a.Space, a.Note, a.Evidence, a.CreatedBy }));
            return 0;
        }));
        return new Command("activities", "non-metered activity data for carbon accounting") { import, list, Update() };
    }

    /// <summary><c>zeropark activities update --id N</c>: corrects one record; fields not given keep their value. Checked by the import's
    /// parser, audited with the old and new record.</summary>
    private static Command Update()
    {
        var id = new Option<long>("--id") { Description = "the record's id (zeropark activities list)", Required = true };
        string[] cols = ["date", "source", "material", "amount", "unit", "scope3_category", "note", "evidence", "space", "density", "ncv", "supplier"];
        var opts = cols.Select(c => new Option<string?>("--" + c.Replace('_', '-')) { Description = $"new {c} (as the import's CSV column)" }).ToArray();
        var reason = new Option<string?>("--reason") { Description = "why it is corrected (audit log)" };
        var cmd = new Command("update", "correct one activity record (audited: who, when, old → new)") { Db, Park, id, reason, Format, User };
        foreach (var o in opts) cmd.Options.Add(o);
        cmd.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var park = pr.GetValue(Park)!;
            var all = await store.Carbon.ActivitiesAsync(park, DateOnly.MinValue, DateOnly.MaxValue, ct);
            var old = all.FirstOrDefault(a => a.Id == pr.GetValue(id)) ?? throw new NotFoundException($"activity #{pr.GetValue(id)} not found in park '{park}'");
            var fields = new Dictionary<string, string?>
            {
                ["date"] = old.Date.ToString("yyyy-MM-dd", Inv), ["source"] = old.Source, ["material"] = old.Material, ["amount"] = old.Amount.ToString("R", Inv),
                ["unit"] = old.Unit, ["scope3_category"] = old.Scope3Category?.ToString(Inv), ["note"] = old.Note, ["evidence"] = old.Evidence, ["space"] = old.Space,
                ["density"] = old.Density?.ToString("R", Inv), ["ncv"] = old.Ncv?.ToString("R", Inv), ["supplier"] = old.Supplier,
            };
            for (var i = 0; i < cols.Length; i++)
                if (pr.GetValue(opts[i]) is { } v) fields[cols[i]] = v;
            var (row, error) = ActivityCsv.ParseOne(fields);
            if (row is null) throw new ValidationException(error!.Split(':')[0], error);
            var a = await store.Carbon.UpdateActivityAsync(park, old.Id, row, pr.GetValue(reason) ?? "", pr.GetValue(User)!, ct);
            Output.Write(pr.GetValue(Format)!, ["id", "date", "source", "material", "amount", "unit", "scope3_category", "space", "note", "evidence", "supplier", "by"],
                [new object?[] { a.Id, a.Date.ToString("yyyy-MM-dd", Inv), a.Source, a.Material, a.Amount, a.Unit, a.Scope3Category, a.Space, a.Note, a.Evidence, a.Supplier, a.UpdatedBy }]);
            return 0;
        }));
        return cmd;
    }

    // ------------------------------------------------------------------ factors

    private static Command Factors()
    {
        var material = new Option<string?>("--material") { Description = "only this material (electricity, diesel, heat, …)" };
        var dataset = new Option<string?>("--dataset") { Description = "only this dataset (MEE-NBS, ETS, GBT32150, IPCC2006, …)" };
        var validOn = new Option<string?>("--valid-on") { Description = "only records valid on this date" };
        var all = new Option<bool>("--all-versions") { Description = "also superseded versions" };
        var list = new Command("list", "the factor library: every record with its source, validity and version") { Db, material, dataset, validOn, all, Format };
        list.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var records = await Filtered(store, pr.GetValue(material), pr.GetValue(dataset), pr.GetValue(validOn), pr.GetValue(all), ct);
            var format = pr.GetValue(Format)!;
            if (format == "table")   // the terminal is narrow: publisher and document are in csv/json and `factors export`
                Output.Write(format, ["id", "v", "dataset", "material", "gas", "value", "unit", "level", "region", "app", "year", "valid_from", "valid_to"],
                    records.Select(r => new object?[] { r.Id, r.Version, r.Dataset, r.Material, r.Gas, r.Value, r.Unit, FactorCsv.Code(r.Level), r.Region, r.Application,
                        r.DataYear, r.ValidFrom.ToString("yyyy-MM-dd", Inv), r.ValidTo?.ToString("yyyy-MM-dd", Inv) }));
            else
                Output.Write(format, ["id", "version", "dataset", "kind", "material", "gas", "value", "unit", "level", "region", "application", "methods", "data_year", "valid_from", "valid_to", "publisher", "document", "note"],
                    records.Select(r => new object?[] { r.Id, r.Version, r.Dataset, FactorCsv.Code(r.Kind), r.Material, r.Gas, r.Value, r.Unit, FactorCsv.Code(r.Level), r.Region, r.Application,
                        r.Methods, r.DataYear, r.ValidFrom.ToString("yyyy-MM-dd", Inv), r.ValidTo?.ToString("yyyy-MM-dd", Inv), r.Publisher, r.Document, r.Note }));
            return 0;
        }));

        var file = new Argument<FileInfo>("file") { Description = "factor CSV (columns as `zeropark factors export`)" };
        var import = new Command("import", "add factor records from CSV; a record with an existing key becomes its next version (nothing is overwritten)") { Db, file, User, Format };
        import.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var f = pr.GetValue(file)!;
            if (!f.Exists) throw new FileNotFoundException($"file '{f.FullName}' not found");
            IReadOnlyList<FactorRecord> records;
            IReadOnlyList<ZeroPark.Metering.RowError> errors;
            await using (var s = f.OpenRead()) (records, errors) = FactorCsv.Parse(s);
            var stored = await store.Carbon.AddFactorsAsync(records, pr.GetValue(User)!, ct);
            if (pr.GetValue(Format) == "json")
                Output.WriteJson(new { stored = stored.Select(x => new { id = x.Record.Id, version = x.Record.Version, outcome = x.Outcome, key = x.Record.Key }), rejected = errors.Select(e => new { line = e.Line, reason = e.Reason }) });
            else
            {
                Console.WriteLine($"added {stored.Count(x => x.Outcome == "added")}, new versions {stored.Count(x => x.Outcome == "new_version")}, unchanged {stored.Count(x => x.Outcome == "unchanged")}, rejected {errors.Count}");
                foreach (var e in errors) Console.WriteLine($"  line {e.Line}: {e.Reason}");
            }
            return 0;
        }));

        var export = new Command("export", "write the library as CSV (the import format, with id and version first) to --output or standard output") { Db, material, dataset, validOn, all, OutputFile };
        export.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var csv = FactorCsv.Write(await Filtered(store, pr.GetValue(material), pr.GetValue(dataset), pr.GetValue(validOn), pr.GetValue(all), ct), withIds: true);
            if (pr.GetValue(OutputFile) is { Length: > 0 } path)
            {
                await File.WriteAllTextAsync(path, csv, ct);
                Console.WriteLine($"wrote {path}");
            }
            else Console.Out.Write(csv);
            return 0;
        }));

        var add = new Command("add", "add one factor record (or the next version of an existing one)") { Db, User };
        var fields = new Dictionary<string, Option<string?>>();
        foreach (var col in FactorCsv.Columns)
        {
            var o = new Option<string?>("--" + col.Replace('_', '-')) { Description = col };
            fields[col] = o;
            add.Options.Add(o);
        }
        add.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var csv = string.Join(',', FactorCsv.Columns) + "\n" + string.Join(',', FactorCsv.Columns.Select(c => CsvEscape(pr.GetValue(fields[c]) ?? ""))) + "\n";
            var (records, errors) = FactorCsv.Parse(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)));
            if (errors.Count > 0) throw new ValidationException("factor", errors[0].Reason);
            var (r, outcome) = (await store.Carbon.AddFactorsAsync(records, pr.GetValue(User)!, ct))[0];
            Console.WriteLine($"{outcome}: #{r.Id} v{r.Version} {r.Dataset} {r.Material} {r.Gas} {r.Value.ToString(Inv)} {r.Unit} valid {FactorLibrary.Period(r)}");
            return 0;
        }));
        return new Command("factors", "the versioned emission-factor library (MEE/NBS, ETS, GB/T 32150, IPCC 2006 shipped; add your own)") { list, add, import, export };
    }

    private static async Task<IReadOnlyList<FactorRecord>> Filtered(ZeroParkStore store, string? material, string? dataset, string? validOn, bool allVersions, CancellationToken ct)
    {
        DateOnly? on = validOn is null ? null
            : DateOnly.TryParseExact(validOn, "yyyy-MM-dd", Inv, DateTimeStyles.None, out var d) ? d : throw new ValidationException("valid-on", $"'{validOn}' is not a date (YYYY-MM-DD)");
        var all = await store.Carbon.FactorsAsync(ct);
        var latest = all.GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.Max(r => r.Version));
        return all.Where(r => (allVersions || latest[r.Key] == r.Version)
                              && (material is null || r.Material.Equals(material, StringComparison.OrdinalIgnoreCase))
                              && (dataset is null || r.Dataset.Equals(dataset, StringComparison.OrdinalIgnoreCase))
                              && (on is null || r.ValidOn(on.Value))).ToList();
    }

    private static string CsvEscape(string s) => s.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;

    // ------------------------------------------------------------------ carbon

    private static Command Carbon()
    {
        var carbon = new Command("carbon", "carbon accounting: scope 1/2/3 inventory with the trace of every figure, restatements, emissions series and CUE, instruments, analysis");
        carbon.Subcommands.Add(Inventory());
        carbon.Subcommands.Add(Explain());
        carbon.Subcommands.Add(Versions());
        carbon.Subcommands.Add(Finalize());
        carbon.Subcommands.Add(Series());
        carbon.Subcommands.Add(InstrumentCommand());
        carbon.Subcommands.Add(Settings());
        carbon.Subcommands.Add(Analysis());
        return carbon;
    }

    internal sealed record Period(DateOnly From, DateOnly To);

    internal static Period PeriodOf(ParseResult pr)
    {
        if (pr.GetValue(Year) is { } y)
        {
            if (!int.TryParse(y, NumberStyles.None, Inv, out var year) || year is < 1990 or > 2100) throw new ValidationException("year", $"'{y}' is not a year");
            return new Period(new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));
        }
        if (pr.GetValue(FromOpt) is null || pr.GetValue(ToOpt) is null) throw new ValidationException("from", "give --year or both --from and --to");
        static DateOnly D(string s, string f) => DateOnly.TryParseExact(s, "yyyy-MM-dd", Inv, DateTimeStyles.None, out var d) ? d
            : throw new ValidationException(f, $"'{s}' is not a date (YYYY-MM-DD)");
        return new Period(D(pr.GetValue(FromOpt)!, "from"), D(pr.GetValue(ToOpt)!, "to"));
    }

    private static InventoryOptions OptionsOf(ParseResult pr) => new(pr.GetValue(GridDataset), CarbonService.ParseResidual(pr.GetValue(Residual)));

    private static (AccountingMethod, GwpSet) MethodOf(ParseResult pr) => (AccountingMethods.Parse(pr.GetValue(Method)!), Gases.ParseSet(pr.GetValue(Gwp)!));

    private static string FormatOf(ParseResult pr)
    {
        var f = pr.GetValue(Format)!.Trim().ToLowerInvariant();
        if (f is not ("table" or "json" or "csv" or "xlsx")) throw new ValidationException("format", $"'{f}' is not one of table, json, csv, xlsx");
        if (f == "xlsx" && string.IsNullOrWhiteSpace(pr.GetValue(OutputFile))) throw new ValidationException("output", "--format xlsx needs --output FILE");
        return f;
    }

    private static Command Inventory()
    {
        var save = new Option<bool>("--save") { Description = "save as a new inventory version (if anything changed since the latest), with the diff against it" };
        var reason = new Option<string>("--reason") { Description = "why this version (recorded)", DefaultValueFactory = _ => "" };
        var cmd = new Command("inventory", "GHG inventory of the park or a building for a period: scope 1, scope 2 location- and market-based, scope 3, memo items; " +
                                           "one line per source with activity, factor and factor source (zeropark carbon explain shows the trace)")
            { Db, Park, Node, Year, FromOpt, ToOpt, Method, Gwp, GridDataset, Residual, save, reason, User, Format, OutputFile };
        cmd.SetAction((pr, ct) => WithStore(pr, async (store, services) =>
        {
            var format = FormatOf(pr);
            var p = PeriodOf(pr);
            var (method, gwp) = MethodOf(pr);
            var service = services.GetRequiredService<CarbonService>();
            var park = pr.GetValue(Park)!;
            InventoryView view;
            InventoryDiff? diff = null;
            if (pr.GetValue(save))
            {
                var (stored, created, d) = await service.SaveAsync(park, pr.GetValue(Node), p.From, p.To, method, gwp, OptionsOf(pr), pr.GetValue(reason)!, pr.GetValue(User)!, ct);
                diff = d;
                var (_, result) = await service.LoadAsync(park, stored.Id, ct);
                view = InventoryView.Of(park, result, stored);
                if (format != "json")
                    Console.WriteLine(created ? $"saved inventory #{stored.Id} version {stored.Version}" : $"unchanged since inventory #{stored.Id} version {stored.Version} (nothing saved)");
            }
            else view = InventoryView.Of(park, await service.ComputeAsync(park, pr.GetValue(Node), p.From, p.To, method, gwp, OptionsOf(pr), ct));

            if (format == "json")
            {
                if (diff is null) Output.WriteJson(view); else Output.WriteJson(new { inventory = view, diff });
                return 0;
            }
            if (format == "xlsx")
            {
                XlsxWriter.WriteFile(pr.GetValue(OutputFile)!, CarbonTables.Inventory(view));
                Console.WriteLine($"wrote {view.Lines.Count + view.MemoItems.Count} lines to {pr.GetValue(OutputFile)}");
                return 0;
            }
            var all = view.Lines.Concat(view.MemoItems).ToList();
            if (format == "table")   // narrow terminal: factor records by id (zeropark carbon explain LINE shows their sources)
                Output.Write(format, ["line", "scope", "basis", "source", "material", "activity", "unit", "co2e_t", "space", "factor_ids"],
                    all.Select(l => new object?[] { l.Id, l.Scope, l.Basis, l.Source, l.Material, l.Activity, l.Unit, l.Co2eT, l.Space, string.Join(" ", l.FactorIds.Select(i => "#" + i.ToString(Inv))) }));
            else
                Output.Write(format, ["line", "scope", "basis", "source", "material", "activity", "unit", "factor", "co2e_t", "space", "factor_source"],
                    all.Select(l => new object?[] { l.Id, l.Scope, l.Basis, l.Source, l.Material, l.Activity, l.Unit, l.Factor, l.Co2eT, l.Space, l.FactorSource }));
            if (format == "table")
            {
                Console.WriteLine($"{view.Boundary} {view.From:yyyy-MM-dd}..{view.To:yyyy-MM-dd}  method {view.Method}  GWP {view.Gwp}");
                Console.WriteLine($"scope 1 {T(view.Scope1T)} t   scope 2 location {T(view.Scope2LocationT)} t / market {T(view.Scope2MarketT)} t   scope 3 {T(view.Scope3T)} t   " +
                                  $"total (location) {T(view.TotalLocationT)} t   memo {T(view.MemoItems.Sum(m => m.Co2eT))} t");
                foreach (var n in view.Notes) Console.WriteLine("note: " + n);
                foreach (var u in view.Unresolved) Console.WriteLine($"unresolved: {u.Date:yyyy-MM-dd} {u.Source} {u.Material} {u.Amount.ToString(Inv)} {u.Unit}: {u.Reason}");
                if (diff is not null)
                {
                    Console.WriteLine($"restatement vs #{diff.PreviousId} v{diff.PreviousVersion}: total (location) {Signed(diff.TotalLocationDeltaT)} t" +
                                      (diff.TotalChangePct is { } pct ? $" ({Signed(pct)} %)" : ""));
                    foreach (var c in diff.Changes) Console.WriteLine($"  {c.Key}: {T(c.BeforeT)} → {T(c.AfterT)} t ({c.What})");
                    if (diff.BaseYearNote is not null) Console.WriteLine("  " + diff.BaseYearNote);
                }
            }
            return 0;
        }));
        return cmd;
    }

    private static string T(double v) => v.ToString("#,0.####", Inv);

    private static string Signed(double v) => (v >= 0 ? "+" : "") + v.ToString("#,0.####", Inv);

    private static Command Explain()
    {
        var line = new Argument<string>("result") { Description = "a line id (L3), or INVENTORY:LINE for a saved version (12:L3)" };
        var inventory = new Option<long?>("--inventory") { Description = "saved inventory id (zeropark carbon versions)" };
        var cmd = new Command("explain", "the trace of one result line: activity and where it came from, every factor record (source, validity, why chosen), GWP set, " +
                                         "method, formula and each arithmetic step") { Db, Park, line, inventory, Node, Year, FromOpt, ToOpt, Method, Gwp, GridDataset, Residual, Format };
        cmd.SetAction((pr, ct) => WithStore(pr, async (store, services) =>
        {
            var service = services.GetRequiredService<CarbonService>();
            var park = pr.GetValue(Park)!;
            var target = pr.GetValue(line)!.Trim();
            var id = pr.GetValue(inventory);
            if (target.Contains(':', StringComparison.Ordinal))
            {
                var parts = target.Split(':', 2);
                id = long.TryParse(parts[0], NumberStyles.None, Inv, out var i) ? i : throw new ValidationException("result", $"'{parts[0]}' is not an inventory id");
                target = parts[1];
            }
            ExplainView view;
            if (id is { } invId)
            {
                var (_, result) = await service.LoadAsync(park, invId, ct);
                view = CarbonService.Explain(park, invId, result, target);
            }
            else
            {
                var p = PeriodOf(pr);
                var (method, gwp) = MethodOf(pr);
                view = CarbonService.Explain(park, null, await service.ComputeAsync(park, pr.GetValue(Node), p.From, p.To, method, gwp, OptionsOf(pr), ct), target);
            }
            if (pr.GetValue(Format) == "json") { Output.WriteJson(view); return 0; }
            Console.WriteLine($"{view.Line}  {view.Scope}{(view.Basis.Length > 0 ? " (" + view.Basis + ")" : "")}  {view.Source}  {view.Material}  {view.From:yyyy-MM-dd}..{view.To:yyyy-MM-dd}" +
                              (view.InventoryId is { } x ? $"  inventory #{x}" : ""));
            Console.WriteLine($"result: {view.Co2eT.ToString("#,0.######", Inv)} tCO2e   method {view.Method}   GWP {view.Gwp}");
            Console.WriteLine($"formula: {view.Formula}");
            Console.WriteLine("steps:");
            foreach (var s in view.Trace) Console.WriteLine("  " + s);
            Console.WriteLine("factors:");
            foreach (var f in view.Factors)
                Console.WriteLine($"  [{f.Role}] {f.Value.ToString("0.######", Inv)} {f.Unit}  {f.Citation}  valid {f.ValidFrom:yyyy-MM-dd}…{(f.ValidTo is { } t ? t.ToString("yyyy-MM-dd", Inv) : "open")}  ({f.Reason})");
            Console.WriteLine("gases:");
            foreach (var g in view.Gases) Console.WriteLine($"  {g.Gas}: {g.Kilograms.ToString("#,0.######", Inv)} kg × GWP {g.Gwp.ToString(Inv)} = {g.Co2eTonnes.ToString("#,0.######", Inv)} tCO2e");
            Console.WriteLine("activity data:");
            foreach (var o in view.Origins) Console.WriteLine("  " + o);
            return 0;
        }));
        return cmd;
    }

    private static Command Versions()
    {
        var cmd = new Command("versions", "saved inventory versions (drafts and final), newest last, with their totals and why they were made") { Db, Park, Format };
        cmd.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var list = await store.Carbon.InventoriesAsync(pr.GetValue(Park)!, null, ct);
            Output.Write(pr.GetValue(Format)!, ["id", "boundary", "from", "to", "method", "gwp", "version", "status", "scope1_t", "scope2_location_t", "scope2_market_t", "scope3_t", "reason", "created_by", "created_at"],
                list.Select(i => new object?[] { i.Id, i.Boundary, i.From.ToString("yyyy-MM-dd", Inv), i.To.ToString("yyyy-MM-dd", Inv), i.Method, i.Gwp, i.Version, i.Status, i.Scope1T, i.Scope2LocationT,
                    i.Scope2MarketT, i.Scope3T, i.Reason, i.CreatedBy, i.CreatedAt }));
            return 0;
        }));
        return cmd;
    }

    private static Command Finalize()
    {
        var id = new Option<long>("--inventory") { Description = "saved inventory id", Required = true };
        var cmd = new Command("finalize", "mark a saved inventory version final and seal it (SHA-256 over its inputs and results, chained to the park's " +
                                          "previous seal; `zeropark verify` checks it): it never changes; later changes become new versions with a diff") { Db, Park, id, User };
        cmd.SetAction((pr, ct) => WithStore(pr, async (store, services) =>
        {
            var (i, seal) = await services.GetRequiredService<ZeroPark.Application.Reports.SealService>().FinalizeAsync(pr.GetValue(Park)!, pr.GetValue(id), pr.GetValue(User)!, ct);
            Console.WriteLine($"inventory #{i.Id} version {i.Version} is final; sealed {seal.Hash} (seal {seal.Seq} of the park, after {seal.PrevHash[..16]})");
            return 0;
        }));
        return cmd;
    }

    private static Command Series()
    {
        var by = new Option<string>("--by") { Description = "hour | day | month | year", DefaultValueFactory = _ => "day" };
        var cmd = new Command("series", "emissions from metered energy per hour/day/month (grid electricity × the location factor of the day, metered fuel) and CUE")
            { Db, Park, Node, From, To, by, Method, Gwp, Format };
        cmd.SetAction((pr, ct) => WithStore(pr, async (store, services) =>
        {
            var (method, gwp) = MethodOf(pr);
            var rows = await services.GetRequiredService<CarbonService>().SeriesAsync(pr.GetValue(Park)!, pr.GetValue(Node), CliApp.Date(pr, From), CliApp.Date(pr, To), CliApp.ParseBy(pr.GetValue(by)!), method, gwp, ct);
            Output.Write(pr.GetValue(Format)!, ["start", "end", "grid_kwh", "it_kwh", "scope2_location_t", "scope1_metered_t", "total_t", "cue_kg_per_kwh"],
                rows.Select(r => new object?[] { r.Start, r.End, r.GridKwh, r.ItKwh, r.Scope2LocationT, r.Scope1MeteredT, r.TotalT, r.CueKgPerKwh }), json: rows);
            return 0;
        }));
        return cmd;
    }

    private static Command InstrumentCommand()
    {
        var kind = new Option<string>("--kind") { Description = "gec | green_power | supplier_rate", Required = true };
        var quantity = new Option<double>("--quantity") { Description = "amount: certificates for gec, MWh otherwise (see --unit)", Required = true };
        var unit = new Option<string?>("--unit") { Description = "certificates | MWh | kWh (default: certificates for gec, MWh otherwise)" };
        var factor = new Option<double>("--factor") { Description = "kgCO2/kWh (supplier_rate only)" };
        var cf = new Option<string>("--cover-from") { Description = "first day of consumption the instrument covers", Required = true };
        var ctOpt = new Option<string>("--cover-to") { Description = "last day (inclusive)", Required = true };
        var region = new Option<string>("--region") { Description = "market of the instrument (province, grid region or CN)", DefaultValueFactory = _ => "" };
        var reference = new Option<string>("--reference") { Description = "certificate serial / contract number (counted once)", Required = true };
        var note = new Option<string>("--note") { DefaultValueFactory = _ => "" };
        var add = new Command("add", "record a contractual instrument for market-based scope 2 (1 GEC = 1 MWh)") { Db, Park, kind, quantity, unit, factor, cf, ctOpt, region, reference, note, User };
        add.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var k = Instrument.ParseKind(pr.GetValue(kind)!);
            var q = pr.GetValue(quantity);
            var kwh = InstrumentQuantity.ToKilowattHours(k, q, pr.GetValue(unit))
                ?? throw new ValidationException("unit", $"unit '{pr.GetValue(unit)}' is not certificates (gec only), MWh or kWh");
            static DateOnly D(string s, string f) => DateOnly.TryParseExact(s, "yyyy-MM-dd", Inv, DateTimeStyles.None, out var d) ? d : throw new ValidationException(f, $"'{s}' is not a date (YYYY-MM-DD)");
            var i = await store.Carbon.AddInstrumentAsync(pr.GetValue(Park)!, new Instrument
            {
                Kind = k, QuantityKwh = kwh, FactorKgPerKwh = pr.GetValue(factor), CoverFrom = D(pr.GetValue(cf)!, "cover-from"), CoverTo = D(pr.GetValue(ctOpt)!, "cover-to"),
                Region = pr.GetValue(region)!, Reference = pr.GetValue(reference)!, Note = pr.GetValue(note)!,
            }, pr.GetValue(User)!, ct);
            Console.WriteLine($"instrument #{i.Id}: {Instrument.Code(i.Kind)} {i.Reference} {i.QuantityKwh.ToString("#,0.###", Inv)} kWh covering {i.CoverFrom:yyyy-MM-dd}…{i.CoverTo:yyyy-MM-dd}");
            return 0;
        }));
        var list = new Command("list", "contractual instruments of the park") { Db, Park, Format };
        list.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var rows = await store.Carbon.InstrumentsAsync(pr.GetValue(Park)!, ct);
            Output.Write(pr.GetValue(Format)!, ["id", "kind", "quantity_kwh", "factor_kg_per_kwh", "cover_from", "cover_to", "region", "reference", "note"],
                rows.Select(i => new object?[] { i.Id, Instrument.Code(i.Kind), i.QuantityKwh, i.FactorKgPerKwh, i.CoverFrom.ToString("yyyy-MM-dd", Inv), i.CoverTo.ToString("yyyy-MM-dd", Inv), i.Region, i.Reference, i.Note }));
            return 0;
        }));
        return new Command("instrument", "green certificates, green power trades and supplier-specific rates (market-based scope 2)") { add, list };
    }

    private static Command Settings()
    {
        var set = new Option<string[]>("--set") { Description = "KEY=VALUE (empty value removes): " + string.Join(", ", CarbonService.SettingKeys), AllowMultipleArgumentsPerToken = false };
        var cmd = new Command("settings", "carbon settings of the park: grid dataset, residual, base year and recalculation threshold, computing capacity, revenue, target, benchmark CUE")
            { Db, Park, set, User, Format };
        cmd.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var park = pr.GetValue(Park)!;
            foreach (var kv in pr.GetValue(set) ?? [])
            {
                var eq = kv.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0) throw new ValidationException("set", $"'{kv}' is not KEY=VALUE");
                var key = kv[..eq].Trim();
                var value = kv[(eq + 1)..].Trim();
                if (!CarbonService.SettingKeys.Contains(key)) throw new ValidationException("set", $"unknown setting '{key}' (known: {string.Join(", ", CarbonService.SettingKeys)})");
                if (key == CarbonService.SettingResidual) CarbonService.ParseResidual(value);
                else if (key != CarbonService.SettingGridDataset && value.Length > 0 && !double.TryParse(value, NumberStyles.Float, Inv, out _))
                    throw new ValidationException("set", $"{key}: '{value}' is not a number");
                await store.Carbon.SetCarbonSettingAsync(park, key, value.Length == 0 ? null : value, pr.GetValue(User)!, ct);
            }
            var s = await store.Carbon.CarbonSettingsAsync(park, ct);
            Output.Write(pr.GetValue(Format)!, ["key", "value"], CarbonService.SettingKeys.Select(k => new object?[] { k, s.GetValueOrDefault(k) }));
            return 0;
        }));
        return cmd;
    }

    private static Command Analysis()
    {
        var pct = new Option<double>("--sensitivity-pct") { Description = "± change for the sensitivity analysis", DefaultValueFactory = _ => 10 };
        var threshold = new Option<double>("--anomaly-pct") { Description = "a month deviating this much (%) from the source's baseline is flagged", DefaultValueFactory = _ => 10 };
        var cmd = new Command("analysis", "carbon analysis: statistics, monthly trend with YoY, intensity (per IT kWh, rack, PFLOPS, revenue), benchmark vs history/target/industry, " +
                                          "sensitivity, regression against IT load, source comparison and monthly anomalies")
            { Db, Park, Node, Year, FromOpt, ToOpt, Method, Gwp, GridDataset, Residual, pct, threshold, Format };
        cmd.SetAction((pr, ct) => WithStore(pr, async (store, services) =>
        {
            var p = PeriodOf(pr);
            var (method, gwp) = MethodOf(pr);
            var a = await services.GetRequiredService<CarbonAnalysisService>().AnalyseAsync(pr.GetValue(Park)!, pr.GetValue(Node), p.From, p.To, method, gwp, OptionsOf(pr),
                pr.GetValue(pct), pr.GetValue(threshold), ct);
            if (pr.GetValue(Format) == "json") { Output.WriteJson(a); return 0; }
            var f = pr.GetValue(Format)!;
            Console.WriteLine($"statistics per source (monthly tCO2e, location-based), {a.From:yyyy-MM-dd}..{a.To:yyyy-MM-dd}:");
            Output.Write(f, ["source", "total_t", "share_%", "mean_t", "min_t", "max_t", "months"],
                a.Statistics.Select(s => new object?[] { s.Key, s.TotalT, s.SharePct, s.MeanT, s.MinT, s.MaxT, s.Months }));
            Console.WriteLine("trend:");
            Output.Write(f, ["month", "total_t", "previous_year_t", "yoy_%"], a.Trend.Select(t => new object?[] { t.Month, t.TotalT, t.PreviousYearT, t.YoyPct }));
            Console.WriteLine("intensity:");
            Output.Write(f, ["metric", "value", "unit", "basis"], a.Intensity.Select(i => new object?[] { i.Metric, i.Value, i.Unit, i.Basis }));
            Console.WriteLine("benchmark:");
            Output.Write(f, ["against", "reference", "actual", "unit", "deviation_%", "note"], a.Benchmarks.Select(b => new object?[] { b.Against, b.Reference, b.Actual, b.Unit, b.DeviationPct, b.Note }));
            Console.WriteLine($"sensitivity (±{a.SensitivityPct.ToString(Inv)} %):");
            Output.Write(f, ["line", "driver", "effect_t", "effect_%_of_total"], a.Sensitivity.Select(s => new object?[] { s.Line, s.Driver, s.EffectT, s.EffectPctOfTotal }));
            if (a.Regression is { } r) Console.WriteLine($"regression on daily IT energy: t/day = {r.Intercept.ToString("0.####", Inv)} + {r.Slope.ToString("0.########", Inv)} × IT kWh/day, R² = {r.RSquared.ToString("0.####", Inv)} (n = {r.N})");
            Console.WriteLine("anomalies:");
            Output.Write(f, ["source", "month", "actual_t", "baseline_t", "deviation_%"], a.Anomalies.Select(x => new object?[] { x.Source, x.Month, x.ActualT, x.BaselineT, x.DeviationPct }));
            foreach (var n in a.Notes) Console.WriteLine("note: " + n);
            return 0;
        }));
        return cmd;
    }
}
