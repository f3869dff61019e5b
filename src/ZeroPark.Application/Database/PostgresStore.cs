using System.Data.Common;
using Npgsql;
using NpgsqlTypes;
using ZeroPark.Metering;

namespace ZeroPark.Application;

/// <summary>The production store: PostgreSQL. New reading chunks, hourly rollup blocks and rollup rows go in with binary
/// COPY straight into their tables; changed blocks are staged with binary COPY into a temporary table and merged with one
/// INSERT … ON CONFLICT, changed rollup rows are merged with one INSERT … ON CONFLICT over arrays; a transaction-scoped
/// advisory lock per park serialises writers across server instances.</summary>
public sealed class PostgresStore : ZeroParkStore
{
    private readonly NpgsqlDataSource _dataSource;

    public PostgresStore(string connectionString, TimeProvider clock) : base(clock)
    {
        _dataSource = NpgsqlDataSource.Create(ToKeyValue(connectionString));
    }

    public override StoreKind Kind => StoreKind.Postgres;

    protected internal override DbConnection CreateConnection() => _dataSource.CreateConnection();

    /// <summary>Accepts <c>postgres://user:pass@host:port/db</c> URIs as well as key=value strings.</summary>
    private static string ToKeyValue(string cs)
    {
        if (!cs.StartsWith("postgres", StringComparison.OrdinalIgnoreCase) || !cs.Contains("://", StringComparison.Ordinal)) return cs;
        var uri = new Uri(cs);
        var b = new NpgsqlConnectionStringBuilder { Host = uri.Host, Port = uri.Port > 0 ? uri.Port : 5432, Database = uri.AbsolutePath.TrimStart('/') };
        var userInfo = uri.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0) b.Username = Uri.UnescapeDataString(userInfo[0]);
        if (userInfo.Length > 1) b.Password = Uri.UnescapeDataString(userInfo[1]);
        return b.ToString();
    }

    protected internal override async Task LockParkAsync(DbConnection c, DbTransaction tx, long parkId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock(7291, @p)", (NpgsqlConnection)c, (NpgsqlTransaction)tx);
        cmd.Parameters.AddWithValue("p", (int)parkId);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    protected internal override async Task WriteBlobsAsync(DbConnection c, DbTransaction tx, BlobTable table, List<BlobRow> inserts, List<BlobRow> replaces, CancellationToken ct)
    {
        var conn = (NpgsqlConnection)c;
        // New blocks: binary COPY straight into the table (their keys were checked absent under the park's write lock, so a
        // broken assumption fails the batch on the primary key instead of overwriting anything).
        if (inserts.Count > 0) await CopyBlobsAsync(conn, table.Name, table, inserts, ct);
        if (replaces.Count == 0) return;
        // Replacements: staged with binary COPY and merged with one INSERT … ON CONFLICT.
        await using (var create = new NpgsqlCommand(
            "CREATE TEMP TABLE IF NOT EXISTS blob_stage (key BIGINT, day INTEGER, n INTEGER, data BYTEA, sum DOUBLE PRECISION, nflag INTEGER, nest INTEGER) ON COMMIT DELETE ROWS",
            conn, (NpgsqlTransaction)tx))
        {
            await create.ExecuteNonQueryAsync(ct);
        }
        await CopyBlobsAsync(conn, "blob_stage", table, replaces, ct);
        var (totals, setTotals) = table.HasTotals ? (", sum, nflag, nest", ", sum = excluded.sum, nflag = excluded.nflag, nest = excluded.nest") : ("", "");
        await using var merge = new NpgsqlCommand(
            $"""
            INSERT INTO {table.Name} AS t ({table.KeyColumn}, day, n, data{totals}) SELECT key, day, n, data{totals} FROM blob_stage
            ON CONFLICT ({table.KeyColumn}, day) DO UPDATE SET data = excluded.data, n = excluded.n{setTotals};
            TRUNCATE blob_stage;
            """, conn, (NpgsqlTransaction)tx);
        await merge.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Binary COPY of blocks into <paramref name="target"/>: the table itself (its key column) or the stage (key),
    /// with <paramref name="table"/>'s columns.</summary>
    private static async Task CopyBlobsAsync(NpgsqlConnection conn, string target, BlobTable table, List<BlobRow> rows, CancellationToken ct)
    {
        var stage = target != table.Name;
        var key = stage ? "key" : table.KeyColumn;
        var columns = $"{key}, day, n, data{(table.HasTotals ? ", sum, nflag, nest" : "")}";
        var bigKey = stage || table.KeyColumn == "series_id";
        await using var w = await conn.BeginBinaryImportAsync($"COPY {target} ({columns}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var r in rows)
        {
            w.StartRow();
            if (bigKey) w.Write(r.Key, NpgsqlDbType.Bigint);
            else w.Write((int)r.Key, NpgsqlDbType.Integer);
            w.Write(r.Day, NpgsqlDbType.Integer);
            w.Write(r.N, NpgsqlDbType.Integer);
            w.Write(r.Data, NpgsqlDbType.Bytea);
            if (table.HasTotals)
            {
                w.Write(r.Sum, NpgsqlDbType.Double);
                w.Write(r.NFlag, NpgsqlDbType.Integer);
                w.Write(r.NEst, NpgsqlDbType.Integer);
            }
        }
        await w.CompleteAsync(ct);
    }

    protected internal override async Task<Dictionary<(long Key, int Day), byte[]>> LoadBlobsAsync(DbConnection c, DbTransaction tx, BlobTable table, List<(long Key, int Day)> keys, CancellationToken ct)
    {
        var result = new Dictionary<(long, int), byte[]>();
        await using var cmd = new NpgsqlCommand(
            $"SELECT r.{table.KeyColumn}, r.day, r.data FROM {table.Name} r JOIN unnest(@k, @d) AS k(k, d) ON r.{table.KeyColumn} = k.k AND r.day = k.d",
            (NpgsqlConnection)c, (NpgsqlTransaction)tx);
        cmd.Parameters.AddWithValue("k", keys.Select(k => k.Key).ToArray());
        cmd.Parameters.AddWithValue("d", keys.Select(k => k.Day).ToArray());
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) result[(Convert.ToInt64(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture), r.GetInt32(1))] = (byte[])r.GetValue(2);
        return result;
    }

    protected internal override async Task UpsertRollupsAsync(DbConnection c, DbTransaction tx, string table, RollupRows rows, CancellationToken ct)
    {
        var conn = (NpgsqlConnection)c;
        // Appends go straight into the table; merges through a staging table and one INSERT … ON CONFLICT.
        if (rows.Appends.Count > 0) await CopyRollupsAsync(conn, table, rows.Appends, ct);
        if (rows.Merges.Count == 0) return;
        // Merges: one INSERT … ON CONFLICT over arrays (no staging table to fill and empty each batch).
        await using var merge = new NpgsqlCommand(
            $"""
            INSERT INTO {table} AS t (series_id, bucket, sum, n, nflag, nest) SELECT * FROM unnest(@s, @b, @sum, @n, @nflag, @nest)
            ON CONFLICT (series_id, bucket) DO UPDATE SET sum = t.sum + excluded.sum, n = t.n + excluded.n, nflag = t.nflag + excluded.nflag, nest = t.nest + excluded.nest
            """, conn, (NpgsqlTransaction)tx);
        var m = rows.Merges;
        merge.Parameters.AddWithValue("s", m.Select(r => r.Series).ToArray());
        merge.Parameters.AddWithValue("b", m.Select(r => r.Bucket).ToArray());
        merge.Parameters.AddWithValue("sum", m.Select(r => r.Sum).ToArray());
        merge.Parameters.AddWithValue("n", m.Select(r => r.N).ToArray());
        merge.Parameters.AddWithValue("nflag", m.Select(r => r.NFlag).ToArray());
        merge.Parameters.AddWithValue("nest", m.Select(r => r.NEst).ToArray());
        await merge.ExecuteNonQueryAsync(ct);
    }

    private static async Task CopyRollupsAsync(NpgsqlConnection conn, string table, List<RollupRow> rows, CancellationToken ct)
    {
        await using var w = await conn.BeginBinaryImportAsync($"COPY {table} (series_id, bucket, sum, n, nflag, nest) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var r in rows)
        {
            w.StartRow();
            w.Write(r.Series, NpgsqlDbType.Bigint);
            w.Write(r.Bucket, NpgsqlDbType.Bigint);
            w.Write(r.Sum, NpgsqlDbType.Double);
            w.Write(r.N, NpgsqlDbType.Integer);
            w.Write(r.NFlag, NpgsqlDbType.Integer);
            w.Write(r.NEst, NpgsqlDbType.Integer);
        }
        await w.CompleteAsync(ct);
    }

    protected internal override async Task UpsertStatesAsync(DbConnection c, DbTransaction tx, List<MeterState> states, IReadOnlyDictionary<long, MeterState> stored, CancellationToken ct)
    {
        // Rows that exist (known under the park's lock) are updated in place: cheaper for the server than INSERT … ON CONFLICT,
        // which probes the key for every row first. Meters without a row yet are inserted.
        var updates = states.Where(s => stored.ContainsKey(s.MeterId)).ToList();
        var inserts = states.Where(s => !stored.ContainsKey(s.MeterId)).ToList();
        if (updates.Count > 0)
        {
            await using var update = StateCommand(
                """
                UPDATE meter_state AS s SET last_ts = u.lt, last_value = u.lv, last_flags = u.lf, base_ts = u.bt, base_value = u.bv, base_flags = u.bf
                FROM unnest(@m, @lt, @lv, @lf, @bt, @bv, @bf) AS u(m, lt, lv, lf, bt, bv, bf) WHERE s.meter_id = u.m
                """, (NpgsqlConnection)c, (NpgsqlTransaction)tx, updates);
            await update.ExecuteNonQueryAsync(ct);
        }
        if (inserts.Count > 0)
        {
            await using var insert = StateCommand(
                "INSERT INTO meter_state (meter_id, last_ts, last_value, last_flags, base_ts, base_value, base_flags) SELECT * FROM unnest(@m, @lt, @lv, @lf, @bt, @bv, @bf)",
                (NpgsqlConnection)c, (NpgsqlTransaction)tx, inserts);
            await insert.ExecuteNonQueryAsync(ct);
        }
    }

    private static NpgsqlCommand StateCommand(string sql, NpgsqlConnection c, NpgsqlTransaction tx, List<MeterState> states)
    {
        var cmd = new NpgsqlCommand(sql, c, tx);
        cmd.Parameters.AddWithValue("m", states.Select(s => s.MeterId).ToArray());
        cmd.Parameters.AddWithValue("lt", states.Select(s => s.Last.Ts).ToArray());
        cmd.Parameters.AddWithValue("lv", states.Select(s => s.Last.Value).ToArray());
        cmd.Parameters.AddWithValue("lf", states.Select(s => (int)s.Last.Flags).ToArray());
        cmd.Parameters.AddWithValue("bt", states.Select(s => s.Base?.Ts).ToArray());
        cmd.Parameters.AddWithValue("bv", states.Select(s => s.Base?.Value).ToArray());
        cmd.Parameters.AddWithValue("bf", states.Select(s => s.Base is { } b ? (int?)b.Flags : null).ToArray());
        return cmd;
    }

    public override async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await base.DisposeAsync();
    }
}
