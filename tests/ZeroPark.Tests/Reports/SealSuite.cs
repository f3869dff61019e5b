using System.Text;
using Dapper;
using ZeroPark.Application;
using ZeroPark.Application.Carbon;
using ZeroPark.Application.Reports;
using ZeroPark.Carbon;
using ZeroPark.Domain;
using ZeroPark.Tests.EnergyManagement;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.Reports;

/// <summary>
/// Sealed inventories on SQLite and PostgreSQL: finalizing seals an inventory, and every tampering with raw SQL — a stored
/// result, a factor used, an activity record used, a readings' rollup used, the seal itself, the chain — is detected and named.
/// The park is <see cref="EnergyTestPark"/>: grid +130 kWh/h for the 24 hours closing on Jan 31 → January 3,120 kWh; +140 kWh/h
/// on Feb 1 → February 3,360 kWh. National factor (MEE-NBS 2023) 0.5306 kgCO2/kWh: location-based scope 2 =
/// 6,480 kWh × 0.5306 / 1000 = 3.438288 t. A diesel record of 1,000 L on 2025-01-31 is the one activity record.
/// The inventory covers 2025-01-01…2025-02-28, whole months, so its grid activity is read from the monthly rollups.
/// </summary>
public abstract class SealSuite : IAsyncLifetime
{
    private const string Park = "s1";
    private static readonly DateOnly From = new(2025, 1, 1);
    private static readonly DateOnly To = new(2025, 2, 28);

    protected ZeroParkStore Store { get; private set; } = null!;
    private CarbonService Carbon => new(Store);
    private SealService Seals => new(Store, Carbon);

    protected abstract string NewDatabase();

    public async Task InitializeAsync()
    {
        Store = await ZeroParkStore.OpenAsync(NewDatabase());
        await EnergyTestPark.SeedAsync(Store, Park);
        var (rows, errors) = ActivityCsv.Parse(new MemoryStream(Encoding.UTF8.GetBytes("date,source,material,amount,unit,scope3_category,note\n2025-01-31,diesel_generator,diesel,1000,L,,test run\n")));
        Assert.Equal(1, (await Store.Carbon.ImportActivitiesAsync(Park, rows, errors, "alice")).Accepted);
    }

    public async Task DisposeAsync() => await Store.DisposeAsync();

    private async Task<StoredInventory> SealedAsync(GwpSet gwp = GwpSet.AR6)
    {
        var (saved, _, _) = await Carbon.SaveAsync(Park, null, From, To, AccountingMethod.Ghgp, gwp, null, "", "alice");
        var (final, seal) = await Seals.FinalizeAsync(Park, saved.Id, "alice");
        Assert.Equal("final", final.Status);
        Assert.Equal(64, seal.Hash.Length);
        return final;
    }

    private async Task SqlAsync(string sql, object? args = null)
    {
        await using var c = await Store.OpenConnectionAsync();
        Assert.Equal(1, await c.ExecuteAsync(sql, args));
    }

    private async Task<SealCheck> OnlyFailureAsync()
    {
        var v = await Seals.VerifyAsync(Park);
        Assert.False(v.AllHold);
        return Assert.Single(v.Inventories, c => !c.Holds);
    }

    [Fact]
    public async Task A_finalized_inventory_is_sealed_over_its_inputs_and_verifies()
    {
        var inv = await SealedAsync();
        Assert.Equal(3.438288, inv.Scope2LocationT, 1e-9);
        var seal = await Seals.SealOfAsync(Park, inv.Id);
        Assert.NotNull(seal);
        Assert.Equal(ZeroPark.Reports.SealDocument.Genesis, seal!.PrevHash);
        // The sealed document holds the inputs: both grid rollups, the diesel record, the national grid factor.
        Assert.Contains("rollup meter grid 2025-01 electricity\t", seal.Document, StringComparison.Ordinal);
        Assert.Contains("amount=3120\t", seal.Document, StringComparison.Ordinal);
        Assert.Contains("amount=3360\t", seal.Document, StringComparison.Ordinal);
        Assert.Contains("activity record #", seal.Document, StringComparison.Ordinal);
        Assert.Contains("value=0.5306\t", seal.Document, StringComparison.Ordinal);
        var v = await Seals.VerifyAsync(Park);
        Assert.True(v.AllHold);
        Assert.Equal("ok", Assert.Single(v.Inventories).Status);
        Assert.Equal(seal.Hash, v.ChainHead);
        // A second finalize is refused; the audit log has the seal.
        await Assert.ThrowsAsync<ConflictException>(() => Seals.FinalizeAsync(Park, inv.Id, "alice"));
        Assert.Contains(await Store.Audit.AuditLogAsync(Park), a => a.Action == "seal" && a.NewValue == seal.Hash);
    }

    [Fact]
    public async Task A_stored_result_edited_in_the_database_is_named()
    {
        var inv = await SealedAsync();
        await SqlAsync("UPDATE carbon_inventories SET scope1_t = 1 WHERE id = @id", new { id = inv.Id });
        var bad = await OnlyFailureAsync();
        Assert.Equal(inv.Id, bad.InventoryId);
        Assert.Contains(bad.Changes, c => c.StartsWith("result totals: scope1_t ", StringComparison.Ordinal) && c.EndsWith(" → 1", StringComparison.Ordinal));
        Assert.Contains($"inventory #{inv.Id} v1 s1 2025-01-01…2025-02-28 ghgp AR6: CHANGED: result totals: scope1_t", bad.Line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_factor_edited_in_place_is_named()
    {
        var inv = await SealedAsync();
        var (_, result) = await Carbon.LoadAsync(Park, inv.Id);
        var factorId = result.Lines.Single(l => l.Basis == Scope2Basis.Location).Factors[0].Id;
        await SqlAsync("UPDATE carbon_factors SET value = 0.1 WHERE id = @id", new { id = factorId });
        var bad = await OnlyFailureAsync();
        Assert.Contains($"factor #{factorId}: value 0.5306 → 0.1", bad.Changes);
    }

    [Fact]
    public async Task An_activity_record_edited_in_place_is_named()
    {
        var inv = await SealedAsync();
        var record = Assert.Single(await Store.Carbon.ActivitiesAsync(Park, From, To));
        await SqlAsync("UPDATE carbon_activities SET amount = 1 WHERE id = @id", new { id = record.Id });
        var bad = await OnlyFailureAsync();
        Assert.Equal(inv.Id, bad.InventoryId);
        Assert.Contains($"activity record #{record.Id}: amount 1000 → 1", bad.Changes);
    }

    [Fact]
    public async Task A_rollup_changed_is_named()
    {
        await SealedAsync();
        var reg = await Store.Registry.GetRegistryAsync(Park);
        // January's grid rollup 3,120 kWh + 1,000 = 4,120 kWh.
        await SqlAsync("UPDATE rollup_month SET sum = sum + 1000 WHERE series_id = @s AND bucket = @b",
            new { s = reg.Meter("grid").Id.Value, b = (long)ParkClock.MonthKey(new DateOnly(2025, 1, 1)) });
        var bad = await OnlyFailureAsync();
        Assert.Contains("rollup meter grid 2025-01 electricity: amount 3120 → 4120", bad.Changes);
    }

    [Fact]
    public async Task The_seal_itself_and_the_chain_are_checked()
    {
        var v1 = await SealedAsync(GwpSet.AR6);
        var v2 = await SealedAsync(GwpSet.AR5);
        var seals = await Store.Reports.SealsAsync(Park);
        Assert.Equal(seals[0].Hash, seals[1].PrevHash);
        Assert.True((await Seals.VerifyAsync(Park)).AllHold);

        // Someone edits the sealed copy of the first inventory's scope 1 along with the row: the seal's own hash exposes it.
        var edited = seals[0].Document.Replace("scope1_t=", "scope1_t=9", StringComparison.Ordinal);
        await SqlAsync("UPDATE inventory_seals SET document = @d WHERE id = @id", new { d = edited, id = seals[0].Id });
        var bad = await OnlyFailureAsync();
        Assert.Equal(v1.Id, bad.InventoryId);
        Assert.Contains(bad.Changes, c => c.Contains("differs from its hashes in section(s) results", StringComparison.Ordinal));

        // The first seal removed: the second one no longer chains.
        await SqlAsync("DELETE FROM inventory_seals WHERE id = @id", new { id = seals[0].Id });
        var v = await Seals.VerifyAsync(Park);
        var second = Assert.Single(v.Inventories, c => c.InventoryId == v2.Id);
        Assert.Contains(second.Changes, c => c.StartsWith("seal chain broken", StringComparison.Ordinal));
        var first = Assert.Single(v.Inventories, c => c.InventoryId == v1.Id);
        Assert.Equal("unsealed", first.Status);
    }

    [Fact]
    public async Task A_restated_inventory_still_holds_what_it_reported_and_the_restatement_holds_the_new_inputs()
    {
        var v1 = await SealedAsync();
        // A corrected delivery (1,000 → 1,200 L) through the normal import: v1's input moved on, v2 restates it.
        var (rows, errors) = ActivityCsv.Parse(new MemoryStream(Encoding.UTF8.GetBytes("date,source,material,amount,unit,scope3_category,note\n2025-01-31,diesel_generator,diesel,1200,L,,test run\n")));
        Assert.Equal(1, (await Store.Carbon.ImportActivitiesAsync(Park, rows, errors, "bob")).Corrected);
        var notYet = await OnlyFailureAsync();
        Assert.Contains(notYet.Changes, c => c.EndsWith(": amount 1000 → 1200", StringComparison.Ordinal));
        // Finalizing the stale v1's twin is refused until a new version is saved.
        var v2 = await SealedAsync();
        Assert.Equal(2, v2.Version);
        var v = await Seals.VerifyAsync(Park);
        Assert.True(v.AllHold);
        var old = Assert.Single(v.Inventories, c => c.InventoryId == v1.Id);
        Assert.Equal("superseded", old.Status);
        Assert.Contains(old.Notes, n => n.EndsWith(": amount 1000 → 1200", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_version_whose_inputs_changed_since_it_was_saved_is_not_sealed()
    {
        var (saved, _, _) = await Carbon.SaveAsync(Park, null, From, To, AccountingMethod.Ghgp, GwpSet.AR6, null, "", "alice");
        await SqlAsync("UPDATE carbon_activities SET amount = 2 WHERE park_id = (SELECT id FROM parks WHERE code = @p)", new { p = Park });
        var e = await Assert.ThrowsAsync<ConflictException>(() => Seals.FinalizeAsync(Park, saved.Id, "alice"));
        Assert.Contains("save a new version", e.Message, StringComparison.Ordinal);
        Assert.Equal("draft", (await Store.Carbon.InventoriesAsync(Park, saved.Id))[0].Status);
    }
}

public sealed class SqliteSealTests : SealSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

public sealed class PostgresSealTests : SealSuite
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL seal tests need ZEROPARK_TEST_PG; run ./scripts/test.sh (it starts a server on 127.0.0.1)")
        : TestDatabases.NewPostgresDatabase();
}
