using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using ZeroPark.Application;
using ZeroPark.Application.Optimisation;
using ZeroPark.Server.Endpoints;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>Saving suggestions with their evidence and expected annual saving (kWh, tCO2e, CNY): run the analysis, accept (a reduction
/// measure), reject with a reason, snooze until a date or reopen — the same service as <c>POST …/suggestions/…</c>.</summary>
public sealed class OptimisationSuggestionsModel(ZeroParkStore store, SuggestionService suggestions) : ZpPageModel(store)
{
    public IReadOnlyList<Suggestion> List { get; private set; } = [];
    public IReadOnlyList<string> NotApplicable { get; private set; } = [];
    public OptimisationSettings Settings { get; private set; } = OptimisationSettings.Default;
    public string? Error { get; private set; }
    public string? Message { get; private set; }
    public bool CanAct => UserAccess.Allows(Me.Role, UserAccess.Access.RegistryWrite);

    public async Task<IActionResult> OnGetAsync(string park, CancellationToken ct)
    {
        CurrentPark = await ParkIfVisibleAsync(park, ct);
        if (CurrentPark is null) return NotFound();
        List = await Store.Optimisation.ListSuggestionsAsync(park, null, ct);
        Settings = await Store.Optimisation.SettingsAsync(park, ct);
        return Page();
    }

    /// <summary>The park's assumptions of the over-cooled-rooms rule (the same store call as <c>PUT …/suggestions/settings</c>).</summary>
    public Task<IActionResult> OnPostSettingsAsync(string park, CancellationToken ct) => ActAsync(park, async () =>
    {
        var form = Request.Form;
        double? Field(string name)
        {
            var v = form[name].ToString().Trim();
            if (v.Length == 0) return null;
            return double.TryParse(v.Replace('，', '.').Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
                ? d : throw new ValidationException(name, $"'{name}': '{v}' is not a number");
        }
        var s = await Store.Optimisation.SetSettingsAsync(park, Field("room_target_c"), Field("room_margin_k"), Field("room_saving_per_k"), Me.Name, ct);
        Message = T("opt.room.saved", s.RoomTargetC, s.RoomMarginK, s.RoomSavingPerK);
    }, ct);

    public Task<IActionResult> OnPostAnalyseAsync(string park, CancellationToken ct) => ActAsync(park, async () =>
    {
        var r = await suggestions.AnalyseAsync(park, null, null, Me.Name, ct);
        NotApplicable = r.NotApplicable;
        Message = T("opt.sg.analysed", r.Found.Count, r.From, r.To);
    }, ct);

    public Task<IActionResult> OnPostActAsync(string park, long id, string action, CancellationToken ct) => ActAsync(park, async () =>
    {
        var form = Request.Form;
        var s = action switch
        {
            "accept" => await suggestions.AcceptAsync(park, id, form["measure"].ToString(), Me.Name, ct),
            "reject" => await suggestions.RejectAsync(park, id, form["reason"].ToString(), Me.Name, ct),
            "snooze" => await suggestions.SnoozeAsync(park, id,
                DateOnly.TryParseExact(form["until"].ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null, Me.Name, ct),
            _ => await suggestions.ReopenAsync(park, id, Me.Name, ct),
        };
        Message = T("opt.sg.done", s.Id, T("opt.status." + s.Status));
    }, ct);

    private async Task<IActionResult> ActAsync(string park, Func<Task> body, CancellationToken ct)
    {
        CurrentPark = await ParkIfVisibleAsync(park, ct);
        if (CurrentPark is null) return NotFound();
        if (!CanAct) return StatusCode(StatusCodes.Status403Forbidden);
        try { await body(); }
        catch (Exception e) when (e is ValidationException or NotFoundException) { Error = M(e.Message); }
        List = await Store.Optimisation.ListSuggestionsAsync(park, null, ct);
        Settings = await Store.Optimisation.SettingsAsync(park, ct);
        return Page();
    }

    public static string Num(double? v, string f) => v is { } x ? x.ToString(f, CultureInfo.CurrentCulture) : "—";
}
