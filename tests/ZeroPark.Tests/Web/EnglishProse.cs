using System.Text.RegularExpressions;

namespace ZeroPark.Tests.Web;

/// <summary>What counts as an untranslated English sentence in the Chinese UI: two or more consecutive English words of three
/// letters or more that are not units, codes, standards or proper names (Chinese text separates runs). Shared by the
/// Chinese-UI browser test and the message catalogue's coverage test.</summary>
internal static partial class EnglishProse
{
    /// <summary>Words that are not English prose: units, codes, standards, proper names and the test park's own data.</summary>
    public static readonly HashSet<string> Allowed = new(StringComparer.OrdinalIgnoreCase)
    {
        "ZeroPark", "kWh", "MWh", "GWh", "PUE", "CUE", "WUE", "CLF", "PLF", "ALF", "ERE", "ERF", "REF", "DCiE", "pPUE", "CER",
        "tCO2e", "kgCO2e", "tCO2", "kgCO2", "CO2e", "CFC", "ODS", "ODP", "GWP", "IPCC", "GHG", "Protocol", "ISO", "IEC", "GB", "ODCC",
        "CSV", "XLSX", "TSV", "TXT", "JSON", "API", "CLI", "UTC", "GMT", "PDF", "SVG", "PNG", "ECharts", "Apache", "Telegraf", "RED",
        "InfluxDB", "Excel", "HFC", "HCFC", "R410A", "R22", "SF6", "CH4", "N2O", "NF3", "PFC", "AR4", "AR5", "AR6", "SAR", "LPG",
        "GEC", "PPA", "MEE", "NBS", "CNY", "PFLOPS", "Asia", "Shanghai", "Beijing", "Etc", "ghgp", "zeropark", "admin", "setup",
        "MiB", "KiB", "MQTT", "Modbus", "TCP",
    };

    /// <summary>Text extracted from a PDF with the CJK font's Kangxi radicals (U+2E80–U+2FDF: 气 comes out as ⽓) folded back to the
    /// ideographs (NFKC of those characters only: NFKC of the whole text would also turn Chinese punctuation "：；" into ASCII).</summary>
    public static string FoldRadicals(string text) =>
        string.Concat(text.Select(c => c is >= '\u2E80' and <= '\u2FDF' ? c.ToString().Normalize(System.Text.NormalizationForm.FormKC) : c.ToString()));

    /// <summary>The English sentences of a Chinese text (stretches between non-ASCII characters), for a failure message.</summary>
    public static IReadOnlyList<string> EnglishSentences(string text) =>
        NonAscii().Split(NotProse().Replace(text, " ")).Where(IsEnglishSentence).Select(s => s.Trim()).Distinct().ToList();

    /// <summary>Whether any stretch of <paramref name="text"/> between non-ASCII characters is an English sentence.</summary>
    public static bool HasEnglishSentence(string text) => NonAscii().Split(NotProse().Replace(text, " ")).Any(IsEnglishSentence);

    /// <summary>Whether <paramref name="segment"/> (ASCII text) holds two consecutive English words.</summary>
    public static bool IsEnglishSentence(string segment)
    {
        var run = 0;
        foreach (Match w in Token().Matches(segment))
        {
            var word = w.Value;
            var english = word.Length >= 3 && word.All(char.IsAsciiLetter) && !Allowed.Contains(word);
            run = english ? run + 1 : word.All(char.IsAsciiLetter) && word.Length < 3 ? run : 0;
            if (run >= 2) return true;
        }
        return false;
    }

    /// <summary>What a reader types or configures as written: CLI commands, options, configuration keys, API paths.</summary>
    [GeneratedRegex(@"zeropark( [a-z][a-z-]*)+|--[a-z][a-z-]*|ZeroPark(:[A-Za-z]+)+|/api/\S+|\b[a-z_]+=[a-z_]+\b")]
    private static partial Regex NotProse();

    [GeneratedRegex(@"[^\x00-\x7F]+")]
    public static partial Regex NonAscii();

    /// <summary>Words: runs of letters (ASCII or not), digits, '_' and '.', so that codes (cooling_load, b1.f1) and numbers break a run of English words.</summary>
    [GeneratedRegex(@"[\p{L}\p{N}_.@/-]+")]
    private static partial Regex Token();
}
