using System.Globalization;
using UglyToad.PdfPig;
using ZeroPark.Application;
using ZeroPark.Application.Carbon;
using ZeroPark.Application.EnergyManagement;
using ZeroPark.Application.Reports;
using ZeroPark.Carbon;
using ZeroPark.Tests.EnergyManagement;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.Reports;

/// <summary>
/// The PDF of the GHG report printed by headless Chromium, read back with PdfPig: the Chinese and English editions carry the
/// inventory's figures (the same as the carbon API's), the seal hash, a table of contents and page numbers.
/// <see cref="EnergyTestPark"/>: 6,480 kWh × 0.5306 kgCO2/kWh / 1000 = 3.438288 t → "3.438" in the report.
/// </summary>
public sealed class ReportPdfTests : IAsyncLifetime
{
    private const string Park = "p1";
    private ZeroParkStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = await ZeroParkStore.OpenAsync(TestDatabases.NewSqlitePath());
        await EnergyTestPark.SeedAsync(_store, Park);
        var (rows, errors) = ActivityCsv.Parse(new MemoryStream("date,source,material,amount,unit,scope3_category,note\n2025-01-31,sf6_leak,SF6,2,kg,,GIS\n"u8.ToArray()));
        await _store.Carbon.ImportActivitiesAsync(Park, rows, errors, "alice");
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private static string Text(byte[] pdf, out int pages)
    {
        using var doc = PdfDocument.Open(pdf);
        pages = doc.NumberOfPages;
        return string.Join("\n", doc.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text))));
    }

    [Fact]
    public async Task The_pdf_in_both_languages_has_the_figures_of_the_api_the_seal_contents_and_page_numbers()
    {
        var carbon = new CarbonService(_store);
        var seals = new SealService(_store, carbon);
        var service = ReportTestServices.Reports(_store, TimeProvider.System);
        var (saved, _, _) = await carbon.SaveAsync(Park, null, new DateOnly(2025, 1, 1), new DateOnly(2025, 2, 28), AccountingMethod.Ghgp, GwpSet.AR6, null, "", "alice");
        var (_, seal) = await seals.FinalizeAsync(Park, saved.Id, "alice");
        // What the API answers for the saved version (GET …/carbon/inventories): SF6 2 kg × 25,200 (AR6) / 1000 = 50.4 t scope 1.
        var api = (await _store.Carbon.InventoriesAsync(Park, saved.Id))[0];
        Assert.Equal(50.4, api.Scope1T, 1e-9);
        Assert.Equal(3.438288, api.Scope2LocationT, 1e-9);

        foreach (var lang in new[] { "en", "zh" })
        {
            var r = await service.GenerateAsync(Park, new ReportRequest("ghg_inventory", lang, Inventory: saved.Id), "alice");
            var pdf = (await _store.Reports.ReportFileAsync(Park, r.Id, "pdf"))!;
            Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(pdf, 0, 4), StringComparison.Ordinal);
            var text = Text(pdf, out var pages);
            Assert.True(pages >= 3, $"{pages} pages");
            Assert.Contains(api.Scope1T.ToString("#,0.###", CultureInfo.InvariantCulture), text, StringComparison.Ordinal);     // 50.4
            Assert.Contains(api.Scope2LocationT.ToString("#,0.###", CultureInfo.InvariantCulture), text, StringComparison.Ordinal); // 3.438
            // Total location-based 50.4 + 3.438288 = 53.838288 → 53.838.
            Assert.Contains("53.838", text, StringComparison.Ordinal);
            Assert.Contains(seal.Hash, text.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
            if (lang == "en")
            {
                Assert.Contains("Contents", text, StringComparison.Ordinal);
                Assert.Contains($"Page 1 / {pages}", text, StringComparison.Ordinal);
            }
            else
            {
                // The CJK font's ToUnicode maps some ideographs to their Kangxi radical code points (气 → ⽓ U+2F53): NFKC folds those back;
                // 页 comes out as the radical supplement ⻚ (U+2EDA), which has no compatibility mapping.
                var compact = text.Replace(" ", "", StringComparison.Ordinal).Normalize(System.Text.NormalizationForm.FormKC);
                Assert.True(compact.Contains("温室气体排放报告", StringComparison.Ordinal), compact[..Math.Min(600, compact.Length)]);
                Assert.Contains("目录", compact, StringComparison.Ordinal);
                Assert.Contains("排放因子及来源", compact, StringComparison.Ordinal);
                Assert.Matches($"[页⻚]1/{pages}", compact);
                // All Chinese: no English sentence (the Chinese UI's rule, Web/EnglishProse), the test park's name aside.
                var english = ZeroPark.Tests.Web.EnglishProse.EnglishSentences(ZeroPark.Tests.Web.EnglishProse.FoldRadicals(text).Replace("Energy test park", " ", StringComparison.Ordinal));
                Assert.True(english.Count == 0, "English in the Chinese edition: " + string.Join(" | ", english));
            }
        }
    }
}
