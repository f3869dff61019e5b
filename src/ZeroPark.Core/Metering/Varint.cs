namespace ZeroPark.Metering;

/// <summary>
/// LEB128 unsigned varints and zig-zag signed integers, the integer encoding of the compact stored formats
/// (<see cref="ReadingChunk"/>, <see cref="HourBlock"/>). Written here (a dozen lines) rather than pulled from a library: the BCL's
/// <c>BinaryWriter.Write7BitEncodedInt64</c> needs a stream per value, which the span-based encoders avoid.
/// </summary>
internal static class Varint
{
    public static ulong ZigZag(int v) => (ulong)(uint)((v << 1) ^ (v >> 31));

    public static int UnZigZag(ulong v) => (int)((uint)v >> 1) ^ -(int)((uint)v & 1);

    /// <summary>Writes <paramref name="v"/> at the start of <paramref name="span"/>; returns the bytes written (1–10).</summary>
    public static int Write(Span<byte> span, ulong v)
    {
        var i = 0;
        while (v >= 0x80)
        {
            span[i++] = (byte)(v | 0x80);
            v >>= 7;
        }
        span[i++] = (byte)v;
        return i;
    }

    /// <summary>The bytes <see cref="Write"/> takes for <paramref name="v"/> (1–10).</summary>
    public static int Size(ulong v) => (63 - System.Numerics.BitOperations.LeadingZeroCount(v | 1)) / 7 + 1;

    /// <summary>Reads a varint at <paramref name="pos"/> and advances it; <paramref name="format"/> names the data in the error.</summary>
    public static ulong Read(ReadOnlySpan<byte> span, ref int pos, string format)
    {
        ulong v = 0;
        var shift = 0;
        while (true)
        {
            var b = span[pos++];
            v |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return v;
            shift += 7;
            if (shift > 63) throw new FormatException($"corrupt {format}: varint too long");
        }
    }
}
