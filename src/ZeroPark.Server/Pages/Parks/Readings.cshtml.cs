using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using ZeroPark.Domain;
using ZeroPark.Metering;
using ZeroPark.Application;
using ZeroPark.Server.Web;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>
/// Manual entry and correction of one reading (the store's <c>ManualEntryAsync</c>, as <c>zeropark manual</c>): meter, park-local
/// date and time, value and a mandatory reason. A new instant is a manual entry; a different value at a stored instant is a
/// correction, shown as old → new and written to the audit log with the user, the reason, the time and the previous value.
/// The stored readings of the chosen meter and day are listed, each with a link that fills the form to correct it. Entering:
/// administrators, energy managers, data-entry operators; every role reads.
/// </summary>
public sealed partial class ReadingsModel(ZeroParkStore store) : DataPageModel(store)
{
    public const int RecentChanges = 15;

    public Dictionary<string, string?> Form { get; } = new(StringComparer.Ordinal);
    public Meter? Selected { get; private set; }
    public DateOnly ShownDay { get; private set; }
    public IReadOnlyList<StoredReading> DayReadings { get; private set; } = [];
    public PointStatus? Outcome { get; private set; }
    public IReadOnlyList<AuditEntry> Recent { get; private set; } = [];

    public IEnumerable<Meter> PhysicalMeters => Registry.MetersByCode.Values.Where(m => !m.IsVirtual).OrderBy(m => m.Code, StringComparer.Ordinal);

    public async Task<IActionResult> OnGetAsync(string park, string? meter, string? at, string? value, string? day, CancellationToken ct)
    {
        if (!await LoadAsync(park, ct)) return NotFound();
        Form["meter"] = meter?.Trim();
        Form["at"] = at?.Trim();
        Form["value"] = value?.Trim();
        await ShowMeterAsync(park, meter, day, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string park, CancellationToken ct)
    {
        if (!await LoadAsync(park, ct)) return NotFound();
        if (!CanEnterData) return Forbidden();
        foreach (var f in new[] { "meter", "at", "value", "reason" }) Form[f] = Request.Form[f].ToString().Trim();
        var code = Form["meter"] ?? "";
        if (code.Length == 0) Invalid("meter", T("dm.required"));
        else if (!Registry.MetersByCode.TryGetValue(code, out var m)) Invalid("meter", T("rd.unknownmeter", code));
        else if (m.IsVirtual) Invalid("meter", T("rd.virtual", code));
        var at = LocalInstant("at", Form["at"]);
        var value = Number("value", Form["value"]);
        if (value is null && !Errors.ContainsKey("value")) Invalid("value", T("dm.required"));
        if (string.IsNullOrWhiteSpace(Form["reason"])) Invalid("reason", T("dm.reasonrequired"));
        if (Errors.Count == 0)
        {
            try
            {
                var s = await Store.Readings.ManualEntryAsync(park, code, at!.Value, value!.Value, Me.Name, Form["reason"]!, ct);
                Outcome = s.Points is { Count: > 0 } points ? points[0] : null;
                Form["reason"] = null;
            }
            catch (Exception e) when (e is ValidationException or ConflictException or NotFoundException)
            {
                Show(e);
            }
        }
        var dayText = at is { } t ? Park.Clock.LocalDate(t.ToUnixTimeSeconds()).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null;
        await ShowMeterAsync(park, code, dayText, ct);
        return Page();
    }

    /// <summary>What the void form removed (shown as the confirmation), or null.</summary>
    public VoidResult? Voided { get; private set; }

    /// <summary>Voids one reading (<c>void_from</c>) or an inclusive range (<c>void_from</c>..<c>void_to</c>) of the selected
    /// meter with a mandatory reason (the store's <c>VoidReadingsAsync</c>, as <c>zeropark void</c> and the API): administrators
    /// and energy managers only, as the API route.</summary>
    public async Task<IActionResult> OnPostVoidAsync(string park, CancellationToken ct)
    {
        if (!await LoadAsync(park, ct)) return NotFound();
        if (!CanEditRegistry) return Forbidden();
        foreach (var f in new[] { "void_meter", "void_from", "void_to", "void_reason" }) Form[f] = Request.Form[f].ToString().Trim();
        var code = Form["void_meter"] ?? "";
        if (!Registry.MetersByCode.TryGetValue(code, out var m) || m.IsVirtual) Invalid("void_meter", T("rd.unknownmeter", code));
        var from = LocalInstant("void_from", Form["void_from"]);
        var to = string.IsNullOrWhiteSpace(Form["void_to"]) ? from : LocalInstant("void_to", Form["void_to"]);
        if (string.IsNullOrWhiteSpace(Form["void_reason"])) Invalid("void_reason", T("dm.reasonrequired"));
        if (Errors.Count == 0)
        {
            try
            {
                Voided = await Store.Readings.VoidReadingsAsync(park, code, from!.Value, to!.Value, Me.Name, Form["void_reason"]!, ct);
                Form["void_reason"] = null;
            }
            catch (Exception e) when (e is ValidationException or ConflictException or NotFoundException)
            {
                Show(e);
            }
        }
        var dayText = from is { } t ? Park.Clock.LocalDate(t.ToUnixTimeSeconds() - 1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null;
        await ShowMeterAsync(park, code, dayText, ct);
        return Page();
    }

    private async Task ShowMeterAsync(string park, string? meter, string? day, CancellationToken ct)
    {
        if (UserRoles.ReadsAudit(Me.Role))
            Recent = (await Store.Audit.AuditLogAsync(park, 200, ct)).Where(a => a.Entity == "reading").Take(RecentChanges).ToList();
        if (string.IsNullOrWhiteSpace(meter) || !Registry.MetersByCode.TryGetValue(meter.Trim(), out var m) || m.IsVirtual) return;
        Selected = m;
        var latest = (await Store.Queries.LatestReadingsAsync(park, ct)).FirstOrDefault(l => l.Meter == m.Code);
        var fallback = latest is { } l ? Park.Clock.LocalDate(l.At.ToUnixTimeSeconds() - 1) : Park.Clock.LocalDate(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        ShownDay = DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : fallback;
        DayReadings = await Store.Readings.MeterReadingsAsync(park, m.Code, ShownDay, ShownDay, ct);
    }

    public string? V(string field) => Form.TryGetValue(field, out var v) ? v : null;

    public string At(long ts) => UiText.DateTime(Park.Clock.ToLocalOffset(ts));

    public string InputAt(long ts) => Park.Clock.ToLocal(ts).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);

    public string DayLink(DateOnly d) => $"/parks/{Park.Code}/readings?meter={Uri.EscapeDataString(Selected!.Code)}&day={d:yyyy-MM-dd}";

    public string CorrectLink(StoredReading r) =>
        $"/parks/{Park.Code}/readings?meter={Uri.EscapeDataString(Selected!.Code)}&at={Uri.EscapeDataString(InputAt(r.Ts))}&value={r.Value.ToString("R", CultureInfo.InvariantCulture)}&day={ShownDay:yyyy-MM-dd}";

    /// <summary>The reading's flags as short localized tags (rollover, negative, jump, gap, replacement, estimated, manual, first).</summary>
    public static IEnumerable<string> FlagTags(ReadingFlags f)
    {
        foreach (var flag in new[] { ReadingFlags.Rollover, ReadingFlags.Negative, ReadingFlags.Jump, ReadingFlags.Gap, ReadingFlags.Replacement, ReadingFlags.Estimated, ReadingFlags.Manual, ReadingFlags.First,
            ReadingFlags.SuspectedReset, ReadingFlags.SuspectedBadReading, ReadingFlags.Reset, ReadingFlags.ResetConfirmed, ReadingFlags.BadReading })
            if ((f & flag) != 0) yield return T("flag." + ZeroPark.Application.Readings.ReadingQueries.FlagName(flag));
    }

    public static string? Parse(string? raw) =>
        raw is not null && double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v.ToString("#,##0.###", CultureInfo.CurrentCulture) : raw;
}
