using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ZeroPark.Application.Export;

namespace ZeroPark.Server.Web;

/// <summary>One table of a page as it is exported: the same rows the page shows, raw values (numbers stay numbers), headers in
/// the request's language with their units.</summary>
public sealed record ExportTable(string Id, IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows);

/// <summary>A page model whose tables can be downloaded (<see cref="TableExport"/>).</summary>
public interface IExportsTables
{
    /// <summary>The page's tables, built from the data the page has just loaded for this request.</summary>
    IEnumerable<ExportTable> ExportTables();
}

/// <summary>
/// Table export for every page: <c>?…&amp;export={table}&amp;format=xlsx|csv</c> on the page's own URL. The page's GET handler runs
/// as usual — sign-in, role conventions, park grant, the same query — and only when it would have shown the page (200) does
/// <see cref="Filter"/> answer with the named table instead: XLSX through <see cref="XlsxWriter"/>, or CSV (UTF-8 with BOM so
/// Excel reads Chinese text, CRLF, RFC 4180 quoting). Access rules are therefore exactly the page's.
/// </summary>
public static class TableExport
{
    public const string ExportParameter = "export";
    public const string FormatParameter = "format";
    public const string CsvContentType = "text/csv; charset=utf-8";

    /// <summary>The page's URL with the export parameters (other parameters kept, so the export is of what is on screen).</summary>
    public static string Link(HttpRequest request, string table, string format)
    {
        var q = request.Query.Where(kv => kv.Key is not (ExportParameter or FormatParameter) && !kv.Key.StartsWith("handler", StringComparison.OrdinalIgnoreCase))
            .SelectMany(kv => kv.Value.Select(v => new KeyValuePair<string, string?>(kv.Key, v)))
            .Append(new(ExportParameter, table)).Append(new(FormatParameter, format));
        return request.PathBase + request.Path + QueryString.Create(q);
    }

    public static byte[] Xlsx(ExportTable t) => XlsxWriter.ToBytes(new XlsxSheet(t.Id, t.Columns, t.Rows));

    /// <summary>CSV with a UTF-8 byte-order mark, CRLF line ends, invariant numbers and ISO dates (as in the XLSX). A text cell that
    /// a spreadsheet would take for a formula (starting with = + - @) gets a leading apostrophe.</summary>
    public static byte[] Csv(ExportTable t)
    {
        var sb = new StringBuilder();
        sb.AppendJoin(',', t.Columns.Select(Escape)).Append("\r\n");
        foreach (var row in t.Rows) sb.AppendJoin(',', row.Select(v => Escape(Cell(v)))).Append("\r\n");
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(sb.ToString())];
    }

    internal static string Cell(object? v) => v switch
    {
        null => "",
        double d => double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "",
        float f => float.IsFinite(f) ? ((double)f).ToString("R", CultureInfo.InvariantCulture) : "",
        bool b => b ? "true" : "false",
        DateTimeOffset x => x.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
        DateTime x => x.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
        DateOnly x => x.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        string s when s.Length > 0 && s[0] is '=' or '+' or '-' or '@' or '\t' or '\r' => "'" + s,
        _ => v.ToString() ?? "",
    };

    private static string Escape(string s) => s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;

    /// <summary>Answers <c>export=</c> GET requests of a page with the named table (see <see cref="TableExport"/>).</summary>
    public sealed class Filter : IAsyncPageFilter
    {
        public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

        public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
        {
            var executed = await next();
            var http = context.HttpContext;
            if (!HttpMethods.IsGet(http.Request.Method) || !http.Request.Query.TryGetValue(ExportParameter, out var id) || string.IsNullOrEmpty(id)) return;
            if (executed.Exception is not null && !executed.ExceptionHandled) return;
            // Only a page that would have been shown is exported: not found, forbidden, bad input and redirects stay as they are.
            if (executed.Result is not (null or PageResult) || http.Response.StatusCode != StatusCodes.Status200OK) return;
            var table = (executed.HandlerInstance as IExportsTables)?.ExportTables().FirstOrDefault(t => t.Id == id.ToString());
            if (table is null)
            {
                executed.Result = new NotFoundResult();
                return;
            }
            var format = http.Request.Query[FormatParameter].ToString().Trim().ToLowerInvariant();
            var park = context.RouteData.Values.TryGetValue("park", out var p) && p is string s && s.Length > 0 ? s : "zeropark";
            var name = $"{park}-{table.Id}";
            executed.Result = format switch
            {
                "" or "xlsx" => new FileContentResult(Xlsx(table), XlsxWriter.ContentType) { FileDownloadName = name + ".xlsx" },
                "csv" => new FileContentResult(Csv(table), CsvContentType) { FileDownloadName = name + ".csv" },
                _ => new BadRequestResult(),
            };
        }
    }
}
