using System.Threading.Channels;
using ZeroPark.Domain;
using ZeroPark.Metering;

namespace ZeroPark.Application.Readings.Import;

/// <summary>The result of a readings file import: counts, every rejected row (parser and store, sorted by line) and, when the
/// file as a whole could not be read (unsupported type, invalid mapping, missing header columns), that one reason.</summary>
public sealed record FileImportResult(int Accepted, int Duplicates, int Corrected, IReadOnlyList<RowError> Rejected, string? FileError)
{
    /// <summary>The field a whole-file error is about: <c>mapping</c> or <c>file</c>.</summary>
    public string FileErrorField => FileError is { } e && e.StartsWith("mapping", StringComparison.Ordinal) ? "mapping" : "file";

    /// <summary>The file was refused for exceeding an <see cref="ImportLimits"/> bound (HTTP 413).</summary>
    public bool TooLarge => FileError?.StartsWith(XlsxSheet.TooLarge, StringComparison.Ordinal) == true;
}

/// <summary>The result of a meters CSV import: all or nothing, so either meters were registered or there are errors.</summary>
public sealed record MeterImportResult(int Registered, IReadOnlyList<RowError> Errors);

/// <summary>
/// The one import path for files, shared by <c>zeropark import</c> / <c>zeropark meters import</c>, <c>POST …/import</c> and the web
/// UI's import page: parse (CSV/XLSX, encodings, column mapping) and, while the file is still being read, ingest the valid rows
/// in batches of <c>batchSize</c> readings (one transaction each, in file order). With <c>wholeDays</c> a CSV batch goes on
/// to the end of its last reading's local day (at most twice <c>batchSize</c>): a file in time order (all meters at 00:15, then
/// at 00:30, …) is then stored a day per transaction, and no meter-day chunk or hourly block is written, read back and
/// rewritten by the next batch — the outcome (counts, rejections, deltas, rollups) is the same, only faster. With a mapping, timestamps without an offset are the park's local time unless the mapping
/// names another zone. Valid rows are stored even when others are rejected; corrections are audited with the reason
/// "file import &lt;file name&gt;".
/// </summary>
public static class FileImport
{
    public const int DefaultBatch = 100_000;

    public static async Task<FileImportResult> ImportReadingsAsync(ZeroParkStore store, string park, Stream stream, string fileName, ColumnMapping? mapping,
        string user, int batchSize = DefaultBatch, IProgress<long>? bytesRead = null, Action<int, int>? stored = null,
        ImportLimits? limits = null, bool wholeDays = false, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(stream);
        IngestTimings.Stamp("import: start");
        var reg = await store.Registry.GetRegistryAsync(park, ct);
        IngestTimings.Stamp("import: registry");
        if (mapping is { TimeZone: null or "" }) mapping = mapping with { TimeZone = reg.Park.TimeZoneId };
        var name = Path.GetFileName(fileName);
        var size = Math.Max(1, batchSize);
        // The local day whose chunk and rollups a reading at ts goes to (the day holding ts − 1 s, as the store counts it).
        var clock = reg.Clock;
        int DayOf(DateTimeOffset ts) => clock.BucketKeys(ts.ToUnixTimeSeconds() - 1).Day;

        // Parse and store at once: the parser runs on its own thread and hands over batches through a channel of two, so that
        // reading the file overlaps with storing it and at most a few batches are in memory, whatever the file's size.
        var channel = Channel.CreateBounded<List<RawPoint>>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        long parsed = 0;
        // A thread of its own: the parser blocks while the channel is full, and the store's ingest uses the thread pool.
        var parser = Task.Factory.StartNew(() =>
        {
            try
            {
                return ReadingFileParser.ParseStreaming(stream, name, mapping, bytesRead, limits, size, batch =>
                {
                    if (Interlocked.Add(ref parsed, batch.Count) == batch.Count) IngestTimings.Stamp("import: first batch parsed");
                    if (!channel.Writer.TryWrite(batch))
                        channel.Writer.WriteAsync(batch, stop.Token).AsTask().GetAwaiter().GetResult();
                }, wholeDays ? DayOf : null);
            }
            finally
            {
                IngestTimings.Stamp("import: parsed");
                channel.Writer.Complete();
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        int accepted = 0, duplicates = 0, corrected = 0, done = 0;
        var rejected = new List<RowError>();
        var source = IngestSource.File(name, user) with { Reason = "file import " + name };
        try
        {
            await foreach (var chunk in channel.Reader.ReadAllAsync(ct))
            {
                var sum = await store.Readings.IngestAsync(park, chunk, source, ct: ct);
                accepted += sum.Accepted;
                duplicates += sum.Duplicates;
                corrected += sum.Corrected;
                rejected.AddRange(sum.Rejected);
                done += chunk.Count;
                stored?.Invoke(done, (int)Math.Min(int.MaxValue, Interlocked.Read(ref parsed)));
            }
        }
        catch
        {
            // Storing failed or was cancelled: stop the parser and let it end before the stream is disposed.
            await stop.CancelAsync();
            try { await parser; } catch (Exception) { /* the first failure is the one to report */ }
            throw;
        }
        IngestTimings.Stamp("import: stored");
        var result = await parser;
        if (result.FileError is { } fileError)
            return new FileImportResult(0, 0, 0, result.Errors, fileError);
        rejected.AddRange(result.Errors);
        rejected.Sort((a, b) => a.Line.CompareTo(b.Line));
        // A bulk load: fresh planner statistics, so the dashboards do not wait for autovacuum.
        if (accepted >= ZeroParkStore.BulkLoadAnalyzeThreshold) await store.AnalyzeAfterBulkLoadAsync(ct);
        IngestTimings.Stamp("import: analyzed");
        return new FileImportResult(accepted, duplicates, corrected, rejected, null);
    }

    /// <summary>Registers the meters of a meters CSV (<see cref="MeterFileParser"/>) in one transaction: one bad row and no meter
    /// is registered. Physical meters go first so that virtual meters can refer to meters of the same file. Registry rule
    /// violations (unknown space, formula errors, existing codes) throw the store's <see cref="ValidationException"/> or
    /// <see cref="ConflictException"/>.</summary>
    public static async Task<MeterImportResult> ImportMetersAsync(ZeroParkStore store, string park, Stream stream, string user, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var (rows, errors) = MeterFileParser.Parse(stream);
        if (errors.Count > 0) return new MeterImportResult(0, errors);
        var drafts = rows.Select(r => new MeterDraft(r.Code, r.Name, Codes.Of(r.Carrier), Codes.Of(r.Kind), r.Unit)
        {
            RegisterMax = r.RegisterMax, Multiplier = r.Multiplier, SpaceCode = r.SpaceCode, SystemCode = r.SystemCode, Role = Codes.Of(r.Role),
            IntervalMinutes = r.IntervalMinutes, MaxRatePerHour = r.MaxRatePerHour, Device = r.Device, Formula = r.Formula, ResetsNormal = r.ResetsNormal,
        }).ToList();
        await store.Registry.CreateMetersAsync(park, [.. drafts.Where(d => d.Formula is null), .. drafts.Where(d => d.Formula is not null)], user, ct);
        return new MeterImportResult(drafts.Count, []);
    }
}
