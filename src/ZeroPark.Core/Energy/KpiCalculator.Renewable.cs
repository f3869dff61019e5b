using ZeroPark.Domain;

namespace ZeroPark.EnergyManagement;

/// <summary>Renewable and reuse family: ERF = E_reuse / E_DC (ISO/IEC 30134-6), ERE = (E_DC − E_reuse) / E_IT (The Green Grid
/// WP#29), REF = E_renewable / E_DC (ISO/IEC 30134-3; on-site generation, green power and certificates).</summary>
public static partial class KpiCalculator
{
    private sealed record RenewableKpis(double? Erf, double? Ere, double? Ref, Energy? Renewable);

    private static RenewableKpis RenewableFamily(Period p)
    {
        var (x, total, it, totalWhy, itWhy) = (p.X, p.Total, p.It, p.TotalWhy, p.ItWhy);

        // ERF, ERE
        double? erf = null, ere = null;
        if (x.Reused is null)
        {
            p.Note("erf", "reused energy is not known (no reused_heat meter or no reading)");
            p.Note("ere", "reused energy is not known (no reused_heat meter or no reading)");
        }
        else
        {
            if (totalWhy is not null) p.Note("erf", totalWhy);
            else erf = x.Reused.Value / total!.Value;
            if (totalWhy is not null) p.Note("ere", totalWhy);
            else if (itWhy is not null) p.Note("ere", itWhy);
            else ere = (total!.Value - x.Reused.Value) / it!.Value;
        }

        // REF
        double? refv = null;
        Energy? renewable = null;
        if (x.RenewableOnsite is null && x.RenewablePurchased is null && x.RenewableCertificates is null)
        {
            p.Note("ref", "no renewable energy is known (no renewable_onsite meter or no reading; no green power or certificates given)");
        }
        else
        {
            renewable = (x.RenewableOnsite ?? Energy.Zero) + (x.RenewablePurchased ?? Energy.Zero) + (x.RenewableCertificates ?? Energy.Zero);
            if (totalWhy is not null) p.Note("ref", totalWhy);
            else
            {
                refv = renewable.Value / total!.Value;
                if (x.RenewablePurchased is null && x.RenewableCertificates is null)
                    p.Note("ref", "counts on-site generation only (green-power purchases and certificates are not recorded)");
            }
        }
        return new RenewableKpis(erf, ere, refv, renewable);
    }
}
