using System.Data.Common;
using Dapper;

namespace ZeroPark.Application.Reports;

/// <summary>A stored seal of a finalized inventory (table <c>inventory_seals</c>).</summary>
public sealed record SealRecord(long Id, long Seq, long InventoryId, string PrevHash, string Hash, string Sections, string Document, long SealedAtUnix, string SealedBy);

/// <summary>Seals of finalized inventories, the report archive, report templates and schedules (module <c>Reports</c>).</summary>
public sealed partial class ReportStore(ZeroParkStore db)
{
    internal ZeroParkStore Db => db;

    private sealed class SealRow
    {
        public long Id { get; set; }
        public long Seq { get; set; }
        public long Inventory_Id { get; set; }
        public string Prev_Hash { get; set; } = "";
        public string Hash { get; set; } = "";
        public string Sections { get; set; } = "";
        public string Document { get; set; } = "";
        public long Sealed_At { get; set; }
        public string Sealed_By { get; set; } = "";
    }

    private static SealRecord Map(SealRow r) => new(r.Id, r.Seq, r.Inventory_Id, r.Prev_Hash, r.Hash, r.Sections, r.Document, r.Sealed_At, r.Sealed_By);

    /// <summary>The park's seals in chain order.</summary>
    public async Task<IReadOnlyList<SealRecord>> SealsAsync(string parkCode, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        return (await c.QueryAsync<SealRow>("SELECT * FROM inventory_seals WHERE park_id = @p ORDER BY seq", new { p = reg.Park.Id.Value })).Select(Map).ToList();
    }

    /// <summary>The newest seal of a park inside a transaction (the chain's head), or null.</summary>
    internal static async Task<SealRecord?> HeadAsync(DbConnection c, DbTransaction tx, long parkId) =>
        (await c.QueryAsync<SealRow>("SELECT * FROM inventory_seals WHERE park_id = @p ORDER BY seq DESC LIMIT 1", new { p = parkId }, tx)).Select(Map).FirstOrDefault();

    internal static async Task InsertSealAsync(DbConnection c, DbTransaction tx, long parkId, SealRecord s) =>
        await c.ExecuteAsync(
            """
            INSERT INTO inventory_seals (park_id, seq, inventory_id, prev_hash, hash, sections, document, sealed_at, sealed_by)
            VALUES (@p, @seq, @inv, @prev, @hash, @sections, @doc, @at, @by)
            """,
            new { p = parkId, seq = s.Seq, inv = s.InventoryId, prev = s.PrevHash, hash = s.Hash, sections = s.Sections, doc = s.Document, at = s.SealedAtUnix, by = s.SealedBy }, tx);
}
