using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using ZeroPark.Domain;
using ZeroPark.Application;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>
/// One meter: its registry entry (kind, unit, register max, multiplier, interval, role, space, system, device, virtual formula) and
/// latest reading. Administrators and energy managers edit it (<c>/parks/{park}/meters/_new</c> creates one; a code never starts
/// with '_'); administrators, energy managers and data-entry operators record a meter replacement and fill gaps (the same store
/// calls as <c>POST …/meters/{code}/replacement</c> and <c>…/fill-gaps</c>), audited as the signed-in user.
/// </summary>
public sealed class MeterModel(ZeroParkStore store) : DataPageModel(store)
{
    public const string NewCode = "_new";

    public static readonly string[] Fields =
        ["code", "name", "carrier", "kind", "unit", "register_max", "multiplier", "interval_minutes", "max_rate", "resets_normal", "role", "space", "system", "device", "formula"];

    public Meter? Meter { get; private set; }
    public bool IsNew { get; private set; }
    public LatestReading? Latest { get; private set; }
    public Dictionary<string, string?> Form { get; } = new(StringComparer.Ordinal);

    /// <summary>Which form a message belongs to: meter, replace or fill.</summary>
    public string? Section { get; private set; }

    public async Task<IActionResult> OnGetAsync(string park, [FromRoute] string code, bool saved, CancellationToken ct)
    {
        if (!await LoadMeterAsync(park, code, ct)) return NotFound();
        if (IsNew && !CanEditRegistry) return Forbidden();
        if (saved) Message = T("mtr.saved", code);
        Section = "meter";
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(string park, [FromRoute] string code, CancellationToken ct)
    {
        if (!await LoadMeterAsync(park, code, ct)) return NotFound();
        if (!CanEditRegistry) return Forbidden();
        Section = "meter";
        foreach (var f in Fields) Form[f] = Request.Form[f].ToString().Trim();
        var target = IsNew ? Form["code"] ?? "" : code;
        var draft = new MeterDraft(target, Form["name"] ?? "", Form["carrier"] ?? "", Form["kind"] ?? "", Form["unit"] ?? "")
        {
            RegisterMax = Number("register_max", Form["register_max"]),
            Multiplier = Number("multiplier", Form["multiplier"]) ?? 1.0,
            IntervalMinutes = Integer("interval_minutes", Form["interval_minutes"]) ?? 15,
            MaxRatePerHour = Number("max_rate", Form["max_rate"]),
            ResetsNormal = Form["resets_normal"] == "true",
            Role = string.IsNullOrEmpty(Form["role"]) ? "submeter" : Form["role"]!,
            SpaceCode = Empty(Form["space"]),
            SystemCode = Empty(Form["system"]),
            Device = Empty(Form["device"]),
            Formula = Empty(Form["formula"]),
        };
        if (Errors.Count > 0) return Page();
        try
        {
            if (IsNew) await Store.Registry.CreateMetersAsync(park, [draft], Me.Name, ct);
            else await Store.Registry.UpdateMeterAsync(park, code, draft, Me.Name, ct);
        }
        catch (Exception e) when (e is ValidationException or ConflictException)
        {
            Show(e);
            return Page();
        }
        return Redirect($"/parks/{park}/meters/{Uri.EscapeDataString(target)}?saved=true");
    }

    public async Task<IActionResult> OnPostReplaceAsync(string park, [FromRoute] string code, CancellationToken ct)
    {
        if (!await LoadMeterAsync(park, code, ct) || IsNew) return NotFound();
        if (!CanEnterData) return Forbidden();
        Section = "replace";
        foreach (var f in new[] { "at", "old_final", "new_initial", "reason" }) Form[f] = Request.Form[f].ToString().Trim();
        var at = LocalInstant("at", Form["at"]);
        var oldFinal = Number("old_final", Form["old_final"]);
        var newInitial = Number("new_initial", Form["new_initial"]);
        if (oldFinal is null && !Errors.ContainsKey("old_final")) Invalid("old_final", T("dm.required"));
        if (newInitial is null && !Errors.ContainsKey("new_initial")) Invalid("new_initial", T("dm.required"));
        if (string.IsNullOrWhiteSpace(Form["reason"])) Invalid("reason", T("dm.reasonrequired"));
        if (Errors.Count > 0) return Page();
        try
        {
            var s = await Store.Readings.ReplaceMeterAsync(park, code, at!.Value, oldFinal!.Value, newInitial!.Value, Me.Name, Form["reason"], ct);
            if (s.Rejected.Count > 0) throw new ValidationException("new_initial", s.Rejected[0].Reason);
            Message = T("mtr.replaced", Local(at.Value), Reading(oldFinal.Value, Meter!.Unit), Reading(newInitial.Value, Meter.Unit));
            Form.Clear();
            await LoadMeterAsync(park, code, ct);
        }
        catch (Exception e) when (e is ValidationException or ConflictException)
        {
            Show(e);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostFillAsync(string park, [FromRoute] string code, CancellationToken ct)
    {
        if (!await LoadMeterAsync(park, code, ct) || IsNew) return NotFound();
        if (!CanEnterData) return Forbidden();
        Section = "fill";
        foreach (var f in new[] { "fill_from", "fill_to" }) Form[f] = Request.Form[f].ToString().Trim();
        var from = Day("fill_from", Form["fill_from"]);
        var to = Day("fill_to", Form["fill_to"]);
        if (from is null && !Errors.ContainsKey("fill_from")) Invalid("fill_from", T("dm.required"));
        if (to is null && !Errors.ContainsKey("fill_to")) Invalid("fill_to", T("dm.required"));
        if (from is { } f0 && to is { } t0 && (t0 < f0 || t0.DayNumber - f0.DayNumber > 366)) Invalid("fill_to", T("energy.range", 367));
        if (Errors.Count > 0) return Page();
        try
        {
            var s = await Store.Readings.FillGapsAsync(park, code, from!.Value, to!.Value, Me.Name, ct);
            Message = T("mtr.filled", s.Accepted, Date(from.Value), Date(to.Value));
            await LoadMeterAsync(park, code, ct);
        }
        catch (Exception e) when (e is ValidationException or ConflictException)
        {
            Show(e);
        }
        return Page();
    }

    private async Task<bool> LoadMeterAsync(string park, string code, CancellationToken ct)
    {
        if (!await LoadAsync(park, ct)) return false;
        IsNew = code == NewCode;
        if (IsNew)
        {
            Form.TryAdd("carrier", "electricity");
            Form.TryAdd("kind", "cumulative");
            Form.TryAdd("unit", "kWh");
            Form.TryAdd("multiplier", "1");
            Form.TryAdd("interval_minutes", "15");
            Form.TryAdd("role", "submeter");
            return true;
        }
        if (!Registry.MetersByCode.TryGetValue(code, out var m)) return false;
        Meter = m;
        Latest = (await Store.Queries.LatestReadingsAsync(park, ct)).FirstOrDefault(l => l.Meter == code);
        var inv = CultureInfo.InvariantCulture;
        Form.TryAdd("code", m.Code);
        Form.TryAdd("name", m.Name);
        Form.TryAdd("carrier", Codes.Of(m.Carrier));
        Form.TryAdd("kind", Codes.Of(m.Kind));
        Form.TryAdd("unit", m.Unit);
        Form.TryAdd("register_max", m.RegisterMax?.ToString("R", inv));
        Form.TryAdd("multiplier", m.Multiplier.ToString("R", inv));
        Form.TryAdd("interval_minutes", ((int)m.Interval.TotalMinutes).ToString(inv));
        Form.TryAdd("max_rate", m.MaxRatePerHour?.ToString("R", inv));
        Form.TryAdd("resets_normal", m.ResetsNormal ? "true" : "false");
        Form.TryAdd("role", Codes.Of(m.Role));
        Form.TryAdd("space", SpaceCode(m.SpaceId));
        Form.TryAdd("system", m.SystemCode);
        Form.TryAdd("device", m.Device);
        Form.TryAdd("formula", m.Formula);
        return true;
    }

    private static string? Empty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    public string? V(string field) => Form.TryGetValue(field, out var v) ? v : null;

    /// <summary>The space's path from its building, e.g. "1号楼 › 1层 › 101机房".</summary>
    public string SpacePath(SpaceId? id)
    {
        var names = new List<string>();
        for (var s = id is { } v && Registry.SpacesById.TryGetValue(v.Value, out var x) ? x : null; s is not null;
             s = s.ParentId is { } p && Registry.SpacesById.TryGetValue(p.Value, out var y) ? y : null)
            names.Insert(0, s.Name);
        return names.Count == 0 ? T("mtr.parklevel") : string.Join(" › ", names);
    }
}
