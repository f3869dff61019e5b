using System.Globalization;
using ZeroPark.Application.Carbon;
using ZeroPark.Application.Export;
using ZeroPark.Metering;
using ZeroPark.SupplyChain;

namespace ZeroPark.Application.SupplyChain;

/// <summary>Supplier answers CSV (<c>supplier,indicator,value</c>; one row per answer) and the grade report workbook.</summary>
public static class SupplyChainFiles
{
    public static (IReadOnlyDictionary<string, Dictionary<string, double>> Answers, IReadOnlyList<RowError> Errors) ParseAnswers(Stream stream)
    {
        var (rows, errors) = CsvTable.Read(stream, ["supplier", "indicator", "value"], ["supplier", "indicator", "value"]);
        var answers = new Dictionary<string, Dictionary<string, double>>(StringComparer.OrdinalIgnoreCase);
        foreach (var r in rows)
        {
            if (r["supplier"].Length == 0) { errors.Add(new RowError(r.Line, "supplier: empty")); continue; }
            if (r["indicator"].Length == 0) { errors.Add(new RowError(r.Line, "indicator: empty")); continue; }
            if (!double.TryParse(r["value"], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
            {
                errors.Add(new RowError(r.Line, $"value: '{r["value"]}' is not a number"));
                continue;
            }
            if (!answers.TryGetValue(r["supplier"], out var d)) answers[r["supplier"]] = d = new Dictionary<string, double>(StringComparer.Ordinal);
            d[r["indicator"]] = v;
        }
        return (answers, errors.OrderBy(e => e.Line).ToList());
    }

    /// <summary>The shareable grade report: ranking, each supplier's indicator points, and the indicator system.</summary>
    public static XlsxSheet[] GradeReport(string park, IReadOnlyList<SupplierGrade> grades, IReadOnlyList<Indicator> indicators, GradeThresholds t)
    {
        var ranking = new XlsxSheet("ranking", ["rank", "supplier", "score", "grade", "computed_at", "reason"],
            grades.Select(g => new object?[] { g.Rank, g.Supplier, Math.Round(g.Score, 2), g.Grade, g.ComputedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), g.Reason }).ToList());
        var detail = new XlsxSheet("indicators", ["supplier", "indicator", "name", "weight", "value", "points", "weighted"],
            grades.SelectMany(g => g.Parts.Select(p => new object?[] { g.Supplier, p.Code, p.Name, p.Weight, p.Value, Math.Round(p.Points, 2), Math.Round(p.Weighted, 2) })).ToList());
        var system = new XlsxSheet("system", ["indicator", "name", "weight", "best", "worst", "unit"],
            indicators.Select(i => new object?[] { i.Code, i.Name, i.Weight, i.Best, i.Worst, i.Unit })
                .Append([$"thresholds ({park})", $"优秀 ≥ {t.Excellent}, 良好 ≥ {t.Good}, 合格 ≥ {t.Pass}, else 差", null, null, null, null]).ToList());
        return [ranking, detail, system];
    }
}
