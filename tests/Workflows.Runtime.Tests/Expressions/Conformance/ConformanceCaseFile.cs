using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Workflows.Runtime.Tests.Expressions.Conformance;

/// <summary>The conformance cases: expressions and their documented results, each case naming the Microsoft Learn
/// page it comes from ("Reference guide to workflow expression functions",
/// https://learn.microsoft.com/azure/logic-apps/expression-functions-reference). The file is this project's own test
/// data, next to this class.</summary>
internal static class ConformanceCaseFile
{
    public const string FileName = "wdl-expressions.json";

    public static string Locate()
    {
        var path = RepositoryRoot.PathOf("tests/Workflows.Runtime.Tests/Expressions/Conformance/Cases/" + FileName);
        if (File.Exists(path)) return path;
        throw new FileNotFoundException($"The conformance file is expected at '{path}'.", path);
    }

    public static JArray Load()
    {
        using var reader = new JsonTextReader(new StreamReader(Locate())) { DateParseHandling = DateParseHandling.None };
        return JArray.Load(reader);
    }
}
