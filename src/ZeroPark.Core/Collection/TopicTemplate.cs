namespace ZeroPark.Collection;

/// <summary>
/// An MQTT topic template such as <c>zp/{park}/{meter}</c>: each placeholder fills one whole topic level and binds the park or
/// meter code from the topic a message arrives on. The subscription filter replaces every placeholder with <c>+</c>
/// (<c>zp/+/+</c>). A template without <c>{meter}</c> names one topic bound to one meter (the subscription's meter).
/// MQTT wildcards (<c>+</c>, <c>#</c>) are not allowed in a template: the placeholders are the only variable levels.
/// </summary>
public sealed class TopicTemplate
{
    private readonly string[] _levels;

    private TopicTemplate(string text, string[] levels)
    {
        Text = text;
        _levels = levels;
        Filter = string.Join('/', levels.Select(l => l is "{park}" or "{meter}" ? "+" : l));
        HasMeter = levels.Contains("{meter}");
        HasPark = levels.Contains("{park}");
    }

    public string Text { get; }
    /// <summary>The MQTT subscription filter.</summary>
    public string Filter { get; }
    public bool HasMeter { get; }
    public bool HasPark { get; }

    /// <summary>Parses a template; null and a reason when it is not one.</summary>
    public static TopicTemplate? TryParse(string text, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text)) { error = "empty topic"; return null; }
        var t = text.Trim();
        if (t.Length > 512) { error = "longer than 512 characters"; return null; }
        var levels = t.Split('/');
        foreach (var l in levels)
        {
            if (l.Contains('+') || l.Contains('#')) { error = $"level '{l}': MQTT wildcards are not allowed, use {{park}} and {{meter}}"; return null; }
            if (l.Contains('{') || l.Contains('}'))
            {
                if (l is not ("{park}" or "{meter}")) { error = $"level '{l}': a placeholder fills a whole level and is {{park}} or {{meter}}"; return null; }
            }
        }
        if (levels.Count(l => l == "{park}") > 1 || levels.Count(l => l == "{meter}") > 1) { error = "a placeholder appears twice"; return null; }
        return new TopicTemplate(t, levels);
    }

    /// <summary>The park and meter codes a topic binds (null where the template has no such placeholder), or false when the topic
    /// does not fit the template.</summary>
    public bool TryMatch(string topic, out string? park, out string? meter)
    {
        park = meter = null;
        var levels = topic.Split('/');
        if (levels.Length != _levels.Length) return false;
        for (var i = 0; i < levels.Length; i++)
        {
            switch (_levels[i])
            {
                case "{park}": if (levels[i].Length == 0) return false; park = levels[i]; break;
                case "{meter}": if (levels[i].Length == 0) return false; meter = levels[i]; break;
                default: if (!string.Equals(levels[i], _levels[i], StringComparison.Ordinal)) return false; break;
            }
        }
        return true;
    }
}
