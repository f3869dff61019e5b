using System.Globalization;
using ZeroPark.Domain;
using ZeroPark.Metering;

namespace ZeroPark.Application.EnergyManagement;

/// <summary>How device analyses cut the range: local days, ISO weeks (Monday–Sunday), months (each cut by the range), or one
/// bucket for the whole range.</summary>
public enum AnalysisBucketing
{
    Day,
    Week,
    Month,
    Total,
}

public static class AnalysisBuckets
{
    public static AnalysisBucketing Parse(string? value, string field = "by") => (value ?? "").Trim().ToLowerInvariant() switch
    {
        "day" => AnalysisBucketing.Day,
        "week" => AnalysisBucketing.Week,
        "month" => AnalysisBucketing.Month,
        "" or "total" => AnalysisBucketing.Total,
        _ => throw new ValidationException(field, $"'{field}': '{value}' is not one of day, week, month, total"),
    };

    /// <summary>The local-date ranges (both inclusive) of the buckets covering from..to.</summary>
    public static IReadOnlyList<(DateOnly From, DateOnly To)> Ranges(DateOnly from, DateOnly to, AnalysisBucketing by)
    {
        var list = new List<(DateOnly, DateOnly)>();
        for (var d = from; d <= to;)
        {
            var end = by switch
            {
                AnalysisBucketing.Day => d,
                AnalysisBucketing.Week => d.AddDays(((int)DayOfWeek.Sunday - (int)d.DayOfWeek + 7) % 7),
                AnalysisBucketing.Month => new DateOnly(d.Year, d.Month, 1).AddMonths(1).AddDays(-1),
                _ => to,
            };
            if (end > to) end = to;
            list.Add((d, end));
            d = end.AddDays(1);
        }
        return list;
    }
}

/// <summary>One meter's energy (or volume) over a range, with what identifies the device.</summary>
public sealed record DeviceEnergy(string Meter, string Name, string? Device, string? System, string? Space, string? Building, double? Value, string Unit, double Completeness);

/// <summary>A ranked meter: <see cref="Rank"/> 1 = the largest within its <see cref="Group"/>; <see cref="SharePct"/> of the group's total.</summary>
public sealed record RankedDevice(string Group, int Rank, DeviceEnergy Energy, double? SharePct);

/// <summary>A high-consumption warning: the meter's average daily energy in the period exceeds its own trailing baseline (the
/// average daily energy over the baseline days before the period) by at least the threshold.</summary>
public sealed record ConsumptionWarning(DeviceEnergy Energy, int PeriodDays, double PeriodPerDay, DateOnly BaselineFrom, DateOnly BaselineTo, int BaselineDays,
    double BaselinePerDay, double ExcessPct, double Excess, string Reason);

/// <summary>IT energy of one rack in one bucket. A rack is a space of level rack (all it_load meters under it), or, where
/// it_load meters sit in a room without rack spaces, one it_load meter (one PDU = one rack).</summary>
public sealed record RackEnergy(DateTimeOffset Start, DateTimeOffset End, string Rack, string Kind, string? Room, string? Building, int Meters, double? ItKwh,
    double Completeness);

/// <summary>Energy of one equipment type (a system one level below cooling, or a power-loss class) in one bucket, ranked
/// within the bucket (1 = the largest).</summary>
public sealed record EquipmentTypeEnergy(DateTimeOffset Start, DateTimeOffset End, string Type, string NameZh, string NameEn, int Meters, double? Kwh, int? Rank,
    double? SharePct);

public sealed record EquipmentReport(string Node, string System, IReadOnlyList<EquipmentTypeEnergy> Types, IReadOnlyList<RankedDevice> Devices, IReadOnlyList<string> Notes)
{
    /// <summary>Power-system losses by voltage level per bucket (system power only; empty for cooling).</summary>
    public IReadOnlyList<VoltageLevelEnergy> VoltageLevels { get; init; } = [];
}

/// <summary>Power-system losses of one voltage level in one bucket: <c>10kv</c> (medium voltage: transformers, whose losses
/// include the 10 kV incoming side) or <c>0.4kv</c> (low voltage and below: UPS, HVDC, LV distribution, other). <see cref="Types"/>
/// lists the loss classes in the level; <see cref="SharePct"/> is of all power-system losses of the bucket.</summary>
public sealed record VoltageLevelEnergy(DateTimeOffset Start, DateTimeOffset End, string Level, string NameZh, string NameEn, IReadOnlyList<string> Types,
    int Meters, double? Kwh, double? SharePct);

/// <summary>Fields to set a stored master/sub-meter balance group (CLI <c>energy balance-group set</c>, API
/// <c>PUT /api/parks/{park}/energy/balance-groups</c>); <see cref="TolerancePct"/> defaults to 2.</summary>
public sealed record BalanceGroupDraft(string? Code, string? Master, string? Sub, double? TolerancePct = null, string? Name = null);

/// <summary>A stored balance group: master and sub are formulas of meter codes.</summary>
public sealed record BalanceGroup(string Code, string? Name, string Master, string Sub, double TolerancePct, DateTimeOffset UpdatedAt, string UpdatedBy);

/// <summary>A master/sub-meter balance over one bucket: master − Σ sub, and its share of the master.</summary>
public sealed record BalanceRow(DateTimeOffset Start, DateTimeOffset End, double? MasterKwh, double? SubKwh, double? ImbalanceKwh, double? ImbalancePct,
    bool? Flagged, double Completeness, IReadOnlyList<string> Notes);

/// <summary>The balance of one group (<see cref="Group"/> null for an ad-hoc check) per bucket.</summary>
public sealed record BalanceReport(string? Group, string? Name, string Master, string Sub, double TolerancePct, IReadOnlyList<BalanceRow> Rows);

/// <summary>
/// The device dimension of energy analysis: top-N meters, high-consumption warnings, IT energy per rack, cooling energy by
/// equipment type and power-system losses by device type, and master/sub-meter balance checks. Every figure comes from the
/// meters' daily rollups (<see cref="ZeroPark.Application.Readings.ReadingQueries.MeterSeriesAsync"/>), never from raw readings.
/// </summary>
public sealed class DeviceAnalysisService(ZeroParkStore store)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static void CheckRange(DateOnly from, DateOnly to)
    {
        if (to < from) throw new ValidationException("to", $"'to' ({to:yyyy-MM-dd}) is before 'from' ({from:yyyy-MM-dd})");
        if (to.DayNumber - from.DayNumber > 366 * 5) throw new ValidationException("to", "device analyses are limited to 5 years (daily rollups)");
    }

    private static Space? NodeSpace(ParkRegistry reg, string? node)
    {
        if (string.IsNullOrWhiteSpace(node) || node.Trim() == reg.Park.Code) return null;
        return reg.SpacesByCode.TryGetValue(node.Trim(), out var s)
            ? s : throw new NotFoundException($"node '{node.Trim()}' not found in park '{reg.Park.Code}' (expected a space code or the park code)");
    }

    private static string? CheckSystem(string? system)
    {
        if (string.IsNullOrWhiteSpace(system)) return null;
        var s = system.Trim();
        return SystemTaxonomy.IsKnown(s) ? s : throw new ValidationException("system", $"'system': unknown system '{s}'");
    }

    private static DeviceEnergy Describe(ParkRegistry reg, Meter m, double? value, double completeness) => new(m.Code, m.Name, m.Device, m.SystemCode,
        m.SpaceId is { } s && reg.SpacesById.TryGetValue(s.Value, out var sp) ? sp.Code : null, reg.BuildingOf(m.SpaceId)?.Code, value, m.CanonicalUnit, completeness);

    private static (double? Value, double Completeness) Sum(SeriesResult s)
    {
        double? v = s.Buckets.Any(b => b.Value is not null) ? s.Buckets.Sum(b => b.Value ?? 0) : null;
        var received = s.Buckets.Sum(b => b.Quality.Received);
        var expected = s.Buckets.Sum(b => b.Quality.Expected);
        return (v, expected == 0 ? 1 : Math.Min(1.0, (double)received / expected));
    }

    // ------------------------------------------------------------------ top N

    /// <summary>The <paramref name="n"/> summable meters of <paramref name="carrier"/> under the node (and system) with the largest
    /// energy over from..to, ranked within each group: <c>none</c> (one ranking), <c>system</c> (per system one level below the
    /// top: cooling.chiller, it.server, …) or <c>building</c>.</summary>
    public async Task<IReadOnlyList<RankedDevice>> TopAsync(string parkCode, string? node, string? system, Carrier carrier, DateOnly from, DateOnly to, int n,
        string? group, CancellationToken ct = default)
    {
        CheckRange(from, to);
        if (n is < 1 or > 1000) throw new ValidationException("n", $"'n': {n} is not between 1 and 1000");
        var g = (group ?? "none").Trim().ToLowerInvariant();
        if (g is not ("none" or "system" or "building")) throw new ValidationException("group", $"'group': '{group}' is not one of none, system, building");
        var reg = await store.Registry.GetRegistryAsync(parkCode, ct);
        var space = NodeSpace(reg, node);
        var sys = CheckSystem(system);
        var meters = reg.MetersById.Values.Where(m => m.Carrier == carrier && !m.IsInstantaneous && m.IsSummable
                && (space is null || reg.IsUnder(m.SpaceId, space.Id)) && (sys is null || (m.SystemCode is { } s && SystemTaxonomy.IsUnder(s, sys))))
            .ToList();
        var series = await store.Queries.MeterSeriesAsync(reg.Park.Code, meters.Select(m => m.Code).ToList(), from, to, Granularity.Year, ct);
        var energies = meters.Select(m => { var (v, c) = Sum(series[m.Code]); return Describe(reg, m, v, c); }).Where(e => e.Value is not null).ToList();
        string GroupOf(DeviceEnergy e) => g switch
        {
            "system" => e.System is { } s ? string.Join('.', s.Split('.').Take(2)) : "(none)",
            "building" => e.Building ?? "(park)",
            _ => "all",
        };
        return energies.GroupBy(GroupOf).OrderBy(x => x.Key, StringComparer.Ordinal)
            .SelectMany(grp =>
            {
                var total = grp.Sum(e => e.Value!.Value);
                return grp.OrderByDescending(e => e.Value).ThenBy(e => e.Meter, StringComparer.Ordinal).Take(n)
                    .Select((e, i) => new RankedDevice(grp.Key, i + 1, e, total > 0 ? e.Value!.Value / total * 100 : null));
            })
            .ToList();
    }

    // ------------------------------------------------------------------ warnings

    /// <summary>Meters of <paramref name="carrier"/> under the node (and system), any role, whose average daily energy over
    /// from..to exceeds their own average daily energy over the <paramref name="baselineDays"/> days before <paramref name="from"/>
    /// by at least <paramref name="thresholdPct"/> %. Days without readings count in neither average.</summary>
    public async Task<IReadOnlyList<ConsumptionWarning>> WarningsAsync(string parkCode, string? node, string? system, Carrier carrier, DateOnly from, DateOnly to,
        int baselineDays, double thresholdPct, CancellationToken ct = default)
    {
        CheckRange(from, to);
        if (baselineDays is < 1 or > 366) throw new ValidationException("baseline_days", $"'baseline_days': {baselineDays} is not between 1 and 366");
        if (!double.IsFinite(thresholdPct) || thresholdPct < 0) throw new ValidationException("threshold", "'threshold' must be a percentage ≥ 0");
        var reg = await store.Registry.GetRegistryAsync(parkCode, ct);
        var space = NodeSpace(reg, node);
        var sys = CheckSystem(system);
        // Producers (on-site generation such as PV, export meters) are not consumers: producing more is not "high consumption".
        var meters = reg.MetersById.Values.Where(m => m.Carrier == carrier && !m.IsInstantaneous && !IsProducer(m)
                && (space is null || reg.IsUnder(m.SpaceId, space.Id)) && (sys is null || (m.SystemCode is { } s && SystemTaxonomy.IsUnder(s, sys))))
            .ToList();
        var baseFrom = from.AddDays(-baselineDays);
        var baseTo = from.AddDays(-1);
        var series = await store.Queries.MeterSeriesAsync(reg.Park.Code, meters.Select(m => m.Code).ToList(), baseFrom, to, Granularity.Day, ct);
        var warnings = new List<ConsumptionWarning>();
        foreach (var m in meters)
        {
            var days = series[m.Code].Buckets;
            var baseline = days.Take(baselineDays).Where(b => b.Value is not null).ToList();
            var period = days.Skip(baselineDays).Where(b => b.Value is not null).ToList();
            if (baseline.Count == 0 || period.Count == 0) continue;
            var basePerDay = baseline.Sum(b => b.Value!.Value) / baseline.Count;
            var periodTotal = period.Sum(b => b.Value!.Value);
            var periodPerDay = periodTotal / period.Count;
            if (basePerDay <= 0) continue;
            var excessPct = (periodPerDay - basePerDay) / basePerDay * 100;
            if (excessPct < thresholdPct) continue;
            var (_, completeness) = Sum(new SeriesResult("", "", Granularity.Day, days.Skip(baselineDays).ToList()));
            var e = Describe(reg, m, periodTotal, completeness);
            var reason = $"{m.Code}: {Num(periodPerDay)} {m.CanonicalUnit}/day in {from:yyyy-MM-dd}..{to:yyyy-MM-dd} is {excessPct.ToString("0.##", Inv)} % above its " +
                         $"baseline {Num(basePerDay)} {m.CanonicalUnit}/day ({baseline.Count} day(s) with readings in {baseFrom:yyyy-MM-dd}..{baseTo:yyyy-MM-dd}; threshold {thresholdPct.ToString("0.##", Inv)} %)";
            warnings.Add(new ConsumptionWarning(e, period.Count, periodPerDay, baseFrom, baseTo, baseline.Count, basePerDay, excessPct,
                periodTotal - basePerDay * period.Count, reason));
        }
        return warnings.OrderByDescending(w => w.ExcessPct).ThenBy(w => w.Energy.Meter, StringComparer.Ordinal).ToList();
    }

    /// <summary>A meter that measures energy produced or sent out rather than consumed: on-site renewable generation, export, PV
    /// generation and exported electricity.</summary>
    public static bool IsProducer(Meter m) => m.Role is MeterRole.RenewableOnsite or MeterRole.Export || m.Carrier is Carrier.PvGeneration or Carrier.ExportedElectricity;

    // ------------------------------------------------------------------ racks

    /// <summary>IT energy (it_load, electricity) per rack under the node per bucket.</summary>
    public async Task<IReadOnlyList<RackEnergy>> RacksAsync(string parkCode, string? node, DateOnly from, DateOnly to, AnalysisBucketing by, CancellationToken ct = default)
    {
        CheckRange(from, to);
        var reg = await store.Registry.GetRegistryAsync(parkCode, ct);
        var space = NodeSpace(reg, node);
        var racks = Racks(reg, space);
        var codes = racks.SelectMany(r => r.Meters).Select(m => m.Code).ToList();
        var series = await store.Queries.MeterSeriesAsync(reg.Park.Code, codes, from, to, Granularity.Day, ct);
        var rows = new List<RackEnergy>();
        var ranges = AnalysisBuckets.Ranges(from, to, by);
        var clock = reg.Clock;
        foreach (var (f, t) in ranges)
        {
            var i0 = f.DayNumber - from.DayNumber;
            var i1 = t.DayNumber - from.DayNumber;
            foreach (var r in racks)
            {
                double? kwh = null;
                int received = 0, expected = 0;
                foreach (var m in r.Meters)
                    for (var i = i0; i <= i1; i++)
                    {
                        var b = series[m.Code].Buckets[i];
                        if (b.Value is { } v) kwh = (kwh ?? 0) + v;
                        received += b.Quality.Received;
                        expected += b.Quality.Expected;
                    }
                rows.Add(new RackEnergy(clock.ToLocalOffset(clock.StartOfDay(f)), clock.ToLocalOffset(clock.StartOfDay(t.AddDays(1))), r.Code, r.Kind, r.Room,
                    r.Building, r.Meters.Count, kwh, expected == 0 ? 1 : Math.Min(1.0, (double)received / expected)));
            }
        }
        return rows;
    }

    /// <summary>A rack: a rack space with the it_load meters under it, or one it_load meter outside any rack space.</summary>
    public sealed record Rack(string Code, string Kind, string? Room, string? Building, IReadOnlyList<Meter> Meters);

    public static IReadOnlyList<Rack> Racks(ParkRegistry reg, Space? under)
    {
        var it = reg.MetersById.Values.Where(m => m.Role == MeterRole.ItLoad && m.Carrier == Carrier.Electricity && !m.IsInstantaneous
            && (under is null || reg.IsUnder(m.SpaceId, under.Id))).ToList();
        Space? RackOf(Meter m)
        {
            for (var s = m.SpaceId is { } id && reg.SpacesById.TryGetValue(id.Value, out var x) ? x : null; s is not null;
                 s = s.ParentId is { } p && reg.SpacesById.TryGetValue(p.Value, out var y) ? y : null)
                if (s.Level == SpaceLevel.Rack) return s;
            return null;
        }
        string? Code(SpaceId? id) => id is { } v && reg.SpacesById.TryGetValue(v.Value, out var s) ? s.Code : null;
        var racks = new List<Rack>();
        foreach (var g in it.GroupBy(m => RackOf(m)?.Id.Value))
        {
            if (g.Key is { } rackId)
            {
                var rack = reg.SpacesById[rackId];
                racks.Add(new Rack(rack.Code, "space", Code(rack.ParentId), reg.BuildingOf(rack.Id)?.Code, g.OrderBy(m => m.Code, StringComparer.Ordinal).ToList()));
            }
            else
                racks.AddRange(g.Select(m => new Rack(m.Code, "meter", Code(m.SpaceId), reg.BuildingOf(m.SpaceId)?.Code, [m])));
        }
        return racks.OrderBy(r => r.Code, StringComparer.Ordinal).ToList();
    }

    // ------------------------------------------------------------------ equipment

    private static readonly Dictionary<string, (string Zh, string En)> LossTypes = new(StringComparer.Ordinal)
    {
        ["transformer"] = ("变压器损耗", "Transformer losses"),
        ["ups"] = ("UPS损耗", "UPS losses"),
        ["hvdc"] = ("HVDC损耗", "HVDC losses"),
        ["other"] = ("其他供配电损耗", "Other power losses"),
    };

    /// <summary>Cooling energy by equipment type (<paramref name="system"/> = cooling: the systems one level below, chillers, pumps,
    /// towers, CRAH, in-row) or power-system losses by device type (<paramref name="system"/> = power: transformer, UPS, HVDC, other,
    /// classed as in the energy flow) per bucket, types ranked within each bucket; and the devices (meters) ranked within each type
    /// over the whole range.</summary>
    public async Task<EquipmentReport> EquipmentAsync(string parkCode, string? node, string system, DateOnly from, DateOnly to, AnalysisBucketing by,
        CancellationToken ct = default)
    {
        CheckRange(from, to);
        var sys = (system ?? "").Trim().ToLowerInvariant();
        if (sys is not ("cooling" or "power")) throw new ValidationException("system", $"'system': '{system}' is not cooling or power");
        var reg = await store.Registry.GetRegistryAsync(parkCode, ct);
        var space = NodeSpace(reg, node);
        var meters = reg.MetersById.Values.Where(m => m.Carrier == Carrier.Electricity && !m.IsInstantaneous && m.IsSummable
            && m.SystemCode is { } s && SystemTaxonomy.IsUnder(s, sys) && (space is null || reg.IsUnder(m.SpaceId, space.Id))).ToList();
        // A virtual meter built from summable meters would count them twice (as node sums decide); leave such meters out.
        meters = meters.Where(m => !m.IsVirtual || LinearFormula.Parse(m.Formula!).Terms.All(t => reg.MetersByCode.TryGetValue(t.Code, out var x) && !x.IsSummable)).ToList();
        string TypeOf(Meter m) => sys == "power"
            ? EnergyService.LossClass(reg, m)
            : m.SystemCode!.Split('.') is { Length: > 1 } parts ? "cooling." + parts[1] : "cooling";
        (string Zh, string En) NameOf(string type) => sys == "power" ? LossTypes[type]
            : SystemTaxonomy.IsKnown(type) ? (SystemTaxonomy.Get(type).NameZh, SystemTaxonomy.Get(type).NameEn) : (type, type);
        var notes = new List<string>();
        if (meters.Count == 0) notes.Add($"{sys}: no summable electricity meter under system '{sys}' at '{space?.Code ?? reg.Park.Code}'");
        if (sys == "power")
            notes.Add("power: power-system meters are classed as in the energy flow: by their own system (power.transformer, power.ups, power.hvdc); " +
                      "a virtual loss meter by the system of the meters it subtracts (ups_in − ups_out is a UPS loss); else 'other'");
        else if (meters.Any(m => m.SystemCode == "cooling"))
            notes.Add("cooling: meters attached to 'cooling' itself have no equipment type and are listed as 'cooling'");
        var series = await store.Queries.MeterSeriesAsync(reg.Park.Code, meters.Select(m => m.Code).ToList(), from, to, Granularity.Day, ct);
        var byType = meters.GroupBy(TypeOf).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var clock = reg.Clock;
        var types = new List<EquipmentTypeEnergy>();
        foreach (var (f, t) in AnalysisBuckets.Ranges(from, to, by))
        {
            var i0 = f.DayNumber - from.DayNumber;
            var i1 = t.DayNumber - from.DayNumber;
            var cells = byType.Select(g =>
            {
                double? kwh = null;
                foreach (var m in g)
                    for (var i = i0; i <= i1; i++)
                        if (series[m.Code].Buckets[i].Value is { } v) kwh = (kwh ?? 0) + v;
                return (Type: g.Key, Meters: g.Count(), Kwh: kwh);
            }).ToList();
            var total = cells.Sum(c => c.Kwh ?? 0);
            var ranked = cells.Where(c => c.Kwh is not null).OrderByDescending(c => c.Kwh).Select((c, i) => (c.Type, Rank: i + 1)).ToDictionary(x => x.Type, x => x.Rank);
            foreach (var c in cells)
            {
                var (zh, en) = NameOf(c.Type);
                types.Add(new EquipmentTypeEnergy(clock.ToLocalOffset(clock.StartOfDay(f)), clock.ToLocalOffset(clock.StartOfDay(t.AddDays(1))), c.Type, zh, en,
                    c.Meters, c.Kwh, ranked.TryGetValue(c.Type, out var r) ? r : null, c.Kwh is { } k && total > 0 ? k / total * 100 : null));
            }
        }
        var devices = byType.SelectMany(g =>
        {
            var energies = g.Select(m => { var (v, c) = Sum(series[m.Code]); return Describe(reg, m, v, c); }).Where(e => e.Value is not null).ToList();
            var total = energies.Sum(e => e.Value!.Value);
            return energies.OrderByDescending(e => e.Value).ThenBy(e => e.Meter, StringComparer.Ordinal)
                .Select((e, i) => new RankedDevice(g.Key, i + 1, e, total > 0 ? e.Value!.Value / total * 100 : null));
        }).ToList();
        var levels = new List<VoltageLevelEnergy>();
        if (sys == "power")
        {
            notes.Add("voltage levels: a meter's level is derived from its loss class: transformer → 10kv (transformer losses, with the 10 kV " +
                      "incoming side), ups, hvdc, other → 0.4kv (low voltage and below); a device text naming 10kV/高压 or 0.4kV/低压 overrides it");
            var byLevel = meters.GroupBy(m => VoltageLevelOf(m, TypeOf(m))).OrderBy(g => g.Key == "10kv" ? 0 : 1).ToList();
            foreach (var (f, t) in AnalysisBuckets.Ranges(from, to, by))
            {
                var i0 = f.DayNumber - from.DayNumber;
                var i1 = t.DayNumber - from.DayNumber;
                var cells = byLevel.Select(g =>
                {
                    double? kwh = null;
                    foreach (var m in g)
                        for (var i = i0; i <= i1; i++)
                            if (series[m.Code].Buckets[i].Value is { } v) kwh = (kwh ?? 0) + v;
                    return (Level: g.Key, Types: g.Select(TypeOf).Distinct().Order(StringComparer.Ordinal).ToList(), Meters: g.Count(), Kwh: kwh);
                }).ToList();
                var total = cells.Sum(c => c.Kwh ?? 0);
                foreach (var c in cells)
                {
                    var (zh, en) = VoltageLevels[c.Level];
                    levels.Add(new VoltageLevelEnergy(clock.ToLocalOffset(clock.StartOfDay(f)), clock.ToLocalOffset(clock.StartOfDay(t.AddDays(1))), c.Level, zh, en,
                        c.Types, c.Meters, c.Kwh, c.Kwh is { } k && total > 0 ? k / total * 100 : null));
                }
            }
        }
        return new EquipmentReport(space?.Code ?? reg.Park.Code, sys, types, devices, notes) { VoltageLevels = levels };
    }

    private static readonly Dictionary<string, (string Zh, string En)> VoltageLevels = new(StringComparer.Ordinal)
    {
        ["10kv"] = ("10kV中压（变压器）损耗", "10 kV medium-voltage (transformer) losses"),
        ["0.4kv"] = ("0.4kV低压（UPS/HVDC/配电）损耗", "0.4 kV low-voltage (UPS/HVDC/distribution) losses"),
    };

    /// <summary>The voltage level of a power-system meter: its device text when it names one (10kV/10 kV/高压 → 10kv, 0.4kV/400V/低压 →
    /// 0.4kv), else by loss class: transformer → 10kv, every other class → 0.4kv.</summary>
    internal static string VoltageLevelOf(Meter m, string lossClass)
    {
        var device = (m.Device ?? "").Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
        if (device.Contains("10kv", StringComparison.Ordinal) || device.Contains("高压", StringComparison.Ordinal)) return "10kv";
        if (device.Contains("0.4kv", StringComparison.Ordinal) || device.Contains("400v", StringComparison.Ordinal) || device.Contains("低压", StringComparison.Ordinal)) return "0.4kv";
        return lossClass == "transformer" ? "10kv" : "0.4kv";
    }

    // ------------------------------------------------------------------ balance

    /// <summary>Master/sub-meter balance per bucket: master (a linear formula of meter codes, e.g. <c>b1_in1 + b1_in2</c>) minus the
    /// sub meters (another formula, e.g. <c>b1_tx1 + b1_tx2</c>); flagged when |imbalance| exceeds <paramref name="tolerancePct"/> % of
    /// the master. A bucket where the master or a sub meter has no reading is not computed (null, with a note).</summary>
    public async Task<BalanceReport> BalanceAsync(string parkCode, string? master, string? sub, DateOnly from, DateOnly to, AnalysisBucketing by,
        double tolerancePct, CancellationToken ct = default)
    {
        CheckRange(from, to);
        if (!double.IsFinite(tolerancePct) || tolerancePct < 0) throw new ValidationException("tolerance", "'tolerance' must be a percentage ≥ 0");
        var reg = await store.Registry.GetRegistryAsync(parkCode, ct);
        return await BalanceAsync(reg, null, null, master, sub, from, to, by, tolerancePct, ct);
    }

    /// <summary>The balance of the park's stored groups (all, or the one named <paramref name="group"/>), each with its own tolerance.</summary>
    public async Task<IReadOnlyList<BalanceReport>> BalanceGroupsAsync(string parkCode, string? group, DateOnly from, DateOnly to, AnalysisBucketing by,
        CancellationToken ct = default)
    {
        CheckRange(from, to);
        var reg = await store.Registry.GetRegistryAsync(parkCode, ct);
        var groups = await store.BalanceGroups.ListBalanceGroupsAsync(parkCode, ct);
        if (!string.IsNullOrWhiteSpace(group))
            groups = groups.Where(g => g.Code == group.Trim()).ToList() is { Count: > 0 } one
                ? one : throw new NotFoundException($"balance group '{group.Trim()}' not found in park '{reg.Park.Code}'");
        var reports = new List<BalanceReport>();
        foreach (var g in groups)
            reports.Add(await BalanceAsync(reg, g.Code, g.Name, g.Master, g.Sub, from, to, by, g.TolerancePct, ct));
        return reports;
    }

    /// <summary>Balance checks: ad hoc when <paramref name="master"/> or <paramref name="sub"/> is given (both are then required), else the
    /// stored group <paramref name="group"/>, else every stored group of the park.</summary>
    public async Task<IReadOnlyList<BalanceReport>> BalanceChecksAsync(string park, string? master, string? sub, string? group,
        double? tolerance, DateOnly from, DateOnly to, AnalysisBucketing by, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(master) || !string.IsNullOrWhiteSpace(sub))
        {
            if (!string.IsNullOrWhiteSpace(group)) throw new ValidationException("group", "'group': give a stored group or --master and --sub, not both");
            if (string.IsNullOrWhiteSpace(sub)) throw new ValidationException("sub", "'sub' is required with 'master' (meter codes, e.g. 'b1_tx1 + b1_tx2')");
            if (string.IsNullOrWhiteSpace(master)) throw new ValidationException("master", "'master' is required with 'sub' (meter codes, e.g. 'b1_in1 + b1_in2')");
            return [await BalanceAsync(park, master, sub, from, to, by, tolerance ?? DeviceAnalysisService.DefaultTolerancePct, ct)];
        }
        if (tolerance is not null) throw new ValidationException("tolerance", "'tolerance' applies to --master/--sub; a stored group has its own");
        return await BalanceGroupsAsync(park, group, from, to, by, ct);
    }

    public const double DefaultTolerancePct = 2;

    private async Task<BalanceReport> BalanceAsync(ParkRegistry reg, string? groupCode, string? groupName, string? master, string? sub, DateOnly from, DateOnly to,
        AnalysisBucketing by, double tolerancePct, CancellationToken ct)
    {
        var masterTerms = Formula(reg, master, "master");
        var subTerms = Formula(reg, sub, "sub");
        var codes = masterTerms.Concat(subTerms).Select(t => t.Code).Distinct(StringComparer.Ordinal).ToList();
        var series = await store.Queries.MeterSeriesAsync(reg.Park.Code, codes, from, to, Granularity.Day, ct);
        var clock = reg.Clock;
        var rows = new List<BalanceRow>();
        foreach (var (f, t) in AnalysisBuckets.Ranges(from, to, by))
        {
            var i0 = f.DayNumber - from.DayNumber;
            var i1 = t.DayNumber - from.DayNumber;
            var notes = new List<string>();
            int received = 0, expected = 0;
            double? Side(IReadOnlyList<(string Code, double Coefficient)> terms)
            {
                double sum = 0;
                var missing = false;
                foreach (var (code, coef) in terms)
                {
                    double? v = null;
                    for (var i = i0; i <= i1; i++)
                    {
                        var b = series[code].Buckets[i];
                        if (b.Value is { } x) v = (v ?? 0) + x;
                        received += b.Quality.Received;
                        expected += b.Quality.Expected;
                    }
                    if (v is null) { notes.Add($"{code}: no readings in this period"); missing = true; }
                    else sum += coef * v.Value;
                }
                return missing ? null : sum;
            }
            var m = Side(masterTerms);
            var s = Side(subTerms);
            double? imbalance = m is { } mv && s is { } sv ? mv - sv : null;
            double? pct = imbalance is { } im && m is { } mm && mm != 0 ? im / mm * 100 : null;
            bool? flagged = pct is { } p ? Math.Abs(p) > tolerancePct : null;
            var completeness = expected == 0 ? 1 : Math.Min(1.0, (double)received / expected);
            if (flagged == true)
                notes.Add($"balance: the master exceeds the sub meters by {pct!.Value.ToString("0.##", Inv)} % ({Num(imbalance!.Value)} kWh), more than the tolerance " +
                          $"{tolerancePct.ToString("0.##", Inv)} %" + (imbalance < 0 ? " (negative: the sub meters read more than the master)" : ""));
            if (completeness < 1)
                notes.Add($"completeness: {(completeness * 100).ToString("0.##", Inv)} % of the expected readings were received");
            rows.Add(new BalanceRow(clock.ToLocalOffset(clock.StartOfDay(f)), clock.ToLocalOffset(clock.StartOfDay(t.AddDays(1))), m, s, imbalance, pct, flagged,
                completeness, notes));
        }
        return new BalanceReport(groupCode, groupName, master!.Trim(), sub!.Trim(), tolerancePct, rows);
    }

    internal static IReadOnlyList<(string Code, double Coefficient)> Formula(ParkRegistry reg, string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new ValidationException(field, $"'{field}' is required (meter codes, e.g. 'b1_in1 + b1_in2')");
        LinearFormula f;
        try { f = LinearFormula.Parse(text); }
        catch (Exception e) when (e is FormatException or ArgumentException) { throw new ValidationException(field, $"'{field}': {e.Message}"); }
        foreach (var (code, _) in f.Terms)
        {
            if (!reg.MetersByCode.TryGetValue(code, out var m)) throw new ValidationException(field, $"'{field}': unknown meter '{code}' in park '{reg.Park.Code}'");
            if (m.Carrier != Carrier.Electricity || m.IsInstantaneous)
                throw new ValidationException(field, $"'{field}': meter '{code}' is not an electricity energy meter");
        }
        return f.Terms;
    }

    private static string Num(double v) => v.ToString("#,0.###", Inv);
}
