using System.Globalization;

namespace ZeroPark.Server.Web;

/// <summary>The UI's strings in Chinese (default) and English, and number/date formatting per the request culture. Units are
/// always part of the formatted text.</summary>
public static class UiText
{
    private static readonly Dictionary<string, (string Zh, string En)> Texts = new(StringComparer.Ordinal)
    {
        ["app.name"] = ("ZeroPark 零碳园区", "ZeroPark"),
        ["app.tagline"] = ("数据中心园区能源与碳管理", "Energy & carbon management for data-center parks"),
        ["nav.parks"] = ("园区", "Parks"),
        ["nav.overview"] = ("园区概览", "Overview"),
        ["nav.audit"] = ("审计日志", "Audit log"),
        ["nav.energy"] = ("能源分析", "Energy analysis"),
        ["energy.title"] = ("能源分析", "Energy analysis"),
        ["energy.from"] = ("开始日期", "From"),
        ["energy.to"] = ("结束日期", "To"),
        ["energy.by.day"] = ("按日", "By day"),
        ["energy.by.month"] = ("按月", "By month"),
        ["energy.flow"] = ("能流图（电）", "Energy flow (electricity)"),
        ["energy.kpis"] = ("能效指标", "Efficiency KPIs"),
        ["energy.period"] = ("时段", "Period"),
        ["energy.total"] = ("总用电", "Total energy"),
        ["energy.range"] = ("请选择不超过 {0} 天、且开始不晚于结束的日期范围。", "Choose a range of at most {0} days whose start is not after its end."),
        ["nav.users"] = ("用户管理", "Users"),
        ["nav.password"] = ("修改密码", "Change password"),
        ["nav.signout"] = ("退出登录", "Sign out"),
        ["nav.park"] = ("当前园区", "Park"),
        ["lang.switch"] = ("English", "中文"),
        ["login.title"] = ("登录", "Sign in"),
        ["login.user"] = ("用户名", "User name"),
        ["login.password"] = ("密码", "Password"),
        ["login.submit"] = ("登录", "Sign in"),
        ["login.invalid"] = ("用户名或密码错误。", "Wrong user name or password."),
        ["login.locked"] = ("登录失败次数过多，账户已锁定。请在 {0} 分钟后重试，或联系管理员解锁。", "Too many failed sign-ins: the account is locked. Try again in {0} minutes or ask an administrator to unlock it."),
        ["login.disabled"] = ("账户已停用，请联系管理员。", "This account is disabled; ask an administrator."),
        ["login.required"] = ("请输入用户名和密码。", "Enter your user name and password."),
        ["login.hint"] = ("连续 5 次密码错误将锁定账户 15 分钟。", "Five wrong passwords in a row lock the account for 15 minutes."),
        ["password.title"] = ("修改密码", "Change password"),
        ["password.must"] = ("首次登录或管理员重置后，请先设置新密码。", "Choose a new password before you continue (first sign-in or a reset)."),
        ["password.current"] = ("当前密码", "Current password"),
        ["password.new"] = ("新密码（至少 10 个字符）", "New password (at least 10 characters)"),
        ["password.repeat"] = ("确认新密码", "Repeat the new password"),
        ["password.submit"] = ("保存新密码", "Save the new password"),
        ["password.wrong"] = ("当前密码不正确。", "The current password is wrong."),
        ["password.mismatch"] = ("两次输入的新密码不一致。", "The two new passwords differ."),
        ["password.same"] = ("新密码不能与当前密码相同。", "The new password must differ from the current one."),
        ["password.short"] = ("新密码至少需要 10 个字符。", "The new password needs at least 10 characters."),
        ["password.done"] = ("密码已更新。", "Password changed."),
        ["denied.title"] = ("无权访问", "Access denied"),
        ["denied.text"] = ("您的角色无权打开此页面。", "Your role may not open this page."),
        ["parks.title"] = ("我的园区", "My parks"),
        ["parks.none"] = ("尚未为您授权任何园区，请联系管理员。", "No park is granted to you yet; ask an administrator."),
        ["parks.code"] = ("代码", "Code"),
        ["parks.name"] = ("名称", "Name"),
        ["parks.region"] = ("电网区域", "Grid region"),
        ["parks.province"] = ("省份", "Province"),
        ["parks.capacity"] = ("设计 IT 容量", "Design IT capacity"),
        ["overview.asof"] = ("统计日", "Reporting day"),
        ["overview.asof.latest"] = ("最新数据日", "latest day with data"),
        ["overview.lastreading"] = ("最新读数", "Latest reading"),
        ["overview.nodata"] = ("该园区尚无读数。", "This park has no readings yet."),
        ["overview.show"] = ("查看", "Show"),
        ["overview.day"] = ("当日用电", "Energy, day"),
        ["overview.month"] = ("本月累计用电", "Energy, month to date"),
        ["overview.year"] = ("本年累计用电", "Energy, year to date"),
        ["overview.pue.day"] = ("当日 PUE", "PUE, day"),
        ["overview.pue.month"] = ("本月 PUE", "PUE, month to date"),
        ["overview.pue.year"] = ("本年 PUE", "PUE, year to date"),
        ["overview.completeness"] = ("数据完整率", "Data completeness"),
        ["overview.grade"] = ("GB 40879 能效等级", "GB 40879 grade"),
        ["overview.trend"] = ("近 30 日用电量与 PUE", "Energy and PUE, last 30 days"),
        ["overview.split"] = ("本月分项用电", "Energy by subsystem, month to date"),
        ["overview.quality"] = ("本月数据完整率（按 KPI 输入）", "Data completeness this month (per KPI input)"),
        ["overview.notes"] = ("说明", "Notes"),
        ["overview.carbon"] = ("碳排放", "Carbon emissions"),
        ["overview.carbon.placeholder"] = ("占位：碳核算模块上线后在此显示范围一、二、三排放（基于位置与基于市场）。当前不显示任何碳排放数字。",
            "Placeholder: scope 1, 2 and 3 emissions (location- and market-based) appear here once the carbon module exists. No carbon figure is shown yet."),
        ["overview.carbon.badge"] = ("即将上线", "Coming with the carbon module"),
        ["overview.subsystem"] = ("分项", "Subsystem"),
        ["overview.energy"] = ("电量", "Energy"),
        ["overview.share"] = ("占比", "Share"),
        ["overview.input"] = ("输入", "Input"),
        ["overview.total"] = ("合计", "Total"),
        ["sub.it"] = ("IT 设备", "IT equipment"),
        ["sub.cooling"] = ("制冷系统", "Cooling"),
        ["sub.power"] = ("供配电损耗", "Power losses"),
        ["sub.aux"] = ("辅助设施", "Auxiliary"),
        ["sub.unmetered"] = ("未计量", "Unmetered"),
        ["input.facility_input"] = ("市电输入", "Grid input"),
        ["input.renewable_onsite"] = ("现场可再生能源", "On-site renewables"),
        ["input.export"] = ("外送电量", "Export"),
        ["input.it"] = ("IT 负载", "IT load"),
        ["input.cooling"] = ("制冷", "Cooling"),
        ["input.power"] = ("供配电", "Power"),
        ["input.aux"] = ("辅助", "Auxiliary"),
        ["input.water"] = ("用水", "Water"),
        ["input.reused"] = ("余热回收", "Reused heat"),
        ["chart.energy"] = ("用电量 (kWh)", "Energy (kWh)"),
        ["chart.pue"] = ("PUE", "PUE"),
        ["audit.title"] = ("审计日志", "Audit log"),
        ["audit.at"] = ("时间", "Time"),
        ["audit.park"] = ("园区", "Park"),
        ["audit.user"] = ("操作人", "User"),
        ["audit.action"] = ("操作", "Action"),
        ["audit.entity"] = ("对象", "Entity"),
        ["audit.key"] = ("标识", "Key"),
        ["audit.reason"] = ("原因", "Reason"),
        ["audit.old"] = ("原值", "Old value"),
        ["audit.new"] = ("新值", "New value"),
        ["audit.all"] = ("全部园区", "All parks"),
        ["audit.filter"] = ("筛选", "Filter"),
        ["audit.none"] = ("暂无审计记录。", "No audit entries."),
        ["audit.count"] = ("显示最近 {0} 条", "Showing the latest {0} entries"),
        ["users.title"] = ("用户管理", "Users"),
        ["users.name"] = ("用户名", "User name"),
        ["users.role"] = ("角色", "Role"),
        ["users.parks"] = ("授权园区", "Granted parks"),
        ["users.allparks"] = ("全部园区", "All parks"),
        ["users.status"] = ("状态", "Status"),
        ["users.active"] = ("正常", "Active"),
        ["users.disabled"] = ("已停用", "Disabled"),
        ["users.locked"] = ("已锁定至 {0}", "Locked until {0}"),
        ["users.mustchange"] = ("待改密码", "Must change password"),
        ["users.lastsignin"] = ("最近登录", "Last sign-in"),
        ["users.never"] = ("从未", "Never"),
        ["users.add"] = ("新增用户", "Add a user"),
        ["users.initial"] = ("初始密码（至少 10 个字符，用户首次登录须修改）", "Initial password (at least 10 characters; to be changed at first sign-in)"),
        ["users.create"] = ("创建", "Create"),
        ["users.edit"] = ("修改", "Edit"),
        ["users.save"] = ("保存", "Save"),
        ["users.unlock"] = ("解锁", "Unlock"),
        ["users.reset"] = ("重置密码", "Reset password"),
        ["users.disable"] = ("停用账户", "Disabled"),
        ["users.created"] = ("已创建用户 {0}。", "User {0} created."),
        ["users.updated"] = ("已更新用户 {0}。", "User {0} updated."),
        ["users.unlocked"] = ("已解锁用户 {0}。", "User {0} unlocked."),
        ["users.resetdone"] = ("已重置用户 {0} 的密码，用户下次登录须修改。", "Password of {0} reset; it must be changed at the next sign-in."),
        ["role.administrator"] = ("管理员", "Administrator"),
        ["role.energy_manager"] = ("能源管理员", "Energy manager"),
        ["role.carbon_accountant"] = ("碳核算员", "Carbon accountant"),
        ["role.auditor"] = ("审计员（只读）", "Auditor (read-only)"),
        ["role.viewer"] = ("查看者", "Viewer"),
        ["role.data_entry"] = ("数据录入员", "Data-entry operator"),
        ["common.error"] = ("错误", "Error"),
        ["nav.choosepark"] = ("选择园区", "Choose a park"),
        ["audit.a.create"] = ("新建", "create"),
        ["audit.a.update"] = ("修改", "update"),
        ["audit.a.delete"] = ("删除", "delete"),
        ["audit.a.correct"] = ("更正读数", "correction"),
        ["audit.a.manual_entry"] = ("手工录入", "manual entry"),
        ["audit.a.replace"] = ("换表", "replacement"),
        ["audit.a.password"] = ("密码", "password"),
        ["audit.a.lock"] = ("锁定", "lockout"),
        ["audit.a.unlock"] = ("解锁", "unlock"),
        ["audit.e.user"] = ("用户", "user"),
        ["audit.e.park"] = ("园区", "park"),
        ["audit.e.space"] = ("空间", "space"),
        ["audit.e.meter"] = ("计量表", "meter"),
        ["audit.e.reading"] = ("读数", "reading"),
        ["audit.e.api_key"] = ("网关密钥", "API key"),
        ["audit.e.tariff"] = ("电价", "tariff"),
        ["error.404.title"] = ("页面不存在", "Not found"),
        ["error.404.text"] = ("页面或园区不存在，或未授权给您。", "The page or park does not exist, or it is not granted to you."),
        ["error.other"] = ("请求无法处理。", "The request could not be handled."),
        ["common.signedin"] = ("已登录", "Signed in as"),
    };

    public static bool IsChinese => CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal);

    /// <summary>The text of <paramref name="key"/> in the request's language; unknown keys throw (caught by the tests).</summary>
    public static string T(string key) => Texts.TryGetValue(key, out var t) ? (IsChinese ? t.Zh : t.En) : throw new KeyNotFoundException($"no UI text '{key}'");

    public static string T(string key, params object?[] args) => string.Format(CultureInfo.CurrentCulture, T(key), args);

    internal static IEnumerable<string> Keys => Texts.Keys;

    internal static (string Zh, string En) Both(string key) => Texts[key];

    /// <summary>An energy in kWh, thousands separated, with its unit ("—" when unknown).</summary>
    public static string Kwh(double? kwh) => kwh is { } v ? v.ToString(Math.Abs(v) >= 1000 ? "N0" : "N1", CultureInfo.CurrentCulture) + " kWh" : "— kWh";

    /// <summary>A dimensionless ratio such as PUE, three decimals.</summary>
    public static string Ratio(double? v) => v is { } x ? x.ToString("N3", CultureInfo.CurrentCulture) : "—";

    /// <summary>A percentage given as 0–100.</summary>
    public static string Percent(double? pct) => pct is { } x ? x.ToString("N1", CultureInfo.CurrentCulture) + " %" : "— %";

    public static string Date(DateOnly d) => d.ToString(IsChinese ? "yyyy年M月d日" : "d MMM yyyy", CultureInfo.CurrentCulture);

    public static string DateTime(DateTimeOffset t) => t.ToString(IsChinese ? "yyyy-MM-dd HH:mm:ss" : "d MMM yyyy HH:mm:ss", CultureInfo.CurrentCulture) + " (UTC" + t.ToString("zzz", CultureInfo.InvariantCulture) + ")";

    public static string Role(ZeroPark.Storage.UserRole r) => T("role." + ZeroPark.Storage.UserRoles.Code(r));

    /// <summary>The text of <paramref name="key"/>, or <paramref name="fallback"/> when there is none (codes the UI has no name for yet).</summary>
    public static string TOr(string key, string fallback) => Texts.ContainsKey(key) ? T(key) : fallback;

    public static string Lang => IsChinese ? "zh-CN" : "en";
}
