using ZeroPark.Application.Alerts;
using ZeroPark.Calendar;

namespace ZeroPark.Tests.Alerts;

/// <summary>The shipped China working-day calendar against the State Council notices (国办发明电〔2024〕12号 for 2025, the notice of
/// 2025-11-04 for 2026), on the edge days: months that start with holidays, adjusted working days on a weekend.</summary>
public sealed class CalendarTests
{
    private static readonly WorkingDayCalendar Shipped = new(AlertStore.ShippedCalendar);

    private static DateOnly D(string s) => DateOnly.Parse(s, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    // October 2025: 10-01 (Wed) .. 10-08 (Wed) 国庆节、中秋节 → Thursday 10-09.
    [InlineData(2025, 10, "2025-10-09")]
    // February 2025: 春节 01-28 .. 02-04 (Tue) → Wednesday 02-05.
    [InlineData(2025, 2, "2025-02-05")]
    // June 2025: 端午节 05-31 .. 06-02 (Mon) → Tuesday 06-03.
    [InlineData(2025, 6, "2025-06-03")]
    // May 2025: 劳动节 05-01 .. 05-05 (Mon) → Tuesday 05-06.
    [InlineData(2025, 5, "2025-05-06")]
    // January 2025: 01-01 (Wed) only → Thursday 01-02.
    [InlineData(2025, 1, "2025-01-02")]
    // January 2026: 01-01 .. 01-03 holiday, 01-04 is a SUNDAY worked (调休) → 01-04.
    [InlineData(2026, 1, "2026-01-04")]
    // May 2026: 05-01 (Fri) .. 05-05 (Tue) → Wednesday 05-06.
    [InlineData(2026, 5, "2026-05-06")]
    // October 2026: 10-01 (Thu) .. 10-07 (Wed) → Thursday 10-08.
    [InlineData(2026, 10, "2026-10-08")]
    // February 2026: 02-01 is a Sunday, nothing shipped on 02-02 (Mon) → 02-02.
    [InlineData(2026, 2, "2026-02-02")]
    // A month without entries: November 2025 starts on a Saturday → Monday 11-03.
    [InlineData(2025, 11, "2025-11-03")]
    public void First_working_day_of_the_month(int year, int month, string expected) =>
        Assert.Equal(D(expected), Shipped.FirstWorkingDay(year, month));

    [Theory]
    [InlineData("2025-01-26", true)]    // Sunday, 春节调休上班
    [InlineData("2025-02-08", true)]    // Saturday, 春节调休上班
    [InlineData("2025-04-27", true)]    // Sunday, 劳动节调休上班
    [InlineData("2025-09-28", true)]    // Sunday, 国庆节调休上班
    [InlineData("2025-10-11", true)]    // Saturday, 国庆节调休上班
    [InlineData("2026-02-14", true)]    // Saturday
    [InlineData("2026-02-28", true)]    // Saturday
    [InlineData("2026-05-09", true)]    // Saturday
    [InlineData("2026-09-20", true)]    // Sunday
    [InlineData("2026-10-10", true)]    // Saturday
    [InlineData("2025-10-08", false)]   // Wednesday, holiday
    [InlineData("2025-01-28", false)]   // Tuesday, 除夕
    [InlineData("2026-02-23", false)]   // Monday, 正月初七
    [InlineData("2026-09-25", false)]   // Friday, 中秋节
    [InlineData("2026-06-19", false)]   // Friday, 端午节
    [InlineData("2025-10-12", false)]   // ordinary Sunday
    [InlineData("2025-10-13", true)]    // ordinary Monday
    public void Working_days_follow_the_notices(string date, bool working) => Assert.Equal(working, Shipped.IsWorkingDay(D(date)));

    [Fact]
    public void The_shipped_years_have_the_days_of_the_notices()
    {
        // 2025: 元旦 1 + 春节 8 + 清明 3 + 劳动 5 + 端午 3 + 国庆中秋 8 = 28 holidays; 5 adjusted working days.
        // 2026: 元旦 3 + 春节 9 + 清明 3 + 劳动 5 + 端午 3 + 中秋 3 + 国庆 7 = 33 holidays; 6 adjusted working days.
        int Count(int y, CalendarDayKind k) => Shipped.Entries.Count(d => d.Date.Year == y && d.Kind == k);
        Assert.Equal((28, 5, 33, 6), (Count(2025, CalendarDayKind.Holiday), Count(2025, CalendarDayKind.Workday), Count(2026, CalendarDayKind.Holiday), Count(2026, CalendarDayKind.Workday)));
        // Every adjusted working day is a weekend day, every holiday entry has its notice as the source.
        Assert.All(Shipped.Entries.Where(d => d.Kind == CalendarDayKind.Workday), d => Assert.Contains(d.Date.DayOfWeek, new[] { DayOfWeek.Saturday, DayOfWeek.Sunday }));
        Assert.All(Shipped.Entries, d => Assert.Contains("通知", d.Source));
    }

    [Fact]
    public void User_entries_override_the_shipped_ones_and_bad_lines_name_their_line()
    {
        var csv = "date,kind,name,source\n2025-10-09,holiday,extra day off,test\n2025-10-11,normal,,test\n2025-13-01,holiday,x,\n2025-10-20,maybe,x,\n";
        var (days, errors) = WorkingDayCalendar.ParseCsv(new StringReader(csv));
        Assert.Equal(2, days.Count);
        Assert.Equal([(4, "date: '2025-13-01' is not a date (YYYY-MM-DD)"), (5, "kind: 'maybe' is not holiday, workday or normal")], errors);
        var cal = new WorkingDayCalendar(AlertStore.ShippedCalendar.Concat(days));
        // 10-09 now a holiday too; 10-10 (Friday) is the first working day.
        Assert.Equal(D("2025-10-10"), cal.FirstWorkingDay(2025, 10));
        // 10-11 (Saturday) is back to an ordinary weekend day.
        Assert.False(cal.IsWorkingDay(D("2025-10-11")));
    }
}
