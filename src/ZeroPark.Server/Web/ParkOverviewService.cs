using ZeroPark.Domain;
using ZeroPark.Application;
using ZeroPark.Application.EnergyManagement;

namespace ZeroPark.Server.Web;

/// <summary>A KPI figure of one period of the overview, from the same <see cref="EnergyService"/> and the same
/// <see cref="KpiRowView"/> rounding as <c>GET /api/parks/{park}/energy/kpi?by=total</c>.</summary>
public sealed record OverviewPeriod(DateOnly From, DateOnly To, double? TotalKwh, double? Pue, double Completeness, string? Grade,
    IReadOnlyDictionary<string, double> CompletenessByInput, IReadOnlyList<string> Notes);

public sealed record OverviewTrendPoint(DateOnly Day, double? TotalKwh, double? Pue);

public sealed record OverviewSplit(string Code, double? Kwh, double? Share);

/// <summary>Everything the park overview shows. <see cref="AsOf"/> is the reporting day: the day asked for, or the local day of the
/// park's newest reading (a reading at local midnight closes the day before).</summary>
public sealed record ParkOverview(Park Park, DateOnly AsOf, bool AsOfIsLatest, DateTimeOffset? LastReading, OverviewPeriod Day, OverviewPeriod Month,
    OverviewPeriod Year, IReadOnlyList<OverviewTrendPoint> Trend, IReadOnlyList<OverviewSplit> Split, double? SplitTotalKwh);

public sealed class ParkOverviewService(ZeroParkStore store, EnergyService energyService)
{
    public const int TrendDays = 30;

    public async Task<ParkOverview> BuildAsync(string parkCode, DateOnly? day, CancellationToken ct = default)
    {
        var park = await store.Registry.GetParkAsync(parkCode, ct);
        var last = await store.Queries.LastReadingAtAsync(parkCode, ct);
        var latestDay = last is { } l ? DateOnly.FromDateTime(l.AddSeconds(-1).DateTime) : DateOnly.FromDateTime(park.Clock.ToLocal(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        var asOf = day ?? latestDay;
        var energy = energyService;

        async Task<OverviewPeriod> Period(DateOnly from)
        {
            var row = KpiRowView.From((await energy.KpiAsync(parkCode, null, from, asOf, EnergyBucketing.Total, ct)).Single());
            return new OverviewPeriod(from, asOf, row.Inputs.TotalKwh, row.Pue, row.Completeness, row.Gb40879Grade, row.CompletenessByInput, row.Notes);
        }

        var dayPeriod = await Period(asOf);
        var month = await Period(new DateOnly(asOf.Year, asOf.Month, 1));
        var year = await Period(new DateOnly(asOf.Year, 1, 1));
        var trend = (await energy.KpiAsync(parkCode, null, asOf.AddDays(-(TrendDays - 1)), asOf, EnergyBucketing.Day, ct))
            .Select(KpiRowView.From)
            .Select(r => new OverviewTrendPoint(DateOnly.FromDateTime(r.Start.DateTime), r.Inputs.TotalKwh, r.Pue)).ToList();
        var split = BreakdownRowView.From((await energy.BreakdownAsync(parkCode, null, month.From, asOf, EnergyBucketing.Total, ct: ct)).Single());
        var parts = new (string Code, double? Kwh)[] { ("it", split.ItKwh), ("cooling", split.CoolingKwh), ("power", split.PowerKwh), ("aux", split.AuxKwh), ("unmetered", split.UnmeteredKwh) };
        return new ParkOverview(park, asOf, day is null || day == latestDay, last, dayPeriod, month, year, trend,
            parts.Select(p => new OverviewSplit(p.Code, p.Kwh, split.Shares.GetValueOrDefault(p.Code))).ToList(), split.TotalKwh);
    }
}
