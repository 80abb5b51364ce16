using System.Diagnostics;
using Cli.Commands;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cli.Preflight.Iac;

/// <summary>
/// The infrastructure as code as Azure Resource Manager receives it: <c>deploy/infra/main.bicep</c> compiled by the
/// Bicep CLI (<c>bicep build --stdout</c>), Microsoft's own compiler, never a parser of ours. Until the Bicep entry
/// point exists the ARM template <c>deploy/infra/main.json</c> is read as it is.
/// </summary>
public sealed class IacTemplate
{
    public const string BicepEntryPoint = "deploy/infra/main.bicep";
    public const string ArmEntryPoint = "deploy/infra/main.json";

    private IacTemplate(string source, JObject template, IReadOnlyDictionary<string, JToken> parameters)
    {
        Source = source;
        Template = template;
        Parameters = parameters;
    }

    /// <summary>The repository path of the template the checks read, for messages.</summary>
    public string Source { get; }

    public JObject Template { get; }

    public IReadOnlyDictionary<string, JToken> Parameters { get; }

    /// <summary>The repository's IaC entry point: <see cref="BicepEntryPoint"/>, or <see cref="ArmEntryPoint"/> until the Bicep exists.</summary>
    /// <param name="parametersFile">A deployment parameters file (<c>.json</c>, or <c>.bicepparam</c> compiled with
    /// <c>bicep build-params</c>), as the pipeline passes to <c>az deployment group create</c>; without it, defaults.</param>
    public static IacTemplate Load(LogicAppProject project, string? parametersFile = null)
    {
        foreach (var entryPoint in new[] { BicepEntryPoint, ArmEntryPoint })
        {
            if (File.Exists(project.PathOf(entryPoint))) return FromFile(project.PathOf(entryPoint), parametersFile, entryPoint);
        }
        throw new CliUsageException($"No infrastructure as code: neither {BicepEntryPoint} nor {ArmEntryPoint} exists under {project.Root}.");
    }

    /// <summary>A template file: <c>.bicep</c> is compiled with the Bicep CLI, anything else is read as an ARM (compiled) template.</summary>
    public static IacTemplate FromFile(string path, string? parametersFile = null, string? displayName = null)
    {
        if (!File.Exists(path)) throw new CliUsageException($"The template '{path}' does not exist.");
        var text = path.EndsWith(".bicep", StringComparison.OrdinalIgnoreCase) ? BicepCli.Run(["build", path, "--stdout"]) : File.ReadAllText(path);
        var source = displayName ?? path;
        var parameters = parametersFile is null ? new Dictionary<string, JToken>() : ReadParameters(parametersFile);
        return new IacTemplate(source, ParseObject(text, source), parameters);
    }

    private static IReadOnlyDictionary<string, JToken> ReadParameters(string file)
    {
        if (!File.Exists(file)) throw new CliUsageException($"--iac-parameters: '{file}' does not exist.");
        var text = file.EndsWith(".bicepparam", StringComparison.OrdinalIgnoreCase)
            ? BicepCli.Run(["build-params", file, "--stdout"])
            : File.ReadAllText(file);
        var json = ParseObject(text, file);
        // build-params --stdout wraps the parameters file in { "parametersJson": "..." }.
        if (json["parametersJson"] is JValue { Type: JTokenType.String } wrapped) json = ParseObject((string)wrapped!, file);
        return (json["parameters"] as JObject ?? [])
            .Properties()
            .Where(p => p.Value["value"] is not null)
            .ToDictionary(p => p.Name, p => p.Value["value"]!, StringComparer.OrdinalIgnoreCase);
    }

    private static JObject ParseObject(string text, string source)
    {
        try
        {
            return JToken.Parse(text) as JObject ?? throw new JsonReaderException("not a JSON object");
        }
        catch (JsonReaderException ex)
        {
            throw new CliUsageException($"{source}: the template is not readable JSON ({ex.Message}).");
        }
    }
}

/// <summary>
/// The Bicep CLI: <c>$BICEP_PATH</c>, else <c>bicep</c> on PATH, else the binary of the NuGet package
/// Azure.Bicep.CommandLine.linux-x64 that tools/setup.sh restores.
/// </summary>
public static class BicepCli
{
    public static string Locate()
    {
        if (Environment.GetEnvironmentVariable("BICEP_PATH") is { Length: > 0 } configured && File.Exists(configured)) return configured;
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, OperatingSystem.IsWindows() ? "bicep.exe" : "bicep");
            if (File.Exists(candidate)) return candidate;
        }
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } custom
            ? custom
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var package = Path.Combine(packages, "azure.bicep.commandline.linux-x64");
        var binary = Directory.Exists(package)
            ? Directory.GetDirectories(package).OrderByDescending(d => Version.TryParse(Path.GetFileName(d), out var v) ? v : new Version())
                .Select(d => Path.Combine(d, "tools", "bicep")).FirstOrDefault(File.Exists)
            : null;
        return binary ?? throw new CliUsageException("The Bicep CLI was not found (BICEP_PATH, PATH, or the NuGet package Azure.Bicep.CommandLine.linux-x64): run tools/setup.sh.");
    }

    /// <summary>Runs bicep; returns its standard output, or throws with its errors.</summary>
    public static string Run(IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(Locate(), arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new CliUsageException("The Bicep CLI could not be started.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new CliUsageException($"bicep {string.Join(' ', arguments)} did not finish within 2 minutes.");
        }
        if (process.ExitCode != 0) throw new CliUsageException($"bicep {string.Join(' ', arguments)} failed: {errors.Result.Trim()}");
        return output.Result;
    }
}
