using System.Buffers.Binary;

namespace ZeroPark.Metering;

/// <summary>
/// Compact storage of one meter's readings for one park-local day (the day containing ts − 1 s, the same key as the
/// daily rollup): one row per meter-day instead of one row per reading (96 at 15-minute resolution).
/// <para>Encoding, per reading in time order: the instant as a varint difference from the previous reading's instant
/// (the first from 0), one flags byte, the raw value and the delta as IEEE doubles (little endian), then — only for a
/// replacement — the old meter's final value. Flags above bit 7 (suspected reset and later ones) are marked by setting both
/// <c>negative</c> and <c>jump</c> in the flags byte (a combination no reading has) and follow in a second byte: its low six
/// bits are flags bits 8–13, bits 6 and 7 the real <c>negative</c> and <c>jump</c>. Chunks without such readings are
/// unchanged. About 19 bytes a reading instead of a ~35-byte row plus index entry.</para>
/// Written by hand because the format is tiny and must be byte-identical on SQLite and PostgreSQL.
/// </summary>
public static class ReadingChunk
{
    public static byte[] Encode(IReadOnlyList<StoredReading> readings)
    {
        // Sized exactly first (the encoder runs for every meter-day of every batch: one allocation, no copy).
        var size = 0;
        long prev = 0;
        for (var i = 0; i < readings.Count; i++)
        {
            var r = readings[i];
            if (r.Ts < prev) throw new ArgumentException("readings must be in time order", nameof(readings));
            size += Varint.Size((ulong)(r.Ts - prev)) + 17 + ((r.Flags & ReadingFlags.Replacement) != 0 ? 8 : 0) + ((int)r.Flags > 0xFF ? 1 : 0);
            prev = r.Ts;
        }
        var buffer = new byte[size];
        var pos = 0;
        prev = 0;
        for (var i = 0; i < readings.Count; i++)
        {
            var r = readings[i];
            pos += Varint.Write(buffer.AsSpan(pos), (ulong)(r.Ts - prev));
            prev = r.Ts;
            var f = (int)r.Flags;
            if (f > 0xFF)
            {
                if (f > 0x3FFF) throw new ArgumentException($"flags {r.Flags} do not fit a reading chunk", nameof(readings));
                buffer[pos++] = (byte)((f & 0xF9) | 0x06);
                buffer[pos++] = (byte)((f >> 8) | ((f & 2) << 5) | ((f & 4) << 5));
            }
            else buffer[pos++] = (byte)f;
            BinaryPrimitives.WriteDoubleLittleEndian(buffer.AsSpan(pos), r.Value);
            BinaryPrimitives.WriteDoubleLittleEndian(buffer.AsSpan(pos + 8), r.Delta);
            pos += 16;
            if ((r.Flags & ReadingFlags.Replacement) != 0)
            {
                BinaryPrimitives.WriteDoubleLittleEndian(buffer.AsSpan(pos), r.OldFinal ?? double.NaN);
                pos += 8;
            }
        }
        return buffer;
    }

    /// <summary>Decodes a chunk, appending its readings (in time order) to <paramref name="into"/>.</summary>
    public static void Decode(ReadOnlySpan<byte> data, List<StoredReading> into)
    {
        var pos = 0;
        long ts = 0;
        while (pos < data.Length)
        {
            ts += (long)Varint.Read(data, ref pos, "reading chunk");
            int b = data[pos++];
            if ((b & 0x06) == 0x06)
            {
                int x = data[pos++];
                b = (b & 0xF9) | ((x & 0x3F) << 8) | ((x >> 5) & 0x06);
            }
            var flags = (ReadingFlags)b;
            var value = BinaryPrimitives.ReadDoubleLittleEndian(data[pos..]);
            var delta = BinaryPrimitives.ReadDoubleLittleEndian(data[(pos + 8)..]);
            pos += 16;
            double? oldFinal = null;
            if ((flags & ReadingFlags.Replacement) != 0)
            {
                var f = BinaryPrimitives.ReadDoubleLittleEndian(data[pos..]);
                pos += 8;
                oldFinal = double.IsNaN(f) ? null : f;
            }
            into.Add(new StoredReading(ts, value, delta, flags, oldFinal));
        }
    }

    public static List<StoredReading> Decode(ReadOnlySpan<byte> data)
    {
        var list = new List<StoredReading>(data.Length / 19 + 1);
        Decode(data, list);
        return list;
    }

    /// <summary>Merges changed or new readings into a chunk's readings (same instant: the new one wins).</summary>
    public static List<StoredReading> Merge(IReadOnlyList<StoredReading> existing, IEnumerable<StoredReading> changes)
    {
        var map = new SortedDictionary<long, StoredReading>();
        foreach (var r in existing) map[r.Ts] = r;
        foreach (var r in changes) map[r.Ts] = r;
        return [.. map.Values];
    }
}
