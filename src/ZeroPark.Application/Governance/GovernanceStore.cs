// Row classes below are filled by Dapper through reflection.
#pragma warning disable CS0649
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using ZeroPark.Application.SupplyChain;
using ZeroPark.Carbon;
using ZeroPark.Governance;

namespace ZeroPark.Application.Governance;

/// <summary>One line of a low-carbon activity's own activity data, in the vocabulary of the carbon module's activity records
/// (source, material, amount, unit; e.g. business_travel · rail_travel · 1,200 pkm; purchased_electricity · electricity · 300 kWh).</summary>
public sealed record EventLine(string Source, string Material, double Amount, string Unit, string? Supplier = null);

/// <summary>A low-carbon activity (meeting, tree planting, training, public-benefit event) as entered.</summary>
public sealed record EventDraft(DateOnly Date, string Kind, string Title, int Participants, IReadOnlyList<EventLine> Lines, string Neutralisation,
    string InstrumentRefs, double NeutralisedT, string SocialBenefit);

/// <summary>An activity with its own emissions computed from its activity data (the carbon module's factors and arithmetic),
/// what was neutralised, and what is left. <see cref="LinkedClaims"/>: the retired claims of the neutrality ledger its
/// neutralisation names (<c>claim:12</c> in the instrument references), with their instrument.</summary>
public sealed record GovEvent(long Id, EventDraft Draft, double EmissionsT, double NetT, IReadOnlyList<string> Trace, IReadOnlyList<string> Unresolved, string CreatedBy)
{
    public IReadOnlyList<string> LinkedClaims { get; init; } = [];
}

public sealed record OrgUnit(string Code, string Name, string? Parent);

/// <summary>A person of the governance organisation: unit, role, responsibilities and the carbon KPIs they are accountable for;
/// <see cref="Email"/> (optional): where the alerts of those KPIs are sent (through the park's e-mail channel).</summary>
public sealed record Person(string Code, string Name, string? Unit, string Role, string Responsibilities, IReadOnlyList<string> Kpis, bool HasToken, string? Email = null);

/// <summary>A person's open and acknowledged alerts: those of the rules that watch a KPI the person is accountable for
/// (<see cref="ZeroPark.Governance.AlertKpis"/>).</summary>
public sealed record PersonAlerts(Person Person, int Open, int Acknowledged, IReadOnlyList<ZeroPark.Application.Alerts.Alert> Alerts);

/// <summary>One reported action of a personal carbon account.</summary>
public sealed record ActionReport(long Id, string Person, DateOnly Date, string Kind, double Quantity, double KgAvoided, int Points);

/// <summary>A person's account: totals, reward level, rank and recent reports.</summary>
public sealed record PersonalAccount(Person Person, double KgAvoided, int Points, string? Reward, int? Rank, int? NextRewardAt, IReadOnlyList<ActionReport> Recent);

/// <summary>
/// The governance module's store (<c>store.Governance</c>): low-carbon activities, the organisation (units, people,
/// responsibilities, KPIs) and personal carbon accounts (one report of a kind per person and day, enforced by the key).
/// </summary>
public sealed class GovernanceStore(ZeroParkStore db)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static readonly IReadOnlyList<string> EventKinds = ["meeting", "tree_planting", "training", "public_benefit", "other"];

    /// <summary>The carbon-management KPIs a person can be accountable for (the codes of the energy, carbon and neutrality modules).</summary>
    public static readonly IReadOnlyList<string> KpiCodes =
        ["pue", "wue", "cue", "ref", "scope1_t", "scope2_t", "scope3_t", "neutrality_rate", "emission_budget", "energy_plan", "supplier_grades", "personal_accounts", "data_quality"];

    /// <summary>The neutrality module's targets behind each KPI a person is accountable for (target kinds neutrality_rate,
    /// emission_budget and cue): person code → "cue: 0.35 per year from 2025-01" texts.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> AccountableTargetsAsync(string park, CancellationToken ct = default)
    {
        var targets = await db.Neutrality.TargetsAsync(park, ct);
        var people = await PeopleAsync(park, ct);
        return people.ToDictionary(p => p.Code, p => (IReadOnlyList<string>)p.Kpis
            .SelectMany(k => targets.Where(t => t.Kind == k).Select(t => $"{t.Kind}: {t.Value.ToString(Inv)} per {t.Every} from {t.From}{(t.To is { } to ? " to " + to : "")} (target #{t.Id})"))
            .ToList());
    }

    public const string SettingRewards = "reward_thresholds";

    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", Inv);
    private static DateOnly P(string s) => DateOnly.ParseExact(s, "yyyy-MM-dd", Inv);

    // ---------------------------------------------------------------- low-carbon activities

    private sealed class EventRow
    {
        public long Id; public string Date = ""; public string Kind = ""; public string Title = ""; public long Participants; public string Activity = "";
        public string Neutralisation = ""; public string Refs = ""; public double Neutralised; public string Benefit = ""; public string CreatedBy = "";
    }

    public async Task<long> AddEventAsync(string park, EventDraft d, string user, CancellationToken ct = default)
    {
        if (!EventKinds.Contains(d.Kind)) throw new ValidationException("kind", $"kind: '{d.Kind}' is not one of {string.Join(", ", EventKinds)}");
        if (string.IsNullOrWhiteSpace(d.Title)) throw new ValidationException("title", "title is empty");
        TextLimits.Check("title", d.Title, TextLimits.Name);
        TextLimits.Check("neutralisation", d.Neutralisation, TextLimits.Text);
        TextLimits.Check("social_benefit", d.SocialBenefit, TextLimits.Text);
        TextLimits.Check("instruments", d.InstrumentRefs, TextLimits.Text);
        if (d.Participants < 0) throw new ValidationException("participants", "participants must not be negative");
        if (!(d.NeutralisedT >= 0) || !double.IsFinite(d.NeutralisedT)) throw new ValidationException("neutralised_t", "neutralised tCO2e must be a non-negative number");
        for (var i = 0; i < d.Lines.Count; i++)
        {
            var l = d.Lines[i];
            if (!Sources.TryGet(l.Source, out _)) throw new ValidationException("activity", $"activity line {i + 1}: unknown source '{l.Source}'");
            if (!ActivityUnits.IsKnown(l.Unit)) throw new ValidationException("activity", $"activity line {i + 1}: unknown unit '{l.Unit}'");
            if (!(l.Amount >= 0) || !double.IsFinite(l.Amount)) throw new ValidationException("activity", $"activity line {i + 1}: amount must be a non-negative number");
            if (string.IsNullOrWhiteSpace(l.Material)) throw new ValidationException("activity", $"activity line {i + 1}: material is empty");
        }
        var claimed = await LedgerClaimsAsync(park, d.InstrumentRefs, ct);
        var neutralised = d.NeutralisedT;
        if (claimed.Count > 0)
        {
            // The ledger's retired claims are what was neutralised: a figure of one's own may not exceed them.
            var sum = claimed.Sum(x => x.Claim.Quantity);
            if (neutralised == 0) neutralised = sum;
            else if (neutralised > sum + 1e-9)
                throw new ValidationException("neutralised_t", $"neutralised_t: {neutralised.ToString(Inv)} t is more than the {sum.ToString(Inv)} tCO2e the named ledger claims retired");
            var taken = (await EventsAsync(park, ct: ct)).SelectMany(e => ClaimIds(e.Draft.InstrumentRefs).Select(id => (id, e))).ToList();
            foreach (var (instrument, claim) in claimed)
                if (taken.FirstOrDefault(t => t.id == claim.Id) is { e: not null } other)
                    throw new ConflictException($"claim:{claim.Id} ({instrument.Label}) already neutralises low-carbon activity #{other.e.Id} ({other.e.Draft.Title}); a claim counts once");
        }
        var reg = await db.Registry.GetRegistryAsync(park, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var id = await c.ExecuteScalarAsync<long>(
            """
            INSERT INTO gov_events (park_id, date, kind, title, participants, activity, neutralisation, instrument_refs, neutralised_t, social_benefit, created_at, created_by)
            VALUES (@p, @d, @k, @t, @n, @a, @ne, @r, @nt, @sb, @at, @u) RETURNING id
            """,
            new
            {
                p = reg.Park.Id.Value, d = D(d.Date), k = d.Kind, t = d.Title.Trim(), n = d.Participants, a = JsonSerializer.Serialize(d.Lines, Json), ne = d.Neutralisation,
                r = d.InstrumentRefs, nt = neutralised, sb = d.SocialBenefit, at = db.Clock.GetUtcNow().ToUnixTimeSeconds(), u = user,
            }, tx);
        await db.AuditAsync(c, tx, reg.Park.Id.Value, user, "create", "low_carbon_activity", $"#{id} {d.Title}", null, null, $"{D(d.Date)} {d.Kind}");
        await tx.CommitAsync(ct);
        return id;
    }

    private static readonly System.Text.RegularExpressions.Regex ClaimRef = new(@"claim[:# ]\s*(\d+)", System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>The ledger claim ids an instrument reference text names (<c>claim:12</c>, <c>claim #12</c>).</summary>
    public static IReadOnlyList<long> ClaimIds(string refs) =>
        ClaimRef.Matches(refs ?? "").Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Distinct().ToList();

    /// <summary>The neutrality ledger's claims the references name: each must be a claim of this park's ledger, retired, on an
    /// instrument counted in tCO2e (CCER/CER, sinks, CCUS, vouchers, allowances; MWh instruments are scope 2's, not an activity's).</summary>
    private async Task<IReadOnlyList<(ZeroPark.Application.Neutrality.LedgerInstrument Instrument, ZeroPark.Application.Neutrality.LedgerClaim Claim)>> LedgerClaimsAsync(
        string park, string refs, CancellationToken ct)
    {
        var ids = ClaimIds(refs);
        if (ids.Count == 0) return [];
        var ledger = await db.Neutrality.InstrumentsAsync(park, ct: ct);
        var list = new List<(ZeroPark.Application.Neutrality.LedgerInstrument, ZeroPark.Application.Neutrality.LedgerClaim)>();
        foreach (var id in ids)
        {
            var hit = ledger.SelectMany(i => i.Claims.Select(c => (i, c))).FirstOrDefault(x => x.c.Id == id);
            if (hit.i is null) throw new ValidationException("instruments", $"instruments: claim:{id} is not a claim of park '{park}''s neutrality ledger");
            if (hit.c.State != "retired") throw new ValidationException("instruments", $"instruments: claim:{id} ({hit.i.Label}) is {hit.c.State}, not retired; retire it first");
            if (hit.i.Unit != "tCO2e") throw new ValidationException("instruments", $"instruments: claim:{id} ({hit.i.Label}) is in {hit.i.Unit}; an activity is neutralised by tCO2e instruments");
            list.Add((hit.i, hit.c));
        }
        return list;
    }

    /// <summary>The rolling list: activities newest first (optionally in a date range), each with its emissions computed now from its
    /// activity data with the park's factors (the carbon module's calculator: factor, source and arithmetic in the trace).</summary>
    public async Task<IReadOnlyList<GovEvent>> EventsAsync(string park, DateOnly? from = null, DateOnly? to = null, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(park, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<EventRow>(
            """
            SELECT id AS Id, date AS Date, kind AS Kind, title AS Title, participants AS Participants, activity AS Activity, neutralisation AS Neutralisation,
              instrument_refs AS Refs, neutralised_t AS Neutralised, social_benefit AS Benefit, created_by AS CreatedBy
            FROM gov_events WHERE park_id = @p AND date >= @f AND date <= @t ORDER BY date DESC, id DESC
            """, new { p = reg.Park.Id.Value, f = D(from ?? DateOnly.MinValue), t = D(to ?? DateOnly.MaxValue) });
        var library = await db.Carbon.LibraryAsync(park, ct);
        var place = new Place(reg.Park.Province, reg.Park.GridRegion);
        var rowList = rows.ToList();
        var claims = rowList.Any(r => ClaimIds(r.Refs).Count > 0)
            ? (await db.Neutrality.InstrumentsAsync(park, ct: ct)).SelectMany(i => i.Claims.Select(c => (i, c))).ToDictionary(x => x.c.Id)
            : [];
        return rowList.Select(r =>
        {
            var lines = JsonSerializer.Deserialize<List<EventLine>>(r.Activity, Json) ?? [];
            var draft = new EventDraft(P(r.Date), r.Kind, r.Title, (int)r.Participants, lines, r.Neutralisation, r.Refs, r.Neutralised, r.Benefit);
            var (t, trace, unresolved) = Emissions(draft, library, place, r.Id);
            var linked = ClaimIds(r.Refs).Select(id => claims.TryGetValue(id, out var x)
                ? $"claim:{id} {x.i.Label} {x.c.Quantity.ToString(Inv)} {x.i.Unit} {x.c.State} {x.c.From:yyyy-MM-dd}…{x.c.To:yyyy-MM-dd}"
                : $"claim:{id} (no longer in the ledger)").ToList();
            return new GovEvent(r.Id, draft, t, Math.Max(0, t - r.Neutralised), trace, unresolved, r.CreatedBy) { LinkedClaims = linked };
        }).ToList();
    }

    /// <summary>An activity's emissions: its lines as activity records on its date through <see cref="InventoryCalculator"/>
    /// (GHG Protocol, AR6; scope 2 location-based), summed over scopes 1, 2 (location) and 3.</summary>
    public static (double T, IReadOnlyList<string> Trace, IReadOnlyList<string> Unresolved) Emissions(EventDraft d, FactorLibrary library, Place place, long id = 0)
    {
        if (d.Lines.Count == 0) return (0, ["no activity data: 0 tCO2e"], []);
        var acts = d.Lines.Select((l, i) => new Activity
        {
            Id = i + 1, Date = d.Date, Source = l.Source, Material = l.Material, Amount = l.Amount, Unit = l.Unit, Supplier = l.Supplier,
            Scope3Category = Sources.TryGet(l.Source, out var def) ? def.Scope3Category : null, Origin = $"low-carbon activity #{id} line {i + 1}",
        }).ToList();
        var r = InventoryCalculator.Compute(new InventoryRequest
        {
            Boundary = "activity", From = d.Date, To = d.Date, Method = AccountingMethod.Ghgp, Gwp = GwpSet.AR6, Place = place, Activities = acts, Library = library,
        });
        var trace = r.Lines.Where(l => l.Basis != Scope2Basis.Market && l.Scope != GhgScope.Memo).SelectMany(l => l.Trace.Prepend($"{l.Source} · {l.Material}:")).ToList();
        return (r.Totals.TotalLocationT, trace, r.Unresolved.Select(u => $"{u.Source} {u.Material}: {u.Reason}").ToList());
    }

    // ---------------------------------------------------------------- organisation

    public async Task SetUnitAsync(string park, OrgUnit u, string user, CancellationToken ct = default)
    {
        Code("code", u.Code);
        if (string.IsNullOrWhiteSpace(u.Name)) throw new ValidationException("name", "name is empty");
        TextLimits.Check("name", u.Name, TextLimits.Name);
        var reg = await db.Registry.GetRegistryAsync(park, ct);
        var units = await UnitsAsync(park, ct);
        if (u.Parent is { } parent)
        {
            if (units.All(x => x.Code != parent)) throw new ValidationException("parent", $"parent unit '{parent}' not found");
            // No cycles: walking up from the parent must not reach the unit.
            var seen = new HashSet<string>();
            for (string? p = parent; p is not null && seen.Add(p); p = units.FirstOrDefault(x => x.Code == p)?.Parent)
                if (p == u.Code) throw new ValidationException("parent", $"unit '{u.Code}' cannot be under itself");
        }
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var n = await c.ExecuteAsync("UPDATE gov_units SET name = @n, parent = @pa WHERE park_id = @p AND code = @c", new { n = u.Name.Trim(), pa = u.Parent, p = reg.Park.Id.Value, c = u.Code }, tx);
        if (n == 0) await c.ExecuteAsync("INSERT INTO gov_units (park_id, code, name, parent) VALUES (@p, @c, @n, @pa)", new { p = reg.Park.Id.Value, c = u.Code, n = u.Name.Trim(), pa = u.Parent }, tx);
        await db.AuditAsync(c, tx, reg.Park.Id.Value, user, n == 0 ? "create" : "update", "org_unit", u.Code, null, null, $"{u.Name} ⊂ {u.Parent ?? "—"}");
        await tx.CommitAsync(ct);
    }

    public async Task<IReadOnlyList<OrgUnit>> UnitsAsync(string park, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(park, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        return (await c.QueryAsync<(string Code, string Name, string? Parent)>("SELECT code, name, parent FROM gov_units WHERE park_id = @p ORDER BY code", new { p = reg.Park.Id.Value }))
            .Select(x => new OrgUnit(x.Code, x.Name, x.Parent)).ToList();
    }

    private sealed class PersonRow { public string Code = ""; public string Name = ""; public string? Unit; public string Role = ""; public string Resp = ""; public string Kpis = ""; public string? Token; public string? Email; }

    public async Task SetPersonAsync(string park, Person p, string user, CancellationToken ct = default)
    {
        Code("code", p.Code);
        if (string.IsNullOrWhiteSpace(p.Name)) throw new ValidationException("name", "name is empty");
        TextLimits.Check("name", p.Name, TextLimits.Name);
        TextLimits.Check("role", p.Role, TextLimits.Name);
        TextLimits.Check("responsibilities", p.Responsibilities, TextLimits.Text);
        foreach (var k in p.Kpis.Where(k => !KpiCodes.Contains(k)))
            throw new ValidationException("kpis", $"kpis: '{k}' is not a KPI code ({string.Join(", ", KpiCodes)})");
        if (p.Unit is { } u && (await UnitsAsync(park, ct)).All(x => x.Code != u)) throw new ValidationException("unit", $"unit '{u}' not found (add it first)");
        var email = string.IsNullOrWhiteSpace(p.Email) ? null : p.Email.Trim();
        if (email is not null && (email.Length > TextLimits.Name || !email.Contains('@') || !MimeKit.MailboxAddress.TryParse(email, out _)))
            throw new ValidationException("email", $"'{email}' is not an e-mail address");
        var reg = await db.Registry.GetRegistryAsync(park, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var args = new { p = reg.Park.Id.Value, c = p.Code, n = p.Name.Trim(), u = p.Unit, r = p.Role, re = p.Responsibilities, k = string.Join(",", p.Kpis), e = email };
        var n = await c.ExecuteAsync("UPDATE gov_people SET name = @n, unit = @u, role = @r, responsibilities = @re, kpis = @k, email = @e WHERE park_id = @p AND code = @c", args, tx);
        if (n == 0) await c.ExecuteAsync("INSERT INTO gov_people (park_id, code, name, unit, role, responsibilities, kpis, email) VALUES (@p, @c, @n, @u, @r, @re, @k, @e)", args, tx);
        await db.AuditAsync(c, tx, reg.Park.Id.Value, user, n == 0 ? "create" : "update", "person", p.Code, null, null, $"{p.Name} {p.Role} kpis={args.k}{(email is null ? "" : " email=" + email)}");
        await tx.CommitAsync(ct);
    }

    public async Task<IReadOnlyList<Person>> PeopleAsync(string park, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(park, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        return (await c.QueryAsync<PersonRow>("SELECT code AS Code, name AS Name, unit AS Unit, role AS Role, responsibilities AS Resp, kpis AS Kpis, token_hash AS Token, email AS Email FROM gov_people WHERE park_id = @p ORDER BY code",
            new { p = reg.Park.Id.Value })).Select(ToPerson).ToList();
    }

    private static Person ToPerson(PersonRow r) => new(r.Code, r.Name, r.Unit, r.Role, r.Resp, r.Kpis.Split(',', StringSplitOptions.RemoveEmptyEntries), r.Token is not null, r.Email);

    /// <summary>The person's open and acknowledged alerts (newest first) with their counts: the alerts of the rules that watch a KPI
    /// the person is accountable for (the table <see cref="ZeroPark.Governance.AlertKpis"/>).</summary>
    public async Task<PersonAlerts> PersonAlertsAsync(string park, string person, CancellationToken ct = default)
    {
        var p = (await PeopleAsync(park, ct)).FirstOrDefault(x => x.Code == person) ?? throw new NotFoundException($"person '{person}' not found in park '{park}'");
        var open = await db.Alerts.AlertsAsync(park, new ZeroPark.Application.Alerts.AlertFilter("open") { Person = person }, ct);
        var ack = await db.Alerts.AlertsAsync(park, new ZeroPark.Application.Alerts.AlertFilter("acknowledged") { Person = person }, ct);
        return new PersonAlerts(p, open.Count, ack.Count, open.Concat(ack).OrderByDescending(a => a.RaisedAt).ThenByDescending(a => a.Id).ToList());
    }

    /// <summary>Open and acknowledged alerts per person code (every person listed, 0 included): the org chart's counts.</summary>
    public async Task<IReadOnlyDictionary<string, (int Open, int Acknowledged)>> AlertCountsAsync(string park, CancellationToken ct = default)
    {
        var people = await PeopleAsync(park, ct);
        var open = await db.Alerts.AlertsAsync(park, new ZeroPark.Application.Alerts.AlertFilter("open", Limit: 5000), ct);
        var ack = await db.Alerts.AlertsAsync(park, new ZeroPark.Application.Alerts.AlertFilter("acknowledged", Limit: 5000), ct);
        return people.ToDictionary(p => p.Code, p => (open.Count(a => a.Accountable.Any(x => x.Code == p.Code)), ack.Count(a => a.Accountable.Any(x => x.Code == p.Code))));
    }

    private static void Code(string field, string code)
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(code ?? "", "^[A-Za-z0-9_.-]{1,40}$"))
            throw new ValidationException(field, $"{field}: '{code}' must be 1–40 letters, digits, _ . or -");
    }

    // ---------------------------------------------------------------- personal carbon accounts

    /// <summary>Issues the personal link token of a person (the previous one stops working); only its SHA-256 is stored.</summary>
    public async Task<string> IssueTokenAsync(string park, string person, string user, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(park, ct);
        if ((await PeopleAsync(park, ct)).All(p => p.Code != person)) throw new NotFoundException($"person '{person}' not found in park '{park}'");
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await c.ExecuteAsync("UPDATE gov_people SET token_hash = @h WHERE park_id = @p AND code = @c", new { h = SupplyChainStore.HashToken(token), p = reg.Park.Id.Value, c = person }, tx);
        await db.AuditAsync(c, tx, reg.Park.Id.Value, user, "create", "person_token", person, null, null, null);
        await tx.CommitAsync(ct);
        return token;
    }

    /// <summary>The park and person a personal link token belongs to, or null.</summary>
    public async Task<(string Park, string Person)?> PersonByTokenAsync(string token, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 100) return null;
        await using var c = await db.OpenConnectionAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<(string Park, string Code)?>(
            "SELECT p.code, g.code FROM gov_people g JOIN parks p ON p.id = g.park_id WHERE g.token_hash = @h", new { h = SupplyChainStore.HashToken(token.Trim()) });
        return row is { } r ? (r.Park, r.Code) : null;
    }

    public async Task<RewardThresholds> RewardsAsync(string park, CancellationToken ct = default)
    {
        var s = await db.SupplyChain.SettingAsync(park, SettingRewards, ct);
        return s is null ? new RewardThresholds() : JsonSerializer.Deserialize<RewardThresholds>(s, Json) ?? new RewardThresholds();
    }

    public async Task SetRewardsAsync(string park, RewardThresholds r, string user, CancellationToken ct = default)
    {
        if (!(r.Bronze > 0 && r.Bronze <= r.Silver && r.Silver <= r.Gold)) throw new ValidationException("rewards", "reward thresholds must satisfy 0 < bronze ≤ silver ≤ gold");
        await db.SupplyChain.SetSettingAsync(park, SettingRewards, JsonSerializer.Serialize(r, Json), user, ct);
    }

    /// <summary>Records one report: the date is the park's today or one of the 6 days before (not the future); one report of a kind
    /// per person and day (a second one is refused: <see cref="ConflictException"/>); the quantity is capped per kind.</summary>
    public async Task<ActionReport> ReportAsync(string park, string person, DateOnly? date, string kind, double quantity, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(park, ct);
        var today = reg.Clock.LocalDate(db.Clock.GetUtcNow().ToUnixTimeSeconds());
        var day = date ?? today;
        if (day > today) throw new ValidationException("date", $"date: {D(day)} is in the future");
        if (day < today.AddDays(-6)) throw new ValidationException("date", $"date: {D(day)} is more than 6 days ago; report within a week");
        ActionKind k;
        double kg;
        int points;
        try
        {
            k = PersonalActions.Get(kind);
            (kg, points) = PersonalActions.Score(k, quantity);
        }
        catch (ArgumentException e)
        {
            throw new ValidationException(e.Message.StartsWith("kind", StringComparison.Ordinal) ? "kind" : "quantity", e.Message);
        }
        if ((await PeopleAsync(park, ct)).All(p => p.Code != person)) throw new NotFoundException($"person '{person}' not found in park '{park}'");
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await db.LockParkAsync(c, tx, reg.Park.Id.Value, ct);
        var exists = await c.ExecuteScalarAsync<long?>("SELECT id FROM gov_actions WHERE park_id = @p AND person = @pe AND date = @d AND kind = @k",
            new { p = reg.Park.Id.Value, pe = person, d = D(day), k = k.Code }, tx);
        if (exists is not null) throw new ConflictException($"{person} already reported {k.Code} for {D(day)}: one report of a kind per day");
        var id = await c.ExecuteScalarAsync<long>(
            "INSERT INTO gov_actions (park_id, person, date, kind, quantity, kg_avoided, points, created_at) VALUES (@p, @pe, @d, @k, @q, @kg, @pt, @at) RETURNING id",
            new { p = reg.Park.Id.Value, pe = person, d = D(day), k = k.Code, q = quantity, kg, pt = points, at = db.Clock.GetUtcNow().ToUnixTimeSeconds() }, tx);
        await tx.CommitAsync(ct);
        return new ActionReport(id, person, day, k.Code, quantity, kg, points);
    }

    private sealed class TotalRow { public string Person = ""; public double Kg; public long Points; }

    /// <summary>The leaderboard of the park over a date range (default: all time), every person listed (0 points included).</summary>
    public async Task<IReadOnlyList<AccountStanding>> LeaderboardAsync(string park, DateOnly? from = null, DateOnly? to = null, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(park, ct);
        var people = await PeopleAsync(park, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        var totals = (await c.QueryAsync<TotalRow>(
            "SELECT person AS Person, SUM(kg_avoided) AS Kg, SUM(points) AS Points FROM gov_actions WHERE park_id = @p AND date >= @f AND date <= @t GROUP BY person",
            new { p = reg.Park.Id.Value, f = D(from ?? DateOnly.MinValue), t = D(to ?? DateOnly.MaxValue) })).ToDictionary(x => x.Person);
        var rewards = await RewardsAsync(park, ct);
        return PersonalActions.Leaderboard(people.Select(p => (p.Code, p.Name, totals.TryGetValue(p.Code, out var t) ? t.Kg : 0, totals.TryGetValue(p.Code, out var u) ? (int)u.Points : 0)), rewards);
    }

    public async Task<PersonalAccount> AccountAsync(string park, string person, CancellationToken ct = default)
    {
        var p = (await PeopleAsync(park, ct)).FirstOrDefault(x => x.Code == person) ?? throw new NotFoundException($"person '{person}' not found in park '{park}'");
        var board = await LeaderboardAsync(park, ct: ct);
        var me = board.First(b => b.Person == person);
        var rewards = await RewardsAsync(park, ct);
        var reg = await db.Registry.GetRegistryAsync(park, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        var recent = (await c.QueryAsync<(long Id, string Date, string Kind, double Q, double Kg, long Pt)>(
            "SELECT id, date, kind, quantity, kg_avoided, points FROM gov_actions WHERE park_id = @p AND person = @pe ORDER BY date DESC, id DESC LIMIT 30",
            new { p = reg.Park.Id.Value, pe = person })).Select(x => new ActionReport(x.Id, person, P(x.Date), x.Kind, x.Q, x.Kg, (int)x.Pt)).ToList();
        int? next = me.Points < rewards.Bronze ? rewards.Bronze : me.Points < rewards.Silver ? rewards.Silver : me.Points < rewards.Gold ? rewards.Gold : null;
        return new PersonalAccount(p, me.KgAvoided, me.Points, me.Reward, me.Points > 0 ? me.Rank : null, next, recent);
    }
}
