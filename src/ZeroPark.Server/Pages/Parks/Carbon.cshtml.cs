using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using ZeroPark.Carbon;
using ZeroPark.Server.Web;
using ZeroPark.Application;
using ZeroPark.Application.Carbon;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>
/// The carbon inventory of a park (the same <see cref="InventoryView"/> as <c>GET …/carbon/inventory</c>): totals by scope with
/// scope 2 location- and market-based, subtotals by category, source, gas, space and system; every figure drills down to the
/// lines it sums (<c>dim</c>/<c>key</c>) and every line to its trace (<c>line</c>, <see cref="CarbonService.Explain"/>). Saved
/// versions (<c>version</c>) with their diff; saving and finalizing are for administrators and carbon accountants (checked here,
/// not only hidden).
/// </summary>
public sealed class CarbonModel(ZeroParkStore store, CarbonService carbonService) : ZpPageModel(store), IExportsTables
{
    /// <summary>The dimensions shown as subtotal tables (InventoryView.Dimensions without scope and material).</summary>
    public static readonly string[] SubtotalDimensions = ["iso_category", "scope3_category", "source", "gas", "space", "system"];

    public CarbonQuery? Query { get; private set; }
    public string? Error { get; private set; }
    public InventoryView? View { get; private set; }
    public StoredInventory? Stored { get; private set; }
    public InventoryDiff? Diff { get; private set; }
    public IReadOnlyList<StoredInventory> Versions { get; private set; } = [];
    public ExplainView? Trace { get; private set; }
    public string? Dim { get; private set; }
    public string? Key { get; private set; }
    public IReadOnlyList<LineView> ShownLines { get; private set; } = [];
    public string? Message { get; private set; }

    /// <summary>Saving and finalizing inventory versions: administrator and carbon accountant (as the API's CarbonWrite).</summary>
    public bool CanWrite => Me.Role is UserRole.Administrator or UserRole.CarbonAccountant;

    public async Task<IActionResult> OnGetAsync(string park, string? year, string? from, string? to, string? method, string? gwp, long? version, string? line,
        string? dim, string? key, string? msg, CancellationToken ct)
    {
        try
        {
            return await LoadAsync(park, year, from, to, method, gwp, version, line, dim, key, msg, ct);
        }
        catch (NotFoundException)
        {
            return NotFound();   // an unknown version or line: the 404 page
        }
    }

    private async Task<IActionResult> LoadAsync(string park, string? year, string? from, string? to, string? method, string? gwp, long? version, string? line,
        string? dim, string? key, string? msg, CancellationToken ct)
    {
        CurrentPark = await ParkIfVisibleAsync(park, ct);
        if (CurrentPark is null) return NotFound();
        Versions = (await Store.Carbon.InventoriesAsync(park, null, ct)).OrderByDescending(i => i.Id).ToList();
        Message = msg switch { "saved" => T("carbon.saved"), "unchanged" => T("carbon.unchanged"), "finalized" => T("carbon.finalizeddone"), _ => null };
        var service = carbonService;
        InventoryResult result;
        if (version is { } id)
        {
            (Stored, result) = await service.LoadAsync(park, id, ct);
            Query = new CarbonQuery(Stored.From, Stored.To, Stored.From.Day == 1 && Stored.From.Month == 1 && Stored.To == new DateOnly(Stored.From.Year, 12, 31) ? Stored.From.Year : null,
                AccountingMethods.Parse(Stored.Method), Gases.ParseSet(Stored.Gwp));
            Diff = Stored.DiffJson is { Length: > 0 } dj ? JsonSerializer.Deserialize<InventoryDiff>(dj, CarbonJson.Options) : null;
        }
        else
        {
            (Query, Error) = await CarbonQuery.ReadAsync(Store, CurrentPark, year, from, to, method, gwp, ct);
            if (Query is null)
            {
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
            }
            result = await service.ComputeAsync(park, null, Query.From, Query.To, Query.Method, Query.Gwp, null, ct);
        }
        View = InventoryView.Of(park, result, Stored);
        if (!string.IsNullOrWhiteSpace(line))
            Trace = CarbonService.Explain(park, Stored?.Id, result, line);
        Dim = string.IsNullOrWhiteSpace(dim) ? null : dim.Trim();
        Key = Dim is null ? null : key ?? "";
        if (Dim is not null && !InventoryView.Dimensions.Contains(Dim) && Dim != "total")
        {
            Error = T("carbon.baddim", Dim);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        ShownLines = Dim is null ? View.Lines : View.Lines.Concat(View.MemoItems).Where(l => Matches(l, Dim, Key!, View.Boundary)).ToList();
        return Page();
    }

    /// <summary>Whether a line is part of a figure: a total or a subtotal of a dimension (the same grouping as InventoryResult.By;
    /// market-based lines count only in the scope totals).</summary>
    public static bool Matches(LineView l, string dim, string key, string boundary)
    {
        if (dim == "total") return l.Scope != "memo" && (key == "market" ? l.Basis != "location" : l.Basis != "market");
        if (dim == "scope")
            return key switch
            {
                "scope2_location" => l.Scope == "scope2" && l.Basis != "market",
                "scope2_market" => l.Scope == "scope2" && l.Basis != "location",
                _ => l.Scope == key,
            };
        if (l.Basis == "market" || l.Scope == "memo") return false;
        return dim switch
        {
            "iso_category" => "category " + l.IsoCategory == key,
            "scope3_category" => l.Scope == "scope3" && key.StartsWith(l.Scope3Category + ".", StringComparison.Ordinal),
            "source" => l.Source == key,
            "space" => (l.Space ?? boundary) == key,
            "system" => (l.System ?? "(none)") == key,
            "material" => l.Material == key,
            "gas" => l.Gases.Any(g => g.Gas == key),
            _ => false,
        };
    }

    public string Link(string? extra = null) =>
        $"/parks/{CurrentPark!.Code}/carbon?" + (Stored is not null ? "version=" + Stored.Id : Query!.Qs) + (extra is null ? "" : "&" + extra);

    public string DrillLink(string dim, string key) => Link("dim=" + Uri.EscapeDataString(dim) + "&key=" + Uri.EscapeDataString(key)) + "#lines";

    public string TraceLink(string line) =>
        Link((Dim is null ? "" : "dim=" + Uri.EscapeDataString(Dim) + "&key=" + Uri.EscapeDataString(Key ?? "") + "&") + "line=" + Uri.EscapeDataString(line)) + "#trace";

    /// <summary>The label of a subtotal key in the request's language.</summary>
    public string KeyLabel(string dim, string key) => dim switch
    {
        "source" => CarbonText.Source(key),
        "iso_category" when key.StartsWith("category ", StringComparison.Ordinal) => T("carbon.isocat", key["category ".Length..]),
        "system" when key == "(none)" => T("carbon.nosystem"),
        _ => key,
    };

    public string DimLabel(string dim) => T("carbon.dim." + dim);

    // ------------------------------------------------------------------ changes (administrator, carbon accountant)

    [BindProperty] public string? Reason { get; set; }

    public async Task<IActionResult> OnPostSaveAsync(string park, string? year, string? from, string? to, string? method, string? gwp, CancellationToken ct)
    {
        CurrentPark = await ParkIfVisibleAsync(park, ct);
        if (CurrentPark is null) return NotFound();
        if (!CanWrite) return StatusCode(StatusCodes.Status403Forbidden);
        var (q, error) = await CarbonQuery.ReadAsync(Store, CurrentPark, year, from, to, method, gwp, ct);
        if (q is null) return BadRequest(error ?? "");
        var (stored, created, _) = await carbonService.SaveAsync(park, null, q.From, q.To, q.Method, q.Gwp, null, Reason?.Trim() ?? "", Me.Name, ct);
        return Redirect($"/parks/{park}/carbon?version={stored.Id}&msg={(created ? "saved" : "unchanged")}");
    }

    public async Task<IActionResult> OnPostFinalizeAsync(string park, long id, CancellationToken ct)
    {
        CurrentPark = await ParkIfVisibleAsync(park, ct);
        if (CurrentPark is null) return NotFound();
        if (!CanWrite) return StatusCode(StatusCodes.Status403Forbidden);
        try
        {
            await HttpContext.RequestServices.GetRequiredService<ZeroPark.Application.Reports.SealService>().FinalizeAsync(park, id, Me.Name, ct);
        }
        catch (ConflictException)
        {
            return Redirect($"/parks/{park}/carbon?version={id}");
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        return Redirect($"/parks/{park}/carbon?version={id}&msg=finalized");
    }

    // ------------------------------------------------------------------ export

    public IEnumerable<ExportTable> ExportTables()
    {
        if (View is null) yield break;
        var v = View;
        yield return new ExportTable("totals", [T("carbon.figure"), T("carbon.co2e") + " (tCO2e)"],
        [
            [T("carbon.scope.scope1"), v.Scope1T], [T("carbon.scope.scope2.location"), v.Scope2LocationT], [T("carbon.scope.scope2.market"), v.Scope2MarketT],
            [T("carbon.scope.scope3"), v.Scope3T], [T("carbon.total.location"), v.TotalLocationT], [T("carbon.total.market"), v.TotalMarketT],
        ]);
        string[] lineCols =
        [
            T("carbon.line"), T("carbon.scope"), T("carbon.source"), T("carbon.material"), T("carbon.activity"), T("carbon.unit"), T("carbon.factor"),
            T("carbon.factorsource"), T("carbon.co2e") + " (tCO2e)", T("carbon.dim.space"), T("carbon.dim.system"),
        ];
        object?[] Line(LineView l) =>
            [l.Id, CarbonText.Scope(l.Scope, l.Basis), CarbonText.Source(l.Source), l.Material, l.Activity, l.Unit, l.Factor, l.FactorSource, l.Co2eT, l.Space, l.System];
        yield return new ExportTable("lines", lineCols, ShownLines.Select(Line).ToList());
        yield return new ExportTable("memo", lineCols, v.MemoItems.Select(Line).ToList());
        foreach (var d in SubtotalDimensions)
            yield return new ExportTable("by-" + d, [DimLabel(d), T("carbon.co2e") + " (tCO2e)", T("carbon.kg")],
                v.By[d].Select(s => new object?[] { KeyLabel(d, s.Key), s.Co2eTonnes, s.Kilograms }).ToList());
        yield return new ExportTable("market", [T("carbon.instrument"), T("carbon.kind"), T("carbon.available") + " (kWh)", T("carbon.applied") + " (kWh)",
                T("carbon.unused") + " (kWh)", T("carbon.factor") + " (kgCO2e/kWh)", T("carbon.note")],
            v.Market.Instruments.Select(i => new object?[] { i.Reference, i.Kind, i.AvailableKwh, i.AppliedKwh, i.UnusedKwh, i.FactorKgPerKwh, i.Note }).ToList());
        yield return new ExportTable("versions", [T("carbon.version"), T("carbon.status"), T("carbon.period"), T("carbon.method"), T("carbon.gwp"),
                T("carbon.scope.scope1") + " (tCO2e)", T("carbon.scope.scope2.location") + " (tCO2e)", T("carbon.scope.scope2.market") + " (tCO2e)",
                T("carbon.scope.scope3") + " (tCO2e)", T("carbon.reason"), T("carbon.savedby"), T("carbon.savedat"), T("carbon.finalizedby")],
            Versions.Select(i => new object?[]
            {
                $"#{i.Id} v{i.Version}", i.Status, $"{i.From:yyyy-MM-dd}…{i.To:yyyy-MM-dd}", i.Method, i.Gwp, i.Scope1T, i.Scope2LocationT, i.Scope2MarketT, i.Scope3T,
                i.Reason, i.CreatedBy, i.CreatedAt, i.FinalizedBy,
            }).ToList());
        if (Diff is { } diff)
            yield return new ExportTable("diff", [T("carbon.diff.key"), T("carbon.diff.before") + " (tCO2e)", T("carbon.diff.after") + " (tCO2e)", T("carbon.diff.delta") + " (tCO2e)", T("carbon.diff.what")],
                diff.Changes.Select(c => new object?[] { c.Key, c.BeforeT, c.AfterT, c.DeltaT, c.What }).ToList());
        if (Trace is { } t)
            yield return new ExportTable("trace-factors", [T("carbon.factor.id"), T("carbon.factor.role"), T("carbon.dataset"), T("carbon.material"), T("carbon.gas"),
                    T("carbon.value"), T("carbon.unit"), T("carbon.level"), T("carbon.region"), T("carbon.publisher"), T("carbon.document"), T("carbon.datayear"),
                    T("carbon.validfrom"), T("carbon.validto"), T("carbon.reasonchosen")],
                t.Factors.Select(f => new object?[] { $"#{f.Id} v{f.Version}", f.Role, f.Dataset, f.Material, f.Gas, f.Value, f.Unit, f.Level, f.Region, f.Publisher,
                    f.Document, f.DataYear, f.ValidFrom, f.ValidTo, f.Reason }).ToList());
    }
}
