using System.Text.Json;
using System.Text.Json.Serialization;
using ZeroPark.Carbon;

namespace ZeroPark.Application.Carbon;

/// <summary>The JSON of an inventory (CLI <c>--format json</c> and REST): totals, memo items, one line per source with its
/// factor and source, subtotals per dimension, market-based detail, unresolved activities and notes.</summary>
public sealed record InventoryView
{
    public long? InventoryId { get; init; }
    public int? Version { get; init; }
    public string? Status { get; init; }
    public required string Park { get; init; }
    public required string Boundary { get; init; }
    public required DateOnly From { get; init; }
    public required DateOnly To { get; init; }
    public required string Method { get; init; }
    public required string Gwp { get; init; }
    public required double Scope1T { get; init; }
    public required double Scope2LocationT { get; init; }
    public required double Scope2MarketT { get; init; }
    public required double Scope3T { get; init; }
    public required double TotalLocationT { get; init; }
    public required double TotalMarketT { get; init; }
    public required IReadOnlyList<LineView> MemoItems { get; init; }
    public required IReadOnlyList<LineView> Lines { get; init; }
    public required IReadOnlyDictionary<string, IReadOnlyList<Subtotal>> By { get; init; }
    public required MarketBasedDetail Market { get; init; }
    public required bool Complete { get; init; }
    public required IReadOnlyList<UnresolvedActivity> Unresolved { get; init; }
    public required IReadOnlyList<string> Notes { get; init; }

    public static readonly string[] Dimensions = ["scope", "iso_category", "scope3_category", "source", "gas", "space", "system", "material"];

    public static InventoryView Of(string park, InventoryResult r, StoredInventory? stored = null) => new()
    {
        InventoryId = stored?.Id, Version = stored?.Version, Status = stored?.Status,
        Park = park, Boundary = r.Boundary, From = r.From, To = r.To, Method = AccountingMethods.Code(r.Method), Gwp = r.Gwp.ToString(),
        Scope1T = r.Totals.Scope1T, Scope2LocationT = r.Totals.Scope2LocationT, Scope2MarketT = r.Totals.Scope2MarketT, Scope3T = r.Totals.Scope3T,
        TotalLocationT = r.Totals.TotalLocationT, TotalMarketT = r.Totals.TotalMarketT,
        MemoItems = r.Lines.Where(l => l.Scope == GhgScope.Memo).Select(LineView.From).ToList(),
        Lines = r.Lines.Where(l => l.Scope != GhgScope.Memo).Select(LineView.From).ToList(),
        By = Dimensions.ToDictionary(d => d, d => r.By(d)),
        Market = r.Market, Complete = r.Complete, Unresolved = r.Unresolved, Notes = r.Notes,
    };
}

/// <summary>One line as the inventory shows it; <c>explain</c> shows the full trace.</summary>
public sealed record LineView(string Id, string Scope, string Basis, int IsoCategory, int? Scope3Category, string Source, string Material, double Activity, string Unit,
    string Factor, string FactorSource, IReadOnlyList<long> FactorIds, double Co2eT, IReadOnlyList<GasAmount> Gases, string? Space, string? System, double? OdsKgCfc11)
{
    /// <summary>The supplier the line's records name (scope 3), when any.</summary>
    public string? Supplier { get; init; }

    /// <summary>Scope 3 lines and lines with a supplier: which factor was used — the supplier-specific product footprint (or
    /// supplier-level factor) or the default factor — as the trace says ("factor basis: …"); null for other lines.</summary>
    public string? FactorBasis { get; init; }

    /// <summary>Product footprint ids (F…) the line used, from the park's footprint library.</summary>
    public IReadOnlyList<long> FootprintIds { get; init; } = [];

    public static LineView From(InventoryLine l) => new(l.Id, ScopeCode(l.Scope), l.Basis.Code(), l.IsoCategory, l.Scope3Category, l.Source, l.Material, l.Activity, l.Unit,
        l.Factor, l.FactorSource, l.Factors.Where(f => f.Id > 0).Select(f => f.Id).ToList(), l.Co2eTonnes, l.Gases, l.Space, l.System, l.OdsKgCfc11)
    {
        Supplier = l.Supplier,
        FactorBasis = l.Trace.FirstOrDefault(t => t.StartsWith("factor basis: ", StringComparison.Ordinal))?["factor basis: ".Length..],
        FootprintIds = l.Factors.Where(f => f.Id < 0).Select(f => -f.Id).ToList(),
    };

    public static string ScopeCode(GhgScope s) => s switch
    {
        GhgScope.Scope1 => "scope1",
        GhgScope.Scope2 => "scope2",
        GhgScope.Scope3 => "scope3",
        _ => "memo",
    };
}

/// <summary>The trace of one result line: activity and origins, every factor record used (with the reason it was chosen), the
/// GWP set, method, formula and each arithmetic step.</summary>
public sealed record ExplainView(string Park, long? InventoryId, string Line, string Method, string Gwp, DateOnly From, DateOnly To, string Scope, string Basis,
    string Source, string Material, double Activity, string Unit, double Co2eT, string Formula, IReadOnlyList<string> Trace, IReadOnlyList<FactorUse> Factors,
    IReadOnlyList<GasAmount> Gases, IReadOnlyList<string> Origins)
{
    public static ExplainView Of(string park, long? id, InventoryResult r, InventoryLine l) => new(park, id, l.Id, AccountingMethods.Code(r.Method), r.Gwp.ToString(),
        r.From, r.To, LineView.ScopeCode(l.Scope), l.Basis.Code(), l.Source, l.Material, l.Activity, l.Unit, l.Co2eTonnes, l.Formula, l.Trace, l.Factors, l.Gases, l.Origins);
}

/// <summary>JSON settings for storing inventory results (round-trips <see cref="InventoryResult"/>).</summary>
public static class CarbonJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
