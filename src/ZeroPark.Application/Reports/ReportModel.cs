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

/// <summary>What a report kind is: its code and the other names it is accepted by, its sections in order (templates choose among
/// these) and how often it may be scheduled.</summary>
public sealed record ReportKindInfo(string Code, IReadOnlyList<string> Aliases, IReadOnlyList<string> Sections, IReadOnlyList<ReportEvery> Every);

/// <summary>What a kind's builder gets: the park's registry, the request (its period), the language, who asks and the park-local now.</summary>
public sealed record ReportContext(ParkRegistry Registry, ReportRequest Request, string Lang, string User, DateTimeOffset Now)
{
    public string Park => Registry.Park.Code;

    /// <summary>A machine-written English text (a service's note) in the report's language, through the message catalogue
    /// (<see cref="Alerts.IMessageLocalizer"/>: the web server and the CLI register it; without it the text stays English).</summary>
    public Func<string, string> Translate { get; init; } = s => s;

    /// <summary>A code's display name in the report's language (the UI's code names: <c>code.</c>, <c>carrier.</c>, <c>kind.</c>), else the code.</summary>
    public Func<string, string> Code { get; init; } = s => s;

    /// <summary>The period of a yearly or quarterly kind: <c>From</c>/<c>To</c> (a schedule's quarter or year), else the year, else the
    /// month's year.</summary>
    public (DateOnly From, DateOnly To) YearOrPeriod()
    {
        if (Request.From is { } f && Request.To is { } t) return (f, t);
        if (Request.Year is { } y) return (new DateOnly(y, 1, 1), new DateOnly(y, 12, 31));
        throw new ValidationException("year", $"year: the {Request.Kind} report needs a year (YYYY) or a period (from, to)");
    }

    /// <summary>The period of a monthly or yearly kind: <c>From</c>/<c>To</c>, else the month, else the year.</summary>
    public (DateOnly From, DateOnly To) MonthOrYear()
    {
        if (Request.From is { } f && Request.To is { } t) return (f, t);
        if (Request.Month is { } m) { var first = new DateOnly(m.Year, m.Month, 1); return (first, first.AddMonths(1).AddDays(-1)); }
        if (Request.Year is { } y) return (new DateOnly(y, 1, 1), new DateOnly(y, 12, 31));
        throw new ValidationException("month", $"month: the {Request.Kind} report needs a month (YYYY-MM) or a year (YYYY)");
    }
}

/// <summary>One kind of report: a small builder registered in DI (<see cref="ReportsModule"/>) that gathers its figures from the
/// modules' services and returns the document; <see cref="ReportService"/> applies the template, renders and archives.</summary>
public interface IReportKind
{
    ReportKindInfo Info { get; }

    Task<ReportDocument> BuildAsync(ReportContext x, CancellationToken ct);
}

/// <summary>The report kinds: the one table of builders (<see cref="Registered"/>) that <see cref="ReportsModule"/> registers in DI,
/// and from which <see cref="Parse"/>, <see cref="Sections"/> and the schedules' checks read.</summary>
public static class ReportKinds
{
    public const string GhgInventory = "ghg_inventory";
    public const string MonthlyEnergy = "monthly_energy";

    /// <summary>Each kind's description and builder class, in the order the report centre lists them.</summary>
    public static readonly IReadOnlyList<(ReportKindInfo Info, Type Builder)> Registered =
    [
        (GhgInventoryKind.Definition, typeof(GhgInventoryKind)),
        (MonthlyEnergyKind.Definition, typeof(MonthlyEnergyKind)),
        (Tca305SelfAssessmentKind.Definition, typeof(Tca305SelfAssessmentKind)),
        (Bfia043SelfAssessmentKind.Definition, typeof(Bfia043SelfAssessmentKind)),
        (NeutralityReportKind.Definition, typeof(NeutralityReportKind)),
        (ReductionReportKind.Definition, typeof(ReductionReportKind)),
        (EfficiencyReportKind.Definition, typeof(EfficiencyReportKind)),
    ];

    public static IReadOnlyList<ReportKindInfo> All { get; } = Registered.Select(r => r.Info).ToList();

    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Sections = All.ToDictionary(k => k.Code, k => k.Sections, StringComparer.Ordinal);

    private static readonly Dictionary<string, string> Names = All.SelectMany(k => k.Aliases.Prepend(k.Code).Select(a => (a, k.Code))).ToDictionary(p => p.a, p => p.Code, StringComparer.Ordinal);

    /// <summary>The kind's description (by its code).</summary>
    public static ReportKindInfo Info(string kind) => All.Single(k => k.Code == Parse(kind));

    public static string Parse(string? kind) =>
        Names.TryGetValue((kind ?? "").Trim().ToLowerInvariant().Replace('-', '_'), out var code) ? code
        : throw new ValidationException("kind", $"kind: '{kind}' is not a report kind (known kinds: {string.Join(", ", All.Select(k => k.Code))})");

    /// <summary>A quarter, "YYYY-Qn", as its first and last day (null for none).</summary>
    public static (DateOnly From, DateOnly To)? Quarter(string? quarter)
    {
        if (string.IsNullOrWhiteSpace(quarter)) return null;
        var m = System.Text.RegularExpressions.Regex.Match(quarter.Trim(), "^(\\d{4})-?[Qq]([1-4])$");
        if (!m.Success) throw new ValidationException("quarter", $"quarter: '{quarter}' is not a quarter (YYYY-Qn)");
        var from = new DateOnly(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 3 * int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) - 2, 1);
        return (from, from.AddMonths(3).AddDays(-1));
    }

    public static string Lang(string? lang) => (lang ?? "zh").Trim().ToLowerInvariant() switch
    {
        "zh" or "zh-cn" or "" => "zh",
        "en" or "en-us" or "en-gb" => "en",
        _ => throw new ValidationException("lang", $"lang: '{lang}' is not zh or en"),
    };
}
