using Microsoft.AspNetCore.Builder;
using ZeroPark.Server.Endpoints;

namespace ZeroPark.Server;

/// <summary>
/// The HTTP API, under <c>/api</c>: sign-in (<c>/api/session</c>), reference data and registry (<see cref="RegistryEndpoints"/>), ingest with per-park API
/// keys including the InfluxDB-compatible <c>/api/v2/write</c> and <c>/write</c> (<see cref="IngestEndpoints"/>), and queries
/// (<see cref="QueryEndpoints"/>). Errors are ProblemDetails (see <see cref="ErrorMapping"/>).
/// </summary>
public static partial class ZeroParkEndpoints
{
    public static WebApplication MapZeroParkEndpoints(this WebApplication app)
    {
        var api = app.MapGroup("/api");
        api.MapReferenceEndpoints();
        api.MapSessionEndpoints();
        // Registry, queries, energy and carbon: a signed-in user who sees the park, with the role's rights (see UserAccess).
        var signedIn = api.MapGroup("").RequireUser().AddEndpointFilter(Web.CardCache.Filter);
        signedIn.MapRegistryEndpoints();
        signedIn.MapQueryEndpoints();
        signedIn.MapEnergyEndpoints();
        signedIn.MapEnergyPlanEndpoints();
        signedIn.MapCarbonEndpoints();
        signedIn.MapNeutralityEndpoints();
        signedIn.MapDashboardEndpoints();
        signedIn.MapCollectionEndpoints();
        signedIn.MapEvaluationEndpoints();
        signedIn.MapReportsEndpoints();
        signedIn.MapSupplyChainEndpoints(api);
        signedIn.MapAlertEndpoints();
        app.MapIngestEndpoints();
        return app;
    }
}

/// <summary>
/// A type of the server assembly for <c>WebApplicationFactory&lt;ZeroParkServerEntryPoint&gt;</c>: projects that reference both the
/// server and the CLI see two global <c>Program</c> classes (CS0433), and the factory only needs a type of the entry assembly.
/// </summary>
public sealed class ZeroParkServerEntryPoint
{
    private ZeroParkServerEntryPoint()
    {
    }
}
