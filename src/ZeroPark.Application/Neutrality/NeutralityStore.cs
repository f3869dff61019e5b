// Row classes below are filled by Dapper through reflection.
#pragma warning disable CS0649
using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using Dapper;
using ZeroPark.Carbon;
using ZeroPark.Domain;
using ZeroPark.Metering;
using ZeroPark.Neutrality;

namespace ZeroPark.Application.Neutrality;

/// <summary>
/// The instruments ledger and what hangs on it (module <c>Neutrality</c>, migration 030): instruments of every kind, their claims
/// (allocated → retired, to the park, a building or a tenant, for a period), evidence files, price lists, hourly profiles of green
/// power trades, targets and reduction measures. Every change is audited (who, when, old → new). The ledger is the one home of
/// instruments: market-based scope 2 reads its retired GEC, green power and supplier-rate claims (<see cref="MarketInstrumentsAsync"/>).
/// </summary>
public sealed class NeutralityStore(ZeroParkStore db)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Write lock of the serial-number space, which spans every park (park ids are positive).</summary>
    private const long SerialLock = -14;

    public const string UseScope2Offset = "scope2_offset";
    public const string UseScope2 = "scope2";
    public const string UseOffset = "offset";

    /// <summary>The local date "today" of the park (the store's clock).</summary>
    public DateOnly LocalToday(Park park) => park.Clock.LocalDate(db.Clock.GetUtcNow().ToUnixTimeSeconds());

    // ---------------------------------------------------------------- rows

    private sealed class InstrumentRow
    {
        public long id; public long park_id; public string kind = ""; public double quantity; public string serial_from = ""; public string serial_to = "";
        public string bundled_from = ""; public string bundled_to = ""; public long? vintage; public string? production_from; public string? production_to;
        public string project = ""; public string energy_type = ""; public string methodology = ""; public string counterparty = ""; public long? tradable;
        public string? expires; public string region = ""; public double factor_kg_per_kwh; public string profile = ""; public double? unit_price_cny;
        public string? purchased_on; public string reference = ""; public string note = ""; public long created_at; public string created_by = "";
    }

    private sealed class ClaimRow
    {
        public long id; public long instrument_id; public string target = ""; public string claim_from = ""; public string claim_to = ""; public double quantity;
        public string state = ""; public string use = ""; public long created_at; public string created_by = ""; public long? retired_at; public string? retired_by;
    }

    private sealed class EvidenceRow
    {
        public long id; public long instrument_id; public string file_name = ""; public string content_type = ""; public long size; public string sha256 = "";
        public long uploaded_at; public string uploaded_by = "";
    }

    private sealed class SerialRow
    {
        public long id; public long park_id; public string kind = ""; public string serial_from = ""; public string serial_to = ""; public string bundled_from = "";
        public string bundled_to = ""; public string park = "";
    }

    // ---------------------------------------------------------------- validation (pure over the registry)

    /// <summary>Checks a draft against the kind's rules and the park; null when fine, else the reason naming the field.</summary>
    internal static string? Check(ParkRegistry reg, LedgerDraft d, DateOnly today)
    {
        var k = OffsetKinds.Code(d.Kind);
        if (!(d.Quantity > 0) || double.IsInfinity(d.Quantity)) return $"quantity: must be a positive number ({k} in {OffsetKinds.Unit(d.Kind)})";
        foreach (var (field, value, max) in new[] { ("reference", d.Reference, TextLimits.Name), ("project", d.Project, TextLimits.Name), ("energy_type", d.EnergyType, TextLimits.Name),
                     ("methodology", d.Methodology, TextLimits.Name), ("counterparty", d.Counterparty, TextLimits.Name), ("region", d.Region, TextLimits.Name),
                     ("note", d.Note, TextLimits.Text), ("serial_from", d.SerialFrom ?? "", TextLimits.Name), ("serial_to", d.SerialTo ?? "", TextLimits.Name),
                     ("bundled_from", d.BundledFrom ?? "", TextLimits.Name), ("bundled_to", d.BundledTo ?? "", TextLimits.Name) })
            if (value.Length > max) return $"{field}: {value.Length} characters; at most {max} are allowed";
        if (d.FactorKgPerKwh < 0) return "factor: must not be negative";
        if (d.Kind != OffsetKind.SupplierRate && d.FactorKgPerKwh != 0) return $"factor: only a supplier_rate carries an emission rate ({k} is 0 kgCO2e/kWh)";
        if (d.UnitPriceCny is < 0) return "price: must not be negative";
        if (d.Profile is not ("flat" or "daytime" or "hourly")) return $"profile: '{d.Profile}' is not flat, daytime or hourly";
        if (d.Vintage is { } v && (v < 1990 || v > 2100)) return $"vintage: {v} is not a year";
        if (d.ProductionFrom is { } pf && d.ProductionTo is { } pt && pt < pf) return "production_to: before production_from";
        var (serials, serialError) = SerialRange.Parse(d.SerialFrom, d.SerialTo);
        if (serialError is not null) return "serial: " + serialError;
        if (serials is not null && !OffsetKinds.HasSerials(d.Kind)) return $"serial: {k} carries no serial numbers";
        if (serials is not null && d.Kind is OffsetKind.Gec or OffsetKind.Ccer or OffsetKind.Cer && serials.Count != new System.Numerics.BigInteger(d.Quantity))
            return $"serial: {serials} holds {serials.Count} serials but the quantity is {d.Quantity.ToString(Inv)} (1 {(d.Kind == OffsetKind.Gec ? "GEC = 1 MWh" : "credit = 1 tCO2e")})";
        var (bundled, bundledError) = SerialRange.Parse(d.BundledFrom, d.BundledTo);
        if (bundledError is not null) return "bundled: " + bundledError;
        if (bundled is not null && d.Kind != OffsetKind.GreenPower) return "bundled: only a green_power trade carries bundled GECs";
        if (d.Kind == OffsetKind.RooftopPv && reg.MetersById.Values.FirstOrDefault(m => m.Role == MeterRole.RenewableOnsite && !m.IsVirtual) is { } pv)
            return $"kind: rooftop_pv of park '{reg.Park.Code}' is measured from its PV meters ({pv.Code} …), not typed in";
        if (d.Kind == OffsetKind.SupplierRate && d.Claim is null) return "claim: a supplier rate covers a period: give claim_from and claim_to";
        if (d.Claim is { } c && CheckClaim(reg, d.Kind, c, d.Expires, today, $"{k}{(serials is null ? "" : " " + serials)}") is { } ce) return ce;
        return null;
    }

    internal static string? CheckClaim(ParkRegistry reg, OffsetKind kind, ClaimDraft c, DateOnly? expires, DateOnly today, string label)
    {
        if (c.To < c.From) return $"claim_to: {c.To:yyyy-MM-dd} is before claim_from {c.From:yyyy-MM-dd}";
        if (c.To.DayNumber - c.From.DayNumber > 366 * 5) return "claim_to: a claim covers at most 5 years";
        if (c.Quantity is { } q && !(q > 0)) return "quantity: a claim's quantity must be positive";
        var use = c.Use ?? DefaultUse(kind);
        if (use is not (UseScope2Offset or UseScope2 or UseOffset)) return $"use: '{use}' is not scope2_offset, scope2 or offset";
        if (use != UseOffset && !OffsetKinds.IsScope2(kind)) return $"use: {OffsetKinds.Code(kind)} cannot lower market-based scope 2 (use offset)";
        if (use != UseScope2 && !OffsetKinds.IsOffset(kind)) return "use: a supplier rate only lowers market-based scope 2 (use scope2)";
        if (TargetError(reg, c.Target) is { } te) return te;
        if (c.Retire && expires is { } e && e < today)
            return $"{label}: expired on {e:yyyy-MM-dd} (expired certificates are cancelled): it cannot be retired";
        return null;
    }

    public static string DefaultUse(OffsetKind kind) => kind switch
    {
        OffsetKind.SupplierRate => UseScope2,
        OffsetKind.Gec or OffsetKind.GreenPower => UseScope2Offset,
        _ => UseOffset,
    };

    private static string? TargetError(ParkRegistry reg, string? target)
    {
        var t = (target ?? "").Trim();
        if (t.Length == 0 || t == reg.Park.Code) return null;
        if (t.StartsWith("tenant:", StringComparison.Ordinal)) return t.Length > 7 && t.Length <= TextLimits.Name ? null : "target: 'tenant:' needs a tenant name";
        return reg.SpacesByCode.ContainsKey(t) ? null : $"target: '{t}' is neither park '{reg.Park.Code}', one of its spaces, nor tenant:NAME";
    }

    private static string NormTarget(ParkRegistry reg, string? target) => string.IsNullOrWhiteSpace(target) ? reg.Park.Code : target.Trim();

    /// <summary>The serial guards against what is stored (every park) and what this batch added before: a serial range claimed twice,
    /// a green power trade's bundled GECs claimed again as GECs (or bundled twice).</summary>
    private static string? SerialConflict(LedgerDraft d, IReadOnlyList<SerialRow> known)
    {
        var (serials, _) = SerialRange.Parse(d.SerialFrom, d.SerialTo);
        var (bundled, _) = SerialRange.Parse(d.BundledFrom, d.BundledTo);
        var label = OffsetKinds.Code(d.Kind) + (serials is null ? "" : " " + serials);
        foreach (var r in known)
        {
            var (rs, _) = SerialRange.Parse(r.serial_from, r.serial_to);
            var (rb, _) = SerialRange.Parse(r.bundled_from, r.bundled_to);
            var where = r.id > 0 ? $"#{r.id} in park '{r.park}'" : $"line {-r.id} of this file";
            if (serials is not null && rs is not null && serials.Overlaps(rs))
                return $"{label}: serials already claimed by {r.kind} {rs} ({where}); a serial is claimed once, in any park or period";
            if (serials is not null && rb is not null && d.Kind == OffsetKind.Gec && serials.Overlaps(rb))
                return $"{label}: these GECs are bundled with green power trade {where} ({rb}); they are counted with the trade, never again as separate GECs";
            if (bundled is not null && rs is not null && r.kind == "gec" && bundled.Overlaps(rs))
                return $"green_power bundled GECs {bundled}: already recorded as separate GECs {rs} ({where}); the energy and its certificates are counted once";
            if (bundled is not null && rb is not null && bundled.Overlaps(rb))
                return $"green_power bundled GECs {bundled}: already bundled with green power trade {where} ({rb})";
        }
        return null;
    }

    private static async Task<List<SerialRow>> SerialRowsAsync(DbConnection c, DbTransaction tx, IEnumerable<LedgerDraft> drafts)
    {
        var prefixes = drafts.SelectMany(d => new[] { SerialRange.Parse(d.SerialFrom, d.SerialTo).Range?.Prefix, SerialRange.Parse(d.BundledFrom, d.BundledTo).Range?.Prefix })
            .Where(p => p is not null).Select(p => p!.ToLowerInvariant()).Distinct().ToArray();
        if (prefixes.Length == 0) return [];
        // One query per prefix (Dapper expands a list for SQLite but hands Npgsql an array): a file rarely has more than a few prefixes.
        var rows = new Dictionary<long, SerialRow>();
        foreach (var prefix in prefixes)
            foreach (var r in await c.QueryAsync<SerialRow>(
                         "SELECT i.id, i.park_id, i.kind, i.serial_from, i.serial_to, i.bundled_from, i.bundled_to, p.code AS park FROM ledger_instruments i JOIN parks p ON p.id = i.park_id " +
                         "WHERE i.serial_prefix = @prefix OR i.bundled_prefix = @prefix", new { prefix }, tx))
                rows[r.id] = r;
        return rows.Values.OrderBy(r => r.id).ToList();
    }

    // ---------------------------------------------------------------- instruments

    /// <summary>Records an instrument (purchased; with <see cref="LedgerDraft.Claim"/> also allocated or retired), audited.</summary>
    public async Task<LedgerInstrument> AddInstrumentAsync(string parkCode, LedgerDraft draft, string user, CancellationToken ct = default)
    {
        var r = await ImportAsync(parkCode, [new LedgerRow(0, draft)], [], user, ct);
        if (r.Rejected.Count > 0)
        {
            var reason = r.Rejected[0].Reason;
            var colon = reason.IndexOf(':', StringComparison.Ordinal);
            var field = colon > 0 && reason[..colon].All(ch => char.IsAsciiLetterLower(ch) || ch == '_') ? reason[..colon] : "instrument";
            if (reason.Contains("claimed once", StringComparison.Ordinal) || reason.Contains("counted once", StringComparison.Ordinal)
                || reason.Contains("never again", StringComparison.Ordinal) || reason.Contains("already", StringComparison.Ordinal))
                throw new ConflictException(reason);
            throw new ValidationException(field, colon > 0 && field != "instrument" ? reason[(colon + 1)..].Trim() : reason);
        }
        return await InstrumentAsync(parkCode, r.Ids[0], ct);
    }

    /// <summary>Imports instruments: each row is checked on its own (kind rules, serial guards against every park and the rows before
    /// it); a refused row is reported with its line and reason, the others are stored in one transaction.</summary>
    public async Task<LedgerImportResult> ImportAsync(string parkCode, IReadOnlyList<LedgerRow> rows, IReadOnlyList<RowError> parseErrors, string user,
        CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        var today = LocalToday(reg.Park);
        var rejected = parseErrors.ToList();
        var ids = new List<long>();
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await db.LockParkAsync(c, tx, SerialLock, ct);
        await db.LockParkAsync(c, tx, reg.Park.Id.Value, ct);
        var known = await SerialRowsAsync(c, tx, rows.Select(x => x.Draft));
        var now = db.Clock.GetUtcNow().ToUnixTimeSeconds();
        foreach (var row in rows)
        {
            var d = row.Draft;
            var error = Check(reg, d, today) ?? SerialConflict(d, known);
            if (error is null && d.Reference.Trim().Length > 0)
            {
                var dup = await c.ExecuteScalarAsync<long?>("SELECT id FROM ledger_instruments WHERE park_id = @p AND kind = @k AND reference = @r",
                    new { p = reg.Park.Id.Value, k = OffsetKinds.Code(d.Kind), r = d.Reference.Trim() }, tx);
                if (dup is not null) error = $"reference: {OffsetKinds.Code(d.Kind)} '{d.Reference.Trim()}' is already recorded (#{dup}); an instrument is counted once";
            }
            if (error is not null)
            {
                rejected.Add(new RowError(row.Line, error));
                continue;
            }
            var (s, _) = SerialRange.Parse(d.SerialFrom, d.SerialTo);
            var (b, _) = SerialRange.Parse(d.BundledFrom, d.BundledTo);
            var id = await c.ExecuteScalarAsync<long>(
                """
                INSERT INTO ledger_instruments (park_id, kind, quantity, serial_from, serial_to, serial_prefix, bundled_from, bundled_to, bundled_prefix, vintage,
                    production_from, production_to, project, energy_type, methodology, counterparty, tradable, expires, region, factor_kg_per_kwh, profile,
                    unit_price_cny, purchased_on, reference, note, created_at, created_by)
                VALUES (@p, @kind, @q, @sf, @st, @sp, @bf, @bt, @bp, @vintage, @pf, @pt, @project, @et, @meth, @cp, @tradable, @expires, @region, @factor, @profile,
                    @price, @purchased, @reference, @note, @at, @u) RETURNING id
                """,
                new
                {
                    p = reg.Park.Id.Value, kind = OffsetKinds.Code(d.Kind), q = d.Quantity, sf = s?.FromText ?? "", st = s?.ToText ?? "", sp = s?.Prefix.ToLowerInvariant() ?? "",
                    bf = b?.FromText ?? "", bt = b?.ToText ?? "", bp = b?.Prefix.ToLowerInvariant() ?? "", vintage = d.Vintage, pf = Dn(d.ProductionFrom), pt = Dn(d.ProductionTo),
                    project = d.Project.Trim(), et = d.EnergyType.Trim(), meth = d.Methodology.Trim(), cp = d.Counterparty.Trim(), tradable = d.Tradable is { } tr ? (tr ? 1 : 0) : (int?)null,
                    expires = Dn(d.Expires), region = d.Region.Trim(), factor = d.FactorKgPerKwh, profile = d.Profile, price = d.UnitPriceCny, purchased = Dn(d.PurchasedOn),
                    reference = d.Reference.Trim(), note = d.Note, at = now, u = user,
                }, tx);
            var label = $"{OffsetKinds.Code(d.Kind)} #{id}{(s is null ? "" : " " + s)}";
            await db.AuditAsync(c, tx, reg.Park.Id.Value, user, "purchase", "instrument", label, row.Line > 0 ? $"ledger import line {row.Line}" : null, null,
                $"{N(d.Quantity)} {OffsetKinds.Unit(d.Kind)}{(d.UnitPriceCny is { } pr ? $" at {N(pr)} CNY/{OffsetKinds.Unit(d.Kind)}" : "")}");
            if (d.Claim is { } claim)
                await InsertClaimAsync(c, tx, reg, id, label, claim with { Quantity = claim.Quantity ?? d.Quantity }, d.Kind, user, now);
            known.Add(new SerialRow { id = row.Line > 0 ? -row.Line : id, kind = OffsetKinds.Code(d.Kind), serial_from = s?.FromText ?? "", serial_to = s?.ToText ?? "",
                bundled_from = b?.FromText ?? "", bundled_to = b?.ToText ?? "", park = reg.Park.Code });
            ids.Add(id);
        }
        await tx.CommitAsync(ct);
        return new LedgerImportResult(ids.Count, ids, rejected.OrderBy(e => e.Line).ToList());
    }

    private async Task<long> InsertClaimAsync(DbConnection c, DbTransaction tx, ParkRegistry reg, long instrumentId, string label, ClaimDraft claim, OffsetKind kind,
        string user, long now)
    {
        var use = claim.Use ?? DefaultUse(kind);
        var target = NormTarget(reg, claim.Target);
        var id = await c.ExecuteScalarAsync<long>(
            """
            INSERT INTO ledger_claims (instrument_id, park_id, target, claim_from, claim_to, quantity, state, use, created_at, created_by, retired_at, retired_by)
            VALUES (@i, @p, @target, @f, @t, @q, @state, @use, @at, @u, @rat, @rby) RETURNING id
            """,
            new
            {
                i = instrumentId, p = reg.Park.Id.Value, target, f = D(claim.From), t = D(claim.To), q = claim.Quantity!.Value, state = claim.Retire ? "retired" : "allocated",
                use, at = now, u = user, rat = claim.Retire ? now : (long?)null, rby = claim.Retire ? user : null,
            }, tx);
        await db.AuditAsync(c, tx, reg.Park.Id.Value, user, claim.Retire ? "retire" : "allocate", "instrument", label, $"claim #{id}", null,
            $"{N(claim.Quantity!.Value)} {OffsetKinds.Unit(kind)} → {target} {D(claim.From)}…{D(claim.To)} ({use})");
        return id;
    }

    /// <summary>Allocates (or, with <see cref="ClaimDraft.Retire"/>, retires at once) part or all of an instrument to the park, a building or a
    /// tenant for a period. Refused: more than is left of what was bought (naming the claims that hold it, and saying when the certificates
    /// are already used for market-based scope 2 elsewhere), retiring an expired certificate, a use the kind does not allow.</summary>
    public async Task<LedgerClaim> ClaimAsync(string parkCode, long instrumentId, ClaimDraft claim, string user, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await db.LockParkAsync(c, tx, reg.Park.Id.Value, ct);
        var ins = await c.QuerySingleOrDefaultAsync<InstrumentRow>("SELECT * FROM ledger_instruments WHERE id = @id AND park_id = @p", new { id = instrumentId, p = reg.Park.Id.Value }, tx)
                  ?? throw new NotFoundException($"instrument #{instrumentId} not found in park '{parkCode}'");
        var kind = OffsetKinds.TryParse(ins.kind)!.Value;
        var label = Label(ins);
        if (CheckClaim(reg, kind, claim, P(ins.expires), LocalToday(reg.Park), label) is { } err)
            throw new ValidationException(err[..Math.Max(0, err.IndexOf(':', StringComparison.Ordinal))] is { Length: > 0 } f && f.All(ch => char.IsAsciiLetterLower(ch) || ch == '_') ? f : "instrument", err);
        var claims = (await c.QueryAsync<ClaimRow>("SELECT * FROM ledger_claims WHERE instrument_id = @id ORDER BY id", new { id = instrumentId }, tx)).ToList();
        var used = claims.Sum(x => x.quantity);
        var q = claim.Quantity ?? ins.quantity - used;
        if (q > ins.quantity - used + 1e-9 || q <= 0)
        {
            var use = claim.Use ?? DefaultUse(kind);
            var scope2 = claims.FirstOrDefault(x => x.use != UseOffset && x.state == "retired");
            var because = use == UseOffset && scope2 is not null
                ? $"; its certificates are already used for market-based scope 2 of {scope2.target} {scope2.claim_from}…{scope2.claim_to} (claim #{scope2.id}): as an offset they count only in that claim (same boundary and period, against gross emissions), never a second time"
                : "";
            throw new ConflictException($"{label}: allocating {N(q)} {OffsetKinds.Unit(kind)} is more than was bought: {N(ins.quantity)} bought, " +
                                        $"{N(used)} already allocated or retired ({string.Join(", ", claims.Select(x => $"#{x.id} {N(x.quantity)} {x.state}"))}){because}");
        }
        var id = await InsertClaimAsync(c, tx, reg, instrumentId, label, claim with { Quantity = q }, kind, user, db.Clock.GetUtcNow().ToUnixTimeSeconds());
        await tx.CommitAsync(ct);
        return (await InstrumentAsync(parkCode, instrumentId, ct)).Claims.Single(x => x.Id == id);
    }

    /// <summary>Retires an allocated claim (allocated → retired), audited; an expired certificate is refused.</summary>
    public async Task<LedgerClaim> RetireAsync(string parkCode, long claimId, string user, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await db.LockParkAsync(c, tx, reg.Park.Id.Value, ct);
        var claim = await c.QuerySingleOrDefaultAsync<ClaimRow>("SELECT * FROM ledger_claims WHERE id = @id AND park_id = @p", new { id = claimId, p = reg.Park.Id.Value }, tx)
                    ?? throw new NotFoundException($"claim #{claimId} not found in park '{parkCode}'");
        var ins = await c.QuerySingleAsync<InstrumentRow>("SELECT * FROM ledger_instruments WHERE id = @id", new { id = claim.instrument_id }, tx);
        var label = Label(ins);
        if (claim.state == "retired") throw new ConflictException($"{label}: claim #{claimId} is already retired (by {claim.retired_by})");
        var today = LocalToday(reg.Park);
        if (P(ins.expires) is { } e && e < today)
            throw new ValidationException("instrument", $"{label}: expired on {e:yyyy-MM-dd} (expired certificates are cancelled): it cannot be retired");
        var now = db.Clock.GetUtcNow().ToUnixTimeSeconds();
        await c.ExecuteAsync("UPDATE ledger_claims SET state = 'retired', retired_at = @at, retired_by = @u WHERE id = @id", new { at = now, u = user, id = claimId }, tx);
        await db.AuditAsync(c, tx, reg.Park.Id.Value, user, "retire", "instrument", label, $"claim #{claimId}", "allocated", "retired");
        await tx.CommitAsync(ct);
        return (await InstrumentAsync(parkCode, ins.id, ct)).Claims.Single(x => x.Id == claimId);
    }

    /// <summary>Releases an allocated (not retired) claim: its quantity returns to the holding. Audited.</summary>
    public async Task ReleaseAsync(string parkCode, long claimId, string user, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var claim = await c.QuerySingleOrDefaultAsync<ClaimRow>("SELECT * FROM ledger_claims WHERE id = @id AND park_id = @p", new { id = claimId, p = reg.Park.Id.Value }, tx)
                    ?? throw new NotFoundException($"claim #{claimId} not found in park '{parkCode}'");
        if (claim.state == "retired") throw new ConflictException($"claim #{claimId} is retired: a retirement is final");
        await c.ExecuteAsync("DELETE FROM ledger_claims WHERE id = @id", new { id = claimId }, tx);
        await db.AuditAsync(c, tx, reg.Park.Id.Value, user, "release", "instrument", $"#{claim.instrument_id}", $"claim #{claimId}",
            $"{N(claim.quantity)} → {claim.target} {claim.claim_from}…{claim.claim_to}", null);
        await tx.CommitAsync(ct);
    }

    public async Task<LedgerInstrument> InstrumentAsync(string parkCode, long id, CancellationToken ct = default) =>
        (await InstrumentsAsync(parkCode, id, ct)).SingleOrDefault() ?? throw new NotFoundException($"instrument #{id} not found in park '{parkCode}'");

    /// <summary>The park's instruments with their claims and evidence (newest first).</summary>
    public async Task<IReadOnlyList<LedgerInstrument>> InstrumentsAsync(string parkCode, long? id = null, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        var args = new { p = reg.Park.Id.Value, id };
        var rows = await c.QueryAsync<InstrumentRow>("SELECT * FROM ledger_instruments WHERE park_id = @p AND (@id IS NULL OR id = @id) ORDER BY id DESC", args);
        var claims = (await c.QueryAsync<ClaimRow>("SELECT * FROM ledger_claims WHERE park_id = @p AND (@id IS NULL OR instrument_id = @id) ORDER BY id", args))
            .GroupBy(x => x.instrument_id).ToDictionary(g => g.Key, g => g.ToList());
        var evidence = (await c.QueryAsync<EvidenceRow>(
                "SELECT id, instrument_id, file_name, content_type, size, sha256, uploaded_at, uploaded_by FROM ledger_evidence WHERE park_id = @p AND (@id IS NULL OR instrument_id = @id) ORDER BY id", args))
            .GroupBy(x => x.instrument_id).ToDictionary(g => g.Key, g => g.ToList());
        var clock = reg.Clock;
        return rows.Select(r =>
        {
            var cl = claims.GetValueOrDefault(r.id) ?? [];
            var retired = cl.Where(x => x.state == "retired").Sum(x => x.quantity);
            var allocated = cl.Where(x => x.state == "allocated").Sum(x => x.quantity);
            var state = retired >= r.quantity - 1e-9 ? "retired" : cl.Count > 0 ? "allocated" : "purchased";
            var kind = OffsetKinds.TryParse(r.kind)!.Value;
            return new LedgerInstrument(r.id, r.kind, r.quantity, OffsetKinds.Unit(kind), r.serial_from, r.serial_to, r.bundled_from, r.bundled_to, (int?)r.vintage,
                P(r.production_from), P(r.production_to), r.project, r.energy_type, r.methodology, r.counterparty, r.tradable is { } t ? t != 0 : null, P(r.expires), r.region,
                r.factor_kg_per_kwh, r.profile, r.unit_price_cny, P(r.purchased_on), r.reference, r.note, r.created_by, clock.ToLocalOffset(r.created_at), state, allocated, retired,
                Math.Max(0, r.quantity - allocated - retired),
                cl.Select(x => new LedgerClaim(x.id, x.instrument_id, x.target, P(x.claim_from)!.Value, P(x.claim_to)!.Value, x.quantity, x.state, x.use, x.created_by,
                    clock.ToLocalOffset(x.created_at), x.retired_by, x.retired_at is { } ra ? clock.ToLocalOffset(ra) : null)).ToList(),
                (evidence.GetValueOrDefault(r.id) ?? []).Select(e => new EvidenceInfo(e.id, e.instrument_id, e.file_name, e.content_type, e.size, e.sha256, e.uploaded_by,
                    clock.ToLocalOffset(e.uploaded_at))).ToList());
        }).ToList();
    }

    /// <summary>The retired claims of the park whose period meets [from, to], with their instrument.</summary>
    public async Task<IReadOnlyList<(LedgerInstrument Instrument, LedgerClaim Claim)>> RetiredClaimsAsync(string parkCode, DateOnly from, DateOnly to, CancellationToken ct = default) =>
        (await InstrumentsAsync(parkCode, null, ct)).SelectMany(i => i.Claims.Where(c => c.State == "retired" && c.From <= to && c.To >= from).Select(c => (i, c)))
        .OrderBy(x => x.c.From).ThenBy(x => x.i.Id).ToList();

    /// <summary>The view market-based scope 2 takes of the ledger: every retired claim of a GEC, green power trade or supplier rate
    /// whose use includes scope 2, as a contractual <see cref="Instrument"/> covering the claim's period (kWh).</summary>
    public async Task<IReadOnlyList<Instrument>> MarketInstrumentsAsync(string parkCode, CancellationToken ct = default) =>
        (await InstrumentsAsync(parkCode, null, ct))
        .Where(i => OffsetKinds.IsScope2(i.OffsetKind))
        .SelectMany(i => i.Claims.Where(c => c.State == "retired" && c.Use != UseOffset).Select(c => new Instrument
        {
            Id = i.Id, Kind = i.OffsetKind switch { OffsetKind.Gec => InstrumentKind.Gec, OffsetKind.GreenPower => InstrumentKind.GreenPower, _ => InstrumentKind.SupplierRate },
            QuantityKwh = c.Quantity * 1000, FactorKgPerKwh = i.FactorKgPerKwh, CoverFrom = c.From, CoverTo = c.To, Region = i.Region,
            Reference = i.Reference.Length > 0 ? i.Reference : i.SerialFrom.Length > 0 ? (i.SerialTo != i.SerialFrom ? i.SerialFrom + "…" + i.SerialTo : i.SerialFrom) : $"#{i.Id}",
            Note = i.Note,
        }))
        .OrderBy(i => i.Id).ToList();

    // ---------------------------------------------------------------- evidence

    public const long MaxEvidenceBytes = 20 * 1024 * 1024;

    /// <summary>Stores an evidence file (contract, certificate, retirement statement) for an instrument, audited with its SHA-256.</summary>
    public async Task<EvidenceInfo> AddEvidenceAsync(string parkCode, long instrumentId, string fileName, string contentType, byte[] content, string user, CancellationToken ct = default)
    {
        var name = Path.GetFileName((fileName ?? "").Trim());
        if (name.Length == 0) throw new ValidationException("file", "the file has no name");
        TextLimits.Check("file", name, TextLimits.Name);
        if (content.Length == 0) throw new ValidationException("file", $"'{name}' is empty");
        if (content.Length > MaxEvidenceBytes) throw new ValidationException("file", $"'{name}' is {content.Length} bytes; at most {MaxEvidenceBytes} are stored");
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        var ins = await InstrumentAsync(parkCode, instrumentId, ct);
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var id = await c.ExecuteScalarAsync<long>(
            "INSERT INTO ledger_evidence (instrument_id, park_id, file_name, content_type, size, sha256, content, uploaded_at, uploaded_by) " +
            "VALUES (@i, @p, @n, @ct, @s, @sha, @content, @at, @u) RETURNING id",
            new { i = instrumentId, p = reg.Park.Id.Value, n = name, ct = string.IsNullOrWhiteSpace(contentType) ? "application/octet-stream" : contentType, s = (long)content.Length,
                sha, content, at = db.Clock.GetUtcNow().ToUnixTimeSeconds(), u = user }, tx);
        await db.AuditAsync(c, tx, reg.Park.Id.Value, user, "evidence", "instrument", ins.Label, null, null, $"#{id} {name} {content.Length} bytes sha256 {sha}");
        await tx.CommitAsync(ct);
        return (await InstrumentAsync(parkCode, instrumentId, ct)).Evidence.Single(e => e.Id == id);
    }

    public async Task<(EvidenceInfo Info, byte[] Content)> EvidenceAsync(string parkCode, long evidenceId, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<EvidenceRow>(
            "SELECT id, instrument_id, file_name, content_type, size, sha256, uploaded_at, uploaded_by FROM ledger_evidence WHERE id = @id AND park_id = @p",
            new { id = evidenceId, p = reg.Park.Id.Value }) ?? throw new NotFoundException($"evidence #{evidenceId} not found in park '{parkCode}'");
        var content = await c.ExecuteScalarAsync<byte[]>("SELECT content FROM ledger_evidence WHERE id = @id", new { id = evidenceId });
        return (new EvidenceInfo(row.id, row.instrument_id, row.file_name, row.content_type, row.size, row.sha256, row.uploaded_by, reg.Clock.ToLocalOffset(row.uploaded_at)), content!);
    }

    // ---------------------------------------------------------------- hourly profiles of green power trades

    /// <summary>Replaces the hourly profile of a green power trade (kWh per hour starting at each instant), audited.</summary>
    public async Task<int> SetProfileAsync(string parkCode, long instrumentId, IReadOnlyList<(DateTimeOffset Hour, double Kwh)> hours, string user, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        var ins = await InstrumentAsync(parkCode, instrumentId, ct);
        if (ins.OffsetKind != OffsetKind.GreenPower) throw new ValidationException("instrument", $"{ins.Label}: only a green power trade has an hourly profile");
        if (hours.Any(h => h.Kwh < 0 || double.IsNaN(h.Kwh))) throw new ValidationException("kwh", "hourly energy must not be negative");
        var dup = hours.GroupBy(h => h.Hour.ToUnixTimeSeconds()).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new ValidationException("hour", $"hour {dup.First().Hour:yyyy-MM-dd HH:mm} appears twice");
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await c.ExecuteAsync("DELETE FROM ledger_profiles WHERE instrument_id = @i", new { i = instrumentId }, tx);
        foreach (var h in hours)
            await c.ExecuteAsync("INSERT INTO ledger_profiles (instrument_id, hour_start, kwh) VALUES (@i, @h, @k)", new { i = instrumentId, h = h.Hour.ToUnixTimeSeconds(), k = h.Kwh }, tx);
        await c.ExecuteAsync("UPDATE ledger_instruments SET profile = 'hourly' WHERE id = @i", new { i = instrumentId }, tx);
        await db.AuditAsync(c, tx, reg.Park.Id.Value, user, "profile", "instrument", ins.Label, null, ins.Profile, $"hourly: {hours.Count} hours, {N(hours.Sum(h => h.Kwh))} kWh");
        await tx.CommitAsync(ct);
        return hours.Count;
    }

    public async Task<IReadOnlyDictionary<long, double>> ProfileAsync(long instrumentId, long fromUnix, long toUnix, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return (await c.QueryAsync<(long h, double k)>("SELECT hour_start, kwh FROM ledger_profiles WHERE instrument_id = @i AND hour_start >= @a AND hour_start < @b",
            new { i = instrumentId, a = fromUnix, b = toUnix })).ToDictionary(x => x.h, x => x.k);
    }

    // ---------------------------------------------------------------- price lists and holdings

    /// <summary>Imports market prices (imported lists, no internet): one quote per kind, date and source; the same again replaces it. Audited.</summary>
    public async Task<LedgerImportResult> ImportPricesAsync(string parkCode, IReadOnlyList<(int Line, OffsetKind Kind, DateOnly Date, double Price, double? Available, string Source)> quotes,
        IReadOnlyList<RowError> parseErrors, string user, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        var rejected = parseErrors.ToList();
        var ids = new List<long>();
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var now = db.Clock.GetUtcNow().ToUnixTimeSeconds();
        foreach (var q in quotes)
        {
            if (!(q.Price >= 0) || double.IsInfinity(q.Price)) { rejected.Add(new RowError(q.Line, "price_cny: must be a number ≥ 0")); continue; }
            if (q.Available is < 0) { rejected.Add(new RowError(q.Line, "available: must not be negative")); continue; }
            if (q.Source.Length > TextLimits.Name) { rejected.Add(new RowError(q.Line, $"source: at most {TextLimits.Name} characters")); continue; }
            var args = new { p = reg.Park.Id.Value, k = OffsetKinds.Code(q.Kind), d = D(q.Date), s = q.Source.Trim() };
            var old = await c.QuerySingleOrDefaultAsync<(long id, double price)?>("SELECT id, unit_price_cny FROM ledger_prices WHERE park_id = @p AND kind = @k AND price_date = @d AND source = @s", args, tx);
            if (old is { } o) await c.ExecuteAsync("DELETE FROM ledger_prices WHERE id = @id", new { o.id }, tx);
            var id = await c.ExecuteScalarAsync<long>(
                "INSERT INTO ledger_prices (park_id, kind, price_date, unit_price_cny, available, source, created_at, created_by) VALUES (@p, @k, @d, @price, @a, @s, @at, @u) RETURNING id",
                new { args.p, args.k, args.d, price = q.Price, a = q.Available, args.s, at = now, u = user }, tx);
            await db.AuditAsync(c, tx, reg.Park.Id.Value, user, old is null ? "create" : "update", "price", $"{args.k} {args.d} {args.s}", null,
                old is { } oo ? N(oo.price) : null, $"{N(q.Price)} CNY/{OffsetKinds.Unit(q.Kind)}");
            ids.Add(id);
        }
        await tx.CommitAsync(ct);
        return new LedgerImportResult(ids.Count, ids, rejected.OrderBy(e => e.Line).ToList());
    }

    public async Task<IReadOnlyList<PriceQuote>> PricesAsync(string parkCode, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(long id, string kind, string d, double price, double? available, string source)>(
            "SELECT id, kind, price_date, unit_price_cny, available, source FROM ledger_prices WHERE park_id = @p ORDER BY kind, price_date, source", new { p = reg.Park.Id.Value });
        return rows.Select(r => new PriceQuote(r.id, r.kind, P(r.d)!.Value, r.price, OffsetKinds.Unit(OffsetKinds.TryParse(r.kind)!.Value), r.available, r.source)).ToList();
    }

    /// <summary>The latest quote of each kind on or before <paramref name="asOf"/> (the cheapest when several sources quote that day).</summary>
    public static IReadOnlyDictionary<string, PriceQuote> LatestPrices(IEnumerable<PriceQuote> prices, DateOnly asOf) =>
        prices.Where(p => p.Date <= asOf).GroupBy(p => p.Kind)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(p => p.Date).ThenBy(p => p.UnitPriceCny).First());

    /// <summary>The value of what the park holds (bought, not retired) at the latest price of each kind, beside what was paid.</summary>
    public async Task<HoldingsValue> HoldingsAsync(string parkCode, DateOnly asOf, CancellationToken ct = default)
    {
        var latest = LatestPrices(await PricesAsync(parkCode, ct), asOf);
        var notes = new List<string>();
        var lines = (await InstrumentsAsync(parkCode, null, ct)).Where(i => i.OffsetKind != OffsetKind.RooftopPv && i.OffsetKind != OffsetKind.SupplierRate)
            .GroupBy(i => i.Kind).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
            {
                var held = g.Sum(i => i.Quantity - i.RetiredQuantity);
                var book = g.All(i => i.UnitPriceCny is not null) ? g.Sum(i => (i.Quantity - i.RetiredQuantity) * i.UnitPriceCny!.Value) : (double?)null;
                var q = latest.GetValueOrDefault(g.Key);
                if (q is null && held > 0) notes.Add($"{g.Key}: no price on or before {asOf:yyyy-MM-dd}; import a price list");
                return new HoldingLine(g.Key, OffsetKinds.Unit(g.First().OffsetKind), held, q?.UnitPriceCny, q?.Date, q is null ? null : held * q.UnitPriceCny, book);
            }).ToList();
        return new HoldingsValue(asOf, lines, lines.Sum(l => l.ValueCny ?? 0), lines.Sum(l => l.BookValueCny ?? 0), notes);
    }

    // ---------------------------------------------------------------- targets

    public static readonly string[] TargetKinds = ["neutrality_rate", "emission_budget", "cue"];

    /// <summary>Sets a target (a target of the same kind, period and start month is replaced), audited.</summary>
    public async Task<NeutralityTarget> SetTargetAsync(string parkCode, string kind, string every, double value, string? from, string? to, string note, string user,
        CancellationToken ct = default)
    {
        kind = (kind ?? "").Trim().ToLowerInvariant();
        every = (every ?? "").Trim().ToLowerInvariant();
        if (Array.IndexOf(TargetKinds, kind) < 0) throw new ValidationException("kind", $"'{kind}' is not a target kind ({string.Join(", ", TargetKinds)})");
        if (every is not ("month" or "year")) throw new ValidationException("every", $"'{every}' is not month or year");
        if (!(value >= 0) || double.IsInfinity(value)) throw new ValidationException("value", "must be a number ≥ 0");
        if (kind == "neutrality_rate" && value > 10) throw new ValidationException("value", $"{N(value)}: a neutrality rate is a share (0.75 = 75 %)");
        TextLimits.Check("note", note, TextLimits.Text);
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        var f = Month(from, "from") ?? $"{LocalToday(reg.Park):yyyy-MM}";
        var t = Month(to, "to");
        if (t is not null && string.CompareOrdinal(t, f) < 0) throw new ValidationException("to", $"{t} is before {f}");
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var args = new { p = reg.Park.Id.Value, kind, every, f };
        var old = await c.QuerySingleOrDefaultAsync<(long id, double value)?>("SELECT id, value FROM neutrality_targets WHERE park_id = @p AND kind = @kind AND every = @every AND valid_from = @f", args, tx);
        if (old is { } o) await c.ExecuteAsync("DELETE FROM neutrality_targets WHERE id = @id", new { o.id }, tx);
        var id = await c.ExecuteScalarAsync<long>(
            "INSERT INTO neutrality_targets (park_id, kind, every, value, valid_from, valid_to, note, created_at, created_by) VALUES (@p, @kind, @every, @v, @f, @t, @note, @at, @u) RETURNING id",
            new { args.p, kind, every, v = value, f, t, note, at = db.Clock.GetUtcNow().ToUnixTimeSeconds(), u = user }, tx);
        await db.AuditAsync(c, tx, reg.Park.Id.Value, user, old is null ? "create" : "update", "target", $"{kind} every {every} from {f}", null, old is { } oo ? N(oo.value) : null,
            $"{N(value)}{(t is null ? "" : " until " + t)}");
        await tx.CommitAsync(ct);
        return (await TargetsAsync(parkCode, ct)).Single(x => x.Id == id);
    }

    public async Task<IReadOnlyList<NeutralityTarget>> TargetsAsync(string parkCode, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(long id, string kind, string every, double value, string f, string? t, string note, long at, string by)>(
            "SELECT id, kind, every, value, valid_from, valid_to, note, created_at, created_by FROM neutrality_targets WHERE park_id = @p ORDER BY kind, every, valid_from", new { p = reg.Park.Id.Value });
        return rows.Select(r => new NeutralityTarget(r.id, r.kind, r.every, r.value, r.f, r.t, r.note, r.by, reg.Clock.ToLocalOffset(r.at))).ToList();
    }

    public async Task DeleteTargetAsync(string parkCode, long id, string user, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        var t = (await TargetsAsync(parkCode, ct)).SingleOrDefault(x => x.Id == id) ?? throw new NotFoundException($"target #{id} not found in park '{parkCode}'");
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await c.ExecuteAsync("DELETE FROM neutrality_targets WHERE id = @id", new { id }, tx);
        await db.AuditAsync(c, tx, reg.Park.Id.Value, user, "delete", "target", $"{t.Kind} every {t.Every} from {t.From}", null, N(t.Value), null);
        await tx.CommitAsync(ct);
    }

    /// <summary>The target of a kind that applies to a month (monthly) or a year (annual): the one with the latest start on or before it.</summary>
    public static NeutralityTarget? TargetFor(IEnumerable<NeutralityTarget> targets, string kind, string every, int year, int month) =>
        targets.Where(t => t.Kind == kind && t.Every == every && t.Applies(year, every == "year" ? Math.Max(month, 1) : month))
            .OrderByDescending(t => t.From, StringComparer.Ordinal).FirstOrDefault()
        ?? (every == "year" ? targets.Where(t => t.Kind == kind && t.Every == "year" && string.CompareOrdinal(t.From[..4], year.ToString("0000", Inv)) <= 0
                                                  && (t.To is null || string.CompareOrdinal(t.To[..4], year.ToString("0000", Inv)) >= 0))
            .OrderByDescending(t => t.From, StringComparer.Ordinal).FirstOrDefault() : null);

    private static string? Month(string? s, string field)
    {
        if (string.IsNullOrWhiteSpace(s)) return null;
        return DateOnly.TryParseExact(s.Trim() + "-01", "yyyy-MM-dd", Inv, DateTimeStyles.None, out var d) ? $"{d:yyyy-MM}"
            : throw new ValidationException(field, $"'{s}' is not a month (YYYY-MM)");
    }

    // ---------------------------------------------------------------- reduction measures

    public static readonly string[] MeasureCategories = ["free_cooling", "chilled_water_setpoint", "ups_eco_mode", "pv", "retrofit", "airflow", "lighting", "other"];

    /// <summary>Registers a reduction measure (the call t18's accepted suggestions use); audited. The boundary is meter or node (space) codes of the park.</summary>
    public async Task<ReductionMeasure> AddMeasureAsync(string parkCode, MeasureDraft d, string user, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        var code = (d.Code ?? "").Trim();
        if (code.Length == 0) throw new ValidationException("code", "a measure needs a code");
        TextLimits.Check("code", code, TextLimits.Code);
        TextLimits.Check("name", d.Name, TextLimits.Name);
        TextLimits.Check("note", d.Note, TextLimits.Text);
        TextLimits.Check("source", d.Source, TextLimits.Name);
        if (string.IsNullOrWhiteSpace(d.Name)) throw new ValidationException("name", "a measure needs a name");
        var category = (d.Category ?? "").Trim().ToLowerInvariant();
        if (Array.IndexOf(MeasureCategories, category) < 0) throw new ValidationException("category", $"'{d.Category}' is not one of {string.Join(", ", MeasureCategories)}");
        if (d.Boundary.Count == 0) throw new ValidationException("boundary", "name the meters or nodes whose energy the measure changes");
        foreach (var b in d.Boundary)
            if (!reg.MetersByCode.ContainsKey(b) && !reg.SpacesByCode.ContainsKey(b) && b != reg.Park.Code)
                throw new ValidationException("boundary", $"'{b}' is neither a meter nor a space of park '{parkCode}'");
        if (d.BaselineTo < d.BaselineFrom) throw new ValidationException("baseline_to", "the baseline ends before it starts");
        if (d.BaselineTo.DayNumber - d.BaselineFrom.DayNumber < 13) throw new ValidationException("baseline_to", "a baseline needs at least 14 days");
        if (d.Start <= d.BaselineTo) throw new ValidationException("start", $"the measure starts {d.Start:yyyy-MM-dd}, within its baseline (until {d.BaselineTo:yyyy-MM-dd})");
        if (d.PriceCnyPerKwh is < 0) throw new ValidationException("price", "must not be negative");
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        if (await c.ExecuteScalarAsync<long?>("SELECT id FROM reduction_measures WHERE park_id = @p AND code = @code", new { p = reg.Park.Id.Value, code }, tx) is { } dup)
            throw new ConflictException($"measure '{code}' already exists (#{dup})");
        var id = await c.ExecuteScalarAsync<long>(
            """
            INSERT INTO reduction_measures (park_id, code, name, category, boundary, baseline_from, baseline_to, start_date, price_cny_per_kwh, use_temperature, status, source, note, created_at, created_by)
            VALUES (@p, @code, @name, @category, @boundary, @bf, @bt, @start, @price, @temp, 'active', @source, @note, @at, @u) RETURNING id
            """,
            new { p = reg.Park.Id.Value, code, name = d.Name.Trim(), category, boundary = string.Join(",", d.Boundary), bf = D(d.BaselineFrom), bt = D(d.BaselineTo), start = D(d.Start),
                price = d.PriceCnyPerKwh, temp = d.UseTemperature ? 1 : 0, source = d.Source, note = d.Note, at = db.Clock.GetUtcNow().ToUnixTimeSeconds(), u = user }, tx);
        await db.AuditAsync(c, tx, reg.Park.Id.Value, user, "create", "measure", code, d.Source, null,
            $"{category} boundary {string.Join(",", d.Boundary)} baseline {D(d.BaselineFrom)}…{D(d.BaselineTo)} start {D(d.Start)}");
        await tx.CommitAsync(ct);
        return (await MeasuresAsync(parkCode, ct)).Single(m => m.Id == id);
    }

    public async Task<IReadOnlyList<ReductionMeasure>> MeasuresAsync(string parkCode, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<MeasureRow>("SELECT * FROM reduction_measures WHERE park_id = @p ORDER BY code", new { p = reg.Park.Id.Value });
        return rows.Select(r => new ReductionMeasure(r.id, r.code, r.name, r.category, r.boundary.Split(',', StringSplitOptions.RemoveEmptyEntries), P(r.baseline_from)!.Value,
            P(r.baseline_to)!.Value, P(r.start_date)!.Value, r.price_cny_per_kwh, r.use_temperature != 0, r.status, r.source, r.note, r.created_by, reg.Clock.ToLocalOffset(r.created_at))).ToList();
    }

    private sealed class MeasureRow
    {
        public long id; public string code = ""; public string name = ""; public string category = ""; public string boundary = ""; public string baseline_from = "";
        public string baseline_to = ""; public string start_date = ""; public double? price_cny_per_kwh; public long use_temperature; public string status = ""; public string source = "";
        public string note = ""; public long created_at; public string created_by = "";
    }

    // ---------------------------------------------------------------- helpers

    private static string Label(InstrumentRow r)
    {
        var s = r.serial_from.Length > 0 ? " " + (r.serial_to != r.serial_from ? r.serial_from + "…" + r.serial_to : r.serial_from) : "";
        return $"{r.kind} #{r.id}{s}{(r.reference.Length > 0 ? " (" + r.reference + ")" : "")}";
    }

    private static string N(double v) => v.ToString("0.######", Inv);
    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", Inv);
    private static string? Dn(DateOnly? d) => d is { } x ? D(x) : null;
    private static DateOnly? P(string? s) => string.IsNullOrEmpty(s) ? null : DateOnly.ParseExact(s, "yyyy-MM-dd", Inv);
}
