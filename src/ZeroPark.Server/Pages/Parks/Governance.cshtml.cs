using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using ZeroPark.Application;
using ZeroPark.Application.Governance;
using ZeroPark.Governance;
using ZeroPark.Server.Endpoints;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>Green governance: the rolling list of low-carbon activities (with their own emissions, neutralisation and social
/// benefit), the organisation with responsibilities and KPIs, and the personal carbon account leaderboard. Changes: administrators
/// and carbon accountants; audited as the signed-in user.</summary>
public sealed class GovernanceModel(ZeroParkStore store) : ZpPageModel(store)
{
    public IReadOnlyList<GovEvent> Events { get; private set; } = [];
    public IReadOnlyList<OrgUnit> Units { get; private set; } = [];
    public IReadOnlyList<Person> People { get; private set; } = [];
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Targets { get; private set; } = new Dictionary<string, IReadOnlyList<string>>();
    public IReadOnlyList<AccountStanding> Board { get; private set; } = [];
    /// <summary>Open and acknowledged alerts per person (of the KPIs each is accountable for).</summary>
    public IReadOnlyDictionary<string, (int Open, int Acknowledged)> AlertCounts { get; private set; } = new Dictionary<string, (int, int)>();
    public RewardThresholds Rewards { get; private set; } = new();
    public string? Link { get; private set; }
    public string? Error { get; private set; }
    public bool CanEdit => UserAccess.Allows(Me.Role, UserAccess.Access.CarbonWrite);

    private async Task<bool> LoadAsync(string park, CancellationToken ct)
    {
        CurrentPark = await ParkIfVisibleAsync(park, ct);
        if (CurrentPark is null) return false;
        Events = (await Store.Governance.EventsAsync(park, ct: ct)).Take(50).ToList();
        Units = await Store.Governance.UnitsAsync(park, ct);
        People = await Store.Governance.PeopleAsync(park, ct);
        Targets = await Store.Governance.AccountableTargetsAsync(park, ct);
        Board = await Store.Governance.LeaderboardAsync(park, ct: ct);
        AlertCounts = await Store.Governance.AlertCountsAsync(park, ct);
        Rewards = await Store.Governance.RewardsAsync(park, ct);
        return true;
    }

    public async Task<IActionResult> OnGetAsync(string park, CancellationToken ct) => await LoadAsync(park, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostEventAsync(string park, string? date, string? kind, string? title, int? participants, string? activity,
        string? neutralisation, string? instruments, double? neutralised, string? benefit, CancellationToken ct) => await Change(park, async () =>
    {
        var d = DateOnly.TryParseExact(date ?? "", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var x) ? x : await Store.SupplyChain.TodayAsync(park, ct);
        var lines = new List<EventLine>();
        foreach (var (line, i) in (activity ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select((l, i) => (l, i)))
        {
            var p = line.Split(':', StringSplitOptions.TrimEntries);
            if (p.Length < 4 || !double.TryParse(p[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount))
                throw new ValidationException("activity", $"activity line {i + 1}: '{line}' is not source:material:amount:unit");
            lines.Add(new EventLine(p[0], p[1], amount, p[3], p.Length > 4 ? p[4] : null));
        }
        await Store.Governance.AddEventAsync(park, new EventDraft(d, kind ?? "", title ?? "", participants ?? 0, lines, neutralisation ?? "", instruments ?? "", neutralised ?? 0, benefit ?? ""), Me.Name, ct);
    });

    public async Task<IActionResult> OnPostPersonAsync(string park, string? code, string? name, string? unit, string? role, string? kpis, string? email, CancellationToken ct) => await Change(park, () =>
        Store.Governance.SetPersonAsync(park, new Person(code ?? "", name ?? "", string.IsNullOrWhiteSpace(unit) ? null : unit, role ?? "", "",
            (kpis ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), false, email), Me.Name, ct));

    public async Task<IActionResult> OnPostUnitAsync(string park, string? code, string? name, string? parent, CancellationToken ct) => await Change(park, () =>
        Store.Governance.SetUnitAsync(park, new OrgUnit(code ?? "", name ?? "", string.IsNullOrWhiteSpace(parent) ? null : parent), Me.Name, ct));

    public async Task<IActionResult> OnPostTokenAsync(string park, string? code, CancellationToken ct) => await Change(park, async () =>
        Link = $"{Request.Scheme}://{Request.Host}/carbon-account/{await Store.Governance.IssueTokenAsync(park, code ?? "", Me.Name, ct)}");

    private async Task<IActionResult> Change(string park, Func<Task> change)
    {
        var ct = HttpContext.RequestAborted;
        if (!await LoadAsync(park, ct)) return NotFound();
        if (!CanEdit) return Forbid();
        try
        {
            await change();
        }
        catch (Exception e) when (e is ValidationException or NotFoundException or ConflictException)
        {
            Error = M(e is ValidationException v ? $"{v.Field}: {v.Message}" : e.Message);
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        await LoadAsync(park, ct);
        return Page();
    }
}
