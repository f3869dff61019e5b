using System.CommandLine;

namespace ZeroPark.Cli.NeutralityCli;

internal static partial class NeutralityCommands
{
    private static Command Targets() => new("targets", "neutrality-rate targets, emission budgets and CUE targets");
    private static Command Matching() => new("matching", "24×7 hourly matching of green supply against load");
    private static Command Measures() => new("measures", "reduction measures register");
}
