using ZeroPark.Application.EnergyManagement;

namespace ZeroPark.Application.Export;

/// <summary>The energy tables as flat sheets for XLSX export (CLI <c>--format xlsx</c>, API <c>?format=xlsx</c>): one row per
/// bucket (or per flow link), the same names as the JSON fields, notes joined with " | ".</summary>
public static partial class EnergyTables
{
    private static string Notes(IReadOnlyList<string> notes) => string.Join(" | ", notes);

    public static XlsxSheet[] Kpi(IReadOnlyList<KpiRowView> rows)
    {
        List<string> columns =
        [
            "start", "end", "node", "pue", "clf", "plf", "alf", "unmetered_factor", "wue", "erf", "ere", "ref", "cer", "cue", "dcie", "ppue", "it_load_rate",
            "rack_utilisation", "gb40879_grade", "completeness", "total_kwh", "facility_input_kwh", "renewable_onsite_kwh", "export_kwh", "it_kwh", "cooling_kwh",
            "power_kwh", "aux_kwh", "unmetered_kwh", "water_m3", "reused_kwh", "cooling_load_kwh", "hours", "avg_it_kw",
        ];
        var compare = CompareColumns(rows.Select(r => (r.Mom, r.Yoy)), PeriodComparison.KpiKeys);
        columns.AddRange(compare.Columns);
        columns.Add("notes");
        return
        [
            new("kpi", columns, rows.Select(r =>
            {
                var values = new List<object?>
                {
                    r.Start, r.End, r.Node, r.Pue, r.Clf, r.Plf, r.Alf, r.UnmeteredFactor, r.Wue, r.Erf, r.Ere, r.Ref, r.Cer, r.Cue, r.Dcie, r.Ppue, r.ItLoadRate,
                    r.RackUtilisation, r.Gb40879Grade, r.Completeness, r.Inputs.TotalKwh, r.Inputs.FacilityInputKwh, r.Inputs.RenewableOnsiteKwh,
                    r.Inputs.ExportKwh, r.Inputs.ItKwh, r.Inputs.CoolingKwh, r.Inputs.PowerKwh, r.Inputs.AuxKwh, r.Inputs.UnmeteredKwh, r.Inputs.WaterM3,
                    r.Inputs.ReusedKwh, r.Inputs.CoolingLoadKwh, r.Inputs.Hours, r.Inputs.AvgItKw,
                };
                values.AddRange(compare.Values(r.Mom, r.Yoy));
                values.Add(Notes(r.Notes));
                return values.ToArray();
            }).ToList()),
        ];
    }

    /// <summary>Flat columns of month-on-month / year-on-year comparisons: <c>mom_KEY</c> (the earlier value) and
    /// <c>mom_KEY_change_pct</c>, then the same for <c>yoy_</c>; only the bases some row has.</summary>
    public static (IReadOnlyList<string> Columns, Func<PeriodChangeView?, PeriodChangeView?, object?[]> Values) CompareColumns(
        IEnumerable<(PeriodChangeView? Mom, PeriodChangeView? Yoy)> rows, IReadOnlyList<string> keys)
    {
        var list = rows.ToList();
        var bases = new List<string>();
        if (list.Any(r => r.Mom is not null)) bases.Add("mom");
        if (list.Any(r => r.Yoy is not null)) bases.Add("yoy");
        var columns = bases.SelectMany(b => keys.SelectMany(k => new[] { $"{b}_{k}", $"{b}_{k}_change_pct" })).ToList();
        return (columns, (mom, yoy) => bases.SelectMany(b =>
        {
            var v = b == "mom" ? mom : yoy;
            return keys.SelectMany(k => new object?[] { v?.Values.GetValueOrDefault(k), v?.ChangePct.GetValueOrDefault(k) });
        }).ToArray());
    }

    public static XlsxSheet[] Breakdown(IReadOnlyList<BreakdownCompareView> rows)
    {
        var children = rows.SelectMany(r => r.Systems).Where(s => s.Parent is not null).Select(s => s.Code).Distinct().ToList();
        var compare = rows.Any(r => r.Mom is not null || r.Yoy is not null);
        List<string> columns = ["start", "end", "node", "total_kwh", "it_kwh", "cooling_kwh", "power_kwh", "aux_kwh", "unmetered_kwh",
            "it_share", "cooling_share", "power_share", "aux_share", "unmetered_share"];
        columns.AddRange(children.Select(c => c + "_kwh"));
        if (compare)
            foreach (var k in new[] { "mom", "yoy" })
                columns.AddRange([$"{k}_total_kwh", $"{k}_it_kwh", $"{k}_cooling_kwh", $"{k}_power_kwh", $"{k}_aux_kwh",
                    $"{k}_total_change_pct", $"{k}_it_change_pct", $"{k}_cooling_change_pct", $"{k}_power_change_pct", $"{k}_aux_change_pct"]);
        columns.AddRange(["completeness", "notes"]);
        var data = rows.Select(r =>
        {
            var v = new List<object?> { r.Start, r.End, r.Node, r.TotalKwh, r.ItKwh, r.CoolingKwh, r.PowerKwh, r.AuxKwh, r.UnmeteredKwh,
                r.Shares["it"], r.Shares["cooling"], r.Shares["power"], r.Shares["aux"], r.Shares["unmetered"] };
            v.AddRange(children.Select(c => (object?)r.Systems.FirstOrDefault(s => s.Code == c)?.Kwh));
            if (compare)
                foreach (var c in new[] { r.Mom, r.Yoy })
                    v.AddRange([c?.TotalKwh, c?.ItKwh, c?.CoolingKwh, c?.PowerKwh, c?.AuxKwh,
                        c?.ChangePct["total"], c?.ChangePct["it"], c?.ChangePct["cooling"], c?.ChangePct["power"], c?.ChangePct["aux"]]);
            v.AddRange([r.Completeness, Notes(r.Notes)]);
            return v.ToArray();
        }).ToList();
        return [new XlsxSheet("breakdown", columns, data)];
    }

    public static XlsxSheet[] Flow(IReadOnlyList<FlowView> flows) =>
    [
        new("links", ["start", "end", "node", "source", "target", "kwh", "carrier", "value", "unit"],
            flows.SelectMany(f => f.Links.Select(l => new object?[] { f.Start, f.End, f.Node, l.Source, l.Target, l.Kwh, f.Carrier, l.Value, f.Unit })).ToList()),
        new("nodes", ["start", "end", "node", "id", "name_zh", "name_en", "kind", "kwh", "carrier", "value", "unit"],
            flows.SelectMany(f => f.Nodes.Select(n => new object?[] { f.Start, f.End, f.Node, n.Id, n.NameZh, n.NameEn, n.Kind, n.Kwh, f.Carrier, n.Value, f.Unit })).ToList()),
        new("balance", ["start", "end", "node", "input_kwh", "metered_kwh", "unmetered_kwh", "balanced", "completeness", "notes", "carrier", "input", "metered", "unmetered", "unit"],
            flows.Select(f => new object?[] { f.Start, f.End, f.Node, f.InputKwh, f.MeteredKwh, f.UnmeteredKwh, f.Balanced, f.Completeness, Notes(f.Notes), f.Carrier, f.Input, f.Metered, f.Unmetered, f.Unit }).ToList()),
    ];

    private static readonly IReadOnlyList<string> CostBaseColumns =
    [
        "start", "end", "node", "currency", "energy_kwh", "cost_cny", "average_price_cny_per_kwh",
        "critical_peak_kwh", "peak_kwh", "flat_kwh", "valley_kwh", "critical_peak_cost_cny", "peak_cost_cny", "flat_cost_cny", "valley_cost_cny",
        "unpriced_kwh", "it_kwh", "it_cost_cny", "cooling_kwh", "cooling_cost_cny", "power_kwh", "power_cost_cny", "aux_kwh", "aux_cost_cny",
        "unallocated_cost_cny", "tariff_versions", "completeness",
    ];

    /// <summary>The cost table: every field, the mom/yoy columns when the rows have comparisons, then the notes (CSV and XLSX).</summary>
    public static (IReadOnlyList<string> Columns, List<object?[]> Rows) CostTable(IReadOnlyList<CostRowView> rows)
    {
        var compare = CompareColumns(rows.Select(r => (r.Mom, r.Yoy)), PeriodComparison.CostKeys);
        var columns = CostBaseColumns.Concat(compare.Columns).Append("notes").ToList();
        return (columns, rows.Select(r => new object?[]
        {
            r.Start, r.End, r.Node, r.Currency, r.EnergyKwh, r.CostCny, r.AveragePriceCnyPerKwh,
            r.CriticalPeakKwh, r.PeakKwh, r.FlatKwh, r.ValleyKwh, r.CriticalPeakCostCny, r.PeakCostCny, r.FlatCostCny, r.ValleyCostCny,
            r.UnpricedKwh, r.ItKwh, r.ItCostCny, r.CoolingKwh, r.CoolingCostCny, r.PowerKwh, r.PowerCostCny, r.AuxKwh, r.AuxCostCny,
            r.UnallocatedCostCny, string.Join(", ", r.TariffVersions), r.Completeness,
        }.Concat(compare.Values(r.Mom, r.Yoy)).Append(Notes(r.Notes)).ToArray()).ToList());
    }

    public static XlsxSheet[] Cost(IReadOnlyList<CostRowView> rows)
    {
        var (columns, data) = CostTable(rows);
        return [new("cost", columns, data)];
    }
}
