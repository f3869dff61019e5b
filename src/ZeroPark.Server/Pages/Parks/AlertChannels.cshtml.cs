using Microsoft.AspNetCore.Mvc;
using ZeroPark.Application;
using ZeroPark.Application.Alerts;
using ZeroPark.Server.Endpoints;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>Notification channels (email, webhook, DingTalk, WeCom) with their pending and failed deliveries and the last error, and
/// the recent outbox.</summary>
public sealed class AlertChannelsModel(ZeroParkStore store) : DataPageModel(store)
{
    public IReadOnlyList<AlertChannel> Channels { get; private set; } = [];
    public IReadOnlyList<OutboxItem> Outbox { get; private set; } = [];
    public bool CanEdit => UserAccess.Allows(Me.Role, UserAccess.Access.RegistryWrite);

    public async Task<IActionResult> OnGetAsync(string park, CancellationToken ct)
    {
        if (!await LoadAsync(park, ct)) return NotFound();
        await FillAsync(ct);
        return Page();
    }

    private async Task FillAsync(CancellationToken ct)
    {
        Channels = await Store.Alerts.ChannelsAsync(Park.Code, ct);
        Outbox = await Store.Alerts.OutboxAsync(Park.Code, 50, ct);
    }

    public async Task<IActionResult> OnPostSetAsync(string park, string? code, string? kind, string? target, string? config, string? secret, string? minSeverity,
        int? quietFrom, int? quietTo, string? language, CancellationToken ct)
    {
        if (!await LoadAsync(park, ct)) return NotFound();
        if (!CanEdit) return Forbidden();
        try
        {
            var c = await Store.Alerts.SetChannelAsync(park, new AlertChannelDraft(code, kind, target, AlertRulesModel.ParseParams(config),
                string.IsNullOrEmpty(secret) ? null : secret, true, minSeverity, quietFrom, quietTo, language), Me.Name, ct);
            Message = T("al.done.channel", c.Code);
        }
        catch (Exception e) when (e is ValidationException or ConflictException or NotFoundException) { Show(e); }
        await FillAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(string park, string code, CancellationToken ct)
    {
        if (!await LoadAsync(park, ct)) return NotFound();
        if (!CanEdit) return Forbidden();
        try
        {
            await Store.Alerts.DeleteChannelAsync(park, code, Me.Name, ct);
            Message = T("al.done.deleted", code);
        }
        catch (Exception e) when (e is NotFoundException) { Show(e); }
        await FillAsync(ct);
        return Page();
    }
}
