using System.Data.Common;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Dapper;

namespace ZeroPark.Application.Users;

/// <summary>Users, roles, park grants, sign-in with lockout (issue 5). Every change is written to the audit log (entity
/// <c>user</c>, no park) in the same transaction.</summary>
public sealed class UserStore(ZeroParkStore db)
{
    /// <summary>Consecutive failed sign-ins that lock an account.</summary>
    public const int MaxFailedSignIns = 5;

    /// <summary>How long a locked account stays locked.</summary>
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    /// <summary>The name of the administrator created on first run (<see cref="EnsureFirstAdministratorAsync"/>).</summary>
    public const string FirstAdministratorName = "admin";

    private static readonly Regex UserNamePattern = new("^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$", RegexOptions.CultureInvariant);

    // A hash of a random password: verified against when the user does not exist, so both cases take the same time.
    private static readonly Lazy<string> DummyHash = new(() => PasswordHashing.Hash(PasswordHashing.NewSecret()));

#pragma warning disable CS0649, IDE1006 // Dapper row
    private sealed class UserRow
    {
        public long id; public string name = ""; public string password_hash = ""; public string role = ""; public long must_change_password;
        public long disabled; public long failed_count; public long? locked_until; public string security_stamp = ""; public long created_at; public long? last_sign_in;
    }

    private sealed class LockRow
    {
        public long failed_count; public long? locked_until;
    }
#pragma warning restore CS0649, IDE1006

    private const string UserColumns = "id, name, password_hash, role, must_change_password, disabled, failed_count, locked_until, security_stamp, created_at, last_sign_in";

    private static User ToUser(UserRow r, IReadOnlyList<string> parks) => new(r.id, r.name, UserRoles.Parse(r.role), parks, r.must_change_password != 0,
        r.disabled != 0, (int)r.failed_count, r.locked_until is { } l ? DateTimeOffset.FromUnixTimeSeconds(l) : null, r.security_stamp,
        DateTimeOffset.FromUnixTimeSeconds(r.created_at), r.last_sign_in is { } s ? DateTimeOffset.FromUnixTimeSeconds(s) : null);

    private static string NewStamp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public async Task<int> CountUsersAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM users");
    }

    /// <summary>Creates a user. <paramref name="parks"/> are park codes granted to the user (ignored for administrators, who see every park).</summary>
    public async Task<User> CreateUserAsync(string name, string password, UserRole role, IReadOnlyCollection<string> parks, string actor,
        bool mustChangePassword = false, CancellationToken ct = default)
    {
        ValidateUserName(name);
        PasswordHashing.Validate(password, userName: name);
        var hash = PasswordHashing.Hash(password);
        await using var c = await db.OpenConnectionAsync(ct);
        if (await c.ExecuteScalarAsync<long?>("SELECT id FROM users WHERE name = @name", new { name }) is not null)
            throw new ConflictException($"user '{name}' already exists");
        var parkIds = await ResolveParksAsync(c, parks);
        await using var tx = await c.BeginTransactionAsync(ct);
        var id = await c.ExecuteScalarAsync<long>(
            """
            INSERT INTO users (name, password_hash, role, must_change_password, disabled, failed_count, security_stamp, created_at)
            VALUES (@name, @hash, @role, @must, 0, 0, @stamp, @at) RETURNING id
            """, new { name, hash, role = UserRoles.Code(role), must = mustChangePassword ? 1 : 0, stamp = NewStamp(), at = db.Clock.GetUtcNow().ToUnixTimeSeconds() }, tx);
        foreach (var p in parkIds.Values)
            await c.ExecuteAsync("INSERT INTO user_parks (user_id, park_id) VALUES (@id, @p)", new { id, p }, tx);
        await db.AuditAsync(c, tx, null, actor, "create", "user", name, null, null, Describe(role, parkIds.Keys));
        await tx.CommitAsync(ct);
        return (await GetUserAsync(name, ct))!;
    }

    /// <summary>Creates the administrator <see cref="FirstAdministratorName"/> with a random one-time password when the store has no
    /// user at all, and returns that password (to be printed once); null when users exist. The password must be changed at the
    /// first sign-in.</summary>
    public async Task<string?> EnsureFirstAdministratorAsync(CancellationToken ct = default)
    {
        if (await CountUsersAsync(ct) > 0) return null;
        var secret = PasswordHashing.NewSecret();
        try
        {
            await CreateUserAsync(FirstAdministratorName, secret, UserRole.Administrator, [], "system", mustChangePassword: true, ct);
            return secret;
        }
        catch (ConflictException)
        {
            return null;   // another process created it first
        }
        catch (DbException)
        {
            if (await CountUsersAsync(ct) > 0) return null;   // lost the race on the unique name
            throw;
        }
    }

    public async Task<User?> GetUserAsync(string name, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<UserRow>($"SELECT {UserColumns} FROM users WHERE name = @name", new { name });
        if (row is null) return null;
        var parks = (await c.QueryAsync<string>("SELECT p.code FROM user_parks up JOIN parks p ON p.id = up.park_id WHERE up.user_id = @id ORDER BY p.code", new { row.id })).ToList();
        return ToUser(row, parks);
    }

    public async Task<IReadOnlyList<User>> ListUsersAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<UserRow>($"SELECT {UserColumns} FROM users ORDER BY name");
        var grants = (await c.QueryAsync<(long user_id, string code)>("SELECT up.user_id, p.code FROM user_parks up JOIN parks p ON p.id = up.park_id ORDER BY p.code"))
            .ToLookup(g => g.user_id, g => g.code);
        return rows.Select(r => ToUser(r, grants[r.id].ToList())).ToList();
    }

    /// <summary>Changes a user's role, park grants and whether it is disabled. Ends the user's sessions.</summary>
    public async Task<User> UpdateUserAsync(string name, UserRole role, IReadOnlyCollection<string> parks, bool disabled, string actor, CancellationToken ct = default)
    {
        var old = await GetUserAsync(name, ct) ?? throw new NotFoundException($"user '{name}' not found");
        await using var c = await db.OpenConnectionAsync(ct);
        var parkIds = await ResolveParksAsync(c, parks);
        if (old.Role == UserRole.Administrator && (role != UserRole.Administrator || disabled))
            await EnsureAnotherAdministratorAsync(c, old.Id);
        await using var tx = await c.BeginTransactionAsync(ct);
        await c.ExecuteAsync("UPDATE users SET role = @role, disabled = @disabled, security_stamp = @stamp WHERE id = @id",
            new { role = UserRoles.Code(role), disabled = disabled ? 1 : 0, stamp = NewStamp(), id = old.Id }, tx);
        await c.ExecuteAsync("DELETE FROM user_parks WHERE user_id = @id", new { id = old.Id }, tx);
        foreach (var p in parkIds.Values)
            await c.ExecuteAsync("INSERT INTO user_parks (user_id, park_id) VALUES (@id, @p)", new { id = old.Id, p }, tx);
        await db.AuditAsync(c, tx, null, actor, "update", "user", name, null, Describe(old.Role, old.Parks) + (old.Disabled ? " disabled" : ""),
            Describe(role, parkIds.Keys) + (disabled ? " disabled" : ""));
        await tx.CommitAsync(ct);
        return (await GetUserAsync(name, ct))!;
    }

    /// <summary>Sets a user's password (an administrator's reset, or the user's own change after <see cref="VerifyPasswordAsync"/>),
    /// clears the lockout and ends the user's other sessions.</summary>
    public async Task SetPasswordAsync(string name, string password, string actor, bool mustChangePassword = false, CancellationToken ct = default)
    {
        PasswordHashing.Validate(password, userName: name);
        var hash = PasswordHashing.Hash(password);
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var n = await c.ExecuteAsync(
            "UPDATE users SET password_hash = @hash, must_change_password = @must, failed_count = 0, locked_until = NULL, security_stamp = @stamp WHERE name = @name",
            new { hash, must = mustChangePassword ? 1 : 0, stamp = NewStamp(), name }, tx);
        if (n == 0) throw new NotFoundException($"user '{name}' not found");
        await db.AuditAsync(c, tx, null, actor, "password", "user", name, actor == name ? "changed by the user" : "set by an administrator", null, null);
        await tx.CommitAsync(ct);
    }

    /// <summary>True when <paramref name="password"/> is the user's password (no lockout bookkeeping: for re-authentication of a
    /// signed-in user).</summary>
    public async Task<bool> VerifyPasswordAsync(string name, string password, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var hash = await c.ExecuteScalarAsync<string?>("SELECT password_hash FROM users WHERE name = @name", new { name });
        return PasswordHashing.Verify(password, hash ?? DummyHash.Value) && hash is not null;
    }

    /// <summary>Ends a lockout before its time.</summary>
    public async Task UnlockUserAsync(string name, string actor, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var n = await c.ExecuteAsync("UPDATE users SET failed_count = 0, locked_until = NULL WHERE name = @name", new { name }, tx);
        if (n == 0) throw new NotFoundException($"user '{name}' not found");
        await db.AuditAsync(c, tx, null, actor, "unlock", "user", name, null, null, null);
        await tx.CommitAsync(ct);
    }

    /// <summary>Ends every session of the user (sign-out, or an administrator's <c>zeropark users signout</c>): a new security stamp
    /// makes every session cookie issued before it invalid at its next request, copies included.</summary>
    public async Task EndSessionsAsync(string name, string? actor = null, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var n = await c.ExecuteAsync("UPDATE users SET security_stamp = @stamp WHERE name = @name", new { stamp = NewStamp(), name }, tx);
        if (n == 0) throw new NotFoundException($"user '{name}' not found");
        if (actor is not null) await db.AuditAsync(c, tx, null, actor, "signout", "user", name, null, null, "all sessions ended");
        await tx.CommitAsync(ct);
    }

    // One sign-in check at a time per user in this process: a burst of parallel guesses is checked one after the other, so the
    // lock falls after exactly MaxFailedSignIns wrong passwords. Across processes the conditional UPDATEs below keep it atomic.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, SemaphoreSlim> _signInGates = new();

    /// <summary>Checks a sign-in. A wrong password counts a failure; the <see cref="MaxFailedSignIns"/>th in a row locks the account
    /// for <see cref="LockoutDuration"/> (audited). While locked, even the right password is refused. Success resets the count and
    /// replaces a hash of an older scheme or cost (<see cref="PasswordHashing.NeedsRehash"/>).
    /// Atomic: checks of one user are serialised in the process, the failure count and the lock are one conditional UPDATE, and a
    /// success is recorded only if no lock was set meanwhile (by another process), so no guess after the lock gets in.</summary>
    public async Task<SignInResult> SignInAsync(string name, string password, CancellationToken ct = default)
    {
        long id;
        await using (var c0 = await db.OpenConnectionAsync(ct))
        {
            var found = await c0.ExecuteScalarAsync<long?>("SELECT id FROM users WHERE name = @name", new { name });
            if (found is null)
            {
                PasswordHashing.Verify(password, DummyHash.Value);
                return new SignInResult(SignInStatus.Invalid, null, null);
            }
            id = found.Value;
        }
        var gate = _signInGates.GetOrAdd(id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            await using var c = await db.OpenConnectionAsync(ct);
            var row = await c.QuerySingleOrDefaultAsync<UserRow>($"SELECT {UserColumns} FROM users WHERE id = @id", new { id });
            if (row is null) return new SignInResult(SignInStatus.Invalid, null, null);
            var now = db.Clock.GetUtcNow();
            var nowSeconds = now.ToUnixTimeSeconds();
            if (row.locked_until is { } until && until > nowSeconds)
                return new SignInResult(SignInStatus.LockedOut, null, DateTimeOffset.FromUnixTimeSeconds(until));
            var ok = PasswordHashing.Verify(password, row.password_hash);
            await using var tx = await c.BeginTransactionAsync(ct);
            if (ok)
            {
                var n = await c.ExecuteAsync("UPDATE users SET failed_count = 0, locked_until = NULL, last_sign_in = @at WHERE id = @id AND (locked_until IS NULL OR locked_until <= @at)",
                    new { at = nowSeconds, id }, tx);
                if (n == 0)
                {
                    var lockedUntil = await c.ExecuteScalarAsync<long?>("SELECT locked_until FROM users WHERE id = @id", new { id }, tx);
                    await tx.CommitAsync(ct);
                    return new SignInResult(SignInStatus.LockedOut, null, lockedUntil is { } lu ? DateTimeOffset.FromUnixTimeSeconds(lu) : now + LockoutDuration);
                }
                if (PasswordHashing.NeedsRehash(row.password_hash))
                    await c.ExecuteAsync("UPDATE users SET password_hash = @hash WHERE id = @id AND password_hash = @old",
                        new { hash = PasswordHashing.Hash(password), id, old = row.password_hash }, tx);
                await tx.CommitAsync(ct);
                if (row.disabled != 0) return new SignInResult(SignInStatus.Disabled, null, null);
                return new SignInResult(SignInStatus.Success, await GetUserAsync(name, ct), null);
            }
            var lockAt = (now + LockoutDuration).ToUnixTimeSeconds();
            var after = await c.QuerySingleOrDefaultAsync<LockRow>(
                """
                UPDATE users SET failed_count = CASE WHEN failed_count + 1 >= @max THEN 0 ELSE failed_count + 1 END,
                                 locked_until = CASE WHEN failed_count + 1 >= @max THEN @lockAt ELSE NULL END
                WHERE id = @id AND (locked_until IS NULL OR locked_until <= @now)
                RETURNING failed_count, locked_until
                """, new { max = MaxFailedSignIns, lockAt, id, now = nowSeconds }, tx);
            DateTimeOffset? locked = null;
            if (after is null)
            {
                // locked meanwhile by another process
                var lu = await c.ExecuteScalarAsync<long?>("SELECT locked_until FROM users WHERE id = @id", new { id }, tx);
                locked = lu is { } v ? DateTimeOffset.FromUnixTimeSeconds(v) : now + LockoutDuration;
            }
            else if (after.locked_until is { } l)
            {
                locked = DateTimeOffset.FromUnixTimeSeconds(l);
                await db.AuditAsync(c, tx, null, "system", "lock", "user", name, $"{MaxFailedSignIns} failed sign-ins", null, $"locked until {locked.Value:yyyy-MM-dd HH:mm:ss} UTC");
            }
            await tx.CommitAsync(ct);
            return locked is { } x ? new SignInResult(SignInStatus.LockedOut, null, x) : new SignInResult(SignInStatus.Invalid, null, null);
        }
        finally
        {
            gate.Release();
        }
    }

    private static void ValidateUserName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || !UserNamePattern.IsMatch(name))
            throw new ValidationException("user", $"'{name}' is not a user name (1–64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit)");
    }

    private static async Task<SortedDictionary<string, long>> ResolveParksAsync(DbConnection c, IEnumerable<string> parks)
    {
        var result = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var code in parks.Select(p => p.Trim()).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal))
        {
            var id = await c.ExecuteScalarAsync<long?>("SELECT id FROM parks WHERE code = @code", new { code })
                ?? throw new ValidationException("park", $"park '{code}' not found");
            result[code] = id;
        }
        return result;
    }

    private static async Task EnsureAnotherAdministratorAsync(DbConnection c, long userId)
    {
        var others = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users WHERE role = 'administrator' AND disabled = 0 AND id <> @userId", new { userId });
        if (others == 0) throw new ConflictException("the last active administrator cannot lose the role or be disabled");
    }

    private static string Describe(UserRole role, IEnumerable<string> parks) =>
        $"role={UserRoles.Code(role)} parks={(UserRoles.SeesAllParks(role) ? "*" : string.Join(",", parks))}";
}
