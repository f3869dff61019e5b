namespace ZeroPark.Application;

/// <summary>Maximum lengths of names and free text, checked by the store before anything is written (a 25 MB space name once made
/// every registry page 26 MB). The error names the field and both lengths.</summary>
public static class TextLimits
{
    /// <summary>Codes of parks, spaces and meters.</summary>
    public const int Code = 64;

    /// <summary>Names: parks, spaces, meters, API keys, units, levels, regions.</summary>
    public const int Name = 200;

    /// <summary>Free text: descriptions, reasons, formulas.</summary>
    public const int Text = 2000;

    /// <summary>Throws a <see cref="ValidationException"/> on <paramref name="field"/> when <paramref name="value"/> is longer than <paramref name="max"/>.</summary>
    public static void Check(string field, string? value, int max)
    {
        if (value is not null && value.Length > max)
            throw new ValidationException(field, $"'{field}' has {value.Length} characters; at most {max} are allowed");
    }
}
