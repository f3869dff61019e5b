using ZeroPark.Reports;

namespace ZeroPark.Tests.Reports;

/// <summary>When scheduled reports are due: the first working day after the period (the period arithmetic with Monday to Friday here; the China calendar in <see cref="ReportDeliverySuite"/>).</summary>
public sealed class ReportScheduleTests
{
    private static (DateOnly, DateOnly, DateOnly) Due(ReportEvery e, string today) => ReportSchedule.LatestDue(e, DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture), ReportSchedule.Weekday);

    [Fact]
    public void A_month_is_due_on_the_first_working_day_of_the_next_month()
    {
        // 2026-02-01 is a Sunday: February's first working day is Monday the 2nd. On the 1st January is not due yet, December is
        // (due Thursday 2026-01-01: New Year's Day is a holiday in China, which the weekday calendar does not know).
        Assert.Equal((new DateOnly(2025, 12, 1), new DateOnly(2025, 12, 31), new DateOnly(2026, 1, 1)), Due(ReportEvery.Month, "2026-02-01"));
        Assert.Equal((new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 31), new DateOnly(2026, 2, 2)), Due(ReportEvery.Month, "2026-02-02"));
    }

    [Fact]
    public void Quarters_and_years()
    {
        // 2026-04-01 is a Wednesday: Q1 is due that day. 2027-01-01 is a Friday: 2026 is due then; on 2026-12-31 2025 is the latest.
        Assert.Equal((new DateOnly(2026, 1, 1), new DateOnly(2026, 3, 31), new DateOnly(2026, 4, 1)), Due(ReportEvery.Quarter, "2026-04-01"));
        Assert.Equal((new DateOnly(2025, 10, 1), new DateOnly(2025, 12, 31), new DateOnly(2026, 1, 1)), Due(ReportEvery.Quarter, "2026-03-31"));
        Assert.Equal((new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31), new DateOnly(2027, 1, 1)), Due(ReportEvery.Year, "2027-01-01"));
        Assert.Equal(new DateOnly(2025, 1, 1), Due(ReportEvery.Year, "2026-12-31").Item1);
    }
}
