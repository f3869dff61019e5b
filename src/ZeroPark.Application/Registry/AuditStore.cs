using Dapper;
using ZeroPark.Domain;

namespace ZeroPark.Application.Registry;

/// <summary>Reading the audit log (module <c>Registry</c>); entries are written by each change's own transaction through
/// <see cref="ZeroParkStore.AuditAsync"/>.</summary>
public sealed class AuditStore(ZeroParkStore db)
{
    public async Task<IReadOnlyList<AuditEntry>> AuditLogAsync(string? parkCode, int limit = 200, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(long id, long at, string? park, string? time_zone, string user_name, string action, string entity, string entity_key, string? reason, string? old_value, string? new_value)>(
            """
            SELECT a.id, a.at, p.code, p.time_zone, a.user_name, a.action, a.entity, a.entity_key, a.reason, a.old_value, a.new_value
            FROM audit_log a LEFT JOIN parks p ON p.id = a.park_id
            WHERE @park IS NULL OR p.code = @park ORDER BY a.id DESC LIMIT @limit
            """, new { park = parkCode, limit });
        // Times in the park's local time (UTC for entries that belong to no park).
        return rows.Select(r => new AuditEntry(r.id, r.time_zone is { } tz ? ParkClock.For(tz).ToLocalOffset(r.at) : DateTimeOffset.FromUnixTimeSeconds(r.at),
            r.park, r.user_name, r.action, r.entity, r.entity_key, r.reason, r.old_value, r.new_value)).ToList();
    }
}
