using Microsoft.AspNetCore.Mvc;
using ZeroPark.Application;
using ZeroPark.Application.Export;
using ZeroPark.Application.SupplyChain;
using ZeroPark.Server.Endpoints;
using ZeroPark.SupplyChain;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>The supply chain page: the product footprint library (import CSV/XLSX/PACT JSON as <c>zeropark footprints import</c>),
/// suppliers ranked by green grade (add, questionnaire link, XLSX report) and the grade thresholds. Changes: administrators and
/// carbon accountants; audited as the signed-in user.</summary>
[RequestSizeLimit(MaxBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxBytes)]
public sealed class SupplyChainModel(ZeroParkStore store) : ZpPageModel(store)
{
    public const long MaxBytes = 32L * 1024 * 1024;
    public IReadOnlyList<StoredFootprint> Footprints { get; private set; } = [];
    public IReadOnlyList<SupplierGrade> Grades { get; private set; } = [];
    public IReadOnlyList<Supplier> Suppliers { get; private set; } = [];
    public IReadOnlyList<Indicator> Indicators { get; private set; } = [];
    public GradeThresholds Thresholds { get; private set; } = new();
    public FootprintImportResult? Imported { get; private set; }
    public string? Link { get; private set; }
    public string? Error { get; private set; }
    public bool CanEdit => UserAccess.Allows(Me.Role, UserAccess.Access.CarbonWrite);

    private async Task<bool> LoadAsync(string park, CancellationToken ct)
    {
        CurrentPark = await ParkIfVisibleAsync(park, ct);
        if (CurrentPark is null) return false;
        Footprints = await Store.SupplyChain.FootprintsAsync(park, ct);
        Grades = await Store.SupplyChain.GradesAsync(park, ct);
        Suppliers = await Store.SupplyChain.SuppliersAsync(park, ct);
        Indicators = await Store.SupplyChain.IndicatorsAsync(park, ct);
        Thresholds = await Store.SupplyChain.ThresholdsAsync(park, ct);
        return true;
    }

    public async Task<IActionResult> OnGetAsync(string park, CancellationToken ct) => await LoadAsync(park, ct) ? Page() : NotFound();

    /// <summary>The shareable grade report.</summary>
    public async Task<IActionResult> OnGetReportAsync(string park, CancellationToken ct)
    {
        if (!await LoadAsync(park, ct)) return NotFound();
        return File(XlsxWriter.ToBytes(SupplyChainFiles.GradeReport(park, Grades, Indicators, Thresholds)), XlsxWriter.ContentType, $"{park}-supplier-grades.xlsx");
    }

    public async Task<IActionResult> OnPostImportAsync(string park, IFormFile? file, CancellationToken ct) => await Change(park, async () =>
    {
        if (file is null || file.Length == 0) { Error = T("sc.nofile"); return; }
        await using var s = file.OpenReadStream();
        var (rows, errors) = FootprintFiles.Parse(s, await Store.SupplyChain.TodayAsync(park, ct), file.FileName);
        Imported = await Store.SupplyChain.ImportFootprintsAsync(park, rows, errors, Me.Name, ct);
    });

    public async Task<IActionResult> OnPostSupplierAsync(string park, string? name, string? contact, CancellationToken ct) => await Change(park, async () =>
    {
        var s = await Store.SupplyChain.AddSupplierAsync(park, name ?? "", contact ?? "", Me.Name, ct);
        await Store.SupplyChain.RegradeSuppliersAsync(park, [s.Name], "supplier added", ct);
    });

    public async Task<IActionResult> OnPostTokenAsync(string park, string? name, CancellationToken ct) => await Change(park, async () =>
        Link = $"{Request.Scheme}://{Request.Host}/supplier-form/{await Store.SupplyChain.IssueTokenAsync(park, name ?? "", Me.Name, ct)}");

    public async Task<IActionResult> OnPostThresholdsAsync(string park, double excellent, double good, double pass, CancellationToken ct) => await Change(park, () =>
        Store.SupplyChain.SetThresholdsAsync(park, new GradeThresholds(excellent, good, pass), Me.Name, ct));

    private async Task<IActionResult> Change(string park, Func<Task> change)
    {
        var ct = HttpContext.RequestAborted;
        if (!await LoadAsync(park, ct)) return NotFound();
        if (!CanEdit) return Forbid();
        try
        {
            await change();
        }
        catch (Exception e) when (e is ValidationException or NotFoundException or ConflictException)
        {
            Error = M(e is ValidationException v ? $"{v.Field}: {v.Message}" : e.Message);
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        await LoadAsync(park, ct);
        return Page();
    }
}
