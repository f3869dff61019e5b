using Microsoft.AspNetCore.Mvc;
using ZeroPark.Application;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>
/// A data page whose forms each make one change through the store (the collection pages): the posted fields are kept in
/// <see cref="Form"/> so that a refused form shows what was typed, a store error is shown under its field (<see cref="DataPageModel.Show"/>),
/// a change that succeeded clears the form and shows its message, and the page reloads what it lists either way.
/// </summary>
public abstract class FormPageModel(ZeroParkStore store) : DataPageModel(store)
{
    /// <summary>The posted values of the form being handled, by field.</summary>
    public Dictionary<string, string?> Form { get; } = new(StringComparer.Ordinal);

    public string? V(string field) => Form.TryGetValue(field, out var v) ? v : null;

    /// <summary>Loads what the page lists (after a GET and after every POST).</summary>
    protected abstract Task FillAsync(CancellationToken ct);

    /// <summary>Handles a POST: 404 for an unknown park, 403 without the registry right, then <paramref name="change"/> (whose
    /// result is the message shown) unless a field is already invalid.</summary>
    protected async Task<IActionResult> EditAsync(string park, string[] fields, Func<Task<string>> change, CancellationToken ct)
    {
        if (!await LoadAsync(park, ct)) return NotFound();
        if (!CanEditRegistry) return Forbidden();
        foreach (var f in fields) Form[f] = Request.Form[f].ToString().Trim();
        if (Errors.Count == 0)
        {
            try
            {
                Message = await change();
                Form.Clear();
            }
            catch (Exception e) when (e is ValidationException or ConflictException or NotFoundException)
            {
                Show(e);
            }
        }
        await FillAsync(ct);
        return Page();
    }

    /// <summary>Inside a change: stops it with the first field found invalid while reading the form.</summary>
    protected void ThrowIfInvalid()
    {
        if (Errors.Count > 0) { var (f, m) = Errors.First(); throw new ValidationException(f, m); }
    }
}
