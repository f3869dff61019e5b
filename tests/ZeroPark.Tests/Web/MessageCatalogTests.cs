using System.Globalization;
using System.Text.RegularExpressions;
using ZeroPark.Domain;
using ZeroPark.EnergyManagement;
using ZeroPark.Server.Web;
using ZeroPark.Application.Readings.Import;

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

    private static bool IsChinese(string s) => s.Any(c => c is >= '\u4e00' and <= '\u9fff');

    /// <summary>Every rejection reason the import parsers give for a sample of bad lines is rendered in Chinese (and stays
    /// English in the English UI): the reasons come from the parsers themselves, not copied here.</summary>
    [Fact]
    public void Import_rejection_reasons_of_every_parser_are_chinese()
    {
        var reasons = new List<string>();
        // Influx line protocol: a string value, a tag without '=', no fields, text after the timestamp, a bad timestamp.
        reasons.AddRange(LineProtocolParser.Parse("m1 value=\"abc\" 1\nm1,site value=1 1\nm1\nm1 value=1 1 x\nm1 value=1 12a\nm1 a=1,b=2 1\n").Errors.Select(e => e.Reason));
        // JSON batch: a point that is not an object, one without ts, one without an offset, a non-numeric value.
        reasons.AddRange(JsonBatchParser.Parse("""{"points":[5,{"meter":"a","value":1},{"meter":"b","ts":"2025-01-01T00:00:00","value":1},{"meter":"c","ts":"2025-01-01T00:00:00Z","value":"x"},{"ts":"2025-01-01T00:00:00Z","value":1}]}""").Result.Errors.Select(e => e.Reason));
        Assert.NotEmpty(JsonBatchParser.Parse("[]").Result.Errors);
        reasons.AddRange(JsonBatchParser.Parse("[]").Result.Errors.Select(e => e.Reason));
        // Meter registration file: an empty code, an unknown carrier and kind, a power meter in kWh, a duplicate code, an unknown column.
        var meters = "code,name,carrier,kind,unit,colour\n,x,foo,bar,kWh,red\nm2,n,electricity,power,kWh,red\nm3,n,electricity,interval,kWh,red\nm3,n,electricity,interval,kWh,red\n";
        reasons.AddRange(MeterFileParser.Parse(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(meters))).Errors.Select(e => e.Reason));
        var noHeader = MeterFileParser.Parse(new MemoryStream([])).Errors;
        reasons.AddRange(noHeader.Select(e => e.Reason));
        Assert.True(reasons.Count >= 12, string.Join("\n", reasons));
        var english = reasons.Where(r => !IsChinese(InCulture("zh-CN", () => UiText.M(r)))).ToList();
        Assert.True(english.Count == 0, "not in Chinese:\n" + string.Join("\n", english));
        Assert.All(reasons, r => Assert.Equal(r, InCulture("en", () => UiText.M(r))));
    }

    /// <summary>A sample per area of the validation messages web forms can trigger (as the producers write them, with
    /// values filled in) is rendered in Chinese, the values carried over.</summary>
    [Theory]
    [InlineData("meter 'pdu9': multiplier must be positive", "pdu9")]                                           // registry: meter form
    [InlineData("space 'b1' has meters attached; move or delete them first", "b1")]                             // registry: space delete
    [InlineData("unknown time zone 'Mars/Base' (expected an IANA id such as Asia/Shanghai)", "Mars/Base")]      // registry: park form
    [InlineData("meter 'pv' is a power meter; only cumulative and interval meters can be filled", "pv")]        // manual entry
    [InlineData("timestamp: 2031-01-01T00:00:00+08:00 is later than the server clock allows (latest 2030-12-31T16:05:00Z: now + the future tolerance)", "2031-01-01T00:00:00+08:00")] // void
    [InlineData("no earlier reading within 7 days: give the old meter's final value", "7")]                     // reset confirmation
    [InlineData("'bob!' is not a user name (1–64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit)", "bob!")] // users
    [InlineData("'amount': -5 must be a number ≥ 0", "-5")]                                                     // plans
    [InlineData("'peak': 9 is not a price between 0 and 5 CNY/kWh", "9")]                                       // tariffs
    [InlineData("'schedule[2]': overlaps schedule[0] at local hour 8–9 in month 7", "schedule[0]")]             // tariffs
    [InlineData("cards[1].n: 80 is not between 1 and 50", "80")]                                                  // dashboards
    [InlineData("a dashboard holds at most 24 cards (30 given)", "30")]                                         // dashboards
    [InlineData("reference (certificate serial or contract number) is required: it is what stops an instrument being counted twice", "")] // instruments
    [InlineData("amount: 'ten' is not a number", "ten")]                                                        // carbon activities
    [InlineData("scope3_category: source business_travel needs a category 1–15", "1–15")]                      // carbon activities
    [InlineData("xlsx: the workbook contains a DTD (<!DOCTYPE>); workbooks with DTDs are refused (save it again from Excel or export CSV)", "DTD")] // import limits
    [InlineData("the worksheet has more than 1,048,576 rows (limit ZeroPark:Import:XlsxMaxRows)", "1,048,576")] // import limits
    [InlineData("row has 2 fields, expected at least 3", "3")]                                                  // extra/missing fields
    [InlineData("indicative: GB 40879-2021 grades R = E/E_IT over a full year of metered data; this period is 1 days", "1")] // KPI notes
    [InlineData("plan: the monthly plans exceed the annual plan by 120 MWh; months without a plan get 0", "120 MWh")] // plan notes
    public void Validation_messages_of_the_forms_are_chinese(string english, string carried)
    {
        var zh = InCulture("zh-CN", () => UiText.M(english));
        Assert.True(IsChinese(zh), zh);
        Assert.Contains(carried, zh, StringComparison.Ordinal);
    }

    [Fact]
    public void Codes_are_shown_by_their_display_name()
    {
        // A code with its own key, a meter role, a system of the taxonomy (its Chinese name from SystemTaxonomy), a carbon
        // source, a list of reading flags, and an unknown code (shown as it is).
        Assert.Equal("年度计划", InCulture("zh-CN", () => UiText.Code("annual")));
        Assert.Equal("annual plan", InCulture("en", () => UiText.Code("annual")));
        Assert.Equal("IT 负载", InCulture("zh-CN", () => UiText.Code("it_load")));
        Assert.Equal("冷水机组", InCulture("zh-CN", () => UiText.Code("cooling.chiller")));
        Assert.Equal("Chillers", InCulture("en", () => UiText.Code("cooling.chiller")));
        Assert.Equal("疑似清零、缺数后", InCulture("zh-CN", () => UiText.Code("suspected_reset,gap")));
        Assert.Equal("no_such_code", InCulture("zh-CN", () => UiText.Code("no_such_code")));
        // A KPI note "key: message" names the key in Chinese too.
        Assert.StartsWith("GB 40879 能效等级：", InCulture("zh-CN", () => UiText.M("gb40879_grade: needs PUE")), StringComparison.Ordinal);
    }
}
