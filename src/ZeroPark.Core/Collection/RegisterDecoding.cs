using System.Buffers.Binary;
using System.Globalization;

namespace ZeroPark.Collection;

/// <summary>How a value is laid out in registers.</summary>
public enum RegisterType { Int16, UInt16, Int32, UInt32, Int64, UInt64, Float32, Float64 }

/// <summary>Which Modbus table a point is read from.</summary>
public enum RegisterTable { Holding, Input }

/// <summary>
/// Register order and byte order of multi-register values. Word order <c>big</c>: the first register holds the most significant
/// word (the Modbus convention, "ABCD"); <c>little</c>: the first register holds the least significant word ("CDAB"). Byte order
/// <c>big</c>: each register is high byte first, as the protocol sends it; <c>little</c>: the two bytes of each register are
/// swapped ("BADC" with big word order, "DCBA" with little).
/// </summary>
public enum WordOrder { Big, Little }

/// <summary>Pure decoding of register values into numbers (see <see cref="WordOrder"/>).</summary>
public static class RegisterDecoding
{
    /// <summary>Registers a value of <paramref name="type"/> occupies.</summary>
    public static int Count(RegisterType type) => type switch
    {
        RegisterType.Int16 or RegisterType.UInt16 => 1,
        RegisterType.Int32 or RegisterType.UInt32 or RegisterType.Float32 => 2,
        _ => 4,
    };

    /// <summary>Decodes the first <see cref="Count"/> registers of <paramref name="regs"/> as <paramref name="type"/>; the result
    /// is multiplied by <paramref name="scale"/>. NaN or infinite floats come back as they are (the caller refuses them).</summary>
    public static double Decode(ReadOnlySpan<ushort> regs, RegisterType type, WordOrder words, WordOrder bytes, double scale = 1)
    {
        var n = Count(type);
        if (regs.Length < n) throw new ArgumentException($"{type} needs {n} registers, got {regs.Length}");
        // Normalise into big-endian bytes, most significant first.
        Span<byte> b = stackalloc byte[8];
        for (var i = 0; i < n; i++)
        {
            var r = regs[words == WordOrder.Big ? i : n - 1 - i];
            if (bytes == WordOrder.Little) r = (ushort)((r >> 8) | (r << 8));
            BinaryPrimitives.WriteUInt16BigEndian(b[(2 * i)..], r);
        }
        double v = type switch
        {
            RegisterType.Int16 => BinaryPrimitives.ReadInt16BigEndian(b),
            RegisterType.UInt16 => BinaryPrimitives.ReadUInt16BigEndian(b),
            RegisterType.Int32 => BinaryPrimitives.ReadInt32BigEndian(b),
            RegisterType.UInt32 => BinaryPrimitives.ReadUInt32BigEndian(b),
            RegisterType.Int64 => BinaryPrimitives.ReadInt64BigEndian(b),
            RegisterType.UInt64 => BinaryPrimitives.ReadUInt64BigEndian(b),
            RegisterType.Float32 => BinaryPrimitives.ReadSingleBigEndian(b),
            _ => BinaryPrimitives.ReadDoubleBigEndian(b),
        };
        return v * scale;
    }

    /// <summary>The registers that hold <paramref name="value"/> as <paramref name="type"/> (the inverse of <see cref="Decode"/>
    /// without scale; used by tests and the example maps' documentation).</summary>
    public static ushort[] Encode(double value, RegisterType type, WordOrder words, WordOrder bytes)
    {
        var n = Count(type);
        Span<byte> b = stackalloc byte[8];
        switch (type)
        {
            case RegisterType.Int16: BinaryPrimitives.WriteInt16BigEndian(b, checked((short)value)); break;
            case RegisterType.UInt16: BinaryPrimitives.WriteUInt16BigEndian(b, checked((ushort)value)); break;
            case RegisterType.Int32: BinaryPrimitives.WriteInt32BigEndian(b, checked((int)value)); break;
            case RegisterType.UInt32: BinaryPrimitives.WriteUInt32BigEndian(b, checked((uint)value)); break;
            case RegisterType.Int64: BinaryPrimitives.WriteInt64BigEndian(b, checked((long)value)); break;
            case RegisterType.UInt64: BinaryPrimitives.WriteUInt64BigEndian(b, checked((ulong)value)); break;
            case RegisterType.Float32: BinaryPrimitives.WriteSingleBigEndian(b, (float)value); break;
            default: BinaryPrimitives.WriteDoubleBigEndian(b, value); break;
        }
        var regs = new ushort[n];
        for (var i = 0; i < n; i++)
        {
            var r = BinaryPrimitives.ReadUInt16BigEndian(b[(2 * i)..]);
            if (bytes == WordOrder.Little) r = (ushort)((r >> 8) | (r << 8));
            regs[words == WordOrder.Big ? i : n - 1 - i] = r;
        }
        return regs;
    }

    public static string Code(RegisterType t) => t.ToString().ToLowerInvariant();
    public static string Code(RegisterTable t) => t == RegisterTable.Holding ? "holding" : "input";
    public static string Code(WordOrder o) => o == WordOrder.Big ? "big" : "little";

    public static bool TryType(string s, out RegisterType t)
    {
        t = default;
        switch (s.Trim().ToLowerInvariant())
        {
            case "int16": t = RegisterType.Int16; return true;
            case "uint16": t = RegisterType.UInt16; return true;
            case "int32": t = RegisterType.Int32; return true;
            case "uint32": t = RegisterType.UInt32; return true;
            case "int64": t = RegisterType.Int64; return true;
            case "uint64": t = RegisterType.UInt64; return true;
            case "float32" or "float": t = RegisterType.Float32; return true;
            case "float64" or "double": t = RegisterType.Float64; return true;
            default: return false;
        }
    }

    public static bool TryTable(string s, out RegisterTable t)
    {
        t = default;
        switch (s.Trim().ToLowerInvariant())
        {
            case "holding" or "03" or "3": t = RegisterTable.Holding; return true;
            case "input" or "04" or "4": t = RegisterTable.Input; return true;
            default: return false;
        }
    }

    public static bool TryOrder(string s, out WordOrder o)
    {
        o = default;
        switch (s.Trim().ToLowerInvariant())
        {
            case "big" or "be" or "": o = WordOrder.Big; return true;
            case "little" or "le" or "swap": o = WordOrder.Little; return true;
            default: return false;
        }
    }

    public static string Show(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
