using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace ZeroPark.Optimisation;

/// <summary>One fitted coefficient: estimate, standard error, t statistic (null for an exact fit) and the two-sided 95 % confidence interval.</summary>
public sealed record Coefficient(string Name, double Estimate, double StandardError, double? T, double Low95, double High95);

/// <summary>An ordinary least squares fit with its uncertainty: coefficients (the intercept first, named "intercept"), the
/// residual standard error s = √(RSS / (n − p)), R², and (XᵀX)⁻¹ for the uncertainty of predictions.</summary>
public sealed record RegressionFit(IReadOnlyList<Coefficient> Coefficients, double ResidualStdError, int N, int P, double RSquared, double[,] XtXInverse)
{
    /// <summary>The prediction ŷ = b₀ + Σ bⱼ xⱼ at <paramref name="x"/> (without the intercept's 1).</summary>
    public double Predict(IReadOnlyList<double> x)
    {
        if (x.Count != P - 1) throw new ArgumentException($"expected {P - 1} values, got {x.Count}", nameof(x));
        var y = Coefficients[0].Estimate;
        for (var j = 0; j < x.Count; j++) y += Coefficients[j + 1].Estimate * x[j];
        return y;
    }

    /// <summary>The 95 % confidence interval of the mean response at <paramref name="x"/>: ŷ ± t₀.₉₇₅,ₙ₋ₚ · s · √(x₀ᵀ (XᵀX)⁻¹ x₀).</summary>
    public (double Low, double High) MeanInterval95(IReadOnlyList<double> x)
    {
        var x0 = new double[P];
        x0[0] = 1;
        for (var j = 0; j < x.Count; j++) x0[j + 1] = x[j];
        var q = 0.0;
        for (var a = 0; a < P; a++)
            for (var b = 0; b < P; b++) q += x0[a] * XtXInverse[a, b] * x0[b];
        var half = LinearRegression.T975(N - P) * ResidualStdError * Math.Sqrt(Math.Max(0, q));
        var y = Predict(x);
        return (y - half, y + half);
    }
}

/// <summary>Linear least squares on MathNet.Numerics (Cholesky of the normal equations; deterministic, no native provider):
/// OLS with standard errors for the driver analysis, and an incremental ridge solver for the rolling-origin forecasts.</summary>
public static class LinearRegression
{
    /// <summary>The 0.975 quantile of Student's t with <paramref name="df"/> degrees of freedom (1.96 for large df).</summary>
    public static double T975(int df) => df <= 0 ? double.NaN : StudentT.InvCDF(0, 1, df, 0.975);

    /// <summary>OLS of <paramref name="y"/> on an intercept and the columns <paramref name="x"/> (one array per row, same length as
    /// <paramref name="names"/>). Coefficient i has SE = s·√((XᵀX)⁻¹)ᵢᵢ and CI = b ± t₀.₉₇₅,ₙ₋ₚ·SE. Needs n &gt; p and
    /// columns that are not collinear (throws <see cref="ArgumentException"/> saying so).</summary>
    public static RegressionFit Ols(IReadOnlyList<double[]> x, IReadOnlyList<double> y, IReadOnlyList<string> names)
    {
        var n = y.Count;
        var p = names.Count + 1;
        if (x.Count != n) throw new ArgumentException("x and y differ in length");
        if (n <= p) throw new ArgumentException($"{n} observations are too few for {p} coefficients");
        var xtx = Matrix<double>.Build.Dense(p, p);
        var xty = Vector<double>.Build.Dense(p);
        var row = new double[p];
        for (var i = 0; i < n; i++)
        {
            if (x[i].Length != p - 1) throw new ArgumentException($"row {i} has {x[i].Length} values, expected {p - 1}");
            row[0] = 1;
            Array.Copy(x[i], 0, row, 1, p - 1);
            for (var a = 0; a < p; a++)
            {
                xty[a] += row[a] * y[i];
                for (var b = a; b < p; b++) xtx[a, b] += row[a] * row[b];
            }
        }
        for (var a = 0; a < p; a++)
            for (var b = 0; b < a; b++) xtx[a, b] = xtx[b, a];
        Matrix<double> inv;
        Vector<double> beta;
        try
        {
            var chol = xtx.Cholesky();
            beta = chol.Solve(xty);
            inv = chol.Solve(Matrix<double>.Build.DenseIdentity(p));
        }
        catch (ArgumentException)
        {
            throw new ArgumentException("the drivers are collinear or constant: the fit is not determined");
        }
        if (beta.Any(double.IsNaN)) throw new ArgumentException("the drivers are collinear or constant: the fit is not determined");
        double rss = 0, mean = y.Average(), tss = 0;
        for (var i = 0; i < n; i++)
        {
            var f = beta[0];
            for (var j = 1; j < p; j++) f += beta[j] * x[i][j - 1];
            rss += (y[i] - f) * (y[i] - f);
            tss += (y[i] - mean) * (y[i] - mean);
        }
        var s = Math.Sqrt(rss / (n - p));
        var t975 = T975(n - p);
        var coefs = new List<Coefficient>(p);
        for (var j = 0; j < p; j++)
        {
            var se = s * Math.Sqrt(Math.Max(0, inv[j, j]));
            coefs.Add(new Coefficient(j == 0 ? "intercept" : names[j - 1], beta[j], se, se > 0 ? beta[j] / se : null,
                beta[j] - t975 * se, beta[j] + t975 * se));
        }
        return new RegressionFit(coefs, s, n, p, tss > 0 ? 1 - rss / tss : 1, inv.ToArray());
    }
}

/// <summary>Normal equations XᵀX and Xᵀy accumulated row by row, so a rolling-origin backtest adds each hour or day once as the
/// origin moves on and solves a small p×p system per origin instead of refitting on the whole history. Ridge: (XᵀX + λI′)b = Xᵀy
/// with the intercept (column 0) not penalised; the features are scaled by fixed <see cref="Scale"/> factors so one λ suits all.</summary>
public sealed class NormalEquations
{
    private readonly double[,] _xtx;
    private readonly double[] _xty;

    public NormalEquations(int p, double[]? scale = null)
    {
        P = p;
        _xtx = new double[p, p];
        _xty = new double[p];
        Scale = scale ?? Enumerable.Repeat(1.0, p).ToArray();
    }

    public int P { get; }
    public int Rows { get; private set; }
    public double[] Scale { get; }

    public void Add(ReadOnlySpan<double> row, double y) => Accumulate(row, y, 1);

    /// <summary>Takes a row added before out again (a sliding training window).</summary>
    public void Remove(ReadOnlySpan<double> row, double y) => Accumulate(row, y, -1);

    private void Accumulate(ReadOnlySpan<double> row, double y, int sign)
    {
        Span<double> r = stackalloc double[P];
        for (var a = 0; a < P; a++) r[a] = row[a] / Scale[a];
        for (var a = 0; a < P; a++)
        {
            _xty[a] += sign * r[a] * y;
            for (var b = a; b < P; b++) _xtx[a, b] += sign * r[a] * r[b];
        }
        Rows += sign;
    }

    /// <summary>The ridge coefficients for unscaled features (null when fewer rows than coefficients).</summary>
    public double[]? Solve(double lambda)
    {
        if (Rows <= P) return null;
        var m = Matrix<double>.Build.Dense(P, P);
        for (var a = 0; a < P; a++)
            for (var b = a; b < P; b++) m[a, b] = m[b, a] = _xtx[a, b];
        for (var a = 1; a < P; a++) m[a, a] += lambda * Rows;
        var v = Vector<double>.Build.Dense(_xty);
        try
        {
            var b = m.Cholesky().Solve(v);
            var beta = new double[P];
            for (var a = 0; a < P; a++) beta[a] = b[a] / Scale[a];
            return beta.Any(double.IsNaN) ? null : beta;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    public static double Dot(ReadOnlySpan<double> beta, ReadOnlySpan<double> row)
    {
        var s = 0.0;
        for (var a = 0; a < beta.Length; a++) s += beta[a] * row[a];
        return s;
    }
}
