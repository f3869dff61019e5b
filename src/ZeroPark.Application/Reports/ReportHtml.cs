using System.Globalization;
using System.Net;
using System.Text;
using ZeroPark.Reports;

namespace ZeroPark.Application.Reports;

/// <summary>
/// Renders a <see cref="ReportDocument"/> as one self-contained HTML page (inline CSS and SVG, no script, no external resource):
/// shown in the app and printed to PDF by Chromium. Print layout: A4, a cover page, the table of contents (section links, which
/// Chromium keeps as links in the PDF), each numbered section, and page numbers in the bottom margin (CSS paged media margin
/// boxes, supported by Chromium since 131).
/// </summary>
public static class ReportHtml
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static string E(string? s) => WebUtility.HtmlEncode(s ?? "");

    /// <summary>A cell as the report shows it: numbers with thousands separators and up to 3 decimals (4 below 1), dates ISO.</summary>
    public static string Cell(object? v) => v switch
    {
        null => "—",
        double d when double.IsNaN(d) => "—",
        double d => Math.Abs(d) >= 1 || d == 0 ? d.ToString("#,0.###", Inv) : d.ToString("0.####", Inv),
        int i => i.ToString(Inv),
        long l => l.ToString(Inv),
        DateOnly d => d.ToString("yyyy-MM-dd", Inv),
        DateTimeOffset t => t.ToString("yyyy-MM-dd HH:mm", Inv),
        _ => v.ToString() ?? "",
    };

    private static bool Numeric(object? v) => v is double or int or long;

    public static string Render(ReportDocument doc)
    {
        var t = (string key) => ReportText.Get(key, doc.Lang);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"").Append(doc.Lang == "en" ? "en" : "zh-CN").Append("\"><head><meta charset=\"utf-8\">");
        sb.Append("<title>").Append(E(doc.Title)).Append("</title><style>").Append(Css(doc, t)).Append("</style></head><body>");
        // Cover
        sb.Append("<section class=\"cover\">");
        if (doc.Logo is { Length: > 0 } logo && logo.StartsWith("data:image/", StringComparison.Ordinal))
            sb.Append("<img class=\"logo\" alt=\"logo\" src=\"").Append(E(logo)).Append("\">");
        sb.Append("<h1 data-testid=\"report-title\">").Append(E(doc.Title)).Append("</h1>");
        sb.Append("<p class=\"subtitle\">").Append(E(doc.Subtitle)).Append("</p>");
        sb.Append("<table class=\"meta\">");
        Meta(sb, t("period"), $"{doc.From:yyyy-MM-dd} … {doc.To:yyyy-MM-dd}");
        Meta(sb, t("generated"), doc.GeneratedAt.ToString("yyyy-MM-dd HH:mm zzz", Inv));
        Meta(sb, t("by"), doc.GeneratedBy);
        Meta(sb, t("seal"), doc.SealHash ?? t("noseal"));
        if (doc.ChainHead is not null) Meta(sb, t("chain"), doc.ChainHead);
        sb.Append("</table></section>");
        // Contents
        sb.Append("<nav class=\"toc\"><h2>").Append(E(t("toc"))).Append("</h2><ol>");
        foreach (var (s, i) in doc.Sections.Select((s, i) => (s, i)))
            sb.Append(Inv, $"<li><a href=\"#s-{E(s.Code)}\">{i + 1}. {E(s.Title)}</a></li>");
        sb.Append("</ol></nav>");
        foreach (var (s, i) in doc.Sections.Select((s, i) => (s, i)))
        {
            sb.Append(Inv, $"<section class=\"sec\" id=\"s-{E(s.Code)}\" data-section=\"{E(s.Code)}\"><h2>{i + 1}. {E(s.Title)}</h2>");
            foreach (var p in s.Paragraphs) sb.Append("<p>").Append(E(p)).Append("</p>");
            foreach (var c in s.Charts)
                sb.Append("<figure>").Append(c.Kind == "hbars" ? SvgChart.HorizontalBars(c.Title, c.Points, c.Unit)
                    : SvgChart.Trend(c.Title, c.Points, c.Unit, line: c.Kind == "line")).Append("</figure>");
            foreach (var table in s.Tables) Table(sb, table);
            sb.Append("</section>");
        }
        sb.Append("</body></html>");
        return sb.ToString();
    }

    private static void Meta(StringBuilder sb, string k, string v) => sb.Append("<tr><th>").Append(E(k)).Append("</th><td>").Append(E(v)).Append("</td></tr>");

    private static void Table(StringBuilder sb, ReportTable table)
    {
        sb.Append("<h3>").Append(E(table.Title)).Append("</h3>");
        sb.Append("<table class=\"data\" data-table=\"").Append(E(table.Code)).Append("\"><thead><tr>");
        foreach (var c in table.Columns) sb.Append("<th>").Append(E(c)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        foreach (var r in table.Rows)
        {
            sb.Append("<tr>");
            foreach (var v in r) sb.Append(Numeric(v) ? "<td class=\"num\">" : "<td>").Append(E(Cell(v))).Append("</td>");
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table>");
    }

    private static string Css(ReportDocument doc, Func<string, string> t) =>
        """
        @page { size: A4; margin: 18mm 14mm 20mm 14mm;
          @bottom-right { content: "PAGE_LABEL " counter(page) " / " counter(pages); font-size: 9pt; color: #666; }
          @bottom-left { content: "FOOTER"; font-size: 8pt; color: #666; } }
        body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif; font-size: 10.5pt; color: #222; margin: 0 auto; max-width: 1000px; }
        .cover { padding-top: 40px; page-break-after: always; break-after: page; }
        @media print { .cover { min-height: 230mm; } }
        .cover h1 { font-size: 26pt; margin: 24px 0 8px; color: #1f4f45; }
        .cover .subtitle { font-size: 14pt; color: #444; }
        .cover .logo { max-height: 64px; max-width: 240px; }
        table.meta th { text-align: left; padding: 4px 16px 4px 0; color: #555; font-weight: 500; }
        table.meta td { font-family: "Noto Sans Mono CJK SC", monospace; word-break: break-all; }
        .toc { page-break-after: always; break-after: page; }
        .toc ol { list-style: none; padding-left: 0; } .toc li { padding: 3px 0; border-bottom: 1px dotted #ccc; }
        .toc a { color: #1f4f45; text-decoration: none; }
        h2 { color: #1f4f45; border-bottom: 2px solid #1f6f5c; padding-bottom: 3px; margin-top: 22px; break-after: avoid; }
        h3 { font-size: 11pt; margin: 14px 0 6px; break-after: avoid; }
        table.data { border-collapse: collapse; width: 100%; margin-bottom: 10px; font-size: 9pt; }
        table.data th { background: #eef3f1; text-align: left; padding: 4px 6px; border-bottom: 1px solid #999; }
        table.data td { padding: 3px 6px; border-bottom: 1px solid #e2e2e2; vertical-align: top; word-break: break-word; }
        table.data td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
        table.data tr { break-inside: avoid; }
        figure { margin: 8px 0; break-inside: avoid; } svg.chart { max-width: 100%; height: auto; font-family: inherit; }
        """.Replace("PAGE_LABEL", t("page").Replace("\"", "", StringComparison.Ordinal), StringComparison.Ordinal)
           .Replace("FOOTER", (doc.ParkName + " · " + doc.Title + (doc.SealHash is { } h ? " · " + t("seal") + " " + h[..16] : "")).Replace("\"", "'", StringComparison.Ordinal), StringComparison.Ordinal);
}
