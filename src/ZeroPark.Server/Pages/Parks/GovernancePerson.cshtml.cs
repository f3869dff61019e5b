using Microsoft.AspNetCore.Mvc;
using ZeroPark.Application;
using ZeroPark.Application.Governance;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>A person of the governance organisation: unit, role, the KPIs they are accountable for with their targets, their
/// e-mail address, and the open and acknowledged alerts of those KPIs with counts (the table ZeroPark.Governance.AlertKpis).</summary>
public sealed class GovernancePersonModel(ZeroParkStore store) : ZpPageModel(store)
{
    public PersonAlerts Alerts { get; private set; } = null!;
    public OrgUnit? Unit { get; private set; }
    public IReadOnlyList<string> Targets { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string park, string code, CancellationToken ct)
    {
        CurrentPark = await ParkIfVisibleAsync(park, ct);
        if (CurrentPark is null) return NotFound();
        try
        {
            Alerts = await Store.Governance.PersonAlertsAsync(park, code, ct);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        Unit = (await Store.Governance.UnitsAsync(park, ct)).FirstOrDefault(u => u.Code == Alerts.Person.Unit);
        Targets = (await Store.Governance.AccountableTargetsAsync(park, ct)).GetValueOrDefault(code) ?? [];
        return Page();
    }
}
