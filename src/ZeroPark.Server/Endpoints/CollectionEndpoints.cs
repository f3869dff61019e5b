using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ZeroPark.Application;
using ZeroPark.Application.Collection;
using ZeroPark.Collection;

namespace ZeroPark.Server.Endpoints;

/// <summary>Body of <c>POST …/collection/mqtt</c>.</summary>
public sealed record MqttRequest(string? Broker, string? Topic, string? Name = null, string? Meter = null, string? Username = null, string? Password = null,
    bool? Tls = null, bool? AllowUntrusted = null, string? ClientId = null, int? IntervalSeconds = null);

/// <summary>An MQTT subscription as the API shows it (the password is never shown).</summary>
public sealed record MqttView(long Id, string Name, string Broker, string Topic, string Filter, string? Meter, string? Username, bool HasPassword, bool Tls,
    string ClientId, int IntervalSeconds)
{
    public static MqttView From(MqttSubscription s) =>
        new(s.Id, s.Name, s.Broker, s.Topic, s.Template.Filter, s.Meter, s.Username, !string.IsNullOrEmpty(s.Password), s.Tls, s.ClientId, s.IntervalSeconds);
}

/// <summary>Body of <c>POST …/collection/modbus</c>.</summary>
public sealed record ModbusDeviceRequest(string? Device, string? Host, int? Port = null, int? Unit = null, int? IntervalSeconds = null, int? TimeoutMs = null, int? Retries = null);

public sealed record ModbusPointView(string Meter, string Table, int Address, string Type, string WordOrder, string ByteOrder, double Scale, string? Unit)
{
    public static ModbusPointView From(ModbusPoint p) => new(p.Meter, RegisterDecoding.Code(p.Table), p.Address, RegisterDecoding.Code(p.Type),
        RegisterDecoding.Code(p.WordOrder), RegisterDecoding.Code(p.ByteOrder), p.Scale, p.Unit);
}

public sealed record ModbusDeviceView(string Device, string Host, int Port, int Unit, int IntervalSeconds, int TimeoutMs, int Retries, IReadOnlyList<ModbusPointView> Map)
{
    public static ModbusDeviceView From(ModbusDevice d) => new(d.Code, d.Host, d.Port, d.UnitId, d.IntervalSeconds, d.TimeoutMs, d.Retries, d.Map.Select(ModbusPointView.From).ToList());
}

public sealed record ModbusMapResult(ModbusDeviceView Device, IReadOnlyList<ZeroPark.Metering.RowError> Rejected);

/// <summary>Body of <c>POST …/collection/folders</c>.</summary>
public sealed record FolderRequest(string? Name, string? Kind, string? Location, string? Pattern = null, int? IntervalSeconds = null, string? Mapping = null);

/// <summary>Collection (issue 13): MQTT subscriptions, Modbus devices and register maps, folders and URLs, the files they found,
/// and collection health (采集监控). Reading is open to every role of the park; changes need administrator or energy manager
/// (<see cref="UserAccess"/>: other POST, PUT, DELETE).</summary>
internal static class CollectionEndpoints
{
    public static void MapCollectionEndpoints(this IEndpointRouteBuilder api)
    {
        var g = api.MapGroup("/parks/{park}/collection").WithTags("Collection");
        g.MapGet("/health", Health)
            .WithSummary("Collection health: per gateway key, MQTT subscription, Modbus device and folder the last reading, readings per minute, errors with the " +
                         "last message and the state (online; offline: no reading within `missed` × the source's interval, default 3; never)")
            .ProducesValidationProblem();
        g.MapGet("/mqtt", ListMqtt).WithSummary("MQTT subscriptions (passwords are not shown)");
        g.MapPost("/mqtt", AddMqtt)
            .Accepts<MqttRequest>("application/json")
            .WithSummary("Subscribe to a broker topic: {broker: mqtt://HOST:PORT, topic: 'zp/{park}/{meter}', name, meter, username, password, tls, client_id, interval_seconds}")
            .ProducesValidationProblem();
        g.MapDelete("/mqtt/{name}", RemoveMqtt).WithSummary("Remove a subscription (by name or id)");
        g.MapGet("/modbus", ListModbus).WithSummary("Modbus TCP devices with their register maps");
        g.MapPost("/modbus", AddModbus)
            .Accepts<ModbusDeviceRequest>("application/json")
            .WithSummary("Add a device: {device, host, port (502), unit (1), interval_seconds (60), timeout_ms (2000), retries (2)}")
            .ProducesValidationProblem();
        g.MapPut("/modbus/{device}/map", PutMap)
            .WithSummary("Replace a device's register map: CSV (meter,table,address,type,word_order,byte_order,scale,unit) or a JSON array of the same fields; " +
                         "bad rows are listed in `rejected`, valid rows kept")
            .ProducesValidationProblem();
        g.MapGet("/modbus/{device}/map", GetMap).WithSummary("A device's register map: format = json (default) | csv");
        g.MapDelete("/modbus/{device}", RemoveModbus).WithSummary("Remove a device and its map");
        g.MapGet("/folders", ListFolders).WithSummary("Watched folders and polled loopback URLs");
        g.MapPost("/folders", AddFolder)
            .Accepts<FolderRequest>("application/json")
            .WithSummary("Add a source: {name, kind: folder | http, location (absolute folder or loopback URL), pattern (*.csv), interval_seconds (300), mapping (JSON text)}")
            .ProducesValidationProblem();
        g.MapDelete("/folders/{name}", RemoveFolder).WithSummary("Remove a folder or URL source");
        g.MapGet("/files", Files).WithSummary("The outcome of every file the park's folder and URL sources found, newest first");
        var m = api.MapGroup("/parks/{park}/measurements").WithTags("Measurements");
        m.MapGet("/stats", Stats)
            .WithSummary("Mean, min, max and count per bucket of a physical meter: meter, from, to (local dates, at most 400 days), by = hour | day | week | month. " +
                         "value = the mean for power and gauge meters (never a sum), the sum for energy meters")
            .ProducesValidationProblem();
        m.MapGet("/heatmap", HeatMap)
            .WithSummary("Day × hour heat map of a meter: meter, from, to (at most 92 days); hourly averages (power, gauges) or sums (energy)")
            .ProducesValidationProblem();
        m.MapGet("/power", Power)
            .WithSummary("Instantaneous power (kW) of the power meters under a space (default the park): each meter averaged per bucket, summed across meters; by = hour | day | month")
            .ProducesValidationProblem();
    }

    private static async Task<Ok<IReadOnlyList<SourceHealthView>>> Health(string park, [FromQuery] string? missed, [FromQuery] string? window,
        CollectionHealthService health, CancellationToken ct) =>
        TypedResults.Ok(await health.HealthAsync(park, Int(missed, "missed") ?? SourceHealth.DefaultMissedIntervals, Int(window, "window") ?? 10, ct));

    private static async Task<Ok<List<MqttView>>> ListMqtt(string park, ZeroParkStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.Collection.ListMqttAsync(park, ct)).Select(MqttView.From).ToList());

    private static async Task<Created<MqttView>> AddMqtt(string park, HttpRequest request, ZeroParkStore store, ApiJson json, CancellationToken ct)
    {
        var b = await json.ReadAsync<MqttRequest>(request, ct);
        var s = await store.Collection.AddMqttAsync(park, new MqttDraft(b.Broker ?? "", b.Topic ?? "")
        {
            Name = b.Name, Meter = b.Meter, Username = b.Username, Password = b.Password, Tls = b.Tls ?? false, AllowUntrusted = b.AllowUntrusted ?? false,
            ClientId = b.ClientId, IntervalSeconds = b.IntervalSeconds ?? 60,
        }, UserAccess.Actor(request.HttpContext), ct);
        return TypedResults.Created($"/api/parks/{park}/collection/mqtt/{s.Id}", MqttView.From(s));
    }

    private static async Task<NoContent> RemoveMqtt(string park, string name, HttpContext ctx, ZeroParkStore store, CancellationToken ct)
    {
        await store.Collection.RemoveMqttAsync(park, name, UserAccess.Actor(ctx), ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<List<ModbusDeviceView>>> ListModbus(string park, ZeroParkStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.Collection.ListModbusDevicesAsync(park, ct)).Select(ModbusDeviceView.From).ToList());

    private static async Task<Created<ModbusDeviceView>> AddModbus(string park, HttpRequest request, ZeroParkStore store, ApiJson json, CancellationToken ct)
    {
        var b = await json.ReadAsync<ModbusDeviceRequest>(request, ct);
        var d = await store.Collection.AddModbusDeviceAsync(park, new ModbusDeviceDraft(b.Device ?? "", b.Host ?? "", b.Port ?? 502, b.Unit ?? 1)
        {
            IntervalSeconds = b.IntervalSeconds ?? 60, TimeoutMs = b.TimeoutMs ?? 2000, Retries = b.Retries ?? 2,
        }, UserAccess.Actor(request.HttpContext), ct);
        return TypedResults.Created($"/api/parks/{park}/collection/modbus/{d.Code}", ModbusDeviceView.From(d));
    }

    private static async Task<Results<Ok<ModbusMapResult>, ProblemHttpResult>> PutMap(string park, string device, HttpRequest request, ZeroParkStore store, CancellationToken ct)
    {
        var (text, error) = await RequestBody.ReadTextAsync(request, ct);
        if (error is not null) return error;
        var (d, rejected) = await store.Collection.ImportModbusMapAsync(park, device, text!, UserAccess.Actor(request.HttpContext), ct);
        return TypedResults.Ok(new ModbusMapResult(ModbusDeviceView.From(d), rejected));
    }

    private static async Task<IResult> GetMap(string park, string device, [FromQuery] string? format, ZeroParkStore store, CancellationToken ct)
    {
        var d = (await store.Collection.ListModbusDevicesAsync(park, ct)).FirstOrDefault(x => x.Code == device)
            ?? throw new NotFoundException($"Modbus device '{device}' not found in park '{park}'");
        return format is "csv"
            ? TypedResults.Text(ModbusMapFile.ToCsv(d.Map), "text/csv; charset=utf-8")
            : TypedResults.Ok(d.Map.Select(ModbusPointView.From).ToList());
    }

    private static async Task<NoContent> RemoveModbus(string park, string device, HttpContext ctx, ZeroParkStore store, CancellationToken ct)
    {
        await store.Collection.RemoveModbusDeviceAsync(park, device, UserAccess.Actor(ctx), ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<IReadOnlyList<FolderSource>>> ListFolders(string park, ZeroParkStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.Collection.ListFoldersAsync(park, ct));

    private static async Task<Created<FolderSource>> AddFolder(string park, HttpRequest request, ZeroParkStore store, ApiJson json, CancellationToken ct)
    {
        var b = await json.ReadAsync<FolderRequest>(request, ct);
        var f = await store.Collection.AddFolderAsync(park, new FolderDraft(b.Name ?? "", b.Kind ?? "folder", b.Location ?? "")
        {
            Pattern = b.Pattern ?? "*.csv", IntervalSeconds = b.IntervalSeconds ?? 300, Mapping = b.Mapping,
        }, UserAccess.Actor(request.HttpContext), ct);
        return TypedResults.Created($"/api/parks/{park}/collection/folders/{f.Name}", f);
    }

    private static async Task<NoContent> RemoveFolder(string park, string name, HttpContext ctx, ZeroParkStore store, CancellationToken ct)
    {
        await store.Collection.RemoveFolderAsync(park, name, UserAccess.Actor(ctx), ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<IReadOnlyList<FileOutcome>>> Files(string park, ZeroParkStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.Collection.FileOutcomesAsync(park, ct: ct));

    private static async Task<Ok<MeasurementStats>> Stats(string park, [FromQuery] string? meter, [FromQuery] string? from, [FromQuery] string? to, [FromQuery] string? by,
        MeasurementService measurements, CancellationToken ct) =>
        TypedResults.Ok(await measurements.StatsAsync(park, Required(meter, "meter"), Query.Date(from, "from"), Query.Date(to, "to"), string.IsNullOrWhiteSpace(by) ? "day" : by, ct));

    private static async Task<Ok<HeatMapResult>> HeatMap(string park, [FromQuery] string? meter, [FromQuery] string? from, [FromQuery] string? to,
        MeasurementService measurements, CancellationToken ct) =>
        TypedResults.Ok(await measurements.HeatMapAsync(park, Required(meter, "meter"), Query.Date(from, "from"), Query.Date(to, "to"), ct));

    private static async Task<Ok<MeasurementStats>> Power(string park, [FromQuery] string? space, [FromQuery] string? from, [FromQuery] string? to, [FromQuery] string? by,
        MeasurementService measurements, CancellationToken ct) =>
        TypedResults.Ok(await measurements.PowerAsync(park, space, Query.Date(from, "from"), Query.Date(to, "to"), string.IsNullOrWhiteSpace(by) ? "hour" : by, ct));

    private static string Required(string? s, string field) => string.IsNullOrWhiteSpace(s) ? throw new ValidationException(field, $"'{field}' is required") : s.Trim();

    private static int? Int(string? s, string field) =>
        string.IsNullOrWhiteSpace(s) ? null
        : int.TryParse(s, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v
        : throw new ValidationException(field, $"'{s}' is not a whole number");
}

/// <summary>Collection inside <c>zeropark serve</c>: the same <see cref="CollectionRunner"/> as <c>zeropark collect</c>, as a hosted
/// service. Off with the configuration key <c>ZeroPark:Collect=false</c> (e.g. when a separate <c>zeropark collect</c> process runs:
/// two processes with one MQTT client id would take the session from each other).</summary>
internal sealed class CollectionHostedService(CollectionRunner runner, IConfiguration configuration, ILogger<CollectionHostedService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (string.Equals(configuration["ZeroPark:Collect"], "false", StringComparison.OrdinalIgnoreCase))
        {
            log.LogInformation("collection is off in this process (ZeroPark:Collect=false)");
            return;
        }
        await Task.Yield();
        await runner.RunAsync(stoppingToken);
    }
}
