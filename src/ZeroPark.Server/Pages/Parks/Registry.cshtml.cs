using Microsoft.AspNetCore.Mvc;
using ZeroPark.Domain;
using ZeroPark.Application;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>The park's registry: its settings (name, time zone, climate zone, grid region, design IT capacity, racks), the space
/// tree (building → floor → room → rack) and the systems with their meters. Administrators and energy managers edit (the same
/// store calls as <c>PUT /api/parks/{park}</c>, <c>POST/DELETE …/spaces</c>); every other role reads.</summary>
public sealed partial class RegistryModel(ZeroParkStore store) : DataPageModel(store)
{
    /// <summary>The values shown in the forms: the stored ones, or what was posted when it was refused.</summary>
    public Dictionary<string, string?> Form { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<(Space Space, int Depth)> Tree { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string park, CancellationToken ct)
    {
        if (!await LoadAsync(park, ct)) return NotFound();
        Fill();
        return Page();
    }

    public async Task<IActionResult> OnPostParkAsync(string park, CancellationToken ct)
    {
        if (!await LoadAsync(park, ct)) return NotFound();
        if (!CanEditRegistry) return Forbidden();
        foreach (var f in new[] { "name", "timezone", "climate_zone", "grid_region", "province", "commissioning_date", "design_it_kw", "racks_total", "racks_in_use" })
            Form[f] = Request.Form[f].ToString().Trim();
        var draft = new ParkDraft(park, Form["name"] ?? "", string.IsNullOrEmpty(Form["timezone"]) ? Park.TimeZoneId : Form["timezone"]!)
        {
            ClimateZone = string.IsNullOrEmpty(Form["climate_zone"]) ? "other" : Form["climate_zone"]!,
            GridRegion = Empty(Form["grid_region"]),
            Province = Empty(Form["province"]),
            CommissioningDate = Day("commissioning_date", Form["commissioning_date"]),
            DesignItKw = Number("design_it_kw", Form["design_it_kw"]),
            RacksTotal = Integer("racks_total", Form["racks_total"]),
            RacksInUse = Integer("racks_in_use", Form["racks_in_use"]),
        };
        if (Errors.Count == 0)
        {
            try
            {
                await Store.Registry.UpdateParkAsync(park, draft, Me.Name, ct);
                await LoadAsync(park, ct);
                Message = T("reg.saved");
                Form.Clear();
            }
            catch (Exception e) when (e is ValidationException or ConflictException)
            {
                Show(e);
            }
        }
        Fill();
        return Page();
    }

    public async Task<IActionResult> OnPostSpaceAsync(string park, CancellationToken ct)
    {
        if (!await LoadAsync(park, ct)) return NotFound();
        if (!CanEditRegistry) return Forbidden();
        foreach (var f in new[] { "space_code", "space_name", "parent" })
            Form[f] = Request.Form[f].ToString().Trim();
        try
        {
            var s = await Store.Registry.CreateSpaceAsync(park, new SpaceDraft(Form["space_code"] ?? "", Form["space_name"] ?? "", Empty(Form["parent"])), Me.Name, ct);
            await LoadAsync(park, ct);
            Message = T("reg.spacecreated", s.Name, s.Code);
            Form.Remove("space_code");
            Form.Remove("space_name");
        }
        catch (Exception e) when (e is ValidationException or ConflictException)
        {
            // The store names the space's fields code and name; the form calls them space_code and space_name.
            if (e is ValidationException { Field: "code" or "name" } v) e = new ValidationException("space_" + v.Field, v.Message);
            Show(e);
        }
        Fill();
        return Page();
    }

    public async Task<IActionResult> OnPostRenameSpaceAsync(string park, string code, CancellationToken ct)
    {
        if (!await LoadAsync(park, ct)) return NotFound();
        if (!CanEditRegistry) return Forbidden();
        try
        {
            var s = await Store.Registry.RenameSpaceAsync(park, code, Request.Form["space_rename"].ToString(), Me.Name, ct);
            await LoadAsync(park, ct);
            Message = T("reg.spacerenamed", s.Code, s.Name);
        }
        catch (Exception e) when (e is ValidationException or NotFoundException)
        {
            if (e is ValidationException v) e = new ValidationException("space_name", v.Message);
            Show(e);
        }
        Fill();
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteSpaceAsync(string park, string code, CancellationToken ct)
    {
        if (!await LoadAsync(park, ct)) return NotFound();
        if (!CanEditRegistry) return Forbidden();
        try
        {
            await Store.Registry.DeleteSpaceAsync(park, code, Me.Name, ct);
            await LoadAsync(park, ct);
            Message = T("reg.spacedeleted", code);
        }
        catch (Exception e) when (e is ValidationException or ConflictException or NotFoundException)
        {
            Show(e);
        }
        Fill();
        return Page();
    }

    private static string? Empty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private void Fill()
    {
        var p = Park;
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        Form.TryAdd("name", p.Name);
        Form.TryAdd("timezone", p.TimeZoneId);
        Form.TryAdd("climate_zone", Park.ClimateZoneCode(p.ClimateZone));
        Form.TryAdd("grid_region", p.GridRegion);
        Form.TryAdd("province", p.Province);
        Form.TryAdd("commissioning_date", p.CommissioningDate?.ToString("yyyy-MM-dd", inv));
        Form.TryAdd("design_it_kw", p.DesignItCapacity?.Kilowatts.ToString("R", inv));
        Form.TryAdd("racks_total", p.RacksTotal?.ToString(inv));
        Form.TryAdd("racks_in_use", p.RacksInUse?.ToString(inv));
        // The tree in depth-first order, children by code.
        var children = Registry.SpacesById.Values.ToLookup(s => s.ParentId?.Value);
        var list = new List<(Space, int)>();
        void Walk(long? parent, int depth)
        {
            foreach (var s in children[parent].OrderBy(s => s.Code, StringComparer.Ordinal))
            {
                list.Add((s, depth));
                Walk(s.Id.Value, depth + 1);
            }
        }
        Walk(null, 0);
        Tree = list;
        _metersIn = null;
        _parents = null;
    }

    private Dictionary<long, int>? _metersIn;
    private HashSet<long>? _parents;

    /// <summary>Meters attached directly to the space (counted once per request: the demo park has ~2,000 spaces and meters).</summary>
    public int MetersIn(Space s)
    {
        _metersIn ??= Registry.MetersById.Values.Where(m => m.SpaceId is not null).GroupBy(m => m.SpaceId!.Value.Value).ToDictionary(g => g.Key, g => g.Count());
        return _metersIn.GetValueOrDefault(s.Id.Value);
    }

    public bool HasChildren(Space s)
    {
        _parents ??= Registry.SpacesById.Values.Where(x => x.ParentId is not null).Select(x => x.ParentId!.Value.Value).ToHashSet();
        return _parents.Contains(s.Id.Value);
    }

    /// <summary>Meters attached to the system node or below it.</summary>
    public int MetersUnder(string system) =>
        Registry.MetersById.Values.Count(m => m.SystemCode is { } c && SystemTaxonomy.IsUnder(c, system));

    public string? V(string field) => Form.TryGetValue(field, out var v) ? v : null;
}
