using ZeroPark.Metering;

namespace ZeroPark.Tests.Metering;

public sealed class VarintTests
{
    [Theory]
    // LEB128 by hand: 0 → 00; 127 → 7F; 128 = 1·128 + 0 → 80 01; 300 = 2·128 + 44 → AC 02 (44 | 0x80 = 0xAC); 900 s (15 min) = 7·128 + 4 → 84 07.
    [InlineData(0UL, new byte[] { 0x00 })]
    [InlineData(127UL, new byte[] { 0x7F })]
    [InlineData(128UL, new byte[] { 0x80, 0x01 })]
    [InlineData(300UL, new byte[] { 0xAC, 0x02 })]
    [InlineData(900UL, new byte[] { 0x84, 0x07 })]
    public void Encodes_little_endian_base_128(ulong value, byte[] expected)
    {
        var buffer = new byte[10];
        var n = Varint.Write(buffer, value);
        Assert.Equal(expected, buffer[..n]);
        Assert.Equal(expected.Length, Varint.Size(value));
        var pos = 0;
        Assert.Equal(value, Varint.Read(buffer, ref pos, "test"));
        Assert.Equal(n, pos);
    }

    [Theory]
    // Size by hand: 7 payload bits per byte, so 2^14 − 1 fits two bytes and 2^14 needs three; 2^63 (64 bits) needs ten.
    [InlineData(16_383UL, 2)]
    [InlineData(16_384UL, 3)]
    [InlineData(9_223_372_036_854_775_808UL, 10)]
    [InlineData(ulong.MaxValue, 10)]
    public void Size_counts_seven_bits_a_byte(ulong value, int bytes)
    {
        Assert.Equal(bytes, Varint.Size(value));
        Assert.Equal(bytes, Varint.Write(new byte[10], value));
    }

    [Theory]
    // Zig-zag: 0 → 0, -1 → 1, 1 → 2, -2 → 3, 2 → 4; int.MinValue → 2^32 - 1.
    [InlineData(0, 0UL)]
    [InlineData(-1, 1UL)]
    [InlineData(1, 2UL)]
    [InlineData(-2, 3UL)]
    [InlineData(2, 4UL)]
    [InlineData(int.MinValue, 4_294_967_295UL)]
    public void Zig_zag_maps_small_magnitudes_to_small_numbers(int value, ulong expected)
    {
        Assert.Equal(expected, Varint.ZigZag(value));
        Assert.Equal(value, Varint.UnZigZag(expected));
    }

    [Fact]
    public void A_varint_longer_than_64_bits_is_named_as_corrupt_data()
    {
        var bytes = Enumerable.Repeat((byte)0xFF, 11).ToArray();
        var pos = 0;
        var e = Assert.Throws<FormatException>(() => Varint.Read(bytes, ref pos, "hour block"));
        Assert.Equal("corrupt hour block: varint too long", e.Message);
    }
}
