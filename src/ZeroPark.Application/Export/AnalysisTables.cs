using ZeroPark.Application.EnergyManagement;

namespace ZeroPark.Application.Export;

/// <summary>Assessment and device-analysis tables as sheets (XLSX; the CLI's csv/table output uses the first sheet).</summary>
public static partial class EnergyTables
{
    private static readonly string[] DeviceColumns = ["group", "rank", "meter", "name", "device", "system", "space", "building", "value", "unit", "share_pct", "completeness"];

    private static object?[] DeviceRow(RankedDeviceView d) =>
        [d.Group, d.Rank, d.Meter, d.Name, d.Device, d.System, d.Space, d.Building, d.Value, d.Unit, d.SharePct, d.Completeness];

    public static XlsxSheet[] Top(IReadOnlyList<RankedDeviceView> rows) => [new("top", DeviceColumns, rows.Select(DeviceRow).ToList())];

    public static XlsxSheet[] Warnings(IReadOnlyList<WarningView> rows) =>
    [
        new("warnings", ["meter", "name", "device", "system", "space", "building", "unit", "period_value", "period_days", "period_per_day", "baseline_from",
                "baseline_to", "baseline_days", "baseline_per_day", "excess_pct", "excess", "completeness", "reason"],
            rows.Select(w => new object?[]
            {
                w.Meter, w.Name, w.Device, w.System, w.Space, w.Building, w.Unit, w.PeriodValue, w.PeriodDays, w.PeriodPerDay, w.BaselineFrom, w.BaselineTo,
                w.BaselineDays, w.BaselinePerDay, w.ExcessPct, w.Excess, w.Completeness, w.Reason,
            }).ToList()),
    ];

    public static XlsxSheet[] Racks(IReadOnlyList<RackEnergyView> rows) =>
    [
        new("racks", ["start", "end", "rack", "kind", "room", "building", "meters", "it_kwh", "completeness"],
            rows.Select(r => new object?[] { r.Start, r.End, r.Rack, r.Kind, r.Room, r.Building, r.Meters, r.ItKwh, r.Completeness }).ToList()),
    ];

    public static XlsxSheet[] Equipment(EquipmentView e)
    {
        List<XlsxSheet> sheets =
        [
            new("types", ["start", "end", "node", "system", "type", "name_zh", "name_en", "meters", "kwh", "rank", "share_pct"],
                e.Types.Select(t => new object?[] { t.Start, t.End, e.Node, e.System, t.Type, t.NameZh, t.NameEn, t.Meters, t.Kwh, t.Rank, t.SharePct }).ToList()),
            new("devices", DeviceColumns, e.Devices.Select(DeviceRow).ToList()),
        ];
        if (e.System == "power")
            sheets.Add(new("voltage_levels", ["start", "end", "node", "level", "name_zh", "name_en", "types", "meters", "kwh", "share_pct"],
                e.VoltageLevels.Select(v => new object?[] { v.Start, v.End, e.Node, v.Level, v.NameZh, v.NameEn, string.Join(", ", v.Types), v.Meters, v.Kwh, v.SharePct }).ToList()));
        return [.. sheets];
    }

    public static XlsxSheet[] Balance(IReadOnlyList<BalanceView> reports) =>
    [
        new("balance", ["group", "start", "end", "master", "sub", "master_kwh", "sub_kwh", "imbalance_kwh", "imbalance_pct", "tolerance_pct", "flagged", "completeness", "notes"],
            reports.SelectMany(b => b.Rows.Select(r => new object?[]
            {
                b.Group, r.Start, r.End, b.Master, b.Sub, r.MasterKwh, r.SubKwh, r.ImbalanceKwh, r.ImbalancePct, b.TolerancePct, r.Flagged, r.Completeness,
                string.Join(" | ", r.Notes),
            })).ToList()),
    ];

    public static XlsxSheet[] BalanceGroups(IReadOnlyList<BalanceGroupView> groups) =>
    [
        new("balance_groups", ["code", "name", "master", "sub", "tolerance_pct", "updated_at", "updated_by"],
            groups.Select(g => new object?[] { g.Code, g.Name, g.Master, g.Sub, g.TolerancePct, g.UpdatedAt, g.UpdatedBy }).ToList()),
    ];

    public static XlsxSheet[] Assessment(AssessmentView a) =>
    [
        new("nodes", ["level", "year", "period_from", "as_of", "node", "name", "energy_kwh", "it_kwh", "water_m3", "pue", "wue", "racks_in_use", "intensity_kwh_per_rack",
                "annual_plan_kwh", "plan_to_date_kwh", "saved_vs_plan_kwh", "saved_vs_plan_pct", "last_year_kwh", "saved_vs_last_year_kwh", "saved_vs_last_year_pct",
                "carbon_saved_vs_plan_t", "carbon_saved_vs_last_year_t", "carbon_factor", "rank_pue", "rank_wue", "rank_intensity", "rank_plan", "completeness", "notes"],
            a.Nodes.Select(b => new object?[]
            {
                a.Level, a.Year, a.PeriodFrom, a.AsOf, b.Node, b.Name, b.EnergyKwh, b.ItKwh, b.WaterM3, b.Pue, b.Wue, b.RacksInUse, b.IntensityKwhPerRack, b.AnnualPlanKwh,
                b.PlanToDateKwh, b.SavedVsPlanKwh, b.SavedVsPlanPct, b.LastYearKwh, b.SavedVsLastYearKwh, b.SavedVsLastYearPct,
                b.CarbonSavedVsPlanT, b.CarbonSavedVsLastYearT, b.CarbonFactor, b.RankPue, b.RankWue,
                b.RankIntensity, b.RankPlan, b.Completeness, string.Join(" | ", b.Notes),
            }).ToList()),
        new("anomalies", ["node", "month", "kpi", "value", "basis", "reference", "deviation_pct", "std_dev", "z", "samples", "reason"],
            a.Anomalies.Select(x => new object?[] { x.Node, x.Month, x.Kpi, x.Value, x.Basis, x.Reference, x.DeviationPct, x.StdDev, x.Z, x.Samples, x.Reason }).ToList()),
    ];
}
