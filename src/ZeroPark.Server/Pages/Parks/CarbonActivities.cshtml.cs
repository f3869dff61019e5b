using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using ZeroPark.Application;
using ZeroPark.Application.Carbon;
using ZeroPark.Carbon;
using ZeroPark.Metering;
using ZeroPark.Server.Endpoints;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>The park's non-metered activity data (fuel, refrigerant, suppressant, SF6, purchased heat, scope 3) for the carbon
/// accountant: the records of a period (filter by source), entering one record, correcting one (audited: <c>correct</c>/<c>activity</c>
/// with the old and new record; inventories use the corrected data) and importing a CSV file through the parser of
/// <c>zeropark activities import</c> (refused rows with their line and reason, valid rows kept). Every form goes through
/// <see cref="ActivityCsv"/>, so a form refuses exactly what a file would. Writes: administrator and carbon accountant (checked here).</summary>
public sealed class CarbonActivitiesModel(ZeroParkStore store) : DataPageModel(store)
{
    public static readonly string[] Fields = ["date", "source", "material", "amount", "unit", "scope3_category", "note", "evidence", "space", "supplier"];

    public bool CanWrite => UserAccess.Allows(Me.Role, UserAccess.Access.CarbonWrite);
    public DateOnly From { get; private set; }
    public string FromText => From == DateOnly.MinValue ? "" : From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    public string ToText => To == DateOnly.MaxValue ? "" : To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    public DateOnly To { get; private set; }
    public string? SourceFilter { get; private set; }
    public IReadOnlyList<StoredActivity> Records { get; private set; } = [];
    public IReadOnlyList<RowError> Refused { get; private set; } = [];
    public long? EditId { get; private set; }
    public Dictionary<string, string> Form { get; } = new(StringComparer.Ordinal);
    public string V(string field) => Form.TryGetValue(field, out var v) ? v : "";

    public async Task<IActionResult> OnGetAsync(string park, string? from, string? to, string? source, long? edit, CancellationToken ct)
    {
        if (!await LoadAsync(park, ct)) return NotFound();
        await ListAsync(from, to, source, ct);
        if (edit is { } id && Records.FirstOrDefault(r => r.Id == id) is { } rec)
        {
            EditId = id;
            Fill(rec);
        }
        return Page();
    }

    private async Task ListAsync(string? from, string? to, string? source, CancellationToken ct)
    {
        // No period given: every record of the park.
        From = DateOnly.TryParseExact(from, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var f) ? f : DateOnly.MinValue;
        To = DateOnly.TryParseExact(to, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : DateOnly.MaxValue;
        SourceFilter = source is { Length: > 0 } ? source : null;
        var all = await Store.Carbon.ActivitiesAsync(Park.Code, From, To, ct);
        Records = SourceFilter is null ? all : all.Where(a => a.Source == SourceFilter).ToList();
    }

    private void Fill(StoredActivity a)
    {
        Form["date"] = a.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Form["source"] = a.Source;
        Form["material"] = a.Material;
        Form["amount"] = a.Amount.ToString("R", CultureInfo.InvariantCulture);
        Form["unit"] = a.Unit;
        Form["scope3_category"] = a.Scope3Category?.ToString(CultureInfo.InvariantCulture) ?? "";
        Form["note"] = a.Note;
        Form["evidence"] = a.Evidence;
        Form["space"] = a.Space ?? "";
        Form["supplier"] = a.Supplier ?? "";
    }

    private (ActivityRow? Row, string? Error) ParseForm()
    {
        foreach (var f in Fields) Form[f] = Request.Form[f].ToString().Trim();
        var (row, error) = ActivityCsv.ParseOne(Form.ToDictionary(k => k.Key, k => (string?)k.Value));
        if (error is not null) { ErrorMessage = T("cad.invalid", M(error)); Response.StatusCode = StatusCodes.Status400BadRequest; }
        return (row, error);
    }

    public async Task<IActionResult> OnPostAddAsync(string park, CancellationToken ct)
    {
        if (!await LoadAsync(park, ct)) return NotFound();
        if (!CanWrite) return Forbidden();
        var (row, _) = ParseForm();
        if (row is not null)
        {
            var r = await Store.Carbon.ImportActivitiesAsync(park, [row], [], Me.Name, ct);
            if (r.Rejected.Count > 0) { ErrorMessage = T("cad.invalid", M(r.Rejected[0].Reason)); Response.StatusCode = StatusCodes.Status400BadRequest; }
            else
            {
                Message = r.Accepted == 1 ? T("cad.added") : r.Corrected == 1 ? T("cad.corrected") : T("cad.duplicate");
                Form.Clear();
            }
        }
        await ListAsync(Request.Query["from"], Request.Query["to"], Request.Query["source"], ct);
        return Page();
    }

    public async Task<IActionResult> OnPostUpdateAsync(string park, long id, string? reason, CancellationToken ct)
    {
        if (!await LoadAsync(park, ct)) return NotFound();
        if (!CanWrite) return Forbidden();
        var (row, _) = ParseForm();
        if (row is not null)
        {
            try
            {
                var a = await Store.Carbon.UpdateActivityAsync(park, id, row, (reason ?? "").Trim(), Me.Name, ct);
                Message = T("cad.updated", a.Id);
                Form.Clear();
            }
            catch (Exception e) when (e is ValidationException or ConflictException or NotFoundException) { Show(e); EditId = id; }
        }
        else EditId = id;
        await ListAsync(Request.Query["from"], Request.Query["to"], Request.Query["source"], ct);
        return Page();
    }

    public async Task<IActionResult> OnPostImportAsync(string park, IFormFile? file, CancellationToken ct)
    {
        if (!await LoadAsync(park, ct)) return NotFound();
        if (!CanWrite) return Forbidden();
        if (file is null || file.Length == 0) { ErrorMessage = T("cad.nofile"); Response.StatusCode = StatusCodes.Status400BadRequest; }
        else
        {
            IReadOnlyList<ActivityRow> rows;
            IReadOnlyList<RowError> errors;
            await using (var s = file.OpenReadStream()) (rows, errors) = ActivityCsv.Parse(s);
            var r = await Store.Carbon.ImportActivitiesAsync(park, rows, errors, Me.Name, ct);
            Message = T("cad.imported", r.Accepted, r.Duplicates, r.Corrected, r.Rejected.Count);
            Refused = r.Rejected;
        }
        await ListAsync(Request.Query["from"], Request.Query["to"], Request.Query["source"], ct);
        return Page();
    }
}
