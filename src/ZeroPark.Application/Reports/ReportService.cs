using System.Diagnostics;
using System.Globalization;
using ZeroPark.Application.Export;

namespace ZeroPark.Application.Reports;

/// <summary>What to generate: the kind, the language, the period (a month for the energy report; an inventory id or a year for the
/// GHG report; <c>From</c>/<c>To</c> for a schedule's month, quarter or year) and the formats besides HTML (which is always archived).</summary>
public sealed record ReportRequest(string Kind, string Lang, long? Inventory = null, int? Year = null, DateOnly? Month = null, bool Pdf = true, bool Xlsx = true,
    long? ScheduleId = null, DateOnly? From = null, DateOnly? To = null);

/// <summary>
/// Generates reports of every registered kind (<see cref="IReportKind"/>, <see cref="ReportKinds"/>) in Chinese or English from the
/// park's template (title, logo, sections), renders HTML, PDF (Chromium) and XLSX with the same tables, and archives each with the
/// data versions it used and the seal it carries.
/// </summary>
public sealed class ReportService(ZeroParkStore store, IEnumerable<IReportKind> kinds, Alerts.IMessageLocalizer? localizer = null)
{
    private readonly Alerts.IMessageLocalizer _loc = localizer ?? Alerts.EnglishMessages.Instance;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private readonly Dictionary<string, IReportKind> _kinds = kinds.ToDictionary(k => k.Info.Code, StringComparer.Ordinal);

    /// <summary>Builds the report document (no rendering, nothing archived).</summary>
    public async Task<ReportDocument> BuildAsync(string park, ReportRequest req, string user, CancellationToken ct = default)
    {
        var kind = ReportKinds.Parse(req.Kind);
        var lang = ReportKinds.Lang(req.Lang);
        var builder = _kinds.GetValueOrDefault(kind) ?? throw new InvalidOperationException($"report kind '{kind}' has no registered builder");
        var now = store.Clock.GetUtcNow();
        var reg = await store.Registry.GetRegistryAsync(park, ct);
        now = reg.Clock.ToLocalOffset(now.ToUnixTimeSeconds());
        var doc = await builder.BuildAsync(new ReportContext(reg, req with { Kind = kind, Lang = lang }, lang, user, now) { Translate = s => _loc.Translate(lang, s), Code = c => CodeName(lang, c) }, ct);
        var template = await store.Reports.TemplateAsync(park, kind, ct);
        var keep = template.Sections.ToHashSet(StringComparer.Ordinal);
        return doc with
        {
            Title = template.Title.Length > 0 ? template.Title : doc.Title,
            Sections = doc.Sections.Where(s => keep.Contains(s.Code)).ToList(),
            Logo = template.Logo.Length > 0 ? template.Logo : null,
        };
    }

    private static readonly string[] CodeFamilies = ["code.", "carrier.", "kind."];

    /// <summary>A code by the UI's display name in <paramref name="lang"/> (the catalogue's <see cref="Alerts.IMessageLocalizer.Word"/>); codes
    /// joined as "a (b)" are named part by part.</summary>
    private string CodeName(string lang, string code)
    {
        if (string.IsNullOrEmpty(code) || lang != "zh") return code;
        var m = System.Text.RegularExpressions.Regex.Match(code, @"^([a-z0-9_]+) \(([a-z0-9_]+)\)$");
        if (m.Success) return $"{CodeName(lang, m.Groups[1].Value)}（{CodeName(lang, m.Groups[2].Value)}）";
        foreach (var family in CodeFamilies)
            if (_loc.Word(lang, family + code, code) is var w && !ReferenceEquals(w, code) && w != code) return w;
        return code;
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
