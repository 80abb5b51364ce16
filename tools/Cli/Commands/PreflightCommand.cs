using Cli.Iac;
using Cli.Preflight;
using Cli.Preflight.Iac;
using Cli.Preflight.Sap;

namespace Cli.Commands;

/// <summary>
/// <c>preflight [--package ZIP] [--repo DIR] [--sap-nco DIR] [--iac FILE] [--iac-parameters FILE] [--allow-missing-sap]
/// [--allow-missing-custom-code]</c>: checks a zip-deploy package (or, without <c>--package</c>, what <c>package</c>
/// would build from the working tree) against what Azure needs and the local stack cannot see; see
/// <see cref="PreflightChecks"/>. The IaC is the repository's entry point (<see cref="IacTemplate"/>) or <c>--iac FILE</c>, with the
/// deployment's parameters file when given. Prints one line per problem naming the file and the fix; exit code 1
/// on any problem, 0 when there is none, 2 on a usage error.
/// </summary>
public static class PreflightCommand
{
    public static Task<int> RunAsync(CliArgs args)
    {
        var project = LogicAppProject.FromArgs(args);
        var packagePath = args.Get("package");
        if (args.Has("package") && packagePath is null) throw new CliUsageException("--package takes the zip to check.");
        var sapFiles = args.Get("sap-nco") is { } sapFolder ? SapClientLibraries.FromFolder(sapFolder) : null;
        if (packagePath is not null && sapFiles is not null) throw new CliUsageException("--sap-nco applies to the working tree; a package carries its own libraries.");

        var content = packagePath is null ? AppContent.FromWorkingTree(project, sapFiles) : AppContent.FromZip(Path.GetFullPath(packagePath));
        var template = args.Get("iac") is { } iacFile
            ? IacTemplate.FromFile(Path.GetFullPath(iacFile), args.Get("iac-parameters"))
            : IacTemplate.Load(project, args.Get("iac-parameters"));
        var iac = LogicAppSettingsInIac.Read(template);
        var options = new PreflightOptions(AllowMissingSap: args.Has("allow-missing-sap"), AllowMissingCustomCode: args.Has("allow-missing-custom-code"));

        Console.WriteLine($"preflight: {content.Origin} ({content.Paths.Count} files, {content.WorkflowNames().Count} workflows) against {iac.Source} (Logic App {iac.LogicAppName ?? "?"}, {iac.Settings.Count} app settings)");
        var problems = PreflightChecks.Run(content, iac, options);
        foreach (var problem in problems) Console.Error.WriteLine(problem);
        Console.WriteLine(problems.Count == 0 ? "preflight: no problem found." : $"preflight: {problems.Count} problem(s); Azure would run this app broken.");
        return Task.FromResult(problems.Count == 0 ? 0 : 1);
    }
}
