using ZeroPark.Application.Carbon;

namespace ZeroPark.Application.Export;

/// <summary>An inventory as XLSX sheets: summary, lines (with factor ids and sources), memo items, subtotals per dimension,
/// market-based allocation, unresolved activities and notes.</summary>
public static class CarbonTables
{
    public static XlsxSheet[] Inventory(InventoryView v)
    {
        static object?[] Line(LineView l) =>
        [
            l.Id, l.Scope, l.Basis, l.IsoCategory, l.Scope3Category, l.Source, l.Material, l.Activity, l.Unit, l.Factor, l.FactorSource,
            string.Join(" ", l.FactorIds), l.Co2eT, l.Space, l.System, l.OdsKgCfc11,
        ];
        string[] lineCols = ["line", "scope", "basis", "iso_category", "scope3_category", "source", "material", "activity", "unit", "factor", "factor_source",
            "factor_ids", "co2e_t", "space", "system", "ods_kg_cfc11"];
        return
        [
            new("summary", ["park", "boundary", "from", "to", "method", "gwp", "scope1_t", "scope2_location_t", "scope2_market_t", "scope3_t", "total_location_t",
                    "total_market_t", "memo_t", "complete", "inventory_id", "version", "status"],
                [[v.Park, v.Boundary, v.From.ToString("yyyy-MM-dd"), v.To.ToString("yyyy-MM-dd"), v.Method, v.Gwp, v.Scope1T, v.Scope2LocationT, v.Scope2MarketT, v.Scope3T,
                  v.TotalLocationT, v.TotalMarketT, v.MemoItems.Sum(m => m.Co2eT), v.Complete, v.InventoryId, v.Version, v.Status]]),
            new("lines", lineCols, v.Lines.Select(Line).ToList()),
            new("memo_items", lineCols, v.MemoItems.Select(Line).ToList()),
            new("subtotals", ["dimension", "key", "co2e_t", "kg"], v.By.SelectMany(d => d.Value.Select(s => new object?[] { d.Key, s.Key, s.Co2eTonnes, s.Kilograms })).ToList()),
            new("market_based", ["instrument_id", "kind", "reference", "available_kwh", "applied_kwh", "unused_kwh", "factor_kg_per_kwh", "note"],
                v.Market.Instruments.Select(i => new object?[] { i.InstrumentId, i.Kind, i.Reference, i.AvailableKwh, i.AppliedKwh, i.UnusedKwh, i.FactorKgPerKwh, i.Note })
                    .Append([null, "total", "", v.Market.GridKwh, v.Market.InstrumentKwh, v.Market.UncoveredKwh, null, "grid kWh / covered kWh / uncovered kWh; remainder at " + v.Market.Residual]).ToList()),
            new("unresolved", ["date", "source", "material", "amount", "unit", "origin", "reason"],
                v.Unresolved.Select(u => new object?[] { u.Date.ToString("yyyy-MM-dd"), u.Source, u.Material, u.Amount, u.Unit, u.Origin, u.Reason }).ToList()),
            new("notes", ["note"], v.Notes.Select(n => new object?[] { n }).ToList()),
        ];
    }
}
