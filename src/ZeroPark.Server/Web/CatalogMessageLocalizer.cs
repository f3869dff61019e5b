using System.Globalization;
using ZeroPark.Application.Alerts;

namespace ZeroPark.Server.Web;

/// <summary>
/// The message catalogue (<see cref="MessageCatalog"/> over Resources/Messages.resx, code names from UiText) for texts written
/// outside a request, in a language given per call (a notification channel's zh | en), not the request's culture. Registered by the
/// web server and the CLI over the Application's English default.
/// </summary>
public sealed class CatalogMessageLocalizer : IMessageLocalizer
{
    private static bool Zh(string language) => language.StartsWith("zh", StringComparison.OrdinalIgnoreCase);

    public string Format(string language, string englishFormat, params object?[] args)
    {
        var format = Zh(language) && MessageCatalog.Entries.TryGetValue(englishFormat, out var zh) ? zh : englishFormat;
        return string.Format(CultureInfo.InvariantCulture, format, args);
    }

    public string Translate(string language, string english) => Zh(language) ? InCulture(() => MessageCatalog.ToChinese(english, 0)) : english;

    /// <summary>Chinese: the UI's word for the code; English: the code as the English notification always wrote it ("warning", "open").</summary>
    public string Word(string language, string key, string code) => Zh(language) && UiText.Keys.Contains(key) ? UiText.Both(key).Zh : code;

    /// <summary>Runs <paramref name="f"/> with the Chinese UI culture (the catalogue's code names read it), restoring the caller's.</summary>
    private static string InCulture(Func<string> f)
    {
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = MessageCatalog.Chinese;
        try { return f(); }
        finally { CultureInfo.CurrentUICulture = before; }
    }
}
