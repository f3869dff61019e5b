using System.Globalization;
using Dapper;
using ZeroPark.Reports;

namespace ZeroPark.Application.Reports;

/// <summary>A scheduled report: kind, how often, language, e-mail recipients, the last period generated.</summary>
public sealed record ReportScheduleRecord(long Id, string Kind, string Every, string Lang, IReadOnlyList<string> Recipients, string? LastPeriod, string CreatedBy);

public sealed partial class ReportStore
{
    private static readonly System.Text.RegularExpressions.Regex Email = new(@"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    public async Task<ReportScheduleRecord> AddScheduleAsync(string parkCode, string kind, string every, string lang, IReadOnlyList<string> recipients, string user,
        CancellationToken ct = default)
    {
        kind = ReportKinds.Parse(kind);
        ReportEvery e;
        try { e = ReportSchedule.Parse(every); }
        catch (ArgumentException x) { throw new ValidationException("every", x.Message); }
        var allowed = ReportKinds.Info(kind).Every;
        if (!allowed.Contains(e))
            throw new ValidationException("every", $"every: the {kind} report is scheduled every {string.Join(" or ", allowed.Select(ReportSchedule.Code))}");
        lang = ReportKinds.Lang(lang);
        var bad = recipients.FirstOrDefault(r => !Email.IsMatch(r));
        if (bad is not null) throw new ValidationException("recipients", $"recipients: '{bad}' is not an e-mail address");
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var exists = await c.ExecuteScalarAsync<long?>("SELECT id FROM report_schedules WHERE park_id = @p AND kind = @k AND every = @e AND lang = @l",
            new { p = reg.Park.Id.Value, k = kind, e = ReportSchedule.Code(e), l = lang }, tx);
        if (exists is not null) throw new ConflictException($"a {ReportSchedule.Code(e)} {kind} schedule in {lang} exists (#{exists}); remove it first");
        var id = await c.ExecuteScalarAsync<long>(
            "INSERT INTO report_schedules (park_id, kind, every, lang, recipients, last_period, created_at, created_by) VALUES (@p, @k, @e, @l, @r, NULL, @at, @u) RETURNING id",
            new { p = reg.Park.Id.Value, k = kind, e = ReportSchedule.Code(e), l = lang, r = string.Join(",", recipients), at = db.Clock.GetUtcNow().ToUnixTimeSeconds(), u = user }, tx);
        await db.AuditAsync(c, tx, reg.Park.Id.Value, user, "create", "report_schedule", $"#{id} {kind} {ReportSchedule.Code(e)} {lang}", null, null, string.Join(",", recipients));
        await tx.CommitAsync(ct);
        return (await SchedulesAsync(parkCode, ct)).Single(s => s.Id == id);
    }

    public async Task<IReadOnlyList<ReportScheduleRecord>> SchedulesAsync(string parkCode, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(long id, string kind, string every, string lang, string recipients, string? last_period, string created_by)>(
            "SELECT id, kind, every, lang, recipients, last_period, created_by FROM report_schedules WHERE park_id = @p ORDER BY id", new { p = reg.Park.Id.Value });
        return rows.Select(r => new ReportScheduleRecord(r.id, r.kind, r.every, r.lang, r.recipients.Split(',', StringSplitOptions.RemoveEmptyEntries), r.last_period, r.created_by)).ToList();
    }

    public async Task RemoveScheduleAsync(string parkCode, long id, string user, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        if (await c.ExecuteAsync("DELETE FROM report_schedules WHERE park_id = @p AND id = @id", new { p = reg.Park.Id.Value, id }, tx) == 0)
            throw new NotFoundException($"report schedule #{id} not found in park '{parkCode}'");
        await db.AuditAsync(c, tx, reg.Park.Id.Value, user, "delete", "report_schedule", $"#{id}", null, null, null);
        await tx.CommitAsync(ct);
    }

    /// <summary>Claims a schedule's period: sets last_period only if it was still older (one generator wins when several run).</summary>
    internal async Task<bool> ClaimPeriodAsync(long scheduleId, string? previous, string period, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteAsync(previous is null
            ? "UPDATE report_schedules SET last_period = @period WHERE id = @id AND last_period IS NULL"
            : "UPDATE report_schedules SET last_period = @period WHERE id = @id AND last_period = @prev",
            new { id = scheduleId, period, prev = previous ?? "" }) == 1;
    }

    /// <summary>Every park with a schedule (the scheduler's round).</summary>
    internal async Task<IReadOnlyList<string>> ParksWithSchedulesAsync(CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return (await c.QueryAsync<string>("SELECT DISTINCT p.code FROM report_schedules s JOIN parks p ON p.id = s.park_id ORDER BY p.code")).ToList();
    }

    internal static string PeriodKey(DateOnly from, DateOnly to) => $"{from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}..{to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
}
