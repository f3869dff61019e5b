using Microsoft.AspNetCore.Mvc;
using ZeroPark.Application;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages;

/// <summary>Users, roles and park grants (administrators only: see the authorization conventions). Every change goes through
/// the store and is audited with the administrator's name.</summary>
public sealed partial class UsersModel(ZeroParkStore store) : ZpPageModel(store)
{
    public IReadOnlyList<User> Users { get; private set; } = [];
    public IReadOnlyList<ZeroPark.Domain.Park> AllParks => VisibleParks;
    public string? Message { get; private set; }
    public string? Error { get; private set; }

    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Role { get; set; }
    [BindProperty] public List<string> Parks { get; set; } = [];
    [BindProperty] public string? Password { get; set; }
    [BindProperty] public bool Disabled { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public Task<IActionResult> OnPostCreateAsync(CancellationToken ct) => Run(async () =>
    {
        var u = await Store.Users.CreateUserAsync(Name?.Trim() ?? "", Password ?? "", UserRoles.Parse(Role), Parks, Me.Name, mustChangePassword: true, ct);
        return T("users.created", u.Name);
    }, ct);

    public Task<IActionResult> OnPostUpdateAsync(CancellationToken ct) => Run(async () =>
    {
        var u = await Store.Users.UpdateUserAsync(Name ?? "", UserRoles.Parse(Role), Parks, Disabled, Me.Name, ct);
        return T("users.updated", u.Name);
    }, ct);

    public Task<IActionResult> OnPostUnlockAsync(CancellationToken ct) => Run(async () =>
    {
        await Store.Users.UnlockUserAsync(Name ?? "", Me.Name, ct);
        return T("users.unlocked", Name);
    }, ct);

    public Task<IActionResult> OnPostResetAsync(CancellationToken ct) => Run(async () =>
    {
        await Store.Users.SetPasswordAsync(Name ?? "", Password ?? "", Me.Name, mustChangePassword: true, ct);
        return T("users.resetdone", Name);
    }, ct);

    private async Task<IActionResult> Run(Func<Task<string>> change, CancellationToken ct)
    {
        try
        {
            Message = await change();
        }
        catch (Exception e) when (e is ValidationException or ConflictException or NotFoundException)
        {
            Error = ZeroPark.Server.Web.UiText.M(e.Message);
            Response.StatusCode = e is NotFoundException ? StatusCodes.Status404NotFound : e is ConflictException ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest;
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        await LoadParksAsync(ct);
        Users = await Store.Users.ListUsersAsync(ct);
    }
}
