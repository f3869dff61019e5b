using System.Diagnostics;
using System.Globalization;

namespace ZeroPark.Application.Readings;

/// <summary>
/// Opt-in phase timings of the ingest path for performance work: with <c>ZEROPARK_INGEST_PROFILE=1</c> in the environment,
/// each phase's wall time and the process's CPU time are summed over all batches and printed to stderr when the process
/// exits (e.g. after <c>zeropark bench</c>). Off by default: then every call is a single branch. Meaningful when one batch
/// is ingested at a time, as the bench does.
/// </summary>
internal static class IngestTimings
{
    private static readonly bool Enabled = Environment.GetEnvironmentVariable("ZEROPARK_INGEST_PROFILE") == "1";
    private static readonly Dictionary<string, (double Wall, double Cpu, double AllocMb, int Gcs)> Totals = [];
    private static readonly List<string> Order = [];
    private static long _lastWall;
    private static TimeSpan _lastCpu;
    private static long _lastAlloc;
    private static int _lastGcs;

    static IngestTimings()
    {
        if (!Enabled) return;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            lock (Timeline)
            {
                if (Timeline.Count > 0) Console.Error.WriteLine("moment since process start  wall ms     cpu ms   alloc MB   gen0 GCs");
                foreach (var line in Timeline) Console.Error.WriteLine(line);
            }
            lock (Totals)
            {
                Console.Error.WriteLine("ingest phase            wall ms     cpu ms   alloc MB   gen0 GCs");
                foreach (var k in Order)
                {
                    var t = Totals[k];
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{k,-20} {t.Wall,10:F0} {t.Cpu,10:F0} {t.AllocMb,10:F0} {t.Gcs,10}"));
                }
            }
        };
    }

    private static readonly List<string> Timeline = [];

    /// <summary>Notes a moment of the whole process (e.g. of a file import): wall seconds since the process started and its CPU
    /// seconds so far, printed at exit before the phase table.</summary>
    public static void Stamp(string name)
    {
        if (!Enabled) return;
        using var p = Process.GetCurrentProcess();
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{name,-28} {(DateTime.Now - p.StartTime).TotalMilliseconds,10:F0} {p.TotalProcessorTime.TotalMilliseconds,10:F0} {GC.GetTotalAllocatedBytes() / 1048576.0,10:F0} {GC.CollectionCount(0),10}");
        lock (Timeline) Timeline.Add(line);
    }

    /// <summary>Starts timing a batch.</summary>
    public static void Start()
    {
        if (!Enabled) return;
        _lastWall = Stopwatch.GetTimestamp();
        _lastCpu = Process.GetCurrentProcess().TotalProcessorTime;
        _lastAlloc = GC.GetTotalAllocatedBytes();
        _lastGcs = GC.CollectionCount(0);
    }

    /// <summary>Ends the phase <paramref name="name"/> (the time since the previous mark) and starts the next.</summary>
    public static void Mark(string name)
    {
        if (!Enabled) return;
        var wall = Stopwatch.GetTimestamp();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var alloc = GC.GetTotalAllocatedBytes();
        var gcs = GC.CollectionCount(0);
        lock (Totals)
        {
            if (!Totals.TryGetValue(name, out var t)) Order.Add(name);
            Totals[name] = (t.Wall + Stopwatch.GetElapsedTime(_lastWall, wall).TotalMilliseconds, t.Cpu + (cpu - _lastCpu).TotalMilliseconds,
                t.AllocMb + (alloc - _lastAlloc) / 1048576.0, t.Gcs + gcs - _lastGcs);
        }
        _lastWall = wall;
        _lastCpu = cpu;
        _lastAlloc = alloc;
        _lastGcs = gcs;
    }
}
