using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using ZeroPark.Application;
using ZeroPark.Application.Collection;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>Measurements that are not energy: a meter's mean/min/max per hour, day, week or month and its day × hour heat map (the
/// same <see cref="MeasurementService"/> as <c>zeropark measurements</c> and <c>GET …/measurements/stats|heatmap</c>). Every role reads.</summary>
public sealed class CollectionMeasurementsModel(ZeroParkStore store, MeasurementService measurements) : DataPageModel(store)
{
    public string? Meter { get; private set; }
    public string By { get; private set; } = "day";
    public DateOnly From { get; private set; }
    public DateOnly To { get; private set; }
    public MeasurementStats? Stats { get; private set; }
    public HeatMapResult? Heat { get; private set; }
    public IReadOnlyList<ZeroPark.Domain.Meter> Meters { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string park, string? meter, string? from, string? to, string? by, CancellationToken ct)
    {
        if (!await LoadAsync(park, ct)) return NotFound();
        Meters = Registry.MetersByCode.Values.Where(m => !m.IsVirtual).OrderBy(m => m.IsInstantaneous ? 0 : 1).ThenBy(m => m.Code, StringComparer.Ordinal).ToList();
        var today = Park.Clock.LocalDate(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        To = Day("to", to) ?? today;
        From = Day("from", from) ?? To.AddDays(-6);
        By = by is "hour" or "day" or "week" or "month" ? by : "day";
        Meter = string.IsNullOrWhiteSpace(meter) ? Meters.FirstOrDefault(m => m.IsInstantaneous)?.Code : meter.Trim();
        if (Meter is null || Errors.Count > 0) return Page();
        try
        {
            Stats = await measurements.StatsAsync(park, Meter, From, To, By, ct);
            if (To.DayNumber - From.DayNumber <= 92) Heat = await measurements.HeatMapAsync(park, Meter, From, To, ct);
        }
        catch (Exception e) when (e is ValidationException or NotFoundException)
        {
            Show(e);
        }
        return Page();
    }

    public static string N(double? v) => v is { } x ? x.ToString("#,##0.##", CultureInfo.CurrentCulture) : "—";

    /// <summary>The heat map cell's colour: blue (lowest) to red (highest) of the map's values.</summary>
    public string Colour(double? v)
    {
        if (v is not { } x || Heat is null) return "transparent";
        var all = Heat.Values.SelectMany(r => r).Where(c => c is not null).Select(c => c!.Value).ToList();
        var (lo, hi) = (all.Min(), all.Max());
        var t = hi > lo ? (x - lo) / (hi - lo) : 0.5;
        return string.Create(CultureInfo.InvariantCulture, $"hsl({240 - 240 * t:0}, 70%, 75%)");
    }
}
