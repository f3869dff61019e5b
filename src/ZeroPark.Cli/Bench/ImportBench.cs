using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ZeroPark.Cli.Demo;
using ZeroPark.Domain;
using ZeroPark.Application;

namespace ZeroPark.Cli.Bench;

/// <summary>
/// <c>zeropark bench import</c>: writes the demo park's readings (default 2,000 demo meters, of which 1,934 physical, × 7 days at
/// 15 minutes ≈ 1.3 M rows) to a <c>meter,timestamp,value</c> CSV file and measures, in one run and one after the other on the
/// same machine: (1) <c>zeropark import</c> as a whole process (this CLI spawned on a fresh SQLite file that holds only the
/// registry; start to exit), (2) <c>sqlite3</c>'s <c>.import</c> of the same file into a bare table of a fresh file (when
/// <c>sqlite3</c> is on PATH; start to exit), (3) the in-process ingest of the same readings (<see cref="Readings.ReadingStore.IngestAsync"/>,
/// one batch per day, generation excluded). Both imports start a process, so both pay start-up; the ingest pays none.
/// </summary>
internal static class ImportBench
{
    internal sealed record ImportBenchResult(int Meters, int Days, long Readings, long FileBytes,
        double ImportS, double ImportPerS, double? ImportCpuS, long ImportAccepted,
        double? Sqlite3S, double? Sqlite3PerS, double? Sqlite3CpuS,
        double IngestS, double IngestPerS,
        double? ImportVsSqlite3, double ImportVsIngest);

    public static Command Create()
    {
        var meters = new Option<int>("--meters") { DefaultValueFactory = _ => 2000, Description = "demo meters (2,000 → 1,934 physical meters with readings)" };
        var days = new Option<int>("--days") { DefaultValueFactory = _ => 7 };
        var dir = new Option<string?>("--dir") { Description = "directory for the CSV and SQLite files (default: a temp dir, deleted afterwards)" };
        var format = new Option<string>("--format") { DefaultValueFactory = _ => "table" };
        var cmd = new Command("import", "benchmark `zeropark import` of a generated CSV (whole process) against sqlite3 .import and the in-process ingest")
        {
            meters, days, dir, format,
        };
        cmd.SetAction(async (pr, ct) =>
        {
            var json = pr.GetValue(format) == "json";
            var r = await RunAsync(new DemoOptions("bench", pr.GetValue(meters), null, pr.GetValue(days)), pr.GetValue(dir), json ? TextWriter.Null : Console.Error, ct);
            if (json) Output.WriteJson(r);
            else Print(r);
            return 0;
        });
        return cmd;
    }

    private static void Print(ImportBenchResult r)
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"{r.Readings:N0} readings ({r.Meters} meters × {r.Days} days), CSV {r.FileBytes / 1e6:0.0} MB"));
        Console.WriteLine(string.Create(c, $"zeropark import (whole process): {r.ImportPerS:N0} readings/s ({r.ImportS:0.00} s, CPU {r.ImportCpuS:0.00} s, {r.ImportAccepted:N0} accepted)"));
        Console.WriteLine(r.Sqlite3PerS is { } s3
            ? string.Create(c, $"sqlite3 .import (whole process):  {s3:N0} rows/s ({r.Sqlite3S:0.00} s, CPU {r.Sqlite3CpuS:0.00} s); zeropark import = {r.ImportVsSqlite3:P0} of it")
            : "sqlite3 .import: skipped (sqlite3 is not on PATH)");
        Console.WriteLine(string.Create(c, $"in-process ingest:               {r.IngestPerS:N0} readings/s ({r.IngestS:0.00} s); zeropark import = {r.ImportVsIngest:P0} of it"));
    }

    internal static async Task<ImportBenchResult> RunAsync(DemoOptions options, string? dir, TextWriter log, CancellationToken ct)
    {
        var demo = new DemoPark(options);
        var tempDir = dir ?? Path.Combine(Path.GetTempPath(), "zeropark-import-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(tempDir);
        var csv = Path.Combine(tempDir, "readings.csv");
        var importDb = Path.Combine(tempDir, "import.db");
        var sqlite3Db = Path.Combine(tempDir, "sqlite3.db");
        var ingestDb = Path.Combine(tempDir, "ingest.db");
        foreach (var f in Directory.GetFiles(tempDir, "*.db*")) File.Delete(f);
        try
        {
            // ---- the file (the demo's meter replacement is left out: a CSV cannot state it)
            log.WriteLine($"writing {options.Days} days × {demo.PhysicalMeters} meters to {csv}…");
            var days = new List<ZeroPark.Metering.RawPoint[]>();
            long readings = 0;
            await using (var w = new StreamWriter(csv, false, new UTF8Encoding(false), 1 << 20))
            {
                await w.WriteAsync("meter,timestamp,value\n");
                var sb = new StringBuilder(1 << 16);
                foreach (var day in DemoReadings.Generate(demo))
                {
                    days.Add(day.Points);
                    foreach (var p in day.Points)
                    {
                        sb.Append(p.MeterCode).Append(',')
                          .Append(p.Timestamp.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)).Append(',')
                          .Append(p.Value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
                        if (sb.Length > (1 << 16) - 128) { await w.WriteAsync(sb, ct); sb.Clear(); }
                    }
                    readings += day.Points.Length;
                }
                await w.WriteAsync(sb, ct);
            }
            var fileBytes = new FileInfo(csv).Length;

            // ---- (1) zeropark import, whole process, on a fresh file that holds only the registry
            await using (var s = await ZeroParkStore.OpenAsync(importDb, ct: ct)) await demo.CreateRegistryAsync(s, ct);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (dir is not null) File.Copy(importDb, Path.Combine(tempDir, "registry.db"), overwrite: true);   // to import again by hand
            log.WriteLine("zeropark import…");
            var (exe, prefix) = SelfCommand();
            var (importS, importCpuS, importOut) = await RunProcess(exe, [.. prefix, "import", "--db", importDb, "--park", options.ParkCode, csv, "--format", "json"], null, ct);
            long accepted = JsonDocument.Parse(importOut).RootElement.GetProperty("accepted").GetInt64();
            log.WriteLine($"  {readings / importS:N0} readings/s");

            // ---- (2) sqlite3 .import into a bare table of a fresh file
            double? sqlite3S = null, sqlite3CpuS = null;
            if (OnPath("sqlite3") is { } sqlite3)
            {
                log.WriteLine("sqlite3 .import…");
                var script = $".mode csv\nCREATE TABLE bare (meter TEXT NOT NULL, timestamp TEXT NOT NULL, value REAL NOT NULL);\n.import --skip 1 '{csv.Replace("'", "''")}' bare\n";
                var (s3, cpu, _) = await RunProcess(sqlite3, [sqlite3Db], script, ct);
                (sqlite3S, sqlite3CpuS) = (s3, cpu);
                log.WriteLine($"  {readings / s3:N0} rows/s");
            }

            // ---- (3) the in-process ingest of the same readings, one batch per day
            log.WriteLine("in-process ingest…");
            var sw = new Stopwatch();
            await using (var store = await ZeroParkStore.OpenAsync(ingestDb, ct: ct))
            {
                await demo.CreateRegistryAsync(store, ct);
                var source = new IngestSource("bench", "bench");
                foreach (var points in days)
                {
                    sw.Start();
                    await store.Readings.IngestAsync(options.ParkCode, points, source, ct: ct);
                    sw.Stop();
                }
            }
            var ingestS = sw.Elapsed.TotalSeconds;
            log.WriteLine($"  {readings / ingestS:N0} readings/s");

            double importPerS = readings / importS, ingestPerS = readings / ingestS;
            double? sqlite3PerS = sqlite3S is { } x ? readings / x : null;
            return new ImportBenchResult(demo.PhysicalMeters, options.Days, readings, fileBytes,
                Math.Round(importS, 3), Math.Round(importPerS), importCpuS, accepted,
                sqlite3S is { } y ? Math.Round(y, 3) : null, sqlite3PerS is { } z ? Math.Round(z) : null, sqlite3CpuS,
                Math.Round(ingestS, 3), Math.Round(ingestPerS),
                sqlite3PerS is { } q ? Math.Round(importPerS / q, 3) : null, Math.Round(importPerS / ingestPerS, 3));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (dir is null) Directory.Delete(tempDir, recursive: true);
        }
    }

    /// <summary>How to start this CLI again: its apphost, or <c>dotnet exec zeropark.dll</c>.</summary>
    private static (string Exe, string[] Prefix) SelfCommand()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell how this CLI was started");
        return Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? (process, ["exec", typeof(ImportBench).Assembly.Location])
            : (process, []);
    }

    private static string? OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    /// <summary>Starts a process and waits for it to exit: seconds from start to exit, its CPU seconds (user + system; through
    /// bash's <c>times</c>, null without /bin/bash) and its standard output. On a shared machine the CPU seconds are the steadier figure.</summary>
    private static async Task<(double Seconds, double? CpuSeconds, string Stdout)> RunProcess(string exe, string[] args, string? stdin, CancellationToken ct)
    {
        const string bash = "/bin/bash";
        var withTimes = File.Exists(bash);
        var psi = new ProcessStartInfo(withTimes ? bash : exe) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin is not null, UseShellExecute = false };
        if (withTimes)
            foreach (var a in (string[])["-c", "\"$@\"; rc=$?; times >&2; exit $rc", "_", exe]) psi.ArgumentList.Add(a);
        foreach (var a in args) psi.ArgumentList.Add(a);
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {exe}");
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        if (stdin is not null)
        {
            await p.StandardInput.WriteAsync(stdin);
            p.StandardInput.Close();
        }
        await p.WaitForExitAsync(ct);
        sw.Stop();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(exe)} exited with {p.ExitCode}: {(await stderr).Trim()}");
        return (sw.Elapsed.TotalSeconds, withTimes ? ChildCpu(await stderr) : null, await stdout);
    }

    /// <summary>The children's line of bash's <c>times</c> (the last line: <c>0m2.345s 0m0.456s</c>): user + system seconds.</summary>
    private static double? ChildCpu(string stderr)
    {
        var last = stderr.TrimEnd().Split('\n')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        double total = 0;
        foreach (var t in last)
        {
            int m = t.IndexOf('m');
            if (m < 0 || !t.EndsWith('s') || !int.TryParse(t[..m], CultureInfo.InvariantCulture, out var min)
                || !double.TryParse(t[(m + 1)..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var sec))
                return null;
            total += min * 60 + sec;
        }
        return last.Length == 2 ? Math.Round(total, 3) : null;
    }
}
