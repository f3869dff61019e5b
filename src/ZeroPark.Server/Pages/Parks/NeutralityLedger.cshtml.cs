using Microsoft.AspNetCore.Mvc;
using ZeroPark.Application;
using ZeroPark.Application.Neutrality;
using ZeroPark.Metering;
using ZeroPark.Neutrality;
using static ZeroPark.Server.Web.UiText;

namespace ZeroPark.Server.Pages.Parks;

/// <summary>The instruments ledger: every instrument with its state, claims and evidence; import (CSV/XLSX), add, allocate, retire,
/// upload evidence; price lists and the value of the holdings. Same store calls and guards as the API and CLI.</summary>
public sealed class NeutralityLedgerModel(ZeroParkStore store) : NeutralityPageModel(store)
{
    public IReadOnlyList<LedgerInstrument> Ledger { get; private set; } = [];
    public HoldingsValue? Holdings { get; private set; }
    public LedgerImportResult? Imported { get; private set; }
    public static readonly string[] AddFields = ["kind", "quantity", "unit", "serial_from", "serial_to", "vintage", "claim_from", "claim_to", "expires", "unit_price_cny", "reference", "target"];
    public static readonly string[] ClaimFields = ["instrument", "target", "from", "to", "quantity"];

    public async Task<IActionResult> OnGetAsync(string park, CancellationToken ct)
    {
        if (!await LoadAsync(park, ct)) return NotFound();
        await LoadLedgerAsync(ct);
        return Page();
    }

    private async Task LoadLedgerAsync(CancellationToken ct)
    {
        Ledger = await Store.Neutrality.InstrumentsAsync(Park.Code, null, ct);
        Holdings = await Store.Neutrality.HoldingsAsync(Park.Code, await AsOfAsync(Park.Code, ct), ct);
    }

    private async Task<IActionResult> Run(string park, Func<Task> action, CancellationToken ct)
    {
        if (!await LoadAsync(park, ct)) return NotFound();
        if (!CanEditLedger) return Forbidden();
        try { await action(); }
        catch (Exception e) when (e is ValidationException or ConflictException or NotFoundException) { Show(e); }
        await LoadLedgerAsync(ct);
        return Page();
    }

    public Task<IActionResult> OnPostImportAsync(string park, IFormFile? file, CancellationToken ct) => Run(park, async () =>
    {
        if (file is null || file.Length == 0) { Invalid("file", T("imp.nofile")); return; }
        await using var s = file.OpenReadStream();
        var (rows, errors) = LedgerCsv.Parse(s);
        Imported = await Store.Neutrality.ImportAsync(park, rows, errors, Me.Name, ct);
        Message = T("nz.imported", Imported.Accepted, Imported.Rejected.Count);
        if (Imported.Accepted == 0 && Imported.Rejected.Count > 0) Response.StatusCode = StatusCodes.Status400BadRequest;
    }, ct);

    public Task<IActionResult> OnPostPricesAsync(string park, IFormFile? file, CancellationToken ct) => Run(park, async () =>
    {
        if (file is null || file.Length == 0) { Invalid("file", T("imp.nofile")); return; }
        await using var s = file.OpenReadStream();
        var (rows, errors) = LedgerCsv.ParsePrices(s);
        Imported = await Store.Neutrality.ImportPricesAsync(park, rows, errors, Me.Name, ct);
        Message = T("nz.imported", Imported.Accepted, Imported.Rejected.Count);
    }, ct);

    public Task<IActionResult> OnPostAddAsync(string park, CancellationToken ct) => Run(park, async () =>
    {
        Keep(AddFields);
        var kind = OffsetKinds.TryParse(V("kind"));
        if (kind is null) { Invalid("kind", M($"kind: '{V("kind")}' is unknown (expected {OffsetKinds.Expected})")); return; }
        if (Num(V("quantity")) is not { } q) { Invalid("quantity", T("nz.err.number")); return; }
        var (quantity, unitError) = OffsetKinds.ToLedgerUnit(kind.Value, q, V("unit"));
        if (unitError is not null) { Invalid("unit", M(unitError)); return; }
        DateOnly? cf = Day(V("claim_from")), cto = Day(V("claim_to"));
        if (V("claim_from").Length > 0 && cf is null) { Invalid("claim_from", T("nz.err.date")); return; }
        if (V("claim_to").Length > 0 && cto is null) { Invalid("claim_to", T("nz.err.date")); return; }
        if ((cf is null) != (cto is null)) { Invalid("claim_to", T("nz.err.claim")); return; }
        var i = await Store.Neutrality.AddInstrumentAsync(park, new LedgerDraft
        {
            Kind = kind.Value, Quantity = quantity!.Value, SerialFrom = V("serial_from"), SerialTo = V("serial_to"), Vintage = int.TryParse(V("vintage"), out var y) ? y : null,
            Expires = Day(V("expires")), UnitPriceCny = Num(V("unit_price_cny")), Reference = V("reference"),
            Claim = cf is { } a && cto is { } b ? new ClaimDraft(V("target") is { Length: > 0 } t ? t : null, a, b) : null,
        }, Me.Name, ct);
        Message = T("nz.added", i.Label);
        Form.Clear();
    }, ct);

    public Task<IActionResult> OnPostClaimAsync(string park, bool retire, CancellationToken ct) => Run(park, async () =>
    {
        Keep(ClaimFields);
        if (!long.TryParse(V("instrument"), out var id)) { Invalid("instrument", T("nz.err.instrument")); return; }
        if (Day(V("from")) is not { } a) { Invalid("from", T("nz.err.date")); return; }
        if (Day(V("to")) is not { } b) { Invalid("to", T("nz.err.date")); return; }
        var c = await Store.Neutrality.ClaimAsync(park, id, new ClaimDraft(V("target") is { Length: > 0 } t ? t : null, a, b, Num(V("quantity")), null, retire), Me.Name, ct);
        Message = T("nz.claimed", c.Id, N(c.Quantity), c.Target, TOr("nz.state." + c.State, c.State));
    }, ct);

    public Task<IActionResult> OnPostRetireAsync(string park, long claim, CancellationToken ct) => Run(park, async () =>
    {
        var c = await Store.Neutrality.RetireAsync(park, claim, Me.Name, ct);
        Message = T("nz.retired", c.Id);
    }, ct);

    public Task<IActionResult> OnPostEvidenceAsync(string park, long id, IFormFile? file, CancellationToken ct) => Run(park, async () =>
    {
        if (file is null || file.Length == 0) { Invalid("file", T("imp.nofile")); return; }
        if (file.Length > NeutralityStore.MaxEvidenceBytes) { Invalid("file", M($"'{file.FileName}' is {file.Length} bytes; at most {NeutralityStore.MaxEvidenceBytes} are stored")); return; }
        using var ms = new MemoryStream();
        await file.CopyToAsync(ms, ct);
        var e = await Store.Neutrality.AddEvidenceAsync(park, id, file.FileName, file.ContentType, ms.ToArray(), Me.Name, ct);
        Message = T("nz.evidence.added", e.FileName);
    }, ct);
}
