namespace ZeroPark.Application.Readings.Import;

/// <summary>Fast ISO 8601 parser: <c>yyyy-MM-dd[(T| )HH:mm[:ss[.fffffff]]][Z|±HH[:mm]]</c>; <c>/</c> is accepted as
/// the date separator and 24:00 as the end of a day.</summary>
internal static class IsoTimestamp
{
    public static bool TryParse(ReadOnlySpan<char> s, out DateTime local, out TimeSpan offset, out bool hasOffset)
    {
        local = default;
        offset = default;
        hasOffset = false;
        int p = 0;
        if (!Digits(s, ref p, 4, 4, out int year) || p >= s.Length || (s[p] != '-' && s[p] != '/'))
            return false;
        char sep = s[p++];
        if (!Digits(s, ref p, 1, 2, out int month) || p >= s.Length || s[p] != sep)
            return false;
        p++;
        if (!Digits(s, ref p, 1, 2, out int day))
            return false;
        if (year < 1 || month < 1 || month > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
            return false;

        int hour = 0, minute = 0, second = 0;
        long fraction = 0;
        if (p < s.Length)
        {
            if (s[p] != 'T' && s[p] != 't' && s[p] != ' ')
                return false;
            p++;
            while (p < s.Length && s[p] == ' ')
                p++;
            if (!Digits(s, ref p, 1, 2, out hour) || p >= s.Length || s[p] != ':')
                return false;
            p++;
            if (!Digits(s, ref p, 2, 2, out minute))
                return false;
            if (p < s.Length && s[p] == ':')
            {
                p++;
                if (!Digits(s, ref p, 2, 2, out second))
                    return false;
                if (p < s.Length && (s[p] == '.' || s[p] == ','))
                {
                    p++;
                    int first = p, n = 0;
                    while (p < s.Length && char.IsAsciiDigit(s[p]))
                    {
                        if (n < 7)
                        {
                            fraction = fraction * 10 + (s[p] - '0');
                            n++;
                        }
                        p++;
                    }
                    if (p == first)
                        return false;
                    for (; n < 7; n++)
                        fraction *= 10;
                }
            }
            if (p < s.Length && s[p] == ' ')
                p++;
            if (p < s.Length)
            {
                char c = s[p++];
                if (c is 'Z' or 'z')
                {
                    hasOffset = true;
                }
                else if (c is '+' or '-')
                {
                    if (!Digits(s, ref p, 2, 2, out int oh))
                        return false;
                    int om = 0;
                    if (p < s.Length && s[p] == ':')
                        p++;
                    if (p < s.Length && !Digits(s, ref p, 2, 2, out om))
                        return false;
                    if (oh > 14 || om > 59)
                        return false;
                    offset = new TimeSpan(oh, om, 0);
                    if (c == '-')
                        offset = -offset;
                    hasOffset = true;
                }
                else
                {
                    return false;
                }
                if (p != s.Length)
                    return false;
            }
        }

        if (hour > 24 || minute > 59 || second > 59)
            return false;
        bool endOfDay = hour == 24;
        if (endOfDay && (minute != 0 || second != 0 || fraction != 0))
            return false;
        local = new DateTime(year, month, day, endOfDay ? 0 : hour, minute, second).AddTicks(fraction);
        if (endOfDay)
        {
            if (local.Date == DateTime.MaxValue.Date)
                return false;
            local = local.AddDays(1);
        }
        return !hasOffset || TryMake(local, offset, out _);
    }

    /// <summary>A DateTimeOffset, false when the instant is outside the representable range.</summary>
    public static bool TryMake(DateTime local, TimeSpan offset, out DateTimeOffset value)
    {
        long utc = local.Ticks - offset.Ticks;
        if (utc < 0 || utc > DateTime.MaxValue.Ticks)
        {
            value = default;
            return false;
        }
        value = new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), offset);
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> s, ref int p, int min, int max, out int value)
    {
        value = 0;
        int n = 0;
        while (n < max && p < s.Length && char.IsAsciiDigit(s[p]))
        {
            value = value * 10 + (s[p] - '0');
            p++;
            n++;
        }
        return n >= min;
    }
}
