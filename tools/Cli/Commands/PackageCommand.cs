using Cli.Preflight;
using Cli.Preflight.CustomCode;
using Cli.Preflight.Sap;

namespace Cli.Commands;

/// <summary>
/// <c>package [--output FILE] [--repo DIR] [--sap-nco DIR] [--allow-missing-custom-code] [--allow-missing-sap]</c>:
/// builds the zip-deploy package. Learn ("Set up DevOps deployment for Standard logic apps",
/// https://learn.microsoft.com/azure/logic-apps/set-up-devops-deployment-single-tenant-azure-logic-apps): the workflow folders,
/// host.json and connections.json sit at the zip root. So: host.json, connections.json, parameters.json, Artifacts/
/// and lib/ at the root and every workflow folder of <c>workflows/</c> flattened to the root
/// (<c>workflows/OrderIntake/workflow.json</c> → <c>OrderIntake/workflow.json</c>); see <see cref="AppContent.FromWorkingTree"/>.
/// It refuses (exit 1) to build a package Azure would run broken: without the built custom code
/// (<see cref="BuiltCustomCode"/>) unless <c>--allow-missing-custom-code</c>, and without the SAP NCo client libraries
/// when a workflow uses the SAP connector (<see cref="SapClientLibraries"/>; <c>--sap-nco DIR</c> places them)
/// unless <c>--allow-missing-sap</c>. Entries are sorted and time-stamped identically so the same files give the
/// same bytes. Refuses to package stale generated dead-letter workflows.
/// </summary>
public static class PackageCommand
{
    public const string DefaultOutput = ".build/package/logicapp.zip";

    public static Task<int> RunAsync(CliArgs args)
    {
        var project = LogicAppProject.FromArgs(args);
        var output = Path.GetFullPath(args.Get("output") ?? project.PathOf(DefaultOutput));
        var options = new PackageOptions(
            SapNcoFolder: args.Has("sap-nco") ? args.Get("sap-nco") ?? throw new CliUsageException("--sap-nco takes a folder.") : null,
            AllowMissingCustomCode: args.Has("allow-missing-custom-code"),
            AllowMissingSap: args.Has("allow-missing-sap"));

        var stale = DeadLetterAlertWorkflows.FindStale(project);
        if (stale.Count > 0)
        {
            Console.Error.WriteLine($"package: {string.Join(", ", stale)} differ from {DeadLetterAlertWorkflows.TemplateFile}; run the 'designer' verb to regenerate them, review, commit.");
            return Task.FromResult(1);
        }
        var staleScripts = ClassifyOutcomeScripts.FindStale(project);
        if (staleScripts.Count > 0)
        {
            Console.Error.WriteLine($"package: the {ClassifyOutcomeScripts.ScriptName} of {string.Join(", ", staleScripts)} differ from {ClassifyOutcomeScripts.TemplateFile}; run the 'designer' verb to regenerate them, review, commit.");
            return Task.FromResult(1);
        }

        var outcome = Build(project, output, options);
        foreach (var warning in outcome.Warnings) Console.Error.WriteLine($"warning: {warning}");
        if (!outcome.Written)
        {
            foreach (var refusal in outcome.Refusals) Console.Error.WriteLine(refusal);
            Console.Error.WriteLine($"package: refused; no package written ({outcome.Refusals.Count} problem(s) above). " +
                                    "Only for an environment that needs neither: --allow-missing-custom-code, --allow-missing-sap.");
            return Task.FromResult(1);
        }
        Console.WriteLine($"wrote {output}: {outcome.Entries.Count} files, workflows {string.Join(", ", project.WorkflowNames())}");
        return Task.FromResult(0);
    }

    /// <summary>
    /// Checks what the package would hold and writes it unless a check refuses. Problems an <c>--allow-*</c> switch
    /// waives come back as warnings. Returns the entry names (forward slashes, sorted).
    /// </summary>
    public static PackageOutcome Build(LogicAppProject project, string output, PackageOptions options)
    {
        var sapFiles = options.SapNcoFolder is null ? null : SapClientLibraries.FromFolder(options.SapNcoFolder);
        var content = AppContent.FromWorkingTree(project, sapFiles);
        var refusals = new List<PreflightProblem>();
        var warnings = new List<PreflightProblem>();
        var workflows = WorkflowFiles.Read(content, refusals);

        (options.AllowMissingCustomCode ? warnings : refusals).AddRange(BuiltCustomCode.Find(content, workflows));
        (options.AllowMissingSap ? warnings : refusals).AddRange(SapClientLibraries.Find(content, workflows));
        if (refusals.Count > 0) return new PackageOutcome([], refusals, warnings);

        content.WriteZip(output);
        return new PackageOutcome(content.Paths.ToArray(), refusals, warnings);
    }
}

/// <param name="SapNcoFolder">Where the SAP NCo 3.1 libraries are (never the repository: they are not redistributable).</param>
/// <param name="AllowMissingCustomCode">Package even when the built custom code is missing (every InvokeFunction will fail).</param>
/// <param name="AllowMissingSap">Package even when a workflow uses SAP and the NCo libraries are missing (for environments without SAP).</param>
public sealed record PackageOptions(string? SapNcoFolder = null, bool AllowMissingCustomCode = false, bool AllowMissingSap = false);

/// <param name="Entries">The zip's entries; empty when refused.</param>
/// <param name="Refusals">Why no package was written.</param>
/// <param name="Warnings">Problems waived by an --allow-* switch.</param>
public sealed record PackageOutcome(IReadOnlyList<string> Entries, IReadOnlyList<PreflightProblem> Refusals, IReadOnlyList<PreflightProblem> Warnings)
{
    public bool Written => Refusals.Count == 0;
}
