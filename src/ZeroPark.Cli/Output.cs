using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;

namespace ZeroPark.Cli;

/// <summary>Prints rows as a table (Spectre.Console), JSON (snake_case) or CSV (RFC 4180) to standard output.</summary>
internal static class Output
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static void WriteJson<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, Json));

    /// <summary>Writes rows given as ordered column → value maps.</summary>
    public static void Write(string format, IReadOnlyList<string> columns, IEnumerable<object?[]> rows, object? json = null)
    {
        switch (format)
        {
            case "json":
                WriteJson(json ?? rows.Select(r => columns.Select((c, i) => (c, r[i])).ToDictionary(x => x.c, x => x.Item2)).ToList());
                break;
            case "csv":
                {
                    var sb = new StringBuilder();
                    sb.AppendJoin(',', columns.Select(Csv)).Append('\n');
                    foreach (var r in rows) sb.AppendJoin(',', r.Select(v => Csv(Format(v)))).Append('\n');
                    Console.Out.Write(sb.ToString());
                    break;
                }
            default:
                {
                    var table = new Table().Border(TableBorder.Rounded);
                    foreach (var c in columns) table.AddColumn(new TableColumn(Markup.Escape(c)));
                    foreach (var r in rows) table.AddRow(r.Select(v => Markup.Escape(Format(v))).ToArray());
                    AnsiConsole.Write(table);
                    break;
                }
        }
    }

    public static string Format(object? v) => v switch
    {
        null => "",
        double d => d.ToString("0.###", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };

    private static string Csv(string s) => s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}
