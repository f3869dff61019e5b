using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using ZeroPark.Metering;

namespace ZeroPark.Application;

/// <summary>The embedded store: one SQLite file in WAL mode with <c>synchronous=FULL</c> (every commit is fsynced to the
/// write-ahead log before it is acknowledged; set on every connection as it opens). Bulk writes are multi-row prepared INSERT statements
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
        cmd.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=60000; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;";
        await cmd.ExecuteNonQueryAsync(ct);
    }

    protected internal override Task LockParkAsync(DbConnection c, DbTransaction tx, long parkId, CancellationToken ct) => Task.CompletedTask;

    protected internal override Task WriteBlobsAsync(DbConnection c, DbTransaction tx, BlobTable table, List<BlobRow> inserts, List<BlobRow> replaces, CancellationToken ct)
    {
        // One upsert statement for new and replaced blocks alike: SQLite's conflict check on the primary key is cheap.
        List<BlobRow> all = replaces.Count == 0 ? inserts : [.. inserts, .. replaces];
        var (columns, totals, setTotals) = table.HasTotals
            ? (7, ", sum, nflag, nest", ", sum = excluded.sum, nflag = excluded.nflag, nest = excluded.nest")
            : (4, "", "");
        BulkInsert(c, $"INSERT INTO {table.Name} ({table.KeyColumn}, day, n, data{totals}) VALUES ", columns, all.Count,
            $" ON CONFLICT ({table.KeyColumn}, day) DO UPDATE SET data = excluded.data, n = excluded.n{setTotals}", (st, o, i) =>
            {
                var r = all[i];
                raw.sqlite3_bind_int64(st, o, r.Key);
                raw.sqlite3_bind_int64(st, o + 1, r.Day);
                raw.sqlite3_bind_int64(st, o + 2, r.N);
                raw.sqlite3_bind_blob(st, o + 3, r.Data);
                if (columns == 7)
                {
                    raw.sqlite3_bind_double(st, o + 4, r.Sum);
                    raw.sqlite3_bind_int64(st, o + 5, r.NFlag);
                    raw.sqlite3_bind_int64(st, o + 6, r.NEst);
                }
            });
        return Task.CompletedTask;
    }

    protected internal override Task<Dictionary<(long Key, int Day), byte[]>> LoadBlobsAsync(DbConnection c, DbTransaction tx, BlobTable table, List<(long Key, int Day)> keys, CancellationToken ct)
    {
        var result = new Dictionary<(long, int), byte[]>();
        using var cmd = (SqliteCommand)c.CreateCommand();
        cmd.Transaction = (SqliteTransaction)tx;
        cmd.CommandText = $"SELECT data FROM {table.Name} WHERE {table.KeyColumn} = $k AND day = $d";
        var k = cmd.Parameters.Add("$k", SqliteType.Integer);
        var d = cmd.Parameters.Add("$d", SqliteType.Integer);
        cmd.Prepare();
        foreach (var key in keys)
        {
            k.Value = key.Key;
            d.Value = key.Day;
            if (cmd.ExecuteScalar() is byte[] data) result[key] = data;
        }
        return Task.FromResult(result);
    }

    protected internal override Task UpsertRollupsAsync(DbConnection c, DbTransaction tx, string table, RollupRows rows, CancellationToken ct)
    {
        // One upsert statement for appends and merges alike: SQLite's conflict check on the primary key is cheap.
        List<RollupRow> all = [.. rows.Appends, .. rows.Merges];
        BulkInsert(c, $"INSERT INTO {table} (series_id, bucket, sum, n, nflag, nest) VALUES ", 6, all.Count,
            " ON CONFLICT (series_id, bucket) DO UPDATE SET sum = sum + excluded.sum, n = n + excluded.n, nflag = nflag + excluded.nflag, nest = nest + excluded.nest",
            (st, o, i) =>
            {
                var r = all[i];
                raw.sqlite3_bind_int64(st, o, r.Series);
                raw.sqlite3_bind_int64(st, o + 1, r.Bucket);
                raw.sqlite3_bind_double(st, o + 2, r.Sum);
                raw.sqlite3_bind_int64(st, o + 3, r.N);
                raw.sqlite3_bind_int64(st, o + 4, r.NFlag);
                raw.sqlite3_bind_int64(st, o + 5, r.NEst);
            });
        return Task.CompletedTask;
    }

    protected internal override Task UpsertStatesAsync(DbConnection c, DbTransaction tx, List<MeterState> states, IReadOnlyDictionary<long, MeterState> stored, CancellationToken ct)
    {
        BulkInsert(c, "INSERT INTO meter_state (meter_id, last_ts, last_value, last_flags, base_ts, base_value, base_flags) VALUES ", 7, states.Count,
            " ON CONFLICT (meter_id) DO UPDATE SET last_ts = excluded.last_ts, last_value = excluded.last_value, last_flags = excluded.last_flags, base_ts = excluded.base_ts, base_value = excluded.base_value, base_flags = excluded.base_flags",
            (st, o, i) =>
            {
                var s = states[i];
                raw.sqlite3_bind_int64(st, o, s.MeterId);
                raw.sqlite3_bind_int64(st, o + 1, s.Last.Ts);
                raw.sqlite3_bind_double(st, o + 2, s.Last.Value);
                raw.sqlite3_bind_int64(st, o + 3, (long)s.Last.Flags);
                if (s.Base is { } b)
                {
                    raw.sqlite3_bind_int64(st, o + 4, b.Ts);
                    raw.sqlite3_bind_double(st, o + 5, b.Value);
                    raw.sqlite3_bind_int64(st, o + 6, (long)b.Flags);
                }
                else
                {
                    raw.sqlite3_bind_null(st, o + 4);
                    raw.sqlite3_bind_null(st, o + 5);
                    raw.sqlite3_bind_null(st, o + 6);
                }
            });
        return Task.CompletedTask;
    }

    /// <summary>
    /// Inserts <paramref name="count"/> rows on the connection's open transaction with prepared multi-row statements of
    /// <see cref="RowsPerStatement"/> rows (one statement prepared once and re-bound), then the remainder one by one.
    /// Binds through SQLite's C API (SQLitePCLRaw, which Microsoft.Data.Sqlite itself runs on): ADO.NET parameter objects
    /// cost about a microsecond each, which made them the bottleneck of bulk ingest. <paramref name="bind"/> receives the
    /// statement, the 1-based index of the row's first parameter and the row index.
    /// </summary>
    internal static void BulkInsert(DbConnection c, string head, int columns, int count, string tail, Action<sqlite3_stmt, int, int> bind)
    {
        var db = ((SqliteConnection)c).Handle!;
        var i = 0;
        foreach (var size in new[] { RowsPerStatement, 1 })
        {
            if (count - i < size) continue;
            Check(db, raw.sqlite3_prepare_v2(db, MultiRow(head, columns, size) + tail, out var st));
            try
            {
                for (; count - i >= size; i += size)
                {
                    for (var r = 0; r < size; r++) bind(st, r * columns + 1, i + r);
                    var rc = raw.sqlite3_step(st);
                    if (rc != raw.SQLITE_DONE) Check(db, rc);
                    raw.sqlite3_reset(st);
                }
            }
            finally
            {
                st.Dispose();
            }
        }
    }

    private static void Check(sqlite3 db, int rc)
    {
        if (rc != raw.SQLITE_OK && rc != raw.SQLITE_DONE && rc != raw.SQLITE_ROW)
            throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), rc);
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
                sb.Append('?');
            }
            sb.Append(')');
        }
        return sb.ToString();
    }
}
