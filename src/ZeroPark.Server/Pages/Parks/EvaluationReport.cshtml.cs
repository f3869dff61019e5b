using Microsoft.AspNetCore.Mvc;
using ZeroPark.Application;
using ZeroPark.Application.Evaluations;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>The T/CA305-2023 self-evaluation report of a year (附录H; sections a–h of <see cref="Tca305Report"/>), printable; the
/// same sections as the first sheet of <c>GET /api/parks/{park}/evaluations/tca305/{year}?format=xlsx</c>.</summary>
public sealed class EvaluationReportModel(ZeroParkStore store, EvaluationService service) : ZpPageModel(store)
{
    public int Year { get; private set; }
    public Tca305View View { get; private set; } = null!;
    public IReadOnlyList<Tca305Report.Section> Sections { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string park, int? year, CancellationToken ct)
    {
        CurrentPark = await ParkIfVisibleAsync(park, ct);
        if (CurrentPark is null) return NotFound();
        Year = year is >= 2000 and <= 2100 ? year.Value : System.DateTime.UtcNow.Year - 1;
        var (view, facts) = await service.Tca305ReportAsync(park, Year, ct);
        View = view;
        Sections = Tca305Report.Sections(view, facts, !ZeroPark.Server.Web.UiText.IsChinese);
        return Page();
    }
}
