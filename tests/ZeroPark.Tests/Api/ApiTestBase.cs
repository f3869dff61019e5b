using ZeroPark.Application;
using ZeroPark.Tests.EnergyManagement;

namespace ZeroPark.Tests.Api;

/// <summary>
/// The base of a module's REST API test class (an abstract suite with SQLite and PostgreSQL subclasses): the in-memory server
/// (<see cref="ApiServer"/>), its signed-in client, and a fresh park per test seeded into the server's store by a test park's seeder
/// (<see cref="EnergyTestPark"/>, <see cref="PlanTestPark"/> …), so tests of one class never see each other's data.
/// </summary>
public abstract class ApiTestBase(ApiServer server)
{
    protected ApiServer Server => server;

    protected HttpClient Client => server.Client;

    /// <summary>A new park (a fresh code) seeded by <paramref name="seed"/> (store, park code) into the server's store.</summary>
    protected async Task<string> SeedParkAsync(Func<ZeroParkStore, string, Task> seed)
    {
        var park = EnergyTestPark.NewParkCode();
        await using var store = await ZeroParkStore.OpenAsync(server.Database);
        await seed(store, park);
        return park;
    }
}
