using System.CommandLine;
using System.Text;
using ZeroPark.Application;

namespace ZeroPark.Cli;

/// <summary>
/// <c>zeropark users add --db PATH --user NAME --role ROLE [--park CODE]...</c> reads the password from standard input (never
/// from an argument: arguments are visible to every process on the machine); <c>zeropark users list --db PATH</c>;
/// <c>zeropark users passwd --db PATH --user NAME</c> (standard input too) and <c>zeropark users unlock</c>. Every change is audited
/// with <c>--by</c> (default: the login name) as the actor.
/// </summary>
internal static class UserCommands
{
    private static readonly Option<string> Name = new("--user") { Description = "user name (letters, digits, '.', '_', '@', '-')", Required = true };
    private static readonly Option<string> By = new("--by") { Description = "who does this (recorded in the audit log)", DefaultValueFactory = _ => Environment.UserName };
    private static readonly Option<string> Format = new("--format") { Description = "table | json | csv", DefaultValueFactory = _ => "table" };

    public static Command Create()
    {
        var role = new Option<string>("--role") { Required = true, Description = string.Join(" | ", UserRoles.All.Select(UserRoles.Code)) };
        var parks = new Option<string[]>("--park") { Description = "park code granted to the user (repeat for several; administrators see every park)", AllowMultipleArgumentsPerToken = false };
        var mustChange = new Option<bool>("--must-change-password") { Description = "the user must choose a new password at the first sign-in" };
        var add = new Command("add", "add a user; the password is read from standard input (a terminal asks twice, without echo)") { CliApp.Db, Name, role, parks, mustChange, By };
        add.SetAction((pr, ct) => CliApp.WithStore(pr, async store =>
        {
            var password = ReadPassword();
            var u = await store.Users.CreateUserAsync(pr.GetValue(Name)!, password, UserRoles.Parse(pr.GetValue(role)), pr.GetValue(parks) ?? [], pr.GetValue(By)!,
                pr.GetValue(mustChange), ct);
            Console.WriteLine($"created user '{u.Name}' ({UserRoles.Code(u.Role)}; parks: {ParksText(u)})");
            return 0;
        }));

        var list = new Command("list", "list users, roles, granted parks and lockouts") { CliApp.Db, Format };
        list.SetAction((pr, ct) => CliApp.WithStore(pr, async store =>
        {
            var users = await store.Users.ListUsersAsync(ct);
            Output.Write(pr.GetValue(Format)!, ["user", "role", "parks", "disabled", "locked_until", "last_sign_in", "created_at"],
                users.Select(u => new object?[] { u.Name, UserRoles.Code(u.Role), ParksText(u), u.Disabled, u.LockedUntil, u.LastSignIn, u.CreatedAt }));
            return 0;
        }));

        var passwd = new Command("passwd", "set a user's password (read from standard input); also ends a lockout") { CliApp.Db, Name, mustChange, By };
        passwd.SetAction((pr, ct) => CliApp.WithStore(pr, async store =>
        {
            await store.Users.SetPasswordAsync(pr.GetValue(Name)!, ReadPassword(), pr.GetValue(By)!, pr.GetValue(mustChange), ct);
            Console.WriteLine($"password of '{pr.GetValue(Name)}' set");
            return 0;
        }));

        var unlock = new Command("unlock", "end a user's lockout now") { CliApp.Db, Name, By };
        unlock.SetAction((pr, ct) => CliApp.WithStore(pr, async store =>
        {
            await store.Users.UnlockUserAsync(pr.GetValue(Name)!, pr.GetValue(By)!, ct);
            Console.WriteLine($"unlocked '{pr.GetValue(Name)}'");
            return 0;
        }));

        var signout = new Command("signout", "end every session of a user now (e.g. a lost laptop or a copied cookie); audited") { CliApp.Db, Name, By };
        signout.SetAction((pr, ct) => CliApp.WithStore(pr, async store =>
        {
            await store.Users.EndSessionsAsync(pr.GetValue(Name)!, pr.GetValue(By)!, ct);
            Console.WriteLine($"ended every session of '{pr.GetValue(Name)}'");
            return 0;
        }));

        return new Command("users", "users of the web application: roles, park grants, passwords, sessions") { add, list, passwd, unlock, signout };
    }

    private static string ParksText(User u) => u.SeesAllParks ? "*" : string.Join(",", u.Parks);

    /// <summary>The password from standard input: the first line of piped input, or typed twice without echo on a terminal.</summary>
    private static string ReadPassword()
    {
        if (Console.IsInputRedirected)
        {
            var line = Console.In.ReadLine();
            if (string.IsNullOrEmpty(line)) throw new ValidationException("password", "no password on standard input (e.g. printf '%s\\n' \"$PW\" | zeropark users add …)");
            return line;
        }
        var first = Prompt("password: ");
        var second = Prompt("repeat password: ");
        if (!string.Equals(first, second, StringComparison.Ordinal)) throw new ValidationException("password", "the two passwords differ");
        return first;
    }

    private static string Prompt(string label)
    {
        Console.Error.Write(label);
        var sb = new StringBuilder();
        while (true)
        {
            var k = Console.ReadKey(intercept: true);
            if (k.Key == ConsoleKey.Enter) break;
            if (k.Key == ConsoleKey.Backspace) { if (sb.Length > 0) sb.Length--; continue; }
            if (!char.IsControl(k.KeyChar)) sb.Append(k.KeyChar);
        }
        Console.Error.WriteLine();
        return sb.ToString();
    }
}
