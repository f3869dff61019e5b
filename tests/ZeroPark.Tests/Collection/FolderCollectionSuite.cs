using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using ZeroPark.Application;
using ZeroPark.Application.Collection;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.Collection;

/// <summary>Scheduled extraction on SQLite and PostgreSQL: a watched folder and a polled loopback URL import what appears once,
/// keep each file's outcome, and import a changed file again without counting a reading twice.</summary>
public abstract class FolderCollectionSuite : IAsyncLifetime
{
    private const string Park = CollectionPark.Park;
    protected ZeroParkStore Store { get; private set; } = null!;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "zeropark-tests", "folder-" + Guid.NewGuid().ToString("N"));

    protected abstract string NewDatabase();

    public async Task InitializeAsync()
    {
        Store = await ZeroParkStore.OpenAsync(NewDatabase());
        await CollectionPark.SeedAsync(Store);
        Directory.CreateDirectory(_dir);
    }

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private static readonly DateOnly Day = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8).AddDays(-3));
    private static string Ts(int minutes) => $"{Day.ToDateTime(TimeOnly.MinValue).AddMinutes(minutes):yyyy-MM-dd'T'HH:mm:ss}+08:00";

    private async Task WriteOldAsync(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        await File.WriteAllTextAsync(path, text);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(-1));   // settled: not being written any more
    }

    [Fact]
    public async Task A_watched_folder_imports_new_files_once_and_keeps_each_outcome()
    {
        var source = await Store.Collection.AddFolderAsync(Park, new FolderDraft("ems", "folder", _dir) { Pattern = "*.csv", IntervalSeconds = 60 });
        await WriteOldAsync("a.csv", $"meter,timestamp,value\nm1,{Ts(15)},100\nm1,{Ts(30)},112\n");
        await WriteOldAsync("b.csv", $"meter,timestamp,value\nm1,{Ts(45)},120\nnope,{Ts(45)},1\n");
        await WriteOldAsync("c.txt", $"meter,timestamp,value\nm1,{Ts(60)},130\n");
        var folder = new FolderCollector(source, Store, NullLogger.Instance);
        Assert.Equal(2, await folder.ScanAsync(default));
        Assert.Equal(0, await folder.ScanAsync(default));   // nothing new
        var files = (await Store.Collection.FileOutcomesAsync(Park)).OrderBy(f => f.Name).ToList();
        Assert.Equal([("a.csv", "imported", 2, 0), ("b.csv", "imported", 1, 1)], files.Select(f => (f.Name, f.Outcome, f.Accepted, f.Rejected)));
        Assert.Contains("line 3", files[1].Message);
        Assert.Contains("nope", files[1].Message);
        // a.csv grows by a row: imported again, its first two rows are duplicates.
        await WriteOldAsync("a.csv", $"meter,timestamp,value\nm1,{Ts(15)},100\nm1,{Ts(30)},112\nm1,{Ts(75)},140\n");
        Assert.Equal(1, await folder.ScanAsync(default));
        var again = (await Store.Collection.FileOutcomesAsync(Park))[0];
        Assert.Equal(("a.csv", 1, 2), (again.Name, again.Accepted, again.Duplicates));
        // m1: 100, 112, 120, 140: 4 readings, 40 kWh.
        var m1 = await CollectionPark.CountAsync(Store, "m1", Day, Day);
        Assert.Equal((4, 40.0), (m1.Received, m1.Total));
        var health = (await new CollectionHealthService(Store).HealthAsync(Park)).Single(h => h.Kind == "folder");
        Assert.Equal(("ems", 2L + 1 + 3, 1L), (health.Name, health.Readings, health.Errors));
    }

    [Fact]
    public async Task A_polled_loopback_url_is_imported_when_its_content_changes()
    {
        var port = Peers.FreePort();
        using var http = new HttpListener();
        http.Prefixes.Add($"http://127.0.0.1:{port}/");
        http.Start();
        var body = $"meter,timestamp,value\nm1,{Ts(15)},10\nm1,{Ts(30)},15\n";
        using var stop = new CancellationTokenSource();
        var serve = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                HttpListenerContext ctx;
                try { ctx = await http.GetContextAsync(); } catch (Exception) { break; }
                var bytes = Encoding.UTF8.GetBytes(body);
                ctx.Response.ContentType = "text/csv";
                await ctx.Response.OutputStream.WriteAsync(bytes);
                ctx.Response.Close();
            }
        });
        var source = await Store.Collection.AddFolderAsync(Park, new FolderDraft("export", "http", $"http://127.0.0.1:{port}/export/readings.csv"));
        var collector = new FolderCollector(source, Store, NullLogger.Instance);
        Assert.Equal(1, await collector.ScanAsync(default));
        Assert.Equal(0, await collector.ScanAsync(default));
        body += $"m1,{Ts(45)},21\n";
        Assert.Equal(1, await collector.ScanAsync(default));
        stop.Cancel();
        http.Stop();
        await serve;
        // 10, 15, 21: 3 readings, 11 kWh.
        var m1 = await CollectionPark.CountAsync(Store, "m1", Day, Day);
        Assert.Equal((3, 11.0), (m1.Received, m1.Total));
        Assert.Equal(["readings.csv", "readings.csv"], (await Store.Collection.FileOutcomesAsync(Park)).Select(f => f.Name));
        var bad = await Assert.ThrowsAsync<ValidationException>(() => Store.Collection.AddFolderAsync(Park, new FolderDraft("far", "http", "http://example.com/x.csv")));
        Assert.Equal("location", bad.Field);
    }
}

public sealed class SqliteFolderCollectionTests : FolderCollectionSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

public sealed class PostgresFolderCollectionTests : FolderCollectionSuite
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL collection tests need ZEROPARK_TEST_PG; run ./scripts/test.sh (it starts a server on 127.0.0.1)")
        : TestDatabases.NewPostgresDatabase();
}
