using System.Text.RegularExpressions;

namespace OrderEvents.CustomCode.Tests.Conventions;

/// <summary>
/// The repository stands alone: a clone on a machine with nothing beside it builds, tests and reads. So no file
/// reaches for the team's notes folder next to the repository, and sources are cited as the primary sources
/// (Microsoft Learn URL + section, RFC, SDK repository), not as sections of those notes, which a reader cannot open.
/// </summary>
[TestClass]
public sealed partial class When_the_repository_is_cloned_alone_nothing_points_outside_it
{
    // Built from parts so that this file does not match itself.
    private static readonly string NotesFolder = ".." + "/shared";

    [GeneratedRegex(@"\b(service-bus|service-bus-amqp|logic-apps|wdl|tooling|anchors|style)\.md\s*§", RegexOptions.CultureInvariant)]
    private static partial Regex CitedNoteSection();

    private static readonly string[] SkippedFolders = ["bin", "obj", "node_modules", ".git", ".local", ".build", "TestResults"];
    private static readonly string[] TextExtensions = [".cs", ".csx", ".md", ".json", ".bicep", ".kql", ".sh", ".yml", ".yaml", ".props", ".csproj", ".xml", ".tmdl", ".pbir", ".pbism", ".html", ".js"];

    [TestMethod]
    public void No_file_reads_or_cites_the_notes_folder_beside_the_repository()
    {
        var offending = RepositoryTextFiles()
            .Where(file => File.ReadAllText(file).Contains(NotesFolder, StringComparison.Ordinal))
            .Select(Relative)
            .ToList();

        Assert.IsEmpty(offending, "these files point outside the repository: " + string.Join(", ", offending));
    }

    [TestMethod]
    public void No_file_cites_a_section_of_the_notes_instead_of_the_primary_source()
    {
        var offending = RepositoryTextFiles()
            .SelectMany(file => CitedNoteSection().Matches(File.ReadAllText(file)).Select(m => $"{Relative(file)}: {m.Value}"))
            .ToList();

        Assert.IsEmpty(offending, "cite the primary source (URL + section) instead: " + string.Join("; ", offending));
    }

    [TestMethod]
    public void The_citation_rule_recognises_a_note_section()
    {
        Assert.IsTrue(CitedNoteSection().IsMatch("(" + "service-bus" + ".md §2.1: rules combine with OR)"));
        Assert.IsFalse(CitedNoteSection().IsMatch("see docs/workflows.md, section Settlement"));
    }

    private static IEnumerable<string> RepositoryTextFiles()
    {
        var pending = new Stack<string>([RepositoryRoot.FullPath]);
        while (pending.Count > 0)
        {
            var folder = pending.Pop();
            foreach (var child in Directory.EnumerateDirectories(folder))
            {
                if (!SkippedFolders.Contains(Path.GetFileName(child), StringComparer.Ordinal)) pending.Push(child);
            }
            foreach (var file in Directory.EnumerateFiles(folder))
            {
                if (TextExtensions.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase)) yield return file;
            }
        }
    }

    private static string Relative(string file) => Path.GetRelativePath(RepositoryRoot.FullPath, file).Replace('\\', '/');
}
