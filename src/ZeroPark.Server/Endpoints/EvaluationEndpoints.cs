using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ZeroPark.Application;
using ZeroPark.Application.Evaluations;
using ZeroPark.Application.Export;

namespace ZeroPark.Server.Endpoints;

/// <summary>Body of <c>PUT /api/parks/{park}/evaluations/{standard}/{year}</c>: the evaluator and the inputs to save.</summary>
public sealed record SaveEvaluationRequest(string? Evaluator, EvaluationInputs? Inputs);

/// <summary>The evaluations of issue 16 (T/CA305-2023, T/BFIA 043-2024, green computing power), the same JSON as
/// <c>zeropark evaluate tca305|bfia043|gcp --format json</c>; <c>format=xlsx</c> gives the workbook (T/CA305: the
/// self-evaluation report's sections; gcp: with the EU 2024/1364 KPIs).</summary>
internal static class EvaluationEndpoints
{
    private const string Standards = "standard = tca305 | bfia043 | gcp; year = YYYY (local 1 January … 31 December).";

    public static void MapEvaluationEndpoints(this IEndpointRouteBuilder api)
    {
        var g = api.MapGroup("/parks/{park}/evaluations").WithTags("Evaluations");
        g.MapGet("/{standard}/{year:int}", GetAsync)
            .WithSummary("An evaluation of a year, computed from the park's data, registry, offset ratio and the saved evaluator inputs")
            .WithDescription(Standards + " format = json (default) | xlsx.").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        g.MapPost("/{standard}/{year:int}/preview", PreviewAsync)
            .Accepts<EvaluationInputs>("application/json")
            .WithSummary("The evaluation with the given inputs, not saved (what-ifs: change a score, a declaration, the declared offset ratio or the weights)")
            .WithDescription(Standards).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        g.MapPut("/{standard}/{year:int}", SaveAsync)
            .Accepts<SaveEvaluationRequest>("application/json")
            .WithSummary("Save the year's evaluation: {evaluator, inputs: {items: {code: {score | checked | declared, note}}, declared_offset_ratio, weights, " +
                         "compute_capacity_tflops}}; the result is computed and stored with the inputs (audited)")
            .WithDescription(Standards).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        g.MapGet("/{standard}/history", HistoryAsync)
            .WithSummary("The saved years of a standard with totals, grades, group scores and the change against the previous year")
            .WithDescription("format = json (default) | xlsx.").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        g.MapGet("/{standard}/{year:int}/evidence", ListEvidenceAsync)
            .WithSummary("Evidence files of the year's evaluation (without content)").ProducesProblem(StatusCodes.Status404NotFound);
        g.MapPost("/{standard}/{year:int}/evidence", AddEvidenceAsync)
            .DisableAntiforgery()
            .WithSummary("Attach an evidence file to an item or requirement: multipart/form-data with fields 'item' and 'file' (≤ 20 MiB); audited with its SHA-256")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        g.MapGet("/evidence/{id:long}", GetEvidenceAsync)
            .WithSummary("Download one evidence file").ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<object> ComputeAsync(EvaluationService s, string park, string standard, int year, EvaluationInputs? inputs, CancellationToken ct) =>
        EvaluationStore.CheckStandard(standard) switch
        {
            "tca305" => await s.Tca305Async(park, year, inputs, ct),
            "bfia043" => await s.Bfia043Async(park, year, inputs, ct),
            _ => await s.GreenComputingAsync(park, year, inputs, ct),
        };

    private static async Task<IResult> GetAsync(string park, string standard, int year, [FromQuery] string? format, EvaluationService service, CancellationToken ct)
    {
        var xlsx = IsXlsx(format);
        EvaluationStore.CheckStandard(standard);
        if (!xlsx) return Results.Ok(await ComputeAsync(service, park, standard, year, null, ct));
        XlsxSheet[] sheets = standard switch
        {
            "tca305" => await Tca305SheetsAsync(service, park, year, ct),
            "bfia043" => EvaluationTables.Bfia043(await service.Bfia043Async(park, year, null, ct)),
            _ => EvaluationTables.GreenComputing(await service.GreenComputingAsync(park, year, null, ct)),
        };
        return Results.File(XlsxWriter.ToBytes(sheets), XlsxWriter.ContentType, $"{park}-{standard}-{year}.xlsx");
    }

    internal static async Task<XlsxSheet[]> Tca305SheetsAsync(EvaluationService service, string park, int year, CancellationToken ct)
    {
        var (view, facts) = await service.Tca305ReportAsync(park, year, ct);
        return EvaluationTables.Tca305(view, facts);
    }

    private static async Task<IResult> PreviewAsync(string park, string standard, int year, HttpRequest request, ApiJson json, EvaluationService service, CancellationToken ct) =>
        Results.Ok(await ComputeAsync(service, park, standard, year, await json.ReadAsync<EvaluationInputs>(request, ct), ct));

    private static async Task<IResult> SaveAsync(string park, string standard, int year, HttpRequest request, ApiJson json, EvaluationService service, CancellationToken ct)
    {
        var body = await json.ReadAsync<SaveEvaluationRequest>(request, ct);
        var evaluator = string.IsNullOrWhiteSpace(body.Evaluator) ? throw new ValidationException("evaluator", "the evaluator's name is required") : body.Evaluator.Trim();
        return Results.Ok(await service.SaveAsync(park, standard, year, body.Inputs ?? new EvaluationInputs(), evaluator, UserAccess.Actor(request.HttpContext), ct));
    }

    private static async Task<IResult> HistoryAsync(string park, string standard, [FromQuery] string? format, EvaluationService service, CancellationToken ct)
    {
        var xlsx = IsXlsx(format);
        var rows = await service.HistoryAsync(park, standard, ct);
        return xlsx ? Results.File(XlsxWriter.ToBytes(EvaluationTables.History(rows)), XlsxWriter.ContentType, $"{park}-{standard}-history.xlsx") : Results.Ok(rows);
    }

    private static async Task<IResult> ListEvidenceAsync(string park, string standard, int year, ZeroParkStore store, CancellationToken ct) =>
        Results.Ok(await store.Evaluations.ListEvidenceAsync(park, standard, year, ct));

    private static async Task<IResult> AddEvidenceAsync(string park, string standard, int year, HttpContext ctx, ZeroParkStore store)
    {
        var ct = ctx.RequestAborted;
        if (!ctx.Request.HasFormContentType) throw new ValidationException("file", "upload the file as multipart/form-data (fields 'item' and 'file')");
        IFormCollection form;
        try { form = await ctx.Request.ReadFormAsync(ct); }
        catch (InvalidDataException ex) { throw new ValidationException("file", $"the multipart body cannot be read: {ex.Message}"); }
        var file = form.Files.GetFile("file") ?? throw new ValidationException("file", "no file uploaded (multipart field 'file')");
        if (file.Length > EvaluationStore.MaxEvidenceBytes) throw new ValidationException("file", $"'{file.FileName}' is {file.Length} bytes, more than 20 MiB");
        using var ms = new MemoryStream();
        await using (var s = file.OpenReadStream()) await s.CopyToAsync(ms, ct);
        var e = await store.Evaluations.AddEvidenceAsync(park, standard, year, form["item"].ToString(), file.FileName, file.ContentType, ms.ToArray(), UserAccess.Actor(ctx), ct);
        return Results.Ok(e);
    }

    private static async Task<IResult> GetEvidenceAsync(string park, long id, ZeroParkStore store, CancellationToken ct)
    {
        var (file, content) = await store.Evaluations.GetEvidenceAsync(park, id, ct);
        return Results.File(content, "application/octet-stream", file.FileName);
    }

    private static bool IsXlsx(string? format) => format?.Trim().ToLowerInvariant() switch
    {
        null or "" or "json" => false,
        "xlsx" => true,
        _ => throw new ValidationException("format", $"'format': '{format}' is not json or xlsx"),
    };
}
