using ZeroPark.Reports;

namespace ZeroPark.Application.Reports;

/// <summary>A table of a report: the same rows in HTML, PDF and XLSX. Numbers stay numbers (formatted by the renderer).</summary>
public sealed record ReportTable(string Code, string Title, IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows);

/// <summary>A chart of a report, drawn as inline SVG (<see cref="SvgChart"/>).</summary>
public sealed record ReportChart(string Title, string Unit, IReadOnlyList<ChartPoint> Points, string Kind = "bars");

/// <summary>A section of a report: a code (what templates switch on and off), its title, paragraphs, tables and charts.</summary>
public sealed record ReportSection(string Code, string Title, IReadOnlyList<string> Paragraphs, IReadOnlyList<ReportTable> Tables, IReadOnlyList<ReportChart> Charts)
{
    public static ReportSection Of(string code, string title, IEnumerable<string>? paragraphs = null, IEnumerable<ReportTable>? tables = null, IEnumerable<ReportChart>? charts = null) =>
        new(code, title, paragraphs?.ToList() ?? [], tables?.ToList() ?? [], charts?.ToList() ?? []);
}

/// <summary>A report before rendering: cover (title, subtitle, park, period, logo), sections, the data versions it used and the
/// seal it carries.</summary>
public sealed record ReportDocument(string Kind, string Lang, string Title, string Subtitle, string Park, string ParkName, DateOnly From, DateOnly To,
    IReadOnlyList<ReportSection> Sections, IReadOnlyDictionary<string, string> DataVersions, string? SealHash, string? ChainHead, DateTimeOffset GeneratedAt,
    string GeneratedBy)
{
    /// <summary>Logo as a data URI (image/png, image/jpeg or image/svg+xml), from the park's template.</summary>
    public string? Logo { get; init; }
}

/// <summary>The report kinds and their section codes (templates choose among these).</summary>
public static class ReportKinds
{
    public const string GhgInventory = "ghg_inventory";
    public const string MonthlyEnergy = "monthly_energy";

    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Sections = new Dictionary<string, IReadOnlyList<string>>
    {
        [GhgInventory] = ["organisation", "boundaries", "base_year", "methods", "emissions", "factors", "activity", "exclusions", "uncertainty", "restatements", "neutrality", "seal", "trace"],
        [MonthlyEnergy] = ["summary", "kpis", "trends", "plan", "cost", "quality", "seal"],
    };

    public static string Parse(string? kind) => (kind ?? "").Trim().ToLowerInvariant().Replace('-', '_') switch
    {
        "ghg_inventory" or "ghg" or "inventory" => GhgInventory,
        "monthly_energy" or "energy" or "monthly" => MonthlyEnergy,
        _ => throw new ValidationException("kind", $"kind: '{kind}' is not a report kind (expected ghg_inventory or monthly_energy)"),
    };

    public static string Lang(string? lang) => (lang ?? "zh").Trim().ToLowerInvariant() switch
    {
        "zh" or "zh-cn" or "" => "zh",
        "en" or "en-us" or "en-gb" => "en",
        _ => throw new ValidationException("lang", $"lang: '{lang}' is not zh or en"),
    };
}
