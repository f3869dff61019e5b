using System.CommandLine;

namespace ZeroPark.Cli.Reports;

internal static partial class ReportCommands
{
    private static Command ReportsCommand()
    {
        var cmd = new Command("reports", "GHG inventory and monthly energy reports (HTML, PDF, XLSX; Chinese and English), the report archive, templates, schedules and disclosure packs");
        return cmd;
    }
}
