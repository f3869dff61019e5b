using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ZeroPark.Application;
using ZeroPark.Application.Export;
using ZeroPark.Application.Reports;

namespace ZeroPark.Server.Endpoints;

internal static partial class ReportsEndpoints
{
    public sealed record GenerateBody(string Kind, string? Lang, long? Inventory, int? Year, string? Month, bool? Pdf, bool? Xlsx, string? Quarter = null);

    public sealed record TemplateBody(string? Title, string? Logo, IReadOnlyList<string>? Sections);

    public sealed record ScheduleBody(string Kind, string Every, string? Lang, IReadOnlyList<string>? Recipients);

    static partial void MapReports(IEndpointRouteBuilder api)
    {
        var g = api.MapGroup("/parks/{park}/reports").WithTags("Reports");
        g.MapGet("", ListReports).WithSummary("The report archive of the park, newest first (kind, language, period, data versions, seal, time taken)");
        g.MapPost("", GenerateReport)
            .WithSummary("Generate a report and archive it: kind = ghg_inventory (inventory = id, or year) | monthly_energy (month = YYYY-MM) | tca305_self_assessment, " +
                         "bfia043_self_assessment (year) | carbon_neutrality, carbon_reduction (year, or quarter = YYYY-Qn) | efficiency (month or year); lang = zh | en; pdf, xlsx (default true)")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        g.MapGet("/{id:long}", GetReport).WithSummary("One archived report").ProducesProblem(StatusCodes.Status404NotFound);
        g.MapGet("/{id:long}/file", GetReportFile).WithSummary("One format of an archived report: format = html | pdf | xlsx").ProducesProblem(StatusCodes.Status404NotFound);
        g.MapGet("/templates/{kind}", GetTemplate).WithSummary("The park's template of a report kind: title, logo (data URI), sections");
        g.MapPut("/templates/{kind}", PutTemplate)
            .WithSummary("Change the template: title (empty = default), logo (data:image/png|jpeg|svg+xml;base64,…), sections (codes, in the report's order)").ProducesValidationProblem();
        g.MapGet("/schedules", ListSchedules).WithSummary("Scheduled reports of the park");
        g.MapPost("/schedules", AddSchedule)
            .WithSummary("Schedule a report: monthly_energy every month; ghg_inventory, carbon_neutrality, carbon_reduction every quarter | year; the self-assessments every year; " +
                         "efficiency every month | year; generated on the first working day after the period; recipients = e-mail addresses")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        g.MapDelete("/schedules/{id:long}", RemoveSchedule).WithSummary("Remove a schedule").ProducesProblem(StatusCodes.Status404NotFound);
        g.MapPost("/schedules/run", RunSchedules).WithSummary("Run the scheduler now (every park's due reports); the server also runs it every 15 minutes");
        var d = api.MapGroup("/parks/{park}/disclosure").WithTags("Reports");
        d.MapGet("", GetDisclosure)
            .WithSummary("Disclosure pack of a year: GRI 302/303/305, IFRS S2 / TCFD, SASB TC-SI-130a, CDP, EU 2024/1364, China key energy-using units; each metric with value, " +
                         "unit, period, method, source, or why it is missing; format = json (default) | xlsx")
            .ProducesValidationProblem();
    }

    private static async Task<IResult> ListReports(string park, ZeroParkStore store, CancellationToken ct) => TypedResults.Ok(await store.Reports.ReportsAsync(park, null, ct));

    private static async Task<IResult> GenerateReport(string park, HttpRequest request, HttpContext http, ReportService service, ApiJson json, CancellationToken ct)
    {
        var b = await json.ReadAsync<GenerateBody>(request, ct);
        var month = b.Month is null ? (DateOnly?)null
            : DateOnly.TryParseExact(b.Month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var m) ? m
            : throw new ValidationException("month", $"month: '{b.Month}' is not YYYY-MM");
        var quarter = ReportKinds.Quarter(b.Quarter);
        var r = await service.GenerateAsync(park, new ReportRequest(b.Kind, b.Lang ?? "zh", b.Inventory, b.Year, month, b.Pdf ?? true, b.Xlsx ?? true,
            From: quarter?.From, To: quarter?.To), UserAccess.Actor(http), ct);
        return TypedResults.Ok(r);
    }

    private static async Task<IResult> GetReport(string park, long id, ZeroParkStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.Reports.ReportsAsync(park, id, ct)).SingleOrDefault() ?? throw new NotFoundException($"report #{id} not found in park '{park}'"));

    private static async Task<IResult> GetReportFile(string park, long id, [FromQuery] string? format, ZeroParkStore store, CancellationToken ct)
    {
        var f = (format ?? "pdf").ToLowerInvariant();
        var bytes = await store.Reports.ReportFileAsync(park, id, f, ct) ?? throw new NotFoundException($"report #{id} has no {f}");
        return f switch
        {
            "html" => TypedResults.File(bytes, "text/html; charset=utf-8"),
            "pdf" => TypedResults.File(bytes, "application/pdf", $"{park}-report-{id}.pdf"),
            _ => TypedResults.File(bytes, XlsxWriter.ContentType, $"{park}-report-{id}.xlsx"),
        };
    }

    private static async Task<IResult> GetTemplate(string park, string kind, ZeroParkStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.Reports.TemplateAsync(park, ReportKinds.Parse(kind), ct));

    private static async Task<IResult> PutTemplate(string park, string kind, HttpRequest request, HttpContext http, ZeroParkStore store, ApiJson json, CancellationToken ct)
    {
        var b = await json.ReadAsync<TemplateBody>(request, ct);
        var k = ReportKinds.Parse(kind);
        var t = await store.Reports.TemplateAsync(park, k, ct);
        return TypedResults.Ok(await store.Reports.SetTemplateAsync(park, t with { Title = b.Title ?? t.Title, Logo = b.Logo ?? t.Logo, Sections = b.Sections ?? t.Sections },
            UserAccess.Actor(http), ct));
    }

    private static async Task<IResult> ListSchedules(string park, ZeroParkStore store, CancellationToken ct) => TypedResults.Ok(await store.Reports.SchedulesAsync(park, ct));

    private static async Task<IResult> AddSchedule(string park, HttpRequest request, HttpContext http, ZeroParkStore store, ApiJson json, CancellationToken ct)
    {
        var b = await json.ReadAsync<ScheduleBody>(request, ct);
        return TypedResults.Ok(await store.Reports.AddScheduleAsync(park, b.Kind, b.Every, b.Lang ?? "zh", b.Recipients ?? [], UserAccess.Actor(http), ct));
    }

    private static async Task<IResult> RemoveSchedule(string park, long id, HttpContext http, ZeroParkStore store, CancellationToken ct)
    {
        await store.Reports.RemoveScheduleAsync(park, id, UserAccess.Actor(http), ct);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> RunSchedules(string park, ReportScheduler scheduler, CancellationToken ct) =>
        TypedResults.Ok((await scheduler.RunDueAsync(ct)).Where(r => r.Park == park).ToList());

    private static async Task<IResult> GetDisclosure(string park, [FromQuery] int? year, [FromQuery] string? format, DisclosureService service, CancellationToken ct)
    {
        var pack = await service.PackAsync(park, year ?? throw new ValidationException("year", "year: required (YYYY)"), ct);
        return string.Equals(format, "xlsx", StringComparison.OrdinalIgnoreCase)
            ? TypedResults.File(DisclosureService.Xlsx(pack), XlsxWriter.ContentType, $"{park}-disclosure-{pack.Year}.xlsx")
            : TypedResults.Ok(pack);
    }
}
