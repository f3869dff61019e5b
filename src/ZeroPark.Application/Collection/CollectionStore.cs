// Row classes below are filled by Dapper through reflection.
#pragma warning disable CS0649
using System.Globalization;
using Dapper;
using ZeroPark.Collection;
using ZeroPark.Domain;

namespace ZeroPark.Application.Collection;

/// <summary>The collection configuration (MQTT subscriptions, Modbus devices and register maps, folders and URLs, the outcome of
/// each file) and the health counters of every source (module <c>Collection</c>, migration 020_collection). Changes to the
/// configuration are audited.</summary>
public sealed class CollectionStore(ZeroParkStore db)
{
    private sealed class MqttRow
    {
        public long id; public string park = ""; public string name = ""; public string broker = ""; public string topic = ""; public string? meter;
        public string? username; public string? password; public long tls; public long allow_untrusted; public string client_id = ""; public long interval_s; public long enabled;
    }

    private sealed class DeviceRow
    {
        public long id; public string park = ""; public string code = ""; public string host = ""; public long port; public long unit_id; public long interval_s;
        public long timeout_ms; public long retries; public long enabled;
    }

    private sealed class PointRow
    {
        public long device_id; public string meter = ""; public string register_table = ""; public long address; public string type = "";
        public string word_order = ""; public string byte_order = ""; public double scale; public string? unit;
    }

    private sealed class FolderRow
    {
        public long id; public string park = ""; public string name = ""; public string kind = ""; public string location = ""; public string pattern = "";
        public long interval_s; public string? mapping; public long enabled;
    }

    // ---------------------------------------------------------------- MQTT

    /// <summary>Registers an MQTT subscription of the park (audited). The broker is <c>mqtt://host[:port]</c> (default port 1883)
    /// or <c>mqtts://host[:port]</c> (TLS, default 8883); the topic a template (<see cref="TopicTemplate"/>).</summary>
    public async Task<MqttSubscription> AddMqttAsync(string parkCode, MqttDraft d, string user = "system", CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        var (host, port, tls) = ParseBroker(d.Broker);
        var template = TopicTemplate.TryParse(d.Topic, out var err) ?? throw new ValidationException("topic", $"'{d.Topic}': {err}");
        // Without {meter} the topic carries one meter (--meter), or JSON/line-protocol payloads that name their meters.
        if (d.Meter is { } fixedMeter && !string.IsNullOrWhiteSpace(fixedMeter))
        {
            if (template.HasMeter) throw new ValidationException("meter", "the topic binds the meter through {meter}; leave --meter out");
            if (!reg.MetersByCode.ContainsKey(fixedMeter.Trim())) throw new ValidationException("meter", $"meter '{fixedMeter.Trim()}' not found in park '{reg.Park.Code}'");
        }
        var name = string.IsNullOrWhiteSpace(d.Name) ? template.Text : d.Name.Trim();
        TextLimits.Check("name", name, TextLimits.Name);
        TextLimits.Check("username", d.Username, TextLimits.Name);
        TextLimits.Check("password", d.Password, TextLimits.Name);
        if (d.IntervalSeconds is < 1 or > 86400) throw new ValidationException("interval", $"{d.IntervalSeconds} s is not between 1 and 86400");
        var clientId = string.IsNullOrWhiteSpace(d.ClientId) ? null : d.ClientId.Trim();
        if (clientId is { Length: > 128 }) throw new ValidationException("client_id", "longer than 128 characters");
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        if (await c.ExecuteScalarAsync<long?>("SELECT id FROM collect_mqtt WHERE park_id = @p AND name = @name", new { p = reg.Park.Id.Value, name }, tx) is not null)
            throw new ConflictException($"park '{reg.Park.Code}' already has an MQTT subscription named '{name}'");
        var id = await c.ExecuteScalarAsync<long>(
            "INSERT INTO collect_mqtt (park_id, name, broker, topic, meter, username, password, tls, allow_untrusted, client_id, interval_s, enabled, created_at, created_by) " +
            "VALUES (@p, @name, @broker, @topic, @meter, @username, @password, @tls, @au, @cid, @iv, 1, @at, @user) RETURNING id",
            new
            {
                p = reg.Park.Id.Value, name, broker = d.Broker.Trim(), topic = template.Text, meter = d.Meter?.Trim() is { Length: > 0 } m ? m : null,
                username = d.Username, password = d.Password, tls = tls || d.Tls ? 1 : 0, au = d.AllowUntrusted ? 1 : 0, cid = clientId ?? "", iv = d.IntervalSeconds,
                at = db.Clock.GetUtcNow().ToUnixTimeSeconds(), user,
            }, tx);
        // The fixed client id of the persistent session: the broker keeps the session (and queues QoS 1 messages) under it.
        clientId ??= $"zeropark-{reg.Park.Code}-{id}";
        await c.ExecuteAsync("UPDATE collect_mqtt SET client_id = @cid WHERE id = @id", new { cid = clientId, id }, tx);
        await db.AuditAsync(c, tx, reg.Park.Id.Value, user, "create", "mqtt_subscription", name, null, null, $"{d.Broker.Trim()} {template.Text}");
        await tx.CommitAsync(ct);
        return (await ListMqttAsync(reg.Park.Code, ct)).Single(s => s.Id == id);
    }

    /// <summary>MQTT subscriptions of a park, or of every park when <paramref name="parkCode"/> is null.</summary>
    public async Task<IReadOnlyList<MqttSubscription>> ListMqttAsync(string? parkCode = null, CancellationToken ct = default)
    {
        long? parkId = parkCode is null ? null : (await db.Registry.GetParkAsync(parkCode, ct)).Id.Value;
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<MqttRow>(
            "SELECT s.id, p.code AS park, s.name, s.broker, s.topic, s.meter, s.username, s.password, s.tls, s.allow_untrusted, s.client_id, s.interval_s, s.enabled " +
            "FROM collect_mqtt s JOIN parks p ON p.id = s.park_id" + (parkId is null ? "" : " WHERE s.park_id = @parkId") + " ORDER BY s.id", new { parkId });
        return rows.Select(r =>
        {
            var (host, port, _) = ParseBroker(r.broker);
            return new MqttSubscription(r.id, r.park, r.name, r.broker, host, port, r.topic, r.meter, r.username, r.password, r.tls != 0, r.allow_untrusted != 0,
                r.client_id, (int)r.interval_s, r.enabled != 0);
        }).ToList();
    }

    /// <summary>Removes an MQTT subscription (by name or id) of the park; audited.</summary>
    public Task RemoveMqttAsync(string parkCode, string nameOrId, string user = "system", CancellationToken ct = default) =>
        RemoveAsync(parkCode, "collect_mqtt", "name", "mqtt_subscription", "MQTT subscription", nameOrId, user, ct);

    /// <summary>Parses <c>mqtt://host[:port]</c> / <c>mqtts://host[:port]</c> (also <c>tcp://</c>, <c>ssl://</c>).</summary>
    public static (string Host, int Port, bool Tls) ParseBroker(string broker)
    {
        if (string.IsNullOrWhiteSpace(broker)) throw new ValidationException("broker", "empty broker (write mqtt://HOST:PORT)");
        if (!Uri.TryCreate(broker.Trim(), UriKind.Absolute, out var u) || u.Host.Length == 0)
            throw new ValidationException("broker", $"'{broker}' is not a broker URL (write mqtt://HOST:PORT)");
        var tls = u.Scheme switch
        {
            "mqtt" or "tcp" => false,
            "mqtts" or "ssl" or "tls" => true,
            _ => throw new ValidationException("broker", $"'{broker}': scheme '{u.Scheme}' is not mqtt:// or mqtts://"),
        };
        var port = u.IsDefaultPort || u.Port < 0 ? (tls ? 8883 : 1883) : u.Port;
        return (u.Host, port, tls);
    }

    // ---------------------------------------------------------------- Modbus

    /// <summary>Adds a Modbus TCP device to the park (audited); its register map is set with <see cref="SetModbusMapAsync"/>.</summary>
    public async Task<ModbusDevice> AddModbusDeviceAsync(string parkCode, ModbusDeviceDraft d, string user = "system", CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        if (string.IsNullOrWhiteSpace(d.Code)) throw new ValidationException("code", "empty device code");
        TextLimits.Check("code", d.Code.Trim(), TextLimits.Code);
        if (string.IsNullOrWhiteSpace(d.Host)) throw new ValidationException("host", "empty host");
        TextLimits.Check("host", d.Host, TextLimits.Name);
        if (d.Port is < 1 or > 65535) throw new ValidationException("port", $"{d.Port} is not a TCP port");
        if (d.UnitId is < 0 or > 255) throw new ValidationException("unit", $"{d.UnitId} is not a unit id (0–255)");
        if (d.IntervalSeconds is < 1 or > 86400) throw new ValidationException("interval", $"{d.IntervalSeconds} s is not between 1 and 86400");
        if (d.TimeoutMs is < 50 or > 60000) throw new ValidationException("timeout", $"{d.TimeoutMs} ms is not between 50 and 60000");
        if (d.Retries is < 0 or > 10) throw new ValidationException("retries", $"{d.Retries} is not between 0 and 10");
        var code = d.Code.Trim();
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        if (await c.ExecuteScalarAsync<long?>("SELECT id FROM collect_modbus_devices WHERE park_id = @p AND code = @code", new { p = reg.Park.Id.Value, code }, tx) is not null)
            throw new ConflictException($"park '{reg.Park.Code}' already has a Modbus device '{code}'");
        await c.ExecuteAsync(
            "INSERT INTO collect_modbus_devices (park_id, code, host, port, unit_id, interval_s, timeout_ms, retries, enabled, created_at, created_by) " +
            "VALUES (@p, @code, @host, @port, @unit, @iv, @to, @re, 1, @at, @user)",
            new { p = reg.Park.Id.Value, code, host = d.Host.Trim(), port = d.Port, unit = d.UnitId, iv = d.IntervalSeconds, to = d.TimeoutMs, re = d.Retries, at = db.Clock.GetUtcNow().ToUnixTimeSeconds(), user }, tx);
        await db.AuditAsync(c, tx, reg.Park.Id.Value, user, "create", "modbus_device", code, null, null, $"{d.Host.Trim()}:{d.Port} unit {d.UnitId} every {d.IntervalSeconds} s");
        await tx.CommitAsync(ct);
        return (await ListModbusDevicesAsync(reg.Park.Code, ct)).Single(x => x.Code == code);
    }

    /// <summary>Replaces the register map of a device (all or nothing, audited). Every meter must exist in the park, be a physical
    /// meter, appear once, and a given unit must be the meter's unit.</summary>
    public async Task<ModbusDevice> SetModbusMapAsync(string parkCode, string deviceCode, IReadOnlyList<ModbusPoint> map, string user = "system", CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        var device = (await ListModbusDevicesAsync(reg.Park.Code, ct)).FirstOrDefault(x => x.Code == deviceCode.Trim())
            ?? throw new NotFoundException($"Modbus device '{deviceCode}' not found in park '{reg.Park.Code}'");
        ValidateMap(reg, map);
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await c.ExecuteAsync("DELETE FROM collect_modbus_points WHERE device_id = @id", new { id = device.Id }, tx);
        await c.ExecuteAsync(
            "INSERT INTO collect_modbus_points (device_id, meter, register_table, address, type, word_order, byte_order, scale, unit) " +
            "VALUES (@id, @meter, @tbl, @address, @type, @wo, @bo, @scale, @unit)",
            map.Select(p => new
            {
                id = device.Id, meter = p.Meter, tbl = RegisterDecoding.Code(p.Table), address = p.Address, type = RegisterDecoding.Code(p.Type),
                wo = RegisterDecoding.Code(p.WordOrder), bo = RegisterDecoding.Code(p.ByteOrder), scale = p.Scale, unit = p.Unit,
            }), tx);
        await db.AuditAsync(c, tx, reg.Park.Id.Value, user, "update", "modbus_map", device.Code, null, $"{device.Map.Count} points", $"{map.Count} points");
        await tx.CommitAsync(ct);
        return (await ListModbusDevicesAsync(reg.Park.Code, ct)).Single(x => x.Id == device.Id);
    }

    /// <summary>Imports a register map file (CSV or JSON, <see cref="ModbusMapFile"/>) into a device, replacing its map: rows
    /// that cannot be read or name a meter the park lacks are rejected with their line and reason; the valid rows are kept.</summary>
    public async Task<(ModbusDevice Device, IReadOnlyList<Metering.RowError> Rejected)> ImportModbusMapAsync(string parkCode, string deviceCode, string text,
        string user = "system", CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        var (points, errors) = ModbusMapFile.Parse(text);
        var kept = new List<ModbusPoint>();
        foreach (var p in points)
        {
            try
            {
                ValidateMap(reg, [.. kept, p]);
                kept.Add(p);
            }
            catch (ValidationException e)
            {
                errors.Add(new Metering.RowError(0, $"meter {p.Meter}: {e.Field}: {e.Message.Replace($"map row {kept.Count + 1}: ", "", StringComparison.Ordinal)}"));
            }
        }
        if (kept.Count == 0) throw new ValidationException("file", "no valid map row: " + string.Join("; ", errors.Take(5).Select(e => e.Line > 0 ? $"line {e.Line}: {e.Reason}" : e.Reason)));
        return (await SetModbusMapAsync(parkCode, deviceCode, kept, user, ct), errors);
    }

    internal static void ValidateMap(ParkRegistry reg, IReadOnlyList<ModbusPoint> map)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < map.Count; i++)
        {
            var p = map[i];
            var at = $"map row {i + 1}";
            if (!reg.MetersByCode.TryGetValue(p.Meter, out var m)) throw new ValidationException("meter", $"{at}: meter '{p.Meter}' not found in park '{reg.Park.Code}'");
            if (m.IsVirtual) throw new ValidationException("meter", $"{at}: meter '{p.Meter}' is virtual (computed from other meters), it has no registers");
            if (!seen.Add(p.Meter)) throw new ValidationException("meter", $"{at}: meter '{p.Meter}' appears twice in the map");
            if (p.Address < 0 || p.Address + p.Count > 65536) throw new ValidationException("address", $"{at}: address {p.Address} with {p.Count} registers is outside 0–65535");
            if (!double.IsFinite(p.Scale) || p.Scale == 0) throw new ValidationException("scale", $"{at}: scale {p.Scale} is not a non-zero number");
            if (p.Unit is { Length: > 0 } u && !string.Equals(u.Trim(), m.Unit, StringComparison.Ordinal))
                throw new ValidationException("unit", $"{at}: unit '{u}' is not meter '{m.Code}''s unit '{m.Unit}' (scale the register into the meter's unit)");
        }
    }

    /// <summary>Modbus devices (with their maps) of a park, or of every park when <paramref name="parkCode"/> is null.</summary>
    public async Task<IReadOnlyList<ModbusDevice>> ListModbusDevicesAsync(string? parkCode = null, CancellationToken ct = default)
    {
        long? parkId = parkCode is null ? null : (await db.Registry.GetParkAsync(parkCode, ct)).Id.Value;
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = (await c.QueryAsync<DeviceRow>(
            "SELECT d.id, p.code AS park, d.code, d.host, d.port, d.unit_id, d.interval_s, d.timeout_ms, d.retries, d.enabled FROM collect_modbus_devices d " +
            "JOIN parks p ON p.id = d.park_id" + (parkId is null ? "" : " WHERE d.park_id = @parkId") + " ORDER BY d.id", new { parkId })).ToList();
        var points = (await c.QueryAsync<PointRow>(
            "SELECT x.device_id, x.meter, x.register_table, x.address, x.type, x.word_order, x.byte_order, x.scale, x.unit FROM collect_modbus_points x " +
            "JOIN collect_modbus_devices d ON d.id = x.device_id" + (parkId is null ? "" : " WHERE d.park_id = @parkId") + " ORDER BY x.id", new { parkId }))
            .ToLookup(p => p.device_id);
        return rows.Select(r => new ModbusDevice(r.id, r.park, r.code, r.host, (int)r.port, (int)r.unit_id, (int)r.interval_s, (int)r.timeout_ms, (int)r.retries,
            r.enabled != 0, points[r.id].Select(p =>
            {
                RegisterDecoding.TryTable(p.register_table, out var t);
                RegisterDecoding.TryType(p.type, out var ty);
                RegisterDecoding.TryOrder(p.word_order, out var wo);
                RegisterDecoding.TryOrder(p.byte_order, out var bo);
                return new ModbusPoint(p.meter, t, (int)p.address, ty, wo, bo, p.scale, p.unit);
            }).ToList())).ToList();
    }

    /// <summary>Removes a Modbus device and its map; audited.</summary>
    public Task RemoveModbusDeviceAsync(string parkCode, string code, string user = "system", CancellationToken ct = default) =>
        RemoveAsync(parkCode, "collect_modbus_devices", "code", "modbus_device", "Modbus device", code, user, ct);

    // ---------------------------------------------------------------- folders and URLs

    /// <summary>Adds a watched folder or a polled loopback URL (audited).</summary>
    public async Task<FolderSource> AddFolderAsync(string parkCode, FolderDraft d, string user = "system", CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        if (string.IsNullOrWhiteSpace(d.Name)) throw new ValidationException("name", "empty name");
        TextLimits.Check("name", d.Name.Trim(), TextLimits.Name);
        TextLimits.Check("location", d.Location, TextLimits.Text);
        var kind = d.Kind.Trim().ToLowerInvariant();
        switch (kind)
        {
            case "folder":
                if (string.IsNullOrWhiteSpace(d.Location) || !Path.IsPathFullyQualified(d.Location.Trim()))
                    throw new ValidationException("location", $"'{d.Location}' is not an absolute folder path");
                break;
            case "http":
                if (!Uri.TryCreate(d.Location.Trim(), UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https"))
                    throw new ValidationException("location", $"'{d.Location}' is not an http(s) URL");
                if (!u.IsLoopback) throw new ValidationException("location", $"'{d.Location}': only loopback URLs (127.0.0.1, ::1, localhost) are polled");
                break;
            default:
                throw new ValidationException("kind", $"'{d.Kind}' is not folder or http");
        }
        if (d.IntervalSeconds is < 1 or > 86400 * 7) throw new ValidationException("interval", $"{d.IntervalSeconds} s is not between 1 and 604800");
        if (d.Mapping is { Length: > 0 } mj)
        {
            try { Readings.Import.ColumnMapping.FromJson(mj); }
            catch (FormatException e) { throw new ValidationException("mapping", e.Message); }
        }
        var name = d.Name.Trim();
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        if (await c.ExecuteScalarAsync<long?>("SELECT id FROM collect_folders WHERE park_id = @p AND name = @name", new { p = reg.Park.Id.Value, name }, tx) is not null)
            throw new ConflictException($"park '{reg.Park.Code}' already has a folder source '{name}'");
        await c.ExecuteAsync(
            "INSERT INTO collect_folders (park_id, name, kind, location, pattern, interval_s, mapping, enabled, created_at, created_by) VALUES (@p, @name, @kind, @loc, @pat, @iv, @map, 1, @at, @user)",
            new { p = reg.Park.Id.Value, name, kind, loc = d.Location.Trim(), pat = string.IsNullOrWhiteSpace(d.Pattern) ? "*.csv" : d.Pattern.Trim(), iv = d.IntervalSeconds, map = d.Mapping, at = db.Clock.GetUtcNow().ToUnixTimeSeconds(), user }, tx);
        await db.AuditAsync(c, tx, reg.Park.Id.Value, user, "create", "collect_folder", name, null, null, $"{kind} {d.Location.Trim()} every {d.IntervalSeconds} s");
        await tx.CommitAsync(ct);
        return (await ListFoldersAsync(reg.Park.Code, ct)).Single(x => x.Name == name);
    }

    public async Task<IReadOnlyList<FolderSource>> ListFoldersAsync(string? parkCode = null, CancellationToken ct = default)
    {
        long? parkId = parkCode is null ? null : (await db.Registry.GetParkAsync(parkCode, ct)).Id.Value;
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<FolderRow>(
            "SELECT f.id, p.code AS park, f.name, f.kind, f.location, f.pattern, f.interval_s, f.mapping, f.enabled FROM collect_folders f JOIN parks p ON p.id = f.park_id" +
            (parkId is null ? "" : " WHERE f.park_id = @parkId") + " ORDER BY f.id", new { parkId });
        return rows.Select(r => new FolderSource(r.id, r.park, r.name, r.kind, r.location, r.pattern, (int)r.interval_s, r.mapping, r.enabled != 0)).ToList();
    }

    public Task RemoveFolderAsync(string parkCode, string name, string user = "system", CancellationToken ct = default) =>
        RemoveAsync(parkCode, "collect_folders", "name", "collect_folder", "folder source", name, user, ct);

    /// <summary>True when the folder source already handled a file of this name and content fingerprint.</summary>
    public async Task<bool> FileSeenAsync(long folderId, string name, string fingerprint, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<long?>("SELECT id FROM collect_files WHERE folder_id = @folderId AND name = @name AND fingerprint = @fingerprint",
            new { folderId, name, fingerprint }) is not null;
    }

    /// <summary>Keeps a file's outcome (imported, with counts, or failed, with the reason).</summary>
    public async Task RecordFileAsync(long folderId, string name, string fingerprint, string outcome, int accepted, int duplicates, int corrected, int rejected,
        string? message, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await c.ExecuteAsync(
            "INSERT INTO collect_files (folder_id, name, fingerprint, at, outcome, accepted, duplicates, corrected, rejected, message) " +
            "VALUES (@folderId, @name, @fingerprint, @at, @outcome, @accepted, @duplicates, @corrected, @rejected, @message) ON CONFLICT (folder_id, name, fingerprint) DO NOTHING",
            new { folderId, name, fingerprint, at = db.Clock.GetUtcNow().ToUnixTimeSeconds(), outcome, accepted, duplicates, corrected, rejected, message });
    }

    /// <summary>The files of the park's folder sources, newest first (at most <paramref name="limit"/>).</summary>
    public async Task<IReadOnlyList<FileOutcome>> FileOutcomesAsync(string parkCode, int limit = 200, CancellationToken ct = default)
    {
        var park = await db.Registry.GetParkAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(string source, string name, string fingerprint, long at, string outcome, long accepted, long duplicates, long corrected, long rejected, string? message)>(
            "SELECT f.name AS source, x.name, x.fingerprint, x.at, x.outcome, x.accepted, x.duplicates, x.corrected, x.rejected, x.message FROM collect_files x " +
            "JOIN collect_folders f ON f.id = x.folder_id WHERE f.park_id = @p ORDER BY x.id DESC LIMIT @limit", new { p = park.Id.Value, limit });
        return rows.Select(r => new FileOutcome(r.source, r.name, r.fingerprint, park.Clock.ToLocalOffset(r.at), r.outcome, (int)r.accepted, (int)r.duplicates,
            (int)r.corrected, (int)r.rejected, r.message)).ToList();
    }

    // ---------------------------------------------------------------- health

    /// <summary>Adds a collection step's counts to a source's health: readings stored (accepted, duplicates and corrections),
    /// the newest reading's arrival, and errors with the last message. Best effort, outside the ingest transaction: the
    /// readings themselves are already committed.</summary>
    public async Task RecordHealthAsync(string source, long parkId, string kind, string name, int intervalSeconds, int readings, int errors, string? lastError,
        CancellationToken ct = default)
    {
        var now = db.Clock.GetUtcNow().ToUnixTimeSeconds();
        var minute = now / 60;
        if (lastError is { Length: > 1000 }) lastError = lastError[..1000];
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await c.ExecuteAsync(
            "INSERT INTO collect_health (source, park_id, kind, name, interval_s, last_reading_at, readings, errors, last_error, last_error_at, updated_at) " +
            "VALUES (@source, @parkId, @kind, @name, @iv, @lr, @readings, @errors, @le, @lea, @now) " +
            "ON CONFLICT (source) DO UPDATE SET park_id = excluded.park_id, kind = excluded.kind, name = excluded.name, interval_s = excluded.interval_s, " +
            "last_reading_at = COALESCE(excluded.last_reading_at, collect_health.last_reading_at), readings = collect_health.readings + excluded.readings, " +
            "errors = collect_health.errors + excluded.errors, last_error = COALESCE(excluded.last_error, collect_health.last_error), " +
            "last_error_at = COALESCE(excluded.last_error_at, collect_health.last_error_at), updated_at = excluded.updated_at",
            new
            {
                source, parkId, kind, name, iv = intervalSeconds, lr = readings > 0 ? now : (long?)null, readings, errors, le = errors > 0 ? lastError : null,
                lea = errors > 0 ? now : (long?)null, now,
            }, tx);
        await c.ExecuteAsync(
            "INSERT INTO collect_minutes (source, minute, readings, errors) VALUES (@source, @minute, @readings, @errors) " +
            "ON CONFLICT (source, minute) DO UPDATE SET readings = collect_minutes.readings + excluded.readings, errors = collect_minutes.errors + excluded.errors",
            new { source, minute, readings, errors }, tx);
        if (now % 60 == 0 || readings + errors == 0)
            await c.ExecuteAsync("DELETE FROM collect_minutes WHERE source = @source AND minute < @old", new { source, old = minute - 120 }, tx);
        await tx.CommitAsync(ct);
    }

    public sealed record HealthRow(string Source, string Kind, string Name, int IntervalSeconds, long? LastReadingAt, long Readings, long Errors,
        string? LastError, long? LastErrorAt, long WindowReadings);

    /// <summary>The stored health rows of the park's sources with their readings over the last <paramref name="windowMinutes"/> whole minutes.</summary>
    public async Task<List<HealthRow>> HealthRowsAsync(long parkId, int windowMinutes, CancellationToken ct)
    {
        var minute = db.Clock.GetUtcNow().ToUnixTimeSeconds() / 60;
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(string source, string kind, string name, long interval_s, long? last_reading_at, long readings, long errors, string? last_error, long? last_error_at, long window)>(
            "SELECT h.source, h.kind, h.name, h.interval_s, h.last_reading_at, h.readings, h.errors, h.last_error, h.last_error_at, " +
            "COALESCE((SELECT SUM(m.readings) FROM collect_minutes m WHERE m.source = h.source AND m.minute >= @lo AND m.minute < @hi), 0) AS window " +
            "FROM collect_health h WHERE h.park_id = @parkId ORDER BY h.kind, h.name", new { parkId, lo = minute - windowMinutes, hi = minute });
        return rows.Select(r => new HealthRow(r.source, r.kind, r.name, (int)r.interval_s, r.last_reading_at, r.readings, r.errors, r.last_error, r.last_error_at, r.window)).ToList();
    }

    /// <summary>Gateway keys' ingest (from the ingest log, user <c>key:&lt;name&gt;</c>): last batch, readings over the window and
    /// in all, rejected readings.</summary>
    internal async Task<List<(string Key, long? Last, long Window, long Total, long Rejected)>> GatewayKeyActivityAsync(long parkId, int windowMinutes, CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow().ToUnixTimeSeconds();
        var hi = now / 60 * 60;
        await using var c = await db.OpenConnectionAsync(ct);
        var keys = (await c.QueryAsync<string>("SELECT name FROM api_keys WHERE park_id = @parkId ORDER BY id", new { parkId })).ToList();
        var list = new List<(string, long?, long, long, long)>();
        foreach (var k in keys)
        {
            var user = "key:" + k;
            var r = await c.QueryFirstAsync<(long? last, long? window, long? total, long? rejected)>(
                "SELECT MAX(at) AS last, SUM(CASE WHEN at >= @lo AND at < @hi THEN accepted + duplicates + corrected ELSE 0 END) AS window, " +
                "SUM(accepted + duplicates + corrected) AS total, SUM(rejected) AS rejected FROM ingest_log WHERE park_id = @parkId AND user_name = @user",
                new { parkId, user, lo = hi - windowMinutes * 60L, hi });
            list.Add((k, r.last, r.window ?? 0, r.total ?? 0, r.rejected ?? 0));
        }
        return list;
    }

    // ---------------------------------------------------------------- shared

    private async Task RemoveAsync(string parkCode, string table, string keyColumn, string entity, string what, string key, string user, CancellationToken ct)
    {
        var park = await db.Registry.GetParkAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var id = await c.ExecuteScalarAsync<long?>($"SELECT id FROM {table} WHERE park_id = @p AND {keyColumn} = @key", new { p = park.Id.Value, key = key.Trim() }, tx);
        if (id is null && long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            id = await c.ExecuteScalarAsync<long?>($"SELECT id FROM {table} WHERE park_id = @p AND id = @n", new { p = park.Id.Value, n }, tx);
        if (id is null) throw new NotFoundException($"{what} '{key}' not found in park '{park.Code}'");
        if (table == "collect_modbus_devices") await c.ExecuteAsync("DELETE FROM collect_modbus_points WHERE device_id = @id", new { id }, tx);
        if (table == "collect_folders") await c.ExecuteAsync("DELETE FROM collect_files WHERE folder_id = @id", new { id }, tx);
        var label = await c.ExecuteScalarAsync<string>($"SELECT {keyColumn} FROM {table} WHERE id = @id", new { id }, tx) ?? key.Trim();
        await c.ExecuteAsync($"DELETE FROM {table} WHERE id = @id", new { id }, tx);
        var prefix = table switch { "collect_mqtt" => "mqtt", "collect_modbus_devices" => "modbus", _ => "folder" };
        await c.ExecuteAsync("DELETE FROM collect_health WHERE source = @s", new { s = $"{prefix}:{id}" }, tx);
        await db.AuditAsync(c, tx, park.Id.Value, user, "delete", entity, label, null, null, null);
        await tx.CommitAsync(ct);
    }
}
