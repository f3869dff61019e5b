using System.Diagnostics;
using System.Globalization;
using ZeroPark.Application.Carbon;
using ZeroPark.Application.EnergyManagement;
using ZeroPark.Application.Export;
using ZeroPark.Carbon;

namespace ZeroPark.Application.Reports;

/// <summary>What to generate: the kind, the language, the period (a month for the energy report; an inventory id or a year for the
/// GHG report) and the formats besides HTML (which is always archived).</summary>
public sealed record ReportRequest(string Kind, string Lang, long? Inventory = null, int? Year = null, DateOnly? Month = null, bool Pdf = true, bool Xlsx = true,
    long? ScheduleId = null);

/// <summary>
/// Generates reports (GHG inventory, monthly energy) in Chinese or English from the park's template (title, logo, sections), renders
/// HTML, PDF (Chromium) and XLSX with the same tables, and archives each with the data versions it used and the seal it carries.
/// </summary>
public sealed class ReportService(ZeroParkStore store, CarbonService carbon, SealService seals, EnergyService energy, EnergyCostService cost, EnergyPlanService plans,
    ZeroPark.Application.Neutrality.NeutralityService? neutrality = null)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Builds the report document (no rendering, nothing archived).</summary>
    public async Task<ReportDocument> BuildAsync(string park, ReportRequest req, string user, CancellationToken ct = default)
    {
        var kind = ReportKinds.Parse(req.Kind);
        var lang = ReportKinds.Lang(req.Lang);
        var now = store.Clock.GetUtcNow();
        var reg = await store.Registry.GetRegistryAsync(park, ct);
        now = reg.Clock.ToLocalOffset(now.ToUnixTimeSeconds());
        ReportDocument doc;
        if (kind == ReportKinds.GhgInventory)
        {
            var stored = await InventoryForAsync(park, req, ct);
            var (inv, result) = await carbon.LoadAsync(park, stored.Id, ct);
            var seal = await seals.SealOfAsync(park, inv.Id, ct);
            var all = await store.Reports.SealsAsync(park, ct);
            var previous = (await store.Carbon.InventoriesAsync(park, null, ct))
                .Where(i => i.Boundary == inv.Boundary && i.From == inv.From && i.To == inv.To && i.Method == inv.Method && i.Gwp == inv.Gwp && i.Version < inv.Version)
                .MaxBy(i => i.Version);
            ZeroPark.Application.Neutrality.NeutralityReport? n = null;
            if (neutrality is not null && inv.Boundary == park)
                n = await neutrality.ComputeAsync(park, inv.From, inv.To, AccountingMethods.Parse(inv.Method), Enum.Parse<ZeroPark.Carbon.GwpSet>(inv.Gwp, true), ct);
            doc = GhgInventoryReport.Build(new GhgInventoryReport.Input(reg, inv, result, await store.Carbon.CarbonSettingsAsync(park, ct), seal,
                all.Count > 0 ? all[^1].Hash : null, previous, lang, user, now) { Neutrality = n });
        }
        else
        {
            var month = req.Month ?? throw new ValidationException("month", "month: the monthly energy report needs a month (YYYY-MM)");
            doc = MonthlyEnergyReport.Build(await MonthlyEnergyReport.GatherAsync(store, energy, cost, plans, park, month, lang, user, now, ct));
        }
        var template = await store.Reports.TemplateAsync(park, kind, ct);
        var keep = template.Sections.ToHashSet(StringComparer.Ordinal);
        return doc with
        {
            Title = template.Title.Length > 0 ? template.Title : doc.Title,
            Sections = doc.Sections.Where(s => keep.Contains(s.Code)).ToList(),
            Logo = template.Logo.Length > 0 ? template.Logo : null,
        };
    }

    private async Task<StoredInventory> InventoryForAsync(string park, ReportRequest req, CancellationToken ct)
    {
        var all = await store.Carbon.InventoriesAsync(park, null, ct);
        if (req.Inventory is { } id)
            return all.SingleOrDefault(i => i.Id == id) ?? throw new NotFoundException($"inventory #{id} not found in park '{park}'");
        var year = req.Year ?? throw new ValidationException("inventory", "inventory: give an inventory id or a year");
        var ofYear = all.Where(i => i.Boundary == park && i.From == new DateOnly(year, 1, 1) && i.To == new DateOnly(year, 12, 31)).ToList();
        return ofYear.Where(i => i.Status == "final").MaxBy(i => i.Id) ?? ofYear.MaxBy(i => i.Id)
               ?? throw new NotFoundException($"no saved inventory of park '{park}' for {year}: save one first (zeropark carbon inventory --year {year} --save), and finalize it to seal it");
    }

    /// <summary>The report's tables as XLSX sheets: a cover sheet (title, period, seal, data versions), then one sheet per table.</summary>
    public static byte[] Xlsx(ReportDocument doc)
    {
        var sheets = new List<XlsxSheet>
        {
            new(doc.Lang == "en" ? "Report" : "报告", [ReportText.Get("c.item", doc.Lang), ReportText.Get("c.value", doc.Lang)],
            [
                [ReportText.Get("c.item", doc.Lang), doc.Title], [ReportText.Get("period", doc.Lang), $"{doc.From:yyyy-MM-dd} … {doc.To:yyyy-MM-dd}"],
                [ReportText.Get("generated", doc.Lang), doc.GeneratedAt.ToString("yyyy-MM-dd HH:mm zzz", Inv)], [ReportText.Get("seal", doc.Lang), doc.SealHash ?? ReportText.Get("noseal", doc.Lang)],
                .. doc.DataVersions.Select(kv => new object?[] { ReportText.Get("versions", doc.Lang) + ": " + kv.Key, kv.Value }),
            ]),
        };
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { sheets[0].Name };
        foreach (var t in doc.Sections.SelectMany(s => s.Tables))
        {
            var name = t.Code.Length > 31 ? t.Code[..31] : t.Code;
            for (var n = 2; !names.Add(name); n++) name = $"{t.Code[..Math.Min(t.Code.Length, 28)]}_{n}";
            sheets.Add(new XlsxSheet(name, t.Columns, t.Rows));
        }
        return XlsxWriter.ToBytes([.. sheets]);
    }

    /// <summary>Generates, renders and archives a report; the elapsed time (build + render) is archived with it.</summary>
    public async Task<ArchivedReport> GenerateAsync(string park, ReportRequest req, string user, CancellationToken ct = default)
    {
        var watch = Stopwatch.StartNew();
        var doc = await BuildAsync(park, req, user, ct);
        var html = ReportHtml.Render(doc);
        var pdf = req.Pdf ? await PdfRenderer.RenderAsync(html, ct) : null;
        var xlsx = req.Xlsx ? Xlsx(doc) : null;
        return await store.Reports.ArchiveAsync(park, doc, html, pdf, xlsx, watch.ElapsedMilliseconds, req.ScheduleId, ct);
    }
}
