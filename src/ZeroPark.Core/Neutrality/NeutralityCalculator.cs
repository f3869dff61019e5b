using ZeroPark.Domain;

namespace ZeroPark.Neutrality;

/// <summary>One instrument's contribution to a period: its quantity in the ledger unit (MWh or tCO2e) falling in the period and
/// the tCO2e it stands for (MWh × the location-based grid factor the inventory used; tCO2e as is).</summary>
public sealed record OffsetInput(OffsetKind Kind, double Quantity, double Tonnes, string Source)
{
    /// <summary>An energy instrument: MWh × grid factor (tCO2/MWh = kgCO2/kWh).</summary>
    public static OffsetInput FromEnergy(OffsetKind kind, double mwh, double factorTPerMwh, string source) =>
        new(kind, mwh, (Energy.FromMegawattHours(mwh) * EnergyEmissionFactor.FromTonnesPerMegawattHour(factorTPerMwh)).TonnesCo2e, source);

    public static OffsetInput FromTonnes(OffsetKind kind, double t, string source) => new(kind, t, t, source);
}

/// <summary>The figures of one kind of instrument in a period.</summary>
public sealed record KindLine(OffsetKind Kind, double Quantity, string Unit, double Tonnes, double Coefficient, double WeightedT, double CountedWeightedT,
    bool NeutralisesScope1, int Instruments)
{
    public string Code => OffsetKinds.Code(Kind);
}

/// <summary>The neutrality of a period and the T/CA305 offset view beside it (see docs/neutrality.md).</summary>
public sealed record NeutralityFigures(
    double EmissionsT, double Scope1T, double NeutralisedT, double? NeutralityRate,
    double WeightedRawT, double WeightedT, double? OffsetRatio, double? OffsetScore, bool? Admission,
    double Scope1EligibleWeightedT, double Scope1UncoveredT, double NonScope1CapT, double CappedAwayT,
    IReadOnlyList<KindLine> Lines, IReadOnlyList<string> Flags);

/// <summary>
/// Pure arithmetic of neutrality (ODCC whitepaper §五(二)6, §五(三)) and of the T/CA305-2023 附表F offset ratio:
/// <list type="bullet">
/// <item>neutrality rate = Σ tCO2e of the instruments claimed for the period (unweighted) ÷ emissions (C_yw, gross location-based);</item>
/// <item>T/CA305: weighted = Σ coefficient × tCO2e; the kinds that may not neutralise scope 1 (green power/GEC, rooftop PV, vouchers,
/// allowances) count at most C_yw − scope 1; C_p = −(eligible weighted + capped others); S_DC = −C_p / C_yw; score = S_DC × 40
/// (capped at 40); admission S_DC &gt; 20 %; scope 1 left uncovered by the eligible kinds (weighted) is flagged.</item>
/// </list>
/// </summary>
public static class NeutralityCalculator
{
    public const double AdmissionRatio = 0.20;
    public const double ScoreWeight = 40;

    public const string FlagScope1Uncovered = "scope1_uncovered";
    public const string FlagNonScope1Capped = "non_scope1_offsets_capped";
    public const string FlagAdmissionNotMet = "tca305_admission_not_met";
    public const string FlagOverNeutralised = "over_neutralised";
    public const string FlagNoEmissions = "no_emissions";
    public const string FlagScoreCapped = "tca305_score_capped";

    public static NeutralityFigures Compute(double emissionsT, double scope1T, IEnumerable<OffsetInput> offsets, IEnumerable<string>? extraFlags = null)
    {
        var inputs = offsets.Where(o => OffsetKinds.IsOffset(o.Kind)).ToList();
        var flags = new List<string>();
        var raw = inputs.GroupBy(o => o.Kind).OrderBy(g => g.Key).Select(g =>
        {
            var t = g.Sum(o => o.Tonnes);
            var c = OffsetKinds.Tca305Coefficient(g.Key);
            return (Kind: g.Key, Q: g.Sum(o => o.Quantity), T: t, C: c, W: t * c, N: g.Count());
        }).ToList();
        var neutralised = raw.Sum(l => l.T);
        var eligible = raw.Where(l => OffsetKinds.NeutralisesScope1(l.Kind)).Sum(l => l.W);
        var others = raw.Where(l => !OffsetKinds.NeutralisesScope1(l.Kind)).Sum(l => l.W);
        var cap = Math.Max(0, emissionsT - scope1T);
        var othersCounted = Math.Min(others, cap);
        var share = others > 0 ? othersCounted / others : 1;
        var lines = raw.Select(l => new KindLine(l.Kind, l.Q, OffsetKinds.Unit(l.Kind), l.T, l.C, l.W,
            OffsetKinds.NeutralisesScope1(l.Kind) ? l.W : l.W * share, OffsetKinds.NeutralisesScope1(l.Kind), l.N)).ToList();
        var weighted = eligible + othersCounted;
        var uncovered = Math.Max(0, scope1T - eligible);
        double? rate = emissionsT > 0 ? neutralised / emissionsT : null;
        double? ratio = emissionsT > 0 ? weighted / emissionsT : null;
        double? score = ratio is { } r ? Math.Min(ScoreWeight, r * ScoreWeight) : null;
        bool? admission = ratio is { } rr ? rr > AdmissionRatio : null;
        if (emissionsT <= 0) flags.Add(FlagNoEmissions);
        if (uncovered > 1e-9) flags.Add(FlagScope1Uncovered);
        if (others - othersCounted > 1e-9) flags.Add(FlagNonScope1Capped);
        if (admission == false) flags.Add(FlagAdmissionNotMet);
        if (ratio is { } x && x * ScoreWeight > ScoreWeight) flags.Add(FlagScoreCapped);
        if (rate is > 1) flags.Add(FlagOverNeutralised);
        if (extraFlags is not null) flags.AddRange(extraFlags);
        return new NeutralityFigures(emissionsT, scope1T, neutralised, rate, eligible + others, weighted, ratio, score, admission, eligible, uncovered, cap,
            others - othersCounted, lines, flags.Distinct().ToList());
    }

    /// <summary>GECs (1 GEC = 1 MWh, 发改能源〔2023〕1044号) for a 100 % renewable claim of <paramref name="consumption"/>: all of it, and
    /// those still needed after green power trades (their bundled GECs already count) and self-consumed on-site PV (not a grid purchase).
    /// Whole certificates: a part of a MWh needs one more.</summary>
    public static (long Total, long Additional) CertificatesFor100Pct(Energy consumption, Energy greenPower, Energy onsitePv)
    {
        static long Whole(Energy e) => (long)Math.Ceiling(Math.Round(Math.Max(0, e.MegawattHours), 9));
        return (Whole(consumption), Whole(consumption - greenPower - onsitePv));
    }
}
