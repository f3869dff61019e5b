using System.Globalization;

namespace ZeroPark.Application.Alerts;

/// <summary>
/// Renders the machine-written texts of notifications in a channel's language (zh | en). The Application layer writes English;
/// the web server and the CLI register the message catalogue (ZeroPark.Server's MessageCatalog over Resources/Messages.resx) as the
/// implementation. Without one, <see cref="EnglishMessages"/> leaves everything in English.
/// </summary>
public interface IMessageLocalizer
{
    /// <summary><paramref name="englishFormat"/> (a catalogue key) in <paramref name="language"/>, formatted with <paramref name="args"/>.</summary>
    string Format(string language, string englishFormat, params object?[] args);

    /// <summary>A machine-written English text (an alert message, details) in <paramref name="language"/>.</summary>
    string Translate(string language, string english);

    /// <summary>The display word of a code (UI text key, e.g. <c>al.sev.warning</c>) in <paramref name="language"/>, else <paramref name="code"/>.</summary>
    string Word(string language, string key, string code);
}

/// <summary>The default: English as written.</summary>
public sealed class EnglishMessages : IMessageLocalizer
{
    public static EnglishMessages Instance { get; } = new();

    public string Format(string language, string englishFormat, params object?[] args) => string.Format(CultureInfo.InvariantCulture, englishFormat, args);

    public string Translate(string language, string english) => english;

    public string Word(string language, string key, string code) => code;
}
