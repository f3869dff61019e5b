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

    // The mapping below follows the PACT "Technical Specifications for PCF Data Exchange", version 2 (the data model of v2.0.0 …
    // v2.3: https://wbcsd.github.io/tr/2023/data-exchange-protocol-20231207/ §4 Data Model — §4.1 ProductFootprint (pf-properties),
    // §4.2 CarbonFootprint (dt-carbonfootprint-properties), §4.3 DataQualityIndicators, §4.4 Assurance, DeclaredUnit (dt-declaredunit);
    // source text in github.com/wbcsd/data-exchange-protocol spec/v2/index.bs). docs/supply-chain.md lists it field by field.

    /// <summary>PACT v2 <c>DeclaredUnit</c> (spec §dt-declaredunit: liter, kilogram, cubic meter, kilowatt hour, megajoule,
    /// ton kilometer, square meter) in the unit table; square meter has no unit there (null).</summary>
    private static readonly IReadOnlyDictionary<string, string?> DeclaredUnits = new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["liter"] = "L", ["kilogram"] = "kg", ["cubic meter"] = "m3", ["kilowatt hour"] = "kWh", ["megajoule"] = "MJ", ["ton kilometer"] = "tkm", ["square meter"] = null,
    };

    /// <summary>
    /// PACT (WBCSD Partnership for Carbon Transparency, "Pathfinder") Technical Specifications v2 ProductFootprint JSON: one object,
    /// an array, or the API's <c>{"data": …}</c>. Every element is checked against the specification's mandatory properties and
    /// ranges; a bad one is reported with the JSON path of each problem (<c>$.data[2].pcf.unitaryProductAmount: …</c>) and the
    /// valid ones in the same file are kept. Figures: <c>pcf.pCfExcludingBiogenic</c> is kgCO2e per <em>declared unit</em>
    /// (e.g. per kilogram); <c>pcf.unitaryProductAmount</c> is how many declared units one product contains, so one product is
    /// pCfExcludingBiogenic × unitaryProductAmount kgCO2e. The library keeps the figure per declared unit (activity data count
    /// kilograms, litres, kWh …), and per product (unit item) only for square meter, which the unit table does not have.
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
            return (ok, [new RowError(1, $"$: not valid JSON ({e.Message.Split('.')[0]})")]);
        }
        using (doc)
        {
            var root = doc.RootElement;
            var path = "$";
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("data", out var data))
            {
                root = data;
                path = "$.data";
            }
            var array = root.ValueKind == JsonValueKind.Array;
            var items = array ? root.EnumerateArray().ToList() : [root];
            for (var i = 0; i < items.Count; i++)
            {
                var problems = new List<string>();
                var at = array ? $"{path}[{i}]" : path;
                var f = FromPact(items[i], at, problems, today);
                if (problems.Count > 0) errors.Add(new RowError(i + 1, string.Join("; ", problems)));
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

    private static bool Has(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    private static Footprint? FromPact(JsonElement pf, string at, List<string> problems, DateOnly today)
    {
        if (pf.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{at}: not a ProductFootprint object");
            return null;
        }
        var inv = CultureInfo.InvariantCulture;
        void Bad(string field, string reason) => problems.Add($"{at}.{field}: {reason}");
        string Required(JsonElement e, string prefix, string name)
        {
            var v = Str(e, name).Trim();
            if (v.Length == 0) Bad(prefix + name, "missing (mandatory in PACT v2)");
            return v;
        }
        List<string> Urns(string name)
        {
            if (!pf.TryGetProperty(name, out var a) || a.ValueKind != JsonValueKind.Array || a.GetArrayLength() == 0)
            {
                Bad(name, "missing or empty (a non-empty set of URNs)");
                return [];
            }
            var list = a.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString() ?? "" : x.GetRawText()).ToList();
            foreach (var (v, i) in list.Select((v, i) => (v, i)).Where(x => !x.v.StartsWith("urn:", StringComparison.OrdinalIgnoreCase)))
                Bad($"{name}[{i}]", $"'{v}' is not a URN (urn:…)");
            return list;
        }
        DateTimeOffset? Instant(JsonElement e, string prefix, string name, bool required)
        {
            var s = Str(e, name);
            if (s.Length == 0)
            {
                if (required) Bad(prefix + name, "missing (mandatory in PACT v2)");
                return null;
            }
            if (DateTimeOffset.TryParse(s, inv, DateTimeStyles.AssumeUniversal, out var t)) return t.ToUniversalTime();
            Bad(prefix + name, $"'{s}' is not an ISO 8601 date and time");
            return null;
        }

        // ProductFootprint (§4.1).
        var id = Required(pf, "", "id");
        if (id.Length > 0 && (!Guid.TryParseExact(id.StartsWith("urn:uuid:", StringComparison.OrdinalIgnoreCase) ? id[9..] : id, "D", out _) || id[^22] != '4'))
            Bad("id", $"'{id}' is not a UUID v4");
        var spec = Required(pf, "", "specVersion");
        if (spec.Length > 0 && !spec.StartsWith("2.", StringComparison.Ordinal))
            Bad("specVersion", $"'{spec}' is not a version 2 specification (this import reads PACT Technical Specifications v2.x)");
        var version = Str(pf, "version");
        if (!long.TryParse(version, NumberStyles.None, inv, out var ver) || ver > int.MaxValue)
            Bad("version", version.Length == 0 ? "missing (mandatory in PACT v2)" : $"'{version}' is not an integer 0…2^31−1");
        Instant(pf, "", "created", true);
        var status = Required(pf, "", "status");
        if (status == "Deprecated") Bad("status", "Deprecated (a newer footprint replaces it; not used for calculations)");
        else if (status.Length > 0 && status != "Active") Bad("status", $"'{status}' is not Active or Deprecated");
        var supplier = Required(pf, "", "companyName");
        var companyIds = Urns("companyIds");
        var productIds = Urns("productIds");
        var cpc = Required(pf, "", "productCategoryCpc");
        var product = Required(pf, "", "productNameCompany");
        var description = Str(pf, "productDescription");

        // CarbonFootprint (§4.2).
        if (!pf.TryGetProperty("pcf", out var pcf) || pcf.ValueKind != JsonValueKind.Object)
        {
            Bad("pcf", "missing (mandatory in PACT v2)");
            return null;
        }
        double? Num(string name, bool required, double min = double.NegativeInfinity, double max = double.PositiveInfinity, bool strictMin = false)
        {
            var s = Str(pcf, name);
            if (s.Length == 0)
            {
                if (required) Bad("pcf." + name, "missing (mandatory in PACT v2)");
                return null;
            }
            if (!double.TryParse(s, NumberStyles.Float, inv, out var v) || !double.IsFinite(v))
            {
                Bad("pcf." + name, $"'{s}' is not a decimal number");
                return null;
            }
            if (strictMin && v <= min) Bad("pcf." + name, $"{s} must be greater than {min.ToString(inv)}");
            else if (!strictMin && v < min) Bad("pcf." + name, $"{s} must be at least {min.ToString(inv)}");
            else if (v > max) Bad("pcf." + name, $"{s} must be at most {max.ToString(inv)}");
            return v;
        }
        var declared = Required(pcf, "pcf.", "declaredUnit");
        string? unit = null;
        var known = declared.Length > 0 && DeclaredUnits.TryGetValue(declared, out unit);
        if (declared.Length > 0 && !known)
            Bad("pcf.declaredUnit", $"'{declared}' is not a PACT v2 declared unit ({string.Join(", ", DeclaredUnits.Keys)})");
        var amount = Num("unitaryProductAmount", true, 0, strictMin: true);
        var pcfExcl = Num("pCfExcludingBiogenic", true, 0);
        var pcfIncl = Num("pCfIncludingBiogenic", false);
        var fossil = Num("fossilGhgEmissions", true, 0);
        var exempted = Num("exemptedEmissionsPercent", true, 0, 5);
        var primary = Num("primaryDataShare", false, 0, 100);
        var refStart = Instant(pcf, "pcf.", "referencePeriodStart", true);
        var refEnd = Instant(pcf, "pcf.", "referencePeriodEnd", true);
        if (refStart is { } rs && refEnd is { } re && re <= rs) Bad("pcf.referencePeriodEnd", "must be after pcf.referencePeriodStart");
        var geography = new[] { "geographyCountrySubdivision", "geographyCountry", "geographyRegionOrSubregion" }.Where(g => Str(pcf, g).Length > 0).ToList();
        if (geography.Count > 1) Bad("pcf." + geography[1], $"at most one of geographyCountrySubdivision, geographyCountry, geographyRegionOrSubregion may be defined (also {geography[0]})");
        var country = Str(pcf, "geographyCountry");
        if (country.Length > 0 && !(country.Length == 2 && country.All(char.IsAsciiLetterUpper))) Bad("pcf.geographyCountry", $"'{country}' is not an ISO 3166-1 alpha-2 country code");
        var boundary = Str(pcf, "boundaryProcessesDescription");
        if (pcf.TryGetProperty("dqi", out var dqi) && dqi.ValueKind == JsonValueKind.Object)
        {
            foreach (var k in new[] { "technologicalDQR", "temporalDQR", "geographicalDQR", "completenessDQR", "reliabilityDQR" })
                if (Str(dqi, k) is { Length: > 0 } q && (!double.TryParse(q, NumberStyles.Float, inv, out var v) || v < 1 || v > 3))
                    Bad("pcf.dqi." + k, $"'{q}' is not a rating between 1 and 3");
            if (Str(dqi, "coveragePercent") is { Length: > 0 } cp && (!double.TryParse(cp, NumberStyles.Float, inv, out var c) || c < 0 || c > 100))
                Bad("pcf.dqi.coveragePercent", $"'{cp}' is not a percentage 0…100");
        }

        // Assurance (§4.4): assurance = true → third-party verified by providerName (mandatory then), with its level and coverage.
        var verification = Verification.SelfDeclared;
        var verifier = "";
        var assuranceNote = "";
        if (pcf.TryGetProperty("assurance", out var assurance) && assurance.ValueKind == JsonValueKind.Object)
        {
            var flag = assurance.TryGetProperty("assurance", out var fl) ? fl.ValueKind : JsonValueKind.Undefined;
            if (flag is not (JsonValueKind.True or JsonValueKind.False)) Bad("pcf.assurance.assurance", "missing or not a boolean (mandatory in an Assurance)");
            var coverage = Str(assurance, "coverage");
            if (coverage.Length > 0 && coverage is not ("corporate level" or "product line" or "PCF system" or "product level"))
                Bad("pcf.assurance.coverage", $"'{coverage}' is not corporate level, product line, PCF system or product level");
            var level = Str(assurance, "level");
            if (level.Length > 0 && level is not ("limited" or "reasonable")) Bad("pcf.assurance.level", $"'{level}' is not limited or reasonable");
            var aBoundary = Str(assurance, "boundary");
            if (aBoundary.Length > 0 && aBoundary is not ("Gate-to-Gate" or "Cradle-to-Gate")) Bad("pcf.assurance.boundary", $"'{aBoundary}' is not Gate-to-Gate or Cradle-to-Gate");
            var completed = Instant(assurance, "pcf.assurance.", "completedAt", false);
            if (flag == JsonValueKind.True)
            {
                verification = Verification.ThirdParty;
                verifier = Str(assurance, "providerName").Trim();
                if (verifier.Length == 0) Bad("pcf.assurance.providerName", "missing (the assurance provider is mandatory when assurance is true)");
                var details = new List<string>();
                if (level.Length > 0) details.Add($"{level} assurance");
                if (coverage.Length > 0) details.Add(coverage);
                if (aBoundary.Length > 0) details.Add($"assured boundary {aBoundary}");
                if (completed is { } done) details.Add($"completed {done.ToString("yyyy-MM-dd", inv)}");
                if (Str(assurance, "standardName") is { Length: > 0 } standard) details.Add(standard);
                assuranceNote = details.Count == 0 ? "assurance: yes" : $"assurance: {string.Join(", ", details)}";
            }
        }

        // Validity (§4.1 validityPeriodStart): [start, end) with start ≥ referencePeriodEnd and end ≤ referencePeriodEnd + 3 years;
        // none given → valid for 3 years from referencePeriodEnd. Dates are the UTC dates; ValidTo is the last valid day.
        var vStart = Instant(pf, "", "validityPeriodStart", false);
        var vEnd = Instant(pf, "", "validityPeriodEnd", false);
        if ((vStart is null) != (vEnd is null) && !problems.Any(x => x.Contains(".validityPeriod", StringComparison.Ordinal)))
            Bad(vStart is null ? "validityPeriodStart" : "validityPeriodEnd", "a validity period needs both validityPeriodStart and validityPeriodEnd");
        if (refEnd is { } end0 && vStart is { } s0 && s0 < end0) Bad("validityPeriodStart", $"must not be before pcf.referencePeriodEnd ({end0:yyyy-MM-ddTHH:mm:ssZ})");
        if (vStart is { } s1 && vEnd is { } e1 && e1 <= s1) Bad("validityPeriodEnd", "must be after validityPeriodStart");
        if (refEnd is { } end1 && vEnd is { } e2 && e2 > end1.AddYears(3)) Bad("validityPeriodEnd", $"must not be later than pcf.referencePeriodEnd + 3 years ({end1.AddYears(3):yyyy-MM-ddTHH:mm:ssZ})");
        if (problems.Count > 0) return null;

        var from = vStart ?? refEnd!.Value;
        var until = vEnd ?? refEnd!.Value.AddYears(3);   // excluding
        // Per declared unit, except square meter (not in the unit table): then per product = pCf × unitaryProductAmount, unit item.
        var perProduct = pcfExcl!.Value * amount!.Value;
        var (libraryUnit, value) = unit is null ? ("item", perProduct) : (unit, pcfExcl.Value);
        string N(double v) => v.ToString("0.#########", inv);
        var notes = new List<string>
        {
            $"PACT {spec} footprint {id} version {ver}",
            $"{N(pcfExcl.Value)} kgCO2e per {declared} excluding biogenic emissions",
        };
        if (pcfIncl is { } inc) notes.Add($"{N(inc)} kgCO2e per {declared} including biogenic emissions");
        notes.Add($"fossil GHG emissions {N(fossil!.Value)} kgCO2e per {declared}");
        notes.Add($"one product = {N(amount.Value)} {declared} = {N(perProduct)} kgCO2e");
        notes.Add($"reference period {refStart:yyyy-MM-dd} to {refEnd:yyyy-MM-dd}");
        if (geography.Count > 0) notes.Add($"geography {Str(pcf, geography[0])}");
        notes.Add($"exempted emissions {N(exempted!.Value)} %");
        if (primary is { } pd) notes.Add($"primary data share {N(pd)} %");
        if (assuranceNote.Length > 0) notes.Add(assuranceNote);
        notes.Add($"CPC {cpc}");
        notes.Add($"product ids {string.Join(", ", productIds)}");
        notes.Add($"company ids {string.Join(", ", companyIds)}");
        if (description.Length > 0) notes.Add($"description: {description}");
        if (boundary.Length > 0) notes.Add($"processes: {boundary}");
        var note = string.Join("; ", notes);
        return new Footprint
        {
            Product = product, Supplier = supplier, Category = "other", Unit = libraryUnit, KgCo2ePerUnit = value,
            // The Pathfinder Framework v2 PCF is cradle-to-gate: raw materials and production (pcf.boundaryProcessesDescription in the note).
            Boundary = Footprints.BoundaryOf([new StageAmount(LifecycleStage.RawMaterials, null), new StageAmount(LifecycleStage.Production, null)]),
            Stages = [new StageAmount(LifecycleStage.RawMaterials, null), new StageAmount(LifecycleStage.Production, null)],
            DataSource = FootprintDataSource.Supplier, Verification = verification, Verifier = verifier,
            ValidFrom = DateOnly.FromDateTime(from.UtcDateTime), ValidTo = DateOnly.FromDateTime(until.AddTicks(-1).UtcDateTime), Origin = "pact",
            Note = note,
        } is var f && f.Note.Length > TextLimits.Text ? f with { Note = f.Note[..(TextLimits.Text - 1)] + "…" } : f;
    }
}
