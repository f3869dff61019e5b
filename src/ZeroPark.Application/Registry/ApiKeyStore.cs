using System.Security.Cryptography;
using System.Text;
using Dapper;
using ZeroPark.Domain;

namespace ZeroPark.Application.Registry;

/// <summary>Gateway API keys per park (module <c>Registry</c>): only the keys' SHA-256 hashes are stored; creating and
/// revoking a key is audited.</summary>
public sealed class ApiKeyStore(ZeroParkStore db)
{
    /// <summary>Creates a gateway API key for the park and returns it; only its SHA-256 hash is stored.</summary>
    public async Task<string> CreateApiKeyAsync(string parkCode, string name, string user = "system", CancellationToken ct = default)
    {
        TextLimits.Check("name", name, TextLimits.Name);
        var park = await db.Registry.GetParkAsync(parkCode, ct);
        var key = "zp_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await c.ExecuteAsync("INSERT INTO api_keys (park_id, name, key_hash, created_at) VALUES (@p, @name, @h, @at)",
            new { p = park.Id.Value, name, h = HashKey(key), at = db.Clock.GetUtcNow().ToUnixTimeSeconds() }, tx);
        await db.AuditAsync(c, tx, park.Id.Value, user, "create", "api_key", name, null, null, null);
        await tx.CommitAsync(ct);
        return key;
    }

    /// <summary>The park's gateway API keys, oldest first: id, name and creation time in the park's local time (the keys
    /// themselves are not stored, only their hashes).</summary>
    public async Task<IReadOnlyList<ApiKeyInfo>> ListApiKeysAsync(string parkCode, CancellationToken ct = default)
    {
        var park = await db.Registry.GetParkAsync(parkCode, ct);
        var clock = park.Clock;
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(long id, string name, long created_at)>(
            "SELECT id, name, created_at FROM api_keys WHERE park_id = @p ORDER BY id", new { p = park.Id.Value });
        return rows.Select(r => new ApiKeyInfo(r.id, r.name, clock.ToLocalOffset(r.created_at))).ToList();
    }

    /// <summary>Revokes (deletes) key <paramref name="id"/> of the park: requests with it get 401 from then on. Audited.</summary>
    public async Task RevokeApiKeyAsync(string parkCode, long id, string user = "system", CancellationToken ct = default)
    {
        var park = await db.Registry.GetParkAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var name = await c.ExecuteScalarAsync<string?>("SELECT name FROM api_keys WHERE id = @id AND park_id = @p", new { id, p = park.Id.Value }, tx)
            ?? throw new NotFoundException($"API key {id} not found in park '{park.Code}' (zeropark keys list shows the park's keys)");
        await c.ExecuteAsync("DELETE FROM api_keys WHERE id = @id", new { id }, tx);
        await db.AuditAsync(c, tx, park.Id.Value, user, "revoke", "api_key", $"{name} (id {id})", null, null, null);
        await tx.CommitAsync(ct);
    }

    /// <summary>The name of the key if <paramref name="key"/> is a valid key of the park, else null.</summary>
    public async Task<string?> VerifyApiKeyAsync(string parkCode, string? key, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(key)) return null;
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<string?>(
            "SELECT k.name FROM api_keys k JOIN parks p ON p.id = k.park_id WHERE p.code = @code AND k.key_hash = @h",
            new { code = parkCode, h = HashKey(key) });
    }

    private static string HashKey(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
