using System.Text;
using System.Text.RegularExpressions;

namespace ZeroPark.Tests.Web;

/// <summary>
/// The machine-written message literals of the producers (ZeroPark.Core and ZeroPark.Application), read from their source
/// files as a small C# lexer sees them: string literals and interpolated strings outside comments, with each interpolation
/// hole written as a numbered placeholder (<c>$"meter '{code}' not found"</c> → <c>meter '{0}' not found</c>) and literals
/// joined by <c>+</c> kept together (an expression between two joined literals is a placeholder too). Only prose counts: a
/// literal with at least two English words of three letters or more; SQL, raw (""") strings, formats and code lists do not.
/// </summary>
internal static partial class MessageLiterals
{
    /// <summary>The message formats of <paramref name="sourceDirs"/> (relative to the repository root), each with the file and
    /// line it was found at.</summary>
    public static IReadOnlyList<(string Format, string Where)> Scan(params string[] sourceDirs)
    {
        var root = RepositoryRoot();
        var found = new List<(string, string)>();
        foreach (var dir in sourceDirs)
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, dir), "*.cs", SearchOption.AllDirectories)
                         .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                                     && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                         .Order(StringComparer.Ordinal))
            {
                var text = File.ReadAllText(file);
                var lines = text.Split('\n');
                foreach (var (format, offset) in new Lexer(text).Messages())
                {
                    var line = text.AsSpan(0, Math.Min(offset, text.Length)).Count('\n');
                    // A line that also holds Chinese is a bilingual definition (a system's or source's zh and en names): the
                    // Chinese UI shows the Chinese one.
                    if (IsProse(format) && !lines[line].Any(c => c is >= '\u4e00' and <= '\u9fff'))
                        found.Add((format, $"{Path.GetRelativePath(root, file)}:{line + 1}"));
                }
            }
        return found;
    }

    /// <summary>The repository root: the nearest folder above the test binaries that holds ZeroPark.sln.</summary>
    public static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "ZeroPark.sln"))) return d.FullName;
        throw new InvalidOperationException("ZeroPark.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Prose: two English words (three letters or more) outside placeholders, and not SQL or a date format.</summary>
    private static bool IsProse(string format)
    {
        var text = Placeholder().Replace(format, " ");
        if (Sql().IsMatch(text) || text.TrimStart().StartsWith('<')) return false; // SQL, or markup (an SVG chart's elements)
        return Word().Count(text) >= 2 && text.Contains(' ', StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"(?<![A-Za-z_])[a-z]{3,}(?![A-Za-z_0-9])")]
    private static partial Regex Word();

    [GeneratedRegex(@"^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|WITH|ALTER|DROP|PRAGMA|VACUUM|ANALYZE|COPY|ON CONFLICT|FROM|WHERE|AND|OR|JOIN|LEFT|ORDER|GROUP|VALUES|SET)\b")]
    private static partial Regex Sql();

    /// <summary>Just enough of C#'s lexical grammar: comments, char literals, regular/verbatim/interpolated/raw strings.</summary>
    private sealed class Lexer(string s)
    {
        private int _i;

        public IEnumerable<(string Format, int Offset)> Messages()
        {
            while (_i < s.Length)
            {
                var start = _i;
                if (TryLiteral(out var lit, out var nested))
                {
                    foreach (var n in nested) yield return n;
                    if (lit is null) continue;
                    // Joined by '+': "a" + "b", "a " + x + " b" (the expression becomes a placeholder).
                    var sb = new StringBuilder(lit.Value.Text);
                    var holes = lit.Value.Holes;
                    while (true)
                    {
                        var save = _i;
                        SkipSpace();
                        if (_i >= s.Length || s[_i] != '+' || (_i + 1 < s.Length && (s[_i + 1] == '+' || s[_i + 1] == '='))) { _i = save; break; }
                        _i++;
                        SkipSpace();
                        if (TryLiteral(out var next, out var nested2) && next is not null)
                        {
                            foreach (var n in nested2) yield return n;
                            sb.Append(Renumber(next.Value.Text, holes));
                            holes += next.Value.Holes;
                            continue;
                        }
                        // An expression: up to a top-level '+' followed by a literal, else the join ends.
                        var exprStart = _i;
                        SkipExpression();
                        var afterExpr = _i;
                        SkipSpace();
                        if (_i < s.Length && s[_i] == '+')
                        {
                            _i++;
                            SkipSpace();
                            if (TryLiteral(out var tail, out var nested3) && tail is not null)
                            {
                                foreach (var n in nested3) yield return n;
                                sb.Append('{').Append(holes++).Append('}');
                                sb.Append(Renumber(tail.Value.Text, holes));
                                holes += tail.Value.Holes;
                                continue;
                            }
                        }
                        if (afterExpr > exprStart) sb.Append('{').Append(holes++).Append('}');
                        _i = afterExpr;
                        break;
                    }
                    yield return (sb.ToString(), start);
                    continue;
                }
                if (Starts("//")) { var e = s.IndexOf('\n', _i); _i = e < 0 ? s.Length : e; continue; }
                if (Starts("/*")) { var e = s.IndexOf("*/", _i + 2, StringComparison.Ordinal); _i = e < 0 ? s.Length : e + 2; continue; }
                if (s[_i] == '\'') { SkipChar(); continue; }
                _i++;
            }
        }

        private static string Renumber(string text, int offset) =>
            offset == 0 ? text : Regex.Replace(text, @"\{(\d+)\}", m => "{" + (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + offset) + "}");

        private bool Starts(string t) => string.CompareOrdinal(s, _i, t, 0, t.Length) == 0;

        private void SkipSpace()
        {
            while (_i < s.Length)
            {
                if (char.IsWhiteSpace(s[_i])) { _i++; continue; }
                if (Starts("//")) { var e = s.IndexOf('\n', _i); _i = e < 0 ? s.Length : e; continue; }
                break;
            }
        }

        private void SkipChar()
        {
            _i++;
            while (_i < s.Length && s[_i] != '\'') _i += s[_i] == '\\' ? 2 : 1;
            _i++;
        }

        /// <summary>Skips an expression to the next top-level '+', ',', ')', ';', ':', '?', ']' or '}'.</summary>
        private void SkipExpression()
        {
            var depth = 0;
            while (_i < s.Length)
            {
                var c = s[_i];
                if (TryLiteral(out _, out _)) continue;
                if (c == '\'') { SkipChar(); continue; }
                if (c is '(' or '[' or '{') depth++;
                else if (c is ')' or ']' or '}') { if (depth == 0) return; depth--; }
                else if (depth == 0 && c is '+' or ',' or ';' or '?' or ':') return;
                else if (depth == 0 && c == '=' && _i + 1 < s.Length && s[_i + 1] == '>') return;
                _i++;
            }
        }

        /// <summary>Reads a string literal at the cursor: its text with numbered holes (null for raw strings, which are
        /// skipped), and the literals nested in its holes.</summary>
        private bool TryLiteral(out (string Text, int Holes)? literal, out List<(string, int)> nested)
        {
            literal = null;
            nested = [];
            var j = _i;
            var dollars = 0;
            var verbatim = false;
            while (j < s.Length && (s[j] == '$' || s[j] == '@'))
            {
                if (s[j] == '$') dollars++; else verbatim = true;
                j++;
            }
            if (j >= s.Length || s[j] != '"') return false;
            // An identifier character before '@' or '$' (e.g. a verbatim identifier) is not a literal start.
            if (_i > 0 && (char.IsLetterOrDigit(s[_i - 1]) || s[_i - 1] == '_')) return false;
            if (string.CompareOrdinal(s, j, "\"\"\"", 0, 3) == 0)
            {
                // A raw string literal: skip to the closing run of as many quotes.
                var q = j;
                while (q < s.Length && s[q] == '"') q++;
                var quotes = new string('"', q - j);
                var end = s.IndexOf(quotes, q, StringComparison.Ordinal);
                _i = end < 0 ? s.Length : end + quotes.Length;
                return true;
            }
            j++;
            var sb = new StringBuilder();
            var holes = 0;
            while (j < s.Length)
            {
                var c = s[j];
                if (c == '"')
                {
                    if (verbatim && j + 1 < s.Length && s[j + 1] == '"') { sb.Append('"'); j += 2; continue; }
                    j++;
                    break;
                }
                if (c == '\\' && !verbatim)
                {
                    var e = s[j + 1];
                    sb.Append(e switch { 'n' => '\n', 't' => '\t', 'r' => '\r', '0' => '\0', _ => e });
                    if (e == 'u') { sb.Length--; sb.Append((char)Convert.ToInt32(s.Substring(j + 2, 4), 16)); j += 6; }
                    else j += 2;
                    continue;
                }
                if (dollars > 0 && c == '{')
                {
                    if (j + 1 < s.Length && s[j + 1] == '{') { sb.Append("{{"); j += 2; continue; }
                    // A hole: to its closing brace, lexing nested literals.
                    var save = _i;
                    _i = j + 1;
                    var depth = 0;
                    while (_i < s.Length)
                    {
                        if (TryLiteral(out var inner, out var innerNested))
                        {
                            nested.AddRange(innerNested);
                            if (inner is not null) nested.Add((inner.Value.Text, _i));
                            continue;
                        }
                        if (s[_i] == '\'') { SkipChar(); continue; }
                        if (s[_i] is '(' or '[' or '{') depth++;
                        else if (s[_i] is ')' or ']') depth--;
                        else if (s[_i] == '}') { if (depth == 0) break; depth--; }
                        _i++;
                    }
                    j = _i + 1;
                    _i = save;
                    sb.Append('{').Append(holes++).Append('}');
                    continue;
                }
                if (dollars > 0 && c == '}' && j + 1 < s.Length && s[j + 1] == '}') { sb.Append("}}"); j += 2; continue; }
                if (dollars == 0 && c is '{' or '}') { sb.Append(c).Append(c); j++; continue; }
                sb.Append(c);
                j++;
            }
            _i = j;
            literal = (sb.ToString(), holes);
            return true;
        }
    }
}
