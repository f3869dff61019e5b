using Microsoft.Extensions.DependencyInjection;
using System.CommandLine;
using System.Globalization;
using ZeroPark.Application;
using ZeroPark.Application.Export;
using ZeroPark.Application.Neutrality;
using ZeroPark.Carbon;
using ZeroPark.Neutrality;
using ParseResult = System.CommandLine.ParseResult;

namespace ZeroPark.Cli.NeutralityCli;

/// <summary>
/// Carbon neutrality on the command line: <c>zeropark offsets import|list|add|allocate|retire|release|export|evidence|prices|value|profile</c>
/// (the instruments ledger), <c>zeropark neutrality</c> (rate and T/CA305 offset ratio of a period), <c>zeropark targets add|list|delete|progress|mix</c>,
/// <c>zeropark matching</c> (24×7) and <c>zeropark measures add|list|report</c>. Errors: one line on standard error, exit code 2.
/// </summary>
internal static partial class NeutralityCommands
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly Option<string> Db = new("--db") { Description = "SQLite file path or PostgreSQL connection string (Host=…;Database=…)", Required = true };
    private static readonly Option<string> Park = new("--park") { Description = "park code", Required = true };
    private static readonly Option<string> User = new("--user") { Description = "who does this (recorded in the audit log)", DefaultValueFactory = _ => Environment.UserName };
    private static readonly Option<string?> OutputFile = new("--output") { Description = "file to write (xlsx, csv export, evidence download)" };

    private static Option<string> FormatOption() => new("--format") { Description = "table | json | csv | xlsx (xlsx needs --output)", DefaultValueFactory = _ => "table" };

    public static IEnumerable<Command> Create() => [Offsets(), Neutrality(), Targets(), Matching(), Measures()];

    private static Task<int> WithStore(ParseResult pr, Func<ZeroParkStore, Task<int>> body) => CliApp.WithStore(pr, body, Db);
    private static Task<int> WithStore(ParseResult pr, Func<ZeroParkStore, IServiceProvider, Task<int>> body) => CliApp.WithStore(pr, body, Db);

    // ------------------------------------------------------------------ offsets (the ledger)

    private static Command Offsets()
    {
        var file = new Argument<FileInfo>("file") { Description = "CSV or XLSX: kind,quantity,unit,serial_from,serial_to,vintage,claim_from,claim_to[,…] (docs/neutrality.md)" };
        var importFormat = new Option<string>("--format") { Description = "table | json", DefaultValueFactory = _ => "table" };
        var import = new Command("import", "import instruments into the ledger (gec, green_power, ccer, cer, sink, ccus, rooftop_pv, voucher, allowance); a row with claim dates " +
                                           "is retired against that period; every refused row is printed with its line and reason, the others are kept") { Db, Park, file, importFormat, User };
        import.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var f = pr.GetValue(file)!;
            if (!f.Exists) throw new FileNotFoundException($"file '{f.FullName}' not found");
            IReadOnlyList<LedgerRow> rows;
            IReadOnlyList<ZeroPark.Metering.RowError> errors;
            await using (var s = f.OpenRead()) (rows, errors) = LedgerCsv.Parse(s);
            var r = await store.Neutrality.ImportAsync(pr.GetValue(Park)!, rows, errors, pr.GetValue(User)!, ct);
            if (pr.GetValue(importFormat) == "json")
                Output.WriteJson(new { accepted = r.Accepted, ids = r.Ids, rejected = r.Rejected.Select(e => new { line = e.Line, reason = e.Reason }) });
            else
            {
                Console.WriteLine($"accepted {r.Accepted}, rejected {r.Rejected.Count}");
                foreach (var e in r.Rejected) Console.WriteLine($"line {e.Line}: {e.Reason}");
            }
            return r.Accepted == 0 && r.Rejected.Count > 0 ? 2 : 0;
        }));

        var listFormat = FormatOption();
        var kindFilter = new Option<string?>("--kind") { Description = "only this kind" };
        var list = new Command("list", "the ledger: instruments with state (purchased, allocated, retired), claims and evidence") { Db, Park, kindFilter, listFormat, OutputFile };
        list.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var ledger = (await store.Neutrality.InstrumentsAsync(pr.GetValue(Park)!, null, ct)).Where(i => pr.GetValue(kindFilter) is not { Length: > 0 } k || i.Kind == k).ToList();
            // The table is the short view (the full columns: --format csv|xlsx or offsets export).
            if (CheckFormat(pr, listFormat) == "table")
            {
                Output.Write("table", ["id", "kind", "quantity", "unit", "serials", "state", "retired", "free", "claims", "reference"],
                    ledger.Select(i => new object?[]
                    {
                        i.Id, i.Kind, i.Quantity, i.Unit, i.SerialFrom.Length == 0 ? "" : i.SerialTo.Length > 0 && i.SerialTo != i.SerialFrom ? i.SerialFrom + "…" + i.SerialTo : i.SerialFrom,
                        i.State, i.RetiredQuantity, i.FreeQuantity, string.Join("; ", i.Claims.Select(c => $"#{c.Id} {c.Target} {c.From:yyyy-MM-dd}…{c.To:yyyy-MM-dd} {c.State}")), i.Reference,
                    }));
                return 0;
            }
            return Emit(pr, listFormat, ledger, [LedgerCsv.Sheet(ledger), ClaimsSheet(ledger)], []);
        }));

        var export = new Command("export", "write the ledger to --output as CSV (default) or XLSX (by the file's extension)") { Db, Park, OutputFile };
        export.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var path = pr.GetValue(OutputFile) ?? throw new ValidationException("output", "--output FILE is required");
            var ledger = await store.Neutrality.InstrumentsAsync(pr.GetValue(Park)!, null, ct);
            if (path.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase)) XlsxWriter.WriteFile(path, LedgerCsv.Sheet(ledger), ClaimsSheet(ledger));
            else await File.WriteAllTextAsync(path, LedgerCsv.Write(ledger), new System.Text.UTF8Encoding(true), ct);
            Console.WriteLine($"wrote {ledger.Count} instrument(s) to {path}");
            return 0;
        }));

        // add: one instrument by options
        var kind = new Option<string>("--kind") { Description = OffsetKinds.Expected, Required = true };
        var quantity = new Option<string>("--quantity") { Description = "MWh (gec, green_power, rooftop_pv, supplier_rate) or tCO2e", Required = true };
        var unit = new Option<string?>("--unit") { Description = "MWh, kWh, certificates (gec) or tCO2e" };
        var serialFrom = new Option<string?>("--serial-from");
        var serialTo = new Option<string?>("--serial-to");
        var bundledFrom = new Option<string?>("--bundled-from") { Description = "green_power: first bundled GEC serial" };
        var bundledTo = new Option<string?>("--bundled-to");
        var vintage = new Option<string?>("--vintage");
        var expires = new Option<string?>("--expires") { Description = "YYYY-MM-DD (GECs: 2 years after production)" };
        var price = new Option<string?>("--price") { Description = "price paid per MWh or tCO2e (CNY)" };
        var project = new Option<string?>("--project");
        var counterparty = new Option<string?>("--counterparty");
        var reference = new Option<string?>("--reference") { Description = "contract or certificate number" };
        var profile = new Option<string?>("--profile") { Description = "green_power without hourly profile: flat (default) | daytime" };
        var claimFrom = new Option<string?>("--claim-from") { Description = "retire against this period: first day" };
        var claimTo = new Option<string?>("--claim-to");
        var target = new Option<string?>("--target") { Description = "park (default), a building code or tenant:NAME" };
        var use = new Option<string?>("--use") { Description = "scope2_offset (GEC/green power default) | scope2 | offset" };
        var note = new Option<string?>("--note");
        var add = new Command("add", "record one instrument (purchased; with --claim-from/--claim-to retired against that period)")
            { Db, Park, kind, quantity, unit, serialFrom, serialTo, bundledFrom, bundledTo, vintage, expires, price, project, counterparty, reference, profile, claimFrom, claimTo, target, use, note, User };
        add.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var k = OffsetKinds.TryParse(pr.GetValue(kind)) ?? throw new ValidationException("kind", $"'{pr.GetValue(kind)}' is unknown (expected {OffsetKinds.Expected})");
            var (q, err) = OffsetKinds.ToLedgerUnit(k, Number(pr.GetValue(quantity), "quantity")!.Value, pr.GetValue(unit));
            if (err is not null) throw new ValidationException("unit", err);
            var cf = OptionalDate(pr.GetValue(claimFrom), "claim-from");
            var ctd = OptionalDate(pr.GetValue(claimTo), "claim-to");
            if ((cf is null) != (ctd is null)) throw new ValidationException("claim-to", "give both --claim-from and --claim-to");
            var i = await store.Neutrality.AddInstrumentAsync(pr.GetValue(Park)!, new LedgerDraft
            {
                Kind = k, Quantity = q!.Value, SerialFrom = pr.GetValue(serialFrom), SerialTo = pr.GetValue(serialTo), BundledFrom = pr.GetValue(bundledFrom), BundledTo = pr.GetValue(bundledTo),
                Vintage = Int(pr.GetValue(vintage), "vintage"), Expires = OptionalDate(pr.GetValue(expires), "expires"), UnitPriceCny = Number(pr.GetValue(price), "price"),
                Project = pr.GetValue(project) ?? "", Counterparty = pr.GetValue(counterparty) ?? "", Reference = pr.GetValue(reference) ?? "", Profile = pr.GetValue(profile) ?? "flat",
                Note = pr.GetValue(note) ?? "", Claim = cf is { } a && ctd is { } b ? new ClaimDraft(pr.GetValue(target), a, b, null, pr.GetValue(use)) : null,
            }, pr.GetValue(User)!, ct);
            Console.WriteLine($"{i.Label}: {Output.Format(i.Quantity)} {i.Unit}, {i.State}");
            return 0;
        }));

        var id = new Option<long>("--id") { Description = "instrument id", Required = true };
        var from = new Option<string>("--from") { Description = "first day of the claim's period", Required = true };
        var to = new Option<string>("--to") { Description = "last day of the claim's period", Required = true };
        var claimQty = new Option<string?>("--quantity") { Description = "how much (default: all that is left), in the instrument's unit" };
        var retireNow = new Option<bool>("--retire") { Description = "retire at once (otherwise allocated)" };
        var allocate = new Command("allocate", "allocate (or with --retire retire) part or all of an instrument to the park, a building or a tenant for a period")
            { Db, Park, id, target, from, to, claimQty, use, retireNow, User };
        allocate.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var c = await store.Neutrality.ClaimAsync(pr.GetValue(Park)!, pr.GetValue(id), new ClaimDraft(pr.GetValue(target), CliApp.Date(pr, from), CliApp.Date(pr, to),
                Number(pr.GetValue(claimQty), "quantity"), pr.GetValue(use), pr.GetValue(retireNow)), pr.GetValue(User)!, ct);
            Console.WriteLine($"claim #{c.Id}: {Output.Format(c.Quantity)} → {c.Target} {c.From:yyyy-MM-dd}…{c.To:yyyy-MM-dd} ({c.Use}), {c.State}");
            return 0;
        }));

        var claimId = new Option<long>("--claim") { Description = "claim id", Required = true };
        var retire = new Command("retire", "retire an allocated claim (final; an expired certificate is refused)") { Db, Park, claimId, User };
        retire.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var c = await store.Neutrality.RetireAsync(pr.GetValue(Park)!, pr.GetValue(claimId), pr.GetValue(User)!, ct);
            Console.WriteLine($"claim #{c.Id}: retired {Output.Format(c.Quantity)} → {c.Target} {c.From:yyyy-MM-dd}…{c.To:yyyy-MM-dd}");
            return 0;
        }));
        var release = new Command("release", "release an allocated (not retired) claim back to the holding") { Db, Park, claimId, User };
        release.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            await store.Neutrality.ReleaseAsync(pr.GetValue(Park)!, pr.GetValue(claimId), pr.GetValue(User)!, ct);
            Console.WriteLine($"claim #{pr.GetValue(claimId)} released");
            return 0;
        }));

        return new Command("offsets", "the instruments ledger: GECs, green power, CCER/CER, sinks, CCUS, rooftop PV, vouchers, allowances; purchased → allocated → retired")
        {
            import, list, add, allocate, retire, release, export, Evidence(), Prices(), Value(), Profile(),
        };
    }

    private static XlsxSheet ClaimsSheet(IReadOnlyList<LedgerInstrument> ledger) => new("claims",
        ["claim", "instrument", "kind", "target", "from", "to", "quantity", "unit", "state", "use", "created_by", "created_at", "retired_by", "retired_at"],
        ledger.SelectMany(i => i.Claims.Select(c => new object?[]
        {
            c.Id, i.Id, i.Kind, c.Target, c.From.ToString("yyyy-MM-dd", Inv), c.To.ToString("yyyy-MM-dd", Inv), c.Quantity, i.Unit, c.State, c.Use, c.CreatedBy, c.CreatedAt, c.RetiredBy, c.RetiredAt,
        })).ToList());

    private static Command Evidence()
    {
        var id = new Option<long>("--id") { Description = "instrument id", Required = true };
        var file = new Argument<FileInfo>("file") { Description = "the evidence file (contract, certificate, retirement statement)" };
        var add = new Command("add", "store an evidence file for an instrument (audited with its SHA-256)") { Db, Park, id, file, User };
        add.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var f = pr.GetValue(file)!;
            if (!f.Exists) throw new FileNotFoundException($"file '{f.FullName}' not found");
            var e = await store.Neutrality.AddEvidenceAsync(pr.GetValue(Park)!, pr.GetValue(id), f.Name, ContentType(f.Name), await File.ReadAllBytesAsync(f.FullName, ct), pr.GetValue(User)!, ct);
            Console.WriteLine($"evidence #{e.Id}: {e.FileName} ({e.Size} bytes, sha256 {e.Sha256})");
            return 0;
        }));
        var evidenceId = new Option<long>("--evidence") { Description = "evidence id", Required = true };
        var get = new Command("get", "download an evidence file to --output") { Db, Park, evidenceId, OutputFile };
        get.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var (info, content) = await store.Neutrality.EvidenceAsync(pr.GetValue(Park)!, pr.GetValue(evidenceId), ct);
            var path = pr.GetValue(OutputFile) ?? info.FileName;
            await File.WriteAllBytesAsync(path, content, ct);
            Console.WriteLine($"wrote {info.FileName} ({content.Length} bytes) to {path}");
            return 0;
        }));
        return new Command("evidence", "evidence files of instruments") { add, get };
    }

    internal static string ContentType(string name) => Path.GetExtension(name).ToLowerInvariant() switch
    {
        ".pdf" => "application/pdf",
        ".png" => "image/png",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".csv" => "text/csv",
        ".txt" => "text/plain",
        ".xlsx" => XlsxWriter.ContentType,
        _ => "application/octet-stream",
    };

    private static Command Prices()
    {
        var file = new Argument<FileInfo>("file") { Description = "CSV or XLSX: kind,date,price_cny[,available,source] (CNY per MWh or per tCO2e)" };
        var import = new Command("import", "import a market price list (no internet: the list is what you import)") { Db, Park, file, User };
        import.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var f = pr.GetValue(file)!;
            if (!f.Exists) throw new FileNotFoundException($"file '{f.FullName}' not found");
            await using var s = f.OpenRead();
            var (rows, errors) = LedgerCsv.ParsePrices(s);
            var r = await store.Neutrality.ImportPricesAsync(pr.GetValue(Park)!, rows, errors, pr.GetValue(User)!, ct);
            Console.WriteLine($"accepted {r.Accepted}, rejected {r.Rejected.Count}");
            foreach (var e in r.Rejected) Console.WriteLine($"line {e.Line}: {e.Reason}");
            return 0;
        }));
        var format = FormatOption();
        var list = new Command("list", "imported prices") { Db, Park, format, OutputFile };
        list.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var p = await store.Neutrality.PricesAsync(pr.GetValue(Park)!, ct);
            return Emit(pr, format, p, [new XlsxSheet("prices", ["id", "kind", "date", "price_cny", "unit", "available", "source"],
                p.Select(x => new object?[] { x.Id, x.Kind, x.Date.ToString("yyyy-MM-dd", Inv), x.UnitPriceCny, x.Unit, x.Available, x.Source }).ToList())], []);
        }));
        return new Command("prices", "market price lists per instrument kind") { import, list };
    }

    private static Command Value()
    {
        var asOf = new Option<string?>("--as-of") { Description = "price date, YYYY-MM-DD (default today)" };
        var format = FormatOption();
        var cmd = new Command("value", "value of the holdings (bought, not retired) at the latest imported prices, beside what was paid") { Db, Park, asOf, format, OutputFile };
        cmd.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var reg = await store.Registry.GetRegistryAsync(pr.GetValue(Park)!, ct);
            var v = await store.Neutrality.HoldingsAsync(pr.GetValue(Park)!, OptionalDate(pr.GetValue(asOf), "as-of") ?? store.Neutrality.LocalToday(reg.Park), ct);
            return Emit(pr, format, v, [new XlsxSheet("holdings", ["kind", "held", "unit", "price_cny", "price_date", "value_cny", "book_value_cny"],
                v.Lines.Select(l => new object?[] { l.Kind, l.HeldQuantity, l.Unit, l.UnitPriceCny, l.PriceDate?.ToString("yyyy-MM-dd", Inv), l.ValueCny, l.BookValueCny }).ToList())],
                [$"value {Output.Format(v.ValueCny)} CNY at prices of {v.AsOf:yyyy-MM-dd}; paid {Output.Format(v.BookValueCny)} CNY", .. v.Notes]);
        }));
        return cmd;
    }

    private static Command Profile()
    {
        var id = new Option<long>("--id") { Description = "green power trade (instrument id)", Required = true };
        var file = new Argument<FileInfo>("file") { Description = "CSV: hour,kwh (hour = ISO 8601 start of the hour with offset, e.g. 2025-07-01T10:00:00+08:00)" };
        var cmd = new Command("profile", "set the hourly delivery profile of a green power trade (for 24×7 matching)") { Db, Park, id, file, User };
        cmd.SetAction((pr, ct) => WithStore(pr, async store =>
        {
            var f = pr.GetValue(file)!;
            if (!f.Exists) throw new FileNotFoundException($"file '{f.FullName}' not found");
            var hours = new List<(DateTimeOffset, double)>();
            var line = 0;
            foreach (var l in await File.ReadAllLinesAsync(f.FullName, ct))
            {
                line++;
                if (line == 1 || l.Trim().Length == 0) continue;
                var parts = l.Split(',');
                if (parts.Length < 2 || !DateTimeOffset.TryParse(parts[0].Trim(), Inv, DateTimeStyles.None, out var h) || !double.TryParse(parts[1].Trim(), NumberStyles.Float, Inv, out var k))
                    throw new ValidationException("file", $"line {line}: expected hour,kwh (ISO 8601 with offset, number)");
                hours.Add((h, k));
            }
            var n = await store.Neutrality.SetProfileAsync(pr.GetValue(Park)!, pr.GetValue(id), hours, pr.GetValue(User)!, ct);
            Console.WriteLine($"profile: {n} hours");
            return 0;
        }));
        return cmd;
    }

    // ------------------------------------------------------------------ neutrality (the contract command)

    private static Command Neutrality()
    {
        var from = new Option<string>("--from") { Description = "first local date, YYYY-MM-DD", Required = true };
        var to = new Option<string>("--to") { Description = "last local date (inclusive), YYYY-MM-DD", Required = true };
        var method = new Option<string>("--method") { Description = "ghgp | iso14064 | cn-guideline", DefaultValueFactory = _ => "ghgp" };
        var gwp = new Option<string>("--gwp") { Description = "SAR | AR4 | AR5 | AR6", DefaultValueFactory = _ => "AR6" };
        var format = new Option<string>("--format") { Description = "table | json", DefaultValueFactory = _ => "table" };
        var cmd = new Command("neutrality", "neutrality rate (neutralised ÷ C_yw) with the breakdown by instrument, and the T/CA305 附表F offset ratio S_DC, score and scope-1 rule")
            { Db, Park, from, to, method, gwp, format };
        cmd.SetAction((pr, ct) => WithStore(pr, async (store, services) =>
        {
            var r = await services.GetRequiredService<NeutralityService>().ComputeAsync(pr.GetValue(Park)!, CliApp.Date(pr, from), CliApp.Date(pr, to),
                AccountingMethods.Parse(pr.GetValue(method)!), Gases.ParseSet(pr.GetValue(gwp)!), ct);
            if (pr.GetValue(format) == "json")
            {
                Output.WriteJson(r);
                return 0;
            }
            Output.Write("table", ["kind", "quantity", "unit", "tCO2e", "coefficient", "weighted_t", "counted_t", "scope1"],
                r.ByKind.Select(l => new object?[] { l.Code, l.Quantity, l.Unit, l.Tonnes, l.Coefficient, l.WeightedT, l.CountedWeightedT, l.NeutralisesScope1 ? "yes" : "no" }));
            Console.WriteLine($"{r.Park} {r.From:yyyy-MM-dd}…{r.To:yyyy-MM-dd}: emissions (C_yw) {Output.Format(r.EmissionsT)} t (scope 1 {Output.Format(r.Scope1T)} t), " +
                              $"neutralised {Output.Format(r.NeutralisedT)} t, neutrality rate {Pct(r.NeutralityRate)}");
            Console.WriteLine($"T/CA305: weighted {Output.Format(r.Tca305WeightedT)} t, S_DC {Pct(r.Tca305OffsetRatio)}, score {Output.Format(r.Tca305OffsetScore)} / 40, " +
                              $"admission (>20 %) {(r.Tca305Admission is { } a ? a ? "met" : "not met" : "n/a")}, scope 1 uncovered {Output.Format(r.Scope1UncoveredT)} t");
            if (r.Flags.Count > 0) Console.WriteLine("flags: " + string.Join(", ", r.Flags));
            foreach (var n in r.Notes) Console.WriteLine(n);
            return 0;
        }));
        return cmd;
    }

    internal static string Pct(double? v) => v is { } x ? (x * 100).ToString("0.##", Inv) + " %" : "n/a";

    // ------------------------------------------------------------------ helpers

    private static string CheckFormat(ParseResult pr, Option<string> format) => SheetOutput.Format(pr.GetValue(format), pr.GetValue(OutputFile));

    /// <summary>Prints or writes the result in the chosen format (<see cref="SheetOutput.Emit"/>).</summary>
    private static int Emit(ParseResult pr, Option<string> formatOption, object json, XlsxSheet[] sheets, IReadOnlyList<string> notes) =>
        SheetOutput.Emit(pr.GetValue(formatOption), pr.GetValue(OutputFile), json, sheets, notes);

    private static int? Int(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        return int.TryParse(value.Trim(), NumberStyles.Integer, Inv, out var n) ? n : throw new ValidationException(field, $"'{value}' is not an integer");
    }

    private static double? Number(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        return double.TryParse(value.Trim(), NumberStyles.Float, Inv, out var n) && double.IsFinite(n) ? n : throw new ValidationException(field, $"'{value}' is not a number");
    }

    private static DateOnly? OptionalDate(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        return DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", Inv, DateTimeStyles.None, out var d) ? d : throw new ValidationException(field, $"'{value}' is not a date (YYYY-MM-DD)");
    }
}
