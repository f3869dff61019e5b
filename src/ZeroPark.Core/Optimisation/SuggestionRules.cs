using System.Globalization;

namespace ZeroPark.Optimisation;

/// <summary>The kinds of saving suggestions (codes as written in the API, the CLI and the store).</summary>
public static class SuggestionKinds
{
    public const string FreeCooling = "free_cooling_unused";
    public const string CoolingOutOfLine = "cooling_out_of_line";
    public const string ChilledWaterSetpoint = "chw_setpoint_low";
    public const string UpsLowEfficiency = "ups_low_efficiency";
    public const string IdleRacks = "idle_racks";
    public const string NightBaseLoad = "night_base_load";
    public const string OverCooledRoom = "over_cooled_room";

    public static readonly IReadOnlyList<string> All = [FreeCooling, CoolingOutOfLine, ChilledWaterSetpoint, UpsLowEfficiency, IdleRacks, NightBaseLoad, OverCooledRoom];
}

/// <summary>A finding of a rule over an evidence window: what (kind, subject: a node or meter code), the evidence as an English text
/// (translated by the message catalogue) with its figures, and the saving profile: kWh that would not have been used, per local
/// hour of the window (so the saving is priced at the tariff of its hour and converted at the grid factor of its day).</summary>
public sealed record SuggestionFinding(string Kind, string Subject, string Evidence, IReadOnlyDictionary<string, double> Figures,
    IReadOnlyList<(DateTime LocalHour, double Kwh)> Saving)
{
    public double SavingKwh => Saving.Sum(s => s.Kwh);
}

/// <summary>An hour of a node's or meter's data for the rules.</summary>
public sealed record HourSample(DateTime Local, double? Value);

/// <summary>
/// The suggestion rules (pure; thresholds are the stated assumptions, parameters with defaults). Each returns null when the data
/// shows nothing to suggest. Savings are over the evidence window; the service annualises them.
/// </summary>
public static class SuggestionRules
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static string F(double v, string f = "0.#") => v.ToString(f, Inv);

    /// <summary>Free cooling not used: chillers ran in hours cold enough for a water-side economiser. Below <paramref name="fullC"/>
    /// (outdoor wet-bulb if recorded, else dry-bulb) the economiser carries the whole load, so the chillers' energy is the saving;
    /// between <paramref name="fullC"/> and <paramref name="partialC"/> it carries a share falling linearly to 0 (partial free cooling).
    /// Defaults 5 °C / 10 °C: a plate heat exchanger with ~5 K approach for 15 °C chilled-water supply (ODCC whitepaper §五 natural cooling).</summary>
    public static SuggestionFinding? FreeCoolingUnused(string subject, IReadOnlyList<HourSample> outdoorC, IReadOnlyList<HourSample> chillerKwh,
        double fullC = 5, double partialC = 10)
    {
        var saving = new List<(DateTime, double)>();
        int hours = 0, fullHours = 0;
        double chillerInCold = 0;
        var temp = outdoorC.Where(h => h.Value is not null).ToDictionary(h => h.Local, h => h.Value!.Value);
        foreach (var h in chillerKwh)
        {
            if (h.Value is not { } kwh || kwh <= 0 || !temp.TryGetValue(h.Local, out var t) || t > partialC) continue;
            var share = t <= fullC ? 1.0 : (partialC - t) / (partialC - fullC);
            hours++;
            if (t <= fullC) fullHours++;
            chillerInCold += kwh;
            saving.Add((h.Local, kwh * share));
        }
        if (hours == 0) return null;
        var kwhSaved = saving.Sum(s => s.Item2);
        return new SuggestionFinding(SuggestionKinds.FreeCooling, subject,
            string.Format(Inv, "chillers used {0} kWh in {1} hours at or below {2} °C outdoors ({3} of them at or below {4} °C): a water-side economiser could carry {5} kWh of that",
                F(chillerInCold, "0"), hours, F(partialC), fullHours, F(fullC), F(kwhSaved, "0")),
            new Dictionary<string, double> { ["hours"] = hours, ["full_hours"] = fullHours, ["chiller_kwh"] = chillerInCold, ["full_c"] = fullC, ["partial_c"] = partialC },
            saving);
    }

    /// <summary>Cooling out of line with the driver model: days whose cooling energy exceeds the model's expectation (expected CLF at the
    /// day's weather and load × IT energy) by more than <paramref name="sigmas"/> residual standard errors. The saving is the excess over
    /// the expectation on those days, spread evenly over their hours.</summary>
    public static SuggestionFinding? CoolingOutOfLine(string subject, IReadOnlyList<(DateOnly Day, double ActualKwh, double ExpectedKwh, double SigmaKwh)> days,
        double sigmas = 2, int minDays = 2)
    {
        var outliers = days.Where(d => d.SigmaKwh > 0 && d.ActualKwh - d.ExpectedKwh > sigmas * d.SigmaKwh).ToList();
        if (outliers.Count < minDays) return null;
        var excess = outliers.Sum(d => d.ActualKwh - d.ExpectedKwh);
        var saving = outliers.SelectMany(d => Enumerable.Range(0, 24).Select(h => (d.Day.ToDateTime(new TimeOnly(h, 0)), (d.ActualKwh - d.ExpectedKwh) / 24))).ToList();
        return new SuggestionFinding(SuggestionKinds.CoolingOutOfLine, subject,
            string.Format(Inv, "cooling used {0} kWh more than the driver model expects on {1} of {2} days (more than {3} standard errors above; worst {4})",
                F(excess, "0"), outliers.Count, days.Count, F(sigmas), outliers.MaxBy(d => d.ActualKwh - d.ExpectedKwh).Day.ToString("yyyy-MM-dd", Inv)),
            new Dictionary<string, double> { ["days"] = outliers.Count, ["excess_kwh"] = excess },
            saving);
    }

    /// <summary>Chilled-water supply set-point that could rise: the mean supply temperature is below <paramref name="targetC"/>; each
    /// kelvin raised saves about <paramref name="savingPerK"/> of the chillers' energy (typical chiller COP gain 2–4 %/K; 3 % used).</summary>
    public static SuggestionFinding? ChilledWaterSetpoint(string subject, IReadOnlyList<HourSample> supplyC, IReadOnlyList<HourSample> chillerKwh,
        double targetC = 12, double savingPerK = 0.03)
    {
        var temps = supplyC.Where(h => h.Value is not null).Select(h => h.Value!.Value).ToList();
        if (temps.Count == 0) return null;
        var mean = temps.Average();
        if (mean >= targetC) return null;
        var share = Math.Min(0.5, (targetC - mean) * savingPerK);
        var saving = chillerKwh.Where(h => h.Value is > 0).Select(h => (h.Local, h.Value!.Value * share)).ToList();
        if (saving.Count == 0) return null;
        return new SuggestionFinding(SuggestionKinds.ChilledWaterSetpoint, subject,
            string.Format(Inv, "chilled-water supply averaged {0} °C; raising it to {1} °C saves about {2} % of the chillers' {3} kWh",
                F(mean, "0.0"), F(targetC), F(share * 100, "0.#"), F(chillerKwh.Sum(h => h.Value ?? 0), "0")),
            new Dictionary<string, double> { ["mean_supply_c"] = mean, ["target_c"] = targetC, ["saving_share"] = share },
            saving);
    }

    /// <summary>UPS in a low-efficiency band: efficiency Σ output ÷ Σ input below <paramref name="targetEfficiency"/> (a modular UPS
    /// sized to its load, or its high-efficiency mode, reaches 97 % at 40–80 % load). The saving is input − output ÷ target per hour.
    /// The load band is the mean hourly output relative to the busiest hour (no rated capacity is recorded).</summary>
    public static SuggestionFinding? UpsLowEfficiency(string subject, IReadOnlyList<HourSample> inputKwh, IReadOnlyList<HourSample> outputKwh,
        double targetEfficiency = 0.97)
    {
        var output = outputKwh.Where(h => h.Value is not null).ToDictionary(h => h.Local, h => h.Value!.Value);
        var pairs = inputKwh.Where(h => h.Value is > 0 && output.ContainsKey(h.Local)).Select(h => (h.Local, In: h.Value!.Value, Out: output[h.Local])).ToList();
        if (pairs.Count == 0) return null;
        var eff = pairs.Sum(p => p.Out) / pairs.Sum(p => p.In);
        if (eff >= targetEfficiency) return null;
        var peak = pairs.Max(p => p.Out);
        var band = peak > 0 ? pairs.Average(p => p.Out) / peak : 0;
        var saving = pairs.Select(p => (p.Local, Math.Max(0, p.In - p.Out / targetEfficiency))).ToList();
        return new SuggestionFinding(SuggestionKinds.UpsLowEfficiency, subject,
            string.Format(Inv, "UPS efficiency {0} % over {1} hours (mean load {2} % of its busiest hour), below the {3} % of a right-sized or high-efficiency-mode UPS",
                F(eff * 100, "0.0"), pairs.Count, F(band * 100, "0"), F(targetEfficiency * 100, "0.#")),
            new Dictionary<string, double> { ["efficiency"] = eff, ["load_band"] = band, ["target_efficiency"] = targetEfficiency },
            saving);
    }

    /// <summary>Idle or under-used racks: a rack whose mean power is below <paramref name="share"/> of the median rack's (or below
    /// <paramref name="minKw"/>) still draws IT energy and its cooling overhead; consolidating it saves its energy × PUE.</summary>
    public static SuggestionFinding? IdleRacks(string subject, IReadOnlyList<(string Rack, IReadOnlyList<HourSample> Kwh)> racks, double pue,
        double share = 0.1, double minKw = 0.3)
    {
        var means = racks.Select(r => (r.Rack, r.Kwh, Mean: r.Kwh.Where(h => h.Value is not null).Select(h => h.Value!.Value).DefaultIfEmpty(double.NaN).Average()))
            .Where(r => !double.IsNaN(r.Mean)).ToList();
        if (means.Count < 3) return null;
        var sorted = means.Select(r => r.Mean).Order().ToList();
        var median = sorted[sorted.Count / 2];
        var idle = means.Where(r => r.Mean < Math.Max(minKw, share * median)).ToList();
        if (idle.Count == 0) return null;
        var saving = idle.SelectMany(r => r.Kwh.Where(h => h.Value is > 0).Select(h => (h.Local, h.Value!.Value * pue)))
            .GroupBy(s => s.Local).Select(g => (g.Key, g.Sum(x => x.Item2))).OrderBy(s => s.Key).ToList();
        return new SuggestionFinding(SuggestionKinds.IdleRacks, subject,
            string.Format(Inv, "{0} of {1} racks draw less than {2} kW on average (median rack {3} kW): {4}",
                idle.Count, means.Count, F(Math.Max(minKw, share * median), "0.##"), F(median, "0.##"), string.Join(", ", idle.Take(10).Select(r => r.Rack))),
            new Dictionary<string, double> { ["idle_racks"] = idle.Count, ["racks"] = means.Count, ["median_kw"] = median, ["pue"] = pue },
            saving);
    }

    /// <summary>High night-time base load of a load that follows people (lighting, office): mean night power (00:00–06:00) above
    /// <paramref name="maxRatio"/> of the mean working-day power (09:00–18:00 Monday–Friday). The saving is the night energy above that
    /// ratio (occupancy sensors, schedules).</summary>
    public static SuggestionFinding? NightBaseLoad(string subject, IReadOnlyList<HourSample> kwh, double maxRatio = 0.25)
    {
        var day = kwh.Where(h => h.Value is not null && h.Local.Hour is >= 9 and < 18 && h.Local.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            .Select(h => h.Value!.Value).ToList();
        var night = kwh.Where(h => h.Value is not null && h.Local.Hour < 6).ToList();
        if (day.Count == 0 || night.Count == 0) return null;
        var dayMean = day.Average();
        if (dayMean <= 0) return null;
        var nightMean = night.Average(h => h.Value!.Value);
        var ratio = nightMean / dayMean;
        if (ratio <= maxRatio) return null;
        var limit = maxRatio * dayMean;
        var saving = night.Select(h => (h.Local, Math.Max(0, h.Value!.Value - limit))).ToList();
        return new SuggestionFinding(SuggestionKinds.NightBaseLoad, subject,
            string.Format(Inv, "night-time load (00:00–06:00) averages {0} kW, {1} % of the working-day load of {2} kW (at most {3} % expected)",
                F(nightMean, "0.##"), F(ratio * 100, "0"), F(dayMean, "0.##"), F(maxRatio * 100, "0")),
            new Dictionary<string, double> { ["night_kw"] = nightMean, ["day_kw"] = dayMean, ["ratio"] = ratio, ["max_ratio"] = maxRatio },
            saving);
    }

    /// <summary>The lower end of the ASHRAE TC9.9 recommended envelope of IT inlet air, 18–27 °C (Thermal Guidelines for Data Processing
    /// Environments; the same range as GB 50174-2017 appendix A for the cold aisle / rack inlet).</summary>
    public const double RecommendedInletMinC = 18;
    /// <summary>The upper end of the recommended envelope (see <see cref="RecommendedInletMinC"/>).</summary>
    public const double RecommendedInletMaxC = 27;

    /// <summary>The <paramref name="p"/>-th percentile (0 &lt; p ≤ 1) by nearest rank: the value at rank ⌈p·n⌉ of the ascending values.</summary>
    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0) throw new ArgumentException("no values", nameof(values));
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(p * sorted.Count - 1e-9);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }

    /// <summary>Over-cooled room: the room's cold-aisle (IT inlet) temperature stays well below the set-point it could run at. Over the
    /// hours with an inlet reading, the 90th percentile (nearest rank) is below <paramref name="targetC"/> − <paramref name="marginK"/>:
    /// even the warmest tenth of hours is that far below the target. Raising the set-point by target − P90 keeps nine hours in ten at or
    /// below the target (and inside the ASHRAE TC9.9 recommended 18–27 °C, since the target is); each kelvin saves about
    /// <paramref name="savingPerK"/> of the room's cooling energy (a stated assumption, default 3 %/K, at most 50 % in all).
    /// <paramref name="roomCoolingKwh"/> is the room's share of cooling energy per hour; the saving counts the hours with an inlet reading.</summary>
    public static SuggestionFinding? OverCooledRoom(string subject, string sensors, IReadOnlyList<HourSample> inletC, IReadOnlyList<HourSample> roomCoolingKwh,
        double targetC = 24, double marginK = 2, double savingPerK = 0.03)
    {
        var inlet = inletC.Where(h => h.Value is not null).ToDictionary(h => h.Local, h => h.Value!.Value);
        if (inlet.Count == 0) return null;
        var temps = inlet.Values.ToList();
        var p90 = Percentile(temps, 0.9);
        var threshold = targetC - marginK;
        if (p90 >= threshold) return null;
        var raise = targetC - p90;
        var share = Math.Min(0.5, raise * savingPerK);
        var covered = roomCoolingKwh.Where(h => h.Value is > 0 && inlet.ContainsKey(h.Local)).ToList();
        if (covered.Count == 0) return null;
        var cooling = covered.Sum(h => h.Value!.Value);
        var saving = covered.Select(h => (h.Local, h.Value!.Value * share)).ToList();
        var mean = temps.Average();
        var below = temps.Count(t => t < threshold);
        var below18 = temps.Count(t => t < RecommendedInletMinC);
        return new SuggestionFinding(SuggestionKinds.OverCooledRoom, subject,
            string.Format(Inv, "cold-aisle inlet ({0}) averaged {1} °C over {2} hours (90th percentile {3} °C; {4} hours below {5} °C, {6} below the 18 °C floor of the ASHRAE TC9.9 recommended 18–27 °C): raising the set-point {7} K to {8} °C saves about {9} % of the room's {10} kWh of cooling (assumed {11} % per K; ENERGY STAR: 4–5 % of energy cost per °F)",
                sensors, F(mean, "0.0"), temps.Count, F(p90, "0.0"), below, F(threshold), below18, F(raise, "0.0"), F(targetC), F(share * 100, "0.#"), F(cooling, "0"), F(savingPerK * 100, "0.#")),
            new Dictionary<string, double>
            {
                ["mean_c"] = mean, ["p10_c"] = Percentile(temps, 0.1), ["p90_c"] = p90, ["hours"] = temps.Count, ["hours_below_threshold"] = below, ["hours_below_18c"] = below18,
                ["threshold_c"] = threshold, ["target_c"] = targetC, ["raise_k"] = raise, ["saving_per_k"] = savingPerK, ["saving_share"] = share, ["room_cooling_kwh"] = cooling,
            },
            saving);
    }
}
