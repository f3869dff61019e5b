using Microsoft.AspNetCore.Builder;

namespace ZeroPark.Server;

public static partial class ZeroParkEndpoints
{
    public static WebApplication MapZeroParkEndpoints(this WebApplication app)
    {
        return app;
    }
}
