using System.Text.RegularExpressions;

namespace OrderEvents.CustomCode.Tests.Conventions;

/// <summary>
/// Folder = project = root namespace: a newcomer who sees a namespace knows the folder, and the other way round.
/// Every project file is named after its folder, declares no other root namespace, and every C# file under it
/// declares a namespace inside that root (the one exception is listed with its reason).
/// </summary>
[TestClass]
public sealed partial class When_a_project_is_added_its_folder_project_and_namespace_agree
{
    // The inline-script API keeps Microsoft's namespace, so a classify_outcome.csx that runs on the local engine
    // runs unchanged in Azure (Learn, "Add and run C# scripts inline with Standard workflows").
    private static readonly string[] DeliberateExceptions = ["tools/Workflows.Runtime/Scripting/WorkflowContext.cs"];

    private static readonly string[] SkippedFolders = ["bin", "obj", "node_modules", ".git", ".local", ".build", "TestResults", "Fixtures"];

    [GeneratedRegex(@"<RootNamespace>([^<]+)</RootNamespace>")] private static partial Regex RootNamespace();

    [GeneratedRegex(@"^namespace\s+([A-Za-z0-9_.]+)", RegexOptions.Multiline)] private static partial Regex Namespace();

    [TestMethod]
    public void Every_project_is_named_after_its_folder_and_keeps_that_name_as_root_namespace()
    {
        var problems = Projects().SelectMany(ProjectProblems).ToList();

        Assert.IsEmpty(problems, string.Join("\n", problems));
    }

    [TestMethod]
    public void Every_source_file_declares_a_namespace_inside_its_projects_root()
    {
        var problems = Projects()
            .SelectMany(project => SourceFiles(Path.GetDirectoryName(project)!)
                .Select(file => (File: Relative(file), Namespace: Namespace().Match(File.ReadAllText(file)) is { Success: true } m ? m.Groups[1].Value : null, Root: Path.GetFileNameWithoutExtension(project))))
            .Where(f => f.Namespace is not null && f.Namespace != f.Root && !f.Namespace.StartsWith(f.Root + ".", StringComparison.Ordinal))
            .Where(f => !DeliberateExceptions.Contains(f.File, StringComparer.Ordinal))
            .Select(f => $"{f.File}: namespace {f.Namespace} is outside the project's root {f.Root}")
            .ToList();

        Assert.IsEmpty(problems, string.Join("\n", problems));
    }

    [TestMethod]
    public void A_project_in_a_folder_of_another_name_is_reported()
    {
        var folder = Directory.CreateTempSubdirectory("naming-").FullName;
        try
        {
            var project = Path.Combine(folder, "cli", "BicepCli.csproj");
            Directory.CreateDirectory(Path.GetDirectoryName(project)!);
            File.WriteAllText(project, "<Project><PropertyGroup><RootNamespace>Other</RootNamespace></PropertyGroup></Project>");

            var problems = ProjectProblems(project).ToList();

            Assert.HasCount(2, problems, string.Join("\n", problems));
            Assert.IsTrue(problems.Any(p => p.Contains("folder 'cli'", StringComparison.Ordinal)), string.Join("\n", problems));
            Assert.IsTrue(problems.Any(p => p.Contains("root namespace 'Other'", StringComparison.Ordinal)), string.Join("\n", problems));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static IEnumerable<string> ProjectProblems(string project)
    {
        var name = Path.GetFileNameWithoutExtension(project);
        var folder = Path.GetFileName(Path.GetDirectoryName(project)!);
        if (folder != name) yield return $"{Relative(project)}: the project is named '{name}' but its folder '{folder}'";
        if (RootNamespace().Match(File.ReadAllText(project)) is { Success: true } root && root.Groups[1].Value != name)
            yield return $"{Relative(project)}: root namespace '{root.Groups[1].Value}' differs from the project name '{name}'";
    }

    private static IEnumerable<string> Projects() => Files(RepositoryRoot.FullPath, "*.csproj");

    private static IEnumerable<string> SourceFiles(string projectFolder) => Files(projectFolder, "*.cs");

    private static IEnumerable<string> Files(string root, string pattern)
    {
        var pending = new Stack<string>([root]);
        while (pending.Count > 0)
        {
            var folder = pending.Pop();
            foreach (var child in Directory.EnumerateDirectories(folder))
            {
                if (!SkippedFolders.Contains(Path.GetFileName(child), StringComparer.Ordinal)) pending.Push(child);
            }
            foreach (var file in Directory.EnumerateFiles(folder, pattern)) yield return file;
        }
    }

    private static string Relative(string file) =>
        file.StartsWith(RepositoryRoot.FullPath, StringComparison.Ordinal) ? Path.GetRelativePath(RepositoryRoot.FullPath, file).Replace('\\', '/') : file;
}
