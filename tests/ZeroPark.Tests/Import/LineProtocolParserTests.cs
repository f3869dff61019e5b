using ZeroPark.Metering;
using ZeroPark.Application.Readings.Import;

namespace ZeroPark.Tests.Import;

public class LineProtocolParserTests
{
    private static readonly DateTimeOffset T = new(2025, 1, 1, 0, 15, 0, TimeSpan.Zero);
    private static readonly long UnixSeconds = T.ToUnixTimeSeconds();

    [Fact]
    public void Line_with_meter_tag_value_field_and_nanosecond_timestamp_becomes_a_point()
    {
        var r = LineProtocolParser.Parse($"energy,meter=ups1_in,site=a value=1234.5 {UnixSeconds}000000000");

        Assert.Empty(r.Errors);
        Assert.Equal(new RawPoint("ups1_in", T, 1234.5, 1), Assert.Single(r.Points));
    }

    [Theory]
    [InlineData("s", "")]
    [InlineData("ms", "000")]
    [InlineData("us", "000000")]
    [InlineData("ns", "000000000")]
    public void Timestamp_is_read_in_the_given_precision(string precision, string zeros)
    {
        var r = LineProtocolParser.Parse($"m1 value=1 {UnixSeconds}{zeros}", precision);

        Assert.Equal(T, Assert.Single(r.Points).Timestamp);
    }

    [Fact]
    public void Sub_second_precision_is_kept()
    {
        var r = LineProtocolParser.Parse($"m1 value=1 {UnixSeconds}123", "ms");

        Assert.Equal(T.AddMilliseconds(123), Assert.Single(r.Points).Timestamp);
    }

    [Fact]
    public void Unknown_precision_is_one_error_at_line_0()
    {
        var r = LineProtocolParser.Parse("m1 value=1 1735690500", "minutes");

        Assert.Empty(r.Points);
        Assert.Equal(0, Assert.Single(r.Errors).Line);
    }

    [Fact]
    public void Escaped_commas_spaces_and_equals_in_measurement_and_tags_are_unescaped()
    {
        var body = """
            my\ meter\,x value=1 1735690500
            energy,meter=ups\ 1\,in\=a value=2 1735690500
            """;

        var r = LineProtocolParser.Parse(body, "s");

        Assert.Empty(r.Errors);
        Assert.Equal("my meter,x", r.Points[0].MeterCode);
        Assert.Equal("ups 1,in=a", r.Points[1].MeterCode);
    }

    [Fact]
    public void Meter_tag_wins_over_meter_code_and_id_and_the_measurement_is_the_fallback()
    {
        var body = """
            e,id=c,meter_code=b,meter=a value=1 1735690500
            e,id=c,meter_code=b value=1 1735690500
            e,id=c value=1 1735690500
            chiller_2,site=x value=1 1735690500
            """;

        var r = LineProtocolParser.Parse(body, "s");

        Assert.Equal(new[] { "a", "b", "c", "chiller_2" }, r.Points.Select(p => p.MeterCode));
    }

    [Fact]
    public void Integer_and_unsigned_fields_are_numbers()
    {
        var r = LineProtocolParser.Parse("m1 value=123i 1735690500\nm2 value=-5i 1735690500\nm3 value=18446744073709551615u 1735690500\nm4 value=12x 1735690500", "s");

        Assert.Equal(new[] { 123.0, -5.0, 18446744073709551615.0 }, r.Points.Select(p => p.Value));
        Assert.Equal(new RowError(4, "field 'value': '12x' is not a number"), Assert.Single(r.Errors));
    }

    [Fact]
    public void Single_numeric_field_is_the_value_and_strings_and_booleans_are_ignored()
    {
        var r = LineProtocolParser.Parse("m1 status=\"ok, fine=yes\",alarm=true,kwh=42.5 1735690500", "s");

        Assert.Empty(r.Errors);
        Assert.Equal(42.5, Assert.Single(r.Points).Value);
    }

    [Fact]
    public void Several_numeric_fields_without_a_value_field_are_rejected()
    {
        var r = LineProtocolParser.Parse("m1 a=1,b=2 1735690500\nm1 a=1,value=2 1735690500", "s");

        Assert.Equal(2, Assert.Single(r.Points).Value);
        var e = Assert.Single(r.Errors);
        Assert.Equal(1, e.Line);
        Assert.StartsWith("several fields, none named value", e.Reason);
    }

    [Fact]
    public void Boolean_or_string_value_field_is_rejected_as_not_a_number()
    {
        var r = LineProtocolParser.Parse("m1 value=true 1735690500\nm1 value=\"12\" 1735690500\nm1 ok=F 1735690500", "s");

        Assert.Empty(r.Points);
        Assert.Equal(new[] { 1, 2, 3 }, r.Errors.Select(e => e.Line));
        Assert.Equal("field 'value': a boolean is not a number", r.Errors[0].Reason);
        Assert.Equal("field 'value': a string is not a number", r.Errors[1].Reason);
        Assert.StartsWith("fields: no numeric field", r.Errors[2].Reason);
    }

    [Fact]
    public void Missing_timestamp_takes_now_or_is_rejected_without_now()
    {
        var now = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

        var withNow = LineProtocolParser.Parse("m1 value=1", now: now);
        var withoutNow = LineProtocolParser.Parse("m1 value=1\n");

        Assert.Equal(now, Assert.Single(withNow.Points).Timestamp);
        Assert.Empty(withoutNow.Points);
        Assert.Equal(new RowError(1, "timestamp missing"), Assert.Single(withoutNow.Errors));
    }

    [Fact]
    public void Comments_and_blank_lines_are_skipped_and_line_numbers_count_them()
    {
        var body = "# header comment\r\n\r\n   \r\nm1 value=1 1735690500\r\n  # indented comment\r\nm1 value=oops 1735690500\r\n";

        var r = LineProtocolParser.Parse(body, "s");

        Assert.Equal(4, Assert.Single(r.Points).Line);
        var e = Assert.Single(r.Errors);
        Assert.Equal(6, e.Line);
        Assert.Equal("field 'value': 'oops' is not a number", e.Reason);
    }

    [Theory]
    [InlineData("m1", "fields: missing")]
    [InlineData("m1 value 1735690500", "field 'value': missing '='")]
    [InlineData("m1,meter value=1 1735690500", "tag 'meter': missing '='")]
    [InlineData("m1,meter= value=1 1735690500", "tag 'meter': empty value")]
    [InlineData("m1 value=1 soon", "timestamp: 'soon' is not an integer")]
    [InlineData("m1 value=1 1735690500 2", "unexpected text after the timestamp")]
    [InlineData("m1 value=\"open 1735690500", "field 'value': unterminated string")]
    [InlineData("m1 value=NaN 1735690500", "field 'value': 'NaN' is not a number")]
    [InlineData("m1 value=1e999 1735690500", "field 'value': '1e999' is not a finite number")]
    [InlineData("m1 value=1 99999999999999999", "timestamp: '99999999999999999' is out of range")]
    public void Malformed_lines_are_rejected_with_a_reason(string line, string reason)
    {
        var r = LineProtocolParser.Parse("ok value=1 1735690500\n" + line, "s");

        Assert.Single(r.Points);
        var e = Assert.Single(r.Errors);
        Assert.Equal(2, e.Line);
        Assert.StartsWith(reason, e.Reason);
    }
}
