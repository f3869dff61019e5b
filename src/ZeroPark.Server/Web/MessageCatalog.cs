using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ZeroPark.Server.Web;

/// <summary>
/// Machine-written texts (KPI notes, carbon traces and analysis notes, import rejection reasons, validation messages, audit
/// details) in the reader's language. The producers (Core, Storage) write English: that English is what the API and CLI
/// return. The catalogue Resources/Messages.resx maps each English composite format, as written in the producer
/// (<c>"{0} energy is negative ({1}): …"</c>, the gettext / IStringLocalizer convention of keying by the source text), to its
/// Chinese format. A text is matched against the formats (exact texts first, then the most specific format), its arguments
/// are taken from the English and themselves translated (a nested reason, a code with a display name), and put into the
/// Chinese format. Stored texts (audit details, saved trace steps) are translated the same way, so no schema change is needed.
/// A text no format matches is shown as written (the Chinese-UI browser test lists those).
/// </summary>
public static class MessageCatalog
{
    private sealed record Pattern(string Key, string Zh, Regex Regex, string Prefix, int Literal);

    private static readonly Lazy<(Dictionary<string, string> Exact, Pattern[] Patterns)> Table = new(Load);

    private static readonly Regex Placeholder = new(@"\{(\d+)(,-?\d+)?(:[^{}]*)?\}", RegexOptions.CultureInvariant);

    /// <summary>The catalogue (English format → Chinese format).</summary>
    internal static IReadOnlyDictionary<string, string> Entries { get; } = ResourceTable.Read("ZeroPark.Server.Resources.Messages.resources");

    private static (Dictionary<string, string>, Pattern[]) Load()
    {
        var exact = new Dictionary<string, string>(StringComparer.Ordinal);
        var patterns = new List<Pattern>();
        foreach (var (key, zh) in Entries)
        {
            if (!Placeholder.IsMatch(key)) { exact[Unescape(key)] = Unescape(zh); continue; }
            var rx = new StringBuilder("^");
            var literal = new StringBuilder();
            var prefix = (string?)null;
            var last = 0;
            foreach (Match m in Placeholder.Matches(key))
            {
                var lit = Unescape(key[last..m.Index]);
                prefix ??= lit;
                literal.Append(lit);
                rx.Append(Regex.Escape(lit)).Append("(?<a").Append(m.Groups[1].Value).Append(">.*?)");
                last = m.Index + m.Length;
            }
            var tail = Unescape(key[last..]);
            literal.Append(tail);
            rx.Append(Regex.Escape(tail)).Append('$');
            Regex regex;
            try { regex = new Regex(rx.ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline); }
            catch (ArgumentException) { continue; } // a placeholder used twice: not matchable, only exact use
            patterns.Add(new Pattern(key, zh, regex, prefix ?? "", literal.Length));
        }
        return (exact, patterns.OrderByDescending(p => p.Literal).ToArray());
    }

    private static string Unescape(string format) => format.Replace("{{", "{", StringComparison.Ordinal).Replace("}}", "}", StringComparison.Ordinal);

    /// <summary><paramref name="english"/> in the request's language (unchanged in English or when no format matches).</summary>
    public static string Translate(string? english) => english is null ? "" : UiText.IsChinese ? ToChinese(english, 0) : english;

    internal static string ToChinese(string english, int depth)
    {
        if (english.Length == 0 || depth > 4) return english;
        var (exact, patterns) = Table.Value;
        if (exact.TryGetValue(english, out var zh)) return zh;
        // A list of problems joined by "; " part by part when every part has a rendering (so that a format starting with a
        // placeholder, "{0}: '{1}' is not a date", does not swallow the list); then the specific formats; the bare
        // "{0}: {1}" (field: reason) last.
        if (english.Contains("; ", StringComparison.Ordinal))
        {
            // A format that is itself a list ("unit: {0} is an energy (GJ, kWh); for steam … convert first: …") renders the
            // whole text before its parts are tried one by one.
            if (Match(english, patterns.Where(p => p.Literal > GenericLiteral && p.Key.Contains("; ", StringComparison.Ordinal)), depth, generic: false) is { } list)
                return list;
            var parts = english.Split("; ");
            var zhParts = parts.Select(p => ToChinese(p, depth + 1)).ToArray();
            if (zhParts.Where((z, i) => !ReferenceEquals(z, parts[i])).Count() == parts.Length) return string.Join("；", zhParts);
        }
        if (Match(english, patterns, depth, generic: false) is { } specific) return specific;
        return Match(english, patterns, depth, generic: true) ?? english;
    }

    private static string? Match(string english, IEnumerable<Pattern> patterns, int depth, bool generic)
    {
        foreach (var p in patterns)
        {
            if ((p.Literal <= GenericLiteral) != generic || !english.StartsWith(p.Prefix, StringComparison.Ordinal)) continue;
            var m = p.Regex.Match(english);
            if (!m.Success) continue;
            return Placeholder.Replace(p.Zh, ph =>
            {
                var g = m.Groups["a" + ph.Groups[1].Value];
                return g.Success ? Argument(g.Value, depth) : ph.Value;
            });
        }
        return null;
    }

    /// <summary>Formats with this much literal text or less ("{0}: {1}") are tried after everything else.</summary>
    private const int GenericLiteral = 2;

    /// <summary>An argument: a nested text, a code with a display name (carrier, system, role, …), or as it is.</summary>
    private static string Argument(string value, int depth)
    {
        if (value.Length > 0 && UiText.CodeName(value) is { } name) return name;
        return ToChinese(value, depth + 1);
    }

    /// <summary>Whether <paramref name="text"/> has a Chinese rendering (used by tests).</summary>
    internal static bool Knows(string text) => !ReferenceEquals(ToChinese(text, 0), text) || text.Length == 0;

    internal static CultureInfo Chinese { get; } = CultureInfo.GetCultureInfo("zh-CN");
}
