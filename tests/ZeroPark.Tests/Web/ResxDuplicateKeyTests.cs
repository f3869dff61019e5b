using System.Text;
using System.Text.RegularExpressions;
using System.Xml;

namespace ZeroPark.Tests.Web;

/// <summary>A key of a .resx file: as spelled in the file (<see cref="Raw"/>, entities and all), as the XML parser reads it
/// (<see cref="Parsed"/>), and its line.</summary>
internal sealed record ResxKey(string Raw, string Parsed, int Line);

/// <summary>Two entries of one .resx file with the same key: exactly the same spelling, or the same after XML-unescaping and
/// normalising (<c>'</c> and <c>&amp;#x27;</c>, <c>&amp;amp;</c> and <c>&amp;#38;</c>, Unicode composition, surrounding or repeated white space).</summary>
internal sealed record ResxDuplicate(string File, ResxKey First, ResxKey Second, bool Exact)
{
    public override string ToString() => Exact
        ? $"{File}: key \"{First.Raw}\" on line {First.Line} and again on line {Second.Line}"
        : $"{File}: key \"{ResxKeys.Normalise(First.Parsed)}\" on line {First.Line} (spelled \"{First.Raw}\") and on line {Second.Line} (spelled \"{Second.Raw}\")";
}

/// <summary>Reads the keys of .resx files and finds duplicates. ResourceManager silently keeps one of two entries with the same
/// name, so a duplicate hides a translation; two spellings of one key (an apostrophe written as an entity by one helper and plainly by
/// another) are the same lookup key and the same duplicate.</summary>
internal static class ResxKeys
{
    private static readonly Regex Space = new(@"\s+", RegexOptions.CultureInvariant);

    /// <summary>What two spellings of one key have in common: the parsed (unescaped) text, Unicode NFC, white space runs as one space, trimmed.</summary>
    public static string Normalise(string parsed) => Space.Replace(parsed.Normalize(NormalizationForm.FormC), " ").Trim();

    /// <summary>The <c>name</c> of every <c>&lt;data&gt;</c> element of the file's root, in file order.</summary>
    public static IReadOnlyList<ResxKey> Read(string text)
    {
        var lineStarts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
            if (text[i] == '\n') lineStarts.Add(i + 1);
        var keys = new List<ResxKey>();
        using var reader = XmlReader.Create(new StringReader(text), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
        var info = (IXmlLineInfo)reader;
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element || reader.Depth != 1 || reader.LocalName != "data" || !reader.MoveToAttribute("name")) continue;
            // The line info of an attribute points at its name; the raw value is what stands between the quotes after it.
            var at = lineStarts[info.LineNumber - 1] + info.LinePosition - 1;
            var open = text.IndexOfAny(['"', '\''], text.IndexOf('=', at));
            var close = text.IndexOf(text[open], open + 1);
            keys.Add(new ResxKey(text[(open + 1)..close], reader.Value, info.LineNumber));
        }
        return keys;
    }

    /// <summary>Every later entry whose key repeats an earlier one (exactly, or after normalising), paired with the first.</summary>
    public static IReadOnlyList<ResxDuplicate> Duplicates(string file, string text)
    {
        var found = new List<ResxDuplicate>();
        var firstByRaw = new Dictionary<string, ResxKey>(StringComparer.Ordinal);
        var firstByNormal = new Dictionary<string, ResxKey>(StringComparer.Ordinal);
        foreach (var k in Read(text))
        {
            if (firstByRaw.TryGetValue(k.Raw, out var same)) found.Add(new ResxDuplicate(file, same, k, Exact: true));
            else if (firstByNormal.TryGetValue(Normalise(k.Parsed), out var alike)) found.Add(new ResxDuplicate(file, alike, k, Exact: false));
            firstByRaw.TryAdd(k.Raw, k);
            firstByNormal.TryAdd(Normalise(k.Parsed), k);
        }
        return found;
    }
}

public sealed class ResxDuplicateKeyTests
{
    private static string Resx(params string[] names) =>
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<root>\n" + string.Concat(names.Select(n => $"  <data name=\"{n}\" xml:space=\"preserve\"><value>v</value></data>\n")) + "</root>\n";

    [Fact]
    public void No_resx_file_of_the_repository_has_a_key_twice()
    {
        var root = MessageLiterals.RepositoryRoot();
        var files = Directory.EnumerateFiles(Path.Combine(root, "src"), "*.resx", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(Path.GetDirectoryName(f)) == "Resources")
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj"))
            .OrderBy(f => f, StringComparer.Ordinal).ToList();
        // The catalogues the UI and the message translation read must be among them (a wrong path would pass vacuously).
        Assert.Contains(files, f => f.EndsWith(Path.Combine("Resources", "UiText.resx"), StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith(Path.Combine("Resources", "UiText.en.resx"), StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith(Path.Combine("Resources", "Messages.resx"), StringComparison.Ordinal));
        var duplicates = files.SelectMany(f => ResxKeys.Duplicates(Path.GetRelativePath(root, f), File.ReadAllText(f))).ToList();
        Assert.True(duplicates.Count == 0, "duplicate resource keys:\n" + string.Join("\n", duplicates));
        Assert.All(files, f => Assert.NotEmpty(ResxKeys.Read(File.ReadAllText(f))));
    }

    [Fact]
    public void An_exact_repeat_is_found_with_both_lines()
    {
        // Lines: 1 declaration, 2 <root>, then one entry a line from line 3.
        var d = Assert.Single(ResxKeys.Duplicates("a.resx", Resx("x.one", "x.two", "x.one")));
        Assert.True(d.Exact);
        Assert.Equal((3, 5), (d.First.Line, d.Second.Line));
        Assert.Equal("a.resx: key \"x.one\" on line 3 and again on line 5", d.ToString());
    }

    [Theory]
    [InlineData("it's {0}", "it&#x27;s {0}")]        // an apostrophe plainly and as a hexadecimal character reference
    [InlineData("it&#39;s", "it&apos;s")]             // … as decimal reference and as named entity
    [InlineData("A &amp; B", "A &#38; B")]            // an ampersand as named and as numeric entity
    [InlineData("&lt;none&gt;", "&#60;none&#x3E;")]
    [InlineData("caf\u00e9", "cafe\u0301")]           // é precomposed and as e + combining acute (Unicode NFC)
    [InlineData("raised {0}", "&#10;raised  {0} ")]  // surrounding and repeated white space
    public void Two_spellings_of_one_key_are_a_duplicate(string first, string second)
    {
        var d = Assert.Single(ResxKeys.Duplicates("b.resx", Resx("other", first, second)));
        Assert.False(d.Exact);
        Assert.Equal((4, 5), (d.First.Line, d.Second.Line));
        Assert.Equal((first, second), (d.First.Raw, d.Second.Raw));
        Assert.Contains("line 4", d.ToString());
        Assert.Contains("line 5", d.ToString());
        Assert.Contains(second, d.ToString());
    }

    [Fact]
    public void Different_keys_are_not_duplicates()
    {
        // Case and inner punctuation make different keys (ResourceManager looks keys up case-sensitively).
        Assert.Empty(ResxKeys.Duplicates("c.resx", Resx("al.ack", "al.Ack", "al.ack.", "it's", "its", "A &amp; B", "A &amp;&amp; B")));
        Assert.Equal(["al.ack", "it's", "A & B"], ResxKeys.Read(Resx("al.ack", "it&#x27;s", "A &amp; B")).Select(k => k.Parsed));
    }
}
