using LocalLogicApp.Hosting;

namespace Workflows.Tests.Support;

/// <summary>The repository the tests run against: its root and the committed app settings.</summary>
public static class Project
{
    public static string Root => RepositoryRoot.FullPath;

    /// <summary>
    /// The values of <c>local.settings.template.json</c> plus <paramref name="overrides"/>. A developer's own
    /// <c>local.settings.json</c> is deliberately not read: tests must not depend on a machine's settings.
    /// </summary>
    public static Dictionary<string, string> AppSettings(IReadOnlyDictionary<string, string>? overrides = null)
    {
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in LocalAppSettings.ReadValues(Path.Combine(Root, LocalAppSettings.TemplateFileName))) settings[key] = value;
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>()) settings[key] = value;
        return settings;
    }

    public static string Sample(string relativePath) => File.ReadAllText(Path.Combine(Root, "Artifacts", "Samples", relativePath));
}
