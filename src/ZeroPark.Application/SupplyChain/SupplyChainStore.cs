// Row classes below are filled by Dapper through reflection.
#pragma warning disable CS0649
using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using ZeroPark.Application.Carbon;
using ZeroPark.Carbon;
using ZeroPark.Metering;
using ZeroPark.SupplyChain;

namespace ZeroPark.Application.SupplyChain;

/// <summary>A footprint of the library with the grade the library gives it today.</summary>
public sealed record StoredFootprint(Footprint Footprint, LibraryGrade Grade, string CreatedBy, string? UpdatedBy);

/// <summary>Outcome of a footprint import: new, updated (same product, supplier and validity start; old value audited), unchanged, rejected.</summary>
public sealed record FootprintImportResult(int Accepted, int Updated, int Unchanged, IReadOnlyList<RowError> Rejected, IReadOnlyList<string> Regraded);

/// <summary>A supplier of the park.</summary>
public sealed record Supplier(long Id, string Name, string Contact, bool HasToken);

/// <summary>A supplier's grade as computed at one time (the history keeps every change).</summary>
public sealed record SupplierGrade(long Id, string Supplier, double Score, string Grade, IReadOnlyList<IndicatorScore> Parts, string Reason, DateTimeOffset ComputedAt)
{
    public int Rank { get; init; }
}

/// <summary>
/// The supply chain module's store (<c>store.SupplyChain</c>): the park's product footprint library, suppliers, the indicator
/// system, answers and the grade history. It is also a source of park-specific factor records for the carbon inventory
/// (<see cref="IParkFactorSource"/>): each valid footprint is a supplier-level factor of its product for its supplier.
/// </summary>
public sealed class SupplyChainStore(ZeroParkStore db) : IParkFactorSource
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) } };

    public const string SettingThresholds = "grade_thresholds";

    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", Inv);
    private static DateOnly P(string s) => DateOnly.ParseExact(s, "yyyy-MM-dd", Inv);

    /// <summary>The park's local date now.</summary>
    public async Task<DateOnly> TodayAsync(string park, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(park, ct);
        return reg.Clock.LocalDate(db.Clock.GetUtcNow().ToUnixTimeSeconds());
    }

    // ---------------------------------------------------------------- footprints

    private sealed class FootprintRow
    {
        public long Id; public string Product = ""; public string Supplier = ""; public string Category = ""; public string Unit = ""; public double Kg;
        public string Boundary = ""; public string Stages = ""; public string Source = ""; public string Verification = ""; public string Verifier = "";
        public string From = ""; public string? To; public string? Review; public string Model = ""; public string Origin = ""; public string Note = "";
        public string CreatedBy = ""; public string? UpdatedBy;
    }

    private const string FootprintColumns = "id AS Id, product AS Product, supplier AS Supplier, category AS Category, unit AS Unit, kgco2e_per_unit AS Kg, " +
        "boundary AS Boundary, stages AS Stages, data_source AS Source, verification AS Verification, verifier AS Verifier, valid_from AS \"From\", " +
        "valid_to AS \"To\", review_on AS Review, model AS Model, origin AS Origin, note AS Note, created_by AS CreatedBy, updated_by AS UpdatedBy";

    private static Footprint ToFootprint(FootprintRow r) => new()
    {
        Id = r.Id, Product = r.Product, Supplier = r.Supplier, Category = r.Category, Unit = r.Unit, KgCo2ePerUnit = r.Kg, Boundary = r.Boundary,
        Stages = JsonSerializer.Deserialize<List<StageAmount>>(r.Stages, Json) ?? [],
        DataSource = Footprints.TryParseSource(r.Source, out var s) ? s : FootprintDataSource.Supplier,
        Verification = r.Verification switch { "third_party" => Verification.ThirdParty, "self_declared" => Verification.SelfDeclared, _ => Verification.Unverified },
        Verifier = r.Verifier, ValidFrom = P(r.From), ValidTo = r.To is { } t ? P(t) : null, ReviewOn = r.Review is { } rv ? P(rv) : null,
        Model = r.Model.Length > 0 ? JsonSerializer.Deserialize<LcaModel>(r.Model, Json) : null, Origin = r.Origin, Note = r.Note,
    };

    public async Task<IReadOnlyList<StoredFootprint>> FootprintsAsync(string park, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(park, ct);
        var today = reg.Clock.LocalDate(db.Clock.GetUtcNow().ToUnixTimeSeconds());
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<FootprintRow>($"SELECT {FootprintColumns} FROM supply_footprints WHERE park_id = @p ORDER BY product, supplier, valid_from", new { p = reg.Park.Id.Value });
        return rows.Select(r => { var f = ToFootprint(r); return new StoredFootprint(f, Footprints.Grade(f, today), r.CreatedBy, r.UpdatedBy); }).ToList();
    }

    public async Task<StoredFootprint> FootprintAsync(string park, long id, CancellationToken ct = default) =>
        (await FootprintsAsync(park, ct)).FirstOrDefault(f => f.Footprint.Id == id) ?? throw new NotFoundException($"footprint F{id} not found in park '{park}'");

    /// <summary>The park's footprints as supplier-level factor records for the carbon inventory (validity is checked by the chooser).</summary>
    public async Task<IReadOnlyList<FactorRecord>> ParkFactorsAsync(string parkCode, CancellationToken ct)
    {
        var list = await FootprintsAsync(parkCode, ct);
        return list.Select(f => Footprints.ToFactor(f.Footprint, f.Grade.Grade)).ToList();
    }

    /// <summary>Adds or updates footprints; the key is (product, supplier, valid_from). Changed values are audited; the suppliers
    /// concerned are re-graded.</summary>
    public async Task<FootprintImportResult> ImportFootprintsAsync(string park, IReadOnlyList<(int Line, Footprint Footprint)> rows, IReadOnlyList<RowError> parseErrors,
        string user, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(park, ct);
        var rejected = parseErrors.ToList();
        int accepted = 0, updated = 0, unchanged = 0;
        var touched = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await using (var c = await db.OpenConnectionAsync(ct))
        {
            await using var tx = await c.BeginTransactionAsync(ct);
            await db.LockParkAsync(c, tx, reg.Park.Id.Value, ct);
            var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            foreach (var (line, f) in rows)
            {
                var key = $"{f.Product}\u001f{f.Supplier}\u001f{D(f.ValidFrom)}";
                if (seen.TryGetValue(key, out var first))
                {
                    rejected.Add(new RowError(line, $"row: same product, supplier and valid_from as line {first}"));
                    continue;
                }
                seen[key] = line;
                var outcome = await UpsertAsync(c, tx, reg.Park.Id.Value, f, user, ct);
                if (outcome == "new") accepted++;
                else if (outcome == "updated") updated++;
                else unchanged++;
                if (outcome != "unchanged") touched.Add(f.Supplier);
            }
            if (accepted + updated > 0)
                await db.AuditAsync(c, tx, reg.Park.Id.Value, user, "import", "footprints", park, null, null, $"accepted={accepted} updated={updated} unchanged={unchanged} rejected={rejected.Count}");
            await tx.CommitAsync(ct);
        }
        var regraded = await RegradeSuppliersAsync(park, touched, "footprint library changed", ct);
        return new FootprintImportResult(accepted, updated, unchanged, rejected.OrderBy(e => e.Line).ToList(), regraded);
    }

    private async Task<string> UpsertAsync(DbConnection c, DbTransaction tx, long parkId, Footprint f, string user, CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow().ToUnixTimeSeconds();
        var old = await c.QuerySingleOrDefaultAsync<FootprintRow>(
            $"SELECT {FootprintColumns} FROM supply_footprints WHERE park_id = @p AND product = @pr AND supplier = @s AND valid_from = @f",
            new { p = parkId, pr = f.Product, s = f.Supplier, f = D(f.ValidFrom) }, tx);
        var args = new
        {
            p = parkId, pr = f.Product, s = f.Supplier, cat = f.Category, u = f.Unit, kg = f.KgCo2ePerUnit, b = f.Boundary, st = JsonSerializer.Serialize(f.Stages, Json),
            src = Footprints.Code(f.DataSource), v = Footprints.Code(f.Verification), vr = f.Verifier, f = D(f.ValidFrom), t = f.ValidTo is { } t ? D(t) : null,
            r = f.ReviewOn is { } r ? D(r) : null, m = f.Model is null ? "" : JsonSerializer.Serialize(f.Model, Json), o = f.Origin, n = f.Note, at = now, by = user,
        };
        if (old is null)
        {
            await c.ExecuteAsync(
                """
                INSERT INTO supply_footprints (park_id, product, supplier, category, unit, kgco2e_per_unit, boundary, stages, data_source, verification, verifier,
                  valid_from, valid_to, review_on, model, origin, note, created_at, created_by)
                VALUES (@p, @pr, @s, @cat, @u, @kg, @b, @st, @src, @v, @vr, @f, @t, @r, @m, @o, @n, @at, @by)
                """, args, tx);
            return "new";
        }
        var before = ToFootprint(old);
        if (before.Unit == f.Unit && before.KgCo2ePerUnit.Equals(f.KgCo2ePerUnit) && before.StagesText == f.StagesText && before.Verification == f.Verification
            && before.Verifier == f.Verifier && before.ValidTo == f.ValidTo && before.ReviewOn == f.ReviewOn && before.DataSource == f.DataSource
            && before.Category == f.Category && before.Boundary == f.Boundary && before.Note == f.Note && (f.Model is null || args.m == old.Model))
            return "unchanged";
        await c.ExecuteAsync(
            """
            UPDATE supply_footprints SET category = @cat, unit = @u, kgco2e_per_unit = @kg, boundary = @b, stages = @st, data_source = @src, verification = @v,
              verifier = @vr, valid_to = @t, review_on = @r, model = CASE WHEN @m = '' THEN model ELSE @m END, origin = @o, note = @n, updated_at = @at, updated_by = @by
            WHERE id = @id
            """, new { args.cat, args.u, args.kg, args.b, args.st, args.src, args.v, args.vr, args.t, args.r, args.m, args.o, args.n, args.at, args.by, id = old.Id }, tx);
        await db.AuditAsync(c, tx, parkId, user, "correct", "footprint", $"F{old.Id} {f.Product} / {f.Supplier}", "footprint import",
            $"{before.KgCo2ePerUnit.ToString("R", Inv)} kgCO2e/{before.Unit} {Footprints.Code(before.Verification)}",
            $"{f.KgCo2ePerUnit.ToString("R", Inv)} kgCO2e/{f.Unit} {Footprints.Code(f.Verification)}");
        return "updated";
    }

    /// <summary>Deletes a footprint (audited); its supplier is re-graded. Saved inventories keep the figures they used.</summary>
    public async Task DeleteFootprintAsync(string park, long id, string user, CancellationToken ct = default)
    {
        var f = (await FootprintAsync(park, id, ct)).Footprint;
        var reg = await db.Registry.GetRegistryAsync(park, ct);
        await using (var c = await db.OpenConnectionAsync(ct))
        {
            await using var tx = await c.BeginTransactionAsync(ct);
            await c.ExecuteAsync("DELETE FROM supply_footprints WHERE id = @id AND park_id = @p", new { id, p = reg.Park.Id.Value }, tx);
            await db.AuditAsync(c, tx, reg.Park.Id.Value, user, "delete", "footprint", $"F{id} {f.Product} / {f.Supplier}", null,
                $"{f.KgCo2ePerUnit.ToString("R", Inv)} kgCO2e/{f.Unit}", null);
            await tx.CommitAsync(ct);
        }
        await RegradeSuppliersAsync(park, [f.Supplier], "footprint library changed", ct);
    }

    // ---------------------------------------------------------------- suppliers and tokens

    private sealed class SupplierRow { public long Id; public string Name = ""; public string Contact = ""; public string? TokenHash; }

    public async Task<IReadOnlyList<Supplier>> SuppliersAsync(string park, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(park, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<SupplierRow>("SELECT id AS Id, name AS Name, contact AS Contact, token_hash AS TokenHash FROM supply_suppliers WHERE park_id = @p ORDER BY name",
            new { p = reg.Park.Id.Value });
        return rows.Select(r => new Supplier(r.Id, r.Name, r.Contact, r.TokenHash is not null)).ToList();
    }

    /// <summary>Adds a supplier (or updates its contact).</summary>
    public async Task<Supplier> AddSupplierAsync(string park, string name, string contact, string user, CancellationToken ct = default)
    {
        name = name.Trim();
        if (name.Length == 0) throw new ValidationException("name", "supplier name is empty");
        TextLimits.Check("name", name, TextLimits.Name);
        TextLimits.Check("contact", contact, TextLimits.Name);
        var reg = await db.Registry.GetRegistryAsync(park, ct);
        await using (var c = await db.OpenConnectionAsync(ct))
        {
            await using var tx = await c.BeginTransactionAsync(ct);
            var id = await c.ExecuteScalarAsync<long?>("SELECT id FROM supply_suppliers WHERE park_id = @p AND name = @n", new { p = reg.Park.Id.Value, n = name }, tx);
            if (id is null)
            {
                await c.ExecuteAsync("INSERT INTO supply_suppliers (park_id, name, contact, created_at) VALUES (@p, @n, @c, @at)",
                    new { p = reg.Park.Id.Value, n = name, c = contact.Trim(), at = db.Clock.GetUtcNow().ToUnixTimeSeconds() }, tx);
                await db.AuditAsync(c, tx, reg.Park.Id.Value, user, "create", "supplier", name, null, null, contact);
            }
            else await c.ExecuteAsync("UPDATE supply_suppliers SET contact = @c WHERE id = @id", new { c = contact.Trim(), id }, tx);
            await tx.CommitAsync(ct);
        }
        return (await SuppliersAsync(park, ct)).First(s => s.Name == name);
    }

    private async Task<Supplier> SupplierAsync(string park, string name, CancellationToken ct) =>
        (await SuppliersAsync(park, ct)).FirstOrDefault(s => string.Equals(s.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new NotFoundException($"supplier '{name}' not found in park '{park}' (add it first)");

    /// <summary>SHA-256 of a token, hex: what the store keeps.</summary>
    public static string HashToken(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Issues a new questionnaire link token for a supplier (the previous one stops working). Only the hash is stored;
    /// the token is shown once.</summary>
    public async Task<string> IssueTokenAsync(string park, string supplier, string user, CancellationToken ct = default)
    {
        var s = await SupplierAsync(park, supplier, ct);
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
        var reg = await db.Registry.GetRegistryAsync(park, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await c.ExecuteAsync("UPDATE supply_suppliers SET token_hash = @h, token_created_at = @at WHERE id = @id",
            new { h = HashToken(token), at = db.Clock.GetUtcNow().ToUnixTimeSeconds(), id = s.Id }, tx);
        await db.AuditAsync(c, tx, reg.Park.Id.Value, user, "create", "supplier_token", s.Name, null, null, null);
        await tx.CommitAsync(ct);
        return token;
    }

    /// <summary>The park and supplier a questionnaire token belongs to, or null.</summary>
    public async Task<(string Park, string Supplier)?> SupplierByTokenAsync(string token, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 100) return null;
        await using var c = await db.OpenConnectionAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<(string Park, string Name)?>(
            "SELECT p.code, s.name FROM supply_suppliers s JOIN parks p ON p.id = s.park_id WHERE s.token_hash = @h", new { h = HashToken(token.Trim()) });
        return row is { } r ? (r.Park, r.Name) : null;
    }

    // ---------------------------------------------------------------- indicator system and thresholds

    private sealed class IndicatorRow { public string Code = ""; public string Name = ""; public double Weight; public double Best; public double Worst; public string Unit = ""; }

    /// <summary>The park's indicator system (the default system until the park changes one).</summary>
    public async Task<IReadOnlyList<Indicator>> IndicatorsAsync(string park, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(park, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = (await c.QueryAsync<IndicatorRow>("SELECT code AS Code, name AS Name, weight AS Weight, best AS Best, worst AS Worst, unit AS Unit FROM supply_indicators WHERE park_id = @p ORDER BY position, code",
            new { p = reg.Park.Id.Value })).ToList();
        return rows.Count == 0 ? SupplierGrading.DefaultIndicators : rows.Select(r => new Indicator(r.Code, r.Name, r.Weight, r.Best, r.Worst, r.Unit)).ToList();
    }

    /// <summary>Adds or changes one indicator (the first change stores the default system first); every supplier is re-graded.</summary>
    public async Task SetIndicatorAsync(string park, Indicator i, string user, CancellationToken ct = default)
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(i.Code, "^[a-z0-9_]{1,40}$")) throw new ValidationException("code", $"code '{i.Code}': lower-case letters, digits and _ (at most 40)");
        if (!(i.Weight >= 0) || !double.IsFinite(i.Weight)) throw new ValidationException("weight", "weight must be a non-negative number");
        if (!double.IsFinite(i.Best) || !double.IsFinite(i.Worst)) throw new ValidationException("best", "best and worst must be numbers");
        TextLimits.Check("name", i.Name, TextLimits.Name);
        var current = (await IndicatorsAsync(park, ct)).ToList();
        var idx = current.FindIndex(x => x.Code == i.Code);
        if (idx >= 0) current[idx] = i; else current.Add(i);
        await SaveIndicatorsAsync(park, current, user, $"indicator {i.Code}", ct);
    }

    public async Task RemoveIndicatorAsync(string park, string code, string user, CancellationToken ct = default)
    {
        var current = (await IndicatorsAsync(park, ct)).ToList();
        if (current.RemoveAll(x => x.Code == code) == 0) throw new NotFoundException($"indicator '{code}' not found");
        if (current.Count == 0) throw new ValidationException("code", "the last indicator cannot be removed");
        await SaveIndicatorsAsync(park, current, user, $"indicator {code} removed", ct);
    }

    private async Task SaveIndicatorsAsync(string park, IReadOnlyList<Indicator> list, string user, string what, CancellationToken ct)
    {
        if (!(list.Sum(x => x.Weight) > 0)) throw new ValidationException("weight", "the weights add up to 0");
        var reg = await db.Registry.GetRegistryAsync(park, ct);
        await using (var c = await db.OpenConnectionAsync(ct))
        {
            await using var tx = await c.BeginTransactionAsync(ct);
            await c.ExecuteAsync("DELETE FROM supply_indicators WHERE park_id = @p", new { p = reg.Park.Id.Value }, tx);
            for (var k = 0; k < list.Count; k++)
                await c.ExecuteAsync("INSERT INTO supply_indicators (park_id, code, name, weight, best, worst, unit, position) VALUES (@p, @c, @n, @w, @b, @x, @u, @k)",
                    new { p = reg.Park.Id.Value, c = list[k].Code, n = list[k].Name, w = list[k].Weight, b = list[k].Best, x = list[k].Worst, u = list[k].Unit, k }, tx);
            await db.AuditAsync(c, tx, reg.Park.Id.Value, user, "update", "supplier_indicators", park, what, null, string.Join("; ", list.Select(x => $"{x.Code} w{x.Weight.ToString(Inv)}")));
            await tx.CommitAsync(ct);
        }
        await RegradeSuppliersAsync(park, null, what, ct);
    }

    public async Task<GradeThresholds> ThresholdsAsync(string park, CancellationToken ct = default)
    {
        var s = await SettingAsync(park, SettingThresholds, ct);
        return s is null ? new GradeThresholds() : JsonSerializer.Deserialize<GradeThresholds>(s, Json) ?? new GradeThresholds();
    }

    public async Task SetThresholdsAsync(string park, GradeThresholds t, string user, CancellationToken ct = default)
    {
        try { t.Validate(); } catch (ArgumentException e) { throw new ValidationException("thresholds", e.Message); }
        await SetSettingAsync(park, SettingThresholds, JsonSerializer.Serialize(t, Json), user, ct);
        await RegradeSuppliersAsync(park, null, "grade thresholds changed", ct);
    }

    /// <summary>A park setting of the supply chain and governance modules (text).</summary>
    public async Task<string?> SettingAsync(string park, string key, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(park, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<string?>("SELECT value FROM supply_settings WHERE park_id = @p AND key = @k", new { p = reg.Park.Id.Value, k = key });
    }

    public async Task SetSettingAsync(string park, string key, string value, string user, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(park, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var old = await c.ExecuteScalarAsync<string?>("SELECT value FROM supply_settings WHERE park_id = @p AND key = @k", new { p = reg.Park.Id.Value, k = key }, tx);
        if (old is null) await c.ExecuteAsync("INSERT INTO supply_settings (park_id, key, value) VALUES (@p, @k, @v)", new { p = reg.Park.Id.Value, k = key, v = value }, tx);
        else await c.ExecuteAsync("UPDATE supply_settings SET value = @v WHERE park_id = @p AND key = @k", new { p = reg.Park.Id.Value, k = key, v = value }, tx);
        await db.AuditAsync(c, tx, reg.Park.Id.Value, user, "update", "setting", key, null, old, value);
        await tx.CommitAsync(ct);
    }

    // ---------------------------------------------------------------- answers and grades

    /// <summary>Stores a supplier's answers (indicator code → value; <c>via</c> import, form or api) and re-grades it.</summary>
    public async Task<SupplierGrade> SetAnswersAsync(string park, string supplier, IReadOnlyDictionary<string, double> answers, string via, string user, CancellationToken ct = default)
    {
        var s = await SupplierAsync(park, supplier, ct);
        var indicators = await IndicatorsAsync(park, ct);
        foreach (var (code, value) in answers)
        {
            if (code == SupplierGrading.VerifiedFootprints) throw new ValidationException(code, $"{code} is computed from the footprint library, not answered");
            if (indicators.All(i => i.Code != code)) throw new ValidationException(code, $"'{code}' is not an indicator of park '{park}' (indicators: {string.Join(", ", indicators.Select(i => i.Code))})");
            if (!double.IsFinite(value)) throw new ValidationException(code, $"{code}: not a number");
        }
        var reg = await db.Registry.GetRegistryAsync(park, ct);
        await using (var c = await db.OpenConnectionAsync(ct))
        {
            await using var tx = await c.BeginTransactionAsync(ct);
            var now = db.Clock.GetUtcNow().ToUnixTimeSeconds();
            foreach (var (code, value) in answers)
            {
                var old = await c.ExecuteScalarAsync<double?>("SELECT value FROM supply_answers WHERE supplier_id = @s AND indicator = @i", new { s = s.Id, i = code }, tx);
                if (old is { } o && o.Equals(value)) continue;
                if (old is null)
                    await c.ExecuteAsync("INSERT INTO supply_answers (supplier_id, indicator, value, via, updated_at, updated_by) VALUES (@s, @i, @v, @via, @at, @u)",
                        new { s = s.Id, i = code, v = value, via, at = now, u = user }, tx);
                else
                    await c.ExecuteAsync("UPDATE supply_answers SET value = @v, via = @via, updated_at = @at, updated_by = @u WHERE supplier_id = @s AND indicator = @i",
                        new { s = s.Id, i = code, v = value, via, at = now, u = user }, tx);
                await db.AuditAsync(c, tx, reg.Park.Id.Value, user, "update", "supplier_answer", $"{s.Name} {code}", via, old?.ToString("R", Inv), value.ToString("R", Inv));
            }
            await tx.CommitAsync(ct);
        }
        await RegradeSuppliersAsync(park, [s.Name], $"answers changed ({via})", ct);
        return (await GradesAsync(park, ct)).First(g => g.Supplier == s.Name);
    }

    public async Task<IReadOnlyDictionary<string, double>> AnswersAsync(string park, string supplier, CancellationToken ct = default)
    {
        var s = await SupplierAsync(park, supplier, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        return (await c.QueryAsync<(string I, double V)>("SELECT indicator, value FROM supply_answers WHERE supplier_id = @s", new { s = s.Id })).ToDictionary(x => x.I, x => x.V);
    }

    /// <summary>Re-grades the named suppliers (null: all of the park) and writes a history row for each whose score or grade changed.
    /// Returns "supplier: old → new" for those.</summary>
    public async Task<IReadOnlyList<string>> RegradeSuppliersAsync(string park, IEnumerable<string>? names, string reason, CancellationToken ct = default)
    {
        var suppliers = await SuppliersAsync(park, ct);
        var wanted = names?.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var targets = suppliers.Where(s => wanted is null || wanted.Contains(s.Name)).ToList();
        if (targets.Count == 0) return [];
        var indicators = await IndicatorsAsync(park, ct);
        var thresholds = await ThresholdsAsync(park, ct);
        var footprints = await FootprintsAsync(park, ct);
        var today = await TodayAsync(park, ct);
        var changes = new List<string>();
        await using var c = await db.OpenConnectionAsync(ct);
        foreach (var s in targets)
        {
            var answers = (await c.QueryAsync<(string I, double V)>("SELECT indicator, value FROM supply_answers WHERE supplier_id = @s", new { s = s.Id }))
                .ToDictionary(x => x.I, x => x.V);
            if (indicators.Any(i => i.Code == SupplierGrading.VerifiedFootprints))
            {
                var mine = footprints.Where(f => string.Equals(f.Footprint.Supplier, s.Name, StringComparison.OrdinalIgnoreCase) && f.Footprint.ValidOn(today)).ToList();
                answers[SupplierGrading.VerifiedFootprints] = mine.Count == 0 ? 0 : (double)mine.Count(f => f.Footprint.Verification == Verification.ThirdParty) / mine.Count;
            }
            var result = SupplierGrading.Grade(indicators, answers, thresholds);
            var last = await c.QuerySingleOrDefaultAsync<(double Score, string Grade)?>(
                "SELECT score, grade FROM supply_grades WHERE supplier_id = @s ORDER BY id DESC LIMIT 1", new { s = s.Id });
            if (last is { } l && Math.Abs(l.Score - result.Score) < 1e-9 && l.Grade == result.Grade) continue;
            await c.ExecuteAsync("INSERT INTO supply_grades (supplier_id, score, grade, detail, reason, computed_at) VALUES (@s, @sc, @g, @d, @r, @at)",
                new { s = s.Id, sc = result.Score, g = result.Grade, d = JsonSerializer.Serialize(result.Parts, Json), r = reason, at = db.Clock.GetUtcNow().ToUnixTimeSeconds() });
            changes.Add($"{s.Name}: {(last is { } p ? $"{p.Grade} {p.Score.ToString("0.##", Inv)}" : "—")} → {result.Grade} {result.Score.ToString("0.##", Inv)}");
        }
        return changes;
    }

    private sealed class GradeRow { public long Id; public string Supplier = ""; public double Score; public string Grade = ""; public string Detail = ""; public string Reason = ""; public long At; }

    /// <summary>The latest grade of every supplier of the park, ranked by score (equal scores share a rank).</summary>
    public async Task<IReadOnlyList<SupplierGrade>> GradesAsync(string park, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(park, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<GradeRow>(
            """
            SELECT g.id AS Id, s.name AS Supplier, g.score AS Score, g.grade AS Grade, g.detail AS Detail, g.reason AS Reason, g.computed_at AS At
            FROM supply_grades g JOIN supply_suppliers s ON s.id = g.supplier_id
            WHERE s.park_id = @p AND g.id = (SELECT MAX(id) FROM supply_grades x WHERE x.supplier_id = g.supplier_id)
            """, new { p = reg.Park.Id.Value });
        var list = rows.Select(r => ToGrade(r, reg)).OrderByDescending(g => g.Score).ThenBy(g => g.Supplier, StringComparer.Ordinal).ToList();
        for (var i = 0; i < list.Count; i++) list[i] = list[i] with { Rank = i > 0 && list[i].Score == list[i - 1].Score ? list[i - 1].Rank : i + 1 };
        return list;
    }

    /// <summary>Every grade a supplier had, newest first.</summary>
    public async Task<IReadOnlyList<SupplierGrade>> GradeHistoryAsync(string park, string supplier, CancellationToken ct = default)
    {
        var s = await SupplierAsync(park, supplier, ct);
        var reg = await db.Registry.GetRegistryAsync(park, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<GradeRow>("SELECT id AS Id, @n AS Supplier, score AS Score, grade AS Grade, detail AS Detail, reason AS Reason, computed_at AS At FROM supply_grades WHERE supplier_id = @s ORDER BY id DESC",
            new { s = s.Id, n = s.Name });
        return rows.Select(r => ToGrade(r, reg)).ToList();
    }

    private static SupplierGrade ToGrade(GradeRow r, ZeroPark.Application.ParkRegistry reg) =>
        new(r.Id, r.Supplier, r.Score, r.Grade, JsonSerializer.Deserialize<List<IndicatorScore>>(r.Detail, Json) ?? [], r.Reason, reg.Clock.ToLocalOffset(r.At));
}
