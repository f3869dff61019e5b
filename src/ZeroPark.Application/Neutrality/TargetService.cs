using ZeroPark.Application.Carbon;
using ZeroPark.Carbon;
using ZeroPark.Domain;
using ZeroPark.Neutrality;
using ZeroPark.EnergyManagement;

namespace ZeroPark.Application.Neutrality;

/// <summary>One month of a target year: actual (elapsed) or projected, with the targets that apply and whether they are met.</summary>
public sealed record TargetMonth(int Month, string Status, double? EmissionsT, double? Scope1T, double? NeutralisedT, double? NeutralityRate, double? RateTarget, bool? RateMet,
    double? BudgetT, bool? BudgetMet, double? CueKgPerKwh, double? CueTarget, bool? CueMet);

/// <summary>A year's progress against the park's targets with a projected year end that follows the year's own shape
/// (<see cref="SeasonalProjection"/>).</summary>
public sealed record TargetProgress(string Park, int Year, DateOnly AsOf, int MonthsElapsed, IReadOnlyList<NeutralityTarget> Targets, IReadOnlyList<TargetMonth> Months,
    double EmissionsToDateT, double NeutralisedToDateT, double? RateToDate, double? AnnualRateTarget, double ProjectedEmissionsT, double ProjectedScope1T,
    double ProjectedNeutralisedT, double? ProjectedRate, bool? ProjectedRateMet, string ProjectionBasis, double? AnnualBudgetT, double? ProjectedVsBudgetPct,
    double? CueToDate, double? ProjectedCue, double? AnnualCueTarget, double EligibleNeutralisedT, double NonEligibleNeutralisedT, double? GridFactorTPerMwh,
    IReadOnlyList<string> Notes);

/// <summary>The cheapest instruments from the imported prices that close the gap to a neutrality-rate target.</summary>
public sealed record MixPlan(string Park, int Year, double TargetRate, double ProjectedEmissionsT, double ProjectedNeutralisedT, MixResult Mix, DateOnly PricesAsOf,
    IReadOnlyList<string> Notes);

/// <summary>Targets of the park (neutrality rate, emission budget, CUE; monthly and annual): progress, a projection that follows the
/// period's shape, and the cheapest mix of instruments to reach a neutrality-rate target. The alerts module reads the same figures.</summary>
public sealed class TargetService(ZeroParkStore store, CarbonService carbon, NeutralityService neutrality)
{
    public async Task<TargetProgress> ProgressAsync(string park, int year, DateOnly? asOf = null, CancellationToken ct = default)
    {
        if (year < 2000 || year > 2100) throw new ValidationException("year", $"{year} is not a year between 2000 and 2100");
        var reg = await store.Registry.GetRegistryAsync(park, ct);
        var today = asOf ?? store.Neutrality.LocalToday(reg.Park);
        var elapsed = today.Year > year ? 12 : today.Year < year ? 0 : today.Month - 1 + (today.AddDays(1).Day == 1 ? 1 : 0);
        var targets = await store.Neutrality.TargetsAsync(park, ct);
        var notes = new List<string>();

        // This year: every month through neutrality (actual months have emissions; later months only their claims).
        var months = new List<NeutralityReport>();
        for (var m = 1; m <= 12; m++)
        {
            var a = new DateOnly(year, m, 1);
            months.Add(await neutrality.ComputeAsync(park, a, a.AddMonths(1).AddDays(-1), ct: ct));
        }
        // Last year's monthly shape: emissions, scope 1 and rooftop PV (from the inventory and the PV meters).
        var last = new List<NeutralityReport>();
        for (var m = 1; m <= 12; m++)
        {
            var a = new DateOnly(year - 1, m, 1);
            last.Add(await neutrality.ComputeAsync(park, a, a.AddMonths(1).AddDays(-1), ct: ct));
        }
        double? Pv(NeutralityReport r) => r.ByInstrument.Where(c => c.InstrumentId is null).Sum(c => c.Tonnes);
        bool lastComplete = last.All(r => r.EmissionsT > 0);
        if (!lastComplete) notes.Add($"{year - 1} is not complete (a month without emissions): the projection uses the run rate");
        var emissions = SeasonalProjection.Project(months.Select(r => (double?)r.EmissionsT).ToList(), lastComplete ? last.Select(r => (double?)r.EmissionsT).ToList() : null, elapsed);
        var scope1 = SeasonalProjection.Project(months.Select(r => (double?)r.Scope1T).ToList(), lastComplete ? last.Select(r => (double?)r.Scope1T).ToList() : null, elapsed);
        var pv = SeasonalProjection.Project(months.Select(Pv).ToList(), lastComplete ? last.Select(Pv).ToList() : null, elapsed);
        // Neutralised: actual months as computed; later months their retired claims plus projected PV.
        double claimsLater = months.Skip(elapsed).Sum(r => r.NeutralisedT - (Pv(r) ?? 0));
        var neutralisedToDate = months.Take(elapsed).Sum(r => r.NeutralisedT);
        var projectedNeutralised = neutralisedToDate + claimsLater + (pv.YearEnd - pv.ActualToDate);
        var emissionsToDate = emissions.ActualToDate;

        // CUE: the one definition (carbon's emission series, GHG Protocol, AR6) per month.
        var cueThis = await carbon.SeriesAsync(park, null, new DateOnly(year, 1, 1), new DateOnly(year, 12, 31), Granularity.Month, AccountingMethod.Ghgp, GwpSet.AR6, ct);
        var cueLast = await carbon.SeriesAsync(park, null, new DateOnly(year - 1, 1, 1), new DateOnly(year - 1, 12, 31), Granularity.Month, AccountingMethod.Ghgp, GwpSet.AR6, ct);
        IReadOnlyList<double?> Col(IReadOnlyList<EmissionBucket> s, Func<EmissionBucket, double?> f) =>
            Enumerable.Range(0, 12).Select(i => i < s.Count ? f(s[i]) : null).ToList();
        double? cueToDate = null, projectedCue = null;
        if (cueThis.Count == 12)
        {
            var num = SeasonalProjection.Project(Col(cueThis, b => b.TotalT), cueLast.Count == 12 ? Col(cueLast, b => b.TotalT) : null, elapsed);
            var den = SeasonalProjection.Project(Col(cueThis, b => b.ItKwh), cueLast.Count == 12 ? Col(cueLast, b => b.ItKwh) : null, elapsed);
            cueToDate = den.ActualToDate > 0 ? Cue.KilogramsPerKilowattHour(Emissions.FromTonnesCo2e(num.ActualToDate), Energy.FromKilowattHours(den.ActualToDate)) : null;
            projectedCue = den.YearEnd > 0 ? Cue.KilogramsPerKilowattHour(Emissions.FromTonnesCo2e(num.YearEnd), Energy.FromKilowattHours(den.YearEnd)) : null;
        }

        var rows = new List<TargetMonth>();
        for (var m = 1; m <= 12; m++)
        {
            var r = months[m - 1];
            var actual = m <= elapsed;
            var rt = NeutralityStore.TargetFor(targets, "neutrality_rate", "month", year, m)?.Value;
            var bt = NeutralityStore.TargetFor(targets, "emission_budget", "month", year, m)?.Value;
            var ct2 = NeutralityStore.TargetFor(targets, "cue", "month", year, m)?.Value;
            double? cue = m - 1 < cueThis.Count ? cueThis[m - 1].CueKgPerKwh : null;
            rows.Add(new TargetMonth(m, actual ? "actual" : "projected", actual ? r.EmissionsT : emissions.Months[m - 1], actual ? r.Scope1T : scope1.Months[m - 1],
                actual ? r.NeutralisedT : null, actual ? r.NeutralityRate : null, rt, actual && rt is { } x && r.NeutralityRate is { } y ? y >= x : null,
                bt, actual && bt is { } b ? r.EmissionsT <= b : null, actual ? cue : null, ct2, actual && ct2 is { } c && cue is { } cv ? cv <= c : null));
        }
        var annualRate = NeutralityStore.TargetFor(targets, "neutrality_rate", "year", year, 12)?.Value;
        var annualBudget = NeutralityStore.TargetFor(targets, "emission_budget", "year", year, 12)?.Value;
        var annualCue = NeutralityStore.TargetFor(targets, "cue", "year", year, 12)?.Value;
        double? projectedRate = emissions.YearEnd > 0 ? projectedNeutralised / emissions.YearEnd : null;
        var eligible = months.SelectMany(r => r.ByKind).Where(k => k.NeutralisesScope1).Sum(k => k.Tonnes);
        var nonEligible = months.SelectMany(r => r.ByKind).Where(k => !k.NeutralisesScope1).Sum(k => k.Tonnes);
        var factors = months.Select(r => r.GridFactorTPerMwh).Where(f => f is not null).ToList();
        notes.Add(emissions.Basis == SeasonalProjection.BasisSeasonal
            ? $"projected year end: the months to come take the same months of {year - 1} × this year's ratio to {year - 1} so far"
            : emissions.Basis == SeasonalProjection.BasisComplete ? "the year is complete: no projection" : "projected year end: the run rate of the months so far");
        return new TargetProgress(park, year, today, elapsed, targets, rows, emissionsToDate, neutralisedToDate, emissionsToDate > 0 ? neutralisedToDate / emissionsToDate : null,
            annualRate, emissions.YearEnd, scope1.YearEnd, projectedNeutralised, projectedRate, annualRate is { } ar && projectedRate is { } pr ? pr >= ar : null, emissions.Basis,
            annualBudget, annualBudget is { } ab && ab > 0 ? (emissions.YearEnd - ab) / ab * 100 : null, cueToDate, projectedCue, annualCue, eligible, nonEligible,
            factors.Count > 0 ? factors.Average() : null, notes);
    }

    /// <summary>The cheapest mix from the latest imported prices that brings the projected year to <paramref name="targetRate"/> (default: the
    /// annual neutrality-rate target), respecting the scope-1 rule: projected scope 1 not yet covered by sinks, CCUS and CER/CCER is bought from
    /// those kinds; the other kinds count at most projected emissions − projected scope 1.</summary>
    public async Task<MixPlan> MixAsync(string park, int year, double? targetRate = null, DateOnly? asOf = null, CancellationToken ct = default)
    {
        var p = await ProgressAsync(park, year, asOf, ct);
        var rate = targetRate ?? p.AnnualRateTarget
                   ?? throw new ValidationException("target", $"no annual neutrality_rate target for {year}: give a target rate or add one (zeropark targets add --kind neutrality_rate --every year …)");
        if (!(rate > 0) || rate > 10) throw new ValidationException("target", $"{rate} is not a rate (0.75 = 75 %)");
        var notes = new List<string>();
        var factor = p.GridFactorTPerMwh;
        if (factor is null) notes.Add("no grid factor for the year: MWh-denominated instruments are left out");
        var prices = NeutralityStore.LatestPrices(await store.Neutrality.PricesAsync(park, ct), p.AsOf);
        if (prices.Count == 0) notes.Add("no prices imported: zeropark offsets prices import FILE");
        var options = prices.Values.Select(q => (Kind: OffsetKinds.TryParse(q.Kind)!.Value, Quote: q))
            .Where(x => !OffsetKinds.IsEnergy(x.Kind) || factor is not null)
            .Select(x => new MixOption(x.Kind, x.Quote.UnitPriceCny, OffsetKinds.IsEnergy(x.Kind) ? factor!.Value : 1, x.Quote.Available, $"{x.Quote.Source} {x.Quote.Date:yyyy-MM-dd}".Trim()))
            .ToList();
        var need = rate * p.ProjectedEmissionsT - p.ProjectedNeutralisedT;
        var scope1Gap = Math.Max(0, p.ProjectedScope1T - p.EligibleNeutralisedT);
        var room = Math.Max(0, p.ProjectedEmissionsT - p.ProjectedScope1T - p.NonEligibleNeutralisedT);
        if (need <= 0) notes.Add($"the projected year already reaches {rate:P0}: nothing to buy");
        var mix = OffsetMix.Cheapest(Math.Max(0, need), need > 0 ? Math.Min(scope1Gap, Math.Max(need, scope1Gap)) : 0, room, options);
        return new MixPlan(park, year, rate, p.ProjectedEmissionsT, p.ProjectedNeutralisedT, mix, p.AsOf, [.. notes, .. mix.Notes]);
    }
}
