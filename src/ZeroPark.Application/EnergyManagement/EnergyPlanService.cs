using System.Globalization;
using ZeroPark.Domain;

namespace ZeroPark.Application.EnergyManagement;

/// <summary>A node's consumption of one plan carrier over one bucket; <see cref="Value"/> is null without readings of the main input.</summary>
public sealed record ActualCell(DateTimeOffset Start, DateTimeOffset End, double? Value, double Completeness);

/// <summary>
/// What a plan is measured against: the consumption of a node (the park or a space) for a plan carrier, from the role series
/// (pre-aggregated rollups). Electricity: E_DC = Σ facility_input + Σ renewable_onsite − Σ export (kWh, as for PUE); water:
/// Σ water_input (m³); natural gas: Σ fuel_input meters of carrier natural_gas (m³).
/// </summary>
public static class PlanActuals
{
    private sealed record Term(MeterRole Role, Carrier Carrier, double Sign, bool Main);

    private static IReadOnlyList<Term> TermsOf(Carrier carrier) => carrier switch
    {
        Carrier.Electricity =>
        [
            new(MeterRole.FacilityInput, Carrier.Electricity, 1, true),
            new(MeterRole.RenewableOnsite, Carrier.Electricity, 1, false), new(MeterRole.RenewableOnsite, Carrier.PvGeneration, 1, false),
            new(MeterRole.Export, Carrier.Electricity, -1, false), new(MeterRole.Export, Carrier.ExportedElectricity, -1, false),
        ],
        Carrier.Water => [new(MeterRole.WaterInput, Carrier.Water, 1, true)],
        Carrier.NaturalGas => [new(MeterRole.FuelInput, Carrier.NaturalGas, 1, true)],
        _ => throw new ValidationException("carrier", $"'{Codes.Of(carrier)}' is not a plan carrier"),
    };

    /// <summary>What the actual consumption is, for notes and docs.</summary>
    public static string Definition(Carrier carrier) => carrier switch
    {
        Carrier.Electricity => "E_DC = Σ facility_input + Σ renewable_onsite − Σ export (kWh)",
        Carrier.Water => "Σ water_input (m³)",
        _ => "Σ fuel_input meters of carrier natural_gas (m³)",
    };

    /// <summary>Whether the node has a meter of the carrier's main input (facility_input, water_input, natural-gas fuel_input).</summary>
    public static bool HasMeters(ParkRegistry reg, Space? space, Carrier carrier) =>
        TermsOf(carrier).Where(t => t.Main).Any(t => MetersOf(reg, space, t).Any());

    private static IEnumerable<Meter> MetersOf(ParkRegistry reg, Space? space, Term t) => reg.MetersById.Values.Where(m =>
        m.Role == t.Role && m.Carrier == t.Carrier && !m.IsInstantaneous && (space is null || reg.IsUnder(m.SpaceId, space.Id)));

    /// <summary>The node's consumption per bucket of <paramref name="g"/> over local dates from..to (inclusive); completeness is the
    /// smallest received ÷ expected of the inputs with meters.</summary>
    public static async Task<IReadOnlyList<ActualCell>> SeriesAsync(ZeroParkStore store, ParkRegistry reg, Space? space, Carrier carrier, DateOnly from,
        DateOnly to, Granularity g, CancellationToken ct = default)
    {
        var terms = TermsOf(carrier).Where(t => MetersOf(reg, space, t).Any()).ToList();
        var results = await Task.WhenAll(terms.Select(t => store.Queries.SeriesAsync(reg.Park.Code, SeriesTarget.Node(space?.Code, role: t.Role, carrier: t.Carrier), from, to, g, ct)));
        var buckets = reg.Clock.Buckets(from, to, g);
        var cells = new List<ActualCell>(buckets.Count);
        for (var i = 0; i < buckets.Count; i++)
        {
            double? value = null;
            var main = false;
            var completeness = 1.0;
            for (var k = 0; k < terms.Count; k++)
            {
                var b = results[k].Buckets[i];
                completeness = Math.Min(completeness, b.Quality.Completeness);
                if (b.Value is not { } v) continue;
                value = (value ?? 0) + terms[k].Sign * v;
                main |= terms[k].Main;
            }
            cells.Add(new ActualCell(reg.Clock.ToLocalOffset(buckets[i].Start), reg.Clock.ToLocalOffset(buckets[i].End), main ? value : null,
                terms.Count == 0 ? 0 : completeness));
        }
        return cells;
    }

    /// <summary>The node's consumption over local dates from..to as one value (null without readings).</summary>
    public static async Task<ActualCell> TotalAsync(ZeroParkStore store, ParkRegistry reg, Space? space, Carrier carrier, DateOnly from, DateOnly to,
        CancellationToken ct = default)
    {
        var years = await SeriesAsync(store, reg, space, carrier, from, to, Granularity.Year, ct);
        double? value = years.Any(y => y.Value is not null) ? years.Sum(y => y.Value ?? 0) : null;
        return new ActualCell(years[0].Start, years[^1].End, value, years.Min(y => y.Completeness));
    }
}

/// <summary>Plan, actual and projection of one month of a plan year. Status: <c>complete</c> (the month ended on or before
/// as-of), <c>partial</c> (as-of falls inside it) or <c>future</c>.</summary>
public sealed record PlanMonth(int Month, DateTimeOffset Start, DateTimeOffset End, string Status, double? Plan, string? PlanSource, double? Actual,
    double? Deviation, double? DeviationPct, double? CumulativePlan, double? CumulativeActual, double? ProjectedRemaining, string? ProjectionBasis,
    double? Completeness);

/// <summary>Actual vs plan of a node, carrier and year up to <see cref="AsOf"/> (a local date, inclusive), with the projected
/// year-end consumption.</summary>
public sealed record PlanProgress(string Node, string Carrier, string Unit, int Year, DateOnly AsOf, double? AnnualPlan, string? AnnualPlanSource,
    double? PlanToDate, double? ActualToDate, double? DeviationToDate, double? DeviationToDatePct, double? ProgressPct, double? ProjectedYearEnd,
    double? ProjectedVsPlanPct, bool? ProjectedOverPlan, string Actual, string ProjectionMethod, IReadOnlyList<PlanMonth> Months, IReadOnlyList<string> Notes);

/// <summary>One building's share of a decomposed park plan.</summary>
/// <param name="Weight">Last year's actual (basis last_year) or the number of racks (basis racks).</param>
public sealed record PlanShare(string Node, double Weight, double Share, double Plan);

/// <summary>A group plan split across data centers (parks): <see cref="Parks"/> has each park's weight, share and annual plan.</summary>
public sealed record GroupPlanDecomposition(string Carrier, string Unit, int Year, double GroupPlan, string Basis, bool Applied, IReadOnlyList<PlanShare> Parks,
    IReadOnlyList<string> Notes);

public sealed record PlanDecomposition(string Park, string Carrier, string Unit, int Year, double ParkPlan, string Basis, bool Applied,
    IReadOnlyList<PlanShare> Buildings, IReadOnlyList<string> Notes);

/// <summary>
/// Energy plans and quotas: progress of actual vs plan per month with a projected year-end, and the decomposition of the park's
/// annual plan across its buildings.
/// <para>Monthly plan: the month's own plan if set; otherwise the annual plan minus the monthly plans that are set, shared among the
/// other months in proportion to their days. Annual plan: the annual plan if set, else the sum of 12 monthly plans.</para>
/// <para>Projection (year-end): actual to date + for each remaining month (and the rest of the current month, pro rata by days)
/// last year's actual of the same month when it is known (readings, completeness ≥ 90 %), else the run rate = actual to date ÷
/// days elapsed.</para>
/// <para>Decomposition: the park's annual plan split across its buildings in proportion to each building's actual consumption of
/// the previous year (basis <c>last_year</c>, the default), or to its number of racks (basis <c>racks</c>, a design-capacity proxy
/// for buildings without last year's data), so the building plans add up to the park plan.</para>
/// </summary>
public sealed class EnergyPlanService(ZeroParkStore store)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Last year's month is used for the projection when its completeness is at least this.</summary>
    public const double LastYearMinCompleteness = 0.9;

    public const string ProjectionMethod =
        "actual to date + for each remaining month (the rest of the current month pro rata by days) last year's actual of the same month " +
        "if known (completeness ≥ 90 %), else the run rate (actual to date ÷ days elapsed)";

    public async Task<PlanProgress> ProgressAsync(string parkCode, string? node, string? carrierCode, int? year, DateOnly? asOf, CancellationToken ct = default)
    {
        var reg = await store.Registry.GetRegistryAsync(parkCode, ct);
        var building = PlanRules.Building(reg, node);
        var carrier = PlanRules.ParseCarrier(carrierCode);
        var y = PlanRules.ParseYear(year);
        var unit = MeterUnits.CanonicalUnit(carrier);
        var nodeCode = building?.Code ?? reg.Park.Code;
        var notes = new List<string>();
        var first = new DateOnly(y, 1, 1);
        var last = new DateOnly(y, 12, 31);
        var a = asOf ?? store.Plans.LocalToday(reg.Park);
        if (a > last) a = last;
        var daysInYear = last.DayNumber - first.DayNumber + 1;

        // Plans
        var plans = await store.Plans.ListEnergyPlansAsync(parkCode, y, carrier, nodeCode, ct);
        var annual = plans.FirstOrDefault(p => p.Month is null)?.Amount;
        var monthly = plans.Where(p => p.Month is not null).ToDictionary(p => p.Month!.Value, p => p.Amount);
        string? annualSource = annual is not null ? "annual" : monthly.Count == 12 ? "sum_of_months" : null;
        var annualPlan = annual ?? (monthly.Count == 12 ? monthly.Values.Sum() : null);
        if (annual is { } an && monthly.Count == 12 && Math.Abs(monthly.Values.Sum() - an) > 1e-6 * Math.Max(1, an))
            notes.Add($"plan: the 12 monthly plans add up to {Num(monthly.Values.Sum())} {unit}, not the annual plan {Num(an)} {unit}");
        if (annualPlan is null && monthly.Count == 0)
            notes.Add($"plan: no {Codes.Of(carrier)} plan for {y} under '{nodeCode}' (set one with 'zeropark energy plan set')");
        else if (annualPlan is null)
            notes.Add($"plan: only {monthly.Count} monthly plan(s) and no annual plan: the annual plan and the other months are unknown");
        var unplannedDays = Enumerable.Range(1, 12).Where(m => !monthly.ContainsKey(m)).Sum(m => DateTime.DaysInMonth(y, m));
        var leftover = annual is { } an2 ? an2 - monthly.Values.Sum() : (double?)null;
        if (leftover < 0)
        {
            notes.Add($"plan: the monthly plans exceed the annual plan by {Num(-leftover.Value)} {unit}; months without a plan get 0");
            leftover = 0;
        }
        (double? Plan, string? Source) MonthPlan(int m) =>
            monthly.TryGetValue(m, out var v) ? (v, "monthly")
            : leftover is { } l && unplannedDays > 0 ? (l * DateTime.DaysInMonth(y, m) / unplannedDays, "annual_by_days")
            : (null, null);

        // Actuals: this year up to as-of, last year by month (projection).
        var actuals = a >= first ? await PlanActuals.SeriesAsync(store, reg, building, carrier, first, a, Granularity.Month, ct) : [];
        var lastYear = await PlanActuals.SeriesAsync(store, reg, building, carrier, first.AddYears(-1), last.AddYears(-1), Granularity.Month, ct);
        if (!PlanActuals.HasMeters(reg, building, carrier))
            notes.Add($"actual: no meter of the main input under '{nodeCode}' ({PlanActuals.Definition(carrier)})");
        var elapsedDays = a >= first ? a.DayNumber - first.DayNumber + 1 : 0;
        double? actualToDate = actuals.Any(c => c.Value is not null) ? actuals.Sum(c => c.Value ?? 0) : null;
        double? runRate = actualToDate is { } atd && elapsedDays > 0 ? atd / elapsedDays : null;

        var months = new List<PlanMonth>(12);
        double? cumPlan = 0, cumActual = 0, planToDate = 0, projectedRest = 0;
        var usedLastYear = false;
        var usedRunRate = false;
        for (var m = 1; m <= 12; m++)
        {
            var mStart = new DateOnly(y, m, 1);
            var mDays = DateTime.DaysInMonth(y, m);
            var mEnd = mStart.AddDays(mDays - 1);
            var (plan, source) = MonthPlan(m);
            var status = mEnd <= a ? "complete" : mStart <= a ? "partial" : "future";
            var cell = m - 1 < actuals.Count ? actuals[m - 1] : null;
            var actual = cell?.Value;
            cumPlan = cumPlan is { } cp && plan is { } p ? cp + p : null;
            if (status != "future") cumActual = cumActual is { } ca && actual is { } av ? ca + av : null;
            var elapsedInMonth = status == "complete" ? mDays : status == "partial" ? a.Day : 0;
            planToDate = planToDate is { } ptd && plan is { } p2 ? ptd + p2 * elapsedInMonth / mDays : elapsedInMonth == 0 ? planToDate : null;
            double? deviation = status == "complete" && actual is { } x && plan is { } pl ? x - pl : null;
            double? deviationPct = deviation is { } d && plan is > 0 ? d / plan.Value * 100 : null;
            double? rest = null;
            string? basis = null;
            if (status != "complete")
            {
                var remainingDays = mDays - elapsedInMonth;
                var ly = lastYear[m - 1];
                if (ly.Value is { } lv && ly.Completeness >= LastYearMinCompleteness)
                {
                    rest = lv * remainingDays / mDays;
                    basis = "last_year";
                    usedLastYear = true;
                }
                else if (runRate is { } rr)
                {
                    rest = rr * remainingDays;
                    basis = "run_rate";
                    usedRunRate = true;
                }
                projectedRest = projectedRest is { } pr && rest is { } re ? pr + re : null;
            }
            if (status != "future" && cell is { Value: not null, Completeness: < 1 })
                notes.Add($"actual: {y}-{m:00} is {Pct(cell.Completeness)} complete (readings received ÷ expected); values are not extrapolated");
            months.Add(new PlanMonth(m, reg.Clock.ToLocalOffset(reg.Clock.StartOfDay(mStart)), reg.Clock.ToLocalOffset(reg.Clock.StartOfDay(mEnd.AddDays(1))),
                status, plan, source, status == "future" ? null : actual, deviation, deviationPct, cumPlan, status == "future" ? null : cumActual, rest, basis,
                status == "future" ? null : cell?.Completeness));
        }
        if (elapsedDays == 0) notes.Add($"actual: as-of {a:yyyy-MM-dd} is before {y}: nothing has been consumed yet");
        else if (actualToDate is null) notes.Add($"actual: no readings in {y} up to {a:yyyy-MM-dd}");
        double? projected = a == last ? actualToDate : (actualToDate ?? (elapsedDays == 0 ? 0 : null)) is { } baseValue && projectedRest is { } rest2 ? baseValue + rest2 : null;
        if (projected is null && a < last)
            notes.Add("projection: unknown: some remaining month has neither last year's actual nor a run rate");
        else if (a < last)
            notes.Add("projection: " + (usedLastYear && usedRunRate ? "last year's same-month actuals where known, the run rate for the other months"
                : usedLastYear ? "last year's same-month actuals" : "the run rate (no usable actuals of last year)"));
        double? devToDate = actualToDate is { } at && planToDate is { } pt && elapsedDays > 0 ? at - pt : null;
        return new PlanProgress(nodeCode, Codes.Of(carrier), unit, y, a, annualPlan, annualSource, elapsedDays > 0 ? planToDate : 0, actualToDate, devToDate,
            devToDate is { } dd && planToDate is > 0 ? dd / planToDate.Value * 100 : null,
            actualToDate is { } at2 && annualPlan is > 0 ? at2 / annualPlan.Value * 100 : null,
            projected, projected is { } pj && annualPlan is > 0 ? (pj - annualPlan.Value) / annualPlan.Value * 100 : null,
            projected is { } pj2 && annualPlan is { } ap ? pj2 > ap : null,
            PlanActuals.Definition(carrier), ProjectionMethod, months, notes);
    }

    /// <summary>Splits the park's annual plan of <paramref name="carrierCode"/> for <paramref name="year"/> across its buildings in
    /// proportion to their actual consumption in the previous year and (unless <paramref name="dryRun"/>) stores the building plans,
    /// replacing earlier ones (audited).</summary>
    public async Task<PlanDecomposition> DecomposeAsync(string parkCode, string? carrierCode, int? year, bool dryRun, string user, string? basis = null,
        CancellationToken ct = default)
    {
        var reg = await store.Registry.GetRegistryAsync(parkCode, ct);
        var carrier = PlanRules.ParseCarrier(carrierCode);
        var y = PlanRules.ParseYear(year);
        var by = (basis ?? "last_year").Trim().ToLowerInvariant();
        if (by is not ("last_year" or "racks")) throw new ValidationException("basis", $"'basis': '{basis}' is not last_year or racks");
        var unit = MeterUnits.CanonicalUnit(carrier);
        var plans = await store.Plans.ListEnergyPlansAsync(parkCode, y, carrier, reg.Park.Code, ct);
        var parkPlan = plans.FirstOrDefault(p => p.Month is null)?.Amount ?? (plans.Count(p => p.Month is not null) == 12 ? plans.Sum(p => p.Amount) : (double?)null)
            ?? throw new ValidationException("year", $"'year': park '{reg.Park.Code}' has no annual {Codes.Of(carrier)} plan for {y}; set it first " +
                                                     $"(zeropark energy plan set --park {reg.Park.Code} --carrier {Codes.Of(carrier)} --year {y} --amount …)");
        var buildings = reg.SpacesByCode.Values.Where(s => s.Level == SpaceLevel.Building).OrderBy(s => s.Code, StringComparer.Ordinal).ToList();
        if (buildings.Count == 0) throw new ValidationException("park", $"park '{reg.Park.Code}' has no buildings to share the plan");
        var from = new DateOnly(y - 1, 1, 1);
        var to = new DateOnly(y - 1, 12, 31);
        var weights = new List<(Space B, double W)>();
        foreach (var b in buildings)
        {
            if (by == "racks")
            {
                // Capacity proxy: the racks metered in the building (rack spaces, or it_load meters outside rack spaces).
                var racks = DeviceAnalysisService.Racks(reg, b).Count;
                if (racks == 0)
                    throw new ValidationException("basis", $"building '{b.Code}' has no racks (rack spaces or it_load meters); set its plan by hand with 'zeropark energy plan set --node {b.Code}'");
                weights.Add((b, racks));
                continue;
            }
            var total = await PlanActuals.TotalAsync(store, reg, b, carrier, from, to, ct);
            if (total.Value is not { } w || w <= 0)
                throw new ValidationException("basis", $"building '{b.Code}' has no {Codes.Of(carrier)} consumption in {y - 1} " +
                                                       $"({PlanActuals.Definition(carrier)}); use basis racks, or set its plan by hand with 'zeropark energy plan set --node {b.Code}'");
            weights.Add((b, w));
        }
        var sum = weights.Sum(x => x.W);
        var shares = weights.Select(x => new PlanShare(x.B.Code, x.W, x.W / sum, parkPlan * x.W / sum)).ToList();
        var notes = new List<string>();
        var parkTotal = by == "last_year" ? await PlanActuals.TotalAsync(store, reg, null, carrier, from, to, ct) : null;
        if (parkTotal?.Value is { } pv && pv - sum > 1e-6 * Math.Max(1, pv))
            notes.Add($"basis: {Num(pv - sum)} {unit} of the park's {y - 1} consumption is metered outside the buildings; the shares are of the buildings' sum, " +
                      "so the building plans still add up to the park plan");
        if (!dryRun)
            await store.Plans.SetEnergyPlansAsync(parkCode, weights.Zip(shares, (w, s) => new PlanWrite(w.B, carrier, y, 0, s.Plan, "decomposed:" + by)).ToList(), user, ct);
        return new PlanDecomposition(reg.Park.Code, Codes.Of(carrier), unit, y, parkPlan, by, !dryRun, shares, notes);
    }

    /// <summary>
    /// Splits a group's annual plan (<paramref name="amount"/> in <paramref name="unit"/>, default the carrier's canonical unit) across
    /// data centers (parks; <paramref name="parkCodes"/> null or empty = every park of the store) in proportion to each park's actual
    /// consumption of the previous year (basis <c>last_year</c>, default), its racks provisioned (<c>racks</c>) or its design IT
    /// capacity (<c>design_it</c>), and (unless <paramref name="dryRun"/>) stores each park's annual plan (basis
    /// <c>decomposed:group:…</c>, audited per park). The park plans add up to the group plan; a park without a basis is an error
    /// naming it. Each park's plan can then be split across its buildings with <see cref="DecomposeAsync"/>.
    /// </summary>
    public async Task<GroupPlanDecomposition> DecomposeGroupAsync(IReadOnlyList<string>? parkCodes, string? carrierCode, int? year, double? amount, string? unit,
        bool dryRun, string user, string? basis = null, CancellationToken ct = default)
    {
        var carrier = PlanRules.ParseCarrier(carrierCode);
        var y = PlanRules.ParseYear(year);
        var by = (basis ?? "last_year").Trim().ToLowerInvariant();
        if (by is not ("last_year" or "racks" or "design_it")) throw new ValidationException("basis", $"'basis': '{basis}' is not last_year, racks or design_it");
        // The group amount, validated and converted as a plan of the first park would be.
        var groupPlan = PlanRules.Validate(await FirstRegistryAsync(), new PlanDraft(null, carrierCode, y, 0, amount, unit)).Amount;
        var codes = parkCodes is { Count: > 0 } ? parkCodes.Select(c => c.Trim()).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).ToList()
            : (await store.Registry.ListParksAsync(ct)).Select(p => p.Code).Order(StringComparer.Ordinal).ToList();
        if (codes.Count == 0) throw new ValidationException("parks", "'parks': there is no park to share the group plan");
        var from = new DateOnly(y - 1, 1, 1);
        var to = new DateOnly(y - 1, 12, 31);
        var weights = new List<(string Park, double W)>();
        foreach (var code in codes)
        {
            var reg = await store.Registry.GetRegistryAsync(code, ct);
            double? w = by switch
            {
                "racks" => reg.Park.RacksTotal,
                "design_it" => reg.Park.DesignItCapacity?.Kilowatts,
                _ => (await PlanActuals.TotalAsync(store, reg, null, carrier, from, to, ct)).Value,
            };
            if (w is not { } weight || weight <= 0)
                throw new ValidationException("basis", by switch
                {
                    "racks" => $"park '{code}' has no racks_total recorded; record it (PUT /api/parks/{code}) or use another basis",
                    "design_it" => $"park '{code}' has no design_it_kw recorded; record it (PUT /api/parks/{code}) or use another basis",
                    _ => $"park '{code}' has no {Codes.Of(carrier)} consumption in {y - 1} ({PlanActuals.Definition(carrier)}); use basis racks or design_it",
                });
            weights.Add((code, weight));
        }
        var sum = weights.Sum(x => x.W);
        var shares = weights.Select(x => new PlanShare(x.Park, x.W, x.W / sum, groupPlan * x.W / sum)).ToList();
        if (!dryRun)
            foreach (var s in shares)
                await store.Plans.SetEnergyPlansAsync(s.Node, [new PlanWrite(null, carrier, y, 0, s.Plan, "decomposed:group:" + by)], user, ct);
        var notes = new List<string>
        {
            by switch
            {
                "racks" => "basis: each park's racks provisioned (racks_total)",
                "design_it" => "basis: each park's design IT capacity (design_it_kw)",
                _ => $"basis: each park's {Codes.Of(carrier)} consumption in {y - 1} ({PlanActuals.Definition(carrier)})",
            },
        };
        return new GroupPlanDecomposition(Codes.Of(carrier), MeterUnits.CanonicalUnit(carrier), y, groupPlan, by, !dryRun, shares, notes);

        async Task<ParkRegistry> FirstRegistryAsync()
        {
            var first = parkCodes is { Count: > 0 } ? parkCodes[0].Trim() : (await store.Registry.ListParksAsync(ct)).Select(p => p.Code).Order(StringComparer.Ordinal).FirstOrDefault()
                ?? throw new ValidationException("parks", "'parks': there is no park to share the group plan");
            return await store.Registry.GetRegistryAsync(first, ct);
        }
    }

    private static string Num(double v) => v.ToString("#,0.###", Inv);
    private static string Pct(double share) => (share * 100).ToString("0.##", Inv) + " %";
}

/// <summary>Wire shapes of plan progress and decomposition (CLI json, API): amounts rounded to 3 decimals, percentages to 2.</summary>
public sealed record PlanMonthView(int Month, DateTimeOffset Start, DateTimeOffset End, string Status, double? Plan, string? PlanSource, double? Actual,
    double? Deviation, double? DeviationPct, double? CumulativePlan, double? CumulativeActual, double? ProjectedRemaining, string? ProjectionBasis,
    double? Completeness);

public sealed record PlanProgressView(string Node, string Carrier, string Unit, int Year, string AsOf, double? AnnualPlan, string? AnnualPlanSource,
    double? PlanToDate, double? ActualToDate, double? DeviationToDate, double? DeviationToDatePct, double? ProgressPct, double? ProjectedYearEnd,
    double? ProjectedVsPlanPct, bool? ProjectedOverPlan, string Actual, string ProjectionMethod, IReadOnlyList<PlanMonthView> Months, IReadOnlyList<string> Notes)
{
    private static double? A(double? v) => v is { } x ? Math.Round(x, 3) : null;
    private static double? P(double? v) => v is { } x ? Math.Round(x, 2) : null;

    public static PlanProgressView From(PlanProgress p) => new(p.Node, p.Carrier, p.Unit, p.Year, p.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        A(p.AnnualPlan), p.AnnualPlanSource, A(p.PlanToDate), A(p.ActualToDate), A(p.DeviationToDate), P(p.DeviationToDatePct), P(p.ProgressPct),
        A(p.ProjectedYearEnd), P(p.ProjectedVsPlanPct), p.ProjectedOverPlan, p.Actual, p.ProjectionMethod,
        p.Months.Select(m => new PlanMonthView(m.Month, m.Start, m.End, m.Status, A(m.Plan), m.PlanSource, A(m.Actual), A(m.Deviation), P(m.DeviationPct),
            A(m.CumulativePlan), A(m.CumulativeActual), A(m.ProjectedRemaining), m.ProjectionBasis, m.Completeness is { } c ? Math.Round(c * 100, 2) : null)).ToList(),
        p.Notes);
}

public sealed record PlanShareView(string Node, double Weight, double Share, double Plan);

public sealed record PlanDecompositionView(string Park, string Carrier, string Unit, int Year, double ParkPlan, string Basis, bool Applied,
    IReadOnlyList<PlanShareView> Buildings, IReadOnlyList<string> Notes)
{
    public static PlanDecompositionView From(PlanDecomposition d) => new(d.Park, d.Carrier, d.Unit, d.Year, Math.Round(d.ParkPlan, 3), d.Basis, d.Applied,
        d.Buildings.Select(b => new PlanShareView(b.Node, Math.Round(b.Weight, 3), Math.Round(b.Share, 6), Math.Round(b.Plan, 3))).ToList(), d.Notes);
}

public sealed record GroupPlanDecompositionView(string Carrier, string Unit, int Year, double GroupPlan, string Basis, bool Applied, IReadOnlyList<PlanShareView> Parks,
    IReadOnlyList<string> Notes)
{
    public static GroupPlanDecompositionView From(GroupPlanDecomposition d) => new(d.Carrier, d.Unit, d.Year, Math.Round(d.GroupPlan, 3), d.Basis, d.Applied,
        d.Parks.Select(b => new PlanShareView(b.Node, Math.Round(b.Weight, 3), Math.Round(b.Share, 6), Math.Round(b.Plan, 3))).ToList(), d.Notes);
}
