using System.Runtime.CompilerServices;
using ZeroPark.Application;

namespace ZeroPark.Tests.Infrastructure;

/// <summary>Cheap Argon2id for the test process (1 MiB, 1 pass): the suite creates and signs in hundreds of users, and the default
/// cost (64 MiB, 3 passes) would cost seconds of CPU each test class. The scheme and the code path are the same.</summary>
internal static class TestPasswordCost
{
    public static readonly Argon2Cost Cheap = new(1024, 1, 1);

#pragma warning disable CA2255 // a module initializer is the point: it runs before any test touches a password
    [ModuleInitializer]
    internal static void Init() => PasswordHashing.Cost = Cheap;
#pragma warning restore CA2255
}
