namespace ZeroPark.Reports;

/// <summary>How often a scheduled report is generated.</summary>
public enum ReportEvery
{
    Month,
    Quarter,
    Year,
}

/// <summary>
/// When scheduled reports are due (pure): a period (month, quarter, year) is reported on the first working day after it ends — the
/// first working day of the next month, quarter or year. <c>isWorkingDay</c> is the calendar (weekends and public holidays, with
/// China's 调休 make-up working days when the calendar knows them).
/// </summary>
public static class ReportSchedule
{
    public static ReportEvery Parse(string? s) => (s ?? "").Trim().ToLowerInvariant() switch
    {
        "month" or "monthly" => ReportEvery.Month,
        "quarter" or "quarterly" => ReportEvery.Quarter,
        "year" or "yearly" or "annual" => ReportEvery.Year,
        _ => throw new ArgumentException($"every: '{s}' is not month, quarter or year"),
    };

    public static string Code(ReportEvery e) => e.ToString().ToLowerInvariant();

    /// <summary>The period (first and last day) that contains <paramref name="day"/>.</summary>
    public static (DateOnly From, DateOnly To) PeriodOf(ReportEvery every, DateOnly day)
    {
        var from = every switch
        {
            ReportEvery.Month => new DateOnly(day.Year, day.Month, 1),
            ReportEvery.Quarter => new DateOnly(day.Year, (day.Month - 1) / 3 * 3 + 1, 1),
            _ => new DateOnly(day.Year, 1, 1),
        };
        var next = every switch { ReportEvery.Month => from.AddMonths(1), ReportEvery.Quarter => from.AddMonths(3), _ => from.AddYears(1) };
        var to = next.AddDays(-1);
        return (from, to);
    }

    /// <summary>The first working day on or after <paramref name="day"/> (looks at most 60 days ahead).</summary>
    public static DateOnly FirstWorkingDayFrom(DateOnly day, Func<DateOnly, bool> isWorkingDay)
    {
        for (var i = 0; i < 60; i++)
            if (isWorkingDay(day.AddDays(i))) return day.AddDays(i);
        throw new InvalidOperationException($"no working day in the 60 days from {day:yyyy-MM-dd}");
    }

    /// <summary>The latest period whose report is due on or before <paramref name="today"/>, and its due date: the previous
    /// period once today is on or after the first working day of the current one, else the one before it.</summary>
    public static (DateOnly From, DateOnly To, DateOnly Due) LatestDue(ReportEvery every, DateOnly today, Func<DateOnly, bool> isWorkingDay)
    {
        var (curFrom, _) = PeriodOf(every, today);
        var due = FirstWorkingDayFrom(curFrom, isWorkingDay);
        var (prevFrom, prevTo) = PeriodOf(every, curFrom.AddDays(-1));
        if (today >= due) return (prevFrom, prevTo, due);
        var (p2From, p2To) = PeriodOf(every, prevFrom.AddDays(-1));
        return (p2From, p2To, FirstWorkingDayFrom(prevFrom, isWorkingDay));
    }

    /// <summary>Monday to Friday: the calendar used until a holiday calendar is wired in.</summary>
    public static bool Weekday(DateOnly d) => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
}
