using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using ZeroPark.Application.Readings.Import;

namespace ZeroPark.Application.Collection;

/// <summary>
/// Scheduled extraction (whitepaper §五(二)1(8)): every <see cref="FolderSource.IntervalSeconds"/> a watched folder is listed (files
/// matching the pattern, top level, by name; a file changed in the last 2 s is left for the next round as it may still be being
/// written), or a loopback URL is fetched. Each file (or answer) whose content was not handled before (name + SHA-256) is imported
/// through <see cref="FileImport.ImportReadingsAsync"/>, the path of <c>zeropark import</c> and the import page, and its outcome is
/// kept (imported with counts, or failed with the reason). Files are not moved or deleted: the fingerprint keeps them from being
/// imported twice, and a file that changes is imported again (re-imports are idempotent: stored readings are duplicates).
/// </summary>
public sealed class FolderCollector(FolderSource source, ZeroParkStore store, ILogger log, HttpClient? http = null)
{
    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try { await ScanAsync(ct); }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { break; }
            catch (Exception e)
            {
                log.LogWarning("folder {Name}: {Reason}", source.Name, e.Message);
                await Health(0, 1, e.Message, CancellationToken.None);
            }
            try { await Task.Delay(TimeSpan.FromSeconds(Math.Max(1, source.IntervalSeconds)), store.Clock, ct); }
            catch (OperationCanceledException) { break; }
        }
    }

    /// <summary>One round: imports what is new; returns the number of files imported or failed in this round.</summary>
    public async Task<int> ScanAsync(CancellationToken ct)
    {
        var handled = 0;
        if (source.Kind == "http")
        {
            using var own = http is null ? new HttpClient { Timeout = TimeSpan.FromSeconds(60) } : null;
            var client = http ?? own!;
            using var answer = await client.GetAsync(source.Location, ct);
            if (!answer.IsSuccessStatusCode)
            {
                await Health(0, 1, $"GET {source.Location}: HTTP {(int)answer.StatusCode}", ct);
                return 0;
            }
            var bytes = await answer.Content.ReadAsByteArrayAsync(ct);
            var name = answer.Content.Headers.ContentDisposition?.FileNameStar ?? answer.Content.Headers.ContentDisposition?.FileName?.Trim('"')
                ?? Path.GetFileName(new Uri(source.Location).AbsolutePath);
            if (string.IsNullOrEmpty(name)) name = "download.csv";
            if (await ImportAsync(name, bytes, ct)) handled++;
            return handled;
        }
        if (!Directory.Exists(source.Location))
        {
            await Health(0, 1, $"folder {source.Location} does not exist", ct);
            return 0;
        }
        var now = DateTime.UtcNow;
        foreach (var path in Directory.EnumerateFiles(source.Location, source.Pattern, SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal))
        {
            if (now - File.GetLastWriteTimeUtc(path) < TimeSpan.FromSeconds(2)) continue;
            byte[] bytes;
            try { bytes = await File.ReadAllBytesAsync(path, ct); }
            catch (IOException) { continue; } // still locked by its writer: next round
            if (await ImportAsync(Path.GetFileName(path), bytes, ct)) handled++;
        }
        return handled;
    }

    private async Task<bool> ImportAsync(string name, byte[] bytes, CancellationToken ct)
    {
        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (await store.Collection.FileSeenAsync(source.Id, name, fingerprint, ct)) return false;
        ColumnMapping? mapping = source.Mapping is { Length: > 0 } m ? ColumnMapping.FromJson(m) : null;
        FileImportResult r;
        await using (var stream = new MemoryStream(bytes, writable: false))
            r = await FileImport.ImportReadingsAsync(store, source.Park, stream, name, mapping, "folder:" + source.Name, wholeDays: true, ct: ct);
        var outcome = r.FileError is null ? "imported" : "failed";
        var message = r.FileError ?? (r.Rejected.Count == 0 ? null
            : string.Join("; ", r.Rejected.Take(5).Select(e => $"line {e.Line}: {e.Reason}")) + (r.Rejected.Count > 5 ? $"; … and {r.Rejected.Count - 5} more" : ""));
        await store.Collection.RecordFileAsync(source.Id, name, fingerprint, outcome, r.Accepted, r.Duplicates, r.Corrected, r.Rejected.Count, message, ct);
        log.LogInformation("folder {Source}: {File} {Outcome}: {Accepted} accepted, {Duplicates} duplicates, {Rejected} rejected", source.Name, name, outcome,
            r.Accepted, r.Duplicates, r.Rejected.Count);
        var errors = (r.FileError is null ? 0 : 1) + r.Rejected.Count;
        await Health(r.Accepted + r.Duplicates + r.Corrected, errors, errors == 0 ? null : $"{name}: {message}", ct);
        return true;
    }

    private async Task Health(int readings, int errors, string? lastError, CancellationToken ct)
    {
        try
        {
            var park = await store.Registry.GetParkAsync(source.Park, ct);
            await store.Collection.RecordHealthAsync(source.SourceKey, park.Id.Value, "folder", source.Name, source.IntervalSeconds, readings, errors, lastError, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning("folder {Name}: health not recorded: {Reason}", source.Name, e.Message);
        }
    }
}
