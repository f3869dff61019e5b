using System.Text;
using ZeroPark.Carbon;
using ZeroPark.Application;
using ZeroPark.Application.Carbon;
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
    public const string Accountant = "carbon.zhang";

    public static async Task SeedAsync(ZeroParkStore store)
    {
        await SeedParkAsync(store, ParkA, "上海一号数据中心园区", "华东", "上海");
        await SeedParkAsync(store, ParkB, "北京二号数据中心园区", "华北", "北京");
        await store.Users.CreateUserAsync(Admin, Password, UserRole.Administrator, [], "setup");
        await store.Users.CreateUserAsync(ViewerA, Password, UserRole.Viewer, [ParkA], "setup");
        await store.Users.CreateUserAsync(Auditor, Password, UserRole.Auditor, [ParkA], "setup");
        await store.Users.CreateUserAsync(LockMe, Password, UserRole.Viewer, [ParkA], "setup");
        await store.Users.CreateUserAsync(Fresh, Password, UserRole.EnergyManager, [ParkB], "setup", mustChangePassword: true);
        await store.Users.CreateUserAsync(Accountant, Password, UserRole.CarbonAccountant, [ParkA], "setup");
        await SeedCarbonAsync(store, ParkA);
    }

    private static async Task SeedParkAsync(ZeroParkStore store, string code, string name, string region, string province)
    {
        await EnergyTestPark.CreateAsync(store, code);
        await store.Registry.UpdateParkAsync(code, new ParkDraft(code, name) { DesignItKw = 200, RacksTotal = 12, RacksInUse = 9, GridRegion = region, Province = province }, "setup");
        var s = await store.Readings.IngestAsync(code, EnergyTestPark.Readings(), new IngestSource("test", "setup"));
        Assert.Empty(s.Rejected);
        // A manual correction, so the audit log has a reading change with a reason.
        await store.Readings.ManualEntryAsync(code, "chiller", EnergyTestPark.T0.AddHours(30), 31, "operator.wang", "re-read on site");
    }

    /// <summary>Carbon data like the demo's (DemoCarbon), inside park A's two days: park vehicles' petrol, canteen LPG, an R410A
    /// top-up, a legacy R22 unit (a memo item) and 2 green certificates (2,000 kWh) for market-based scope 2.</summary>
    internal static async Task SeedCarbonAsync(ZeroParkStore store, string park)
    {
        const string csv = """
            date,source,material,amount,unit,scope3_category,note,evidence,space
            2025-01-31,vehicle,gasoline,120,L,,park vehicles,FUEL-202501,b1
            2025-02-01,canteen,lpg,0.05,t,,canteen,LPG-202502,b1
            2025-02-01,refrigerant_leak,R410A,3,kg,,CRAH top-up,WO-R410A-1,b1
            2025-02-01,refrigerant_leak,R22,1,kg,,legacy split unit,WO-R22-1,b1
            """;
        var (rows, errors) = ActivityCsv.Parse(new MemoryStream(Encoding.UTF8.GetBytes(csv)));
        Assert.Empty(errors);
        await store.Carbon.ImportActivitiesAsync(park, rows, [], "setup");
        await store.Carbon.AddInstrumentAsync(park, new Instrument
        {
            Kind = InstrumentKind.Gec, QuantityKwh = 2_000, CoverFrom = new DateOnly(2025, 1, 1), CoverTo = new DateOnly(2025, 12, 31), Reference = "GEC-2025-0001…0002",
            Note = "绿证",
        }, "setup");
    }
}
