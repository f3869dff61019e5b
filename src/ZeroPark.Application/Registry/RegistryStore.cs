// Row classes below are filled by Dapper through reflection.
#pragma warning disable CS0649
using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Dapper;
using ZeroPark.Domain;
using ZeroPark.Metering;

namespace ZeroPark.Application.Registry;

/// <summary>The registry of parks (module <c>Registry</c>): parks, spaces, meters and their systems, and the in-memory
/// registry cache with each meter's aggregate series, over the shared database object.</summary>
public sealed class RegistryStore(ZeroParkStore db)
{
    private Task<DbConnection> OpenConnectionAsync(CancellationToken ct = default) => db.OpenConnectionAsync(ct);
    private TimeProvider Clock => db.Clock;

    private static readonly Regex CodePattern = new("^[a-z0-9][a-z0-9_.\\-]*$", RegexOptions.Compiled);

    /// <summary>Meter codes keep the case they are given (<c>M1</c>, <c>PDU-A1</c>, as BMS exports spell them) and are matched
    /// case-insensitively everywhere (<see cref="MeterCodes"/>); two codes of one park that differ only by case are one code.</summary>
    private static readonly Regex MeterCodePattern = new("^[A-Za-z0-9][A-Za-z0-9_.\\-]*$", RegexOptions.Compiled);

    /// <summary>The comparer of meter codes: ordinal, ignoring case.</summary>
    public static StringComparer MeterCodes => StringComparer.OrdinalIgnoreCase;
    private readonly ConcurrentDictionary<string, Task<ParkRegistry>> _registries = new(StringComparer.Ordinal);

    private sealed class ParkRow
    {
        public long id; public string code = ""; public string name = ""; public string time_zone = ""; public string climate_zone = "";
        public string? grid_region; public string? province; public string? commissioning_date; public double? design_it_kw;
        public long? racks_total; public long? racks_in_use;
        public Park ToPark() => new()
        {
            Id = new ParkId(id), Code = code, Name = name, TimeZoneId = time_zone, ClimateZone = Park.ParseClimateZone(climate_zone),
            GridRegion = grid_region, Province = province,
            CommissioningDate = commissioning_date is null ? null : DateOnly.ParseExact(commissioning_date, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            DesignItCapacity = design_it_kw is { } kw ? Power.FromKilowatts(kw) : null,
            RacksTotal = (int?)racks_total, RacksInUse = (int?)racks_in_use,
        };
    }

    private sealed class SpaceRow
    {
        public long id; public long park_id; public long? parent_id; public long level; public string code = ""; public string name = "";
        public Space ToSpace() => new()
        {
            Id = new SpaceId(id), ParkId = new ParkId(park_id), ParentId = parent_id is { } p ? new SpaceId(p) : null,
            Level = (SpaceLevel)level, Code = code, Name = name,
        };
    }

    private sealed class MeterRow
    {
        public long id; public long park_id; public string code = ""; public string name = ""; public string carrier = ""; public string kind = "";
        public string unit = ""; public double? register_max; public double multiplier; public long interval_s; public double? max_rate;
        public long? space_id; public string? system_code; public string? device; public string role = ""; public string? formula; public bool resets_normal;
        public Meter ToMeter() => new()
        {
            Id = new MeterId(id), ParkId = new ParkId(park_id), Code = code, Name = name, Carrier = Codes.ParseCarrier(carrier),
            Kind = Codes.ParseKind(kind), Unit = unit, RegisterMax = register_max, Multiplier = multiplier,
            Interval = TimeSpan.FromSeconds(interval_s), MaxRatePerHour = max_rate, SpaceId = space_id is { } s ? new SpaceId(s) : null,
            SystemCode = system_code, Device = device, Role = Codes.ParseRole(role), Formula = formula, ResetsNormal = resets_normal,
        };
    }

    // ---------------------------------------------------------------- parks

    public async Task<Park> CreateParkAsync(ParkDraft d, string user = "system", CancellationToken ct = default)
    {
        ValidatePark(d);
        await using var c = await OpenConnectionAsync(ct);
        if (await c.ExecuteScalarAsync<long?>("SELECT id FROM parks WHERE code = @Code", new { d.Code }) is not null)
            throw new ConflictException($"park '{d.Code}' already exists");
        await using var tx = await c.BeginTransactionAsync(ct);
        var id = await c.ExecuteScalarAsync<long>(
            """
            INSERT INTO parks (code, name, time_zone, climate_zone, grid_region, province, commissioning_date, design_it_kw, racks_total, racks_in_use)
            VALUES (@Code, @Name, @TimeZone, @ClimateZone, @GridRegion, @Province, @cd, @DesignItKw, @RacksTotal, @RacksInUse) RETURNING id
            """,
            new { d.Code, d.Name, d.TimeZone, ClimateZone = Park.ClimateZoneCode(Park.ParseClimateZone(d.ClimateZone)), d.GridRegion, d.Province,
                  cd = d.CommissioningDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), d.DesignItKw, d.RacksTotal, d.RacksInUse }, tx);
        await db.AuditAsync(c, tx, id, user, "create", "park", d.Code, null, null, Describe(d));
        await tx.CommitAsync(ct);
        Invalidate(d.Code);
        return await GetParkAsync(d.Code, ct);
    }

    public async Task<Park> UpdateParkAsync(string code, ParkDraft d, string user = "system", CancellationToken ct = default)
    {
        ValidatePark(d with { Code = code });
        var old = await GetParkAsync(code, ct);
        await using var c = await OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await c.ExecuteAsync(
            """
            UPDATE parks SET name = @Name, time_zone = @TimeZone, climate_zone = @ClimateZone, grid_region = @GridRegion, province = @Province,
              commissioning_date = @cd, design_it_kw = @DesignItKw, racks_total = @RacksTotal, racks_in_use = @RacksInUse WHERE id = @id
            """,
            new { d.Name, d.TimeZone, ClimateZone = Park.ClimateZoneCode(Park.ParseClimateZone(d.ClimateZone)), d.GridRegion, d.Province,
                  cd = d.CommissioningDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), d.DesignItKw, d.RacksTotal, d.RacksInUse, id = old.Id.Value }, tx);
        if (old.TimeZoneId != d.TimeZone)
        {
            var hasReadings = await c.ExecuteScalarAsync<long?>("SELECT 1 FROM meters m JOIN meter_state s ON s.meter_id = m.id WHERE m.park_id = @id LIMIT 1", new { id = old.Id.Value }, tx);
            if (hasReadings is not null) throw new ConflictException("timezone: cannot change the time zone of a park that has readings (rollups are in local time)");
        }
        await db.AuditAsync(c, tx, old.Id.Value, user, "update", "park", code, null, null, Describe(d));
        await BumpRegistryVersionAsync(c, tx, old.Id.Value);
        await tx.CommitAsync(ct);
        Invalidate(code);
        return await GetParkAsync(code, ct);
    }

    private static void ValidatePark(ParkDraft d)
    {
        TextLimits.Check("code", d.Code, TextLimits.Code);
        TextLimits.Check("name", d.Name, TextLimits.Name);
        TextLimits.Check("grid_region", d.GridRegion, TextLimits.Name);
        TextLimits.Check("province", d.Province, TextLimits.Name);
        if (string.IsNullOrWhiteSpace(d.Code) || !CodePattern.IsMatch(d.Code)) throw new ValidationException("code", $"park code '{d.Code}' must be lowercase letters, digits, '_', '-' or '.'");
        if (string.IsNullOrWhiteSpace(d.Name)) throw new ValidationException("name", "park name is required");
        if (!ParkClock.IsValidZone(d.TimeZone)) throw new ValidationException("timezone", $"unknown time zone '{d.TimeZone}' (expected an IANA id such as Asia/Shanghai)");
        try { Park.ParseClimateZone(d.ClimateZone); } catch (ArgumentException e) { throw new ValidationException("climate_zone", e.Message); }
        if (d.DesignItKw is < 0) throw new ValidationException("design_it_kw", "must not be negative");
        if (d.RacksTotal is < 0) throw new ValidationException("racks_total", "must not be negative");
        if (d.RacksInUse is { } u && (u < 0 || (d.RacksTotal is { } t && u > t))) throw new ValidationException("racks_in_use", "must be between 0 and racks_total");
    }

    public async Task<Park> GetParkAsync(string code, CancellationToken ct = default)
    {
        await using var c = await OpenConnectionAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<ParkRow>("SELECT * FROM parks WHERE code = @code", new { code });
        return row?.ToPark() ?? throw new NotFoundException($"park '{code}' not found");
    }

    public async Task<IReadOnlyList<Park>> ListParksAsync(CancellationToken ct = default)
    {
        await using var c = await OpenConnectionAsync(ct);
        return (await c.QueryAsync<ParkRow>("SELECT * FROM parks ORDER BY code")).Select(r => r.ToPark()).ToList();
    }

    // ---------------------------------------------------------------- spaces

    public async Task<Space> CreateSpaceAsync(string parkCode, SpaceDraft d, string user = "system", CancellationToken ct = default)
    {
        TextLimits.Check("code", d.Code, TextLimits.Code);
        TextLimits.Check("name", d.Name, TextLimits.Name);
        TextLimits.Check("level", d.Level, TextLimits.Name);
        if (string.IsNullOrWhiteSpace(d.Code) || !CodePattern.IsMatch(d.Code)) throw new ValidationException("code", $"space code '{d.Code}' must be lowercase letters, digits, '_', '-' or '.'");
        if (string.IsNullOrWhiteSpace(d.Name)) throw new ValidationException("name", "space name is required");
        var reg = await GetRegistryAsync(parkCode, ct);
        if (reg.SpacesByCode.ContainsKey(d.Code)) throw new ConflictException($"space '{d.Code}' already exists in park '{parkCode}'");
        Space? parent = null;
        if (d.ParentCode is { Length: > 0 } pc && !reg.SpacesByCode.TryGetValue(pc, out parent))
            throw new ValidationException("parent", $"parent space '{pc}' not found");
        SpaceLevel level;
        try { level = Space.ChildLevel(parent?.Level); }
        catch (ArgumentException e) { throw new ValidationException("parent", e.Message); }
        if (d.Level is { Length: > 0 } lv)
        {
            SpaceLevel asked;
            try { asked = Space.ParseLevel(lv); } catch (ArgumentException e) { throw new ValidationException("level", e.Message); }
            if (asked != level) throw new ValidationException("level", $"a {Space.LevelCode(asked)} cannot be placed under {(parent is null ? "the park" : "a " + Space.LevelCode(parent.Level))}; expected {Space.LevelCode(level)}");
        }
        await using var c = await OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await c.ExecuteAsync("INSERT INTO spaces (park_id, parent_id, level, code, name) VALUES (@p, @parent, @level, @code, @name)",
            new { p = reg.Park.Id.Value, parent = parent?.Id.Value, level = (int)level, code = d.Code, name = d.Name }, tx);
        await db.AuditAsync(c, tx, reg.Park.Id.Value, user, "create", "space", d.Code, null, null, $"{Space.LevelCode(level)} '{d.Name}' under {parent?.Code ?? "park"}");
        await BumpRegistryVersionAsync(c, tx, reg.Park.Id.Value);
        await tx.CommitAsync(ct);
        Invalidate(parkCode);
        return (await GetRegistryAsync(parkCode, ct)).SpacesByCode[d.Code];
    }

    public async Task<IReadOnlyList<Space>> ListSpacesAsync(string parkCode, CancellationToken ct = default)
    {
        var reg = await GetRegistryAsync(parkCode, ct);
        return reg.SpacesById.Values.OrderBy(s => s.Level).ThenBy(s => s.Code, StringComparer.Ordinal).ToList();
    }

    public async Task DeleteSpaceAsync(string parkCode, string code, string user = "system", CancellationToken ct = default)
    {
        var reg = await GetRegistryAsync(parkCode, ct);
        if (!reg.SpacesByCode.TryGetValue(code, out var s)) throw new NotFoundException($"space '{code}' not found in park '{parkCode}'");
        if (reg.SpacesById.Values.Any(x => x.ParentId == s.Id)) throw new ConflictException($"space '{code}' has child spaces; delete them first");
        if (reg.MetersById.Values.Any(m => m.SpaceId == s.Id)) throw new ConflictException($"space '{code}' has meters attached; move or delete them first");
        await using var c = await OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM energy_plans WHERE space_id = @id", new { id = s.Id.Value }, tx) > 0)
            throw new ConflictException($"space '{code}' has energy plans; a building with plans cannot be deleted");
        await c.ExecuteAsync("DELETE FROM spaces WHERE id = @id", new { id = s.Id.Value }, tx);
        await db.AuditAsync(c, tx, reg.Park.Id.Value, user, "delete", "space", code, null, s.Name, null);
        await BumpRegistryVersionAsync(c, tx, reg.Park.Id.Value);
        await tx.CommitAsync(ct);
        Invalidate(parkCode);
    }

    /// <summary>Renames a space (its code, level and parent stay: meters, aggregates and plans refer to them). Audited with the old
    /// and the new name.</summary>
    public async Task<Space> RenameSpaceAsync(string parkCode, string code, string name, string user = "system", CancellationToken ct = default)
    {
        TextLimits.Check("name", name, TextLimits.Name);
        if (string.IsNullOrWhiteSpace(name)) throw new ValidationException("name", "space name is required");
        name = name.Trim();
        var reg = await GetRegistryAsync(parkCode, ct);
        if (!reg.SpacesByCode.TryGetValue(code, out var s)) throw new NotFoundException($"space '{code}' not found in park '{parkCode}'");
        if (s.Name == name) return s;
        await using var c = await OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await c.ExecuteAsync("UPDATE spaces SET name = @name WHERE id = @id", new { name, id = s.Id.Value }, tx);
        await db.AuditAsync(c, tx, reg.Park.Id.Value, user, "update", "space", code, null, s.Name, name);
        await BumpRegistryVersionAsync(c, tx, reg.Park.Id.Value);
        await tx.CommitAsync(ct);
        Invalidate(parkCode);
        return (await GetRegistryAsync(parkCode, ct)).SpacesByCode[code];
    }

    // ---------------------------------------------------------------- meters

    /// <summary>Creates meters (all or nothing). Aggregates they feed are created too.</summary>
    public async Task<IReadOnlyList<Meter>> CreateMetersAsync(string parkCode, IReadOnlyList<MeterDraft> drafts, string user = "system", CancellationToken ct = default)
    {
        var reg = await GetRegistryAsync(parkCode, ct);
        var seen = new HashSet<string>(MeterCodes);
        var rows = new List<(MeterDraft D, Meter M)>();
        foreach (var d in drafts)
        {
            var m = ToMeter(reg, d, new MeterId(0));
            if (reg.MetersByCode.TryGetValue(d.Code, out var dup)) throw new ConflictException($"meter '{d.Code}' already exists in park '{parkCode}'{(dup.Code == d.Code ? "" : $" as '{dup.Code}' (meter codes are matched ignoring case)")}");
            if (!seen.Add(d.Code)) throw new ConflictException($"meter '{d.Code}' is given twice (meter codes are matched ignoring case)");
            rows.Add((d, m));
        }
        var known = new Dictionary<string, Meter>(reg.MetersByCode, MeterCodes);
        foreach (var (d, m) in rows) known[d.Code] = m;
        foreach (var (_, m) in rows) ValidateFormula(m, known);
        await using var c = await OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        foreach (var (d, m) in rows)
        {
            await c.ExecuteAsync(
                """
                INSERT INTO meters (park_id, code, name, carrier, kind, unit, register_max, multiplier, interval_s, max_rate, space_id, system_code, device, role, formula, resets_normal)
                VALUES (@park, @Code, @Name, @carrier, @kind, @Unit, @RegisterMax, @Multiplier, @interval, @MaxRatePerHour, @space, @SystemCode, @Device, @role, @Formula, @ResetsNormal)
                """,
                new { park = reg.Park.Id.Value, m.Code, m.Name, carrier = Codes.Of(m.Carrier), kind = Codes.Of(m.Kind), m.Unit, m.RegisterMax, m.Multiplier,
                      interval = (long)m.Interval.TotalSeconds, m.MaxRatePerHour, space = m.SpaceId?.Value, m.SystemCode, m.Device, role = Codes.Of(m.Role), m.Formula, m.ResetsNormal }, tx);
        }
        if (rows.Count <= 20)
        {
            foreach (var (d, m) in rows)
                await db.AuditAsync(c, tx, reg.Park.Id.Value, user, "create", "meter", d.Code, null, null, $"{Codes.Of(m.Carrier)} {Codes.Of(m.Kind)} {m.Unit} role={Codes.Of(m.Role)} system={m.SystemCode} space={d.SpaceCode}");
        }
        else
        {
            await db.AuditAsync(c, tx, reg.Park.Id.Value, user, "create", "meter", $"{rows.Count} meters", null, null, string.Join(",", rows.Take(50).Select(r => r.D.Code)));
        }
        await BumpRegistryVersionAsync(c, tx, reg.Park.Id.Value);
        await tx.CommitAsync(ct);
        Invalidate(parkCode);
        await EnsureAggregatesAsync(parkCode, rebuild: false, ct);
        var after = await GetRegistryAsync(parkCode, ct);
        return rows.Select(r => after.MetersByCode[r.D.Code]).ToList();
    }

    /// <summary>Updates a meter's descriptive fields and attachment. Unit, multiplier, kind and carrier cannot change once
    /// readings exist (that would rewrite history): register a new meter or a replacement instead.</summary>
    public async Task<Meter> UpdateMeterAsync(string parkCode, string code, MeterDraft d, string user = "system", CancellationToken ct = default)
    {
        var reg = await GetRegistryAsync(parkCode, ct);
        var old = reg.Meter(code);
        code = old.Code;
        var m = ToMeter(reg, d with { Code = code }, old.Id);
        await using var c = await OpenConnectionAsync(ct);
        var hasReadings = await c.ExecuteScalarAsync<long?>("SELECT 1 FROM meter_state WHERE meter_id = @id", new { id = old.Id.Value }) is not null;
        if (hasReadings && (m.Unit != old.Unit || m.Multiplier != old.Multiplier || m.Kind != old.Kind || m.Carrier != old.Carrier || m.Interval != old.Interval))
            throw new ConflictException($"meter '{code}' has readings: unit, multiplier, kind, carrier and interval are fixed (register a replacement or a new meter)");
        if (hasReadings && m.Formula is not null)
            throw new ConflictException($"meter '{code}' has readings: it cannot become a virtual meter");
        var known = new Dictionary<string, Meter>(reg.MetersByCode, MeterCodes) { [code] = m };
        ValidateFormula(m, known);
        // Other virtual meters that use this one must still make sense (carrier, kind).
        foreach (var v in known.Values.Where(v => v.Formula is not null && v.Code != code)) ValidateFormula(v, known);
        await using var tx = await c.BeginTransactionAsync(ct);
        await c.ExecuteAsync(
            """
            UPDATE meters SET name = @Name, carrier = @carrier, kind = @kind, unit = @Unit, register_max = @RegisterMax, multiplier = @Multiplier,
              interval_s = @interval, max_rate = @MaxRatePerHour, space_id = @space, system_code = @SystemCode, device = @Device, role = @role, formula = @Formula,
              resets_normal = @ResetsNormal
            WHERE id = @id
            """,
            new { m.Name, carrier = Codes.Of(m.Carrier), kind = Codes.Of(m.Kind), m.Unit, m.RegisterMax, m.Multiplier, interval = (long)m.Interval.TotalSeconds,
                  m.MaxRatePerHour, space = m.SpaceId?.Value, m.SystemCode, m.Device, role = Codes.Of(m.Role), m.Formula, m.ResetsNormal, id = old.Id.Value }, tx);
        await db.AuditAsync(c, tx, reg.Park.Id.Value, user, "update", "meter", code, null,
            $"role={Codes.Of(old.Role)} system={old.SystemCode} space={old.SpaceId} name={old.Name} resets_normal={old.ResetsNormal}",
            $"role={Codes.Of(m.Role)} system={m.SystemCode} space={m.SpaceId} name={m.Name} resets_normal={m.ResetsNormal}");
        await BumpRegistryVersionAsync(c, tx, reg.Park.Id.Value);
        await tx.CommitAsync(ct);
        Invalidate(parkCode);
        // The reset rule changed: every drop of the meter's history is counted again under the new rule.
        if (hasReadings && old.ResetsNormal != m.ResetsNormal) await db.Readings.RecomputeMeterAsync(parkCode, code, user, ct);
        var reattached = old.SpaceId != m.SpaceId || old.SystemCode != m.SystemCode || old.Role != m.Role;
        await EnsureAggregatesAsync(parkCode, rebuild: reattached && hasReadings, ct);
        return (await GetRegistryAsync(parkCode, ct)).MetersByCode[code];
    }

    public async Task DeleteMeterAsync(string parkCode, string code, string user = "system", CancellationToken ct = default)
    {
        var reg = await GetRegistryAsync(parkCode, ct);
        var m = reg.Meter(code);
        code = m.Code;
        if (reg.MetersByCode.Values.Any(v => v.Formula is not null && LinearFormula.Parse(v.Formula).Terms.Any(t => MeterCodes.Equals(t.Code, code))))
            throw new ConflictException($"meter '{code}' is used by a virtual meter's formula");
        await using var c = await OpenConnectionAsync(ct);
        if (await c.ExecuteScalarAsync<long?>("SELECT 1 FROM meter_state WHERE meter_id = @id", new { id = m.Id.Value }) is not null)
            throw new ConflictException($"meter '{code}' has readings; a meter with history cannot be deleted");
        await using var tx = await c.BeginTransactionAsync(ct);
        await c.ExecuteAsync("DELETE FROM meters WHERE id = @id", new { id = m.Id.Value }, tx);
        await db.AuditAsync(c, tx, reg.Park.Id.Value, user, "delete", "meter", code, null, m.Name, null);
        await BumpRegistryVersionAsync(c, tx, reg.Park.Id.Value);
        await tx.CommitAsync(ct);
        Invalidate(parkCode);
        await EnsureAggregatesAsync(parkCode, rebuild: false, ct);
    }

    /// <summary>A virtual meter's formula may only use existing meters of the same carrier, no power meters, and no cycles.</summary>
    private static void ValidateFormula(Meter m, IReadOnlyDictionary<string, Meter> known)
    {
        if (m.Formula is null) return;
        void Walk(Meter v, HashSet<string> path)
        {
            if (!path.Add(v.Code)) throw new ValidationException("formula", $"meter '{m.Code}': formula refers back to '{v.Code}' (a cycle)");
            foreach (var (code, _) in LinearFormula.Parse(v.Formula!).Terms)
            {
                if (!known.TryGetValue(code, out var t)) throw new ValidationException("formula", $"meter '{v.Code}': formula refers to unknown meter '{code}'");
                if (t.Carrier != v.Carrier) throw new ValidationException("formula", $"meter '{v.Code}': '{code}' measures {Codes.Of(t.Carrier)}, not {Codes.Of(v.Carrier)}");
                if (t.IsInstantaneous) throw new ValidationException("formula", $"meter '{v.Code}': '{code}' is a {Codes.Of(t.Kind)} meter (a value at an instant); formulas sum quantities over time");
                if (t.Formula is not null) Walk(t, path);
            }
            path.Remove(v.Code);
        }
        Walk(m, new HashSet<string>(MeterCodes));
    }

    private static Meter ToMeter(ParkRegistry reg, MeterDraft d, MeterId id)
    {
        TextLimits.Check("code", d.Code, TextLimits.Code);
        TextLimits.Check("name", d.Name, TextLimits.Name);
        TextLimits.Check("unit", d.Unit, TextLimits.Name);
        TextLimits.Check("formula", d.Formula, TextLimits.Text);
        if (string.IsNullOrWhiteSpace(d.Code) || !MeterCodePattern.IsMatch(d.Code)) throw new ValidationException("code", $"meter code '{d.Code}' must be letters, digits, '_', '-' or '.' (starting with a letter or digit)");
        if (string.IsNullOrWhiteSpace(d.Name)) throw new ValidationException("name", $"meter '{d.Code}': name is required");
        if (!Codes.TryCarrier(d.Carrier, out var carrier)) throw new ValidationException("carrier", $"meter '{d.Code}': unknown carrier '{d.Carrier}'");
        if (!Codes.TryKind(d.Kind, out var kind)) throw new ValidationException("kind", $"meter '{d.Code}': unknown kind '{d.Kind}' (cumulative, interval, power or gauge)");
        if (!Codes.TryRole(string.IsNullOrEmpty(d.Role) ? "submeter" : d.Role, out var role)) throw new ValidationException("role", $"meter '{d.Code}': unknown role '{d.Role}'");
        SpaceId? space = null;
        if (d.SpaceCode is { Length: > 0 } sc)
            space = reg.SpacesByCode.TryGetValue(sc, out var s) ? s.Id : throw new ValidationException("space", $"meter '{d.Code}': space '{sc}' not found");
        if (d.SystemCode is { Length: > 0 } sys && !SystemTaxonomy.IsKnown(sys)) throw new ValidationException("system", $"meter '{d.Code}': unknown system '{sys}'");
        if (d.Multiplier <= 0 || double.IsNaN(d.Multiplier)) throw new ValidationException("multiplier", $"meter '{d.Code}': multiplier must be positive");
        if (d.IntervalMinutes <= 0 || d.IntervalMinutes > 1440) throw new ValidationException("interval_minutes", $"meter '{d.Code}': interval must be 1..1440 minutes");
        if (d.RegisterMax is { } rm && (rm <= 0 || kind != MeterKind.Cumulative)) throw new ValidationException("register_max", $"meter '{d.Code}': register_max applies to cumulative meters and must be positive");
        if (d.ResetsNormal && kind != MeterKind.Cumulative) throw new ValidationException("resets_normal", $"meter '{d.Code}': resets_normal applies to cumulative meters only");
        if (d.MaxRatePerHour is <= 0) throw new ValidationException("max_rate", $"meter '{d.Code}': max_rate must be positive");
        if (d.Formula is not null)
        {
            try { LinearFormula.Parse(d.Formula); }
            catch (FormatException e) { throw new ValidationException("formula", $"meter '{d.Code}': {e.Message}"); }
        }
        var m = new Meter
        {
            Id = id, ParkId = reg.Park.Id, Code = d.Code, Name = d.Name, Carrier = carrier, Kind = kind, Unit = d.Unit, RegisterMax = d.RegisterMax,
            Multiplier = d.Multiplier, Interval = TimeSpan.FromMinutes(d.IntervalMinutes), MaxRatePerHour = d.MaxRatePerHour, SpaceId = space,
            SystemCode = string.IsNullOrEmpty(d.SystemCode) ? null : d.SystemCode, Device = d.Device, Role = role, Formula = d.Formula,
            ResetsNormal = d.ResetsNormal,
        };
        try { _ = m.ScaleToCanonical; }
        catch (ArgumentException e) { throw new ValidationException("unit", $"meter '{d.Code}': {e.Message}"); }
        return m;
    }

    // ---------------------------------------------------------------- registry cache and aggregates

    /// <summary>The park's registry, cached in memory and reloaded after any registry change made through this store.</summary>
    public async Task<ParkRegistry> GetRegistryAsync(string parkCode, CancellationToken ct = default)
    {
        var t = _registries.GetOrAdd(parkCode, code => LoadRegistryAsync(code));
        try
        {
            var reg = await t;
            // Another process (the CLI beside a running server, a second server) may have changed the registry.
            await using var c = await OpenConnectionAsync(ct);
            var version = await c.ExecuteScalarAsync<long?>("SELECT registry_version FROM parks WHERE code = @parkCode", new { parkCode });
            if (version == reg.Version) return reg;
            _registries.TryRemove(new KeyValuePair<string, Task<ParkRegistry>>(parkCode, t));
            return await _registries.GetOrAdd(parkCode, code => LoadRegistryAsync(code));
        }
        catch
        {
            // A failed load (e.g. the park did not exist yet) is never cached.
            _registries.TryRemove(new KeyValuePair<string, Task<ParkRegistry>>(parkCode, t));
            throw;
        }
    }

    internal void Invalidate(string parkCode) => _registries.TryRemove(parkCode, out _);

    private static Task BumpRegistryVersionAsync(DbConnection c, DbTransaction tx, long parkId) =>
        c.ExecuteAsync("UPDATE parks SET registry_version = registry_version + 1 WHERE id = @parkId", new { parkId }, tx);

    private async Task<ParkRegistry> LoadRegistryAsync(string parkCode)
    {
        await using var c = await OpenConnectionAsync();
        // Version first: a change committed while loading makes the next lookup reload.
        var version = await c.ExecuteScalarAsync<long?>("SELECT registry_version FROM parks WHERE code = @parkCode", new { parkCode });
        var park = await GetParkAsync(parkCode);
        var spaces = (await c.QueryAsync<SpaceRow>("SELECT * FROM spaces WHERE park_id = @p", new { p = park.Id.Value })).Select(r => r.ToSpace()).ToList();
        var meters = (await c.QueryAsync<MeterRow>("SELECT * FROM meters WHERE park_id = @p", new { p = park.Id.Value })).Select(r => r.ToMeter()).ToList();
        var aggs = (await c.QueryAsync<(long Id, string Key)>("SELECT id, agg_key FROM aggregates WHERE park_id = @p", new { p = park.Id.Value }))
            .ToDictionary(a => a.Key, a => a.Id, StringComparer.Ordinal);
        var reg = new ParkRegistry
        {
            Version = version ?? 0,
            Park = park,
            SpacesById = spaces.ToDictionary(s => s.Id.Value),
            SpacesByCode = spaces.ToDictionary(s => s.Code, StringComparer.Ordinal),
            MetersByCode = meters.ToDictionary(m => m.Code, MeterCodes),
            MetersById = meters.ToDictionary(m => m.Id.Value),
            AggregateIds = aggs,
            SeriesOfMeter = new Dictionary<long, long[]>(),
        };
        var series = (Dictionary<long, long[]>)reg.SeriesOfMeter;
        foreach (var m in meters)
        {
            var ids = new List<long> { m.Id.Value };
            foreach (var spec in AggregateRules.For(m, reg.BuildingOf(m.SpaceId)?.Id))
                if (aggs.TryGetValue(spec.Key, out var aid)) ids.Add(-aid);
            series[m.Id.Value] = [.. ids];
        }
        return reg;
    }

    /// <summary>Creates missing aggregate series and refreshes their meter counts; with <paramref name="rebuild"/>,
    /// recomputes every aggregate's rollups from its meters' rollups (after meters were re-attached).</summary>
    public async Task EnsureAggregatesAsync(string parkCode, bool rebuild, CancellationToken ct = default)
    {
        var reg = await GetRegistryAsync(parkCode, ct);
        var members = new Dictionary<string, (AggregateSpec Spec, List<long> Meters)>(StringComparer.Ordinal);
        foreach (var m in reg.MetersById.Values)
            foreach (var spec in AggregateRules.For(m, reg.BuildingOf(m.SpaceId)?.Id))
            {
                if (!members.TryGetValue(spec.Key, out var e)) members[spec.Key] = e = (spec, []);
                e.Meters.Add(m.Id.Value);
            }
        await using var c = await OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await db.LockParkAsync(c, tx, reg.Park.Id.Value, ct);
        foreach (var (key, (spec, list)) in members)
        {
            if (reg.AggregateIds.ContainsKey(key))
            {
                await c.ExecuteAsync("UPDATE aggregates SET meter_count = @n WHERE park_id = @p AND agg_key = @key", new { n = list.Count, p = reg.Park.Id.Value, key }, tx);
            }
            else
            {
                await c.ExecuteAsync(
                    "INSERT INTO aggregates (park_id, agg_key, space_id, system_code, role, carrier, meter_count) VALUES (@p, @key, @s, @sys, @role, @carrier, @n)",
                    new { p = reg.Park.Id.Value, key, s = spec.SpaceId?.Value, sys = spec.SystemCode, role = spec.Role is { } r ? Codes.Of(r) : null, carrier = Codes.Of(spec.Carrier), n = list.Count }, tx);
            }
        }
        foreach (var stale in reg.AggregateIds.Keys.Where(k => !members.ContainsKey(k)))
            await c.ExecuteAsync("UPDATE aggregates SET meter_count = 0 WHERE park_id = @p AND agg_key = @key", new { p = reg.Park.Id.Value, key = stale }, tx);
        var newOnes = members.Keys.Any(k => !reg.AggregateIds.ContainsKey(k));
        if (rebuild || newOnes)
        {
            // Recompute aggregate rollups from meter rollups. Needed when meters were re-attached, and harmless for
            // new aggregates (their members may already have history, e.g. a building added to an existing park).
            var ids = (await c.QueryAsync<(long Id, string Key)>("SELECT id, agg_key FROM aggregates WHERE park_id = @p", new { p = reg.Park.Id.Value }, tx))
                .ToDictionary(a => a.Key, a => a.Id, StringComparer.Ordinal);
            foreach (var (key, id) in ids)
            {
                if (!rebuild && reg.AggregateIds.ContainsKey(key)) continue;
                foreach (var table in RollupTables)
                {
                    await c.ExecuteAsync($"DELETE FROM {table} WHERE series_id = @s", new { s = -id }, tx);
                    if (!members.TryGetValue(key, out var mem) || mem.Meters.Count == 0) continue;
                    if (table == "rollup_hours")
                    {
                        // Hourly blocks are summed here: their members' blocks, hour by hour, per local day.
                        var blocks = new SortedDictionary<int, List<HourSlot>>();
                        foreach (var (day, data) in await c.QueryAsync<(int Day, byte[] Data)>(
                                     $"SELECT day, data FROM rollup_hours WHERE series_id IN ({string.Join(",", mem.Meters)})", transaction: tx))
                        {
                            if (!blocks.TryGetValue(day, out var slots)) blocks[day] = slots = [];
                            foreach (var slot in HourBlock.Decode(data)) HourBlock.Add(slots, slot);
                        }
                        // With the day's totals: the daily rollup (the rollup_day view) is that row.
                        await c.ExecuteAsync("INSERT INTO rollup_hours (series_id, day, data, sum, n, nflag, nest) VALUES (@s, @day, @data, @sum, @n, @nflag, @nest)",
                            blocks.Select(b =>
                            {
                                var t = HourBlock.Total(b.Value);
                                return new { s = -id, day = b.Key, data = HourBlock.Encode(b.Value), sum = t.Sum, n = t.N, nflag = t.NFlag, nest = t.NEst };
                            }), tx);
                        continue;
                    }
                    await c.ExecuteAsync(
                        $"INSERT INTO {table} (series_id, bucket, sum, n, nflag, nest) SELECT @s, bucket, SUM(sum), SUM(n), SUM(nflag), SUM(nest) FROM {table} WHERE series_id IN ({string.Join(",", mem.Meters)}) GROUP BY bucket",
                        new { s = -id }, tx);
                }
            }
        }
        await BumpRegistryVersionAsync(c, tx, reg.Park.Id.Value);
        await tx.CommitAsync(ct);
        Invalidate(parkCode);
    }

    /// <summary>The rollup tables (the daily rollup is part of <c>rollup_hours</c>, read through the <c>rollup_day</c> view).</summary>
    internal static readonly string[] RollupTables = ["rollup_hours", "rollup_month"];

    private static string Describe(ParkDraft d) => $"name={d.Name} tz={d.TimeZone} climate={d.ClimateZone} region={d.GridRegion} province={d.Province} it_kw={d.DesignItKw} racks={d.RacksInUse}/{d.RacksTotal}";
}
