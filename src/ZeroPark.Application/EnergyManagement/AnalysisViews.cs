using System.Globalization;

namespace ZeroPark.Application.EnergyManagement;

// Wire shapes of the assessment and device analyses (CLI json and API, snake_case): energies kWh (water m³) to 3 decimals, ratios
// to 6, percentages and completeness (percent) to 2.

internal static class R
{
    public static double? E(double? v) => v is { } x ? Math.Round(x, 3) : null;
    public static double? K(double? v) => v is { } x ? Math.Round(x, 6) : null;
    public static double? P(double? v) => v is { } x ? Math.Round(x, 2) : null;
    public static double Pc(double share) => Math.Round(share * 100, 2);
    public static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

public sealed record RankedDeviceView(string Group, int Rank, string Meter, string Name, string? Device, string? System, string? Space, string? Building,
    double? Value, string Unit, double? SharePct, double Completeness)
{
    public static RankedDeviceView From(RankedDevice d) => new(d.Group, d.Rank, d.Energy.Meter, d.Energy.Name, d.Energy.Device, d.Energy.System, d.Energy.Space,
        d.Energy.Building, R.E(d.Energy.Value), d.Energy.Unit, R.P(d.SharePct), R.Pc(d.Energy.Completeness));
}

public sealed record WarningView(string Meter, string Name, string? Device, string? System, string? Space, string? Building, string Unit, double? PeriodValue,
    int PeriodDays, double PeriodPerDay, string BaselineFrom, string BaselineTo, int BaselineDays, double BaselinePerDay, double ExcessPct, double Excess,
    double Completeness, string Reason)
{
    public static WarningView From(ConsumptionWarning w) => new(w.Energy.Meter, w.Energy.Name, w.Energy.Device, w.Energy.System, w.Energy.Space, w.Energy.Building,
        w.Energy.Unit, R.E(w.Energy.Value), w.PeriodDays, R.E(w.PeriodPerDay)!.Value, R.D(w.BaselineFrom), R.D(w.BaselineTo), w.BaselineDays,
        R.E(w.BaselinePerDay)!.Value, R.P(w.ExcessPct)!.Value, R.E(w.Excess)!.Value, R.Pc(w.Energy.Completeness), w.Reason);
}

public sealed record RackEnergyView(DateTimeOffset Start, DateTimeOffset End, string Rack, string Kind, string? Room, string? Building, int Meters, double? ItKwh,
    double Completeness)
{
    public static RackEnergyView From(RackEnergy r) => new(r.Start, r.End, r.Rack, r.Kind, r.Room, r.Building, r.Meters, R.E(r.ItKwh), R.Pc(r.Completeness));
}

public sealed record EquipmentTypeView(DateTimeOffset Start, DateTimeOffset End, string Type, string NameZh, string NameEn, int Meters, double? Kwh, int? Rank,
    double? SharePct);

public sealed record VoltageLevelView(DateTimeOffset Start, DateTimeOffset End, string Level, string NameZh, string NameEn, IReadOnlyList<string> Types, int Meters,
    double? Kwh, double? SharePct);

public sealed record EquipmentView(string Node, string System, IReadOnlyList<EquipmentTypeView> Types, IReadOnlyList<RankedDeviceView> Devices, IReadOnlyList<string> Notes)
{
    /// <summary>Power-system losses by voltage level (10kv, 0.4kv) per bucket; empty for cooling.</summary>
    public IReadOnlyList<VoltageLevelView> VoltageLevels { get; init; } = [];

    public static EquipmentView From(EquipmentReport r) => new(r.Node, r.System,
        r.Types.Select(t => new EquipmentTypeView(t.Start, t.End, t.Type, t.NameZh, t.NameEn, t.Meters, R.E(t.Kwh), t.Rank, R.P(t.SharePct))).ToList(),
        r.Devices.Select(RankedDeviceView.From).ToList(), r.Notes)
    {
        VoltageLevels = r.VoltageLevels.Select(v => new VoltageLevelView(v.Start, v.End, v.Level, v.NameZh, v.NameEn, v.Types, v.Meters, R.E(v.Kwh), R.P(v.SharePct))).ToList(),
    };
}

public sealed record BalanceRowView(DateTimeOffset Start, DateTimeOffset End, double? MasterKwh, double? SubKwh, double? ImbalanceKwh, double? ImbalancePct,
    bool? Flagged, double Completeness, IReadOnlyList<string> Notes);

public sealed record BalanceView(string? Group, string? Name, string Master, string Sub, double TolerancePct, IReadOnlyList<BalanceRowView> Rows)
{
    public static BalanceView From(BalanceReport b) => new(b.Group, b.Name, b.Master, b.Sub, b.TolerancePct,
        b.Rows.Select(r => new BalanceRowView(r.Start, r.End, R.E(r.MasterKwh), R.E(r.SubKwh), R.E(r.ImbalanceKwh), R.P(r.ImbalancePct), r.Flagged,
            R.Pc(r.Completeness), r.Notes)).ToList());
}

public sealed record NodeAssessmentView(string Node, string Name, double? EnergyKwh, double? ItKwh, double? WaterM3, double? Pue, double? Wue, int RacksInUse,
    double? IntensityKwhPerRack, double? AnnualPlanKwh, double? PlanToDateKwh, double? SavedVsPlanKwh, double? SavedVsPlanPct, double? LastYearKwh,
    double? SavedVsLastYearKwh, double? SavedVsLastYearPct, int? RankPue, int? RankWue, int? RankIntensity, int? RankPlan, double Completeness, IReadOnlyList<string> Notes)
{
    public double? CarbonSavedVsPlanT { get; init; }
    public double? CarbonSavedVsLastYearT { get; init; }
    public string? CarbonFactor { get; init; }

    public static NodeAssessmentView From(NodeAssessment b) => new(b.Node, b.Name, R.E(b.Energy?.KilowattHours), R.E(b.It?.KilowattHours), R.E(b.Water?.CubicMetres),
        R.K(b.Pue), R.K(b.Wue), b.RacksInUse, R.E(b.IntensityKwhPerRack), R.E(b.AnnualPlan?.KilowattHours), R.E(b.PlanToDate?.KilowattHours),
        R.E(b.SavedVsPlan?.KilowattHours), R.P(b.SavedVsPlanPct), R.E(b.LastYear?.KilowattHours), R.E(b.SavedVsLastYear?.KilowattHours), R.P(b.SavedVsLastYearPct), b.RankPue, b.RankWue, b.RankIntensity, b.RankPlan, R.Pc(b.Completeness), b.Notes)
    {
        CarbonSavedVsPlanT = R.K(b.CarbonSavedVsPlanT), CarbonSavedVsLastYearT = R.K(b.CarbonSavedVsLastYearT), CarbonFactor = b.CarbonFactor,
    };
}

public sealed record AnomalyView(string Node, string Month, string Kpi, double Value, string Basis, double Reference, double DeviationPct, double? StdDev, double? Z,
    int Samples, string Reason)
{
    public static AnomalyView From(Anomaly a) => new(a.Node, a.Month, a.Kpi, R.K(a.Value)!.Value, a.Basis, R.K(a.Reference)!.Value, R.P(a.DeviationPct)!.Value,
        R.K(a.StdDev), R.K(a.Z), a.Samples, a.Reason);
}

public sealed record AnomalyOptionsView(double K, double DeviationPct, double PeerDeviationPct, int HistoryMonths);

public sealed record AssessmentView(string? Park, string Level, int Year, string PeriodFrom, string AsOf, AnomalyOptionsView Options, IReadOnlyList<NodeAssessmentView> Nodes,
    IReadOnlyList<AnomalyView> Anomalies, IReadOnlyList<string> Notes)
{
    public static AssessmentView From(Assessment a) => new(a.Park, a.Level, a.Year, R.D(a.From), R.D(a.AsOf),
        new AnomalyOptionsView(a.Options.K, a.Options.DeviationPct, a.Options.PeerDeviationPct, a.Options.HistoryMonths),
        a.Nodes.Select(NodeAssessmentView.From).ToList(), a.Anomalies.Select(AnomalyView.From).ToList(), a.Notes);
}

public sealed record BalanceGroupView(string Code, string? Name, string Master, string Sub, double TolerancePct, DateTimeOffset UpdatedAt, string UpdatedBy)
{
    public static BalanceGroupView From(BalanceGroup g) => new(g.Code, g.Name, g.Master, g.Sub, g.TolerancePct, g.UpdatedAt, g.UpdatedBy);
}
