using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ZeroPark.Carbon;
using ZeroPark.Application;
using ZeroPark.Application.Carbon;
using ZeroPark.Application.Export;

namespace ZeroPark.Server.Endpoints;

/// <summary>Carbon accounting (issue 4): inventory (computed or saved versions), explain, emission series and CUE, analysis,
/// activity records, instruments, settings and the factor library. Same JSON as the CLI's <c>--format json</c>.</summary>
internal static class CarbonEndpoints
{
    private const string InventoryParameters =
        "node = building or space code (default: the park); year = YYYY, or from/to = local dates YYYY-MM-DD (inclusive); method = ghgp (default) | iso14064 | " +
        "cn-guideline; gwp = SAR | AR4 | AR5 | AR6 (default); grid_dataset = MEE-NBS (default) | ETS | your dataset; residual = residual (default) | location. " +
        "Emissions in tCO2e; every line names its factor records (ids) and source; /explain gives the full trace.";

    public sealed record SaveRequest(string? Node, string? Year, string? From, string? To, string? Method, string? Gwp, string? GridDataset, string? Residual,
        string? Reason);

    public sealed record SaveResponse(bool Created, InventoryView Inventory, InventoryDiff? Diff);

    public sealed record InstrumentRequest(string Kind, double Quantity, string? Unit, double? Factor, string CoverFrom, string CoverTo, string? Region, string Reference,
        string? Note);

    public sealed record FactorImportResponse(IReadOnlyList<FactorImportOutcome> Stored, IReadOnlyList<RowErrorView> Rejected);

    public sealed record FactorImportOutcome(long Id, int Version, string Outcome, string Key);

    public sealed record RowErrorView(int Line, string Reason);

    /// <summary>The whole corrected record (as a CSV row of the import) and why it was corrected (kept in the audit log).</summary>
    public sealed record ActivityUpdateRequest(string Date, string Source, string Material, double Amount, string Unit, int? Scope3Category = null, string? Note = null,
        string? Evidence = null, string? Space = null, double? Density = null, double? Ncv = null, string? Supplier = null, string? Reason = null);

    public sealed record ActivityImportResponse(int Accepted, int Duplicates, int Corrected, IReadOnlyList<RowErrorView> Rejected);

    public static void MapCarbonEndpoints(this IEndpointRouteBuilder api)
    {
        var g = api.MapGroup("/parks/{park}/carbon").WithTags("Carbon");

        g.MapGet("/inventory", GetInventory)
            .WithSummary("GHG inventory for a boundary and period: scope 1, scope 2 location- and market-based, scope 3, memo items, lines with factors and sources, subtotals")
            .WithDescription(InventoryParameters + " format = json (default) | xlsx.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        g.MapGet("/explain", ExplainLine)
            .WithSummary("The trace of one line of a computed inventory: activity and origins, factor records with why they were chosen, GWP, method, formula, steps")
            .WithDescription("line = L1, L2, … as in /inventory. " + InventoryParameters)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        g.MapGet("/inventories", ListInventories)
            .WithSummary("Saved inventory versions (drafts and final) with totals; the result JSON is at /inventories/{id}")
            .ProducesProblem(StatusCodes.Status404NotFound);

        g.MapPost("/inventories", SaveInventory)
            .WithSummary("Save the inventory as a new version if anything changed since the latest saved one (restatement with a diff; base-year recalculation flag)")
            .WithDescription(InventoryParameters)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        g.MapGet("/inventories/{id:long}", GetSavedInventory)
            .WithSummary("A saved inventory version exactly as it was saved").ProducesProblem(StatusCodes.Status404NotFound);

        g.MapGet("/inventories/{id:long}/explain/{line}", ExplainSavedLine)
            .WithSummary("The trace of one line of a saved inventory version").ProducesProblem(StatusCodes.Status404NotFound);

        g.MapPost("/inventories/{id:long}/finalize", FinalizeInventory)
            .WithSummary("Mark a saved version final and seal it (it never changes; later changes become new versions; GET /api/parks/{park}/seals verifies)")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        g.MapGet("/series", EmissionSeries)
            .WithSummary("Emissions from metered energy per hour/day/month/year (grid electricity × location factor of the day, metered fuel) and CUE")
            .WithDescription("from/to local dates (inclusive); by = hour | day (default) | month | year; method, gwp as for /inventory.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        g.MapGet("/analysis", Analysis)
            .WithSummary("Carbon analysis: statistics, trend with YoY, intensity, benchmark, sensitivity, regression on IT load, anomalies")
            .WithDescription(InventoryParameters + " sensitivity_pct (default 10), anomaly_pct (default 10).")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        g.MapPost("/activities", ImportActivities)
            .DocumentBody(null, "text/csv")
            .WithSummary("Import activity records (CSV: date,source,material,amount,unit,scope3_category,note[,evidence,space,density,ncv]); per-row errors, valid rows kept")
            .ProducesProblem(StatusCodes.Status404NotFound);

        g.MapPut("/activities/{id:long}", UpdateActivity)
            .WithSummary("Correct one activity record (checked like an imported row; audited with old and new values; inventories use the corrected data)")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        g.MapGet("/activities", ListActivities)
            .WithSummary("Activity records of a period with who entered them").ProducesProblem(StatusCodes.Status404NotFound);

        g.MapGet("/instruments", ListInstruments)
            .WithSummary("Contractual instruments (GEC, green power, supplier rates)").ProducesProblem(StatusCodes.Status404NotFound);

        g.MapPost("/instruments", AddInstrument)
            .WithSummary("Record a contractual instrument (1 GEC = 1 MWh); a reference is recorded once")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);

        g.MapGet("/settings", ListSettings)
            .WithSummary("Carbon settings of the park: " + string.Join(", ", CarbonService.SettingKeys));

        g.MapPut("/settings/{key}", SetSetting)
            .WithSummary("Set (or with no value remove) a carbon setting").ProducesValidationProblem();

        var f = api.MapGroup("/carbon/factors").WithTags("Carbon");
        f.MapGet("", ListFactors)
            .WithSummary("The factor library (latest version of each record); format=csv exports the import format with id and version")
            .ProducesValidationProblem();

        f.MapPost("", ImportFactors)
            .DocumentBody(null, "text/csv")
            .WithSummary("Add factor records from CSV; an existing key gets a new version (nothing is overwritten)");
    }

    private static async Task<Results<Ok<InventoryView>, FileContentHttpResult>> GetInventory(string park, [FromQuery] string? node,
        [FromQuery] string? year, [FromQuery(Name = "from")] string? from, [FromQuery(Name = "to")] string? to, [FromQuery] string? method,
        [FromQuery] string? gwp, [FromQuery(Name = "grid_dataset")] string? gridDataset, [FromQuery] string? residual,
        [FromQuery] string? format, ZeroParkStore store, CarbonService carbonService, CancellationToken ct)
    {
        var (a, b) = Period(year, from, to);
        var r = await carbonService.ComputeAsync(park, Node(node), a, b, Method(method), Gwp(gwp), Options(gridDataset, residual), ct);
        var view = InventoryView.Of(park, r);
        return IsXlsx(format) ? TypedResults.File(XlsxWriter.ToBytes(CarbonTables.Inventory(view)), XlsxWriter.ContentType, $"{park}-inventory.xlsx") : TypedResults.Ok(view);
    }

    private static async Task<Ok<ExplainView>> ExplainLine(string park, [FromQuery] string? line, [FromQuery] string? node, [FromQuery] string? year,
        [FromQuery(Name = "from")] string? from, [FromQuery(Name = "to")] string? to, [FromQuery] string? method, [FromQuery] string? gwp,
        [FromQuery(Name = "grid_dataset")] string? gridDataset, [FromQuery] string? residual, ZeroParkStore store,
        CarbonService carbonService, CancellationToken ct)
    {
        var (a, b) = Period(year, from, to);
        var r = await carbonService.ComputeAsync(park, Node(node), a, b, Method(method), Gwp(gwp), Options(gridDataset, residual), ct);
        return TypedResults.Ok(CarbonService.Explain(park, null, r, Required(line, "line")));
    }

    private static async Task<Ok<List<StoredInventory>>> ListInventories(string park, ZeroParkStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.Carbon.InventoriesAsync(park, null, ct)).Select(i => i with { ResultJson = "", DiffJson = null }).ToList());

    private static async Task<Ok<SaveResponse>> SaveInventory(string park, SaveRequest body, HttpContext http, ZeroParkStore store,
        CarbonService carbonService, CancellationToken ct)
    {
        var (a, b) = Period(body.Year, body.From, body.To);
        var service = carbonService;
        var (stored, created, diff) = await service.SaveAsync(park, Node(body.Node), a, b, Method(body.Method), Gwp(body.Gwp), Options(body.GridDataset, body.Residual),
            body.Reason ?? "", UserAccess.Actor(http), ct);
        var (_, result) = await service.LoadAsync(park, stored.Id, ct);
        return TypedResults.Ok(new SaveResponse(created, InventoryView.Of(park, result, stored), diff));
    }

    private static async Task<Ok<InventoryView>> GetSavedInventory(string park, long id, ZeroParkStore store, CarbonService carbonService, CancellationToken ct)
    {
        var (stored, result) = await carbonService.LoadAsync(park, id, ct);
        return TypedResults.Ok(InventoryView.Of(park, result, stored));
    }

    private static async Task<Ok<ExplainView>> ExplainSavedLine(string park, long id, string line, ZeroParkStore store, CarbonService carbonService,
        CancellationToken ct)
    {
        var (_, result) = await carbonService.LoadAsync(park, id, ct);
        return TypedResults.Ok(CarbonService.Explain(park, id, result, line));
    }

    private static async Task<Ok<StoredInventory>> FinalizeInventory(string park, long id, HttpContext http, ZeroPark.Application.Reports.SealService seals, CancellationToken ct) =>
        TypedResults.Ok((await seals.FinalizeAsync(park, id, UserAccess.Actor(http), ct)).Inventory with { ResultJson = "" });

    private static async Task<Ok<IReadOnlyList<EmissionBucket>>> EmissionSeries(string park, [FromQuery] string? node, [FromQuery(Name = "from")] string? from,
        [FromQuery(Name = "to")] string? to, [FromQuery] string? by, [FromQuery] string? method, [FromQuery] string? gwp,
        ZeroParkStore store, CarbonService carbonService, CancellationToken ct)
    {
        var (a, b) = Period(null, from, to);
        return TypedResults.Ok(await carbonService.SeriesAsync(park, Node(node), a, b, Query.Granularity(by ?? "day"), Method(method), Gwp(gwp), ct));
    }

    private static async Task<Ok<CarbonAnalysis>> Analysis(string park, [FromQuery] string? node, [FromQuery] string? year,
        [FromQuery(Name = "from")] string? from, [FromQuery(Name = "to")] string? to, [FromQuery] string? method, [FromQuery] string? gwp,
        [FromQuery(Name = "grid_dataset")] string? gridDataset, [FromQuery] string? residual,
        [FromQuery(Name = "sensitivity_pct")] double? sensitivity, [FromQuery(Name = "anomaly_pct")] double? anomaly, ZeroParkStore store,
        CarbonAnalysisService carbonAnalysisService, CancellationToken ct)
    {
        var (a, b) = Period(year, from, to);
        return TypedResults.Ok(await carbonAnalysisService.AnalyseAsync(park, Node(node), a, b, Method(method), Gwp(gwp), Options(gridDataset, residual),
            sensitivity ?? 10, anomaly ?? 10, ct));
    }

    private static async Task<Results<Ok<ActivityImportResponse>, ProblemHttpResult>> ImportActivities(string park, HttpRequest request,
        ZeroParkStore store, CancellationToken ct)
    {
        var (text, error) = await RequestBody.ReadTextAsync(request, ct);
        if (error is not null) return error;
        var (rows, errors) = ActivityCsv.Parse(new MemoryStream(Encoding.UTF8.GetBytes(text!)));
        var r = await store.Carbon.ImportActivitiesAsync(park, rows, errors, UserAccess.Actor(request.HttpContext), ct);
        return TypedResults.Ok(new ActivityImportResponse(r.Accepted, r.Duplicates, r.Corrected, r.Rejected.Select(e => new RowErrorView(e.Line, e.Reason)).ToList()));
    }

    private static async Task<Ok<StoredActivity>> UpdateActivity(string park, long id, ActivityUpdateRequest body, HttpContext http, ZeroParkStore store, CancellationToken ct)
    {
        static string? Num(double? v) => v?.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        var (row, error) = ActivityCsv.ParseOne(new Dictionary<string, string?>
        {
            ["date"] = body.Date, ["source"] = body.Source, ["material"] = body.Material, ["amount"] = Num(body.Amount), ["unit"] = body.Unit,
            ["scope3_category"] = body.Scope3Category?.ToString(System.Globalization.CultureInfo.InvariantCulture), ["note"] = body.Note, ["evidence"] = body.Evidence,
            ["space"] = body.Space, ["density"] = Num(body.Density), ["ncv"] = Num(body.Ncv), ["supplier"] = body.Supplier,
        });
        if (row is null) throw new ValidationException(error!.Split(':')[0], error);
        return TypedResults.Ok(await store.Carbon.UpdateActivityAsync(park, id, row, body.Reason ?? "", UserAccess.Actor(http), ct));
    }

    private static async Task<Ok<IReadOnlyList<StoredActivity>>> ListActivities(string park, [FromQuery(Name = "from")] string? from, [FromQuery(Name = "to")] string? to,
        ZeroParkStore store, CancellationToken ct)
    {
        var (a, b) = Period(null, from, to);
        return TypedResults.Ok(await store.Carbon.ActivitiesAsync(park, a, b, ct));
    }

    private static async Task<Ok<IReadOnlyList<Instrument>>> ListInstruments(string park, ZeroParkStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.Carbon.InstrumentsAsync(park, ct));

    private static async Task<Ok<Instrument>> AddInstrument(string park, InstrumentRequest body, HttpContext http, ZeroParkStore store, CancellationToken ct)
    {
        var kind = Instrument.ParseKind(body.Kind);
        var kwh = InstrumentQuantity.ToKilowattHours(kind, body.Quantity, body.Unit)
            ?? throw new ValidationException("unit", $"unit '{body.Unit}' is not certificates (gec only), MWh or kWh");
        return TypedResults.Ok(await store.Carbon.AddInstrumentAsync(park, new Instrument
        {
            Kind = kind, QuantityKwh = kwh, FactorKgPerKwh = body.Factor ?? 0, CoverFrom = Query.Date(body.CoverFrom, "cover_from"), CoverTo = Query.Date(body.CoverTo, "cover_to"),
            Region = body.Region ?? "", Reference = body.Reference, Note = body.Note ?? "",
        }, UserAccess.Actor(http), ct));
    }

    private static async Task<Ok<IReadOnlyDictionary<string, string>>> ListSettings(string park, ZeroParkStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.Carbon.CarbonSettingsAsync(park, ct));

    private static async Task<Ok<IReadOnlyDictionary<string, string>>> SetSetting(string park, string key, [FromQuery] string? value, HttpContext http, ZeroParkStore store,
        CancellationToken ct)
    {
        if (!CarbonService.SettingKeys.Contains(key)) throw new ValidationException("key", $"unknown setting '{key}' (known: {string.Join(", ", CarbonService.SettingKeys)})");
        if (key == CarbonService.SettingResidual) CarbonService.ParseResidual(value);
        await store.Carbon.SetCarbonSettingAsync(park, key, string.IsNullOrWhiteSpace(value) ? null : value.Trim(), UserAccess.Actor(http), ct);
        return TypedResults.Ok(await store.Carbon.CarbonSettingsAsync(park, ct));
    }

    private static async Task<IResult> ListFactors([FromQuery] string? material, [FromQuery] string? dataset,
        [FromQuery(Name = "valid_on")] string? validOn, [FromQuery] string? format, ZeroParkStore store, CancellationToken ct)
    {
        DateOnly? on = validOn is null ? null : Query.Date(validOn, "valid_on");
        var all = await store.Carbon.FactorsAsync(ct);
        var latest = all.GroupBy(r => r.Key).ToDictionary(x => x.Key, x => x.Max(r => r.Version));
        var list = all.Where(r => latest[r.Key] == r.Version && (material is null || r.Material.Equals(material, StringComparison.OrdinalIgnoreCase))
                                  && (dataset is null || r.Dataset.Equals(dataset, StringComparison.OrdinalIgnoreCase)) && (on is null || r.ValidOn(on.Value))).ToList();
        return format?.Trim().ToLowerInvariant() == "csv"
            ? Results.File(Encoding.UTF8.GetBytes(FactorCsv.Write(list, withIds: true)), "text/csv", "factors.csv")
            : Results.Ok(list);
    }

    private static async Task<Results<Ok<FactorImportResponse>, ProblemHttpResult>> ImportFactors(HttpRequest request, ZeroParkStore store,
        CancellationToken ct)
    {
        var (text, error) = await RequestBody.ReadTextAsync(request, ct);
        if (error is not null) return error;
        var (records, errors) = FactorCsv.Parse(new MemoryStream(Encoding.UTF8.GetBytes(text!)));
        var stored = await store.Carbon.AddFactorsAsync(records, UserAccess.Actor(request.HttpContext), ct);
        return TypedResults.Ok(new FactorImportResponse(stored.Select(x => new FactorImportOutcome(x.Record.Id, x.Record.Version, x.Outcome, x.Record.Key)).ToList(),
            errors.Select(e => new RowErrorView(e.Line, e.Reason)).ToList()));
    }

    private static (DateOnly, DateOnly) Period(string? year, string? from, string? to)
    {
        if (!string.IsNullOrWhiteSpace(year))
        {
            if (!int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var y) || y is < 1990 or > 2100) throw new ValidationException("year", $"'{year}' is not a year");
            return (new DateOnly(y, 1, 1), new DateOnly(y, 12, 31));
        }
        return (Query.Date(from, "from"), Query.Date(to, "to"));
    }

    private static AccountingMethod Method(string? m) => string.IsNullOrWhiteSpace(m) ? AccountingMethod.Ghgp : AccountingMethods.Parse(m);

    private static GwpSet Gwp(string? g) => string.IsNullOrWhiteSpace(g) ? GwpSet.AR6 : Gases.ParseSet(g);

    private static InventoryOptions Options(string? grid, string? residual) => new(string.IsNullOrWhiteSpace(grid) ? null : grid.Trim(), CarbonService.ParseResidual(residual));

    private static string? Node(string? node) => string.IsNullOrWhiteSpace(node) ? null : node.Trim();

    private static string Required(string? v, string name) => string.IsNullOrWhiteSpace(v) ? throw new ValidationException(name, $"'{name}' is required") : v;

    private static bool IsXlsx(string? format) => format?.Trim().ToLowerInvariant() switch
    {
        null or "" or "json" => false,
        "xlsx" => true,
        var x => throw new ValidationException("format", $"'format': '{x}' is not json or xlsx"),
    };
}
