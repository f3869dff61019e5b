using System.Globalization;
using System.Net;
using System.Text;

namespace ZeroPark.Reports;

/// <summary>One bar or point of a chart: a label and a value (null = no data, drawn as a gap).</summary>
public sealed record ChartPoint(string Label, double? Value);

/// <summary>
/// Charts drawn as inline SVG for reports (HTML and, through Chromium, PDF): horizontal bars for shares, vertical bars or a line
/// for trends. No script, no external resource; texts are XML-escaped; sizes in CSS pixels.
/// </summary>
public static class SvgChart
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly string[] Palette = ["#1f6f5c", "#2f7ed8", "#e0a030", "#c0504d", "#8064a2", "#4bacc6", "#9bbb59", "#7f7f7f"];

    private static string N(double v) => v.ToString("0.##", Inv);

    private static string Esc(string s) => WebUtility.HtmlEncode(s);

    /// <summary>The value as the chart labels it: thousands separated, up to 3 significant decimals below 10.</summary>
    public static string Label(double v) => Math.Abs(v) >= 10 ? v.ToString("#,0", Inv) : v.ToString("#,0.###", Inv);

    /// <summary>Horizontal bars, one row per point, the longest bar = the largest absolute value.</summary>
    public static string HorizontalBars(string title, IReadOnlyList<ChartPoint> points, string unit, int width = 640)
    {
        const int row = 22, labelW = 200, top = 24;
        var height = top + row * Math.Max(1, points.Count) + 8;
        var max = points.Select(p => Math.Abs(p.Value ?? 0)).DefaultIfEmpty(0).Max();
        var barMax = width - labelW - 110;
        var sb = new StringBuilder();
        sb.Append(Inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">");
        sb.Append(Inv, $"<title>{Esc(title)}</title><text x=\"0\" y=\"14\" font-size=\"13\" font-weight=\"600\">{Esc(title)}{(unit.Length > 0 ? " (" + Esc(unit) + ")" : "")}</text>");
        for (var i = 0; i < points.Count; i++)
        {
            var p = points[i];
            var y = top + i * row;
            var w = max > 0 && p.Value is { } v ? Math.Abs(v) / max * barMax : 0;
            sb.Append(Inv, $"<text x=\"{labelW - 6}\" y=\"{y + 15}\" font-size=\"11\" text-anchor=\"end\">{Esc(p.Label)}</text>");
            sb.Append(Inv, $"<rect x=\"{labelW}\" y=\"{y + 4}\" width=\"{N(w)}\" height=\"{row - 8}\" fill=\"{Palette[i % Palette.Length]}\"/>");
            sb.Append(Inv, $"<text x=\"{N(labelW + w + 6)}\" y=\"{y + 15}\" font-size=\"11\">{(p.Value is { } x ? Label(x) : "—")}</text>");
        }
        sb.Append("</svg>");
        return sb.ToString();
    }

    /// <summary>A trend: vertical bars (<paramref name="line"/> false) or a line with dots, the value axis from 0 (or the minimum
    /// when values are negative) to the maximum, with the maximum labelled.</summary>
    public static string Trend(string title, IReadOnlyList<ChartPoint> points, string unit, bool line = false, int width = 640, int height = 220)
    {
        const int left = 56, right = 12, top = 28, bottom = 36;
        var values = points.Where(p => p.Value is not null).Select(p => p.Value!.Value).ToList();
        var max = values.DefaultIfEmpty(0).Max();
        var min = Math.Min(0, values.DefaultIfEmpty(0).Min());
        if (line && values.Count > 0 && values.Min() > 0) min = values.Min() * 0.9;
        if (max <= min) max = min + 1;
        var plotW = width - left - right;
        var plotH = height - top - bottom;
        double Y(double v) => top + plotH - (v - min) / (max - min) * plotH;
        var step = points.Count == 0 ? 0 : (double)plotW / points.Count;
        var sb = new StringBuilder();
        sb.Append(Inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">");
        sb.Append(Inv, $"<title>{Esc(title)}</title><text x=\"0\" y=\"14\" font-size=\"13\" font-weight=\"600\">{Esc(title)}{(unit.Length > 0 ? " (" + Esc(unit) + ")" : "")}</text>");
        sb.Append(Inv, $"<line x1=\"{left}\" y1=\"{top + plotH}\" x2=\"{width - right}\" y2=\"{top + plotH}\" stroke=\"#999\"/>");
        sb.Append(Inv, $"<line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{top + plotH}\" stroke=\"#999\"/>");
        sb.Append(Inv, $"<text x=\"{left - 4}\" y=\"{top + 4}\" font-size=\"10\" text-anchor=\"end\">{Label(max)}</text>");
        sb.Append(Inv, $"<text x=\"{left - 4}\" y=\"{top + plotH}\" font-size=\"10\" text-anchor=\"end\">{Label(min)}</text>");
        var path = new StringBuilder();
        for (var i = 0; i < points.Count; i++)
        {
            var p = points[i];
            var cx = left + step * i + step / 2;
            if (points.Count <= 16 || i % Math.Max(1, points.Count / 12) == 0)
                sb.Append(Inv, $"<text x=\"{N(cx)}\" y=\"{height - bottom + 14}\" font-size=\"10\" text-anchor=\"middle\">{Esc(p.Label)}</text>");
            if (p.Value is not { } v) continue;
            if (line)
            {
                path.Append(path.Length == 0 ? "M" : " L").Append(N(cx)).Append(' ').Append(N(Y(v)));
                sb.Append(Inv, $"<circle cx=\"{N(cx)}\" cy=\"{N(Y(v))}\" r=\"2.5\" fill=\"{Palette[0]}\"/>");
            }
            else
            {
                var y0 = Y(Math.Max(0, min));
                var y1 = Y(v);
                sb.Append(Inv, $"<rect x=\"{N(cx - step * 0.35)}\" y=\"{N(Math.Min(y0, y1))}\" width=\"{N(step * 0.7)}\" height=\"{N(Math.Abs(y0 - y1))}\" fill=\"{Palette[1]}\"/>");
            }
        }
        if (line && path.Length > 0) sb.Append(Inv, $"<path d=\"{path}\" fill=\"none\" stroke=\"{Palette[0]}\" stroke-width=\"1.5\"/>");
        sb.Append("</svg>");
        return sb.ToString();
    }
}
