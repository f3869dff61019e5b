using System.Globalization;
using System.Text.Json;
using ZeroPark.Application.Carbon;
using ZeroPark.Application.Readings.Import;
using ZeroPark.Carbon;
using ZeroPark.Metering;
using ZeroPark.SupplyChain;

namespace ZeroPark.Application.SupplyChain;

/// <summary>
/// Footprint files: CSV or XLSX with the header <c>product,supplier,functional_unit,kgco2e_per_unit,stages,verified</c> (the contract
/// of <c>zeropark footprints import</c>) and optional <c>category, boundary, data_source, verifier, valid_from, valid_to, review_on,
/// note</c>; and the PACT (WBCSD Pathfinder) v2 ProductFootprint JSON suppliers exchange. Every bad row is reported with its line
/// (or array index) and reason; valid rows are kept.
/// </summary>
public static class FootprintFiles
{
    public static readonly string[] Required = ["product", "supplier", "functional_unit", "kgco2e_per_unit"];

    public static readonly string[] Columns =
    [
        "product", "supplier", "functional_unit", "kgco2e_per_unit", "stages", "verified", "category", "boundary", "data_source", "verifier",
        "valid_from", "valid_to", "review_on", "note",
    ];

    /// <summary>Reads a file by its content: JSON (starts with { or [), XLSX (a zip), else CSV.</summary>
    public static (IReadOnlyList<(int Line, Footprint Footprint)> Rows, IReadOnlyList<RowError> Errors) Parse(Stream stream, DateOnly today, string? fileName = null)
    {
        var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.ToArray();
        var start = 0;
        if (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) start = 3;
        while (start < bytes.Length && bytes[start] is (byte)' ' or (byte)'\r' or (byte)'\n' or (byte)'\t') start++;
        if (start < bytes.Length && bytes[start] is (byte)'{' or (byte)'[') return ParsePact(bytes.AsSpan(start).ToArray(), today);
        if (bytes.Length >= 2 && bytes[0] == (byte)'P' && bytes[1] == (byte)'K') return FromTable(ReadXlsx(new MemoryStream(bytes)), today, "xlsx");
        var (rows, errors) = CsvTable.Read(new MemoryStream(bytes), Columns, Required);
        var (ok, bad) = FromTable((rows, errors), today, "csv");
        return (ok, bad);
    }

    private static (List<CsvTable.Row> Rows, List<RowError> Errors) ReadXlsx(Stream s)
    {
        var rows = new List<CsvTable.Row>();
        var errors = new List<RowError>();
        string[]? headers = null;
        var failure = XlsxSheet.ReadFirstSheet(s, null, ImportLimits.Default, (line, f) =>
        {
            if (f.IsBlank()) return true;
            if (headers is null)
            {
                headers = Enumerable.Range(0, f.Count).Select(i => HeaderMatch.Normalize(f.Get(i).ToString()).ToLowerInvariant()).ToArray();
                var problems = headers.Where(h => h.Length > 0 && Array.IndexOf(Columns, h) < 0).Select(h => $"unknown column '{h}' (known: {string.Join(", ", Columns)})")
                    .Concat(Required.Where(r => Array.IndexOf(headers, r) < 0).Select(r => $"missing column '{r}'")).ToList();
                if (problems.Count > 0)
                {
                    errors.Add(new RowError(line, "header: " + string.Join("; ", problems)));
                    return false;
                }
                return true;
            }
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < Math.Min(headers.Length, f.Count); i++)
            {
                if (headers[i].Length == 0) continue;
                var text = f.Get(i).ToString();
                // A date cell comes as an Excel serial number.
                if (f.IsNumber(i) && headers[i] is "valid_from" or "valid_to" or "review_on" && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial))
                    text = DateOnly.FromDateTime(DateTime.FromOADate(serial)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                fields[headers[i]] = text;
            }
            rows.Add(new CsvTable.Row(line, fields));
            return true;
        });
        if (failure is not null) errors.Add(new RowError(1, failure));
        else if (headers is null && errors.Count == 0) errors.Add(new RowError(1, "header: the first sheet is empty"));
        return (rows, errors);
    }

    private static (IReadOnlyList<(int, Footprint)>, IReadOnlyList<RowError>) FromTable((List<CsvTable.Row> Rows, List<RowError> Errors) table, DateOnly today, string origin)
    {
        var ok = new List<(int, Footprint)>();
        var errors = table.Errors.ToList();
        foreach (var row in table.Rows)
        {
            var problems = new List<string>();
            var f = FromRow(row, problems, today, origin);
            if (problems.Count > 0) errors.Add(new RowError(row.Line, string.Join("; ", problems)));
            else ok.Add((row.Line, f!));
        }
        return (ok, errors.OrderBy(e => e.Line).ToList());
    }

    private static Footprint? FromRow(CsvTable.Row row, List<string> problems, DateOnly today, string origin)
    {
        var product = row["product"];
        var supplier = row["supplier"];
        if (product.Length == 0) problems.Add("product: empty");
        if (supplier.Length == 0) problems.Add("supplier: empty");
        double? value = null;
        if (double.TryParse(row["kgco2e_per_unit"], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) && v >= 0) value = v;
        else problems.Add($"kgco2e_per_unit: '{row["kgco2e_per_unit"]}' is not a non-negative number");
        string? unit = null;
        if (row["functional_unit"].Length == 0) problems.Add("functional_unit: empty");
        else if (value is { } val)
        {
            try
            {
                var (u, per) = Footprints.NormaliseUnit(row["functional_unit"], val);
                unit = u.Symbol;
                value = per;
            }
            catch (CarbonException e)
            {
                problems.Add(e.Message);
            }
        }
        var stages = Footprints.ParseStages(row["stages"], row["functional_unit"].Length > 0 && value is not null ? StageTotal(row, value.Value) : null, problems);
        if (!Footprints.TryParseVerification(row["verified"], out var verification))
            problems.Add($"verified: '{row["verified"]}' is not true/false (or third_party, self_declared, unverified)");
        if (!Footprints.TryParseSource(row["data_source"], out var source))
            problems.Add($"data_source: '{row["data_source"]}' is not internal, supplier, database or literature");
        var category = row["category"].Length == 0 ? "other" : row["category"].ToLowerInvariant();
        if (!Footprints.Categories.Contains(category)) problems.Add($"category: '{row["category"]}' is not one of {string.Join(", ", Footprints.Categories)}");
        DateOnly? Date(string col)
        {
            if (row[col].Length == 0) return null;
            if (DateOnly.TryParseExact(row[col], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
            problems.Add($"{col}: '{row[col]}' is not a date YYYY-MM-DD");
            return null;
        }
        var from = Date("valid_from") ?? new DateOnly(2000, 1, 1);
        var to = Date("valid_to");
        if (to is { } t && t < from) problems.Add("valid_to: before valid_from");
        var review = Date("review_on");
        foreach (var (col, max) in new[] { ("product", TextLimits.Name), ("supplier", TextLimits.Name), ("verifier", TextLimits.Name), ("note", TextLimits.Text), ("boundary", TextLimits.Name) })
            if (row[col].Length > max) problems.Add($"{col}: {row[col].Length} characters; at most {max} are allowed");
        if (problems.Count > 0) return null;
        return new Footprint
        {
            Product = product, Supplier = supplier, Category = category, Unit = unit!, KgCo2ePerUnit = value!.Value,
            Boundary = row["boundary"].Length > 0 ? row["boundary"] : Footprints.BoundaryOf(stages), Stages = stages, DataSource = source,
            Verification = verification, Verifier = row["verifier"], ValidFrom = from, ValidTo = to, ReviewOn = review, Origin = origin, Note = row["note"],
        };
    }

    /// <summary>Stage amounts are given per the functional unit as written: their total is the raw kgco2e_per_unit.</summary>
    private static double? StageTotal(CsvTable.Row row, double normalised) =>
        double.TryParse(row["kgco2e_per_unit"], NumberStyles.Float, CultureInfo.InvariantCulture, out var raw) ? raw : normalised;

    // ------------------------------------------------------------------ PACT / Pathfinder v2

    /// <summary>PACT declared units (Technical Specification v2 <c>DeclaredUnit</c>) in the unit table.</summary>
    private static string? PactUnit(string declared) => declared.Trim().ToLowerInvariant() switch
    {
        "kilogram" => "kg",
        "liter" or "litre" => "L",
        "cubic meter" => "m3",
        "kilowatt hour" => "kWh",
        "megajoule" => "MJ",
        "ton kilometer" => "tkm",
        _ => null,
    };

    /// <summary>
    /// PACT (WBCSD Partnership for Carbon Transparency, Pathfinder) Technical Specification v2 ProductFootprint: one object, an
    /// array, or the API's <c>{"data": [...]}</c>. Read: <c>productNameCompany</c> (product; else the first of <c>productIds</c>),
    /// <c>companyName</c> (supplier), <c>pcf.declaredUnit</c>, <c>pcf.unitaryProductAmount</c>, <c>pcf.pCfExcludingBiogenic</c>
    /// (kgCO2e per declared unit), <c>pcf.referencePeriodStart/End</c>, <c>validityPeriodStart/End</c> (default: 3 years after the
    /// reference period's end, as the specification says), <c>pcf.assurance</c> (coverage, providerName, boundary), <c>status</c>
    /// (Deprecated footprints are refused). Numbers may be decimal strings (v2) or JSON numbers.
    /// </summary>
    public static (IReadOnlyList<(int Line, Footprint Footprint)> Rows, IReadOnlyList<RowError> Errors) ParsePact(byte[] json, DateOnly today)
    {
        var ok = new List<(int, Footprint)>();
        var errors = new List<RowError>();
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException e)
        {
            return (ok, [new RowError(1, $"json: not valid JSON ({e.Message.Split('.')[0]})")]);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("data", out var data)) root = data;
            var items = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToList() : [root];
            for (var i = 0; i < items.Count; i++)
            {
                var problems = new List<string>();
                var f = FromPact(items[i], problems, today);
                if (problems.Count > 0) errors.Add(new RowError(i + 1, $"footprint {i + 1}: " + string.Join("; ", problems)));
                else ok.Add((i + 1, f!));
            }
        }
        return (ok, errors);
    }

    private static string Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString() ?? "",
            JsonValueKind.Number => v.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => "",
        } : "";

    private static Footprint? FromPact(JsonElement pf, List<string> problems, DateOnly today)
    {
        if (pf.ValueKind != JsonValueKind.Object)
        {
            problems.Add("not a ProductFootprint object");
            return null;
        }
        if (Str(pf, "status").Equals("Deprecated", StringComparison.OrdinalIgnoreCase)) problems.Add("status: Deprecated (a newer footprint replaces it)");
        var product = Str(pf, "productNameCompany");
        var ids = pf.TryGetProperty("productIds", out var pids) && pids.ValueKind == JsonValueKind.Array ? pids.EnumerateArray().Select(x => x.GetString() ?? "").Where(x => x.Length > 0).ToList() : [];
        if (product.Length == 0) product = ids.FirstOrDefault() ?? "";
        if (product.Length == 0) problems.Add("productNameCompany: empty (and no productIds)");
        var supplier = Str(pf, "companyName");
        if (supplier.Length == 0) problems.Add("companyName: empty");
        if (!pf.TryGetProperty("pcf", out var pcf) || pcf.ValueKind != JsonValueKind.Object)
        {
            problems.Add("pcf: missing");
            return null;
        }
        var declared = Str(pcf, "declaredUnit");
        var unit = PactUnit(declared);
        if (unit is null) problems.Add($"pcf.declaredUnit: '{declared}' has no unit in the unit table (kilogram, liter, cubic meter, kilowatt hour, megajoule, ton kilometer)");
        double? Num(string name, bool required)
        {
            var s = Str(pcf, name);
            if (s.Length == 0)
            {
                if (required) problems.Add($"pcf.{name}: missing");
                return null;
            }
            if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)) return v;
            problems.Add($"pcf.{name}: '{s}' is not a decimal number");
            return null;
        }
        var value = Num("pCfExcludingBiogenic", true) ?? Num("pcfExcludingBiogenic", false);
        if (value is < 0) problems.Add("pcf.pCfExcludingBiogenic: negative");
        var amount = Num("unitaryProductAmount", false);
        if (amount is <= 0) problems.Add("pcf.unitaryProductAmount: must be positive");
        DateOnly? Day(JsonElement e, string name)
        {
            var s = Str(e, name);
            if (s.Length == 0) return null;
            if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)) return DateOnly.FromDateTime(t.UtcDateTime);
            problems.Add($"{name}: '{s}' is not an ISO 8601 time");
            return null;
        }
        var refEnd = Day(pcf, "referencePeriodEnd");
        var refStart = Day(pcf, "referencePeriodStart");
        var from = Day(pf, "validityPeriodStart") ?? refEnd?.AddDays(1) ?? refStart ?? today;
        var to = Day(pf, "validityPeriodEnd") ?? refEnd?.AddYears(3);
        var assured = pcf.TryGetProperty("assurance", out var assurance) && assurance.ValueKind == JsonValueKind.Object && Str(assurance, "assurance") == "true";
        var boundaryText = assured ? Str(assurance, "boundary") : "";
        var grave = boundaryText.Contains("grave", StringComparison.OrdinalIgnoreCase);
        IReadOnlyList<StageAmount> stages = boundaryText.StartsWith("Gate", StringComparison.OrdinalIgnoreCase)
            ? [new StageAmount(LifecycleStage.Production, null)]
            : grave ? [.. Enum.GetValues<LifecycleStage>().Select(s => new StageAmount(s, null))]
            : [new StageAmount(LifecycleStage.RawMaterials, null), new StageAmount(LifecycleStage.Production, null)];
        if (problems.Count > 0) return null;
        return new Footprint
        {
            Product = product, Supplier = supplier, Category = "other", Unit = unit!, KgCo2ePerUnit = value!.Value, Boundary = Footprints.BoundaryOf(stages),
            Stages = stages, DataSource = FootprintDataSource.Supplier, Verification = assured ? Verification.ThirdParty : Verification.SelfDeclared,
            Verifier = assured ? Str(assurance, "providerName") : "", ValidFrom = from, ValidTo = to, Origin = "pact",
            Note = $"PACT {Str(pf, "specVersion")} footprint {Str(pf, "id")}" +
                   (ids.Count > 0 ? $"; product ids {string.Join(", ", ids)}" : "") +
                   (amount is { } a && a != 1 ? $"; one product = {a.ToString(CultureInfo.InvariantCulture)} {unit}" : "") +
                   (refStart is not null || refEnd is not null ? $"; reference period {refStart:yyyy-MM-dd}…{refEnd:yyyy-MM-dd}" : ""),
        };
    }
}
