using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ZeroPark.Domain;
using ZeroPark.Application;

using ZeroPark.Server.Web;

namespace ZeroPark.Server.Endpoints;

/// <summary>Reference data (system taxonomy, codes) and the registry: parks, spaces, meters, API keys.
/// Every route needs a signed-in user (<see cref="UserAccess"/>); changes are audited with that user's name.</summary>
internal static class RegistryEndpoints
{
    public static void MapReferenceEndpoints(this IEndpointRouteBuilder api)
    {
        var g = api.MapGroup("").WithTags("Reference");
        g.MapGet("/systems", Systems)
            .WithSummary("The system taxonomy (code, parent, Chinese and English names)");
        g.MapGet("/codes", AcceptedCodes)
            .WithSummary("Codes accepted by the API: carriers, meter kinds, roles, climate zones, space levels, granularities");
    }

    private static Ok<List<SystemView>> Systems() =>
        TypedResults.Ok(SystemTaxonomy.All.Select(n => new SystemView(n.Code, n.ParentCode, n.NameZh, n.NameEn)).ToList());

    private static Ok<CodesView> AcceptedCodes() =>
        TypedResults.Ok(new CodesView(
            Codes.Carriers.Select(Codes.Of).ToList(),
            Enum.GetValues<MeterKind>().Select(Codes.Of).ToList(),
            Codes.Roles.Select(Codes.Of).ToList(),
            Codes.Carriers.ToDictionary(Codes.Of, MeterUnits.CanonicalUnit),
            Enum.GetValues<ClimateZone>().Select(Park.ClimateZoneCode).ToList(),
            Enum.GetValues<SpaceLevel>().Select(Space.LevelCode).ToList(),
            ["15min", "hour", "day", "month", "year"]));

    public static void MapRegistryEndpoints(this IEndpointRouteBuilder api)
    {
        var parks = api.MapGroup("/parks").WithTags("Registry");
        MapParks(parks);
        var inPark = parks.MapGroup("/{park}");
        MapSpaces(inPark);
        MapMeters(inPark);
        MapApiKeys(inPark);
    }

    private static void MapParks(RouteGroupBuilder parks)
    {
        parks.MapGet("", ListParks)
            .WithSummary("List the parks the signed-in user sees");

        parks.MapPost("", CreatePark)
            .Accepts<ParkDto>("application/json")
            .WithSummary("Create a park")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);

        parks.MapGet("/{park}", GetPark)
            .WithSummary("Get a park")
            .ProducesProblem(StatusCodes.Status404NotFound);

        parks.MapPut("/{park}", UpdatePark)
            .Accepts<ParkDto>("application/json")
            .WithSummary("Update a park")
            .WithDescription("Properties left out keep their current value; properties set to null are cleared. The time zone cannot change once the park has readings (409).")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static void MapSpaces(RouteGroupBuilder inPark)
    {
        inPark.MapGet("/spaces", ListSpaces)
            .WithSummary("List the park's spaces (buildings, floors, rooms, racks)")
            .ProducesProblem(StatusCodes.Status404NotFound);

        inPark.MapPost("/spaces", CreateSpace)
            .Accepts<SpaceDto>("application/json")
            .WithSummary("Create a space (parent null = a building)")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        inPark.MapGet("/spaces/{code}", GetSpace)
            .WithSummary("Get a space")
            .ProducesProblem(StatusCodes.Status404NotFound);

        inPark.MapDelete("/spaces/{code}", DeleteSpace)
            .WithSummary("Delete a space without children or meters")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static void MapMeters(RouteGroupBuilder inPark)
    {
        inPark.MapGet("/meters", ListMeters)
            .WithSummary("List the park's meters")
            .ProducesProblem(StatusCodes.Status404NotFound);

        inPark.MapPost("/meters", CreateMeters)
            .Accepts<MeterDto>("application/json")
            .WithSummary("Create a meter, or several (all or nothing) from an array")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        inPark.MapGet("/meters/{code}", GetMeter)
            .WithSummary("Get a meter")
            .ProducesProblem(StatusCodes.Status404NotFound);

        inPark.MapPut("/meters/{code}", UpdateMeter)
            .Accepts<MeterDto>("application/json")
            .WithSummary("Update a meter")
            .WithDescription("Properties left out keep their current value; properties set to null are cleared. Unit, multiplier, kind, carrier and interval are fixed once the meter has readings (409).")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        inPark.MapDelete("/meters/{code}", DeleteMeter)
            .WithSummary("Delete a meter without readings")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        inPark.MapPost("/meters/{code}/replacement", ReplaceMeter)
            .Accepts<ReplacementRequest>("application/json")
            .WithSummary("Record a meter replacement (old final and new initial register values); audited as the signed-in user")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        inPark.MapPost("/meters/{code}/void", VoidReadings)
            .Accepts<VoidRequest>("application/json")
            .WithSummary("Void a meter's readings (one instant 'at', or 'from'..'to' inclusive) with a reason: they no longer count anywhere; later deltas and rollups are recomputed; audited")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        inPark.MapPost("/recompute", Recompute)
            .WithSummary("Recompute stored readings (one ?meter= or all physical meters) under the current rules: deltas, flags, rollups, suspected resets; audited; administrators only")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        inPark.MapGet("/reset-suspects", ResetSuspects)
            .WithSummary("Suspected resets awaiting confirmation: cumulative registers that dropped (no rollover, no recorded replacement)")
            .WithDescription("Each: meter, time, the value the register dropped to and the last valid value before it (within 7 days). The drop's energy is not counted until confirmed; later readings count from the new value.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        inPark.MapPost("/meters/{code}/reset-confirmation", ConfirmReset)
            .Accepts<ResetConfirmationRequest>("application/json")
            .WithSummary("Confirm a suspected reset as reset (counted from zero), replacement (old_final: the old register's final value; default the previous reading) or bad_reading; audited as the signed-in user")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        inPark.MapPost("/meters/{code}/fill-gaps", FillGaps)
            .WithSummary("Fill gaps of a meter with linearly interpolated, estimated readings (local dates, inclusive); audited as the signed-in user")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static void MapApiKeys(RouteGroupBuilder inPark)
    {
        inPark.MapPost("/api-keys", CreateApiKey)
            .Accepts<ApiKeyRequest>("application/json")
            .WithSummary("Create a gateway API key for the park; the key is returned only once")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        inPark.MapGet("/api-keys", ListApiKeys)
            .WithSummary("The park's gateway API keys: id, name, creation time (the keys themselves are never stored)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        inPark.MapDelete("/api-keys/{id:long}", RevokeApiKey)
            .WithSummary("Revoke a gateway API key: requests with it get 401 from then on; audited as the signed-in user")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Ok<List<ParkDto>>> ListParks(HttpContext http, ZeroParkStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.Registry.ListParksAsync(ct)).Where(p => http.CurrentUser()!.CanSee(p.Code)).Select(ParkDto.From).ToList());

    private static async Task<Created<ParkDto>> CreatePark(HttpRequest request, ZeroParkStore store, ApiJson json, CancellationToken ct)
    {
        var body = await json.ReadAsync<ParkDto>(request, ct);
        var park = await store.Registry.CreateParkAsync(body.ToDraft(body.Code ?? ""), UserAccess.Actor(request.HttpContext), ct);
        return TypedResults.Created($"/api/parks/{park.Code}", ParkDto.From(park));
    }

    private static async Task<Ok<ParkDto>> GetPark(string park, ZeroParkStore store, CancellationToken ct) =>
        TypedResults.Ok(ParkDto.From(await store.Registry.GetParkAsync(park, ct)));

    private static async Task<Ok<ParkDto>> UpdatePark(string park, HttpRequest request, ZeroParkStore store, ApiJson json, CancellationToken ct)
    {
        var current = ParkDto.From(await store.Registry.GetParkAsync(park, ct));
        var body = await json.ReadMergedAsync(request, current, ct);
        if (body.Code != park) throw new ValidationException("code", "the code of a park cannot change");
        return TypedResults.Ok(ParkDto.From(await store.Registry.UpdateParkAsync(park, body.ToDraft(park), UserAccess.Actor(request.HttpContext), ct)));
    }

    private static async Task<Ok<List<SpaceDto>>> ListSpaces(string park, ZeroParkStore store, CancellationToken ct)
    {
        var reg = await store.Registry.GetRegistryAsync(park, ct);
        return TypedResults.Ok((await store.Registry.ListSpacesAsync(park, ct)).Select(s => SpaceDto.From(s, reg)).ToList());
    }

    private static async Task<Created<SpaceDto>> CreateSpace(string park, HttpRequest request, ZeroParkStore store, ApiJson json,
        CancellationToken ct)
    {
        var body = await json.ReadAsync<SpaceDto>(request, ct);
        var space = await store.Registry.CreateSpaceAsync(park, new SpaceDraft(body.Code ?? "", body.Name ?? "", body.Parent, body.Level), UserAccess.Actor(request.HttpContext), ct);
        var reg = await store.Registry.GetRegistryAsync(park, ct);
        return TypedResults.Created($"/api/parks/{park}/spaces/{space.Code}", SpaceDto.From(space, reg));
    }

    private static async Task<Ok<SpaceDto>> GetSpace(string park, string code, ZeroParkStore store, CancellationToken ct)
    {
        var reg = await store.Registry.GetRegistryAsync(park, ct);
        return reg.SpacesByCode.TryGetValue(code, out var s)
            ? TypedResults.Ok(SpaceDto.From(s, reg))
            : throw new NotFoundException($"space '{code}' not found in park '{park}'");
    }

    private static async Task<NoContent> DeleteSpace(string park, string code, HttpContext http, ZeroParkStore store, CancellationToken ct)
    {
        await store.Registry.DeleteSpaceAsync(park, code, UserAccess.Actor(http), ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<List<MeterView>>> ListMeters(string park, ZeroParkStore store, CancellationToken ct)
    {
        var reg = await store.Registry.GetRegistryAsync(park, ct);
        return TypedResults.Ok(reg.MetersByCode.Values.OrderBy(m => m.Code, StringComparer.Ordinal).Select(m => MeterView.From(m, reg)).ToList());
    }

    private static async Task<Results<Created<MeterView>, Created<List<MeterView>>>> CreateMeters(string park, HttpRequest request,
        ZeroParkStore store, ApiJson json, CancellationToken ct)
    {
        var node = await ApiJson.ReadNodeAsync(request, ct);
        var many = node is JsonArray;
        List<MeterDto> bodies = node switch
        {
            JsonArray => json.Convert<List<MeterDto>>(node),
            JsonObject => [json.Convert<MeterDto>(node)],
            _ => throw new ValidationException("body", "expected a meter object or an array of meters"),
        };
        if (bodies.Count == 0) throw new ValidationException("body", "the array holds no meters");
        if (bodies.IndexOf(null!) is var missing and >= 0) throw new ValidationException($"[{missing}]", "expected a meter object, got null");
        var meters = await store.Registry.CreateMetersAsync(park, bodies.Select(b => b.ToDraft(b.Code ?? "")).ToList(), UserAccess.Actor(request.HttpContext), ct);
        var reg = await store.Registry.GetRegistryAsync(park, ct);
        var views = meters.Select(m => MeterView.From(m, reg)).ToList();
        return many
            ? TypedResults.Created($"/api/parks/{park}/meters", views)
            : TypedResults.Created($"/api/parks/{park}/meters/{views[0].Code}", views[0]);
    }

    private static async Task<Ok<MeterView>> GetMeter(string park, string code, ZeroParkStore store, CancellationToken ct)
    {
        var reg = await store.Registry.GetRegistryAsync(park, ct);
        return TypedResults.Ok(MeterView.From(reg.Meter(code), reg));
    }

    private static async Task<Ok<MeterView>> UpdateMeter(string park, string code, HttpRequest request, ZeroParkStore store,
        ApiJson json, CancellationToken ct)
    {
        var reg = await store.Registry.GetRegistryAsync(park, ct);
        var current = MeterDto.From(reg.Meter(code), reg);
        var body = await json.ReadMergedAsync(request, current, ct);
        if (body.Code != code) throw new ValidationException("code", "the code of a meter cannot change");
        var meter = await store.Registry.UpdateMeterAsync(park, code, body.ToDraft(code), UserAccess.Actor(request.HttpContext), ct);
        return TypedResults.Ok(MeterView.From(meter, await store.Registry.GetRegistryAsync(park, ct)));
    }

    private static async Task<NoContent> DeleteMeter(string park, string code, HttpContext http, ZeroParkStore store, CancellationToken ct)
    {
        await store.Registry.DeleteMeterAsync(park, code, UserAccess.Actor(http), ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<IngestResponse>> ReplaceMeter(string park, string code, HttpRequest request, ZeroParkStore store,
        ApiJson json, CancellationToken ct)
    {
        var body = await json.ReadAsync<ReplacementRequest>(request, ct);
        var at = Query.Instant(body.At, "at");
        if (body.OldFinal is not { } oldFinal) throw new ValidationException("old_final", "'old_final' is required: the old register's final value");
        if (body.NewInitial is not { } newInitial) throw new ValidationException("new_initial", "'new_initial' is required: the new register's initial value");
        // Audited as the signed-in user: the body has no "user" (an unknown property is a 400).
        var summary = await store.Readings.ReplaceMeterAsync(park, code, at, oldFinal, newInitial, UserAccess.Actor(request.HttpContext), body.Reason, ct);
        if (summary.Rejected.Count > 0) throw new ValidationException("new_initial", summary.Rejected[0].Reason);
        return TypedResults.Ok(IngestResponse.From(summary, points: false));
    }

    private static async Task<Ok<VoidResult>> VoidReadings(string park, string code, HttpRequest request, ZeroParkStore store,
        ApiJson json, CancellationToken ct)
    {
        var body = await json.ReadAsync<VoidRequest>(request, ct);
        DateTimeOffset from, to;
        if (body.At is not null)
        {
            if (body.From is not null || body.To is not null) throw new ValidationException("at", "give either 'at' (one reading) or 'from' and 'to' (a range), not both");
            from = to = Query.Instant(body.At, "at");
        }
        else
        {
            from = Query.Instant(body.From, "from");
            to = Query.Instant(body.To, "to");
        }
        // Audited as the signed-in user, with the reason.
        return TypedResults.Ok(await store.Readings.VoidReadingsAsync(park, code, from, to, UserAccess.Actor(request.HttpContext), body.Reason ?? "", ct));
    }

    private static async Task<Ok<IReadOnlyList<RecomputeResult>>> Recompute(string park, [FromQuery] string? meter, HttpRequest request,
        ZeroParkStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.Readings.RecomputeReadingsAsync(park, string.IsNullOrWhiteSpace(meter) ? null : meter, UserAccess.Actor(request.HttpContext), ct));

    private static async Task<Ok<IReadOnlyList<ResetSuspect>>> ResetSuspects(string park, [FromQuery] string? meter, ZeroParkStore store,
        CancellationToken ct) =>
        TypedResults.Ok(await store.Readings.ResetSuspectsAsync(park, string.IsNullOrWhiteSpace(meter) ? null : meter.Trim(), ct));

    private static async Task<NoContent> ConfirmReset(string park, string code, HttpRequest request, ZeroParkStore store,
        ApiJson json, CancellationToken ct)
    {
        var body = await json.ReadAsync<ResetConfirmationRequest>(request, ct);
        var at = Query.Instant(body.At, "at");
        var resolution = Application.Readings.ReadingStore.ParseResolution(body.Resolution);
        await store.Readings.ConfirmResetAsync(park, code, at, resolution, body.OldFinal, UserAccess.Actor(request.HttpContext), body.Reason, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<IngestResponse>> FillGaps(string park, string code, [FromQuery(Name = "from")] string? fromDate,
        [FromQuery(Name = "to")] string? toDate, HttpContext http, ZeroParkStore store, CancellationToken ct)
    {
        if (http.Request.Query.ContainsKey("user"))
            throw new ValidationException("user", "'user' is not accepted: the audit log records the signed-in user");
        var from = Query.Date(fromDate, "from");
        var to = Query.Date(toDate, "to");
        var summary = await store.Readings.FillGapsAsync(park, code, from, to, UserAccess.Actor(http), ct);
        return TypedResults.Ok(IngestResponse.From(summary, points: false));
    }

    private static async Task<Created<ApiKeyCreated>> CreateApiKey(string park, HttpRequest request, ZeroParkStore store,
        ApiJson json, CancellationToken ct)
    {
        var body = await json.ReadAsync<ApiKeyRequest>(request, ct);
        if (string.IsNullOrWhiteSpace(body.Name)) throw new ValidationException("name", "'name' is required (e.g. the gateway it is for)");
        var name = body.Name.Trim();
        var key = await store.ApiKeys.CreateApiKeyAsync(park, name, UserAccess.Actor(request.HttpContext), ct);
        return TypedResults.Created((string?)null, new ApiKeyCreated(park, name, key));
    }

    private static async Task<Ok<List<ApiKeyView>>> ListApiKeys(string park, ZeroParkStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.ApiKeys.ListApiKeysAsync(park, ct)).Select(k => new ApiKeyView(k.Id, k.Name, k.CreatedAt)).ToList());

    private static async Task<NoContent> RevokeApiKey(string park, long id, HttpContext http, ZeroParkStore store, CancellationToken ct)
    {
        await store.ApiKeys.RevokeApiKeyAsync(park, id, UserAccess.Actor(http), ct);
        return TypedResults.NoContent();
    }
}
