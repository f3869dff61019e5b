using System.Globalization;
using Dapper;
using ZeroPark.Domain;
using ZeroPark.Metering;
using ZeroPark.Application;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.Storage;

/// <summary>
/// Whatever the order and batching in which readings arrive, the store ends in the state of one import in time order:
/// readings (values, flags, deltas), hourly blocks with their day totals, monthly rollups, meter states and the list of
/// suspected resets. A seeded, bounded property test on SQLite and PostgreSQL: each run is a fresh database, created the
/// same way, so meter and series ids match and the raw tables can be compared row by row.
/// </summary>
public abstract class ArrivalOrderSuite
{
    protected abstract string NewDatabase();

    private const int Runs = 8;

    private static async Task<ZeroParkStore> NewStore(string db)
    {
        var store = await ZeroParkStore.OpenAsync(db);
        await store.Registry.CreateParkAsync(new ParkDraft("p1", "Park One"));
        await store.Registry.CreateSpaceAsync("p1", new SpaceDraft("b1", "Building 1", null));
        await store.Registry.CreateMetersAsync("p1",
        [
            // A 4-digit register that rolls over and drops; a register with a plausible rate (jumps); an interval meter.
            new MeterDraft("reg", "Register", "electricity", "cumulative", "kWh") { RegisterMax = 10_000, IntervalMinutes = 60, SystemCode = "it", SpaceCode = "b1" },
            new MeterDraft("rate", "Rated", "electricity", "cumulative", "kWh") { MaxRatePerHour = 50, IntervalMinutes = 60, SystemCode = "it", SpaceCode = "b1" },
            new MeterDraft("iv", "Interval", "electricity", "interval", "kWh") { IntervalMinutes = 60, SystemCode = "cooling", SpaceCode = "b1" },
        ]);
        return store;
    }

    /// <summary>Hourly readings over Jan 31 – Feb 2 (a month boundary) with drops, a rollover, jumps, gaps and negatives.</summary>
    private static List<RawPoint> Readings()
    {
        var t0 = DateTimeOffset.Parse("2025-01-31T18:00:00+08:00", CultureInfo.InvariantCulture);
        var list = new List<RawPoint>();
        var rnd = new Random(7);
        double reg = 9_000, rate = 100;
        for (var h = 0; h < 40; h++)
        {
            var t = t0.AddHours(h);
            reg += 40 + rnd.Next(20);
            if (reg >= 10_000) reg -= 10_000;                 // rollover
            if (h == 28) reg = 30;                             // unannounced reset (a drop far from the top)
            var regValue = h == 25 ? 3 : reg;                  // a single glitch (a drop, then back up)
            if (h is not (7 or 8 or 30)) list.Add(new RawPoint("reg", t, regValue, 0)); // gaps
            rate += 10 + rnd.Next(10);
            if (h == 20) rate = 5;                             // drop
            if (h == 23) rate += 5_000;                        // a step up: a run of jumps longer than the first loaded tail
            list.Add(new RawPoint("rate", t, h == 15 ? rate + 5_000 : rate, 0)); // a jump
            if (h != 17) list.Add(new RawPoint("iv", t, h == 9 ? -4 : 5 + rnd.Next(5), 0));
        }
        for (var i = 0; i < list.Count; i++) list[i] = list[i] with { Line = i + 1 };
        return list;
    }

    private static async Task<List<string>> State(ZeroParkStore store)
    {
        var lines = new List<string>();
        await using var c = await store.OpenConnectionAsync();
        static string N(double v) => Math.Round(v, 6).ToString("R", CultureInfo.InvariantCulture);
        foreach (var (meter, day, data) in await c.QueryAsync<(long, long, byte[])>("SELECT meter_id, day, data FROM readings ORDER BY meter_id, day"))
            foreach (var r in ReadingChunk.Decode(data))
                lines.Add($"reading {meter} {day} {r.Ts} {N(r.Value)} {N(r.Delta)} {(int)r.Flags} {r.OldFinal}");
        foreach (var (s, day, data, sum, n, nflag, nest) in await c.QueryAsync<(long, long, byte[], double, long, long, long)>(
            "SELECT series_id, day, data, sum, n, nflag, nest FROM rollup_hours ORDER BY series_id, day"))
        {
            lines.Add($"day {s} {day} {N(sum)} {n} {nflag} {nest}");
            foreach (var h in HourBlock.Decode(data)) lines.Add($"hour {s} {h.Hour} {N(h.Sum)} {h.N} {h.NFlag} {h.NEst}");
        }
        foreach (var (s, b, sum, n, nflag, nest) in await c.QueryAsync<(long, long, double, long, long, long)>(
            "SELECT series_id, bucket, sum, n, nflag, nest FROM rollup_month ORDER BY series_id, bucket"))
            lines.Add($"month {s} {b} {N(sum)} {n} {nflag} {nest}");
        foreach (var (m, lt, lv, lf, bt, bv) in await c.QueryAsync<(long, long, double, long, long?, double?)>(
            "SELECT meter_id, last_ts, last_value, last_flags, base_ts, base_value FROM meter_state ORDER BY meter_id"))
            lines.Add($"state {m} {lt} {N(lv)} {lf} {bt} {bv}");
        foreach (var (m, ts, v) in await c.QueryAsync<(long, long, double)>("SELECT meter_id, ts, value FROM reset_suspects ORDER BY meter_id, ts"))
            lines.Add($"suspect {m} {ts} {N(v)}");
        return lines;
    }

    [Fact]
    public async Task Any_arrival_order_and_batching_ends_in_the_state_of_one_import_in_time_order()
    {
        var readings = Readings();
        List<string> expected;
        await using (var reference = await NewStore(NewDatabase()))
        {
            var s = await reference.Readings.IngestAsync("p1", readings, new IngestSource("test", "tester"));
            Assert.Empty(s.Rejected);
            expected = await State(reference);
        }
        // The reference itself has what the test is about: suspected resets (reg at h25 and h28, rate at h20), a rollover,
        // jumps and a negative interval value.
        Assert.Equal(3, expected.Count(l => l.StartsWith("suspect ", StringComparison.Ordinal)));
        // reg's glitch at h25 (3, and back up at h26 above h24's value): a suspected bad reading (flags 4096), the only one.
        Assert.Single(expected, l => l.StartsWith("reading ", StringComparison.Ordinal) && (int.Parse(l.Split(' ')[6], CultureInfo.InvariantCulture) & 4096) != 0);
        for (var seed = 1; seed <= Runs; seed++)
        {
            var rnd = new Random(seed);
            var shuffled = readings.OrderBy(_ => rnd.Next()).ToList();
            await using var store = await NewStore(NewDatabase());
            for (var i = 0; i < shuffled.Count;)
            {
                var n = Math.Min(shuffled.Count - i, 1 + rnd.Next(25));
                var s = await store.Readings.IngestAsync("p1", shuffled.GetRange(i, n), new IngestSource("test", "tester"));
                Assert.Empty(s.Rejected);
                i += n;
            }
            var actual = await State(store);
            Assert.True(expected.SequenceEqual(actual),
                $"seed {seed}: first difference: expected '{expected.Except(actual).FirstOrDefault()}', got '{actual.Except(expected).FirstOrDefault()}'");
        }
    }
}

public sealed class SqliteArrivalOrderTests : ArrivalOrderSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

public sealed class PostgresArrivalOrderTests : ArrivalOrderSuite
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL storage tests need ZEROPARK_TEST_PG; run ./scripts/test.sh (it starts a server on 127.0.0.1)")
        : TestDatabases.NewPostgresDatabase();
}
