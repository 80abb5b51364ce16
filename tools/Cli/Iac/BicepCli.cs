using System.Diagnostics;
using System.Text.RegularExpressions;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using TestSupport;

namespace Cli.Iac;

/// <summary>One diagnostic the Bicep CLI reported (a BCP compiler code or a linter rule), with where it is.</summary>
public sealed record BicepDiagnostic(string Code, string Message, string File, int Line, string Level)
{
    public override string ToString() => $"{Path.GetFileName(File)}({Line}): {Level} {Code}: {Message}";
}

/// <summary>What one <c>bicep build</c> or <c>bicep lint</c> run gave: its exit code, its diagnostics (from SARIF) and, for a
/// build, the compiled ARM template.</summary>
public sealed record BicepResult(int ExitCode, IReadOnlyList<BicepDiagnostic> Diagnostics, JObject? Template, string StandardError)
{
    /// <summary>The compiled template; a failed build is an error that names its diagnostics.</summary>
    public JObject TemplateOrThrow(string source) => Template ?? throw new CliUsageException(
        $"bicep build {source} failed (exit {ExitCode}):\n" + string.Join("\n", Diagnostics.Select(d => d.ToString())) + "\n" + StandardError.Trim());
}

/// <summary>
/// The one place that runs the real Bicep CLI, for preflight and the infrastructure tests: <c>$BICEP_PATH</c>, else the
/// self-contained binary of the NuGet package <see cref="Package"/> at the version <see cref="RestoreProject"/> pins,
/// which <c>tools/setup.sh</c> restores into the NuGet cache. Bicep reports its type checks (BCP036 wrong value, BCP037
/// unknown property, ...) as warnings and still exits 0, so every run asks for SARIF and the callers judge the
/// diagnostics themselves.
/// </summary>
public static partial class BicepCli
{
    public const string PathVariable = "BICEP_PATH";
    public const string Package = "Azure.Bicep.CommandLine.linux-x64";
    public const string RestoreProject = "deploy/infra/BicepCli/BicepCli.csproj";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>The version <see cref="RestoreProject"/> pins (<c>Version="[x.y.z]"</c>).</summary>
    public static string PinnedVersion(string repositoryRoot)
    {
        var project = Path.Combine(repositoryRoot, RestoreProject);
        if (!File.Exists(project)) throw new CliUsageException($"{RestoreProject} is missing under {repositoryRoot}: it pins the Bicep CLI version.");
        var match = PinnedPackage().Match(File.ReadAllText(project));
        return match.Success ? match.Groups["version"].Value : throw new CliUsageException($"{RestoreProject} pins no version of {Package}.");
    }

    /// <summary>Where the Bicep CLI is: <c>$BICEP_PATH</c>, else the restored package in the NuGet cache.</summary>
    public static string ExecutablePath
    {
        get
        {
            if (Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } configured) return configured;
            var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } custom
                ? custom
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            return Path.Combine(packages, Package.ToLowerInvariant(), PinnedVersion(RepositoryRoot.Find()), "tools", "bicep");
        }
    }

    /// <summary><c>bicep build FILE --stdout</c>: the compiled template and the diagnostics.</summary>
    public static BicepResult Build(string bicepFile)
    {
        var (exitCode, output, errors) = Run("build", bicepFile, "--stdout", "--diagnostics-format", "sarif");
        var template = exitCode == 0 && output.TrimStart().StartsWith('{') ? JObject.Parse(output) : null;
        return new BicepResult(exitCode, ParseSarif(errors), template, errors);
    }

    /// <summary><c>bicep lint FILE</c>: linter rules (levels from the nearest bicepconfig.json) and compiler diagnostics.</summary>
    public static BicepResult Lint(string bicepFile)
    {
        var (exitCode, output, errors) = Run("lint", bicepFile, "--diagnostics-format", "sarif");
        return new BicepResult(exitCode, ParseSarif(errors + output), null, errors);
    }

    /// <summary><c>bicep build-params FILE --stdout</c>: a <c>.bicepparam</c> file as a deployment parameters file.</summary>
    public static JObject BuildParameters(string bicepParamFile)
    {
        var (exitCode, output, errors) = Run("build-params", bicepParamFile, "--stdout", "--diagnostics-format", "sarif");
        if (exitCode != 0) throw new CliUsageException($"bicep build-params {bicepParamFile} failed (exit {exitCode}): " + string.Join("; ", ParseSarif(errors)));
        var json = JObject.Parse(output);
        // --stdout wraps the parameters file in { "parametersJson": "..." }.
        return json["parametersJson"] is JValue { Type: JTokenType.String } wrapped ? JObject.Parse((string)wrapped!) : json;
    }

    private static (int ExitCode, string Output, string Errors) Run(params string[] arguments)
    {
        var executable = ExecutablePath;
        if (!File.Exists(executable))
        {
            throw new CliUsageException($"The Bicep CLI is not at {executable}. Run 'bash tools/setup.sh' (it restores {Package} as {RestoreProject} pins it), or set {PathVariable}.");
        }
        var start = new ProcessStartInfo(executable) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // Offline: no telemetry.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        using var process = Process.Start(start) ?? throw new CliUsageException($"Could not start {executable}.");
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new CliUsageException($"bicep {string.Join(' ', arguments)} did not finish within {Timeout.TotalMinutes:0} minutes.");
        }
        return (process.ExitCode, output.Result, errors.Result);
    }

    /// <summary>The results of the SARIF log Bicep writes; anything that is not SARIF is reported as one diagnostic.</summary>
    public static IReadOnlyList<BicepDiagnostic> ParseSarif(string text)
    {
        var start = text.IndexOf('{');
        if (start < 0) return text.Trim().Length == 0 ? [] : [new BicepDiagnostic("(output)", text.Trim(), "", 0, "error")];
        JObject sarif;
        try
        {
            sarif = JObject.Parse(text[start..]);
        }
        catch (JsonReaderException)
        {
            return [new BicepDiagnostic("(output)", text.Trim(), "", 0, "error")];
        }
        return sarif.SelectTokens("runs[*].results[*]").Select(r => new BicepDiagnostic(
                (string?)r["ruleId"] ?? "(no rule)",
                (string?)r.SelectToken("message.text") ?? "",
                Uri.TryCreate((string?)r.SelectToken("locations[0].physicalLocation.artifactLocation.uri"), UriKind.Absolute, out var uri) ? uri.LocalPath : "",
                (int?)r.SelectToken("locations[0].physicalLocation.region.startLine") ?? 0,
                (string?)r["level"] ?? "warning"))
            .ToList();
    }

    [GeneratedRegex(@"Include=""Azure\.Bicep\.CommandLine\.linux-x64""\s+Version=""\[?(?<version>[0-9][0-9.]*)\]?""")]
    private static partial Regex PinnedPackage();
}
