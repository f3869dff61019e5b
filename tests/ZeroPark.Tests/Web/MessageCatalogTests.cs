using System.Globalization;
using System.Text.RegularExpressions;
using ZeroPark.Domain;
using ZeroPark.EnergyManagement;
using ZeroPark.Server.Web;

namespace ZeroPark.Tests.Web;

/// <summary>Machine-written texts (English from Core/Storage) rendered in the UI's language through Resources/Messages.resx.</summary>
public sealed class MessageCatalogTests
{
    private static T InCulture<T>(string culture, Func<T> f)
    {
        var (ui, c) = (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture);
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
        try { return f(); }
        finally { (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture) = (ui, c); }
    }

    [Fact]
    public void Every_catalogue_entry_uses_only_placeholders_of_its_english_format()
    {
        var ph = new Regex(@"\{(\d+)(,-?\d+)?(:[^{}]*)?\}");
        Assert.NotEmpty(MessageCatalog.Entries);
        foreach (var (en, zh) in MessageCatalog.Entries)
        {
            Assert.False(string.IsNullOrWhiteSpace(zh), en);
            var enArgs = ph.Matches(en).Select(m => m.Groups[1].Value).ToHashSet();
            Assert.All(ph.Matches(zh).Select(m => m.Groups[1].Value), a => Assert.Contains(a, enArgs));
        }
    }

    [Fact]
    public void Kpi_notes_are_chinese_in_the_chinese_ui_and_english_otherwise()
    {
        // 900 kWh into the park, 1000 kWh of IT: PUE = 900 / 1000 = 0.9, below 1; no water, no racks.
        var r = KpiCalculator.Compute(new KpiInputs { Period = TimeSpan.FromDays(1), FacilityInput = Energy.FromKilowattHours(900), It = Energy.FromKilowattHours(1000) });
        var pue = r.Notes.Single(n => n.Kpi == "pue").Message;
        Assert.StartsWith("PUE 0.9", pue, StringComparison.Ordinal);
        var zh = InCulture("zh-CN", () => UiText.M(pue));
        // The number is carried over from the English text; the sentence is the catalogue's Chinese.
        Assert.StartsWith("PUE 0.9", zh, StringComparison.Ordinal);
        Assert.Contains("小于 1", zh, StringComparison.Ordinal);
        Assert.Equal(pue, InCulture("en", () => UiText.M(pue)));
        var wue = r.Notes.Single(n => n.Kpi == "wue").Message;
        Assert.Equal("园区进水量未知（无 water_input 表计或无读数）", InCulture("zh-CN", () => UiText.M(wue)));
    }

    [Fact]
    public void Arguments_are_carried_over_and_unknown_texts_shown_as_written()
    {
        // The codes in the English text are carried into the Chinese format.
        Assert.Equal("表计：园区“p1”中没有表计代码“m9”", InCulture("zh-CN", () => UiText.M("meter: unknown meter code 'm9' in park 'p1'")));
        // A text no format matches is shown as written, never lost.
        Assert.Equal("something new happened", InCulture("zh-CN", () => UiText.M("something new happened")));
        Assert.Equal("", UiText.M((string?)null));
    }
}
