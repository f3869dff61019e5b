// Row classes below are filled by Dapper through reflection.
#pragma warning disable CS0649
using System.Globalization;
using System.Text.Json;
using Dapper;
using ZeroPark.Domain;

namespace ZeroPark.Application.Optimisation;

/// <summary>One stored forecast value: the bucket, the value shown (the model's if it beat the baseline, else the baseline's), the
/// model's and the baseline's.</summary>
public sealed record StoredForecastPoint(DateTimeOffset Start, DateTimeOffset End, double? Value, double? Model, double? Baseline);

/// <summary>A stored forecast run (table opt_forecasts of migration 070).</summary>
public sealed record StoredForecast(long Id, string Node, string Target, string Horizon, DateTimeOffset Origin, string Unit, string Shown,
    double? BacktestMape, double? BaselineMape, int BacktestPoints, DateTimeOffset CreatedAt, string CreatedBy, IReadOnlyList<StoredForecastPoint> Points);

/// <summary>A saving suggestion and its state (table opt_suggestions of migration 070). Savings are per year.</summary>
public sealed record Suggestion(long Id, string Kind, string Subject, string Status, string Evidence, IReadOnlyDictionary<string, double> Figures,
    DateOnly WindowFrom, DateOnly WindowTo, double SavingKwh, double? SavingTco2e, double? SavingCny, string? Reason, DateOnly? SnoozedUntil,
    string? Measure, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string UpdatedBy);

/// <summary>What an analysis found, to be stored as a suggestion (savings per year).</summary>
public sealed record SuggestionWrite(string Kind, string Subject, string Evidence, IReadOnlyDictionary<string, double> Figures, DateOnly WindowFrom,
    DateOnly WindowTo, double SavingKwh, double? SavingTco2e, double? SavingCny);

/// <summary>A park's optimisation settings (table opt_settings of migration 071): the assumptions of the over-cooled-rooms rule —
/// the cold-aisle inlet set-point a room could run at (°C, inside ASHRAE TC9.9's recommended 18–27 °C), how far below it the room's
/// 90th-percentile inlet temperature must stay to count as over-cooled (K), and the share of the room's cooling energy each kelvin
/// raised saves.</summary>
public sealed record OptimisationSettings(double RoomTargetC, double RoomMarginK, double RoomSavingPerK)
{
    public static readonly OptimisationSettings Default = new(24, 2, 0.03);

    /// <summary>Checks the settings; throws <see cref="ValidationException"/> naming the field.</summary>
    public OptimisationSettings Validated()
    {
        if (!double.IsFinite(RoomTargetC) || RoomTargetC < 18 || RoomTargetC > 27)
            throw new ValidationException("room_target_c", $"target inlet temperature {RoomTargetC.ToString(CultureInfo.InvariantCulture)} °C is outside the ASHRAE TC9.9 recommended inlet envelope 18–27 °C");
        if (!double.IsFinite(RoomMarginK) || RoomMarginK <= 0 || RoomMarginK > 9)
            throw new ValidationException("room_margin_k", $"margin {RoomMarginK.ToString(CultureInfo.InvariantCulture)} K must be above 0 and at most 9");
        if (!double.IsFinite(RoomSavingPerK) || RoomSavingPerK <= 0 || RoomSavingPerK > 0.1)
            throw new ValidationException("room_saving_per_k", $"saving per K {RoomSavingPerK.ToString(CultureInfo.InvariantCulture)} must be above 0 and at most 0.1 (10 % per K)");
        return this;
    }
}

/// <summary>The suggestion states.</summary>
public static class SuggestionStatus
{
    public const string Open = "open";
    public const string Accepted = "accepted";
    public const string Rejected = "rejected";
    public const string Snoozed = "snoozed";
}

/// <summary>Stored forecasts and suggestions of a park (module <c>Optimisation</c>, migration 070).</summary>
public sealed class OptimisationStore(ZeroParkStore db)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private sealed class ForecastRow
    {
        public long id; public string node = ""; public string target = ""; public string horizon = ""; public long origin; public string unit = "";
        public string shown = ""; public double? backtest_mape; public double? baseline_mape; public long backtest_points; public long created_at; public string created_by = "";
    }

    private sealed class PointRow
    {
        public long forecast_id; public long bucket_start; public long bucket_end; public double? value; public double? model; public double? baseline;
    }

    private sealed class SuggestionRow
    {
        public long id; public string kind = ""; public string subject = ""; public string status = ""; public string evidence = ""; public string figures = "";
        public string window_from = ""; public string window_to = ""; public double saving_kwh; public double? saving_tco2e; public double? saving_cny;
        public string? reason; public string? snoozed_until; public string? measure; public long created_at; public long updated_at; public string updated_by = "";
    }

    /// <summary>The store's clock now, as Unix seconds.</summary>
    internal long Now => db.Clock.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>The local date "today" in the park's time zone (the store's clock).</summary>
    public DateOnly LocalToday(Park park) => park.Clock.LocalDate(Now);

    /// <summary>Stores a forecast run with its points; returns its id.</summary>
    public async Task<long> SaveForecastAsync(string parkCode, StoredForecast f, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var id = await c.ExecuteScalarAsync<long>(
            "INSERT INTO opt_forecasts (park_id, node, target, horizon, origin, unit, shown, backtest_mape, baseline_mape, backtest_points, created_at, created_by) " +
            "VALUES (@park, @node, @target, @horizon, @origin, @unit, @shown, @bm, @bb, @bp, @at, @by) RETURNING id",
            new
            {
                park = reg.Park.Id.Value, node = f.Node, target = f.Target, horizon = f.Horizon, origin = f.Origin.ToUnixTimeSeconds(), unit = f.Unit, shown = f.Shown,
                bm = f.BacktestMape, bb = f.BaselineMape, bp = f.BacktestPoints, at = Now, by = f.CreatedBy,
            }, tx);
        foreach (var p in f.Points)
            await c.ExecuteAsync("INSERT INTO opt_forecast_points (forecast_id, bucket_start, bucket_end, value, model, baseline) VALUES (@id, @s, @e, @v, @m, @b)",
                new { id, s = p.Start.ToUnixTimeSeconds(), e = p.End.ToUnixTimeSeconds(), v = p.Value, m = p.Model, b = p.Baseline }, tx);
        await tx.CommitAsync(ct);
        return id;
    }

    /// <summary>Stored forecasts of the park, newest first, optionally for one node, target and horizon (at most <paramref name="limit"/>).</summary>
    public async Task<IReadOnlyList<StoredForecast>> ListForecastsAsync(string parkCode, string? node = null, string? target = null, string? horizon = null,
        int limit = 50, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = (await c.QueryAsync<ForecastRow>(
            "SELECT id, node, target, horizon, origin, unit, shown, backtest_mape, baseline_mape, backtest_points, created_at, created_by FROM opt_forecasts " +
            "WHERE park_id = @park" + (node is null ? "" : " AND node = @node") + (target is null ? "" : " AND target = @target") +
            (horizon is null ? "" : " AND horizon = @horizon") + " ORDER BY created_at DESC, id DESC LIMIT @limit",
            new { park = reg.Park.Id.Value, node, target, horizon, limit })).ToList();
        if (rows.Count == 0) return [];
        var ids = rows.Select(r => r.id).ToArray();
        var points = (await c.QueryAsync<PointRow>(
                "SELECT forecast_id, bucket_start, bucket_end, value, model, baseline FROM opt_forecast_points WHERE forecast_id IN (" +
                string.Join(",", ids.Select(i => i.ToString(Inv))) + ") ORDER BY forecast_id, bucket_start"))
            .GroupBy(p => p.forecast_id).ToDictionary(g => g.Key, g => g.ToList());
        var clock = reg.Clock;
        return rows.Select(r => new StoredForecast(r.id, r.node, r.target, r.horizon, clock.ToLocalOffset(r.origin), r.unit, r.shown, r.backtest_mape, r.baseline_mape,
                (int)r.backtest_points, clock.ToLocalOffset(r.created_at), r.created_by,
                points.TryGetValue(r.id, out var ps)
                    ? ps.Select(p => new StoredForecastPoint(clock.ToLocalOffset(p.bucket_start), clock.ToLocalOffset(p.bucket_end), p.value, p.model, p.baseline)).ToList()
                    : []))
            .ToList();
    }

    /// <summary>Stores what an analysis found: a new suggestion is open; a known one (same kind and subject) gets the new evidence and
    /// savings and keeps its state (a snooze ends when its date has passed; then it is open again).</summary>
    public async Task SaveSuggestionsAsync(string parkCode, IReadOnlyList<SuggestionWrite> found, string user, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        var park = reg.Park.Id.Value;
        var today = reg.Clock.LocalDate(Now).ToString("yyyy-MM-dd", Inv);
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        foreach (var s in found)
        {
            var figures = JsonSerializer.Serialize(s.Figures);
            var args = new
            {
                park, kind = s.Kind, subject = s.Subject, evidence = s.Evidence, figures, wf = s.WindowFrom.ToString("yyyy-MM-dd", Inv), wt = s.WindowTo.ToString("yyyy-MM-dd", Inv),
                kwh = s.SavingKwh, t = s.SavingTco2e, cny = s.SavingCny, at = Now, user, today,
            };
            var updated = await c.ExecuteAsync(
                "UPDATE opt_suggestions SET evidence = @evidence, figures = @figures, window_from = @wf, window_to = @wt, saving_kwh = @kwh, saving_tco2e = @t, " +
                "saving_cny = @cny, updated_at = @at, updated_by = @user, " +
                "status = CASE WHEN status = 'snoozed' AND snoozed_until < @today THEN 'open' ELSE status END " +
                "WHERE park_id = @park AND kind = @kind AND subject = @subject", args, tx);
            if (updated == 0)
                await c.ExecuteAsync(
                    "INSERT INTO opt_suggestions (park_id, kind, subject, status, evidence, figures, window_from, window_to, saving_kwh, saving_tco2e, saving_cny, " +
                    "created_at, updated_at, updated_by) VALUES (@park, @kind, @subject, 'open', @evidence, @figures, @wf, @wt, @kwh, @t, @cny, @at, @at, @user)", args, tx);
        }
        await tx.CommitAsync(ct);
    }

    /// <summary>The park's suggestions, largest saving first, optionally of one status (a snooze whose date has passed counts as open).</summary>
    public async Task<IReadOnlyList<Suggestion>> ListSuggestionsAsync(string parkCode, string? status = null, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<SuggestionRow>(
            "SELECT id, kind, subject, status, evidence, figures, window_from, window_to, saving_kwh, saving_tco2e, saving_cny, reason, snoozed_until, measure, " +
            "created_at, updated_at, updated_by FROM opt_suggestions WHERE park_id = @park ORDER BY saving_kwh DESC, id", new { park = reg.Park.Id.Value });
        var today = reg.Clock.LocalDate(Now);
        var list = rows.Select(r => ToSuggestion(reg.Clock, r, today)).ToList();
        return status is null ? list : list.Where(s => s.Status == status).ToList();
    }

    public async Task<Suggestion> GetSuggestionAsync(string parkCode, long id, CancellationToken ct = default) =>
        (await ListSuggestionsAsync(parkCode, null, ct)).FirstOrDefault(s => s.Id == id)
        ?? throw new NotFoundException($"suggestion {id} not found in park '{parkCode}'");

    /// <summary>Sets a suggestion's state (accepted with the measure it became, rejected with a reason, snoozed until a date, or open
    /// again), audited with the old and new state.</summary>
    public async Task<Suggestion> SetStatusAsync(string parkCode, long id, string status, string? reason, DateOnly? until, string? measure, string user,
        CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        var old = await GetSuggestionAsync(parkCode, id, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await c.ExecuteAsync(
            "UPDATE opt_suggestions SET status = @status, reason = @reason, snoozed_until = @until, measure = COALESCE(@measure, measure), updated_at = @at, updated_by = @user " +
            "WHERE id = @id AND park_id = @park",
            new { id, park = reg.Park.Id.Value, status, reason, until = until?.ToString("yyyy-MM-dd", Inv), measure, at = Now, user }, tx);
        await db.AuditAsync(c, tx, reg.Park.Id.Value, user, status switch { SuggestionStatus.Accepted => "accept", SuggestionStatus.Rejected => "reject", SuggestionStatus.Snoozed => "snooze", _ => "reopen" },
            "suggestion", $"{old.Kind}/{old.Subject} (id {id})", reason, old.Status, status + (until is { } u ? " until " + u.ToString("yyyy-MM-dd", Inv) : ""));
        await tx.CommitAsync(ct);
        return await GetSuggestionAsync(parkCode, id, ct);
    }

    private static readonly string[] SettingKeys = ["room_target_c", "room_margin_k", "room_saving_per_k"];

    /// <summary>The park's optimisation settings; the default of each key that is not set.</summary>
    public async Task<OptimisationSettings> SettingsAsync(string parkCode, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = (await c.QueryAsync<(string key, string value)>("SELECT key, value FROM opt_settings WHERE park_id = @p", new { p = reg.Park.Id.Value }))
            .ToDictionary(r => r.key, r => double.Parse(r.value, CultureInfo.InvariantCulture), StringComparer.Ordinal);
        var d = OptimisationSettings.Default;
        return new OptimisationSettings(rows.GetValueOrDefault("room_target_c", d.RoomTargetC), rows.GetValueOrDefault("room_margin_k", d.RoomMarginK),
            rows.GetValueOrDefault("room_saving_per_k", d.RoomSavingPerK));
    }

    /// <summary>Changes the given settings (null: unchanged), checked together, each change audited with its old and new value.</summary>
    public async Task<OptimisationSettings> SetSettingsAsync(string parkCode, double? roomTargetC, double? roomMarginK, double? roomSavingPerK, string user,
        CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        var old = await SettingsAsync(parkCode, ct);
        var next = new OptimisationSettings(roomTargetC ?? old.RoomTargetC, roomMarginK ?? old.RoomMarginK, roomSavingPerK ?? old.RoomSavingPerK).Validated();
        var values = new[] { (old.RoomTargetC, next.RoomTargetC), (old.RoomMarginK, next.RoomMarginK), (old.RoomSavingPerK, next.RoomSavingPerK) };
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        for (var i = 0; i < SettingKeys.Length; i++)
        {
            var (was, now) = values[i];
            if (was == now) continue;
            var v = now.ToString("R", CultureInfo.InvariantCulture);
            await c.ExecuteAsync("DELETE FROM opt_settings WHERE park_id = @p AND key = @k", new { p = reg.Park.Id.Value, k = SettingKeys[i] }, tx);
            await c.ExecuteAsync("INSERT INTO opt_settings (park_id, key, value) VALUES (@p, @k, @v)", new { p = reg.Park.Id.Value, k = SettingKeys[i], v }, tx);
            await db.AuditAsync(c, tx, reg.Park.Id.Value, user, "update", "optimisation_setting", SettingKeys[i], null, was.ToString("R", CultureInfo.InvariantCulture), v);
        }
        await tx.CommitAsync(ct);
        return next;
    }

    private static Suggestion ToSuggestion(ParkClock clock, SuggestionRow r, DateOnly today)
    {
        DateOnly? until = r.snoozed_until is { } s ? DateOnly.ParseExact(s, "yyyy-MM-dd", Inv) : null;
        var status = r.status == SuggestionStatus.Snoozed && until is { } u && u < today ? SuggestionStatus.Open : r.status;
        return new Suggestion(r.id, r.kind, r.subject, status, r.evidence, JsonSerializer.Deserialize<Dictionary<string, double>>(r.figures) ?? [],
            DateOnly.ParseExact(r.window_from, "yyyy-MM-dd", Inv), DateOnly.ParseExact(r.window_to, "yyyy-MM-dd", Inv), r.saving_kwh, r.saving_tco2e, r.saving_cny,
            r.reason, until, r.measure, clock.ToLocalOffset(r.created_at), clock.ToLocalOffset(r.updated_at), r.updated_by);
    }
}
