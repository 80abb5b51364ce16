using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cli.Commands;

/// <summary>
/// <c>designer [--output DIR] [--repo DIR]</c>: builds the app folder that the VS Code Logic Apps designer and
/// <c>func start</c> open (default <c>.build/logicapp</c>, gitignored). The runtime and the designer expect every
/// workflow folder at the app root next to host.json; this repository keeps them under <c>workflows/</c>. So the
/// app folder holds symbolic links: each workflow folder links to <c>workflows/&lt;name&gt;</c> and the root files
/// (host.json, connections.json, parameters.json, Artifacts, lib, .funcignore) link to the repository's, so every
/// designer edit lands in the repository. Only local.settings.json (from local.settings.template.json) and
/// workflow-designtime/ are real files there. A workflow created in the designer (a real folder in the app folder)
/// is moved into <c>workflows/</c> and linked. The dead-letter alert workflows are regenerated from their template
/// first.
/// </summary>
public static class DesignerCommand
{
    public const string DefaultOutput = ".build/logicapp";

    public static Task<int> RunAsync(CliArgs args)
    {
        var project = LogicAppProject.FromArgs(args);
        var output = Path.GetFullPath(args.Get("output") ?? project.PathOf(DefaultOutput));
        var report = Build(project, output);
        foreach (var line in report) Console.WriteLine(line);
        Console.WriteLine();
        Console.WriteLine($"Open '{output}' in VS Code (Azure Logic Apps (Standard) extension) or run 'func start' there.");
        Console.WriteLine("Edits in the designer change the files under workflows/ and the root files: review and commit them.");
        return Task.FromResult(0);
    }

    /// <summary>Creates or refreshes the app folder; returns what it did, one line each.</summary>
    public static IReadOnlyList<string> Build(LogicAppProject project, string output)
    {
        RefuseWhatWouldStopHalfWay(project, output);
        var report = new List<string>();
        foreach (var name in DeadLetterAlertWorkflows.WriteAll(project)) report.Add($"regenerated workflows/{name}/workflow.json from {DeadLetterAlertWorkflows.TemplateFile}");
        foreach (var name in ClassifyOutcomeScripts.WriteAll(project)) report.Add($"regenerated workflows/{name}/{ClassifyOutcomeScripts.ScriptName} from {ClassifyOutcomeScripts.TemplateFile}");

        Directory.CreateDirectory(output);
        foreach (var adopted in AdoptWorkflowsCreatedInTheDesigner(project, output)) report.Add($"moved the new workflow {adopted} into workflows/{adopted}");

        foreach (var file in LogicAppProject.AppRootFiles.Append(LogicAppProject.FuncIgnoreFile))
        {
            if (File.Exists(project.PathOf(file))) Link(Path.Combine(output, file), project.PathOf(file), isDirectory: false);
        }
        foreach (var folder in LogicAppProject.AppRootFolders)
        {
            if (Directory.Exists(project.PathOf(folder))) Link(Path.Combine(output, folder), project.PathOf(folder), isDirectory: true);
        }

        var workflows = project.WorkflowNames();
        foreach (var name in workflows) Link(Path.Combine(output, name), Path.Combine(project.WorkflowsDirectory, name), isDirectory: true);
        foreach (var stale in Directory.GetDirectories(output).Where(d => IsLink(d) && !workflows.Contains(Path.GetFileName(d)) && IsWorkflowLink(d, project)))
        {
            Directory.Delete(stale);
            report.Add($"removed the link to the deleted workflow {Path.GetFileName(stale)}");
        }
        report.Add($"linked {workflows.Count} workflows: {string.Join(", ", workflows)}");

        report.Add(WriteLocalSettings(project, output));
        WriteDesignTimeFolder(output);
        report.Add("wrote workflow-designtime/ (host.json, local.settings.json)");
        return report;
    }

    /// <summary>Every refusal of <see cref="Build"/>, checked before it moves or writes anything: an output folder that
    /// is another app (a real host.json, a real folder where a link goes), a workflow made in the designer whose name is
    /// taken, a local.settings.json that is not JSON. Found half-way, they left workflows moved and links made.</summary>
    private static void RefuseWhatWouldStopHalfWay(LogicAppProject project, string output)
    {
        if (!Directory.Exists(output)) return;
        foreach (var folder in DesignerWorkflows(output))
        {
            var name = Path.GetFileName(folder);
            if (Directory.Exists(Path.Combine(project.WorkflowsDirectory, name)))
                throw new CliUsageException($"'{folder}' is a real folder but workflows/{name} exists too: merge them by hand, then delete the folder.");
        }
        var links = LogicAppProject.AppRootFiles.Append(LogicAppProject.FuncIgnoreFile).Where(f => File.Exists(project.PathOf(f))).Select(f => (Name: f, IsDirectory: false))
            .Concat(LogicAppProject.AppRootFolders.Where(f => Directory.Exists(project.PathOf(f))).Select(f => (Name: f, IsDirectory: true)))
            .Concat(project.WorkflowNames().Select(f => (Name: f, IsDirectory: true)));
        foreach (var (name, isDirectory) in links)
        {
            var path = Path.Combine(output, name);
            if ((File.Exists(path) || Directory.Exists(path)) && !IsLink(path)) throw RealEntry(path, isDirectory);
        }
        var settings = Path.Combine(output, "local.settings.json");
        if (!File.Exists(settings)) return;
        try
        {
            JObject.Parse(File.ReadAllText(settings));
        }
        catch (JsonReaderException ex)
        {
            throw new CliUsageException($"'{settings}' is not a JSON object ({ex.Message}): fix it or delete it ('designer' keeps a developer's local.settings.json and adds missing keys).");
        }
    }

    /// <summary>Workflows made in the designer: real folders of the app folder holding a workflow.json.</summary>
    private static IEnumerable<string> DesignerWorkflows(string output) =>
        Directory.GetDirectories(output).Where(d => !IsLink(d) && File.Exists(Path.Combine(d, "workflow.json")));

    private static IEnumerable<string> AdoptWorkflowsCreatedInTheDesigner(LogicAppProject project, string output)
    {
        foreach (var folder in DesignerWorkflows(output).ToArray())
        {
            var name = Path.GetFileName(folder);
            Directory.Move(folder, Path.Combine(project.WorkflowsDirectory, name));
            yield return name;
        }
    }

    private static CliUsageException RealEntry(string path, bool isDirectory) =>
        new($"'{path}' is a real {(isDirectory ? "folder" : "file")}, not a link into the repository: move its changes into the repository and delete it.");

    /// <summary>local.settings.json is never overwritten (it may hold a developer's values); missing keys are added.</summary>
    private static string WriteLocalSettings(LogicAppProject project, string output)
    {
        var template = JObject.Parse(File.ReadAllText(project.PathOf(LogicAppProject.SettingsTemplateFile)));
        ((JObject)template["Values"]!)["ProjectDirectoryPath"] = output;
        var path = Path.Combine(output, "local.settings.json");
        if (!File.Exists(path))
        {
            File.WriteAllText(path, LogicAppProject.FormatJson(template));
            return "wrote local.settings.json from local.settings.template.json";
        }
        var existing = JObject.Parse(File.ReadAllText(path));
        if (existing["Values"] is not JObject values)
        {
            values = new JObject();
            existing["Values"] = values;
        }
        var added = new List<string>();
        foreach (var property in ((JObject)template["Values"]!).Properties().Where(p => values[p.Name] is null))
        {
            values[property.Name] = property.Value.DeepClone();
            added.Add(property.Name);
        }
        values["ProjectDirectoryPath"] = output;
        File.WriteAllText(path, LogicAppProject.FormatJson(existing));
        return added.Count == 0 ? "kept local.settings.json" : $"kept local.settings.json, added {string.Join(", ", added)}";
    }

    /// <summary>The design-time host the designer starts (Azure/LogicAppsUX apps/vs-code-designer, projectConsistency fileGenerators host.ts, localSettings.ts).</summary>
    private static void WriteDesignTimeFolder(string output)
    {
        var folder = Path.Combine(output, "workflow-designtime");
        Directory.CreateDirectory(folder);
        var host = new JObject
        {
            ["version"] = "2.0",
            ["extensionBundle"] = new JObject { ["id"] = "Microsoft.Azure.Functions.ExtensionBundle.Workflows", ["version"] = "[1.*, 2.0.0)" },
            ["extensions"] = new JObject { ["workflow"] = new JObject { ["settings"] = new JObject { ["Runtime.WorkflowOperationDiscoveryHostMode"] = "true" } } },
        };
        var settings = new JObject
        {
            ["IsEncrypted"] = false,
            ["Values"] = new JObject
            {
                ["APP_KIND"] = "workflowapp",
                ["ProjectDirectoryPath"] = output,
                ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet",
                ["FUNCTIONS_INPROC_NET8_ENABLED"] = "1",
                ["AzureWebJobsSecretStorageType"] = "Files",
            },
        };
        File.WriteAllText(Path.Combine(folder, "host.json"), LogicAppProject.FormatJson(host));
        File.WriteAllText(Path.Combine(folder, "local.settings.json"), LogicAppProject.FormatJson(settings));
    }

    private static void Link(string linkPath, string target, bool isDirectory)
    {
        if (IsLink(linkPath)) { if (isDirectory) Directory.Delete(linkPath); else File.Delete(linkPath); }
        else if (File.Exists(linkPath) || Directory.Exists(linkPath)) throw RealEntry(linkPath, isDirectory);
        var relative = Path.GetRelativePath(Path.GetDirectoryName(linkPath)!, target);
        if (isDirectory) Directory.CreateSymbolicLink(linkPath, relative);
        else File.CreateSymbolicLink(linkPath, relative);
    }

    private static bool IsLink(string path) => new FileInfo(path).LinkTarget is not null || new DirectoryInfo(path).LinkTarget is not null;

    private static bool IsWorkflowLink(string link, LogicAppProject project)
    {
        var target = new DirectoryInfo(link).LinkTarget;
        if (target is null) return false;
        var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(link)!, target));
        return Path.GetDirectoryName(resolved) == project.WorkflowsDirectory;
    }
}
