using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ZeroPark.Carbon;
using ZeroPark.Domain;
using ZeroPark.EnergyManagement;
using ZeroPark.Metering;

namespace ZeroPark.Application.Carbon;

/// <summary>Options of an inventory beyond method and GWP set; null = the park's carbon settings (then the defaults).</summary>
public sealed record InventoryOptions(string? GridDataset = null, ResidualMode? Residual = null)
{
    public static readonly InventoryOptions Default = new();
}

/// <summary>A line-level change between two inventory versions.</summary>
/// <summary>Emissions of one source in one local month (first day), location-based; null when the source has no activity that month
/// (no data, not zero); <see cref="Completeness"/> of the metered activity behind it (1 for recorded activity).</summary>
public sealed record SourceMonth(string Source, DateOnly Month, double? Tonnes, double Completeness);

public sealed record LineChange(string Key, double BeforeT, double AfterT, double DeltaT, string What);

/// <summary>What changed between an inventory version and the previous one.</summary>
public sealed record InventoryDiff(long? PreviousId, int? PreviousVersion, double Scope1DeltaT, double Scope2LocationDeltaT, double Scope2MarketDeltaT, double Scope3DeltaT,
    double TotalLocationDeltaT, double? TotalChangePct, IReadOnlyList<LineChange> Changes, bool BaseYearRecalculation, string? BaseYearNote);

/// <summary>One bucket of the energy-related emission series: grid electricity, IT energy, location-based scope 2 electricity,
/// on-site stationary combustion from fuel meters and from entered records, their total (CUE's numerator) and CUE
/// (<see cref="ZeroPark.EnergyManagement.Cue"/>, ISO/IEC 30134-8).</summary>
public sealed record EmissionBucket(DateTimeOffset Start, DateTimeOffset End, double? GridKwh, double? ItKwh, double Scope2LocationT, double Scope1MeteredT,
    double TotalT, double? CueKgPerKwh, IReadOnlyList<long> FactorIds)
{
    /// <summary>On-site stationary combustion from entered activity records dated in the bucket (tCO2e).</summary>
    public double Scope1RecordedT { get; init; }
}

/// <summary>
/// Carbon accounting over the store: gathers activity data (monthly rollups of grid electricity, purchased heat and fuel meters,
/// plus entered activity records), the factor library, instruments and settings, and runs <see cref="InventoryCalculator"/>.
/// Saved inventories are versions: a changed factor, correction or late data gives a new version with a diff; a finalized
/// version never changes.
/// </summary>
public sealed class CarbonService(ZeroParkStore store) : ZeroPark.Application.EnergyManagement.ICueEmissionSource
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public const string SettingGridDataset = "grid_dataset";
    public const string SettingResidual = "residual";
    public const string SettingBaseYear = "base_year";
    public const string SettingThreshold = "recalculation_threshold_pct";
    public const string SettingPflops = "computing_pflops";
    public const string SettingRevenue = "revenue_cny";
    public const string SettingTarget = "target_t";
    public const string SettingBenchmarkCue = "benchmark_cue";

    public static readonly IReadOnlyList<string> SettingKeys =
        [SettingGridDataset, SettingResidual, SettingBaseYear, SettingThreshold, SettingPflops, SettingRevenue, SettingTarget, SettingBenchmarkCue];

    // ------------------------------------------------------------------ inventory

    public async Task<InventoryResult> ComputeAsync(string park, string? node, DateOnly from, DateOnly to, AccountingMethod method, GwpSet gwp,
        InventoryOptions? options = null, CancellationToken ct = default)
    {
        var ctx = await ContextAsync(park, node, from, to, options, ct);
        return Compute(ctx, from, to, method, gwp);
    }

    /// <summary>Emissions of each source per local month from <paramref name="firstMonth"/> to <paramref name="lastMonth"/> (first days),
    /// location-based (market-based lines and memo items left out so nothing counts twice), with the completeness of the metered
    /// activity behind them. <see cref="SourceMonth.Tonnes"/> is null for a month without any activity of the source: no data, never
    /// zero. Used by the vertical anomaly view and the alert rules.</summary>
    public async Task<IReadOnlyList<SourceMonth>> SourceMonthsAsync(string park, string? node, DateOnly firstMonth, DateOnly lastMonth, AccountingMethod method, GwpSet gwp,
        InventoryOptions? options = null, CancellationToken ct = default)
    {
        var ctx = await ContextAsync(park, node, firstMonth, lastMonth.AddMonths(1).AddDays(-1), options, ct);
        return SourceMonths(ctx, firstMonth, lastMonth, method, gwp);
    }

    internal static IReadOnlyList<SourceMonth> SourceMonths(Ctx ctx, DateOnly firstMonth, DateOnly lastMonth, AccountingMethod method, GwpSet gwp)
    {
        var list = new List<SourceMonth>();
        var perMonth = new List<(DateOnly Month, Dictionary<string, double> Tonnes)>();
        for (var m = new DateOnly(firstMonth.Year, firstMonth.Month, 1); m <= lastMonth; m = m.AddMonths(1))
        {
            var r = Compute(ctx, m, m.AddMonths(1).AddDays(-1), method, gwp);
            perMonth.Add((m, r.Lines.Where(l => l.Basis != Scope2Basis.Market && l.Scope != GhgScope.Memo).GroupBy(l => l.Source).ToDictionary(g => g.Key, g => g.SumTonnes(l => l.Co2e).TonnesCo2e)));
        }
        var sources = perMonth.SelectMany(p => p.Tonnes.Keys).Concat(ctx.MeteredCompleteness.Keys.Select(k => k.Source)).Distinct().Order(StringComparer.Ordinal);
        foreach (var source in sources)
            foreach (var (month, tonnes) in perMonth)
                list.Add(new SourceMonth(source, month, tonnes.TryGetValue(source, out var t) ? t : null, ctx.MeteredCompleteness.GetValueOrDefault((source, month), 1.0)));
        return list;
    }

    private static InventoryResult Compute(Ctx ctx, DateOnly from, DateOnly to, AccountingMethod method, GwpSet gwp) => InventoryCalculator.Compute(new InventoryRequest
    {
        Boundary = ctx.Boundary, From = from, To = to, Method = method, Gwp = gwp, Place = ctx.Place, Activities = ctx.Activities, Library = ctx.Library,
        Instruments = ctx.Instruments, InstrumentShare = ctx.InstrumentShare, GridDataset = ctx.GridDataset, Residual = ctx.Residual,
    }) is var r && ctx.Notes.Count > 0 ? r with { Notes = [.. ctx.Notes, .. r.Notes] } : r;

    /// <summary>Computes and saves a new version if anything changed since the latest saved one (with the diff against it).</summary>
    public async Task<(StoredInventory Inventory, bool Created, InventoryDiff? Diff)> SaveAsync(string park, string? node, DateOnly from, DateOnly to, AccountingMethod method,
        GwpSet gwp, InventoryOptions? options, string reason, string user, CancellationToken ct = default)
    {
        var result = await ComputeAsync(park, node, from, to, method, gwp, options, ct);
        var optText = OptionsText(result, options, await store.Carbon.CarbonSettingsAsync(park, ct));
        var json = JsonSerializer.Serialize(result, CarbonJson.Options);
        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
        var previous = (await store.Carbon.InventoriesAsync(park, null, ct))
            .Where(i => i.Boundary == result.Boundary && i.From == from && i.To == to && i.Method == AccountingMethods.Code(method) && i.Gwp == gwp.ToString() && i.Options == optText)
            .MaxBy(i => i.Version);
        InventoryDiff? diff = null;
        if (previous is not null && previous.Fingerprint != fingerprint)
            diff = await DiffAsync(park, previous, result, ct);
        var draft = new StoredInventory(0, result.Boundary, from, to, AccountingMethods.Code(method), gwp.ToString(), optText, 0, "draft", fingerprint,
            result.Totals.Scope1T, result.Totals.Scope2LocationT, result.Totals.Scope2MarketT, result.Totals.Scope3T, result.Totals.MemoT, json,
            diff is null ? null : JsonSerializer.Serialize(diff, CarbonJson.Options),
            previous is null ? (reason.Length > 0 ? reason : "first version") : (reason.Length > 0 ? reason : "restatement: inputs changed since v" + previous.Version.ToString(Inv)), "", default, null, null);
        var (saved, created) = await store.Carbon.SaveInventoryAsync(park, draft, user, ct);
        return (saved, created, created ? diff : null);
    }

    private static string OptionsText(InventoryResult r, InventoryOptions? o, IReadOnlyDictionary<string, string> settings)
    {
        var grid = o?.GridDataset ?? settings.GetValueOrDefault(SettingGridDataset) ?? "MEE-NBS";
        var residual = o?.Residual ?? ParseResidual(settings.GetValueOrDefault(SettingResidual)) ?? ResidualMode.Residual;
        _ = r;
        return $"grid={grid};residual={residual.ToString().ToLowerInvariant()}";
    }

    public static ResidualMode? ParseResidual(string? s) => s?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        "residual" => ResidualMode.Residual,
        "location" or "average" => ResidualMode.Location,
        _ => throw new ValidationException("residual", $"residual: '{s}' is not residual or location"),
    };

    /// <summary>The diff of a new result against a saved version: totals and every line whose emissions, activity or factors changed.</summary>
    public async Task<InventoryDiff> DiffAsync(string park, StoredInventory previous, InventoryResult now, CancellationToken ct = default)
    {
        var before = JsonSerializer.Deserialize<InventoryResult>(previous.ResultJson, CarbonJson.Options)!;
        static string Key(InventoryLine l) => $"{LineView.ScopeCode(l.Scope)} {l.Basis.Code()} {l.Source} {l.Material} {l.Space}".Replace("  ", " ", StringComparison.Ordinal).Trim();
        var b = before.Lines.GroupBy(Key).ToDictionary(g => g.Key, g => g.ToList());
        var a = now.Lines.GroupBy(Key).ToDictionary(g => g.Key, g => g.ToList());
        var changes = new List<LineChange>();
        foreach (var key in b.Keys.Union(a.Keys).Order(StringComparer.Ordinal))
        {
            var x = b.GetValueOrDefault(key) ?? [];
            var y = a.GetValueOrDefault(key) ?? [];
            double bt = x.SumTonnes(l => l.Co2e).TonnesCo2e, at = y.SumTonnes(l => l.Co2e).TonnesCo2e;
            var what = new List<string>();
            var fx = x.SelectMany(l => l.Factors).Where(f => f.Id > 0).Select(f => $"#{f.Id} v{f.Version} {f.Value.ToString(Inv)} {f.Unit}").Distinct().Order().ToList();
            var fy = y.SelectMany(l => l.Factors).Where(f => f.Id > 0).Select(f => $"#{f.Id} v{f.Version} {f.Value.ToString(Inv)} {f.Unit}").Distinct().Order().ToList();
            if (!fx.SequenceEqual(fy)) what.Add($"factors {string.Join(", ", fx)} → {string.Join(", ", fy)}");
            // Activities are compared in one unit (the line's now, else before); lines in units of another dimension (L and t of one
            // fuel) are not added up, and then only the emissions are compared.
            var unit = (y.FirstOrDefault() ?? x[0]).Quantity.Unit;
            if (ActivityIn(x, unit) is { } ax && ActivityIn(y, unit) is { } ay && Math.Abs(ax - ay) > 1e-9 * Math.Max(1, Math.Abs(ax)))
                what.Add($"activity {ax.ToString("#,0.###", Inv)} → {ay.ToString("#,0.###", Inv)} {unit}");
            if (x.Count == 0) what.Add("new line");
            if (y.Count == 0) what.Add("line removed");
            if (what.Count > 0 || Math.Abs(bt - at) > 1e-9) changes.Add(new LineChange(key, bt, at, at - bt, what.Count > 0 ? string.Join("; ", what) : "recomputed"));
        }
        var settings = await store.Carbon.CarbonSettingsAsync(park, ct);
        var tb = before.Totals.TotalLocationT;
        var ta = now.Totals.TotalLocationT;
        double? pct = tb != 0 ? (ta - tb) / tb * 100 : null;
        var baseYear = settings.TryGetValue(SettingBaseYear, out var by) && int.TryParse(by, Inv, out var yv) ? yv : (int?)null;
        var threshold = settings.TryGetValue(SettingThreshold, out var th) && double.TryParse(th, Inv, out var tv) ? tv : 5.0;
        var isBase = baseYear is { } y0 && now.From.Year == y0 && now.To.Year == y0;
        var recalc = isBase && pct is { } p && Math.Abs(p) >= threshold;
        string? note = baseYear is null ? null
            : !isBase ? $"base year {baseYear}: this inventory is not the base year"
            : recalc ? $"base year {baseYear} changed by {pct!.Value.ToString("0.##", Inv)} % ≥ threshold {threshold.ToString("0.##", Inv)} %: recalculate the base year and restate later years (GHG Protocol ch.5)"
            : $"base year {baseYear} changed by {(pct ?? 0).ToString("0.##", Inv)} %, below the {threshold.ToString("0.##", Inv)} % recalculation threshold";
        return new InventoryDiff(previous.Id, previous.Version, now.Totals.Scope1T - before.Totals.Scope1T, now.Totals.Scope2LocationT - before.Totals.Scope2LocationT,
            now.Totals.Scope2MarketT - before.Totals.Scope2MarketT, now.Totals.Scope3T - before.Totals.Scope3T, ta - tb, pct, changes, recalc, note);
    }

    /// <summary>The activity of <paramref name="lines"/> in <paramref name="unit"/> (lines in another unit of its dimension converted),
    /// or null when a line's unit is of another dimension.</summary>
    private static double? ActivityIn(IEnumerable<InventoryLine> lines, Unit unit)
    {
        double sum = 0;
        foreach (var l in lines)
        {
            if (l.Quantity.Unit == unit) sum += l.Activity;
            else if (l.Quantity.Dimension == unit.Dimension) sum += l.Quantity.In(unit);
            else return null;
        }
        return sum;
    }

    /// <summary>The trace of one line, from a saved version or a fresh computation.</summary>
    public static ExplainView Explain(string park, long? id, InventoryResult r, string line)
    {
        var l = r.Lines.FirstOrDefault(x => string.Equals(x.Id, line.Trim(), StringComparison.OrdinalIgnoreCase))
                ?? throw new NotFoundException($"line '{line}' not found (lines {string.Join(", ", r.Lines.Select(x => x.Id))})");
        return ExplainView.Of(park, id, r, l);
    }

    public async Task<(StoredInventory Stored, InventoryResult Result)> LoadAsync(string park, long id, CancellationToken ct = default)
    {
        var s = (await store.Carbon.InventoriesAsync(park, id, ct)).SingleOrDefault() ?? throw new NotFoundException($"inventory #{id} not found in park '{park}'");
        return (s, JsonSerializer.Deserialize<InventoryResult>(s.ResultJson, CarbonJson.Options)!);
    }

    /// <summary>The location-based grid electricity factor an inventory of the park would use on <paramref name="day"/>.</summary>
    public async Task<FactorChoice?> GridFactorAsync(string park, DateOnly day, CancellationToken ct = default) => (await GridFactorsAsync(park, ct))(day);

    /// <summary>The location-based grid factor chooser of the park (library and settings read once).</summary>
    public async Task<Func<DateOnly, FactorChoice?>> GridFactorsAsync(string park, CancellationToken ct = default)
    {
        var reg = await store.Registry.GetRegistryAsync(park, ct);
        var settings = await store.Carbon.CarbonSettingsAsync(park, ct);
        var library = await store.Carbon.LibraryAsync(ct);
        var place = new Place(reg.Park.Province, reg.Park.GridRegion);
        var dataset = settings.GetValueOrDefault(SettingGridDataset) ?? "MEE-NBS";
        return day => library.Choose(FactorKind.Emission, "electricity", "CO2", day, AccountingMethod.Ghgp, place, dataset: dataset);
    }

    // ------------------------------------------------------------------ emission series and CUE

    /// <summary>Energy-related emissions per bucket (hour, day, month, year) and CUE, by the one definition of <see cref="Cue"/>:
    /// grid electricity × the location-based factor valid on each local day (an hour takes its day's factor; a month or year is
    /// the sum of its days), plus on-site stationary combustion (<see cref="Cue.CombustionSources"/>) from fuel meters at the
    /// inventory's per-unit rate of the period and from entered records on their date (in the first hour of that day).
    /// The energy KPI (<c>…/energy/kpi</c>) and the carbon analysis take their CUE from here, so they agree for a period.</summary>
    public Task<IReadOnlyList<EmissionBucket>> SeriesAsync(string park, string? node, DateOnly from, DateOnly to, Granularity g, AccountingMethod method,
        GwpSet gwp, CancellationToken ct = default) => SeriesAsync(park, node, from, to, g, method, gwp, null, ct);

    /// <inheritdoc cref="SeriesAsync(string, string?, DateOnly, DateOnly, Granularity, AccountingMethod, GwpSet, CancellationToken)"/>
    public async Task<IReadOnlyList<EmissionBucket>> SeriesAsync(string park, string? node, DateOnly from, DateOnly to, Granularity g, AccountingMethod method,
        GwpSet gwp, InventoryOptions? options, CancellationToken ct = default)
    {
        if (g == Granularity.QuarterHour) throw new ValidationException("by", "emissions are given per hour, day, month or year");
        var ctx = await ContextAsync(park, node, from, to, options, ct);
        // Factors are chosen per day: the fine series is hourly or daily, coarser buckets are sums of days.
        var fine = g == Granularity.Hour ? Granularity.Hour : Granularity.Day;
        var (rows, hasGrid, hasIt) = await FineRowsAsync(ctx, park, from, to, fine, method, gwp, withIt: true, ct);
        if (g is Granularity.Hour or Granularity.Day) return rows;

        // Months and years: the sums of their days.
        var gridTarget = SeriesTarget.Node(ctx.SpaceCode, role: MeterRole.FacilityInput, carrier: Carrier.Electricity);
        var itTarget = SeriesTarget.Node(ctx.SpaceCode, role: MeterRole.ItLoad, carrier: Carrier.Electricity);
        var coarse = await store.Queries.SeriesAsync(park, hasGrid ? gridTarget : itTarget, from, to, g, ct);
        if (!hasGrid && !hasIt) return [];
        return coarse.Buckets.Select(cb =>
        {
            var days = rows.Where(r => r.Start >= cb.Start && r.Start < cb.End).ToList();
            static double? Sum(IEnumerable<double?> v) => v.Where(x => x is not null).Select(x => x!.Value).DefaultIfEmpty().Aggregate((double?)null, (a, x) => (a ?? 0) + x);
            return Bucket(cb.Start, cb.End, days.Any(d => d.GridKwh is not null) ? Sum(days.Select(d => d.GridKwh)) : null,
                days.Any(d => d.ItKwh is not null) ? Sum(days.Select(d => d.ItKwh)) : null,
                days.Sum(d => d.Scope2LocationT), days.Sum(d => d.Scope1MeteredT), days.Sum(d => d.Scope1RecordedT), days.SelectMany(d => d.FactorIds).Distinct().ToList());
        }).ToList();
    }

    /// <summary>CUE's numerator per local day for the energy KPI (<see cref="ZeroPark.Application.EnergyManagement.ICueEmissionSource"/>):
    /// the same days as <see cref="SeriesAsync(string, string?, DateOnly, DateOnly, Granularity, AccountingMethod, GwpSet, CancellationToken)"/>
    /// by day (GHG Protocol, AR6, the park's settings), from a context holding only what CUE needs: the factor library, the
    /// fuel meters and the combustion records (no purchased-energy meter series, no instruments, no IT series).</summary>
    public async Task<ZeroPark.Application.EnergyManagement.CueEmissions> CueDailyAsync(string park, string? node, DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        var ctx = await ContextAsync(park, node, from, to, null, ct, cueOnly: true);
        var choose = GridChooser(ctx, AccountingMethod.Ghgp);
        var (rows, _, _) = await FineRowsAsync(ctx, park, from, to, Granularity.Day, AccountingMethod.Ghgp, GwpSet.AR6, withIt: false, ct, choose);
        return new(choose,
            rows.Select(r => new ZeroPark.Application.EnergyManagement.CueDay(r.Start, r.GridKwh is not null, r.Scope2LocationT, r.Scope1MeteredT + r.Scope1RecordedT)).ToList());
    }

    /// <summary>The hourly or daily rows: grid × the day's factor, metered and recorded combustion, IT energy (<paramref name="withIt"/>).</summary>
    private async Task<(List<EmissionBucket> Rows, bool HasGrid, bool HasIt)> FineRowsAsync(Ctx ctx, string park, DateOnly from, DateOnly to, Granularity fine,
        AccountingMethod method, GwpSet gwp, bool withIt, CancellationToken ct, Func<DateOnly, FactorChoice?>? choose = null)
    {
        choose ??= GridChooser(ctx, method);
        var space = ctx.SpaceCode;
        var gridTarget = SeriesTarget.Node(space, role: MeterRole.FacilityInput, carrier: Carrier.Electricity);
        var itTarget = SeriesTarget.Node(space, role: MeterRole.ItLoad, carrier: Carrier.Electricity);
        var hasGrid = ctx.Registry.MetersById.Values.Any(m => m.Role == MeterRole.FacilityInput && m.Carrier == Carrier.Electricity);
        var hasIt = ctx.Registry.MetersById.Values.Any(m => m.Role == MeterRole.ItLoad);
        var grid = hasGrid ? await store.Queries.SeriesAsync(park, gridTarget, from, to, fine, ct) : null;
        var it = hasIt && (withIt || !hasGrid) ? await store.Queries.SeriesAsync(park, itTarget, from, to, fine, ct) : null;

        // Combustion: metered fuel at the period's per-unit rate of each fuel, entered records on their date.
        InventoryResult Run(IEnumerable<Activity> activities, DateOnly a, DateOnly b) => InventoryCalculator.Compute(new InventoryRequest
        {
            Boundary = ctx.Boundary, From = a, To = b, Method = method, Gwp = gwp, Place = ctx.Place, Activities = activities.ToList(), Library = ctx.Library,
            Instruments = ctx.Instruments, InstrumentShare = ctx.InstrumentShare, GridDataset = ctx.GridDataset, Residual = ctx.Residual,
        });
        var combustion = ctx.Activities.Where(a => Cue.CountsCombustion(a.Source)).ToList();
        var fuelRates = Run(combustion.Where(a => a.Meter is not null), from, to).Lines.Where(l => l.Scope == GhgScope.Scope1 && l.Activity > 0)
            .GroupBy(l => (l.Source, l.Material)).ToDictionary(x => x.Key, x => x.SumTonnes(l => l.Co2e).TonnesCo2e / x.Sum(l => l.Activity));
        var recorded = combustion.Where(a => a.Meter is null).GroupBy(a => a.Date)
            .Select(x => (Date: x.Key, T: Run(x, x.Key, x.Key).Lines.Where(l => l.Scope == GhgScope.Scope1).SumTonnes(l => l.Co2e).TonnesCo2e)).ToList();
        var fuelSeries = new List<(double Rate, SeriesResult Series)>();
        foreach (var (carrier, material) in FuelCarriers)
        {
            if (ctx.Meters.FirstOrDefault(m => m.Carrier == carrier && m.Role == MeterRole.FuelInput && !m.IsVirtual) is not { } meter) continue;
            if (MeteredSource(meter) is not { } spec || !fuelRates.TryGetValue((spec.Source, material), out var rate)) continue;
            fuelSeries.Add((rate, await store.Queries.SeriesAsync(park, SeriesTarget.Node(space, role: MeterRole.FuelInput, carrier: carrier), from, to, fine, ct)));
        }

        var rows = new List<EmissionBucket>();
        var buckets = grid?.Buckets ?? it?.Buckets ?? [];
        for (var i = 0; i < buckets.Count; i++)
        {
            var b = buckets[i];
            var day = ctx.Registry.Clock.LocalDate(b.Start.ToUnixTimeSeconds());
            var f = choose(day);
            double? gridKwh = grid?.Buckets[i].Value;
            double? itKwh = it?.Buckets[i].Value;
            var s2 = gridKwh is { } gk && f is not null ? (Energy.FromKilowattHours(gk) * f.EnergyFactor).TonnesCo2e : 0;
            var s1 = fuelSeries.Sum(fs => (fs.Series.Buckets[i].Value ?? 0) * fs.Rate);
            // An entered record counts in the bucket holding the start of its day.
            var rec = recorded.Where(r => ctx.Registry.Clock.LocalDate(b.Start.ToUnixTimeSeconds()) == r.Date && (fine == Granularity.Day || IsFirstHourOfDay(ctx, b.Start))).Sum(r => r.T);
            rows.Add(Bucket(b.Start, b.End, gridKwh, withIt ? itKwh : null, s2, s1, rec, f is null ? [] : [f.Record.Id]));
        }
        return (rows, hasGrid, hasIt);
    }

    /// <summary>The location-based grid factor of a day, chosen once per day (an hourly series asks 24 times; one request only,
    /// not thread-safe).</summary>
    private static Func<DateOnly, FactorChoice?> GridChooser(Ctx ctx, AccountingMethod method)
    {
        var memo = new Dictionary<DateOnly, FactorChoice?>();
        return day => memo.TryGetValue(day, out var f) ? f
            : memo[day] = ctx.Library.Choose(FactorKind.Emission, "electricity", "CO2", day, method, ctx.Place, dataset: ctx.GridDataset);
    }

    private static bool IsFirstHourOfDay(Ctx ctx, DateTimeOffset start) =>
        ctx.Registry.Clock.LocalDate(start.ToUnixTimeSeconds()) != ctx.Registry.Clock.LocalDate(start.AddHours(-1).ToUnixTimeSeconds());

    private static EmissionBucket Bucket(DateTimeOffset start, DateTimeOffset end, double? gridKwh, double? itKwh, double s2, double s1Metered, double s1Recorded,
        IReadOnlyList<long> factorIds)
    {
        var numerator = Cue.EnergyRelated(Emissions.FromTonnesCo2e(s2), Emissions.FromTonnesCo2e(s1Metered + s1Recorded));
        var cue = itKwh is { } ik ? Cue.KilogramsPerKilowattHour(numerator, Energy.FromKilowattHours(ik)) : null;
        return new EmissionBucket(start, end, gridKwh, itKwh, s2, s1Metered, numerator.TonnesCo2e, cue, factorIds) { Scope1RecordedT = s1Recorded };
    }

    private static readonly string[] UpstreamElectricity = ["electricity_td_loss", "electricity_upstream"];

    private static readonly (Carrier Carrier, string Material)[] FuelCarriers =
        [(Carrier.Diesel, "diesel"), (Carrier.Gasoline, "gasoline"), (Carrier.NaturalGas, "natural_gas"), (Carrier.Lpg, "lpg")];

    // ------------------------------------------------------------------ context: activity data of the boundary

    internal sealed record Ctx(ParkRegistry Registry, string Boundary, string? SpaceCode, Place Place, FactorLibrary Library, List<Activity> Activities,
        IReadOnlyList<Instrument> Instruments, double InstrumentShare, string GridDataset, ResidualMode Residual, IReadOnlyList<Meter> Meters, List<string> Notes)
    {
        /// <summary>Completeness (0–1, the smallest over the meters) of the metered activity of each source and month (first day),
        /// including months a meter was expected to report and did not (0): a month without data is never taken as zero emissions.</summary>
        public Dictionary<(string Source, DateOnly Month), double> MeteredCompleteness { get; } = [];
    }

    /// <param name="cueOnly">Only what CUE's numerator needs: metered activity of combustion sources (<see cref="Cue.CombustionSources"/>),
    /// combustion records, no instruments and no boundary share (they touch market-based scope 2 only).</param>
    internal async Task<Ctx> ContextAsync(string park, string? node, DateOnly from, DateOnly to, InventoryOptions? options, CancellationToken ct, bool cueOnly = false)
    {
        if (to < from) throw new ValidationException("to", $"'to' ({to:yyyy-MM-dd}) is before 'from' ({from:yyyy-MM-dd})");
        if (to.DayNumber - from.DayNumber > 366 * 20) throw new ValidationException("to", "range is longer than 20 years");
        var reg = await store.Registry.GetRegistryAsync(park, ct);
        Space? space = null;
        var boundary = string.IsNullOrWhiteSpace(node) ? reg.Park.Code : node.Trim();
        if (boundary != reg.Park.Code && !reg.SpacesByCode.TryGetValue(boundary, out space))
            throw new NotFoundException($"node '{boundary}' not found in park '{reg.Park.Code}' (expected a building, floor or room code, or the park code)");
        var settings = await store.Carbon.CarbonSettingsAsync(park, ct);
        var library = cueOnly ? await store.Carbon.LibraryAsync(ct) : await store.Carbon.LibraryAsync(park, ct);
        var notes = new List<string>();
        var meters = reg.MetersById.Values.Where(m => !m.IsVirtual && !m.IsInstantaneous && (space is null || reg.IsUnder(m.SpaceId, space.Id))).ToList();

        var activities = new List<Activity>();
        var metered = meters.Select(m => (Meter: m, Spec: MeteredSource(m))).Where(x => x.Spec is not null && (!cueOnly || Cue.CountsCombustion(x.Spec.Value.Source))).ToList();
        var tasks = metered.Select(x => (x.Meter, x.Spec!.Value, Task: store.Queries.SeriesAsync(park, SeriesTarget.Meter(x.Meter.Code), from, to, Granularity.Month, ct))).ToList();
        await Task.WhenAll(tasks.Select(t => t.Task));
        var completeness = new Dictionary<(string Source, DateOnly Month), double>();
        foreach (var (m, spec, task) in tasks)
        {
            var series = await task;
            foreach (var b in series.Buckets.Where(b => b.Quality.Expected > 0))
            {
                var month = reg.Clock.LocalDate(b.Start.ToUnixTimeSeconds());
                var key = (spec.Source, new DateOnly(month.Year, month.Month, 1));
                completeness[key] = Math.Min(completeness.GetValueOrDefault(key, 1.0), b.Value is null ? 0 : b.Quality.Completeness);
            }
            foreach (var b in series.Buckets.Where(b => b.Value is { } v && v != 0))
            {
                var date = reg.Clock.LocalDate(b.Start.ToUnixTimeSeconds());
                if (date < from) date = from;
                activities.Add(new Activity
                {
                    Date = date, Source = spec.Source, Material = spec.Material, Amount = b.Value!.Value, Unit = spec.Unit, Meter = m.Code,
                    Space = reg.BuildingOf(m.SpaceId)?.Code, System = m.SystemCode,
                    Origin = $"meter {m.Code} {date:yyyy-MM} ({b.Quality.Received}/{b.Quality.Expected} readings)",
                });
                if (b.Quality.Expected > 0 && b.Quality.Received < b.Quality.Expected)
                    notes.Add($"meter {m.Code} {date:yyyy-MM}: {b.Quality.Received} of {b.Quality.Expected} readings — activity data incomplete, not extrapolated");
            }
        }
        if (notes.Count > 20) notes = [.. notes.Take(20), $"… {notes.Count - 20} more incomplete meter-months"];
        // Scope 3 category 3 from metered grid electricity, as soon as the library has a factor for it (none ships: add the
        // T&D-loss or upstream factor your source gives, material electricity_td_loss / electricity_upstream).
        foreach (var material in UpstreamElectricity.Where(m => library.Records.Any(r => r.Kind == FactorKind.Emission && r.Material == m)))
            activities.AddRange(activities.Where(a => a.Source == "purchased_electricity").ToList()
                .Select(a => a with { Source = "fuel_energy_upstream", Material = material, Scope3Category = 3, Origin = a.Origin + " → scope 3 category 3 (" + material + ")" }));
        foreach (var v in reg.MetersById.Values.Where(m => m.IsVirtual && m.Role == MeterRole.FacilityInput))
            notes.Add($"virtual meter {v.Code} (facility_input) is not used for carbon: the physical meters it is made of are");

        foreach (var a in await store.Carbon.ActivitiesAsync(park, from, to, ct))
        {
            if (cueOnly && !Cue.CountsCombustion(a.Source)) continue;
            if (space is not null && (a.Space is null || !reg.SpacesByCode.TryGetValue(a.Space, out var s) || !reg.IsUnder(s.Id, space.Id))) continue;
            activities.Add(new Activity
            {
                Id = a.Id, Date = a.Date, Source = a.Source, Material = a.Material, Amount = a.Amount, Unit = a.Unit, Scope3Category = a.Scope3Category, Note = a.Note,
                Space = a.Space is { } sp ? reg.BuildingOf(reg.SpacesByCode[sp].Id)?.Code ?? sp : null, Density = a.Density, Ncv = a.Ncv, Supplier = a.Supplier,
                Origin = $"record #{a.Id} {a.Date:yyyy-MM-dd} by {a.CreatedBy}{(a.UpdatedBy is { } u ? ", corrected by " + u : "")}" +
                         $"{(a.Evidence.Length > 0 ? ", evidence " + a.Evidence : "")}{(a.Supplier is { } su ? ", supplier " + su : "")}{(a.Note.Length > 0 ? ", note " + a.Note : "")}",
            });
        }
        if (space is not null) notes.Add($"boundary {boundary}: activity records without a space (park-wide) are not included");

        // Instruments belong to the park; a building gets its share of them by its share of the park's grid electricity.
        var share = 1.0;
        if (space is not null && !cueOnly)
        {
            var parkGrid = await store.Queries.SeriesAsync(park, SeriesTarget.Node(null, role: MeterRole.FacilityInput, carrier: Carrier.Electricity), from, to, Granularity.Year, ct);
            var mine = activities.Where(a => a.Source == "purchased_electricity").Sum(a => ActivityUnits.Convert(a.Quantity, Units.KilowattHour));
            share = parkGrid.Total > 0 ? Math.Min(1, mine / parkGrid.Total) : 0;
        }
        var grid = options?.GridDataset ?? settings.GetValueOrDefault(SettingGridDataset) ?? "MEE-NBS";
        var residual = options?.Residual ?? ParseResidual(settings.GetValueOrDefault(SettingResidual)) ?? ResidualMode.Residual;
        var result = new Ctx(reg, boundary, space?.Code, new Place(reg.Park.Province, reg.Park.GridRegion), library, activities, cueOnly ? [] : await store.Carbon.InstrumentsAsync(park, ct), share,
            grid, residual, meters, notes);
        foreach (var (k, v) in completeness) result.MeteredCompleteness[k] = v;
        return result;
    }

    /// <summary>Metered activity: grid electricity (facility_input), purchased heat/steam/cooling (facility_input of those
    /// carriers), fuels (fuel_input) in their canonical units.</summary>
    private static (string Source, string Material, string Unit)? MeteredSource(Meter m) => (m.Carrier, m.Role) switch
    {
        (Carrier.Electricity, MeterRole.FacilityInput) => ("purchased_electricity", "electricity", "kWh"),
        (Carrier.Heat, MeterRole.FacilityInput) => ("purchased_heat", "heat", "kWh"),
        (Carrier.Steam, MeterRole.FacilityInput) => ("purchased_steam", "steam", "kWh"),
        (Carrier.ChilledWater, MeterRole.FacilityInput) => ("purchased_cooling", "cooling", "kWh"),
        (Carrier.Diesel, MeterRole.FuelInput) => ("diesel_generator", "diesel", "L"),
        (Carrier.Gasoline, MeterRole.FuelInput) => ("vehicle", "gasoline", "L"),
        (Carrier.NaturalGas, MeterRole.FuelInput) => ("boiler", "natural_gas", "Nm3"),
        (Carrier.Lpg, MeterRole.FuelInput) => ("canteen", "lpg", "kg"),
        _ => null,
    };
}
