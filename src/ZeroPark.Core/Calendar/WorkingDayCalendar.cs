using System.Globalization;

namespace ZeroPark.Calendar;

/// <summary>What a date is in the working-day calendar: a statutory holiday (放假), an adjusted working day on a weekend (调休上班),
/// or (for an override the user sets) an ordinary day again.</summary>
public enum CalendarDayKind
{
    Holiday,
    Workday,
    Normal,
}

/// <summary>One dated entry of the calendar, with the holiday's name and where it comes from (e.g. 国办发明电〔2024〕12号).</summary>
public sealed record CalendarDay(DateOnly Date, CalendarDayKind Kind, string Name, string Source = "");

/// <summary>
/// China's working-day calendar: Monday to Friday are working days, Saturday and Sunday are not, except where an entry says
/// otherwise — a statutory holiday (放假) on a weekday is not a working day, an adjusted working day (调休上班) on a weekend is.
/// Entries come from the State Council's yearly notice (国务院办公厅关于YYYY年部分节假日安排的通知); the shipped ones are in
/// <c>src/ZeroPark.Application/Alerts/china-calendar.csv</c> and the user's own entries override them. Pure: no clock, no I/O.
/// </summary>
public sealed class WorkingDayCalendar
{
    private readonly Dictionary<DateOnly, CalendarDay> _days;

    public WorkingDayCalendar(IEnumerable<CalendarDay> days)
    {
        _days = new Dictionary<DateOnly, CalendarDay>();
        // Later entries win (the user's overrides come after the shipped ones); Normal removes an entry.
        foreach (var d in days)
        {
            if (d.Kind == CalendarDayKind.Normal) _days.Remove(d.Date);
            else _days[d.Date] = d;
        }
    }

    public IReadOnlyCollection<CalendarDay> Entries => _days.Values;

    /// <summary>The entry of a date, if any.</summary>
    public CalendarDay? Entry(DateOnly date) => _days.GetValueOrDefault(date);

    public bool IsWorkingDay(DateOnly date) => _days.TryGetValue(date, out var d)
        ? d.Kind == CalendarDayKind.Workday
        : date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    /// <summary>The first working day of a month (the day the monthly target check runs).</summary>
    public DateOnly FirstWorkingDay(int year, int month)
    {
        var d = new DateOnly(year, month, 1);
        // A month has at most 31 days; no notice has ever made a whole month non-working, but bound the loop anyway.
        for (var i = 0; i < 31; i++, d = d.AddDays(1))
            if (IsWorkingDay(d)) return d;
        throw new InvalidOperationException($"{year:D4}-{month:D2} has no working day in the calendar");
    }

    /// <summary>Whether the calendar has entries for a year (a year without a notice falls back to plain weekends).</summary>
    public bool Covers(int year) => _days.Keys.Any(d => d.Year == year);

    public static string Code(CalendarDayKind k) => k switch
    {
        CalendarDayKind.Holiday => "holiday",
        CalendarDayKind.Workday => "workday",
        _ => "normal",
    };

    public static CalendarDayKind ParseKind(string? s) => (s ?? "").Trim().ToLowerInvariant() switch
    {
        "holiday" or "放假" => CalendarDayKind.Holiday,
        "workday" or "上班" or "调休" => CalendarDayKind.Workday,
        "normal" => CalendarDayKind.Normal,
        _ => throw new FormatException($"kind: '{s}' is not holiday, workday or normal"),
    };

    /// <summary>Parses the calendar CSV <c>date,kind,name,source</c> (header line; <c>#</c> comments). Bad lines are returned
    /// with their line number and reason, good lines are kept.</summary>
    public static (List<CalendarDay> Days, List<(int Line, string Reason)> Errors) ParseCsv(TextReader reader)
    {
        var days = new List<CalendarDay>();
        var errors = new List<(int, string)>();
        var line = 0;
        string? text;
        while ((text = reader.ReadLine()) is not null)
        {
            line++;
            var t = text.Trim().TrimStart('\uFEFF');
            if (t.Length == 0 || t.StartsWith('#') || t.StartsWith("date,", StringComparison.OrdinalIgnoreCase)) continue;
            var f = t.Split(',');
            if (!DateOnly.TryParseExact(f[0].Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                errors.Add((line, $"date: '{f[0].Trim()}' is not a date (YYYY-MM-DD)"));
                continue;
            }
            if (f.Length < 2)
            {
                errors.Add((line, "kind: missing (holiday, workday or normal)"));
                continue;
            }
            CalendarDayKind kind;
            try { kind = ParseKind(f[1]); }
            catch (FormatException e) { errors.Add((line, e.Message)); continue; }
            days.Add(new CalendarDay(date, kind, f.Length > 2 ? f[2].Trim() : "", f.Length > 3 ? string.Join(",", f[3..]).Trim() : ""));
        }
        return (days, errors);
    }
}
