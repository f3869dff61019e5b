using ZeroPark.Metering;
using ZeroPark.Application.Readings.Import;

namespace ZeroPark.Tests.Import;

public class JsonBatchParserTests
{
    private static readonly DateTimeOffset Jan1At0015Shanghai = new(2025, 1, 1, 0, 15, 0, TimeSpan.FromHours(8));

    [Fact]
    public void Batch_with_id_offset_timestamps_and_unix_seconds_is_read()
    {
        var json = $$"""
            {"batch_id": "gw-7/000123", "points": [
              {"meter": "ups1_in", "ts": "2025-01-01T00:15:00+08:00", "value": 123.4},
              {"meter": "ups1_in", "ts": {{Jan1At0015Shanghai.ToUnixTimeSeconds() + 900}}, "value": 125},
              {"meter": "hx1", "ts": "2025-01-01T00:15:00Z", "start": "2025-01-01T00:00:00Z", "value": "7.5"}
            ]}
            """;

        var (batchId, r) = JsonBatchParser.Parse(json);

        Assert.Equal("gw-7/000123", batchId);
        Assert.Empty(r.Errors);
        Assert.Equal(3, r.Points.Count);
        Assert.Equal(new RawPoint("ups1_in", Jan1At0015Shanghai, 123.4, 1), r.Points[0]);
        Assert.Equal(Jan1At0015Shanghai.AddMinutes(15), r.Points[1].Timestamp);
        Assert.Equal(2, r.Points[1].Line);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), r.Points[2].IntervalStart);
        Assert.Equal(7.5, r.Points[2].Value);
    }

    [Fact]
    public void Batch_id_is_optional_and_may_be_a_number()
    {
        Assert.Null(JsonBatchParser.Parse("""{"points": []}""").BatchId);
        Assert.Equal("42", JsonBatchParser.Parse("""{"batch_id": 42, "points": []}""").BatchId);
    }

    [Theory]
    [InlineData("{\"points\": [")]
    [InlineData("")]
    [InlineData("{'points': []}")]
    public void Malformed_json_is_one_error_at_line_0_with_the_parser_message(string json)
    {
        var (batchId, r) = JsonBatchParser.Parse(json);

        Assert.Null(batchId);
        Assert.Empty(r.Points);
        var e = Assert.Single(r.Errors);
        Assert.Equal(0, e.Line);
        Assert.False(string.IsNullOrWhiteSpace(e.Reason));
    }

    [Theory]
    [InlineData("[]", "batch: expected a JSON object, got an array")]
    [InlineData("{\"batch_id\": \"b\"}", "points: missing")]
    [InlineData("{\"points\": {}}", "points: expected an array, got an object")]
    [InlineData("{\"batch_id\": [1], \"points\": []}", "batch_id: expected a string, got an array")]
    public void Document_that_is_not_a_batch_is_one_error_at_line_0(string json, string reason)
    {
        var r = JsonBatchParser.Parse(json).Result;

        Assert.Equal(new RowError(0, reason), Assert.Single(r.Errors));
    }

    [Fact]
    public void Bad_points_are_reported_by_index_and_field_and_good_points_are_kept()
    {
        var json = """
            {"points": [
              {"meter": "m1", "ts": "2025-01-01T00:15:00+08:00", "value": 1},
              {"meter": "m1", "ts": "2025-01-01T00:15:00+08:00"},
              {"meter": "m1", "ts": "2025-01-01 00:15:00", "value": 1},
              {"meter": 17, "ts": "2025-01-01T00:15:00+08:00", "value": 1},
              {"meter": "m1", "ts": "2025-01-01T00:15:00+08:00", "value": "abc"},
              {"meter": "", "value": null},
              42,
              {"meter": "m1", "ts": 1735661700000, "value": true},
              {"meter": "m2", "ts": "2025-01-01T00:30:00+08:00", "value": 2}
            ]}
            """;

        var r = JsonBatchParser.Parse(json).Result;

        Assert.Equal(new[] { 1, 9 }, r.Points.Select(p => p.Line));
        Assert.Collection(r.Errors,
            e => Assert.Equal(new RowError(2, "points[1].value: missing"), e),
            e => Assert.Equal(3, e.Line),
            e => Assert.Equal(new RowError(4, "points[3].meter: expected a string, got a number"), e),
            e => Assert.Equal(new RowError(5, "points[4].value: 'abc' is not a number"), e),
            e => Assert.Equal(new RowError(6, "points[5].meter: empty; points[5].ts: missing; points[5].value: null"), e),
            e => Assert.Equal(new RowError(7, "points[6]: expected an object, got a number"), e),
            e => Assert.Equal(new RowError(8, "points[7].ts: 1735661700000 is out of range for Unix seconds; points[7].value: expected a number, got a boolean"), e));
        Assert.StartsWith("points[2].ts: '2025-01-01 00:15:00' has no UTC offset", r.Errors[1].Reason);
    }
}
