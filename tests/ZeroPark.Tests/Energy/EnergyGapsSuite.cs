using ZeroPark.Metering;
using ZeroPark.Application;
using ZeroPark.Application.EnergyManagement;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.EnergyManagement;

/// <summary>CER, water and heat flows, losses by voltage level, month-on-month / year-on-year of KPIs and cost, and the group plan
/// decomposition, on SQLite and on a real PostgreSQL (the subclasses at the end). Expected values are worked out by hand in the
/// comments from the test parks' meters (<see cref="EnergyTestPark"/>, <see cref="PlanTestPark"/>, <see cref="TariffTestData"/>).</summary>
public abstract class EnergyGapsSuite : IAsyncLifetime
{
    private const string Park = "e1";
    private static readonly DateOnly Jan31 = EnergyTestPark.Jan31;
    private static readonly DateOnly Feb1 = EnergyTestPark.Feb1;

    protected ZeroParkStore Store { get; private set; } = null!;
    private EnergyService Service => new(Store);

    protected abstract string NewDatabase();

    public async Task InitializeAsync() => Store = await ZeroParkStore.OpenAsync(NewDatabase());

    public async Task DisposeAsync() => await Store.DisposeAsync();

    private static void Near(double expected, double? actual, double tolerance = 1e-6) => EnergyAssert.Near(expected, actual, tolerance);

    private static void HasNote(IReadOnlyList<string> notes, string contains) => EnergyAssert.HasNote(notes, contains);

    /// <summary>Adds interval meters with a constant value every hour of Jan 31 and Feb 1 (48 readings) to the seeded test park.</summary>
    private async Task AddHourlyAsync(params (MeterDraft Meter, double PerHour)[] meters)
    {
        await Store.Registry.CreateMetersAsync(Park, meters.Select(m => m.Meter with { IntervalMinutes = 60 }).ToList());
        var points = new List<RawPoint>();
        var line = 0;
        for (var h = 1; h <= 48; h++)
            foreach (var (m, v) in meters)
                points.Add(new RawPoint(m.Code, EnergyTestPark.T0.AddHours(h), v, ++line));
        Assert.Empty((await Store.Readings.IngestAsync(Park, points, new IngestSource("test", "tester"))).Rejected);
    }

    private static MeterDraft Cload => new("cload", "chilled-water heat meter", "chilled_water", "interval", "kWh") { SystemCode = "cooling", SpaceCode = "b1" };

    // ------------------------------------------------------------------ CER

    [Fact]
    public async Task CER_is_the_cooling_load_over_the_cooling_energy()
    {
        await EnergyTestPark.SeedAsync(Store, Park);
        // Without a cooling-load meter: CER null, with the reason.
        var before = Assert.Single(await Service.KpiAsync(Park, null, Jan31, Jan31, EnergyBucketing.Day));
        Assert.Null(before.Kpis.Cer);
        HasNote(before.Notes, "cer: the cooling load (heat removed by the cooling system) is not known");
        Assert.DoesNotContain(before.Notes, n => n.StartsWith("cooling_load:", StringComparison.Ordinal));

        // A chilled-water heat meter in b1 (system cooling) shows 105 kWh thermal every hour: 24 × 105 = 2,520 kWh a day.
        await AddHourlyAsync((Cload, 105));
        var rows = await Service.KpiAsync(Park, null, Jan31, Feb1, EnergyBucketing.Day);
        // Jan 31: cooling electricity 24 × (20 + 5) = 600 → CER = 2,520 / 600 = 4.2. Feb 1: 24 × (30 + 5) = 840 → 2,520 / 840 = 3.
        Near(2520, rows[0].Kpis.Inputs.HeatRemoved?.KilowattHours);
        Near(4.2, rows[0].Kpis.Cer);
        Near(3.0, rows[1].Kpis.Cer);
        Assert.DoesNotContain(rows[0].Notes, n => n.StartsWith("cer:", StringComparison.Ordinal));
        // The chilled water is thermal energy: it changes no electricity figure (PUE 1.35 and the closed balance as before).
        Near(1.35, rows[0].Kpis.Pue);
        Near(0, rows[0].Kpis.Unmetered?.KilowattHours);
        var view = KpiRowView.From(rows[0]);
        Assert.Equal(4.2, view.Cer);
        Assert.Equal(2520, view.Inputs.CoolingLoadKwh);
        Assert.Equal(100, view.CompletenessByInput["cooling_load"]);
        // Room b1-r1 has no cooling-load meter: null again.
        Assert.Null(Assert.Single(await Service.KpiAsync(Park, "b1-r1", Jan31, Jan31, EnergyBucketing.Day)).Kpis.Cer);
    }

    // ------------------------------------------------------------------ water and heat flows

    [Fact]
    public async Task Water_flow_from_the_water_inputs_to_their_uses_with_the_remainder_explicit()
    {
        await EnergyTestPark.SeedAsync(Store, Park);
        // The test park alone: make-up water 'water' (water_input, system cooling.tower) +0.15 m³/h = 3.6 m³ on Jan 31, all to the towers.
        var flow = FlowView.From(Assert.Single(await Service.WaterFlowAsync(Park, null, Jan31, Jan31, EnergyBucketing.Day)));
        Assert.Equal(("water", "m3"), (flow.Carrier, flow.Unit));
        Assert.Equal(3.6, flow.Links.Single(l => l.Source == "water:water" && l.Target == "water").Value, 6);
        Assert.Equal(3.6, flow.Links.Single(l => l.Source == "water" && l.Target == "use:cooling.tower").Value, 6);
        Assert.True(flow.Balanced);
        Assert.Equal(0, flow.Unmetered);
        Assert.Null(flow.InputKwh);

        // A main water meter without a system (0.5 m³/h) and an office sub-meter (aux.office, 0.05 m³/h) in b1.
        await AddHourlyAsync(
            (new MeterDraft("w_main", "main water", "water", "interval", "m3") { Role = "water_input", SpaceCode = "b1" }, 0.5),
            (new MeterDraft("w_office", "office water", "water", "interval", "m3") { SystemCode = "aux.office", SpaceCode = "b1" }, 0.05));
        // Jan 31: input 24 × (0.15 + 0.5) = 15.6 m³; uses: towers 3.6 (their dedicated make-up meter), office 24 × 0.05 = 1.2;
        // unmetered 15.6 − 3.6 − 1.2 = 10.8 m³ (69.23 % of the input): does not balance.
        var w = Assert.Single(await Service.WaterFlowAsync(Park, null, Jan31, Jan31, EnergyBucketing.Day));
        Near(15.6, w.Input?.CubicMetres);
        Near(4.8, w.Metered?.CubicMetres);
        Near(10.8, w.Unmetered?.CubicMetres);
        Assert.False(w.Balanced);
        Near(12.0, w.Links.Single(l => l.Source == "water:w_main").Volume.CubicMetres);
        Near(1.2, w.Links.Single(l => l.Target == "use:aux.office").Volume.CubicMetres);
        Near(10.8, w.Links.Single(l => l.Target == "unmetered").Volume.CubicMetres);
        Assert.Equal("unmetered", w.Nodes.Single(n => n.Id == "unmetered").Kind);
        HasNote(w.Notes, "balance: 10.8 m³ (69.23 % of the input) reaches no metered use");
        // Both days in total: twice as much.
        var total = Assert.Single(await Service.WaterFlowAsync(Park, null, Jan31, Feb1, EnergyBucketing.Total));
        Near(31.2, total.Input?.CubicMetres);
        Near(21.6, total.Unmetered?.CubicMetres);
    }

    [Fact]
    public async Task Heat_flow_from_the_cooling_load_to_reused_and_rejected_heat()
    {
        await EnergyTestPark.SeedAsync(Store, Park);
        // No cooling-load meter: the source is the IT electricity (24 × 100 = 2,400 kWh on Jan 31), with a note; reused heat
        // 24 × 10 = 240 kWh (0.036 GJ/h); rejected 2,400 − 240 = 2,160 kWh, explicit.
        var heat = Assert.Single(await Service.HeatFlowAsync(Park, null, Jan31, Jan31, EnergyBucketing.Day));
        Assert.Equal("heat", heat.Carrier);
        Near(2400, heat.Links.Single(l => l.Source == "it_heat").Energy.KilowattHours);
        Near(240, heat.Links.Single(l => l.Target == "reused:heat").Energy.KilowattHours);
        Near(2160, heat.Links.Single(l => l.Target == "rejected").Energy.KilowattHours);
        Near(2160, heat.Unmetered?.KilowattHours);
        Assert.False(heat.Balanced);
        HasNote(heat.Notes, "heat: no cooling-load reading under 'e1'");
        HasNote(heat.Notes, "balance: 2,160 kWh (90 % of the heat) is not reused");

        // With the cooling-load meter (2,520 kWh a day) that is the source: rejected 2,520 − 240 = 2,280 kWh.
        await AddHourlyAsync((Cload, 105));
        var flows = await Service.FlowViewsAsync(Park, null, Jan31, Jan31, EnergyBucketing.Day, "heat");
        var f = Assert.Single(flows);
        Assert.Equal(("heat", "kWh"), (f.Carrier, f.Unit));
        Assert.Equal(2520, f.Links.Single(l => l.Source == "cooling_load").Value, 6);
        Assert.Equal(2280, f.Links.Single(l => l.Target == "rejected").Value, 6);
        Assert.Equal(2520, f.Input);
        Assert.Equal(240, f.Metered);
        Assert.DoesNotContain(f.Notes, n => n.StartsWith("heat:", StringComparison.Ordinal));
        // Building b1 has the cooling load but not the (park-level) reused-heat meter: all 2,520 kWh are rejected.
        var b1 = Assert.Single(await Service.HeatFlowAsync(Park, "b1", Jan31, Jan31, EnergyBucketing.Day));
        Near(2520, b1.Unmetered?.KilowattHours);
        HasNote(b1.Notes, "reused: no reused_heat meter under 'b1'");
        // The electricity flow is unchanged by the carrier switch; an unknown carrier is refused naming the field.
        Assert.Equal("electricity", Assert.Single(await Service.FlowViewsAsync(Park, null, Jan31, Jan31, EnergyBucketing.Day, null)).Carrier);
        var v = await Assert.ThrowsAsync<ValidationException>(() => Service.FlowViewsAsync(Park, null, Jan31, Jan31, EnergyBucketing.Day, "steam"));
        Assert.Equal("carrier", v.Field);
    }

    // ------------------------------------------------------------------ losses by voltage level

    [Fact]
    public async Task Power_losses_by_voltage_level()
    {
        await EnergyTestPark.SeedAsync(Store, Park);
        // Jan 31: transformer loss tx_loss = grid − tx_lv = 24 × 3 = 72 kWh → 10 kV; UPS loss ups_in − ups_out = 24 × 5 = 120 → 0.4 kV.
        // Shares of the 192 kWh: 72 / 192 = 37.5 %, 120 / 192 = 62.5 %.
        var e = await new DeviceAnalysisService(Store).EquipmentAsync(Park, null, "power", Jan31, Jan31, AnalysisBucketing.Total);
        var levels = e.VoltageLevels;
        Assert.Equal(["10kv", "0.4kv"], levels.Select(l => l.Level));
        Near(72, levels[0].Kwh);
        Near(37.5, levels[0].SharePct);
        Assert.Equal(["transformer"], levels[0].Types);
        Near(120, levels[1].Kwh);
        Near(62.5, levels[1].SharePct);
        Assert.Equal(["ups"], levels[1].Types);
        // By day over both days: the same split each day (the losses do not change).
        var daily = (await new DeviceAnalysisService(Store).EquipmentAsync(Park, null, "power", Jan31, Feb1, AnalysisBucketing.Day)).VoltageLevels;
        Assert.Equal(4, daily.Count);
        // Cooling has no voltage levels.
        Assert.Empty((await new DeviceAnalysisService(Store).EquipmentAsync(Park, null, "cooling", Jan31, Jan31, AnalysisBucketing.Total)).VoltageLevels);
        // A device text naming the level overrides the class.
        Assert.Equal("10kv", DeviceAnalysisService.VoltageLevelOf(Meter("10 kV 开关柜"), "other"));
        Assert.Equal("0.4kv", DeviceAnalysisService.VoltageLevelOf(Meter("低压配电"), "transformer"));
        Assert.Equal("0.4kv", DeviceAnalysisService.VoltageLevelOf(Meter(null), "hvdc"));
        static ZeroPark.Domain.Meter Meter(string? device) => new()
        {
            Id = new ZeroPark.Domain.MeterId(1), ParkId = new ZeroPark.Domain.ParkId(1), Code = "m", Name = "m", Carrier = ZeroPark.Domain.Carrier.Electricity,
            Kind = ZeroPark.Domain.MeterKind.Interval, Unit = "kWh", Device = device,
        };
    }

    // ------------------------------------------------------------------ month-on-month and year-on-year

    [Fact]
    public async Task Breakdown_by_month_takes_earlier_months_from_its_own_rows_and_reads_the_others()
    {
        await PlanTestPark.SeedAsync(Store);
        var p = PlanTestPark.Park;
        // b1: grid 1,300 kWh a day in 2025 and 1,400 in 2024; IT 1,000 a day. 2025-01..06 by month: the previous month of
        // February to June is a row of the query; December 2024 and the months of 2024 are read (one monthly read of 2024).
        var rows = await BreakdownComparison.BreakdownAsync(Service, p, "b1", new DateOnly(2025, 1, 1), new DateOnly(2025, 6, 30),
            EnergyBucketing.Month, false);
        Assert.Equal(6, rows.Count);
        // January 2025: 1,300 × 31 = 40,300 against December 2024 and January 2024, both 1,400 × 31 = 43,400: −7.14 %.
        Assert.Equal(new DateTimeOffset(2024, 12, 1, 0, 0, 0, TimeSpan.FromHours(8)), rows[0].Mom!.Start);
        Assert.Equal((43_400.0, -7.14), (rows[0].Mom!.TotalKwh!.Value, rows[0].Mom!.ChangePct["total"]!.Value));
        Assert.Equal((43_400.0, -7.14), (rows[0].Yoy!.TotalKwh!.Value, rows[0].Yoy!.ChangePct["total"]!.Value));
        // March 2025: 40,300 against February 2025 (1,300 × 28 = 36,400: +10.71 %) and March 2024 (43,400: −7.14 %).
        Assert.Equal((36_400.0, 10.71), (rows[2].Mom!.TotalKwh!.Value, rows[2].Mom!.ChangePct["total"]!.Value));
        Assert.Equal((43_400.0, -7.14), (rows[2].Yoy!.TotalKwh!.Value, rows[2].Yoy!.ChangePct["total"]!.Value));
        // IT: 31,000 against 28,000 (+10.71 %) and 31,000 (0 %).
        Assert.Equal((10.71, 0.0), (rows[2].Mom!.ChangePct["it"]!.Value, rows[2].Yoy!.ChangePct["it"]!.Value));
        // June 2025: 1,300 × 30 = 39,000 against May 2025 (40,300: −3.23 %) and June 2024 (1,400 × 30 = 42,000: −7.14 %).
        Assert.Equal(new DateTimeOffset(2025, 5, 1, 0, 0, 0, TimeSpan.FromHours(8)), rows[5].Mom!.Start);
        Assert.Equal((40_300.0, -3.23), (rows[5].Mom!.TotalKwh!.Value, rows[5].Mom!.ChangePct["total"]!.Value));
        Assert.Equal((42_000.0, -7.14), (rows[5].Yoy!.TotalKwh!.Value, rows[5].Yoy!.ChangePct["total"]!.Value));
        // The same figures as a one-month query (compared with total reads of the earlier months).
        var june = Assert.Single(await BreakdownComparison.BreakdownAsync(Service, p, "b1", new DateOnly(2025, 6, 1), new DateOnly(2025, 6, 30),
            EnergyBucketing.Month, false));
        Assert.Equal(rows[5].Mom!.ChangePct, june.Mom!.ChangePct);
        Assert.Equal(rows[5].Yoy!.ChangePct, june.Yoy!.ChangePct);
    }

    [Fact]
    public async Task KPI_month_on_month_and_year_on_year()
    {
        await PlanTestPark.SeedAsync(Store);
        var p = PlanTestPark.Park;
        // b1, March–May 2025, by month. b1_in 1,300 kWh a day in 2025 and 1,400 in 2024; IT 1,000 a day; water 2 m³ a day.
        var rows = await PeriodComparison.KpiAsync(Service, p, "b1", new DateOnly(2025, 3, 1), new DateOnly(2025, 5, 31), EnergyBucketing.Month);
        Assert.Equal(3, rows.Count);
        var mar = rows[0];
        // March 2025: E_DC 1,300 × 31 = 40,300, PUE 1.3. MoM = February 2025 (whole month): 1,300 × 28 = 36,400, PUE 1.3:
        // total +(40,300 − 36,400) / 36,400 = +10.71 %, PUE 0 %. YoY = March 2024: 1,400 × 31 = 43,400, PUE 1.4:
        // total (40,300 − 43,400) / 43,400 = −7.14 %, PUE (1.3 − 1.4) / 1.4 = −7.14 %; WUE 2,000 L / 1,000 kWh = 2 both years: 0 %.
        Assert.Equal("previous_month", mar.Mom!.Basis);
        Assert.Equal(new DateTimeOffset(2025, 2, 1, 0, 0, 0, TimeSpan.FromHours(8)), mar.Mom.Start);
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.FromHours(8)), mar.Mom.End);
        Assert.Equal(36_400, mar.Mom.Values["total_kwh"]);
        Assert.Equal(1.3, mar.Mom.Values["pue"]);
        Assert.Equal(10.71, mar.Mom.ChangePct["total_kwh"]);
        Assert.Equal(0, mar.Mom.ChangePct["pue"]);
        Assert.Equal("previous_year", mar.Yoy!.Basis);
        Assert.Equal(43_400, mar.Yoy.Values["total_kwh"]);
        Assert.Equal(1.4, mar.Yoy.Values["pue"]);
        Assert.Equal(-7.14, mar.Yoy.ChangePct["total_kwh"]);
        Assert.Equal(-7.14, mar.Yoy.ChangePct["pue"]);
        Assert.Equal(0, mar.Yoy.ChangePct["wue"]);
        // CER has no cooling-load meter in either period: both null, so no change and no note about it.
        Assert.Null(mar.Yoy.ChangePct["cer"]);
        Assert.DoesNotContain(mar.Notes, n => n.StartsWith("yoy:", StringComparison.Ordinal));
        // May 2025 of b2: PUE 1,800 / 1,000 = 1.8 against April 2025 and May 2024, both 1,400 / 1,000 = 1.4: +28.57 %.
        var may = (await PeriodComparison.KpiAsync(Service, p, "b2", new DateOnly(2025, 5, 1), new DateOnly(2025, 5, 31), EnergyBucketing.Month)).Single();
        Assert.Equal(28.57, may.Mom!.ChangePct["pue"]);
        Assert.Equal(28.57, may.Yoy!.ChangePct["pue"]);

        // The first month with data: December 2023 and January 2023 have no readings: every change null, with notes.
        var jan24 = (await PeriodComparison.KpiAsync(Service, p, "b1", new DateOnly(2024, 1, 1), new DateOnly(2024, 1, 31), EnergyBucketing.Month)).Single();
        Assert.All(jan24.Mom!.ChangePct.Values, Assert.Null);
        Assert.All(jan24.Yoy!.ChangePct.Values, Assert.Null);
        Assert.Null(jan24.Yoy.Values["pue"]);
        HasNote(jan24.Notes, "mom: no data for 2023-12-01..2023-12-31; the month-on-month changes are null");
        HasNote(jan24.Notes, "yoy: no data for 2023-01-01..2023-01-31; the year-on-year changes are null");

        // A month cut by the range compares the same local dates: 2025-03-10..20 (11 days, 14,300 kWh) against 2025-02-10..20 (the
        // same 14,300: 0 %) and 2024-03-10..20 (1,400 × 11 = 15,400: −7.14 %).
        var cut = (await PeriodComparison.KpiAsync(Service, p, "b1", new DateOnly(2025, 3, 10), new DateOnly(2025, 3, 20), EnergyBucketing.Month)).Single();
        Assert.Equal(new DateTimeOffset(2025, 2, 10, 0, 0, 0, TimeSpan.FromHours(8)), cut.Mom!.Start);
        Assert.Equal(new DateTimeOffset(2025, 2, 21, 0, 0, 0, TimeSpan.FromHours(8)), cut.Mom.End);
        Assert.Equal(0, cut.Mom.ChangePct["total_kwh"]);
        Assert.Equal(15_400, cut.Yoy!.Values["total_kwh"]);
        Assert.Equal(-7.14, cut.Yoy.ChangePct["total_kwh"]);

        // 18 months by month (2024-01..2025-06): most earlier months are rows of the query itself (2025-03's are 2025-02 and
        // 2024-03) and are taken from it; only 2023-01..2023-12 are read. The figures are those of the one-month queries above.
        var all = await PeriodComparison.KpiAsync(Service, p, "b1", PlanTestPark.First, PlanTestPark.Last, EnergyBucketing.Month);
        Assert.Equal(18, all.Count);
        Assert.Equal(10.71, all[14].Mom!.ChangePct["total_kwh"]);                 // 2025-03
        Assert.Equal(-7.14, all[14].Yoy!.ChangePct["total_kwh"]);
        // January 2025 (40,300) against December 2024 (1,400 × 31 = 43,400): −7.14 %.
        Assert.Equal(43_400, all[12].Mom!.Values["total_kwh"]);
        Assert.Equal(-7.14, all[12].Mom!.ChangePct["total_kwh"]);
        // By year: only yoy. 2025-01-01..06-30: 1,300 × 181 = 235,300 against 2024-01-01..06-30: 1,400 × 182 (leap year) = 254,800:
        // (235,300 − 254,800) / 254,800 = −7.65 %.
        var year = (await PeriodComparison.KpiAsync(Service, p, "b1", new DateOnly(2025, 1, 1), new DateOnly(2025, 6, 30), EnergyBucketing.Year)).Single();
        Assert.Null(year.Mom);
        Assert.Equal(254_800, year.Yoy!.Values["total_kwh"]);
        Assert.Equal(-7.65, year.Yoy.ChangePct["total_kwh"]);
        // By day: no comparison.
        Assert.All(await PeriodComparison.KpiAsync(Service, p, "b1", new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 2), EnergyBucketing.Day),
            r => Assert.True(r.Mom is null && r.Yoy is null));
    }

    [Fact]
    public async Task Cost_month_on_month_and_year_on_year()
    {
        const string park = "c1";
        await TariffTestData.CreateCostParkAsync(Store, park);
        await Store.Tariffs.CreateTariffVersionAsync(park, TariffTestData.Draft(TariffTestData.JsonA, "2025-07-01"), "tester");
        await Store.Tariffs.CreateTariffVersionAsync(park, TariffTestData.Draft(TariffTestData.JsonB, "2025-07-15"), "tester");
        await TariffTestData.SeedDaysAsync(Store, park, [new DateOnly(2025, 7, 1), new DateOnly(2025, 7, 2), new DateOnly(2025, 8, 1), new DateOnly(2025, 8, 2)]);
        // A July/August day: valley 828, flat 1,032, peak 575, critical peak 241 kWh (2,676 kWh).
        // July 1–2, version A: 828 × 0.30 + 1,032 × 0.65 + 575 × 1.05 + 241 × 1.30 = 248.40 + 670.80 + 603.75 + 313.30 = 1,836.25 a day → 3,672.50.
        // August 1–2, version B: 828 × 0.28 + 1,032 × 0.62 + 575 × 1.00 + 241 × 1.25 = 231.84 + 639.84 + 575 + 301.25 = 1,747.93 a day → 3,495.86.
        // MoM of August (whole month) = all of July: (3,495.86 − 3,672.50) / 3,672.50 = −4.81 %; energy 5,352 both: 0 %.
        var aug = (await PeriodComparison.CostAsync(new EnergyCostService(Store), park, null, new DateOnly(2025, 8, 1), new DateOnly(2025, 8, 31), EnergyBucketing.Month)).Single();
        Assert.Equal(3495.86, aug.CostCny);
        Assert.Equal(3672.5, aug.Mom!.Values["cost_cny"]);
        Assert.Equal(-4.81, aug.Mom.ChangePct["cost_cny"]);
        Assert.Equal(0, aug.Mom.ChangePct["energy_kwh"]);
        // Average price 3,495.86 / 5,352 = 0.653188 against 3,672.50 / 5,352 = 0.686192: −4.81 %.
        Assert.Equal(-4.81, aug.Mom.ChangePct["average_price_cny_per_kwh"]);
        // July has 2 of 31 days of readings: the comparison says it compares incomplete data.
        HasNote(aug.Notes, "mom: 2025-07-01..2025-07-31 is only");
        // August 2024: no readings, no tariff: every change null, with a note.
        Assert.All(aug.Yoy!.ChangePct.Values, Assert.Null);
        HasNote(aug.Notes, "yoy: no data for 2024-08-01..2024-08-31");
        // The CSV/XLSX table carries the comparison columns.
        var (columns, data) = ZeroPark.Application.Export.EnergyTables.CostTable([aug]);
        Assert.Equal(-4.81, data[0][columns.ToList().IndexOf("mom_cost_cny_change_pct")]);
    }

    // ------------------------------------------------------------------ group plan decomposition

    [Fact]
    public async Task A_group_plan_is_split_across_parks()
    {
        // p1 (PlanTestPark): 2024 E_DC = (1,400 + 1,400 + 700) × 366 = 1,281,000 kWh. g2: one daily reading of 427,000 kWh for
        // 2024-12-31 (a third of p1). Group plan 2,000 MWh → p1 2,000,000 × 1,281,000 / 1,708,000 = 1,500,000; g2 500,000.
        await PlanTestPark.SeedAsync(Store);
        await Store.Registry.CreateParkAsync(new ParkDraft("g2", "Second data center") { RacksTotal = 4 });
        await Store.Registry.CreateMetersAsync("g2", [new MeterDraft("in", "in", "electricity", "interval", "kWh") { IntervalMinutes = 1440, Role = "facility_input" }]);
        await Store.Readings.IngestAsync("g2", [new RawPoint("in", new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.FromHours(8)), 427_000, 1)], new IngestSource("test", "tester"));
        var service = new EnergyPlanService(Store);
        var d = await service.DecomposeGroupAsync(["p1", "g2"], "electricity", 2025, 2000, "MWh", false, "tester");
        Assert.Equal(2_000_000, d.GroupPlan, 6);
        Assert.Equal(["p1", "g2"], d.Parks.Select(x => x.Node));
        Assert.Equal(1_500_000, d.Parks[0].Plan, 6);
        Assert.Equal(0.75, d.Parks[0].Share, 9);
        Assert.Equal(500_000, d.Parks[1].Plan, 6);
        Assert.True(d.Applied);
        // Stored as each park's annual plan, basis decomposed:group:last_year.
        var stored = Assert.Single(await Store.Plans.ListEnergyPlansAsync("g2", 2025, ZeroPark.Domain.Carrier.Electricity, "g2"));
        Assert.Equal((500_000.0, "decomposed:group:last_year", (int?)null), (stored.Amount, stored.Basis, stored.Month));
        // ... and can be split across p1's buildings: 1,500,000 × 512,400 / 1,281,000 = 600,000 for b1 and b2, 300,000 for b3.
        var buildings = await service.DecomposeAsync("p1", "electricity", 2025, true, "tester");
        Assert.Equal([600_000.0, 600_000, 300_000], buildings.Buildings.Select(b => Math.Round(b.Plan, 6)));

        // Basis racks: p1 records no racks → an error naming it; a dry run stores nothing.
        var e = await Assert.ThrowsAsync<ValidationException>(() => service.DecomposeGroupAsync(["p1", "g2"], "electricity", 2025, 1, null, true, "tester", "racks"));
        Assert.Contains("park 'p1' has no racks_total", e.Message, StringComparison.Ordinal);
        // A park without last year's consumption is an error naming it; bad amounts and bases name their field.
        await Store.Registry.CreateParkAsync(new ParkDraft("g3", "New data center"));
        e = await Assert.ThrowsAsync<ValidationException>(() => service.DecomposeGroupAsync(["p1", "g3"], "electricity", 2025, 1, null, true, "tester"));
        Assert.Contains("park 'g3' has no electricity consumption in 2024", e.Message, StringComparison.Ordinal);
        Assert.Equal("amount", (await Assert.ThrowsAsync<ValidationException>(() => service.DecomposeGroupAsync(["p1"], "electricity", 2025, -5, null, true, "tester"))).Field);
        Assert.Equal("basis", (await Assert.ThrowsAsync<ValidationException>(() => service.DecomposeGroupAsync(["p1"], "electricity", 2025, 5, null, true, "tester", "area"))).Field);
        await Assert.ThrowsAsync<NotFoundException>(() => service.DecomposeGroupAsync(["p1", "nowhere"], "electricity", 2025, 5, null, true, "tester"));
    }
}

public sealed class SqliteEnergyGapsTests : EnergyGapsSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

public sealed class PostgresEnergyGapsTests : EnergyGapsSuite
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL energy tests need ZEROPARK_TEST_PG; run ./scripts/test.sh (it starts a server on 127.0.0.1)")
        : TestDatabases.NewPostgresDatabase();
}
