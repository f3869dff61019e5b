using System.Globalization;
using ZeroPark.Carbon;
using ZeroPark.Domain;

namespace ZeroPark.SupplyChain;

/// <summary>One input of a stage: a quantity in a unit of the unit table times a factor in kgCO2e per one of <see cref="FactorUnit"/>
/// (same dimension; converted exactly), e.g. 0.8 t steel × 2,100 kgCO2e/t, 420 kWh × 0.5366 kgCO2e/kWh, 150 tkm × 0.05 kgCO2e/tkm.</summary>
public sealed record LcaItem(LifecycleStage Stage, string Name, double Quantity, string Unit, double Factor, string FactorUnit, string Source = "");

/// <summary>
/// A simple stage-by-stage LCA model a user builds: inputs per stage for a batch of <see cref="Output"/> functional units of
/// <see cref="OutputUnit"/>. The footprint per functional unit is Σ quantity × factor ÷ output. Pure.
/// </summary>
public sealed record LcaModel(double Output, string OutputUnit, IReadOnlyList<LcaItem> Items);

/// <summary>A stage subtotal in kgCO2e per functional unit.</summary>
public sealed record LcaStageResult(LifecycleStage Stage, double KgPerUnit, double Share);

/// <summary>A model's result, with the arithmetic of every item.</summary>
public sealed record LcaResult(double KgPerUnit, string Unit, IReadOnlyList<LcaStageResult> Stages, IReadOnlyList<string> Trace);

/// <summary>How the footprint moves when one input's quantity or factor changes by ±<see cref="Percent"/> %: the footprint at the
/// low and high value, and the elasticity (share of the footprint the input carries: % change of the footprint per % change).</summary>
public sealed record Sensitivity(string Name, LifecycleStage Stage, double Percent, double KgLow, double KgHigh, double Elasticity);

public static class LcaCalculator
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>kgCO2e of one item (quantity converted to the factor's unit).</summary>
    public static double ItemKg(LcaItem i)
    {
        var q = Units.TryParse(i.Unit, out var qu) ? qu : throw new CarbonException($"item '{i.Name}': unknown unit '{i.Unit}'");
        var f = Units.TryParse(i.FactorUnit, out var fu) ? fu : throw new CarbonException($"item '{i.Name}': unknown factor unit 'kgCO2e/{i.FactorUnit}'");
        if (q.Dimension != f.Dimension) throw new CarbonException($"item '{i.Name}': {q.Symbol} cannot be converted to {f.Symbol}");
        if (i.Quantity < 0 || i.Factor < 0 || !double.IsFinite(i.Quantity) || !double.IsFinite(i.Factor))
            throw new CarbonException($"item '{i.Name}': quantity and factor must be non-negative numbers");
        return i.Quantity * q.ToCanonical / f.ToCanonical * i.Factor;
    }

    public static LcaResult Compute(LcaModel m)
    {
        if (!(m.Output > 0)) throw new CarbonException("output: the model must produce a positive number of functional units");
        if (!Units.TryParse(m.OutputUnit, out var ou)) throw new CarbonException($"output unit: unknown unit '{m.OutputUnit}'");
        if (m.Items.Count == 0) throw new CarbonException("items: the model has no inputs");
        var trace = new List<string>();
        var byStage = new Dictionary<LifecycleStage, double>();
        foreach (var i in m.Items)
        {
            var kg = ItemKg(i);
            byStage[i.Stage] = byStage.GetValueOrDefault(i.Stage) + kg;
            trace.Add($"{Footprints.Code(i.Stage)} · {i.Name}: {N(i.Quantity)} {i.Unit} × {N(i.Factor)} kgCO2e/{i.FactorUnit} = {N(kg)} kgCO2e" +
                      (i.Source.Length > 0 ? $" ({i.Source})" : ""));
        }
        var total = byStage.Values.Sum();
        var per = total / m.Output;
        trace.Add($"total {N(total)} kgCO2e ÷ {N(m.Output)} {ou.Symbol} = {N(per)} kgCO2e/{ou.Symbol}");
        var stages = byStage.OrderBy(kv => kv.Key).Select(kv => new LcaStageResult(kv.Key, kv.Value / m.Output, total > 0 ? kv.Value / total : 0)).ToList();
        return new LcaResult(per, ou.Symbol, stages, trace);
    }

    /// <summary>Changes each item by ±<paramref name="percent"/> % (its quantity; the same holds for its factor, the product is
    /// linear in both), largest effect first.</summary>
    public static IReadOnlyList<Sensitivity> Sensitivities(LcaModel m, double percent = 10)
    {
        var baseline = Compute(m).KgPerUnit;
        return m.Items.Select((item, idx) =>
        {
            LcaModel With(double k) => m with { Items = m.Items.Select((x, j) => j == idx ? x with { Quantity = x.Quantity * k } : x).ToList() };
            var low = Compute(With(1 - percent / 100)).KgPerUnit;
            var high = Compute(With(1 + percent / 100)).KgPerUnit;
            var elasticity = baseline > 0 ? (high - low) / baseline / (2 * percent / 100) : 0;
            return new Sensitivity(item.Name, item.Stage, percent, low, high, elasticity);
        }).OrderByDescending(s => Math.Abs(s.KgHigh - s.KgLow)).ToList();
    }

    private static string N(double v) => v.ToString("#,0.#########", Inv);
}
