using Microsoft.AspNetCore.Mvc;
using ZeroPark.Application;
using ZeroPark.Application.Readings.Import;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>
/// File import through the same path as <c>zeropark import</c> and <c>POST …/import</c> (<see cref="FileImport"/>): a readings
/// CSV/TXT/XLSX with optional encoding and column mapping, or a meters CSV (all or nothing, as <c>zeropark meters import</c>).
/// The answer shows accepted / duplicates / corrected and every rejected row with its line and reason; the valid rows are
/// stored. Readings: administrators, energy managers and data-entry operators; meters (a registry change): administrators and
/// energy managers. Audited as the signed-in user.
/// </summary>
[RequestSizeLimit(MaxBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxBytes)]
public sealed class ImportModel(ZeroParkStore store, ImportLimits limits) : DataPageModel(store)
{
    public const long MaxBytes = 200L * 1024 * 1024;
    public const int MaxRowsShown = 1000;

    public static readonly string[] MappingFields = ["meter", "timestamp", "start", "value", "timestamp_format", "time_zone", "encoding", "mapping"];

    public Dictionary<string, string?> Form { get; } = new(StringComparer.Ordinal);
    public string What { get; private set; } = "readings";
    public FileImportResult? Result { get; private set; }
    public MeterImportResult? Meters { get; private set; }
    public string? FileName { get; private set; }

    public async Task<IActionResult> OnGetAsync(string park, CancellationToken ct)
    {
        if (!await LoadAsync(park, ct)) return NotFound();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string park, IFormFile? file, CancellationToken ct)
    {
        if (!await LoadAsync(park, ct)) return NotFound();
        What = Request.Form["what"].ToString() == "meters" ? "meters" : "readings";
        if (!(What == "meters" ? CanEditRegistry : CanEnterData)) return Forbidden();
        foreach (var f in MappingFields) Form[f] = Request.Form[f].ToString().Trim();
        Form["decimal_comma"] = Request.Form["decimal_comma"].ToString();
        if (file is null || file.Length == 0)
        {
            Invalid("file", T("imp.nofile"));
            return Page();
        }
        FileName = Path.GetFileName(file.FileName);
        try
        {
            await using var stream = file.OpenReadStream();
            if (What == "meters")
            {
                Meters = await FileImport.ImportMetersAsync(Store, park, stream, Me.Name, ct);
                if (Meters.Errors.Count > 0) Response.StatusCode = StatusCodes.Status400BadRequest;
            }
            else
            {
                var mapping = Mapping();
                if (Errors.Count > 0) return Page();
                Result = await FileImport.ImportReadingsAsync(Store, park, stream, FileName, mapping, Me.Name, limits: limits, wholeDays: true, ct: ct);
                if (Result.FileError is { } fileError) Invalid(Result.FileErrorField, fileError);
                if (Result.TooLarge) Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            }
        }
        catch (Exception e) when (e is ValidationException or ConflictException)
        {
            Show(e);
        }
        return Page();
    }

    /// <summary>The column mapping from the form: the JSON box (every key of the mapping format), then the single fields on top.
    /// Null when nothing is set (the plain format: timestamps need an offset).</summary>
    private ColumnMapping? Mapping()
    {
        ColumnMapping? mapping = null;
        if (Form["mapping"] is { Length: > 0 } json)
        {
            try { mapping = ColumnMapping.FromJson(json); }
            catch (FormatException e)
            {
                Invalid("mapping", ZeroPark.Server.Web.UiText.M(e.Message));
                return null;
            }
        }
        string? F(string key) => Form[key] is { Length: > 0 } v ? v : null;
        var decimalComma = Form["decimal_comma"] is "true" or "on";
        if (F("meter") is null && F("timestamp") is null && F("start") is null && F("value") is null && F("timestamp_format") is null
            && F("time_zone") is null && F("encoding") is null && !decimalComma)
            return mapping;
        mapping ??= new ColumnMapping();
        return mapping with
        {
            Meter = F("meter") ?? mapping.Meter,
            Timestamp = F("timestamp") ?? mapping.Timestamp,
            Start = F("start") ?? mapping.Start,
            Value = F("value") ?? mapping.Value,
            TimestampFormat = F("timestamp_format") ?? mapping.TimestampFormat,
            TimeZone = F("time_zone") ?? mapping.TimeZone,
            Encoding = F("encoding") ?? mapping.Encoding,
            DecimalComma = decimalComma || mapping.DecimalComma,
        };
    }

    public string? V(string field) => Form.TryGetValue(field, out var v) ? v : null;

    /// <summary>Whether any mapping option was sent (the options stay open on the answer).</summary>
    public bool MappingFieldsSet => MappingFields.Any(f => !string.IsNullOrEmpty(V(f))) || V("decimal_comma") is "true" or "on";
}
