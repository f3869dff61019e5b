using ZeroPark.Domain;

namespace ZeroPark.Tests.Metering;

public class ParkClockTests
{
    private static readonly ParkClock Shanghai = ParkClock.For("Asia/Shanghai");

    [Fact]
    public void Local_day_in_Shanghai_starts_at_16_00_UTC_the_day_before()
    {
        // 2025-03-01 00:00 +08:00 = 2025-02-28T16:00Z
        var (start, end) = Shanghai.Range(new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 1));
        Assert.Equal(DateTimeOffset.Parse("2025-02-28T16:00:00Z").ToUnixTimeSeconds(), start);
        Assert.Equal(86_400, end - start);
    }

    [Fact]
    public void Reading_at_local_midnight_closes_the_previous_days_last_interval()
    {
        // A reading at 2025-03-01T00:00+08:00 covers [23:45, 00:00) of Feb 28; its bucket is the instant 1 s earlier.
        var ts = DateTimeOffset.Parse("2025-03-01T00:00:00+08:00").ToUnixTimeSeconds();
        var (_, day, month) = Shanghai.BucketKeys(ts - 1);
        Assert.Equal(new DateOnly(2025, 2, 28).DayNumber, day);
        Assert.Equal(2025 * 12 + 1, month);
    }

    [Fact]
    public void Month_buckets_cut_by_the_range_start_and_end_on_local_dates()
    {
        var b = Shanghai.Buckets(new DateOnly(2025, 1, 15), new DateOnly(2025, 3, 10), Granularity.Month);
        Assert.Equal(3, b.Count);
        Assert.Equal(Shanghai.StartOfDay(new DateOnly(2025, 1, 15)), b[0].Start);
        Assert.Equal(Shanghai.StartOfDay(new DateOnly(2025, 2, 1)), b[0].End);
        Assert.Equal(Shanghai.StartOfDay(new DateOnly(2025, 3, 11)), b[2].End);
    }

    [Fact]
    public void Daylight_saving_day_in_Berlin_has_23_hours()
    {
        var berlin = ParkClock.For("Europe/Berlin");
        var hours = berlin.Buckets(new DateOnly(2025, 3, 30), new DateOnly(2025, 3, 30), Granularity.Hour);
        Assert.Equal(23, hours.Count);
        var (s, e) = berlin.Range(new DateOnly(2025, 3, 30), new DateOnly(2025, 3, 30));
        Assert.Equal(23 * 3600, e - s);
    }

    [Fact]
    public void Unknown_time_zone_is_a_clear_error()
    {
        var ex = Assert.Throws<ArgumentException>(() => ParkClock.For("Mars/Olympus"));
        Assert.Contains("Mars/Olympus", ex.Message);
    }
}
