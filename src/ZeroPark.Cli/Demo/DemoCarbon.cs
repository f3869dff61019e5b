using System.Globalization;
using System.Text;
using ZeroPark.Carbon;
using ZeroPark.Storage;
using ZeroPark.Storage.Carbon;

namespace ZeroPark.Cli.Demo;

/// <summary>
/// Carbon data of the demo park beyond its meters: refrigerant top-ups (R410A, R134a) and one legacy R22 unit (a memo item),
/// an SF6 top-up of the 110 kV GIS, park vehicles' petrol and canteen LPG, recorded through the same activity import users
/// have; a green power trade and a batch of green certificates for market-based scope 2; base year = the demo's first year.
/// Only records inside the demo period are added. Deterministic.
/// </summary>
internal static class DemoCarbon
{
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
        for (var m = new DateOnly(first.Year, first.Month, 1); m <= last; m = m.AddMonths(1))
        {
            var i = m.Month;
            Add(m.AddDays(4), "vehicle", "gasoline", 380 + 10 * (i % 4), "L", $"park vehicles {m:yyyy-MM}", $"FUEL-{m:yyyyMM}", "b1");
            Add(m.AddDays(9), "canteen", "lpg", 0.35, "t", $"canteen {m:yyyy-MM}", $"LPG-{m:yyyyMM}", "b1");
            if (i % 3 == 0) Add(m.AddDays(14), "refrigerant_leak", "R410A", 6 + i % 5, "kg", $"CRAH top-up {m:yyyy-MM}", $"WO-R410A-{m:yyyyMM}", $"b{1 + i % 4}");
            if (i is 5 or 9) Add(m.AddDays(20), "refrigerant_leak", "R134a", 12, "kg", $"chiller top-up {m:yyyy-MM}", $"WO-R134A-{m:yyyyMM}", "b2");
        }
        Add(new DateOnly(first.Year, 7, 8), "refrigerant_leak", "R22", 4, "kg", "legacy office split unit", "WO-R22-1", "b1");
        Add(new DateOnly(first.Year, 10, 16), "sf6_leak", "SF6", 1.5, "kg", "110 kV GIS annual top-up", "GIS-2025-10", "b1");
        var (rows, errors) = ActivityCsv.Parse(new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString())));
        if (errors.Count > 0) throw new InvalidOperationException("demo activities: " + string.Join("; ", errors.Select(e => $"line {e.Line}: {e.Reason}")));
        await store.ImportActivitiesAsync(park, rows, [], "demo", ct);

        await store.AddInstrumentAsync(park, new Instrument
        {
            Kind = InstrumentKind.GreenPower, QuantityKwh = 2_000_000 * demo.Options.Days / 365.0, CoverFrom = first, CoverTo = last, Region = "华北",
            Reference = $"GP-{park}-{first:yyyy}", Note = "绿电交易 (demo)",
        }, "demo", ct);
        await store.AddInstrumentAsync(park, new Instrument
        {
            Kind = InstrumentKind.Gec, QuantityKwh = 1_000 * 1_000 * demo.Options.Days / 365.0, CoverFrom = first, CoverTo = last,
            Reference = $"GEC-{park}-{first:yyyy}-0001…1000", Note = "绿证 (demo)",
        }, "demo", ct);
        await store.SetCarbonSettingAsync(park, CarbonService.SettingBaseYear, first.Year.ToString(CultureInfo.InvariantCulture), "demo", ct);
    }
}
