using System.Globalization;

namespace ZeroPark.Application.EnergyManagement;

/// <summary>One bucket's earlier period: month-on-month (环比, <c>previous_month</c>) or year-on-year (同比,
/// <c>previous_year</c>). <see cref="Values"/> holds the earlier period's figures under the same names as the row's fields and
/// <see cref="ChangePct"/> the change (current − previous) ÷ previous × 100, rounded to 2 decimals; a change is null when either
/// value is null or the previous one is 0 (the row's <c>notes</c> say which and why).</summary>
public sealed record PeriodChangeView(string Basis, DateTimeOffset Start, DateTimeOffset End, IReadOnlyDictionary<string, double?> Values,
    IReadOnlyDictionary<string, double?> ChangePct, double Completeness);

/// <summary>
/// Month-on-month and year-on-year comparisons of KPI rows and cost rows (the breakdown has its own, <see cref="BreakdownComparison"/>,
/// with the same period rules). With <c>by=month</c> every row gets <c>mom</c> and <c>yoy</c>; with <c>by=year</c> only <c>yoy</c>;
/// other bucketings get neither. A whole local month compares with the whole previous month and the same month a year earlier; a
/// month or year cut by the range compares with the same local dates one month / one year earlier
/// (<see cref="BreakdownComparison.Shift"/>). Earlier periods that are rows of the query itself are taken from it; the other
/// earlier whole months are read with one monthly query per span of up to two years
/// (when most months of the span are needed; else one query per month); cut buckets (at most the first and the last) need a
/// query each.
/// </summary>
public static class PeriodComparison
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The KPI names compared, in order (wire names of <see cref="KpiRowView"/> and its inputs).</summary>
    public static readonly IReadOnlyList<string> KpiKeys = ["pue", "clf", "plf", "alf", "wue", "erf", "ere", "ref", "cer", "total_kwh", "it_kwh", "water_m3"];

    /// <summary>The cost figures compared, in order (wire names of <see cref="CostRowView"/>).</summary>
    public static readonly IReadOnlyList<string> CostKeys =
        ["energy_kwh", "cost_cny", "average_price_cny_per_kwh", "it_cost_cny", "cooling_cost_cny", "power_cost_cny", "aux_cost_cny"];

    private static Dictionary<string, double?> KpiValues(KpiRowView r) => new(StringComparer.Ordinal)
    {
        ["pue"] = r.Pue, ["clf"] = r.Clf, ["plf"] = r.Plf, ["alf"] = r.Alf, ["wue"] = r.Wue, ["erf"] = r.Erf, ["ere"] = r.Ere, ["ref"] = r.Ref,
        ["cer"] = r.Cer, ["total_kwh"] = r.Inputs.TotalKwh, ["it_kwh"] = r.Inputs.ItKwh, ["water_m3"] = r.Inputs.WaterM3,
    };

    private static Dictionary<string, double?> CostValues(CostRowView r) => new(StringComparer.Ordinal)
    {
        ["energy_kwh"] = r.EnergyKwh, ["cost_cny"] = r.CostCny, ["average_price_cny_per_kwh"] = r.AveragePriceCnyPerKwh, ["it_cost_cny"] = r.ItCostCny,
        ["cooling_cost_cny"] = r.CoolingCostCny, ["power_cost_cny"] = r.PowerCostCny, ["aux_cost_cny"] = r.AuxCostCny,
    };

    /// <summary>KPI rows (as <see cref="EnergyService.KpiAsync"/>) with <c>mom</c>/<c>yoy</c> for month and year buckets.</summary>
    public static async Task<List<KpiRowView>> KpiAsync(EnergyService service, string park, string? node, DateOnly from, DateOnly to, EnergyBucketing by,
        CancellationToken ct = default)
    {
        var rows = (await service.KpiAsync(park, node, from, to, by, ct)).Select(KpiRowView.From).ToList();
        var compared = await CompareAsync(rows, by, r => (r.Start, r.End), KpiValues, r => r.Completeness,
            async (f, t, b) => (await service.KpiAsync(park, node, f, t, b, ct)).Select(KpiRowView.From).ToList());
        return rows.Select((r, i) => r with { Notes = compared[i].Notes, Mom = compared[i].Mom, Yoy = compared[i].Yoy }).ToList();
    }

    /// <summary>Cost rows (as <see cref="EnergyCostService.CostAsync"/>) with <c>mom</c>/<c>yoy</c> for month and year buckets.</summary>
    public static async Task<List<CostRowView>> CostAsync(EnergyCostService service, string park, string? node, DateOnly from, DateOnly to, EnergyBucketing by,
        CancellationToken ct = default)
    {
        var rows = (await service.CostAsync(park, node, from, to, by, ct)).Select(CostRowView.From).ToList();
        var compared = await CompareAsync(rows, by, r => (r.Start, r.End), CostValues, r => r.Completeness,
            async (f, t, b) => (await service.CostAsync(park, node, f, t, b, ct)).Select(CostRowView.From).ToList());
        return rows.Select((r, i) => r with { Notes = compared[i].Notes, Mom = compared[i].Mom, Yoy = compared[i].Yoy }).ToList();
    }

    private static (DateOnly First, DateOnly Last) Dates(DateTimeOffset start, DateTimeOffset end) =>
        (DateOnly.FromDateTime(start.DateTime), DateOnly.FromDateTime(end.DateTime).AddDays(-1));

    private static bool WholeMonth((DateOnly From, DateOnly To) r) => r.From.Day == 1 && r.To == r.From.AddMonths(1).AddDays(-1);

    /// <summary>For each row: its notes plus the comparison notes, and its mom / yoy. <paramref name="fetch"/> runs the same query over
    /// other dates (local, inclusive) and bucketing.</summary>
    private static async Task<List<(IReadOnlyList<string> Notes, PeriodChangeView? Mom, PeriodChangeView? Yoy)>> CompareAsync<T>(IReadOnlyList<T> rows,
        EnergyBucketing by, Func<T, (DateTimeOffset Start, DateTimeOffset End)> span, Func<T, Dictionary<string, double?>> values, Func<T, double> completeness,
        Func<DateOnly, DateOnly, EnergyBucketing, Task<List<T>>> fetch)
    {
        var result = rows.Select(r => ((IReadOnlyList<string>)[], (PeriodChangeView?)null, (PeriodChangeView?)null)).ToList();
        if (by is not (EnergyBucketing.Month or EnergyBucketing.Year) || rows.Count == 0)
        {
            for (var i = 0; i < rows.Count; i++) result[i] = (Notes(rows[i]), null, null);
            return result;
        }
        IReadOnlyList<string> Notes(T row) => row switch { KpiRowView k => k.Notes, CostRowView c => c.Notes, _ => [] };

        // The earlier periods of every row.
        var wanted = new List<(int Row, string Basis, (DateOnly From, DateOnly To) Range)>();
        for (var i = 0; i < rows.Count; i++)
        {
            var (first, last) = Dates(span(rows[i]).Start, span(rows[i]).End);
            if (by == EnergyBucketing.Month) wanted.Add((i, "previous_month", BreakdownComparison.Shift(first, last, 1)));
            wanted.Add((i, "previous_year", BreakdownComparison.Shift(first, last, 12)));
        }
        // Earlier periods that are rows of this query (the previous month of every month but the first, the previous year of a
        // later year) are taken from it: reading them again doubled the work of a year by month. Whole earlier months: one monthly
        // query over their span; every other range: one total query each.
        var found = new Dictionary<(DateOnly, DateOnly), T>();
        foreach (var r in rows) found.TryAdd(Dates(span(r).Start, span(r).End), r);
        var whole = wanted.Select(w => w.Range).Where(r => WholeMonth(r) && !found.ContainsKey(r)).Distinct().ToList();
        // (in spans of at most two years, so a long range stays within the services' own range limits; a span where most months are
        // not needed, e.g. December and the January a year earlier of a one-month query, is read month by month instead)
        foreach (var chunk in Chunks(whole.OrderBy(w => w.From).ToList()))
        {
            var spanMonths = (chunk.To.Year - chunk.From.Year) * 12 + chunk.To.Month - chunk.From.Month + 1;
            if (chunk.Needed * 2 < spanMonths) continue;    // read below, one total query each
            foreach (var r in await fetch(chunk.From, chunk.To, EnergyBucketing.Month))
                found[Dates(span(r).Start, span(r).End)] = r;
        }
        foreach (var range in wanted.Select(w => w.Range).Where(r => !found.ContainsKey(r)).Distinct().ToList())
            found[range] = (await fetch(range.From, range.To, EnergyBucketing.Total)).Single();

        for (var i = 0; i < rows.Count; i++)
        {
            var notes = Notes(rows[i]).ToList();
            var current = values(rows[i]);
            PeriodChangeView? mom = null, yoy = null;
            foreach (var w in wanted.Where(w => w.Row == i))
            {
                var prevRow = found[w.Range];
                var prev = values(prevRow);
                var change = current.Keys.ToDictionary(k => k, k => Change(current[k], prev[k]), StringComparer.Ordinal);
                var key = w.Basis == "previous_month" ? "mom" : "yoy";
                var spanText = $"{w.Range.From.ToString("yyyy-MM-dd", Inv)}..{w.Range.To.ToString("yyyy-MM-dd", Inv)}";
                if (prev.Values.All(v => v is null))
                    notes.Add($"{key}: no data for {spanText}; the {(key == "mom" ? "month-on-month" : "year-on-year")} changes are null");
                else
                {
                    var missing = change.Where(c => c.Value is null && (current[c.Key] is not null || prev[c.Key] is not null)).Select(c => c.Key).ToList();
                    if (missing.Count > 0)
                        notes.Add($"{key}: no comparable value for {string.Join(", ", missing)} (null in {spanText} or in this period, or 0 in {spanText}); their change is null");
                    var prevCompleteness = completeness(prevRow);
                    if (prevCompleteness < 100)
                        notes.Add($"{key}: {spanText} is only {prevCompleteness.ToString("0.##", Inv)} % complete; the change compares incomplete data");
                }
                var (ps, pe) = span(prevRow);
                var view = new PeriodChangeView(w.Basis, ps, pe, prev, change, completeness(prevRow));
                if (key == "mom") mom = view; else yoy = view;
            }
            result[i] = (notes, mom, yoy);
        }
        return result;
    }

    /// <summary>Sorted whole months grouped into spans of at most 24 months (a span may include months nobody asked for).</summary>
    private static IEnumerable<(DateOnly From, DateOnly To, int Needed)> Chunks(IReadOnlyList<(DateOnly From, DateOnly To)> months)
    {
        var i = 0;
        while (i < months.Count)
        {
            var from = months[i].From;
            var to = months[i].To;
            var needed = 1;
            while (i + 1 < months.Count && months[i + 1].To <= from.AddMonths(24).AddDays(-1))
            {
                to = months[++i].To;
                needed++;
            }
            i++;
            yield return (from, to, needed);
        }
    }

    internal static double? Change(double? current, double? previous) =>
        current is { } c && previous is { } p && p != 0 ? Math.Round((c - p) / p * 100, 2) : null;
}
