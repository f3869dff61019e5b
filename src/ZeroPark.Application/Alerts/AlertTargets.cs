using System.Globalization;
using ZeroPark.Application.Carbon;

namespace ZeroPark.Application.Alerts;

/// <summary>
/// What the monthly target check needs from the neutrality module (issue 14, t14): a park's target of a kind for a month, and the
/// tCO2e emitted and neutralised in a date range. Until that module is in main, <see cref="SettingsAlertTargets"/> answers from the
/// carbon settings (the annual emission target <c>target_t</c> as the emission budget); neutrality has no source yet and is skipped
/// with a note.
/// </summary>
public interface IAlertTargets
{
    /// <summary>The target of <paramref name="kind"/> (neutrality_rate as a share 0–1, emission_budget in tCO2e) for a month, or null.</summary>
    Task<double?> MonthlyTargetAsync(string park, string kind, int year, int month, CancellationToken ct);

    /// <summary>Emitted and neutralised tCO2e over from..to (inclusive local dates), or null when unknown.</summary>
    Task<(double EmittedT, double NeutralisedT)?> NeutralityAsync(string park, DateOnly from, DateOnly to, CancellationToken ct);
}

/// <summary>The targets available before the neutrality module: the emission budget from the carbon setting <c>target_t</c>
/// (annual tCO2e, pro rata by days); no neutrality rate.</summary>
public sealed class SettingsAlertTargets(ZeroParkStore store) : IAlertTargets
{
    public async Task<double?> MonthlyTargetAsync(string park, string kind, int year, int month, CancellationToken ct)
    {
        if (kind != "emission_budget") return null;
        var settings = await store.Carbon.CarbonSettingsAsync(park, ct);
        if (!settings.TryGetValue(CarbonService.SettingTarget, out var v) || !double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var annual)) return null;
        return annual * DateTime.DaysInMonth(year, month) / (DateTime.IsLeapYear(year) ? 366.0 : 365.0);
    }

    public Task<(double EmittedT, double NeutralisedT)?> NeutralityAsync(string park, DateOnly from, DateOnly to, CancellationToken ct) =>
        Task.FromResult<(double, double)?>(null);
}

/// <summary>
/// The targets of the neutrality module (t14, <c>zeropark targets add … --kind neutrality_rate|emission_budget --every month|year</c>):
/// the monthly target of a kind, else the annual one (an annual emission budget pro rata by days; an annual neutrality rate as is);
/// the emission budget falls back to the carbon setting <c>target_t</c>. Emitted and neutralised tCO2e come from
/// <see cref="Neutrality.NeutralityService.ComputeAsync"/>, the one definition of the neutrality rate.
/// </summary>
public sealed class NeutralityAlertTargets(ZeroParkStore store, Neutrality.NeutralityService neutrality) : IAlertTargets
{
    private readonly SettingsAlertTargets _settings = new(store);

    public async Task<double?> MonthlyTargetAsync(string park, string kind, int year, int month, CancellationToken ct)
    {
        var targets = await store.Neutrality.TargetsAsync(park, ct);
        if (Neutrality.NeutralityStore.TargetFor(targets, kind, "month", year, month) is { } m) return m.Value;
        if (Neutrality.NeutralityStore.TargetFor(targets, kind, "year", year, month) is { } y)
            return kind == "emission_budget" ? y.Value * DateTime.DaysInMonth(year, month) / (DateTime.IsLeapYear(year) ? 366.0 : 365.0) : y.Value;
        return await _settings.MonthlyTargetAsync(park, kind, year, month, ct);
    }

    public async Task<(double EmittedT, double NeutralisedT)?> NeutralityAsync(string park, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var r = await neutrality.ComputeAsync(park, from, to, ct: ct);
        return (r.EmissionsT, r.NeutralisedT);
    }
}
