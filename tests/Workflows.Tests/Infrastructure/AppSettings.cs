using System.Text.RegularExpressions;
using Cli.Commands;
using Cli.Iac;
using Cli.Preflight;
using Cli.Preflight.Settings;
using Newtonsoft.Json.Linq;

namespace Workflows.Tests.Infrastructure;

/// <summary>The app settings the template gives the Logic App, and the ones the project reads.</summary>
public static partial class AppSettings
{
    /// <summary>The evaluated <c>Microsoft.Web/sites/config</c> 'appsettings' resource (the complete set).</summary>
    public static JObject Evaluated(ArmTemplate template) =>
        (JObject)template.ExpandResources()
            .Single(r => r.Type == "Microsoft.Web/sites/config" && r.Name.EndsWith("/appsettings", StringComparison.Ordinal))
            .Json["properties"]!;

    /// <summary>Every <c>appsetting('X')</c> in connections.json, parameters.json and the workflows (read as preflight
    /// reads them, <see cref="AppSettingsDefinedByIac"/>), and every setting name the custom code reports problems for
    /// (<c>Configured("X", ...)</c>).</summary>
    public static IReadOnlyCollection<string> ReadByTheProject()
    {
        var app = AppContent.FromWorkingTree(LogicAppProject.Locate(RepositoryRoot.FullPath));
        var names = new SortedSet<string>(AppSettingsDefinedByIac.Referenced(app).Keys, StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(RepositoryRoot.PathOf("CustomCode"), "*.cs", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            foreach (Match m in CustomCodeSetting().Matches(File.ReadAllText(file))) names.Add(m.Groups[1].Value);
        }
        return names;
    }

    [GeneratedRegex(@"Configured\(""([A-Za-z_]+)""")]
    private static partial Regex CustomCodeSetting();
}
