using ZeroPark.Domain;
using ZeroPark.Neutrality;

namespace ZeroPark.Tests.NeutralityModule;

/// <summary>
/// The neutrality worked cases WC-25, WC-26, WC-27, WC-33 and WC-35 of the project's reference data (worked-cases.json, copied here
/// with their sources and hand arithmetic so the suite stands alone); WC-23 (market-based scope 2 from the ledger) is in
/// <see cref="NeutralityStoreSuite"/>. Coefficients: T/CA305-2023 附表F (sinks 2, CCUS 1.5, green power/GEC 1, CER/CCER 2,
/// rooftop PV 1.5, vouchers 1, allowances 0.5).
/// </summary>
public sealed class NeutralityWorkedCaseTests
{
    private const double Ef = 0.5366; // tCO2/MWh, MEE/NBS 2022 national

    [Fact]
    public void Coefficients_are_those_of_table_F()
    {
        Assert.Equal(2, OffsetKinds.Tca305Coefficient(OffsetKind.Sink));
        Assert.Equal(1.5, OffsetKinds.Tca305Coefficient(OffsetKind.Ccus));
        Assert.Equal(1, OffsetKinds.Tca305Coefficient(OffsetKind.GreenPower));
        Assert.Equal(1, OffsetKinds.Tca305Coefficient(OffsetKind.Gec));
        Assert.Equal(2, OffsetKinds.Tca305Coefficient(OffsetKind.Cer));
        Assert.Equal(2, OffsetKinds.Tca305Coefficient(OffsetKind.Ccer));
        Assert.Equal(1.5, OffsetKinds.Tca305Coefficient(OffsetKind.RooftopPv));
        Assert.Equal(1, OffsetKinds.Tca305Coefficient(OffsetKind.Voucher));
        Assert.Equal(0.5, OffsetKinds.Tca305Coefficient(OffsetKind.Allowance));
        Assert.Equal([OffsetKind.Ccer, OffsetKind.Cer, OffsetKind.Sink, OffsetKind.Ccus], OffsetKinds.All.Where(OffsetKinds.NeutralisesScope1));
    }

    [Fact]
    public void WC25_offset_ratio_passes_admission_and_scope1_is_covered()
    {
        // C_yw 6,400 t, scope 1 150 t. GEC 3,000 MWh × 0.5366 = 1,609.8 t × 1; rooftop PV 1,000 kW × 1,100 h = 1,100 MWh × 0.5366 = 590.26 t × 1.5
        // = 885.39; CCER 100 × 2 = 200; sink 50 × 2 = 100; C_p = −2,795.19; S_DC = 2,795.19 / 6,400 = 0.436748; score 17.4699;
        // scope-1 eligible (CCER + sink, weighted) = 300 ≥ 150.
        var pvMwh = (Power.FromKilowatts(1_000) * TimeSpan.FromHours(1_100)).MegawattHours;
        Assert.Equal(1_100, pvMwh, 1e-9);
        var r = NeutralityCalculator.Compute(6_400, 150,
        [
            OffsetInput.FromEnergy(OffsetKind.Gec, 3_000, Ef, "GEC"), OffsetInput.FromEnergy(OffsetKind.RooftopPv, pvMwh, Ef, "PV"),
            OffsetInput.FromTonnes(OffsetKind.Ccer, 100, "CCER"), OffsetInput.FromTonnes(OffsetKind.Sink, 50, "sink"),
        ]);
        Assert.Equal(1_609.8, r.Lines.Single(l => l.Kind == OffsetKind.Gec).WeightedT, 1e-3);
        Assert.Equal(885.39, r.Lines.Single(l => l.Kind == OffsetKind.RooftopPv).WeightedT, 1e-3);
        Assert.Equal(200, r.Lines.Single(l => l.Kind == OffsetKind.Ccer).WeightedT, 1e-3);
        Assert.Equal(100, r.Lines.Single(l => l.Kind == OffsetKind.Sink).WeightedT, 1e-3);
        Assert.Equal(2_795.19, r.WeightedT, 1e-3);
        Assert.Equal(0.436748, r.OffsetRatio!.Value, 1e-6);
        Assert.Equal(17.4699, r.OffsetScore!.Value, 1e-3);
        Assert.True(r.Admission);
        Assert.Equal(300, r.Scope1EligibleWeightedT, 1e-9);
        Assert.Equal(0, r.Scope1UncoveredT);
        Assert.DoesNotContain(NeutralityCalculator.FlagScope1Uncovered, r.Flags);
    }

    [Fact]
    public void WC26_offset_ratio_below_admission()
    {
        // GEC 2,000 × 0.5366 = 1,073.2 t; CCER 100 × 2 = 200; C_p = −1,273.2; S_DC = 1,273.2 / 10,000 = 0.12732 ≤ 20 % → fail; score 5.0928 < 8.
        var r = NeutralityCalculator.Compute(10_000, 0, [OffsetInput.FromEnergy(OffsetKind.Gec, 2_000, Ef, "GEC"), OffsetInput.FromTonnes(OffsetKind.Ccer, 100, "CCER")]);
        Assert.Equal(1_273.2, r.WeightedT, 1e-3);
        Assert.Equal(0.12732, r.OffsetRatio!.Value, 1e-6);
        Assert.Equal(5.0928, r.OffsetScore!.Value, 1e-4);
        Assert.False(r.Admission);
        Assert.Contains(NeutralityCalculator.FlagAdmissionNotMet, r.Flags);
    }

    [Fact]
    public void WC27_green_certificates_cannot_cover_scope1_and_are_capped()
    {
        // C_yw 5,000 t, scope 1 800 t, GEC 8,000 MWh × 0.5366 = 4,292.8 t (raw S_DC 0.85856, score 34.3424); capped at C_yw − S1 = 4,200
        // → S_DC 0.84, score 33.6; scope 1 (800 t) uncovered → flag.
        var r = NeutralityCalculator.Compute(5_000, 800, [OffsetInput.FromEnergy(OffsetKind.Gec, 8_000, Ef, "GEC")]);
        Assert.Equal(4_292.8, r.WeightedRawT, 1e-3);
        Assert.Equal(0.85856, r.WeightedRawT / r.EmissionsT, 1e-6);
        Assert.Equal(4_200, r.WeightedT, 1e-9);
        Assert.Equal(0.84, r.OffsetRatio!.Value, 1e-9);
        Assert.Equal(33.6, r.OffsetScore!.Value, 1e-9);
        Assert.Equal(800, r.Scope1UncoveredT, 1e-9);
        Assert.Contains(NeutralityCalculator.FlagScope1Uncovered, r.Flags);
        Assert.Contains(NeutralityCalculator.FlagNonScope1Capped, r.Flags);
        // Adding 400 t of CCER (weighted 800) covers scope 1: nothing uncovered, the GECs stay capped at 4,200: (800 + 4,200) / 5,000 = 1.0 → 40 points.
        var covered = NeutralityCalculator.Compute(5_000, 800, [OffsetInput.FromEnergy(OffsetKind.Gec, 8_000, Ef, "GEC"), OffsetInput.FromTonnes(OffsetKind.Ccer, 400, "CCER")]);
        Assert.Equal(0, covered.Scope1UncoveredT, 1e-9);
        Assert.Equal(1.0, covered.OffsetRatio!.Value, 1e-9);
        Assert.Equal(40, covered.OffsetScore!.Value, 1e-9);
    }

    [Fact]
    public void WC33_monthly_neutrality_rate_below_target()
    {
        // 700 MWh × 0.5366 = 375.62 t; (375.62 + 50) / 600 = 0.709367 < 0.75 → not met.
        var r = NeutralityCalculator.Compute(600, 0, [OffsetInput.FromEnergy(OffsetKind.Gec, 700, Ef, "GEC"), OffsetInput.FromTonnes(OffsetKind.Ccer, 50, "CCER")]);
        Assert.Equal(425.62, r.NeutralisedT, 1e-4);
        Assert.Equal(0.709367, r.NeutralityRate!.Value, 1e-4);
        Assert.True(r.NeutralityRate < 0.75);
    }

    [Fact]
    public void WC35_certificates_for_a_100_percent_renewable_claim()
    {
        // 12,000,000 kWh / 1,000 = 12,000 GEC; (12,000,000 − 2,400,000 − 600,000) / 1,000 = 9,000 more.
        var (total, more) = NeutralityCalculator.CertificatesFor100Pct(Energy.FromKilowattHours(12_000_000), Energy.FromKilowattHours(2_400_000), Energy.FromKilowattHours(600_000));
        Assert.Equal(12_000, total);
        Assert.Equal(9_000, more);
        // A part of a MWh needs a whole certificate: 1,000.5 kWh → 2 GECs.
        Assert.Equal(2, NeutralityCalculator.CertificatesFor100Pct(Energy.FromKilowattHours(1_000.5), Energy.Zero, Energy.Zero).Total);
    }

    [Fact]
    public void Allowances_and_vouchers_are_weighted_and_count_against_the_non_scope1_room()
    {
        // C_yw 1,000, scope 1 900: room for non-scope-1 kinds = 100 t. Allowance 300 t × 0.5 = 150, voucher 20 × 1 = 20 → 170 raw, 100 counted;
        // sink 100 × 2 = 200 counts in full; S_DC = 300 / 1,000 = 0.3; scope 1 900 − 200 = 700 uncovered.
        var r = NeutralityCalculator.Compute(1_000, 900,
            [OffsetInput.FromTonnes(OffsetKind.Allowance, 300, "a"), OffsetInput.FromTonnes(OffsetKind.Voucher, 20, "v"), OffsetInput.FromTonnes(OffsetKind.Sink, 100, "s")]);
        Assert.Equal(370, r.WeightedRawT, 1e-9);
        Assert.Equal(300, r.WeightedT, 1e-9);
        Assert.Equal(0.3, r.OffsetRatio!.Value, 1e-9);
        Assert.Equal(700, r.Scope1UncoveredT, 1e-9);
        // The neutrality rate is unweighted: (300 + 20 + 100) / 1,000 = 0.42.
        Assert.Equal(0.42, r.NeutralityRate!.Value, 1e-9);
        // The counted weighted lines share the cap pro rata: allowance 150 × 100/170, voucher 20 × 100/170.
        Assert.Equal(150 * 100 / 170.0, r.Lines.Single(l => l.Kind == OffsetKind.Allowance).CountedWeightedT, 1e-9);
    }

    [Fact]
    public void No_emissions_gives_no_rate_and_a_flag()
    {
        var r = NeutralityCalculator.Compute(0, 0, [OffsetInput.FromTonnes(OffsetKind.Ccer, 1, "c")]);
        Assert.Null(r.NeutralityRate);
        Assert.Null(r.OffsetRatio);
        Assert.Contains(NeutralityCalculator.FlagNoEmissions, r.Flags);
    }
}
