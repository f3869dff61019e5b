using System.Globalization;
using System.Text;
using ZeroPark.Carbon;
using ZeroPark.Domain;
using ZeroPark.Metering;
using ZeroPark.Application.Readings.Import;

namespace ZeroPark.Application.Carbon;

/// <summary>A CSV file read as named columns: header checked against the known columns (an unknown or repeated column is an
/// error, so a misspelt column is never silently ignored), rows with their physical line numbers. UTF-8 or GBK; comma,
/// semicolon or tab.</summary>
internal static class CsvTable
{
    public sealed record Row(int Line, Dictionary<string, string> Fields)
    {
        public string this[string column] => Fields.TryGetValue(column, out var v) ? v.Trim() : "";
    }

    public static (List<Row> Rows, List<RowError> Errors) Read(Stream stream, string[] known, string[] required)
    {
        return TextDecoding.Read<(List<Row>, List<RowError>)>(stream, null, null, (reader, encodingName) =>
        {
            var rows = new List<Row>();
            var errors = new List<RowError>();
            var csv = new CsvRecordReader(reader);
            csv.DetectDelimiter();
            if (!csv.ReadNonBlank()) return (rows, [new RowError(1, "header: file is empty")]);
            var headers = csv.ToStrings().Select(h => HeaderMatch.Normalize(h).ToLowerInvariant()).ToArray();
            var problems = new List<string>();
            for (var i = 0; i < headers.Length; i++)
            {
                if (headers[i].Length == 0 && i == headers.Length - 1 && i > 0) continue;
                if (Array.IndexOf(known, headers[i]) < 0) problems.Add($"unknown column '{headers[i]}' (known: {string.Join(", ", known)})");
                else if (Array.IndexOf(headers, headers[i]) != i) problems.Add($"column '{headers[i]}' appears twice");
            }
            problems.AddRange(required.Where(r => Array.IndexOf(headers, r) < 0).Select(r => $"missing column '{r}'"));
            if (problems.Count > 0) return (rows, [new RowError(csv.Line, "header: " + string.Join("; ", problems))]);
            while (csv.Read())
            {
                if (csv.Malformed is { } malformed)
                {
                    errors.Add(new RowError(csv.Line, malformed));
                    continue;
                }
                if (csv.HasInvalidText)
                {
                    errors.Add(new RowError(csv.Line, $"row: bytes that are not valid {encodingName} (shown as \uFFFD)"));
                    continue;
                }
                if (csv.IsBlank()) continue;
                var fields = new Dictionary<string, string>(StringComparer.Ordinal);
                for (var i = 0; i < Math.Min(headers.Length, csv.Count); i++)
                    if (headers[i].Length > 0) fields[headers[i]] = csv.Get(i).ToString();
                rows.Add(new Row(csv.Line, fields));
            }
            return (rows, errors);
        });
    }

    public static string Escape(string s) => s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}

/// <summary>
/// The factor library CSV (import and export; the shipped library is the same format): <c>dataset,kind,material,gas,value,
/// unit,level,region,application,methods,publisher,document,data_year,valid_from,valid_to,carbon_content,oxidation_rate,note</c>.
/// Required: dataset, material, unit, valid_from and value (or carbon_content and oxidation_rate for a China-guideline fuel
/// factor, value = CC × OF × 44/12). kind defaults to emission, level to default, methods to *.
/// </summary>
public static class FactorCsv
{
    public static readonly string[] Columns =
    [
        "dataset", "kind", "material", "gas", "value", "unit", "level", "region", "application", "methods", "publisher", "document",
        "data_year", "valid_from", "valid_to", "carbon_content", "oxidation_rate", "note",
    ];

    public static (IReadOnlyList<FactorRecord> Records, IReadOnlyList<RowError> Errors) Parse(Stream stream)
    {
        var (rows, errors) = CsvTable.Read(stream, Columns, ["dataset", "material", "unit", "valid_from"]);
        var records = new List<FactorRecord>();
        foreach (var row in rows)
        {
            var problems = new List<string>();
            var r = FromRow(row, problems);
            if (problems.Count > 0) errors.Add(new RowError(row.Line, string.Join("; ", problems)));
            else records.Add(r!);
        }
        return (records, errors);
    }

    private static FactorRecord? FromRow(CsvTable.Row row, List<string> problems)
    {
        double? Num(string col, bool required = false)
        {
            var s = row[col];
            if (s.Length == 0)
            {
                if (required) problems.Add($"{col}: empty");
                return null;
            }
            if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)) return v;
            problems.Add($"{col}: '{s}' is not a number");
            return null;
        }
        DateOnly? Date(string col, bool required)
        {
            var s = row[col];
            if (s.Length == 0)
            {
                if (required) problems.Add($"{col}: empty");
                return null;
            }
            if (DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
            problems.Add($"{col}: '{s}' is not a date YYYY-MM-DD");
            return null;
        }
        var kind = row["kind"].ToLowerInvariant() switch
        {
            "" or "emission" => FactorKind.Emission,
            "ncv" => FactorKind.Ncv,
            "density" => FactorKind.Density,
            var k => Fail<FactorKind>(problems, $"kind: '{k}' is not emission, ncv or density"),
        };
        var level = row["level"].ToLowerInvariant() switch
        {
            "" or "default" => FactorLevel.Default,
            "national" => FactorLevel.National,
            "regional" => FactorLevel.Regional,
            "provincial" => FactorLevel.Provincial,
            "supplier" => FactorLevel.Supplier,
            var l => Fail<FactorLevel>(problems, $"level: '{l}' is not default, national, regional, provincial or supplier"),
        };
        var gas = row["gas"];
        if (kind == FactorKind.Emission)
        {
            if (gas.Length == 0) problems.Add("gas: empty (CO2, CH4, N2O, … or CO2e)");
            else if (!gas.Equals("CO2e", StringComparison.OrdinalIgnoreCase) && !Gases.TryGet(gas, out _))
                problems.Add($"gas: unknown '{gas}' (expected {string.Join(", ", Gases.All.Select(g => g.Code))} or CO2e)");
        }
        if (level is not FactorLevel.Default and not FactorLevel.National && row["region"].Length == 0) problems.Add($"region: empty (a {row["level"]} factor names its region)");
        var cc = Num("carbon_content");
        var of = Num("oxidation_rate");
        var value = Num("value", required: cc is null || of is null);
        if (cc is { } c && of is { } o)
        {
            var derived = c * o * 44 / 12;
            if (value is { } v && Math.Abs(v - derived) > 1e-6 * Math.Max(1, Math.Abs(derived)))
                problems.Add($"value: {v.ToString(CultureInfo.InvariantCulture)} ≠ carbon_content × oxidation_rate × 44/12 = {derived.ToString(CultureInfo.InvariantCulture)}");
            value = derived;
        }
        if (of is { } ox && ox is <= 0 or > 1) problems.Add("oxidation_rate: must be in (0, 1]");
        if (value is < 0) problems.Add("value: negative");
        var unit = row["unit"];
        try
        {
            if (kind == FactorKind.Emission) FactorUnit.Parse(unit);
            else if (unit.Split('/') is not [var a, var b] || !ActivityUnits.IsKnown(a) || !ActivityUnits.IsKnown(b))
                problems.Add($"unit: '{unit}' is not <unit>/<unit> (e.g. GJ/t, GJ/10^4Nm3, kg/L)");
        }
        catch (CarbonException e)
        {
            problems.Add("unit: " + e.Message);
        }
        var methods = row["methods"].Length == 0 ? "*" : row["methods"];
        if (methods != "*")
            foreach (var m in methods.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                try { AccountingMethods.Parse(m); } catch (CarbonException e) { problems.Add("methods: " + e.Message); }
        int? year = null;
        if (row["data_year"].Length > 0)
        {
            if (int.TryParse(row["data_year"], NumberStyles.None, CultureInfo.InvariantCulture, out var y) && y is >= 1990 and <= 2100) year = y;
            else problems.Add($"data_year: '{row["data_year"]}' is not a year");
        }
        var from = Date("valid_from", true);
        var to = Date("valid_to", false);
        if (from is { } f && to is { } t && t < f) problems.Add("valid_to: before valid_from");
        var app = row["application"].ToLowerInvariant();
        if (app is not ("" or "stationary" or "mobile")) problems.Add($"application: '{app}' is not stationary, mobile or empty");
        if (problems.Count > 0) return null;
        return new FactorRecord
        {
            Dataset = row["dataset"], Kind = kind, Material = row["material"], Gas = kind == FactorKind.Emission ? gas : "", Value = value!.Value, Unit = unit,
            Level = level, Region = row["region"], Application = app, Methods = methods, Publisher = row["publisher"], Document = row["document"],
            DataYear = year, ValidFrom = from!.Value, ValidTo = to, CarbonContent = cc, OxidationRate = of, Note = row["note"],
        };
    }

    private static T Fail<T>(List<string> problems, string message)
    {
        problems.Add(message);
        return default!;
    }

    public static string Write(IEnumerable<FactorRecord> records, bool withIds = false)
    {
        var sb = new StringBuilder();
        if (withIds) sb.Append("id,version,");
        sb.AppendJoin(',', Columns).Append('\n');
        foreach (var r in records)
        {
            string[] cells =
            [
                r.Dataset, Code(r.Kind), r.Material, r.Gas, r.CarbonContent is not null && r.OxidationRate is not null ? "" : Num(r.Value), r.Unit, Code(r.Level), r.Region,
                r.Application, r.Methods, r.Publisher, r.Document, r.DataYear?.ToString(CultureInfo.InvariantCulture) ?? "", r.ValidFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                r.ValidTo?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "", r.CarbonContent is { } c ? Num(c) : "", r.OxidationRate is { } o ? Num(o) : "", r.Note,
            ];
            if (withIds) sb.Append(r.Id.ToString(CultureInfo.InvariantCulture)).Append(',').Append(r.Version.ToString(CultureInfo.InvariantCulture)).Append(',');
            sb.AppendJoin(',', cells.Select(CsvTable.Escape)).Append('\n');
        }
        return sb.ToString();
    }

    private static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    public static string Code(FactorKind k) => k.ToString().ToLowerInvariant();

    public static string Code(FactorLevel l) => l.ToString().ToLowerInvariant();

    /// <summary>The shipped factor library (embedded <c>builtin-factors.csv</c>; sources in docs/carbon.md).</summary>
    public static IReadOnlyList<FactorRecord> Builtin()
    {
        using var s = typeof(FactorCsv).Assembly.GetManifestResourceStream("ZeroPark.Application.Carbon.builtin-factors.csv")
                      ?? throw new InvalidOperationException("builtin-factors.csv is not embedded");
        var (records, errors) = Parse(s);
        if (errors.Count > 0) throw new InvalidOperationException("builtin-factors.csv: " + string.Join("; ", errors.Select(e => $"line {e.Line}: {e.Reason}")));
        return records;
    }
}

/// <summary>One valid row of an activity file.</summary>
public sealed record ActivityRow(int Line, DateOnly Date, string Source, string Material, double Amount, string Unit, int? Scope3Category, string Note,
    string Evidence, string? Space, double? Density, double? Ncv)
{
    /// <summary>Optional <c>supplier</c> column: who supplied what was bought; that supplier's product footprints and
    /// supplier-level factors apply to the record.</summary>
    public string? Supplier { get; init; }
}

/// <summary>
/// Activity records CSV for <c>zeropark activities import</c>: <c>date,source,material,amount,unit,scope3_category,note</c>,
/// optional <c>evidence</c> (invoice or attachment reference), <c>space</c> (building code), <c>density</c> (kg/L) and
/// <c>ncv</c> (GJ/t or GJ/10^4Nm3) overriding the library defaults, <c>supplier</c> (whose product footprints and supplier-level factors apply). Every bad row is reported with its line and reason;
/// valid rows are kept.
/// </summary>
public static class ActivityCsv
{
    public static readonly string[] Columns = ["date", "source", "material", "amount", "unit", "scope3_category", "note", "evidence", "space", "density", "ncv", "supplier"];

    public static (IReadOnlyList<ActivityRow> Rows, IReadOnlyList<RowError> Errors) Parse(Stream stream)
    {
        var (rows, errors) = CsvTable.Read(stream, Columns, ["date", "source", "material", "amount", "unit"]);
        var result = new List<ActivityRow>();
        foreach (var row in rows)
        {
            var problems = new List<string>();
            var r = Validate(row, problems);
            if (problems.Count > 0) errors.Add(new RowError(row.Line, string.Join("; ", problems)));
            else result.Add(r!);
        }
        return (result, errors.OrderBy(e => e.Line).ToList());
    }

    /// <summary>One record entered in a form or a correction (web page, PUT, <c>zeropark activities update</c>), checked by the very
    /// parser of the CSV import: the fields become a one-row CSV, so a form refuses exactly what a file would. Missing fields are empty.</summary>
    public static (ActivityRow? Row, string? Error) ParseOne(IReadOnlyDictionary<string, string?> fields)
    {
        static string Q(string? v) => "\"" + (v ?? "").Trim().Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        var text = string.Join(',', Columns) + "\n" + string.Join(',', Columns.Select(c => Q(fields.TryGetValue(c, out var v) ? v : null))) + "\n";
        var (rows, errors) = Parse(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)));
        if (errors.Count > 0) return (null, string.Join("; ", errors.Select(e => e.Reason)));
        return rows.Count == 1 ? (rows[0], null) : (null, "row: empty");
    }

    private static ActivityRow? Validate(CsvTable.Row row, List<string> problems)
    {
        DateOnly date = default;
        if (!DateOnly.TryParseExact(row["date"], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
            problems.Add($"date: '{row["date"]}' is not a date YYYY-MM-DD");
        SourceDef? def = null;
        if (!Sources.TryGet(row["source"], out var d)) problems.Add($"source: unknown '{row["source"]}' (expected one of {string.Join(", ", Sources.All.Select(s => s.Code))})");
        else def = d;
        var material = row["material"];
        if (material.Length == 0) problems.Add("material: empty");
        double amount = 0;
        if (!double.TryParse(row["amount"], NumberStyles.Float, CultureInfo.InvariantCulture, out amount) || !double.IsFinite(amount))
            problems.Add($"amount: '{row["amount"]}' is not a number");
        else if (amount < 0) problems.Add("amount: negative (mass-balance sources carry their sign: stock_end, disposed, recovered subtract)");
        var unit = ActivityUnits.Normalize(row["unit"]);
        if (!ActivityUnits.IsKnown(unit)) problems.Add($"unit: unknown '{row["unit"]}' (expected one of {string.Join(", ", ActivityUnits.All)})");
        int? cat = null;
        if (row["scope3_category"].Length > 0)
        {
            if (int.TryParse(row["scope3_category"], NumberStyles.None, CultureInfo.InvariantCulture, out var c) && c is >= 1 and <= 15) cat = c;
            else problems.Add($"scope3_category: '{row["scope3_category"]}' is not 1–15");
        }
        double? Opt(string col)
        {
            if (row[col].Length == 0) return null;
            if (double.TryParse(row[col], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0) return v;
            problems.Add($"{col}: '{row[col]}' is not a positive number");
            return null;
        }
        var density = Opt("density");
        var ncv = Opt("ncv");
        if (def is not null && material.Length > 0 && ActivityUnits.IsKnown(unit))
        {
            var dim = ActivityUnits.DimensionOf(unit);
            switch (def.Calc)
            {
                case SourceCalc.Release or SourceCalc.MassBalance:
                    if (!ReleasedMaterials.IsKnown(material)) problems.Add($"material: '{material}' is not a known gas or refrigerant for {def.Code}");
                    if (dim != UnitDimension.Mass) problems.Add($"unit: {def.Code} is recorded by mass (kg, t), not {unit}");
                    break;
                case SourceCalc.Electricity:
                    if (!material.Equals("electricity", StringComparison.OrdinalIgnoreCase)) problems.Add("material: purchased_electricity takes 'electricity'");
                    if (dim != UnitDimension.Energy) problems.Add($"unit: electricity is an energy (kWh, MWh), not {unit}");
                    break;
                case SourceCalc.PurchasedEnergy:
                    if (dim != UnitDimension.Energy)
                        problems.Add($"unit: {def.Code} is an energy (GJ, kWh); for steam in tonnes convert first: GJ = t × (enthalpy kJ/kg − 83.74) / 1000");
                    break;
                case SourceCalc.Combustion:
                    if (dim is not (UnitDimension.Mass or UnitDimension.LiquidVolume or UnitDimension.GasVolume or UnitDimension.Energy))
                        problems.Add($"unit: fuel is recorded by mass, volume or energy, not {unit}");
                    if (dim == UnitDimension.LiquidVolume && material.Equals("natural_gas", StringComparison.OrdinalIgnoreCase))
                        problems.Add("unit: natural gas is recorded in Nm3 or 10^4Nm3 (0 °C, 101.325 kPa); correct meter volumes first");
                    break;
            }
            if (def.Scope == GhgScope.Scope3)
            {
                if (def.Scope3Category is { } implied && cat is { } given && given != implied)
                    problems.Add($"scope3_category: {given} contradicts source {def.Code} (category {implied})");
                if (def.Scope3Category is null && cat is null) problems.Add($"scope3_category: source {def.Code} needs a category 1–15");
            }
            else if (cat is not null) problems.Add($"scope3_category: source {def.Code} is scope {(int)def.Scope}, leave the category empty");
        }
        if (problems.Count > 0) return null;
        return new ActivityRow(row.Line, date, def!.Code, material, amount, unit, def.Scope3Category ?? cat, row["note"], row["evidence"],
            row["space"].Length > 0 ? row["space"] : null, density, ncv) { Supplier = row["supplier"].Length > 0 ? row["supplier"] : null };
    }
}
