// Row classes below are filled by Dapper through reflection.
#pragma warning disable CS0649
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;

namespace ZeroPark.Application.Evaluations;

/// <summary>What an evaluator entered for one item or requirement (wire shape of <see cref="ZeroPark.Evaluations.ItemEntry"/>).</summary>
public sealed record ItemInput
{
    public decimal? Score { get; init; }
    public IReadOnlyList<string>? Checked { get; init; }
    public bool? Declared { get; init; }
    public string? Note { get; init; }
}

/// <summary>The evaluator's inputs of one evaluation: entries by item or requirement code; for T/CA305 an offset ratio declared
/// with evidence (used only when the neutrality ledger has none); for the green computing view the weights and the recorded
/// compute capacity (TFLOPS).</summary>
public sealed record EvaluationInputs
{
    public Dictionary<string, ItemInput> Items { get; init; } = new(StringComparer.Ordinal);
    public decimal? DeclaredOffsetRatio { get; init; }
    public Dictionary<string, decimal>? Weights { get; init; }
    public decimal? ComputeCapacityTflops { get; init; }
}

/// <summary>A saved evaluation: its inputs, the snapshot of its result (JSON as printed by the CLI), total and grade.</summary>
public sealed record SavedEvaluation(long Id, string Standard, int Year, EvaluationInputs Inputs, string? ResultJson, double? Total, string? Grade,
    string Evaluator, DateTimeOffset SavedAt, string SavedBy);

/// <summary>An evidence file attached to an item of an evaluation (content not included).</summary>
public sealed record EvidenceFile(long Id, string Item, string FileName, string ContentType, string Sha256, long Size, DateTimeOffset UploadedAt, string UploadedBy);

/// <summary>Saved evaluations and their evidence (tables <c>evaluations</c>, <c>evaluation_evidence</c> of migration 050), module
/// <c>Evaluations</c>; every save and upload is audited.</summary>
public sealed class EvaluationStore(ZeroParkStore db)
{
    /// <summary>The standards, by their codes: tca305 (T/CA305-2023), bfia043 (T/BFIA 043-2024), gcp (green computing power).</summary>
    public static readonly IReadOnlyList<string> Standards = ["tca305", "bfia043", "gcp"];

    /// <summary>Largest evidence file accepted (20 MiB).</summary>
    public const long MaxEvidenceBytes = 20L * 1024 * 1024;

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private sealed class Row
    {
        public long id; public string standard = ""; public long year; public string inputs = "{}"; public string? result; public double? total; public string? grade;
        public string evaluator = ""; public long saved_at; public string saved_by = "";
    }

    private sealed class EvidenceRow
    {
        public long id; public string item = ""; public string file_name = ""; public string content_type = ""; public string sha256 = ""; public long size;
        public long uploaded_at; public string uploaded_by = "";
    }

    public static string CheckStandard(string? standard) =>
        standard is { } s && Standards.Contains(s) ? s : throw new ValidationException("standard", $"unknown standard '{standard}' (expected {string.Join(" | ", Standards)})");

    public static int CheckYear(int year) => year is >= 2000 and <= 2100 ? year : throw new ValidationException("year", $"{year} is not between 2000 and 2100");

    public static EvaluationInputs ParseInputs(string json)
    {
        try { return JsonSerializer.Deserialize<EvaluationInputs>(json, Json) ?? new EvaluationInputs(); }
        catch (JsonException e) { throw new ValidationException("inputs", $"not valid evaluation inputs: {e.Message}"); }
    }

    public async Task<SavedEvaluation?> GetAsync(string parkCode, string standard, int year, CancellationToken ct = default)
    {
        var park = await db.Registry.GetParkAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        var r = await c.QuerySingleOrDefaultAsync<Row>("SELECT * FROM evaluations WHERE park_id = @p AND standard = @standard AND year = @year",
            new { p = park.Id.Value, standard = CheckStandard(standard), year = CheckYear(year) });
        return r is null ? null : From(r, park);
    }

    /// <summary>The park's saved evaluations of one standard (or all), by year.</summary>
    public async Task<IReadOnlyList<SavedEvaluation>> ListAsync(string parkCode, string? standard = null, CancellationToken ct = default)
    {
        var park = await db.Registry.GetParkAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<Row>("SELECT * FROM evaluations WHERE park_id = @p" + (standard is null ? "" : " AND standard = @standard") + " ORDER BY standard, year",
            new { p = park.Id.Value, standard = standard is null ? null : CheckStandard(standard) });
        return rows.Select(r => From(r, park)).ToList();
    }

    /// <summary>Saves (inserts or replaces) the inputs and result of a park's evaluation of one standard and year, audited.</summary>
    public async Task<SavedEvaluation> SaveAsync(string parkCode, string standard, int year, EvaluationInputs inputs, string? resultJson, double? total, string? grade,
        string evaluator, string user, CancellationToken ct = default)
    {
        CheckStandard(standard);
        CheckYear(year);
        TextLimits.Check("evaluator", evaluator, TextLimits.Name);
        if (string.IsNullOrWhiteSpace(evaluator)) throw new ValidationException("evaluator", "the evaluator's name is required");
        foreach (var (k, v) in inputs.Items) TextLimits.Check($"items.{k}.note", v.Note, TextLimits.Text);
        var park = await db.Registry.GetParkAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var id = await UpsertAsync(c, tx, park.Id.Value, standard, year, JsonSerializer.Serialize(inputs, Json), resultJson, total, grade, evaluator, user);
        await db.AuditAsync(c, tx, park.Id.Value, user, "save", "evaluation", $"{standard}/{year}", null, null,
            $"{grade} {total?.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture)} by {evaluator}");
        await tx.CommitAsync(ct);
        return (await GetAsync(parkCode, standard, year, ct))! with { Id = id };
    }

    private async Task<long> UpsertAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, long parkId, string standard, int year, string inputs,
        string? result, double? total, string? grade, string evaluator, string user)
    {
        var at = db.Clock.GetUtcNow().ToUnixTimeSeconds();
        var id = await c.ExecuteScalarAsync<long?>("SELECT id FROM evaluations WHERE park_id = @parkId AND standard = @standard AND year = @year", new { parkId, standard, year }, tx);
        if (id is { } existing)
        {
            await c.ExecuteAsync("UPDATE evaluations SET inputs = @inputs, result = @result, total = @total, grade = @grade, evaluator = @evaluator, saved_at = @at, saved_by = @user WHERE id = @existing",
                new { inputs, result, total, grade, evaluator, at, user, existing }, tx);
            return existing;
        }
        return await c.ExecuteScalarAsync<long>(
            "INSERT INTO evaluations (park_id, standard, year, inputs, result, total, grade, evaluator, saved_at, saved_by) " +
            "VALUES (@parkId, @standard, @year, @inputs, @result, @total, @grade, @evaluator, @at, @user) RETURNING id",
            new { parkId, standard, year, inputs, result, total, grade, evaluator, at, user }, tx);
    }

    /// <summary>Attaches an evidence file to an item of the evaluation (the evaluation row is created, without a result, when
    /// the year has none yet), audited with the file's SHA-256.</summary>
    public async Task<EvidenceFile> AddEvidenceAsync(string parkCode, string standard, int year, string item, string fileName, string? contentType, byte[] content,
        string user, CancellationToken ct = default)
    {
        CheckStandard(standard);
        CheckYear(year);
        if (string.IsNullOrWhiteSpace(item)) throw new ValidationException("item", "the item code is required");
        TextLimits.Check("item", item, TextLimits.Code);
        var name = Path.GetFileName(fileName ?? "");
        if (string.IsNullOrWhiteSpace(name)) throw new ValidationException("file", "the file name is required");
        TextLimits.Check("file", name, TextLimits.Name);
        if (content.Length == 0) throw new ValidationException("file", $"'{name}' is empty");
        if (content.LongLength > MaxEvidenceBytes) throw new ValidationException("file", $"'{name}' is {content.LongLength} bytes, more than {MaxEvidenceBytes} (20 MiB)");
        var park = await db.Registry.GetParkAsync(parkCode, ct);
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        var at = db.Clock.GetUtcNow().ToUnixTimeSeconds();
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var evalId = await c.ExecuteScalarAsync<long?>("SELECT id FROM evaluations WHERE park_id = @p AND standard = @standard AND year = @year",
                         new { p = park.Id.Value, standard, year }, tx)
                     ?? await UpsertAsync(c, tx, park.Id.Value, standard, year, "{}", null, null, null, user, user);
        var id = await c.ExecuteScalarAsync<long>(
            "INSERT INTO evaluation_evidence (evaluation_id, item, file_name, content_type, sha256, size, content, uploaded_at, uploaded_by) " +
            "VALUES (@evalId, @item, @name, @type, @sha, @size, @content, @at, @user) RETURNING id",
            new { evalId, item, name, type = string.IsNullOrWhiteSpace(contentType) ? "application/octet-stream" : contentType, sha, size = content.LongLength, content, at, user }, tx);
        await db.AuditAsync(c, tx, park.Id.Value, user, "create", "evaluation_evidence", $"{standard}/{year}/{item}", null, null, $"{name} sha256:{sha}");
        await tx.CommitAsync(ct);
        return new EvidenceFile(id, item, name, contentType ?? "application/octet-stream", sha, content.LongLength, park.Clock.ToLocalOffset(at), user);
    }

    public async Task<IReadOnlyList<EvidenceFile>> ListEvidenceAsync(string parkCode, string standard, int year, CancellationToken ct = default)
    {
        var park = await db.Registry.GetParkAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<EvidenceRow>(
            "SELECT e.id, e.item, e.file_name, e.content_type, e.sha256, e.size, e.uploaded_at, e.uploaded_by FROM evaluation_evidence e " +
            "JOIN evaluations v ON v.id = e.evaluation_id WHERE v.park_id = @p AND v.standard = @standard AND v.year = @year ORDER BY e.item, e.id",
            new { p = park.Id.Value, standard = CheckStandard(standard), year = CheckYear(year) });
        return rows.Select(r => new EvidenceFile(r.id, r.item, r.file_name, r.content_type, r.sha256, r.size, park.Clock.ToLocalOffset(r.uploaded_at), r.uploaded_by)).ToList();
    }

    /// <summary>One evidence file with its content (only of the given park).</summary>
    public async Task<(EvidenceFile File, byte[] Content)> GetEvidenceAsync(string parkCode, long id, CancellationToken ct = default)
    {
        var park = await db.Registry.GetParkAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        var r = await c.QuerySingleOrDefaultAsync<EvidenceRow>(
            "SELECT e.id, e.item, e.file_name, e.content_type, e.sha256, e.size, e.uploaded_at, e.uploaded_by FROM evaluation_evidence e " +
            "JOIN evaluations v ON v.id = e.evaluation_id WHERE v.park_id = @p AND e.id = @id", new { p = park.Id.Value, id })
            ?? throw new NotFoundException($"evidence {id} not found in park '{parkCode}'");
        var content = await c.ExecuteScalarAsync<byte[]>("SELECT content FROM evaluation_evidence WHERE id = @id", new { id }) ?? [];
        return (new EvidenceFile(r.id, r.item, r.file_name, r.content_type, r.sha256, r.size, park.Clock.ToLocalOffset(r.uploaded_at), r.uploaded_by), content);
    }

    private static SavedEvaluation From(Row r, ZeroPark.Domain.Park park) =>
        new(r.id, r.standard, (int)r.year, ParseInputs(r.inputs), r.result, r.total, r.grade, r.evaluator, park.Clock.ToLocalOffset(r.saved_at), r.saved_by);
}
