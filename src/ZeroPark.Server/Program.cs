using ZeroPark.Server;

var app = ZeroParkServer.Build(args);
await app.RunAsync();

/// <summary>Entry point type, public for <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
