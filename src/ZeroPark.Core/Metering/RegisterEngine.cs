using ZeroPark.Domain;

namespace ZeroPark.Metering;

/// <summary>
/// Turns incoming points of one meter into stored readings, deltas and rollup changes. Pure: the caller supplies
/// what the store knows around the batch (<see cref="MeterContext"/>) and applies the returned writes.
/// <list type="bullet">
/// <item>Same instant, same value: duplicate, nothing changes. Same instant, other value: correction (the previous
/// value is reported for the audit log). A real reading supersedes an estimated one silently.</item>
/// <item>Cumulative registers: delta = (value − base) × multiplier × unit factor, where base is the last reading
/// that is a valid base. A backwards step is a rollover when wrapping at the register maximum gives a delta below
/// half the register; otherwise it is a drop: flagged <see cref="ReadingFlags.SuspectedReset"/> (delta 0, not summed, listed
/// for confirmation), or <see cref="ReadingFlags.Reset"/> (delta = the new value, a reset from zero) when confirmed as a
/// reset or when the meter's resets are normal. Either way later deltas count from the new value, so the result depends
/// only on the readings in time order, never on the order they arrived in. A reading confirmed bad
/// (<see cref="ReadingFlags.BadReading"/>) is not summed and never a base. A delta above
/// the meter's plausible rate (or above half the register when no rate is set) is flagged
/// <see cref="ReadingFlags.Jump"/> and not summed. A replacement reading carries the old meter's final value:
/// its delta is old final − base and the new meter's initial value becomes the next base.</item>
/// <item>An interval longer than 1.5 × the nominal interval is flagged <see cref="ReadingFlags.Gap"/>; its delta is
/// kept (the register measured it) and attributed to the reading that closes the gap.</item>
/// <item>Out-of-order points are merged; every later reading whose delta depends on them is recomputed.</item>
/// </list>
/// </summary>
public static class RegisterEngine
{
    /// <summary>The flags a reading brings with it (the others are computed): kept through recomputation.</summary>
    public const ReadingFlags SourceFlags = ReadingFlags.Manual | ReadingFlags.Estimated | ReadingFlags.Replacement | ConfirmFlags;
    /// <summary>A person's confirmation of a drop: kept through recomputation.</summary>
    public const ReadingFlags ConfirmFlags = ReadingFlags.ResetConfirmed | ReadingFlags.BadReading;

    private struct Row
    {
        public long Ts;
        public double Value;
        public ReadingFlags Source;
        public double? OldFinal;
        public StoredReading? Stored;
    }

    /// <summary>Validates a point against the meter; returns the reason it must be rejected, or null.</summary>
    public static string? Validate(Meter meter, in MeterPoint p)
    {
        if (double.IsNaN(p.Value) || double.IsInfinity(p.Value)) return "value: not a finite number";
        if (meter.IsVirtual) return $"meter: '{meter.Code}' is virtual (computed by formula), it takes no readings";
        if (meter.Kind == MeterKind.Cumulative)
        {
            if (p.Value < 0) return $"value: {p.Value} is negative, a register cannot be";
            if (meter.RegisterMax is { } max && p.Value >= max)
                return $"value: {p.Value} is not below the register maximum {max}";
        }
        return null;
    }

    /// <summary>
    /// Whether an interval reading from <paramref name="start"/> to <paramref name="end"/> (Unix seconds) fits the meter's
    /// nominal interval: its length may differ by up to 1/720 of it (2 minutes a day, 1.25 s a quarter hour), and an interval
    /// of whole days is measured on the park's wall clock, so the 23- and 25-hour days of daylight-saving zones fit too.
    /// </summary>
    public static bool IntervalFits(Meter meter, ParkClock clock, long start, long end)
    {
        var nominal = (long)meter.Interval.TotalSeconds;
        var tolerance = nominal / 720.0;
        if (Math.Abs(end - start - nominal) <= tolerance) return true;
        if (nominal % 86_400 != 0) return false;
        var wall = (clock.ToLocal(end) - clock.ToLocal(start)).TotalSeconds;
        return Math.Abs(wall - nominal) <= tolerance;
    }

    public static MeterBatchResult Process(Meter meter, MeterContext context, IReadOnlyList<MeterPoint> points)
    {
        var result = new MeterBatchResult(points.Count);
        if (context.Existing.Count == 0 && IsPlainAppend(meter, points))
        {
            Append(meter, context, points, result);
            return result;
        }
        List<MeterPoint>? ordered = null;
        for (var i = 0; i < points.Count; i++)
        {
            var p = points[i];
            var reason = Validate(meter, p);
            if (reason is null)
            {
                ordered?.Add(p);
                continue;
            }
            // The first rejected point: copy the valid ones before it, then keep copying.
            if (ordered is null)
            {
                ordered = new List<MeterPoint>(points.Count);
                for (var k = 0; k < i; k++) ordered.Add(points[k]);
            }
            result.Results.Add(new PointResult(p.Index, PointOutcome.Rejected, reason));
        }
        ordered ??= points as List<MeterPoint> ?? [.. points];
        if (!IsSorted(ordered))
        {
            // Sort a copy: the caller's list stays as it was.
            ordered = ReferenceEquals(ordered, points) ? [.. ordered] : ordered;
            ordered.Sort((a, b) => a.Ts != b.Ts ? a.Ts.CompareTo(b.Ts) : a.Index.CompareTo(b.Index));
        }

        var rows = Merge(context.Existing, ordered, result);
        Recompute(meter, context, rows, result);
        return result;
    }

    /// <summary>The common case: nothing stored at or after the batch, every point valid, instants strictly increasing.</summary>
    private static bool IsPlainAppend(Meter meter, IReadOnlyList<MeterPoint> points)
    {
        for (var i = 0; i < points.Count; i++)
        {
            if (i > 0 && points[i].Ts <= points[i - 1].Ts) return false;
            if (Validate(meter, points[i]) is not null || (points[i].Flags & ConfirmFlags) != 0) return false;
        }
        return true;
    }

    /// <summary><see cref="Process"/> for a plain append: every point is a new row, computed in one pass without the merge
    /// (the same rules as <see cref="Recompute"/>: both walk the rows with a <see cref="Walk"/>).</summary>
    private static void Append(Meter meter, MeterContext context, IReadOnlyList<MeterPoint> points, MeterBatchResult result)
    {
        result.AcceptAll(points);
        var walk = new Walk(meter, context);
        var now = new StoredReading[points.Count];
        for (var k = 0; k < points.Count; k++)
        {
            var p = points[k];
            now[k] = walk.Next(p.Ts, p.Value, p.Flags & SourceFlags, p.OldFinal, out var revised);
            if (revised is { } r) now[k - 1] = r;
        }
        foreach (var r in now)
        {
            result.Inserts.Add(r);
            result.Rollups.Add(Contribution(r, +1));
        }
    }

    /// <summary>Rows in time order turned into stored readings: each row's delta and quality flags come from the register
    /// base before it (the last valid one) and the previous row's instant, starting from what the context knows.</summary>
    /// <remarks>The glitch rule looks one reading ahead: a drop (<see cref="ReadingFlags.SuspectedReset"/>, or an automatic
    /// <see cref="ReadingFlags.Reset"/> on a meter whose resets are normal; never a confirmed one) whose very next reading is back
    /// at or above the base before the drop at a plausible rate (measured from that base it is neither a drop nor a jump) is
    /// revised to <see cref="ReadingFlags.SuspectedBadReading"/> and the next reading counts from the base before the drop.
    /// The revision is handed back through <c>revised</c>: it replaces the row just before.</remarks>
    private struct Walk(Meter meter, MeterContext context)
    {
        private readonly double _scale = meter.ScaleToCanonical;
        private readonly long _nominal = (long)meter.Interval.TotalSeconds;
        private long _prevTs = context.Before?.Ts ?? long.MinValue;
        private bool _hasBase = context.BaseBefore is not null;
        private StoredReading _base = context.BaseBefore.GetValueOrDefault();
        /// <summary>The previous row is an unconfirmed drop: <see cref="_drop"/>, with the base before it in <see cref="_preDrop"/>.</summary>
        private bool _pending;
        private StoredReading _drop, _preDrop;

        /// <summary>True when the last row is a drop whose status depends on the next row.</summary>
        public readonly bool Pending => _pending;

        public StoredReading Next(long ts, double value, ReadingFlags source, double? oldFinal, out StoredReading? revised)
        {
            if (meter.Kind != MeterKind.Cumulative) source &= ~ConfirmFlags;
            revised = null;
            if (_pending && (source & (ConfirmFlags | ReadingFlags.Replacement)) == 0)
            {
                var (_, back) = Cumulative(meter, _scale, _preDrop, ts, value, null, source);
                if ((back & (ReadingFlags.SuspectedReset | ReadingFlags.Reset | ReadingFlags.Jump | ReadingFlags.Negative)) == 0)
                {
                    // A one-off glitch: the drop is a suspected bad reading, this one counts from the base before it.
                    revised = _drop with { Delta = 0, Flags = (_drop.Flags & ~(ReadingFlags.SuspectedReset | ReadingFlags.Reset)) | ReadingFlags.SuspectedBadReading };
                    _base = _preDrop;
                }
            }
            _pending = false;
            var before = _base;
            var (delta, flags) = meter.Kind switch
            {
                MeterKind.Cumulative when (source & ReadingFlags.BadReading) != 0 => (0, ReadingFlags.None),
                MeterKind.Cumulative => _hasBase ? Cumulative(meter, _scale, _base, ts, value, oldFinal, source) : (0, ReadingFlags.First),
                MeterKind.Interval => Interval(meter, _scale, _nominal, value),
                _ => (value * _scale, ReadingFlags.None),
            };
            if (_prevTs != long.MinValue && ts - _prevTs > _nominal * 3 / 2) flags |= ReadingFlags.Gap;
            var now = new StoredReading(ts, value, delta, flags | source, oldFinal);
            _prevTs = ts;
            if (now.IsValidBase)
            {
                _base = now;
                _hasBase = true;
            }
            if (meter.Kind == MeterKind.Cumulative && (source & ConfirmFlags) == 0 && (flags & (ReadingFlags.SuspectedReset | ReadingFlags.Reset)) != 0)
            {
                _pending = true;
                _drop = now;
                _preDrop = before;
            }
            return now;
        }
    }

    private static bool IsSorted(List<MeterPoint> points)
    {
        for (var i = 1; i < points.Count; i++)
        {
            if (points[i].Ts < points[i - 1].Ts || (points[i].Ts == points[i - 1].Ts && points[i].Index < points[i - 1].Index)) return false;
        }
        return true;
    }

    private static List<Row> Merge(IReadOnlyList<StoredReading> existing, List<MeterPoint> points, MeterBatchResult result)
    {
        var rows = new List<Row>(existing.Count + points.Count);
        int i = 0, j = 0;
        while (i < existing.Count || j < points.Count)
        {
            if (j >= points.Count || (i < existing.Count && existing[i].Ts < points[j].Ts))
            {
                var s = existing[i++];
                rows.Add(new Row { Ts = s.Ts, Value = s.Value, Source = s.Flags & SourceFlags, OldFinal = s.OldFinal, Stored = s });
                continue;
            }
            var p = points[j++];
            if (rows.Count == 0 || rows[^1].Ts != p.Ts)
            {
                if (i < existing.Count && existing[i].Ts == p.Ts)
                {
                    var s = existing[i++];
                    rows.Add(new Row { Ts = s.Ts, Value = s.Value, Source = s.Flags & SourceFlags, OldFinal = s.OldFinal, Stored = s });
                }
                else if ((p.Flags & ConfirmFlags) != 0)
                {
                    result.Results.Add(new PointResult(p.Index, PointOutcome.Rejected, "ts: no reading at this instant to confirm"));
                    continue;
                }
                else
                {
                    rows.Add(new Row { Ts = p.Ts, Value = p.Value, Source = p.Flags & SourceFlags, OldFinal = p.OldFinal });
                    result.Results.Add(new PointResult(p.Index, PointOutcome.Accepted));
                    continue;
                }
            }
            Apply(ref System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rows)[^1], p, result);
        }
        return rows;
    }

    /// <summary>A point for an instant that already has a row (stored, or earlier in the same batch).</summary>
    private static void Apply(ref Row row, in MeterPoint p, MeterBatchResult result)
    {
        if ((p.Flags & ConfirmFlags) != 0)
        {
            // A person's confirmation of a drop: the value stays, the confirmation replaces any earlier one.
            row.Source = (row.Source & ~ConfirmFlags) | (p.Flags & ConfirmFlags);
            result.Results.Add(new PointResult(p.Index, PointOutcome.Accepted));
            return;
        }
        var incomingEstimated = (p.Flags & ReadingFlags.Estimated) != 0;
        var rowEstimated = (row.Source & ReadingFlags.Estimated) != 0;
        if (incomingEstimated && !rowEstimated)
        {
            // A fill never overwrites a measured value.
            result.Results.Add(new PointResult(p.Index, PointOutcome.Duplicate, "a measured reading exists at this instant"));
            return;
        }
        if (rowEstimated && !incomingEstimated)
        {
            row.Value = p.Value;
            row.Source = p.Flags & SourceFlags;
            row.OldFinal = p.OldFinal;
            result.Results.Add(new PointResult(p.Index, PointOutcome.Accepted));
            return;
        }
        if (SameValue(row.Value, p.Value) && row.OldFinal == p.OldFinal)
        {
            result.Results.Add(new PointResult(p.Index, PointOutcome.Duplicate));
            return;
        }
        result.Results.Add(new PointResult(p.Index, PointOutcome.Corrected, null, row.Value));
        result.Corrections.Add((row.Ts, row.Value, p.Value));
        row.Value = p.Value;
        row.OldFinal = p.OldFinal;
        row.Source = (row.Source & ~ReadingFlags.Manual) | (p.Flags & SourceFlags);
    }

    private static bool SameValue(double a, double b) => Math.Abs(a - b) <= 1e-9 * Math.Max(1.0, Math.Abs(a));

    private static void Recompute(Meter meter, MeterContext context, List<Row> rows, MeterBatchResult result)
    {
        var walk = new Walk(meter, context);
        var computed = new StoredReading[rows.Count];
        for (var k = 0; k < rows.Count; k++)
        {
            var row = rows[k];
            computed[k] = walk.Next(row.Ts, row.Value, row.Source, row.OldFinal, out var revised);
            if (revised is { } r) computed[k - 1] = r;
        }
        for (var k = 0; k < rows.Count; k++)
        {
            var row = rows[k];
            var now = computed[k];
            if (row.Stored is not { } old)
            {
                result.Inserts.Add(now);
                result.Rollups.Add(Contribution(now, +1));
            }
            else
            {
                if (old != now)
                {
                    result.Updates.Add(now);
                    var a = Contribution(old, -1);
                    var b = Contribution(now, +1);
                    result.Rollups.Add(new RollupChange(now.Ts, a.Sum + b.Sum, 0, a.Flagged + b.Flagged, a.Estimated + b.Estimated));
                }
                // Later readings depend only on the last loaded one when it is a valid base before and after (same instant,
                // same value) and no drop whose fate the next reading decides: otherwise (a run of readings that are no base,
                // longer than the loaded tail, a base that became none, a drop) they may change too, whatever the arrival order was.
                if (k == rows.Count - 1 && !context.ReachesEnd && (!(old.IsValidBase && now.IsValidBase) || walk.Pending))
                    result.NeedsMoreTail = true;
            }
        }
    }

    /// <summary>A stored reading's share of its rollups (sum, count, flagged, estimated): excluded readings count but add
    /// nothing; estimated ones are counted apart. The one rule for every path that changes rollups (ingest, void).</summary>
    public static RollupChange Contribution(in StoredReading r, int sign) => new(
        r.Ts,
        sign * (r.IsExcluded ? 0 : r.Delta),
        sign,
        sign * (r.IsExcluded ? 1 : 0),
        sign * ((r.Flags & ReadingFlags.Estimated) != 0 ? 1 : 0));

    private static (double Delta, ReadingFlags Flags) Cumulative(Meter meter, double scale, in StoredReading b, long ts, double value, double? oldFinal,
        ReadingFlags source)
    {
        // On a replacement row, the old meter's final value closes the old register; the row's value starts the new one.
        var end = oldFinal ?? value;
        var diff = end - b.Value;
        var flags = ReadingFlags.None;
        if (diff < 0)
        {
            if (meter.RegisterMax is { } max && end + max - b.Value < max / 2)
            {
                diff = end + max - b.Value;
                flags |= ReadingFlags.Rollover;
            }
            else if (oldFinal is not null)
            {
                // The old register's final value below the base: the replacement's own figures are wrong.
                return (0, ReadingFlags.Negative);
            }
            else
            {
                // A drop: later deltas count from this value. Counted from zero once confirmed (or when resets are normal).
                return meter.ResetsNormal || (source & ReadingFlags.ResetConfirmed) != 0
                    ? (value * scale, ReadingFlags.Reset)
                    : (0, ReadingFlags.SuspectedReset);
            }
        }
        var delta = diff * scale;
        var hours = (ts - b.Ts) / 3600.0;
        var implausible = meter.MaxRatePerHour is { } rate
            ? hours > 0 && delta / hours > rate
            : meter.RegisterMax is { } m && diff > m / 2;
        return implausible ? (0, ReadingFlags.Jump) : (delta, flags);
    }

    private static (double Delta, ReadingFlags Flags) Interval(Meter meter, double scale, long nominal, double value)
    {
        if (value < 0) return (0, ReadingFlags.Negative);
        var delta = value * scale;
        if (meter.MaxRatePerHour is { } rate && delta / (nominal / 3600.0) > rate) return (0, ReadingFlags.Jump);
        return (delta, ReadingFlags.None);
    }
}
