using System.Security.Cryptography;

namespace ZeroPark.Storage;

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

/// <summary>Salted slow password hashes: PBKDF2 with HMAC-SHA256 from the framework (<see cref="Rfc2898DeriveBytes.Pbkdf2(byte[], byte[], int, HashAlgorithmName, int)"/>),
/// 16-byte random salt, 32-byte hash, stored as <c>pbkdf2-sha256$iterations$salt$hash</c> (Base64), compared in constant time.</summary>
public static class PasswordHashing
{
    public const int Iterations = 210_000;
    public const int MinimumLength = 10;
    private const string Scheme = "pbkdf2-sha256";

    public static string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, Iterations, HashAlgorithmName.SHA256, 32);
        return $"{Scheme}${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    public static bool Verify(string password, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme || !int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
            return false;
        var salt = Convert.FromBase64String(parts[2]);
        var expected = Convert.FromBase64String(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>A random password for the first administrator (printed once): 20 characters from an unambiguous alphabet.</summary>
    public static string NewSecret()
    {
        const string alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return RandomNumberGenerator.GetString(alphabet, 20);
    }

    /// <summary>The password rules: at least <see cref="MinimumLength"/> characters, not only blanks.</summary>
    public static void Validate(string? password, string field = "password")
    {
        if (string.IsNullOrWhiteSpace(password) || password.Length < MinimumLength)
            throw new ValidationException(field, $"a password needs at least {MinimumLength} characters");
        if (password.Length > 512) throw new ValidationException(field, "a password has at most 512 characters");
    }
}
