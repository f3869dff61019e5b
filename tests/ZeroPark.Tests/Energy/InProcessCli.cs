namespace ZeroPark.Tests.EnergyManagement;

/// <summary>Runs <c>zeropark</c> in-process with standard output and error captured. Console redirection is global, so
/// callers belong to the <see cref="EnergyCliConsoleCollection"/> (no parallel runs) and the gate guards it anyway.</summary>
internal static class InProcessCli
{
    private static readonly SemaphoreSlim ConsoleGate = new(1, 1);

    public sealed record Run(int ExitCode, string Out, string Err);

    public static async Task<Run> RunAsync(params string[] args)
    {
        await ConsoleGate.WaitAsync();
        var (stdout, stderr) = (Console.Out, Console.Error);
        using var o = new StringWriter();
        using var e = new StringWriter();
        try
        {
            Console.SetOut(o);
            Console.SetError(e);
            // Spectre.Console keeps the writer it saw first: point it at this run's output (tables), without colours or width limits.
            Spectre.Console.AnsiConsole.Console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
            {
                Out = new Spectre.Console.AnsiConsoleOutput(o), Ansi = Spectre.Console.AnsiSupport.No, ColorSystem = Spectre.Console.ColorSystemSupport.NoColors,
            });
            Spectre.Console.AnsiConsole.Console.Profile.Width = 400;
            var code = await ZeroPark.Cli.CliApp.RunAsync(args);
            return new Run(code, o.ToString(), e.ToString());
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
            ConsoleGate.Release();
        }
    }

    /// <summary>Runs a command that must succeed and answers its JSON output (the command's <c>--format json</c>).</summary>
    public static async Task<System.Text.Json.JsonElement> JsonAsync(params string[] args)
    {
        var r = await RunAsync(args);
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.Err}");
        using var doc = System.Text.Json.JsonDocument.Parse(r.Out);
        return doc.RootElement.Clone();
    }

    /// <summary>Builds a small demo park (<c>zeropark demo</c>, from 2025-01-01) into <paramref name="db"/>; fails the test if it fails.</summary>
    public static async Task<Run> DemoAsync(string db, int meters, int days)
    {
        var r = await RunAsync("demo", "--db", db, "--meters", meters.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--days", days.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(r.ExitCode == 0, r.Err);
        return r;
    }
}

/// <summary>Assertions shared by the energy suites.</summary>
internal static class EnergyAssert
{
    public static void Near(double expected, double? actual, double tolerance = 1e-6)
    {
        Assert.True(actual.HasValue, $"expected {expected}, got null");
        Assert.Equal(expected, actual!.Value, tolerance);
    }

    public static void HasNote(IReadOnlyList<string> notes, string contains) =>
        Assert.True(notes.Any(n => n.Contains(contains, StringComparison.Ordinal)), $"expected a note containing '{contains}' in: {string.Join(" | ", notes)}");
}
