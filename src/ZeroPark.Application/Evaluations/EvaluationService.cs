using System.Text.Json;
using ZeroPark.Application.EnergyManagement;
using ZeroPark.Domain;
using ZeroPark.EnergyManagement;
using ZeroPark.Evaluations;

namespace ZeroPark.Application.Evaluations;

/// <summary>The offset ratio S_DC of T/CA305-2023 附表F for a park and period, with whether scope 1 is covered by sinks/CCUS/CER
/// only; <see cref="Source"/> names where it came from.</summary>
public sealed record OffsetRatioFact(decimal Ratio, bool? Scope1Covered, string Source, IReadOnlyList<string> Notes);

/// <summary>Where the evaluations get S_DC from: the neutrality module's ledger (issue 15/t14) implements this; until it is
/// registered, <see cref="NoOffsetRatioSource"/> answers "unknown" and the ratio must be declared with evidence.</summary>
public interface IOffsetRatioSource
{
    Task<OffsetRatioFact?> OffsetRatioAsync(string parkCode, DateOnly from, DateOnly to, CancellationToken ct = default);
}

/// <summary>No ledger: every ratio is unknown.</summary>
public sealed class NoOffsetRatioSource : IOffsetRatioSource
{
    public Task<OffsetRatioFact?> OffsetRatioAsync(string parkCode, DateOnly from, DateOnly to, CancellationToken ct = default) => Task.FromResult<OffsetRatioFact?>(null);
}

/// <summary>
/// The evaluations of a park and calendar year (local dates 1 January … 31 December): T/CA305-2023, T/BFIA 043-2024 and the green
/// computing power view, computed from the park's data (PUE, WUE, IT load rate, CUE, REF from <see cref="EnergyService"/>, one KPI
/// definition), the registry (metering structure), the offset ratio (<see cref="IOffsetRatioSource"/>) and the evaluator's inputs
/// and evidence (<see cref="EvaluationStore"/>); saved per year with a snapshot of the result, compared year over year.
/// </summary>
public sealed class EvaluationService(ZeroParkStore store, EnergyService energy, IOffsetRatioSource offsets)
{
    private EvaluationStore Saved => store.Evaluations;

    private sealed record YearData(Park Park, KpiRow? Kpi, EvaluationInputs Inputs, SavedEvaluation? Saved, IReadOnlyList<EvidenceFile> Evidence);

    private async Task<YearData> LoadAsync(string parkCode, string standard, int year, EvaluationInputs? inputs, CancellationToken ct)
    {
        EvaluationStore.CheckYear(year);
        var park = await store.Registry.GetParkAsync(parkCode, ct);
        var saved = await Saved.GetAsync(parkCode, standard, year, ct);
        var evidence = await Saved.ListEvidenceAsync(parkCode, standard, year, ct);
        var rows = await energy.KpiAsync(parkCode, null, new DateOnly(year, 1, 1), new DateOnly(year, 12, 31), EnergyBucketing.Year, ct);
        return new YearData(park, rows.Count > 0 ? rows[0] : null, inputs ?? saved?.Inputs ?? new EvaluationInputs(), saved, evidence);
    }

    /// <summary>How complete the year's PUE inputs are: the lower of the facility input's and the IT load's completeness (the other
    /// subsystems do not enter PUE); null without a KPI row.</summary>
    private static double? PueCompleteness(KpiRow? row) =>
        row is null ? null : row.Quality.Where(q => q.Input is "facility_input" or "it").Select(q => q.Completeness).DefaultIfEmpty(0).Min();

    private static Dictionary<string, ItemEntry> Entries(EvaluationInputs inputs, IReadOnlyList<EvidenceFile> evidence) =>
        inputs.Items.ToDictionary(kv => kv.Key, kv => new ItemEntry
        {
            Score = kv.Value.Score, Checked = kv.Value.Checked, Declared = kv.Value.Declared, Note = kv.Value.Note,
            EvidenceCount = evidence.Count(e => e.Item == kv.Key),
        }, StringComparer.Ordinal);

    private static T Checked<T>(Func<T> f)
    {
        try { return f(); }
        catch (ArgumentException e) { throw new ValidationException("items", e.Message); }
    }

    // ------------------------------------------------------------------ T/CA305-2023

    /// <summary>The T/CA305-2023 evaluation of the year, with <paramref name="inputs"/> or else the saved inputs.</summary>
    public async Task<Tca305View> Tca305Async(string parkCode, int year, EvaluationInputs? inputs = null, CancellationToken ct = default) =>
        (await Tca305CoreAsync(parkCode, year, inputs, ct)).View;

    /// <summary>The evaluation with the facts its self-evaluation report states (附录H; <see cref="Tca305Report"/>).</summary>
    public async Task<(Tca305View View, Tca305ReportFacts Facts)> Tca305ReportAsync(string parkCode, int year, CancellationToken ct = default)
    {
        var (view, d) = await Tca305CoreAsync(parkCode, year, null, ct);
        var reg = await store.Registry.GetRegistryAsync(parkCode, ct);
        var k = d.Kpi?.Kpis;
        return (view, new Tca305ReportFacts(d.Park.Name, d.Park.Province, d.Park.DesignItCapacity?.Kilowatts, d.Park.RacksTotal, d.Park.RacksInUse,
            k?.Total?.KilowattHours, k?.Inputs.It?.KilowattHours, k?.Inputs.Water?.CubicMetres, reg.MetersByCode.Count, PueCompleteness(d.Kpi)));
    }

    private async Task<(Tca305View View, YearData Data)> Tca305CoreAsync(string parkCode, int year, EvaluationInputs? inputs, CancellationToken ct)
    {
        var d = await LoadAsync(parkCode, "tca305", year, inputs, ct);
        var k = d.Kpi?.Kpis;
        var notes = new List<string>();
        var fact = await offsets.OffsetRatioAsync(parkCode, new DateOnly(year, 1, 1), new DateOnly(year, 12, 31), ct);
        decimal? ratio = fact?.Ratio;
        string? source = fact?.Source;
        if (fact is not null) notes.AddRange(fact.Notes);
        else if (d.Inputs.DeclaredOffsetRatio is { } declared)
        {
            if (declared < 0 || declared > 10) throw new ValidationException("declared_offset_ratio", $"{declared} is not a fraction between 0 and 10");
            if (d.Evidence.Any(e => e.Item == "offset_ratio")) { ratio = declared; source = "declared"; }
            else notes.Add("offset ratio declared without evidence: attach a file to item 'offset_ratio'");
        }
        if (PueCompleteness(d.Kpi) is double pc && pc < 0.999) notes.Add($"the year's data is {pc.ToString("P1", System.Globalization.CultureInfo.InvariantCulture)} complete: T/CA305 asks for 12 months of measured PUE");
        var r = Checked(() => Tca305.Evaluate(new Tca305Input
        {
            Year = year, ClimateZone = d.Park.ClimateZone, Commissioned = d.Park.CommissioningDate,
            Pue = Scoring.Dec(k?.Pue), Wue = Scoring.Dec(k?.Wue), ItLoadRate = Scoring.Dec(k?.ItLoadRate),
            OffsetRatio = ratio, OffsetSource = source, Scope1Covered = fact?.Scope1Covered, Entries = Entries(d.Inputs, d.Evidence),
        }));
        notes.AddRange(r.Notes);
        return (new Tca305View
        {
            Park = d.Park.Code, Year = year, ClimateZone = Park.ClimateZoneCode(d.Park.ClimateZone),
            Commissioned = d.Park.CommissioningDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            Age = r.Existing ? "existing" : "new", AgeAssumed = r.AgeAssumed, Pue = r.Pue, PueLimit = r.PueLimit, PueScore = r.PueScore, PueCompleteness = PueCompleteness(d.Kpi),
            Wue = r.Wue, WueLimit = r.WueLimit, ItLoadRate = r.ItLoadRate,
            Constraints = r.Requirements.Select(q => new ConstraintView(q.Requirement.Code, q.Requirement.NameZh, q.Requirement.NameEn, q.Requirement.Clause, q.Passed, q.Status,
                q.Value, q.Detail, ItemView.Src(q.Requirement.Source), q.Requirement.RuleZh, d.Inputs.Items.GetValueOrDefault(q.Requirement.Code)?.Note,
                d.Evidence.Where(e => e.Item == q.Requirement.Code).ToList())).ToList(),
            Vetoed = r.Vetoed, OffsetRatio = r.OffsetRatio, OffsetSource = r.OffsetSource, OffsetScore = r.OffsetScore,
            Items = r.Items.Select(i => ItemView.From(i, d.Inputs, d.Evidence)).ToList(),
            Groups = [new GroupView("碳抵消", "Offsets", Tca305Catalogue.OffsetPoints, r.OffsetScore),
                      .. Tca305Catalogue.Groups.Select(g => new GroupView(g.Zh, g.En, g.Max, r.Items.Where(i => i.Item.GroupZh == g.Zh).Sum(i => i.Points)))],
            TechnologyScore = r.TechnologyScore, Total = r.Total, Grade = r.Grade, GradeCode = r.GradeCode,
            WhatIf = r.WhatIfs.Select(w => new WhatIfView(w.Kind, w.Subject, w.Value, w.TargetGrade, w.Text)).ToList(),
            Notes = notes, Evaluator = d.Saved?.Evaluator, SavedAt = d.Saved?.SavedAt,
        }, d);
    }

    // ------------------------------------------------------------------ T/BFIA 043-2024

    /// <summary>§6.2.2.1 against the registry: 分类 electricity and water meters (and diesel/gas where the park has such meters),
    /// 分级 a grid incoming (facility_input), a transformer (power.transformer) and a UPS (power.ups) meter, 分项 IT (it_load),
    /// air conditioning (cooling) and auxiliary/生活 (aux) meters.</summary>
    public async Task<MeteringCheck> MeteringCheckAsync(string parkCode, CancellationToken ct = default)
    {
        var reg = await store.Registry.GetRegistryAsync(parkCode, ct);
        var meters = reg.MetersByCode.Values.ToList();
        bool Sys(string prefix) => meters.Any(m => m.SystemCode is { } s && (s == prefix || s.StartsWith(prefix + ".", StringComparison.Ordinal)));
        var carriers = new List<string>();
        if (!meters.Any(m => m.Carrier == Carrier.Electricity)) carriers.Add("electricity");
        if (!meters.Any(m => m.Carrier == Carrier.Water)) carriers.Add("water");
        var levels = new List<string>();
        if (!meters.Any(m => m.Role == MeterRole.FacilityInput)) levels.Add("grid incoming (facility_input)");
        if (!Sys("power.transformer")) levels.Add("transformer (power.transformer)");
        if (!Sys("power.ups")) levels.Add("UPS (power.ups)");
        var uses = new List<string>();
        if (!meters.Any(m => m.Role == MeterRole.ItLoad)) uses.Add("IT (it_load)");
        if (!Sys("cooling")) uses.Add("air conditioning (cooling)");
        if (!Sys("aux")) uses.Add("auxiliary/生活 (aux)");
        return new MeteringCheck(carriers, levels, uses);
    }

    public async Task<Bfia043View> Bfia043Async(string parkCode, int year, EvaluationInputs? inputs = null, CancellationToken ct = default)
    {
        var d = await LoadAsync(parkCode, "bfia043", year, inputs, ct);
        var metering = await MeteringCheckAsync(parkCode, ct);
        var k = d.Kpi?.Kpis;
        var r = Checked(() => Bfia043.Evaluate(new Bfia043Input { Year = year, R = Scoring.Dec(k?.Pue), Metering = metering, Entries = Entries(d.Inputs, d.Evidence) }));
        var notes = r.Notes.ToList();
        if (PueCompleteness(d.Kpi) is double rc && rc < 0.999) notes.Add($"the year's data is {rc.ToString("P1", System.Globalization.CultureInfo.InvariantCulture)} complete: R per GB 40879 formula (5) is a full-year ratio");
        return new Bfia043View
        {
            Park = d.Park.Code, Year = year, R = r.R, RCompleteness = PueCompleteness(d.Kpi), RatioScore = r.RatioScore,
            Gb40879Grade = k?.Pue is { } p ? Gb40879.Code(Gb40879.Grade(p)) : null,
            Items = r.Items.Select(i => ItemView.From(i, d.Inputs, d.Evidence)).ToList(),
            Groups = r.Groups.Select(g => new GroupView(g.Zh, g.En, g.Max, g.Score)).ToList(),
            Total = r.Total, Stars = r.Stars, Star = r.Star,
            Choices = Bfia043Catalogue.Choices.Select(c => new ChoiceView(c.Item, c.ZhText, c.EnText)).ToList(),
            WhatIf = r.WhatIfs.Select(w => new WhatIfView(w.Kind, w.Subject, w.Value, w.TargetGrade, w.Text)).ToList(),
            Notes = notes, Evaluator = d.Saved?.Evaluator, SavedAt = d.Saved?.SavedAt,
        };
    }

    // ------------------------------------------------------------------ green computing power

    public async Task<GreenComputingView> GreenComputingAsync(string parkCode, int year, EvaluationInputs? inputs = null, CancellationToken ct = default)
    {
        var d = await LoadAsync(parkCode, "gcp", year, inputs, ct);
        var k = d.Kpi?.Kpis;
        var indicators = Checked(() => GreenComputing.WithWeights(d.Inputs.Weights));
        decimal? computeEff = null;
        var notes = new List<string>();
        if (d.Inputs.ComputeCapacityTflops is { } tflops)
        {
            if (tflops < 0) throw new ValidationException("compute_capacity_tflops", "must not be negative");
            if (k?.Total is { KilowattHours: > 0 } total && k.Inputs.Period.TotalHours > 0)
                computeEff = tflops / Scoring.Dec(total.KilowattHours / k.Inputs.Period.TotalHours);
            else notes.Add("computing energy efficiency: no metered facility energy");
        }
        else notes.Add("computing energy efficiency: no compute capacity recorded");
        var values = new Dictionary<string, decimal?>
        {
            ["pue"] = Scoring.Dec(k?.Pue), ["wue"] = Scoring.Dec(k?.Wue), ["cue"] = Scoring.Dec(k?.Cue), ["renewable_share"] = Scoring.Dec(k?.Ref),
            ["compute_efficiency"] = computeEff, ["it_load_rate"] = Scoring.Dec(k?.ItLoadRate), ["rack_utilisation"] = Scoring.Dec(k?.RackUtilisation),
        };
        var r = GreenComputing.Evaluate(indicators, values);
        notes.InsertRange(0, r.Notes);
        return new GreenComputingView
        {
            Park = d.Park.Code, Year = year,
            Indicators = r.Indicators.Select(s => new IndicatorView(s.Indicator.Code, s.Indicator.NameZh, s.Indicator.NameEn, s.Value, s.Indicator.Unit,
                s.Score is { } x ? Math.Round(x, 2) : null, s.Indicator.Weight, s.Indicator.Best, s.Indicator.Worst, s.Note)).ToList(),
            Index = r.Index, WeightCovered = Math.Round(r.WeightCovered, 4), Gb40879Grade = r.Gb40879Grade, NationalGreenPue = r.NationalGreenPue,
            Eu = new EuKpiView(d.Park.DesignItCapacity?.Kilowatts, k?.Total?.KilowattHours, k?.Inputs.It?.KilowattHours, k?.Inputs.Water?.CubicMetres,
                k?.Inputs.Reused?.KilowattHours, k?.Renewable?.KilowattHours, k?.Pue, k?.Wue, k?.Erf, k?.Ref),
            Notes = notes, Evaluator = d.Saved?.Evaluator,
        };
    }

    // ------------------------------------------------------------------ saving and history

    /// <summary>Computes the evaluation with <paramref name="inputs"/> and saves inputs and result for the year.</summary>
    public async Task<object> SaveAsync(string parkCode, string standard, int year, EvaluationInputs inputs, string evaluator, string user, CancellationToken ct = default)
    {
        EvaluationStore.CheckStandard(standard);
        object view;
        double total;
        string grade;
        switch (standard)
        {
            case "tca305":
                var t = await Tca305Async(parkCode, year, inputs, ct);
                (view, total, grade) = (t, (double)t.Total, t.Grade);
                break;
            case "bfia043":
                var b = await Bfia043Async(parkCode, year, inputs, ct);
                (view, total, grade) = (b, (double)b.Total, b.Star);
                break;
            default:
                var g = await GreenComputingAsync(parkCode, year, inputs, ct);
                (view, total, grade) = (g, (double)(g.Index ?? 0m), g.Gb40879Grade ?? "");
                break;
        }
        await Saved.SaveAsync(parkCode, standard, year, inputs, JsonSerializer.Serialize(view, view.GetType(), EvaluationStore.Json), total, grade, evaluator, user, ct);
        return standard switch
        {
            "tca305" => await Tca305Async(parkCode, year, null, ct),
            "bfia043" => await Bfia043Async(parkCode, year, null, ct),
            _ => await GreenComputingAsync(parkCode, year, null, ct),
        };
    }

    /// <summary>The saved years of a standard with their totals, grades, group scores, key figure (PUE for T/CA305, R for
    /// T/BFIA 043, the index for the green computing view) and the change of the total against the previous saved year.</summary>
    public async Task<IReadOnlyList<HistoryRow>> HistoryAsync(string parkCode, string standard, CancellationToken ct = default)
    {
        var list = (await Saved.ListAsync(parkCode, EvaluationStore.CheckStandard(standard), ct)).Where(s => s.ResultJson is not null).OrderBy(s => s.Year).ToList();
        var rows = new List<HistoryRow>();
        double? prev = null;
        foreach (var s in list)
        {
            using var doc = JsonDocument.Parse(s.ResultJson!);
            var root = doc.RootElement;
            var groups = root.TryGetProperty("groups", out var gs) && gs.ValueKind == JsonValueKind.Array
                ? gs.EnumerateArray().Select(g => new GroupView(g.GetProperty("name").GetString() ?? "", g.GetProperty("name_en").GetString() ?? "",
                    g.GetProperty("max").GetDecimal(), g.GetProperty("score").GetDecimal())).ToList()
                : [];
            var keyName = standard switch { "tca305" => "pue", "bfia043" => "r", _ => "index" };
            decimal? key = root.TryGetProperty(keyName, out var kv) && kv.ValueKind == JsonValueKind.Number ? kv.GetDecimal() : null;
            rows.Add(new HistoryRow(s.Standard, s.Year, s.Total, s.Grade, s.Evaluator, s.SavedAt, s.SavedBy, groups, key, s.Total - prev));
            prev = s.Total;
        }
        return rows;
    }
}
