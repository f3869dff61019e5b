using ZeroPark.Domain;

namespace ZeroPark.EnergyManagement;


/// <summary>Why a KPI is null, or what a reader must know about its value. <see cref="Kpi"/> is the KPI's wire name
/// (pue, clf, wue, …), or <c>completeness</c>, <c>balance</c> or <c>inputs</c> for notes about the data.</summary>
public sealed record KpiNote(string Kpi, string Message)
{
    public override string ToString() => $"{Kpi}: {Message}";
}

/// <summary>
/// The KPIs of one node and period, with the inputs they were computed from. Every ratio is a fraction (DCiE 0.75, not 75 %)
/// except WUE (L/kWh) and CUE (kgCO2e/kWh). A null value has at least one note in <see cref="Notes"/> naming it.
/// <para>The load factors decompose PUE: PUE = 1 + CLF + PLF + ALF + <see cref="UnmeteredFactor"/>, where the unmetered
/// factor is the energy inside the boundary not covered by IT, cooling, power or auxiliary meters, divided by E_IT. It is
/// never hidden: it is zero only when the meters close the balance.</para>
/// </summary>
public sealed record KpiResult
{
    public required KpiInputs Inputs { get; init; }

    /// <summary>E_DC = grid + on-site renewable − export.</summary>
    public Energy? Total { get; init; }

    /// <summary>PUE = E_DC / E_IT (ISO/IEC 30134-2; GB 40879-2021 electricity ratio R = E / E_IT).</summary>
    public double? Pue { get; init; }

    /// <summary>DCiE = 1 / PUE (The Green Grid), as a fraction.</summary>
    public double? Dcie { get; init; }

    /// <summary>Cooling load factor = E_cooling / E_IT (GB/T 32910.2 via T/BFIA 043 §3.5).</summary>
    public double? Clf { get; init; }

    /// <summary>Power load factor = E_power losses / E_IT (GB/T 32910.2 via T/BFIA 043 §3.7).</summary>
    public double? Plf { get; init; }

    /// <summary>Auxiliary load factor = E_aux / E_IT (implementation definition; reference §4.1).</summary>
    public double? Alf { get; init; }

    /// <summary>E_DC − E_IT − E_cooling − E_power − E_aux (unknown subsystems count as zero, so their energy is in here).
    /// Negative when the sub-meters add up to more than the total input.</summary>
    public Energy? Unmetered { get; init; }

    /// <summary><see cref="Unmetered"/> / E_IT, so that PUE = 1 + CLF + PLF + ALF + this.</summary>
    public double? UnmeteredFactor { get; init; }

    /// <summary>Partial PUE over the node's sub-metered infrastructure: (E_IT + E_cooling + E_power + E_aux) / E_IT
    /// (ISO/IEC 30134-2 pPUE; GB/T 32910.3 局部PUE). Meaningful for a zone without its own facility input.</summary>
    public double? Ppue { get; init; }

    /// <summary>WUE = site water (L) / E_IT (kWh) (ISO/IEC 30134-9).</summary>
    public double? Wue { get; init; }

    /// <summary>ERF = E_reuse / E_DC (ISO/IEC 30134-6).</summary>
    public double? Erf { get; init; }

    /// <summary>ERE = (E_DC − E_reuse) / E_IT (The Green Grid WP#29).</summary>
    public double? Ere { get; init; }

    /// <summary>REF = E_renewable / E_DC (ISO/IEC 30134-3); renewable = on-site + purchased + certificates, as given.</summary>
    public double? Ref { get; init; }

    /// <summary>Renewable energy counted in REF.</summary>
    public Energy? Renewable { get; init; }

    /// <summary>CUE = (E_grid × grid factor + other emissions) / E_IT in kgCO2e/kWh (ISO/IEC 30134-8).</summary>
    public double? Cue { get; init; }

    /// <summary>CER = heat removed by the cooling system (cooling load, kWh thermal) / energy used by the cooling system (kWh)
    /// (ISO/IEC 30134-7:2023; reference worked case WC-09).</summary>
    public double? Cer { get; init; }

    /// <summary>Average IT power over the period = E_IT / period.</summary>
    public Power? AverageItPower { get; init; }

    /// <summary>IT load rate = average IT power / design IT power.</summary>
    public double? ItLoadRate { get; init; }

    /// <summary>Rack utilisation (上架率) = racks in use / racks provisioned.</summary>
    public double? RackUtilisation { get; init; }

    /// <summary>GB 40879-2021 grade of PUE (indicative for periods shorter than a year; see the notes).</summary>
    public Gb40879Grade? Grade { get; init; }

    public IReadOnlyList<KpiNote> Notes { get; init; } = [];
}
