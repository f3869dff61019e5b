using System.Text;
using ZeroPark.Application;
using ZeroPark.Application.Evaluations;

namespace ZeroPark.Cli.Demo;

/// <summary>Illustrative evaluator inputs for the demo's first year: the T/CA305 requirements declared with a (text) evidence file
/// each, a declared offset ratio and some item scores, and a few T/BFIA 043 items. Only the inputs are stored (no computation), so
/// the demo stays fast; the evaluation page computes the result from the demo's readings when opened. The figures are examples,
/// not an assessment of any real data center.</summary>
internal static class DemoEvaluations
{
    private static readonly string[] Declared = ["boundary", "operating", "scope", "construction_compliance", "environment_compliance", "carbon_system",
        "zero_carbon_plan", "continuity", "pue_local"];

    public static async Task SeedAsync(ZeroParkStore store, DemoPark demo, CancellationToken ct)
    {
        var park = demo.Options.ParkCode;
        var year = demo.Options.StartDate.Year;
        foreach (var code in Declared.Append("offset_ratio"))
            await store.Evaluations.AddEvidenceAsync(park, "tca305", year, code, $"{code}-demo.txt", "text/plain", Encoding.UTF8.GetBytes($"演示证明材料：{code}"), "demo", ct);
        var items = Declared.ToDictionary(c => c, _ => new ItemInput { Declared = true });
        items["zero_carbon_plan"] = new ItemInput { Declared = true, Note = "演示：2030 年前实现运营阶段零碳" };
        items["pue_auto"] = new ItemInput { Score = 2 };
        items["refrigerant"] = new ItemInput { Checked = ["a"] };
        items["ups_sleep"] = new ItemInput { Checked = ["a"] };
        items["cooling_control"] = new ItemInput { Score = 2 };
        items["training"] = new ItemInput { Checked = ["a"] };
        await store.Evaluations.SaveAsync(park, "tca305", year, new EvaluationInputs { Items = items, DeclaredOffsetRatio = 0.45m }, null, null, null, "演示评价人", "demo", ct);
        await store.Evaluations.SaveAsync(park, "bfia043", year, new EvaluationInputs
        {
            Items = new()
            {
                ["metering_documents"] = new ItemInput { Checked = ["a", "b", "c", "d", "e", "f"] },
                ["ups"] = new ItemInput { Checked = ["a", "b", "c"] },
                ["servers"] = new ItemInput { Score = 3 },
                ["cue"] = new ItemInput { Checked = ["b"] },
            },
        }, null, null, null, "演示评价人", "demo", ct);
    }
}
