using Microsoft.Extensions.DependencyInjection;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using ZeroPark.Cli.Demo;
using ZeroPark.Domain;
using ZeroPark.Application;

namespace ZeroPark.Cli.Bench;

/// <summary>
/// <c>zeropark bench</c>: generates the demo park's readings (default: ~2,000 meters × 365 days at 15 minutes ≈ 70 M) and
/// measures, on SQLite or PostgreSQL, ingest through ZeroPark's real path (<see cref="Readings.ReadingStore.IngestAsync"/>:
/// dedup, register deltas, flags, hourly/daily/monthly rollups of meters and aggregates) and five dashboard queries —
/// against a baseline on the same machine and store: the same rows into a bare (meter, ts, value) table with plain
/// Microsoft.Data.Sqlite prepared inserts in one transaction per day / Npgsql binary COPY, and the same questions as plain
/// GROUP BY over the raw rows (with an index on (meter, ts)). The baseline sums raw values and ignores register
/// semantics, so it measures the cost of the scan only — a lower bound for answering without rollups.
/// Each generated day goes through ZeroPark and then into the bare table (<c>--sequential</c>: all days through ZeroPark
/// first). Generation time is excluded from both ingest rates. Query figures are warm medians.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var storeOpt = new Option<string>("--store") { DefaultValueFactory = _ => "sqlite", Description = "sqlite | postgres" };
        var meters = new Option<int>("--meters") { DefaultValueFactory = _ => 2000 };
        var days = new Option<int>("--days") { DefaultValueFactory = _ => 365 };
        var pg = new Option<string?>("--pg") { Description = "PostgreSQL server connection string (default: $ZEROPARK_BENCH_PG or $ZEROPARK_TEST_PG); two scratch databases are created and dropped" };
        var dir = new Option<string?>("--dir") { Description = "directory for the SQLite files (default: a temp dir, deleted afterwards)" };
        var format = new Option<string>("--format") { DefaultValueFactory = _ => "table" };
        var runs = new Option<int>("--runs") { DefaultValueFactory = _ => 9, Description = "timed runs per ZeroPark query (baseline: 3, or 1 when a run exceeds 5 s)" };
        var ingestOnly = new Option<bool>("--ingest-only") { Description = "measure ingest against the baseline and skip the queries (for tuning the ingest path)" };
        var sequential = new Option<bool>("--sequential")
        {
            Description = "ingest every day through ZeroPark first and then every day into the bare table (default: each day through both in turn, so that both see the same machine)",
        };
        var cmd = new Command("bench", "benchmark ingest and dashboard queries against a bare-table baseline") { storeOpt, meters, days, pg, dir, format, runs, ingestOnly, sequential };
        cmd.Subcommands.Add(QueryBench.Create());
        cmd.Subcommands.Add(CarbonBench.Create());
        cmd.Subcommands.Add(EnergyBench.Create());
        cmd.Subcommands.Add(ImportBench.Create());
        cmd.Subcommands.Add(CollectionBench.Create());
        cmd.SetAction(async (pr, ct) =>
        {
            var kind = pr.GetValue(storeOpt) switch
            {
                "sqlite" => StoreKind.Sqlite,
                "postgres" or "postgresql" => StoreKind.Postgres,
                var x => throw new ArgumentException($"--store: '{x}' is not sqlite or postgres"),
            };
            var server = pr.GetValue(pg) ?? Environment.GetEnvironmentVariable("ZEROPARK_BENCH_PG") ?? Environment.GetEnvironmentVariable("ZEROPARK_TEST_PG");
            if (kind == StoreKind.Postgres && string.IsNullOrEmpty(server))
            {
                await Console.Error.WriteLineAsync("error: --store postgres needs --pg CONNECTION (or ZEROPARK_BENCH_PG); e.g. source scripts/lib/pg.sh && zp_pg_start");
                return 2;
            }
            var json = pr.GetValue(format) == "json";
            var log = json ? TextWriter.Null : Console.Error;
            var result = await RunAsync(kind, server, pr.GetValue(dir), new DemoOptions("bench", pr.GetValue(meters), null, pr.GetValue(days)), Math.Max(1, pr.GetValue(runs)), pr.GetValue(ingestOnly), pr.GetValue(sequential), log, ct);
            if (json) Output.WriteJson(result);
            else Print(result);
            return 0;
        });
        return cmd;
    }

    internal sealed record QueryFigure(double Ms, double BaselineMs)
    {
        public double Speedup => Math.Round(BaselineMs / Ms, 1);
    }

    internal sealed record BenchResult(string Store, int Meters, int Days, long Readings, double IngestPerS, double BaselineIngestPerS,
        double IngestRatio, Dictionary<string, QueryFigure> Queries)
    {
        /// <summary>Energy-management calls over the whole period (warm medians, ms; issue 3's target is ≤ 100 ms a call).</summary>
        public Dictionary<string, double> Energy { get; init; } = [];

        /// <summary>Carbon accounting calls over the whole period (warm medians, ms; issue 4's target is ≤ 1 s for the inventory).</summary>
        public Dictionary<string, double> Carbon { get; init; } = [];
    }

    private static void Print(BenchResult r)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{r.Store}: {r.Readings:N0} readings ({r.Meters} meters × {r.Days} days)\ningest: {r.IngestPerS:N0}/s through ZeroPark vs {r.BaselineIngestPerS:N0}/s bare table ({r.IngestRatio:P0})"));
        foreach (var (q, f) in r.Queries)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{q}: {f.Ms:0.0} ms vs {f.BaselineMs:0.0} ms raw GROUP BY ({f.Speedup}×)"));
        foreach (var (e, ms) in r.Energy)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"energy {e}: {ms:0.0} ms"));
        foreach (var (c, ms) in r.Carbon)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"carbon {c}: {ms:0.0} ms"));
    }

    internal static async Task<BenchResult> RunAsync(StoreKind kind, string? server, string? dir, DemoOptions options, int runs, bool ingestOnly, bool sequential, TextWriter log, CancellationToken ct)
    {
        var demo = new DemoPark(options);
        var tempDir = dir ?? Path.Combine(Path.GetTempPath(), "zeropark-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(tempDir);
        string zpDb, baseDb;
        var pgNames = new List<string>();
        if (kind == StoreKind.Sqlite)
        {
            zpDb = Path.Combine(tempDir, "zeropark.db");
            baseDb = Path.Combine(tempDir, "baseline.db");
            foreach (var f in Directory.GetFiles(tempDir, "*.db*")) File.Delete(f);
        }
        else
        {
            zpDb = await CreatePgDatabase(server!, "zp_bench", pgNames);
            baseDb = await CreatePgDatabase(server!, "zp_bench_base", pgNames);
        }
        try
        {
            // ---- ZeroPark ingest and the baseline's, day by day in turn
            // Each day goes through ZeroPark and then into the bare table before the next day is generated, so both see the
            // same machine. Run one after the other (--sequential), a drift in the machine's speed during the run moved the
            // ratio by ten points or more: the bare COPY measured 2.0 to 3.45 M rows/s within one hour on this shared machine.
            await using var services = CliApp.BuildServices(zpDb);
            var store = services.GetRequiredService<ZeroParkStore>();
            await demo.CreateRegistryAsync(store, ct);
            long readings = 0;
            var codes = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var d in demo.MeterDrafts) codes[d.Code] = codes.Count + 1;
            var baseline = kind == StoreKind.Sqlite ? (IBaseline)new SqliteBaseline(baseDb) : new PostgresBaseline(baseDb);
            await baseline.CreateAsync(demo, codes);
            log.WriteLine($"ingesting {options.Days} days × {demo.PhysicalMeters} meters through ZeroPark ({kind}), " +
                (sequential ? "then into the bare table…" : "and each day into the bare table…"));
            // Generating the readings is not ingest: only the store's calls and the baseline's inserts are timed.
            var ingest = new Stopwatch();
            var bsw = new Stopwatch();
            var source = new IngestSource("bench", "bench");
            async Task InsertBaselineAsync(ZeroPark.Metering.RawPoint[] points)
            {
                var rows = new (int, long, double)[points.Length];
                for (var i = 0; i < rows.Length; i++) rows[i] = (codes[points[i].MeterCode], points[i].Timestamp.ToUnixTimeSeconds(), points[i].Value);
                bsw.Start();
                await baseline.InsertAsync(rows);
                bsw.Stop();
            }
            foreach (var day in DemoReadings.Generate(demo))
            {
                ingest.Start();
                if (day.Replacement is { } r) await store.Readings.ReplaceMeterAsync(demo.Options.ParkCode, r.Meter, r.At, r.OldFinal, r.NewInitial, "bench", "replacement", ct);
                var s = await store.Readings.IngestAsync(demo.Options.ParkCode, day.Points, source, ct: ct);
                ingest.Stop();
                readings += day.Points.Length;
                if (s.Rejected.Count > 0) throw new InvalidOperationException($"bench data rejected: {s.Rejected[0].Reason}");
                if (!sequential) await InsertBaselineAsync(day.Points);
                if ((day.Date.DayNumber - options.StartDate.DayNumber) % 30 == 29)
                    log.WriteLine($"  {day.Date:yyyy-MM-dd}: ZeroPark {readings / ingest.Elapsed.TotalSeconds:N0}/s");
            }
            var ingestPerS = readings / ingest.Elapsed.TotalSeconds;
            log.WriteLine($"ZeroPark ingest: {ingestPerS:N0} readings/s");
            if (sequential)
                foreach (var day in DemoReadings.Generate(demo)) await InsertBaselineAsync(day.Points);
            var baselinePerS = readings / bsw.Elapsed.TotalSeconds;
            var storeName = kind == StoreKind.Sqlite ? "sqlite" : "postgres";
            if (ingestOnly)
            {
                log.WriteLine($"baseline ingest: {baselinePerS:N0} rows/s");
                await baseline.DisposeAsync();
                return new BenchResult(storeName, demo.PhysicalMeters, options.Days, readings, Math.Round(ingestPerS), Math.Round(baselinePerS),
                    Math.Round(ingestPerS / baselinePerS, 3), []);
            }
            log.WriteLine($"baseline ingest: {baselinePerS:N0} rows/s; indexing (meter, ts) for the baseline queries…");
            await baseline.IndexAsync();

            // ---- queries
            var clock = ParkClock.For("Asia/Shanghai");
            var from = options.StartDate;
            var to = options.StartDate.AddDays(options.Days - 1);
            var (monthStart, monthEnd, weekStart, weekEnd) = QueryBench.Windows(from, to);
            var park = demo.Options.ParkCode;
            var zp = QueryBench.Calls(services, park, from, to, ct);
            var (ys, ye) = clock.Range(from, to);
            var (ms, me) = clock.Range(monthStart, monthEnd);
            var (ws, we) = clock.Range(weekStart, weekEnd);
            var bq = baseline.Queries(ys, ye, ms, me, ws, we);
            var figures = new Dictionary<string, QueryFigure>();
            foreach (var (q, f) in zp)
            {
                var zpMs = await Median(f, runs, jitWarmUp: true);
                log.WriteLine($"{q}: ZeroPark {zpMs:0.0} ms; baseline…");
                var baseMs = await Median(bq[q], 3, slowCutoffMs: 5000);
                figures[q] = new QueryFigure(Math.Round(zpMs, 2), Math.Round(baseMs, 1));
                log.WriteLine($"{q}: ZeroPark {zpMs:0.0} ms, baseline {baseMs:0.0} ms");
            }
            await baseline.DisposeAsync();

            // ---- energy management over the whole period (no baseline: these are ZeroPark's own features)
            var energyFigures = await EnergyBench.RunAsync(services, park, from, to, runs, log, ct);
            var carbonFigures = await CarbonBench.RunAsync(services, park, from, to, runs, log, ct);
            return new BenchResult(storeName, demo.PhysicalMeters, options.Days, readings,
                Math.Round(ingestPerS), Math.Round(baselinePerS), Math.Round(ingestPerS / baselinePerS, 3), figures) { Energy = energyFigures, Carbon = carbonFigures };
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            SqliteConnection.ClearAllPools();
            if (kind == StoreKind.Postgres)
            {
                await using var c = new NpgsqlConnection(server);
                await c.OpenAsync(ct);
                foreach (var n in pgNames) await c.ExecuteAsync($"DROP DATABASE IF EXISTS \"{n}\" WITH (FORCE)");
            }
            if (dir is null) Directory.Delete(tempDir, recursive: true);
        }
    }

    private static async Task<string> CreatePgDatabase(string server, string prefix, List<string> names)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..30];
        await using var c = new NpgsqlConnection(server);
        await c.OpenAsync();
        await c.ExecuteAsync($"CREATE DATABASE \"{name}\"");
        names.Add(name);
        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    /// <summary>Warm median: untimed runs (ZeroPark's calls: <see cref="ServiceBench.WarmUpAsync"/>; the baseline's, which take
    /// seconds of server time each: one), then <paramref name="runs"/> timed runs (fewer when a run is very slow).</summary>
    private static async Task<double> Median(Func<Task> f, int runs, double slowCutoffMs = double.MaxValue, bool jitWarmUp = false)
    {
        if (jitWarmUp) await ServiceBench.WarmUpAsync(f);
        else await f();
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            await f();
            times.Add(sw.Elapsed.TotalMilliseconds);
            if (sw.Elapsed.TotalMilliseconds > slowCutoffMs) break;
        }
        times.Sort();
        return times[times.Count / 2];
    }

    private interface IBaseline : IAsyncDisposable
    {
        Task CreateAsync(DemoPark demo, Dictionary<string, int> codes);
        Task InsertAsync((int Meter, long Ts, double Value)[] rows);
        Task IndexAsync();
        Dictionary<string, Func<Task>> Queries(long ys, long ye, long ms, long me, long ws, long we);
    }

    private static IEnumerable<object> MeterRows(DemoPark demo, Dictionary<string, int> codes) => demo.MeterDrafts.Where(d => d.Formula is null).Select(d => new
    {
        id = codes[d.Code],
        code = d.Code,
        top = d.SystemCode?.Split('.')[0],
        building = d.SpaceCode?.Split('-')[0],
        role = d.Role,
    });

    /// <summary>Plain Microsoft.Data.Sqlite: one prepared single-row INSERT re-bound per row, one transaction per day.</summary>
    private sealed class SqliteBaseline(string path) : IBaseline
    {
        private readonly SqliteConnection _c = new($"Data Source={path};Pooling=false");

        public async Task CreateAsync(DemoPark demo, Dictionary<string, int> codes)
        {
            await _c.OpenAsync();
            await _c.ExecuteAsync("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;" +
                "CREATE TABLE bare (meter INTEGER NOT NULL, ts INTEGER NOT NULL, value REAL NOT NULL);" +
                "CREATE TABLE bare_meters (id INTEGER PRIMARY KEY, code TEXT, top TEXT, building TEXT, role TEXT);");
            await _c.ExecuteAsync("INSERT INTO bare_meters (id, code, top, building, role) VALUES (@id, @code, @top, @building, @role)", MeterRows(demo, codes));
        }

        public Task InsertAsync((int Meter, long Ts, double Value)[] rows)
        {
            using var tx = _c.BeginTransaction();
            using var cmd = _c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT INTO bare (meter, ts, value) VALUES ($m, $t, $v)";
            var m = cmd.Parameters.Add("$m", SqliteType.Integer);
            var t = cmd.Parameters.Add("$t", SqliteType.Integer);
            var v = cmd.Parameters.Add("$v", SqliteType.Real);
            cmd.Prepare();
            foreach (var r in rows)
            {
                m.Value = r.Meter;
                t.Value = r.Ts;
                v.Value = r.Value;
                cmd.ExecuteNonQuery();
            }
            tx.Commit();
            return Task.CompletedTask;
        }

        public Task IndexAsync() => _c.ExecuteAsync("CREATE INDEX bare_meter_ts ON bare (meter, ts); ANALYZE;");

        public Dictionary<string, Func<Task>> Queries(long ys, long ye, long ms, long me, long ws, long we) => new()
        {
            ["Q1"] = () => _c.QueryAsync("SELECT m.top, (b.ts - 1 + 28800) / 86400 AS day, SUM(b.value) FROM bare b JOIN bare_meters m ON m.id = b.meter WHERE b.ts > @ys AND b.ts <= @ye AND m.top IN ('it','cooling','power','aux') GROUP BY 1, 2", new { ys, ye }),
            ["Q2"] = () => _c.QueryAsync("SELECT m.role, strftime('%Y-%m', b.ts - 1 + 28800, 'unixepoch') AS month, SUM(b.value) FROM bare b JOIN bare_meters m ON m.id = b.meter WHERE b.ts > @ys AND b.ts <= @ye AND m.role IN ('facility_input','it_load') GROUP BY 1, 2", new { ys, ye }),
            ["Q3"] = () => _c.QueryAsync("SELECT meter, SUM(value) AS total FROM bare WHERE ts > @ms AND ts <= @me GROUP BY meter ORDER BY total DESC LIMIT 10", new { ms, me }),
            ["Q4"] = () => _c.QueryAsync("SELECT b.meter, b.ts, b.value FROM bare b JOIN (SELECT meter, MAX(ts) AS ts FROM bare GROUP BY meter) l ON l.meter = b.meter AND l.ts = b.ts"),
            ["Q5"] = () => _c.QueryAsync("SELECT (b.ts - 1) / 3600 AS hour, SUM(b.value) FROM bare b JOIN bare_meters m ON m.id = b.meter WHERE m.building = 'b1' AND m.top = 'cooling' AND b.ts > @ws AND b.ts <= @we GROUP BY 1", new { ws, we }),
        };

        public async ValueTask DisposeAsync() => await _c.DisposeAsync();
    }

    /// <summary>Npgsql binary COPY into the bare table, one COPY per day, rows written with the synchronous writers.</summary>
    private sealed class PostgresBaseline(string cs) : IBaseline
    {
        private readonly NpgsqlConnection _c = new(cs);

        public async Task CreateAsync(DemoPark demo, Dictionary<string, int> codes)
        {
            await _c.OpenAsync();
            await _c.ExecuteAsync("CREATE TABLE bare (meter INTEGER NOT NULL, ts BIGINT NOT NULL, value DOUBLE PRECISION NOT NULL);" +
                "CREATE TABLE bare_meters (id INTEGER PRIMARY KEY, code TEXT, top TEXT, building TEXT, role TEXT);");
            await _c.ExecuteAsync("INSERT INTO bare_meters (id, code, top, building, role) VALUES (@id, @code, @top, @building, @role)", MeterRows(demo, codes));
        }

        public async Task InsertAsync((int Meter, long Ts, double Value)[] rows)
        {
            // The synchronous row writers: Npgsql's fastest way to fill a COPY buffer (the async ones cost a state machine per value).
            await using var w = await _c.BeginBinaryImportAsync("COPY bare (meter, ts, value) FROM STDIN (FORMAT BINARY)");
            foreach (var r in rows)
            {
                w.StartRow();
                w.Write(r.Meter, NpgsqlDbType.Integer);
                w.Write(r.Ts, NpgsqlDbType.Bigint);
                w.Write(r.Value, NpgsqlDbType.Double);
            }
            await w.CompleteAsync();
        }

        public Task IndexAsync() => _c.ExecuteAsync("CREATE INDEX bare_meter_ts ON bare (meter, ts); ANALYZE;", commandTimeout: 3600);

        public Dictionary<string, Func<Task>> Queries(long ys, long ye, long ms, long me, long ws, long we) => new()
        {
            ["Q1"] = () => _c.QueryAsync("SELECT m.top, (b.ts - 1 + 28800) / 86400 AS day, SUM(b.value) FROM bare b JOIN bare_meters m ON m.id = b.meter WHERE b.ts > @ys AND b.ts <= @ye AND m.top IN ('it','cooling','power','aux') GROUP BY 1, 2", new { ys, ye }, commandTimeout: 3600),
            ["Q2"] = () => _c.QueryAsync("SELECT m.role, to_char(to_timestamp(b.ts - 1) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS month, SUM(b.value) FROM bare b JOIN bare_meters m ON m.id = b.meter WHERE b.ts > @ys AND b.ts <= @ye AND m.role IN ('facility_input','it_load') GROUP BY 1, 2", new { ys, ye }, commandTimeout: 3600),
            ["Q3"] = () => _c.QueryAsync("SELECT meter, SUM(value) AS total FROM bare WHERE ts > @ms AND ts <= @me GROUP BY meter ORDER BY total DESC LIMIT 10", new { ms, me }, commandTimeout: 3600),
            ["Q4"] = () => _c.QueryAsync("SELECT DISTINCT ON (meter) meter, ts, value FROM bare ORDER BY meter, ts DESC", commandTimeout: 3600),
            ["Q5"] = () => _c.QueryAsync("SELECT (b.ts - 1) / 3600 AS hour, SUM(b.value) FROM bare b JOIN bare_meters m ON m.id = b.meter WHERE m.building = 'b1' AND m.top = 'cooling' AND b.ts > @ws AND b.ts <= @we GROUP BY 1", new { ws, we }, commandTimeout: 3600),
        };

        public async ValueTask DisposeAsync() => await _c.DisposeAsync();
    }
}
