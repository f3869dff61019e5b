using Microsoft.Extensions.DependencyInjection;
using System.CommandLine;
using ZeroPark.Application;
using ZeroPark.Application.Reports;
using ParseResult = System.CommandLine.ParseResult;

namespace ZeroPark.Cli.Reports;

/// <summary><c>zeropark verify</c> (sealed inventories) and <c>zeropark reports …</c> (generate, list, templates, schedules,
/// disclosure packs).</summary>
internal static partial class ReportCommands
{
    private static readonly Option<string> Db = new("--db") { Description = "SQLite file path or PostgreSQL connection string (Host=…;Database=…)", Required = true };
    private static readonly Option<string> Park = new("--park") { Description = "park code", Required = true };
    private static readonly Option<string> Format = new("--format") { Description = "table | json", DefaultValueFactory = _ => "table" };
    private static readonly Option<string> User = new("--user") { Description = "who does this (recorded in the audit log)", DefaultValueFactory = _ => Environment.UserName };

    public static IEnumerable<Command> Create() => [Verify(), ReportsCommand()];

    private static Task<int> WithStore(ParseResult pr, Func<ZeroParkStore, IServiceProvider, Task<int>> body) => CliApp.WithStore(pr, body, Db);

    /// <summary><c>zeropark verify --db D --park P</c>: every sealed inventory of the park; exit 0 when all hold, 3 otherwise,
    /// one line per inventory naming what changed.</summary>
    private static Command Verify()
    {
        var cmd = new Command("verify", "check every sealed inventory of the park against the store: the seal chain, each seal's hash, and the stored results, " +
                                        "activity records, readings' rollups, factors, instruments and settings it sealed; exit 0 when all hold, 3 when any changed")
            { Db, Park, Format };
        cmd.SetAction((pr, ct) => WithStore(pr, async (_, services) =>
        {
            var v = await services.GetRequiredService<SealService>().VerifyAsync(pr.GetValue(Park)!, ct);
            if (pr.GetValue(Format) == "json") Output.WriteJson(v);
            else
            {
                foreach (var c in v.Inventories) Console.WriteLine(c.Line);
                Console.WriteLine(v.Inventories.Count == 0 ? $"park {v.Park}: no sealed inventories"
                    : v.AllHold ? $"park {v.Park}: all {v.Inventories.Count} sealed inventories hold; chain head {v.ChainHead}"
                    : $"park {v.Park}: {v.Inventories.Count(c => !c.Holds)} of {v.Inventories.Count} inventories do not hold; chain head {v.ChainHead ?? "(none)"}");
            }
            return v.AllHold ? 0 : 3;
        }));
        return cmd;
    }
}
