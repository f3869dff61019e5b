using ZeroPark.Carbon;

namespace ZeroPark.Application.EnergyManagement;

/// <summary>
/// What the energy KPI needs for CUE's numerator (<see cref="ZeroPark.EnergyManagement.Cue"/>), per local day of the period:
/// grid electricity × that day's location-based factor and on-site stationary combustion. Defined on the energy side so the
/// energy module does not depend on the carbon module (data flow ingest → readings → energy → carbon); the carbon module
/// implements it (<c>CarbonService</c>) and the composition root wires it.
/// </summary>
public interface ICueEmissionSource
{
    /// <summary>The CUE numerator's parts per local day from..to (both inclusive) of the park or one of its spaces.</summary>
    Task<CueEmissions> CueDailyAsync(string park, string? node, DateOnly from, DateOnly to, CancellationToken ct = default);
}

/// <summary>One local day: whether grid electricity was metered, its location-based emissions and on-site combustion (tCO2e).</summary>
public sealed record CueDay(DateTimeOffset Start, bool HasGrid, double GridLocationT, double CombustionT);

/// <summary>The location-based grid factor chooser of the park and the days of the period.</summary>
public sealed record CueEmissions(Func<DateOnly, FactorChoice?> GridFactor, IReadOnlyList<CueDay> Days);
