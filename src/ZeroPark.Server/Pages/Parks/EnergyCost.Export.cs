using ZeroPark.Server.Web;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>The cost per day or month and the cost per subsystem as shown, raw kWh and CNY.</summary>
public sealed partial class EnergyCostModel : IExportsTables
{
    public IEnumerable<ExportTable> ExportTables()
    {
        yield return new ExportTable("cost",
            [T("energy.period"), T("ea.cost.energy") + " (kWh)", T("ea.cost.critical") + " (CNY)", T("ea.cost.peak") + " (CNY)", T("ea.cost.flat") + " (CNY)",
             T("ea.cost.valley") + " (CNY)", T("ea.cost.total") + " (CNY)", T("ea.cost.avg") + " (CNY/kWh)"],
            Rows.Select(r => new object?[]
            {
                Period(r), r.EnergyKwh, r.CriticalPeakCostCny, r.PeakCostCny, r.FlatCostCny, r.ValleyCostCny, r.CostCny, r.AveragePriceCnyPerKwh,
            }).ToList());
        if (Total is { } t)
            yield return new ExportTable("cost-subsystems",
                [T("overview.subsystem"), T("overview.energy") + " (kWh)", T("ea.cost.total") + " (CNY)"],
                [
                    [T("sub.it"), t.ItKwh, t.ItCostCny], [T("sub.cooling"), t.CoolingKwh, t.CoolingCostCny], [T("sub.power"), t.PowerKwh, t.PowerCostCny],
                    [T("sub.aux"), t.AuxKwh, t.AuxCostCny], [T("ea.cost.unallocated"), null, t.UnallocatedCostCny], [T("overview.total"), t.EnergyKwh, t.CostCny],
                ]);
    }
}
