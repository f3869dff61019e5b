using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using UglyToad.PdfPig;
using ZeroPark.Application;
using ZeroPark.Application.Evaluations;
using ZeroPark.Application.Neutrality;
using ZeroPark.Application.Optimisation;
using ZeroPark.Application.Reports;
using ZeroPark.Evaluations;
using ZeroPark.Metering;
using ZeroPark.Neutrality;
using ZeroPark.Tests.EnergyManagement;
using ZeroPark.Tests.Evaluations;
using ZeroPark.Tests.Infrastructure;
using ZeroPark.Tests.Optimisation;
using ZeroPark.Tests.Web;
using ZeroPark.Tests.NeutralityModule;

namespace ZeroPark.Tests.Reports;

/// <summary>
/// The report kinds of the evaluations, neutrality, reduction and optimisation modules, generated through the report engine in Chinese
/// and English, printed by headless Chromium and read back with PdfPig (and XLSX read back): each PDF carries the figures the
/// module's service (what the API answers) computes, and those figures are worked out by hand from the test parks. The Chinese
/// editions hold no English sentence (<see cref="EnglishProse"/>, the Chinese UI browser test's rule; the test parks' own names and
/// codes aside). SQLite: the kinds only read the store; the archive is tested on both databases in <see cref="ReportSuite"/>.
/// </summary>
public sealed class ReportKindsPdfTests : IAsyncLifetime
{
    private ZeroParkStore _store = null!;
    private IServiceProvider _services = null!;
    private ReportService Reports => _services.GetRequiredService<ReportService>();

    public async Task InitializeAsync()
    {
        _store = await ZeroParkStore.OpenAsync(TestDatabases.NewSqlitePath());
        _services = ReportTestServices.For(_store, TimeProvider.System);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    /// <summary>The PDF's words with the CJK font's Kangxi radicals folded back to the ideographs (see <see cref="ReportPdfTests"/>).</summary>
    private static string Text(byte[] pdf)
    {
        using var doc = PdfDocument.Open(pdf);
        return EnglishProse.FoldRadicals(string.Join("\n", doc.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text)))));
    }

    private static string Compact(string text) => text.Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal);

    private async Task<(string Text, byte[] Xlsx, ArchivedReport Report)> GenerateAsync(string park, ReportRequest req)
    {
        var r = await Reports.GenerateAsync(park, req, "alice");
        var pdf = (await _store.Reports.ReportFileAsync(park, r.Id, "pdf"))!;
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(pdf, 0, 4), StringComparison.Ordinal);
        return (Text(pdf), (await _store.Reports.ReportFileAsync(park, r.Id, "xlsx"))!, r);
    }

    /// <summary>Fails on an English sentence in a Chinese edition, after removing the test park's own names (its data, not the report's words).</summary>
    private static void AssertChinese(string text, params string[] ownNames)
    {
        foreach (var n in ownNames) text = text.Replace(n, " ", StringComparison.Ordinal);
        var bad = EnglishProse.EnglishSentences(text);
        Assert.True(bad.Count == 0, "English in the Chinese edition: " + string.Join(" | ", bad));
    }

    private static double Num(string? s) => double.Parse(s!, CultureInfo.InvariantCulture);

    [Fact]
    public async Task The_tca305_and_bfia043_self_assessments_carry_the_evaluation_figures_in_both_languages()
    {
        await EvalTestPark.CreateAsync(_store);
        const string park = EvalTestPark.Park;
        var evaluations = _services.GetRequiredService<EvaluationService>();
        // What the API answers (GET …/evaluations/tca305/2025, …/bfia043/2025).
        var tca = await evaluations.Tca305Async(park, 2025);
        var bfia = await evaluations.Bfia043Async(park, 2025);
        // By hand (EvalTestPark): PUE = 78 / 60 = 1.3 ≤ 1.35 (cold, existing) → T/CA305 PUE score 30 − 10 × 1.3 = 17; the boundary is
        // not declared → 不合格 (Failed). T/BFIA 043: R = 1.3 → 35 − 10 × 1.3 = 22 points.
        Assert.Equal((1.3m, 17m, "不合格"), (Math.Round(tca.Pue!.Value, 9), Math.Round(tca.PueScore, 9), tca.Grade));
        Assert.Equal(22m, Math.Round(bfia.RatioScore, 9));

        foreach (var lang in new[] { "zh", "en" })
        {
            var (text, xlsx, r) = await GenerateAsync(park, new ReportRequest("tca305", lang, Year: 2025));
            Assert.Equal(Tca305SelfAssessmentKind.Code, r.Kind);
            // Section d's table row: PUE, its value, the limit and the points.
            Assert.Matches(@"PUE\s+1\.3\s+1\.35\s+17\b", text);
            var c = Compact(text);
            if (lang == "zh")
            {
                foreach (var h in new[] { "数据中心基本情况", "温室气体核算边界及范围、排放量、数据要求及来源", "实现零碳排放的规划目标和减排策略", "评价结论", "打分表" })
                    Assert.Contains(h, c, StringComparison.Ordinal);
                Assert.Contains("等级不合格", c, StringComparison.Ordinal);   // the result table: 等级 | 不合格
                AssertChinese(text, "Evaluation park");
            }
            else
            {
                Assert.Contains("Failed", text, StringComparison.Ordinal);
                Assert.Contains("Score table", text, StringComparison.Ordinal);
            }
            var kpis = ReportSuite.Sheet(xlsx, "tca305_kpis");
            Assert.Equal([1.3, 1.35, 17.0], kpis.Single(row => row[0] == "PUE").Skip(1).Take(3).Select(Num));
            var result = ReportSuite.Sheet(xlsx, "tca305_result");
            Assert.Equal((double)tca.Total, Num(result[1][1]), 9);
            Assert.Equal(tca.Items.Count, ReportSuite.Sheet(xlsx, "tca305_items").Count - 1);

            var (btext, bxlsx, _) = await GenerateAsync(park, new ReportRequest("bfia043_self_assessment", lang, Year: 2025));
            Assert.Matches(@"\bR\s+1\.3\s+22\b", btext);
            var star = lang == "zh" ? bfia.Star : Bfia043Catalogue.Stars.Where(s => s.Stars == bfia.Stars).Select(s => s.En).FirstOrDefault() ?? "No star";
            Assert.Contains(Compact(star), Compact(btext), StringComparison.Ordinal);
            var bres = ReportSuite.Sheet(bxlsx, "bfia043_result");
            Assert.Equal((double)bfia.Total, Num(bres[1][1]), 9);
            Assert.Equal(bfia.Stars, (int)Num(bres[3][1]));
            Assert.Equal(bfia.Groups.Sum(g => (double)g.Score), ReportSuite.Sheet(bxlsx, "bfia043_groups").Skip(1).Sum(row => Num(row[2])), 9);
            if (lang == "zh") AssertChinese(btext, "Evaluation park");
        }
        // A self-assessment evaluates a calendar year: a quarter is refused with the field named.
        var e = await Assert.ThrowsAsync<ValidationException>(() => Reports.BuildAsync(park, new ReportRequest("tca305", "zh", From: new DateOnly(2025, 1, 1), To: new DateOnly(2025, 3, 31)), "alice"));
        Assert.Equal("year", e.Field);
    }

    [Fact]
    public async Task The_neutrality_and_reduction_reports_carry_the_rate_and_the_measured_saving()
    {
        // EnergyTestPark: grid 6,480 kWh × 0.5306 kg/kWh = 3.438288 t (C_yw, no scope 1); PV 240 kWh × 0.5306 = 0.127344 t; CCER 1 t retired for January.
        // Neutrality rate 2025 = (1 + 0.127344) / 3.438288 = 0.327879… → "32.79 %".
        const string park = "nr";
        await EnergyTestPark.SeedAsync(_store, park);
        await _store.Neutrality.AddInstrumentAsync(park, new LedgerDraft { Kind = OffsetKind.Ccer, Quantity = 1, Claim = new ClaimDraft(null, new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 31)) }, "alice");
        var api = await _services.GetRequiredService<NeutralityService>().ComputeAsync(park, new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 31));
        Assert.Equal(1.127344 / 3.438288, api.NeutralityRate!.Value, 1e-9);
        foreach (var lang in new[] { "zh", "en" })
        {
            var (text, xlsx, r) = await GenerateAsync(park, new ReportRequest("neutrality", lang, Year: 2025));
            Assert.Equal(NeutralityReportKind.Code, r.Kind);
            Assert.Contains("32.79 %", text, StringComparison.Ordinal);
            Assert.Contains("3.438", text, StringComparison.Ordinal);
            Assert.Contains("1.127", text, StringComparison.Ordinal);
            var summary = ReportSuite.Sheet(xlsx, "neutrality");
            Assert.Equal(api.NeutralityRate.Value, Num(summary[3][1]), 9);
            Assert.Equal(3.438288, Num(summary[1][1]), 9);
            var kinds = ReportSuite.Sheet(xlsx, "neutrality_kinds");
            Assert.Equal(1.0, Num(kinds.Single(row => row[0] == "CCER")[3]), 9);
            if (lang == "zh") AssertChinese(text, "Energy test park");
        }

        // The measure park of the neutrality suite: chiller = 10 + 0.5 × IT in the baseline (days 1–20 of March 2025), 10 % less from day 21.
        // Saving = 0.1 × Σ_{d=21…30} 24 × (60 + 0.5 d) = 0.1 × (14,400 + 12 × 255) = 1,746 kWh; × 0.5306 / 1000 = 0.9264276 t; × 0.8 CNY = 1,396.8 CNY.
        var m = await MeasureParkAsync();
        await _services.GetRequiredService<MeasureService>().CreateAsync(m, new MeasureDraft("M1", "CHW set-point", "chilled_water_setpoint", ["chiller"],
            new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 20), new DateOnly(2025, 3, 21), 0.8, true, "t18"), "alice");
        foreach (var lang in new[] { "zh", "en" })
        {
            var (text, xlsx, r) = await GenerateAsync(m, new ReportRequest("carbon_reduction", lang, From: new DateOnly(2025, 1, 1), To: new DateOnly(2025, 3, 31)));
            Assert.Equal((new DateOnly(2025, 1, 1), new DateOnly(2025, 3, 31)), (r.From, r.To));
            Assert.Contains("1,746", text, StringComparison.Ordinal);
            Assert.Contains("0.926", text, StringComparison.Ordinal);
            Assert.Contains("1,396.8", text, StringComparison.Ordinal);
            var row = ReportSuite.Sheet(xlsx, "measures").Single(x => x[0] == "M1");
            Assert.Equal(1_746, Num(row[3]), 1e-6);
            Assert.Equal(0.9264276, Num(row[4]), 1e-9);
            Assert.Equal(1_396.8, Num(row[7]), 1e-6);
            Assert.Equal(1_746, ReportSuite.Sheet(xlsx, "measure_months").Skip(1).Sum(x => Num(x[4])), 1e-6);
            if (lang == "zh") AssertChinese(text, "CHW set-point", "Measure park");
        }
        // A year before the measure started: nothing saved in the period.
        var q4 = await Reports.BuildAsync(m, new ReportRequest("carbon_reduction", "en", Year: 2024), "alice");
        Assert.Equal(0.0, (double)q4.Sections.Single(s => s.Code == "measures").Tables[0].Rows.Single()[3]!, 9);
    }

    [Fact]
    public async Task The_efficiency_report_of_a_month_carries_the_months_pue_in_both_languages()
    {
        await OptTestPark.SeedAsync(_store);
        // March 2025 = days 59…89 of OptTestPark: daily IT = 24,000 · L_d (the hourly sine sums to zero over the day), facility = IT · PUE_d,
        // so the month's PUE = Σ L_d · PUE_d / Σ L_d.
        var days = Enumerable.Range(59, 31).Select(d => OptTestPark.Day[d]).ToList();
        var pue = days.Sum(d => d.L * d.Pue) / days.Sum(d => d.L);
        var api = await _services.GetRequiredService<EfficiencyReportService>().ReportAsync(OptTestPark.Park, null, 2025, new DateOnly(2025, 3, 31));
        Assert.Equal(pue, api.Months.Single(x => x.Month == "2025-03").Pue!.Value, 4);
        Assert.Equal("2025-03-31", api.To);
        foreach (var lang in new[] { "zh", "en" })
        {
            var (text, xlsx, r) = await GenerateAsync(OptTestPark.Park, new ReportRequest("efficiency", lang, Month: new DateOnly(2025, 3, 1)));
            Assert.Equal((new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 31)), (r.From, r.To));
            Assert.Contains($"PUE {ReportHtml.Cell(Math.Round(pue, 4))}", text, StringComparison.Ordinal);
            var summary = ReportSuite.Sheet(xlsx, "efficiency");
            Assert.Equal(pue, Num(summary[2][1]), 4);
            Assert.Equal(3, ReportSuite.Sheet(xlsx, "efficiency_months").Count - 1);   // January to March
            Assert.Contains(ReportSuite.Sheet(xlsx, "efficiency_drivers"), row => row[0] is "室外温度 (°C)" or "Outdoor temperature (°C)");
            if (lang == "zh") AssertChinese(text, "Optimisation test park");
        }
    }

    [Fact]
    public async Task The_chinese_monthly_energy_report_has_its_kpi_notes_in_chinese()
    {
        const string park = "me";
        await EnergyTestPark.SeedAsync(_store, park);
        var doc = await Reports.BuildAsync(park, new ReportRequest("monthly_energy", "en", Month: new DateOnly(2025, 2, 1)), "alice");
        var notes = doc.Sections.Single(s => s.Code == "kpis").Paragraphs;
        Assert.NotEmpty(notes);   // February has notes to translate (so the check below is not vacuous)
        var (text, _, _) = await GenerateAsync(park, new ReportRequest("monthly_energy", "zh", Month: new DateOnly(2025, 2, 1)));
        AssertChinese(text, "Energy test park");
    }

    private Task<string> MeasureParkAsync() => MeasureTestPark.SeedAsync(_store);
}
