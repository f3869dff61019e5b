using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using ZeroPark.Application;
using ZeroPark.Application.Neutrality;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>The neutrality dashboard (the figures of <c>GET …/carbon/neutrality</c>): the year so far with the T/CA305 view beside the
/// neutrality rate, each month's rate against its target, the breakdown by kind and instrument, the 24×7 match of the last month, and
/// the choices made where the standards are silent.</summary>
public sealed class NeutralityModel(ZeroParkStore store, NeutralityService neutrality, MatchingService matching) : NeutralityPageModel(store)
{
    public int Year { get; private set; }
    public DateOnly AsOf { get; private set; }
    public NeutralityReport Report { get; private set; } = null!;
    public IReadOnlyList<NeutralityReport> Months { get; private set; } = [];
    public IReadOnlyList<NeutralityTarget> Targets { get; private set; } = [];
    public MatchingReport? Matching { get; private set; }
    public string ChartJson { get; private set; } = "{}";

    public async Task<IActionResult> OnGetAsync(string park, int? year, CancellationToken ct)
    {
        if (!await LoadAsync(park, ct)) return NotFound();
        var asOf = await AsOfAsync(park, ct);
        Year = year is >= 2000 and <= 2100 ? year.Value : asOf.Year;
        AsOf = asOf.Year == Year ? asOf : new DateOnly(Year, 12, 31);
        var from = new DateOnly(Year, 1, 1);
        Report = await neutrality.ComputeAsync(park, from, AsOf < from ? from : AsOf, ct: ct);
        Months = await neutrality.MonthsAsync(park, Year, AsOf, ct: ct);
        Targets = await Store.Neutrality.TargetsAsync(park, ct);
        if (Months.Count > 0)
        {
            var m = Months[^1];
            Matching = await matching.MatchAsync(park, m.From, m.To, ct);
        }
        ChartJson = JsonSerializer.Serialize(new
        {
            lang = Lang,
            months = Months.Select(r => IsChinese ? $"{r.From.Month}月" : CultureInfo.GetCultureInfo("en").DateTimeFormat.GetAbbreviatedMonthName(r.From.Month)).ToList(),
            rate = Months.Select(r => r.NeutralityRate is { } x ? Math.Round(x * 100, 2) : (double?)null).ToList(),
            sdc = Months.Select(r => r.Tca305OffsetRatio is { } x ? Math.Round(x * 100, 2) : (double?)null).ToList(),
            target = Months.Select(r => MonthTarget(r) is { } t ? Math.Round(t * 100, 2) : (double?)null).ToList(),
            labels = new { rate = T("nz.rate"), sdc = T("nz.sdc"), target = T("nz.target") },
        });
        return Page();
    }

    public double? MonthTarget(NeutralityReport r) => NeutralityStore.TargetFor(Targets, "neutrality_rate", "month", r.From.Year, r.From.Month)?.Value;

    public double? AnnualTarget => NeutralityStore.TargetFor(Targets, "neutrality_rate", "year", Year, 12)?.Value;
}
