using Newtonsoft.Json.Linq;

namespace OrderEvents.CustomCode.Tests.Storage;

/// <summary>
/// What the Logic Apps net8 custom-code worker can load, checked over a project's restore graph
/// (<c>obj/project.assets.json</c>): the worker brings its own Azure.Core, version 1.37.0 according to the Logic Apps
/// maintainers (https://github.com/Azure/logicapps/issues/1146, 2024-09-03: "The worker process where the .net8
/// function is hosted currently using version 1.37.0.0 of Azure.Core.dll"), so an assembly in <c>lib/custom</c>
/// compiled against a newer Azure.Core fails with FileLoadException. The worker runs on .NET 8 and shares its
/// Microsoft.Extensions.* assemblies with the Functions host, so a major version above 8 of those is refused too
/// (an inference from the same mechanism; docs/custom-code.md says what to confirm on a first deployment).
/// </summary>
internal static class WorkerLoadableDependencies
{
    public static readonly Version WorkerAzureCore = new(1, 37, 0);
    public const int WorkerDotNetMajor = 8;

    /// <summary>Every package of <paramref name="targetFramework"/>'s closure the worker would refuse, with why.</summary>
    public static IReadOnlyList<string> Violations(JObject assets, string targetFramework)
    {
        if (assets["targets"]?[targetFramework] is not JObject target)
        {
            return [$"the restore graph has no target '{targetFramework}'"];
        }
        var violations = new List<string>();
        foreach (var package in target.Properties())
        {
            var (id, version) = Split(package.Name);
            if (id == "Azure.Core" && version > WorkerAzureCore)
            {
                violations.Add($"Azure.Core {version} resolves; the worker loads {WorkerAzureCore}");
            }
            if (id.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal) && version.Major > WorkerDotNetMajor)
            {
                violations.Add($"{id} {version} resolves; the worker's .NET {WorkerDotNetMajor} host loads {WorkerDotNetMajor}.x");
            }
            if (package.Value["dependencies"]?["Azure.Core"] is { } wanted && MinimumOf((string)wanted!) is { } minimum && minimum > WorkerAzureCore)
            {
                violations.Add($"{id} {version} needs Azure.Core >= {minimum}; the worker loads {WorkerAzureCore}");
            }
        }
        return violations;
    }

    private static (string Id, Version Version) Split(string name)
    {
        var slash = name.IndexOf('/');
        return (name[..slash], Parse(name[(slash + 1)..]));
    }

    /// <summary>A NuGet range's lower bound: "1.53.0" or "[1.53.0, )".</summary>
    private static Version? MinimumOf(string range)
    {
        var lower = range.TrimStart('[', '(').Split(',')[0].Trim();
        return lower.Length == 0 ? null : Parse(lower);
    }

    private static Version Parse(string text) => Version.Parse(text.Split('-', '+')[0]);
}
