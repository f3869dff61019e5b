using System.Text;
using ZeroPark.Application.Collection;
using ZeroPark.Collection;

namespace ZeroPark.Tests.Collection;

/// <summary>The pure parts of collection: the Modbus frame codec (against the examples of the Modbus Application Protocol
/// Specification V1.1b3), register decoding (IEEE 754 and two's complement worked by hand), topic templates, MQTT payloads,
/// register map files, read planning and the online/offline rule.</summary>
public sealed class CollectionCoreTests
{
    [Fact]
    public void A_read_request_is_the_mbap_header_and_the_spec_pdu()
    {
        // Spec §6.3 example: read holding registers 108–110 (start 0x006B, quantity 3); MBAP: tid 0x0102, protocol 0, length 6, unit 17.
        var b = ModbusFrame.ReadRequest(0x0102, 17, ModbusFunction.ReadHoldingRegisters, 0x006B, 3);
        Assert.Equal(Convert.FromHexString("010200000006110300 6B0003".Replace(" ", "")), b);
        Assert.Equal(Convert.FromHexString("000100000006010400000002"), ModbusFrame.ReadRequest(1, 1, ModbusFunction.ReadInputRegisters, 0, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModbusFrame.ReadRequest(1, 1, ModbusFunction.ReadInputRegisters, 0, 126));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModbusFrame.ReadRequest(1, 1, ModbusFunction.ReadInputRegisters, 65535, 2));
    }

    [Fact]
    public void An_answer_is_decoded_or_refused_with_the_reason()
    {
        // Spec §6.3 example answer: byte count 6, registers 0x022B (555), 0x0000, 0x0064 (100).
        Assert.Equal(new ushort[] { 555, 0, 100 }, ModbusFrame.ReadResponse(Convert.FromHexString("0306022B00000064"), ModbusFunction.ReadHoldingRegisters, 3));
        var e = Assert.Throws<ModbusException>(() => ModbusFrame.ReadResponse(Convert.FromHexString("8302"), ModbusFunction.ReadHoldingRegisters, 3));
        Assert.Equal((byte)2, e.ExceptionCode);
        Assert.Contains("illegal data address", e.Message);
        Assert.Contains("4 data bytes, expected 6", Assert.Throws<ModbusException>(() =>
            ModbusFrame.ReadResponse(Convert.FromHexString("0304022B0000"), ModbusFunction.ReadHoldingRegisters, 3)).Message);
        Assert.Contains("function 4", Assert.Throws<ModbusException>(() => ModbusFrame.ReadResponse(Convert.FromHexString("04020001"), ModbusFunction.ReadHoldingRegisters, 1)).Message);
        Assert.Equal(((ushort)1, (byte)1, 4), ModbusFrame.ReadHeader(Convert.FromHexString("00010000000501")));
        Assert.Contains("protocol id 1", Assert.Throws<ModbusException>(() => ModbusFrame.ReadHeader(Convert.FromHexString("00010001000501"))).Message);
    }

    [Theory]
    // float32 23.5 = 1.46875 × 2^4: sign 0, exponent 127 + 4 = 131 = 0x83, mantissa .46875 = .01111 → 0x41BC0000.
    [InlineData(new ushort[] { 0x41BC, 0x0000 }, "float32", "big", "big", 1, 23.5)]
    [InlineData(new ushort[] { 0x0000, 0x41BC }, "float32", "little", "big", 1, 23.5)]
    [InlineData(new ushort[] { 0xBC41, 0x0000 }, "float32", "big", "little", 1, 23.5)]
    [InlineData(new ushort[] { 0x0000, 0xBC41 }, "float32", "little", "little", 1, 23.5)]
    // uint32 123456 = 0x0001E240; × 0.1 = 12345.6.
    [InlineData(new ushort[] { 0x0001, 0xE240 }, "uint32", "big", "big", 0.1, 12345.6)]
    // int32 −2 = 0xFFFFFFFE (two's complement).
    [InlineData(new ushort[] { 0xFFFF, 0xFFFE }, "int32", "big", "big", 1, -2)]
    // 0xFFFB: int16 −5, uint16 65531.
    [InlineData(new ushort[] { 0xFFFB }, "int16", "big", "big", 1, -5)]
    [InlineData(new ushort[] { 0xFFFB }, "uint16", "big", "big", 1, 65531)]
    // int64 5,000,000,000 = 0x000000012A05F200; × 0.01 = 50,000,000.
    [InlineData(new ushort[] { 0x0000, 0x0001, 0x2A05, 0xF200 }, "int64", "big", "big", 0.01, 50_000_000)]
    [InlineData(new ushort[] { 0xF200, 0x2A05, 0x0001, 0x0000 }, "uint64", "little", "big", 1, 5_000_000_000)]
    // float64 230.25 = 1.798828125 × 2^7: exponent 1023 + 7 = 1030 = 0x406, mantissa 0.798828125 = .110011001 → 0x406CC80000000000.
    [InlineData(new ushort[] { 0x406C, 0xC800, 0x0000, 0x0000 }, "float64", "big", "big", 1, 230.25)]
    public void Registers_decode_by_type_word_and_byte_order_and_scale(ushort[] regs, string type, string words, string bytes, double scale, double expected)
    {
        Assert.True(RegisterDecoding.TryType(type, out var t));
        Assert.True(RegisterDecoding.TryOrder(words, out var w));
        Assert.True(RegisterDecoding.TryOrder(bytes, out var b));
        Assert.Equal(expected, RegisterDecoding.Decode(regs, t, w, b, scale), 9);
        Assert.Equal(regs, RegisterDecoding.Encode(RegisterDecoding.Decode(regs, t, w, b), t, w, b));
    }

    [Fact]
    public void Topic_templates_bind_park_and_meter_levels()
    {
        var t = TopicTemplate.TryParse("zp/{park}/{meter}", out var err)!;
        Assert.Null(err);
        Assert.Equal("zp/+/+", t.Filter);
        Assert.True(t.TryMatch("zp/p1/m1", out var park, out var meter));
        Assert.Equal(("p1", "m1"), (park, meter));
        Assert.False(t.TryMatch("zp/p1", out _, out _));
        Assert.False(t.TryMatch("xx/p1/m1", out _, out _));
        Assert.False(t.TryMatch("zp//m1", out _, out _));
        var fixedTopic = TopicTemplate.TryParse("site/boiler/temp", out _)!;
        Assert.Equal(("site/boiler/temp", false), (fixedTopic.Filter, fixedTopic.HasMeter));
        Assert.Null(TopicTemplate.TryParse("zp/#", out err));
        Assert.Contains("wildcards", err);
        Assert.Null(TopicTemplate.TryParse("zp/{site}", out err));
        Assert.Contains("{park} or {meter}", err);
        Assert.Null(TopicTemplate.TryParse("zp/a{meter}", out _));
        Assert.Null(TopicTemplate.TryParse("zp/{meter}/{meter}", out _));
    }

    private static readonly DateTimeOffset Arrived = new(2025, 3, 1, 8, 0, 0, 750, TimeSpan.Zero);

    [Fact]
    public void Mqtt_payloads_bare_number_json_and_line_protocol()
    {
        var bare = MqttPayload.Parse("12.5"u8, "m1", Arrived);
        // A bare number takes the arrival time, whole seconds (the 750 ms are dropped).
        Assert.Equal(("m1", new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero), 12.5), (bare.Points[0].MeterCode, bare.Points[0].Timestamp, bare.Points[0].Value));
        Assert.Contains("topic bound to a meter", MqttPayload.Parse("12.5"u8, null, Arrived).Errors.Single().Reason);
        var one = MqttPayload.Parse("""{"ts": "2025-03-01T08:15:00+08:00", "value": 7}"""u8, "m1", Arrived);
        Assert.Equal(("m1", new DateTimeOffset(2025, 3, 1, 0, 15, 0, TimeSpan.Zero), 7.0), (one.Points[0].MeterCode, one.Points[0].Timestamp.ToUniversalTime(), one.Points[0].Value));
        var named = MqttPayload.Parse("""{"points": [{"meter": "m2", "ts": 1740787200, "value": 1}, {"ts": 1740788100, "value": "x"}]}"""u8, "m1", Arrived);
        Assert.Equal("m2", named.Points.Single().MeterCode);
        Assert.Equal((2, "points[1].value: 'x' is not a number"), (named.Errors.Single().Line, named.Errors.Single().Reason));
        Assert.Equal("points[0].ts: missing", MqttPayload.Parse("""{"value": 3}"""u8, "m1", Arrived).Errors.Single().Reason);
        Assert.StartsWith("malformed JSON", MqttPayload.Parse("""{"ts": """u8, "m1", Arrived).Errors.Single().Reason);
        Assert.Equal("payload is not UTF-8 text", MqttPayload.Parse(new byte[] { 0xff, 0xfe, 0x31 }, "m1", Arrived).Errors.Single().Reason);
        Assert.Equal("empty payload", MqttPayload.Parse(" "u8, "m1", Arrived).Errors.Single().Reason);
        var lp = MqttPayload.Parse(Encoding.UTF8.GetBytes("energy,meter=m3 value=42 1740787200000000000"), "m1", Arrived);
        Assert.Equal(("m3", 42.0), (lp.Points.Single().MeterCode, lp.Points.Single().Value));
    }

    [Fact]
    public void Register_map_files_keep_valid_rows_and_name_bad_ones()
    {
        var (points, errors) = ModbusMapFile.Parse("""
            meter,table,address,type,word_order,byte_order,scale,unit
            m1,holding,0,uint32,big,big,0.1,kWh
            t1,input,10,float32,little,,1,
            x1,holding,70000,int24,middle,big,0,
            """);
        Assert.Equal(2, points.Count);
        Assert.Equal(new ModbusPoint("t1", RegisterTable.Input, 10, RegisterType.Float32, WordOrder.Little, WordOrder.Big, 1, null), points[1]);
        var e = errors.Single();
        Assert.Equal(4, e.Line);
        Assert.Contains("address: '70000'", e.Reason);
        Assert.Contains("type: 'int24'", e.Reason);
        Assert.Contains("word_order: 'middle'", e.Reason);
        Assert.Contains("scale: '0'", e.Reason);
        // Export and import again: the same map.
        Assert.Equal(points, ModbusMapFile.Parse(ModbusMapFile.ToCsv(points)).Points);
        // Comment lines before the header (as in docs/examples/modbus-map-*.csv) are skipped; line numbers stay the file's.
        var (commented, commentErrors) = ModbusMapFile.Parse("# a CRAC controller\n# floats, low word first\nmeter,table,address,type,word_order\ncrac1_supply,input,100,float32,little\nx,input,1,bad,big\n");
        Assert.Equal(new ModbusPoint("crac1_supply", RegisterTable.Input, 100, RegisterType.Float32, WordOrder.Little, WordOrder.Big, 1, null), commented.Single());
        Assert.Equal(5, commentErrors.Single().Line);
        var (json, jsonErrors) = ModbusMapFile.Parse("""[{"meter": "m1", "table": "input", "address": 3, "type": "int16", "scale": 0.5}]""");
        Assert.Empty(jsonErrors);
        Assert.Equal(new ModbusPoint("m1", RegisterTable.Input, 3, RegisterType.Int16, WordOrder.Big, WordOrder.Big, 0.5, null), json.Single());
    }

    [Fact]
    public void Reads_are_planned_per_table_within_125_registers()
    {
        var map = new List<ModbusPoint>
        {
            new("a", RegisterTable.Holding, 0, RegisterType.UInt32, WordOrder.Big, WordOrder.Big, 1, null),
            new("b", RegisterTable.Holding, 2, RegisterType.Float32, WordOrder.Big, WordOrder.Big, 1, null),
            new("c", RegisterTable.Holding, 124, RegisterType.UInt16, WordOrder.Big, WordOrder.Big, 1, null),
            new("d", RegisterTable.Holding, 125, RegisterType.UInt16, WordOrder.Big, WordOrder.Big, 1, null),
            new("e", RegisterTable.Input, 0, RegisterType.Int16, WordOrder.Big, WordOrder.Big, 1, null),
        };
        var reads = ModbusPoller.PlanReads(map);
        // Holding 0..124 (a, b, c: 125 registers), holding 125 (d: 125..125 would make 126), input 0 (e).
        Assert.Equal([(RegisterTable.Holding, 0, 125), (RegisterTable.Holding, 125, 1), (RegisterTable.Input, 0, 1)], reads.Select(r => (r.Table, r.Start, r.Count)));
        Assert.Equal([("a", 0), ("b", 2), ("c", 124)], reads[0].Points.Select(p => (p.Point.Meter, p.Offset)));
    }

    [Fact]
    public void A_source_is_offline_after_missed_intervals()
    {
        const long now = 1_000_000;
        // Interval 60 s, 3 missed intervals: up to 180 s old is online.
        Assert.Equal("online", SourceHealth.State(now - 180, 60, now));
        Assert.Equal("offline", SourceHealth.State(now - 181, 60, now));
        Assert.Equal("never", SourceHealth.State(null, 60, now));
        Assert.Equal("online", SourceHealth.State(now - 500, 60, now, missedIntervals: 10));
        // 45 readings over a 10-minute window: 4.5 per minute.
        Assert.Equal(4.5, SourceHealth.PerMinute(45, 10));
    }
}
