using System.Diagnostics;
using Newtonsoft.Json.Linq;
using YamlDotNet.Serialization;

namespace Workflows.Tests.Pipeline;

/// <summary>The repository's GitHub Actions files, read as JSON-shaped trees, and the schema validator Microsoft's and GitHub's users rely on.</summary>
internal static class GitHubWorkflows
{
    public static IReadOnlyList<string> AllFiles() =>
        Directory.EnumerateFiles(RepositoryRoot.PathOf(".github/workflows"), "*.yml")
            .Concat(Directory.EnumerateFiles(RepositoryRoot.PathOf(".github/actions"), "action.yml", SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal)
            .ToArray();

    public static JObject Read(string relative) => (JObject)JToken.FromObject(new DeserializerBuilder().Build().Deserialize<object>(File.ReadAllText(RepositoryRoot.PathOf(relative)))!);

    /// <summary>The steps' <c>run</c> scripts and <c>uses</c> references of a job, in order.</summary>
    public static IReadOnlyList<string> Steps(JObject workflow, string job) =>
        ((JArray?)workflow.SelectToken($"jobs.{job}.steps") ?? []).OfType<JObject>()
            .Select(s => (string?)s["run"] ?? "uses: " + (string?)s["uses"])
            .ToArray();

    /// <summary>npm @action-validator/cli (installed by tools/setup.sh): exit code and its report.</summary>
    public static (int ExitCode, string Output) Validate(string file)
    {
        var validator = RepositoryRoot.PathOf("tools/node/node_modules/.bin/action-validator");
        Assert.IsTrue(File.Exists(validator), "run tools/setup.sh: it installs @action-validator/cli into tools/node");
        using var process = Process.Start(new ProcessStartInfo(validator, [file])
        {
            WorkingDirectory = RepositoryRoot.FullPath,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        Assert.IsTrue(process.WaitForExit(TimeSpan.FromMinutes(1)), "action-validator did not finish");
        return (process.ExitCode, output.Result + errors.Result);
    }
}
