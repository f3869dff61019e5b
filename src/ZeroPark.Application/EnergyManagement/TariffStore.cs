// Row classes below are filled by Dapper through reflection.
#pragma warning disable CS0649
using System.Globalization;
using System.Text.Json;
using Dapper;
using ZeroPark.Application.EnergyManagement;

namespace ZeroPark.Application.EnergyManagement;

/// <summary>Time-of-use tariff versions of a park (tables of migration 002_tariffs).</summary>
/// <summary>Time-of-use tariff versions per park (module <c>EnergyManagement</c>).</summary>
public sealed class TariffStore(ZeroParkStore db)
{
    private sealed class TariffVersionRow
    {
        public long id; public string valid_from = ""; public string? name; public string currency = ""; public long created_at; public string created_by = "";
    }

    private sealed class TariffPriceRow
    {
        public long version_id; public string period = ""; public double price;
    }

    private sealed class TariffScheduleRow
    {
        public long version_id; public long seq; public long start_hour; public long end_hour; public string period = ""; public string? months;
    }

    /// <summary>Stores a new tariff version of the park. Invalid fields are a <see cref="ValidationException"/> naming the field;
    /// a version with the same valid_from is a <see cref="ConflictException"/> (versions are never overwritten: add a new one).</summary>
    public async Task<TariffVersion> CreateTariffVersionAsync(string parkCode, TariffDraft draft, string user = "system", CancellationToken ct = default)
    {
        var (validFrom, name, prices, schedule) = TariffRules.Validate(draft);
        var park = await db.Registry.GetParkAsync(parkCode, ct);
        var from = validFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        if (await c.ExecuteScalarAsync<long?>("SELECT id FROM tariff_versions WHERE park_id = @p AND valid_from = @from", new { p = park.Id.Value, from }, tx) is not null)
            throw new ConflictException($"valid_from: park '{park.Code}' already has a tariff version valid from {from}");
        var id = await c.ExecuteScalarAsync<long>(
            "INSERT INTO tariff_versions (park_id, valid_from, name, currency, created_at, created_by) VALUES (@p, @from, @name, @cur, @at, @user) RETURNING id",
            new { p = park.Id.Value, from, name, cur = TariffRules.Currency, at = db.Clock.GetUtcNow().ToUnixTimeSeconds(), user }, tx);
        foreach (var (period, price) in prices)
            await c.ExecuteAsync("INSERT INTO tariff_prices (version_id, period, price) VALUES (@id, @period, @price)",
                new { id, period = TouPeriods.Code(period), price }, tx);
        for (var i = 0; i < schedule.Count; i++)
        {
            var e = schedule[i];
            await c.ExecuteAsync("INSERT INTO tariff_schedule (version_id, seq, start_hour, end_hour, period, months) VALUES (@id, @seq, @s, @e, @period, @months)",
                new { id, seq = i, s = e.Start, e = e.End, period = TouPeriods.Code(e.Period), months = e.Months is null ? null : string.Join(",", e.Months) }, tx);
        }
        var description = JsonSerializer.Serialize(new
        {
            valid_from = from,
            name,
            prices = prices.ToDictionary(p => TouPeriods.Code(p.Key), p => p.Value),
            schedule = schedule.Select(e => new { start = e.Start, end = e.End, period = TouPeriods.Code(e.Period), months = e.Months }),
        });
        await db.AuditAsync(c, tx, park.Id.Value, user, "create", "tariff", from, null, null, description);
        await tx.CommitAsync(ct);
        return (await ListTariffVersionsAsync(parkCode, ct)).Single(v => v.Id == id);
    }

    /// <summary>The park's tariff versions, oldest valid_from first.</summary>
    public async Task<IReadOnlyList<TariffVersion>> ListTariffVersionsAsync(string parkCode, CancellationToken ct = default)
    {
        var park = await db.Registry.GetParkAsync(parkCode, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        var versions = (await c.QueryAsync<TariffVersionRow>("SELECT id, valid_from, name, currency, created_at, created_by FROM tariff_versions WHERE park_id = @p",
            new { p = park.Id.Value })).ToList();
        if (versions.Count == 0) return [];
        var prices = (await c.QueryAsync<TariffPriceRow>(
            "SELECT pr.version_id, pr.period, pr.price FROM tariff_prices pr JOIN tariff_versions v ON v.id = pr.version_id WHERE v.park_id = @p",
            new { p = park.Id.Value })).ToLookup(r => r.version_id);
        var schedule = (await c.QueryAsync<TariffScheduleRow>(
            "SELECT s.version_id, s.seq, s.start_hour, s.end_hour, s.period, s.months FROM tariff_schedule s JOIN tariff_versions v ON v.id = s.version_id WHERE v.park_id = @p",
            new { p = park.Id.Value })).ToLookup(r => r.version_id);
        var clock = park.Clock;
        return versions
            .Select(v => new TariffVersion(
                v.id,
                DateOnly.ParseExact(v.valid_from, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                v.name,
                v.currency,
                prices[v.id].ToDictionary(p => TouPeriods.TryParse(p.period)!.Value, p => p.price),
                schedule[v.id].OrderBy(s => s.seq).Select(s => new TariffScheduleEntry((int)s.start_hour, (int)s.end_hour, TouPeriods.TryParse(s.period)!.Value,
                    s.months is null ? null : s.months.Split(',').Select(m => int.Parse(m, CultureInfo.InvariantCulture)).ToList())).ToList(),
                clock.ToLocalOffset(v.created_at),
                v.created_by))
            .OrderBy(v => v.ValidFrom)
            .ToList();
    }
}
