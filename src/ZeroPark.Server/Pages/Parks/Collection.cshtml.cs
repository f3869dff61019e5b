using Microsoft.AspNetCore.Mvc;
using ZeroPark.Application;
using ZeroPark.Application.Collection;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>Collection (采集监控): the health of every gateway key, MQTT subscription, Modbus device and folder source, and their
/// configuration. Administrators and energy managers add and remove sources (the store calls behind
/// <c>POST/DELETE /api/parks/{park}/collection/…</c>); every other role reads.</summary>
public sealed class CollectionModel(ZeroParkStore store, CollectionHealthService healthService) : FormPageModel(store)
{
    public IReadOnlyList<SourceHealthView> Health { get; private set; } = [];
    public IReadOnlyList<MqttSubscription> Mqtt { get; private set; } = [];
    public IReadOnlyList<ModbusDevice> Devices { get; private set; } = [];
    public IReadOnlyList<FolderSource> Folders { get; private set; } = [];
    public IReadOnlyList<FileOutcome> Files { get; private set; } = [];
    public IReadOnlyList<Metering.RowError> MapRejected { get; private set; } = [];
    public int Missed { get; private set; } = ZeroPark.Collection.SourceHealth.DefaultMissedIntervals;


    public async Task<IActionResult> OnGetAsync(string park, int? missed, CancellationToken ct)
    {
        if (!await LoadAsync(park, ct)) return NotFound();
        if (missed is >= 1 and <= 1000) Missed = missed.Value;
        await FillAsync(ct);
        return Page();
    }

    protected override async Task FillAsync(CancellationToken ct)
    {
        Health = await healthService.HealthAsync(Park.Code, Missed, ct: ct);
        Mqtt = await Store.Collection.ListMqttAsync(Park.Code, ct);
        Devices = await Store.Collection.ListModbusDevicesAsync(Park.Code, ct);
        Folders = await Store.Collection.ListFoldersAsync(Park.Code, ct);
        Files = await Store.Collection.FileOutcomesAsync(Park.Code, 50, ct);
    }

    private static string? Empty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    public Task<IActionResult> OnPostMqttAsync(string park, CancellationToken ct) =>
        EditAsync(park, ["broker", "topic", "name", "meter", "username", "password", "interval", "tls"], async () =>
        {
            var interval = Integer("interval", V("interval")) ?? 60;
            ThrowIfInvalid();
            var s = await Store.Collection.AddMqttAsync(park, new MqttDraft(V("broker") ?? "", V("topic") ?? "")
            {
                Name = Empty(V("name")), Meter = Empty(V("meter")), Username = Empty(V("username")), Password = Empty(V("password")),
                Tls = V("tls") is "on" or "true", IntervalSeconds = interval,
            }, Me.Name, ct);
            return T("col.mqtt.added", s.Name, s.Template.Filter);
        }, ct);

    public Task<IActionResult> OnPostRemoveMqttAsync(string park, string id, CancellationToken ct) =>
        EditAsync(park, [], async () =>
        {
            await Store.Collection.RemoveMqttAsync(park, id, Me.Name, ct);
            return T("col.removed");
        }, ct);

    public Task<IActionResult> OnPostDeviceAsync(string park, CancellationToken ct) =>
        EditAsync(park, ["device", "host", "port", "unit", "interval", "timeout_ms", "retries"], async () =>
        {
            var port = Integer("port", V("port")) ?? 502;
            var unit = Integer("unit", V("unit")) ?? 1;
            var interval = Integer("interval", V("interval")) ?? 60;
            var timeout = Integer("timeout_ms", V("timeout_ms")) ?? 2000;
            var retries = Integer("retries", V("retries")) ?? 2;
            ThrowIfInvalid();
            var d = await Store.Collection.AddModbusDeviceAsync(park, new ModbusDeviceDraft(V("device") ?? "", V("host") ?? "", port, unit)
            {
                IntervalSeconds = interval, TimeoutMs = timeout, Retries = retries,
            }, Me.Name, ct);
            return T("col.device.added", d.Code);
        }, ct);

    public Task<IActionResult> OnPostMapAsync(string park, CancellationToken ct) =>
        EditAsync(park, ["map_device", "map"], async () =>
        {
            var (d, rejected) = await Store.Collection.ImportModbusMapAsync(park, V("map_device") ?? "", V("map") ?? "", Me.Name, ct);
            MapRejected = rejected;
            return T("col.map.saved", d.Code, d.Map.Count, rejected.Count);
        }, ct);

    public Task<IActionResult> OnPostRemoveDeviceAsync(string park, string id, CancellationToken ct) =>
        EditAsync(park, [], async () =>
        {
            await Store.Collection.RemoveModbusDeviceAsync(park, id, Me.Name, ct);
            return T("col.removed");
        }, ct);

    public Task<IActionResult> OnPostFolderAsync(string park, CancellationToken ct) =>
        EditAsync(park, ["folder_name", "kind", "location", "pattern", "interval"], async () =>
        {
            var interval = Integer("interval", V("interval")) ?? 300;
            ThrowIfInvalid();
            var f = await Store.Collection.AddFolderAsync(park, new FolderDraft(V("folder_name") ?? "", V("kind") ?? "folder", V("location") ?? "")
            {
                Pattern = Empty(V("pattern")) ?? "*.csv", IntervalSeconds = interval,
            }, Me.Name, ct);
            return T("col.folder.added", f.Name);
        }, ct);

    public Task<IActionResult> OnPostRemoveFolderAsync(string park, string id, CancellationToken ct) =>
        EditAsync(park, [], async () =>
        {
            await Store.Collection.RemoveFolderAsync(park, id, Me.Name, ct);
            return T("col.removed");
        }, ct);
}
