using System.Diagnostics;

namespace ZeroPark.Application.Reports;

/// <summary>
/// Prints report HTML to PDF with headless Chromium (Debian's <c>/usr/bin/chromium</c>, or <c>ZEROPARK_CHROMIUM</c>): the HTML is
/// written to a private temporary directory and printed with <c>--print-to-pdf --no-pdf-header-footer</c> (the report's own CSS
/// puts the page numbers in the margin). The page has no script and no external resource; Chromium runs with a throwaway
/// profile and no network use beyond the local file, and is killed after <see cref="Timeout"/>. Chinese text needs a CJK font
/// (Debian: fonts-noto-cjk).
/// </summary>
public static class PdfRenderer
{
    public static TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(180);

    public static string ChromiumPath => Environment.GetEnvironmentVariable("ZEROPARK_CHROMIUM") is { Length: > 0 } p ? p : "/usr/bin/chromium";

    public static bool Available => File.Exists(ChromiumPath);

    public static async Task<byte[]> RenderAsync(string html, CancellationToken ct = default)
    {
        if (!Available) throw new ConflictException($"PDF needs Chromium at {ChromiumPath} (Debian: apt-get install chromium fonts-noto-cjk; or set ZEROPARK_CHROMIUM)");
        var dir = Directory.CreateTempSubdirectory("zeropark-report-");
        try
        {
            var input = Path.Combine(dir.FullName, "report.html");
            var output = Path.Combine(dir.FullName, "report.pdf");
            await File.WriteAllTextAsync(input, html, ct);
            var psi = new ProcessStartInfo(ChromiumPath)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            foreach (var a in new[]
                     {
                         "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
                         "--disable-extensions", "--disable-background-networking", "--disable-sync", "--mute-audio", "--no-pdf-header-footer",
                         $"--user-data-dir={Path.Combine(dir.FullName, "profile")}", $"--print-to-pdf={output}", new Uri(input).AbsoluteUri,
                     })
                psi.ArgumentList.Add(a);
            using var p = Process.Start(psi) ?? throw new InvalidOperationException("Chromium did not start");
            var stderr = p.StandardError.ReadToEndAsync(ct);
            _ = p.StandardOutput.ReadToEndAsync(ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(Timeout);
            try
            {
                await p.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { /* already gone */ }
                if (ct.IsCancellationRequested) throw;
                throw new TimeoutException($"Chromium did not print the report within {Timeout.TotalSeconds:0} s");
            }
            if (!File.Exists(output) || new FileInfo(output).Length == 0)
                throw new InvalidOperationException($"Chromium printed no PDF (exit {p.ExitCode}): {(await stderr).Split('\n').LastOrDefault(l => l.Length > 0)}");
            return await File.ReadAllBytesAsync(output, ct);
        }
        finally
        {
            try { dir.Delete(recursive: true); } catch (IOException) { /* best effort: a temporary directory */ } catch (UnauthorizedAccessException) { }
        }
    }
}
