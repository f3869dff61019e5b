using System.Globalization;
using ZeroPark.Domain;
using ZeroPark.Metering;

namespace ZeroPark.Application.Readings.Import;

/// <summary>One validated row of a meter registry file. <see cref="Formula"/> non-null marks a virtual meter.</summary>
public sealed record MeterRow(
    int Line,
    string Code,
    string Name,
    Carrier Carrier,
    MeterKind Kind,
    string Unit,
    double? RegisterMax,
    double Multiplier,
    string? SpaceCode,
    string? SystemCode,
    MeterRole Role,
    int IntervalMinutes,
    double? MaxRatePerHour,
    string? Device,
    string? Formula,
    bool ResetsNormal = false);

/// <summary>
/// Reads a meter registry CSV: header <c>code,name,carrier,kind,unit,register_max,multiplier,space,system,role</c>
/// with optional <c>interval_minutes</c>, <c>max_rate</c>, <c>device</c>, <c>formula</c>, <c>resets_normal</c>
/// (true/false, 1/0, 是/否; empty = false; cumulative meters only). <c>code</c>,
/// <c>carrier</c>, <c>kind</c> and <c>unit</c> are required columns; the others may be left out. Column order is
/// free, header names are case-insensitive; an unknown or repeated column is a header error (so a misspelt column
/// is never silently ignored). UTF-8 (BOM optional) or GBK; comma, semicolon or tab delimited.
/// <para>Defaults: empty name = the code, empty role = submeter, empty multiplier = 1, empty interval = 15 minutes.
/// Each invalid row becomes one <see cref="RowError"/> (1-based physical line, all its problems, each naming the
/// field); valid rows are kept. A code repeated in the file is rejected on its second line.</para>
/// </summary>
public static class MeterFileParser
{
    private static readonly string[] Required = ["code", "carrier", "kind", "unit"];

    private static readonly string[] Known =
    [
        "code", "name", "carrier", "kind", "unit", "register_max", "multiplier", "space", "system", "role",
        "interval_minutes", "max_rate", "device", "formula", "resets_normal",
    ];

    /// <summary>Accepted alternative spellings of column names.</summary>
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["space_code"] = "space",
        ["system_code"] = "system",
        ["max_rate_per_hour"] = "max_rate",
        ["interval"] = "interval_minutes",
    };

    public static (IReadOnlyList<MeterRow> Rows, IReadOnlyList<RowError> Errors) Parse(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return TextDecoding.Read<(IReadOnlyList<MeterRow>, IReadOnlyList<RowError>)>(stream, null, null, (reader, encodingName) =>
        {
            var rows = new List<MeterRow>();
            var errors = new List<RowError>();
            var csv = new CsvRecordReader(reader);
            csv.DetectDelimiter();
            if (!csv.ReadNonBlank())
                return (rows, [new RowError(1, "header: file is empty")]);

            var columns = ResolveHeader(csv.ToStrings(), out var headerError);
            if (columns is null)
                return (rows, [new RowError(csv.Line, headerError!)]);

            var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
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
                if (csv.IsBlank())
                    continue;
                var reason = ReadRow(csv, columns, seen, out var row);
                if (reason is not null)
                    errors.Add(new RowError(csv.Line, reason));
                else
                    rows.Add(row!);
            }
            return (rows, errors);
        });
    }

    private static Dictionary<string, int>? ResolveHeader(string[] headers, out string? error)
    {
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        var problems = new List<string>();
        for (int i = 0; i < headers.Length; i++)
        {
            var h = HeaderMatch.Normalize(headers[i]).ToLowerInvariant();
            if (h.Length == 0 && i == headers.Length - 1 && i > 0)
                continue; // trailing delimiter
            var name = Aliases.TryGetValue(h, out var canonical) ? canonical : h;
            if (Array.IndexOf(Known, name) < 0)
                problems.Add($"unknown column '{headers[i].Trim()}' (known: {string.Join(", ", Known)})");
            else if (!columns.TryAdd(name, i))
                problems.Add($"column '{name}' appears twice");
        }
        foreach (var r in Required)
        {
            if (!columns.ContainsKey(r))
                problems.Add($"missing column '{r}'");
        }
        if (problems.Count > 0)
        {
            error = "header: " + string.Join("; ", problems);
            return null;
        }
        error = null;
        return columns;
    }

    private static string? ReadRow(CsvRecordReader f, Dictionary<string, int> columns, Dictionary<string, int> seen, out MeterRow? row)
    {
        row = null;
        string? reason = null;
        string Cell(string column) => columns.TryGetValue(column, out var i) ? f.Field(i).ToString() : "";

        // code
        var code = Cell("code");
        bool codeOk = false;
        if (code.Length == 0)
            ImportText.Add(ref reason, "code: empty");
        else if (!IsValidCode(code))
            ImportText.Add(ref reason, $"code: '{ImportText.Show(code)}' must match ^[A-Za-z0-9][A-Za-z0-9_.\\-]*$ (letters, digits, '_', '.', '-'; matched ignoring case)");
        else if (seen.TryGetValue(code, out var firstLine))
            ImportText.Add(ref reason, $"code: '{code}' duplicates line {firstLine}");
        else
            codeOk = true;

        var name = Cell("name");
        if (name.Length == 0)
            name = code;

        // carrier, kind, role
        var carrierText = Cell("carrier");
        Carrier carrier = default;
        bool carrierOk = false;
        if (carrierText.Length == 0)
            ImportText.Add(ref reason, "carrier: empty");
        else if (!(carrierOk = Codes.TryCarrier(carrierText, out carrier)))
            ImportText.Add(ref reason, $"carrier: '{ImportText.Show(carrierText)}' is unknown (expected one of {string.Join(", ", Codes.Carriers.Select(Codes.Of))})");

        var kindText = Cell("kind");
        MeterKind kind = default;
        bool kindOk = false;
        if (kindText.Length == 0)
            ImportText.Add(ref reason, "kind: empty");
        else if (!(kindOk = Codes.TryKind(kindText, out kind)))
            ImportText.Add(ref reason, $"kind: '{ImportText.Show(kindText)}' is unknown (expected cumulative, interval, power or gauge)");

        var roleText = Cell("role");
        var role = MeterRole.Submeter;
        if (roleText.Length > 0 && !Codes.TryRole(roleText, out role))
            ImportText.Add(ref reason, $"role: '{ImportText.Show(roleText)}' is unknown (expected one of {string.Join(", ", Codes.Roles.Select(Codes.Of))})");

        // unit
        var unit = Cell("unit");
        if (unit.Length == 0)
        {
            ImportText.Add(ref reason, "unit: empty");
        }
        else if (kindOk && kind == MeterKind.Power)
        {
            if (unit is not ("kW" or "kw" or "MW" or "mw" or "W" or "w"))
                ImportText.Add(ref reason, $"unit: '{ImportText.Show(unit)}' is not a power unit (kW, MW, W)");
        }
        else if (kindOk && kind == MeterKind.Gauge)
        {
            if (!MeterUnits.IsGaugeUnit(unit))
                ImportText.Add(ref reason, $"unit: '{ImportText.Show(unit)}' is not a gauge unit (°C or %)");
        }
        else if (carrierOk)
        {
            try
            {
                _ = MeterUnits.ToCanonicalFactor(carrier, unit);
            }
            catch (ArgumentException)
            {
                ImportText.Add(ref reason, $"unit: '{ImportText.Show(unit)}' does not fit carrier {Codes.Of(carrier)} (canonical unit {MeterUnits.CanonicalUnit(carrier)})");
            }
        }

        // numbers
        double? registerMax = OptionalPositive(Cell("register_max"), "register_max", ref reason);
        if (registerMax is not null && kindOk && kind != MeterKind.Cumulative)
            ImportText.Add(ref reason, $"register_max: only meaningful for cumulative meters (this one is {Codes.Of(kind)}); leave it empty");
        double multiplier = OptionalPositive(Cell("multiplier"), "multiplier", ref reason) ?? 1.0;
        double? maxRate = OptionalPositive(Cell("max_rate"), "max_rate", ref reason);

        int interval = 15;
        var intervalText = Cell("interval_minutes");
        if (intervalText.Length > 0
            && (!int.TryParse(intervalText, NumberStyles.None, CultureInfo.InvariantCulture, out interval) || interval < 1 || interval > 1440))
            ImportText.Add(ref reason, $"interval_minutes: '{ImportText.Show(intervalText)}' must be a whole number of minutes from 1 to 1440");

        // references
        var system = Cell("system");
        if (system.Length > 0 && !SystemTaxonomy.IsKnown(system))
            ImportText.Add(ref reason, $"system: '{ImportText.Show(system)}' is not a known system (e.g. cooling.chiller, power.ups, it)");
        var space = Cell("space");
        var device = Cell("device");
        var formula = Cell("formula");

        var resetsText = Cell("resets_normal").Trim();
        var resetsNormal = false;
        switch (resetsText.ToLowerInvariant())
        {
            case "" or "false" or "0" or "否":
                break;
            case "true" or "1" or "是":
                resetsNormal = true;
                if (kindOk && kind != MeterKind.Cumulative)
                    ImportText.Add(ref reason, $"resets_normal: applies to cumulative meters only (this one is {Codes.Of(kind)})");
                break;
            default:
                ImportText.Add(ref reason, $"resets_normal: '{ImportText.Show(resetsText)}' must be true or false (1/0, 是/否)");
                break;
        }

        if (codeOk)
            seen[code] = f.Line;
        if (reason is not null)
            return reason;

        row = new MeterRow(
            f.Line, code, name, carrier, kind, unit, registerMax, multiplier,
            NullIfEmpty(space), NullIfEmpty(system), role, interval, maxRate, NullIfEmpty(device), NullIfEmpty(formula), resetsNormal);
        return null;
    }

    private static double? OptionalPositive(string text, string field, ref string? reason)
    {
        if (text.Length == 0)
            return null;
        if (!ImportText.TryNumber(text, decimalComma: false, out var v) || !double.IsFinite(v))
        {
            ImportText.Add(ref reason, $"{field}: '{ImportText.Show(text)}' is not a number");
            return null;
        }
        if (v <= 0)
        {
            ImportText.Add(ref reason, $"{field}: must be greater than 0 (got {ImportText.Show(text)})");
            return null;
        }
        return v;
    }

    private static bool IsValidCode(string code)
    {
        if (!(char.IsAsciiLetter(code[0]) || char.IsAsciiDigit(code[0])))
            return false;
        foreach (var c in code)
        {
            if (!(char.IsAsciiLetter(c) || char.IsAsciiDigit(c) || c is '_' or '.' or '-'))
                return false;
        }
        return true;
    }

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;
}
