using System.Globalization;
using System.Text;
using ZeroPark.Application;
using ZeroPark.Application.Neutrality;

namespace ZeroPark.Cli.Demo;

/// <summary>
/// The demo park's instruments ledger beyond the green power trade and GEC batch of <see cref="DemoCarbon"/> (which are ledger entries
/// too, retired for market-based scope 2 and as offsets): CCER and a forestry sink retired per quarter, a building-material voucher, a
/// daytime-profile green power trade of a rooftop-solar farm for the summer months, carbon allowances held (not retired), an expired GEC
/// batch that was never retired, and a batch of GECs bought and not yet allocated. Imported through the same ledger import users have.
/// Market prices of the kinds (illustrative, of the order of 2024–2025 quotes in China), neutrality-rate, budget and CUE targets, an
/// evidence file, and two reduction measures. Only claims inside the demo period. Deterministic.
/// </summary>
internal static class DemoNeutrality
{
    public static async Task SeedAsync(ZeroParkStore store, DemoPark demo, CancellationToken ct)
    {
        var park = demo.Options.ParkCode;
        var first = demo.Options.StartDate;
        var last = first.AddDays(demo.Options.Days - 1);
        var scale = demo.Options.Days / 365.0;
        var csv = new StringBuilder("kind,quantity,unit,serial_from,serial_to,vintage,claim_from,claim_to,project,methodology,counterparty,expires,unit_price_cny,purchased_on,profile,reference,note\n");
        void Row(string kind, double q, string unit, string sf, string st, int? vintage, DateOnly? cf, DateOnly? cto, string project, string methodology, string counterparty,
            DateOnly? expires, double price, string profile, string reference, string note)
        {
            if (q <= 0) return; // a short demo (a few days) scales some instruments down to nothing
            if (cf is { } a && (a < first || a > last)) return;
            if (cto is { } b && b > last) cto = last;
            csv.Append(CultureInfo.InvariantCulture,
                $"{kind},{q},{unit},{sf},{st},{vintage},{cf:yyyy-MM-dd},{cto:yyyy-MM-dd},{project},{methodology},{counterparty},{expires:yyyy-MM-dd},{price},{first.AddDays(-10):yyyy-MM-dd},{profile},{reference},{note}\n");
        }
        for (var q = 0; q < 4; q++)
        {
            var a = first.AddMonths(3 * q);
            var b = a.AddMonths(3).AddDays(-1);
            var n = (int)Math.Round(150 * scale);
            Row("ccer", n, "tCO2e", $"CCER-{first.Year}-{q * 1000 + 1:000000}", $"CCER-{first.Year}-{q * 1000 + n:000000}", first.Year - 1, a, b, "内蒙古风电项目", "CCER-14-001-V01", "北京绿色交易所", null, 85, "flat", $"CCER-Q{q + 1}", $"Q{q + 1} 抵消");
            Row("sink", Math.Round(60 * scale), "tCO2e", "", "", first.Year - 1, a, b, "河北塞罕坝造林碳汇", "CCER-14-002-V01", "林业碳汇交易平台", null, 45, "flat", $"SINK-Q{q + 1}", $"Q{q + 1} 林业碳汇");
        }
        Row("voucher", Math.Round(40 * scale), "tCO2e", "", "", first.Year, first, first.AddMonths(12).AddDays(-1), "低碳钢材及冷机采购凭证", "", "设备供应商", null, 0, "flat", "VOUCHER-1", "建材设备抵消凭证");
        Row("green_power", Math.Round(600 * scale), "MWh", "", "", first.Year, first.AddMonths(5), first.AddMonths(8).AddDays(-1), "河北光伏电站", "", "华北电力交易中心", null, 30, "daytime", "GP-SOLAR-SUMMER", "夏季光伏绿电 (白天)");
        Row("allowance", 500, "tCO2e", "", "", first.Year, null, null, "", "", "全国碳市场", null, 92, "flat", "CEA-HOLD", "持有的碳配额 (未注销)");
        Row("gec", 200, "MWh", $"GEC{first.Year - 2}X000001", $"GEC{first.Year - 2}X000200", first.Year - 2, null, null, "甘肃风电", "", "绿证交易平台", first.AddMonths(-1), 6, "flat", "GEC-EXPIRED", "过期未注销");
        Row("gec", 500, "MWh", $"GEC{first.Year}Y000001", $"GEC{first.Year}Y000500", first.Year, null, null, "青海光伏", "", "绿证交易平台", first.AddYears(2), 5, "flat", "GEC-HOLD", "已购未分配");
        var (rows, errors) = LedgerCsv.Parse(new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString())));
        if (errors.Count > 0) throw new InvalidOperationException("demo ledger: " + string.Join("; ", errors.Select(e => $"line {e.Line}: {e.Reason}")));
        var imported = await store.Neutrality.ImportAsync(park, rows, [], "demo", ct);
        if (imported.Rejected.Count > 0) throw new InvalidOperationException("demo ledger: " + string.Join("; ", imported.Rejected.Select(e => $"line {e.Line}: {e.Reason}")));

        var ccer = (await store.Neutrality.InstrumentsAsync(park, null, ct)).FirstOrDefault(i => i.Reference == "CCER-Q1");
        if (ccer is not null)
            await store.Neutrality.AddEvidenceAsync(park, ccer.Id, "CCER-Q1-注销证明.txt", "text/plain",
                Encoding.UTF8.GetBytes($"国家核证自愿减排量注销证明 (demo)\n项目: 内蒙古风电项目\n数量: {ccer.Quantity} tCO2e\n序列号: {ccer.SerialFrom}…{ccer.SerialTo}\n"), "demo", ct);

        var prices = new StringBuilder("kind,date,price_cny,available,source\n");
        for (var m = 0; m < 12; m++)
        {
            var d = first.AddMonths(m);
            prices.Append(CultureInfo.InvariantCulture, $"gec,{d:yyyy-MM-dd},{5 + m % 3 * 0.5},50000,绿证交易平台\n");
            prices.Append(CultureInfo.InvariantCulture, $"green_power,{d:yyyy-MM-dd},{28 + m % 4},20000,电力交易中心 (环境溢价)\n");
            prices.Append(CultureInfo.InvariantCulture, $"ccer,{d:yyyy-MM-dd},{82 + m},3000,北京绿色交易所\n");
            prices.Append(CultureInfo.InvariantCulture, $"sink,{d:yyyy-MM-dd},{42 + m % 5},800,林业碳汇平台\n");
            prices.Append(CultureInfo.InvariantCulture, $"allowance,{d:yyyy-MM-dd},{90 + m % 6},,全国碳市场\n");
        }
        var (pr, pe) = LedgerCsv.ParsePrices(new MemoryStream(Encoding.UTF8.GetBytes(prices.ToString())));
        await store.Neutrality.ImportPricesAsync(park, pr, pe, "demo", ct);

        await store.Neutrality.SetTargetAsync(park, "neutrality_rate", "month", 0.3, $"{first:yyyy-MM}", null, "月度碳中和率目标", "demo", ct);
        await store.Neutrality.SetTargetAsync(park, "neutrality_rate", "year", 0.35, $"{first:yyyy-MM}", null, "年度碳中和率目标", "demo", ct);
        await store.Neutrality.SetTargetAsync(park, "cue", "year", 0.45, $"{first:yyyy-MM}", null, "CUE 目标", "demo", ct);

        // Baselines over half a year (winter into summer), so the model sees the temperature range the reporting period has.
        var baseTo = first.AddDays(Math.Min(180, demo.Options.Days / 2));
        if (demo.Options.Days >= 60)
        {
            await store.Neutrality.AddMeasureAsync(park, new MeasureDraft("M-CHW-SETPOINT", "1号楼冷冻水出水温度提高 1 °C", "chilled_water_setpoint", ["b1_chiller1", "b1_chiller2", "b1_chiller3"],
                first, baseTo, baseTo.AddDays(1), 0.72, true, "demo", "冷冻水供水温度 10 → 11 °C"), "demo", ct);
            await store.Neutrality.AddMeasureAsync(park, new MeasureDraft("M-UPS-ECO", "2号楼 UPS 节能模式", "ups_eco_mode", ["b2_ups1_in", "b2_ups2_in", "b2_ups3_in", "b2_ups4_in"],
                first, baseTo, baseTo.AddDays(1), 0.72, false, "demo", "UPS ECO 模式"), "demo", ct);
        }
    }
}
