using Npgsql;

namespace ZeroPark.Tests.Infrastructure;

/// <summary>
/// Where the storage tests get their databases from.
/// PostgreSQL comes from the <c>ZEROPARK_TEST_PG</c> environment variable (an Npgsql
/// connection string; <c>./scripts/test.sh</c> starts a throwaway PostgreSQL 15 and sets it).
/// </summary>
public static class TestDatabases
{
    /// <summary>Connection string of the test PostgreSQL server, or null when not configured.</summary>
    public static string? PostgresConnectionString =>
        Environment.GetEnvironmentVariable("ZEROPARK_TEST_PG") is { Length: > 0 } cs ? cs : null;

    /// <summary>
    /// True when PostgreSQL tests must run (<c>ZEROPARK_REQUIRE_PG=1</c> or <c>CI=true</c>):
    /// then a missing server makes them fail instead of being skipped.
    /// </summary>
    public static bool PostgresRequired =>
        Environment.GetEnvironmentVariable("ZEROPARK_REQUIRE_PG") == "1"
        || string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Creates a fresh, empty, uniquely named database and returns its connection string.</summary>
    /// <exception cref="InvalidOperationException">PostgreSQL is not configured.</exception>
    public static string NewPostgresDatabase()
    {
        var baseConnectionString = PostgresConnectionString
            ?? throw new InvalidOperationException(
                "PostgreSQL tests need ZEROPARK_TEST_PG (an Npgsql connection string); run ./scripts/test.sh");

        var name = $"zp_{Guid.NewGuid():N}";
        using (var connection = new NpgsqlConnection(baseConnectionString))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE \"{name}\"";
            command.ExecuteNonQuery();
        }

        return new NpgsqlConnectionStringBuilder(baseConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>A unique, not yet existing SQLite file path under the temp dir.</summary>
    public static string NewSqlitePath()
    {
        var dir = Path.Combine(Path.GetTempPath(), "zeropark-tests");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, $"{Guid.NewGuid():N}.db");
    }
}

/// <summary>
/// A <see cref="FactAttribute"/> for tests that need PostgreSQL. The test is skipped only when
/// no server is configured (<c>ZEROPARK_TEST_PG</c> unset) AND PostgreSQL is not required.
/// When it is required (<c>ZEROPARK_REQUIRE_PG=1</c> or <c>CI=true</c>, as set by
/// <c>./scripts/test.sh</c>) but missing, the test is NOT skipped, so it fails loudly.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class PostgresFactAttribute : FactAttribute
{
    /// <summary>Skip reason used when PostgreSQL is neither configured nor required.</summary>
    public const string NotConfigured = "PostgreSQL not configured: run ./scripts/test.sh";

    public PostgresFactAttribute()
    {
        if (TestDatabases.PostgresConnectionString is null && !TestDatabases.PostgresRequired)
        {
            Skip = NotConfigured;
        }
    }
}

/// <summary>
/// A <see cref="TheoryAttribute"/> for tests that need PostgreSQL; same skip rules as
/// <see cref="PostgresFactAttribute"/> (skipped only when neither configured nor required).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class PostgresTheoryAttribute : TheoryAttribute
{
    public PostgresTheoryAttribute()
    {
        if (TestDatabases.PostgresConnectionString is null && !TestDatabases.PostgresRequired)
        {
            Skip = PostgresFactAttribute.NotConfigured;
        }
    }
}
