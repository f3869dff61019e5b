using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ZeroPark.Application.EnergyManagement;

/// <summary>Time-of-use periods of Chinese industrial tariffs: 尖峰 critical peak, 峰 peak, 平 flat, 谷 valley.</summary>
public enum TouPeriod
{
    CriticalPeak,
    Peak,
    Flat,
    Valley,
}

public static class TouPeriods
{
    public static readonly IReadOnlyList<TouPeriod> All = [TouPeriod.CriticalPeak, TouPeriod.Peak, TouPeriod.Flat, TouPeriod.Valley];

    public static string Code(TouPeriod p) => p switch
    {
        TouPeriod.CriticalPeak => "critical_peak",
        TouPeriod.Peak => "peak",
        TouPeriod.Flat => "flat",
        _ => "valley",
    };

    public static string NameZh(TouPeriod p) => p switch
    {
        TouPeriod.CriticalPeak => "尖峰",
        TouPeriod.Peak => "峰",
        TouPeriod.Flat => "平",
        _ => "谷",
    };

    public static TouPeriod? TryParse(string? code) => (code ?? "").Trim().ToLowerInvariant() switch
    {
        "critical_peak" => TouPeriod.CriticalPeak,
        "peak" => TouPeriod.Peak,
        "flat" => TouPeriod.Flat,
        "valley" => TouPeriod.Valley,
        _ => null,
    };
}

/// <summary>One line of a daily schedule: local hours [Start, End) are <see cref="Period"/>; with <see cref="Months"/>, only in
/// those months, where it overrides the all-month lines (e.g. critical peak 20–22 h in July and August only).</summary>
public sealed record TariffScheduleEntry(int Start, int End, TouPeriod Period, IReadOnlyList<int>? Months);

/// <summary>A stored tariff version: applies from the local date <see cref="ValidFrom"/> until the next version's.</summary>
public sealed record TariffVersion(long Id, DateOnly ValidFrom, string? Name, string Currency, IReadOnlyDictionary<TouPeriod, double> Prices,
    IReadOnlyList<TariffScheduleEntry> Schedule, DateTimeOffset CreatedAt, string CreatedBy)
{
    private TouPeriod[]? _table;

    /// <summary>The period of local hour <paramref name="hour"/> (0–23) in month <paramref name="month"/> (1–12).</summary>
    public TouPeriod PeriodAt(int month, int hour)
    {
        _table ??= TariffRules.Table(Schedule);
        return _table[(month - 1) * 24 + hour];
    }

    public double PriceAt(int month, int hour) => Prices[PeriodAt(month, hour)];
}

/// <summary>One schedule line as given (JSON, API, CLI file): <c>{"start": 0, "end": 8, "period": "valley", "months": [7, 8]}</c>.</summary>
public sealed record TariffScheduleDraft(int? Start, int? End, string? Period, IReadOnlyList<int>? Months = null);

/// <summary>A tariff version as given; <see cref="TariffRules.Validate"/> checks it and names the bad field.</summary>
/// <param name="ValidFrom">Local date YYYY-MM-DD from which the version applies.</param>
/// <param name="Prices">CNY/kWh by period code: critical_peak, peak, flat, valley.</param>
public sealed record TariffDraft(string? ValidFrom, string? Name, string? Currency, IReadOnlyDictionary<string, double?>? Prices,
    IReadOnlyList<TariffScheduleDraft>? Schedule)
{
    private static readonly JsonSerializerOptions FileJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Parses a tariff file (see README): malformed JSON or an unknown property is a <see cref="ValidationException"/> on <paramref name="field"/>.</summary>
    public static TariffDraft FromJson(string json, string field = "file")
    {
        try
        {
            return JsonSerializer.Deserialize<TariffDraft>(json, FileJson) ?? throw new ValidationException(field, $"'{field}': a JSON object is required");
        }
        catch (JsonException e)
        {
            throw new ValidationException(field, $"'{field}': {e.Message}");
        }
    }
}

/// <summary>Validation and the hour table of tariff schedules.</summary>
public static class TariffRules
{
    public const string Currency = "CNY";

    /// <summary>Largest accepted price, CNY/kWh (a sanity bound: real prices are 0.1–2).</summary>
    public const double MaxPrice = 100;

    /// <summary>Checks a draft; every problem is a <see cref="ValidationException"/> whose field names the culprit
    /// (<c>valid_from</c>, <c>currency</c>, <c>prices.peak</c>, <c>schedule[2].end</c>, <c>schedule</c>).</summary>
    public static (DateOnly ValidFrom, string? Name, IReadOnlyDictionary<TouPeriod, double> Prices, IReadOnlyList<TariffScheduleEntry> Schedule) Validate(TariffDraft d)
    {
        if (string.IsNullOrWhiteSpace(d.ValidFrom)) throw new ValidationException("valid_from", "'valid_from' is required (a local date, YYYY-MM-DD)");
        if (!DateOnly.TryParseExact(d.ValidFrom.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var validFrom))
            throw new ValidationException("valid_from", $"'valid_from': '{d.ValidFrom}' is not a date (expected YYYY-MM-DD)");
        var currency = string.IsNullOrWhiteSpace(d.Currency) ? Currency : d.Currency.Trim().ToUpperInvariant();
        if (currency != Currency) throw new ValidationException("currency", $"'currency': '{d.Currency}' is not supported (prices are CNY/kWh)");
        var name = string.IsNullOrWhiteSpace(d.Name) ? null : d.Name.Trim();
        if (name is { Length: > 200 }) throw new ValidationException("name", "'name' is longer than 200 characters");

        if (d.Prices is null || d.Prices.Count == 0)
            throw new ValidationException("prices", "'prices' is required: CNY/kWh by period (critical_peak, peak, flat, valley)");
        var prices = new Dictionary<TouPeriod, double>();
        foreach (var (key, value) in d.Prices)
        {
            var field = $"prices.{key}";
            var p = TouPeriods.TryParse(key) ?? throw new ValidationException(field, $"'{field}': '{key}' is not a period (critical_peak, peak, flat, valley)");
            if (value is not { } v) throw new ValidationException(field, $"'{field}': a price (CNY/kWh) is required");
            if (!double.IsFinite(v) || v < 0 || v > MaxPrice)
                throw new ValidationException(field, $"'{field}': {v.ToString(CultureInfo.InvariantCulture)} is not a price between 0 and {MaxPrice} CNY/kWh");
            if (!prices.TryAdd(p, v)) throw new ValidationException(field, $"'{field}': period '{TouPeriods.Code(p)}' is given twice");
        }

        if (d.Schedule is null || d.Schedule.Count == 0)
            throw new ValidationException("schedule", "'schedule' is required: local hours [start, end) → period, covering 0–24 h");
        var entries = new List<TariffScheduleEntry>();
        for (var i = 0; i < d.Schedule.Count; i++)
        {
            var s = d.Schedule[i];
            var f = $"schedule[{i}]";
            if (s is null) throw new ValidationException(f, $"'{f}': an object is required");
            if (s.Start is not ({ } start and >= 0 and <= 23)) throw new ValidationException(f + ".start", $"'{f}.start': a local hour 0–23 is required");
            if (s.End is not ({ } end and >= 1 and <= 24)) throw new ValidationException(f + ".end", $"'{f}.end': a local hour 1–24 is required");
            if (end <= start)
                throw new ValidationException(f + ".end", $"'{f}.end': {end} is not after start {start} (split a period across midnight into two lines, e.g. 22–24 and 0–8)");
            var period = TouPeriods.TryParse(s.Period) ?? throw new ValidationException(f + ".period", $"'{f}.period': '{s.Period}' is not one of critical_peak, peak, flat, valley");
            if (!prices.ContainsKey(period)) throw new ValidationException(f + ".period", $"'{f}.period': no price is given for '{TouPeriods.Code(period)}' in 'prices'");
            List<int>? months = null;
            if (s.Months is not null)
            {
                if (s.Months.Count == 0) throw new ValidationException(f + ".months", $"'{f}.months': leave it out for all months, or list months 1–12");
                if (s.Months.Any(m => m is < 1 or > 12)) throw new ValidationException(f + ".months", $"'{f}.months': months are 1–12");
                if (s.Months.Distinct().Count() != s.Months.Count) throw new ValidationException(f + ".months", $"'{f}.months': a month is listed twice");
                months = s.Months.Order().ToList();
            }
            entries.Add(new TariffScheduleEntry(start, end, period, months));
        }

        // Every month × hour: at most one line of each kind (all-month, month-specific) covers it, and at least one does.
        for (var m = 1; m <= 12; m++)
        {
            for (var h = 0; h < 24; h++)
            {
                int? general = null, specific = null;
                for (var i = 0; i < entries.Count; i++)
                {
                    var e = entries[i];
                    if (h < e.Start || h >= e.End) continue;
                    if (e.Months is null)
                    {
                        if (general is { } g) throw Overlap(g, i, m, h);
                        general = i;
                    }
                    else if (e.Months.Contains(m))
                    {
                        if (specific is { } sp) throw Overlap(sp, i, m, h);
                        specific = i;
                    }
                }
                if (general is null && specific is null)
                    throw new ValidationException("schedule", $"'schedule': local hour {h}–{h + 1} in month {m} has no period (the lines must cover 0–24 h of every month)");
            }
        }
        return (validFrom, name, prices, entries);
    }

    private static ValidationException Overlap(int first, int second, int month, int hour) =>
        new($"schedule[{second}]", $"'schedule[{second}]': overlaps schedule[{first}] at local hour {hour}–{hour + 1} in month {month}");

    /// <summary>Period of each month × local hour (index (month − 1) × 24 + hour); month-specific lines win. The schedule must
    /// have passed <see cref="Validate"/>.</summary>
    internal static TouPeriod[] Table(IReadOnlyList<TariffScheduleEntry> schedule)
    {
        var table = new TouPeriod[12 * 24];
        var set = new bool[12 * 24];
        foreach (var pass in new[] { true, false })
        {
            foreach (var e in schedule.Where(e => (e.Months is not null) == pass))
            {
                for (var m = 1; m <= 12; m++)
                {
                    if (e.Months is not null && !e.Months.Contains(m)) continue;
                    for (var h = e.Start; h < e.End; h++)
                    {
                        var i = (m - 1) * 24 + h;
                        if (set[i]) continue;
                        table[i] = e.Period;
                        set[i] = true;
                    }
                }
            }
        }
        return table;
    }

    /// <summary>The version in effect on a local date: the latest whose valid_from ≤ date (versions sorted by valid_from).</summary>
    public static TariffVersion? VersionOn(IReadOnlyList<TariffVersion> sorted, DateOnly date)
    {
        TariffVersion? found = null;
        foreach (var v in sorted)
        {
            if (v.ValidFrom > date) break;
            found = v;
        }
        return found;
    }
}
