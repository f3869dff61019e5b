using System.Globalization;
using ZeroPark.Application;
using ZeroPark.Server.Endpoints;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>The base of the neutrality pages (dashboard, ledger, targets, measures): the park if granted, the role rights of the REST API
/// (ledger and targets: <see cref="UserAccess.Access.CarbonWrite"/>, as the API's <c>…/carbon/…</c> writes; measures: energy or carbon
/// writers), the submitted form's values for redisplay.</summary>
public abstract class NeutralityPageModel(ZeroParkStore store) : DataPageModel(store)
{
    public bool CanEditLedger => UserAccess.Allows(Me.Role, UserAccess.Access.CarbonWrite);

    public bool CanEditMeasures => UserAccess.Allows(Me.Role, UserAccess.Access.RegistryWrite) || CanEditLedger;

    public Dictionary<string, string> Form { get; } = new(StringComparer.Ordinal);

    public string V(string field) => Form.TryGetValue(field, out var v) ? v : "";

    protected void Keep(params string[] fields)
    {
        foreach (var f in fields) Form[f] = Request.Form[f].ToString().Trim();
    }

    protected static DateOnly? Day(string s) =>
        DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    protected static double? Num(string s) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null;

    /// <summary>A quantity for display: whole numbers above 1,000, else up to 3 decimals.</summary>
    public static string N(double? v) => v is { } x ? x.ToString(Math.Abs(x) >= 1000 ? "N0" : "#,0.###", CultureInfo.CurrentCulture) : "—";

    /// <summary>A share (0.75) as a percentage.</summary>
    public static string Share(double? v) => v is { } x ? (x * 100).ToString("N1", CultureInfo.CurrentCulture) + " %" : "— %";

    /// <summary>The last local date with readings (the dashboards' "as of"), else today.</summary>
    protected async Task<DateOnly> AsOfAsync(string park, CancellationToken ct)
    {
        var last = await Store.Queries.LastReadingAtAsync(park, ct);
        return last is { } l ? Park.Clock.LocalDate(l.AddSeconds(-1).ToUnixTimeSeconds()) : Store.Neutrality.LocalToday(Park);
    }
}
