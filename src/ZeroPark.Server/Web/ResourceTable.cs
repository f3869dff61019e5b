using System.Collections;
using System.Resources;

namespace ZeroPark.Server.Web;

/// <summary>Reads one compiled .resx embedded in this assembly into a dictionary (both languages are embedded in the main
/// assembly, so there are no satellite assemblies to deploy).</summary>
internal static class ResourceTable
{
    public static Dictionary<string, string> Read(string manifestName)
    {
        using var stream = typeof(ResourceTable).Assembly.GetManifestResourceStream(manifestName)
            ?? throw new InvalidOperationException($"embedded resource {manifestName} is missing");
        using var reader = new ResourceReader(stream);
        var table = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in reader)
            table[(string)e.Key] = (string)e.Value!;
        return table;
    }
}
