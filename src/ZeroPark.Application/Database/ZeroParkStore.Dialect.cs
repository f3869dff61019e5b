using System.Data.Common;
using ZeroPark.Domain;
using ZeroPark.Metering;

namespace ZeroPark.Application;

/// <summary>The bulk write paths that differ between the dialects (binary COPY on PostgreSQL, multi-row prepared inserts on
/// SQLite), used by the readings store (<see cref="Readings.ReadingStore"/>).</summary>
public abstract partial class ZeroParkStore
{
    /// <summary>Rollup rows split into appends (bucket after the series' last stored bucket) and merges.</summary>
    protected internal sealed record RollupRows(List<RollupRow> Appends, List<RollupRow> Merges)
    {
        public int Count => Appends.Count + Merges.Count;
    }

    /// <summary>A table of encoded day blocks keyed by (key, local day), each with its reading count <c>n</c>: meter-day reading
    /// chunks (<see cref="ReadingChunk"/>) or series-day hourly rollups (<see cref="HourBlock"/>), which also carry the day's
    /// totals (<c>sum, n, nflag, nest</c>: the daily rollup, read through the <c>rollup_day</c> view).</summary>
    protected internal sealed record BlobTable(string Name, string KeyColumn, bool HasTotals)
    {
        public static readonly BlobTable Readings = new("readings", "meter_id", false);
        public static readonly BlobTable HourRollups = new("rollup_hours", "series_id", true);
    }

    /// <summary>One block to write: <see cref="N"/> is the readings it holds (a chunk's readings, or those summed into a
    /// series-day's hours); <see cref="Sum"/>, <see cref="NFlag"/> and <see cref="NEst"/> are stored only where the table
    /// has totals.</summary>
    protected internal readonly record struct BlobRow(long Key, int Day, int N, byte[] Data, double Sum = 0, int NFlag = 0, int NEst = 0);

    /// <summary>Inserts <paramref name="inserts"/> (keys known to be absent: checked under the park's write lock) and replaces
    /// the blocks of <paramref name="replaces"/>.</summary>
    protected internal abstract Task WriteBlobsAsync(DbConnection c, DbTransaction tx, BlobTable table, List<BlobRow> inserts, List<BlobRow> replaces, CancellationToken ct);

    /// <summary>Reads the blocks that exist among <paramref name="keys"/>.</summary>
    protected internal abstract Task<Dictionary<(long Key, int Day), byte[]>> LoadBlobsAsync(DbConnection c, DbTransaction tx, BlobTable table, List<(long Key, int Day)> keys, CancellationToken ct);

    /// <summary>Adds the changes to the rollup table, creating rows as needed.</summary>
    protected internal abstract Task UpsertRollupsAsync(DbConnection c, DbTransaction tx, string table, RollupRows rows, CancellationToken ct);

    /// <summary>Writes meter states; <paramref name="stored"/> are the states stored when the write lock was taken (a meter
    /// without one has no row yet).</summary>
    protected internal abstract Task UpsertStatesAsync(DbConnection c, DbTransaction tx, List<MeterState> states, IReadOnlyDictionary<long, MeterState> stored, CancellationToken ct);
}
