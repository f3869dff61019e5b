using System.Globalization;
using ZeroPark.Domain;

namespace ZeroPark.EnergyManagement;


/// <summary>
/// Computes data-center KPIs from the energies of one period (pure: no I/O). Definitions and sources: reference data §4
/// (ISO/IEC 30134-2/-3/-6/-7/-8/-9, The Green Grid WP#29, GB 40879-2021, GB/T 32910.2 via T/BFIA 043). A KPI that cannot be
/// computed is null with a note saying why; a value computed from doubtful data carries a note too.
/// <para>One file per KPI family: power and PUE (<c>KpiCalculator.Power.cs</c>: PUE, DCiE, CLF/PLF/ALF, the balance, pPUE, CER,
/// IT load rate, racks, GB 40879 grade), water (<c>KpiCalculator.Water.cs</c>: WUE), renewable and reuse
/// (<c>KpiCalculator.Renewable.cs</c>: ERF, ERE, REF) and carbon (<c>KpiCalculator.Carbon.cs</c>: CUE, by <see cref="Cue"/>).</para>
/// </summary>
public static partial class KpiCalculator
{
    /// <summary>The balance "closes" when the unmetered remainder is within this share of E_DC (meter rounding).</summary>
    public const double BalanceTolerance = 0.001;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>What every family needs: the inputs, E_DC and E_IT with why they are unusable (null when usable), the notes.</summary>
    private sealed class Period(KpiInputs x)
    {
        public KpiInputs X { get; } = x;
        public List<KpiNote> Notes { get; } = [];
        public Energy? Total { get; } = x.Total;
        public string? TotalWhy { get; } = x.FacilityInput is null ? "total energy E_DC is not known (no facility_input reading)"
            : x.Total is { KilowattHours: <= 0 } t ? $"total energy E_DC is {Kwh(t)}" : null;
        public Energy? It { get; } = x.It;
        public string? ItWhy { get; } = x.It is null ? "IT energy is not known (no it_load reading)"
            : x.It.Value.KilowattHours <= 0 ? $"IT energy is {Kwh(x.It.Value)} in this period" : null;
        public void Note(string kpi, string message) => Notes.Add(new KpiNote(kpi, message));
    }

    public static KpiResult Compute(KpiInputs x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Period <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(x), x.Period, "the period must be positive");
        var p = new Period(x);
        CheckInputs(p);
        var power = PowerFamily(p);
        var water = WaterFamily(p);
        var reuse = RenewableFamily(p);
        var cue = CarbonFamily(p);
        var cer = CoolingEfficiency(p);
        var load = LoadFamily(p);
        var grade = GradeFamily(p, power.Pue);

        if (x.Completeness is { } c && c < 1)
            p.Note("completeness", $"{Pct(c)} of the expected readings were received: the KPIs use the readings received and are not extrapolated");

        return new KpiResult
        {
            Inputs = x, Total = p.Total, Pue = power.Pue, Dcie = power.Dcie, Clf = power.Clf, Plf = power.Plf, Alf = power.Alf, Unmetered = power.Unmetered,
            UnmeteredFactor = power.UnmeteredFactor, Ppue = power.Ppue, Wue = water, Erf = reuse.Erf, Ere = reuse.Ere, Ref = reuse.Ref, Renewable = reuse.Renewable,
            Cue = cue, Cer = cer, AverageItPower = load.AverageIt, ItLoadRate = load.LoadRate, RackUtilisation = load.Racks, Grade = grade, Notes = p.Notes,
        };
    }

    private static void CheckInputs(Period p)
    {
        var x = p.X;
        foreach (var (name, e) in new (string, Energy?)[]
                 {
                     ("facility_input", x.FacilityInput), ("renewable_onsite", x.RenewableOnsite), ("export", x.Exported), ("it", x.It),
                     ("cooling", x.Cooling), ("power", x.PowerLosses), ("aux", x.Auxiliary), ("reused", x.Reused),
                 })
        {
            if (e is { KilowattHours: < 0 } neg)
                p.Note("inputs", $"{name} energy is negative ({Kwh(neg)}): a meter or a virtual meter's formula is inconsistent");
        }
        if (x.Water is { CubicMetres: < 0 } w) p.Note("inputs", $"water input is negative ({w})");
    }

    /// <summary>Partial PUE of a zone: (E_IT,zone + E_infra,zone) / E_IT,zone (ISO/IEC 30134-2; GB/T 32910.3 局部PUE).</summary>
    public static double PartialPue(Energy zoneIt, Energy zoneInfrastructure)
    {
        if (zoneIt.KilowattHours <= 0) throw new ArgumentOutOfRangeException(nameof(zoneIt), zoneIt, "zone IT energy must be positive");
        return (zoneIt + zoneInfrastructure) / zoneIt;
    }

    private static List<string> Missing(KpiInputs x)
    {
        var list = new List<string>();
        if (x.Cooling is null) list.Add("cooling");
        if (x.PowerLosses is null) list.Add("power");
        if (x.Auxiliary is null) list.Add("aux");
        return list;
    }

    private static string F(double v) => v.ToString("0.####", Inv);
    private static string Pct(double share) => (share * 100).ToString("0.##", Inv) + " %";
    private static string Kwh(Energy e) => e.KilowattHours.ToString("#,0.###", Inv) + " kWh";
}
