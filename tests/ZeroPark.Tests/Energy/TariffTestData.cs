using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using ZeroPark.Metering;
using ZeroPark.Application;
using ZeroPark.Application.EnergyManagement;

namespace ZeroPark.Tests.EnergyManagement;

/// <summary>
/// Tariffs and a small cost park whose costs are worked out by hand (Asia/Shanghai, UTC+8).
/// <para>Schedule (both versions): valley 00–08 (8 h); flat 08–10, 12–17, 22–24 (9 h); peak 10–12, 17–22 (7 h); in July and August
/// only, critical peak 20–22 overrides peak (so July: peak 5 h, critical peak 2 h).</para>
/// <code>
///   version A (valid from 2025-07-01): critical_peak 1.30, peak 1.05, flat 0.65, valley 0.30 CNY/kWh
///   version B (valid from 2025-07-15): critical_peak 1.25, peak 1.00, flat 0.62, valley 0.28 CNY/kWh   ← changes mid-July
/// </code>
/// Meters (interval, hourly; the reading at t closes the hour [t − 1 h, t)): grid (facility_input) = 100 + h kWh in local hour h
/// (h = 0…23: 2,676 kWh a day), it (it_load) 80 kWh/h, chiller (cooling) 15 kWh/h, light (aux) 5 kWh/h, no power-system meter.
/// <para>Grid energy per period in a July day: valley h0–7 = 800 + 28 = 828; flat h8,9,12–16,22,23 = 900 + 132 = 1,032;
/// peak h10,11,17,18,19 = 500 + 75 = 575; critical h20,21 = 200 + 41 = 241 (828 + 1,032 + 575 + 241 = 2,676).</para>
/// </summary>
internal static class TariffTestData
{
    public const string ScheduleJson =
        """
        [
          {"start": 0, "end": 8, "period": "valley"},
          {"start": 8, "end": 10, "period": "flat"},
          {"start": 10, "end": 12, "period": "peak"},
          {"start": 12, "end": 17, "period": "flat"},
          {"start": 17, "end": 22, "period": "peak"},
          {"start": 22, "end": 24, "period": "flat"},
          {"start": 20, "end": 22, "period": "critical_peak", "months": [7, 8]}
        ]
        """;

    public const string JsonA = """{"name": "test 10kV A", "prices": {"critical_peak": 1.30, "peak": 1.05, "flat": 0.65, "valley": 0.30}, "schedule": """ + ScheduleJson + "}";
    public const string JsonB = """{"name": "test 10kV B", "prices": {"critical_peak": 1.25, "peak": 1.00, "flat": 0.62, "valley": 0.28}, "schedule": """ + ScheduleJson + "}";

    public static TariffDraft Draft(string json, string validFrom) => TariffDraft.FromJson(json) with { ValidFrom = validFrom };

    public static double Grid(int hour) => 100 + hour;

    /// <summary>Creates the cost park: building b1 with meters grid, it, chiller, light.</summary>
    public static async Task CreateCostParkAsync(ZeroParkStore store, string park)
    {
        await store.Registry.CreateParkAsync(new ParkDraft(park, "Cost test park"));
        await store.Registry.CreateSpaceAsync(park, new SpaceDraft("b1", "Building 1", null));
        static MeterDraft M(string code, string system, string role = "submeter") =>
            new(code, code, "electricity", "interval", "kWh") { IntervalMinutes = 60, SystemCode = system, Role = role, SpaceCode = "b1" };
        await store.Registry.CreateMetersAsync(park, [M("grid", "power.distribution", "facility_input"), M("it", "it.server", "it_load"), M("chiller", "cooling.chiller"), M("light", "aux.lighting")]);
    }

    /// <summary>Readings of whole local days; every energy is multiplied by <paramref name="scale"/>(day).</summary>
    public static async Task SeedDaysAsync(ZeroParkStore store, string park, IEnumerable<DateOnly> days, Func<DateOnly, double>? scale = null)
    {
        var points = new List<RawPoint>();
        var line = 0;
        foreach (var day in days.Order())
        {
            var f = scale?.Invoke(day) ?? 1;
            var t0 = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8));
            for (var h = 0; h < 24; h++)
            {
                var t = t0.AddHours(h + 1);
                points.Add(new RawPoint("grid", t, Grid(h) * f, ++line));
                points.Add(new RawPoint("it", t, 80 * f, ++line));
                points.Add(new RawPoint("chiller", t, 15 * f, ++line));
                points.Add(new RawPoint("light", t, 5 * f, ++line));
            }
        }
        var s = await store.Readings.IngestAsync(park, points, new IngestSource("test", "tester"));
        Assert.Empty(s.Rejected);
    }

    /// <summary>The cells of a sheet read back with the OpenXml SDK: (row, column) → (numeric?, text). Inline strings and shared
    /// strings are text; cells without a type or of type n are numbers.</summary>
    public static List<List<(bool Numeric, string? Text)>> ReadSheet(byte[] xlsx, string sheetName)
    {
        using var ms = new MemoryStream(xlsx);
        using var doc = SpreadsheetDocument.Open(ms, false);
        var wb = doc.WorkbookPart!;
        var sheet = wb.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == sheetName);
        var ws = ((WorksheetPart)wb.GetPartById(sheet.Id!)).Worksheet;
        var rows = new List<List<(bool, string?)>>();
        foreach (var row in ws.GetFirstChild<SheetData>()!.Elements<Row>())
        {
            var cells = new List<(bool, string?)>();
            foreach (var c in row.Elements<Cell>())
            {
                var col = ColumnIndex(c.CellReference!.Value!);
                while (cells.Count < col) cells.Add((false, null));
                var numeric = c.DataType is null || c.DataType.Value == CellValues.Number;
                cells.Add((numeric, c.DataType?.Value == CellValues.InlineString ? c.InlineString!.Text!.Text : c.CellValue?.Text));
            }
            rows.Add(cells);
        }
        return rows;
    }

    private static int ColumnIndex(string reference)
    {
        var n = 0;
        foreach (var ch in reference.TakeWhile(char.IsLetter)) n = n * 26 + (ch - 'A' + 1);
        return n - 1;
    }

    /// <summary>The value of column <paramref name="name"/> in data row <paramref name="row"/> (1 = first row after the header).</summary>
    public static (bool Numeric, string? Text) Cell(List<List<(bool Numeric, string? Text)>> sheet, int row, string name)
    {
        var col = sheet[0].FindIndex(h => h.Text == name);
        Assert.True(col >= 0, $"no column '{name}' in: {string.Join(", ", sheet[0].Select(h => h.Text))}");
        return col < sheet[row].Count ? sheet[row][col] : (false, null);
    }

    public static double Number(List<List<(bool Numeric, string? Text)>> sheet, int row, string name)
    {
        var c = Cell(sheet, row, name);
        Assert.True(c.Numeric && c.Text is not null, $"'{name}' in row {row} is not a number cell: {c}");
        return double.Parse(c.Text!, System.Globalization.CultureInfo.InvariantCulture);
    }
}
