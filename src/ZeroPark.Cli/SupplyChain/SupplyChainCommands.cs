using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ZeroPark.Application;
using ZeroPark.Application.Export;
using ZeroPark.Application.Governance;
using ZeroPark.Application.SupplyChain;
using ZeroPark.SupplyChain;
using ParseResult = System.CommandLine.ParseResult;

namespace ZeroPark.Cli.SupplyChainCli;

/// <summary>
/// Supply chain and green governance on the command line: <c>zeropark footprints import|list|delete|model</c>,
/// <c>zeropark suppliers add|list|token|answers|import-answers|grades|history|report|indicator|thresholds</c> and
/// <c>zeropark governance activity|unit|person|token|report|account|leaderboard|rewards</c>. Errors: one line, exit code 2.
/// </summary>
internal static class SupplyChainCommands
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly Option<string> Db = new("--db") { Description = "SQLite file path or PostgreSQL connection string (Host=…;Database=…)", Required = true };
    private static readonly Option<string> Park = new("--park") { Description = "park code", Required = true };
    private static readonly Option<string> Format = new("--format") { Description = "table | json | csv", DefaultValueFactory = _ => "table" };
    private static readonly Option<string> User = new("--user") { Description = "who does this (recorded in the audit log)", DefaultValueFactory = _ => Environment.UserName };

    public static IEnumerable<Command> Create() => [Footprints(), Suppliers(), Governance()];

    private static Task<int> WithStore(ParseResult pr, Func<ZeroParkStore, Task<int>> body) => CliApp.WithStore(pr, body, Db);

    private static DateOnly? OptDate(ParseResult pr, Option<string?> o)
    {
        var s = pr.GetValue(o);
        if (string.IsNullOrWhiteSpace(s)) return null;
        return DateOnly.TryParseExact(s, "yyyy-MM-dd", Inv, DateTimeStyles.None, out var d) ? d : throw new ValidationException(o.Name.TrimStart('-'), $"'{s}' is not a date (YYYY-MM-DD)");
    }

    private static string D(DateOnly? d) => d?.ToString("yyyy-MM-dd", Inv) ?? "";

    // ------------------------------------------------------------------ footprints

    private static Command Footprints()
    {
        var file = new Argument<FileInfo>("file") { Description = "CSV or XLSX: product,supplier,functional_unit,kgco2e_per_unit,stages,verified[,category,boundary,data_source,verifier,valid_from,valid_to,review_on,note]; or PACT v2 ProductFootprint JSON" };
        var import = new Command("import", "add or update product carbon footprints; an activity record whose material names the product and whose supplier names the supplier " +
                                           "is then computed with the footprint (scope 3); prints accepted, updated, unchanged and every rejected row") { Db, Park, file, Format, User };
        import.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var f = pr.GetValue(file)!;
            if (!f.Exists) throw new FileNotFoundException($"file '{f.FullName}' not found");
            var park = pr.GetValue(Park)!;
            var today = await store.SupplyChain.TodayAsync(park, ct);
            IReadOnlyList<(int, Footprint)> rows;
            IReadOnlyList<ZeroPark.Metering.RowError> errors;
            await using (var s = f.OpenRead()) (rows, errors) = FootprintFiles.Parse(s, today, f.Name);
            var r = await store.SupplyChain.ImportFootprintsAsync(park, rows, errors, pr.GetValue(User)!, ct);
            if (pr.GetValue(Format) == "json")
                Output.WriteJson(new { accepted = r.Accepted, updated = r.Updated, unchanged = r.Unchanged, rejected = r.Rejected.Select(e => new { line = e.Line, reason = e.Reason }), regraded = r.Regraded });
            else
            {
                Console.WriteLine($"accepted {r.Accepted}, updated {r.Updated}, unchanged {r.Unchanged}, rejected {r.Rejected.Count}");
                foreach (var e in r.Rejected) Console.WriteLine($"  line {e.Line}: {e.Reason}");
                foreach (var g in r.Regraded) Console.WriteLine($"  re-graded {g}");
            }
            return 0;
        }));
        var list = new Command("list", "the park's footprint library with the grade the library gives each") { Db, Park, Format };
        list.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var rows = await store.SupplyChain.FootprintsAsync(pr.GetValue(Park)!, ct);
            Output.Write(pr.GetValue(Format)!, ["id", "product", "supplier", "category", "kgco2e_per_unit", "unit", "boundary", "stages", "data_source", "verification", "verifier", "valid_from", "valid_to", "review_on", "grade", "grade_reason"],
                rows.Select(x => new object?[] { "F" + x.Footprint.Id.ToString(Inv), x.Footprint.Product, x.Footprint.Supplier, x.Footprint.Category, x.Footprint.KgCo2ePerUnit, x.Footprint.Unit,
                    x.Footprint.Boundary, x.Footprint.StagesText, ZeroPark.SupplyChain.Footprints.Code(x.Footprint.DataSource), ZeroPark.SupplyChain.Footprints.Code(x.Footprint.Verification),
                    x.Footprint.Verifier, D(x.Footprint.ValidFrom), D(x.Footprint.ValidTo), D(x.Footprint.ReviewOn), x.Grade.Grade, x.Grade.Reason }));
            return 0;
        }));
        var id = new Argument<string>("id") { Description = "footprint id (F12 or 12)" };
        var delete = new Command("delete", "delete a footprint (audited)") { Db, Park, id, User };
        delete.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            await store.SupplyChain.DeleteFootprintAsync(pr.GetValue(Park)!, FootprintId(pr.GetValue(id)!), pr.GetValue(User)!, ct);
            Console.WriteLine("deleted");
            return 0;
        }));
        var modelFile = new Argument<FileInfo>("model") { Description = "JSON: {\"product\",\"supplier\",\"output\":1,\"output_unit\":\"item\",\"items\":[{\"stage\":\"raw_materials\",\"name\",\"quantity\",\"unit\",\"factor\",\"factor_unit\",\"source\"}], ...}" };
        var percent = new Option<double>("--percent") { Description = "sensitivity: change each input by ± this %", DefaultValueFactory = _ => 10 };
        var save = new Option<bool>("--save") { Description = "store the result as the product's footprint (origin model)" };
        var model = new Command("model", "a stage-by-stage LCA model (quantities × factors): the footprint per functional unit, each stage's share, and its sensitivity to every input")
            { Db, Park, modelFile, percent, save, Format, User };
        model.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var f = pr.GetValue(modelFile)!;
            if (!f.Exists) throw new FileNotFoundException($"file '{f.FullName}' not found");
            var input = FootprintModels.Parse(await File.ReadAllTextAsync(f.FullName, ct));
            var result = LcaCalculator.Compute(input.Model);
            var sens = LcaCalculator.Sensitivities(input.Model, pr.GetValue(percent));
            long? savedId = null;
            if (pr.GetValue(save))
                savedId = await FootprintModels.SaveAsync(store, pr.GetValue(Park)!, input, pr.GetValue(User)!, ct);
            if (pr.GetValue(Format) == "json") Output.WriteJson(new { result, sensitivity = sens, saved_id = savedId });
            else
            {
                foreach (var t in result.Trace) Console.WriteLine(t);
                foreach (var s in result.Stages) Console.WriteLine($"  {ZeroPark.SupplyChain.Footprints.Code(s.Stage)}: {s.KgPerUnit.ToString("#,0.####", Inv)} kgCO2e/{result.Unit} ({s.Share:P1})");
                Console.WriteLine($"sensitivity (±{pr.GetValue(percent).ToString(Inv)} % of each input):");
                foreach (var s in sens) Console.WriteLine($"  {s.Name}: {s.KgLow.ToString("#,0.####", Inv)} … {s.KgHigh.ToString("#,0.####", Inv)} kgCO2e/{result.Unit} (elasticity {s.Elasticity.ToString("0.###", Inv)})");
                if (savedId is { } sid) Console.WriteLine($"saved as footprint F{sid}");
            }
            return 0;
        }));
        return new Command("footprints", "the park's product carbon footprint library (产品碳足迹库)") { import, list, delete, model };
    }

    private static long FootprintId(string s) => long.TryParse(s.TrimStart('F', 'f'), NumberStyles.None, Inv, out var id) ? id : throw new ValidationException("id", $"'{s}' is not a footprint id (F12)");

    // ------------------------------------------------------------------ suppliers

    private static Command Suppliers()
    {
        var name = new Option<string>("--name") { Description = "supplier name (as in footprints and activity records)", Required = true };
        var contact = new Option<string>("--contact") { Description = "contact person, phone or e-mail", DefaultValueFactory = _ => "" };
        var add = new Command("add", "add a supplier (or change its contact)") { Db, Park, name, contact, User };
        add.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var s = await store.SupplyChain.AddSupplierAsync(pr.GetValue(Park)!, pr.GetValue(name)!, pr.GetValue(contact)!, pr.GetValue(User)!, ct);
            await store.SupplyChain.RegradeSuppliersAsync(pr.GetValue(Park)!, [s.Name], "supplier added", ct);
            Console.WriteLine($"supplier '{s.Name}' (#{s.Id})");
            return 0;
        }));
        var list = new Command("list", "the park's suppliers") { Db, Park, Format };
        list.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var rows = await store.SupplyChain.SuppliersAsync(pr.GetValue(Park)!, ct);
            Output.Write(pr.GetValue(Format)!, ["id", "name", "contact", "form_link"], rows.Select(s => new object?[] { s.Id, s.Name, s.Contact, s.HasToken ? "issued" : "" }));
            return 0;
        }));
        var token = new Command("token", "issue the supplier's questionnaire link (no account needed; only this supplier's questionnaire; the previous link stops working)") { Db, Park, name, User };
        token.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var t = await store.SupplyChain.IssueTokenAsync(pr.GetValue(Park)!, pr.GetValue(name)!, pr.GetValue(User)!, ct);
            Console.WriteLine($"questionnaire link (shown once): /supplier-form/{t}");
            return 0;
        }));
        var set = new Option<string[]>("--set") { Description = "indicator=value (repeat)", AllowMultipleArgumentsPerToken = true, Required = true };
        var answers = new Command("answers", "set a supplier's answers and re-grade it") { Db, Park, name, set, User, Format };
        answers.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var dict = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var kv in pr.GetValue(set)!)
            {
                var parts = kv.Split('=', 2);
                if (parts.Length != 2 || !double.TryParse(parts[1], NumberStyles.Float, Inv, out var v)) throw new ValidationException("set", $"'{kv}' is not indicator=value");
                dict[parts[0].Trim()] = v;
            }
            var g = await store.SupplyChain.SetAnswersAsync(pr.GetValue(Park)!, pr.GetValue(name)!, dict, "cli", pr.GetValue(User)!, ct);
            WriteGrades(pr, [g]);
            return 0;
        }));
        var file = new Argument<FileInfo>("file") { Description = "CSV: supplier,indicator,value" };
        var importAnswers = new Command("import-answers", "import suppliers' answers (unknown suppliers are added) and re-grade them") { Db, Park, file, User };
        importAnswers.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var f = pr.GetValue(file)!;
            if (!f.Exists) throw new FileNotFoundException($"file '{f.FullName}' not found");
            var park = pr.GetValue(Park)!;
            IReadOnlyDictionary<string, Dictionary<string, double>> parsed;
            IReadOnlyList<ZeroPark.Metering.RowError> errors;
            await using (var s = f.OpenRead()) (parsed, errors) = SupplyChainFiles.ParseAnswers(s);
            var failed = 0;
            foreach (var (supplier, values) in parsed)
            {
                try
                {
                    await store.SupplyChain.AddSupplierAsync(park, supplier, "", pr.GetValue(User)!, ct);
                    var g = await store.SupplyChain.SetAnswersAsync(park, supplier, values, "import", pr.GetValue(User)!, ct);
                    Console.WriteLine($"{g.Supplier}: {g.Grade} {g.Score.ToString("0.##", Inv)}");
                }
                catch (ValidationException e)
                {
                    failed++;
                    Console.WriteLine($"  {supplier}: {e.Message} (its answers were not stored)");
                }
            }
            foreach (var e in errors) Console.WriteLine($"  line {e.Line}: {e.Reason}");
            Console.WriteLine($"suppliers {parsed.Count - failed}, refused {failed}, rejected rows {errors.Count}");
            return 0;
        }));
        var grades = new Command("grades", "the suppliers' current grades, ranked") { Db, Park, Format };
        grades.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            WriteGrades(pr, await store.SupplyChain.GradesAsync(pr.GetValue(Park)!, ct));
            return 0;
        }));
        var history = new Command("history", "every grade a supplier had, newest first") { Db, Park, name, Format };
        history.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            WriteGrades(pr, await store.SupplyChain.GradeHistoryAsync(pr.GetValue(Park)!, pr.GetValue(name)!, ct));
            return 0;
        }));
        var output = new Option<string>("--output") { Description = "XLSX file to write", Required = true };
        var report = new Command("report", "the grade report (XLSX): ranking, indicator points, indicator system and thresholds") { Db, Park, output };
        report.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var park = pr.GetValue(Park)!;
            XlsxWriter.WriteFile(pr.GetValue(output)!, SupplyChainFiles.GradeReport(park, await store.SupplyChain.GradesAsync(park, ct),
                await store.SupplyChain.IndicatorsAsync(park, ct), await store.SupplyChain.ThresholdsAsync(park, ct)));
            Console.WriteLine($"wrote {pr.GetValue(output)}");
            return 0;
        }));
        var iname = new Option<string>("--name") { Description = "indicator name", DefaultValueFactory = _ => "" };
        var unit = new Option<string>("--unit") { DefaultValueFactory = _ => "" };
        var remove = new Option<bool>("--remove");
        var indicator = new Command("indicator", "list the park's indicator system, or add/change (--code … --weight … --best … --worst …) or --remove one; every supplier is re-graded")
            { Db, Park, User, Format };
        var icode = new Option<string?>("--code") { Description = "indicator code" };
        var iweight = new Option<double?>("--weight");
        var ibest = new Option<double?>("--best") { Description = "value earning full points" };
        var iworst = new Option<double?>("--worst") { Description = "value earning no points (best < worst: lower is better)" };
        indicator.Options.Add(icode); indicator.Options.Add(iname); indicator.Options.Add(iweight); indicator.Options.Add(ibest); indicator.Options.Add(iworst);
        indicator.Options.Add(unit); indicator.Options.Add(remove);
        indicator.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var park = pr.GetValue(Park)!;
            if (pr.GetValue(icode) is { } c)
            {
                if (pr.GetValue(remove)) await store.SupplyChain.RemoveIndicatorAsync(park, c, pr.GetValue(User)!, ct);
                else
                {
                    var existing = (await store.SupplyChain.IndicatorsAsync(park, ct)).FirstOrDefault(x => x.Code == c);
                    await store.SupplyChain.SetIndicatorAsync(park, new Indicator(c, pr.GetValue(iname) is { Length: > 0 } n ? n : existing?.Name ?? c,
                        pr.GetValue(iweight) ?? existing?.Weight ?? throw new ValidationException("weight", "--weight is required for a new indicator"),
                        pr.GetValue(ibest) ?? existing?.Best ?? throw new ValidationException("best", "--best is required for a new indicator"),
                        pr.GetValue(iworst) ?? existing?.Worst ?? throw new ValidationException("worst", "--worst is required for a new indicator"),
                        pr.GetValue(unit) is { Length: > 0 } u ? u : existing?.Unit ?? ""), pr.GetValue(User)!, ct);
                }
            }
            var list = await store.SupplyChain.IndicatorsAsync(park, ct);
            Output.Write(pr.GetValue(Format)!, ["code", "name", "weight", "best", "worst", "unit"], list.Select(i => new object?[] { i.Code, i.Name, i.Weight, i.Best, i.Worst, i.Unit }));
            return 0;
        }));
        var ex = new Option<double?>("--excellent"); var good = new Option<double?>("--good"); var pass = new Option<double?>("--pass");
        var thresholds = new Command("thresholds", "show or set the score thresholds of 优秀/良好/合格 (below 合格: 差); every supplier is re-graded") { Db, Park, ex, good, pass, User };
        thresholds.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var park = pr.GetValue(Park)!;
            var t = await store.SupplyChain.ThresholdsAsync(park, ct);
            if (pr.GetValue(ex) is not null || pr.GetValue(good) is not null || pr.GetValue(pass) is not null)
            {
                t = new GradeThresholds(pr.GetValue(ex) ?? t.Excellent, pr.GetValue(good) ?? t.Good, pr.GetValue(pass) ?? t.Pass);
                await store.SupplyChain.SetThresholdsAsync(park, t, pr.GetValue(User)!, ct);
            }
            Console.WriteLine($"优秀 ≥ {t.Excellent.ToString(Inv)}, 良好 ≥ {t.Good.ToString(Inv)}, 合格 ≥ {t.Pass.ToString(Inv)}, below: 差");
            return 0;
        }));
        return new Command("suppliers", "suppliers and their green grades (绿色等级评价库)") { add, list, token, answers, importAnswers, grades, history, report, indicator, thresholds };
    }

    private static void WriteGrades(ParseResult pr, IReadOnlyList<SupplierGrade> grades)
    {
        var format = pr.GetValue(Format)!;
        if (format == "json") { Output.WriteJson(grades); return; }
        Output.Write(format, ["rank", "supplier", "score", "grade", "computed_at", "reason"],
            grades.Select(g => new object?[] { g.Rank == 0 ? null : g.Rank, g.Supplier, Math.Round(g.Score, 2), g.Grade, g.ComputedAt.ToString("yyyy-MM-dd HH:mm", Inv), g.Reason }));
    }

    // ------------------------------------------------------------------ governance

    private static Command Governance()
    {
        var date = new Option<string?>("--date") { Description = "local date YYYY-MM-DD (default: today)" };
        var kind = new Option<string>("--kind") { Required = true, Description = "meeting | tree_planting | training | public_benefit | other" };
        var title = new Option<string>("--title") { Required = true };
        var participants = new Option<int>("--participants") { DefaultValueFactory = _ => 0 };
        var activity = new Option<string[]>("--activity") { Description = "source:material:amount:unit (repeat), e.g. business_travel:rail_travel:1200:pkm", AllowMultipleArgumentsPerToken = true };
        var neutralisation = new Option<string>("--neutralisation") { Description = "neutralisation measures taken", DefaultValueFactory = _ => "" };
        var instruments = new Option<string>("--instruments") { Description = "instrument references (certificate serials, ledger ids)", DefaultValueFactory = _ => "" };
        var neutralised = new Option<double>("--neutralised-t") { Description = "tCO2e neutralised", DefaultValueFactory = _ => 0 };
        var benefit = new Option<string>("--social-benefit") { DefaultValueFactory = _ => "" };
        var addActivity = new Command("activity", "record a low-carbon activity (meeting, tree planting, training, public-benefit event) with its own activity data") { Db, Park, date, kind, title, participants, activity, neutralisation, instruments, neutralised, benefit, User };
        addActivity.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var park = pr.GetValue(Park)!;
            var lines = (pr.GetValue(activity) ?? []).Select(ParseLine).ToList();
            var d = OptDate(pr, date) ?? await store.SupplyChain.TodayAsync(park, ct);
            var id = await store.Governance.AddEventAsync(park, new EventDraft(d, pr.GetValue(kind)!, pr.GetValue(title)!, pr.GetValue(participants), lines,
                pr.GetValue(neutralisation)!, pr.GetValue(instruments)!, pr.GetValue(neutralised), pr.GetValue(benefit)!), pr.GetValue(User)!, ct);
            var e = (await store.Governance.EventsAsync(park, d, d, ct)).First(x => x.Id == id);
            Console.WriteLine($"activity #{id}: {e.EmissionsT.ToString("#,0.######", Inv)} tCO2e, neutralised {e.Draft.NeutralisedT.ToString(Inv)} t, net {e.NetT.ToString("#,0.######", Inv)} t");
            foreach (var u in e.Unresolved) Console.WriteLine("unresolved: " + u);
            return 0;
        }));
        var from = new Option<string?>("--from"); var to = new Option<string?>("--to");
        var activities = new Command("activities", "the rolling list of low-carbon activities (newest first) with emissions, neutralisation and social benefit") { Db, Park, from, to, Format };
        activities.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var rows = await store.Governance.EventsAsync(pr.GetValue(Park)!, OptDate(pr, from), OptDate(pr, to), ct);
            if (pr.GetValue(Format) == "json") { Output.WriteJson(rows); return 0; }
            Output.Write(pr.GetValue(Format)!, ["id", "date", "kind", "title", "participants", "emissions_t", "neutralised_t", "net_t", "neutralisation", "social_benefit"],
                rows.Select(e => new object?[] { e.Id, D(e.Draft.Date), e.Draft.Kind, e.Draft.Title, e.Draft.Participants, Math.Round(e.EmissionsT, 6), e.Draft.NeutralisedT, Math.Round(e.NetT, 6), e.Draft.Neutralisation, e.Draft.SocialBenefit }));
            return 0;
        }));
        var code = new Option<string>("--code") { Required = true };
        var uname = new Option<string>("--name") { Required = true };
        var parent = new Option<string?>("--parent");
        var unit = new Command("unit", "add or change a unit of the governance organisation (committee, department)") { Db, Park, code, uname, parent, User };
        unit.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            await store.Governance.SetUnitAsync(pr.GetValue(Park)!, new OrgUnit(pr.GetValue(code)!, pr.GetValue(uname)!, pr.GetValue(parent)), pr.GetValue(User)!, ct);
            Console.WriteLine("saved");
            return 0;
        }));
        var punit = new Option<string?>("--unit");
        var role = new Option<string>("--role") { DefaultValueFactory = _ => "" };
        var resp = new Option<string>("--responsibilities") { DefaultValueFactory = _ => "" };
        var kpis = new Option<string>("--kpis") { Description = "comma list: " + string.Join(", ", GovernanceStore.KpiCodes), DefaultValueFactory = _ => "" };
        var email = new Option<string?>("--email") { Description = "e-mail address: the alerts of the person's KPIs are sent to it (through the park's e-mail channel)" };
        var person = new Command("person", "add or change a person: unit, role, responsibilities, the carbon KPIs they are accountable for and their e-mail") { Db, Park, code, uname, punit, role, resp, kpis, email, User };
        person.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            await store.Governance.SetPersonAsync(pr.GetValue(Park)!, new Person(pr.GetValue(code)!, pr.GetValue(uname)!, pr.GetValue(punit), pr.GetValue(role)!, pr.GetValue(resp)!,
                pr.GetValue(kpis)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), false, pr.GetValue(email)), pr.GetValue(User)!, ct);
            Console.WriteLine("saved");
            return 0;
        }));
        var org = new Command("org", "the governance organisation: units and people with responsibilities and KPIs") { Db, Park, Format };
        org.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var park = pr.GetValue(Park)!;
            var units = await store.Governance.UnitsAsync(park, ct);
            var people = await store.Governance.PeopleAsync(park, ct);
            var targets = await store.Governance.AccountableTargetsAsync(park, ct);
            var counts = await store.Governance.AlertCountsAsync(park, ct);
            if (pr.GetValue(Format) == "json")
            {
                Output.WriteJson(new { units, people, targets, alerts = counts.ToDictionary(x => x.Key, x => new { open = x.Value.Open, acknowledged = x.Value.Acknowledged }) });
                return 0;
            }
            Output.Write(pr.GetValue(Format)!, ["unit", "parent", "person", "name", "role", "responsibilities", "kpis", "targets", "email", "open_alerts", "acknowledged_alerts"],
                people.Select(p => new object?[] { p.Unit, units.FirstOrDefault(u => u.Code == p.Unit)?.Parent, p.Code, p.Name, p.Role, p.Responsibilities, string.Join(",", p.Kpis),
                    string.Join("; ", targets.GetValueOrDefault(p.Code) ?? []), p.Email, counts.GetValueOrDefault(p.Code).Open, counts.GetValueOrDefault(p.Code).Acknowledged }));
            return 0;
        }));
        var pcode = new Option<string>("--person") { Required = true };
        var alerts = new Command("alerts", "a person's open and acknowledged alerts: those of the KPIs the person is accountable for, with counts") { Db, Park, pcode, Format };
        alerts.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var r = await store.Governance.PersonAlertsAsync(pr.GetValue(Park)!, pr.GetValue(pcode)!, ct);
            if (pr.GetValue(Format) == "json") { Output.WriteJson(r); return 0; }
            Console.WriteLine($"{r.Person.Code} {r.Person.Name}: kpis {string.Join(",", r.Person.Kpis)}; {r.Open} open, {r.Acknowledged} acknowledged");
            Output.Write(pr.GetValue(Format)!, ["id", "rule", "kpis", "subject", "period", "severity", "status", "raised_at", "message"],
                r.Alerts.Select(a => new object?[] { a.Id, a.Rule, string.Join(",", a.Kpis.Where(k => r.Person.Kpis.Contains(k))), a.Subject, a.Period, a.Severity, a.Status, a.RaisedAt, a.Message }));
            return 0;
        }));
        var token = new Command("token", "issue a person's personal carbon account link (no account needed; the previous link stops working)") { Db, Park, pcode, User };
        token.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var t = await store.Governance.IssueTokenAsync(pr.GetValue(Park)!, pr.GetValue(pcode)!, pr.GetValue(User)!, ct);
            Console.WriteLine($"personal carbon account link (shown once): /carbon-account/{t}");
            return 0;
        }));
        var akind = new Option<string>("--kind") { Required = true, Description = string.Join(" | ", ZeroPark.Governance.PersonalActions.Kinds.Select(k => k.Code)) };
        var quantity = new Option<double>("--quantity") { Required = true, Description = "km or sheets" };
        var report = new Command("report", "report a person's low-carbon action of a day (one of a kind per day)") { Db, Park, pcode, akind, quantity, date, Format };
        report.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var r = await store.Governance.ReportAsync(pr.GetValue(Park)!, pr.GetValue(pcode)!, OptDate(pr, date), pr.GetValue(akind)!, pr.GetValue(quantity), ct);
            if (pr.GetValue(Format) == "json") Output.WriteJson(r);
            else Console.WriteLine($"{r.Person} {D(r.Date)} {r.Kind} {r.Quantity.ToString(Inv)}: {r.KgAvoided.ToString("0.######", Inv)} kgCO2e avoided, {r.Points} points");
            return 0;
        }));
        var account = new Command("account", "a person's carbon account: points, reward, rank and recent reports") { Db, Park, pcode, Format };
        account.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var a = await store.Governance.AccountAsync(pr.GetValue(Park)!, pr.GetValue(pcode)!, ct);
            if (pr.GetValue(Format) == "json") { Output.WriteJson(a); return 0; }
            Console.WriteLine($"{a.Person.Name}: {a.Points} points, {a.KgAvoided.ToString("0.###", Inv)} kgCO2e avoided, reward {a.Reward ?? "—"}, rank {a.Rank?.ToString(Inv) ?? "—"}");
            foreach (var r in a.Recent) Console.WriteLine($"  {D(r.Date)} {r.Kind} {r.Quantity.ToString(Inv)} → {r.Points} points");
            return 0;
        }));
        var leaderboard = new Command("leaderboard", "the personal carbon accounts ranked by points") { Db, Park, from, to, Format };
        leaderboard.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var rows = await store.Governance.LeaderboardAsync(pr.GetValue(Park)!, OptDate(pr, from), OptDate(pr, to), ct);
            Output.Write(pr.GetValue(Format)!, ["rank", "person", "name", "points", "kg_avoided", "reward"], rows.Select(s => new object?[] { s.Rank, s.Person, s.Name, s.Points, Math.Round(s.KgAvoided, 4), s.Reward }));
            return 0;
        }));
        var bronze = new Option<int?>("--bronze"); var silver = new Option<int?>("--silver"); var gold = new Option<int?>("--gold");
        var rewards = new Command("rewards", "show or set the points at which rewards are reached") { Db, Park, bronze, silver, gold, User };
        rewards.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var park = pr.GetValue(Park)!;
            var r = await store.Governance.RewardsAsync(park, ct);
            if (pr.GetValue(bronze) is not null || pr.GetValue(silver) is not null || pr.GetValue(gold) is not null)
            {
                r = new ZeroPark.Governance.RewardThresholds(pr.GetValue(bronze) ?? r.Bronze, pr.GetValue(silver) ?? r.Silver, pr.GetValue(gold) ?? r.Gold);
                await store.Governance.SetRewardsAsync(park, r, pr.GetValue(User)!, ct);
            }
            Console.WriteLine($"bronze {r.Bronze}, silver {r.Silver}, gold {r.Gold} points");
            return 0;
        }));
        return new Command("governance", "green governance: low-carbon activities, organisation and personal carbon accounts (绿色治理)")
            { addActivity, activities, unit, person, org, alerts, token, report, account, leaderboard, rewards };
    }

    private static EventLine ParseLine(string s)
    {
        var p = s.Split(':');
        if (p.Length is < 4 or > 5 || !double.TryParse(p[2], NumberStyles.Float, Inv, out var amount))
            throw new ValidationException("activity", $"'{s}' is not source:material:amount:unit[:supplier]");
        return new EventLine(p[0].Trim(), p[1].Trim(), amount, p[3].Trim(), p.Length == 5 ? p[4].Trim() : null);
    }
}
