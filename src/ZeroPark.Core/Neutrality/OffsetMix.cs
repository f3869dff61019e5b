namespace ZeroPark.Neutrality;

/// <summary>An instrument on offer: its price per ledger unit (CNY/MWh or CNY/tCO2e), the tCO2e one unit stands for and how many
/// units are on offer (null = unlimited).</summary>
public sealed record MixOption(OffsetKind Kind, double PricePerUnit, double TonnesPerUnit, double? Available, string Source)
{
    public double PricePerTonne => PricePerUnit / TonnesPerUnit;
}

public sealed record MixLine(OffsetKind Kind, double Units, string Unit, double Tonnes, double PricePerUnit, double CostCny, string Purpose, string Source);

public sealed record MixResult(double NeededT, double Scope1NeededT, double NonScope1RoomT, double BoughtT, double CostCny, bool Reached, IReadOnlyList<MixLine> Lines,
    IReadOnlyList<string> Notes);

/// <summary>
/// The cheapest mix of instruments that reaches a neutralisation need, respecting the scope-1 rule of T/CA305 (scope 1 may only be
/// neutralised by sinks, CCUS and CER/CCER; the other kinds count at most emissions − scope 1):
/// first the scope-1 gap from the cheapest eligible kinds, then the rest from the cheapest of all, the other kinds up to their room.
/// Cheapest-first is optimal here: the only constraints are a floor on one group and a ceiling on the other, so no cheaper unit is
/// ever left for a dearer one.
/// </summary>
public static class OffsetMix
{
    /// <param name="neededT">tCO2e still to neutralise (target − already neutralised).</param>
    /// <param name="scope1GapT">scope 1 not yet covered by eligible kinds (tCO2e).</param>
    /// <param name="nonScope1RoomT">how much more the non-eligible kinds may count (emissions − scope 1 − what they already count).</param>
    /// <param name="options">instruments on offer with prices.</param>
    public static MixResult Cheapest(double neededT, double scope1GapT, double nonScope1RoomT, IEnumerable<MixOption> options)
    {
        var notes = new List<string>();
        var left = options.Where(o => o.PricePerUnit >= 0 && o.TonnesPerUnit > 0 && OffsetKinds.IsOffset(o.Kind) && o.Kind != OffsetKind.RooftopPv)
            .Select(o => (Option: o, AvailT: o.Available is { } a ? a * o.TonnesPerUnit : double.PositiveInfinity))
            .OrderBy(x => x.Option.PricePerTonne).ThenBy(x => x.Option.Kind).ToList();
        var avail = left.Select(x => x.AvailT).ToArray();
        var bought = new double[left.Count];
        var purposes = new string[left.Count];
        neededT = Math.Max(0, neededT);
        var s1 = Math.Max(0, scope1GapT);
        var room = Math.Max(0, nonScope1RoomT);
        // 1. the scope-1 gap, eligible kinds only
        var s1Left = s1;
        for (var i = 0; i < left.Count && s1Left > 1e-12; i++)
        {
            if (!OffsetKinds.NeutralisesScope1(left[i].Option.Kind)) continue;
            var take = Math.Min(avail[i], s1Left);
            bought[i] += take; avail[i] -= take; s1Left -= take; purposes[i] = "scope1";
        }
        if (s1Left > 1e-9) notes.Add($"scope 1 gap: {s1Left:0.###} tCO2e cannot be covered by the sinks, CCUS and CER/CCER on offer");
        // 2. the rest, cheapest first; non-scope-1 kinds within their room
        var rest = Math.Max(0, neededT - (s1 - s1Left));
        for (var i = 0; i < left.Count && rest > 1e-12; i++)
        {
            var eligible = OffsetKinds.NeutralisesScope1(left[i].Option.Kind);
            var take = Math.Min(avail[i], rest);
            if (!eligible) { take = Math.Min(take, room); room -= take; }
            if (take <= 0) continue;
            bought[i] += take; avail[i] -= take; rest -= take; purposes[i] = purposes[i] is null ? "rest" : purposes[i] + "+rest";
        }
        if (rest > 1e-9) notes.Add($"{rest:0.###} tCO2e of the need cannot be met with the instruments and quantities on offer");
        var lines = new List<MixLine>();
        for (var i = 0; i < left.Count; i++)
        {
            if (bought[i] <= 1e-12) continue;
            var o = left[i].Option;
            var units = bought[i] / o.TonnesPerUnit;
            lines.Add(new MixLine(o.Kind, units, OffsetKinds.Unit(o.Kind), bought[i], o.PricePerUnit, units * o.PricePerUnit, purposes[i], o.Source));
        }
        var total = lines.Sum(l => l.Tonnes);
        return new MixResult(neededT, s1, Math.Max(0, nonScope1RoomT), total, lines.Sum(l => l.CostCny), rest <= 1e-9 && s1Left <= 1e-9, lines, notes);
    }
}
