using System.Globalization;

namespace ZeroPark.Metering;

/// <summary>
/// The formula of a virtual meter: a linear combination of other meters, e.g. <c>ups1_in - ups1_out</c> or
/// <c>pdu_a1 + pdu_a2 + 0.5 * shared_feed</c>. Only linear formulas are allowed, so a virtual meter's hourly,
/// daily and monthly values are exactly the same combination of its components' rollups.
/// Written by hand (a few dozen lines) because no expression library is needed for + − and constant factors.
/// </summary>
public sealed record LinearFormula(IReadOnlyList<(string Code, double Coefficient)> Terms)
{
    /// <summary>Parses <c>term (('+'|'-') term)*</c> where term is <c>[number '*'] code</c> or <c>code ['*' number]</c>.
    /// Throws <see cref="FormatException"/> naming the position of the problem.</summary>
    public static LinearFormula Parse(string text)
    {
        var terms = new List<(string, double)>();
        var i = 0;
        var sign = 1.0;
        SkipSpaces(text, ref i);
        if (i < text.Length && (text[i] == '-' || text[i] == '+')) { sign = text[i] == '-' ? -1 : 1; i++; }
        while (true)
        {
            SkipSpaces(text, ref i);
            var coef = 1.0;
            string? code = null;
            var tok = Token(text, ref i);
            if (tok.Length == 0) throw new FormatException($"formula '{text}': expected a meter code or number at position {i + 1}");
            if (double.TryParse(tok, NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
            {
                coef = n;
                SkipSpaces(text, ref i);
                if (i >= text.Length || text[i] != '*') throw new FormatException($"formula '{text}': expected '*' after {tok}");
                i++;
                SkipSpaces(text, ref i);
                code = Token(text, ref i);
                if (code.Length == 0) throw new FormatException($"formula '{text}': expected a meter code at position {i + 1}");
            }
            else
            {
                code = tok;
                SkipSpaces(text, ref i);
                if (i < text.Length && text[i] == '*')
                {
                    i++;
                    SkipSpaces(text, ref i);
                    var num = Token(text, ref i);
                    if (!double.TryParse(num, NumberStyles.Float, CultureInfo.InvariantCulture, out coef))
                        throw new FormatException($"formula '{text}': '{num}' is not a number (only linear formulas are allowed)");
                }
            }
            terms.Add((code, sign * coef));
            SkipSpaces(text, ref i);
            if (i >= text.Length) break;
            if (text[i] == '+') sign = 1;
            else if (text[i] == '-') sign = -1;
            else throw new FormatException($"formula '{text}': unexpected '{text[i]}' at position {i + 1} (only + - and constant factors are allowed)");
            i++;
        }
        return new LinearFormula(terms);
    }

    private static void SkipSpaces(string s, ref int i)
    {
        while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
    }

    private static string Token(string s, ref int i)
    {
        var start = i;
        // '-' is always the minus operator here: meters whose code contains '-' cannot appear in formulas.
        while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] is '_' or '.'))
            i++;
        return s[start..i];
    }
}
