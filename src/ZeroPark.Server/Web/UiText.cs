using System.Globalization;

namespace ZeroPark.Server.Web;

/// <summary>The UI's strings in Chinese (default) and English (from Resources/UiText*.resx), and number/date formatting per the request culture. Units are
/// always part of the formatted text.</summary>
public static class UiText
{
    private static readonly Dictionary<string, (string Zh, string En)> Texts = Load();

    /// <summary>Reads Resources/UiText.resx (Chinese, the neutral language) and Resources/UiText.en.resx (English), both
    /// embedded in this assembly; a key missing from either file is a build-time mistake and fails at start-up.</summary>
    private static Dictionary<string, (string Zh, string En)> Load()
    {
        var zh = ResourceTable.Read("ZeroPark.Server.Resources.UiText.resources");
        var en = ResourceTable.Read("ZeroPark.Server.Resources.UiText.en.resources");
        var missing = zh.Keys.Except(en.Keys).Concat(en.Keys.Except(zh.Keys)).ToList();
        if (missing.Count > 0) throw new InvalidOperationException("UI texts missing in one language: " + string.Join(", ", missing));
        return zh.ToDictionary(kv => kv.Key, kv => (kv.Value, en[kv.Key]), StringComparer.Ordinal);
    }

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

    public static string Role(ZeroPark.Application.Users.UserRole r) => T("role." + ZeroPark.Application.Users.UserRoles.Code(r));

    /// <summary>The text of <paramref name="key"/>, or <paramref name="fallback"/> when there is none (codes the UI has no name for yet).</summary>
    public static string TOr(string key, string fallback) => Texts.ContainsKey(key) ? T(key) : fallback;

    /// <summary>The text of <paramref name="key"/> in the request's language, or null when there is none.</summary>
    public static string? TryT(string key) => Texts.TryGetValue(key, out var t) ? (IsChinese ? t.Zh : t.En) : null;

    /// <summary>A machine-written (English) text — a note, a reason, a trace step, a validation or audit message — in the
    /// request's language (see <see cref="MessageCatalog"/>).</summary>
    public static string M(string? english) => MessageCatalog.Translate(english);

    /// <summary>A machine-written note or reason object (its English <c>ToString()</c>) in the request's language.</summary>
    public static string M(object? english) => MessageCatalog.Translate(english?.ToString());

    /// <summary>A code (carrier, system, role, plan period, flag, …) by its display name, or the code itself when it has none:
    /// <c>code.&lt;code&gt;</c>, then the families with their own keys (carrier., kind., mrole., role., flag., audit.a.), then
    /// the system taxonomy and the carbon sources (which carry their Chinese and English names). A list of flags
    /// ("gap, negative") is named part by part.</summary>
    public static string Code(string? code)
    {
        if (string.IsNullOrEmpty(code)) return "";
        if (CodeName(code) is { } name) return name;
        if (code.Contains(',', StringComparison.Ordinal))
        {
            var parts = code.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            return string.Join(IsChinese ? "、" : ", ", parts.Select(p => CodeName(p) ?? p));
        }
        return code;
    }

    /// <summary>The display name of <paramref name="code"/>, or null.</summary>
    public static string? CodeName(string code)
    {
        foreach (var prefix in CodeFamilies)
            if (TryT(prefix + code) is { } name) return name;
        if (ZeroPark.Domain.SystemTaxonomy.IsKnown(code)) { var n = ZeroPark.Domain.SystemTaxonomy.Get(code); return IsChinese ? n.NameZh : n.NameEn; }
        if (ZeroPark.Carbon.Sources.TryGet(code, out var s)) return IsChinese ? s.NameZh : s.NameEn;
        return null;
    }

    private static readonly string[] CodeFamilies = ["code.", "carrier.", "kind.", "mrole.", "role.", "flag.", "audit.a."];

    public static string Lang => IsChinese ? "zh-CN" : "en";
}
