using System.Globalization;
using System.Text;
using ZeroPark.Application;
using ZeroPark.Application.Carbon;
using ZeroPark.Application.Governance;
using ZeroPark.Application.SupplyChain;
using ZeroPark.Carbon;

namespace ZeroPark.Cli.Demo;

/// <summary>
/// Supply chain and green governance of the demo park: a product footprint library of what a data center park buys (servers, UPS,
/// batteries, chillers, concrete, rebar, steel, construction, furniture, waste services; ILLUSTRATIVE values of the order of
/// published product footprints, not for reporting), default factors for the same materials (dataset DEMO-ILLUSTRATIVE), purchases
/// from February on that name their suppliers (so the inventory uses the footprints and says so), suppliers with answers and green
/// grades, the ESG organisation with KPIs, low-carbon activities, and personal carbon accounts of the last days. Deterministic
/// (the personal reports are dated in the six days before today, the window the accounts accept).
/// </summary>
internal static class DemoSupplyChain
{
    private const string Library = """
        product,supplier,functional_unit,kgco2e_per_unit,stages,verified,category,data_source,verifier,valid_from,valid_to,review_on,note
        server,浪潮信息,台,1150,raw_materials=980;production=120;transport=50,true,it_equipment,supplier,中国质量认证中心,2024-01-01,2027-12-31,2026-06-30,2U rack server NF5280M6 cradle-to-gate (illustrative)
        server,华为技术,台,1220,raw_materials;production;transport,self,it_equipment,supplier,,2024-01-01,2027-12-31,,2U rack server (illustrative)
        ups_500kva,科华数据,台,7200,raw_materials=5600;production=1300;transport=300,true,equipment,supplier,TÜV南德,2024-06-01,2028-05-31,2026-12-31,modular UPS cabinet (illustrative)
        lfp_battery,宁德时代,kWh,85,raw_materials;production,true,equipment,supplier,SGS,2024-01-01,2026-12-31,2026-03-31,LFP battery per kWh of capacity (illustrative)
        chiller_1000rt,约克,台,52000,raw_materials;production;transport,false,equipment,database,,2023-01-01,,,water-cooled centrifugal chiller (illustrative)
        ready_mix_c30,北京金隅,m3,300,raw_materials=240;production=45;transport=15,false,building_material,supplier,,2024-01-01,2026-12-31,2026-01-31,C30 ready-mix concrete (illustrative)
        rebar_hrb400,首钢,1000 kg,2300,raw_materials;production,true,building_material,supplier,中国建材检验认证集团,2024-01-01,2027-12-31,,HRB400 rebar (illustrative)
        cold_rolled_steel,宝钢股份,kg,2.05,raw_materials;production,true,building_material,supplier,中国质量认证中心,2025-01-01,2027-12-31,,cold-rolled coil from a PACT v2 footprint (illustrative)
        construction_service,中建一局,元,0.35,production;transport,false,construction,literature,,2023-01-01,,,construction works by spend (illustrative)
        office_desk,震旦家具,台,95,raw_materials;production;transport;use;end_of_life,self,office,supplier,,2024-01-01,,,office desk cradle-to-grave (illustrative)
        """;

    private static FactorRecord F(string material, double kg, string unit, string note) => new()
    {
        Dataset = DemoCarbon.FactorDataset, Material = material, Gas = "CO2e", Value = kg, Unit = $"kgCO2e/{unit}", Publisher = "ZeroPark demo",
        Document = "illustrative demo value: replace with your supplier's or LCA database's factor", ValidFrom = new DateOnly(2020, 1, 1), Note = note,
    };

    /// <summary>Default (generic) factors of the same materials: what records without a supplier footprint use.</summary>
    private static readonly FactorRecord[] Defaults =
    [
        F("ready_mix_c30", 350, "m3", "generic C30 ready-mix concrete"),
        F("rebar_hrb400", 2.34, "kg", "generic rebar"),
        F("ups_500kva", 9000, "item", "generic 500 kVA UPS"),
        F("lfp_battery", 110, "kWh", "generic LFP battery per kWh"),
    ];

    public static async Task SeedAsync(ZeroParkStore store, DemoPark demo, CancellationToken ct)
    {
        var park = demo.Options.ParkCode;
        var today = await store.SupplyChain.TodayAsync(park, ct);
        var (rows, errors) = FootprintFiles.Parse(new MemoryStream(Encoding.UTF8.GetBytes(Library.Replace("\n        ", "\n", StringComparison.Ordinal))), today);
        if (errors.Count > 0) throw new InvalidOperationException("demo footprints: " + string.Join("; ", errors.Select(e => $"line {e.Line}: {e.Reason}")));
        await store.SupplyChain.ImportFootprintsAsync(park, rows, [], "demo", ct);
        await store.Carbon.AddFactorsAsync(Defaults, "demo", ct);

        // Purchases naming their suppliers, from February on (the demo's January totals stay as documented).
        var first = demo.Options.StartDate;
        var last = first.AddDays(demo.Options.Days - 1);
        var csv = new StringBuilder("date,source,material,amount,unit,scope3_category,note,evidence,space,density,ncv,supplier\n");
        void Add(DateOnly d, string source, string material, double amount, string unit, string note, string evidence, string supplier)
        {
            if (d >= first && d <= last && d.Month >= 2)
                csv.Append(CultureInfo.InvariantCulture, $"{d:yyyy-MM-dd},{source},{material},{amount},{unit},,{note},{evidence},,,,{supplier}\n");
        }
        for (var m = new DateOnly(first.Year, first.Month, 1); m <= last; m = m.AddMonths(1))
        {
            Add(m.AddDays(19), "capital_goods", "server", 16 + 4 * (m.Month % 3), "item", $"server purchase {m:yyyy-MM}", $"PO-INSPUR-{m:yyyyMM}", "浪潮信息");
            if (m.Month % 4 == 2) Add(m.AddDays(21), "capital_goods", "server", 10, "item", $"server purchase {m:yyyy-MM}", $"PO-HW-{m:yyyyMM}", "华为技术");
        }
        Add(new DateOnly(first.Year, 2, 20), "building_materials", "ready_mix_c30", 850, "m3", "building 5 foundations", "PO-JY-01", "北京金隅");
        Add(new DateOnly(first.Year, 2, 22), "building_materials", "rebar_hrb400", 120, "t", "building 5 rebar", "PO-SG-01", "首钢");
        Add(new DateOnly(first.Year, 3, 18), "building_materials", "ready_mix_c30", 420, "m3", "building 5 slabs", "PO-OTHER-03", "本地搅拌站");
        Add(new DateOnly(first.Year, 4, 10), "construction", "construction_service", 3_800_000, "CNY", "building 5 civil works", "CT-ZJ-01", "中建一局");
        Add(new DateOnly(first.Year, 5, 12), "equipment", "ups_500kva", 6, "item", "building 5 UPS", "PO-KH-01", "科华数据");
        Add(new DateOnly(first.Year, 5, 15), "equipment", "lfp_battery", 2400, "kWh", "building 5 battery cabinets", "PO-CATL-01", "宁德时代");
        Add(new DateOnly(first.Year, 6, 3), "equipment", "chiller_1000rt", 2, "item", "building 5 chillers", "PO-YORK-01", "约克");
        Add(new DateOnly(first.Year, 6, 20), "purchased_goods", "office_desk", 60, "item", "office furniture", "PO-AURORA-01", "震旦家具");
        var (acts, actErrors) = ActivityCsv.Parse(new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString())));
        if (actErrors.Count > 0) throw new InvalidOperationException("demo purchases: " + string.Join("; ", actErrors.Select(e => $"line {e.Line}: {e.Reason}")));
        if (acts.Count > 0) await store.Carbon.ImportActivitiesAsync(park, acts, [], "demo", ct);

        // Suppliers and their answers (the verified-footprint share comes from the library).
        (string Name, string Contact, double Compliance, double Clean, double Waste, double Ems, double Sbti, double Intensity)[] suppliers =
        [
            ("浪潮信息", "王经理", 1, 3, 92, 1, 2, 0.12),
            ("华为技术", "李经理", 1, 3, 95, 1, 2, 0.10),
            ("科华数据", "张工", 1, 2, 80, 1, 1, 0.28),
            ("宁德时代", "陈工", 1, 3, 88, 1, 2, 0.15),
            ("约克", "刘工", 1, 2, 70, 1, 1, 0.35),
            ("北京金隅", "赵经理", 1, 1, 60, 1, 0, 0.80),
            ("首钢", "孙经理", 1, 2, 75, 1, 1, 0.65),
            ("本地搅拌站", "周老板", 0, 0, 30, 0, 0, 1.20),
        ];
        foreach (var s in suppliers)
        {
            await store.SupplyChain.AddSupplierAsync(park, s.Name, s.Contact, "demo", ct);
            await store.SupplyChain.SetAnswersAsync(park, s.Name, new Dictionary<string, double>
            {
                ["env_compliance"] = s.Compliance, ["clean_production"] = s.Clean, ["waste_recycling"] = s.Waste, ["ems_iso14001"] = s.Ems, ["sbti"] = s.Sbti,
                ["scope12_intensity"] = s.Intensity,
            }, "import", "demo", ct);
        }

        // Governance organisation.
        await store.Governance.SetUnitAsync(park, new OrgUnit("esg", "ESG 与绿色治理委员会", null), "demo", ct);
        foreach (var (code, name) in new[] { ("ops", "运维部"), ("energy", "能源管理部"), ("procurement", "采购部"), ("admin", "行政部") })
            await store.Governance.SetUnitAsync(park, new OrgUnit(code, name, "esg"), "demo", ct);
        (string Code, string Name, string Unit, string Role, string Resp, string[] Kpis)[] people =
        [
            ("p01", "周明", "esg", "园区总经理（委员会主任）", "碳中和目标与年度减排计划", ["neutrality_rate", "scope1_t", "scope2_t"]),
            ("p02", "李娜", "energy", "能源经理", "能耗与碳排放核算、绿电与绿证采购", ["pue", "cue", "scope2_t", "energy_plan"]),
            ("p03", "王磊", "ops", "运维主管", "制冷与供配电能效、数据质量", ["pue", "wue", "data_quality"]),
            ("p04", "陈静", "procurement", "采购主管", "供应商绿色评价与产品碳足迹", ["scope3_t", "supplier_grades"]),
            ("p05", "赵敏", "admin", "行政主管", "低碳办公与个人碳账户", ["personal_accounts"]),
            ("p06", "孙浩", "ops", "运维工程师", "巡检与制冷剂管理", ["scope1_t"]),
        ];
        foreach (var p in people) await store.Governance.SetPersonAsync(park, new Person(p.Code, p.Name, p.Unit, p.Role, p.Resp, p.Kpis, false), "demo", ct);

        // Low-carbon activities of the demo year.
        await store.Carbon.AddFactorsAsync([F("meeting_catering", 2.5, "item", "meal per participant, of the order of published catering factors")], "demo", ct);
        EventDraft[] events =
        [
            new(new DateOnly(first.Year, 3, 12), "tree_planting", "植树节：园区碳汇林植树", 60,
                [new("business_travel", "rail_travel", 3000, "pkm"), new("purchased_goods", "meeting_catering", 60, "item")], "园区碳汇林（200 棵）", "SINK-DEMO-2025-01", 0.3, "新增绿地 0.5 公顷，员工与社区共同参与"),
            new(new DateOnly(first.Year, 6, 5), "training", "世界环境日：碳管理培训", 120,
                [new("purchased_electricity", "electricity", 450, "kWh"), new("purchased_goods", "meeting_catering", 120, "item")], "购买绿证覆盖会场用电", "GEC-DEMO-2025-06", 0.6, "培训 120 人次，覆盖全部运维人员"),
            new(new DateOnly(first.Year, 9, 20), "public_benefit", "社区开放日：数据中心节能科普", 200,
                [new("business_travel", "rail_travel", 5000, "pkm"), new("purchased_electricity", "electricity", 300, "kWh")], "", "", 0, "接待社区居民与学生 200 人"),
            new(new DateOnly(first.Year, 11, 8), "meeting", "年度 ESG 会议（线上为主）", 40,
                [new("business_travel", "air_travel", 6000, "pkm"), new("purchased_electricity", "electricity", 120, "kWh")], "CCER 抵消", "CCER-DEMO-2025-11", 1.0, "发布年度 ESG 报告"),
        ];
        foreach (var e in events.Where(e => e.Date >= first && e.Date <= last)) await store.Governance.AddEventAsync(park, e, "demo", ct);

        // Personal carbon accounts: the last six days' reports.
        (string Person, string Kind, double Quantity)[] pattern =
            [("p02", "transit_commute", 18), ("p03", "cycling", 6), ("p05", "paper_saved", 120), ("p06", "walking", 2.5), ("p04", "transit_commute", 11), ("p01", "paper_saved", 40)];
        for (var d = 1; d <= 6; d++)
            foreach (var (person, kind, quantity) in pattern.Where((_, i) => (i + d) % 3 != 0))
                try
                {
                    await store.Governance.ReportAsync(park, person, today.AddDays(-d), kind, quantity + d % 3, ct);
                }
                catch (ConflictException)
                {
                    // Run twice on one day: already there.
                }
        await store.Governance.SetRewardsAsync(park, new ZeroPark.Governance.RewardThresholds(50, 200, 500), "demo", ct);
    }
}
