using System.Globalization;
using ZeroPark.Domain;

namespace ZeroPark.Application.EnergyManagement;

/// <summary>Thresholds of anomalous-area detection. Own history: a building's monthly KPI is anomalous when it deviates from the
/// mean of its previous <see cref="HistoryMonths"/> months (at least 3 with a value) by at least <see cref="DeviationPct"/> % AND
/// by at least <see cref="K"/> standard deviations (the σ test is skipped when σ = 0). Peers: when it deviates from the median of
/// all buildings' values in that month (at least 3 buildings) by at least <see cref="PeerDeviationPct"/> %.</summary>
public sealed record AnomalyOptions(double K = 2, double DeviationPct = 10, double PeerDeviationPct = 10, int HistoryMonths = 12)
{
    public void Validate()
    {
        if (!double.IsFinite(K) || K < 0) throw new ValidationException("k", "'k' must be a number of standard deviations ≥ 0");
        if (!double.IsFinite(DeviationPct) || DeviationPct < 0) throw new ValidationException("deviation_pct", "'deviation_pct' must be a percentage ≥ 0");
        if (!double.IsFinite(PeerDeviationPct) || PeerDeviationPct < 0) throw new ValidationException("peer_deviation_pct", "'peer_deviation_pct' must be a percentage ≥ 0");
        if (HistoryMonths is < 3 or > 60) throw new ValidationException("history_months", "'history_months' must be between 3 and 60");
    }
}

/// <summary>One building's (or, across parks, one park's) figures over the assessed period (1 January .. as-of) and its ranks
/// (1 = best; ties share a rank; null when the figure is unknown).</summary>
/// <param name="IntensityKwhPerRack">Energy intensity: E_DC ÷ racks in use (racks with IT energy in the period).</param>
/// <param name="SavedVsPlan">Plan to date − actual (positive = below plan).</param>
/// <param name="SavedVsLastYear">Actual of the same dates last year − actual (positive = less than last year).</param>
public sealed record NodeAssessment(string Node, string Name, Energy? Energy, Energy? It, Volume? Water, double? Pue, double? Wue, int RacksInUse,
    double? IntensityKwhPerRack, Energy? AnnualPlan, Energy? PlanToDate, Energy? SavedVsPlan, double? SavedVsPlanPct, Energy? LastYear,
    Energy? SavedVsLastYear, double? SavedVsLastYearPct, int? RankPue, int? RankWue, int? RankIntensity, int? RankPlan, double Completeness,
    IReadOnlyList<string> Notes)
{
    /// <summary>Carbon saved vs plan: energy saved × the location-based grid factor valid on the as-of date (tCO2).</summary>
    public double? CarbonSavedVsPlanT { get; init; }
    /// <summary>Carbon saved vs the same dates last year, at the same factor (tCO2).</summary>
    public double? CarbonSavedVsLastYearT { get; init; }
    /// <summary>The factor record used for the carbon saved (citation with record id and version).</summary>
    public string? CarbonFactor { get; init; }
}

/// <summary>An anomalous month of one building's KPI: basis <c>own_history</c> (reference = mean of the previous months, with σ and z)
/// or <c>peers</c> (reference = the median of all buildings that month).</summary>
public sealed record Anomaly(string Node, string Month, string Kpi, double Value, string Basis, double Reference, double DeviationPct, double? StdDev,
    double? Z, int Samples, string Reason);

/// <summary>An assessment of the buildings of one park (<see cref="Level"/> = building, <see cref="Park"/> its code) or of every
/// park of the store (<see cref="Level"/> = park, <see cref="Park"/> null).</summary>
public sealed record Assessment(string? Park, string Level, int Year, DateOnly From, DateOnly AsOf, AnomalyOptions Options, IReadOnlyList<NodeAssessment> Nodes,
    IReadOnlyList<Anomaly> Anomalies, IReadOnlyList<string> Notes);

/// <summary>
/// Comprehensive assessment of a park's buildings (or of every park) over a year to date: PUE, WUE, energy intensity (kWh per rack
/// in use), actual vs plan and vs the same dates last year, with rankings; and anomalous-area detection on the monthly PUE and WUE
/// of each node against its own trailing history and against its peers (the other buildings, or the other parks).
/// </summary>
public sealed class AssessmentService(ZeroParkStore store, EnergyService energyService, EnergyPlanService plans, Carbon.CarbonService carbon)
{
    /// <summary>Without dependency injection (tests, tools): its own energy, plan and carbon services over the same store.</summary>
    public AssessmentService(ZeroParkStore store) : this(store, new EnergyService(store), new EnergyPlanService(store), new Carbon.CarbonService(store)) { }

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public async Task<Assessment> AssessAsync(string parkCode, int? year, DateOnly? asOf, AnomalyOptions? options = null, CancellationToken ct = default)
    {
        var opt = options ?? new AnomalyOptions();
        opt.Validate();
        var y = PlanRules.ParseYear(year);
        var reg = await store.Registry.GetRegistryAsync(parkCode, ct);
        var (from, a) = Period(reg, y, asOf);
        var buildings = reg.SpacesByCode.Values.Where(s => s.Level == SpaceLevel.Building).OrderBy(s => s.Code, StringComparer.Ordinal).ToList();
        var notes = new List<string>();
        if (buildings.Count == 0) notes.Add($"park '{reg.Park.Code}' has no buildings");
        var rows = new List<NodeAssessment>();
        var monthly = new List<(string Code, IReadOnlyList<KpiRow> Rows)>();
        foreach (var b in buildings)
        {
            var (row, months) = await NodeAsync(reg, b, y, from, a, opt, ct);
            rows.Add(row);
            monthly.Add((b.Code, months));
        }
        notes.Add("intensity: kWh of E_DC per rack in use (a rack space, or an it_load meter outside rack spaces, with IT energy in the period)");
        return new Assessment(reg.Park.Code, "building", y, from, a, opt, Ranked(rows), Anomalies(monthly, y, a, opt), notes);
    }

    /// <summary>The same assessment with every park of the store as one node (park totals), ranked against each other. Without
    /// <paramref name="asOf"/>, each park is assessed up to its own local today.</summary>
    /// <param name="visible">Only the parks for which this is true (a user's grants); null: every park.</param>
    public async Task<Assessment> AssessParksAsync(int? year, DateOnly? asOf, AnomalyOptions? options = null, Func<string, bool>? visible = null,
        CancellationToken ct = default)
    {
        var opt = options ?? new AnomalyOptions();
        opt.Validate();
        var y = PlanRules.ParseYear(year);
        var parks = await store.Registry.ListParksAsync(ct);
        var rows = new List<NodeAssessment>();
        var monthly = new List<(string Code, IReadOnlyList<KpiRow> Rows)>();
        var last = new DateOnly(y, 1, 1);
        foreach (var park in parks.Where(p => visible?.Invoke(p.Code) ?? true).OrderBy(p => p.Code, StringComparer.Ordinal))
        {
            var reg = await store.Registry.GetRegistryAsync(park.Code, ct);
            var (from, a) = Period(reg, y, asOf);
            if (a > last) last = a;
            var (row, months) = await NodeAsync(reg, null, y, from, a, opt, ct);
            rows.Add(row);
            monthly.Add((park.Code, months));
        }
        var notes = new List<string>();
        if (rows.Count == 0) notes.Add("the store has no parks");
        notes.Add("parks: each park is one node (its totals); intensity: kWh of E_DC per rack in use");
        return new Assessment(null, "park", y, new DateOnly(y, 1, 1), asOf is { } x && x < last ? x : last, opt, Ranked(rows), Anomalies(monthly, y, last, opt), notes);
    }

    private (DateOnly From, DateOnly AsOf) Period(ParkRegistry reg, int y, DateOnly? asOf)
    {
        var from = new DateOnly(y, 1, 1);
        var a = asOf ?? store.Plans.LocalToday(reg.Park);
        if (a > new DateOnly(y, 12, 31)) a = new DateOnly(y, 12, 31);
        if (a < from) throw new ValidationException("as_of", $"'as_of': {a:yyyy-MM-dd} is before the assessed year {y}");
        return (from, a);
    }

    /// <summary>The figures of one node (a building, or the park when <paramref name="space"/> is null) and its monthly KPIs over the
    /// trailing history and the year.</summary>
    private async Task<(NodeAssessment Row, IReadOnlyList<KpiRow> Months)> NodeAsync(ParkRegistry reg, Space? space, int y, DateOnly from, DateOnly a,
        AnomalyOptions opt, CancellationToken ct)
    {
        var energy = energyService;
        var notes = new List<string>();
        var kpi = (await energy.KpiAsync(reg.Park.Code, space?.Code, from, a, EnergyBucketing.Total, ct))[0];
        var months = await energy.KpiAsync(reg.Park.Code, space?.Code, from.AddMonths(-opt.HistoryMonths), a, EnergyBucketing.Month, ct);
        var inputs = kpi.Kpis.Inputs;
        var e = kpi.Kpis.Total?.KilowattHours;
        var racks = DeviceAnalysisService.Racks(reg, space);
        var rackSeries = await store.Queries.MeterSeriesAsync(reg.Park.Code, racks.SelectMany(r => r.Meters).Select(m => m.Code).ToList(), from, a, Granularity.Year, ct);
        var inUse = racks.Count(r => r.Meters.Any(m => rackSeries[m.Code].Buckets.Any(x => x.Value is > 0)));
        double? intensity = e is { } ev && inUse > 0 ? ev / inUse : null;
        if (inUse == 0) notes.Add("intensity: no rack with IT energy in the period");
        var progress = await plans.ProgressAsync(reg.Park.Code, space?.Code, "electricity", y, a, ct);
        double? planToDate = progress.AnnualPlan is null ? null : progress.PlanToDate;
        if (progress.AnnualPlan is null) notes.Add($"plan: no electricity plan for {y}");
        double? savedPlan = planToDate is { } p && e is { } e1 ? p - e1 : null;
        var lastYear = await PlanActuals.TotalAsync(store, reg, space, Carrier.Electricity, from.AddYears(-1), a.AddYears(-1), ct);
        if (lastYear.Value is null) notes.Add($"last_year: no electricity readings in {from.AddYears(-1):yyyy-MM-dd}..{a.AddYears(-1):yyyy-MM-dd}");
        double? savedLy = lastYear.Value is { } ly && e is { } e2 ? ly - e2 : null;
        notes.AddRange(kpi.Notes.Where(n => n.StartsWith("pue:", StringComparison.Ordinal) || n.StartsWith("wue:", StringComparison.Ordinal)
                                            || n.StartsWith("completeness:", StringComparison.Ordinal)));
        static Energy? Kwh(double? v) => v is { } x ? Energy.FromKilowattHours(x) : null;
        var row = new NodeAssessment(space?.Code ?? reg.Park.Code, space?.Name ?? reg.Park.Name, kpi.Kpis.Total, inputs.It, inputs.Water,
            kpi.Kpis.Pue, kpi.Kpis.Wue, inUse, intensity, Kwh(progress.AnnualPlan), Kwh(planToDate), Kwh(savedPlan),
            savedPlan is { } sp && planToDate is > 0 ? sp / planToDate.Value * 100 : null, Kwh(lastYear.Value), Kwh(savedLy),
            savedLy is { } sl && lastYear.Value is > 0 ? sl / lastYear.Value.Value * 100 : null, null, null, null, null, kpi.Completeness, notes);
        // Carbon saved (issue 3 with the carbon module): the energy saved is grid electricity not bought, at the location-based
        // factor the carbon inventory would use on the as-of date.
        var factor = await carbon.GridFactorAsync(reg.Park.Code, a, ct);
        if (factor is null) notes.Add($"carbon saved: no location-based electricity factor valid on {a:yyyy-MM-dd}");
        else
        {
            var tPerKwh = factor.Record.Value * factor.Record.EmissionUnit.KilogramsPerNumeratorUnit / 1000;
            row = row with
            {
                CarbonSavedVsPlanT = savedPlan * tPerKwh, CarbonSavedVsLastYearT = savedLy * tPerKwh,
                CarbonFactor = $"{factor.Record.Value.ToString(Inv)} {factor.Record.Unit}, {factor.Record.Citation}",
            };
        }
        return (row, months);
    }

    /// <summary>Ranks: lower PUE, WUE, intensity and actual ÷ plan are better; equal values (to 6 decimals) share a rank.</summary>
    private static List<NodeAssessment> Ranked(List<NodeAssessment> rows)
    {
        var pue = Ranks(rows, r => r.Pue);
        var wue = Ranks(rows, r => r.Wue);
        var intensity = Ranks(rows, r => r.IntensityKwhPerRack);
        var plan = Ranks(rows, r => r.SavedVsPlanPct is { } s ? -s : null);
        return rows.Select((r, i) => r with { RankPue = pue[i], RankWue = wue[i], RankIntensity = intensity[i], RankPlan = plan[i] }).ToList();
    }

    private static int?[] Ranks(IReadOnlyList<NodeAssessment> rows, Func<NodeAssessment, double?> key)
    {
        var values = rows.Select(r => key(r) is { } v ? Math.Round(v, 6) : (double?)null).ToList();
        return values.Select(v => v is { } x ? 1 + values.Count(o => o is { } ov && ov < x) : (int?)null).ToArray();
    }

    private static List<Anomaly> Anomalies(IReadOnlyList<(string Code, IReadOnlyList<KpiRow> Rows)> monthly, int year, DateOnly asOf, AnomalyOptions opt)
    {
        var list = new List<Anomaly>();
        var kpis = new (string Name, Func<KpiRow, double?> Get)[] { ("pue", r => r.Kpis.Pue), ("wue", r => r.Kpis.Wue) };
        foreach (var (name, get) in kpis)
        {
            // month start → building → value (whole months of the year up to as-of only)
            var months = new SortedDictionary<DateOnly, Dictionary<string, double>>();
            foreach (var (node, rows) in monthly)
                foreach (var r in rows)
                {
                    var start = DateOnly.FromDateTime(r.Start.DateTime);
                    var lastDay = DateOnly.FromDateTime(r.End.DateTime).AddDays(-1);
                    if (start.Day != 1 || lastDay != start.AddMonths(1).AddDays(-1) || get(r) is not { } v) continue;
                    if (!months.TryGetValue(start, out var d)) months[start] = d = new Dictionary<string, double>(StringComparer.Ordinal);
                    d[node] = v;
                }
            foreach (var (month, values) in months)
            {
                if (month.Year != year || month.AddMonths(1).AddDays(-1) > asOf) continue;
                var label = month.ToString("yyyy-MM", Inv);
                foreach (var (code, v) in values.OrderBy(x => x.Key, StringComparer.Ordinal))
                {
                    var history = months.Where(m => m.Key < month && m.Key >= month.AddMonths(-opt.HistoryMonths) && m.Value.ContainsKey(code))
                        .Select(m => m.Value[code]).ToList();
                    if (history.Count >= 3)
                    {
                        var mean = history.Average();
                        var sd = Math.Sqrt(history.Sum(h => (h - mean) * (h - mean)) / history.Count);
                        var dev = mean != 0 ? (v - mean) / mean * 100 : double.NaN;
                        double? z = sd > 1e-12 ? (v - mean) / sd : null;
                        if (double.IsFinite(dev) && Math.Abs(dev) >= opt.DeviationPct && (z is null || Math.Abs(z.Value) >= opt.K))
                            list.Add(new Anomaly(code, label, name, v, "own_history", mean, dev, sd, z, history.Count,
                                $"{name.ToUpperInvariant()} {F(v)} in {label} is {Pct(dev)} {(dev > 0 ? "above" : "below")} its mean {F(mean)} over the {history.Count} previous month(s) " +
                                $"(σ {F(sd)}{(z is { } zz ? $", z {zz.ToString("0.##", Inv)}" : "")}; thresholds {opt.DeviationPct.ToString("0.##", Inv)} % and {opt.K.ToString("0.##", Inv)} σ)"));
                    }
                    if (values.Count >= 3)
                    {
                        var sorted = values.Values.Order().ToList();
                        var median = sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
                        var dev = median != 0 ? (v - median) / median * 100 : double.NaN;
                        if (double.IsFinite(dev) && Math.Abs(dev) >= opt.PeerDeviationPct)
                            list.Add(new Anomaly(code, label, name, v, "peers", median, dev, null, null, values.Count,
                                $"{name.ToUpperInvariant()} {F(v)} in {label} is {Pct(dev)} {(dev > 0 ? "above" : "below")} the median {F(median)} of the {values.Count} nodes " +
                                $"(threshold {opt.PeerDeviationPct.ToString("0.##", Inv)} %)"));
                    }
                }
            }
        }
        return list;
    }

    private static string F(double v) => v.ToString("0.######", Inv);
    private static string Pct(double v) => Math.Abs(v).ToString("0.##", Inv) + " %";
}
