using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using ZeroPark.Domain;
using ZeroPark.Storage;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>Data quality per meter (the same report as <c>GET …/quality</c>): expected and received readings, completeness,
/// flagged and estimated readings, the last reading; the worst meters first. With <c>meter=</c>, that meter's gaps and flagged
/// readings.</summary>
public sealed partial class DataModel(ZeroParkStore store) : ZpPageModel(store)
{
    public const int MaxRows = 200;
    public const int MaxDays = 92;

    public DateOnly From { get; private set; }
    public DateOnly To { get; private set; }
    public string? Query { get; private set; }
    public IReadOnlyList<MeterQuality> All { get; private set; } = [];
    public IReadOnlyList<MeterQuality> Shown { get; private set; } = [];
    public IReadOnlyDictionary<string, Meter> Meters { get; private set; } = new Dictionary<string, Meter>();
    public MeterQuality? Detail { get; private set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string park, string? from, string? to, string? q, string? meter, CancellationToken ct)
    {
        CurrentPark = await ParkIfVisibleAsync(park, ct);
        if (CurrentPark is null) return NotFound();
        var last = await Store.LastReadingAtAsync(park, ct);
        var latest = last is { } l ? DateOnly.FromDateTime(l.AddSeconds(-1).DateTime) : DateOnly.FromDateTime(CurrentPark.Clock.ToLocal(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        To = Parse(to) ?? latest;
        From = Parse(from) ?? To.AddDays(-6);
        Query = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        if (From > To || To.DayNumber - From.DayNumber + 1 > MaxDays)
        {
            Error = T("energy.range", MaxDays);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var reg = await Store.GetRegistryAsync(park, ct);
        Meters = reg.MetersByCode;
        All = await Store.DataQualityAsync(park, null, From, To, ct);
        Shown = All.Where(m => Query is null || m.Meter.Contains(Query, StringComparison.OrdinalIgnoreCase) || m.Name.Contains(Query, StringComparison.OrdinalIgnoreCase))
            .OrderBy(m => m.CompletenessPercent).ThenByDescending(m => m.Flagged).ThenBy(m => m.Meter, StringComparer.Ordinal).Take(MaxRows).ToList();
        if (!string.IsNullOrWhiteSpace(meter))
        {
            if (!reg.MetersByCode.TryGetValue(meter, out var m) || m.IsVirtual) return NotFound();
            Detail = (await Store.DataQualityAsync(park, meter, From, To, ct)).Single();
        }
        return Page();
    }

    private static DateOnly? Parse(string? s) =>
        DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    public string Link(string? meter = null) =>
        $"/parks/{CurrentPark!.Code}/data?from={From:yyyy-MM-dd}&to={To:yyyy-MM-dd}" + (Query is null ? "" : "&q=" + Uri.EscapeDataString(Query)) +
        (meter is null ? "" : "&meter=" + Uri.EscapeDataString(meter));
}
