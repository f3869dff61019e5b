using System.Net;
using System.Text;
using ZeroPark.Application;
using ZeroPark.Application.Users;
using ZeroPark.Tests.Api;

namespace ZeroPark.Tests.SupplyChain;

/// <summary>The supply chain and governance REST API through the in-memory server on SQLite and PostgreSQL: a PACT footprint
/// feeding scope 3, grades and their XLSX report, the supplier and personal token routes without an account, role rights.</summary>
public abstract class SupplyChainApiTests(ApiServer server)
{
    private const string Pw = "supply-chain-password";

    private async Task<string> ParkAsync()
    {
        var park = "sc" + Guid.NewGuid().ToString("N")[..6];
        await server.Store.Registry.CreateParkAsync(new ParkDraft(park, "SC", "Asia/Shanghai") { Province = "北京", GridRegion = "华北" }, "test");
        return park;
    }

    private async Task<HttpClient> UserAsync(UserRole role, string park)
    {
        var name = "u" + Guid.NewGuid().ToString("N")[..8];
        await server.Store.Users.CreateUserAsync(name, Pw, role, [park], "test");
        return await server.SignedInClientAsync(name, Pw);
    }

    [Fact]
    public async Task A_pact_footprint_posted_to_the_api_feeds_scope_3_and_the_token_routes_need_no_account()
    {
        var park = await ParkAsync();
        using var accountant = await UserAsync(UserRole.CarbonAccountant, park);
        var pact = """
            {"data":[{"id":"3893bb5d-da16-4dc1-9185-11d97476c254","specVersion":"2.2.0","version":1,"created":"2025-02-01T00:00:00Z","status":"Active",
              "companyName":"宝钢股份","companyIds":["urn:uuid:69585b16-56a9-4958-b526-6fd1a2b31326"],"productDescription":"cold rolled coil",
              "productIds":["urn:gtin:4712345060507"],"productCategoryCpc":"4121","productNameCompany":"cold_rolled_steel","comment":"",
              "pcf":{"declaredUnit":"kilogram","unitaryProductAmount":"1000","pCfExcludingBiogenic":"2.05","fossilGhgEmissions":"2.0","exemptedEmissionsPercent":0,
                     "referencePeriodStart":"2024-01-01T00:00:00Z","referencePeriodEnd":"2025-01-01T00:00:00Z","boundaryProcessesDescription":"",
                     "assurance":{"assurance":true,"coverage":"product level","level":"limited","providerName":"CQC"}}}]}
            """;
        var imp = await (await accountant.PostAsync($"/api/parks/{park}/supply-chain/footprints", new StringContent(pact, Encoding.UTF8, "application/json"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, imp.Num("accepted"));
        // 30 t of cold-rolled steel bought from 宝钢股份 in March 2025: 30,000 kg × 2.05 kgCO2e per declared unit (kg) = 61.5 t (valid 2025-01-01…2027-12-31:
        // three years from referencePeriodEnd, the end excluded).
        var csv = "date,source,material,amount,unit,scope3_category,note,evidence,space,density,ncv,supplier\n2025-03-05,building_materials,cold_rolled_steel,30,t,,,PO-1,,,,宝钢股份\n";
        await (await accountant.PostAsync($"/api/parks/{park}/carbon/activities", new StringContent(csv, Encoding.UTF8, "text/csv"))).ExpectAsync(HttpStatusCode.OK);
        var inv = await accountant.GetJsonAsync($"/api/parks/{park}/carbon/inventory?from=2025-03-01&to=2025-03-31");
        var line = Assert.Single(inv.Items("lines"), l => l.Str("source") == "building_materials");
        Assert.Equal(61.5, line.Num("co2e_t")!.Value, 9);
        Assert.StartsWith("supplier-specific product footprint F", line.Str("factor_basis"));

        // A supplier answers by its link without an account; the grade is in the ranking and the report.
        await (await accountant.PostJsonAsync($"/api/parks/{park}/supply-chain/suppliers", """{"name":"宝钢股份","contact":"x"}""")).ExpectAsync(HttpStatusCode.OK);
        var token = (await (await accountant.PostAsync($"/api/parks/{park}/supply-chain/suppliers/宝钢股份/token", null)).ExpectAsync(HttpStatusCode.OK)).Str("token");
        using var anonymous = server.NewClient();
        var form = await anonymous.GetJsonAsync($"/api/supplier-form/{token}");
        Assert.Equal("宝钢股份", form.Str("supplier"));
        var put = new HttpRequestMessage(HttpMethod.Put, $"/api/supplier-form/{token}")
        {
            Content = new StringContent("""{"answers":{"env_compliance":1,"clean_production":3,"waste_recycling":90,"ems_iso14001":1,"sbti":2,"scope12_intensity":0.5}}""", Encoding.UTF8, "application/json"),
        };
        var graded = await (await anonymous.SendAsync(put)).ExpectAsync(HttpStatusCode.OK);
        // 15 + 15 + 13.5 + 10 + 20 (1 of 1 footprints verified) + 10 + 15 × (0.5 − 1)/(0.1 − 1) = 8.333… → 91.8333… → 优秀.
        Assert.Equal(91.833333, graded.Num("score")!.Value, 5);
        Assert.Equal("优秀", graded.Str("grade"));
        await (await anonymous.GetAsync($"/api/supplier-form/{token}x")).ExpectProblemAsync(HttpStatusCode.NotFound);
        var xlsx = await accountant.GetAsync($"/api/parks/{park}/supply-chain/grades?format=xlsx");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        var bytes = await xlsx.Content.ReadAsByteArrayAsync();
        Assert.Equal((byte)'P', bytes[0]);

        // A person's account by link: 10 km cycling = 1.79288 kg → 17 points; the second cycling report of the day is a 409.
        await (await accountant.PutAsync($"/api/parks/{park}/governance/people", new StringContent("""{"code":"p1","name":"王磊","role":"运维","kpis":["pue"]}""", Encoding.UTF8, "application/json"))).ExpectAsync(HttpStatusCode.OK);
        var personToken = (await (await accountant.PostAsync($"/api/parks/{park}/governance/people/p1/token", null)).ExpectAsync(HttpStatusCode.OK)).Str("token");
        var rep = await (await anonymous.PostJsonAsync($"/api/carbon-account/{personToken}/actions", """{"kind":"cycling","quantity":10}""")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(17, rep.Num("points"));
        await (await anonymous.PostJsonAsync($"/api/carbon-account/{personToken}/actions", """{"kind":"cycling","quantity":3}""")).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(17, (await anonymous.GetJsonAsync($"/api/carbon-account/{personToken}")).Num("points"));

        // Rights: a viewer reads but may not import; without a session the park routes are 401.
        using var viewer = await UserAsync(UserRole.Viewer, park);
        await viewer.GetJsonAsync($"/api/parks/{park}/supply-chain/footprints");
        await (await viewer.PostAsync($"/api/parks/{park}/supply-chain/footprints", new StringContent(pact, Encoding.UTF8, "application/json"))).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await anonymous.GetAsync($"/api/parks/{park}/supply-chain/footprints")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }
}

public sealed class SqliteSupplyChainApiTests(SqliteApiServer server) : SupplyChainApiTests(server), IClassFixture<SqliteApiServer>;

public sealed class PostgresSupplyChainApiTests(PostgresApiServer server) : SupplyChainApiTests(server), IClassFixture<PostgresApiServer>;
