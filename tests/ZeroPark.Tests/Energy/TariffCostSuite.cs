using ZeroPark.Application;
using ZeroPark.Application.EnergyManagement;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.EnergyManagement;

/// <summary>Tariff versions, time-of-use cost and the month-on-month / year-on-year breakdown on SQLite and PostgreSQL (subclasses
/// at the end), over the hand-worked cost park of <see cref="TariffTestData"/>.</summary>
public abstract class TariffCostSuite : IAsyncLifetime
{
    private const string Park = "c1";
    private static readonly DateOnly Jul14 = new(2025, 7, 14);
    private static readonly DateOnly Jul15 = new(2025, 7, 15);

    protected ZeroParkStore Store { get; private set; } = null!;
    private EnergyCostService Cost => new(Store);

    protected abstract string NewDatabase();

    public async Task InitializeAsync() => Store = await ZeroParkStore.OpenAsync(NewDatabase());

    public async Task DisposeAsync() => await Store.DisposeAsync();

    private static void Near(double expected, double? actual, double tolerance = 1e-6) => EnergyAssert.Near(expected, actual, tolerance);

    private static void HasNote(IReadOnlyList<string> notes, string contains) => EnergyAssert.HasNote(notes, contains);

    private async Task SeedAsync(bool versionA = true, bool versionB = true)
    {
        await TariffTestData.CreateCostParkAsync(Store, Park);
        await TariffTestData.SeedDaysAsync(Store, Park, [Jul14, Jul15]);
        if (versionA) await Store.Tariffs.CreateTariffVersionAsync(Park, TariffTestData.Draft(TariffTestData.JsonA, "2025-07-01"), "tester");
        if (versionB) await Store.Tariffs.CreateTariffVersionAsync(Park, TariffTestData.Draft(TariffTestData.JsonB, "2025-07-15"), "tester");
    }

    [Fact]
    public async Task Tariff_versions_are_stored_listed_in_date_order_and_never_overwritten()
    {
        await TariffTestData.CreateCostParkAsync(Store, Park);
        await Store.Tariffs.CreateTariffVersionAsync(Park, TariffTestData.Draft(TariffTestData.JsonB, "2025-07-15"), "tester");
        await Store.Tariffs.CreateTariffVersionAsync(Park, TariffTestData.Draft(TariffTestData.JsonA, "2025-07-01"), "tester");
        var list = await Store.Tariffs.ListTariffVersionsAsync(Park);
        Assert.Equal([new DateOnly(2025, 7, 1), new DateOnly(2025, 7, 15)], list.Select(v => v.ValidFrom));
        var a = list[0];
        Assert.Equal("test 10kV A", a.Name);
        Assert.Equal("CNY", a.Currency);
        Assert.Equal(1.30, a.Prices[TouPeriod.CriticalPeak]);
        Assert.Equal(0.30, a.Prices[TouPeriod.Valley]);
        Assert.Equal(7, a.Schedule.Count);
        Assert.Equal([7, 8], a.Schedule[6].Months!);
        Assert.Equal("tester", a.CreatedBy);
        // The month filter: 20–21 h is critical peak in July and August only, peak otherwise.
        Assert.Equal(TouPeriod.CriticalPeak, a.PeriodAt(7, 20));
        Assert.Equal(TouPeriod.CriticalPeak, a.PeriodAt(8, 21));
        Assert.Equal(TouPeriod.Peak, a.PeriodAt(9, 20));
        Assert.Equal(TouPeriod.Peak, a.PeriodAt(7, 19));
        Assert.Equal(TouPeriod.Valley, a.PeriodAt(1, 0));
        Assert.Equal(TouPeriod.Flat, a.PeriodAt(1, 23));
        var ex = await Assert.ThrowsAsync<ConflictException>(() => Store.Tariffs.CreateTariffVersionAsync(Park, TariffTestData.Draft(TariffTestData.JsonA, "2025-07-15"), "tester"));
        Assert.Contains("2025-07-15", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, (await Store.Tariffs.ListTariffVersionsAsync(Park)).Count);
        await Assert.ThrowsAsync<NotFoundException>(() => Store.Tariffs.ListTariffVersionsAsync("nopark"));
    }

    [Theory]
    [InlineData("""{"prices": {"peak": 1}, "schedule": [{"start": 0, "end": 24, "period": "peak"}]}""", null, "valid_from")]
    [InlineData("""{"prices": {"peak": 1}, "schedule": [{"start": 0, "end": 24, "period": "peak"}]}""", "2025-02-30", "valid_from")]
    [InlineData("""{"currency": "USD", "prices": {"peak": 1}, "schedule": [{"start": 0, "end": 24, "period": "peak"}]}""", "2025-01-01", "currency")]
    [InlineData("""{"schedule": [{"start": 0, "end": 24, "period": "peak"}]}""", "2025-01-01", "prices")]
    [InlineData("""{"prices": {"shoulder": 1}, "schedule": [{"start": 0, "end": 24, "period": "peak"}]}""", "2025-01-01", "prices.shoulder")]
    [InlineData("""{"prices": {"peak": -0.1}, "schedule": [{"start": 0, "end": 24, "period": "peak"}]}""", "2025-01-01", "prices.peak")]
    [InlineData("""{"prices": {"peak": null}, "schedule": [{"start": 0, "end": 24, "period": "peak"}]}""", "2025-01-01", "prices.peak")]
    [InlineData("""{"prices": {"peak": 1}}""", "2025-01-01", "schedule")]
    [InlineData("""{"prices": {"peak": 1}, "schedule": [{"start": 0, "end": 25, "period": "peak"}]}""", "2025-01-01", "schedule[0].end")]
    [InlineData("""{"prices": {"peak": 1}, "schedule": [{"start": 0, "end": 24, "period": "peak"}, {"start": 22, "end": 6, "period": "peak"}]}""", "2025-01-01", "schedule[1].end")]
    [InlineData("""{"prices": {"peak": 1}, "schedule": [{"end": 24, "period": "peak"}]}""", "2025-01-01", "schedule[0].start")]
    [InlineData("""{"prices": {"peak": 1}, "schedule": [{"start": 0, "end": 24, "period": "valley"}]}""", "2025-01-01", "schedule[0].period")]
    [InlineData("""{"prices": {"peak": 1}, "schedule": [{"start": 0, "end": 24, "period": "noon"}]}""", "2025-01-01", "schedule[0].period")]
    [InlineData("""{"prices": {"peak": 1}, "schedule": [{"start": 0, "end": 24, "period": "peak", "months": [13]}]}""", "2025-01-01", "schedule[0].months")]
    [InlineData("""{"prices": {"peak": 1, "flat": 0.5}, "schedule": [{"start": 0, "end": 12, "period": "peak"}, {"start": 11, "end": 24, "period": "flat"}]}""", "2025-01-01", "schedule[1]")]
    [InlineData("""{"prices": {"peak": 1}, "schedule": [{"start": 0, "end": 23, "period": "peak"}]}""", "2025-01-01", "schedule")]
    [InlineData("""{"prices": {"peak": 1}, "schedule": [{"start": 0, "end": 24, "period": "peak", "months": [1, 2]}]}""", "2025-01-01", "schedule")]
    public async Task Invalid_tariffs_name_the_field(string json, string? validFrom, string field)
    {
        await TariffTestData.CreateCostParkAsync(Store, Park);
        var ex = await Assert.ThrowsAsync<ValidationException>(() => Store.Tariffs.CreateTariffVersionAsync(Park, TariffDraft.FromJson(json) with { ValidFrom = validFrom }, "tester"));
        Assert.Equal(field, ex.Field);
        Assert.Empty(await Store.Tariffs.ListTariffVersionsAsync(Park));
    }

    [Fact]
    public void Malformed_or_unknown_json_properties_are_a_validation_error_on_the_file()
    {
        Assert.Equal("file", Assert.Throws<ValidationException>(() => TariffDraft.FromJson("""{"prices": {"peak": 1}, "shedule": []}""")).Field);
        Assert.Equal("file", Assert.Throws<ValidationException>(() => TariffDraft.FromJson("{")).Field);
    }

    [Fact]
    public async Task Cost_per_day_prices_every_hour_by_its_period_and_the_version_of_its_date()
    {
        await SeedAsync();
        var rows = await Cost.CostAsync(Park, null, Jul14, Jul15, EnergyBucketing.Day);
        Assert.Equal(2, rows.Count);
        var (d14, d15) = (rows[0], rows[1]);
        Assert.Equal(new DateTimeOffset(2025, 7, 14, 0, 0, 0, TimeSpan.FromHours(8)), d14.Start);

        // July 14, version A: valley 828 × 0.30 = 248.40; flat 1,032 × 0.65 = 670.80; peak 575 × 1.05 = 603.75;
        // critical peak 241 × 1.30 = 313.30; total 1,836.25 for 2,676 kWh → 0.686192 CNY/kWh.
        Near(2676, d14.GridKwh);
        Near(828, d14.Periods[(int)TouPeriod.Valley].Kwh);
        Near(1032, d14.Periods[(int)TouPeriod.Flat].Kwh);
        Near(575, d14.Periods[(int)TouPeriod.Peak].Kwh);
        Near(241, d14.Periods[(int)TouPeriod.CriticalPeak].Kwh);
        Assert.Equal([8, 9, 5, 2], new[] { TouPeriod.Valley, TouPeriod.Flat, TouPeriod.Peak, TouPeriod.CriticalPeak }.Select(p => d14.Periods[(int)p].Hours));
        Near(248.40, d14.Periods[(int)TouPeriod.Valley].Cost);
        Near(670.80, d14.Periods[(int)TouPeriod.Flat].Cost);
        Near(603.75, d14.Periods[(int)TouPeriod.Peak].Cost);
        Near(313.30, d14.Periods[(int)TouPeriod.CriticalPeak].Cost);
        Near(1836.25, d14.Cost);
        Near(1836.25 / 2676, d14.AveragePrice);
        // Subsystems at a flat load: Σ of the day's 24 hourly prices under A = 8 × 0.30 + 9 × 0.65 + 5 × 1.05 + 2 × 1.30 = 16.10,
        // so IT 80 × 16.10 = 1,288.00; cooling 15 × 16.10 = 241.50; aux 5 × 16.10 = 80.50; no power-system meter.
        Near(1288.0, d14.Subsystems.Single(s => s.Code == "it").Cost);
        Near(1920, d14.Subsystems.Single(s => s.Code == "it").Kwh);
        Near(241.5, d14.Subsystems.Single(s => s.Code == "cooling").Cost);
        Near(80.5, d14.Subsystems.Single(s => s.Code == "aux").Cost);
        Assert.Null(d14.Subsystems.Single(s => s.Code == "power").Kwh);
        HasNote(d14.Notes, "power: no electricity meter in system 'power'");
        Near(1836.25 - 1288 - 241.5 - 80.5, d14.Unallocated);   // 226.25: the grid energy no subsystem meter explains
        Assert.Equal([new DateOnly(2025, 7, 1)], d14.Versions);
        Assert.Equal(1, d14.Completeness);

        // July 15, version B: 828 × 0.28 = 231.84; 1,032 × 0.62 = 639.84; 575 × 1.00 = 575.00; 241 × 1.25 = 301.25; total 1,747.93.
        // IT: Σ prices = 8 × 0.28 + 9 × 0.62 + 5 × 1.00 + 2 × 1.25 = 15.32 → 80 × 15.32 = 1,225.60.
        Near(1747.93, d15.Cost);
        Near(231.84, d15.Periods[(int)TouPeriod.Valley].Cost);
        Near(301.25, d15.Periods[(int)TouPeriod.CriticalPeak].Cost);
        Near(1225.6, d15.Subsystems.Single(s => s.Code == "it").Cost);
        Assert.Equal([new DateOnly(2025, 7, 15)], d15.Versions);
    }

    [Fact]
    public async Task A_version_change_in_the_middle_of_a_month_prices_each_day_by_its_own_version()
    {
        await SeedAsync();
        // July (cut by the range to the 14th and 15th): 1,836.25 (A) + 1,747.93 (B) = 3,584.18 CNY for 5,352 kWh → 0.669690 CNY/kWh.
        // Per period: valley 480.24, flat 1,310.64, peak 1,178.75, critical peak 614.55.
        var month = Assert.Single(await Cost.CostAsync(Park, null, Jul14, Jul15, EnergyBucketing.Month));
        Near(5352, month.GridKwh);
        Near(3584.18, month.Cost);
        Near(3584.18 / 5352, month.AveragePrice);
        Near(480.24, month.Periods[(int)TouPeriod.Valley].Cost);
        Near(1310.64, month.Periods[(int)TouPeriod.Flat].Cost);
        Near(1178.75, month.Periods[(int)TouPeriod.Peak].Cost);
        Near(614.55, month.Periods[(int)TouPeriod.CriticalPeak].Cost);
        Near(1288 + 1225.6, month.Subsystems.Single(s => s.Code == "it").Cost);
        Assert.Equal([new DateOnly(2025, 7, 1), new DateOnly(2025, 7, 15)], month.Versions);
        HasNote(month.Notes, "versions valid from 2025-07-01, 2025-07-15 apply");
        // total and year give the same single bucket; the view rounds money to fen.
        var total = CostRowView.From(Assert.Single(await Cost.CostAsync(Park, null, Jul14, Jul15, EnergyBucketing.Total)));
        Assert.Equal(3584.18, total.CostCny);
        Assert.Equal(614.55, total.CriticalPeakCostCny);
        Assert.Equal(482, total.CriticalPeakKwh);
        Assert.Equal(0.66969, total.AveragePriceCnyPerKwh!.Value, 5);
        Near(3584.18, Assert.Single(await Cost.CostAsync(Park, null, Jul14, Jul15, EnergyBucketing.Year)).Cost);
        // A building node sees the same meters.
        Near(3584.18, Assert.Single(await Cost.CostAsync(Park, "b1", Jul14, Jul15, EnergyBucketing.Total)).Cost);
    }

    [Fact]
    public async Task Hours_before_the_first_version_are_unpriced_and_the_cost_is_null()
    {
        await SeedAsync(versionA: false);
        var rows = await Cost.CostAsync(Park, null, Jul14, Jul15, EnergyBucketing.Day);
        Assert.Null(rows[0].Cost);
        Near(2676, rows[0].UnpricedKwh);
        Near(2676, rows[0].GridKwh);
        Assert.Null(rows[0].Subsystems.Single(s => s.Code == "it").Cost);
        HasNote(rows[0].Notes, "24 hour(s) fall before the first tariff version (valid from 2025-07-15)");
        Assert.Null(CostRowView.From(rows[0]).PeakCostCny);
        Near(1747.93, rows[1].Cost);
        // The whole range: null, not the cost of the priced half.
        Assert.Null(Assert.Single(await Cost.CostAsync(Park, null, Jul14, Jul15, EnergyBucketing.Total)).Cost);
    }

    [Fact]
    public async Task Missing_readings_are_not_priced_and_completeness_says_so()
    {
        await TariffTestData.CreateCostParkAsync(Store, Park);
        await TariffTestData.SeedDaysAsync(Store, Park, [Jul14]);
        var row = Assert.Single(await Cost.CostAsync(Park, null, Jul14, Jul14, EnergyBucketing.Day));
        Assert.Null(row.Cost);
        HasNote(row.Notes, "the park has no tariff version");
        await Store.Tariffs.CreateTariffVersionAsync(Park, TariffTestData.Draft(TariffTestData.JsonA, "2025-07-01"), "tester");
        // Jul 14 and 15 with data for the 14th only: the 15th has no readings (null energy, 0 % complete), nothing is extrapolated.
        var rows = await Cost.CostAsync(Park, null, Jul14, Jul15, EnergyBucketing.Day);
        Near(1836.25, rows[0].Cost);
        Assert.Null(rows[1].GridKwh);
        Assert.Null(rows[1].Cost);
        Assert.Equal(0, rows[1].Completeness);
        HasNote(rows[1].Notes, "grid: no readings in this period");
        var total = Assert.Single(await Cost.CostAsync(Park, null, Jul14, Jul15, EnergyBucketing.Total));
        Near(1836.25, total.Cost);
        Assert.Equal(0.5, total.Completeness);
        HasNote(total.Notes, "completeness: 50 %");
        await Assert.ThrowsAsync<NotFoundException>(() => Cost.CostAsync(Park, "b9", Jul14, Jul15, EnergyBucketing.Day));
        Assert.Equal("to", (await Assert.ThrowsAsync<ValidationException>(() => Cost.CostAsync(Park, null, Jul15, Jul14, EnergyBucketing.Day))).Field);
    }

    [Fact]
    public async Task Monthly_breakdown_compares_with_the_previous_month_and_the_previous_year()
    {
        await TariffTestData.CreateCostParkAsync(Store, Park);
        var aug14 = new DateOnly(2025, 8, 14);
        var lastYear = new DateOnly(2024, 8, 14);
        // Energies × 1.0 on 2025-07-14, × 1.1 on 2025-08-14, × 0.8 on 2024-08-14.
        await TariffTestData.SeedDaysAsync(Store, Park, [Jul14, aug14, lastYear], d => d == aug14 ? 1.1 : d == lastYear ? 0.8 : 1.0);
        var service = new EnergyService(Store);
        var row = Assert.Single(await BreakdownComparison.BreakdownAsync(service, Park, null, aug14, aug14, EnergyBucketing.Month, false));
        // Total (= grid, no PV) 2,676 × 1.1 = 2,943.6; previous month (the same cut: 07-14) 2,676 → +10 %;
        // previous year (2024-08-14) 2,676 × 0.8 = 2,140.8 → (2,943.6 − 2,140.8) / 2,140.8 = +37.5 %. IT 1,920 × 1.1 = 2,112 vs 1,920 → +10 %.
        Near(2943.6, row.TotalKwh);
        Assert.NotNull(row.Mom);
        Assert.Equal("previous_month", row.Mom!.Basis);
        Assert.Equal(new DateTimeOffset(2025, 7, 14, 0, 0, 0, TimeSpan.FromHours(8)), row.Mom.Start);
        Near(2676, row.Mom.TotalKwh);
        Near(10, row.Mom.ChangePct["total"]);
        Near(10, row.Mom.ChangePct["it"]);
        Assert.Null(row.Mom.ChangePct["power"]);    // no power-system meter: nothing to compare
        Near(2140.8, row.Yoy!.TotalKwh);
        Near(37.5, row.Yoy.ChangePct["total"]);
        Near(37.5, row.Yoy.ChangePct["cooling"]);   // 15 × 24 × 1.1 = 396 vs 15 × 24 × 0.8 = 288
        // July 14: no data a year earlier → null with a note.
        row = Assert.Single(await BreakdownComparison.BreakdownAsync(service, Park, null, Jul14, Jul14, EnergyBucketing.Month, false));
        Assert.Null(row.Yoy!.ChangePct["total"]);
        Assert.Null(row.Yoy.TotalKwh);
        HasNote(row.Notes, "yoy: no data for 2024-07-14..2024-07-14");
        Assert.Null(row.Mom!.ChangePct["total"]);
        HasNote(row.Notes, "mom: no data for 2025-06-14..2025-06-14");
        // Other bucketings carry no comparison.
        row = Assert.Single(await BreakdownComparison.BreakdownAsync(service, Park, null, aug14, aug14, EnergyBucketing.Day, false));
        Assert.Null(row.Mom);
        Assert.Null(row.Yoy);
    }

    [Fact]
    public void Comparison_ranges_map_whole_months_to_whole_months_and_cut_months_to_the_same_dates()
    {
        Assert.Equal((new DateOnly(2025, 2, 1), new DateOnly(2025, 2, 28)), BreakdownComparison.Shift(new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 31), 1));
        Assert.Equal((new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 31)), BreakdownComparison.Shift(new DateOnly(2025, 2, 1), new DateOnly(2025, 2, 28), 1));
        Assert.Equal((new DateOnly(2023, 2, 1), new DateOnly(2023, 2, 28)), BreakdownComparison.Shift(new DateOnly(2024, 2, 1), new DateOnly(2024, 2, 29), 12));
        Assert.Equal((new DateOnly(2025, 2, 10), new DateOnly(2025, 2, 28)), BreakdownComparison.Shift(new DateOnly(2025, 3, 10), new DateOnly(2025, 3, 31), 1));
    }
}

public sealed class SqliteTariffCostTests : TariffCostSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

public sealed class PostgresTariffCostTests : TariffCostSuite
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL tariff tests need ZEROPARK_TEST_PG; run ./scripts/test.sh (it starts a server on 127.0.0.1)")
        : TestDatabases.NewPostgresDatabase();
}
