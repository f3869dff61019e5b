using System.Globalization;
using ZeroPark.Carbon;
using ZeroPark.Domain;
using ZeroPark.Application;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>The period, method and GWP set of the carbon pages, read like the REST API reads them (<c>year</c>, or
/// <c>from</c>/<c>to</c>; <c>method</c>; <c>gwp</c>). Without a period: the year of the park's newest reading.</summary>
public sealed record CarbonQuery(DateOnly From, DateOnly To, int? Year, AccountingMethod Method, GwpSet Gwp)
{
    public static readonly string[] Methods = ["ghgp", "iso14064", "cn-guideline"];
    public static readonly string[] GwpSets = ["AR6", "AR5", "AR4", "SAR"];

    public string MethodCode => AccountingMethods.Code(Method);

    /// <summary>The query string of this choice (for links that keep it).</summary>
    public string Qs => (Year is { } y ? "year=" + y.ToString(CultureInfo.InvariantCulture) : $"from={From:yyyy-MM-dd}&to={To:yyyy-MM-dd}") + $"&method={MethodCode}&gwp={Gwp}";

    public string Label => Year is { } y ? (IsChinese ? $"{y} 年" : y.ToString(CultureInfo.InvariantCulture)) : Date(From) + " – " + Date(To);

    /// <summary>Reads the query; on bad input returns the error text (the page answers 400 with it).</summary>
    public static async Task<(CarbonQuery? Query, string? Error)> ReadAsync(ZeroParkStore store, Park park, string? year, string? from, string? to, string? method,
        string? gwp, CancellationToken ct)
    {
        try
        {
            var m = string.IsNullOrWhiteSpace(method) ? AccountingMethod.Ghgp : AccountingMethods.Parse(method);
            var g = string.IsNullOrWhiteSpace(gwp) ? GwpSet.AR6 : Gases.ParseSet(gwp);
            if (!string.IsNullOrWhiteSpace(year))
            {
                if (!int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var y) || y is < 1990 or > 2100) return (null, T("carbon.badyear", year));
                return (new CarbonQuery(new DateOnly(y, 1, 1), new DateOnly(y, 12, 31), y, m, g), null);
            }
            if (!string.IsNullOrWhiteSpace(from) || !string.IsNullOrWhiteSpace(to))
            {
                if (!DateOnly.TryParseExact(from, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var a)
                    || !DateOnly.TryParseExact(to, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var b) || b < a || b.DayNumber - a.DayNumber > 366 * 5)
                    return (null, T("carbon.badrange"));
                return (new CarbonQuery(a, b, null, m, g), null);
            }
            var last = await store.Queries.LastReadingAtAsync(park.Code, ct);
            var latest = last is { } l ? DateOnly.FromDateTime(l.AddSeconds(-1).DateTime) : DateOnly.FromDateTime(park.Clock.ToLocal(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
            return (new CarbonQuery(new DateOnly(latest.Year, 1, 1), new DateOnly(latest.Year, 12, 31), latest.Year, m, g), null);
        }
        catch (CarbonException e)
        {
            return (null, ZeroPark.Server.Web.UiText.M(e.Message));
        }
    }
}

/// <summary>Formatting of carbon figures: tonnes CO2e with three decimals, the unit always shown.</summary>
public static class CarbonText
{
    public static string Tonnes(double? t) => t is { } v ? v.ToString("N3", CultureInfo.CurrentCulture) + " tCO2e" : "— tCO2e";

    public static string Number(double? v, string unit) => v is { } x
        ? x.ToString(Math.Abs(x) >= 1000 ? "N0" : Math.Abs(x) >= 1 || x == 0 ? "N2" : "N4", CultureInfo.CurrentCulture) + (unit.Length > 0 ? " " + unit : "")
        : "—" + (unit.Length > 0 ? " " + unit : "");

    public static string Raw(double? v) => v is { } x ? x.ToString("R", CultureInfo.InvariantCulture) : "";

    /// <summary>A source code in the request's language (the code itself when unknown).</summary>
    public static string Source(string code) => Sources.TryGet(code, out var d) ? (IsChinese ? d.NameZh : d.NameEn) : code;

    public static string Scope(string scope, string basis = "") => TOr("carbon.scope." + scope + (basis.Length > 0 ? "." + basis : ""), TOr("carbon.scope." + scope, scope));
}
