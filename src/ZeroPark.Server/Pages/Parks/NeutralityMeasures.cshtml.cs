using Microsoft.AspNetCore.Mvc;
using ZeroPark.Application;
using ZeroPark.Application.Neutrality;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>Reduction measures: the register (add), and the reduction report (baseline model, measured saving to date, next year's forecast).</summary>
public sealed class NeutralityMeasuresModel(ZeroParkStore store, MeasureService measures) : NeutralityPageModel(store)
{
    public IReadOnlyList<MeasureReport> Reports { get; private set; } = [];
    public DateOnly AsOf { get; private set; }
    public static readonly string[] Fields = ["code", "name", "category", "boundary", "baseline_from", "baseline_to", "start", "price"];

    public async Task<IActionResult> OnGetAsync(string park, CancellationToken ct)
    {
        if (!await LoadAsync(park, ct)) return NotFound();
        await LoadReportAsync(ct);
        return Page();
    }

    private async Task LoadReportAsync(CancellationToken ct)
    {
        AsOf = await AsOfAsync(Park.Code, ct);
        Reports = await measures.ReportAsync(Park.Code, AsOf, null, ct);
    }

    public async Task<IActionResult> OnPostAddAsync(string park, CancellationToken ct)
    {
        if (!await LoadAsync(park, ct)) return NotFound();
        if (!CanEditMeasures) return Forbidden();
        Keep(Fields);
        DateOnly? bf = Day(V("baseline_from")), bt = Day(V("baseline_to")), st = Day(V("start"));
        if (bf is null) Invalid("baseline_from", T("nz.err.date"));
        else if (bt is null) Invalid("baseline_to", T("nz.err.date"));
        else if (st is null) Invalid("start", T("nz.err.date"));
        else
        {
            try
            {
                var m = await measures.CreateAsync(park, new MeasureDraft(V("code"), V("name"), V("category"), V("boundary").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                    bf.Value, bt.Value, st.Value, Num(V("price")), Request.Form["temperature"].ToString() != "off", "web"), Me.Name, ct);
                Message = T("nz.measure.added", m.Code);
                Form.Clear();
            }
            catch (Exception e) when (e is ValidationException or ConflictException or NotFoundException) { Show(e); }
        }
        await LoadReportAsync(ct);
        return Page();
    }
}
