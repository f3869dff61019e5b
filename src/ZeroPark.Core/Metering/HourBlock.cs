using System.Buffers.Binary;

namespace ZeroPark.Metering;

/// <summary>One hourly rollup bucket of a series: <see cref="Hour"/> is the Unix instant of the local hour's start.</summary>
public record struct HourSlot(long Hour, double Sum, int N, int NFlag, int NEst);

/// <summary>
/// Compact storage of one series' hourly rollups for one park-local day: one row per series-day (the same key as the
/// daily rollup) instead of one row per hour. PostgreSQL maintains a B-tree entry per row, and 24 entries per series-day
/// made the hourly rollup the most expensive part of ingest; one row per day costs a twenty-fourth of that.
/// <para>Encoding, per hour in time order: the hour's instant as a varint difference from the previous hour's (the first
/// from 0), the sum as an IEEE double (little endian), then n, nflag and nest as zigzag varints. About 13 bytes an hour.</para>
/// Written by hand because the format must be byte-identical on SQLite and PostgreSQL.
/// </summary>
public static class HourBlock
{
    public static byte[] Encode(IReadOnlyList<HourSlot> slots)
    {
        // Sized exactly first: one allocation, no copy (a block is encoded for every series-day of every batch).
        var size = 0;
        long prev = 0;
        for (var i = 0; i < slots.Count; i++)
        {
            var s = slots[i];
            if (s.Hour <= prev && i > 0) throw new ArgumentException("hours must be distinct and in time order", nameof(slots));
            if (s.Hour < 0) throw new ArgumentException("hour instants before 1970 are not supported", nameof(slots));
            size += Varint.Size((ulong)(s.Hour - prev)) + 8 + Varint.Size(Varint.ZigZag(s.N)) + Varint.Size(Varint.ZigZag(s.NFlag)) + Varint.Size(Varint.ZigZag(s.NEst));
            prev = s.Hour;
        }
        var buffer = new byte[size];
        var pos = 0;
        prev = 0;
        for (var i = 0; i < slots.Count; i++)
        {
            var s = slots[i];
            pos += Varint.Write(buffer.AsSpan(pos), (ulong)(s.Hour - prev));
            prev = s.Hour;
            BinaryPrimitives.WriteDoubleLittleEndian(buffer.AsSpan(pos), s.Sum);
            pos += 8;
            pos += Varint.Write(buffer.AsSpan(pos), Varint.ZigZag(s.N));
            pos += Varint.Write(buffer.AsSpan(pos), Varint.ZigZag(s.NFlag));
            pos += Varint.Write(buffer.AsSpan(pos), Varint.ZigZag(s.NEst));
        }
        return buffer;
    }

    /// <summary>The day's total of a block's hours (stored beside the block: the daily rollup is that row, so a day's total
    /// is always the sum of its hours). <see cref="HourSlot.Hour"/> of the result is 0.</summary>
    public static HourSlot Total(IReadOnlyList<HourSlot> slots)
    {
        var t = default(HourSlot);
        for (var i = 0; i < slots.Count; i++)
        {
            var s = slots[i];
            t.Sum += s.Sum;
            t.N += s.N;
            t.NFlag += s.NFlag;
            t.NEst += s.NEst;
        }
        return t;
    }

    /// <summary>Decodes a block, appending its hours (in time order) to <paramref name="into"/>.</summary>
    public static void Decode(ReadOnlySpan<byte> data, List<HourSlot> into)
    {
        var pos = 0;
        long hour = 0;
        while (pos < data.Length)
        {
            hour += (long)Varint.Read(data, ref pos, "hour block");
            var sum = BinaryPrimitives.ReadDoubleLittleEndian(data[pos..]);
            pos += 8;
            var n = Varint.UnZigZag(Varint.Read(data, ref pos, "hour block"));
            var nflag = Varint.UnZigZag(Varint.Read(data, ref pos, "hour block"));
            var nest = Varint.UnZigZag(Varint.Read(data, ref pos, "hour block"));
            into.Add(new HourSlot(hour, sum, n, nflag, nest));
        }
    }

    public static List<HourSlot> Decode(ReadOnlySpan<byte> data)
    {
        var list = new List<HourSlot>(24);
        Decode(data, list);
        return list;
    }

    /// <summary>
    /// <see cref="Add(List{HourSlot}, in HourSlot)"/> for changes that mostly come in time order: the search walks forward from
    /// <paramref name="cursor"/> (just after the slot of the previous change; start at 0) and leaves it just after this
    /// change's slot, so adding a day of hours in order is one walk instead of a search per hour. A change earlier than the
    /// cursor's slot starts the walk over from the first slot.
    /// </summary>
    public static void Add(List<HourSlot> slots, in HourSlot change, ref int cursor)
    {
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(slots);
        var i = cursor;
        if (i > span.Length || (i > 0 && span[i - 1].Hour >= change.Hour)) i = 0;
        while (i < span.Length && span[i].Hour < change.Hour) i++;
        if (i < span.Length && span[i].Hour == change.Hour)
        {
            ref var s = ref span[i];
            s.Sum += change.Sum;
            s.N += change.N;
            s.NFlag += change.NFlag;
            s.NEst += change.NEst;
        }
        else
        {
            slots.Insert(i, change);
        }
        cursor = i + 1;
    }

    /// <summary>Adds <paramref name="change"/> into the time-ordered <paramref name="slots"/>: to the hour's slot when there
    /// is one, else as a new slot in its place. Fast when hours arrive in order.</summary>
    public static void Add(List<HourSlot> slots, in HourSlot change)
    {
        var n = slots.Count;
        if (n == 0 || slots[n - 1].Hour < change.Hour)
        {
            slots.Add(change);
            return;
        }
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(slots);
        int lo = 0, hi = n - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var h = span[mid].Hour;
            if (h == change.Hour)
            {
                ref var s = ref span[mid];
                s.Sum += change.Sum;
                s.N += change.N;
                s.NFlag += change.NFlag;
                s.NEst += change.NEst;
                return;
            }
            if (h < change.Hour) lo = mid + 1;
            else hi = mid - 1;
        }
        slots.Insert(lo, change);
    }
}
