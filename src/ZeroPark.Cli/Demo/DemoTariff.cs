using ZeroPark.Application;
using ZeroPark.Application.EnergyManagement;

namespace ZeroPark.Cli.Demo;

/// <summary>
/// The demo park's electricity tariff: a Chinese time-of-use (分时电价) tariff for a 1–10 kV large-industry customer, so that the cost
/// page and cost cards show data. ILLUSTRATIVE, not a published price list: its structure follows 国家发展改革委《关于进一步完善分时
/// 电价机制的通知》(发改价格〔2021〕1093号) — peak/valley ratio at least 4:1, critical peak at least 20 % above peak, 8 h each of
/// peak, flat and valley — and its flat price is of the order of a northern-China (河北南网) agency-purchase large-industry energy price
/// including transmission charges and funds (the monthly capacity/demand charge is not modelled). Prices in CNY/kWh:
/// flat 0.62, peak 0.99 (1.6 × flat), valley 0.245 (peak/valley ≈ 4.04), critical peak 1.19 (1.2 × peak) 19–21 h in July and
/// August. A second version from the demo's second year lowers every price by about 3 % (a cheaper agency-purchase price), so the
/// cost page shows tariff versions at work.
/// </summary>
internal static class DemoTariff
{
    private static readonly TariffScheduleDraft[] Schedule =
    [
        new(0, 7, "valley"),
        new(7, 10, "flat"),
        new(10, 12, "peak"),
        new(12, 17, "flat"),
        new(17, 23, "peak"),
        new(23, 24, "valley"),
        new(19, 21, "critical_peak", [7, 8]),
    ];

    public static async Task SeedAsync(ZeroParkStore store, DemoPark demo, CancellationToken ct)
    {
        var first = demo.Options.StartDate;
        var last = first.AddDays(demo.Options.Days - 1);
        await store.Tariffs.CreateTariffVersionAsync(demo.Options.ParkCode, Draft(first, "大工业分时电价 1–10 kV（演示，示意价格）", 0.62, 0.99, 0.245, 1.19), "demo", ct);
        var next = new DateOnly(first.Year + 1, 1, 1);
        if (next <= last)
            await store.Tariffs.CreateTariffVersionAsync(demo.Options.ParkCode, Draft(next, $"大工业分时电价 1–10 kV {next.Year}（演示，示意价格）", 0.60, 0.96, 0.238, 1.15), "demo", ct);
    }

    private static TariffDraft Draft(DateOnly from, string name, double flat, double peak, double valley, double criticalPeak) =>
        new(from.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), name, "CNY",
            new Dictionary<string, double?> { ["flat"] = flat, ["peak"] = peak, ["valley"] = valley, ["critical_peak"] = criticalPeak }, Schedule);
}
