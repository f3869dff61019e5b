using Dapper;

namespace ZeroPark.Application;

public abstract partial class ZeroParkStore
{
    /// <summary>Readings accepted by one file import from which the import refreshes the planner statistics
    /// (<see cref="AnalyzeAfterBulkLoadAsync"/>). Smaller loads leave it to autovacuum (PostgreSQL) or the next bulk load.</summary>
    public const int BulkLoadAnalyzeThreshold = 50_000;

    /// <summary>The tables an ingest writes: reading chunks, hourly blocks (with the day totals), monthly rollups, meter state and the
    /// ingest log.</summary>
    internal static readonly string[] IngestTables = ["readings", "rollup_hours", "rollup_month", "meter_state", "ingest_log"];

    /// <summary>Refreshes the query planner's statistics of the tables a bulk ingest wrote (the demo, large file imports). Right after
    /// a bulk load PostgreSQL's statistics still describe the empty tables until autovacuum gets to them, and the dashboards' queries
    /// on the hourly rollups take the slow plan (measured: Q3 80 ms before, 16 ms after). PostgreSQL: <c>ANALYZE</c> of each table
    /// (a sample of rows, seconds at most); SQLite: <c>ANALYZE</c> of each table with <c>PRAGMA analysis_limit</c> (a bounded
    /// sample), then <c>PRAGMA optimize</c>.</summary>
    public async Task AnalyzeAfterBulkLoadAsync(CancellationToken ct = default)
    {
        await using var c = await OpenConnectionAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandTimeout = 600;
        cmd.CommandText = Kind == StoreKind.Postgres
            ? string.Join(" ", IngestTables.Select(t => $"ANALYZE {t};"))
            : "PRAGMA analysis_limit=2000; " + string.Join(" ", IngestTables.Select(t => $"ANALYZE {t};")) + " PRAGMA optimize;";
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>When the planner statistics of the ingest tables were last refreshed by <c>ANALYZE</c> (PostgreSQL: the newest of
    /// <c>pg_stat_user_tables.last_analyze</c>/<c>last_autoanalyze</c> per table; SQLite: whether <c>sqlite_stat1</c> has rows for the
    /// table, as SQLite keeps no time). For operators and tests.</summary>
    public async Task<IReadOnlyDictionary<string, bool>> IngestTablesAnalyzedAsync(CancellationToken ct = default)
    {
        await using var c = await OpenConnectionAsync(ct);
        var result = new Dictionary<string, bool>(StringComparer.Ordinal);
        var hasStat = Kind == StoreKind.Postgres || await c.ExecuteScalarAsync<long>("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'") > 0;
        foreach (var t in IngestTables)
        {
            result[t] = hasStat && await c.ExecuteScalarAsync<long>(Kind == StoreKind.Postgres
                ? "SELECT count(*) FROM pg_stat_user_tables WHERE relname = @t AND (last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL)"
                : "SELECT count(*) FROM sqlite_stat1 WHERE tbl = @t", new { t }) > 0;
        }
        return result;
    }
}
