using System.Security.Cryptography;

namespace ZeroPark.Application.Users;

/// <summary>What a user may do. Access is per park: an <see cref="Administrator"/> sees every park, every other role only the
/// parks granted to it.</summary>
public enum UserRole
{
    /// <summary>Manages users and grants; sees and changes every park.</summary>
    Administrator,
    /// <summary>Energy data, registry and tariffs of the granted parks.</summary>
    EnergyManager,
    /// <summary>Carbon accounting of the granted parks (module to come).</summary>
    CarbonAccountant,
    /// <summary>Reads everything of the granted parks, including the audit log; changes nothing.</summary>
    Auditor,
    /// <summary>Reads the dashboards of the granted parks.</summary>
    Viewer,
    /// <summary>Enters and imports readings for the granted parks.</summary>
    DataEntry,
}

public static class UserRoles
{
    public static readonly IReadOnlyList<UserRole> All = Enum.GetValues<UserRole>();

    public static string Code(UserRole r) => r switch
    {
        UserRole.Administrator => "administrator",
        UserRole.EnergyManager => "energy_manager",
        UserRole.CarbonAccountant => "carbon_accountant",
        UserRole.Auditor => "auditor",
        UserRole.Viewer => "viewer",
        UserRole.DataEntry => "data_entry",
        _ => throw new ArgumentOutOfRangeException(nameof(r)),
    };

    public static UserRole Parse(string? code, string field = "role")
    {
        foreach (var r in All)
            if (string.Equals(Code(r), code?.Trim(), StringComparison.OrdinalIgnoreCase)) return r;
        throw new ValidationException(field, $"'{code}' is not a role ({string.Join(", ", All.Select(Code))})");
    }

    /// <summary>Every park, without grants.</summary>
    public static bool SeesAllParks(UserRole r) => r == UserRole.Administrator;

    /// <summary>May read the audit log of the parks it sees.</summary>
    public static bool ReadsAudit(UserRole r) => r is UserRole.Administrator or UserRole.Auditor or UserRole.EnergyManager or UserRole.CarbonAccountant;

    /// <summary>May change data of the parks it sees (the auditor and the viewer change nothing).</summary>
    public static bool Writes(UserRole r) => r is not (UserRole.Auditor or UserRole.Viewer);
}

/// <summary>A user as stored; never carries the password hash out of the store.</summary>
public sealed record User(long Id, string Name, UserRole Role, IReadOnlyList<string> Parks, bool MustChangePassword, bool Disabled,
    int FailedSignIns, DateTimeOffset? LockedUntil, string SecurityStamp, DateTimeOffset CreatedAt, DateTimeOffset? LastSignIn)
{
    public bool SeesAllParks => UserRoles.SeesAllParks(Role);

    public bool CanSee(string parkCode) => SeesAllParks || Parks.Contains(parkCode, StringComparer.Ordinal);
}

public enum SignInStatus
{
    Success,
    /// <summary>Unknown user or wrong password: the two are not told apart.</summary>
    Invalid,
    /// <summary>Too many failed sign-ins; see <see cref="SignInResult.LockedUntil"/>.</summary>
    LockedOut,
    Disabled,
}

public sealed record SignInResult(SignInStatus Status, User? User, DateTimeOffset? LockedUntil);

/// <summary>The cost of an Argon2id hash: memory in KiB, passes over it, lanes. Stored with each hash, so a change applies to new
/// hashes and rehashes old ones at their next sign-in.</summary>
public sealed record Argon2Cost(int MemoryKiB, int Iterations, int Parallelism)
{
    /// <summary>64 MiB, 3 passes, 1 lane (OWASP's second Argon2id option is 19 MiB × 2; this is stronger): about 0.2–0.4 s of one
    /// core per hash here.</summary>
    public static readonly Argon2Cost Default = new(64 * 1024, 3, 1);

    public void Validate()
    {
        if (MemoryKiB < 8 * Parallelism || MemoryKiB > 4 * 1024 * 1024) throw new ArgumentOutOfRangeException(nameof(MemoryKiB), MemoryKiB, "Argon2 memory: 8 KiB per lane .. 4 GiB");
        if (Iterations is < 1 or > 100) throw new ArgumentOutOfRangeException(nameof(Iterations), Iterations, "Argon2 iterations: 1..100");
        if (Parallelism is < 1 or > 64) throw new ArgumentOutOfRangeException(nameof(Parallelism), Parallelism, "Argon2 parallelism: 1..64");
    }
}

/// <summary>Salted memory-hard password hashes: Argon2id (Konscious.Security.Cryptography.Argon2), 16-byte random salt, 32-byte hash,
/// stored as <c>$argon2id$v=19$m=KiB,t=passes,p=lanes$salt$hash</c> (Base64), compared in constant time. Hashes of earlier versions
/// (<c>pbkdf2-sha256$iterations$salt$hash</c>, PBKDF2-HMAC-SHA256) still verify, and <see cref="NeedsRehash"/> tells the sign-in to
/// replace them. At most one hash per core runs at a time, so a burst of sign-ins cannot take all memory.</summary>
public static class PasswordHashing
{
    public const int Pbkdf2Iterations = 210_000;
    public const int MinimumLength = 10;
    public const int MaximumLength = 512;
    private const string Pbkdf2Scheme = "pbkdf2-sha256";
    private const string Argon2Prefix = "$argon2id$v=19$";

    private static Argon2Cost _cost = Argon2Cost.Default;
    private static readonly SemaphoreSlim Gate = new(Environment.ProcessorCount, Environment.ProcessorCount);

    /// <summary>The cost of new hashes (configuration <c>ZeroPark:Passwords:Argon2:*</c> in the server; tests use a cheap one).</summary>
    public static Argon2Cost Cost
    {
        get => _cost;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            value.Validate();
            _cost = value;
        }
    }

    public static string Hash(string password)
    {
        var cost = _cost;
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Argon2(password, salt, cost, 32);
        return $"{Argon2Prefix}m={cost.MemoryKiB},t={cost.Iterations},p={cost.Parallelism}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>The PBKDF2 hash of earlier versions (kept to test the rehash).</summary>
    internal static string HashPbkdf2(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, Pbkdf2Iterations, HashAlgorithmName.SHA256, 32);
        return $"{Pbkdf2Scheme}${Pbkdf2Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    public static bool Verify(string password, string stored)
    {
        try
        {
            if (stored.StartsWith(Argon2Prefix, StringComparison.Ordinal))
            {
                if (ParseArgon2(stored) is not var (cost, salt, expected)) return false;
                return CryptographicOperations.FixedTimeEquals(Argon2(password, salt, cost, expected.Length), expected);
            }
            var parts = stored.Split('$');
            if (parts.Length != 4 || parts[0] != Pbkdf2Scheme || !int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
                return false;
            var pSalt = Convert.FromBase64String(parts[2]);
            var pExpected = Convert.FromBase64String(parts[3]);
            var actual = Rfc2898DeriveBytes.Pbkdf2(password, pSalt, iterations, HashAlgorithmName.SHA256, pExpected.Length);
            return CryptographicOperations.FixedTimeEquals(actual, pExpected);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>True when the stored hash is not an Argon2id hash of the current <see cref="Cost"/> (an older scheme or cost).</summary>
    public static bool NeedsRehash(string stored) =>
        !stored.StartsWith(Argon2Prefix, StringComparison.Ordinal) || ParseArgon2(stored) is not var (cost, _, _) || cost != _cost;

    private static (Argon2Cost Cost, byte[] Salt, byte[] Hash)? ParseArgon2(string stored)
    {
        var parts = stored[Argon2Prefix.Length..].Split('$');
        if (parts.Length != 3) return null;
        int m = 0, t = 0, p = 0;
        foreach (var kv in parts[0].Split(','))
        {
            var eq = kv.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0 || !int.TryParse(kv[(eq + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v)) return null;
            switch (kv[..eq]) { case "m": m = v; break; case "t": t = v; break; case "p": p = v; break; default: return null; }
        }
        var cost = new Argon2Cost(m, t, p);
        try { cost.Validate(); } catch (ArgumentOutOfRangeException) { return null; }
        return (cost, Convert.FromBase64String(parts[1]), Convert.FromBase64String(parts[2]));
    }

    private static byte[] Argon2(string password, byte[] salt, Argon2Cost cost, int length)
    {
        Gate.Wait();
        try
        {
            using var a = new Konscious.Security.Cryptography.Argon2id(System.Text.Encoding.UTF8.GetBytes(password))
            {
                Salt = salt, MemorySize = cost.MemoryKiB, Iterations = cost.Iterations, DegreeOfParallelism = cost.Parallelism,
            };
            return a.GetBytes(length);
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>A random password for the first administrator (printed once): 20 characters from an unambiguous alphabet.</summary>
    public static string NewSecret()
    {
        const string alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return RandomNumberGenerator.GetString(alphabet, 20);
    }

    /// <summary>The password rules: at least <see cref="MinimumLength"/> and at most <see cref="MaximumLength"/> characters, not only
    /// blanks, not the user name, not one of the common leaked passwords (<c>common-passwords.txt</c>), and not trivially sequential
    /// or repetitive (see <see cref="Trivial"/>).</summary>
    public static void Validate(string? password, string field = "password", string? userName = null)
    {
        if (string.IsNullOrWhiteSpace(password) || password.Length < MinimumLength)
            throw new ValidationException(field, $"a password needs at least {MinimumLength} characters");
        if (password.Length > MaximumLength) throw new ValidationException(field, $"a password has at most {MaximumLength} characters");
        if (userName is not null && password.Trim().Equals(userName, StringComparison.OrdinalIgnoreCase))
            throw new ValidationException(field, "the password must not be the user name");
        if (CommonPasswords.Value.Contains(password.Trim().ToLowerInvariant()))
            throw new ValidationException(field, "this password is on a list of common leaked passwords; choose another");
        if (Trivial(password) is { } why)
            throw new ValidationException(field, $"this password is too easy to guess ({why}); choose another");
    }

    /// <summary>Why a password is trivial, or null: fewer than 4 different characters (<c>aaaaaaaaaa</c>, <c>1212121212</c>), a
    /// short unit repeated (<c>abcabcabcabc</c>), or one run up or down the alphabet or the digits (<c>1234567890</c>,
    /// <c>9876543210</c>, <c>abcdefghij</c>; '0' may follow '9').</summary>
    public static string? Trivial(string password)
    {
        var p = password.ToLowerInvariant();
        if (p.Distinct().Count() < 4) return "fewer than 4 different characters";
        for (var unit = 1; unit <= p.Length / 2; unit++)
            if (p.Length % unit == 0 && string.Concat(Enumerable.Repeat(p[..unit], p.Length / unit)) == p)
                return "a repeated sequence";
        static int Step(char a, char b) => (a, b) switch { ('9', '0') => 1, ('0', '9') => -1, _ => b - a };
        var step = Step(p[0], p[1]);
        if (step is 1 or -1 && Enumerable.Range(1, p.Length - 1).All(i => Step(p[i - 1], p[i]) == step))
            return "a run of consecutive characters";
        return null;
    }

    private static readonly Lazy<HashSet<string>> CommonPasswords = new(() =>
    {
        using var s = typeof(PasswordHashing).Assembly.GetManifestResourceStream("ZeroPark.Application.Users.common-passwords.txt")
            ?? throw new InvalidOperationException("common-passwords.txt is not embedded");
        using var r = new StreamReader(s);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (r.ReadLine() is { } line)
            if (line.Length > 0 && !line.StartsWith("# ", StringComparison.Ordinal)) set.Add(line);
        return set;
    });
}
