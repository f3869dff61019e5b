using System.Globalization;
using ZeroPark.Application.Carbon;
using ZeroPark.Application.EnergyManagement;
using ZeroPark.Application.Readings;
using ZeroPark.Domain;
using ZeroPark.Optimisation;

namespace ZeroPark.Application.Optimisation;

/// <summary>What an analysis run did: the window, the findings stored (annual savings), and the rules that found nothing or could not
/// run for want of data (why).</summary>
public sealed record SuggestionAnalysis(string Park, string From, string To, IReadOnlyList<SuggestionWrite> Found, IReadOnlyList<string> NotApplicable);

/// <summary>
/// Runs the saving rules (<see cref="SuggestionRules"/>) over a window of the park's data (default the last 30 complete days), for the
/// park's buildings, and stores what they find as suggestions; free cooling, which depends on the season, is judged over the 365 days
/// up to the window's end. Every saving is annualised (× 365 ÷ days of the window) and valued:
/// kWh; tCO2e at the location-based grid factor the carbon module uses for each day (<see cref="CarbonService.GridFactorsAsync"/>);
/// CNY at the park's time-of-use tariff of each hour (<see cref="TariffStore"/>, the version valid that day) — null when the park has no
/// factor or tariff. Accepting a suggestion registers it as a reduction measure in the neutrality module's register
/// (<see cref="Neutrality.MeasureService.CreateAsync"/>: boundary = the meters the suggestion is about, baseline = its evidence window, start =
/// today), whose saving that module then measures against its baseline; rejecting needs a reason; snoozing needs a date.
/// </summary>
public sealed class SuggestionService(ZeroParkStore store, CarbonService carbon, Neutrality.MeasureService measures)
{
    public const int DefaultWindowDays = 30;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private readonly OptimisationData _data = new(store);

    public async Task<SuggestionAnalysis> AnalyseAsync(string parkCode, DateOnly? from, DateOnly? to, string user, CancellationToken ct = default)
    {
        var reg = await store.Registry.GetRegistryAsync(parkCode, ct);
        var last = await _data.LastCompleteDayAsync(parkCode, ct) ?? throw new ValidationException("park", $"park '{parkCode}' has no readings");
        var t = to ?? last;
        var f = from ?? t.AddDays(-(DefaultWindowDays - 1));
        if (f > t) throw new ValidationException("from", $"'from' ({f:yyyy-MM-dd}) is after 'to' ({t:yyyy-MM-dd})");
        if (t.DayNumber - f.DayNumber > 366) throw new ValidationException("to", "the window is longer than a year");
        var findings = new List<SuggestionFinding>();
        var yearFindings = new List<SuggestionFinding>();
        var notApplicable = new List<string>();
        var buildings = reg.SpacesById.Values.Where(s => s.Level == SpaceLevel.Building).OrderBy(s => s.Code, StringComparer.Ordinal).ToList();
        var parkHours = await _data.LoadAsync(parkCode, null, f, t, Granularity.Hour, ct);
        // Free cooling depends on the season: it is judged over the year up to the window's end, whatever the window.
        var yearFrom = t.AddDays(-364);
        var yearTemp = await _data.LoadAsync(parkCode, null, yearFrom, t, Granularity.Hour, ct);
        var temp = Samples(yearTemp.Local, yearTemp.Temperature);
        var hasTemp = yearTemp.Temperature.Any(v => v is not null);
        if (!hasTemp) notApplicable.Add($"{SuggestionKinds.FreeCooling}: no outdoor temperature gauge (carrier ambient, °C)");

        async Task<IReadOnlyList<HourSample>?> Node(string? space, string system, DateOnly? since = null)
        {
            if (!reg.MetersById.Values.Any(m => !m.IsInstantaneous && m.IsSummable && m.Carrier == Carrier.Electricity && m.SystemCode is { } s && SystemTaxonomy.IsUnder(s, system)
                                                && (space is null || reg.IsUnder(m.SpaceId, reg.SpacesByCode[space].Id))))
                return null;
            var r = await store.Queries.SeriesAsync(parkCode, SeriesTarget.Node(space, system: system, carrier: Carrier.Electricity), since ?? f, t, Granularity.Hour, ct);
            return r.Buckets.Select(b => new HourSample(b.Start.DateTime, b.Value)).ToList();
        }

        var scopes = buildings.Count > 0 ? buildings.Select(b => (string?)b.Code).ToList() : [null];
        foreach (var b in scopes)
        {
            var subject = b ?? reg.Park.Code;
            var chillers = await Node(b, "cooling.chiller");
            if (hasTemp && await Node(b, "cooling.chiller", yearFrom) is { } yearChillers && SuggestionRules.FreeCoolingUnused(subject, temp, yearChillers) is { } fc)
                yearFindings.Add(fc);
            var hist = b is null ? parkHours : await _data.LoadAsync(parkCode, b, f, t, Granularity.Hour, ct);
            if (hist.ChilledWaterSupply.Any(v => v is not null) && chillers is not null
                && SuggestionRules.ChilledWaterSetpoint(subject, Samples(hist.Local, hist.ChilledWaterSupply), chillers) is { } chw) findings.Add(chw);
            foreach (var sys in new[] { "aux.lighting", "aux.office" })
                if (await Node(b, sys) is { } load && SuggestionRules.NightBaseLoad($"{subject}/{sys}", load) is { } nb) findings.Add(nb);
            if (await CoolingOutOfLineAsync(parkCode, b, subject, f, t, ct) is { } col) findings.Add(col);
        }
        if (!reg.MetersById.Values.Any(m => m.Kind == MeterKind.Gauge && m.Carrier == Carrier.ChilledWater))
            notApplicable.Add($"{SuggestionKinds.ChilledWaterSetpoint}: no chilled-water supply temperature gauge (carrier chilled_water, °C)");
        findings.AddRange(await OverCooledRoomsAsync(parkCode, reg, f, t, await store.Optimisation.SettingsAsync(parkCode, ct), notApplicable, ct));

        findings.AddRange(await UpsAsync(parkCode, reg, f, t, ct));
        if (await IdleRacksAsync(parkCode, reg, f, t, parkHours, ct) is { } idle) findings.Add(idle);

        var found = await ValueAsync(parkCode, yearFindings, yearFrom, t, ct);
        found.AddRange(await ValueAsync(parkCode, findings, f, t, ct));
        await store.Optimisation.SaveSuggestionsAsync(parkCode, found, user, ct);
        return new SuggestionAnalysis(reg.Park.Code, f.ToString("yyyy-MM-dd", Inv), t.ToString("yyyy-MM-dd", Inv), found, notApplicable);
    }

    /// <summary>Accepts a suggestion: it becomes a reduction measure (<paramref name="measure"/>: the measure's reference, e.g. its code in
    /// the neutrality module's register), rejects it (a reason is required) or snoozes it until a date.</summary>
    public async Task<Suggestion> AcceptAsync(string park, long id, string? measure, string user, CancellationToken ct = default)
    {
        var s = await store.Optimisation.GetSuggestionAsync(park, id, ct);
        if (s.Status == SuggestionStatus.Accepted) throw new ConflictException($"suggestion {id} is already accepted (measure {s.Measure})");
        var reg = await store.Registry.GetRegistryAsync(park, ct);
        var today = store.Optimisation.LocalToday(reg.Park);
        var code = Blank(measure) ?? $"SG-{id}";
        var draft = new Neutrality.MeasureDraft(code, $"{s.Kind}: {s.Subject}", MeasureCategory(s), Boundary(reg, s), s.WindowFrom, s.WindowTo,
            today > s.WindowTo ? today : s.WindowTo.AddDays(1), s.SavingCny is { } cny && s.SavingKwh > 0 ? Math.Round(cny / s.SavingKwh, 4) : null, true, "suggestion",
            s.Evidence.Length > 900 ? s.Evidence[..900] : s.Evidence);
        var m = await measures.CreateAsync(park, draft, user, ct);
        return await store.Optimisation.SetStatusAsync(park, id, SuggestionStatus.Accepted, null, null, m.Code, user, ct);
    }

    /// <summary>The measure category of a suggestion (the neutrality register's list).</summary>
    internal static string MeasureCategory(Suggestion s) => s.Kind switch
    {
        SuggestionKinds.FreeCooling => "free_cooling",
        SuggestionKinds.ChilledWaterSetpoint => "chilled_water_setpoint",
        SuggestionKinds.UpsLowEfficiency => "ups_eco_mode",
        SuggestionKinds.NightBaseLoad when s.Subject.EndsWith("aux.lighting", StringComparison.Ordinal) => "lighting",
        SuggestionKinds.CoolingOutOfLine => "airflow",
        SuggestionKinds.OverCooledRoom => "airflow",          // the air side: the room's CRAH supply / inlet set-point
        _ => "other",
    };

    /// <summary>The measure's boundary: the meters whose energy the suggestion changes (chillers, the system's meters of the building, the UPS
    /// loss meter), else the building or the park.</summary>
    internal static IReadOnlyList<string> Boundary(ParkRegistry reg, Suggestion s)
    {
        var parts = s.Subject.Split('/');
        var space = reg.SpacesByCode.TryGetValue(parts[0], out var sp) ? sp : null;
        // An over-cooled room's set-point changes the cooling of its building (the park's when the room is in no building).
        if (s.Kind == SuggestionKinds.OverCooledRoom && space is not null) space = reg.BuildingOf(space.Id);
        string? system = s.Kind switch
        {
            SuggestionKinds.FreeCooling or SuggestionKinds.ChilledWaterSetpoint => "cooling.chiller",
            SuggestionKinds.CoolingOutOfLine or SuggestionKinds.OverCooledRoom => "cooling",
            SuggestionKinds.NightBaseLoad when parts.Length > 1 => parts[1],
            _ => null,
        };
        if (reg.MetersByCode.ContainsKey(s.Subject)) return [s.Subject];
        if (system is not null)
        {
            var meters = reg.MetersById.Values.Where(m => !m.IsInstantaneous && m.IsSummable && m.SystemCode is { } c && SystemTaxonomy.IsUnder(c, system)
                                                         && (space is null || reg.IsUnder(m.SpaceId, space.Id)))
                .Select(m => m.Code).Order(StringComparer.Ordinal).ToList();
            if (meters.Count > 0) return meters;
        }
        return [space?.Code ?? reg.Park.Code];
    }

    public Task<Suggestion> RejectAsync(string park, long id, string? reason, string user, CancellationToken ct = default) =>
        string.IsNullOrWhiteSpace(reason)
            ? throw new ValidationException("reason", "a rejection needs a reason")
            : store.Optimisation.SetStatusAsync(park, id, SuggestionStatus.Rejected, Limit(reason.Trim()), null, null, user, ct);

    public async Task<Suggestion> SnoozeAsync(string park, long id, DateOnly? until, string user, CancellationToken ct = default)
    {
        var reg = await store.Registry.GetRegistryAsync(park, ct);
        if (until is not { } u) throw new ValidationException("until", "a snooze needs a date (YYYY-MM-DD)");
        if (u <= store.Optimisation.LocalToday(reg.Park)) throw new ValidationException("until", $"{u:yyyy-MM-dd} is not after today");
        return await store.Optimisation.SetStatusAsync(park, id, SuggestionStatus.Snoozed, null, u, null, user, ct);
    }

    public Task<Suggestion> ReopenAsync(string park, long id, string user, CancellationToken ct = default) =>
        store.Optimisation.SetStatusAsync(park, id, SuggestionStatus.Open, null, null, null, user, ct);

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : Limit(s.Trim());
    private static string Limit(string s) => s.Length > 1000 ? throw new ValidationException("reason", "at most 1000 characters") : s;

    private static List<HourSample> Samples(DateTime[] local, double?[] v) => local.Select((l, i) => new HourSample(l, v[i])).ToList();

    /// <summary>Cooling out of line: the CLF driver model of the 90 days before the window, applied to each day of the window.</summary>
    private async Task<SuggestionFinding?> CoolingOutOfLineAsync(string park, string? node, string subject, DateOnly f, DateOnly t, CancellationToken ct)
    {
        // The model of how this cooling answered weather and load lately: the 90 days before the window.
        var train = await _data.LoadAsync(park, node, f.AddDays(-90), f.AddDays(-1), Granularity.Day, ct);
        DriverModel model;
        try { model = DriverService.Fit(train, "clf").Model; }
        catch (ValidationException) { return null; }
        // Only days inside the range the model was fitted on: a linear model is not extrapolated (a cold snap is not "out of line").
        var trainObs = DriverService.Observations(train, "clf");
        var range = model.Used.ToDictionary(u => u, u =>
        {
            var v = trainObs.Where(o => o.Response is not null && o.Drivers[u] is not null).Select(o => o.Drivers[u]!.Value).ToList();
            return (Min: v.Min(), Max: v.Max());
        });
        var window = await _data.LoadAsync(park, node, f, t, Granularity.Day, ct);
        var obs = DriverService.Observations(window, "clf");
        var days = new List<(DateOnly, double, double, double)>();
        for (var i = 0; i < obs.Count; i++)
        {
            if (window.Cooling[i] is not { } c || window.It[i] is not { } it || it <= 0) continue;
            if (model.Used.Any(u => obs[i].Drivers[u] is not { } x || x < range[u].Min || x > range[u].Max)) continue;
            var at = model.Used.ToDictionary(u => u, u => obs[i].Drivers[u]!.Value);
            days.Add((obs[i].Date, c, model.Expected(at).Expected * it, model.Fit.ResidualStdError * it));
        }
        return SuggestionRules.CoolingOutOfLine(subject, days, minDays: 3);
    }

    /// <summary>Over-cooled rooms (<see cref="SuggestionRules.OverCooledRoom"/>, with the park's <see cref="OptimisationSettings"/>): for each
    /// space with cold-aisle inlet gauges (carrier room_air, °C; <see cref="RoomAirGauges.IsInlet"/>), the hourly mean of its warmest gauge
    /// (the warmest cold aisle limits how far the set-point can rise), and the room's share of cooling energy: the cooling node of its
    /// building × the room's IT energy ÷ the building's IT energy, hour by hour (the heat the room's IT puts into the air; both from
    /// <see cref="OptimisationData.LoadAsync"/>, the same nodes as the other rules and the KPIs).</summary>
    private async Task<List<SuggestionFinding>> OverCooledRoomsAsync(string park, ParkRegistry reg, DateOnly f, DateOnly t, OptimisationSettings settings,
        List<string> notApplicable, CancellationToken ct)
    {
        var kind = SuggestionKinds.OverCooledRoom;
        var gauges = reg.MetersById.Values.Where(RoomAirGauges.IsInlet).OrderBy(m => m.Code, StringComparer.Ordinal).ToList();
        if (gauges.Count == 0)
        {
            notApplicable.Add($"{kind}: no cold-aisle temperature gauge (carrier room_air, °C, linked to a room)");
            return [];
        }
        var list = new List<SuggestionFinding>();
        var buildings = new Dictionary<string, NodeHistory>(StringComparer.Ordinal);
        foreach (var room in gauges.GroupBy(m => m.SpaceId))
        {
            var codes = room.Select(m => m.Code).ToList();
            if (room.Key is not { } spaceId || !reg.SpacesById.TryGetValue(spaceId.Value, out var space))
            {
                notApplicable.Add($"{kind}: {string.Join(", ", codes)}: not linked to a room");
                continue;
            }
            var series = new Dictionary<string, SeriesResult>(StringComparer.Ordinal);
            foreach (var c in codes) series[c] = await store.Queries.SeriesAsync(park, SeriesTarget.Meter(c), f, t, Granularity.Hour, ct);
            var inlet = series[codes[0]].Buckets.Select((b, i) =>
            {
                var v = codes.Select(c => series[c].Buckets[i].Value).Where(x => x is not null).Select(x => x!.Value).ToList();
                return new HourSample(b.Start.DateTime, v.Count == 0 ? null : v.Max());
            }).ToList();
            var scope = reg.BuildingOf(space.Id)?.Code;
            var key = scope ?? reg.Park.Code;
            if (!buildings.TryGetValue(key, out var whole)) buildings[key] = whole = await _data.LoadAsync(park, scope, f, t, Granularity.Hour, ct);
            var own = space.Code == scope ? whole : await _data.LoadAsync(park, space.Code, f, t, Granularity.Hour, ct);
            if (!own.It.Any(v => v is > 0))
            {
                notApplicable.Add($"{kind}: {space.Code}: no IT energy (it_load meters) in the room to apportion its building's cooling");
                continue;
            }
            if (!whole.Cooling.Any(v => v is > 0))
            {
                notApplicable.Add($"{kind}: {space.Code}: no cooling energy (meters of the cooling system) in its building");
                continue;
            }
            var cooling = whole.Local.Select((l, i) => new HourSample(l,
                whole.Cooling[i] is { } c && whole.It[i] is { } all && all > 0 && own.It[i] is { } mine ? c * mine / all : null)).ToList();
            if (SuggestionRules.OverCooledRoom(space.Code, string.Join(", ", codes), inlet, cooling, settings.RoomTargetC, settings.RoomMarginK, settings.RoomSavingPerK) is { } x)
                list.Add(x);
        }
        return list;
    }

    /// <summary>UPS: each virtual loss meter "input − output" over two meters of the UPS system.</summary>
    private async Task<List<SuggestionFinding>> UpsAsync(string park, ParkRegistry reg, DateOnly f, DateOnly t, CancellationToken ct)
    {
        var pairs = new List<(string Ups, string In, string Out)>();
        foreach (var m in reg.MetersById.Values.Where(m => m.Formula is not null).OrderBy(m => m.Code, StringComparer.Ordinal))
        {
            var terms = ZeroPark.Metering.LinearFormula.Parse(m.Formula!).Terms;
            if (terms.Count != 2) continue;
            var pos = terms.FirstOrDefault(x => x.Coefficient == 1);
            var neg = terms.FirstOrDefault(x => x.Coefficient == -1);
            if (pos.Code is null || neg.Code is null) continue;
            if (reg.MetersByCode.TryGetValue(pos.Code, out var a) && reg.MetersByCode.TryGetValue(neg.Code, out var b)
                && a.SystemCode is { } sa && SystemTaxonomy.IsUnder(sa, "power.ups") && b.SystemCode is { } sb && SystemTaxonomy.IsUnder(sb, "power.ups"))
                pairs.Add((m.Code, a.Code, b.Code));
        }
        if (pairs.Count == 0) return [];
        var series = await store.Queries.MeterSeriesAsync(park, pairs.SelectMany(p => new[] { p.In, p.Out }).ToList(), f, t, Granularity.Hour, ct);
        List<HourSample> S(string code) => series[code].Buckets.Select(x => new HourSample(x.Start.DateTime, x.Value)).ToList();
        return pairs.Select(p => SuggestionRules.UpsLowEfficiency(p.Ups, S(p.In), S(p.Out))).OfType<SuggestionFinding>().ToList();
    }

    /// <summary>Idle racks: the it_load meters of the park; the saving includes the overhead at the window's PUE.</summary>
    private async Task<SuggestionFinding?> IdleRacksAsync(string park, ParkRegistry reg, DateOnly f, DateOnly t, NodeHistory hours, CancellationToken ct)
    {
        var racks = reg.MetersById.Values.Where(m => m.Role == MeterRole.ItLoad && !m.IsInstantaneous && m.Carrier == Carrier.Electricity)
            .Select(m => m.Code).Order(StringComparer.Ordinal).ToList();
        if (racks.Count < 3) return null;
        var series = await store.Queries.MeterSeriesAsync(park, racks, f, t, Granularity.Hour, ct);
        var total = hours.Facility.Where(v => v is not null).Sum(v => v!.Value);
        var it = hours.It.Where(v => v is not null).Sum(v => v!.Value);
        var pue = ForecastService.Pue(total, it, TimeSpan.FromDays(t.DayNumber - f.DayNumber + 1)) ?? 1;
        return SuggestionRules.IdleRacks(reg.Park.Code,
            racks.Select(r => (r, (IReadOnlyList<HourSample>)series[r].Buckets.Select(x => new HourSample(x.Start.DateTime, x.Value)).ToList())).ToList(), pue);
    }

    /// <summary>Annualises and values the findings (kWh, tCO2e at each day's grid factor, CNY at each hour's tariff).</summary>
    private async Task<List<SuggestionWrite>> ValueAsync(string park, IReadOnlyList<SuggestionFinding> findings, DateOnly f, DateOnly t, CancellationToken ct)
    {
        var factors = await carbon.GridFactorsAsync(park, ct);
        var tariffs = (await store.Tariffs.ListTariffVersionsAsync(park, ct)).OrderBy(v => v.ValidFrom).ToList();
        var annual = 365.0 / (t.DayNumber - f.DayNumber + 1);
        var list = new List<SuggestionWrite>();
        foreach (var x in findings)
        {
            // Hours without a factor or tariff (e.g. an interval reading at the data's first instant covers the day before) are valued at
            // the mean of the others when they are at most 1 % of the saving; otherwise the value is not known (null).
            double kg = 0, cny = 0, kwhFactor = 0, kwhPrice = 0;
            foreach (var (local, kwh) in x.Saving)
            {
                var day = DateOnly.FromDateTime(local);
                if (factors(day) is { } fac) { kg += (Energy.FromKilowattHours(kwh) * fac.EnergyFactor).KilogramsCo2e; kwhFactor += kwh; }
                if (tariffs.LastOrDefault(v => v.ValidFrom <= day) is { } tv) { cny += kwh * tv.PriceAt(local.Month, local.Hour); kwhPrice += kwh; }
            }
            var total = x.SavingKwh;
            double? Scaled(double value, double covered) => total > 0 && covered >= 0.99 * total ? value * total / covered : total == 0 ? 0 : null;
            list.Add(new SuggestionWrite(x.Kind, x.Subject, x.Evidence, x.Figures.ToDictionary(k => k.Key, k => Math.Round(k.Value, 4)), f, t,
                Math.Round(total * annual, 1), Scaled(kg, kwhFactor) is { } k2 ? Math.Round(k2 / 1000 * annual, 3) : null,
                Scaled(cny, kwhPrice) is { } c2 ? Math.Round(c2 * annual, 0) : null));
        }
        return list;
    }
}
