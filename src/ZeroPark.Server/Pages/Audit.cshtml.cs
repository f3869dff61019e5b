using Microsoft.AspNetCore.Mvc;
using ZeroPark.Application;

namespace ZeroPark.Server.Pages;

/// <summary>Who changed what and when. Administrators see every entry (also user changes, which belong to no park); other roles
/// that read the audit log see the entries of the parks granted to them and the changes of the (park-less) factor library.</summary>
public sealed partial class AuditModel(ZeroParkStore store) : ZpPageModel(store)
{
    public const int Limit = 200;
    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];
    public string? Park { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? park, CancellationToken ct)
    {
        await LoadParksAsync(ct);
        if (!string.IsNullOrEmpty(park))
        {
            CurrentPark = VisibleParks.FirstOrDefault(p => p.Code == park);
            if (CurrentPark is null) return NotFound();
            Park = park;
            Entries = await Store.Audit.AuditLogAsync(park, Limit, ct);
        }
        else if (Me.SeesAllParks)
        {
            Entries = await Store.Audit.AuditLogAsync(null, Limit, ct);
        }
        else
        {
            var all = new List<AuditEntry>();
            foreach (var p in VisibleParks) all.AddRange(await Store.Audit.AuditLogAsync(p.Code, Limit, ct));
            // The factor library belongs to no park and every role reads it: its changes are shown to every role that reads the log.
            all.AddRange((await Store.Audit.AuditLogAsync(null, Limit, ct)).Where(e => e.Park is null && e.Entity == "factor"));
            Entries = all.OrderByDescending(e => e.Id).Take(Limit).ToList();
        }
        return Page();
    }
}
