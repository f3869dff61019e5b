using System.Data.Common;
using System.Globalization;
using Dapper;
using ZeroPark.Carbon;
using ZeroPark.Domain;
using ZeroPark.Metering;

namespace ZeroPark.Application.Carbon;

/// <summary>An activity record as stored, with who entered it and when.</summary>
public sealed record StoredActivity(long Id, DateOnly Date, string Source, string Material, double Amount, string Unit, int? Scope3Category, string Note,
    string Evidence, string? Space, double? Density, double? Ncv, string CreatedBy, DateTimeOffset CreatedAt, string? UpdatedBy)
{
    /// <summary>The supplier named by the record (scope 3), if any.</summary>
    public string? Supplier { get; init; }
}

/// <summary>Outcome of importing activity records: new, unchanged (same record again), corrected (same record, new amount), rejected rows.</summary>
public sealed record ActivityImportResult(int Accepted, int Duplicates, int Corrected, IReadOnlyList<RowError> Rejected);

/// <summary>A saved inventory version (the full result is in <see cref="ResultJson"/>).</summary>
public sealed record StoredInventory(long Id, string Boundary, DateOnly From, DateOnly To, string Method, string Gwp, string Options, int Version, string Status,
    string Fingerprint, double Scope1T, double Scope2LocationT, double Scope2MarketT, double Scope3T, double MemoT, string ResultJson, string? DiffJson,
    string Reason, string CreatedBy, DateTimeOffset CreatedAt, string? FinalizedBy, DateTimeOffset? FinalizedAt);

/// <summary>A module holding park-specific factor records (product carbon footprints of the supply chain module): records with
/// negative ids (never colliding with the factor library's), usually at level supplier with the supplier as region.</summary>
public interface IParkFactorSource
{
    Task<IReadOnlyList<FactorRecord>> ParkFactorsAsync(string parkCode, CancellationToken ct);
}

/// <summary>Factors, activities, instruments, carbon settings and saved inventories (module <c>Carbon</c>).</summary>
public sealed class CarbonStore(ZeroParkStore db)
{
    private volatile bool _factorsSeeded;

    /// <summary>Write-lock key of the factor library (it belongs to no park; park ids start at 1).</summary>
    private const long FactorLibraryLock = 0;

    // ---------------------------------------------------------------- factor library

    /// <summary>Adds the shipped factors that are not in the library yet (a changed shipped value becomes a new version; nothing
    /// is overwritten). Runs once per store instance.</summary>
    public async Task EnsureBuiltinFactorsAsync(CancellationToken ct = default)
    {
        if (_factorsSeeded) return;
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        // Two processes opening a fresh store at once (server and CLI) would both insert version 1: the library's lock
        // serialises them, and the second one then finds the records and adds nothing.
        await db.LockParkAsync(c, tx, FactorLibraryLock, ct);
        // Compared with the latest *shipped* version of each key: a user's own version of a shipped record is never undone by a
        // restart; a shipped record whose published value changed in a new ZeroPark release becomes the next version.
        var all = await LoadFactorsAsync(c, tx);
        var shipped = (await c.QueryAsync<long>("SELECT id FROM carbon_factors WHERE builtin = 1", transaction: tx)).ToHashSet();
        var latestShipped = all.Where(r => shipped.Contains(r.Id)).GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.MaxBy(r => r.Version)!);
        var maxVersion = all.GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.Max(r => r.Version));
        foreach (var r in Carbon.FactorCsv.Builtin())
        {
            if (latestShipped.TryGetValue(r.Key, out var old) && SameContent(old, r)) continue;
            await InsertFactorAsync(c, tx, r with { Version = maxVersion.GetValueOrDefault(r.Key) + 1 }, "zeropark", builtin: true);
        }
        await tx.CommitAsync(ct);
        _factorsSeeded = true;
    }

    private static bool SameContent(FactorRecord a, FactorRecord b) =>
        a.Value.Equals(b.Value) && a.Unit == b.Unit && a.ValidTo == b.ValidTo && a.Methods == b.Methods && a.Publisher == b.Publisher && a.Document == b.Document
        && a.DataYear == b.DataYear && a.CarbonContent == b.CarbonContent && a.OxidationRate == b.OxidationRate && a.Note == b.Note;

    public async Task<IReadOnlyList<FactorRecord>> FactorsAsync(CancellationToken ct = default)
    {
        await EnsureBuiltinFactorsAsync(ct);
        await using var c = await db.OpenConnectionAsync(ct);
        return await LoadFactorsAsync(c, null);
    }

    private sealed class FactorStamp { public long N { get; set; } public long MaxId { get; set; } }

    private volatile Tuple<long, long, ZeroPark.Carbon.FactorLibrary>? _library;

    /// <summary>The factor library, read again only when the table changed: records are only ever added (a new value is a new
    /// version row), so the count and the highest id identify the library's version, also across processes sharing the store.</summary>
    public async Task<ZeroPark.Carbon.FactorLibrary> LibraryAsync(CancellationToken ct = default)
    {
        await EnsureBuiltinFactorsAsync(ct);
        await using var c = await db.OpenConnectionAsync(ct);
        var stamp = await c.QuerySingleAsync<FactorStamp>("SELECT COUNT(*) AS N, COALESCE(MAX(id), 0) AS MaxId FROM carbon_factors");
        if (_library is { } cached && cached.Item1 == stamp.N && cached.Item2 == stamp.MaxId) return cached.Item3;
        var library = new ZeroPark.Carbon.FactorLibrary(await LoadFactorsAsync(c, null));
        _library = Tuple.Create(stamp.N, stamp.MaxId, library);
        return library;
    }

    private readonly List<IParkFactorSource> _parkFactorSources = [];

    /// <summary>Registers a source of park-specific factor records (the supply chain module's product footprints); called once
    /// where the store is composed.</summary>
    public void AddParkFactorSource(IParkFactorSource source)
    {
        lock (_parkFactorSources) _parkFactorSources.Add(source);
    }

    /// <summary>The factor library of one park's inventories: the shared library plus the park's own records (product
    /// footprints as supplier-level factors, <see cref="IParkFactorSource"/>).</summary>
    public async Task<ZeroPark.Carbon.FactorLibrary> LibraryAsync(string parkCode, CancellationToken ct = default)
    {
        var library = await LibraryAsync(ct);
        IParkFactorSource[] sources;
        lock (_parkFactorSources) sources = [.. _parkFactorSources];
        var extra = new List<FactorRecord>();
        foreach (var s in sources) extra.AddRange(await s.ParkFactorsAsync(parkCode, ct));
        return extra.Count == 0 ? library : new ZeroPark.Carbon.FactorLibrary([.. library.Records, .. extra]);
    }

    /// <summary>Adds factor records: a record whose key (dataset, kind, material, gas, level, region, application, valid-from)
    /// exists becomes its next version (the old version stays for the results that used it); identical content is skipped.
    /// Returns the stored records (new or unchanged).</summary>
    public async Task<IReadOnlyList<(FactorRecord Record, string Outcome)>> AddFactorsAsync(IReadOnlyList<FactorRecord> records, string user, CancellationToken ct = default)
    {
        foreach (var r in records)
        {
            TextLimits.Check("dataset", r.Dataset, TextLimits.Name);
            TextLimits.Check("material", r.Material, TextLimits.Name);
            TextLimits.Check("note", r.Note, TextLimits.Text);
        }
        await EnsureBuiltinFactorsAsync(ct);
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await db.LockParkAsync(c, tx, FactorLibraryLock, ct);
        var latest = (await LoadFactorsAsync(c, tx)).GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.MaxBy(r => r.Version)!);
        var result = new List<(FactorRecord, string)>();
        foreach (var r in records)
        {
            if (latest.TryGetValue(r.Key, out var old))
            {
                if (SameContent(old, r)) { result.Add((old, "unchanged")); continue; }
                var added = await InsertFactorAsync(c, tx, r with { Version = old.Version + 1 }, user, builtin: false);
                latest[r.Key] = added;
                await db.AuditAsync(c, tx, null, user, "update", "factor", r.Key, null, $"#{old.Id} v{old.Version} {old.Value} {old.Unit}", $"#{added.Id} v{added.Version} {added.Value} {added.Unit}");
                result.Add((added, "new_version"));
            }
            else
            {
                var added = await InsertFactorAsync(c, tx, r with { Version = 1 }, user, builtin: false);
                latest[r.Key] = added;
                await db.AuditAsync(c, tx, null, user, "create", "factor", r.Key, null, null, $"#{added.Id} v1 {added.Value} {added.Unit}");
                result.Add((added, "added"));
            }
        }
        await tx.CommitAsync(ct);
        return result;
    }

    private async Task<FactorRecord> InsertFactorAsync(DbConnection c, DbTransaction tx, FactorRecord r, string user, bool builtin)
    {
        var id = await c.ExecuteScalarAsync<long>(
            """
            INSERT INTO carbon_factors (dataset, kind, material, gas, value, unit, level, region, application, methods, publisher, document, data_year,
                valid_from, valid_to, carbon_content, oxidation_rate, note, version, builtin, created_at, created_by)
            VALUES (@dataset, @kind, @material, @gas, @value, @unit, @level, @region, @application, @methods, @publisher, @document, @datayear,
                @validfrom, @validto, @cc, @of, @note, @version, @builtin, @at, @user) RETURNING id
            """,
            new
            {
                dataset = r.Dataset, kind = Carbon.FactorCsv.Code(r.Kind), material = r.Material, gas = r.Gas, value = r.Value, unit = r.Unit,
                level = Carbon.FactorCsv.Code(r.Level), region = r.Region, application = r.Application, methods = r.Methods, publisher = r.Publisher,
                document = r.Document, datayear = r.DataYear, validfrom = D(r.ValidFrom), validto = r.ValidTo is { } t ? D(t) : null, cc = r.CarbonContent,
                of = r.OxidationRate, note = r.Note, version = r.Version, builtin = builtin ? 1 : 0, at = db.Clock.GetUtcNow().ToUnixTimeSeconds(), user,
            }, tx);
        return r with { Id = id, CreatedBy = user };
    }

    private sealed class FactorDbRow
    {
        public long Id { get; set; }
        public string Dataset { get; set; } = "";
        public string Kind { get; set; } = "";
        public string Material { get; set; } = "";
        public string Gas { get; set; } = "";
        public double Value { get; set; }
        public string Unit { get; set; } = "";
        public string Level { get; set; } = "";
        public string Region { get; set; } = "";
        public string Application { get; set; } = "";
        public string Methods { get; set; } = "";
        public string Publisher { get; set; } = "";
        public string Document { get; set; } = "";
        public long? Data_Year { get; set; }
        public string Valid_From { get; set; } = "";
        public string? Valid_To { get; set; }
        public double? Carbon_Content { get; set; }
        public double? Oxidation_Rate { get; set; }
        public string Note { get; set; } = "";
        public long Version { get; set; }
        public string Created_By { get; set; } = "";
    }

    private static async Task<IReadOnlyList<FactorRecord>> LoadFactorsAsync(DbConnection c, DbTransaction? tx)
    {
        var rows = await c.QueryAsync<FactorDbRow>("SELECT * FROM carbon_factors ORDER BY id", transaction: tx);
        return rows.Select(r => new FactorRecord
        {
            Id = r.Id, Dataset = r.Dataset, Kind = Enum.Parse<FactorKind>(r.Kind, true), Material = r.Material, Gas = r.Gas, Value = r.Value, Unit = r.Unit,
            Level = Enum.Parse<FactorLevel>(r.Level, true), Region = r.Region, Application = r.Application, Methods = r.Methods, Publisher = r.Publisher,
            Document = r.Document, DataYear = r.Data_Year is { } y ? (int)y : null, ValidFrom = P(r.Valid_From), ValidTo = r.Valid_To is { } t ? P(t) : null,
            CarbonContent = r.Carbon_Content, OxidationRate = r.Oxidation_Rate, Note = r.Note, Version = (int)r.Version, CreatedBy = r.Created_By,
        }).ToList();
    }

    // ---------------------------------------------------------------- activity records

    /// <summary>Stores activity records. The identity of a record is (date, source, material, unit, scope 3 category, space, note):
    /// the same record again with the same amount is a duplicate (nothing changes), with another amount a correction (audited,
    /// old amount kept in the audit log). Two real deliveries on one day are told apart by their note (e.g. the invoice number).</summary>
    /// <summary>The first text field of an activity row that is longer than <see cref="TextLimits"/> allows, as a row error reason.</summary>
    private static string? TooLong(Carbon.ActivityRow r)
    {
        foreach (var (field, value, max) in new[] { ("source", r.Source, TextLimits.Name), ("material", r.Material, TextLimits.Name), ("unit", r.Unit, TextLimits.Name),
                     ("note", r.Note, TextLimits.Text), ("evidence", r.Evidence, TextLimits.Text), ("supplier", r.Supplier, TextLimits.Name) })
            if (value is not null && value.Length > max) return $"{field}: {value.Length} characters; at most {max} are allowed";
        return null;
    }

    public async Task<ActivityImportResult> ImportActivitiesAsync(string parkCode, IReadOnlyList<Carbon.ActivityRow> rows, IReadOnlyList<RowError> parseErrors,
        string user, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        var rejected = parseErrors.ToList();
        int accepted = 0, duplicates = 0, corrected = 0;
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await db.LockParkAsync(c, tx, reg.Park.Id.Value, ct);
        var seenInFile = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var r in rows)
        {
            if (TooLong(r) is { } tooLong)
            {
                rejected.Add(new RowError(r.Line, tooLong));
                continue;
            }
            if (r.Space is { } s && !reg.SpacesByCode.ContainsKey(s))
            {
                rejected.Add(new RowError(r.Line, $"space: '{s}' is not a space of park '{parkCode}'"));
                continue;
            }
            var key = NaturalKey(r);
            if (seenInFile.TryGetValue(key, out var firstLine))
            {
                rejected.Add(new RowError(r.Line, $"row: same date, source, material, unit, category, space and note as line {firstLine}; tell them apart in the note (e.g. invoice number)"));
                continue;
            }
            seenInFile[key] = r.Line;
            var old = await c.QuerySingleOrDefaultAsync<(long id, double amount)?>(
                "SELECT id, amount FROM carbon_activities WHERE park_id = @p AND natural_key = @k", new { p = reg.Park.Id.Value, k = key }, tx);
            var now = db.Clock.GetUtcNow().ToUnixTimeSeconds();
            if (old is { } o)
            {
                if (o.amount.Equals(r.Amount)) { duplicates++; continue; }
                await c.ExecuteAsync("UPDATE carbon_activities SET amount = @a, evidence = @e, density = @d, ncv = @n, updated_at = @at, updated_by = @u WHERE id = @id",
                    new { a = r.Amount, e = r.Evidence, d = r.Density, n = r.Ncv, at = now, u = user, id = o.id }, tx);
                await db.AuditAsync(c, tx, reg.Park.Id.Value, user, "correct", "activity", $"#{o.id} {D(r.Date)} {r.Source} {r.Material}", "activity import",
                    $"{o.amount.ToString(CultureInfo.InvariantCulture)} {r.Unit}", $"{r.Amount.ToString(CultureInfo.InvariantCulture)} {r.Unit}");
                corrected++;
                continue;
            }
            await c.ExecuteAsync(
                """
                INSERT INTO carbon_activities (park_id, date, source, material, amount, unit, scope3_category, note, evidence, space_code, density, ncv, supplier, natural_key, created_at, created_by)
                VALUES (@p, @date, @source, @material, @amount, @unit, @cat, @note, @evidence, @space, @density, @ncv, @supplier, @k, @at, @u)
                """,
                new
                {
                    p = reg.Park.Id.Value, date = D(r.Date), source = r.Source, material = r.Material, amount = r.Amount, unit = r.Unit, cat = r.Scope3Category,
                    note = r.Note, evidence = r.Evidence, space = r.Space, density = r.Density, ncv = r.Ncv, supplier = r.Supplier, k = key, at = now, u = user,
                }, tx);
            accepted++;
        }
        if (accepted + corrected > 0)
            await db.AuditAsync(c, tx, reg.Park.Id.Value, user, "import", "activities", parkCode, null, null, $"accepted={accepted} corrected={corrected} duplicates={duplicates} rejected={rejected.Count}");
        await tx.CommitAsync(ct);
        return new ActivityImportResult(accepted, duplicates, corrected, rejected.OrderBy(e => e.Line).ToList());
    }

    /// <summary>The identity of an activity record (see <see cref="ImportActivitiesAsync"/>). The supplier is part of the identity when
    /// given (two suppliers' deliveries of one day are two records); records without one keep the key they always had.</summary>
    private static string NaturalKey(Carbon.ActivityRow r)
    {
        var key = string.Join('\u001f', D(r.Date), r.Source, r.Material.ToUpperInvariant(), r.Unit, r.Scope3Category?.ToString(CultureInfo.InvariantCulture) ?? "", r.Space ?? "", r.Note);
        if (r.Supplier is { Length: > 0 } sup) key += "\u001f" + sup.ToUpperInvariant();
        return key;
    }

    private static string Describe(ActivityDbRow r) => string.Join(' ', new[]
    {
        r.Date, r.Source, r.Material, r.Amount.ToString(CultureInfo.InvariantCulture), r.Unit, r.Scope3_Category is { } c ? "cat" + c.ToString(CultureInfo.InvariantCulture) : "",
        r.Space_Code ?? "", r.Supplier is { Length: > 0 } s ? "supplier=" + s : "", r.Note.Length > 0 ? "note=" + r.Note : "", r.Evidence.Length > 0 ? "evidence=" + r.Evidence : "",
    }.Where(x => x.Length > 0));

    /// <summary>Corrects one activity record in place (every field may change; the row is checked by the import's parser before it
    /// gets here). Audited as <c>correct</c>/<c>activity</c> with the whole old and new record, who and when; inventories computed
    /// afterwards use the corrected data. Refused: an unknown id (or one of another park), a space not of the park, and a correction
    /// that would make it the same record as another one.</summary>
    public async Task<StoredActivity> UpdateActivityAsync(string parkCode, long id, Carbon.ActivityRow r, string reason, string user, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        if (TooLong(r) is { } tooLong) throw new ValidationException(tooLong.Split(':')[0], tooLong);
        if (r.Space is { } s && !reg.SpacesByCode.ContainsKey(s)) throw new ValidationException("space", $"space: '{s}' is not a space of park '{parkCode}'");
        if (reason.Length > TextLimits.Text) throw new ValidationException("reason", $"reason: {reason.Length} characters; at most {TextLimits.Text} are allowed");
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await db.LockParkAsync(c, tx, reg.Park.Id.Value, ct);
        var old = await c.QuerySingleOrDefaultAsync<ActivityDbRow>("SELECT * FROM carbon_activities WHERE park_id = @p AND id = @id",
            new { p = reg.Park.Id.Value, id }, tx) ?? throw new NotFoundException($"activity #{id} not found in park '{parkCode}'");
        var key = NaturalKey(r);
        var other = await c.QuerySingleOrDefaultAsync<long?>("SELECT id FROM carbon_activities WHERE park_id = @p AND natural_key = @k AND id <> @id",
            new { p = reg.Park.Id.Value, k = key, id }, tx);
        if (other is { } o) throw new ConflictException($"activity #{o} already has this date, source, material, unit, category, space, note and supplier; tell them apart in the note");
        await c.ExecuteAsync(
            """
            UPDATE carbon_activities SET date = @date, source = @source, material = @material, amount = @amount, unit = @unit, scope3_category = @cat, note = @note,
              evidence = @evidence, space_code = @space, density = @density, ncv = @ncv, supplier = @supplier, natural_key = @k, updated_at = @at, updated_by = @u
            WHERE id = @id
            """,
            new
            {
                date = D(r.Date), source = r.Source, material = r.Material, amount = r.Amount, unit = r.Unit, cat = r.Scope3Category, note = r.Note, evidence = r.Evidence,
                space = r.Space, density = r.Density, ncv = r.Ncv, supplier = r.Supplier, k = key, at = db.Clock.GetUtcNow().ToUnixTimeSeconds(), u = user, id,
            }, tx);
        var updated = await c.QuerySingleAsync<ActivityDbRow>("SELECT * FROM carbon_activities WHERE id = @id", new { id }, tx);
        await db.AuditAsync(c, tx, reg.Park.Id.Value, user, "correct", "activity", $"#{id}", reason.Length > 0 ? reason : "activity correction", Describe(old), Describe(updated));
        await tx.CommitAsync(ct);
        return ToStored(updated, reg.Clock);
    }

    private static StoredActivity ToStored(ActivityDbRow r, ParkClock clock) =>
        new(r.Id, P(r.Date), r.Source, r.Material, r.Amount, r.Unit, r.Scope3_Category is { } x ? (int)x : null, r.Note,
            r.Evidence, r.Space_Code, r.Density, r.Ncv, r.Created_By, clock.ToLocalOffset(r.Created_At), r.Updated_By) { Supplier = r.Supplier };

    private sealed class ActivityDbRow
    {
        public long Id { get; set; }
        public string Date { get; set; } = "";
        public string Source { get; set; } = "";
        public string Material { get; set; } = "";
        public double Amount { get; set; }
        public string Unit { get; set; } = "";
        public long? Scope3_Category { get; set; }
        public string Note { get; set; } = "";
        public string Evidence { get; set; } = "";
        public string? Space_Code { get; set; }
        public double? Density { get; set; }
        public double? Ncv { get; set; }
        public string? Supplier { get; set; }
        public string Created_By { get; set; } = "";
        public long Created_At { get; set; }
        public string? Updated_By { get; set; }
    }

    public async Task<IReadOnlyList<StoredActivity>> ActivitiesAsync(string parkCode, DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<ActivityDbRow>(
            "SELECT * FROM carbon_activities WHERE park_id = @p AND date >= @f AND date <= @t ORDER BY date, id", new { p = reg.Park.Id.Value, f = D(from), t = D(to) });
        return rows.Select(r => ToStored(r, reg.Clock)).ToList();
    }

    // ---------------------------------------------------------------- instruments

    /// <summary>Records a contractual instrument for market-based scope 2. The instruments ledger (<c>store.Neutrality</c>) is the one
    /// home of instruments: this records it there as purchased and retired for its coverage period (use scope2_offset for GECs and
    /// green power, scope2 for a supplier rate), with the ledger's guards and audit.</summary>
    public async Task<Instrument> AddInstrumentAsync(string parkCode, Instrument i, string user, CancellationToken ct = default)
    {
        TextLimits.Check("reference", i.Reference, TextLimits.Name);
        TextLimits.Check("note", i.Note, TextLimits.Text);
        if (i.QuantityKwh <= 0) throw new ValidationException("quantity", "quantity must be positive");
        if (i.FactorKgPerKwh < 0) throw new ValidationException("factor", "factor must not be negative");
        if (i.CoverTo < i.CoverFrom) throw new ValidationException("cover_to", "coverage ends before it starts");
        if (i.Kind != InstrumentKind.SupplierRate && i.FactorKgPerKwh != 0) throw new ValidationException("factor", "certificates and green power carry 0 kgCO2/kWh");
        if (string.IsNullOrWhiteSpace(i.Reference)) throw new ValidationException("reference", "reference (certificate serial or contract number) is required: it is what stops an instrument being counted twice");
        var kind = i.Kind switch { InstrumentKind.Gec => ZeroPark.Neutrality.OffsetKind.Gec, InstrumentKind.GreenPower => ZeroPark.Neutrality.OffsetKind.GreenPower, _ => ZeroPark.Neutrality.OffsetKind.SupplierRate };
        var added = await db.Neutrality.AddInstrumentAsync(parkCode, new ZeroPark.Application.Neutrality.LedgerDraft
        {
            Kind = kind, Quantity = i.QuantityKwh / 1000, FactorKgPerKwh = i.FactorKgPerKwh, Region = i.Region.Trim(), Reference = i.Reference.Trim(), Note = i.Note,
            Claim = new ZeroPark.Application.Neutrality.ClaimDraft(null, i.CoverFrom, i.CoverTo),
        }, user, ct);
        return i with { Id = added.Id, Reference = i.Reference.Trim(), Region = i.Region.Trim() };
    }

    /// <summary>The contractual instruments market-based scope 2 applies: the retired scope-2 claims of the ledger.</summary>
    public Task<IReadOnlyList<Instrument>> InstrumentsAsync(string parkCode, CancellationToken ct = default) => db.Neutrality.MarketInstrumentsAsync(parkCode, ct);

    // ---------------------------------------------------------------- settings

    public async Task<IReadOnlyDictionary<string, string>> CarbonSettingsAsync(string parkCode, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(string key, string value)>("SELECT key, value FROM carbon_settings WHERE park_id = @p", new { p = reg.Park.Id.Value });
        return rows.ToDictionary(r => r.key, r => r.value, StringComparer.Ordinal);
    }

    public async Task SetCarbonSettingAsync(string parkCode, string key, string? value, string user, CancellationToken ct = default)
    {
        TextLimits.Check(key, value, TextLimits.Name);
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var old = await c.ExecuteScalarAsync<string?>("SELECT value FROM carbon_settings WHERE park_id = @p AND key = @k", new { p = reg.Park.Id.Value, k = key }, tx);
        await c.ExecuteAsync("DELETE FROM carbon_settings WHERE park_id = @p AND key = @k", new { p = reg.Park.Id.Value, k = key }, tx);
        if (value is not null)
            await c.ExecuteAsync("INSERT INTO carbon_settings (park_id, key, value) VALUES (@p, @k, @v)", new { p = reg.Park.Id.Value, k = key, v = value }, tx);
        await db.AuditAsync(c, tx, reg.Park.Id.Value, user, "update", "carbon_setting", key, null, old, value);
        await tx.CommitAsync(ct);
    }

    // ---------------------------------------------------------------- inventory versions

    private sealed class InventoryDbRow
    {
        public long Id { get; set; }
        public string Boundary { get; set; } = "";
        public string Period_From { get; set; } = "";
        public string Period_To { get; set; } = "";
        public string Method { get; set; } = "";
        public string Gwp { get; set; } = "";
        public string Options { get; set; } = "";
        public long Version { get; set; }
        public string Status { get; set; } = "";
        public string Fingerprint { get; set; } = "";
        public double Scope1_T { get; set; }
        public double Scope2_Location_T { get; set; }
        public double Scope2_Market_T { get; set; }
        public double Scope3_T { get; set; }
        public double Memo_T { get; set; }
        public string Result { get; set; } = "";
        public string? Diff { get; set; }
        public string Reason { get; set; } = "";
        public long Created_At { get; set; }
        public string Created_By { get; set; } = "";
        public long? Finalized_At { get; set; }
        public string? Finalized_By { get; set; }
    }

    public async Task<IReadOnlyList<StoredInventory>> InventoriesAsync(string parkCode, long? id = null, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<InventoryDbRow>(
            "SELECT * FROM carbon_inventories WHERE park_id = @p AND (@id IS NULL OR id = @id) ORDER BY id", new { p = reg.Park.Id.Value, id });
        return rows.Select(r => new StoredInventory(r.Id, r.Boundary, P(r.Period_From), P(r.Period_To), r.Method, r.Gwp, r.Options, (int)r.Version, r.Status,
            r.Fingerprint, r.Scope1_T, r.Scope2_Location_T, r.Scope2_Market_T, r.Scope3_T, r.Memo_T, r.Result, r.Diff, r.Reason, r.Created_By,
            reg.Clock.ToLocalOffset(r.Created_At), r.Finalized_By, r.Finalized_At is { } f ? reg.Clock.ToLocalOffset(f) : null)).ToList();
    }

    /// <summary>Saves a new version of an inventory (same park, boundary, period, method, GWP set and options) — unless the
    /// latest version has the same fingerprint (nothing changed). Versions are never updated, only added.</summary>
    public async Task<(StoredInventory Inventory, bool Created)> SaveInventoryAsync(string parkCode, StoredInventory draft, string user, CancellationToken ct = default)
    {
        TextLimits.Check("reason", draft.Reason, TextLimits.Text);
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await db.LockParkAsync(c, tx, reg.Park.Id.Value, ct);
        var keyArgs = new { p = reg.Park.Id.Value, b = draft.Boundary, f = D(draft.From), t = D(draft.To), m = draft.Method, g = draft.Gwp, o = draft.Options };
        var latest = await c.QuerySingleOrDefaultAsync<(long id, long version, string fingerprint)?>(
            """
            SELECT id, version, fingerprint FROM carbon_inventories
            WHERE park_id = @p AND boundary = @b AND period_from = @f AND period_to = @t AND method = @m AND gwp = @g AND options = @o
            ORDER BY version DESC LIMIT 1
            """, keyArgs, tx);
        if (latest is { } l && l.fingerprint == draft.Fingerprint)
        {
            await tx.CommitAsync(ct);
            return ((await InventoriesAsync(parkCode, l.id, ct))[0], false);
        }
        var version = (int)(latest?.version ?? 0) + 1;
        var id = await c.ExecuteScalarAsync<long>(
            """
            INSERT INTO carbon_inventories (park_id, boundary, period_from, period_to, method, gwp, options, version, status, fingerprint, scope1_t, scope2_location_t,
                scope2_market_t, scope3_t, memo_t, result, diff, reason, created_at, created_by)
            VALUES (@p, @b, @f, @t, @m, @g, @o, @v, 'draft', @fp, @s1, @s2l, @s2m, @s3, @memo, @result, @diff, @reason, @at, @u) RETURNING id
            """,
            new
            {
                keyArgs.p, keyArgs.b, keyArgs.f, keyArgs.t, keyArgs.m, keyArgs.g, keyArgs.o, v = version, fp = draft.Fingerprint, s1 = draft.Scope1T, s2l = draft.Scope2LocationT,
                s2m = draft.Scope2MarketT, s3 = draft.Scope3T, memo = draft.MemoT, result = draft.ResultJson, diff = draft.DiffJson, reason = draft.Reason,
                at = db.Clock.GetUtcNow().ToUnixTimeSeconds(), u = user,
            }, tx);
        await db.AuditAsync(c, tx, reg.Park.Id.Value, user, "create", "inventory", $"#{id} {draft.Boundary} {D(draft.From)}…{D(draft.To)} {draft.Method} {draft.Gwp} v{version}",
            draft.Reason, null, $"scope1={draft.Scope1T:0.###} scope2_location={draft.Scope2LocationT:0.###} scope2_market={draft.Scope2MarketT:0.###} scope3={draft.Scope3T:0.###}");
        await tx.CommitAsync(ct);
        return ((await InventoriesAsync(parkCode, id, ct))[0], true);
    }

    /// <summary>Finalizes a saved version: from then on it is what was reported; later changes make new versions.
    /// <paramref name="within"/> runs inside the finalizing transaction, after the status change, under the park's write lock
    /// (the reports module seals the inventory there, so a final inventory and its seal are written together).</summary>
    public Task<StoredInventory> FinalizeInventoryAsync(string parkCode, long id, string user, CancellationToken ct = default) =>
        FinalizeInventoryAsync(parkCode, id, user, null, ct);

    /// <inheritdoc cref="FinalizeInventoryAsync(string, long, string, CancellationToken)"/>
    public async Task<StoredInventory> FinalizeInventoryAsync(string parkCode, long id, string user, Func<DbConnection, DbTransaction, StoredInventory, Task>? within,
        CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        var inv = (await InventoriesAsync(parkCode, id, ct)).SingleOrDefault() ?? throw new NotFoundException($"inventory #{id} not found in park '{parkCode}'");
        if (inv.Status == "final") throw new ConflictException($"inventory #{id} is already final (since {inv.FinalizedAt:yyyy-MM-dd HH:mm} by {inv.FinalizedBy})");
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await c.ExecuteAsync("UPDATE carbon_inventories SET status = 'final', finalized_at = @at, finalized_by = @u WHERE id = @id AND park_id = @p",
            new { at = db.Clock.GetUtcNow().ToUnixTimeSeconds(), u = user, id, p = reg.Park.Id.Value }, tx);
        await db.AuditAsync(c, tx, reg.Park.Id.Value, user, "finalize", "inventory", $"#{id}", null, "draft", "final");
        if (within is not null)
        {
            await db.LockParkAsync(c, tx, reg.Park.Id.Value, ct);
            await within(c, tx, inv with { Status = "final", FinalizedBy = user });
        }
        await tx.CommitAsync(ct);
        return (await InventoriesAsync(parkCode, id, ct))[0];
    }

    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly P(string s) => DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
