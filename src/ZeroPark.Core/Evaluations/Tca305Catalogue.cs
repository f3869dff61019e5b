namespace ZeroPark.Evaluations;

/// <summary>
/// T/CA305-2023《零碳数据中心分级与评价方法》 as data: the basic requirements and constraints (§4, 附录A), the 60 points of
/// energy-saving technology and management for the operation stage (附录C, four tables: 能源资源高效利用 29, 废弃物管理和冷媒排放 5,
/// 基础设施管理 11, 运维管理与低碳节能管理 15), the offset score (附表F/G: S_DC × 40) and the grade bands (§7). Texts are copied
/// from the standard (seed: the standard's presentation of 2023-12-13); the clause column names the table and row, because the
/// standard's 附录C rows have no numbers of their own. The item codes are this project's.
/// </summary>
public static class Tca305Catalogue
{
    public const string Standard = "T/CA305-2023";

    private const string G1 = "能源资源高效利用", G1En = "Efficient use of energy and resources";
    private const string G2 = "废弃物管理和冷媒排放", G2En = "Waste management and refrigerant";
    private const string G3 = "基础设施管理", G3En = "Infrastructure management";
    private const string G4 = "运维管理与低碳节能管理", G4En = "O&M and low-carbon management";

    /// <summary>Groups of 附录C with their points (29 + 5 + 11 + 15 = 60).</summary>
    public static readonly IReadOnlyList<(string Zh, string En, decimal Max)> Groups = [(G1, G1En, 29m), (G2, G2En, 5m), (G3, G3En, 11m), (G4, G4En, 15m)];

    /// <summary>Basic requirements (§4 a/b/e) and the constraints of 附录A (§4.2); every one must be met.</summary>
    public static readonly IReadOnlyList<Requirement> Requirements =
    [
        new("boundary", "§4 a)", "数据中心物理边界清晰", "Clear physical boundary", CriterionSource.Evaluator, "数据中心物理边界清晰。"),
        new("operating", "§4 b)", "设计完成或生产经营正常", "Design complete or operating normally", CriterionSource.Evaluator,
            "数据中心完成设计可进行预评审或生产经营正常的可以进入评审。"),
        new("scope", "§4 e)", "明确参评范围", "Evaluation scope defined", CriterionSource.Evaluator, "明确本次参评数据中心的参评范围，用以进行碳排放的核算以及生成评估报告。"),
        new("construction_compliance", "附录A 基础合规性·建设运营合规性", "建设运营合规性", "Construction and operation compliance", CriterionSource.Evaluator,
            "数据中心物理边界清晰，数据中心生产经营正常。建设和运行阶段三年内，未发生较大及以上生产安全和质量事故、III级（较大）及以上突发环境污染事件。"),
        new("environment_compliance", "附录A 基础合规性·环境质量合规性", "环境质量合规性", "Environmental quality compliance", CriterionSource.Evaluator,
            "数据中心环境质量应达到国家和地方规定的环境功能区环境质量标准，数据中心污染物达标排放，各类污染物排放总量不超过国家和地方的排放总量要求。"),
        new("carbon_system", "附录A 碳排放机制·工作体系 (§4 c)", "碳排放工作体系", "Carbon management system", CriterionSource.Evaluator,
            "数据中心有明确的碳排放工作体系，有专门负责组织协调和推进零碳数据中心创建提升和评价工作，建立健全碳排放管理和统计制度。"),
        new("zero_carbon_plan", "附录A 碳排放机制·零碳发展策略和实施方案 (§4 d)", "零碳发展策略和实施方案", "Zero-carbon strategy and plan", CriterionSource.Evaluator,
            "数据中心应制定适宜的零碳发展策略和实施方案，方案以数据中心整体为对象，包括基础设施及生产生活相关系统。"),
        new("continuity", "附录A 运营状态·业务连续性", "业务连续性", "Business continuity", CriterionSource.Evaluator,
            "最近三年未发生过不能正常提供服务的严重事件：长时间业务中断超出设计目标或SLA；因自身原因客户拒绝付款或被上级部门考核不合格；依靠政府或公共部门干预解决。"),
        new("pue", "附录A 运营状态·电能使用效率 (§4.2)", "电能使用效率 PUE", "Power usage effectiveness (PUE)", CriterionSource.Computed,
            "连续一年内PUE实测值：投入使用三年以上：严寒≤1.3、寒冷≤1.35、其他≤1.4；近三年新建：严寒≤1.2、寒冷≤1.25、其他≤1.3。"),
        new("pue_local", "附录A 运营状态·电能使用效率 (§4.2)", "满足国家及地方PUE限值", "National and local PUE limits met", CriterionSource.Evaluator,
            "满足国家及项目所在地政府的电能使用效率限值要求。"),
        new("wue", "附录A 运营状态·水资源利用效率 (§4.2)", "水资源利用效率 WUE", "Water usage effectiveness (WUE)", CriterionSource.Computed,
            "连续一年内WUE实测值宜满足：投入使用三年以上 WUE≤1.6 kg/kWh；近三年新建 WUE≤1.4 kg/kWh；并满足国家及地方限值。"),
        new("offset_ratio", "附录A 运营状态·碳抵消比例；附表F", "碳抵消比例 > 20%", "Offset ratio above 20 %", CriterionSource.Computed,
            "碳抵消比例大于20%（S_DC(运行) = −C_p / C_yw × 100%，准入值 > 20%）。"),
        new("scope1_offset", "§6", "范围一排放以碳汇抵消", "Scope 1 offset by sinks only", CriterionSource.Computed,
            "无论哪个阶段，范围一的碳排放，必须要以碳汇进行抵消，不得用绿电、绿证等绿色能源指标抵消。"),
    ];

    /// <summary>The 60 points of 附录C (operation stage).</summary>
    public static readonly IReadOnlyList<Criterion> Items =
    [
        // 能源资源高效利用 (29)
        new("pue_score", "附录C 能源资源高效利用·能源利用·高效用电", G1, G1En, "高效用电", "Efficient electricity use (PUE score)", 20m, CriterionSource.Computed,
            "按照 GB 40879—2021 要求测量 PUE 数值，要求满足 4.2.2 节 PUE 限值，低于限值不得分。PUE 得分 = 30 − 10 × PUE 值。"),
        new("pue_auto", "附录C 能源资源高效利用·能源利用·PUE可自动测算", G1, G1En, "PUE 可自动测算", "PUE measured automatically", 2m, CriterionSource.Evaluator,
            "PUE 实现自动测算，并提供过去一年的 PUE 实测值，具备完整的计量系统，计量系统应能准确计量数据，根据实际提供情况，得 0~2 分。"),
        new("it_load", "附录C 能源资源高效利用·能源利用·IT负载率", G1, G1En, "IT 负载率", "IT load rate", 2m, CriterionSource.Computed,
            "IT 设备负荷使用率 ≥ 60%，得 2 分；70% > 使用率 ≥ 40%，得 1 分；使用率 < 40%，不得分。"),
        new("water", "附录C 能源资源高效利用·资源利用·高效用水", G1, G1En, "高效用水", "Efficient water use", 5m, CriterionSource.Computed,
            "水资源使用效率小于 1.4 L/kW·h，得 5 分；大于 1.4 L/kW·h，根据空调系统的节水测算和当地水资源情况，得 0~2 分。"),
        // 废弃物管理和冷媒排放 (5)
        new("diesel_oil", "附录C 废弃物管理和冷媒排放·废弃物管理·柴油管理和废油处置", G2, G2En, "柴油管理和废油处置", "Diesel management and waste oil", 1m, CriterionSource.Evaluator,
            "废油及废弃物不得随意丢弃。", [
                new("a", "柴油发电机房设有废油收集装置", "Waste-oil collection in the generator room", 0.5m),
                new("b", "使用柴油发电机时，与加油站有储存柴油更换协议", "Diesel exchange agreement with a filling station", 0.5m)]),
        new("wastewater", "附录C 废弃物管理和冷媒排放·废弃物管理·污废水处理", G2, G2En, "污废水处理", "Waste water treatment", 1m, CriterionSource.Evaluator,
            "污废水处理，如冷却塔、板式换热器化学清洗后的污废水有合理的处置方案。"),
        new("refrigerant", "附录C 废弃物管理和冷媒排放·温室气体排放·冷媒排放合理处置", G2, G2En, "冷媒排放合理处置", "Refrigerant release and recovery", 3m, CriterionSource.Evaluator,
            "配备冷媒紧急放散系统，现场具备冷媒收集条件，冷媒回收规模满足单系统冷媒最大充罐量，得 3 分。", [
                new("a", "冷媒紧急放散系统、收集条件、回收规模满足单系统最大充罐量", "Emergency release, collection and recovery sized to the largest charge", 3m)]),
        // 基础设施管理 (11)
        new("blanking", "附录C 基础设施管理·空间布局·机柜内布置", G3, G3En, "机柜内布置", "Blanking panels in racks", 1m, CriterionSource.Evaluator,
            "实际运行的数据中心机柜内未上架槽位应以盲板补齐，防止气流短路，得 1 分。", [
                new("a", "未上架槽位以盲板补齐", "Empty slots closed with blanking panels", 1m)]),
        new("ups_sleep", "附录C 基础设施管理·UPS·电源智能管理及休眠", G3, G3En, "电源智能管理及休眠", "UPS module sleep", 2m, CriterionSource.Evaluator,
            "UPS 功率模块可以根据负载情况进行休眠，优化负载率，提升电源转换效率，得 2 分。", [
                new("a", "UPS 功率模块按负载休眠", "UPS power modules sleep according to load", 2m)]),
        new("cooling_control", "附录C 基础设施管理·能源效率·精确管理与控制", G3, G3En, "精确管理与控制", "Precise management and control", 3m, CriterionSource.Evaluator,
            "通过智能化手段或 AI 辅助手段，常态化持续调优，保证数据中心制冷效率（避免临时突击调优应付检查）。"),
        new("capacity", "附录C 基础设施管理·智能化管理系统·容量管理", G3, G3En, "容量管理", "Capacity management", 2m, CriterionSource.Evaluator,
            "采用精细化智能运营手段，结合软硬件，通过资产容量管理来实现数据中心各类物理设施与业务的匹配性，提升利用率，避免资源浪费。"),
        new("predictive", "附录C 基础设施管理·智能化管理系统·预测性维护", G3, G3En, "预测性维护", "Predictive maintenance", 1m, CriterionSource.Evaluator,
            "利用数字化运维，如 AI 预测分析、电子巡检、人员值排班、知识库等，提高运维质量与效率，保障业务可靠性。"),
        new("ai_tuning", "附录C 基础设施管理·智能化管理系统·能耗调优", G3, G3En, "能耗调优", "Energy tuning (AI)", 2m, CriterionSource.Evaluator,
            "采用人工智能技术对能耗系统进行调优，根据应用效果，得 0 ~ 2 分。"),
        // 运维管理与低碳节能管理 (15)
        new("om_team", "附录C 运维管理与低碳节能管理·运维管理机构·运维团队", G4, G4En, "运维团队", "O&M team", 1m, CriterionSource.Evaluator,
            "数据中心有专业运行维护团队或委托专业服务机构进行运营管理。", [
                new("a", "专业运维团队或委托专业机构，有明确的管理组织架构和职责", "Professional O&M team with organisation and duties", 0.5m),
                new("b", "设置满足运维要求的工作岗位", "Posts meeting O&M needs", 0.25m),
                new("c", "特殊技术岗位的专业人员持证上岗", "Certified staff in special posts", 0.25m)]),
        new("green_rules", "附录C 运维管理与低碳节能管理·运维管理制度·绿色管理制度", G4, G4En, "绿色管理制度", "Green management rules", 1m, CriterionSource.Evaluator,
            "绿色数据中心建立并完善绿色管理制度，根据实际情况得 0~1 分。"),
        new("energy_statistics", "附录C 运维管理与低碳节能管理·能源和碳排管理体系建设·能源统计与分析", G4, G4En, "能源统计与分析", "Energy statistics and analysis", 2m, CriterionSource.Evaluator,
            "有专人负责组织协调和推进零碳数据中心创建提升和评价工作，建立健全碳排放管理和统计制度，并定期进行统计分析和公示，得 2 分。", [
                new("a", "专人负责、碳排放管理和统计制度、定期统计分析和公示", "Person in charge, rules, regular analysis and publication", 2m)]),
        new("energy_disclosure", "附录C 运维管理与低碳节能管理·能源和碳排管理体系建设·能源统计与分析", G4, G4En, "能耗公示", "Energy use published", 1m, CriterionSource.Evaluator,
            "定期公示能耗情况和实施的节能措施，得 1 分。", [
                new("a", "定期公示能耗情况和节能措施", "Energy use and measures published regularly", 1m)]),
        new("green_strategy", "附录C 运维管理与低碳节能管理·能源和碳排管理体系建设·绿色发展策略", G4, G4En, "绿色发展策略", "Green development strategy", 1m, CriterionSource.Evaluator,
            "制定适宜、清晰、长远的零碳发展策略和实施方案，得 0~1 分。"),
        new("green_purchasing", "附录C 运维管理与低碳节能管理·绿色供应链管理·绿色采购", G4, G4En, "绿色采购", "Green purchasing", 1m, CriterionSource.Evaluator,
            "建立“绿色采购”制度，优先采购满足国家有关绿色设计产品评价要求或满足相关节能、节水、有害物质限制标准要求的设备和产品，得 1 分。", [
                new("a", "建立绿色采购制度", "Green purchasing rules in place", 1m)]),
        new("suppliers", "附录C 运维管理与低碳节能管理·绿色供应链管理·供方管理", G4, G4En, "供方管理", "Supplier management", 1m, CriterionSource.Evaluator,
            "对供方采取了必要的管理措施，包括合同约束、履约保证、到货验收、测试验证、服务评价等，有不合格供方退出机制，得 1 分。", [
                new("a", "供方管理措施及不合格供方退出机制", "Supplier controls with an exit mechanism", 1m)]),
        new("third_party", "附录C 运维管理与低碳节能管理·第三方测评咨询·检测评估", G4, G4En, "检测评估", "Third-party testing", 3m, CriterionSource.Evaluator,
            "提供参评年度内具备相关检测资质（如 CNAS、CMA）第三方检测评估报告（机房环境、供配电安全性、电能使用效率、能源计量审查等），得 0~3 分。"),
        new("best_practice", "附录C 运维管理与低碳节能管理·节能技术推广·节能推广", G4, G4En, "节能推广", "Sharing best practice", 1m, CriterionSource.Evaluator,
            "是否向业界公开绿色节能最佳实践，促进节能技术的推广，得 0~1 分。"),
        new("training", "附录C 运维管理与低碳节能管理·宣传培训·专业技能培训", G4, G4En, "专业技能培训", "Skills training", 1m, CriterionSource.Evaluator,
            "定期组织岗位技能和节能知识培训，有培训记录，得 1 分。", [
                new("a", "定期培训并有培训记录", "Regular training with records", 1m)]),
        new("exchange", "附录C 运维管理与低碳节能管理·宣传培训·交流学习", G4, G4En, "交流学习", "Industry exchange", 1m, CriterionSource.Evaluator,
            "运维管理人员积极参与研讨会、展览会，提供参会证明材料，参加一场得 0.5 分，最多得 1 分。", [
                new("a", "参会一场（证明材料）", "One event attended (proof)", 0.5m),
                new("b", "参会第二场（证明材料）", "A second event attended (proof)", 0.5m)]),
        new("energy_audit", "附录C 运维管理与低碳节能管理·节能诊断·节能推广", G4, G4En, "节能诊断", "Energy diagnosis", 1m, CriterionSource.Evaluator,
            "近两年内自愿接受节能诊断服务，并依据诊断结果开展节能、节水等绿色技术改造并取得实效，得 1 分。", [
                new("a", "近两年接受节能诊断并改造取得实效", "Diagnosis in the last two years with effective retrofits", 1m)]),
    ];

    /// <summary>附表G: the offset ratio weighs 40 %, the energy-saving technology and management 60 %.</summary>
    public const decimal OffsetPoints = 40m;

    /// <summary>Admission value of the offset ratio (附表F: 准入值 &gt; 20 %, strict).</summary>
    public const decimal OffsetAdmission = 0.20m;

    /// <summary>§7 grade bands: 引领级 [90, 100], 优秀级 [80, 90), 良好级 [70, 80), 达标级 [60, 70).</summary>
    public static readonly IReadOnlyList<(string Code, string Zh, string En, decimal Min)> Grades =
    [
        ("leading", "引领级", "Leading", 90m), ("excellent", "优秀级", "Excellent", 80m), ("good", "良好级", "Good", 70m), ("qualified", "达标级", "Qualified", 60m),
    ];

    /// <summary>Below 60 with every requirement met (worked case WC-30's wording).</summary>
    public const string NoGradeZh = "不达标(无等级)";
    /// <summary>A requirement not met: the evaluation ends (§7 "评价结果直接确定为不合格").</summary>
    public const string FailedZh = "不合格";

    /// <summary>§4.2 PUE limits (12-month measured): in operation more than three years 严寒 1.3, 寒冷 1.35, 其他 1.4; built in the
    /// last three years 1.2, 1.25, 1.3.</summary>
    public static decimal PueLimit(Domain.ClimateZone zone, bool existing) => (zone, existing) switch
    {
        (Domain.ClimateZone.SevereCold, true) => 1.30m,
        (Domain.ClimateZone.Cold, true) => 1.35m,
        (_, true) => 1.40m,
        (Domain.ClimateZone.SevereCold, false) => 1.20m,
        (Domain.ClimateZone.Cold, false) => 1.25m,
        _ => 1.30m,
    };

    /// <summary>§4.2 WUE limits ("宜"): more than three years 1.6, last three years 1.4 kg/kWh (= L/kWh).</summary>
    public static decimal WueLimit(bool existing) => existing ? 1.6m : 1.4m;

    /// <summary>附录C 高效用水: WUE below this (strict) scores 5.</summary>
    public const decimal WaterFullScoreBelow = 1.4m;
    /// <summary>附录C 高效用水: otherwise the evaluator gives 0–2.</summary>
    public const decimal WaterEvaluatorMax = 2m;
}
