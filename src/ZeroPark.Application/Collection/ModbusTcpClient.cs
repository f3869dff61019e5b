using System.Net.Sockets;
using ZeroPark.Collection;

namespace ZeroPark.Application.Collection;

/// <summary>
/// A small Modbus TCP client for function codes 03 (read holding registers) and 04 (read input registers): no Modbus library is
/// served to this project, so ZeroPark carries its own (frames in <see cref="ModbusFrame"/>, Core). One request at a time over
/// one connection; every request has a deadline (<see cref="Timeout"/>); after any failure the connection is dropped and the
/// next request reconnects. Tested against pymodbus's server.
/// </summary>
public sealed class ModbusTcpClient(string host, int port, TimeSpan timeout) : IAsyncDisposable
{
    private TcpClient? _tcp;
    private NetworkStream? _stream;
    private ushort _tid;

    public TimeSpan Timeout { get; } = timeout;

    /// <summary>Reads <paramref name="count"/> registers from <paramref name="address"/>; throws <see cref="TimeoutException"/>,
    /// <see cref="ModbusException"/> or <see cref="IOException"/>/<see cref="SocketException"/>.</summary>
    public async Task<ushort[]> ReadAsync(byte unitId, ModbusFunction function, ushort address, ushort count, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(Timeout);
        try
        {
            var stream = await ConnectAsync(deadline.Token);
            var tid = ++_tid;
            await stream.WriteAsync(ModbusFrame.ReadRequest(tid, unitId, function, address, count), deadline.Token);
            var header = new byte[ModbusFrame.HeaderLength];
            while (true)
            {
                await stream.ReadExactlyAsync(header, deadline.Token);
                var (answerTid, answerUnit, length) = ModbusFrame.ReadHeader(header);
                var pdu = new byte[length];
                await stream.ReadExactlyAsync(pdu, deadline.Token);
                // A late answer to an earlier (timed-out) request on this connection: skip it.
                if (answerTid != tid) continue;
                if (answerUnit != unitId) throw new ModbusException($"answer from unit {answerUnit}, asked unit {unitId}");
                return ModbusFrame.ReadResponse(pdu, function, count);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            Drop();
            throw new TimeoutException($"no answer from {host}:{port} within {Timeout.TotalMilliseconds:0} ms");
        }
        catch (Exception e) when (e is IOException or SocketException or EndOfStreamException or ModbusException)
        {
            Drop();
            throw;
        }
    }

    private async Task<NetworkStream> ConnectAsync(CancellationToken ct)
    {
        if (_stream is not null && _tcp is { Connected: true }) return _stream;
        Drop();
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(host, port, ct);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
        _tcp = tcp;
        _stream = tcp.GetStream();
        return _stream;
    }

    private void Drop()
    {
        _stream?.Dispose();
        _tcp?.Dispose();
        _stream = null;
        _tcp = null;
    }

    public ValueTask DisposeAsync()
    {
        Drop();
        return ValueTask.CompletedTask;
    }
}
