using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ZeroPark.Reports;

/// <summary>One item of a sealed document: a section (inventory, results, line, activity, rollup, factor, instrument,
/// setting), a key unique in its section (e.g. <c>factor #12</c>) and named field values in canonical text form.</summary>
public sealed record SealItem(string Section, string Key, IReadOnlyList<KeyValuePair<string, string>> Fields)
{
    public string? Field(string name) => Fields.FirstOrDefault(f => f.Key == name).Value;
}

/// <summary>A change between the sealed and the live form of one item.</summary>
public sealed record SealChange(string Section, string Key, string Kind, string? Field, string? Before, string? After)
{
    /// <summary>"factor #12: value 0.5306 → 0.1", "activity record #5: removed", "rollup meter grid 2025-01: added (amount 42)".</summary>
    public string Describe() => Kind switch
    {
        "removed" => $"{Key}: removed",
        "added" => $"{Key}: added ({Before ?? After})",
        _ => $"{Key}: {Field} {Before} → {After}",
    };
}

/// <summary>
/// The canonical form of the inputs and results of a sealed inventory and its SHA-256 hashes. Canonical text: one line per
/// item, items sorted by section then key (ordinal), fields sorted by name (ordinal), each line
/// <c>section TAB key TAB name=value TAB …</c>; backslash, tab, newline, carriage return and '=' in a text are escaped
/// (<c>\\ \t \n \r \=</c>); numbers in their shortest round-trip invariant form ("R", −0 written 0), dates ISO (YYYY-MM-DD).
/// Each section has its own hash (over its lines, each ended by LF); the seal's hash chains the previous seal's hash, the
/// seal header and the section hashes, so a changed item, a removed seal or a reordered chain all change a hash.
/// Written here rather than with a JSON canonicalisation (RFC 8785) package because none is served and the line form lets
/// verification name the item and the field that changed.
/// </summary>
public sealed class SealDocument
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    private readonly SortedDictionary<(string Section, string Key), SealItem> _items = new(Comparer<(string, string)>.Create(
        (a, b) => string.CompareOrdinal(a.Item1, b.Item1) is var c && c != 0 ? c : string.CompareOrdinal(a.Item2, b.Item2)));

    public IEnumerable<SealItem> Items => _items.Values;

    public IEnumerable<string> Sections => _items.Keys.Select(k => k.Section).Distinct();

    /// <summary>Adds an item; a second item with the same section and key is an error (keys name what changed).</summary>
    public SealDocument Add(string section, string key, params (string Name, object? Value)[] fields)
    {
        var list = fields.Select(f => new KeyValuePair<string, string>(f.Name, Text(f.Value))).OrderBy(f => f.Key, StringComparer.Ordinal).ToList();
        if (!_items.TryAdd((section, key), new SealItem(section, key, list)))
            throw new InvalidOperationException($"seal: item '{section}/{key}' added twice");
        return this;
    }

    /// <summary>The canonical text of a value: numbers round-trip invariant, dates ISO, null empty.</summary>
    public static string Text(object? v) => v switch
    {
        null => "",
        string s => s,
        double d => d == 0 ? "0" : d.ToString("R", CultureInfo.InvariantCulture),
        float f => ((double)f).ToString("R", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };

    private static string Escape(string s)
    {
        if (s.AsSpan().IndexOfAny("\\\t\n\r=") < 0) return s;
        var sb = new StringBuilder(s.Length + 8);
        foreach (var ch in s)
            sb.Append(ch switch { '\\' => "\\\\", '\t' => "\\t", '\n' => "\\n", '\r' => "\\r", '=' => "\\=", _ => ch.ToString() });
        return sb.ToString();
    }

    private static string Unescape(string s)
    {
        if (!s.Contains('\\', StringComparison.Ordinal)) return s;
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] != '\\' || i == s.Length - 1) { sb.Append(s[i]); continue; }
            var n = s[++i];
            sb.Append(n switch { 't' => '\t', 'n' => '\n', 'r' => '\r', _ => n });
        }
        return sb.ToString();
    }

    private static string Line(SealItem i) =>
        string.Join('\t', new[] { Escape(i.Section), Escape(i.Key) }.Concat(i.Fields.Select(f => Escape(f.Key) + "=" + Escape(f.Value))));

    /// <summary>The canonical text: every item's line, each ended by LF.</summary>
    public string Canonical() => string.Concat(_items.Values.Select(i => Line(i) + "\n"));

    /// <summary>The canonical text of one section.</summary>
    public string Canonical(string section) => string.Concat(_items.Values.Where(i => i.Section == section).Select(i => Line(i) + "\n"));

    /// <summary>SHA-256 (lower-case hex) of each section's canonical text.</summary>
    public IReadOnlyDictionary<string, string> SectionHashes() =>
        Sections.ToDictionary(s => s, s => Sha256(Canonical(s)), StringComparer.Ordinal);

    /// <summary>Reads a canonical text back (the form stored with a seal).</summary>
    public static SealDocument Parse(string canonical)
    {
        var doc = new SealDocument();
        foreach (var line in canonical.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = SplitUnescaped(line, '\t');
            if (parts.Count < 2) throw new FormatException($"seal document: line '{line}' has no key");
            var fields = parts.Skip(2).Select(p =>
            {
                var kv = SplitUnescaped(p, '=');
                if (kv.Count != 2) throw new FormatException($"seal document: field '{p}' is not name=value");
                return (Unescape(kv[0]), (object?)Unescape(kv[1]));
            }).ToArray();
            doc.Add(Unescape(parts[0]), Unescape(parts[1]), fields);
        }
        return doc;
    }

    private static List<string> SplitUnescaped(string s, char sep)
    {
        var parts = new List<string>();
        var start = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\') { i++; continue; }
            if (s[i] == sep) { parts.Add(s[start..i]); start = i + 1; }
        }
        parts.Add(s[start..]);
        return parts;
    }

    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>The hash of a seal: SHA-256 over the header (format, previous hash, park, inventory, sealing time and user)
    /// and the section hashes in section order.</summary>
    public static string ChainHash(string previousHash, string park, long inventoryId, long sealedAtUnix, string sealedBy, IReadOnlyDictionary<string, string> sectionHashes)
    {
        var sb = new StringBuilder();
        sb.Append("zeropark-seal/1\n");
        sb.Append("previous=").Append(previousHash).Append('\n');
        sb.Append("park=").Append(Escape(park)).Append('\n');
        sb.Append("inventory=").Append(inventoryId.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("sealed_at=").Append(sealedAtUnix.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("sealed_by=").Append(Escape(sealedBy)).Append('\n');
        foreach (var (k, v) in sectionHashes.OrderBy(x => x.Key, StringComparer.Ordinal)) sb.Append("section=").Append(Escape(k)).Append(' ').Append(v).Append('\n');
        return Sha256(sb.ToString());
    }

    /// <summary>The section hashes as stored with a seal: "name hash" per line, sorted.</summary>
    public static string FormatSectionHashes(IReadOnlyDictionary<string, string> h) =>
        string.Concat(h.OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => $"{x.Key} {x.Value}\n"));

    public static IReadOnlyDictionary<string, string> ParseSectionHashes(string s) =>
        s.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);

    /// <summary>What differs between the sealed document and the live one, in the given sections, item by item and field by
    /// field (items only in the live document are "added", only in the sealed one "removed").</summary>
    public static IReadOnlyList<SealChange> Compare(SealDocument sealedDoc, SealDocument live, IReadOnlySet<string>? sections = null)
    {
        var changes = new List<SealChange>();
        bool In(string s) => sections is null || sections.Contains(s);
        foreach (var ((section, key), before) in sealedDoc._items)
        {
            if (!In(section)) continue;
            if (!live._items.TryGetValue((section, key), out var after)) { changes.Add(new SealChange(section, key, "removed", null, null, null)); continue; }
            var names = before.Fields.Select(f => f.Key).Union(after.Fields.Select(f => f.Key)).Order(StringComparer.Ordinal);
            foreach (var n in names)
            {
                var b = before.Field(n);
                var a = after.Field(n);
                if (b != a) changes.Add(new SealChange(section, key, "changed", n, b ?? "(none)", a ?? "(none)"));
            }
        }
        foreach (var ((section, key), after) in live._items)
            if (In(section) && !sealedDoc._items.ContainsKey((section, key)))
                changes.Add(new SealChange(section, key, "added", null, string.Join(", ", after.Fields.Select(f => $"{f.Key} {f.Value}")), null));
        return changes;
    }
}
