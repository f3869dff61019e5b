// Row classes below are filled by Dapper through reflection.
#pragma warning disable CS0649
using System.Globalization;
using Dapper;
using ZeroPark.Application.EnergyManagement;

namespace ZeroPark.Application.EnergyManagement;

/// <summary>Master/sub-meter balance groups of a park (table balance_groups of migration 004_plans).</summary>
/// <summary>Master/sub-meter balance groups of a park (module <c>EnergyManagement</c>).</summary>
public sealed class BalanceGroupStore(ZeroParkStore db)
{
    private sealed class BalanceGroupRow
    {
        public long id; public string code = ""; public string? name; public string master = ""; public string sub = ""; public double tolerance_pct;
        public long updated_at; public string updated_by = "";
    }

    /// <summary>Sets (inserts or replaces) a balance group; the formulas must name electricity energy meters of the park. Audited.</summary>
    public async Task<BalanceGroup> SetBalanceGroupAsync(string parkCode, BalanceGroupDraft draft, string user = "system", CancellationToken ct = default)
    {
        TextLimits.Check("name", draft.Name, TextLimits.Name);
        TextLimits.Check("master", draft.Master, TextLimits.Text);
        TextLimits.Check("sub", draft.Sub, TextLimits.Text);
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        var code = (draft.Code ?? "").Trim();
        if (code.Length == 0 || code.Length > 64 || code.Any(char.IsWhiteSpace))
            throw new ValidationException("code", "'code' is required: 1–64 characters without spaces");
        DeviceAnalysisService.Formula(reg, draft.Master, "master");
        DeviceAnalysisService.Formula(reg, draft.Sub, "sub");
        var tolerance = draft.TolerancePct ?? DeviceAnalysisService.DefaultTolerancePct;
        if (!double.IsFinite(tolerance) || tolerance < 0) throw new ValidationException("tolerance_pct", "'tolerance_pct' must be a percentage ≥ 0");
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var p = reg.Park.Id.Value;
        var old = await c.QueryFirstOrDefaultAsync<BalanceGroupRow>(
            "SELECT id, code, name, master, sub, tolerance_pct, updated_at, updated_by FROM balance_groups WHERE park_id = @p AND code = @code", new { p, code }, tx);
        var args = new { p, code, name = draft.Name, master = draft.Master!.Trim(), sub = draft.Sub!.Trim(), tolerance, at = db.Clock.GetUtcNow().ToUnixTimeSeconds(), user };
        if (old is null)
            await c.ExecuteAsync("INSERT INTO balance_groups (park_id, code, name, master, sub, tolerance_pct, updated_at, updated_by) " +
                                 "VALUES (@p, @code, @name, @master, @sub, @tolerance, @at, @user)", args, tx);
        else
            await c.ExecuteAsync("UPDATE balance_groups SET name = @name, master = @master, sub = @sub, tolerance_pct = @tolerance, updated_at = @at, updated_by = @user " +
                                 "WHERE park_id = @p AND code = @code", args, tx);
        static string Describe(string master, string sub, double tol) => $"{master} vs {sub} (tolerance {tol.ToString(CultureInfo.InvariantCulture)} %)";
        await db.AuditAsync(c, tx, p, user, old is null ? "create" : "update", "balance_group", code, null,
            old is null ? null : Describe(old.master, old.sub, old.tolerance_pct), Describe(args.master, args.sub, tolerance));
        await tx.CommitAsync(ct);
        return (await ListBalanceGroupsAsync(parkCode, ct)).Single(g => g.Code == code);
    }

    public async Task<IReadOnlyList<BalanceGroup>> ListBalanceGroupsAsync(string parkCode, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<BalanceGroupRow>(
            "SELECT id, code, name, master, sub, tolerance_pct, updated_at, updated_by FROM balance_groups WHERE park_id = @p", new { p = reg.Park.Id.Value });
        return rows.Select(r => new BalanceGroup(r.code, r.name, r.master, r.sub, r.tolerance_pct, reg.Clock.ToLocalOffset(r.updated_at), r.updated_by))
            .OrderBy(g => g.Code, StringComparer.Ordinal).ToList();
    }
}
