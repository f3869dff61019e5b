// Row classes below are filled by Dapper through reflection.
#pragma warning disable CS0649
using System.Globalization;
using System.Text.Json;
using Dapper;
using ZeroPark.Domain;
using ZeroPark.Application.EnergyManagement;

namespace ZeroPark.Application.EnergyManagement;

/// <summary>Energy plans of a park and its buildings (table energy_plans of migration 004_plans).</summary>
/// <summary>Energy plans per park, node, carrier and month (module <c>EnergyManagement</c>).</summary>
public sealed class PlanStore(ZeroParkStore db)
{
    private sealed class PlanRow
    {
        public long id; public long? space_id; public string carrier = ""; public long year; public long month; public double amount; public string basis = "";
        public long updated_at; public string updated_by = "";
    }

    /// <summary>The local date "today" in the park's time zone (the store's clock).</summary>
    public DateOnly LocalToday(Park park) => park.Clock.LocalDate(db.Clock.GetUtcNow().ToUnixTimeSeconds());

    /// <summary>Sets one plan (inserts it or replaces the amount of the same node, carrier, year and month), audited.</summary>
    public async Task<EnergyPlan> SetEnergyPlanAsync(string parkCode, PlanDraft draft, string user = "system", CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        var w = PlanRules.Validate(reg, draft);
        await SetEnergyPlansAsync(parkCode, [w], user, ct);
        return (await ListEnergyPlansAsync(parkCode, w.Year, w.Carrier, w.Building?.Code ?? reg.Park.Code, ct)).Single(p => (p.Month ?? 0) == w.Month);
    }

    /// <summary>Sets several plans in one transaction (all or nothing); each insert or change is written to the audit log with
    /// the old and new amount.</summary>
    public async Task SetEnergyPlansAsync(string parkCode, IReadOnlyList<PlanWrite> plans, string user = "system", CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        var parkId = reg.Park.Id.Value;
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var at = db.Clock.GetUtcNow().ToUnixTimeSeconds();
        foreach (var w in plans)
        {
            var space = w.Building?.Id.Value;
            var carrier = Codes.Of(w.Carrier);
            var old = await c.QueryFirstOrDefaultAsync<PlanRow>(
                "SELECT id, space_id, carrier, year, month, amount, basis, updated_at, updated_by FROM energy_plans " +
                "WHERE park_id = @parkId AND COALESCE(space_id, 0) = @s AND carrier = @carrier AND year = @year AND month = @month",
                new { parkId, s = space ?? 0, carrier, year = w.Year, month = w.Month }, tx);
            if (old is null)
                await c.ExecuteAsync(
                    "INSERT INTO energy_plans (park_id, space_id, carrier, year, month, amount, basis, updated_at, updated_by) " +
                    "VALUES (@parkId, @space, @carrier, @year, @month, @amount, @basis, @at, @user)",
                    new { parkId, space, carrier, year = w.Year, month = w.Month, amount = w.Amount, basis = w.Basis, at, user }, tx);
            else
                await c.ExecuteAsync("UPDATE energy_plans SET amount = @amount, basis = @basis, updated_at = @at, updated_by = @user WHERE id = @id",
                    new { id = old.id, amount = w.Amount, basis = w.Basis, at, user }, tx);
            var key = $"{w.Building?.Code ?? reg.Park.Code}/{carrier}/{PlanRules.PeriodCode(w.Year, w.Month)}";
            var unit = MeterUnits.CanonicalUnit(w.Carrier);
            await db.AuditAsync(c, tx, parkId, user, old is null ? "create" : "update", "energy_plan", key, null,
                old is null ? null : $"{old.amount.ToString(CultureInfo.InvariantCulture)} {unit} ({old.basis})",
                $"{w.Amount.ToString(CultureInfo.InvariantCulture)} {unit} ({w.Basis})");
        }
        await tx.CommitAsync(ct);
    }

    /// <summary>The park's plans, optionally for one year, carrier and node (park code or building code), ordered by node (park
    /// first), carrier, year and month (annual first).</summary>
    public async Task<IReadOnlyList<EnergyPlan>> ListEnergyPlansAsync(string parkCode, int? year = null, Carrier? carrier = null, string? node = null,
        CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        var building = node is null ? null : PlanRules.Building(reg, node);
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<PlanRow>(
            "SELECT id, space_id, carrier, year, month, amount, basis, updated_at, updated_by FROM energy_plans WHERE park_id = @p " +
            (year is null ? "" : " AND year = @year") + (carrier is null ? "" : " AND carrier = @carrier") +
            (node is null ? "" : " AND COALESCE(space_id, 0) = @space"),
            new { p = reg.Park.Id.Value, year, carrier = carrier is { } cc ? Codes.Of(cc) : null, space = building?.Id.Value ?? 0 });
        var clock = reg.Clock;
        return rows
            .Select(r =>
            {
                var cr = Codes.ParseCarrier(r.carrier);
                var nodeCode = r.space_id is { } s && reg.SpacesById.TryGetValue(s, out var sp) ? sp.Code : reg.Park.Code;
                return new EnergyPlan(r.id, nodeCode, r.space_id is null, cr, (int)r.year, r.month == 0 ? null : (int)r.month, r.amount,
                    MeterUnits.CanonicalUnit(cr), r.basis, clock.ToLocalOffset(r.updated_at), r.updated_by);
            })
            .OrderBy(p => p.IsPark ? 0 : 1).ThenBy(p => p.Node, StringComparer.Ordinal).ThenBy(p => Codes.Of(p.Carrier), StringComparer.Ordinal)
            .ThenBy(p => p.Year).ThenBy(p => p.Month ?? 0)
            .ToList();
    }
}
