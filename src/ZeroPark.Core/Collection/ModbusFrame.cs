using System.Buffers.Binary;

namespace ZeroPark.Collection;

/// <summary>Modbus function codes ZeroPark reads with.</summary>
public enum ModbusFunction : byte
{
    /// <summary>03 Read Holding Registers.</summary>
    ReadHoldingRegisters = 3,
    /// <summary>04 Read Input Registers.</summary>
    ReadInputRegisters = 4,
}

/// <summary>A Modbus exception response (function code | 0x80, then an exception code), or a malformed answer.</summary>
public sealed class ModbusException(string message, byte? exceptionCode = null) : Exception(message)
{
    /// <summary>The device's exception code (1 illegal function, 2 illegal data address, 3 illegal data value, 4 device failure, …);
    /// null when the answer itself was malformed.</summary>
    public byte? ExceptionCode { get; } = exceptionCode;
}

/// <summary>
/// The Modbus TCP (MBAP) frames of function codes 03 and 04, pure: building a read request and checking and decoding its
/// answer. No Modbus library is served to this project, so this small codec (and <c>ModbusTcpClient</c> in the application
/// layer, which moves the bytes) is written here and tested against the Modbus Application Protocol Specification V1.1b3 and a
/// real simulator (pymodbus). Layout: MBAP header = transaction id (2), protocol id 0 (2), length (2) = bytes that follow,
/// unit id (1); then the PDU: function (1), for a request start address (2) and quantity (2); for an answer a byte count (1)
/// and the registers, big-endian, 2 bytes each.
/// </summary>
public static class ModbusFrame
{
    /// <summary>The largest number of registers one 03/04 request may ask for (spec §6.3: 1 to 125).</summary>
    public const int MaxRegisters = 125;

    /// <summary>Length of the MBAP header including the unit id.</summary>
    public const int HeaderLength = 7;

    /// <summary>The 12 bytes of a read request.</summary>
    public static byte[] ReadRequest(ushort transactionId, byte unitId, ModbusFunction function, ushort address, ushort count)
    {
        if (count is 0 or > MaxRegisters) throw new ArgumentOutOfRangeException(nameof(count), $"{count} registers: a read asks for 1 to {MaxRegisters}");
        if (address + count > 0x10000) throw new ArgumentOutOfRangeException(nameof(address), $"registers {address}..{address + count - 1} pass 65535");
        var b = new byte[12];
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(0), transactionId);
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(2), 0);
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(4), 6);
        b[6] = unitId;
        b[7] = (byte)function;
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(8), address);
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(10), count);
        return b;
    }

    /// <summary>Reads an MBAP header: the transaction id, the unit id and how many PDU bytes follow the header (length − 1).</summary>
    public static (ushort TransactionId, byte UnitId, int PduLength) ReadHeader(ReadOnlySpan<byte> header)
    {
        if (header.Length < HeaderLength) throw new ModbusException($"MBAP header: {header.Length} bytes, expected {HeaderLength}");
        var protocol = BinaryPrimitives.ReadUInt16BigEndian(header[2..]);
        if (protocol != 0) throw new ModbusException($"MBAP header: protocol id {protocol}, expected 0 (Modbus)");
        var length = BinaryPrimitives.ReadUInt16BigEndian(header[4..]);
        if (length is < 2 or > 254) throw new ModbusException($"MBAP header: length {length} is outside 2..254");
        return (BinaryPrimitives.ReadUInt16BigEndian(header), header[6], length - 1);
    }

    /// <summary>Decodes the PDU of an answer to a read of <paramref name="count"/> registers with <paramref name="function"/>:
    /// the registers, or <see cref="ModbusException"/> for an exception response or a malformed answer.</summary>
    public static ushort[] ReadResponse(ReadOnlySpan<byte> pdu, ModbusFunction function, int count)
    {
        if (pdu.Length < 2) throw new ModbusException($"answer PDU of {pdu.Length} bytes is too short");
        if (pdu[0] == ((byte)function | 0x80))
            throw new ModbusException($"device answered exception {pdu[1]} ({ExceptionName(pdu[1])}) to function {(byte)function:00}", pdu[1]);
        if (pdu[0] != (byte)function) throw new ModbusException($"answer is for function {pdu[0]}, the request was {(byte)function:00}");
        var bytes = pdu[1];
        if (bytes != count * 2) throw new ModbusException($"answer has {bytes} data bytes, expected {count * 2} ({count} registers)");
        if (pdu.Length != 2 + bytes) throw new ModbusException($"answer PDU is {pdu.Length} bytes, its byte count says {2 + bytes}");
        var regs = new ushort[count];
        for (var i = 0; i < count; i++) regs[i] = BinaryPrimitives.ReadUInt16BigEndian(pdu[(2 + 2 * i)..]);
        return regs;
    }

    /// <summary>The name of a Modbus exception code (spec §7).</summary>
    public static string ExceptionName(byte code) => code switch
    {
        1 => "illegal function",
        2 => "illegal data address",
        3 => "illegal data value",
        4 => "server device failure",
        5 => "acknowledge",
        6 => "server device busy",
        10 => "gateway path unavailable",
        11 => "gateway target device failed to respond",
        _ => "unknown exception",
    };
}
