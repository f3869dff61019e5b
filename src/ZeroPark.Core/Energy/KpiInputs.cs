using ZeroPark.Domain;

namespace ZeroPark.EnergyManagement;


/// <summary>
/// What the KPI calculator needs for one period of one node. A null energy means "not known" (no meter with that role or
/// system, or no reading in the period); zero means "measured as zero". All electricity in kWh, water in m³.
/// <para>Measurement boundary (ISO/IEC 30134-2, GB 40879-2021 §3.4): the total energy of the data center is
/// E_DC = <see cref="FacilityInput"/> (grid, Σ facility_input meters) + <see cref="RenewableOnsite"/> (on-site generation
/// consumed behind the incoming meters) − <see cref="Exported"/>; the IT energy E_IT is Σ it_load meters.</para>
/// </summary>
public sealed record KpiInputs
{
    /// <summary>Length of the period (average IT power = E_IT ÷ period). Must be positive.</summary>
    public required TimeSpan Period { get; init; }

    /// <summary>Grid electricity entering the data center (Σ facility_input meters).</summary>
    public Energy? FacilityInput { get; init; }

    /// <summary>On-site renewable generation (Σ renewable_onsite meters, e.g. rooftop PV).</summary>
    public Energy? RenewableOnsite { get; init; }

    /// <summary>Electricity exported out of the boundary (Σ export meters); subtracted from E_DC.</summary>
    public Energy? Exported { get; init; }

    /// <summary>IT equipment energy E_IT (Σ it_load meters).</summary>
    public Energy? It { get; init; }

    /// <summary>Cooling system energy (summable meters under the <c>cooling</c> system).</summary>
    public Energy? Cooling { get; init; }

    /// <summary>Power-system consumption and losses (summable and loss meters under the <c>power</c> system: transformer,
    /// UPS/HVDC, distribution losses).</summary>
    public Energy? PowerLosses { get; init; }

    /// <summary>Auxiliary energy: lighting, fire, low-voltage, office, other (summable meters under <c>aux</c>).</summary>
    public Energy? Auxiliary { get; init; }

    /// <summary>Site water input (Σ water_input meters), for WUE.</summary>
    public Volume? Water { get; init; }

    /// <summary>Energy reused outside the data center (Σ reused_heat meters), for ERF and ERE.</summary>
    public Energy? Reused { get; init; }

    /// <summary>Renewable electricity bought through green-power trading or PPAs (not metered on site).</summary>
    public Energy? RenewablePurchased { get; init; }

    /// <summary>Renewable electricity covered by unbundled certificates (1 GEC = 1,000 kWh).</summary>
    public Energy? RenewableCertificates { get; init; }

    /// <summary>Design IT capacity, for the IT load rate.</summary>
    public Power? DesignItPower { get; init; }

    public int? RacksTotal { get; init; }
    public int? RacksInUse { get; init; }

    /// <summary>Share of the expected readings received for the inputs, 0–1 (null = not known).</summary>
    public double? Completeness { get; init; }

    /// <summary>Grid electricity emission factor, for CUE (optional).</summary>
    public EnergyEmissionFactor? GridEmissionFactor { get; init; }

    /// <summary>Location-based emissions of the grid electricity, summed day by day with each day's factor (see <see cref="Cue"/>);
    /// when null, CUE takes <see cref="FacilityInput"/> × <see cref="GridEmissionFactor"/>.</summary>
    public Emissions? GridEmissions { get; init; }

    /// <summary>On-site combustion for the data centre's energy (e.g. backup diesel), added to CUE's numerator (see <see cref="Cue"/>).</summary>
    public Emissions? OtherEmissions { get; init; }

    /// <summary>Heat removed by the cooling system, the cooling load (kWh thermal; Σ chilled_water meters under the <c>cooling</c>
    /// system), for CER (optional).</summary>
    public Energy? HeatRemoved { get; init; }

    /// <summary>E_DC = grid + on-site renewable − export; null when the grid input is not known (on-site generation alone
    /// is never the whole boundary).</summary>
    public Energy? Total => FacilityInput is { } grid
        ? grid + (RenewableOnsite ?? Energy.Zero) - (Exported ?? Energy.Zero)
        : null;
}
