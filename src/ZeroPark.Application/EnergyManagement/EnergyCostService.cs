using System.Globalization;
using ZeroPark.Domain;
using ZeroPark.Metering;

namespace ZeroPark.Application.EnergyManagement;

/// <summary>Energy and cost of one time-of-use period in a bucket.</summary>
public sealed record PeriodCost(TouPeriod Period, double Kwh, double Cost, int Hours);

/// <summary>Energy and cost of one subsystem (it, cooling, power, aux) in a bucket; null when it has no meters under the node
/// (energy) or when some of its energy falls on hours without a tariff (cost).</summary>
public sealed record SubsystemCost(string Code, double? Kwh, double? Cost);

/// <summary>The electricity cost of a node over one local-time bucket [Start, End).</summary>
/// <param name="GridKwh">Σ facility_input (grid) energy of the hours with readings; null when the node has no grid meter or no readings.</param>
/// <param name="Cost">Σ hour energy × price of the hour's period; null when some grid energy falls on hours no tariff version covers.</param>
/// <param name="UnpricedKwh">Grid energy of hours before the first tariff version.</param>
/// <param name="Unallocated">Grid cost − Σ subsystem costs: the cost of what the subsystem meters do not explain (negative when they
/// add up to more than the grid, e.g. with on-site PV).</param>
/// <param name="Versions">valid_from of every tariff version applied in the bucket.</param>
public sealed record CostRow(DateTimeOffset Start, DateTimeOffset End, string Node, IReadOnlyList<PeriodCost> Periods, double? GridKwh, double? Cost,
    double? AveragePrice, double UnpricedKwh, IReadOnlyList<SubsystemCost> Subsystems, double? Unallocated, double Completeness, IReadOnlyList<DateOnly> Versions,
    IReadOnlyList<string> Notes);

/// <summary>
/// Electricity cost with time-of-use tariffs. From the HOURLY series (local-hour buckets of <see cref="ZeroPark.Application.Readings.ReadingQueries.SeriesAsync"/>)
/// of the node's grid input (Σ facility_input) and of each subsystem (IT = Σ it_load, cooling, power losses, auxiliary = the system
/// nodes): cost = Σ over hours of hour energy × price of the hour's period (by local hour and month) under the tariff version in
/// effect on that local date. Hours without readings are not priced (no extrapolation; completeness says how much is missing).
/// </summary>
public sealed class EnergyCostService(ZeroParkStore store)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private sealed record Input(string Key, SeriesTarget Target, string What);

    public async Task<IReadOnlyList<CostRow>> CostAsync(string parkCode, string? node, DateOnly from, DateOnly to, EnergyBucketing by, CancellationToken ct = default)
    {
        if (to < from) throw new ValidationException("to", $"'to' ({to:yyyy-MM-dd}) is before 'from' ({from:yyyy-MM-dd})");
        if (to.DayNumber - from.DayNumber > 366 * 5) throw new ValidationException("to", "cost ranges are limited to 5 years (hourly pricing)");
        var reg = await store.Registry.GetRegistryAsync(parkCode, ct);
        var code = string.IsNullOrWhiteSpace(node) ? reg.Park.Code : node.Trim();
        string? space = null;
        if (code != reg.Park.Code)
        {
            if (!reg.SpacesByCode.ContainsKey(code))
                throw new NotFoundException($"node '{code}' not found in park '{reg.Park.Code}' (expected a building, floor or room code, or the park code)");
            space = code;
        }
        var versions = await store.Tariffs.ListTariffVersionsAsync(parkCode, ct);
        Input[] inputs =
        [
            new("grid", SeriesTarget.Node(space, role: MeterRole.FacilityInput, carrier: Carrier.Electricity), "facility_input (grid incoming) meter"),
            new("it", SeriesTarget.Node(space, role: MeterRole.ItLoad, carrier: Carrier.Electricity), "it_load meter"),
            new("cooling", SeriesTarget.Node(space, system: "cooling", carrier: Carrier.Electricity), "electricity meter in system 'cooling'"),
            new("power", SeriesTarget.Node(space, system: "power", carrier: Carrier.Electricity), "electricity meter in system 'power' (losses)"),
            new("aux", SeriesTarget.Node(space, system: "aux", carrier: Carrier.Electricity), "electricity meter in system 'aux'"),
        ];
        var tasks = inputs.Select(i => store.Queries.SeriesAsync(reg.Park.Code, i.Target, from, to, Granularity.Hour, ct)).ToArray();
        var series = await Task.WhenAll(tasks);

        var clock = reg.Clock;
        var buckets = by == EnergyBucketing.Total
            ? [(clock.ToLocalOffset(clock.StartOfDay(from)), clock.ToLocalOffset(clock.StartOfDay(to.AddDays(1))))]
            : clock.Buckets(from, to, by switch { EnergyBucketing.Day => Granularity.Day, EnergyBucketing.Month => Granularity.Month, _ => Granularity.Year })
                .Select(b => (clock.ToLocalOffset(b.Start), clock.ToLocalOffset(b.End))).ToList();

        var rows = new List<CostRow>(buckets.Count);
        var hours = series[0].Buckets;
        var h = 0;
        foreach (var (start, end) in buckets)
        {
            var acc = new Acc(inputs.Length);
            for (; h < hours.Count && hours[h].Start < end; h++)
            {
                var hb = hours[h];
                var date = DateOnly.FromDateTime(hb.Start.DateTime);   // buckets carry the park's local offset
                var version = TariffRules.VersionOn(versions, date);
                TouPeriod? period = version?.PeriodAt(date.Month, hb.Start.Hour);
                double? price = version is null ? null : version.Prices[period!.Value];
                if (version is not null) acc.Versions.Add(version.ValidFrom);
                else acc.UnpricedHours++;
                for (var k = 0; k < inputs.Length; k++)
                {
                    var b = series[k].Buckets[h];
                    acc.Received[k] += b.Quality.Received;
                    acc.Expected[k] += b.Quality.Expected;
                    if (b.Value is not { } kwh) continue;
                    acc.Has[k] = true;
                    acc.Kwh[k] += kwh;
                    if (price is { } p) acc.Cost[k] += kwh * p;
                    else acc.Unpriced[k] += kwh;
                    if (k == 0 && period is { } pe)
                    {
                        var i = (int)pe;
                        acc.PeriodKwh[i] += kwh;
                        acc.PeriodCost[i] += kwh * price!.Value;
                    }
                }
                if (period is { } hp) acc.PeriodHours[(int)hp]++;
            }
            rows.Add(Row(start, end, code, inputs, acc, versions));
        }
        return rows;
    }

    private sealed class Acc(int n)
    {
        public readonly double[] Kwh = new double[n], Cost = new double[n], Unpriced = new double[n];
        public readonly int[] Received = new int[n], Expected = new int[n];
        public readonly bool[] Has = new bool[n];
        public readonly double[] PeriodKwh = new double[4], PeriodCost = new double[4];
        public readonly int[] PeriodHours = new int[4];
        public readonly SortedSet<DateOnly> Versions = [];
        public int UnpricedHours;
    }

    private static CostRow Row(DateTimeOffset start, DateTimeOffset end, string node, Input[] inputs, Acc a, IReadOnlyList<TariffVersion> versions)
    {
        var notes = new List<string>();
        if (versions.Count == 0)
            notes.Add("tariff: the park has no tariff version (add one with 'zeropark energy tariff add' or POST /api/parks/{park}/tariffs); cost is null");
        else if (a.UnpricedHours > 0)
            notes.Add($"tariff: {a.UnpricedHours} hour(s) fall before the first tariff version (valid from {versions[0].ValidFrom:yyyy-MM-dd}): " +
                      $"{Kwh(a.Unpriced[0])} of grid energy unpriced; cost is null");
        if (a.Versions.Count > 1)
            notes.Add("tariff: versions valid from " + string.Join(", ", a.Versions.Select(v => v.ToString("yyyy-MM-dd", Inv))) + " apply in this period (each hour priced by the version of its local date)");

        double? Energy(int k) => a.Has[k] ? a.Kwh[k] : null;
        double? Cost(int k) => a.Has[k] && a.Unpriced[k] <= 0 && versions.Count > 0 ? a.Cost[k] : null;

        var gridKwh = Energy(0);
        var cost = Cost(0);
        if (a.Expected[0] == 0) notes.Add($"grid: no {inputs[0].What} under '{node}'; cost is null");
        else if (gridKwh is null) notes.Add("grid: no readings in this period");
        double? avg = cost is { } c && gridKwh is > 0 ? c / gridKwh.Value : null;
        var subsystems = new List<SubsystemCost>();
        for (var k = 1; k < inputs.Length; k++)
        {
            if (a.Expected[k] == 0) notes.Add($"{inputs[k].Key}: no {inputs[k].What} under '{node}'");
            else if (a.Received[k] < a.Expected[k])
                notes.Add($"{inputs[k].Key}: {Pct((double)a.Received[k] / a.Expected[k])} complete; hours without readings are not priced");
            subsystems.Add(new SubsystemCost(inputs[k].Key, Energy(k), Cost(k)));
        }
        double? unallocated = cost is { } total && subsystems.All(s => s.Cost is not null || s.Kwh is null)
            ? total - subsystems.Sum(s => s.Cost ?? 0)
            : null;
        if (unallocated is < -0.005)
            notes.Add($"unallocated: the subsystem costs exceed the grid cost by {(-unallocated.Value).ToString("0.00", Inv)} CNY (on-site generation behind the grid meter, or a load metered twice)");
        var completeness = a.Expected[0] == 0 ? 1 : Math.Min(1.0, (double)a.Received[0] / a.Expected[0]);
        if (a.Expected[0] > 0 && completeness < 1)
            notes.Add($"completeness: {Pct(completeness)} of the expected grid readings were received; hours without readings are not priced (not extrapolated)");
        var periods = TouPeriods.All.Select(p => new PeriodCost(p, a.PeriodKwh[(int)p], a.PeriodCost[(int)p], a.PeriodHours[(int)p])).ToList();
        return new CostRow(start, end, node, periods, gridKwh, cost, avg, a.Unpriced[0], subsystems, unallocated, completeness, a.Versions.ToList(), notes);
    }

    private static string Pct(double share) => (share * 100).ToString("0.##", Inv) + " %";
    private static string Kwh(double kwh) => kwh.ToString("#,0.###", Inv) + " kWh";
}

/// <summary>Wire shape of a cost row (CLI json and API; snake_case). Energies kWh (3 decimals), costs CNY (2 decimals), average
/// price CNY/kWh (6 decimals), completeness percent.</summary>
public sealed record CostRowView(DateTimeOffset Start, DateTimeOffset End, string Node, string Currency, double? EnergyKwh, double? CostCny,
    double? AveragePriceCnyPerKwh, double CriticalPeakKwh, double PeakKwh, double FlatKwh, double ValleyKwh, double? CriticalPeakCostCny, double? PeakCostCny,
    double? FlatCostCny, double? ValleyCostCny, double UnpricedKwh, double? ItKwh, double? ItCostCny, double? CoolingKwh, double? CoolingCostCny,
    double? PowerKwh, double? PowerCostCny, double? AuxKwh, double? AuxCostCny, double? UnallocatedCostCny, IReadOnlyList<string> TariffVersions,
    double Completeness, IReadOnlyList<string> Notes)
{
    /// <summary>Month-on-month comparison (by=month only; <see cref="PeriodComparison"/>).</summary>
    public PeriodChangeView? Mom { get; init; }

    /// <summary>Year-on-year comparison (by=month and by=year; <see cref="PeriodComparison"/>).</summary>
    public PeriodChangeView? Yoy { get; init; }

    public static CostRowView From(CostRow r)
    {
        static double? Money(double? v) => v is { } x ? Math.Round(x, 2) : null;
        static double? K(double? v) => v is { } x ? Math.Round(x, 3) : null;
        double P(TouPeriod p) => Math.Round(r.Periods[(int)p].Kwh, 3);
        // A period's cost is null exactly when the total is (no tariff for some hours): partial sums would look complete.
        double? PC(TouPeriod p) => r.Cost is null ? null : Math.Round(r.Periods[(int)p].Cost, 2);
        SubsystemCost S(string code) => r.Subsystems.First(s => s.Code == code);
        return new CostRowView(r.Start, r.End, r.Node, TariffRules.Currency, K(r.GridKwh), Money(r.Cost), r.AveragePrice is { } a ? Math.Round(a, 6) : null,
            P(TouPeriod.CriticalPeak), P(TouPeriod.Peak), P(TouPeriod.Flat), P(TouPeriod.Valley),
            PC(TouPeriod.CriticalPeak), PC(TouPeriod.Peak), PC(TouPeriod.Flat), PC(TouPeriod.Valley), Math.Round(r.UnpricedKwh, 3),
            K(S("it").Kwh), Money(S("it").Cost), K(S("cooling").Kwh), Money(S("cooling").Cost), K(S("power").Kwh), Money(S("power").Cost),
            K(S("aux").Kwh), Money(S("aux").Cost), Money(r.Unallocated),
            r.Versions.Select(v => v.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList(), Math.Round(r.Completeness * 100, 2), r.Notes);
    }
}

/// <summary>Wire shape of a tariff version (CLI json, API).</summary>
public sealed record TariffScheduleView(int Start, int End, string Period, IReadOnlyList<int>? Months);

public sealed record TariffVersionView(string ValidFrom, string? Name, string Currency, IReadOnlyDictionary<string, double> Prices,
    IReadOnlyList<TariffScheduleView> Schedule, DateTimeOffset CreatedAt, string CreatedBy)
{
    public static TariffVersionView From(TariffVersion v) => new(
        v.ValidFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), v.Name, v.Currency,
        TouPeriods.All.Where(v.Prices.ContainsKey).ToDictionary(TouPeriods.Code, p => v.Prices[p]),
        v.Schedule.Select(e => new TariffScheduleView(e.Start, e.End, TouPeriods.Code(e.Period), e.Months)).ToList(),
        v.CreatedAt, v.CreatedBy);
}
