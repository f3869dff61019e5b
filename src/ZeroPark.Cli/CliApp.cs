using Microsoft.Extensions.DependencyInjection;
using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using System.Globalization;
using Spectre.Console;
using ZeroPark.Cli.Demo;
using ZeroPark.Domain;
using ZeroPark.Metering;
using ParseResult = System.CommandLine.ParseResult;
using ZeroPark.Application;
using ZeroPark.Application.Readings.Import;

namespace ZeroPark.Cli;

/// <summary>The <c>zeropark</c> command line. Every command takes <c>--db</c>: a SQLite file path or a PostgreSQL connection
/// string. Errors print one line to standard error and exit with code 2 (bad input) or 1 (unexpected).</summary>
public static class CliApp
{
    internal static readonly Option<string> Db = new("--db") { Description = "SQLite file path or PostgreSQL connection string (Host=…;Database=…)", Required = true };
    private static readonly Option<string> ParkOpt = new("--park") { Description = "park code", Required = true };
    private static readonly Option<string> FormatOpt = new("--format") { Description = "table | json | csv", DefaultValueFactory = _ => "table" };
    private static readonly Option<string> FromOpt = new("--from") { Description = "first local date, YYYY-MM-DD", Required = true };
    private static readonly Option<string> ToOpt = new("--to") { Description = "last local date (inclusive), YYYY-MM-DD", Required = true };
    /// <summary>How far past this machine's clock a reading may lie (hours; default 24); later readings are refused.</summary>
    internal static readonly Option<double?> FutureToleranceOpt = new("--future-tolerance-hours")
    {
        Description = "refuse readings later than now + this many hours (default 24)",
        Recursive = true,
    };
    private static readonly Option<string> UserOpt = new("--user") { Description = "who does this (recorded in the audit log)", DefaultValueFactory = _ => Environment.UserName };

    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("ZeroPark — energy & carbon management for data center parks");
        root.Options.Add(FutureToleranceOpt);
        root.Subcommands.Add(Init());
        root.Subcommands.Add(Parks());
        root.Subcommands.Add(Spaces());
        root.Subcommands.Add(Meters());
        root.Subcommands.Add(Import());
        root.Subcommands.Add(Series());
        root.Subcommands.Add(Quality());
        root.Subcommands.Add(Latest());
        root.Subcommands.Add(Manual());
        root.Subcommands.Add(Replace());
        root.Subcommands.Add(FillGaps());
        root.Subcommands.Add(Void());
        root.Subcommands.Add(Resets());
        root.Subcommands.Add(Keys());
        root.Subcommands.Add(Audit());
        root.Subcommands.Add(UserCommands.Create());
        root.Subcommands.Add(DemoCommand());
        root.Subcommands.Add(Serve());
        root.Subcommands.Add(Bench.BenchCommand.Create());
        root.Subcommands.Add(EnergyManagement.EnergyCommands.Create());
        foreach (var c in CarbonAccounting.CarbonCommands.Create()) root.Subcommands.Add(c);
        foreach (var c in Optimisation.OptimisationCommands.Create()) root.Subcommands.Add(c);
        foreach (var c in Collection.CollectionCommands.Create()) root.Subcommands.Add(c);
        foreach (var c in NeutralityCli.NeutralityCommands.Create()) root.Subcommands.Add(c);
        root.Subcommands.Add(Evaluations.EvaluationCommands.Create());
        foreach (var c in Reports.ReportCommands.Create()) root.Subcommands.Add(c);
        foreach (var c in SupplyChainCli.SupplyChainCommands.Create()) root.Subcommands.Add(c);
        foreach (var c in Alerts.AlertCommands.Create()) root.Subcommands.Add(c);
        try
        {
            return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Never a stack trace: one line and exit code 1 (see docs/import-formats.md, "Exit codes").
            var inner = e is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerException! : e;
            await Console.Error.WriteLineAsync($"error: unexpected {inner.GetType().Name}: {inner.Message.ReplaceLineEndings(" ")}");
            return 1;
        }
    }

    /// <summary>The CLI's composition root: the same <see cref="ZeroParkApplication.AddZeroParkApplication"/> as the web server.</summary>
    internal static ServiceProvider BuildServices(string db, Action<ZeroParkStore>? configure = null) =>
        new ServiceCollection().AddZeroParkApplication(db, configure)
            .AddSingleton<ZeroPark.Application.Alerts.IMessageLocalizer, ZeroPark.Server.Web.CatalogMessageLocalizer>().BuildServiceProvider();

    /// <summary>Runs a command body with the store open, mapping ZeroPark's exceptions to one-line errors.</summary>
    internal static Task<int> WithStore(ParseResult pr, Func<ZeroParkStore, Task<int>> body, Option<string>? db = null) =>
        WithStore(pr, (store, _) => body(store), db);

    /// <summary>Runs a command body with the store open and the application services at hand (<paramref name="body"/> gets
    /// both), mapping ZeroPark's exceptions to one-line errors.</summary>
    internal static async Task<int> WithStore(ParseResult pr, Func<ZeroParkStore, IServiceProvider, Task<int>> body, Option<string>? db = null)
    {
        try
        {
            await using var services = BuildServices(pr.GetValue(db ?? Db)!, store =>
            {
                if (pr.GetValue(FutureToleranceOpt) is { } hours) store.Readings.FutureTolerance = FutureTolerance(hours);
            });
            return await body(services.GetRequiredService<ZeroParkStore>(), services);
        }
        catch (Exception e) when (e is ValidationException or NotFoundException or ConflictException or ArgumentException or FormatException or FileNotFoundException
                                       or System.Data.Common.DbException or ZeroPark.Carbon.CarbonException)
        {
            await Console.Error.WriteLineAsync("error: " + (e is ValidationException v ? $"{v.Field}: {v.Message}" : e.Message));
            return 2;
        }
    }

    internal static TimeSpan FutureTolerance(double hours) =>
        hours >= 0 && hours <= 24 * 3660 ? TimeSpan.FromHours(hours) : throw new ValidationException("future-tolerance-hours", $"{hours} is not between 0 and 87840 hours (10 years)");

    internal static DateOnly Date(ParseResult pr, Option<string> o)
    {
        var s = pr.GetValue(o)!;
        return DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d : throw new ValidationException(o.Name.TrimStart('-'), $"'{s}' is not a date (YYYY-MM-DD)");
    }

    private static DateTimeOffset Instant(string field, string s) =>
        DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) && (s.Contains('+', StringComparison.Ordinal) || s.EndsWith('Z') || s.LastIndexOf('-') > 9)
            ? t : throw new ValidationException(field, $"'{s}' is not an ISO 8601 timestamp with an offset (e.g. 2025-01-01T10:00:00+08:00)");

    private static Command Init()
    {
        var name = new Option<string>("--name") { Required = true, Description = "park name" };
        var tz = new Option<string>("--timezone") { DefaultValueFactory = _ => "Asia/Shanghai", Description = "IANA time zone" };
        var climate = new Option<string>("--climate-zone") { DefaultValueFactory = _ => "other", Description = "severe_cold | cold | other (T/CA305)" };
        var region = new Option<string?>("--grid-region") { Description = "grid region, e.g. 华北" };
        var province = new Option<string?>("--province") { Description = "province, e.g. 河北" };
        var itKw = new Option<double?>("--design-it-kw") { Description = "design IT capacity (kW)" };
        var racks = new Option<int?>("--racks-total");
        var racksUsed = new Option<int?>("--racks-in-use");
        var commissioned = new Option<string?>("--commissioned") { Description = "when the data center entered operation, YYYY-MM-DD (T/CA305 PUE and WUE limits by age)" };
        var cmd = new Command("init", "create the store (if needed) and a park; prints a gateway API key") { Db, ParkOpt, name, tz, climate, region, province, itKw, racks, racksUsed, commissioned };
        cmd.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var park = await store.Registry.CreateParkAsync(new ParkDraft(pr.GetValue(ParkOpt)!, pr.GetValue(name)!, pr.GetValue(tz)!)
            {
                ClimateZone = pr.GetValue(climate)!, GridRegion = pr.GetValue(region), Province = pr.GetValue(province),
                DesignItKw = pr.GetValue(itKw), RacksTotal = pr.GetValue(racks), RacksInUse = pr.GetValue(racksUsed),
                CommissioningDate = OptionalDate(pr, commissioned),
            }, Environment.UserName, ct);
            var key = await store.ApiKeys.CreateApiKeyAsync(park.Code, "default", Environment.UserName, ct);
            Console.WriteLine($"created park '{park.Code}' ({park.Name}, {park.TimeZoneId}) in {store.Kind.ToString().ToLowerInvariant()} store");
            Console.WriteLine($"gateway API key (shown once): {key}");
            return 0;
        }));
        return cmd;
    }

    private static Command Parks()
    {
        var list = new Command("list", "list parks") { Db, FormatOpt };
        list.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var parks = await store.Registry.ListParksAsync(ct);
            Output.Write(pr.GetValue(FormatOpt)!, ["code", "name", "time_zone", "climate_zone", "province", "design_it_kw", "racks_total", "racks_in_use", "commissioned"],
                parks.Select(p => new object?[] { p.Code, p.Name, p.TimeZoneId, Park.ClimateZoneCode(p.ClimateZone), p.Province, p.DesignItCapacity?.Kilowatts, p.RacksTotal, p.RacksInUse,
                    p.CommissioningDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }));
            return 0;
        }));
        return new Command("parks", "parks") { list, ParkUpdate() };
    }

    /// <summary>A date option that may be absent (null) or YYYY-MM-DD.</summary>
    internal static DateOnly? OptionalDate(ParseResult pr, Option<string?> o) =>
        pr.GetValue(o) is { Length: > 0 } s
            ? DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d
              : throw new ValidationException(o.Name.TrimStart('-'), $"'{s}' is not a date (YYYY-MM-DD)")
            : null;

    /// <summary><c>zeropark parks update</c>: changes the given attributes of a park and keeps the others (audited). An empty
    /// value ("") clears an optional attribute (grid region, province, commissioned, capacity, racks).</summary>
    private static Command ParkUpdate()
    {
        var name = new Option<string?>("--name") { Description = "park name" };
        var tz = new Option<string?>("--timezone") { Description = "IANA time zone (only while the park has no readings)" };
        var climate = new Option<string?>("--climate-zone") { Description = "severe_cold | cold | other (T/CA305)" };
        var region = new Option<string?>("--grid-region") { Description = "grid region, e.g. 华北 (\"\" clears)" };
        var province = new Option<string?>("--province") { Description = "province, e.g. 河北 (\"\" clears)" };
        var commissioned = new Option<string?>("--commissioned") { Description = "when the data center entered operation, YYYY-MM-DD (\"\" clears)" };
        var itKw = new Option<string?>("--design-it-kw") { Description = "design IT capacity, kW (\"\" clears)" };
        var racks = new Option<string?>("--racks-total") { Description = "racks provisioned (\"\" clears)" };
        var racksUsed = new Option<string?>("--racks-in-use") { Description = "racks in use (\"\" clears)" };
        var cmd = new Command("update", "change a park's attributes (name, time zone, climate zone, grid region, province, commissioned date, design IT capacity, racks)")
            { Db, ParkOpt, name, tz, climate, region, province, commissioned, itKw, racks, racksUsed, UserOpt, FormatOpt };
        cmd.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var p = await store.Registry.GetParkAsync(pr.GetValue(ParkOpt)!, ct);
            static string? Text(string? given, string? old) => given is null ? old : given.Length == 0 ? null : given;
            static double? Num(ParseResult pr, Option<string?> o, double? old) => pr.GetValue(o) switch
            {
                null => old,
                "" => null,
                var s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : throw new ValidationException(o.Name.TrimStart('-'), $"'{s}' is not a number"),
            };
            var draft = new ParkDraft(p.Code, pr.GetValue(name) ?? p.Name, pr.GetValue(tz) ?? p.TimeZoneId)
            {
                ClimateZone = pr.GetValue(climate) ?? Park.ClimateZoneCode(p.ClimateZone),
                GridRegion = Text(pr.GetValue(region), p.GridRegion),
                Province = Text(pr.GetValue(province), p.Province),
                CommissioningDate = pr.GetValue(commissioned) is null ? p.CommissioningDate : OptionalDate(pr, commissioned),
                DesignItKw = Num(pr, itKw, p.DesignItCapacity?.Kilowatts),
                RacksTotal = Num(pr, racks, p.RacksTotal) is { } rt ? (rt == Math.Floor(rt) ? (int)rt : throw new ValidationException("racks-total", $"'{rt}' is not a whole number")) : null,
                RacksInUse = Num(pr, racksUsed, p.RacksInUse) is { } ru ? (ru == Math.Floor(ru) ? (int)ru : throw new ValidationException("racks-in-use", $"'{ru}' is not a whole number")) : null,
            };
            var u = await store.Registry.UpdateParkAsync(p.Code, draft, pr.GetValue(UserOpt)!, ct);
            Output.Write(pr.GetValue(FormatOpt)!, ["code", "name", "time_zone", "climate_zone", "grid_region", "province", "commissioned", "design_it_kw", "racks_total", "racks_in_use"],
                [[u.Code, u.Name, u.TimeZoneId, Park.ClimateZoneCode(u.ClimateZone), u.GridRegion, u.Province, u.CommissioningDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                  u.DesignItCapacity?.Kilowatts, u.RacksTotal, u.RacksInUse]]);
            return 0;
        }));
        return cmd;
    }

    private static Command Spaces()
    {
        var code = new Option<string>("--code") { Required = true };
        var name = new Option<string>("--name") { Required = true };
        var parent = new Option<string?>("--parent") { Description = "parent space code (omit for a building)" };
        var add = new Command("add", "add a building, floor, room or rack (the level follows from the parent)") { Db, ParkOpt, code, name, parent, UserOpt };
        add.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var s = await store.Registry.CreateSpaceAsync(pr.GetValue(ParkOpt)!, new SpaceDraft(pr.GetValue(code)!, pr.GetValue(name)!, pr.GetValue(parent)), pr.GetValue(UserOpt)!, ct);
            Console.WriteLine($"created {Space.LevelCode(s.Level)} '{s.Code}'");
            return 0;
        }));
        var list = new Command("list", "list spaces") { Db, ParkOpt, FormatOpt };
        list.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var reg = await store.Registry.GetRegistryAsync(pr.GetValue(ParkOpt)!, ct);
            Output.Write(pr.GetValue(FormatOpt)!, ["code", "name", "level", "parent"],
                reg.SpacesById.Values.OrderBy(s => s.Code, StringComparer.Ordinal).Select(s => new object?[] { s.Code, s.Name, Space.LevelCode(s.Level), s.ParentId is { } p ? reg.SpacesById[p.Value].Code : null }));
            return 0;
        }));
        return new Command("spaces", "space hierarchy: park → building → floor → room → rack") { add, list };
    }

    private static Command Meters()
    {
        var file = new Argument<FileInfo>("file") { Description = "CSV: code,name,carrier,kind,unit,register_max,multiplier,space,system,role[,interval_minutes,max_rate,device,formula,resets_normal]" };
        var import = new Command("import", "register meters from a CSV file (all or nothing; every bad row is listed)") { Db, ParkOpt, file, UserOpt };
        import.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var f = pr.GetValue(file)!;
            await using var s = f.OpenRead();
            var result = await FileImport.ImportMetersAsync(store, pr.GetValue(ParkOpt)!, s, pr.GetValue(UserOpt)!, ct);
            if (result.Errors.Count > 0)
            {
                foreach (var e in result.Errors) await Console.Error.WriteLineAsync($"line {e.Line}: {e.Reason}");
                await Console.Error.WriteLineAsync($"error: {result.Errors.Count} bad row(s); no meter was registered");
                return 2;
            }
            Console.WriteLine($"registered {result.Registered} meter(s)");
            return 0;
        }));
        var list = new Command("list", "list meters") { Db, ParkOpt, FormatOpt };
        list.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var reg = await store.Registry.GetRegistryAsync(pr.GetValue(ParkOpt)!, ct);
            Output.Write(pr.GetValue(FormatOpt)!, ["code", "name", "carrier", "kind", "unit", "register_max", "multiplier", "space", "system", "role", "formula"],
                reg.MetersById.Values.OrderBy(m => m.Code, StringComparer.Ordinal).Select(m => new object?[]
                {
                    m.Code, m.Name, Codes.Of(m.Carrier), Codes.Of(m.Kind), m.Unit, m.RegisterMax, m.Multiplier,
                    m.SpaceId is { } s ? reg.SpacesById[s.Value].Code : null, m.SystemCode, Codes.Of(m.Role), m.Formula,
                }));
            return 0;
        }));
        var meter = new Option<string>("--meter") { Required = true };
        var resetsNormal = new Option<bool?>("--resets-normal") { Description = "true: a drop of this cumulative register is a normal reset from zero (counted as the new value); false: a suspected reset awaiting confirmation" };
        var set = new Command("set", "change a meter's settings (recounts its readings when the reset rule changes)") { Db, ParkOpt, meter, resetsNormal, UserOpt };
        set.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            if (pr.GetValue(resetsNormal) is not { } rn) throw new ValidationException("resets-normal", "nothing to change: give --resets-normal true|false");
            var m = await store.Readings.SetResetsNormalAsync(pr.GetValue(ParkOpt)!, pr.GetValue(meter)!, rn, pr.GetValue(UserOpt)!, ct);
            Console.WriteLine($"meter {m.Code}: resets_normal = {(m.ResetsNormal ? "true" : "false")}");
            return 0;
        }));
        var oneMeter = new Option<string?>("--meter") { Description = "one meter only (default: every physical meter of the park)" };
        var recompute = new Command("recompute", "run the engine again over stored readings in time order (deltas, flags, rollups, suspected resets), e.g. for readings stored under older rules; audited")
            { Db, ParkOpt, oneMeter, UserOpt };
        recompute.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            foreach (var r in await store.Readings.RecomputeReadingsAsync(pr.GetValue(ParkOpt)!, pr.GetValue(oneMeter), pr.GetValue(UserOpt)!, ct))
                Console.WriteLine($"meter {r.Meter}: {r.Changed} reading(s) changed");
            return 0;
        }));
        return new Command("meters", "meter registry") { import, list, set, recompute };
    }

    private static Command Import()
    {
        var file = new Argument<FileInfo>("file") { Description = "readings: CSV (meter,timestamp,value) or XLSX; foreign exports through --mapping" };
        var mapping = new Option<FileInfo?>("--mapping") { Description = "JSON column mapping for foreign exports (see docs/import-formats.md)" };
        var batch = new Option<int>("--batch") { DefaultValueFactory = _ => 100_000, Description = "readings per transaction, going on to the end of the last reading's local day (at most twice as many)" };
        var cmd = new Command("import", "import readings; prints accepted, duplicates, corrected and every rejected row with its line and reason") { Db, ParkOpt, file, mapping, FormatOpt, batch, UserOpt };
        cmd.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var f = pr.GetValue(file)!;
            if (!f.Exists) throw new FileNotFoundException($"file '{f.FullName}' not found");
            var map = pr.GetValue(mapping) is { } mf ? ColumnMapping.FromJson(await File.ReadAllTextAsync(mf.FullName, ct)) : null;
            var park = pr.GetValue(ParkOpt)!;
            var interactive = !Console.IsErrorRedirected && pr.GetValue(FormatOpt) != "json";
            FileImportResult? result = null;
            // The same path as POST …/import and the web UI's import page (FileImport): parse, then store in batches.
            async Task Work(Action<string, double, double> report)
            {
                await using var s = f.OpenRead();
                result = await FileImport.ImportReadingsAsync(store, park, s, f.Name, map, pr.GetValue(UserOpt)!, Math.Max(1, pr.GetValue(batch)),
                    new Progress<long>(b => report("reading " + f.Name, b, f.Length)), (done, total) => report("storing readings", done, total),
                    ZeroPark.Server.ImportLimitsConfig.Read(new ConfigurationBuilder().AddEnvironmentVariables().Build()), wholeDays: true, ct: ct);
            }
            if (interactive)
            {
                await AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .StartAsync(async ctx =>
                    {
                        var read = ctx.AddTask("reading " + f.Name, maxValue: Math.Max(1, f.Length));
                        var store2 = ctx.AddTask("storing readings", maxValue: 1);
                        await Work((what, v, max) =>
                        {
                            var t = what.StartsWith("reading", StringComparison.Ordinal) ? read : store2;
                            t.MaxValue = Math.Max(1, max);
                            t.Value = v;
                        });
                        read.Value = read.MaxValue;
                        store2.Value = store2.MaxValue;
                    });
            }
            else
            {
                await Work((_, _, _) => { });
            }
            if (result!.FileError is { } fileError)
            {
                // The file as a whole was refused (unsupported type, bad mapping, missing columns, unreadable or too large workbook).
                await Console.Error.WriteLineAsync($"error: {fileError}");
                return 2;
            }
            var (accepted, duplicates, corrected, rejected) = (result.Accepted, result.Duplicates, result.Corrected, result.Rejected);
            if (pr.GetValue(FormatOpt) == "json")
            {
                Output.WriteJson(new { accepted, duplicates, corrected, rejected = rejected.Select(r => new { line = r.Line, reason = r.Reason }) });
            }
            else
            {
                Console.WriteLine($"accepted {accepted}, duplicates {duplicates}, corrected {corrected}, rejected {rejected.Count}");
                foreach (var r in rejected.Take(1000)) Console.WriteLine($"  line {r.Line}: {r.Reason}");
                if (rejected.Count > 1000) Console.WriteLine($"  … and {rejected.Count - 1000} more (use --format json for all)");
            }
            return 0;
        }));
        return cmd;
    }

    internal static Granularity ParseBy(string by) => by switch
    {
        "15min" or "quarter" or "quarter_hour" => Granularity.QuarterHour,
        "hour" => Granularity.Hour,
        "day" => Granularity.Day,
        "month" => Granularity.Month,
        "year" => Granularity.Year,
        _ => throw new ValidationException("by", $"'{by}' is not a granularity (15min, hour, day, month, year)"),
    };

    private static Command Series()
    {
        var meter = new Option<string?>("--meter") { Description = "meter code (physical or virtual)" };
        var space = new Option<string?>("--space") { Description = "space node code (default: the whole park)" };
        var system = new Option<string?>("--system") { Description = "system node code, e.g. cooling or cooling.chiller" };
        var role = new Option<string?>("--role") { Description = "KPI role, e.g. it_load or facility_input" };
        var carrier = new Option<string>("--carrier") { DefaultValueFactory = _ => "electricity" };
        var by = new Option<string>("--by") { DefaultValueFactory = _ => "day", Description = "15min | hour | day | month | year" };
        var cmd = new Command("series", "series of a meter or of a node (space/system/role) over local dates, --to inclusive")
            { Db, ParkOpt, meter, space, system, role, carrier, FromOpt, ToOpt, by, FormatOpt };
        cmd.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            if (pr.GetValue(meter) is not null && (pr.GetValue(space) ?? pr.GetValue(system) ?? pr.GetValue(role)) is not null)
                throw new ValidationException("meter", "ask for a meter or for a node (--space/--system/--role), not both");
            SeriesTarget target = pr.GetValue(meter) is { } m
                ? SeriesTarget.Meter(m)
                : SeriesTarget.Node(pr.GetValue(space), pr.GetValue(system), pr.GetValue(role) is { } r ? (Codes.TryRole(r, out var rr) ? rr : throw new ValidationException("role", $"unknown role '{r}'")) : null,
                    Codes.TryCarrier(pr.GetValue(carrier)!, out var c) ? c : throw new ValidationException("carrier", $"unknown carrier '{pr.GetValue(carrier)}'"));
            var res = await store.Queries.SeriesAsync(pr.GetValue(ParkOpt)!, target, Date(pr, FromOpt), Date(pr, ToOpt), ParseBy(pr.GetValue(by)!), ct);
            var rows = res.Buckets.Select(b => new object?[] { b.Start, b.End, b.Value, res.Unit, b.Quality.Label, Math.Round(b.Quality.Completeness * 100, 2) }).ToList();
            Output.Write(pr.GetValue(FormatOpt)!, ["start", "end", "value", "unit", "quality", "completeness"], rows,
                pr.GetValue(FormatOpt) == "json" ? res.Buckets.Select(b => new
                {
                    start = Output.Format(b.Start), end = Output.Format(b.End), value = b.Value, unit = res.Unit, quality = b.Quality.Label,
                    completeness = Math.Round(b.Quality.Completeness * 100, 2), received = b.Quality.Received, expected = b.Quality.Expected,
                    flagged = b.Quality.Flagged, estimated = b.Quality.Estimated,
                }).ToList() : null);
            return 0;
        }));
        return cmd;
    }

    private static Command Quality()
    {
        var meter = new Option<string?>("--meter") { Description = "one meter: also lists its gaps and flagged readings" };
        var cmd = new Command("quality", "data-quality report per meter: completeness %, gaps, flagged readings, last reading") { Db, ParkOpt, meter, FromOpt, ToOpt, FormatOpt };
        cmd.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var q = await store.Queries.DataQualityAsync(pr.GetValue(ParkOpt)!, pr.GetValue(meter), Date(pr, FromOpt), Date(pr, ToOpt), ct);
            if (pr.GetValue(FormatOpt) == "json") { Output.WriteJson(q); return 0; }
            Output.Write(pr.GetValue(FormatOpt)!, ["meter", "expected", "received", "completeness_%", "flagged", "estimated", "last_reading", "last_value"],
                q.Select(x => new object?[] { x.Meter, x.Expected, x.Received, x.CompletenessPercent, x.Flagged, x.Estimated, x.LastReadingAt, x.LastValue }));
            if (q is [{ Gaps: { } gaps, FlaggedReadings: { } flagged }])
            {
                foreach (var g in gaps) Console.WriteLine($"gap: {Output.Format(g.Start)} – {Output.Format(g.End)}");
                foreach (var f in flagged) Console.WriteLine($"flagged: {Output.Format(f.Timestamp)} value {Output.Format(f.Value)} ({f.Flags})");
            }
            return 0;
        }));
        return cmd;
    }

    private static Command Latest()
    {
        var cmd = new Command("latest", "latest reading of every meter") { Db, ParkOpt, FormatOpt };
        cmd.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var l = await store.Queries.LatestReadingsAsync(pr.GetValue(ParkOpt)!, ct);
            Output.Write(pr.GetValue(FormatOpt)!, ["meter", "at", "value"], l.OrderBy(x => x.Meter, StringComparer.Ordinal).Select(x => new object?[] { x.Meter, x.At, x.Value }));
            return 0;
        }));
        return cmd;
    }

    private static Command Manual()
    {
        var meter = new Option<string>("--meter") { Required = true };
        var at = new Option<string>("--at") { Required = true, Description = "ISO 8601 instant with offset" };
        var value = new Option<double>("--value") { Required = true };
        var reason = new Option<string>("--reason") { Required = true };
        var cmd = new Command("manual", "enter or correct one reading by hand (audited with user, reason and time)") { Db, ParkOpt, meter, at, value, UserOpt, reason };
        cmd.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var s = await store.Readings.ManualEntryAsync(pr.GetValue(ParkOpt)!, pr.GetValue(meter)!, Instant("at", pr.GetValue(at)!), pr.GetValue(value), pr.GetValue(UserOpt)!, pr.GetValue(reason)!, ct);
            var p = s.Points![0];
            Console.WriteLine(p.Outcome == "corrected" ? $"corrected: {Output.Format(p.PreviousValue)} → {Output.Format(pr.GetValue(value))}" : p.Outcome);
            return 0;
        }));
        return cmd;
    }

    private static Command Replace()
    {
        var meter = new Option<string>("--meter") { Required = true };
        var at = new Option<string>("--at") { Required = true, Description = "instant of the swap, ISO 8601 with offset" };
        var oldFinal = new Option<double>("--old-final") { Required = true, Description = "old meter's final register value" };
        var newInitial = new Option<double>("--new-initial") { DefaultValueFactory = _ => 0, Description = "new meter's initial register value" };
        var reason = new Option<string?>("--reason");
        var cmd = new Command("replace", "record a meter replacement (old final + new initial reading)") { Db, ParkOpt, meter, at, oldFinal, newInitial, UserOpt, reason };
        cmd.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var s = await store.Readings.ReplaceMeterAsync(pr.GetValue(ParkOpt)!, pr.GetValue(meter)!, Instant("at", pr.GetValue(at)!), pr.GetValue(oldFinal), pr.GetValue(newInitial), pr.GetValue(UserOpt)!, pr.GetValue(reason), ct);
            if (s.Rejected.Count > 0) throw new ValidationException("at", s.Rejected[0].Reason);
            Console.WriteLine(s.Corrected > 0 ? "replacement updated" : "replacement recorded");
            return 0;
        }));
        return cmd;
    }

    private static Command Void()
    {
        var meter = new Option<string>("--meter") { Required = true };
        var at = new Option<string?>("--at") { Description = "instant of the one reading to void, ISO 8601 with offset" };
        var from = new Option<string?>("--from") { Description = "first instant of the range to void (inclusive), ISO 8601 with offset" };
        var to = new Option<string?>("--to") { Description = "last instant of the range to void (inclusive), ISO 8601 with offset" };
        var reason = new Option<string>("--reason") { Required = true, Description = "why (recorded in the audit log)" };
        var cmd = new Command("void", "void a meter's readings (one --at, or --from..--to): they no longer count; later deltas and rollups are recomputed; audited")
            { Db, ParkOpt, meter, at, from, to, reason, UserOpt };
        cmd.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            DateTimeOffset f, t;
            if (pr.GetValue(at) is { } one)
            {
                if (pr.GetValue(from) is not null || pr.GetValue(to) is not null) throw new ValidationException("at", "give either --at or --from and --to, not both");
                f = t = Instant("at", one);
            }
            else
            {
                f = Instant("from", pr.GetValue(from) ?? throw new ValidationException("from", "give --at (one reading) or --from and --to (a range)"));
                t = Instant("to", pr.GetValue(to) ?? throw new ValidationException("to", "give --to with --from"));
            }
            var r = await store.Readings.VoidReadingsAsync(pr.GetValue(ParkOpt)!, pr.GetValue(meter)!, f, t, pr.GetValue(UserOpt)!, pr.GetValue(reason)!, ct);
            Console.WriteLine(r.Voided == 0
                ? $"no reading of '{r.Meter}' in that range; nothing voided"
                : $"voided {r.Voided} reading(s) of '{r.Meter}' ({r.First:yyyy-MM-dd'T'HH:mm:sszzz} .. {r.Last:yyyy-MM-dd'T'HH:mm:sszzz}); later readings recomputed: {r.Recomputed}");
            return 0;
        }));
        return cmd;
    }

    private static Command Resets()
    {
        var meterOpt = new Option<string?>("--meter") { Description = "one meter only" };
        var list = new Command("list", "suspected resets awaiting confirmation: cumulative registers that dropped (energy not counted until confirmed)") { Db, ParkOpt, meterOpt, FormatOpt };
        list.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var rows = await store.Readings.ResetSuspectsAsync(pr.GetValue(ParkOpt)!, pr.GetValue(meterOpt), ct);
            Output.Write(pr.GetValue(FormatOpt)!, ["meter", "at", "value", "previous_value"],
                rows.Select(r => new object?[] { r.Meter, r.At.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture), r.Value, r.PreviousValue }));
            return 0;
        }));
        var meter = new Option<string>("--meter") { Required = true };
        var at = new Option<string>("--at") { Required = true, Description = "instant of the suspected reset, ISO 8601 with offset" };
        var @as = new Option<string>("--as") { Required = true, Description = "reset (counted from zero), replacement or bad_reading" };
        var oldFinal = new Option<double?>("--old-final") { Description = "replacement: the old register's final value (default: the previous reading, no energy)" };
        var reason = new Option<string?>("--reason");
        var confirm = new Command("confirm", "confirm what a suspected reset was; the deltas and rollups are recomputed and the confirmation audited") { Db, ParkOpt, meter, at, @as, oldFinal, UserOpt, reason };
        confirm.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var resolution = Application.Readings.ReadingStore.ParseResolution(pr.GetValue(@as));
            await store.Readings.ConfirmResetAsync(pr.GetValue(ParkOpt)!, pr.GetValue(meter)!, Instant("at", pr.GetValue(at)!), resolution, pr.GetValue(oldFinal),
                pr.GetValue(UserOpt)!, pr.GetValue(reason), ct);
            Console.WriteLine($"confirmed as {Application.Readings.ReadingStore.Code(resolution)}");
            return 0;
        }));
        return new Command("resets", "suspected resets of cumulative registers") { list, confirm };
    }

    private static Command FillGaps()
    {
        var meter = new Option<string>("--meter") { Required = true };
        var cmd = new Command("fill-gaps", "fill gaps by linear interpolation; the filled readings are marked estimated") { Db, ParkOpt, meter, FromOpt, ToOpt, UserOpt };
        cmd.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var s = await store.Readings.FillGapsAsync(pr.GetValue(ParkOpt)!, pr.GetValue(meter)!, Date(pr, FromOpt), Date(pr, ToOpt), pr.GetValue(UserOpt)!, ct);
            Console.WriteLine($"estimated readings written: {s.Accepted}");
            return 0;
        }));
        return cmd;
    }

    private static Command Keys()
    {
        var name = new Option<string>("--name") { Required = true, Description = "e.g. the gateway's name" };
        var create = new Command("create", "create a gateway API key for a park (printed once)") { Db, ParkOpt, name, UserOpt };
        create.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            Console.WriteLine(await store.ApiKeys.CreateApiKeyAsync(pr.GetValue(ParkOpt)!, pr.GetValue(name)!, pr.GetValue(UserOpt)!, ct));
            return 0;
        }));
        var list = new Command("list", "list a park's gateway API keys (id, name, created; the keys themselves are never stored)") { Db, ParkOpt, FormatOpt };
        list.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var keys = await store.ApiKeys.ListApiKeysAsync(pr.GetValue(ParkOpt)!, ct);
            Output.Write(pr.GetValue(FormatOpt)!, ["id", "name", "created_at"],
                keys.Select(k => new object?[] { k.Id, k.Name, k.CreatedAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture) }));
            return 0;
        }));
        var id = new Option<long>("--id") { Required = true, Description = "the key's id (zeropark keys list)" };
        var revoke = new Command("revoke", "revoke a gateway API key: requests with it are refused (401) from then on; audited") { Db, ParkOpt, id, UserOpt };
        revoke.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            await store.ApiKeys.RevokeApiKeyAsync(pr.GetValue(ParkOpt)!, pr.GetValue(id), pr.GetValue(UserOpt)!, ct);
            Console.WriteLine($"revoked API key {pr.GetValue(id)}");
            return 0;
        }));
        return new Command("keys", "gateway API keys") { create, list, revoke };
    }

    private static Command Audit()
    {
        var limit = new Option<int>("--limit") { DefaultValueFactory = _ => 100 };
        var park = new Option<string?>("--park");
        var cmd = new Command("audit", "audit log: who changed what and when") { Db, park, limit, FormatOpt };
        cmd.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var a = await store.Audit.AuditLogAsync(pr.GetValue(park), pr.GetValue(limit), ct);
            Output.Write(pr.GetValue(FormatOpt)!, ["at", "park", "user", "action", "entity", "key", "reason", "old", "new"],
                a.Select(x => new object?[] { x.At, x.Park, x.User, x.Action, x.Entity, x.EntityKey, x.Reason, x.OldValue, x.NewValue }));
            return 0;
        }));
        return cmd;
    }

    /// <summary>The demo's default size: 13 months (2025-01-01 … 2026-01-31) of about 500 meters.</summary>
    internal const int DemoDefaultDays = 396, DemoDefaultMeters = 500;

    private static Command DemoCommand()
    {
        // Default: 13 months (2025-01-01 … 2026-01-31), so month-on-month, year-on-year, seasonal PUE, an annual inventory and a 12-month
        // evaluation have data; ~500 meters keep the first run near a minute on 2 cores (about 19 million readings).
        var meters = new Option<int>("--meters") { DefaultValueFactory = _ => DemoDefaultMeters, Description = "about how many meters" };
        var days = new Option<int>("--days") { DefaultValueFactory = _ => DemoDefaultDays, Description = "days of 15-minute data" };
        var start = new Option<string>("--start") { DefaultValueFactory = _ => "2025-01-01", Description = "first local date" };
        var park = new Option<string>("--park") { DefaultValueFactory = _ => "demo" };
        var cmd = new Command("demo", "build the demo park: 4 buildings, ~500 meters and a weather station, 13 months of 15-minute data with gaps, a rollover and a replacement; a time-of-use tariff, carbon activity data (scopes 1–3) and energy plans") { Db, meters, days, start, park };
        cmd.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var startDate = DateOnly.ParseExact(pr.GetValue(start)!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var demo = new DemoPark(new DemoOptions(pr.GetValue(park)!, pr.GetValue(meters), startDate, pr.GetValue(days)));
            var sw = System.Diagnostics.Stopwatch.StartNew();
            long total = 0;
            await demo.CreateRegistryAsync(store, ct);
            var key = await store.ApiKeys.CreateApiKeyAsync(demo.Options.ParkCode, "demo-gateway", "demo", ct);
            async Task Load(Action<int> dayDone)
            {
                foreach (var d in DemoReadings.Generate(demo))
                {
                    if (d.Replacement is { } r)
                        await store.Readings.ReplaceMeterAsync(demo.Options.ParkCode, r.Meter, r.At, r.OldFinal, r.NewInitial, "demo", "PDU meter replaced (demo)", ct);
                    var s = await store.Readings.IngestAsync(demo.Options.ParkCode, d.Points, new IngestSource("demo", "demo"), ct: ct);
                    total += s.Accepted;
                    // The demo's register glitch (a zero reading) is a suspected reset: confirmed as a bad reading, as a person would.
                    if (d.Points.Any(p => p.MeterCode == DemoReadings.GlitchMeter && p.Value == 0))
                        foreach (var g in await store.Readings.ResetSuspectsAsync(demo.Options.ParkCode, DemoReadings.GlitchMeter, ct))
                            await store.Readings.ConfirmResetAsync(demo.Options.ParkCode, g.Meter, g.At, ResetResolution.BadReading, null, "demo", "register glitch (demo)", ct);
                    dayDone(1);
                }
            }
            if (!Console.IsErrorRedirected)
            {
                await AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .StartAsync(async ctx =>
                    {
                        var t = ctx.AddTask($"demo park: {demo.PhysicalMeters} meters × {demo.Options.Days} days", maxValue: demo.Options.Days);
                        await Load(n => t.Increment(n));
                    });
            }
            else
            {
                await Load(_ => { });
            }
            // Fresh planner statistics for the tables just filled (PostgreSQL would otherwise wait for autovacuum).
            await store.AnalyzeAfterBulkLoadAsync(ct);
            await DemoTariff.SeedAsync(store, demo, ct);
            await DemoCarbon.SeedAsync(store, demo, ct);
            await DemoPlans.SeedAsync(store, demo, ct);
            await DemoNeutrality.SeedAsync(store, demo, ct);
            await DemoOptimisation.SeedAsync(store, demo, ct);
            await DemoEvaluations.SeedAsync(store, demo, ct);
            await DemoSupplyChain.SeedAsync(store, demo, ct);
            await DemoReports.SeedAsync(store, demo, ct);
            await DemoAlerts.SeedAsync(pr.GetValue(Db)!, demo, ct);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"demo park '{demo.Options.ParkCode}': {demo.MeterDrafts.Count} meters ({demo.PhysicalMeters} physical), {total:N0} readings in {sw.Elapsed.TotalSeconds:0.0} s ({total / sw.Elapsed.TotalSeconds:N0} readings/s)"));
            Console.WriteLine($"gateway API key (shown once): {key}");
            return 0;
        }));
        return cmd;
    }

    private static Command Serve()
    {
        var urls = new Option<string>("--urls") { DefaultValueFactory = _ => Server.ZeroParkServer.DefaultUrl, Description = "listen URL (loopback by default)" };
        var cmd = new Command("serve", "start the web server and REST API (OpenAPI at /openapi/v1.json)") { Db, urls };
        cmd.SetAction(async (pr, ct) =>
        {
            string[] args = ["--urls", pr.GetValue(urls)!, "--ZeroPark:Db", pr.GetValue(Db)!];
            if (pr.GetValue(FutureToleranceOpt) is { } hours) args = [.. args, "--ZeroPark:FutureToleranceHours", FutureTolerance(hours).TotalHours.ToString(CultureInfo.InvariantCulture)];
            var app = Server.ZeroParkServer.Build(args);
            await app.StartAsync(ct);
            await app.WaitForShutdownAsync(ct);
            return 0;
        });
        return cmd;
    }
}
