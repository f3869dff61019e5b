namespace ZeroPark.Collection;

/// <summary>Online/offline state of a collection source, pure.</summary>
public static class SourceHealth
{
    /// <summary>How many expected intervals may pass without a reading before a source is offline (default 3).</summary>
    public const int DefaultMissedIntervals = 3;

    /// <summary>"online" when the last reading is at most <paramref name="missedIntervals"/> × <paramref name="intervalSeconds"/>
    /// old at <paramref name="now"/>, "offline" when older, "never" without any reading.</summary>
    public static string State(long? lastReadingAt, int intervalSeconds, long now, int missedIntervals = DefaultMissedIntervals)
    {
        if (lastReadingAt is not { } last) return "never";
        return now - last <= (long)Math.Max(1, intervalSeconds) * Math.Max(1, missedIntervals) ? "online" : "offline";
    }

    /// <summary>Readings per minute over the window: total readings ÷ window minutes.</summary>
    public static double PerMinute(long readingsInWindow, int windowMinutes) => windowMinutes <= 0 ? 0 : (double)readingsInWindow / windowMinutes;
}
