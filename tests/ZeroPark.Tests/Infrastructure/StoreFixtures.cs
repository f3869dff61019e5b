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
