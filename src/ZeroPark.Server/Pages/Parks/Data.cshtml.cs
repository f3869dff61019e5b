using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using ZeroPark.Domain;
using ZeroPark.Application;
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
    /// <summary>Suspected resets awaiting confirmation (the park's, or the selected meter's).</summary>
    public IReadOnlyList<ResetSuspect> Suspects { get; private set; } = [];
    /// <summary>Confirming a suspected reset is the same right as <c>POST …/reset-confirmation</c>.</summary>
    public bool CanConfirm => Endpoints.UserAccess.Allows(Me.Role, Endpoints.UserAccess.Access.RegistryWrite);
    public string? ConfirmError { get; private set; }
    public bool Confirmed { get; private set; }

    /// <summary>Confirms a suspected reset (reset, replacement with an optional old final value, bad reading) as the signed-in user.</summary>
    public async Task<IActionResult> OnPostConfirmAsync(string park, string? from, string? to, string? q, string? meter, CancellationToken ct)
    {
        CurrentPark = await ParkIfVisibleAsync(park, ct);
        if (CurrentPark is null) return NotFound();
        if (!CanConfirm) return StatusCode(StatusCodes.Status403Forbidden);
        var form = Request.Form;
        try
        {
            var code = form["suspect_meter"].ToString();
            if (!DateTimeOffset.TryParse(form["at"].ToString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
                throw new ValidationException("at", T("data.reset.badat"));
            var resolution = Application.Readings.ReadingStore.ParseResolution(form["resolution"].ToString());
            double? oldFinal = null;
            var rawFinal = form["old_final"].ToString().Trim();
            if (rawFinal.Length > 0)
            {
                if (!double.TryParse(rawFinal, NumberStyles.Float, CultureInfo.InvariantCulture, out var f)) throw new ValidationException("old_final", T("data.reset.badnumber"));
                oldFinal = f;
            }
            var reason = form["reason"].ToString().Trim();
            await Store.Readings.ConfirmResetAsync(park, code, at, resolution, oldFinal, Me.Name, reason.Length == 0 ? null : reason, ct);
        }
        catch (Exception e) when (e is ValidationException or ConflictException or NotFoundException)
        {
            ConfirmError = e is ValidationException v ? DataPageModel.FieldLabel(v.Field) + ": " + v.Message : e.Message;
            Response.StatusCode = e switch { ValidationException => 400, ConflictException => 409, _ => 404 };
            var page = await OnGetAsync(park, from, to, q, meter, ct);
            return page;
        }
        return Redirect(Link(meter, from, to, q) + "&confirmed=1");
    }

    private string Link(string? meter, string? from, string? to, string? q) =>
        $"/parks/{CurrentPark!.Code}/data?from={Uri.EscapeDataString(from ?? "")}&to={Uri.EscapeDataString(to ?? "")}" + (string.IsNullOrWhiteSpace(q) ? "" : "&q=" + Uri.EscapeDataString(q)) +
        (string.IsNullOrWhiteSpace(meter) ? "" : "&meter=" + Uri.EscapeDataString(meter));

    public async Task<IActionResult> OnGetAsync(string park, string? from, string? to, string? q, string? meter, CancellationToken ct)
    {
        CurrentPark = await ParkIfVisibleAsync(park, ct);
        if (CurrentPark is null) return NotFound();
        Confirmed = Request.Query.ContainsKey("confirmed");
        var last = await Store.Queries.LastReadingAtAsync(park, ct);
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
        var reg = await Store.Registry.GetRegistryAsync(park, ct);
        Meters = reg.MetersByCode;
        All = await Store.Queries.DataQualityAsync(park, null, From, To, ct);
        Shown = All.Where(m => Query is null || m.Meter.Contains(Query, StringComparison.OrdinalIgnoreCase) || m.Name.Contains(Query, StringComparison.OrdinalIgnoreCase))
            .OrderBy(m => m.CompletenessPercent).ThenByDescending(m => m.Flagged).ThenBy(m => m.Meter, StringComparer.Ordinal).Take(MaxRows).ToList();
        if (!string.IsNullOrWhiteSpace(meter))
        {
            if (!reg.MetersByCode.TryGetValue(meter, out var m) || m.IsVirtual) return NotFound();
            Detail = (await Store.Queries.DataQualityAsync(park, meter, From, To, ct)).Single();
        }
        Suspects = await Store.Readings.ResetSuspectsAsync(park, Detail?.Meter, ct);
        return Page();
    }

    private static DateOnly? Parse(string? s) =>
        DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    public string Link(string? meter = null) =>
        $"/parks/{CurrentPark!.Code}/data?from={From:yyyy-MM-dd}&to={To:yyyy-MM-dd}" + (Query is null ? "" : "&q=" + Uri.EscapeDataString(Query)) +
        (meter is null ? "" : "&meter=" + Uri.EscapeDataString(meter));
}
