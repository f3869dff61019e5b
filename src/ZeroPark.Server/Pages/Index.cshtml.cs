using ZeroPark.Application;

namespace ZeroPark.Server.Pages;

/// <summary>The parks the user may see.</summary>
public sealed class IndexModel(ZeroParkStore store) : ZpPageModel(store)
{
    public Task OnGetAsync(CancellationToken ct) => LoadParksAsync(ct);
}
