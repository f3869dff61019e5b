using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ZeroPark.Application;
using ZeroPark.Application.Governance;
using ZeroPark.Governance;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages;

/// <summary>A person's carbon account, reached by the personal link (no account; the token is stored hashed; rate-limited like
/// sign-in): report today's low-carbon actions (one of a kind per day), see points, reward level and the leaderboard. Fits a phone.</summary>
public sealed class CarbonAccountModel(ZeroParkStore store) : PageModel
{
    public PersonalAccount? Account { get; private set; }
    public IReadOnlyList<AccountStanding> Board { get; private set; } = [];
    public RewardThresholds Rewards { get; private set; } = new();
    public ActionReport? Reported { get; private set; }
    public string? Error { get; private set; }

    private async Task<bool> LoadAsync(string token, CancellationToken ct)
    {
        if (await store.Governance.PersonByTokenAsync(token, ct) is not { } who) return false;
        Account = await store.Governance.AccountAsync(who.Park, who.Person, ct);
        Board = (await store.Governance.LeaderboardAsync(who.Park, ct: ct)).Take(10).ToList();
        Rewards = await store.Governance.RewardsAsync(who.Park, ct);
        return true;
    }

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken ct)
    {
        if (!await LoadAsync(token, ct)) Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string token, string? kind, double? quantity, CancellationToken ct)
    {
        if (await store.Governance.PersonByTokenAsync(token, ct) is not { } who)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        try
        {
            Reported = await store.Governance.ReportAsync(who.Park, who.Person, null, kind ?? "", quantity ?? 0, ct);
        }
        catch (Exception e) when (e is ValidationException or ConflictException or NotFoundException)
        {
            Error = M(e.Message);
            Response.StatusCode = e is ConflictException ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest;
        }
        await LoadAsync(token, ct);
        return Page();
    }
}
