using System.IO.Compression;

namespace Cli.Commands;

/// <summary>
/// <c>package [--output FILE] [--repo DIR]</c>: builds the zip-deploy package (https://learn.microsoft.com/azure/logic-apps/set-up-devops-deployment-single-tenant-azure-logic-apps): host.json,
/// connections.json, parameters.json, Artifacts/ and lib/ at the zip root and every workflow folder of
/// <c>workflows/</c> flattened to the root (<c>workflows/OrderIntake/workflow.json</c> → <c>OrderIntake/workflow.json</c>).
/// Paths matched by <c>.funcignore</c> stay out, and so does local.settings.json whatever .funcignore says (app
/// settings are resource configuration). Entries are sorted and time-stamped identically so the same commit gives
/// the same bytes. Refuses to package stale generated dead-letter workflows.
/// </summary>
public static class PackageCommand
{
    public const string DefaultOutput = ".build/package/logicapp.zip";
    private static readonly DateTimeOffset EntryTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static Task<int> RunAsync(CliArgs args)
    {
        var project = LogicAppProject.FromArgs(args);
        var output = Path.GetFullPath(args.Get("output") ?? project.PathOf(DefaultOutput));
        var stale = DeadLetterAlertWorkflows.FindStale(project);
        if (stale.Count > 0)
        {
            Console.Error.WriteLine($"package: {string.Join(", ", stale)} differ from {DeadLetterAlertWorkflows.TemplateFile}; run the 'designer' verb to regenerate them, review, commit.");
            return Task.FromResult(1);
        }

        var entries = Build(project, output);
        Console.WriteLine($"wrote {output}: {entries.Count} files, workflows {string.Join(", ", project.WorkflowNames())}");
        if (!entries.Any(e => e.StartsWith("lib/custom/", StringComparison.Ordinal) && e.EndsWith("/function.json", StringComparison.Ordinal)))
        {
            Console.Error.WriteLine("warning: lib/custom holds no function.json: the custom-code functions (InvokeFunction) are missing. " +
                                    "Build CustomCode/OrderEvents.Functions where Microsoft's Logic Apps SDK restores, then package again.");
        }
        return Task.FromResult(0);
    }

    /// <summary>Writes the zip; returns its entry names (forward slashes, sorted).</summary>
    public static IReadOnlyList<string> Build(LogicAppProject project, string output)
    {
        var ignore = project.ReadFuncIgnore();
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in LogicAppProject.AppRootFiles)
        {
            var path = project.PathOf(file);
            if (!File.Exists(path)) throw new CliUsageException($"{file} is missing at the repository root.");
            files[file] = path;
        }
        foreach (var folder in LogicAppProject.AppRootFolders.Where(f => Directory.Exists(project.PathOf(f))))
        {
            AddFolder(files, project.PathOf(folder), folder);
        }
        foreach (var workflow in project.WorkflowNames())
        {
            AddFolder(files, Path.Combine(project.WorkflowsDirectory, workflow), workflow);
        }

        var included = files.Where(f => !ignore.IsIgnored(f.Key) && Path.GetFileName(f.Key) != "local.settings.json").ToArray();
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        if (File.Exists(output)) File.Delete(output);
        using (var zip = ZipFile.Open(output, ZipArchiveMode.Create))
        {
            foreach (var (entryName, source) in included)
            {
                var entry = zip.CreateEntry(entryName, CompressionLevel.Optimal);
                entry.LastWriteTime = EntryTime;
                using var target = entry.Open();
                using var stream = File.OpenRead(source);
                stream.CopyTo(target);
            }
        }
        return included.Select(f => f.Key).ToArray();
    }

    private static void AddFolder(IDictionary<string, string> files, string folder, string prefix)
    {
        foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            files[prefix + "/" + Path.GetRelativePath(folder, path).Replace(Path.DirectorySeparatorChar, '/')] = path;
        }
    }
}
