using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ZeroPark.Application;
using ZeroPark.Application.Export;
using ZeroPark.Application.Neutrality;
using ZeroPark.Carbon;
using ZeroPark.Neutrality;

namespace ZeroPark.Server.Endpoints;

/// <summary>Body of <c>POST …/carbon/offsets</c>: one instrument (quantity in MWh or tCO2e by kind; unit optional).</summary>
public sealed record LedgerRequest(string Kind, double Quantity, string? Unit = null, string? SerialFrom = null, string? SerialTo = null, string? BundledFrom = null,
    string? BundledTo = null, int? Vintage = null, string? Expires = null, string? Project = null, string? EnergyType = null, string? Methodology = null,
    string? Counterparty = null, bool? Tradable = null, string? Region = null, double? FactorKgPerKwh = null, string? Profile = null, double? UnitPriceCny = null,
    string? PurchasedOn = null, string? Reference = null, string? Note = null, string? ClaimFrom = null, string? ClaimTo = null, string? Target = null, string? Use = null);

/// <summary>Body of <c>POST …/carbon/offsets/{id}/claims</c>.</summary>
public sealed record ClaimRequest(string From, string To, double? Quantity = null, string? Target = null, string? Use = null, bool? Retire = null);

/// <summary>Body of <c>PUT …/carbon/targets</c>.</summary>
public sealed record TargetRequest(string Kind, string Every, double Value, string? From = null, string? To = null, string? Note = null);

/// <summary>One hour of a green power trade's delivery profile.</summary>
public sealed record ProfileHour(DateTimeOffset Hour, double Kwh);

/// <summary>Body of <c>POST …/energy/measures</c>.</summary>
public sealed record MeasureRequest(string Code, string Name, string Category, IReadOnlyList<string> Boundary, string BaselineFrom, string BaselineTo, string Start,
    double? PriceCnyPerKwh = null, bool? UseTemperature = null, string? Source = null, string? Note = null);

/// <summary>Import answer: accepted rows, their ids and every refused row with its line and reason.</summary>
public sealed record LedgerImportResponse(int Accepted, IReadOnlyList<long> Ids, IReadOnlyList<LedgerRowError> Rejected);

/// <summary>A refused row: its line and reason.</summary>
public sealed record LedgerRowError(int Line, string Reason);

/// <summary>
/// Carbon neutrality (issue 14) with the same JSON as the CLI's <c>--format json</c>: the instruments ledger (<c>…/carbon/offsets</c>), prices
/// and holdings, the neutrality rate and T/CA305 offset ratio (<c>…/carbon/neutrality</c>), targets with progress and the cheapest mix, 24×7
/// matching, and the reduction measures register (<c>…/energy/measures</c>; energy managers may write it).
/// </summary>
internal static class NeutralityEndpoints
{
    public const long MaxUploadBytes = NeutralityStore.MaxEvidenceBytes;

    public static void MapNeutralityEndpoints(this IEndpointRouteBuilder api)
    {
        var g = api.MapGroup("/parks/{park}/carbon").WithTags("Neutrality");
        g.MapGet("/offsets", ListLedgerAsync).WithSummary("The instruments ledger with claims and evidence; format = json (default) | csv | xlsx").ProducesProblem(StatusCodes.Status404NotFound);
        g.MapPost("/offsets", AddInstrumentAsync)
            .Accepts<LedgerRequest>("application/json").WithSummary("Record one instrument (with claim_from/claim_to: retired against that period); guarded like the import")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        g.MapPost("/offsets/import", ImportLedgerAsync).DocumentBody(null, "text/csv", multipart: true)
            .WithSummary("Import instruments (CSV or XLSX: kind,quantity,unit,serial_from,serial_to,vintage,claim_from,claim_to[,…]); refused rows with line and reason, valid rows kept");
        g.MapPost("/offsets/{id:long}/claims", ClaimAsync)
            .Accepts<ClaimRequest>("application/json").WithSummary("Allocate (retire = true: retire at once) part or all of an instrument to the park, a building or tenant:NAME for a period")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        g.MapPost("/offsets/claims/{claim:long}/retire", RetireAsync).WithSummary("Retire an allocated claim (an expired certificate is refused)")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        g.MapDelete("/offsets/claims/{claim:long}", ReleaseAsync).WithSummary("Release an allocated claim (a retired one is final)").ProducesProblem(StatusCodes.Status409Conflict);
        g.MapPost("/offsets/{id:long}/evidence", AddEvidenceAsync).DocumentBody(null, "application/octet-stream", multipart: true)
            .WithSummary("Upload an evidence file (multipart, or the raw body with ?name=FILE); stored with its SHA-256, audited");
        g.MapGet("/offsets/evidence/{evidence:long}", GetEvidenceAsync).WithSummary("Download an evidence file").ProducesProblem(StatusCodes.Status404NotFound);
        g.MapPut("/offsets/{id:long}/profile", SetProfileAsync)
            .Accepts<List<ProfileHour>>("application/json").WithSummary("Replace a green power trade's hourly delivery profile [{hour, kwh}] (24×7 matching)");
        g.MapGet("/prices", PricesAsync)
            .WithSummary("Imported market prices per instrument kind");
        g.MapPost("/prices/import", ImportPricesAsync).DocumentBody(null, "text/csv", multipart: true).WithSummary("Import a price list (CSV or XLSX: kind,date,price_cny[,available,source])");
        g.MapGet("/holdings", HoldingsAsync).WithSummary("Value of the holdings (bought, not retired) at the latest prices on or before as_of, beside what was paid");
        g.MapGet("/neutrality", NeutralityAsync)
            .WithSummary("Neutrality rate and T/CA305 offset ratio of a period: emissions_t (C_yw), scope1_t, neutralised_t, neutrality_rate, tca305_weighted_t, tca305_offset_ratio, " +
                         "tca305_offset_score, scope1_uncovered_t, flags, breakdown by kind and instrument")
            .WithDescription("from, to = local dates; method = ghgp | iso14064 | cn-guideline; gwp = SAR | AR4 | AR5 | AR6").ProducesValidationProblem();
        g.MapGet("/neutrality/months", MonthsAsync).WithSummary("Neutrality of each month of a year (up to today)");
        g.MapGet("/targets", TargetsAsync).WithSummary("The park's targets");
        g.MapPut("/targets", SetTargetAsync)
            .Accepts<TargetRequest>("application/json").WithSummary("Set a target {kind: neutrality_rate | emission_budget | cue, every: month | year, value, from YYYY-MM, to}").ProducesValidationProblem();
        g.MapDelete("/targets/{id:long}", DeleteTargetAsync).WithSummary("Delete a target");
        g.MapGet("/targets/progress", ProgressAsync).WithSummary("Each month against its targets, to date, and the projected year end (last year's monthly shape)");
        g.MapGet("/targets/mix", MixAsync).WithSummary("Cheapest instrument mix from the imported prices reaching a neutrality-rate target (scope-1 rule respected)");
        g.MapGet("/matching", MatchingAsync).WithSummary("24×7: hourly matched share of green supply against load, uncovered hours (from, to local dates; at most 367 days)");

        var e = api.MapGroup("/parks/{park}/energy").WithTags("Neutrality");
        e.MapGet("/measures", MeasuresAsync)
            .WithSummary("The register of reduction measures");
        e.MapPost("/measures", AddMeasureAsync)
            .Accepts<MeasureRequest>("application/json").WithSummary("Register a reduction measure (boundary: meter or node codes; baseline period; start)").ProducesValidationProblem();
        e.MapGet("/measures/report", MeasureReportAsync).WithSummary("Reduction report: baseline model, measured saving to date (kWh, tCO2e, CNY), next year's forecast");
    }

    private static async Task<IResult> PricesAsync(string park, ZeroParkStore store, CancellationToken ct) => TypedResults.Ok(await store.Neutrality.PricesAsync(park, ct));

    private static async Task<IResult> TargetsAsync(string park, ZeroParkStore store, CancellationToken ct) => TypedResults.Ok(await store.Neutrality.TargetsAsync(park, ct));

    private static async Task<IResult> MeasuresAsync(string park, ZeroParkStore store, CancellationToken ct) => TypedResults.Ok(await store.Neutrality.MeasuresAsync(park, ct));

    private static async Task<IResult> ListLedgerAsync(string park, [FromQuery] string? format, [FromQuery] string? kind, ZeroParkStore store, CancellationToken ct)
    {
        var ledger = (await store.Neutrality.InstrumentsAsync(park, null, ct)).Where(i => string.IsNullOrWhiteSpace(kind) || i.Kind == kind).ToList();
        return format?.ToLowerInvariant() switch
        {
            "xlsx" => TypedResults.File(XlsxWriter.ToBytes(LedgerCsv.Sheet(ledger)), XlsxWriter.ContentType, $"ledger-{park}.xlsx"),
            "csv" => TypedResults.File(System.Text.Encoding.UTF8.GetPreamble().Concat(System.Text.Encoding.UTF8.GetBytes(LedgerCsv.Write(ledger))).ToArray(), "text/csv; charset=utf-8", $"ledger-{park}.csv"),
            null or "" or "json" => TypedResults.Ok(ledger),
            var f => throw new ValidationException("format", $"'{f}' is not json, csv or xlsx"),
        };
    }

    private static async Task<IResult> AddInstrumentAsync(string park, HttpRequest request, ZeroParkStore store, ApiJson json, CancellationToken ct)
    {
        var b = await json.ReadAsync<LedgerRequest>(request, ct);
        var kind = OffsetKinds.TryParse(b.Kind) ?? throw new ValidationException("kind", $"'{b.Kind}' is unknown (expected {OffsetKinds.Expected})");
        var (q, err) = OffsetKinds.ToLedgerUnit(kind, b.Quantity, b.Unit);
        if (err is not null) throw new ValidationException("unit", err);
        if ((b.ClaimFrom is null) != (b.ClaimTo is null)) throw new ValidationException("claim_to", "give both claim_from and claim_to");
        var i = await store.Neutrality.AddInstrumentAsync(park, new LedgerDraft
        {
            Kind = kind, Quantity = q!.Value, SerialFrom = b.SerialFrom, SerialTo = b.SerialTo, BundledFrom = b.BundledFrom, BundledTo = b.BundledTo, Vintage = b.Vintage,
            Expires = Opt(b.Expires, "expires"), Project = b.Project ?? "", EnergyType = b.EnergyType ?? "", Methodology = b.Methodology ?? "", Counterparty = b.Counterparty ?? "",
            Tradable = b.Tradable, Region = b.Region ?? "", FactorKgPerKwh = b.FactorKgPerKwh ?? 0, Profile = b.Profile ?? "flat", UnitPriceCny = b.UnitPriceCny,
            PurchasedOn = Opt(b.PurchasedOn, "purchased_on"), Reference = b.Reference ?? "", Note = b.Note ?? "",
            Claim = b.ClaimFrom is null ? null : new ClaimDraft(b.Target, Query.Date(b.ClaimFrom, "claim_from"), Query.Date(b.ClaimTo, "claim_to"), null, b.Use),
        }, UserAccess.Actor(request.HttpContext), ct);
        return TypedResults.Ok(i);
    }

    private static async Task<IResult> ImportLedgerAsync(string park, HttpRequest request, ZeroParkStore store, CancellationToken ct)
    {
        var (bytes, _, error) = await UploadAsync(request, ct);
        if (error is not null) return error;
        var (rows, errors) = LedgerCsv.Parse(new MemoryStream(bytes!));
        var r = await store.Neutrality.ImportAsync(park, rows, errors, UserAccess.Actor(request.HttpContext), ct);
        return TypedResults.Ok(new LedgerImportResponse(r.Accepted, r.Ids, r.Rejected.Select(x => new LedgerRowError(x.Line, x.Reason)).ToList()));
    }

    private static async Task<IResult> ClaimAsync(string park, long id, HttpRequest request, ZeroParkStore store, ApiJson json, CancellationToken ct)
    {
        var b = await json.ReadAsync<ClaimRequest>(request, ct);
        return TypedResults.Ok(await store.Neutrality.ClaimAsync(park, id, new ClaimDraft(b.Target, Query.Date(b.From, "from"), Query.Date(b.To, "to"), b.Quantity, b.Use, b.Retire ?? false),
            UserAccess.Actor(request.HttpContext), ct));
    }

    private static async Task<IResult> RetireAsync(string park, long claim, HttpContext http, ZeroParkStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.Neutrality.RetireAsync(park, claim, UserAccess.Actor(http), ct));

    private static async Task<IResult> ReleaseAsync(string park, long claim, HttpContext http, ZeroParkStore store, CancellationToken ct)
    {
        await store.Neutrality.ReleaseAsync(park, claim, UserAccess.Actor(http), ct);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> AddEvidenceAsync(string park, long id, [FromQuery] string? name, HttpRequest request, ZeroParkStore store, CancellationToken ct)
    {
        var (bytes, file, error) = await UploadAsync(request, ct);
        if (error is not null) return error;
        var fileName = file?.FileName ?? name ?? throw new ValidationException("name", "give the file's name (?name=…) or upload it as multipart");
        var contentType = file?.ContentType is { Length: > 0 } ctype ? ctype : request.ContentType ?? "application/octet-stream";
        return TypedResults.Ok(await store.Neutrality.AddEvidenceAsync(park, id, fileName, contentType, bytes!, UserAccess.Actor(request.HttpContext), ct));
    }

    private static async Task<IResult> GetEvidenceAsync(string park, long evidence, ZeroParkStore store, CancellationToken ct)
    {
        var (info, content) = await store.Neutrality.EvidenceAsync(park, evidence, ct);
        return TypedResults.File(content, info.ContentType, info.FileName);
    }

    private static async Task<IResult> SetProfileAsync(string park, long id, HttpRequest request, ZeroParkStore store, ApiJson json, CancellationToken ct)
    {
        var hours = await json.ReadAsync<List<ProfileHour>>(request, ct);
        var n = await store.Neutrality.SetProfileAsync(park, id, hours.Select(h => (h.Hour, h.Kwh)).ToList(), UserAccess.Actor(request.HttpContext), ct);
        return TypedResults.Ok(new { hours = n });
    }

    private static async Task<IResult> ImportPricesAsync(string park, HttpRequest request, ZeroParkStore store, CancellationToken ct)
    {
        var (bytes, _, error) = await UploadAsync(request, ct);
        if (error is not null) return error;
        var (rows, errors) = LedgerCsv.ParsePrices(new MemoryStream(bytes!));
        var r = await store.Neutrality.ImportPricesAsync(park, rows, errors, UserAccess.Actor(request.HttpContext), ct);
        return TypedResults.Ok(new LedgerImportResponse(r.Accepted, r.Ids, r.Rejected.Select(x => new LedgerRowError(x.Line, x.Reason)).ToList()));
    }

    private static async Task<IResult> HoldingsAsync(string park, [FromQuery(Name = "as_of")] string? asOf, ZeroParkStore store, CancellationToken ct)
    {
        var reg = await store.Registry.GetRegistryAsync(park, ct);
        return TypedResults.Ok(await store.Neutrality.HoldingsAsync(park, Opt(asOf, "as_of") ?? store.Neutrality.LocalToday(reg.Park), ct));
    }

    private static async Task<IResult> NeutralityAsync(string park, [FromQuery] string? from, [FromQuery] string? to, [FromQuery] string? method, [FromQuery] string? gwp,
        NeutralityService service, CancellationToken ct) =>
        TypedResults.Ok(await service.ComputeAsync(park, Query.Date(from, "from"), Query.Date(to, "to"), AccountingMethods.Parse(method ?? "ghgp"), Gases.ParseSet(gwp ?? "AR6"), ct));

    private static async Task<IResult> MonthsAsync(string park, [FromQuery] int? year, ZeroParkStore store, NeutralityService service, CancellationToken ct)
    {
        var reg = await store.Registry.GetRegistryAsync(park, ct);
        var today = store.Neutrality.LocalToday(reg.Park);
        return TypedResults.Ok(await service.MonthsAsync(park, year ?? today.Year, today, ct: ct));
    }

    private static async Task<IResult> SetTargetAsync(string park, HttpRequest request, ZeroParkStore store, ApiJson json, CancellationToken ct)
    {
        var b = await json.ReadAsync<TargetRequest>(request, ct);
        return TypedResults.Ok(await store.Neutrality.SetTargetAsync(park, b.Kind, b.Every, b.Value, b.From, b.To, b.Note ?? "", UserAccess.Actor(request.HttpContext), ct));
    }

    private static async Task<IResult> DeleteTargetAsync(string park, long id, HttpContext http, ZeroParkStore store, CancellationToken ct)
    {
        await store.Neutrality.DeleteTargetAsync(park, id, UserAccess.Actor(http), ct);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> ProgressAsync(string park, [FromQuery] int? year, [FromQuery(Name = "as_of")] string? asOf, ZeroParkStore store, TargetService targets, CancellationToken ct)
    {
        var reg = await store.Registry.GetRegistryAsync(park, ct);
        var day = Opt(asOf, "as_of") ?? store.Neutrality.LocalToday(reg.Park);
        return TypedResults.Ok(await targets.ProgressAsync(park, year ?? day.Year, day, ct));
    }

    private static async Task<IResult> MixAsync(string park, [FromQuery] int? year, [FromQuery] double? rate, [FromQuery(Name = "as_of")] string? asOf, ZeroParkStore store,
        TargetService targets, CancellationToken ct)
    {
        var reg = await store.Registry.GetRegistryAsync(park, ct);
        var day = Opt(asOf, "as_of") ?? store.Neutrality.LocalToday(reg.Park);
        return TypedResults.Ok(await targets.MixAsync(park, year ?? day.Year, rate, day, ct));
    }

    private static async Task<IResult> MatchingAsync(string park, [FromQuery] string? from, [FromQuery] string? to, MatchingService matching, CancellationToken ct) =>
        TypedResults.Ok(await matching.MatchAsync(park, Query.Date(from, "from"), Query.Date(to, "to"), ct));

    private static async Task<IResult> AddMeasureAsync(string park, HttpRequest request, MeasureService measures, ApiJson json, CancellationToken ct)
    {
        var b = await json.ReadAsync<MeasureRequest>(request, ct);
        return TypedResults.Ok(await measures.CreateAsync(park, new MeasureDraft(b.Code, b.Name, b.Category, b.Boundary ?? [], Query.Date(b.BaselineFrom, "baseline_from"),
            Query.Date(b.BaselineTo, "baseline_to"), Query.Date(b.Start, "start"), b.PriceCnyPerKwh, b.UseTemperature ?? true, b.Source ?? "api", b.Note ?? ""),
            UserAccess.Actor(request.HttpContext), ct));
    }

    private static async Task<IResult> MeasureReportAsync(string park, [FromQuery(Name = "as_of")] string? asOf, [FromQuery] string? code, ZeroParkStore store, MeasureService measures,
        CancellationToken ct)
    {
        var reg = await store.Registry.GetRegistryAsync(park, ct);
        return TypedResults.Ok(await measures.ReportAsync(park, Opt(asOf, "as_of") ?? store.Neutrality.LocalToday(reg.Park), string.IsNullOrWhiteSpace(code) ? null : code, ct));
    }

    private static DateOnly? Opt(string? s, string name) => string.IsNullOrWhiteSpace(s) ? null : Query.Date(s, name);

    /// <summary>The uploaded file: the first file of a multipart form, else the raw body; at most <see cref="MaxUploadBytes"/>.</summary>
    private static async Task<(byte[]? Bytes, IFormFile? File, IResult? Error)> UploadAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct);
            if (form.Files.Count == 0) return (null, null, TypedResults.Problem("the form has no file", statusCode: StatusCodes.Status400BadRequest, title: "Bad request"));
            var f = form.Files[0];
            if (f.Length > MaxUploadBytes) return (null, null, TooLarge());
            using var ms = new MemoryStream();
            await f.CopyToAsync(ms, ct);
            return (ms.ToArray(), f, null);
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + n > MaxUploadBytes) return (null, null, TooLarge());
            buffer.Write(chunk, 0, n);
        }
        return (buffer.ToArray(), null, null);
    }

    private static ProblemHttpResult TooLarge() => TypedResults.Problem($"the file is larger than {MaxUploadBytes / 1024 / 1024} MiB", statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Payload too large");
}
