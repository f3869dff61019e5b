using System.Data.Common;
using System.Reflection;
using Dapper;
using ZeroPark.Domain;
using ZeroPark.Metering;
using ZeroPark.Application.Users;
using ZeroPark.Application.Carbon;
using ZeroPark.Application.EnergyManagement;
using ZeroPark.Application.Dashboards;
using ZeroPark.Application.Readings;
using ZeroPark.Application.Registry;

namespace ZeroPark.Application;

public enum StoreKind
{
    Sqlite,
    Postgres,
}

/// <summary>
/// The ZeroPark store, the one database object of the application layer: connections, dialect (with its bulk write paths),
/// clock, migrations, the park write lock and the audit log's write side. Every module's store (<see cref="Registry"/>,
/// <see cref="Readings"/>, <see cref="Queries"/>, <see cref="Users"/>, <see cref="Carbon"/>, …) works over it. One instance per process and
/// database; thread-safe. SQLite (a file path) is the embedded default; a PostgreSQL connection string
/// (<c>Host=…;Database=…</c> or <c>postgres://…</c>) selects PostgreSQL. Both run the same SQL except for the
/// bulk paths (binary COPY on PostgreSQL, multi-row prepared inserts in one transaction on SQLite) and locking.
/// </summary>
public abstract partial class ZeroParkStore : IAsyncDisposable
{
    protected ZeroParkStore(TimeProvider clock)
    {
        Clock = clock;
        Registry = new RegistryStore(this);
        Readings = new ReadingStore(this);
        Users = new UserStore(this);
        Dashboards = new DashboardStore(this);
        Carbon = new CarbonStore(this);
        BalanceGroups = new BalanceGroupStore(this);
        Plans = new PlanStore(this);
        Tariffs = new TariffStore(this);
        ApiKeys = new ApiKeyStore(this);
        Audit = new AuditStore(this);
        Queries = new ReadingQueries(this);
        Collection = new Collection.CollectionStore(this);
        Neutrality = new ZeroPark.Application.Neutrality.NeutralityStore(this);
        Evaluations = new Evaluations.EvaluationStore(this);
        Reports = new Reports.ReportStore(this);
        SupplyChain = new global::ZeroPark.Application.SupplyChain.SupplyChainStore(this);
        Carbon.AddParkFactorSource(SupplyChain);
        Governance = new global::ZeroPark.Application.Governance.GovernanceStore(this);
        Alerts = new Alerts.AlertStore(this);
    }

    /// <summary>Parks, spaces, meters and the in-memory registry cache with the aggregate series (module <c>Registry</c>).</summary>
    public RegistryStore Registry { get; }

    /// <summary>The write side of readings: ingest with incremental rollups, manual entry and gap filling, resets, voiding and
    /// recomputation (module <c>Readings</c>).</summary>
    public ReadingStore Readings { get; }

    /// <summary>Product footprints, suppliers and their green grades (module <c>SupplyChain</c>); its footprints are supplier-level
    /// factors of the park's carbon inventories.</summary>
    public global::ZeroPark.Application.SupplyChain.SupplyChainStore SupplyChain { get; }

    /// <summary>Low-carbon activities, the governance organisation and personal carbon accounts (module <c>Governance</c>).</summary>
    public global::ZeroPark.Application.Governance.GovernanceStore Governance { get; }

    /// <summary>Users, roles, park grants and sign-in (module <c>Users</c>).</summary>
    public UserStore Users { get; }

    /// <summary>Users' dashboards (module <c>Dashboards</c>).</summary>
    public DashboardStore Dashboards { get; }

    /// <summary>Factors, activities, instruments, carbon settings and saved inventories (module <c>Carbon</c>).</summary>
    public CarbonStore Carbon { get; }

    /// <summary>Master/sub-meter balance groups of a park (module <c>EnergyManagement</c>).</summary>
    public BalanceGroupStore BalanceGroups { get; }

    /// <summary>Energy plans per park, node, carrier and month (module <c>EnergyManagement</c>).</summary>
    public PlanStore Plans { get; }

    /// <summary>Time-of-use tariff versions per park (module <c>EnergyManagement</c>).</summary>
    public TariffStore Tariffs { get; }

    /// <summary>Gateway API keys per park (module <c>Registry</c>).</summary>
    public ApiKeyStore ApiKeys { get; }

    /// <summary>The audit log, read side (module <c>Registry</c>).</summary>
    public AuditStore Audit { get; }

    /// <summary>The read side of readings: series, top meters, latest readings, data quality (module <c>Readings</c>).</summary>
    public ReadingQueries Queries { get; }

    /// <summary>Collection configuration (MQTT, Modbus, folders) and source health (module <c>Collection</c>).</summary>
    public Collection.CollectionStore Collection { get; }
    /// <summary>The instruments ledger, targets and reduction measures (module <c>Neutrality</c>).</summary>
    public ZeroPark.Application.Neutrality.NeutralityStore Neutrality { get; }
    /// <summary>Alert rules, alerts, channels, the notification outbox and the working-day calendar (module <c>Alerts</c>).</summary>
    public Alerts.AlertStore Alerts { get; }

    /// <summary>Saved evaluations (T/CA305, T/BFIA 043, green computing) and their evidence (module <c>Evaluations</c>).</summary>
    public Evaluations.EvaluationStore Evaluations { get; }
    /// <summary>Seals of finalized inventories, the report archive, templates and schedules (module <c>Reports</c>).</summary>
    public Reports.ReportStore Reports { get; }

    public abstract StoreKind Kind { get; }
    protected internal TimeProvider Clock { get; }

    /// <summary>Opens (and migrates) the store named by <paramref name="db"/>: a file path or a PostgreSQL connection string.</summary>
    public static async Task<ZeroParkStore> OpenAsync(string db, TimeProvider? clock = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(db);
        clock ??= TimeProvider.System;
        ZeroParkStore store = IsPostgres(db) ? new PostgresStore(db, clock) : new SqliteStore(db, clock);
        await store.MigrateAsync(ct);
        return store;
    }

    public static bool IsPostgres(string db) =>
        db.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) ||
        db.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) ||
        db.Contains("Host=", StringComparison.OrdinalIgnoreCase);

    protected internal abstract DbConnection CreateConnection();

    public async Task<DbConnection> OpenConnectionAsync(CancellationToken ct = default)
    {
        var c = CreateConnection();
        await c.OpenAsync(ct);
        await OnOpenedAsync(c, ct);
        return c;
    }

    protected virtual Task OnOpenedAsync(DbConnection connection, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Applies the embedded versioned migrations (<c>Migrations/{provider}/NNN_name.sql</c>) not yet applied.</summary>
    public async Task MigrateAsync(CancellationToken ct = default)
    {
        await using var c = await OpenConnectionAsync(ct);
        await c.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
        var applied = (await c.QueryAsync<long>("SELECT version FROM schema_version")).ToHashSet();
        var provider = Kind == StoreKind.Sqlite ? "sqlite" : "postgres";
        var asm = typeof(ZeroParkStore).Assembly;
        var prefix = $"ZeroPark.Application.Database.Migrations.{provider}.";
        var seen = new HashSet<int>();
        foreach (var name in asm.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var file = name[prefix.Length..];
            var version = int.Parse(file[..file.IndexOf('_', StringComparison.Ordinal)].TrimStart('_'), System.Globalization.CultureInfo.InvariantCulture);
            // Two migrations with one number would leave the second unapplied without a word: refuse to start instead.
            if (!seen.Add(version)) throw new InvalidOperationException($"two {provider} migrations are numbered {version}; renumber one ({file})");
            if (applied.Contains(version)) continue;
            var sql = await ReadResourceAsync(asm, name);
            await using var tx = await c.BeginTransactionAsync(ct);
            await c.ExecuteAsync(sql, transaction: tx);
            if (version == HourBlocksVersion) await ConvertHourRollupsAsync(c, tx);
            await c.ExecuteAsync("INSERT INTO schema_version (version, name, applied_at) VALUES (@v, @n, @at)",
                new { v = version, n = file, at = Clock.GetUtcNow().ToUnixTimeSeconds() }, tx);
            await tx.CommitAsync(ct);
        }
    }

    private const int HourBlocksVersion = 7;

    /// <summary>Migration 7: moves the rows of <c>rollup_hour</c> (one per series-hour) into <c>rollup_hours</c> blocks (one per
    /// series and park-local day, see <see cref="HourBlock"/>), series by series, and drops <c>rollup_hour</c>.</summary>
    private static async Task ConvertHourRollupsAsync(DbConnection c, DbTransaction tx)
    {
        var zones = (await c.QueryAsync<(long Series, string Zone)>(
            "SELECT m.id, p.time_zone FROM meters m JOIN parks p ON p.id = m.park_id UNION ALL SELECT -a.id, p.time_zone FROM aggregates a JOIN parks p ON p.id = a.park_id",
            transaction: tx)).ToDictionary(x => x.Series, x => x.Zone);
        var series = (await c.QueryAsync<long>("SELECT DISTINCT series_id FROM rollup_hour", transaction: tx)).ToList();
        foreach (var s in series)
        {
            // A series without a park (cannot happen through the store) is bucketed in UTC+8, the default zone.
            var clock = ParkClock.For(zones.GetValueOrDefault(s, "Asia/Shanghai"));
            var rows = await c.QueryAsync<(long Bucket, double Sum, long N, long NFlag, long NEst)>(
                "SELECT bucket, sum, n, nflag, nest FROM rollup_hour WHERE series_id = @s ORDER BY bucket", new { s }, tx);
            var blocks = new SortedDictionary<int, List<HourSlot>>();
            foreach (var r in rows)
            {
                var day = clock.BucketKeys(r.Bucket).Day;
                if (!blocks.TryGetValue(day, out var list)) blocks[day] = list = [];
                list.Add(new HourSlot(r.Bucket, r.Sum, (int)r.N, (int)r.NFlag, (int)r.NEst));
            }
            await c.ExecuteAsync("INSERT INTO rollup_hours (series_id, day, data) VALUES (@s, @day, @data)",
                blocks.Select(b => new { s, day = b.Key, data = HourBlock.Encode(b.Value) }), tx);
        }
        await c.ExecuteAsync("DROP TABLE rollup_hour", transaction: tx);
    }

    public async Task<int> SchemaVersionAsync()
    {
        await using var c = await OpenConnectionAsync();
        return await c.ExecuteScalarAsync<int>("SELECT COALESCE(MAX(version), 0) FROM schema_version");
    }

    private static async Task<string> ReadResourceAsync(Assembly asm, string name)
    {
        await using var s = asm.GetManifestResourceStream(name)!;
        using var r = new StreamReader(s);
        return await r.ReadToEndAsync();
    }

    public virtual ValueTask DisposeAsync()
    {
        Readings.Dispose();
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
