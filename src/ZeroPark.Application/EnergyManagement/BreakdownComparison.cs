using System.Globalization;

namespace ZeroPark.Application.EnergyManagement;

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
        var earlier = by == EnergyBucketing.Month ? await EarlierAsync(service, park, node, rows, ct) : [];
        var result = new List<BreakdownCompareView>(rows.Count);
        foreach (var r in rows)
        {
            BreakdownComparisonView? mom = null, yoy = null;
            var notes = r.Notes.ToList();
            if (by == EnergyBucketing.Month)
            {
                var (first, last) = Dates(r);
                mom = Compare(r, "previous_month", earlier[Shift(first, last, 1)], notes);
                yoy = Compare(r, "previous_year", earlier[Shift(first, last, 12)], notes);
            }
            result.Add(new BreakdownCompareView(r.Start, r.End, r.Node, r.TotalKwh, r.ItKwh, r.CoolingKwh, r.PowerKwh, r.AuxKwh, r.UnmeteredKwh, r.Shares,
                r.Systems, r.Completeness, notes, mom, yoy));
        }
        return result;
    }

    private static (DateOnly From, DateOnly To) Dates(BreakdownRowView r) =>
        (DateOnly.FromDateTime(r.Start.DateTime), DateOnly.FromDateTime(r.End.DateTime).AddDays(-1));

    /// <summary>
    /// The breakdown of every earlier period the month rows compare with, by local dates. Periods that are rows themselves (the
    /// previous month of every whole month but the first) are taken from the rows; the other whole months with one monthly query
    /// over their span when most of its months are needed (a year by month: the previous year's twelve, and the December before);
    /// what remains (months cut by the range) with one total query each. One query per comparison made a year by month 24 queries.
    /// </summary>
    private static async Task<Dictionary<(DateOnly, DateOnly), BreakdownRowView>> EarlierAsync(EnergyService service, string park, string? node,
        List<BreakdownRowView> rows, CancellationToken ct)
    {
        var found = new Dictionary<(DateOnly, DateOnly), BreakdownRowView>();
        foreach (var r in rows) found.TryAdd(Dates(r), r);
        var wanted = rows.SelectMany(r => { var (f, l) = Dates(r); return new[] { Shift(f, l, 1), Shift(f, l, 12) }; })
            .Where(w => !found.ContainsKey(w)).Distinct().ToList();
        var whole = wanted.Where(w => w.From.Day == 1 && w.To == w.From.AddMonths(1).AddDays(-1)).ToList();
        if (whole.Count > 0)
        {
            var (spanFrom, spanTo) = (whole.Min(w => w.From), whole.Max(w => w.To));
            var spanMonths = (spanTo.Year - spanFrom.Year) * 12 + spanTo.Month - spanFrom.Month + 1;
            if (spanMonths <= 24 && whole.Count * 2 >= spanMonths)
                foreach (var r in (await service.BreakdownAsync(park, node, spanFrom, spanTo, EnergyBucketing.Month, false, ct)).Select(BreakdownRowView.From))
                    found.TryAdd(Dates(r), r);
        }
        foreach (var w in wanted.Where(w => !found.ContainsKey(w)))
            found[w] = BreakdownRowView.From((await service.BreakdownAsync(park, node, w.From, w.To, EnergyBucketing.Total, false, ct)).Single());
        return found;
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

    private static BreakdownComparisonView Compare(BreakdownRowView current, string basis, BreakdownRowView prev, List<string> notes)
    {
        var key = basis == "previous_month" ? "mom" : "yoy";
        var range = Dates(prev);
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
