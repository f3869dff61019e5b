using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using ZeroPark.Domain;
using ZeroPark.Server.Endpoints;
using ZeroPark.Application;
using ZeroPark.Server.Web;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>
/// The base of the data-management pages (registry, meters, import, manual entry): the park if granted (else 404), the role
/// rights of the REST API (<see cref="UserAccess.Allows"/>; every POST handler checks them again, so a forged form is refused with
/// 403 whatever the page showed), and validation messages per form field. Changes go through the store with the signed-in user's
/// name, so the audit log records who made them.
/// </summary>
public abstract class DataPageModel(ZeroParkStore store) : ZpPageModel(store)
{
    /// <summary>Administrators and energy managers edit the registry (parks, spaces, meters).</summary>
    public bool CanEditRegistry => UserAccess.Allows(Me.Role, UserAccess.Access.RegistryWrite);

    /// <summary>Administrators, energy managers and data-entry operators import files, enter and correct readings, record
    /// replacements and fill gaps.</summary>
    public bool CanEnterData => UserAccess.Allows(Me.Role, UserAccess.Access.DataWrite);

    public ParkRegistry Registry { get; private set; } = null!;

    /// <summary>Validation messages by form field (the field's name as the API names it).</summary>
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public string? Message { get; protected set; }
    public string? ErrorMessage { get; protected set; }

    public Park Park => CurrentPark!;

    /// <summary>Loads the park and its registry; false when the park is unknown or not granted (answer 404).</summary>
    protected async Task<bool> LoadAsync(string park, CancellationToken ct)
    {
        CurrentPark = await ParkIfVisibleAsync(park, ct);
        if (CurrentPark is null) return false;
        Registry = await Store.Registry.GetRegistryAsync(park, ct);
        CurrentPark = Registry.Park;
        return true;
    }

    protected IActionResult Forbidden() => StatusCode(StatusCodes.Status403Forbidden);

    /// <summary>Shows a store error on the form: a validation error under its field (and at the top), a conflict or a missing
    /// object at the top. The answer keeps the API's status (400, 404, 409).</summary>
    protected void Show(Exception e)
    {
        switch (e)
        {
            case ValidationException v:
                Errors[v.Field] = UiText.M(v.Message);
                ErrorMessage = T("dm.invalid", FieldLabel(v.Field), UiText.M(v.Message));
                Response.StatusCode = StatusCodes.Status400BadRequest;
                break;
            case ConflictException:
                ErrorMessage = UiText.M(e.Message);
                Response.StatusCode = StatusCodes.Status409Conflict;
                break;
            default:
                ErrorMessage = UiText.M(e.Message);
                Response.StatusCode = StatusCodes.Status404NotFound;
                break;
        }
    }

    /// <summary>A page-level validation message for <paramref name="field"/> (answers 400).</summary>
    protected void Invalid(string field, string message)
    {
        Errors[field] = message;
        ErrorMessage ??= T("dm.invalid", FieldLabel(field), message);
        Response.StatusCode = StatusCodes.Status400BadRequest;
    }

    public static string FieldLabel(string field) => TOr("dm.f." + field, field);

    public string? ErrorOf(string field) => Errors.TryGetValue(field, out var e) ? e : null;

    /// <summary>An optional number typed in a form (the browser sends number inputs with a decimal point); null when empty.</summary>
    protected double? Number(string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)) return v;
        Invalid(field, T("dm.notnumber", text.Trim()));
        return null;
    }

    protected int? Integer(string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)) return v;
        Invalid(field, T("dm.notinteger", text.Trim()));
        return null;
    }

    protected DateOnly? Day(string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
        Invalid(field, T("dm.notdate", text.Trim()));
        return null;
    }

    /// <summary>A park-local date and time typed in a <c>datetime-local</c> input (<c>yyyy-MM-ddTHH:mm[:ss]</c>), as an instant.</summary>
    protected DateTimeOffset? LocalInstant(string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            Invalid(field, T("dm.required"));
            return null;
        }
        if (!System.DateTime.TryParseExact(text.Trim(), ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss"], CultureInfo.InvariantCulture,
                DateTimeStyles.None, out var local))
        {
            Invalid(field, T("dm.notdatetime", text.Trim()));
            return null;
        }
        return Park.Clock.ToLocalOffset(Park.Clock.ToInstant(local));
    }

    /// <summary>An instant as the value of a <c>datetime-local</c> input, in the park's local time.</summary>
    public string LocalInput(DateTimeOffset t) => Park.Clock.ToLocal(t.ToUnixTimeSeconds()).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);

    /// <summary>An instant in the park's local time with its offset.</summary>
    public string Local(DateTimeOffset t) => UiText.DateTime(Park.Clock.ToLocalOffset(t.ToUnixTimeSeconds()));

    /// <summary>A register value with its unit, as the culture writes numbers.</summary>
    public static string Reading(double v, string unit) => v.ToString("#,##0.###", CultureInfo.CurrentCulture) + " " + unit;

    public string SpaceName(SpaceId? id) => id is { } s && Registry.SpacesById.TryGetValue(s.Value, out var space) ? space.Name : "—";

    public string? SpaceCode(SpaceId? id) => id is { } s && Registry.SpacesById.TryGetValue(s.Value, out var space) ? space.Code : null;

    public static string SystemName(string? code) =>
        code is null ? "—" : SystemTaxonomy.IsKnown(code) ? (IsChinese ? SystemTaxonomy.Get(code).NameZh : SystemTaxonomy.Get(code).NameEn) : code;
}
