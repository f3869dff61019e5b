using ZeroPark.Application;
using ZeroPark.Tests.Api;
using ZeroPark.Tests.Infrastructure;

namespace ZeroPark.Tests.Users;

/// <summary>Users, roles, grants and lockout on SQLite and on a real PostgreSQL (see the two subclasses).</summary>
public abstract class UserStoreSuite : IAsyncLifetime
{
    private const string Pw = "correct horse battery";
    protected ZeroParkStore Store { get; private set; } = null!;
    protected TestClock Clock { get; } = new();
    protected abstract string NewDatabase();

    public async Task InitializeAsync()
    {
        Store = await ZeroParkStore.OpenAsync(NewDatabase(), Clock);
        await Store.Registry.CreateParkAsync(new ParkDraft("pa", "Park A"));
        await Store.Registry.CreateParkAsync(new ParkDraft("pb", "Park B"));
    }

    public async Task DisposeAsync() => await Store.DisposeAsync();

    [Fact]
    public async Task Migration_005_is_applied()
    {
        Assert.True(await Store.SchemaVersionAsync() >= 5);                 // 005_users (later migrations may follow)
        Assert.Equal(0, await Store.Users.CountUsersAsync());
    }

    [Fact]
    public async Task A_user_is_stored_with_a_salted_slow_hash_role_and_grants_and_the_creation_is_audited()
    {
        var u = await Store.Users.CreateUserAsync("li.wei", Pw, UserRole.Viewer, ["pa"], "root");
        Assert.Equal(("li.wei", UserRole.Viewer), (u.Name, u.Role));
        Assert.Equal(["pa"], u.Parks);
        Assert.True(u.CanSee("pa"));
        Assert.False(u.CanSee("pb"));
        await Store.Users.CreateUserAsync("wang", Pw, UserRole.Viewer, ["pa"], "root");

        await using (var c = await Store.OpenConnectionAsync())
        {
            var hashes = new List<string>();
            foreach (var name in new[] { "li.wei", "wang" })
            {
                await using var cmd = c.CreateCommand();
                cmd.CommandText = $"SELECT password_hash FROM users WHERE name = '{name}'";
                hashes.Add((string)(await cmd.ExecuteScalarAsync())!);
            }
            var c0 = PasswordHashing.Cost;
            Assert.All(hashes, h => Assert.StartsWith($"$argon2id$v=19$m={c0.MemoryKiB},t={c0.Iterations},p={c0.Parallelism}$", h));
            Assert.All(hashes, h => Assert.DoesNotContain(Pw, h));
            Assert.NotEqual(hashes[0], hashes[1]);                     // same password, different salt
        }
        // The default (outside tests) is 64 MiB, 3 passes: 64 × 1024 KiB = 65,536 KiB.
        Assert.Equal(new Argon2Cost(65_536, 3, 1), Argon2Cost.Default);

        var entry = Assert.Single(await Store.Audit.AuditLogAsync(null), a => a.Entity == "user" && a.EntityKey == "li.wei");
        Assert.Equal(("create", "root", "role=viewer parks=pa"), (entry.Action, entry.User, entry.NewValue));
    }

    [Fact]
    public async Task Bad_names_roles_passwords_parks_and_duplicates_are_refused()
    {
        Assert.Equal("user", (await Assert.ThrowsAsync<ValidationException>(() => Store.Users.CreateUserAsync("has space", Pw, UserRole.Viewer, [], "root"))).Field);
        Assert.Equal("password", (await Assert.ThrowsAsync<ValidationException>(() => Store.Users.CreateUserAsync("short", "12345", UserRole.Viewer, [], "root"))).Field);
        Assert.Equal("park", (await Assert.ThrowsAsync<ValidationException>(() => Store.Users.CreateUserAsync("ghost", Pw, UserRole.Viewer, ["nope"], "root"))).Field);
        Assert.Throws<ValidationException>(() => UserRoles.Parse("superuser"));
        Assert.Equal(UserRole.EnergyManager, UserRoles.Parse("energy_manager"));
        await Store.Users.CreateUserAsync("dup", Pw, UserRole.Viewer, [], "root");
        await Assert.ThrowsAsync<ConflictException>(() => Store.Users.CreateUserAsync("dup", Pw, UserRole.Auditor, [], "root"));
        Assert.Equal(1, await Store.Users.CountUsersAsync());
    }

    [Fact]
    public async Task An_administrator_sees_every_park_without_grants()
    {
        var admin = await Store.Users.CreateUserAsync("boss", Pw, UserRole.Administrator, [], "root");
        Assert.True(admin.CanSee("pa") && admin.CanSee("pb"));
        var auditor = await Store.Users.CreateUserAsync("aud", Pw, UserRole.Auditor, ["pb"], "root");
        Assert.False(auditor.CanSee("pa"));
        Assert.False(UserRoles.Writes(UserRole.Auditor));
        Assert.True(UserRoles.ReadsAudit(UserRole.Auditor));
    }

    [Fact]
    public async Task Sign_in_checks_the_password_and_does_not_tell_unknown_users_apart()
    {
        await Store.Users.CreateUserAsync("op", Pw, UserRole.DataEntry, ["pa"], "root");
        var ok = await Store.Users.SignInAsync("op", Pw);
        Assert.Equal(SignInStatus.Success, ok.Status);
        Assert.Equal(Clock.Now, ok.User!.LastSignIn);
        Assert.Equal(SignInStatus.Invalid, (await Store.Users.SignInAsync("op", Pw + "x")).Status);
        Assert.Equal(SignInStatus.Invalid, (await Store.Users.SignInAsync("nobody", Pw)).Status);
    }

    [Fact]
    public async Task Five_failures_lock_the_account_for_15_minutes_even_for_the_right_password_and_the_lock_is_audited()
    {
        await Store.Users.CreateUserAsync("op", Pw, UserRole.Viewer, ["pa"], "root");
        for (var i = 1; i <= 4; i++)
            Assert.Equal(SignInStatus.Invalid, (await Store.Users.SignInAsync("op", "wrong password " + i)).Status);
        Assert.Equal(4, (await Store.Users.GetUserAsync("op"))!.FailedSignIns);
        var fifth = await Store.Users.SignInAsync("op", "wrong password 5");
        Assert.Equal(SignInStatus.LockedOut, fifth.Status);
        Assert.Equal(Clock.Now + TimeSpan.FromMinutes(15), fifth.LockedUntil);
        Assert.Equal(SignInStatus.LockedOut, (await Store.Users.SignInAsync("op", Pw)).Status);   // locked: the right password does not help
        Assert.Single(await Store.Audit.AuditLogAsync(null), a => a.Action == "lock" && a.EntityKey == "op");

        Clock.Now += TimeSpan.FromMinutes(14);
        Assert.Equal(SignInStatus.LockedOut, (await Store.Users.SignInAsync("op", Pw)).Status);
        Clock.Now += TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1);
        Assert.Equal(SignInStatus.Success, (await Store.Users.SignInAsync("op", Pw)).Status);
        Assert.Equal(0, (await Store.Users.GetUserAsync("op"))!.FailedSignIns);
    }

    [Fact]
    public async Task A_success_resets_the_count_of_failures()
    {
        await Store.Users.CreateUserAsync("op", Pw, UserRole.Viewer, [], "root");
        for (var i = 0; i < 4; i++) await Store.Users.SignInAsync("op", "wrong password");
        Assert.Equal(SignInStatus.Success, (await Store.Users.SignInAsync("op", Pw)).Status);
        for (var i = 0; i < 4; i++) Assert.Equal(SignInStatus.Invalid, (await Store.Users.SignInAsync("op", "wrong password")).Status);
    }

    [Fact]
    public async Task An_administrator_unlocks_updates_and_resets_and_each_change_is_audited_and_renews_the_stamp()
    {
        await Store.Users.CreateUserAsync("root", Pw, UserRole.Administrator, [], "cli");
        var u = await Store.Users.CreateUserAsync("op", Pw, UserRole.Viewer, ["pa"], "root");
        for (var i = 0; i < 5; i++) await Store.Users.SignInAsync("op", "wrong password");
        await Store.Users.UnlockUserAsync("op", "root");
        Assert.Equal(SignInStatus.Success, (await Store.Users.SignInAsync("op", Pw)).Status);

        var changed = await Store.Users.UpdateUserAsync("op", UserRole.EnergyManager, ["pa", "pb"], disabled: false, "root");
        Assert.Equal(UserRole.EnergyManager, changed.Role);
        Assert.Equal(["pa", "pb"], changed.Parks);
        Assert.NotEqual(u.SecurityStamp, changed.SecurityStamp);

        await Store.Users.SetPasswordAsync("op", "a brand new secret", "root", mustChangePassword: true);
        Assert.Equal(SignInStatus.Invalid, (await Store.Users.SignInAsync("op", Pw)).Status);
        var after = await Store.Users.SignInAsync("op", "a brand new secret");
        Assert.True(after.User!.MustChangePassword);
        Assert.True(await Store.Users.VerifyPasswordAsync("op", "a brand new secret"));

        await Store.Users.UpdateUserAsync("op", UserRole.EnergyManager, ["pa", "pb"], disabled: true, "root");
        Assert.Equal(SignInStatus.Disabled, (await Store.Users.SignInAsync("op", "a brand new secret")).Status);

        var log = (await Store.Audit.AuditLogAsync(null)).Where(a => a.Entity == "user" && a.EntityKey == "op").Select(a => a.Action).Reverse().ToList();
        Assert.Equal(["create", "lock", "unlock", "update", "password", "update"], log);
        var update = (await Store.Audit.AuditLogAsync(null)).First(a => a.Action == "update" && a.EntityKey == "op" && a.NewValue!.EndsWith("disabled", StringComparison.Ordinal));
        Assert.Equal("role=energy_manager parks=pa,pb", update.OldValue);
    }

    [Fact]
    public async Task The_last_administrator_cannot_be_demoted_or_disabled()
    {
        await Store.Users.CreateUserAsync("root", Pw, UserRole.Administrator, [], "cli");
        await Assert.ThrowsAsync<ConflictException>(() => Store.Users.UpdateUserAsync("root", UserRole.Viewer, [], false, "root"));
        await Assert.ThrowsAsync<ConflictException>(() => Store.Users.UpdateUserAsync("root", UserRole.Administrator, [], true, "root"));
        await Store.Users.CreateUserAsync("root2", Pw, UserRole.Administrator, [], "cli");
        await Store.Users.UpdateUserAsync("root", UserRole.Viewer, ["pa"], false, "root2");
    }

    [Fact]
    public async Task The_first_administrator_is_created_once_with_a_one_time_secret_to_change()
    {
        var secret = await Store.Users.EnsureFirstAdministratorAsync();
        Assert.NotNull(secret);
        Assert.True(secret!.Length >= 20);
        Assert.Null(await Store.Users.EnsureFirstAdministratorAsync());
        var signIn = await Store.Users.SignInAsync(UserStore.FirstAdministratorName, secret);
        Assert.Equal(SignInStatus.Success, signIn.Status);
        Assert.Equal(UserRole.Administrator, signIn.User!.Role);
        Assert.True(signIn.User.MustChangePassword);
    }
}

public sealed class SqliteUserStoreTests : UserStoreSuite
{
    protected override string NewDatabase() => TestDatabases.NewSqlitePath();
}

public sealed class PostgresUserStoreTests : UserStoreSuite
{
    protected override string NewDatabase() => TestDatabases.PostgresConnectionString is null
        ? throw new InvalidOperationException("PostgreSQL user tests need ZEROPARK_TEST_PG; run ./scripts/test.sh (it starts a server on 127.0.0.1)")
        : TestDatabases.NewPostgresDatabase();
}
