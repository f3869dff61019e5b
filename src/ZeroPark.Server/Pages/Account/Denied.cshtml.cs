using ZeroPark.Application;

namespace ZeroPark.Server.Pages.Account;

public sealed class DeniedModel(ZeroParkStore store) : ZpPageModel(store)
{
    public Task OnGetAsync(CancellationToken ct) => LoadParksAsync(ct);
}
