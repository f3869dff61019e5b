using System.Globalization;
using ZeroPark.Domain;

namespace ZeroPark.EnergyManagement;


/// <summary>
/// Computes data-center KPIs from the energies of one period (pure: no I/O). Definitions and sources: reference data §4
/// (ISO/IEC 30134-2/-3/-6/-7/-8/-9, The Green Grid WP#29, GB 40879-2021, GB/T 32910.2 via T/BFIA 043). A KPI that cannot be
/// computed is null with a note saying why; a value computed from doubtful data carries a note too.
/// </summary>
public static class KpiCalculator
{
    /// <summary>The balance "closes" when the unmetered remainder is within this share of E_DC (meter rounding).</summary>
    public const double BalanceTolerance = 0.001;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static KpiResult Compute(KpiInputs x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Period <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(x), x.Period, "the period must be positive");
        var notes = new List<KpiNote>();
        void Note(string kpi, string message) => notes.Add(new KpiNote(kpi, message));

        foreach (var (name, e) in new (string, Energy?)[]
                 {
                     ("facility_input", x.FacilityInput), ("renewable_onsite", x.RenewableOnsite), ("export", x.Exported), ("it", x.It),
                     ("cooling", x.Cooling), ("power", x.PowerLosses), ("aux", x.Auxiliary), ("reused", x.Reused),
                 })
        {
            if (e is { KilowattHours: < 0 } neg)
                Note("inputs", $"{name} energy is negative ({Kwh(neg)}): a meter or a virtual meter's formula is inconsistent");
        }
        if (x.Water is { CubicMetres: < 0 } w) Note("inputs", $"water input is negative ({w})");

        var total = x.Total;
        var totalWhy = x.FacilityInput is null ? "total energy E_DC is not known (no facility_input reading)"
            : total is { KilowattHours: <= 0 } ? $"total energy E_DC is {Kwh(total.Value)}" : null;
        var it = x.It;
        var itWhy = it is null ? "IT energy is not known (no it_load reading)"
            : it.Value.KilowattHours <= 0 ? $"IT energy is {Kwh(it.Value)} in this period" : null;

        // PUE and DCiE
        double? pue = null;
        if (totalWhy is not null) Note("pue", totalWhy);
        else if (itWhy is not null) Note("pue", itWhy);
        else
        {
            pue = total!.Value / it!.Value;
            if (pue < 1)
                Note("pue", $"PUE {F(pue.Value)} is below 1: the total boundary misses a source or IT energy is counted twice (check the facility_input and it_load meters)");
        }
        double? dcie = pue is > 0 ? 1 / pue.Value : null;
        if (pue is null) Note("dcie", "needs PUE");

        // Load factors
        double? Factor(string kpi, Energy? part, string what)
        {
            if (part is null) { Note(kpi, $"{what} energy is not known (no {what} meter or no reading)"); return null; }
            if (itWhy is not null) { Note(kpi, itWhy); return null; }
            return part.Value / it!.Value;
        }
        var clf = Factor("clf", x.Cooling, "cooling");
        var plf = Factor("plf", x.PowerLosses, "power");
        var alf = Factor("alf", x.Auxiliary, "aux");

        // The balance: whatever the subsystem meters do not cover is shown, never hidden.
        Energy? unmetered = null;
        double? unmeteredFactor = null;
        if (totalWhy is null && itWhy is null)
        {
            unmetered = total!.Value - it!.Value - (x.Cooling ?? Energy.Zero) - (x.PowerLosses ?? Energy.Zero) - (x.Auxiliary ?? Energy.Zero);
            unmeteredFactor = unmetered.Value / it.Value;
            var missing = Missing(x);
            if (missing.Count > 0)
                Note("balance", $"no {string.Join(", ", missing)} energy is metered: it is part of the unmetered remainder");
            var share = unmetered.Value / total.Value;
            if (share > BalanceTolerance)
            {
                Note("balance", $"PUE {F(pue!.Value)} = 1 + CLF {F(clf ?? 0)} + PLF {F(plf ?? 0)} + ALF {F(alf ?? 0)} + unmetered {F(unmeteredFactor.Value)}: " +
                                $"{Kwh(unmetered.Value)} ({Pct(share)} of E_DC) is not covered by IT, cooling, power or auxiliary meters");
            }
            else if (share < -BalanceTolerance)
            {
                Note("balance", $"IT, cooling, power and auxiliary meters add up to {Kwh(-unmetered.Value)} ({Pct(-share)} of E_DC) more than the total input: " +
                                "a load is metered twice or the total boundary misses a source (e.g. on-site generation not under this node)");
            }
        }
        else
        {
            Note("unmetered", totalWhy ?? itWhy!);
        }

        // Partial PUE over the sub-metered infrastructure.
        double? ppue = null;
        if (itWhy is not null) Note("ppue", itWhy);
        else if (x.Cooling is null && x.PowerLosses is null && x.Auxiliary is null) Note("ppue", "no cooling, power or auxiliary energy is metered");
        else ppue = (it!.Value + (x.Cooling ?? Energy.Zero) + (x.PowerLosses ?? Energy.Zero) + (x.Auxiliary ?? Energy.Zero)) / it.Value;

        // WUE (L/kWh)
        double? wue = null;
        if (x.Water is null) Note("wue", "site water input is not known (no water_input meter or no reading)");
        else if (itWhy is not null) Note("wue", itWhy);
        else wue = x.Water.Value.Litres / it!.Value.KilowattHours;

        // ERF, ERE
        double? erf = null, ere = null;
        if (x.Reused is null)
        {
            Note("erf", "reused energy is not known (no reused_heat meter or no reading)");
            Note("ere", "reused energy is not known (no reused_heat meter or no reading)");
        }
        else
        {
            if (totalWhy is not null) Note("erf", totalWhy);
            else erf = x.Reused.Value / total!.Value;
            if (totalWhy is not null) Note("ere", totalWhy);
            else if (itWhy is not null) Note("ere", itWhy);
            else ere = (total!.Value - x.Reused.Value) / it!.Value;
        }

        // REF
        double? refv = null;
        Energy? renewable = null;
        if (x.RenewableOnsite is null && x.RenewablePurchased is null && x.RenewableCertificates is null)
        {
            Note("ref", "no renewable energy is known (no renewable_onsite meter or no reading; no green power or certificates given)");
        }
        else
        {
            renewable = (x.RenewableOnsite ?? Energy.Zero) + (x.RenewablePurchased ?? Energy.Zero) + (x.RenewableCertificates ?? Energy.Zero);
            if (totalWhy is not null) Note("ref", totalWhy);
            else
            {
                refv = renewable.Value / total!.Value;
                if (x.RenewablePurchased is null && x.RenewableCertificates is null)
                    Note("ref", "counts on-site generation only (green-power purchases and certificates are not recorded)");
            }
        }

        // CUE (kgCO2e/kWh): the one definition is Cue.
        double? cue = null;
        if (x.GridEmissionFactor is null && x.GridEmissions is null) Note("cue", "no grid emission factor given");
        else if (x.FacilityInput is null) Note("cue", "grid electricity is not known (no facility_input reading)");
        else if (itWhy is not null) Note("cue", itWhy);
        else
        {
            var grid = x.GridEmissions ?? x.FacilityInput.Value * x.GridEmissionFactor!.Value;
            cue = Cue.KilogramsPerKilowattHour(Cue.EnergyRelated(grid, x.OtherEmissions ?? Emissions.FromKilogramsCo2e(0)), it!.Value);
        }

        // CER
        double? cer = null;
        if (x.HeatRemoved is null) Note("cer", "the cooling load (heat removed by the cooling system) is not known (no chilled_water meter under system 'cooling', or no reading)");
        else if (x.Cooling is not { KilowattHours: > 0 } cooling) Note("cer", "cooling system energy is not known or zero");
        else cer = x.HeatRemoved.Value / cooling;

        // IT load rate and rack utilisation
        Power? avgIt = it is { } itE ? itE / x.Period : null;
        double? loadRate = null;
        if (avgIt is null) Note("it_load_rate", itWhy!);
        else if (x.DesignItPower is not { Kilowatts: > 0 } design) Note("it_load_rate", "design IT capacity is not known");
        else
        {
            loadRate = avgIt.Value / design;
            if (loadRate > 1) Note("it_load_rate", $"average IT power {avgIt} is above the design IT capacity {design}");
        }
        double? racks = null;
        if (x.RacksTotal is not > 0) Note("rack_utilisation", "racks provisioned is not known");
        else if (x.RacksInUse is null) Note("rack_utilisation", "racks in use is not known");
        else
        {
            racks = (double)x.RacksInUse.Value / x.RacksTotal.Value;
            if (racks > 1) Note("rack_utilisation", $"racks in use ({x.RacksInUse}) exceed racks provisioned ({x.RacksTotal})");
        }

        // GB 40879 grade
        Gb40879Grade? grade = null;
        if (pue is null) Note("gb40879_grade", "needs PUE");
        else if (pue < 1) Note("gb40879_grade", "not graded: PUE below 1 is not physical");
        else
        {
            grade = Gb40879.Grade(pue.Value);
            if (x.Period < TimeSpan.FromDays(365))
                Note("gb40879_grade", $"indicative: GB 40879-2021 grades R = E/E_IT over a full year of metered data; this period is {x.Period.TotalDays.ToString("0.##", Inv)} days");
        }

        if (x.Completeness is { } c && c < 1)
            Note("completeness", $"{Pct(c)} of the expected readings were received: the KPIs use the readings received and are not extrapolated");

        return new KpiResult
        {
            Inputs = x, Total = total, Pue = pue, Dcie = dcie, Clf = clf, Plf = plf, Alf = alf, Unmetered = unmetered, UnmeteredFactor = unmeteredFactor,
            Ppue = ppue, Wue = wue, Erf = erf, Ere = ere, Ref = refv, Renewable = renewable, Cue = cue, Cer = cer, AverageItPower = avgIt,
            ItLoadRate = loadRate, RackUtilisation = racks, Grade = grade, Notes = notes,
        };
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
