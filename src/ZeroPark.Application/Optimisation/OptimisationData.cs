using ZeroPark.Application.Readings;
using ZeroPark.Domain;
using ZeroPark.EnergyManagement;

namespace ZeroPark.Application.Optimisation;

/// <summary>The forecast targets: IT energy (it_load meters), facility energy E_DC (facility input + on-site renewable − export, the
/// <see cref="KpiInputs.Total"/> of the KPI definition), cooling energy (the <c>cooling</c> system node) and PUE (from
/// <see cref="KpiCalculator"/>, never computed another way).</summary>
public static class ForecastTargets
{
    public const string ItLoad = "it_load";
    public const string FacilityEnergy = "facility_energy";
    public const string CoolingEnergy = "cooling_energy";
    public const string Pue = "pue";

    public static readonly IReadOnlyList<string> All = [ItLoad, FacilityEnergy, CoolingEnergy, Pue];

    public static string Parse(string? s) => (s ?? "").Trim().ToLowerInvariant() switch
    {
        "it_load" or "it" => ItLoad,
        "facility_energy" or "facility" => FacilityEnergy,
        "cooling_energy" or "cooling" => CoolingEnergy,
        "pue" => Pue,
        _ => throw new ValidationException("target", $"'{s}' is not a target (it_load, facility_energy, cooling_energy or pue)"),
    };

    public static string Unit(string target) => target == Pue ? "" : "kWh";
}

/// <summary>A node's history by hour or by local day: energies, PUE by the KPI definition, and the weather and chilled-water
/// conditions (averages of gauge meters) of each bucket.</summary>
public sealed class NodeHistory
{
    public required ParkRegistry Registry { get; init; }
    public required string Node { get; init; }
    public required bool IsPark { get; init; }
    public required Granularity Granularity { get; init; }
    public required IReadOnlyList<(DateTimeOffset Start, DateTimeOffset End)> Buckets { get; init; }
    public required DateTime[] Local { get; init; }
    public required double?[] Facility { get; init; }
    /// <summary>Grid electricity (facility_input meters), the basis of scope 2.</summary>
    public required double?[] Grid { get; init; }
    public required double?[] It { get; init; }
    public required double?[] Cooling { get; init; }
    public required double?[] Pue { get; init; }
    public required double?[] ItLoadRate { get; init; }
    public required double?[] Temperature { get; init; }
    public required double?[] Humidity { get; init; }
    public required double?[] ChilledWaterSupply { get; init; }
    public required double?[] FreeCoolingShare { get; init; }
    public required IReadOnlyList<string> Notes { get; init; }

    public double?[] Of(string target) => target switch
    {
        ForecastTargets.ItLoad => It,
        ForecastTargets.FacilityEnergy => Facility,
        ForecastTargets.CoolingEnergy => Cooling,
        ForecastTargets.Pue => Pue,
        _ => throw new ValidationException("target", $"'{target}' is not a target"),
    };
}

/// <summary>Reads a node's history for the optimisation models from the rollups (<see cref="ReadingQueries.SeriesAsync"/>): the
/// same role and system nodes as <see cref="EnergyManagement.EnergyService"/>, and PUE by <see cref="KpiCalculator.Compute"/>.
/// Weather: gauge meters of the carrier <c>ambient</c> (°C: outdoor dry-bulb, or wet-bulb when its code or name says so —
/// <c>wet</c>/<c>湿球</c>; %: relative humidity). Chilled-water supply: gauge meters °C of the carrier <c>chilled_water</c>.
/// Free cooling: a gauge meter (%) whose code contains <c>free_cooling</c> or whose name contains 自然冷却 (share of the hour).</summary>
public sealed class OptimisationData(ZeroParkStore store)
{
    /// <summary>The last complete local day with readings in the park (null when there are none).</summary>
    public async Task<DateOnly?> LastCompleteDayAsync(string parkCode, CancellationToken ct)
    {
        var reg = await store.Registry.GetRegistryAsync(parkCode, ct);
        if (await store.Queries.LastReadingAtAsync(parkCode, ct) is not { } last) return null;
        var unix = last.ToUnixTimeSeconds();
        var day = reg.Clock.LocalDate(unix);
        // A reading at local midnight closes the day before; any later reading leaves its own day incomplete.
        return day.AddDays(-1);
    }

    public async Task<NodeHistory> LoadAsync(string parkCode, string? node, DateOnly from, DateOnly to, Granularity g, CancellationToken ct)
    {
        var reg = await store.Registry.GetRegistryAsync(parkCode, ct);
        Space? space = null;
        var code = string.IsNullOrWhiteSpace(node) ? reg.Park.Code : node.Trim();
        if (code != reg.Park.Code && !reg.SpacesByCode.TryGetValue(code, out space))
            throw new NotFoundException($"node '{code}' not found in park '{reg.Park.Code}' (expected a building, floor or room code, or the park code)");
        var meters = reg.MetersById.Values.Where(m => space is null || reg.IsUnder(m.SpaceId, space.Id)).ToList();
        var spaceCode = space?.Code;
        var notes = new List<string>();

        async Task<double?[]?> Role(MeterRole role, params Carrier[] carriers)
        {
            var cs = meters.Where(m => !m.IsInstantaneous && m.Role == role && carriers.Contains(m.Carrier)).Select(m => m.Carrier).Distinct().Order().ToList();
            if (cs.Count == 0) return null;
            double?[]? sum = null;
            foreach (var c in cs)
            {
                var s = await store.Queries.SeriesAsync(parkCode, SeriesTarget.Node(spaceCode, role: role, carrier: c), from, to, g, ct);
                sum = Add(sum, s);
            }
            return sum;
        }
        async Task<double?[]?> System(string system)
        {
            if (!meters.Any(m => !m.IsInstantaneous && m.Carrier == Carrier.Electricity && m.IsSummable && m.SystemCode is { } s && SystemTaxonomy.IsUnder(s, system)))
                return null;
            return Add(null, await store.Queries.SeriesAsync(parkCode, SeriesTarget.Node(spaceCode, system: system, carrier: Carrier.Electricity), from, to, g, ct));
        }
        async Task<double?[]?> Gauge(Func<Meter, bool> which, string what)
        {
            var ms = reg.MetersById.Values.Where(m => m.Kind == MeterKind.Gauge && which(m))
                .Where(m => space is null || m.SpaceId is null || reg.IsUnder(m.SpaceId, space.Id) || reg.IsUnder(space.Id, m.SpaceId!.Value))
                .OrderBy(m => m.Code, StringComparer.Ordinal).ToList();
            if (ms.Count == 0) return null;
            if (ms.Count > 1) notes.Add($"{what}: the mean of {string.Join(", ", ms.Select(m => m.Code))}");
            double?[]? sum = null;
            int[]? count = null;
            foreach (var m in ms)
            {
                var s = await store.Queries.SeriesAsync(parkCode, SeriesTarget.Meter(m.Code), from, to, g, ct);
                sum = Add(sum, s);
                count ??= new int[s.Buckets.Count];
                for (var i = 0; i < count.Length; i++) if (s.Buckets[i].Value is not null) count[i]++;
            }
            return sum!.Select((v, i) => v / Math.Max(1, count![i])).ToArray();
        }

        var facility = await Role(MeterRole.FacilityInput, Carrier.Electricity);
        var renewable = await Role(MeterRole.RenewableOnsite, Carrier.Electricity, Carrier.PvGeneration);
        var export = await Role(MeterRole.Export, Carrier.Electricity, Carrier.ExportedElectricity);
        var it = await Role(MeterRole.ItLoad, Carrier.Electricity);
        var cooling = await System("cooling");
        static bool Celsius(Meter m) => m.CanonicalUnit == "°C";
        static bool Named(Meter m, params string[] words) => words.Any(w => m.Code.Contains(w, StringComparison.OrdinalIgnoreCase) || m.Name.Contains(w, StringComparison.OrdinalIgnoreCase));
        var wet = await Gauge(m => m.Carrier == Carrier.Ambient && Celsius(m) && Named(m, "wet", "湿球"), "outdoor wet-bulb");
        var dry = await Gauge(m => m.Carrier == Carrier.Ambient && Celsius(m) && !Named(m, "wet", "湿球"), "outdoor temperature");
        var rh = await Gauge(m => m.Carrier == Carrier.Ambient && !Celsius(m) && !Named(m, "free_cooling", "自然冷却"), "outdoor humidity");
        var chw = await Gauge(m => m.Carrier == Carrier.ChilledWater && Celsius(m), "chilled-water supply temperature");
        var free = await Gauge(m => !Celsius(m) && Named(m, "free_cooling", "自然冷却"), "free cooling");
        if (dry is null) notes.Add("weather: no outdoor temperature gauge (carrier ambient, °C): the models run without weather");

        var clock = reg.Clock;
        var buckets = clock.Buckets(from, to, g).Select(b => (clock.ToLocalOffset(b.Start), clock.ToLocalOffset(b.End))).ToList();
        var n = buckets.Count;
        var total = new double?[n];
        var pue = new double?[n];
        var rate = new double?[n];
        for (var i = 0; i < n; i++)
        {
            var inputs = new KpiInputs
            {
                Period = buckets[i].Item2 - buckets[i].Item1,
                FacilityInput = Kwh(facility, i), RenewableOnsite = Kwh(renewable, i), Exported = Kwh(export, i), It = Kwh(it, i),
                DesignItPower = space is null ? reg.Park.DesignItCapacity : null,
            };
            total[i] = inputs.Total?.KilowattHours;
            if (inputs.Total is not null && inputs.It is not null)
            {
                var r = KpiCalculator.Compute(inputs);
                pue[i] = r.Pue;
                rate[i] = r.ItLoadRate;
            }
        }
        return new NodeHistory
        {
            Registry = reg, Node = code, IsPark = space is null, Granularity = g, Buckets = buckets,
            Local = buckets.Select(b => b.Item1.DateTime).ToArray(),
            Facility = total, Grid = facility ?? new double?[n], It = it ?? new double?[n], Cooling = cooling ?? new double?[n], Pue = pue, ItLoadRate = rate,
            Temperature = wet ?? dry ?? new double?[n], Humidity = wet is null ? rh ?? new double?[n] : new double?[n],
            ChilledWaterSupply = chw ?? new double?[n], FreeCoolingShare = free ?? new double?[n], Notes = notes,
        };
    }

    private static Energy? Kwh(double?[]? s, int i) => s is not null && s[i] is { } v ? Energy.FromKilowattHours(v) : null;

    private static double?[] Add(double?[]? sum, SeriesResult s)
    {
        var b = s.Buckets;
        sum ??= new double?[b.Count];
        for (var i = 0; i < b.Count; i++)
            if (b[i].Value is { } v) sum[i] = (sum[i] ?? 0) + v;
        return sum;
    }
}
