using System.Globalization;

namespace ZeroPark.Storage.EnergyManagement;

/// <summary>The same bucket one month (环比, month-on-month) or one year (同比, year-on-year) earlier, and the change in percent
/// of each energy: (current − previous) ÷ previous × 100, null when either is missing or the previous is 0.</summary>
public sealed record BreakdownComparisonView(string Basis, DateTimeOffset Start, DateTimeOffset End, double? TotalKwh, double? ItKwh, double? CoolingKwh,
    double? PowerKwh, double? AuxKwh, double Completeness, IReadOnlyDictionary<string, double?> ChangePct);

/// <summary>A breakdown row (same fields as <see cref="BreakdownRowView"/>) with, when bucketed by month, its month-on-month
/// (<c>mom</c>) and year-on-year (<c>yoy</c>) comparisons; null for other bucketings.</summary>
public sealed record BreakdownCompareView(DateTimeOffset Start, DateTimeOffset End, string Node, double? TotalKwh, double? ItKwh, double? CoolingKwh,
    double? PowerKwh, double? AuxKwh, double? UnmeteredKwh, IReadOnlyDictionary<string, double?> Shares, IReadOnlyList<SystemEnergyView> Systems,
    double Completeness, IReadOnlyList<string> Notes, BreakdownComparisonView? Mom, BreakdownComparisonView? Yoy);

/// <summary>
/// Month-on-month and year-on-year comparison of the subsystem breakdown. For a whole local month the comparison is the whole
/// previous month (Feb → all of January) and the same month a year earlier; for a month cut by the range (e.g. 2025-03-10..03-20)
/// the same local dates one month / one year earlier (clamped to the month's end: 03-31 → 02-28).
/// </summary>
public static class BreakdownComparison
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The breakdown; with <see cref="EnergyBucketing.Month"/> each row carries its <c>mom</c> and <c>yoy</c> comparison.</summary>
    public static async Task<List<BreakdownCompareView>> BreakdownAsync(EnergyService service, string park, string? node, DateOnly from, DateOnly to,
        EnergyBucketing by, bool detail, CancellationToken ct = default)
    {
        var rows = (await service.BreakdownAsync(park, node, from, to, by, detail, ct)).Select(BreakdownRowView.From).ToList();
        var result = new List<BreakdownCompareView>(rows.Count);
        foreach (var r in rows)
        {
            BreakdownComparisonView? mom = null, yoy = null;
            var notes = r.Notes.ToList();
            if (by == EnergyBucketing.Month)
            {
                var first = DateOnly.FromDateTime(r.Start.DateTime);
                var last = DateOnly.FromDateTime(r.End.DateTime).AddDays(-1);
                mom = await CompareAsync(service, park, node, r, "previous_month", Shift(first, last, 1), notes, ct);
                yoy = await CompareAsync(service, park, node, r, "previous_year", Shift(first, last, 12), notes, ct);
            }
            result.Add(new BreakdownCompareView(r.Start, r.End, r.Node, r.TotalKwh, r.ItKwh, r.CoolingKwh, r.PowerKwh, r.AuxKwh, r.UnmeteredKwh, r.Shares,
                r.Systems, r.Completeness, notes, mom, yoy));
        }
        return result;
    }

    /// <summary>The local dates <paramref name="months"/> months before [first, last]: a whole month maps to the whole earlier month.</summary>
    public static (DateOnly From, DateOnly To) Shift(DateOnly first, DateOnly last, int months)
    {
        var wholeMonth = first.Day == 1 && last == first.AddMonths(1).AddDays(-1);
        if (wholeMonth)
        {
            var start = first.AddMonths(-months);
            return (start, start.AddMonths(1).AddDays(-1));
        }
        return (first.AddMonths(-months), last.AddMonths(-months));
    }

    private static async Task<BreakdownComparisonView> CompareAsync(EnergyService service, string park, string? node, BreakdownRowView current, string basis,
        (DateOnly From, DateOnly To) range, List<string> notes, CancellationToken ct)
    {
        var key = basis == "previous_month" ? "mom" : "yoy";
        var prev = BreakdownRowView.From((await service.BreakdownAsync(park, node, range.From, range.To, EnergyBucketing.Total, false, ct)).Single());
        var span = $"{range.From.ToString("yyyy-MM-dd", Inv)}..{range.To.ToString("yyyy-MM-dd", Inv)}";
        var change = new Dictionary<string, double?>(StringComparer.Ordinal)
        {
            ["total"] = Change(current.TotalKwh, prev.TotalKwh),
            ["it"] = Change(current.ItKwh, prev.ItKwh),
            ["cooling"] = Change(current.CoolingKwh, prev.CoolingKwh),
            ["power"] = Change(current.PowerKwh, prev.PowerKwh),
            ["aux"] = Change(current.AuxKwh, prev.AuxKwh),
        };
        if (prev.TotalKwh is null && prev.ItKwh is null && prev.CoolingKwh is null && prev.PowerKwh is null && prev.AuxKwh is null)
            notes.Add($"{key}: no data for {span}; the {(key == "mom" ? "month-on-month" : "year-on-year")} change is null");
        else
        {
            var missing = change.Where(c => c.Value is null).Select(c => c.Key).ToList();
            if (missing.Count > 0)
                notes.Add($"{key}: no comparable value for {string.Join(", ", missing)} ({span} or this period has no readings, or the earlier value is 0); their change is null");
            if (prev.Completeness < 100)
                notes.Add($"{key}: {span} is only {prev.Completeness.ToString("0.##", Inv)} % complete; the change compares incomplete data");
        }
        return new BreakdownComparisonView(basis, prev.Start, prev.End, prev.TotalKwh, prev.ItKwh, prev.CoolingKwh, prev.PowerKwh, prev.AuxKwh, prev.Completeness, change);
    }

    private static double? Change(double? current, double? previous) =>
        current is { } c && previous is { } p && p != 0 ? Math.Round((c - p) / p * 100, 2) : null;
}
