using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;

namespace ZeroPark.Application.Readings.Import;

/// <summary>
/// Bounds on what one uploaded workbook may cost. A few kilobytes of XLSX can expand to gigabytes of XML (a "zip bomb"),
/// so the reader counts what it decompresses and refuses the workbook past any of these. Configuration section
/// <c>ZeroPark:Import</c> (server) or the same keys as environment variables (<c>ZeroPark__Import__XlsxMaxExpandedBytes</c>,
/// server and CLI); see docs/import-formats.md.
/// </summary>
public sealed record ImportLimits
{
    /// <summary>Decompressed bytes read from all parts of the workbook together (default 268,435,456 = 256 MiB).</summary>
    public long XlsxMaxExpandedBytes { get; init; } = 256L << 20;
    /// <summary>Rows of the worksheet (default 1,048,576, Excel's own limit).</summary>
    public int XlsxMaxRows { get; init; } = 1_048_576;
    /// <summary>Cells of the worksheet (default 5,000,000).</summary>
    public long XlsxMaxCells { get; init; } = 5_000_000;
    /// <summary>Entries of the shared string table (default 2,000,000).</summary>
    public int XlsxMaxSharedStrings { get; init; } = 2_000_000;
    /// <summary>Characters of the shared string table together (default 67,108,864).</summary>
    public long XlsxMaxSharedStringChars { get; init; } = 64L << 20;
    /// <summary>Seconds spent reading the workbook (default 60).</summary>
    public int XlsxMaxSeconds { get; init; } = 60;

    public static ImportLimits Default { get; } = new();
}

/// <summary>Thrown inside the reader when a workbook exceeds an <see cref="ImportLimits"/> bound.</summary>
internal sealed class XlsxLimitException(string message) : Exception(message);

/// <summary>
/// Streams the rows of the first worksheet of an XLSX workbook with <see cref="ZipArchive"/> and <see cref="XmlReader"/>:
/// no DTDs (refused), no external resolution, every decompressed byte counted against <see cref="ImportLimits"/>, cells
/// of at most 32,767 characters (Excel's limit). Only the shared strings are held in memory; rows are handed on one by one.
/// </summary>
internal static class XlsxSheet
{
    /// <summary>Start of the reason of a workbook refused for a limit (HTTP 413).</summary>
    public const string TooLarge = "xlsx: too large: ";
    private const int MaxColumns = 16_384;
    private const int MaxCellChars = 32_767;
    [ThreadStatic] private static char[]? Chunk;
    private const string RelNs = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    /// <summary>Calls <paramref name="onRow"/>(spreadsheet row number, cells) for each row until it returns false.
    /// Returns null, or a reason when the workbook cannot be read or is too large.</summary>
    public static string? ReadFirstSheet(Stream stream, IProgress<long>? progress, ImportLimits limits, Func<int, IRowFields, bool> onRow)
    {
        MemoryStream? copy = null;
        var source = stream;
        long length;
        if (!stream.CanSeek)
        {
            copy = new MemoryStream();
            var counted = new ProgressStream(stream, progress);
            counted.CopyTo(copy);
            counted.Complete();
            copy.Position = 0;
            source = copy;
            length = copy.Length;
            progress = null;
        }
        else
        {
            length = stream.Length - stream.Position;
        }

        var budget = new Budget(limits);
        try
        {
            using (copy)
            using (var zip = new ZipArchive(source, ZipArchiveMode.Read, leaveOpen: true))
            {
                var workbookPath = Relationships(zip, "_rels/.rels", "", budget).FirstOrDefault(r => r.Type.EndsWith("/officeDocument", StringComparison.Ordinal)).Target
                    ?? "xl/workbook.xml";
                var dir = workbookPath.Contains('/', StringComparison.Ordinal) ? workbookPath[..(workbookPath.LastIndexOf('/') + 1)] : "";
                var rels = Relationships(zip, $"{dir}_rels/{workbookPath[dir.Length..]}.rels", dir, budget);
                var sheetId = FirstSheetId(zip, workbookPath, budget);
                var sheetPath = rels.FirstOrDefault(r => r.Id == sheetId).Target;
                if (sheetId is null || sheetPath is null || Entry(zip, sheetPath) is null)
                    return "xlsx: the workbook has no worksheet";
                var stringsPath = rels.FirstOrDefault(r => r.Type.EndsWith("/sharedStrings", StringComparison.Ordinal)).Target;
                var strings = stringsPath is null ? [] : SharedStrings(zip, stringsPath, budget);
                ReadRows(zip, sheetPath, strings, budget, onRow);
            }
        }
        catch (XlsxLimitException e)
        {
            return TooLarge + e.Message;
        }
        catch (XmlException e) when (e.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase))
        {
            return "xlsx: the workbook contains a DTD (<!DOCTYPE>); workbooks with DTDs are refused (save it again from Excel or export CSV)";
        }
        catch (Exception e) when (e is XmlException or InvalidDataException or IOException or FormatException or NotSupportedException)
        {
            return $"xlsx: cannot read the workbook ({e.Message})";
        }
        if (progress is not null && length > 0)
            progress.Report(length);
        return null;
    }

    private static ZipArchiveEntry? Entry(ZipArchive zip, string path)
    {
        var p = path.TrimStart('/');
        return zip.GetEntry(p) ?? zip.Entries.FirstOrDefault(e => string.Equals(e.FullName, p, StringComparison.OrdinalIgnoreCase));
    }

    private static XmlReader Open(ZipArchiveEntry entry, Budget budget) =>
        XmlReader.Create(new CountingStream(entry.Open(), budget), new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            MaxCharactersInDocument = budget.Limits.XlsxMaxExpandedBytes,
            CloseInput = true,
        });

    private static List<(string Id, string Type, string Target)> Relationships(ZipArchive zip, string path, string dir, Budget budget)
    {
        var list = new List<(string, string, string)>();
        if (Entry(zip, path) is not { } entry)
            return list;
        using var r = Open(entry, budget);
        while (r.Read())
        {
            if (r.NodeType != XmlNodeType.Element || r.LocalName != "Relationship")
                continue;
            var target = r.GetAttribute("Target");
            if (target is null || r.GetAttribute("TargetMode") == "External")
                continue;
            target = target.StartsWith('/') ? target.TrimStart('/') : Normalize(dir + target);
            list.Add((r.GetAttribute("Id") ?? "", r.GetAttribute("Type") ?? "", target));
        }
        return list;
    }

    private static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); }
            else if (part is not ("." or "")) parts.Add(part);
        }
        return string.Join('/', parts);
    }

    private static string? FirstSheetId(ZipArchive zip, string workbookPath, Budget budget)
    {
        if (Entry(zip, workbookPath) is not { } entry)
            return null;
        using var r = Open(entry, budget);
        while (r.Read())
        {
            if (r.NodeType == XmlNodeType.Element && r.LocalName == "sheet")
                return r.GetAttribute("id", RelNs);
        }
        return null;
    }

    private static List<string> SharedStrings(ZipArchive zip, string path, Budget budget)
    {
        var list = new List<string>();
        if (Entry(zip, path) is not { } entry)
            return list;
        long chars = 0;
        using var r = Open(entry, budget);
        var sb = new StringBuilder();
        while (r.Read())
        {
            if (r.NodeType != XmlNodeType.Element || r.LocalName != "si")
                continue;
            var s = ReadText(r, sb, rich: true);
            chars += s.Length;
            if (list.Count >= budget.Limits.XlsxMaxSharedStrings)
                throw new XlsxLimitException($"the shared string table has more than {budget.Limits.XlsxMaxSharedStrings:N0} entries (limit ZeroPark:Import:XlsxMaxSharedStrings)");
            if (chars > budget.Limits.XlsxMaxSharedStringChars)
                throw new XlsxLimitException($"the shared strings hold more than {budget.Limits.XlsxMaxSharedStringChars:N0} characters (limit ZeroPark:Import:XlsxMaxSharedStringChars)");
            list.Add(s);
        }
        return list;
    }

    /// <summary>The text of the element the reader is on (a &lt;v&gt;, or with <paramref name="rich"/> the &lt;t&gt;
    /// elements of an &lt;si&gt;/&lt;is&gt;, phonetic runs left out); leaves the reader on its end.</summary>
    private static string ReadText(XmlReader r, StringBuilder sb, bool rich)
    {
        if (r.IsEmptyElement)
            return "";
        sb.Clear();
        int depth = r.Depth, skip = -1, text = rich ? -1 : depth;
        while (r.Read())
        {
            if (r.NodeType == XmlNodeType.EndElement && r.Depth == depth)
                break;
            if (skip >= 0)
            {
                if (r.NodeType == XmlNodeType.EndElement && r.Depth == skip) skip = -1;
                continue;
            }
            switch (r.NodeType)
            {
                case XmlNodeType.Element when rich && r.LocalName == "rPh" && !r.IsEmptyElement:
                    skip = r.Depth;
                    break;
                case XmlNodeType.Element when rich && r.LocalName == "t" && !r.IsEmptyElement:
                    text = r.Depth;
                    break;
                case XmlNodeType.EndElement when rich && r.Depth == text:
                    text = -1;
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace when text >= 0 && r.Depth == text + 1:
                    // In chunks: a huge text node is refused at the cell limit, never built as one string.
                    var chunk = Chunk ??= new char[4096];
                    int n;
                    while ((n = r.ReadValueChunk(chunk, 0, chunk.Length)) > 0)
                    {
                        sb.Append(chunk, 0, n);
                        if (sb.Length > MaxCellChars)
                            throw new XlsxLimitException($"a cell holds more than {MaxCellChars:N0} characters (Excel's limit)");
                    }
                    break;
            }
        }
        return sb.ToString();
    }

    private static void ReadRows(ZipArchive zip, string path, List<string> strings, Budget budget, Func<int, IRowFields, bool> onRow)
    {
        using var r = Open(Entry(zip, path)!, budget);
        var row = new XlsxRow();
        var sb = new StringBuilder();
        int lastRow = 0, rows = 0;
        long cells = 0;
        while (r.Read())
        {
            if (r.NodeType != XmlNodeType.Element || r.LocalName != "row")
                continue;
            if (++rows > budget.Limits.XlsxMaxRows)
                throw new XlsxLimitException($"the worksheet has more than {budget.Limits.XlsxMaxRows:N0} rows (limit ZeroPark:Import:XlsxMaxRows)");
            budget.CheckTime();
            int number = int.TryParse(r.GetAttribute("r"), NumberStyles.None, CultureInfo.InvariantCulture, out var ri) && ri > 0 ? ri : lastRow + 1;
            lastRow = number;
            row.Clear();
            if (!r.IsEmptyElement)
            {
                int depth = r.Depth, next = 0;
                while (r.Read() && !(r.NodeType == XmlNodeType.EndElement && r.Depth == depth))
                {
                    if (r.NodeType != XmlNodeType.Element || r.LocalName != "c")
                        continue;
                    if (++cells > budget.Limits.XlsxMaxCells)
                        throw new XlsxLimitException($"the worksheet has more than {budget.Limits.XlsxMaxCells:N0} cells (limit ZeroPark:Import:XlsxMaxCells)");
                    int col = r.GetAttribute("r") is { } reference && ColumnIndex(reference) is >= 0 and var c ? c : next;
                    next = col + 1;
                    var type = r.GetAttribute("t");
                    string? value = null, inline = null;
                    if (!r.IsEmptyElement)
                    {
                        int cellDepth = r.Depth;
                        while (r.Read() && !(r.NodeType == XmlNodeType.EndElement && r.Depth == cellDepth))
                        {
                            if (r.NodeType != XmlNodeType.Element)
                                continue;
                            if (r.LocalName == "v")
                                value = ReadText(r, sb, rich: false);
                            else if (r.LocalName == "is")
                                inline = ReadText(r, sb, rich: true);
                        }
                    }
                    if (col < MaxColumns)
                        row.Set(col, CellText(type, value ?? "", inline, strings));
                }
            }
            if (!onRow(number, row))
                return;
        }
    }

    private static (string Text, bool Number) CellText(string? type, string raw, string? inline, List<string> strings) => type switch
    {
        "s" => (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < strings.Count ? strings[i] : "", false),
        "inlineStr" => (inline ?? "", false),
        "b" => (raw == "1" ? "TRUE" : "FALSE", false),
        null or "n" => (raw, raw.Length > 0),
        _ => (raw, false), // str (formula string), e (error), d (ISO date text)
    };

    private static int ColumnIndex(string reference)
    {
        int col = 0, i = 0;
        for (; i < reference.Length && char.IsAsciiLetter(reference[i]); i++)
        {
            col = col * 26 + (char.ToUpperInvariant(reference[i]) - 'A' + 1);
            if (col > MaxColumns)
                return -1;
        }
        return i == 0 ? -1 : col - 1;
    }

    private sealed class XlsxRow : IRowFields
    {
        private string[] _text = Enumerable.Repeat("", 16).ToArray();
        private bool[] _number = new bool[16];
        private int _count;

        public int Count => _count;
        public ReadOnlySpan<char> Get(int index) => _text[index];
        public bool IsNumber(int index) => index >= 0 && index < _count && _number[index];

        public void Clear()
        {
            Array.Fill(_text, "", 0, _count);
            Array.Fill(_number, false, 0, _count);
            _count = 0;
        }

        public void Set(int col, (string Text, bool Number) cell)
        {
            if (col + 1 > _text.Length)
            {
                int n = Math.Max(col + 1, _text.Length * 2), old = _text.Length;
                Array.Resize(ref _text, n);
                Array.Resize(ref _number, n);
                Array.Fill(_text, "", old, n - old);
            }
            (_text[col], _number[col]) = cell;
            _count = Math.Max(_count, col + 1);
        }
    }

    /// <summary>What the workbook has cost so far: decompressed bytes and time.</summary>
    private sealed class Budget(ImportLimits limits)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _bytes;

        public ImportLimits Limits { get; } = limits;

        public void Add(int n)
        {
            _bytes += n;
            if (_bytes > Limits.XlsxMaxExpandedBytes)
                throw new XlsxLimitException($"the workbook expands to more than {Limits.XlsxMaxExpandedBytes:N0} bytes of XML (limit ZeroPark:Import:XlsxMaxExpandedBytes)");
            CheckTime();
        }

        public void CheckTime()
        {
            if (_clock.Elapsed.TotalSeconds > Limits.XlsxMaxSeconds)
                throw new XlsxLimitException($"reading the workbook took more than {Limits.XlsxMaxSeconds} s (limit ZeroPark:Import:XlsxMaxSeconds)");
        }
    }

    /// <summary>A part's decompressed stream, counted against the budget.</summary>
    private sealed class CountingStream(Stream inner, Budget budget) : ForwardReadStream
    {
        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));
        public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }

        private int Count(int n)
        {
            budget.Add(n);
            return n;
        }
    }
}
