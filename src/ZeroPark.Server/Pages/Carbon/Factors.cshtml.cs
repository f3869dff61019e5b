using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using ZeroPark.Carbon;
using ZeroPark.Metering;
using ZeroPark.Server.Web;
using ZeroPark.Application;
using ZeroPark.Application.Carbon;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages.Carbon;

/// <summary>
/// The emission factor library (the same records as <c>GET /api/carbon/factors</c>): the latest version of every record, searched
/// and filtered by material, gas, region, dataset and validity; every version of one record. Administrators and carbon
/// accountants add a record with a form or import a CSV file (the import format of <c>zeropark factors import</c>; each bad row
/// is listed with its reason, valid rows are kept). The role is checked by the handlers, not only by hiding the forms; every
/// change is audited with the signed-in user (<see cref="Application.Carbon.CarbonStore.AddFactorsAsync"/>).
/// </summary>
public sealed class FactorsModel(ZeroParkStore store) : ZpPageModel(store), IExportsTables
{
    public const int MaxRows = 500;

    public IReadOnlyList<FactorRecord> Shown { get; private set; } = [];
    public int LatestCount { get; private set; }
    public IReadOnlyList<FactorRecord> Versions { get; private set; } = [];
    public IReadOnlyList<string> Materials { get; private set; } = [];
    public IReadOnlyList<string> GasesInUse { get; private set; } = [];
    public IReadOnlyList<string> Regions { get; private set; } = [];
    public IReadOnlyList<string> Datasets { get; private set; } = [];
    public Filters F { get; private set; } = new(null, null, null, null, null, null, null);
    public string? Error { get; private set; }
    public string? Message { get; private set; }
    public IReadOnlyList<RowError> RowErrors { get; private set; } = [];
    public IReadOnlyList<(FactorRecord Record, string Outcome)> Outcomes { get; private set; } = [];

    public sealed record Filters(string? Q, string? Material, string? Gas, string? Region, string? Dataset, DateOnly? ValidOn, string? Key);

    /// <summary>Adding and importing factors: administrator and carbon accountant (as the API's CarbonWrite).</summary>
    public bool CanWrite => Me.Role is UserRole.Administrator or UserRole.CarbonAccountant;

    public async Task<IActionResult> OnGetAsync(string? park, string? q, string? material, string? gas, string? region, string? dataset,
        [FromQuery(Name = "valid_on")] string? validOn, string? key, CancellationToken ct)
    {
        if (await ContextParkAsync(park, ct) is { } notFound) return notFound;
        DateOnly? on = null;
        if (!string.IsNullOrWhiteSpace(validOn))
        {
            if (!DateOnly.TryParseExact(validOn, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                Error = T("factors.baddate", validOn);
                Response.StatusCode = StatusCodes.Status400BadRequest;
                await LoadAsync(ct);
                return Page();
            }
            on = d;
        }
        F = new Filters(Clean(q), Clean(material), Clean(gas), Clean(region), Clean(dataset), on, Clean(key));
        await LoadAsync(ct);
        return Page();
    }

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    /// <summary>The park of the navigation context (<c>?park=</c>), if the user may see it.</summary>
    private async Task<IActionResult?> ContextParkAsync(string? park, CancellationToken ct)
    {
        await LoadParksAsync(ct);
        if (string.IsNullOrEmpty(park)) return null;
        CurrentPark = VisibleParks.FirstOrDefault(p => p.Code == park);
        return CurrentPark is null ? NotFound() : null;
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var all = await Store.Carbon.FactorsAsync(ct);
        var latest = all.GroupBy(r => r.Key).Select(g => g.MaxBy(r => r.Version)!).ToList();
        LatestCount = latest.Count;
        Materials = latest.Select(r => r.Material).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
        GasesInUse = latest.Select(r => r.Gas).Where(g => g.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
        Regions = latest.Select(r => r.Region).Where(g => g.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList();
        Datasets = latest.Select(r => r.Dataset).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
        static bool Eq(string a, string? b) => b is null || string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
        bool Text(FactorRecord r) => F.Q is not { } q || new[] { r.Material, r.Dataset, r.Region, r.Publisher, r.Document, r.Note, r.Gas, r.Unit }
            .Any(s => s.Contains(q, StringComparison.OrdinalIgnoreCase));
        Shown = latest.Where(r => Eq(r.Material, F.Material) && Eq(r.Gas, F.Gas) && Eq(r.Region, F.Region) && Eq(r.Dataset, F.Dataset)
                                  && (F.ValidOn is not { } on || r.ValidOn(on)) && Text(r))
            .OrderBy(r => r.Material, StringComparer.Ordinal).ThenBy(r => r.Gas, StringComparer.Ordinal).ThenBy(r => r.Dataset, StringComparer.Ordinal)
            .ThenByDescending(r => r.Level).ThenBy(r => r.Region, StringComparer.Ordinal).ThenByDescending(r => r.ValidFrom).Take(MaxRows).ToList();
        if (F.Key is { } key) Versions = all.Where(r => r.Key == key).OrderByDescending(r => r.Version).ToList();
    }

    public string VersionsLink(FactorRecord r) => "/carbon/factors?" + (CurrentPark is null ? "" : "park=" + CurrentPark.Code + "&") + "key=" + Uri.EscapeDataString(r.Key) + "#versions";

    public static string Validity(FactorRecord r) =>
        r.ValidFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " … " + (r.ValidTo?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? T("carbon.open"));

    // ------------------------------------------------------------------ changes (administrator, carbon accountant)

    /// <summary>The add form: the columns of the factor CSV (validated by the same parser as an import).</summary>
    public sealed class FactorForm
    {
        public string? Dataset { get; set; }
        public string? Kind { get; set; }
        public string? Material { get; set; }
        public string? Gas { get; set; }
        public string? Value { get; set; }
        public string? Unit { get; set; }
        public string? Level { get; set; }
        public string? Region { get; set; }
        public string? Application { get; set; }
        public string? Methods { get; set; }
        public string? Publisher { get; set; }
        public string? Document { get; set; }
        public string? DataYear { get; set; }
        public string? ValidFrom { get; set; }
        public string? ValidTo { get; set; }
        public string? Note { get; set; }

        public string ToCsv()
        {
            string[] values = [Dataset ?? "", Kind ?? "", Material ?? "", Gas ?? "", Value ?? "", Unit ?? "", Level ?? "", Region ?? "", Application ?? "", Methods ?? "",
                Publisher ?? "", Document ?? "", DataYear ?? "", ValidFrom ?? "", ValidTo ?? "", "", "", Note ?? ""];
            static string Esc(string s) => "\"" + s.Trim().Replace("\"", "\"\"", StringComparison.Ordinal).Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal) + "\"";
            return string.Join(',', FactorCsv.Columns) + "\n" + string.Join(',', values.Select(Esc)) + "\n";
        }
    }

    [BindProperty] public FactorForm Form { get; set; } = new();

    public async Task<IActionResult> OnPostAddAsync(string? park, CancellationToken ct)
    {
        if (await ContextParkAsync(park, ct) is { } notFound) return notFound;
        if (!CanWrite) return StatusCode(StatusCodes.Status403Forbidden);
        var (records, errors) = FactorCsv.Parse(new MemoryStream(Encoding.UTF8.GetBytes(Form.ToCsv())));
        if (errors.Count > 0)
        {
            Error = T("factors.invalid", string.Join("; ", errors.Select(e => e.Reason)));
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        else
        {
            Outcomes = await Store.Carbon.AddFactorsAsync(records, Me.Name, ct);
            Message = T("factors.added", string.Join(", ", Outcomes.Select(o => $"#{o.Record.Id} v{o.Record.Version} ({T("factors.outcome." + o.Outcome)})")));
            Form = new FactorForm();
            ModelState.Clear();
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostImportAsync(string? park, IFormFile? file, CancellationToken ct)
    {
        if (await ContextParkAsync(park, ct) is { } notFound) return notFound;
        if (!CanWrite) return StatusCode(StatusCodes.Status403Forbidden);
        if (file is null || file.Length == 0)
        {
            Error = T("factors.nofile");
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        else
        {
            await using var s = file.OpenReadStream();
            var ms = new MemoryStream();
            await s.CopyToAsync(ms, ct);
            ms.Position = 0;
            var (records, errors) = FactorCsv.Parse(ms);
            RowErrors = errors;
            Outcomes = records.Count > 0 ? await Store.Carbon.AddFactorsAsync(records, Me.Name, ct) : [];
            Message = T("factors.imported", file.FileName, Outcomes.Count(o => o.Outcome == "added"), Outcomes.Count(o => o.Outcome == "new_version"),
                Outcomes.Count(o => o.Outcome == "unchanged"), errors.Count);
        }
        await LoadAsync(ct);
        return Page();
    }

    // ------------------------------------------------------------------ export

    private static readonly Func<string>[] Columns =
    [
        () => T("carbon.factor.id"), () => T("carbon.version"), () => T("carbon.dataset"), () => T("factors.kind"), () => T("carbon.material"), () => T("carbon.gas"),
        () => T("carbon.value"), () => T("carbon.unit"), () => T("carbon.level"), () => T("carbon.region"), () => T("factors.methods"), () => T("carbon.publisher"),
        () => T("carbon.document"), () => T("carbon.datayear"), () => T("carbon.validfrom"), () => T("carbon.validto"), () => T("factors.createdby"), () => T("carbon.note"),
    ];

    private static object?[] Row(FactorRecord r) =>
    [
        r.Id, r.Version, r.Dataset, FactorCsv.Code(r.Kind), r.Material, r.Gas, r.Value, r.Unit, FactorCsv.Code(r.Level), r.Region, r.Methods, r.Publisher, r.Document,
        r.DataYear, r.ValidFrom, r.ValidTo, r.CreatedBy, r.Note,
    ];

    public IEnumerable<ExportTable> ExportTables()
    {
        var cols = Columns.Select(c => c()).ToList();
        yield return new ExportTable("factors", cols, Shown.Select(Row).ToList());
        yield return new ExportTable("versions", cols, Versions.Select(Row).ToList());
    }
}
