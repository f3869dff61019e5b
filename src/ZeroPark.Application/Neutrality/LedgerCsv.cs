using System.Globalization;
using System.Text;
using ZeroPark.Application.Carbon;
using ZeroPark.Application.Export;
using ZeroPark.Application.Readings.Import;
using ZeroPark.Metering;
using ZeroPark.Neutrality;

namespace ZeroPark.Application.Neutrality;

/// <summary>
/// The ledger's file format (CSV, UTF-8 or GBK, or the first sheet of an XLSX workbook): the contract columns
/// <c>kind,quantity,unit,serial_from,serial_to,vintage,claim_from,claim_to</c> and optional ones (docs/neutrality.md). A row with claim
/// dates is retired against that period; a refused row names its line and reason, the others are kept. Price lists:
/// <c>kind,date,price_cny[,available,source]</c>.
/// </summary>
public static class LedgerCsv
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static readonly string[] ContractColumns = ["kind", "quantity", "unit", "serial_from", "serial_to", "vintage", "claim_from", "claim_to"];

    public static readonly string[] OptionalColumns =
    [
        "target", "use", "bundled_from", "bundled_to", "project", "energy_type", "methodology", "counterparty", "tradable", "expires", "production_from", "production_to",
        "region", "factor_kg_per_kwh", "profile", "unit_price_cny", "purchased_on", "reference", "note",
    ];

    public static readonly string[] Columns = [.. ContractColumns, .. OptionalColumns];

    /// <summary>Parses a ledger file; XLSX is recognised by its content (a zip), anything else is read as CSV.</summary>
    public static (IReadOnlyList<LedgerRow> Rows, IReadOnlyList<RowError> Errors) Parse(Stream stream)
    {
        var (rows, errors) = ReadTable(stream, Columns, ["kind", "quantity"]);
        var result = new List<LedgerRow>();
        foreach (var row in rows)
        {
            var problems = new List<string>();
            var draft = FromRow(row, problems);
            if (problems.Count > 0 || draft is null) errors.Add(new RowError(row.Line, string.Join("; ", problems)));
            else result.Add(new LedgerRow(row.Line, draft));
        }
        return (result, errors.OrderBy(e => e.Line).ToList());
    }

    /// <summary>Reads named columns from CSV or the first sheet of an XLSX workbook.</summary>
    internal static (List<CsvTable.Row> Rows, List<RowError> Errors) ReadTable(Stream stream, string[] known, string[] required)
    {
        var buffered = new MemoryStream();
        stream.CopyTo(buffered);
        buffered.Position = 0;
        var head = buffered.Length >= 4 ? buffered.GetBuffer()[..4] : [];
        if (head.Length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4)
        {
            var lines = new StringBuilder();
            var error = ZeroPark.Application.Readings.Import.XlsxSheet.ReadFirstSheet(buffered, null, ImportLimits.Default, (_, f) =>
            {
                var cells = new string[f.Count];
                for (var i = 0; i < f.Count; i++) cells[i] = CsvTable.Escape(f.Get(i).ToString());
                lines.Append(string.Join(',', cells)).Append('\n');
                return true;
            });
            if (error is not null) return ([], [new RowError(1, error)]);
            // Spreadsheet rows become CSV lines one to one, so line numbers are the sheet's row numbers (blank rows aside).
            return CsvTable.Read(new MemoryStream(Encoding.UTF8.GetBytes(lines.ToString())), known, required);
        }
        return CsvTable.Read(buffered, known, required);
    }

    private static LedgerDraft? FromRow(CsvTable.Row r, List<string> problems)
    {
        var kindText = r["kind"];
        var kind = OffsetKinds.TryParse(kindText);
        if (kind is null)
        {
            problems.Add($"kind: '{kindText}' is unknown (expected {OffsetKinds.Expected})");
            return null;
        }
        var k = kind.Value;
        var qty = Num(r, "quantity", problems, required: true);
        double? quantity = null;
        if (qty is { } q)
        {
            var (v, err) = OffsetKinds.ToLedgerUnit(k, q, r["unit"]);
            if (err is not null) problems.Add("unit: " + err);
            quantity = v;
        }
        var vintage = r["vintage"] is { Length: > 0 } vt
            ? int.TryParse(vt, NumberStyles.Integer, Inv, out var vi) ? vi : Fail<int?>(problems, $"vintage: '{vt}' is not a year")
            : null;
        var cf = Date(r, "claim_from", problems);
        var ctd = Date(r, "claim_to", problems);
        if ((cf is null) != (ctd is null) && !problems.Any(p => p.StartsWith("claim", StringComparison.Ordinal)))
            problems.Add(cf is null ? "claim_from: missing (claim_to is given)" : "claim_to: missing (claim_from is given)");
        bool? tradable = r["tradable"].ToLowerInvariant() switch
        {
            "" => null,
            "1" or "true" or "yes" or "是" or "可交易" => true,
            "0" or "false" or "no" or "否" or "不可交易" => false,
            var t => Fail<bool?>(problems, $"tradable: '{t}' is not yes or no"),
        };
        var profile = r["profile"] is { Length: > 0 } pr ? pr.ToLowerInvariant() : "flat";
        if (problems.Count > 0 || quantity is null) return null;
        return new LedgerDraft
        {
            Kind = k, Quantity = quantity.Value, SerialFrom = r["serial_from"], SerialTo = r["serial_to"], BundledFrom = r["bundled_from"], BundledTo = r["bundled_to"],
            Vintage = vintage, ProductionFrom = Date(r, "production_from", problems), ProductionTo = Date(r, "production_to", problems), Project = r["project"],
            EnergyType = r["energy_type"], Methodology = r["methodology"], Counterparty = r["counterparty"], Tradable = tradable, Expires = Date(r, "expires", problems),
            Region = r["region"], FactorKgPerKwh = Num(r, "factor_kg_per_kwh", problems) ?? 0, Profile = profile, UnitPriceCny = Num(r, "unit_price_cny", problems),
            PurchasedOn = Date(r, "purchased_on", problems), Reference = r["reference"], Note = r["note"],
            Claim = cf is { } a && ctd is { } b ? new ClaimDraft(r["target"] is { Length: > 0 } tg ? tg : null, a, b, null, r["use"] is { Length: > 0 } u ? u.ToLowerInvariant() : null) : null,
        };
    }

    /// <summary>Parses a price list: <c>kind,date,price_cny[,available,source]</c> (price per MWh or per tCO2e, by kind).</summary>
    public static (IReadOnlyList<(int Line, OffsetKind Kind, DateOnly Date, double Price, double? Available, string Source)> Rows, IReadOnlyList<RowError> Errors) ParsePrices(Stream stream)
    {
        var (rows, errors) = ReadTable(stream, ["kind", "date", "price_cny", "available", "source"], ["kind", "date", "price_cny"]);
        var result = new List<(int, OffsetKind, DateOnly, double, double?, string)>();
        foreach (var r in rows)
        {
            var problems = new List<string>();
            var kind = OffsetKinds.TryParse(r["kind"]);
            if (kind is null) problems.Add($"kind: '{r["kind"]}' is unknown (expected {OffsetKinds.Expected})");
            var date = Date(r, "date", problems);
            if (date is null && !problems.Any(p => p.StartsWith("date", StringComparison.Ordinal))) problems.Add("date: missing");
            var price = Num(r, "price_cny", problems, required: true);
            var available = Num(r, "available", problems);
            if (problems.Count > 0) { errors.Add(new RowError(r.Line, string.Join("; ", problems))); continue; }
            result.Add((r.Line, kind!.Value, date!.Value, price!.Value, available, r["source"]));
        }
        return (result, errors.OrderBy(e => e.Line).ToList());
    }

    /// <summary>The ledger as a table (one row per instrument; its claims summarised), for CSV and XLSX export.</summary>
    public static ZeroPark.Application.Export.XlsxSheet Sheet(IReadOnlyList<LedgerInstrument> ledger) => new("ledger",
        ["id", "kind", "quantity", "unit", "serial_from", "serial_to", "vintage", "claim_from", "claim_to", "state", "allocated", "retired", "free", "target", "use",
            "bundled_from", "bundled_to", "project", "energy_type", "methodology", "counterparty", "tradable", "expires", "region", "factor_kg_per_kwh", "profile",
            "unit_price_cny", "purchased_on", "reference", "note", "evidence"],
        ledger.Select(i =>
        {
            var retired = i.Claims.Where(c => c.State == "retired").ToList();
            var first = i.Claims.Count > 0 ? i.Claims[0] : null;
            return new object?[]
            {
                i.Id, i.Kind, i.Quantity, i.Unit, i.SerialFrom, i.SerialTo, i.Vintage, first?.From.ToString("yyyy-MM-dd", Inv), i.Claims.Count > 0 ? i.Claims.Max(c => c.To).ToString("yyyy-MM-dd", Inv) : null,
                i.State, i.AllocatedQuantity, i.RetiredQuantity, i.FreeQuantity, string.Join(" ", i.Claims.Select(c => c.Target).Distinct()), string.Join(" ", i.Claims.Select(c => c.Use).Distinct()),
                i.BundledFrom, i.BundledTo, i.Project, i.EnergyType, i.Methodology, i.Counterparty, i.Tradable, i.Expires?.ToString("yyyy-MM-dd", Inv), i.Region, i.FactorKgPerKwh,
                i.Profile, i.UnitPriceCny, i.PurchasedOn?.ToString("yyyy-MM-dd", Inv), i.Reference, i.Note, string.Join(" ", i.Evidence.Select(e => e.FileName)),
            };
        }).ToList());

    /// <summary>The ledger as CSV (UTF-8); a re-import of a single-claim export gives the same instruments (ids, states and evidence aside).</summary>
    public static string Write(IReadOnlyList<LedgerInstrument> ledger)
    {
        var sheet = Sheet(ledger);
        var sb = new StringBuilder();
        sb.Append(string.Join(',', sheet.Columns)).Append('\n');
        foreach (var row in sheet.Rows)
            sb.Append(string.Join(',', row.Select(v => CsvTable.Escape(v switch
            {
                null => "",
                double d => d.ToString("R", Inv),
                bool b => b ? "yes" : "no",
                IFormattable f => f.ToString(null, Inv),
                _ => v.ToString() ?? "",
            })))).Append('\n');
        return sb.ToString();
    }

    private static T Fail<T>(List<string> problems, string message)
    {
        problems.Add(message);
        return default!;
    }

    private static double? Num(CsvTable.Row r, string column, List<string> problems, bool required = false)
    {
        var s = r[column];
        if (s.Length == 0)
        {
            if (required) problems.Add($"{column}: missing");
            return null;
        }
        if (double.TryParse(s, NumberStyles.Float, Inv, out var v) && double.IsFinite(v)) return v;
        problems.Add($"{column}: '{s}' is not a number");
        return null;
    }

    private static DateOnly? Date(CsvTable.Row r, string column, List<string> problems)
    {
        var s = r[column];
        if (s.Length == 0) return null;
        if (DateOnly.TryParseExact(s, ["yyyy-MM-dd", "yyyy/M/d", "yyyy/MM/dd"], Inv, DateTimeStyles.None, out var d)) return d;
        if (double.TryParse(s, NumberStyles.Float, Inv, out var serial) && serial is > 20000 and < 80000) return DateOnly.FromDateTime(DateTime.FromOADate(serial));
        problems.Add($"{column}: '{s}' is not a date (YYYY-MM-DD)");
        return null;
    }
}
