// Row classes below are filled by Dapper through reflection.
#pragma warning disable CS0649
using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using ZeroPark.Domain;

namespace ZeroPark.Application.Dashboards;

/// <summary>One card of a dashboard. <see cref="Type"/>: <c>kpi</c> (one figure: <see cref="Metric"/> of <see cref="Node"/> over
/// <see cref="Period"/>), <c>trend</c> (a daily series: a meter, a system under a node, or a KPI metric of a node), <c>ranking</c> (top
/// <see cref="N"/> devices under a node and system), <c>breakdown</c> (energy by subsystem, <see cref="Chart"/> pie or bar) and
/// <c>sankey</c> (the energy flow). <see cref="Node"/> is a space code (null: the park). Periods are relative to the park's latest
/// day with data: <c>day</c>, <c>7d</c>, <c>30d</c>, <c>mtd</c> (month to date), <c>ytd</c> (year to date).</summary>
public sealed record DashboardCard(string Id, string Type, string? Title = null, string? Node = null, string? Meter = null, string? System = null,
    string? Metric = null, string Period = "30d", int? N = null, string? Chart = null);

/// <summary>A user's dashboard of one park.</summary>
public sealed record Dashboard(long Id, string Park, string Name, string? Template, int Position, IReadOnlyList<DashboardCard> Cards,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>A shipped dashboard template.</summary>
public sealed record DashboardTemplate(string Code, string NameZh, string NameEn, IReadOnlyList<DashboardCard> Cards);

/// <summary>What cards may hold, and the shipped templates.</summary>
public static class Dashboards
{
    public const int MaxCards = 24;
    public const int MaxDashboards = 20;
    public const int MaxNameLength = 60;
    public const int MaxTitleLength = 80;

    public static readonly IReadOnlyList<string> Types = ["kpi", "trend", "ranking", "breakdown", "sankey"];
    public static readonly IReadOnlyList<string> Periods = ["day", "7d", "30d", "mtd", "ytd"];
    /// <summary>KPI tile metrics: energies in kWh (total, IT, cooling, grid input), water in m³, ratios, completeness %.</summary>
    public static readonly IReadOnlyList<string> KpiMetrics = ["pue", "wue", "clf", "plf", "energy", "it", "cooling", "grid", "water", "completeness"];
    /// <summary>Trend metrics of a node (without meter or system): daily energy, PUE or WUE.</summary>
    public static readonly IReadOnlyList<string> TrendMetrics = ["energy", "pue", "wue"];
    public static readonly IReadOnlyList<string> Charts = ["pie", "bar"];

    private static DashboardCard C(string id, string type, string? metric = null, string period = "mtd", string? system = null, int? n = null, string? chart = null) =>
        new(id, type, Metric: metric, Period: period, System: system, N: n, Chart: chart);

    public static readonly IReadOnlyList<DashboardTemplate> Templates =
    [
        new("energy_overview", "能耗总览", "Energy overview",
        [
            C("c1", "kpi", "energy"), C("c2", "kpi", "pue"), C("c3", "kpi", "it"), C("c4", "kpi", "completeness"),
            C("c5", "trend", "energy", "30d"), C("c6", "breakdown", period: "mtd", chart: "pie"), C("c7", "sankey", period: "mtd"),
            C("c8", "ranking", period: "mtd", n: 10),
        ]),
        new("cooling", "制冷监控", "Cooling monitor",
        [
            C("c1", "kpi", "cooling"), C("c2", "kpi", "clf"), C("c3", "kpi", "wue"), C("c4", "kpi", "pue", "day"),
            C("c5", "trend", period: "30d", system: "cooling"), C("c6", "ranking", period: "mtd", system: "cooling", n: 10),
            C("c7", "breakdown", period: "mtd", chart: "bar"),
        ]),
        new("pue", "PUE 跟踪", "PUE tracking",
        [
            C("c1", "kpi", "pue", "day"), C("c2", "kpi", "pue", "7d"), C("c3", "kpi", "pue", "mtd"), C("c4", "kpi", "pue", "ytd"),
            C("c5", "trend", "pue", "30d"), C("c6", "trend", "pue", "ytd"), C("c7", "breakdown", period: "mtd", chart: "bar"),
        ]),
    ];

    public static DashboardTemplate Template(string code) =>
        Templates.FirstOrDefault(t => t.Code == code) ?? throw new ValidationException("template", $"'template': '{code}' is not a template ({string.Join(", ", Templates.Select(t => t.Code))})");

    /// <summary>The cards checked against the park's registry, normalised (codes trimmed, fields that do not apply to the type dropped,
    /// missing ids given). Bad input names the card (1-based) and the field.</summary>
    public static List<DashboardCard> Validate(IReadOnlyList<DashboardCard?>? cards, ParkRegistry reg)
    {
        if (cards is null) throw new ValidationException("cards", "'cards' is required (a list, possibly empty)");
        if (cards.Count > MaxCards) throw new ValidationException("cards", $"a dashboard holds at most {MaxCards} cards ({cards.Count} given)");
        var result = new List<DashboardCard>(cards.Count);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < cards.Count; i++)
        {
            var at = $"cards[{i + 1}]";
            var c = cards[i] ?? throw new ValidationException(at, $"{at}: a card is an object, not null");
            string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
            var type = Blank(c.Type)?.ToLowerInvariant();
            if (type is null || !Types.Contains(type)) throw new ValidationException($"{at}.type", $"{at}.type: '{c.Type}' is not one of {string.Join(", ", Types)}");
            var period = Blank(c.Period) ?? "30d";
            if (!Periods.Contains(period)) throw new ValidationException($"{at}.period", $"{at}.period: '{period}' is not one of {string.Join(", ", Periods)}");
            var title = Blank(c.Title);
            if (title is { Length: > MaxTitleLength }) throw new ValidationException($"{at}.title", $"{at}.title: at most {MaxTitleLength} characters");
            var node = Blank(c.Node);
            if (node is not null && !reg.SpacesByCode.ContainsKey(node))
                throw new ValidationException($"{at}.node", $"{at}.node: '{node}' is not a space of park '{reg.Park.Code}'");
            var meter = Blank(c.Meter);
            var system = Blank(c.System);
            if (system is not null && !SystemTaxonomy.IsKnown(system))
                throw new ValidationException($"{at}.system", $"{at}.system: '{system}' is not a system code (e.g. cooling, cooling.chiller, it)");
            var metric = Blank(c.Metric)?.ToLowerInvariant();
            int? n = null;
            string? chart = null;
            switch (type)
            {
                case "kpi":
                    if (metric is null || !KpiMetrics.Contains(metric))
                        throw new ValidationException($"{at}.metric", $"{at}.metric: '{c.Metric}' is not one of {string.Join(", ", KpiMetrics)}");
                    meter = null; system = null;
                    break;
                case "trend":
                    if (period == "day") throw new ValidationException($"{at}.period", $"{at}.period: a trend needs several days (7d, 30d, mtd or ytd)");
                    if (meter is not null)
                    {
                        if (!reg.MetersByCode.ContainsKey(meter)) throw new ValidationException($"{at}.meter", $"{at}.meter: '{meter}' is not a meter of park '{reg.Park.Code}'");
                        if (node is not null || system is not null) throw new ValidationException($"{at}.meter", $"{at}.meter: a trend shows a meter, or a node and system, not both");
                        metric = null;
                    }
                    else if (system is not null) metric = null;
                    else if (metric is null || !TrendMetrics.Contains(metric))
                        throw new ValidationException($"{at}.metric", $"{at}.metric: '{c.Metric}' is not one of {string.Join(", ", TrendMetrics)} (or choose a meter or a system)");
                    break;
                case "ranking":
                    n = c.N ?? 10;
                    if (n is < 1 or > 50) throw new ValidationException($"{at}.n", $"{at}.n: {c.N} is not between 1 and 50");
                    meter = null; metric = null;
                    break;
                case "breakdown":
                    chart = Blank(c.Chart)?.ToLowerInvariant() ?? "pie";
                    if (!Charts.Contains(chart)) throw new ValidationException($"{at}.chart", $"{at}.chart: '{c.Chart}' is not pie or bar");
                    meter = null; system = null; metric = null;
                    break;
                default: // sankey
                    meter = null; system = null; metric = null;
                    break;
            }
            if (meter is not null && meter.Length > 128) throw new ValidationException($"{at}.meter", $"{at}.meter: too long");
            var id = Blank(c.Id);
            if (id is null || id.Length > 32 || !ids.Add(id))
            {
                var k = result.Count + 1;
                do id = "c" + k++; while (!ids.Add(id));
            }
            result.Add(new DashboardCard(id, type, title, node, meter, system, metric, period, n, chart));
        }
        return result;
    }

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

/// <summary>Dashboards: each user's own, per park (table dashboards of migration 006). Callers check that the user may see the park.</summary>
/// <summary>Users' dashboards per park (module <c>Dashboards</c>), over the shared store.</summary>
public sealed class DashboardStore(ZeroParkStore db)
{
    private sealed class DashboardRow
    {
        public long id; public string name = ""; public string? template; public long position; public string cards = "[]"; public long created_at; public long updated_at;
    }

    private const string DashboardColumns = "id, name, template, position, cards, created_at, updated_at";

    /// <summary>Dashboards read, by (user, park, id): dashboards are written only through this class's methods, which drop the user's
    /// entries, so a read after a write always sees the write.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(long User, string Park, long Id), Dashboard> _dashboards = new();

    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, long> _dashboardGeneration = new();

    private void ForgetDashboards(long userId)
    {
        _dashboardGeneration.AddOrUpdate(userId, 1, (_, g) => g + 1);
        foreach (var k in _dashboards.Keys)
            if (k.User == userId) _dashboards.TryRemove(k, out _);
    }

    private static Dashboard ToDashboard(DashboardRow r, ParkRegistry reg) =>
        new(r.id, reg.Park.Code, r.name, r.template, (int)r.position, JsonSerializer.Deserialize<List<DashboardCard>>(r.cards, Dashboards.Json) ?? [],
            reg.Clock.ToLocalOffset(r.created_at), reg.Clock.ToLocalOffset(r.updated_at));

    private static string DashboardName(string? name)
    {
        var n = (name ?? "").Trim();
        if (n.Length == 0) throw new ValidationException("name", "'name' is required");
        if (n.Length > Dashboards.MaxNameLength) throw new ValidationException("name", $"'name': at most {Dashboards.MaxNameLength} characters");
        return n;
    }

    /// <summary>The user's dashboards of the park, in their order.</summary>
    public async Task<IReadOnlyList<Dashboard>> ListDashboardsAsync(long userId, string parkCode, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<DashboardRow>($"SELECT {DashboardColumns} FROM dashboards WHERE user_id = @u AND park_id = @p ORDER BY position, id",
            new { u = userId, p = reg.Park.Id.Value });
        return rows.Select(r => ToDashboard(r, reg)).ToList();
    }

    /// <summary>One of the user's dashboards; another user's dashboard or another park's is not found.</summary>
    public async Task<Dashboard> GetDashboardAsync(long userId, string parkCode, long id, CancellationToken ct = default)
    {
        if (_dashboards.TryGetValue((userId, parkCode, id), out var known)) return known;
        var generation = _dashboardGeneration.GetValueOrDefault(userId);
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        var row = await c.QueryFirstOrDefaultAsync<DashboardRow>($"SELECT {DashboardColumns} FROM dashboards WHERE id = @id AND user_id = @u AND park_id = @p",
            new { id, u = userId, p = reg.Park.Id.Value });
        if (row is null) throw new NotFoundException($"dashboard {id} not found in park '{parkCode}'");
        var d = ToDashboard(row, reg);
        if (_dashboards.Count > 10_000) _dashboards.Clear();
        _dashboards[(userId, parkCode, id)] = d;
        // A write that ran while this read was under way may have forgotten the user's entries before this one was added.
        if (_dashboardGeneration.GetValueOrDefault(userId) != generation) _dashboards.TryRemove((userId, parkCode, id), out _);
        return d;
    }

    /// <summary>Creates a dashboard, blank or from a shipped template (its cards copied), after the user's others.</summary>
    public async Task<Dashboard> CreateDashboardAsync(long userId, string parkCode, string? name, string? template = null, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        var t = string.IsNullOrWhiteSpace(template) ? null : Dashboards.Template(template.Trim());
        var n = string.IsNullOrWhiteSpace(name) && t is not null ? (CurrentCultureIsChinese ? t.NameZh : t.NameEn) : DashboardName(name);
        var cards = Dashboards.Validate(t?.Cards ?? [], reg);
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var p = reg.Park.Id.Value;
        var count = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM dashboards WHERE user_id = @u AND park_id = @p", new { u = userId, p }, tx);
        if (count >= Dashboards.MaxDashboards) throw new ValidationException("name", $"at most {Dashboards.MaxDashboards} dashboards per park; delete one first");
        var pos = await c.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(position), 0) + 1 FROM dashboards WHERE user_id = @u AND park_id = @p", new { u = userId, p }, tx);
        var at = db.Clock.GetUtcNow().ToUnixTimeSeconds();
        var id = await c.ExecuteScalarAsync<long>(
            "INSERT INTO dashboards (user_id, park_id, name, template, position, cards, created_at, updated_at) VALUES (@u, @p, @n, @t, @pos, @cards, @at, @at) RETURNING id",
            new { u = userId, p, n, t = t?.Code, pos, cards = JsonSerializer.Serialize(cards, Dashboards.Json), at }, tx);
        await tx.CommitAsync(ct);
        ForgetDashboards(userId);
        return await GetDashboardAsync(userId, parkCode, id, ct);
    }

    /// <summary>Replaces a dashboard's name (when given) and its cards (in the order given: adding, removing and reordering cards are
    /// all one save of the whole list).</summary>
    public async Task<Dashboard> SaveDashboardAsync(long userId, string parkCode, long id, string? name, IReadOnlyList<DashboardCard?>? cards, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        var valid = Dashboards.Validate(cards, reg);
        var old = await GetDashboardAsync(userId, parkCode, id, ct);
        var n = name is null ? old.Name : DashboardName(name);
        await using var c = await db.OpenConnectionAsync(ct);
        await c.ExecuteAsync("UPDATE dashboards SET name = @n, cards = @cards, updated_at = @at WHERE id = @id AND user_id = @u AND park_id = @p",
            new { n, cards = JsonSerializer.Serialize(valid, Dashboards.Json), at = db.Clock.GetUtcNow().ToUnixTimeSeconds(), id, u = userId, p = reg.Park.Id.Value });
        ForgetDashboards(userId);
        return await GetDashboardAsync(userId, parkCode, id, ct);
    }

    public async Task DeleteDashboardAsync(long userId, string parkCode, long id, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        var n = await c.ExecuteAsync("DELETE FROM dashboards WHERE id = @id AND user_id = @u AND park_id = @p", new { id, u = userId, p = reg.Park.Id.Value });
        ForgetDashboards(userId);
        if (n == 0) throw new NotFoundException($"dashboard {id} not found in park '{parkCode}'");
    }

    private static bool CurrentCultureIsChinese => System.Globalization.CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal);
}
