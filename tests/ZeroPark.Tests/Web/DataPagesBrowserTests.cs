using System.Text;
using Microsoft.Playwright;
using Npgsql;
using ZeroPark.Application;
using ZeroPark.Tests.Infrastructure;
using static ZeroPark.Tests.Web.WebTestPark;

namespace ZeroPark.Tests.Web;

/// <summary>The data-management pages in Debian's Chromium, on a server and store of their own (the tests change park A's data
/// and registry, which the other browser tests assert): file import with per-row errors, manual correction into the audit log,
/// role-restricted registry editing (no form, forged POSTs refused), park-level access to pages and API, the language switch.
/// On SQLite (with screenshots) and on PostgreSQL.</summary>
public abstract class DataPagesBrowserTests(BrowserFixture fx)
{
    private const string Pw = "data-pages-password";

    /// <summary>Screenshots are taken on one store only (the pages are the same).</summary>
    protected abstract bool Screenshots { get; }

    private async Task<string> UserAsync(UserRole role, params string[] parks)
    {
        var name = role.ToString().ToLowerInvariant() + "." + Guid.NewGuid().ToString("N")[..6];
        await fx.Store.Users.CreateUserAsync(name, Pw, role, parks, "test");
        return name;
    }

    private async Task<IPage> SignedInAsync(string user)
    {
        var page = await fx.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.GetByTestId("login-user").FillAsync(user);
        await page.GetByTestId("login-password").FillAsync(Pw);
        await page.GetByTestId("login-submit").ClickAsync();
        await page.WaitForURLAsync(u => !u.Contains("/account/login", StringComparison.Ordinal));
        return page;
    }

    private async Task ShotAsync(IPage page, string name)
    {
        if (Screenshots)
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDir, name + ".png"), FullPage = true });
    }

    /// <summary>The antiforgery token of the signed-in session (every page's sign-out form carries one).</summary>
    private static async Task<string> TokenAsync(IPage page) =>
        await page.Locator("input[name=__RequestVerificationToken]").First.GetAttributeAsync("value") ?? throw new InvalidOperationException("no antiforgery token");

    [Fact]
    public async Task An_import_with_bad_rows_lists_each_error_by_line_and_reason_and_stores_the_good_rows()
    {
        var entry = await UserAsync(UserRole.DataEntry, ParkA);
        var page = await SignedInAsync(entry);
        await page.GotoAsync($"/parks/{ParkA}/data");
        await page.GetByTestId("tab-import").ClickAsync();
        await page.WaitForURLAsync($"**/parks/{ParkA}/import");
        Assert.Equal(1, await page.GetByTestId("what-readings").CountAsync());
        Assert.Equal(0, await page.GetByTestId("what-meters").CountAsync());        // meters are a registry change: not for data entry

        // Lines (1 = header): 2 new, 3 bad value, 4 unknown meter, 5 new, 6 no offset, 7 same as stored, 8 a different value.
        // Stored on Feb 1 12:00 (EnergyTestPark): chiller 30 kWh, light 2 kWh.
        var csv = string.Join("\n",
            "meter,timestamp,value",
            "chiller,2025-02-02T01:00:00+08:00,30",
            "chiller,2025-02-02T02:00:00+08:00,abc",
            "nosuch,2025-02-02T02:00:00+08:00,1",
            "light,2025-02-02T01:00:00+08:00,2",
            "light,2025-02-02 02:00,2",
            "chiller,2025-02-01T12:00:00+08:00,30",
            "light,2025-02-01T12:00:00+08:00,2.5") + "\n";
        await page.GetByTestId("import-file").SetInputFilesAsync(new FilePayload { Name = "meter-export.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await page.GetByTestId("import-submit").ClickAsync();
        await page.GetByTestId("import-result").WaitForAsync();
        await ShotAsync(page, "20-import-errors-zh");

        Assert.Equal("2", await page.GetByTestId("import-accepted").GetAttributeAsync("data-value"));
        Assert.Equal("1", await page.GetByTestId("import-duplicates").GetAttributeAsync("data-value"));
        Assert.Equal("1", await page.GetByTestId("import-corrected").GetAttributeAsync("data-value"));
        Assert.Equal("3", await page.GetByTestId("import-rejected").GetAttributeAsync("data-value"));
        var rows = page.GetByTestId("rejected-table").Locator("tbody tr");
        Assert.Equal(["3", "4", "6"], await rows.Locator("td:nth-child(1)").AllInnerTextsAsync());
        var reasons = await rows.Locator("td:nth-child(2)").AllInnerTextsAsync();
        // The Chinese UI shows the reasons in Chinese (the API keeps "value: 'abc' is not a number" etc.).
        Assert.Equal("读数：“abc”不是数字", reasons[0]);
        Assert.Equal($"表计：园区“{ParkA}”中没有表计代码“nosuch”", reasons[1]);
        Assert.StartsWith("timestamp：“2025-02-02 02:00”没有 UTC 偏移", reasons[2], StringComparison.Ordinal);

        // The good rows are stored, the correction audited with the signed-in user.
        var chiller = await fx.Store.Readings.MeterReadingsAsync(ParkA, "chiller", new DateOnly(2025, 2, 2), new DateOnly(2025, 2, 2));
        Assert.Equal([(0, 30.0), (1, 30.0)], chiller.Select(r => ((int)((r.Ts - chiller[0].Ts) / 3600), r.Value)));   // 00:00 (seeded) and 01:00 (imported)
        var light = await fx.Store.Readings.MeterReadingsAsync(ParkA, "light", new DateOnly(2025, 2, 1), new DateOnly(2025, 2, 1));
        Assert.Equal(2.5, light.Single(r => r.Ts == new DateTimeOffset(2025, 2, 1, 12, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeSeconds()).Value);
        Assert.Contains(await fx.Store.Audit.AuditLogAsync(ParkA), a => a.Action == "correct" && a.EntityKey == "light@2025-02-01T12:00:00+08:00" && a.User == entry
                                                                 && a.OldValue == "2" && a.NewValue == "2.5");

        // A file the parser cannot read at all is one error naming the file, nothing stored.
        await page.GetByTestId("import-file").SetInputFilesAsync(new FilePayload { Name = "readings.pdf", MimeType = "application/pdf", Buffer = [1, 2, 3] });
        await page.GetByTestId("import-submit").ClickAsync();
        Assert.Contains("unsupported extension '.pdf'", await page.GetByTestId("err-file").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_manual_correction_shows_old_and_new_and_appears_in_the_audit_log()
    {
        var entry = await UserAsync(UserRole.DataEntry, ParkA);
        var page = await SignedInAsync(entry);
        await page.GotoAsync($"/parks/{ParkA}/readings?meter=chiller&day=2025-02-01");
        var day = page.GetByTestId("day-readings").Locator("tbody tr");
        Assert.Equal(24, await day.CountAsync());                                   // the hourly readings at 00:00 … 23:00
        // The row of 15:00: 30 kWh, corrected through its link (which fills meter, time and value).
        var row = day.Filter(new LocatorFilterOptions { HasText = "15:00:00" });
        Assert.Contains("30 kWh", await row.InnerTextAsync(), StringComparison.Ordinal);
        await row.GetByRole(AriaRole.Link).ClickAsync();
        Assert.Equal("2025-02-01T15:00", await page.GetByTestId("f-at").InputValueAsync());
        Assert.Equal("chiller", await page.GetByTestId("f-meter").InputValueAsync());
        await page.GetByTestId("f-value").FillAsync("33.5");
        await page.GetByTestId("f-reason").FillAsync("现场复核抄表");
        await page.GetByTestId("entry-save").ClickAsync();
        var result = page.GetByTestId("entry-result");
        await result.WaitForAsync();
        Assert.Equal("corrected", await result.GetAttributeAsync("data-outcome"));
        Assert.Equal("30 kWh", await page.GetByTestId("entry-old").InnerTextAsync());
        Assert.Equal("33.5 kWh", await page.GetByTestId("entry-new").InnerTextAsync());
        Assert.Contains("33.5 kWh", await page.GetByTestId("day-readings").Locator("tbody tr").Filter(new LocatorFilterOptions { HasText = "15:00:00" }).InnerTextAsync(), StringComparison.Ordinal);
        await ShotAsync(page, "21-manual-correction-zh");

        // The audit log page: who, when, what, why, the previous and the new value.
        var auditor = await SignedInAsync(await UserAsync(UserRole.Auditor, ParkA));
        await auditor.GotoAsync($"/audit?park={ParkA}");
        var first = auditor.GetByTestId("audit-table").Locator("tbody tr").Filter(new LocatorFilterOptions { HasText = "chiller@2025-02-01T15:00:00+08:00" });
        Assert.Equal(1, await first.CountAsync());
        var cells = await first.Locator("td").AllInnerTextsAsync();
        Assert.Equal(entry, cells[2]);
        Assert.Equal("更正读数", cells[3]);
        Assert.Equal("现场复核抄表", cells[6]);
        Assert.Equal("30", cells[7]);
        Assert.Equal("33.5", cells[8]);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \(UTC[+-]\d{2}:\d{2}\)$", cells[0]);
        await ShotAsync(auditor, "22-audit-correction-zh");
    }

    [Fact]
    public async Task An_energy_manager_voids_a_mistyped_reading_with_a_reason_and_sees_what_was_voided()
    {
        // A park of its own: v1 (cumulative, hourly) 100, 1250 (a typo for 125), 135 on 2025-01-10 at 10:00, 11:00, 12:00.
        var park = "v" + Guid.NewGuid().ToString("N")[..6];
        await fx.Store.Registry.CreateParkAsync(new ParkDraft(park, "Void park"));
        await fx.Store.Registry.CreateMetersAsync(park, [new MeterDraft("v1", "V1", "electricity", "cumulative", "kWh") { IntervalMinutes = 60 }]);
        DateTimeOffset At(int h) => new(2025, 1, 10, h, 0, 0, TimeSpan.FromHours(8));
        await fx.Store.Readings.IngestAsync(park, [new ZeroPark.Metering.RawPoint("v1", At(10), 100, 1), new ZeroPark.Metering.RawPoint("v1", At(11), 1250, 2),
            new ZeroPark.Metering.RawPoint("v1", At(12), 135, 3)], new IngestSource("test", "gateway"));

        // A data-entry operator corrects readings but does not void them: no form.
        var entry = await SignedInAsync(await UserAsync(UserRole.DataEntry, park));
        await entry.GotoAsync($"/parks/{park}/readings?meter=v1&day=2025-01-10");
        Assert.Equal(0, await entry.GetByTestId("void-form").CountAsync());

        var manager = await UserAsync(UserRole.EnergyManager, park);
        var page = await SignedInAsync(manager);
        await page.GotoAsync($"/parks/{park}/readings?meter=v1&day=2025-01-10");
        Assert.Equal(3, await page.GetByTestId("day-readings").Locator("tbody tr").CountAsync());
        await page.GetByTestId("f-void_from").FillAsync("2025-01-10T11:00");
        await page.GetByTestId("f-void_reason").FillAsync("抄表录入错误：应为 125");
        await page.GetByTestId("void-submit").ClickAsync();
        var result = page.GetByTestId("void-result");
        await result.WaitForAsync();
        Assert.Equal("1", await result.GetAttributeAsync("data-voided"));
        var text = await result.InnerTextAsync();
        Assert.Contains("已作废 1 条读数（v1）", text, StringComparison.Ordinal);
        Assert.Contains("重算后续读数 1 条", text, StringComparison.Ordinal);
        Assert.Equal(2, await page.GetByTestId("day-readings").Locator("tbody tr").CountAsync());
        await ShotAsync(page, "23-void-reading-zh");
        // 135 − 100 = 35 kWh over the day; the void is audited as the manager, with the reason.
        var day = await fx.Store.Queries.SeriesAsync(park, SeriesTarget.Meter("v1"), new DateOnly(2025, 1, 10), new DateOnly(2025, 1, 10), ZeroPark.Domain.Granularity.Day);
        Assert.Equal(35.0, day.Buckets[0].Value);
        Assert.Contains(await fx.Store.Audit.AuditLogAsync(park), a => a.Action == "void" && a.User == manager && a.Reason == "抄表录入错误：应为 125");
    }

    [Fact]
    public async Task A_viewer_sees_the_registry_without_forms_and_a_forged_post_is_refused()
    {
        var page = await SignedInAsync(await UserAsync(UserRole.Viewer, ParkA));
        await page.GotoAsync($"/parks/{ParkA}/registry");
        Assert.Equal(1, await page.GetByTestId("read-only").CountAsync());
        Assert.Equal(0, await page.GetByTestId("park-form").CountAsync());
        Assert.Equal(0, await page.GetByTestId("space-form").CountAsync());
        Assert.Contains("上海一号数据中心园区", await page.GetByTestId("park-facts").InnerTextAsync(), StringComparison.Ordinal);
        var tree = await page.GetByTestId("space-tree").Locator("tbody tr").EvaluateAllAsync<string[]>("rs => rs.map(r => r.dataset.space)");
        Assert.Equal(["b1", "b1-f1", "b1-r1"], tree.Take(3));                       // depth first: building, floor, room
        await page.GotoAsync($"/parks/{ParkA}/meters/chiller");
        Assert.Equal(0, await page.GetByTestId("meter-form").CountAsync());
        Assert.Equal(0, await page.GetByTestId("replace-form").CountAsync());
        Assert.Equal(1, await page.GetByTestId("meter-facts").CountAsync());
        Assert.Equal(403, (await page.GotoAsync($"/parks/{ParkA}/meters/_new"))!.Status);
        await page.GotoAsync($"/parks/{ParkA}/readings");
        Assert.Equal(0, await page.GetByTestId("entry-form").CountAsync());

        // Forged POSTs with the viewer's own valid antiforgery token: refused by the server, nothing changed.
        var token = await TokenAsync(page);
        async Task<int> PostAsync(string url, Dictionary<string, string> form)
        {
            form["__RequestVerificationToken"] = token;
            var r = await page.Context.APIRequest.PostAsync(url, new APIRequestContextOptions { Form = FormOf(page, form), MaxRedirects = 0 });
            return r.Status;
        }
        Assert.Equal(403, await PostAsync($"/parks/{ParkA}/registry?handler=Park", new() { ["name"] = "Hacked", ["timezone"] = "Asia/Shanghai", ["climate_zone"] = "other" }));
        Assert.Equal(403, await PostAsync($"/parks/{ParkA}/registry?handler=Space", new() { ["space_code"] = "x9", ["space_name"] = "X9" }));
        Assert.Equal(403, await PostAsync($"/parks/{ParkA}/meters/chiller?handler=Save", new() { ["name"] = "Hacked", ["carrier"] = "electricity", ["kind"] = "interval", ["unit"] = "kWh" }));
        Assert.Equal(403, await PostAsync($"/parks/{ParkA}/readings", new() { ["meter"] = "chiller", ["at"] = "2025-02-01T10:00", ["value"] = "1", ["reason"] = "x" }));
        Assert.Equal(403, await PostAsync($"/parks/{ParkA}/readings?handler=Void", new() { ["void_meter"] = "chiller", ["void_from"] = "2025-02-01T10:00", ["void_reason"] = "x" }));
        Assert.Equal(403, await PostAsync($"/parks/{ParkA}/meters/chiller?handler=Fill", new() { ["fill_from"] = "2025-02-01", ["fill_to"] = "2025-02-01" }));
        Assert.Equal(403, await PostAsync($"/parks/{ParkA}/import", new() { ["what"] = "readings" }));
        Assert.Equal("上海一号数据中心园区", (await fx.Store.Registry.GetParkAsync(ParkA)).Name);
        Assert.Equal("chiller", (await fx.Store.Registry.GetRegistryAsync(ParkA)).Meter("chiller").Name);
        Assert.False((await fx.Store.Registry.GetRegistryAsync(ParkA)).SpacesByCode.ContainsKey("x9"));
        // … and without a token at all, even an energy manager's POST is refused (antiforgery).
        var manager = await SignedInAsync(await UserAsync(UserRole.EnergyManager, ParkA));
        var noToken = await manager.Context.APIRequest.PostAsync($"/parks/{ParkA}/registry?handler=Park",
            new APIRequestContextOptions { Form = FormOf(manager, new() { ["name"] = "No token" }), MaxRedirects = 0 });
        Assert.Equal(400, noToken.Status);
    }

    private static IFormData FormOf(IPage page, Dictionary<string, string> fields)
    {
        var form = page.Context.APIRequest.CreateFormData();
        foreach (var (k, v) in fields) form.Set(k, v);
        return form;
    }

    [Fact]
    public async Task An_energy_manager_edits_the_registry_with_messages_naming_the_field_and_every_change_is_audited()
    {
        var name = await UserAsync(UserRole.EnergyManager, ParkA);
        var page = await SignedInAsync(name);
        await page.GotoAsync($"/parks/{ParkA}/registry");
        // Racks in use above the total: refused, the message under the field, nothing saved.
        await page.GetByTestId("f-racks_total").FillAsync("12");
        await page.GetByTestId("f-racks_in_use").FillAsync("15");
        await page.GetByTestId("park-save").ClickAsync();
        Assert.Equal("须在 0 与机架总数（racks_total）之间", await page.GetByTestId("err-racks_in_use").InnerTextAsync());
        Assert.Contains("在用机架数", await page.GetByTestId("dm-error").InnerTextAsync(), StringComparison.Ordinal);
        await ShotAsync(page, "23-registry-error-zh");
        Assert.Equal(9, (await fx.Store.Registry.GetParkAsync(ParkA)).RacksInUse);
        await page.GetByTestId("f-design_it_kw").FillAsync("-5");
        await page.GetByTestId("park-save").ClickAsync();
        Assert.Equal("不能为负数", await page.GetByTestId("err-design_it_kw").InnerTextAsync());
        Assert.Contains("设计 IT 容量", await page.GetByTestId("dm-error").InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByTestId("f-design_it_kw").FillAsync("250");
        await page.GetByTestId("f-racks_in_use").FillAsync("10");
        await page.GetByTestId("f-grid_region").FillAsync("华东");
        await page.GetByTestId("park-save").ClickAsync();
        await page.GetByTestId("dm-message").WaitForAsync();
        var park = await fx.Store.Registry.GetParkAsync(ParkA);
        Assert.Equal((250.0, 10), (park.DesignItCapacity!.Value.Kilowatts, park.RacksInUse!.Value));

        // A room under the floor, then a rack under it: the tree shows the levels.
        await page.GetByTestId("f-space_code").FillAsync("b1-r2");
        await page.GetByTestId("f-space_name").FillAsync("2号机房");
        await page.GetByTestId("f-parent").SelectOptionAsync("b1-f1");
        await page.GetByTestId("space-add").ClickAsync();
        await page.GetByTestId("dm-message").WaitForAsync();
        Assert.Contains("机房", await page.GetByTestId("space-tree").Locator("tr[data-space=b1-r2]").InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByTestId("rename-space-b1-r2").ClickAsync();
        await page.GetByTestId("rename-input-b1-r2").FillAsync("2号机房（冷通道封闭）");
        await page.GetByTestId("rename-save-b1-r2").ClickAsync();
        await page.GetByTestId("dm-message").WaitForAsync();
        Assert.Contains("2号机房（冷通道封闭）", await page.GetByTestId("space-tree").Locator("tr[data-space=b1-r2]").InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByTestId("f-space_code").FillAsync("B1 R2!");
        await page.GetByTestId("f-space_name").FillAsync("Bad");
        await page.GetByTestId("space-add").ClickAsync();
        Assert.Contains("只能包含小写字母", await page.GetByTestId("err-space_code").InnerTextAsync(), StringComparison.Ordinal);
        await ShotAsync(page, "24-registry-zh");

        // A virtual meter: a formula naming an unknown meter is refused under the formula field; then created.
        await page.GotoAsync($"/parks/{ParkA}/meters");
        await page.GetByTestId("meter-new").ClickAsync();
        await page.GetByTestId("f-code").FillAsync("cooling_total");
        await page.GetByTestId("f-name").FillAsync("制冷合计");
        await page.GetByTestId("f-kind").SelectOptionAsync("interval");
        await page.GetByTestId("f-interval_minutes").FillAsync("60");
        await page.GetByTestId("f-system").SelectOptionAsync("cooling");
        await page.GetByTestId("f-role").SelectOptionAsync("check");
        await page.GetByTestId("f-formula").FillAsync("chiller + crah2");
        await page.GetByTestId("meter-save").ClickAsync();
        Assert.Contains("不存在的表计“crah2”", await page.GetByTestId("err-formula").InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByTestId("f-formula").FillAsync("chiller + crah");
        await page.GetByTestId("meter-save").ClickAsync();
        await page.WaitForURLAsync($"**/parks/{ParkA}/meters/cooling_total?saved=true");
        Assert.Equal("chiller + crah", await page.GetByTestId("meter-formula").InnerTextAsync());
        var audit = await fx.Store.Audit.AuditLogAsync(ParkA);
        Assert.Contains(audit, a => a.Entity == "meter" && a.EntityKey == "cooling_total" && a.Action == "create" && a.User == name);
        Assert.Contains(audit, a => a.Entity == "park" && a.Action == "update" && a.User == name);
        Assert.Contains(audit, a => a.Entity == "space" && a.EntityKey == "b1-r2" && a.Action == "create" && a.User == name);
        Assert.Contains(audit, a => a.Entity == "space" && a.EntityKey == "b1-r2" && a.Action == "update" && a.User == name && a.OldValue == "2号机房" && a.NewValue == "2号机房（冷通道封闭）");

        // The meters list: search and filters.
        await page.GotoAsync($"/parks/{ParkA}/meters?system=cooling");
        Assert.Equal(["chiller", "cooling_total", "crah", "water"], await page.GetByTestId("meters-table").Locator("tbody tr").EvaluateAllAsync<string[]>("rs => rs.map(r => r.dataset.meter)"));
        await page.GotoAsync($"/parks/{ParkA}/meters?type=virtual");
        Assert.Equal(["cooling_total", "tx_loss", "ups_loss"], await page.GetByTestId("meters-table").Locator("tbody tr").EvaluateAllAsync<string[]>("rs => rs.map(r => r.dataset.meter)"));
        await page.GotoAsync($"/parks/{ParkA}/meters");
        await page.GetByTestId("meter-search").FillAsync("pdu");
        await page.GetByTestId("meter-search").PressAsync("Enter");
        await page.WaitForURLAsync("**q=pdu**");
        Assert.Equal(["pdu1", "pdu2"], await page.GetByTestId("meters-table").Locator("tbody tr").EvaluateAllAsync<string[]>("rs => rs.map(r => r.dataset.meter)"));
        await page.GotoAsync($"/parks/{ParkA}/meters");
        await ShotAsync(page, "25-meters-zh");
        await page.GotoAsync($"/parks/{ParkA}/meters/grid");
        await ShotAsync(page, "26-meter-zh");
    }

    [Fact]
    public async Task A_data_entry_operator_records_a_replacement_and_fills_gaps_audited_as_themselves_and_a_reason_is_required()
    {
        var entry = await UserAsync(UserRole.DataEntry, ParkA);
        var page = await SignedInAsync(entry);
        // pdu1 (cumulative): 10 + 48 × 60 = 2,890 kWh at Feb 2 00:00; swapped at 00:30, the old register ending at 2,920.
        await page.GotoAsync($"/parks/{ParkA}/meters/pdu1");
        Assert.Equal(0, await page.GetByTestId("meter-form").CountAsync());          // data entry does not edit the registry …
        await page.GetByTestId("f-at").FillAsync("2025-02-02T00:30");                // … but records replacements
        await page.GetByTestId("f-old_final").FillAsync("2920");
        await page.GetByTestId("f-new_initial").FillAsync("0");
        await page.GetByTestId("replace-save").ClickAsync();
        Assert.Equal("必须填写原因（写入审计日志）", await page.GetByTestId("err-reason").InnerTextAsync());   // nothing recorded without a reason
        Assert.DoesNotContain(await fx.Store.Audit.AuditLogAsync(ParkA), a => a.Action == "replace");
        await page.GetByTestId("f-replace-reason").FillAsync("PDU 电表更换");
        await page.GetByTestId("replace-save").ClickAsync();
        Assert.Contains("2,920 kWh", await page.GetByTestId("dm-message").InnerTextAsync(), StringComparison.Ordinal);
        var replaced = Assert.Single(await fx.Store.Audit.AuditLogAsync(ParkA), a => a.Action == "replace");
        Assert.Equal((entry, "PDU 电表更换", "pdu1@2025-02-02T00:30:00+08:00", "2920", "0"), (replaced.User, replaced.Reason, replaced.EntityKey, replaced.OldValue, replaced.NewValue));

        // crah (interval, 5 kWh/h) misses 01:00 and 02:00 on Feb 2: filling writes the two estimated readings.
        var s = await fx.Store.Readings.IngestAsync(ParkA, [new ZeroPark.Metering.RawPoint("crah", new DateTimeOffset(2025, 2, 2, 3, 0, 0, TimeSpan.FromHours(8)), 5, 1)], new IngestSource("test", "gateway"));
        Assert.Equal(1, s.Accepted);
        await page.GotoAsync($"/parks/{ParkA}/meters/crah");
        Assert.Equal(0, await page.GetByTestId("replace-form").CountAsync());        // an interval meter has no register to replace
        await page.GetByTestId("f-fill_from").FillAsync("2025-02-02");
        await page.GetByTestId("f-fill_to").FillAsync("2025-02-02");
        await page.GetByTestId("fill-save").ClickAsync();
        Assert.StartsWith("已写入 2 条估算读数", await page.GetByTestId("dm-message").InnerTextAsync(), StringComparison.Ordinal);
        var crah = await fx.Store.Readings.MeterReadingsAsync(ParkA, "crah", new DateOnly(2025, 2, 2), new DateOnly(2025, 2, 2));
        Assert.Equal(2, crah.Count(r => (r.Flags & ZeroPark.Metering.ReadingFlags.Estimated) != 0));

        // Manual entry: without a reason the server refuses and names the field (the browser's own check taken away).
        await page.GotoAsync($"/parks/{ParkA}/readings?meter=crah&day=2025-02-02");
        Assert.Equal(2, await page.GetByTestId("day-readings").Locator("tr", new LocatorLocatorOptions { HasText = "估算" }).CountAsync());
        await page.GetByTestId("f-at").FillAsync("2025-02-02T04:00");
        await page.GetByTestId("f-value").FillAsync("5");
        await page.GetByTestId("f-reason").EvaluateAsync("e => e.removeAttribute('required')");
        await page.GetByTestId("entry-save").ClickAsync();
        Assert.Equal("必须填写原因（写入审计日志）", await page.GetByTestId("err-reason").InnerTextAsync());
        Assert.Contains("原因", await page.GetByTestId("dm-error").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("5", await page.GetByTestId("f-value").InputValueAsync());   // what was typed is kept
        await page.GetByTestId("f-reason").FillAsync("补录");
        await page.GetByTestId("entry-save").ClickAsync();
        Assert.Equal("accepted", await page.GetByTestId("entry-result").GetAttributeAsync("data-outcome"));
        Assert.Contains(await fx.Store.Audit.AuditLogAsync(ParkA), a => a.Action == "manual_entry" && a.User == entry && a.Reason == "补录" && a.EntityKey == "crah@2025-02-02T04:00:00+08:00");
    }

    [Fact]
    public async Task A_meters_csv_is_registered_all_or_nothing_and_its_errors_are_listed()
    {
        var page = await SignedInAsync(await UserAsync(UserRole.EnergyManager, ParkA));
        await page.GotoAsync($"/parks/{ParkA}/import");
        async Task UploadAsync(string csv)
        {
            await page.GetByTestId("what-meters").CheckAsync();
            await page.GetByTestId("import-file").SetInputFilesAsync(new FilePayload { Name = "meters.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
            await page.GetByTestId("import-submit").ClickAsync();
            await page.GetByTestId("meters-result").WaitForAsync();
        }
        await UploadAsync("code,name,carrier,kind,unit,space,system,role\nb1_lift,1号楼 电梯,electricity,interval,kWh,b1,aux.other,submeter\nb1_bad,坏行,electricity,sideways,kWh,b1,aux.other,submeter\n");
        Assert.Equal(1, await page.GetByTestId("meters-refused").CountAsync());
        var row = page.GetByTestId("rejected-table").Locator("tbody tr");
        Assert.Equal("3", await row.Locator("td").First.InnerTextAsync());
        Assert.Contains("kind", await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.False((await fx.Store.Registry.GetRegistryAsync(ParkA)).MetersByCode.ContainsKey("b1_lift"));   // all or nothing
        await UploadAsync("code,name,carrier,kind,unit,space,system,role\nb1_lift,1号楼 电梯,electricity,interval,kWh,b1,aux.other,submeter\n");
        Assert.Contains("1", await page.GetByTestId("meters-registered").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("1号楼 电梯", (await fx.Store.Registry.GetRegistryAsync(ParkA)).Meter("b1_lift").Name);
    }

    [Fact]
    public async Task A_user_granted_only_park_a_cannot_open_park_bs_data_pages_nor_its_api()
    {
        var manager = await UserAsync(UserRole.EnergyManager, ParkA);
        var page = await SignedInAsync(manager);
        foreach (var path in new[] { "registry", "meters", "meters/chiller", "meters/_new", "import", "readings", "readings?meter=chiller", "data" })
        {
            Assert.Equal(200, (await page.GotoAsync($"/parks/{ParkA}/{path}"))!.Status);
            Assert.Equal(404, (await page.GotoAsync($"/parks/{ParkB}/{path}"))!.Status);
        }
        Assert.Contains("页面不存在", await page.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);
        foreach (var api in new[] { "", "/meters", "/meters/chiller", "/spaces", "/quality?from=2025-02-01&to=2025-02-01", "/latest" })
        {
            Assert.Equal(200, (await page.Context.APIRequest.GetAsync($"/api/parks/{ParkA}{api}")).Status);
            Assert.Equal(404, (await page.Context.APIRequest.GetAsync($"/api/parks/{ParkB}{api}")).Status);
        }
        // A forged POST to park B's pages is a 404 as well (the park is not shown to exist), and changes nothing.
        await page.GotoAsync($"/parks/{ParkA}/registry");
        var token = await TokenAsync(page);
        var form = page.Context.APIRequest.CreateFormData();
        form.Set("__RequestVerificationToken", token);
        form.Set("name", "Hacked");
        Assert.Equal(404, (await page.Context.APIRequest.PostAsync($"/parks/{ParkB}/registry?handler=Park", new APIRequestContextOptions { Form = form, MaxRedirects = 0 })).Status);
        Assert.Equal("北京二号数据中心园区", (await fx.Store.Registry.GetParkAsync(ParkB)).Name);
        Assert.Equal(404, (await page.Context.APIRequest.PutAsync($"/api/parks/{ParkB}", new APIRequestContextOptions { DataObject = new { name = "Hacked" } })).Status);
    }

    [Fact]
    public async Task The_data_pages_switch_to_english_and_back()
    {
        var page = await SignedInAsync(await UserAsync(UserRole.EnergyManager, ParkA));
        await page.GotoAsync($"/parks/{ParkA}/meters?q=grid");
        Assert.Equal("计量表台账", await page.GetByTestId("tab-meters").InnerTextAsync());
        Assert.Contains("市电总输入", await page.GetByTestId("meters-table").InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByTestId("lang-switch").ClickAsync();
        await page.WaitForSelectorAsync("html[lang=en]");
        Assert.EndsWith($"/parks/{ParkA}/meters?q=grid", page.Url, StringComparison.Ordinal);
        Assert.Equal("Meters", await page.GetByTestId("tab-meters").InnerTextAsync());
        var table = await page.GetByTestId("meters-table").InnerTextAsync();
        Assert.Contains("Facility input", table, StringComparison.Ordinal);
        Assert.Contains("Cumulative register", table, StringComparison.Ordinal);
        Assert.Contains("2 Feb 2025 00:00:00", table, StringComparison.Ordinal);   // the latest reading, in English dates
        await ShotAsync(page, "27-meters-en");
        await page.GotoAsync($"/parks/{ParkA}/import");
        Assert.Equal("Upload and import", await page.GetByTestId("import-submit").InnerTextAsync());
        await page.GotoAsync($"/parks/{ParkA}/readings?meter=grid&day=2025-02-01");
        Assert.Contains("1 Feb 2025", await page.GetByTestId("day").InnerTextAsync(), StringComparison.Ordinal);
        // The grid register: 1000 at Jan 31 00:00, + 24 × 130 = 4,120 at Feb 1 00:00, + 140 = 4,260 at 01:00.
        var gridDay = await page.GetByTestId("day-readings").InnerTextAsync();
        Assert.Contains("4,120 kWh", gridDay, StringComparison.Ordinal);
        Assert.Contains("4,260 kWh", gridDay, StringComparison.Ordinal);
        await ShotAsync(page, "28-readings-en");
        await page.GetByTestId("lang-switch").ClickAsync();
        await page.WaitForSelectorAsync("html[lang=zh-CN]");
        Assert.Equal("手工录入与更正", await page.GetByTestId("tab-readings").InnerTextAsync());
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DataBrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser-data";
}

/// <summary>The data pages on SQLite, with screenshots.</summary>
[Collection(DataBrowserCollection.Name)]
public sealed class SqliteDataPagesBrowserTests(BrowserFixture fx) : DataPagesBrowserTests(fx)
{
    protected override bool Screenshots => true;
}

/// <summary>The browser fixture over a fresh PostgreSQL database (<c>ZEROPARK_TEST_PG</c>).</summary>
public sealed class PostgresBrowserFixture() : BrowserFixture(TestDatabases.NewPostgresDatabase())
{
    protected override async Task DropDatabaseAsync()
    {
        var name = new NpgsqlConnectionStringBuilder(Database).Database;
        NpgsqlConnection.ClearAllPools();
        await using var c = new NpgsqlConnection(TestDatabases.PostgresConnectionString);
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)";
        await cmd.ExecuteNonQueryAsync();
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PostgresDataBrowserCollection : ICollectionFixture<PostgresBrowserFixture>
{
    public const string Name = "browser-data-pg";
}

/// <summary>The data pages on PostgreSQL.</summary>
[Collection(PostgresDataBrowserCollection.Name)]
public sealed class PostgresDataPagesBrowserTests(PostgresBrowserFixture fx) : DataPagesBrowserTests(fx)
{
    protected override bool Screenshots => false;
}
