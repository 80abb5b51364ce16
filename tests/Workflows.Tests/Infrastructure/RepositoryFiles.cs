using Cli.Iac;
using Newtonsoft.Json.Linq;

namespace Workflows.Tests.Infrastructure;

/// <summary>Reads committed project files (paths relative to the folder holding OrderIntegration.sln).</summary>
public static class RepositoryFiles
{
    public static string ReadText(string relativePath) => File.ReadAllText(RepositoryRoot.PathOf(relativePath));

    public static JObject ReadJson(string relativePath) => JObject.Parse(ReadText(relativePath));

    /// <summary>The text of one section of a Markdown file under docs/ (between its marker and the next one).</summary>
    public static string DocSection(string relativePath, string name)
    {
        var text = ReadText(relativePath);
        var marker = $"<!-- section: {name} -->";
        var start = text.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0) throw new InvalidOperationException($"{relativePath} has no section '{name}'.");
        start += marker.Length;
        var end = text.IndexOf("<!-- section:", start, StringComparison.Ordinal);
        return end < 0 ? text[start..] : text[start..end];
    }

    /// <summary>deploy/infra/main.bicep as the Bicep CLI compiles it (once per test run), ready to expand.</summary>
    public static ArmTemplate MainTemplate() => Bicep.CompiledInfrastructure.MainTemplate();
}
