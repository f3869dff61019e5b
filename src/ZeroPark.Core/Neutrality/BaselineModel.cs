namespace ZeroPark.Neutrality;

/// <summary>A fitted baseline: energy = intercept + Σ coefficient × driver (ordinary least squares over the baseline days).</summary>
public sealed record BaselineFit(double Intercept, IReadOnlyList<double> Coefficients, IReadOnlyList<string> Drivers, double RSquared, int Days, double? CvRmse)
{
    public double Predict(IReadOnlyList<double> x)
    {
        var y = Intercept;
        for (var i = 0; i < Coefficients.Count; i++) y += Coefficients[i] * x[i];
        return y;
    }
}

/// <summary>
/// The baseline model of a reduction measure (IPMVP option B/C style): daily energy of the measure's boundary regressed on what drives
/// it (IT energy; outdoor temperature as cooling degrees when a gauge exists). Ordinary least squares by the normal equations,
/// solved by Gaussian elimination with partial pivoting (two or three unknowns: no library needed).
/// </summary>
public static class BaselineModel
{
    public static BaselineFit? Fit(IReadOnlyList<double> y, IReadOnlyList<IReadOnlyList<double>> x, IReadOnlyList<string> drivers)
    {
        var n = y.Count;
        var k = drivers.Count + 1;
        if (n < k + 1) return null;
        var ata = new double[k, k];
        var aty = new double[k];
        for (var r = 0; r < n; r++)
        {
            var row = new double[k];
            row[0] = 1;
            for (var j = 1; j < k; j++) row[j] = x[r][j - 1];
            for (var i = 0; i < k; i++)
            {
                aty[i] += row[i] * y[r];
                for (var j = 0; j < k; j++) ata[i, j] += row[i] * row[j];
            }
        }
        var beta = Solve(ata, aty);
        if (beta is null)
        {
            // A driver without variance (e.g. a constant IT load): fall back to the drivers that vary, at worst the mean.
            if (drivers.Count == 0) return null;
            var keep = Enumerable.Range(0, drivers.Count).Where(j => x.Select(v => v[j]).Distinct().Count() > 1).ToList();
            if (keep.Count == drivers.Count) return null;
            var reduced = Fit(y, x.Select(v => (IReadOnlyList<double>)keep.Select(j => v[j]).ToList()).ToList(), keep.Select(j => drivers[j]).ToList());
            if (reduced is null) return null;
            var coefs = new double[drivers.Count];
            for (var i = 0; i < keep.Count; i++) coefs[keep[i]] = reduced.Coefficients[i];
            return reduced with { Coefficients = coefs, Drivers = drivers };
        }
        var fit = new BaselineFit(beta[0], beta[1..], drivers, 0, n, null);
        var mean = y.Average();
        double ssRes = 0, ssTot = 0;
        for (var r = 0; r < n; r++)
        {
            var e = y[r] - fit.Predict(x[r]);
            ssRes += e * e;
            ssTot += (y[r] - mean) * (y[r] - mean);
        }
        var r2 = ssTot > 0 ? 1 - ssRes / ssTot : 1;
        double? cv = mean != 0 && n > k ? Math.Sqrt(ssRes / (n - k)) / mean : null;
        return fit with { RSquared = r2, CvRmse = cv };
    }

    private static double[]? Solve(double[,] a, double[] b)
    {
        var n = b.Length;
        var m = (double[,])a.Clone();
        var v = (double[])b.Clone();
        var scale = 0.0;
        foreach (var e in m) scale = Math.Max(scale, Math.Abs(e));
        for (var c = 0; c < n; c++)
        {
            var p = c;
            for (var r = c + 1; r < n; r++) if (Math.Abs(m[r, c]) > Math.Abs(m[p, c])) p = r;
            if (Math.Abs(m[p, c]) <= 1e-10 * Math.Max(1, scale)) return null;
            if (p != c)
            {
                for (var j = 0; j < n; j++) (m[c, j], m[p, j]) = (m[p, j], m[c, j]);
                (v[c], v[p]) = (v[p], v[c]);
            }
            for (var r = 0; r < n; r++)
            {
                if (r == c) continue;
                var f = m[r, c] / m[c, c];
                for (var j = c; j < n; j++) m[r, j] -= f * m[c, j];
                v[r] -= f * v[c];
            }
        }
        var x = new double[n];
        for (var i = 0; i < n; i++) x[i] = v[i] / m[i, i];
        return x;
    }
}
