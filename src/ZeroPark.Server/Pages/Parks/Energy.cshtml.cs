using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using ZeroPark.Server.Web;
using ZeroPark.Application;
using ZeroPark.Application.EnergyManagement;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>Energy analysis of a period: the KPI rows per day or month (the same rows as <c>GET …/energy/kpi</c>) and the energy
/// flow of the whole period as a Sankey diagram (the same as <c>GET …/energy/flow?by=total</c>).</summary>
public sealed partial class EnergyModel(ZeroParkStore store, EnergyService energyService) : ZpPageModel(store)
{
    /// <summary>The longest period the page shows (one row per day at most 366 rows).</summary>
    public const int MaxDays = 366;

    public DateOnly From { get; private set; }
    public DateOnly To { get; private set; }
    public string By { get; private set; } = "day";
    public IReadOnlyList<KpiRowView> Rows { get; private set; } = [];
    public FlowView? Flow { get; private set; }
    public string? Error { get; private set; }
    public string ChartJson { get; private set; } = "{}";
    /// <summary>The flow's carrier: electricity (the energy-flow Sankey of EnergyService) or water (park water input → buildings →
    /// the part no building meter accounts for, from the plan module's actuals).</summary>
    public string Carrier { get; private set; } = "electricity";
    public DateOnly Latest { get; private set; }
    public double? WaterInputM3 { get; private set; }

    public async Task<IActionResult> OnGetAsync(string park, string? from, string? to, string? by, string? carrier, CancellationToken ct)
    {
        CurrentPark = await ParkIfVisibleAsync(park, ct);
        if (CurrentPark is null) return NotFound();
        var last = await Store.Queries.LastReadingAtAsync(park, ct);
        var latest = last is { } l ? DateOnly.FromDateTime(l.AddSeconds(-1).DateTime) : DateOnly.FromDateTime(CurrentPark.Clock.ToLocal(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        Latest = latest;
        Carrier = carrier is "water" ? "water" : "electricity";
        To = Parse(to) ?? latest;
        From = Parse(from) ?? new DateOnly(To.Year, To.Month, 1);
        By = by is "month" ? "month" : "day";
        if (From > To || To.DayNumber - From.DayNumber + 1 > MaxDays)
        {
            Error = T("energy.range", MaxDays);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var energy = energyService;
        Rows = (await energy.KpiAsync(park, null, From, To, By == "month" ? EnergyBucketing.Month : EnergyBucketing.Day, ct)).Select(KpiRowView.From).ToList();
        if (Carrier == "water")
        {
            ChartJson = await WaterFlowJsonAsync(park, ct);
            return Page();
        }
        Flow = FlowView.From((await energy.FlowAsync(park, null, From, To, EnergyBucketing.Total, ct)).Single());
        ChartJson = JsonSerializer.Serialize(new
        {
            lang = Lang,
            unit = "kWh",
            nodes = Flow.Nodes.Select(n => new { name = n.Id, label = IsChinese ? n.NameZh : n.NameEn, kind = n.Kind, value = n.Kwh }).ToList(),
            links = Flow.Links.Where(k => k.Kwh > 0).Select(k => new { source = k.Source, target = k.Target, value = k.Kwh }).ToList(),
        });
        return Page();
    }

    /// <summary>Water: the park's water input (m³, the same actuals as plan progress) to each building's, and the remainder.</summary>
    private async Task<string> WaterFlowJsonAsync(string park, CancellationToken ct)
    {
        var reg = await Store.Registry.GetRegistryAsync(park, ct);
        var total = (await PlanActuals.TotalAsync(Store, reg, null, ZeroPark.Domain.Carrier.Water, From, To, ct)).Value;
        WaterInputM3 = total;
        var nodes = new List<object> { new { name = "water_in", label = T("input.water"), kind = "source", value = total } };
        var links = new List<object>();
        double attributed = 0;
        foreach (var b in reg.SpacesByCode.Values.Where(s => s.Level == ZeroPark.Domain.SpaceLevel.Building).OrderBy(s => s.Code, StringComparer.Ordinal))
        {
            if ((await PlanActuals.TotalAsync(Store, reg, b, ZeroPark.Domain.Carrier.Water, From, To, ct)).Value is not { } v || v <= 0) continue;
            attributed += v;
            nodes.Add(new { name = "b:" + b.Code, label = b.Name, kind = "load", value = (double?)v });
            links.Add(new { source = "water_in", target = "b:" + b.Code, value = Math.Round(v, 3) });
        }
        if (total is { } t && t - attributed > 1e-6)
        {
            nodes.Add(new { name = "unattributed", label = T("sub.unmetered"), kind = "unmetered", value = (double?)(t - attributed) });
            links.Add(new { source = "water_in", target = "unattributed", value = Math.Round(t - attributed, 3) });
        }
        return JsonSerializer.Serialize(new { lang = Lang, unit = "m³", nodes, links });
    }

    private static DateOnly? Parse(string? s) =>
        DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    /// <summary>The label of a row's period: the day or the month, in the request's language.</summary>
    public string Period(KpiRowView r)
    {
        var d = DateOnly.FromDateTime(r.Start.DateTime);
        return By == "month" ? d.ToString(IsChinese ? "yyyy年M月" : "MMM yyyy", CultureInfo.CurrentCulture) : Date(d);
    }
}
