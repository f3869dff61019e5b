using System.Data.Common;
using Dapper;

namespace ZeroPark.Application;

/// <summary>What every module's writes share: the audit log's write side and the park's write lock.</summary>
public abstract partial class ZeroParkStore
{
    /// <summary>Writes one audit entry inside the caller's transaction (read back through <see cref="Audit"/>).</summary>
    protected internal async Task AuditAsync(DbConnection c, DbTransaction tx, long? parkId, string user, string action, string entity, string key,
        string? reason, string? oldValue, string? newValue)
    {
        await c.ExecuteAsync(
            "INSERT INTO audit_log (at, park_id, user_name, action, entity, entity_key, reason, old_value, new_value) VALUES (@at, @parkId, @user, @action, @entity, @key, @reason, @oldValue, @newValue)",
            new { at = Clock.GetUtcNow().ToUnixTimeSeconds(), parkId, user, action, entity, key, reason, oldValue, newValue }, tx);
    }

    /// <summary>Takes the park's write lock for the transaction (PostgreSQL advisory lock; SQLite has one writer).</summary>
    protected internal abstract Task LockParkAsync(DbConnection c, DbTransaction tx, long parkId, CancellationToken ct);
}
