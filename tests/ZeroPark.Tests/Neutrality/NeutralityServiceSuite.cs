using ZeroPark.Application;
using ZeroPark.Application.Carbon;
using ZeroPark.Application.Neutrality;
using ZeroPark.Metering;
using ZeroPark.Neutrality;
using ZeroPark.Tests.EnergyManagement;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.NeutralityModule;

/// <summary>
/// 24×7 matching, reduction measures and target progress over the store, on SQLite and PostgreSQL, with hand-worked figures.
/// Matching runs on <see cref="EnergyTestPark"/> (grid 130 kWh/h on 2025-01-31 and 140 kWh/h on 2025-02-01, PV 5 kWh/h: the park's
/// load is 135 and 145 kWh/h, 6,720 kWh in 48 hours). Measures run on a park of their own (see <see cref="MeasureParkAsync"/>).
/// </summary>
public abstract class NeutralityServiceSuite : IAsyncLifetime
{
    private const string Park = "c1";
    protected ZeroParkStore Store { get; private set; } = null!;

    protected abstract string NewDatabase();

    public async Task InitializeAsync()
    {
        Store = await ZeroParkStore.OpenAsync(NewDatabase());
        await EnergyTestPark.SeedAsync(Store, Park);
    }

    public async Task DisposeAsync() => await Store.DisposeAsync();

    [Fact]
    public async Task Matching_spreads_a_flat_trade_over_every_hour_and_counts_the_matched_energy_hour_by_hour()
    {
        // Green power 2.4 MWh claimed 2025-01-31…02-01, flat: 2,400 kWh / 48 h = 50 kWh/h; + PV 5 = 55 kWh/h, below the load every hour.
        // Matched = 48 × 55 = 2,640 kWh of 6,720 = 0.392857; 48 uncovered hours.
        await Store.Neutrality.AddInstrumentAsync(Park, new LedgerDraft { Kind = OffsetKind.GreenPower, Quantity = 2.4, Claim = new ClaimDraft(null, EnergyTestPark.Jan31, EnergyTestPark.Feb1) }, "alice");
        var r = await new MatchingService(Store).MatchAsync(Park, EnergyTestPark.Jan31, EnergyTestPark.Feb1);
        Assert.Equal(6_720, r.Figures.LoadKwh, 1e-6);
        Assert.Equal(2_640, r.Figures.MatchedKwh, 1e-6);
        Assert.Equal(2_640 / 6_720.0, r.Figures.MatchedShare!.Value, 1e-9);
        Assert.Equal(48, r.Figures.UncoveredHours);
        Assert.Equal(240, r.PvKwh, 1e-9);
        Assert.Equal(2_400, r.GreenPowerKwh, 1e-6);
    }

    [Fact]
    public async Task Matching_of_a_daytime_trade_leaves_surplus_in_the_day_and_uncovered_nights()
    {
        // 4.8 MWh daytime (08–18) over 2 days = 4,800 / 20 h = 240 kWh/h, + PV 5 = 245 > load in those 20 hours: matched = load there
        // (10 × 135 + 10 × 145 = 2,800), surplus 10 × 110 + 10 × 100 = 2,100; the other 28 hours match PV only: 28 × 5 = 140.
        // Matched 2,940 of 6,720 = 0.4375; volume share (4,800 + 240) / 6,720 = 0.75; 28 uncovered hours, 20 fully covered.
        await Store.Neutrality.AddInstrumentAsync(Park, new LedgerDraft
        {
            Kind = OffsetKind.GreenPower, Quantity = 4.8, Profile = "daytime", Claim = new ClaimDraft(null, EnergyTestPark.Jan31, EnergyTestPark.Feb1),
        }, "alice");
        var r = await new MatchingService(Store).MatchAsync(Park, EnergyTestPark.Jan31, EnergyTestPark.Feb1);
        Assert.Equal(2_940, r.Figures.MatchedKwh, 1e-6);
        Assert.Equal(0.4375, r.Figures.MatchedShare!.Value, 1e-9);
        Assert.Equal(0.75, r.Figures.AnnualShare!.Value, 1e-9);
        Assert.Equal(28, r.Figures.UncoveredHours);
        Assert.Equal(20, r.Figures.FullyCoveredHours);
        Assert.Equal(2_100, r.Figures.SurplusKwh, 1e-6);
        // Hourly profile instead: 100 kWh at 2025-01-31 10:00 local only → that hour 105 supply vs 135 load; matched 48 × 5 + 100 = 340.
        var trade = (await Store.Neutrality.InstrumentsAsync(Park)).Single();
        await Store.Neutrality.SetProfileAsync(Park, trade.Id, [(new DateTimeOffset(2025, 1, 31, 10, 0, 0, TimeSpan.FromHours(8)), 100)], "alice");
        var h = await new MatchingService(Store).MatchAsync(Park, EnergyTestPark.Jan31, EnergyTestPark.Feb1);
        Assert.Equal(340, h.Figures.MatchedKwh, 1e-6);
    }

    private Task<string> MeasureParkAsync() => MeasureTestPark.SeedAsync(Store);

    [Fact]
    public async Task A_measure_saves_what_its_baseline_model_predicts_minus_what_was_measured()
    {
        var p = await MeasureParkAsync();
        var service = new MeasureService(Store, new CarbonService(Store));
        await service.CreateAsync(p, new MeasureDraft("M1", "CHW set-point", "chilled_water_setpoint", ["chiller"], new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 20),
            new DateOnly(2025, 3, 21), 0.8, true, "t18"), "alice");
        var r = Assert.Single(await service.ReportAsync(p, new DateOnly(2025, 3, 30)));
        // Baseline: daily chiller = 24 × (60 + 0.5 d) = 1,440 + 12 d; daily IT = 24 × (100 + d) = 2,400 + 24 d → chiller = 240 + 0.5 × IT exactly.
        Assert.Equal(240, r.Model!.Intercept, 1e-6);
        Assert.Equal(0.5, r.Model.Coefficients[0], 1e-9);
        Assert.Equal(20, r.BaselineDays);
        Assert.Equal(10, r.ReportingDays);
        // Saving per reporting day = 0.1 × (1,440 + 12 d), d = 21…30: 0.1 × (14,400 + 12 × 255) = 0.1 × 17,460 = 1,746 kWh.
        Assert.Equal(1_746, r.SavingKwh, 1e-6);
        // 1,746 kWh × 0.5306 kgCO2/kWh (national 2023 factor) = 0.9264276 t; × 0.8 CNY = 1,396.8 CNY; forecast 1,746 / 10 × 365 = 63,729 kWh.
        Assert.Equal(0.9264276, r.SavingT, 1e-9);
        Assert.Equal(1_396.8, r.SavingCny!.Value, 1e-6);
        Assert.Equal(63_729, r.ForecastKwh!.Value, 1e-6);
        Assert.Contains(r.Notes, n => n.StartsWith("no outdoor temperature gauge", StringComparison.Ordinal));
        // The register: a baseline shorter than 14 days, a start within the baseline and an unknown boundary are refused.
        Assert.Equal("baseline_to", (await Assert.ThrowsAsync<ValidationException>(() => service.CreateAsync(p, new MeasureDraft("M2", "x", "other", ["chiller"],
            new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 5), new DateOnly(2025, 3, 21)), "alice"))).Field);
        Assert.Equal("start", (await Assert.ThrowsAsync<ValidationException>(() => service.CreateAsync(p, new MeasureDraft("M2", "x", "other", ["chiller"],
            new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 20), new DateOnly(2025, 3, 10)), "alice"))).Field);
        Assert.Contains("'nope' is neither a meter nor a space", (await Assert.ThrowsAsync<ValidationException>(() => service.CreateAsync(p, new MeasureDraft("M2", "x", "other", ["nope"],
            new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 20), new DateOnly(2025, 3, 21)), "alice"))).Message);
        await Assert.ThrowsAsync<ConflictException>(() => service.CreateAsync(p, new MeasureDraft("M1", "again", "other", ["chiller"], new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 20),
            new DateOnly(2025, 3, 21)), "alice"));
    }

    [Fact]
    public async Task Target_progress_marks_each_month_against_its_target()
    {
        // January 2025 (only Jan 31 has data): C_yw = 3,120 kWh × 0.5306 / 1000 = 1.655472 t; PV 120 kWh × 0.5306 = 0.063672 t; CCER 1 t retired for January.
        // Rate = (1 + 0.063672) / 1.655472 = 0.642524 ≥ 0.6 (met); February: 1.782816 t, PV 0.063672 t only → 0.035714 < 0.6 (not met).
        await Store.Neutrality.AddInstrumentAsync(Park, new LedgerDraft { Kind = OffsetKind.Ccer, Quantity = 1, Claim = new ClaimDraft(null, new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 31)) }, "alice");
        await Store.Neutrality.SetTargetAsync(Park, "neutrality_rate", "month", 0.6, "2025-01", null, "", "alice");
        var service = new NeutralityService(Store, new CarbonService(Store));
        var p = await new TargetService(Store, new CarbonService(Store), service).ProgressAsync(Park, 2025, new DateOnly(2025, 2, 28));
        Assert.Equal(2, p.MonthsElapsed);
        var jan = p.Months[0];
        Assert.Equal(1.655472, jan.EmissionsT!.Value, 1e-9);
        Assert.Equal((1 + 0.063672) / 1.655472, jan.NeutralityRate!.Value, 1e-9);
        Assert.True(jan.RateMet);
        Assert.Equal(0.063672 / 1.782816, p.Months[1].NeutralityRate!.Value, 1e-9);
        Assert.False(p.Months[1].RateMet);
        Assert.Equal("projected", p.Months[2].Status);
        // No 2024 data: the projection says it runs at the run rate, (1.655472 + 1.782816) / 2 × 12 = 20.629728 t.
        Assert.Equal(SeasonalProjection.BasisRunRate, p.ProjectionBasis);
        Assert.Equal(20.629728, p.ProjectedEmissionsT, 1e-9);
    }
}

public sealed class SqliteNeutralityServiceTests : NeutralityServiceSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

public sealed class PostgresNeutralityServiceTests : NeutralityServiceSuite
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL neutrality tests need ZEROPARK_TEST_PG; run ./scripts/test.sh (it starts a server on 127.0.0.1)")
        : TestDatabases.NewPostgresDatabase();
}
