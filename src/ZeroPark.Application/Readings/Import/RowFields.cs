namespace ZeroPark.Application.Readings.Import;

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
    public static bool IsBlank<T>(this T f) where T : IRowFields, allows ref struct
    {
        for (int i = 0; i < f.Count; i++)
        {
            if (!f.Get(i).IsWhiteSpace())
                return false;
        }
        return true;
    }

    public static string[] ToStrings<T>(this T f) where T : IRowFields, allows ref struct
    {
        var a = new string[f.Count];
        for (int i = 0; i < a.Length; i++)
            a[i] = f.Get(i).ToString();
        return a;
    }

    /// <summary>The field, trimmed; empty when the row is shorter.</summary>
    public static ReadOnlySpan<char> Field<T>(this T f, int index) where T : IRowFields, allows ref struct =>
        index >= 0 && index < f.Count ? f.Get(index).Trim() : [];
}

/// <summary>The fields of a row read by Sep (<see cref="CsvRecordReader.TryTakeCleanLines"/>: no quotes, so no unescaping).</summary>
internal readonly ref struct SepRowFields(nietras.SeparatedValues.SepReader.Row row) : IRowFields
{
    private readonly nietras.SeparatedValues.SepReader.Row _row = row;
    public int Count => _row.ColCount;
    public ReadOnlySpan<char> Get(int index) => _row[index].Span;
    public bool IsNumber(int index) => false;
}
