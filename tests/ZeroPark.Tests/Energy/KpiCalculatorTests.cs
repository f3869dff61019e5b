using ZeroPark.Domain;
using ZeroPark.EnergyManagement;

namespace ZeroPark.Tests.EnergyManagement;


/// <summary>The pure KPI calculator against the reference worked cases (WC-01…WC-09, see <see cref="WorkedCases"/>) and hand-worked
/// cases of our own. Expected values come from the cases' arithmetic, written out in the comments.</summary>
public class KpiCalculatorTests
{
    private static readonly TimeSpan Year = TimeSpan.FromDays(365);

    private static Energy Kwh(double v) => Energy.FromKilowattHours(v);

    private static void Near(double expected, double? actual, double tolerance)
    {
        Assert.True(actual.HasValue, $"expected {expected}, got null");
        Assert.Equal(expected, actual!.Value, tolerance);
    }

    private static void HasNote(KpiResult r, string kpi, string contains) =>
        Assert.True(r.Notes.Any(n => n.Kpi == kpi && n.Message.Contains(contains, StringComparison.Ordinal)),
            $"expected a '{kpi}' note containing '{contains}' in: {string.Join(" | ", r.Notes)}");

    // ------------------------------------------------------------------ worked cases

    [Fact]
    public void WC01_annual_PUE_and_GB40879_grade()
    {
        // PUE = 12,000,000 / 9,000,000 = 1.333333; 1.30 < 1.3333 ≤ 1.50 → grade 3.
        var r = KpiCalculator.Compute(new KpiInputs { Period = Year, FacilityInput = Kwh(WorkedCases.Wc01.ETotalKwh), It = Kwh(WorkedCases.Wc01.EItKwh) });
        Near(WorkedCases.Wc01.Pue, r.Pue, WorkedCases.Wc01.Tolerance);
        Assert.Equal((Gb40879Grade)WorkedCases.Wc01.Grade, r.Grade);
        // DCiE = 1 / PUE = 9,000,000 / 12,000,000 = 0.75.
        Near(0.75, r.Dcie, 1e-12);
        // A full year: the grade is not marked indicative.
        Assert.DoesNotContain(r.Notes, n => n.Kpi == "gb40879_grade");
    }

    [Fact]
    public void WC02_GB40879_grade_boundaries_are_inclusive()
    {
        foreach (var (pue, grade) in WorkedCases.Wc02)
            Assert.Equal((Gb40879Grade)grade, Gb40879.Grade(pue));
        Assert.Equal("non_compliant", Gb40879.Code(Gb40879.Grade(1.51)));
        Assert.Equal("1", Gb40879.Code(Gb40879.Grade(1.2)));
    }

    [Fact]
    public void WC02_boundary_holds_when_binary_rounding_lands_one_ulp_above_the_threshold()
    {
        // E_DC = grid 1.12 + PV 0.08 = 1.20 kWh exactly in decimal, but 1.12 + 0.08 = 1.2000000000000002 in binary;
        // E_IT = 1 kWh, so R = 1.20 → grade 1 (≤ 1.20 inclusive), not grade 2.
        var r = KpiCalculator.Compute(new KpiInputs { Period = Year, FacilityInput = Kwh(1.12), RenewableOnsite = Kwh(0.08), It = Kwh(1) });
        Assert.True(r.Pue > 1.2);                       // the binary value really is above the threshold
        Assert.Equal(Gb40879Grade.Grade1, r.Grade);
    }

    [Fact]
    public void WC03_load_factors_decompose_PUE_when_the_meters_close_the_balance()
    {
        // CLF = 2,160,000/9,000,000 = 0.24; PLF = 540,000/9,000,000 = 0.06; ALF = 300,000/9,000,000 = 0.033333;
        // 1 + 0.24 + 0.06 + 0.033333 = 1.333333 = PUE = 12,000,000/9,000,000 (E_total = 9,000,000 + 2,160,000 + 540,000 + 300,000).
        var r = KpiCalculator.Compute(new KpiInputs
        {
            Period = Year, FacilityInput = Kwh(WorkedCases.Wc03.ETotalKwh), It = Kwh(WorkedCases.Wc03.EItKwh), Cooling = Kwh(WorkedCases.Wc03.ECoolingKwh),
            PowerLosses = Kwh(WorkedCases.Wc03.EPowerLossesKwh), Auxiliary = Kwh(WorkedCases.Wc03.EAuxKwh),
        });
        Near(WorkedCases.Wc03.Clf, r.Clf, WorkedCases.Wc03.Tolerance);
        Near(WorkedCases.Wc03.Plf, r.Plf, WorkedCases.Wc03.Tolerance);
        Near(WorkedCases.Wc03.Alf, r.Alf, WorkedCases.Wc03.Tolerance);
        Near(WorkedCases.Wc03.PueCheck, 1 + r.Clf!.Value + r.Plf!.Value + r.Alf!.Value, WorkedCases.Wc03.Tolerance);
        Near(WorkedCases.Wc03.PueCheck, r.Pue, WorkedCases.Wc03.Tolerance);
        // The balance closes: remainder 12,000,000 − 9,000,000 − 2,160,000 − 540,000 − 300,000 = 0, and no balance note.
        Near(0, r.Unmetered?.KilowattHours, 1e-6);
        Near(0, r.UnmeteredFactor, 1e-12);
        Assert.DoesNotContain(r.Notes, n => n.Kpi == "balance");
    }

    [Fact]
    public void WC04_partial_PUE_of_a_zone()
    {
        // pPUE = (1,000,000 + 150,000 + 50,000) / 1,000,000 = 1.20
        Near(WorkedCases.Wc04.Ppue, KpiCalculator.PartialPue(Kwh(WorkedCases.Wc04.ZoneEItKwh), Kwh(WorkedCases.Wc04.ZoneECoolingKwh + WorkedCases.Wc04.ZoneEPowerLossesKwh)),
            WorkedCases.Wc04.Tolerance);
        // Through the calculator: a zone without a facility input has no PUE but a pPUE over its sub-metered infrastructure.
        var r = KpiCalculator.Compute(new KpiInputs
        {
            Period = Year, It = Kwh(WorkedCases.Wc04.ZoneEItKwh), Cooling = Kwh(WorkedCases.Wc04.ZoneECoolingKwh), PowerLosses = Kwh(WorkedCases.Wc04.ZoneEPowerLossesKwh),
        });
        Near(WorkedCases.Wc04.Ppue, r.Ppue, WorkedCases.Wc04.Tolerance);
        Assert.Null(r.Pue);
        HasNote(r, "pue", "facility_input");
    }

    [Fact]
    public void WC05_WUE_in_litres_per_kWh()
    {
        // WUE = 14,400 m³ × 1000 L/m³ / 9,000,000 kWh = 1.60 L/kWh
        var r = KpiCalculator.Compute(new KpiInputs { Period = Year, It = Kwh(WorkedCases.Wc05.EItKwh), Water = Volume.FromCubicMetres(WorkedCases.Wc05.WaterM3) });
        Near(WorkedCases.Wc05.WueLPerKwh, r.Wue, WorkedCases.Wc05.Tolerance);
    }

    [Fact]
    public void WC06_CUE_from_grid_electricity_and_with_diesel()
    {
        // CO2 = 12,000,000 × 0.5366 / 1000 = 6,439.2 t; CUE = 6,439,200 kg / 9,000,000 kWh = 0.715467 = 0.5366 × 1.333333.
        var inputs = new KpiInputs
        {
            Period = Year, FacilityInput = Kwh(WorkedCases.Wc06.ETotalGridKwh), It = Kwh(WorkedCases.Wc06.EItKwh),
            GridEmissionFactor = new EnergyEmissionFactor(WorkedCases.Wc06.GridEfKgPerKwh),
        };
        var r = KpiCalculator.Compute(inputs);
        Near(WorkedCases.Wc06.CueGridOnly, r.Cue, WorkedCases.Wc06.Tolerance);
        Near(WorkedCases.Wc06.CueGridOnly, WorkedCases.Wc06.GridEfKgPerKwh * r.Pue!.Value, WorkedCases.Wc06.Tolerance);
        Assert.Equal(WorkedCases.Wc06.Co2GridTonnes, (Kwh(WorkedCases.Wc06.ETotalGridKwh) * inputs.GridEmissionFactor!.Value).TonnesCo2e, 6);
        // With backup diesel: (6,439.2 + 52.0113) × 1000 / 9,000,000 = 0.721246.
        var d = KpiCalculator.Compute(inputs with { OtherEmissions = Emissions.FromTonnesCo2e(WorkedCases.Wc06.DieselCo2Tonnes) });
        Near(WorkedCases.Wc06.CueInclDiesel, d.Cue, WorkedCases.Wc06.Tolerance);
    }

    [Fact]
    public void WC07_ERF_and_ERE()
    {
        // ERF = 1,200,000 / 12,000,000 = 0.10; ERE = (12,000,000 − 1,200,000) / 9,000,000 = 1.20 = (1 − 0.10) × 1.333333.
        var r = KpiCalculator.Compute(new KpiInputs
        {
            Period = Year, FacilityInput = Kwh(WorkedCases.Wc07.ETotalKwh), It = Kwh(WorkedCases.Wc07.EItKwh), Reused = Kwh(WorkedCases.Wc07.EReuseKwh),
        });
        Near(WorkedCases.Wc07.Erf, r.Erf, WorkedCases.Wc07.Tolerance);
        Near(WorkedCases.Wc07.Ere, r.Ere, WorkedCases.Wc07.Tolerance);
        Near(WorkedCases.Wc07.Ere, (1 - r.Erf!.Value) * r.Pue!.Value, WorkedCases.Wc07.Tolerance);
    }

    [Fact]
    public void WC08_REF_with_onsite_PV_green_power_and_certificates()
    {
        // E_DC = grid 11,400,000 (= 12,000,000 − 600,000 self-consumed PV) + PV 600,000 = 12,000,000 kWh.
        // E_ren = 600,000 + 3,000 × 1,000 + 2,400,000 = 6,000,000 kWh; REF = 6,000,000 / 12,000,000 = 0.50.
        var r = KpiCalculator.Compute(new KpiInputs
        {
            Period = Year,
            FacilityInput = Kwh(WorkedCases.Wc08.ETotalKwh - WorkedCases.Wc08.EOnsitePvKwh),
            RenewableOnsite = Kwh(WorkedCases.Wc08.EOnsitePvKwh),
            RenewableCertificates = Kwh(WorkedCases.Wc08.GecCount * WorkedCases.Wc08.GecKwhEach),
            RenewablePurchased = Kwh(WorkedCases.Wc08.EGreenPowerTradingKwh),
        });
        Near(WorkedCases.Wc08.ETotalKwh, r.Total?.KilowattHours, 1e-6);
        Near(WorkedCases.Wc08.ERenewableKwh, r.Renewable?.KilowattHours, 1e-6);
        Near(WorkedCases.Wc08.Ref, r.Ref, WorkedCases.Wc08.Tolerance);
        Assert.DoesNotContain(r.Notes, n => n.Kpi == "ref");   // every kind of renewable was given
        // On-site PV only (what the store records for now): REF = 600,000 / 12,000,000 = 0.05, with a note saying so.
        var onsite = KpiCalculator.Compute(new KpiInputs
        {
            Period = Year, FacilityInput = Kwh(WorkedCases.Wc08.ETotalKwh - WorkedCases.Wc08.EOnsitePvKwh), RenewableOnsite = Kwh(WorkedCases.Wc08.EOnsitePvKwh),
        });
        Near(0.05, onsite.Ref, 1e-12);
        HasNote(onsite, "ref", "on-site generation only");
    }

    [Fact]
    public void WC09_CER()
    {
        // CER = 9,500,000 / 2,160,000 = 4.398148
        var r = KpiCalculator.Compute(new KpiInputs { Period = Year, Cooling = Kwh(WorkedCases.Wc09.ECoolingKwh), HeatRemoved = Kwh(WorkedCases.Wc09.HeatRemovedKwhTh) });
        Near(WorkedCases.Wc09.Cer, r.Cer, WorkedCases.Wc09.Tolerance);
    }

    // ------------------------------------------------------------------ hand-worked cases

    [Fact]
    public void An_open_balance_is_shown_as_the_unmetered_remainder_never_hidden()
    {
        // E_DC 1,000; IT 700; cooling 200; power 50; no aux meter. PUE = 1000/700 = 1.428571.
        // CLF = 200/700 = 0.285714; PLF = 50/700 = 0.071429; ALF unknown.
        // Remainder = 1000 − 700 − 200 − 50 = 50 kWh (5 % of E_DC); factor = 50/700 = 0.071429;
        // 1 + 0.285714 + 0.071429 + 0.071429 = 1.428571 = PUE.
        var r = KpiCalculator.Compute(new KpiInputs { Period = TimeSpan.FromDays(1), FacilityInput = Kwh(1000), It = Kwh(700), Cooling = Kwh(200), PowerLosses = Kwh(50) });
        Near(1000.0 / 700, r.Pue, 1e-12);
        Assert.Null(r.Alf);
        HasNote(r, "alf", "aux");
        Near(50, r.Unmetered?.KilowattHours, 1e-9);
        Near(50.0 / 700, r.UnmeteredFactor, 1e-12);
        Near(r.Pue!.Value, 1 + r.Clf!.Value + r.Plf!.Value + r.UnmeteredFactor!.Value, 1e-12);
        HasNote(r, "balance", "no aux energy is metered");
        HasNote(r, "balance", "5 % of E_DC");
        // pPUE over what is metered: (700 + 200 + 50) / 700 = 1.357143.
        Near(950.0 / 700, r.Ppue, 1e-12);
    }

    [Fact]
    public void Sub_meters_adding_up_to_more_than_the_input_give_a_negative_remainder_and_a_note()
    {
        // E_DC 3,120 (grid only; the PV feeding this building is metered at park level); IT 2,400 + cooling 600 + power 192 + aux 48 = 3,240.
        // Remainder = 3,120 − 3,240 = −120 kWh; factor −120/2,400 = −0.05; PUE 3,120/2,400 = 1.30 = 1 + 0.25 + 0.08 + 0.02 − 0.05.
        var r = KpiCalculator.Compute(new KpiInputs
        {
            Period = TimeSpan.FromDays(1), FacilityInput = Kwh(3120), It = Kwh(2400), Cooling = Kwh(600), PowerLosses = Kwh(192), Auxiliary = Kwh(48),
        });
        Near(1.3, r.Pue, 1e-12);
        Near(-120, r.Unmetered?.KilowattHours, 1e-9);
        Near(-0.05, r.UnmeteredFactor, 1e-12);
        HasNote(r, "balance", "more than the total input");
        Assert.Equal(Gb40879Grade.Grade2, r.Grade);    // 1.30 ≤ 1.30
    }

    [Fact]
    public void Every_null_KPI_says_why()
    {
        // Only a facility input: nothing that needs E_IT can be computed.
        var r = KpiCalculator.Compute(new KpiInputs { Period = TimeSpan.FromDays(1), FacilityInput = Kwh(1000) });
        Assert.Null(r.Pue);
        Assert.Null(r.Clf);
        Assert.Null(r.Wue);
        Assert.Null(r.Ere);
        Assert.Null(r.Grade);
        foreach (var kpi in new[] { "pue", "dcie", "clf", "plf", "alf", "unmetered", "ppue", "wue", "erf", "ere", "ref", "cue", "cer", "it_load_rate", "rack_utilisation", "gb40879_grade" })
            Assert.Contains(r.Notes, n => n.Kpi == kpi);
        HasNote(r, "pue", "no it_load reading");
        // Zero IT energy is not a division by zero but a null with its reason.
        var zero = KpiCalculator.Compute(new KpiInputs { Period = TimeSpan.FromDays(1), FacilityInput = Kwh(1000), It = Kwh(0), Cooling = Kwh(100) });
        Assert.Null(zero.Pue);
        Assert.Null(zero.Clf);
        HasNote(zero, "clf", "IT energy is 0 kWh");
    }

    [Fact]
    public void IT_load_rate_and_rack_utilisation()
    {
        // IT 2,400 kWh over 24 h → average 100 kW; design 200 kW → load rate 0.5. Racks 9 of 12 in use → 0.75.
        var r = KpiCalculator.Compute(new KpiInputs
        {
            Period = TimeSpan.FromHours(24), It = Kwh(2400), DesignItPower = Power.FromKilowatts(200), RacksTotal = 12, RacksInUse = 9,
        });
        Near(100, r.AverageItPower?.Kilowatts, 1e-12);
        Near(0.5, r.ItLoadRate, 1e-12);
        Near(0.75, r.RackUtilisation, 1e-12);
        // Above design: 2,400 kWh in 6 h = 400 kW > 200 kW → rate 2 with a note.
        var over = KpiCalculator.Compute(new KpiInputs { Period = TimeSpan.FromHours(6), It = Kwh(2400), DesignItPower = Power.FromKilowatts(200) });
        Near(2, over.ItLoadRate, 1e-12);
        HasNote(over, "it_load_rate", "above the design");
    }

    [Fact]
    public void Partial_data_is_reported_and_short_periods_grade_indicatively()
    {
        // 42 of 48 expected readings = 87.5 %.
        var r = KpiCalculator.Compute(new KpiInputs { Period = TimeSpan.FromDays(31), FacilityInput = Kwh(1350), It = Kwh(1000), Completeness = 42.0 / 48 });
        HasNote(r, "completeness", "87.5 %");
        Assert.Equal(Gb40879Grade.Grade3, r.Grade);      // 1.35
        HasNote(r, "gb40879_grade", "31 days");
        var complete = KpiCalculator.Compute(new KpiInputs { Period = Year, FacilityInput = Kwh(1350), It = Kwh(1000), Completeness = 1 });
        Assert.DoesNotContain(complete.Notes, n => n.Kpi == "completeness");
    }

    [Fact]
    public void A_PUE_below_one_is_flagged_and_not_graded()
    {
        // 900 / 1,000 = 0.9: the boundary misses energy.
        var r = KpiCalculator.Compute(new KpiInputs { Period = Year, FacilityInput = Kwh(900), It = Kwh(1000) });
        Near(0.9, r.Pue, 1e-12);
        Assert.Null(r.Grade);
        HasNote(r, "pue", "below 1");
        HasNote(r, "gb40879_grade", "not graded");
    }

    [Fact]
    public void Export_is_subtracted_from_the_total()
    {
        // E_DC = grid 1,000 + PV 100 − export 60 = 1,040; PUE = 1,040 / 800 = 1.3; REF = 100 / 1,040.
        var r = KpiCalculator.Compute(new KpiInputs { Period = Year, FacilityInput = Kwh(1000), RenewableOnsite = Kwh(100), Exported = Kwh(60), It = Kwh(800) });
        Near(1040, r.Total?.KilowattHours, 1e-9);
        Near(1.3, r.Pue, 1e-12);
        Near(100.0 / 1040, r.Ref, 1e-12);
    }

    [Fact]
    public void The_period_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => KpiCalculator.Compute(new KpiInputs { Period = TimeSpan.Zero, It = Kwh(1) }));
    }
}
