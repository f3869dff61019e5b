using System.Diagnostics;
using System.Text;

namespace ZeroPark.Tests.Cli;

/// <summary>Runs the built <c>zeropark</c> CLI as a separate process, exactly as a user or script would.</summary>
internal static class CliRunner
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "zeropark.dll");

    public sealed record Result(int ExitCode, string Out, string Err);

    public static async Task<Result> RunWithInputAsync(string? stdin, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin is not null, UseShellExecute = false };
        psi.ArgumentList.Add(Dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.StandardOutputEncoding = Encoding.UTF8;
        using var p = Process.Start(psi)!;
        if (stdin is not null)
        {
            await p.StandardInput.WriteAsync(stdin);
            p.StandardInput.Close();
        }
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await p.WaitForExitAsync(cts.Token);
        return new Result(p.ExitCode, await stdout, await stderr);
    }

    public static Task<Result> RunAsync(params string[] args) => RunWithInputAsync(null, args);
}
