namespace ZeroPark.Evaluations;

/// <summary>
/// T/BFIA 043-2024《金融数据中心绿色等级评价指标》 as data: every indicator of 表A.1 with its sub-items and points, grouped as
/// 表B.1 (电能比 25, 能源计量管理 20, 关键设备绿色管理 40, 绿色运维 15, 附加项 10 = 110), and the star bands of 表B.2. Clause
/// numbers are the standard's (§6.x); the item codes are this project's.
/// <para>Where the standard contradicts itself (reference data §8.2) this catalogue chooses, and docs/evaluations.md and the
/// evaluation page show the choice (<see cref="Choices"/>):</para>
/// <list type="number">
/// <item>绿色测评 (§6.4.3.1): 表A.1 gives 1.5 + 1.5 = 3 points, 表B.1 gives 2. Chosen: 3 (表A.1, whose sub-items carry the points).</item>
/// <item>碳核查 (§6.4.3.2): 表A.1 gives 1, 表B.1 gives 2. Chosen: 1 (表A.1). Either way the two add up to 4 and 绿色运维 to 15.</item>
/// <item>冷源子系统 (§6.3.2.2): the sub-items of 表A.1 add up to 4.5 but the item's maximum is 4 in both tables. Chosen: the
/// ticked sub-items are summed and capped at 4.</item>
/// </list>
/// </summary>
public static class Bfia043Catalogue
{
    public const string Standard = "T/BFIA 043-2024";

    private const string E = "数据中心电能比", EEn = "Electricity ratio";
    private const string M = "能源计量管理", MEn = "Energy metering management";
    private const string K = "关键设备绿色管理", KEn = "Green management of key equipment";
    private const string O = "绿色运维", OEn = "Green operation and maintenance";
    private const string A = "附加项", AEn = "Additional items";

    /// <summary>表B.1 evaluation objects with their maxima (25 + 20 + 40 + 15 + 10 = 110).</summary>
    public static readonly IReadOnlyList<(string Zh, string En, decimal Max)> Groups = [(E, EEn, 25m), (M, MEn, 20m), (K, KEn, 40m), (O, OEn, 15m), (A, AEn, 10m)];

    /// <summary>The three contradictions of the source and the choice made (shown on the page and in the JSON).</summary>
    public static readonly IReadOnlyList<(string Item, string ZhText, string EnText)> Choices =
    [
        ("green_review", "绿色测评：表A.1 为 1.5+1.5=3 分，表B.1 为 2 分；本系统采用表A.1（3 分）。",
            "Green review: Table A.1 gives 1.5 + 1.5 = 3 points, Table B.1 gives 2; ZeroPark uses Table A.1 (3)."),
        ("carbon_verification", "碳核查：表A.1 为 1 分，表B.1 为 2 分；本系统采用表A.1（1 分），两项合计仍为 4 分。",
            "Carbon verification: Table A.1 gives 1 point, Table B.1 gives 2; ZeroPark uses Table A.1 (1); the two still add up to 4."),
        ("cold_source", "冷源子系统：表A.1 子项合计 4.5 分，但该项最高 4 分；本系统按子项累加并以 4 分封顶。",
            "Cold source: the sub-items of Table A.1 add up to 4.5 but the item's maximum is 4; ZeroPark sums the ticked sub-items and caps at 4."),
    ];

    private static SubCriterion S(string code, string zh, string en, decimal p) => new(code, zh, en, p);

    public static readonly IReadOnlyList<Criterion> Items =
    [
        new("ratio", "§6.1 (GB 40879 §6.3.2.4 式(4)/(5))", E, EEn, "数据中心电能比", "Electricity ratio R (PUE)", 25m, CriterionSource.Computed,
            "S = 35 − 10 × R（25分）"),
        // 能源计量管理 (20)
        new("metering_documents", "§6.2.1.1", M, MEn, "能源计量管理制度文件", "Metering management documents", 3m, CriterionSource.Evaluator, "是否具备以下文件：", [
            S("a", "能源计量管理职责", "Metering responsibilities", 0.5m),
            S("b", "能源计量器具配备、使用和维护管理制度", "Meter provision, use and maintenance rules", 0.5m),
            S("c", "能源计量器具周期检定/校准管理制度", "Periodic verification/calibration rules", 0.5m),
            S("d", "能源计量人员配备、培训和考核管理制度", "Metering staff, training and assessment rules", 0.5m),
            S("e", "能源计量数据采集、处理、统计分析和应用制度", "Data collection, processing, analysis and use rules", 0.5m),
            S("f", "能源计量工作自查和改进制度", "Self-inspection and improvement rules", 0.5m)]),
        new("metering_execution", "§6.2.1.2", M, MEn, "能源计量管理制度的执行", "Metering rules carried out", 2m, CriterionSource.Evaluator,
            "能源计量管理制度是否传达至有关人员，并被其理解、获取和执行（2分）"),
        new("metering_structure", "§6.2.2.1", M, MEn, "能源计量器具分类、分级和分项", "Metering by carrier, level and use", 1m, CriterionSource.Registry,
            "能源计量器具是否实现数据中心能源分类、分级和分项计量。分类：电能、水、油、气等分别计量；分级：按市电、变压器、UPS等分级计量；分项：按信息设备、空调、生活消耗进行分项（1分）"),
        new("metering_coverage", "§6.2.2.2", M, MEn, "能源计量器具配备率", "Meter coverage", 1m, CriterionSource.Evaluator,
            "能源计量器具配备是否符合GB 17167的要求，同时满足数据中心电能比（包括水利用效率）测量的采集要求（1分）"),
        new("meter_management", "§6.2.2.3", M, MEn, "能源计量器具管理", "Meter management", 1m, CriterionSource.Evaluator,
            "数据中心对能源计量器具配备、申购、验收、保管、使用、检定/校准、维护和报废处理等环节是否形成制度并实施有效管理（1分）"),
        new("meter_calibration", "§6.2.2.4", M, MEn, "能源计量器具检定/校准", "Meter verification/calibration", 1m, CriterionSource.Evaluator,
            "数据中心是否制定能源计量器具周期检定/校准计划，实行定期检定/校准（1分）"),
        new("metering_staff", "§6.2.3.1", M, MEn, "能源计量人员配备", "Metering staff", 3m, CriterionSource.Evaluator,
            "数据中心配备足够的专业人员从事能源计量管理工作（3分）"),
        new("metering_skills", "§6.2.3.2", M, MEn, "能源计量人员能力", "Metering staff competence", 2m, CriterionSource.Evaluator,
            "从事能源计量工作人员是否具备相关资质或能力，定期接受培训，持证上岗；是否建立能源计量工作人员技术档案（2分）"),
        new("data_collection", "§6.2.4.1", M, MEn, "能源计量数据采集", "Metering data collection", 3m, CriterionSource.Evaluator,
            "是否定期进行计量数据人工采集或自动采集；自动采集结果上传至能源管理平台；记录完整、真实、准确、可靠，追溯至最初原始数据（3分）"),
        new("data_use", "§6.2.4.2", M, MEn, "能源计量数据利用", "Use of metering data", 3m, CriterionSource.Evaluator,
            "是否将能源计量数据作为统计调查、统计分析的基础；制定年度用能目标和实施方案；作为能源审计、能效对标、节能改造等活动的依据（3分）"),
        // 关键设备绿色管理 (40)
        new("transformer", "§6.3.1.2", K, KEn, "变压器", "Transformers", 3m, CriterionSource.Evaluator, "是否满足以下要求：", [
            S("a", "供配电系统架构合理，合理选择变压器，减少变压器台数", "Sound architecture, fewer transformers", 1m),
            S("b", "IT用变压器实际运行负荷不低于计算负荷的30%", "IT transformers loaded ≥ 30 % of design load", 1m),
            S("c", "选用满足GB 20052中一级能效的变压器", "GB 20052 grade-1 transformers", 0.5m),
            S("d", "变压器布置合理，深入负荷中心，减少传输损耗", "Transformers near the load centre", 0.5m)]),
        new("transmission", "§6.3.1.3", K, KEn, "电能传输系统", "Power transmission", 2m, CriterionSource.Evaluator, "是否满足以下要求：", [
            S("a", "配置谐波治理和无功补偿设备，功率因数 > 0.95", "Harmonic filtering and compensation, PF > 0.95", 1m),
            S("b", "配电柜内母线采用优质电解铜排（纯度≥99.95%，导电率≥97%），搭接面镀银/镀镍/压花", "High-purity copper busbars with treated joints", 0.5m),
            S("c", "选用铜质线缆（纯度≥99.95%，导电率≥97%），大电流采用铜质密集母线", "Copper cables and compact busways", 0.5m)]),
        new("ups", "§6.3.1.4", K, KEn, "不间断电源系统", "UPS", 3m, CriterionSource.Evaluator, "是否满足以下要求：", [
            S("a", "合理选择UPS数量，集中供电时并机数量不超过4台", "UPS count sized; ≤ 4 in parallel", 1m),
            S("b", "选用高效率、低输入谐波、高输入功率因数、低噪声的UPS产品（如模块化UPS）", "Efficient, low-harmonic UPS (e.g. modular)", 0.5m),
            S("c", "经济运行策略，自动休眠模块或机组，推荐ECO模式", "Economy mode, module sleep", 1m),
            S("d", "采用智能电池管理技术", "Smart battery management", 0.5m)]),
        new("generators", "§6.3.1.5", K, KEn, "柴油发电机组", "Diesel generators", 2m, CriterionSource.Evaluator, "是否满足以下要求：", [
            S("a", "采用高压柴油发电机组等高电压等级设备降低输送损耗", "High-voltage generator sets", 0.4m),
            S("b", "机组位置邻近负荷中心安装", "Sets near the load centre", 0.4m),
            S("c", "合理选择机组，负载率控制在75%运行", "Sized for 75 % load", 0.4m),
            S("d", "并联模式时根据末端负载自动加减机组", "Automatic add/shed in parallel mode", 0.4m),
            S("e", "采用黑烟净化装置", "Exhaust after-treatment", 0.4m)]),
        new("lighting", "§6.3.1.6", K, KEn, "照明系统", "Lighting", 2m, CriterionSource.Evaluator, "是否满足以下要求：", [
            S("a", "选用高效节能光源，灯具能效值不小于80lm/W", "Efficient lamps ≥ 80 lm/W", 0.4m),
            S("b", "分区、分组控制策略", "Zoned and grouped switching", 0.4m),
            S("c", "采用自动控制方式，如智能照明系统", "Automatic (smart) lighting control", 0.4m),
            S("d", "在监控中心通过监控主机对主机房的照明进行控制", "Computer-room lighting controlled from the monitoring centre", 0.4m),
            S("e", "支持区、辅助区等利用自然光源或绿色电力照明", "Daylight or green power in support areas", 0.4m)]),
        new("cold_source", "§6.3.2.2", K, KEn, "冷源子系统", "Cold source", 4m, CriterionSource.Evaluator, "是否满足以下要求（子项合计4.5分，本项最高4分）：", [
            S("a", "技术方案经济、节能、节水比对，选择高效节能、节水的冷源型式", "Efficient, water-saving cold source chosen by comparison", 0.6m),
            S("b", "冷源系统方案最大限度利用室外自然冷源", "Maximum free cooling", 0.6m),
            S("c", "采用余热回收技术", "Waste-heat recovery", 0.5m),
            S("d", "制冷主机、冷却塔、风机等设备变频调速控制", "Variable-speed chillers, towers, fans", 0.4m),
            S("e", "中温冷冻水、低压比压缩机、磁悬浮压缩机等提升能效比", "Medium-temperature chilled water, maglev compressors", 0.5m),
            S("f", "其它冷源型式（间接蒸发、氟泵、热管、液冷等）提升送风温度、合理选型", "Other cold sources with higher supply air temperature", 0.5m),
            S("g", "冷却塔、板式换热器、间接蒸发冷却机组经济节能选型比对", "Towers, plate exchangers, indirect evaporative units compared", 0.4m),
            S("h", "实时监测关键设备运行参数，定期评估、维护", "Real-time monitoring of key equipment", 0.6m),
            S("i", "选配高效水处理设备", "Efficient water treatment", 0.4m)]),
        new("distribution", "§6.3.2.3", K, KEn, "输配子系统", "Distribution (pumps, pipes)", 3m, CriterionSource.Evaluator, "是否满足以下要求：", [
            S("a", "输配设备（如水泵）变频调速控制", "Variable-speed pumps", 0.6m),
            S("b", "控制输配设备运转频率满足高效、节能、稳定运行", "Pump frequency controlled", 0.6m),
            S("c", "输配管路选材及路由布置合理", "Pipe material and routing", 0.5m),
            S("d", "输配管路保温、保冷设计选型经济合理", "Pipe insulation", 0.5m),
            S("e", "空调冷水系统耗电输冷比满足GB 50189中的限定值", "Chilled-water transport ratio within GB 50189", 0.4m),
            S("f", "各并联空调管路不平衡率控制在7%以内", "Parallel branch imbalance ≤ 7 %", 0.4m)]),
        new("terminal", "§6.3.2.4", K, KEn, "末端空气调节子系统", "Terminal air conditioning", 5m, CriterionSource.Evaluator, "是否满足以下要求：", [
            S("a", "数据中心空调变风量运行", "Variable air volume", 0.4m),
            S("b", "采用高效、节能加湿和除湿方式", "Efficient humidification/dehumidification", 0.4m),
            S("c", "气流组织采用冷热隔离措施（通道封闭等）", "Hot/cold aisle containment", 0.6m),
            S("d", "送回风气流顺畅，无气流阻挡和气流短路", "Unobstructed air paths", 0.4m),
            S("e", "实时检测空调运行参数", "Real-time AC monitoring", 0.4m),
            S("f", "直接膨胀式空调机组采用变频压缩机", "Inverter compressors in DX units", 0.3m),
            S("g", "扩大湿度控制的设定范围", "Wider humidity set range", 0.4m),
            S("h", "风冷/列间空调选配制冷剂泵或乙二醇自然冷却", "Pumped refrigerant or glycol free cooling", 0.4m),
            S("i", "控制系统具备群控功能（温湿度动态设定、风机转速、无级变容量）", "Group control of AC units", 0.4m),
            S("j", "控制系统组网，实现热备、轮循、自动增减机等群控策略", "Networked control: standby, rotation, staging", 0.4m),
            S("k", "采用可回收和环境友好的材料，低噪声设备", "Recyclable materials, low noise", 0.4m),
            S("l", "盲板、高热密度机柜专项方案（背板等局部冷却）", "Blanking panels, local cooling for hot racks", 0.5m)]),
        new("ac_monitoring", "§6.3.3.1", K, KEn, "空调系统监测", "AC system monitoring", 2m, CriterionSource.Evaluator, "是否满足以下要求：", [
            S("a", "监测CLF", "CLF monitored", 0.5m), S("b", "监测EER", "EER monitored", 0.5m),
            S("c", "监测水泵运行状态", "Pump status monitored", 0.5m), S("d", "监测冷媒是否泄漏或压力异常", "Refrigerant leaks/pressure monitored", 0.5m)]),
        new("electrical_monitoring", "§6.3.3.2", K, KEn, "电气系统监测", "Electrical monitoring", 2m, CriterionSource.Evaluator, "是否满足以下要求：", [
            S("a", "监测PLF", "PLF monitored", 0.4m),
            S("b", "监测变压器低压侧负载平衡率、电压平衡率、电能质量", "Transformer LV balance and power quality", 0.4m),
            S("c", "监测UPS的整机效率、功率因数等参数", "UPS efficiency and power factor", 0.4m),
            S("d", "监测蓄电池充放电状态", "Battery charge/discharge", 0.4m),
            S("e", "监测配电室、电池室的温度、相对湿度", "Temperature/humidity of switch and battery rooms", 0.4m)]),
        new("smart_systems", "§6.3.3.3", K, KEn, "智能化系统节能技术应用", "Smart energy-saving systems", 2m, CriterionSource.Evaluator, "是否满足以下要求：", [
            S("a", "智能化控制系统实时监测", "Real-time monitoring", 0.3m),
            S("b", "监测参数根据管理需求设置颗粒度", "Granularity set by management needs", 0.3m),
            S("c", "结果辅助编写节能改造方案", "Results used for retrofit plans", 0.2m),
            S("d", "实现关键技术指标监测", "Key indicators monitored", 0.2m),
            S("e", "联动节能控制，实现各区域联动", "Linked control across areas", 0.2m),
            S("f", "功耗数据实时采集分析", "Real-time power data analysis", 0.2m),
            S("g", "历史数据分析及预测", "Historical analysis and forecasting", 0.2m),
            S("h", "信息设备实时节能动态调整和控制", "Dynamic IT energy control", 0.2m),
            S("i", "制冷系统实时调整和优化", "Real-time cooling optimisation", 0.2m)]),
        new("servers", "§6.3.4.1", K, KEn, "服务器设备", "Servers", 4m, CriterionSource.Evaluator,
            "服务器设备是否采用了相关的节能技术（降低芯片能耗、虚拟化、GPU/存储混部、风液混部、超融合、精细化能源管理等），并取得较好的节能效果（4分）"),
        new("storage", "§6.3.4.2", K, KEn, "存储设备", "Storage", 3m, CriterionSource.Evaluator,
            "存储设备是否采用了相关的节能技术（固态存储、分层存储、虚拟化等），并取得较好的节能效果（3分）"),
        new("network", "§6.3.4.3", K, KEn, "网络设备", "Network", 3m, CriterionSource.Evaluator,
            "网络设备是否采用了相关的节能技术（调度优化、节能以太网、100GbE及以上、光纤通信等），并取得较好的节能效果（3分）"),
        // 绿色运维 (15)
        new("green_goals", "§6.4.1.1", O, OEn, "绿色战略目标", "Green strategic goals", 1m, CriterionSource.Evaluator, "", [
            S("a", "建立绿色运维管理体系，明确发展目标、工作计划和考核指标（重点考核电能比和WUE）", "Green O&M system with goals and KPIs (R, WUE)", 0.5m),
            S("b", "建立绿色采购制度", "Green purchasing rules", 0.5m)]),
        new("green_rules", "§6.4.1.2", O, OEn, "绿色管理制度", "Green management rules", 2m, CriterionSource.Evaluator,
            "是否建立详细的用能设备、设施台账和系统运行记录管理档案；完整的系统图纸；设备变更后及时更新；完整的维护保养和巡视检查记录，关键系统具有调优运行措施（2分）"),
        new("om_strategy", "§6.4.1.3", O, OEn, "运维策略", "O&M strategy", 3m, CriterionSource.Evaluator,
            "是否结合气候环境和自身负载变化、运营成本等因素科学制定运维策略（3分）"),
        new("green_team", "§6.4.2.1", O, OEn, "绿色运维团队", "Green O&M team", 3m, CriterionSource.Evaluator,
            "是否有明确的绿色低碳管理团队和技术团队，有明确的绿色低碳策略，实行目标责任制，或取得其他运维能力资质认证（如GB/T 33136）（3分）"),
        new("staff_development", "§6.4.2.2", O, OEn, "人员素质提升", "Staff development", 2m, CriterionSource.Evaluator,
            "是否开展节能理念宣传、探讨与研究活动，对全员进行节能教育与培训；定期对运维人员进行节能技能培训（2分）"),
        new("green_review", "§6.4.3.1", O, OEn, "绿色测评", "Green review", 3m, CriterionSource.Evaluator, "表A.1 3分（表B.1 为2分，见取舍说明）", [
            S("a", "针对上一年度绿色化水平进行自我评价，具备实施方案、记录，有明确改进建议", "Self-review of last year with plan, records, improvements", 1.5m),
            S("b", "上一年度利用外部资源开展绿色节能服务，具备实施记录", "External green services used last year, with records", 1.5m)]),
        new("carbon_verification", "§6.4.3.2", O, OEn, "碳核查", "Carbon verification", 1m, CriterionSource.Evaluator,
            "是否针对上一年度内碳排放进行核查，具备碳排放核算报告（表A.1 1分；表B.1 为2分，见取舍说明）"),
        // 附加项 (10)
        new("cue", "§6.5.1", A, AEn, "碳使用效率", "Carbon usage effectiveness", 3m, CriterionSource.Evaluator, "", [
            S("a", "有意识开展专业碳核查工作，并聘请外部第三方出具核查报告", "Third-party carbon verification report", 2m),
            S("b", "有意识开展碳使用效率自查工作", "CUE self-check", 1m)]) { Additional = true },
        new("renewable", "§6.5.2", A, AEn, "可再生能源利用消纳", "Renewable energy use", 2m, CriterionSource.Evaluator, "", [
            S("a", "使用绿色电力（如光伏发电）", "Green power used (e.g. PV)", 1m),
            S("b", "可再生能源使用率不低于所在省份的平均可再生能源电力消纳率", "Renewable share ≥ the province's average", 1m)]) { Additional = true },
        new("hazardous", "§6.5.3", A, AEn, "有毒有害物质处理", "Hazardous substances", 2m, CriterionSource.Evaluator,
            "是否建立了有毒有害物质处理措施，识别危险废物并委托具有资质的组织回收处理（2分）") { Additional = true },
        new("site_planning", "§6.5.4", A, AEn, "绿色场地规划", "Green site planning", 2m, CriterionSource.Evaluator,
            "选址考虑自然冷源使用和可再生能源消纳，优先布局在全国一体化算力网络国家枢纽节点（2分）") { Additional = true },
        new("retrofit", "§6.5.5", A, AEn, "绿色改造提升情况", "Green retrofits", 1m, CriterionSource.Evaluator,
            "近两年内节能新技术使用情况并取得可佐证的实效（如高压直流+市电直供、液冷）（1分）") { Additional = true },
    ];

    /// <summary>表B.2: 60–&lt;70 绿色一星, 70–&lt;80 二星, 80–&lt;90 三星, 90–&lt;100 四星, ≥ 100 五星.</summary>
    public static readonly IReadOnlyList<(int Stars, string Zh, string En, decimal Min)> Stars =
    [
        (5, "绿色五星", "Green 5 stars", 100m), (4, "绿色四星", "Green 4 stars", 90m), (3, "绿色三星", "Green 3 stars", 80m),
        (2, "绿色二星", "Green 2 stars", 70m), (1, "绿色一星", "Green 1 star", 60m),
    ];

    public const string NoStarZh = "无星级";
}
