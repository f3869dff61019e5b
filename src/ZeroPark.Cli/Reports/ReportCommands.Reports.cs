using Microsoft.Extensions.DependencyInjection;
using System.CommandLine;
using System.Globalization;
using ZeroPark.Application;
using ZeroPark.Application.Reports;

namespace ZeroPark.Cli.Reports;

internal static partial class ReportCommands
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static Command ReportsCommand()
    {
        var cmd = new Command("reports", "reports (GHG inventory, monthly energy, T/CA305 and T/BFIA 043 self-assessments, carbon neutrality, reduction, efficiency; HTML, PDF, XLSX; Chinese and English), the report archive, templates, schedules and disclosure packs");
        cmd.Subcommands.Add(Generate());
        cmd.Subcommands.Add(List());
        cmd.Subcommands.Add(Get());
        cmd.Subcommands.Add(Template());
        foreach (var c in MoreCommands()) cmd.Subcommands.Add(c);
        return cmd;
    }

    static partial void AddMore(List<Command> commands);

    private static List<Command> MoreCommands()
    {
        var list = new List<Command>();
        AddMore(list);
        return list;
    }

    internal static DateOnly? Month(string? s, string field = "month") => s is null ? null
        : DateOnly.TryParseExact(s + "-01", "yyyy-MM-dd", Inv, DateTimeStyles.None, out var d) ? d
        : throw new ValidationException(field, $"{field}: '{s}' is not a month (YYYY-MM)");

    private static Command Generate()
    {
        var kind = new Option<string>("--kind") { Description = string.Join(" | ", ReportKinds.All.Select(k => k.Code)), Required = true };
        var lang = new Option<string>("--lang") { Description = "zh (default) | en", DefaultValueFactory = _ => "zh" };
        var inventory = new Option<long?>("--inventory") { Description = "GHG report: the saved inventory version (id)" };
        var year = new Option<int?>("--year") { Description = "GHG report: the year's final (else latest) park inventory" };
        var month = new Option<string?>("--month") { Description = "energy and efficiency reports: the month, YYYY-MM" };
        var quarter = new Option<string?>("--quarter") { Description = "neutrality and reduction reports: a quarter, YYYY-Qn (else --year)" };
        var noPdf = new Option<bool>("--no-pdf") { Description = "skip the PDF (no Chromium needed)" };
        var output = new Option<string?>("--output") { Description = "directory to write the report's files to (report-ID.html/.pdf/.xlsx)" };
        var cmd = new Command("generate", "generate a report and archive it with the data versions it used and its seal; prints its id, the time taken and the files")
            { Db, Park, kind, lang, inventory, year, month, quarter, noPdf, output, User, Format };
        cmd.SetAction((pr, ct) => WithStore(pr, async (store, services) =>
        {
            var park = pr.GetValue(Park)!;
            var q = ReportKinds.Quarter(pr.GetValue(quarter));
            var req = new ReportRequest(pr.GetValue(kind)!, pr.GetValue(lang)!, pr.GetValue(inventory), pr.GetValue(year), Month(pr.GetValue(month)), Pdf: !pr.GetValue(noPdf),
                From: q?.From, To: q?.To);
            var r = await services.GetRequiredService<ReportService>().GenerateAsync(park, req, pr.GetValue(User)!, ct);
            var files = new List<string>();
            if (pr.GetValue(output) is { } dir)
            {
                Directory.CreateDirectory(dir);
                foreach (var f in new[] { "html", "pdf", "xlsx" })
                {
                    if (await store.Reports.ReportFileAsync(park, r.Id, f, ct) is not { } bytes) continue;
                    var path = Path.Combine(dir, $"report-{r.Id}.{f}");
                    await File.WriteAllBytesAsync(path, bytes, ct);
                    files.Add(path);
                }
            }
            if (pr.GetValue(Format) == "json") Output.WriteJson(new { report = r, files });
            else
            {
                Console.WriteLine($"report #{r.Id} {r.Kind} {r.Lang} {r.From:yyyy-MM-dd}…{r.To:yyyy-MM-dd}: \"{r.Title}\" in {r.ElapsedMs} ms; seal {r.SealHash ?? "(none)"}");
                foreach (var f in files) Console.WriteLine("  " + f);
            }
            return 0;
        }));
        return cmd;
    }

    private static Command List()
    {
        var cmd = new Command("list", "the report archive of the park, newest first") { Db, Park, Format };
        cmd.SetAction((pr, ct) => WithStore(pr, async (store, _) =>
        {
            var list = await store.Reports.ReportsAsync(pr.GetValue(Park)!, null, ct);
            Output.Write(pr.GetValue(Format)!, ["id", "kind", "lang", "from", "to", "title", "seal", "elapsed_ms", "pdf", "xlsx", "created_by", "created_at"],
                list.Select(r => new object?[] { r.Id, r.Kind, r.Lang, r.From.ToString("yyyy-MM-dd", Inv), r.To.ToString("yyyy-MM-dd", Inv), r.Title, r.SealHash, r.ElapsedMs,
                    r.HasPdf, r.HasXlsx, r.CreatedBy, r.CreatedAt }), list);
            return 0;
        }));
        return cmd;
    }

    private static Command Get()
    {
        var id = new Option<long>("--id") { Description = "report id", Required = true };
        var format = new Option<string>("--file-format") { Description = "html | pdf | xlsx", DefaultValueFactory = _ => "pdf" };
        var output = new Option<string>("--output") { Description = "file to write", Required = true };
        var cmd = new Command("get", "write one format of an archived report to a file") { Db, Park, id, format, output };
        cmd.SetAction((pr, ct) => WithStore(pr, async (store, _) =>
        {
            var bytes = await store.Reports.ReportFileAsync(pr.GetValue(Park)!, pr.GetValue(id), pr.GetValue(format)!, ct)
                        ?? throw new NotFoundException($"report #{pr.GetValue(id)} has no {pr.GetValue(format)}");
            await File.WriteAllBytesAsync(pr.GetValue(output)!, bytes, ct);
            Console.WriteLine($"{pr.GetValue(output)}: {bytes.Length:#,0} bytes");
            return 0;
        }));
        return cmd;
    }

    private static Command Template()
    {
        var kind = new Option<string>("--kind") { Description = string.Join(" | ", ReportKinds.All.Select(k => k.Code)), Required = true };
        var title = new Option<string?>("--title") { Description = "report title (empty: the default)" };
        var logo = new Option<FileInfo?>("--logo") { Description = "logo image file (PNG, JPEG or SVG)" };
        var sections = new Option<string?>("--sections") { Description = "comma-separated section codes to show, in the report's order" };
        var cmd = new Command("template", "show or change the park's template of a report kind (title, logo, sections)") { Db, Park, kind, title, logo, sections, User, Format };
        cmd.SetAction((pr, ct) => WithStore(pr, async (store, _) =>
        {
            var park = pr.GetValue(Park)!;
            var k = ReportKinds.Parse(pr.GetValue(kind));
            var t = await store.Reports.TemplateAsync(park, k, ct);
            if (pr.GetValue(title) is not null || pr.GetValue(logo) is not null || pr.GetValue(sections) is not null)
            {
                var logoUri = t.Logo;
                if (pr.GetValue(logo) is { } f)
                {
                    if (!f.Exists) throw new FileNotFoundException($"file '{f.FullName}' not found");
                    var mime = f.Extension.ToLowerInvariant() switch { ".png" => "image/png", ".jpg" or ".jpeg" => "image/jpeg", ".svg" => "image/svg+xml",
                        _ => throw new ValidationException("logo", "logo: a .png, .jpg or .svg file") };
                    logoUri = $"data:{mime};base64,{Convert.ToBase64String(await File.ReadAllBytesAsync(f.FullName, ct))}";
                }
                t = await store.Reports.SetTemplateAsync(park, t with
                {
                    Title = pr.GetValue(title) ?? t.Title, Logo = logoUri,
                    Sections = pr.GetValue(sections) is { } s ? s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : t.Sections,
                }, pr.GetValue(User)!, ct);
            }
            if (pr.GetValue(Format) == "json") Output.WriteJson(t with { Logo = t.Logo.Length > 0 ? $"({t.Logo.Length} characters)" : "" });
            else Console.WriteLine($"{t.Kind}: title \"{t.Title}\"; logo {(t.Logo.Length > 0 ? "set" : "none")}; sections {string.Join(",", t.Sections)}");
            return 0;
        }));
        return cmd;
    }
}

internal static partial class ReportCommands
{
    static partial void AddMore(List<Command> commands)
    {
        commands.Add(Disclosure());
        commands.Add(Schedule());
        commands.Add(RunSchedules());
    }

    private static Command Disclosure()
    {
        var year = new Option<int>("--year") { Description = "the year", Required = true };
        var format = new Option<string>("--format") { Description = "table | json | xlsx (xlsx needs --output)", DefaultValueFactory = _ => "table" };
        var output = new Option<string?>("--output") { Description = "file to write (xlsx or json)" };
        var cmd = new Command("disclosure", "disclosure pack of a year: GRI 302/303/305, IFRS S2 / TCFD, SASB TC-SI-130a, CDP, EU 2024/1364, China key energy-using units; " +
                                            "each metric with value, unit, period, method and source, or why it is missing") { Db, Park, year, format, output };
        cmd.SetAction((pr, ct) => WithStore(pr, async (_, services) =>
        {
            var pack = await services.GetRequiredService<DisclosureService>().PackAsync(pr.GetValue(Park)!, pr.GetValue(year), ct);
            switch (pr.GetValue(format))
            {
                case "xlsx":
                    var path = pr.GetValue(output) ?? throw new ValidationException("output", "output: --format xlsx needs --output FILE");
                    await File.WriteAllBytesAsync(path, DisclosureService.Xlsx(pack), ct);
                    Console.WriteLine($"{path}: {pack.Complete} of {pack.Total} metrics complete");
                    break;
                case "json":
                    if (pr.GetValue(output) is { } jp) await File.WriteAllTextAsync(jp, System.Text.Json.JsonSerializer.Serialize(pack, Output.Json), ct);
                    else Output.WriteJson(pack);
                    break;
                default:
                    foreach (var f in pack.Frameworks)
                    {
                        Console.WriteLine($"{f.Name}: {f.Complete} of {f.Total} complete");
                        foreach (var m in f.Metrics)
                            Console.WriteLine($"  {m.Code,-22} {(m.Value is { } v ? v.ToString("#,0.###", Inv) + " " + m.Unit : "— missing: " + m.Missing)}");
                    }
                    foreach (var n in pack.Notes) Console.WriteLine("note: " + n);
                    break;
            }
            return 0;
        }));
        return cmd;
    }

    private static Command Schedule()
    {
        var kind = new Option<string?>("--kind") { Description = string.Join(" | ", ReportKinds.All.Select(k => $"{k.Code} (every {string.Join(" or ", k.Every.Select(ZeroPark.Reports.ReportSchedule.Code))})")) };
        var every = new Option<string?>("--every") { Description = "month | quarter | year" };
        var lang = new Option<string>("--lang") { Description = "zh (default) | en", DefaultValueFactory = _ => "zh" };
        var to = new Option<string?>("--to") { Description = "e-mail recipients, comma-separated" };
        var remove = new Option<long?>("--remove") { Description = "remove the schedule with this id" };
        var cmd = new Command("schedule", "list, add (--kind --every [--to]) or remove (--remove ID) scheduled reports; they are generated on the first working day after each period")
            { Db, Park, kind, every, lang, to, remove, User, Format };
        cmd.SetAction((pr, ct) => WithStore(pr, async (store, _) =>
        {
            var park = pr.GetValue(Park)!;
            if (pr.GetValue(remove) is { } id) await store.Reports.RemoveScheduleAsync(park, id, pr.GetValue(User)!, ct);
            else if (pr.GetValue(kind) is { } k)
                await store.Reports.AddScheduleAsync(park, k, pr.GetValue(every) ?? throw new ValidationException("every", "every: required with --kind"), pr.GetValue(lang)!,
                    (pr.GetValue(to) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), pr.GetValue(User)!, ct);
            var list = await store.Reports.SchedulesAsync(park, ct);
            Output.Write(pr.GetValue(Format)!, ["id", "kind", "every", "lang", "recipients", "last_period", "created_by"],
                list.Select(s => new object?[] { s.Id, s.Kind, s.Every, s.Lang, string.Join(",", s.Recipients), s.LastPeriod, s.CreatedBy }), list);
            return 0;
        }));
        return cmd;
    }

    private static Command RunSchedules()
    {
        var cmd = new Command("run-schedules", "generate every due scheduled report of every park now (for cron; the server runs this every 15 minutes)") { Db };
        cmd.SetAction((pr, ct) => WithStore(pr, async (_, services) =>
        {
            var runs = await services.GetRequiredService<ReportScheduler>().RunDueAsync(ct);
            foreach (var r in runs) Console.WriteLine($"{r.Park} schedule #{r.ScheduleId} {r.Kind} {r.Period}: {(r.ReportId is { } id ? $"report #{id}, " : "")}{r.Outcome}");
            if (runs.Count == 0) Console.WriteLine("nothing due");
            return runs.Any(r => r.ReportId is null) ? 3 : 0;
        }));
        return cmd;
    }
}
