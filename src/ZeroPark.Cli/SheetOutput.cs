using ZeroPark.Application;
using ZeroPark.Application.Export;

namespace ZeroPark.Cli;

/// <summary>
/// The output of commands whose result is a set of sheets (energy plans, neutrality targets …): <c>--format table|json|csv|xlsx</c>,
/// where table and csv print the first sheet (a table followed by its notes), json prints the result object, and xlsx writes every
/// sheet to <c>--output FILE</c>.
/// </summary>
internal static class SheetOutput
{
    /// <summary>The checked format (lower case); xlsx needs an output file.</summary>
    public static string Format(string? format, string? output)
    {
        var f = (format ?? "").Trim().ToLowerInvariant();
        if (f is not ("table" or "json" or "csv" or "xlsx")) throw new ValidationException("format", $"'{f}' is not one of table, json, csv, xlsx");
        if (f == "xlsx" && string.IsNullOrWhiteSpace(output)) throw new ValidationException("output", "--format xlsx needs --output FILE");
        return f;
    }

    /// <summary>Prints <paramref name="json"/> (json), the first sheet (table, csv; then the notes for a table) or writes every sheet
    /// to <paramref name="output"/> (xlsx). Returns the exit code (0).</summary>
    public static int Emit(string? format, string? output, object json, XlsxSheet[] sheets, IReadOnlyList<string> notes)
    {
        var f = Format(format, output);
        switch (f)
        {
            case "json":
                Output.WriteJson(json);
                break;
            case "xlsx":
                XlsxWriter.WriteFile(output!, sheets);
                var rows = sheets[0].Rows.Count;
                Console.WriteLine($"wrote {rows} row{(rows == 1 ? "" : "s")} to {output}");
                break;
            default:
                Output.Write(f, sheets[0].Columns, sheets[0].Rows);
                if (f == "table") foreach (var n in notes) Console.WriteLine(n);
                break;
        }
        return 0;
    }
}
