using System.Diagnostics;
using Newtonsoft.Json.Linq;

namespace Workflows.Tests.Infrastructure.Bicep;

/// <summary>One diagnostic the Bicep CLI reported (a BCP compiler code or a linter rule), with where it is.</summary>
public sealed record BicepDiagnostic(string Code, string Message, string File, int Line, string Level)
{
    public override string ToString() => $"{Path.GetFileName(File)}({Line}): {Level} {Code}: {Message}";
}

/// <summary>What one <c>bicep build</c> or <c>bicep lint</c> run gave: its exit code, its diagnostics (from SARIF) and, for a
/// build, the compiled ARM template.</summary>
public sealed record BicepResult(int ExitCode, IReadOnlyList<BicepDiagnostic> Diagnostics, JObject? Template, string StandardError);

/// <summary>
/// The real Bicep CLI (NuGet Azure.Bicep.CommandLine.linux-x64, restored by tools/setup.sh through
/// deploy/infra/cli/BicepCli.csproj). Bicep reports its type checks (BCP036 wrong value, BCP037 unknown property, ...)
/// as warnings and still exits 0, so every run asks for SARIF and the callers judge the diagnostics themselves.
/// </summary>
public static class BicepCli
{
    public const string Version = "0.49.2";
    public const string PathVariable = "BICEP_PATH";

    public static string ExecutablePath
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable(PathVariable);
            if (!string.IsNullOrEmpty(configured)) return configured;
            var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p
                ? p
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            return Path.Combine(packages, "azure.bicep.commandline.linux-x64", Version, "tools", "bicep");
        }
    }

    /// <summary><c>bicep build FILE --outdir DIR</c>; the template is read from DIR.</summary>
    public static BicepResult Build(string bicepFile, string outputDirectory)
    {
        Directory.CreateDirectory(outputDirectory);
        var (exitCode, stderr) = Run("build", bicepFile, "--outdir", outputDirectory, "--diagnostics-format", "sarif");
        var output = Path.Combine(outputDirectory, Path.GetFileNameWithoutExtension(bicepFile) + ".json");
        var template = exitCode == 0 && File.Exists(output) ? JObject.Parse(File.ReadAllText(output)) : null;
        return new BicepResult(exitCode, ParseSarif(stderr), template, stderr);
    }

    /// <summary><c>bicep lint FILE</c>: linter rules (levels from the nearest bicepconfig.json) and compiler diagnostics.</summary>
    public static BicepResult Lint(string bicepFile)
    {
        var (exitCode, stderr) = Run("lint", bicepFile, "--diagnostics-format", "sarif");
        return new BicepResult(exitCode, ParseSarif(stderr), null, stderr);
    }

    private static (int ExitCode, string StandardError) Run(params string[] arguments)
    {
        var executable = ExecutablePath;
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException(
                $"The Bicep CLI is not at {executable}. Run 'bash tools/setup.sh' (it restores NuGet Azure.Bicep.CommandLine.linux-x64 {Version}), or set {PathVariable}.");
        }
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // Offline: no telemetry, no module registry look-ups.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
        var stderrTask = process.StandardError.ReadToEndAsync();
        var stdoutTask = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish within 2 minutes.");
        }
        return (process.ExitCode, stderrTask.Result + stdoutTask.Result);
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
        catch (Newtonsoft.Json.JsonReaderException)
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
}
