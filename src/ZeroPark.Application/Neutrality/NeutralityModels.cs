using ZeroPark.Neutrality;

namespace ZeroPark.Application.Neutrality;

/// <summary>A claim to write with an instrument or on its own: allocated to the park, a building (space code) or a tenant
/// (<c>tenant:NAME</c>) for a period; retired at once when <see cref="Retire"/>.</summary>
public sealed record ClaimDraft(string? Target, DateOnly From, DateOnly To, double? Quantity = null, string? Use = null, bool Retire = true);

/// <summary>An instrument to record (quantity in the ledger unit of its kind: MWh or tCO2e).</summary>
public sealed record LedgerDraft
{
    public required OffsetKind Kind { get; init; }
    public required double Quantity { get; init; }
    public string? SerialFrom { get; init; }
    public string? SerialTo { get; init; }
    /// <summary>Green power trade: the range of GECs bundled with the energy ("证电合一").</summary>
    public string? BundledFrom { get; init; }
    public string? BundledTo { get; init; }
    public int? Vintage { get; init; }
    public DateOnly? ProductionFrom { get; init; }
    public DateOnly? ProductionTo { get; init; }
    public string Project { get; init; } = "";
    public string EnergyType { get; init; } = "";
    public string Methodology { get; init; } = "";
    public string Counterparty { get; init; } = "";
    public bool? Tradable { get; init; }
    public DateOnly? Expires { get; init; }
    public string Region { get; init; } = "";
    /// <summary>Supplier rate: kgCO2e/kWh of the delivered electricity (0 for every other kind).</summary>
    public double FactorKgPerKwh { get; init; }
    /// <summary>How a green power trade's energy spreads over its hours without an hourly profile: flat | daytime.</summary>
    public string Profile { get; init; } = "flat";
    public double? UnitPriceCny { get; init; }
    public DateOnly? PurchasedOn { get; init; }
    public string Reference { get; init; } = "";
    public string Note { get; init; } = "";
    public ClaimDraft? Claim { get; init; }
}

public sealed record LedgerClaim(long Id, long InstrumentId, string Target, DateOnly From, DateOnly To, double Quantity, string State, string Use,
    string CreatedBy, DateTimeOffset CreatedAt, string? RetiredBy, DateTimeOffset? RetiredAt);

public sealed record EvidenceInfo(long Id, long InstrumentId, string FileName, string ContentType, long Size, string Sha256, string UploadedBy, DateTimeOffset UploadedAt);

/// <summary>An instrument of the ledger with its claims and evidence; <see cref="State"/> is purchased (nothing claimed), allocated
/// (claims exist, not all retired) or retired (the whole quantity retired).</summary>
public sealed record LedgerInstrument(long Id, string Kind, double Quantity, string Unit, string SerialFrom, string SerialTo, string BundledFrom, string BundledTo,
    int? Vintage, DateOnly? ProductionFrom, DateOnly? ProductionTo, string Project, string EnergyType, string Methodology, string Counterparty, bool? Tradable,
    DateOnly? Expires, string Region, double FactorKgPerKwh, string Profile, double? UnitPriceCny, DateOnly? PurchasedOn, string Reference, string Note,
    string CreatedBy, DateTimeOffset CreatedAt, string State, double AllocatedQuantity, double RetiredQuantity, double FreeQuantity,
    IReadOnlyList<LedgerClaim> Claims, IReadOnlyList<EvidenceInfo> Evidence)
{
    public OffsetKind OffsetKind => OffsetKinds.TryParse(Kind)!.Value;
    public string Label => $"{Kind} #{Id}{(SerialFrom.Length > 0 ? " " + (SerialTo.Length > 0 && SerialTo != SerialFrom ? SerialFrom + "…" + SerialTo : SerialFrom) : "")}" +
                           $"{(Reference.Length > 0 ? " (" + Reference + ")" : "")}";
}

/// <summary>One row of a ledger import (CSV/XLSX): the contract columns and the optional ones.</summary>
public sealed record LedgerRow(int Line, LedgerDraft Draft);

public sealed record LedgerImportResult(int Accepted, IReadOnlyList<long> Ids, IReadOnlyList<ZeroPark.Metering.RowError> Rejected);

/// <summary>A market price of a kind of instrument on a date (CNY per MWh or per tCO2e), with how much is on offer.</summary>
public sealed record PriceQuote(long Id, string Kind, DateOnly Date, double UnitPriceCny, string Unit, double? Available, string Source);

/// <summary>Value of the park's holdings (quantity not yet retired) at the latest price of each kind on or before a date.</summary>
public sealed record HoldingLine(string Kind, string Unit, double HeldQuantity, double? UnitPriceCny, DateOnly? PriceDate, double? ValueCny, double? BookValueCny);

public sealed record HoldingsValue(DateOnly AsOf, IReadOnlyList<HoldingLine> Lines, double ValueCny, double BookValueCny, IReadOnlyList<string> Notes);

/// <summary>A target: neutrality_rate (share, 0.75 = 75 %), emission_budget (tCO2e per period) or cue (kgCO2e/kWh), every month or
/// year, from a month on (until <see cref="To"/> if set).</summary>
public sealed record NeutralityTarget(long Id, string Kind, string Every, double Value, string From, string? To, string Note, string CreatedBy, DateTimeOffset CreatedAt)
{
    public bool Applies(int year, int month) =>
        string.CompareOrdinal($"{year:0000}-{month:00}", From) >= 0 && (To is null || string.CompareOrdinal($"{year:0000}-{month:00}", To) <= 0);
}

/// <summary>A reduction measure to create (<see cref="NeutralityStore.AddMeasureAsync"/>); boundary: meter or node (space) codes.</summary>
public sealed record MeasureDraft(string Code, string Name, string Category, IReadOnlyList<string> Boundary, DateOnly BaselineFrom, DateOnly BaselineTo, DateOnly Start,
    double? PriceCnyPerKwh = null, bool UseTemperature = true, string Source = "manual", string Note = "");

public sealed record ReductionMeasure(long Id, string Code, string Name, string Category, IReadOnlyList<string> Boundary, DateOnly BaselineFrom, DateOnly BaselineTo,
    DateOnly Start, double? PriceCnyPerKwh, bool UseTemperature, string Status, string Source, string Note, string CreatedBy, DateTimeOffset CreatedAt);
