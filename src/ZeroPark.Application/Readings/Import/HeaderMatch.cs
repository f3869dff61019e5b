namespace ZeroPark.Application.Readings.Import;

/// <summary>Header name matching: case-insensitive, trimmed of whitespace and BOM; an alias also matches a
/// header with a trailing unit in brackets (<c>读数(kWh)</c>, <c>电量（度）</c>).</summary>
internal static class HeaderMatch
{
    public static string Normalize(string header) => header.Trim().Trim('\uFEFF').Trim();

    public static int FindExact(IReadOnlyList<string> headers, string name)
    {
        var n = Normalize(name);
        for (int i = 0; i < headers.Count; i++)
        {
            if (string.Equals(Normalize(headers[i]), n, StringComparison.OrdinalIgnoreCase))
                return i;
        }
        return -1;
    }

    public static int Find(IReadOnlyList<string> headers, string[] aliases)
    {
        foreach (var alias in aliases)
        {
            for (int i = 0; i < headers.Count; i++)
            {
                var h = Normalize(headers[i]);
                if (string.Equals(h, alias, StringComparison.OrdinalIgnoreCase)
                    || string.Equals(StripUnit(h), alias, StringComparison.OrdinalIgnoreCase))
                    return i;
            }
        }
        return -1;
    }

    private static string StripUnit(string h)
    {
        if (h.Length == 0 || (h[^1] != ')' && h[^1] != '）'))
            return h;
        int open = h.LastIndexOfAny(['(', '（']);
        return open > 0 ? h[..open].Trim() : h;
    }
}
