using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using ZeroPark.Application;
using ZeroPark.Application.Carbon;
using ZeroPark.Application.EnergyManagement;
using ZeroPark.Application.Reports;
using ZeroPark.Carbon;
using ZeroPark.Tests.Api;
using ZeroPark.Tests.EnergyManagement;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.Reports;

/// <summary>
/// Report generation, archive, templates, disclosure packs and scheduling on SQLite and PostgreSQL over <see cref="EnergyTestPark"/>:
/// grid 3,120 kWh in January 2025 and 3,360 kWh in February (6,480 kWh) × the national factor 0.5306 kgCO2/kWh = 3.438288 t
/// location-based scope 2; E_DC = grid + PV = 24 × 135 + 24 × 145 = 6,720 kWh; IT 100 kWh/h × 48 h = 4,800 kWh; water 0.15 m³/h × 48 h
/// = 7.2 m³. (PDF rendering is tested once, in <see cref="ReportPdfTests"/>: Chromium is slow.)
/// </summary>
public abstract class ReportSuite : IAsyncLifetime
{
    private const string Park = "r1";
    protected ZeroParkStore Store { get; private set; } = null!;
    private readonly TestClock _clock = new() { Now = new DateTimeOffset(2025, 3, 3, 2, 0, 0, TimeSpan.Zero) };

    protected abstract string NewDatabase();

    private CarbonService Carbon => new(Store);
    private SealService Seals => new(Store, Carbon);
    private EnergyService Energy => new(Store, Carbon);
    private ReportService Reports => ReportTestServices.Reports(Store, _clock);

    public async Task InitializeAsync()
    {
        Store = await ZeroParkStore.OpenAsync(NewDatabase(), _clock);
        await EnergyTestPark.SeedAsync(Store, Park);
    }

    public async Task DisposeAsync() => await Store.DisposeAsync();

    private async Task<StoredInventory> SealedAsync()
    {
        var (saved, _, _) = await Carbon.SaveAsync(Park, null, new DateOnly(2025, 1, 1), new DateOnly(2025, 2, 28), AccountingMethod.Ghgp, GwpSet.AR6, null, "", "alice");
        return (await Seals.FinalizeAsync(Park, saved.Id, "alice")).Inventory;
    }

    internal static List<List<string?>> Sheet(byte[] xlsx, string name)
    {
        using var ms = new MemoryStream(xlsx);
        using var doc = SpreadsheetDocument.Open(ms, false);
        var wb = doc.WorkbookPart!;
        var sheet = wb.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == name);
        var ws = ((WorksheetPart)wb.GetPartById(sheet.Id!)).Worksheet;
        return ws.GetFirstChild<SheetData>()!.Elements<Row>()
            .Select(r => r.Elements<Cell>().Select(c => c.DataType?.Value == CellValues.InlineString ? c.InlineString!.Text!.Text : c.CellValue?.Text).ToList()).ToList();
    }

    [Fact]
    public async Task The_ghg_report_carries_the_sealed_figures_in_html_and_xlsx_and_is_archived_with_its_data_versions()
    {
        var inv = await SealedAsync();
        var seal = (await Seals.SealOfAsync(Park, inv.Id))!;
        var r = await Reports.GenerateAsync(Park, new ReportRequest("ghg_inventory", "en", Inventory: inv.Id, Pdf: false), "alice");
        Assert.Equal(seal.Hash, r.SealHash);
        Assert.Equal($"#{inv.Id} v1 final", r.DataVersions["inventory"]);
        Assert.Equal(seal.Hash, r.DataVersions["seal"]);
        Assert.False(r.HasPdf);
        Assert.True(r.HasXlsx);
        var html = Encoding.UTF8.GetString((await Store.Reports.ReportFileAsync(Park, r.Id, "html"))!);
        // 6,480 kWh × 0.5306 / 1000 = 3.438288 t, shown with 3 decimals.
        Assert.Contains("<td>Scope 2 purchased energy (location-based)</td><td class=\"num\">3.438</td>", html, StringComparison.Ordinal);
        Assert.Contains(seal.Hash, html, StringComparison.Ordinal);
        foreach (var section in ReportKinds.Sections[ReportKinds.GhgInventory]) Assert.Contains($"data-section=\"{section}\"", html, StringComparison.Ordinal);
        var xlsx = (await Store.Reports.ReportFileAsync(Park, r.Id, "xlsx"))!;
        var totals = Sheet(xlsx, "totals");
        Assert.Equal(3.438288, double.Parse(totals.Single(row => row[0] == "Scope 2 purchased energy (location-based)")[1]!, System.Globalization.CultureInfo.InvariantCulture), 1e-9);
        var factors = Sheet(xlsx, "factors");
        Assert.Contains(factors, row => row.Contains("0.5306"));
        Assert.Contains(Sheet(xlsx, "Report"), row => row.Count > 1 && row[1] == seal.Hash);
        // The Chinese edition follows GB/T 32150: 报告主体基本信息 first, 排放因子及来源 after the emissions.
        var zh = await Reports.BuildAsync(Park, new ReportRequest("ghg_inventory", "zh", Inventory: inv.Id), "alice");
        Assert.Equal("报告主体基本信息", zh.Sections[0].Title);
        Assert.Contains("温室气体排放报告", zh.Title, StringComparison.Ordinal);
        var archive = await Store.Reports.ReportsAsync(Park);
        Assert.Equal(r.Id, Assert.Single(archive).Id);
    }

    [Fact]
    public async Task A_template_sets_title_logo_and_sections_and_bad_templates_are_refused_naming_the_field()
    {
        var inv = await SealedAsync();
        var logo = "data:image/png;base64," + Convert.ToBase64String([0x89, 0x50, 0x4e, 0x47]);
        await Store.Reports.SetTemplateAsync(Park, new ReportTemplate("ghg_inventory", "Annual carbon report", logo, ["emissions", "seal"], null), "alice");
        var doc = await Reports.BuildAsync(Park, new ReportRequest("ghg_inventory", "en", Inventory: inv.Id), "alice");
        Assert.Equal("Annual carbon report", doc.Title);
        Assert.Equal(["emissions", "seal"], doc.Sections.Select(s => s.Code));
        Assert.Contains(logo, ReportHtml.Render(doc), StringComparison.Ordinal);
        Assert.Equal("sections", (await Assert.ThrowsAsync<ValidationException>(() =>
            Store.Reports.SetTemplateAsync(Park, new ReportTemplate("ghg_inventory", "", "", ["emissions", "nonsense"], null), "alice"))).Field);
        Assert.Equal("logo", (await Assert.ThrowsAsync<ValidationException>(() =>
            Store.Reports.SetTemplateAsync(Park, new ReportTemplate("ghg_inventory", "", "javascript:alert(1)", ["emissions"], null), "alice"))).Field);
    }

    [Fact]
    public async Task The_monthly_energy_report_has_the_kpis_of_the_energy_service_with_mom_and_yoy()
    {
        var doc = await Reports.BuildAsync(Park, new ReportRequest("monthly_energy", "en", Month: new DateOnly(2025, 2, 1)), "alice");
        var kpis = doc.Sections.Single(s => s.Code == "kpis").Tables[0];
        // February 2025 (Feb 1 only): E_DC = 24 × 145 = 3,480 kWh, IT 2,400 kWh: PUE = 3,480 / 2,400 = 1.45; January: 3,240 / 2,400 = 1.35,
        // so PUE month-on-month (1.45 − 1.35) / 1.35 = +7.41 %.
        var pue = kpis.Rows.Single(r => (string)r[0]! == "PUE");
        Assert.Equal(1.45, (double)pue[1]!, 1e-9);
        Assert.Equal(1.35, (double)pue[3]!, 1e-9);
        Assert.Equal(7.41, (double)pue[4]!, 1e-9);
        var total = kpis.Rows.Single(r => (string)r[0]! == "Total energy");
        Assert.Equal(3480, (double)total[1]!, 1e-9);
        // The same figures as the energy KPI of the API/CLI.
        var api = (await PeriodComparison.KpiAsync(Energy, Park, null, new DateOnly(2025, 2, 1), new DateOnly(2025, 2, 28), EnergyBucketing.Month)).Single();
        Assert.Equal(api.Pue, (double)pue[1]!);
        Assert.Contains(doc.Sections, s => s.Code == "quality" && s.Tables[0].Rows.Count > 0);
        // The summary states the KPI's completeness as the API gives it (a percentage, never above 100).
        Assert.InRange(api.Completeness, 0, 100);
        Assert.Contains($"Data completeness {ReportHtml.Cell(Math.Round(api.Completeness, 2))} %", doc.Sections[0].Paragraphs[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_disclosure_pack_gives_each_metric_with_unit_method_and_source_or_why_it_is_missing()
    {
        var pack = await new DisclosureService(Store, Carbon, Seals, Energy).PackAsync(Park, 2025);
        DisclosureMetric M(string fw, string code) => pack.Frameworks.Single(f => f.Code == fw).Metrics.Single(m => m.Code == code);
        Assert.Equal(3.438288, M("gri", "305-2-lb").Value!.Value, 1e-6);
        // 6,720 kWh × 0.0036 GJ/kWh = 24.192 GJ; 7.2 m³ = 0.0072 ML; 3.438288 t ÷ 4.8 MWh IT = 0.71631 t/MWh.
        Assert.Equal(24.192, M("gri", "302-1-c").Value!.Value, 1e-6);
        Assert.Equal(0.0072, M("gri", "303-3").Value!.Value, 1e-9);
        Assert.Equal(0.71631, M("gri", "305-4").Value!.Value, 1e-6);
        // Grid share 6,480 / 6,720 = 96.428571 %; 6,720 kWh × 3,600 kJ / 29,307.6 kJ/kgce = 825.4514 kgce = 0.825451 tce.
        Assert.Equal(96.428571, M("sasb", "TC-SI-130a.1(2)").Value!.Value, 1e-6);
        Assert.Equal(0.825451, M("cn_key_energy", "zhnh").Value!.Value, 1e-6);
        var discharge = M("gri", "303-4");
        Assert.False(discharge.Complete);
        Assert.Equal("no discharge meters in the registry", discharge.Missing);
        Assert.All(pack.Frameworks.SelectMany(f => f.Metrics), m => Assert.Equal("2025-01-01…2025-12-31", m.Period));
        Assert.Contains(pack.Notes, n => n.StartsWith("no saved 2025 inventory", StringComparison.Ordinal));
        Assert.Equal(pack.Frameworks.Sum(f => f.Complete), pack.Complete);
        var xlsx = DisclosureService.Xlsx(pack);
        Assert.Contains(Sheet(xlsx, "gri"), row => row[0] == "305-2-lb" && row[4] == "tCO2e");
    }

    [Fact]
    public async Task A_monthly_schedule_generates_last_month_on_the_first_working_day_once()
    {
        var s = await Store.Reports.AddScheduleAsync(Park, "monthly_energy", "month", "zh", ["energy@example.com"], "alice");
        Assert.Equal("every", (await Assert.ThrowsAsync<ValidationException>(() => Store.Reports.AddScheduleAsync(Park, "monthly_energy", "year", "zh", [], "alice"))).Field);
        Assert.Equal("recipients", (await Assert.ThrowsAsync<ValidationException>(() => Store.Reports.AddScheduleAsync(Park, "ghg_inventory", "year", "zh", ["not-an-address"], "alice"))).Field);
        var scheduler = new ReportScheduler(Store, Reports, new WeekdayCalendar(), new ArchiveOnlyDelivery());
        // The clock: Monday 2025-03-03 10:00 in Shanghai; 2025-03-01 and 02 are a weekend, so March's first working day is the 3rd:
        // February is due. (A scheduled report includes its PDF: Chromium prints it.)
        var runs = await scheduler.RunDueAsync();
        var run = Assert.Single(runs);
        Assert.Equal("2025-02-01..2025-02-28", run.Period);
        Assert.NotNull(run.ReportId);
        Assert.Contains("not sent to energy@example.com: no e-mail channel", run.Outcome, StringComparison.Ordinal);
        Assert.Empty(await scheduler.RunDueAsync());
        Assert.Equal("2025-02-01..2025-02-28", (await Store.Reports.SchedulesAsync(Park)).Single(x => x.Id == s.Id).LastPeriod);
        var archived = Assert.Single(await Store.Reports.ReportsAsync(Park));
        Assert.Equal(s.Id, archived.ScheduleId);
        Assert.Equal(new DateOnly(2025, 2, 1), archived.From);
    }

    [Fact]
    public async Task The_new_kinds_are_scheduled_with_their_periods_have_templates_and_a_quarter_is_generated_for_its_dates()
    {
        // Neutrality and reduction: quarter or year; the self-assessments: year (a standard scores a calendar year); efficiency: month or year.
        foreach (var (kind, ok, bad) in new[]
                 {
                     ("carbon_neutrality", new[] { "quarter", "year" }, "month"), ("carbon_reduction", ["quarter", "year"], "month"),
                     ("tca305_self_assessment", ["year"], "quarter"), ("bfia043_self_assessment", ["year"], "month"), ("efficiency", ["month", "year"], "quarter"),
                 })
        {
            foreach (var every in ok) Assert.Equal(kind, (await Store.Reports.AddScheduleAsync(Park, kind, every, "en", [], "alice")).Kind);
            var e = await Assert.ThrowsAsync<ValidationException>(() => Store.Reports.AddScheduleAsync(Park, kind, bad, "en", [], "alice"));
            Assert.Equal("every", e.Field);
            Assert.Contains(string.Join(" or ", ok), e.Message, StringComparison.Ordinal);
        }
        var unknown = Assert.Throws<ValidationException>(() => ReportKinds.Parse("weekly_gossip"));
        foreach (var k in ReportKinds.All) Assert.Contains(k.Code, unknown.Message, StringComparison.Ordinal);
        Assert.Equal((new DateOnly(2025, 4, 1), new DateOnly(2025, 6, 30)), ReportKinds.Quarter("2025-Q2"));
        Assert.Equal("quarter", Assert.Throws<ValidationException>(() => ReportKinds.Quarter("2025-Q5")).Field);

        // A template of a new kind keeps only its sections.
        var t = await Store.Reports.TemplateAsync(Park, "carbon_neutrality");
        Assert.Equal(ReportKinds.Sections["carbon_neutrality"], t.Sections);
        await Store.Reports.SetTemplateAsync(Park, t with { Title = "碳中和年报", Sections = ["summary", "instruments"] }, "alice");
        Assert.Equal("sections", (await Assert.ThrowsAsync<ValidationException>(() => Store.Reports.SetTemplateAsync(Park, t with { Sections = ["kpis"] }, "alice"))).Field);
        // 2025 neutrality of EnergyTestPark without a ledger: PV 240 kWh of 6,480 kWh grid → rate 240 / 6,480 = 3.7037 %.
        var doc = await Reports.BuildAsync(Park, new ReportRequest("carbon_neutrality", "zh", Year: 2025), "alice");
        Assert.Equal("碳中和年报", doc.Title);
        Assert.Equal(["summary", "instruments"], doc.Sections.Select(x => x.Code));
        Assert.Equal(240 / 6_480.0, (double)doc.Sections[0].Tables[0].Rows[2][1]!, 9);

        // The scheduler hands each kind its period: on 2025-03-03 the quarter due is 2024-Q4, the year 2024, the month February 2025.
        foreach (var old in await Store.Reports.SchedulesAsync(Park))
            if (old.Kind != "carbon_reduction" || old.Every != "quarter") await Store.Reports.RemoveScheduleAsync(Park, old.Id, "alice");
        var run = Assert.Single(await new ReportScheduler(Store, Reports, new WeekdayCalendar(), new ArchiveOnlyDelivery()).RunDueAsync());
        Assert.Equal("2024-10-01..2024-12-31", run.Period);
        var archived = Assert.Single(await Store.Reports.ReportsAsync(Park));
        Assert.Equal(("carbon_reduction", new DateOnly(2024, 10, 1), new DateOnly(2024, 12, 31)), (archived.Kind, archived.From, archived.To));
        Assert.True(archived.HasXlsx);
    }
}

public sealed class SqliteReportTests : ReportSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

public sealed class PostgresReportTests : ReportSuite
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL report tests need ZEROPARK_TEST_PG; run ./scripts/test.sh (it starts a server on 127.0.0.1)")
        : TestDatabases.NewPostgresDatabase();
}
