using System.Globalization;
using ZeroPark.Domain;
using ZeroPark.EnergyManagement;
using ZeroPark.Metering;

namespace ZeroPark.Application.EnergyManagement;


/// <summary>
/// Energy management queries of a park or of one of its spaces (building, floor, room) over local dates from..to (both
/// inclusive): KPIs (<see cref="KpiAsync"/>), the split by subsystem (<see cref="BreakdownAsync"/>) and the energy flow
/// (<see cref="FlowAsync"/>). Every energy comes from <see cref="ZeroPark.Application.Readings.ReadingQueries.SeriesAsync"/> over role and system nodes, so
/// from the pre-aggregated rollups; virtual loss meters are included the way node sums include them.
/// <para>Inputs: E_grid = Σ facility_input, on-site renewable = Σ renewable_onsite, export = Σ export, E_IT = Σ it_load
/// (electricity); cooling, power and auxiliary = the <c>cooling</c>, <c>power</c> and <c>aux</c> system nodes (summable meters
/// and virtual loss meters); water = Σ water_input (m³); reused = Σ reused_heat (any energy carrier, kWh).</para>
/// </summary>
public sealed class EnergyService(ZeroParkStore store, ICueEmissionSource cueSource)
{
    /// <summary>Without dependency injection (tests, tools): the carbon module's CUE source over the same store.</summary>
    public EnergyService(ZeroParkStore store) : this(store, new Carbon.CarbonService(store)) { }

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>One input of the calculations: meters with a KPI role (any of the carriers) or summable meters of a system subtree.</summary>
    private sealed record InputDef(string Key, MeterRole? Role, string? System, Carrier[] Carriers, string What);

    private static readonly Carrier[] EnergyCarriers = Codes.Carriers.Where(c => MeterUnits.DimensionOf(c) == Dimension.Energy).ToArray();

    private static readonly InputDef Facility = new("facility_input", MeterRole.FacilityInput, null, [Carrier.Electricity], "facility_input (grid incoming) meter");
    private static readonly InputDef Renewable = new("renewable_onsite", MeterRole.RenewableOnsite, null, [Carrier.Electricity, Carrier.PvGeneration], "renewable_onsite meter");
    private static readonly InputDef Export = new("export", MeterRole.Export, null, [Carrier.Electricity, Carrier.ExportedElectricity], "export meter");
    private static readonly InputDef It = new("it", MeterRole.ItLoad, null, [Carrier.Electricity], "it_load meter");
    private static readonly InputDef Cooling = new("cooling", null, "cooling", [Carrier.Electricity], "electricity meter in system 'cooling'");
    private static readonly InputDef Power = new("power", null, "power", [Carrier.Electricity], "electricity meter in system 'power' (losses)");
    private static readonly InputDef Aux = new("aux", null, "aux", [Carrier.Electricity], "electricity meter in system 'aux'");
    private static readonly InputDef Water = new("water", MeterRole.WaterInput, null, [Carrier.Water], "water_input meter");
    private static readonly InputDef Reused = new("reused", MeterRole.ReusedHeat, null, EnergyCarriers, "reused_heat meter");
    /// <summary>The cooling load (heat removed by the cooling system, kWh thermal): chilled-water energy meters under <c>cooling</c>.</summary>
    private static readonly InputDef CoolingLoad = new("cooling_load", null, "cooling", [Carrier.ChilledWater], "chilled_water (cooling load) meter in system 'cooling'");

    private static readonly InputDef[] KpiDefs = [Facility, Renewable, Export, It, Cooling, Power, Aux, Water, Reused, CoolingLoad];
    private static readonly InputDef[] BalanceDefs = [Facility, Renewable, Export, It, Cooling, Power, Aux];

    /// <summary>Top-level systems of the breakdown, in display order.</summary>
    private static readonly string[] Subsystems = ["it", "cooling", "power", "aux"];

    // ------------------------------------------------------------------ KPIs

    /// <summary>KPIs per bucket, with their inputs, completeness and notes.</summary>
    public async Task<IReadOnlyList<KpiRow>> KpiAsync(string parkCode, string? node, DateOnly from, DateOnly to, EnergyBucketing by, CancellationToken ct = default)
    {
        var ctx = await ContextAsync(parkCode, node, from, to, by, ct);
        var data = await FetchAsync(ctx, KpiDefs.Where(ctx.Has).Select(d => (d.Key, Targets(ctx, d))), ct);
        var boundary = Boundary(ctx);
        var park = ctx.Registry.Park;
        // CUE (one definition, Cue): grid electricity × each day's location factor + combustion per day, summed over each bucket.
        var cue = await cueSource.CueDailyAsync(park.Code, node, from, to, ct);
        var gridFactor = cue.GridFactor;
        var emissionDays = cue.Days;
        var rows = new List<KpiRow>(ctx.Buckets.Count);
        for (var i = 0; i < ctx.Buckets.Count; i++)
        {
            var (start, end) = ctx.Buckets[i];
            var notes = new List<string>();
            var quality = InputNotes(ctx, data, i, KpiDefs, notes);
            if (ctx.Space is not null)
                notes.Add($"it_load_rate, rack_utilisation: design IT capacity and racks are recorded for the park only, not for node '{ctx.NodeCode}'");
            var completeness = quality.Count == 0 ? 1 : quality.Min(q => q.Completeness);
            var inputs = new KpiInputs
            {
                Period = end - start,
                FacilityInput = EnergyOf(data, Facility, i),
                RenewableOnsite = EnergyOf(data, Renewable, i),
                Exported = EnergyOf(data, Export, i),
                It = EnergyOf(data, It, i),
                Cooling = EnergyOf(data, Cooling, i),
                PowerLosses = EnergyOf(data, Power, i),
                Auxiliary = EnergyOf(data, Aux, i),
                Water = data.TryGetValue(Water.Key, out var w) && w[i].Value is { } m3 ? Volume.FromCubicMetres(m3) : null,
                Reused = EnergyOf(data, Reused, i),
                HeatRemoved = EnergyOf(data, CoolingLoad, i),
                DesignItPower = ctx.Space is null ? park.DesignItCapacity : null,
                RacksTotal = ctx.Space is null ? park.RacksTotal : null,
                RacksInUse = ctx.Space is null ? park.RacksInUse : null,
                Completeness = completeness,
            };
            if (gridFactor(ctx.Registry.Clock.LocalDate(start.ToUnixTimeSeconds())) is { } gf)
            {
                var days = emissionDays.Where(d => d.Start >= start && d.Start < end).ToList();
                var combustion = Emissions.FromTonnesCo2e(days.Sum(d => d.CombustionT));
                inputs = inputs with
                {
                    GridEmissionFactor = gf.EnergyFactor,
                    GridEmissions = days.Any(d => d.HasGrid) ? Emissions.FromTonnesCo2e(days.Sum(d => d.GridLocationT)) : null,
                    OtherEmissions = combustion,
                };
                notes.Add($"cue: grid electricity × {gf.Record.Value.ToString(Inv)} {gf.Record.Unit} ({gf.Record.Citation}, the location-based factor of each day) " +
                          $"+ on-site combustion {combustion.TonnesCo2e.ToString("0.######", Inv)} tCO2e ÷ IT energy ({Cue.Formula})");
            }
            var result = KpiCalculator.Compute(inputs);
            notes.AddRange(result.Notes.Select(n => n.ToString()));
            rows.Add(new KpiRow(start, end, ctx.NodeCode, result, completeness, quality, notes, boundary));
        }
        return rows;
    }

    // ------------------------------------------------------------------ breakdown

    /// <summary>Energy per subsystem (IT, cooling, power losses, auxiliary) and the unmetered remainder per bucket; with
    /// <paramref name="detail"/>, also every system one level below (cooling.chiller, aux.lighting, …) that has meters.</summary>
    public async Task<IReadOnlyList<BreakdownRow>> BreakdownAsync(string parkCode, string? node, DateOnly from, DateOnly to, EnergyBucketing by,
        bool detail = false, CancellationToken ct = default)
    {
        var ctx = await ContextAsync(parkCode, node, from, to, by, ct);
        var children = detail ? ChildSystems(ctx, Subsystems) : [];
        var specs = BalanceDefs.Where(ctx.Has).Select(d => (d.Key, Targets(ctx, d)))
            .Concat(children.Select(c => ("sys:" + c.Code, (IReadOnlyList<SeriesTarget>)[SeriesTarget.Node(ctx.SpaceCode, system: c.Code, carrier: Carrier.Electricity)])));
        var data = await FetchAsync(ctx, specs, ct);
        var rows = new List<BreakdownRow>(ctx.Buckets.Count);
        for (var i = 0; i < ctx.Buckets.Count; i++)
        {
            var (start, end) = ctx.Buckets[i];
            var notes = new List<string>();
            var quality = InputNotes(ctx, data, i, BalanceDefs, notes);
            var completeness = quality.Count == 0 ? 1 : quality.Min(q => q.Completeness);
            var total = TotalOf(data, i);
            var it = EnergyOf(data, It, i);
            var cooling = EnergyOf(data, Cooling, i);
            var power = EnergyOf(data, Power, i);
            var aux = EnergyOf(data, Aux, i);
            Energy? unmetered = total is { } t ? t - (it ?? Energy.Zero) - (cooling ?? Energy.Zero) - (power ?? Energy.Zero) - (aux ?? Energy.Zero) : null;
            if (unmetered is { } u && total is { KilowattHours: > 0 } tt && Math.Abs(u / tt) > KpiCalculator.BalanceTolerance)
                notes.Add(u.KilowattHours > 0
                    ? $"unmetered: {Kwh(u)} ({Pct(u / tt)} of the total input) is not covered by IT, cooling, power or auxiliary meters"
                    : $"unmetered: the subsystem meters add up to {Kwh(-u)} ({Pct(-u / tt)}) more than the total input (a load metered twice, or a source outside this node)");
            if (completeness < 1)
                notes.Add($"completeness: {Pct(completeness)} of the expected readings were received; values are not extrapolated");
            var systems = new List<SystemEnergy>();
            foreach (var top in Subsystems)
            {
                var n = SystemTaxonomy.Get(top);
                var value = top switch { "it" => it, "cooling" => cooling, "power" => power, _ => aux };
                systems.Add(new SystemEnergy(top, n.NameZh, n.NameEn, null, value));
                foreach (var c in children.Where(c => c.ParentCode == top))
                    systems.Add(new SystemEnergy(c.Code, c.NameZh, c.NameEn, top, data["sys:" + c.Code][i].Value is { } v ? Energy.FromKilowattHours(v) : null));
            }
            if (children.Count > 0)
                notes.Add("systems: 'it' is the it_load role; its children are system nodes it.* (meters attached to a parent system directly are in the parent only)");
            rows.Add(new BreakdownRow(start, end, ctx.NodeCode, total, it, cooling, power, aux, unmetered, systems, completeness, notes));
        }
        return rows;
    }

    // ------------------------------------------------------------------ flow

    /// <summary>Sankey data per bucket (electricity): sources → power distribution → loads and losses, balanced by an explicit
    /// unmetered remainder.</summary>
    public async Task<IReadOnlyList<EnergyFlow>> FlowAsync(string parkCode, string? node, DateOnly from, DateOnly to, EnergyBucketing by, CancellationToken ct = default)
    {
        var ctx = await ContextAsync(parkCode, node, from, to, by, ct);
        var reg = ctx.Registry;
        var grid = ctx.Meters.Where(m => m.Role == MeterRole.FacilityInput && m.Carrier == Carrier.Electricity && !m.IsInstantaneous)
            .OrderBy(m => m.Code, StringComparer.Ordinal).ToList();
        // Power-system meters that node sums include, by loss class; "other" is what the power node has beyond the classified ones.
        var lossMeters = ctx.Meters.Where(m => m.Carrier == Carrier.Electricity && !m.IsInstantaneous && m.IsSummable && m.SystemCode is { } s
                && SystemTaxonomy.IsUnder(s, "power") && CountsInNodeSums(reg, m))
            .Select(m => (Meter: m, Class: LossClass(reg, m))).Where(x => x.Class != "other").ToList();
        var children = ChildSystems(ctx, ["cooling", "aux"]);
        var specs = BalanceDefs.Where(ctx.Has).Select(d => (d.Key, Targets(ctx, d)))
            .Concat(grid.Select(m => ("grid:" + m.Code, (IReadOnlyList<SeriesTarget>)[SeriesTarget.Meter(m.Code)])))
            .Concat(lossMeters.Select(x => ("loss:" + x.Meter.Code, (IReadOnlyList<SeriesTarget>)[SeriesTarget.Meter(x.Meter.Code)])))
            .Concat(children.Select(c => ("sys:" + c.Code, (IReadOnlyList<SeriesTarget>)[SeriesTarget.Node(ctx.SpaceCode, system: c.Code, carrier: Carrier.Electricity)])));
        var data = await FetchAsync(ctx, specs, ct);
        var flows = new List<EnergyFlow>(ctx.Buckets.Count);
        for (var i = 0; i < ctx.Buckets.Count; i++)
        {
            var (start, end) = ctx.Buckets[i];
            var notes = new List<string>();
            var quality = InputNotes(ctx, data, i, BalanceDefs, notes);
            var completeness = quality.Count == 0 ? 1 : quality.Min(q => q.Completeness);
            var g = new FlowGraph();
            const string hub = "power";
            g.Node(hub, "供配电系统", "Power distribution", "hub");

            // Sources
            Energy? input = null;
            foreach (var m in grid)
            {
                if (data["grid:" + m.Code][i].Value is not { } v) continue;
                var id = "grid:" + m.Code;
                g.Node(id, m.Name, m.Name, "source");
                g.Link(id, hub, Energy.FromKilowattHours(v));
                input = (input ?? Energy.Zero) + Energy.FromKilowattHours(v);
            }
            if (grid.Count == 0) notes.Add($"flow: no facility_input meter under '{ctx.NodeCode}': the diagram shows the metered loads only and no remainder");
            var pv = EnergyOf(data, Renewable, i);
            if (pv is { } pve)
            {
                var rn = SystemTaxonomy.Get("energy.pv");
                g.Node("renewable_onsite", rn.NameZh, "On-site renewable", "source");
                g.Link("renewable_onsite", hub, pve);
                if (input is not null) input += pve;
            }

            // Loads and losses
            var it = EnergyOf(data, It, i);
            var cooling = EnergyOf(data, Cooling, i);
            var aux = EnergyOf(data, Aux, i);
            var power = EnergyOf(data, Power, i);
            var export = EnergyOf(data, Export, i);
            void Load(string id, Energy? e, string kind)
            {
                if (e is not { } v) return;
                var n = SystemTaxonomy.IsKnown(id) ? SystemTaxonomy.Get(id) : null;
                g.Node(id, n?.NameZh ?? id, n?.NameEn ?? id, kind);
                g.Link(hub, id, v);
            }
            Load("it", it, "load");
            Load("cooling", cooling, "load");
            Load("aux", aux, "load");
            if (power is { } pw)
            {
                var classified = Energy.Zero;
                foreach (var cls in new[] { "transformer", "ups", "hvdc" })
                {
                    Energy? sum = null;
                    foreach (var (m, _) in lossMeters.Where(x => x.Class == cls))
                        if (data["loss:" + m.Code][i].Value is { } v) sum = (sum ?? Energy.Zero) + Energy.FromKilowattHours(v);
                    if (sum is not { } s) continue;
                    var (zh, en) = LossNames[cls];
                    g.Node("loss." + cls, zh, en, "loss");
                    g.Link(hub, "loss." + cls, s);
                    classified += s;
                }
                var other = pw - classified;
                if (Math.Abs(other.KilowattHours) > FlowGraph.Epsilon)
                {
                    g.Node("loss.other", "其他供配电损耗", "Other power losses", "loss");
                    g.Link(hub, "loss.other", other);
                }
            }
            if (export is { } ex)
            {
                g.Node("export", "上网/外送电量", "Export", "export");
                g.Link(hub, "export", ex);
            }

            // Second level: cooling and auxiliary by equipment type.
            foreach (var parent in new[] { "cooling", "aux" })
            {
                var pv2 = parent == "cooling" ? cooling : aux;
                if (pv2 is not { } parentEnergy) continue;
                var assigned = Energy.Zero;
                foreach (var c in children.Where(c => c.ParentCode == parent))
                {
                    if (data["sys:" + c.Code][i].Value is not { } v) continue;
                    g.Node(c.Code, c.NameZh, c.NameEn, "load");
                    g.Link(parent, c.Code, Energy.FromKilowattHours(v));
                    assigned += Energy.FromKilowattHours(v);
                }
                var rest = parentEnergy - assigned;
                if (assigned.KilowattHours > 0 && rest.KilowattHours > FlowGraph.Epsilon)
                {
                    var n = SystemTaxonomy.Get(parent);
                    g.Node(parent + ".unassigned", n.NameZh + "（未分项）", n.NameEn + " (not itemised)", "load");
                    g.Link(parent, parent + ".unassigned", rest);
                }
            }

            // Balance of the hub: the remainder is shown, never hidden.
            Energy? metered = null;
            Energy? unmetered = null;
            bool? balanced = null;
            if (input is { } inE)
            {
                metered = (it ?? Energy.Zero) + (cooling ?? Energy.Zero) + (aux ?? Energy.Zero) + (power ?? Energy.Zero) + (export ?? Energy.Zero);
                unmetered = inE - metered.Value;
                var u = unmetered.Value;
                balanced = inE.KilowattHours > 0 ? Math.Abs(u / inE) <= KpiCalculator.BalanceTolerance : Math.Abs(u.KilowattHours) <= FlowGraph.Epsilon;
                if (u.KilowattHours > FlowGraph.Epsilon)
                {
                    g.Node("unmetered", "未计量", "Unmetered remainder", "unmetered");
                    g.Link(hub, "unmetered", u);
                }
                else if (u.KilowattHours < -FlowGraph.Epsilon)
                {
                    g.Node("unmetered_supply", "未计量来源（分项超出总量）", "Unmetered supply (loads exceed inputs)", "unmetered");
                    g.Link("unmetered_supply", hub, -u);
                }
                if (balanced == false)
                    notes.Add(u.KilowattHours > 0
                        ? $"balance: {Kwh(u)} ({Pct(u / inE)} of the input) reaches no metered load: shown as 'unmetered'"
                        : $"balance: the metered loads exceed the inputs by {Kwh(-u)} ({Pct(-u / inE)}): shown as 'unmetered_supply' (a load metered twice, or a source outside this node)");
            }
            if (completeness < 1)
                notes.Add($"completeness: {Pct(completeness)} of the expected readings were received; flows are not extrapolated");
            flows.Add(new EnergyFlow(start, end, ctx.NodeCode, g.Nodes(), g.Links, input, metered, unmetered, balanced, completeness, notes));
        }
        return flows;
    }

    // ------------------------------------------------------------------ water and heat flows

    /// <summary>Water flow (Sankey, m³) per bucket: each water_input meter (<c>water:&lt;code&gt;</c>) → site water (<c>water</c>) →
    /// the systems that use it, with the unmetered remainder explicit. A system's use is the sum of the water sub-meters under it
    /// (carrier water, role submeter) when it has any, else the water_input meters attached to it (a dedicated supply such as the
    /// cooling towers' make-up water). Uses are grouped one level below the top system (<c>cooling.tower</c>, <c>aux.office</c>, …);
    /// a meter without a system is <c>other</c>.</summary>
    public async Task<IReadOnlyList<WaterFlow>> WaterFlowAsync(string parkCode, string? node, DateOnly from, DateOnly to, EnergyBucketing by, CancellationToken ct = default)
    {
        var ctx = await ContextAsync(parkCode, node, from, to, by, ct);
        var water = ctx.Meters.Where(m => m.Carrier == Carrier.Water && !m.IsInstantaneous).ToList();
        var inputs = water.Where(m => m.Role == MeterRole.WaterInput).OrderBy(m => m.Code, StringComparer.Ordinal).ToList();
        var subs = water.Where(m => m.Role == MeterRole.Submeter && (!m.IsVirtual || CountsInNodeSums(ctx.Registry, m))).ToList();
        static string UseOf(Meter m) => m.SystemCode is { } s ? (s.Split('.') is { Length: > 1 } p ? p[0] + "." + p[1] : s) : "other";
        var useBySub = subs.GroupBy(UseOf).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        // Dedicated supplies: water_input meters attached to a system that has no water sub-meter of its own.
        var useByInput = inputs.Where(m => m.SystemCode is not null && !useBySub.ContainsKey(UseOf(m))).GroupBy(UseOf)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var uses = useBySub.Keys.Concat(useByInput.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var codes = inputs.Concat(subs).Select(m => m.Code).Distinct().ToList();
        IReadOnlyDictionary<string, SeriesResult> series = codes.Count == 0 ? new Dictionary<string, SeriesResult>()
            : await store.Queries.MeterSeriesAsync(ctx.Registry.Park.Code, codes, from, to, GranularityOf(by), ct);
        var flows = new List<WaterFlow>(ctx.Buckets.Count);
        for (var i = 0; i < ctx.Buckets.Count; i++)
        {
            var (start, end) = ctx.Buckets[i];
            var notes = new List<string>();
            int received = 0, expected = 0;
            double? Cell(Meter m)
            {
                double? v = null;
                foreach (var b in Slice(series[m.Code].Buckets, start, end))
                {
                    if (b.Value is { } x) v = (v ?? 0) + x;
                    received += b.Quality.Received;
                    expected += b.Quality.Expected;
                }
                return v;
            }
            var g = new FlowGraph();
            const string hub = "water";
            g.Node(hub, "用水总量", "Site water", "hub");
            double? input = null;
            foreach (var m in inputs)
            {
                if (Cell(m) is not { } v) continue;
                g.Node("water:" + m.Code, m.Name, m.Name, "source");
                g.Link("water:" + m.Code, hub, v);
                input = (input ?? 0) + v;
            }
            if (inputs.Count == 0) notes.Add($"flow: no water_input meter under '{ctx.NodeCode}': the diagram shows the metered uses only and no remainder");
            double? metered = null;
            foreach (var use in uses)
            {
                double? v = null;
                foreach (var m in useBySub.TryGetValue(use, out var ms) ? ms : useByInput[use])
                    if (Cell(m) is { } x) v = (v ?? 0) + x;
                if (v is not { } value) continue;
                var n = SystemTaxonomy.IsKnown(use) ? SystemTaxonomy.Get(use) : null;
                g.Node("use:" + use, n?.NameZh ?? "其他用水", n?.NameEn ?? "Other use", "load");
                g.Link(hub, "use:" + use, value);
                metered = (metered ?? 0) + value;
            }
            double? unmetered = null;
            bool? balanced = null;
            if (input is { } inV)
            {
                metered ??= 0;
                unmetered = inV - metered.Value;
                balanced = inV > 0 ? Math.Abs(unmetered.Value / inV) <= KpiCalculator.BalanceTolerance : Math.Abs(unmetered.Value) <= FlowGraph.Epsilon;
                if (unmetered > FlowGraph.Epsilon)
                {
                    g.Node("unmetered", "未计量用水", "Unmetered use", "unmetered");
                    g.Link(hub, "unmetered", unmetered.Value);
                }
                else if (unmetered < -FlowGraph.Epsilon)
                {
                    g.Node("unmetered_supply", "未计量水源（分项超出总量）", "Unmetered supply (uses exceed inputs)", "unmetered");
                    g.Link("unmetered_supply", hub, -unmetered.Value);
                }
                if (balanced == false)
                    notes.Add(unmetered > 0
                        ? $"balance: {M3(unmetered.Value)} ({Pct(unmetered.Value / inV)} of the input) reaches no metered use: shown as 'unmetered'"
                        : $"balance: the metered uses exceed the inputs by {M3(-unmetered.Value)}: shown as 'unmetered_supply' (a use metered twice, or a supply outside this node)");
            }
            var completeness = expected == 0 ? 1 : Math.Min(1.0, (double)received / expected);
            if (completeness < 1)
                notes.Add($"completeness: {Pct(completeness)} of the expected readings were received; flows are not extrapolated");
            flows.Add(new WaterFlow(start, end, ctx.NodeCode, g.WaterNodes(), g.WaterLinks(), Vol(input), Vol(metered), Vol(unmetered), balanced, completeness, notes));
        }
        return flows;
    }

    /// <summary>Heat flow (Sankey, kWh thermal) per bucket: the heat the cooling system removes (Σ chilled_water meters under
    /// <c>cooling</c>: <c>cooling_load</c>; without such a meter, the IT electricity, which all ends as heat: <c>it_heat</c>, with a
    /// note) → collected heat (<c>heat</c>) → reused or exported heat (each reused_heat meter, <c>reused:&lt;code&gt;</c>) and the
    /// remainder, the heat rejected to the atmosphere by towers and dry coolers, which no meter measures: <c>rejected</c>
    /// (kind unmetered). When the reused heat exceeds the source, an <c>unmetered_supply</c> source shows the difference.</summary>
    public async Task<IReadOnlyList<EnergyFlow>> HeatFlowAsync(string parkCode, string? node, DateOnly from, DateOnly to, EnergyBucketing by, CancellationToken ct = default)
    {
        var ctx = await ContextAsync(parkCode, node, from, to, by, ct);
        var reused = ctx.MetersOf(Reused).OrderBy(m => m.Code, StringComparer.Ordinal).ToList();
        var specs = new[] { It, CoolingLoad }.Where(ctx.Has).Select(d => (d.Key, Targets(ctx, d)))
            .Concat(reused.Select(m => ("reused:" + m.Code, (IReadOnlyList<SeriesTarget>)[SeriesTarget.Meter(m.Code)])));
        var data = await FetchAsync(ctx, specs, ct);
        var flows = new List<EnergyFlow>(ctx.Buckets.Count);
        for (var i = 0; i < ctx.Buckets.Count; i++)
        {
            var (start, end) = ctx.Buckets[i];
            var notes = new List<string>();
            var quality = new List<InputQuality>();
            foreach (var key in data.Keys)
                quality.Add(new InputQuality(key, data[key][i].Received, data[key][i].Expected));
            var completeness = quality.Count == 0 ? 1 : quality.Min(q => q.Completeness);
            var g = new FlowGraph();
            const string hub = "heat";
            g.Node(hub, "制冷系统排热", "Heat collected by cooling", "hub");
            Energy? input = null;
            if (EnergyOf(data, CoolingLoad, i) is { } load)
            {
                g.Node("cooling_load", "制冷量（冷量表）", "Cooling load (heat meters)", "source");
                g.Link("cooling_load", hub, load);
                input = load;
            }
            else if (EnergyOf(data, It, i) is { } it)
            {
                g.Node("it_heat", "IT设备散热（按IT电量）", "IT heat (= IT electricity)", "source");
                g.Link("it_heat", hub, it);
                input = it;
                notes.Add($"heat: no cooling-load reading under '{ctx.NodeCode}' (chilled_water meter in system 'cooling'): the heat source is the IT electricity, which all ends as heat");
            }
            else notes.Add($"heat: neither a cooling-load (chilled_water) nor an it_load reading under '{ctx.NodeCode}': no heat source, no remainder");
            Energy? metered = null;
            foreach (var m in reused)
            {
                if (data["reused:" + m.Code][i].Value is not { } v) continue;
                g.Node("reused:" + m.Code, m.Name, m.Name, "export");
                g.Link(hub, "reused:" + m.Code, Energy.FromKilowattHours(v));
                metered = (metered ?? Energy.Zero) + Energy.FromKilowattHours(v);
            }
            if (reused.Count == 0) notes.Add($"reused: no reused_heat meter under '{ctx.NodeCode}'");
            Energy? unmetered = null;
            bool? balanced = null;
            if (input is { } inE)
            {
                metered ??= Energy.Zero;
                unmetered = inE - metered.Value;
                var u = unmetered.Value.KilowattHours;
                balanced = inE.KilowattHours > 0 ? Math.Abs(u / inE.KilowattHours) <= KpiCalculator.BalanceTolerance : Math.Abs(u) <= FlowGraph.Epsilon;
                if (u > FlowGraph.Epsilon)
                {
                    g.Node("rejected", "排至大气（未计量）", "Rejected to atmosphere (unmetered)", "unmetered");
                    g.Link(hub, "rejected", u);
                    notes.Add($"balance: {Kwh(unmetered.Value)} ({Pct(u / inE.KilowattHours)} of the heat) is not reused: rejected to the atmosphere, shown as 'rejected' (no meter measures it)");
                }
                else if (u < -FlowGraph.Epsilon)
                {
                    g.Node("unmetered_supply", "未计量热源（回收量超出）", "Unmetered heat source (reuse exceeds the source)", "unmetered");
                    g.Link("unmetered_supply", hub, -u);
                    notes.Add($"balance: the reused heat exceeds the heat source by {Kwh(-unmetered.Value)}: shown as 'unmetered_supply'");
                }
            }
            if (completeness < 1)
                notes.Add($"completeness: {Pct(completeness)} of the expected readings were received; flows are not extrapolated");
            flows.Add(new EnergyFlow(start, end, ctx.NodeCode, g.Nodes(), g.Links, input, metered, unmetered, balanced, completeness, notes) { Carrier = "heat" });
        }
        return flows;
    }

    /// <summary>The flow of one carrier: <c>electricity</c> (<see cref="FlowAsync(string, string?, DateOnly, DateOnly, EnergyBucketing, CancellationToken)"/>),
    /// <c>water</c> (<see cref="WaterFlowAsync"/>) or <c>heat</c> (<see cref="HeatFlowAsync"/>), as wire views.</summary>
    public async Task<List<FlowView>> FlowViewsAsync(string parkCode, string? node, DateOnly from, DateOnly to, EnergyBucketing by, string? carrier,
        CancellationToken ct = default) => (carrier ?? "electricity").Trim().ToLowerInvariant() switch
    {
        "" or "electricity" => (await FlowAsync(parkCode, node, from, to, by, ct)).Select(FlowView.From).ToList(),
        "heat" => (await HeatFlowAsync(parkCode, node, from, to, by, ct)).Select(FlowView.From).ToList(),
        "water" => (await WaterFlowAsync(parkCode, node, from, to, by, ct)).Select(FlowView.From).ToList(),
        _ => throw new ValidationException("carrier", $"'carrier': '{carrier}' is not one of electricity, water, heat"),
    };

    /// <summary>The buckets of <paramref name="buckets"/> inside [start, end).</summary>
    private static IEnumerable<SeriesBucket> Slice(IReadOnlyList<SeriesBucket> buckets, DateTimeOffset start, DateTimeOffset end) =>
        buckets.Where(b => b.Start >= start && b.Start < end);

    private static Volume? Vol(double? m3) => m3 is { } v ? Volume.FromCubicMetres(v) : null;
    private static string M3(double m3) => m3.ToString("#,0.###", Inv) + " m³";

    private static readonly Dictionary<string, (string Zh, string En)> LossNames = new(StringComparer.Ordinal)
    {
        ["transformer"] = ("变压器损耗", "Transformer losses"),
        ["ups"] = ("UPS损耗", "UPS losses"),
        ["hvdc"] = ("HVDC损耗", "HVDC losses"),
    };

    /// <summary>Nodes and links of one diagram (in the carrier's unit: kWh, or m³ for water); links below <see cref="Epsilon"/> are
    /// left out. A node's value is the larger of its inflow and outflow.</summary>
    private sealed class FlowGraph
    {
        public const double Epsilon = 0.0005;
        private readonly List<(string Id, string Zh, string En, string Kind)> _nodes = [];
        private readonly List<(string Source, string Target, double Value)> _links = [];

        public void Node(string id, string zh, string en, string kind)
        {
            if (!_nodes.Exists(n => n.Id == id)) _nodes.Add((id, zh, en, kind));
        }

        public void Link(string source, string target, Energy e) => Link(source, target, e.KilowattHours);

        public void Link(string source, string target, double value)
        {
            if (Math.Abs(value) > Epsilon) _links.Add((source, target, value));
        }

        private IEnumerable<(string Id, string Zh, string En, string Kind, double Value)> Values() => _nodes
            .Select(n =>
            {
                var inflow = _links.Where(l => l.Target == n.Id).Sum(l => l.Value);
                var outflow = _links.Where(l => l.Source == n.Id).Sum(l => l.Value);
                return (n.Id, n.Zh, n.En, n.Kind, Math.Max(inflow, outflow));
            })
            .Where(n => _links.Exists(l => l.Source == n.Id || l.Target == n.Id));

        public IReadOnlyList<FlowNode> Nodes() => Values().Select(n => new FlowNode(n.Id, n.Zh, n.En, n.Kind, Energy.FromKilowattHours(n.Value))).ToList();
        public List<FlowLink> Links => _links.Select(l => new FlowLink(l.Source, l.Target, Energy.FromKilowattHours(l.Value))).ToList();
        public IReadOnlyList<WaterFlowNode> WaterNodes() => Values().Select(n => new WaterFlowNode(n.Id, n.Zh, n.En, n.Kind, Volume.FromCubicMetres(n.Value))).ToList();
        public IReadOnlyList<WaterFlowLink> WaterLinks() => _links.Select(l => new WaterFlowLink(l.Source, l.Target, Volume.FromCubicMetres(l.Value))).ToList();
    }

    /// <summary>Loss class of a power-system meter: by its own system (power.transformer, power.ups, power.hvdc); for a virtual
    /// meter under power.loss, by the system of the meters it subtracts (downstream: <c>ups_in − ups_out</c> is a UPS loss,
    /// <c>incoming − transformer_lv</c> a transformer loss), then of those it adds; else by its device name.</summary>
    internal static string LossClass(ParkRegistry reg, Meter m)
    {
        static string? ClassOf(string? sys) =>
            sys is null ? null
            : SystemTaxonomy.IsUnder(sys, "power.transformer") ? "transformer"
            : SystemTaxonomy.IsUnder(sys, "power.ups") ? "ups"
            : SystemTaxonomy.IsUnder(sys, "power.hvdc") ? "hvdc"
            : null;
        if (ClassOf(m.SystemCode) is { } own) return own;
        if (m.IsVirtual)
        {
            var terms = LinearFormula.Parse(m.Formula!).Terms;
            foreach (var (code, _) in terms.Where(t => t.Coefficient < 0).Concat(terms.Where(t => t.Coefficient > 0)))
                if (reg.MetersByCode.TryGetValue(code, out var x) && ClassOf(x.SystemCode) is { } c) return c;
        }
        var device = (m.Device ?? "").ToLowerInvariant();
        return device.Contains("ups", StringComparison.Ordinal) ? "ups"
            : device.Contains("hvdc", StringComparison.Ordinal) || device.Contains("高压直流", StringComparison.Ordinal) ? "hvdc"
            : device.Contains("transformer", StringComparison.Ordinal) || device.Contains("变压器", StringComparison.Ordinal) ? "transformer"
            : "other";
    }

    /// <summary>Whether node sums include the meter: physical meters always; a virtual meter only when all the physical meters it
    /// expands to are left out of node sums (as <see cref="ZeroPark.Application.Readings.ReadingQueries.SeriesAsync"/> decides), else it would count them twice.</summary>
    private static bool CountsInNodeSums(ParkRegistry reg, Meter m)
    {
        if (!m.IsVirtual) return true;
        var stack = new Stack<(Meter M, int Depth)>();
        stack.Push((m, 0));
        while (stack.Count > 0)
        {
            var (x, depth) = stack.Pop();
            if (depth > 32) return false;    // a cycle: the store refuses such formulas anyway
            if (!x.IsVirtual)
            {
                if (x.IsSummable) return false;
                continue;
            }
            foreach (var (code, _) in LinearFormula.Parse(x.Formula!).Terms)
            {
                if (!reg.MetersByCode.TryGetValue(code, out var inner)) return false;
                stack.Push((inner, depth + 1));
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ plumbing

    private sealed record Ctx(ParkRegistry Registry, Space? Space, string NodeCode, DateOnly From, DateOnly To, EnergyBucketing By,
        IReadOnlyList<(DateTimeOffset Start, DateTimeOffset End)> Buckets, IReadOnlyList<Meter> Meters)
    {
        public string? SpaceCode => Space?.Code;

        /// <summary>Meters of the node that make up the input.</summary>
        public IEnumerable<Meter> MetersOf(InputDef d) => Meters.Where(m => !m.IsInstantaneous && d.Carriers.Contains(m.Carrier)
            && (d.Role is { } r
                ? m.Role == r
                : m.IsSummable && m.SystemCode is { } s && SystemTaxonomy.IsUnder(s, d.System!) && CountsInNodeSums(Registry, m)));

        public bool Has(InputDef d) => MetersOf(d).Any();
    }

    private async Task<Ctx> ContextAsync(string parkCode, string? node, DateOnly from, DateOnly to, EnergyBucketing by, CancellationToken ct)
    {
        if (to < from) throw new ValidationException("to", $"'to' ({to:yyyy-MM-dd}) is before 'from' ({from:yyyy-MM-dd})");
        if (to.DayNumber - from.DayNumber > 366 * 20) throw new ValidationException("to", "range is longer than 20 years");
        var reg = await store.Registry.GetRegistryAsync(parkCode, ct);
        Space? space = null;
        var code = string.IsNullOrWhiteSpace(node) ? reg.Park.Code : node.Trim();
        if (code != reg.Park.Code && !reg.SpacesByCode.TryGetValue(code, out space))
            throw new NotFoundException($"node '{code}' not found in park '{reg.Park.Code}' (expected a building, floor or room code, or the park code)");
        var clock = reg.Clock;
        IReadOnlyList<(DateTimeOffset, DateTimeOffset)> buckets = by == EnergyBucketing.Total
            ? [(clock.ToLocalOffset(clock.StartOfDay(from)), clock.ToLocalOffset(clock.StartOfDay(to.AddDays(1))))]
            : clock.Buckets(from, to, GranularityOf(by)).Select(b => (clock.ToLocalOffset(b.Start), clock.ToLocalOffset(b.End))).ToList();
        var meters = reg.MetersById.Values.Where(m => space is null || reg.IsUnder(m.SpaceId, space.Id)).ToList();
        return new Ctx(reg, space, code, from, to, by, buckets, meters);
    }

    private static Granularity GranularityOf(EnergyBucketing by) => by switch
    {
        EnergyBucketing.Day => Granularity.Day,
        EnergyBucketing.Month => Granularity.Month,
        _ => Granularity.Year,
    };

    private static IReadOnlyList<SeriesTarget> Targets(Ctx ctx, InputDef d) => d.Role is { } r
        ? ctx.MetersOf(d).Select(m => m.Carrier).Distinct().Order().Select(c => SeriesTarget.Node(ctx.SpaceCode, role: r, carrier: c)).ToList()
        : [SeriesTarget.Node(ctx.SpaceCode, system: d.System, carrier: d.Carriers[0])];

    /// <summary>The systems one level below <paramref name="parents"/> that have meters counted in the node's sums.</summary>
    private static List<SystemNode> ChildSystems(Ctx ctx, IReadOnlyList<string> parents) => SystemTaxonomy.All
        .Where(n => n.ParentCode is { } p && parents.Contains(p)
                    && ctx.Meters.Any(m => m.Carrier == Carrier.Electricity && !m.IsInstantaneous && m.IsSummable && m.SystemCode is { } s
                                           && SystemTaxonomy.IsUnder(s, n.Code) && CountsInNodeSums(ctx.Registry, m)))
        .ToList();

    /// <summary>One input's value and readings in one bucket (several targets summed).</summary>
    private readonly record struct Cell(double? Value, int Received, int Expected);

    /// <summary>Runs the series queries (concurrently) and folds them onto the context's buckets.</summary>
    private async Task<Dictionary<string, Cell[]>> FetchAsync(Ctx ctx, IEnumerable<(string Key, IReadOnlyList<SeriesTarget> Targets)> specs, CancellationToken ct)
    {
        var g = GranularityOf(ctx.By);
        var list = specs.ToList();
        var tasks = list.SelectMany(s => s.Targets.Select(t => (s.Key, Task: store.Queries.SeriesAsync(ctx.Registry.Park.Code, t, ctx.From, ctx.To, g, ct)))).ToList();
        await Task.WhenAll(tasks.Select(t => t.Task));
        var data = new Dictionary<string, Cell[]>(StringComparer.Ordinal);
        foreach (var (key, _) in list) data[key] = new Cell[ctx.Buckets.Count];
        foreach (var (key, task) in tasks)
        {
            var cells = data[key];
            var buckets = (await task).Buckets;
            for (var j = 0; j < buckets.Count; j++)
            {
                var i = ctx.By == EnergyBucketing.Total ? 0 : j;
                var b = buckets[j];
                var c = cells[i];
                cells[i] = new Cell(b.Value is { } v ? (c.Value ?? 0) + v : c.Value, c.Received + b.Quality.Received, c.Expected + b.Quality.Expected);
            }
        }
        return data;
    }

    private static Energy? EnergyOf(Dictionary<string, Cell[]> data, InputDef d, int i) =>
        data.TryGetValue(d.Key, out var cells) && cells[i].Value is { } v ? Energy.FromKilowattHours(v) : null;

    /// <summary>E_DC = grid + on-site renewable − export (null when the grid input is unknown), as in <see cref="KpiInputs.Total"/>.</summary>
    private static Energy? TotalOf(Dictionary<string, Cell[]> data, int i) =>
        new KpiInputs { Period = TimeSpan.FromHours(1), FacilityInput = EnergyOf(data, Facility, i), RenewableOnsite = EnergyOf(data, Renewable, i), Exported = EnergyOf(data, Export, i) }.Total;

    /// <summary>Notes about missing meters and readings of the inputs; returns the completeness of each input that has meters.</summary>
    private static List<InputQuality> InputNotes(Ctx ctx, Dictionary<string, Cell[]> data, int i, IEnumerable<InputDef> defs, List<string> notes)
    {
        var quality = new List<InputQuality>();
        foreach (var d in defs)
        {
            if (!data.TryGetValue(d.Key, out var cells))
            {
                if (d != Export && d != CoolingLoad) notes.Add($"{d.Key}: no {d.What} under '{ctx.NodeCode}'");
                continue;
            }
            var c = cells[i];
            var q = new InputQuality(d.Key, c.Received, c.Expected);
            quality.Add(q);
            if (c.Value is null) notes.Add($"{d.Key}: no readings in this period");
            else if (q.Completeness < 1)
                notes.Add($"{d.Key}: {Pct(q.Completeness)} complete ({c.Received} of {c.Expected} expected readings)");
        }
        return quality;
    }

    private static KpiBoundary Boundary(Ctx ctx)
    {
        static List<string> CodesOf(IEnumerable<Meter> ms) => ms.Select(m => m.Code).Order(StringComparer.Ordinal).ToList();
        var itCount = ctx.MetersOf(It).Count();
        return new KpiBoundary(
            "E_DC = Σ facility_input (grid) + Σ renewable_onsite − Σ export (electricity, kWh)",
            $"E_IT = Σ it_load ({itCount} meter{(itCount == 1 ? "" : "s")})",
            CodesOf(ctx.MetersOf(Facility)), CodesOf(ctx.MetersOf(Renewable)), CodesOf(ctx.MetersOf(Export)), itCount);
    }

    private static string Pct(double share) => (share * 100).ToString("0.##", Inv) + " %";
    private static string Kwh(Energy e) => e.KilowattHours.ToString("#,0.###", Inv) + " kWh";
}
