using ZeroPark.Application;
using ZeroPark.Application.Carbon;
using ZeroPark.Application.Neutrality;
using ZeroPark.Application.Optimisation;
using ZeroPark.Optimisation;

namespace ZeroPark.Cli.Demo;

/// <summary>The demo's optimisation data: stored forecasts of facility energy and PUE (24 hours and 7 days from the end of the data, each
/// with its backtest) and one run of the saving rules, so the optimisation pages have content at once (a few seconds).</summary>
internal static class DemoOptimisation
{
    public static async Task SeedAsync(ZeroParkStore store, DemoPark demo, CancellationToken ct)
    {
        var park = demo.Options.ParkCode;
        var forecasts = new ForecastService(store);
        var carbon = new CarbonService(store);
        try
        {
            foreach (var target in new[] { ForecastTargets.FacilityEnergy, ForecastTargets.Pue })
                foreach (var h in new[] { ForecastHorizon.Day, ForecastHorizon.Week })
                    await forecasts.ForecastAsync(park, null, target, h, true, "demo", ct);
            await new SuggestionService(store, carbon, new MeasureService(store, carbon)).AnalyseAsync(park, null, null, "demo", ct);
        }
        catch (ValidationException)
        {
            // A demo too short for the models (e.g. --days 2) has no forecasts or suggestions: the pages say so.
        }
    }
}
