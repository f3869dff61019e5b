using Microsoft.AspNetCore.Mvc;
using ZeroPark.Application;
using ZeroPark.Application.EnergyManagement;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>What was CLI/API only before issue 13: gateway API keys (create — the key is shown once —, list, revoke), tariff
/// versions (a new version from the tariff JSON of <c>zeropark energy tariff add</c>) and energy plans (set an annual or monthly
/// plan of the park or a building). Administrators and energy managers change them (the rights of the same API routes); other
/// roles read the tariffs and plans; the keys are listed only to those who may create them, as in the API.</summary>
public sealed class CollectionSettingsModel(ZeroParkStore store) : FormPageModel(store)
{
    public IReadOnlyList<ApiKeyInfo> Keys { get; private set; } = [];
    public IReadOnlyList<TariffVersion> Tariffs { get; private set; } = [];
    public IReadOnlyList<EnergyPlan> Plans { get; private set; } = [];
    /// <summary>A key just created: shown once.</summary>
    public string? NewKey { get; private set; }

    public async Task<IActionResult> OnGetAsync(string park, CancellationToken ct)
    {
        if (!await LoadAsync(park, ct)) return NotFound();
        await FillAsync(ct);
        return Page();
    }

    protected override async Task FillAsync(CancellationToken ct)
    {
        Keys = CanEditRegistry ? await Store.ApiKeys.ListApiKeysAsync(Park.Code, ct) : [];
        Tariffs = await Store.Tariffs.ListTariffVersionsAsync(Park.Code, ct);
        Plans = await Store.Plans.ListEnergyPlansAsync(Park.Code, ct: ct);
    }

    public Task<IActionResult> OnPostKeyAsync(string park, CancellationToken ct) =>
        EditAsync(park, ["key_name"], async () =>
        {
            if (string.IsNullOrWhiteSpace(V("key_name"))) throw new ValidationException("key_name", T("dm.required"));
            NewKey = await Store.ApiKeys.CreateApiKeyAsync(park, V("key_name")!, Me.Name, ct);
            return T("cs.key.created", V("key_name")!);
        }, ct);

    public Task<IActionResult> OnPostRevokeAsync(string park, long id, CancellationToken ct) =>
        EditAsync(park, [], async () =>
        {
            await Store.ApiKeys.RevokeApiKeyAsync(park, id, Me.Name, ct);
            return T("cs.key.revoked");
        }, ct);

    public Task<IActionResult> OnPostTariffAsync(string park, CancellationToken ct) =>
        EditAsync(park, ["valid_from", "tariff"], async () =>
        {
            var from = Day("valid_from", V("valid_from"));
            if (from is null) throw new ValidationException("valid_from", ErrorOf("valid_from") ?? T("dm.required"));
            var draft = TariffDraft.FromJson(V("tariff") ?? "", "tariff") with { ValidFrom = from.Value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) };
            var v = await Store.Tariffs.CreateTariffVersionAsync(park, draft, Me.Name, ct);
            return T("cs.tariff.created", v.ValidFrom.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        }, ct);

    public Task<IActionResult> OnPostPlanAsync(string park, CancellationToken ct) =>
        EditAsync(park, ["plan_node", "plan_carrier", "plan_year", "plan_month", "plan_amount", "plan_unit"], async () =>
        {
            var year = Integer("plan_year", V("plan_year"));
            var month = Integer("plan_month", V("plan_month"));
            var amount = Number("plan_amount", V("plan_amount"));
            ThrowIfInvalid();
            var p = await Store.Plans.SetEnergyPlanAsync(park, new PlanDraft(string.IsNullOrEmpty(V("plan_node")) ? null : V("plan_node"), V("plan_carrier"), year, month, amount,
                string.IsNullOrEmpty(V("plan_unit")) ? null : V("plan_unit")), Me.Name, ct);
            return T("cs.plan.saved", p.Node, PlanRules.PeriodCode(p.Year, p.Month));
        }, ct);
}
