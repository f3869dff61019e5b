using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using ZeroPark.Application;
using ZeroPark.Application.Evaluations;
using ZeroPark.Application.Export;
using ParseResult = System.CommandLine.ParseResult;

namespace ZeroPark.Cli.Evaluations;

/// <summary><c>zeropark evaluate tca305|bfia043|gcp|save|history|evidence|export</c>: the evaluations of issue 16. The JSON of
/// <c>evaluate tca305</c> and <c>evaluate bfia043</c> is the contract the team's checks use (pue, pue_limit, pue_score,
/// constraints[{name, passed}], offset_ratio, offset_score, total, grade; r, ratio_score, total, star).</summary>
internal static class EvaluationCommands
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly Option<string> Park = new("--park") { Description = "park code", Required = true };
    private static readonly Option<int> Year = new("--year") { Description = "calendar year evaluated (local 1 January … 31 December)", Required = true };
    private static readonly Option<string> Format = new("--format") { Description = "table | json", DefaultValueFactory = _ => "table" };
    private static readonly Option<FileInfo?> Inputs = new("--inputs") { Description = "evaluator inputs (JSON: {\"items\": {code: {score | checked | declared, note}}, \"declared_offset_ratio\", \"weights\", \"compute_capacity_tflops\"}); default: the saved inputs" };
    private static readonly Option<string> Standard = new("--standard") { Description = "tca305 | bfia043 | gcp", Required = true };
    private static readonly Option<string> User = new("--user") { Description = "who does this (recorded in the audit log)", DefaultValueFactory = _ => Environment.UserName };

    public static Command Create()
    {
        var cmd = new Command("evaluate", "evaluations: T/CA305-2023 zero-carbon grade, T/BFIA 043-2024 green stars, green computing indicators (docs/evaluations.md)");
        cmd.Subcommands.Add(Evaluate("tca305", "T/CA305-2023 zero-carbon data center grade of a year (constraints, offsets 40, technology and management 60)"));
        cmd.Subcommands.Add(Evaluate("bfia043", "T/BFIA 043-2024 financial data center green stars of a year (110 points with the additional items)"));
        cmd.Subcommands.Add(Evaluate("gcp", "green computing power indicators of a year (ZeroPark's default weights), GB 40879 grade, national green threshold, EU 2024/1364 KPIs"));
        cmd.Subcommands.Add(Save());
        cmd.Subcommands.Add(History());
        cmd.Subcommands.Add(Evidence());
        cmd.Subcommands.Add(Export());
        return cmd;
    }

    private static async Task<EvaluationInputs?> ReadInputsAsync(ParseResult pr, CancellationToken ct)
    {
        if (pr.GetValue(Inputs) is not { } f) return null;
        if (!f.Exists) throw new ValidationException("inputs", $"file '{f.FullName}' not found");
        return EvaluationStore.ParseInputs(await File.ReadAllTextAsync(f.FullName, ct));
    }

    private static async Task<object> ComputeAsync(EvaluationService s, string standard, string park, int year, EvaluationInputs? inputs, CancellationToken ct) => standard switch
    {
        "tca305" => await s.Tca305Async(park, year, inputs, ct),
        "bfia043" => await s.Bfia043Async(park, year, inputs, ct),
        _ => await s.GreenComputingAsync(park, year, inputs, ct),
    };

    private static Command Evaluate(string standard, string description)
    {
        var cmd = new Command(standard, description) { CliApp.Db, Park, Year, Format, Inputs };
        cmd.SetAction((pr, ct) => CliApp.WithStore(pr, async (store, sp) =>
        {
            var view = await ComputeAsync(sp.GetRequiredService<EvaluationService>(), standard, pr.GetValue(Park)!, pr.GetValue(Year), await ReadInputsAsync(pr, ct), ct);
            Print(pr.GetValue(Format)!, view);
            return 0;
        }));
        return cmd;
    }

    private static void Print(string format, object view)
    {
        if (format == "json") { Output.WriteJson(view); return; }
        if (format != "table") throw new ValidationException("format", $"'{format}' is not table or json");
        switch (view)
        {
            case Tca305View t:
                Console.WriteLine($"{t.Standard} · {t.Park} · {t.Year} · {t.ClimateZone} · {t.Age}{(t.AgeAssumed ? " (assumed)" : "")}");
                Console.WriteLine($"PUE {D(t.Pue)} (limit {D(t.PueLimit)}) → {D(t.PueScore)} / 20 · WUE {D(t.Wue)} (limit {D(t.WueLimit)}) · IT load {D(t.ItLoadRate)}");
                Output.Write("table", ["constraint", "clause", "passed", "status", "value", "detail"], t.Constraints.Select(c => new object?[] { c.Name, c.Clause, c.Passed, c.Status, c.Value, c.Detail }));
                Output.Write("table", ["item", "group", "max", "score", "source", "detail"], t.Items.Select(i => new object?[] { i.Code, i.Group, i.Max, i.Score, i.Source, i.Detail }));
                Console.WriteLine($"offset ratio {D(t.OffsetRatio)} ({t.OffsetSource ?? "none"}) → {D(t.OffsetScore)} / 40 · technology {D(t.TechnologyScore)} / 60");
                Console.WriteLine($"total {D(t.Total)} · grade {t.Grade}");
                foreach (var w in t.WhatIf) Console.WriteLine($"what-if: {w.Text}");
                foreach (var n in t.Notes) Console.WriteLine($"note: {n}");
                break;
            case Bfia043View b:
                Console.WriteLine($"{b.Standard} · {b.Park} · {b.Year} · R {D(b.R)} → {D(b.RatioScore)} / 25");
                Output.Write("table", ["item", "clause", "group", "max", "score", "source", "detail"], b.Items.Select(i => new object?[] { i.Code, i.Clause, i.Group, i.Max, i.Score, i.Source, i.Detail }));
                Console.WriteLine($"total {D(b.Total)} / 110 · {b.Star}");
                foreach (var c in b.Choices) Console.WriteLine($"choice: {c.TextEn}");
                foreach (var w in b.WhatIf) Console.WriteLine($"what-if: {w.Text}");
                break;
            case GreenComputingView g:
                Output.Write("table", ["indicator", "value", "unit", "score", "weight", "note"], g.Indicators.Select(i => new object?[] { i.Code, i.Value, i.Unit, i.Score, i.Weight, i.Note }));
                Console.WriteLine($"index {D(g.Index)} (weights: {g.WeightsSource}) · GB 40879 grade {g.Gb40879Grade ?? "—"} · national green PUE ≤ 1.30: {g.NationalGreenPue?.ToString() ?? "—"}");
                break;
        }
    }

    private static string D(decimal? v) => v?.ToString("0.####", Inv) ?? "—";

    private static Command Save()
    {
        var evaluator = new Option<string>("--evaluator") { Description = "the evaluator's name", Required = true };
        var inputs = new Option<FileInfo>("--inputs") { Description = "evaluator inputs (JSON, see `evaluate tca305 --help`)", Required = true };
        var cmd = new Command("save", "compute an evaluation with the given inputs and save inputs and result for the year (audited)") { CliApp.Db, Park, Standard, Year, inputs, evaluator, User, Format };
        cmd.SetAction((pr, ct) => CliApp.WithStore(pr, async (store, sp) =>
        {
            var f = pr.GetValue(inputs)!;
            if (!f.Exists) throw new ValidationException("inputs", $"file '{f.FullName}' not found");
            var standard = EvaluationStore.CheckStandard(pr.GetValue(Standard));
            var view = await sp.GetRequiredService<EvaluationService>().SaveAsync(pr.GetValue(Park)!, standard, pr.GetValue(Year),
                EvaluationStore.ParseInputs(await File.ReadAllTextAsync(f.FullName, ct)), pr.GetValue(evaluator)!, pr.GetValue(User)!, ct);
            Print(pr.GetValue(Format)!, view);
            return 0;
        }));
        return cmd;
    }

    private static Command History()
    {
        var fmt = new Option<string>("--format") { Description = "table | json | csv", DefaultValueFactory = _ => "table" };
        var cmd = new Command("history", "the saved years of a standard, compared year over year") { CliApp.Db, Park, Standard, fmt };
        cmd.SetAction((pr, ct) => CliApp.WithStore(pr, async (store, sp) =>
        {
            var rows = await sp.GetRequiredService<EvaluationService>().HistoryAsync(pr.GetValue(Park)!, pr.GetValue(Standard)!, ct);
            var sheet = EvaluationTables.History(rows)[0];
            Output.Write(pr.GetValue(fmt)!, sheet.Columns, sheet.Rows, rows);
            return 0;
        }));
        return cmd;
    }

    private static Command Evidence()
    {
        var item = new Option<string>("--item") { Description = "item or requirement code (e.g. refrigerant, boundary, offset_ratio)", Required = true };
        var file = new Option<FileInfo>("--file") { Description = "the evidence file (≤ 20 MiB)", Required = true };
        var add = new Command("add", "attach an evidence file to an item of the year's evaluation (audited with its SHA-256)") { CliApp.Db, Park, Standard, Year, item, file, User };
        add.SetAction((pr, ct) => CliApp.WithStore(pr, async store =>
        {
            var f = pr.GetValue(file)!;
            if (!f.Exists) throw new ValidationException("file", $"file '{f.FullName}' not found");
            if (f.Length > EvaluationStore.MaxEvidenceBytes) throw new ValidationException("file", $"'{f.Name}' is {f.Length} bytes, more than 20 MiB");
            var e = await store.Evaluations.AddEvidenceAsync(pr.GetValue(Park)!, pr.GetValue(Standard)!, pr.GetValue(Year), pr.GetValue(item)!, f.Name, null,
                await File.ReadAllBytesAsync(f.FullName, ct), pr.GetValue(User)!, ct);
            Console.WriteLine($"evidence {e.Id} {e.FileName} ({e.Size} bytes, sha256 {e.Sha256}) attached to {e.Item}");
            return 0;
        }));
        var fmt = new Option<string>("--format") { Description = "table | json | csv", DefaultValueFactory = _ => "table" };
        var list = new Command("list", "evidence files of the year's evaluation") { CliApp.Db, Park, Standard, Year, fmt };
        list.SetAction((pr, ct) => CliApp.WithStore(pr, async store =>
        {
            var files = await store.Evaluations.ListEvidenceAsync(pr.GetValue(Park)!, pr.GetValue(Standard)!, pr.GetValue(Year), ct);
            Output.Write(pr.GetValue(fmt)!, ["id", "item", "file_name", "size", "sha256", "uploaded_at", "uploaded_by"],
                files.Select(f => new object?[] { f.Id, f.Item, f.FileName, f.Size, f.Sha256, f.UploadedAt, f.UploadedBy }), files);
            return 0;
        }));
        return new Command("evidence", "evidence files of evaluations") { add, list };
    }

    private static Command Export()
    {
        var output = new Option<FileInfo>("--output") { Description = "XLSX file to write", Required = true };
        var cmd = new Command("export", "write a year's evaluation as XLSX (T/CA305: the self-evaluation report's sections; gcp: with the EU 2024/1364 KPIs)")
            { CliApp.Db, Park, Standard, Year, output };
        cmd.SetAction((pr, ct) => CliApp.WithStore(pr, async (store, sp) =>
        {
            var s = sp.GetRequiredService<EvaluationService>();
            var park = pr.GetValue(Park)!;
            var year = pr.GetValue(Year);
            XlsxSheet[] sheets = EvaluationStore.CheckStandard(pr.GetValue(Standard)) switch
            {
                "tca305" => await Tca305SheetsAsync(s, park, year, ct),
                "bfia043" => EvaluationTables.Bfia043(await s.Bfia043Async(park, year, null, ct)),
                _ => EvaluationTables.GreenComputing(await s.GreenComputingAsync(park, year, null, ct)),
            };
            var path = pr.GetValue(output)!.FullName;
            XlsxWriter.WriteFile(path, sheets);
            Console.WriteLine($"wrote {path}");
            return 0;
        }));
        return cmd;
    }

    private static async Task<XlsxSheet[]> Tca305SheetsAsync(EvaluationService s, string park, int year, CancellationToken ct)
    {
        var (view, facts) = await s.Tca305ReportAsync(park, year, ct);
        return EvaluationTables.Tca305(view, facts);
    }
}
