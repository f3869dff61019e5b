namespace ZeroPark.EnergyManagement;

/// <summary>Energy-efficiency grade of GB 40879-2021《数据中心能效限定值及能效等级》: grade 1 is best, grade 3 is the limit
/// value (能效限定值); above it the data center does not comply.</summary>
public enum Gb40879Grade
{
    NonCompliant = 0,
    Grade1 = 1,
    Grade2 = 2,
    Grade3 = 3,
}

/// <summary>
/// GB 40879-2021 grading of the electricity ratio R = E / E_IT (§6.3.2.4 formula (5), full-year metered; equal to PUE).
/// Thresholds (Table 1): grade 1 R ≤ 1.20, grade 2 R ≤ 1.30, grade 3 R ≤ 1.50, each inclusive; R &gt; 1.50 fails the limit.
/// Source: reference data §4.2 (thresholds confidence M — the table was not seen verbatim; grade 2 = 1.30 is corroborated by
/// the MIIT 2025 green data-center notice); inclusivity as in worked case WC-02.
/// </summary>
public static class Gb40879
{
    public const decimal Grade1Limit = 1.20m;
    public const decimal Grade2Limit = 1.30m;
    public const decimal Grade3Limit = 1.50m;

    /// <summary>The grade of a ratio R (≥ 1). Compared in decimal so that a ratio computed as 1.3000000000000003 (binary
    /// rounding of e.g. 13/10 written another way) is still 1.30: the double is first rounded to 15 significant digits.</summary>
    public static Gb40879Grade Grade(double r)
    {
        if (double.IsNaN(r) || double.IsInfinity(r)) throw new ArgumentOutOfRangeException(nameof(r), r, "R must be a finite number");
        return Grade(ToDecimal(r));
    }

    public static Gb40879Grade Grade(decimal r) =>
        r <= Grade1Limit ? Gb40879Grade.Grade1
        : r <= Grade2Limit ? Gb40879Grade.Grade2
        : r <= Grade3Limit ? Gb40879Grade.Grade3
        : Gb40879Grade.NonCompliant;

    /// <summary>Wire code: "1", "2", "3" or "non_compliant".</summary>
    public static string Code(Gb40879Grade g) => g switch
    {
        Gb40879Grade.Grade1 => "1",
        Gb40879Grade.Grade2 => "2",
        Gb40879Grade.Grade3 => "3",
        _ => "non_compliant",
    };

    private static decimal ToDecimal(double r) =>
        Math.Abs(r) > 1e15 ? (r > 0 ? decimal.MaxValue : decimal.MinValue) : decimal.Parse(r.ToString("G15", System.Globalization.CultureInfo.InvariantCulture),
            System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);
}
