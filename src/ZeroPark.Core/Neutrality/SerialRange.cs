using System.Numerics;

namespace ZeroPark.Neutrality;

/// <summary>A range of certificate serial numbers: a common prefix and a numeric tail, from ≤ to (both inclusive), e.g.
/// <c>GEC2025A000001</c>…<c>GEC2025A001000</c> = 1,000 serials. A single serial is a range of one.</summary>
public sealed record SerialRange(string Prefix, BigInteger From, BigInteger To, int Width)
{
    public BigInteger Count => To - From + 1;

    public string FromText => Prefix + From.ToString().PadLeft(Width, '0');
    public string ToText => Prefix + To.ToString().PadLeft(Width, '0');

    public override string ToString() => From == To ? FromText : $"{FromText}…{ToText}";

    /// <summary>True when both ranges share a prefix and at least one serial.</summary>
    public bool Overlaps(SerialRange other) =>
        string.Equals(Prefix, other.Prefix, StringComparison.OrdinalIgnoreCase) && From <= other.To && other.From <= To;

    /// <summary>Parses a range; <paramref name="to"/> empty means a single serial. Returns null and a reason when the texts are
    /// not a range (no numeric tail, different prefixes, to before from).</summary>
    public static (SerialRange? Range, string? Error) Parse(string? from, string? to)
    {
        var a = (from ?? "").Trim();
        var b = (to ?? "").Trim();
        if (a.Length == 0 && b.Length == 0) return (null, null);
        if (a.Length == 0) return (null, "serial_from is empty but serial_to is given");
        if (b.Length == 0) b = a;
        var (pa, na, wa) = Split(a);
        var (pb, nb, _) = Split(b);
        if (na is null) return (null, $"serial '{a}' does not end in digits");
        if (nb is null) return (null, $"serial '{b}' does not end in digits");
        if (!string.Equals(pa, pb, StringComparison.OrdinalIgnoreCase)) return (null, $"serials '{a}' and '{b}' have different prefixes ('{pa}' vs '{pb}')");
        if (nb < na) return (null, $"serial_to '{b}' is before serial_from '{a}'");
        return (new SerialRange(pa, na.Value, nb.Value, wa), null);
    }

    private static (string Prefix, BigInteger? Number, int Width) Split(string s)
    {
        var i = s.Length;
        while (i > 0 && char.IsAsciiDigit(s[i - 1])) i--;
        if (i == s.Length) return (s, null, 0);
        return (s[..i], BigInteger.Parse(s[i..], System.Globalization.CultureInfo.InvariantCulture), s.Length - i);
    }
}
