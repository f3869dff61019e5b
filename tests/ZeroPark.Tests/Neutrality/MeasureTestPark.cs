using ZeroPark.Application;
using ZeroPark.Metering;

namespace ZeroPark.Tests.NeutralityModule;

/// <summary>A park with an IT meter and a chiller meter, hourly interval readings over 30 days from 2025-03-01 (day d = 1…30):
/// IT 100 + d kWh every hour; chiller 60 + 0.5 d kWh/h (= 10 + 0.5 × IT) in the baseline (days 1–20), 10 % less from day 21 on.
/// Shared by the reduction-measure suite and the reduction report's tests.</summary>
internal static class MeasureTestPark
{
    public static async Task<string> SeedAsync(ZeroParkStore store)
    {
        const string p = "m1";
        await store.Registry.CreateParkAsync(new ParkDraft(p, "Measure park"));
        await store.Registry.CreateSpaceAsync(p, new SpaceDraft("b1", "Building 1", null));
        await store.Registry.CreateMetersAsync(p,
        [
            new MeterDraft("it", "IT", "electricity", "interval", "kWh") { IntervalMinutes = 60, SystemCode = "it.server", Role = "it_load", SpaceCode = "b1" },
            new MeterDraft("chiller", "Chiller", "electricity", "interval", "kWh") { IntervalMinutes = 60, SystemCode = "cooling.chiller", SpaceCode = "b1" },
        ]);
        var t0 = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.FromHours(8));
        var points = new List<RawPoint>();
        for (var h = 1; h <= 30 * 24; h++)
        {
            var d = (h - 1) / 24 + 1;
            var chiller = 10 + 0.5 * (100 + d);
            points.Add(new RawPoint("it", t0.AddHours(h), 100 + d, points.Count + 1));
            points.Add(new RawPoint("chiller", t0.AddHours(h), d >= 21 ? 0.9 * chiller : chiller, points.Count + 1));
        }
        var s = await store.Readings.IngestAsync(p, points, new IngestSource("test", "tester"));
        Assert.Empty(s.Rejected);
        return p;
    }
}
