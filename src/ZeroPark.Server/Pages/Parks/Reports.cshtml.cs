using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using ZeroPark.Application;
using ZeroPark.Application.Reports;
using ZeroPark.Domain;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>The report centre (issue 17): generate a report (GHG inventory, monthly energy; Chinese or English), the archive with
/// HTML/PDF/XLSX links, data versions and seal, the park's templates and the scheduled reports.</summary>
public sealed class ReportsModel(ZeroParkStore store, ReportService reports) : ZpPageModel(store)
{
    public IReadOnlyList<ArchivedReport> Archive { get; private set; } = [];
    public IReadOnlyList<ReportScheduleRecord> Schedules { get; private set; } = [];
    public IReadOnlyList<ReportTemplate> Templates { get; private set; } = [];
    public string? Message { get; private set; }
    public string? Error { get; private set; }
    public int DefaultYear { get; private set; }
    public string DefaultMonth { get; private set; } = "";

    /// <summary>Generating and changing templates and schedules: administrators, energy managers and carbon accountants.</summary>
    public bool CanWrite => Endpoints.UserAccess.Allows(Me.Role, Endpoints.UserAccess.Access.ReportWrite);

    private async Task LoadAsync(string park, CancellationToken ct)
    {
        Archive = await Store.Reports.ReportsAsync(park, null, ct);
        Schedules = await Store.Reports.SchedulesAsync(park, ct);
        var templates = new List<ReportTemplate>();
        foreach (var k in ReportKinds.All) templates.Add(await Store.Reports.TemplateAsync(park, k.Code, ct));
        Templates = templates;
        var last = await Store.Queries.LastReadingAtAsync(park, ct);
        var lastDay = last is { } l ? DateOnly.FromDateTime(l.AddSeconds(-1).DateTime) : DateOnly.FromDateTime(DateTime.UtcNow);
        var prevMonth = new DateOnly(lastDay.Year, lastDay.Month, 1);
        if (lastDay != prevMonth.AddMonths(1).AddDays(-1)) prevMonth = prevMonth.AddMonths(-1);
        DefaultMonth = prevMonth.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        DefaultYear = lastDay.Month == 12 && lastDay.Day == 31 ? lastDay.Year : lastDay.Year - 1;
    }

    public async Task<IActionResult> OnGetAsync(string park, string? msg, CancellationToken ct)
    {
        CurrentPark = await ParkIfVisibleAsync(park, ct);
        if (CurrentPark is null) return NotFound();
        await LoadAsync(park, ct);
        Message = msg switch { "generated" => Web.UiText.T("reports.generated"), "saved" => Web.UiText.T("reports.saved"), _ => null };
        return Page();
    }

    private async Task<IActionResult> WriteAsync(string park, Func<Task<string>> action, CancellationToken ct)
    {
        CurrentPark = await ParkIfVisibleAsync(park, ct);
        if (CurrentPark is null) return NotFound();
        if (!CanWrite) return StatusCode(StatusCodes.Status403Forbidden);
        try
        {
            var msg = await action();
            return Redirect($"/parks/{park}/reports?msg={msg}");
        }
        catch (Exception e) when (e is ValidationException or NotFoundException or ConflictException or TimeoutException)
        {
            Error = e is ValidationException v ? $"{v.Field}: {Web.UiText.M(v.Message)}" : Web.UiText.M(e.Message);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadAsync(park, ct);
            return Page();
        }
    }

    public Task<IActionResult> OnPostGenerateAsync(string park, string kind, string lang, int? year, string? month, bool pdf, CancellationToken ct) =>
        WriteAsync(park, async () =>
        {
            DateOnly? m = string.IsNullOrWhiteSpace(month) ? null
                : DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d
                : throw new ValidationException("month", $"month: '{month}' is not YYYY-MM");
            await reports.GenerateAsync(park, new ReportRequest(kind, lang, null, year, m, pdf), Me.Name, ct);
            return "generated";
        }, ct);

    public Task<IActionResult> OnPostTemplateAsync(string park, string kind, string? title, string? sections, CancellationToken ct) =>
        WriteAsync(park, async () =>
        {
            var k = ReportKinds.Parse(kind);
            var t = await Store.Reports.TemplateAsync(park, k, ct);
            await Store.Reports.SetTemplateAsync(park, t with
            {
                Title = title?.Trim() ?? "", Sections = (sections ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            }, Me.Name, ct);
            return "saved";
        }, ct);

    public Task<IActionResult> OnPostScheduleAsync(string park, string kind, string every, string lang, string? recipients, CancellationToken ct) =>
        WriteAsync(park, async () =>
        {
            await Store.Reports.AddScheduleAsync(park, kind, every, lang, (recipients ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), Me.Name, ct);
            return "saved";
        }, ct);

    public Task<IActionResult> OnPostUnscheduleAsync(string park, long id, CancellationToken ct) =>
        WriteAsync(park, async () =>
        {
            await Store.Reports.RemoveScheduleAsync(park, id, Me.Name, ct);
            return "saved";
        }, ct);
}
