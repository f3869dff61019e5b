namespace ZeroPark.Application.Readings.Import;

/// <summary>Column positions of a readings file.</summary>
internal sealed record ReadingColumns(int Meter, int Timestamp, int Start, int Value)
{
    /// <summary>Fields a data row needs at least (the start column is optional per row).</summary>
    public int MinFields { get; } = Math.Max(Meter, Math.Max(Timestamp, Value)) + 1;

    public static ReadingColumns? Resolve(IReadOnlyList<string> headers, ColumnMapping? mapping, out string? error)
    {
        var missing = new List<string>();
        int meter = Find(headers, mapping?.Meter, ReadingFileParser.MeterAliases, "meter", missing);
        int ts = Find(headers, mapping?.Timestamp, ReadingFileParser.TimestampAliases, "timestamp", missing);
        int value = Find(headers, mapping?.Value, ReadingFileParser.ValueAliases, "value", missing);
        int start = string.IsNullOrWhiteSpace(mapping?.Start)
            ? HeaderMatch.Find(headers, ReadingFileParser.StartAliases)
            : Find(headers, mapping.Start, ReadingFileParser.StartAliases, "start", missing);
        if (missing.Count > 0)
        {
            error = "header: " + string.Join("; ", missing);
            return null;
        }
        error = null;
        return new ReadingColumns(meter, ts, start, value);
    }

    private static int Find(IReadOnlyList<string> headers, string? name, string[] aliases, string field, List<string> missing)
    {
        if (!string.IsNullOrWhiteSpace(name))
        {
            int i = HeaderMatch.FindExact(headers, name);
            if (i < 0)
                missing.Add($"missing column '{name.Trim()}' for {field}");
            return i;
        }
        int j = HeaderMatch.Find(headers, aliases);
        if (j < 0)
            missing.Add($"missing {field} column (expected one of: {string.Join(", ", aliases)})");
        return j;
    }
}
