using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ZeroPark.Application;
using ZeroPark.Application.Export;
using ZeroPark.Application.Governance;
using ZeroPark.Application.SupplyChain;
using ZeroPark.SupplyChain;

namespace ZeroPark.Server.Endpoints;

/// <summary>Body of <c>PUT …/supply-chain/suppliers/{name}/answers</c> and of the supplier form route: indicator code → value.</summary>
public sealed record AnswersRequest(Dictionary<string, double> Answers);

public sealed record SupplierRequest(string Name, string? Contact = null);

public sealed record IndicatorRequest(string Code, string? Name, double Weight, double Best, double Worst, string? Unit = null);

public sealed record ThresholdsRequest(double Excellent, double Good, double Pass);

public sealed record EventRequest(DateOnly? Date, string Kind, string Title, int? Participants, List<EventLine>? Activity, string? Neutralisation,
    string? Instruments, double? NeutralisedT, string? SocialBenefit);

public sealed record UnitRequest(string Code, string Name, string? Parent = null);

public sealed record PersonRequest(string Code, string Name, string? Unit, string? Role, string? Responsibilities, List<string>? Kpis, string? Email = null);

public sealed record ActionRequest(string Kind, double Quantity, DateOnly? Date = null, string? Person = null);

internal sealed record FootprintImportResponse(int Accepted, int Updated, int Unchanged, IReadOnlyList<CarbonEndpoints.RowErrorView> Rejected, IReadOnlyList<string> Regraded);

/// <summary>
/// Supply chain (<c>/api/parks/{park}/supply-chain/…</c>: footprints, LCA models, suppliers, indicators, thresholds, answers,
/// grades, history, report), governance (<c>/api/parks/{park}/governance/…</c>: activities, units, people, tokens, actions,
/// leaderboard, rewards), and the two token routes without an account (<c>/api/supplier-form/{token}</c>,
/// <c>/api/carbon-account/{token}</c>; rate-limited like sign-in, tokens stored hashed). Same JSON as the CLI's <c>--format json</c>.
/// </summary>
internal static class SupplyChainEndpoints
{
    public static void MapSupplyChainEndpoints(this IEndpointRouteBuilder signedIn, IEndpointRouteBuilder api)
    {
        var s = signedIn.MapGroup("/parks/{park}/supply-chain").WithTags("Supply chain");
        s.MapGet("/footprints", Footprints).WithSummary("The park's product footprint library with each footprint's library grade").ProducesProblem(StatusCodes.Status404NotFound);
        s.MapPost("/footprints", ImportFootprints).DocumentBody(null, "text/csv")
            .WithSummary("Import footprints: CSV or XLSX (product,supplier,functional_unit,kgco2e_per_unit,stages,verified[,category,boundary,data_source,verifier,valid_from,valid_to,review_on,note]) or PACT v2 ProductFootprint JSON; per-row errors, valid rows kept")
            .ProducesProblem(StatusCodes.Status404NotFound);
        s.MapDelete("/footprints/{id:long}", DeleteFootprint).WithSummary("Delete a footprint (audited; its supplier is re-graded)").ProducesProblem(StatusCodes.Status404NotFound);
        s.MapPost("/models", (string park, HttpRequest r, [FromQuery] bool? save, [FromQuery] double? percent, ZeroParkStore store, CancellationToken ct) => Model(park, r, save, percent, store, ct))
            .WithSummary("A stage-by-stage LCA model (JSON as `zeropark footprints model`): footprint per functional unit, stages, sensitivity; save=true stores it as the product's footprint")
            .ProducesValidationProblem();
        s.MapGet("/suppliers", (string park, ZeroParkStore store, CancellationToken ct) => store.SupplyChain.SuppliersAsync(park, ct)).WithSummary("The park's suppliers");
        s.MapPost("/suppliers", AddSupplier).WithSummary("Add a supplier (or change its contact)").ProducesValidationProblem();
        s.MapPost("/suppliers/{name}/token", IssueSupplierToken).WithSummary("Issue the supplier's questionnaire link (token shown once, stored hashed)").ProducesProblem(StatusCodes.Status404NotFound);
        s.MapPut("/suppliers/{name}/answers", SetAnswers).WithSummary("Set a supplier's answers {answers: {indicator: value}} and re-grade it").ProducesValidationProblem();
        s.MapGet("/suppliers/{name}/history", (string park, string name, ZeroParkStore store, CancellationToken ct) => store.SupplyChain.GradeHistoryAsync(park, name, ct))
            .WithSummary("Every grade the supplier had, newest first").ProducesProblem(StatusCodes.Status404NotFound);
        s.MapGet("/grades", Grades).WithSummary("The suppliers' current grades, ranked; format=xlsx gives the shareable report");
        s.MapGet("/indicators", (string park, ZeroParkStore store, CancellationToken ct) => store.SupplyChain.IndicatorsAsync(park, ct)).WithSummary("The park's indicator system");
        s.MapPut("/indicators", SetIndicator).WithSummary("Add or change an indicator {code, name, weight, best, worst, unit}; every supplier is re-graded").ProducesValidationProblem();
        s.MapGet("/thresholds", (string park, ZeroParkStore store, CancellationToken ct) => store.SupplyChain.ThresholdsAsync(park, ct)).WithSummary("Score thresholds of 优秀/良好/合格");
        s.MapPut("/thresholds", SetThresholds).WithSummary("Set the thresholds {excellent, good, pass}; every supplier is re-graded").ProducesValidationProblem();

        var g = signedIn.MapGroup("/parks/{park}/governance").WithTags("Governance");
        g.MapGet("/activities", Events).WithSummary("The rolling list of low-carbon activities with their own emissions, neutralisation and social benefit");
        g.MapPost("/activities", AddEvent).WithSummary("Record a low-carbon activity with its activity data").ProducesValidationProblem();
        g.MapGet("/org", Org).WithSummary("Units and people with responsibilities and the KPIs each is accountable for");
        g.MapPut("/units", SetUnit).WithSummary("Add or change a unit").ProducesValidationProblem();
        g.MapPut("/people", SetPerson).WithSummary("Add or change a person").ProducesValidationProblem();
        g.MapGet("/people/{code}/alerts", PersonAlerts).WithSummary("A person's open and acknowledged alerts (of the KPIs they are accountable for) with counts").ProducesProblem(StatusCodes.Status404NotFound);
        g.MapPost("/people/{code}/token", IssuePersonToken).WithSummary("Issue a person's personal carbon account link (token shown once, stored hashed)");
        g.MapPost("/actions", ReportAction).WithSummary("Report a person's action of a day {person, kind, quantity, date}; one of a kind per day").ProducesProblem(StatusCodes.Status409Conflict);
        g.MapGet("/leaderboard", Leaderboard).WithSummary("Personal carbon accounts ranked by points");
        g.MapGet("/accounts/{code}", (string park, string code, ZeroParkStore store, CancellationToken ct) => store.Governance.AccountAsync(park, code, ct)).WithSummary("A person's account");

        // Without an account: the token is the credential (rate-limited like sign-in, see Web/Security.cs).
        var t = api.MapGroup("").WithTags("Token forms");
        t.MapGet("/supplier-form/{token}", SupplierForm).WithSummary("The supplier's own questionnaire (indicators and its answers)").ProducesProblem(StatusCodes.Status404NotFound);
        t.MapPut("/supplier-form/{token}", SubmitSupplierForm).WithSummary("Submit the supplier's answers {answers: {indicator: value}}").ProducesProblem(StatusCodes.Status404NotFound);
        t.MapGet("/carbon-account/{token}", PersonalAccount).WithSummary("The person's carbon account").ProducesProblem(StatusCodes.Status404NotFound);
        t.MapPost("/carbon-account/{token}/actions", SubmitAction).WithSummary("Report an action {kind, quantity}").ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> Footprints(string park, ZeroParkStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.SupplyChain.FootprintsAsync(park, ct)).Select(f => new { f.Footprint, grade = f.Grade.Grade, grade_reason = f.Grade.Reason }));

    private static async Task<IResult> ImportFootprints(string park, HttpRequest request, ZeroParkStore store, CancellationToken ct)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, ct);
        if (body.Length > RequestBody.MaxDecodedBytes) throw new ValidationException("body", "the file is larger than 64 MiB");
        body.Position = 0;
        var (rows, errors) = FootprintFiles.Parse(body, await store.SupplyChain.TodayAsync(park, ct));
        var r = await store.SupplyChain.ImportFootprintsAsync(park, rows, errors, UserAccess.Actor(request.HttpContext), ct);
        return TypedResults.Ok(new FootprintImportResponse(r.Accepted, r.Updated, r.Unchanged, r.Rejected.Select(e => new CarbonEndpoints.RowErrorView(e.Line, e.Reason)).ToList(), r.Regraded));
    }

    private static async Task<IResult> DeleteFootprint(string park, long id, HttpContext http, ZeroParkStore store, CancellationToken ct)
    {
        await store.SupplyChain.DeleteFootprintAsync(park, id, UserAccess.Actor(http), ct);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> Model(string park, HttpRequest request, bool? save, double? percent, ZeroParkStore store, CancellationToken ct)
    {
        using var reader = new StreamReader(request.Body);
        var input = FootprintModels.Parse(await reader.ReadToEndAsync(ct));
        var result = LcaCalculator.Compute(input.Model);
        var sens = LcaCalculator.Sensitivities(input.Model, percent ?? 10);
        long? id = save == true ? await FootprintModels.SaveAsync(store, park, input, UserAccess.Actor(request.HttpContext), ct) : null;
        return TypedResults.Ok(new { result, sensitivity = sens, saved_id = id });
    }

    private static async Task<IResult> AddSupplier(string park, SupplierRequest body, HttpContext http, ZeroParkStore store, CancellationToken ct)
    {
        var s = await store.SupplyChain.AddSupplierAsync(park, body.Name, body.Contact ?? "", UserAccess.Actor(http), ct);
        await store.SupplyChain.RegradeSuppliersAsync(park, [s.Name], "supplier added", ct);
        return TypedResults.Ok(s);
    }

    private static async Task<IResult> IssueSupplierToken(string park, string name, HttpContext http, ZeroParkStore store, CancellationToken ct)
    {
        var token = await store.SupplyChain.IssueTokenAsync(park, name, UserAccess.Actor(http), ct);
        return TypedResults.Ok(new { token, link = $"/supplier-form/{token}" });
    }

    private static async Task<IResult> SetAnswers(string park, string name, AnswersRequest body, HttpContext http, ZeroParkStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.SupplyChain.SetAnswersAsync(park, name, body.Answers ?? [], "api", UserAccess.Actor(http), ct));

    private static async Task<IResult> Grades(string park, [FromQuery] string? format, ZeroParkStore store, CancellationToken ct)
    {
        var grades = await store.SupplyChain.GradesAsync(park, ct);
        if (format is not "xlsx") return TypedResults.Ok(grades);
        var sheets = SupplyChainFiles.GradeReport(park, grades, await store.SupplyChain.IndicatorsAsync(park, ct), await store.SupplyChain.ThresholdsAsync(park, ct));
        return TypedResults.File(XlsxWriter.ToBytes(sheets), XlsxWriter.ContentType, $"{park}-supplier-grades.xlsx");
    }

    private static async Task<IResult> SetIndicator(string park, IndicatorRequest body, HttpContext http, ZeroParkStore store, CancellationToken ct)
    {
        await store.SupplyChain.SetIndicatorAsync(park, new Indicator(body.Code, body.Name ?? body.Code, body.Weight, body.Best, body.Worst, body.Unit ?? ""), UserAccess.Actor(http), ct);
        return TypedResults.Ok(await store.SupplyChain.IndicatorsAsync(park, ct));
    }

    private static async Task<IResult> SetThresholds(string park, ThresholdsRequest body, HttpContext http, ZeroParkStore store, CancellationToken ct)
    {
        await store.SupplyChain.SetThresholdsAsync(park, new GradeThresholds(body.Excellent, body.Good, body.Pass), UserAccess.Actor(http), ct);
        return TypedResults.Ok(await store.SupplyChain.GradesAsync(park, ct));
    }

    private static async Task<IResult> Events(string park, [FromQuery(Name = "from")] string? from, [FromQuery(Name = "to")] string? to, ZeroParkStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.Governance.EventsAsync(park, from is null ? null : Query.Date(from, "from"), to is null ? null : Query.Date(to, "to"), ct));

    private static async Task<IResult> AddEvent(string park, EventRequest body, HttpContext http, ZeroParkStore store, CancellationToken ct)
    {
        var date = body.Date ?? await store.SupplyChain.TodayAsync(park, ct);
        var id = await store.Governance.AddEventAsync(park, new EventDraft(date, body.Kind, body.Title, body.Participants ?? 0, body.Activity ?? [], body.Neutralisation ?? "",
            body.Instruments ?? "", body.NeutralisedT ?? 0, body.SocialBenefit ?? ""), UserAccess.Actor(http), ct);
        return TypedResults.Ok((await store.Governance.EventsAsync(park, date, date, ct)).First(e => e.Id == id));
    }

    private static async Task<IResult> Org(string park, ZeroParkStore store, CancellationToken ct) =>
        TypedResults.Ok(new
        {
            units = await store.Governance.UnitsAsync(park, ct), people = await store.Governance.PeopleAsync(park, ct), targets = await store.Governance.AccountableTargetsAsync(park, ct),
            alerts = (await store.Governance.AlertCountsAsync(park, ct)).ToDictionary(x => x.Key, x => new { open = x.Value.Open, acknowledged = x.Value.Acknowledged }),
        });

    private static async Task<IResult> PersonAlerts(string park, string code, ZeroParkStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.Governance.PersonAlertsAsync(park, code, ct));

    private static async Task<IResult> SetUnit(string park, UnitRequest body, HttpContext http, ZeroParkStore store, CancellationToken ct)
    {
        await store.Governance.SetUnitAsync(park, new OrgUnit(body.Code, body.Name, body.Parent), UserAccess.Actor(http), ct);
        return await Org(park, store, ct);
    }

    private static async Task<IResult> SetPerson(string park, PersonRequest body, HttpContext http, ZeroParkStore store, CancellationToken ct)
    {
        await store.Governance.SetPersonAsync(park, new Person(body.Code, body.Name, body.Unit, body.Role ?? "", body.Responsibilities ?? "", body.Kpis ?? [], false, body.Email), UserAccess.Actor(http), ct);
        return await Org(park, store, ct);
    }

    private static async Task<IResult> IssuePersonToken(string park, string code, HttpContext http, ZeroParkStore store, CancellationToken ct)
    {
        var token = await store.Governance.IssueTokenAsync(park, code, UserAccess.Actor(http), ct);
        return TypedResults.Ok(new { token, link = $"/carbon-account/{token}" });
    }

    private static async Task<IResult> ReportAction(string park, ActionRequest body, ZeroParkStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.Governance.ReportAsync(park, body.Person ?? throw new ValidationException("person", "person is required"), body.Date, body.Kind, body.Quantity, ct));

    private static async Task<IResult> Leaderboard(string park, [FromQuery(Name = "from")] string? from, [FromQuery(Name = "to")] string? to, ZeroParkStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.Governance.LeaderboardAsync(park, from is null ? null : Query.Date(from, "from"), to is null ? null : Query.Date(to, "to"), ct));

    private static async Task<IResult> SupplierForm(string token, ZeroParkStore store, CancellationToken ct)
    {
        if (await store.SupplyChain.SupplierByTokenAsync(token, ct) is not { } who) return NotFound();
        var grades = await store.SupplyChain.GradesAsync(who.Park, ct);
        return TypedResults.Ok(new
        {
            supplier = who.Supplier,
            indicators = (await store.SupplyChain.IndicatorsAsync(who.Park, ct)).Where(i => i.Code != SupplierGrading.VerifiedFootprints),
            answers = await store.SupplyChain.AnswersAsync(who.Park, who.Supplier, ct),
            grade = grades.FirstOrDefault(g => g.Supplier == who.Supplier),
        });
    }

    private static async Task<IResult> SubmitSupplierForm(string token, AnswersRequest body, ZeroParkStore store, CancellationToken ct)
    {
        if (await store.SupplyChain.SupplierByTokenAsync(token, ct) is not { } who) return NotFound();
        return TypedResults.Ok(await store.SupplyChain.SetAnswersAsync(who.Park, who.Supplier, body.Answers ?? [], "form", "supplier:" + who.Supplier, ct));
    }

    private static async Task<IResult> PersonalAccount(string token, ZeroParkStore store, CancellationToken ct)
    {
        if (await store.Governance.PersonByTokenAsync(token, ct) is not { } who) return NotFound();
        return TypedResults.Ok(await store.Governance.AccountAsync(who.Park, who.Person, ct));
    }

    private static async Task<IResult> SubmitAction(string token, ActionRequest body, ZeroParkStore store, CancellationToken ct)
    {
        if (await store.Governance.PersonByTokenAsync(token, ct) is not { } who) return NotFound();
        return TypedResults.Ok(await store.Governance.ReportAsync(who.Park, who.Person, body.Date, body.Kind, body.Quantity, ct));
    }

    private static ProblemHttpResult NotFound() => TypedResults.Problem("this link is not valid (any more); ask the park for a new one", statusCode: StatusCodes.Status404NotFound, title: "Not found");
}
