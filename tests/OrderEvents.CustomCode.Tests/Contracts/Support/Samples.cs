using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Contracts;

namespace OrderEvents.CustomCode.Tests.Contracts.Support;

/// <summary>A message of Artifacts/Samples; invalid ones carry what their sibling <c>.expected.json</c> says.</summary>
internal sealed record Sample(string Name, string FilePath, JToken? Json, string? Why, IReadOnlyList<(string Path, string Code)> ExpectedErrors)
{
    public bool IsValid => ExpectedErrors.Count == 0;
    public override string ToString() => Name;
}

internal static class Samples
{
    public const string ExpectedSuffix = ".expected.json";

    public static IReadOnlyList<Sample> Valid => Load("valid");
    public static IReadOnlyList<Sample> Invalid => Load("invalid");
    public static IReadOnlyList<Sample> All => Valid.Concat(Invalid).ToArray();

    /// <summary>A valid sample as a fresh object to modify in a test.</summary>
    public static JObject ValidEvent(string name = "OrderCreated.standard") =>
        (JObject)Valid.Single(s => s.Name == name).Json!.DeepClone();

    private static IReadOnlyList<Sample> Load(string kind)
    {
        var directory = Path.Combine(RepositoryRoot.PathOf("Artifacts/Samples"), kind);
        return Directory.GetFiles(directory, "*.json")
            .Where(f => !f.EndsWith(ExpectedSuffix, StringComparison.Ordinal))
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(file =>
            {
                var name = Path.GetFileNameWithoutExtension(file);
                if (!OrderEventJson.TryParse(File.ReadAllText(file), out var json, out var error))
                    throw new InvalidDataException($"Sample {file} is not JSON: {error}");
                var expectedFile = Path.Combine(directory, name + ExpectedSuffix);
                if (!File.Exists(expectedFile)) return new Sample(name, file, json, null, Array.Empty<(string, string)>());
                var expected = JObject.Parse(File.ReadAllText(expectedFile));
                var errors = expected["errors"]!.Select(e => ((string)e["path"]!, (string)e["code"]!)).ToArray();
                return new Sample(name, file, json, (string?)expected["why"], errors);
            })
            .ToArray();
    }
}
