namespace ZeroPark.Optimisation;

/// <summary>The drivers the analysis knows, as column names: outdoor dry-bulb (°C), IT load rate (0–1), chilled-water supply
/// temperature (°C) and free-cooling hours per day (h).</summary>
public static class Drivers
{
    public const string OutdoorTemperature = "outdoor_temp_c";
    public const string ItLoadRate = "it_load_rate";
    public const string ChilledWaterSupply = "chw_supply_c";
    public const string FreeCoolingHours = "free_cooling_h";

    public static readonly IReadOnlyList<string> All = [OutdoorTemperature, ItLoadRate, ChilledWaterSupply, FreeCoolingHours];
}

/// <summary>One observation (a local day) of the driver analysis: the response (PUE, or the cooling load factor CLF) and the
/// drivers by name (null where not recorded that day).</summary>
public sealed record DriverObservation(DateOnly Date, double? Response, IReadOnlyDictionary<string, double?> Drivers);

/// <summary>The fitted driver model: response = b₀ + Σ bⱼ·driverⱼ, with standard errors and 95 % intervals (<see cref="RegressionFit"/>),
/// the drivers used (those recorded on enough days and not constant), the reference point (the mean of each driver over the fit)
/// and the drivers left out with the reason.</summary>
public sealed record DriverModel(string Response, RegressionFit Fit, IReadOnlyList<string> Used, IReadOnlyDictionary<string, double> Reference,
    IReadOnlyDictionary<string, string> LeftOut)
{
    private double[] Vector(IReadOnlyDictionary<string, double> at) =>
        Used.Select(d => at.TryGetValue(d, out var v) ? v : Reference[d]).ToArray();

    /// <summary>The expected response at the given driver values (drivers not given take the reference value), with the 95 % interval of
    /// the mean.</summary>
    public (double Expected, double Low95, double High95) Expected(IReadOnlyDictionary<string, double> at)
    {
        var x = Vector(at);
        var (lo, hi) = Fit.MeanInterval95(x);
        return (Fit.Predict(x), lo, hi);
    }

    /// <summary>The normalised response of a period: actual − Σ bⱼ (xⱼ,period − xⱼ,ref), i.e. what the period would have shown at the
    /// reference conditions (so two months compare fairly whatever their weather and load).</summary>
    public double Normalise(double actual, IReadOnlyDictionary<string, double> periodDrivers)
    {
        var v = actual;
        for (var j = 0; j < Used.Count; j++)
            if (periodDrivers.TryGetValue(Used[j], out var x))
                v -= Fit.Coefficients[j + 1].Estimate * (x - Reference[Used[j]]);
        return v;
    }
}

/// <summary>Driver analysis of PUE or cooling (pure): OLS of the daily response on the drivers recorded (see <see cref="Drivers"/>).</summary>
public static class DriverAnalysis
{
    /// <summary>A driver is used when it is recorded on at least this share of the days with a response.</summary>
    public const double MinCoverage = 0.8;

    public static DriverModel Fit(string response, IReadOnlyList<DriverObservation> days)
    {
        var withResponse = days.Where(d => d.Response is { } r && double.IsFinite(r)).ToList();
        var used = new List<string>();
        var leftOut = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in Drivers.All)
        {
            var values = withResponse.Select(d => d.Drivers.TryGetValue(name, out var v) ? v : null).ToList();
            var have = values.Count(v => v is not null);
            if (have == 0) { leftOut[name] = "not recorded"; continue; }
            if (have < MinCoverage * withResponse.Count) { leftOut[name] = $"recorded on {have} of {withResponse.Count} days (needs {MinCoverage:P0})"; continue; }
            var xs = values.Where(v => v is not null).Select(v => v!.Value).ToList();
            if (xs.Max() - xs.Min() < 1e-9) { leftOut[name] = "constant: no variation to learn from"; continue; }
            used.Add(name);
        }
        var rows = withResponse.Where(d => used.All(u => d.Drivers.TryGetValue(u, out var v) && v is not null)).ToList();
        if (rows.Count <= used.Count + 2)
            throw new ArgumentException($"{rows.Count} days with {response} and every driver recorded are too few for {used.Count} driver(s)");
        var x = rows.Select(d => used.Select(u => d.Drivers[u]!.Value).ToArray()).ToList();
        var y = rows.Select(d => d.Response!.Value).ToList();
        var fit = LinearRegression.Ols(x, y, used);
        var reference = used.Select((u, j) => (u, x.Average(r => r[j]))).ToDictionary(p => p.u, p => p.Item2, StringComparer.Ordinal);
        return new DriverModel(response, fit, used, reference, leftOut);
    }
}
