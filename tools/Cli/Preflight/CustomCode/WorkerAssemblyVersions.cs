using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cli.Preflight.CustomCode;

/// <summary>
/// The built custom code can be loaded by the Logic Apps .NET 8 custom-code worker. That worker loads its own
/// Azure.Core, version 1.37.0.0, so an assembly built against a newer Azure.Core fails at run time with
/// FileLoadException (the maintainers in https://github.com/Azure/logicapps/issues/1146, 2024-09-03: "The worker
/// process where the .net8 function is hosted currently using version 1.37.0.0 of Azure.Core.dll"; the advice is to
/// reference Azure.Core 1.37.0). Read from the build output: the <c>*.deps.json</c> files (package → version and
/// dependencies) and the assemblies' own metadata (identity and references), whichever the output holds.
/// </summary>
public static class WorkerAssemblyVersions
{
    public const string AssemblyFolder = "lib/custom/net8";
    public const string WorkerProvided = "Azure.Core";
    public static readonly Version WorkerVersion = new(1, 37, 0, 0);

    private static readonly string Fix =
        $"keep {WorkerProvided} at {WorkerVersion.ToString(3)} or lower for the custom code (pin it and the Azure.* packages that depend on it, e.g. <PackageReference Include=\"Azure.Core\" VersionOverride=\"{WorkerVersion.ToString(3)}\" />), rebuild, package again.";

    public static IReadOnlyList<PreflightProblem> Find(AppContent content)
    {
        var problems = new List<PreflightProblem>();
        var files = content.Under(AssemblyFolder).ToArray();
        foreach (var path in files.Where(p => p.EndsWith(".deps.json", StringComparison.OrdinalIgnoreCase))) FromDepsJson(content, path, problems);
        foreach (var path in files.Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))) FromAssembly(content, path, problems);
        return problems;
    }

    /// <summary>deps.json: <c>targets.&lt;framework&gt;["Name/Version"].dependencies</c> and the <c>Azure.Core/x</c> entry itself.</summary>
    private static void FromDepsJson(AppContent content, string path, List<PreflightProblem> problems)
    {
        JObject deps;
        try
        {
            deps = JToken.Parse(content.ReadText(path)) as JObject ?? throw new JsonReaderException("not an object");
        }
        catch (JsonReaderException ex)
        {
            problems.Add(new PreflightProblem(path, $"is not a readable deps.json ({ex.Message}).", "rebuild the custom code; the worker resolves dependencies from this file."));
            return;
        }
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var target in (deps["targets"] as JObject ?? []).Properties().Select(p => p.Value).OfType<JObject>())
        {
            foreach (var library in target.Properties())
            {
                var (name, version) = SplitLibrary(library.Name);
                if (name.Equals(WorkerProvided, StringComparison.OrdinalIgnoreCase) && IsNewer(version) && reported.Add(library.Name))
                {
                    problems.Add(new PreflightProblem(path, $"ships {WorkerProvided} {version}; the .NET 8 custom-code worker loads its own {WorkerProvided} {WorkerVersion.ToString(3)}, so the custom code fails with FileLoadException.", Fix));
                }
                foreach (var dependency in (library.Value["dependencies"] as JObject ?? []).Properties())
                {
                    if (dependency.Name.Equals(WorkerProvided, StringComparison.OrdinalIgnoreCase) && IsNewer((string?)dependency.Value) && reported.Add(library.Name))
                    {
                        problems.Add(new PreflightProblem(path, $"{library.Name} needs {WorkerProvided} {(string?)dependency.Value}; the .NET 8 custom-code worker loads {WorkerProvided} {WorkerVersion.ToString(3)}, so it fails with FileLoadException.", Fix));
                    }
                }
            }
        }
    }

    /// <summary>A managed assembly's identity and references. Files that are not .NET assemblies (native libraries) are left alone.</summary>
    private static void FromAssembly(AppContent content, string path, List<PreflightProblem> problems)
    {
        try
        {
            using var pe = new PEReader(new MemoryStream(content.ReadBytes(path)));
            if (!pe.HasMetadata) return;
            var metadata = pe.GetMetadataReader();
            if (!metadata.IsAssembly) return;
            var self = metadata.GetAssemblyDefinition();
            var selfName = metadata.GetString(self.Name);
            if (selfName.Equals(WorkerProvided, StringComparison.OrdinalIgnoreCase) && self.Version > WorkerVersion)
            {
                problems.Add(new PreflightProblem(path, $"is {WorkerProvided} {self.Version}; the .NET 8 custom-code worker loads its own {WorkerProvided} {WorkerVersion}, so the custom code fails with FileLoadException.", Fix));
            }
            foreach (var handle in metadata.AssemblyReferences)
            {
                var reference = metadata.GetAssemblyReference(handle);
                if (metadata.GetString(reference.Name).Equals(WorkerProvided, StringComparison.OrdinalIgnoreCase) && reference.Version > WorkerVersion)
                {
                    problems.Add(new PreflightProblem(path, $"({selfName}) is built against {WorkerProvided} {reference.Version}; the .NET 8 custom-code worker loads {WorkerProvided} {WorkerVersion}, so loading it fails with FileLoadException.", Fix));
                }
            }
        }
        catch (BadImageFormatException)
        {
            // Not a PE file at all (or a truncated one): not something this check can judge.
        }
    }

    private static (string Name, string Version) SplitLibrary(string key)
    {
        var slash = key.IndexOf('/');
        return slash < 0 ? (key, "") : (key[..slash], key[(slash + 1)..]);
    }

    private static bool IsNewer(string? version)
    {
        if (string.IsNullOrEmpty(version)) return false;
        var numeric = version.Split('-', '+')[0];
        return Version.TryParse(numeric, out var parsed) && Normalize(parsed) > WorkerVersion;
    }

    private static Version Normalize(Version v) => new(v.Major, v.Minor, Math.Max(v.Build, 0), Math.Max(v.Revision, 0));
}
