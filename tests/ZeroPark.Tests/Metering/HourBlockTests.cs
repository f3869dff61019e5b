using ZeroPark.Metering;

namespace ZeroPark.Tests.Metering;

public class HourBlockTests
{
    [Fact]
    public void Block_round_trips_and_is_compact()
    {
        HourSlot[] slots = [new(1_735_743_600, 21.5, 4, 1, 0), new(1_735_747_200, 9, 1, 0, 1), new(1_735_754_400, -3, -2, 0, 0)];
        var bytes = HourBlock.Encode(slots);
        Assert.Equal(slots, HourBlock.Decode(bytes));
        // first hour: 5-byte varint (1.7e9 < 2^35) + 8-byte sum + three 1-byte zigzag counts = 16;
        // +3600 s and +7200 s: 2-byte varints → 2 × (2 + 8 + 3) = 26 → 42 bytes
        Assert.Equal(16 + 26, bytes.Length);
    }

    [Fact]
    public void Total_is_the_days_sum_of_its_hours()
    {
        // 21.5 + 9 + (−3) = 27.5; n 4 + 1 + (−2) = 3 (a correction's negative count); nflag 1; nest 1.
        HourSlot[] slots = [new(1_735_743_600, 21.5, 4, 1, 0), new(1_735_747_200, 9, 1, 0, 1), new(1_735_754_400, -3, -2, 0, 0)];
        Assert.Equal(new HourSlot(0, 27.5, 3, 1, 1), HourBlock.Total(slots));
        Assert.Equal(default, HourBlock.Total([]));
    }

    [Fact]
    public void Add_sums_into_the_hour_and_keeps_time_order()
    {
        var slots = new List<HourSlot> { new(3600, 1, 1, 0, 0), new(10800, 3, 1, 0, 0) };
        HourBlock.Add(slots, new HourSlot(10800, 2, 1, 1, 0));      // 3 + 2 = 5, n 2, nflag 1
        HourBlock.Add(slots, new HourSlot(7200, 4, 1, 0, 1));       // new hour between the two
        HourBlock.Add(slots, new HourSlot(14400, 6, 1, 0, 0));      // new last hour
        Assert.Equal([new(3600, 1, 1, 0, 0), new(7200, 4, 1, 0, 1), new(10800, 5, 2, 1, 0), new(14400, 6, 1, 0, 0)], slots);
    }

    [Fact]
    public void Add_with_a_cursor_walks_forward_and_starts_over_for_an_earlier_hour()
    {
        var slots = new List<HourSlot> { new(3600, 1, 1, 0, 0), new(10800, 3, 1, 0, 0) };
        var cursor = 0;
        HourBlock.Add(slots, new HourSlot(3600, 1, 1, 0, 0), ref cursor);     // 1 + 1 = 2 in the first slot; cursor → 1
        Assert.Equal(1, cursor);
        HourBlock.Add(slots, new HourSlot(7200, 4, 1, 0, 1), ref cursor);     // new hour inserted at 1; cursor → 2
        HourBlock.Add(slots, new HourSlot(10800, 2, 1, 1, 0), ref cursor);    // 3 + 2 = 5 at 2; cursor → 3
        HourBlock.Add(slots, new HourSlot(14400, 6, 1, 0, 0), ref cursor);    // appended; cursor → 4
        Assert.Equal(4, cursor);
        HourBlock.Add(slots, new HourSlot(7200, 1, 1, 0, 0), ref cursor);     // earlier than the cursor: found from the start, 4 + 1 = 5
        Assert.Equal(2, cursor);
        Assert.Equal([new(3600, 2, 2, 0, 0), new(7200, 5, 2, 0, 1), new(10800, 5, 2, 1, 0), new(14400, 6, 1, 0, 0)], slots);
    }

    [Fact]
    public void Hours_out_of_order_are_refused()
    {
        Assert.Throws<ArgumentException>(() => HourBlock.Encode([new(7200, 1, 1, 0, 0), new(3600, 1, 1, 0, 0)]));
    }
}
