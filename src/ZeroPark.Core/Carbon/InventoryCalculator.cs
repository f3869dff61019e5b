using System.Globalization;
using ZeroPark.Domain;

namespace ZeroPark.Carbon;

/// <summary>
/// Turns activity data into a GHG inventory. Activities are first matched to their factors (per date: a factor is chosen for
/// the day the activity happened), then grouped so that one line holds activities with the same source, material, unit,
/// place and factors; each line is computed once from its total, so its arithmetic can be redone by hand:
/// <list type="bullet">
/// <item>combustion, China guideline: t × NCV (GJ/t) × CC (tC/GJ) × OF × 44/12; IPCC: TJ × (CO2, CH4, N2O kg/TJ) × GWP;</item>
/// <item>released gases: kg × GWP (blends Σ wᵢ·GWPᵢ); refrigerant mass balance Σ ± components per material;</item>
/// <item>electricity: location-based kWh × grid factor; market-based: instruments in hierarchy order (certificates, green
/// power, supplier rates) up to the grid consumption, the remainder at the residual factor;</item>
/// <item>purchased heat/steam/cooling and scope 3: amount × factor (converted to the factor's unit).</item>
/// </list>
/// </summary>
public static class InventoryCalculator
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private const double CarbonToCo2 = 44.0 / 12.0;
    /// <summary>T/CA 301: undivisible equipment counts as 1.1 × its weight in cold-rolled steel.</summary>
    public const double EquipmentSteelMultiplier = 1.1;
    public const string EquipmentSteelMaterial = "cold_rolled_steel";

    private static readonly Unit Tonne = Units.Parse("t");
    /// <summary>The units of an NCV given with an activity record (GJ per t, or per 10^4 Nm³ for gases), parsed once.</summary>
    private static readonly ParameterUnit GivenNcvPerMass = ParameterUnit.Parse("GJ/t");
    private static readonly ParameterUnit GivenNcvPerGasVolume = ParameterUnit.Parse("GJ/10^4Nm3");

    public static InventoryResult Compute(InventoryRequest req)
    {
        if (req.To < req.From) throw new CarbonException($"'to' ({req.To:yyyy-MM-dd}) is before 'from' ({req.From:yyyy-MM-dd})");
        var unresolved = new List<UnresolvedActivity>();
        var notes = new List<string>();
        var plans = new List<(Plan Plan, Activity Activity)>();
        foreach (var a in req.Activities.Where(a => a.Date >= req.From && a.Date <= req.To))
        {
            try
            {
                plans.Add((PlanFor(req, a), a));
            }
            catch (CarbonException e)
            {
                unresolved.Add(new UnresolvedActivity(a.Source, a.Material, a.Amount, a.Unit, a.Date, a.Origin, e.Message));
            }
        }

        var lines = new List<InventoryLine>();
        foreach (var g in plans.Where(p => p.Plan.Kind is PlanKind.Factor or PlanKind.Release)
                     .GroupBy(p => p.Plan.Key + "|" + p.Activity.Unit + "|" + p.Activity.Space + "|" + p.Activity.System + "|" + p.Activity.Scope3Category))
        {
            var first = g.First();
            var total = g.Sum(p => p.Activity.Amount);
            try
            {
                lines.Add(first.Plan.Kind switch
                {
                    PlanKind.Release => ReleaseLine(req, first.Plan, first.Activity, total, g.Select(p => p.Activity)),
                    _ => FactorLine(req, first.Plan, first.Activity, total, g.Select(p => p.Activity)),
                });
            }
            catch (CarbonException e)
            {
                unresolved.AddRange(g.Select(p => new UnresolvedActivity(p.Activity.Source, p.Activity.Material, p.Activity.Amount, p.Activity.Unit,
                    p.Activity.Date, p.Activity.Origin, e.Message)));
            }
        }
        lines.AddRange(MassBalanceLines(req, plans.Where(p => p.Plan.Kind == PlanKind.MassBalance).Select(p => p.Activity), notes));
        var topUps = lines.Where(l => l.Source == "refrigerant_leak").Select(l => l.Material).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var m in lines.Where(l => l.Source == "refrigerant_mass_balance" && topUps.Contains(l.Material)).Select(l => l.Material).Distinct())
            notes.Add($"{m}: both top-up records (refrigerant_leak) and a mass balance in the period — both are counted; keep one method per refrigerant");

        var electricity = plans.Where(p => p.Plan.Kind == PlanKind.Electricity).ToList();
        var (marketLines, market) = MarketBased(req, electricity, notes);
        lines.AddRange(marketLines);

        // Stable order and ids: scope, basis, source, material, space.
        var ordered = lines.OrderBy(l => l.Scope).ThenBy(l => l.Basis.Code(), StringComparer.Ordinal).ThenBy(l => l.Source, StringComparer.Ordinal)
            .ThenBy(l => l.Material, StringComparer.Ordinal).ThenBy(l => l.Space ?? "", StringComparer.Ordinal).ThenBy(l => l.Unit, StringComparer.Ordinal)
            .ThenBy(l => l.Factors.Count > 0 ? l.Factors[0].Id : 0)
            .Select((l, i) => l with { Id = "L" + (i + 1).ToString(Inv) }).ToList();
        Emissions Sum(Func<InventoryLine, bool> f) => ordered.Where(f).SumTonnes(l => l.Co2e);
        var totals = new InventoryTotals(
            Sum(l => l.Scope == GhgScope.Scope1),
            Sum(l => l.Scope == GhgScope.Scope2 && l.Basis != Scope2Basis.Market),
            Sum(l => l.Scope == GhgScope.Scope2 && l.Basis != Scope2Basis.Location),
            Sum(l => l.Scope == GhgScope.Scope3),
            Sum(l => l.Scope == GhgScope.Memo));
        if (unresolved.Count > 0)
            notes.Add($"incomplete: {unresolved.Count} activit{(unresolved.Count == 1 ? "y" : "ies")} could not be converted (see unresolved); the totals leave them out");
        return new InventoryResult
        {
            Boundary = req.Boundary, From = req.From, To = req.To, Method = req.Method, Gwp = req.Gwp, Totals = totals, Lines = ordered,
            Market = market, Unresolved = unresolved, Notes = notes,
        };
    }

    // ------------------------------------------------------------------ plans: factors chosen per activity

    private enum PlanKind
    {
        Factor,
        Release,
        MassBalance,
        Electricity,
    }

    /// <summary>How one activity is converted: its factors and conversion parameters (chosen for its date). Activities with the
    /// same key are summed into one line.</summary>
    private sealed record Plan(PlanKind Kind, SourceDef Source, string Material, GhgScope Scope, Scope2Basis Basis, int? Scope3Category,
        IReadOnlyList<FactorChoice> Factors, FactorChoice? Density, FactorChoice? Ncv, double? GivenDensity, double? GivenNcv,
        FactorChoice? Residual, string Key, bool EquipmentRule = false, string? Supplier = null);

    private static string? SupplierOf(Activity a) => string.IsNullOrWhiteSpace(a.Supplier) ? null : a.Supplier.Trim();

    private static Plan PlanFor(InventoryRequest req, Activity a)
    {
        var def = Sources.Get(a.Source);
        var material = a.Material.Trim();
        if (material.Length == 0) throw new CarbonException("material is empty");
        var quantity = a.Quantity;   // throws the unit message
        if (a.Amount < 0 && def.Calc != SourceCalc.MassBalance) throw new CarbonException($"amount {a.Amount.ToString(Inv)} is negative");
        int? cat = def.Scope == GhgScope.Scope3 ? a.Scope3Category ?? def.Scope3Category : null;
        if (def.Scope == GhgScope.Scope3 && cat is not (>= 1 and <= 15)) throw new CarbonException($"source '{def.Code}' needs a scope3_category 1–15");
        string Key(params object?[] parts) => string.Join('|', parts.Select(p => p?.ToString() ?? ""));

        switch (def.Calc)
        {
            case SourceCalc.Release:
            case SourceCalc.MassBalance:
                {
                    ReleasedMaterials.CompositionOf(material);  // validates
                    if (quantity.Dimension != UnitDimension.Mass)
                        throw new CarbonException($"unit '{a.Unit}': released gases are recorded by mass (kg, t)");
                    var scope = ReleasedMaterials.IsMemo(material) ? GhgScope.Memo : GhgScope.Scope1;
                    return new Plan(def.Calc == SourceCalc.Release ? PlanKind.Release : PlanKind.MassBalance, def, material, scope, Scope2Basis.None, null, [], null, null, null, null, null,
                        Key(def.Code, material));
                }
            case SourceCalc.Electricity:
                {
                    if (!material.Equals("electricity", StringComparison.OrdinalIgnoreCase))
                        throw new CarbonException($"material '{material}': purchased_electricity takes material 'electricity'");
                    if (quantity.Dimension != UnitDimension.Energy) throw new CarbonException($"unit '{a.Unit}': electricity is an energy (kWh, MWh)");
                    var loc = req.Library.Choose(FactorKind.Emission, "electricity", "CO2", a.Date, req.Method, req.Place, dataset: req.GridDataset)
                              ?? throw new CarbonException($"no {req.GridDataset} electricity factor valid on {a.Date:yyyy-MM-dd} for {Where(req.Place)}; add one (zeropark factors add) or choose another --grid-dataset");
                    // No residual mix recorded for the date: the grid average stands in, and the inventory says so.
                    var residual = req.Residual == ResidualMode.Location ? loc
                        : req.Library.Choose(FactorKind.Emission, "electricity_residual", "CO2", a.Date, req.Method, req.Place) ?? loc;
                    return new Plan(PlanKind.Electricity, def, "electricity", GhgScope.Scope2, Scope2Basis.Location, null, [loc], null, null, null, null, residual,
                        Key(def.Code, loc.Record.Id, residual.Record.Id));
                }
            default:
                {
                    var factorMaterial = material;
                    var equipment = false;
                    if (def.Calc == SourceCalc.PurchasedEnergy && material.Equals("steam", StringComparison.OrdinalIgnoreCase)
                        && !req.Library.Records.Any(r => r.Kind == FactorKind.Emission && r.Material.Equals("steam", StringComparison.OrdinalIgnoreCase)))
                        factorMaterial = "heat";   // steam is heat (热力) unless a steam factor is recorded
                    var application = def.Application;
                    // The activity's own place: the park's province and grid region, and the supplier of what was bought, so that
                    // supplier-level factors and product footprints of that supplier can win (issue 14: the place had no supplier).
                    var place = SupplierOf(a) is { } supplier ? req.Place with { Supplier = supplier } : req.Place;
                    var factors = ChooseAllGases(req, factorMaterial, a.Date, application, place);
                    if (factors.Count == 0 && def.Code == "equipment" && quantity.Dimension == UnitDimension.Mass)
                    {
                        factors = ChooseAllGases(req, EquipmentSteelMaterial, a.Date, application, place);
                        equipment = factors.Count > 0;
                    }
                    if (factors.Count == 0)
                        throw new CarbonException($"no emission factor for material '{factorMaterial}' valid on {a.Date:yyyy-MM-dd} for method {AccountingMethods.Code(req.Method)}" +
                                                  (def.Code == "equipment" ? $" (nor for {EquipmentSteelMaterial}, used for undivisible equipment by mass)" : "") +
                                                  "; add one with zeropark factors add");
                    var basisDim = factors[0].Record.EmissionUnit.Basis.Dimension;
                    if (factors.Any(f => f.Record.EmissionUnit.Basis.Dimension != basisDim))
                        throw new CarbonException($"factors of '{factorMaterial}' have bases of different dimensions");
                    var (density, ncv) = ChooseParameters(req, factorMaterial, a, basisDim, place);
                    var scope = def.Scope;
                    var basis = scope == GhgScope.Scope2 ? Scope2Basis.Both : Scope2Basis.None;
                    return new Plan(PlanKind.Factor, def, material, scope, basis, cat, factors, density, ncv, a.Density, a.Ncv, null,
                        Key(def.Code, material, string.Join(',', factors.Select(f => f.Record.Id)), density?.Record.Id, ncv?.Record.Id, a.Density, a.Ncv, cat, SupplierOf(a)),
                        equipment, SupplierOf(a));
                }
        }
    }

    /// <summary>Every gas with a factor for the material (CO2, CH4, N2O for IPCC fuels; CO2 for China guideline fuels).</summary>
    private static List<FactorChoice> ChooseAllGases(InventoryRequest req, string material, DateOnly date, string application, Place place)
    {
        var gases = req.Library.Records.Where(r => r.Kind == FactorKind.Emission && r.Material.Equals(material, StringComparison.OrdinalIgnoreCase) && r.Serves(req.Method))
            .Select(r => r.Gas).Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(g => g.Equals("CO2", StringComparison.OrdinalIgnoreCase) ? 0 : 1).ThenBy(g => g, StringComparer.Ordinal);
        return gases.Select(g => req.Library.Choose(FactorKind.Emission, material, g, date, req.Method, place, application))
            .Where(c => c is not null).Select(c => c!).ToList();
    }

    /// <summary>The density (liquid volume → mass) and NCV (mass or gas volume → energy) the conversion needs, if any.</summary>
    private static (FactorChoice? Density, FactorChoice? Ncv) ChooseParameters(InventoryRequest req, string material, Activity a, UnitDimension basis, Place place)
    {
        var dim = a.Quantity.Dimension;
        if (dim == basis) return (null, null);
        FactorChoice? density = null, ncv = null;
        if (dim == UnitDimension.LiquidVolume && basis is UnitDimension.Mass or UnitDimension.Energy)
        {
            if (a.Density is null)
                density = req.Library.Choose(FactorKind.Density, material, "", a.Date, req.Method, place)
                          ?? throw new CarbonException($"{a.Unit} of {material} needs a density (kg/L): give density=… in the note or add a density record");
            dim = UnitDimension.Mass;
        }
        if (dim is UnitDimension.Mass or UnitDimension.GasVolume && basis == UnitDimension.Energy)
        {
            var from = dim;
            if (a.Ncv is null)
                ncv = req.Library.Choose(FactorKind.Ncv, material, "", a.Date, req.Method, place,
                          accept: r => r.ParameterUnit.Per.Dimension == from)
                      ?? throw new CarbonException($"{a.Unit} of {material} needs a net calorific value (GJ per {(from == UnitDimension.Mass ? "t" : "10^4Nm3")}) valid on {a.Date:yyyy-MM-dd} for method {AccountingMethods.Code(req.Method)}");
            dim = UnitDimension.Energy;
        }
        if (dim != basis)
            throw new CarbonException($"unit '{a.Unit}' cannot be converted to the factor's unit for '{material}' ({basis.ToString().ToLowerInvariant()})");
        return (density, ncv);
    }

    // ------------------------------------------------------------------ lines

    private static InventoryLine FactorLine(InventoryRequest req, Plan p, Activity first, double total, IEnumerable<Activity> acts)
    {
        var trace = new List<string>();
        var unit = first.Quantity.Unit;
        var used = new List<FactorUse>();
        // The activity as a quantity, converted step by step to the factor's basis (each step a line of the trace).
        var q = new Quantity(total, unit);
        trace.Add($"activity: {N(total)} {unit} of {p.Material} ({p.Source.Code})");
        if (p.EquipmentRule)
        {
            var steel = q with { Value = q.Value * EquipmentSteelMultiplier };
            trace.Add($"undivisible equipment (T/CA 301): {N(q.Value)} {q.Unit} × {N(EquipmentSteelMultiplier)} = {N(steel.Value)} {q.Unit} of cold-rolled steel");
            q = steel;
        }

        var basis = p.Factors[0].Record.EmissionUnit.Basis;
        if (p.GivenDensity is { } gd || p.Density is not null)
        {
            var d = p.GivenDensity ?? p.Density!.Record.Value;
            var litres = ActivityUnits.Convert(q, Units.Litre);
            var kg = litres * d;
            trace.Add($"{N(litres)} L × {N(d)} kg/L (density{(p.Density is { } dc ? ", " + dc.Record.Citation : ", given with the record")}) = {N(kg)} kg = {N(kg / 1000)} t");
            if (p.Density is { } dd) used.Add(FactorUse.Of(dd, "density"));
            else used.Add(FactorUse.Given("density", d, "kg/L", "activity record"));
            q = new Quantity(kg / 1000, Tonne);
        }
        if (p.GivenNcv is { } gn || p.Ncv is not null)
        {
            var given = q.Dimension == UnitDimension.GasVolume ? (Text: "GJ/10^4Nm3", Unit: GivenNcvPerGasVolume) : (Text: "GJ/t", Unit: GivenNcvPerMass);
            var (energyUnit, per) = p.Ncv is { } nu ? nu.Record.ParameterUnit : given.Unit;
            var v = p.GivenNcv ?? p.Ncv!.Record.Value;
            var inPer = ActivityUnits.Convert(q, per);
            var energy = inPer * v;
            trace.Add($"{N(inPer)} {per} × {N(v)} {energyUnit}/{per} (NCV{(p.Ncv is { } n2 ? ", " + n2.Record.Citation : ", given with the record")}) = {N(energy)} {energyUnit}");
            if (p.Ncv is { } nn) used.Add(FactorUse.Of(nn, "ncv"));
            else used.Add(FactorUse.Given("ncv", v, given.Text, "activity record"));
            q = new Quantity(energy, energyUnit);
        }
        if (q.Unit != basis)
        {
            var converted = ActivityUnits.Convert(q, basis);
            trace.Add($"{N(q.Value)} {q.Unit} = {N(converted)} {basis}");
            q = new Quantity(converted, basis);
        }
        var amount = q.Value;

        var gases = new List<GasAmount>();
        foreach (var f in p.Factors)
        {
            var r = f.Record;
            var kg = amount * r.Value * r.EmissionUnit.KilogramsPerNumeratorUnit;
            var derivation = r.CarbonContent is { } cc && r.OxidationRate is { } of
                ? $"{N(amount)} {basis} × {N(cc)} tC/{basis} × {N(of)} (oxidation) × 44/12"
                : $"{N(amount)} {basis} × {N(r.Value)} {r.Unit}";
            trace.Add($"{r.Gas}: {derivation} = {N(kg)} kg{r.Gas} ({f.Record.Citation}; {f.Reason})");
            used.Add(FactorUse.Of(f, "emission"));
            var (gwp, gwpNote) = GwpFor(r.Gas, req.Gwp);
            gases.Add(GasAmount.Of(r.Gas, Mass.FromKilograms(kg), gwp));
            if (gwpNote is not null) trace.Add(gwpNote);
        }
        var co2e = gases.SumTonnes(g => g.Co2e);
        var sum = string.Join(" + ", gases.Select(g => g.Gwp == 1 ? $"{N(g.Kilograms)} kg {g.Gas}" : $"{N(g.Kilograms)} kg {g.Gas} × {N(g.Gwp)}"));
        trace.Add($"CO2e = ({sum}) / 1000 = {N(co2e.TonnesCo2e)} tCO2e");
        if (FactorBasisOf(p) is { } factorBasis) trace.Add(factorBasis);
        var main = p.Factors[0].Record;
        return new InventoryLine
        {
            Id = "", Scope = p.Scope, Basis = p.Basis, IsoCategory = Sources.IsoCategory(p.Scope, p.Scope3Category), Scope3Category = p.Scope3Category,
            Source = p.Source.Code, Material = p.Material, Quantity = new Quantity(total, unit), Co2e = co2e, Gases = gases, Factors = used,
            Factor = p.Factors.Count == 1 ? $"{N(main.Value)} {main.Unit}" : string.Join("; ", p.Factors.Select(f => $"{N(f.Record.Value)} {f.Record.Unit}")),
            FactorSource = string.Join("; ", p.Factors.Select(f => f.Record.Citation).Distinct()),
            Formula = FormulaOf(p),
            Trace = trace, Space = first.Space, System = first.System, Origins = Origins(acts), Supplier = p.Supplier,
        };
    }

    /// <summary>Dataset name of the factor records that stand for product carbon footprints of the park's library (module
    /// SupplyChain); their ids are negative (−footprint id) so they never collide with the factor library's.</summary>
    public const string FootprintDataset = "PCF";

    /// <summary>Which kind of factor a scope 3 line (and any line with a supplier) used: the supplier-specific product footprint
    /// or supplier-level factor, or the default factor, and why.</summary>
    private static string? FactorBasisOf(Plan p)
    {
        if (p.Supplier is null && p.Scope != GhgScope.Scope3) return null;
        var f = p.Factors[0].Record;
        if (f.Level == FactorLevel.Supplier)
            return f.Dataset == FootprintDataset
                ? $"factor basis: supplier-specific product footprint F{-f.Id} of '{f.Material}' from {f.Region} ({f.Note})"
                : $"factor basis: supplier-level factor of {f.Region} ({f.Citation})";
        return p.Supplier is { } s
            ? $"factor basis: default factor — no supplier-specific footprint or factor of '{p.Material}' from {s} valid on the date"
            : $"factor basis: default factor — the record names no supplier";
    }

    private static string FormulaOf(Plan p)
    {
        if (p.Kind == PlanKind.Electricity) return "E_CO2 = electricity (kWh) × grid factor (kgCO2/kWh) / 1000";
        var r = p.Factors[0].Record;
        if (r.CarbonContent is not null) return "E_CO2 = AD (GJ) × CC (tC/GJ) × OF × 44/12; AD = FC × NCV (GB/T 32150-2015)";
        if (p.Ncv is not null || p.GivenNcv is not null) return "E = Σ_gas fuel energy (TJ) × EF_gas (kg/TJ) × GWP_gas / 1000 (IPCC 2006 Tier 1)";
        return "E = activity × EF × GWP / 1000";
    }

    private static InventoryLine ReleaseLine(InventoryRequest req, Plan p, Activity first, double total, IEnumerable<Activity> acts)
    {
        var unit = first.Quantity.Unit;
        var kg = ActivityUnits.Convert(total, unit, Units.Kilogram);
        return ReleasedLine(req, p.Source.Code, p.Material, new Quantity(total, unit), kg, [$"activity: {N(total)} {unit} of {p.Material} released ({p.Source.Code})"],
            first.Space, first.System, Origins(acts));
    }

    private static InventoryLine ReleasedLine(InventoryRequest req, string source, string material, Quantity amount, double kg, List<string> trace,
        string? space, string? system, IReadOnlyList<string> origins)
    {
        var gwp = ReleasedMaterials.GwpOf(material, req.Gwp);
        var formula = ReleasedMaterials.GwpFormula(material, req.Gwp);
        if (amount.Unit != Units.Kilogram) trace.Add($"{N(amount.Value)} {amount.Unit} = {N(kg)} kg");
        trace.Add($"GWP-100 {req.Gwp} of {material} = {formula} = {N(gwp)} ({Gases.GwpSource})");
        // kg × GWP = kgCO2e, stated in tonnes (/ 1000).
        var co2e = Emissions.FromKilogramsCo2e(kg * gwp).ToTonnes();
        trace.Add($"CO2e = {N(kg)} kg × {N(gwp)} / 1000 = {N(co2e.TonnesCo2e)} tCO2e");
        var memo = ReleasedMaterials.IsMemo(material);
        double? ods = null;
        if (memo)
        {
            var odp = ReleasedMaterials.CompositionOf(material).Sum(s => s.MassFraction * s.Gas.Odp);
            ods = kg * odp;
            trace.Add($"memo item (not a Kyoto gas, outside scopes 1–3); ODS = {N(kg)} kg × ODP {N(odp)} = {N(ods.Value)} kg CFC-11-eq");
        }
        var gases = ReleasedMaterials.CompositionOf(material)
            .Select(s => GasAmount.Of(s.Gas.Code, Mass.FromKilograms(kg * s.MassFraction), s.Gas.GwpOf(req.Gwp))).ToList();
        var scope = memo ? GhgScope.Memo : GhgScope.Scope1;
        return new InventoryLine
        {
            Id = "", Scope = scope, IsoCategory = Sources.IsoCategory(scope, null), Source = source, Material = material, Quantity = amount,
            Co2e = co2e, Gases = gases, Factors = [], Factor = $"GWP {N(gwp)} ({req.Gwp})", FactorSource = Gases.GwpSource,
            Formula = "E = mass released (kg) × GWP-100 / 1000; blend GWP = Σ mass fraction × GWP", Trace = trace, Space = space, System = system,
            Origins = origins, OdsKgCfc11 = ods,
        };
    }

    /// <summary>Refrigerant mass balance per material: E = (stock start − stock end) + purchased − disposed − charge of new
    /// equipment + charge of retired equipment − recovered (GHG Protocol / US EPA simplified material balance).</summary>
    private static IEnumerable<InventoryLine> MassBalanceLines(InventoryRequest req, IEnumerable<Activity> acts, List<string> notes)
    {
        foreach (var g in acts.GroupBy(a => (a.Material.Trim().ToUpperInvariant(), a.Space)))
        {
            var material = g.First().Material.Trim();
            var trace = new List<string>();
            double kg = 0;
            var terms = new List<string>();
            foreach (var comp in g.GroupBy(a => a.Source).OrderBy(c => Sources.All.ToList().FindIndex(s => s.Code == c.Key)))
            {
                var def = Sources.Get(comp.Key);
                var v = comp.Sum(a => ActivityUnits.Convert(a.Quantity, Units.Kilogram));
                kg += def.Sign * v;
                terms.Add($"{(def.Sign > 0 ? "+" : "−")} {N(v)} ({def.Code})");
            }
            trace.Add($"mass balance of {material}: {string.Join(" ", terms).TrimStart('+', ' ')} = {N(kg)} kg released");
            if (kg < 0)
            {
                notes.Add($"refrigerant mass balance of {material}{(g.Key.Space is { } s ? " in " + s : "")} is negative ({N(kg)} kg): check the stock, purchase and recovery records; counted as 0");
                trace.Add("negative balance: counted as 0 (see notes)");
                kg = 0;
            }
            yield return ReleasedLine(req, "refrigerant_mass_balance", material, new Quantity(kg, Units.Kilogram), kg, trace, g.Key.Space, null, Origins(g));
        }
    }

    // ------------------------------------------------------------------ electricity

    private static (List<InventoryLine> Lines, MarketBasedDetail Detail) MarketBased(InventoryRequest req, List<(Plan Plan, Activity Activity)> electricity, List<string> notes)
    {
        var lines = new List<InventoryLine>();
        // Location-based: one line per location factor and place.
        foreach (var g in electricity.GroupBy(e => (e.Plan.Factors[0].Record.Id, e.Activity.Space, e.Activity.System)))
        {
            var f = g.First().Plan.Factors[0];
            var kwh = g.Sum(e => ActivityUnits.Convert(e.Activity.Quantity, Units.KilowattHour));
            lines.Add(ElectricityLine(Scope2Basis.Location, kwh, f, g.Select(e => e.Activity), g.First().Activity,
                [$"activity: {N(kwh)} kWh of grid electricity"], "E_CO2 = grid electricity (kWh) × location-based grid factor (kgCO2/kWh) / 1000", req.Gwp));
        }

        var grid = electricity.Sum(e => ActivityUnits.Convert(e.Activity.Quantity, Units.KilowattHour));
        var remaining = grid;
        var allocations = new List<InstrumentAllocation>();
        foreach (var ins in req.Instruments.OrderBy(i => i.Kind).ThenBy(i => i.CoverFrom).ThenBy(i => i.Id))
        {
            var available = ins.AvailableKwh(req.From, req.To) * req.InstrumentShare;
            if (available <= 0) continue;
            if (ins.Region.Length > 0 && !SameMarket(ins.Region, req.Place))
            {
                allocations.Add(new InstrumentAllocation(ins.Id, Instrument.Code(ins.Kind), ins.Reference, available, 0, available, ins.FactorKgPerKwh,
                    $"not applied: from market '{ins.Region}', the park is in {Where(req.Place)} (Scope 2 quality criterion 5)"));
                continue;
            }
            var applied = Math.Min(available, remaining);
            remaining -= applied;
            var share = req.InstrumentShare < 1 ? $" × boundary share {N(req.InstrumentShare)}" : "";
            var pro = ins.AvailableKwh(req.From, req.To) < ins.QuantityKwh ? $" (pro rata: days of {ins.CoverFrom:yyyy-MM-dd}…{ins.CoverTo:yyyy-MM-dd} inside the period)" : "";
            var note = $"{Instrument.Code(ins.Kind)} {ins.Reference}: {N(ins.QuantityKwh)} kWh{pro}{share} → {N(available)} kWh available, {N(applied)} kWh applied" +
                       (applied < available ? $", {N(available - applied)} kWh unused (no uncovered consumption left; never carried over)" : "");
            allocations.Add(new InstrumentAllocation(ins.Id, Instrument.Code(ins.Kind), ins.Reference, available, applied, available - applied, ins.FactorKgPerKwh, note));
            if (applied <= 0) continue;
            var kg = applied * ins.FactorKgPerKwh;
            var trace = new List<string>
            {
                note,
                $"hierarchy (GHG Protocol Scope 2 Guidance): certificates, then green power contracts, then supplier-specific rates, then the residual mix",
                $"{N(applied)} kWh × {N(ins.FactorKgPerKwh)} kgCO2/kWh = {N(kg)} kgCO2 = {N(kg / 1000)} tCO2",
            };
            lines.Add(new InventoryLine
            {
                Id = "", Scope = GhgScope.Scope2, Basis = Scope2Basis.Market, IsoCategory = 2, Source = "purchased_electricity", Material = $"electricity ({Instrument.Code(ins.Kind)})",
                Quantity = new Quantity(applied, Units.KilowattHour), Co2e = Emissions.FromKilogramsCo2e(kg).ToTonnes(),
                Gases = [GasAmount.Of("CO2", Mass.FromKilograms(kg), 1)], Factors = [],
                Factor = $"{N(ins.FactorKgPerKwh)} kgCO2/kWh", FactorSource = $"contractual instrument #{ins.Id} {ins.Reference}".Trim(),
                Formula = "E_CO2 = instrument kWh applied × instrument emission rate / 1000", Trace = trace,
                Origins = [$"instrument #{ins.Id} {Instrument.Code(ins.Kind)} {ins.Reference} {ins.CoverFrom:yyyy-MM-dd}…{ins.CoverTo:yyyy-MM-dd}".Trim()],
            });
        }
        var covered = grid - remaining;
        if (grid > 0)
        {
            var uncoveredShare = remaining / grid;
            foreach (var g in electricity.GroupBy(e => (e.Plan.Residual!.Record.Id, e.Activity.Space, e.Activity.System)))
            {
                var kwh = g.Sum(e => ActivityUnits.Convert(e.Activity.Quantity, Units.KilowattHour));
                var part = kwh * uncoveredShare;
                if (part <= 0) continue;
                var trace = new List<string>
                {
                    $"grid electricity of the boundary {N(grid)} kWh, covered by instruments {N(covered)} kWh, uncovered {N(remaining)} kWh",
                    $"uncovered share = {N(remaining)} / {N(grid)} = {N(uncoveredShare)}; this line: {N(kwh)} kWh × {N(uncoveredShare)} = {N(part)} kWh",
                };
                lines.Add(ElectricityLine(Scope2Basis.Market, part, g.First().Plan.Residual!, g.Select(e => e.Activity), g.First().Activity, trace,
                    req.Residual == ResidualMode.Residual
                        ? "E_CO2 = uncovered grid electricity (kWh) × residual-mix factor (kgCO2/kWh) / 1000"
                        : "E_CO2 = uncovered grid electricity (kWh) × grid average factor (kgCO2/kWh) / 1000 (no residual mix used: disclose)", req.Gwp));
            }
        }
        var residualText = req.Residual == ResidualMode.Residual ? "residual mix (material electricity_residual)" : "location-based grid average";
        if (req.Residual == ResidualMode.Residual && electricity.Any(e => e.Plan.Residual!.Record.Material != "electricity_residual"))
        {
            residualText += "; location-based grid average where no residual-mix factor is valid";
            notes.Add("market-based: no residual-mix factor (material electricity_residual) valid for part of the period; the grid average was used " +
                      "for that part (GHG Protocol Scope 2 Guidance asks to disclose this)");
        }
        return (lines, new MarketBasedDetail(grid, covered, remaining, residualText, allocations));
    }

    private static InventoryLine ElectricityLine(Scope2Basis basis, double kwh, FactorChoice f, IEnumerable<Activity> acts, Activity first, List<string> trace, string formula, GwpSet gwpSet)
    {
        var r = f.Record;
        var fu = r.EmissionUnit;
        var basisAmount = ActivityUnits.Convert(kwh, Units.KilowattHour, fu.Basis);
        var kg = basisAmount * r.Value * fu.KilogramsPerNumeratorUnit;
        var (gwp, _) = GwpFor(r.Gas, gwpSet);
        trace.Add($"{N(basisAmount)} {fu.Basis} × {N(r.Value)} {r.Unit} = {N(kg)} kg{r.Gas} = {N(kg / 1000)} t ({r.Citation}; {f.Reason})");
        if (f.PassedOver.Count > 0) trace.Add("not used: " + string.Join("; ", f.PassedOver));
        return new InventoryLine
        {
            Id = "", Scope = GhgScope.Scope2, Basis = basis, IsoCategory = 2, Source = "purchased_electricity", Material = r.Material == "electricity" ? "electricity" : "electricity (residual)",
            Quantity = new Quantity(kwh, Units.KilowattHour), Co2e = Emissions.FromKilogramsCo2e(kg * gwp).ToTonnes(),
            Gases = [GasAmount.Of(r.Gas, Mass.FromKilograms(kg), gwp)], Factors = [FactorUse.Of(f, "emission")],
            Factor = $"{N(r.Value)} {r.Unit}", FactorSource = r.Citation, Formula = formula, Trace = trace, Space = first.Space, System = first.System,
            Origins = Origins(acts),
        };
    }

    private static bool SameMarket(string region, Place place)
    {
        var r = region.Trim();
        if (r is "CN" or "全国" or "中国" or "national") return true;
        var probe = new FactorRecord { Dataset = "", Material = "", Value = 0, Unit = "", ValidFrom = DateOnly.MinValue, Region = r, Level = FactorLevel.Provincial };
        return place.Matches(probe) || place.Matches(probe with { Level = FactorLevel.Regional });
    }

    // ------------------------------------------------------------------ helpers

    /// <summary>GWP of a factor's gas; CO2e factors are already equivalents.</summary>
    private static (double Gwp, string? Note) GwpFor(string gas, GwpSet set)
    {
        if (gas.Equals("CO2e", StringComparison.OrdinalIgnoreCase)) return (1, null);
        var g = Gases.Get(gas);
        return g == Gases.Co2 ? (1, null) : (g.GwpOf(set), $"GWP-100 {set} of {g.Code} = {N(g.GwpOf(set))} ({Gases.GwpSource})");
    }

    private static IReadOnlyList<string> Origins(IEnumerable<Activity> acts)
    {
        var list = acts.ToList();
        var meters = list.Where(a => a.Meter is not null).GroupBy(a => a.Meter!)
            .Select(g => $"meter {g.Key}: {g.Count()} monthly rollup{(g.Count() == 1 ? "" : "s")} {g.Min(a => a.Date):yyyy-MM}…{g.Max(a => a.Date):yyyy-MM}");
        var records = list.Where(a => a.Meter is null).Select(a => a.Origin.Length > 0 ? a.Origin : $"{a.Date:yyyy-MM-dd} {a.Describe()}");
        var all = meters.Concat(records).ToList();
        return all.Count <= 60 ? all : [.. all.Take(60), $"… and {all.Count - 60} more"];
    }

    private static string Where(Place p) => string.Join(" / ", new[] { p.Province, p.GridRegion }.Where(s => !string.IsNullOrEmpty(s))) is { Length: > 0 } s ? s : "an unknown grid region";

    /// <summary>Numbers in traces: up to 9 decimals (so each step can be redone from the printed figures), no exponent, invariant.</summary>
    public static string N(double v) => v.ToString("#,0.#########", Inv);
}
