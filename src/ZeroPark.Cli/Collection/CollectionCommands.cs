using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ZeroPark.Application;
using ZeroPark.Application.Collection;
using ParseResult = System.CommandLine.ParseResult;

namespace ZeroPark.Cli.Collection;

/// <summary><c>zeropark mqtt|modbus|folders add|list|remove…</c>, <c>zeropark collect</c> (every configured source in the
/// foreground until stopped) and <c>zeropark collection health</c>.</summary>
internal static class CollectionCommands
{
    private static readonly Option<string> Park = new("--park") { Description = "park code", Required = true };
    private static readonly Option<string> User = new("--user") { Description = "user recorded in the audit log", DefaultValueFactory = _ => Environment.UserName };
    private static Option<string> Format() => new("--format") { Description = "table | json | csv", DefaultValueFactory = _ => "table" };
    private static Option<string> Db => CliApp.Db;

    public static IEnumerable<Command> Create() => [Mqtt(), Modbus(), Folders(), Collect(), Health(), MeasurementsCommand()];

    private static int Number(string? s, string field, int fallback)
    {
        if (string.IsNullOrWhiteSpace(s)) return fallback;
        return int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw new ValidationException(field, $"'{s}' is not a whole number");
    }

    private static Command Mqtt()
    {
        var broker = new Option<string>("--broker") { Required = true, Description = "mqtt://HOST:PORT or mqtts://HOST:PORT (TLS)" };
        var topic = new Option<string>("--topic") { Required = true, Description = "topic template, e.g. 'zp/{park}/{meter}' ({park} and {meter} bind the codes)" };
        var name = new Option<string?>("--name") { Description = "name of the subscription (default: the topic)" };
        var meter = new Option<string?>("--meter") { Description = "the meter of a topic without {meter} (bare numeric payloads)" };
        var username = new Option<string?>("--username") { Description = "broker user name" };
        var password = new Option<bool>("--password-stdin") { Description = "read the broker password from standard input" };
        var tls = new Option<bool>("--tls") { Description = "connect with TLS (implied by mqtts://)" };
        var untrusted = new Option<bool>("--allow-untrusted") { Description = "accept a broker certificate that does not validate (test brokers only)" };
        var clientId = new Option<string?>("--client-id") { Description = "fixed client id of the persistent session (default zeropark-PARK-ID)" };
        var interval = new Option<string?>("--interval") { Description = "seconds between readings expected per topic (online/offline; default 60)" };
        var add = new Command("add", "subscribe to a broker topic (QoS 1, persistent session); collected by `zeropark collect` and `zeropark serve`")
            { Db, Park, broker, topic, name, meter, username, password, tls, untrusted, clientId, interval, User };
        add.SetAction((pr, ct) => CliApp.WithStore(pr, async store =>
        {
            var pw = pr.GetValue(password) ? (await Console.In.ReadLineAsync(ct))?.TrimEnd('\r', '\n') : null;
            var s = await store.Collection.AddMqttAsync(pr.GetValue(Park)!, new MqttDraft(pr.GetValue(broker)!, pr.GetValue(topic)!)
            {
                Name = pr.GetValue(name), Meter = pr.GetValue(meter), Username = pr.GetValue(username), Password = pw, Tls = pr.GetValue(tls),
                AllowUntrusted = pr.GetValue(untrusted), ClientId = pr.GetValue(clientId), IntervalSeconds = Number(pr.GetValue(interval), "interval", 60),
            }, pr.GetValue(User)!, ct);
            Console.WriteLine($"mqtt subscription {s.Id} '{s.Name}' of park '{s.Park}': {s.Host}:{s.Port}{(s.Tls ? " (TLS)" : "")} topic {s.Topic} " +
                              $"(filter {s.Template.Filter}, client id {s.ClientId})");
            return 0;
        }));
        var format = Format();
        var list = new Command("list", "the park's MQTT subscriptions") { Db, Park, format };
        list.SetAction((pr, ct) => CliApp.WithStore(pr, async store =>
        {
            var subs = await store.Collection.ListMqttAsync(pr.GetValue(Park)!, ct);
            Output.Write(pr.GetValue(format)!, ["id", "name", "broker", "topic", "meter", "client_id", "tls", "interval_s"],
                subs.Select(s => new object?[] { s.Id, s.Name, s.Broker, s.Topic, s.Meter, s.ClientId, s.Tls, s.IntervalSeconds }),
                subs.Select(s => new { s.Id, s.Name, s.Broker, s.Topic, s.Meter, client_id = s.ClientId, s.Username, s.Tls, interval_s = s.IntervalSeconds }));
            return 0;
        }));
        var which = new Option<string>("--name") { Required = true, Description = "name or id of the subscription" };
        var remove = new Command("remove", "remove a subscription") { Db, Park, which, User };
        remove.SetAction((pr, ct) => CliApp.WithStore(pr, async store =>
        {
            await store.Collection.RemoveMqttAsync(pr.GetValue(Park)!, pr.GetValue(which)!, pr.GetValue(User)!, ct);
            Console.WriteLine($"removed mqtt subscription '{pr.GetValue(which)}'");
            return 0;
        }));
        return new Command("mqtt", "MQTT subscriptions (collection)") { add, list, remove };
    }

    private static Command Modbus()
    {
        var code = new Option<string>("--device") { Required = true, Description = "device code" };
        var host = new Option<string>("--host") { Required = true, Description = "device (or gateway) address" };
        var port = new Option<string?>("--port") { Description = "TCP port (default 502)" };
        var unit = new Option<string?>("--unit") { Description = "unit id (default 1)" };
        var interval = new Option<string?>("--interval") { Description = "seconds between polls (default 60)" };
        var timeout = new Option<string?>("--timeout-ms") { Description = "answer timeout per request (default 2000)" };
        var retries = new Option<string?>("--retries") { Description = "retries of a failed request (default 2)" };
        var add = new Command("add", "add a Modbus TCP device (then import its register map)") { Db, Park, code, host, port, unit, interval, timeout, retries, User };
        add.SetAction((pr, ct) => CliApp.WithStore(pr, async store =>
        {
            var d = await store.Collection.AddModbusDeviceAsync(pr.GetValue(Park)!, new ModbusDeviceDraft(pr.GetValue(code)!, pr.GetValue(host)!,
                Number(pr.GetValue(port), "port", 502), Number(pr.GetValue(unit), "unit", 1))
            {
                IntervalSeconds = Number(pr.GetValue(interval), "interval", 60), TimeoutMs = Number(pr.GetValue(timeout), "timeout-ms", 2000),
                Retries = Number(pr.GetValue(retries), "retries", 2),
            }, pr.GetValue(User)!, ct);
            Console.WriteLine($"modbus device '{d.Code}' of park '{d.Park}': {d.Host}:{d.Port} unit {d.UnitId}, every {d.IntervalSeconds} s, timeout {d.TimeoutMs} ms, {d.Retries} retries");
            return 0;
        }));
        var file = new Option<FileInfo>("--file") { Required = true, Description = "map file: CSV (meter,table,address,type,word_order,byte_order,scale,unit) or JSON" };
        var import = new Command("import", "replace a device's register map from a file; bad rows are listed, valid rows kept") { Db, Park, code, file, User };
        import.SetAction((pr, ct) => CliApp.WithStore(pr, async store =>
        {
            var text = await File.ReadAllTextAsync(pr.GetValue(file)!.FullName, ct);
            var (d, rejected) = await store.Collection.ImportModbusMapAsync(pr.GetValue(Park)!, pr.GetValue(code)!, text, pr.GetValue(User)!, ct);
            Console.WriteLine($"modbus device '{d.Code}': map of {d.Map.Count} point(s), {rejected.Count} row(s) rejected");
            foreach (var r in rejected) Console.WriteLine(r.Line > 0 ? $"  line {r.Line}: {r.Reason}" : $"  {r.Reason}");
            return rejected.Count > 0 ? 2 : 0;
        }));
        var mapFormat = new Option<string>("--format") { Description = "csv | json", DefaultValueFactory = _ => "csv" };
        var export = new Command("export", "print a device's register map (CSV or JSON)") { Db, Park, code, mapFormat };
        export.SetAction((pr, ct) => CliApp.WithStore(pr, async store =>
        {
            var d = (await store.Collection.ListModbusDevicesAsync(pr.GetValue(Park)!, ct)).FirstOrDefault(x => x.Code == pr.GetValue(code))
                ?? throw new NotFoundException($"Modbus device '{pr.GetValue(code)}' not found in park '{pr.GetValue(Park)}'");
            if (pr.GetValue(mapFormat) == "json") Output.WriteJson(d.Map.Select(MapJson));
            else Console.Write(ModbusMapFile.ToCsv(d.Map));
            return 0;
        }));
        var format = Format();
        var list = new Command("list", "the park's Modbus devices") { Db, Park, format };
        list.SetAction((pr, ct) => CliApp.WithStore(pr, async store =>
        {
            var devices = await store.Collection.ListModbusDevicesAsync(pr.GetValue(Park)!, ct);
            Output.Write(pr.GetValue(format)!, ["device", "host", "port", "unit", "interval_s", "timeout_ms", "retries", "points"],
                devices.Select(d => new object?[] { d.Code, d.Host, d.Port, d.UnitId, d.IntervalSeconds, d.TimeoutMs, d.Retries, d.Map.Count }),
                devices.Select(d => new { device = d.Code, d.Host, d.Port, unit = d.UnitId, interval_s = d.IntervalSeconds, timeout_ms = d.TimeoutMs, d.Retries, map = d.Map.Select(MapJson) }));
            return 0;
        }));
        var remove = new Command("remove", "remove a device and its map") { Db, Park, code, User };
        remove.SetAction((pr, ct) => CliApp.WithStore(pr, async store =>
        {
            await store.Collection.RemoveModbusDeviceAsync(pr.GetValue(Park)!, pr.GetValue(code)!, pr.GetValue(User)!, ct);
            Console.WriteLine($"removed modbus device '{pr.GetValue(code)}'");
            return 0;
        }));
        return new Command("modbus", "Modbus TCP devices and register maps (collection)") { add, new Command("map", "register maps") { import, export }, list, remove };
    }

    internal static object MapJson(ModbusPoint p) => new
    {
        meter = p.Meter, table = ZeroPark.Collection.RegisterDecoding.Code(p.Table), address = p.Address, type = ZeroPark.Collection.RegisterDecoding.Code(p.Type),
        word_order = ZeroPark.Collection.RegisterDecoding.Code(p.WordOrder), byte_order = ZeroPark.Collection.RegisterDecoding.Code(p.ByteOrder), scale = p.Scale, unit = p.Unit,
    };

    private static Command Folders()
    {
        var name = new Option<string>("--name") { Required = true, Description = "name of the source" };
        var kind = new Option<string>("--kind") { Description = "folder | http", DefaultValueFactory = _ => "folder" };
        var location = new Option<string>("--location") { Required = true, Description = "absolute folder path, or a loopback http(s) URL" };
        var pattern = new Option<string?>("--pattern") { Description = "file name pattern of a folder (default *.csv)" };
        var interval = new Option<string?>("--interval") { Description = "seconds between scans (default 300)" };
        var mapping = new Option<FileInfo?>("--mapping") { Description = "column mapping JSON file (as for zeropark import)" };
        var add = new Command("add", "watch a folder or poll a loopback URL on a schedule and import what appears") { Db, Park, name, kind, location, pattern, interval, mapping, User };
        add.SetAction((pr, ct) => CliApp.WithStore(pr, async store =>
        {
            var f = await store.Collection.AddFolderAsync(pr.GetValue(Park)!, new FolderDraft(pr.GetValue(name)!, pr.GetValue(kind)!, pr.GetValue(location)!)
            {
                Pattern = pr.GetValue(pattern) ?? "*.csv", IntervalSeconds = Number(pr.GetValue(interval), "interval", 300),
                Mapping = pr.GetValue(mapping) is { } m ? await File.ReadAllTextAsync(m.FullName, ct) : null,
            }, pr.GetValue(User)!, ct);
            Console.WriteLine($"{f.Kind} source '{f.Name}' of park '{f.Park}': {f.Location} ({f.Pattern}) every {f.IntervalSeconds} s");
            return 0;
        }));
        var format = Format();
        var list = new Command("list", "the park's folder and URL sources") { Db, Park, format };
        list.SetAction((pr, ct) => CliApp.WithStore(pr, async store =>
        {
            var all = await store.Collection.ListFoldersAsync(pr.GetValue(Park)!, ct);
            Output.Write(pr.GetValue(format)!, ["name", "kind", "location", "pattern", "interval_s"],
                all.Select(f => new object?[] { f.Name, f.Kind, f.Location, f.Pattern, f.IntervalSeconds }));
            return 0;
        }));
        var filesFormat = Format();
        var files = new Command("files", "the outcome of every file the park's sources found, newest first") { Db, Park, filesFormat };
        files.SetAction((pr, ct) => CliApp.WithStore(pr, async store =>
        {
            var all = await store.Collection.FileOutcomesAsync(pr.GetValue(Park)!, ct: ct);
            Output.Write(pr.GetValue(filesFormat)!, ["source", "file", "at", "outcome", "accepted", "duplicates", "corrected", "rejected", "message"],
                all.Select(f => new object?[] { f.Source, f.Name, f.At, f.Outcome, f.Accepted, f.Duplicates, f.Corrected, f.Rejected, f.Message }));
            return 0;
        }));
        var remove = new Command("remove", "remove a folder or URL source") { Db, Park, name, User };
        remove.SetAction((pr, ct) => CliApp.WithStore(pr, async store =>
        {
            await store.Collection.RemoveFolderAsync(pr.GetValue(Park)!, pr.GetValue(name)!, pr.GetValue(User)!, ct);
            Console.WriteLine($"removed folder source '{pr.GetValue(name)}'");
            return 0;
        }));
        return new Command("folders", "scheduled extraction: watched folders and polled URLs (collection)") { add, list, files, remove };
    }

    private static Command Collect()
    {
        var refresh = new Option<string?>("--refresh") { Description = "seconds between re-reads of the configuration (default 10)" };
        var cmd = new Command("collect", "run every configured collection (MQTT, Modbus, folders) in the foreground until stopped (Ctrl+C, SIGTERM)") { Db, refresh };
        cmd.SetAction((pr, ct) => CliApp.WithStore(pr, async store =>
        {
            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fffK "; o.UseUtcTimestamp = true; })
                .SetMinimumLevel(LogLevel.Information));
            var runner = new CollectionRunner(store, loggers) { RefreshInterval = TimeSpan.FromSeconds(Number(pr.GetValue(refresh), "refresh", 10)) };
            Console.WriteLine($"collecting from {store.Kind.ToString().ToLowerInvariant()} store; stop with Ctrl+C");
            await runner.RunAsync(ct);
            Console.WriteLine("collection stopped");
            return 0;
        }));
        return cmd;
    }

    private static Command MeasurementsCommand()
    {
        var meter = new Option<string>("--meter") { Required = true, Description = "meter code" };
        var from = new Option<string>("--from") { Required = true, Description = "first local date, YYYY-MM-DD" };
        var to = new Option<string>("--to") { Required = true, Description = "last local date (inclusive), YYYY-MM-DD" };
        var by = new Option<string>("--by") { Description = "hour | day | week | month", DefaultValueFactory = _ => "day" };
        var format = Format();
        var stats = new Command("stats", "mean, min, max and count per bucket (power and gauge meters: the mean, never a sum)") { Db, Park, meter, from, to, by, format };
        stats.SetAction((pr, ct) => CliApp.WithStore(pr, async (store, services) =>
        {
            var s = await services.GetRequiredService<MeasurementService>().StatsAsync(pr.GetValue(Park)!, pr.GetValue(meter)!, CliApp.Date(pr, from), CliApp.Date(pr, to), pr.GetValue(by)!, ct);
            Output.Write(pr.GetValue(format)!, ["start", "end", "count", "value", "mean", "min", "max", "unit"],
                s.Buckets.Select(b => new object?[] { b.Start, b.End, b.Count, Round(b.Value), Round(b.Mean), Round(b.Min), Round(b.Max), s.Unit }), s);
            return 0;
        }));
        var heatFormat = Format();
        var heatmap = new Command("heatmap", "day × hour heat map of a meter (hourly averages for power and gauges, sums for energy)") { Db, Park, meter, from, to, heatFormat };
        heatmap.SetAction((pr, ct) => CliApp.WithStore(pr, async (store, services) =>
        {
            var h = await services.GetRequiredService<MeasurementService>().HeatMapAsync(pr.GetValue(Park)!, pr.GetValue(meter)!, CliApp.Date(pr, from), CliApp.Date(pr, to), ct);
            Output.Write(pr.GetValue(heatFormat)!, ["date", .. Enumerable.Range(0, 24).Select(i => i.ToString("00", CultureInfo.InvariantCulture))],
                h.Days.Select((d, i) => new object?[] { d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }.Concat(h.Values[i].Select(v => (object?)Round(v))).ToArray()), h);
            return 0;
        }));
        var space = new Option<string?>("--space") { Description = "space code (default: the park)" };
        var powerBy = new Option<string>("--by") { Description = "hour | day | month", DefaultValueFactory = _ => "hour" };
        var powerFormat = Format();
        var power = new Command("power", "instantaneous power (kW) of the power meters under a space: each meter's average, summed") { Db, Park, space, from, to, powerBy, powerFormat };
        power.SetAction((pr, ct) => CliApp.WithStore(pr, async (store, services) =>
        {
            var s = await services.GetRequiredService<MeasurementService>().PowerAsync(pr.GetValue(Park)!, pr.GetValue(space), CliApp.Date(pr, from), CliApp.Date(pr, to), pr.GetValue(powerBy)!, ct);
            Output.Write(pr.GetValue(powerFormat)!, ["start", "end", "meters", "kw"], s.Buckets.Select(b => new object?[] { b.Start, b.End, b.Count, Round(b.Value) }), s);
            return 0;
        }));
        return new Command("measurements", "non-additive measurements: statistics with min/max and week buckets, heat maps, instantaneous power") { stats, heatmap, power };
    }

    private static double? Round(double? v) => v is { } x ? Math.Round(x, 6) : null;

    private static Command Health()
    {
        var missed = new Option<string?>("--missed") { Description = "intervals without a reading before a source is offline (default 3)" };
        var format = Format();
        var health = new Command("health", "collection health (采集监控): per gateway key, MQTT subscription, Modbus device and folder") { Db, Park, missed, format };
        health.SetAction((pr, ct) => CliApp.WithStore(pr, async (store, services) =>
        {
            var rows = await services.GetRequiredService<CollectionHealthService>().HealthAsync(pr.GetValue(Park)!, Number(pr.GetValue(missed), "missed", 3), ct: ct);
            Output.Write(pr.GetValue(format)!, ["source", "kind", "name", "state", "last_reading", "per_minute", "readings", "errors", "last_error"],
                rows.Select(h => new object?[] { h.Source, h.Kind, h.Name, h.State, h.LastReadingAt, Math.Round(h.ReadingsPerMinute, 2), h.Readings, h.Errors, h.LastError }),
                rows);
            return 0;
        }));
        return new Command("collection", "collection health") { health };
    }
}
