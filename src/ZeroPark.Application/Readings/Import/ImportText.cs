using System.Globalization;

namespace ZeroPark.Application.Readings.Import;

/// <summary>Small text helpers shared by the import parsers.</summary>
internal static class ImportText
{
    private static readonly NumberFormatInfo CommaDecimal = NumberFormatInfo.ReadOnly(new NumberFormatInfo
    {
        NumberDecimalSeparator = ",",
        NumberGroupSeparator = "\u202F",
    });

    public static void Add(ref string? reason, string? more)
    {
        if (more is not null)
            reason = reason is null ? more : reason + "; " + more;
    }

    /// <summary>A value for an error message, cut to a readable length.</summary>
    public static string Show(ReadOnlySpan<char> s) => s.Length <= 40 ? s.ToString() : string.Concat(s[..40], "…");

    /// <summary>Invariant float (no thousands separators); with <paramref name="decimalComma"/>, <c>1234,5</c>.</summary>
    public static bool TryNumber(ReadOnlySpan<char> s, bool decimalComma, out double value) =>
        double.TryParse(s, NumberStyles.Float, decimalComma ? CommaDecimal : NumberFormatInfo.InvariantInfo, out value);
}
