using ZeroPark.Domain;

namespace ZeroPark.EnergyManagement;

/// <summary>Power and PUE family: PUE and DCiE (ISO/IEC 30134-2, GB 40879-2021 §3.4), the load factors CLF, PLF, ALF and the
/// unmetered remainder (GB/T 32910.2 via T/BFIA 043), pPUE, CER (ISO/IEC 30134-7), IT load rate, rack utilisation and the
/// GB 40879 grade.</summary>
public static partial class KpiCalculator
{
    private sealed record PowerKpis(double? Pue, double? Dcie, double? Clf, double? Plf, double? Alf, Energy? Unmetered, double? UnmeteredFactor, double? Ppue);

    private static PowerKpis PowerFamily(Period p)
    {
        var (x, total, it, totalWhy, itWhy) = (p.X, p.Total, p.It, p.TotalWhy, p.ItWhy);

        // PUE and DCiE
        double? pue = null;
        if (totalWhy is not null) p.Note("pue", totalWhy);
        else if (itWhy is not null) p.Note("pue", itWhy);
        else
        {
            pue = total!.Value / it!.Value;
            if (pue < 1)
                p.Note("pue", $"PUE {F(pue.Value)} is below 1: the total boundary misses a source or IT energy is counted twice (check the facility_input and it_load meters)");
        }
        double? dcie = pue is > 0 ? 1 / pue.Value : null;
        if (pue is null) p.Note("dcie", "needs PUE");

        // Load factors
        double? Factor(string kpi, Energy? part, string what)
        {
            if (part is null) { p.Note(kpi, $"{what} energy is not known (no {what} meter or no reading)"); return null; }
            if (itWhy is not null) { p.Note(kpi, itWhy); return null; }
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
                p.Note("balance", $"no {string.Join(", ", missing)} energy is metered: it is part of the unmetered remainder");
            var share = unmetered.Value / total.Value;
            if (share > BalanceTolerance)
            {
                p.Note("balance", $"PUE {F(pue!.Value)} = 1 + CLF {F(clf ?? 0)} + PLF {F(plf ?? 0)} + ALF {F(alf ?? 0)} + unmetered {F(unmeteredFactor.Value)}: " +
                                  $"{Kwh(unmetered.Value)} ({Pct(share)} of E_DC) is not covered by IT, cooling, power or auxiliary meters");
            }
            else if (share < -BalanceTolerance)
            {
                p.Note("balance", $"IT, cooling, power and auxiliary meters add up to {Kwh(-unmetered.Value)} ({Pct(-share)} of E_DC) more than the total input: " +
                                  "a load is metered twice or the total boundary misses a source (e.g. on-site generation not under this node)");
            }
        }
        else
        {
            p.Note("unmetered", totalWhy ?? itWhy!);
        }

        // Partial PUE over the sub-metered infrastructure.
        double? ppue = null;
        if (itWhy is not null) p.Note("ppue", itWhy);
        else if (x.Cooling is null && x.PowerLosses is null && x.Auxiliary is null) p.Note("ppue", "no cooling, power or auxiliary energy is metered");
        else ppue = (it!.Value + (x.Cooling ?? Energy.Zero) + (x.PowerLosses ?? Energy.Zero) + (x.Auxiliary ?? Energy.Zero)) / it.Value;

        return new PowerKpis(pue, dcie, clf, plf, alf, unmetered, unmeteredFactor, ppue);
    }

    /// <summary>CER = heat removed by the cooling system / cooling system energy (ISO/IEC 30134-7).</summary>
    private static double? CoolingEfficiency(Period p)
    {
        var x = p.X;
        if (x.HeatRemoved is null) p.Note("cer", "the cooling load (heat removed by the cooling system) is not known (no chilled_water meter under system 'cooling', or no reading)");
        else if (x.Cooling is not { KilowattHours: > 0 } cooling) p.Note("cer", "cooling system energy is not known or zero");
        else return x.HeatRemoved.Value / cooling;
        return null;
    }

    private sealed record LoadKpis(Power? AverageIt, double? LoadRate, double? Racks);

    /// <summary>IT load rate (average IT power / design IT capacity) and rack utilisation.</summary>
    private static LoadKpis LoadFamily(Period p)
    {
        var x = p.X;
        Power? avgIt = p.It is { } itE ? itE / x.Period : null;
        double? loadRate = null;
        if (avgIt is null) p.Note("it_load_rate", p.ItWhy!);
        else if (x.DesignItPower is not { Kilowatts: > 0 } design) p.Note("it_load_rate", "design IT capacity is not known");
        else
        {
            loadRate = avgIt.Value / design;
            if (loadRate > 1) p.Note("it_load_rate", $"average IT power {avgIt} is above the design IT capacity {design}");
        }
        double? racks = null;
        if (x.RacksTotal is not > 0) p.Note("rack_utilisation", "racks provisioned is not known");
        else if (x.RacksInUse is null) p.Note("rack_utilisation", "racks in use is not known");
        else
        {
            racks = (double)x.RacksInUse.Value / x.RacksTotal.Value;
            if (racks > 1) p.Note("rack_utilisation", $"racks in use ({x.RacksInUse}) exceed racks provisioned ({x.RacksTotal})");
        }
        return new LoadKpis(avgIt, loadRate, racks);
    }

    /// <summary>GB 40879-2021 grade of PUE (indicative for less than a year).</summary>
    private static Gb40879Grade? GradeFamily(Period p, double? pue)
    {
        if (pue is null) p.Note("gb40879_grade", "needs PUE");
        else if (pue < 1) p.Note("gb40879_grade", "not graded: PUE below 1 is not physical");
        else
        {
            if (p.X.Period < TimeSpan.FromDays(365))
                p.Note("gb40879_grade", $"indicative: GB 40879-2021 grades R = E/E_IT over a full year of metered data; this period is {p.X.Period.TotalDays.ToString("0.##", Inv)} days");
            return Gb40879.Grade(pue.Value);
        }
        return null;
    }
}
