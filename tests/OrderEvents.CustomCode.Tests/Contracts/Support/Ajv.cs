using System.Diagnostics;
using Newtonsoft.Json.Linq;

namespace OrderEvents.CustomCode.Tests.Contracts.Support;

/// <summary>The JSON Schema side of the cross-check: tools/node/validate-schemas.js (ajv 8, draft 2020-12).</summary>
internal static class Ajv
{
    public sealed record Result(string File, bool Valid, IReadOnlyList<string> Paths);

    public static IReadOnlyDictionary<string, Result> Validate(IEnumerable<string> files)
    {
        var script = Path.Combine(RepositoryRoot.PathOf("tools/node"), "validate-schemas.js");
        if (!Directory.Exists(Path.Combine(RepositoryRoot.PathOf("tools/node"), "node_modules", "ajv")))
            Assert.Fail("ajv is not installed: run 'bash tools/setup.sh' (installs tools/node/node_modules).");

        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(RepositoryRoot.PathOf("Artifacts/Schemas"));
        foreach (var file in files) start.ArgumentList.Add(file);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(60_000)) { process.Kill(); Assert.Fail("validate-schemas.js did not finish within 60 s."); }
        Assert.AreEqual(0, process.ExitCode, $"validate-schemas.js failed: {stderr.Result}");

        return JArray.Parse(stdout)
            .Select(r => new Result((string)r["file"]!, (bool)r["valid"]!, r["errors"]!.Select(e => (string)e["path"]!).Distinct().OrderBy(p => p, StringComparer.Ordinal).ToArray()))
            .ToDictionary(r => Path.GetFullPath(r.File), StringComparer.Ordinal);
    }
}
