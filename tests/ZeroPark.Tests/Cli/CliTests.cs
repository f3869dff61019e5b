using System.Globalization;
using System.Text;
using System.Text.Json;
using ZeroPark.Application;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.Cli;

/// <summary>The command-line contract, run as a real process, on SQLite and on PostgreSQL.</summary>
public abstract class CliContract
{
    protected abstract string NewDatabase();

    private static readonly string Dir = Path.Combine(Path.GetTempPath(), "zeropark-cli-tests");

    private static string WriteFile(string name, string text, Encoding? encoding = null)
    {
        Directory.CreateDirectory(Dir);
        var path = Path.Combine(Dir, Guid.NewGuid().ToString("N")[..8] + "-" + name);
        File.WriteAllBytes(path, (encoding ?? new UTF8Encoding(false)).GetBytes(text));
        return path;
    }

    private async Task<string> InitParkAsync()
    {
        var db = NewDatabase();
        var r = await CliRunner.RunAsync("init", "--db", db, "--park", "p1", "--name", "园区一", "--timezone", "Asia/Shanghai");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("gateway API key", r.Out);
        var meters = WriteFile("meters.csv", """
            code,name,carrier,kind,unit,register_max,multiplier,space,system,role
            main,进线,electricity,cumulative,kWh,1000000,1,,power.distribution,facility_input
            pdu1,PDU 1,electricity,cumulative,kWh,1000000,1,,it,it_load
            chiller1,冷机1,electricity,interval,kWh,,,,cooling.chiller,
            """);
        r = await CliRunner.RunAsync("meters", "import", "--db", db, "--park", "p1", meters);
        Assert.True(r.ExitCode == 0, r.Err);
        return db;
    }

    [Fact]
    public async Task Suspected_resets_are_listed_and_confirmed_and_resets_normal_is_set()
    {
        var db = await InitParkAsync();
        // pdu1: 100, 130, drop to 50, 60 (00:15..01:00): 30 + 0 (suspected) + 10 = 40.
        var readings = WriteFile("r.csv", """
            meter,timestamp,value
            pdu1,2025-01-01T00:15:00+08:00,100
            pdu1,2025-01-01T00:30:00+08:00,130
            pdu1,2025-01-01T00:45:00+08:00,50
            pdu1,2025-01-01T01:00:00+08:00,60
            """);
        var r = await CliRunner.RunAsync("import", "--db", db, "--park", "p1", readings);
        Assert.True(r.ExitCode == 0, r.Err);
        r = await CliRunner.RunAsync("resets", "list", "--db", db, "--park", "p1", "--format", "json");
        Assert.True(r.ExitCode == 0, r.Err);
        var row = Assert.Single(JsonDocument.Parse(r.Out).RootElement.EnumerateArray());
        Assert.Equal(("pdu1", "2025-01-01T00:45:00+08:00", 50.0, 130.0),
            (row.GetProperty("meter").GetString(), row.GetProperty("at").GetString(), row.GetProperty("value").GetDouble(), row.GetProperty("previous_value").GetDouble()));
        r = await CliRunner.RunAsync("resets", "confirm", "--db", db, "--park", "p1", "--meter", "pdu1", "--at", "2025-01-01T00:45:00+08:00", "--as", "nonsense");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("resolution", r.Err);
        r = await CliRunner.RunAsync("resets", "confirm", "--db", db, "--park", "p1", "--meter", "pdu1", "--at", "2025-01-01T00:45:00+08:00", "--as", "replacement",
            "--old-final", "134", "--user", "alice");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("replacement", r.Out);
        await using (var store = await ZeroParkStore.OpenAsync(db))
        {
            // 30 + (134 − 130) + (60 − 50) = 44.
            var day = await store.Queries.SeriesAsync("p1", SeriesTarget.Meter("pdu1"), new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 1), Domain.Granularity.Day);
            Assert.Equal(44.0, day.Buckets[0].Value);
            Assert.Empty(await store.Readings.ResetSuspectsAsync("p1"));
            Assert.Contains(await store.Audit.AuditLogAsync("p1"), a => a.Action == "confirm_reset" && a.User == "alice");
        }
        r = await CliRunner.RunAsync("meters", "set", "--db", db, "--park", "p1", "--meter", "pdu1", "--resets-normal", "true");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("resets_normal = true", r.Out);
        r = await CliRunner.RunAsync("meters", "set", "--db", db, "--park", "p1", "--meter", "chiller1", "--resets-normal", "true");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("resets_normal", r.Err);
    }

    [Fact]
    public async Task Void_removes_a_reading_or_a_range_with_a_reason_and_recomputes_the_rest()
    {
        var db = await InitParkAsync();
        // pdu1: 100, 1250 (a typo for 125), 135, 150 at 00:15..01:00: Δ 1150, then 135 a drop (Δ 0), 150 − 135 = 15: 1165.
        var readings = WriteFile("r.csv", """
            meter,timestamp,value
            pdu1,2025-01-01T00:15:00+08:00,100
            pdu1,2025-01-01T00:30:00+08:00,1250
            pdu1,2025-01-01T00:45:00+08:00,135
            pdu1,2025-01-01T01:00:00+08:00,150
            """);
        var r = await CliRunner.RunAsync("import", "--db", db, "--park", "p1", readings);
        Assert.True(r.ExitCode == 0, r.Err);
        async Task<double?> Day()
        {
            await using var store = await ZeroParkStore.OpenAsync(db);
            return (await store.Queries.SeriesAsync("p1", SeriesTarget.Meter("pdu1"), new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 1), Domain.Granularity.Day)).Buckets[0].Value;
        }
        Assert.Equal(1165.0, await Day());
        r = await CliRunner.RunAsync("void", "--db", db, "--park", "p1", "--meter", "pdu1", "--at", "2025-01-01T00:30:00+08:00", "--reason", " ");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("reason", r.Err);
        r = await CliRunner.RunAsync("void", "--db", db, "--park", "p1", "--meter", "pdu1", "--at", "2025-01-01T00:30:00+08:00", "--reason", "typo", "--user", "alice");
        Assert.True(r.ExitCode == 0, r.Err);
        // 135 is now measured from 100 (Δ 35, no longer a drop); 150 stays Δ 15: 50.
        Assert.Contains("voided 1 reading(s) of 'pdu1' (2025-01-01T00:30:00+08:00 .. 2025-01-01T00:30:00+08:00); later readings recomputed: 1", r.Out);
        Assert.Equal(50.0, await Day());
        // A range: 00:40..01:00 holds 135 and 150; nothing is left after 100: 0.
        r = await CliRunner.RunAsync("void", "--db", db, "--park", "p1", "--meter", "pdu1", "--from", "2025-01-01T00:40:00+08:00", "--to", "2025-01-01T01:00:00+08:00", "--reason", "test");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("voided 2 reading(s)", r.Out);
        Assert.Equal(0.0, await Day() ?? 0);
        r = await CliRunner.RunAsync("void", "--db", db, "--park", "p1", "--meter", "pdu1", "--at", "2025-01-01T00:30:00+08:00", "--reason", "again");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("nothing voided", r.Out);
        await using (var store = await ZeroParkStore.OpenAsync(db))
            Assert.Equal(2, (await store.Audit.AuditLogAsync("p1")).Count(a => a.Action == "void" && a.Entity == "reading"));   // the empty third void is not audited
    }

    [Fact]
    public async Task Meters_recompute_reruns_the_engine_over_one_or_all_meters_and_is_audited()
    {
        var db = await InitParkAsync();
        var readings = WriteFile("r.csv", """
            meter,timestamp,value
            pdu1,2025-01-01T00:15:00+08:00,100
            pdu1,2025-01-01T00:30:00+08:00,110
            """);
        var r = await CliRunner.RunAsync("import", "--db", db, "--park", "p1", readings);
        Assert.True(r.ExitCode == 0, r.Err);
        r = await CliRunner.RunAsync("meters", "recompute", "--db", db, "--park", "p1", "--meter", "pdu1", "--user", "alice");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Equal("meter pdu1: 0 reading(s) changed", r.Out.Trim());
        // Every physical meter of the park (main, pdu1, chiller1), in code order.
        r = await CliRunner.RunAsync("meters", "recompute", "--db", db, "--park", "p1");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Equal(["meter chiller1: 0 reading(s) changed", "meter main: 0 reading(s) changed", "meter pdu1: 0 reading(s) changed"],
            r.Out.Trim().Split('\n').Select(l => l.Trim()));
        r = await CliRunner.RunAsync("meters", "recompute", "--db", db, "--park", "p1", "--meter", "nope");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("nope", r.Err);
        await using var store = await ZeroParkStore.OpenAsync(db);
        // Audited for the meter with readings only: twice.
        Assert.Equal(["pdu1", "pdu1"], (await store.Audit.AuditLogAsync("p1")).Where(a => a.Action == "recompute").Select(a => a.EntityKey));
    }

    [Fact]
    public async Task Keys_are_created_listed_and_revoked_and_a_revoked_key_no_longer_verifies()
    {
        var db = await InitParkAsync();
        var r = await CliRunner.RunAsync("keys", "create", "--db", db, "--park", "p1", "--name", "telegraf-b1");
        Assert.True(r.ExitCode == 0, r.Err);
        var key = r.Out.Trim();
        r = await CliRunner.RunAsync("keys", "list", "--db", db, "--park", "p1", "--format", "json");
        Assert.True(r.ExitCode == 0, r.Err);
        var keys = JsonDocument.Parse(r.Out).RootElement.EnumerateArray().ToList();
        // init's "default" key and telegraf-b1, oldest first; created in the park's local time (+08:00).
        Assert.Equal(["default", "telegraf-b1"], keys.Select(k => k.GetProperty("name").GetString()));
        Assert.EndsWith("+08:00", keys[1].GetProperty("created_at").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(key, r.Out, StringComparison.Ordinal);
        var id = keys[1].GetProperty("id").GetInt64();
        r = await CliRunner.RunAsync("keys", "revoke", "--db", db, "--park", "p1", "--id", id.ToString(CultureInfo.InvariantCulture), "--user", "alice");
        Assert.True(r.ExitCode == 0, r.Err);
        await using (var store = await ZeroParkStore.OpenAsync(db))
        {
            Assert.Null(await store.ApiKeys.VerifyApiKeyAsync("p1", key));
            Assert.Equal(["default"], (await store.ApiKeys.ListApiKeysAsync("p1")).Select(k => k.Name));
            var audit = (await store.Audit.AuditLogAsync("p1")).First(a => a.Action == "revoke");
            Assert.Equal(("alice", "api_key", $"telegraf-b1 (id {id})"), (audit.User, audit.Entity, audit.EntityKey));
        }
        // Again (no such key of the park any more): a clear error and a non-zero exit code.
        r = await CliRunner.RunAsync("keys", "revoke", "--db", db, "--park", "p1", "--id", id.ToString(CultureInfo.InvariantCulture));
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains($"API key {id} not found in park 'p1'", r.Err);
    }

    [Fact]
    public async Task Import_prints_the_json_summary_and_keeps_valid_rows()
    {
        var db = await InitParkAsync();
        var csv = WriteFile("readings.csv", """
            meter,timestamp,value
            pdu1,2025-01-01T00:00:00+08:00,100
            pdu1,2025-01-01T00:15:00+08:00,110
            pdu1,2025-01-01T00:30:00,120
            ghost,2025-01-01T00:30:00+08:00,1
            pdu1,2025-01-01T00:45:00+08:00,abc
            pdu1,2025-01-01T01:00:00+08:00,140
            """);
        var r = await CliRunner.RunAsync("import", "--db", db, "--park", "p1", csv, "--format", "json");
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        var root = doc.RootElement;
        Assert.Equal(3, root.GetProperty("accepted").GetInt32());
        Assert.Equal(0, root.GetProperty("duplicates").GetInt32());
        Assert.Equal(0, root.GetProperty("corrected").GetInt32());
        var rejected = root.GetProperty("rejected").EnumerateArray().ToList();
        Assert.Equal([4, 5, 6], rejected.Select(x => x.GetProperty("line").GetInt32()));
        Assert.Contains("offset", rejected[0].GetProperty("reason").GetString());
        Assert.Contains("ghost", rejected[1].GetProperty("reason").GetString());
        Assert.Contains("value", rejected[2].GetProperty("reason").GetString());

        // Same file again: duplicates only. One value changed: a correction.
        r = await CliRunner.RunAsync("import", "--db", db, "--park", "p1", csv, "--format", "json");
        using (var again = JsonDocument.Parse(r.Out))
        {
            Assert.Equal((0, 3), (again.RootElement.GetProperty("accepted").GetInt32(), again.RootElement.GetProperty("duplicates").GetInt32()));
        }
        var fix = WriteFile("fix.csv", "meter,timestamp,value\npdu1,2025-01-01T00:15:00+08:00,112\n");
        r = await CliRunner.RunAsync("import", "--db", db, "--park", "p1", fix, "--format", "json");
        using (var corr = JsonDocument.Parse(r.Out)) Assert.Equal(1, corr.RootElement.GetProperty("corrected").GetInt32());
        r = await CliRunner.RunAsync("audit", "--db", db, "--park", "p1", "--format", "json");
        Assert.Contains("\"old\": \"110\"", r.Out);
    }

    [Fact]
    public async Task Series_prints_local_date_buckets_with_inclusive_end()
    {
        var db = await InitParkAsync();
        // pdu1 register: Dec 31 23:45 → 0; Jan 1 00:00 → 5 (Δ5 belongs to Dec 31); Jan 2 00:00 → 105 (Δ100 on Jan 1); Jan 2 12:00 → 155 (Δ50 on Jan 2)
        var csv = WriteFile("r.csv", """
            meter,timestamp,value
            pdu1,2024-12-31T23:45:00+08:00,0
            pdu1,2025-01-01T00:00:00+08:00,5
            pdu1,2025-01-02T00:00:00+08:00,105
            pdu1,2025-01-02T12:00:00+08:00,155
            """);
        Assert.Equal(0, (await CliRunner.RunAsync("import", "--db", db, "--park", "p1", csv, "--format", "json")).ExitCode);
        var r = await CliRunner.RunAsync("series", "--db", db, "--park", "p1", "--meter", "pdu1", "--from", "2024-12-31", "--to", "2025-01-02", "--by", "day", "--format", "json");
        Assert.True(r.ExitCode == 0, r.Err);
        var buckets = JsonDocument.Parse(r.Out).RootElement.EnumerateArray().ToList();
        Assert.Equal(3, buckets.Count);                                     // --to is inclusive
        Assert.Equal([5.0, 100.0, 50.0], buckets.Select(b => b.GetProperty("value").GetDouble()));
        Assert.Equal("2025-01-01T00:00:00+08:00", buckets[1].GetProperty("start").GetString());
        Assert.Equal("2025-01-02T00:00:00+08:00", buckets[1].GetProperty("end").GetString());
        Assert.Equal("kWh", buckets[1].GetProperty("unit").GetString());
        Assert.Equal("partial", buckets[1].GetProperty("quality").GetString());   // 1 of 96 quarter hours reported

        r = await CliRunner.RunAsync("series", "--db", db, "--park", "p1", "--role", "it_load", "--from", "2025-01-01", "--to", "2025-01-31", "--by", "month", "--format", "json");
        var month = JsonDocument.Parse(r.Out).RootElement.EnumerateArray().Single();
        Assert.Equal(150, month.GetProperty("value").GetDouble());               // 100 + 50
    }

    [Fact]
    public async Task Import_reports_1970_stray_quote_and_bad_byte_rows_and_stores_the_rest_and_a_refused_file_exits_2()
    {
        var db = await InitParkAsync();
        // Lines 3 (1970), 4 (stray quote) and 5 (an invalid UTF-8 byte) are reported; lines 2, 6 and 7 are stored.
        var bytes = new List<byte>(Encoding.UTF8.GetBytes("meter,timestamp,value\nmain,2025-03-01T00:15:00+08:00,100\nmain,1970-01-01T00:00:00Z,1\n"
            + "main,\"2025-03-01T00:20:00+08:00,105\nmain,2025-03-01T00:25:00+08:00,10"));
        bytes.Add(0xFF);
        bytes.AddRange(Encoding.UTF8.GetBytes("\nmain,2025-03-01T00:30:00+08:00,110\nmain,2025-03-01T00:45:00+08:00,120\n"));
        var csv = WriteFile("bad-rows.csv", "");
        await File.WriteAllBytesAsync(csv, [.. bytes]);

        var r = await CliRunner.RunAsync("import", "--db", db, "--park", "p1", csv, "--format", "json");

        Assert.True(r.ExitCode == 0, r.Err);
        var doc = JsonDocument.Parse(r.Out).RootElement;
        Assert.Equal(3, doc.GetProperty("accepted").GetInt32());
        Assert.Equal([3, 4, 5], doc.GetProperty("rejected").EnumerateArray().Select(e => e.GetProperty("line").GetInt32()));
        Assert.DoesNotContain("   at ", r.Err, StringComparison.Ordinal);

        // A workbook with a DTD: one line on standard error, exit code 2, no stack trace.
        var xlsx = Path.Combine(Dir, Guid.NewGuid().ToString("N")[..8] + "-dtd.xlsx");
        await File.WriteAllBytesAsync(xlsx, ZeroPark.Tests.Import.Xlsx.Build(sheetWriter: w => w.Write("<!DOCTYPE x [<!ENTITY a \"a\">]><worksheet/>")));
        r = await CliRunner.RunAsync("import", "--db", db, "--park", "p1", xlsx);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: xlsx: the workbook contains a DTD", r.Err.Trim());
        Assert.Single(r.Err.Trim().Split('\n'));
    }

    [Fact]
    public async Task Foreign_gbk_export_is_read_through_a_column_mapping()
    {
        var db = await InitParkAsync();
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var gbk = Encoding.GetEncoding(936);
        var csv = WriteFile("export.csv", "表计编号,采集时间,读数\n1#冷机,2025/01/01 00:15,12.5\n1#冷机,2025/01/01 00:30,13\n", gbk);
        var map = WriteFile("map.json", """{"timestamp_format":"yyyy/MM/dd HH:mm","time_zone":"Asia/Shanghai","meter_code_map":{"1#冷机":"chiller1"}}""");
        var r = await CliRunner.RunAsync("import", "--db", db, "--park", "p1", csv, "--mapping", map, "--format", "json");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Equal(2, JsonDocument.Parse(r.Out).RootElement.GetProperty("accepted").GetInt32());
        r = await CliRunner.RunAsync("series", "--db", db, "--park", "p1", "--system", "cooling", "--from", "2025-01-01", "--to", "2025-01-01", "--by", "hour", "--format", "json");
        var first = JsonDocument.Parse(r.Out).RootElement.EnumerateArray().First();
        Assert.Equal(25.5, first.GetProperty("value").GetDouble(), 9);          // 12.5 + 13 in 00:00–01:00
    }

    [Fact]
    public async Task Bad_meter_file_registers_nothing_and_names_each_line()
    {
        var db = NewDatabase();
        Assert.Equal(0, (await CliRunner.RunAsync("init", "--db", db, "--park", "p2", "--name", "P2", "--timezone", "Asia/Shanghai")).ExitCode);
        var meters = WriteFile("bad.csv", "code,name,carrier,kind,unit,register_max,multiplier,space,system,role\nok1,OK,electricity,cumulative,kWh,,,,,\nW1,Bad,water,cumulative,kWh,,,,,\n");
        var r = await CliRunner.RunAsync("meters", "import", "--db", db, "--park", "p2", meters);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("line 3", r.Err);
        r = await CliRunner.RunAsync("meters", "list", "--db", db, "--park", "p2", "--format", "json");
        Assert.Equal(0, JsonDocument.Parse(r.Out).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task Unknown_park_and_bad_dates_are_clear_errors()
    {
        var db = await InitParkAsync();
        var r = await CliRunner.RunAsync("series", "--db", db, "--park", "nope", "--meter", "pdu1", "--from", "2025-01-01", "--to", "2025-01-02", "--format", "json");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("park 'nope' not found", r.Err);
        r = await CliRunner.RunAsync("series", "--db", db, "--park", "p1", "--meter", "pdu1", "--from", "2025-13-01", "--to", "2025-01-02", "--format", "json");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("from", r.Err);
    }
}

public sealed class SqliteCliTests : CliContract
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();

    [Fact]
    public async Task Demo_then_quality_latest_and_bench_smoke_run()
    {
        var db = TestDatabases.NewSqlitePath();
        var r = await CliRunner.RunAsync("demo", "--db", db, "--meters", "80", "--days", "2");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("demo park 'demo'", r.Out);
        r = await CliRunner.RunAsync("quality", "--db", db, "--park", "demo", "--from", "2025-01-01", "--to", "2025-01-02", "--format", "json");
        var q = JsonDocument.Parse(r.Out).RootElement.EnumerateArray().ToList();
        Assert.True(q.Count > 70);
        Assert.All(q, m => Assert.True(m.GetProperty("completeness_percent").GetDouble() > 99, m.ToString()));
        r = await CliRunner.RunAsync("latest", "--db", db, "--park", "demo", "--format", "json");
        Assert.Contains("2025-01-03T00:00:00+08:00", r.Out);
        // PUE of the first day from the role series: facility input / IT load, winter ≈ 1.2
        var fi = await CliRunner.RunAsync("series", "--db", db, "--park", "demo", "--role", "facility_input", "--from", "2025-01-01", "--to", "2025-01-01", "--format", "json");
        var it = await CliRunner.RunAsync("series", "--db", db, "--park", "demo", "--role", "it_load", "--from", "2025-01-01", "--to", "2025-01-01", "--format", "json");
        var pue = JsonDocument.Parse(fi.Out).RootElement[0].GetProperty("value").GetDouble() / JsonDocument.Parse(it.Out).RootElement[0].GetProperty("value").GetDouble();
        Assert.InRange(pue, 1.15, 1.3);

        r = await CliRunner.RunAsync("bench", "--store", "sqlite", "--meters", "80", "--days", "2", "--runs", "1", "--format", "json");
        Assert.True(r.ExitCode == 0, r.Err);
        var b = JsonDocument.Parse(r.Out).RootElement;
        Assert.Equal("sqlite", b.GetProperty("store").GetString());
        Assert.True(b.GetProperty("readings").GetInt64() > 10_000);
        Assert.True(b.GetProperty("ingest_per_s").GetDouble() > 0);
        foreach (var q2 in new[] { "Q1", "Q2", "Q3", "Q4", "Q5" })
            Assert.True(b.GetProperty("queries").GetProperty(q2).GetProperty("baseline_ms").GetDouble() >= 0);

        // --ingest-only: both ingest figures, no queries.
        r = await CliRunner.RunAsync("bench", "--store", "sqlite", "--meters", "80", "--days", "1", "--ingest-only", "--format", "json");
        Assert.True(r.ExitCode == 0, r.Err);
        b = JsonDocument.Parse(r.Out).RootElement;
        Assert.True(b.GetProperty("baseline_ingest_per_s").GetDouble() > 0);
        Assert.Empty(b.GetProperty("queries").EnumerateObject());
        var interleaved = b.GetProperty("readings").GetInt64();

        // --sequential: every day through ZeroPark first, then the bare table; the same readings.
        r = await CliRunner.RunAsync("bench", "--store", "sqlite", "--meters", "80", "--days", "1", "--ingest-only", "--sequential", "--format", "json");
        Assert.True(r.ExitCode == 0, r.Err);
        b = JsonDocument.Parse(r.Out).RootElement;
        Assert.Equal(interleaved, b.GetProperty("readings").GetInt64());
        Assert.True(b.GetProperty("ingest_per_s").GetDouble() > 0 && b.GetProperty("baseline_ingest_per_s").GetDouble() > 0);

        // The same five queries over the existing demo store.
        r = await CliRunner.RunAsync("bench", "queries", "--db", db, "--park", "demo", "--from", "2025-01-01", "--to", "2025-01-02", "--runs", "1");
        Assert.True(r.ExitCode == 0, r.Err);
        foreach (var q2 in new[] { "Q1", "Q2", "Q3", "Q4", "Q5" })
            Assert.Matches($"queries {q2}: [0-9.]+ ms", r.Out);
    }
}

public sealed class PostgresCliTests : CliContract
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL CLI tests need ZEROPARK_TEST_PG; run ./scripts/test.sh")
        : TestDatabases.NewPostgresDatabase();
}
