namespace ZeroPark.Storage.Import;

/// <summary>The fields of one row, from a CSV record or a spreadsheet row.</summary>
internal interface IRowFields
{
    int Count { get; }
    ReadOnlySpan<char> Get(int index);
    /// <summary>True for a numeric spreadsheet cell (invariant number text; an Excel serial date in a date column).</summary>
    bool IsNumber(int index);
}

internal static class RowFieldsExtensions
{
    public static bool IsBlank(this IRowFields f)
    {
        for (int i = 0; i < f.Count; i++)
        {
            if (!f.Get(i).IsWhiteSpace())
                return false;
        }
        return true;
    }

    public static string[] ToStrings(this IRowFields f)
    {
        var a = new string[f.Count];
        for (int i = 0; i < a.Length; i++)
            a[i] = f.Get(i).ToString();
        return a;
    }

    /// <summary>The field, trimmed; empty when the row is shorter.</summary>
    public static ReadOnlySpan<char> Field(this IRowFields f, int index) =>
        index >= 0 && index < f.Count ? f.Get(index).Trim() : [];
}
