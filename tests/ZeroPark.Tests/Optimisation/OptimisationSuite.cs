using ZeroPark.Application;
using ZeroPark.Domain;
using ZeroPark.Application.EnergyManagement;
using ZeroPark.Application.Optimisation;
using ZeroPark.Application.Readings;
using ZeroPark.Application.Readings.Import;
using ZeroPark.Metering;
using ZeroPark.Optimisation;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.Optimisation;

/// <summary>Forecasts, backtests, drivers, suggestions and the efficiency report over <see cref="OptTestPark"/> (known drivers), on
/// SQLite and PostgreSQL (subclasses at the end).</summary>
public abstract class OptimisationSuite : IAsyncLifetime
{
    private const string Park = OptTestPark.Park;
    protected ZeroParkStore Store { get; private set; } = null!;
    protected abstract string NewDatabase();

    public async Task InitializeAsync()
    {
        Store = await ZeroParkStore.OpenAsync(NewDatabase());
        await OptTestPark.SeedAsync(Store);
    }

    public async Task DisposeAsync() => await Store.DisposeAsync();

    private ForecastService Forecasts => new(Store);

    [Fact]
    public async Task Daily_pue_is_the_kpi_definition_of_the_energy_service()
    {
        // Σ in / Σ it over a day = PUE_d of the generator; EnergyService (the one KPI definition) gives the same per day.
        var days = await new OptimisationData(Store).LoadAsync(Park, null, OptTestPark.First, OptTestPark.First.AddDays(9), Granularity.Day, default);
        var kpi = await new EnergyService(Store).KpiAsync(Park, null, OptTestPark.First, OptTestPark.First.AddDays(9), EnergyBucketing.Day);
        for (var d = 0; d < 10; d++)
        {
            Assert.Equal(OptTestPark.Day[d].Pue, days.Pue[d]!.Value, 9);
            Assert.Equal(kpi[d].Kpis.Pue!.Value, days.Pue[d]!.Value, 12);
            Assert.Equal(OptTestPark.Day[d].L, days.ItLoadRate[d]!.Value, 9);      // 24,000·L kWh / 24 h / 1,000 kW
            Assert.Equal(OptTestPark.Day[d].T, days.Temperature[d]!.Value, 9);
        }
    }

    [Fact]
    public async Task Drivers_recover_the_known_relation()
    {
        var r = await new DriverService(Store).AnalyseAsync(Park, null, "pue", OptTestPark.First, OptTestPark.Last,
            new Dictionary<string, double> { [Drivers.OutdoorTemperature] = 20, [Drivers.ItLoadRate] = 0.7 });
        Assert.Equal(120, r.Days);
        var temp = r.Coefficients.Single(c => c.Name == Drivers.OutdoorTemperature);
        var load = r.Coefficients.Single(c => c.Name == Drivers.ItLoadRate);
        // True 0.008 /°C and 0.15; noise 0.004 over 120 days: stated tolerances ±0.0005 and ±0.03, and the 95 % intervals hold the truth.
        Assert.InRange(temp.Estimate, 0.0075, 0.0085);
        Assert.InRange(load.Estimate, 0.12, 0.18);
        Assert.InRange(0.008, temp.Low95, temp.High95);
        Assert.InRange(0.15, load.Low95, load.High95);
        // Expected PUE at 20 °C, load 0.7: 1.10 + 0.16 + 0.105 = 1.365 (stated tolerance ±0.005), inside its 95 % interval.
        Assert.InRange(r.Expected!.Expected, 1.360, 1.370);
        Assert.InRange(1.365, r.Expected.Low95 - 0.002, r.Expected.High95 + 0.002);
        Assert.Equal(["2025-01", "2025-02", "2025-03", "2025-04"], r.Months.Select(m => m.Month));
        Assert.Contains(Drivers.ChilledWaterSupply, r.LeftOut.Keys);
        // A month's normalised PUE = its PUE − Σ weight × (its mean driver − reference).
        var jan = r.Months[0];
        var expected = jan.Actual!.Value - temp.Estimate * (jan.Drivers[Drivers.OutdoorTemperature] - r.Reference[Drivers.OutdoorTemperature])
                       - load.Estimate * (jan.Drivers[Drivers.ItLoadRate] - r.Reference[Drivers.ItLoadRate]);
        Assert.Equal(expected, jan.Normalised!.Value, 3);
        // January PUE = Σ in / Σ it over its 31 days (the KPI definition over the month).
        var janPue = Enumerable.Range(0, 31).Sum(d => OptTestPark.Day[d].L * OptTestPark.Day[d].Pue) / Enumerable.Range(0, 31).Sum(d => OptTestPark.Day[d].L);
        Assert.Equal(janPue, jan.Actual!.Value, 4);
    }

    [Fact]
    public async Task Backtests_score_the_held_out_days_against_the_seasonal_naive_baseline()
    {
        // Default window: the last 60 complete days (2025-03-02 … 2025-04-30), one origin a day.
        var day = await Forecasts.BacktestAsync(Park, null, ForecastTargets.FacilityEnergy, ForecastHorizon.Day);
        Assert.Equal(("2025-03-02", "2025-04-30", 60, 60 * 24), (day.From, day.To, day.Origins, day.Points));
        Assert.Equal(day.Mape < day.BaselineMape, day.ModelBeatsBaseline);
        Assert.Equal(day.ModelBeatsBaseline ? "model" : "baseline", day.Shown);
        Assert.Equal(24, day.ByLead.Count);
        var week = await Forecasts.BacktestAsync(Park, "b1", ForecastTargets.Pue, ForecastHorizon.Week);
        Assert.Equal(54 * 7 + 6 + 5 + 4 + 3 + 2 + 1, week.Points);          // the last six origins reach the end of the data
        Assert.NotNull(week.Mape);
        Assert.NotNull(week.BaselineMape);
        var narrow = await Forecasts.BacktestAsync(Park, null, ForecastTargets.ItLoad, ForecastHorizon.Day, new DateOnly(2025, 4, 1), new DateOnly(2025, 4, 10));
        Assert.Equal(240, narrow.Points);
        await Assert.ThrowsAsync<ValidationException>(() => Forecasts.BacktestAsync(Park, null, "steam", ForecastHorizon.Day));
    }

    [Fact]
    public async Task A_stored_forecast_is_compared_with_the_actuals_that_follow()
    {
        var run = await Forecasts.ForecastAsync(Park, null, ForecastTargets.ItLoad, ForecastHorizon.Day, true, "tester");
        Assert.True(run.Forecast.Id > 0);
        Assert.Equal(new DateTimeOffset(2025, 5, 1, 0, 0, 0, TimeSpan.FromHours(8)), run.Forecast.Origin);
        Assert.Equal(24, run.Forecast.Points.Count);
        Assert.All(run.Forecast.Points, p => Assert.Equal(run.Backtest.ModelBeatsBaseline ? p.Model : p.Baseline, p.Value));
        var stored = Assert.Single(await Store.Optimisation.ListForecastsAsync(Park));
        Assert.Equal((ForecastTargets.ItLoad, "day", "tester"), (stored.Target, stored.Horizon, stored.CreatedBy));
        Assert.Equal(0, (await Forecasts.CompareAsync(Park, stored.Id)).Shown.Points);   // no actuals yet
        // May 1st happens: IT 800 kWh every hour.
        var may1 = new DateTimeOffset(2025, 5, 1, 0, 0, 0, TimeSpan.FromHours(8));
        var points = Enumerable.Range(1, 24).Select(h => new RawPoint("it", may1.AddHours(h), 800, h)).ToList();
        Assert.Empty((await Store.Readings.IngestAsync(Park, points, new IngestSource("test", "tester"))).Rejected);
        var c = await Forecasts.CompareAsync(Park, stored.Id);
        Assert.Equal(24, c.Shown.Points);
        var mape = stored.Points.Average(p => Math.Abs(800 - p.Value!.Value) / 800) * 100;
        Assert.Equal(mape, c.Shown.Mape!.Value, 9);
    }

    [Fact]
    public async Task Suggestions_are_found_valued_and_kept_with_their_state()
    {
        var service = new SuggestionService(Store, new ZeroPark.Application.Carbon.CarbonService(Store), new ZeroPark.Application.Neutrality.MeasureService(Store, new ZeroPark.Application.Carbon.CarbonService(Store)));
        var a = await service.AnalyseAsync(Park, null, null, "tester");
        Assert.Equal(("2025-04-01", "2025-04-30"), (a.From, a.To));
        // Night base load of b1/aux.lighting: 4 kWh in hours 0–5 vs 10 kWh on working days 9–17 → limit 2.5, saving 1.5 × 6 = 9 kWh a day,
        // 270 kWh in the 30 days → × 365 / 30 = 3,285 kWh a year; all of it valley (0.30 CNY) → 985.5 CNY; × 0.6361 kg/kWh → 2.0896 t.
        var night = a.Found.Single(f => f.Kind == SuggestionKinds.NightBaseLoad);
        Assert.Equal("b1/aux.lighting", night.Subject);
        Assert.Equal(3285, night.SavingKwh, 6);
        Assert.Equal(Math.Round(3285 * 0.30), night.SavingCny!.Value, 6);
        Assert.Equal(Math.Round(3285 * 0.6361 / 1000, 3), night.SavingTco2e!.Value, 6);
        // Free cooling over the year to 2025-04-30 (the data's 120 days): chillers' energy on days at or below 5 °C, a linear share up to 10 °C.
        var fc = Enumerable.Range(0, OptTestPark.Days).Sum(d =>
        {
            var t = OptTestPark.Day[d].T;
            var share = t <= 5 ? 1 : t <= 10 ? (10 - t) / 5 : 0;
            return share * Enumerable.Range(0, 24).Sum(h => OptTestPark.Chiller(d, h));
        });
        Assert.Equal(Math.Round(fc, 1), a.Found.Single(f => f.Kind == SuggestionKinds.FreeCooling).SavingKwh, 6);
        // UPS: 105 in, 100 out → η 95.24 % < 97 %: (105 − 100 / 0.97) × 720 h × 365 / 30.
        Assert.Equal(Math.Round((105 - 100 / 0.97) * 720 * 365 / 30, 1), a.Found.Single(f => f.Kind == SuggestionKinds.UpsLowEfficiency).SavingKwh, 6);
        Assert.Contains(a.NotApplicable, n => n.StartsWith(SuggestionKinds.ChilledWaterSetpoint, StringComparison.Ordinal));

        var list = await Store.Optimisation.ListSuggestionsAsync(Park);
        Assert.All(list, s => Assert.Equal(SuggestionStatus.Open, s.Status));
        var n = list.Single(s => s.Kind == SuggestionKinds.NightBaseLoad);
        await Assert.ThrowsAsync<ValidationException>(() => service.RejectAsync(Park, n.Id, " ", "tester"));
        await Assert.ThrowsAsync<ValidationException>(() => service.SnoozeAsync(Park, n.Id, new DateOnly(2000, 1, 1), "tester"));
        await Assert.ThrowsAsync<NotFoundException>(() => service.AcceptAsync(Park, 999_999, null, "tester"));
        var accepted = await service.AcceptAsync(Park, n.Id, "M-2025-01", "manager");
        Assert.Equal((SuggestionStatus.Accepted, "M-2025-01", "manager"), (accepted.Status, accepted.Measure, accepted.UpdatedBy));
        // It is now a reduction measure of the neutrality module (issue 14), whose saving that module measures against the evidence window.
        var measure = (await Store.Neutrality.MeasuresAsync(Park)).Single(m => m.Code == "M-2025-01");
        Assert.Equal(("lighting", "suggestion", new DateOnly(2025, 4, 1), new DateOnly(2025, 4, 30)), (measure.Category, measure.Source, measure.BaselineFrom, measure.BaselineTo));
        Assert.Equal(["light"], measure.Boundary);
        Assert.Equal(Math.Round(Math.Round(3285 * 0.30) / 3285, 4), measure.PriceCnyPerKwh);
        await Assert.ThrowsAsync<ConflictException>(() => service.AcceptAsync(Park, n.Id, null, "manager"));
        var u = list.Single(s => s.Kind == SuggestionKinds.UpsLowEfficiency);
        var rejected = await service.RejectAsync(Park, u.Id, "ECO mode not allowed by the tenant SLA", "manager");
        Assert.Equal((SuggestionStatus.Rejected, "ECO mode not allowed by the tenant SLA"), (rejected.Status, rejected.Reason));
        var f = list.Single(s => s.Kind == SuggestionKinds.FreeCooling);
        var snoozed = await service.SnoozeAsync(Park, f.Id, new DateOnly(2099, 1, 1), "manager");
        Assert.Equal((SuggestionStatus.Snoozed, new DateOnly(2099, 1, 1)), (snoozed.Status, snoozed.SnoozedUntil));
        // A new analysis refreshes the evidence and keeps each state.
        await service.AnalyseAsync(Park, null, null, "tester");
        var again = await Store.Optimisation.ListSuggestionsAsync(Park);
        Assert.Equal(list.Count, again.Count);
        Assert.Equal(SuggestionStatus.Accepted, again.Single(s => s.Id == n.Id).Status);
        Assert.Equal(SuggestionStatus.Rejected, again.Single(s => s.Id == u.Id).Status);
        Assert.Equal(SuggestionStatus.Snoozed, again.Single(s => s.Id == f.Id).Status);
        Assert.Single(await Store.Optimisation.ListSuggestionsAsync(Park, SuggestionStatus.Accepted));
        var audit = await Store.Audit.AuditLogAsync(Park);
        Assert.Contains(audit, e => e.Action == "accept" && e.Entity == "suggestion" && e.User == "manager" && e.OldValue == "open" && e.NewValue == "accepted");
        Assert.Contains(audit, e => e.Action == "reject" && e.Reason == "ECO mode not allowed by the tenant SLA");
        Assert.Contains(audit, e => e.Action == "snooze" && e.NewValue == "snoozed until 2099-01-01");

        // The efficiency report: monthly PUE by the KPI definition, the accepted saving.
        var report = await new EfficiencyReportService(Store, new DriverService(Store), Forecasts).ReportAsync(Park, null, 2025);
        Assert.Equal(["2025-01", "2025-02", "2025-03", "2025-04"], report.Months.Select(m => m.Month));
        var aprDays = Enumerable.Range(90, 30).ToList();
        Assert.Equal(Math.Round(aprDays.Sum(d => OptTestPark.Day[d].L * OptTestPark.Day[d].Pue) / aprDays.Sum(d => OptTestPark.Day[d].L), 4), report.Months[3].Pue!.Value, 6);
        var all = Enumerable.Range(0, 120).ToList();
        Assert.Equal(Math.Round(all.Sum(d => OptTestPark.Day[d].L * OptTestPark.Day[d].Pue) / all.Sum(d => OptTestPark.Day[d].L), 4), report.YearPue!.Value, 6);
        Assert.Equal(3285, report.AcceptedSavingKwh, 6);
        var sheets = EfficiencyReportService.Sheets(report);
        Assert.Equal(["months", "year", "drivers", "forecasts", "suggestions"], sheets.Select(s => s.Name));
        Assert.Equal(4, sheets[0].Rows.Count);
    }

    [Fact]
    public async Task Over_cooled_rooms_one_room_below_the_target_is_found_and_valued()
    {
        await RoomTestPark.SeedAsync(Store, "rooms");
        var carbon = new ZeroPark.Application.Carbon.CarbonService(Store);
        var service = new SuggestionService(Store, carbon, new ZeroPark.Application.Neutrality.MeasureService(Store, carbon));
        var a = await service.AnalyseAsync("rooms", null, null, "tester");
        Assert.Equal(("2025-06-01", "2025-06-30"), (a.From, a.To));
        // Room 1: hourly inlet = the warmer aisle (A): 18 °C × 360 h, 20 °C × 360 h (the return-air gauge at 30 °C is no inlet). P90 (nearest
        // rank ⌈0.9 × 720⌉ = 648) = 20 °C < 24 − 2 = 22 °C → over-cooled; mean 19 °C; all 720 hours below 22 °C, none below 18 °C.
        // Raise 24 − 20 = 4 K × 3 %/K = 12 % of the room's cooling, 30 × 60 / 100 = 18 kWh/h → 2.16 kWh/h × 720 h = 1,555.2 kWh in the window,
        // × 365 / 30 = 18,921.6 kWh a year; × 0.6361 kg/kWh = 12.036 t; CNY a day 2.16 × (8 × 0.30 + 9 × 0.65 + 7 × 1.05 = 15.6) = 33.696,
        // × 30 × 365 / 30 = 12,299 CNY a year. Room 2: P90 25 °C ≥ 22 °C → nothing.
        var room = Assert.Single(a.Found, f => f.Kind == SuggestionKinds.OverCooledRoom);
        Assert.Equal("b1-f1-r1", room.Subject);
        Assert.Equal(18921.6, room.SavingKwh, 6);
        Assert.Equal(12.036, room.SavingTco2e!.Value, 6);
        Assert.Equal(12299, room.SavingCny!.Value, 6);
        Assert.Equal((19.0, 20.0, 720.0, 720.0, 0.0, 4.0, 0.12), (room.Figures["mean_c"], room.Figures["p90_c"], room.Figures["hours"],
            room.Figures["hours_below_threshold"], room.Figures["hours_below_18c"], room.Figures["raise_k"], room.Figures["saving_share"]));
        Assert.Equal(12960, room.Figures["room_cooling_kwh"], 6);
        Assert.StartsWith("cold-aisle inlet (r1_inlet_a, r1_inlet_b) averaged 19.0 °C over 720 hours (90th percentile 20.0 °C; 720 hours below 22 °C", room.Evidence);

        // Accepted, it is a reduction measure on the building's cooling meters.
        var stored = (await Store.Optimisation.ListSuggestionsAsync("rooms")).Single(s => s.Kind == SuggestionKinds.OverCooledRoom);
        await service.AcceptAsync("rooms", stored.Id, "M-ROOM-1", "manager");
        var measure = (await Store.Neutrality.MeasuresAsync("rooms")).Single(m => m.Code == "M-ROOM-1");
        Assert.Equal(["crah"], measure.Boundary);
        Assert.Equal("airflow", measure.Category);

        // The park's settings: target 23 °C → threshold 21 °C, raise 23 − 20 = 3 K × 3 % = 9 % → 0.09 × 18 × 720 × 365 / 30 = 14,191.2 kWh a year.
        Assert.Equal(OptimisationSettings.Default, await Store.Optimisation.SettingsAsync("rooms"));
        var ex = await Assert.ThrowsAsync<ValidationException>(() => Store.Optimisation.SetSettingsAsync("rooms", 30, null, null, "manager"));
        Assert.Equal("room_target_c", ex.Field);
        var set = await Store.Optimisation.SetSettingsAsync("rooms", 23, null, null, "manager");
        Assert.Equal(new OptimisationSettings(23, 2, 0.03), set);
        var b = await service.AnalyseAsync("rooms", null, null, "tester");
        Assert.Equal(14191.2, b.Found.Single(f => f.Kind == SuggestionKinds.OverCooledRoom).SavingKwh, 6);
        Assert.Contains(await Store.Audit.AuditLogAsync("rooms"), e => e.Entity == "optimisation_setting" && e.OldValue == "24" && e.NewValue == "23");
        // Target 21 °C → threshold 19 °C: room 1's P90 of 20 °C is not over-cooled any more.
        await Store.Optimisation.SetSettingsAsync("rooms", 21, null, null, "manager");
        Assert.DoesNotContain((await service.AnalyseAsync("rooms", null, null, "tester")).Found, f => f.Kind == SuggestionKinds.OverCooledRoom);
    }

    [Fact]
    public async Task Room_air_takes_gauges_only_and_a_park_without_room_gauges_says_so()
    {
        var ex = await Assert.ThrowsAsync<ValidationException>(() => Store.Registry.CreateMetersAsync(Park,
            [new MeterDraft("room_kwh", "room", "room_air", "interval", "kWh")]));
        Assert.Equal("unit", ex.Field);
        var carbon = new ZeroPark.Application.Carbon.CarbonService(Store);
        var a = await new SuggestionService(Store, carbon, new ZeroPark.Application.Neutrality.MeasureService(Store, carbon)).AnalyseAsync(Park, null, null, "tester");
        Assert.Contains(a.NotApplicable, n => n.StartsWith(SuggestionKinds.OverCooledRoom + ": no cold-aisle temperature gauge", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Room_gauges_import_from_the_meters_and_readings_files_like_every_gauge()
    {
        await Store.Registry.CreateParkAsync(new ParkDraft("rg", "Room gauge park"));
        await Store.Registry.CreateSpaceAsync("rg", new SpaceDraft("b1", "building 1", null));
        await Store.Registry.CreateSpaceAsync("rg", new SpaceDraft("b1-f1", "floor 1", "b1"));
        await Store.Registry.CreateSpaceAsync("rg", new SpaceDraft("b1-f1-r1", "room 1", "b1-f1"));
        // The example of docs/import-formats.md; a room_air meter of another kind is refused, naming its line and field.
        var bad = MeterFileParser.Parse(Utf8("code,name,carrier,kind,unit,space\nr_kwh,room,room_air,interval,kWh,b1-f1-r1\n")).Errors;
        Assert.Equal(2, Assert.Single(bad).Line);
        Assert.Contains("unit: 'kWh' does not fit carrier room_air", bad[0].Reason, StringComparison.Ordinal);
        var meters = await FileImport.ImportMetersAsync(Store, "rg", Utf8("""
            code,name,carrier,kind,unit,space,interval_minutes
            b1_f1_r1_t_inlet,1号楼1层1号包间 冷通道温度,room_air,gauge,°C,b1-f1-r1,15
            b1_f1_r1_rh,1号楼1层1号包间 相对湿度,room_air,gauge,%RH,b1-f1-r1,15
            """), "tester");
        Assert.Equal(2, meters.Registered);
        var reg = await Store.Registry.GetRegistryAsync("rg");
        Assert.True(RoomAirGauges.IsInlet(reg.Meter("b1_f1_r1_t_inlet")));
        Assert.True(RoomAirGauges.IsHumidity(reg.Meter("b1_f1_r1_rh")));
        Assert.Equal("b1-f1-r1", reg.SpacesById[reg.Meter("b1_f1_r1_t_inlet").SpaceId!.Value.Value].Code);
        // Readings: the hour 10–11 averages (19 + 20 + 21) / 3 = 20 °C; humidity (40 + 50) / 2 = 45 %.
        var r = await FileImport.ImportReadingsAsync(Store, "rg", Utf8("""
            meter,timestamp,value
            b1_f1_r1_t_inlet,2025-06-01T10:15:00+08:00,19
            b1_f1_r1_t_inlet,2025-06-01T10:30:00+08:00,20
            b1_f1_r1_t_inlet,2025-06-01T10:45:00+08:00,21
            b1_f1_r1_rh,2025-06-01T10:15:00+08:00,40
            b1_f1_r1_rh,2025-06-01T10:30:00+08:00,50
            """), "rooms.csv", null, "tester");
        Assert.Equal(5, r.Accepted);
        var day = new DateOnly(2025, 6, 1);
        var t = await Store.Queries.SeriesAsync("rg", SeriesTarget.Meter("b1_f1_r1_t_inlet"), day, day, Granularity.Hour);
        Assert.Equal(("°C", 20.0), (t.Unit, t.Buckets[10].Value!.Value));
        Assert.Equal(45, (await Store.Queries.SeriesAsync("rg", SeriesTarget.Meter("b1_f1_r1_rh"), day, day, Granularity.Day)).Buckets[0].Value!.Value, 9);
    }

    private static MemoryStream Utf8(string s) => new(System.Text.Encoding.UTF8.GetBytes(s.Replace("\r", "")));

    [Fact]
    public async Task The_outlook_projects_next_year_from_the_last_months()
    {
        // Four complete months (Jan–Apr 2025) and no year before: no growth; 2026-01 = January 2025's facility energy.
        var o = await new OutlookService(Store, new ZeroPark.Application.Carbon.CarbonService(Store)).OutlookAsync(Park, null, 2026);
        var jan = Enumerable.Range(0, 31).Sum(d => Enumerable.Range(0, 24).Sum(h => OptTestPark.It(d, h) * OptTestPark.Day[d].Pue));
        Assert.Equal(0, o.Growth);
        Assert.Equal(Math.Round(jan, 1), o.Months[0].FacilityKwh!.Value, 6);
        Assert.Equal("2025-01", o.Months[0].BasisMonth);
        Assert.Equal(Math.Round(jan * 0.6361 / 1000, 3), o.Months[0].Tco2e!.Value, 3);
        Assert.Null(o.Months[4].FacilityKwh);          // no May yet
        Assert.Null(o.FacilityKwh);
        Assert.Contains(o.Notes, n => n.StartsWith("growth:", StringComparison.Ordinal));
    }
}

public sealed class SqliteOptimisationTests : OptimisationSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

public sealed class PostgresOptimisationTests : OptimisationSuite
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL optimisation tests need ZEROPARK_TEST_PG; run ./scripts/test.sh (it starts a server on 127.0.0.1)")
        : TestDatabases.NewPostgresDatabase();
}
