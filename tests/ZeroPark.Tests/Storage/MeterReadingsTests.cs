using ZeroPark.Metering;
using ZeroPark.Application;
using ZeroPark.Application.Readings.Import;
using ZeroPark.Tests.EnergyManagement;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.Storage;

/// <summary>The store calls behind the data-management pages: the stored readings of a meter and day (the manual-entry page's
/// list), the shared file-import path and renaming a space, on SQLite and on PostgreSQL. Values by hand from <see cref="EnergyTestPark"/>.</summary>
public abstract partial class MeterReadingsTests : IAsyncLifetime
{
    private ZeroParkStore _store = null!;
    private const string Park = "mr01";

    protected abstract string NewDatabase();

    public async Task InitializeAsync()
    {
        _store = await ZeroParkStore.OpenAsync(NewDatabase());
        await EnergyTestPark.SeedAsync(_store, Park);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task A_meters_readings_of_a_local_day_are_its_raw_values_in_time_order()
    {
        // grid: 1000 at Jan 31 00:00, +130/h on Jan 31, +140/h on Feb 1: Feb 1 00:00 = 1000 + 24 × 130 = 4120, 23:00 = 4120 + 23 × 140 = 7340.
        var day = await _store.Readings.MeterReadingsAsync(Park, "grid", EnergyTestPark.Feb1, EnergyTestPark.Feb1);
        Assert.Equal(24, day.Count);
        Assert.Equal(EnergyTestPark.T0.AddHours(24).ToUnixTimeSeconds(), day[0].Ts);
        Assert.Equal((4120.0, 7340.0), (day[0].Value, day[^1].Value));
        Assert.True(day.Zip(day.Skip(1)).All(p => p.Second.Ts - p.First.Ts == 3600));
        // Both days: 48 readings (Jan 31 00:00 is the register's first reading, flagged first).
        var both = await _store.Readings.MeterReadingsAsync(Park, "grid", EnergyTestPark.Jan31, EnergyTestPark.Feb1);
        Assert.Equal(48, both.Count);
        Assert.True((both[0].Flags & ReadingFlags.First) != 0);

        Assert.Equal("to", (await Assert.ThrowsAsync<ValidationException>(() => _store.Readings.MeterReadingsAsync(Park, "grid", EnergyTestPark.Feb1, EnergyTestPark.Jan31))).Field);
        Assert.Equal("to", (await Assert.ThrowsAsync<ValidationException>(() => _store.Readings.MeterReadingsAsync(Park, "grid", EnergyTestPark.Jan31, EnergyTestPark.Jan31.AddDays(31)))).Field);
        Assert.Equal("meter", (await Assert.ThrowsAsync<ValidationException>(() => _store.Readings.MeterReadingsAsync(Park, "ups_loss", EnergyTestPark.Feb1, EnergyTestPark.Feb1))).Field);
        await Assert.ThrowsAsync<NotFoundException>(() => _store.Readings.MeterReadingsAsync(Park, "nosuch", EnergyTestPark.Feb1, EnergyTestPark.Feb1));
    }

    [Fact]
    public async Task A_file_import_keeps_the_valid_rows_lists_the_bad_ones_and_audits_corrections_with_the_file_name()
    {
        // Line 2 new (light, Feb 2 01:00), 3 unknown meter, 4 the stored light value at Feb 1 12:00 (2), 5 a different one (3).
        var csv = "meter,timestamp,value\nlight,2025-02-02T01:00:00+08:00,2\nnosuch,2025-02-02T01:00:00+08:00,1\nlight,2025-02-01T12:00:00+08:00,2\nlight,2025-02-01T13:00:00+08:00,3\n";
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv));
        var r = await FileImport.ImportReadingsAsync(_store, Park, stream, "export.csv", null, "op.li", batchSize: 2);
        Assert.Equal((1, 1, 1, (string?)null), (r.Accepted, r.Duplicates, r.Corrected, r.FileError));
        var bad = Assert.Single(r.Rejected);
        Assert.Equal((3, $"meter: unknown meter code 'nosuch' in park '{Park}'"), (bad.Line, bad.Reason));
        var corrected = Assert.Single(await _store.Audit.AuditLogAsync(Park), a => a.Action == "correct" && a.User == "op.li");
        Assert.Equal(("light@2025-02-01T13:00:00+08:00", "file import export.csv", "2", "3"), (corrected.EntityKey, corrected.Reason, corrected.OldValue, corrected.NewValue));

        // A file that cannot be read at all: one error naming the file, nothing stored.
        using var pdf = new MemoryStream([1, 2, 3]);
        var none = await FileImport.ImportReadingsAsync(_store, Park, pdf, "export.pdf", null, "op.li");
        Assert.Equal(("file", 0), (none.FileErrorField, none.Accepted));
        Assert.StartsWith("file: unsupported extension '.pdf'", none.FileError, StringComparison.Ordinal);
    }
}

public abstract partial class MeterReadingsTests
{
    [Fact]
    public async Task A_space_is_renamed_keeping_its_code_and_meters_and_the_change_is_audited()
    {
        var s = await _store.Registry.RenameSpaceAsync(Park, "b1-r1", " 101 机房 ", "li.wei");
        Assert.Equal(("b1-r1", "101 机房", ZeroPark.Domain.SpaceLevel.Room), (s.Code, s.Name, s.Level));
        var reg = await _store.Registry.GetRegistryAsync(Park);
        Assert.Equal(s.Id, reg.Meter("pdu1").SpaceId);
        var a = Assert.Single(await _store.Audit.AuditLogAsync(Park), e => e.Entity == "space" && e.Action == "update");
        Assert.Equal(("li.wei", "b1-r1", "Room 1", "101 机房"), (a.User, a.EntityKey, a.OldValue, a.NewValue));
        Assert.Equal("name", (await Assert.ThrowsAsync<ValidationException>(() => _store.Registry.RenameSpaceAsync(Park, "b1-r1", "  ", "li.wei"))).Field);
        await Assert.ThrowsAsync<NotFoundException>(() => _store.Registry.RenameSpaceAsync(Park, "b9", "X", "li.wei"));
    }
}

public sealed class SqliteMeterReadingsTests : MeterReadingsTests
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

public sealed class PostgresMeterReadingsTests : MeterReadingsTests
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL tests need ZEROPARK_TEST_PG; run ./scripts/test.sh (it starts a server on 127.0.0.1)")
        : TestDatabases.NewPostgresDatabase();
}
