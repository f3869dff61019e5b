using System.Text.Json.Serialization;
using ZeroPark.Domain;
using ZeroPark.EnergyManagement;

namespace ZeroPark.Application.EnergyManagement;


// Wire shapes of the energy queries, shared by the CLI (--format json) and the REST API; both serialize them snake_case.
// Ratios are fractions rounded to 6 decimals, energies kWh rounded to 3 decimals, water m³, completeness in percent (0–100,
// as in the series and quality outputs). Null = not computable; the reason is in `notes`.

/// <summary>The inputs a KPI row was computed from.</summary>
public sealed record KpiInputsView(double? TotalKwh, double? FacilityInputKwh, double? RenewableOnsiteKwh, double? ExportKwh, double? ItKwh,
    double? CoolingKwh, double? PowerKwh, double? AuxKwh, double? UnmeteredKwh, double? WaterM3, double? ReusedKwh, double Hours, double? AvgItKw,
    double? DesignItKw, int? RacksTotal, int? RacksInUse)
{
    /// <summary>The cooling load (heat removed by the cooling system, kWh thermal; Σ chilled_water meters under system cooling), for CER.</summary>
    public double? CoolingLoadKwh { get; init; }
}

/// <summary>One KPI row: the command-line contract's fields (start, end, pue, clf, plf, alf, wue, erf, ere, ref, completeness,
/// notes) and more.</summary>
public sealed record KpiRowView(DateTimeOffset Start, DateTimeOffset End, string Node, double? Pue, double? Clf, double? Plf, double? Alf,
    double? UnmeteredFactor, double? Wue, double? Erf, double? Ere, double? Ref, double? Dcie, double? Ppue, double? ItLoadRate, double? RackUtilisation,
    [property: JsonPropertyName("gb40879_grade")] string? Gb40879Grade, double Completeness, IReadOnlyList<string> Notes, KpiInputsView Inputs,
    IReadOnlyDictionary<string, double> CompletenessByInput, KpiBoundary Boundary)
{
    /// <summary>CUE (kgCO2/kWh): grid electricity × the location-based factor of the bucket's first day ÷ IT energy.</summary>
    public double? Cue { get; init; }

    /// <summary>CER = cooling load (heat removed) ÷ cooling system energy (ISO/IEC 30134-7).</summary>
    public double? Cer { get; init; }

    /// <summary>Month-on-month comparison (by=month only; <see cref="PeriodComparison"/>).</summary>
    public PeriodChangeView? Mom { get; init; }

    /// <summary>Year-on-year comparison (by=month and by=year; <see cref="PeriodComparison"/>).</summary>
    public PeriodChangeView? Yoy { get; init; }

    public static KpiRowView From(KpiRow r)
    {
        var k = r.Kpis;
        var x = k.Inputs;
        var inputs = new KpiInputsView(Views.Kwh(k.Total), Views.Kwh(x.FacilityInput), Views.Kwh(x.RenewableOnsite), Views.Kwh(x.Exported), Views.Kwh(x.It),
            Views.Kwh(x.Cooling), Views.Kwh(x.PowerLosses), Views.Kwh(x.Auxiliary), Views.Kwh(k.Unmetered), x.Water is { } w ? Math.Round(w.CubicMetres, 3) : null,
            Views.Kwh(x.Reused), Math.Round(x.Period.TotalHours, 3), k.AverageItPower is { } p ? Math.Round(p.Kilowatts, 3) : null, x.DesignItPower?.Kilowatts,
            x.RacksTotal, x.RacksInUse) { CoolingLoadKwh = Views.Kwh(x.HeatRemoved) };
        return new KpiRowView(r.Start, r.End, r.Node, Views.R(k.Pue), Views.R(k.Clf), Views.R(k.Plf), Views.R(k.Alf), Views.R(k.UnmeteredFactor), Views.R(k.Wue),
            Views.R(k.Erf), Views.R(k.Ere), Views.R(k.Ref), Views.R(k.Dcie), Views.R(k.Ppue), Views.R(k.ItLoadRate), Views.R(k.RackUtilisation),
            k.Grade is { } g ? Gb40879.Code(g) : null, Views.Percent(r.Completeness), r.Notes, inputs,
            r.Quality.ToDictionary(q => q.Input, q => Views.Percent(q.Completeness), StringComparer.Ordinal), r.Boundary) { Cue = Views.R(k.Cue), Cer = Views.R(k.Cer) };
    }
}

public sealed record SystemEnergyView(string Code, string NameZh, string NameEn, string? Parent, double? Kwh);

/// <summary>One breakdown row; <c>shares</c> are fractions of the total input (null when the total is unknown).</summary>
public sealed record BreakdownRowView(DateTimeOffset Start, DateTimeOffset End, string Node, double? TotalKwh, double? ItKwh, double? CoolingKwh, double? PowerKwh,
    double? AuxKwh, double? UnmeteredKwh, IReadOnlyDictionary<string, double?> Shares, IReadOnlyList<SystemEnergyView> Systems, double Completeness,
    IReadOnlyList<string> Notes)
{
    public static BreakdownRowView From(BreakdownRow r)
    {
        double? Share(Energy? e) => r.Total is { KilowattHours: > 0 } t && e is { } v ? Views.R(v / t) : null;
        var shares = new Dictionary<string, double?>(StringComparer.Ordinal)
        {
            ["it"] = Share(r.It), ["cooling"] = Share(r.Cooling), ["power"] = Share(r.Power), ["aux"] = Share(r.Aux), ["unmetered"] = Share(r.Unmetered),
        };
        return new BreakdownRowView(r.Start, r.End, r.Node, Views.Kwh(r.Total), Views.Kwh(r.It), Views.Kwh(r.Cooling), Views.Kwh(r.Power), Views.Kwh(r.Aux),
            Views.Kwh(r.Unmetered), shares, r.Systems.Select(s => new SystemEnergyView(s.Code, s.NameZh, s.NameEn, s.Parent, Views.Kwh(s.Energy))).ToList(),
            Views.Percent(r.Completeness), r.Notes);
    }
}

/// <summary>A Sankey node: <c>value</c> in the diagram's unit; <c>kwh</c> the same for electricity and heat, null for water.</summary>
public sealed record FlowNodeView(string Id, string NameZh, string NameEn, string Kind, double? Kwh)
{
    public double Value { get; init; }
}

public sealed record FlowLinkView(string Source, string Target, double? Kwh)
{
    public double Value { get; init; }
}

/// <summary>One Sankey diagram for one bucket: <c>carrier</c> electricity or heat (unit kWh; the <c>*_kwh</c> fields are set) or
/// water (unit m³; the <c>*_kwh</c> fields are null). <c>input</c>, <c>metered</c>, <c>unmetered</c> are in <c>unit</c>.</summary>
public sealed record FlowView(DateTimeOffset Start, DateTimeOffset End, string Node, string Carrier, IReadOnlyList<FlowNodeView> Nodes, IReadOnlyList<FlowLinkView> Links,
    double? InputKwh, double? MeteredKwh, double? UnmeteredKwh, bool? Balanced, double Completeness, IReadOnlyList<string> Notes)
{
    public string Unit { get; init; } = "kWh";
    public double? Input { get; init; }
    public double? Metered { get; init; }
    public double? Unmetered { get; init; }

    public static FlowView From(EnergyFlow f) => new(f.Start, f.End, f.Node, f.Carrier,
        f.Nodes.Select(n => new FlowNodeView(n.Id, n.NameZh, n.NameEn, n.Kind, Views.Kwh(n.Energy)) { Value = Views.Kwh(n.Energy) }).ToList(),
        f.Links.Select(l => new FlowLinkView(l.Source, l.Target, Views.Kwh(l.Energy)) { Value = Views.Kwh(l.Energy) }).ToList(),
        Views.Kwh(f.Input), Views.Kwh(f.Metered), Views.Kwh(f.Unmetered), f.Balanced, Views.Percent(f.Completeness), f.Notes)
    {
        Input = Views.Kwh(f.Input), Metered = Views.Kwh(f.Metered), Unmetered = Views.Kwh(f.Unmetered),
    };

    public static FlowView From(WaterFlow f) => new(f.Start, f.End, f.Node, "water",
        f.Nodes.Select(n => new FlowNodeView(n.Id, n.NameZh, n.NameEn, n.Kind, null) { Value = Views.M3(n.Volume) }).ToList(),
        f.Links.Select(l => new FlowLinkView(l.Source, l.Target, null) { Value = Views.M3(l.Volume) }).ToList(),
        null, null, null, f.Balanced, Views.Percent(f.Completeness), f.Notes)
    {
        Unit = "m3", Input = f.Input is { } i ? Views.M3(i) : null, Metered = f.Metered is { } m ? Views.M3(m) : null,
        Unmetered = f.Unmetered is { } u ? Views.M3(u) : null,
    };
}

internal static class Views
{
    public static double? R(double? v) => v is { } x ? Math.Round(x, 6) : null;
    public static double? Kwh(Energy? e) => e is { } x ? Math.Round(x.KilowattHours, 3) : null;
    public static double Kwh(Energy e) => Math.Round(e.KilowattHours, 3);
    public static double M3(Volume v) => Math.Round(v.CubicMetres, 3);
    public static double Percent(double share) => Math.Round(share * 100, 2);
}
