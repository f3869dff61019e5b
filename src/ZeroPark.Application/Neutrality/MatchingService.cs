using ZeroPark.Domain;
using ZeroPark.Metering;
using ZeroPark.Neutrality;

namespace ZeroPark.Application.Neutrality;

/// <summary>One day of the 24×7 match.</summary>
public sealed record MatchingDay(DateOnly Day, double LoadKwh, double SupplyKwh, double MatchedKwh, double? MatchedShare, int UncoveredHours);

/// <summary>The 24×7 match of a park and period, with where the green supply came from.</summary>
public sealed record MatchingReport(string Park, DateOnly From, DateOnly To, MatchingFigures Figures, double PvKwh, double GreenPowerKwh, IReadOnlyList<MatchingDay> Days,
    IReadOnlyList<string> Sources, IReadOnlyList<string> Notes);

/// <summary>
/// 24×7 matching: hour by hour, the park's load (grid import + on-site PV, i.e. what the park consumed) against green supply: rooftop PV
/// from its meters and the retired green power trades, by their hourly delivery profile where one is stored, else spread as the
/// contract says (flat over every hour, or daytime 08–18). Unbundled GECs carry no hour and are left out (docs/neutrality.md).
/// </summary>
public sealed class MatchingService(ZeroParkStore store)
{
    public async Task<MatchingReport> MatchAsync(string park, DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        if (to < from) throw new ValidationException("to", $"'to' ({to:yyyy-MM-dd}) is before 'from' ({from:yyyy-MM-dd})");
        if (to.DayNumber - from.DayNumber > 366) throw new ValidationException("to", "24×7 matching covers at most 367 days at a time");
        var reg = await store.Registry.GetRegistryAsync(park, ct);
        var notes = new List<string>();
        var grid = await store.Queries.SeriesAsync(park, SeriesTarget.Node(null, role: MeterRole.FacilityInput), from, to, Granularity.Hour, ct);
        var hasPv = reg.MetersById.Values.Any(m => m.Role == MeterRole.RenewableOnsite && m.Carrier == Carrier.Electricity);
        var pv = hasPv ? await store.Queries.SeriesAsync(park, SeriesTarget.Node(null, role: MeterRole.RenewableOnsite), from, to, Granularity.Hour, ct) : null;
        var n = grid.Buckets.Count;
        var hourOfDay = grid.Buckets.Select(b => reg.Clock.ToLocalOffset(b.Start.ToUnixTimeSeconds()).Hour).ToArray();
        var days = grid.Buckets.Select(b => reg.Clock.LocalDate(b.Start.ToUnixTimeSeconds())).ToArray();
        var load = new double[n];
        var supply = new double[n];
        var pvTotal = 0.0;
        var missing = 0;
        for (var i = 0; i < n; i++)
        {
            var p = pv?.Buckets[i].Value ?? 0;
            if (grid.Buckets[i].Value is not { } g) { missing++; continue; }
            load[i] = g + p;
            supply[i] += p;
            pvTotal += p;
        }
        if (missing > 0) notes.Add($"{missing} hour(s) without grid data are left out of the load");
        var sources = new List<string>();
        if (hasPv) sources.Add($"rooftop PV meters: {pvTotal:0.###} kWh");
        var gpTotal = 0.0;
        foreach (var (ins, claim) in await store.Neutrality.RetiredClaimsAsync(park, from, to, ct))
        {
            if (ins.OffsetKind != OffsetKind.GreenPower) continue;
            var claimKwh = claim.Quantity * 1000;
            var share = claim.Quantity / ins.Quantity;
            double added = 0;
            if (ins.Profile == "hourly")
            {
                var start = grid.Buckets.Count > 0 ? grid.Buckets[0].Start.ToUnixTimeSeconds() : 0;
                var end = grid.Buckets.Count > 0 ? grid.Buckets[^1].End.ToUnixTimeSeconds() : 0;
                var profile = await store.Neutrality.ProfileAsync(ins.Id, start, end, ct);
                for (var i = 0; i < n; i++)
                {
                    if (days[i] < claim.From || days[i] > claim.To) continue;
                    if (profile.TryGetValue(grid.Buckets[i].Start.ToUnixTimeSeconds(), out var kwh)) { supply[i] += kwh * share; added += kwh * share; }
                }
            }
            else
            {
                var claimDays = claim.To.DayNumber - claim.From.DayNumber + 1;
                var hoursPerDay = ins.Profile == "daytime" ? 10 : 24;
                var perHour = claimKwh / (claimDays * hoursPerDay);
                for (var i = 0; i < n; i++)
                {
                    if (days[i] < claim.From || days[i] > claim.To) continue;
                    if (ins.Profile == "daytime" && hourOfDay[i] is < 8 or >= 18) continue;
                    supply[i] += perHour; added += perHour;
                }
            }
            gpTotal += added;
            sources.Add($"{ins.Label} claim #{claim.Id} ({ins.Profile}): {added:0.###} kWh in the period");
        }
        var fig = HourlyMatching.Match(load, supply, hourOfDay);
        var perDay = Enumerable.Range(0, n).GroupBy(i => days[i]).Select(g =>
        {
            double l = g.Sum(i => load[i]), s = g.Sum(i => supply[i]), m = g.Sum(i => Math.Min(load[i], supply[i]));
            return new MatchingDay(g.Key, l, s, m, l > 0 ? m / l : null, g.Count(i => load[i] > 0 && supply[i] + 1e-9 < load[i]));
        }).ToList();
        return new MatchingReport(park, from, to, fig, pvTotal, gpTotal, perDay, sources, notes);
    }
}
