using Microsoft.AspNetCore.Mvc;
using ZeroPark.Domain;
using ZeroPark.Application;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>The park's meters, searchable by code, name or device and filtered by carrier, kind, role, system (with its
/// descendants), space (with everything below it) and physical/virtual; with the latest reading of each. Up to
/// <see cref="MaxRows"/> rows are shown.</summary>
public sealed partial class MetersModel(ZeroParkStore store) : DataPageModel(store)
{
    public const int MaxRows = 300;

    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? Carrier { get; set; }
    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }
    [BindProperty(SupportsGet = true)] public string? Role { get; set; }
    [BindProperty(SupportsGet = true)] public string? System { get; set; }
    [BindProperty(SupportsGet = true)] public string? Space { get; set; }
    [BindProperty(SupportsGet = true)] public string? Type { get; set; }

    public int Matching { get; private set; }
    public IReadOnlyList<Meter> Shown { get; private set; } = [];
    public IReadOnlyDictionary<string, LatestReading> Latest { get; private set; } = new Dictionary<string, LatestReading>();

    public async Task<IActionResult> OnGetAsync(string park, CancellationToken ct)
    {
        if (!await LoadAsync(park, ct)) return NotFound();
        var q = Q?.Trim();
        SpaceId? under = Space is { Length: > 0 } sc && Registry.SpacesByCode.TryGetValue(sc, out var sp) ? sp.Id : null;
        var all = Registry.MetersByCode.Values.Where(m =>
                (string.IsNullOrEmpty(q) || m.Code.Contains(q, StringComparison.OrdinalIgnoreCase) || m.Name.Contains(q, StringComparison.OrdinalIgnoreCase)
                 || (m.Device?.Contains(q, StringComparison.OrdinalIgnoreCase) ?? false))
                && (string.IsNullOrEmpty(Carrier) || Codes.Of(m.Carrier) == Carrier)
                && (string.IsNullOrEmpty(Kind) || Codes.Of(m.Kind) == Kind)
                && (string.IsNullOrEmpty(Role) || Codes.Of(m.Role) == Role)
                && (string.IsNullOrEmpty(System) || (m.SystemCode is { } c && SystemTaxonomy.IsUnder(c, System)))
                && (string.IsNullOrEmpty(Space) || (under is { } u && Registry.IsUnder(m.SpaceId, u)))
                && (Type switch { "physical" => !m.IsVirtual, "virtual" => m.IsVirtual, _ => true }))
            .OrderBy(m => m.Code, StringComparer.Ordinal).ToList();
        Matching = all.Count;
        Shown = all.Take(MaxRows).ToList();
        Latest = (await Store.Queries.LatestReadingsAsync(park, ct)).ToDictionary(l => l.Meter, StringComparer.Ordinal);
        return Page();
    }

    public bool Filtered => !string.IsNullOrEmpty(Q) || !string.IsNullOrEmpty(Carrier) || !string.IsNullOrEmpty(Kind) || !string.IsNullOrEmpty(Role)
                            || !string.IsNullOrEmpty(System) || !string.IsNullOrEmpty(Space) || !string.IsNullOrEmpty(Type);
}
