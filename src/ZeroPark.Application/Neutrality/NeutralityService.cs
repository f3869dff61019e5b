using System.Globalization;
using System.Text.Json.Serialization;
using ZeroPark.Application.Carbon;
using ZeroPark.Carbon;
using ZeroPark.Domain;
using ZeroPark.Metering;
using ZeroPark.Neutrality;

namespace ZeroPark.Application.Neutrality;

/// <summary>One claim's (or the PV meters') contribution to a period.</summary>
public sealed record InstrumentContribution(long? InstrumentId, long? ClaimId, string Kind, string Label, string Target, DateOnly? ClaimFrom, DateOnly? ClaimTo,
    double Quantity, string Unit, double? FactorTPerMwh, double Tonnes, double Coefficient, bool NeutralisesScope1, string Use);

/// <summary>The neutrality of a park and period, with the T/CA305 offset view beside it (docs/neutrality.md). The names of the
/// contract fields are fixed (<c>zeropark neutrality --format json</c>).</summary>
public sealed record NeutralityReport
{
    public required string Park { get; init; }
    public required DateOnly From { get; init; }
    public required DateOnly To { get; init; }
    public required string Method { get; init; }
    public required string Gwp { get; init; }
    /// <summary>C_yw: scope 1 + location-based scope 2, gross of every green instrument (tCO2e).</summary>
    [JsonPropertyName("emissions_t")] public required double EmissionsT { get; init; }
    [JsonPropertyName("scope1_t")] public required double Scope1T { get; init; }
    [JsonPropertyName("scope2_location_t")] public required double Scope2LocationT { get; init; }
    [JsonPropertyName("scope2_market_t")] public required double Scope2MarketT { get; init; }
    [JsonPropertyName("neutralised_t")] public required double NeutralisedT { get; init; }
    [JsonPropertyName("neutrality_rate")] public required double? NeutralityRate { get; init; }
    /// <summary>−C_p: the coefficient-weighted offsets that count (after the scope-1 rule's cap).</summary>
    [JsonPropertyName("tca305_weighted_t")] public required double Tca305WeightedT { get; init; }
    [JsonPropertyName("tca305_weighted_raw_t")] public required double Tca305WeightedRawT { get; init; }
    [JsonPropertyName("tca305_offset_ratio")] public required double? Tca305OffsetRatio { get; init; }
    [JsonPropertyName("tca305_offset_score")] public required double? Tca305OffsetScore { get; init; }
    [JsonPropertyName("tca305_admission")] public required bool? Tca305Admission { get; init; }
    [JsonPropertyName("scope1_eligible_weighted_t")] public required double Scope1EligibleWeightedT { get; init; }
    [JsonPropertyName("scope1_uncovered_t")] public required double Scope1UncoveredT { get; init; }
    [JsonPropertyName("non_scope1_cap_t")] public required double NonScope1CapT { get; init; }
    /// <summary>The location-based grid factor the inventory used, averaged over the period's days (tCO2/MWh).</summary>
    [JsonPropertyName("grid_factor_t_per_mwh")] public required double? GridFactorTPerMwh { get; init; }
    [JsonPropertyName("by_kind")] public required IReadOnlyList<KindLine> ByKind { get; init; }
    [JsonPropertyName("by_instrument")] public required IReadOnlyList<InstrumentContribution> ByInstrument { get; init; }
    [JsonPropertyName("flags")] public required IReadOnlyList<string> Flags { get; init; }
    /// <summary>Where the standard is silent: the choices made (shown on the page).</summary>
    [JsonPropertyName("choices")] public IReadOnlyList<string> Choices { get; init; } = NeutralityService.Choices;
    [JsonPropertyName("notes")] public required IReadOnlyList<string> Notes { get; init; }
}

/// <summary>
/// Neutrality over the ledger and the carbon inventory: the neutrality rate of any period (month, year, any range) with the breakdown by
/// kind and instrument, and the T/CA305-2023 附表F offset ratio S_DC and score beside it. Evaluations (T/CA305) and alerts call
/// <see cref="ComputeAsync"/>.
/// </summary>
public sealed class NeutralityService(ZeroParkStore store, CarbonService carbon)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The choices made where the standards are silent (docs/neutrality.md shows the reasons).</summary>
    public static readonly IReadOnlyList<string> Choices =
    [
        "C_yw = scope 1 + location-based scope 2 (gross): green power and GECs are offsets here, so they are not also subtracted from the emissions",
        "GEC, green power and rooftop PV MWh convert to tCO2e with the location-based grid factor the inventory used for each day of the park and period",
        "neutrality rate = Σ tCO2e of the retired claims for the period (each kind at face value, unweighted) ÷ C_yw; it may exceed 100 % (flag over_neutralised)",
        "a claim covering a longer period counts pro rata by days; only retired claims count (allocated ones are plans)",
        "rooftop PV = generation of the park's renewable_onsite meters in the period; PV typed into the ledger counts only for a park without PV meters",
        "T/CA305: kinds that may not neutralise scope 1 (green power/GEC, rooftop PV, vouchers, allowances) count at most C_yw − scope 1 (weighted); scope 1 not covered by weighted sinks, CCUS and CER/CCER is flagged",
        "T/CA305 score = S_DC × 40, capped at 40; admission S_DC > 20 %",
    ];

    public const string FlagTypedPv = "rooftop_pv_typed";
    public const string FlagNoGridFactor = "no_grid_factor";
    public const string FlagIncompleteInventory = "inventory_incomplete";

    /// <summary>The neutrality and T/CA305 figures of a park for [from, to] (local dates, inclusive).</summary>
    public async Task<NeutralityReport> ComputeAsync(string park, DateOnly from, DateOnly to, AccountingMethod method = AccountingMethod.Ghgp, GwpSet gwp = GwpSet.AR6,
        CancellationToken ct = default)
    {
        var inventory = await carbon.ComputeAsync(park, null, from, to, method, gwp, null, ct);
        var factors = await carbon.GridFactorsAsync(park, ct);
        var memo = new Dictionary<DateOnly, double?>();
        double? Factor(DateOnly d) => memo.TryGetValue(d, out var f) ? f : memo[d] = factors(d) is { } c ? c.EnergyFactor.KilogramsCo2ePerKilowattHour : null;
        var notes = new List<string>();
        var flags = new List<string>();
        var contributions = new List<InstrumentContribution>();
        var inputs = new List<OffsetInput>();
        var missingFactorDays = 0;

        foreach (var (ins, claim) in await store.Neutrality.RetiredClaimsAsync(park, from, to, ct))
        {
            if (!OffsetKinds.IsOffset(ins.OffsetKind) || claim.Use == NeutralityStore.UseScope2) continue;
            var a = Math.Max(from.DayNumber, claim.From.DayNumber);
            var b = Math.Min(to.DayNumber, claim.To.DayNumber);
            var days = claim.To.DayNumber - claim.From.DayNumber + 1;
            var perDay = claim.Quantity / days;
            var quantity = perDay * (b - a + 1);
            double tonnes;
            double? factor = null;
            if (OffsetKinds.IsEnergy(ins.OffsetKind))
            {
                tonnes = 0;
                for (var d = a; d <= b; d++)
                {
                    if (Factor(DateOnly.FromDayNumber(d)) is { } f) tonnes += OffsetInput.FromEnergy(ins.OffsetKind, perDay, f, "").Tonnes;
                    else missingFactorDays++;
                }
                factor = quantity > 0 ? tonnes / quantity : null;
            }
            else tonnes = quantity;
            if (ins.OffsetKind == OffsetKind.RooftopPv) flags.Add(FlagTypedPv);
            inputs.Add(new OffsetInput(ins.OffsetKind, quantity, tonnes, ins.Label));
            contributions.Add(new InstrumentContribution(ins.Id, claim.Id, ins.Kind, ins.Label, claim.Target, claim.From, claim.To, quantity, ins.Unit, factor, tonnes,
                OffsetKinds.Tca305Coefficient(ins.OffsetKind), OffsetKinds.NeutralisesScope1(ins.OffsetKind), claim.Use));
        }

        // Rooftop PV: measured, day by day, with each day's grid factor.
        var reg = await store.Registry.GetRegistryAsync(park, ct);
        var pvMeters = reg.MetersById.Values.Where(m => m.Role == MeterRole.RenewableOnsite && m.Carrier == Carrier.Electricity && !m.IsVirtual).ToList();
        if (pvMeters.Count > 0)
        {
            var pv = await store.Queries.SeriesAsync(park, SeriesTarget.Node(null, role: MeterRole.RenewableOnsite, carrier: Carrier.Electricity), from, to, Granularity.Day, ct);
            double mwh = 0, t = 0;
            foreach (var bucket in pv.Buckets)
            {
                if (bucket.Value is not { } kwh || kwh == 0) continue;
                var day = reg.Clock.LocalDate(bucket.Start.ToUnixTimeSeconds());
                mwh += kwh / 1000;
                if (Factor(day) is { } f) t += OffsetInput.FromEnergy(OffsetKind.RooftopPv, kwh / 1000, f, "").Tonnes;
                else missingFactorDays++;
            }
            if (mwh > 0)
            {
                var label = $"rooftop_pv meters {string.Join(", ", pvMeters.Select(m => m.Code).Order(StringComparer.Ordinal).Take(5))}{(pvMeters.Count > 5 ? " …" : "")}";
                inputs.Add(new OffsetInput(OffsetKind.RooftopPv, mwh, t, label));
                contributions.Add(new InstrumentContribution(null, null, "rooftop_pv", label, park, from, to, mwh, "MWh", t / mwh, t,
                    OffsetKinds.Tca305Coefficient(OffsetKind.RooftopPv), false, NeutralityStore.UseOffset));
            }
        }
        if (missingFactorDays > 0)
        {
            flags.Add(FlagNoGridFactor);
            notes.Add($"{missingFactorDays} day(s) without a location-based grid factor in the library: their MWh are not converted");
        }
        if (!inventory.Complete) flags.Add(FlagIncompleteInventory);
        var scope1 = inventory.Totals.Scope1T;
        // C_yw = scope 1 + location-based scope 2, added as Emissions (tonnes sum in tonnes).
        var emissions = (inventory.Totals.Scope1 + inventory.Totals.Scope2Location).TonnesCo2e;
        var fig = NeutralityCalculator.Compute(emissions, scope1, inputs, flags);
        var dayFactors = Enumerable.Range(from.DayNumber, to.DayNumber - from.DayNumber + 1).Select(d => Factor(DateOnly.FromDayNumber(d))).Where(f => f is not null).ToList();
        notes.Add($"C_yw = scope 1 {scope1.ToString("0.###", Inv)} t + location-based scope 2 {inventory.Totals.Scope2LocationT.ToString("0.###", Inv)} t " +
                  $"(inventory {inventory.Boundary} {from:yyyy-MM-dd}…{to:yyyy-MM-dd}, {AccountingMethods.Code(method)}, {gwp}); scope 3 is outside C_yw");
        return new NeutralityReport
        {
            Park = park, From = from, To = to, Method = AccountingMethods.Code(method), Gwp = gwp.ToString(), EmissionsT = emissions, Scope1T = scope1,
            Scope2LocationT = inventory.Totals.Scope2LocationT, Scope2MarketT = inventory.Totals.Scope2MarketT, NeutralisedT = fig.NeutralisedT, NeutralityRate = fig.NeutralityRate,
            Tca305WeightedT = fig.WeightedT, Tca305WeightedRawT = fig.WeightedRawT, Tca305OffsetRatio = fig.OffsetRatio, Tca305OffsetScore = fig.OffsetScore,
            Tca305Admission = fig.Admission, Scope1EligibleWeightedT = fig.Scope1EligibleWeightedT, Scope1UncoveredT = fig.Scope1UncoveredT, NonScope1CapT = fig.NonScope1CapT,
            GridFactorTPerMwh = dayFactors.Count > 0 ? dayFactors.Average() : null, ByKind = fig.Lines, ByInstrument = contributions, Flags = fig.Flags,
            Notes = [.. notes, .. inventory.Notes.Take(5)],
        };
    }

    /// <summary>The T/CA305 offset ratio S_DC of a park and period (what the evaluation module scores): null without emissions.</summary>
    public async Task<double?> OffsetRatioAsync(string park, DateOnly from, DateOnly to, CancellationToken ct = default) =>
        (await ComputeAsync(park, from, to, ct: ct)).Tca305OffsetRatio;

    /// <summary>The neutrality of each month of a year (months after <paramref name="through"/> are left out).</summary>
    public async Task<IReadOnlyList<NeutralityReport>> MonthsAsync(string park, int year, DateOnly? through = null, AccountingMethod method = AccountingMethod.Ghgp,
        GwpSet gwp = GwpSet.AR6, CancellationToken ct = default)
    {
        var result = new List<NeutralityReport>();
        for (var m = 1; m <= 12; m++)
        {
            var a = new DateOnly(year, m, 1);
            if (through is { } t && a > t) break;
            var b = a.AddMonths(1).AddDays(-1);
            if (through is { } t2 && b > t2) b = t2;
            result.Add(await ComputeAsync(park, a, b, method, gwp, ct));
        }
        return result;
    }
}
