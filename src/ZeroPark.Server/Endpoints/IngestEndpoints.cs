using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ZeroPark.Metering;
using ZeroPark.Application;
using ZeroPark.Application.Readings.Import;

namespace ZeroPark.Server.Endpoints;

/// <summary>
/// Ingest routes, all authenticated by a per-park API key (see <see cref="ApiKeyAuth"/>); writes are recorded as user
/// <c>key:&lt;key name&gt;</c>. Every point is stored or reported: a batch is one transaction, rejected points are listed
/// with their line and reason and never block the valid ones.
/// </summary>
internal static class IngestEndpoints
{
    public static void MapIngestEndpoints(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/parks/{park}").WithTags("Ingest");

        g.MapPost("/ingest", IngestJson)
            .RequireApiKey(ApiKeyAuth.RoutePark)
            .DocumentBody(typeof(JsonBatchDoc))
            .WithSummary("Ingest a JSON batch of readings")
            .WithDescription("Body: {\"batch_id\": \"optional\", \"points\": [{\"meter\": \"code\", \"ts\": \"2025-01-01T00:15:00+08:00\", \"value\": 123.4}]}. " +
                             "ts is ISO 8601 with a UTC offset, or Unix seconds. Replaying a batch changes nothing (duplicates); a different value at a stored " +
                             "instant is an audited correction. Every point's outcome is returned; malformed JSON is a 400 and stores nothing.")
            .ProducesValidationProblem();

        g.MapPost("/ingest/line-protocol", IngestLineProtocol)
            .RequireApiKey(ApiKeyAuth.RoutePark)
            .DocumentBody(null, "text/plain")
            .WithSummary("Ingest InfluxDB line protocol, with per-point outcomes")
            .WithDescription("Meter code: tag meter (else meter_code, id, or the measurement); value: field value (else the only numeric field). " +
                             "precision = ns (default), us, ms or s; a line without timestamp takes the server's current time.")
            .ProducesValidationProblem();

        g.MapPost("/readings/manual", ManualEntry)
            .RequireApiKey(ApiKeyAuth.RoutePark)
            .DocumentBody(typeof(ManualEntryRequest))
            .WithSummary("Enter or correct one reading by hand (reason required; audited)")
            .WithDescription("Body: {meter, ts, value, reason}. The change is recorded as made by the key (key:<name>); a 'user' field is ignored. A different value at a stored instant " +
                             "is a correction: the point's outcome is 'corrected' with previous_value, and the audit log keeps old and new value.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        g.MapPost("/import", ImportFile)
            .RequireApiKey(ApiKeyAuth.RoutePark)
            .DocumentBody(null, multipart: true)
            .WithSummary("Import a CSV/XLSX file of readings (multipart: file, optional mapping JSON)")
            .WithDescription("Columns are recognised by header (English and common Chinese names) or named by the mapping: {\"meter\", \"timestamp\", \"start\", " +
                             "\"value\", \"timestamp_format\", \"time_zone\", \"encoding\", \"decimal_comma\", \"meter_code_map\"}. Timestamps without an offset are " +
                             "taken in the park's time zone unless mapping.time_zone says otherwise. Returns counts and every rejected row.")
            .ProducesValidationProblem();

        // ------------------------------------------------------------ InfluxDB-compatible writes (Telegraf, Node-RED)
        var influx = app.MapGroup("").WithTags("Ingest");
        influx.MapPost("/api/v2/write", InfluxV2Write)
            .RequireApiKey(ctx => ctx.Request.Query["bucket"].ToString())
            .DocumentBody(null, "text/plain")
            .Produces(StatusCodes.Status204NoContent)
            .Produces<InfluxWriteError>(StatusCodes.Status400BadRequest)
            .WithSummary("InfluxDB 2.x write API: bucket = park code, Authorization: Token <API key>")
            .WithDescription("Line protocol body (gzip accepted). 204 when every line was stored (duplicates included). If some lines are rejected the " +
                             "answer is 400 {\"code\":\"invalid\",\"message\":…} listing them; the valid points of the same request ARE stored " +
                             "(a partial write, as InfluxDB does), so clients must not resend the batch. org is ignored.");

        influx.MapPost("/write", InfluxV1Write)
            .RequireApiKey(ctx => ctx.Request.Query["db"].ToString(), influxV1: true)
            .DocumentBody(null, "text/plain")
            .Produces(StatusCodes.Status204NoContent)
            .Produces<InfluxWriteError>(StatusCodes.Status400BadRequest)
            .WithSummary("InfluxDB 1.x write API: db = park code, key as p=<API key>, Basic password or Authorization: Token <API key>")
            .WithDescription("Same semantics as /api/v2/write: 204 on full success, 400 listing rejected lines (valid points are stored).");
    }

    private static async Task<Results<Ok<IngestResponse>, ProblemHttpResult>> IngestJson(string park, HttpContext ctx, ZeroParkStore store,
        ApiJson json)
    {
        var ct = ctx.RequestAborted;
        var (text, error) = await RequestBody.ReadTextAsync(ctx.Request, ct);
        if (error is not null) return error;
        var (batchId, parsed) = JsonBatchParser.Parse(text!);
        if (parsed.Errors.FirstOrDefault(e => e.Line == 0) is { } bad)
            throw new ValidationException("body", $"malformed batch: {bad.Reason}");
        var source = new IngestSource("json", ApiKeyAuth.User(ctx)) { BatchKey = batchId };
        var summary = await store.Readings.IngestAsync(park, parsed.Points, source, detail: true, ct);
        return TypedResults.Ok(IngestResponse.From(summary, parsed.Errors) with { BatchId = batchId });
    }

    private static async Task<Results<Ok<IngestResponse>, ProblemHttpResult>> IngestLineProtocol(string park, [FromQuery] string? precision,
        HttpContext ctx, ZeroParkStore store, TimeProvider clock)
    {
        var ct = ctx.RequestAborted;
        var (text, error) = await RequestBody.ReadTextAsync(ctx.Request, ct);
        if (error is not null) return error;
        var parsed = LineProtocolParser.Parse(text!, string.IsNullOrWhiteSpace(precision) ? "ns" : precision, clock.GetUtcNow());
        if (parsed.Errors.FirstOrDefault(e => e.Line == 0) is { } bad)
            throw new ValidationException("precision", bad.Reason);
        var summary = await store.Readings.IngestAsync(park, parsed.Points, new IngestSource("line_protocol", ApiKeyAuth.User(ctx)), detail: true, ct);
        return TypedResults.Ok(IngestResponse.From(summary, parsed.Errors));
    }

    private static async Task<Ok<IngestResponse>> ManualEntry(string park, HttpContext ctx, ZeroParkStore store, ApiJson json)
    {
        var ct = ctx.RequestAborted;
        var body = await json.ReadAsync<ManualEntryRequest>(ctx.Request, ct);
        if (string.IsNullOrWhiteSpace(body.Meter)) throw new ValidationException("meter", "'meter' is required");
        var at = Query.Instant(body.Ts, "ts");
        if (body.Value is not { } value) throw new ValidationException("value", "'value' is required");
        // A key writes as the key: a 'user' in the body is not believed (a gateway key naming an administrator must not
        // make the audit log say the administrator made the change).
        var summary = await store.Readings.ManualEntryAsync(park, body.Meter.Trim(), at, value, ApiKeyAuth.User(ctx), body.Reason ?? "", ct);
        return TypedResults.Ok(IngestResponse.From(summary));
    }

    private static async Task<Ok<IngestResponse>> ImportFile(string park, HttpContext ctx, ZeroParkStore store, ImportLimits limits)
    {
        var ct = ctx.RequestAborted;
        if (!ctx.Request.HasFormContentType)
            throw new ValidationException("file", "upload the file as multipart/form-data (field 'file', optional field 'mapping')");
        IFormCollection form;
        try { form = await ctx.Request.ReadFormAsync(ct); }
        catch (InvalidDataException e) { throw new ValidationException("file", $"the multipart body cannot be read: {e.Message}"); }
        var file = form.Files.GetFile("file") ?? (form.Files.Count > 0 ? form.Files[0] : null)
            ?? throw new ValidationException("file", "no file uploaded (multipart field 'file')");
        ColumnMapping? mapping = null;
        if (form["mapping"].ToString() is { Length: > 0 } mappingJson)
        {
            try { mapping = ColumnMapping.FromJson(mappingJson); }
            catch (FormatException e) { throw new ValidationException("mapping", e.Message); }
        }
        // The same path as zeropark import and the web UI's import page: the plain format requires offsets; with a column
        // mapping (a foreign export), timestamps without an offset are the park's local time unless the mapping names another zone.
        var fileName = Path.GetFileName(file.FileName);
        FileImportResult result;
        await using (var stream = file.OpenReadStream())
            result = await FileImport.ImportReadingsAsync(store, park, stream, fileName, mapping, ApiKeyAuth.User(ctx), limits: limits, wholeDays: true, ct: ct);
        if (result.TooLarge) throw new BadHttpRequestException(result.FileError!, StatusCodes.Status413PayloadTooLarge);
        if (result.FileError is { } fileError) throw new ValidationException(result.FileErrorField, fileError);
        return TypedResults.Ok(new IngestResponse(result.Accepted, result.Duplicates, result.Corrected, result.Rejected) { File = fileName });
    }

    private static Task<IResult> InfluxV2Write(HttpContext ctx, ZeroParkStore store, TimeProvider clock, [FromQuery] string? bucket,
        [FromQuery] string? org, [FromQuery] string? precision) =>
        Influx.WriteAsync(ctx, store, clock, bucket!, precision, "influx_v2", v1: false);

    private static Task<IResult> InfluxV1Write(HttpContext ctx, ZeroParkStore store, TimeProvider clock, [FromQuery] string? db,
        [FromQuery] string? precision, [FromQuery] string? u, [FromQuery] string? p) =>
        Influx.WriteAsync(ctx, store, clock, db!, precision, "influx_v1", v1: true);
}

/// <summary>The InfluxDB write semantics shared by the 1.x and 2.x routes.</summary>
internal static class Influx
{
    public static async Task<IResult> WriteAsync(HttpContext ctx, ZeroParkStore store, TimeProvider clock, string park, string? precision, string kind, bool v1)
    {
        var ct = ctx.RequestAborted;
        var (text, error) = await RequestBody.ReadTextAsync(ctx.Request, ct);
        if (error is not null) return error;
        var parsed = LineProtocolParser.Parse(text!, string.IsNullOrWhiteSpace(precision) ? "ns" : precision.Trim(), clock.GetUtcNow());
        if (parsed.Errors.FirstOrDefault(e => e.Line == 0) is { } bad)
            return Error(StatusCodes.Status400BadRequest, "invalid", bad.Reason, v1);
        var summary = await store.Readings.IngestAsync(park, parsed.Points, new IngestSource(kind, ApiKeyAuth.User(ctx)), detail: false, ct);
        var rejected = summary.Rejected.Concat(parsed.Errors).OrderBy(e => e.Line).ToList();
        if (rejected.Count == 0) return TypedResults.NoContent();
        var stored = summary.Accepted + summary.Duplicates + summary.Corrected;
        var message = string.Create(CultureInfo.InvariantCulture,
            $"partial write: {stored} point{(stored == 1 ? "" : "s")} stored, {rejected.Count} line{(rejected.Count == 1 ? "" : "s")} rejected: ")
            + string.Join("; ", rejected.Take(20).Select(r => $"line {r.Line}: {r.Reason}"))
            + (rejected.Count > 20 ? $"; … and {rejected.Count - 20} more" : "");
        return TypedResults.Json(new InfluxWriteError("invalid", message)
        {
            Error = v1 ? message : null,
            Accepted = summary.Accepted,
            Duplicates = summary.Duplicates,
            Corrected = summary.Corrected,
            Rejected = rejected,
        }, statusCode: StatusCodes.Status400BadRequest);
    }

    public static IResult Error(int status, string code, string message, bool v1) =>
        TypedResults.Json(new InfluxWriteError(code, message) { Error = v1 ? message : null }, statusCode: status);
}
