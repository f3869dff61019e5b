using System.Net;
using System.Text;
using ZeroPark.Metering;
using ZeroPark.Application;
using ZeroPark.Tests.Api;
using ZeroPark.Tests.EnergyManagement;

namespace ZeroPark.Tests.CarbonAccounting;

/// <summary>
/// CUE has one definition (<see cref="ZeroPark.EnergyManagement.Cue"/>): the energy KPI API, the carbon series API and the carbon
/// analysis API give the same value for the same period, on SQLite and PostgreSQL. The park is <see cref="EnergyTestPark"/>
/// (grid 3,120 kWh on Jan 31 and 3,360 kWh on Feb 1 at the national 2023 factor 0.5306 kgCO2/kWh; IT 2,400 kWh a day) plus a
/// diesel generator meter (50 L in the hour 01:00–02:00 of each day), an entered diesel invoice of 1 t on Feb 1 and an entered
/// park-vehicle gasoline record (not data-centre energy, so not in CUE).
/// <para>Diesel, GHG Protocol with the IPCC 2006 defaults and AR6 (stationary): 1 t = 43.0 GJ = 0.043 TJ → CO2 0.043 × 74,100 =
/// 3,186.3 kg; CH4 0.043 × 10 = 0.43 kg × 29.8 = 12.814 kg; N2O 0.043 × 0.6 = 0.0258 kg × 273 = 7.0434 kg; 3,206.1574 kgCO2e/t.
/// 1 L = 0.84 kg (default density) = 0.00084 t → 2.6931722 kgCO2e/L; 50 L → 134.65861 kg.</para>
/// <para>Jan 31: 3,120 × 0.5306 = 1,655.472 + 134.65861 = 1,790.13061 kg / 2,400 kWh = 0.7458878.
/// Feb 1: 3,360 × 0.5306 = 1,782.816 + 134.65861 + 3,206.1574 = 5,123.63201 kg / 2,400 kWh = 2.1348467.
/// Both days: 6,913.76262 kg / 4,800 kWh = 1.4403672 kgCO2e/kWh.</para>
/// </summary>
public abstract class CueAgreementTests(ApiServer server)
{
    private HttpClient Client => server.Client;
    private const double Jan31Cue = 1_790.1306108 / 2_400;
    private const double Feb1Cue = 5_123.6320108 / 2_400;
    private const double PeriodCue = 6_913.7626216 / 4_800;

    private async Task<string> SeedAsync()
    {
        var park = EnergyTestPark.NewParkCode();
        await using (var store = await ZeroParkStore.OpenAsync(server.Database))
        {
            await EnergyTestPark.SeedAsync(store, park);
            await store.Registry.CreateMetersAsync(park, [new MeterDraft("gen_fuel", "gen_fuel", "diesel", "interval", "L")
                { IntervalMinutes = 60, SystemCode = "energy.generator", Role = "fuel_input", SpaceCode = "b1" }]);
            var s = await store.Readings.IngestAsync(park, [new RawPoint("gen_fuel", EnergyTestPark.T0.AddHours(2), 50, 1), new RawPoint("gen_fuel", EnergyTestPark.T0.AddHours(26), 50, 2)],
                new IngestSource("test", "tester"));
            Assert.Empty(s.Rejected);
        }
        const string csv = "date,source,material,amount,unit,scope3_category,note\n2025-02-01,diesel_generator,diesel,1,t,,invoice\n2025-02-01,vehicle,gasoline,1,t,,fleet\n";
        var imp = await (await Client.PostAsync($"/api/parks/{park}/carbon/activities", new StringContent(csv, Encoding.UTF8, "text/csv"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, imp.Num("accepted"));
        return park;
    }

    [Fact]
    public async Task Energy_kpi_carbon_series_and_carbon_analysis_give_the_same_cue_for_a_period()
    {
        var park = await SeedAsync();
        const string period = "from=2025-01-31&to=2025-02-01";

        // The whole period: one KPI bucket, one series bucket (the year 2025 cut to the period), the analysis.
        var kpi = (await Client.GetJsonAsync($"/api/parks/{park}/energy/kpi?{period}&by=total")).Items().Single();
        Assert.Equal(PeriodCue, kpi.Num("cue")!.Value, 1e-6);
        var year = (await Client.GetJsonAsync($"/api/parks/{park}/carbon/series?{period}&by=year")).Items().Single();
        Assert.Equal(PeriodCue, year.Num("cue_kg_per_kwh")!.Value, 1e-9);
        Assert.Equal(6.9137626216, year.Num("total_t")!.Value, 1e-9);
        var analysis = await Client.GetJsonAsync($"/api/parks/{park}/carbon/analysis?{period}");
        var cue = analysis.Items("intensity").Single(i => i.Str("metric") == "cue");
        Assert.Equal(PeriodCue, cue.Num("value")!.Value, 1e-9);

        // Day by day, the KPI and the series agree too; the hours of a day add up to the day.
        var kpiDays = (await Client.GetJsonAsync($"/api/parks/{park}/energy/kpi?{period}&by=day")).Items();
        var seriesDays = (await Client.GetJsonAsync($"/api/parks/{park}/carbon/series?{period}&by=day")).Items();
        Assert.Equal([Jan31Cue, Feb1Cue], kpiDays.Select(r => Math.Round(r.Num("cue")!.Value, 6)).ToArray(), new Near(1e-6));
        Assert.Equal([Jan31Cue, Feb1Cue], seriesDays.Select(r => r.Num("cue_kg_per_kwh")!.Value).ToArray(), new Near(1e-9));
        var hours = (await Client.GetJsonAsync($"/api/parks/{park}/carbon/series?from=2025-02-01&to=2025-02-01&by=hour")).Items();
        Assert.Equal(5.1236320108, hours.Sum(h => h.Num("total_t")!.Value), 1e-9);
        // The invoice counts in the first hour of its day: 140 × 0.5306 + 3,206.1574 = 3,280.4414 kg.
        Assert.Equal(3.2804414, hours[0].Num("total_t")!.Value, 1e-9);
    }

    private sealed class Near(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(double obj) => 0;
    }
}

public sealed class SqliteCueAgreementTests(SqliteApiServer server) : CueAgreementTests(server), IClassFixture<SqliteApiServer>;

public sealed class PostgresCueAgreementTests(PostgresApiServer server) : CueAgreementTests(server), IClassFixture<PostgresApiServer>;
