using System.Globalization;
using ZeroPark.Application.Carbon;
using ZeroPark.Application.EnergyManagement;
using ZeroPark.Application.Export;
using ZeroPark.Carbon;
using ZeroPark.Reports;

namespace ZeroPark.Application.Reports;

/// <summary>One disclosure metric: value, unit, period, method and where it comes from; <see cref="Missing"/> says why it has no
/// value (then the pack is incomplete for that framework).</summary>
public sealed record DisclosureMetric(string Framework, string Code, string NameZh, string NameEn, double? Value, string Unit, string Period, string Method,
    string Source, string? Missing)
{
    public bool Complete => Missing is null;
}

/// <summary>A framework's metrics and how many are complete.</summary>
public sealed record DisclosureFramework(string Code, string Name, int Complete, int Total, IReadOnlyList<DisclosureMetric> Metrics);

/// <summary>The disclosure pack of a park and year: every framework's metrics, the inventory and data versions it used.</summary>
public sealed record DisclosurePack(string Park, int Year, string Period, string? Inventory, string? SealHash, int Complete, int Total,
    IReadOnlyList<DisclosureFramework> Frameworks, IReadOnlyList<string> Notes);

/// <summary>
/// Disclosure packs (reference: docs/reports.md, "Disclosure packs"): GRI 302/303/305, IFRS S2 ¶29 / TCFD metrics and targets,
/// SASB TC-SI-130a, the CDP climate questions a data center answers, the EU 2024/1364 data-center KPIs and the China 重点用能单位
/// online monitoring fields. Emissions come from the year's final (sealed) park inventory (else the latest saved version, else a
/// fresh computation, and the pack says which); energy and water from <see cref="EnergyService"/> (the one KPI definition).
/// </summary>
public sealed class DisclosureService(ZeroParkStore store, CarbonService carbon, SealService seals, EnergyService energy)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static readonly IReadOnlyList<(string Code, string Name)> Frameworks =
    [
        ("gri", "GRI 302 / 303 / 305"), ("ifrs_s2", "IFRS S2 ¶29 / TCFD Metrics & Targets"), ("sasb", "SASB TC-SI-130a"), ("cdp", "CDP Climate"),
        ("eu_2024_1364", "EU Delegated Regulation 2024/1364 (data centres)"), ("cn_key_energy", "重点用能单位能耗在线监测"),
    ];

    public async Task<DisclosurePack> PackAsync(string park, int year, CancellationToken ct = default)
    {
        if (year < 2000 || year > 2100) throw new ValidationException("year", $"year: {year} is not between 2000 and 2100");
        var from = new DateOnly(year, 1, 1);
        var to = new DateOnly(year, 12, 31);
        var period = $"{from:yyyy-MM-dd}…{to:yyyy-MM-dd}";
        var notes = new List<string>();
        var settings = await store.Carbon.CarbonSettingsAsync(park, ct);

        // Emissions: the year's final park inventory, else the latest saved, else computed now.
        var inventories = await store.Carbon.InventoriesAsync(park, null, ct);
        var ofYear = inventories.Where(i => i.Boundary == park && i.From == from && i.To == to && i.Method == "ghgp").ToList();
        var chosen = ofYear.Where(i => i.Status == "final").MaxBy(i => i.Id) ?? ofYear.MaxBy(i => i.Id);
        InventoryResult result;
        string inventorySource;
        SealRecord? seal = null;
        if (chosen is not null)
        {
            (_, result) = await carbon.LoadAsync(park, chosen.Id, ct);
            seal = await seals.SealOfAsync(park, chosen.Id, ct);
            inventorySource = $"inventory #{chosen.Id} v{chosen.Version} ({chosen.Status}{(seal is null ? "" : ", sealed " + seal.Hash[..16])}, GHG Protocol, {chosen.Gwp})";
            if (chosen.Status != "final") notes.Add($"the {year} inventory is not final: figures may change (finalize #{chosen.Id} to seal it)");
        }
        else
        {
            result = await carbon.ComputeAsync(park, null, from, to, AccountingMethod.Ghgp, GwpSet.AR6, null, ct);
            inventorySource = $"computed at generation (no saved {year} inventory; GHG Protocol, AR6)";
            notes.Add($"no saved {year} inventory: emissions computed now, not sealed");
        }
        var k = (await energy.KpiAsync(park, null, from, to, EnergyBucketing.Year, ct)).Select(KpiRowView.From).Single();
        var energySource = $"energy KPI {year} (metered, completeness {k.Completeness:0.##} %)";
        var t = result.Totals;

        // Fuels burnt: GJ per material from each combustion line's own density and NCV records.
        var fuels = new SortedDictionary<string, (double Gj, double Amount, string Unit)>(StringComparer.Ordinal);
        foreach (var l in result.Lines.Where(l => l.Scope == GhgScope.Scope1 && l.Factors.Any(f => f.Role == "ncv")))
        {
            var ncv = l.Factors.First(f => f.Role == "ncv");
            var density = l.Factors.FirstOrDefault(f => f.Role == "density")?.Value;
            if (EnergyConversion.FuelGj(l.Activity, l.Unit, density, ncv.Value, ncv.Unit) is not { } gj) continue;
            var old = fuels.GetValueOrDefault(l.Material);
            fuels[l.Material] = (old.Gj + gj, old.Amount + l.Activity, l.Unit);
        }
        var fuelGj = fuels.Values.Sum(f => f.Gj);
        double? totalKwh = k.Inputs.TotalKwh, itKwh = k.Inputs.ItKwh, gridKwh = k.Inputs.FacilityInputKwh;
        double? electricityGj = totalKwh is { } tk ? EnergyConversion.GjOfKwh(tk) : null;
        double? totalGj = electricityGj is { } eg ? eg + fuelGj : null;
        var instrumentKwh = result.Market.InstrumentKwh;
        double? renewablePct = totalKwh is > 0 ? ((k.Inputs.RenewableOnsiteKwh ?? 0) + instrumentKwh) / totalKwh * 100 : null;
        double? gridPct = totalKwh is > 0 && gridKwh is { } g ? g / totalKwh * 100 : null;
        double? waterM3 = k.Inputs.WaterM3;
        var s12 = t.Scope1T + t.Scope2LocationT;
        double? intensityPerMwhIt = itKwh is > 0 ? s12 / (itKwh.Value / 1000) : null;
        var ods = result.Lines.Sum(l => l.OdsKgCfc11 ?? 0) / 1000;
        var scope3Categories = result.Lines.Where(l => l.Scope == GhgScope.Scope3 && l.Scope3Category is not null).Select(l => l.Scope3Category!.Value).Distinct().Order().ToList();
        double? revenue10k = settings.TryGetValue(CarbonService.SettingRevenue, out var rv) && double.TryParse(rv, NumberStyles.Float, Inv, out var rvd) && rvd > 0 ? rvd / 10_000 : null;

        // Base year (GRI 302-4, 305-5): its final inventory and metered energy.
        int? baseYear = settings.TryGetValue(CarbonService.SettingBaseYear, out var by) && int.TryParse(by, NumberStyles.Integer, Inv, out var byv) ? byv : null;
        double? baseTotalT = null, baseKwh = null;
        if (baseYear is { } b0 && b0 < year)
        {
            var baseInv = inventories.Where(i => i.Boundary == park && i.From == new DateOnly(b0, 1, 1) && i.To == new DateOnly(b0, 12, 31) && i.Method == "ghgp" && i.Status == "final").MaxBy(i => i.Id);
            if (baseInv is not null) baseTotalT = baseInv.Scope1T + baseInv.Scope2LocationT;
            var bk = (await energy.KpiAsync(park, null, new DateOnly(b0, 1, 1), new DateOnly(b0, 12, 31), EnergyBucketing.Year, ct)).Select(KpiRowView.From).Single();
            if (bk.Completeness > 90) baseKwh = bk.Inputs.TotalKwh;
        }
        var baseNote = baseYear is null ? "no base year set (zeropark carbon settings --set base_year=YYYY)" : baseYear >= year ? $"{year} is the base year ({baseYear})" : null;

        var list = new List<DisclosureMetric>();
        void M(string fw, string code, string zh, string en, double? value, string unit, string method, string source, string? missing = null) =>
            list.Add(new DisclosureMetric(fw, code, zh, en, value is { } v ? Math.Round(v, 6) : null, unit, period, method, source, value is null ? missing ?? "no data for the period" : null));
        const string ghg = "GHG Protocol Corporate Standard; scope 2 location- and market-based (Scope 2 Guidance)";
        const string kpiM = "ZeroPark energy KPI (ISO/IEC 30134; one definition, Core/Energy/KpiCalculator)";

        // GRI
        foreach (var (material, f) in fuels)
            M("gri", $"302-1-a:{material}", $"302-1 a 不可再生燃料消耗：{material}", $"302-1 a non-renewable fuel consumed: {material}", f.Gj, "GJ",
                $"{f.Amount.ToString("#,0.###", Inv)} {f.Unit} × density × NCV of the inventory's factor records", inventorySource);
        M("gri", "302-1-c", "302-1 c 电力消耗", "302-1 c electricity consumption", electricityGj, "GJ", "metered electricity (grid + on-site renewable) × 0.0036 GJ/kWh", energySource);
        M("gri", "302-1-e", "302-1 e 组织内部能源消耗总量", "302-1 e total energy consumption within the organisation", totalGj, "GJ", "fuels + electricity", $"{energySource}; {inventorySource}");
        M("gri", "302-3", "302-3 能源强度（每 MWh IT 能耗）", "302-3 energy intensity (per MWh of IT energy)", totalGj is { } tg && itKwh is > 0 ? tg / (itKwh.Value / 1000) : null, "GJ/MWh IT",
            "total energy ÷ IT energy", energySource);
        M("gri", "302-4", "302-4 能源消耗的减少（较基准年）", "302-4 reduction of energy consumption (against the base year)", baseKwh is { } bkwh && totalKwh is { } tkw ? EnergyConversion.GjOfKwh(bkwh - tkw) : null,
            "GJ", $"base year {baseYear} electricity − this year's", energySource, baseNote ?? $"no complete metered energy for the base year {baseYear}");
        M("gri", "303-3", "303-3 取水量", "303-3 water withdrawal", waterM3 / 1000, "ML", "metered water input (water_input meters) ÷ 1,000", energySource);
        M("gri", "303-4", "303-4 排水量", "303-4 water discharge", null, "ML", "metered discharge", energySource, "no discharge meters in the registry");
        M("gri", "303-5", "303-5 耗水量", "303-5 water consumption", null, "ML", "withdrawal − discharge", energySource, "needs water discharge (303-4)");
        M("gri", "305-1", "305-1 直接（范围一）排放", "305-1 direct (scope 1) emissions", t.Scope1T, "tCO2e", ghg, inventorySource);
        M("gri", "305-2-lb", "305-2 能源间接（范围二）排放，基于位置", "305-2 energy indirect (scope 2), location-based", t.Scope2LocationT, "tCO2e", ghg, inventorySource);
        M("gri", "305-2-mb", "305-2 能源间接（范围二）排放，基于市场", "305-2 energy indirect (scope 2), market-based", t.Scope2MarketT, "tCO2e", ghg, inventorySource);
        M("gri", "305-3", "305-3 其他间接（范围三）排放", "305-3 other indirect (scope 3) emissions", t.Scope3T, "tCO2e", ghg + $"; categories {string.Join(", ", scope3Categories)}", inventorySource);
        M("gri", "305-4", "305-4 排放强度（范围一 + 二，每 MWh IT 能耗）", "305-4 emissions intensity (scope 1 + 2 location-based per MWh of IT energy)", intensityPerMwhIt, "tCO2e/MWh IT",
            "(scope 1 + scope 2 location-based) ÷ IT energy", $"{inventorySource}; {energySource}");
        M("gri", "305-5", "305-5 温室气体减排量（较基准年）", "305-5 reduction of GHG emissions (against the base year)", baseTotalT is { } bt ? bt - s12 : null, "tCO2e",
            $"base year {baseYear} (scope 1 + 2 location-based, final inventory) − this year's", inventorySource, baseNote ?? $"no final inventory of the base year {baseYear}");
        M("gri", "305-6", "305-6 消耗臭氧层物质排放", "305-6 emissions of ozone-depleting substances", ods, "t CFC-11-eq", "memo items (e.g. R22) × ODP", inventorySource);
        M("gri", "305-7", "305-7 氮氧化物、硫氧化物", "305-7 NOx, SOx", null, "t", "generator emission measurements", "", "no NOx/SOx measurements are recorded");

        // IFRS S2 / TCFD
        M("ifrs_s2", "29(a)(i)", "范围一排放总量", "absolute gross scope 1", t.Scope1T, "tCO2e", ghg + ", latest IPCC GWPs", inventorySource);
        M("ifrs_s2", "29(a)(ii)", "范围二排放总量（基于位置）", "absolute gross scope 2, location-based", t.Scope2LocationT, "tCO2e", ghg, inventorySource);
        M("ifrs_s2", "29(a)(ii)-instruments", "合同工具覆盖的电量", "electricity covered by contractual instruments", instrumentKwh / 1000, "MWh", "certificates and green power applied in the market-based method", inventorySource);
        M("ifrs_s2", "29(a)(iii)", "范围三排放总量", "absolute gross scope 3", t.Scope3T, "tCO2e", ghg + $"; categories included {string.Join(", ", scope3Categories)}", inventorySource);
        M("ifrs_s2", "29(f)", "内部碳价", "internal carbon price", null, "CNY/tCO2e", "", "", "no internal carbon price is recorded");
        M("ifrs_s2", "tcfd-mt-b", "TCFD 指标与目标 (b)：范围一 + 二 + 三", "TCFD Metrics & Targets (b): scope 1 + 2 + 3", t.TotalLocationT, "tCO2e", ghg + ", scope 2 location-based", inventorySource);
        var target = settings.TryGetValue(CarbonService.SettingTarget, out var tv) && double.TryParse(tv, NumberStyles.Float, Inv, out var tvd) ? tvd : (double?)null;
        M("ifrs_s2", "tcfd-mt-c", "TCFD 指标与目标 (c)：排放目标", "TCFD Metrics & Targets (c): emissions target", target, "tCO2e", "the park's carbon target setting (target_t)", "carbon settings",
            "no target set (zeropark carbon settings --set target_t=…)");

        // SASB
        M("sasb", "TC-SI-130a.1(1)", "能源消耗总量", "total energy consumed", totalGj, "GJ", "fuels + electricity", $"{energySource}; {inventorySource}");
        M("sasb", "TC-SI-130a.1(2)", "电网电力占比", "percentage grid electricity", gridPct, "%", "grid electricity ÷ total energy (electricity) × 100", energySource);
        M("sasb", "TC-SI-130a.1(3)", "可再生能源占比", "percentage renewable", renewablePct, "%", "(on-site renewable + green certificates and green power applied) ÷ total × 100", $"{energySource}; {inventorySource}");
        M("sasb", "TC-SI-130a.2(1)", "取水总量", "total water withdrawn", waterM3 / 1000, "thousand m³", "metered water input", energySource);
        M("sasb", "TC-SI-130a.2(2)", "耗水总量", "total water consumed", null, "thousand m³", "withdrawal − discharge", energySource, "needs water discharge");
        M("sasb", "TC-SI-130a.2(3)", "高水压力地区取水占比", "withdrawn in regions of high baseline water stress", null, "%", "WRI Aqueduct", "", "the park's water-stress class is not recorded");

        // CDP
        M("cdp", "7.6", "范围一排放总量", "gross global scope 1", t.Scope1T, "tCO2e", ghg, inventorySource);
        M("cdp", "7.7-lb", "范围二（基于位置）", "gross global scope 2, location-based", t.Scope2LocationT, "tCO2e", ghg, inventorySource);
        M("cdp", "7.7-mb", "范围二（基于市场）", "gross global scope 2, market-based", t.Scope2MarketT, "tCO2e", ghg, inventorySource);
        M("cdp", "7.8", "范围三", "scope 3", t.Scope3T, "tCO2e", ghg, inventorySource);
        M("cdp", "C6.10", "每万元收入的排放强度", "intensity per unit revenue (scope 1 + 2 location-based per 10^4 CNY)", revenue10k is { } r10 ? s12 / r10 : null, "tCO2e/10^4CNY",
            "(scope 1 + 2) ÷ revenue", "carbon settings revenue_cny", "no revenue set (zeropark carbon settings --set revenue_cny=…)");
        M("cdp", "C8.2a", "能源消耗总量", "total energy consumption", totalGj is { } tg2 ? tg2 / 3.6 : null, "MWh", "fuels + electricity (GJ ÷ 3.6)", $"{energySource}; {inventorySource}");

        // EU 2024/1364 (Annex I / II indicators the metering answers)
        M("eu_2024_1364", "energy_consumption", "能耗总量", "total energy consumption", totalKwh, "kWh", kpiM, energySource);
        M("eu_2024_1364", "it_energy", "IT 能耗", "energy consumption of the ICT equipment", itKwh, "kWh", kpiM, energySource);
        M("eu_2024_1364", "pue", "PUE", "power usage effectiveness", k.Pue, "", kpiM, energySource);
        M("eu_2024_1364", "wue", "WUE", "water usage effectiveness", k.Wue, "L/kWh", kpiM, energySource);
        M("eu_2024_1364", "erf", "ERF 能源再利用系数", "energy reuse factor", k.Erf, "", kpiM, energySource);
        M("eu_2024_1364", "ref", "REF 可再生能源系数", "renewable energy factor", k.Ref, "", kpiM, energySource);
        M("eu_2024_1364", "water_input", "总用水量", "total water input", waterM3, "m³", kpiM, energySource);
        M("eu_2024_1364", "waste_heat_reused", "余热利用量", "waste heat reused", k.Inputs.ReusedKwh, "kWh", kpiM, energySource);
        M("eu_2024_1364", "installed_it_power", "设计 IT 功率", "installed information technology power demand", k.Inputs.DesignItKw, "kW", "park registry", "park registry");
        M("eu_2024_1364", "average_it_load", "平均 IT 负荷", "average IT power", k.Inputs.AvgItKw, "kW", "IT energy ÷ hours", energySource);
        M("eu_2024_1364", "traffic", "数据流量", "incoming and outgoing data traffic", null, "Gb", "", "", "network traffic is not collected");
        M("eu_2024_1364", "storage", "存储容量", "installed storage capacity", null, "PB", "", "", "storage capacity is not recorded");

        // China 重点用能单位 online monitoring
        double? tceElectricity = totalKwh is { } tk3 ? EnergyConversion.TceOfKwh(tk3) : null;
        M("cn_key_energy", "zhnh", "综合能源消费量", "total energy consumption (standard coal)", tceElectricity is { } te ? te + EnergyConversion.TceOfGj(fuelGj) : null, "tce",
            "GB/T 2589-2020: electricity 当量值 3,600 kJ/kWh, fuels by NCV; 1 kgce = 29,307.6 kJ", $"{energySource}; {inventorySource}");
        M("cn_key_energy", "dl", "电力消费量", "electricity consumption", totalKwh / 10_000, "10^4 kWh", "metered", energySource);
        foreach (var (material, f) in fuels)
            M("cn_key_energy", $"rl:{material}", $"燃料消费量：{material}", $"fuel consumption: {material}", f.Amount, f.Unit, "activity data of the inventory", inventorySource);
        M("cn_key_energy", "ys", "用水量", "water consumption", waterM3, "m³", "metered", energySource);
        M("cn_key_energy", "pue", "电能利用效率 PUE", "PUE", k.Pue, "", kpiM, energySource);

        var frameworks = Frameworks.Select(fw =>
        {
            var ms = list.Where(m => m.Framework == fw.Code).ToList();
            return new DisclosureFramework(fw.Code, fw.Name, ms.Count(m => m.Complete), ms.Count, ms);
        }).ToList();
        return new DisclosurePack(park, year, period, chosen is null ? null : $"#{chosen.Id} v{chosen.Version} {chosen.Status}", seal?.Hash, list.Count(m => m.Complete), list.Count,
            frameworks, notes);
    }

    /// <summary>The pack as XLSX: a completeness sheet, then one sheet per framework.</summary>
    public static byte[] Xlsx(DisclosurePack p)
    {
        var sheets = new List<XlsxSheet>
        {
            new("completeness", ["framework", "name", "complete", "total"], p.Frameworks.Select(f => new object?[] { f.Code, f.Name, f.Complete, f.Total }).ToList()),
        };
        foreach (var f in p.Frameworks)
            sheets.Add(new XlsxSheet(f.Code, ["code", "metric_zh", "metric_en", "value", "unit", "period", "method", "source", "missing"],
                f.Metrics.Select(m => new object?[] { m.Code, m.NameZh, m.NameEn, m.Value, m.Unit, m.Period, m.Method, m.Source, m.Missing }).ToList()));
        return XlsxWriter.ToBytes([.. sheets]);
    }
}
