using System.Globalization;
using ZeroPark.Domain;
using ZeroPark.Optimisation;

namespace ZeroPark.Application.Optimisation;

/// <summary>The expected response at given driver values, with the 95 % interval of the mean.</summary>
public sealed record ExpectedValue(IReadOnlyDictionary<string, double> At, double Expected, double Low95, double High95);

/// <summary>One month: the actual PUE (or CLF) by the KPI definition, the drivers' monthly means, and the normalised value (at the
/// reference conditions of the fit).</summary>
public sealed record NormalisedMonth(string Month, double? Actual, double? Normalised, IReadOnlyDictionary<string, double> Drivers, int Days);

/// <summary>The driver analysis of a node: the coefficients with standard errors and 95 % intervals, the fit, the reference conditions,
/// the drivers left out (why), the expected value at the conditions asked for, and the normalised value per month.</summary>
public sealed record DriverResult(string Park, string Node, string Response, string From, string To, int Days, double RSquared, double ResidualStdError,
    IReadOnlyList<Coefficient> Coefficients, IReadOnlyDictionary<string, double> Reference, IReadOnlyDictionary<string, string> LeftOut, ExpectedValue? Expected,
    IReadOnlyList<NormalisedMonth> Months, IReadOnlyList<string> Notes);

/// <summary>
/// What drives PUE and cooling: an OLS of the daily PUE (response <c>pue</c>) or cooling load factor CLF = E_cooling ÷ E_IT (response
/// <c>clf</c>) on outdoor temperature (daily mean of the weather gauge; wet-bulb where recorded), IT load rate (the KPI's
/// it_load_rate for the park; for a building, whose design capacity is not recorded, the day's IT power ÷ the highest day's),
/// chilled-water supply temperature and free-cooling hours where recorded (<see cref="DriverAnalysis"/>). Daily PUE and the monthly
/// PUE come from <see cref="ZeroPark.EnergyManagement.KpiCalculator"/> (the one definition).
/// </summary>
public sealed class DriverService(ZeroParkStore store)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private readonly OptimisationData _data = new(store);

    public static string ParseResponse(string? s) => (s ?? "pue").Trim().ToLowerInvariant() switch
    {
        "pue" or "" => "pue",
        "clf" or "cooling" => "clf",
        _ => throw new ValidationException("response", $"'{s}' is not a response (pue or clf)"),
    };

    /// <summary>The analysis over local dates from..to (default: the last 365 complete days).</summary>
    public async Task<DriverResult> AnalyseAsync(string parkCode, string? node, string? response, DateOnly? from = null, DateOnly? to = null,
        IReadOnlyDictionary<string, double>? at = null, CancellationToken ct = default)
    {
        var r = ParseResponse(response);
        var last = await _data.LastCompleteDayAsync(parkCode, ct) ?? throw new ValidationException("park", $"park '{parkCode}' has no readings");
        var t = to ?? last;
        var f = from ?? t.AddDays(-364);
        if (f > t) throw new ValidationException("from", $"'from' ({f:yyyy-MM-dd}) is after 'to' ({t:yyyy-MM-dd})");
        var hist = await _data.LoadAsync(parkCode, node, f, t, Granularity.Day, ct);
        var (model, days) = Fit(hist, r);
        if (at is not null)
            foreach (var k in at.Keys)
                if (!Drivers.All.Contains(k)) throw new ValidationException("at", $"'{k}' is not a driver ({string.Join(", ", Drivers.All)})");
        ExpectedValue? expected = null;
        if (at is { Count: > 0 })
        {
            var (e, lo, hi) = model.Expected(at);
            expected = new ExpectedValue(at, e, lo, hi);
        }
        var notes = new List<string>(hist.Notes);
        if (!hist.IsPark || hist.Registry.Park.DesignItCapacity is null)
            notes.Add("it_load_rate: no design IT capacity for this node: the day's IT power ÷ the highest day's IT power of the period");
        return new DriverResult(hist.Registry.Park.Code, hist.Node, r, f.ToString("yyyy-MM-dd", Inv), t.ToString("yyyy-MM-dd", Inv), model.Fit.N, Math.Round(model.Fit.RSquared, 4),
            model.Fit.ResidualStdError, model.Fit.Coefficients, model.Reference, model.LeftOut, expected, Months(hist, r, model, days), notes);
    }

    /// <summary>The daily observations of a node's history and the fitted model.</summary>
    internal static (DriverModel Model, IReadOnlyList<DriverObservation> Days) Fit(NodeHistory hist, string response)
    {
        var days = Observations(hist, response);
        try
        {
            return (DriverAnalysis.Fit(response, days), days);
        }
        catch (ArgumentException e)
        {
            throw new ValidationException("drivers", e.Message);
        }
    }

    internal static IReadOnlyList<DriverObservation> Observations(NodeHistory hist, string response)
    {
        var n = hist.Local.Length;
        var maxIt = hist.It.Where(v => v is > 0).Select(v => v!.Value).DefaultIfEmpty(0).Max();
        var list = new List<DriverObservation>(n);
        for (var i = 0; i < n; i++)
        {
            double? y = response == "pue" ? hist.Pue[i] : hist.Cooling[i] is { } c && hist.It[i] is > 0 ? c / hist.It[i]!.Value : null;
            double? load = hist.ItLoadRate[i] ?? (maxIt > 0 && hist.It[i] is { } it ? it / maxIt : null);
            list.Add(new DriverObservation(DateOnly.FromDateTime(hist.Local[i]), y, new Dictionary<string, double?>
            {
                [Drivers.OutdoorTemperature] = hist.Temperature[i],
                [Drivers.ItLoadRate] = load,
                [Drivers.ChilledWaterSupply] = hist.ChilledWaterSupply[i],
                [Drivers.FreeCoolingHours] = hist.FreeCoolingShare[i] is { } s ? s / 100 * 24 : null,
            }));
        }
        return list;
    }

    private static List<NormalisedMonth> Months(NodeHistory hist, string response, DriverModel model, IReadOnlyList<DriverObservation> days)
    {
        var result = new List<NormalisedMonth>();
        foreach (var g in Enumerable.Range(0, days.Count).GroupBy(i => (days[i].Date.Year, days[i].Date.Month)))
        {
            var idx = g.Where(i => hist.Facility[i] is not null && hist.It[i] is > 0 && (response == "pue" || hist.Cooling[i] is not null)).ToList();
            if (idx.Count == 0) continue;
            var it = idx.Sum(i => hist.It[i]!.Value);
            var period = TimeSpan.FromDays(idx.Count);
            double? actual = response == "pue" ? ForecastService.Pue(idx.Sum(i => hist.Facility[i]!.Value), it, period) : idx.Sum(i => hist.Cooling[i]!.Value) / it;
            var drivers = model.Used.Select(d => (d, vals: idx.Select(i => days[i].Drivers[d]).Where(v => v is not null).Select(v => v!.Value).ToList()))
                .Where(x => x.vals.Count > 0).ToDictionary(x => x.d, x => Math.Round(x.vals.Average(), 4), StringComparer.Ordinal);
            double? normalised = actual is { } a ? Math.Round(model.Normalise(a, drivers), 4) : null;
            result.Add(new NormalisedMonth($"{g.Key.Year:0000}-{g.Key.Month:00}", actual is null ? null : Math.Round(actual.Value, 4), normalised, drivers, idx.Count));
        }
        return result;
    }
}
