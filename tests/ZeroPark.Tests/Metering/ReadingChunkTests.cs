using ZeroPark.Metering;

namespace ZeroPark.Tests.Metering;

public class ReadingChunkTests
{
    [Fact]
    public void Chunk_round_trips_every_field_including_replacement_and_flags()
    {
        StoredReading[] readings =
        [
            new(1_735_660_800, 100, 0, ReadingFlags.First),
            new(1_735_661_700, 110.25, 10.25, ReadingFlags.None),
            new(1_735_662_600, 0, 12, ReadingFlags.Replacement | ReadingFlags.Manual, 122.25),
            new(1_735_666_200, 3, 3, ReadingFlags.Gap | ReadingFlags.Estimated),
            new(1_735_667_100, 1, 0, ReadingFlags.Negative),
        ];
        var bytes = ReadingChunk.Encode(readings);
        Assert.Equal(readings, ReadingChunk.Decode(bytes));
        // first instant as a 5-byte varint (1.7e9 < 2^35) + 1 flag byte + 16 = 22; three 15-min/1-h steps as 2-byte varints:
        // 3 × (2 + 1 + 16) = 57; the replacement's old final value: 8; the last reading: 2 + 1 + 16 = 19 → 106 bytes
        Assert.Equal(22 + 57 + 8 + 19, bytes.Length);
    }

    [Fact]
    public void Flags_above_bit_7_take_a_second_byte_and_old_chunks_read_unchanged()
    {
        StoredReading[] readings =
        [
            new(1_735_660_800, 100, 0, ReadingFlags.First),
            new(1_735_661_700, 5, 0, ReadingFlags.SuspectedReset | ReadingFlags.Gap),
            new(1_735_662_600, 7, 7, ReadingFlags.Reset | ReadingFlags.ResetConfirmed | ReadingFlags.Manual),
            new(1_735_663_500, 1, 0, ReadingFlags.BadReading | ReadingFlags.Negative | ReadingFlags.Jump),
        ];
        var bytes = ReadingChunk.Encode(readings);
        Assert.Equal(readings, ReadingChunk.Decode(bytes));
        // 22 (first, as above) + three readings of 2 (varint) + 2 (flag bytes) + 16 = 20 each → 82 bytes.
        Assert.Equal(22 + 3 * 20, bytes.Length);
        // A suspected reset with gap (256 + 8): first byte 8 | 6 (the marker) = 14, second byte 256 >> 8 = 1.
        Assert.Equal((byte)14, bytes[22 + 2]);
        Assert.Equal((byte)1, bytes[22 + 3]);
    }

    [Fact]
    public void Merge_replaces_same_instant_and_keeps_time_order()
    {
        var merged = ReadingChunk.Merge([new(10, 1, 0, ReadingFlags.First), new(30, 3, 2, ReadingFlags.None)],
            [new(20, 2, 1, ReadingFlags.None), new(30, 4, 2, ReadingFlags.None)]);
        Assert.Equal([10L, 20L, 30L], merged.Select(r => r.Ts));
        Assert.Equal(4, merged[2].Value);
    }

    [Fact]
    public void Out_of_order_input_is_refused()
    {
        Assert.Throws<ArgumentException>(() => ReadingChunk.Encode([new(20, 1, 0, ReadingFlags.None), new(10, 1, 0, ReadingFlags.None)]));
    }
}
