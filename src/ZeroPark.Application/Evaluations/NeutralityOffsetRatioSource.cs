using ZeroPark.Application.Neutrality;
using ZeroPark.Evaluations;

namespace ZeroPark.Application.Evaluations;

/// <summary>T/CA305's S_DC from the neutrality module (<see cref="NeutralityService.ComputeAsync"/>: retired claims of the
/// instruments ledger weighted by 附表F, the non-scope-1 cap, C_yw from the carbon inventory). A park whose ledger has no offset
/// claims for the period answers "unknown" (null), so a ratio declared with evidence still counts; otherwise the ledger is the
/// record and the scope-1 rule is reported with it.</summary>
public sealed class NeutralityOffsetRatioSource(NeutralityService neutrality) : IOffsetRatioSource
{
    public async Task<OffsetRatioFact?> OffsetRatioAsync(string parkCode, DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        var r = await neutrality.ComputeAsync(parkCode, from, to, ct: ct);
        if (r.ByInstrument.Count == 0 || r.Tca305OffsetRatio is not { } ratio) return null;
        var notes = new List<string>
        {
            string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"S_DC from the neutrality ledger: weighted offsets {r.Tca305WeightedT:0.###} tCO2e ÷ C_yw {r.EmissionsT:0.###} tCO2e ({r.ByInstrument.Count} claims)"),
        };
        // The ledger's flags (scope 1 uncovered, admission not met) show as the requirements' verdicts, not as notes.
        return new OffsetRatioFact(Scoring.Dec(ratio), r.Scope1UncoveredT <= 1e-9, "neutrality", notes);
    }
}
