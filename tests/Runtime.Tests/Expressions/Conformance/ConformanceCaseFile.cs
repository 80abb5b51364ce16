using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Workflows.Runtime.Tests.Expressions.Conformance;

/// <summary>The shared conformance file (wdl.md §6), found by walking up from the test assembly to the
/// folder holding OrderIntegration.sln, then <c>../shared/conformance/</c>.</summary>
internal static class ConformanceCaseFile
{
    public const string FileName = "wdl-expressions.json";

    public static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "OrderIntegration.sln"))) continue;
            var path = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "conformance", FileName));
            if (File.Exists(path)) return path;
            throw new FileNotFoundException($"The conformance file is expected at '{path}' (next to the repository root).", path);
        }
        throw new DirectoryNotFoundException($"No folder above '{AppContext.BaseDirectory}' contains OrderIntegration.sln.");
    }

    public static JArray Load()
    {
        using var reader = new JsonTextReader(new StreamReader(Locate())) { DateParseHandling = DateParseHandling.None };
        return JArray.Load(reader);
    }
}
