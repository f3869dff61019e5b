using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ZeroPark.Application;
using ZeroPark.Application.SupplyChain;
using ZeroPark.SupplyChain;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages;

/// <summary>A supplier's own green-grade questionnaire, reached by the link the park issued (no account; only that supplier's
/// questionnaire; the token is stored hashed; rate-limited like sign-in). Saving re-grades the supplier.</summary>
public sealed class SupplierFormModel(ZeroParkStore store) : PageModel
{
    public string? Supplier { get; private set; }
    public IReadOnlyList<Indicator> Indicators { get; private set; } = [];
    public IReadOnlyDictionary<string, double> Answers { get; private set; } = new Dictionary<string, double>();
    public SupplierGrade? Grade { get; private set; }
    public bool Saved { get; private set; }
    public string? Error { get; private set; }

    private async Task<(string Park, string Supplier)?> LoadAsync(string token, CancellationToken ct)
    {
        if (await store.SupplyChain.SupplierByTokenAsync(token, ct) is not { } who) return null;
        Supplier = who.Supplier;
        Indicators = (await store.SupplyChain.IndicatorsAsync(who.Park, ct)).Where(i => i.Code != SupplierGrading.VerifiedFootprints).ToList();
        Answers = await store.SupplyChain.AnswersAsync(who.Park, who.Supplier, ct);
        Grade = (await store.SupplyChain.GradesAsync(who.Park, ct)).FirstOrDefault(g => g.Supplier == who.Supplier);
        return who;
    }

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken ct)
    {
        if (await LoadAsync(token, ct) is null) Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken ct)
    {
        if (await LoadAsync(token, ct) is not { } who)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        var answers = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var i in Indicators)
        {
            var text = Request.Form["a_" + i.Code].ToString().Trim();
            if (text.Length == 0) continue;
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
            {
                Error = T("sf.notnumber", i.Name, text);
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
            }
            answers[i.Code] = v;
        }
        try
        {
            await store.SupplyChain.SetAnswersAsync(who.Park, who.Supplier, answers, "form", "supplier:" + who.Supplier, ct);
            Saved = true;
        }
        catch (ValidationException e)
        {
            Error = M(e.Message);
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        await LoadAsync(token, ct);
        return Page();
    }
}
