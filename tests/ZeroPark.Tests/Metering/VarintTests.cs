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
        var pos = 0;
        Assert.Equal(value, Varint.Read(buffer, ref pos, "test"));
        Assert.Equal(n, pos);
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
