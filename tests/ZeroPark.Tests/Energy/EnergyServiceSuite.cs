using ZeroPark.Domain;
using ZeroPark.Application;
using ZeroPark.Application.EnergyManagement;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.EnergyManagement;

/// <summary>The energy service on SQLite and on a real PostgreSQL (the two subclasses at the end), over the hand-worked park of
/// <see cref="EnergyTestPark"/>. Expected values are worked out in the comments from the meters' hourly values.</summary>
public abstract class EnergyServiceSuite : IAsyncLifetime
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

    [Fact]
    public async Task Monthly_KPIs_put_the_midnight_reading_of_the_1st_in_the_previous_month()
    {
        await EnergyTestPark.SeedAsync(Store, Park);
        var rows = await Service.KpiAsync(Park, null, Jan31, Feb1, EnergyBucketing.Month);
        Assert.Equal(2, rows.Count);
        var (jan, feb) = (rows[0], rows[1]);
        // Buckets are local: [Jan 31 00:00+08:00, Feb 1 00:00+08:00) (January, cut by the range) and [Feb 1, Feb 2).
        Assert.Equal(new DateTimeOffset(2025, 1, 31, 0, 0, 0, TimeSpan.FromHours(8)), jan.Start);
        Assert.Equal(new DateTimeOffset(2025, 2, 1, 0, 0, 0, TimeSpan.FromHours(8)), jan.End);
        Assert.Equal(TimeSpan.FromHours(8), jan.Start.Offset);

        // January (24 hourly readings 01:00 … Feb 1 00:00, the last one closing Jan 31 23:00–24:00):
        //   E_DC = 24 × (grid 130 + pv 5) = 3,240; IT = 24 × 100 = 2,400; cooling = 24 × (20 + 5) = 600;
        //   power = 24 × (ups loss 5 + transformer loss 3) = 192; aux = 24 × 2 = 48; remainder 3,240 − 3,240 = 0.
        var k = jan.Kpis;
        Near(3240, k.Total?.KilowattHours);
        Near(2400, k.Inputs.It?.KilowattHours);
        Near(600, k.Inputs.Cooling?.KilowattHours);   // 575 + 20 would show the 00:00 chiller reading moved to February
        Near(192, k.Inputs.PowerLosses?.KilowattHours);
        Near(48, k.Inputs.Auxiliary?.KilowattHours);
        Near(0, k.Unmetered?.KilowattHours);
        Near(1.35, k.Pue);                          // 3,240 / 2,400
        Near(0.25, k.Clf);                          // 600 / 2,400
        Near(0.08, k.Plf);                          // 192 / 2,400
        Near(0.02, k.Alf);                          // 48 / 2,400
        Near(1.5, k.Wue);                           // 24 × 150 L / 2,400 kWh
        Near(240.0 / 3240, k.Erf);                  // reused 24 × 10 kWh (0.036 GJ) / 3,240 = 0.074074
        Near(1.25, k.Ere);                          // (3,240 − 240) / 2,400
        Near(120.0 / 3240, k.Ref);                  // PV 24 × 5 / 3,240 = 0.037037
        Near(1 / 1.35, k.Dcie);
        Near(0.5, k.ItLoadRate);                    // 2,400 kWh / 24 h = 100 kW of 200 kW design
        Near(0.75, k.RackUtilisation);              // 9 of 12 racks
        // CUE with the carbon module's grid factor (no province recorded: national MEE/NBS 2023, 0.5306 kgCO2/kWh):
        // grid 24 × 130 = 3,120 kWh × 0.5306 = 1,655.472 kg / 2,400 kWh IT = 0.68978 kgCO2/kWh.
        Near(0.68978, k.Cue);
        HasNote(jan.Notes, "cue: grid electricity × 0.5306 kgCO2/kWh (MEE-NBS 2023");
        Assert.Equal(ZeroPark.EnergyManagement.Gb40879Grade.Grade3, k.Grade);   // 1.30 < 1.35 ≤ 1.50
        Assert.Equal(1, jan.Completeness);
        Assert.DoesNotContain(jan.Notes, n => n.StartsWith("balance", StringComparison.Ordinal));
        HasNote(jan.Notes, "gb40879_grade: indicative");

        // February 1: chiller 30 → cooling 24 × 35 = 840; grid 140 → E_DC = 24 × 145 = 3,480.
        k = feb.Kpis;
        Near(3480, k.Total?.KilowattHours);
        Near(840, k.Inputs.Cooling?.KilowattHours);
        Near(1.45, k.Pue);                          // 3,480 / 2,400
        Near(0.35, k.Clf);                          // 840 / 2,400
        Near(1.35, k.Ere);                          // (3,480 − 240) / 2,400
        Near(240.0 / 3480, k.Erf);
        Near(120.0 / 3480, k.Ref);

        // The measurement boundary is stated.
        Assert.Equal(["grid"], jan.Boundary.FacilityInputMeters);
        Assert.Equal(["pv"], jan.Boundary.RenewableOnsiteMeters);
        Assert.Equal(2, jan.Boundary.ItMeters);
    }

    [Fact]
    public async Task Total_day_and_year_buckets_and_the_inclusive_to_date()
    {
        await EnergyTestPark.SeedAsync(Store, Park);
        // Total over both days: E_DC 3,240 + 3,480 = 6,720; IT 4,800 → PUE 1.4; cooling 600 + 840 = 1,440 → CLF 0.3; 48 h.
        var total = Assert.Single(await Service.KpiAsync(Park, null, Jan31, Feb1, EnergyBucketing.Total));
        Near(1.4, total.Kpis.Pue);
        Near(0.3, total.Kpis.Clf);
        Assert.Equal(TimeSpan.FromHours(48), total.Kpis.Inputs.Period);
        Assert.Equal(new DateTimeOffset(2025, 2, 2, 0, 0, 0, TimeSpan.FromHours(8)), total.End);
        // Year (cut by the range) is the same bucket here.
        var year = Assert.Single(await Service.KpiAsync(Park, null, Jan31, Feb1, EnergyBucketing.Year));
        Near(1.4, year.Kpis.Pue);
        // from = to = Feb 1, by day: one row, February's 1.45 (to is inclusive).
        var day = Assert.Single(await Service.KpiAsync(Park, null, Feb1, Feb1, EnergyBucketing.Day));
        Near(1.45, day.Kpis.Pue);
        // Two days by day: 1.35 then 1.45.
        Assert.Equal([1.35, 1.45], (await Service.KpiAsync(Park, null, Jan31, Feb1, EnergyBucketing.Day)).Select(r => Math.Round(r.Kpis.Pue!.Value, 9)));
    }

    [Fact]
    public async Task Partial_data_is_reported_with_its_completeness_and_the_gap_shows_in_the_remainder()
    {
        // Missing on Feb 1: chiller readings h = 34…39 (10:00–15:00, interval meter: 6 × 30 kWh never arrive) and
        // pdu1 readings h = 30…32 (06:00–08:00, cumulative: the 09:00 reading closes the gap, no energy lost).
        await EnergyTestPark.SeedAsync(Store, Park, (m, h) => (m == "chiller" && h is >= 34 and <= 39) || (m == "pdu1" && h is >= 30 and <= 32));
        var rows = await Service.KpiAsync(Park, null, Jan31, Feb1, EnergyBucketing.Day);
        var (jan, feb) = (rows[0], rows[1]);
        Assert.Equal(1, jan.Completeness);
        // Cooling on Feb 1: chiller 18 × 30 = 540 + crah 24 × 5 = 120 → 660 kWh; readings 18 + 24 = 42 of 48 = 87.5 %.
        // IT: pdu1 21 + pdu2 24 = 45 of 48 readings = 93.75 %, but the energy is complete: 2,400 kWh.
        // Row completeness = the weakest input = 87.5 %.
        Near(660, feb.Kpis.Inputs.Cooling?.KilowattHours);
        Near(2400, feb.Kpis.Inputs.It?.KilowattHours);
        Assert.Equal(0.875, feb.Completeness, 12);
        Assert.Equal(0.875, feb.Quality.Single(q => q.Input == "cooling").Completeness, 12);
        Assert.Equal(0.9375, feb.Quality.Single(q => q.Input == "it").Completeness, 12);
        HasNote(feb.Notes, "cooling: 87.5 % complete (42 of 48 expected readings)");
        HasNote(feb.Notes, "completeness: 87.5 %");
        // PUE is unchanged (3,480 / 2,400 = 1.45): the missing chiller energy appears as remainder, not hidden:
        // 3,480 − 2,400 − 660 − 192 − 48 = 180 kWh → factor 0.075; CLF = 660 / 2,400 = 0.275; 1 + 0.275 + 0.08 + 0.02 + 0.075 = 1.45.
        Near(1.45, feb.Kpis.Pue);
        Near(0.275, feb.Kpis.Clf);
        Near(180, feb.Kpis.Unmetered?.KilowattHours);
        Near(0.075, feb.Kpis.UnmeteredFactor);
        HasNote(feb.Notes, "180 kWh");
        // The view (CLI/API) reports completeness in percent.
        Assert.Equal(87.5, KpiRowView.From(feb).Completeness);
        Assert.Equal(93.75, KpiRowView.From(feb).CompletenessByInput["it"]);
    }

    [Fact]
    public async Task Power_losses_come_from_the_virtual_loss_meters()
    {
        await EnergyTestPark.SeedAsync(Store, Park);
        // ups_loss = ups_in − ups_out = 105 − 100 = 5 kWh/h and tx_loss = grid − tx_lv = 130 − 127 = 3 kWh/h, both built from
        // meters node sums leave out (check / facility_input), so the power system node is exactly their sum: 24 × 8 = 192.
        var upsLoss = await Store.Queries.SeriesAsync(Park, SeriesTarget.Meter("ups_loss"), Jan31, Jan31, Granularity.Day);
        var txLoss = await Store.Queries.SeriesAsync(Park, SeriesTarget.Meter("tx_loss"), Jan31, Jan31, Granularity.Day);
        Near(120, upsLoss.Total);
        Near(72, txLoss.Total);
        var row = Assert.Single(await Service.KpiAsync(Park, null, Jan31, Jan31, EnergyBucketing.Day));
        Near(192, row.Kpis.Inputs.PowerLosses?.KilowattHours);
        Near(0.08, row.Kpis.Plf);
        // In the flow, each is classified by the meter it subtracts: ups_out is power.ups, tx_lv is power.transformer.
        var flow = Assert.Single(await Service.FlowAsync(Park, null, Jan31, Jan31, EnergyBucketing.Day));
        Near(120, flow.Links.Single(l => l.Target == "loss.ups").Energy.KilowattHours);
        Near(72, flow.Links.Single(l => l.Target == "loss.transformer").Energy.KilowattHours);
        Assert.DoesNotContain(flow.Links, l => l.Target == "loss.other");
    }

    [Fact]
    public async Task A_building_shows_a_negative_remainder_when_its_loads_are_fed_by_a_source_outside_it()
    {
        await EnergyTestPark.SeedAsync(Store, Park);
        // Building b1 on Jan 31: its facility input is the grid meter only (the PV meter is at park level): E_DC = 24 × 130 = 3,120.
        // Metered loads 2,400 + 600 + 192 + 48 = 3,240 → remainder −120 (the PV energy), factor −0.05.
        // PUE = 3,120 / 2,400 = 1.30 = 1 + 0.25 + 0.08 + 0.02 − 0.05 → grade 2 (≤ 1.30).
        var row = Assert.Single(await Service.KpiAsync(Park, "b1", Jan31, Jan31, EnergyBucketing.Day));
        Assert.Equal("b1", row.Node);
        Near(3120, row.Kpis.Total?.KilowattHours);
        Near(1.3, row.Kpis.Pue);
        Near(-120, row.Kpis.Unmetered?.KilowattHours);
        Near(-0.05, row.Kpis.UnmeteredFactor);
        Assert.Equal(ZeroPark.EnergyManagement.Gb40879Grade.Grade2, row.Kpis.Grade);
        HasNote(row.Notes, "more than the total input");
        // Water is metered in b1 (WUE 1.5); reused heat and PV are not (park level): ERF, ERE and REF are null with reasons.
        Near(1.5, row.Kpis.Wue);
        Assert.Null(row.Kpis.Erf);
        Assert.Null(row.Kpis.Ref);
        HasNote(row.Notes, "reused: no reused_heat meter under 'b1'");
        HasNote(row.Notes, "erf: reused energy is not known");
        // Design capacity and racks are recorded for the park only.
        Assert.Null(row.Kpis.ItLoadRate);
        HasNote(row.Notes, "recorded for the park only");

        // The flow of b1 balances through an explicit 'unmetered_supply' source of 120 kWh.
        var flow = Assert.Single(await Service.FlowAsync(Park, "b1", Jan31, Jan31, EnergyBucketing.Day));
        Assert.False(flow.Balanced);
        Near(-120, flow.Unmetered?.KilowattHours);
        Near(120, flow.Links.Single(l => l.Source == "unmetered_supply" && l.Target == "power").Energy.KilowattHours);
    }

    [Fact]
    public async Task A_room_without_facility_input_has_no_PUE_but_a_partial_PUE()
    {
        await EnergyTestPark.SeedAsync(Store, Park);
        // Room b1-r1: pdu1 + pdu2 (IT 2,400) and crah (24 × 5 = 120); no facility input, no power or aux meter.
        // pPUE = (2,400 + 120) / 2,400 = 1.05; CLF = 120 / 2,400 = 0.05.
        var row = Assert.Single(await Service.KpiAsync(Park, "b1-r1", Jan31, Jan31, EnergyBucketing.Day));
        Assert.Null(row.Kpis.Pue);
        Assert.Null(row.Kpis.Plf);
        Near(1.05, row.Kpis.Ppue);
        Near(0.05, row.Kpis.Clf);
        HasNote(row.Notes, "facility_input: no facility_input (grid incoming) meter under 'b1-r1'");
        HasNote(row.Notes, "pue: total energy E_DC is not known");
        HasNote(row.Notes, "power: no electricity meter in system 'power'");
        Assert.Empty(row.Boundary.FacilityInputMeters);
    }

    [Fact]
    public async Task Breakdown_splits_the_total_into_subsystems_and_systems_below_them()
    {
        await EnergyTestPark.SeedAsync(Store, Park);
        var rows = await Service.BreakdownAsync(Park, null, Jan31, Feb1, EnergyBucketing.Day, detail: true);
        var jan = rows[0];
        // Jan 31: total 3,240 = IT 2,400 + cooling 600 + power 192 + aux 48 + remainder 0.
        Near(3240, jan.Total?.KilowattHours);
        Near(2400, jan.It?.KilowattHours);
        Near(600, jan.Cooling?.KilowattHours);
        Near(192, jan.Power?.KilowattHours);
        Near(48, jan.Aux?.KilowattHours);
        Near(0, jan.Unmetered?.KilowattHours);
        // Systems one level below: chiller 24 × 20 = 480, CRAH 24 × 5 = 120, power.loss 192, lighting 48, it.server 2,400.
        double? Sys(BreakdownRow r, string code) => r.Systems.Single(s => s.Code == code).Energy?.KilowattHours;
        Near(480, Sys(jan, "cooling.chiller"));
        Near(120, Sys(jan, "cooling.crah"));
        Near(192, Sys(jan, "power.loss"));
        Near(48, Sys(jan, "aux.lighting"));
        Near(2400, Sys(jan, "it.server"));
        Assert.Equal("cooling", jan.Systems.Single(s => s.Code == "cooling.chiller").Parent);
        Assert.DoesNotContain(jan.Systems, s => s.Code == "cooling.tower");   // only systems that have meters
        // Feb 1: chiller 24 × 30 = 720.
        Near(720, Sys(rows[1], "cooling.chiller"));
        // Shares of the total in the view: IT 2,400 / 3,240 = 0.740741.
        Assert.Equal(0.740741, BreakdownRowView.From(jan).Shares["it"]);
        // Without detail, only the four subsystems.
        var plain = await Service.BreakdownAsync(Park, null, Jan31, Jan31, EnergyBucketing.Total);
        Assert.Equal(["it", "cooling", "power", "aux"], plain[0].Systems.Select(s => s.Code));
    }

    [Fact]
    public async Task Flow_links_balance_at_every_hub()
    {
        await EnergyTestPark.SeedAsync(Store, Park);
        var flow = Assert.Single(await Service.FlowAsync(Park, null, Jan31, Jan31, EnergyBucketing.Day));
        double Link(string s, string t) => flow.Links.Single(l => l.Source == s && l.Target == t).Energy.KilowattHours;
        // Sources: grid 24 × 130 = 3,120 and PV 24 × 5 = 120 into the power distribution hub.
        Near(3120, Link("grid:grid", "power"));
        Near(120, Link("renewable_onsite", "power"));
        // Out of the hub: IT 2,400, cooling 600, aux 48, UPS losses 120, transformer losses 72 = 3,240.
        Near(2400, Link("power", "it"));
        Near(600, Link("power", "cooling"));
        Near(48, Link("power", "aux"));
        Near(480, Link("cooling", "cooling.chiller"));
        Near(120, Link("cooling", "cooling.crah"));
        Near(48, Link("aux", "aux.lighting"));
        Assert.True(flow.Balanced);
        Near(3240, flow.Input?.KilowattHours);
        Near(0, flow.Unmetered?.KilowattHours);
        Assert.DoesNotContain(flow.Nodes, n => n.Kind == "unmetered");
        // Every node with both inflow and outflow balances.
        foreach (var n in flow.Nodes)
        {
            var inflow = flow.Links.Where(l => l.Target == n.Id).Sum(l => l.Energy.KilowattHours);
            var outflow = flow.Links.Where(l => l.Source == n.Id).Sum(l => l.Energy.KilowattHours);
            if (inflow > 0 && outflow > 0) Assert.Equal(inflow, outflow, 6);
        }
        Near(3240, flow.Nodes.Single(n => n.Id == "power").Energy.KilowattHours);
        Assert.Equal("source", flow.Nodes.Single(n => n.Id == "grid:grid").Kind);
    }

    [Fact]
    public async Task A_missing_chiller_reading_shows_as_an_unmetered_flow()
    {
        await EnergyTestPark.SeedAsync(Store, Park, (m, h) => m == "chiller" && h == 5);
        // Jan 31: one chiller reading (20 kWh) missing → cooling 580; input still 3,240 → 20 kWh 'unmetered' (0.62 % > 0.1 %).
        var flow = Assert.Single(await Service.FlowAsync(Park, null, Jan31, Jan31, EnergyBucketing.Day));
        Near(20, flow.Links.Single(l => l.Target == "unmetered").Energy.KilowattHours);
        Assert.False(flow.Balanced);
        Assert.True(flow.Completeness < 1);
        HasNote(flow.Notes, "balance: 20 kWh");
    }

    [Fact]
    public async Task Bad_input_is_refused_naming_the_field()
    {
        await EnergyTestPark.CreateAsync(Store, Park);
        var v = await Assert.ThrowsAsync<ValidationException>(() => Service.KpiAsync(Park, null, Feb1, Jan31, EnergyBucketing.Day));
        Assert.Equal("to", v.Field);
        await Assert.ThrowsAsync<NotFoundException>(() => Service.KpiAsync(Park, "nowhere", Jan31, Feb1, EnergyBucketing.Day));
        await Assert.ThrowsAsync<NotFoundException>(() => Service.BreakdownAsync("nopark", null, Jan31, Feb1, EnergyBucketing.Day));
        Assert.Equal("by", Assert.Throws<ValidationException>(() => EnergyBuckets.Parse("week")).Field);
        // No readings at all: every energy is null and the notes say so.
        var row = Assert.Single(await Service.KpiAsync(Park, Park, Jan31, Jan31, EnergyBucketing.Day));
        Assert.Null(row.Kpis.Pue);
        HasNote(row.Notes, "it: no readings in this period");
    }
}

public sealed class SqliteEnergyServiceTests : EnergyServiceSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

public sealed class PostgresEnergyServiceTests : EnergyServiceSuite
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL energy tests need ZEROPARK_TEST_PG; run ./scripts/test.sh (it starts a server on 127.0.0.1)")
        : TestDatabases.NewPostgresDatabase();
}
