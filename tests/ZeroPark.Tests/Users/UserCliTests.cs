using System.Text.Json;
using ZeroPark.Application;
using ZeroPark.Tests.Cli;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.Users;

/// <summary><c>zeropark users add|list|passwd|unlock</c> run as a real process, the password on standard input.</summary>
public abstract class UserCliContract
{
    protected abstract string NewDatabase();

    private async Task<string> InitAsync()
    {
        var db = NewDatabase();
        foreach (var park in new[] { "pa", "pb" })
        {
            var r = await CliRunner.RunAsync("init", "--db", db, "--park", park, "--name", "园区 " + park);
            Assert.True(r.ExitCode == 0, r.Err);
        }
        return db;
    }

    [Fact]
    public async Task Users_add_reads_the_password_from_standard_input_and_users_list_shows_roles_and_parks()
    {
        var db = await InitAsync();
        var r = await CliRunner.RunWithInputAsync("s3cret-enough-pw\n", "users", "add", "--db", db, "--user", "zhang", "--role", "viewer", "--park", "pa", "--park", "pb", "--by", "ops");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("created user 'zhang' (viewer; parks: pa,pb)", r.Out);
        r = await CliRunner.RunWithInputAsync("another-long-pw\n", "users", "add", "--db", db, "--user", "root", "--role", "administrator");
        Assert.True(r.ExitCode == 0, r.Err);

        r = await CliRunner.RunAsync("users", "list", "--db", db, "--format", "json");
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        var rows = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(["root", "zhang"], rows.Select(x => x.GetProperty("user").GetString()));
        Assert.Equal(("administrator", "*"), (rows[0].GetProperty("role").GetString(), rows[0].GetProperty("parks").GetString()));
        Assert.Equal(("viewer", "pa,pb"), (rows[1].GetProperty("role").GetString(), rows[1].GetProperty("parks").GetString()));
        Assert.DoesNotContain("s3cret", r.Out);

        // The password really is the one from standard input, and the creation is audited with --by.
        await using var store = await ZeroParkStore.OpenAsync(db);
        Assert.Equal(SignInStatus.Success, (await store.Users.SignInAsync("zhang", "s3cret-enough-pw")).Status);
        Assert.Contains(await store.Audit.AuditLogAsync(null), a => a.Entity == "user" && a.EntityKey == "zhang" && a.User == "ops" && a.Action == "create");
    }

    [Fact]
    public async Task Users_add_refuses_a_missing_or_short_password_an_unknown_role_and_has_no_password_option()
    {
        var db = await InitAsync();
        var r = await CliRunner.RunWithInputAsync("", "users", "add", "--db", db, "--user", "a", "--role", "viewer");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("error: password: no password on standard input", r.Err);
        r = await CliRunner.RunWithInputAsync("short\n", "users", "add", "--db", db, "--user", "a", "--role", "viewer");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("at least 10 characters", r.Err);
        r = await CliRunner.RunWithInputAsync("long enough password\n", "users", "add", "--db", db, "--user", "a", "--role", "superuser");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("'superuser' is not a role", r.Err);
        r = await CliRunner.RunWithInputAsync("long enough password\n", "users", "add", "--db", db, "--user", "a", "--role", "viewer", "--park", "nope");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("park 'nope' not found", r.Err);
        r = await CliRunner.RunWithInputAsync("", "users", "add", "--db", db, "--user", "a", "--role", "viewer", "--password", "long enough password");
        Assert.NotEqual(0, r.ExitCode);                                 // no such option: a password never goes on the command line
        r = await CliRunner.RunAsync("users", "list", "--db", db, "--format", "json");
        Assert.Equal("[]", r.Out.Trim());
    }

    [Fact]
    public async Task Users_passwd_sets_a_new_password_and_unlock_ends_a_lockout()
    {
        var db = await InitAsync();
        var r = await CliRunner.RunWithInputAsync("first password 1\n", "users", "add", "--db", db, "--user", "op", "--role", "data_entry", "--park", "pa");
        Assert.True(r.ExitCode == 0, r.Err);
        await using (var store = await ZeroParkStore.OpenAsync(db))
        {
            for (var i = 0; i < UserStore.MaxFailedSignIns; i++) await store.Users.SignInAsync("op", "wrong");
            Assert.Equal(SignInStatus.LockedOut, (await store.Users.SignInAsync("op", "first password 1")).Status);
        }
        r = await CliRunner.RunAsync("users", "unlock", "--db", db, "--user", "op");
        Assert.True(r.ExitCode == 0, r.Err);
        r = await CliRunner.RunWithInputAsync("second password 2\n", "users", "passwd", "--db", db, "--user", "op");
        Assert.True(r.ExitCode == 0, r.Err);
        await using (var store = await ZeroParkStore.OpenAsync(db))
        {
            Assert.Equal(SignInStatus.Invalid, (await store.Users.SignInAsync("op", "first password 1")).Status);
            Assert.Equal(SignInStatus.Success, (await store.Users.SignInAsync("op", "second password 2")).Status);
        }
    }

    [Fact]
    public async Task Users_signout_ends_every_session_and_users_add_refuses_a_common_password()
    {
        var db = await InitAsync();
        var r = await CliRunner.RunWithInputAsync("1234567890\n", "users", "add", "--db", db, "--user", "op", "--role", "viewer");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("common leaked passwords", r.Err);
        r = await CliRunner.RunWithInputAsync("first password 1\n", "users", "add", "--db", db, "--user", "op", "--role", "viewer");
        Assert.True(r.ExitCode == 0, r.Err);
        string stamp;
        await using (var store = await ZeroParkStore.OpenAsync(db)) stamp = (await store.Users.GetUserAsync("op"))!.SecurityStamp;
        r = await CliRunner.RunAsync("users", "signout", "--db", db, "--user", "op", "--by", "ops");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("ended every session of 'op'", r.Out);
        await using (var store = await ZeroParkStore.OpenAsync(db))
        {
            Assert.NotEqual(stamp, (await store.Users.GetUserAsync("op"))!.SecurityStamp);   // every cookie carries the old stamp: all rejected
            Assert.Contains(await store.Audit.AuditLogAsync(null), a => a.Action == "signout" && a.EntityKey == "op" && a.User == "ops");
        }
    }
}

public sealed class SqliteUserCliTests : UserCliContract
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

public sealed class PostgresUserCliTests : UserCliContract
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL CLI tests need ZEROPARK_TEST_PG; run ./scripts/test.sh (it starts a server on 127.0.0.1)")
        : TestDatabases.NewPostgresDatabase();
}
