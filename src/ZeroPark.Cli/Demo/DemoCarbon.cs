using System.Globalization;
using System.Text;
using ZeroPark.Carbon;
using ZeroPark.Application;
using ZeroPark.Application.Carbon;

namespace ZeroPark.Cli.Demo;

/// <summary>
/// Carbon data of the demo park beyond its meters: refrigerant top-ups (R410A, R134a) and one legacy R22 unit (a memo item),
/// an SF6 top-up of the 110 kV GIS, park vehicles' petrol and canteen LPG, recorded through the same activity import users
/// have; a green power trade and a batch of green certificates for market-based scope 2; base year = the demo's first year.
/// Scope 1 diesel is metered (the generators' fuel meters: monthly load tests), plus the quarterly test of a rented mobile generator.
/// Scope 3: purchased goods and services (spare parts and consumables, by spend), capital goods (servers), waste (general and
/// e-waste), business travel (air and rail) and the T&amp;D losses of the billed grid electricity (category 3; as an activity record of
/// its own material, so the demo's factor does not switch on category 3 for other parks' metered electricity). The scope 3 factors are ILLUSTRATIVE values of the demo's own dataset <see cref="FactorDataset"/> (ZeroPark ships none; a real
/// inventory uses its suppliers' or an LCA database's). Only records inside the demo period are added. Deterministic.
/// </summary>
internal static class DemoCarbon
{
    /// <summary>The dataset of the demo's illustrative scope 3 factors.</summary>
    public const string FactorDataset = "DEMO-ILLUSTRATIVE";

    private static FactorRecord F(string material, double kgCo2e, string unit, string note) => new()
    {
        Dataset = FactorDataset, Material = material, Gas = "CO2e", Value = kgCo2e, Unit = $"kgCO2e/{unit}", Publisher = "ZeroPark demo",
        Document = "illustrative demo value: replace with your supplier's or LCA database's factor", ValidFrom = new DateOnly(2020, 1, 1), Note = note,
    };

    /// <summary>Illustrative order-of-magnitude factors (kgCO2e per unit), not for reporting.</summary>
    private static readonly FactorRecord[] Factors =
    [
        F("spare_parts", 0.42, "CNY", "spend-based, of the order of EEIO factors for electrical equipment manufacturing in China"),
        F("server", 1300, "item", "cradle-to-gate of a 2-socket rack server, of the order of manufacturers' product carbon footprints"),
        F("general_waste", 520, "t", "mixed municipal waste to landfill, of the order of published landfill factors"),
        F("e_waste", 21, "t", "WEEE to open-loop recycling (transport and processing)"),
        F("air_travel", 0.15, "pkm", "domestic flight, economy, without radiative forcing, of the order of published per-pkm factors"),
        F("rail_travel", 0.04, "pkm", "high-speed rail, of the order of published per-pkm factors for electrified rail in China"),
        F("grid_td_losses", 0.028, "kWh", "transmission and distribution losses of purchased electricity: line loss rate ≈ 5 % × grid average 0.5568 kgCO2/kWh"),
    ];

    public static async Task SeedAsync(ZeroParkStore store, DemoPark demo, CancellationToken ct)
    {
        var park = demo.Options.ParkCode;
        var first = demo.Options.StartDate;
        var last = first.AddDays(demo.Options.Days - 1);
        var csv = new StringBuilder("date,source,material,amount,unit,scope3_category,note,evidence,space\n");
        void Add(DateOnly d, string source, string material, double amount, string unit, string note, string evidence, string space)
        {
            if (d >= first && d <= last)
                csv.Append(CultureInfo.InvariantCulture, $"{d:yyyy-MM-dd},{source},{material},{amount},{unit},,{note},{evidence},{space}\n");
        }
        var grid = new Dictionary<int, double[]>();
        for (var m = new DateOnly(first.Year, first.Month, 1); m <= last; m = m.AddMonths(1))
        {
            var i = m.Month;
            Add(m.AddDays(4), "vehicle", "gasoline", 380 + 10 * (i % 4), "L", $"park vehicles {m:yyyy-MM}", $"FUEL-{m:yyyyMM}", "b1");
            Add(m.AddDays(9), "canteen", "lpg", 0.35, "t", $"canteen {m:yyyy-MM}", $"LPG-{m:yyyyMM}", "b1");
            if (i % 3 == 0) Add(m.AddDays(14), "refrigerant_leak", "R410A", 6 + i % 5, "kg", $"CRAH top-up {m:yyyy-MM}", $"WO-R410A-{m:yyyyMM}", $"b{1 + i % 4}");
            if (i is 5 or 9) Add(m.AddDays(20), "refrigerant_leak", "R134a", 12, "kg", $"chiller top-up {m:yyyy-MM}", $"WO-R134A-{m:yyyyMM}", "b2");
            if (i % 3 == 2) Add(m.AddDays(11), "diesel_generator", "diesel", 120, "L", $"mobile generator test {m:yyyy-MM}", $"DG-MOBILE-{m:yyyyMM}", "b1");
            // Scope 3.
            Add(m.AddDays(24), "purchased_goods", "spare_parts", 180_000 + 20_000 * (i % 3), "CNY", $"spare parts and consumables {m:yyyy-MM}", $"PO-SP-{m:yyyyMM}", "");
            if (i % 3 == 1) Add(m.AddDays(17), "capital_goods", "server", 40 + 8 * (i % 2), "item", $"rack-in of new servers {m:yyyy-MM}", $"PO-SRV-{m:yyyyMM}", "b3");
            Add(m.AddDays(27), "waste", "general_waste", 2.4 + 0.1 * (i % 4), "t", $"general waste {m:yyyy-MM}", $"WASTE-{m:yyyyMM}", "");
            if (i % 6 == 0) Add(m.AddDays(27), "waste", "e_waste", 1.2, "t", $"e-waste to a licensed recycler {m:yyyy-MM}", $"EWASTE-{m:yyyyMM}", "");
            Add(m.AddDays(26), "business_travel", "air_travel", 18_000 + 1_500 * (i % 5), "pkm", $"flights {m:yyyy-MM}", $"TRAVEL-AIR-{m:yyyyMM}", "");
            Add(m.AddDays(26), "business_travel", "rail_travel", 25_000 + 2_000 * (i % 4), "pkm", $"high-speed rail {m:yyyy-MM}", $"TRAVEL-RAIL-{m:yyyyMM}", "");
            // Category 3: T&D losses of the month's purchased electricity as billed (the load model's grid kWh, rounded to 100 kWh).
            if (!grid.TryGetValue(m.Year, out var g)) grid[m.Year] = g = DemoPlans.Expected(demo, m.Year).Grid.Values.Aggregate(new double[12], (a, b) => a.Zip(b, (x, y) => x + y).ToArray());
            Add(m.AddDays(27), "fuel_energy_upstream", "grid_td_losses", Math.Round(g[m.Month - 1] / 100) * 100, "kWh", $"electricity bill {m:yyyy-MM}", $"BILL-{m:yyyyMM}", "");
        }
        Add(new DateOnly(first.Year, 7, 8), "refrigerant_leak", "R22", 4, "kg", "legacy office split unit", "WO-R22-1", "b1");
        Add(new DateOnly(first.Year, 10, 16), "sf6_leak", "SF6", 1.5, "kg", "110 kV GIS annual top-up", "GIS-2025-10", "b1");
        await store.Carbon.AddFactorsAsync(Factors, "demo", ct);
        var (rows, errors) = ActivityCsv.Parse(new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString())));
        if (errors.Count > 0) throw new InvalidOperationException("demo activities: " + string.Join("; ", errors.Select(e => $"line {e.Line}: {e.Reason}")));
        await store.Carbon.ImportActivitiesAsync(park, rows, [], "demo", ct);

        await store.Carbon.AddInstrumentAsync(park, new Instrument
        {
            Kind = InstrumentKind.GreenPower, QuantityKwh = 2_000_000 * demo.Options.Days / 365.0, CoverFrom = first, CoverTo = last, Region = "华北",
            Reference = $"GP-{park}-{first:yyyy}", Note = "绿电交易 (demo)",
        }, "demo", ct);
        await store.Carbon.AddInstrumentAsync(park, new Instrument
        {
            Kind = InstrumentKind.Gec, QuantityKwh = 1_000 * 1_000 * demo.Options.Days / 365.0, CoverFrom = first, CoverTo = last,
            Reference = $"GEC-{park}-{first:yyyy}-0001…1000", Note = "绿证 (demo)",
        }, "demo", ct);
        await store.Carbon.SetCarbonSettingAsync(park, CarbonService.SettingBaseYear, first.Year.ToString(CultureInfo.InvariantCulture), "demo", ct);
    }
}
