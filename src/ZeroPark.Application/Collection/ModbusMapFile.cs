using System.Globalization;
using System.Text;
using System.Text.Json;
using ZeroPark.Collection;
using ZeroPark.Metering;

namespace ZeroPark.Application.Collection;

/// <summary>
/// Register maps as files (import and export): CSV with the header
/// <c>meter,table,address,type,word_order,byte_order,scale,unit</c> (table holding|input; address 0-based register number;
/// type int16|uint16|int32|uint32|int64|uint64|float32|float64; word_order and byte_order big|little, default big; scale default 1;
/// unit optional, must be the meter's unit), or JSON (an array of objects with the same fields). A bad row is rejected with its
/// line and the field; the other rows are kept.
/// </summary>
public static class ModbusMapFile
{
    public static readonly string[] Columns = ["meter", "table", "address", "type", "word_order", "byte_order", "scale", "unit"];

    public static (List<ModbusPoint> Points, List<RowError> Errors) Parse(string text)
    {
        text = text.TrimStart('\uFEFF').Trim();
        return text.StartsWith('[') ? ParseJson(text) : ParseCsv(text);
    }

    private static (List<ModbusPoint>, List<RowError>) ParseCsv(string text)
    {
        var points = new List<ModbusPoint>();
        var errors = new List<RowError>();
        var lines = text.Split('\n');
        // Comment lines (#) and blank lines before the header are skipped (the documented example maps start with comments).
        var first = 0;
        while (first < lines.Length && (lines[first].Trim().Length == 0 || lines[first].TrimStart().StartsWith('#'))) first++;
        if (first == lines.Length) { errors.Add(new RowError(1, "header: missing (meter,table,address,type,word_order,byte_order,scale,unit)")); return (points, errors); }
        var header = lines[first].Trim().Split(',').Select(h => h.Trim().ToLowerInvariant()).ToArray();
        foreach (var need in new[] { "meter", "table", "address", "type" })
            if (!header.Contains(need)) { errors.Add(new RowError(first + 1, $"header: column '{need}' missing")); }
        if (errors.Count > 0) return (points, errors);
        for (var i = first + 1; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var cells = line.Split(',');
            string Cell(string name) { var k = Array.IndexOf(header, name); return k >= 0 && k < cells.Length ? cells[k].Trim() : ""; }
            var (p, reason) = Row(Cell("meter"), Cell("table"), Cell("address"), Cell("type"), Cell("word_order"), Cell("byte_order"), Cell("scale"), Cell("unit"));
            if (reason is not null) errors.Add(new RowError(i + 1, reason)); else points.Add(p!);
        }
        return (points, errors);
    }

    private static (List<ModbusPoint>, List<RowError>) ParseJson(string text)
    {
        var points = new List<ModbusPoint>();
        var errors = new List<RowError>();
        JsonDocument doc;
        try { doc = JsonDocument.Parse(text); }
        catch (JsonException e) { errors.Add(new RowError(0, $"malformed JSON: {e.Message}")); return (points, errors); }
        using (doc)
        {
            var i = 0;
            foreach (var e in doc.RootElement.EnumerateArray())
            {
                i++;
                string S(string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v)
                    ? v.ValueKind == JsonValueKind.String ? v.GetString()! : v.ValueKind == JsonValueKind.Number ? v.GetRawText() : "" : "";
                var (p, reason) = Row(S("meter"), S("table"), S("address"), S("type"), S("word_order"), S("byte_order"), S("scale"), S("unit"));
                if (reason is not null) errors.Add(new RowError(i, reason)); else points.Add(p!);
            }
        }
        return (points, errors);
    }

    private static (ModbusPoint?, string?) Row(string meter, string table, string address, string type, string wordOrder, string byteOrder, string scale, string unit)
    {
        string? reason = null;
        void Add(string r) => reason = reason is null ? r : reason + "; " + r;
        if (meter.Length == 0) Add("meter: empty");
        if (!RegisterDecoding.TryTable(table, out var t)) Add($"table: '{table}' is not holding or input");
        if (!int.TryParse(address, NumberStyles.None, CultureInfo.InvariantCulture, out var a) || a > 65535) Add($"address: '{address}' is not a register number 0–65535");
        if (!RegisterDecoding.TryType(type, out var ty)) Add($"type: '{type}' is not int16, uint16, int32, uint32, int64, uint64, float32 or float64");
        if (!RegisterDecoding.TryOrder(wordOrder, out var wo)) Add($"word_order: '{wordOrder}' is not big or little");
        if (!RegisterDecoding.TryOrder(byteOrder, out var bo)) Add($"byte_order: '{byteOrder}' is not big or little");
        double s = 1;
        if (scale.Length > 0 && (!double.TryParse(scale, NumberStyles.Float, CultureInfo.InvariantCulture, out s) || !double.IsFinite(s) || s == 0))
            Add($"scale: '{scale}' is not a non-zero number");
        return reason is null ? (new ModbusPoint(meter, t, a, ty, wo, bo, s, unit.Length == 0 ? null : unit), null) : (null, reason);
    }

    /// <summary>The map as CSV, readable by <see cref="Parse"/>.</summary>
    public static string ToCsv(IEnumerable<ModbusPoint> map)
    {
        var b = new StringBuilder(string.Join(',', Columns)).Append('\n');
        foreach (var p in map)
            b.Append(p.Meter).Append(',').Append(RegisterDecoding.Code(p.Table)).Append(',').Append(p.Address.ToString(CultureInfo.InvariantCulture)).Append(',')
             .Append(RegisterDecoding.Code(p.Type)).Append(',').Append(RegisterDecoding.Code(p.WordOrder)).Append(',').Append(RegisterDecoding.Code(p.ByteOrder)).Append(',')
             .Append(RegisterDecoding.Show(p.Scale)).Append(',').Append(p.Unit).Append('\n');
        return b.ToString();
    }
}
