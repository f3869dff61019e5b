using ZeroPark.Carbon;

namespace ZeroPark.Neutrality;

/// <summary>The kinds of instrument the ledger holds: everything that lowers market-based scope 2 or neutralises emissions
/// (ODCC whitepaper §五(三) 碳抵消; T/CA305-2023 附表F). One notion of instrument: GECs, green power trades and supplier
/// rates also feed market-based scope 2 (<see cref="Instrument"/> is the view the inventory takes of them).</summary>
public enum OffsetKind
{
    /// <summary>绿证, 1 certificate = 1 MWh (发改能源〔2023〕1044号).</summary>
    Gec,
    /// <summary>绿电交易: energy with its bundled GECs ("证电合一"), MWh.</summary>
    GreenPower,
    /// <summary>国家核证自愿减排量, tCO2e.</summary>
    Ccer,
    /// <summary>Certified emission reductions (CDM CER), tCO2e.</summary>
    Cer,
    /// <summary>植树造林等碳汇 forestry and other sinks, tCO2e.</summary>
    Sink,
    /// <summary>Carbon capture, utilisation and storage, tCO2e.</summary>
    Ccus,
    /// <summary>屋顶光伏 rooftop PV, MWh measured from the park's PV meters.</summary>
    RooftopPv,
    /// <summary>建材设备抵消凭证 building-material/equipment offset vouchers, tCO2e.</summary>
    Voucher,
    /// <summary>碳配额 carbon allowances, tCO2e.</summary>
    Allowance,
    /// <summary>Supplier-specific emission rate for delivered electricity (market-based scope 2 only; MWh at a rate).</summary>
    SupplierRate,
}

public static class OffsetKinds
{
    public static readonly IReadOnlyList<OffsetKind> All = Enum.GetValues<OffsetKind>();

    public static string Code(OffsetKind k) => k switch
    {
        OffsetKind.Gec => "gec",
        OffsetKind.GreenPower => "green_power",
        OffsetKind.Ccer => "ccer",
        OffsetKind.Cer => "cer",
        OffsetKind.Sink => "sink",
        OffsetKind.Ccus => "ccus",
        OffsetKind.RooftopPv => "rooftop_pv",
        OffsetKind.Voucher => "voucher",
        OffsetKind.Allowance => "allowance",
        OffsetKind.SupplierRate => "supplier_rate",
        _ => throw new ArgumentOutOfRangeException(nameof(k)),
    };

    public static OffsetKind? TryParse(string? s) => s?.Trim().ToLowerInvariant() switch
    {
        "gec" or "绿证" => OffsetKind.Gec,
        "green_power" or "绿电" or "ppa" => OffsetKind.GreenPower,
        "ccer" => OffsetKind.Ccer,
        "cer" => OffsetKind.Cer,
        "sink" or "碳汇" or "forest_sink" => OffsetKind.Sink,
        "ccus" => OffsetKind.Ccus,
        "rooftop_pv" or "pv" or "屋顶光伏" => OffsetKind.RooftopPv,
        "voucher" or "凭证" => OffsetKind.Voucher,
        "allowance" or "碳配额" => OffsetKind.Allowance,
        "supplier_rate" or "supplier" => OffsetKind.SupplierRate,
        _ => null,
    };

    public static string Expected => string.Join(", ", All.Select(Code));

    /// <summary>MWh-denominated kinds (converted to tCO2e with the location-based grid factor); the others are tCO2e.</summary>
    public static bool IsEnergy(OffsetKind k) => k is OffsetKind.Gec or OffsetKind.GreenPower or OffsetKind.RooftopPv or OffsetKind.SupplierRate;

    public static string Unit(OffsetKind k) => IsEnergy(k) ? "MWh" : "tCO2e";

    /// <summary>Kinds that can lower market-based scope 2 (GHG Protocol Scope 2 hierarchy).</summary>
    public static bool IsScope2(OffsetKind k) => k is OffsetKind.Gec or OffsetKind.GreenPower or OffsetKind.SupplierRate;

    /// <summary>Kinds that count towards neutrality and the T/CA305 offset (a supplier rate only lowers scope 2).</summary>
    public static bool IsOffset(OffsetKind k) => k != OffsetKind.SupplierRate;

    /// <summary>Kinds that carry serial numbers that must never be claimed twice.</summary>
    public static bool HasSerials(OffsetKind k) => k is not (OffsetKind.RooftopPv or OffsetKind.SupplierRate);

    /// <summary>T/CA305-2023 附表F coefficient (0 for a kind the table does not list).</summary>
    public static double Tca305Coefficient(OffsetKind k) => k switch
    {
        OffsetKind.Sink => 2,
        OffsetKind.Ccus => 1.5,
        OffsetKind.Gec or OffsetKind.GreenPower => 1,
        OffsetKind.Cer or OffsetKind.Ccer => 2,
        OffsetKind.RooftopPv => 1.5,
        OffsetKind.Voucher => 1,
        OffsetKind.Allowance => 0.5,
        _ => 0,
    };

    /// <summary>附表F marks sinks, CCUS and CER/CCER "适用于中和范围一": only they may neutralise scope 1.</summary>
    public static bool NeutralisesScope1(OffsetKind k) => k is OffsetKind.Sink or OffsetKind.Ccus or OffsetKind.Cer or OffsetKind.Ccer;

    /// <summary>Converts a quantity in <paramref name="unit"/> to the kind's ledger unit (MWh or tCO2e), or null with a reason.</summary>
    public static (double? Value, string? Error) ToLedgerUnit(OffsetKind k, double quantity, string? unit)
    {
        var u = (unit ?? "").Trim();
        if (u.Length == 0) return (quantity, null);
        if (IsEnergy(k))
        {
            switch (u.ToLowerInvariant())
            {
                case "mwh": return (quantity, null);
                case "kwh": return (quantity / 1000, null);
                case "gwh": return (quantity * 1000, null);
                case "certificates" or "certificate" or "gec" or "张" when k == OffsetKind.Gec: return (quantity, null);
            }
            return (null, $"unit '{u}' does not fit {Code(k)} (MWh, kWh or GWh{(k == OffsetKind.Gec ? ", certificates" : "")})");
        }
        return u.ToLowerInvariant() switch
        {
            "t" or "tco2e" or "tco2" or "t co2e" or "吨" => (quantity, null),
            "kg" or "kgco2e" => (quantity / 1000, null),
            _ => (null, $"unit '{u}' does not fit {Code(k)} (tCO2e)"),
        };
    }
}
