using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;
using ZeroPark.Metering;

namespace ZeroPark.Storage;

/// <summary>The embedded store: one SQLite file in WAL mode. Bulk writes are multi-row prepared INSERT statements
/// in one transaction; a process-wide gate serialises writers (SQLite has one writer anyway).</summary>
public sealed class SqliteStore : ZeroParkStore
{
    private const int RowsPerStatement = 100;
    private readonly string _connectionString;

    public SqliteStore(string path, TimeProvider clock) : base(clock)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 60,
        }.ToString();
        FilePath = full;
    }

    public string FilePath { get; }
    public override StoreKind Kind => StoreKind.Sqlite;

    protected internal override DbConnection CreateConnection() => new SqliteConnection(_connectionString);

    protected override async Task OnOpenedAsync(DbConnection connection, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=60000; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;";
        await cmd.ExecuteNonQueryAsync(ct);
    }

    protected override Task LockParkAsync(DbConnection c, DbTransaction tx, long parkId, CancellationToken ct) => Task.CompletedTask;

    protected override Task InsertReadingsAsync(DbConnection c, DbTransaction tx, List<(long Meter, StoredReading R)> rows, CancellationToken ct)
    {
        BulkInsert(c, tx, "INSERT INTO readings (meter_id, ts, value, delta, flags, old_final) VALUES ", 6, rows.Count, "", (ps, o, i) =>
        {
            var (m, r) = rows[i];
            ps[o].Value = m;
            ps[o + 1].Value = r.Ts;
            ps[o + 2].Value = r.Value;
            ps[o + 3].Value = r.Delta;
            ps[o + 4].Value = (long)r.Flags;
            ps[o + 5].Value = r.OldFinal is { } f ? f : DBNull.Value;
        });
        return Task.CompletedTask;
    }

    protected override Task UpsertRollupsAsync(DbConnection c, DbTransaction tx, string table, List<RollupRow> rows, CancellationToken ct)
    {
        BulkInsert(c, tx, $"INSERT INTO {table} (series_id, bucket, sum, n, nflag, nest) VALUES ", 6, rows.Count,
            " ON CONFLICT (series_id, bucket) DO UPDATE SET sum = sum + excluded.sum, n = n + excluded.n, nflag = nflag + excluded.nflag, nest = nest + excluded.nest",
            (ps, o, i) =>
            {
                var r = rows[i];
                ps[o].Value = r.Series;
                ps[o + 1].Value = r.Bucket;
                ps[o + 2].Value = r.Sum;
                ps[o + 3].Value = (long)r.N;
                ps[o + 4].Value = (long)r.NFlag;
                ps[o + 5].Value = (long)r.NEst;
            });
        return Task.CompletedTask;
    }

    protected override Task UpsertStatesAsync(DbConnection c, DbTransaction tx, List<MeterState> states, CancellationToken ct)
    {
        BulkInsert(c, tx, "INSERT INTO meter_state (meter_id, last_ts, last_value, last_flags, base_ts, base_value, base_flags) VALUES ", 7, states.Count,
            " ON CONFLICT (meter_id) DO UPDATE SET last_ts = excluded.last_ts, last_value = excluded.last_value, last_flags = excluded.last_flags, base_ts = excluded.base_ts, base_value = excluded.base_value, base_flags = excluded.base_flags",
            (ps, o, i) =>
            {
                var s = states[i];
                ps[o].Value = s.MeterId;
                ps[o + 1].Value = s.Last.Ts;
                ps[o + 2].Value = s.Last.Value;
                ps[o + 3].Value = (long)s.Last.Flags;
                ps[o + 4].Value = s.Base is { } b ? b.Ts : DBNull.Value;
                ps[o + 5].Value = s.Base is { } b2 ? b2.Value : DBNull.Value;
                ps[o + 6].Value = s.Base is { } b3 ? (long)b3.Flags : DBNull.Value;
            });
        return Task.CompletedTask;
    }

    /// <summary>Inserts <paramref name="count"/> rows with prepared multi-row statements of
    /// <see cref="RowsPerStatement"/> rows (one prepared statement reused), then the remainder.</summary>
    internal static void BulkInsert(DbConnection c, DbTransaction tx, string head, int columns, int count, string tail,
        Action<SqliteParameterCollection, int, int> bind)
    {
        var i = 0;
        foreach (var size in new[] { RowsPerStatement, 1 })
        {
            if (count - i < size) continue;
            using var cmd = (SqliteCommand)c.CreateCommand();
            cmd.Transaction = (SqliteTransaction)tx;
            cmd.CommandText = MultiRow(head, columns, size) + tail;
            for (var p = 0; p < columns * size; p++) cmd.Parameters.Add(new SqliteParameter { ParameterName = "$p" + p });
            cmd.Prepare();
            for (; count - i >= size; i += size)
            {
                for (var r = 0; r < size; r++) bind(cmd.Parameters, r * columns, i + r);
                cmd.ExecuteNonQuery();
            }
        }
    }

    private static string MultiRow(string head, int columns, int rows)
    {
        var sb = new StringBuilder(head);
        for (var r = 0; r < rows; r++)
        {
            if (r > 0) sb.Append(',');
            sb.Append('(');
            for (var k = 0; k < columns; k++)
            {
                if (k > 0) sb.Append(',');
                sb.Append("$p").Append(r * columns + k);
            }
            sb.Append(')');
        }
        return sb.ToString();
    }
}
