using System.Globalization;
using System.Text.Json;
using Dapper;

namespace ZeroPark.Application.Reports;

/// <summary>A generated report in the archive (its HTML, PDF and XLSX are read separately).</summary>
public sealed record ArchivedReport(long Id, string Park, string Kind, string Lang, string Title, DateOnly From, DateOnly To, IReadOnlyDictionary<string, string> DataVersions,
    string? SealHash, long? ScheduleId, long ElapsedMs, DateTimeOffset CreatedAt, string CreatedBy, bool HasPdf, bool HasXlsx);

/// <summary>A park's template of a report kind: title (empty = the default), logo (data URI, empty = none), the sections shown.</summary>
public sealed record ReportTemplate(string Kind, string Title, string Logo, IReadOnlyList<string> Sections, string? UpdatedBy);

public sealed partial class ReportStore
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private sealed class ArchiveRow
    {
        public long Id { get; set; }
        public string Kind { get; set; } = "";
        public string Lang { get; set; } = "";
        public string Title { get; set; } = "";
        public string Period_From { get; set; } = "";
        public string Period_To { get; set; } = "";
        public string Data_Versions { get; set; } = "";
        public string? Seal_Hash { get; set; }
        public long? Schedule_Id { get; set; }
        public long Elapsed_Ms { get; set; }
        public long Created_At { get; set; }
        public string Created_By { get; set; } = "";
        public long Has_Pdf { get; set; }
        public long Has_Xlsx { get; set; }
    }

    public async Task<ArchivedReport> ArchiveAsync(string parkCode, ReportDocument doc, string html, byte[]? pdf, byte[]? xlsx, long elapsedMs, long? scheduleId,
        CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var id = await c.ExecuteScalarAsync<long>(
            """
            INSERT INTO report_archive (park_id, kind, lang, title, period_from, period_to, html, pdf, xlsx, data_versions, seal_hash, schedule_id, elapsed_ms, created_at, created_by)
            VALUES (@p, @kind, @lang, @title, @f, @t, @html, @pdf, @xlsx, @dv, @seal, @sched, @ms, @at, @by) RETURNING id
            """,
            new
            {
                p = reg.Park.Id.Value, kind = doc.Kind, lang = doc.Lang, title = doc.Title, f = doc.From.ToString("yyyy-MM-dd", Inv), t = doc.To.ToString("yyyy-MM-dd", Inv),
                html, pdf, xlsx, dv = JsonSerializer.Serialize(doc.DataVersions), seal = doc.SealHash, sched = scheduleId, ms = elapsedMs,
                at = doc.GeneratedAt.ToUnixTimeSeconds(), by = doc.GeneratedBy,
            }, tx);
        await db.AuditAsync(c, tx, reg.Park.Id.Value, doc.GeneratedBy, "generate", "report", $"#{id} {doc.Kind} {doc.Lang} {doc.From:yyyy-MM-dd}…{doc.To:yyyy-MM-dd}", null, null, doc.SealHash);
        await tx.CommitAsync(ct);
        return (await ReportsAsync(parkCode, id, ct)).Single();
    }

    public async Task<IReadOnlyList<ArchivedReport>> ReportsAsync(string parkCode, long? id = null, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<ArchiveRow>(
            """
            SELECT id, kind, lang, title, period_from, period_to, data_versions, seal_hash, schedule_id, elapsed_ms, created_at, created_by,
                   CASE WHEN pdf IS NULL THEN 0 ELSE 1 END AS has_pdf, CASE WHEN xlsx IS NULL THEN 0 ELSE 1 END AS has_xlsx
            FROM report_archive WHERE park_id = @p AND (@id IS NULL OR id = @id) ORDER BY id DESC
            """, new { p = reg.Park.Id.Value, id });
        return rows.Select(r => new ArchivedReport(r.Id, parkCode, r.Kind, r.Lang, r.Title, DateOnly.ParseExact(r.Period_From, "yyyy-MM-dd", Inv),
            DateOnly.ParseExact(r.Period_To, "yyyy-MM-dd", Inv), JsonSerializer.Deserialize<Dictionary<string, string>>(r.Data_Versions) ?? [], r.Seal_Hash, r.Schedule_Id,
            r.Elapsed_Ms, reg.Clock.ToLocalOffset(r.Created_At), r.Created_By, r.Has_Pdf != 0, r.Has_Xlsx != 0)).ToList();
    }

    /// <summary>One format of an archived report: html (text as UTF-8), pdf or xlsx; null when it was not generated.</summary>
    public async Task<byte[]?> ReportFileAsync(string parkCode, long id, string format, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        var column = format switch { "html" => "html", "pdf" => "pdf", "xlsx" => "xlsx", _ => throw new ValidationException("format", $"format: '{format}' is not html, pdf or xlsx") };
        await using var c = await db.OpenConnectionAsync(ct);
        if (!await c.ExecuteScalarAsync<bool>("SELECT COUNT(*) > 0 FROM report_archive WHERE park_id = @p AND id = @id", new { p = reg.Park.Id.Value, id }))
            throw new NotFoundException($"report #{id} not found in park '{parkCode}'");
        if (column == "html")
            return System.Text.Encoding.UTF8.GetBytes(await c.ExecuteScalarAsync<string>("SELECT html FROM report_archive WHERE id = @id", new { id }) ?? "");
        return await c.ExecuteScalarAsync<byte[]?>($"SELECT {column} FROM report_archive WHERE id = @id", new { id });
    }

    // ---------------------------------------------------------------- templates

    public async Task<ReportTemplate> TemplateAsync(string parkCode, string kind, CancellationToken ct = default)
    {
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<(string title, string logo, string sections, string updated_by)?>(
            "SELECT title, logo, sections, updated_by FROM report_templates WHERE park_id = @p AND kind = @k", new { p = reg.Park.Id.Value, k = kind });
        return row is { } r ? new ReportTemplate(kind, r.title, r.logo, r.sections.Split(',', StringSplitOptions.RemoveEmptyEntries), r.updated_by)
            : new ReportTemplate(kind, "", "", ReportKinds.Sections[kind], null);
    }

    public async Task<ReportTemplate> SetTemplateAsync(string parkCode, ReportTemplate t, string user, CancellationToken ct = default)
    {
        TextLimits.Check("title", t.Title, TextLimits.Name);
        if (t.Logo.Length > 200_000) throw new ValidationException("logo", "logo: at most 200,000 characters (a data URI of about 150 kB)");
        if (t.Logo.Length > 0 && !(t.Logo.StartsWith("data:image/png;base64,", StringComparison.Ordinal) || t.Logo.StartsWith("data:image/jpeg;base64,", StringComparison.Ordinal)
                                   || t.Logo.StartsWith("data:image/svg+xml;base64,", StringComparison.Ordinal)))
            throw new ValidationException("logo", "logo: a data URI of a PNG, JPEG or SVG image (data:image/png;base64,…)");
        var known = ReportKinds.Sections[t.Kind];
        var unknown = t.Sections.Where(s => !known.Contains(s)).ToList();
        if (unknown.Count > 0) throw new ValidationException("sections", $"sections: {string.Join(", ", unknown)} not a section of {t.Kind} (sections: {string.Join(", ", known)})");
        if (t.Sections.Count == 0) throw new ValidationException("sections", "sections: choose at least one");
        var reg = await db.Registry.GetRegistryAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await c.ExecuteAsync("DELETE FROM report_templates WHERE park_id = @p AND kind = @k", new { p = reg.Park.Id.Value, k = t.Kind }, tx);
        await c.ExecuteAsync("INSERT INTO report_templates (park_id, kind, title, logo, sections, updated_at, updated_by) VALUES (@p, @k, @title, @logo, @s, @at, @u)",
            new { p = reg.Park.Id.Value, k = t.Kind, title = t.Title, logo = t.Logo, s = string.Join(",", t.Sections), at = db.Clock.GetUtcNow().ToUnixTimeSeconds(), u = user }, tx);
        await db.AuditAsync(c, tx, reg.Park.Id.Value, user, "update", "report_template", t.Kind, null, null, $"title={t.Title} sections={string.Join(",", t.Sections)}");
        await tx.CommitAsync(ct);
        return t with { UpdatedBy = user };
    }
}
