using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using ZeroPark.Application;
using ZeroPark.Application.EnergyManagement;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>Electricity cost with the park's time-of-use tariffs (the same rows as <c>GET …/energy/cost</c>): the period's total,
/// per day or month by 尖峰/峰/平/谷, and per subsystem.</summary>
public sealed partial class EnergyCostModel(ZeroParkStore store, EnergyCostService energyCostService) : ZpPageModel(store)
{
    public DateOnly From { get; private set; }
    public DateOnly To { get; private set; }
    public string By { get; private set; } = "day";
    public bool HasTariff { get; private set; }
    public CostRowView? Total { get; private set; }
    public IReadOnlyList<CostRowView> Rows { get; private set; } = [];
    public string? Error { get; private set; }
    public string ChartJson { get; private set; } = "{}";

    public async Task<IActionResult> OnGetAsync(string park, string? from, string? to, string? by, CancellationToken ct)
    {
        CurrentPark = await ParkIfVisibleAsync(park, ct);
        if (CurrentPark is null) return NotFound();
        var last = await Store.Queries.LastReadingAtAsync(park, ct);
        var latest = last is { } l ? DateOnly.FromDateTime(l.AddSeconds(-1).DateTime) : DateOnly.FromDateTime(CurrentPark.Clock.ToLocal(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        To = Parse(to) ?? latest;
        From = Parse(from) ?? new DateOnly(To.Year, To.Month, 1);
        By = by is "month" ? "month" : "day";
        if (From > To || To.DayNumber - From.DayNumber + 1 > EnergyModel.MaxDays)
        {
            Error = T("energy.range", EnergyModel.MaxDays);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        HasTariff = (await Store.Tariffs.ListTariffVersionsAsync(park, ct)).Count > 0;
        if (!HasTariff) return Page();
        // The rows and the total are independent: computed concurrently.
        var rows = energyCostService.CostAsync(park, null, From, To, By == "month" ? EnergyBucketing.Month : EnergyBucketing.Day, ct);
        var total = energyCostService.CostAsync(park, null, From, To, EnergyBucketing.Total, ct);
        Rows = (await rows).Select(CostRowView.From).ToList();
        Total = (await total).Select(CostRowView.From).Single();
        ChartJson = JsonSerializer.Serialize(new
        {
            lang = Lang,
            labels = Rows.Select(Period).ToList(),
            series = new[]
            {
                new { name = T("ea.cost.critical"), data = Rows.Select(r => r.CriticalPeakCostCny).ToList() },
                new { name = T("ea.cost.peak"), data = Rows.Select(r => r.PeakCostCny).ToList() },
                new { name = T("ea.cost.flat"), data = Rows.Select(r => r.FlatCostCny).ToList() },
                new { name = T("ea.cost.valley"), data = Rows.Select(r => r.ValleyCostCny).ToList() },
            },
        });
        return Page();
    }

    private static DateOnly? Parse(string? s) =>
        DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    public string Period(CostRowView r)
    {
        var d = DateOnly.FromDateTime(r.Start.DateTime);
        return By == "month" ? d.ToString(IsChinese ? "yyyy年M月" : "MMM yyyy", CultureInfo.CurrentCulture) : d.ToString(IsChinese ? "M月d日" : "d MMM", CultureInfo.CurrentCulture);
    }

    /// <summary>An amount of money in CNY.</summary>
    public static string Cny(double? v) => v is { } x ? "¥ " + x.ToString("N2", CultureInfo.CurrentCulture) : "—";

    public static string Price(double? v) => v is { } x ? x.ToString("N4", CultureInfo.CurrentCulture) + " CNY/kWh" : "— CNY/kWh";
}
