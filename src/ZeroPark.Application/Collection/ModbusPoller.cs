using Microsoft.Extensions.Logging;
using ZeroPark.Collection;
using ZeroPark.Metering;

namespace ZeroPark.Application.Collection;

/// <summary>
/// Polls one Modbus TCP device on its interval, aligned to the clock (a 15 s device is read at :00, :15, :30, :45), and ingests
/// each poll's readings through <see cref="ZeroParkStore.IngestAsync"/> in one transaction, stamped with the poll's scheduled
/// instant (so a repeated poll of the same instant is a duplicate, never a second reading). Points of one table that lie within
/// 125 registers of each other are read with one request. A request that fails is retried (<see cref="ModbusDevice.Retries"/>
/// times, reconnecting); a point whose registers cannot be read or decode to no finite number is an error of the device's health
/// with the last message, and the other points of the poll are still stored.
/// </summary>
public sealed class ModbusPoller(ModbusDevice device, ZeroParkStore store, ILogger log)
{
    /// <summary>Reads that cover the map: (table, start, count, points with their offsets).</summary>
    public static List<(RegisterTable Table, int Start, int Count, List<(ModbusPoint Point, int Offset)> Points)> PlanReads(IReadOnlyList<ModbusPoint> map)
    {
        var reads = new List<(RegisterTable, int, int, List<(ModbusPoint, int)>)>();
        foreach (var group in map.GroupBy(p => p.Table))
        {
            (RegisterTable Table, int Start, int End, List<(ModbusPoint, int)> Points)? cur = null;
            foreach (var p in group.OrderBy(p => p.Address))
            {
                var end = p.Address + p.Count;
                if (cur is { } c && end - c.Start <= ModbusFrame.MaxRegisters)
                {
                    c.Points.Add((p, p.Address - c.Start));
                    cur = c with { End = Math.Max(c.End, end) };
                }
                else
                {
                    if (cur is { } done) reads.Add((done.Table, done.Start, done.End - done.Start, done.Points));
                    cur = (p.Table, p.Address, end, [(p, 0)]);
                }
            }
            if (cur is { } last) reads.Add((last.Table, last.Start, last.End - last.Start, last.Points));
        }
        return reads;
    }

    public async Task RunAsync(CancellationToken ct)
    {
        await using var client = new ModbusTcpClient(device.Host, device.Port, TimeSpan.FromMilliseconds(device.TimeoutMs));
        var reads = PlanReads(device.Map);
        var interval = Math.Max(1, device.IntervalSeconds);
        while (!ct.IsCancellationRequested)
        {
            var now = store.Clock.GetUtcNow().ToUnixTimeSeconds();
            var next = (now / interval + 1) * interval;
            var wait = DateTimeOffset.FromUnixTimeSeconds(next) - store.Clock.GetUtcNow();
            try { await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, store.Clock, ct); }
            catch (OperationCanceledException) { break; }
            try
            {
                await PollAsync(client, reads, DateTimeOffset.FromUnixTimeSeconds(next), ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                log.LogWarning("modbus {Device}: poll failed: {Reason}", device.Code, e.Message);
                await Health(0, 1, $"poll: {e.Message}", CancellationToken.None);
            }
        }
    }

    /// <summary>One poll at the scheduled instant <paramref name="at"/>: reads, decodes, ingests, records health. Returns the
    /// number of readings stored and the errors.</summary>
    public async Task<(int Stored, int Errors)> PollAsync(ModbusTcpClient client, List<(RegisterTable Table, int Start, int Count, List<(ModbusPoint Point, int Offset)> Points)> reads,
        DateTimeOffset at, CancellationToken ct)
    {
        var points = new List<RawPoint>();
        var errors = 0;
        string? lastError = null;
        foreach (var (table, start, count, members) in reads)
        {
            ushort[]? regs = null;
            Exception? failure = null;
            for (var attempt = 0; attempt <= device.Retries && regs is null; attempt++)
            {
                try
                {
                    regs = await client.ReadAsync((byte)device.UnitId, table == RegisterTable.Holding ? ModbusFunction.ReadHoldingRegisters : ModbusFunction.ReadInputRegisters,
                        (ushort)start, (ushort)count, ct);
                }
                catch (Exception e) when (e is TimeoutException or IOException or System.Net.Sockets.SocketException or ModbusException or EndOfStreamException)
                {
                    failure = e;
                    if (e is ModbusException { ExceptionCode: not null }) break; // the device answered: asking again gives the same answer
                }
            }
            if (regs is null)
            {
                errors += members.Count;
                lastError = $"{RegisterDecoding.Code(table)} registers {start}..{start + count - 1}: {failure?.Message} (after {device.Retries + 1} attempt(s))";
                log.LogWarning("modbus {Device}: {Error}", device.Code, lastError);
                continue;
            }
            foreach (var (p, offset) in members)
            {
                var v = RegisterDecoding.Decode(regs.AsSpan(offset, p.Count), p.Type, p.WordOrder, p.ByteOrder, p.Scale);
                if (!double.IsFinite(v))
                {
                    errors++;
                    lastError = $"meter {p.Meter}: registers at {p.Address} decode to {v} ({RegisterDecoding.Code(p.Type)})";
                    continue;
                }
                points.Add(new RawPoint(p.Meter, at, v, points.Count + 1));
            }
        }
        var stored = 0;
        if (points.Count > 0)
        {
            var summary = await store.Readings.IngestAsync(device.Park, points, new IngestSource("modbus", "modbus:" + device.Code), detail: false, ct);
            stored = summary.Accepted + summary.Duplicates + summary.Corrected;
            foreach (var r in summary.Rejected)
            {
                errors++;
                lastError = $"meter {points[r.Line - 1].MeterCode}: {r.Reason}";
                log.LogWarning("modbus {Device}: reading rejected: {Reason}", device.Code, lastError);
            }
        }
        await Health(stored, errors, lastError, ct);
        return (stored, errors);
    }

    private async Task Health(int readings, int errors, string? lastError, CancellationToken ct)
    {
        try
        {
            var park = await store.Registry.GetParkAsync(device.Park, ct);
            await store.Collection.RecordHealthAsync(device.SourceKey, park.Id.Value, "modbus", device.Code, device.IntervalSeconds, readings, errors, lastError, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning("modbus {Device}: health not recorded: {Reason}", device.Code, e.Message);
        }
    }
}
