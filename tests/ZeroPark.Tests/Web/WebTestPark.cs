using ZeroPark.Storage;
using ZeroPark.Tests.EnergyManagement;

namespace ZeroPark.Tests.Web;

/// <summary>The store behind the web tests: two small parks with hand-checkable energies (<see cref="EnergyTestPark"/>, Jan 31 and
/// Feb 1 2025) and one user per case. Park A's reporting day is Feb 1 (its last reading, Feb 2 00:00, closes Feb 1).</summary>
internal static class WebTestPark
{
    public const string ParkA = "sh01";
    public const string ParkB = "bj02";
    public const string Password = "Zp-test-password-1";

    public const string Admin = "admin.li";
    public const string ViewerA = "viewer.a";
    public const string Auditor = "auditor.a";
    public const string LockMe = "lock.me";
    public const string Fresh = "fresh.user";

    public static async Task SeedAsync(ZeroParkStore store)
    {
        await SeedParkAsync(store, ParkA, "上海一号数据中心园区", "华东", "上海");
        await SeedParkAsync(store, ParkB, "北京二号数据中心园区", "华北", "北京");
        await store.CreateUserAsync(Admin, Password, UserRole.Administrator, [], "setup");
        await store.CreateUserAsync(ViewerA, Password, UserRole.Viewer, [ParkA], "setup");
        await store.CreateUserAsync(Auditor, Password, UserRole.Auditor, [ParkA], "setup");
        await store.CreateUserAsync(LockMe, Password, UserRole.Viewer, [ParkA], "setup");
        await store.CreateUserAsync(Fresh, Password, UserRole.EnergyManager, [ParkB], "setup", mustChangePassword: true);
    }

    private static async Task SeedParkAsync(ZeroParkStore store, string code, string name, string region, string province)
    {
        await EnergyTestPark.CreateAsync(store, code);
        await store.UpdateParkAsync(code, new ParkDraft(code, name) { DesignItKw = 200, RacksTotal = 12, RacksInUse = 9, GridRegion = region, Province = province }, "setup");
        var s = await store.IngestAsync(code, EnergyTestPark.Readings(), new IngestSource("test", "setup"));
        Assert.Empty(s.Rejected);
        // A manual correction, so the audit log has a reading change with a reason.
        await store.ManualEntryAsync(code, "chiller", EnergyTestPark.T0.AddHours(30), 31, "operator.wang", "re-read on site");
    }
}
