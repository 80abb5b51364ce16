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
        var path = Path.GetFullPath(Path.Combine(RepositoryRoot.FullPath, "..", "shared", "conformance", FileName));
        if (File.Exists(path)) return path;
        throw new FileNotFoundException($"The conformance file is expected at '{path}' (next to the repository root).", path);
    }

    public static JArray Load()
    {
        using var reader = new JsonTextReader(new StreamReader(Locate())) { DateParseHandling = DateParseHandling.None };
        return JArray.Load(reader);
    }
}
