using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using ZeroPark.Application;
using ZeroPark.Application.Evaluations;
using ZeroPark.Evaluations;
using ZeroPark.Server.Endpoints;
using ZeroPark.Server.Web;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>The evaluations of a park and year (the same services as <c>GET /api/parks/{park}/evaluations/{standard}/{year}</c>):
/// T/CA305-2023 (constraints, offsets, the 60 points, grade, what-ifs), T/BFIA 043-2024 (110 points, stars, the choices where the
/// standard contradicts itself) and the green computing indicators; the score breakdown as a chart; the evaluator's form (scores,
/// ticked sub-items, declarations, notes) with preview and save; evidence files; the saved years compared.</summary>
public sealed class EvaluationsModel(ZeroParkStore store, EvaluationService service) : ZpPageModel(store)
{
    public string Standard { get; private set; } = "tca305";
    public int Year { get; private set; }
    public Tca305View? Tca { get; private set; }
    public Bfia043View? Bfia { get; private set; }
    public GreenComputingView? Gcp { get; private set; }
    public EvaluationInputs Inputs { get; private set; } = new();
    public IReadOnlyList<HistoryRow> History { get; private set; } = [];
    public string ChartJson { get; private set; } = "{}";
    public string? Message { get; private set; }
    public string? ErrorMessage { get; private set; }
    public bool Previewing { get; private set; }

    /// <summary>Administrators and energy managers evaluate (the API's write rights).</summary>
    public bool CanEvaluate => UserAccess.Allows(Me.Role, UserAccess.Access.RegistryWrite);

    public IReadOnlyList<ItemView> Items => Tca?.Items ?? Bfia?.Items ?? [];

    public async Task<IActionResult> OnGetAsync(string park, string? standard, int? year, CancellationToken ct)
    {
        if (!await LoadAsync(park, standard, year, ct)) return NotFound();
        await ComputeAsync(null, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(string park, string? standard, int? year, CancellationToken ct)
    {
        if (!await LoadAsync(park, standard, year, ct)) return NotFound();
        if (!CanEvaluate) return StatusCode(StatusCodes.Status403Forbidden);
        EvaluationInputs inputs;
        try { inputs = ReadForm(); }
        catch (ValidationException e) { return await FailAsync(e, ct); }
        var preview = Request.Form["action"] == "preview";
        try
        {
            if (preview)
            {
                Previewing = true;
                await ComputeAsync(inputs, ct);
                Inputs = inputs;
                Message = T("ev.previewed");
                return Page();
            }
            var evaluator = Request.Form["evaluator"].ToString().Trim();
            await service.SaveAsync(park, Standard, Year, inputs, evaluator, Me.Name, ct);
            Message = T("ev.saved");
        }
        catch (ValidationException e) { return await FailAsync(e, ct, inputs); }
        await ComputeAsync(null, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostEvidenceAsync(string park, string? standard, int? year, CancellationToken ct)
    {
        if (!await LoadAsync(park, standard, year, ct)) return NotFound();
        if (!CanEvaluate) return StatusCode(StatusCodes.Status403Forbidden);
        try
        {
            var file = Request.Form.Files.GetFile("file") ?? throw new ValidationException("file", "no file uploaded (multipart field 'file')");
            if (file.Length > EvaluationStore.MaxEvidenceBytes) throw new ValidationException("file", $"'{file.FileName}' is {file.Length} bytes, more than 20 MiB");
            using var ms = new MemoryStream();
            await using (var s = file.OpenReadStream()) await s.CopyToAsync(ms, ct);
            var e = await Store.Evaluations.AddEvidenceAsync(park, Standard, Year, Request.Form["item"].ToString(), file.FileName, file.ContentType, ms.ToArray(), Me.Name, ct);
            Message = T("ev.evidence.added", e.FileName, e.Item);
        }
        catch (ValidationException e) { return await FailAsync(e, ct); }
        await ComputeAsync(null, ct);
        return Page();
    }

    public async Task<IActionResult> OnGetEvidenceAsync(string park, long id, CancellationToken ct)
    {
        if (await ParkIfVisibleAsync(park, ct) is null) return NotFound();
        try
        {
            var (file, content) = await Store.Evaluations.GetEvidenceAsync(park, id, ct);
            return File(content, "application/octet-stream", file.FileName);
        }
        catch (NotFoundException) { return NotFound(); }
    }

    private async Task<IActionResult> FailAsync(ValidationException e, CancellationToken ct, EvaluationInputs? inputs = null)
    {
        ErrorMessage = $"{e.Field}: {M(e.Message)}";
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await ComputeAsync(null, ct);
        if (inputs is not null) Inputs = inputs;
        return Page();
    }

    private async Task<bool> LoadAsync(string park, string? standard, int? year, CancellationToken ct)
    {
        CurrentPark = await ParkIfVisibleAsync(park, ct);
        if (CurrentPark is null) return false;
        Standard = standard is { } s && EvaluationStore.Standards.Contains(s) ? s : "tca305";
        if (year is >= 2000 and <= 2100) Year = year.Value;
        else
        {
            var last = await Store.Queries.LastReadingAtAsync(park, ct);
            Year = last is { } l ? CurrentPark.Clock.LocalDate(l.AddSeconds(-1).ToUnixTimeSeconds()).Year : System.DateTime.UtcNow.Year - 1;
        }
        return true;
    }

    private async Task ComputeAsync(EvaluationInputs? inputs, CancellationToken ct)
    {
        var park = CurrentPark!.Code;
        Inputs = (await Store.Evaluations.GetAsync(park, Standard, Year, ct))?.Inputs ?? new EvaluationInputs();
        IReadOnlyList<GroupView> groups;
        switch (Standard)
        {
            case "tca305":
                Tca = await service.Tca305Async(park, Year, inputs, ct);
                groups = Tca.Groups;
                break;
            case "bfia043":
                Bfia = await service.Bfia043Async(park, Year, inputs, ct);
                groups = Bfia.Groups;
                break;
            default:
                Gcp = await service.GreenComputingAsync(park, Year, inputs, ct);
                groups = Gcp.Indicators.Select(i => new GroupView(IsChinese ? i.Name : i.NameEn, i.NameEn, 100m, i.Score ?? 0m)).ToList();
                break;
        }
        History = await service.HistoryAsync(park, Standard, ct);
        ChartJson = JsonSerializer.Serialize(new
        {
            lang = Lang,
            names = groups.Select(g => IsChinese ? g.Name : g.NameEn).ToList(),
            scores = groups.Select(g => g.Score).ToList(),
            max = groups.Select(g => g.Max).ToList(),
            labels = new { score = T("ev.score"), max = T("ev.max") },
        });
    }

    /// <summary>The evaluator's form: s.{code} score, c.{code} ticked sub-items, d.{code} declared, n.{code} note; the declared
    /// offset ratio (%), the compute capacity and the weights w.{code}.</summary>
    private EvaluationInputs ReadForm()
    {
        var f = Request.Form;
        var items = new Dictionary<string, ItemInput>(StringComparer.Ordinal);
        IEnumerable<string> codes = Standard switch
        {
            "tca305" => Tca305Catalogue.Items.Select(i => i.Code).Concat(Tca305Catalogue.Requirements.Select(r => r.Code)),
            "bfia043" => Bfia043Catalogue.Items.Select(i => i.Code),
            _ => [],
        };
        foreach (var code in codes)
        {
            var score = Dec(f[$"s.{code}"].ToString(), $"s.{code}");
            var ticked = f[$"c.{code}"].Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).ToList();
            var declared = f[$"d.{code}"].ToString() switch { "yes" => true, "no" => false, _ => (bool?)null };
            var note = f[$"n.{code}"].ToString().Trim();
            var sub = Standard == "tca305" ? Tca305Catalogue.Items.FirstOrDefault(i => i.Code == code) : Bfia043Catalogue.Items.FirstOrDefault(i => i.Code == code);
            if (score is null && ticked.Count == 0 && declared is null && note.Length == 0 && !(sub?.Subs.Count > 0 && f.ContainsKey($"c.{code}.shown"))) continue;
            items[code] = new ItemInput { Score = score, Checked = sub?.Subs.Count > 0 ? ticked : null, Declared = declared, Note = note.Length == 0 ? null : note };
        }
        var weights = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var i in GreenComputing.Defaults)
            if (Dec(f[$"w.{i.Code}"].ToString(), $"w.{i.Code}") is { } w) weights[i.Code] = w;
        var ratioPct = Dec(f["declared_offset_ratio"].ToString(), "declared_offset_ratio");
        return new EvaluationInputs
        {
            Items = items, DeclaredOffsetRatio = ratioPct / 100m,
            Weights = weights.Count > 0 ? weights : null,
            ComputeCapacityTflops = Dec(f["compute_capacity_tflops"].ToString(), "compute_capacity_tflops"),
        };
    }

    private static decimal? Dec(string s, string field) =>
        string.IsNullOrWhiteSpace(s) ? null
        : decimal.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d
        : throw new ValidationException(field, $"'{s}' is not a number");

    public ItemInput? Entry(string code) => Inputs.Items.GetValueOrDefault(code);

    public static string D(decimal? v, string f = "0.##") => v?.ToString(f, CultureInfo.CurrentCulture) ?? "—";

    public static string Pct(decimal? v) => v is { } x ? (x * 100m).ToString("0.##", CultureInfo.CurrentCulture) + " %" : "—";

    public string Name(ItemView i) => IsChinese ? i.Name : i.NameEn;
}
