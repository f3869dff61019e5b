using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using ZeroPark.Application;
using ZeroPark.Application.EnergyManagement;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>Plan vs actual of a year and carrier (the same progress as <c>GET …/energy/plans/progress</c>): the park's months with
/// cumulative plan and actual and the projected year-end, and each building's progress.</summary>
public sealed partial class EnergyPlansModel(ZeroParkStore store, EnergyPlanService energyPlanService) : ZpPageModel(store)
{
    public static readonly IReadOnlyList<string> Carriers = ["electricity", "water", "natural_gas"];
    public int Year { get; private set; }
    public string Carrier { get; private set; } = "electricity";
    public PlanProgressView Park { get; private set; } = null!;
    public IReadOnlyList<(string Code, string Name, PlanProgressView Progress)> Buildings { get; private set; } = [];
    public string ChartJson { get; private set; } = "{}";

    public async Task<IActionResult> OnGetAsync(string park, int? year, string? carrier, CancellationToken ct)
    {
        CurrentPark = await ParkIfVisibleAsync(park, ct);
        if (CurrentPark is null) return NotFound();
        Carrier = carrier is { } c && Carriers.Contains(c) ? c : "electricity";
        var last = await Store.Queries.LastReadingAtAsync(park, ct);
        var asOf = last is { } l ? DateOnly.FromDateTime(l.AddSeconds(-1).DateTime) : (DateOnly?)null;
        Year = year is >= 2000 and <= 2100 ? year.Value : asOf?.Year ?? System.DateTime.UtcNow.Year;
        DateOnly? a = asOf is { } d && d.Year == Year ? d : null;
        var plans = energyPlanService;
        Park = PlanProgressView.From(await plans.ProgressAsync(park, null, Carrier, Year, a, ct));
        var buildings = (await Store.Registry.ListSpacesAsync(park, ct)).Where(s => s.Level == ZeroPark.Domain.SpaceLevel.Building).ToList();
        var list = new List<(string, string, PlanProgressView)>();
        foreach (var b in buildings)
            list.Add((b.Code, b.Name, PlanProgressView.From(await plans.ProgressAsync(park, b.Code, Carrier, Year, a, ct))));
        Buildings = list;
        ChartJson = JsonSerializer.Serialize(new
        {
            lang = Lang,
            unit = Park.Unit,
            cumLabel = T("ea.plan.cumulative"),
            months = Park.Months.Select(m => IsChinese ? $"{m.Month}月" : CultureInfo.GetCultureInfo("en").DateTimeFormat.GetAbbreviatedMonthName(m.Month)).ToList(),
            plan = Park.Months.Select(m => m.Plan).ToList(),
            actual = Park.Months.Select(m => m.Actual).ToList(),
            cumPlan = Park.Months.Select(m => m.CumulativePlan).ToList(),
            cumActual = Park.Months.Select(m => m.CumulativeActual).ToList(),
            labels = new { plan = T("ea.plan.plan"), actual = T("ea.current"), cumPlan = T("ea.plan.plan") + " Σ", cumActual = T("ea.current") + " Σ" },
        });
        return Page();
    }

    public static string Amount(double? v, string unit) => v is { } x ? x.ToString(Math.Abs(x) >= 1000 ? "N0" : "N1", CultureInfo.CurrentCulture) + " " + unit : "— " + unit;
}
