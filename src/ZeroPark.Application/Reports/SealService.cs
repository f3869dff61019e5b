using System.Globalization;
using System.Text.Json;
using ZeroPark.Application.Carbon;
using ZeroPark.Carbon;
using ZeroPark.Reports;

namespace ZeroPark.Application.Reports;

/// <summary>The verification of one sealed (or final but unsealed) inventory.</summary>
/// <param name="Status">ok | changed | unsealed | superseded (a later sealed version restates it; its inputs may have moved on).</param>
/// <param name="Changes">What no longer matches the seal, one text per item and field ("factor #12: value 0.5306 → 0.1").</param>
/// <param name="Notes">Input changes of a superseded version (expected: they are why it was restated), not failures.</param>
public sealed record SealCheck(long InventoryId, int Version, string Label, string Status, bool Holds, string? Hash, DateTimeOffset? SealedAt, string? SealedBy,
    IReadOnlyList<string> Changes, IReadOnlyList<string> Notes)
{
    /// <summary>The line <c>zeropark verify</c> prints: "inventory #3 v1 … : ok (seal 1a2b…)" or "…: CHANGED: what; what".</summary>
    public string Line => Holds
        ? $"{Label}: {Status} (seal {Hash?[..16]}){(Notes.Count > 0 ? " — inputs since changed: " + string.Join("; ", Notes) : "")}"
        : $"{Label}: {Status.ToUpperInvariant()}: {string.Join("; ", Changes)}";
}

/// <summary>The verification of every sealed inventory of a park and the chain's head hash.</summary>
public sealed record SealVerification(string Park, bool AllHold, string? ChainHead, IReadOnlyList<SealCheck> Inventories);

/// <summary>
/// Sealed inventories: finalizing an inventory seals it — SHA-256 over the canonical form (<see cref="SealDocument"/>) of its
/// inputs (activity records, the readings' monthly rollups used, the factor records used, instruments, settings) and results
/// (the stored totals, each line, the hash of the stored result), chained to the park's previous seal. Verification rebuilds
/// the same document from the live store and names every item that changed, checks each seal against its own hash and the
/// chain. An attacker who can rewrite the database can also rewrite seals consistently: the chain head printed on every report
/// (and by <c>zeropark verify</c>) is what a verifier compares against a report they hold.
/// </summary>
public sealed class SealService(ZeroParkStore store, CarbonService carbon)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Input sections (may legitimately move on after a restatement) and the sections that are what was reported.</summary>
    public static readonly IReadOnlySet<string> ReportedSections = new HashSet<string>(["inventory", "results", "line"], StringComparer.Ordinal);

    /// <summary>Finalizes and seals a saved inventory version in one transaction. The version must still be what the store
    /// computes (else its inputs changed since it was saved: save a new version and finalize that). A version finalized before
    /// sealing existed is sealed on a second finalize.</summary>
    public async Task<(StoredInventory Inventory, SealRecord Seal)> FinalizeAsync(string park, long id, string user, CancellationToken ct = default)
    {
        var (inv, _) = await carbon.LoadAsync(park, id, ct);
        var seals = await store.Reports.SealsAsync(park, ct);
        if (seals.Any(s => s.InventoryId == id))
            throw new ConflictException($"inventory #{id} is already final and sealed (since {inv.FinalizedAt:yyyy-MM-dd HH:mm} by {inv.FinalizedBy})");
        var (method, gwp, options, node) = Parameters(park, inv);
        var fresh = await carbon.ComputeAsync(park, node, inv.From, inv.To, method, gwp, options, ct);
        var json = JsonSerializer.Serialize(fresh, CarbonJson.Options);
        if (SealDocument.Sha256(json) != inv.Fingerprint)
            throw new ConflictException($"inventory #{id} v{inv.Version} is not what the store computes now (its inputs changed since it was saved): save a new version and finalize that");
        var reg = await store.Registry.GetRegistryAsync(park, ct);
        SealRecord? sealRecord = null;
        // The document is built before the transaction (its reads use their own connections); it is the final version's.
        var doc = await DocumentAsync(park, inv with { Status = "final" }, SealDocument.Parse(""), forSealing: true, ct);
        async Task Seal(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, StoredInventory final)
        {
            var head = await ReportStore.HeadAsync(c, tx, reg.Park.Id.Value);
            var prev = head?.Hash ?? SealDocument.Genesis;
            var at = store.Clock.GetUtcNow().ToUnixTimeSeconds();
            var sections = doc.SectionHashes();
            var hash = SealDocument.ChainHash(prev, park, id, at, user, sections);
            sealRecord = new SealRecord(0, (head?.Seq ?? 0) + 1, id, prev, hash, SealDocument.FormatSectionHashes(sections), doc.Canonical(), at, user);
            await ReportStore.InsertSealAsync(c, tx, reg.Park.Id.Value, sealRecord);
            await store.AuditAsync(c, tx, reg.Park.Id.Value, user, "seal", "inventory", $"#{id}", null, prev, hash);
        }
        if (inv.Status == "final")
        {
            // Finalized before sealing existed: seal it now.
            await using var c = await store.OpenConnectionAsync(ct);
            await using var tx = await c.BeginTransactionAsync(ct);
            await store.LockParkAsync(c, tx, reg.Park.Id.Value, ct);
            await Seal(c, tx, inv);
            await tx.CommitAsync(ct);
            return (inv, sealRecord!);
        }
        var finalInv = await store.Carbon.FinalizeInventoryAsync(park, id, user, Seal, ct);
        return (finalInv, sealRecord!);
    }

    private static (AccountingMethod, GwpSet, InventoryOptions, string?) Parameters(string park, StoredInventory inv)
    {
        var method = AccountingMethods.Parse(inv.Method);
        var gwp = Enum.Parse<GwpSet>(inv.Gwp, true);
        string? grid = null;
        ResidualMode? residual = null;
        foreach (var part in inv.Options.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var kv = part.Split('=', 2);
            if (kv.Length != 2) continue;
            if (kv[0] == "grid") grid = kv[1];
            if (kv[0] == "residual") residual = CarbonService.ParseResidual(kv[1]);
        }
        return (method, gwp, new InventoryOptions(grid, residual), inv.Boundary == park ? null : inv.Boundary);
    }

    /// <summary>The canonical document of an inventory from the live store: its row and result, the activity data of its
    /// boundary and period, the factor records its lines used (by id, read fresh from the table, never from a cache), the
    /// instruments covering its period and the settings it was computed with. <paramref name="sealedDoc"/> names the factor
    /// records to read (those of the sealed document), so a factor the result no longer cites still shows as changed.</summary>
    private async Task<SealDocument> DocumentAsync(string park, StoredInventory inv, SealDocument sealedDoc, bool forSealing, CancellationToken ct)
    {
        var d = new SealDocument();
        d.Add("inventory", $"inventory #{inv.Id}", ("park", park), ("boundary", inv.Boundary), ("from", inv.From), ("to", inv.To), ("method", inv.Method),
            ("gwp", inv.Gwp), ("options", inv.Options), ("version", inv.Version), ("status", inv.Status), ("fingerprint", inv.Fingerprint));
        d.Add("results", "result totals", ("scope1_t", inv.Scope1T), ("scope2_location_t", inv.Scope2LocationT), ("scope2_market_t", inv.Scope2MarketT),
            ("scope3_t", inv.Scope3T), ("memo_t", inv.MemoT), ("result_sha256", SealDocument.Sha256(inv.ResultJson)));
        InventoryResult? result = null;
        try { result = JsonSerializer.Deserialize<InventoryResult>(inv.ResultJson, CarbonJson.Options); }
        catch (JsonException) { d.Add("line", "result lines", ("readable", false)); }
        var factorIds = new SortedSet<long>();
        if (result is not null)
        {
            foreach (var l in result.Lines)
            {
                d.Add("line", $"result line {l.Id}", ("scope", l.Scope.ToString().ToLowerInvariant()), ("basis", l.Basis.Code()), ("source", l.Source), ("material", l.Material),
                    ("space", l.Space), ("activity", l.Activity), ("unit", l.Unit), ("co2e_t", l.Co2eTonnes));
                foreach (var f in l.Factors.Where(f => f.Id > 0)) factorIds.Add(f.Id);
            }
        }
        // Factors: those the result cites when sealing; those the seal named when verifying.
        if (!forSealing)
        {
            factorIds.Clear();
            foreach (var i in sealedDoc.Items.Where(i => i.Section == "factor"))
                if (long.TryParse(i.Key.AsSpan("factor #".Length), NumberStyles.None, Inv, out var fid)) factorIds.Add(fid);
        }
        var factors = (await store.Carbon.FactorsAsync(ct)).ToDictionary(f => f.Id);
        foreach (var fid in factorIds)
        {
            if (!factors.TryGetValue(fid, out var f)) continue;
            d.Add("factor", $"factor #{fid}", ("dataset", f.Dataset), ("kind", FactorCsv.Code(f.Kind)), ("material", f.Material), ("gas", f.Gas), ("value", f.Value),
                ("unit", f.Unit), ("level", FactorCsv.Code(f.Level)), ("region", f.Region), ("application", f.Application), ("methods", f.Methods),
                ("publisher", f.Publisher), ("document", f.Document), ("data_year", f.DataYear), ("valid_from", f.ValidFrom), ("valid_to", f.ValidTo),
                ("carbon_content", f.CarbonContent), ("oxidation_rate", f.OxidationRate), ("note", f.Note), ("version", f.Version));
        }

        var (_, _, options, node) = Parameters(park, inv);
        var ctx = await carbon.ContextAsync(park, node, inv.From, inv.To, options, ct);
        foreach (var a in ctx.Activities)
        {
            if (a.Meter is { } meter)
                d.Add("rollup", $"rollup meter {meter} {a.Date:yyyy-MM} {a.Material}", ("source", a.Source), ("amount", a.Amount), ("unit", a.Unit), ("origin", a.Origin));
            else
                d.Add("activity", $"activity record #{a.Id}", ("date", a.Date), ("source", a.Source), ("material", a.Material), ("amount", a.Amount), ("unit", a.Unit),
                    ("scope3_category", a.Scope3Category), ("space", a.Space), ("note", a.Note), ("density", a.Density), ("ncv", a.Ncv));
        }
        foreach (var i in ctx.Instruments.Where(i => i.CoverTo >= inv.From && i.CoverFrom <= inv.To))
            d.Add("instrument", $"instrument #{i.Id}", ("kind", Instrument.Code(i.Kind)), ("quantity_kwh", i.QuantityKwh), ("factor_kg_per_kwh", i.FactorKgPerKwh),
                ("cover_from", i.CoverFrom), ("cover_to", i.CoverTo), ("region", i.Region), ("reference", i.Reference));
        d.Add("setting", "grid_dataset", ("value", ctx.GridDataset));
        d.Add("setting", "residual", ("value", ctx.Residual.ToString().ToLowerInvariant()));
        d.Add("setting", "province", ("value", ctx.Place.Province));
        d.Add("setting", "grid_region", ("value", ctx.Place.GridRegion));
        d.Add("setting", "instrument_share", ("value", ctx.InstrumentShare));
        return d;
    }

    /// <summary>Checks every seal of the park (chain, each seal's own hashes, the live store against each sealed document) and
    /// every final inventory without a seal.</summary>
    public async Task<SealVerification> VerifyAsync(string park, CancellationToken ct = default)
    {
        var seals = await store.Reports.SealsAsync(park, ct);
        var inventories = (await store.Carbon.InventoriesAsync(park, null, ct)).ToDictionary(i => i.Id);
        var reg = await store.Registry.GetRegistryAsync(park, ct);
        var checks = new List<SealCheck>();
        var prev = SealDocument.Genesis;
        var sealedDocs = new Dictionary<long, SealDocument?>();
        foreach (var s in seals)
        {
            SealDocument? doc = null;
            try { doc = SealDocument.Parse(s.Document); }
            catch (Exception e) when (e is FormatException or InvalidOperationException) { }
            sealedDocs[s.Id] = doc;
        }
        static string KeyOf(SealDocument? d)
        {
            var i = d?.Items.FirstOrDefault(x => x.Section == "inventory");
            return i is null ? "" : string.Join('|', i.Field("boundary"), i.Field("from"), i.Field("to"), i.Field("method"), i.Field("gwp"), i.Field("options"));
        }
        foreach (var s in seals)
        {
            var problems = new List<string>();
            var notes = new List<string>();
            var doc = sealedDocs[s.Id];
            if (s.PrevHash != prev)
                problems.Add($"seal chain broken: this seal follows {Short(s.PrevHash)}, the previous seal in the store is {Short(prev)} (a seal was removed or edited)");
            prev = s.Hash;
            var recomputed = SealDocument.ChainHash(s.PrevHash, park, s.InventoryId, s.SealedAtUnix, s.SealedBy, SealDocument.ParseSectionHashes(s.Sections));
            if (recomputed != s.Hash) problems.Add($"seal hash {Short(s.Hash)} does not match the seal's contents ({Short(recomputed)}): the seal was edited");
            if (doc is null) problems.Add("sealed document unreadable: the seal was edited");
            else if (SealDocument.FormatSectionHashes(doc.SectionHashes()) != s.Sections)
            {
                var stored = SealDocument.ParseSectionHashes(s.Sections);
                var bad = doc.SectionHashes().Where(h => stored.GetValueOrDefault(h.Key) != h.Value).Select(h => h.Key).ToList();
                problems.Add($"sealed document differs from its hashes in section(s) {string.Join(", ", bad.DefaultIfEmpty("(list)"))}: the seal was edited");
            }
            var inventoryItem = doc?.Items.FirstOrDefault(i => i.Section == "inventory");
            var version = int.TryParse(inventoryItem?.Field("version"), NumberStyles.Integer, Inv, out var v) ? v : 0;
            var label = inventoryItem is null ? $"inventory #{s.InventoryId}"
                : $"inventory #{s.InventoryId} v{version} {inventoryItem.Field("boundary")} {inventoryItem.Field("from")}…{inventoryItem.Field("to")} {inventoryItem.Field("method")} {inventoryItem.Field("gwp")}";
            var superseded = doc is not null && seals.Any(o => o.Seq > s.Seq && KeyOf(sealedDocs[o.Id]) == KeyOf(doc) && KeyOf(doc) != "");
            if (!inventories.TryGetValue(s.InventoryId, out var inv)) problems.Add("the inventory row was deleted");
            else
            {
                if (inv.Status != "final") problems.Add($"status final → {inv.Status}");
                if (doc is not null)
                {
                    var live = await DocumentAsync(park, inv, doc, forSealing: false, ct);
                    foreach (var c in SealDocument.Compare(doc, live))
                    {
                        if (c.Section == "inventory" && c.Field == "status") continue; // named above
                        if (superseded && !ReportedSections.Contains(c.Section)) notes.Add(c.Describe());
                        else problems.Add(c.Describe());
                    }
                }
            }
            var holds = problems.Count == 0;
            checks.Add(new SealCheck(s.InventoryId, version, label, holds ? (superseded ? "superseded" : "ok") : "changed", holds, s.Hash,
                reg.Clock.ToLocalOffset(s.SealedAtUnix), s.SealedBy, problems, notes));
        }
        var sealedIds = seals.Select(s => s.InventoryId).ToHashSet();
        foreach (var inv in inventories.Values.Where(i => i.Status == "final" && !sealedIds.Contains(i.Id)))
            checks.Add(new SealCheck(inv.Id, inv.Version, $"inventory #{inv.Id} v{inv.Version} {inv.Boundary} {inv.From:yyyy-MM-dd}…{inv.To:yyyy-MM-dd} {inv.Method} {inv.Gwp}",
                "unsealed", false, null, null, null,
                [$"final but not sealed (finalized before sealing existed, or its status was edited): seal it with `zeropark carbon finalize --inventory {inv.Id}`"], []));
        return new SealVerification(park, checks.All(c => c.Holds), seals.Count > 0 ? seals[^1].Hash : null, checks.OrderBy(c => c.InventoryId).ToList());
    }

    /// <summary>The seal of one inventory, if sealed.</summary>
    public async Task<SealRecord?> SealOfAsync(string park, long inventoryId, CancellationToken ct = default) =>
        (await store.Reports.SealsAsync(park, ct)).FirstOrDefault(s => s.InventoryId == inventoryId);

    private static string Short(string h) => h.Length > 16 ? h[..16] : h;
}
