using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using ZeroPark.Domain;
using ZeroPark.Server.Web;
using ZeroPark.Application;
using ZeroPark.Application.EnergyManagement;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>Energy of one month (cut at the latest day with data) by subsystem, by building or by device, each with the previous
/// month (环比) and the same month a year earlier (同比) over the same local dates (<see cref="BreakdownComparison.Shift"/>), ranked.</summary>
public sealed partial class EnergyDimensionsModel(ZeroParkStore store, DeviceAnalysisService deviceAnalysisService, EnergyService energyService) : ZpPageModel(store)
{
    /// <summary>One ranked line: current, previous month and last year's energy (kWh) and the changes in percent.</summary>
    public sealed record Line(string Key, string Name, string? Detail, double? Current, double? Mom, double? Yoy, double? SharePct)
    {
        public double? MomPct => Change(Current, Mom);
        public double? YoyPct => Change(Current, Yoy);
        private static double? Change(double? c, double? p) => c is { } x && p is { } y && y != 0 ? (x - y) / y * 100 : null;
    }

    public string Dim { get; private set; } = "subsystem";
    public DateOnly From { get; private set; }
    public DateOnly To { get; private set; }
    public (DateOnly From, DateOnly To) MomRange { get; private set; }
    public (DateOnly From, DateOnly To) YoyRange { get; private set; }
    public string? System { get; private set; }
    public IReadOnlyList<Line> Lines { get; private set; } = [];
    public double? TotalCurrent { get; private set; }
    public IReadOnlyList<string> Notes { get; private set; } = [];
    public string ChartJson { get; private set; } = "{}";
    public IReadOnlyList<(string Code, string Name)> Systems { get; } =
        SystemTaxonomy.All.Where(s => s.TopLevel is "it" or "cooling" or "power" or "aux").Select(s => (s.Code, IsChinese ? s.NameZh : s.NameEn)).ToList();

    public async Task<IActionResult> OnGetAsync(string park, string? dim, string? month, string? system, CancellationToken ct)
    {
        CurrentPark = await ParkIfVisibleAsync(park, ct);
        if (CurrentPark is null) return NotFound();
        Dim = dim is "space" or "device" ? dim : "subsystem";
        System = string.IsNullOrWhiteSpace(system) || !SystemTaxonomy.IsKnown(system) ? null : system;
        var last = await Store.Queries.LastReadingAtAsync(park, ct);
        var latest = last is { } l ? DateOnly.FromDateTime(l.AddSeconds(-1).DateTime) : DateOnly.FromDateTime(CurrentPark.Clock.ToLocal(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        var first = DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var m) ? m : new DateOnly(latest.Year, latest.Month, 1);
        From = first;
        To = first.AddMonths(1).AddDays(-1);
        if (To > latest && From <= latest) To = latest;      // the month so far
        MomRange = BreakdownComparison.Shift(From, To, 1);
        YoyRange = BreakdownComparison.Shift(From, To, 12);
        var energy = energyService;
        switch (Dim)
        {
            case "subsystem":
            {
                var rows = await BreakdownComparison.BreakdownAsync(energy, park, null, From, To, EnergyBucketing.Month, false, ct);
                var r = rows.Single();
                TotalCurrent = r.TotalKwh;
                double? Share(double? v) => v is { } x && r.TotalKwh is > 0 ? x / r.TotalKwh.Value * 100 : null;
                Lines =
                [
                    new("it", T("sub.it"), null, r.ItKwh, r.Mom?.ItKwh, r.Yoy?.ItKwh, Share(r.ItKwh)),
                    new("cooling", T("sub.cooling"), null, r.CoolingKwh, r.Mom?.CoolingKwh, r.Yoy?.CoolingKwh, Share(r.CoolingKwh)),
                    new("power", T("sub.power"), null, r.PowerKwh, r.Mom?.PowerKwh, r.Yoy?.PowerKwh, Share(r.PowerKwh)),
                    new("aux", T("sub.aux"), null, r.AuxKwh, r.Mom?.AuxKwh, r.Yoy?.AuxKwh, Share(r.AuxKwh)),
                ];
                Lines = Lines.OrderByDescending(x => x.Current ?? double.MinValue).ToList();
                Notes = r.Notes;
                break;
            }
            case "space":
            {
                var buildings = (await Store.Registry.ListSpacesAsync(park, ct)).Where(s => s.Level == SpaceLevel.Building).ToList();
                // Each building's three periods are independent: computed concurrently (one service each).
                async Task<double?> Total(string node, (DateOnly From, DateOnly To) range) =>
                    (await energyService.KpiAsync(park, node, range.From, range.To, EnergyBucketing.Total, ct)).Single().Kpis.Total?.KilowattHours;
                var tasks = buildings.Select(b => (b, cur: Total(b.Code, (From, To)), mom: Total(b.Code, MomRange), yoy: Total(b.Code, YoyRange))).ToList();
                await Task.WhenAll(tasks.SelectMany(t => new[] { t.cur, t.mom, t.yoy }));
                var lines = new List<Line>();
                foreach (var (b, cur, mom, yoy) in tasks)
                    lines.Add(new Line(b.Code, b.Name, b.Code, await cur, await mom, await yoy, null));
                TotalCurrent = lines.Sum(x => x.Current ?? 0);
                Lines = lines.Select(x => x with { SharePct = x.Current is { } c && TotalCurrent > 0 ? c / TotalCurrent * 100 : null })
                    .OrderByDescending(x => x.Current ?? double.MinValue).ToList();
                break;
            }
            default:
            {
                var devices = deviceAnalysisService;
                async Task<Dictionary<string, double?>> All((DateOnly From, DateOnly To) range) =>
                    (await deviceAnalysisService.TopAsync(park, null, System, Carrier.Electricity, range.From, range.To, 1000, null, ct)).ToDictionary(d => d.Energy.Meter, d => d.Energy.Value);
                var momTask = All(MomRange);
                var yoyTask = All(YoyRange);
                var top = await devices.TopAsync(park, null, System, Carrier.Electricity, From, To, 20, null, ct);
                var mom = await momTask;
                var yoy = await yoyTask;
                Lines = top.Select(d => new Line(d.Energy.Meter, d.Energy.Name, d.Energy.System is { } s && SystemTaxonomy.IsKnown(s) ? (IsChinese ? SystemTaxonomy.Get(s).NameZh : SystemTaxonomy.Get(s).NameEn) : d.Energy.System,
                    d.Energy.Value, mom.GetValueOrDefault(d.Energy.Meter), yoy.GetValueOrDefault(d.Energy.Meter), d.SharePct)).ToList();
                TotalCurrent = top.Count > 0 && top[0].SharePct is > 0 ? top[0].Energy.Value / top[0].SharePct * 100 : null;
                break;
            }
        }
        var chartLines = Dim == "device" ? Lines.Take(10).ToList() : Lines;
        ChartJson = JsonSerializer.Serialize(new
        {
            lang = Lang,
            names = chartLines.Select(x => x.Name).ToList(),
            series = new[]
            {
                new { name = T("ea.current") + $" ({Span(From, To)})", data = chartLines.Select(x => x.Current).ToList() },
                new { name = T("ea.mom") + $" ({Span(MomRange.From, MomRange.To)})", data = chartLines.Select(x => x.Mom).ToList() },
                new { name = T("ea.yoy") + $" ({Span(YoyRange.From, YoyRange.To)})", data = chartLines.Select(x => x.Yoy).ToList() },
            },
        });
        return Page();
    }

    public static string Span(DateOnly from, DateOnly to) => from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " – " + to.ToString("MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A change in percent with its sign ("—" when unknown).</summary>
    public static string Pct(double? v) => v is { } x ? (x > 0 ? "+" : "") + x.ToString("N1", CultureInfo.CurrentCulture) + " %" : "—";
}
